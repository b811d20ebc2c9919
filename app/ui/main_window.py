"""The main window: a Mail tab and a Files tab, menus, one status bar, one tray icon, remembered geometry.

The Mail side is put together here: one :class:`~app.core.services.Services` shared by the reading
backend and the composer's, the composer windows opened from the Mail tab's signals, from ``mailto:``
links and from files handed to Quay, the account wizard and settings, one outbox runner, drafts a
crash left open, the tray (unread badge, new-mail notifications), the current folder's unread count
in the title, and the mail settings followed live (compose format, check interval, notifications).

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
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from app import APP_NAME, __version__
from app.core.mailto import MailtoRequest
from app.core.services import Services
from app.core.urls import ParsedUrl
from app.ui.i18n import SUPPORTED
from app.ui.resources import resource_path
from app.ui.settings import Settings
from app.ui.tasks import TaskRunner, task_errors
from app.ui.transfer.files_tab import FilesTab
from app.ui.tray import NewMail, QuayTray, unread_title

#: How long an error from a background task stays in the status bar.
ERROR_MESSAGE_MS = 15_000


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
        from app.ui.mail.backend import MailBackend
        from app.ui.mail.composer_backend import ComposeBackend
        from app.ui.mail.composer_outbox import OutboxRunner
        from app.ui.mail.mail_tab import MailTab

        # One Services for the reading and the writing side: one account book, pin store and keyring memory.
        self.services = Services(settings.paths)
        self.runner = TaskRunner()  # the composer's, the outbox's and the account dialogs' work
        self.compose_backend = ComposeBackend(settings.paths, services=self.services)
        self.outbox_runner = OutboxRunner(self.compose_backend, self.runner, parent=self)
        self.outbox_runner.failed.connect(self._task_failed)
        self.composers: list[QWidget] = []
        self.mail_pane = MailTab(settings, MailBackend(settings.paths, services=self.services, parent=self), self.tabs)
        self.files_pane = FilesTab(settings, self.tabs)
        self.tabs.addTab(self.mail_pane, "")
        self.tabs.addTab(self.files_pane, "")
        self.url_requested.connect(self.files_pane.open_url)
        self.setCentralWidget(self.tabs)
        self.reload_profile()
        self._build_menus(current_language_setting)
        # One status bar: the Mail tab's activity, progress and pending badge (a task's error for a while
        # in their place), and the transfer totals.
        self.statusBar().addWidget(self.mail_pane.status_strip, 1)
        self.mail_pane.status_strip.layout().setContentsMargins(0, 0, 0, 0)
        self.statusBar().addPermanentWidget(self.files_pane.status_widget)
        task_errors().failed.connect(self._task_failed)
        self.tray = QuayTray(self, app_icon(), hide_content=bool(settings.get("notifications/hide_content")))
        self.tray.message_activated.connect(self.open_message)
        self.files_pane._tray = self.tray.tray  # its "transfers finished" notice uses the one tray icon
        self._folder_title = ("", 0)
        self._connect_mail()
        self._apply_mail_settings()
        settings.changed.connect(self._setting_changed)
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
        self.new_message_action = QAction(QIcon.fromTheme("mail-message-new", _icon("mail-message-new")), "", self)
        self.new_message_action.setObjectName("new-message-action")
        self.new_message_action.triggered.connect(lambda: self.compose())
        self.add_account_action = QAction(QIcon.fromTheme("list-add", _icon("list-add")), "", self)
        self.add_account_action.setObjectName("add-account-action")
        self.add_account_action.triggered.connect(self.add_mail_account)
        self.accounts_action = QAction(self)
        self.accounts_action.setObjectName("accounts-action")
        self.accounts_action.triggered.connect(lambda: self.show_account_settings(""))
        self.file_menu.addAction(self.new_message_action)
        self.file_menu.addAction(self.add_account_action)
        self.file_menu.addAction(self.accounts_action)
        self.file_menu.addSeparator()
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
        from app.ui.dialogs.shortcuts import shortcuts_action

        self.shortcuts_action = shortcuts_action(self)
        self.help_menu.addAction(self.shortcuts_action)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

    # -- i18n --------------------------------------------------------------
    def retranslate(self) -> None:
        self._update_title()
        self.tabs.setTabText(0, self.tr("Mail"))
        self.tabs.setTabText(1, self.tr("Files"))
        self.file_menu.setTitle(self.tr("&File"))
        self.quit_action.setText(self.tr("&Quit"))
        self.new_message_action.setText(self.tr("&New message…"))
        self.new_message_action.setStatusTip(self.tr("Write a new message"))
        self.add_account_action.setText(self.tr("Add &mail account…"))
        self.add_account_action.setStatusTip(self.tr("Set up a mail account from your address and password"))
        self.accounts_action.setText(self.tr("Mail a&ccounts…"))
        self.accounts_action.setStatusTip(self.tr("Edit, reorder or remove mail accounts, identities and signatures"))
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
        self.shortcuts_action.setText(self.tr("&Keyboard shortcuts"))
        self.about_action.setText(self.tr("&About Quay"))
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
        """A mailto: link to open: emits ``mailto_requested``, which opens a filled-in composer."""
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
        self._close_composers()
        self.mail_pane.shutdown()
        self.files_pane.shutdown()
        self.outbox_runner.timer.stop()
        self.runner.shutdown(wait=True)
        self.compose_backend.close()
        self.services.close()
        self.tray.tray.hide()
        super().closeEvent(event)

    # -- the Mail side ---------------------------------------------------------------

    def _close_composers(self, timeout_ms: int = 10_000) -> None:
        """Close every composer and wait (up to ``timeout_ms``) until their drafts are saved: quitting
        drops work still queued, and the crash journal alone would lose the last seconds of typing."""
        pending = list(self.composers)
        for w in pending:
            w.close()
        if not any(not w.closed_cleanly for w in pending):
            return
        loop = QEventLoop()
        for w in pending:
            w.finished.connect(lambda: loop.quit() if all(x.closed_cleanly for x in pending) else None)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()

    def _connect_mail(self) -> None:
        tab = self.mail_pane
        tab.compose_requested.connect(lambda: self.compose())
        tab.write_to_requested.connect(lambda address: self.compose(to=[address]))
        tab.reply_requested.connect(self.reply)
        tab.forward_requested.connect(self.forward)
        tab.account_settings_requested.connect(self.show_account_settings)
        tab.add_account_requested.connect(self.add_mail_account)
        tab.unread_changed.connect(self.tray.set_unread)
        tab.folder_title_changed.connect(self._folder_title_changed)
        tab.backend.new_mail.connect(self._new_mail)
        self.tabs.currentChanged.connect(lambda _i: self._update_title())
        self.mailto_requested.connect(self.compose_mailto)
        self.files_requested.connect(self._files_arrived)

    def start_mail(self) -> None:
        """After the window shows: check mail, send what is due, reopen drafts a crash left open (once)."""
        from app.ui.mail.composer import restore_crashed_drafts

        self.mail_pane.start(check_mail=bool(self.settings.get("startup/check_mail")))
        self.outbox_runner.start()
        for w in restore_crashed_drafts(self.compose_backend, self.runner, outbox=self.outbox_runner, parent=self):
            self._keep(w)

    def _keep(self, w: Any) -> Any:
        """Hold a composer (a window of its own) until it has closed and its draft is safe."""
        self.composers.append(w)

        def finished() -> None:
            if w in self.composers:
                self.composers.remove(w)
            w.deleteLater()

        w.finished.connect(finished)
        return w

    def _current_account(self) -> str | None:
        folder = self.mail_pane.current_folder
        rt = self.mail_pane.backend.account_for_folder(folder) if folder is not None else None
        return rt.key if rt is not None and rt.kind != "local" else None

    def compose(self, *, to: list[str] | None = None, files: list[Path] | None = None) -> Any:
        """A new message (from the account of the open folder); ``files`` attached."""
        from app.ui.mail.composer import ComposerWindow

        w = ComposerWindow.for_new(
            self.compose_backend, self.runner, to=to or [], account_key=self._current_account(),
            outbox=self.outbox_runner, parent=self,
        )  # fmt: skip
        if files:
            w.add_attachments(files)
        return self._keep(w)

    def compose_mailto(self, request: MailtoRequest) -> Any:
        from app.ui.mail.composer import ComposerWindow

        w = ComposerWindow.for_mailto(
            self.compose_backend, self.runner, request, outbox=self.outbox_runner, parent=self
        )
        return self._keep(w)

    def reply(self, message_id: int, reply_all: bool) -> Any:
        from app.ui.mail.composer import ComposerWindow

        w = ComposerWindow.for_reply(
            self.compose_backend, self.runner, message_id, reply_all, outbox=self.outbox_runner, parent=self
        )
        return self._keep(w)

    def forward(self, message_id: int, as_attachment: bool) -> Any:
        from app.ui.mail.composer import ComposerWindow

        w = ComposerWindow.for_forward(
            self.compose_backend, self.runner, message_id, as_attachment, outbox=self.outbox_runner, parent=self
        )
        return self._keep(w)

    def _files_arrived(self, paths: list[Path]) -> None:
        """Files handed to Quay: attached to a new message while the Mail tab is in front (the Files
        tab offers them for upload otherwise)."""
        if self.tabs.currentWidget() is self.mail_pane and paths:
            self.compose(files=list(paths))

    def add_mail_account(self) -> Any:
        from app.ui.mail.wizard import AccountWizard

        wizard = AccountWizard(self.compose_backend, self.runner, parent=self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.account_added.connect(self._account_added)
        wizard.open()
        return wizard

    def _account_added(self, key: str) -> None:
        self.mail_pane.backend.reload_accounts()
        self.mail_pane.backend.sync_account(key)
        self.tabs.setCurrentWidget(self.mail_pane)

    def show_account_settings(self, key: str) -> Any:
        """The accounts dialog, with ``key``'s account selected (the first one for "")."""
        from app.ui.mail.accounts_dialog import AccountsDialog

        dialog = AccountsDialog(self.compose_backend, self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accounts_changed.connect(self.mail_pane.backend.reload_accounts)
        dialog.open_for(key)
        return dialog

    def open_message(self, message_id: int) -> None:
        """A notification was clicked: the Mail tab, showing that message."""
        self.tabs.setCurrentWidget(self.mail_pane)
        self.mail_pane.open_message(message_id)

    def _new_mail(self, found: list[tuple[int, str, str]]) -> None:
        if self.settings.get("notifications/new_mail"):
            self.tray.notify_new([NewMail(mid, sender, subject) for mid, sender, subject in found])

    def _folder_title_changed(self, folder: str, unread: int) -> None:
        self._folder_title = (folder, unread)
        self._update_title()

    def _update_title(self) -> None:
        """``Inbox (3) — Quay`` while a mail folder is open in front; the app's name otherwise."""
        folder, unread = self._folder_title
        if folder and self.tabs.currentWidget() is self.mail_pane:
            self.setWindowTitle(unread_title(folder, unread))
        else:
            self.setWindowTitle(self.tr("Quay — mail and files"))

    def _task_failed(self, error: object, task: str = "") -> None:
        """An error no caller handled (``task_errors().failed``): said in the status bar for a while."""
        from app.ui.errors import translated

        if not isinstance(error, BaseException):
            return
        text = translated(error)
        self.statusBar().showMessage(f"{text.title}: {text.explanation}", ERROR_MESSAGE_MS)

    # -- settings the Mail side follows ----------------------------------------------

    def _apply_mail_settings(self) -> None:
        s = self.settings
        self.compose_backend.compose_rich = s.get("mail/compose_format") == "html"
        minutes = int(s.get("mail/check_interval_min"))
        self.compose_backend.default_check_interval = (minutes or 10) * 60
        self.mail_pane.backend.timed_checks = minutes > 0
        self.tray.hide_content = bool(s.get("notifications/hide_content"))

    def _setting_changed(self, key: str) -> None:
        if key.startswith(("mail/", "notifications/")):
            self._apply_mail_settings()


def _icon(name: str) -> QIcon:
    return QIcon(str(resource_path(f"icons/{name}.svg")))


_ICON: QIcon | None = None


def app_icon() -> QIcon:
    global _ICON
    if _ICON is None:
        from app.ui.resources import resource_path

        _ICON = QIcon(str(resource_path("quay.svg")))
    return _ICON
