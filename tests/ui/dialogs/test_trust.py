"""The trust prompts: safe default buttons, selectable fingerprints, no way to accept a changed key."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton

from app.core.errors import HostKeyInfo
from app.core.tls import CertificateInfo
from app.ui.dialogs.trust import CertificateDialog, HostKeyChangedDialog, TrustDecision, UnknownHostKeyDialog

CERT = CertificateInfo(
    host="mail.example",
    port=993,
    subject="CN=mail.example",
    issuer="CN=mail.example",
    not_before="2026-01-01T00:00:00+00:00",
    not_after="2027-01-01T00:00:00+00:00",
    fingerprint_sha256="ab" * 32,
    self_signed=True,
)
KEY = HostKeyInfo("files.example", 22, "ssh-ed25519", "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")


def test_certificate_dialog_defaults_to_cancel_and_pins_only_on_click(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = CertificateDialog(CERT, "self-signed certificate")
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.cancel_button.isDefault() and not dlg.trust_button.isDefault()
    assert dlg.fingerprint_field.isReadOnly() and dlg.fingerprint_field.text() == CERT.fingerprint_display
    texts = " ".join(lab.text() for lab in dlg.findChildren(type(dlg.reason_label)))
    assert "self-signed" in texts and "CN=mail.example" in texts
    qtbot.keyClick(dlg, Qt.Key.Key_Return)  # Enter takes the default: Cancel
    assert dlg.result() == QDialog.DialogCode.Rejected
    dlg2 = CertificateDialog(CERT, "certificate has expired")
    qtbot.addWidget(dlg2)
    dlg2.show()
    qtbot.mouseClick(dlg2.trust_button, Qt.MouseButton.LeftButton)
    assert dlg2.result() == QDialog.DialogCode.Accepted


def test_unknown_host_key_dialog_choices(qtbot) -> None:  # type: ignore[no-untyped-def]
    for button, expected in (("once_button", TrustDecision.ONCE), ("remember_button", TrustDecision.REMEMBER)):
        dlg = UnknownHostKeyDialog(KEY)
        qtbot.addWidget(dlg)
        dlg.show()
        assert dlg.cancel_button.isDefault()
        assert dlg.fingerprint_field.text() == KEY.fingerprint_sha256
        qtbot.mouseClick(getattr(dlg, button), Qt.MouseButton.LeftButton)
        assert dlg.decision is expected and dlg.result() == QDialog.DialogCode.Accepted
    dlg = UnknownHostKeyDialog(KEY)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert dlg.decision is TrustDecision.CANCEL and dlg.result() == QDialog.DialogCode.Rejected


def test_changed_host_key_has_no_accept_button(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = HostKeyChangedDialog(KEY, "SHA256:oldoldold", "known_hosts")
    qtbot.addWidget(dlg)
    dlg.show()
    labels = [b.text().lower() for b in dlg.findChildren(QPushButton)]
    assert labels == ["close"], labels
    assert "SHA256:oldoldold" in dlg.known_field.text() and KEY.fingerprint_sha256 in dlg.new_field.text()
    qtbot.keyClick(dlg, Qt.Key.Key_Return)
    assert dlg.result() == QDialog.DialogCode.Rejected
