"""The transfer queue: persistent jobs, N parallel workers, resume, retries, conflicts, verification, progress.

Jobs live in SQLite (``AppPaths.transfer_db``) so a restart resumes them: a
job left ``running`` by a crash is queued again and continues from its
``.part`` file.  Each worker thread owns one session made by the session
factory; a server answering 421 (:class:`TooManyConnections`) makes the queue
use one connection fewer.  Every byte downloaded goes to ``name.part``, renamed
to ``name`` only after the size (and a server hash, where the session offers
one) matched.  Every local path built from a remote name goes through
:mod:`app.core.transfer.localpaths`.

Threads: ``listener`` and ``resolver`` are called from worker threads (the GUI
must hop to its own thread, e.g. with a queued signal).  Progress events come at
most ~10 per second per job, plus one on every state change.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import posixpath
import sqlite3
import stat as stat_mod
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, Literal

from app.core.errors import Bug, Cancelled, LocalIOError, NetworkError, QuayError, UnsafePathError
from app.core.transfer.base import NotSupported, RemoteEntry, RemoteSession
from app.core.transfer.localpaths import local_path_for

__all__ = [
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

SCHEMA_VERSION = 1
MAX_WORKERS = 10
PROGRESS_INTERVAL = 0.1
PART_SUFFIX = ".part"
#: Small files (first attempt, no conflict possible) go BATCH_MAX at a time over one SFTP or FTP session.
BATCH_MAX = 32
BATCH_FILE_LIMIT = 255 * 1024

SessionFactory = Callable[[], RemoteSession]
Direction = Literal["download", "upload"]


class ConflictPolicy(StrEnum):
    """What to do when the target already exists."""

    ASK = "ask"
    OVERWRITE = "overwrite"
    OVERWRITE_IF_NEWER = "overwrite_if_newer"
    OVERWRITE_IF_SIZE_DIFFERS = "overwrite_if_size_differs"
    RESUME = "resume"
    RENAME = "rename"
    SKIP = "skip"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


FINISHED = (JobState.DONE, JobState.FAILED, JobState.CANCELLED, JobState.SKIPPED)


class VerificationFailed(QuayError):
    """The copy does not match the original (size or server hash): the transfer is not trusted."""


@dataclass
class TransferJob:
    """One file to move; ``offset`` is how many bytes are already safely on the target side."""

    id: int
    direction: Direction
    source: str
    target: str
    size: int | None
    offset: int
    state: JobState
    error: str | None
    attempts: int
    policy: ConflictPolicy | None
    mtime: float | None = None
    mode: int | None = None
    #: The target is known not to exist (its folder was just created by us): no conflict check needed.
    fresh: bool = False

    @property
    def resume_offset(self) -> int:
        return self.offset

    @property
    def part_path(self) -> Path:
        """Where a download's bytes go until verified."""
        return Path(self.target + PART_SUFFIX)


@dataclass(frozen=True)
class TransferEvent:
    """Progress or state change of one job (``rate`` bytes/s, ``eta`` seconds when known)."""

    job_id: int
    state: JobState
    bytes_done: int
    total: int | None
    rate: float
    eta: float | None
    error: str | None = None


@dataclass(frozen=True)
class ConflictInfo:
    """What the resolver sees: the job and both sides' size and mtime."""

    job: TransferJob
    source_size: int | None
    source_mtime: float | None
    target_size: int | None
    target_mtime: float | None


@dataclass
class QueueSummary:
    done: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0
    pending: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.cancelled == 0 and self.pending == 0


class TokenBucket:
    """A shared speed limit: ``consume(n)`` sleeps until ``n`` bytes fit into ``rate`` bytes/s."""

    def __init__(self, rate: float | None, burst: float | None = None) -> None:
        self._lock = threading.Lock()
        self.rate = rate
        self._burst = burst
        self._tokens = self._capacity()
        self._last = time.monotonic()

    def _capacity(self) -> float:
        if not self.rate:
            return 0.0
        return self._burst if self._burst is not None else max(self.rate / 4, 16384.0)

    def set_rate(self, rate: float | None) -> None:
        with self._lock:
            self.rate = rate
            self._tokens = min(self._tokens, self._capacity())

    def consume(self, n: int, cancel: threading.Event | None = None) -> None:
        """Debit ``n`` bytes; when the bucket goes into debt, sleep until it is paid (or ``cancel`` is set)."""
        with self._lock:
            if not self.rate:
                return
            now = time.monotonic()
            self._tokens = min(self._capacity(), self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= n
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            if cancel is not None:
                cancel.wait(wait)
            else:
                time.sleep(wait)


class _ThrottledFile:
    """A local file whose reads and writes pay into the speed limit's bucket, block by block.

    It deliberately has no ``fileno()``, so sessions do not bypass it with
    sendfile(2); without a speed limit the queue hands sessions the real file.
    """

    def __init__(self, f: BinaryIO, bucket: TokenBucket, cancel: threading.Event) -> None:
        self._f = f
        self._bucket = bucket
        self._cancel = cancel

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._bucket.consume(len(data), self._cancel)
        return self._f.write(data)

    def read(self, n: int = -1) -> bytes:
        data = self._f.read(n)
        self._bucket.consume(len(data), self._cancel)
        return data

    def readinto(self, buf: bytearray | memoryview) -> int:
        n = self._f.readinto(buf)  # type: ignore[attr-defined]
        self._bucket.consume(n or 0, self._cancel)
        return int(n or 0)

    def tell(self) -> int:
        return self._f.tell()

    def seek(self, pos: int, whence: int = 0) -> int:
        return self._f.seek(pos, whence)

    def seekable(self) -> bool:
        return self._f.seekable()

    def flush(self) -> None:
        self._f.flush()


class _Interrupt(Exception):
    """A worker stops a running job because the user paused or cancelled it."""


_COLUMNS = "id, direction, source, target, size, offset, state, error, attempts, policy, mtime, mode, fresh"


class _Store:
    """The jobs table; one connection shared by the workers under a lock (WAL, so GUI readers never block)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise LocalIOError(f"{path} was written by a newer Quay (schema {version})")
        if version < 1:
            self._db.executescript(
                """
                CREATE TABLE IF NOT EXISTS jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    queue TEXT NOT NULL,
                    direction TEXT NOT NULL CHECK (direction IN ('download', 'upload')),
                    source TEXT NOT NULL,
                    target TEXT NOT NULL,
                    size INTEGER,
                    offset INTEGER NOT NULL DEFAULT 0,
                    state TEXT NOT NULL,
                    error TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    policy TEXT,
                    mtime REAL,
                    mode INTEGER,
                    fresh INTEGER NOT NULL DEFAULT 0,
                    created REAL NOT NULL
                );
                CREATE INDEX IF NOT EXISTS jobs_queue_state ON jobs (queue, state, id);
                PRAGMA user_version = 1;
                """
            )
        # Additive (no version bump): a user-chosen order for waiting jobs; NULL means "by id".
        if "rank" not in {r[1] for r in self._db.execute("PRAGMA table_info(jobs)")}:
            self._db.execute("ALTER TABLE jobs ADD COLUMN rank REAL")

    @contextlib.contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def query(self, sql: str, args: tuple[object, ...] = ()) -> list[Any]:
        with self._lock:
            return list(self._db.execute(sql, args).fetchall())

    def execute(self, sql: str, args: tuple[object, ...] = ()) -> None:
        with self._lock:
            self._db.execute(sql, args)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _row_to_job(row: Any) -> TransferJob:
    (jid, direction, source, target, size, offset, state, error, attempts, policy, mtime, mode, fresh) = row
    return TransferJob(
        id=int(jid),
        direction="upload" if direction == "upload" else "download",
        source=str(source),
        target=str(target),
        size=None if size is None else int(size),
        offset=int(offset),
        state=JobState(str(state)),
        error=None if error is None else str(error),
        attempts=int(attempts),
        policy=ConflictPolicy(str(policy)) if policy else None,
        mtime=None if mtime is None else float(mtime),
        mode=None if mode is None else int(mode),
        fresh=bool(fresh),
    )


class _Progress:
    """Per-job rate/ETA bookkeeping and the ~10/s throttle."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.t0 = time.monotonic()
        self.last_emit = self.t0  # the first progress event comes after PROGRESS_INTERVAL (small files: none)


class TransferQueue:
    """Persistent transfer queue over one site (``name`` separates queues sharing a database).

    ``session_factory`` returns a new, *unconnected* session; each worker calls
    it once and keeps its session.  ``listener(TransferEvent)`` and
    ``resolver(ConflictInfo) -> ConflictPolicy`` run on worker threads.
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
    ) -> None:
        self.name = name
        self._store = _Store(db_path)
        self._factory = session_factory
        self.workers = max(1, min(MAX_WORKERS, workers))
        self._allowed = self.workers
        self.policy = policy
        self.resolver = resolver
        self.listener = listener
        self.bucket = TokenBucket(speed_limit)
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.preserve_mtime = preserve_mtime
        self.preserve_permissions = preserve_permissions
        self.verify = verify
        self._cond = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._stopping = False
        self._paused_all = False
        self._waiters = 0  # threads inside wait()
        self._running: dict[int, tuple[threading.Event, list[JobState]]] = {}
        self._not_before: dict[int, float] = {}
        self._progress: dict[int, _Progress] = {}
        self._made_dirs: set[str] = set()  # local folders known to exist (spares a mkdir per file)
        # Claim order: by id, unless the user reordered waiting jobs (see reorder()).
        ranked = self._store.query("SELECT 1 FROM jobs WHERE queue = ? AND rank IS NOT NULL LIMIT 1", (name,))
        self._order = "COALESCE(rank, id), id" if ranked else "id"
        # A crash left these mid-transfer: queue them again (their .part files remain).
        self._store.execute(
            "UPDATE jobs SET state = ? WHERE queue = ? AND state = ?", (JobState.QUEUED, name, JobState.RUNNING)
        )

    # --- adding jobs ----------------------------------------------------------------------

    def _insert(
        self,
        direction: Direction,
        source: str,
        target: str,
        size: int | None,
        policy: ConflictPolicy | None,
        mtime: float | None = None,
        mode: int | None = None,
        state: JobState = JobState.QUEUED,
        error: str | None = None,
        fresh: bool = False,
    ) -> int:
        return self._insert_many([(direction, source, target, size, policy, mtime, mode, state, error, fresh)])[0]

    def _insert_many(self, rows: list[tuple[Any, ...]]) -> list[int]:
        """Insert jobs in one transaction; rows are (direction, source, target, size, policy, mtime, mode, state,
        error, fresh)."""
        ids: list[int] = []
        now = time.time()
        with self._store.tx() as db:
            for direction, source, target, size, policy, mtime, mode, state, error, fresh in rows:
                cur = db.execute(
                    "INSERT INTO jobs (queue, direction, source, target, size, offset, state, error, attempts, policy,"
                    " mtime, mode, fresh, created) VALUES (?, ?, ?, ?, ?, 0, ?, ?, 0, ?, ?, ?, ?, ?)",
                    (self.name, direction, source, target, size, state, error, policy, mtime, mode, int(fresh), now),
                )
                ids.append(int(cur.lastrowid or 0))
        with self._cond:
            self._cond.notify_all()
        return ids

    def add_download(
        self, remote: str, local: Path | str, *, size: int | None = None, policy: ConflictPolicy | None = None
    ) -> int:
        """Queue one file; ``local`` is the full local path the user chose (not built from a remote name)."""
        return self._insert("download", remote, str(local), size, policy)

    def add_download_into(
        self, remote: str, local_dir: Path, *, size: int | None = None, policy: ConflictPolicy | None = None
    ) -> int:
        """Queue ``remote`` into ``local_dir`` under its remote name, made safe by localpaths."""
        name = posixpath.basename(remote.rstrip("/"))
        try:
            target = local_path_for(local_dir, name)
        except UnsafePathError as e:
            return self._insert(
                "download", remote, str(local_dir / "?"), size, policy, state=JobState.FAILED, error=str(e)
            )
        return self._insert("download", remote, str(target), size, policy)

    def add_upload(
        self, local: Path | str, remote: str, *, size: int | None = None, policy: ConflictPolicy | None = None
    ) -> int:
        if size is None:
            with contextlib.suppress(OSError):
                size = os.stat(local).st_size
        return self._insert("upload", str(local), remote, size, policy)

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
        failed job (nothing written) so the summary shows it.
        """
        ids: list[int] = []
        with self._borrow(session) as s:
            root_fresh = not os.path.lexists(local_dir)
            local_dir.mkdir(parents=True, exist_ok=True)
            # A folder we have just created holds nothing yet: its files need no conflict check ("fresh").
            todo: list[tuple[str, Path, bool]] = [(remote_dir.rstrip("/") or "/", local_dir, root_fresh)]
            while todo:
                rdir, ldir, dir_fresh = todo.pop(0)
                files: list[tuple[str, Path, RemoteEntry]] = []
                for entry in sorted(s.listdir(rdir), key=lambda e: e.name):
                    if entry.name in (".", ".."):
                        continue
                    rpath = posixpath.join(rdir, entry.name)
                    kind = entry.kind
                    if kind == "link":
                        target = s.stat(rpath)
                        if target is None or target.kind != "file":
                            continue  # dangling, or a folder link (could loop): left out
                        entry, kind = target, "file"
                    try:
                        lpath = local_path_for(ldir, entry.name)
                    except UnsafePathError as e:
                        ids.append(
                            self._insert(
                                "download", rpath, str(ldir), entry.size, policy, state=JobState.FAILED, error=str(e)
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
                            raise LocalIOError(f"cannot create the folder {lpath}: {e.strerror}") from e
                        todo.append((rpath, lpath, made))
                    elif kind == "file":
                        files.append((rpath, lpath, entry))
                # Queue each folder's files as soon as it is listed (its local folder exists by now), so
                # running workers start on them while the rest of the tree is still being listed.
                seen: set[str] = set()
                rows: list[tuple[Any, ...]] = []
                for rpath, lpath, ent in files:
                    lstr = str(lpath)
                    fresh = dir_fresh and lstr not in seen  # two remote names may map to one local name
                    seen.add(lstr)
                    rows.append(
                        ("download", rpath, lstr, ent.size, policy, ent.mtime, ent.mode, JobState.QUEUED, None, fresh)
                    )
                ids += self._insert_many(rows)
        return ids

    def add_upload_tree(
        self,
        local_dir: Path,
        remote_dir: str,
        *,
        policy: ConflictPolicy | None = None,
        session: RemoteSession | None = None,
    ) -> list[int]:
        """Create the remote folders first (existing ones are fine), then queue every local file."""
        ids: list[int] = []
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
        created: set[str] = set()
        with self._borrow(session) as s:
            for d in dirs:
                parent = posixpath.dirname(d)
                # Below a folder we just made, nothing exists yet: no need to ask the server.
                existing = None if parent in created else s.stat(d)
                if existing is None:
                    s.mkdir(d)
                    created.add(d)
                elif not existing.is_dir:
                    raise LocalIOError(f"{d} exists on the server and is not a folder")
        fresh = [posixpath.dirname(rp) in created for _lp, rp, _size in files]
        ids += self._insert_many(
            [
                ("upload", str(lp), rp, size, policy, None, None, JobState.QUEUED, None, new)
                for (lp, rp, size), new in zip(files, fresh, strict=True)
            ]
        )
        return ids

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
        sql = f"SELECT {_COLUMNS} FROM jobs WHERE queue = ?"
        args: tuple[object, ...] = (self.name,)
        if states:
            sql += f" AND state IN ({','.join('?' * len(states))})"
            args += tuple(states)
        return [_row_to_job(r) for r in self._store.query(sql + " ORDER BY id", args)]

    def job(self, job_id: int) -> TransferJob:
        rows = self._store.query(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,))
        if not rows:
            raise Bug(f"no transfer job {job_id}")
        return _row_to_job(rows[0])

    def summary(self) -> QueueSummary:
        out = QueueSummary()
        for job in self.jobs():
            if job.state == JobState.DONE:
                out.done += 1
            elif job.state == JobState.FAILED:
                out.failed += 1
                out.failures.append((job.source, job.error or "failed"))
            elif job.state == JobState.SKIPPED:
                out.skipped += 1
            elif job.state == JobState.CANCELLED:
                out.cancelled += 1
            else:
                out.pending += 1
        return out

    def clear_finished(self) -> None:
        self._store.execute(
            f"DELETE FROM jobs WHERE queue = ? AND state IN ({','.join('?' * len(FINISHED))})",
            (self.name, *FINISHED),
        )

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

    def stop(self, timeout: float | None = 30.0) -> None:
        """Stop the workers; running jobs are interrupted and stay queued (resumable)."""
        with self._cond:
            self._stopping = True
            for ev, reason in self._running.values():
                reason.append(JobState.QUEUED)
                ev.set()
            self._cond.notify_all()
        for t in self._threads:
            t.join(timeout)
        self._threads = []

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
                busy = self._store.query(
                    "SELECT COUNT(*) FROM jobs WHERE queue = ? AND state IN (?, ?)",
                    (self.name, JobState.QUEUED, JobState.RUNNING),
                )[0][0]
                if not busy or (self._paused_all and not self._running):
                    return True
                if not any(t.is_alive() for t in self._threads):
                    return False
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._waiters += 1
                try:
                    self._cond.wait(0.2 if left is None else min(left, 0.2))
                finally:
                    self._waiters -= 1

    def run(self, timeout: float | None = None) -> QueueSummary:
        """Start, wait until everything finished, stop; the summary says what failed."""
        self.start()
        self.wait(timeout)
        self.stop()
        return self.summary()

    def _set_state_where(self, job_id: int | None, new: JobState, old: tuple[JobState, ...]) -> None:
        marks = ",".join("?" * len(old))
        if job_id is None:
            self._store.execute(
                f"UPDATE jobs SET state = ? WHERE queue = ? AND state IN ({marks})", (new, self.name, *old)
            )
        else:
            self._store.execute(f"UPDATE jobs SET state = ? WHERE id = ? AND state IN ({marks})", (new, job_id, *old))

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
            self._set_state_where(job_id, JobState.PAUSED, (JobState.QUEUED,))
            self._interrupt(job_id, JobState.PAUSED)
            self._cond.notify_all()

    def resume(self, job_id: int | None = None) -> None:
        """Queue paused jobs again (all of them when ``job_id`` is None)."""
        with self._cond:
            if job_id is None:
                self._paused_all = False
            self._set_state_where(job_id, JobState.QUEUED, (JobState.PAUSED,))
            self._cond.notify_all()

    def retry(self, job_id: int | None = None) -> None:
        """Queue failed or cancelled jobs again with a fresh attempt count."""
        marks = (JobState.FAILED, JobState.CANCELLED)
        with self._cond:
            if job_id is None:
                self._store.execute(
                    "UPDATE jobs SET state = ?, attempts = 0, error = NULL WHERE queue = ? AND state IN (?, ?)",
                    (JobState.QUEUED, self.name, *marks),
                )
            else:
                self._store.execute(
                    "UPDATE jobs SET state = ?, attempts = 0, error = NULL WHERE id = ? AND state IN (?, ?)",
                    (JobState.QUEUED, job_id, *marks),
                )
            self._cond.notify_all()

    def cancel(self, job_id: int | None = None) -> None:
        """Cancel one job (or all); a download's ``.part`` file is removed."""
        with self._cond:
            waiting = [j for j in self.jobs((JobState.QUEUED, JobState.PAUSED)) if job_id is None or j.id == job_id]
            self._set_state_where(job_id, JobState.CANCELLED, (JobState.QUEUED, JobState.PAUSED))
            self._interrupt(job_id, JobState.CANCELLED)
            self._cond.notify_all()
        for job in waiting:
            if job.direction == "download":
                with contextlib.suppress(OSError):
                    job.part_path.unlink()
            self._emit(job, JobState.CANCELLED, job.offset, force=True)

    def set_speed_limit(self, bytes_per_second: float | None) -> None:
        self.bucket.set_rate(bytes_per_second)

    def reorder(self, job_ids: list[int], before: int | None = None) -> None:
        """Run the waiting (queued or paused) ``job_ids``, in this order, just before job ``before``
        (or after every other waiting job when ``before`` is None or not waiting).  Running and
        finished jobs are not moved; jobs added later still go last."""
        waiting = (JobState.QUEUED, JobState.PAUSED)
        with self._cond:
            rows = self._store.query(
                f"SELECT id FROM jobs WHERE queue = ? AND state IN (?, ?) ORDER BY {self._order}",
                (self.name, *waiting),
            )
            order = [int(r[0]) for r in rows]
            moving = [j for j in dict.fromkeys(job_ids) if j in set(order)]
            rest = [j for j in order if j not in set(moving)]
            at = rest.index(before) if before in rest else len(rest)
            new = rest[:at] + moving + rest[at:]
            with self._store.tx() as db:
                db.executemany("UPDATE jobs SET rank = ? WHERE id = ?", [(float(i), j) for i, j in enumerate(new)])
            self._order = "COALESCE(rank, id), id"
            self._cond.notify_all()

    # --- workers -------------------------------------------------------------------------------

    def _claim(self, index: int) -> TransferJob | None:
        """The next queued job for worker ``index``, marked running; None when there is none (yet)."""
        with self._cond:
            while True:
                if self._stopping or index >= self._allowed:
                    return None
                if not self._paused_all:
                    now = time.monotonic()
                    if not self._not_before:
                        # One statement claims the oldest queued job (SQLite >= 3.35 has RETURNING).
                        rows = self._store.query(
                            f"UPDATE jobs SET state = ? WHERE id = (SELECT id FROM jobs WHERE queue = ? AND state = ?"
                            f" ORDER BY {self._order} LIMIT 1) RETURNING {_COLUMNS}",
                            (JobState.RUNNING, self.name, JobState.QUEUED),
                        )
                        if rows:
                            job = _row_to_job(rows[0])
                            self._running[job.id] = (threading.Event(), [])
                            return job
                        if not self._running and self._waiters:
                            # Wake wait() (maybe all done) -- only when someone waits: idle workers woken
                            # here would wake each other in turn, a busy loop while the queue sits idle.
                            self._cond.notify_all()
                        self._cond.wait(0.2)
                        continue
                    limit = 64  # jobs waiting for a retry may be passed over
                    rows = self._store.query(
                        f"SELECT {_COLUMNS} FROM jobs WHERE queue = ? AND state = ? ORDER BY {self._order} LIMIT ?",
                        (self.name, JobState.QUEUED, limit),
                    )
                    for row in rows:
                        job = _row_to_job(row)
                        if self._not_before.get(job.id, 0.0) > now:
                            continue
                        self._store.execute("UPDATE jobs SET state = ? WHERE id = ?", (JobState.RUNNING, job.id))
                        job.state = JobState.RUNNING
                        self._running[job.id] = (threading.Event(), [])
                        return job
                    if not rows and not self._running and self._waiters:
                        self._cond.notify_all()  # wake wait(): maybe all done
                self._cond.wait(0.2)

    def _worker(self, index: int) -> None:
        session: RemoteSession | None = None
        try:
            while True:
                job = self._claim(index)
                if job is None:
                    return
                if self._batchable(job, session):
                    assert session is not None
                    batch = [job, *self._claim_more(job, session, BATCH_MAX - 1)]
                    session = self._run_batch(batch, session)
                else:
                    session = self._run_job(job, session, index)
        finally:
            if session is not None:
                with contextlib.suppress(Exception):
                    session.close()
            with self._cond:
                self._cond.notify_all()

    def _finish(self, job: TransferJob, state: JobState, error: str | None = None) -> None:
        self._store.execute(
            "UPDATE jobs SET state = ?, error = ?, offset = ?, attempts = ?, target = ?, policy = ? WHERE id = ?",
            (state, error, job.offset, job.attempts, job.target, job.policy, job.id),
        )
        with self._cond:
            self._running.pop(job.id, None)
            self._progress.pop(job.id, None)
            # Wake others only when it matters: a job to pick up again, or maybe nothing left (wait()).
            if state == JobState.QUEUED or not self._running:
                self._cond.notify_all()
        job.state = state
        job.error = error
        self._emit(job, state, job.offset, force=True, error=error)

    def _run_job(self, job: TransferJob, session: RemoteSession | None, index: int) -> RemoteSession | None:
        ev, _reason = self._running[job.id]
        self._progress[job.id] = _Progress(job.offset)
        self._emit(job, JobState.RUNNING, job.offset, force=True)
        try:
            if session is None:
                session = self._factory()
                session.connect()
            if job.direction == "download":
                self._download(session, job, ev)
            else:
                self._upload(session, job, ev)
            self._finish(job, JobState.DONE)
        except BaseException as e:
            if not isinstance(e, Exception):
                raise
            session = self._failed(job, e, session)
        return session

    def _failed(self, job: TransferJob, e: Exception, session: RemoteSession | None) -> RemoteSession | None:
        """Record how a job ended when it did not succeed; returns the session if it is still usable."""
        from app.core.transfer.ftp import TooManyConnections

        if isinstance(e, _Skip):
            self._finish(job, JobState.SKIPPED)
        elif isinstance(e, (_Interrupt, Cancelled)):
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
                self._finish(job, JobState.FAILED, str(e))
            else:
                delay = min(self.max_backoff, self.backoff * (2 ** max(0, job.attempts - 1)))
                self._not_before[job.id] = time.monotonic() + delay
                self._finish(job, JobState.QUEUED, str(e))
        elif isinstance(e, LocalIOError):
            session = _drop(session)  # the transfer was cut off mid-stream
            self._finish(job, JobState.FAILED, str(e))
        elif isinstance(e, QuayError):
            self._finish(job, JobState.FAILED, str(e))
        elif isinstance(e, OSError):  # local trouble not already mapped by a session
            self._finish(job, JobState.FAILED, str(LocalIOError(f"{e.strerror or e}: {e.filename or job.target}")))
        else:
            self._finish(job, JobState.FAILED, f"internal error: {type(e).__name__}: {e}")
        return session

    # --- many small files in one go ----------------------------------------------------------------

    def _batchable(self, job: TransferJob, session: RemoteSession | None) -> bool:
        """Small first-attempt files with no possible conflict can share round trips (SFTP, FTP)."""
        if session is None or job.attempts or job.size is None or job.size > BATCH_FILE_LIMIT or self.bucket.rate:
            return False
        if self.verify and getattr(session, "has_server_hash", False):
            return False  # the per-file path compares server hashes
        if job.direction == "download":
            return (
                hasattr(session, "download_small_files")
                and job.mtime is not None
                and (job.fresh or (not os.path.lexists(job.target) and not os.path.lexists(job.target + PART_SUFFIX)))
            )
        return hasattr(session, "upload_small_files") and job.fresh

    def _claim_more(self, first: TransferJob, session: RemoteSession, count: int) -> list[TransferJob]:
        """More queued jobs like ``first`` that can join its batch, marked running."""
        out: list[TransferJob] = []
        with self._cond:
            if self._stopping or self._paused_all:
                return out
            rows = self._store.query(
                f"SELECT {_COLUMNS} FROM jobs WHERE queue = ? AND state = ? AND direction = ?"
                f" ORDER BY {self._order} LIMIT ?",
                (self.name, JobState.QUEUED, first.direction, count),
            )
            for row in rows:
                job = _row_to_job(row)
                if job.id in self._not_before or not self._batchable(job, session):
                    continue
                job.state = JobState.RUNNING
                self._running[job.id] = (threading.Event(), [])
                out.append(job)
            if out:
                marks = ",".join("?" * len(out))
                self._store.execute(
                    f"UPDATE jobs SET state = ? WHERE id IN ({marks})", (JobState.RUNNING, *(j.id for j in out))
                )
        return out

    def _run_batch(self, jobs: list[TransferJob], session: RemoteSession) -> RemoteSession | None:
        for job in jobs:
            self._progress[job.id] = _Progress(0)
            self._emit(job, JobState.RUNNING, 0, force=True)
        try:
            if jobs[0].direction == "download":
                outcomes = self._download_batch(jobs, session)
            else:
                outcomes = self._upload_batch(jobs, session)
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
        with self._store.tx() as db:
            db.executemany(
                "UPDATE jobs SET state = ?, error = NULL, offset = ?, attempts = ?, target = ?, policy = ?"
                " WHERE id = ?",
                [(JobState.DONE, j.offset, j.attempts, j.target, j.policy, j.id) for j in jobs],
            )
        with self._cond:
            for job in jobs:
                self._running.pop(job.id, None)
                self._progress.pop(job.id, None)
            if not self._running:
                self._cond.notify_all()
        for job in jobs:
            job.state = JobState.DONE
            job.error = None
            self._emit(job, JobState.DONE, job.offset, force=True)

    def _download_batch(self, jobs: list[TransferJob], session: RemoteSession) -> list[Exception | None]:
        fetch = session.download_small_files  # type: ignore[attr-defined]
        files: list[BinaryIO] = []
        parts = [job.target + PART_SUFFIX for job in jobs]  # plain strings: this loop runs per small file
        sizes: list[int] = []
        try:
            for job, part in zip(jobs, parts, strict=True):
                parent = os.path.dirname(job.target)
                if parent not in self._made_dirs:
                    os.makedirs(parent, exist_ok=True)
                    self._made_dirs.add(parent)
                # Unbuffered: one write per small file anyway, and no isatty/buffer set-up per open.
                files.append(open(part, "wb", buffering=0))  # noqa: SIM115 - closed below
            wanted = [(j.source, f, j.size or 0) for j, f in zip(jobs, files, strict=True)]
            results: list[Exception | None] = fetch(wanted)
            sizes = [f.tell() for f in files]
        finally:
            for f in files:
                with contextlib.suppress(OSError):
                    f.close()
        out: list[Exception | None] = []
        for job, part, got, err in zip(jobs, parts, sizes, results, strict=True):
            if err is None:
                try:
                    if self.verify and got != job.size:
                        raise NetworkError(f"{job.source}: got {got} of {job.size} bytes")
                    os.replace(part, job.target)
                    if self.preserve_mtime and job.mtime is not None:
                        os.utime(job.target, (job.mtime, job.mtime))
                    if self.preserve_permissions and job.mode is not None:
                        os.chmod(job.target, job.mode & 0o777)
                except Exception as e:
                    err = e
            elif not isinstance(err, NetworkError | LocalIOError):
                with contextlib.suppress(OSError):
                    os.unlink(part)  # e.g. the file vanished: no partial copy worth keeping
            out.append(err)
        return out

    def _upload_batch(self, jobs: list[TransferJob], session: RemoteSession) -> list[Exception | None]:
        send = session.upload_small_files  # type: ignore[attr-defined]
        items: list[tuple[bytes, str, float | None, int | None]] = []
        pre: list[Exception | None] = []
        sizes: list[int] = []
        for job in jobs:
            try:
                with open(job.source, "rb") as f:
                    st = os.fstat(f.fileno())
                    data = f.read()
            except OSError as e:
                pre.append(LocalIOError(f"cannot read {job.source}: {e.strerror}"))
                items.append((b"", "", None, None))
                sizes.append(0)
                continue
            pre.append(None)
            sizes.append(len(data))
            items.append(
                (
                    data,
                    job.target,
                    st.st_mtime if self.preserve_mtime else None,
                    stat_mod.S_IMODE(st.st_mode) if self.preserve_permissions else None,
                )
            )
        todo = [i for i, e in enumerate(pre) if e is None]
        results = send([items[i] for i in todo]) if todo else []
        out = list(pre)
        for i, res in zip(todo, results, strict=True):
            if isinstance(res, Exception):
                out[i] = res
            elif self.verify and res is not None and res != sizes[i]:
                out[i] = NetworkError(f"{jobs[i].target}: the server has {res} of {sizes[i]} bytes")
        return out

    # --- one download -------------------------------------------------------------------------

    def _policy_for(self, job: TransferJob) -> ConflictPolicy:
        return job.policy or self.policy

    def _resolve(self, job: TransferJob, info: ConflictInfo) -> ConflictPolicy:
        policy = self._policy_for(job)
        if policy == ConflictPolicy.ASK:
            if self.resolver is None:
                raise _Conflict(f"{job.target} already exists (no one to ask; choose a conflict policy)")
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

    def _download(self, session: RemoteSession, job: TransferJob, cancel: threading.Event) -> None:
        remote: RemoteEntry | None
        if job.attempts == 0 and job.size is not None and job.mtime is not None:
            # Size and mtime came from the folder listing moments ago: spare a round trip.
            remote = RemoteEntry(posixpath.basename(job.source), "file", job.size, job.mtime, mode=job.mode)
        else:
            remote = session.stat(job.source)
        if remote is None:
            raise _NotFound(f"{job.source} does not exist on the server")
        job.size = remote.size
        job.mtime = remote.mtime if remote.mtime is not None else job.mtime
        job.mode = remote.mode if remote.mode is not None else job.mode
        final = Path(job.target)
        part = job.part_path
        # The conflict question is asked once: a decided job carries OVERWRITE or RESUME from then on.
        if final.exists() and job.policy not in (ConflictPolicy.OVERWRITE, ConflictPolicy.RESUME):
            st = final.stat()
            decided = self._resolve(job, ConflictInfo(job, remote.size, remote.mtime, st.st_size, st.st_mtime))
            if decided == ConflictPolicy.SKIP:
                raise _Skip()
            if decided == ConflictPolicy.RENAME:
                final = _free_local_name(final)
                job.target = str(final)
                part = job.part_path
            elif decided == ConflictPolicy.RESUME and not part.exists():
                if remote.size is not None and st.st_size >= remote.size:
                    raise _Skip()
                os.replace(final, part)
            job.policy = ConflictPolicy.RESUME if decided == ConflictPolicy.RESUME else ConflictPolicy.OVERWRITE
            self._store.execute("UPDATE jobs SET policy = ?, target = ? WHERE id = ?", (job.policy, job.target, job.id))
        try:
            offset = part.stat().st_size
        except FileNotFoundError:
            offset = 0
        if remote.size is not None and offset > remote.size:
            offset = 0
        job.offset = offset
        try:
            if str(final.parent) not in self._made_dirs:
                final.parent.mkdir(parents=True, exist_ok=True)
                self._made_dirs.add(str(final.parent))
            try:
                f = open(part, "r+b" if offset else "wb")  # noqa: SIM115 - closed below
            except FileNotFoundError:  # the folder went away since we made it
                final.parent.mkdir(parents=True, exist_ok=True)
                f = open(part, "r+b" if offset else "wb")  # noqa: SIM115
        except OSError as e:
            raise LocalIOError(f"cannot write {part}: {e.strerror}") from e
        try:
            if offset:
                f.seek(offset)
                f.truncate()
            sink: Any = _ThrottledFile(f, self.bucket, cancel) if self.bucket.rate else f
            session.download(
                job.source, sink, offset=offset, progress=self._progress_cb(job, offset, cancel), cancel=cancel
            )
            try:
                f.flush()
                got = f.tell()
            except OSError as e:
                raise LocalIOError(f"writing {part} failed: {e.strerror}") from e
        finally:
            try:
                f.close()
            except OSError as e:
                if e.errno == errno.ENOSPC:
                    raise LocalIOError(f"the disk is full while writing {part}") from e
        job.offset = got
        if cancel.is_set():
            raise _Interrupt()
        if self.verify:
            if remote.size is not None and got != remote.size:
                raise NetworkError(f"{job.source}: got {got} of {remote.size} bytes")
            self._verify_hash(session, job.source, part)
        try:
            os.replace(part, final)
        except OSError as e:
            raise LocalIOError(f"cannot rename {part.name} to {final.name}: {e.strerror}") from e
        if self.preserve_mtime and remote.mtime is not None:
            with contextlib.suppress(OSError):
                os.utime(final, (remote.mtime, remote.mtime))
        if self.preserve_permissions and remote.mode is not None:
            with contextlib.suppress(OSError):
                os.chmod(final, remote.mode & 0o777)

    def _verify_hash(self, session: RemoteSession, remote: str, local: Path) -> None:
        try:
            sums = session.checksum(remote)
        except (NotSupported, QuayError):
            return
        if sums is None:
            return
        algo, digest = sums
        try:
            h = hashlib.new(algo.replace("-", "").lower())
        except ValueError:
            return
        with open(local, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        if h.hexdigest().lower() != digest.lower():
            with contextlib.suppress(OSError):
                local.unlink()
            raise VerificationFailed(f"{remote}: the {algo} of the copy differs from the server's")

    # --- one upload ---------------------------------------------------------------------------

    def _upload(self, session: RemoteSession, job: TransferJob, cancel: threading.Event) -> None:
        local = Path(job.source)
        try:
            st = local.stat()
        except OSError as e:
            raise LocalIOError(f"cannot read {local}: {e.strerror}") from e
        job.size = st.st_size
        offset = 0
        remote = None if job.fresh and job.attempts == 0 else session.stat(job.target)
        if remote is not None and remote.is_dir:
            raise _NotFound(f"{job.target} is a folder on the server")
        if remote is not None:
            # Our own partial upload (an earlier attempt, or a pause: offset > 0) continues where it stopped.
            ours = job.attempts > 0 or job.offset > 0
            if job.policy == ConflictPolicy.RESUME or (ours and job.policy != ConflictPolicy.RENAME):
                offset = remote.size or 0
            elif job.policy != ConflictPolicy.OVERWRITE:
                decided = self._resolve(job, ConflictInfo(job, st.st_size, st.st_mtime, remote.size, remote.mtime))
                if decided == ConflictPolicy.SKIP:
                    raise _Skip()
                if decided == ConflictPolicy.RENAME:
                    job.target = _free_remote_name(session, job.target)
                elif decided == ConflictPolicy.RESUME:
                    offset = remote.size or 0
                job.policy = ConflictPolicy.RESUME if decided == ConflictPolicy.RESUME else ConflictPolicy.OVERWRITE
                self._store.execute(
                    "UPDATE jobs SET policy = ?, target = ? WHERE id = ?", (job.policy, job.target, job.id)
                )
        if (job.attempts > 0 or job.offset > 0) and job.policy is None:
            job.policy = ConflictPolicy.RESUME  # our own partial upload from an earlier attempt
        if offset > st.st_size:
            offset = 0
        job.offset = offset
        try:
            f = open(local, "rb")  # noqa: SIM115
        except OSError as e:
            raise LocalIOError(f"cannot read {local}: {e.strerror}") from e
        finisher = getattr(session, "upload_with_attributes", None)
        finished_size: int | None = None
        with f:
            if offset:
                f.seek(offset)
            if offset < st.st_size or offset == 0:
                source: Any = _ThrottledFile(f, self.bucket, cancel) if self.bucket.rate else f
                progress = self._progress_cb(job, offset, cancel)
                if finisher is not None:
                    # SFTP: mtime, permissions and the size check ride along with CLOSE (no extra round trips).
                    _sent, finished_size = finisher(
                        source,
                        job.target,
                        offset=offset,
                        progress=progress,
                        cancel=cancel,
                        mtime=st.st_mtime if self.preserve_mtime else None,
                        mode=stat_mod.S_IMODE(st.st_mode) if self.preserve_permissions else None,
                    )
                else:
                    session.upload(source, job.target, offset=offset, progress=progress, cancel=cancel)
        if cancel.is_set():
            raise _Interrupt()
        job.offset = st.st_size
        if finished_size is not None:
            if self.verify and finished_size != st.st_size:
                raise NetworkError(f"{job.target}: the server has {finished_size} of {st.st_size} bytes")
            if self.verify:
                self._verify_remote_hash(session, local, job.target)
            return
        if self.verify:
            after = session.stat(job.target)
            if after is None or (after.size is not None and after.size != st.st_size):
                size = None if after is None else after.size
                raise NetworkError(f"{job.target}: the server has {size} of {st.st_size} bytes")
            self._verify_remote_hash(session, local, job.target)
        if self.preserve_mtime:
            with contextlib.suppress(NotSupported, QuayError):
                session.set_mtime(job.target, st.st_mtime)
        if self.preserve_permissions:
            with contextlib.suppress(NotSupported, QuayError):
                session.chmod(job.target, stat_mod.S_IMODE(st.st_mode))

    @staticmethod
    def _verify_remote_hash(session: RemoteSession, local: Path, remote: str) -> None:
        sums = None
        with contextlib.suppress(NotSupported, QuayError):
            sums = session.checksum(remote)
        if sums is None:
            return
        algo, digest = sums
        try:
            h = hashlib.new(algo.replace("-", "").lower())
        except ValueError:
            return
        with open(local, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        if h.hexdigest().lower() != digest.lower():
            raise VerificationFailed(f"{remote}: the server's {algo} differs from the local file's")

    # --- progress ---------------------------------------------------------------------------------

    def _progress_cb(self, job: TransferJob, offset: int, cancel: threading.Event) -> Callable[[int], None]:
        last = [0]

        def cb(done_in_call: int) -> None:
            last[0] = done_in_call
            job.offset = offset + done_in_call
            self._emit(job, JobState.RUNNING, job.offset)
            # Pause/cancel set ``cancel``; the session sees it and raises Cancelled.

        return cb

    def _emit(
        self, job: TransferJob, state: JobState, done: int, *, force: bool = False, error: str | None = None
    ) -> None:
        prog = self._progress.get(job.id)
        now = time.monotonic()
        if prog is not None and not force:
            if now - prog.last_emit < PROGRESS_INTERVAL:
                return
            prog.last_emit = now
            self._store.execute("UPDATE jobs SET offset = ? WHERE id = ?", (done, job.id))
        rate = 0.0
        eta: float | None = None
        if prog is not None:
            elapsed = now - prog.t0
            if elapsed > 0:
                rate = max(0, done - prog.start) / elapsed
            if rate > 0 and job.size is not None:
                eta = max(0.0, (job.size - done) / rate)
        if self.listener is not None:
            try:
                self.listener(TransferEvent(job.id, state, done, job.size, rate, eta, error))
            except Exception:
                pass


def _drop(session: RemoteSession | None) -> RemoteSession | None:
    """Close a session whose state is uncertain after an interrupted transfer; the worker reconnects."""
    if session is not None:
        with contextlib.suppress(Exception):
            session.close()
    return None


class _Skip(Exception):
    """The conflict policy decided to leave this file alone."""


class _Conflict(QuayError):
    """The target exists and nobody could be asked what to do."""


class _NotFound(QuayError, FileNotFoundError):
    """The source is gone (or is not a file)."""


def _free_local_name(path: Path) -> Path:
    """``name (1).ext``, ``name (2).ext`` ... the first that does not exist."""
    stem, suffix = path.stem, path.suffix
    for i in range(1, 10000):
        candidate = path.with_name(f"{stem} ({i}){suffix}")
        if not candidate.exists() and not Path(str(candidate) + PART_SUFFIX).exists():
            return candidate
    raise LocalIOError(f"no free name next to {path}")


def _free_remote_name(session: RemoteSession, remote: str) -> str:
    base, ext = posixpath.splitext(remote)
    for i in range(1, 10000):
        candidate = f"{base} ({i}){ext}"
        if session.stat(candidate) is None:
            return candidate
    raise LocalIOError(f"no free name next to {remote}")
