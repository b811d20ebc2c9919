"""A mail account as the user sees it (incoming server + SMTP + identities + checking options), and login tests.

:class:`MailProfile` is a view over the records of :mod:`app.core.accounts`, the ones
:class:`~app.core.services.Services` opens sessions from; it stores nothing of its own:

* the incoming server is an :class:`~app.core.accounts.Account` of kind ``imap`` or ``pop3``
  (:attr:`MailProfile.record`), carrying the identities, ``check_interval`` (seconds),
  ``check_on_start``, ``order``, ``allow_plaintext`` and POP3's keep/delete choices
  (:class:`~app.core.accounts.Pop3Policy`, the one place they live);
* the SMTP server is an ``Account`` of kind ``smtp`` of its own (:attr:`MailProfile.smtp_record`),
  named by the incoming record's ``smtp_account``; several accounts may share one, and its
  ``options["size_limit"]`` keeps the server's SIZE.

Passwords go to the keyring only, under each record's :attr:`~app.core.accounts.ServerRecord.secret_key`
(the SMTP one is :func:`smtp_secret_key`). Files written in the wizard's first format (everything
inside ``options``) are upgraded by :class:`~app.core.accounts.AccountBook` when read.

:func:`check_incoming` / :func:`check_outgoing` log in and out once and turn what went
wrong into a :class:`CheckResult` whose ``kind`` the UI words for the user (wrong
password, unreachable, refused certificate, no encryption offered, ...).
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field, replace

import aiosmtplib

from app.core.accounts import Account, AccountBook, AccountIdentity, Pop3Policy
from app.core.errors import AuthError, NetworkError, QuayError, ServerError, StartTlsUnavailable, TlsError
from app.core.mail.autoconfig import ServerSettings
from app.core.mail.identities import Identity, identities_for
from app.core.mail.smtp import PlaintextAuthRefused, SmtpConfig, SmtpSender, SmtpTemporaryError, run_on_smtp_loop
from app.core.mail.smtp import Security as SmtpSecurity
from app.core.secrets import SecretStore
from app.core.tls import CertificateInfo, PinStore

__all__ = [
    "DEFAULT_CHECK_INTERVAL",
    "CheckResult",
    "MailProfile",
    "check_incoming",
    "check_outgoing",
    "load_profiles",
    "remove_profile",
    "reorder_profiles",
    "save_profile",
    "smtp_config",
    "smtp_secret_key",
]

MAIL_KINDS = ("imap", "pop3")
DEFAULT_CHECK_INTERVAL = 600  # seconds, as Account.check_interval


@dataclass
class MailProfile:
    """Everything about one mail account except passwords (see the module docstring).

    Edit the fields, then :func:`save_profile`; :meth:`account` and :meth:`smtp_account` are
    the records the profile stands for. ``record``/``smtp_record`` are the stored records it was
    read from (None for a new account), so what the profile does not show (ids, auth, other
    options) survives an edit.
    """

    incoming: ServerSettings
    smtp: ServerSettings
    email: str
    display_name: str = ""
    identities: list[Identity] = field(default_factory=list)
    check_interval: int = DEFAULT_CHECK_INTERVAL  # seconds; 0: only when asked
    check_on_start: bool = True
    order: int = 0
    pop3_keep: bool = True
    pop3_delete_after_days: int | None = None
    allow_plaintext: bool = False
    smtp_size_limit: int | None = None
    record: Account | None = field(default=None, compare=False, repr=False)
    smtp_record: Account | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> str:
        """The incoming record's key (also the mail cache's and the outbox's account key)."""
        return self.account().key

    @property
    def pop3_policy(self) -> Pop3Policy:
        return Pop3Policy(self.pop3_keep, self.pop3_delete_after_days if self.pop3_keep else None)

    def smtp_account(self) -> Account:
        """The SMTP record this profile sends with."""
        s = self.smtp
        base = self.smtp_record
        options = dict(base.options) if base is not None else {}
        options.pop("size_limit", None)
        if self.smtp_size_limit:
            options["size_limit"] = self.smtp_size_limit
        auth = base.auth if base is not None and base.auth not in ("none", "anonymous") else "password"
        return Account(
            kind="smtp",
            host=s.host,
            port=s.port,
            username=s.username,
            security=s.security,  # type: ignore[arg-type]
            auth=auth if s.username else "none",
            display_name=self.display_name,
            email=self.email,
            options=options,
            allow_plaintext=self.allow_plaintext,
            id=base.id if base is not None else uuid.uuid4().hex,
            order=base.order if base is not None else self.order,
        )

    def account(self) -> Account:
        """The incoming (IMAP or POP3) record, linked to :meth:`smtp_account` by key."""
        s = self.incoming
        base = self.record
        idents = self.identities or [Identity(self.email, self.display_name)]
        old_links = {i.address.lower(): i.smtp_account for i in (base.identities if base is not None else [])}
        acc = Account(
            kind=s.kind,
            host=s.host,
            port=s.port,
            username=s.username,
            security=s.security,  # type: ignore[arg-type]
            auth=base.auth if base is not None else "password",
            display_name=self.display_name,
            email=self.email,
            options=dict(base.options) if base is not None else {},
            allow_plaintext=self.allow_plaintext,
            id=base.id if base is not None else uuid.uuid4().hex,
            order=self.order,
            check_interval=max(0, int(self.check_interval)),
            check_on_start=self.check_on_start,
            smtp_account=self.smtp_account().key,
            signature=idents[0].signature,
            identities=[
                AccountIdentity(i.address, i.name, i.signature, i.reply_to or "", old_links.get(i.address.lower(), ""))
                for i in idents
            ],
        )
        if s.kind == "pop3":
            acc.set_pop3_policy(self.pop3_policy)
        else:
            acc.options.pop(Pop3Policy.OPTION, None)
        return acc

    @classmethod
    def from_records(cls, acc: Account, smtp: Account | None) -> MailProfile:
        """The profile of an incoming record and the SMTP record it names (None: not found; a guess is shown)."""
        email = acc.email or acc.username
        if smtp is not None:
            out = ServerSettings("smtp", smtp.host, smtp.port, str(smtp.security), smtp.username)
        else:  # no SMTP server recorded: the usual submission port of the same host, for the user to confirm
            out = ServerSettings("smtp", acc.host, 587, "starttls", acc.username)
        policy = acc.pop3_policy()
        return cls(
            incoming=ServerSettings(acc.kind, acc.host, acc.port, str(acc.security), acc.username),
            smtp=out,
            email=email,
            display_name=acc.display_name,
            identities=identities_for(acc),
            check_interval=acc.check_interval,
            check_on_start=acc.check_on_start,
            order=acc.order,
            pop3_keep=policy.keep,
            pop3_delete_after_days=policy.delete_after_days,
            allow_plaintext=acc.allow_plaintext,
            smtp_size_limit=smtp.smtp_size_limit if smtp is not None else None,
            record=acc,
            smtp_record=smtp,
        )

    @classmethod
    def from_account(cls, acc: Account, book: AccountBook | None = None) -> MailProfile:
        """The profile of an incoming record, its SMTP record looked up in ``book``."""
        smtp = book.get(acc.smtp_account) if book is not None and acc.smtp_account else None
        return cls.from_records(acc, smtp if smtp is not None and smtp.kind == "smtp" else None)


def smtp_secret_key(profile: MailProfile) -> str:
    """The keyring entry of the profile's SMTP password (its SMTP record's)."""
    return profile.smtp_account().secret_key


def load_profiles(book: AccountBook) -> list[MailProfile]:
    """The mail accounts (IMAP and POP3, each with its SMTP server) in the user's order."""
    profiles = [MailProfile.from_account(a, book) for a in book.all() if a.kind in MAIL_KINDS]
    return sorted(profiles, key=lambda p: (p.order, p.email.lower()))


def _users_of_smtp(book: AccountBook, smtp_key: str, besides: str) -> list[Account]:
    return [a for a in book.all() if a.kind in MAIL_KINDS and a.smtp_account == smtp_key and a.id != besides]


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
    """Write the records (replacing ``replaces``, the old key, when the server changed) and the passwords.

    A new account goes to the end of the user's order. An SMTP record other accounts share is
    edited in place only while its server stays the same; a changed server becomes a record of
    its own, so the others keep sending where they did. An SMTP record nobody uses any more goes.
    """
    if profile.record is None and replaces:
        old = book.get(replaces)
        if old is not None:
            profile.record = old
    if profile.record is None and book.get(profile.key) is None:
        existing = [p.order for p in load_profiles(book)]
        profile.order = max(existing, default=-1) + 1
    smtp = profile.smtp_account()
    old_smtp = profile.smtp_record
    if old_smtp is not None and smtp.key != old_smtp.key:
        own_id = profile.record.id if profile.record is not None else ""
        if _users_of_smtp(book, old_smtp.key, own_id):
            smtp = replace(smtp, id=uuid.uuid4().hex)
    shared = book.get(smtp.key)
    if shared is not None and shared.kind == "smtp" and shared.id != smtp.id:
        smtp = replace(smtp, id=shared.id)  # the same server another account already names: one record
    book.add(smtp)
    profile.smtp_record = smtp
    acc = profile.account()
    if replaces and replaces != acc.key:
        book.remove(replaces)
    book.add(acc)
    profile.record = acc
    if old_smtp is not None and old_smtp.key != smtp.key and not _users_of_smtp(book, old_smtp.key, ""):
        book.remove(old_smtp.id)
    book.save()
    if incoming_password is not None:
        secrets.set(acc.secret_key, incoming_password, remember=remember)
    if smtp_password is not None and not smtp.anonymous:
        secrets.set(smtp.secret_key, smtp_password, remember=remember)


def remove_profile(book: AccountBook, key: str, secrets: SecretStore) -> MailProfile | None:
    """Forget the account, its passwords and its SMTP record unless another account uses it.

    The caller decides about the cached mail.
    """
    acc = book.get(key)
    if acc is None:
        return None
    profile = MailProfile.from_account(acc, book)
    book.remove(acc.id)
    smtp = profile.smtp_record
    drop_smtp = smtp is not None and not _users_of_smtp(book, smtp.key, acc.id)
    if drop_smtp and smtp is not None:
        book.remove(smtp.id)
    book.save()
    with contextlib.suppress(QuayError):
        secrets.delete(acc.secret_key)
    if drop_smtp and smtp is not None:
        with contextlib.suppress(QuayError):
            secrets.delete(smtp.secret_key)
    return profile


def reorder_profiles(book: AccountBook, keys: list[str]) -> None:
    """Store the user's order (``keys`` first to last)."""
    for n, key in enumerate(keys):
        acc = book.get(key)
        if acc is not None:
            acc.order = n
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
