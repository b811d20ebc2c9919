"""``python -m app.cli mail sync|ls|show|search|folders`` against the real Dovecot."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.cli import main
from app.core.mail.store import Store
from tests.core.mail.imap_helpers import deliver_many, fault_proxy, make_message
from tests.servers.common import TlsMaterial
from tests.servers.dovecot import DovecotServer

REPO = Path(__file__).resolve().parents[3]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sync_ls_show_search_folders(
    dovecot: DovecotServer,
    mail_user: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tls_material: TlsMaterial,
) -> None:
    user, pw = mail_user
    monkeypatch.setenv("QUAY_PASSWORD", pw)
    for i in range(3):
        dovecot.deliver(user, make_message(i, body=f"body text kumquat{i}\r\n"))
    dovecot.deliver(user, make_message(9, subject="=?utf-8?q?Th=C6=B0_m=E1=BB=A5c?="))
    url = f"imaps://{user}@127.0.0.1:{dovecot.imaps_port}"
    common = ["--data-dir", str(tmp_path), "--cafile", str(tls_material.ca_pem)]

    code, out, err = _run(capsys, "mail", "sync", url, *common, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["folders"][0]["new"] == 4

    code, out, _ = _run(capsys, "mail", "ls", url, "--data-dir", str(tmp_path), "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 4
    assert {r["subject"] for r in rows} >= {"Thư mục", "Message number 0"}
    assert set(rows[0]) >= {"uid", "date", "from", "subject", "flags"}

    code, out, _ = _run(capsys, "mail", "ls", url, "--data-dir", str(tmp_path))
    assert code == 0 and "Thư mục" in out and len(out.strip().splitlines()) == 4

    code, out, _ = _run(capsys, "mail", "show", url, "2", *common)
    assert code == 0 and "Subject: Message number 1" in out and "kumquat1" in out

    code, out, _ = _run(capsys, "mail", "search", url, "kumquat1", "--data-dir", str(tmp_path), "--json")
    assert code == 0 and [r["uid"] for r in json.loads(out)] == [2]  # body cached by 'show', so indexed

    code, out, _ = _run(capsys, "mail", "search", url, "kumquat0", *common, "--json", "--server")
    assert code == 0 and [r["uid"] for r in json.loads(out)] == [1]  # only the server knows that body

    code, out, _ = _run(capsys, "mail", "folders", url, *common, "--create", "Thư mục", "--json")
    folders = {f["name"]: f for f in json.loads(out)}
    assert code == 0 and folders["Sent"]["special_use"] == "\\Sent"
    assert folders["Thư mục"]["remote_name"] == "Th&AbA- m&HuU-c"

    code, out, _ = _run(capsys, "mail", "flag", url, "1", "--add", "\\Flagged", "--data-dir", str(tmp_path))
    assert code == 0
    code, out, _ = _run(capsys, "mail", "sync", url, *common, "--json")
    assert json.loads(out)["replayed"] == 1


def test_cli_errors(
    dovecot: DovecotServer,
    mail_user: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tls_material: TlsMaterial,
) -> None:
    user, pw = mail_user
    url = f"imaps://{user}@127.0.0.1:{dovecot.imaps_port}"
    monkeypatch.setenv("QUAY_PASSWORD", "wrong")
    code, _, err = _run(capsys, "mail", "sync", url, "--data-dir", str(tmp_path), "--cafile", str(tls_material.ca_pem))
    assert code == 1 and "refused the login" in err and "wrong" not in err.replace("wrong user name", "")
    monkeypatch.setenv("QUAY_PASSWORD", pw)
    code, out, err = _run(capsys, "mail", "sync", url, "--data-dir", str(tmp_path), "--json")
    assert code == 1 and "not trusted" in err
    assert json.loads(out)["certificate"]["fingerprint_display"] == tls_material.fingerprint_sha256()
    code, out, err = _run(
        capsys, "mail", "sync", url, "--data-dir", str(tmp_path), "--pin-fingerprint", tls_material.fingerprint_sha256()
    )
    assert code == 0, err
    # The pin was remembered for that host:port.
    code, _, err = _run(capsys, "mail", "sync", url, "--data-dir", str(tmp_path))
    assert code == 0, err
    code, _, err = _run(capsys, "mail", "ls", url, "--data-dir", str(tmp_path), "--folder", "Nope")
    assert code == 1 and "not in the cache" in err
    code, _, err = _run(capsys, "mail", "ls", "ftp://x@y", "--data-dir", str(tmp_path))
    assert code == 1


def test_plain_imap_needs_consent_before_anything_is_sent(
    dovecot: DovecotServer,
    mail_user: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 9 item 4: imap:// with a password is refused until the user allows plaintext; then it works."""
    user, pw = mail_user
    monkeypatch.setenv("QUAY_PASSWORD", pw)
    log = tmp_path / "proto.log"
    url = f"imap://{user}@127.0.0.1:{dovecot.imap_port}"
    common = ["--data-dir", str(tmp_path), "--protolog", str(log)]
    code, out, err = _run(capsys, "mail", "sync", url, *common, "--json")
    assert code == 1 and "in the clear" in err and "--allow-plaintext" in err
    assert json.loads(out)["type"] == "PlaintextAuthRefused"
    assert not log.exists() or log.read_text() == ""  # refused before connecting: nothing went out
    code, _, err = _run(capsys, "mail", "sync", url, *common, "--allow-plaintext")
    assert code == 0, err
    code, _, err = _run(capsys, "mail", "sync", url + "?allow_plaintext", *common)
    assert code == 0, err
    assert pw not in log.read_text()


def test_kill_9_mid_sync_leaves_a_consistent_cache(
    dovecot: DovecotServer, mail_user: tuple[str, str], tmp_path: Path
) -> None:
    user, pw = mail_user
    deliver_many(dovecot, user, 300)
    db = tmp_path / "data" / "mail.sqlite3"
    env = dict(os.environ, QUAY_PASSWORD=pw, PYTHONPATH=str(REPO))
    with fault_proxy(dovecot.imap_port, delay=0.05, chunk=2048) as proxy:
        url = f"imap://{user}@127.0.0.1:{proxy.port}?allow_plaintext"  # the proxy is plain IMAP
        cmd = [sys.executable, "-m", "app.cli", "mail", "sync", url, "--data-dir", str(tmp_path), "--batch-size", "20"]
        proc = subprocess.Popen(cmd, env=env, cwd=str(REPO), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            count = 0
            while time.monotonic() < deadline and proc.poll() is None:
                if db.exists():
                    try:
                        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
                        count = c.execute("SELECT count(*) FROM messages").fetchone()[0]
                        c.close()
                    except sqlite3.OperationalError:
                        count = 0
                    if count >= 40:
                        break
                time.sleep(0.05)
            assert proc.poll() is None, proc.communicate()
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(10)
        store = Store.open(db)
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        aid = store.account_id(f"imap:{user}@127.0.0.1:{proxy.port}")
        assert aid is not None
        f = store.folder_by_name(aid, "INBOX")
        assert f is not None and not f.sync_complete
        partial = store.count(f.id)
        assert 40 <= partial < 300
        fts = store.conn.execute("SELECT count(*) FROM fts").fetchone()[0]
        assert fts == partial
        store.close()
        # The next sync (same cache, same server) completes it.
        done = subprocess.run([*cmd, "--json"], env=env, cwd=str(REPO), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)["folders"][0]
    assert result["new"] == 300 - partial and result["total"] == 300
    store = Store.open(db)
    uids = store.cached_uids(f.id)
    assert uids == list(range(1, 301))
    store.close()


def test_starttls_all_folders_and_protolog(
    dovecot: DovecotServer,
    mail_user: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tls_material: TlsMaterial,
) -> None:
    user, pw = mail_user
    monkeypatch.setenv("QUAY_PASSWORD", pw)
    dovecot.deliver(user, make_message(1), folder="Archive")
    dovecot.deliver(user, make_message(2, body="pineapple\r\n"))
    url = f"imap://{user}@127.0.0.1:{dovecot.imap_port}?starttls"
    log = tmp_path / "imap.log"
    code, out, err = _run(
        capsys, "mail", "sync", url, "--all-folders", "--bodies", "--data-dir", str(tmp_path),
        "--cafile", str(tls_material.ca_pem), "--protolog", str(log), "--json",
    )  # fmt: skip
    assert code == 0, err
    by_name = {f["folder"]: f for f in json.loads(out)["folders"]}
    assert by_name["Archive"]["total"] == 1 and by_name["INBOX"]["total"] == 1 and by_name["INBOX"]["bodies"] == 1
    text = log.read_text()
    assert "STARTTLS" in text and pw not in text
    code, out, _ = _run(capsys, "mail", "search", url, "pineapple", "--data-dir", str(tmp_path), "--json")
    assert code == 0 and [r["subject"] for r in json.loads(out)] == ["Message number 2"]
