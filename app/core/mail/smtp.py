"""SMTP submission with aiosmtplib on one private asyncio loop in its own thread.

Callers on any thread use :meth:`SmtpSender.send` (blocking) or schedule
:meth:`SmtpSender.send_async` on :func:`smtp_loop` themselves. Security rules
match IMAP: certificates verified (or pinned), STARTTLS never silently skipped
(:class:`StartTlsUnavailable`), credentials over a plain connection only when
the user explicitly allowed it.

Outcomes are reported precisely because the outbox depends on them:
:class:`MessageTooLarge` before any upload, per-recipient refusals in
:class:`SendResult.refused`, :class:`SmtpTemporaryError` for 4xx (retry later),
:class:`MessageRejected` for 5xx (hold for the user), and
:class:`DeliveryUnknown` when the connection broke after the message body was
handed over but before the server's verdict arrived.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import aiosmtplib
from aiosmtplib import (
    SMTPAuthenticationError,
    SMTPDataError,
    SMTPException,
    SMTPRecipientRefused,
    SMTPResponseException,
    SMTPSenderRefused,
    SMTPServerDisconnected,
    SMTPTimeoutError,
)

from app.core.errors import (
    AuthError,
    Bug,
    NetworkError,
    PlaintextAuthRefused,
    QuayError,
    ServerError,
    StartTlsUnavailable,
    TlsError,
    UnknownSecurity,
)
from app.core.protolog import NULL_LOG, ProtoLog
from app.core.tls import TlsPolicy, explain_verification_failure
from app.core.urls import Security

__all__ = [
    "DeliveryUnknown",
    "MessageRejected",
    "MessageTooLarge",
    "NonAsciiAddressUnsupported",
    "PlaintextAuthRefused",
    "RecipientFailure",
    "RecipientsRefused",
    "Security",
    "SendResult",
    "SmtpConfig",
    "SmtpSender",
    "SmtpTemporaryError",
    "run_on_smtp_loop",
    "smtp_loop",
]

T = TypeVar("T")


class MessageTooLarge(ServerError):
    """The message exceeds the server's SIZE limit; nothing was uploaded."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"The message is {_human(size)}, but the server accepts at most {_human(limit)}. "
            "Remove or shrink attachments, or share large files another way.",
            reply=f"SIZE {limit}",
            code=552,
        )
        self.size = size
        self.limit = limit


class SmtpTemporaryError(ServerError):
    """A 4xx reply: the server asks us to try again later."""


class MessageRejected(ServerError):
    """A 5xx reply to the sender or the message: retrying will not help until the user changes something."""


class NonAsciiAddressUnsupported(ServerError):
    """A non-ASCII address needs SMTPUTF8, which this server does not offer."""


class RecipientsRefused(ServerError):
    """Every recipient was refused; ``failures`` maps each address to its reply."""

    def __init__(self, failures: dict[str, RecipientFailure]) -> None:
        text = "; ".join(f"{a}: {f.code} {f.reply}" for a, f in failures.items())
        first = next(iter(failures.values()), None)
        super().__init__(f"The server refused every recipient: {text}", reply=text, code=first.code if first else None)
        self.failures = failures

    @property
    def temporary(self) -> bool:
        return all(f.temporary for f in self.failures.values())


class DeliveryUnknown(NetworkError):
    """The connection broke after the message was handed over but before the server replied.

    The server may or may not have accepted it; resending could deliver it twice. Raised for any
    break from the DATA command on (aiosmtplib sends DATA and the body in one call, so a break
    before the 354 is counted too: the cautious side, as the outbox then asks the user).
    """


def _human(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    size = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        size /= 1024
        if size < 1024 or unit == "GiB":
            break
    return f"{size:.1f} {unit}"


@dataclass(frozen=True)
class RecipientFailure:
    """One refused RCPT: the address, the server's code and words."""

    address: str
    code: int
    reply: str

    @property
    def temporary(self) -> bool:
        return 400 <= self.code < 500


@dataclass
class SendResult:
    """What the server said: accepted and refused recipients, and its final reply to the message."""

    accepted: list[str] = field(default_factory=list)
    refused: dict[str, RecipientFailure] = field(default_factory=dict)
    reply: str = ""


@dataclass
class SmtpConfig:
    """Where and how to submit. Holds no password: that comes from the caller per send.

    ``security`` is a :class:`~app.core.urls.Security` (``STARTTLS`` on 587, ``TLS`` on 465, or
    ``NONE`` on 25, where a login needs ``allow_plaintext_auth``); the older words are accepted.
    """

    host: str
    port: int
    security: Security = Security.STARTTLS
    username: str | None = None
    allow_plaintext_auth: bool = False
    pin: str | None = None
    cafile: str | None = None
    timeout: float = 60.0
    local_hostname: str = "quay.invalid"

    def __post_init__(self) -> None:
        self.security = Security.parse(self.security)
        if self.security is Security.SSH:
            raise UnknownSecurity("SMTP cannot use security 'ssh'", value="ssh")

    def tls_policy(self) -> TlsPolicy:
        return TlsPolicy.for_server(self.host, self.port, pin=self.pin, cafile=self.cafile)


# ------------------------------------------------------------ the private loop


class _LoopThread:
    """One asyncio loop in a daemon thread, shared by every SMTP send in the process."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="quay-smtp-loop", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()


_loop_lock = threading.Lock()
_loop_thread: _LoopThread | None = None


def smtp_loop() -> asyncio.AbstractEventLoop:
    """The private SMTP loop (started on first use)."""
    global _loop_thread
    with _loop_lock:
        if _loop_thread is None:
            _loop_thread = _LoopThread()
        return _loop_thread.loop


def run_on_smtp_loop(coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
    """Run ``coro`` on the SMTP loop and wait for its result from the calling (non-loop) thread."""
    loop = smtp_loop()
    if _loop_thread is not None and threading.current_thread() is _loop_thread.thread:
        coro.close()
        raise Bug("run_on_smtp_loop() called on the SMTP loop itself (it would wait for itself forever)")
    fut = asyncio.run_coroutine_threadsafe(coro, loop)
    return fut.result(timeout)


# ------------------------------------------------------------------- sending


OAuthTokenProvider = Callable[[], Awaitable[str]]


class SmtpSender:
    """Submits one message per call over a fresh connection (no idle connection is kept)."""

    def __init__(
        self,
        config: SmtpConfig,
        *,
        password: str | None = None,
        oauth_token: OAuthTokenProvider | None = None,
        protolog: ProtoLog = NULL_LOG,
    ) -> None:
        self.config = config
        self._password = password
        self._oauth_token = oauth_token
        self._log = protolog
        self._session = f"smtp:{config.host}:{config.port}"
        if password:
            protolog.add_secret(password)

    def send(
        self,
        sender: str,
        recipients: Sequence[str],
        message: bytes,
        *,
        on_data_phase: Callable[[], None] | None = None,
    ) -> SendResult:
        """Blocking send from any thread except the SMTP loop's own; see :meth:`send_async`."""
        return run_on_smtp_loop(self.send_async(sender, recipients, message, on_data_phase=on_data_phase))

    async def send_async(
        self,
        sender: str,
        recipients: Sequence[str],
        message: bytes,
        *,
        on_data_phase: Callable[[], None] | None = None,
    ) -> SendResult:
        """Connect, secure, authenticate, and submit ``message`` to ``recipients``.

        ``on_data_phase`` runs (on the loop thread) just before the message body is
        handed over; after it, a broken connection raises :class:`DeliveryUnknown`.
        """
        if not recipients:
            raise MessageRejected("The message has no recipients.")
        smtp = await self._connect()
        try:
            return await self._transaction(smtp, sender, list(recipients), message, on_data_phase)
        finally:
            if smtp.is_connected:
                try:
                    await smtp.quit()
                except (SMTPException, OSError):
                    pass
                smtp.close()

    # ------------------------------------------------------------ internals

    def _note(self, direction: str, text: str) -> None:
        if self._log.enabled:
            data = (text + "\r\n").encode("utf-8", "replace")
            if direction == "C":
                self._log.sent(self._session, data)
            else:
                self._log.received(self._session, data)

    async def _tls_error(self, exc: BaseException, starttls: bool) -> QuayError:
        cfg = self.config
        if isinstance(exc, ssl.SSLError):
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                None, lambda: explain_verification_failure(exc, cfg.host, cfg.port, "smtp" if starttls else None)
            )
        return TlsError(f"TLS with {cfg.host}:{cfg.port} failed: {exc}")

    async def _connect(self) -> aiosmtplib.SMTP:
        cfg = self.config
        policy = cfg.tls_policy()
        implicit = cfg.security is Security.TLS
        ctx = policy.context() if cfg.security is not Security.NONE else None
        smtp = aiosmtplib.SMTP(
            hostname=cfg.host,
            port=cfg.port,
            timeout=cfg.timeout,
            use_tls=implicit,
            start_tls=False,
            tls_context=ctx if implicit else None,
            local_hostname=cfg.local_hostname,
        )
        try:
            try:
                reply = await smtp.connect()
            except SMTPTimeoutError as e:
                raise NetworkError(f"Timed out connecting to {cfg.host}:{cfg.port}.") from e
            except (SMTPException, OSError) as e:
                ssl_cause = _find_ssl_error(e)
                if ssl_cause is not None:
                    raise await self._tls_error(ssl_cause, False) from e
                if isinstance(e, SMTPResponseException):
                    raise ServerError(
                        f"{cfg.host}:{cfg.port} refused the connection: {e.code} {e.message}",
                        reply=e.message,
                        code=e.code,
                    ) from e
                raise NetworkError(f"Could not connect to {cfg.host}:{cfg.port}: {_reason(e)}") from e
            self._note("S", f"{reply.code} {reply.message}")
            if implicit:
                self._check_pin(smtp, policy)
            await self._ehlo(smtp)
            if cfg.security is Security.STARTTLS:
                if not smtp.supports_extension("starttls"):
                    raise StartTlsUnavailable(
                        f"{cfg.host}:{cfg.port} does not offer STARTTLS, but this account requires it. "
                        "Someone may be stripping encryption; nothing was sent."
                    )
                self._note("C", "STARTTLS")
                try:
                    await smtp.starttls(tls_context=ctx, server_hostname=cfg.host)
                except ssl.SSLError as e:
                    raise await self._tls_error(e, True) from e
                except SMTPResponseException as e:
                    raise StartTlsUnavailable(f"{cfg.host}:{cfg.port} refused STARTTLS: {e.code} {e.message}") from e
                except (SMTPException, OSError) as e:
                    ssl_cause = _find_ssl_error(e)
                    if ssl_cause is not None:
                        raise await self._tls_error(ssl_cause, True) from e
                    raise NetworkError(f"STARTTLS with {cfg.host}:{cfg.port} failed: {_reason(e)}") from e
                self._check_pin(smtp, policy)
                await self._ehlo(smtp)
            await self._authenticate(smtp)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _check_pin(self, smtp: aiosmtplib.SMTP, policy: TlsPolicy) -> None:
        sslobj = smtp.get_transport_info("ssl_object")
        if sslobj is None:
            raise TlsError(f"No TLS session with {self.config.host}:{self.config.port}.")
        policy.check(sslobj)

    async def _ehlo(self, smtp: aiosmtplib.SMTP) -> None:
        self._note("C", f"EHLO {self.config.local_hostname}")
        try:
            resp = await smtp.ehlo()
        except SMTPResponseException as e:
            raise ServerError(f"The server rejected EHLO: {e.code} {e.message}", reply=e.message, code=e.code) from e
        except (SMTPException, OSError) as e:
            raise NetworkError(f"Connection to {self.config.host} failed during EHLO: {_reason(e)}") from e
        self._note("S", f"{resp.code} {resp.message}")

    async def _authenticate(self, smtp: aiosmtplib.SMTP) -> None:
        cfg = self.config
        if cfg.username is None:
            return
        if cfg.security is Security.NONE and not cfg.allow_plaintext_auth:
            raise PlaintextAuthRefused(
                f"{cfg.host}:{cfg.port} is not encrypted; refusing to send the password in the clear. "
                "Use STARTTLS or TLS, or explicitly allow plaintext for this account.",
                protocol="smtp",
                host=cfg.host,
                port=cfg.port,
                operation="login",
            )
        if not smtp.supports_extension("auth"):
            raise AuthError(f"{cfg.host}:{cfg.port} does not offer authentication (AUTH).")
        self._log.begin_sasl(self._session)
        try:
            self._note("C", "AUTH <mechanism>")
            if self._oauth_token is not None:
                token = await self._oauth_token()
                self._log.add_secret(token)
                await smtp.auth_xoauth2(cfg.username, token)
            else:
                await smtp.login(cfg.username, self._password or "")
        except SMTPAuthenticationError as e:
            if 400 <= e.code < 500:  # e.g. 454 4.7.0 temporary authentication failure: try again later
                raise SmtpTemporaryError(
                    f"{cfg.host} could not check the password right now: {e.code} {e.message}",
                    reply=e.message,
                    code=e.code,
                ) from e
            raise AuthError(
                f"{cfg.host} refused the user name or password for {cfg.username} ({e.code} {e.message})."
            ) from e
        except SMTPResponseException as e:
            raise AuthError(f"Authentication with {cfg.host} failed: {e.code} {e.message}") from e
        except SMTPException as e:
            if isinstance(e, SMTPServerDisconnected | SMTPTimeoutError):
                raise NetworkError(f"Connection to {cfg.host} dropped during login: {_reason(e)}") from e
            raise AuthError(f"Authentication with {cfg.host} failed: {e}") from e
        finally:
            self._log.end_sasl(self._session)
        self._note("S", "235 authenticated")

    async def _transaction(
        self,
        smtp: aiosmtplib.SMTP,
        sender: str,
        recipients: list[str],
        message: bytes,
        on_data_phase: Callable[[], None] | None,
    ) -> SendResult:
        cfg = self.config
        limit_text = smtp.esmtp_extensions.get("size", "")
        limit = int(limit_text) if limit_text.strip().isdigit() else 0
        wire_size = len(message)
        if limit and wire_size > limit:
            raise MessageTooLarge(wire_size, limit)
        needs_utf8 = not (sender.isascii() and all(r.isascii() for r in recipients))
        utf8 = smtp.supports_extension("smtputf8")
        if needs_utf8 and not utf8:
            raise NonAsciiAddressUnsupported(
                f"{cfg.host} does not support non-ASCII addresses (SMTPUTF8); "
                "use the ASCII form of the address if there is one."
            )
        options: list[str] = []
        if smtp.supports_extension("size"):
            options.append(f"SIZE={wire_size}")
        if not message.isascii() and smtp.supports_extension("8bitmime"):
            options.append("BODY=8BITMIME")
        if needs_utf8:
            options.append("SMTPUTF8")
        encoding = "utf-8" if needs_utf8 else "ascii"
        try:
            self._note("C", f"MAIL FROM:<{sender}> {' '.join(options)}".rstrip())
            await smtp.mail(sender, options=options, encoding=encoding)
        except SMTPSenderRefused as e:
            raise _reply_error(e.code, e.message, f"The server refused the sender {sender}") from e
        except (SMTPServerDisconnected, SMTPTimeoutError, OSError) as e:
            raise NetworkError(f"Connection to {cfg.host} dropped before sending: {_reason(e)}") from e
        except SMTPResponseException as e:
            raise _reply_error(e.code, e.message, "The server refused MAIL FROM") from e
        result = SendResult()
        for rcpt in recipients:
            try:
                self._note("C", f"RCPT TO:<{rcpt}>")
                await smtp.rcpt(rcpt, encoding=encoding)
                result.accepted.append(rcpt)
            except SMTPRecipientRefused as e:
                self._note("S", f"{e.code} {e.message}")
                result.refused[rcpt] = RecipientFailure(rcpt, e.code, e.message)
            except (SMTPServerDisconnected, SMTPTimeoutError, OSError) as e:
                raise NetworkError(f"Connection to {cfg.host} dropped before sending: {_reason(e)}") from e
            except SMTPResponseException as e:
                result.refused[rcpt] = RecipientFailure(rcpt, e.code, e.message)
        if not result.accepted:
            try:
                await smtp.rset()
            except (SMTPException, OSError):
                pass
            raise RecipientsRefused(result.refused)
        if on_data_phase is not None:
            on_data_phase()
        try:
            self._note("C", f"DATA ({wire_size} bytes)")
            resp = await smtp.data(message)
        except SMTPDataError as e:
            raise _reply_error(e.code, e.message, "The server did not accept the message") from e
        except (SMTPServerDisconnected, SMTPTimeoutError, OSError) as e:
            raise DeliveryUnknown(
                f"The connection to {cfg.host} broke while the message was being submitted; "
                "the server may or may not have accepted it."
            ) from e
        self._note("S", f"{resp.code} {resp.message}")
        result.reply = f"{resp.code} {resp.message}"
        return result


def _reply_error(code: int, message: str, what: str) -> ServerError:
    text = f"{what}: {code} {message}"
    if 400 <= code < 500:
        return SmtpTemporaryError(text, reply=message, code=code)
    return MessageRejected(text, reply=message, code=code)


def _find_ssl_error(exc: BaseException) -> ssl.SSLError | None:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLError):
            return cur
        cur = cur.__cause__ or cur.__context__
    return None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
