"""Compare a local and a remote folder (name, size, mtime) and mirror one onto the other, with a dry run.

The preview (:func:`plan_mirror`) lists what would be uploaded, downloaded and
deleted; :func:`mirror` carries it out through the transfer queue.  Local
paths for remote names come only from :mod:`app.core.transfer.localpaths`.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import stat as stat_mod
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from app.core.errors import LocalIOError, UnsafePathError
from app.core.transfer.base import RemoteSession
from app.core.transfer.jobs import ConflictPolicy, QueueSummary
from app.core.transfer.localpaths import folds_case, local_path_under, name_key

if TYPE_CHECKING:
    from app.core.transfer.queue import TransferQueue

__all__ = [
    "ActionKind",
    "CompareItem",
    "MirrorResult",
    "Side",
    "SyncAction",
    "compare_trees",
    "delete_remote_tree",
    "mirror",
    "plan_mirror",
]

#: Seconds of mtime difference still counted as "same" (FTP MDTM/LIST have coarse times).
MTIME_TOLERANCE = 2.0


@dataclass(frozen=True)
class Side:
    size: int | None
    mtime: float | None
    is_dir: bool = False


class Status(StrEnum):
    SAME = "same"
    LOCAL_ONLY = "local_only"
    REMOTE_ONLY = "remote_only"
    LOCAL_NEWER = "local_newer"
    REMOTE_NEWER = "remote_newer"
    SIZE_DIFFERS = "size_differs"
    UNSAFE = "unsafe"  # the remote name cannot be mapped to a local path
    COLLISION = "collision"  # another remote name maps to the same local file (README / readme on macOS)


@dataclass(frozen=True)
class CompareItem:
    """One relative path (``a/b.txt``, remote spelling) and what each side has."""

    relpath: str
    local_path: Path | None
    local: Side | None
    remote: Side | None
    status: Status


def _status(local: Side | None, remote: Side | None) -> Status:
    if local is None:
        return Status.REMOTE_ONLY
    if remote is None:
        return Status.LOCAL_ONLY
    if local.is_dir and remote.is_dir:
        return Status.SAME
    if local.size != remote.size and remote.size is not None:
        return Status.SIZE_DIFFERS
    if local.mtime is not None and remote.mtime is not None:
        if local.mtime > remote.mtime + MTIME_TOLERANCE:
            return Status.LOCAL_NEWER
        if remote.mtime > local.mtime + MTIME_TOLERANCE:
            return Status.REMOTE_NEWER
    return Status.SAME


def _walk_remote(session: RemoteSession, root: str) -> dict[str, Side]:
    out: dict[str, Side] = {}
    todo = [""]
    while todo:
        rel = todo.pop()
        for e in session.listdir(posixpath.join(root, rel) if rel else root):
            if e.name in (".", ".."):
                continue
            child = f"{rel}/{e.name}" if rel else e.name
            if e.kind == "dir":
                out[child] = Side(None, e.mtime, True)
                todo.append(child)
            elif e.kind == "file":
                out[child] = Side(e.size, e.mtime)
    return out


def _walk_local(root: Path, fold: bool) -> dict[str, tuple[str, Side]]:
    """Every folder and regular file below ``root``: name key of the relative path -> (relative path, side)."""
    out: dict[str, tuple[str, Side]] = {}
    if not root.is_dir():
        return out
    for dirpath, dnames, fnames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        prefix = "" if rel_dir == "." else "/".join(Path(rel_dir).parts) + "/"
        for name in dnames + fnames:
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            rel = prefix + name
            if stat_mod.S_ISDIR(st.st_mode):
                out[name_key(rel, fold)] = (rel, Side(None, st.st_mtime, True))
            elif stat_mod.S_ISREG(st.st_mode):
                out[name_key(rel, fold)] = (rel, Side(st.st_size, st.st_mtime))
    return out


def _local_root(local_dir: Path) -> Path:
    """The target folder resolved once (relative, or reached through a symlink): both sides are keyed below it."""
    return Path(os.path.realpath(local_dir))


def _folds(root: Path) -> bool:
    probe = root
    while not probe.is_dir() and probe.parent != probe:
        probe = probe.parent  # a folder mirror() has not created yet: its nearest existing parent decides
    return folds_case(probe)


def compare_trees(
    session: RemoteSession, remote_dir: str, local_dir: Path, *, fold_case: bool | None = None
) -> list[CompareItem]:
    """Every path on either side, remote names mapped through localpaths; sorted by path.

    Both sides are keyed by the same relative path below the target folder,
    resolved once, and compared by the target file system's name rule
    (``fold_case`` forces it; None probes): a local file is never taken for
    "local only" because its folder was named another way.  Two remote names
    that are one local name are :attr:`Status.COLLISION` (left alone).
    """
    remote_root = remote_dir.rstrip("/") or "/"
    root = _local_root(local_dir)
    fold = _folds(root) if fold_case is None else fold_case
    remote = _walk_remote(session, remote_root)
    local = _walk_local(root, fold)
    items: list[CompareItem] = []
    claimed: set[str] = set()
    for rel, rside in sorted(remote.items()):
        try:
            lpath = local_path_under(root, rel)
        except UnsafePathError:
            items.append(CompareItem(rel, None, None, rside, Status.UNSAFE))
            continue
        key = name_key("/".join(lpath.relative_to(root).parts), fold)
        if key in claimed:
            items.append(CompareItem(rel, None, None, rside, Status.COLLISION))
            continue
        claimed.add(key)
        found = local.get(key)
        lside = found[1] if found is not None else None
        items.append(CompareItem(rel, lpath, lside, rside, _status(lside, rside)))
    for key, (rel, lside) in local.items():
        if key not in claimed:
            items.append(CompareItem(rel, root.joinpath(*rel.split("/")), lside, None, Status.LOCAL_ONLY))
    items.sort(key=lambda i: i.relpath)
    return items


ActionKind = Literal["download", "upload", "mkdir_local", "mkdir_remote", "delete_local", "delete_remote"]


@dataclass(frozen=True)
class SyncAction:
    kind: ActionKind
    relpath: str
    local_path: Path | None
    size: int | None = None


def plan_mirror(items: list[CompareItem], *, reverse: bool = False, delete: bool = False) -> list[SyncAction]:
    """Make the target side (local, or remote with ``reverse``) equal the source side.

    Differing files (size, or the source newer) are copied; with ``delete``,
    what exists only on the target goes (deepest first).  Unsafe remote names
    are never mapped locally and colliding ones are left alone, so neither
    produces any action.
    """
    actions: list[SyncAction] = []
    deletions: list[SyncAction] = []
    for it in items:
        if it.status in (Status.UNSAFE, Status.COLLISION):
            continue
        src, dst = (it.local, it.remote) if reverse else (it.remote, it.local)
        if src is None and dst is not None:
            if delete:
                kind: ActionKind = "delete_remote" if reverse else "delete_local"
                deletions.append(SyncAction(kind, it.relpath, it.local_path))
            continue
        if src is None:
            continue
        if src.is_dir:
            if dst is None:
                actions.append(SyncAction("mkdir_remote" if reverse else "mkdir_local", it.relpath, it.local_path))
            continue
        newer = Status.LOCAL_NEWER if reverse else Status.REMOTE_NEWER
        if dst is None or dst.is_dir or it.status in (Status.SIZE_DIFFERS, newer):
            actions.append(SyncAction("upload" if reverse else "download", it.relpath, it.local_path, src.size))
    deletions.sort(key=lambda a: a.relpath.count("/"), reverse=True)
    return actions + deletions


@dataclass
class MirrorResult:
    plan: list[SyncAction]
    summary: QueueSummary = field(default_factory=QueueSummary)
    dry_run: bool = False


def mirror(
    session: RemoteSession,
    queue: TransferQueue,
    remote_dir: str,
    local_dir: Path,
    *,
    reverse: bool = False,
    delete: bool = False,
    dry_run: bool = False,
    fold_case: bool | None = None,
) -> MirrorResult:
    """Compare, plan, and (unless ``dry_run``) create folders, queue the copies, run them, then delete.

    ``local_dir`` is resolved once (relative paths and symlinks included): every
    local path in the plan lies below that one folder.
    """
    remote_root = remote_dir.rstrip("/") or "/"
    plan = plan_mirror(
        compare_trees(session, remote_root, local_dir, fold_case=fold_case), reverse=reverse, delete=delete
    )
    result = MirrorResult(plan, dry_run=dry_run)
    if dry_run:
        return result
    try:
        _local_root(local_dir).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LocalIOError(f"cannot create {local_dir}: {e.strerror}", path=str(local_dir)) from e
    for a in plan:
        rpath = posixpath.join(remote_root, a.relpath)
        if a.kind == "mkdir_local" and a.local_path is not None:
            try:
                a.local_path.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise LocalIOError(f"cannot create {a.local_path}: {e.strerror}") from e
        elif a.kind == "mkdir_remote":
            session.mkdir(rpath)
        elif a.kind == "download" and a.local_path is not None:
            queue.add_download(rpath, a.local_path, size=a.size, policy=ConflictPolicy.OVERWRITE)
        elif a.kind == "upload" and a.local_path is not None:
            queue.add_upload(a.local_path, rpath, size=a.size, policy=ConflictPolicy.OVERWRITE)
    result.summary = queue.run()
    if not result.summary.ok:
        return result  # never delete after a failed copy
    for a in plan:
        if a.kind == "delete_local" and a.local_path is not None:
            try:
                if a.local_path.is_dir() and not a.local_path.is_symlink():
                    shutil.rmtree(a.local_path)
                else:
                    a.local_path.unlink(missing_ok=True)
            except OSError as e:
                raise LocalIOError(f"cannot delete {a.local_path}: {e.strerror}") from e
        elif a.kind == "delete_remote":
            delete_remote_tree(session, posixpath.join(remote_root, a.relpath))
    return result


def delete_remote_tree(session: RemoteSession, path: str) -> None:
    """Delete a remote file or a whole folder tree (the caller has confirmed)."""
    entry = session.stat(path)
    if entry is None:
        return
    if entry.is_dir:
        for e in session.listdir(path):
            if e.name not in (".", ".."):
                delete_remote_tree(session, posixpath.join(path, e.name))
        session.rmdir(path)
    else:
        session.delete(path)
