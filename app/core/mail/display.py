"""What the message view shows, built from the raw message on a worker: headers, safe HTML, text, parts.

:func:`build_display` parses and sanitizes once (remote content blocked);
:meth:`DisplayMessage.with_remote` re-sanitizes allowing it, when the user
asks. ``cid:`` parts come from the message itself. Attachment names are only
suggestions: saving goes through :func:`attachment_path`, the same safe-path
gate as downloads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from app.core.errors import UnsafePathError
from app.core.mail.links import link_texts
from app.core.mail.mime import PartInfo, parse_message, sanitize_html, text_to_html
from app.core.transfer.localpaths import local_path_for

#: Characters a sender can use to smuggle a path into an attachment name.
_SEPARATORS = re.compile(r"[/\\\u2215\u2044\u29f8\u29f9\uff0f\uff3c]")


@dataclass(frozen=True)
class Address:
    name: str
    email: str

    @property
    def label(self) -> str:
        return self.name or self.email


@dataclass(frozen=True)
class DisplayMessage:
    """Everything the view needs; plain data, safe to pass between threads."""

    message_id: int
    subject: str
    sender: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    date: float | None
    text: str
    html: str | None  # sanitized; None for plain-text mail
    blocked: int  # remote references removed from ``html``
    remote_allowed: bool
    attachments: tuple[PartInfo, ...]
    cids: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)
    raw_html: str | None = None
    raw: bytes = b""

    def with_remote(self) -> DisplayMessage:
        """The same message with remote content allowed (for "Load once" / "Always for this sender")."""
        if self.raw_html is None or self.remote_allowed:
            return self
        safe, _ = sanitize_html(self.raw_html, allow_remote=True)
        return replace(self, html=safe, blocked=0, remote_allowed=True, links=link_texts(safe))

    @property
    def body_html(self) -> str:
        return self.html if self.html is not None else text_to_html(self.text)

    @property
    def sender_email(self) -> str:
        return self.sender[0].email.lower() if self.sender else ""


def _addresses(values: list[str] | str) -> tuple[Address, ...]:
    items = [values] if isinstance(values, str) else values
    return tuple(Address(n, a) for n, a in getaddresses(items) if a or n)


def build_display(message_id: int, raw: bytes, *, allow_remote: bool = False) -> DisplayMessage:
    """Parse ``raw`` into a :class:`DisplayMessage` (never raises on malformed mail)."""
    p = parse_message(raw)
    html = None
    blocked = 0
    if p.html is not None:
        html, blocked = sanitize_html(p.html, allow_remote=allow_remote)
    try:
        date = parsedate_to_datetime(p.date).timestamp() if p.date else None
    except (TypeError, ValueError, IndexError):
        date = None
    cids = {part.content_id: (part.content_type, part.data) for part in p.parts if part.content_id}
    shown = [
        part
        for part in p.parts
        if part.disposition == "attachment" or (part.filename and (not part.content_id or not html))
    ]
    return DisplayMessage(
        message_id=message_id,
        subject=p.subject,
        sender=_addresses(p.from_addr),
        to=_addresses(p.to),
        cc=_addresses(p.cc),
        date=date,
        text=p.text,
        html=html,
        blocked=blocked,
        remote_allowed=allow_remote,
        attachments=tuple(shown),
        cids=cids,
        links=link_texts(html) if html else {},
        raw_html=p.html,
        raw=raw,
    )


def attachment_path(folder: Path | str, name: str) -> Path:
    """Where an attachment called ``name`` is saved inside ``folder``; never outside it.

    A name carrying a path (``../../evil.sh``, ``C:\\x\\y.exe``) keeps only its last
    component; the rest goes through :func:`app.core.transfer.localpaths.local_path_for`
    (reserved names, control characters, look-alikes, symlinks). An empty or
    hopeless name becomes ``attachment``.
    """
    base = _SEPARATORS.split(name.replace("\x00", ""))[-1].strip()
    if base in ("", ".", ".."):
        base = "attachment"
    try:
        return local_path_for(folder, base)
    except UnsafePathError:
        return local_path_for(folder, "attachment")
