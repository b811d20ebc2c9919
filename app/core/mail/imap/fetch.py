"""The fast path for bulk FETCH responses: headers, flags and whole messages by the thousand.

A generic IMAP parser (imapclient's) builds a token tree per message and
manages ~3,000 messages/s; the server sends ~50,000/s. Here we frame
responses straight from the session's receive buffer: find the line end; if
the line ends in a literal marker ``{n}``, take the next n bytes by count
(no scanning), then the rest of the line. The small metadata (UID, FLAGS,
INTERNALDATE, RFC822.SIZE, MODSEQ) is picked out with one regex. Anything
unexpected falls back to the generic parser, so correctness never depends on
the server's item order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.core.errors import ProtocolError, ServerError
from app.core.mail import headers as hdr
from app.core.mail.imap.response import Response
from app.core.mail.imap.session import ImapSession
from app.core.mail.store import flags_to_bits

#: The header fields the message list (and threading, attachment hint) needs.
LIST_HEADER_FIELDS = "FROM TO CC SUBJECT DATE MESSAGE-ID REFERENCES IN-REPLY-TO CONTENT-TYPE"


def header_fetch_items(modseq: bool) -> str:
    items = f"UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS ({LIST_HEADER_FIELDS})]"
    return f"({items}{' MODSEQ' if modseq else ''})"


# Dovecot's order for our header FETCH; anything else takes the generic _ITEM path.
DOVECOT_HEADER_META = re.compile(
    rb'\* \d+ FETCH \(UID (\d+) FLAGS \(([^)]*)\) INTERNALDATE "([^"]*)" RFC822\.SIZE (\d+) '
    rb"(?:MODSEQ \((\d+)\) )?BODY\["
)
_ITEM = re.compile(rb'UID (\d+)|FLAGS \(([^)]*)\)|INTERNALDATE "([^"]*)"|RFC822\.SIZE (\d+)|MODSEQ \((\d+)\)')
_FETCH_START = re.compile(rb"^\* \d+ FETCH ")
_MONTHS = {m: i + 1 for i, m in enumerate(b"Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}

#: meta (the response text around the literal, literal excluded), literal bytes (None if no literal)
ItemCallback = Callable[[bytes, bytes | None], None]


@dataclass
class FetchMeta:
    """The small items of one FETCH response."""

    uid: int | None = None
    flags: bytes | None = None
    internaldate: int | None = None
    size: int = 0
    modseq: int | None = None


def internaldate_epoch(s: bytes) -> int | None:
    """``17-Jul-1996 02:44:25 -0700`` -> epoch seconds (fixed-format fast path, generic fallback)."""
    if len(s) == 26 and s[2:3] == b"-" and s[6:7] == b"-" and s[21:22] in (b"+", b"-"):
        try:
            secs = int(s[12:14]) * 3600 + int(s[15:17]) * 60 + int(s[18:20])
            return hdr.day_zone_base(s[0:11] + s[21:26], s[7:11], _MONTHS[s[3:6]], s[0:2], s[21:26]) + secs
        except (KeyError, ValueError):
            pass
    return hdr.parse_date(s)


def parse_meta(meta: bytes) -> FetchMeta:
    """Pick UID/FLAGS/INTERNALDATE/RFC822.SIZE/MODSEQ out of a FETCH response's text."""
    m0 = DOVECOT_HEADER_META.match(meta)
    if m0 is not None:
        ms = m0.group(5)
        return FetchMeta(
            int(m0.group(1)), m0.group(2), internaldate_epoch(m0.group(3)), int(m0.group(4)), int(ms) if ms else None
        )
    out = FetchMeta()
    for m in _ITEM.finditer(meta):
        g = m.lastindex
        if g == 1:
            out.uid = int(m.group(1))
        elif g == 2:
            out.flags = m.group(2)
        elif g == 3:
            out.internaldate = internaldate_epoch(m.group(3))
        elif g == 4:
            out.size = int(m.group(4))
        elif g == 5:
            out.modseq = int(m.group(5))
    return out


_FLAG_CACHE: dict[bytes, tuple[int, str]] = {}


def flag_bits(raw: bytes) -> tuple[int, str]:
    """Raw FLAGS list contents -> (bits, keywords), memoized (a folder has few distinct combinations)."""
    got = _FLAG_CACHE.get(raw)
    if got is None:
        got = flags_to_bits(raw.decode("utf-8", "replace").split())
        if len(_FLAG_CACHE) < 10000:
            _FLAG_CACHE[raw] = got
    return got


def read_fetch(sess: ImapSession, tag: str, on_item: ItemCallback) -> Response:
    """Read FETCH responses until ``tag`` completes, calling ``on_item(meta, literal)`` for each.

    Non-FETCH untagged responses (EXISTS, EXPUNGE, ...) go to ``sess.untagged``. With pipelined
    commands the FETCH data of one may arrive before the completion of an earlier one, so callers
    must not assume which command an item answers (sync does not: it keys everything by UID).
    Raises ServerError if the command fails, NetworkError if the connection drops, ProtocolError
    past the wire's line or literal limit.
    """
    tagb = tag.encode() + b" "
    early = sess.completed.pop(tag, None)
    if early is not None:  # its completion was read while we waited for an earlier pipelined command
        return _completed(early)
    wire = sess.require_wire()
    log = wire.log
    data, pos = wire.data, wire.pos
    try:
        while True:
            eol = data.find(b"\r\n", pos)
            if eol < 0:
                if len(data) - pos > wire.max_line:
                    wire.too_long()
                wire.data, wire.pos = data, pos
                wire.fill()
                data, pos = wire.data, wire.pos
                continue
            if eol > pos and data[eol - 1] == 0x7D:  # '}': a literal follows
                lb = data.rfind(b"{", pos, eol)
                if lb < 0:
                    raise ProtocolError("malformed literal marker in FETCH response")
                n = _literal_size(data[lb + 1 : eol - 1])
                wire.check_literal(n)
                start = eol + 2
                end = start + n
                eol2 = data.find(b"\r\n", end) if end <= len(data) else -1
                if eol2 < 0:
                    if len(data) - end > wire.max_line:
                        wire.too_long()
                    wire.data, wire.pos = data, pos
                    wire.fill(max(0, end - pos) + 2)
                    data, pos = wire.data, wire.pos
                    continue
                if data[eol2 - 1] == 0x7D and eol2 > end:  # a second literal in one response: generic path
                    wire.data, wire.pos = data, pos
                    resp = sess.read_response()
                    data, pos = wire.data, wire.pos
                    on_item(resp.text, resp.literals[0] if resp.literals else b"")
                    continue
                literal = data[start:end]
                meta = data[pos:lb] + data[end:eol2]
                pos = eol2 + 2
                if log.enabled:
                    wire.log_received(meta + b" {%d bytes}" % n)
                on_item(meta, literal)
                continue
            line = data[pos:eol]
            pos = eol + 2
            if log.enabled:
                wire.log_received(line)
            if line.startswith(tagb):
                wire.data, wire.pos = data, pos
                return _completed(Response(tag, line[len(tagb) :], []))
            if _FETCH_START.match(line):
                on_item(line, None)
            else:
                head, _, rest = line.partition(b" ")
                resp = Response(head.decode("ascii", "replace"), rest, [])
                if resp.tag in ("*", "+"):
                    sess.note_untagged(resp)
                else:
                    # Another pipelined command finished first (servers may complete them in any
                    # order, and Dovecot sends all the untagged data of a pipeline before the OKs).
                    sess.completed[resp.tag] = resp
    finally:
        if wire.sock is not None:
            wire.data, wire.pos = data, pos


def _completed(resp: Response) -> Response:
    """The FETCH's tagged completion, or ServerError if it did not end OK."""
    if resp.status != "OK":
        raise ServerError(f"FETCH failed: {resp.human()}", reply=resp.human())
    return resp


def _literal_size(digits: bytes) -> int:
    try:
        return int(digits.rstrip(b"+"))
    except ValueError:
        raise ProtocolError("malformed literal marker in FETCH response") from None


def read_fetch_raw(sess: ImapSession, tag: str, others: Sequence[str] = ()) -> tuple[bytes, Response]:
    """All response bytes received before ``tag``'s completion, unframed, and that completion.

    For the bulk header sync only: the caller frames the bytes elsewhere (in a helper process,
    see :func:`~app.core.mail.imap.sync.parse_fetch_chunk`), so this process spends no Python per message. Finding the
    completion by searching for ``CRLF tag SP`` is safe there because a ``HEADER.FIELDS``
    literal cannot contain such a line (every line in it starts with a requested field name or
    with folding whitespace). Untagged data of other pipelined commands may be in the bytes;
    they are keyed by UID anyway, and completions of the ``others`` (outstanding pipelined tags)
    found in them go to ``sess.completed`` at once. Raises ServerError if the command fails,
    NetworkError if the connection drops, ProtocolError if the answer grows past the wire's
    literal limit without completing.
    """
    early = sess.completed.pop(tag, None)
    if early is not None:
        return b"", _completed(early)
    wire = sess.require_wire()
    needle = b"\r\n" + tag.encode() + b" "
    keep = len(needle) - 1
    parts: list[bytes] = []
    before = 0  # bytes in parts
    tail = b"\r\n"  # we start at a line start
    while True:
        data = wire.data[wire.pos :] if wire.pos else wire.data
        wire.data, wire.pos = b"", 0
        i = (tail + data).find(needle)
        if i >= 0:
            parts.append(data)
            whole = b"".join(parts)
            at = before - len(tail) + i + 2  # where the completion line starts in whole
            wire.data, wire.pos = whole, at
            line = wire.readline()  # reads more if the line is not complete yet
            chunk = whole[:at]
            break
        parts.append(data)
        before += len(data)
        if before > wire.max_literal:
            wire.close()
            raise ProtocolError(
                f"The server sent more than {wire.max_literal} bytes (the limit) for one FETCH batch; not continuing."
            )
        tail = (tail + data)[-keep:]
        wire.fill()
    for other in others:
        j = (b"\r\n" + chunk).find(b"\r\n" + other.encode() + b" ")
        if j >= 0:
            eol = chunk.find(b"\r\n", j)
            sess.completed[other] = Response(other, chunk[j + len(other) + 1 : eol], [])
    resp = Response(tag, line[len(needle) - 2 :], [])
    wire.log_received(b"(%d bytes of FETCH data) " % len(chunk) + line)
    return chunk, _completed(resp)


#: One whole header FETCH response in Dovecot's order, up to its literal: UID, FLAGS, INTERNALDATE,
#: RFC822.SIZE, MODSEQ (or None), literal size. Anything else takes :func:`frame_one`.
HEADER_RESPONSE = re.compile(
    rb'\* \d+ FETCH \(UID (\d+) FLAGS \(([^)]*)\) INTERNALDATE "([^"]*)" RFC822\.SIZE (\d+) '
    rb"(?:MODSEQ \((\d+)\) )?BODY\[HEADER\.FIELDS \([^)\r\n]*\)\] \{(\d+)\}\r\n"
)


_FIELDS = (b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"references", b"in-reply-to", b"content-type")
_VALUE = rb"[ \t]*+([^\r\n]*+)\r\n"
# A field seen twice fails the match (conditional on its group), so the general path keeps its
# first-occurrence-wins rule.
_FIELD_ALTS = b"|".join(
    b"(?(%d)(?!)|(?i:" % (1 + i) + re.escape(f) + b"):" + _VALUE + b")" for i, f in enumerate(_FIELDS)
)
_NOT_LISTED = b"(?!(?i:" + b"|".join(re.escape(f) for f in _FIELDS) + rb")[ \t]*:)"

#: The lines of an *unfolded* header FETCH literal (CRLF line ends), the list's fields picked out in
#: one match: one group per field of ``_FIELDS`` (stripping left to the caller), the match ending
#: after the blank line. Atomic groups: no backtracking. Folded blocks (most real ones) go to
#: :func:`~app.core.mail.headers.parse_header_block` instead, which is cheaper for them than any
#: pattern that also handles continuation lines.
HEADER_FIELD_LINES = re.compile(rb"(?>" + _FIELD_ALTS + rb"|" + _NOT_LISTED + rb"[^\r\n:]++:[^\r\n]*+\r\n)*+\r\n")


def frame_one(chunk: bytes, pos: int, items: list[tuple[bytes, bytes | None]], others: list[bytes]) -> int:
    """Frame the one response at ``pos`` of a complete buffer (any item order, any literals); returns the next pos.

    FETCH responses go to ``items`` as (text around the literals, first literal or None), other
    lines (untagged responses, completions of other pipelined commands) to ``others``.
    """
    n = len(chunk)
    eol = chunk.find(b"\r\n", pos)
    if eol < 0:
        eol = n
    if eol > pos and chunk[eol - 1] == 0x7D:  # literals follow: gather the whole response
        meta_parts: list[bytes] = []
        literals: list[bytes] = []
        while eol > pos and chunk[eol - 1] == 0x7D:
            lb = chunk.rfind(b"{", pos, eol)
            if lb < 0:
                raise ProtocolError("malformed literal marker in FETCH response")
            size = _literal_size(chunk[lb + 1 : eol - 1])
            meta_parts.append(chunk[pos:lb])
            literals.append(chunk[eol + 2 : eol + 2 + size])
            pos = eol + 2 + size
            eol = chunk.find(b"\r\n", pos)
            if eol < 0:
                eol = n
        meta_parts.append(chunk[pos:eol])
        items.append((b"".join(meta_parts), literals[0]))
    else:
        line = chunk[pos:eol]
        if _FETCH_START.match(line):
            items.append((line, None))
        elif line:
            others.append(line)
    return eol + 2


def dispatch_other_lines(sess: ImapSession, lines: list[bytes]) -> None:
    """Queue the untagged lines framing set aside (:func:`frame_one`'s ``others``), as :func:`read_fetch` would have.

    Tagged completions among them were already taken by :func:`read_fetch_raw`.
    """
    wire = sess.require_wire()
    for line in lines:
        wire.log_received(line)
        head, _, rest = line.partition(b" ")
        if head in (b"*", b"+"):
            sess.note_untagged(Response(head.decode("ascii"), rest, []))
