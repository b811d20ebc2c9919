"""The transfer queue under hostile names and changing files (issue 9, items 11 and 12, and the low ones).

* refused remote names are failed jobs with no target and kind ``UnsafePathError``; a retry (even with the
  rename policy) never writes beside the chosen folder;
* two remote names the target file system stores as one (``README``/``readme``) are decided by the conflict
  policy before anything runs, in the batched path and the per-file one;
* a ``.part`` is restarted when the remote file changed, and never followed when it is a symlink;
* ``-p`` masks a server's mode with the umask; a tree goes up into folders whose parents do not exist yet;
* active-mode FTP takes its data connection only from the server;
* every failed job stores an error kind.

The real pyftpdlib and OpenSSH fixtures wherever they can show it; the fake FTP server for listings no real
server produces (traversal names, two names that differ only in case on a case-sensitive disk).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.errors import NetworkError
from app.core.transfer.base import RemoteSession
from app.core.transfer.ftp import FtpSession
from app.core.transfer.jobs import ConflictInfo, ConflictPolicy, JobState, TransferEvent
from app.core.transfer.localpaths import folds_case, name_key
from app.core.transfer.queue import TransferQueue
from tests.core.transfer.fake_ftp import FakeFtpConfig, fake_ftp
from tests.servers.ftp import FtpServer, FtpUser
from tests.servers.sshd import SshdServer

STAMP = "20200913122640"  # 1600000000


def fake_factory(port: int, **kw: object) -> Callable[[], RemoteSession]:
    return lambda: FtpSession("127.0.0.1", port, "u", "p", timeout=10, allow_plaintext=True, **kw)  # type: ignore[arg-type]


def ftp_factory(server: FtpServer, user: FtpUser) -> Callable[[], RemoteSession]:
    return lambda: FtpSession(server.host, server.port, user.name, user.password, timeout=10, allow_plaintext=True)


def entries_beside(folder: Path) -> set[str]:
    return {p.name for p in folder.parent.iterdir()} - {folder.name}


# --- item 11: refused names ----------------------------------------------------------------------------------


def test_refused_names_are_not_retryable_and_never_write_beside_the_folder(tmp_path: Path) -> None:
    evil = ["\u2025", "../up.txt", "a\\..\\..\\x", "C:\\x"]  # ".." itself is never listed as an entry
    cfg = FakeFtpConfig(
        dirs={"/dl": [f"type=file;size=2;modify={STAMP}; {n}" for n in ["ok.txt", *evil]]},
        files={"/dl/ok.txt": b"ok", **{f"/dl/{n}": b"xx" for n in evil}},
    )
    work = tmp_path / "work"
    work.mkdir()
    folder = work / "dl"
    with fake_ftp(cfg) as server:
        q = TransferQueue(tmp_path / "q.sqlite3", fake_factory(server.port), policy=ConflictPolicy.RENAME)
        ids = q.add_download_tree("/dl", folder)
        unsafe_into = q.add_download_into("/dl/..", folder)
        summary = q.run(timeout=30)
        assert summary.done == 1 and summary.failed == len(evil) + 1
        failed = [q.job(i) for i in [*ids, unsafe_into] if q.job(i).state == JobState.FAILED]
        assert len(failed) == len(evil) + 1
        for job in failed:
            assert job.error_kind == "UnsafePathError" and job.target == "" and not job.retryable
        assert {j.error_kind for j in summary.failed_jobs} == {"UnsafePathError"}
        q.retry()  # all of them, with the rename policy
        again = q.run(timeout=30)
        assert again.failed == len(evil) + 1 and again.done == 1
        q.close()
    assert entries_beside(folder) == set()  # no "dl (1)", no "?" next to the chosen folder
    assert sorted(p.name for p in folder.iterdir()) == ["ok.txt"]


def test_old_rows_with_the_folder_as_target_are_migrated_and_refused(tmp_path: Path) -> None:
    """A queue file from before the fix (schema 1) stored the folder itself; retrying one wrote "dl (1)"."""
    db = tmp_path / "q.sqlite3"
    folder = tmp_path / "work" / "dl"
    folder.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        CREATE TABLE jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, direction TEXT NOT NULL,
            source TEXT NOT NULL, target TEXT NOT NULL, size INTEGER, offset INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL, error TEXT, attempts INTEGER NOT NULL DEFAULT 0, policy TEXT, mtime REAL,
            mode INTEGER, fresh INTEGER NOT NULL DEFAULT 0, created REAL NOT NULL);
        PRAGMA user_version = 1;
        """
    )
    conn.execute(
        "INSERT INTO jobs (queue, direction, source, target, state, error, created) VALUES (?, ?, ?, ?, ?, ?, 0)",
        ("default", "download", "/dl/..", str(folder), "failed", "remote name refers to a parent or current folder"),
    )
    conn.execute(  # an old row the migration cannot recognise: the download path still refuses its folder target
        "INSERT INTO jobs (queue, direction, source, target, state, error, created) VALUES (?, ?, ?, ?, ?, ?, 0)",
        ("default", "download", "/dl/x", str(folder), "failed", "something else"),
    )
    conn.commit()
    conn.close()
    with fake_ftp(FakeFtpConfig(files={"/dl/x": b"x", "/dl/..": b"y"})) as server:
        q = TransferQueue(db, fake_factory(server.port), policy=ConflictPolicy.RENAME)
        first, _other = q.jobs()
        assert first.target == "" and first.error_kind == "UnsafePathError"
        q.retry()
        summary = q.run(timeout=30)
        q.close()
    assert summary.failed == 2
    assert entries_beside(folder) == set() and list(folder.iterdir()) == []


# --- item 12: names that are one file on the target disk ------------------------------------------------------


def collision_server() -> FakeFtpConfig:
    return FakeFtpConfig(
        dirs={
            "/cc": [
                "type=file;size=5;modify=20200101000000; README",
                "type=file;size=6;modify=20210101000000; readme",
                "type=file;size=2;modify=20200101000000; other.txt",
            ]
        },
        files={"/cc/README": b"UPPER", "/cc/readme": b"lower!", "/cc/other.txt": b"ok"},
    )


@pytest.mark.parametrize("fresh", [True, False], ids=["batched", "per-file"])
@pytest.mark.parametrize(
    ("policy", "expected", "skipped"),
    [
        (ConflictPolicy.OVERWRITE, {"readme": b"lower!"}, 1),
        (ConflictPolicy.SKIP, {"README": b"UPPER"}, 1),
        (ConflictPolicy.RENAME, {"README": b"UPPER", "readme (1)": b"lower!"}, 0),
        (ConflictPolicy.OVERWRITE_IF_NEWER, {"readme": b"lower!"}, 1),
        (ConflictPolicy.OVERWRITE_IF_SIZE_DIFFERS, {"readme": b"lower!"}, 1),
    ],
)
def test_case_collision_applies_the_policy(
    tmp_path: Path, fresh: bool, policy: ConflictPolicy, expected: dict[str, bytes], skipped: int
) -> None:
    folder = tmp_path / "cc"
    if not fresh:
        folder.mkdir()  # an existing folder: its files take the per-file path
    events: list[TransferEvent] = []
    with fake_ftp(collision_server()) as server:
        q = TransferQueue(
            tmp_path / "q.sqlite3", fake_factory(server.port), fold_case=True, policy=policy, listener=events.append
        )
        q.add_download_tree("/cc", folder)
        summary = q.run(timeout=30)
        jobs = q.jobs()
        q.close()
    assert summary.ok, summary.failures
    assert summary.skipped == skipped
    on_disk = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert on_disk == {**expected, "other.txt": b"ok"}
    for job in jobs:
        if job.state == JobState.SKIPPED:
            assert job.error_kind == "TransferConflict" and "one name" in (job.error or "")
    assert not any(e.state == JobState.FAILED for e in events)


def test_case_collision_asks_the_resolver_or_fails_without_one(tmp_path: Path) -> None:
    asked: list[ConflictInfo] = []

    def resolver(info: ConflictInfo) -> ConflictPolicy:
        asked.append(info)
        return ConflictPolicy.RENAME

    with fake_ftp(collision_server()) as server:
        q = TransferQueue(
            tmp_path / "q.sqlite3",
            fake_factory(server.port),
            fold_case=True,
            policy=ConflictPolicy.ASK,
            resolver=resolver,
        )
        q.add_download_tree("/cc", tmp_path / "a")
        assert q.run(timeout=30).ok
        assert len(asked) == 1 and asked[0].source_size == 6 and asked[0].target_size == 5
        q.resolver = None
        q.add_download_tree("/cc", tmp_path / "b")
        summary = q.run(timeout=30)
        q.close()
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["README", "other.txt", "readme (1)"]
    assert summary.failed == 1 and summary.failed_jobs[0].error_kind == "TransferConflict"
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["README", "other.txt"]


@pytest.mark.parametrize("file_first", [True, False])
def test_file_and_folder_of_one_name(tmp_path: Path, file_first: bool) -> None:
    """``Docs`` (a file) and ``docs/`` (a folder) cannot both exist on a case-folding disk: the file fails."""
    file_name, dir_name = ("Docs", "docs") if file_first else ("docs", "Docs")
    cfg = FakeFtpConfig(
        dirs={
            "/m": [f"type=file;size=1;modify={STAMP}; {file_name}", f"type=dir;modify={STAMP}; {dir_name}"],
            f"/m/{dir_name}": [f"type=file;size=1;modify={STAMP}; x"],
        },
        files={f"/m/{file_name}": b"f", f"/m/{dir_name}/x": b"x"},
    )
    with fake_ftp(cfg) as server:
        q = TransferQueue(tmp_path / "q.sqlite3", fake_factory(server.port), fold_case=True)
        q.add_download_tree("/m", tmp_path / "m")
        summary = q.run(timeout=30)
        q.close()
    assert summary.done == 1 and summary.failed == 1
    assert summary.failed_jobs[0].source == f"/m/{file_name}"
    assert summary.failed_jobs[0].error_kind == "TransferConflict"
    assert (tmp_path / "m" / dir_name / "x").read_bytes() == b"x"
    assert not (tmp_path / "m" / file_name).is_file()


def test_case_sensitive_disk_keeps_both(tmp_path: Path) -> None:
    with fake_ftp(collision_server()) as server:
        q = TransferQueue(tmp_path / "q.sqlite3", fake_factory(server.port), fold_case=False)
        q.add_download_tree("/cc", tmp_path / "cc")
        assert q.run(timeout=30).done == 3
        q.close()
    assert {p.name for p in (tmp_path / "cc").iterdir()} == {"README", "readme", "other.txt"}


def test_name_rule_of_the_disk(tmp_path: Path) -> None:
    assert name_key("README", True) == name_key("readme", True)
    assert name_key("Stra\u00dfe", True) == name_key("STRASSE", True)
    assert name_key("caf\u00e9", True) == name_key("CAFE\u0301", True)  # one code point or two
    assert name_key("README", False) != name_key("readme", False)
    (tmp_path / "lower").write_bytes(b"")
    assert folds_case(tmp_path) == (tmp_path / "LOWER").exists()
    assert not list(tmp_path.glob(".quay-case-probe-*"))


# --- the .part file -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("change", ["size", "mtime"])
def test_resumed_part_restarts_when_the_remote_file_changed(
    ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path, change: str
) -> None:
    remote = ftp_user.home / "big.bin"
    remote.write_bytes(os.urandom(3_000_000))
    os.utime(remote, (1_600_000_000, 1_600_000_000))
    started = threading.Event()

    def listener(ev: TransferEvent) -> None:
        if ev.state == JobState.RUNNING and ev.bytes_done > 300_000:
            started.set()

    q = TransferQueue(tmp_path / "q.sqlite3", ftp_factory(ftp_server, ftp_user), listener=listener, speed_limit=2e6)
    jid = q.add_download("/big.bin", tmp_path / "big.bin")
    q.start()
    assert started.wait(30)
    q.pause(jid)
    q.wait(30)
    q.stop()
    assert q.job(jid).state == JobState.PAUSED and (tmp_path / "big.bin.part").stat().st_size > 0
    new = os.urandom(3_000_000 if change == "mtime" else 2_500_000)
    remote.write_bytes(new)
    os.utime(remote, (1_600_000_500, 1_600_000_500))
    q.set_speed_limit(None)
    q.resume()
    summary = q.run(timeout=60)
    q.close()
    assert summary.ok, summary.failures
    assert (tmp_path / "big.bin").read_bytes() == new  # not the old head with the new tail


@pytest.mark.parametrize("how", ["single", "tree"])
def test_part_symlink_is_never_followed(ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path, how: str) -> None:
    (ftp_user.home / "d").mkdir()
    (ftp_user.home / "d" / "f.txt").write_bytes(b"from the server")
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious")
    folder = tmp_path / "dl"
    folder.mkdir()
    (folder / "f.txt.part").symlink_to(outside)
    q = TransferQueue(tmp_path / "q.sqlite3", ftp_factory(ftp_server, ftp_user))
    if how == "single":
        q.add_download("/d/f.txt", folder / "f.txt")
    else:
        q.add_download_tree("/d", folder)
    summary = q.run(timeout=30)
    q.close()
    assert summary.failed == 1 and summary.failed_jobs[0].error_kind == "UnsafePathError"
    assert outside.read_bytes() == b"precious"
    assert not (folder / "f.txt").exists()


def test_part_symlink_planted_in_a_fresh_folder_fails_that_file_only(
    ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path
) -> None:
    """The batched path trusts a folder it just made; a symlink planted there still is never followed."""
    (ftp_user.home / "d").mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (ftp_user.home / "d" / name).write_bytes(name.encode())
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious")
    folder = tmp_path / "dl"
    q = TransferQueue(tmp_path / "q.sqlite3", ftp_factory(ftp_server, ftp_user), workers=1)
    q.add_download_tree("/d", folder)  # creates the folder: its files are "fresh" and go in one batch
    (folder / "b.txt.part").symlink_to(outside)
    summary = q.run(timeout=30)
    q.close()
    assert summary.done == 2 and summary.failed == 1
    assert summary.failed_jobs[0].error_kind == "UnsafePathError" and summary.failed_jobs[0].source == "/d/b.txt"
    assert outside.read_bytes() == b"precious"
    assert (folder / "a.txt").read_bytes() == b"a.txt" and (folder / "c.txt").read_bytes() == b"c.txt"


# --- -p, remote parents, active mode, error kinds ----------------------------------------------------------------


def test_permissions_are_masked_with_the_umask(ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path) -> None:
    d = ftp_user.home / "perm"
    d.mkdir()
    for name in ("a.sh", "b.sh"):
        (d / name).write_bytes(b"#!/bin/sh\n")
        os.chmod(d / name, 0o777)
    old = os.umask(0o027)
    try:
        q = TransferQueue(tmp_path / "q.sqlite3", ftp_factory(ftp_server, ftp_user), preserve_permissions=True)
    finally:
        os.umask(old)
    assert q.settings.umask == 0o027
    q.add_download_tree("/perm", tmp_path / "tree")  # fresh folder: the batched path
    q.add_download("/perm/a.sh", tmp_path / "single.sh")  # the per-file path
    assert q.run(timeout=30).ok
    q.close()
    for p in (tmp_path / "tree" / "a.sh", tmp_path / "tree" / "b.sh", tmp_path / "single.sh"):
        assert stat.S_IMODE(p.stat().st_mode) == 0o750, p


@pytest.mark.parametrize("proto", ["ftp", "sftp"])
def test_upload_tree_creates_missing_remote_parents(request: pytest.FixtureRequest, tmp_path: Path, proto: str) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "top.txt").write_bytes(b"top")
    (src / "sub" / "deep.txt").write_bytes(b"deep")
    if proto == "ftp":
        server: FtpServer = request.getfixturevalue("ftp_server")
        user: FtpUser = request.getfixturevalue("ftp_user")
        factory = ftp_factory(server, user)
        remote, disk = "/new/parents/here", user.home / "new" / "parents" / "here"
    else:
        from tests.core.transfer.test_queue import sftp_factory

        sshd: SshdServer = request.getfixturevalue("sshd_server")
        factory = sftp_factory(sshd, tmp_path)
        base = sshd.home(sshd.key_user) / f"parents-{os.getpid()}-{id(tmp_path)}"
        remote, disk = f"{base}/a/b", base / "a" / "b"
    with TransferQueue(tmp_path / "q.sqlite3", factory) as q:
        q.add_upload_tree(src, remote)
        assert q.run(timeout=60).ok
    assert (disk / "top.txt").read_bytes() == b"top"
    assert (disk / "sub" / "deep.txt").read_bytes() == b"deep"


class _SpoofedPeer(socket.socket):
    """A control connection that reports another server address (as if the server were elsewhere)."""

    def getpeername(self) -> tuple[str, int]:  # type: ignore[override]
        return ("127.0.0.2", super().getpeername()[1])


def test_active_mode_accepts_data_only_from_the_server() -> None:
    cfg = FakeFtpConfig(listing_lines=["type=file;size=1; a.txt"])

    def spoofing(address: tuple[str, int], timeout: float) -> socket.socket:
        real = socket.create_connection(address, timeout=timeout)
        spoofed = _SpoofedPeer(real.family, real.type, real.proto, fileno=real.detach())
        spoofed.settimeout(timeout)
        return spoofed

    with fake_ftp(cfg) as server:
        with FtpSession("127.0.0.1", server.port, "u", "p", passive=False, timeout=10, allow_plaintext=True) as s:
            assert [e.name for e in s.listdir("/")] == ["a.txt"]  # the real server's connection is taken
        s = FtpSession(
            "127.0.0.1", server.port, "u", "p", passive=False, timeout=1, allow_plaintext=True, connect=spoofing
        )
        with s, pytest.raises(NetworkError, match=r"refused 1 from elsewhere: 127\.0\.0\.1"):
            s.listdir("/")


def test_failed_jobs_store_their_error_kind(ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path) -> None:
    def wrong_password() -> RemoteSession:
        return FtpSession(ftp_server.host, ftp_server.port, ftp_user.name, "wrong", timeout=10, allow_plaintext=True)

    with TransferQueue(tmp_path / "q.sqlite3", ftp_factory(ftp_server, ftp_user)) as q:
        missing = q.add_download("/no/such.bin", tmp_path / "x.bin")
        q.run(timeout=30)
        assert q.job(missing).error_kind == "SourceMissing"
    with TransferQueue(tmp_path / "q2.sqlite3", wrong_password) as q:
        denied = q.add_download("/x.bin", tmp_path / "y.bin")
        q.run(timeout=30)
        job = q.job(denied)
        assert job.state == JobState.FAILED and job.error_kind == "AuthError"
        q.retry(denied)
        assert q.job(denied).state == JobState.QUEUED and q.job(denied).error_kind is None  # retryable


def test_two_jobs_for_one_file_never_run_at_once(ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path) -> None:
    """Separately queued README and readme (one file on a case-folding disk) wait for each other."""
    (ftp_user.home / "README").write_bytes(os.urandom(400_000))
    (ftp_user.home / "readme").write_bytes(os.urandom(400_000))
    order: list[tuple[int, JobState]] = []
    lock = threading.Lock()

    def listener(ev: TransferEvent) -> None:
        if ev.state != JobState.RUNNING or not any(j == ev.job_id for j, _ in order):
            with lock:
                order.append((ev.job_id, ev.state))

    q = TransferQueue(
        tmp_path / "q.sqlite3", ftp_factory(ftp_server, ftp_user), workers=2, listener=listener, speed_limit=2e6
    )
    a = q.add_download("/README", tmp_path / "README")
    b = q.add_download("/readme", tmp_path / "readme")
    assert q.run(timeout=60).ok
    q.close()
    first_done = next(i for i, (j, s) in enumerate(order) if s == JobState.DONE)
    started = {j: i for i, (j, s) in reversed(list(enumerate(order))) if s == JobState.RUNNING}
    assert sorted(started) == sorted([a, b])
    assert max(started.values()) > first_done  # the second began only after the first had finished
