"""One running Quay per profile: a second launch hands its arguments to the first and exits.

The first instance listens on a local socket (``QLocalServer``: a Unix socket in the user's
runtime folder, a named pipe on Windows) named after the profile folder, so two profiles
(``--data-dir``) are two instances. A later launch connects, sends one JSON line
``{"argv": [...], "cwd": "..."}`` and waits for ``ok``; then it exits and the first
instance opens what it was given (mailto: links, sftp:/ftp: URLs, files).

A socket left behind by a crashed instance answers nobody: the next launch removes it and
becomes the first instance. Only the same user can connect (``UserAccessOption``).

Signals (InstanceServer):
    arguments_received(list, str): argv (without the program name) and the sender's working folder.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import stat
import sys
import tempfile

from PySide6.QtCore import QByteArray, QObject, QStandardPaths, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app.core.paths import AppPaths

#: A second launch's message is a command line: far below this.
MAX_MESSAGE = 1 << 20
_REPLY = b"ok\n"


def server_name(paths: AppPaths) -> str:
    """The socket name for this user and profile (a full path on Unix, a pipe name on Windows)."""
    digest = hashlib.sha256(str(paths.config).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    if sys.platform == "win32":
        return f"quay-{getpass.getuser()}-{digest}"
    return os.path.join(_runtime_dir(paths), f"quay-{digest}.sock")


def _runtime_dir(paths: AppPaths) -> str:
    """A folder only this user can enter, with a short path (a Unix socket path has ~100 bytes at most)."""
    if sys.platform != "linux":
        found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.RuntimeLocation)
        if found:
            return found
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isdir(runtime):
        return runtime
    private = os.path.join(tempfile.gettempdir(), f"quay-{os.getuid()}")
    try:
        os.mkdir(private, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return str(paths.cache)
    st = os.lstat(private)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return str(paths.cache)  # someone else's, or opened up: do not put our socket there
    return private


DELIVERED, ABSENT, NO_ANSWER = "delivered", "absent", "no-answer"


def hand_over(name: str, argv: list[str], cwd: str, timeout_ms: int = 10000) -> str:
    """Give ``argv`` to the instance listening on ``name``.

    Returns ``DELIVERED`` once it confirmed receipt, ``ABSENT`` when nothing listens there (no
    socket, or a stale one), ``NO_ANSWER`` when something accepted the connection but did not
    confirm within ``timeout_ms`` (a running instance that is stuck: never take its place).
    """
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(1000):
        return ABSENT
    payload = json.dumps({"argv": argv, "cwd": cwd}).encode("utf-8") + b"\n"
    sock.write(QByteArray(payload))
    reply = b""
    if sock.waitForBytesWritten(timeout_ms):
        while not reply.endswith(b"\n") and len(reply) < 64 and sock.waitForReadyRead(timeout_ms):
            reply += bytes(sock.readAll().data())
    sock.abort()
    return DELIVERED if reply == _REPLY else NO_ANSWER


class InstanceServer(QObject):
    """Listens for later launches (see the module docstring)."""

    arguments_received = Signal(list, str)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; a stale socket from a crashed instance is removed first. False if impossible."""
        if self._server.listen(self.name):
            return True
        if self._server.serverError() != QLocalSocket.LocalSocketError.AddressInUseError:
            return False
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(500):  # another launch got there first: it is the instance
            probe.abort()
            return False
        QLocalServer.removeServer(self.name)  # a crashed instance's socket file
        return self._server.listen(self.name)

    def error_text(self) -> str:
        return self._server.errorString()

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            self._buffers[sock] = b""
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._forget(s))

    def _forget(self, sock: QLocalSocket) -> None:
        self._buffers.pop(sock, None)
        sock.deleteLater()

    def _read(self, sock: QLocalSocket) -> None:
        if sock not in self._buffers:
            return
        data = self._buffers[sock] + bytes(sock.readAll().data())
        if len(data) > MAX_MESSAGE:
            self._buffers.pop(sock, None)
            sock.abort()
            return
        self._buffers[sock] = data
        if not data.endswith(b"\n"):
            return
        self._buffers[sock] = b""
        try:
            message = json.loads(data.decode("utf-8"))
            argv = [str(a) for a in message["argv"]]
            cwd = str(message.get("cwd", ""))
        except (ValueError, KeyError, TypeError):
            sock.abort()
            return
        sock.write(QByteArray(_REPLY))
        sock.flush()
        self.arguments_received.emit(argv, cwd)


def claim_or_hand_over(
    paths: AppPaths, argv: list[str], cwd: str, timeout_ms: int = 10000
) -> tuple[InstanceServer | None, str]:
    """Become the running instance, or hand ``argv`` to the one running.

    Returns ``(server, DELIVERED|ABSENT|NO_ANSWER)``: a listening server and ``ABSENT`` when this
    launch is the first; ``(None, DELIVERED)`` when the running instance took the arguments;
    ``(None, NO_ANSWER)`` when one runs but does not answer. If another launch wins the race to
    listen, the arguments go to it. If listening fails for another reason (no runtime folder,
    say), the server is returned not listening: this launch runs on its own.
    """
    name = server_name(paths)
    outcome = hand_over(name, argv, cwd, timeout_ms)
    if outcome != ABSENT:
        return None, outcome
    server = InstanceServer(name)
    if server.listen():
        return server, ABSENT
    outcome = hand_over(name, argv, cwd, timeout_ms)
    if outcome != ABSENT:
        server.deleteLater()
        return None, outcome
    return server, ABSENT
