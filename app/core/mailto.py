"""``mailto:`` links (RFC 6068) -> what a composer is filled in with.

``mailto:a@example.org,b@example.org?cc=c@example.org&subject=Hello%20there&body=Line%201%0D%0ALine%202``

Rules (numbers are RFC 6068 sections):

1. Percent-encoded octets are UTF-8 (2). Invalid UTF-8 is decoded with U+FFFD
   rather than refused, so a legacy link still opens a composer the user can fix.
2. ``+`` is a plus sign, not a space (6: "+" is legal in addr-spec and is not
   form encoding).
3. Addresses before ``?`` and in every ``to=`` field add up to the To list; several
   ``cc=``/``bcc=`` fields add up likewise; each is a comma-separated list (2).
   Each address must have a local part, an ``@`` and a domain, and no line break.
4. ``body`` line breaks (``%0D%0A``, or a lone CR/LF) become ``\\n`` (2); a
   ``subject`` with a line break is joined with a space (no header injection).
5. Header names are case-insensitive (2). Only a safe set is honoured: to, cc,
   bcc, subject, body, in-reply-to; every other one (``from``, ``attach``,
   ``reply-to``...) is dropped and named in :attr:`MailtoRequest.ignored` (7: a
   link must not be able to make the user send something they did not see, and
   ``attach=`` would let a web page mail out a local file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import getaddresses, quote
from urllib.parse import unquote_to_bytes

from app.core.errors import BadUrl

__all__ = ["BadUrl", "MailtoRequest", "is_mailto", "parse_mailto"]

_SAFE_FIELDS = ("to", "cc", "bcc", "subject", "body", "in-reply-to")
_ADDR = re.compile(r"^[^\s@<>()\[\],;:\"]+(?:\.[^\s@<>()\[\],;:\"]+)*@[^\s@<>()\[\],;:\"]+$|^\".+\"@[^\s@]+$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class MailtoRequest:
    """A composer's starting point from a ``mailto:`` link. Addresses are ``Name <addr>`` or ``addr``."""

    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    subject: str = ""
    body: str = ""
    in_reply_to: str = ""
    #: Header names present in the link but not honoured (rule 5), lower-case, in order of appearance.
    ignored: tuple[str, ...] = ()


def is_mailto(text: str) -> bool:
    """True if ``text`` is a ``mailto:`` link (scheme compared case-insensitively)."""
    return text[:7].lower() == "mailto:"


def _decode(part: str) -> str:
    return unquote_to_bytes(part).decode("utf-8", errors="replace")


def _display(name: str, addr: str) -> str:
    """``Name <addr>`` in Unicode (a composer shows it; encoding for the wire happens when sending)."""
    if not name:
        return addr
    if re.search(r'[()<>@,;:\\".\[\]]', name):
        return f'"{quote(name)}" <{addr}>'
    return f"{name} <{addr}>"


def _addresses(raw: str, link: str) -> list[str]:
    out: list[str] = []
    if not raw.strip():
        return out
    if "\r" in raw or "\n" in raw:
        raise BadUrl(f"The mailto link {link!r} has a line break inside an address", url=link)
    if not raw.replace(",", "").strip():
        return out
    for name, addr in getaddresses([raw]):
        addr = addr.strip()
        if not addr and not name:  # the stdlib's answer to text it cannot split into addresses
            raise BadUrl(f"{raw!r} in the mailto link is not a list of e-mail addresses", url=link)
        if not _ADDR.match(addr):
            shown = addr or name
            raise BadUrl(f"{shown!r} in the mailto link is not an e-mail address (name@domain)", url=link)
        out.append(_display(name, addr))
    return out


def parse_mailto(text: str) -> MailtoRequest:
    """Parse a ``mailto:`` link; :class:`~app.core.errors.BadUrl` (saying what is wrong) when it is unusable."""
    link = text.strip()
    if not is_mailto(link):
        raise BadUrl(f"{link!r} is not a mailto: link", url=link)
    rest = link[7:]
    # A fragment is not part of a mailto URI (RFC 6068 2); browsers pass it on anyway.
    rest = rest.split("#", 1)[0]
    path, _, query = rest.partition("?")
    if path.startswith("//"):  # "mailto://x@y" is a common mistake; the address follows
        path = path[2:]
    fields: dict[str, list[str]] = {"to": [], "cc": [], "bcc": []}
    subject = body = in_reply_to = ""
    ignored: list[str] = []
    fields["to"].extend(_addresses(_decode(path), link))
    for item in query.split("&"):
        if not item:
            continue
        raw_name, _, raw_value = item.partition("=")
        name = _decode(raw_name).strip().lower()
        value = _decode(raw_value)
        if name not in _SAFE_FIELDS:
            if name and name not in ignored:
                ignored.append(name)
            continue
        if name in fields:
            fields[name].extend(_addresses(value, link))
        elif name == "subject":
            if _LINE_BREAK.search(value):
                subject = " ".join(p.strip() for p in _LINE_BREAK.split(value) if p.strip())
            else:
                subject = value
        elif name == "body":
            body = _LINE_BREAK.sub("\n", value)
        elif name == "in-reply-to":
            in_reply_to = _LINE_BREAK.sub(" ", value).strip()
    return MailtoRequest(
        to=tuple(fields["to"]),
        cc=tuple(fields["cc"]),
        bcc=tuple(fields["bcc"]),
        subject=subject,
        body=body,
        in_reply_to=in_reply_to,
        ignored=tuple(ignored),
    )
