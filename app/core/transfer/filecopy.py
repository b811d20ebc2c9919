"""Copying one file for the queue: conflict decision, ``.part`` file, resume, verification, attributes.

A download writes ``name.part`` (opened without following a symlink) and
renames it to ``name`` only after the size and, where the server can hash,
the digest matched.  A ``.part`` left by an earlier attempt is continued only
when the remote file still has the size and modification time recorded when
the copy started; otherwise it starts over.  An upload continues our own
partial upload on a retry.  Modes copied from a server are masked with the
user's umask, as ``cp -p`` by a non-root user would.
"""

from __future__ import annotations

import contextlib
import errno
import os
import posixpath
import stat as stat_mod
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import Bug, LocalIOError, NetworkError, QuayError, UnsafePathError
from app.core.transfer.base import NotSupported, ProgressCallback, RemoteEntry, RemoteSession
from app.core.transfer.jobs import (
    PART_SUFFIX,
    ConflictInfo,
    ConflictPolicy,
    SourceMissing,
    TransferConflict,
    TransferJob,
    VerificationFailed,
)
from app.core.transfer.jobstore import JobStore
from app.core.transfer.localpaths import nofollow_opener
from app.core.transfer.throttle import ThrottledFile, TokenBucket

__all__ = [
    "CopySettings",
    "FileCopier",
    "Interrupted",
    "Skipped",
    "current_umask",
    "free_local_name",
    "free_remote_name",
    "server_hash_differs",
]

#: Seconds of mtime difference still counted as "unchanged" (FTP listings have coarse times).
MTIME_TOLERANCE = 2.0


class Skipped(Exception):
    """The conflict policy decided to leave this file alone."""


class Interrupted(Exception):
    """A worker stops a running job because the user paused or cancelled it."""


def current_umask() -> int:
    """The process umask, read without changing it where the OS can (Linux ``/proc``), else set and restored."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@dataclass
class CopySettings:
    """How the queue copies files; the queue's attributes of the same names read and write these."""

    policy: ConflictPolicy = ConflictPolicy.OVERWRITE
    resolver: Callable[[ConflictInfo], ConflictPolicy] | None = None
    verify: bool = True
    preserve_mtime: bool = True
    preserve_permissions: bool = False
    #: Bits cleared from a mode copied from the server (the user's umask).
    umask: int = 0o022
    bucket: TokenBucket | None = None

    def local_mode(self, remote_mode: int) -> int:
        return remote_mode & 0o777 & ~self.umask

    def resolve(self, job: TransferJob, info: ConflictInfo) -> ConflictPolicy:
        """The policy for this conflict: the job's own or the queue's; ASK goes to the resolver.

        The conditional policies come back as OVERWRITE or SKIP.
        """
        policy = job.policy or self.policy
        if policy == ConflictPolicy.ASK:
            if self.resolver is None:
                raise TransferConflict(f"{job.target} already exists (no one to ask; choose a conflict policy)")
            policy = self.resolver(info)
            if policy == ConflictPolicy.ASK:
                raise Bug("the conflict resolver answered 'ask'")
        if policy == ConflictPolicy.OVERWRITE_IF_NEWER:
            newer = info.source_mtime is not None and (
                info.target_mtime is None or info.source_mtime > info.target_mtime + 1
            )
            return ConflictPolicy.OVERWRITE if newer else ConflictPolicy.SKIP
        if policy == ConflictPolicy.OVERWRITE_IF_SIZE_DIFFERS:
            differs = info.source_size is None or info.source_size != info.target_size
            return ConflictPolicy.OVERWRITE if differs else ConflictPolicy.SKIP
        return policy


def server_hash_differs(session: RemoteSession, remote: str, local: Path) -> str | None:
    """Compare ``local`` with the server's hash of ``remote``: the algorithm's name when they differ, else None.

    A server that cannot hash (or an algorithm we do not know) counts as "no difference".
    """
    sums = None
    with contextlib.suppress(NotSupported, QuayError):
        sums = session.checksum(remote)
    if sums is None:
        return None
    algo, digest = sums
    try:
        import hashlib  # only when a server can hash: not at start-up

        h = hashlib.new(algo.replace("-", "").lower())
    except ValueError:
        return None
    with open(local, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return algo if h.hexdigest().lower() != digest.lower() else None


def free_local_name(path: Path) -> Path:
    """``name (1).ext``, ``name (2).ext`` ... the first that does not exist (nor its ``.part``)."""
    stem, suffix = path.stem, path.suffix
    for i in range(1, 10000):
        candidate = path.with_name(f"{stem} ({i}){suffix}")
        if not os.path.lexists(candidate) and not os.path.lexists(str(candidate) + PART_SUFFIX):
            return candidate
    raise LocalIOError(f"no free name next to {path}", path=str(path))


def free_remote_name(session: RemoteSession, remote: str) -> str:
    base, ext = posixpath.splitext(remote)
    for i in range(1, 10000):
        candidate = f"{base} ({i}){ext}"
        if session.stat(candidate) is None:
            return candidate
    raise LocalIOError(f"no free name next to {remote}")


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise LocalIOError(f"cannot read {path}: {e.strerror}", path=str(path)) from e


def _changed(recorded_size: int | None, recorded_mtime: float | None, now: RemoteEntry) -> bool:
    """The remote file is not the one a ``.part`` was started from (size or mtime differ from the record)."""
    if recorded_size is not None and now.size is not None and recorded_size != now.size:
        return True
    if recorded_mtime is None or now.mtime is None:
        return False
    # A time from an FTP LIST line has minute precision (day precision for older files), while a later MDTM
    # or MLST has seconds: a recorded whole minute or day only says the file changed beyond that much.
    tolerance = MTIME_TOLERANCE
    if recorded_mtime % 86400 == 0:
        tolerance = 86400.0
    elif recorded_mtime % 60 == 0:
        tolerance = 60.0
    return abs(recorded_mtime - now.mtime) > tolerance


class FileCopier:
    """Copies one job's file over a session; the queue calls it from its worker threads.

    ``progress_for(job, offset, cancel)`` returns the progress callback for a
    transfer starting at ``offset``; ``made_dirs`` (shared with the batch path)
    remembers local folders known to exist, sparing a mkdir per file.
    """

    def __init__(
        self,
        settings: CopySettings,
        store: JobStore,
        progress_for: Callable[[TransferJob, int, threading.Event], ProgressCallback],
        made_dirs: set[str],
    ) -> None:
        self.settings = settings
        self._store = store
        self._progress_for = progress_for
        self._made_dirs = made_dirs

    # --- download -----------------------------------------------------------------------------

    def download(self, session: RemoteSession, job: TransferJob, cancel: threading.Event) -> None:
        cfg = self.settings
        if not job.target:
            # A refused remote name has no target: never invent one (beside the chosen folder, say).
            raise UnsafePathError(f"{job.source} has no safe local name to download to")
        if os.path.isdir(job.target):
            raise TransferConflict(f"{job.target} is a folder; not replacing it with the file {job.source}")
        recorded = (job.size, job.mtime)
        final = Path(job.target)
        part = job.part_path
        pst = _lstat(part)
        remote: RemoteEntry | None
        if job.attempts == 0 and pst is None and job.size is not None and job.mtime is not None:
            # Size and mtime came from the folder listing moments ago: spare a round trip.
            remote = RemoteEntry(posixpath.basename(job.source), "file", job.size, job.mtime, mode=job.mode)
        else:
            remote = session.stat(job.source)
        if remote is None:
            raise SourceMissing(f"{job.source} does not exist on the server")
        job.size = remote.size
        job.mtime = remote.mtime if remote.mtime is not None else job.mtime
        job.mode = remote.mode if remote.mode is not None else job.mode
        # The conflict question is asked once: a decided job carries OVERWRITE or RESUME from then on.
        if final.exists() and job.policy not in (ConflictPolicy.OVERWRITE, ConflictPolicy.RESUME):
            st = final.stat()
            decided = cfg.resolve(job, ConflictInfo(job, remote.size, remote.mtime, st.st_size, st.st_mtime))
            if decided == ConflictPolicy.SKIP:
                raise Skipped()
            if decided == ConflictPolicy.RENAME:
                final = free_local_name(final)
                job.target = str(final)
                part = job.part_path
            elif decided == ConflictPolicy.RESUME and not os.path.lexists(part):
                if remote.size is not None and st.st_size >= remote.size:
                    raise Skipped()
                os.replace(final, part)
            job.policy = ConflictPolicy.RESUME if decided == ConflictPolicy.RESUME else ConflictPolicy.OVERWRITE
            self._store.record_decision(job)
            pst = _lstat(part)
        if pst is None:
            offset = 0
        else:
            if stat_mod.S_ISLNK(pst.st_mode):
                raise UnsafePathError(f"{part} is a symbolic link; not following it", path=str(part))
            offset = pst.st_size
            if _changed(*recorded, remote) or (remote.mtime is not None and remote.mtime > pst.st_mtime + 2.0):
                offset = 0  # the remote file changed since this .part was written: start over
        if remote.size is not None and offset > remote.size:
            offset = 0
        if recorded != (job.size, job.mtime):
            self._store.record_source(job)  # what a later resume must find unchanged
        job.offset = offset
        f = self._open_part(final, part, offset)
        try:
            if offset:
                f.seek(offset)
                f.truncate()
            sink: Any = ThrottledFile(f, cfg.bucket, cancel) if cfg.bucket is not None and cfg.bucket.rate else f
            session.download(
                job.source, sink, offset=offset, progress=self._progress_for(job, offset, cancel), cancel=cancel
            )
            try:
                f.flush()
                got = f.tell()
            except OSError as e:
                raise LocalIOError(f"writing {part} failed: {e.strerror}", path=str(part)) from e
        finally:
            try:
                f.close()
            except OSError as e:
                if e.errno == errno.ENOSPC:
                    raise LocalIOError(f"the disk is full while writing {part}", path=str(part)) from e
        job.offset = got
        if cancel.is_set():
            raise Interrupted()
        if cfg.verify:
            if remote.size is not None and got != remote.size:
                raise NetworkError(f"{job.source}: got {got} of {remote.size} bytes")
            algo = server_hash_differs(session, job.source, part)
            if algo is not None:
                with contextlib.suppress(OSError):
                    part.unlink()
                raise VerificationFailed(f"{job.source}: the {algo} of the copy differs from the server's")
        try:
            os.replace(part, final)
        except OSError as e:
            raise LocalIOError(f"cannot rename {part.name} to {final.name}: {e.strerror}", path=str(final)) from e
        if cfg.preserve_mtime and remote.mtime is not None:
            with contextlib.suppress(OSError):
                os.utime(final, (remote.mtime, remote.mtime))
        if cfg.preserve_permissions and remote.mode is not None:
            with contextlib.suppress(OSError):
                os.chmod(final, cfg.local_mode(remote.mode))

    def _open_part(self, final: Path, part: Path, offset: int) -> Any:
        """Open the ``.part`` file for writing (never through a symlink), making its folder when needed."""
        mode = "r+b" if offset else "wb"
        try:
            if str(final.parent) not in self._made_dirs:
                final.parent.mkdir(parents=True, exist_ok=True)
                self._made_dirs.add(str(final.parent))
            try:
                return open(part, mode, opener=nofollow_opener)
            except FileNotFoundError:  # the folder went away since we made it
                final.parent.mkdir(parents=True, exist_ok=True)
                return open(part, mode, opener=nofollow_opener)
        except UnsafePathError:
            raise
        except OSError as e:
            raise LocalIOError(f"cannot write {part}: {e.strerror}", path=str(part)) from e

    # --- upload --------------------------------------------------------------------------------

    def upload(self, session: RemoteSession, job: TransferJob, cancel: threading.Event) -> None:
        cfg = self.settings
        local = Path(job.source)
        try:
            st = local.stat()
        except OSError as e:
            raise LocalIOError(f"cannot read {local}: {e.strerror}", path=str(local)) from e
        job.size = st.st_size
        offset = 0
        # Our own partial upload (an earlier attempt, or a pause: offset > 0) continues where it stopped,
        # without asking about the partial file as if it were someone else's.
        ours = job.attempts > 0 or job.offset > 0
        remote = None if job.fresh and not ours else session.stat(job.target)
        if remote is not None and remote.is_dir:
            raise SourceMissing(f"{job.target} is a folder on the server")
        if remote is not None:
            if job.policy == ConflictPolicy.RESUME or (ours and job.policy != ConflictPolicy.RENAME):
                offset = remote.size or 0
            elif job.policy != ConflictPolicy.OVERWRITE:
                decided = cfg.resolve(job, ConflictInfo(job, st.st_size, st.st_mtime, remote.size, remote.mtime))
                if decided == ConflictPolicy.SKIP:
                    raise Skipped()
                if decided == ConflictPolicy.RENAME:
                    job.target = free_remote_name(session, job.target)
                elif decided == ConflictPolicy.RESUME:
                    offset = remote.size or 0
                job.policy = ConflictPolicy.RESUME if decided == ConflictPolicy.RESUME else ConflictPolicy.OVERWRITE
                self._store.record_decision(job)
        if ours and job.policy is None:
            job.policy = ConflictPolicy.RESUME  # our own partial upload from an earlier attempt or a pause
        if offset > st.st_size:
            offset = 0
        job.offset = offset
        try:
            f = open(local, "rb")  # noqa: SIM115
        except OSError as e:
            raise LocalIOError(f"cannot read {local}: {e.strerror}", path=str(local)) from e
        server_size: int | None = None
        sent_anything = False
        with f:
            if offset:
                f.seek(offset)
            if offset < st.st_size or offset == 0:
                source: Any = ThrottledFile(f, cfg.bucket, cancel) if cfg.bucket is not None and cfg.bucket.rate else f
                # Attributes ride along where the protocol can (SFTP: with CLOSE, no extra round trips).
                _sent, server_size = session.upload_with_attributes(
                    source,
                    job.target,
                    offset=offset,
                    progress=self._progress_for(job, offset, cancel),
                    cancel=cancel,
                    mtime=st.st_mtime if cfg.preserve_mtime else None,
                    mode=stat_mod.S_IMODE(st.st_mode) if cfg.preserve_permissions else None,
                )
                sent_anything = True
        if cancel.is_set():
            raise Interrupted()
        job.offset = st.st_size
        if cfg.verify:
            if server_size is None:
                after = session.stat(job.target)
                if after is None:
                    raise NetworkError(f"{job.target}: the server has no such file after the upload")
                server_size = after.size
            if server_size is not None and server_size != st.st_size:
                raise NetworkError(f"{job.target}: the server has {server_size} of {st.st_size} bytes")
            algo = server_hash_differs(session, job.target, local)
            if algo is not None:
                raise VerificationFailed(f"{job.target}: the server's {algo} differs from the local file's")
        if not sent_anything:
            # A retry found the whole file already there: its attributes may still be missing.
            if cfg.preserve_mtime:
                with contextlib.suppress(NotSupported, QuayError):
                    session.set_mtime(job.target, st.st_mtime)
            if cfg.preserve_permissions:
                with contextlib.suppress(NotSupported, QuayError):
                    session.chmod(job.target, stat_mod.S_IMODE(st.st_mode))
