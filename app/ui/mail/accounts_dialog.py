"""Account settings: edit, remove (saying what happens to the cached mail), reorder; identities and signatures;
how often to check for mail and whether to check on start.

For the lead: ``AccountsDialog(backend, runner).open_for(key)`` answers the Mail tab's
``account_settings_requested(str)``; "Add account…" opens :class:`~app.ui.mail.wizard.AccountWizard`.

Signals:
    accounts_changed(): accounts were saved, added, removed or reordered.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import QuayError
from app.core.mail.account_setup import MailProfile, remove_profile, reorder_profiles, save_profile
from app.core.mail.identities import Identity
from app.ui.mail.composer_backend import ComposeBackend
from app.ui.mail.wizard import AccountWizard, ServerBox
from app.ui.tasks import Task, TaskRunner


class AccountsDialog(QDialog):
    accounts_changed = Signal()

    def __init__(self, backend: ComposeBackend, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accounts-dialog")
        self.backend = backend
        self.runner = runner
        self.profiles: list[MailProfile] = []
        self.current: MailProfile | None = None
        self.identities: list[Identity] = []
        self.confirm_remove = self._confirm_remove  # tests replace this
        lay = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(split)
        lv = QVBoxLayout(left)
        self.list = QListWidget(left)
        self.list.setObjectName("accounts-list")
        lv.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(left)
        self.remove_button = QPushButton(left)
        self.up_button = QPushButton(left)
        self.down_button = QPushButton(left)
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            row.addWidget(b)
        lv.addLayout(row)
        right = QWidget(split)
        form = QFormLayout(right)
        self.display_name = QLineEdit(right)
        self.display_name_label = QLabel(right)
        form.addRow(self.display_name_label, self.display_name)
        self.interval = QSpinBox(right)
        self.interval.setRange(1, 1440)
        self.interval_label = QLabel(right)
        form.addRow(self.interval_label, self.interval)
        self.check_on_start = QCheckBox(right)
        form.addRow(self.check_on_start)
        self.identity_list = QListWidget(right)
        self.identity_list.setObjectName("identities-list")
        self.identity_list.setMaximumHeight(90)
        self.identities_label = QLabel(right)
        form.addRow(self.identities_label, self.identity_list)
        irow = QHBoxLayout()
        self.add_identity = QPushButton(right)
        self.remove_identity = QPushButton(right)
        irow.addWidget(self.add_identity)
        irow.addWidget(self.remove_identity)
        irow.addStretch(1)
        form.addRow(irow)
        self.ident_address = QLineEdit(right)
        self.ident_name = QLineEdit(right)
        self.ident_reply_to = QLineEdit(right)
        self.signature = QPlainTextEdit(right)
        self.signature.setObjectName("identity-signature")
        self.signature.setMaximumHeight(90)
        self.ident_address_label, self.ident_name_label = QLabel(right), QLabel(right)
        self.ident_reply_label, self.signature_label = QLabel(right), QLabel(right)
        form.addRow(self.ident_address_label, self.ident_address)
        form.addRow(self.ident_name_label, self.ident_name)
        form.addRow(self.ident_reply_label, self.ident_reply_to)
        form.addRow(self.signature_label, self.signature)
        servers = QHBoxLayout()
        self.incoming = ServerBox(True, right)
        self.outgoing = ServerBox(False, right)
        servers.addWidget(self.incoming)
        servers.addWidget(self.outgoing)
        form.addRow(servers)
        self.password = QLineEdit(right)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel(right)
        form.addRow(self.password_label, self.password)
        self.status = QLabel(right)
        self.status.setWordWrap(True)
        form.addRow(self.status)
        for label, field in (
            (self.display_name_label, self.display_name),
            (self.interval_label, self.interval),
            (self.identities_label, self.identity_list),
            (self.ident_address_label, self.ident_address),
            (self.ident_name_label, self.ident_name),
            (self.ident_reply_label, self.ident_reply_to),
            (self.signature_label, self.signature),
            (self.password_label, self.password),
        ):
            label.setBuddy(field)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        lay.addWidget(split, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        lay.addWidget(self.buttons)
        self.list.currentRowChanged.connect(self._select)
        self.identity_list.currentRowChanged.connect(self._select_identity)
        self.add_button.clicked.connect(self.add_account)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.add_identity.clicked.connect(self._add_identity)
        self.remove_identity.clicked.connect(self._remove_identity)
        self._ident_row = -1
        self.retranslate()
        self.reload()
        self.resize(900, 600)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Mail accounts"))
        self.add_button.setText(self.tr("&Add…"))
        self.remove_button.setText(self.tr("&Remove…"))
        self.up_button.setText(self.tr("Move &up"))
        self.down_button.setText(self.tr("Move &down"))
        self.display_name_label.setText(self.tr("Account &name:"))
        self.interval_label.setText(self.tr("Check for new mail every (minutes):"))
        self.check_on_start.setText(self.tr("Check for new mail when Quay starts"))
        self.identities_label.setText(self.tr("&Identities:"))
        self.add_identity.setText(self.tr("Add identity"))
        self.remove_identity.setText(self.tr("Remove identity"))
        self.ident_address_label.setText(self.tr("Address:"))
        self.ident_name_label.setText(self.tr("Name:"))
        self.ident_reply_label.setText(self.tr("Reply-To:"))
        self.signature_label.setText(self.tr("Si&gnature:"))
        self.password_label.setText(self.tr("New &password:"))
        self.password.setPlaceholderText(self.tr("leave empty to keep the saved one"))
        self.save_button.setText(self.tr("&Save"))
        self.close_button.setText(self.tr("Close"))
        self.incoming.retranslate()
        self.outgoing.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------ list

    def reload(self, select: str | None = None) -> None:
        self.profiles = self.backend.profiles()
        self.list.blockSignals(True)
        self.list.clear()
        for p in self.profiles:
            item = QListWidgetItem(f"{p.display_name or p.email}\n{p.incoming.kind.upper()} · {p.email}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, p.key)
        self.list.blockSignals(False)
        row = next((i for i, p in enumerate(self.profiles) if p.key == select), 0)
        if self.profiles:
            self.list.setCurrentRow(row)
            self._select(row)
        else:
            self.current = None
        enabled = bool(self.profiles)
        for w in (self.remove_button, self.up_button, self.down_button, self.save_button):
            w.setEnabled(enabled)

    def open_for(self, key: str) -> None:
        """Show the dialog with ``key``'s account selected."""
        self.reload(select=key)
        self.show()
        self.raise_()

    def _select(self, row: int) -> None:
        if not 0 <= row < len(self.profiles):
            return
        p = self.profiles[row]
        self.current = p
        self.display_name.setText(p.display_name)
        self.interval.setValue(p.check_interval)
        self.check_on_start.setChecked(p.check_on_start)
        self.identities = list(p.identities)
        self._ident_row = -1
        self.identity_list.blockSignals(True)
        self.identity_list.clear()
        for i in self.identities:
            self.identity_list.addItem(i.from_header())
        self.identity_list.blockSignals(False)
        self.identity_list.setCurrentRow(0)
        self._select_identity(0)
        self.incoming.set_server(p.incoming)
        self.incoming.keep.setChecked(p.pop3_keep)
        self.incoming.days.setValue(p.pop3_delete_after_days or 0)
        self.outgoing.set_server(p.smtp)
        self.password.clear()
        self.status.clear()

    def _store_identity(self) -> None:
        r = self._ident_row
        if 0 <= r < len(self.identities):
            self.identities[r] = Identity(
                self.ident_address.text().strip(),
                self.ident_name.text().strip(),
                self.signature.toPlainText().rstrip("\n"),
                self.ident_reply_to.text().strip() or None,
            )
            item = self.identity_list.item(r)
            if item is not None:
                item.setText(self.identities[r].from_header())

    def _select_identity(self, row: int) -> None:
        self._store_identity()
        self._ident_row = row
        if 0 <= row < len(self.identities):
            i = self.identities[row]
            self.ident_address.setText(i.address)
            self.ident_name.setText(i.name)
            self.ident_reply_to.setText(i.reply_to or "")
            self.signature.setPlainText(i.signature)

    def _add_identity(self) -> None:
        self._store_identity()
        base = self.current.email if self.current else ""
        self.identities.append(Identity(base, self.display_name.text().strip()))
        self.identity_list.addItem(base)
        self.identity_list.setCurrentRow(len(self.identities) - 1)

    def _remove_identity(self) -> None:
        r = self.identity_list.currentRow()
        if len(self.identities) > 1 and 0 <= r < len(self.identities):
            self._ident_row = -1
            del self.identities[r]
            self.identity_list.takeItem(r)
            self.identity_list.setCurrentRow(0)
            self._select_identity(0)

    # ------------------------------------------------------------ actions

    def edited_profile(self) -> MailProfile | None:
        if self.current is None:
            return None
        self._store_identity()
        p = self.current
        days = self.incoming.days.value()
        return replace(
            p,
            incoming=self.incoming.server(),
            smtp=self.outgoing.server(),
            display_name=self.display_name.text().strip(),
            identities=[i for i in self.identities if i.address],
            check_interval=self.interval.value(),
            check_on_start=self.check_on_start.isChecked(),
            pop3_keep=self.incoming.keep.isChecked(),
            pop3_delete_after_days=(days or None) if self.incoming.keep.isChecked() else None,
        )

    def save(self) -> None:
        p = self.edited_profile()
        if p is None or self.current is None:
            return
        pw = self.password.text() or None
        old_key = self.current.key
        if pw is None and p.key != old_key:
            # The server changed: carry the saved password over to the new key.
            try:
                pw = self.backend.secrets.get(self.current.account().secret_key)
            except QuayError:
                pw = None
        try:
            save_profile(
                self.backend.book(),
                p,
                self.backend.secrets,
                incoming_password=pw,
                smtp_password=pw,
                replaces=old_key,
            )
        except QuayError as e:
            self.status.setText(self.tr("The account could not be saved: %1").replace("%1", str(e)))
            return
        self.status.setText(self.tr("Saved."))
        self.accounts_changed.emit()
        self.reload(select=p.key)

    def move(self, delta: int) -> None:
        row = self.list.currentRow()
        new = row + delta
        if not (0 <= row < len(self.profiles) and 0 <= new < len(self.profiles)):
            return
        keys = [p.key for p in self.profiles]
        keys[row], keys[new] = keys[new], keys[row]
        reorder_profiles(self.backend.book(), keys)
        self.accounts_changed.emit()
        self.reload(select=keys[new])

    def add_account(self) -> None:
        wizard = AccountWizard(self.backend, self.runner, parent=self)
        wizard.account_added.connect(lambda key: (self.reload(select=key), self.accounts_changed.emit()))
        wizard.open()

    def removal_text(self, p: MailProfile, messages: int, folders: int) -> str:
        """What removing ``p`` does, in words (the cache part differs between IMAP and POP3)."""
        head = self.tr("Remove the account %1? Its settings and saved password are deleted.").replace("%1", p.email)
        if p.incoming.kind == "pop3":
            cache = self.tr(
                "The %1 messages downloaded by POP3 exist only on this computer; they are deleted too "
                "unless you export them first."
            ).replace("%1", str(messages))
        else:
            cache = (
                self.tr(
                    "The copy of its mail on this computer (%1 messages in %2 folders) is deleted; the mail "
                    "itself stays on the server."
                )
                .replace("%1", str(messages))
                .replace("%2", str(folders))
            )
        return f"{head}\n\n{cache}"

    def _confirm_remove(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Remove account"), text, parent=self)
        remove = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is remove

    def remove_current(self) -> None:
        p = self.current
        if p is None:
            return
        backend = self.backend

        def count() -> tuple[int, int]:
            return backend.cache_counts(p.key)

        def ask(counts: tuple[int, int]) -> None:
            if not self.confirm_remove(self.removal_text(p, *counts)):
                return
            remove_profile(backend.book(), p.key, backend.secrets)
            Task(self.runner.serial("drafts"), lambda: backend.forget_cache(p.key)).on_success(
                lambda _n: self.accounts_changed.emit()
            ).start()
            self.reload()

        Task(self.runner.pool, count).on_success(ask).start()
