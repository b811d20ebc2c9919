"""Push: IDLE (RFC 2177) on one folder, re-issued before the 29-minute limit, reconnecting with backoff.

:class:`IdleWatcher` keeps its own connection in IDLE (imapclient's ``idle`` /
``idle_check`` / ``idle_done``) and only tells its owner that something
changed: ``on_change(IdleNotice)`` runs on the watcher's thread and must hand
the work over (the GUI queues a sync on the account's serial worker, which
owns the account's session and its cache writes). The watcher never touches
the cache and never passes its session out, so the one-writer-per-account
rule holds. A notice also comes after every (re)connect, to catch up with
what happened while the watcher was away, and ``on_poll`` every
``poll_interval`` for the folders IDLE cannot watch. A dropped connection is
re-opened after 1, 2, 4, ... seconds (capped).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from app.core.errors import AuthError, NetworkError, ServerError, TlsError
from app.core.mail.imap.session import ImapSession

#: RFC 2177: servers may drop an IDLE after 30 minutes; re-issue comfortably before.
REISSUE_SECONDS = 25 * 60

_CHANGE_WORDS = (b"EXISTS", b"EXPUNGE", b"FETCH", b"VANISHED", b"RECENT")

#: An IDLE response as imapclient parses it: ``(3, b"EXISTS")``, ``(b"OK", b"Still here")``, ...
IdleResponse = tuple[Any, ...]


@dataclass(frozen=True)
class IdleNotice:
    """What the watcher tells its owner: which folder, why, and the server's words when it said something.

    ``reason`` is ``"connected"`` (after each (re)connect: catch up), ``"changed"`` (the server
    reported EXISTS/EXPUNGE/VANISHED/FETCH during IDLE) or ``"poll"`` (the poll interval passed).
    """

    folder: str
    reason: Literal["connected", "changed", "poll"]
    responses: tuple[IdleResponse, ...] = ()


def is_change(resp: IdleResponse) -> bool:
    """True for responses that mean the folder changed (new, expunged or re-flagged messages)."""
    return any(isinstance(w, bytes) and w.upper() in _CHANGE_WORDS for w in resp[:2])


def idle_until_change(
    sess: ImapSession, deadline: float, stop: threading.Event | None = None, tick: float = 0.5
) -> list[IdleResponse]:
    """One IDLE: wait until a change is reported, ``deadline`` (monotonic) passes or ``stop`` is set.

    Returns the change responses (empty on timeout/stop). The IDLE is always ended with DONE
    while the connection lives; NetworkError if it dies (BYE, closed, timed out).
    """
    sess.idle_start()
    changes: list[IdleResponse] = []
    while not changes and time.monotonic() < deadline and not (stop is not None and stop.is_set()):
        changes.extend(r for r in sess.idle_check(min(tick, deadline - time.monotonic())) if is_change(r))
    changes.extend(r for r in sess.idle_done() if is_change(r))
    return changes


class IdleWatcher:
    """Keep a folder under IDLE on a thread of its own and notify the owner (see the module docstring).

    ``connect()`` opens a new session for the watcher (not the account worker's). Callbacks run
    on the watcher's thread: ``on_change`` and ``on_poll`` get an :class:`IdleNotice` and must
    only queue work; ``on_error`` gets the network or server error before each reconnect.
    """

    def __init__(
        self,
        connect: Callable[[], ImapSession],
        folder: str,
        on_change: Callable[[IdleNotice], None],
        *,
        on_poll: Callable[[IdleNotice], None] | None = None,
        poll_interval: float = 300.0,
        reissue_seconds: float = REISSUE_SECONDS,
        backoff_max: float = 300.0,
        stop: threading.Event | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        self._connect = connect
        self.folder = folder
        self.on_change = on_change
        self.on_poll = on_poll
        self.poll_interval = poll_interval
        self.reissue_seconds = reissue_seconds
        self.backoff_max = backoff_max
        self.stop = stop or threading.Event()
        self.on_error = on_error
        self.reconnects = 0
        self.idles_issued = 0

    def run(self) -> None:
        """Block until ``stop`` is set. Auth and TLS errors end the loop (retrying cannot fix them)."""
        delay = 1.0
        sess: ImapSession | None = None
        try:
            while not self.stop.is_set():
                try:
                    if sess is None or not sess.connected:
                        sess = self._connect()
                        sess.select(self.folder, readonly=True)
                        self.on_change(IdleNotice(self.folder, "connected"))
                        delay = 1.0
                    next_poll = time.monotonic() + self.poll_interval
                    while not self.stop.is_set():
                        deadline = min(time.monotonic() + self.reissue_seconds, next_poll)
                        self.idles_issued += 1
                        changes = idle_until_change(sess, deadline, self.stop)
                        if changes:
                            self.on_change(IdleNotice(self.folder, "changed", tuple(changes)))
                        if self.on_poll is not None and time.monotonic() >= next_poll:
                            self.on_poll(IdleNotice(self.folder, "poll"))
                            next_poll = time.monotonic() + self.poll_interval
                except (AuthError, TlsError):
                    raise
                except (NetworkError, ServerError) as e:
                    if self.on_error is not None:
                        self.on_error(e)
                    if sess is not None:
                        sess.close()
                    sess = None
                    self.reconnects += 1
                    if self.stop.wait(delay):
                        break
                    delay = min(delay * 2, self.backoff_max)
        finally:
            if sess is not None:
                sess.logout()
