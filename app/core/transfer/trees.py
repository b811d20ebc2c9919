"""Turning a folder tree into transfer jobs: walk it, create the target folders, decide name collisions.

Downloads: every remote name becomes a local path only through
:func:`app.core.transfer.localpaths.local_path_for`; a name it refuses becomes
a failed job with no target (error kind ``UnsafePathError``, never retried).
Two remote names that the target file system stores as one (``README`` and
``readme`` on a case-folding disk, or two spellings the name mapping makes
equal) are decided here, before anything runs, with the conflict policy:

* SKIP: the first listed stays, the others are skipped;
* RENAME: the others get ``name (1)``, ``name (2)`` ...;
* OVERWRITE, RESUME: the last listed wins, the earlier ones are skipped
  (each would have overwritten the one before);
* OVERWRITE_IF_NEWER / OVERWRITE_IF_SIZE_DIFFERS: the newer (or, on equal
  sizes, the first) wins;
* ASK: the resolver is asked (on the calling thread); without one the later
  file fails with :class:`TransferConflict`.

Uploads: the remote folders are created first (parents of the target folder
too, as FileZilla and lftp do), then every file is queued.
"""

from __future__ import annotations

import os
import posixpath
import stat as stat_mod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import LocalIOError, UnsafePathError
from app.core.transfer.base import RemoteEntry, RemoteSession
from app.core.transfer.filecopy import CopySettings
from app.core.transfer.jobs import (
    PART_SUFFIX,
    ConflictInfo,
    ConflictPolicy,
    JobState,
    TransferConflict,
    TransferJob,
)
from app.core.transfer.jobstore import JobRow
from app.core.transfer.localpaths import folds_case, local_path_for, name_key, real_folder

__all__ = ["download_tree_rows", "make_remote_dirs", "upload_tree_rows"]


@dataclass
class _Planned:
    """A file of the download tree while its folder is being decided."""

    rpath: str
    lpath: Path
    entry: RemoteEntry
    fresh: bool
    state: JobState = JobState.QUEUED
    error: str | None = None
    kind: str | None = None
    policy: ConflictPolicy | None = None

    def row(self) -> JobRow:
        e = self.entry
        target = str(self.lpath)
        return (
            "download",
            self.rpath,
            target,
            e.size,
            self.policy,
            e.mtime,
            e.mode,
            self.state,
            self.error,
            self.kind,
            self.fresh and self.state == JobState.QUEUED,
        )


def _skip(p: _Planned, why: str) -> None:
    p.state, p.error, p.kind = JobState.SKIPPED, why, "TransferConflict"


def _same_name(a: _Planned, b: _Planned) -> str:
    return f"{a.lpath.name!r} and {b.lpath.name!r} are one name in {str(a.lpath.parent)!r}"


class _Collisions:
    """Decides which of several remote files that map to one local name is downloaded (see the module doc)."""

    def __init__(self, policy: ConflictPolicy | None, settings: CopySettings, fold: Callable[[Path], bool]) -> None:
        self.policy = policy or settings.policy
        self.job_policy = policy
        self.settings = settings
        self._fold = fold
        #: local folder key -> {name key -> the file currently holding that name}
        self._names: dict[str, dict[str, _Planned]] = {}
        #: local folder key -> {name key} of its sub-folders
        self._dirs: dict[str, set[str]] = {}

    def folder_key(self, ldir: Path) -> str:
        return name_key(str(ldir), self._fold(ldir))

    def add_dir(self, ldir: Path, name: str) -> None:
        """Record a sub-folder; a file of this folder already planned under the same name cannot be written."""
        fkey = self.folder_key(ldir)
        key = name_key(name, self._fold(ldir))
        self._dirs.setdefault(fkey, set()).add(key)
        clash = self._names.get(fkey, {}).pop(key, None)
        if clash is not None and clash.state == JobState.QUEUED:
            self._folder_clash(clash)

    @staticmethod
    def _folder_clash(p: _Planned) -> None:
        p.state, p.kind = JobState.FAILED, "TransferConflict"
        p.error = f"{p.rpath}: {p.lpath.name!r} is also the name of a folder there on this file system"

    def add_file(self, p: _Planned) -> list[_Planned]:
        """Record ``p``; returns earlier files of the same name it displaced (now skipped)."""
        ldir = p.lpath.parent
        fold = self._fold(ldir)
        fkey = self.folder_key(ldir)
        names = self._names.setdefault(fkey, {})
        key = name_key(p.lpath.name, fold)
        if key in self._dirs.get(fkey, ()):
            self._folder_clash(p)
            return []
        first = names.get(key)
        if first is None:
            names[key] = p
            return []
        decided = self._decide(first, p)
        if decided is None:
            p.state, p.kind = JobState.FAILED, "TransferConflict"
            p.error = str(TransferConflict(f"{p.rpath}: {_same_name(first, p)} (no one to ask; choose a policy)"))
            return []
        if decided == ConflictPolicy.SKIP:
            _skip(p, f"{p.rpath}: not downloaded, {_same_name(first, p)} on this file system")
            return []
        if decided == ConflictPolicy.RENAME:
            p.lpath = self._free_name(p.lpath, names, fold)
            names[name_key(p.lpath.name, fold)] = p
            return []
        _skip(first, f"{first.rpath}: replaced by {p.rpath}, {_same_name(first, p)} on this file system")
        p.fresh = False
        p.policy = ConflictPolicy.OVERWRITE
        names[key] = p
        return [first]

    def _decide(self, first: _Planned, second: _Planned) -> ConflictPolicy | None:
        """SKIP, RENAME or OVERWRITE for ``second``; None when the policy is ASK and nobody can answer."""
        a, b = second.entry, first.entry
        policy = self.policy
        if policy == ConflictPolicy.ASK:
            if self.settings.resolver is None:
                return None
            job = TransferJob(
                0, "download", second.rpath, str(first.lpath), a.size, 0, JobState.QUEUED, None, 0, ConflictPolicy.ASK
            )
            return self.settings.resolve(job, ConflictInfo(job, a.size, a.mtime, b.size, b.mtime))
        if policy == ConflictPolicy.OVERWRITE_IF_NEWER:
            newer = a.mtime is not None and (b.mtime is None or a.mtime > b.mtime + 1)
            return ConflictPolicy.OVERWRITE if newer else ConflictPolicy.SKIP
        if policy == ConflictPolicy.OVERWRITE_IF_SIZE_DIFFERS:
            same = a.size is not None and a.size == b.size
            return ConflictPolicy.SKIP if same else ConflictPolicy.OVERWRITE
        if policy in (ConflictPolicy.SKIP, ConflictPolicy.RENAME):
            return policy
        return ConflictPolicy.OVERWRITE

    @staticmethod
    def _free_name(lpath: Path, names: dict[str, _Planned], fold: bool) -> Path:
        stem, suffix = lpath.stem, lpath.suffix
        for i in range(1, 10000):
            candidate = lpath.with_name(f"{stem} ({i}){suffix}")
            if name_key(candidate.name, fold) not in names and not (
                os.path.lexists(candidate) or os.path.lexists(str(candidate) + PART_SUFFIX)
            ):
                return candidate
        raise LocalIOError(f"no free name next to {lpath}", path=str(lpath))


def download_tree_rows(
    session: RemoteSession,
    remote_dir: str,
    local_dir: Path,
    *,
    policy: ConflictPolicy | None,
    settings: CopySettings,
    fold_case: bool | None = None,
    replaced: Callable[[list[str]], None] | None = None,
) -> Iterator[list[JobRow]]:
    """Walk ``remote_dir``, creating each local folder, and yield the job rows of one folder at a time.

    Yielding per folder lets running workers start on the first files while
    the rest of the tree is still being listed.  ``fold_case`` forces the
    target file system's name rule (tests); None probes it.  Files displaced by
    a later one of the same name in a folder already yielded are reported
    through ``replaced(remote paths)`` so the caller can skip their jobs.
    """
    fold_cache: dict[str, bool] = {}

    def fold(ldir: Path) -> bool:
        if fold_case is not None:
            return fold_case
        key = str(ldir)
        if key not in fold_cache:
            fold_cache[key] = folds_case(ldir)
        return fold_cache[key]

    collisions = _Collisions(policy, settings, fold)
    root_fresh = not os.path.lexists(local_dir)
    try:
        local_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LocalIOError(f"cannot create the folder {local_dir}: {e.strerror}", path=str(local_dir)) from e
    # A folder we have just created holds nothing yet: its files need no conflict check ("fresh").
    todo: list[tuple[str, Path, bool]] = [(remote_dir.rstrip("/") or "/", local_dir, root_fresh)]
    while todo:
        rdir, ldir, dir_fresh = todo.pop(0)
        rows: list[JobRow] = []
        planned: list[_Planned] = []
        listing = sorted(session.listdir(rdir), key=lambda e: e.name)
        real_ldir = real_folder(ldir)  # once per folder: each name then costs one lstat, not one per component
        for entry in listing:
            if entry.name in (".", ".."):
                continue
            rpath = posixpath.join(rdir, entry.name)
            kind = entry.kind
            if kind == "link":
                target = session.stat(rpath)
                if target is None or target.kind != "file":
                    continue  # dangling, or a folder link (could loop): left out
                entry, kind = target, "file"
            try:
                lpath = local_path_for(ldir, entry.name, real_root=real_ldir)
            except UnsafePathError as e:
                # No target at all: a retry must never write beside (or into) the folder.
                rows.append(
                    (
                        "download",
                        rpath,
                        "",
                        entry.size,
                        policy,
                        None,
                        None,
                        JobState.FAILED,
                        str(e),
                        "UnsafePathError",
                        False,
                    )
                )
                continue
            if kind == "dir":
                try:
                    lpath.mkdir()
                    made = True
                except FileExistsError:
                    made = False
                    if not lpath.is_dir():
                        raise LocalIOError(f"cannot create the folder {lpath}: it exists as a file") from None
                except OSError as e:
                    raise LocalIOError(f"cannot create the folder {lpath}: {e.strerror}", path=str(lpath)) from e
                collisions.add_dir(ldir, lpath.name)
                todo.append((rpath, lpath, made))
            elif kind == "file":
                p = _Planned(rpath, lpath, entry, dir_fresh, policy=policy)
                earlier = [d for d in collisions.add_file(p) if not any(d is q for q in planned)]
                if earlier and replaced is not None:
                    replaced([d.rpath for d in earlier])
                planned.append(p)
        rows += [p.row() for p in planned]
        if rows:
            yield rows


def upload_tree_rows(local_dir: Path, remote_dir: str) -> tuple[list[str], list[tuple[Path, str, int]]]:
    """The remote folders to create (``remote_dir`` first) and the (local, remote, size) of every regular file."""
    remote_dir = remote_dir.rstrip("/") or "/"
    dirs: list[str] = []
    files: list[tuple[Path, str, int]] = []
    for root, dnames, fnames in os.walk(local_dir):
        dnames.sort()
        rel = os.path.relpath(root, local_dir)
        rroot = remote_dir if rel == "." else posixpath.join(remote_dir, *Path(rel).parts)
        dirs.append(rroot)
        for fname in sorted(fnames):
            lp = Path(root) / fname
            try:
                st = lp.lstat()
            except OSError:
                continue
            if stat_mod.S_ISREG(st.st_mode):
                files.append((lp, posixpath.join(rroot, fname), st.st_size))
    return dirs, files


def make_remote_dirs(session: RemoteSession, dirs: list[str]) -> set[str]:
    """Create ``dirs`` (parents first; the first one's missing ancestors too); returns those we created.

    Existing folders are fine; an existing file of that name is an error.
    """
    created: set[str] = set()
    if not dirs:
        return created
    # Ancestors of the top folder that do not exist yet (FileZilla and lftp create them too).
    missing: list[str] = []
    probe = posixpath.dirname(dirs[0].rstrip("/"))
    while probe and probe not in ("/", ".") and session.stat(probe) is None:
        missing.append(probe)
        probe = posixpath.dirname(probe)
    for d in reversed(missing):
        session.mkdir(d)
        created.add(d)
    for d in dirs:
        parent = posixpath.dirname(d)
        # Below a folder we just made, nothing exists yet: no need to ask the server.
        existing = None if parent in created else session.stat(d)
        if existing is None:
            session.mkdir(d)
            created.add(d)
        elif not existing.is_dir:
            raise LocalIOError(f"{d} exists on the server and is not a folder")
    return created
