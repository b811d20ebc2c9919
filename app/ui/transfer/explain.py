"""Errors of the file-transfer core in the user's language: what happened and what to do next.

:func:`explain` takes an exception; :func:`explain_job_error` takes the text a failed transfer
job stored (the queue keeps the message, not the type, so it is recognised by its words).
The technical detail is kept for the tooltip and the message log.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.core.errors import (
    AuthError,
    Cancelled,
    HostKeyChanged,
    LocalIOError,
    NetworkError,
    QuayError,
    ServerError,
    TlsError,
    UnknownHostKey,
    UnsafePathError,
)


def explain(exc: BaseException) -> str:
    """One or two sentences for the user (the exception's own text goes to the log and tooltips)."""
    from app.core.transfer.base import NotSupported

    if isinstance(exc, Cancelled):
        return QCoreApplication.translate("FilesErrors", "Cancelled.")
    if isinstance(exc, HostKeyChanged):
        return QCoreApplication.translate(
            "FilesErrors", "The server's key has changed, so Quay refused to connect (see the warning)."
        )
    if isinstance(exc, UnknownHostKey):
        return QCoreApplication.translate("FilesErrors", "The server's key is not known yet.")
    if isinstance(exc, AuthError):
        return QCoreApplication.translate(
            "FilesErrors", "The server refused the user name or password. Check them and connect again."
        )
    if isinstance(exc, TlsError):
        return QCoreApplication.translate(
            "FilesErrors", "The secure connection could not be set up: the server's certificate was not trusted."
        )
    if isinstance(exc, NotSupported):
        return QCoreApplication.translate("FilesErrors", "This server cannot do that.")
    if isinstance(exc, UnsafePathError):
        return QCoreApplication.translate(
            "FilesErrors", "A name on the server would be saved outside the chosen folder, so it was skipped."
        )
    if isinstance(exc, LocalIOError):
        return QCoreApplication.translate(
            "FilesErrors", "Quay could not read or write a file on this computer (disk full, or no permission)."
        )
    if isinstance(exc, NetworkError):
        return QCoreApplication.translate(
            "FilesErrors", "The connection to the server failed or was lost. Check the network and try again."
        )
    if isinstance(exc, ServerError):
        return QCoreApplication.translate("FilesErrors", "The server refused the request: %1").replace(
            "%1", getattr(exc, "reply", "") or str(exc)
        )
    if isinstance(exc, QuayError):
        return str(exc)
    return QCoreApplication.translate("FilesErrors", "Something went wrong inside Quay: %1").replace(
        "%1", f"{type(exc).__name__}: {exc}"
    )


_JOB_PATTERNS: list[tuple[tuple[str, ...], str]] = [
    (
        (
            "connection lost",
            "could not connect",
            "cannot connect",
            "connection refused",
            "timed out",
            "reset by peer",
            "broken pipe",
            "not connected",
            "handshake",
            "eof",
            "closed the connection",
            "did not answer",
            "network is unreachable",
        ),
        QT_TRANSLATE_NOOP("FilesErrors", "The connection to the server was lost. Retry when the server is back."),
    ),
    (
        ("refused the log-in", "refused user", "passphrase"),
        QT_TRANSLATE_NOOP("FilesErrors", "The server refused the user name or password."),
    ),
    (("certificate",), QT_TRANSLATE_NOOP("FilesErrors", "The server's certificate was not trusted.")),
    (("no space", "disk full", "quota"), QT_TRANSLATE_NOOP("FilesErrors", "There is no space left to store the file.")),
    (("permission denied", "not permitted", "access denied"), QT_TRANSLATE_NOOP("FilesErrors", "Permission denied.")),
    (
        ("does not exist", "no such file", "not found", "gone"),
        QT_TRANSLATE_NOOP("FilesErrors", "The file no longer exists."),
    ),
    (
        ("already exists",),
        QT_TRANSLATE_NOOP("FilesErrors", "The file already exists and no choice was made for conflicts."),
    ),
    (
        ("differs", "verification", "does not match"),
        QT_TRANSLATE_NOOP("FilesErrors", "The copy did not match the original, so it was not kept."),
    ),
    (
        ("outside", "unsafe"),
        QT_TRANSLATE_NOOP("FilesErrors", "The name would be saved outside the chosen folder, so it was skipped."),
    ),
]


def explain_job_error(text: str | None) -> str:
    """The translated summary of a failed job's stored error text."""
    if not text:
        return QCoreApplication.translate("FilesErrors", "Failed.")
    low = text.lower()
    for words, message in _JOB_PATTERNS:
        if any(w in low for w in words):
            return QCoreApplication.translate("FilesErrors", message)
    return QCoreApplication.translate("FilesErrors", "The transfer failed: %1").replace("%1", text)
