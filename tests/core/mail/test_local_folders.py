"""Local folders (like Thunderbird's Local Folders) beside IMAP ones: move and copy both ways, against Dovecot.

Nothing leaves a server before it is durably stored here: an IMAP message moved
to a local folder is expunged on the server only by the replay, after its full
text was committed locally.
"""

from __future__ import annotations

import imaplib
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.core.mail.imap import ops
from app.core.mail.imap.bodies import load_raw
from app.core.mail.imap.sync import sync_folder
from app.core.mail.store import Store
from tests.core.mail.imap_helpers import cache, deliver_many, make_message, session
from tests.servers.dovecot import DovecotServer


def _server_message_ids(server: DovecotServer, user: str, folder: str) -> list[str]:
    c = imaplib.IMAP4(server.host, server.imap_port)
    try:
        c.login(user, server.users[user])
        c.select(f'"{folder}"')
        _typ, data = c.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        out = []
        for item in data:
            if isinstance(item, tuple):
                out.append(item[1].decode().split(":", 1)[1].strip())
        return sorted(out)
    finally:
        c.logout()


@pytest.fixture
def synced(dovecot: DovecotServer, tmp_path: Path):  # type: ignore[no-untyped-def]
    user = dovecot.new_user()[0]
    deliver_many(dovecot, user, 3)
    sess = session(dovecot, user)
    store, aid = cache(tmp_path, dovecot, user, sess)
    inbox = store.folder_by_name(aid, "INBOX")
    assert inbox is not None
    sync_folder(sess, store, inbox.id)
    local_aid = store.ensure_account("local:Local Folders", "local")
    archive = store.create_local_folder(local_aid, "Archive 2026")
    yield SimpleNamespace(server=dovecot, user=user, sess=sess, store=store, aid=aid, inbox=inbox, archive=archive)
    sess.logout()
    store.close()


def test_imap_to_local_move_needs_the_full_message_first(synced) -> None:  # type: ignore[no-untyped-def]
    server, user, sess, store, aid, inbox, archive = (
        synced.server,
        synced.user,
        synced.sess,
        synced.store,
        synced.aid,
        synced.inbox,
        synced.archive,
    )
    _ = (server, user, sess, aid, inbox)
    row = store.row_by_uid(inbox.id, 1)
    with pytest.raises(ops.FullMessageRequired) as err:
        ops.move(store, [row.id], archive)
    assert err.value.message_ids == [row.id]
    # nothing changed: not moved, nothing queued
    assert store.row(row.id).folder_id == inbox.id
    assert store.pending_ops(aid) == []


def test_imap_to_local_move_then_replay_expunges_on_server(synced) -> None:  # type: ignore[no-untyped-def]
    server, user, sess, store, aid, inbox, archive = (
        synced.server,
        synced.user,
        synced.sess,
        synced.store,
        synced.aid,
        synced.inbox,
        synced.archive,
    )
    _ = (server, user, sess, aid, inbox)
    row = store.row_by_uid(inbox.id, 2)
    raw = load_raw(sess, store, row.id)
    ops.move(store, [row.id], archive)
    moved = store.row(row.id)
    assert moved.folder_id == archive and moved.uid is None
    assert store.raw_message(row.id) == raw
    # Before the replay the server still has it, and a sync does not bring it back into INBOX.
    assert "<msg1@example.test>" in _server_message_ids(server, user, "INBOX")
    sync_folder(sess, store, inbox.id)
    assert store.row_by_uid(inbox.id, 2) is None
    result = ops.replay(sess, store, aid)
    assert result.done == 1 and not result.failed
    assert _server_message_ids(server, user, "INBOX") == ["<msg0@example.test>", "<msg2@example.test>"]
    sync_folder(sess, store, inbox.id)
    assert store.count(inbox.id) == 2
    assert store.count(archive) == 1
    assert store.raw_message(row.id) == raw


def test_local_to_imap_move_appends_and_records_uid(synced) -> None:  # type: ignore[no-untyped-def]
    server, user, sess, store, aid, inbox, archive = (
        synced.server,
        synced.user,
        synced.sess,
        synced.store,
        synced.aid,
        synced.inbox,
        synced.archive,
    )
    _ = (server, user, sess, aid, inbox)
    raw = make_message(77, subject="Tin nhắn cục bộ")
    mid = store.add_local_message(archive, raw, ["\\Seen"])
    work = store.folder_by_name(aid, "Archive")
    assert work is not None and work.kind == "imap"
    ops.move(store, [mid], work.id)
    assert store.row(mid).folder_id == work.id
    assert [o.op for o in store.pending_ops(aid)] == ["append"]
    ops.replay(sess, store, aid)
    ops.replay(sess, store, aid)  # idempotent
    assert _server_message_ids(server, user, "Archive") == ["<msg77@example.test>"]
    assert store.row(mid).uid is not None
    sync_folder(sess, store, work.id)
    assert store.count(work.id) == 1


def test_copy_imap_to_local_keeps_server_copy(synced) -> None:  # type: ignore[no-untyped-def]
    server, user, sess, store, aid, inbox, archive = (
        synced.server,
        synced.user,
        synced.sess,
        synced.store,
        synced.aid,
        synced.inbox,
        synced.archive,
    )
    _ = (server, user, sess, aid, inbox)
    row = store.row_by_uid(inbox.id, 3)
    raw = load_raw(sess, store, row.id)
    (new,) = ops.copy(store, [row.id], archive)
    assert store.raw_message(new) == raw
    assert store.pending_ops(aid) == []
    assert len(_server_message_ids(server, user, "INBOX")) == 3
    assert store.count(archive) == 1 and store.count(inbox.id) == 3


def test_local_folder_survives_reopen_and_is_searchable(synced, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, user, sess, store, aid, inbox, archive = (
        synced.server,
        synced.user,
        synced.sess,
        synced.store,
        synced.aid,
        synced.inbox,
        synced.archive,
    )
    _ = (server, user, sess, aid, inbox)
    store.add_local_message(archive, make_message(5, subject="Hoá đơn tháng mười một"), [])
    store.close()
    again = Store.open(tmp_path / "mail.sqlite3", readonly=True)
    try:
        assert again.count(archive) == 1
        hits = again.search("mười")
        assert len(hits) >= 1
    finally:
        again.close()
