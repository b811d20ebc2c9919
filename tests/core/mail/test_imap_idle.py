"""IDLE push against the real Dovecot: a message delivered by LMTP is seen; the watcher hands notices to its
owner instead of touching the cache; a dropped connection is re-opened."""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path

from app.core.mail.imap.idle import IdleNotice, IdleWatcher, idle_until_change
from app.core.mail.imap.session import ImapSession
from app.core.mail.imap.sync import sync_folder
from tests.core.mail.imap_helpers import cache, make_message, session
from tests.servers.dovecot import DovecotServer


def test_idle_sees_lmtp_delivery(dovecot: DovecotServer, mail_user: tuple[str, str]) -> None:
    user = mail_user[0]
    sess = session(dovecot, user)
    sess.select("INBOX")
    timer = threading.Timer(0.3, lambda: dovecot.deliver(user, make_message(1)))
    timer.start()
    changes = idle_until_change(sess, time.monotonic() + 20)
    timer.join()
    assert any(b"EXISTS" in r for r in changes)
    # The session is usable after DONE.
    assert sess.uid_search("ALL") == [1]
    sess.logout()


def test_idle_times_out_quietly_and_reissues(dovecot: DovecotServer, mail_user: tuple[str, str]) -> None:
    sess = session(dovecot, mail_user[0])
    sess.select("INBOX")
    assert idle_until_change(sess, time.monotonic() + 0.3) == []
    assert idle_until_change(sess, time.monotonic() + 0.3) == []
    sess.logout()


def test_watcher_hands_changes_to_the_owner_worker_and_reconnects_after_drop(
    dovecot: DovecotServer, mail_user: tuple[str, str], tmp_path: Path
) -> None:
    """The watcher only notifies; the account's serial worker (here: this thread) syncs with its own session."""
    user = mail_user[0]
    worker_sess = session(dovecot, user)
    store, aid = cache(tmp_path, dovecot, user, worker_sess)
    inbox = store.folder_by_name(aid, "INBOX")
    assert inbox is not None
    notices: queue.Queue[IdleNotice] = queue.Queue()
    callback_threads: set[int] = set()
    sessions: list[ImapSession] = []

    def connect() -> ImapSession:
        s = session(dovecot, user)
        sessions.append(s)
        return s

    def on_change(notice: IdleNotice) -> None:  # what the GUI does: queue a sync on the account's worker
        callback_threads.add(threading.get_ident())
        notices.put(notice)

    def next_notice(reason: str) -> IdleNotice:
        while True:
            n = notices.get(timeout=20)
            if n.reason == reason:
                return n

    stop = threading.Event()
    watcher = IdleWatcher(connect, "INBOX", on_change, stop=stop, reissue_seconds=1.0, backoff_max=0.5)
    t = threading.Thread(target=watcher.run, daemon=True)
    t.start()
    try:
        assert next_notice("connected").folder == "INBOX"
        dovecot.deliver(user, make_message(1))
        changed = next_notice("changed")
        assert any(b"EXISTS" in r for r in changed.responses)
        assert sync_folder(worker_sess, store, inbox.id).new == 1  # on the worker, with the worker's session
        dovecot.doveadm("kick", user)  # the server drops the watcher (and the worker; it reconnects itself)
        next_notice("connected")
        assert watcher.reconnects >= 1 and len(sessions) >= 2
        dovecot.deliver(user, make_message(2))
        next_notice("changed")
        worker_sess = session(dovecot, user)
        assert sync_folder(worker_sess, store, inbox.id).new == 1
        assert store.count(inbox.id) == 2 and watcher.idles_issued >= 2
    finally:
        stop.set()
        t.join(10)
    assert not t.is_alive()
    assert threading.get_ident() not in callback_threads  # callbacks ran on the watcher's thread only
    worker_sess.logout()
    store.close()
