"""Header sync against the real Dovecot, with and without CONDSTORE/QRESYNC."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.core.errors import Cancelled, NetworkError
from app.core.mail.imap.session import ImapSession
from app.core.mail.imap.sync import SyncProgress, sync_folder
from app.core.mail.store import FLAGGED, SEEN, Store
from tests.core.mail.imap_helpers import cache, deliver_many, fault_proxy, make_message, session
from tests.servers.dovecot import DovecotServer


@pytest.fixture(params=["dovecot", "dovecot_nocondstore"])
def server(request: pytest.FixtureRequest) -> DovecotServer:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


@pytest.fixture
def user(server: DovecotServer) -> str:
    return server.new_user()[0]


def _inbox(store: Store, aid: int) -> int:
    f = store.folder_by_name(aid, "INBOX")
    assert f is not None
    return f.id


def _server_uids(server: DovecotServer, user: str, folder: str = "INBOX") -> list[int]:
    s = session(server, user)
    s.select(folder)
    uids = s.uid_search("ALL")
    s.logout()
    return sorted(uids)


def test_full_then_incremental_sync(server: DovecotServer, user: str, tmp_path: Path) -> None:
    deliver_many(server, user, 30)
    sess = session(server, user)
    store, aid = cache(tmp_path, server, user, sess)
    fid = _inbox(store, aid)
    seen: list[SyncProgress] = []
    r = sync_folder(sess, store, fid, progress=seen.append, first_batch=5, batch_size=10)
    assert r.new == 30 and r.total == 30
    assert seen and seen[-1].done == 30 and seen[-1].total == 30
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    rows = store.list_messages(fid, sort="uid")
    assert [x.uid for x in rows] == list(range(30, 0, -1))
    assert rows[-1].subject == "Message number 0"
    assert rows[0].from_name == "Alice Example" and rows[0].from_addr == "alice@example.test"

    # Nothing changed: nothing fetched.
    r2 = sync_folder(sess, store, fid)
    assert (r2.new, r2.flags_changed, r2.expunged) == (0, 0, 0)
    assert r2.strategy == ("qresync" if server.condstore else "compare")

    # A second client flags one, expunges two, and new mail arrives.
    other = session(server, user)
    other.select("INBOX")
    other.command("UID STORE", "3", "+FLAGS (\\Flagged \\Seen $Work)")
    other.command("UID STORE", "5,6", "+FLAGS (\\Deleted)")
    other.command("UID EXPUNGE", "5,6")
    other.logout()
    server.deliver(user, make_message(100, subject="Fresh one"))
    r3 = sync_folder(sess, store, fid)
    assert r3.flags_changed >= 1 and r3.expunged == 2 and r3.new == 1
    row3 = store.row_by_uid(fid, 3)
    assert row3 is not None
    assert row3.flag_bits & FLAGGED and row3.flag_bits & SEEN and "$Work" in row3.flags
    assert store.row_by_uid(fid, 5) is None and store.row_by_uid(fid, 6) is None
    assert store.cached_uids(fid) == _server_uids(server, user)
    assert store.list_messages(fid, limit=1)[0].subject == "Fresh one"
    sess.logout()
    store.close()


def test_uidvalidity_change_drops_the_folder_cache(server: DovecotServer, user: str, tmp_path: Path) -> None:
    deliver_many(server, user, 5, folder="Work")
    sess = session(server, user)
    store, aid = cache(tmp_path, server, user, sess)
    work = store.folder_by_name(aid, "Work")
    assert work is not None
    assert sync_folder(sess, store, work.id).new == 5
    old = store.folder(work.id)
    assert old is not None and old.uidvalidity is not None
    sess.command("UNSELECT")
    sess.selected = None
    server.doveadm("mailbox", "update", "-u", user, "--uid-validity", str(old.uidvalidity + 1000), "Work")
    r = sync_folder(sess, store, work.id)
    assert r.uidvalidity_reset
    new = store.folder(work.id)
    assert new is not None and new.uidvalidity == old.uidvalidity + 1000
    assert store.count(work.id) == 5
    assert store.cached_uids(work.id) == _server_uids(server, user, "Work")
    sess.logout()


@pytest.mark.parametrize("bulk", [False, True], ids=["inline", "helper-process"])
def test_connection_dropped_mid_fetch_resumes_without_loss_or_duplicates(
    server: DovecotServer, user: str, tmp_path: Path, bulk: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if bulk:  # the big-sync path: raw bytes to a helper process that parses and commits
        from app.core.mail.imap import sync as sync_mod

        monkeypatch.setattr(sync_mod, "PARALLEL_PARSE_MIN", 1)
    deliver_many(server, user, 60)
    store = Store.open(tmp_path / "mail.sqlite3")
    with fault_proxy(server.imap_port, cut_after=9000) as proxy:
        sess = session(server, user, port=proxy.port)
        from app.core.mail.imap.folders import refresh_folders
        from tests.core.mail.imap_helpers import account

        acc = account(server, user)
        aid = store.ensure_account(acc.key, "imap")
        refresh_folders(sess, store, aid)
        fid = _inbox(store, aid)
        with pytest.raises(NetworkError):
            sync_folder(sess, store, fid, first_batch=10, batch_size=10)
        assert proxy.cuts == 1
    partial = store.count(fid)
    assert 0 < partial < 60  # whole batches were committed, the cut one was not
    f = store.folder(fid)
    assert f is not None and not f.sync_complete
    sess2 = session(server, user)
    r = sync_folder(sess2, store, fid)
    assert r.new == 60 - partial
    uids = store.cached_uids(fid)
    assert uids == _server_uids(server, user) and len(set(uids)) == 60
    n_fts = store.conn.execute("SELECT count(*) FROM fts").fetchone()[0]
    assert n_fts == 60
    sess2.logout()


def test_cancel_keeps_committed_batches(server: DovecotServer, user: str, tmp_path: Path) -> None:
    deliver_many(server, user, 40)
    sess = session(server, user)
    store, aid = cache(tmp_path, server, user, sess)
    fid = _inbox(store, aid)
    cancel = threading.Event()

    def progress(p: SyncProgress) -> None:
        cancel.set()

    with pytest.raises(Cancelled):
        sync_folder(sess, store, fid, progress=progress, cancel=cancel, first_batch=10, batch_size=10)
    assert 10 <= store.count(fid) < 40
    sess2 = session(server, user)
    sync_folder(sess2, store, fid)
    assert store.cached_uids(fid) == _server_uids(server, user)
    sess2.logout()


def test_non_ascii_headers_decoded_for_display(
    dovecot: DovecotServer, mail_user: tuple[str, str], tmp_path: Path
) -> None:
    user = mail_user[0]
    raw = (
        b"From: =?utf-8?b?Tmd1eeG7hW4gVsSDbiBB?= <a@example.test>\r\n"
        b"To: =?iso-8859-1?q?J=F6rg?= <j@example.test>\r\n"
        b"Subject: =?utf-8?q?Th=C6=B0_m=E1=BB=A5c?= =?utf-8?q?_b=C3=A1o_c=C3=A1o?=\r\n"
        b"Date: Mon, 23 Nov 2026 05:00:00 +0700\r\nMessage-ID: <vn@example.test>\r\n"
        b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\nhi\r\n--x--\r\n"
    )
    dovecot.deliver(user, raw)
    sess = session(dovecot, user)
    store, aid = cache(tmp_path, dovecot, user, sess)
    fid = _inbox(store, aid)
    sync_folder(sess, store, fid)
    row = store.list_messages(fid)[0]
    assert row.from_name == "Nguyễn Văn A"
    assert row.subject == "Thư mục báo cáo"
    assert row.to == "Jörg <j@example.test>"
    assert row.has_attachments
    assert row.date == 1795384800  # 2026-11-22T22:00:00Z
    assert [r.id for r in store.search("báo")] == [row.id]
    sess.logout()


def test_threads_from_references_and_subject(
    dovecot: DovecotServer, mail_user: tuple[str, str], tmp_path: Path
) -> None:
    user = mail_user[0]
    dovecot.deliver(user, make_message(1, subject="Plans"))
    dovecot.deliver(user, make_message(2, subject="Re: Plans", extra="In-Reply-To: <msg1@example.test>\r\n"))
    dovecot.deliver(
        user,
        make_message(3, subject="Re: Plans", extra="References: <msg1@example.test> <msg2@example.test>\r\n"),
    )
    dovecot.deliver(user, make_message(4, subject="RE: plans"))  # broken client: no references
    dovecot.deliver(user, make_message(5, subject="Other"))
    sess = session(dovecot, user)
    store, aid = cache(tmp_path, dovecot, user, sess)
    fid = _inbox(store, aid)
    sync_folder(sess, store, fid)
    threads = store.thread_rows(fid)
    assert sorted(t[2] for t in threads) == [1, 4]
    big = next(t for t in threads if t[2] == 4)
    assert big[0] == "<msg1@example.test>"
    members = store.thread_members(big[0], fid)
    assert [m.message_id for m in members] == [f"<msg{i}@example.test>" for i in (1, 2, 3, 4)]
    sess.logout()


def test_empty_folder_and_session_reuse(server: DovecotServer, user: str, tmp_path: Path) -> None:
    sess = session(server, user)
    store, aid = cache(tmp_path, server, user, sess)
    for name in ("INBOX", "Trash", "Sent"):
        f = store.folder_by_name(aid, name)
        assert f is not None
        assert sync_folder(sess, store, f.id).total == 0
    assert isinstance(sess, ImapSession) and sess.connected
    sess.logout()


def test_parsing_in_a_helper_process(
    dovecot: DovecotServer, mail_user: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big first syncs parse in a helper process; force that path on a small folder."""
    from app.core.mail.imap import sync as sync_mod

    monkeypatch.setattr(sync_mod, "PARALLEL_PARSE_MIN", 1)
    user = mail_user[0]
    deliver_many(dovecot, user, 25)
    sess = session(dovecot, user)
    store, aid = cache(tmp_path, dovecot, user, sess)
    fid = _inbox(store, aid)
    seen: list[SyncProgress] = []
    r = sync_folder(sess, store, fid, progress=seen.append, first_batch=4, batch_size=7)
    assert r.new == 25 and seen[-1].done == 25
    assert store.cached_uids(fid) == list(range(1, 26))
    assert store.row_by_uid(fid, 25) is not None
    sess.logout()


def test_bulk_sync_with_deferred_header_index(
    dovecot: DovecotServer, mail_user: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The big-sync path (helper process writing, list indexes and header index deferred) on a small folder."""
    from app.core.mail.imap import sync as sync_mod

    monkeypatch.setattr(sync_mod, "PARALLEL_PARSE_MIN", 1)
    monkeypatch.setattr(sync_mod, "HELPER_QUEUE", 3)  # let the helper take every batch it can
    user = mail_user[0]
    deliver_many(dovecot, user, 30)
    sess = session(dovecot, user)
    store, aid = cache(tmp_path, dovecot, user, sess)
    fid = _inbox(store, aid)
    seen: list[SyncProgress] = []
    r = sync_folder(sess, store, fid, progress=seen.append, first_batch=4, batch_size=5, index_headers=False)
    assert r.new == 30 and seen[-1].done == 30 and store.cached_uids(fid) == list(range(1, 31))
    assert store.pending_header_index() == 30
    idx = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "messages_thread" not in idx  # dropped for the bulk insert into an empty cache
    assert [m.uid for m in store.search("number 17")] == [18]  # found before indexing (LIKE)
    assert store.index_pending_headers() == 30 and store.pending_header_index() == 0
    idx = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "messages_thread" in idx
    assert [m.uid for m in store.search("number 17")] == [18]  # found by the index now
    assert store.conn.execute("SELECT count(*) FROM fts").fetchone()[0] == 30
    folder = store.folder(fid)
    assert folder is not None and folder.sync_complete
    # An unchanged resync is still a no-op.
    assert sync_folder(sess, store, fid).new == 0
    sess.logout()
