"""Many small files in one go: the queue hands a session up to :data:`BATCH_MAX` files that share round trips.

Only first attempts of small files whose target cannot exist yet are batched
(a fresh folder, or no file and no ``.part`` there), so a batch never needs a
conflict decision; everything else takes the per-file path
(:mod:`.filecopy`).  Sessions offer this through
:attr:`Capability.BATCH_DOWNLOAD` / :attr:`Capability.BATCH_UPLOAD`.  This loop
runs once per small file: it works on plain strings and ``os`` calls.
"""

from __future__ import annotations

import contextlib
import os
import stat as stat_mod
from typing import BinaryIO

from app.core.errors import LocalIOError, NetworkError, UnsafePathError
from app.core.transfer.base import Capability, RemoteSession, SmallDownload, SmallUpload
from app.core.transfer.filecopy import CopySettings
from app.core.transfer.jobs import PART_SUFFIX, TransferJob
from app.core.transfer.localpaths import nofollow_opener

__all__ = ["BATCH_FILE_LIMIT", "BATCH_MAX", "BatchCopier"]

#: Small files (first attempt, no conflict possible) go BATCH_MAX at a time over one SFTP or FTP session.
BATCH_MAX = 32
BATCH_FILE_LIMIT = 255 * 1024


class BatchCopier:
    """Runs batches of small-file jobs over one session; ``made_dirs`` is shared with the per-file path."""

    def __init__(self, settings: CopySettings, made_dirs: set[str]) -> None:
        self.settings = settings
        self._made_dirs = made_dirs

    def batchable(self, job: TransferJob, session: RemoteSession | None) -> bool:
        """Small first-attempt files with no possible conflict can share round trips (SFTP, FTP)."""
        cfg = self.settings
        if session is None or job.attempts or job.size is None or job.size > BATCH_FILE_LIMIT:
            return False
        if cfg.bucket is not None and cfg.bucket.rate:
            return False
        caps = session.capabilities
        if cfg.verify and Capability.SERVER_HASH in caps:
            return False  # the per-file path compares server hashes
        if job.direction == "download":
            return (
                Capability.BATCH_DOWNLOAD in caps
                and job.mtime is not None
                and (job.fresh or (not os.path.lexists(job.target) and not os.path.lexists(job.target + PART_SUFFIX)))
            )
        return Capability.BATCH_UPLOAD in caps and job.fresh

    def download_batch(self, jobs: list[TransferJob], session: RemoteSession) -> list[Exception | None]:
        """Fetch ``jobs`` into their ``.part`` files, then verify and rename each; one outcome per job."""
        cfg = self.settings
        out: list[Exception | None] = [None] * len(jobs)
        files: list[BinaryIO | None] = []
        parts = [job.target + PART_SUFFIX for job in jobs]  # plain strings: this loop runs per small file
        todo: list[int] = []
        sizes: list[int] = []
        results: list[Exception | None] = []
        try:
            for i, (job, part) in enumerate(zip(jobs, parts, strict=True)):
                parent = os.path.dirname(job.target)
                try:
                    if parent not in self._made_dirs:
                        os.makedirs(parent, exist_ok=True)
                        self._made_dirs.add(parent)
                    # Unbuffered: one write per small file anyway, and no isatty/buffer set-up per open.
                    files.append(open(part, "wb", buffering=0, opener=nofollow_opener))  # noqa: SIM115 - closed below
                    todo.append(i)
                except UnsafePathError as e:  # a symlink planted as the .part: this file only
                    out[i] = e
                    files.append(None)
                except OSError as e:
                    out[i] = LocalIOError(f"cannot write {part}: {e.strerror or e}", path=part)
                    files.append(None)
            wanted: list[SmallDownload] = []
            for i in todo:
                f = files[i]
                assert f is not None
                wanted.append((jobs[i].source, f, jobs[i].size or 0))
            results = session.download_small_files(wanted) if wanted else []
            sizes = [f.tell() for f, _ in zip(files, jobs, strict=True) if f is not None]
        finally:
            for f in files:
                if f is not None:
                    with contextlib.suppress(OSError):
                        f.close()
        umask = cfg.umask
        for i, got, err in zip(todo, sizes, results, strict=True):
            job, part = jobs[i], parts[i]
            if err is None:
                try:
                    if cfg.verify and got != job.size:
                        raise NetworkError(f"{job.source}: got {got} of {job.size} bytes")
                    os.replace(part, job.target)
                    if cfg.preserve_mtime and job.mtime is not None:
                        os.utime(job.target, (job.mtime, job.mtime))
                    if cfg.preserve_permissions and job.mode is not None:
                        os.chmod(job.target, job.mode & 0o777 & ~umask)
                except Exception as e:
                    err = e
            elif not isinstance(err, NetworkError | LocalIOError):
                with contextlib.suppress(OSError):
                    os.unlink(part)  # e.g. the file vanished: no partial copy worth keeping
            out[i] = err
        return out

    def upload_batch(self, jobs: list[TransferJob], session: RemoteSession) -> list[Exception | None]:
        """Read each small file and send them all in one batch; one outcome per job."""
        cfg = self.settings
        items: list[SmallUpload] = []
        pre: list[Exception | None] = []
        sizes: list[int] = []
        for job in jobs:
            try:
                with open(job.source, "rb") as f:
                    st = os.fstat(f.fileno())
                    data = f.read()
            except OSError as e:
                pre.append(LocalIOError(f"cannot read {job.source}: {e.strerror}", path=job.source))
                items.append((b"", "", None, None))
                sizes.append(0)
                continue
            pre.append(None)
            sizes.append(len(data))
            items.append(
                (
                    data,
                    job.target,
                    st.st_mtime if cfg.preserve_mtime else None,
                    stat_mod.S_IMODE(st.st_mode) if cfg.preserve_permissions else None,
                )
            )
        todo = [i for i, e in enumerate(pre) if e is None]
        results = session.upload_small_files([items[i] for i in todo]) if todo else []
        out = list(pre)
        for i, res in zip(todo, results, strict=True):
            if isinstance(res, Exception):
                out[i] = res
            elif cfg.verify and res is not None and res != sizes[i]:
                out[i] = NetworkError(f"{jobs[i].target}: the server has {res} of {sizes[i]} bytes")
        return out
