"""The transfer queue's job database: one SQLite table, every statement the queue runs, nothing else.

The file is opened with :func:`app.core.db.connect` (WAL, so a GUI reader
never blocks the workers) and brought up to date with :func:`app.core.db.migrate`.
One connection serves every worker thread of a queue; a lock keeps one
thread's statements out of another's transaction, and multi-row writes go
through :meth:`app.core.db.Transactions.transaction` (one commit per batch).
Several queues may share the file; ``queue`` separates their rows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from app.core import db
from app.core.errors import Bug
from app.core.transfer.jobs import (
    FINISHED,
    NOT_RETRYABLE,
    ConflictPolicy,
    Direction,
    JobState,
    TransferJob,
)

__all__ = ["JobRow", "JobStore"]

#: (direction, source, target, size, policy, mtime, mode, state, error, error_kind, fresh)
JobRow = tuple[
    Direction,
    str,
    str,
    int | None,
    ConflictPolicy | None,
    float | None,
    int | None,
    JobState,
    str | None,
    str | None,
    bool,
]

_MIGRATIONS: list[db.Migration] = [
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
    """,
    # 2: the error kind beside the message; refused names from older versions become unretryable and lose
    # the folder they stored as their target (retrying one wrote beside the folder the user chose).
    """
    ALTER TABLE jobs ADD COLUMN error_kind TEXT;
    UPDATE jobs SET error_kind = 'UnsafePathError', target = ''
        WHERE state = 'failed' AND (error LIKE 'remote name %' OR error LIKE 'remote path %');
    """,
]

_COLUMNS = "id, direction, source, target, size, offset, state, error, attempts, policy, mtime, mode, fresh, error_kind"


def _job(row: Sequence[Any]) -> TransferJob:
    (jid, direction, source, target, size, offset, state, error, attempts, policy, mtime, mode, fresh, kind) = row
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
        error_kind=None if kind is None else str(kind),
    )


class JobStore:
    """The ``jobs`` table of one queue (``name``) in the file ``path``."""

    def __init__(self, path: Path | str, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._db = db.connect(path, what="the transfer queue", synchronous="NORMAL")
        db.migrate(self._db, _MIGRATIONS, what="the transfer queue")
        self._tx = db.Transactions(self._db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- adding and reading ----------------------------------------------------------------

    def insert_many(self, rows: Iterable[JobRow]) -> list[int]:
        """Insert jobs in one transaction; returns their ids in order."""
        ids: list[int] = []
        now = time.time()
        with self._lock, self._tx.transaction() as conn:
            for direction, source, target, size, policy, mtime, mode, state, error, kind, fresh in rows:
                cur = conn.execute(
                    "INSERT INTO jobs (queue, direction, source, target, size, offset, state, error, attempts, policy,"
                    " mtime, mode, fresh, created, error_kind) VALUES (?, ?, ?, ?, ?, 0, ?, ?, 0, ?, ?, ?, ?, ?, ?)",
                    (
                        self.name,
                        direction,
                        source,
                        target,
                        size,
                        state,
                        error,
                        policy,
                        mtime,
                        mode,
                        int(fresh),
                        now,
                        kind,
                    ),
                )
                ids.append(int(cur.lastrowid or 0))
        return ids

    def jobs(self, states: tuple[JobState, ...] | None = None) -> list[TransferJob]:
        sql = f"SELECT {_COLUMNS} FROM jobs WHERE queue = ?"
        args: tuple[object, ...] = (self.name,)
        if states:
            sql += f" AND state IN ({','.join('?' * len(states))})"
            args += tuple(states)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        return [_job(r) for r in rows]

    def job(self, job_id: int) -> TransferJob:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise Bug(f"no transfer job {job_id}")
        return _job(row)

    def busy(self) -> int:
        """How many jobs are queued or running."""
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM jobs WHERE queue = ? AND state IN (?, ?)",
                (self.name, JobState.QUEUED, JobState.RUNNING),
            ).fetchone()
        return int(row[0])

    def queued(self, limit: int, direction: Direction | None = None) -> list[TransferJob]:
        """The oldest queued jobs (of one direction when given), not claimed."""
        sql = f"SELECT {_COLUMNS} FROM jobs WHERE queue = ? AND state = ?"
        args: tuple[object, ...] = (self.name, JobState.QUEUED)
        if direction is not None:
            sql += " AND direction = ?"
            args += (direction,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id LIMIT ?", (*args, limit)).fetchall()
        return [_job(r) for r in rows]

    # --- state changes ------------------------------------------------------------------------

    def requeue_running(self) -> None:
        """After a crash: jobs left running are queued again (their ``.part`` files remain)."""
        with self._lock:
            self._db.execute(
                "UPDATE jobs SET state = ? WHERE queue = ? AND state = ?",
                (JobState.QUEUED, self.name, JobState.RUNNING),
            )

    def claim_next(self) -> TransferJob | None:
        """Mark the oldest queued job running and return it, in one statement (SQLite >= 3.35: RETURNING)."""
        with self._lock:
            row = self._db.execute(
                f"UPDATE jobs SET state = ? WHERE id = (SELECT id FROM jobs WHERE queue = ? AND state = ?"
                f" ORDER BY id LIMIT 1) RETURNING {_COLUMNS}",
                (JobState.RUNNING, self.name, JobState.QUEUED),
            ).fetchone()
        return None if row is None else _job(row)

    def mark_running(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        with self._lock:
            self._db.execute(f"UPDATE jobs SET state = ? WHERE id IN ({marks})", (JobState.RUNNING, *ids))

    def set_state_where(self, job_id: int | None, new: JobState, old: tuple[JobState, ...]) -> None:
        """Move one job (or every job of the queue) from one of ``old`` to ``new``."""
        marks = ",".join("?" * len(old))
        with self._lock:
            if job_id is None:
                self._db.execute(
                    f"UPDATE jobs SET state = ? WHERE queue = ? AND state IN ({marks})", (new, self.name, *old)
                )
            else:
                self._db.execute(f"UPDATE jobs SET state = ? WHERE id = ? AND state IN ({marks})", (new, job_id, *old))

    def retry(self, job_id: int | None) -> None:
        """Queue failed or cancelled jobs again with a fresh attempt count; unretryable kinds stay failed."""
        kinds = tuple(sorted(NOT_RETRYABLE))
        where = "id = ?" if job_id is not None else "queue = ?"
        with self._lock:
            self._db.execute(
                "UPDATE jobs SET state = ?, attempts = 0, error = NULL, error_kind = NULL"
                f" WHERE {where} AND state IN (?, ?) AND (error_kind IS NULL"
                f" OR error_kind NOT IN ({','.join('?' * len(kinds))}))",
                (
                    JobState.QUEUED,
                    job_id if job_id is not None else self.name,
                    JobState.FAILED,
                    JobState.CANCELLED,
                    *kinds,
                ),
            )

    def skip_queued_downloads(self, sources: Sequence[str], error: str, kind: str) -> None:
        """Skip the still queued downloads of ``sources`` (a later file of the same local name replaced them)."""
        with self._lock, self._tx.transaction() as conn:
            conn.executemany(
                "UPDATE jobs SET state = ?, error = ?, error_kind = ? WHERE queue = ? AND source = ?"
                " AND direction = 'download' AND state = ?",
                [(JobState.SKIPPED, error, kind, self.name, s, JobState.QUEUED) for s in sources],
            )

    def set_offset(self, job_id: int, offset: int) -> None:
        with self._lock:
            self._db.execute("UPDATE jobs SET offset = ? WHERE id = ?", (offset, job_id))

    def record_decision(self, job: TransferJob) -> None:
        """The conflict question was answered: keep the answer (and a renamed target) across retries."""
        with self._lock:
            self._db.execute("UPDATE jobs SET policy = ?, target = ? WHERE id = ?", (job.policy, job.target, job.id))

    def record_source(self, job: TransferJob) -> None:
        """Keep the source's size and mtime as seen when the copy started (a resume compares against them)."""
        with self._lock:
            self._db.execute("UPDATE jobs SET size = ?, mtime = ? WHERE id = ?", (job.size, job.mtime, job.id))

    def finish(self, job: TransferJob, state: JobState, error: str | None, kind: str | None) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE jobs SET state = ?, error = ?, error_kind = ?, offset = ?, attempts = ?, target = ?,"
                " policy = ?, size = ?, mtime = ? WHERE id = ?",
                (state, error, kind, job.offset, job.attempts, job.target, job.policy, job.size, job.mtime, job.id),
            )

    def finish_many_done(self, jobs: Sequence[TransferJob]) -> None:
        """Mark a batch of jobs done in one transaction (one commit instead of one per small file)."""
        with self._lock, self._tx.transaction() as conn:
            conn.executemany(
                "UPDATE jobs SET state = ?, error = NULL, error_kind = NULL, offset = ?, attempts = ?, target = ?,"
                " policy = ? WHERE id = ?",
                [(JobState.DONE, j.offset, j.attempts, j.target, j.policy, j.id) for j in jobs],
            )

    def clear_finished(self) -> None:
        with self._lock:
            self._db.execute(
                f"DELETE FROM jobs WHERE queue = ? AND state IN ({','.join('?' * len(FINISHED))})",
                (self.name, *FINISHED),
            )
