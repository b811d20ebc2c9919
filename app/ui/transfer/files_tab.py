"""The Files tab: FileZilla's layout with WinSCP's keys, every network call on a worker.

Layout, top to bottom: the quick-connect bar and a toolbar; the message log; this computer on the
left and one tab per connection on the right; the transfer queue.  Commands are ``QAction``\\ s
(one each, with shortcut, icon and status tip) shared by the toolbar, the Files menu and the
context menus, and act on the pane that last had focus (F6 moves between the panes).

Connecting: a saved site or a quick-connect address becomes a :class:`Target`; the tab's
:class:`RemoteConnection` connects on its worker.  An unknown SSH key, a changed one, an untrusted
certificate or a missing password comes back as an error and is turned into the matching prompt
(the shared trust dialogs, or :class:`SecretDialog`); accepting retries.  Each account gets one
persistent :class:`TransferQueue` (its jobs survive a restart), shown in the queue view.

Signals:
    queue_finished(str): the queue ran dry while the window was in the background (the text shown).
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QMimeData, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QSystemTrayIcon,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import AuthError, HostKeyChanged, TlsError, UnknownHostKey
from app.core.transfer.base import RemoteEntry, RemoteSession
from app.core.transfer.compare import compare_trees, plan_mirror
from app.core.transfer.queue import ConflictPolicy, JobState, TransferJob
from app.core.transfer.remote_edit import EditedFile
from app.core.transfer.sites import Site
from app.core.transfer.sync_plan import (
    compare_level,
    local_level,
    queue_sync,
    refine_by_checksum,
    remote_level,
    run_deletions,
)
from app.ui.dialogs.trust import CertificateDialog, HostKeyChangedDialog, TrustDecision, UnknownHostKeyDialog
from app.ui.tasks import Task, TaskRunner
from app.ui.transfer.backend import (
    ConflictAsker,
    ConflictQuestion,
    FilesBackend,
    LogBuffer,
    NeedSecret,
    QueueFeed,
    RemoteConnection,
    Target,
)
from app.ui.transfer.dnd import (
    REMOTE_PATHS_MIME,
    RemoteDrag,
    RemoteItem,
    decode_remote,
    encode_remote,
    local_mime,
    local_paths,
)
from app.ui.transfer.explain import explain
from app.ui.transfer.icons import icon
from app.ui.transfer.local_pane import LocalPane
from app.ui.transfer.message_log import MessageLog
from app.ui.transfer.permissions import PermissionsDialog
from app.ui.transfer.prompts import ConfirmDeleteDialog, ConflictDialog, PropertiesDialog, SecretDialog
from app.ui.transfer.queue_model import QueueHandle
from app.ui.transfer.queue_view import QueueView
from app.ui.transfer.quick_connect import QuickConnectBar
from app.ui.transfer.remote_edit import RemoteEditController
from app.ui.transfer.remote_pane import RemotePane
from app.ui.transfer.site_manager import SiteManagerDialog
from app.ui.transfer.sync_view import SyncOptionsDialog, SyncPreviewDialog

POLICY_KEY = "files/conflict_policy"
RETRIES_KEY = "files/retries"
SHELL_HASH_KEY = "files/sftp_sha256sum"


@dataclass
class ConnectionTab:
    """One connection tab: its browsing connection, its pane, and (once connected) its queue."""

    target: Target
    connection: RemoteConnection
    pane: RemotePane
    handle: QueueHandle | None = None
    connected: bool = False
    start_path: str = ""
    waiting: list[Callable[[], None]] = field(default_factory=list)


class FilesTab(QWidget):
    """See the module docstring."""

    queue_finished = Signal(str)

    def __init__(self, settings: Any, parent: QWidget | None = None, *, backend: FilesBackend | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("files-pane")
        self.settings = settings
        self.backend = backend or FilesBackend(settings.paths)
        self.runner = TaskRunner(pool_size=2)
        self.log_buffer = LogBuffer()
        self.tabs_by_pane: dict[RemotePane, ConnectionTab] = {}
        self.handles: dict[str, QueueHandle] = {}
        self.prompt: QDialog | None = None  # the prompt shown last (tests look at it)
        self.last_notification = ""
        self._active = "local"
        self._syncing = False
        self._waits: list[tuple[set[int], dict[int, JobState], Callable[[dict[int, JobState]], None]]] = []
        self._staging = Path(tempfile.mkdtemp(prefix="quay-drag-"))
        self._site_manager: SiteManagerDialog | None = None
        self._conflicts: list[tuple[ConflictAsker, ConflictQuestion]] = []
        self._last_local: str | None = None
        self._last_remote: dict[RemotePane, str] = {}
        self._closed = False

        self.quick = QuickConnectBar(settings, self)
        self.quick.connect_requested.connect(lambda t: self.connect_to(t, new_tab=False))
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("files-toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.log = MessageLog(self.log_buffer, self)
        self.local = LocalPane(settings, self)
        self.remote_tabs = QTabWidget(self)
        self.remote_tabs.setObjectName("connection-tabs")
        self.remote_tabs.setTabsClosable(True)
        self.remote_tabs.setDocumentMode(True)
        self.remote_tabs.tabCloseRequested.connect(self.close_tab)
        self.remote_tabs.currentChanged.connect(lambda _i: self._update_actions())
        self.empty_remote = QLabel(self)
        self.empty_remote.setObjectName("remote-empty")
        self.empty_remote.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_remote.setWordWrap(True)
        self.queue = QueueView(self.runner, self)
        self.queue.model.jobs_finished.connect(self._jobs_finished)
        self.queue.model.finished_all.connect(self._queue_ran_dry)
        self.status_widget = QLabel(self)
        self.status_widget.setObjectName("files-status")
        self.queue.totals_changed.connect(self.status_widget.setText)

        self.edits = RemoteEditController(self.runner, settings, self)
        self.edits.upload = self._upload_edit
        self.edits.change_found.connect(self._ask_edit_upload)

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.remote_tabs, 1)
        rl.addWidget(self.empty_remote, 1)
        self.panes = QSplitter(Qt.Orientation.Horizontal, self)
        self.panes.setObjectName("files-panes")
        self.panes.addWidget(self.local)
        self.panes.addWidget(right)
        self.panes.setSizes([500, 600])
        self.vsplit = QSplitter(Qt.Orientation.Vertical, self)
        self.vsplit.setObjectName("files-vsplit")
        self.vsplit.addWidget(self.log)
        self.vsplit.addWidget(self.panes)
        self.vsplit.addWidget(self.queue)
        self.vsplit.setStretchFactor(0, 1)
        self.vsplit.setStretchFactor(1, 4)
        self.vsplit.setStretchFactor(2, 2)
        self.vsplit.setSizes([90, 380, 170])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.quick)
        lay.addWidget(self.toolbar)
        lay.addWidget(self.vsplit, 1)

        self._build_actions()
        self.local.activated.connect(lambda: self._set_active("local"))
        self.local.context_menu.connect(self._local_menu)
        self.local.remote_dropped.connect(self._remote_dropped_on_local)
        self.local.path_changed.connect(self._local_path_changed)
        self.local.set_path(str(Path.home()))
        for key in ("files/splitter", "files/vsplitter"):
            state = settings.value(key)
            if state is not None:
                (self.panes if key == "files/splitter" else self.vsplit).restoreState(state)
        for key, header in (
            ("files/queue_header", self.queue.view.header()),
            ("files/local_header", self.local.view.header()),
        ):
            header_state = settings.value(key)
            if header_state is not None:
                header.restoreState(header_state)
        self.retranslate()
        self._update_actions()

    # --- actions ------------------------------------------------------------------------------

    def _act(self, name: str, icon_name: str, slot: Callable[[], None], *keys: QKeySequence | str) -> QAction:
        act = QAction(icon(icon_name), "", self)
        act.setObjectName(name)
        if keys:
            act.setShortcuts([QKeySequence(k) if isinstance(k, str) else k for k in keys])
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(lambda _c=False: slot())
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        a = self._act
        self.site_manager_action = a("site-manager", "network-server", self.open_site_manager, "Ctrl+Shift+S")
        self.disconnect_action = a("disconnect", "network-disconnect", self.disconnect_current, "Ctrl+Shift+D")
        self.cancel_action = a("cancel-operation", "process-stop", self.cancel_current, "Ctrl+.")
        self.refresh_action = a(
            "refresh", "view-refresh", self.refresh, QKeySequence(QKeySequence.StandardKey.Refresh), "F5"
        )
        self.download_action = a("download", "download", self.download_selected)
        self.upload_action = a("upload", "upload", self.upload_selected)
        self.open_action = a("open", "document-open", self.open_selected)
        self.edit_action = a("edit", "document-edit", self.edit_selected, "F4")
        self.rename_action = a("rename", "edit-rename", self.rename_selected, "F2")
        self.delete_action = a(
            "delete", "edit-delete", self.delete_selected, QKeySequence(QKeySequence.StandardKey.Delete), "F8"
        )
        self.new_folder_action = a("new-folder", "folder-new", self.new_folder, "F7")
        self.new_file_action = a("new-file", "document-new", self.new_file, "Shift+F4")
        self.permissions_action = a("permissions", "document-properties", self.change_permissions)
        self.copy_url_action = a("copy-url", "edit-copy", self.copy_url)
        self.copy_public_url_action = a("copy-public-url", "emblem-shared", self.copy_public_url)
        self.properties_action = a("properties", "document-properties", self.show_properties, "Alt+Return")
        self.copy_action = a("copy", "edit-copy", self.copy_selection, QKeySequence(QKeySequence.StandardKey.Copy))
        self.paste_action = a("paste", "edit-paste", self.paste, QKeySequence(QKeySequence.StandardKey.Paste))
        self.compare_action = a("compare", "view-split-left-right", self.compare_now)
        self.compare_action.setCheckable(True)
        self.checksum_action = a("compare-checksum", "view-split-left-right", self.compare_now)
        self.checksum_action.setCheckable(True)
        self.shell_hash_action = a("allow-sha256sum", "view-split-left-right", lambda: None)
        self.shell_hash_action.setCheckable(True)
        self.shell_hash_action.setChecked(str(self.settings.value(SHELL_HASH_KEY, "false")).lower() == "true")
        self.shell_hash_action.toggled.connect(
            lambda on: self.settings.set_value(SHELL_HASH_KEY, "true" if on else "false")
        )
        self.sync_browsing_action = a("sync-browsing", "emblem-synchronizing", lambda: None)
        self.sync_browsing_action.setCheckable(True)
        self.synchronize_action = a("synchronize", "emblem-synchronizing", self.synchronize)
        self.switch_pane_action = a("switch-pane", "go-next", self.switch_pane, "F6")
        self.edit_auto_action = a("edit-auto-upload", "upload", lambda: None)
        self.edit_auto_action.setCheckable(True)
        self.edit_auto_action.setChecked(self.edits.auto_upload)
        self.edit_auto_action.toggled.connect(lambda on: setattr(self.edits, "auto_upload", on))
        for act in (
            self.site_manager_action,
            self.disconnect_action,
            self.cancel_action,
            None,
            self.refresh_action,
            self.sync_browsing_action,
            self.compare_action,
            self.synchronize_action,
            None,
            self.download_action,
            self.upload_action,
            self.new_folder_action,
            self.delete_action,
        ):
            if act is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(act)
        compare_options = QMenu(self)
        compare_options.addAction(self.checksum_action)
        compare_options.addAction(self.shell_hash_action)
        button = self.toolbar.widgetForAction(self.compare_action)
        if isinstance(button, QToolButton):
            button.setMenu(compare_options)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)

    def retranslate(self) -> None:
        texts: list[tuple[QAction, str, str]] = [
            (self.site_manager_action, self.tr("&Site Manager…"), self.tr("Open the saved sites")),
            (self.disconnect_action, self.tr("&Disconnect"), self.tr("Close the connection of this tab")),
            (self.cancel_action, self.tr("Cancel operation"), self.tr("Stop waiting for the server in this tab")),
            (self.refresh_action, self.tr("&Refresh"), self.tr("List the folder again (F5)")),
            (self.download_action, self.tr("&Download"), self.tr("Download the selected files to the local folder")),
            (self.upload_action, self.tr("&Upload"), self.tr("Upload the selected files to the remote folder")),
            (self.open_action, self.tr("&Open"), self.tr("Open with the program this computer uses for it")),
            (self.edit_action, self.tr("&Edit"), self.tr("Edit locally and upload the changes")),
            (self.rename_action, self.tr("Re&name"), self.tr("Rename the selected item (F2)")),
            (self.delete_action, self.tr("De&lete"), self.tr("Delete the selected items (Del)")),
            (self.new_folder_action, self.tr("New &folder"), self.tr("Create a folder (F7)")),
            (self.new_file_action, self.tr("New fi&le"), self.tr("Create an empty file")),
            (self.permissions_action, self.tr("&Permissions…"), self.tr("Change who may read, write and run it")),
            (self.copy_url_action, self.tr("Copy &URL"), self.tr("Copy the address of the selected items")),
            (
                self.copy_public_url_action,
                self.tr("Copy p&ublic link"),
                self.tr("Copy the web address under the site's public URL prefix"),
            ),
            (self.properties_action, self.tr("Propert&ies"), self.tr("Show everything known about the item")),
            (self.copy_action, self.tr("&Copy"), self.tr("Copy the selection, to paste into the other pane")),
            (self.paste_action, self.tr("&Paste"), self.tr("Transfer the copied items into this folder")),
            (
                self.compare_action,
                self.tr("&Compare folders"),
                self.tr("Colour the differences between the two folders"),
            ),
            (
                self.checksum_action,
                self.tr("Compare by c&hecksum"),
                self.tr("Compare same-size files by content where the server can hash them"),
            ),
            (
                self.shell_hash_action,
                self.tr("Allow sha256sum on SFTP servers"),
                self.tr("Let the checksum comparison run sha256sum on SFTP servers (a command on the server)"),
            ),
            (
                self.sync_browsing_action,
                self.tr("S&ynchronized browsing"),
                self.tr("Open the same subfolder on both sides"),
            ),
            (
                self.synchronize_action,
                self.tr("Sy&nchronize…"),
                self.tr("Make one folder equal the other, after a preview"),
            ),
            (self.switch_pane_action, self.tr("Switch pane"), self.tr("Move between the local and remote panes (F6)")),
            (
                self.edit_auto_action,
                self.tr("Upload edited files without asking"),
                self.tr("Send every saved change of a file being edited at once"),
            ),
        ]
        for act, text, tip in texts:
            act.setText(text)
            act.setStatusTip(tip)
            act.setToolTip(f"{act.text().replace('&', '')} — {tip}")
        self.empty_remote.setText(
            self.tr("Not connected. Use the quick-connect bar above or open the Site Manager (Ctrl+Shift+S).")
        )
        self.log.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _set_active(self, which: str) -> None:
        self._active = which
        self._update_actions()

    def switch_pane(self) -> None:
        order = [self.local.view]
        pane = self.current_pane()
        if pane is not None:
            order.append(pane.list)
        order += [self.queue.view, self.log]
        focused = QApplication.focusWidget()
        i = next((k for k, w in enumerate(order) if w is focused), -1)
        order[(i + 1) % len(order)].setFocus()

    def _update_actions(self) -> None:
        tab = self.current_tab()
        connected = tab is not None and tab.connected
        remote = self._active == "remote" and connected
        self.empty_remote.setVisible(self.remote_tabs.count() == 0)
        self.remote_tabs.setVisible(self.remote_tabs.count() > 0)
        self.disconnect_action.setEnabled(tab is not None)
        self.cancel_action.setEnabled(tab is not None)
        self.download_action.setEnabled(connected)
        self.upload_action.setEnabled(connected)
        for act in (self.permissions_action, self.copy_url_action, self.properties_action, self.edit_action):
            act.setEnabled(remote)
        self.copy_public_url_action.setEnabled(remote and bool(tab and tab.target.public_url_prefix))
        self.compare_action.setEnabled(connected)
        self.checksum_action.setEnabled(connected)
        self.synchronize_action.setEnabled(connected)

    # --- connection tabs ----------------------------------------------------------------------

    def current_tab(self) -> ConnectionTab | None:
        w = self.remote_tabs.currentWidget()
        return self.tabs_by_pane.get(w) if isinstance(w, RemotePane) else None

    def current_pane(self) -> RemotePane | None:
        tab = self.current_tab()
        return tab.pane if tab is not None else None

    def open_site_manager(self) -> SiteManagerDialog:
        if self._site_manager is None:
            self._site_manager = SiteManagerDialog(self.backend, self.settings, self)
            self._site_manager.connect_requested.connect(self._connect_site)
            self._site_manager.sites_changed.connect(self.backend.reload_sites)
        self._site_manager.reload()
        self._site_manager.show()
        self._site_manager.raise_()
        return self._site_manager

    def _connect_site(self, site: Site, new_tab: bool) -> None:
        self.connect_to(self.backend.target_for_site(site), new_tab=new_tab)

    def reload_sites(self) -> None:
        """The profile's site list changed on disk (the main window's reload)."""
        self.backend.reload_sites()

    def connect_to(self, target: Target, *, new_tab: bool = False) -> ConnectionTab:
        """Open ``target`` in the current tab (closing its connection) or in a new tab."""
        tab = self.current_tab()
        if tab is not None and not new_tab:
            self.close_tab(self.remote_tabs.currentIndex())
        connection = RemoteConnection(self.backend, target, self.runner, self.log_buffer)
        pane = RemotePane(connection, self)
        pane.stage = lambda items, p=pane: self._stage_for_drag(p, items)
        pane.listing_failed.connect(lambda exc, p=pane: self._listing_failed(p, exc))
        pane.activated.connect(lambda: self._set_active("remote"))
        pane.context_menu.connect(self._remote_menu)
        pane.upload_requested.connect(
            lambda paths, folder, p=pane: self.upload_paths(p, [Path(x) for x in paths], folder)
        )
        pane.move_requested.connect(lambda drag, folder, p=pane: self.move_remote(p, drag, folder))
        pane.file_activated.connect(lambda e, p=pane: self.download_entries(p, [e], Path(self.local.current_path())))
        pane.path_changed.connect(lambda path, p=pane: self._remote_path_changed(p, path))
        remote_header = self.settings.value("files/remote_header")
        if remote_header is not None:
            pane.list.header().restoreState(remote_header)
        tab = ConnectionTab(target, connection, pane, start_path=target.remote_dir)
        self.tabs_by_pane[pane] = tab
        index = self.remote_tabs.addTab(pane, icon("network-server"), target.title)
        self.remote_tabs.setTabToolTip(index, target.key)
        self.remote_tabs.setCurrentIndex(index)
        if target.local_dir and Path(target.local_dir).is_dir():
            self.local.set_path(target.local_dir)
        self._connect(tab)
        self._update_actions()
        return tab

    def _connect(self, tab: ConnectionTab) -> None:
        """Connect on the worker, open the account's queue once, then list the start folder."""
        pane = tab.pane
        pane.model.set_loading(
            pane.model.path, self.tr("Connecting to %1…").replace("%1", f"{tab.target.host}:{tab.target.port}")
        )
        need_queue = tab.target.key not in self.handles
        feed = QueueFeed()
        asker = ConflictAsker()
        asker.question.connect(self._conflict_question)
        policy = ConflictPolicy(str(self.settings.value(POLICY_KEY, ConflictPolicy.ASK.value)))
        retries = int(self.settings.value(RETRIES_KEY, 3) or 3)
        backend = self.backend

        def work(session: RemoteSession) -> tuple[str, Any, int, list[TransferJob]]:
            home = session.home()
            if not need_queue:
                return home, None, 0, []
            q = backend.open_queue(
                tab.target,
                listener=feed.listener,
                resolver=asker.resolve,
                policy=policy,
                speed_limit=None,
                max_attempts=max(1, retries),
            )
            seq = feed.seq()
            jobs = [j for j in q.jobs() if j.state not in (JobState.DONE, JobState.SKIPPED)]
            q.start()
            return home, q, seq, jobs

        def done(result: tuple[str, Any, int, list[TransferJob]]) -> None:
            home, q, seq, jobs = result
            if self._closed:
                return
            if q is not None:
                handle = QueueHandle(tab.target, q, feed, asker)
                self.handles[tab.target.key] = handle
                self.queue.add_handle(handle)
                self.queue.model.add_jobs(handle, jobs, seq)
            tab.handle = self.handles.get(tab.target.key)
            tab.connected = True
            self.remote_tabs.setTabIcon(self.remote_tabs.indexOf(pane), icon("network-connect"))
            start = tab.start_path or pane.model.path or home
            tab.start_path = ""
            pane.tree_model.reset_root()
            pane.navigate(start)
            for fn in tab.waiting:
                fn()
            tab.waiting.clear()
            self._update_actions()

        def failed(exc: BaseException) -> None:
            if self._closed:
                return
            pane.model.set_failed(explain(exc))
            self._connection_failed(tab, exc)

        tab.connection.call(work, done, failed)

    def _listing_failed(self, pane: RemotePane, exc: BaseException) -> None:
        tab = self.tabs_by_pane.get(pane)
        if tab is not None:
            self._connection_failed(tab, exc)

    def _connection_failed(self, tab: ConnectionTab, exc: BaseException) -> None:
        """Turn trust and secret problems into prompts; accepting one connects again."""
        target = tab.target
        where = f"{target.user}@{target.host}:{target.port}" if target.user else f"{target.host}:{target.port}"
        if isinstance(exc, UnknownHostKey):
            dlg = UnknownHostKeyDialog(exc.info, self)

            def decided(_r: int) -> None:
                if dlg.decision == TrustDecision.REMEMBER:
                    self.backend.remember_host_key(exc.info)
                    self._retry(tab)
                elif dlg.decision == TrustDecision.ONCE:
                    target.accept_host_key = exc.info.fingerprint_sha256
                    self._retry(tab)
                else:
                    tab.pane.model.set_failed(self.tr("Not connected: the server's key was not accepted."))

            self._show_prompt(dlg, decided)
        elif isinstance(exc, HostKeyChanged):
            dlg2 = HostKeyChangedDialog(exc.info, exc.known_fingerprint, str(self.backend.paths.known_hosts_file), self)
            tab.pane.model.set_failed(explain(exc))
            self._show_prompt(dlg2, lambda _r: None)
        elif isinstance(exc, TlsError) and exc.certificate is not None:
            cert = exc.certificate
            dlg3 = CertificateDialog(cert, exc.reason, self)

            def trusted(result: int) -> None:
                if result == QDialog.DialogCode.Accepted:
                    self.backend.pin_certificate(cert.host, cert.port, cert.fingerprint_sha256)
                    self._retry(tab)

            self._show_prompt(dlg3, trusted)
        elif isinstance(exc, (NeedSecret, AuthError)) and not (
            isinstance(exc, AuthError) and target.auth in ("key", "agent", "anonymous")
        ):
            kind = exc.kind if isinstance(exc, NeedSecret) else "password"
            reason = "" if isinstance(exc, NeedSecret) else explain(exc)
            dlg4 = SecretDialog(kind, where, reason, self)
            dlg4.remember.setChecked(target.site_id is not None and target.auth != "ask")

            def entered(result: int) -> None:
                if result != QDialog.DialogCode.Accepted:
                    tab.pane.model.set_failed(self.tr("Not connected: no password given."))
                    return
                if kind == "passphrase":
                    target.passphrase = dlg4.secret
                    if dlg4.remember.isChecked() and target.key_file:
                        key_file = target.key_file
                        Task(
                            self.runner.pool,
                            lambda: self.backend.keep_passphrase(key_file, dlg4.secret, True),
                        ).start()
                else:
                    target.password = dlg4.secret
                    if dlg4.remember.isChecked() or target.auth != "ask":
                        Task(
                            self.runner.pool,
                            lambda: self.backend.keep_secret(target, dlg4.secret, dlg4.remember.isChecked()),
                        ).start()
                self._retry(tab)

            self._show_prompt(dlg4, entered)

    def _show_prompt(self, dlg: QDialog, on_finished: Callable[[int], None]) -> None:
        self.prompt = dlg
        dlg.finished.connect(on_finished)
        dlg.finished.connect(lambda _r: self.window().activateWindow() if not self._closed else None)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.open()

    def _retry(self, tab: ConnectionTab) -> None:
        if tab.connected:
            tab.pane.refresh()
        else:
            self._connect(tab)

    def close_tab(self, index: int) -> None:
        pane = self.remote_tabs.widget(index)
        tab = self.tabs_by_pane.pop(pane, None) if isinstance(pane, RemotePane) else None
        if tab is not None:
            tab.connection.close()
            self._last_remote.pop(tab.pane, None)
        self.remote_tabs.removeTab(index)
        if pane is not None:
            pane.deleteLater()
        self._update_actions()

    def disconnect_current(self) -> None:
        if self.remote_tabs.count():
            self.close_tab(self.remote_tabs.currentIndex())

    def cancel_current(self) -> None:
        pane = self.current_pane()
        if pane is not None:
            pane.cancel()

    def refresh(self) -> None:
        if self._active == "remote" and self.current_pane() is not None:
            self.current_pane().refresh()  # type: ignore[union-attr]
        else:
            self.local.refresh()

    # --- jobs ---------------------------------------------------------------------------------

    def when_done(self, ids: list[int], callback: Callable[[dict[int, JobState]], None]) -> None:
        """Call ``callback({id: final state})`` once every job in ``ids`` finished."""
        pending = set(ids)
        results: dict[int, JobState] = {}
        for jid in list(pending):
            row = self.queue.model.job(jid)
            if row is not None and row.group in ("done", "failed"):
                results[jid] = row.state
                pending.discard(jid)
        if not pending:
            callback(results)
            return
        self._waits.append((pending, results, callback))

    def _jobs_finished(self, finished: list[tuple[int, JobState]]) -> None:
        if not self._waits:
            return
        for entry in list(self._waits):
            pending, results, callback = entry
            for job_id, state in finished:
                if job_id in pending:
                    pending.discard(job_id)
                    results[job_id] = state
            if not pending:
                self._waits.remove(entry)
                callback(results)

    def _queue_jobs(
        self,
        tab: ConnectionTab,
        add: Callable[[RemoteSession, Any], list[int]],
        on_ids: Callable[[list[int]], None] | None = None,
    ) -> None:
        """Run ``add(session, queue)`` on the tab's worker; the new jobs appear in the queue view."""
        if tab.handle is None:
            tab.waiting.append(lambda: self._queue_jobs(tab, add, on_ids))
            return
        handle = tab.handle

        def work(session: RemoteSession) -> tuple[int, list[TransferJob], list[int]]:
            seq = handle.feed.seq()
            ids = add(session, handle.queue)
            wanted = set(ids)
            return seq, [j for j in handle.queue.jobs() if j.id in wanted], ids

        def done(result: tuple[int, list[TransferJob], list[int]]) -> None:
            seq, jobs, ids = result
            self.queue.model.add_jobs(handle, jobs, seq)
            if on_ids is not None:
                on_ids(ids)

        def failed(exc: BaseException) -> None:
            tab.pane.show_message(explain(exc))

        tab.connection.call(work, done, failed)

    def download_entries(self, pane: RemotePane, entries: list[RemoteEntry], folder: Path) -> None:
        self.download_items(pane, pane.items_for(entries), folder)

    def download_items(
        self, pane: RemotePane, items: list[RemoteItem], folder: Path, on_ids: Callable[[list[int]], None] | None = None
    ) -> None:
        tab = self.tabs_by_pane.get(pane)
        if tab is None or not items:
            return

        def add(session: RemoteSession, q: Any) -> list[int]:
            ids: list[int] = []
            for item in items:
                name = posixpath.basename(item.path.rstrip("/"))
                if item.kind == "dir":
                    from app.core.transfer.localpaths import local_path_for

                    ids += q.add_download_tree(item.path, local_path_for(folder, name), session=session)
                else:
                    ids.append(q.add_download_into(item.path, folder, size=item.size))
            return ids

        self._queue_jobs(tab, add, on_ids)

    def upload_paths(
        self, pane: RemotePane, paths: list[Path], folder: str, on_ids: Callable[[list[int]], None] | None = None
    ) -> None:
        """Upload local files and folders (folders as trees) into the remote ``folder``."""
        tab = self.tabs_by_pane.get(pane)
        if tab is None or not paths:
            return

        def add(session: RemoteSession, q: Any) -> list[int]:
            ids: list[int] = []
            for p in paths:
                remote = posixpath.join(folder, p.name)
                if p.is_dir():
                    ids += q.add_upload_tree(p, remote, session=session)
                elif p.is_file():
                    ids.append(q.add_upload(p, remote))
            return ids

        def queued(ids: list[int]) -> None:
            self.when_done(ids, lambda _r: pane.refresh() if pane.model.path == folder else None)
            if on_ids is not None:
                on_ids(ids)

        self._queue_jobs(tab, add, queued)

    def download_selected(self) -> None:
        pane = self.current_pane()
        if pane is not None:
            self.download_entries(pane, pane.selected_entries(), Path(self.local.current_path()))

    def upload_selected(self) -> None:
        pane = self.current_pane()
        if pane is not None and pane.model.path:
            self.upload_paths(pane, self.local.selected_paths(), pane.model.path)

    def _remote_dropped_on_local(self, drag: RemoteDrag, folder: str) -> None:
        pane = self._pane_for_drag(drag)
        if pane is not None:
            self.download_items(pane, drag.items, Path(folder))

    def _pane_for_drag(self, drag: RemoteDrag) -> RemotePane | None:
        for pane in self.tabs_by_pane:
            if pane.connection_id == drag.connection:
                return pane
        return None

    def move_remote(self, pane: RemotePane, drag: RemoteDrag, folder: str) -> None:
        """Move remote entries into another remote folder of the same connection."""

        def work(session: RemoteSession) -> None:
            for item in drag.items:
                session.rename(item.path, posixpath.join(folder, posixpath.basename(item.path.rstrip("/"))))

        self._remote_op(pane, work)

    # --- staging for drags to the OS ------------------------------------------------------------

    def _stage_for_drag(self, pane: RemotePane, items: list[RemoteItem]) -> list[Path] | None:
        """Download ``items`` into a private folder while a local event loop runs (see :mod:`dnd`)."""
        folder = Path(tempfile.mkdtemp(dir=self._staging))
        loop = QEventLoop(self)
        outcome: dict[str, Any] = {"ok": False, "ids": []}
        progress = QProgressDialog(self.tr("Downloading for the drop…"), self.tr("Cancel"), 0, 1000, self)
        progress.setObjectName("drag-progress")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        timer = QTimer(self)
        timer.setInterval(100)

        def update() -> None:
            rows = [self.queue.model.job(j) for j in outcome["ids"]]
            total = sum(r.size or 0 for r in rows if r is not None) or 1
            done = sum(min(r.done, r.size or 0) if r.group != "done" else (r.size or 0) for r in rows if r is not None)
            progress.setValue(int(1000 * done / total))

        def finished(results: dict[int, JobState]) -> None:
            outcome["ok"] = all(s == JobState.DONE for s in results.values())
            loop.quit()

        def queued(ids: list[int]) -> None:
            outcome["ids"] = ids
            self.when_done(ids, finished)

        def cancel() -> None:
            handle = self.tabs_by_pane[pane].handle
            if handle is not None:
                for j in outcome["ids"]:
                    handle.queue.cancel(j)
            loop.quit()

        timer.timeout.connect(update)
        progress.canceled.connect(cancel)
        timer.start()
        self.download_items(pane, items, folder, queued)
        loop.exec()
        timer.stop()
        progress.reset()
        progress.deleteLater()
        if not outcome["ok"]:
            return None
        return [folder / posixpath.basename(i.path.rstrip("/")) for i in items]

    # --- single remote operations ---------------------------------------------------------------

    def _remote_op(
        self,
        pane: RemotePane,
        work: Callable[[RemoteSession], Any],
        done: Callable[[Any], None] | None = None,
        *,
        refresh: bool = True,
    ) -> None:
        def ok(value: Any) -> None:
            if refresh:
                pane.refresh()
            if done is not None:
                done(value)

        def failed(exc: BaseException) -> None:
            pane.show_message(explain(exc))
            if refresh:
                pane.refresh()

        pane.connection.call(work, ok, failed)

    def _ask_text(self, title: str, label: str, text: str, on_ok: Callable[[str], None]) -> None:
        dlg = QInputDialog(self)
        dlg.setObjectName("files-input")
        dlg.setWindowTitle(title)
        dlg.setLabelText(label)
        dlg.setTextValue(text)

        def finished(result: int) -> None:
            value = dlg.textValue().strip()
            if result == QDialog.DialogCode.Accepted and value:
                on_ok(value)

        self._show_prompt(dlg, finished)

    def rename_selected(self) -> None:
        if self._active == "remote" and self.current_pane() is not None:
            pane = self.current_pane()
            assert pane is not None
            sel = pane.selected_entries()
            if len(sel) != 1:
                return
            entry = sel[0]
            old = pane.model.path_of(entry)

            def go(new_name: str) -> None:
                if "/" in new_name or new_name == entry.name:
                    return
                new = posixpath.join(pane.model.path, new_name)
                self._remote_op(
                    pane,
                    lambda s: s.rename(old, new),
                    lambda _v: QTimer.singleShot(0, lambda: pane.select_names([new_name])),
                )

            self._ask_text(self.tr("Rename"), self.tr("New name for %1:").replace("%1", entry.name), entry.name, go)
        else:
            paths = self.local.selected_paths()
            if len(paths) != 1:
                return
            src = paths[0]

            def go_local(new_name: str) -> None:
                if os.sep in new_name or "/" in new_name:
                    return
                try:
                    src.rename(src.with_name(new_name))
                except OSError as e:
                    QMessageBox.warning(self, self.tr("Rename"), e.strerror or str(e))

            self._ask_text(self.tr("Rename"), self.tr("New name for %1:").replace("%1", src.name), src.name, go_local)

    def delete_selected(self) -> None:
        if self._active == "remote" and self.current_pane() is not None:
            pane = self.current_pane()
            assert pane is not None
            entries = pane.selected_entries()
            if not entries:
                return
            names = [e.name + (self.tr(" (folder and everything in it)") if e.is_dir else "") for e in entries]
            paths = [pane.model.path_of(e) for e in entries]
            dlg = ConfirmDeleteDialog(
                self.tr("Delete on the server"),
                self.tr("These %n item(s) will be deleted from the server. This cannot be undone.", "", len(entries)),
                names,
                self.tr("&Delete"),
                self,
            )

            def confirmed(result: int) -> None:
                if result != QDialog.DialogCode.Accepted:
                    return
                from app.core.transfer.compare import delete_remote_tree

                def work(session: RemoteSession) -> None:
                    for p in paths:
                        delete_remote_tree(session, p)

                self._remote_op(pane, work)

            self._show_prompt(dlg, confirmed)
        else:
            paths = self.local.selected_paths()
            if not paths:
                return
            dlg2 = ConfirmDeleteDialog(
                self.tr("Delete on this computer"),
                self.tr("These %n item(s) will be deleted from this computer.", "", len(paths)),
                [str(p) for p in paths],
                self.tr("&Delete"),
                self,
            )

            def confirmed_local(result: int) -> None:
                if result != QDialog.DialogCode.Accepted:
                    return

                def work() -> None:
                    for p in paths:
                        if p.is_dir() and not p.is_symlink():
                            shutil.rmtree(p)
                        else:
                            p.unlink(missing_ok=True)

                Task(self.runner.pool, work).on_failure(
                    lambda e: QMessageBox.warning(self, self.tr("Delete"), str(e))
                ).start()

            self._show_prompt(dlg2, confirmed_local)

    def new_folder(self) -> None:
        if self._active == "remote" and self.current_pane() is not None:
            pane = self.current_pane()
            assert pane is not None
            self._ask_text(
                self.tr("New folder"),
                self.tr("Name of the new folder:"),
                self.tr("New folder"),
                lambda name: self._remote_op(pane, lambda s: s.mkdir(posixpath.join(pane.model.path, name))),
            )
        else:
            base = Path(self.local.current_path())

            def make(name: str) -> None:
                try:
                    (base / name).mkdir()
                except OSError as e:
                    QMessageBox.warning(self, self.tr("New folder"), e.strerror or str(e))

            self._ask_text(self.tr("New folder"), self.tr("Name of the new folder:"), self.tr("New folder"), make)

    def new_file(self) -> None:
        if self._active == "remote" and self.current_pane() is not None:
            pane = self.current_pane()
            assert pane is not None

            def make(name: str) -> None:
                path = posixpath.join(pane.model.path, name)
                self._remote_op(pane, lambda s: s.upload(BytesIO(b""), path))

            self._ask_text(self.tr("New file"), self.tr("Name of the new file:"), "new.txt", make)
        else:
            base = Path(self.local.current_path())

            def make_local(name: str) -> None:
                try:
                    (base / name).touch(exist_ok=False)
                except OSError as e:
                    QMessageBox.warning(self, self.tr("New file"), e.strerror or str(e))

            self._ask_text(self.tr("New file"), self.tr("Name of the new file:"), "new.txt", make_local)

    def change_permissions(self) -> None:
        pane = self.current_pane()
        if pane is None:
            return
        entries = pane.selected_entries()
        if not entries:
            return
        mode = entries[0].mode
        dlg = PermissionsDialog([e.name for e in entries], mode, any(e.is_dir for e in entries), self)
        paths = [(pane.model.path_of(e), e.is_dir) for e in entries]

        def apply(result: int) -> None:
            if result != QDialog.DialogCode.Accepted:
                return
            new_mode, recursive, scope = dlg.mode, dlg.recursive.isChecked(), dlg.scope

            def work(session: RemoteSession) -> None:
                todo = list(paths)
                while todo:
                    path, is_dir = todo.pop()
                    if scope == "all" or (scope == "files") != is_dir or not recursive:
                        session.chmod(path, new_mode)
                    if recursive and is_dir:
                        for e in session.listdir(path):
                            if e.name not in (".", "..") and e.kind in ("file", "dir"):
                                todo.append((posixpath.join(path, e.name), e.is_dir))

            self._remote_op(pane, work)

        self._show_prompt(dlg, apply)

    def copy_url(self, public: bool = False) -> None:
        tab = self.current_tab()
        if tab is None:
            return
        paths = [tab.pane.model.path_of(e) for e in tab.pane.selected_entries()] or [tab.pane.model.path]
        urls = [tab.target.public_url(p) if public else tab.target.url_for(p) for p in paths]
        QGuiApplication.clipboard().setText("\n".join(u for u in urls if u))

    def copy_public_url(self) -> None:
        self.copy_url(public=True)

    def show_properties(self) -> None:
        tab = self.current_tab()
        if tab is None:
            return
        sel = tab.pane.selected_entries()
        if len(sel) != 1:
            return
        path = tab.pane.model.path_of(sel[0])
        self._show_prompt(PropertiesDialog(sel[0], path, tab.target.url_for(path), self), lambda _r: None)

    def open_selected(self) -> None:
        if self._active == "remote" and self.current_pane() is not None:
            pane = self.current_pane()
            assert pane is not None
            files = [e for e in pane.selected_entries() if not e.is_dir]
            if not files:
                return
            folder = Path(tempfile.mkdtemp(dir=self._staging))

            def opened(ids: list[int]) -> None:
                def all_done(results: dict[int, JobState]) -> None:
                    for e in files:
                        local = folder / e.name
                        if local.is_file():
                            QDesktopServices.openUrl(QUrl.fromLocalFile(str(local)))

                self.when_done(ids, all_done)

            self.download_items(pane, pane.items_for(files), folder, opened)
        else:
            for p in self.local.selected_paths():
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(p)))

    # --- remote edit -----------------------------------------------------------------------------

    def edit_selected(self) -> None:
        pane = self.current_pane()
        if pane is None:
            return
        for e in pane.selected_entries():
            if not e.is_dir:
                self.edit_remote(pane, pane.model.path_of(e), e.size)

    def edit_remote(self, pane: RemotePane, remote_path: str, size: int | None = None) -> EditedFile:
        """Download ``remote_path`` for editing; once here it opens and is watched."""
        edit = self.edits.begin(pane.connection_id, remote_path)
        tab = self.tabs_by_pane[pane]

        def add(_session: RemoteSession, q: Any) -> list[int]:
            return [q.add_download(remote_path, edit.local_path, size=size, policy=ConflictPolicy.OVERWRITE)]

        def queued(ids: list[int]) -> None:
            def arrived(results: dict[int, JobState]) -> None:
                if all(s == JobState.DONE for s in results.values()):
                    self.edits.downloaded(edit)
                else:
                    pane.show_message(self.tr("Could not download %1 for editing.").replace("%1", remote_path))

            self.when_done(ids, arrived)

        self._queue_jobs(tab, add, queued)
        return edit

    def _ask_edit_upload(self, edit: EditedFile, digest: str) -> None:
        box = QMessageBox(self)
        box.setObjectName("edit-upload-question")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Upload the changed file?"))
        box.setText(
            self.tr("%1 was changed. Upload it to the server, replacing %2?")
            .replace("%1", edit.local_path.name)
            .replace("%2", edit.remote_path)
        )
        box.addButton(self.tr("&Upload"), QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton(self.tr("&Not now"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        always = QCheckBox(self.tr("Upload later changes without asking"), box)
        box.setCheckBox(always)

        def answered(_r: int) -> None:
            if box.clickedButton() is no or box.clickedButton() is None:
                self.edits.decline(edit, digest)
                return
            if always.isChecked():
                self.edit_auto_action.setChecked(True)
            self.edits.send(edit, digest)

        self._show_prompt(box, answered)

    def _upload_edit(self, edit: EditedFile, done: Callable[[bool], None]) -> None:
        pane = next((p for p in self.tabs_by_pane if p.connection_id == edit.connection), None)
        if pane is None:
            done(False)
            return
        tab = self.tabs_by_pane[pane]

        def add(_session: RemoteSession, q: Any) -> list[int]:
            return [q.add_upload(edit.local_path, edit.remote_path, policy=ConflictPolicy.OVERWRITE)]

        def queued(ids: list[int]) -> None:
            def finished(results: dict[int, JobState]) -> None:
                ok = all(s == JobState.DONE for s in results.values())
                done(ok)
                if ok and posixpath.dirname(edit.remote_path) == pane.model.path:
                    pane.refresh()

            self.when_done(ids, finished)

        self._queue_jobs(tab, add, queued)

    # --- clipboard ----------------------------------------------------------------------------------

    def copy_selection(self) -> None:
        if self._active == "remote" and self.current_pane() is not None:
            pane = self.current_pane()
            assert pane is not None
            entries = pane.selected_entries()
            if not entries:
                return
            md = QMimeData()
            md.setData(REMOTE_PATHS_MIME, encode_remote(pane.connection_id, pane.items_for(entries)))
            md.setText("\n".join(pane.connection.target.url_for(pane.model.path_of(e)) for e in entries))
            QGuiApplication.clipboard().setMimeData(md)
        else:
            paths = self.local.selected_paths()
            if paths:
                QGuiApplication.clipboard().setMimeData(local_mime(paths))

    def paste(self) -> None:
        md = QGuiApplication.clipboard().mimeData()
        if self._active == "remote" and self.current_pane() is not None:
            pane = self.current_pane()
            assert pane is not None
            paths = local_paths(md)
            if paths and pane.model.path:
                self.upload_paths(pane, paths, pane.model.path)
        else:
            drag = decode_remote(md)
            if drag is not None:
                self._remote_dropped_on_local(drag, self.local.current_path())

    # --- conflicts -----------------------------------------------------------------------------------

    def _conflict_question(self, q: ConflictQuestion) -> None:
        asker = self.sender()
        if not isinstance(asker, ConflictAsker):
            return
        if q.answered.is_set():
            return
        self._conflicts.append((asker, q))
        if len(self._conflicts) == 1:
            self._next_conflict()

    def _next_conflict(self) -> None:
        while self._conflicts and self._conflicts[0][1].answered.is_set():
            self._conflicts.pop(0)
        if not self._conflicts:
            return
        asker, q = self._conflicts[0]
        dlg = ConflictDialog(q.info, self)

        def answered(_r: int) -> None:
            asker.answer(q, dlg.choice, dlg.apply_all.isChecked())
            self._conflicts.pop(0)
            QTimer.singleShot(0, self._next_conflict)

        self._show_prompt(dlg, answered)

    # --- compare, synchronized browsing, synchronize --------------------------------------------------

    def _local_path_changed(self, path: str) -> None:
        if self.sync_browsing_action.isChecked() and not self._syncing:
            pane = self.current_pane()
            old = self._last_local
            if pane is not None and old:
                self._syncing = True
                try:
                    if os.path.dirname(path) == old:
                        pane.enter(os.path.basename(path))
                    elif os.path.dirname(old) == path:
                        pane.up()
                finally:
                    self._syncing = False
        self._last_local = path
        if self.compare_action.isChecked():
            self.compare_now()

    def _remote_path_changed(self, pane: RemotePane, path: str) -> None:
        old = self._last_remote.get(pane)
        self._last_remote[pane] = path
        if self.sync_browsing_action.isChecked() and not self._syncing and old:
            self._syncing = True
            try:
                if posixpath.dirname(path) == old:
                    self.local.enter(posixpath.basename(path))
                elif posixpath.dirname(old) == path:
                    self.local.up()
            finally:
                self._syncing = False
        if self.compare_action.isChecked():
            self.compare_now()
        self._update_actions()

    def compare_now(self) -> None:
        """Colour both panes' entries (newer, older, differs, only here); clear when switched off."""
        pane = self.current_pane()
        folder = self.local.current_path()
        if pane is None or not self.compare_action.isChecked():
            self.local.model.set_marks(folder, {})
            if pane is not None:
                pane.model.set_marks({})
            return
        remote_entries = pane.model.all_entries()
        remote_dir = pane.model.path
        by_checksum = self.checksum_action.isChecked()
        allow_shell = self.shell_hash_action.isChecked()

        def local_done(local: Any) -> None:
            remote = remote_level(remote_entries)
            lmarks, rmarks = compare_level(local, remote)
            self.local.model.set_marks(folder, lmarks)
            pane.model.set_marks(rmarks)
            if by_checksum:

                def work(session: RemoteSession) -> tuple[dict[str, Any], dict[str, Any], Any]:
                    shell = None
                    if allow_shell:
                        from app.core.transfer.sftp import SftpSession

                        shell = session.shell_sha256 if isinstance(session, SftpSession) else None
                    report = refine_by_checksum(
                        session, remote_dir, Path(folder), local, remote, lmarks, rmarks, remote_sha256=shell
                    )
                    return lmarks, rmarks, report

                def refined(result: tuple[dict[str, Any], dict[str, Any], Any]) -> None:
                    lm, rm, report = result
                    self.local.model.set_marks(folder, lm)
                    pane.model.set_marks(rm)
                    if report.unavailable:
                        self.log_buffer.add(
                            pane.connection.target.title,
                            "info",
                            self.tr("The server offers no checksum: compared by size and time only."),
                        )

                pane.connection.call(work, refined, lambda _e: None)

        Task(self.runner.pool, lambda: local_level(Path(folder))).on_success(local_done).start()

    def synchronize(self) -> None:
        tab = self.current_tab()
        if tab is None or not tab.connected:
            return
        local_dir = Path(self.local.current_path())
        remote_dir = tab.pane.model.path
        opts = SyncOptionsDialog(str(local_dir), remote_dir, self)

        def chosen(result: int) -> None:
            if result != QDialog.DialogCode.Accepted:
                return
            reverse, delete = opts.reverse, opts.delete.isChecked()

            def plan(session: RemoteSession) -> Any:
                return plan_mirror(compare_trees(session, remote_dir, local_dir), reverse=reverse, delete=delete)

            tab.connection.call(
                plan,
                lambda actions: self._preview_sync(tab, remote_dir, local_dir, actions),
                lambda e: tab.pane.show_message(explain(e)),
            )

        self._show_prompt(opts, chosen)

    def _preview_sync(self, tab: ConnectionTab, remote_dir: str, local_dir: Path, actions: list[Any]) -> None:
        dlg = SyncPreviewDialog(actions, self)

        def run(result: int) -> None:
            if result != QDialog.DialogCode.Accepted:
                return
            chosen = dlg.model.chosen()
            deletes = [a for a in chosen if a.kind.startswith("delete")]
            copies = [a for a in chosen if not a.kind.startswith("delete")]
            if deletes:
                confirm = ConfirmDeleteDialog(
                    self.tr("Synchronize: delete"),
                    self.tr(
                        "After the copies succeed, these %n item(s) will be deleted. This cannot be undone.",
                        "",
                        len(deletes),
                    ),
                    [a.relpath for a in deletes],
                    self.tr("&Delete them"),
                    self,
                )
                self._show_prompt(
                    confirm,
                    lambda r: self._run_sync(
                        tab, remote_dir, local_dir, copies, deletes if r == QDialog.DialogCode.Accepted else []
                    ),
                )
            else:
                self._run_sync(tab, remote_dir, local_dir, copies, [])

        self._show_prompt(dlg, run)

    def _run_sync(
        self, tab: ConnectionTab, remote_dir: str, local_dir: Path, copies: list[Any], deletes: list[Any]
    ) -> None:
        def after_copies(results: dict[int, JobState]) -> None:
            if deletes and all(s == JobState.DONE for s in results.values()):
                self._remote_op(
                    tab.pane, lambda s: run_deletions(s, remote_dir, deletes), lambda _v: self.local.refresh()
                )
            else:
                tab.pane.refresh()
                self.local.refresh()

        self._queue_jobs(
            tab,
            lambda s, q: queue_sync(s, q, remote_dir, local_dir, copies),
            lambda ids: self.when_done(ids, after_copies),
        )

    # --- notification ----------------------------------------------------------------------------------

    def _queue_ran_dry(self, done: int, failed: int) -> None:
        text = self.tr("Transfers finished: %1 done, %2 failed.").replace("%1", str(done)).replace("%2", str(failed))
        self.status_widget.setText(text)
        window = self.window()
        if window.isActiveWindow():
            return
        self.last_notification = text
        self.queue_finished.emit(text)
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            tray = getattr(self, "_tray", None)
            if tray is None:
                tray = QSystemTrayIcon(window.windowIcon(), self)
                self._tray = tray
            tray.show()
            tray.showMessage(self.tr("Quay"), text, QSystemTrayIcon.MessageIcon.Information, 8000)
        QApplication.alert(window, 0)

    # --- menus ---------------------------------------------------------------------------------------

    def _remote_menu(self, pos: QPoint) -> None:
        self._set_active("remote")
        menu = QMenu(self)
        for act in (
            self.download_action,
            None,
            self.open_action,
            self.edit_action,
            self.edit_auto_action,
            None,
            self.rename_action,
            self.delete_action,
            self.new_folder_action,
            self.new_file_action,
            None,
            self.permissions_action,
            self.copy_url_action,
            self.copy_public_url_action,
            self.properties_action,
            None,
            self.copy_action,
            self.paste_action,
            self.refresh_action,
        ):
            menu.addSeparator() if act is None else menu.addAction(act)
        self.context = menu
        menu.popup(pos)

    def _local_menu(self, pos: QPoint) -> None:
        self._set_active("local")
        menu = QMenu(self)
        for act in (
            self.upload_action,
            None,
            self.open_action,
            self.rename_action,
            self.delete_action,
            self.new_folder_action,
            self.new_file_action,
            None,
            self.copy_action,
            self.paste_action,
            self.refresh_action,
        ):
            menu.addSeparator() if act is None else menu.addAction(act)
        self.context = menu
        menu.popup(pos)

    # --- shutdown ---------------------------------------------------------------------------------

    def save_state(self) -> None:
        self.settings.set_value("files/splitter", self.panes.saveState())
        self.settings.set_value("files/vsplitter", self.vsplit.saveState())
        self.settings.set_value("files/queue_header", self.queue.view.header().saveState())
        self.settings.set_value("files/local_header", self.local.view.header().saveState())
        pane = self.current_pane()
        if pane is not None:
            self.settings.set_value("files/remote_header", pane.list.header().saveState())

    def shutdown(self) -> None:
        """Stop everything: queues keep their jobs (running ones resume next time), connections close."""
        if self._closed:
            return
        self._closed = True
        self.save_state()
        self.queue.timer.stop()
        self.log.timer.stop()
        for tab in list(self.tabs_by_pane.values()):
            tab.connection.close()
        for handle in self.handles.values():
            handle.asker.close()
        for h in self.handles.values():
            with contextlib.suppress(Exception):
                h.queue.stop(timeout=2.0)  # running jobs stay queued and resume next time
                h.queue.close()
        self.edits.close()
        self.runner.shutdown(wait=False)
        shutil.rmtree(self._staging, ignore_errors=True)
