"""The main window: a Mail tab and a Files tab, menus, status bar, remembered geometry.

Signals:
    language_requested(str): the user picked a UI language ("system", "en", "vi").
    mailto_requested(MailtoRequest): a mailto: link arrived (command line, second launch, the OS);
        the Mail tab opens a composer filled in from it.
    url_requested(ParsedUrl): an sftp://, ftp:// or ftps:// URL arrived; the Files tab connects there,
        asking for what is missing (password, host key, certificate).
    files_requested(list[Path]): files arrived; the tabs offer them for upload or as attachments.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
)

from app import APP_NAME, __version__
from app.core.mailto import MailtoRequest
from app.core.urls import ParsedUrl
from app.ui.i18n import SUPPORTED
from app.ui.resources import resource_path
from app.ui.settings import Settings
from app.ui.transfer.files_tab import FilesTab


class MainWindow(QMainWindow):
    """Top-level window. Owns no network code: work runs on workers (see app/ui/tasks.py)."""

    language_requested = Signal(str)
    mailto_requested = Signal(object)
    url_requested = Signal(object)
    files_requested = Signal(list)

    def __init__(self, settings: Settings, current_language_setting: str = "system") -> None:
        super().__init__()
        self.settings = settings
        self.setObjectName("main-window")
        self.setWindowIcon(app_icon())
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("main-tabs")
        self.tabs.setDocumentMode(True)
        from app.ui.mail.mail_tab import MailTab

        self.mail_pane = MailTab(settings, parent=self.tabs)
        self.files_pane = FilesTab(settings, self.tabs)
        self.tabs.addTab(self.mail_pane, "")
        self.tabs.addTab(self.files_pane, "")
        self.setCentralWidget(self.tabs)
        self.reload_profile()
        self._build_menus(current_language_setting)
        self.status_label = QLabel(self)
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.files_pane.status_widget)
        self.resize(1100, 720)
        self._restore_geometry()
        self.retranslate()

    def reload_profile(self) -> None:
        """Re-read the configured accounts and sites (small local files; never touches the network)."""
        self.mail_pane.backend.reload_accounts()
        self.files_pane.reload_sites()

    # -- menus -------------------------------------------------------------
    def _build_menus(self, language_setting: str) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.files_pane.site_manager_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.edit_menu = bar.addMenu("")
        self.settings_action = QAction(
            QIcon.fromTheme("preferences-system", QIcon(str(resource_path("icons/preferences-system.svg")))), "", self
        )
        self.settings_action.setObjectName("settings-action")
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))  # Cmd+, on macOS
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.show_settings)
        self.edit_menu.addAction(self.settings_action)

        self.view_menu = bar.addMenu("")
        self.mail_tab_action = QAction(self)
        self.mail_tab_action.setShortcut(QKeySequence("Ctrl+1"))
        self.mail_tab_action.triggered.connect(lambda: self.tabs.setCurrentIndex(0))
        self.files_tab_action = QAction(self)
        self.files_tab_action.setShortcut(QKeySequence("Ctrl+2"))
        self.files_tab_action.triggered.connect(lambda: self.tabs.setCurrentIndex(1))
        self.view_menu.addAction(self.mail_tab_action)
        self.view_menu.addAction(self.files_tab_action)
        self.view_menu.addSeparator()
        self.language_menu = self.view_menu.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in ["system", *SUPPORTED]:
            act = QAction(self)
            act.setCheckable(True)
            act.setData(code)
            act.setChecked(code == language_setting)
            act.triggered.connect(lambda _checked=False, c=code: self.language_requested.emit(c))
            self.language_group.addAction(act)
            self.language_menu.addAction(act)
            self.language_actions[code] = act

        self.help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

    # -- i18n --------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Quay — mail and files"))
        self.tabs.setTabText(0, self.tr("Mail"))
        self.tabs.setTabText(1, self.tr("Files"))
        self.file_menu.setTitle(self.tr("&File"))
        self.quit_action.setText(self.tr("&Quit"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.settings_action.setText(self.tr("&Settings…"))
        self.settings_action.setStatusTip(self.tr("Language, theme, mail, files, privacy and where your data lives"))
        self.view_menu.setTitle(self.tr("&View"))
        self.mail_tab_action.setText(self.tr("&Mail"))
        self.files_tab_action.setText(self.tr("F&iles"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.language_actions["system"].setText(self.tr("System default"))
        for code, name in SUPPORTED.items():
            self.language_actions[code].setText(name)  # each language in its own name
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About Quay"))
        self.status_label.setText(self.tr("Ready"))
        self.files_pane.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- settings and links from outside ---------------------------------------
    def show_settings(self) -> None:
        """Open the settings dialog (window-modal; it stores and applies on OK/Apply)."""
        from app.ui.dialogs.settings import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_mailto(self, request: MailtoRequest) -> None:
        """A mailto: link to open: emits ``mailto_requested`` (the Mail tab opens a filled-in composer)."""
        self.mailto_requested.emit(request)

    def open_url(self, url: ParsedUrl) -> None:
        """An sftp/ftp/ftps URL to open: shows the Files tab and emits ``url_requested`` (it connects there)."""
        self.tabs.setCurrentIndex(1)
        self.url_requested.emit(url)

    def open_files(self, paths: list[Path]) -> None:
        """Files from the command line: emits ``files_requested`` (offered for upload or as attachments)."""
        self.files_requested.emit(list(paths))

    # -- about ---------------------------------------------------------------
    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Quay"),
            self.tr("%1 %2\nA fast, safe mail and file-transfer client.")
            .replace("%1", APP_NAME)
            .replace("%2", __version__),
        )

    # -- geometry ------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geom = self.settings.value("window/geometry")
        if geom is not None:
            self.restoreGeometry(geom)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        tab = self.settings.value("window/tab")
        if tab is not None:
            try:
                self.tabs.setCurrentIndex(int(tab))
            except (TypeError, ValueError):
                pass

    def save_geometry(self) -> None:
        self.settings.set_value("window/geometry", self.saveGeometry())
        self.settings.set_value("window/state", self.saveState())
        self.settings.set_value("window/tab", self.tabs.currentIndex())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_geometry()
        self.mail_pane.shutdown()
        self.files_pane.shutdown()
        super().closeEvent(event)


_ICON: QIcon | None = None


def app_icon() -> QIcon:
    global _ICON
    if _ICON is None:
        from app.ui.resources import resource_path

        _ICON = QIcon(str(resource_path("quay.svg")))
    return _ICON
