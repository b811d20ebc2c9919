"""The one way the GUI and the CLI get a session, a store or a queue: :class:`Services`.

``Services(AppPaths)`` holds what every connection needs and nobody else builds:
the secret store (keyring plus this session's memory), the certificate pins, the
SSH host keys, the saved accounts and sites, the protocol log, and the paths of
every data file. From a saved record (an :class:`~app.core.accounts.Account` or a
:class:`~app.core.transfer.sites.Site`, or one made from a URL by
:meth:`Services.record_for_url`) it opens a session::

    services = Services(AppPaths.resolve(None))
    imap = services.open_session(account)           # connected ImapSession
    ftp = services.open_session(site)               # connected FtpSession / SftpSession / TftpSession
    queue = services.transfer_queue(site)           # workers get sessions from services.session_factory

Opening a session, in order:

1. **Plaintext consent.** A record whose password would cross the network
   unencrypted (``Security.NONE``) is refused with :class:`PlaintextAuthRefused`
   before anything is looked up, asked or sent, unless the record (or the URL's
   ``?allow_plaintext``) says the user allowed it. Anonymous FTP, TFTP and SMTP
   without login send no password and need no consent. The sessions check again.
2. **The password**: an explicit one (``ConnectOptions.password``), else this
   session's memory, else the keyring (``auth="ask"`` skips the keyring), else
   the ``ask_password`` callback (the CLI's terminal prompt) when the record cannot
   do without one; a password asked for is kept in memory for the rest of the session. Nothing found for a record that
   cannot do without one: :class:`MissingPassword` naming the account.
3. **Trust**: the pin store for certificates, the host key store for SSH
   (``UnknownHostKey`` -> ask the user, then :meth:`Services.accept_host_key`;
   ``HostKeyChanged`` -> refuse), the protocol log with the password registered
   for redaction.
4. **Errors** carry the record's host, port and the failed operation
   (:meth:`QuayError.with_context`), so the UI can explain them.

Threads: a ``Services`` is shared by all threads; every session it returns
belongs to the one thread (worker) that uses it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from app.core.accounts import FILE_KINDS, MAIL_KINDS, Account, AccountBook, ServerRecord
from app.core.errors import (
    BadRecord,
    HostKeyInfo,
    MissingPassword,
    PlaintextAuthRefused,
    QuayError,
)
from app.core.paths import AppPaths
from app.core.protolog import NULL_LOG, ProtoLog
from app.core.secrets import KeyringUnavailable, SecretStore
from app.core.transfer.sites import Site, SiteStore
from app.core.urls import ParsedUrl, Security, parse_url

if TYPE_CHECKING:
    import socket

    from app.core.mail.drafts import DraftKeeper, DraftsFolder, DraftState, ImapFolder
    from app.core.mail.imap.session import ImapSession
    from app.core.mail.outbox import Outbox, StoreSentFolder
    from app.core.mail.pop3 import Pop3Session, Pop3State
    from app.core.mail.smtp import SmtpSender
    from app.core.mail.store import Store
    from app.core.tls import PinStore
    from app.core.transfer.base import RemoteSession
    from app.core.transfer.hostkeys import HostKeyStore
    from app.core.transfer.queue import TransferQueue

    MailSession = ImapSession | Pop3Session | SmtpSender

__all__ = [
    "TEXT_EXTENSIONS",
    "ConnectOptions",
    "PasswordPrompt",
    "Services",
]

#: ``ask_password(record)`` -> the password, or None when the user declined. Runs on the thread
#: that opens the session (the CLI's main thread; the GUI passes none and asks on MissingPassword).
PasswordPrompt = Callable[[ServerRecord], "str | None"]

#: Files sent in FTP ASCII mode when a site's ``transfer_mode`` is ``auto``.
TEXT_EXTENSIONS = (".txt", ".htm", ".html", ".css", ".js", ".xml", ".csv", ".php", ".sh", ".pl", ".py", ".md")


@dataclass
class ConnectOptions:
    """Choices for one connection beyond what the record says (all optional).

    ``password`` overrides every other source; ``pin`` trusts a certificate by SHA-256 fingerprint
    for this connection only (:meth:`Services.trust_certificate` saves one);
    ``accept_host_key`` trusts an *unknown* SSH key with this fingerprint and saves it;
    ``key_filename``/``passphrase``/``allow_agent``/``ssh_config`` are for SFTP;
    ``mechanism`` picks POP3's login (``auto``, ``user``, ``plain``, ``apop``);
    ``connect`` replaces the socket factory (tests inject faults with it);
    ``protolog`` sends this connection's protocol log somewhere else than the app-wide one
    (the GUI's per-account log window).
    """

    password: str | None = field(default=None, repr=False)
    pin: str | None = None
    accept_host_key: str | None = None
    key_filename: str | None = None
    passphrase: str | None = field(default=None, repr=False)
    allow_agent: bool = True
    ssh_config: Path | None = None
    mechanism: str = "auto"
    timeout: float | None = None
    connect: Callable[[tuple[str, int], float], socket.socket] | None = None
    protolog: ProtoLog | None = None


class Services:
    """Paths, secrets, pins, host keys, records and the protocol log, and the sessions made from them.

    ``ask_password`` is called when no password is known (the CLI passes a terminal prompt);
    ``protocol_log`` is a file to log to, ``True`` for ``AppPaths.protocol_log_file``, or None (off);
    ``cafile`` adds trust anchors for every TLS connection (a corporate CA, the tests' CA);
    ``user_known_hosts`` are OpenSSH known_hosts files read (never written) besides Quay's own
    (default ``~/.ssh/known_hosts``), ``extra_known_hosts`` more of them; ``ssh_config`` is the
    OpenSSH client config for SFTP (default ``~/.ssh/config``; ``Path(os.devnull)`` for none).
    """

    def __init__(
        self,
        paths: AppPaths,
        *,
        secrets: SecretStore | None = None,
        ask_password: PasswordPrompt | None = None,
        protocol_log: Path | bool | None = None,
        cafile: str | None = None,
        user_known_hosts: Sequence[Path] | None = None,
        extra_known_hosts: Sequence[Path] = (),
        ssh_config: Path | None = None,
    ) -> None:
        self.paths = paths
        self.secrets = secrets or SecretStore()
        self.ask_password = ask_password
        self.cafile = cafile
        self.ssh_config = ssh_config
        self._user_known_hosts = list(user_known_hosts) if user_known_hosts is not None else None
        self._extra_known_hosts = list(extra_known_hosts)
        self._log_path = paths.protocol_log_file if protocol_log is True else (protocol_log or None)
        self._lock = threading.Lock()
        self._pins: PinStore | None = None
        self._host_keys: HostKeyStore | None = None
        self._accounts: AccountBook | None = None
        self._sites: SiteStore | None = None
        self._log: ProtoLog | None = None

    # --- shared state (created on first use; thread-safe) ---------------------------------------

    @property
    def pins(self) -> PinStore:
        with self._lock:
            if self._pins is None:
                from app.core.tls import PinStore  # TLS machinery only for TLS sessions (CLI start-up)

                self._pins = PinStore(self.paths.pins_file)
            return self._pins

    @property
    def host_keys(self) -> HostKeyStore:
        from app.core.transfer.hostkeys import HostKeyStore, default_user_files  # paramiko loads only for SFTP

        with self._lock:
            if self._host_keys is None:
                user = self._user_known_hosts if self._user_known_hosts is not None else default_user_files()
                self._host_keys = HostKeyStore(
                    self.paths.known_hosts_file, user_files=[*user, *self._extra_known_hosts]
                )
            return self._host_keys

    @property
    def accounts(self) -> AccountBook:
        """The saved mail accounts (``AppPaths.accounts_file``)."""
        with self._lock:
            if self._accounts is None:
                self._accounts = AccountBook(self.paths.accounts_file)
            return self._accounts

    @property
    def sites(self) -> SiteStore:
        """The saved file-transfer sites (``AppPaths.sites_file``)."""
        with self._lock:
            if self._sites is None:
                self._sites = SiteStore(self.paths.sites_file, self.secrets)
            return self._sites

    def reload_sites(self) -> None:
        """Read the site list again on next use (another window or the CLI changed ``sites.json``)."""
        with self._lock:
            self._sites = None

    def protocol_log(self) -> ProtoLog:
        """The shared protocol log (secrets redacted), or the disabled one when logging is off."""
        with self._lock:
            if self._log_path is None:
                return NULL_LOG
            if self._log is None:
                self._log = ProtoLog(Path(self._log_path))
            return self._log

    def close(self) -> None:
        """Close the protocol log (sessions are closed by whoever holds them)."""
        with self._lock:
            log, self._log = self._log, None
        if log is not None:
            log.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- records ------------------------------------------------------------------------------

    def record_for_url(
        self, url: str | ParsedUrl, *, kinds: tuple[str, ...] | None = None, allow_plaintext: bool = False
    ) -> Account | Site:
        """A record for ``url`` (not saved). A password in the URL is kept in memory for this session.

        ``allow_plaintext`` adds the user's consent (the CLI's ``--allow-plaintext``); the URL's own
        ``?allow_plaintext`` does the same. :class:`BadUrl` or :class:`BadRecord` when unusable.
        """
        parsed = url if isinstance(url, ParsedUrl) else parse_url(url, kinds=kinds)
        if kinds is not None and parsed.kind not in kinds:
            parse_url(parsed.display(), kinds=kinds)  # raises the usual BadUrl
        consent = parsed.allow_plaintext or allow_plaintext
        record: Account | Site
        if parsed.kind in MAIL_KINDS:
            auth = "none" if parsed.kind == "smtp" and not parsed.user else "password"
            record = Account(
                parsed.kind,
                parsed.host,
                parsed.port,
                parsed.user,
                parsed.security,
                auth=auth,
                allow_plaintext=consent,
            )
        elif parsed.kind in FILE_KINDS:
            if parsed.kind == "tftp":
                auth = "none"
            elif parsed.kind == "sftp":
                auth = "auto"
            else:
                auth = "anonymous" if parsed.user.lower() in ("", "anonymous", "ftp") else "password"
            record = Site(
                parsed.display(),
                parsed.kind,
                parsed.host,
                parsed.port,
                parsed.user,
                auth=auth,
                security=parsed.security,
                allow_plaintext=consent,
            )
        else:  # pragma: no cover - parse_url knows no other kinds
            raise BadRecord(f"no record kind for {parsed.kind}", field="kind")
        if parsed.password is not None:
            self.secrets.remember_for_session(record.secret_key, parsed.password)
        return record

    def save_account(self, account: Account, password: str | None = None, *, remember: bool = True) -> None:
        """Add or replace ``account`` and save the book; ``password`` to the keyring (or memory only)."""
        book = self.accounts
        book.add(account)
        book.save()
        if password:
            self.secrets.set(account.secret_key, password, remember=remember and account.saves_password)

    def remove_account(self, key_or_id: str) -> None:
        book = self.accounts
        account = book.get(key_or_id)
        if account is None:
            return
        book.remove(key_or_id)
        book.save()
        self.secrets.delete(account.secret_key)

    def save_site(self, site: Site, password: str | None = None, *, remember: bool = True) -> None:
        """Add or replace ``site`` and save; ``password`` to the keyring (or memory only)."""
        self.sites.add(site)
        if password:
            self.secrets.set(site.secret_key, password, remember=remember and site.saves_password)

    def remove_site(self, name_or_id: str) -> None:
        self.sites.remove(name_or_id)

    # --- trust decisions ----------------------------------------------------------------------

    def trust_certificate(self, host: str, port: int, fingerprint: str) -> None:
        """Pin this certificate (SHA-256 fingerprint) for host:port: the user looked at it and accepted it."""
        self.pins.pin(host, port, fingerprint)

    def accept_host_key(self, info: HostKeyInfo) -> None:
        """Trust the SSH host key the user was shown in an :class:`UnknownHostKey` (saved in Quay's file)."""
        self.host_keys.accept(info)

    # --- passwords ----------------------------------------------------------------------------

    def check_plaintext(self, record: ServerRecord) -> None:
        """Refuse (:class:`PlaintextAuthRefused`) a password over an unencrypted connection without consent."""
        if record.sends_password_in_clear and not record.allow_plaintext:
            raise PlaintextAuthRefused(
                f"{record.kind.upper()} {record.host}:{record.port} is not encrypted; refusing to send the "
                "password in the clear. Use an encrypted connection (TLS or STARTTLS), or explicitly allow "
                "plaintext for this account.",
                protocol=record.kind,
                host=record.host,
                port=record.port,
                operation="login",
            )

    def password_for(self, record: ServerRecord, override: str | None = None) -> str | None:
        """The password to send for ``record`` (None when it uses none); see the module docstring, step 2."""
        self.check_plaintext(record)
        if not record.uses_password:
            return None
        if override is not None:
            return override
        keyring_ok = True
        try:
            found = self.secrets.get(record.secret_key, use_keyring=record.saves_password)
        except KeyringUnavailable:
            found, keyring_ok = None, False
        if found is not None:
            return found
        if self.ask_password is not None and record.needs_password:
            asked = self.ask_password(record)
            if asked is not None:
                self.secrets.remember_for_session(record.secret_key, asked)
                return asked
        if not record.needs_password:
            return None
        keyring_ok = keyring_ok and self.secrets.available()
        where = "in the system keyring" if keyring_ok else "anywhere (no system keyring is available)"
        raise MissingPassword(
            f"No password for {record.kind} {record.user}@{record.host}:{record.port}: none is saved {where} "
            "and none was given.",
            protocol=record.kind,
            user=record.user,
            keyring_available=keyring_ok,
            host=record.host,
            port=record.port,
            operation="login",
        )

    # --- sessions -----------------------------------------------------------------------------

    @overload
    def open_session(self, record: Site, options: ConnectOptions | None = None) -> RemoteSession: ...

    @overload
    def open_session(self, record: Account, options: ConnectOptions | None = None) -> MailSession: ...

    def open_session(
        self, record: Account | Site, options: ConnectOptions | None = None
    ) -> RemoteSession | MailSession:
        """A connected, logged-in session for any record (an SMTP sender connects per message)."""
        if isinstance(record, Site):
            return self.file_session(record, options, connect=True)
        if record.kind == "imap":
            return self.imap_session(record, options)
        if record.kind == "pop3":
            return self.pop3_session(record, options)
        if record.kind == "smtp":
            return self.smtp_sender(record, options)
        raise BadRecord(f"{record.label}: no session for kind {record.kind!r}", record=record.label, field="kind")

    def imap_session(
        self, account: Account, options: ConnectOptions | None = None, *, connect: bool = True
    ) -> ImapSession:
        """An IMAP session for ``account``: connected and logged in (or only built, ``connect=False``)."""
        from app.core.mail.imap.session import ImapSession

        opts = options or ConnectOptions()
        self._expect(account, "imap")
        password = self.password_for(account, opts.password) or ""
        extra: dict[str, Any] = {"connect": opts.connect} if opts.connect is not None else {}
        if opts.timeout is not None:
            extra["timeout"] = opts.timeout
        session = ImapSession(
            account,
            password,
            pins=self.pins,
            pin=opts.pin,
            cafile=self.cafile,
            protolog=opts.protolog if opts.protolog is not None else self.protocol_log(),
            **extra,
            allow_plaintext=account.allow_plaintext,
        )
        if connect:
            with _context(account, "connect"):
                session.connect()
        return session

    def pop3_session(self, account: Account, options: ConnectOptions | None = None) -> Pop3Session:
        """A connected, logged-in POP3 session for ``account``."""
        from app.core.mail.pop3 import Pop3Config, Pop3Session

        opts = options or ConnectOptions()
        self._expect(account, "pop3")
        password = self.password_for(account, opts.password) or ""
        config = Pop3Config(
            account.host,
            account.port,
            account.username,
            account.security,
            allow_plaintext_auth=account.allow_plaintext,
            pin=opts.pin or self.pins.get(account.host, account.port),
            cafile=self.cafile,
            auth=opts.mechanism,
        )
        if opts.timeout is not None:
            config.timeout = opts.timeout
        with _context(account, "connect"):
            return Pop3Session.connect(
                config,
                password,
                protolog=opts.protolog if opts.protolog is not None else self.protocol_log(),
                connect=opts.connect,
            )

    def smtp_sender(self, account: Account, options: ConnectOptions | None = None) -> SmtpSender:
        """A sender for ``account`` (it connects, secures and logs in for each message it sends)."""
        from app.core.mail.smtp import SmtpConfig, SmtpSender

        opts = options or ConnectOptions()
        self._expect(account, "smtp")
        password = self.password_for(account, opts.password)
        config = SmtpConfig(
            account.host,
            account.port,
            account.security,
            username=account.username or None,
            allow_plaintext_auth=account.allow_plaintext,
            pin=opts.pin or self.pins.get(account.host, account.port),
            cafile=self.cafile,
        )
        if opts.timeout is not None:
            config.timeout = opts.timeout
        log = opts.protolog if opts.protolog is not None else self.protocol_log()
        return SmtpSender(config, password=password, protolog=log)

    def file_session(self, site: Site, options: ConnectOptions | None = None, *, connect: bool = True) -> RemoteSession:
        """An FTP/FTPS, SFTP or TFTP session for ``site``: connected (or only built, ``connect=False``)."""
        session = self.session_factory(site, options)()
        if connect:
            with _context(site, "connect"):
                session.connect()
        return session

    def session_factory(self, site: Site, options: ConnectOptions | None = None) -> Callable[[], RemoteSession]:
        """A factory of new, *unconnected* sessions for ``site`` (the transfer queue calls it per worker).

        The consent check and the password lookup happen here, once, not in each worker.
        """
        opts = options or ConnectOptions()
        if site.kind not in FILE_KINDS:
            raise BadRecord(f"{site.label}: not a file site ({site.kind})", record=site.label, field="kind")
        password = self.password_for(site, opts.password)
        log = opts.protolog if opts.protolog is not None else self.protocol_log()
        if site.kind == "ftp":
            from app.core.transfer.ftp import FtpSession

            ascii_ext = {"binary": (), "auto": TEXT_EXTENSIONS, "ascii": ("",)}[site.transfer_mode]
            ftp_extra: dict[str, Any] = {"connect": opts.connect} if opts.connect is not None else {}

            def ftp() -> RemoteSession:
                return FtpSession(
                    site.host,
                    site.port,
                    site.user or "anonymous",
                    password,
                    security=site.security,
                    allow_plaintext=site.allow_plaintext,
                    passive=site.passive,
                    encoding=site.encoding,
                    ascii_extensions=ascii_ext,
                    timeout=opts.timeout or 30.0,
                    pins=None if site.security is Security.NONE else self.pins,  # plain FTP: no TLS at all
                    pin=opts.pin,
                    cafile=self.cafile,
                    protolog=log,
                    **ftp_extra,
                )

            return ftp
        if site.kind == "sftp":
            from app.core.transfer.sftp import SftpSession

            host_keys = self.host_keys
            sftp_extra: dict[str, Any] = {"connect": opts.connect} if opts.connect is not None else {}
            key_file = opts.key_filename or site.key_file

            def sftp() -> RemoteSession:
                return SftpSession(
                    site.host,
                    site.port if site.port != 22 else None,  # None: the ssh config's Port may apply
                    site.user or None,
                    password,
                    host_keys=host_keys,
                    accept_fingerprint=opts.accept_host_key,
                    key_filename=key_file,
                    passphrase=opts.passphrase,
                    allow_agent=opts.allow_agent,
                    ssh_config=opts.ssh_config or self.ssh_config,
                    timeout=opts.timeout or 30.0,
                    protolog=log,
                    **sftp_extra,
                )

            return sftp
        from app.core.transfer.tftp import TftpSession

        def tftp() -> RemoteSession:
            return TftpSession(site.host, site.port)

        return tftp

    def transfer_queue(
        self, site: Site, options: ConnectOptions | None = None, *, name: str | None = None, **queue_options: Any
    ) -> TransferQueue:
        """The persistent transfer queue of ``site`` (``AppPaths.transfer_db``), its workers' sessions from here.

        ``queue_options`` go to :class:`~app.core.transfer.queue.TransferQueue` (``workers``
        defaults to the site's ``max_connections``, ``policy``, ``speed_limit``, ``listener``, ...).
        """
        from app.core.transfer.queue import TransferQueue

        queue_options.setdefault("workers", site.max_connections)
        return TransferQueue(
            self.paths.transfer_db, self.session_factory(site, options), name=name or site.id, **queue_options
        )

    # --- local stores -------------------------------------------------------------------------

    def mail_store(self, *, readonly: bool = False) -> Store:
        """The mail cache (``AppPaths.mail_db``); one writer per account worker, readers anywhere."""
        from app.core.mail.store import Store

        return Store.open(self.paths.mail_db, readonly=readonly)

    def outbox(self, *, clock: Callable[[], float] | None = None) -> Outbox:
        """The send queue (``AppPaths.outbox_db``); ``clock`` replaces the wall clock (tests of "send later")."""
        from app.core.mail.outbox import Outbox

        if clock is None:
            return Outbox.open(self.paths.outbox_db)
        return Outbox.open(self.paths.outbox_db, clock=clock)

    def pop3_state(self) -> Pop3State:
        """POP3's UIDL bookkeeping (``AppPaths.pop3_state_db``)."""
        from app.core.mail.pop3 import Pop3State

        return Pop3State(self.paths.pop3_state_db)

    def cache_account_id(self, store: Store, account: Account) -> int:
        """The mail cache's id for ``account`` (its row is created on first use)."""
        return store.ensure_account(
            account.key, account.kind, account.host, account.port, account.username, account.security.value
        )

    def sent_folder(self, store: Store, account: Account, name: str = "Sent") -> StoreSentFolder:
        """Where the outbox files copies of what ``account`` sent: a folder of the cache (local until synced)."""
        from app.core.mail.outbox import StoreSentFolder

        folder = store.create_local_folder(self.cache_account_id(store, account), name)
        return StoreSentFolder(store, folder)

    def server_folder(self, session: ImapSession, mailbox: str) -> ImapFolder:
        """One mailbox on a live IMAP session (its Drafts or Sent), for the drafts keeper or the outbox."""
        from app.core.mail.drafts import ImapFolder

        return ImapFolder(session, mailbox)

    def drafts(
        self, store: Store, local_folder_id: int, server: DraftsFolder | None = None, state: DraftState | None = None
    ) -> DraftKeeper:
        """A keeper for one draft being composed (local first, then the server's Drafts folder)."""
        from app.core.mail.drafts import DraftKeeper

        return DraftKeeper(store, local_folder_id, server, state=state)

    # --- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _expect(account: Account, kind: str) -> None:
        if account.kind != kind:
            raise BadRecord(
                f"{account.label} is a {account.kind} account, not {kind}", record=account.label, field="kind"
            )


@contextlib.contextmanager
def _context(record: ServerRecord, operation: str) -> Iterator[None]:
    """Fill in host, port and operation on any Quay error raised inside (the raiser's own facts win)."""
    try:
        yield
    except QuayError as e:
        e.with_context(host=record.host, port=record.port, operation=operation)
        raise
