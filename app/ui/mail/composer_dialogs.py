"""Small dialogs of the composer: "Send later" (date and time) and "Send big files through your server"."""

from __future__ import annotations

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.mail.bigattach import BigAttachSettings, SitePublishing
from app.ui.mail.composer_attachments import format_size


class SendLaterDialog(QDialog):
    """Pick when to send; :meth:`when` is seconds since the epoch."""

    def __init__(self, now: QDateTime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("send-later-dialog")
        self.setWindowTitle(self.tr("Send later"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("The message waits in the outbox and is sent at this time:"), self))
        base = now or QDateTime.currentDateTime()
        self.edit = QDateTimeEdit(base.addSecs(3600), self)
        self.edit.setObjectName("send-later-time")
        self.edit.setCalendarPopup(True)
        self.edit.setMinimumDateTime(base)
        self.edit.setDisplayFormat(self.edit.locale().dateTimeFormat(self.edit.locale().FormatType.ShortFormat))
        self.edit.setAccessibleName(self.tr("Send at"))
        lay.addWidget(self.edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Send later"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def when(self) -> float:
        return self.edit.dateTime().toSecsSinceEpoch()


class BigAttachDialog(QDialog):
    """Offer to put big files on one of the user's own sites instead of attaching them."""

    def __init__(
        self,
        total: int,
        threshold: int,
        sites: list[tuple[str, str]],
        settings: BigAttachSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("big-attach-dialog")
        self.setWindowTitle(self.tr("Big attachments"))
        lay = QVBoxLayout(self)
        text = self.tr(
            "The attachments total %1, more than %2 that mail servers accept. Quay can upload them to "
            "one of your own servers and put links in the message instead."
        )
        info = QLabel(text.replace("%1", format_size(total)).replace("%2", format_size(threshold)), self)
        info.setWordWrap(True)
        lay.addWidget(info)
        form = QFormLayout()
        self.site = QComboBox(self)
        self.site.setObjectName("big-attach-site")
        for site_id, name in sites:
            self.site.addItem(name, site_id)
        if settings.site_id:
            idx = self.site.findData(settings.site_id)
            if idx >= 0:
                self.site.setCurrentIndex(idx)
        form.addRow(self.tr("Server:"), self.site)
        self.folder = QLineEdit(settings.folder, self)
        self.folder.setObjectName("big-attach-folder")
        form.addRow(self.tr("Folder on the server:"), self.folder)
        self.prefix = QLineEdit(self)
        self.prefix.setObjectName("big-attach-prefix")
        self.prefix.setPlaceholderText("https://files.example.com/")
        form.addRow(self.tr("Its web address:"), self.prefix)
        self.root = QLineEdit(self)
        self.root.setObjectName("big-attach-root")
        form.addRow(self.tr("Folder published at that address:"), self.root)
        lay.addLayout(form)
        self._settings = settings
        self.site.currentIndexChanged.connect(self._site_changed)
        self._site_changed()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Upload and link"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Attach anyway"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _site_changed(self) -> None:
        pub = self._settings.sites.get(str(self.site.currentData() or ""))
        self.prefix.setText(pub.prefix if pub else "")
        self.root.setText(pub.root if pub else "/")

    def apply_to(self, settings: BigAttachSettings) -> str:
        """Store the choices in ``settings``; returns the chosen site id."""
        site_id = str(self.site.currentData() or "")
        settings.site_id = site_id
        settings.folder = self.folder.text().strip()
        settings.sites[site_id] = SitePublishing(self.prefix.text().strip(), self.root.text().strip() or "/")
        return site_id
