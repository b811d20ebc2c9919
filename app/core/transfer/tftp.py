"""TFTP client (RFC 1350) with option negotiation (RFC 2347): blksize (RFC 2348), tsize and timeout (RFC 2349).

TFTP has no folders, log-in, listing, resume or rename: those operations
raise :class:`NotSupported`.  A download with an ``offset`` fetches the whole
file and skips the first ``offset`` bytes (the protocol cannot start in the
middle); an upload cannot resume.

Reliability is lock-step: every DATA is acknowledged before the next is sent.
On a timeout the last packet we sent is retransmitted, ``retries`` times; a
duplicate DATA is re-acknowledged (our ACK was lost), a duplicate ACK is
ignored (never answered with another DATA: the "Sorcerer's Apprentice" bug,
RFC 1123 section 4.2.3.1).  Packets from a foreign port are answered with
ERROR 5 and otherwise ignored (RFC 1350 section 4).
"""

from __future__ import annotations

import io
import math
import os
import socket
import struct
import threading
from collections.abc import Callable
from typing import BinaryIO

from app.core.errors import Cancelled, LocalIOError, NetworkError, ProtocolError, ServerError
from app.core.transfer.base import (
    NotSupported,
    ProgressCallback,
    RateLimitedProgress,
    RemoteEntry,
    RemoteNoSpace,
    RemoteSession,
)

OP_RRQ, OP_WRQ, OP_DATA, OP_ACK, OP_ERROR, OP_OACK = 1, 2, 3, 4, 5, 6
DEFAULT_BLKSIZE = 512
MIN_BLKSIZE, MAX_BLKSIZE = 8, 65464

ERROR_TEXT = {
    0: "error",
    1: "file not found",
    2: "access violation",
    3: "disk full or allocation exceeded",
    4: "illegal TFTP operation",
    5: "unknown transfer ID",
    6: "file already exists",
    7: "no such user",
    8: "option negotiation refused",
}


class TftpError(ServerError):
    """The TFTP server sent an ERROR packet; ``tftp_code`` is its error code (1 = file not found...)."""

    def __init__(self, message: str, *, tftp_code: int, reply: str = "") -> None:
        super().__init__(message, reply=reply, code=None)
        self.tftp_code = tftp_code


class _OptionsRefused(Exception):
    """Internal: the server refused our options (ERROR 8); retry the request without them."""


def build_request(opcode: int, filename: str, mode: str, options: dict[str, int]) -> bytes:
    """RRQ/WRQ packet: opcode, file name, mode, then option/value pairs, all NUL-terminated."""
    parts = [filename.encode("utf-8", "surrogateescape"), mode.encode("ascii")]
    for key, value in options.items():
        parts += [key.encode("ascii"), str(value).encode("ascii")]
    for p in parts:
        if b"\0" in p:
            raise ProtocolError(f"TFTP file name contains a NUL byte: {filename!r}")
    return struct.pack("!H", opcode) + b"".join(p + b"\0" for p in parts)


def parse_oack(payload: bytes) -> dict[str, str]:
    """OACK body -> {option (lower-case): value}; malformed trailing items are dropped."""
    items = payload.split(b"\0")
    out: dict[str, str] = {}
    for i in range(0, len(items) - 1, 2):
        key = items[i].decode("ascii", "replace").lower()
        if key:
            out[key] = items[i + 1].decode("ascii", "replace")
    return out


def parse_error(packet: bytes) -> tuple[int, str]:
    """ERROR packet -> (code, message)."""
    code = struct.unpack("!H", packet[2:4])[0] if len(packet) >= 4 else 0
    message = packet[4:].split(b"\0", 1)[0].decode("utf-8", "replace")
    return code, message


def _error_packet(code: int, message: str) -> bytes:
    return struct.pack("!HH", OP_ERROR, code) + message.encode("utf-8") + b"\0"


def _remaining_size(local: BinaryIO, start: int | None) -> int | None:
    """Bytes left to read in ``local`` (for the tsize option), or None when it cannot be known."""
    try:
        return os.fstat(local.fileno()).st_size - (start or 0)
    except (OSError, AttributeError, ValueError):
        pass
    if start is None:
        return None
    try:
        end = local.seek(0, os.SEEK_END)
        local.seek(start)
    except OSError:
        return None
    return end - start


class _Exchange:
    """The socket of one TFTP transfer: lock-step sends, retransmission on timeout, the server's transfer ID.

    The first packet from the server's address fixes its port (its transfer
    ID); packets from anywhere else are ignored, and a foreign port of the
    server gets ERROR 5 (RFC 1350 section 4).  An ERROR packet raises.
    """

    def __init__(self, session: TftpSession, sock: socket.socket, server: tuple[str, int], what: str) -> None:
        self._session = session
        self.sock = sock
        self.server = server
        self.dest = server
        self.peer: tuple[str, int] | None = None
        self.what = what
        self._last_sent = b""
        self._tries = 0

    def send(self, packet: bytes, *, retransmit: bool = False) -> None:
        """Send the next packet of the exchange (what a timeout resends), or re-send an old one."""
        if not retransmit:
            self._last_sent = packet
            self._tries = 0
        self._session._send(self.sock, packet, self.dest, self.what)

    def abort(self, code: int, message: str) -> None:
        """Tell the server we stop (best effort: it times out otherwise)."""
        if self.peer is not None:
            TftpSession._send_quietly(self.sock, _error_packet(code, message), self.peer)

    def receive(self, cancel: threading.Event | None) -> tuple[int, bytes]:
        """The next packet from the server's transfer ID, as (opcode, packet)."""
        s = self._session
        while True:
            if cancel is not None and cancel.is_set():
                self.abort(0, "cancelled by the user")
                raise Cancelled(f"{self.what}: cancelled")
            try:
                packet, addr = self.sock.recvfrom(MAX_BLKSIZE + 4)
            except TimeoutError:
                self._tries += 1
                if self._tries > s.retries:
                    raise NetworkError(
                        f"{self.what}: no answer from {s.host}:{s.port} after {self._tries} tries"
                    ) from None
                s._send(self.sock, self._last_sent, self.dest, self.what)
                continue
            except OSError as e:
                raise NetworkError(f"{self.what}: {e}") from e
            if self.peer is None:
                if addr[0] != self.server[0]:
                    continue  # not from the server we asked
                self.peer = self.dest = addr[:2]  # the server's transfer ID (a new port)
            elif addr[:2] != self.peer:
                TftpSession._send_quietly(self.sock, _error_packet(5, "unknown transfer ID"), addr)
                continue
            if len(packet) < 4:
                continue
            opcode = int(struct.unpack("!H", packet[:2])[0])
            if opcode == OP_ERROR:
                s._raise_error(packet, self.what)
            return opcode, packet


class TftpSession(RemoteSession):
    """Blocking TFTP transfers to one server; see the module docstring for what TFTP cannot do.

    ``blksize`` None keeps RFC 1350's 512-byte blocks without negotiation;
    otherwise it is requested (1468 fits an Ethernet frame; larger values go
    faster on loopback or jumbo frames).  ``timeout`` is the retransmission
    timeout in seconds and is also offered to the server (rounded up).
    """

    protocol = "tftp"

    def __init__(
        self,
        host: str,
        port: int = 69,
        *,
        blksize: int | None = 1468,
        timeout: float = 1.0,
        retries: int = 5,
        tsize: bool = True,
        negotiate_timeout: bool = True,
        make_socket: Callable[[int], socket.socket] | None = None,
    ) -> None:
        if blksize is not None and not MIN_BLKSIZE <= blksize <= MAX_BLKSIZE:
            raise ValueError(f"blksize must be {MIN_BLKSIZE}..{MAX_BLKSIZE}")
        self.host = host
        self.port = port
        self.blksize = blksize
        self.timeout = timeout
        self.retries = retries
        self.tsize = tsize
        self.negotiate_timeout = negotiate_timeout
        #: make_socket(family) -> an unbound UDP socket; tests may substitute a lossy one.
        self._make_socket = make_socket or (lambda family: socket.socket(family, socket.SOCK_DGRAM))
        self._address: tuple[int, tuple[str, int]] | None = None
        #: Options the server accepted in the last transfer (e.g. {"blksize": "1468", "tsize": "1234"}).
        self.last_options: dict[str, str] = {}

    # --- session ----------------------------------------------------------------------

    def __enter__(self) -> TftpSession:
        self.connect()
        return self

    def connect(self) -> None:
        """Resolve the server address (TFTP has no connection to open)."""
        try:
            infos = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_DGRAM)
        except OSError as e:
            raise NetworkError(f"Cannot resolve {self.host}: {e}") from e
        family, _, _, _, sockaddr = infos[0]
        self._address = (family, (str(sockaddr[0]), int(sockaddr[1])))

    def close(self) -> None:
        self._address = None

    def _server(self) -> tuple[int, tuple[str, int]]:
        if self._address is None:
            self.connect()
        assert self._address is not None
        return self._address

    def _options(self, tsize: int | None) -> dict[str, int]:
        opts: dict[str, int] = {}
        if self.blksize is not None and self.blksize != DEFAULT_BLKSIZE:
            opts["blksize"] = self.blksize
        if self.tsize and tsize is not None:
            opts["tsize"] = tsize
        if self.negotiate_timeout:
            opts["timeout"] = max(1, min(255, math.ceil(self.timeout)))
        return opts

    def _raise_error(self, packet: bytes, what: str) -> None:
        code, message = parse_error(packet)
        if code == 8:
            raise _OptionsRefused(message)
        text = f"{what}: {ERROR_TEXT.get(code, 'error')} ({message})" if message else f"{what}: {ERROR_TEXT.get(code)}"
        if code == 3:
            raise RemoteNoSpace(text, reply=message)
        raise TftpError(text, tftp_code=code, reply=message)

    def _accepted_blksize(self, oack: dict[str, str], requested: dict[str, int]) -> int:
        if "blksize" not in oack:
            return DEFAULT_BLKSIZE
        try:
            size = int(oack["blksize"])
        except ValueError as e:
            raise ProtocolError(f"{self.host} sent a malformed blksize {oack['blksize']!r}") from e
        if not MIN_BLKSIZE <= size <= requested.get("blksize", DEFAULT_BLKSIZE):
            raise ProtocolError(f"{self.host} answered blksize {size}, more than the {requested.get('blksize')} asked")
        return size

    # --- transfers --------------------------------------------------------------------

    def download(
        self,
        remote: str,
        local: BinaryIO,
        *,
        offset: int = 0,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> int:
        """RRQ ``remote``; bytes before ``offset`` are received but not written. Returns bytes written."""
        try:
            return self._get(remote, local, offset, progress, cancel, self._options(0))
        except _OptionsRefused:
            return self._get(remote, local, offset, progress, cancel, {})

    def _get(
        self,
        remote: str,
        local: BinaryIO,
        offset: int,
        progress: ProgressCallback | None,
        cancel: threading.Event | None,
        options: dict[str, int],
        *,
        stat_only: bool = False,
    ) -> int:
        what = f"TFTP get {remote}"
        family, server = self._server()
        ticker = RateLimitedProgress(progress)
        self.last_options = {}
        with self._make_socket(family) as sock:
            sock.settimeout(self.timeout)
            x = _Exchange(self, sock, server, what)
            blksize = DEFAULT_BLKSIZE
            expected = 1
            position = 0  # bytes of the file received so far
            written = 0
            x.send(build_request(OP_RRQ, remote, "octet", options))
            while True:
                opcode, packet = x.receive(cancel)
                if opcode == OP_OACK and expected == 1:
                    self.last_options = parse_oack(packet[2:])
                    blksize = self._accepted_blksize(self.last_options, options)
                    if stat_only:
                        x.abort(0, "size query only")
                        return int(self.last_options.get("tsize", -1))
                    x.send(struct.pack("!HH", OP_ACK, 0))
                    continue
                if opcode != OP_DATA:
                    continue
                if stat_only:
                    x.abort(0, "size query only")
                    return -1
                block = struct.unpack("!H", packet[2:4])[0]
                if block != expected & 0xFFFF:
                    if block == (expected - 1) & 0xFFFF:
                        x.send(struct.pack("!HH", OP_ACK, block), retransmit=True)  # our ACK was lost
                    continue
                data = memoryview(packet)[4:]
                if position + len(data) > offset:
                    skip = max(0, offset - position)
                    try:
                        local.write(data[skip:])
                    except OSError as e:
                        x.abort(3, "local write failed")
                        raise LocalIOError(f"{what}: writing the local file failed: {e.strerror or e}") from e
                    written += len(data) - skip
                position += len(data)
                x.send(struct.pack("!HH", OP_ACK, block))
                expected += 1
                ticker.tick(written)
                if len(data) < blksize:
                    ticker.finish(written)
                    return written

    def upload(
        self,
        local: BinaryIO,
        remote: str,
        *,
        offset: int = 0,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> int:
        """WRQ ``remote`` with the rest of ``local``; TFTP cannot resume, so ``offset`` must be 0."""
        if offset:
            raise NotSupported("TFTP cannot resume an upload")
        start = local.tell() if local.seekable() else None
        size = _remaining_size(local, start)
        try:
            return self._put(local, remote, progress, cancel, self._options(size))
        except _OptionsRefused:
            if start is None:
                raise NotSupported("the server refused TFTP options and the local file cannot rewind") from None
            local.seek(start)
            return self._put(local, remote, progress, cancel, {})

    def _put(
        self,
        local: BinaryIO,
        remote: str,
        progress: ProgressCallback | None,
        cancel: threading.Event | None,
        options: dict[str, int],
    ) -> int:
        what = f"TFTP put {remote}"
        family, server = self._server()
        ticker = RateLimitedProgress(progress)
        self.last_options = {}
        with self._make_socket(family) as sock:
            sock.settimeout(self.timeout)
            x = _Exchange(self, sock, server, what)
            blksize = DEFAULT_BLKSIZE
            block = 0  # the block whose ACK we wait for (0 = the request)
            final_block: int | None = None
            sent = 0
            x.send(build_request(OP_WRQ, remote, "octet", options))
            while True:
                opcode, packet = x.receive(cancel)
                if opcode == OP_OACK and block == 0:
                    self.last_options = parse_oack(packet[2:])
                    blksize = self._accepted_blksize(self.last_options, options)
                elif opcode == OP_ACK and struct.unpack("!H", packet[2:4])[0] == block & 0xFFFF:
                    if final_block is not None and block == final_block:
                        ticker.finish(sent)
                        return sent
                else:
                    continue  # duplicate ACK or stray packet: never resend on it (Sorcerer's Apprentice)
                try:
                    chunk = local.read(blksize)
                except OSError as e:
                    x.abort(0, "local read failed")
                    raise LocalIOError(f"{what}: reading the local file failed: {e.strerror or e}") from e
                block += 1
                if len(chunk) < blksize:
                    final_block = block
                x.send(struct.pack("!HH", OP_DATA, block & 0xFFFF) + chunk)
                sent += len(chunk)
                ticker.tick(sent)

    def _send(self, sock: socket.socket, packet: bytes, dest: tuple[str, int], what: str) -> None:
        try:
            sock.sendto(packet, dest)
        except OSError as e:
            raise NetworkError(f"{what}: sending to {dest[0]}:{dest[1]} failed: {e}") from e

    @staticmethod
    def _send_quietly(sock: socket.socket, packet: bytes, dest: tuple[str, int]) -> None:
        try:
            sock.sendto(packet, dest)
        except OSError:
            pass

    # --- what TFTP cannot do, and a size query it can ----------------------------------------

    def listdir(self, path: str) -> list[RemoteEntry]:
        raise NotSupported("TFTP has no directory listings")

    def stat(self, path: str) -> RemoteEntry | None:
        """Ask for the size with an RRQ carrying ``tsize 0`` and abort after the OACK; None when not found.

        Servers without option support give a file entry of unknown size.
        """
        name = path.rstrip("/").rsplit("/", 1)[-1] or path
        try:
            size = self._get(path, io.BytesIO(), 0, None, None, {"tsize": 0}, stat_only=True)
        except TftpError as e:
            if e.tftp_code == 1:
                return None
            raise
        except _OptionsRefused:
            size = -1
        return RemoteEntry(name=name, kind="file", size=size if size >= 0 else None)
