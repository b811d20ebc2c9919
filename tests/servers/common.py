"""Helpers shared by the real-server fixtures: free ports, waiting, TLS material."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import trustme

LOOPBACK = "127.0.0.1"


def free_port(host: str = LOOPBACK) -> int:
    """Return a TCP port on ``host`` that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def free_udp_port(host: str = LOOPBACK) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def free_port_range(count: int, host: str = LOOPBACK) -> tuple[int, int]:
    """A run of ``count`` consecutive free ports (for FTP passive ranges)."""
    for _ in range(200):
        start = free_port(host)
        if start + count > 65000:
            continue
        socks = []
        try:
            for p in range(start, start + count):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                socks.append(s)
                # Ports left in TIME-WAIT by an earlier run (a benchmark) are fine for a new listener.
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((host, p))
            return start, start + count - 1
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port range")


def wait_port(
    port: int, host: str = LOOPBACK, timeout: float = 15.0, proc: subprocess.Popen[bytes] | None = None
) -> None:
    """Block until something accepts TCP connections on host:port."""
    deadline = time.monotonic() + timeout
    last: OSError | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server process exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError as e:
            last = e
            time.sleep(0.02)
    raise TimeoutError(f"nothing listening on {host}:{port} after {timeout}s: {last}")


def is_root() -> bool:
    return os.geteuid() == 0


@dataclass
class TlsMaterial:
    """A per-run CA and one server certificate for localhost / 127.0.0.1 / ::1.

    ``ca_pem`` is the CA certificate a client must trust (or the fingerprint of
    ``cert_pem`` it must pin); ``cert_pem``/``key_pem`` are the server's files;
    ``chain_pem`` is cert + key in one file (pyftpdlib wants that).
    """

    ca: trustme.CA
    dir: Path
    ca_pem: Path
    cert_pem: Path
    key_pem: Path
    chain_pem: Path

    def client_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        self.ca.configure_trust(ctx)
        return ctx

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(self.cert_pem), str(self.key_pem))
        return ctx

    def fingerprint_sha256(self) -> str:
        """Colon-separated upper-case hex, as ``openssl x509 -fingerprint -sha256`` prints."""
        import hashlib

        der = ssl.PEM_cert_to_DER_cert(self.cert_pem.read_text())
        h = hashlib.sha256(der).hexdigest().upper()
        return ":".join(h[i : i + 2] for i in range(0, len(h), 2))


def make_tls(directory: Path) -> TlsMaterial:
    directory.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name="Quay test CA")
    leaf = ca.issue_cert("localhost", "127.0.0.1", "::1")
    ca_pem = directory / "ca.pem"
    cert_pem = directory / "cert.pem"
    key_pem = directory / "key.pem"
    chain_pem = directory / "chain.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    leaf.cert_chain_pems[0].write_to_path(str(cert_pem))
    leaf.private_key_pem.write_to_path(str(key_pem))
    chain_pem.write_bytes(leaf.private_key_and_cert_chain_pem.bytes())
    for p in (ca_pem, cert_pem, key_pem, chain_pem):
        os.chmod(p, 0o644)
    os.chmod(directory, 0o755)
    return TlsMaterial(ca, directory, ca_pem, cert_pem, key_pem, chain_pem)


# Server name -> seconds its start() took; printed at the end of the test run.
STARTUP_TIMES: dict[str, float] = {}


def record_startup(name: str, started_at: float) -> None:
    STARTUP_TIMES[name] = round(time.monotonic() - started_at, 3)
