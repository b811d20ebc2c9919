"""What the composer needs beside :mod:`app.core.mail.mime`: rich text as HTML *and* a faithful plain part,
subjects whose ``Re:``/``Fwd:`` never pile up, replies/forwards built on those, the "you said attached"
check, and drafts read back into a :class:`~app.core.mail.mime.Compose`.

Rich text arrives as :class:`Block` values (the editor walks its document into them), so one
structure renders both alternatives of ``multipart/alternative``: HTML with ``<b>``, ``<i>``,
``<u>``, links, lists and ``<blockquote type="cite">`` levels, and plain text where bold is
``*x*``, italic ``/x/``, underline ``_x_``, a link ``text <url>``, a list item ``- x`` or
``1. x`` and each quote level one ``>`` (RFC 3676 style).
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email.utils import getaddresses

from app.core.mail.mime import Attachment, Compose, parse_message, quote_text
from app.core.mail.mime import forward_as_attachment as _forward_as_attachment
from app.core.mail.mime import forward_inline as _forward_inline
from app.core.mail.mime import reply as _reply

__all__ = [
    "Block",
    "Span",
    "blocks_from_plain",
    "compose_from_draft",
    "draft_compose",
    "forward_as_attachment",
    "forward_inline",
    "forward_subject",
    "mentions_attachment",
    "render_html",
    "render_plain",
    "reply",
    "reply_subject",
]

#: Headers a draft carries so it can be reopened as it was (never present in what is sent).
DRAFT_BCC = "X-Quay-Draft-Bcc"
DRAFT_IDENTITY = "X-Quay-Draft-Identity"
DRAFT_ACCOUNT = "X-Quay-Draft-Account"
DRAFT_RICH = "X-Quay-Draft-Rich"
MAX_REFERENCES = 20


@dataclass(frozen=True)
class Span:
    """A run of text with one format; ``href`` makes it a link."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    href: str = ""


@dataclass
class Block:
    """One paragraph: its quote depth, list kind (``""``, ``"bullet"``, ``"number"``) and position in the list."""

    spans: list[Span] = field(default_factory=list)
    quote: int = 0
    list_kind: str = ""
    list_index: int = 0

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


# ------------------------------------------------------------------ rendering


def _span_html(s: Span) -> str:
    out = _html.escape(s.text).replace("\n", "<br>")
    if s.underline:
        out = f"<u>{out}</u>"
    if s.italic:
        out = f"<i>{out}</i>"
    if s.bold:
        out = f"<b>{out}</b>"
    if s.href:
        out = f'<a href="{_html.escape(s.href, quote=True)}">{out}</a>'
    return out


def render_html(blocks: Sequence[Block]) -> str:
    """A small, clean HTML document (no editor styles) for the text/html alternative."""
    parts: list[str] = []
    depth = 0
    open_list = ""
    for b in blocks:
        if open_list and (b.quote != depth or b.list_kind != open_list):
            parts.append("</ul>" if open_list == "bullet" else "</ol>")
            open_list = ""
        while depth < b.quote:
            parts.append('<blockquote type="cite">')
            depth += 1
        while depth > b.quote:
            parts.append("</blockquote>")
            depth -= 1
        inner = "".join(_span_html(s) for s in b.spans) or "<br>"
        if b.list_kind:
            if open_list != b.list_kind:
                parts.append("<ul>" if b.list_kind == "bullet" else "<ol>")
                open_list = b.list_kind
            parts.append(f"<li>{inner}</li>")
        else:
            parts.append(f"<div>{inner}</div>")
    if open_list:
        parts.append("</ul>" if open_list == "bullet" else "</ol>")
    parts.extend("</blockquote>" for _ in range(depth))
    body = "\n".join(parts)
    return f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n{body}\n</body></html>\n'


def _span_plain(s: Span) -> str:
    t = s.text
    if t.strip():
        if s.bold:
            t = f"*{t}*"
        if s.italic:
            t = f"/{t}/"
        if s.underline:
            t = f"_{t}_"
    if s.href and s.href.removeprefix("mailto:") != s.text.strip():
        t = f"{t} <{s.href}>"
    return t


def render_plain(blocks: Sequence[Block]) -> str:
    """The plain alternative: every word of the HTML, formatting spelled the way mail readers expect."""
    lines: list[str] = []
    for b in blocks:
        text = "".join(_span_plain(s) for s in b.spans)
        if b.list_kind == "bullet":
            text = f"- {text}"
        elif b.list_kind == "number":
            text = f"{b.list_index or 1}. {text}"
        prefix = ">" * b.quote
        for ln in text.split("\n"):
            lines.append(f"{prefix} {ln}" if prefix and ln else prefix + ln)
    return "\n".join(lines) + ("\n" if lines else "")


_QUOTE_PREFIX = re.compile(r"^((?:>\s?)+)")


def blocks_from_plain(text: str) -> list[Block]:
    """Plain text (``>`` quoting) as blocks, so a reply can switch to rich mode with its quote levels."""
    out: list[Block] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        m = _QUOTE_PREFIX.match(line)
        depth = m.group(1).count(">") if m else 0
        body = line[m.end() :] if m else line
        out.append(Block([Span(body)] if body else [], quote=depth))
    if out and not out[-1].spans and not out[-1].quote:
        out.pop()
    return out


# ------------------------------------------------------------------ subjects

# Reply prefixes in the languages our users meet: English, German (AW), Vietnamese Outlook (TL = trả lời),
# French/Spanish (RE), plus counted forms such as "Re[2]:" and "Re^2:".
_RE_PREFIX = re.compile(r"^\s*(?:re|aw|tl|sv|antw|r)\s*(?:\[\d+\]|\^\d+)?\s*:\s*", re.I)
# Forward prefixes: Fwd, Fw, WG (German), CT (Vietnamese Outlook, "chuyển tiếp"), TR (French).
_FWD_PREFIX = re.compile(r"^\s*(?:fwd?|wg|ct|tr|vs)\s*(?:\[\d+\])?\s*:\s*", re.I)


def _strip(subject: str, pattern: re.Pattern[str]) -> str:
    s = subject.strip()
    while True:
        m = pattern.match(s)
        if not m:
            return s
        s = s[m.end() :]


def reply_subject(subject: str) -> str:
    """``Re: x`` once, whatever prefixes (``Re: RE: AW: TL:``) the original piled up."""
    return f"Re: {_strip(subject, _RE_PREFIX)}".rstrip()


def forward_subject(subject: str) -> str:
    """``Fwd: x`` once; an inner reply prefix stays, but only one of it (``Fwd: Re: x``)."""
    inner = _strip(subject, _FWD_PREFIX)
    base = _strip(inner, _RE_PREFIX)
    if base != inner:
        inner = f"Re: {_strip(base, _FWD_PREFIX)}"
    return f"Fwd: {inner}".rstrip()


# ------------------------------------------------------------------ replies and forwards


def _trim_references(refs: Sequence[str]) -> list[str]:
    """Keep the thread root and the most recent ids (RFC 5322 §3.6.4 allows trimming; servers limit lines)."""
    unique = list(dict.fromkeys(r for r in refs if r))
    if len(unique) <= MAX_REFERENCES:
        return unique
    return [unique[0], *unique[-(MAX_REFERENCES - 1) :]]


def reply(original: bytes, from_addr: str, *, reply_all: bool = False, my_addresses: Sequence[str] = ()) -> Compose:
    """:func:`app.core.mail.mime.reply` with a clean subject and a bounded References header."""
    c = _reply(original, from_addr, reply_all=reply_all, my_addresses=my_addresses)
    p = parse_message(original)
    c.subject = reply_subject(p.subject)
    c.references = _trim_references(c.references)
    return c


def forward_inline(original: bytes, from_addr: str, *, with_attachments: bool = True) -> Compose:
    c = _forward_inline(original, from_addr, with_attachments=with_attachments)
    c.subject = forward_subject(parse_message(original).subject)
    c.references = _trim_references(c.references)
    return c


def forward_as_attachment(original: bytes, from_addr: str) -> Compose:
    c = _forward_as_attachment(original, from_addr)
    p = parse_message(original)
    c.subject = forward_subject(p.subject)
    c.references = _trim_references([*p.references, p.message_id] if p.message_id else list(p.references))
    return c


def quote_for_reply(text: str, attribution: str) -> str:
    return quote_text(text, attribution)


# ------------------------------------------------------------------ "attached" but nothing attached

_ATTACH_WORDS = re.compile(
    r"\b(attach(?:ed|ment|ments|ing)?|enclosed|đính\s+kèm|dinh\s+kem|tệp\s+kèm|tep\s+kem|file\s+kèm|gửi\s+kèm|gui\s+kem)\b",
    re.I,
)


def mentions_attachment(text: str) -> str | None:
    """The word that promises an attachment in the user's own text (quotes and signature ignored), or None."""
    own: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line == "-- ":
            break
        if line.lstrip().startswith(">"):
            continue
        own.append(line)
    m = _ATTACH_WORDS.search("\n".join(own))
    return m.group(0) if m else None


# ------------------------------------------------------------------ drafts


def draft_compose(c: Compose, *, identity: str, account: str, rich: bool) -> Compose:
    """A copy of ``c`` carrying what reopening needs (Bcc, identity, account, mode) in private headers."""
    extra = [(k, v) for k, v in c.extra_headers if k not in (DRAFT_BCC, DRAFT_IDENTITY, DRAFT_ACCOUNT, DRAFT_RICH)]
    if c.bcc:
        extra.append((DRAFT_BCC, ", ".join(c.bcc)))
    extra += [(DRAFT_IDENTITY, identity), (DRAFT_ACCOUNT, account), (DRAFT_RICH, "1" if rich else "0")]
    return Compose(
        from_addr=c.from_addr,
        to=list(c.to),
        cc=list(c.cc),
        subject=c.subject,
        text=c.text,
        html=c.html,
        attachments=list(c.attachments),
        in_reply_to=c.in_reply_to,
        references=list(c.references),
        reply_to=c.reply_to,
        message_id=c.message_id,
        forwarded=list(c.forwarded),
        extra_headers=extra,
    )


@dataclass
class DraftInfo:
    """A draft read back: the message and the composer's own settings."""

    compose: Compose
    identity: str = ""
    account: str = ""
    rich: bool = False


def compose_from_draft(raw: bytes) -> DraftInfo:
    """Parse a saved draft back into what the composer edits (attachments and forwarded messages included)."""
    from email import policy
    from email.parser import BytesParser

    msg = BytesParser(policy=policy.default).parsebytes(raw)
    p = parse_message(raw)

    def addrs(name: str) -> list[str]:
        return [str(a) for a in _header_list(msg.get_all(name) or [])]

    from email.message import EmailMessage, Message

    from app.core.mail.mime import message_bytes

    text = ""
    html: str | None = None
    attachments: list[Attachment] = []
    forwarded: list[bytes] = []

    def visit(part: EmailMessage) -> None:
        nonlocal text, html
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                forwarded.append(message_bytes(inner[0]))
            return
        if part.is_multipart():
            for sub in part.iter_parts():
                if isinstance(sub, EmailMessage):
                    visit(sub)
            return
        disp = part.get_content_disposition()
        if disp == "attachment" or (disp == "inline" and part.get_filename()):
            data = part.get_payload(decode=True)
            attachments.append(Attachment(part.get_filename() or "attachment", bytes(data or b""), ctype))  # type: ignore[arg-type]
        elif ctype == "text/plain" and not text:
            text = str(part.get_content())
        elif ctype == "text/html" and html is None:
            html = str(part.get_content())

    if isinstance(msg, EmailMessage):
        visit(msg)
    c = Compose(
        from_addr=str(msg.get("From", "") or ""),
        to=addrs("To"),
        cc=addrs("Cc"),
        bcc=addrs(DRAFT_BCC),
        subject=p.subject,
        text=text.replace("\r\n", "\n"),
        html=html,
        attachments=attachments,
        in_reply_to=p.in_reply_to or None,
        references=list(p.references),
        reply_to=(str(msg.get("Reply-To")) if msg.get("Reply-To") else None),
        message_id=p.message_id or None,
        forwarded=forwarded,
    )
    return DraftInfo(
        c,
        identity=str(msg.get(DRAFT_IDENTITY, "") or ""),
        account=str(msg.get(DRAFT_ACCOUNT, "") or ""),
        rich=str(msg.get(DRAFT_RICH, "0")).strip() == "1",
    )


def _header_list(values: Iterable[object]) -> list[str]:
    out: list[str] = []
    for name, addr in getaddresses([str(v) for v in values]):
        if not addr:
            continue
        out.append(f"{name} <{addr}>" if name else addr)
    return out


# ------------------------------------------------------------------ mailto: (RFC 6068)


@dataclass
class MailtoParts:
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    subject: str = ""
    body: str = ""
    in_reply_to: str = ""


def parse_mailto(url: str) -> MailtoParts:
    """``mailto:a@x,b@y?cc=c@z&subject=Hi&body=...`` -> its parts (percent-decoding as RFC 6068 says)."""
    from urllib.parse import parse_qsl, unquote

    if not url.lower().startswith("mailto:"):
        raise ValueError(f"{url!r} is not a mailto: link")
    rest = url[7:]
    path, _, query = rest.partition("?")
    out = MailtoParts(to=[a for a in (unquote(x).strip() for x in path.split(",")) if a])
    for key, value in parse_qsl(query, keep_blank_values=True):
        k = key.lower()
        if k in ("to", "cc", "bcc"):
            getattr(out, k).extend(a.strip() for a in value.split(",") if a.strip())
        elif k == "subject":
            out.subject = value
        elif k == "body":
            out.body = value.replace("\r\n", "\n")
        elif k == "in-reply-to":
            out.in_reply_to = value
    return out
