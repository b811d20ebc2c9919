"""The queue's speed limit: one token bucket shared by every worker, and a local file that pays into it."""

from __future__ import annotations

import threading
import time
from typing import BinaryIO

__all__ = ["ThrottledFile", "TokenBucket"]


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


class ThrottledFile:
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
