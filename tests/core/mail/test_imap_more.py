"""IMAP paths the main suites leave out: MOVE fallback, IDLE's poll of other folders, non-ASCII server search,
and the CLI taking the password from the real keyring (gnome-keyring over a private D-Bus)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from app.core.mail.imap import ops
from app.core.mail.imap.idle import IdleNotice, IdleWatcher
from app.core.mail.imap.search import server_search_merge
from app.core.mail.imap.session import ImapSession
from app.core.mail.imap.sync import sync_folder
from app.core.protolog import ProtoLog
from app.core.secrets import SecretStore, secret_key
from tests.core.mail.imap_helpers import cache, deliver_many, make_message, session
from tests.servers.common import TlsMaterial
from tests.servers.dovecot import DovecotServer
from tests.servers.keyring_service import KeyringService

REPO = Path(__file__).resolve().parents[3]


def test_move_without_move_capability_uses_copy_store_expunge(dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()[0]
    deliver_many(dovecot, user, 3)
    sess = session(dovecot, user)
    sess.capabilities = sess.capabilities - {"MOVE"}  # behave as with a server without RFC 6851
    store, aid = cache(tmp_path, dovecot, user, sess)
    inbox = store.folder_by_name(aid, "INBOX")
    archive = store.folder_by_name(aid, "Archive")
    assert inbox is not None and archive is not None
    sync_folder(sess, store, inbox.id)
    row = store.row_by_uid(inbox.id, 2)
    assert row is not None
    ops.move(store, [row.id], archive.id)
    wire_log = io.StringIO()
    sess.log = sess.require_wire().log = ProtoLog(stream=wire_log)  # what goes over the wire from here on
    result = ops.replay(sess, store, aid)
    assert result.done == 1 and not result.failed
    sent = [ln.split(" C: ", 1)[1] for ln in wire_log.getvalue().splitlines() if " C: " in ln]
    assert any(" UID COPY " in s for s in sent)
    assert any(" UID EXPUNGE " in s for s in sent)
    assert not any(" UID MOVE " in s for s in sent)
    moved = store.row(row.id)
    assert moved is not None and moved.uid is not None  # from COPYUID (UIDPLUS)
    sess.select("INBOX")
    assert sess.uid_search("ALL") == [1, 3]
    sess.select("Archive")
    assert sess.uid_search("ALL") == [moved.uid]
    sess.logout()
    store.close()


def test_idle_watcher_polls_other_folders(dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()[0]
    polled = threading.Event()
    seen: list[IdleNotice] = []

    def connect() -> ImapSession:
        return session(dovecot, user)

    def on_poll(notice: IdleNotice) -> None:
        seen.append(notice)
        if len(seen) >= 2:
            polled.set()

    stop = threading.Event()
    w = IdleWatcher(
        connect, "INBOX", lambda s: None, on_poll=on_poll, poll_interval=0.3, reissue_seconds=0.5, stop=stop
    )
    t = threading.Thread(target=w.run, daemon=True)
    t.start()
    try:
        assert polled.wait(20)
        assert w.idles_issued >= 2  # IDLE re-issued between polls
        assert {(n.folder, n.reason) for n in seen} == {("INBOX", "poll")}
    finally:
        stop.set()
        t.join(10)
    assert not t.is_alive()


def test_server_search_finds_vietnamese_words_not_cached(dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()[0]
    dovecot.deliver(user, make_message(1, subject="Báo cáo tuần", body="Nội dung về giao thức IMAP.\r\n"))
    dovecot.deliver(user, make_message(2, subject="Other", body="Nothing to see.\r\n"))
    sess = session(dovecot, user)
    store, aid = cache(tmp_path, dovecot, user, sess)
    inbox = store.folder_by_name(aid, "INBOX")
    assert inbox is not None
    sync_folder(sess, store, inbox.id)
    local = store.search("giao thức")  # bodies are not cached: the local index cannot know
    assert local == []
    merged = server_search_merge(sess, store, aid, "giao thức", local, folder_id=inbox.id)
    assert [r.subject for r in merged] == ["Báo cáo tuần"]
    sess.logout()
    store.close()


def test_cli_takes_password_from_keyring(
    dovecot: DovecotServer, keyring_service: KeyringService, tmp_path: Path, tls_material: TlsMaterial
) -> None:
    user, password = dovecot.new_user()
    dovecot.deliver(user, make_message(1, subject="Mật khẩu trong kho khoá"))
    SecretStore().set(secret_key("imap", user, dovecot.host, dovecot.imap_port), password)
    env = {k: v for k, v in os.environ.items() if k != "QUAY_PASSWORD"}
    env.update(keyring_service.env)
    url = f"imap://{user}@{dovecot.host}:{dovecot.imap_port}?starttls"  # no password in clear without consent
    data = tmp_path / "d"
    cmd = [sys.executable, "-m", "app.cli", "mail", "sync", url, "--data-dir", str(data), "--json"]
    cmd += ["--cafile", str(tls_material.ca_pem)]
    r = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "app.cli", "mail", "ls", url, "--data-dir", str(data), "--json"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    rows = out if isinstance(out, list) else out.get("messages", [])
    assert any("Mật khẩu" in str(m.get("subject")) for m in rows)
    # the password went nowhere but the keyring
    for f in data.rglob("*"):
        if f.is_file():
            assert password.encode() not in f.read_bytes(), f


def test_cli_without_any_password_source_says_so(dovecot: DovecotServer, tmp_path: Path) -> None:
    user, _ = dovecot.new_user()
    env = {k: v for k, v in os.environ.items() if k not in ("QUAY_PASSWORD", "DBUS_SESSION_BUS_ADDRESS")}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    url = f"imap://{user}@{dovecot.host}:{dovecot.imap_port}?allow_plaintext"
    r = subprocess.run(
        [sys.executable, "-m", "app.cli", "mail", "sync", url, "--data-dir", str(tmp_path / "d")],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert r.returncode != 0
    assert "QUAY_PASSWORD" in r.stderr and "keyring" in r.stderr
