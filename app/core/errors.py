"""Errors named for whose fault they are.

Each also inherits from the built-in exception it resembles, so generic
handlers (``except OSError``) still work. Messages never contain secrets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.tls import CertificateInfo


class QuayError(Exception):
    """Base of every error Quay reports to the user."""


class AuthError(QuayError, PermissionError):
    """The server refused our credentials (wrong user or password, locked account)."""


class NetworkError(QuayError, ConnectionError):
    """The network or the server went away: refused, reset, timed out, dropped."""


class TlsError(QuayError, ConnectionError):
    """A TLS handshake failed or the certificate was not trusted.

    ``certificate`` describes the server's certificate when we saw one, so the
    UI can show it and offer to pin its fingerprint; ``reason`` says why.
    """

    def __init__(self, message: str, *, certificate: CertificateInfo | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.certificate = certificate
        self.reason = reason or message


class StartTlsUnavailable(TlsError):
    """The account requires STARTTLS but the server did not offer it (possible stripping attack)."""


class PlaintextAuthRefused(QuayError, ConnectionError):
    """A password would go over an unencrypted connection and the user has not allowed that."""


class ServerError(QuayError):
    """The server answered with an error; ``reply`` holds its words."""

    def __init__(self, message: str, *, reply: str = "", code: int | None = None) -> None:
        super().__init__(message)
        self.reply = reply
        self.code = code


class ProtocolError(ServerError):
    """The server sent something that breaks the protocol (malformed response)."""


class LocalIOError(QuayError, OSError):
    """Writing or reading locally failed: disk full, permission denied, path unsafe. ``path`` names the file."""

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class UnsafePathError(LocalIOError):
    """A remote name would map outside the folder the user chose."""


class BadUrl(QuayError, ValueError):
    """The user gave a URL we cannot use. ``url`` is the URL with any password masked."""

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.url = url


class UnknownSecurity(QuayError, ValueError):
    """A record or URL names a connection security we do not know (refused, never guessed as plaintext)."""

    def __init__(self, message: str, *, value: str = "") -> None:
        super().__init__(message)
        self.value = value


class Cancelled(QuayError):
    """The user cancelled the operation."""


class Bug(QuayError, RuntimeError):
    """Our fault: an internal invariant broke."""


@dataclass(frozen=True)
class HostKeyInfo:
    """An SSH host key as shown to the user."""

    host: str
    port: int
    key_type: str
    fingerprint_sha256: str  # "SHA256:base64" as ssh-keygen -l prints


class UnknownHostKey(QuayError, ConnectionError):
    """The SSH server's key is not known yet: ask the user whether to trust it."""

    def __init__(self, info: HostKeyInfo) -> None:
        super().__init__(f"Unknown host key for {info.host}:{info.port}: {info.key_type} {info.fingerprint_sha256}")
        self.info = info


class HostKeyChanged(QuayError, ConnectionError):
    """The SSH server's key differs from the one we know: refuse (possible attack)."""

    def __init__(self, info: HostKeyInfo, known_fingerprint: str) -> None:
        super().__init__(
            f"HOST KEY CHANGED for {info.host}:{info.port}: now {info.key_type} {info.fingerprint_sha256}, "
            f"expected {known_fingerprint}. Someone may be intercepting the connection. "
            "Remove the old key explicitly if the change is legitimate."
        )
        self.info = info
        self.known_fingerprint = known_fingerprint
