"""Property-based tests of the IMAP parsers: response tokenizer, bulk FETCH framing, header decoding."""

from __future__ import annotations

import email.header
import email.utils
import socket
import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.accounts import Account
from app.core.mail import headers as hdr
from app.core.mail.imap.fetch import internaldate_epoch, parse_meta, read_fetch
from app.core.mail.imap.response import parse_sequence_set, quote, sequence_set, tokenize
from app.core.mail.imap.session import ImapSession
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
    assert parse_sequence_set(sequence_set(uids)) == sorted(set(uids))


class _FeedSession(ImapSession):
    """A session over a socketpair: the test writes server bytes, in whatever chunks it likes."""

    def __init__(self) -> None:
        super().__init__(Account("imap", "127.0.0.1", 1, "u"), "pw")
        self.sock, self.peer = socket.socketpair()
        self.sock.settimeout(10)


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
    sess.sock.close()
    sess.peer.close()


@given(st.datetimes(timezones=st.timezones()))
def test_dates_match_the_stdlib(dt: object) -> None:
    import datetime as _dt

    assert isinstance(dt, _dt.datetime)
    if dt.year < 1900 or dt.utcoffset() is None or dt.utcoffset().seconds % 60:  # type: ignore[union-attr]
        return
    text = email.utils.format_datetime(dt.replace(microsecond=0))
    assert hdr.parse_date(text.encode()) == int(dt.replace(microsecond=0).timestamp())
    idate = dt.strftime("%d-%b-%Y %H:%M:%S %z").encode()
    assert internaldate_epoch(idate) == int(dt.replace(microsecond=0).timestamp())


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
    sess.sock.close()
    sess.peer.close()
