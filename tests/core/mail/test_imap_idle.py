"""IDLE push against the real Dovecot: a message delivered by LMTP is seen; a dropped connection is re-opened."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from app.core.mail.imap.idle import IdleWatcher, idle_until_change
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
    assert any(b"EXISTS" in r.text for r in changes)
    # The session is usable after DONE.
    assert sess.uid_search("ALL") == [1]
    sess.logout()


def test_idle_times_out_quietly_and_reissues(dovecot: DovecotServer, mail_user: tuple[str, str]) -> None:
    sess = session(dovecot, mail_user[0])
    sess.select("INBOX")
    assert idle_until_change(sess, time.monotonic() + 0.3) == []
    assert idle_until_change(sess, time.monotonic() + 0.3) == []
    sess.logout()


def test_watcher_syncs_on_push_and_reconnects_after_drop(
    dovecot: DovecotServer, mail_user: tuple[str, str], tmp_path: Path
) -> None:
    user = mail_user[0]
    first = session(dovecot, user)
    store, aid = cache(tmp_path, dovecot, user, first)
    first.logout()
    inbox = store.folder_by_name(aid, "INBOX")
    assert inbox is not None
    synced = threading.Event()
    counts: list[int] = []
    sessions: list[ImapSession] = []

    def connect() -> ImapSession:
        s = session(dovecot, user)
        sessions.append(s)
        return s

    def on_change(sess: ImapSession) -> None:
        sync_folder(sess, store, inbox.id)
        counts.append(store.count(inbox.id))
        if counts[-1] >= 2:
            synced.set()

    stop = threading.Event()
    watcher = IdleWatcher(connect, "INBOX", on_change, stop=stop, reissue_seconds=1.0, backoff_max=0.5)
    t = threading.Thread(target=watcher.run, daemon=True)
    t.start()
    try:
        deadline = time.monotonic() + 20
        while not counts and time.monotonic() < deadline:
            time.sleep(0.05)
        dovecot.deliver(user, make_message(1))
        deadline = time.monotonic() + 20
        while (not counts or counts[-1] < 1) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert counts[-1] == 1
        dovecot.doveadm("kick", user)  # the server drops us
        deadline = time.monotonic() + 20
        while len(sessions) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        dovecot.deliver(user, make_message(2))
        assert synced.wait(20)
        assert watcher.reconnects >= 1 and watcher.idles_issued >= 2
    finally:
        stop.set()
        t.join(10)
    assert not t.is_alive()
    store.close()
