"""Property-based tests of the IMAP parsers: response tokenizer, bulk FETCH framing, header decoding."""

from __future__ import annotations

import email.header
import email.utils
import socket
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.accounts import Account
from app.core.errors import ProtocolError
from app.core.mail import headers as hdr
from app.core.mail.imap.fetch import (
    frame_one,
    internaldate_epoch,
    parse_meta,
    read_fetch,
    read_fetch_raw,
)
from app.core.mail.imap.response import UidRanges, quote, sequence_set, tokenize
from app.core.mail.imap.session import ImapSession
from app.core.mail.imap.sync import parse_fetch_chunk, parse_header_batch
from app.core.mail.store import header_fields


def test_tokenize_fetch_with_literal_and_nested_lists() -> None:
    toks = tokenize(b'1 FETCH (UID 7 FLAGS (\\Seen $X) BODY[HEADER.FIELDS (FROM TO)] {5} X "q\\"s" NIL)', [b"hello"])
    assert toks == [
        "1",
        "FETCH",
        ["UID", "7", "FLAGS", ["\\Seen", "$X"], "BODY[HEADER.FIELDS (FROM TO)]", b"hello", "X", b'q"s', None],
    ]


@given(st.binary())
def test_tokenize_quoted_round_trip(value: bytes) -> None:
    value = value.replace(b"\r", b"").replace(b"\n", b"")
    assert tokenize(b"(" + quote(value) + b")") == [[value]]


@given(st.lists(st.integers(min_value=1, max_value=5000), max_size=200))
def test_sequence_sets_round_trip(uids: list[int]) -> None:
    ranges = UidRanges.parse(sequence_set(uids))
    assert ranges.expand(len(uids)) == sorted(set(uids))
    assert all(u in ranges for u in uids) and 0 not in ranges and 5001 not in ranges


def test_uid_ranges_count_position_and_limit() -> None:
    r = UidRanges.parse("1:3,7,10:8")
    assert len(r) == 7 and r.expand(7) == [1, 2, 3, 7, 10, 9, 8]
    assert [r.position(u) for u in (1, 3, 7, 10, 8, 5)] == [0, 2, 3, 4, 6, None]
    assert [r.at(i) for i in (0, 3, 4, 6, 7)] == [1, 7, 10, 8, None]
    with pytest.raises(ProtocolError, match="at most 6"):
        r.expand(6)
    for bad in ("1:*", "a", "0", "4294967296", "1,,2", "1:"):
        with pytest.raises(ProtocolError):
            UidRanges.parse(bad)


def frame_fetch_chunk(chunk: bytes) -> tuple[list[tuple[bytes, bytes | None]], list[bytes]]:
    """The generic framing alone, response by response: the oracle for the one-match fast path."""
    items: list[tuple[bytes, bytes | None]] = []
    others: list[bytes] = []
    pos = 0
    while pos < len(chunk):
        pos = frame_one(chunk, pos, items, others)
    return items, others


class _FeedSession(ImapSession):
    """A session over a socketpair: the test writes server bytes, in whatever chunks it likes."""

    def __init__(self) -> None:
        super().__init__(Account("imap", "127.0.0.1", 1, "u"), "pw")
        mine, self.peer = socket.socketpair()
        mine.settimeout(10)
        self.wire = self._make_wire(mine)


_header_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r\n"), max_size=60
)


@settings(max_examples=60, deadline=None)
@given(
    subjects=st.lists(_header_text, min_size=1, max_size=8),
    cuts=st.lists(st.integers(min_value=1, max_value=400), max_size=20),
    flags=st.sampled_from([b"", b"\\Seen", b"\\Seen \\Flagged $Work"]),
)
def test_fetch_framing_any_chunking(subjects: list[str], cuts: list[int], flags: bytes) -> None:
    stream = b""
    for i, s in enumerate(subjects, 1):
        block = b"Subject: " + email.header.Header(s, "utf-8").encode().encode() + b"\r\nFrom: a@b.test\r\n\r\n"
        stream += (
            b'* %d FETCH (UID %d FLAGS (%s) INTERNALDATE "23-Nov-2026 05:53:31 +0000" RFC822.SIZE 42 '
            b"BODY[HEADER.FIELDS (SUBJECT FROM)] {%d}\r\n%s)\r\n" % (i, i * 10, flags, len(block), block)
        )
        if i == 1:
            stream += b"* 9 EXISTS\r\n* 3 FETCH (UID 30 FLAGS (\\Deleted))\r\n"
    stream += b"Q0001 OK done\r\n"
    sess = _FeedSession()

    def feed() -> None:
        pos = 0
        for c in [*cuts, len(stream)]:
            sess.peer.sendall(stream[pos : pos + c])
            pos += c
            if pos >= len(stream):
                break
        if pos < len(stream):
            sess.peer.sendall(stream[pos:])

    t = threading.Thread(target=feed)
    t.start()
    got: list[tuple[bytes, bytes | None]] = []
    read_fetch(sess, "Q0001", lambda m, lit: got.append((m, lit)))
    t.join()
    with_body = [(m, lit) for m, lit in got if lit is not None]
    assert len(with_body) == len(subjects)
    for (meta, lit), s, i in zip(with_body, subjects, range(1, 100), strict=False):
        m = parse_meta(meta)
        assert m.uid == i * 10 and m.size == 42 and m.flags == flags
        row = header_fields(lit, 1, m.uid, 0, "", m.modseq, m.internaldate, m.size)
        assert "".join(row[12].split()) == "".join(s.split())
    assert [parse_meta(m).uid for m, lit in got if lit is None] == [30]
    assert [r.text for r in sess.untagged] == [b"9 EXISTS"]
    sess.close()
    sess.peer.close()


def _other_order_response(uid: int) -> bytes:
    """A FETCH response in another server's item order, with two literals: the generic framing path."""
    block = b"From: x@y.test\r\n\r\n"
    return (
        b"* 99 FETCH (BODY[HEADER.FIELDS (FROM)] {%d}\r\n%s RFC822.SIZE 7 UID %d FLAGS (\\Seen) "
        b"X-EXTRA {3}\r\nabc)\r\n" % (len(block), block, uid)
    )


@settings(max_examples=60, deadline=None)
@given(
    subjects=st.lists(_header_text, min_size=1, max_size=8),
    cuts=st.lists(st.integers(min_value=1, max_value=400), max_size=20),
    flags=st.sampled_from([b"", b"\\Seen", b"\\Seen \\Flagged $Work"]),
    modseq=st.booleans(),
)
def test_raw_fetch_then_chunk_framing_any_chunking(
    subjects: list[str], cuts: list[int], flags: bytes, modseq: bool
) -> None:
    """The bulk path (raw bytes up to the completion, framed elsewhere) sees what read_fetch sees."""
    stream = b""
    for i, s in enumerate(subjects, 1):
        block = b"Subject: " + email.header.Header(s, "utf-8").encode().encode() + b"\r\nFrom: a@b.test\r\n\r\n"
        ms = b"MODSEQ (%d) " % (i + 5) if modseq else b""
        stream += (
            b'* %d FETCH (UID %d FLAGS (%s) INTERNALDATE "23-Nov-2026 05:53:31 +0000" RFC822.SIZE 42 %s'
            b"BODY[HEADER.FIELDS (SUBJECT FROM)] {%d}\r\n%s)\r\n" % (i, i * 10, flags, ms, len(block), block)
        )
        if i == 1:
            stream += b"* 9 EXISTS\r\n* 3 FETCH (UID 30 FLAGS (\\Deleted))\r\nQ0002 OK early\r\n"
            stream += _other_order_response(77)
    tail = b"Q0001 OK done\r\n* 10 EXISTS\r\n"
    stream += tail
    sess = _FeedSession()

    def feed() -> None:
        pos = 0
        for c in cuts:
            sess.peer.sendall(stream[pos : pos + c])
            pos += c
            if pos >= len(stream):
                return
        sess.peer.sendall(stream[pos:])

    t = threading.Thread(target=feed)
    t.start()
    chunk, resp = read_fetch_raw(sess, "Q0001", ["Q0002"])
    t.join()
    assert resp.status == "OK" and sess.completed["Q0002"].status == "OK"
    assert chunk + tail == stream
    assert sess.require_wire().readline() == b"* 10 EXISTS"  # what followed the completion stays for the next reader
    items, others = frame_fetch_chunk(chunk)
    assert others == [b"* 9 EXISTS", b"Q0002 OK early"]
    with_body = [(parse_meta(m), lit) for m, lit in items if lit is not None]
    assert sorted(m.uid or 0 for m, _ in with_body) == sorted([77, *(i * 10 for i in range(1, len(subjects) + 1))])
    assert all(lit is not None and lit.endswith(b"\r\n\r\n") for _, lit in with_body)
    assert [parse_meta(m).uid for m, lit in items if lit is None] == [30]
    rows, flag_changes, _ = parse_fetch_chunk(1, chunk)
    assert sorted(r[1] for r in rows) == sorted(r[1] for r in parse_header_batch(1, items)[0])
    assert flag_changes == [(30, 8, "", None)]
    by_uid = {r[1]: r for r in rows}
    for i, s in enumerate(subjects, 1):
        assert "".join(by_uid[i * 10][12].split()) == "".join(s.split())
        assert by_uid[i * 10][4] == ((i + 5) if modseq else None)
    assert by_uid[77][9] == "x@y.test" and by_uid[77][7] == 7
    sess.close()
    sess.peer.close()


def test_raw_fetch_failure_raises_server_error() -> None:
    from app.core.errors import ServerError

    sess = _FeedSession()
    sess.peer.sendall(b"* 1 EXISTS\r\nQ0001 NO [SERVERBUG] nope\r\n")
    try:
        read_fetch_raw(sess, "Q0001")
    except ServerError as e:
        assert "nope" in str(e)
    else:
        raise AssertionError("no ServerError")
    sess.close()
    sess.peer.close()


@given(st.datetimes(timezones=st.timezones()))
def test_dates_match_the_stdlib(dt: object) -> None:
    import datetime as _dt

    assert isinstance(dt, _dt.datetime)
    if dt.year < 1900 or dt.utcoffset() is None or dt.utcoffset().seconds % 60:  # type: ignore[union-attr]
        return
    text = email.utils.format_datetime(dt.replace(microsecond=0))
    want = int(dt.replace(microsecond=0).timestamp())
    assert hdr.parse_date(text.encode()) == want
    assert hdr.parse_date(text.encode()) == want  # again, from the (day, zone) memo
    idate = dt.strftime("%d-%b-%Y %H:%M:%S %z").encode()
    assert internaldate_epoch(idate) == want
    assert internaldate_epoch(idate) == want


@given(st.binary(max_size=300))
def test_header_decoders_never_raise(raw: bytes) -> None:
    hdr.decode_header(raw)
    hdr.parse_addresses(raw)
    hdr.parse_address(raw)
    hdr.parse_date(raw)
    hdr.parse_header_block(raw)
    header_fields(raw, 1, None, 0, "", None, None, 0)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_encoded_words_round_trip(text: str) -> None:
    encoded = email.header.Header(text, "utf-8").encode().encode()
    # Folding may move whitespace around; the characters must all come back.
    assert "".join(hdr.decode_header(encoded).split()) == "".join(text.split())


def test_address_parsing() -> None:
    assert hdr.parse_addresses(b'"Doe, John" <j@x.test>, jane@x.test (Jane), Grp: a@b.test, c@d.test;') == [
        ("Doe, John", "j@x.test"),
        ("Jane", "jane@x.test"),
        ("", "a@b.test"),
        ("", "c@d.test"),
    ]
    assert hdr.parse_address(b"=?iso-8859-1?q?J=F6rg?= <j@x.test>") == ("Jörg", "j@x.test")
    assert hdr.format_addresses([("Doe, John", "j@x.test"), ("", "a@b")]) == '"Doe, John" <j@x.test>, a@b'
    assert hdr.decode_header(b"=?unknown-charset?q?abc?=") == "abc"
    assert hdr.decode_header("Grüße".encode("cp1252")) == "Grüße"


def test_pipelined_completions_out_of_order() -> None:
    sess = _FeedSession()
    sess.peer.sendall(
        b"* 1 FETCH (UID 5 FLAGS (\\Seen))\r\nQ0002 OK second\r\n* 2 FETCH (UID 6 FLAGS ())\r\nQ0001 OK first\r\n"
    )
    got: list[bytes] = []
    assert read_fetch(sess, "Q0001", lambda m, lit: got.append(m)).text == b"OK first"
    assert read_fetch(sess, "Q0002", lambda m, lit: got.append(m)).text == b"OK second"
    assert [parse_meta(m).uid for m in got] == [5, 6]
    sess.close()
    sess.peer.close()


_line = st.tuples(
    st.sampled_from(["From", "to", "SUBJECT", "Date", "X-a", "", " x", "Cc ", "Re\x0b"]),
    st.sampled_from([":", ": ", "", " : "]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.sampled_from(["\r\n", "\n", "\r\n\t", "\r\r\n"]),
)


@given(st.lists(_line, max_size=8))
def test_header_block_fast_path_matches_general_case(lines: list[tuple[str, str, str, str]]) -> None:
    block = "".join(n + sep + v + end for n, sep, v, end in lines).encode("utf-8", "surrogatepass") + b"\r\n"
    unfolded = hdr._FOLD.sub(b" ", block)
    assert hdr.parse_header_block(block) == hdr._parse_header_lines(unfolded)


_field_line = st.tuples(
    st.sampled_from(["From", "to", "SUBJECT", "Date", "Message-ID", "References", "Content-Type", "X-a", "Cc "]),
    st.sampled_from([": ", ":", " : "]),
    st.sampled_from(["a@b.test", "=?utf-8?q?J=C3=B6rg?= <j@x.test>", "Re: hi  ", "<1@x> <2@y>", "", "Mon, 1 Jan 2024"]),
    st.sampled_from(["\r\n", "\n", "\r\n\t", "\r\n "]),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(_field_line, max_size=6), min_size=1, max_size=4))
def test_one_match_row_path_matches_the_general_one(blocks: list[list[tuple[str, str, str, str]]]) -> None:
    """parse_fetch_chunk's single-regex rows equal framing + parse_header_batch's (duplicates, folds, bare LFs)."""
    chunk = b""
    for uid, lines in enumerate(blocks, 1):
        lit = "".join(n + sep + v + end for n, sep, v, end in lines).encode() + b"\r\n"
        chunk += (
            b'* %d FETCH (UID %d FLAGS (\\Seen) INTERNALDATE "23-Nov-2026 05:53:31 +0000" RFC822.SIZE 9 '
            b"BODY[HEADER.FIELDS (FROM)] {%d}\r\n%s)\r\n" % (uid, uid, len(lit), lit)
        )
    rows, _, _ = parse_fetch_chunk(1, chunk)
    items, _ = frame_fetch_chunk(chunk)
    want = parse_header_batch(1, items)[0]

    def same(r: tuple[object, ...]) -> tuple[object, ...]:
        return tuple(x for i, x in enumerate(r) if i != 17 or not str(x).startswith("<no-id"))

    assert [same(r) for r in rows] == [same(r) for r in want]
