"""The trust prompts shared by Mail and Files: an untrusted TLS certificate, an unknown or changed SSH host key.

All three are modal (a decision about trust must be made before anything is sent), put the
fingerprint in a selectable monospace field, and make the safe choice the default button:

* :class:`CertificateDialog` — subject, issuer, validity, SHA-256 fingerprint, host names and the
  reason in words; "Cancel" is the default; "Trust this certificate for this server" pins it.
* :class:`UnknownHostKeyDialog` — key type and OpenSSH-style fingerprint; "Accept once" or
  "Accept and remember"; "Cancel" is the default.
* :class:`HostKeyChangedDialog` — a loud refusal with the risk explained and how to remove the
  old key deliberately; there is no button that accepts the new key.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from app.core.errors import HostKeyInfo


class TrustDecision(enum.Enum):
    """What the user chose in a trust prompt."""

    CANCEL = "cancel"
    ONCE = "once"
    REMEMBER = "remember"


def _mono(text: str, parent: QWidget) -> QLineEdit:
    field = QLineEdit(text, parent)
    field.setReadOnly(True)
    field.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    field.setCursorPosition(0)
    field.setMinimumWidth(field.fontMetrics().horizontalAdvance(text[:100] or "x") + 24)
    return field


def _label(text: str, parent: QWidget) -> QLabel:
    lab = QLabel(text, parent)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    lab.setWordWrap(True)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lab


def _header(icon: QStyle.StandardPixmap, title: str, text: str, parent: QWidget) -> QWidget:
    box = QWidget(parent)
    lay = QFormLayout(box)
    pic = QLabel(box)
    pic.setPixmap(parent.style().standardIcon(icon).pixmap(48, 48))
    head = QLabel(title, box)
    font = head.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    head.setFont(font)
    head.setWordWrap(True)
    head.setTextFormat(Qt.TextFormat.PlainText)
    lay.addRow(pic, head)
    lay.addRow(_label(text, box))
    return box


def certificate_reason_text(reason: str, info: Any) -> str:
    """The reason a certificate was refused, in words, in the UI language."""
    low = (reason or "").lower()
    if getattr(info, "self_signed", False) or "self-signed" in low or "self signed" in low:
        return QCoreApplication.translate(
            "CertificateDialog", "The certificate is self-signed: nobody vouches for it but the server itself."
        )
    if "expired" in low:
        return QCoreApplication.translate("CertificateDialog", "The certificate has expired.")
    if "not yet valid" in low:
        return QCoreApplication.translate(
            "CertificateDialog", "The certificate is not valid yet (check this computer's clock)."
        )
    if "hostname" in low or "host name" in low or "ip address mismatch" in low or "doesn't match" in low:
        return QCoreApplication.translate("CertificateDialog", "The certificate was issued for another server name.")
    if "unable to get local issuer" in low or "unknown ca" in low or "issuer" in low:
        return QCoreApplication.translate(
            "CertificateDialog", "The certificate was issued by an authority this computer does not know."
        )
    if "pin" in low or "fingerprint" in low:
        return QCoreApplication.translate(
            "CertificateDialog", "The certificate differs from the one you chose to trust for this server."
        )
    return QCoreApplication.translate("CertificateDialog", "The certificate could not be verified.") + (
        f" ({reason})" if reason else ""
    )


class CertificateDialog(QDialog):
    """Ask whether to trust (pin) a certificate that failed verification. ``exec()`` -> Accepted to pin."""

    def __init__(self, info: Any, reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("certificate-dialog")
        self.info = info
        self.setWindowTitle(self.tr("Untrusted certificate"))
        lay = QVBoxLayout(self)
        host = f"{getattr(info, 'host', '')}:{getattr(info, 'port', '')}"
        lay.addWidget(
            _header(
                QStyle.StandardPixmap.SP_MessageBoxWarning,
                self.tr("The identity of %1 could not be verified").replace("%1", host),
                self.tr(
                    "Someone may be impersonating the server. Trust this certificate only if you "
                    "know it is the server's own, for example because its fingerprint matches the one "
                    "your administrator gave you."
                ),
                self,
            )
        )
        form = QFormLayout()
        self.reason_label = _label(certificate_reason_text(reason, info), self)
        form.addRow(self.tr("Reason:"), self.reason_label)
        form.addRow(self.tr("Subject:"), _label(str(getattr(info, "subject", "")), self))
        form.addRow(self.tr("Issuer:"), _label(str(getattr(info, "issuer", "")), self))
        names = getattr(info, "hostnames", None) or getattr(info, "host_names", None) or ()
        if names:
            form.addRow(self.tr("Host names:"), _label(", ".join(names), self))
        validity = self.tr("%1 to %2").replace("%1", str(getattr(info, "not_before", ""))[:19])
        validity = validity.replace("%2", str(getattr(info, "not_after", ""))[:19])
        form.addRow(self.tr("Valid:"), _label(validity, self))
        fp = getattr(info, "fingerprint_display", "") or getattr(info, "fingerprint_sha256", "")
        self.fingerprint_field = _mono(str(fp), self)
        self.fingerprint_field.setObjectName("certificate-fingerprint")
        self.fingerprint_field.setAccessibleName(self.tr("SHA-256 fingerprint"))
        form.addRow(self.tr("SHA-256 fingerprint:"), self.fingerprint_field)
        lay.addLayout(form)
        buttons = QDialogButtonBox(self)
        self.trust_button = QPushButton(self.tr("&Trust this certificate for this server"), self)
        self.trust_button.setObjectName("certificate-trust")
        self.trust_button.setAutoDefault(False)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setObjectName("certificate-cancel")
        buttons.addButton(self.trust_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


class UnknownHostKeyDialog(QDialog):
    """First connection to an SSH server: show its key and ask. :attr:`decision` after ``exec()``."""

    def __init__(self, info: HostKeyInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unknown-host-key-dialog")
        self.info = info
        self.decision = TrustDecision.CANCEL
        self.setWindowTitle(self.tr("Unknown server key"))
        lay = QVBoxLayout(self)
        where = f"{info.host}:{info.port}"
        lay.addWidget(
            _header(
                QStyle.StandardPixmap.SP_MessageBoxQuestion,
                self.tr("This is the first connection to %1").replace("%1", where),
                self.tr(
                    "Quay does not know this server's key yet. Compare the fingerprint below with the "
                    "one your administrator or hosting company gives you before you accept it."
                ),
                self,
            )
        )
        form = QFormLayout()
        form.addRow(self.tr("Key type:"), _label(info.key_type, self))
        self.fingerprint_field = _mono(info.fingerprint_sha256, self)
        self.fingerprint_field.setObjectName("host-key-fingerprint")
        self.fingerprint_field.setAccessibleName(self.tr("SHA-256 fingerprint"))
        form.addRow(self.tr("Fingerprint:"), self.fingerprint_field)
        lay.addLayout(form)
        buttons = QDialogButtonBox(self)
        self.once_button = QPushButton(self.tr("Accept &once"), self)
        self.once_button.setObjectName("host-key-once")
        self.remember_button = QPushButton(self.tr("Accept and &remember"), self)
        self.remember_button.setObjectName("host-key-remember")
        for b in (self.once_button, self.remember_button):
            b.setAutoDefault(False)
            buttons.addButton(b, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setObjectName("host-key-cancel")
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()
        self.once_button.clicked.connect(lambda: self._choose(TrustDecision.ONCE))
        self.remember_button.clicked.connect(lambda: self._choose(TrustDecision.REMEMBER))
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _choose(self, decision: TrustDecision) -> None:
        self.decision = decision
        self.accept()


class HostKeyChangedDialog(QDialog):
    """The server's key changed: refuse loudly. There is deliberately no way to accept from here."""

    def __init__(
        self, info: HostKeyInfo, known_fingerprint: str, known_hosts_file: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("host-key-changed-dialog")
        self.setWindowTitle(self.tr("Server key changed — connection refused"))
        lay = QVBoxLayout(self)
        where = f"{info.host}:{info.port}"
        lay.addWidget(
            _header(
                QStyle.StandardPixmap.SP_MessageBoxCritical,
                self.tr("WARNING: the key of %1 has changed").replace("%1", where),
                self.tr(
                    "The server presented a different key from the one Quay remembered. Someone may be "
                    "intercepting the connection to read your password and files (a man-in-the-middle "
                    "attack). It is also possible that the administrator reinstalled the server. "
                    "Quay did not connect and sent nothing."
                ),
                self,
            )
        )
        form = QFormLayout()
        self.new_field = _mono(f"{info.key_type} {info.fingerprint_sha256}", self)
        self.new_field.setObjectName("host-key-new")
        self.known_field = _mono(known_fingerprint, self)
        self.known_field.setObjectName("host-key-known")
        form.addRow(self.tr("Key offered now:"), self.new_field)
        form.addRow(self.tr("Key remembered:"), self.known_field)
        lay.addLayout(form)
        how = self.tr(
            "If you have confirmed with the administrator that the key really changed, remove the old "
            "key deliberately: delete the line for %1 from Quay's known hosts file (%2), then connect "
            "again and compare the new fingerprint."
        )
        lay.addWidget(
            _label(
                how.replace("%1", info.host).replace(
                    "%2", known_hosts_file or QCoreApplication.translate("HostKeyChangedDialog", "the known hosts file")
                ),
                self,
            )
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Close"))
        close.setObjectName("host-key-close")
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
