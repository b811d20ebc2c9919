"""Directory compare and mirror (dry run and real, both directions) against the real OpenSSH and FTP servers."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.core.transfer.base import RemoteSession
from app.core.transfer.compare import Side, Status, _status, compare_trees, mirror, plan_mirror
from app.core.transfer.ftp import FtpSession
from app.core.transfer.hostkeys import HostKeyStore
from app.core.transfer.queue import TransferQueue
from app.core.transfer.sftp import SftpSession
from tests.servers.ftp import FtpServer, FtpUser
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


# --- issue 9, item 1: a relative target or one reached through a symlink must not delete what it synced ----


def _ftp_session(server: FtpServer, user: FtpUser) -> FtpSession:
    return FtpSession(server.host, server.port, user.name, user.password, timeout=10, allow_plaintext=True)


RemoteSide = tuple[Callable[[], RemoteSession], str, Path, Callable[[], None]]


@pytest.fixture(params=["ftp", "sftp"])
def remote_side(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RemoteSide]:
    """(session factory, remote folder path, where that folder lies on this disk, hand it to the server's user)."""
    if request.param == "ftp":
        server: FtpServer = request.getfixturevalue("ftp_server")
        user: FtpUser = request.getfixturevalue("ftp_user")
        (user.home / "site").mkdir()
        yield (lambda: _ftp_session(server, user)), "/site", user.home / "site", lambda: None
    else:
        sshd: SshdServer = request.getfixturevalue("sshd_server")
        d = sshd.home(sshd.key_user) / f"mir-{time.monotonic_ns()}"
        d.mkdir()

        def own() -> None:  # files made here belong to the test; the SFTP user must be able to change them
            for p in [d, *d.rglob("*")]:
                shutil.chown(p, user=sshd.key_user)

        yield (lambda: make_session(sshd)), str(d), d, own
        shutil.rmtree(d, ignore_errors=True)


def _same_files(root: Path, files: dict[str, bytes], mtime: float) -> None:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        os.utime(p, (mtime, mtime))


@pytest.mark.parametrize("reach", ["relative", "symlink"])
@pytest.mark.parametrize("reverse", [False, True], ids=["download", "upload"])
def test_mirror_delete_keeps_what_it_synced(
    remote_side: RemoteSide,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    reach: str,
    reverse: bool,
) -> None:
    factory, remote, remote_disk, own = remote_side
    mtime = 1_600_000_000.0
    same = {"a.txt": b"identical", "sub/b.txt": b"identical too"}
    _same_files(remote_disk, same, mtime)
    real = tmp_path / "real"
    _same_files(real / "site", same, mtime)
    if reverse:
        (real / "site" / "new.txt").write_bytes(b"only local")  # goes up
        (remote_disk / "stale.txt").write_bytes(b"only remote")  # is deleted
    else:
        (remote_disk / "new.txt").write_bytes(b"only remote")  # comes down
        (real / "site" / "stale.txt").write_bytes(b"only local")  # is deleted
    if reach == "relative":
        monkeypatch.chdir(real)
        local = Path("site")
    else:
        (tmp_path / "link").symlink_to(real, target_is_directory=True)
        local = tmp_path / "link" / "site"
    own()
    s = factory()
    s.connect()
    q = TransferQueue(tmp_path / "q.sqlite3", factory, workers=2)
    try:
        dry = mirror(s, q, remote, local, reverse=reverse, delete=True, dry_run=True)
        planned = sorted((a.kind, a.relpath) for a in dry.plan)
        copy, drop = ("upload", "delete_remote") if reverse else ("download", "delete_local")
        assert planned == sorted([(copy, "new.txt"), (drop, "stale.txt")])
        done = mirror(s, q, remote, local, reverse=reverse, delete=True)
        assert done.summary.ok and done.summary.done == 1, done.summary.failures
        again = mirror(s, q, remote, local, reverse=reverse, delete=True, dry_run=True)
        assert again.plan == []
    finally:
        q.close()
        s.close()
    for rel, data in same.items():  # nothing identical was deleted, on either side
        assert (real / "site" / rel).read_bytes() == data
        assert (remote_disk / rel).read_bytes() == data
    assert (real / "site" / "new.txt").exists() and (remote_disk / "new.txt").exists()
    assert not (real / "site" / "stale.txt").exists() and not (remote_disk / "stale.txt").exists()


def test_compare_collision_on_a_case_folding_disk(sshd_server: SshdServer, tmp_path: Path, remote_dir: Path) -> None:
    """README and readme on the server are one local name where the disk folds case: left alone, never deleted."""
    remote_dir.mkdir()
    (remote_dir / "README").write_bytes(b"upper")
    (remote_dir / "readme").write_bytes(b"lower!")
    local = tmp_path / "local"
    local.mkdir()
    (local / "README").write_bytes(b"upper")
    with make_session(sshd_server) as s:
        items = {i.relpath: i.status for i in compare_trees(s, str(remote_dir), local, fold_case=True)}
        assert items["readme"] == Status.COLLISION and items["README"] != Status.COLLISION
        plan = plan_mirror(compare_trees(s, str(remote_dir), local, fold_case=True), delete=True)
        assert all(a.relpath != "readme" for a in plan)
        assert not any(a.kind.startswith("delete") for a in plan)
