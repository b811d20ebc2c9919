"""POP3: session (stdlib poplib underneath) and the download job into the mail cache.

Public API: :class:`Pop3Config` (``security`` is a :class:`~app.core.urls.Security`; the legacy word
``"plain"`` is accepted), :meth:`Pop3Session.connect`, :class:`Pop3Inbox` (the local side of an
account: the cache folder new mail goes to, and the UIDLs already downloaded), and
:func:`download`. ``Pop3State`` / ``StoreFolderSink`` and the five-argument ``download`` remain as a
thin compatibility layer for callers written against the two-file design.

Safety rules the download job keeps:

* A message is deleted on the server (DELE) only after the local store has
  committed it, and DELE only takes effect at QUIT (RFC 1939 §6): a connection
  dropped mid-session leaves the server untouched.
* The UIDL state lives in the mail cache beside the messages (``pop3_uidl``),
  and storing a message and recording its UIDL is one transaction: after a
  crash at any point a message is either stored and known, or neither, so it
  is never downloaded twice nor lost.
* Commits survive a crash of Quay at once; before the first DELE of a run the
  cache is made durable against a power loss too (:meth:`Store.flush_to_disk`:
  one commit with ``synchronous=FULL``, which SQLite flushes on its own handle,
  ``F_FULLFSYNC`` on macOS), so the server never forgets a message whose only
  copy is still in a disk cache. No fsync of ours is involved.
* Every line and every multi-line answer has a length limit (:class:`Pop3Config`),
  and going over it is a :class:`~app.core.errors.ProtocolError` that names the
  limit, never unbounded memory use.
* Keep mode leaves messages on the server, optionally deleting them N days
  after download or once deleted here (deleting the local copy records that).
"""

from __future__ import annotations

import base64
import hashlib
import poplib
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import default as _default_policy
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from app.core.errors import (
    AuthError,
    Bug,
    NetworkError,
    PlaintextAuthRefused,
    ProtocolError,
    ServerError,
    StartTlsUnavailable,
    TlsError,
    UnknownSecurity,
)
from app.core.protolog import NULL_LOG, ProtoLog
from app.core.tls import TlsPolicy, explain_verification_failure
from app.core.urls import Security

if TYPE_CHECKING:
    from app.core.mail.store import Pop3Seen, Store

__all__ = [
    "PlaintextAuthRefused",
    "Pop3Config",
    "Pop3Inbox",
    "Pop3Options",
    "Pop3Report",
    "Pop3Session",
    "Pop3State",
    "Preview",
    "StoreFolderSink",
    "download",
]

_T = TypeVar("_T")
SocketFactory = Callable[[tuple[str, int], float], socket.socket]

MIB = 1024 * 1024
#: One line of any answer. poplib's 2048 is too small for real mail (long HTML lines).
MAX_LINE = 1 * MIB
#: A multi-line answer that is not a message (CAPA, UIDL, LIST): ~500,000 messages' worth.
MAX_LISTING = 16 * MIB
#: One message (RETR, TOP), held in memory while it is stored.
MAX_MESSAGE = 256 * MIB


# ------------------------------------------------------------------ parsers


def parse_uidl_lines(lines: Iterable[bytes]) -> dict[int, str]:
    """``UIDL`` multi-line answer -> {message number: unique id}; malformed lines raise ProtocolError."""
    out: dict[int, str] = {}
    for line in lines:
        parts = line.split()
        if len(parts) != 2 or not parts[0].isdigit():
            raise ProtocolError(f"Malformed UIDL line: {line[:80]!r}", reply=line[:200].decode("latin-1"))
        uid = parts[1].decode("latin-1")
        if not uid or any(not (0x21 <= ord(c) <= 0x7E) for c in uid):
            raise ProtocolError(f"Malformed UIDL line: {line[:80]!r}", reply=line[:200].decode("latin-1"))
        out[int(parts[0])] = uid
    return out


def parse_list_lines(lines: Iterable[bytes]) -> dict[int, int]:
    """``LIST`` multi-line answer -> {message number: size in octets}."""
    out: dict[int, int] = {}
    for line in lines:
        parts = line.split()
        if len(parts) < 2 or not parts[0].isdigit() or not parts[1].isdigit():
            raise ProtocolError(f"Malformed LIST line: {line[:80]!r}", reply=line[:200].decode("latin-1"))
        out[int(parts[0])] = int(parts[1])
    return out


def parse_stat(resp: bytes) -> tuple[int, int]:
    """``+OK count size`` -> (count, size)."""
    parts = resp.split()
    if len(parts) < 3 or parts[0] != b"+OK" or not parts[1].isdigit() or not parts[2].isdigit():
        raise ProtocolError(f"Malformed STAT reply: {resp[:80]!r}", reply=resp[:200].decode("latin-1"))
    return int(parts[1]), int(parts[2])


def parse_capa(lines: Iterable[bytes]) -> dict[str, list[str]]:
    """``CAPA`` lines -> {CAPABILITY (upper case): [arguments]}."""
    caps: dict[str, list[str]] = {}
    for line in lines:
        words = line.decode("latin-1").split()
        if words:
            caps[words[0].upper()] = words[1:]
    return caps


_APOP_RE = re.compile(rb"<[^<>\s]+@[^<>\s]+>")


def apop_timestamp(greeting: bytes) -> bytes | None:
    """The ``<...@...>`` banner timestamp that means APOP is offered (RFC 1939 §7)."""
    m = _APOP_RE.search(greeting)
    return m.group(0) if m else None


def join_lines(lines: Sequence[bytes]) -> bytes:
    """poplib's dot-unstuffed lines back into a message with CRLF line ends."""
    if not lines:
        return b""
    return b"\r\n".join(lines) + b"\r\n"


# ------------------------------------------------------------------ session


class _Wire(poplib.POP3):
    """poplib with our socket factory, TLS context, line and answer limits, and the protocol log."""

    def __init__(
        self,
        host: str,
        port: int,
        timeout: float,
        connect: SocketFactory | None,
        implicit_tls: ssl.SSLContext | None,
        log: ProtoLog,
        session: str,
        max_line: int = MAX_LINE,
    ) -> None:
        self._connect = connect
        self._implicit = implicit_tls
        self._log = log
        self._session = session
        self._max_line = max_line
        self._command = "the greeting"
        super().__init__(host, port, timeout)

    def _create_socket(self, timeout: float | None) -> socket.socket:
        t = 30.0 if timeout is None else float(timeout)
        if self._connect is not None:
            sock = self._connect((self.host, self.port), t)
        else:
            sock = socket.create_connection((self.host, self.port), t)
        if self._implicit is not None:
            try:
                return self._implicit.wrap_socket(sock, server_hostname=self.host)
            except BaseException:
                sock.close()
                raise
        return sock

    def _putcmd(self, line: str) -> None:
        data = line.encode(self.encoding)
        self._command = line.split(" ", 1)[0].upper()
        if self._log.enabled:
            self._log.sent(self._session, data + b"\r\n")
        self.sock.sendall(data + b"\r\n")

    def _too_long(self, what: str, limit: int) -> ProtocolError:
        return ProtocolError(
            f"{self.host} sent {what} longer than Quay's limit of {_size_text(limit)} "
            f"in answer to {self._command}; the connection was closed.",
            reply=f"{what} over {limit} bytes",
        )

    def _getline(self) -> tuple[bytes, int]:
        line = self.file.readline(self._max_line + 1)
        if len(line) > self._max_line:
            raise self._too_long("a line", self._max_line)
        if not line:
            raise poplib.error_proto("-ERR EOF")
        octets = len(line)
        if line[-2:] == b"\r\n":
            return line[:-2], octets
        if line[:1] == b"\r":
            return line[1:-1], octets
        return line[:-1], octets

    def _getresp(self) -> bytes:
        resp, _ = self._getline()
        if self._log.enabled:
            self._log.received(self._session, resp + b"\r\n")
        if not resp.startswith(b"+"):
            raise poplib.error_proto(resp)
        return resp

    def short(self, line: str) -> bytes:
        """A command with a one-line answer."""
        self._putcmd(line)
        return self._getresp()

    def long(self, line: str, max_bytes: int) -> list[bytes]:
        """A command with a multi-line answer: its lines, dot-unstuffed, without the final ``.``.

        The answer may be at most ``max_bytes`` long (counted as sent): a server that goes on
        forever gets a :class:`ProtocolError` instead of our memory.
        """
        self._putcmd(line)
        self._getresp()
        out: list[bytes] = []
        total = 0
        while True:
            ln, octets = self._getline()
            if ln == b".":
                return out
            total += octets
            if total > max_bytes:
                raise self._too_long("an answer", max_bytes)
            out.append(ln[1:] if ln.startswith(b"..") else ln)


@dataclass
class Pop3Config:
    """Where and how to connect.

    ``security`` is a :class:`Security` (or its word; ``"plain"`` from older records means
    ``none``): ``STARTTLS`` (STLS on 110), ``TLS`` (995) or ``NONE``, which sends the password in
    clear and so needs ``allow_plaintext`` (``allow_plaintext_auth`` is its older name). The
    ``max_*`` limits bound what a server can make us hold in memory.
    """

    host: str
    port: int
    username: str
    security: Security | str = Security.TLS
    allow_plaintext_auth: bool = False
    pin: str | None = None
    cafile: str | None = None
    timeout: float = 60.0
    auth: str = "auto"  # auto | user | plain | apop
    allow_plaintext: bool = False
    max_line: int = MAX_LINE
    max_listing: int = MAX_LISTING
    max_message: int = MAX_MESSAGE

    def __post_init__(self) -> None:
        self.security = Security.parse(self.security)
        if self.security is Security.SSH:
            raise UnknownSecurity("POP3 cannot use SSH; choose none, starttls or tls.", value=str(self.security))
        self.allow_plaintext = self.allow_plaintext_auth = self.allow_plaintext or self.allow_plaintext_auth

    @property
    def mode(self) -> Security:
        """``security`` as the enum (``__post_init__`` normalised it)."""
        return Security.parse(self.security)

    def tls_policy(self) -> TlsPolicy:
        return TlsPolicy.for_server(self.host, self.port, pin=self.pin, cafile=self.cafile)


@dataclass(frozen=True)
class Preview:
    """What TOP shows before downloading: enough to let the user skip a big message."""

    number: int
    uidl: str
    size: int
    from_addr: str
    subject: str
    date: str


class Pop3Session:
    """One logged-in POP3 connection. Not thread-safe: use it from one worker.

    Every server or network failure becomes a Quay error (AuthError,
    ServerError, NetworkError, TlsError, StartTlsUnavailable).
    """

    def __init__(self, wire: _Wire, config: Pop3Config) -> None:
        self._wire = wire
        self.config = config
        self.capabilities: dict[str, list[str]] = {}

    @classmethod
    def connect(
        cls,
        config: Pop3Config,
        password: str,
        *,
        protolog: ProtoLog = NULL_LOG,
        connect: SocketFactory | None = None,
    ) -> Pop3Session:
        """Connect, secure (STLS or implicit TLS, verified or pinned) and log in."""
        protolog.add_secret(password)
        policy = config.tls_policy()
        session_name = f"pop3:{config.host}:{config.port}"
        implicit = config.mode is Security.TLS
        ctx = policy.context() if config.mode.encrypted else None
        try:
            wire = _Wire(
                config.host,
                config.port,
                config.timeout,
                connect,
                ctx if implicit else None,
                protolog,
                session_name,
                config.max_line,
            )
        except ssl.SSLError as e:
            raise explain_verification_failure(e, config.host, config.port, None, connect=connect) from e
        except poplib.error_proto as e:
            raise ServerError(f"{config.host} refused the connection: {_text(e)}", reply=_text(e)) from e
        except OSError as e:
            raise NetworkError(f"Could not connect to {config.host}:{config.port}: {_reason(e)}") from e
        session = cls(wire, config)
        try:
            if implicit:
                policy.check(wire.sock)  # type: ignore[arg-type]
            session.capabilities = session._capa()
            if config.mode is Security.STARTTLS:
                session._starttls(ctx, policy, connect)
                session.capabilities = session._capa()
            session._login(password)
        except BaseException:
            session.abort()
            raise
        return session

    # ------------------------------------------------------------ set-up

    def _call(self, what: str, fn: Callable[[], _T]) -> _T:
        try:
            return fn()
        except poplib.error_proto as e:
            text = _text(e)
            if text == "-ERR EOF":
                raise NetworkError(f"{self.config.host} closed the connection during {what}.") from e
            raise ServerError(f"{self.config.host} refused {what}: {text}", reply=text) from e
        except ssl.SSLError as e:
            raise TlsError(f"TLS failure with {self.config.host} during {what}: {e}") from e
        except OSError as e:
            raise NetworkError(f"Connection to {self.config.host} failed during {what}: {_reason(e)}") from e

    def _capa(self) -> dict[str, list[str]]:
        try:
            lines = self._wire.long("CAPA", self.config.max_listing)
        except poplib.error_proto as e:
            if _text(e) == "-ERR EOF":
                raise NetworkError(f"{self.config.host} closed the connection.") from e
            return {}  # CAPA is optional (RFC 2449)
        except OSError as e:
            raise NetworkError(f"Connection to {self.config.host} failed: {_reason(e)}") from e
        return parse_capa(lines)

    def _starttls(self, ctx: ssl.SSLContext | None, policy: TlsPolicy, connect: SocketFactory | None) -> None:
        cfg = self.config
        if "STLS" not in self.capabilities or ctx is None:
            raise StartTlsUnavailable(
                f"{cfg.host}:{cfg.port} does not offer STLS, but this account requires it. "
                "Someone may be stripping encryption; the password was not sent."
            )
        try:
            self._wire.short("STLS")
        except poplib.error_proto as e:
            raise StartTlsUnavailable(f"{cfg.host}:{cfg.port} refused STLS: {_text(e)}") from e
        except OSError as e:
            raise NetworkError(f"Connection to {cfg.host} failed during STLS: {_reason(e)}") from e
        try:
            self._wire.sock = ctx.wrap_socket(self._wire.sock, server_hostname=cfg.host)
        except ssl.SSLError as e:
            raise explain_verification_failure(e, cfg.host, cfg.port, "pop3", connect=connect) from e
        except OSError as e:
            raise NetworkError(f"TLS handshake with {cfg.host} failed: {_reason(e)}") from e
        self._wire.file = self._wire.sock.makefile("rb")
        policy.check(self._wire.sock)  # type: ignore[arg-type]

    @property
    def encrypted(self) -> bool:
        return isinstance(self._wire.sock, ssl.SSLSocket)

    def _login(self, password: str) -> None:
        cfg = self.config
        if not self.encrypted and not cfg.allow_plaintext:
            raise PlaintextAuthRefused(
                f"{cfg.host}:{cfg.port} is not encrypted; refusing to send the password in the clear. "
                "Use STLS or TLS, or explicitly allow plaintext for this account."
            )
        method = cfg.auth
        stamp = apop_timestamp(self._wire.welcome)
        sasl = [m.upper() for m in self.capabilities.get("SASL", [])]
        if method == "auto":
            if not self.encrypted and stamp is not None:
                method = "apop"  # the password itself never crosses the wire
            elif "PLAIN" in sasl:
                method = "plain"
            else:
                method = "user"
        try:
            if method == "apop":
                if stamp is None:
                    raise AuthError(f"{cfg.host} does not offer APOP.")
                digest = hashlib.md5(stamp + password.encode("utf-8"), usedforsecurity=False).hexdigest()
                self._wire.short(f"APOP {cfg.username} {digest}")
            elif method == "plain":
                token = base64.b64encode(b"\0" + cfg.username.encode() + b"\0" + password.encode()).decode()
                self._wire._log.add_secret(token)
                self._wire.short(f"AUTH PLAIN {token}")
            else:
                self._wire.short(f"USER {cfg.username}")
                self._wire.short(f"PASS {password}")
        except poplib.error_proto as e:
            text = _text(e)
            if text == "-ERR EOF":
                raise NetworkError(f"{cfg.host} closed the connection during login.") from e
            raise AuthError(f"{cfg.host} refused the user name or password for {cfg.username}: {text}") from e
        except OSError as e:
            raise NetworkError(f"Connection to {cfg.host} failed during login: {_reason(e)}") from e

    # ---------------------------------------------------------- commands

    def stat(self) -> tuple[int, int]:
        return parse_stat(self._call("STAT", lambda: self._wire.short("STAT")))

    def list(self) -> dict[int, int]:
        lines = self._call("LIST", lambda: self._wire.long("LIST", self.config.max_listing))
        return parse_list_lines(lines)

    def uidl(self) -> dict[int, str]:
        lines = self._call("UIDL", lambda: self._wire.long("UIDL", self.config.max_listing))
        return parse_uidl_lines(lines)

    def top(self, number: int, lines: int = 0) -> bytes:
        """Headers (and the first ``lines`` body lines) of message ``number``."""
        data = self._call("TOP", lambda: self._wire.long(f"TOP {number} {lines}", self.config.max_message))
        return join_lines(data)

    def retr(self, number: int) -> bytes:
        data = self._call("RETR", lambda: self._wire.long(f"RETR {number}", self.config.max_message))
        return join_lines(data)

    def dele(self, number: int) -> None:
        """Mark for deletion; the server deletes only at a successful QUIT."""
        self._call("DELE", lambda: self._wire.short(f"DELE {number}"))

    def rset(self) -> None:
        self._call("RSET", lambda: self._wire.short("RSET"))

    def noop(self) -> None:
        self._call("NOOP", lambda: self._wire.short("NOOP"))

    def quit(self) -> None:
        """End the session; this is when the server carries out DELE."""
        try:
            self._call("QUIT", lambda: self._wire.short("QUIT"))
        finally:
            self.abort()

    def abort(self) -> None:
        """Close without QUIT: the server deletes nothing."""
        try:
            self._wire.close()
        except OSError:
            pass

    def preview(self, number: int, uidl: str, size: int) -> Preview:
        head = self.top(number, 0)
        msg = BytesHeaderParser(policy=_default_policy).parsebytes(head)

        def h(name: str) -> str:
            try:
                return str(msg.get(name, "") or "")
            except Exception:
                return ""

        return Preview(number, uidl, size, h("From"), h("Subject"), h("Date"))


def _text(e: BaseException) -> str:
    arg = e.args[0] if e.args else ""
    return arg.decode("utf-8", "replace") if isinstance(arg, bytes) else str(arg)


def _reason(e: OSError) -> str:
    return e.strerror or str(e) or type(e).__name__


def _size_text(n: int) -> str:
    return f"{n // MIB} MiB" if n >= MIB and n % MIB == 0 else f"{n} bytes"


# --------------------------------------------------- the local side of an account


class Pop3Inbox:
    """One POP3 account's local side in the mail cache: the folder new mail goes to, and its UIDLs.

    The account is the folder's account (:meth:`Store.ensure_account` / ``create_local_folder``).
    ``clock`` stamps downloads (keep mode's "delete after N days" counts from it).
    """

    def __init__(self, store: Store, folder_id: int, *, clock: Callable[[], float] = time.time) -> None:
        folder = store.folder(folder_id)
        if folder is None:
            raise Bug(f"no folder {folder_id} in the mail cache")
        self.store = store
        self.folder_id = folder_id
        self.account_id = folder.account_id
        self._clock = clock

    def seen(self) -> dict[str, Pop3Seen]:
        """UIDLs already downloaded for this account (whichever folder they went to)."""
        return self.store.pop3_seen(self.account_id)

    def store_message(self, uidl: str, raw: bytes, size: int = 0) -> int:
        """Store ``raw`` in the folder and record ``uidl`` as downloaded: one transaction; returns the id."""
        with self.store.transaction():
            mid = self.store.add_local_message(self.folder_id, raw)
            self.store.mark_pop3_uidl(self.account_id, uidl, mid, size=size or len(raw), at=self._clock())
        return mid

    def prune(self, on_server: Iterable[str]) -> int:
        """Forget UIDLs the server no longer has (they cannot come back: UIDLs are never reused)."""
        return self.store.forget_pop3_uidls(self.account_id, on_server)

    def mark_deleted_here(self, message_id: int) -> None:
        """The user deleted the local copy (deleting the message row records this by itself)."""
        self.store.mark_pop3_deleted_here(self.account_id, message_id)

    def flush_to_disk(self) -> None:
        """Every download so far survives a power loss (see :meth:`Store.flush_to_disk`)."""
        self.store.flush_to_disk()


# ------------------------------------------------------------ the download


@dataclass
class Pop3Options:
    """Delete mode (``keep=False``) or keep mode with optional clean-up rules."""

    keep: bool = False
    delete_after_days: float | None = None  # keep mode: delete on the server this long after download
    delete_when_deleted_here: bool = False  # keep mode: delete on the server once deleted locally
    max_size: int | None = None  # larger messages are previewed and left unless ``choose`` says otherwise
    choose: Callable[[Preview], bool] | None = None  # asked for every new message when set


@dataclass
class Pop3Report:
    """What one run did."""

    downloaded: list[str] = field(default_factory=list)  # UIDLs newly stored
    skipped: list[Preview] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)  # UIDLs marked DELE and committed by QUIT
    on_server: int = 0


@overload
def download(
    session: Pop3Session,
    inbox: Pop3Inbox,
    options: Pop3Options | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    now: float | None = None,
) -> Pop3Report: ...


@overload
def download(
    session: Pop3Session,
    inbox: Pop3State,
    account: str,
    sink: StoreFolderSink,
    options: Pop3Options | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    now: float | None = None,
) -> Pop3Report: ...


def download(
    session: Pop3Session,
    inbox: Pop3Inbox | Pop3State,
    *args: Any,
    account: str | None = None,
    sink: StoreFolderSink | None = None,
    options: Pop3Options | None = None,
    progress: Callable[[int, int], None] | None = None,
    now: float | None = None,
) -> Pop3Report:
    """Download new messages into ``inbox`` and apply the deletion rules; ends with QUIT.

    On any error the session is aborted without QUIT, so nothing is deleted on the server.
    ``download(session, state, account, sink, options)`` is the older form (see :class:`Pop3State`).
    """
    if isinstance(inbox, Pop3State):
        legacy = dict(zip(("account", "sink", "options"), args, strict=False))
        sink = legacy.get("sink", sink)
        options = legacy.get("options", options)
        if not isinstance(sink, StoreFolderSink):
            raise Bug("download(session, Pop3State, account, sink) needs a StoreFolderSink")
        return _download(session, inbox.inbox_for(sink), options, progress, now)
    return _download(session, inbox, args[0] if args else options, progress, now)


def _download(
    session: Pop3Session,
    inbox: Pop3Inbox,
    options: Pop3Options | None,
    progress: Callable[[int, int], None] | None,
    now: float | None,
) -> Pop3Report:
    opts = options or Pop3Options()
    report = Pop3Report()
    t = time.time() if now is None else now
    try:
        uidls = session.uidl()
        sizes = session.list()
        report.on_server = len(uidls)
        inbox.prune(uidls.values())
        seen = inbox.seen()
        numbers = sorted(uidls)
        todo = sum(1 for n in numbers if uidls[n] not in seen)
        done = 0
        to_delete: list[int] = []
        for n in numbers:
            uid = uidls[n]
            info = seen.get(uid)
            if info is not None:
                if _should_delete(opts, info, t):
                    to_delete.append(n)
                continue
            size = sizes.get(n, 0)
            if opts.choose is not None or (opts.max_size is not None and size > opts.max_size):
                pv = session.preview(n, uid, size)
                wanted = opts.choose(pv) if opts.choose is not None else False
                if not wanted:
                    report.skipped.append(pv)
                    continue
            inbox.store_message(uid, session.retr(n), size)
            report.downloaded.append(uid)
            if not opts.keep:
                to_delete.append(n)
            done += 1
            if progress is not None:
                progress(done, todo)
        if to_delete:
            inbox.flush_to_disk()  # the local copies must outlive a power loss before the server forgets them
        for n in to_delete:
            session.dele(n)
        session.quit()
    except BaseException:
        session.abort()
        raise
    report.deleted = [uidls[n] for n in to_delete]
    inbox.prune(set(uidls.values()) - set(report.deleted))
    return report


def _should_delete(opts: Pop3Options, seen: Pop3Seen, now: float) -> bool:
    if not opts.keep:
        return True
    if opts.delete_when_deleted_here and seen.deleted_here:
        return True
    return opts.delete_after_days is not None and now - seen.downloaded >= opts.delete_after_days * 86400


# ------------------------------------------------- the older two-file interface


@dataclass(frozen=True)
class StoreFolderSink:
    """The older way to name the folder downloads go to; :class:`Pop3Inbox` replaces it."""

    store: Store
    folder_id: int


class Pop3State:
    """The older per-account state file, now only a name: its rows live in the mail cache.

    ``Pop3State(path)`` keeps working for callers of ``download(session, state, account, sink,
    options)``: the file at ``path`` (if an older Quay left one) is imported into the cache once
    and renamed ``*.migrated``. New code passes a :class:`Pop3Inbox` instead.
    """

    def __init__(self, path: Path | str, *, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self._clock = clock

    def inbox_for(self, sink: StoreFolderSink) -> Pop3Inbox:
        if str(self.path) != ":memory:":
            sink.store.import_legacy_pop3(self.path)
        return Pop3Inbox(sink.store, sink.folder_id, clock=self._clock)

    def close(self) -> None:
        """Nothing to close: the state is in the mail cache."""
