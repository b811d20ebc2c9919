"""The one tray icon (unread badge, one notification per batch of new mail, Show/Quit menu, start
minimized) and the unread count in the window title.

The main window owns one :class:`QuayTray`::

    tray = QuayTray(window, app_icon())
    tray.message_activated.connect(open_message)            # int store message id
    tray.set_unread(total_unread)                           # whenever counts change
    tray.notify_new([NewMail(id, sender, subject), ...])    # once per sync batch
    set_unread_title(window, "Inbox", unread_in_folder)      # when the folder or its count changes

``hide_content`` (a privacy setting) makes notifications say only how many messages came.

Signals:
    message_activated(int): the user clicked a notification: open this message (the window is shown first).
    show_window_requested(): the window was brought back (icon clicked, "Show Quay", a notification).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

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


class QuayTray(QObject):
    """See the module docstring. ``window`` (None in tests of the icon alone) is shown, hidden and closed."""

    message_activated = Signal(int)
    show_window_requested = Signal()

    def __init__(
        self,
        window: QWidget | None,
        icon: QIcon | None = None,
        *,
        hide_content: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else window)
        self.window = window
        self.base_icon = icon if icon is not None else (window.windowIcon() if window is not None else QIcon())
        self.hide_content = hide_content
        self.unread = 0
        self.last_batch: list[NewMail] = []
        self.last_notification: tuple[str, str] = ("", "")
        self.tray = QSystemTrayIcon(self.base_icon, self)
        self.tray.setObjectName("tray-icon")
        self.menu = QMenu()
        self.show_action = self.menu.addAction("")
        self.show_action.triggered.connect(self.show_window)
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction("")
        self.quit_action.triggered.connect(self.quit)
        self.tray.setContextMenu(self.menu)
        self.tray.activated.connect(self._activated)
        self.tray.messageClicked.connect(self.notification_clicked)
        if window is not None:
            window.installEventFilter(self)
        self.retranslate()
        if self.available:
            self.tray.show()

    def retranslate(self) -> None:
        self.show_action.setText(self.tr("&Show Quay"))
        self.quit_action.setText(self.tr("&Quit"))
        self._update_tooltip()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    # -- the window --------------------------------------------------------------

    def start_minimized(self) -> None:
        """Start with only the tray icon showing (the window minimized where there is no tray)."""
        if self.window is None:
            return
        if self.available:
            self.tray.show()
            self.window.hide()
        else:
            self.window.showMinimized()

    def show_window(self) -> None:
        if self.window is not None:
            self.window.showNormal()
            if QApplication.platformName() not in ("offscreen", "minimal"):
                self.window.raise_()
            self.window.activateWindow()
        self.show_window_requested.emit()

    def quit(self) -> None:
        """Close the window (it saves its state) and leave, even while the window is hidden."""
        if self.window is not None:
            self.window.close()
        QApplication.quit()

    # -- unread mail ---------------------------------------------------------------

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
        """Show the window and open the newest message of the batch the notification was about."""
        self.show_window()
        if self.last_batch:
            self.message_activated.emit(self.last_batch[0].message_id)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_window()
