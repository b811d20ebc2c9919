"""Directory compare and mirror (dry run and real, both directions) against the real OpenSSH server."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.transfer.compare import Side, Status, _status, compare_trees, mirror, plan_mirror
from app.core.transfer.hostkeys import HostKeyStore
from app.core.transfer.queue import TransferQueue
from app.core.transfer.sftp import SftpSession
from tests.servers.sshd import SshdServer


def make_session(sshd: SshdServer) -> SftpSession:
    return SftpSession(
        sshd.host,
        sshd.port,
        sshd.key_user,
        host_keys=HostKeyStore(None, [sshd.known_hosts_path]),
        key_filename=sshd.client_key_path,
        allow_agent=False,
        ssh_config=None,
    )


@pytest.fixture
def remote_dir(sshd_server: SshdServer) -> Iterator[Path]:
    d = sshd_server.home(sshd_server.key_user) / f"cmp-{time.monotonic_ns()}"
    yield d
    shutil.rmtree(d, ignore_errors=True)


def test_status_rules() -> None:
    assert _status(None, Side(1, 0)) == Status.REMOTE_ONLY
    assert _status(Side(1, 0), None) == Status.LOCAL_ONLY
    assert _status(Side(1, 100), Side(2, 100)) == Status.SIZE_DIFFERS
    assert _status(Side(1, 100), Side(1, 101)) == Status.SAME  # within FTP's coarse time tolerance
    assert _status(Side(1, 200), Side(1, 100)) == Status.LOCAL_NEWER
    assert _status(Side(1, 100), Side(1, 200)) == Status.REMOTE_NEWER


def test_mirror_download_dry_run_then_real_then_reverse(
    sshd_server: SshdServer, tmp_path: Path, remote_dir: Path
) -> None:
    s = make_session(sshd_server)
    s.connect()
    rd = str(remote_dir)
    s.mkdir(rd)
    s.mkdir(f"{rd}/sub")
    import io

    s.upload(io.BytesIO(b"one"), f"{rd}/a.txt")
    s.upload(io.BytesIO(b"two-two"), f"{rd}/sub/b – ü.txt")
    local = tmp_path / "local"
    local.mkdir()
    (local / "stale.txt").write_bytes(b"only here")
    (local / "a.txt").write_bytes(b"different size")

    q = TransferQueue(tmp_path / "q.sqlite3", lambda: make_session(sshd_server), workers=2)
    dry = mirror(s, q, rd, local, delete=True, dry_run=True)
    kinds = sorted((a.kind, a.relpath) for a in dry.plan)
    assert kinds == [
        ("delete_local", "stale.txt"),
        ("download", "a.txt"),
        ("download", "sub/b – ü.txt"),
        ("mkdir_local", "sub"),
    ]
    assert (local / "stale.txt").exists() and not (local / "sub").exists()  # dry run touched nothing

    real = mirror(s, q, rd, local, delete=True)
    assert real.summary.ok and real.summary.done == 2
    assert (local / "a.txt").read_bytes() == b"one"
    assert (local / "sub" / "b – ü.txt").read_bytes() == b"two-two"
    assert not (local / "stale.txt").exists()
    assert all(i.status == Status.SAME for i in compare_trees(s, rd, local))
    assert plan_mirror(compare_trees(s, rd, local), delete=True) == []

    # Reverse: a new local file goes up, a remote-only file is deleted.
    (local / "new.bin").write_bytes(os.urandom(5000))
    s.upload(io.BytesIO(b"x"), f"{rd}/remote-only.txt")
    rev = mirror(s, q, rd, local, reverse=True, delete=True)
    assert rev.summary.ok
    assert (remote_dir / "new.bin").read_bytes() == (local / "new.bin").read_bytes()
    assert not (remote_dir / "remote-only.txt").exists()
    q.close()
    s.close()
