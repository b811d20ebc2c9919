"""TLS: client contexts, certificate pins (host:port -> SHA-256 fingerprint), error explanations.

Policy: certificates are verified against the system store. When verification
fails, callers raise :class:`TlsError` carrying :class:`CertificateInfo`
(fetched with :func:`fetch_server_certificate`) so the user can inspect it and
pin that exact fingerprint. A pinned host:port accepts only the pinned
certificate, whatever its chain says.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.core.errors import CertificateInfo, NetworkError, QuayError, StartTlsUnavailable, TlsError
from app.core.fileio import atomic_write

__all__ = [
    "BadFingerprint",
    "CertificateInfo",
    "PinStore",
    "TlsPolicy",
    "certificate_info_dict",
    "der_fingerprint",
    "explain_verification_failure",
    "fetch_server_certificate",
    "format_fingerprint",
    "normalize_fingerprint",
]

log = logging.getLogger(__name__)

StartTlsProtocol = Literal["imap", "pop3", "smtp", "ftp"]

_HEX_RE = r"^[0-9a-f]{64}$"  # compiled on first use (re's cache): start-up


class BadFingerprint(QuayError, ValueError):
    """A typed or stored certificate fingerprint is not 64 hex digits."""


def normalize_fingerprint(fp: str) -> str:
    """Accept ``AB:CD:...`` (openssl's form), plain hex, optional ``SHA256:``/``sha256=`` prefix.

    Returns 64 lower-case hex digits; raises :class:`BadFingerprint` for anything else.
    """
    s = fp.strip()
    for prefix in ("sha256 fingerprint=", "sha256=", "sha256:"):
        if s.lower().startswith(prefix):
            s = s[len(prefix) :]
    s = s.replace(":", "").replace(" ", "").lower()
    if not re.match(_HEX_RE, s):
        raise BadFingerprint("A SHA-256 fingerprint is 64 hex digits, optionally colon-separated.")
    return s


def format_fingerprint(hex64: str) -> str:
    """Colon-separated upper-case hex, as ``openssl x509 -noout -fingerprint -sha256`` prints it."""
    h = normalize_fingerprint(hex64).upper()
    return ":".join(h[i : i + 2] for i in range(0, len(h), 2))


def der_fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


class PinStore:
    """Certificate exceptions the user accepted: ``host:port`` -> fingerprint, in a JSON file.

    Thread-safe; writes are atomic and fsynced (:func:`~app.core.fileio.atomic_write`). An
    unreadable file pins nothing (so those servers are verified normally, never trusted blindly)
    and is kept aside as ``*.unreadable`` before the first new pin replaces it.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._pins: dict[str, str] = {}
        self._unreadable = False
        if path is not None and path.exists():
            try:
                data = json.loads(path.read_text("utf-8"))
                self._pins = {str(k): normalize_fingerprint(str(v)) for k, v in data.items()}
            except (ValueError, OSError, AttributeError) as e:
                log.warning("certificate pins in %s are unreadable (%s); none are used", path, type(e).__name__)
                self._pins = {}
                self._unreadable = True

    @staticmethod
    def _key(host: str, port: int) -> str:
        return f"{host.lower()}:{port}"

    def get(self, host: str, port: int) -> str | None:
        with self._lock:
            return self._pins.get(self._key(host, port))

    def pin(self, host: str, port: int, fingerprint: str) -> None:
        with self._lock:
            self._pins[self._key(host, port)] = normalize_fingerprint(fingerprint)
            self._save()

    def unpin(self, host: str, port: int) -> None:
        with self._lock:
            self._pins.pop(self._key(host, port), None)
            self._save()

    def all(self) -> dict[str, str]:
        with self._lock:
            return dict(self._pins)

    def _save(self) -> None:
        if self._path is None:
            return
        if self._unreadable:
            try:
                os.replace(self._path, self._path.with_name(self._path.name + ".unreadable"))
            except OSError:
                pass
            self._unreadable = False
        atomic_write(self._path, json.dumps(self._pins, indent=2, sort_keys=True), what="the certificate pins")


@dataclass
class TlsPolicy:
    """How to verify one server: system trust (plus optional extra CA file) or a pinned fingerprint."""

    host: str
    port: int
    pinned: str | None = None  # lower-case hex
    cafile: str | None = None  # extra trust anchors (tests, corporate CAs)

    def context(self) -> ssl.SSLContext:
        """A client context: verifying, or (when pinned) accepting any chain to be checked by :meth:`check`."""
        if self.pinned:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        else:
            ctx = ssl.create_default_context(cafile=self.cafile)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        return ctx

    def check(self, sslobj: ssl.SSLSocket | ssl.SSLObject) -> None:
        """After the handshake: enforce the pin. Raise TlsError on mismatch."""
        if not self.pinned:
            return
        der = sslobj.getpeercert(binary_form=True)
        if der is None:
            raise TlsError("The server sent no certificate.", reason="no certificate", host=self.host, port=self.port)
        fp = der_fingerprint(der)
        if fp != self.pinned:
            info = CertificateInfo.from_der(der, self.host, self.port)
            raise TlsError(
                f"The certificate of {self.host}:{self.port} changed: it is no longer the one you accepted "
                f"({format_fingerprint(self.pinned)}), now {info.fingerprint_display}.",
                certificate=info,
                reason="pinned fingerprint mismatch",
                operation="tls",
            )

    @classmethod
    def for_server(
        cls, host: str, port: int, pins: PinStore | None = None, *, pin: str | None = None, cafile: str | None = None
    ) -> TlsPolicy:
        chosen = normalize_fingerprint(pin) if pin else (pins.get(host, port) if pins else None)
        return cls(host, port, chosen, cafile)


def _recv_line(sock: socket.socket, limit: int = 65536) -> bytes:
    buf = bytearray()
    while not buf.endswith(b"\n"):
        ch = sock.recv(1)
        if not ch:
            break
        buf += ch
        if len(buf) > limit:
            break
    return bytes(buf)


def _starttls_preamble(sock: socket.socket, proto: StartTlsProtocol) -> None:
    """Speak just enough of each protocol to reach the TLS handshake."""
    if proto == "imap":
        _recv_line(sock)
        sock.sendall(b"q1 STARTTLS\r\n")
        while True:
            line = _recv_line(sock)
            if not line:
                raise StartTlsUnavailable("The server closed the connection before STARTTLS.")
            if line.startswith(b"q1 "):
                if not line[3:].upper().startswith(b"OK"):
                    raise StartTlsUnavailable("The server refused STARTTLS.")
                return
    elif proto == "pop3":
        _recv_line(sock)
        sock.sendall(b"STLS\r\n")
        if not _recv_line(sock).startswith(b"+OK"):
            raise StartTlsUnavailable("The server refused STLS.")
    elif proto == "smtp":
        line = _recv_line(sock)
        while line[3:4] == b"-":
            line = _recv_line(sock)
        sock.sendall(b"EHLO quay.invalid\r\n")
        line = _recv_line(sock)
        while line[3:4] == b"-":
            line = _recv_line(sock)
        sock.sendall(b"STARTTLS\r\n")
        if not _recv_line(sock).startswith(b"220"):
            raise StartTlsUnavailable("The server refused STARTTLS.")
    elif proto == "ftp":
        line = _recv_line(sock)
        while line[3:4] == b"-":
            line = _recv_line(sock)
        sock.sendall(b"AUTH TLS\r\n")
        if not _recv_line(sock).startswith(b"234"):
            raise StartTlsUnavailable("The server refused AUTH TLS.")


def fetch_server_certificate(
    host: str,
    port: int,
    starttls: StartTlsProtocol | None = None,
    *,
    timeout: float = 15.0,
    connect: Callable[[tuple[str, int], float], socket.socket] | None = None,
) -> CertificateInfo:
    """Connect without verifying, only to show the user what certificate the server presents."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    opener = connect or (lambda addr, t: socket.create_connection(addr, timeout=t))
    try:
        raw = opener((host, port), timeout)
    except OSError as e:
        raise NetworkError(
            f"Could not connect to {host}:{port}: {e.strerror or e}", host=host, port=port, operation="connect"
        ) from e
    try:
        if starttls:
            _starttls_preamble(raw, starttls)
        with ctx.wrap_socket(raw, server_hostname=host) as s:
            der = s.getpeercert(binary_form=True)
    except ssl.SSLError as e:
        raise TlsError(
            f"TLS handshake with {host}:{port} failed: {e.reason or e}", host=host, port=port, operation="tls"
        ) from e
    except OSError as e:
        raise NetworkError(f"Connection to {host}:{port} failed: {e}", host=host, port=port, operation="tls") from e
    finally:
        raw.close()
    if der is None:
        raise TlsError(f"{host}:{port} presented no certificate.", host=host, port=port, operation="tls")
    return CertificateInfo.from_der(der, host, port)


def explain_verification_failure(
    exc: ssl.SSLError,
    host: str,
    port: int,
    starttls: StartTlsProtocol | None = None,
    *,
    connect: Callable[[tuple[str, int], float], socket.socket] | None = None,
) -> TlsError:
    """Turn a handshake failure into a TlsError carrying the certificate (when we can fetch it)."""
    reason = getattr(exc, "verify_message", None) or getattr(exc, "reason", None) or str(exc)
    cert: CertificateInfo | None = None
    if isinstance(exc, ssl.SSLCertVerificationError):
        try:
            cert = fetch_server_certificate(host, port, starttls, connect=connect)
        except (TlsError, NetworkError):
            cert = None
    if cert is not None:
        msg = (
            f"The certificate of {host}:{port} is not trusted ({reason}). "
            f"Subject: {cert.subject}; issuer: {cert.issuer}; valid {cert.not_before} to {cert.not_after}; "
            f"SHA-256 fingerprint {cert.fingerprint_display}. "
            "If you trust it, accept (pin) this exact fingerprint."
        )
    else:
        msg = f"TLS with {host}:{port} failed: {reason}"
    return TlsError(msg, certificate=cert, reason=str(reason), host=host, port=port, operation="tls")


def certificate_info_dict(info: CertificateInfo) -> dict[str, object]:
    """The certificate as JSON-able data (``--json`` output, the UI's certificate dialog)."""
    return info.as_dict()
