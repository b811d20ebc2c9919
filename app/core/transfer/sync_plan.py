"""What the Files tab's "compare folders" and "synchronize" need beyond :mod:`app.core.transfer.compare`.

* :func:`compare_level` marks the entries of one local and one remote folder (not their subfolders)
  from each side's point of view: newer, older, size differs, only here, same -- by size and
  modification time, like FileZilla's directory comparison.
* :func:`refine_by_checksum` then settles same-size files by content where the server can hash
  (FTP ``HASH``/``XSHA256``..., SFTP ``check-file-name``), or through a ``remote_sha256`` callable
  the caller supplies (for example ``sha256sum`` over SSH, only when the user allowed it).
* :func:`queue_sync` carries out the actions the user kept ticked in the preview of
  :func:`app.core.transfer.compare.plan_mirror`: folders first, then the copies through the
  transfer queue.  Deletions are separate (:func:`run_deletions`) so the caller runs them only
  after every copy succeeded and after a second confirmation.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import shutil
import stat as stat_mod
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from app.core.errors import LocalIOError, QuayError
from app.core.transfer.base import RemoteEntry, RemoteSession
from app.core.transfer.compare import MTIME_TOLERANCE, Side, SyncAction, delete_remote_tree
from app.core.transfer.queue import ConflictPolicy, TransferQueue

__all__ = [
    "ChecksumReport",
    "Mark",
    "compare_level",
    "local_level",
    "queue_sync",
    "refine_by_checksum",
    "remote_level",
    "run_deletions",
]


class Mark(StrEnum):
    """How an entry of one pane compares with the same name in the other pane."""

    SAME = "same"
    ONLY_HERE = "only_here"
    NEWER = "newer"
    OLDER = "older"
    DIFFERS = "differs"  # same age (or unknown) but another size, or another checksum


def local_level(folder: Path) -> dict[str, Side]:
    """The files and folders directly in ``folder`` (symlinks followed; unreadable entries left out)."""
    out: dict[str, Side] = {}
    try:
        with os.scandir(folder) as it:
            for e in it:
                try:
                    st = e.stat()
                except OSError:
                    continue
                if stat_mod.S_ISDIR(st.st_mode):
                    out[e.name] = Side(None, st.st_mtime, True)
                elif stat_mod.S_ISREG(st.st_mode):
                    out[e.name] = Side(st.st_size, st.st_mtime)
    except OSError as e:
        raise LocalIOError(f"cannot list {folder}: {e.strerror or e}", path=str(folder)) from e
    return out


def remote_level(entries: list[RemoteEntry]) -> dict[str, Side]:
    return {
        e.name: Side(e.size, e.mtime, e.is_dir)
        for e in entries
        if e.name not in (".", "..") and e.kind in ("file", "dir", "link")
    }


def _mark(mine: Side, theirs: Side | None) -> Mark:
    if theirs is None:
        return Mark.ONLY_HERE
    if mine.is_dir or theirs.is_dir:
        return Mark.SAME if mine.is_dir == theirs.is_dir else Mark.DIFFERS
    if mine.mtime is not None and theirs.mtime is not None:
        if mine.mtime > theirs.mtime + MTIME_TOLERANCE:
            return Mark.NEWER
        if theirs.mtime > mine.mtime + MTIME_TOLERANCE:
            return Mark.OLDER
    if mine.size is not None and theirs.size is not None and mine.size != theirs.size:
        return Mark.DIFFERS
    return Mark.SAME


def compare_level(local: dict[str, Side], remote: dict[str, Side]) -> tuple[dict[str, Mark], dict[str, Mark]]:
    """(marks for the local names, marks for the remote names), each from its own side's view."""
    return (
        {name: _mark(side, remote.get(name)) for name, side in local.items()},
        {name: _mark(side, local.get(name)) for name, side in remote.items()},
    )


@dataclass
class ChecksumReport:
    """How the content check went: files compared, and whether the server could hash at all."""

    compared: int = 0
    unavailable: bool = False


_LOCAL_ALGOS = {"sha256", "sha512", "sha1", "md5"}


def _local_digest(path: Path, algo: str) -> str:
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, algo).hexdigest()
    except OSError as e:
        raise LocalIOError(f"cannot read {path}: {e.strerror or e}", path=str(path)) from e


def refine_by_checksum(
    session: RemoteSession,
    remote_dir: str,
    local_dir: Path,
    local: dict[str, Side],
    remote: dict[str, Side],
    local_marks: dict[str, Mark],
    remote_marks: dict[str, Mark],
    *,
    remote_sha256: Callable[[str], str | None] | None = None,
) -> ChecksumReport:
    """Settle files present on both sides with the same size by content (marks are updated in place).

    Same content -> SAME on both sides even when the times differ; other content -> DIFFERS
    (unless one side is already marked newer/older, which stays: the user wants to know which).
    """
    report = ChecksumReport()
    for name, lside in local.items():
        rside = remote.get(name)
        if rside is None or lside.is_dir or rside.is_dir or lside.size != rside.size:
            continue
        rpath = posixpath.join(remote_dir, name)
        got = session.checksum(rpath)
        if got is None and remote_sha256 is not None:
            digest = remote_sha256(rpath)
            got = ("sha256", digest) if digest else None
        if got is None or got[0] not in _LOCAL_ALGOS:
            report.unavailable = True
            return report
        algo, digest = got
        same = _local_digest(local_dir / name, algo) == digest.lower()
        report.compared += 1
        if same:
            local_marks[name] = remote_marks[name] = Mark.SAME
        elif local_marks.get(name) == Mark.SAME:
            local_marks[name] = remote_marks[name] = Mark.DIFFERS
    return report


def queue_sync(
    session: RemoteSession, queue: TransferQueue, remote_root: str, local_root: Path, actions: list[SyncAction]
) -> list[int]:
    """Create the folders and queue the copies among ``actions`` (deletions are left to :func:`run_deletions`).

    Copies overwrite: the user saw each one in the preview.  Returns the queued job ids.
    """
    root = remote_root.rstrip("/") or "/"
    ids: list[int] = []
    for a in sorted(actions, key=lambda a: a.relpath.count("/")):
        rpath = posixpath.join(root, a.relpath)
        if a.kind == "mkdir_local" and a.local_path is not None:
            try:
                a.local_path.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise LocalIOError(f"cannot create {a.local_path}: {e.strerror}", path=str(a.local_path)) from e
        elif a.kind == "mkdir_remote" and session.stat(rpath) is None:
            session.mkdir(rpath)
    for a in actions:
        rpath = posixpath.join(root, a.relpath)
        if a.kind == "download" and a.local_path is not None:
            a.local_path.parent.mkdir(parents=True, exist_ok=True)
            ids.append(queue.add_download(rpath, a.local_path, size=a.size, policy=ConflictPolicy.OVERWRITE))
        elif a.kind == "upload" and a.local_path is not None:
            ids.append(queue.add_upload(a.local_path, rpath, size=a.size, policy=ConflictPolicy.OVERWRITE))
    return ids


def run_deletions(session: RemoteSession, remote_root: str, actions: list[SyncAction]) -> list[str]:
    """Delete what the confirmed plan says (deepest first); returns the paths that could not be deleted."""
    root = remote_root.rstrip("/") or "/"
    failed: list[str] = []
    for a in sorted(actions, key=lambda a: a.relpath.count("/"), reverse=True):
        try:
            if a.kind == "delete_remote":
                delete_remote_tree(session, posixpath.join(root, a.relpath))
            elif a.kind == "delete_local" and a.local_path is not None:
                if a.local_path.is_dir() and not a.local_path.is_symlink():
                    shutil.rmtree(a.local_path)
                else:
                    a.local_path.unlink(missing_ok=True)
        except (QuayError, OSError):
            failed.append(a.relpath)
    return failed
