"""Every error in words a user understands: a title, what happened, and what to do next.

One table, keyed by error type (the most specific entry along the class's MRO
wins), filled in from the structured fields core errors carry
(:meth:`app.core.errors.QuayError.fields`: host, port, the server's reply, the
certificate, the host key), never by parsing the English message.

This module imports no Qt when it is imported: the CLI calls :func:`describe`
and gets English; the GUI calls :func:`translated`, which looks each string up
with ``QCoreApplication.translate("Errors", ...)`` (so ``pyside6-lupdate`` finds
them through the ``QT_TRANSLATE_NOOP`` marks below, and ``i18n/quay_vi.ts`` has
them in Vietnamese). Placeholders are ``{name}`` fields, kept as they are by
translators.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["CONTEXT", "ErrorText", "describe", "facts", "translated"]

CONTEXT = "Errors"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name pyside6-lupdate looks for
    """Marks ``text`` for translation in ``context`` without translating it (Qt-free)."""
    return text


@dataclass(frozen=True)
class ErrorText:
    """What the UI shows: ``title`` (a few words), ``explanation``, ``next_step`` ("" when there is none)
    and ``detail`` (the error's own English sentence, for a details pane and the log)."""

    title: str
    explanation: str
    next_step: str
    detail: str
    kind: str


def _entry(title: str, explanation: str, next_step: str = "") -> tuple[str, str, str]:
    return (title, explanation, next_step)


_TABLE: dict[str, tuple[str, str, str]] = {
    "AuthError": _entry(
        QT_TRANSLATE_NOOP("Errors", "Sign-in refused"),
        QT_TRANSLATE_NOOP("Errors", "{host} did not accept the user name or password."),
        QT_TRANSLATE_NOOP("Errors", "Check the user name and password in the account settings, then try again."),
    ),
    "MissingPassword": _entry(
        QT_TRANSLATE_NOOP("Errors", "Password needed"),
        QT_TRANSLATE_NOOP("Errors", "There is no saved password for {user} on {host}."),
        QT_TRANSLATE_NOOP(
            "Errors", "Enter the password. Saving it needs a system keyring such as GNOME Keyring or KWallet."
        ),
    ),
    "PlaintextAuthRefused": _entry(
        QT_TRANSLATE_NOOP("Errors", "Password not sent"),
        QT_TRANSLATE_NOOP(
            "Errors", "The connection to {host} is not encrypted: anyone on the network could read your password."
        ),
        QT_TRANSLATE_NOOP(
            "Errors",
            "Choose TLS or STARTTLS in the settings. Only if you trust every network in between, allow "
            "unencrypted passwords for this account.",
        ),
    ),
    "NetworkError": _entry(
        QT_TRANSLATE_NOOP("Errors", "Cannot reach the server"),
        QT_TRANSLATE_NOOP("Errors", "The connection to {host} failed or was interrupted."),
        QT_TRANSLATE_NOOP("Errors", "Check your network connection, the server name and the port, then try again."),
    ),
    "DeliveryUnknown": _entry(
        QT_TRANSLATE_NOOP("Errors", "Maybe sent"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The connection broke while the message was being handed to {host}; it may or may not have been accepted.",
        ),
        QT_TRANSLATE_NOOP("Errors", "Check whether it arrived before you send it again."),
    ),
    "TlsError": _entry(
        QT_TRANSLATE_NOOP("Errors", "Secure connection failed"),
        QT_TRANSLATE_NOOP("Errors", "The secure connection to {host} could not be set up: {reason}."),
        QT_TRANSLATE_NOOP("Errors", "Try again later; if it keeps failing, ask the server's administrator."),
    ),
    "UntrustedCertificate": _entry(
        QT_TRANSLATE_NOOP("Errors", "Certificate not trusted"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The certificate of {host} is not trusted ({reason}). Its SHA-256 fingerprint is {fingerprint}, "
            "issued by {issuer}, valid until {not_after}.",
        ),
        QT_TRANSLATE_NOOP(
            "Errors",
            "Accept it only if this fingerprint matches the one your provider publishes. Otherwise someone may be"
            " intercepting the connection.",
        ),
    ),
    "StartTlsUnavailable": _entry(
        QT_TRANSLATE_NOOP("Errors", "Encryption not offered"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "{host} did not offer to encrypt the connection, which this account requires. Someone may be removing"
            " it from the connection.",
        ),
        QT_TRANSLATE_NOOP(
            "Errors", "Nothing was sent. Try again on another network, or ask the server's administrator."
        ),
    ),
    "ServerError": _entry(
        QT_TRANSLATE_NOOP("Errors", "The server refused"),
        QT_TRANSLATE_NOOP("Errors", "{host} answered: {reply}"),
        QT_TRANSLATE_NOOP("Errors", "The server's answer often says what to change."),
    ),
    "ProtocolError": _entry(
        QT_TRANSLATE_NOOP("Errors", "Unexpected answer from the server"),
        QT_TRANSLATE_NOOP("Errors", "{host} sent something Quay could not understand."),
        QT_TRANSLATE_NOOP("Errors", "Try again later. If it keeps happening, the protocol log shows the exchange."),
    ),
    "MessageTooLarge": _entry(
        QT_TRANSLATE_NOOP("Errors", "Message too large"),
        QT_TRANSLATE_NOOP("Errors", "The message is larger than {host} accepts."),
        QT_TRANSLATE_NOOP("Errors", "Remove or shrink attachments, or share large files as a link."),
    ),
    "SmtpTemporaryError": _entry(
        QT_TRANSLATE_NOOP("Errors", "Not sent yet"),
        QT_TRANSLATE_NOOP("Errors", "{host} asked to try again later: {reply}"),
        QT_TRANSLATE_NOOP("Errors", "Quay will try again by itself."),
    ),
    "MessageRejected": _entry(
        QT_TRANSLATE_NOOP("Errors", "Message refused"),
        QT_TRANSLATE_NOOP("Errors", "{host} refused the message: {reply}"),
        QT_TRANSLATE_NOOP("Errors", "Check the recipients and the content; sending it again unchanged will not help."),
    ),
    "RecipientsRefused": _entry(
        QT_TRANSLATE_NOOP("Errors", "Recipients refused"),
        QT_TRANSLATE_NOOP("Errors", "{host} refused every recipient: {reply}"),
        QT_TRANSLATE_NOOP("Errors", "Check the addresses."),
    ),
    "NonAsciiAddressUnsupported": _entry(
        QT_TRANSLATE_NOOP("Errors", "Address not supported"),
        QT_TRANSLATE_NOOP("Errors", "{host} cannot send to addresses with non-Latin characters."),
        QT_TRANSLATE_NOOP("Errors", "Use the plain-Latin form of the address if there is one."),
    ),
    "LocalIOError": _entry(
        QT_TRANSLATE_NOOP("Errors", "Cannot use a local file"),
        QT_TRANSLATE_NOOP("Errors", "Reading or writing {path} failed."),
        QT_TRANSLATE_NOOP("Errors", "Check that the disk is not full and that you may write there."),
    ),
    "UnsafePathError": _entry(
        QT_TRANSLATE_NOOP("Errors", "Unsafe file name refused"),
        QT_TRANSLATE_NOOP(
            "Errors", "The server offered a name that would be saved outside the folder you chose: {path}"
        ),
        QT_TRANSLATE_NOOP("Errors", "Nothing was written there. The server may be misconfigured or hostile."),
    ),
    "BadUrl": _entry(
        QT_TRANSLATE_NOOP("Errors", "Address not usable"),
        QT_TRANSLATE_NOOP("Errors", "The address {url} cannot be used."),
        QT_TRANSLATE_NOOP("Errors", "Addresses look like imaps://user@host or sftp://user@host/folder."),
    ),
    "UnknownSecurity": _entry(
        QT_TRANSLATE_NOOP("Errors", "Unknown connection security"),
        QT_TRANSLATE_NOOP(
            "Errors", "\u201c{value}\u201d is not a connection security Quay knows, so the connection was not made."
        ),
        QT_TRANSLATE_NOOP("Errors", "Choose TLS, STARTTLS or none in the settings."),
    ),
    "BadRecord": _entry(
        QT_TRANSLATE_NOOP("Errors", "Settings incomplete"),
        QT_TRANSLATE_NOOP("Errors", "The settings of {record} cannot be used as they are."),
        QT_TRANSLATE_NOOP("Errors", "Open the settings and complete them."),
    ),
    "BadFingerprint": _entry(
        QT_TRANSLATE_NOOP("Errors", "Not a fingerprint"),
        QT_TRANSLATE_NOOP("Errors", "A certificate fingerprint is 64 hexadecimal digits."),
        QT_TRANSLATE_NOOP("Errors", "Copy it again, exactly."),
    ),
    "KeyringUnavailable": _entry(
        QT_TRANSLATE_NOOP("Errors", "No keyring"),
        QT_TRANSLATE_NOOP("Errors", "No system keyring is available, so passwords cannot be saved."),
        QT_TRANSLATE_NOOP(
            "Errors",
            "Passwords will be asked for each session. Install or unlock a keyring such as GNOME Keyring or "
            "KWallet to save them.",
        ),
    ),
    "UnknownHostKey": _entry(
        QT_TRANSLATE_NOOP("Errors", "New server key"),
        QT_TRANSLATE_NOOP(
            "Errors", "Quay has not connected to {host} before. Its {key_type} key has the fingerprint {fingerprint}."
        ),
        QT_TRANSLATE_NOOP(
            "Errors", "Accept it only if this fingerprint matches the one the server's administrator gave you."
        ),
    ),
    "HostKeyChanged": _entry(
        QT_TRANSLATE_NOOP("Errors", "SERVER KEY CHANGED: connection refused"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "{host} presented the {key_type} key {fingerprint}, but Quay knows it by the {known_type} key "
            "{known_fingerprint}. Someone may be intercepting the connection.",
        ),
        QT_TRANSLATE_NOOP(
            "Errors",
            "Do not continue. Ask the server's administrator whether the key really changed; only then remove the"
            " old key in the site settings.",
        ),
    ),
    "HostKeyRevoked": _entry(
        QT_TRANSLATE_NOOP("Errors", "Revoked server key: connection refused"),
        QT_TRANSLATE_NOOP("Errors", "{host} presented the key {fingerprint}, which is marked as revoked."),
        QT_TRANSLATE_NOOP("Errors", "Do not connect. Tell the server's administrator."),
    ),
    "NotSupported": _entry(
        QT_TRANSLATE_NOOP("Errors", "Not supported"),
        QT_TRANSLATE_NOOP("Errors", "This server or protocol cannot do that."),
    ),
    "Cancelled": _entry(
        QT_TRANSLATE_NOOP("Errors", "Cancelled"),
        QT_TRANSLATE_NOOP("Errors", "The operation was cancelled."),
    ),
    "QuayError": _entry(
        QT_TRANSLATE_NOOP("Errors", "Something went wrong"),
        QT_TRANSLATE_NOOP("Errors", "The operation did not complete."),
        QT_TRANSLATE_NOOP("Errors", "The details below say why."),
    ),
    "Bug": _entry(
        QT_TRANSLATE_NOOP("Errors", "Something went wrong inside Quay"),
        QT_TRANSLATE_NOOP("Errors", "This is a fault in Quay, not in your settings or on the server."),
        QT_TRANSLATE_NOOP("Errors", "Please report it, with the details below."),
    ),
}

_THE_SERVER = QT_TRANSLATE_NOOP("Errors", "the server")


class _Facts(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def _kind(error: BaseException) -> str:
    """The table entry for ``error``: its own class or the nearest ancestor that has one."""
    from app.core.errors import QuayError, TlsError

    if not isinstance(error, QuayError):
        return "Bug"  # anything else escaping the core is a fault of ours
    if isinstance(error, TlsError) and error.certificate is not None and type(error) is TlsError:
        return "UntrustedCertificate"
    for cls in type(error).__mro__:
        if cls.__name__ in _TABLE:
            return cls.__name__
    return "QuayError"


def facts(error: BaseException, translate: Callable[[str], str] = lambda s: s) -> dict[str, str]:
    """The placeholders' values for ``error``, from its structured fields."""
    from app.core.errors import QuayError

    raw: dict[str, Any] = error.fields() if isinstance(error, QuayError) else {"message": str(error)}
    out = _Facts({k: str(v) for k, v in raw.items() if isinstance(v, str | int | float) and not isinstance(v, bool)})
    host = raw.get("host")
    out["host"] = f"{host}:{raw['port']}" if host and raw.get("port") else (host or translate(_THE_SERVER))
    cert = raw.get("certificate")
    if isinstance(cert, dict):
        for k in ("subject", "issuer", "not_before", "not_after"):
            out[k] = str(cert.get(k, ""))
        out["fingerprint"] = str(cert.get("fingerprint_display", ""))
    key = raw.get("host_key")
    if isinstance(key, dict):
        out["key_type"] = str(key.get("key_type", ""))
        out["fingerprint"] = str(key.get("fingerprint_sha256", ""))
    out.setdefault("reply", "")
    out.setdefault("reason", "")
    out.setdefault("path", "")
    return out


def describe(error: BaseException, translate: Callable[[str], str] | None = None) -> ErrorText:
    """``error`` as title, explanation and next step; English unless ``translate`` (source -> text) is given."""
    tr = translate or (lambda s: s)
    kind = _kind(error)
    title, explanation, next_step = _TABLE[kind]
    values = facts(error, tr)
    return ErrorText(
        title=tr(title),
        explanation=tr(explanation).format_map(values),
        next_step=tr(next_step).format_map(values) if next_step else "",
        detail=str(error),
        kind=kind,
    )


def translated(error: BaseException) -> ErrorText:
    """:func:`describe` in the UI's language (``QCoreApplication.translate``; call it on the GUI thread)."""
    from PySide6.QtCore import QCoreApplication

    return describe(error, lambda source: QCoreApplication.translate(CONTEXT, source))
