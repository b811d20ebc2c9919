"""``python -m app.cli mail send|outbox|pop3|export|import`` end to end against aiosmtpd + Dovecot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.core.mail.mboxio import read_mbox
from app.core.mail.mime import Compose, compose_bytes, parse_message
from tests.core.mail.test_smtp import imap_fetch_all, wait_for_messages
from tests.servers.common import TlsMaterial
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, mail_user: tuple[str, str]) -> tuple[str, str]:
    monkeypatch.setenv("QUAY_PASSWORD", mail_user[1])
    return mail_user


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_send_starttls_with_attachment_and_sent_copy(
    env: tuple[str, str],
    smtp_clean: SmtpServer,
    dovecot: DovecotServer,
    tls_material: TlsMaterial,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user, pw = env
    me = dovecot.address(user)
    att = tmp_path / "bảng tính.csv"
    att.write_bytes(b"a,b\n1,2\n")
    data = str(tmp_path / "data")
    url = f"smtp://{user}@{smtp_clean.host}:{smtp_clean.submission_port}?starttls"
    code, out, err = _run(
        capsys, "mail", "send", url, "--from", me, "--to", me, "--cc", "other@example.test",
        "--subject", "Chào từ CLI", "--body", "Xin chào", "--attach", str(att),
        "--data-dir", data, "--cafile", str(tls_material.ca_pem), "--json",
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert result["state"] == "done" and sorted(result["recipients"]) == sorted([me, "other@example.test"])
    (msg,) = wait_for_messages(dovecot, user, pw, 1)
    p = parse_message(msg)
    assert p.subject == "Chào từ CLI" and p.text.strip() == "Xin chào"
    assert p.attachments[0].filename == "bảng tính.csv" and p.attachments[0].data == b"a,b\n1,2\n"
    # the local Sent copy, exported through the CLI
    mbox = tmp_path / "sent.mbox"
    code, out, err = _run(capsys, "mail", "export", "Sent", "--mbox", str(mbox), "--data-dir", data)
    assert code == 0, err
    (copy,) = read_mbox(mbox)
    assert parse_message(copy).message_id == p.message_id
    code, out, _ = _run(capsys, "mail", "outbox", "--data-dir", data)
    assert code == 0 and "empty" in out


def test_send_smtps_body_on_stdin_subprocess(
    env: tuple[str, str], smtp_clean: SmtpServer, dovecot: DovecotServer, tls_material: TlsMaterial, tmp_path: Path
) -> None:
    user, pw = env
    me = dovecot.address(user)
    url = f"smtps://{user}@{smtp_clean.host}:{smtp_clean.smtps_port}"
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "mail", "send", url, "--from", me, "--to", me, "--subject", "stdin",
         "--data-dir", str(tmp_path / "d"), "--pin-fingerprint", tls_material.fingerprint_sha256()],
        input=b"body from stdin\n",
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "QUAY_PASSWORD": pw},
        timeout=120,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, (proc.stdout.decode(), proc.stderr.decode())
    (msg,) = wait_for_messages(dovecot, user, pw, 1)
    assert parse_message(msg).text.strip() == "body from stdin"


def test_plaintext_needs_flag_and_wrong_password_is_held(
    env: tuple[str, str],
    smtp_clean: SmtpServer,
    dovecot: DovecotServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user, _ = env
    me = dovecot.address(user)
    data = str(tmp_path / "data")
    url = f"smtp://{user}@{smtp_clean.host}:{smtp_clean.plain_port}"
    base = ["mail", "send", url, "--from", me, "--to", me, "--subject", "plain", "--body", "x", "--data-dir", data]
    code, _, err = _run(capsys, *base)
    assert code == 1 and "in the clear" in err and "--allow-plaintext" in err
    assert smtp_clean.received == []
    code, out, _ = _run(capsys, "mail", "outbox", "--data-dir", data, "--json")
    assert json.loads(out) == []  # refused before queueing: nothing to retry by accident
    code, _, err = _run(capsys, *base, "--allow-plaintext")
    assert code == 0, err
    assert len(smtp_clean.received) == 1
    monkeypatch.setenv("QUAY_PASSWORD", "wrong")
    code, out, err = _run(capsys, *base, "--allow-plaintext", "--json")
    assert code == 1
    item = json.loads(out)
    assert item["state"] == "held" and item["error_kind"] == "auth"
    assert "wrong" not in item["error"]
    code, out, _ = _run(capsys, "mail", "outbox", "--data-dir", data, "--json")
    assert [i["state"] for i in json.loads(out)] == ["held"]
    assert len(smtp_clean.received) == 1


def test_send_later_is_only_queued(
    env: tuple[str, str],
    smtp_clean: SmtpServer,
    dovecot: DovecotServer,
    tls_material: TlsMaterial,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user, _ = env
    me = dovecot.address(user)
    data = str(tmp_path / "data")
    url = f"smtp://{user}@{smtp_clean.host}:{smtp_clean.submission_port}?starttls"
    code, out, err = _run(
        capsys, "mail", "send", url, "--from", me, "--to", me, "--subject", "later", "--body", "x",
        "--send-at", "2999-01-01T08:00", "--data-dir", data, "--cafile", str(tls_material.ca_pem),
    )  # fmt: skip
    assert code == 0 and "scheduled" in out, err
    code, out, err = _run(
        capsys, "mail", "outbox", "--run", url, "--data-dir", data, "--cafile", str(tls_material.ca_pem)
    )
    assert code == 0, err
    code, out, _ = _run(capsys, "mail", "outbox", "--data-dir", data, "--json")
    assert [i["state"] for i in json.loads(out)] == ["queued"]
    assert smtp_clean.received == []


def test_pop3_export_import_round_trip(
    env: tuple[str, str],
    dovecot: DovecotServer,
    tls_material: TlsMaterial,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user, pw = env
    originals = []
    for i in range(3):
        c = Compose(from_addr="x@example.test", to=[dovecot.address(user)], subject=f"Số {i}", text=f"From {i}\n")
        raw = compose_bytes(c)
        originals.append(c.message_id)
        dovecot.deliver(user, raw)
    data = str(tmp_path / "data")
    ca = ["--cafile", str(tls_material.ca_pem), "--data-dir", data]
    plain = f"pop3://{user}@{dovecot.host}:{dovecot.pop3_port}"
    code, _, err = _run(capsys, "mail", "pop3", plain, *ca)
    assert code == 1 and "in the clear" in err
    code, out, err = _run(capsys, "mail", "pop3", plain + "?starttls", "--keep", *ca)
    assert code == 0, err
    assert "3 new" in out
    # implicit TLS is another account (another port): it gets its own folder state
    code, out, err = _run(
        capsys,
        "mail",
        "pop3",
        f"pop3s://{user}@{dovecot.host}:{dovecot.pop3s_port}",
        "--keep",
        "--folder",
        "Other",
        *ca,
    )
    assert code == 0 and "3 new" in out, err
    code, out, err = _run(capsys, "mail", "pop3", plain + "?starttls", *ca, "--json")
    assert code == 0, err
    assert json.loads(out) | {"skipped": []} == {
        "downloaded": 0, "deleted_on_server": 3, "skipped": [], "on_server": 3, "folder": "Inbox",
    }  # fmt: skip
    assert imap_fetch_all(dovecot, user, pw) == []
    first = tmp_path / "inbox.mbox"
    code, _, err = _run(capsys, "mail", "export", "Inbox", "--mbox", str(first), "--data-dir", data)
    assert code == 0, err
    exported = read_mbox(first)
    assert sorted(parse_message(m).message_id for m in exported) == sorted(originals)
    code, out, err = _run(capsys, "mail", "import", str(first), "--folder", "Archive", "--data-dir", data)
    assert code == 0 and "3 message(s) imported" in out, err
    second = tmp_path / "archive.mbox"
    code, _, err = _run(capsys, "mail", "export", "Archive", "--mbox", str(second), "--data-dir", data)
    assert code == 0, err
    assert read_mbox(second) == exported
    eml_dir = tmp_path / "eml"
    code, _, err = _run(capsys, "mail", "export", "Archive", "--eml-dir", str(eml_dir), "--data-dir", data)
    assert code == 0, err
    assert len(list(eml_dir.glob("*.eml"))) == 3


def test_bad_usage(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "mail", "send", "ftp://x@h", "--from", "a@b", "--to", "c@d", "--body", "x",
                        "--data-dir", str(tmp_path))  # fmt: skip
    assert code == 1 and "scheme" in err
    code, _, err = _run(capsys, "mail", "export", "Nope", "--mbox", str(tmp_path / "x"), "--data-dir", str(tmp_path))
    assert code == 1 and "no folder" in err


def test_import_into_imap_folder_is_uploaded_on_sync(
    env: tuple[str, str],
    dovecot: DovecotServer,
    tls_material: TlsMaterial,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user, pw = env
    data = str(tmp_path / "data")
    imap = f"imap://{user}@{dovecot.host}:{dovecot.imap_port}?starttls"
    common = ["--data-dir", data, "--cafile", str(tls_material.ca_pem)]
    code, _, err = _run(capsys, "mail", "sync", imap, "--all-folders", *common)
    assert code == 0, err
    c = Compose(from_addr="x@example.test", to=["y@example.test"], subject="lưu trữ", text="archived\n")
    eml = tmp_path / "one.eml"
    eml.write_bytes(compose_bytes(c))
    code, out, err = _run(capsys, "mail", "import", str(eml), "--folder", "Archive", "--account", imap, *common)
    assert code == 0 and "next 'mail sync'" in out, err
    code, _, err = _run(capsys, "mail", "sync", imap, "--folder", "Archive", *common)
    assert code == 0, err
    (got,) = imap_fetch_all(dovecot, user, pw, "Archive")
    assert parse_message(got).message_id == c.message_id
