"""Offline changes: applied to the cache at once, queued in SQLite, replayed (idempotently) after reconnect."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.mail.imap import ops
from app.core.mail.imap.sync import sync_folder
from app.core.mail.store import Store
from tests.core.mail.imap_helpers import cache, deliver_many, make_message, session
from tests.servers.dovecot import DovecotServer


@pytest.fixture(params=["dovecot", "dovecot_nocondstore"])
def server(request: pytest.FixtureRequest) -> DovecotServer:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def _server_subjects(server: DovecotServer, user: str, folder: str) -> dict[int, tuple[str, set[str]]]:
    s = session(server, user)
    s.select(folder)
    from app.core.mail.imap.session import fetch_items

    untagged, _ = s.command("UID FETCH", "1:*", "(UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    out: dict[int, tuple[str, set[str]]] = {}
    for r in untagged:
        got = fetch_items(r)
        if got is None:
            continue
        items = got[1]
        subj = next(v for k, v in items.items() if k.startswith("BODY["))
        assert isinstance(subj, bytes)
        flags = items["FLAGS"]
        assert isinstance(flags, list)
        out[int(str(items["UID"]))] = (subj.decode().strip().removeprefix("Subject: "), {str(f) for f in flags})
    s.logout()
    return out


def test_offline_move_and_flags_replayed_after_restart(server: DovecotServer, tmp_path: Path) -> None:
    user = server.new_user()[0]
    deliver_many(server, user, 4)
    sess = session(server, user)
    store, aid = cache(tmp_path, server, user, sess)
    inbox = store.folder_by_name(aid, "INBOX")
    archive = store.folder_by_name(aid, "Archive")
    assert inbox is not None and archive is not None
    sync_folder(sess, store, inbox.id)
    sess.logout()  # offline from here

    m1 = store.row_by_uid(inbox.id, 1)
    m2 = store.row_by_uid(inbox.id, 2)
    assert m1 is not None and m2 is not None
    ops.move(store, [m1.id], archive.id)
    ops.set_flags(store, [m2.id], add=["\\Flagged", "$Important"], remove=[])
    # The cache changed at once.
    assert store.row_by_uid(inbox.id, 1) is None
    moved = store.row(m1.id)
    assert moved is not None and moved.folder_id == archive.id and moved.uid is None
    r2 = store.row(m2.id)
    assert r2 is not None and "\\Flagged" in r2.flags
    assert [o.op for o in store.pending_ops(aid)] == ["move", "flags"]

    # A sync before the replay must not resurrect the moved message.
    s_mid = session(server, user)
    sync_folder(s_mid, store, inbox.id)
    assert store.row_by_uid(inbox.id, 1) is None
    s_mid.logout()
    store.close()

    # "Restart": reopen the cache, reconnect, replay.
    store = Store.open(tmp_path / "mail.sqlite3")
    assert len(store.pending_ops(aid)) == 2
    sess2 = session(server, user)
    result = ops.replay(sess2, store, aid)
    assert result.done == 2 and not result.failed
    assert store.pending_ops(aid) == []
    moved = store.row(m1.id)
    assert moved is not None and moved.uid is not None  # from COPYUID
    on_server_archive = _server_subjects(server, user, "Archive")
    assert on_server_archive[moved.uid][0] == "Message number 0"
    inbox_server = _server_subjects(server, user, "INBOX")
    assert 1 not in inbox_server
    assert {"\\Flagged", "$Important"} <= inbox_server[2][1]

    # Replaying the same operations again (a crash before they were dropped) changes nothing.
    store.add_pending_op(
        aid, "move", folder_id=inbox.id, message_id=m1.id, uid=1, args={"target_folder_id": archive.id}
    )
    store.add_pending_op(aid, "flags", folder_id=inbox.id, message_id=m2.id, uid=2, args={"add": ["\\Flagged"]})
    ops.replay(sess2, store, aid)
    assert len(_server_subjects(server, user, "Archive")) == 1
    sync_folder(sess2, store, archive.id)
    sync_folder(sess2, store, inbox.id)
    assert store.count(archive.id) == 1 and store.count(inbox.id) == 3
    sess2.logout()


def test_copy_append_delete_expunge(dovecot: DovecotServer, mail_user: tuple[str, str], tmp_path: Path) -> None:
    user = mail_user[0]
    deliver_many(dovecot, user, 3)
    sess = session(dovecot, user)
    store, aid = cache(tmp_path, dovecot, user, sess)
    inbox = store.folder_by_name(aid, "INBOX")
    drafts = store.folder_by_name(aid, "Drafts")
    trash = store.folder_by_name(aid, "Trash")
    assert inbox is not None and drafts is not None and trash is not None
    sync_folder(sess, store, inbox.id)
    m1, m2, m3 = (store.row_by_uid(inbox.id, u) for u in (1, 2, 3))
    assert m1 and m2 and m3
    [copy_id] = ops.copy(store, [m1.id], drafts.id)
    draft_id = ops.append(store, drafts.id, make_message(50, subject="A draft"), ["\\Draft", "\\Seen"])
    ops.delete(store, [m2.id])  # -> Trash
    ops.set_flags(store, [m3.id], add=["\\Deleted"])
    assert ops.expunge(store, inbox.id) == 1
    assert store.count(inbox.id) == 1 and store.count(trash.id) == 1 and store.count(drafts.id) == 2
    result = ops.replay(sess, store, aid)
    assert not result.failed
    drafts_server = _server_subjects(dovecot, user, "Drafts")
    assert sorted(s for s, _ in drafts_server.values()) == ["A draft", "Message number 0"]
    c, d = store.row(copy_id), store.row(draft_id)
    assert c is not None and d is not None and {c.uid, d.uid} == set(drafts_server)
    assert "\\Draft" in drafts_server[d.uid][1]
    assert next(iter(_server_subjects(dovecot, user, "Trash").values()))[0] == "Message number 1"
    assert set(_server_subjects(dovecot, user, "INBOX")) == {1}
    # Replaying an append again finds the Message-ID and does not duplicate.
    store.add_pending_op(aid, "append", folder_id=drafts.id, message_id=draft_id)
    ops.replay(sess, store, aid)
    assert len(_server_subjects(dovecot, user, "Drafts")) == 2
    sess.logout()
