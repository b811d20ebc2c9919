"""The transfer queue: persistent jobs run by N parallel workers, with resume, retries, pause/cancel and progress.

This module is the scheduler; the parts it drives live beside it:

* :mod:`.jobs` -- the job record, states, policies, events (plain data);
* :mod:`.jobstore` -- the SQLite job database (``AppPaths.transfer_db``);
* :mod:`.throttle` -- the shared speed limit;
* :mod:`.trees` -- walking a folder tree into jobs (and name collisions);
* :mod:`.filecopy` -- copying one file (conflicts, ``.part``, verification);
* :mod:`.batchcopy` -- many small files sharing round trips.

A job left ``running`` by a crash is queued again and continues from its
``.part`` file.  Each worker thread owns one session made by the session
factory; a server answering 421 (:class:`TooManyConnections`) makes the queue
use one connection fewer.  A network error is retried with exponential
back-off; other errors fail the job with its message and error kind.  Two
jobs whose local targets are one file never run at the same time.

Threads: ``listener`` and ``resolver`` are called from worker threads (the GUI
must hop to its own thread, e.g. with a queued signal); the resolver may also
be asked from the thread that adds a tree, about two remote names that are one
local name.  Progress events come at most ~10 per second per job, plus one on
every state change.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from app.core.errors import Bug, Cancelled, LocalIOError, NetworkError, QuayError, UnsafePathError
from app.core.transfer.base import ProgressCallback, RemoteSession, TooManyConnections
from app.core.transfer.batchcopy import BATCH_FILE_LIMIT, BATCH_MAX, BatchCopier
from app.core.transfer.filecopy import CopySettings, FileCopier, Interrupted, Skipped, current_umask
from app.core.transfer.jobs import (
    ConflictInfo,
    ConflictPolicy,
    Direction,
    JobState,
    QueueSummary,
    TransferEvent,
    TransferJob,
    VerificationFailed,
    error_kind,
)
from app.core.transfer.jobstore import JobRow, JobStore
from app.core.transfer.localpaths import local_path_for, name_key
from app.core.transfer.throttle import TokenBucket
from app.core.transfer.trees import download_tree_rows, make_remote_dirs, upload_tree_rows

__all__ = [
    "BATCH_FILE_LIMIT",
    "BATCH_MAX",
    "ConflictInfo",
    "ConflictPolicy",
    "Direction",
    "JobState",
    "QueueSummary",
    "SessionFactory",
    "TokenBucket",
    "TransferEvent",
    "TransferJob",
    "TransferQueue",
    "VerificationFailed",
]

MAX_WORKERS = 10
PROGRESS_INTERVAL = 0.1

SessionFactory = Callable[[], RemoteSession]


class _Progress:
    """Per-job rate/ETA bookkeeping and the ~10/s throttle."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.t0 = time.monotonic()
        self.last_emit = self.t0  # the first progress event comes after PROGRESS_INTERVAL (small files: none)


def _target_key(job: TransferJob) -> str:
    """Two jobs with one key write one file: on a case-folding disk ``README`` and ``readme`` are one."""
    return name_key(job.target, True) if job.direction == "download" else job.target


class TransferQueue:
    """Persistent transfer queue over one site (``name`` separates queues sharing a database).

    ``session_factory`` returns a new, *unconnected* session; each worker calls
    it once and keeps its session.  ``listener(TransferEvent)`` and
    ``resolver(ConflictInfo) -> ConflictPolicy`` run on worker threads.
    ``fold_case`` forces the local file system's name rule for trees (True:
    ``README`` and ``readme`` are one file); None probes each target folder.
    ``thread_niceness``: the worker threads lower their own CPU priority to this nice value (Linux,
    per thread), so a GUI thread in the same process is not kept waiting behind them.
    """

    def __init__(
        self,
        db_path: Path,
        session_factory: SessionFactory,
        *,
        name: str = "default",
        workers: int = 2,
        policy: ConflictPolicy = ConflictPolicy.OVERWRITE,
        resolver: Callable[[ConflictInfo], ConflictPolicy] | None = None,
        listener: Callable[[TransferEvent], None] | None = None,
        speed_limit: float | None = None,
        max_attempts: int = 5,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        preserve_mtime: bool = True,
        preserve_permissions: bool = False,
        verify: bool = True,
        fold_case: bool | None = None,
        thread_niceness: int | None = None,
    ) -> None:
        self.name = name
        self._store = JobStore(db_path, name)
        self._factory = session_factory
        self.workers = max(1, min(MAX_WORKERS, workers))
        self._allowed = self.workers
        self.listener = listener
        self.settings = CopySettings(
            policy=policy,
            resolver=resolver,
            verify=verify,
            preserve_mtime=preserve_mtime,
            preserve_permissions=preserve_permissions,
            umask=current_umask(),
            bucket=TokenBucket(speed_limit),
        )
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.fold_case = fold_case
        # One lock, two conditions: workers wait on ``_cond`` (new work), wait() on ``_settled`` (maybe
        # all done).  An idle worker tells only the waiters that it found nothing: were they one
        # condition, idle workers would wake each other in turn, a busy loop while the queue sits idle.
        lock = threading.RLock()
        self._cond = threading.Condition(lock)
        self._settled = threading.Condition(lock)
        self.thread_niceness = thread_niceness
        self._threads: list[threading.Thread] = []
        self._stopping = False
        self._paused_all = False
        self._running: dict[int, tuple[threading.Event, list[JobState]]] = {}
        self._targets: dict[str, int] = {}  # target key -> the running job writing it
        self._target_of: dict[int, str] = {}  # running job -> its key in _targets (the target may be renamed)
        self._not_before: dict[int, float] = {}
        self._progress: dict[int, _Progress] = {}
        self._spare: list[RemoteSession] = []  # connected sessions handed over by adopt()
        made_dirs: set[str] = set()  # local folders known to exist (spares a mkdir per file)
        self._copier = FileCopier(self.settings, self._store, self._progress_cb, made_dirs)
        self._batcher = BatchCopier(self.settings, made_dirs)
        self._store.requeue_running()

    # --- settings (shared with the copiers) ---------------------------------------------------

    @property
    def policy(self) -> ConflictPolicy:
        return self.settings.policy

    @policy.setter
    def policy(self, value: ConflictPolicy) -> None:
        self.settings.policy = value

    @property
    def resolver(self) -> Callable[[ConflictInfo], ConflictPolicy] | None:
        return self.settings.resolver

    @resolver.setter
    def resolver(self, value: Callable[[ConflictInfo], ConflictPolicy] | None) -> None:
        self.settings.resolver = value

    @property
    def verify(self) -> bool:
        return self.settings.verify

    @verify.setter
    def verify(self, value: bool) -> None:
        self.settings.verify = value

    @property
    def preserve_mtime(self) -> bool:
        return self.settings.preserve_mtime

    @preserve_mtime.setter
    def preserve_mtime(self, value: bool) -> None:
        self.settings.preserve_mtime = value

    @property
    def preserve_permissions(self) -> bool:
        return self.settings.preserve_permissions

    @preserve_permissions.setter
    def preserve_permissions(self, value: bool) -> None:
        self.settings.preserve_permissions = value

    @property
    def bucket(self) -> TokenBucket:
        assert self.settings.bucket is not None
        return self.settings.bucket

    # --- adding jobs ----------------------------------------------------------------------

    def _wake(self) -> None:
        """Under ``_cond``: something changed for the workers and for wait()."""
        self._cond.notify_all()
        self._settled.notify_all()

    def _insert_many(self, rows: list[JobRow]) -> list[int]:
        ids = self._store.insert_many(rows)
        with self._cond:
            self._wake()
        return ids

    def add_download(
        self, remote: str, local: Path | str, *, size: int | None = None, policy: ConflictPolicy | None = None
    ) -> int:
        """Queue one file; ``local`` is the full local path the user chose (not built from a remote name)."""
        row: JobRow = ("download", remote, str(local), size, policy, None, None, JobState.QUEUED, None, None, False)
        return self._insert_many([row])[0]

    def add_download_into(
        self, remote: str, local_dir: Path, *, size: int | None = None, policy: ConflictPolicy | None = None
    ) -> int:
        """Queue ``remote`` into ``local_dir`` under its remote name, made safe by localpaths.

        A name localpaths refuses becomes a failed job with no target (never retried).
        """
        name = os.path.basename(remote.rstrip("/"))
        try:
            target = str(local_path_for(local_dir, name))
        except UnsafePathError as e:
            row: JobRow = (
                "download", remote, "", size, policy, None, None, JobState.FAILED, str(e), "UnsafePathError", False
            )  # fmt: skip
            return self._insert_many([row])[0]
        row = ("download", remote, target, size, policy, None, None, JobState.QUEUED, None, None, False)
        return self._insert_many([row])[0]

    def add_upload(
        self, local: Path | str, remote: str, *, size: int | None = None, policy: ConflictPolicy | None = None
    ) -> int:
        if size is None:
            with contextlib.suppress(OSError):
                size = os.stat(local).st_size
        row: JobRow = ("upload", str(local), remote, size, policy, None, None, JobState.QUEUED, None, None, False)
        return self._insert_many([row])[0]

    def add_download_tree(
        self,
        remote_dir: str,
        local_dir: Path,
        *,
        policy: ConflictPolicy | None = None,
        session: RemoteSession | None = None,
    ) -> list[int]:
        """Walk ``remote_dir``: each folder is created locally, then its files are queued.

        Names the server lists go through localpaths; an unsafe one becomes a
        failed job (nothing written, no target, never retried) so the summary
        shows it.  Names the local file system would store as one are decided
        by the conflict policy here (see :mod:`.trees`).
        """
        ids: list[int] = []
        with self._borrow(session) as s:
            for rows in download_tree_rows(
                s,
                remote_dir,
                local_dir,
                policy=policy,
                settings=self.settings,
                fold_case=self.fold_case,
                replaced=self._skip_replaced,
            ):
                # Each folder's files are queued as soon as it is listed, so running workers start on them
                # while the rest of the tree is still being listed.
                ids += self._insert_many(rows)
        return ids

    def _skip_replaced(self, sources: list[str]) -> None:
        self._store.skip_queued_downloads(
            sources, "replaced by a later file of the same name on this file system", "TransferConflict"
        )

    def add_upload_tree(
        self,
        local_dir: Path,
        remote_dir: str,
        *,
        policy: ConflictPolicy | None = None,
        session: RemoteSession | None = None,
    ) -> list[int]:
        """Create the remote folders first (missing parents too; existing ones are fine), then queue every file."""
        dirs, files = upload_tree_rows(local_dir, remote_dir)
        with self._borrow(session) as s:
            created = make_remote_dirs(s, dirs)
        rows: list[JobRow] = [
            (
                "upload",
                str(lp),
                rp,
                size,
                policy,
                None,
                None,
                JobState.QUEUED,
                None,
                None,
                os.path.dirname(rp) in created,
            )
            for lp, rp, size in files
        ]
        return self._insert_many(rows)

    @contextlib.contextmanager
    def _borrow(self, session: RemoteSession | None) -> Iterator[RemoteSession]:
        if session is not None:
            yield session
            return
        s = self._factory()
        s.connect()
        try:
            yield s
        finally:
            s.close()

    # --- inspecting --------------------------------------------------------------------------

    def jobs(self, states: tuple[JobState, ...] | None = None) -> list[TransferJob]:
        return self._store.jobs(states)

    def job(self, job_id: int) -> TransferJob:
        return self._store.job(job_id)

    def summary(self) -> QueueSummary:
        out = QueueSummary()
        for job in self.jobs():
            if job.state == JobState.DONE:
                out.done += 1
            elif job.state == JobState.FAILED:
                out.failed += 1
                out.failures.append((job.source, job.error or "failed"))
                out.failed_jobs.append(job)
            elif job.state == JobState.SKIPPED:
                out.skipped += 1
            elif job.state == JobState.CANCELLED:
                out.cancelled += 1
            else:
                out.pending += 1
        return out

    def clear_finished(self) -> None:
        self._store.clear_finished()

    @property
    def active_connections(self) -> int:
        """How many workers may hold a connection now (lowered after a 421)."""
        return self._allowed

    # --- control ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker threads (idempotent)."""
        with self._cond:
            self._stopping = False
            self._threads = [t for t in self._threads if t.is_alive()]
            for i in range(len(self._threads), self.workers):
                t = threading.Thread(target=self._worker, args=(i,), name=f"transfer-{self.name}-{i}", daemon=True)
                self._threads.append(t)
                t.start()

    def adopt(self, session: RemoteSession) -> None:
        """Hand over a connected session (the caller's, used to look at the target first): the next
        worker to start works on it instead of connecting again. Closed by :meth:`stop` if unused."""
        with self._cond:
            self._spare.append(session)

    def _take_spare(self) -> RemoteSession | None:
        with self._cond:
            return self._spare.pop() if self._spare else None

    def stop(self, timeout: float | None = 30.0) -> None:
        """Stop the workers; running jobs are interrupted and stay queued (resumable)."""
        with self._cond:
            self._stopping = True
            for ev, reason in self._running.values():
                reason.append(JobState.QUEUED)
                ev.set()
            self._wake()
        for t in self._threads:
            t.join(timeout)
        self._threads = []
        while (spare := self._take_spare()) is not None:
            with contextlib.suppress(Exception):
                spare.close()

    def close(self) -> None:
        self.stop()
        self._store.close()

    def __enter__(self) -> TransferQueue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no job is queued or running; True if so, False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while True:
                if not self._store.busy() or (self._paused_all and not self._running):
                    return True
                if not any(t.is_alive() for t in self._threads):
                    return False
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._settled.wait(0.2 if left is None else min(left, 0.2))

    def run(self, timeout: float | None = None) -> QueueSummary:
        """Start, wait until everything finished, stop; the summary says what failed."""
        self.start()
        self.wait(timeout)
        self.stop()
        return self.summary()

    def _interrupt(self, job_id: int | None, state: JobState) -> None:
        for jid, (ev, reason) in list(self._running.items()):
            if job_id is None or jid == job_id:
                reason.append(state)
                ev.set()

    def pause(self, job_id: int | None = None) -> None:
        """Pause one job (or all: no new job starts either); its partial data is kept."""
        with self._cond:
            if job_id is None:
                self._paused_all = True
            self._store.set_state_where(job_id, JobState.PAUSED, (JobState.QUEUED,))
            self._interrupt(job_id, JobState.PAUSED)
            self._wake()

    def resume(self, job_id: int | None = None) -> None:
        """Queue paused jobs again (all of them when ``job_id`` is None)."""
        with self._cond:
            if job_id is None:
                self._paused_all = False
            self._store.set_state_where(job_id, JobState.QUEUED, (JobState.PAUSED,))
            self._wake()

    def retry(self, job_id: int | None = None) -> None:
        """Queue failed or cancelled jobs again with a fresh attempt count.

        Jobs that failed for a reason a retry cannot fix stay failed (a refused
        remote name: :data:`app.core.transfer.jobs.NOT_RETRYABLE`).
        """
        with self._cond:
            self._store.retry(job_id)
            self._wake()

    def cancel(self, job_id: int | None = None) -> None:
        """Cancel one job (or all); a download's ``.part`` file is removed."""
        with self._cond:
            waiting = [j for j in self.jobs((JobState.QUEUED, JobState.PAUSED)) if job_id is None or j.id == job_id]
            self._store.set_state_where(job_id, JobState.CANCELLED, (JobState.QUEUED, JobState.PAUSED))
            self._interrupt(job_id, JobState.CANCELLED)
            self._wake()
        for job in waiting:
            if job.direction == "download" and job.target:
                with contextlib.suppress(OSError):
                    job.part_path.unlink()
            self._emit(job, JobState.CANCELLED, job.offset, force=True)

    def set_speed_limit(self, bytes_per_second: float | None) -> None:
        self.bucket.set_rate(bytes_per_second)

    def reorder(self, job_ids: list[int], before: int | None = None) -> None:
        """Run the waiting (queued or paused) ``job_ids``, in this order, just before waiting job ``before``
        (or after every other waiting job when ``before`` is None or not waiting).

        Running and finished jobs are not moved; jobs added later still go last.  The order is kept
        in the job database, so it survives a restart.
        """
        with self._cond:
            self._store.reorder(job_ids, before)
            self._wake()

    def waiting_order(self) -> list[int]:
        """The ids of the waiting (queued or paused) jobs, in the order they will run."""
        return self._store.waiting_order()

    # --- workers -------------------------------------------------------------------------------

    def _take(self, job: TransferJob) -> bool:
        """Under ``_cond``: start tracking a claimed job; False (and back in the queue) while its target is busy."""
        key = _target_key(job)
        if key in self._targets:
            # Another job writes the same file right now (two names, one file): this one waits its turn.
            self._store.set_state_where(job.id, JobState.QUEUED, (JobState.RUNNING,))
            self._not_before[job.id] = time.monotonic() + 0.1
            return False
        self._targets[key] = job.id
        self._target_of[job.id] = key
        self._running[job.id] = (threading.Event(), [])
        return True

    def _claim(self, index: int) -> TransferJob | None:
        """The next queued job for worker ``index``, marked running; None when there is none (yet)."""
        with self._cond:
            while True:
                if self._stopping or index >= self._allowed:
                    return None
                if not self._paused_all:
                    now = time.monotonic()
                    if not self._not_before:
                        job = self._store.claim_next()
                        if job is not None:
                            if self._take(job):
                                return job
                            continue
                        if not self._running:
                            self._settled.notify_all()  # wake wait(): maybe all done (never the other workers)
                        self._cond.wait(0.2)
                        continue
                    jobs = self._store.queued(64)  # jobs waiting for a retry may be passed over
                    for job in jobs:
                        if self._not_before.get(job.id, 0.0) > now:
                            continue
                        self._not_before.pop(job.id, None)
                        self._store.mark_running([job.id])
                        job.state = JobState.RUNNING
                        if self._take(job):
                            return job
                    if not jobs and not self._running:
                        self._settled.notify_all()  # wake wait(): maybe all done
                self._cond.wait(0.2)

    def _worker(self, index: int) -> None:
        session: RemoteSession | None = self._take_spare()
        if self.thread_niceness is not None:
            lower_thread_priority(self.thread_niceness)
        try:
            while True:
                job = self._claim(index)
                if job is None:
                    return
                if self._batcher.batchable(job, session):
                    assert session is not None
                    batch = [job, *self._claim_more(job, session, BATCH_MAX - 1)]
                    session = self._run_batch(batch, session)
                else:
                    session = self._run_job(job, session)
        finally:
            if session is not None:
                with contextlib.suppress(Exception):
                    session.close()
            with self._cond:
                self._wake()

    def _release(self, job: TransferJob) -> None:
        """Under ``_cond``: forget a job that stopped running."""
        self._running.pop(job.id, None)
        self._progress.pop(job.id, None)
        key = self._target_of.pop(job.id, None)
        if key is not None and self._targets.get(key) == job.id:
            del self._targets[key]

    def _finish(self, job: TransferJob, state: JobState, error: BaseException | None = None) -> None:
        message = None if error is None else str(error)
        kind = None if error is None else error_kind(error)
        self._store.finish(job, state, message, kind)
        with self._cond:
            self._release(job)
            # Wake others only when it matters: a job to pick up again, or maybe nothing left (wait()).
            if state == JobState.QUEUED or not self._running or self._not_before:
                self._wake()
        job.state = state
        job.error = message
        job.error_kind = kind
        self._emit(job, state, job.offset, force=True, error=message, kind=kind)

    def _run_job(self, job: TransferJob, session: RemoteSession | None) -> RemoteSession | None:
        ev, _reason = self._running[job.id]
        self._progress[job.id] = _Progress(job.offset)
        self._emit(job, JobState.RUNNING, job.offset, force=True)
        try:
            if session is None:
                session = self._factory()
                session.connect()
            if job.direction == "download":
                self._copier.download(session, job, ev)
            else:
                self._copier.upload(session, job, ev)
            self._finish(job, JobState.DONE)
        except BaseException as e:
            if not isinstance(e, Exception):
                raise
            session = self._failed(job, e, session)
        return session

    def _failed(self, job: TransferJob, e: Exception, session: RemoteSession | None) -> RemoteSession | None:
        """Record how a job ended when it did not succeed; returns the session if it is still usable."""
        if isinstance(e, Skipped):
            self._finish(job, JobState.SKIPPED)
        elif isinstance(e, (Interrupted, Cancelled)):
            session = _drop(session)
            entry = self._running.get(job.id)
            reason = entry[1] if entry else []
            new = reason[-1] if reason else JobState.CANCELLED
            if new == JobState.CANCELLED and job.direction == "download":
                with contextlib.suppress(OSError):
                    job.part_path.unlink()
                job.offset = 0
            self._finish(job, new)
        elif isinstance(e, NetworkError):
            session = _drop(session)
            with self._cond:
                fewer = isinstance(e, TooManyConnections) and self._allowed > 1
                if fewer:
                    # The server wants fewer connections: the highest-numbered worker retires.
                    self._allowed -= 1
            if not fewer:
                job.attempts += 1
            if job.attempts >= self.max_attempts:
                self._finish(job, JobState.FAILED, e)
            else:
                delay = min(self.max_backoff, self.backoff * (2 ** max(0, job.attempts - 1)))
                with self._cond:
                    self._not_before[job.id] = time.monotonic() + delay
                self._finish(job, JobState.QUEUED, e)
        elif isinstance(e, LocalIOError):
            session = _drop(session)  # the transfer was cut off mid-stream
            self._finish(job, JobState.FAILED, e)
        elif isinstance(e, QuayError):
            self._finish(job, JobState.FAILED, e)
        elif isinstance(e, OSError):  # local trouble not already mapped by a session
            path = e.filename or job.target
            self._finish(job, JobState.FAILED, LocalIOError(f"{e.strerror or e}: {path}", path=str(path)))
        else:
            self._finish(job, JobState.FAILED, Bug(f"internal error: {type(e).__name__}: {e}"))
        return session

    # --- many small files in one go ----------------------------------------------------------------

    def _claim_more(self, first: TransferJob, session: RemoteSession, count: int) -> list[TransferJob]:
        """More queued jobs like ``first`` that can join its batch, marked running."""
        out: list[TransferJob] = []
        with self._cond:
            if self._stopping or self._paused_all:
                return out
            for job in self._store.queued(count, first.direction):
                if job.id in self._not_before or not self._batcher.batchable(job, session):
                    continue
                key = _target_key(job)
                if key in self._targets:
                    continue
                self._targets[key] = job.id
                self._target_of[job.id] = key
                job.state = JobState.RUNNING
                self._running[job.id] = (threading.Event(), [])
                out.append(job)
            self._store.mark_running([j.id for j in out])
        return out

    def _run_batch(self, jobs: list[TransferJob], session: RemoteSession) -> RemoteSession | None:
        for job in jobs:
            self._progress[job.id] = _Progress(0)
            self._emit(job, JobState.RUNNING, 0, force=True)
        try:
            if jobs[0].direction == "download":
                outcomes = self._batcher.download_batch(jobs, session)
            else:
                outcomes = self._batcher.upload_batch(jobs, session)
        except Exception as e:
            alive: RemoteSession | None = session
            for job in jobs:
                alive = self._failed(job, e, alive)
            return alive
        alive = session
        done = [job for job, err in zip(jobs, outcomes, strict=True) if err is None]
        if done:
            for job in done:
                job.offset = job.size or 0
            self._finish_many(done)
        for job, err in zip(jobs, outcomes, strict=True):
            if err is not None:
                alive = self._failed(job, err, alive)
        return alive

    def _finish_many(self, jobs: list[TransferJob]) -> None:
        """Mark a batch of jobs done in one transaction (one commit instead of one per small file)."""
        self._store.finish_many_done(jobs)
        with self._cond:
            for job in jobs:
                self._release(job)
            if not self._running or self._not_before:
                self._wake()
        for job in jobs:
            job.state = JobState.DONE
            job.error = None
            job.error_kind = None
            self._emit(job, JobState.DONE, job.offset, force=True)

    # --- progress ---------------------------------------------------------------------------------

    def _progress_cb(self, job: TransferJob, offset: int, cancel: threading.Event) -> ProgressCallback:
        """The session's progress callback for ``job``; pause/cancel set ``cancel`` and the session stops."""

        def cb(done_in_call: int) -> None:
            job.offset = offset + done_in_call
            self._emit(job, JobState.RUNNING, job.offset)

        return cb

    def _emit(
        self,
        job: TransferJob,
        state: JobState,
        done: int,
        *,
        force: bool = False,
        error: str | None = None,
        kind: str | None = None,
    ) -> None:
        prog = self._progress.get(job.id)
        now = time.monotonic()
        if prog is not None and not force:
            if now - prog.last_emit < PROGRESS_INTERVAL:
                return
            prog.last_emit = now
            self._store.set_offset(job.id, done)
        rate = 0.0
        eta: float | None = None
        if prog is not None:
            elapsed = now - prog.t0
            if elapsed > 0:
                rate = max(0, done - prog.start) / elapsed
            if rate > 0 and job.size is not None:
                eta = max(0.0, (job.size - done) / rate)
        if self.listener is not None:
            with contextlib.suppress(Exception):
                self.listener(TransferEvent(job.id, state, done, job.size, rate, eta, error, kind))


def lower_thread_priority(niceness: int) -> None:
    """Give the calling thread (and threads it starts later, e.g. paramiko's) the nice value ``niceness``.

    Linux keeps a nice value per thread, so a transfer thread can give way to a GUI thread in the
    same process (which otherwise waits behind it for the CPU, and so for the GIL).  Elsewhere
    ``setpriority`` would lower the whole process, so it is left alone there.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        if os.getpriority(os.PRIO_PROCESS, 0) < niceness:
            os.setpriority(os.PRIO_PROCESS, 0, niceness)


def _drop(session: RemoteSession | None) -> RemoteSession | None:
    """Close a session whose state is uncertain after an interrupted transfer; the worker reconnects."""
    if session is not None:
        with contextlib.suppress(Exception):
            session.close()
    return None
