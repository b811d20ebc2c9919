"""POP3: session (stdlib poplib underneath), UIDL state, and the download job.

Safety rules the download job keeps:

* A message is deleted on the server (DELE) only after the local store has
  committed it, and DELE only takes effect at QUIT (RFC 1939 §6): a connection
  dropped mid-session leaves the server untouched.
* UIDL state is kept per account (``pop3.sqlite3``) so a message is never
  downloaded twice. Before storing, a UIDL is marked *pending*; if we crash
  between storing and marking it *stored*, the next run fetches it again and
  asks the sink whether it already holds those exact bytes.
* State commits survive a crash of Quay at any step; before the first DELE
  of a run, the local store and the state are flushed to disk (fsync), so a
  power loss cannot lose a message the server has already forgotten.
* Keep mode leaves messages on the server, optionally deleting them N days
  after download or once deleted here (:meth:`Pop3State.mark_deleted_here`).
"""

from __future__ import annotations

import base64
import hashlib
import os
import poplib
import re
import socket
import sqlite3
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import default as _default_policy
from pathlib import Path
from typing import Protocol, TypeVar

from app.core.errors import (
    AuthError,
    LocalIOError,
    NetworkError,
    ProtocolError,
    QuayError,
    ServerError,
    StartTlsUnavailable,
    TlsError,
)
from app.core.protolog import NULL_LOG, ProtoLog
from app.core.tls import TlsPolicy, explain_verification_failure

_T = TypeVar("_T")
SocketFactory = Callable[[tuple[str, int], float], socket.socket]

_MAX_LINE = 1024 * 1024  # poplib's 2048 is too small for real mail (long HTML lines)


class PlaintextAuthRefused(QuayError, ConnectionError):
    """Credentials would travel unencrypted and the user did not allow that."""


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
    """poplib with our socket factory, TLS context, longer lines and the protocol log."""

    def __init__(
        self,
        host: str,
        port: int,
        timeout: float,
        connect: SocketFactory | None,
        implicit_tls: ssl.SSLContext | None,
        log: ProtoLog,
        session: str,
    ) -> None:
        self._connect = connect
        self._implicit = implicit_tls
        self._log = log
        self._session = session
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
        if self._log.enabled:
            self._log.sent(self._session, data + b"\r\n")
        self.sock.sendall(data + b"\r\n")

    def _getline(self) -> tuple[bytes, int]:
        line = self.file.readline(_MAX_LINE + 1)
        if len(line) > _MAX_LINE:
            raise poplib.error_proto("line too long")
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

    def long(self, line: str) -> list[bytes]:
        """A command with a multi-line answer: its lines, dot-unstuffed, without the final ``.``."""
        self._putcmd(line)
        self._getresp()
        out: list[bytes] = []
        while True:
            ln, _ = self._getline()
            if ln == b".":
                return out
            out.append(ln[1:] if ln.startswith(b"..") else ln)


@dataclass
class Pop3Config:
    """Where and how to connect; ``security`` is ``"starttls"`` (STLS), ``"tls"`` (995) or ``"plain"``."""

    host: str
    port: int
    username: str
    security: str = "tls"
    allow_plaintext_auth: bool = False
    pin: str | None = None
    cafile: str | None = None
    timeout: float = 60.0
    auth: str = "auto"  # auto | user | plain | apop

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
        implicit = config.security == "tls"
        ctx = policy.context() if config.security != "plain" else None
        try:
            wire = _Wire(
                config.host,
                config.port,
                config.timeout,
                connect,
                ctx if implicit else None,
                protolog,
                session_name,
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
            if config.security == "starttls":
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
            if text == "-ERR EOF" or text == "line too long":
                raise NetworkError(f"{self.config.host} closed the connection during {what}.") from e
            raise ServerError(f"{self.config.host} refused {what}: {text}", reply=text) from e
        except ssl.SSLError as e:
            raise TlsError(f"TLS failure with {self.config.host} during {what}: {e}") from e
        except OSError as e:
            raise NetworkError(f"Connection to {self.config.host} failed during {what}: {_reason(e)}") from e

    def _capa(self) -> dict[str, list[str]]:
        try:
            lines = self._wire.long("CAPA")
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
        if not self.encrypted and not cfg.allow_plaintext_auth:
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
        lines = self._call("LIST", lambda: self._wire.long("LIST"))
        return parse_list_lines(lines)

    def uidl(self) -> dict[int, str]:
        lines = self._call("UIDL", lambda: self._wire.long("UIDL"))
        return parse_uidl_lines(lines)

    def top(self, number: int, lines: int = 0) -> bytes:
        """Headers (and the first ``lines`` body lines) of message ``number``."""
        data = self._call("TOP", lambda: self._wire.long(f"TOP {number} {lines}"))
        return join_lines(data)

    def retr(self, number: int) -> bytes:
        data = self._call("RETR", lambda: self._wire.long(f"RETR {number}"))
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


# -------------------------------------------------------------- UIDL state


class MessageSink(Protocol):
    """Where downloaded messages go.

    ``store`` returns once the message is committed (it survives our process dying); ``sync`` makes
    every commit so far survive a power loss too, and runs before anything is deleted on the server.
    """

    def store(self, raw: bytes) -> str: ...

    def find(self, raw: bytes) -> str | None:
        """The reference of an already stored message with exactly these bytes, if any."""
        ...

    def sync(self) -> None: ...


PENDING = "pending"
STORED = "stored"


class Pop3State:
    """Per-account UIDL bookkeeping in its own SQLite file (WAL, migrations by ``user_version``)."""

    SCHEMA_VERSION = 1

    def __init__(self, path: Path | str, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        try:
            if str(path) != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL: each commit survives a crash of Quay; :meth:`sync` adds power-loss safety once per run.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=10000")
            version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
            if version > self.SCHEMA_VERSION:
                raise LocalIOError(f"{path} was written by a newer Quay (schema {version}).")
            if version < 1:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute(
                    "CREATE TABLE uidl (account TEXT NOT NULL, uidl TEXT NOT NULL, state TEXT NOT NULL,"
                    " local_ref TEXT NOT NULL DEFAULT '', size INTEGER NOT NULL DEFAULT 0,"
                    " downloaded REAL NOT NULL, deleted_here INTEGER NOT NULL DEFAULT 0,"
                    " PRIMARY KEY (account, uidl))"
                )
                self._db.execute("PRAGMA user_version=1")
                self._db.execute("COMMIT")
        except sqlite3.Error as e:
            raise LocalIOError(f"Cannot open the POP3 state {path}: {e}") from e

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def sync(self) -> None:
        """Make every commit so far durable (a full checkpoint syncs the WAL and the database file)."""
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(FULL)")

    def known(self, account: str) -> dict[str, tuple[str, float, bool, str]]:
        """{uidl: (state, downloaded_at, deleted_here, local_ref)}."""
        with self._lock:
            rows = self._db.execute(
                "SELECT uidl, state, downloaded, deleted_here, local_ref FROM uidl WHERE account=?", (account,)
            ).fetchall()
        return {str(r[0]): (str(r[1]), float(r[2]), bool(r[3]), str(r[4])) for r in rows}

    def mark_pending(self, account: str, uidl: str, size: int) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO uidl(account, uidl, state, size, downloaded) VALUES (?,?,?,?,?)",
                (account, uidl, PENDING, size, self._clock()),
            )

    def mark_stored(self, account: str, uidl: str, local_ref: str) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE uidl SET state=?, local_ref=?, downloaded=? WHERE account=? AND uidl=?",
                (STORED, local_ref, self._clock(), account, uidl),
            )

    def mark_deleted_here(self, account: str, local_ref: str) -> None:
        """The user deleted the local copy: keep mode may now delete it on the server too."""
        with self._lock:
            self._db.execute("UPDATE uidl SET deleted_here=1 WHERE account=? AND local_ref=?", (account, local_ref))

    def prune(self, account: str, on_server: Iterable[str]) -> int:
        """Forget UIDLs the server no longer has (they cannot come back: UIDLs are never reused)."""
        keep = set(on_server)
        with self._lock:
            known = [r[0] for r in self._db.execute("SELECT uidl FROM uidl WHERE account=?", (account,))]
            gone = [(account, u) for u in known if u not in keep]
            if gone:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("DELETE FROM uidl WHERE account=? AND uidl=?", gone)
                self._db.execute("COMMIT")
        return len(gone)


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
    already_had: list[str] = field(default_factory=list)  # pending UIDLs found already stored
    skipped: list[Preview] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)  # UIDLs marked DELE and committed by QUIT
    on_server: int = 0


def download(
    session: Pop3Session,
    state: Pop3State,
    account: str,
    sink: MessageSink,
    options: Pop3Options | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    now: float | None = None,
) -> Pop3Report:
    """Download new messages into ``sink`` and apply the deletion rules; ends with QUIT.

    On any error the session is aborted without QUIT, so nothing is deleted on the server.
    """
    opts = options or Pop3Options()
    report = Pop3Report()
    t = time.time() if now is None else now
    try:
        uidls = session.uidl()
        sizes = session.list()
        report.on_server = len(uidls)
        state.prune(account, uidls.values())
        known = state.known(account)
        numbers = sorted(uidls)
        todo = [n for n in numbers if known.get(uidls[n], ("",))[0] != STORED]
        done = 0
        to_delete: list[int] = []
        for n in numbers:
            uid = uidls[n]
            info = known.get(uid)
            if info is not None and info[0] == STORED:
                if _should_delete(opts, info[1], info[2], t):
                    to_delete.append(n)
                continue
            size = sizes.get(n, 0)
            if info is None and (opts.choose is not None or (opts.max_size is not None and size > opts.max_size)):
                pv = session.preview(n, uid, size)
                wanted = opts.choose(pv) if opts.choose is not None else False
                if not wanted:
                    report.skipped.append(pv)
                    continue
            raw = session.retr(n)
            existing = sink.find(raw) if info is not None and info[0] == PENDING else None
            if existing is not None:
                report.already_had.append(uid)
                state.mark_stored(account, uid, existing)
            else:
                state.mark_pending(account, uid, size)
                ref = sink.store(raw)
                state.mark_stored(account, uid, ref)
                report.downloaded.append(uid)
            if not opts.keep:
                to_delete.append(n)
            done += 1
            if progress is not None:
                progress(done, len(todo))
        if to_delete:
            sink.sync()  # the local copies must outlive a power loss before the server forgets them
        state.sync()
        for n in to_delete:
            session.dele(n)
        session.quit()
    except BaseException:
        session.abort()
        raise
    report.deleted = [uidls[n] for n in to_delete]
    state.prune(account, set(uidls.values()) - set(report.deleted))
    return report


def _should_delete(opts: Pop3Options, downloaded: float, deleted_here: bool, now: float) -> bool:
    if not opts.keep:
        return True
    if opts.delete_when_deleted_here and deleted_here:
        return True
    return opts.delete_after_days is not None and now - downloaded >= opts.delete_after_days * 86400


# ------------------------------------------------------ the store adapter


class StoreFolderSink:
    """Adapter: a local folder of :class:`app.core.mail.store.Store` as a :class:`MessageSink`."""

    def __init__(self, store: object, folder_id: int) -> None:
        from app.core.mail.store import Store

        if not isinstance(store, Store):
            raise TypeError("StoreFolderSink needs a Store")
        self._store = store
        self._folder_id = folder_id

    def store(self, raw: bytes) -> str:
        return str(self._store.add_local_message(self._folder_id, raw))

    def find(self, raw: bytes) -> str | None:
        rows = self._store.conn.execute(
            "SELECT m.id FROM messages m WHERE m.folder_id=? AND m.size=?", (self._folder_id, len(raw))
        ).fetchall()
        for r in rows:
            if self._store.raw_message(int(r[0])) == raw:
                return str(r[0])
        return None

    def sync(self) -> None:
        """fsync the cache's WAL and database files: the store commits with ``synchronous=NORMAL``,
        which survives a crash of Quay but not a power loss; fsync on any descriptor flushes the file."""
        path = self._store.path
        if path is None:
            return
        for p in (Path(f"{path}-wal"), Path(path)):
            try:
                fd = os.open(p, os.O_RDONLY)
            except FileNotFoundError:
                continue
            except OSError as e:
                raise LocalIOError(f"Cannot flush {p} to disk: {e.strerror or e}") from e
            try:
                os.fsync(fd)
            except OSError as e:
                raise LocalIOError(f"Cannot flush {p} to disk: {e.strerror or e}") from e
            finally:
                os.close(fd)
