"""The tray icon (unread count, one notification per batch of new mail) and the unread count in the window title.

For the lead to wire::

    tray = MailTray(app_icon(), parent=window)
    tray.message_activated.connect(mail_tab.open_message)   # int store message id
    tray.show_window_requested.connect(window.showNormal)
    tray.set_unread(total_unread)                           # whenever counts change
    tray.notify_new([NewMail(id, sender, subject), ...])    # once per sync batch
    set_unread_title(window, "Inbox", unread_in_folder)      # when the folder or its count changes

``hide_content`` (a privacy setting) makes notifications say only how many messages came.

Signals:
    message_activated(int): the user clicked a notification: open this message.
    show_window_requested(): the user clicked the tray icon.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSystemTrayIcon, QWidget

APP_TITLE = "Quay"


@dataclass(frozen=True)
class NewMail:
    message_id: int
    sender: str
    subject: str


def unread_title(folder: str, unread: int) -> str:
    """``Inbox (3) — Quay``; without unread mail just ``Inbox — Quay``."""
    if not folder:
        return APP_TITLE
    if unread > 0:
        return f"{folder} ({unread}) — {APP_TITLE}"
    return f"{folder} — {APP_TITLE}"


def set_unread_title(window: QWidget, folder: str, unread: int) -> None:
    """Put the current folder's unread count in the window title (the taskbar shows it too)."""
    window.setWindowTitle(unread_title(folder, unread))


class MailTray(QObject):
    message_activated = Signal(int)
    show_window_requested = Signal()

    def __init__(self, icon: QIcon, *, hide_content: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.base_icon = icon
        self.hide_content = hide_content
        self.unread = 0
        self.last_batch: list[NewMail] = []
        self.last_notification: tuple[str, str] = ("", "")
        self.tray = QSystemTrayIcon(icon, self)
        self.menu = QMenu()
        self.show_action = self.menu.addAction("")
        self.show_action.triggered.connect(self.show_window_requested.emit)
        self.quit_action = self.menu.addAction("")
        self.quit_action.triggered.connect(QCoreApplication.quit)
        self.tray.setContextMenu(self.menu)
        self.tray.activated.connect(self._activated)
        self.tray.messageClicked.connect(self.notification_clicked)
        self.retranslate()
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()

    def retranslate(self) -> None:
        self.show_action.setText(self.tr("Show Quay"))
        self.quit_action.setText(self.tr("Quit"))
        self._update_tooltip()

    @property
    def available(self) -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def set_unread(self, count: int) -> None:
        """The total of unread messages in the inboxes; drawn on the icon and said in the tooltip."""
        self.unread = max(0, count)
        self.tray.setIcon(self.badged_icon(self.unread))
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        if self.unread:
            self.tray.setToolTip(self.tr("Quay — %n unread message(s)", "", self.unread))
        else:
            self.tray.setToolTip(self.tr("Quay — no unread mail"))

    def badged_icon(self, count: int) -> QIcon:
        """The app icon with the count in a corner badge (palette colours: highlight on highlighted text)."""
        if count <= 0:
            return self.base_icon
        size = 64
        pm = self.base_icon.pixmap(size, size)
        if pm.isNull():
            pm = QPixmap(size, size)
            pm.fill(Qt.GlobalColor.transparent)
        pal = QApplication.palette()
        painter = QPainter(pm)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = str(count) if count < 100 else "99+"
        rect = QRectF(size * 0.38, size * 0.38, size * 0.62, size * 0.62)
        painter.setBrush(pal.color(QPalette.ColorRole.Highlight))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(rect)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * (0.34 if len(text) < 3 else 0.24)))
        painter.setFont(font)
        painter.setPen(pal.color(QPalette.ColorRole.HighlightedText))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        return QIcon(pm)

    def notify_new(self, batch: list[NewMail]) -> None:
        """One notification for a batch of new messages (sender and subject, or only the count)."""
        if not batch:
            return
        self.last_batch = list(batch)
        n = len(batch)
        if self.hide_content:
            title = self.tr("%n new message(s)", "", n)
            body = self.tr("Open Quay to read them.")
        elif n == 1:
            title = batch[0].sender
            body = batch[0].subject or self.tr("(no subject)")
        else:
            title = self.tr("%n new message(s)", "", n)
            lines = [f"{m.sender}: {m.subject or self.tr('(no subject)')}" for m in batch[:3]]
            if n > 3:
                lines.append(self.tr("and %n more", "", n - 3))
            body = "\n".join(lines)
        self.last_notification = (title, body)
        if self.available and self.tray.supportsMessages():
            self.tray.showMessage(title, body, self.base_icon, 10_000)

    def notification_clicked(self) -> None:
        """Open the newest message of the batch the notification was about."""
        if self.last_batch:
            self.message_activated.emit(self.last_batch[0].message_id)
        self.show_window_requested.emit()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_window_requested.emit()


class TrayIcon(QSystemTrayIcon):
    """Shows and hides ``window``; a click on the icon brings the window back."""

    def __init__(self, window: QMainWindow, parent: QObject | None = None) -> None:
        super().__init__(window.windowIcon(), parent or window)
        self.window = window
        self.menu = QMenu()
        self.show_action = self.menu.addAction("")
        self.show_action.triggered.connect(self.show_window)
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction("")
        self.quit_action.triggered.connect(self.quit)
        self.setContextMenu(self.menu)
        self.activated.connect(self._activated)
        window.installEventFilter(self)
        self.retranslate()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_window()

    def show_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def quit(self) -> None:
        """Close the window (it saves its state) and leave, even while the window is hidden."""
        self.window.close()
        QApplication.quit()

    def retranslate(self) -> None:
        self.setToolTip(self.tr("Quay"))
        self.show_action.setText(self.tr("&Show Quay"))
        self.quit_action.setText(self.tr("&Quit"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False
