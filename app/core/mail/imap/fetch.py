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
from collections.abc import Callable
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
    if len(s) == 26 and s[2:3] == b"-" and s[6:7] == b"-":
        try:
            hh, mm, ss = int(s[12:14]), int(s[15:17]), int(s[18:20])
            off = int(s[22:24]) * 3600 + int(s[24:26]) * 60
            if s[21:22] == b"-":
                off = -off
            return hdr.day_seconds(s[7:11], _MONTHS[s[3:6]], s[0:2]) * 86400 + hh * 3600 + mm * 60 + ss - off
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
    Raises ServerError if the command fails, NetworkError if the connection drops.
    """
    tagb = tag.encode() + b" "
    early = sess.completed.pop(tag, None)
    if early is not None:  # its completion was read while we waited for an earlier pipelined command
        if early.status != "OK":
            raise ServerError(f"FETCH failed: {early.human()}", reply=early.human())
        return early
    data, pos = sess._data, sess._pos
    try:
        while True:
            eol = data.find(b"\r\n", pos)
            if eol < 0:
                sess._data, sess._pos = data, pos
                sess.recv_more()
                data, pos = sess._data, sess._pos
                continue
            if eol > pos and data[eol - 1] == 0x7D:  # '}': a literal follows
                lb = data.rfind(b"{", pos, eol)
                if lb < 0:
                    raise ProtocolError("malformed literal marker in FETCH response")
                n = int(data[lb + 1 : eol - 1].rstrip(b"+"))
                start = eol + 2
                end = start + n
                eol2 = data.find(b"\r\n", end) if end <= len(data) else -1
                if eol2 < 0:
                    sess._data, sess._pos = data, pos
                    sess.recv_more(max(0, end - pos) + 2)
                    data, pos = sess._data, sess._pos
                    continue
                if data[eol2 - 1] == 0x7D and eol2 > end:  # a second literal in one response: generic path
                    sess._data, sess._pos = data, pos
                    resp = sess.read_response()
                    data, pos = sess._data, sess._pos
                    on_item(resp.text, resp.literals[0] if resp.literals else b"")
                    continue
                literal = data[start:end]
                meta = data[pos:lb] + data[end:eol2]
                pos = eol2 + 2
                if sess.log.enabled:
                    sess.log.received(sess.log_name, meta + b" {%d bytes}" % n)
                on_item(meta, literal)
                continue
            line = data[pos:eol]
            pos = eol + 2
            if sess.log.enabled:
                sess.log.received(sess.log_name, line)
            if line.startswith(tagb):
                sess._data, sess._pos = data, pos
                resp = Response(tag, line[len(tagb) :], [])
                if resp.status != "OK":
                    raise ServerError(f"FETCH failed: {resp.human()}", reply=resp.human())
                return resp
            if _FETCH_START.match(line):
                on_item(line, None)
            else:
                head, _, rest = line.partition(b" ")
                resp = Response(head.decode("ascii", "replace"), rest, [])
                if resp.tag in ("*", "+"):
                    sess.untagged.append(resp)
                else:
                    # Another pipelined command finished first (servers may complete them in any
                    # order, and Dovecot sends all the untagged data of a pipeline before the OKs).
                    sess.completed[resp.tag] = resp
    finally:
        if sess.sock is not None:
            sess._data, sess._pos = data, pos
