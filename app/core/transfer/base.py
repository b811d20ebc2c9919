"""What every file-transfer session offers, so the queue and the UI need not care which protocol runs.

Sessions are blocking and single-threaded: one session is used by one worker
thread at a time. Paths are remote POSIX-style strings ("/dir/file").
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, Literal

from app.core.errors import QuayError

EntryKind = Literal["file", "dir", "link", "other"]

#: progress(bytes_done_in_this_call) -- called from the worker thread, at most every block.
ProgressCallback = Callable[[int], None]


class NotSupported(QuayError, NotImplementedError):
    """The protocol (or this server) cannot do that operation."""


@dataclass
class RemoteEntry:
    """One item of a remote listing."""

    name: str
    kind: EntryKind
    size: int | None = None
    mtime: float | None = None  # seconds since the epoch, UTC
    perms: str | None = None  # "rwxr-xr-x" or MLSD "perm" fact
    mode: int | None = None  # numeric mode bits when known
    owner: str | None = None
    group: str | None = None
    target: str | None = None  # symlink target
    raw: str | None = None  # the original listing line, when parsed from LIST

    @property
    def is_dir(self) -> bool:
        return self.kind == "dir"


class RemoteSession(ABC):
    """A connected FTP/FTPS/SFTP/TFTP session. Methods raise the errors of :mod:`app.core.errors`."""

    protocol: str = ""

    @abstractmethod
    def connect(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> RemoteSession:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def listdir(self, path: str) -> list[RemoteEntry]: ...

    @abstractmethod
    def stat(self, path: str) -> RemoteEntry | None:
        """The entry at ``path``, or None when it does not exist."""

    @abstractmethod
    def download(
        self,
        remote: str,
        local: BinaryIO,
        *,
        offset: int = 0,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> int:
        """Write the remote file from ``offset`` into ``local`` (already positioned). Returns bytes written."""

    @abstractmethod
    def upload(
        self,
        local: BinaryIO,
        remote: str,
        *,
        offset: int = 0,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> int:
        """Send ``local`` (already positioned at ``offset``) to ``remote``, appending from ``offset``."""

    def home(self) -> str:
        return "/"

    def mkdir(self, path: str) -> None:
        raise NotSupported(f"{self.protocol}: mkdir")

    def rmdir(self, path: str) -> None:
        raise NotSupported(f"{self.protocol}: rmdir")

    def delete(self, path: str) -> None:
        raise NotSupported(f"{self.protocol}: delete")

    def rename(self, src: str, dst: str) -> None:
        raise NotSupported(f"{self.protocol}: rename")

    def chmod(self, path: str, mode: int) -> None:
        raise NotSupported(f"{self.protocol}: chmod")

    def set_mtime(self, path: str, mtime: float) -> None:
        raise NotSupported(f"{self.protocol}: set modification time")

    def copy(self, src: str, dst: str) -> None:
        """Server-side copy where the protocol has one."""
        raise NotSupported(f"{self.protocol}: server-side copy")

    def checksum(self, path: str) -> tuple[str, str] | None:
        """(algorithm, hex digest) computed by the server, or None when it cannot."""
        return None

    def noop(self) -> None:
        """Keep the connection alive."""
        return None
