"""The one IMAP connection, shared by imapclient and our hand-written bulk paths.

imapclient runs the control path (greeting, STARTTLS, authentication,
capabilities, folders, IDLE, STORE/COPY/MOVE/APPEND/EXPUNGE, SEARCH) over
imaplib. Its ``_create_IMAP4`` hook gives it :class:`ImaplibTransport`, an
``imaplib.IMAP4`` whose I/O (``open``/``read``/``readline``/``send``/
``shutdown``) goes through a :class:`Wire`: our receive buffer over the socket
that :data:`SocketFactory` (replaceable by tests for fault injection) opened.
The pipelined bulk FETCH and the QRESYNC SELECT (see
:mod:`app.core.mail.imap.session` and :mod:`app.core.mail.imap.fetch`) read
from the same buffer with their own tags (``Q0001``...; imaplib's tags are
four letters from A-P, so they never collide) and consume every response of
their commands before imapclient sends its next one.

The wire enforces the limits a hostile server must not get past
(:data:`MAX_LINE`, :data:`MAX_LITERAL`) and writes the protocol log, with the
credentials exchange redacted by shape (:meth:`Wire.credentials`).
"""

from __future__ import annotations

import imaplib
import select
import socket
import ssl
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from imapclient import IMAPClient

from app.core.errors import NetworkError, ProtocolError
from app.core.protolog import REDACTED, ProtoLog

SocketFactory = Callable[[tuple[str, int], float], socket.socket]

#: Longest response line we accept (16 MiB: a plain ``SEARCH`` of two million UIDs). imaplib's own is 1 MB.
MAX_LINE = 16 << 20
#: Largest literal we accept (256 MiB, above any server's message size limit).
MAX_LITERAL = 256 << 20

_RECV_SIZE = 1 << 20
_LOG_SENT_MAX = 8192


def default_connect(addr: tuple[str, int], timeout: float) -> socket.socket:
    return socket.create_connection(addr, timeout=timeout)


class Wire:
    """A socket with our receive buffer: ``data[pos:]`` is received but not yet consumed.

    The bulk readers work on ``data``/``pos`` directly (no copies per message) and call
    :meth:`fill` when they need more; everyone else uses :meth:`readline` and :meth:`read_exact`.
    Errors: :class:`NetworkError` when the connection drops or times out (the wire is then
    closed), :class:`ProtocolError` when the server exceeds a limit. A non-blocking socket with
    nothing to read raises ``BlockingIOError`` / ``ssl.SSLWantReadError`` unchanged (imapclient's
    IDLE check relies on that).
    """

    def __init__(
        self,
        sock: socket.socket,
        *,
        host: str,
        log: ProtoLog,
        log_name: str,
        max_line: int = MAX_LINE,
        max_literal: int = MAX_LITERAL,
    ) -> None:
        self.sock: socket.socket | None = sock
        self.host = host
        self.log = log
        self.log_name = log_name
        self.max_line = max_line
        self.max_literal = max_literal
        self.data = b""
        self.pos = 0
        self._credentials: list[bool] | None = None  # inside credentials(): [first line logged yet]

    # ------------------------------------------------------------- state

    @property
    def encrypted(self) -> bool:
        return isinstance(self.sock, ssl.SSLSocket)

    def has_line(self) -> bool:
        """True when a complete line is buffered here or decrypted data waits inside TLS."""
        if self.data.find(b"\r\n", self.pos) >= 0:
            return True
        return isinstance(self.sock, ssl.SSLSocket) and self.sock.pending() > 0

    def replace_socket(self, sock: socket.socket) -> None:
        """Switch to the TLS socket after STARTTLS; refuse if the server sent anything ahead of the handshake.

        Bytes received in clear before the handshake would otherwise be read as if they came
        over TLS (a STARTTLS command injection, CVE-2011-0411 style).
        """
        if self.pos < len(self.data):
            self.close()
            raise ProtocolError("The server sent data after STARTTLS before the TLS handshake; not continuing.")
        self.sock = sock

    def close(self) -> None:
        sock, self.sock = self.sock, None
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass
        self.data, self.pos = b"", 0

    # ----------------------------------------------------------- reading

    def fill(self, need: int = 0) -> None:
        """Receive at least one more chunk, and until ``need`` unread bytes are buffered."""
        sock = self.sock
        if sock is None:
            raise NetworkError("not connected")
        have = len(self.data) - self.pos
        chunks = [self.data[self.pos :]] if have else []
        first = True
        while first or have < need:
            first = False
            try:
                chunk = sock.recv(max(_RECV_SIZE, need - have))
            except (BlockingIOError, ssl.SSLWantReadError):
                if chunks:
                    self.data, self.pos = b"".join(chunks), 0
                raise
            except TimeoutError as e:
                self.close()
                raise NetworkError(f"{self.host} stopped answering (timed out)") from e
            except OSError as e:
                self.close()
                raise NetworkError(f"Connection to {self.host} lost: {e}") from e
            if not chunk:
                self.close()
                raise NetworkError(f"{self.host} closed the connection")
            chunks.append(chunk)
            have += len(chunk)
        self.data = b"".join(chunks)
        self.pos = 0

    def readline(self, *, keep_crlf: bool = False) -> bytes:
        """One response line (without CRLF unless asked); ProtocolError past :attr:`max_line`."""
        start = self.pos
        while True:
            eol = self.data.find(b"\r\n", start)
            if eol >= 0:
                line = self.data[self.pos : eol + 2 if keep_crlf else eol]
                if eol - self.pos > self.max_line:
                    self.too_long()
                self.pos = eol + 2
                return line
            if len(self.data) - self.pos > self.max_line:
                self.too_long()
            start = max(self.pos, len(self.data) - 1)
            offset = start - self.pos
            self.fill()
            start = self.pos + offset

    def too_long(self) -> None:
        self.close()
        raise ProtocolError(
            f"The server sent a response line longer than {self.max_line} bytes (the limit); not continuing."
        )

    def check_literal(self, size: int) -> None:
        """ProtocolError if a literal of ``size`` bytes exceeds :attr:`max_literal` (before reading any of it)."""
        if size > self.max_literal:
            self.close()
            raise ProtocolError(
                f"The server announced a literal of {size} bytes, above the limit of {self.max_literal} bytes; "
                "not continuing."
            )

    def read_exact(self, size: int) -> bytes:
        """The next ``size`` bytes (a literal's contents)."""
        self.check_literal(size)
        if len(self.data) - self.pos < size:
            self.fill(size)
        out = self.data[self.pos : self.pos + size]
        self.pos += size
        return out

    # ----------------------------------------------------------- writing

    def send(self, data: bytes) -> None:
        if self.sock is None:
            raise NetworkError("not connected")
        if self.log.enabled:
            self._log_sent(data)
        try:
            self.sock.sendall(data)
        except OSError as e:
            self.close()
            raise NetworkError(f"Connection to {self.host} lost while sending: {e}") from e

    def _log_sent(self, data: bytes) -> None:
        if data == b"\r\n":
            return  # imapclient ends its command lines with a separate write
        cred = self._credentials
        if cred is not None:
            if cred[0]:
                if data.strip():
                    self.log.sent(self.log_name, REDACTED.encode() + b"\r\n")
                return
            cred[0] = True  # the command line itself: ProtoLog's LOGIN/AUTHENTICATE rules redact its arguments
        self.log.sent(self.log_name, data if len(data) <= _LOG_SENT_MAX else data[:_LOG_SENT_MAX])

    def log_received(self, data: bytes) -> None:
        if self.log.enabled:
            self.log.received(self.log_name, data)

    @contextmanager
    def credentials(self) -> Iterator[None]:
        """Log the command that starts a login by its shape, and everything we send after it as redacted.

        Covers a LOGIN whose user name is a literal (the password follows on the next write),
        SASL responses after continuations, and passwords whose quoting would defeat a literal
        search for the password.
        """
        self._credentials = [False]
        try:
            yield
        finally:
            self._credentials = None


class ImaplibTransport(imaplib.IMAP4):
    """imaplib's protocol engine over our :class:`Wire` (see the module docstring).

    ``tls`` (implicit TLS) wraps the socket before the greeting. STARTTLS goes through
    imaplib's own ``starttls``; assigning its TLS socket to :attr:`sock` lands in
    :meth:`Wire.replace_socket`, which refuses pre-handshake data.

    imaplib and imapclient write a command's line, literal and final CRLF separately; those
    writes are collected and sent as one when imaplib next reads (it always reads before the
    server could need more), so Nagle's algorithm never holds a lone CRLF until the server's
    delayed ACK (~40 ms a command).
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        timeout: float,
        opener: SocketFactory,
        tls: Callable[[socket.socket], ssl.SSLSocket] | None,
        make_wire: Callable[[socket.socket], Wire],
    ) -> None:
        self._opener = opener
        self._tls = tls
        self._make_wire = make_wire
        self.wire: Wire | None = None
        self._unsent: list[bytes] = []
        self.last_tagged = b""  # the last tagged completion imaplib read (the server's words for errors)
        self._greeted = False
        super().__init__(host, port, timeout)

    # imaplib calls these "overridable methods".

    def open(self, host: str = "", port: int = 143, timeout: float | None = None) -> None:
        self.host = host
        self.port = port
        raw = self._opener((host, port), timeout or 60.0)
        raw.settimeout(timeout)
        try:
            sock: socket.socket = self._tls(raw) if self._tls is not None else raw
        except BaseException:
            raw.close()
            raise
        self.wire = self._make_wire(sock)

    @property  # type: ignore[override]
    def sock(self) -> socket.socket:
        if self.wire is None or self.wire.sock is None:
            raise NetworkError("not connected")
        return self.wire.sock

    @sock.setter
    def sock(self, value: socket.socket) -> None:
        if self.wire is None:
            raise NetworkError("not connected")
        self.wire.replace_socket(value)

    def _require(self) -> Wire:
        if self.wire is None:
            raise NetworkError("not connected")
        return self.wire

    def read(self, size: int) -> bytes:
        wire = self._require()
        self.flush()
        data = wire.read_exact(size)
        wire.log_received(b"{%d bytes}" % size)
        return data

    def readline(self) -> bytes:
        wire = self._require()
        self.flush()
        line = wire.readline(keep_crlf=True)
        tagpre: bytes = self.tagpre  # type: ignore[assignment]  # bytes at run time, typeshed says str
        if line.startswith(tagpre):
            self.last_tagged = line.rstrip(b"\r\n")
        wire.log_received(line)
        return line

    def send(self, data: bytes) -> None:  # type: ignore[override]
        self._require()
        self._unsent.append(bytes(data))

    def flush(self) -> None:
        """Send what imaplib wrote since it last read, in one write."""
        if self._unsent:
            data = b"".join(self._unsent)
            self._unsent.clear()
            self._require().send(data)

    def _get_capabilities(self) -> None:
        """imaplib asks CAPABILITY after the greeting and after STARTTLS; the greeting's own list saves the
        first round trip. After STARTTLS it always asks again: nothing sent in clear is trusted."""
        listed = self.untagged_responses.pop("CAPABILITY", None)
        first, self._greeted = not self._greeted, True
        if first and listed and isinstance(listed[-1], bytes):
            self.capabilities = tuple(listed[-1].decode("ascii", "replace").upper().split())
            return
        super()._get_capabilities()  # type: ignore[misc]

    def authenticate_initial(self, mechanism: str, response_b64: bytes) -> tuple[str, bytes]:
        """AUTHENTICATE with an initial response (RFC 4959 SASL-IR): one round trip instead of two.

        imapclient's SASL logins cannot send one. Returns (``OK``/``NO``/``BAD``, the server's text).
        """
        typ, data = self._simple_command("AUTHENTICATE", mechanism, response_b64)
        if typ == "OK":
            self.state = "AUTH"
        return typ, data[-1] if data and isinstance(data[-1], bytes) else b""

    def shutdown(self) -> None:
        self._unsent.clear()
        if self.wire is not None:
            self.wire.close()
        # imaplib's STARTTLS leaves a file object on the socket (unused here), which keeps it open.
        for name in ("file", "_file"):
            f = self.__dict__.get(name)
            if f is not None:
                try:
                    f.close()
                except OSError:
                    pass

    def server_words(self) -> str:
        """The server's words in the last tagged completion (``[CODE] text`` after the tag and status)."""
        parts = self.last_tagged.split(b" ", 2)
        return parts[2].decode("utf-8", "replace") if len(parts) == 3 else ""


class QuayIMAPClient(IMAPClient):  # type: ignore[misc]
    """imapclient with our transport (``_create_IMAP4``) and an IDLE poll that sees buffered data.

    imapclient's IDLE check polls the socket; responses already in our receive buffer (read
    together with the ``+ idling`` continuation) would wait there until the next packet, so the
    poll reports them first.
    """

    def __init__(self, host: str, port: int, *, factory: Callable[[], ImaplibTransport], timeout: float) -> None:
        self._transport_factory = factory
        super().__init__(host, port=port, ssl=False, timeout=timeout)
        self.folder_encode = False  # callers pass wire names (modified UTF-7 already)
        # imapclient turns imaplib's debug output on and sends it to the logging module, LOGIN line
        # included; our protocol log (written by the wire, redacted) replaces it.
        self._imap.debug = 0
        self._imap._mesg = _quiet

    def _create_IMAP4(self) -> ImaplibTransport:
        return self._transport_factory()

    @property
    def transport(self) -> ImaplibTransport:
        imap: ImaplibTransport = self._imap
        return imap

    def remember_capabilities(self, caps: Iterable[str]) -> None:
        """Capabilities the server listed in its login answer; without them imapclient would ask again."""
        self._cached_capabilities = tuple(c.upper().encode("ascii", "replace") for c in caps)

    def _poll_socket(self, sock: Any, timeout: float | None = None) -> Any:
        if self.transport.wire is not None and self.transport.wire.has_line():
            return [(sock.fileno(), select.POLLIN)]
        return super()._poll_socket(sock, timeout)

    def _select_poll_socket(self, sock: Any, timeout: float | None = None) -> Any:
        if self.transport.wire is not None and self.transport.wire.has_line():
            return [sock]
        return super()._select_poll_socket(sock, timeout)


def _quiet(*args: object, **kwargs: object) -> None:
    """imaplib's debug printer, silenced."""


__all__ = [
    "MAX_LINE",
    "MAX_LITERAL",
    "ImaplibTransport",
    "QuayIMAPClient",
    "SocketFactory",
    "Wire",
    "default_connect",
]
