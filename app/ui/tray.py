"""The tray icon: where Quay waits when it starts minimized ("Show Quay", "Quit")."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSystemTrayIcon


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
