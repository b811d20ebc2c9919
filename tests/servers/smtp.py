"""A real SMTP submission server (aiosmtpd) for tests, relaying accepted mail to Dovecot over LMTP.

``SmtpServer`` has no pytest dependency; the fixtures at the bottom wrap it.

Ports (all on 127.0.0.1):

* ``submission_port``: plain TCP, STARTTLS required before AUTH/MAIL, AUTH PLAIN/LOGIN required.
* ``smtps_port``: implicit TLS, AUTH required.
* ``plain_port``: no TLS at all, AUTH allowed and required (for ``--allow-plaintext`` tests).

Users are looked up live in the ``users`` dict (pass ``DovecotServer.users`` itself), so users
added later can log in. A login ``alice@example.test`` authenticates as ``alice``.
Recipients whose local part is a known user are relayed to that user's INBOX; other recipients
are accepted and only recorded (unless ``reject_unknown_recipients``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import smtplib
import threading
import time
from collections.abc import Iterator, MutableMapping
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.servers.common import LOOPBACK, TlsMaterial, free_port, record_startup
from tests.servers.dovecot import DovecotServer

DEFAULT_SIZE_LIMIT = 10 * 1024 * 1024


class _DropNoise(logging.Filter):
    """aiosmtpd logs a deprecation warning on every successful AUTH; drop just that line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Session.login_data is deprecated")


logging.getLogger("mail.log").addFilter(_DropNoise())


class _SMTP(SMTP):
    """SMTP session that may allow AUTH without STARTTLS.

    aiosmtpd only counts STARTTLS (not implicit TLS) as TLS for ``auth_require_tls``, so the SMTPS port must
    turn it off; doing that after ``__init__`` avoids aiosmtpd's per-connection warning about it.
    """

    def __init__(self, handler: Any, *, allow_auth_without_starttls: bool = False, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        if allow_auth_without_starttls:
            self._auth_require_tls = False


class _Controller(Controller):
    def __init__(self, handler: Any, *, allow_auth_without_starttls: bool = False, **kwargs: Any) -> None:
        self.allow_auth_without_starttls = allow_auth_without_starttls
        super().__init__(handler, **kwargs)

    def factory(self) -> SMTP:
        return _SMTP(self.handler, allow_auth_without_starttls=self.allow_auth_without_starttls, **self.SMTP_kwargs)


def _local_part(address: str) -> str:
    return address.strip().strip("<>").split("@", 1)[0].lower()


def _mailbox_user(address: str) -> str:
    """The Dovecot user a recipient maps to: local part without a ``+detail``."""
    return _local_part(address).split("+", 1)[0]


class _Handler:
    """aiosmtpd handler: checks recipients, applies fault injection, relays to LMTP, records."""

    def __init__(self, owner: SmtpServer) -> None:
        self.owner = owner

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        owner = self.owner
        fail = owner._take_reply("fail_next_rcpt_with")
        if fail:
            return fail
        if owner.reject_unknown_recipients and _mailbox_user(address) not in owner.users:
            return "550 5.1.1 User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        owner = self.owner
        fail = owner._take_reply("fail_next_data_with")
        if fail:
            return fail
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, owner._relay, envelope)
        except smtplib.SMTPResponseException as e:
            text = e.smtp_error.decode(errors="replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
            return f"{e.smtp_code} {text}" if 400 <= e.smtp_code < 600 else "451 4.3.0 Relay failed"
        except (smtplib.SMTPException, OSError):
            return "451 4.3.0 Mailbox server unavailable"
        with owner._lock:
            owner.received.append(envelope)
        if owner._take_drop():
            # Simulate "accepted but the reply got lost": kill the TCP connection without replying
            # (after STARTTLS, ``_original_transport`` is the TCP one under the TLS transport).
            for t in (getattr(server, "_original_transport", None), server.transport):
                if isinstance(t, asyncio.Transport):
                    t.abort()
        return "250 OK"


class SmtpServer:
    """aiosmtpd submission (STARTTLS), SMTPS and plain ports relaying to Dovecot LMTP."""

    host: str = LOOPBACK

    def __init__(
        self,
        tls: TlsMaterial,
        lmtp_host: str,
        lmtp_port: int,
        users: MutableMapping[str, str],
        size_limit: int = DEFAULT_SIZE_LIMIT,
        plain: bool = True,
    ) -> None:
        self.tls = tls
        self.lmtp_host = lmtp_host
        self.lmtp_port = lmtp_port
        self.users = users  # looked up live: pass DovecotServer.users itself
        self.size_limit = size_limit
        self.with_plain = plain
        self.submission_port = 0
        self.smtps_port = 0
        self.plain_port = 0
        self.received: list[Envelope] = []
        # Fault injection (each is consumed by the next matching command, on any port):
        self.fail_next_rcpt_with: str | None = None  # e.g. "450 4.2.1 mailbox busy"
        self.fail_next_data_with: str | None = None  # e.g. "451 4.3.0 try later"; message is NOT relayed
        self.drop_after_data_once: bool = False  # relay + record, then close the connection without a reply
        self.reject_unknown_recipients: bool = False
        self._lock = threading.Lock()
        self._controllers: list[Controller] = []

    # -------------------------------------------------------------- helpers

    def _take_reply(self, attr: str) -> str | None:
        """Return and clear a one-shot ``fail_next_*_with`` reply."""
        with self._lock:
            value: str | None = getattr(self, attr)
            setattr(self, attr, None)
            return value

    def _take_drop(self) -> bool:
        with self._lock:
            value = self.drop_after_data_once
            self.drop_after_data_once = False
            return value

    def reset(self) -> None:
        """Clear fault injection, ``received`` and ``reject_unknown_recipients``."""
        with self._lock:
            self.fail_next_rcpt_with = None
            self.fail_next_data_with = None
            self.drop_after_data_once = False
            self.reject_unknown_recipients = False
            self.received.clear()

    def _relay(self, envelope: Envelope) -> None:
        """Deliver to every recipient that is a mailbox user, one LMTP transaction each (runs in a thread)."""
        local = [r for r in envelope.rcpt_tos if _mailbox_user(r) in self.users]
        if not local:
            return
        data = envelope.original_content or b""
        with smtplib.LMTP(self.lmtp_host, self.lmtp_port, timeout=30) as lmtp:
            for rcpt in local:
                lmtp.sendmail(envelope.mail_from or "", [rcpt], data)

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user = _local_part(auth_data.login.decode("utf-8", errors="replace"))
        expected = self.users.get(user)
        ok = expected is not None and hmac.compare_digest(expected.encode(), bytes(auth_data.password))
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)

    def _controller(self, port: int, **kwargs: Any) -> Controller:
        return _Controller(
            _Handler(self),
            hostname=self.host,
            port=port,
            server_hostname="localhost",
            data_size_limit=self.size_limit,
            authenticator=self._authenticate,
            auth_required=True,
            **kwargs,
        )

    # ------------------------------------------------------------- lifecycle

    def start(self) -> SmtpServer:
        t0 = time.monotonic()
        self.submission_port = free_port()
        self.smtps_port = free_port()
        specs: list[tuple[int, dict[str, Any]]] = [
            (
                self.submission_port,
                {"tls_context": self.tls.server_context(), "require_starttls": True},
            ),
            # The whole connection is TLS, but aiosmtpd would still demand STARTTLS before AUTH.
            (self.smtps_port, {"ssl_context": self.tls.server_context(), "allow_auth_without_starttls": True}),
        ]
        if self.with_plain:
            self.plain_port = free_port()
            specs.append((self.plain_port, {"allow_auth_without_starttls": True}))
        try:
            for port, kwargs in specs:
                c = self._controller(port, **kwargs)
                c.start()
                self._controllers.append(c)
        except BaseException:
            self.stop()
            raise
        record_startup("aiosmtpd", t0)
        return self

    def stop(self) -> None:
        while self._controllers:
            c = self._controllers.pop()
            with contextlib.suppress(Exception):
                c.stop()

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="session")
def smtp_server(dovecot: DovecotServer, tls_material: TlsMaterial) -> Iterator[SmtpServer]:
    """Session SMTP server relaying to the session ``dovecot``; same users (live)."""
    server = SmtpServer(tls_material, dovecot.host, dovecot.lmtp_port, dovecot.users)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_clean(smtp_server: SmtpServer) -> Iterator[SmtpServer]:
    """The session ``smtp_server``, with fault injection and ``received`` cleared before and after the test."""
    smtp_server.reset()
    yield smtp_server
    smtp_server.reset()
