"""Headers for the message list: decoding (RFC 2047 encoded-words, charsets, addresses, dates), the row
each message becomes in the cache (:func:`header_fields`, :func:`header_row`), and the search terms
matched against those rows (:func:`fts_terms`).

These run once per message during a bulk header sync, so the common case
(plain ASCII / UTF-8, no ``=?``) takes a fast path and the stdlib ``email``
machinery is only a fallback for oddities. The cache itself (:mod:`app.core.mail.store`)
only stores what this module builds.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import email.utils
import functools
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from app.core.mail.threads import base_subject, thread_key

_ENCODED_WORD = re.compile(rb"=\?([^?\s]+)\?([QqBb])\?([^?]*)\?=")
_BETWEEN_WORDS = re.compile(rb"\?=[ \t\r\n]+=\?")
_FOLD = re.compile(rb"\r?\n[ \t]+")
_Q_HEX = re.compile(rb"=([0-9A-Fa-f]{2})")

_CHARSET_CACHE: dict[bytes, str] = {}


def _codec_name(charset: bytes) -> str:
    """A Python codec for a MIME charset name; unknown ones fall back to UTF-8 (with replacement)."""
    name = _CHARSET_CACHE.get(charset)
    if name is None:
        label = charset.split(b"*", 1)[0].decode("ascii", "replace").strip().lower()  # RFC 2231 language
        aliases = {"us-ascii": "utf-8", "ascii": "utf-8", "iso-8859-1": "cp1252", "latin1": "cp1252", "gb2312": "gbk"}
        label = aliases.get(label, label)
        try:
            name = codecs.lookup(label).name
        except LookupError:
            name = "utf-8"
        _CHARSET_CACHE[charset] = name
    return name


def decode_bytes(raw: bytes, charset: bytes | str | None = None) -> str:
    """Decode header or body bytes: the given charset, else UTF-8, else Windows-1252 (never fails)."""
    if charset:
        cs = charset.encode("ascii", "replace") if isinstance(charset, str) else charset
        return raw.decode(_codec_name(cs), "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _decode_word(m: re.Match[bytes]) -> bytes:
    word = m.group(0)
    got = _WORD_MEMO.get(word)
    if got is None:
        got = _decode_one_word(m.group(1), m.group(2), m.group(3), word)
        if len(_WORD_MEMO) >= _MEMO_MAX:
            _WORD_MEMO.clear()
        _WORD_MEMO[word] = got
    return got


def _decode_one_word(charset: bytes, enc: bytes, text: bytes, word: bytes) -> bytes:
    try:
        if enc in (b"B", b"b"):
            data = base64.b64decode(text + b"=" * (-len(text) % 4))
        else:
            data = _Q_HEX.sub(_hex_byte, text.replace(b"_", b" "))
    except (binascii.Error, ValueError):
        return word
    # Re-encode as UTF-8 so adjacent words in different charsets concatenate safely.
    return data.decode(_codec_name(charset), "replace").encode("utf-8", "surrogatepass")


def _hex_byte(h: re.Match[bytes]) -> bytes:
    return bytes((int(h.group(1), 16),))


#: Encoded words repeat (a sender's name, a list's subject tag): each distinct one is decoded once.
_WORD_MEMO: dict[bytes, bytes] = {}


def decode_header(raw: bytes) -> str:
    """Unfold and decode one header value for display (RFC 2047 encoded-words, raw 8-bit as UTF-8/cp1252)."""
    if b"\n" in raw:
        raw = _FOLD.sub(b" ", raw)
    if b"=?" in raw:
        raw = _BETWEEN_WORDS.sub(b"?==?", raw)  # RFC 2047 6.2: whitespace between encoded-words is dropped
        raw = _ENCODED_WORD.sub(_decode_word, raw)
    return decode_bytes(raw.strip())


def _split_addresses(value: bytes) -> list[bytes]:
    """Split an address list on commas outside quotes, angle brackets and comments."""
    if b'"' not in value and b"(" not in value and b"<" not in value:
        return value.split(b",")
    parts: list[bytes] = []
    depth_angle = depth_paren = 0
    quoted = False
    start = 0
    i = 0
    n = len(value)
    while i < n:
        c = value[i]
        if quoted:
            if c == 0x5C:  # backslash escapes the next char
                i += 1
            elif c == 0x22:
                quoted = False
        elif c == 0x22:
            quoted = True
        elif c == 0x3C:
            depth_angle += 1
        elif c == 0x3E and depth_angle:
            depth_angle -= 1
        elif c == 0x28:
            depth_paren += 1
        elif c == 0x29 and depth_paren:
            depth_paren -= 1
        elif c == 0x2C and not depth_angle and not depth_paren:
            parts.append(value[start:i])
            start = i + 1
        i += 1
    parts.append(value[start:])
    return parts


def _unquote_name(name: bytes) -> bytes:
    name = name.strip()
    if len(name) >= 2 and name[:1] == b'"' and name[-1:] == b'"':
        name = name[1:-1].replace(b'\\"', b'"').replace(b"\\\\", b"\\")
    return name


_ONE_ADDRESS = re.compile(
    rb'[ \t]*(?:"([^"\\]*)"|([^",<>()\\:;@]*?))[ \t]*<([^<>\s,"]+)>[ \t]*$|[ \t]*([^\s<>",();:]+@[^\s<>",();:]+)[ \t]*$'
)


def parse_address(raw: bytes) -> tuple[str, str]:
    """The first (display name, address) of a From-like value; fast path for the common single address."""
    m = _ONE_ADDRESS.match(raw)
    if m is not None:
        addr = m.group(3) or m.group(4)
        name = m.group(1) or m.group(2) or b""
        if name and (b"=?" in name or name.strip() != name):
            return decode_header(name), addr.decode("utf-8", "replace")
        try:
            return name.decode("utf-8"), addr.decode("utf-8", "replace")
        except UnicodeDecodeError:
            return decode_bytes(name), addr.decode("utf-8", "replace")
    addrs = parse_addresses(raw)
    return addrs[0] if addrs else ("", decode_header(raw))


def parse_addresses(raw: bytes) -> list[tuple[str, str]]:
    """``From``/``To``/``Cc`` value -> [(display name, address)], names decoded; groups flattened."""
    if b"\n" in raw:
        raw = _FOLD.sub(b" ", raw)
    out: list[tuple[str, str]] = []
    for part in _split_addresses(raw):
        part = part.strip()
        if part.endswith(b";"):  # end of a group
            part = part[:-1].strip()
        if not part:
            continue
        if b":" in part and b"<" not in part.split(b":", 1)[0] and b"@" not in part.split(b":", 1)[0]:
            part = part.split(b":", 1)[1].rstrip(b";").strip()  # "group: a@b, c@d;" -> members
            if not part:
                continue
        lt = part.rfind(b"<")
        if lt >= 0:
            gt = part.find(b">", lt)
            addr = part[lt + 1 : gt if gt >= 0 else len(part)].strip()
            name = _unquote_name(part[:lt])
        else:
            addr = part
            name = b""
            lp = part.find(b"(")
            if lp >= 0:  # "a@b (Name)"
                rp = part.rfind(b")")
                name = part[lp + 1 : rp if rp > lp else len(part)].strip()
                addr = part[:lp].strip()
        out.append((decode_header(name) if name else "", decode_bytes(addr).strip()))
    return out


def format_addresses(addrs: list[tuple[str, str]]) -> str:
    """[(name, addr)] -> ``Name <addr>, addr2`` for display and full-text search."""
    out = []
    for n, a in addrs:
        if n and any(c in n for c in ',;:<>@"()[]\\'):
            n = '"' + n.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out.append(f"{n} <{a}>" if n else a)
    return ", ".join(out)


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec")
    )
}
_DATE = re.compile(
    rb"(?:[A-Za-z]{3},?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[a-z]*[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    rb"(?:\s*([+-]\d{4}|[A-Za-z]{1,5}))?"
)
_ZONES = {b"UT": 0, b"GMT": 0, b"Z": 0, b"EST": -500, b"EDT": -400, b"CST": -600, b"CDT": -500}
_ZONES.update({b"MST": -700, b"MDT": -600, b"PST": -800, b"PDT": -700})


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


_DAY_CACHE: dict[tuple[bytes, int, bytes], int] = {}


def day_seconds(year: bytes, mon: int, day: bytes) -> int:
    """Days since the epoch for textual year/day (memoized: a mailbox has few distinct days)."""
    key = (year, mon, day)
    got = _DAY_CACHE.get(key)
    if got is None:
        got = _days_from_civil(int(year), mon, int(day))
        if len(_DAY_CACHE) < 100000:
            _DAY_CACHE[key] = got
    return got


_DAY_ZONE_CACHE: dict[bytes, int] = {}


def day_zone_base(key: bytes, year: bytes, mon: int, day: bytes, zone: bytes) -> int:
    """Epoch seconds of midnight of a day in a ``+hhmm`` zone, memoized under ``key``.

    A mailbox has few distinct (day, zone) pairs, so the date fast paths cost one dict lookup
    plus the time of day.
    """
    got = _DAY_ZONE_CACHE.get(key)
    if got is None:
        off = int(zone[1:3]) * 3600 + int(zone[3:5]) * 60
        got = day_seconds(year, mon, day) * 86400 - (off if zone[:1] == b"+" else -off)
        if len(_DAY_ZONE_CACHE) < 100000:
            _DAY_ZONE_CACHE[key] = got
    return got


def parse_date(raw: bytes) -> int | None:
    """RFC 5322 ``Date`` (or IMAP INTERNALDATE) -> seconds since the epoch (UTC); None if unparseable."""
    if len(raw) == 31 and raw[3:5] == b", " and raw[19:20] == b":" and raw[22:23] == b":":
        base = _DAY_ZONE_CACHE.get(raw[5:16] + raw[26:31])
        if base is not None:  # seen this day and zone before: only the time of day is new
            try:
                return base + int(raw[17:19]) * 3600 + int(raw[20:22]) * 60 + int(raw[23:25])
            except ValueError:
                pass
    if len(raw) == 31 and raw[3:5] == b", " and raw[25:26] == b" " and raw[26:27] in b"+-":
        # The canonical "Tue, 14 Nov 2023 22:13:20 +0000": slice instead of a regex.
        mon = _MONTHS.get(raw[8:11].lower())
        if mon is not None and raw[19:20] == b":" and raw[22:23] == b":":
            try:
                secs = int(raw[17:19]) * 3600 + int(raw[20:22]) * 60 + int(raw[23:25])
                return day_zone_base(raw[5:16] + raw[26:31], raw[12:16], mon, raw[5:7], raw[26:31]) + secs
            except ValueError:
                pass
    m = _DATE.search(raw)
    if m is not None:
        mon = _MONTHS.get(m.group(2).lower())
        if mon is not None:
            year = int(m.group(3))
            if year < 100:
                year += 2000 if year < 50 else 1900
            day = int(m.group(1))
            hh, mm = int(m.group(4)), int(m.group(5))
            ss = int(m.group(6) or 0)
            zone = m.group(7) or b"+0000"
            if zone[:1] in b"+-":
                off = int(zone[1:3]) * 3600 + int(zone[3:5]) * 60
                if zone[:1] == b"-":
                    off = -off
            else:
                z = _ZONES.get(zone.upper(), 0)
                off = (z // 100) * 3600
            if 1 <= day <= 31 and hh < 24 and mm < 60 and ss <= 61:
                return _days_from_civil(year, mon, day) * 86400 + hh * 3600 + mm * 60 + ss - off
    try:
        t = email.utils.parsedate_tz(raw.decode("ascii", "replace"))
    except (TypeError, ValueError, IndexError):
        return None
    if t is None:
        return None
    try:
        return int(email.utils.mktime_tz(t))
    except (OverflowError, ValueError):
        return None


def parse_header_block(block: bytes) -> dict[bytes, bytes]:
    """``Name: value`` lines (folded or not) -> {lower-case name: raw value}; the first occurrence wins.

    Folded values are unfolded here (each line break and the blanks after it become one space).
    The usual CRLF block goes line by line, joining a field's continuation lines as they come: most
    real header blocks are folded somewhere (recipient lists, References, a boundary parameter), and
    this is ~3x cheaper than unfolding the whole block with a regex first. Anything unusual takes
    :func:`_parse_header_lines`, which defines the result.
    """
    if block[:1] in _BLANKS or block.count(b"\n") != block.count(b"\r\n") or WS_COLON.search(block) is not None:
        if b"\n " in block or b"\n\t" in block:
            block = _FOLD.sub(b" ", block)
        return _parse_header_lines(block)
    out: dict[bytes, bytes] = {}
    key: bytes | None = None  # the field a continuation line belongs to (None: one we do not keep)
    seen_field = False  # the line before was a field (kept or a repeat), not a line without a colon
    first = b""  # that field's first line, not yet stripped at its end
    folded: list[bytes] = []
    for line in block.split(b"\r\n"):
        if line[:1] in _BLANKS:
            if key is not None:
                if not folded or folded[-1] != key:
                    folded.append(key)
                    out[key] = first
                out[key] += b" " + line.lstrip(b" \t")
            elif not seen_field:  # continues a line without a colon: the joined line may be a field
                return _parse_header_lines(_FOLD.sub(b" ", block))
            continue
        name, sep, value = line.partition(b":")
        key = None
        seen_field = bool(sep)
        if sep:
            k = name.lower()
            if k not in out:
                first = value.lstrip()
                out[k] = first.rstrip()
                key = k
    for k in folded:
        out[k] = out[k].strip()
    return out


_BLANKS = (b" ", b"\t")


def unfold_value(value: bytes) -> bytes:
    """One raw field value (its continuation lines included) unfolded and stripped, as :func:`parse_header_block`."""
    if b"\n" in value:
        value = _FOLD.sub(b" ", value)
    return value.strip()


def _parse_header_lines(block: bytes) -> dict[bytes, bytes]:
    """The general case of :func:`parse_header_block` (already unfolded): any line ends, ``Name :``."""
    out: dict[bytes, bytes] = {}
    for line in block.split(b"\n"):
        name, sep, value = line.partition(b":")
        if sep:
            key = name.rstrip().lower()  # rstrip: obsolete "Name :" syntax
            if key not in out:
                out[key] = value.strip()
    return out


#: Whitespace before a colon: obsolete ``Name :`` syntax, which only the general header path handles.
WS_COLON = re.compile(rb":(?<=[ \t\r\x0b\x0c]:)")  # found from the colon: a fast literal scan


# ------------------------------------------------------------------ rows for the cache

#: Column order of the tuples :func:`header_fields` / :func:`header_row` build and
#: :meth:`app.core.mail.store.Store.insert_headers` stores.
INSERT_COLUMNS = (
    "folder_id, uid, flags, keywords, modseq, date, internaldate, size, from_name, from_addr, to_addrs, "
    "cc_addrs, subject, message_id, in_reply_to, refs, has_attachments, thread_key, base_subject, from_sort"
)

#: Per-process memos for header values that repeat across a mailbox (senders, recipients, content
#: types, thread subjects): a bulk sync decodes each distinct value once. Bounded: cleared when full.
_MEMO_MAX = 50000
_FROM_MEMO: dict[bytes, tuple[str, str, str]] = {}
_TEXT_MEMO: dict[bytes, str] = {}
_SUBJECT_MEMO: dict[bytes, tuple[str, str]] = {}
_ATTACH_MEMO: dict[bytes, int] = {}
_ATTACH_TYPES = (b"multipart/mixed", b"multipart/report", b"application/", b"image/", b"audio/", b"video/")

_V = TypeVar("_V")


def _remember(memo: dict[bytes, _V], raw: bytes, value: _V) -> _V:
    """Store ``value`` for ``raw`` in a bounded memo (the hit path stays an inline ``dict.get``)."""
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    memo[raw] = value
    return value


def _from_fields(raw: bytes) -> tuple[str, str, str]:
    """From value -> (display name, address, sort key), memoized."""
    got = _FROM_MEMO.get(raw)
    if got is None:
        name, addr = parse_address(raw)
        got = _remember(_FROM_MEMO, raw, (name, addr, (name or addr).casefold()))
    return got


def _decoded(raw: bytes) -> str:
    """A To/Cc value decoded for display, memoized."""
    got = _TEXT_MEMO.get(raw)
    if got is None:
        got = _remember(_TEXT_MEMO, raw, decode_header(raw))
    return got


def _subject_fields(raw: bytes) -> tuple[str, str]:
    """Subject value -> (decoded subject, base subject), memoized (replies repeat a subject)."""
    got = _SUBJECT_MEMO.get(raw)
    if got is None:
        subject = decode_header(raw)
        got = _remember(_SUBJECT_MEMO, raw, (subject, base_subject(subject) if subject else ""))
    return got


def _has_attachments(raw_ct: bytes) -> int:
    """1 if a top-level Content-Type suggests attachments (the list's paperclip hint), memoized."""
    got = _ATTACH_MEMO.get(raw_ct)
    if got is None:
        got = _remember(_ATTACH_MEMO, raw_ct, int(raw_ct.lower().startswith(_ATTACH_TYPES)))
    return got


def header_fields(
    block: bytes, folder_id: int, uid: int | None, flags: int, keywords: str, modseq: int | None,
    internaldate: int | None, size: int,
) -> tuple[Any, ...]:  # fmt: skip
    """A raw header block -> the row tuple for :meth:`Store.insert_headers` (decoded, ready for display).

    The hot path of a header sync: one dict of raw values, decoding only what needs it, and each
    distinct sender / recipient list / subject / content type only once (see the memos above).
    """
    get = parse_header_block(block).get
    return header_row(
        folder_id, uid, flags, keywords, modseq, internaldate, size, get(b"from"), get(b"to"), get(b"cc"),
        get(b"subject"), get(b"date"), get(b"message-id"), get(b"references"), get(b"in-reply-to"),
        get(b"content-type"),
    )  # fmt: skip


def header_row(
    folder_id: int, uid: int | None, flags: int, keywords: str, modseq: int | None, internaldate: int | None,
    size: int, raw_from: bytes | None, raw_to: bytes | None, raw_cc: bytes | None, raw_subject: bytes | None,
    raw_date: bytes | None, msgid_raw: bytes | None, refs: bytes | None, irt: bytes | None, raw_ct: bytes | None,
) -> tuple[Any, ...]:  # fmt: skip
    """Raw (unfolded, stripped) header values -> the row tuple for :meth:`Store.insert_headers`."""
    from_name, from_addr, from_sort = _from_fields(raw_from) if raw_from else ("", "", "")
    # To/Cc are shown decoded as written (quotes and all); parsing every address is not worth it here.
    subject, bsub = _subject_fields(raw_subject) if raw_subject else ("", "")
    date = (parse_date(raw_date) if raw_date else None) or internaldate
    msgid = msgid_raw.decode("utf-8", "replace").strip() if msgid_raw else ""
    refs = refs or b""
    irt = irt or b""
    return (
        folder_id,
        uid,
        flags,
        keywords,
        modseq,
        date,
        internaldate,
        size,
        from_name,
        from_addr,
        _decoded(raw_to) if raw_to else "",
        _decoded(raw_cc) if raw_cc else "",
        subject,
        msgid,
        irt.decode("utf-8", "replace") if irt else "",
        refs.decode("utf-8", "replace") if refs else "",
        _has_attachments(raw_ct) if raw_ct else 0,
        thread_key(msgid, refs, irt, subject) or f"<no-id-{uuid.uuid4().hex}>",  # never group unrelated mail
        bsub,
        from_sort,
    )


def header_block(raw: bytes) -> bytes:
    """The header block of a whole message (up to and including the blank line), or all of it."""
    end = raw.find(b"\r\n\r\n")
    if end >= 0:
        return raw[: end + 4]
    end = raw.find(b"\n\n")
    return raw if end < 0 else raw[: end + 2]


# ------------------------------------------------------------------ search terms
#
# What the user types becomes terms: each bare word, or each "quoted phrase", must match the
# subject or the addresses (cached body text has its own index); the last bare word matches as a
# prefix (search as you type). The header index (FTS5, ``unicode61 remove_diacritics 2``) does the
# matching for indexed rows; rows a big sync stored but has not indexed yet are matched by
# :func:`term_matches`, which tokenizes the same way, so a search gives the same answer before and
# after the index pass (a Vietnamese word finds its unaccented spellings both times, a phrase its
# adjacent words, a sender address only that address).


@dataclass(frozen=True)
class SearchTerm:
    """One word or quoted phrase of a search; ``prefix``: its last token matches as a prefix."""

    text: str
    prefix: bool

    @property
    def fts(self) -> str:
        """This term as an FTS5 string (a phrase when it holds several tokens): operators never leak."""
        return '"' + self.text.replace('"', '""') + '"' + ("*" if self.prefix else "")

    @property
    def tokens(self) -> list[str]:
        return search_tokens(self.text)


def search_terms(query: str) -> list[SearchTerm]:
    """The terms of a query: balanced double quotes make one exact phrase; an unpaired quote is literal.

    Terms without any letter or digit are dropped (they can match nothing in the index).
    """
    raw: list[tuple[str, bool]] = []  # (text, quoted)
    parts = query.split('"')
    if len(parts) % 2 == 0:  # an odd number of quotes: the last one is an ordinary character
        parts[-2:] = [parts[-2] + '"' + parts[-1]]
    for i, part in enumerate(parts):
        if i % 2:
            raw.append((part, True))
        else:
            raw += [(w, False) for w in part.split()]
    raw = [(t, q) for t, q in raw if search_tokens(t)]
    return [SearchTerm(t, not q and i == len(raw) - 1) for i, (t, q) in enumerate(raw)]


def fts_terms(text: str) -> list[str]:
    """User words -> one quoted FTS5 term each (the last bare word as a prefix)."""
    return [t.fts for t in search_terms(text)]


def fts_query(text: str) -> str:
    """User words -> one FTS5 query string (all terms)."""
    return " ".join(fts_terms(text)) or '""'


def like_pattern(word: str) -> str:
    """A user word -> ``%word%`` for LIKE with ``ESCAPE '\\'`` (its own % and _ taken literally)."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def term_prefilter(term: SearchTerm) -> str | None:
    """A LIKE pattern every ASCII text matching ``term`` matches (its tokens in order), or None.

    SQLite's LIKE is cheap and folds ASCII case; texts with other characters go to
    :func:`term_matches` anyway. None when the term's tokens are not ASCII (only non-ASCII texts
    can match).
    """
    toks = term.tokens
    if not all(t.isascii() for t in toks):
        return None
    return "%" + "%".join(toks) + "%"  # tokens are letters and digits only: nothing to escape


def term_spec(term: SearchTerm) -> str:
    """A term as one string for the SQL function :func:`term_matches` (prefix flag, then tokens)."""
    return ("P " if term.prefix else "= ") + " ".join(term.tokens)


@functools.lru_cache(maxsize=64)
def _spec(spec: str) -> tuple[tuple[str, ...], bool]:
    return tuple(spec[2:].split(" ")), spec[0] == "P"


def term_matches(subject: str | None, addresses: str | None, spec: str) -> int:
    """1 if the term (:func:`term_spec`) matches the subject or the addresses as the FTS5 index would."""
    toks, prefix = _spec(spec)
    for text in (subject, addresses):
        if text and _phrase_in(search_tokens(text), toks, prefix):
            return 1
    return 0


def _phrase_in(toks: list[str], phrase: tuple[str, ...], prefix: bool) -> bool:
    n = len(phrase)
    head, last = phrase[:-1], phrase[-1]
    for i in range(len(toks) - n + 1):
        t = toks[i + n - 1]
        if (t == last or (prefix and t.startswith(last))) and (not head or tuple(toks[i : i + n - 1]) == head):
            return True
    return False


_ASCII_WORDS = re.compile(r"[a-z0-9]+")


def search_tokens(text: str) -> list[str]:
    """Words as SQLite's ``unicode61 remove_diacritics 2`` tokenizer makes them.

    Letters, digits and private-use characters form words; combining diacritics (U+0300-U+0331)
    are part of a word and dropped; case is folded; a Latin letter with diacritics becomes its
    base letter (Vietnamese "tuần" and "Tuấn" both give "tuan"; "đ" stays). Everything else
    separates words.
    """
    if text.isascii():
        return _ASCII_WORDS.findall(text.lower())
    return text.translate(_FOLD_TABLE).split()


class _FoldTable(dict[int, str]):
    """``str.translate`` table built as characters are met: separators become a space, diacritics
    vanish, letters become their folded form (see :func:`_fold_char`). ~5x faster than a loop."""

    def __missing__(self, cp: int) -> str:
        f = _fold_char(chr(cp))
        out = " " if f is None else f
        if len(self) < 65536:
            self[cp] = out
        return out


_FOLD_TABLE = _FoldTable()


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str | None:
    """A character's part of a word ("" for a diacritic to drop), or None for a separator."""
    cp = ord(ch)
    if 0x300 <= cp <= 0x331:
        return "" if unicodedata.category(ch) == "Mn" else None
    cat = unicodedata.category(ch)
    if cat[0] not in "LN" and cat != "Co":
        return None
    low = ch.lower()
    if len(low) != 1:
        low = ch
    d = unicodedata.normalize("NFD", low)
    if len(d) > 1 and d[0].isascii() and all(0x300 <= ord(c) <= 0x36F for c in d[1:]):
        return d[0]
    return low
