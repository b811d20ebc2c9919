"""A mail account as the user sees it (incoming server + SMTP + identities + checking options), and login tests.

Storage: one :class:`~app.core.accounts.Account` record of kind ``imap`` or ``pop3``
in the account book; everything else sits in its ``options`` (the same shape the demo
profile writes)::

    options = {
      "smtp": {"host", "port", "security", "username", "size_limit"},
      "identities": [{"address", "name", "signature", "reply_to"}],
      "check_interval": minutes, "check_on_start": bool, "order": int,
      "pop3": {"keep": bool, "delete_after_days": int | None},
      "allow_plaintext": bool,
    }

Passwords go to the keyring only, the incoming one under
:attr:`Account.secret_key`, the SMTP one under :func:`smtp_secret_key`.

:func:`check_incoming` / :func:`check_outgoing` log in and out once and turn what went
wrong into a :class:`CheckResult` whose ``kind`` the UI words for the user (wrong
password, unreachable, refused certificate, no encryption offered, ...).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from typing import Any

import aiosmtplib

from app.core.accounts import Account, AccountBook
from app.core.errors import AuthError, NetworkError, QuayError, ServerError, StartTlsUnavailable, TlsError
from app.core.mail.autoconfig import ServerSettings
from app.core.mail.identities import Identity
from app.core.mail.smtp import PlaintextAuthRefused, SmtpConfig, SmtpSender, SmtpTemporaryError, run_on_smtp_loop
from app.core.mail.smtp import Security as SmtpSecurity
from app.core.secrets import SecretStore, secret_key
from app.core.tls import CertificateInfo, PinStore

__all__ = [
    "CheckResult",
    "MailProfile",
    "check_incoming",
    "check_outgoing",
    "load_profiles",
    "remove_profile",
    "save_profile",
    "smtp_config",
    "smtp_secret_key",
]

MAIL_KINDS = ("imap", "pop3")
DEFAULT_CHECK_MINUTES = 10


@dataclass
class MailProfile:
    """Everything about one mail account except passwords."""

    incoming: ServerSettings
    smtp: ServerSettings
    email: str
    display_name: str = ""
    identities: list[Identity] = field(default_factory=list)
    check_interval: int = DEFAULT_CHECK_MINUTES
    check_on_start: bool = True
    order: int = 0
    pop3_keep: bool = True
    pop3_delete_after_days: int | None = None
    allow_plaintext: bool = False
    smtp_size_limit: int | None = None

    @property
    def key(self) -> str:
        return self.account().key

    def account(self) -> Account:
        s = self.incoming
        idents = self.identities or [Identity(self.email, self.display_name)]
        options: dict[str, Any] = {
            "smtp": {
                "host": self.smtp.host,
                "port": self.smtp.port,
                "security": self.smtp.security,
                "username": self.smtp.username,
                "size_limit": self.smtp_size_limit,
            },
            "identities": [
                {"address": i.address, "name": i.name, "signature": i.signature, "reply_to": i.reply_to} for i in idents
            ],
            "check_interval": self.check_interval,
            "check_on_start": self.check_on_start,
            "order": self.order,
            "allow_plaintext": self.allow_plaintext,
        }
        if s.kind == "pop3":
            options["pop3"] = {"keep": self.pop3_keep, "delete_after_days": self.pop3_delete_after_days}
        return Account(
            kind=s.kind,
            host=s.host,
            port=s.port,
            username=s.username,
            security=s.security,  # type: ignore[arg-type]
            display_name=self.display_name,
            email=self.email,
            options=options,
        )

    @classmethod
    def from_account(cls, acc: Account) -> MailProfile:
        o = acc.options or {}
        sm = o.get("smtp") or {}
        email = acc.email or acc.username
        smtp = ServerSettings(
            "smtp",
            str(sm.get("host") or acc.host),
            int(sm.get("port") or 587),
            str(sm.get("security") or "starttls"),
            str(sm.get("username") or acc.username),
        )
        idents = [
            Identity(
                address=str(d.get("address") or email),
                name=str(d.get("name") or ""),
                signature=str(d.get("signature") or ""),
                reply_to=d.get("reply_to") or None,
            )
            for d in o.get("identities") or []
            if isinstance(d, dict)
        ] or [Identity(email, acc.display_name)]
        pop = o.get("pop3") or {}
        size = sm.get("size_limit")
        return cls(
            incoming=ServerSettings(acc.kind, acc.host, acc.port, str(acc.security), acc.username),
            smtp=smtp,
            email=email,
            display_name=acc.display_name,
            identities=idents,
            check_interval=int(o.get("check_interval") or DEFAULT_CHECK_MINUTES),
            check_on_start=bool(o.get("check_on_start", True)),
            order=int(o.get("order") or 0),
            pop3_keep=bool(pop.get("keep", True)),
            pop3_delete_after_days=pop.get("delete_after_days"),
            allow_plaintext=bool(o.get("allow_plaintext", False)),
            smtp_size_limit=int(size) if isinstance(size, int) and size > 0 else None,
        )


def smtp_secret_key(profile: MailProfile) -> str:
    return secret_key("smtp", profile.smtp.username, profile.smtp.host, profile.smtp.port)


def load_profiles(book: AccountBook) -> list[MailProfile]:
    """The mail accounts in the user's order."""
    profiles = [MailProfile.from_account(a) for a in book.all() if a.kind in MAIL_KINDS]
    return sorted(profiles, key=lambda p: (p.order, p.email.lower()))


def save_profile(
    book: AccountBook,
    profile: MailProfile,
    secrets: SecretStore,
    *,
    incoming_password: str | None = None,
    smtp_password: str | None = None,
    replaces: str | None = None,
    remember: bool = True,
) -> None:
    """Write the record (replacing ``replaces``, the old key, when the server changed) and the passwords."""
    acc = profile.account()
    if replaces and replaces != acc.key:
        book.remove(replaces)
    if replaces is None and book.get(acc.key) is None:
        existing = [p.order for p in load_profiles(book)]
        profile.order = max(existing, default=-1) + 1
        acc = profile.account()
    book.add(acc)
    book.save()
    if incoming_password is not None:
        secrets.set(acc.secret_key, incoming_password, remember=remember)
    if smtp_password is not None:
        secrets.set(smtp_secret_key(profile), smtp_password, remember=remember)


def remove_profile(book: AccountBook, key: str, secrets: SecretStore) -> MailProfile | None:
    """Forget the account and its passwords; the caller decides about the cached mail."""
    acc = book.get(key)
    if acc is None:
        return None
    profile = MailProfile.from_account(acc)
    book.remove(key)
    book.save()
    with contextlib.suppress(QuayError):
        secrets.delete(acc.secret_key)
    with contextlib.suppress(QuayError):
        secrets.delete(smtp_secret_key(profile))
    return profile


def reorder_profiles(book: AccountBook, keys: list[str]) -> None:
    """Store the user's order (``keys`` first to last)."""
    for n, key in enumerate(keys):
        acc = book.get(key)
        if acc is not None:
            acc.options = {**acc.options, "order": n}
            book.add(acc)
    book.save()


_SMTP_SECURITY = {"tls": SmtpSecurity.TLS, "starttls": SmtpSecurity.STARTTLS, "none": SmtpSecurity.NONE}


def smtp_config(
    server: ServerSettings, pins: PinStore | None, *, allow_plaintext: bool = False, timeout: float = 60.0
) -> SmtpConfig:
    return SmtpConfig(
        server.host,
        server.port,
        _SMTP_SECURITY.get(server.security, SmtpSecurity.STARTTLS),
        username=server.username or None,
        allow_plaintext_auth=allow_plaintext,
        pin=pins.get(server.host, server.port) if pins else None,
        timeout=timeout,
    )


# ------------------------------------------------------------------ login tests


@dataclass
class CheckResult:
    """What a login test found. ``kind``: ok, auth, unreachable, certificate, tls, no_encryption,
    plaintext, server, temporary. ``size_limit``: the SMTP server's SIZE, when it announced one."""

    kind: str
    detail: str = ""
    certificate: CertificateInfo | None = None
    reason: str = ""
    size_limit: int | None = None

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


def _classify(e: BaseException) -> CheckResult:
    if isinstance(e, StartTlsUnavailable):
        return CheckResult("no_encryption", str(e))
    if isinstance(e, TlsError):
        if e.certificate is not None:
            return CheckResult("certificate", str(e), e.certificate, e.reason)
        return CheckResult("tls", str(e), reason=e.reason)
    if isinstance(e, PlaintextAuthRefused):
        return CheckResult("plaintext", str(e))
    if isinstance(e, AuthError):
        return CheckResult("auth", str(e))
    if isinstance(e, SmtpTemporaryError):
        return CheckResult("temporary", str(e))
    if isinstance(e, NetworkError | OSError | TimeoutError):
        return CheckResult("unreachable", str(e))
    if isinstance(e, ServerError):
        return CheckResult("server", str(e))
    return CheckResult("server", f"{type(e).__name__}: {e}")


def check_incoming(
    server: ServerSettings,
    password: str,
    pins: PinStore | None,
    *,
    allow_plaintext: bool = False,
    cafile: str | None = None,
    timeout: float = 15.0,
) -> CheckResult:
    """Log in to the IMAP or POP3 server and out again."""
    if server.security == "none" and not allow_plaintext:
        return CheckResult(
            "plaintext",
            f"{server.host}:{server.port} would receive the password unencrypted; "
            "choose STARTTLS or TLS, or allow plaintext explicitly.",
        )
    try:
        if server.kind == "pop3":
            from app.core.mail.pop3 import Pop3Config, Pop3Session

            sec = "plain" if server.security == "none" else server.security
            cfg = Pop3Config(
                server.host,
                server.port,
                server.username,
                sec,
                allow_plaintext_auth=allow_plaintext,
                pin=pins.get(server.host, server.port) if pins else None,
                cafile=cafile,
                timeout=timeout,
            )
            Pop3Session.connect(cfg, password).quit()
        else:
            from app.core.mail.imap.session import ImapSession

            acc = Account("imap", server.host, server.port, server.username, server.security)  # type: ignore[arg-type]
            session = ImapSession(acc, password, pins=pins, cafile=cafile, timeout=timeout)
            session.connect()
            session.logout()
    except Exception as e:
        return _classify(e)
    return CheckResult("ok")


class _SmtpLoginCheck(SmtpSender):
    """Connect, secure and authenticate exactly as a send would, then say goodbye without sending."""

    async def check_async(self) -> int | None:
        smtp = await self._connect()
        try:
            text = smtp.esmtp_extensions.get("size", "")
            return int(text) if text.strip().isdigit() and int(text) > 0 else None
        finally:
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await smtp.quit()
            smtp.close()


def check_outgoing(
    server: ServerSettings,
    password: str,
    pins: PinStore | None,
    *,
    allow_plaintext: bool = False,
    cafile: str | None = None,
    timeout: float = 15.0,
) -> CheckResult:
    """Log in to the SMTP server and out again; reports the server's SIZE limit."""
    cfg = replace(smtp_config(server, pins, allow_plaintext=allow_plaintext, timeout=timeout), cafile=cafile)
    checker = _SmtpLoginCheck(cfg, password=password)
    try:
        size = run_on_smtp_loop(checker.check_async(), timeout=timeout * 2)
    except Exception as e:
        return _classify(e)
    return CheckResult("ok", size_limit=size)
