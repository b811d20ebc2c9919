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
import posixpath
import socket
import ssl
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO, Literal

from app.core.errors import (
    AuthError,
    Cancelled,
    LocalIOError,
    NetworkError,
    PlaintextAuthRefused,
    ProtocolError,
    QuayError,
    ServerError,
    StartTlsUnavailable,
    TlsError,
    UnknownSecurity,
)
from app.core.protolog import NULL_LOG, ProtoLog
from app.core.transfer.base import (
    PROGRESS_INTERVAL,
    Capability,
    NotSupported,
    ProgressCallback,
    RateLimitedProgress,
    RemoteEntry,
    RemoteNoSpace,
    RemoteSession,
    SmallDownload,
    SmallUpload,
    TooManyConnections,
    write_fully,
)
from app.core.transfer.ftp_pipeline import FtpPipeline
from app.core.transfer.listing import parse_list, parse_mlsd_line, parse_mlsx_time
from app.core.urls import Security

if TYPE_CHECKING:
    import logging

    from app.core.tls import PinStore, TlsPolicy

__all__ = [
    "ANONYMOUS_USERS",
    "KERNEL_TIMEOUTS",
    "MAX_LISTING_BYTES",
    "MAX_LISTING_LINE",
    "MAX_REPLY_BYTES",
    "MAX_REPLY_LINE",
    "Connector",
    "FtpControl",
    "FtpSession",
    "RateLimitedProgress",  # moved to base; kept here for callers that imported it from ftp
    "RemoteNoSpace",  # defined in base, shared with TFTP
    "Security",
    "SecurityLike",
    "TooManyConnections",  # defined in base, so the queue need not import ftp
    "kernel_timeout_connect",
]


def _log() -> logging.Logger:
    import logging  # rarely used: not at start-up

    return logging.getLogger(__name__)


#: What ``security`` may be given as: a :class:`Security` or a word :meth:`Security.parse` reads
#: (today's ``"none"``, ``"explicit"``, ``"implicit"`` among them).
SecurityLike = Security | str
#: connect((host, port), timeout) -> a connected socket; tests substitute fault-injecting ones.
Connector = Callable[[tuple[str, int], float], socket.socket]

#: Longest control reply line we read (ftplib's own default; RFC 959 lines are short).
MAX_REPLY_LINE = 8192
#: Longest multi-line control reply (FEAT, HELP, STAT, MLST are a few KiB on real servers).
MAX_REPLY_BYTES = 1024 * 1024
#: Longest LIST/MLSD line (a name is at most a few KiB; the facts of MLSD are short).
MAX_LISTING_LINE = 64 * 1024
#: Largest LIST/MLSD listing of one folder (a million entries of ~120 bytes).
MAX_LISTING_BYTES = 128 * 1024 * 1024
#: User names that log in anonymously (their "password" is an e-mail address by convention, not a secret).
ANONYMOUS_USERS = frozenset({"anonymous", "ftp"})
_CREDENTIAL_VERBS = frozenset({"USER", "PASS", "ACCT"})
DEFAULT_BLOCK_SIZE = 4 * 1024 * 1024  # one buffer per session; big blocks keep Python out of the way
#: Uploads read and send this much at a time from that buffer: a block that stays in the CPU cache
#: between the file read and the socket send measured ~15% faster and half the CPU of 4 MiB blocks
#: (downloads keep the big blocks: there fewer, larger receives win).
UPLOAD_BLOCK_SIZE = 128 * 1024
FILL_LOW_WATER = 256 * 1024  # gather at least this much per local write (TLS reads return 16 KiB records)
_FTP_BATCHING = frozenset({Capability.BATCH_DOWNLOAD, Capability.BATCH_UPLOAD})
_FTP_HASHING = _FTP_BATCHING | {Capability.SERVER_HASH}


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


#: Kernels that read SO_RCVTIMEO/SO_SNDTIMEO as a ``struct timeval`` (Windows wants a DWORD of milliseconds:
#: it takes the portable path).  Linux also bounds connect(2) by SO_SNDTIMEO; the BSDs and macOS do not.
KERNEL_TIMEOUTS = sys.platform.startswith(("linux", "darwin", "freebsd", "openbsd", "netbsd", "dragonfly"))
_CONNECT_BOUNDED_BY_SNDTIMEO = sys.platform.startswith("linux")


def _timeval(seconds: float) -> bytes:
    """``struct timeval`` in the platform's own layout (two C longs on the kernels of :data:`KERNEL_TIMEOUTS`)."""
    secs = max(seconds, 0.001)
    return struct.pack("@ll", int(secs), int((secs % 1) * 1_000_000))


def kernel_timeout_connect(address: tuple[str, int], timeout: float) -> socket.socket:
    """A blocking socket whose timeouts the kernel enforces (SO_RCVTIMEO/SO_SNDTIMEO).

    Python's own timeouts poll(2) before every send and receive; for a data
    connection that carries one small file those polls (and the GIL hand-offs
    around them) are a good part of the cost.  A timeout surfaces as an
    ``OSError`` (EAGAIN/EINPROGRESS), which callers treat like any network
    failure.  Only on the kernels of :data:`KERNEL_TIMEOUTS`; elsewhere (Windows)
    this is the portable :func:`_default_connect`.
    """
    if not KERNEL_TIMEOUTS:
        return _default_connect(address, timeout)
    host = address[0]
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        socket.inet_pton(family, host)
    except OSError:
        return _default_connect(address, timeout)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        tv = _timeval(timeout)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, tv)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, tv)
        if _CONNECT_BOUNDED_BY_SNDTIMEO:
            sock.connect(address)
        else:
            sock.settimeout(timeout)  # connect(2) ignores SO_SNDTIMEO here: Python bounds it,
            sock.connect(address)
            sock.settimeout(None)  # then blocking, with the kernel timeouts above
    except BaseException:
        sock.close()
        raise
    return sock


def _reply_code(text: str) -> int | None:
    return int(text[:3]) if text[:3].isdigit() else None


class FtpControl(ftplib.FTP):
    """ftplib.FTP with our socket, encoding policy, protocol log and reply limits; TLS is in :class:`FtpSession`.

    A reply line longer than :attr:`maxline` or a multi-line reply longer than
    :attr:`max_reply_bytes` raises :class:`ProtocolError` naming the limit and
    closes the connection (what follows would be out of step).
    """

    maxline = MAX_REPLY_LINE
    max_reply_bytes = MAX_REPLY_BYTES

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

    @staticmethod
    def _refuse_line_break(line: str) -> None:
        """A line break would start a second command (a name from a listing could inject one): refuse.

        The message shows the command, but never the argument of USER, PASS or ACCT.
        """
        if "\r" in line or "\n" in line or "\0" in line:
            verb, _, arg = line.partition(" ")
            shown = verb if verb.upper() in _CREDENTIAL_VERBS else f"{verb} {arg!r}"
            raise ProtocolError(f"refusing to send a command containing a line break or NUL: {shown}")

    def putline(self, line: str) -> None:
        self._refuse_line_break(line)
        data = (line + "\r\n").encode(self.encoding, "surrogateescape")
        self._protolog.sent(self._label, data)
        assert self.sock is not None
        self.last_activity = time.monotonic()
        self.sock.sendall(data)

    def putlines(self, lines: list[str]) -> None:
        """Send several commands in one write (pipelining): one TCP segment, no Nagle/delayed-ACK stall."""
        for line in lines:
            self._refuse_line_break(line)
        chunks = [(line + "\r\n").encode(self.encoding, "surrogateescape") for line in lines]
        for chunk in chunks:
            self._protolog.sent(self._label, chunk)
        assert self.sock is not None
        self.last_activity = time.monotonic()
        self.sock.sendall(b"".join(chunks))

    def peer_host(self) -> str:
        """The server's address as this connection sees it (passive data goes there, active data comes from it)."""
        assert self.sock is not None
        return str(self.sock.getpeername()[0])

    def _too_long(self, what: str, limit: int) -> ProtocolError:
        """A limit was exceeded: the rest of the reply is unread, so this connection is given up."""
        self.close()
        return ProtocolError(f"{self._label}: the server sent {what} longer than the limit of {limit} bytes")

    def getline(self) -> str:
        """One reply line, at most :attr:`maxline` characters (a hostile server must not fill our memory)."""
        assert self.file is not None
        line = self.file.readline(self.maxline + 1)
        if len(line) > self.maxline:
            raise self._too_long("a reply line", self.maxline)
        if not line:
            raise EOFError
        if line[-2:] == "\r\n":
            line = line[:-2]
        elif line[-1:] in "\r\n":
            line = line[:-1]
        self._protolog.received(self._label, line.encode(self.encoding, "surrogateescape") + b"\r\n")
        return line

    def getmultiline(self) -> str:
        """A whole (multi-line, RFC 959 section 4.2) reply, at most :attr:`max_reply_bytes` long."""
        line = self.getline()
        if line[3:4] != "-":
            return line
        code = line[:3]
        lines = [line]
        size = len(line)
        while True:
            nextline = self.getline()
            lines.append(nextline)
            size += len(nextline) + 1
            if size > self.max_reply_bytes:
                raise self._too_long("a multi-line reply", self.max_reply_bytes)
            if nextline[:3] == code and nextline[3:4] != "-":
                return "\n".join(lines)


class FtpSession(RemoteSession):
    """One FTP/FTPS control connection (plus its data connections), used by one thread at a time.

    ``security`` (a :class:`~app.core.urls.Security` or a word it parses):
    ``NONE`` (plain FTP, also ``"none"``), ``STARTTLS`` (explicit FTPS, ``AUTH
    TLS`` on the normal port; a refusing server raises
    :class:`StartTlsUnavailable`; also ``"explicit"``) or ``TLS`` (implicit
    FTPS, TLS from the first byte, port 990; also ``"implicit"``).  A password
    over plain FTP is refused with :class:`PlaintextAuthRefused` unless
    ``allow_plaintext`` (anonymous log-ins need no consent).  ``encoding`` None
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
        security: SecurityLike = Security.NONE,
        allow_plaintext: bool = False,
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
        self.security = Security.parse(security)
        if self.security is Security.SSH:
            raise UnknownSecurity("FTP cannot use SSH security (use an sftp:// site)", value=str(security))
        self.host = host
        self.port = port if port is not None else (990 if self.security is Security.TLS else 21)
        self.user = user or "anonymous"
        self.anonymous = self.user.lower() in ANONYMOUS_USERS
        self._password = password if password else ("anonymous@" if self.anonymous else "")
        self.allow_plaintext = allow_plaintext
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
        self._trust = (pins, pin, cafile)  # the TLS policy is built on first use: plain FTP needs none
        self._policy_obj: TlsPolicy | None = None
        self._ctx: ssl.SSLContext | None = None
        self._client: FtpControl | None = None
        self._type: str | None = None
        self._home = "/"
        self._prot_p = False
        self._buf: bytearray | None = None
        self._pipeline = FtpPipeline(self)
        #: Limits on a LIST/MLSD listing (a hostile server must not fill our memory).
        self.max_listing_line = MAX_LISTING_LINE
        self.max_listing_bytes = MAX_LISTING_BYTES
        #: FEAT reply: upper-case feature name -> its parameters ("" when none).
        self.features: dict[str, str] = {}
        self.welcome = ""
        #: The address a passive data connection last went to (tests check no bounce happened).
        self.last_data_address: tuple[str, int] | None = None
        self.protocol = "ftps" if self.security.encrypted else "ftp"

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

    @property
    def _policy(self) -> TlsPolicy:
        if self._policy_obj is None:
            from app.core.tls import TlsPolicy  # only for FTPS: the CLI's start-up

            pins, pin, cafile = self._trust
            self._policy_obj = TlsPolicy.for_server(self.host, self.port, pins, pin=pin, cafile=cafile)
        return self._policy_obj

    def _tls_context(self) -> ssl.SSLContext:
        if self._ctx is None:
            self._ctx = self._policy.context()
        return self._ctx

    def _wrap(self, sock: socket.socket, *, session: ssl.SSLSession | None = None) -> ssl.SSLSocket:
        """TLS handshake on ``sock``; certificate problems become TlsError carrying the certificate."""
        try:
            tls = self._tls_context().wrap_socket(sock, server_hostname=self.host, session=session)
        except ssl.SSLCertVerificationError as e:
            from app.core.tls import explain_verification_failure

            sock.close()
            starttls: Literal["ftp"] | None = "ftp" if self.security is Security.STARTTLS else None
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
        self._check_credentials()
        client = FtpControl(self.encoding, self._protolog, self.label, self.timeout)
        try:
            if self.security is Security.NONE and self._connect is _default_connect:
                # Plain control connection: kernel-enforced timeouts spare a poll(2) per reply (see
                # kernel_timeout_connect); a timeout then reads as an end of file, still a NetworkError.
                sock = kernel_timeout_connect((self.host, self.port), self.timeout)
            else:
                sock = self._connect((self.host, self.port), self.timeout)
        except OSError as e:
            raise NetworkError(f"Could not connect to {self.host}:{self.port}: {e.strerror or e}") from e
        try:
            if self.security is Security.TLS:
                sock = self._wrap(sock)
            client.attach(sock)
            self._client = client
            with self.guard("connect", login_phase=True):
                self.welcome = client.getresp()
            if self.security is Security.STARTTLS:
                self._auth_tls()
            self._read_features()
            if "UTF8" in self.features and not self._encoding_forced:
                with self.guard("OPTS UTF8"):
                    try:
                        client.sendcmd("OPTS UTF8 ON")
                    except ftplib.Error:
                        pass  # some servers announce UTF8 but are always in UTF-8 mode
            self._login()
            if self.security.encrypted:
                self._protect_data()
            if not self.features:
                self._read_features()  # some servers answer FEAT only after log-in
            self._select_mlst_facts()
            with self.guard("TYPE I"):
                self.set_type("I")
            with self.guard("PWD"):
                try:
                    self._home = ftplib.parse257(client.sendcmd("PWD")) or "/"
                except ftplib.Error:
                    self._home = "/"
        except BaseException:
            self.abandon()
            raise

    def _check_credentials(self) -> None:
        """Refuse, before anything is sent, what would leak the password or break the protocol."""
        for what, value in (("user name", self.user), ("password", self._password)):
            if any(ch in value for ch in "\r\n\0"):
                raise AuthError(
                    f"The {what} for {self.host} contains a line break or NUL, which FTP cannot send; "
                    "nothing was sent. Check the saved credentials."
                )
        if self.security is Security.NONE and self._password and not self.anonymous and not self.allow_plaintext:
            raise PlaintextAuthRefused(
                f"{self.host}:{self.port} is plain FTP: the password for {self.user} would be sent unencrypted. "
                "Use FTPS, or allow plaintext log-in for this site explicitly."
            )

    def _auth_tls(self) -> None:
        client = self.control()
        try:
            with self.guard("AUTH TLS"):
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
        client = self.control()
        try:
            with self.guard("PROT P"):
                client.sendcmd("PBSZ 0")
                client.sendcmd("PROT P")
        except ServerError as e:
            raise StartTlsUnavailable(
                f"{self.host}:{self.port} refused to encrypt data connections ({e}); not sending files in clear."
            ) from e
        self._prot_p = True

    def _login(self) -> None:
        client = self.control()
        with self.guard("log in", login_phase=True):
            try:
                client.login(self.user, self._password)
            except ftplib.error_perm as e:
                if _reply_code(str(e)) in (530, 430, 331, 332):
                    raise AuthError(f"{self.host} refused the log-in for {self.user}: {str(e)[4:]}") from e
                raise

    def _read_features(self) -> None:
        client = self.control()
        try:
            with self.guard("FEAT"):
                resp = client.sendcmd("FEAT")
        except ServerError:
            if not self.connected:
                raise  # the connection is gone (a reply over a limit): never ignored
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
            with self.guard("OPTS MLST"):
                self.control().sendcmd("OPTS MLST " + "".join(f"{f};" for f in chosen))
        except ServerError:
            if not self.connected:
                raise  # the connection is gone (a reply over a limit): never ignored
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
        self.abandon()

    def abandon(self) -> None:
        client, self._client = self._client, None
        self._type = None
        self._prot_p = False
        if client is not None:
            try:
                client.close()
            except OSError:
                pass

    def control(self) -> FtpControl:
        if self._client is None or self._client.sock is None:
            raise NetworkError(f"Not connected to {self.host}:{self.port}.")
        return self._client

    # --- errors -----------------------------------------------------------------------

    def map_reply(self, exc: ftplib.Error, what: str, *, login_phase: bool = False) -> QuayError:
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
    def guard(self, what: str, *, login_phase: bool = False) -> Iterator[None]:
        """Translate ftplib, socket and ssl exceptions raised inside into Quay errors."""
        try:
            yield
        except QuayError:
            raise
        except ftplib.Error as e:
            mapped = self.map_reply(e, what, login_phase=login_phase)
            if isinstance(mapped, NetworkError):
                self.abandon()
            raise mapped from e
        except ssl.SSLError as e:
            self.abandon()
            raise TlsError(f"{what}: TLS error with {self.host}:{self.port}: {e.reason or e}") from e
        except EOFError as e:
            self.abandon()
            raise NetworkError(f"{what}: {self.host} closed the connection (or did not answer in time)") from e
        except OSError as e:
            self.abandon()
            raise NetworkError(f"{what}: connection to {self.host}:{self.port} failed: {e}") from e

    # --- data connections -----------------------------------------------------------------

    def set_type(self, kind: str) -> None:
        if self._type != kind:
            self.control().voidcmd(f"TYPE {kind}")
            self._type = kind

    def use_epsv(self) -> bool:
        client = self.control()
        if client.af == socket.AF_INET6:
            return True
        if self.epsv is not None:
            return self.epsv
        return "EPSV" in self.features

    def passive_command(self) -> str:
        """``EPSV`` or ``PASV``, whichever this server is asked for a passive port."""
        return "EPSV" if self.use_epsv() else "PASV"

    def read_passive_reply(self, client: FtpControl, cmd: str, peer: str) -> tuple[str, int]:
        """Read the reply to an already sent EPSV/PASV; the host is always the control peer (no bounce).

        An EPSV refused on IPv4 makes this session use PASV from then on (the PASV is sent here).
        """
        if cmd == "EPSV":
            try:
                resp = client.getresp()
            except ftplib.error_perm:
                if client.af == socket.AF_INET6:
                    raise
                self.epsv = False  # offered but refused: PASV from now on
                client.putline("PASV")
                return self.read_passive_reply(client, "PASV", peer)
            _, port = ftplib.parse229(resp, (peer, 0))
            return peer, port
        host, port = ftplib.parse227(client.getresp())
        if host != peer:
            _log().info("%s: ignoring PASV address %s, connecting to the control peer %s", self.label, host, peer)
        return peer, port

    def _passive_address(self) -> tuple[str, int]:
        """Ask for a passive port; the host is always the control connection's peer (no bounce)."""
        client = self.control()
        cmd = self.passive_command()
        client.putline(cmd)
        return self.read_passive_reply(client, cmd, client.peer_host())

    def _active_listener(self) -> socket.socket:
        """Listen on the control connection's local address (never on every interface) and announce it."""
        client = self.control()
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

    def _accept_from_server(self, listener: socket.socket, what: str) -> socket.socket:
        """Active mode: accept the data connection only from the server's address (anyone may connect first)."""
        peer = self.control().peer_host()
        deadline = time.monotonic() + self.timeout
        refused: list[str] = []
        while True:
            listener.settimeout(max(0.001, deadline - time.monotonic()))
            try:
                conn, addr = listener.accept()
            except TimeoutError:
                if refused:
                    raise NetworkError(
                        f"{what}: no data connection from {peer} in time"
                        f" (refused {len(refused)} from elsewhere: {', '.join(refused)})"
                    ) from None
                raise
            if addr[0] == peer:
                conn.settimeout(self.timeout)
                return conn
            conn.close()
            refused.append(str(addr[0]))
            _log().warning("%s: refused a data connection from %s (the server is %s)", self.label, addr[0], peer)

    @staticmethod
    def _expect_preliminary(client: FtpControl, cmd: str, rest: int | None = None) -> None:
        """Send ``cmd`` (after ``REST`` when given) and read its 1xx (a 2xx first is skipped, as some servers do)."""
        if rest:
            client.sendcmd(f"REST {rest}")
        resp = client.sendcmd(cmd)
        if resp[0] == "2":
            resp = client.getresp()
        if resp[0] != "1":
            raise ftplib.error_reply(resp)

    @property
    def data_protected(self) -> bool:
        """Data connections are TLS (``PROT P`` was accepted)."""
        return self._prot_p

    def secure_data(self, conn: socket.socket) -> socket.socket:
        """TLS-wrap a data connection when data is protected, resuming the control connection's TLS session."""
        if not self._prot_p:
            return conn
        ctl = self.control().sock
        return self._wrap(conn, session=ctl.session if isinstance(ctl, ssl.SSLSocket) else None)

    def _open_data(self, cmd: str, rest: int | None = None) -> socket.socket:
        """Open a data connection for ``cmd`` (after ``REST`` when given) and TLS-wrap it with session reuse."""
        client = self.control()
        conn: socket.socket
        if self.passive:
            address = self._passive_address()
            self.last_data_address = address
            conn = self._connect(address, self.timeout)
            try:
                self._expect_preliminary(client, cmd, rest)
            except BaseException:
                conn.close()
                raise
        else:
            with self._active_listener() as listener:
                self._expect_preliminary(client, cmd, rest)
                conn = self._accept_from_server(listener, cmd)
        return self.secure_data(conn)

    def start_transfer(self, cmd: str, address: tuple[str, int]) -> socket.socket:
        """Connect to the passive ``address`` and send ``cmd`` (RETR/STOR); returns the (TLS) data connection.

        For the small-file engine: the data connection gets kernel timeouts on
        plain FTP (:meth:`small_data_connect`).
        """
        self.last_data_address = address
        conn = self.small_data_connect(address)
        try:
            self._expect_preliminary(self.control(), cmd)
        except BaseException:
            conn.close()
            raise
        return self.secure_data(conn)

    def small_data_connect(self, address: tuple[str, int]) -> socket.socket:
        """Data connection for one small file: kernel-enforced timeouts on plain FTP (see
        :func:`kernel_timeout_connect`); TLS keeps Python's timeouts (a timed-out TLS read must stay a
        network error) and a substituted connector is always used as given."""
        if self._prot_p or self._connect is not _default_connect:
            return self._connect(address, self.timeout)
        return kernel_timeout_connect(address, self.timeout)

    @staticmethod
    def close_data(conn: socket.socket) -> None:
        """Close a data connection, ending its TLS layer first (servers want the close_notify)."""
        try:
            if isinstance(conn, ssl.SSLSocket):
                with contextlib.suppress(OSError, ValueError):
                    conn.unwrap()
        finally:
            conn.close()

    def _finish_data(self, conn: socket.socket, what: str) -> None:
        """Close the data connection properly and read the transfer's final reply."""
        self.close_data(conn)
        with self.guard(what):
            self.control().voidresp()

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
            self.abandon()  # state unknown: the caller reconnects

    def transfer_buffer(self) -> memoryview:
        """The session's transfer buffer, allocated once: thousands of small files must not each zero megabytes."""
        if self._buf is None or len(self._buf) != self.block_size:
            self._buf = bytearray(self.block_size)
        return memoryview(self._buf)

    def is_ascii(self, remote: str) -> bool:
        return bool(self.ascii_extensions) and remote.lower().endswith(self.ascii_extensions)

    def _read_all(self, cmd: str) -> bytes:
        """Run a command whose data connection carries a (listing) text; return its raw bytes."""
        with self.guard(cmd):
            conn = self._open_data(cmd)
        chunks: list[bytes] = []
        total = 0
        run = 0  # bytes since the last line break
        line_limit, total_limit = self.max_listing_line, self.max_listing_bytes
        with self.guard(cmd):
            try:
                while True:
                    chunk = conn.recv(min(65536, line_limit))
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > total_limit:
                        raise ProtocolError(f"{cmd}: the listing is larger than the limit of {total_limit} bytes")
                    first = chunk.find(b"\n")
                    if first < 0:
                        run += len(chunk)
                    else:
                        # A line inside one chunk is shorter than the limit (chunks are no longer than it).
                        if run + first > line_limit:
                            run += first
                        else:
                            run = len(chunk) - chunk.rfind(b"\n") - 1
                    if run > line_limit:
                        raise ProtocolError(f"{cmd}: a listing line is longer than the limit of {line_limit} bytes")
                    chunks.append(chunk)
            except BaseException as e:
                conn.close()
                if isinstance(e, ProtocolError):
                    self.abandon()  # the transfer's final reply is still owed: start afresh
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
        client = self.control()
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
        with self.guard(f"list {path}"):
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
            with self.guard("CWD"):
                try:
                    client.cwd(self._home)
                except ftplib.Error:
                    pass

    def stat(self, path: str) -> RemoteEntry | None:
        """MLST when offered; else SIZE + MDTM for files and CWD for folders. None when it does not exist."""
        client = self.control()
        name = posixpath.basename(path.rstrip("/")) or "/"
        if "MLST" in self.features:
            try:
                with self.guard(f"stat {path}"):
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
            with self.guard(f"stat {path}"):
                client.cwd(path)
        except ServerError:
            if not self.connected:
                raise  # the connection is gone (a reply over a limit): never ignored
            return None
        self._restore_cwd()
        return RemoteEntry(name=name, kind="dir")

    def size(self, path: str) -> int | None:
        """SIZE in bytes (binary type), or None when the server does not know it."""
        client = self.control()
        try:
            with self.guard(f"size {path}"):
                self.set_type("I")
                resp = client.sendcmd(f"SIZE {path}")
        except ServerError:
            if not self.connected:
                raise  # the connection is gone (a reply over a limit): never ignored
            return None
        try:
            return int(resp[3:].strip())
        except ValueError:
            return None

    def mtime(self, path: str) -> float | None:
        """MDTM as epoch seconds (UTC), or None."""
        client = self.control()
        try:
            with self.guard(f"mtime {path}"):
                resp = client.sendcmd(f"MDTM {path}")
        except ServerError:
            if not self.connected:
                raise  # the connection is gone (a reply over a limit): never ignored
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
        ascii_mode = self.is_ascii(remote)
        with self.guard(what):
            self.set_type("A" if ascii_mode else "I")
            conn = self._open_data(f"RETR {remote}", offset or None)
        ticker = RateLimitedProgress(progress)
        view = self.transfer_buffer()
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
                            write_fully(write, view[written:n])
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
        ascii_mode = self.is_ascii(remote)
        with self.guard(what):
            self.set_type("A" if ascii_mode else "I")
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
        block = min(self.block_size, UPLOAD_BLOCK_SIZE)
        view = self.transfer_buffer()[:block]
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
                        chunk = local.read(block)
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
                    raise self.upload_failure(conn, what, e) from e
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

    def upload_failure(self, conn: socket.socket, what: str, exc: OSError) -> QuayError:
        """The server closed the data connection mid-upload: its control reply (552 disk full...) says why."""
        conn.close()
        client = self._client
        if client is not None and client.sock is not None:
            try:
                client.sock.settimeout(min(self.timeout, 5.0))
                client.getresp()
            except ftplib.Error as e:
                client.sock.settimeout(self.timeout)
                return self.map_reply(e, what)
            except (OSError, EOFError, ValueError):
                self.abandon()
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

    def download_small_files(self, items: list[SmallDownload]) -> list[Exception | None]:
        """Download several small files over this connection with as few waits as possible.

        ``items`` are (remote path, local file, expected size).  Returns one
        outcome per item: None or that file's error (550...).  A connection
        failure raises NetworkError.  The engine is :mod:`.ftp_pipeline`.
        """
        return self._pipeline.download(items)

    def upload_small_files(self, items: list[SmallUpload]) -> list[Exception | int | None]:
        """Upload several small files, pipelining each file's follow-up commands with the next file's start.

        ``items`` are (content, remote path, mtime or None, mode or None): MFMT
        (when an mtime is given and the server has it), SITE CHMOD (when a mode
        is given) and SIZE or MLST (the size check) follow each file.  Returns per
        item the server's size afterwards (None if it did not say) or that
        file's error; a connection failure raises.  The engine is :mod:`.ftp_pipeline`.
        """
        return self._pipeline.upload(items)

    def mkdir(self, path: str) -> None:
        with self.guard(f"mkdir {path}"):
            self.control().mkd(path)

    def rmdir(self, path: str) -> None:
        """Remove an empty folder (the caller recurses, after asking the user)."""
        with self.guard(f"rmdir {path}"):
            self.control().rmd(path)

    def delete(self, path: str) -> None:
        with self.guard(f"delete {path}"):
            self.control().delete(path)

    def rename(self, src: str, dst: str) -> None:
        with self.guard(f"rename {src}"):
            self.control().rename(src, dst)

    def chmod(self, path: str, mode: int) -> None:
        """SITE CHMOD (not every server has it: 500/502 become NotSupported)."""
        try:
            with self.guard(f"chmod {path}"):
                self.control().voidcmd(f"SITE CHMOD {mode & 0o7777:o} {path}")
        except ServerError as e:
            if e.code in (500, 502, 504):
                raise NotSupported(f"{self.host} has no SITE CHMOD") from e
            raise

    def set_mtime(self, path: str, mtime: float) -> None:
        """MFMT (draft-somers-ftp-mfxx), the only unambiguous way to set a modification time."""
        if "MFMT" not in self.features:
            raise NotSupported(f"{self.host} cannot set modification times (no MFMT)")
        stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(int(mtime)))
        with self.guard(f"set mtime {path}"):
            self.control().sendcmd(f"MFMT {stamp} {path}")

    def checksum(self, path: str) -> tuple[str, str] | None:
        """Server-computed hash: HASH (draft-bryan-ftpext-hash) or XSHA256/XSHA1/XMD5; None when unavailable."""
        client = self.control()
        if "HASH" in self.features:
            algos = [a.rstrip("*").upper() for a in self.features["HASH"].split(";") if a]
            for wanted, name in (("SHA-256", "sha256"), ("SHA-512", "sha512"), ("SHA-1", "sha1"), ("MD5", "md5")):
                if wanted in algos:
                    try:
                        with self.guard(f"hash {path}"):
                            client.sendcmd(f"OPTS HASH {wanted}")
                            resp = client.sendcmd(f"HASH {path}")
                    except ServerError:
                        if not self.connected:
                            raise  # the connection is gone (a reply over a limit): never ignored
                        return None
                    # "213 SHA-256 0-1234 hexdigest name"
                    parts = resp[4:].split(" ", 3)
                    if len(parts) >= 3:
                        return name, parts[2].lower()
                    return None
        for cmd, name in (("XSHA256", "sha256"), ("XSHA1", "sha1"), ("XMD5", "md5")):
            if cmd in self.features:
                try:
                    with self.guard(f"hash {path}"):
                        resp = client.sendcmd(f"{cmd} {path}")
                except ServerError:
                    if not self.connected:
                        raise  # the connection is gone (a reply over a limit): never ignored
                    return None
                digest = resp[4:].strip().split()[0] if resp[4:].strip() else ""
                return (name, digest.lower()) if digest else None
        return None

    def noop(self) -> None:
        """Keep-alive: the caller sends this every minute or so while the session is idle."""
        with self.guard("NOOP"):
            self.control().voidcmd("NOOP")

    def idle_seconds(self) -> float:
        """Seconds since the last command was sent on the control connection."""
        return time.monotonic() - self.control().last_activity

    def keep_alive(self, max_idle: float = 60.0) -> bool:
        """Send NOOP when idle for ``max_idle`` seconds or more (servers drop idle sessions); True if sent."""
        if self.idle_seconds() < max_idle:
            return False
        self.noop()
        return True

    def site(self, command: str) -> str:
        """Send ``SITE command`` and return the reply (for the protocol console)."""
        with self.guard(f"SITE {command}"):
            return self.control().sendcmd(f"SITE {command}")
