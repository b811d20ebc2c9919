"""The settings dialog: general (language, theme, start-up), notifications, mail, files, privacy, data.

Edits a copy of the values; OK and Apply validate every field, then store them all at once
through :meth:`Settings.update` (which emits ``changed`` per key: the application switches the
language and the theme from there, so both apply at once, without a restart). Cancel keeps
what was stored. While a field is invalid, OK and Apply are disabled and the line under the
pages says which field and why, in the user's language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.ui.dialogs.registry import showcase_dialog
from app.ui.i18n import SUPPORTED
from app.ui.settings import SCHEMA, SettingError, Settings, valid_sender

_PAGES = ("general", "notifications", "mail", "files", "privacy", "data")
_PAGE_ICONS = {
    "general": "preferences-system",
    "notifications": "preferences-desktop-notification",
    "mail": "internet-mail",
    "files": "folder-remote",
    "privacy": "security-medium",
    "data": "drive-harddisk",
}


def _icon(name: str) -> QIcon:
    """The theme's icon, else the one bundled in resources/icons/."""
    from app.ui.resources import resource_path

    return QIcon.fromTheme(name, QIcon(str(resource_path(f"icons/{name}.svg"))))


def _combo(parent: QWidget, name: str, codes: tuple[str, ...]) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName(name)
    for code in codes:
        box.addItem("", code)
    return box


def _set_combo(box: QComboBox, code: Any) -> None:
    index = box.findData(code)
    box.setCurrentIndex(max(index, 0))


def _spin(parent: QWidget, name: str, key: str) -> QSpinBox:
    option = SCHEMA[key]
    spin = QSpinBox(parent)
    spin.setObjectName(name)
    spin.setRange(option.minimum or 0, option.maximum if option.maximum is not None else 2**31 - 1)
    spin.setAccelerated(True)
    return spin


class SettingsDialog(QDialog):
    """Edits :data:`app.ui.settings.SCHEMA` for one profile (see the module docstring)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("settings-dialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.sections = QListWidget(self)
        self.sections.setObjectName("settings-sections")
        self.sections.setFixedWidth(190)
        self.sections.setIconSize(QSize(24, 24))
        self.sections.setSpacing(3)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("settings-pages")
        self._page_titles: dict[str, QLabel] = {}
        for code in _PAGES:
            item = QListWidgetItem(_icon(_PAGE_ICONS[code]), "", self.sections)
            item.setData(Qt.ItemDataRole.UserRole, code)
            page = QWidget(self.pages)
            page.setObjectName(f"settings-page-{code}")
            layout = QVBoxLayout(page)
            layout.setContentsMargins(12, 0, 0, 0)
            title = QLabel(page)
            font = title.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.25)
            title.setFont(font)
            layout.addWidget(title)
            self._page_titles[code] = title
            getattr(self, f"_build_{code}")(page, layout)
            layout.addStretch(1)
            self.pages.addWidget(page)
        self.sections.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.problem = QLabel(self)
        self.problem.setObjectName("settings-problem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        self.buttons.setObjectName("settings-buttons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.clicked.connect(self._clicked)
        body = QHBoxLayout()
        body.addWidget(self.sections)
        body.addWidget(self.pages, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(body, 1)
        outer.addWidget(self.problem)
        outer.addWidget(self.buttons)
        self.sections.setCurrentRow(0)
        self.load(self.settings.as_dict())
        for widget in self.findChildren(QLineEdit):
            widget.textChanged.connect(self.validate)
        self.retranslate()
        self.resize(860, 580)

    # -- pages -----------------------------------------------------------------
    def _group(self, page: QWidget, layout: QVBoxLayout, name: str) -> QFormLayout:
        box = QGroupBox(page)
        box.setObjectName(name)
        layout.addWidget(box)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        return form

    def _build_general(self, page: QWidget, layout: QVBoxLayout) -> None:
        form = self._group(page, layout, "appearance-group")
        self.language = _combo(page, "language", ("system", *SUPPORTED))
        self.theme = _combo(page, "theme", ("system", "light", "dark"))
        self.language_label, self.theme_label = QLabel(page), QLabel(page)
        form.addRow(self.language_label, self.language)
        form.addRow(self.theme_label, self.theme)
        self.language_label.setBuddy(self.language)
        self.theme_label.setBuddy(self.theme)
        form = self._group(page, layout, "startup-group")
        self.start_minimized = QCheckBox(page)
        self.start_minimized.setObjectName("start-minimized")
        self.check_on_start = QCheckBox(page)
        self.check_on_start.setObjectName("check-on-start")
        form.addRow(self.start_minimized)
        form.addRow(self.check_on_start)

    def _build_notifications(self, page: QWidget, layout: QVBoxLayout) -> None:
        form = self._group(page, layout, "notify-group")
        self.notify_mail = QCheckBox(page)
        self.notify_mail.setObjectName("notify-mail")
        self.notify_transfers = QCheckBox(page)
        self.notify_transfers.setObjectName("notify-transfers")
        self.notify_errors = QCheckBox(page)
        self.notify_errors.setObjectName("notify-errors")
        for box in (self.notify_mail, self.notify_transfers, self.notify_errors):
            form.addRow(box)

    def _build_mail(self, page: QWidget, layout: QVBoxLayout) -> None:
        form = self._group(page, layout, "reading-group")
        self.mark_read = QCheckBox(page)
        self.mark_read.setObjectName("mark-read")
        self.mark_read_delay = _spin(page, "mark-read-delay", "mail/mark_read_delay_s")
        self.mark_read.toggled.connect(self.mark_read_delay.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.mark_read)
        row.addWidget(self.mark_read_delay)
        row.addStretch(1)
        form.addRow(row)
        self.remote_content = _combo(page, "remote-content", ("block", "senders", "always"))
        self.remote_content_label = QLabel(page)
        self.remote_content_label.setBuddy(self.remote_content)
        form.addRow(self.remote_content_label, self.remote_content)
        self.senders = QListWidget(page)
        self.senders.setObjectName("allowed-senders")
        self.senders.setMaximumHeight(90)
        self.sender_entry = QLineEdit(page)
        self.sender_entry.setObjectName("sender-entry")
        self.sender_add = QPushButton(page)
        self.sender_add.setObjectName("sender-add")
        self.sender_remove = QPushButton(page)
        self.sender_remove.setObjectName("sender-remove")
        self.sender_add.clicked.connect(self._add_sender)
        self.sender_entry.installEventFilter(self)  # Return adds the sender instead of pressing OK
        self.sender_remove.clicked.connect(self._remove_sender)
        self.senders.itemSelectionChanged.connect(
            lambda: self.sender_remove.setEnabled(bool(self.senders.selectedItems()))
        )
        entry_row = QHBoxLayout()
        entry_row.addWidget(self.sender_entry, 1)
        entry_row.addWidget(self.sender_add)
        entry_row.addWidget(self.sender_remove)
        senders = QVBoxLayout()
        senders.addWidget(self.senders)
        senders.addLayout(entry_row)
        self.senders_label = QLabel(page)
        self.senders_label.setBuddy(self.sender_entry)
        form.addRow(self.senders_label, senders)
        form = self._group(page, layout, "sending-group")
        self.compose_format = _combo(page, "compose-format", ("html", "plain"))
        self.compose_format_label = QLabel(page)
        self.compose_format_label.setBuddy(self.compose_format)
        form.addRow(self.compose_format_label, self.compose_format)
        self.check_interval = _spin(page, "check-interval", "mail/check_interval_min")
        self.check_interval_label = QLabel(page)
        self.check_interval_label.setBuddy(self.check_interval)
        form.addRow(self.check_interval_label, self.check_interval)
        self.big_attachment = _spin(page, "big-attachment", "mail/big_attachment_mb")
        self.big_attachment_site = QComboBox(page)
        self.big_attachment_site.setObjectName("big-attachment-site")
        self.big_attachment_site.addItem("", "")
        self._sites = self._site_names()
        for name in self._sites:
            self.big_attachment_site.addItem(name, name)
        self.big_attachment_site.currentIndexChanged.connect(self.validate)
        row = QHBoxLayout()
        row.addWidget(self.big_attachment)
        row.addWidget(self.big_attachment_site, 1)
        self.big_attachment_label = QLabel(page)
        self.big_attachment_label.setWordWrap(True)
        self.big_attachment_label.setBuddy(self.big_attachment)
        form.addRow(self.big_attachment_label, row)

    def _build_files(self, page: QWidget, layout: QVBoxLayout) -> None:
        form = self._group(page, layout, "transfers-group")
        self.local_folder = QLineEdit(page)
        self.local_folder.setObjectName("local-folder")
        self.local_folder_browse = QPushButton(page)
        self.local_folder_browse.setObjectName("local-folder-browse")
        self.local_folder_browse.clicked.connect(lambda: self._browse(self.local_folder))
        row = QHBoxLayout()
        row.addWidget(self.local_folder, 1)
        row.addWidget(self.local_folder_browse)
        self.local_folder_label = QLabel(page)
        self.local_folder_label.setBuddy(self.local_folder)
        form.addRow(self.local_folder_label, row)
        self.parallel = _spin(page, "parallel", "files/parallel")
        self.parallel_label = QLabel(page)
        self.parallel_label.setBuddy(self.parallel)
        form.addRow(self.parallel_label, self.parallel)
        self.conflict = _combo(page, "conflict", SCHEMA["files/conflict"].choices)
        self.conflict_label = QLabel(page)
        self.conflict_label.setBuddy(self.conflict)
        form.addRow(self.conflict_label, self.conflict)
        self.speed_limit = _spin(page, "speed-limit", "files/speed_limit_kib")
        self.speed_limit.setSingleStep(100)
        self.speed_limit_label = QLabel(page)
        self.speed_limit_label.setBuddy(self.speed_limit)
        form.addRow(self.speed_limit_label, self.speed_limit)
        self.preserve_times = QCheckBox(page)
        self.preserve_times.setObjectName("preserve-times")
        self.show_hidden = QCheckBox(page)
        self.show_hidden.setObjectName("show-hidden")
        form.addRow(self.preserve_times)
        form.addRow(self.show_hidden)

    def _build_privacy(self, page: QWidget, layout: QVBoxLayout) -> None:
        form = self._group(page, layout, "logs-group")
        self.protocol_logs = QCheckBox(page)
        self.protocol_logs.setObjectName("protocol-logs")
        form.addRow(self.protocol_logs)
        self.log_dir = QLineEdit(page)
        self.log_dir.setObjectName("log-dir")
        self.log_dir_browse = QPushButton(page)
        self.log_dir_browse.setObjectName("log-dir-browse")
        self.log_dir_browse.clicked.connect(lambda: self._browse(self.log_dir))
        self.protocol_logs.toggled.connect(self.log_dir.setEnabled)
        self.protocol_logs.toggled.connect(self.log_dir_browse.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.log_dir, 1)
        row.addWidget(self.log_dir_browse)
        self.log_dir_label = QLabel(page)
        self.log_dir_label.setBuddy(self.log_dir)
        form.addRow(self.log_dir_label, row)
        self.logs_note = QLabel(page)
        self.logs_note.setWordWrap(True)
        form.addRow(self.logs_note)

    def _build_data(self, page: QWidget, layout: QVBoxLayout) -> None:
        form = self._group(page, layout, "data-group")
        paths = self.settings.paths
        self.data_rows: dict[str, tuple[QLabel, QLineEdit, QPushButton]] = {}
        for code, path in (("data", paths.data), ("config", paths.config), ("cache", paths.cache)):
            label = QLabel(page)
            shown = QLineEdit(str(path), page)
            shown.setObjectName(f"{code}-path")
            shown.setReadOnly(True)
            button = QPushButton(page)
            button.setObjectName(f"{code}-open")
            button.clicked.connect(lambda _=False, p=path: self.open_folder(p))
            row = QHBoxLayout()
            row.addWidget(shown, 1)
            row.addWidget(button)
            label.setBuddy(shown)
            form.addRow(label, row)
            self.data_rows[code] = (label, shown, button)
        self.data_note = QLabel(page)
        self.data_note.setWordWrap(True)
        form.addRow(self.data_note)

    def show_page(self, code: str) -> None:
        """Switch to the page ``code`` (one of general, notifications, mail, files, privacy, data)."""
        self.sections.setCurrentRow(_PAGES.index(code))

    # -- values ----------------------------------------------------------------
    def _site_names(self) -> list[str]:
        """The sites the user has (names only; a small local file, read once)."""
        from app.core.errors import QuayError
        from app.core.services import Services

        try:
            return [s.name for s in Services(self.settings.paths).sites.all()]
        except QuayError:
            return []

    def load(self, values: dict[str, Any]) -> None:
        """Show ``values`` (a full :data:`SCHEMA` mapping) in the fields."""
        _set_combo(self.language, values["ui/language"])
        _set_combo(self.theme, values["ui/theme"])
        self.start_minimized.setChecked(values["startup/minimized_to_tray"])
        self.check_on_start.setChecked(values["startup/check_mail"])
        self.notify_mail.setChecked(values["notifications/new_mail"])
        self.notify_transfers.setChecked(values["notifications/transfers_done"])
        self.notify_errors.setChecked(values["notifications/errors"])
        self.mark_read.setChecked(values["mail/mark_read"])
        self.mark_read_delay.setValue(values["mail/mark_read_delay_s"])
        self.mark_read_delay.setEnabled(values["mail/mark_read"])
        _set_combo(self.remote_content, values["mail/remote_content"])
        self.senders.clear()
        self.senders.addItems(values["mail/allowed_senders"])
        self.sender_remove.setEnabled(False)
        _set_combo(self.compose_format, values["mail/compose_format"])
        self.check_interval.setValue(values["mail/check_interval_min"])
        self.big_attachment.setValue(values["mail/big_attachment_mb"])
        site = values["mail/big_attachment_site"]
        if site and self.big_attachment_site.findData(site) < 0:
            self.big_attachment_site.addItem(site, site)  # a site since removed: shown, then flagged
        _set_combo(self.big_attachment_site, site)
        self.local_folder.setText(values["files/local_folder"])
        self.parallel.setValue(values["files/parallel"])
        _set_combo(self.conflict, values["files/conflict"])
        self.speed_limit.setValue(values["files/speed_limit_kib"])
        self.preserve_times.setChecked(values["files/preserve_times"])
        self.show_hidden.setChecked(values["files/show_hidden"])
        self.protocol_logs.setChecked(values["privacy/protocol_logs"])
        self.log_dir.setText(values["privacy/protocol_log_dir"])
        self.log_dir.setEnabled(values["privacy/protocol_logs"])
        self.log_dir_browse.setEnabled(values["privacy/protocol_logs"])
        self.validate()

    def values(self) -> dict[str, Any]:
        """What the fields say now, as a :data:`SCHEMA` mapping."""
        return {
            "ui/language": self.language.currentData(),
            "ui/theme": self.theme.currentData(),
            "startup/minimized_to_tray": self.start_minimized.isChecked(),
            "startup/check_mail": self.check_on_start.isChecked(),
            "notifications/new_mail": self.notify_mail.isChecked(),
            "notifications/transfers_done": self.notify_transfers.isChecked(),
            "notifications/errors": self.notify_errors.isChecked(),
            "mail/mark_read": self.mark_read.isChecked(),
            "mail/mark_read_delay_s": self.mark_read_delay.value(),
            "mail/remote_content": self.remote_content.currentData(),
            "mail/allowed_senders": [self.senders.item(i).text() for i in range(self.senders.count())],
            "mail/compose_format": self.compose_format.currentData(),
            "mail/check_interval_min": self.check_interval.value(),
            "mail/big_attachment_mb": self.big_attachment.value(),
            "mail/big_attachment_site": self.big_attachment_site.currentData() or "",
            "files/local_folder": self.local_folder.text().strip(),
            "files/parallel": self.parallel.value(),
            "files/conflict": self.conflict.currentData(),
            "files/speed_limit_kib": self.speed_limit.value(),
            "files/preserve_times": self.preserve_times.isChecked(),
            "files/show_hidden": self.show_hidden.isChecked(),
            "privacy/protocol_logs": self.protocol_logs.isChecked(),
            "privacy/protocol_log_dir": self.log_dir.text().strip(),
        }

    def errors(self) -> list[tuple[QWidget, str]]:
        """Every invalid field with what is wrong, in the user's language (empty when all is well)."""
        out: list[tuple[QWidget, str]] = []
        folder = self.local_folder.text().strip()
        if folder:
            p = Path(folder).expanduser()
            if not p.is_absolute():
                out.append((self.local_folder, self.tr("The default local folder must be a full path.")))
            elif not p.is_dir():
                out.append(
                    (self.local_folder, self.tr("The default local folder %1 does not exist.").replace("%1", folder))
                )
        log_dir = self.log_dir.text().strip()
        if self.protocol_logs.isChecked() and log_dir:
            p = Path(log_dir).expanduser()
            if not p.is_absolute():
                out.append((self.log_dir, self.tr("The protocol log folder must be a full path.")))
            elif not (p.is_dir() or p.parent.is_dir()):
                out.append(
                    (self.log_dir, self.tr("The protocol log folder %1 cannot be created.").replace("%1", log_dir))
                )
        site = self.big_attachment_site.currentData()
        if site and site not in self._sites:
            out.append(
                (
                    self.big_attachment_site,
                    self.tr("There is no site named %1 any more: pick another one.").replace("%1", site),
                )
            )
        return out

    def validate(self) -> bool:
        """Check the fields, say what is wrong, and allow OK/Apply only when nothing is."""
        problems = self.errors()
        ok = not problems
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setEnabled(ok)
        if ok:
            self.problem.clear()
            self.problem.hide()
        else:
            self.problem.setText("\n".join(text for _w, text in problems))
            self.problem.show()
        return ok

    def apply(self) -> bool:
        """Store the fields (validated); False, with the reason shown, if anything is invalid."""
        if not self.validate():
            return False
        try:
            self.settings.update(self.values())
        except (SettingError, OSError) as e:
            self.problem.setText(self.tr("The settings could not be saved: %1").replace("%1", str(e)))
            self.problem.show()
            return False
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()

    def _clicked(self, button: QAbstractButton) -> None:
        role = self.buttons.standardButton(button)
        if role == QDialogButtonBox.StandardButton.Apply:
            self.apply()
        elif role == QDialogButtonBox.StandardButton.RestoreDefaults:
            self.load({key: option.default for key, option in SCHEMA.items()})

    # -- small actions -----------------------------------------------------------
    def _add_sender(self) -> None:
        entry = self.sender_entry.text().strip()
        if not entry:
            return
        if not valid_sender(entry):
            self.problem.setText(
                self.tr("%1 is not an e-mail address or a domain (like name@example.org or example.org).").replace(
                    "%1", entry
                )
            )
            self.problem.show()
            return
        if not self.senders.findItems(entry, Qt.MatchFlag.MatchFixedString):
            self.senders.addItem(entry)
        self.sender_entry.clear()
        self.validate()

    def _remove_sender(self) -> None:
        for item in self.senders.selectedItems():
            self.senders.takeItem(self.senders.row(item))

    def _browse(self, field: QLineEdit) -> None:
        start = field.text().strip() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder"), start)
        if chosen:
            field.setText(chosen)

    def open_folder(self, path: Path) -> bool:
        """Show ``path`` in the system's file manager."""
        path.mkdir(parents=True, exist_ok=True)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # -- i18n ------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        names = {
            "general": self.tr("General"),
            "notifications": self.tr("Notifications"),
            "mail": self.tr("Mail"),
            "files": self.tr("Files"),
            "privacy": self.tr("Privacy"),
            "data": self.tr("Your data"),
        }
        for row, code in enumerate(_PAGES):
            self.sections.item(row).setText(names[code])
            self._page_titles[code].setText(names[code])
        self.sections.setAccessibleName(self.tr("Settings sections"))
        groups = {
            "appearance-group": self.tr("Language and appearance"),
            "startup-group": self.tr("Start-up"),
            "notify-group": self.tr("Show a notification for"),
            "reading-group": self.tr("Reading"),
            "sending-group": self.tr("Writing and checking"),
            "transfers-group": self.tr("Transfers"),
            "logs-group": self.tr("Protocol logs"),
            "data-group": self.tr("Where Quay keeps your data"),
        }
        for box in self.findChildren(QGroupBox):
            box.setTitle(groups.get(box.objectName(), box.title()))
        self.language_label.setText(self.tr("&Language:"))
        self.language.setItemText(0, self.tr("System default"))
        for i, name in enumerate(SUPPORTED.values(), start=1):
            self.language.setItemText(i, name)  # each language in its own name
        self.theme_label.setText(self.tr("&Theme:"))
        self.theme.setItemText(0, self.tr("Follow the system"))
        self.theme.setItemText(1, self.tr("Light"))
        self.theme.setItemText(2, self.tr("Dark"))
        self.start_minimized.setText(self.tr("Start &minimized to the tray"))
        self.check_on_start.setText(self.tr("&Check for new mail at start-up"))
        self.notify_mail.setText(self.tr("&New mail"))
        self.notify_transfers.setText(self.tr("&Finished transfers"))
        self.notify_errors.setText(self.tr("&Errors"))
        self.mark_read.setText(self.tr("Mark messages as &read after"))
        self.mark_read_delay.setSuffix(self.tr(" s"))
        self.mark_read_delay.setSpecialValueText(self.tr("at once"))
        self.mark_read_delay.setAccessibleName(self.tr("Seconds before a message is marked as read"))
        self.remote_content_label.setText(self.tr("Remote &content:"))
        self.remote_content.setItemText(0, self.tr("Never load it"))
        self.remote_content.setItemText(1, self.tr("Load it for the senders below only"))
        self.remote_content.setItemText(2, self.tr("Always load it (not recommended)"))
        self.remote_content.setToolTip(
            self.tr("Remote images and styles tell the sender when and where you read a message.")
        )
        self.senders_label.setText(self.tr("Allowed &senders:"))
        self.senders.setAccessibleName(self.tr("Allowed senders"))
        self.sender_entry.setPlaceholderText(self.tr("name@example.org or example.org"))
        self.sender_add.setText(self.tr("&Add"))
        self.sender_remove.setText(self.tr("Remo&ve"))
        self.compose_format_label.setText(self.tr("&Write messages as:"))
        self.compose_format.setItemText(0, self.tr("Formatted text (HTML)"))
        self.compose_format.setItemText(1, self.tr("Plain text"))
        self.check_interval_label.setText(self.tr("Check for new mail &every:"))
        self.check_interval.setSuffix(self.tr(" min"))
        self.check_interval.setSpecialValueText(self.tr("only when I ask"))
        self.big_attachment_label.setText(self.tr("Offer to upload attachments &larger than:"))
        self.big_attachment.setSuffix(self.tr(" MB"))
        self.big_attachment_site.setItemText(0, self.tr("(do not offer)"))
        self.big_attachment_site.setAccessibleName(self.tr("Site for large attachments"))
        self.local_folder_label.setText(self.tr("Default &local folder:"))
        self.local_folder.setPlaceholderText(self.tr("Your home folder"))
        self.local_folder_browse.setText(self.tr("&Browse…"))
        self.parallel_label.setText(self.tr("&Parallel connections:"))
        self.conflict_label.setText(self.tr("When a file &exists:"))
        conflict_names = {
            "ask": self.tr("Ask me"),
            "overwrite": self.tr("Overwrite"),
            "overwrite_if_newer": self.tr("Overwrite if the source is newer"),
            "overwrite_if_size_differs": self.tr("Overwrite if the size differs"),
            "resume": self.tr("Resume"),
            "rename": self.tr("Keep both (rename)"),
            "skip": self.tr("Skip"),
        }
        for i in range(self.conflict.count()):
            self.conflict.setItemText(i, conflict_names.get(self.conflict.itemData(i), self.conflict.itemData(i)))
        self.speed_limit_label.setText(self.tr("Speed &limit:"))
        self.speed_limit.setSuffix(self.tr(" KiB/s"))
        self.speed_limit.setSpecialValueText(self.tr("no limit"))
        self.preserve_times.setText(self.tr("Keep the files' modification &times"))
        self.show_hidden.setText(self.tr("Show &hidden files"))
        self.protocol_logs.setText(self.tr("&Keep protocol logs (commands and replies)"))
        self.log_dir_label.setText(self.tr("Log &folder:"))
        self.log_dir.setPlaceholderText(str(self.settings.paths.cache / "logs"))
        self.log_dir_browse.setText(self.tr("B&rowse…"))
        self.logs_note.setText(
            self.tr("Passwords and other secrets are removed from the logs before they are written.")
        )
        labels = {
            "data": self.tr("Messages and transfers:"),
            "config": self.tr("Settings and accounts:"),
            "cache": self.tr("Cache:"),
        }
        for code, (label, shown, button) in self.data_rows.items():
            label.setText(labels[code])
            button.setText(self.tr("Open folder"))
            button.setAccessibleName(self.tr("Open folder %1").replace("%1", str(shown.text())))
        self.data_note.setText(self.tr("Passwords are kept in the system's keyring, never in these folders."))
        self.validate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.sender_entry
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)  # type: ignore[attr-defined]
        ):
            self._add_sender()
            return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


@showcase_dialog("settings")
def _settings_showcase(window: Any) -> QWidget:
    dialog = SettingsDialog(window.settings, window)
    dialog.show_page("mail")  # the page with the most to show
    return dialog
