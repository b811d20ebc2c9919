"""Small local-file helpers shared by every store of settings and records."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.core.errors import LocalIOError

__all__ = ["atomic_write", "full_fsync"]


def full_fsync(fd: int) -> None:
    """Flush ``fd`` to stable storage: ``F_FULLFSYNC`` on macOS (plain fsync only reaches the drive's cache)."""
    if sys.platform == "darwin":
        import fcntl

        full = getattr(fcntl, "F_FULLFSYNC", None)
        if full is not None:
            try:
                fcntl.fcntl(fd, full)
                return
            except OSError:
                pass
    os.fsync(fd)


def atomic_write(path: str | os.PathLike[str], data: bytes | str, *, mode: int = 0o600, what: str = "") -> None:
    """Replace ``path`` with ``data`` so a crash leaves the old or the new file, never half of one.

    Writes a temporary file beside it (created ``mode``, 0600 by default: records may name hosts and
    users), fsyncs it, renames it over ``path`` and, on POSIX, fsyncs the folder so the rename survives.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    label = what or str(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # not at import time: the CLI's start-up

        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            if os.name == "posix":
                os.fchmod(fd, mode)
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
                f.flush()
                full_fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        if os.name == "posix":
            dfd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
    except OSError as e:
        raise LocalIOError(f"Cannot write {label}: {e.strerror or e}", path=str(target)) from e
