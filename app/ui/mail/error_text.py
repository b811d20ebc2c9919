"""One place that turns an error into words for the user: what happened, and what to do next.

(The shared ``app/ui/errors.py`` is not on main yet; when it lands, this module
becomes a thin call into it.) Details the user cannot act on go to the protocol
log, not here. Messages never contain secrets: core errors are built without them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.errors import (
    AuthError,
    Bug,
    Cancelled,
    LocalIOError,
    NetworkError,
    ProtocolError,
    ServerError,
    TlsError,
    UnsafePathError,
)
from app.core.mail.imap.ops import FullMessageRequired


def explain(error: BaseException) -> tuple[str, str]:
    """(short title, explanation with the next step), both translated."""
    detail = str(error)
    if isinstance(error, AuthError):
        return QCoreApplication.translate("MailErrors", "Sign-in refused"), QCoreApplication.translate(
            "MailErrors",
            "The server did not accept the user name or password. Check them in the account settings, then retry.",
        )
    if isinstance(error, TlsError):
        return QCoreApplication.translate("MailErrors", "Connection not secure"), QCoreApplication.translate(
            "MailErrors",
            "The server's certificate could not be verified, so nothing was sent. Check the certificate before "
            "trusting it.",
        ) + f"\n{detail}"
    if isinstance(error, NetworkError):
        return QCoreApplication.translate("MailErrors", "Offline"), QCoreApplication.translate(
            "MailErrors", "The server cannot be reached. Your changes are kept and sent when the connection is back."
        ) + f"\n{detail}"
    if isinstance(error, ProtocolError):
        return QCoreApplication.translate(
            "MailErrors", "Unexpected answer from the server"
        ), QCoreApplication.translate(
            "MailErrors", "The server sent something Quay does not understand. The protocol log has the details."
        )
    if isinstance(error, ServerError):
        return QCoreApplication.translate("MailErrors", "The server refused"), QCoreApplication.translate(
            "MailErrors", "The server said: %1"
        ).replace("%1", error.reply or detail)
    if isinstance(error, UnsafePathError):
        return QCoreApplication.translate("MailErrors", "Unsafe file name"), QCoreApplication.translate(
            "MailErrors", "The name would have been written outside the chosen folder."
        )
    if isinstance(error, LocalIOError):
        return QCoreApplication.translate("MailErrors", "Cannot write here"), QCoreApplication.translate(
            "MailErrors", "Check the free space and permissions of the folder."
        ) + f"\n{detail}"
    if isinstance(error, FullMessageRequired):
        return QCoreApplication.translate("MailErrors", "Message not downloaded"), QCoreApplication.translate(
            "MailErrors", "The whole message must be downloaded before it can leave its account. Connect and try again."
        )
    if isinstance(error, Cancelled):
        return QCoreApplication.translate("MailErrors", "Cancelled"), QCoreApplication.translate(
            "MailErrors", "The operation was cancelled."
        )
    if isinstance(error, Bug):
        return QCoreApplication.translate("MailErrors", "Internal error"), QCoreApplication.translate(
            "MailErrors", "Something went wrong inside Quay. Please report it."
        ) + f"\n{detail}"
    return QCoreApplication.translate("MailErrors", "Error"), detail
