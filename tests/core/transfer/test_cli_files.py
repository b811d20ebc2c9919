"""``python -m app.cli files ...`` end to end against the real OpenSSH and pyftpdlib servers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from tests.servers.ftp import FtpServer, FtpUser
from tests.servers.sshd import SshdServer

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "quay"


@pytest.fixture
def sftp_dir(sshd_server: SshdServer) -> Iterator[Path]:
    d = sshd_server.home(sshd_server.key_user) / f"cli-{time.monotonic_ns()}"
    yield d
    shutil.rmtree(d, ignore_errors=True)


def ssh_args(sshd: SshdServer, data_dir: Path) -> list[str]:
    return [
        "--known-hosts",
        str(sshd.known_hosts_path),
        "-i",
        str(sshd.client_key_path),
        "--ssh-config",
        "/dev/null",
        "--data-dir",
        str(data_dir),
    ]


def test_sftp_put_ls_get_mv_rm(
    sshd_server: SshdServer,
    sftp_dir: Path,
    tmp_path: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("QUAY_PASSWORD", raising=False)
    base = f"sftp://{sshd_server.key_user}@{sshd_server.host}:{sshd_server.port}{sftp_dir}"
    extra = ssh_args(sshd_server, data_dir)
    src = tmp_path / "src"
    (src / "d").mkdir(parents=True)
    (src / "d" / "žluťoučký.txt").write_bytes(b"kun" * 1000)
    (src / "top.bin").write_bytes(os.urandom(70_000))
    assert main(["files", "mkdir", base, *extra]) == 0
    assert main(["files", "put", "-r", str(src), base, "--parallel", "3", *extra]) == 0
    capsys.readouterr()
    assert main(["files", "ls", f"{base}/d", "--json", *extra]) == 0
    listing = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [e["name"] for e in listing] == ["žluťoučký.txt"]
    out = tmp_path / "out"
    assert main(["files", "get", "-r", base, str(out), *extra]) == 0
    assert (out / "d" / "žluťoučký.txt").read_bytes() == b"kun" * 1000
    assert (out / "top.bin").read_bytes() == (src / "top.bin").read_bytes()
    single = tmp_path / "single.bin"
    assert main(["files", "get", f"{base}/top.bin", str(single), *extra]) == 0
    assert single.read_bytes() == (src / "top.bin").read_bytes()
    assert main(["files", "mv", f"{base}/top.bin", "renamed.bin", *extra]) == 0
    assert (sftp_dir / "renamed.bin").exists()
    # A failed job: non-zero exit and a summary naming it.
    capsys.readouterr()
    assert main(["files", "get", f"{base}/missing.bin", str(tmp_path / "m.bin"), *extra]) == 1
    assert "missing.bin" in capsys.readouterr().err
    assert main(["files", "rm", f"{base}/d", *extra]) == 2  # a folder needs -r
    assert main(["files", "rm", "-r", f"{base}/d", *extra]) == 0
    assert not (sftp_dir / "d").exists()


def test_sftp_unknown_host_key_then_accept(
    sshd_server: SshdServer, sftp_dir: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = f"sftp://{sshd_server.key_user}@{sshd_server.host}:{sshd_server.port}/"
    common = ["-i", str(sshd_server.client_key_path), "--ssh-config", "/dev/null", "--data-dir", str(data_dir)]
    assert main(["files", "ls", base, *common]) == 1
    err = capsys.readouterr().err
    fp = err.split("--accept-host-key ", 1)[1].split()[0]
    assert fp in sshd_server.host_key_fingerprints.values()
    assert main(["files", "ls", base, "--accept-host-key", "SHA256:" + "A" * 43, *common]) == 1
    assert main(["files", "ls", base, "--accept-host-key", fp, *common]) == 0
    # Trusted from now on: saved in Quay's own known_hosts inside --data-dir.
    assert (data_dir / "config" / "known_hosts").exists()
    assert main(["files", "ls", base, *common]) == 0


def test_ftp_mirror_dry_run_and_real_in_subprocess(ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path) -> None:
    (ftp_user.home / "site" / "css").mkdir(parents=True)
    (ftp_user.home / "site" / "index.html").write_bytes(b"<h1>hi</h1>")
    (ftp_user.home / "site" / "css" / "a.css").write_bytes(b"body{}")
    local = tmp_path / "mirror"
    url = f"ftp://{ftp_user.name}@{ftp_server.host}:{ftp_server.port}/site"
    env = dict(os.environ, QUAY_PASSWORD=ftp_user.password, PYTHONPATH=str(REPO))
    cmd = [sys.executable, "-m", "app.cli", "files", "mirror", url, str(local), "--data-dir", str(tmp_path / "q")]
    # Plain FTP with a password: refused until the user allows it (issue 9 item 4).
    refused = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "in the clear" in refused.stderr and not local.exists()
    cmd.append("--allow-plaintext")
    dry = subprocess.run([*cmd, "--dry-run", "--json"], env=env, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    plan = json.loads(dry.stdout.strip().splitlines()[-1])
    assert {p["action"] for p in plan} == {"download", "mkdir_local"}
    assert not local.exists()
    real = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert real.returncode == 0, real.stderr
    assert (local / "css" / "a.css").read_bytes() == b"body{}"
    assert ftp_user.password not in real.stdout + real.stderr
    bad = subprocess.run(cmd, env=dict(env, QUAY_PASSWORD="wrong"), capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and "wrong" not in bad.stderr


def test_anonymous_ftp_needs_no_consent(
    ftp_server: FtpServer, tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anonymous FTP sends no password, so plain ftp:// works without --allow-plaintext."""
    url = f"ftp://{ftp_server.host}:{ftp_server.port}/"
    assert main(["files", "ls", url, "--json", "--data-dir", str(data_dir)]) == 0
    names = {e["name"] for e in json.loads(capsys.readouterr().out.strip().splitlines()[-1])}
    assert "readme.txt" in names
    out = tmp_path / "readme.txt"
    assert main(["files", "get", f"ftp://anonymous@{ftp_server.host}:{ftp_server.port}/readme.txt", str(out),
                 "--data-dir", str(data_dir)]) == 0  # fmt: skip
    assert out.read_bytes().startswith(b"Quay test FTP server")


def test_tftp_put_and_get(tftp_server: object, tmp_path: Path, data_dir: Path) -> None:
    from tests.servers.tftp import TftpServer

    assert isinstance(tftp_server, TftpServer)
    data = os.urandom(50_000)
    src = tmp_path / "boot.img"
    src.write_bytes(data)
    url = f"tftp://{tftp_server.host}:{tftp_server.port}/boot-{time.monotonic_ns()}.img"
    assert main(["files", "put", str(src), url, "--data-dir", str(data_dir), "--no-preserve"]) == 0
    out = tmp_path / "back.img"
    assert main(["files", "get", url, str(out), "--data-dir", str(data_dir)]) == 0
    assert out.read_bytes() == data


@pytest.mark.parametrize(
    "url",
    ["ftp://u:Pw/s3cr?t#x@127.0.0.1:99999/", "gopher://u:Pw/s3cr?t#x@h/", "u:Pw/s3cr?t#x@h", "sftp://u:Pw/s3cr?t#x@/"],
)
def test_a_bad_url_never_prints_its_password(url: str, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 9 item 5c, at the CLI: neither the message nor the --json output echoes the URL's password."""
    assert main(["files", "ls", url, "--json", "--data-dir", str(data_dir)]) == 1
    out, err = capsys.readouterr()
    assert "error:" in err
    assert "s3cr" not in out + err
