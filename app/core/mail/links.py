"""Links in a message, for "the link says one thing, goes somewhere else" checks before opening a browser.

:func:`link_texts` maps each ``href`` of an HTML body to the visible texts that
point at it; :func:`needs_confirmation` says whether opening a link should ask
first: always unless the visible text *is* the target (same scheme, host and
path, ignoring case, a trailing slash and a missing ``http(s)://``), because
"https://bank.example" written over a link to another host is the classic phish.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: dict[str, list[str]] = {}
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._close()
            self._href = next((v for k, v in attrs if k == "href" and v), None)
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close()

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def _close(self) -> None:
        if self._href is not None:
            self.links.setdefault(self._href.strip(), []).append(" ".join("".join(self._text).split()))
        self._href = None
        self._text = []


def link_texts(html: str) -> dict[str, list[str]]:
    """href -> the visible texts of the ``<a>`` elements pointing at it (document order)."""
    p = _LinkCollector()
    try:
        p.feed(html)
        p.close()
    except Exception:  # html.parser is lenient; never let a malformed body break the view
        pass
    p._close()
    return p.links


def _norm(url: str) -> tuple[str, str, str]:
    u = url.strip()
    if "://" not in u and not u.lower().startswith("mailto:"):
        u = "http://" + u
    parts = urlsplit(u)
    scheme = parts.scheme.lower()
    if scheme == "https":
        scheme = "http"
    path = (parts.path or "/").rstrip("/") + ("?" + parts.query if parts.query else "")
    return scheme, (parts.hostname or "").lower(), path


def needs_confirmation(href: str, texts: list[str]) -> bool:
    """True unless every visible text of the link spells its real target."""
    if not texts:
        return True
    try:
        target = _norm(href)
        return any(not t or _norm(t) != target for t in texts)
    except ValueError:
        return True
