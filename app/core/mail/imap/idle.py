"""Push: IDLE (RFC 2177) on one folder, re-issued before the 29-minute limit, reconnecting with backoff.

:class:`IdleWatcher.run` blocks its (worker) thread until ``stop`` is set. When
the server reports a change (EXISTS, EXPUNGE, VANISHED, FETCH) it ends the
IDLE and calls ``on_change(session)`` on that thread, typically to run a
sync; every ``poll_interval`` it ends the IDLE and calls ``on_poll(session)``
(to poll the folders IDLE cannot watch). A dropped connection is re-opened
after 1, 2, 4, ... seconds (capped), without losing the caller's state.
"""

from __future__ import annotations

import select
import ssl
import threading
import time
from collections.abc import Callable

from app.core.errors import AuthError, NetworkError, ServerError, TlsError
from app.core.mail.imap.response import Response
from app.core.mail.imap.session import ImapSession

#: RFC 2177: servers may drop an IDLE after 30 minutes; re-issue comfortably before.
REISSUE_SECONDS = 25 * 60

_CHANGE_WORDS = (b"EXISTS", b"EXPUNGE", b"FETCH", b"VANISHED", b"RECENT")


def _readable(sess: ImapSession, timeout: float) -> bool:
    """True when a response is waiting (buffered, pending in TLS, or on the socket) within ``timeout``."""
    if sess._pos < len(sess._data):
        return True
    sock = sess.sock
    if sock is None:
        raise NetworkError("not connected")
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    r, _, _ = select.select([sock], [], [], max(0.0, timeout))
    return bool(r)


def is_change(resp: Response) -> bool:
    if resp.tag != "*":
        return False
    words = resp.text.split(b" ", 2)
    return any(w.upper() in _CHANGE_WORDS for w in words[:2])


def idle_until_change(
    sess: ImapSession, deadline: float, stop: threading.Event | None = None, tick: float = 0.5
) -> list[Response]:
    """One IDLE: wait until a change is reported, ``deadline`` (monotonic) passes or ``stop`` is set.

    Returns the change responses (empty on timeout/stop). The IDLE is always ended with DONE.
    """
    if "IDLE" not in sess.capabilities:
        raise ServerError("The server does not support IDLE.")
    tag = sess._send([b"IDLE"])
    while True:
        r = sess.read_response()
        if r.tag == "+":
            break
        if r.tag == tag:
            raise ServerError(f"The server refused IDLE: {r.human()}", reply=r.human())
        sess.untagged.append(r)
    changes: list[Response] = []
    while not changes and time.monotonic() < deadline and not (stop is not None and stop.is_set()):
        if _readable(sess, min(tick, deadline - time.monotonic())):
            r = sess.read_response()
            if r.tag == "*" and r.status == "BYE":
                sess.close()
                raise NetworkError(f"The server ended the connection: {r.human()}")
            if is_change(r):
                changes.append(r)
    sess._write(b"DONE\r\n")
    sess._log_sent(b"DONE\r\n")
    _, _ = sess.wait(tag, "IDLE")
    return changes


class IdleWatcher:
    """Keep a folder under IDLE on a worker thread (see the module docstring)."""

    def __init__(
        self,
        connect: Callable[[], ImapSession],
        folder: str,
        on_change: Callable[[ImapSession], None],
        *,
        on_poll: Callable[[ImapSession], None] | None = None,
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
        while not self.stop.is_set():
            try:
                if sess is None or not sess.connected:
                    sess = self._connect()
                    sess.select(self.folder)
                    self.on_change(sess)  # catch up with what happened while we were away
                    delay = 1.0
                next_poll = time.monotonic() + self.poll_interval
                while not self.stop.is_set():
                    deadline = min(time.monotonic() + self.reissue_seconds, next_poll)
                    self.idles_issued += 1
                    changes = idle_until_change(sess, deadline, self.stop)
                    if changes:
                        self.on_change(sess)
                    if self.on_poll is not None and time.monotonic() >= next_poll:
                        self.on_poll(sess)
                        if sess.selected != self.folder:
                            sess.select(self.folder)
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
        if sess is not None:
            sess.logout()
