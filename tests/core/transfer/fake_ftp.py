"""A tiny FTP server speaking the real protocol on loopback, for faults a real server cannot produce.

It serves a fixed, possibly malicious, listing (MLSD or LIST) and file
contents, answers MLST for those files, can answer PASV with a foreign
address, and connects back for active mode (PORT/EPRT).  Only used where
pyftpdlib cannot be made to misbehave; every other FTP test runs against the
real fixture in :mod:`tests.servers.ftp`.
"""

from __future__ import annotations

import posixpath
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class FakeFtpConfig:
    """What the fake server says.  ``files`` maps a full remote path to its content."""

    listing_lines: list[str] = field(default_factory=list)  # raw lines sent for MLSD/LIST of any folder
    mlsd: bool = True
    epsv: bool = True
    pasv_address: str = "127.0.0.1"  # what the 227 reply claims
    files: dict[str, bytes] = field(default_factory=dict)
    dirs: dict[str, list[str]] = field(default_factory=dict)  # path -> listing lines (overrides listing_lines)
    extra_features: list[str] = field(default_factory=list)
    replies: dict[str, str] = field(default_factory=dict)  # upper-case command -> fixed reply
    advertise_epsv: bool = True  # list EPSV in FEAT (it is answered whenever ``epsv`` is true)
    host: str = "127.0.0.1"  # or "::1"
    stor_fail_after: int | None = None  # STOR: read this many bytes, drop the data connection, answer 552
    mtimes: dict[str, str] = field(default_factory=dict)  # full path -> MLST "modify" fact (YYYYMMDDHHMMSS)


class FakeFtpServer:
    """Threaded one-connection-at-a-time FTP server on 127.0.0.1; ``commands`` records what clients sent."""

    def __init__(self, config: FakeFtpConfig) -> None:
        self.config = config
        self.commands: list[str] = []
        family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
        self._listener = socket.create_server((config.host, 0), family=family)
        self._listener.settimeout(0.1)  # so stop() is noticed promptly
        self.port: int = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        reader = conn.makefile("rb")
        data_listener: socket.socket | None = None
        cwd = "/"
        rest = 0
        family = socket.AF_INET6 if ":" in self.config.host else socket.AF_INET

        def say(text: str) -> None:
            conn.sendall(text.encode("utf-8") + b"\r\n")

        active: tuple[str, int] | None = None

        def open_data() -> socket.socket | None:
            """The data connection: accepted (passive) or made to the client's PORT/EPRT address (active)."""
            nonlocal data_listener, active
            if active is not None:
                address, active = active, None
                return socket.create_connection(address, timeout=10)
            if data_listener is None:
                return None
            data_listener.settimeout(10)
            dconn, _ = data_listener.accept()
            data_listener.close()
            data_listener = None
            return dconn

        def send_data(payload: bytes) -> None:
            if data_listener is None and active is None:
                say("425 Use PASV first")
                return
            say("150 Opening data connection")
            try:
                dconn = open_data()
            except OSError:
                say("425 Cannot open data connection")
                return
            assert dconn is not None
            with dconn:
                dconn.sendall(payload)
            say("226 Transfer complete")

        try:
            say("220 fake FTP ready")
            while True:
                raw = reader.readline()
                if not raw:
                    return
                line = raw.decode("utf-8", "surrogateescape").rstrip("\r\n")
                self.commands.append(line)
                cmd, _, arg = line.partition(" ")
                cmd = cmd.upper()
                cfg = self.config
                if cmd in cfg.replies:
                    say(cfg.replies[cmd])
                elif cmd == "USER":
                    say("331 Password required")
                elif cmd == "PASS":
                    say("230 Logged in")
                elif cmd == "FEAT":
                    feats = ["UTF8", "SIZE"] + (["MLST type*;size*;modify*;"] if cfg.mlsd else [])
                    feats += ["EPSV"] if cfg.epsv and cfg.advertise_epsv else []
                    feats += cfg.extra_features
                    say("211-Features:\r\n" + "".join(f" {f}\r\n" for f in feats) + "211 End")
                elif cmd in ("OPTS", "TYPE", "NOOP", "MODE", "STRU"):
                    say("200 OK")
                elif cmd == "SYST":
                    say("215 UNIX Type: L8")
                elif cmd == "PWD":
                    say('257 "/" is the current directory')
                elif cmd == "CWD":
                    cwd = posixpath.normpath(posixpath.join(cwd, arg))
                    say("250 OK")
                elif cmd in ("PASV", "EPSV"):
                    if cmd == "EPSV" and not cfg.epsv:
                        say("502 EPSV not implemented")
                        continue
                    if data_listener is not None:
                        data_listener.close()
                    data_listener = socket.create_server((cfg.host, 0), family=family)
                    port = data_listener.getsockname()[1]
                    if cmd == "EPSV":
                        say(f"229 Entering Extended Passive Mode (|||{port}|)")
                    else:
                        h = cfg.pasv_address.replace(".", ",")
                        say(f"227 Entering Passive Mode ({h},{port >> 8},{port & 255})")
                elif cmd == "PORT":
                    nums = [int(x) for x in arg.split(",")]
                    active = (".".join(map(str, nums[:4])), nums[4] * 256 + nums[5])
                    say("200 PORT command successful")
                elif cmd == "EPRT":
                    _, _proto, host, port_text, _ = arg.split(arg[0])
                    active = (host, int(port_text))
                    say("200 EPRT command successful")
                elif cmd == "MLST":
                    if arg in cfg.files:
                        modify = f"modify={cfg.mtimes[arg]};" if arg in cfg.mtimes else ""
                        say(f"250-Listing {arg}\r\n type=file;size={len(cfg.files[arg])};{modify} {arg}\r\n250 End")
                    else:
                        say("550 No such file")
                elif cmd in ("MLSD", "LIST", "NLST"):
                    if cmd == "MLSD" and not cfg.mlsd:
                        say("500 Unknown command")
                        continue
                    lines = cfg.dirs.get(arg or cwd, cfg.listing_lines)
                    send_data("".join(f"{ln}\r\n" for ln in lines).encode("utf-8", "surrogateescape"))
                elif cmd == "RETR":
                    if arg in cfg.files:
                        send_data(cfg.files[arg][rest:])
                        rest = 0
                    else:
                        say("550 No such file")
                elif cmd == "SIZE":
                    if arg in cfg.files:
                        say(f"213 {len(cfg.files[arg])}")
                    else:
                        say("550 No such file")
                elif cmd == "REST":
                    rest = int(arg)
                    say(f"350 Restarting at {rest}")
                elif cmd in ("STOR", "APPE"):
                    if data_listener is None and active is None:
                        say("425 Use PASV first")
                        continue
                    say("150 Ok to send data")
                    dconn = open_data()
                    assert dconn is not None
                    received = bytearray()
                    with dconn:
                        while cfg.stor_fail_after is None or len(received) < cfg.stor_fail_after:
                            chunk = dconn.recv(65536)
                            if not chunk:
                                break
                            received += chunk
                    if cfg.stor_fail_after is not None:
                        say("552 Quota exceeded")
                        continue
                    old = cfg.files.get(arg, b"")
                    base = old if cmd == "APPE" else old[:rest] if rest else b""
                    cfg.files[arg] = base + bytes(received)
                    rest = 0
                    say("226 Transfer complete")
                elif cmd == "QUIT":
                    say("221 Bye")
                    return
                else:
                    say("502 Command not implemented")
        except OSError:
            return
        finally:
            if data_listener is not None:
                data_listener.close()
            reader.close()
            conn.close()


@contextmanager
def fake_ftp(config: FakeFtpConfig) -> Iterator[FakeFtpServer]:
    server = FakeFtpServer(config)
    server.start()
    try:
        yield server
    finally:
        server.stop()
