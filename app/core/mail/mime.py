"""Compose, parse and display MIME messages; sanitize HTML for display.

Composing uses the stdlib :mod:`email` package with ``policy.SMTP`` (CRLF line
ends, RFC 2047 encoded words for non-ASCII headers, RFC 2231 for non-ASCII
attachment names). :func:`sanitize_html` makes an HTML body safe to show: no
scripts, no event handlers, and no remote content (images, CSS ``url()``)
until the user allows it, so opening a message cannot tell a sender it was read.
"""

from __future__ import annotations

import html as _html
import mimetypes
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses, parseaddr

import nh3

from app.core.mail import css_safety

SMTP_POLICY = policy.SMTP
# Parsing: policy.default gives str headers with encoded words decoded; keep CRLF-neutral.
_PARSE_POLICY = policy.default


@dataclass(frozen=True)
class Attachment:
    """A file attached to an outgoing message; ``content_type`` is guessed from the name when empty."""

    filename: str
    data: bytes
    content_type: str = ""


@dataclass(frozen=True)
class InlineImage:
    """An image referenced from the HTML body as ``cid:<content_id>`` (content_id without angle brackets)."""

    content_id: str
    data: bytes
    content_type: str = ""
    filename: str = ""


@dataclass
class Compose:
    """Everything the composer knows about a message to build; ``bcc`` never reaches the headers."""

    from_addr: str
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    subject: str = ""
    text: str = ""
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    inline_images: list[InlineImage] = field(default_factory=list)
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    reply_to: str | None = None
    message_id: str | None = None
    date: datetime | None = None
    forwarded: list[bytes] = field(default_factory=list)  # whole messages attached as message/rfc822
    extra_headers: list[tuple[str, str]] = field(default_factory=list)

    def envelope_recipients(self) -> list[str]:
        """Bare addresses of To, Cc and Bcc, de-duplicated case-insensitively, in order."""
        return dedupe_addresses(addr for _, addr in getaddresses([*self.to, *self.cc, *self.bcc]) if addr)

    def envelope_sender(self) -> str:
        return parseaddr(self.from_addr)[1]


def dedupe_addresses(addresses: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for a in addresses:
        key = a.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(a.strip())
    return out


def make_message_id(from_addr: str = "") -> str:
    """``<random@domain-of-sender>``; the domain comes from the From address (``quay.invalid`` without one)."""
    domain = parseaddr(from_addr)[1].rpartition("@")[2] or "quay.invalid"
    domain = re.sub(r"[^A-Za-z0-9.-]", "", domain) or "quay.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def _split_type(content_type: str, filename: str) -> tuple[str, str]:
    ctype = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    maintype, _, subtype = ctype.partition("/")
    return maintype or "application", subtype or "octet-stream"


def build_message(c: Compose) -> EmailMessage:
    """Build the MIME tree: text (+ HTML alternative with related inline images) + attachments."""
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"] = c.from_addr
    if c.to:
        msg["To"] = ", ".join(c.to)
    if c.cc:
        msg["Cc"] = ", ".join(c.cc)
    if c.reply_to:
        msg["Reply-To"] = c.reply_to
    msg["Subject"] = c.subject
    msg["Date"] = format_datetime(c.date or datetime.now(UTC).astimezone())
    c.message_id = c.message_id or make_message_id(c.from_addr)
    msg["Message-ID"] = c.message_id
    if c.in_reply_to:
        msg["In-Reply-To"] = c.in_reply_to
    if c.references:
        msg["References"] = " ".join(c.references)
    for name, value in c.extra_headers:
        msg[name] = value
    msg["MIME-Version"] = "1.0"
    msg.set_content(c.text or "", subtype="plain", charset="utf-8", cte=_text_cte(c.text or ""))
    if c.html is not None:
        msg.add_alternative(c.html, subtype="html", charset="utf-8", cte=_text_cte(c.html))
        if c.inline_images:
            payload = msg.get_payload()
            html_part = payload[1] if isinstance(payload, list) else None
            if not isinstance(html_part, EmailMessage):
                raise AssertionError("add_alternative made no HTML part")
            for img in c.inline_images:
                maintype, subtype = _split_type(img.content_type, img.filename or "image.bin")
                html_part.add_related(
                    img.data,
                    maintype,
                    subtype,
                    cid=f"<{img.content_id.strip('<>')}>",
                    disposition="inline",
                    filename=img.filename or None,
                )
    for att in c.attachments:
        name = attachment_filename(att.filename)
        maintype, subtype = _split_type(att.content_type, name)
        msg.add_attachment(att.data, maintype, subtype, filename=name)
    for raw in c.forwarded:
        inner = BytesParser(policy=SMTP_POLICY).parsebytes(raw)
        msg.add_attachment(inner, filename=_forward_name(inner))
    return msg


def attachment_filename(name: str) -> str:
    """The name as sent: control characters dropped, surrounding blanks stripped, never empty."""
    cleaned = "".join(ch for ch in name if ch >= " " and ch != "\x7f").strip()
    return cleaned or "attachment"


def _text_cte(text: str) -> str:
    # Long lines (> 78) or non-ASCII text need an encoding that survives any relay.
    if text.isascii() and all(len(line) <= 900 for line in text.splitlines()):
        return "7bit"
    return "quoted-printable"


def _forward_name(msg: Message) -> str:
    subject = str(msg.get("Subject", "") or "message")
    safe = re.sub(r"[\\/:*?\"<>|\r\n]+", "_", subject).strip()[:60] or "message"
    return f"{safe}.eml"


def has_non_ascii_address(values: Iterable[str]) -> bool:
    """True when an addr-spec (not just a display name) is non-ASCII: such mail needs SMTPUTF8 (RFC 6531)."""
    return any(not addr.isascii() for _, addr in getaddresses(list(values)) if addr)


def message_bytes(msg: Message, *, utf8: bool = False) -> bytes:
    """Serialize with CRLF line ends as it goes on the wire; ``utf8`` writes raw UTF-8 headers (SMTPUTF8)."""
    return msg.as_bytes(policy=policy.SMTPUTF8 if utf8 else SMTP_POLICY)


def compose_bytes(c: Compose) -> bytes:
    """The message as bytes; raw UTF-8 headers only when an address needs them (encoded words may not
    stand in for a non-ASCII local part, RFC 2047 §5)."""
    utf8 = has_non_ascii_address([c.from_addr, *c.to, *c.cc, *([c.reply_to] if c.reply_to else [])])
    return message_bytes(build_message(c), utf8=utf8)


# ------------------------------------------------------------------ parsing


@dataclass(frozen=True)
class PartInfo:
    """One attachment or inline part of a parsed message."""

    filename: str
    content_type: str
    content_id: str
    disposition: str
    data: bytes


@dataclass(frozen=True)
class ParsedMessage:
    """The display model of a message: decoded headers, best text and HTML bodies, parts."""

    subject: str
    from_addr: str
    to: list[str]
    cc: list[str]
    reply_to: list[str]
    date: str
    message_id: str
    in_reply_to: str
    references: list[str]
    text: str
    html: str | None
    parts: list[PartInfo]

    @property
    def attachments(self) -> list[PartInfo]:
        return [p for p in self.parts if p.disposition == "attachment"]


_MSGID_RE = re.compile(r"<[^<>\s]+>")


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse raw RFC 5322 bytes into a :class:`ParsedMessage`; never raises on malformed input."""
    msg = BytesParser(policy=_PARSE_POLICY).parsebytes(raw)
    text_body = ""
    html_body: str | None = None
    try:
        tb = msg.get_body(preferencelist=("plain",))
        if tb is not None:
            text_body = _part_text(tb)
        hb = msg.get_body(preferencelist=("html",))
        if hb is not None:
            html_body = _part_text(hb)
    except Exception:  # malformed structure: fall back to what we have
        pass
    parts: list[PartInfo] = []
    for part in _leaf_parts(msg):
        ctype = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            data = b""
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                try:
                    data = inner[0].as_bytes(policy=SMTP_POLICY)
                except Exception:
                    data = b""
            parts.append(PartInfo(_safe_filename(part), ctype, "", disposition or "attachment", data))
            continue
        cid = str(part.get("Content-ID", "") or "").strip().strip("<>")
        if disposition not in ("attachment", "inline") and not cid:
            continue
        if disposition == "inline" and ctype.startswith("text/") and not cid and not part.get_filename():
            continue
        try:
            payload = part.get_payload(decode=True)
        except Exception:
            payload = None
        parts.append(
            PartInfo(
                filename=_safe_filename(part),
                content_type=ctype,
                content_id=cid,
                disposition=disposition or "inline",
                data=payload if isinstance(payload, bytes) else b"",
            )
        )
    return ParsedMessage(
        subject=_header(msg, "Subject"),
        from_addr=_header(msg, "From"),
        to=_addresses(msg, "To"),
        cc=_addresses(msg, "Cc"),
        reply_to=_addresses(msg, "Reply-To"),
        date=_header(msg, "Date"),
        message_id=_first_msgid(_header(msg, "Message-ID")),
        in_reply_to=_first_msgid(_header(msg, "In-Reply-To")),
        references=_MSGID_RE.findall(_header(msg, "References")),
        text=text_body,
        html=html_body,
        parts=parts,
    )


def _leaf_parts(msg: Message) -> list[Message]:
    """Non-multipart parts in order; an attached message/rfc822 counts as one leaf (not descended into)."""
    out: list[Message] = []
    stack: list[Message] = [msg]
    while stack:
        part = stack.pop()
        if part.get_content_type() == "message/rfc822" and part is not msg:
            out.append(part)
        elif part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend(reversed([p for p in payload if isinstance(p, Message)]))
        else:
            out.append(part)
    return out


def _safe_filename(part: Message) -> str:
    try:
        return part.get_filename() or ""
    except Exception:
        return ""


def _first_msgid(value: str) -> str:
    m = _MSGID_RE.search(value)
    return m.group(0) if m else value.strip()


def _header(msg: Message, name: str) -> str:
    try:
        v = msg.get(name)
    except Exception:
        return ""
    if v is None:
        return ""
    try:
        return str(v)
    except Exception:
        return ""


def _addresses(msg: Message, name: str) -> list[str]:
    try:
        values = [str(v) for v in msg.get_all(name, [])]
    except Exception:
        return []
    out: list[str] = []
    for display, addr in getaddresses(values):
        if addr:
            out.append(_format_address(display, addr))
    return out


def _format_address(display: str, addr: str) -> str:
    """``Name <addr>`` (quoted where RFC 5322 needs it), or the bare address without a name."""
    if not display:
        return addr
    try:
        return str(Address(display_name=display, addr_spec=addr))
    except Exception:  # e.g. a non-ASCII local part, which Address refuses
        if re.search(r'[()<>\[\]:;@\\,."]', display):
            display = '"' + display.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"{display} <{addr}>"


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")


# --------------------------------------------------- reply, reply-all, forward


def _bare(addr: str) -> str:
    return parseaddr(addr)[1].lower()


def reply_subject(subject: str) -> str:
    return subject if re.match(r"^\s*re\s*:", subject, re.I) else f"Re: {subject}"


def forward_subject(subject: str) -> str:
    return subject if re.match(r"^\s*(fwd?|fw)\s*:", subject, re.I) else f"Fwd: {subject}"


def quote_text(text: str, attribution: str) -> str:
    """``attribution`` then every line prefixed with ``> `` (``>`` alone for empty lines, RFC 3676 style)."""
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    quoted = "\n".join(">" + ("" if ln.startswith(">") or not ln else " ") + ln for ln in lines)
    return f"{attribution}\n{quoted}\n"


def reply(original: bytes, from_addr: str, *, reply_all: bool = False, my_addresses: Sequence[str] = ()) -> Compose:
    """A reply (to Reply-To or From; with ``reply_all`` also To and Cc, minus yourself, de-duplicated)."""
    p = parse_message(original)
    mine = {_bare(from_addr), *(_bare(a) for a in my_addresses)}
    primary = p.reply_to or ([p.from_addr] if p.from_addr else [])
    to: list[str] = []
    cc: list[str] = []
    seen: set[str] = set()

    def add(target: list[str], addrs: Iterable[str]) -> None:
        for a in addrs:
            b = _bare(a)
            if b and b not in seen and b not in mine:
                seen.add(b)
                target.append(a)

    add(to, primary)
    if not to:  # replying to our own sent message: write to its recipients again
        add(to, p.to)
    if reply_all:
        add(to, p.to)
        add(cc, p.cc)
        if not to and cc:
            to, cc = cc[:1], cc[1:]
    references = [*p.references]
    if p.message_id and p.message_id not in references:
        references.append(p.message_id)
    attribution = f"On {p.date}, {p.from_addr} wrote:" if p.date else f"{p.from_addr} wrote:"
    return Compose(
        from_addr=from_addr,
        to=to,
        cc=cc,
        subject=reply_subject(p.subject),
        text="\n\n" + quote_text(p.text, attribution),
        in_reply_to=p.message_id or None,
        references=references,
    )


def forward_inline(original: bytes, from_addr: str, *, with_attachments: bool = True) -> Compose:
    """Forward with the original text quoted in the body and its attachments re-attached."""
    p = parse_message(original)
    header = "\n".join(
        f"{k}: {v}"
        for k, v in (
            ("Subject", p.subject),
            ("Date", p.date),
            ("From", p.from_addr),
            ("To", ", ".join(p.to)),
            ("Cc", ", ".join(p.cc)),
        )
        if v
    )
    body = f"\n\n-------- Forwarded Message --------\n{header}\n\n{p.text}"
    atts = (
        [Attachment(a.filename or "attachment", a.data, a.content_type) for a in p.attachments]
        if with_attachments
        else []
    )
    return Compose(
        from_addr=from_addr,
        subject=forward_subject(p.subject),
        text=body,
        attachments=atts,
        references=[*p.references, p.message_id] if p.message_id else [*p.references],
    )


def forward_as_attachment(original: bytes, from_addr: str) -> Compose:
    """Forward the whole original as a ``message/rfc822`` attachment (nothing of it is altered)."""
    p = parse_message(original)
    return Compose(from_addr=from_addr, subject=forward_subject(p.subject), forwarded=[original])


# ---------------------------------------------------------------- HTML safety

_REMOTE_URL = re.compile(r"^\s*(https?:)?//", re.I)
_DATA_IMAGE = re.compile(r"^\s*data:image/(png|gif|jpe?g|webp|bmp);", re.I)
_STYLE_BLOCK = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.I | re.S)

_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"font", "tfoot", "style"} - {"map", "area"}
_ALLOWED_ATTRS: dict[str, set[str]] = {k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items()}
_ALLOWED_ATTRS.setdefault("*", set()).update({"style", "title", "lang", "dir", "class"})
for _t in ("table", "td", "th", "tr", "body", "div"):
    _ALLOWED_ATTRS.setdefault(_t, set()).update({"bgcolor", "width", "height", "valign", "border"})
_ALLOWED_ATTRS["table"].update({"cellpadding", "cellspacing"})
_ALLOWED_ATTRS.setdefault("font", set()).update({"color", "face", "size"})
#: Attributes that make a browser load something by themselves (nh3 drops the others it does not know).
_LOADING_ATTRS = frozenset({"src", "background"})


def sanitize_html(html: str, allow_remote: bool = False) -> tuple[str, int]:
    """Return ``(safe_html, blocked_remote_count)``.

    Scripts, event handlers, forms, frames, ``<link>``, ``<meta>``, media and
    ``javascript:`` URLs are always removed (nh3, an allow-list). Remote content
    (``http(s)://`` image sources, ``background`` attributes, and every
    resource reference in CSS, found by :mod:`app.core.mail.css_safety`'s real
    tokenizer) is dropped and counted unless ``allow_remote``; ``cid:`` and
    ``data:image/...`` sources are kept. Links stay, with ``rel=noopener noreferrer``.
    This is the first of two layers: the message view also refuses, at the
    network layer, every request the user did not allow.
    """
    blocked = 0

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        nonlocal blocked
        if attr == "style":
            verdict = css_safety.filter_declarations(value, allow_remote)
            blocked += verdict.blocked
            return verdict.css or None
        if attr in _LOADING_ATTRS:
            v = value.strip()
            kind = css_safety.classify_url(v)
            if kind == "local":
                return v if (tag == "img" or v.lower().startswith("cid:")) else None
            if kind == "remote":
                if allow_remote:
                    return v
                blocked += 1
                return None
            return None  # relative or unknown scheme: nothing sensible to load
        if attr == "href" and value.strip().lower().startswith("data:"):
            return None
        return value

    safe = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        clean_content_tags={"script", "iframe", "object", "embed", "noscript", "template", "svg", "math"},
        attributes=_ALLOWED_ATTRS,
        attribute_filter=attribute_filter,
        url_schemes={"http", "https", "mailto", "cid", "data", "tel"},
        strip_comments=True,
    )

    # <style> blocks: nh3 keeps their text verbatim (and closes every one), so filter the CSS now.
    def style_block(m: re.Match[str]) -> str:
        nonlocal blocked
        verdict = css_safety.filter_stylesheet(m.group(2), allow_remote)
        blocked += verdict.blocked
        return m.group(1) + verdict.css + m.group(3)

    return _STYLE_BLOCK.sub(style_block, safe), blocked


def text_to_html(text: str) -> str:
    """Minimal HTML for a plain-text body (escaped, line breaks kept)."""
    return "<pre style='white-space: pre-wrap'>" + _html.escape(text) + "</pre>"
