"""Errors named for whose fault they are, with the facts the UI needs next to their English text.

Each also inherits from the built-in exception it resembles, so generic
handlers (``except OSError``) still work. Messages never contain secrets.

Every :class:`QuayError` may carry ``host``, ``port`` and ``operation``
(``"connect"``, ``"login"``, ``"list"``, ...): whoever raises it fills in what
it knows, and :meth:`QuayError.with_context` lets the layer above (the
services, which know the saved record) fill in the rest. Subclasses add their
own facts: the server's ``reply``, the ``certificate``, the host key ``info``,
the local ``path``. :meth:`QuayError.fields` returns all of them as plain data,
which is what ``app/ui/errors.py`` turns into a translated sentence and what
the CLI prints with ``--json``. This module imports nothing from the rest of
Quay (``tls.py`` imports it, not the other way round).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Self, TypedDict, Unpack


class ErrorContext(TypedDict, total=False):
    """Where an error happened: the server and the step that failed."""

    host: str
    port: int
    operation: str


class QuayError(Exception):
    """Base of every error Quay reports to the user."""

    host: str | None = None
    port: int | None = None
    operation: str | None = None

    def __init__(self, message: str = "", **context: Unpack[ErrorContext]) -> None:
        super().__init__(message)
        self.host = context.get("host")
        self.port = context.get("port")
        self.operation = context.get("operation")

    def with_context(self, *, host: str | None = None, port: int | None = None, operation: str | None = None) -> Self:
        """Fill in the facts the raiser did not know; what it did set is kept. Returns ``self``."""
        if self.host is None and host:
            self.host = host
        if self.port is None and port:
            self.port = port
        if self.operation is None and operation:
            self.operation = operation
        return self

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def fields(self) -> dict[str, Any]:
        """Everything structured about this error, as JSON-able data (no secrets, ever)."""
        out: dict[str, Any] = {"type": type(self).__name__, "message": self.message}
        for name in ("host", "port", "operation"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        out.update(self._extra_fields())
        return out

    def _extra_fields(self) -> dict[str, Any]:
        return {}


class AuthError(QuayError, PermissionError):
    """The server refused our credentials (wrong user or password, locked account)."""


class MissingPassword(QuayError, PermissionError):
    """A password is needed and none was found: none saved, none given, nobody to ask.

    ``protocol``, ``user``, ``host``, ``port`` name the account; ``keyring_available`` says
    whether a system keyring exists to save one in (if not, it must be asked for each session).
    """

    def __init__(
        self,
        message: str,
        *,
        protocol: str = "",
        user: str = "",
        keyring_available: bool = True,
        **context: Unpack[ErrorContext],
    ) -> None:
        super().__init__(message, **context)
        self.protocol = protocol
        self.user = user
        self.keyring_available = keyring_available

    def _extra_fields(self) -> dict[str, Any]:
        return {"protocol": self.protocol, "user": self.user, "keyring_available": self.keyring_available}


class PlaintextAuthRefused(QuayError, ConnectionError):
    """Credentials would travel unencrypted and the user did not allow that (the account's settings).

    The one definition: every protocol (IMAP, POP3, SMTP, FTP) raises this, and the services
    raise it before connecting when a record's security is ``none`` without the user's consent.
    """

    def __init__(self, message: str, *, protocol: str = "", **context: Unpack[ErrorContext]) -> None:
        super().__init__(message, **context)
        self.protocol = protocol

    def _extra_fields(self) -> dict[str, Any]:
        return {"protocol": self.protocol}


class NetworkError(QuayError, ConnectionError):
    """The network or the server went away: refused, reset, timed out, dropped."""


@dataclass(frozen=True)
class CertificateInfo:
    """What the user needs to decide about a certificate."""

    host: str
    port: int
    subject: str
    issuer: str
    not_before: str
    not_after: str
    fingerprint_sha256: str  # lower-case hex, 64 digits
    self_signed: bool

    @property
    def fingerprint_display(self) -> str:
        """Colon-separated upper-case hex, as ``openssl x509 -noout -fingerprint -sha256`` prints it."""
        h = self.fingerprint_sha256.upper()
        return ":".join(h[i : i + 2] for i in range(0, len(h), 2))

    @classmethod
    def from_der(cls, der: bytes, host: str, port: int) -> CertificateInfo:
        import hashlib

        from cryptography import x509

        cert = x509.load_der_x509_certificate(der)
        return cls(
            host=host,
            port=port,
            subject=cert.subject.rfc4514_string(),
            issuer=cert.issuer.rfc4514_string(),
            not_before=cert.not_valid_before_utc.isoformat(),
            not_after=cert.not_valid_after_utc.isoformat(),
            fingerprint_sha256=hashlib.sha256(der).hexdigest(),
            self_signed=cert.subject == cert.issuer,
        )

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["fingerprint_display"] = self.fingerprint_display
        return d


class TlsError(QuayError, ConnectionError):
    """A TLS handshake failed or the certificate was not trusted.

    ``certificate`` describes the server's certificate when we saw one, so the
    UI can show it and offer to pin its fingerprint; ``reason`` says why.
    """

    def __init__(
        self,
        message: str,
        *,
        certificate: CertificateInfo | None = None,
        reason: str = "",
        **context: Unpack[ErrorContext],
    ) -> None:
        if certificate is not None:
            context.setdefault("host", certificate.host)
            context.setdefault("port", certificate.port)
        super().__init__(message, **context)
        self.certificate = certificate
        self.reason = reason or message

    def _extra_fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {"reason": self.reason}
        if self.certificate is not None:
            out["certificate"] = self.certificate.as_dict()
        return out


class StartTlsUnavailable(TlsError):
    """The account requires STARTTLS but the server did not offer it (possible stripping attack)."""


class ServerError(QuayError):
    """The server answered with an error; ``reply`` holds its words."""

    def __init__(
        self, message: str, *, reply: str = "", code: int | None = None, **context: Unpack[ErrorContext]
    ) -> None:
        super().__init__(message, **context)
        self.reply = reply
        self.code = code

    def _extra_fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {"reply": self.reply}
        if self.code is not None:
            out["code"] = self.code
        return out


class ProtocolError(ServerError):
    """The server sent something that breaks the protocol (malformed response)."""


class LocalIOError(QuayError, OSError):
    """Writing or reading locally failed: disk full, permission denied, path unsafe. ``path`` names the file."""

    def __init__(self, message: str, *, path: str = "", **context: Unpack[ErrorContext]) -> None:
        super().__init__(message, **context)
        self.path = path

    def _extra_fields(self) -> dict[str, Any]:
        return {"path": self.path}


class UnsafePathError(LocalIOError):
    """A remote name would map outside the folder the user chose."""


class BadUrl(QuayError, ValueError):
    """The user gave a URL we cannot use. ``url`` is the URL with any password masked."""

    def __init__(self, message: str, *, url: str = "", **context: Unpack[ErrorContext]) -> None:
        super().__init__(message, **context)
        self.url = url

    def _extra_fields(self) -> dict[str, Any]:
        return {"url": self.url}


class UnknownSecurity(QuayError, ValueError):
    """A record or URL names a connection security we do not know (refused, never guessed as plaintext)."""

    def __init__(self, message: str, *, value: str = "", **context: Unpack[ErrorContext]) -> None:
        super().__init__(message, **context)
        self.value = value

    def _extra_fields(self) -> dict[str, Any]:
        return {"value": self.value}


class BadRecord(QuayError, ValueError):
    """A saved (or typed) account or site cannot be used as it is: ``record`` names it, ``field`` the culprit."""

    def __init__(self, message: str, *, record: str = "", field: str = "", **context: Unpack[ErrorContext]) -> None:
        super().__init__(message, **context)
        self.record = record
        self.field = field

    def _extra_fields(self) -> dict[str, Any]:
        return {"record": self.record, "field": self.field}


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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class UnknownHostKey(QuayError, ConnectionError):
    """The SSH server's key is not known yet: ask the user whether to trust it."""

    def __init__(self, info: HostKeyInfo) -> None:
        super().__init__(
            f"Unknown host key for {info.host}:{info.port}: {info.key_type} {info.fingerprint_sha256}",
            host=info.host,
            port=info.port,
            operation="connect",
        )
        self.info = info

    def _extra_fields(self) -> dict[str, Any]:
        return {"host_key": self.info.as_dict()}


class HostKeyChanged(QuayError, ConnectionError):
    """The SSH server's key differs from the one we know: refuse (possible attack).

    Also raised when the server offers a key of another *type* than the ones we hold for it
    (a downgrade an attacker without the real key would try).
    """

    def __init__(self, info: HostKeyInfo, known_fingerprint: str, *, known_type: str = "") -> None:
        super().__init__(
            f"HOST KEY CHANGED for {info.host}:{info.port}: now {info.key_type} {info.fingerprint_sha256}, "
            f"expected {(known_type + ' ') if known_type else ''}{known_fingerprint}. "
            "Someone may be intercepting the connection. "
            "Remove the old key explicitly if the change is legitimate.",
            host=info.host,
            port=info.port,
            operation="connect",
        )
        self.info = info
        self.known_fingerprint = known_fingerprint
        self.known_type = known_type or info.key_type

    def _extra_fields(self) -> dict[str, Any]:
        return {
            "host_key": self.info.as_dict(),
            "known_fingerprint": self.known_fingerprint,
            "known_type": self.known_type,
        }


class HostKeyRevoked(HostKeyChanged):
    """The SSH server presented a key marked ``@revoked`` in a known_hosts file: refused, no override."""

    def __init__(self, info: HostKeyInfo, source: str = "") -> None:
        super().__init__(info, info.fingerprint_sha256)
        self.args = (
            f"REVOKED HOST KEY for {info.host}:{info.port}: {info.key_type} {info.fingerprint_sha256} is marked "
            f"@revoked{f' in {source}' if source else ''}. Quay will not connect with it.",
        )
        self.source = source

    def _extra_fields(self) -> dict[str, Any]:
        return {**super()._extra_fields(), "source": self.source}
