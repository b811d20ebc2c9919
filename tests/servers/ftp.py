"""A real FTP/FTPS server (pyftpdlib in a child process) plus ftplib client helpers.

:class:`FtpServer` runs :mod:`tests.servers.ftp_runner` as a subprocess so a test
can SIGKILL it mid-transfer (:meth:`FtpServer.kill`) and bring it back on the
same ports (:meth:`FtpServer.start`).  Three listeners share one process:

* ``port`` -- plain FTP, no ``AUTH TLS`` offered;
* ``ftps_port`` -- explicit FTPS: ``AUTH TLS`` before ``USER``, ``PROT P`` before
  any data connection;
* ``ftps_implicit_port`` -- implicit FTPS (TLS from the first byte).

Users: ``alice`` / ``alice-pw`` (all permissions, home ``root/alice``), and
``anonymous`` (any password, read-only, home ``root/pub`` holding
:data:`PUB_FILES`).  :meth:`FtpServer.add_user` / :meth:`FtpServer.new_user` add
users while the server runs.

Client helpers: :class:`ReusingFTP_TLS` (an ``ftplib.FTP_TLS`` that resumes the
control connection's TLS session on data connections, as servers with
``require_ssl_reuse`` demand) and :class:`ImplicitFTP_TLS`.
"""

from __future__ import annotations

import ftplib
import itertools
import json
import os
import selectors
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

from tests.servers.common import LOOPBACK, TlsMaterial, free_port, free_port_range, record_startup

REPO_ROOT = Path(__file__).resolve().parents[2]

ALICE = "alice"
ALICE_PASSWORD = "alice-pw"
FULL_PERMS = "elradfmwMT"
ANON_PERMS = "elr"
#: Files pre-created in the anonymous home ``root/pub``: name -> content.
PUB_FILES: dict[str, bytes] = {
    "readme.txt": b"Quay test FTP server, anonymous area.\r\n",
    "data.bin": bytes(range(256)) * 64,
}


@dataclass(frozen=True)
class FtpUser:
    name: str
    password: str
    home: Path

    def __repr__(self) -> str:  # keep the password out of test reports
        return f"FtpUser(name={self.name!r}, home={str(self.home)!r})"


class FtpServer:
    """pyftpdlib on 127.0.0.1 in a child process; see the module docstring.

    ``require_tls_session_reuse`` makes both FTPS listeners refuse (``522``) a TLS
    data connection that does not resume a TLS session.  ``max_cons_per_ip`` /
    ``max_cons`` make the server answer ``421`` beyond that many connections
    (0 = unlimited).  ``implicit_tls_data_required`` (default on, like the explicit
    listener) makes the implicit listener demand ``PROT P`` before ``PASV``; when
    off, data connections stay clear until the client sends ``PROT P``.
    """

    _counter = itertools.count(1)

    def __init__(
        self,
        root: Path,
        tls: TlsMaterial,
        *,
        host: str = LOOPBACK,
        require_tls_session_reuse: bool = False,
        max_cons_per_ip: int = 0,
        max_cons: int = 512,
        passive_port_count: int = 16,
        implicit_tls_data_required: bool = True,
        timeout: int = 300,
        log_level: str = "INFO",
        runner: str = "tests.servers.ftp_runner",
    ) -> None:
        self.root = Path(root)
        self.runner = runner  # the module run as the server (the benchmark's HASH variant wraps ours)
        self.tls = tls
        self.host = host
        self.require_tls_session_reuse = require_tls_session_reuse
        self.max_cons_per_ip = max_cons_per_ip
        self.max_cons = max_cons
        self.implicit_tls_data_required = implicit_tls_data_required
        self.timeout = timeout
        self.log_level = log_level

        self.port = free_port(host)
        self.ftps_port = free_port(host)
        self.ftps_implicit_port = free_port(host)
        self.passive_ports: tuple[int, int] = free_port_range(passive_port_count, host)

        self.state_dir = self.root / "_server"  # not below any user's home
        self.users_file = self.state_dir / "users.json"
        self.config_file = self.state_dir / "config.json"
        self.log_file = self.state_dir / "ftpd.log"
        self.alice = FtpUser(ALICE, ALICE_PASSWORD, self.root / ALICE)
        self.anonymous_home = self.root / "pub"
        self._users: dict[str, dict[str, str]] = {}
        self._proc: subprocess.Popen[bytes] | None = None
        self._started_once = False
        self._prepare()

    # --- set-up -------------------------------------------------------------

    def _prepare(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.alice.home.mkdir(parents=True, exist_ok=True)
        self.anonymous_home.mkdir(parents=True, exist_ok=True)
        for name, content in PUB_FILES.items():
            (self.anonymous_home / name).write_bytes(content)
        (self.anonymous_home / "docs").mkdir(exist_ok=True)
        self._users = {
            ALICE: {"password": ALICE_PASSWORD, "home": str(self.alice.home), "perm": FULL_PERMS},
            "anonymous": {"home": str(self.anonymous_home), "perm": ANON_PERMS},
        }
        self._write_users()
        config: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "ftps_port": self.ftps_port,
            "ftps_implicit_port": self.ftps_implicit_port,
            "passive_ports": list(self.passive_ports),
            "certfile": str(self.tls.cert_pem),
            "keyfile": str(self.tls.key_pem),
            "users_file": str(self.users_file),
            "log_file": str(self.log_file),
            "log_level": self.log_level,
            "require_tls_session_reuse": self.require_tls_session_reuse,
            "implicit_tls_data_required": self.implicit_tls_data_required,
            "max_cons_per_ip": self.max_cons_per_ip,
            "max_cons": self.max_cons,
            "timeout": self.timeout,
        }
        self.config_file.write_text(json.dumps(config, indent=2))

    def _write_users(self) -> None:
        tmp = self.users_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._users, indent=2))
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.users_file)  # new inode: the runner notices at the next login

    def add_user(self, name: str, password: str, home: Path | None = None, perm: str = FULL_PERMS) -> FtpUser:
        """Add (or replace) a user; ``home`` defaults to ``root/users/NAME`` and is created."""
        home = Path(home) if home is not None else self.root / "users" / name
        home.mkdir(parents=True, exist_ok=True)
        self._users[name] = {"password": password, "home": str(home), "perm": perm}
        self._write_users()
        return FtpUser(name, password, home)

    def remove_user(self, name: str) -> None:
        self._users.pop(name, None)
        self._write_users()

    def new_user(self, prefix: str = "user", perm: str = FULL_PERMS) -> FtpUser:
        """A fresh user with a unique name, a random password and an empty home."""
        name = f"{prefix}{next(self._counter)}-{uuid.uuid4().hex[:6]}"
        return self.add_user(name, f"pw-{uuid.uuid4().hex[:12]}", perm=perm)

    # --- process control ----------------------------------------------------

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self, timeout: float = 15.0) -> None:
        """Start the child (again, on the same ports) and wait until it listens."""
        if self.running:
            return
        t0 = time.monotonic()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
        with open(self.log_file, "ab") as log:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", self.runner, "--config", str(self.config_file)],
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
            )
        assert self._proc.stdout is not None
        line = b""
        with selectors.DefaultSelector() as sel:
            sel.register(self._proc.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + timeout
            while not line.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    self.kill()
                    raise TimeoutError(f"pyftpdlib did not start within {timeout}s; see {self.log_file}")
                chunk = os.read(self._proc.stdout.fileno(), 64)
                if not chunk:
                    break
                line += chunk
        self._proc.stdout.close()
        if line.strip() != b"READY":
            rc = self._proc.wait(5)
            tail = self.log_file.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pyftpdlib runner exited with {rc} before READY; log tail:\n{tail}")
        if not self._started_once:
            record_startup("pyftpdlib", t0)
            self._started_once = True

    def stop(self) -> None:
        """Terminate the child gracefully (SIGTERM, then SIGKILL after 5 s)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def kill(self) -> None:
        """SIGKILL the child at once -- open control and data connections just die."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()

    def restart(self) -> None:
        self.kill()
        self.start()

    def __enter__(self) -> FtpServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return (
            f"FtpServer({self.host} ftp={self.port} ftps={self.ftps_port} implicit={self.ftps_implicit_port}"
            f" pasv={self.passive_ports[0]}-{self.passive_ports[1]} reuse={self.require_tls_session_reuse})"
        )


# --- ftplib client helpers ---------------------------------------------------


class ReusingFTP_TLS(ftplib.FTP_TLS):
    """``ftplib.FTP_TLS`` that resumes the control connection's TLS session on data connections.

    With TLS 1.3 the session ticket arrives after the handshake; it has been
    read by the time any reply after ``AUTH`` (e.g. to ``USER``) was received.
    """

    def ntransfercmd(self, cmd: str, rest: int | str | None = None) -> tuple[socket.socket, int | None]:
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:  # type: ignore[attr-defined]
            assert isinstance(self.sock, ssl.SSLSocket)
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
        return conn, size


class ImplicitFTP_TLS(ReusingFTP_TLS):
    """Implicit FTPS: the control socket is TLS-wrapped as soon as it is connected."""

    _wrapped_sock: socket.socket | None = None

    @property
    def sock(self) -> socket.socket | None:
        return self._wrapped_sock

    @sock.setter
    def sock(self, value: socket.socket | None) -> None:
        if value is not None and not isinstance(value, ssl.SSLSocket):
            value = self.context.wrap_socket(value, server_hostname=self.host)
        self._wrapped_sock = value


def tls_client_context(tls: TlsMaterial, version: ssl.TLSVersion | None = None) -> ssl.SSLContext:
    """A client context trusting the test CA, optionally pinned to one TLS version."""
    ctx = tls.client_context()
    if version is not None:
        ctx.minimum_version = version
        ctx.maximum_version = version
    return ctx


# --- pytest fixtures ---------------------------------------------------------


@pytest.fixture(scope="session")
def ftp_server(tmp_path_factory: pytest.TempPathFactory, tls_material: TlsMaterial) -> Iterator[FtpServer]:
    """Plain FTP + explicit FTPS + implicit FTPS; data sessions need not reuse TLS."""
    with FtpServer(tmp_path_factory.mktemp("ftp"), tls_material) as server:
        yield server


@pytest.fixture(scope="session")
def ftp_server_reuse(tmp_path_factory: pytest.TempPathFactory, tls_material: TlsMaterial) -> Iterator[FtpServer]:
    """Like ``ftp_server`` but TLS data connections must resume the control session (else 522)."""
    with FtpServer(tmp_path_factory.mktemp("ftp-reuse"), tls_material, require_tls_session_reuse=True) as server:
        yield server


@pytest.fixture
def ftp_user(ftp_server: FtpServer) -> Iterator[FtpUser]:
    """A unique user with an empty home on ``ftp_server``; removed afterwards.

    Also restarts ``ftp_server`` if an earlier test killed it and did not restart it.
    """
    if not ftp_server.running:
        ftp_server.start()
    user = ftp_server.new_user()
    yield user
    ftp_server.remove_user(user.name)
