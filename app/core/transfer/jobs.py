"""What the transfer queue stores and reports: one job per file, its states, events, conflicts and summary.

Plain data, shared by the job database (:mod:`.jobstore`), the scheduler
(:mod:`.queue`) and the code that copies files (:mod:`.filecopy`,
:mod:`.batchcopy`).  Nothing here touches the network or the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal

from app.core.errors import QuayError

__all__ = [
    "FINISHED",
    "NOT_RETRYABLE",
    "PART_SUFFIX",
    "ConflictInfo",
    "ConflictPolicy",
    "Direction",
    "JobState",
    "QueueSummary",
    "SourceMissing",
    "TransferConflict",
    "TransferEvent",
    "TransferJob",
    "VerificationFailed",
    "error_kind",
]

Direction = Literal["download", "upload"]
#: A download's bytes go to ``name.part`` until they are verified, then it is renamed to ``name``.
PART_SUFFIX = ".part"


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


class TransferConflict(QuayError):
    """The target exists (or two sources map to one target) and nobody could be asked what to do."""


class SourceMissing(QuayError, FileNotFoundError):
    """The source is gone (or is not a file)."""


#: Error kinds whose jobs :meth:`TransferQueue.retry` leaves failed: trying again cannot help and, for a
#: refused name, there is no safe target to write to.
NOT_RETRYABLE = frozenset({"UnsafePathError"})


def error_kind(e: BaseException) -> str:
    """The kind stored beside a failed job's message: the error class name the UI translates ("NetworkError")."""
    if isinstance(e, QuayError):
        return type(e).__name__
    if isinstance(e, OSError):
        return "LocalIOError"
    return "Bug"


@dataclass
class TransferJob:
    """One file to move; ``offset`` is how many bytes are already safely on the target side.

    ``size`` and ``mtime`` describe the source as last seen (a download records
    the remote file's when it starts, so a resumed ``.part`` can tell whether the
    remote file changed since).  ``error_kind`` names the error class of a
    failed job ("NetworkError", "UnsafePathError", ...) next to its message.
    """

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
    error_kind: str | None = None

    @property
    def part_path(self) -> Path:
        """Where a download's bytes go until verified."""
        return Path(self.target + PART_SUFFIX)

    @property
    def retryable(self) -> bool:
        return self.error_kind not in NOT_RETRYABLE


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
    error_kind: str | None = None


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
    #: (source, error message) of every failed job.
    failures: list[tuple[str, str]] = field(default_factory=list)
    #: The failed jobs themselves (with ``error_kind``), in the same order as ``failures``.
    failed_jobs: list[TransferJob] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.cancelled == 0 and self.pending == 0
