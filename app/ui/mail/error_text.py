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


def _tr(text: str) -> str:
    return QCoreApplication.translate("MailErrors", text)


def explain(error: BaseException) -> tuple[str, str]:
    """(short title, explanation with the next step), both translated."""
    detail = str(error)
    if isinstance(error, AuthError):
        return _tr("Sign-in refused"), _tr(
            "The server did not accept the user name or password. Check them in the account settings, then retry."
        )
    if isinstance(error, TlsError):
        return _tr("Connection not secure"), _tr(
            "The server's certificate could not be verified, so nothing was sent. Check the certificate before "
            "trusting it."
        ) + f"\n{detail}"
    if isinstance(error, NetworkError):
        return _tr("Offline"), _tr(
            "The server cannot be reached. Your changes are kept and sent when the connection is back."
        ) + f"\n{detail}"
    if isinstance(error, ProtocolError):
        return _tr("Unexpected answer from the server"), _tr(
            "The server sent something Quay does not understand. The protocol log has the details."
        )
    if isinstance(error, ServerError):
        return _tr("The server refused"), _tr("The server said: %1").replace("%1", error.reply or detail)
    if isinstance(error, UnsafePathError):
        return _tr("Unsafe file name"), _tr("The name would have been written outside the chosen folder.")
    if isinstance(error, LocalIOError):
        return _tr("Cannot write here"), _tr("Check the free space and permissions of the folder.") + f"\n{detail}"
    if isinstance(error, FullMessageRequired):
        return _tr("Message not downloaded"), _tr(
            "The whole message must be downloaded before it can leave its account. Connect and try again."
        )
    if isinstance(error, Cancelled):
        return _tr("Cancelled"), _tr("The operation was cancelled.")
    if isinstance(error, Bug):
        return _tr("Internal error"), _tr("Something went wrong inside Quay. Please report it.") + f"\n{detail}"
    return _tr("Error"), detail
