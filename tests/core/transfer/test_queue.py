"""TransferQueue against the real servers: SFTP (OpenSSH) and FTP (pyftpdlib, killed and restarted mid-transfer)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.core.transfer.base import RemoteSession
from app.core.transfer.ftp import FtpSession
from app.core.transfer.hostkeys import HostKeyStore
from app.core.transfer.queue import (
    ConflictInfo,
    ConflictPolicy,
    JobState,
    TokenBucket,
    TransferEvent,
    TransferQueue,
)
from app.core.transfer.sftp import SftpSession
from tests.servers.common import TlsMaterial
from tests.servers.ftp import FtpServer, FtpUser
from tests.servers.sshd import SshdServer


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sftp_factory(sshd: SshdServer, tmp_path: Path) -> Callable[[], RemoteSession]:
    store = HostKeyStore(None, user_files=[sshd.known_hosts_path])

    def make() -> RemoteSession:
        return SftpSession(
            sshd.host,
            sshd.port,
            sshd.key_user,
            host_keys=store,
            key_filename=sshd.client_key_path,
            allow_agent=False,
            ssh_config=None,
        )

    return make


def ftp_factory(server: FtpServer, user: FtpUser) -> Callable[[], RemoteSession]:
    return lambda: FtpSession(server.host, server.port, user.name, user.password, timeout=10, allow_plaintext=True)


def make_tree(root: Path, dirs: int = 3, files: int = 4) -> dict[str, bytes]:
    content: dict[str, bytes] = {}
    for d in range(dirs):
        sub = root / f"dir {d} – ü" / "inner"
        sub.mkdir(parents=True, exist_ok=True)
        for f in range(files):
            data = os.urandom(1000 + 997 * f + d)
            (sub / f"file-{f}-é.bin").write_bytes(data)
            content[str((sub / f"file-{f}-é.bin").relative_to(root))] = data
    (root / "empty.txt").write_bytes(b"")
    content["empty.txt"] = b""
    return content


def tree_of(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.name.endswith(".part")
    }


@pytest.fixture
def remote_base(sshd_server: SshdServer) -> Iterator[str]:
    home = sshd_server.home(sshd_server.key_user)
    base = home / f"q-{time.monotonic_ns()}"
    yield str(base)
    shutil.rmtree(base, ignore_errors=True)


def test_recursive_put_then_get_over_sftp(sshd_server: SshdServer, tmp_path: Path, remote_base: str) -> None:
    src = tmp_path / "src"
    content = make_tree(src)
    old = 1_500_000_000
    os.utime(src / "empty.txt", (old, old))
    events: list[TransferEvent] = []
    factory = sftp_factory(sshd_server, tmp_path)
    with TransferQueue(tmp_path / "q.sqlite3", factory, workers=3, listener=events.append) as q:
        q.add_upload_tree(src, remote_base)
        summary = q.run(timeout=60)
        assert summary.ok and summary.done == len(content), summary
        dst = tmp_path / "dst"
        q.add_download_tree(remote_base, dst)
        summary = q.run(timeout=60)
        assert summary.ok, summary
    assert tree_of(dst) == content
    assert int((dst / "empty.txt").stat().st_mtime) == old  # mtime preserved both ways
    assert {e.state for e in events} >= {JobState.RUNNING, JobState.DONE}
    assert not list(dst.rglob("*.part"))


def test_conflict_policies(sshd_server: SshdServer, tmp_path: Path, remote_base: str) -> None:
    factory = sftp_factory(sshd_server, tmp_path)
    s = factory()
    s.connect()
    s.mkdir(remote_base)
    import io

    s.upload(io.BytesIO(b"remote-version"), f"{remote_base}/a.txt")
    s.close()
    local = tmp_path / "a.txt"
    asked: list[ConflictInfo] = []

    def resolver(info: ConflictInfo) -> ConflictPolicy:
        asked.append(info)
        return ConflictPolicy.RENAME

    with TransferQueue(tmp_path / "q.sqlite3", factory, workers=1, resolver=resolver) as q:
        local.write_bytes(b"local")
        j_skip = q.add_download(f"{remote_base}/a.txt", local, policy=ConflictPolicy.SKIP)
        q.run(timeout=30)
        assert q.job(j_skip).state == JobState.SKIPPED and local.read_bytes() == b"local"

        local.write_bytes(b"same-size-xxxx")  # 14 bytes, like the remote
        j_size = q.add_download(f"{remote_base}/a.txt", local, policy=ConflictPolicy.OVERWRITE_IF_SIZE_DIFFERS)
        q.run(timeout=30)
        assert q.job(j_size).state == JobState.SKIPPED

        j_ask = q.add_download(f"{remote_base}/a.txt", local, policy=ConflictPolicy.ASK)
        q.run(timeout=30)
        job = q.job(j_ask)
        assert job.state == JobState.DONE and asked and asked[0].target_size == 14
        assert Path(job.target).name == "a (1).txt" and Path(job.target).read_bytes() == b"remote-version"

        local.write_bytes(b"remote")  # a prefix of the remote file: resume appends the rest
        j_resume = q.add_download(f"{remote_base}/a.txt", local, policy=ConflictPolicy.RESUME)
        q.run(timeout=30)
        assert q.job(j_resume).state == JobState.DONE and local.read_bytes() == b"remote-version"

        j_up = q.add_upload(local, f"{remote_base}/a.txt", policy=ConflictPolicy.OVERWRITE_IF_NEWER)
        os.utime(local, (1, 1))  # older than the remote one
        q.run(timeout=30)
        assert q.job(j_up).state == JobState.SKIPPED

        j_noresolver = q.add_download(f"{remote_base}/a.txt", local, policy=ConflictPolicy.ASK)
        q.resolver = None
        q.run(timeout=30)
        assert q.job(j_noresolver).state == JobState.FAILED
        assert not q.summary().ok


def test_pause_resume_cancel_and_restart_persistence(sshd_server: SshdServer, tmp_path: Path, remote_base: str) -> None:
    factory = sftp_factory(sshd_server, tmp_path)
    s = factory()
    s.connect()
    s.mkdir(remote_base)
    import io

    data = os.urandom(2_000_000)
    s.upload(io.BytesIO(data), f"{remote_base}/big.bin")
    s.close()
    db = tmp_path / "q.sqlite3"
    started = threading.Event()

    def listener(ev: TransferEvent) -> None:
        if ev.state == JobState.RUNNING and ev.bytes_done > 300_000:
            started.set()

    q = TransferQueue(db, factory, workers=2, listener=listener, speed_limit=1_000_000)
    keep = q.add_download(f"{remote_base}/big.bin", tmp_path / "big.bin")
    drop = q.add_download(f"{remote_base}/big.bin", tmp_path / "other.bin")
    q.start()
    assert started.wait(30)
    q.pause(keep)
    q.cancel(drop)
    q.wait(30)
    q.stop()
    assert q.job(keep).state == JobState.PAUSED
    assert q.job(drop).state == JobState.CANCELLED
    assert not (tmp_path / "other.bin.part").exists()
    part_size = (tmp_path / "big.bin.part").stat().st_size
    assert 0 < part_size < len(data)
    q.close()
    # A new queue on the same database (an application restart) sees the paused job and resumes it.
    q2 = TransferQueue(db, factory, workers=2)
    assert q2.job(keep).state == JobState.PAUSED
    q2.resume()
    summary = q2.run(timeout=60)
    assert q2.job(keep).state == JobState.DONE, summary
    assert (tmp_path / "big.bin").read_bytes() == data
    q2.close()


def test_resume_after_ftp_server_killed(ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path) -> None:
    data = os.urandom(24_000_000)  # well beyond what loopback socket buffers hold
    (ftp_user.home / "big.bin").write_bytes(data)
    killed = threading.Event()
    offsets_at_start: list[int] = []

    def listener(ev: TransferEvent) -> None:
        if ev.state == JobState.RUNNING and not killed.is_set() and ev.bytes_done > 500_000:
            killed.set()
            ftp_server.kill()  # open control and data connections die with it
            ftp_server.start()  # same ports; the queue's retry finds it again

    q = TransferQueue(
        tmp_path / "q.sqlite3",
        ftp_factory(ftp_server, ftp_user),
        workers=1,
        listener=listener,
        speed_limit=8_000_000,
        backoff=0.3,
    )
    jid = q.add_download("/big.bin", tmp_path / "big.bin")
    orig_emit = q._emit

    def spy(job, state, done, **kw):  # type: ignore[no-untyped-def]
        if state == JobState.RUNNING and kw.get("force"):
            offsets_at_start.append(done)
        return orig_emit(job, state, done, **kw)

    q._emit = spy  # type: ignore[method-assign]
    summary = q.run(timeout=90)
    q.close()
    assert killed.is_set()
    assert summary.ok, summary
    assert sha(tmp_path / "big.bin") == hashlib.sha256(data).hexdigest()
    assert len(offsets_at_start) >= 2 and offsets_at_start[-1] > 0  # the retry resumed from the .part
    assert jid


def test_ftp_upload_tree_with_421_backoff(tmp_path: Path, tls_material: TlsMaterial) -> None:
    with FtpServer(tmp_path / "srv", tls_material, max_cons_per_ip=2) as server:
        user = server.new_user()
        src = tmp_path / "src"
        content = make_tree(src, dirs=2, files=5)
        q = TransferQueue(tmp_path / "q.sqlite3", ftp_factory(server, user), workers=4, backoff=0.2)
        q.add_upload_tree(src, "/up")
        summary = q.run(timeout=120)
        q.close()
        assert summary.ok, summary
        assert q.active_connections < 4
        assert tree_of(user.home / "up") == content


def test_token_bucket_debt() -> None:
    b = TokenBucket(None)
    b.consume(10**9)  # no limit: returns at once
    b.set_rate(1e9)
    b.consume(1000)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_local_disk_full_keeps_part(sshd_server: SshdServer, tmp_path: Path, remote_base: str) -> None:
    factory = sftp_factory(sshd_server, tmp_path)
    s = factory()
    s.connect()
    s.mkdir(remote_base)
    import io

    s.upload(io.BytesIO(os.urandom(3_000_000)), f"{remote_base}/big.bin")
    s.close()
    mnt = tmp_path / "small"
    mnt.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount tmpfs: {res.stderr.decode(errors='replace').strip()}")
    try:
        with TransferQueue(tmp_path / "q.sqlite3", factory, workers=1) as q:
            jid = q.add_download(f"{remote_base}/big.bin", mnt / "big.bin")
            summary = q.run(timeout=60)
            job = q.job(jid)
            assert job.state == JobState.FAILED and not summary.ok
            assert job.error and ("full" in job.error.lower() or "space" in job.error.lower())
            assert (mnt / "big.bin.part").exists() and (mnt / "big.bin.part").stat().st_size > 0
            assert not (mnt / "big.bin").exists()
    finally:
        subprocess.run(["umount", str(mnt)], check=False)
