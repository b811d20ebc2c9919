"""FTP, explicit FTPS (AUTH TLS) and implicit FTPS sessions, on top of stdlib :mod:`ftplib`.

What ftplib does not do and this module adds:

* TLS data connections **resume the control connection's TLS session**
  (FileZilla Server, vsftpd ``require_ssl_reuse``, ProFTPD demand it; RFC 4217
  section 10.2).  With TLS 1.3 the ticket arrives after the handshake and is
  read together with the next control reply, which always precedes a data
  connection here.
* Certificates go through :class:`app.core.tls.TlsPolicy` (system trust,
  extra CA, or a pinned fingerprint), and an FTPS site whose server refuses
  ``AUTH TLS`` or ``PROT P`` raises instead of silently continuing in clear.
* A ``PASV`` reply's address is ignored in favour of the control connection's
  peer (a hostile or misconfigured server cannot make us connect elsewhere:
  no FTP bounce, no NAT confusion).  ``EPSV`` is used when offered and always
  on IPv6.
* Replies become the errors of :mod:`app.core.errors` (530 -> AuthError,
  550 -> ServerError, 421 at log-in -> :class:`TooManyConnections`, 452/552 ->
  :class:`RemoteNoSpace`), socket errors -> NetworkError, TLS -> TlsError.
* Transfers copy through one reusable buffer (``recv_into`` / ``readinto``)
  with rate-limited progress, so a 1 GiB file costs a few thousand Python
  loop iterations and no allocation per block.
* Names travel in UTF-8 (``OPTS UTF8 ON`` when FEAT offers it) or a per-site
  encoding; undecodable bytes survive a round trip (``surrogateescape``).
"""

from __future__ import annotations

import contextlib
import ftplib
import io
import logging
import posixpath
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO, Literal

from app.core.errors import (
    AuthError,
    Cancelled,
    LocalIOError,
    NetworkError,
    ProtocolError,
    QuayError,
    ServerError,
    StartTlsUnavailable,
    TlsError,
)
from app.core.protolog import NULL_LOG, ProtoLog
from app.core.tls import PinStore, TlsPolicy, explain_verification_failure
from app.core.transfer.base import (
    Capability,
    NotSupported,
    ProgressCallback,
    RemoteEntry,
    RemoteSession,
    SmallDownload,
    SmallUpload,
)
from app.core.transfer.listing import parse_list, parse_mlsd_line, parse_mlsx_time

log = logging.getLogger(__name__)

Security = Literal["none", "explicit", "implicit"]
#: connect((host, port), timeout) -> a connected socket; tests substitute fault-injecting ones.
Connector = Callable[[tuple[str, int], float], socket.socket]

DEFAULT_BLOCK_SIZE = 4 * 1024 * 1024  # one buffer per session; big blocks keep Python out of the way
FILL_LOW_WATER = 256 * 1024  # gather at least this much per local write (TLS reads return 16 KiB records)
PROGRESS_INTERVAL = 0.1  # seconds between progress callbacks
_FTP_BATCHING = frozenset({Capability.BATCH_DOWNLOAD, Capability.BATCH_UPLOAD})
_FTP_HASHING = _FTP_BATCHING | {Capability.SERVER_HASH}


class TooManyConnections(NetworkError):
    """The server refused another connection (FTP 421 at log-in): use fewer parallel connections."""


class RemoteNoSpace(ServerError):
    """The server has no space left for the upload (FTP 452/552)."""


def _default_connect(address: tuple[str, int], timeout: float) -> socket.socket:
    """Connect to ``address``; a numeric host skips the resolver (one data connection per file adds up)."""
    host = address[0]
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        socket.inet_pton(family, host)
    except OSError:  # a name, or a scoped IPv6 address: let the resolver handle it
        return socket.create_connection(address, timeout=timeout)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(address)
    except BaseException:
        sock.close()
        raise
    return sock


def _kernel_timeout_connect(address: tuple[str, int], timeout: float) -> socket.socket:
    """A blocking socket whose timeouts the kernel enforces (SO_RCVTIMEO/SO_SNDTIMEO, which also bound connect).

    Python's own timeouts poll(2) before every send and receive; for a data
    connection that carries one small file those polls (and the GIL hand-offs
    around them) are a good part of the cost.  A timeout surfaces as an
    ``OSError`` (EAGAIN/EINPROGRESS), which callers treat like any network failure.
    """
    host = address[0]
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        socket.inet_pton(family, host)
    except OSError:
        return _default_connect(address, timeout)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        secs = max(timeout, 0.001)
        tv = struct.pack("ll", int(secs), int((secs % 1) * 1_000_000))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, tv)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, tv)
        sock.connect(address)
    except BaseException:
        sock.close()
        raise
    return sock


def _reply_code(text: str) -> int | None:
    return int(text[:3]) if text[:3].isdigit() else None


def _mlst_size(resp: str) -> int | None:
    """The size fact of an MLST reply (``250-...`` / `` type=file;size=N; name`` / ``250 End``), or None."""
    for line in resp.splitlines()[1:]:
        if line.startswith(" "):
            entry = parse_mlsd_line(line[1:])
            return entry.size if entry is not None else None
    return None


def _write_local(f: BinaryIO, data: memoryview, what: str) -> LocalIOError | None:
    """Write ``data`` to the local file; a failure (disk full...) is returned for that file, not raised."""
    try:
        written = f.write(data)
        if written is not None and written < len(data):
            _write_fully(f.write, data[written:])
    except OSError as e:
        return LocalIOError(f"{what}: writing the local file failed: {e.strerror or e}")
    return None


def _write_fully(write: Callable[[memoryview], int | None], rest: memoryview) -> None:
    while rest:
        written = write(rest)
        if written is None:
            return
        rest = rest[written:]


class RateLimitedProgress:
    """Calls ``progress(total_done)`` at most every :data:`PROGRESS_INTERVAL` seconds, plus once at the end."""

    __slots__ = ("_cb", "_last")

    def __init__(self, cb: ProgressCallback | None) -> None:
        self._cb = cb
        self._last = time.monotonic()

    def tick(self, done: int) -> None:
        if self._cb is not None:
            now = time.monotonic()
            if now - self._last >= PROGRESS_INTERVAL:
                self._last = now
                self._cb(done)

    def finish(self, done: int) -> None:
        if self._cb is not None:
            self._cb(done)


class _Client(ftplib.FTP):
    """ftplib.FTP with our socket, encoding policy and protocol log; TLS is handled by :class:`FtpSession`."""

    def __init__(self, encoding: str, protolog: ProtoLog, label: str, timeout: float) -> None:
        super().__init__(timeout=timeout, encoding=encoding)
        self._protolog = protolog
        self._label = label
        self.last_activity = time.monotonic()

    def attach(self, sock: socket.socket) -> None:
        """Use ``sock`` (plain or TLS) for the control connection from now on."""
        self.sock = sock
        self.af = sock.family
        self.file = sock.makefile("r", encoding=self.encoding, errors="surrogateescape")

    def putline(self, line: str) -> None:
        if "\r" in line or "\n" in line:
            raise ProtocolError(f"refusing to send a command containing a line break: {line!r}")
        data = (line + "\r\n").encode(self.encoding, "surrogateescape")
        self._protolog.sent(self._label, data)
        assert self.sock is not None
        self.last_activity = time.monotonic()
        self.sock.sendall(data)

    def putlines(self, lines: list[str]) -> None:
        """Send several commands in one write (pipelining): one TCP segment, no Nagle/delayed-ACK stall."""
        for line in lines:
            if "\r" in line or "\n" in line:
                raise ProtocolError(f"refusing to send a command containing a line break: {line!r}")
        chunks = [(line + "\r\n").encode(self.encoding, "surrogateescape") for line in lines]
        for chunk in chunks:
            self._protolog.sent(self._label, chunk)
        assert self.sock is not None
        self.last_activity = time.monotonic()
        self.sock.sendall(b"".join(chunks))

    def getline(self) -> str:
        line = super().getline()
        self._protolog.received(self._label, line.encode(self.encoding, "surrogateescape") + b"\r\n")
        return line


class FtpSession(RemoteSession):
    """One FTP/FTPS control connection (plus its data connections), used by one thread at a time.

    ``security``: ``"none"`` (plain FTP), ``"explicit"`` (AUTH TLS on the
    normal port, refused servers raise :class:`StartTlsUnavailable`) or
    ``"implicit"`` (TLS from the first byte, port 990).  ``encoding`` None
    means UTF-8 (with ``OPTS UTF8 ON`` when offered); give e.g. ``"cp1251"``
    for old servers.  ``ascii_extensions`` (e.g. ``(".txt",)``) are
    transferred in TYPE A with line endings converted; everything else in
    TYPE I.  ``use_mlsd=False`` forces LIST.  ``passive=False`` uses PORT/EPRT.
    """

    protocol = "ftp"

    def __init__(
        self,
        host: str,
        port: int | None = None,
        user: str = "anonymous",
        password: str | None = None,
        *,
        security: Security = "none",
        passive: bool = True,
        epsv: bool | None = None,
        encoding: str | None = None,
        ascii_extensions: tuple[str, ...] = (),
        use_mlsd: bool = True,
        timeout: float = 30.0,
        pins: PinStore | None = None,
        pin: str | None = None,
        cafile: str | None = None,
        protolog: ProtoLog | None = None,
        connect: Connector | None = None,
        block_size: int = DEFAULT_BLOCK_SIZE,
    ) -> None:
        self.host = host
        self.port = port if port is not None else (990 if security == "implicit" else 21)
        self.user = user or "anonymous"
        self._password = password if password else ("anonymous@" if self.user.lower() == "anonymous" else "")
        self.security: Security = security
        self.passive = passive
        self.epsv = epsv
        self.encoding = encoding or "utf-8"
        self._encoding_forced = encoding is not None
        self.ascii_extensions = tuple(e.lower() for e in ascii_extensions)
        self.use_mlsd = use_mlsd
        self.timeout = timeout
        self.block_size = max(8192, block_size)
        self._protolog = protolog or NULL_LOG
        if self._password:
            self._protolog.add_secret(self._password)
        self._connect = connect or _default_connect
        self._policy = TlsPolicy.for_server(host, self.port, pins, pin=pin, cafile=cafile)
        self._ctx: ssl.SSLContext | None = None
        self._client: _Client | None = None
        self._type: str | None = None
        self._home = "/"
        self._prot_p = False
        self._buf: bytearray | None = None
        #: FEAT reply: upper-case feature name -> its parameters ("" when none).
        self.features: dict[str, str] = {}
        self.welcome = ""
        #: The address a passive data connection last went to (tests check no bounce happened).
        self.last_data_address: tuple[str, int] | None = None
        self.protocol = "ftps" if security != "none" else "ftp"

    # --- connection -----------------------------------------------------------------

    def __enter__(self) -> FtpSession:
        self.connect()
        return self

    @property
    def label(self) -> str:
        return f"{self.protocol}:{self.user}@{self.host}:{self.port}"

    @property
    def connected(self) -> bool:
        return self._client is not None and self._client.sock is not None

    def _tls_context(self) -> ssl.SSLContext:
        if self._ctx is None:
            self._ctx = self._policy.context()
        return self._ctx

    def _wrap(self, sock: socket.socket, *, session: ssl.SSLSession | None = None) -> ssl.SSLSocket:
        """TLS handshake on ``sock``; certificate problems become TlsError carrying the certificate."""
        try:
            tls = self._tls_context().wrap_socket(sock, server_hostname=self.host, session=session)
        except ssl.SSLCertVerificationError as e:
            sock.close()
            starttls: Literal["ftp"] | None = "ftp" if self.security == "explicit" else None
            raise explain_verification_failure(e, self.host, self.port, starttls, connect=self._connect) from e
        except ssl.SSLError as e:
            sock.close()
            raise TlsError(f"TLS handshake with {self.host}:{self.port} failed: {e.reason or e}") from e
        except OSError as e:
            sock.close()
            raise NetworkError(f"TLS handshake with {self.host}:{self.port} failed: {e}") from e
        if session is None or not tls.session_reused:
            self._policy.check(tls)
        return tls

    def connect(self) -> None:
        """Connect, secure (FTPS), log in, read FEAT, switch to UTF-8 and binary type."""
        if self.connected:
            return
        client = _Client(self.encoding, self._protolog, self.label, self.timeout)
        try:
            if self.security == "none" and self._connect is _default_connect:
                # Plain control connection: kernel-enforced timeouts spare a poll(2) per reply (see
                # _kernel_timeout_connect); a timeout then reads as an end of file, still a NetworkError.
                sock = _kernel_timeout_connect((self.host, self.port), self.timeout)
            else:
                sock = self._connect((self.host, self.port), self.timeout)
        except OSError as e:
            raise NetworkError(f"Could not connect to {self.host}:{self.port}: {e.strerror or e}") from e
        try:
            if self.security == "implicit":
                sock = self._wrap(sock)
            client.attach(sock)
            self._client = client
            with self._guard("connect", login_phase=True):
                self.welcome = client.getresp()
            if self.security == "explicit":
                self._auth_tls()
            self._read_features()
            if "UTF8" in self.features and not self._encoding_forced:
                with self._guard("OPTS UTF8"):
                    try:
                        client.sendcmd("OPTS UTF8 ON")
                    except ftplib.Error:
                        pass  # some servers announce UTF8 but are always in UTF-8 mode
            self._login()
            if self.security != "none":
                self._protect_data()
            if not self.features:
                self._read_features()  # some servers answer FEAT only after log-in
            self._select_mlst_facts()
            with self._guard("TYPE I"):
                self._set_type("I")
            with self._guard("PWD"):
                try:
                    self._home = ftplib.parse257(client.sendcmd("PWD")) or "/"
                except ftplib.Error:
                    self._home = "/"
        except BaseException:
            self._drop()
            raise

    def _auth_tls(self) -> None:
        client = self._require()
        try:
            with self._guard("AUTH TLS"):
                resp = client.sendcmd("AUTH TLS")
        except (ServerError, AuthError) as e:
            raise StartTlsUnavailable(
                f"{self.host}:{self.port} refused AUTH TLS ({e}); not continuing without encryption."
            ) from e
        if not resp.startswith("234"):
            raise StartTlsUnavailable(f"{self.host}:{self.port} answered AUTH TLS with {resp!r}.")
        assert client.sock is not None
        client.attach(self._wrap(client.sock))

    def _protect_data(self) -> None:
        client = self._require()
        try:
            with self._guard("PROT P"):
                client.sendcmd("PBSZ 0")
                client.sendcmd("PROT P")
        except ServerError as e:
            raise StartTlsUnavailable(
                f"{self.host}:{self.port} refused to encrypt data connections ({e}); not sending files in clear."
            ) from e
        self._prot_p = True

    def _login(self) -> None:
        client = self._require()
        with self._guard("log in", login_phase=True):
            try:
                client.login(self.user, self._password)
            except ftplib.error_perm as e:
                if _reply_code(str(e)) in (530, 430, 331, 332):
                    raise AuthError(f"{self.host} refused the log-in for {self.user}: {str(e)[4:]}") from e
                raise

    def _read_features(self) -> None:
        client = self._require()
        try:
            with self._guard("FEAT"):
                resp = client.sendcmd("FEAT")
        except ServerError:
            return
        feats: dict[str, str] = {}
        for line in resp.splitlines()[1:]:
            if not line.startswith(" "):
                continue
            name, _, params = line.strip().partition(" ")
            feats[name.upper()] = params.strip()
        self.features = feats

    def _select_mlst_facts(self) -> None:
        """Ask for the facts we use (RFC 3659 section 7.9): servers default to a subset without unix.mode."""
        offered = [f.rstrip("*").lower() for f in self.features.get("MLST", "").split(";") if f]
        wanted = ["type", "size", "modify", "perm", "unix.mode", "unix.owner", "unix.group", "unix.uid", "unix.gid"]
        chosen = [f for f in wanted if f in offered]
        if "unix.mode" not in chosen:
            return
        try:
            with self._guard("OPTS MLST"):
                self._require().sendcmd("OPTS MLST " + "".join(f"{f};" for f in chosen))
        except ServerError:
            pass

    def close(self) -> None:
        """Say QUIT (briefly) and close; safe to call twice and after errors."""
        client = self._client
        if client is None:
            return
        try:
            if client.sock is not None:
                client.sock.settimeout(min(self.timeout, 3.0))
                client.voidcmd("QUIT")
        except (ftplib.Error, OSError, EOFError, QuayError):
            pass
        self._drop()

    def _drop(self) -> None:
        client, self._client = self._client, None
        self._type = None
        self._prot_p = False
        if client is not None:
            try:
                client.close()
            except OSError:
                pass

    def _require(self) -> _Client:
        if self._client is None or self._client.sock is None:
            raise NetworkError(f"Not connected to {self.host}:{self.port}.")
        return self._client

    # --- errors -----------------------------------------------------------------------

    def _map_reply(self, exc: ftplib.Error, what: str, *, login_phase: bool = False) -> QuayError:
        text = str(exc).strip()
        code = _reply_code(text)
        words = text[4:] if code is not None else text
        if code == 421:
            if login_phase:
                return TooManyConnections(f"{self.host} refused another connection: {words}")
            return NetworkError(f"{self.host} closed the session: {words}")
        if code == 530:
            return AuthError(f"{what}: not logged in ({words})")
        if code in (452, 552):
            return RemoteNoSpace(f"{what}: the server has no space left ({words})", reply=text, code=code)
        if code == 550:
            return ServerError(f"{what}: no such file or permission denied ({words})", reply=text, code=code)
        if isinstance(exc, ftplib.error_proto | ftplib.error_reply) or code is None:
            return ProtocolError(f"{what}: unexpected reply {text!r}", reply=text, code=code)
        return ServerError(f"{what}: {words}", reply=text, code=code)

    @contextmanager
    def _guard(self, what: str, *, login_phase: bool = False) -> Iterator[None]:
        """Translate ftplib, socket and ssl exceptions raised inside into Quay errors."""
        try:
            yield
        except QuayError:
            raise
        except ftplib.Error as e:
            mapped = self._map_reply(e, what, login_phase=login_phase)
            if isinstance(mapped, NetworkError):
                self._drop()
            raise mapped from e
        except ssl.SSLError as e:
            self._drop()
            raise TlsError(f"{what}: TLS error with {self.host}:{self.port}: {e.reason or e}") from e
        except EOFError as e:
            self._drop()
            raise NetworkError(f"{what}: {self.host} closed the connection (or did not answer in time)") from e
        except OSError as e:
            self._drop()
            raise NetworkError(f"{what}: connection to {self.host}:{self.port} failed: {e}") from e

    # --- data connections -----------------------------------------------------------------

    def _set_type(self, kind: str) -> None:
        if self._type != kind:
            self._require().voidcmd(f"TYPE {kind}")
            self._type = kind

    def _use_epsv(self) -> bool:
        client = self._require()
        if client.af == socket.AF_INET6:
            return True
        if self.epsv is not None:
            return self.epsv
        return "EPSV" in self.features

    def _passive_address(self) -> tuple[str, int]:
        """Ask for a passive port; the host is always the control connection's peer (no bounce)."""
        client = self._require()
        assert client.sock is not None
        peer = client.sock.getpeername()[0]
        if self._use_epsv():
            try:
                resp = client.sendcmd("EPSV")
                _, port = ftplib.parse229(resp, client.sock.getpeername())
                return peer, port
            except ftplib.error_perm:
                if client.af == socket.AF_INET6:
                    raise
                self.epsv = False  # offered but refused: PASV from now on
        resp = client.sendcmd("PASV")
        host, port = ftplib.parse227(resp)
        if host != peer:
            log.info("%s: ignoring PASV address %s, connecting to the control peer %s", self.label, host, peer)
        return peer, port

    def _active_listener(self) -> socket.socket:
        """Listen on the control connection's local address (never on every interface) and announce it."""
        client = self._require()
        assert client.sock is not None
        local = client.sock.getsockname()[0]
        listener = socket.create_server((local, 0), family=client.af, backlog=1)
        try:
            port = listener.getsockname()[1]
            if client.af == socket.AF_INET:
                client.sendport(local, port)
            else:
                client.sendeprt(local, port)
            listener.settimeout(self.timeout)
        except BaseException:
            listener.close()
            raise
        return listener

    def _open_data(self, cmd: str, rest: int | None = None) -> socket.socket:
        """Open a data connection for ``cmd`` (after ``REST`` when given) and TLS-wrap it with session reuse."""
        client = self._require()
        conn: socket.socket
        if self.passive:
            address = self._passive_address()
            self.last_data_address = address
            conn = self._connect(address, self.timeout)
            try:
                if rest:
                    client.sendcmd(f"REST {rest}")
                resp = client.sendcmd(cmd)
                if resp[0] == "2":
                    resp = client.getresp()
                if resp[0] != "1":
                    raise ftplib.error_reply(resp)
            except BaseException:
                conn.close()
                raise
        else:
            with self._active_listener() as listener:
                if rest:
                    client.sendcmd(f"REST {rest}")
                resp = client.sendcmd(cmd)
                if resp[0] == "2":
                    resp = client.getresp()
                if resp[0] != "1":
                    raise ftplib.error_reply(resp)
                conn, _ = listener.accept()
                conn.settimeout(self.timeout)
        if self._prot_p:
            ctl = client.sock
            session = ctl.session if isinstance(ctl, ssl.SSLSocket) else None
            conn = self._wrap(conn, session=session)
        return conn

    def _finish_data(self, conn: socket.socket, what: str) -> None:
        """Close the data connection properly and read the transfer's final reply."""
        try:
            if isinstance(conn, ssl.SSLSocket):
                try:
                    conn.unwrap()
                except (OSError, ValueError):
                    pass
        finally:
            conn.close()
        with self._guard(what):
            self._require().voidresp()

    def _abort_data(self, conn: socket.socket) -> None:
        """After a cancel or a local error: drop the data connection and resynchronize the control one."""
        conn.close()
        client = self._client
        if client is None or client.sock is None:
            return
        try:
            client.sock.settimeout(min(self.timeout, 5.0))
            client.getresp()  # 226 when already complete, 426/451 when aborted
            client.sock.settimeout(self.timeout)
        except ftplib.Error:
            if client.sock is not None:
                client.sock.settimeout(self.timeout)
        except (OSError, EOFError, ValueError):
            self._drop()  # state unknown: the caller reconnects

    def _buffer(self) -> memoryview:
        """The session's transfer buffer, allocated once: thousands of small files must not each zero megabytes."""
        if self._buf is None or len(self._buf) != self.block_size:
            self._buf = bytearray(self.block_size)
        return memoryview(self._buf)

    def _is_ascii(self, remote: str) -> bool:
        return bool(self.ascii_extensions) and remote.lower().endswith(self.ascii_extensions)

    def _read_all(self, cmd: str) -> bytes:
        """Run a command whose data connection carries a (listing) text; return its raw bytes."""
        with self._guard(cmd):
            conn = self._open_data(cmd)
        chunks: list[bytes] = []
        with self._guard(cmd):
            try:
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
            except BaseException:
                conn.close()
                raise
        self._finish_data(conn, cmd)
        return b"".join(chunks)

    def _decode_lines(self, data: bytes) -> list[str]:
        out = []
        for raw in data.split(b"\n"):
            if raw.endswith(b"\r"):
                raw = raw[:-1]
            if raw:
                out.append(raw.decode(self.encoding, "surrogateescape"))
        return out

    # --- RemoteSession ------------------------------------------------------------------------

    def home(self) -> str:
        return self._home

    def listdir(self, path: str) -> list[RemoteEntry]:
        """Entries of the folder ``path`` (MLSD when offered, else CWD + LIST), without ``.``/``..``."""
        client = self._require()
        if self.use_mlsd and "MLST" in self.features:
            try:
                data = self._read_all(f"MLSD {path}")
            except ServerError as e:
                if e.code not in (500, 501, 502):
                    raise
                self.use_mlsd = False  # announced but not implemented: LIST from now on
            else:
                out = []
                for line in self._decode_lines(data):
                    entry = parse_mlsd_line(line)
                    if entry is not None:
                        out.append(entry)
                return out
        # CWD + bare LIST: a path argument to LIST is read as options by some servers ("-a", names with spaces).
        with self._guard(f"list {path}"):
            client.cwd(path)
        try:
            data = self._read_all("LIST")
        finally:
            self._restore_cwd()
        return parse_list(self._decode_lines(data))

    def _restore_cwd(self) -> None:
        """Go back to the log-in folder so relative paths keep their meaning after a CWD."""
        client = self._client
        if client is not None and client.sock is not None:
            with self._guard("CWD"):
                try:
                    client.cwd(self._home)
                except ftplib.Error:
                    pass

    def stat(self, path: str) -> RemoteEntry | None:
        """MLST when offered; else SIZE + MDTM for files and CWD for folders. None when it does not exist."""
        client = self._require()
        name = posixpath.basename(path.rstrip("/")) or "/"
        if "MLST" in self.features:
            try:
                with self._guard(f"stat {path}"):
                    resp = client.sendcmd(f"MLST {path}")
            except ServerError as e:
                if e.code in (550, 450, 553, 501):
                    return None
                raise
            for line in resp.splitlines()[1:]:
                if line.startswith(" "):
                    entry = parse_mlsd_line(line[1:])
                    if entry is not None:
                        entry.name = name
                        return entry
                    return RemoteEntry(name=name, kind="dir")  # MLST of a folder may say type=cdir
            return None
        size = self.size(path)
        if size is not None:
            return RemoteEntry(name=name, kind="file", size=size, mtime=self.mtime(path))
        try:
            with self._guard(f"stat {path}"):
                client.cwd(path)
        except ServerError:
            return None
        self._restore_cwd()
        return RemoteEntry(name=name, kind="dir")

    def size(self, path: str) -> int | None:
        """SIZE in bytes (binary type), or None when the server does not know it."""
        client = self._require()
        try:
            with self._guard(f"size {path}"):
                self._set_type("I")
                resp = client.sendcmd(f"SIZE {path}")
        except ServerError:
            return None
        try:
            return int(resp[3:].strip())
        except ValueError:
            return None

    def mtime(self, path: str) -> float | None:
        """MDTM as epoch seconds (UTC), or None."""
        client = self._require()
        try:
            with self._guard(f"mtime {path}"):
                resp = client.sendcmd(f"MDTM {path}")
        except ServerError:
            return None
        return parse_mlsx_time(resp[3:].strip())

    def download(
        self,
        remote: str,
        local: BinaryIO,
        *,
        offset: int = 0,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> int:
        """RETR ``remote`` from ``offset`` (REST) into ``local``; calls ``progress(bytes_so_far)``; returns bytes."""
        what = f"download {remote}"
        ascii_mode = self._is_ascii(remote)
        with self._guard(what):
            self._set_type("A" if ascii_mode else "I")
            conn = self._open_data(f"RETR {remote}", offset or None)
        ticker = RateLimitedProgress(progress)
        view = self._buffer()
        # TLS hands out at most one 16 KiB record per read: gather a good amount before each local write.
        low_water = min(len(view), FILL_LOW_WATER)
        done = 0
        pending_cr = False
        recv_into = conn.recv_into
        write = local.write
        eof = False
        try:
            while not eof:
                if cancel is not None and cancel.is_set():
                    raise Cancelled(f"{what}: cancelled")
                n = 0
                fill_until = time.monotonic() + PROGRESS_INTERVAL  # slow links still report and cancel promptly
                try:
                    while n < low_water:
                        got = recv_into(view[n:])
                        if not got:
                            eof = True
                            break
                        n += got
                        if time.monotonic() >= fill_until:
                            break
                except ssl.SSLError as e:
                    raise TlsError(f"{what}: TLS error on the data connection: {e.reason or e}") from e
                except OSError as e:
                    raise NetworkError(f"{what}: data connection failed: {e}") from e
                if not n:
                    break
                try:
                    if ascii_mode:
                        data = (b"\r" if pending_cr else b"") + bytes(view[:n])
                        pending_cr = data.endswith(b"\r")
                        if pending_cr:
                            data = data[:-1]
                        out = data.replace(b"\r\n", b"\n")
                        write(out)
                        done += len(out)
                    else:
                        written = write(view[:n])
                        if written is not None and written < n:  # raw (unbuffered) files may write less
                            _write_fully(write, view[written:n])
                        done += n
                except OSError as e:
                    raise LocalIOError(f"{what}: writing the local file failed: {e.strerror or e}") from e
                ticker.tick(done)
            if pending_cr:
                try:
                    write(b"\r")
                except OSError as e:
                    raise LocalIOError(f"{what}: writing the local file failed: {e.strerror or e}") from e
                done += 1
        except BaseException:
            self._abort_data(conn)
            raise
        self._finish_data(conn, what)
        ticker.finish(done)
        return done

    def upload(
        self,
        local: BinaryIO,
        remote: str,
        *,
        offset: int = 0,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> int:
        """STOR ``local`` to ``remote``; with ``offset`` resume by REST+STOR (APPE if REST is refused)."""
        what = f"upload {remote}"
        ascii_mode = self._is_ascii(remote)
        with self._guard(what):
            self._set_type("A" if ascii_mode else "I")
            if offset:
                try:
                    conn = self._open_data(f"STOR {remote}", offset)
                except ftplib.error_perm as e:
                    if _reply_code(str(e)) not in (500, 501, 502, 504):
                        raise
                    size = self.size(remote)
                    if size != offset:
                        raise ServerError(
                            f"{what}: the server cannot resume at {offset} (REST refused, remote size {size})",
                            reply=str(e),
                            code=_reply_code(str(e)),
                        ) from e
                    conn = self._open_data(f"APPE {remote}")
            else:
                conn = self._open_data(f"STOR {remote}")
        ticker = RateLimitedProgress(progress)
        view = self._buffer()
        readinto = getattr(local, "readinto", None)
        carry = b""  # TYPE A: a "\r" at the end of a block may start a "\r\n"
        done = 0
        reply_read = False
        try:
            while True:
                if cancel is not None and cancel.is_set():
                    raise Cancelled(f"{what}: cancelled")
                try:
                    if readinto is not None and not ascii_mode:
                        n = readinto(view)
                        chunk: bytes | memoryview = view[:n]
                    else:
                        chunk = local.read(self.block_size)
                        n = len(chunk)
                except OSError as e:
                    raise LocalIOError(f"{what}: reading the local file failed: {e.strerror or e}") from e
                if not n and not carry:
                    break
                if ascii_mode:
                    text = carry + bytes(chunk)
                    carry = b"\r" if n and text.endswith(b"\r") else b""
                    if carry:
                        text = text[:-1]
                    chunk = text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
                try:
                    conn.sendall(chunk)
                except ssl.SSLError as e:
                    raise TlsError(f"{what}: TLS error on the data connection: {e.reason or e}") from e
                except OSError as e:
                    reply_read = True
                    raise self._upload_failure(conn, what, e) from e
                if not n:
                    break
                done += n
                ticker.tick(done)
        except BaseException:
            if not reply_read:
                self._abort_data(conn)
            raise
        self._finish_data(conn, what)
        ticker.finish(done)
        return done

    def _upload_failure(self, conn: socket.socket, what: str, exc: OSError) -> QuayError:
        """The server closed the data connection mid-upload: its control reply (552 disk full...) says why."""
        conn.close()
        client = self._client
        if client is not None and client.sock is not None:
            try:
                client.sock.settimeout(min(self.timeout, 5.0))
                client.getresp()
            except ftplib.Error as e:
                client.sock.settimeout(self.timeout)
                return self._map_reply(e, what)
            except (OSError, EOFError, ValueError):
                self._drop()
        return NetworkError(f"{what}: data connection failed: {exc}")

    # --- many small files ----------------------------------------------------------------------

    @property
    def has_server_hash(self) -> bool:
        """The server can hash files (HASH/XSHA256/XSHA1/XMD5): the queue verifies those one by one."""
        return any(f in self.features for f in ("HASH", "XSHA256", "XSHA1", "XMD5"))

    @property
    def capabilities(self) -> frozenset[Capability]:
        """Batched small files always (active mode and TYPE A fall back inside); server hashes when FEAT says."""
        return _FTP_HASHING if self.has_server_hash else _FTP_BATCHING

    def _pasv_command(self) -> str:
        return "EPSV" if self._use_epsv() else "PASV"

    def _passive_reply(self, client: _Client, cmd: str, peer: str) -> tuple[str, int]:
        """Read the reply to an already sent EPSV/PASV; the host is always the control peer (no bounce)."""
        if cmd == "EPSV":
            try:
                resp = client.getresp()
            except ftplib.error_perm:
                if client.af == socket.AF_INET6:
                    raise
                self.epsv = False  # offered but refused: PASV from now on
                client.putline("PASV")
                return self._passive_reply(client, "PASV", peer)
            _, port = ftplib.parse229(resp, (peer, 0))
            return peer, port
        host, port = ftplib.parse227(client.getresp())
        if host != peer:
            log.info("%s: ignoring PASV address %s, connecting to the control peer %s", self.label, host, peer)
        return peer, port

    def _start_transfer(self, client: _Client, cmd: str, address: tuple[str, int]) -> socket.socket:
        """Connect to ``address`` and send ``cmd`` (RETR/STOR); returns the (TLS) data connection after 150."""
        self.last_data_address = address
        conn = self._small_data_connect(address)
        try:
            client.putline(cmd)
            resp = client.getresp()
            if resp[0] == "2":
                resp = client.getresp()
            if resp[0] != "1":
                raise ftplib.error_reply(resp)
        except BaseException:
            conn.close()
            raise
        if self._prot_p:
            ctl = client.sock
            conn = self._wrap(conn, session=ctl.session if isinstance(ctl, ssl.SSLSocket) else None)
        return conn

    def _small_data_connect(self, address: tuple[str, int]) -> socket.socket:
        """Data connection for one small file: kernel-enforced timeouts on plain FTP (see
        :func:`_kernel_timeout_connect`); TLS keeps Python's timeouts (a timed-out TLS read must stay a
        network error) and a substituted connector is always used as given."""
        if self._prot_p or self._connect is not _default_connect:
            return self._connect(address, self.timeout)
        return _kernel_timeout_connect(address, self.timeout)

    @staticmethod
    def _close_data(conn: socket.socket) -> None:
        try:
            if isinstance(conn, ssl.SSLSocket):
                with contextlib.suppress(OSError, ValueError):
                    conn.unwrap()
        finally:
            conn.close()

    def _reply_error(self, exc: ftplib.Error, what: str) -> QuayError:
        """A per-file error reply inside a batch; a connection-level one (421) ends the batch."""
        mapped = self._map_reply(exc, what)
        if isinstance(mapped, NetworkError):
            self._drop()
            raise mapped from exc
        return mapped

    def download_small_files(self, items: list[SmallDownload]) -> list[Exception | None]:
        """Download several small files over this connection with as few waits as possible.

        ``items`` are (remote path, local file, expected size).  Each file still
        needs its own data connection (EPSV/PASV, RETR, 226); the next file's
        passive request is sent as soon as the data connection reports EOF, so
        it travels before the 226 is read.  Returns one outcome per item: None or
        that file's error (550...).  A connection failure raises NetworkError.
        """
        out: list[Exception | None] = [None] * len(items)
        if not self.passive or any(self._is_ascii(r) for r, _f, _s in items):
            for i, (remote, f, _size) in enumerate(items):  # active mode or TYPE A: the general path
                try:
                    self.download(remote, f)
                except (ServerError, LocalIOError) as e:
                    out[i] = e
            return out
        client = self._require()
        view = self._buffer()
        room = len(view)
        pending = False  # a passive request for the next file is on its way
        try:
            with self._guard("download"):
                self._set_type("I")
                cmd = self._pasv_command()
                assert client.sock is not None
                peer = client.sock.getpeername()[0]
                for i, (remote, f, _size) in enumerate(items):
                    what = f"download {remote}"
                    if not pending:
                        client.putline(cmd)
                    pending = False
                    address = self._passive_reply(client, cmd, peer)
                    cmd = self._pasv_command()  # EPSV may have been refused just now
                    try:
                        conn = self._start_transfer(client, f"RETR {remote}", address)
                    except (ftplib.error_reply, ftplib.error_proto):
                        raise
                    except ftplib.Error as e:
                        out[i] = self._reply_error(e, what)
                        continue
                    recv_into = conn.recv_into
                    local_error: LocalIOError | None = None
                    n = 0
                    try:
                        while True:
                            got = recv_into(view[n:])
                            if not got:
                                break
                            n += got
                            if n == room:
                                local_error = local_error or _write_local(f, view, what)
                                n = 0
                    except BlockingIOError as e:  # SO_RCVTIMEO expired (see _kernel_timeout_connect)
                        conn.close()
                        raise NetworkError(f"{what}: the data connection timed out") from e
                    except BaseException:
                        conn.close()
                        raise
                    if n:
                        local_error = local_error or _write_local(f, view[:n], what)
                    out[i] = local_error  # the data was drained either way: the control connection stays in step
                    self._close_data(conn)
                    if i + 1 < len(items):
                        client.putline(cmd)  # the next request overlaps this file's 226
                        pending = True
                    try:
                        client.voidresp()
                    except (ftplib.error_temp, ftplib.error_perm) as e:
                        out[i] = self._reply_error(e, what)
        except BaseException:
            self._drop()  # replies may still be outstanding: the worker reconnects
            raise
        return out

    def _send_small(
        self, conn: socket.socket, data: bytes, what: str, out: list[Exception | int | None], i: int
    ) -> bool:
        """Send one small file on an open (TLS) data connection and close it; False when it failed (in ``out``)."""
        try:
            if data:
                conn.sendall(data)
        except ssl.SSLError as e:
            conn.close()
            raise TlsError(f"{what}: TLS error on the data connection: {e.reason or e}") from e
        except OSError as e:
            err = self._upload_failure(conn, what, e)
            if isinstance(err, NetworkError):
                raise err from e
            out[i] = err
            return False
        self._close_data(conn)
        return True

    def _store_send(self, client: _Client, cmd: str, address: tuple[str, int], data: bytes) -> OSError | None:
        """Plain FTP: connect, send ``cmd`` and the file's bytes right behind it, close; the 150 is read later.

        The server reads the data connection once it has processed the command,
        so the bytes need not wait for the 150: one round trip less per file.
        Returns the error of sending, if any (read the reply to learn why).
        """
        self.last_data_address = address
        conn = self._small_data_connect(address)
        send_error: OSError | None = None
        try:
            client.putline(cmd)
            try:
                if data:
                    conn.sendall(data)
            except OSError as e:  # most likely the server refused the command and closed the connection
                send_error = e
        finally:
            conn.close()
        return send_error

    def _store_reply(self, client: _Client, what: str, send_error: OSError | None) -> QuayError | None:
        """The preliminary reply to a STOR sent by :meth:`_store_send`: None (150), or the file's error."""
        try:
            resp = client.getresp()
            if resp[0] == "2":
                resp = client.getresp()
        except (ftplib.error_temp, ftplib.error_perm) as e:
            return self._reply_error(e, what)
        if resp[0] != "1":
            raise ftplib.error_reply(resp)
        if send_error is not None:
            raise NetworkError(f"{what}: data connection failed: {send_error}") from send_error
        return None

    def _read_follow_ups(self, client: _Client, owed: tuple[int, str, list[str]] | None, out: list[Any]) -> None:
        """Read the replies to a file's MFMT/SITE CHMOD (errors ignored) and SIZE/MLST (its size, into ``out``)."""
        if owed is None:
            return
        i, what, kinds = owed
        size: int | None = None
        for kind in kinds:
            try:
                resp = client.getresp()
            except (ftplib.error_temp, ftplib.error_perm) as e:
                if kind != "set" and out[i] is None:
                    out[i] = self._reply_error(e, what)
                continue
            if kind == "mlst":
                size = _mlst_size(resp)
            elif kind == "size":
                with contextlib.suppress(ValueError):
                    size = int(resp[3:].strip())
        if out[i] is None:
            out[i] = size

    def upload_small_files(self, items: list[SmallUpload]) -> list[Exception | int | None]:
        """Upload several small files, pipelining each file's follow-up commands with the next file's start.

        ``items`` are (content, remote path, mtime or None, mode or None).  Once
        a file's 226 is in (not before: the server may still be writing it), the
        next passive request, then MFMT (when an mtime is given and the server
        has it), SITE CHMOD (when a mode is given) and SIZE or MLST (the size
        check) go out in one write; the next file's STOR follows as soon as the
        passive reply is in, and the follow-up replies are read before its 150.
        On plain FTP the file's bytes follow STOR without waiting for the 150.  Returns
        per item the server's size afterwards (None if it did not say) or that
        file's error; a connection failure raises.
        """
        out: list[Exception | int | None] = [None] * len(items)
        if not self.passive or any(self._is_ascii(r) for _d, r, _m, _p in items):
            for i, (data, remote, mtime, mode) in enumerate(items):
                try:
                    self.upload(io.BytesIO(data), remote)
                    if mtime is not None:
                        with contextlib.suppress(NotSupported, ServerError):
                            self.set_mtime(remote, mtime)
                    if mode is not None:
                        with contextlib.suppress(NotSupported, ServerError):
                            self.chmod(remote, mode)
                    after = self.size(remote)
                    out[i] = after
                except (ServerError, LocalIOError) as e:
                    out[i] = e
            return out
        client = self._require()
        pending = False  # the next file's passive request is on its way (ahead of ``owed``'s replies)
        owed: tuple[int, str, list[str]] | None = None  # a file whose follow-up replies are still unread
        try:
            with self._guard("upload"):
                self._set_type("I")
                cmd = self._pasv_command()
                assert client.sock is not None
                peer = client.sock.getpeername()[0]
                for i, (data, remote, mtime, mode) in enumerate(items):
                    what = f"upload {remote}"
                    if not pending:
                        client.putline(cmd)
                    pending = False
                    address = self._passive_reply(client, cmd, peer)
                    cmd = self._pasv_command()
                    refused: QuayError | None = None
                    if not self._prot_p:
                        # STOR and the bytes go out now; the previous file's replies arrive before the 150.
                        send_error = self._store_send(client, f"STOR {remote}", address, data)
                        self._read_follow_ups(client, owed, out)
                        owed = None
                        refused = self._store_reply(client, what, send_error)
                    else:
                        self._read_follow_ups(client, owed, out)
                        owed = None
                        try:
                            conn = self._start_transfer(client, f"STOR {remote}", address)
                        except (ftplib.error_reply, ftplib.error_proto):
                            raise
                        except ftplib.Error as e:
                            refused = self._reply_error(e, what)
                        else:
                            if not self._send_small(conn, data, what, out, i):
                                continue
                    if refused is not None:
                        out[i] = refused
                        continue
                    # The 226 comes before any follow-up: the server may still be writing the file until then.
                    follow: list[tuple[str, str]] = []
                    try:
                        client.voidresp()  # 226 (or 451/552: the upload failed)
                    except (ftplib.error_temp, ftplib.error_perm) as e:
                        out[i] = self._reply_error(e, what)
                    else:
                        if mtime is not None and "MFMT" in self.features:
                            stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(int(mtime)))
                            follow.append(("set", f"MFMT {stamp} {remote}"))
                        if mode is not None:
                            follow.append(("set", f"SITE CHMOD {mode & 0o7777:o} {remote}"))
                        if "SIZE" in self.features:  # cheaper for the server than MLST (no facts to build)
                            follow.append(("size", f"SIZE {remote}"))
                        elif "MLST" in self.features:
                            follow.append(("mlst", f"MLST {remote}"))
                    # The next passive request goes first, so the next file can start before these replies are in.
                    lines = [cmd] if i + 1 < len(items) else []
                    pending = bool(lines)
                    lines += [c for _k, c in follow]
                    if lines:
                        client.putlines(lines)
                    if follow:
                        owed = (i, what, [k for k, _c in follow])
                self._read_follow_ups(client, owed, out)
        except BaseException:
            self._drop()  # replies may still be outstanding: the worker reconnects
            raise
        return out

    def mkdir(self, path: str) -> None:
        with self._guard(f"mkdir {path}"):
            self._require().mkd(path)

    def rmdir(self, path: str) -> None:
        """Remove an empty folder (the caller recurses, after asking the user)."""
        with self._guard(f"rmdir {path}"):
            self._require().rmd(path)

    def delete(self, path: str) -> None:
        with self._guard(f"delete {path}"):
            self._require().delete(path)

    def rename(self, src: str, dst: str) -> None:
        with self._guard(f"rename {src}"):
            self._require().rename(src, dst)

    def chmod(self, path: str, mode: int) -> None:
        """SITE CHMOD (not every server has it: 500/502 become NotSupported)."""
        try:
            with self._guard(f"chmod {path}"):
                self._require().voidcmd(f"SITE CHMOD {mode & 0o7777:o} {path}")
        except ServerError as e:
            if e.code in (500, 502, 504):
                raise NotSupported(f"{self.host} has no SITE CHMOD") from e
            raise

    def set_mtime(self, path: str, mtime: float) -> None:
        """MFMT (draft-somers-ftp-mfxx), the only unambiguous way to set a modification time."""
        if "MFMT" not in self.features:
            raise NotSupported(f"{self.host} cannot set modification times (no MFMT)")
        stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(int(mtime)))
        with self._guard(f"set mtime {path}"):
            self._require().sendcmd(f"MFMT {stamp} {path}")

    def checksum(self, path: str) -> tuple[str, str] | None:
        """Server-computed hash: HASH (draft-bryan-ftpext-hash) or XSHA256/XSHA1/XMD5; None when unavailable."""
        client = self._require()
        if "HASH" in self.features:
            algos = [a.rstrip("*").upper() for a in self.features["HASH"].split(";") if a]
            for wanted, name in (("SHA-256", "sha256"), ("SHA-512", "sha512"), ("SHA-1", "sha1"), ("MD5", "md5")):
                if wanted in algos:
                    try:
                        with self._guard(f"hash {path}"):
                            client.sendcmd(f"OPTS HASH {wanted}")
                            resp = client.sendcmd(f"HASH {path}")
                    except ServerError:
                        return None
                    # "213 SHA-256 0-1234 hexdigest name"
                    parts = resp[4:].split(" ", 3)
                    if len(parts) >= 3:
                        return name, parts[2].lower()
                    return None
        for cmd, name in (("XSHA256", "sha256"), ("XSHA1", "sha1"), ("XMD5", "md5")):
            if cmd in self.features:
                try:
                    with self._guard(f"hash {path}"):
                        resp = client.sendcmd(f"{cmd} {path}")
                except ServerError:
                    return None
                digest = resp[4:].strip().split()[0] if resp[4:].strip() else ""
                return (name, digest.lower()) if digest else None
        return None

    def noop(self) -> None:
        """Keep-alive: the caller sends this every minute or so while the session is idle."""
        with self._guard("NOOP"):
            self._require().voidcmd("NOOP")

    def idle_seconds(self) -> float:
        """Seconds since the last command was sent on the control connection."""
        return time.monotonic() - self._require().last_activity

    def keep_alive(self, max_idle: float = 60.0) -> bool:
        """Send NOOP when idle for ``max_idle`` seconds or more (servers drop idle sessions); True if sent."""
        if self.idle_seconds() < max_idle:
            return False
        self.noop()
        return True

    def site(self, command: str) -> str:
        """Send ``SITE command`` and return the reply (for the protocol console)."""
        with self._guard(f"SITE {command}"):
            return self._require().sendcmd(f"SITE {command}")
