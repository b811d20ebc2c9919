"""Core pieces the Files tab adds: remote-edit change detection, one-level compare marks, sync plan, queue reorder."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from app.core.transfer.compare import Side, SyncAction
from app.core.transfer.ftp import FtpSession
from app.core.transfer.queue import ConflictPolicy, JobState, TransferQueue
from app.core.transfer.remote_edit import EditRegistry, file_sha256
from app.core.transfer.sync_plan import Mark, compare_level, local_level, queue_sync, run_deletions
from tests.servers.ftp import FtpServer, FtpUser


def test_edit_uploads_only_real_changes_and_survives_rename_saves(tmp_path: Path) -> None:
    reg = EditRegistry(tmp_path / "edits")
    edit = reg.start("conn", "/site/../index.html")
    assert edit.local_path.parent.parent == tmp_path / "edits" and edit.local_path.name == "index.html"
    assert reg.start("conn", "/site/../index.html") is edit  # one edit per remote file
    edit.local_path.write_bytes(b"<p>old</p>")
    base = edit.set_baseline()
    assert base == hashlib.sha256(b"<p>old</p>").hexdigest()
    os.utime(edit.local_path)  # touched: nothing to upload
    assert edit.check() is None
    edit.local_path.write_bytes(b"<p>old</p>")  # re-saved unchanged
    assert edit.check() is None
    tmp = edit.local_path.with_name("index.html.swp")  # an editor that writes a new file and renames it
    tmp.write_bytes(b"<p>new</p>")
    edit.local_path.unlink()
    assert edit.check() is None  # mid-rename: the file is missing for a moment
    os.replace(tmp, edit.local_path)
    new = edit.check()
    assert new == file_sha256(edit.local_path)
    assert edit.check() is None  # the same change is not reported twice
    edit.uploaded(new)
    assert edit.baseline == new and edit.check() is None
    edit.local_path.write_bytes(b"<p>newer</p>")
    third = edit.check()
    assert third is not None
    edit.declined(third)
    assert edit.check() is None  # declined bytes do not ask again
    reg.stop(edit)
    assert not edit.folder.exists()
    reg.close()


def test_compare_level_marks_each_side(tmp_path: Path) -> None:
    (tmp_path / "same.txt").write_bytes(b"x" * 10)
    (tmp_path / "newer.txt").write_bytes(b"n")
    (tmp_path / "local-only.txt").write_bytes(b"l")
    (tmp_path / "sub").mkdir()
    now = time.time()
    os.utime(tmp_path / "same.txt", (now - 100, now - 100))
    local = local_level(tmp_path)
    remote = {
        "same.txt": Side(10, now - 100),
        "newer.txt": Side(1, now - 1000),
        "remote-only.txt": Side(5, now),
        "sub": Side(None, now, True),
    }
    lm, rm = compare_level(local, remote)
    assert lm == {"same.txt": Mark.SAME, "newer.txt": Mark.NEWER, "local-only.txt": Mark.ONLY_HERE, "sub": Mark.SAME}
    assert rm["newer.txt"] == Mark.OLDER and rm["remote-only.txt"] == Mark.ONLY_HERE


def test_queue_sync_and_deletions_and_reorder(ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path) -> None:
    local = tmp_path / "local"
    (local / "a").mkdir(parents=True)
    (local / "a" / "one.bin").write_bytes(b"1" * 100)
    (ftp_user.home / "gone.txt").write_bytes(b"bye")
    session = FtpSession(ftp_server.host, ftp_server.port, ftp_user.name, ftp_user.password, timeout=10)
    session.connect()
    q = TransferQueue(
        tmp_path / "q.sqlite3",
        lambda: FtpSession(ftp_server.host, ftp_server.port, ftp_user.name, ftp_user.password, timeout=10),
        name="sync",
        policy=ConflictPolicy.ASK,
    )
    try:
        actions = [
            SyncAction("mkdir_remote", "a", local / "a"),
            SyncAction("upload", "a/one.bin", local / "a" / "one.bin", 100),
            SyncAction("delete_remote", "gone.txt", None),
        ]
        ids = queue_sync(session, q, "/", local, actions)
        assert len(ids) == 1
        assert q.run(timeout=30).done == 1
        assert (ftp_user.home / "a" / "one.bin").read_bytes() == b"1" * 100
        assert run_deletions(session, "/", actions) == []
        assert not (ftp_user.home / "gone.txt").exists()
        # reorder: the last added runs first once moved to the front
        files = []
        for i in range(3):
            p = tmp_path / f"r{i}.bin"
            p.write_bytes(bytes([i]) * 10)
            files.append(p)
        jids = [q.add_upload(p, f"/r{i}.bin") for i, p in enumerate(files)]
        q.pause()
        q.reorder([jids[2]], before=jids[0])
        started: list[int] = []
        q.listener = lambda ev: started.append(ev.job_id) if ev.state == JobState.RUNNING else None
        q.workers = 1
        q.resume()
        q.run(timeout=30)
        assert started[:3] == [jids[2], jids[0], jids[1]]
    finally:
        session.close()
        q.close()
