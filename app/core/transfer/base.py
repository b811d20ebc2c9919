"""What every file-transfer session offers, so the queue and the UI need not care which protocol runs.

Sessions are blocking and single-threaded: one session is used by one worker
thread at a time. Paths are remote POSIX-style strings ("/dir/file").

Optional abilities are declared, never guessed: :attr:`RemoteSession.capabilities`
says which of :class:`Capability` a connected session has, and the methods
behind an ability the session lacks raise :class:`NotSupported`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO, Literal

from app.core.errors import NetworkError, QuayError, ServerError

EntryKind = Literal["file", "dir", "link", "other"]

#: progress(bytes_done_in_this_call) -- called from the worker thread, at most every block.
ProgressCallback = Callable[[int], None]
#: (remote path, local file, expected size) for :meth:`RemoteSession.download_small_files`.
SmallDownload = tuple[str, BinaryIO, int]
#: (content, remote path, mtime or None, mode or None) for :meth:`RemoteSession.upload_small_files`.
SmallUpload = tuple[bytes, str, float | None, int | None]


#: Seconds between two progress callbacks of one transfer.
PROGRESS_INTERVAL = 0.1


class RateLimitedProgress:
    """Calls ``progress(total_done)`` at most every :data:`PROGRESS_INTERVAL` seconds, plus once at the end."""

    __slots__ = ("_cb", "_last")

    def __init__(self, cb: ProgressCallback | None) -> None:
        self._cb = cb
        self._last = time.monotonic()

    def tick(self, done: int) -> None:
        if self._cb is not None:
            now = time.monotonic()
            if now - self._last >= PROGRESS_INTERVAL:
                self._last = now
                self._cb(done)

    def finish(self, done: int) -> None:
        if self._cb is not None:
            self._cb(done)


def write_fully(write: Callable[[memoryview], int | None], rest: memoryview) -> None:
    """Finish a short write: raw (unbuffered) files may take fewer bytes than offered."""
    while rest:
        written = write(rest)
        if written is None:
            return
        rest = rest[written:]


class NotSupported(QuayError, NotImplementedError):
    """The protocol (or this server) cannot do that operation."""


class TooManyConnections(NetworkError):
    """The server refused another connection (FTP 421 at log-in): use fewer parallel connections."""


class RemoteNoSpace(ServerError):
    """The server has no space left for the upload (FTP 452/552, TFTP error 3)."""


class Capability(StrEnum):
    """An optional ability of a session (see :attr:`RemoteSession.capabilities`)."""

    #: :meth:`RemoteSession.download_small_files` shares round trips between many small files.
    BATCH_DOWNLOAD = "batch_download"
    #: :meth:`RemoteSession.upload_small_files` shares round trips between many small files.
    BATCH_UPLOAD = "batch_upload"
    #: :meth:`RemoteSession.checksum` is known to answer (the server hashes files), so copies are checked
    #: one by one against it.
    SERVER_HASH = "server_hash"


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

    @property
    def capabilities(self) -> frozenset[Capability]:
        """The optional abilities this (connected) session has; some depend on what the server offers."""
        return frozenset()

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

    def upload_with_attributes(
        self,
        local: BinaryIO,
        remote: str,
        *,
        offset: int = 0,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
        mtime: float | None = None,
        mode: int | None = None,
    ) -> tuple[int, int | None]:
        """Upload, then set the modification time and permissions where the server can (best effort).

        Returns (bytes sent, the server's size of the file afterwards, or None
        when that is not known without asking). SFTP overrides this to do it
        all in the round trip of its CLOSE.
        """
        sent = self.upload(local, remote, offset=offset, progress=progress, cancel=cancel)
        if mtime is not None:
            with contextlib.suppress(NotSupported, ServerError):
                self.set_mtime(remote, mtime)
        if mode is not None:
            with contextlib.suppress(NotSupported, ServerError):
                self.chmod(remote, mode)
        return sent, None

    def download_small_files(self, items: list[SmallDownload]) -> list[Exception | None]:
        """Download several small files sharing round trips (:attr:`Capability.BATCH_DOWNLOAD`).

        Returns one outcome per item: None, or that file's error; a connection
        failure raises :class:`NetworkError` for the whole batch.
        """
        raise NotSupported(f"{self.protocol}: batched small-file downloads")

    def upload_small_files(self, items: list[SmallUpload]) -> list[Exception | int | None]:
        """Upload several small files sharing round trips (:attr:`Capability.BATCH_UPLOAD`).

        Returns per item the server's size afterwards (None if it did not say)
        or that file's error; a connection failure raises.
        """
        raise NotSupported(f"{self.protocol}: batched small-file uploads")

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

    def noop(self) -> None:  # noqa: B027 - sessions without a keep-alive need none
        """Keep the connection alive (protocols without a connection, like TFTP, have nothing to do)."""
