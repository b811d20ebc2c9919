"""A real TFTP server: Debian's tftpd-hpa (``in.tftpd``) in the foreground on 127.0.0.1/UDP.

Run as ``in.tftpd --foreground --listen --address 127.0.0.1:PORT --secure --create
--permissive --user USER ROOT``: paths are relative to ``root``, uploads may create
files, and the RFC 2347/2348/2349 options (``blksize``, ``tsize``, ``timeout``)
are supported.  tftpd-hpa logs to syslog only, so there is no log file.

Also a minimal blocking TFTP client (:func:`tftp_get`, :func:`tftp_put`) used for
the readiness probe and handy in tests.
"""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import struct
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pytest

from tests.servers.common import LOOPBACK, free_udp_port, is_root, record_startup

IN_TFTPD = "/usr/sbin/in.tftpd"
READY_FILE = ".quay-ready"

OP_RRQ, OP_WRQ, OP_DATA, OP_ACK, OP_ERROR, OP_OACK = 1, 2, 3, 4, 5, 6


class TftpError(Exception):
    """The server answered with a TFTP ERROR packet (``code``, ``message``)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"TFTP error {code}: {message}")
        self.code = code
        self.message = message


class TftpUnavailable(RuntimeError):
    """tftpd-hpa is not installed or cannot run here."""


def _request(opcode: int, filename: str, options: dict[str, int]) -> bytes:
    parts = [filename.encode(), b"octet"]
    for k, v in options.items():
        parts += [k.encode(), str(v).encode()]
    return struct.pack("!H", opcode) + b"\0".join(parts) + b"\0"


def _parse_oack(payload: bytes) -> dict[str, str]:
    items = payload.split(b"\0")[:-1]
    return {items[i].decode().lower(): items[i + 1].decode() for i in range(0, len(items) - 1, 2)}


def _raise_error(packet: bytes) -> None:
    code = struct.unpack("!H", packet[2:4])[0]
    raise TftpError(code, packet[4:].split(b"\0", 1)[0].decode(errors="replace"))


def tftp_get(
    host: str, port: int, filename: str, *, blksize: int | None = None, timeout: float = 2.0, retries: int = 3
) -> bytes:
    """Download ``filename`` (octet mode); raises :class:`TftpError` or ``TimeoutError``."""
    options = {"blksize": blksize} if blksize else {}
    size = 512
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        request = _request(OP_RRQ, filename, options)
        peer: tuple[str, int] | None = None
        last_sent, dest = request, (host, port)
        expected, chunks = 1, []
        tries = 0
        s.sendto(request, dest)
        while True:
            try:
                packet, addr = s.recvfrom(65536)
            except TimeoutError:
                tries += 1
                if tries > retries:
                    raise
                s.sendto(last_sent, dest)
                continue
            if peer is None:
                peer = addr
                dest = addr
            elif addr != peer:
                continue  # stray packet from another TID
            opcode = struct.unpack("!H", packet[:2])[0]
            if opcode == OP_ERROR:
                _raise_error(packet)
            if opcode == OP_OACK:
                size = int(_parse_oack(packet[2:]).get("blksize", size))
                last_sent = struct.pack("!HH", OP_ACK, 0)
                s.sendto(last_sent, dest)
                continue
            if opcode != OP_DATA:
                continue
            block = struct.unpack("!H", packet[2:4])[0]
            last_sent = struct.pack("!HH", OP_ACK, block)  # (re-)ACK, also for duplicates
            s.sendto(last_sent, dest)
            if block == expected & 0xFFFF:
                chunks.append(packet[4:])
                expected += 1
                tries = 0
                if len(packet) - 4 < size:
                    return b"".join(chunks)


def tftp_put(
    host: str,
    port: int,
    filename: str,
    data: bytes,
    *,
    blksize: int | None = None,
    timeout: float = 2.0,
    retries: int = 3,
) -> None:
    """Upload ``data`` as ``filename`` (octet mode); raises :class:`TftpError` or ``TimeoutError``."""
    options = {"blksize": blksize} if blksize else {}
    size = 512
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        last_sent, dest = _request(OP_WRQ, filename, options), (host, port)
        peer: tuple[str, int] | None = None
        block = 0  # last block sent (0 = the request)
        done_at: int | None = None
        tries = 0
        s.sendto(last_sent, dest)
        while True:
            try:
                packet, addr = s.recvfrom(65536)
            except TimeoutError:
                tries += 1
                if tries > retries:
                    raise
                s.sendto(last_sent, dest)
                continue
            if peer is None:
                peer = addr
                dest = addr
            elif addr != peer:
                continue
            opcode = struct.unpack("!H", packet[:2])[0]
            if opcode == OP_ERROR:
                _raise_error(packet)
            if opcode == OP_OACK and block == 0:
                size = int(_parse_oack(packet[2:]).get("blksize", size))
            elif opcode == OP_ACK and struct.unpack("!H", packet[2:4])[0] == block & 0xFFFF:
                if done_at is not None and block == done_at:
                    return
            else:
                continue
            tries = 0
            chunk = data[block * size : (block + 1) * size]
            block += 1
            if len(chunk) < size:
                done_at = block
            last_sent = struct.pack("!HH", OP_DATA, block & 0xFFFF) + chunk
            s.sendto(last_sent, dest)


class TftpServer:
    """tftpd-hpa serving ``root`` on ``host``:``port`` (UDP); see the module docstring."""

    def __init__(self, root: Path, *, host: str = LOOPBACK, extra_args: tuple[str, ...] = ()) -> None:
        self.root = Path(root)
        self.host = host
        self.port = free_udp_port(host)
        self.extra_args = extra_args
        self._proc: subprocess.Popen[bytes] | None = None
        self._started_once = False

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def command(self) -> list[str]:
        user = "root" if is_root() else getpass.getuser()
        return [
            IN_TFTPD, "--foreground", "--listen", "--address", f"{self.host}:{self.port}",
            "--secure", "--create", "--permissive", "--user", user, "--umask", "022",
            *self.extra_args, str(self.root),
        ]  # fmt: skip

    def start(self, timeout: float = 10.0) -> None:
        if self.running:
            return
        if not os.access(IN_TFTPD, os.X_OK) and shutil.which("in.tftpd") is None:
            raise TftpUnavailable(f"{IN_TFTPD} not installed (Debian package tftpd-hpa)")
        t0 = time.monotonic()
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / READY_FILE).write_bytes(b"ready\n")
        self._proc = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # per-request children stay in this group for stop()
        )
        deadline = time.monotonic() + timeout
        while True:
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode(errors="replace") if self._proc.stderr else ""
                self._proc = None
                raise TftpUnavailable(f"in.tftpd exited before serving: {err.strip()}")
            try:
                if tftp_get(self.host, self.port, READY_FILE, timeout=0.05, retries=0) == b"ready\n":
                    break
            except (TimeoutError, ConnectionRefusedError):  # refused: ICMP port unreachable, not bound yet
                time.sleep(0.005)
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"in.tftpd not answering on {self.host}:{self.port}/udp after {timeout}s")
        if self._proc.stderr is not None:
            self._proc.stderr.close()
        if not self._started_once:
            record_startup("tftpd-hpa", t0)
            self._started_once = True

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                proc.wait(5)
                break
            except subprocess.TimeoutExpired:
                continue
        if proc.stderr is not None and not proc.stderr.closed:
            proc.stderr.close()

    def __enter__(self) -> TftpServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"TftpServer({self.host}:{self.port}/udp root={self.root})"


@pytest.fixture(scope="session")
def tftp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TftpServer]:
    """tftpd-hpa on 127.0.0.1 serving a temp dir (``.root``); uploads allowed."""
    server = TftpServer(tmp_path_factory.mktemp("tftp"))
    try:
        server.start()
    except TftpUnavailable as e:
        pytest.skip(str(e))
    try:
        yield server
    finally:
        server.stop()
