"""The quick-connect bar: protocol, host, port, user, password, Connect, and a history of recent addresses.

The host field also takes a whole address (``sftp://alice@files.example:2222/www``).  The history
keeps addresses without passwords (a typed password lives for the session only).

Signals:
    connect_requested(object): a :class:`Target` to connect to.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)

from app.core.errors import QuayError
from app.core.transfer.sites import DEFAULT_PORTS
from app.ui.transfer.backend import PROTOCOLS, FilesBackend, Target
from app.ui.transfer.icons import icon

HISTORY_KEY = "files/quick_history"
HISTORY_SIZE = 12
_KIND_TO_PROTOCOL = {("ftp", "none"): "ftp", ("ftp", "starttls"): "ftps", ("ftp", "tls"): "ftpsi"}


def target_from_url(text: str, password: str | None = None) -> Target:
    """A quick-connect address as a :class:`Target` (raises :class:`BadUrl` for anything else)."""
    from app.core.urls import parse_url

    parsed = parse_url(text, kinds=("ftp", "sftp", "tftp"))
    protocol = (
        parsed.kind if parsed.kind != "ftp" else _KIND_TO_PROTOCOL.get((parsed.kind, parsed.security.value), "ftp")
    )
    return FilesBackend.quick_target(
        protocol, parsed.host, parsed.port, parsed.user, password or parsed.password, parsed.path
    )


class QuickConnectBar(QWidget):
    """See the module docstring."""

    connect_requested = Signal(object)

    def __init__(self, settings: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quick-connect")
        self.settings = settings
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        self.protocol = QComboBox(self)
        self.protocol.setObjectName("quick-protocol")
        for p in PROTOCOLS:
            self.protocol.addItem(p.upper().replace("FTPSI", "FTPS (implicit)"), p)
        self.protocol.setCurrentIndex(PROTOCOLS.index("sftp"))
        self.host_label = QLabel(self)
        self.host = QLineEdit(self)
        self.host.setObjectName("quick-host")
        self.port_label = QLabel(self)
        self.port = QSpinBox(self)
        self.port.setObjectName("quick-port")
        self.port.setRange(0, 65535)
        self.user_label = QLabel(self)
        self.user = QLineEdit(self)
        self.user.setObjectName("quick-user")
        self.password_label = QLabel(self)
        self.password = QLineEdit(self)
        self.password.setObjectName("quick-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.connect_button = QPushButton(icon("network-connect"), "", self)
        self.connect_button.setObjectName("quick-connect-button")
        self.connect_button.setDefault(True)
        self.history_button = QToolButton(self)
        self.history_button.setObjectName("quick-history")
        self.history_button.setArrowType(Qt.ArrowType.DownArrow)
        self.history_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.history_menu = QMenu(self)
        self.history_menu.aboutToShow.connect(self._fill_history)
        self.history_button.setMenu(self.history_menu)
        self.error = QLabel(self)
        self.error.setObjectName("quick-error")
        self.host_label.setBuddy(self.host)
        self.port_label.setBuddy(self.port)
        self.user_label.setBuddy(self.user)
        self.password_label.setBuddy(self.password)
        lay.addWidget(self.protocol)
        lay.addWidget(self.host_label)
        lay.addWidget(self.host, 3)
        lay.addWidget(self.user_label)
        lay.addWidget(self.user, 2)
        lay.addWidget(self.password_label)
        lay.addWidget(self.password, 2)
        lay.addWidget(self.port_label)
        lay.addWidget(self.port)
        lay.addWidget(self.connect_button)
        lay.addWidget(self.history_button)
        lay.addWidget(self.error, 1)
        self.protocol.currentIndexChanged.connect(self._protocol_changed)
        for field in (self.host, self.user, self.password):
            field.returnPressed.connect(self.submit)
        self.connect_button.clicked.connect(self.submit)
        self.retranslate()
        self._protocol_changed()

    def retranslate(self) -> None:
        self.host_label.setText(self.tr("&Host:"))
        self.user_label.setText(self.tr("&User:"))
        self.password_label.setText(self.tr("Pass&word:"))
        self.port_label.setText(self.tr("&Port:"))
        self.connect_button.setText(self.tr("&Quickconnect"))
        self.connect_button.setToolTip(self.tr("Connect to this server"))
        self.history_button.setToolTip(self.tr("Recent servers"))
        self.history_button.setAccessibleName(self.tr("Recent servers"))
        self.protocol.setAccessibleName(self.tr("Protocol"))
        self.host.setPlaceholderText(self.tr("host or sftp://user@host/folder"))
        self._protocol_changed()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _protocol_changed(self, *_a: Any) -> None:
        proto = str(self.protocol.currentData())
        self.port.setSpecialValueText(str(DEFAULT_PORTS.get(proto, "")))

    def history(self) -> list[str]:
        value = self.settings.value(HISTORY_KEY, [])
        if isinstance(value, str):
            value = [value] if value else []
        return [str(v) for v in value or []]

    def remember(self, target: Target) -> None:
        url = target.to_quick_url() + (target.remote_dir if target.remote_dir.startswith("/") else "")
        items = [url] + [h for h in self.history() if h != url]
        self.settings.set_value(HISTORY_KEY, items[:HISTORY_SIZE])

    def _fill_history(self) -> None:
        self.history_menu.clear()
        items = self.history()
        if not items:
            act = self.history_menu.addAction(self.tr("No recent servers"))
            act.setEnabled(False)
            return
        for url in items:
            act = self.history_menu.addAction(url)
            act.triggered.connect(lambda _c=False, u=url: self.use(u))
        self.history_menu.addSeparator()
        clear = self.history_menu.addAction(self.tr("Clear history"))
        clear.triggered.connect(lambda: self.settings.set_value(HISTORY_KEY, []))

    def use(self, url: str) -> None:
        """Fill the fields from a history entry and connect."""
        try:
            target = target_from_url(url)
        except QuayError as e:
            self.error.setText(str(e))
            return
        self.protocol.setCurrentIndex(PROTOCOLS.index(target.protocol))
        self.host.setText(target.host)
        self.port.setValue(target.port if target.port != DEFAULT_PORTS[target.protocol] else 0)
        self.user.setText(target.user)
        self.password.clear()
        self.error.clear()
        self.connect_requested.emit(target)

    def build_target(self) -> Target:
        text = self.host.text().strip()
        password = self.password.text() or None
        if "://" in text:
            target = target_from_url(text, password)
            if self.user.text().strip() and not target.user:
                target.user = self.user.text().strip()
            return target
        if not text:
            raise QuayError(self.tr("Type a host name first."))
        proto = str(self.protocol.currentData())
        return FilesBackend.quick_target(proto, text, self.port.value() or None, self.user.text().strip(), password)

    def submit(self) -> None:
        try:
            target = self.build_target()
        except QuayError as e:
            self.error.setText(str(e))
            return
        self.error.clear()
        self.remember(target)
        self.connect_requested.emit(target)
