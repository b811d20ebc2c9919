"""A hostile IMAP server cannot exhaust our memory (issue 9 item 10).

Each answer here is something no real server sends on demand, so a scripted
server speaking IMAP over a loopback socket (:class:`FakeImapServer`) sends it:
a literal of a terabyte, a line that never ends, ``VANISHED (EARLIER)
1:4294967295``, an ESEARCH ``ALL`` range of four billion UIDs, a COPYUID of
the same size. Every one ends in a :class:`ProtocolError` naming the limit, or
is clamped against what the folder holds, within a few megabytes.
"""

from __future__ import annotations

import re
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.core.errors import ProtocolError
from app.core.mail.imap import folders
from app.core.mail.imap.fetch import read_fetch, read_fetch_raw
from app.core.mail.imap.sync import sync_folder
from app.core.mail.imap.transport import MAX_LITERAL
from app.core.mail.store import Store
from tests.core.mail.imap_helpers import fake_imap, fake_session

TERABYTE = 1_000_000_000_000


@contextmanager
def peak_memory_below(mib: int) -> Iterator[None]:
    """Fail if Python allocates more than ``mib`` MiB at any moment inside the block."""
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < mib << 20, f"peak {peak >> 20} MiB"


def _word(line: bytes) -> bytes:
    """The command word after the tag (``UID SEARCH`` -> ``SEARCH``)."""
    parts = [*line.split(b" "), b"", b""]
    return parts[2].upper() if parts[1].upper() == b"UID" else parts[1].upper()


def _select_answer(tag: bytes, exists: int, extra: bytes = b"", uidnext: int | None = None) -> bytes:
    return (
        b"* %d EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT %d] ok\r\n* OK [HIGHESTMODSEQ 9] ok\r\n%s"
        b"%s OK [READ-WRITE] selected\r\n" % (exists, uidnext or exists + 1, extra, tag)
    )


def test_terabyte_literal_is_refused_on_every_path() -> None:
    big = b"{%d}\r\n" % TERABYTE

    def handler(tag: bytes, line: bytes) -> bytes | None:
        word = _word(line)
        if word == b"LIST":
            return b'* LIST () "/" ' + big
        if word == b"SELECT":
            return _select_answer(tag, 1)
        if word == b"FETCH":
            return b"* 1 FETCH (UID 1 BODY[] " + big
        return None

    with fake_imap(handler) as srv, peak_memory_below(16):
        # imapclient's path (LIST runs through imaplib)
        s = fake_session(srv)
        with pytest.raises(ProtocolError, match=f"{TERABYTE} bytes, above the limit of {MAX_LITERAL}"):
            folders.list_folders(s)
        assert not s.connected
        # our hand-written single command
        s = fake_session(srv)
        s.select("INBOX")
        with pytest.raises(ProtocolError, match=str(MAX_LITERAL)):
            s.command("UID FETCH", "1", "(BODY.PEEK[])")
        # the bulk FETCH reader
        s = fake_session(srv)
        s.select("INBOX")
        tag = s.send_command([b"UID FETCH", b"1", b"(UID BODY.PEEK[])"])
        with pytest.raises(ProtocolError, match=str(MAX_LITERAL)):
            read_fetch(s, tag, lambda meta, literal: None)


def test_a_line_that_never_ends_is_refused_naming_the_limit() -> None:
    endless = b"* OK " + b"a" * 300_000  # and then nothing: no CRLF

    def handler(tag: bytes, line: bytes) -> bytes | None:
        word = _word(line)
        if word == b"SELECT":
            return _select_answer(tag, 1)
        if word in (b"NOOP", b"FETCH", b"XLONG"):
            return endless
        return None

    limit = 65536
    with fake_imap(handler) as srv, peak_memory_below(16):
        s = fake_session(srv, max_line=limit)
        with pytest.raises(ProtocolError, match=f"longer than {limit} bytes"):
            s.noop()  # imaplib reads it
        s = fake_session(srv, max_line=limit)
        with pytest.raises(ProtocolError, match=f"longer than {limit} bytes"):
            s.command("XLONG")
        s = fake_session(srv, max_line=limit)
        s.select("INBOX")
        tag = s.send_command([b"UID FETCH", b"1", b"(UID FLAGS)"])
        with pytest.raises(ProtocolError, match=f"longer than {limit} bytes"):
            read_fetch(s, tag, lambda meta, literal: None)


def test_a_fetch_batch_that_never_completes_is_refused() -> None:
    flood = b"".join(b"* %d FETCH (UID %d FLAGS ())\r\n" % (i, i) for i in range(1, 20001))

    def handler(tag: bytes, line: bytes) -> bytes | None:
        if _word(line) == b"SELECT":
            return _select_answer(tag, 1)
        return flood  # never the tagged completion

    with fake_imap(handler) as srv:
        s = fake_session(srv, max_literal=1 << 18)
        s.select("INBOX")
        tag = s.send_command([b"UID FETCH", b"1:*", b"(UID FLAGS)"])
        with pytest.raises(ProtocolError, match=f"more than {1 << 18} bytes"):
            read_fetch_raw(s, tag)


def _header_fetch(tag: bytes, uids: list[int]) -> bytes:
    out = b""
    for u in uids:
        block = b"From: a@example.test\r\nSubject: message %d\r\n\r\n" % u
        out += (
            b'* %d FETCH (UID %d FLAGS () INTERNALDATE "23-Nov-2026 05:53:31 +0000" RFC822.SIZE 42 MODSEQ (3) '
            b"BODY[HEADER.FIELDS (FROM SUBJECT)] {%d}\r\n%s)\r\n" % (u, u, len(block), block)
        )
    return out + tag + b" OK fetched\r\n"


def _uids_in(line: bytes) -> list[int]:
    m = re.search(rb"FETCH (\S+) ", line)
    assert m is not None
    out: list[int] = []
    for part in m.group(1).split(b","):
        a, _, b = part.partition(b":")
        out.extend(range(int(a), int(b or a) + 1))
    return out


class _Folder:
    """The fake's one folder: 5 messages; after the first sync, QRESYNC says everything ever vanished."""

    def __init__(self) -> None:
        self.selects = 0

    def __call__(self, tag: bytes, line: bytes) -> bytes | None:
        word = _word(line)
        if word == b"SELECT":
            self.selects += 1
            if b"QRESYNC" in line:
                return _select_answer(tag, 0, b"* VANISHED (EARLIER) 1:4294967295\r\n", uidnext=6)
            return _select_answer(tag, 5)
        if word == b"SEARCH":
            return b'* ESEARCH (TAG "%s") UID ALL 1:5\r\n%s OK searched\r\n' % (tag, tag)
        if word == b"FETCH":
            return _header_fetch(tag, _uids_in(line))
        return None


def test_vanished_earlier_of_every_uid_is_clamped_to_the_cache(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "mail.sqlite3")
    aid = store.ensure_account("imap:user@fake", "imap")
    fid = store.ensure_imap_folder(aid, "INBOX", "INBOX")
    script = _Folder()
    with fake_imap(script) as srv:
        s = fake_session(srv)
        assert s.qresync
        first = sync_folder(s, store, fid)
        assert (first.strategy, first.new, store.count(fid)) == ("full", 5, 5)
        t0 = time.monotonic()
        with peak_memory_below(16):
            again = sync_folder(s, store, fid)
        assert time.monotonic() - t0 < 5
        assert (again.strategy, again.expunged, store.count(fid)) == ("qresync", 5, 0)
        s.logout()
    store.close()


def test_esearch_range_beyond_the_folder_is_refused(tmp_path: Path) -> None:
    def handler(tag: bytes, line: bytes) -> bytes | None:
        word = _word(line)
        if word == b"SELECT":
            return _select_answer(tag, 3)
        if word == b"SEARCH":
            return b'* ESEARCH (TAG "%s") UID ALL 1:4294967295\r\n%s OK searched\r\n' % (tag, tag)
        return None

    store = Store.open(tmp_path / "mail.sqlite3")
    aid = store.ensure_account("imap:user@fake", "imap")
    fid = store.ensure_imap_folder(aid, "INBOX", "INBOX")
    with fake_imap(handler) as srv, peak_memory_below(16):
        s = fake_session(srv)
        s.select("INBOX")
        with pytest.raises(ProtocolError, match="named 4294967295 UIDs where at most 3 can exist"):
            s.uid_search("ALL")
        with pytest.raises(ProtocolError, match="at most 3"):
            sync_folder(s, store, fid)  # the full sync's UID list, same answer
    assert store.count(fid) == 0
    store.close()


def test_copyuid_of_every_uid_is_read_without_expanding() -> None:
    def handler(tag: bytes, line: bytes) -> bytes | None:
        word = _word(line)
        if word == b"SELECT":
            return _select_answer(tag, 3)
        if word == b"COPY":
            return tag + b" OK [COPYUID 9 1:4294967295 4294967295:1] copied\r\n"
        return None

    with fake_imap(handler) as srv, peak_memory_below(16):
        s = fake_session(srv)
        s.select("INBOX")
        assert s.copy([7], "Archive") == {7: 4294967295 - 6}


def test_idle_poll_sees_responses_already_buffered() -> None:
    """imapclient polls the socket; an EXISTS that came in one packet with ``+ idling`` is seen at once."""

    def handler(tag: bytes, line: bytes) -> bytes | None:
        word = _word(line)
        if word == b"SELECT":
            return _select_answer(tag, 1)
        if word == b"IDLE":
            return b"+ idling\r\n* 2 EXISTS\r\n"
        return None

    with fake_imap(handler) as srv:
        s = fake_session(srv)
        s.select("INBOX")
        s.idle_start()
        t0 = time.monotonic()
        got = s.idle_check(10)
        assert time.monotonic() - t0 < 2 and (2, b"EXISTS") in got
        assert s.exists == 2
        s.close()
