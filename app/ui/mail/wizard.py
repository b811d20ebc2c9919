"""The account set-up wizard: address and password -> settings found -> confirm or edit -> test -> save.

Page 1 asks for the name, address and password. Page 2 runs discovery on a worker
(:class:`app.core.mail.autoconfig.Discovery`: bundled providers, HTTPS autoconfig, SRV, MX, probing)
and shows what it found in editable fields: incoming IMAP or POP3 (with keep/delete and "leave on
the server N days"), outgoing SMTP, security, user names. "Test" signs in to both servers on a
worker; an untrusted certificate opens :class:`~app.ui.dialogs.trust.CertificateDialog`, and
trusting it pins it (an identical certificate on the other server of the same host is pinned along,
since the user just accepted exactly that one). "Save" writes the account and puts the password
in the keyring (for this session only when there is no keyring, and the wizard says so).

Signals:
    account_added(str): the key of the saved account.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import QuayError
from app.core.mail.account_setup import CheckResult, MailProfile, check_incoming, check_outgoing, save_profile
from app.core.mail.autoconfig import Discovery, DiscoveryResult, MailSettings, ServerSettings, split_address
from app.core.mail.identities import Identity
from app.core.secrets import KeyringUnavailable
from app.ui.dialogs.trust import CertificateDialog
from app.ui.mail.composer_backend import ComposeBackend
from app.ui.tasks import Task, TaskRunner

SECURITIES = ("tls", "starttls", "none")
DEFAULT_PORTS = {
    ("imap", "tls"): 993,
    ("imap", "starttls"): 143,
    ("imap", "none"): 143,
    ("pop3", "tls"): 995,
    ("pop3", "starttls"): 110,
    ("pop3", "none"): 110,
    ("smtp", "tls"): 465,
    ("smtp", "starttls"): 587,
    ("smtp", "none"): 25,
}


class ServerBox(QGroupBox):
    """Editable settings of one server (incoming: IMAP/POP3; outgoing: SMTP)."""

    def __init__(self, incoming: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.incoming = incoming
        form = QFormLayout(self)
        self.kind = QComboBox(self)
        if incoming:
            self.kind.addItem("IMAP", "imap")
            self.kind.addItem("POP3", "pop3")
        else:
            self.kind.addItem("SMTP", "smtp")
        self.kind_label = QLabel(self)
        form.addRow(self.kind_label, self.kind)
        self.host = QLineEdit(self)
        self.host_label = QLabel(self)
        form.addRow(self.host_label, self.host)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port_label = QLabel(self)
        form.addRow(self.port_label, self.port)
        self.security = QComboBox(self)
        for s in SECURITIES:
            self.security.addItem("", s)
        self.security_label = QLabel(self)
        form.addRow(self.security_label, self.security)
        self.username = QLineEdit(self)
        self.username_label = QLabel(self)
        form.addRow(self.username_label, self.username)
        for label, field in (
            (self.kind_label, self.kind),
            (self.host_label, self.host),
            (self.port_label, self.port),
            (self.security_label, self.security),
            (self.username_label, self.username),
        ):
            label.setBuddy(field)
        self.keep = QCheckBox(self)
        self.keep.setChecked(True)
        self.days = QSpinBox(self)
        self.days.setRange(0, 3650)
        self.days.setValue(14)
        self.days_label = QLabel(self)
        self.days_label.setBuddy(self.days)
        if incoming:
            form.addRow(self.keep)
            form.addRow(self.days_label, self.days)
            self.keep.toggled.connect(self._pop_options)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.result)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.security.currentIndexChanged.connect(self._security_changed)
        self._pop_options()
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Incoming mail") if self.incoming else self.tr("Outgoing mail"))
        self.kind_label.setText(self.tr("&Protocol:"))
        self.host_label.setText(self.tr("Ser&ver:"))
        self.port_label.setText(self.tr("P&ort:"))
        self.security_label.setText(self.tr("S&ecurity:"))
        self.username_label.setText(self.tr("&User name:"))
        for i, text in enumerate(
            (self.tr("TLS (encrypted from the start)"), self.tr("STARTTLS (upgrade to encryption)"), self.tr("None"))
        ):
            self.security.setItemText(i, text)
        self.keep.setText(self.tr("Leave messages on the server"))
        self.days_label.setText(self.tr("Delete from the server after (days, 0 = never):"))

    def _kind_changed(self) -> None:
        self._pop_options()
        self._security_changed()

    def _security_changed(self) -> None:
        key = (str(self.kind.currentData()), str(self.security.currentData()))
        if key in DEFAULT_PORTS and self.port.value() in DEFAULT_PORTS.values():
            self.port.setValue(DEFAULT_PORTS[key])

    def _pop_options(self) -> None:
        pop = self.incoming and self.kind.currentData() == "pop3"
        self.keep.setVisible(pop)
        self.days.setVisible(pop and self.keep.isChecked())
        self.days_label.setVisible(pop and self.keep.isChecked())

    def set_server(self, s: ServerSettings) -> None:
        idx = self.kind.findData(s.kind)
        self.security.blockSignals(True)
        self.kind.setCurrentIndex(max(idx, 0))
        self.security.setCurrentIndex(max(self.security.findData(s.security), 0))
        self.security.blockSignals(False)
        self.host.setText(s.host)
        self.port.setValue(s.port)
        self.username.setText(s.username)
        self._pop_options()

    def server(self) -> ServerSettings:
        return ServerSettings(
            str(self.kind.currentData()),
            self.host.text().strip(),
            self.port.value(),
            str(self.security.currentData()),
            self.username.text().strip(),
        )


class AccountWizard(QDialog):
    account_added = Signal(str)

    def __init__(
        self,
        backend: ComposeBackend,
        runner: TaskRunner,
        *,
        discovery: Callable[[], Discovery] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("account-wizard")
        self.backend = backend
        self.runner = runner
        self.make_discovery = discovery or Discovery
        self.found: MailSettings | None = None
        self.results: dict[str, CheckResult] = {}
        self.trusted: dict[str, str] = {}  # host -> fingerprint the user accepted in this wizard
        self.testing = False
        self.discovering = False
        self.cert_dialog: CertificateDialog | None = None
        self._discovery: Discovery | None = None
        lay = QVBoxLayout(self)
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        lay.addWidget(self.heading)
        self.stack = QStackedWidget(self)
        lay.addWidget(self.stack, 1)
        # page 1
        p1 = QWidget(self.stack)
        f1 = QFormLayout(p1)
        self.name = QLineEdit(p1)
        self.name.setObjectName("wizard-name")
        self.email = QLineEdit(p1)
        self.email.setObjectName("wizard-email")
        self.password = QLineEdit(p1)
        self.password.setObjectName("wizard-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.name_label, self.email_label, self.password_label = QLabel(p1), QLabel(p1), QLabel(p1)
        f1.addRow(self.name_label, self.name)
        f1.addRow(self.email_label, self.email)
        f1.addRow(self.password_label, self.password)
        for label, field in (
            (self.name_label, self.name),
            (self.email_label, self.email),
            (self.password_label, self.password),
        ):
            label.setBuddy(field)
        self.intro = QLabel(p1)
        self.intro.setWordWrap(True)
        f1.addRow(self.intro)
        self.stack.addWidget(p1)
        # page 2
        p2 = QWidget(self.stack)
        v2 = QVBoxLayout(p2)
        self.progress = QProgressBar(p2)
        self.progress.setRange(0, 0)
        v2.addWidget(self.progress)
        self.found_label = QLabel(p2)
        self.found_label.setObjectName("wizard-found")
        self.found_label.setWordWrap(True)
        v2.addWidget(self.found_label)
        self.oauth_label = QLabel(p2)
        self.oauth_label.setObjectName("wizard-oauth")
        self.oauth_label.setWordWrap(True)
        self.oauth_label.setVisible(False)
        v2.addWidget(self.oauth_label)
        boxes = QHBoxLayout()
        self.incoming = ServerBox(True, p2)
        self.incoming.setObjectName("wizard-incoming")
        self.outgoing = ServerBox(False, p2)
        self.outgoing.setObjectName("wizard-outgoing")
        boxes.addWidget(self.incoming)
        boxes.addWidget(self.outgoing)
        v2.addLayout(boxes)
        self.allow_plain = QCheckBox(p2)
        self.allow_plain.setObjectName("wizard-allow-plaintext")
        self.allow_plain.setVisible(False)
        v2.addWidget(self.allow_plain)
        v2.addStretch(1)
        self.stack.addWidget(p2)
        # buttons
        row = QHBoxLayout()
        self.back_button = QPushButton(self)
        self.test_button = QPushButton(self)
        self.test_button.setObjectName("wizard-test")
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("wizard-next")
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("wizard-save")
        self.cancel_button = QPushButton(self)
        row.addWidget(self.back_button)
        row.addStretch(1)
        for b in (self.test_button, self.next_button, self.save_button, self.cancel_button):
            row.addWidget(b)
        lay.addLayout(row)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.test_button.clicked.connect(self.test)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        for w in (self.incoming.host, self.incoming.username, self.outgoing.host, self.outgoing.username):
            w.textEdited.connect(self._settings_edited)
        for sp in (self.incoming.port, self.outgoing.port):
            sp.valueChanged.connect(self._settings_edited)
        for cb in (self.incoming.kind, self.incoming.security, self.outgoing.security):
            cb.currentIndexChanged.connect(self._settings_edited)
        self.email.returnPressed.connect(self.next)
        self.password.returnPressed.connect(self.next)
        self.retranslate()
        self._update_buttons()
        self.resize(760, 520)

    # ------------------------------------------------------------ i18n

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Add a mail account"))
        self.name_label.setText(self.tr("Your &name:"))
        self.email_label.setText(self.tr("&E-mail address:"))
        self.password_label.setText(self.tr("&Password:"))
        self.name.setPlaceholderText(self.tr("as recipients will see it"))
        self.intro.setText(
            self.tr(
                "Quay looks up the server settings for you: its own list of providers, your domain's "
                "settings file, DNS records, and finally the usual server names. The password is kept in "
                "your system's keyring."
            )
        )
        self.allow_plain.setText(self.tr("Allow sending the password unencrypted (not recommended)"))
        self.back_button.setText(self.tr("< &Back"))
        self.test_button.setText(self.tr("&Test"))
        self.next_button.setText(self.tr("&Continue >"))
        self.save_button.setText(self.tr("&Save"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.incoming.retranslate()
        self.outgoing.retranslate()
        self._update_heading()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update_heading(self) -> None:
        if self.stack.currentIndex() == 0:
            self.heading.setText(self.tr("Your e-mail address"))
        else:
            self.heading.setText(self.tr("Server settings"))

    def _update_buttons(self) -> None:
        page = self.stack.currentIndex()
        self.back_button.setVisible(page == 1)
        self.next_button.setVisible(page == 0)
        self.test_button.setVisible(page == 1)
        self.save_button.setVisible(page == 1)
        self.test_button.setEnabled(page == 1 and not self.testing and not self.discovering)
        ok = all(r.ok for r in self.results.values()) and len(self.results) == 2
        self.save_button.setEnabled(page == 1 and ok and not self.testing)
        self.save_button.setDefault(ok)
        self.test_button.setDefault(page == 1 and not ok)
        self.next_button.setDefault(page == 0)

    # ------------------------------------------------------------ page 1 -> 2: discovery

    def next(self) -> None:
        try:
            split_address(self.email.text())
        except ValueError:
            self.intro.setText(self.tr("Please enter a complete e-mail address, like name@example.com."))
            self.email.setFocus()
            return
        self.stack.setCurrentIndex(1)
        self._update_heading()
        self.results.clear()
        self.oauth_label.setVisible(False)
        self.found_label.setText(self.tr("Looking for the settings of %1…").replace("%1", self.email.text().strip()))
        self.progress.setVisible(True)
        self.discovering = True
        self._update_buttons()
        email = self.email.text().strip()
        disc = self.make_discovery()
        self._discovery = disc
        Task(self.runner.pool, lambda: disc.run(email)).on_success(self._discovered).on_failure(
            self._discovery_failed
        ).start()

    def back(self) -> None:
        if self._discovery is not None:
            self._discovery.cancelled.set()
        self.stack.setCurrentIndex(0)
        self.discovering = False
        self._update_heading()
        self._update_buttons()

    def _source_name(self, source: str) -> str:
        return {
            "bundled": self.tr("Quay's list of providers"),
            "autoconfig": self.tr("your domain's settings file"),
            "srv": self.tr("your domain's DNS service records"),
            "mx": self.tr("the provider hosting your domain's mail"),
            "probe": self.tr("trying the usual server names"),
        }.get(source, source)

    def _discovered(self, result: DiscoveryResult) -> None:
        self.discovering = False
        self.progress.setVisible(False)
        email = self.email.text().strip()
        s = result.settings
        self.found = s
        if s is None or not s.incoming:
            _, domain = split_address(email)
            self.found_label.setText(
                self.tr(
                    "No settings were found for %1. Enter them by hand; your provider's help pages list them."
                ).replace("%1", domain)
            )
            self.incoming.set_server(ServerSettings("imap", f"imap.{domain}", 993, "tls", email))
            self.outgoing.set_server(ServerSettings("smtp", f"smtp.{domain}", 465, "tls", email))
        else:
            where = self._source_name(s.source)
            text = self.tr("Found through %1.").replace("%1", where)
            if s.provider:
                text = self.tr("Found through %1: %2.").replace("%1", where).replace("%2", s.provider)
            self.found_label.setText(text + " " + self.tr("Check the settings, then press Test."))
            self.incoming.set_server(s.incoming[0])
            _, domain = split_address(email)
            self.outgoing.set_server(
                s.outgoing[0] if s.outgoing else ServerSettings("smtp", f"smtp.{domain}", 465, "tls", email)
            )
            self._show_oauth(s)
        self.incoming.result.clear()
        self.outgoing.result.clear()
        self._update_buttons()

    def _show_oauth(self, s: MailSettings) -> None:
        if not s.oauth2:
            if s.note == "app-password":
                self.oauth_label.setText(
                    self.tr(
                        "%1 may refuse your normal password in mail programs. If signing in fails, create an "
                        "app password in your account's security settings and use it here."
                    ).replace("%1", s.provider or self.tr("This provider"))
                )
                self.oauth_label.setVisible(True)
            return
        if s.note == "microsoft-oauth":
            text = self.tr(
                "Outlook.com and Microsoft 365 want you to sign in through Microsoft's own page (OAuth2), which "
                "Quay cannot do yet. If your organisation allows app passwords, create one and use it here; "
                "otherwise this account cannot be added yet."
            )
        else:
            text = self.tr(
                "Google wants you to sign in through its own page (OAuth2), which Quay cannot do yet. Turn on "
                "2-Step Verification in your Google account, create an app password there (Security → App "
                "passwords) and use it here instead of your normal password."
            )
        self.oauth_label.setText(text)
        self.oauth_label.setVisible(True)

    def _discovery_failed(self, exc: BaseException) -> None:
        self._discovered(DiscoveryResult(None, {"error": str(exc)}))

    def _settings_edited(self, *_: Any) -> None:
        self.results.clear()
        self.incoming.result.clear()
        self.outgoing.result.clear()
        self.allow_plain.setVisible(
            self.incoming.security.currentData() == "none" or self.outgoing.security.currentData() == "none"
        )
        self._update_buttons()

    # ------------------------------------------------------------ test

    def test(self) -> None:
        """Sign in to both servers on a worker."""
        if self.testing:
            return
        self.testing = True
        self.results.clear()
        self.incoming.result.setText(self.tr("Testing…"))
        self.outgoing.result.setText(self.tr("Testing…"))
        self._update_buttons()
        incoming, outgoing = self.incoming.server(), self.outgoing.server()
        password = self.password.text()
        allow = self.allow_plain.isChecked()
        pins = self.backend.pins
        cafile = self.backend.cafile

        def work() -> tuple[CheckResult, CheckResult]:
            a = check_incoming(incoming, password, pins, allow_plaintext=allow, cafile=cafile)
            b = check_outgoing(outgoing, password, pins, allow_plaintext=allow, cafile=cafile)
            return a, b

        Task(self.runner.pool, work).on_success(self._tested).on_failure(self._test_failed).start()

    def _tested(self, results: tuple[CheckResult, CheckResult]) -> None:
        self.testing = False
        a, b = results
        self.results = {"in": a, "out": b}
        self.incoming.result.setText(self.describe(a, self.incoming.server()))
        self.outgoing.result.setText(self.describe(b, self.outgoing.server()))
        self._update_buttons()
        for r in (a, b):
            if r.kind == "certificate" and r.certificate is not None:
                cert = r.certificate
                if self.trusted.get(cert.host.lower()) == cert.fingerprint_sha256:
                    # The very certificate the user accepted a moment ago, on the same host's other port.
                    self.backend.pins.pin(cert.host, cert.port, cert.fingerprint_sha256)
                    self.test()
                    return
                self._ask_trust(r)
                return

    def _test_failed(self, exc: BaseException) -> None:
        self.testing = False
        self.incoming.result.setText(str(exc))
        self._update_buttons()

    def _ask_trust(self, r: CheckResult) -> None:
        dlg = CertificateDialog(r.certificate, r.reason, self)
        self.cert_dialog = dlg

        def decided(code: int) -> None:
            self.cert_dialog = None
            if code == QDialog.DialogCode.Accepted and r.certificate is not None:
                c = r.certificate
                self.backend.pins.pin(c.host, c.port, c.fingerprint_sha256)
                self.trusted[c.host.lower()] = c.fingerprint_sha256
                self.test()

        dlg.finished.connect(decided)
        dlg.open()

    def describe(self, r: CheckResult, s: ServerSettings) -> str:
        """The outcome of a login test in words, with what to do next."""
        where = f"{s.host}:{s.port}"
        if r.kind == "ok":
            if r.size_limit:
                from app.ui.mail.composer_attachments import format_size

                return self.tr("Signed in. The server accepts messages up to %1.").replace(
                    "%1", format_size(r.size_limit)
                )
            return self.tr("Signed in.")
        if r.kind == "auth":
            return self.tr(
                "Wrong user name or password: the server refused them. Check both (some providers want an "
                "app password here)."
            )
        if r.kind == "unreachable":
            return self.tr("Cannot reach %1. Check the server name and port, and your connection.").replace("%1", where)
        if r.kind == "certificate":
            return self.tr("The server's certificate is not trusted. Look at it before you decide.")
        if r.kind == "tls":
            return self.tr("The secure connection to %1 failed: %2").replace("%1", where).replace("%2", r.detail)
        if r.kind == "no_encryption":
            return self.tr(
                "%1 offers no encryption on this port. Choose TLS or another port; Quay will not send your "
                "password in clear there."
            ).replace("%1", where)
        if r.kind == "plaintext":
            return self.tr(
                "With these settings the password would travel unencrypted. Choose TLS or STARTTLS, or tick "
                "“Allow sending the password unencrypted” if this server really has no encryption."
            )
        if r.kind == "temporary":
            return self.tr("The server could not check the password right now. Try again in a moment.")
        return self.tr("The server answered with an error: %1").replace("%1", r.detail)

    # ------------------------------------------------------------ save

    def profile(self) -> MailProfile:
        email = self.email.text().strip()
        name = self.name.text().strip()
        inc = self.incoming.server()
        days = self.incoming.days.value()
        return MailProfile(
            inc,
            self.outgoing.server(),
            email,
            name,
            identities=[Identity(email, name)],
            pop3_keep=self.incoming.keep.isChecked(),
            pop3_delete_after_days=(days or None) if self.incoming.keep.isChecked() else None,
            allow_plaintext=self.allow_plain.isChecked(),
            smtp_size_limit=self.results["out"].size_limit if "out" in self.results else None,
        )

    def save(self) -> None:
        profile = self.profile()
        pw = self.password.text()
        try:
            save_profile(self.backend.book(), profile, self.backend.secrets, incoming_password=pw, smtp_password=pw)
        except KeyringUnavailable:
            save_profile(
                self.backend.book(),
                profile,
                self.backend.secrets,
                incoming_password=pw,
                smtp_password=pw,
                remember=False,
            )
            self.found_label.setText(
                self.tr("No system keyring is available: the password is kept only until Quay closes.")
            )
        except QuayError as e:
            self.found_label.setText(self.tr("The account could not be saved: %1").replace("%1", str(e)))
            return
        self.account_added.emit(profile.key)
        self.accept()
