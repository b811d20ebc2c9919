"""Child process behind :class:`tests.servers.ftp.FtpServer`: pyftpdlib on three ports.

Run as ``python -m tests.servers.ftp_runner --config CONFIG.json``.  It serves

* plain FTP (no ``AUTH TLS``) on ``port``,
* explicit FTPS (``AUTH TLS`` required before login, ``PROT P`` before any data
  connection) on ``ftps_port``,
* implicit FTPS (TLS from the first byte) on ``ftps_implicit_port``,

all from one event loop, then prints ``READY`` on stdout.  Users are re-read
from ``users_file`` whenever it changes, so the parent can add users while the
server runs.  With ``require_tls_session_reuse`` a TLS data connection that does
not resume the control connection's TLS session is refused with ``522`` (like
vsftpd's ``require_ssl_reuse=YES``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

from OpenSSL import SSL
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, TLS_DTPHandler, TLS_FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.log import logger
from pyftpdlib.servers import FTPServer

REUSE_REQUIRED_REPLY = "522 SSL connection failed: session reuse required"


class ReloadingAuthorizer(DummyAuthorizer):  # type: ignore[misc]
    """A DummyAuthorizer whose user table is (re)loaded from a JSON file when it changes.

    The file maps user name -> {"password": str, "home": str, "perm": str}; the
    user ``anonymous`` gets any password.
    """

    def __init__(self, users_file: Path) -> None:
        self._users_file = users_file
        self._stamp: tuple[int, int, int] | None = None
        self._table: dict[str, dict[str, Any]] = {}
        super().__init__()

    @property
    def user_table(self) -> dict[str, dict[str, Any]]:
        self._reload()
        return self._table

    @user_table.setter
    def user_table(self, value: dict[str, dict[str, Any]]) -> None:
        self._table = value

    def _reload(self) -> None:
        try:
            st = self._users_file.stat()
        except FileNotFoundError:
            return
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if stamp == self._stamp:
            return
        users = json.loads(self._users_file.read_text())
        fresh = DummyAuthorizer()
        for name, spec in users.items():
            if name == "anonymous":
                fresh.add_anonymous(spec["home"], perm=spec.get("perm", "elr"))
            else:
                fresh.add_user(name, spec["password"], spec["home"], perm=spec.get("perm", "elradfmwMT"))
        self._table = fresh.user_table
        self._stamp = stamp


def session_reused(conn: SSL.Connection) -> bool:
    """``SSL_session_reused()`` -- pyOpenSSL has no public wrapper for it."""
    public = getattr(conn, "session_reused", None)
    if callable(public):
        return bool(public())
    from OpenSSL._util import lib  # private, but the binding is there

    return bool(lib.SSL_session_reused(conn._ssl))


class HandshakeFirstDTPHandler(TLS_DTPHandler):  # type: ignore[misc]
    """TLS data channel that sends nothing before its TLS handshake has completed."""

    def initiate_send(self) -> None:
        # pyftpdlib pushes RETR/LIST data as soon as the data connection is
        # accepted; an SSL_write() then would complete the handshake implicitly
        # and skip handle_ssl_established().  Wait for the explicit handshake
        # (the WRITE interest is already registered, so sending resumes).
        if self._ssl_accepting:
            return
        super().initiate_send()


class ReuseCheckingDTPHandler(HandshakeFirstDTPHandler):
    """Refuses a TLS data connection that did not resume a TLS session."""

    def handle_ssl_established(self) -> None:
        if not session_reused(self.socket):
            self.cmd_channel.respond(REUSE_REQUIRED_REPLY)
            self.cmd_channel.log_cmd("PROT", "P", 522, "session reuse required")
            self.close()


class ImplicitTlsMixin:
    """Wrap the control connection in TLS right on accept (implicit FTPS, port 990 style)."""

    def __init__(self, conn: Any, server: Any, ioloop: Any = None) -> None:
        super().__init__(conn, server, ioloop)  # type: ignore[call-arg]
        if getattr(self, "connected", False):
            self.secure_connection(self.ssl_context)  # type: ignore[attr-defined]
            # PBSZ is implied on an implicitly secured channel; data protection
            # stays "C" until the client sends PROT P (as clients of implicit
            # FTPS do), and tls_data_required makes PASV wait for it.
            self._pbsz = True


def _ssl_context(cfg: dict[str, Any]) -> SSL.Context:
    ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
    ctx.set_options(SSL.OP_NO_SSLv2 | SSL.OP_NO_SSLv3 | SSL.OP_NO_COMPRESSION)
    ctx.use_certificate_chain_file(cfg["certfile"])
    ctx.use_privatekey_file(cfg["keyfile"])
    # Needed for the server to resume sessions (TLS 1.2 ids and TLS 1.3 tickets).
    ctx.set_session_id(b"quay-test-ftpd")
    return ctx


def build_handlers(cfg: dict[str, Any]) -> tuple[type[FTPHandler], type[FTPHandler], type[FTPHandler]]:
    authorizer = ReloadingAuthorizer(Path(cfg["users_file"]))
    passive = list(range(cfg["passive_ports"][0], cfg["passive_ports"][1] + 1))
    common: dict[str, Any] = {
        "authorizer": authorizer,
        "passive_ports": passive,
        "banner": "Quay test pyftpdlib ready.",
        "timeout": cfg.get("timeout", 300),
        "auth_failed_timeout": cfg.get("auth_failed_timeout", 0),
        "permit_foreign_addresses": False,
    }
    dtp: type[TLS_DTPHandler] = (
        ReuseCheckingDTPHandler if cfg.get("require_tls_session_reuse") else HandshakeFirstDTPHandler
    )
    plain = type("QuayPlainHandler", (FTPHandler,), dict(common))
    explicit = type(
        "QuayExplicitTlsHandler",
        (TLS_FTPHandler,),
        dict(
            common,
            ssl_context=_ssl_context(cfg),
            tls_control_required=True,
            tls_data_required=True,
            dtp_handler=dtp,
        ),
    )
    implicit = type(
        "QuayImplicitTlsHandler",
        (ImplicitTlsMixin, TLS_FTPHandler),
        dict(
            common,
            ssl_context=_ssl_context(cfg),
            tls_control_required=True,
            tls_data_required=cfg.get("implicit_tls_data_required", True),
            dtp_handler=dtp,
        ),
    )
    return plain, explicit, implicit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True, help="path of the JSON config written by FtpServer")
    args = parser.parse_args(argv)
    cfg: dict[str, Any] = json.loads(Path(args.config).read_text())

    handler = logging.FileHandler(cfg["log_file"]) if cfg.get("log_file") else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(getattr(logging, cfg.get("log_level", "INFO")))
    logger.propagate = False

    ioloop = IOLoop()
    host = cfg["host"]
    servers = []
    for handler_cls, port_key in zip(build_handlers(cfg), ("port", "ftps_port", "ftps_implicit_port"), strict=True):
        srv = FTPServer((host, cfg[port_key]), handler_cls, ioloop=ioloop)
        srv.max_cons = cfg.get("max_cons", 512)
        srv.max_cons_per_ip = cfg.get("max_cons_per_ip", 0)
        servers.append(srv)

    def _stop(_signo: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _stop)
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    os.close(1)  # nothing else goes to the parent's pipe
    try:
        ioloop.loop(timeout=0.5)
    finally:
        servers[0].close_all()  # closes every channel of the shared IOLoop
    return 0


if __name__ == "__main__":
    sys.exit(main())
