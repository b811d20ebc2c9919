"""The Mail tab: folder tree | message list above (or beside) the message view, search, quick filters,
actions with Thunderbird's shortcuts, a status strip (:attr:`MailTab.status_strip`, which the main
window moves into its status bar) and the task panel. With no account yet, the right side says so
and offers to add one.

Settings followed live (``Settings.changed``): ``mail/mark_read`` and ``mail/mark_read_delay_s``,
``mail/remote_content`` and ``mail/allowed_senders``.

Signals (the main window wires them to the composer, the account settings, the title and the tray):
    compose_requested(): "Write" (N is next unread, as in Thunderbird; Write is Ctrl+N).
    write_to_requested(str): "Write to" on an address of the message view.
    reply_requested(int, bool): message id, reply to all.
    forward_requested(int, bool): message id, as attachment.
    account_settings_requested(str): account key.
    add_account_requested(): the "Add an account" call to action (no account yet).
    unread_changed(int): unread messages in all Inboxes (for the tray).
    folder_title_changed(str, int): the open folder's name and unread count ("" when none is open).
"""

from __future__ import annotations

import gc
import json
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QMimeData, QModelIndex, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QDrag, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.mail import queries
from app.core.mail.display import DisplayMessage, attachment_path
from app.core.mail.store import FLAGGED, SEEN
from app.ui.mail import webengine
from app.ui.mail.backend import MailBackend
from app.ui.mail.error_text import explain
from app.ui.mail.folder_tree import (
    KIND_ACCOUNT,
    KIND_FOLDER,
    KIND_SAVED,
    AccountKeyRole,
    FolderIdRole,
    FolderTreeModel,
    FolderTreeView,
    KindRole,
    NameRole,
    SavedIndexRole,
    special_of,
)
from app.ui.mail.icons import icon
from app.ui.mail.message_model import (
    COL_ATTACH,
    COL_DATE,
    COL_READ,
    COL_SIZE,
    COL_STAR,
    COL_SUBJECT,
    COL_WHO,
    COLUMN_SORT,
    MIME_MESSAGE_IDS,
    FlagsRole,
    MessageListModel,
)
from app.ui.mail.message_view import MessageView
from app.ui.mail.panels import ProtocolLogWindow, TaskPanel
from app.ui.settings import SettingError, Settings, sender_allowed

SEARCH_DEBOUNCE_MS = 200
FOLDER_STATE_DELAY_MS = 1000  # a sort switch or column drag is saved this long after the last change
WARM_UP_DELAY_MS = 150  # the web engine starts this long after start(), i.e. after the window's first frame
LOADING_NOTE_MS = 150  # a message not shown after this long replaces the previous one by "Loading…"
FIRST_PAGE = 200  # search hits shown first, before the complete result list


def _freeze_startup_objects() -> None:
    """Once per process, after the window shows: the objects alive then (modules, Qt wrappers, the window)
    live as long as the app, so keep them out of the collector's full passes, which otherwise walk them
    all (40-70 ms, a dropped frame while scrolling the list) every few thousand allocations. Garbage is
    collected first, so only live objects are frozen."""
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


class MessageListView(QTableView):
    """The message list (a table: lazy however long the list); dragging rows carries their ids (moves inside
    Quay) and .eml files (for the OS). Right/Left (or a click on the arrow) open and close a conversation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setSortingEnabled(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        vh = self.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 6)  # fixed row height: nothing measured per row
        self.horizontalHeader().setHighlightSections(False)
        self.raw_for: Any = None  # message id -> (raw bytes or None, subject) (set by the tab)
        self._temp: Path | None = None

    def header(self) -> QHeaderView:
        return self.horizontalHeader()

    def _toggle(self, index: QModelIndex) -> bool:
        model = self.model()
        mid = model.message_id(index)  # type: ignore[attr-defined]
        if mid is None or model.thread_info(mid) is None:  # type: ignore[attr-defined]
            return False
        if model.is_expanded(mid):  # type: ignore[attr-defined]
            model.collapse(mid)  # type: ignore[attr-defined]
        else:
            model.expand(mid)  # type: ignore[attr-defined]
        return True

    def keyPressEvent(self, event: Any) -> None:
        idx = self.currentIndex()
        model = self.model()
        if idx.isValid() and event.key() in (Qt.Key.Key_Right, Qt.Key.Key_Left):
            mid = model.message_id(idx)  # type: ignore[attr-defined]
            if mid is not None and model.thread_info(mid) is not None:  # type: ignore[attr-defined]
                if (event.key() == Qt.Key.Key_Right) != model.is_expanded(mid):  # type: ignore[attr-defined]
                    self._toggle(idx)
                event.accept()
                return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: Any) -> None:
        idx = self.indexAt(event.position().toPoint())
        if idx.isValid() and idx.column() == COL_SUBJECT:
            rect = self.visualRect(idx)
            if event.position().x() - rect.left() < 22 and self._toggle(idx):  # the arrow
                event.accept()
                return
        super().mousePressEvent(event)

    def drag_mime(self, ids: list[int]) -> QMimeData:
        data = QMimeData()
        data.setData(MIME_MESSAGE_IDS, ",".join(map(str, ids)).encode())
        urls = []
        if self.raw_for is not None:
            if self._temp is None:
                self._temp = Path(tempfile.mkdtemp(prefix="quay-eml-"))
            for mid in ids:
                raw, subject = self.raw_for(mid)
                if raw is None:
                    continue  # not downloaded yet: moves inside Quay still work
                folder = Path(tempfile.mkdtemp(dir=self._temp))
                path = attachment_path(folder, (subject or "message")[:80] + ".eml")
                path.write_bytes(raw)
                urls.append(QUrl.fromLocalFile(str(path)))
        data.setUrls(urls)
        return data

    def selected_ids(self) -> list[int]:
        model = self.model()
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        out: list[int] = []
        for idx in rows:
            mid = model.message_id(idx)  # type: ignore[attr-defined]
            if mid is not None and mid not in out:
                out.append(mid)
        return out

    def startDrag(self, actions: Qt.DropAction) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        drag = QDrag(self)
        drag.setMimeData(self.drag_mime(ids))
        drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction, Qt.DropAction.MoveAction)


class MailTab(QWidget):
    """See the module docstring."""

    compose_requested = Signal()
    write_to_requested = Signal(str)
    reply_requested = Signal(int, bool)
    forward_requested = Signal(int, bool)
    account_settings_requested = Signal(str)
    add_account_requested = Signal()
    unread_changed = Signal(int)
    folder_title_changed = Signal(str, int)

    def __init__(self, settings: Settings, backend: MailBackend | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mail-tab")
        self.settings = settings
        self.backend = backend or MailBackend(settings.paths, parent=self)
        self.current_kind: str | None = None  # "folder" | "saved"
        self.current_folder: int | None = None
        self.current_saved: int | None = None
        self.current_message: int | None = None
        self.mark_read_delay_ms = self._mark_read_setting()
        self._mark_read_timer = QTimer(self)
        self._mark_read_timer.setSingleShot(True)
        self._mark_read_timer.timeout.connect(self._mark_current_read)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self._open_timer = QTimer(self)
        self._open_timer.setSingleShot(True)
        self._open_timer.setInterval(0)
        self._open_timer.timeout.connect(self._open_current)
        # "Loading the message…" replaces the previous message only if the next one is slow: switching the
        # view's page away from the web view and back costs the engine a new frame (tens of ms per message).
        self._folder_state_timer = QTimer(self)
        self._folder_state_timer.setSingleShot(True)
        self._folder_state_timer.setInterval(FOLDER_STATE_DELAY_MS)
        self._folder_state_timer.timeout.connect(self._save_folder_state)
        self._loading_note_timer = QTimer(self)
        self._loading_note_timer.setSingleShot(True)
        self._loading_note_timer.setInterval(LOADING_NOTE_MS)
        self._loading_note_timer.timeout.connect(self._show_loading_note)
        self.saved_searches = self._load_saved()
        self._adopt_old_remote_senders()
        self.settings.changed.connect(self._setting_changed)
        self._protocol_windows: dict[str, ProtocolLogWindow] = {}
        self._started = False
        self._full_search: queries.ListSpec | None = None
        self._opened_state: str | None = None  # the folder state as opened (see _save_folder_state)
        self._build()
        self._connect_backend()
        self.retranslate()
        self.refresh_tree()

    # ------------------------------------------------------------- building

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("mail-toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        lay.addWidget(self.toolbar)
        self._make_actions()
        for a in (self.get_mail_action, self.write_action, None, self.reply_action, self.reply_all_action,
                  self.forward_action, None, self.archive_action, self.junk_action, self.delete_action,
                  None, self.undo_action):  # fmt: skip
            if a is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(a)

        self.tree_model = FolderTreeModel(self)
        self.tree = FolderTreeView(self)
        self.tree.setObjectName("folder-tree")
        self.tree.setModel(self.tree_model)
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        self.tree.messages_dropped.connect(self._dropped_on_folder)
        self.tree.customContextMenuRequested.connect(self._tree_menu)

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(2)
        search_row = QHBoxLayout()
        search_row.setContentsMargins(4, 4, 4, 0)
        self.search_box = QLineEdit(right)
        self.search_box.setObjectName("mail-search")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(icon("edit-find"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_box.returnPressed.connect(self._apply_search)
        self.scope_box = QComboBox(right)
        self.scope_box.setObjectName("search-scope")
        self.scope_box.addItems(["", "", ""])
        self.scope_box.currentIndexChanged.connect(lambda _i: self._apply_search())
        self.save_search_button = QToolButton(right)
        self.save_search_button.setObjectName("save-search")
        self.save_search_button.setIcon(icon("folder-saved-search"))
        self.save_search_button.clicked.connect(self.save_current_search)
        search_row.addWidget(self.search_box, 1)
        search_row.addWidget(self.scope_box)
        search_row.addWidget(self.save_search_button)
        rl.addLayout(search_row)
        self.search_error = QLabel(right)
        self.search_error.setObjectName("search-error")
        self.search_error.hide()
        rl.addWidget(self.search_error)

        self.filter_bar = QWidget(right)
        self.filter_bar.setObjectName("quick-filter-bar")
        fl = QHBoxLayout(self.filter_bar)
        fl.setContentsMargins(4, 0, 4, 0)
        self.filter_buttons: dict[str, QToolButton] = {}
        for key, ico in (
            ("unread", "mail-unread"),
            ("starred", "mail-mark-important"),
            ("attachment", "mail-attachment"),
        ):
            b = QToolButton(self.filter_bar)
            b.setCheckable(True)
            b.setIcon(icon(ico))
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            b.setObjectName(f"filter-{key}")
            b.toggled.connect(lambda _on: self._apply_search())
            fl.addWidget(b)
            self.filter_buttons[key] = b
        self.contact_filter = QLineEdit(self.filter_bar)
        self.contact_filter.setObjectName("filter-contact")
        self.contact_filter.setClearButtonEnabled(True)
        self.contact_filter.textChanged.connect(lambda _t: self._search_timer.start())
        fl.addWidget(self.contact_filter, 1)
        self.filter_bar.hide()
        rl.addWidget(self.filter_bar)

        self.model = MessageListModel(self.backend, self)
        self.model.loaded.connect(self._list_loaded)
        self.list = MessageListView(right)
        self.list.setObjectName("message-list")
        self.list.setModel(self.model)
        self.list.raw_for = self._raw_for
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_SUBJECT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_STAR, 26), (COL_ATTACH, 26), (COL_READ, 26), (COL_WHO, 200), (COL_DATE, 110),
                           (COL_SIZE, 84)):  # fmt: skip
            self.list.setColumnWidth(col, width)
        header.setSortIndicator(COL_DATE, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._sort_changed)
        header.sectionResized.connect(lambda *_: self._folder_state_timer.start())
        self.list.selectionModel().currentChanged.connect(lambda *_: self._open_timer.start())
        self.list.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.list.customContextMenuRequested.connect(self._list_menu)
        self.list.addActions(self._message_actions())
        self.list.setTabKeyNavigation(False)

        self.view = MessageView(self, keep_light=str(self.settings.value("mail/keep_light", "true")) == "true")
        self.view.remote_allowed_for_sender.connect(self._allow_sender)
        self.view.search_sender.connect(lambda addr: self.search(f"from:{addr}", scope=2))
        self.view.write_to.connect(self.write_to_requested.emit)
        self.view.always_button.setVisible(self.settings.get("mail/remote_content") != "block")
        for a in (
            self.view.view_source_action,
            self.view.save_eml_action,
            self.view.print_action,
            self.view.print_pdf_action,
        ):
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(a)

        self.content_splitter = QSplitter(Qt.Orientation.Vertical, right)
        self.content_splitter.setObjectName("content-splitter")
        self.content_splitter.addWidget(self.list)
        self.content_splitter.addWidget(self.view)
        self.content_splitter.setStretchFactor(1, 2)
        rl.addWidget(self.content_splitter, 1)

        self.right_stack = QStackedWidget(self)
        self.right_stack.setObjectName("mail-right")
        self.right_stack.addWidget(right)
        self.right_stack.addWidget(self._build_welcome())

        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.setObjectName("main-splitter")
        self.main_splitter.addWidget(self.tree)
        self.main_splitter.addWidget(self.right_stack)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([230, 800])
        lay.addWidget(self.main_splitter, 1)

        self.task_panel = TaskPanel(self.backend, self)
        self.task_panel.setMaximumHeight(160)
        self.task_panel.hide()
        lay.addWidget(self.task_panel)

        # Activity, progress and the pending badge. On its own the tab shows them at its foot; in the
        # main window the strip moves into the window's one status bar.
        self.status_strip = status = QWidget(self)
        status.setObjectName("mail-status")
        sl = QHBoxLayout(status)
        sl.setContentsMargins(6, 2, 6, 2)
        self.status_text = QLabel(status)
        self.status_text.setObjectName("mail-status-text")
        self.progress_bar = QProgressBar(status)
        self.progress_bar.setObjectName("mail-progress")
        self.progress_bar.setMaximumWidth(180)
        self.progress_bar.setMaximumHeight(14)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.pending_button = QToolButton(status)
        self.pending_button.setObjectName("pending-badge")
        self.pending_button.setAutoRaise(True)
        self.pending_button.setCheckable(True)
        self.pending_button.toggled.connect(self.task_panel.setVisible)
        sl.addWidget(self.status_text, 1)
        sl.addWidget(self.progress_bar)
        sl.addWidget(self.pending_button)
        lay.addWidget(status)

        self._layout_mode = str(self.settings.value("mail/layout", "classic"))
        self.apply_layout(self._layout_mode)
        state = self.settings.value("mail/main_splitter")
        if state is not None:
            self.main_splitter.restoreState(state)
        state = self.settings.value(f"mail/content_splitter/{self._layout_mode}")
        if state is not None:
            self.content_splitter.restoreState(state)
        self.main_splitter.splitterMoved.connect(lambda *_: self._save_splitters())
        self.content_splitter.splitterMoved.connect(lambda *_: self._save_splitters())

        self.f6 = QShortcut(QKeySequence(Qt.Key.Key_F6), self, self.focus_next_pane)
        self.f6.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.shift_f6 = QShortcut(QKeySequence("Shift+F6"), self, lambda: self.focus_next_pane(-1))
        self.shift_f6.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QWidget.setTabOrder(self.tree, self.search_box)
        QWidget.setTabOrder(self.search_box, self.list)
        QWidget.setTabOrder(self.list, self.view)

    def _build_welcome(self) -> QWidget:
        """What the right side shows while there is no mail account: what to do, and a button to do it."""
        page = QWidget(self)
        page.setObjectName("mail-welcome")
        lay = QVBoxLayout(page)
        lay.addStretch(1)
        pic = QLabel(page)
        pic.setPixmap(icon("mail-message-new").pixmap(64, 64))
        pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(pic)
        self.welcome_title = QLabel(page)
        self.welcome_title.setObjectName("mail-welcome-title")
        font = self.welcome_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.welcome_title.setFont(font)
        self.welcome_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.welcome_title)
        self.welcome_text = QLabel(page)
        self.welcome_text.setWordWrap(True)
        self.welcome_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.welcome_text)
        self.add_account_button = QPushButton(icon("list-add"), "", page)
        self.add_account_button.setObjectName("add-account")
        self.add_account_button.setDefault(True)
        self.add_account_button.clicked.connect(self.add_account_requested.emit)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add_account_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(2)
        return page

    def has_accounts(self) -> bool:
        return any(rt.kind != "local" for rt in self.backend.account_list())

    def _action(self, name: str, shortcut: str | QKeySequence | None, slot: Any, *, checkable: bool = False) -> QAction:
        a = QAction(icon(name) if name else icon("folder"), "", self)
        if shortcut:
            a.setShortcut(QKeySequence(shortcut))
        a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        a.setCheckable(checkable)
        a.triggered.connect(slot)
        self.addAction(a)
        return a

    def _make_actions(self) -> None:
        self.get_mail_action = self._action("mail-send-receive", "F5", self.get_mail)
        self.write_action = self._action("mail-message-new", "Ctrl+N", self.compose_requested.emit)
        self.reply_action = self._action("mail-reply-sender", "R", lambda: self._reply(False))
        self.reply_all_action = self._action("mail-reply-all", "Shift+R", lambda: self._reply(True))
        self.forward_action = self._action("mail-forward", "Ctrl+L", lambda: self._forward(False))
        self.forward_attached_action = self._action("mail-forward", None, lambda: self._forward(True))
        self.delete_action = self._action("edit-delete", QKeySequence.StandardKey.Delete, self.delete_selected)
        self.delete_permanently_action = self._action(
            "edit-delete", "Shift+Del", lambda: self.delete_selected(permanent=True)
        )
        self.star_action = self._action("mail-mark-important", "S", self.toggle_star)
        self.read_action = self._action("mail-read", "M", self.toggle_read)
        self.archive_action = self._action("mail-archive", "A", lambda: self.move_to_special("\\Archive"))
        self.junk_action = self._action("mail-mark-junk", "J", lambda: self.move_to_special("\\Junk"))
        self.next_unread_action = self._action("mail-unread", "N", self.next_unread)
        self.undo_action = self._action("edit-undo", QKeySequence.StandardKey.Undo, self.undo)
        self.quick_filter_action = self._action("edit-find", "Ctrl+Shift+K", self.toggle_quick_filter)
        self.search_action = self._action("edit-find", "Ctrl+K", lambda: self.search_box.setFocus())
        self.threaded_action = self._action("view-list-details", None, self._toggle_threads, checkable=True)
        self.layout_group = QActionGroup(self)
        self.classic_action = self._action(
            "view-list-details", None, lambda: self.apply_layout("classic"), checkable=True
        )
        self.wide_action = self._action("view-list-details", None, lambda: self.apply_layout("wide"), checkable=True)
        self.layout_group.addAction(self.classic_action)
        self.layout_group.addAction(self.wide_action)
        self.tasks_action = self._action("view-list-details", None, lambda: self.pending_button.toggle())

    def _message_actions(self) -> list[QAction]:
        return [self.reply_action, self.reply_all_action, self.forward_action, self.forward_attached_action,
                self.star_action, self.read_action, self.archive_action, self.junk_action, self.delete_action,
                self.delete_permanently_action]  # fmt: skip

    def actions_for_help(self) -> list[QAction]:
        """Every command with a shortcut, for Help → Keyboard shortcuts."""
        return [a for a in self.actions() if not a.shortcut().isEmpty()]

    def _connect_backend(self) -> None:
        b = self.backend
        b.accounts_changed.connect(self.refresh_tree)
        b.account_state_changed.connect(self._account_state_changed)
        b.messages_changed.connect(self._messages_changed)
        b.progress.connect(self._progress)
        b.pending_changed.connect(self._pending)
        b.trust_needed.connect(self._trust_needed)
        b.password_needed.connect(self._password_needed)
        b.tasks_changed.connect(self._tasks_changed)

    # ------------------------------------------------------------ i18n

    def retranslate(self) -> None:
        for a, text, tip in (
            (self.get_mail_action, self.tr("Get messages"), self.tr("Check every account for new mail")),
            (self.write_action, self.tr("Write"), self.tr("Write a new message")),
            (self.reply_action, self.tr("Reply"), self.tr("Reply to the sender")),
            (self.reply_all_action, self.tr("Reply all"), self.tr("Reply to the sender and all recipients")),
            (self.forward_action, self.tr("Forward"), self.tr("Forward the message")),
            (
                self.forward_attached_action,
                self.tr("Forward as attachment"),
                self.tr("Forward the whole message as a file"),
            ),
            (self.delete_action, self.tr("Delete"), self.tr("Move the selected messages to Trash")),
            (
                self.delete_permanently_action,
                self.tr("Delete permanently"),
                self.tr("Delete without Trash (asks first)"),
            ),
            (self.star_action, self.tr("Star"), self.tr("Star or unstar the selected messages")),
            (self.read_action, self.tr("Mark read/unread"), self.tr("Toggle the read state")),
            (self.archive_action, self.tr("Archive"), self.tr("Move to the Archive folder")),
            (self.junk_action, self.tr("Junk"), self.tr("Move to the Junk folder")),
            (self.next_unread_action, self.tr("Next unread"), self.tr("Go to the next unread message")),
            (self.undo_action, self.tr("Undo"), self.tr("Undo the last move or delete")),
            (self.quick_filter_action, self.tr("Quick filter"), self.tr("Show or hide the quick filter bar")),
            (self.search_action, self.tr("Search"), self.tr("Search messages")),
            (
                self.threaded_action,
                self.tr("Threaded view"),
                self.tr("Group messages into conversations in this folder"),
            ),
            (self.classic_action, self.tr("Classic layout"), self.tr("Message list above the message")),
            (self.wide_action, self.tr("Wide layout"), self.tr("Message list beside the message")),
            (self.tasks_action, self.tr("Tasks"), self.tr("Show running, failed and queued work")),
        ):
            a.setText(text)
            a.setStatusTip(tip)
            a.setToolTip(f"{text} ({a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                         if not a.shortcut().isEmpty() else text)  # fmt: skip
        self.search_box.setPlaceholderText(self.tr("Search: words, from:, to:, subject:, has:attachment, is:unread…"))
        self.search_box.setAccessibleName(self.tr("Search messages"))
        for i, text in enumerate((self.tr("This folder"), self.tr("This account"), self.tr("All accounts"))):
            self.scope_box.setItemText(i, text)
        self.scope_box.setAccessibleName(self.tr("Search scope"))
        self.save_search_button.setToolTip(self.tr("Save this search as a folder"))
        self.save_search_button.setAccessibleName(self.tr("Save search"))
        self.filter_buttons["unread"].setText(self.tr("Unread"))
        self.filter_buttons["starred"].setText(self.tr("Starred"))
        self.filter_buttons["attachment"].setText(self.tr("Attachment"))
        self.contact_filter.setPlaceholderText(self.tr("From a contact…"))
        self.contact_filter.setAccessibleName(self.tr("Filter by sender"))
        self.tree.setAccessibleName(self.tr("Folders"))
        self.list.setAccessibleName(self.tr("Messages"))
        self.view.setAccessibleName(self.tr("Message"))
        self.pending_button.setAccessibleName(self.tr("Pending operations and tasks"))
        self.toolbar.setWindowTitle(self.tr("Mail toolbar"))
        self.welcome_title.setText(self.tr("Add a mail account to start"))
        self.welcome_text.setText(
            self.tr("Type your e-mail address and password: Quay finds the server settings for most providers.")
        )
        self.add_account_button.setText(self.tr("Add an account…"))
        self.view.retranslate()
        self.task_panel.retranslate()
        if not any(t.state == "running" for t in self.backend.tasks()):
            self.status_text.setText(self._idle_text())
        self._pending(self.backend.pending_count())
        self.refresh_tree(force=True)
        self.model.locale_changed()  # dates and sizes in the new language (app/ui/i18n.py set the locale)
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COL_SIZE)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------ tree

    def _names(self) -> dict[str, str]:
        names = {"local": self.tr("Local Folders"), "inbox": self.tr("Inbox"), "saved": self.tr("Saved searches")}
        names[f"saved:{queries.UNIFIED_INBOX.name}"] = self.tr("Unified Inbox")
        return names

    def refresh_tree(self, force: bool = False) -> None:
        b = self.backend
        if b.closed:
            return
        accounts = []
        folders = {}
        for rt in b.account_list():
            err = ""
            if rt.error is not None:
                title, text = explain(rt.error)
                err = f"{title}\n{text}"
            accounts.append((rt.key, rt.kind, rt.name or rt.key, rt.status, err))
            folders[rt.key] = b.folders(rt.key)
        if force:
            self.tree_model._structure = ()
        current = self.tree.currentIndex()
        kind = current.data(KindRole) if current.isValid() else None
        fid = current.data(FolderIdRole) if current.isValid() else None
        saved = current.data(SavedIndexRole) if current.isValid() else None
        self.tree_model.rebuild(accounts, folders, self.saved_searches, self._names())
        self.tree.expandAll()
        self.right_stack.setCurrentIndex(0 if self.has_accounts() else 1)
        if kind == KIND_FOLDER and fid is not None and not self.tree.currentIndex().isValid():
            self.tree.setCurrentIndex(self.tree_model.folder_index(fid))
        elif kind == KIND_SAVED and saved is not None and not self.tree.currentIndex().isValid():
            self.tree.setCurrentIndex(self.tree_model.saved_index(saved))
        if (
            not self.tree.currentIndex().isValid()
            and self._started
            and any(rt.synced_once for rt in b.account_list() if rt.kind != "local")
        ):
            inbox = self._first_inbox()  # first start: open the Inbox as soon as it is known
            if inbox is not None:
                self.select_folder(inbox)
        self._refresh_counts()

    def _account_state_changed(self, key: str) -> None:
        """Only the account's icon and tooltip change (no recount: that scans every message)."""
        rt = self.backend.accounts.get(key)
        if rt is None or self.backend.closed:
            return
        err = ""
        if rt.error is not None:
            title, text = explain(rt.error)
            err = f"{title}\n{text}"
        self.tree_model.set_account_state(key, rt.status, err)
        if rt.status == "idle" and not self.tree.currentIndex().isValid():
            self.refresh_tree()  # first sync done: folders are known, open the Inbox

    def _refresh_counts(self) -> None:
        if self.backend.closed:
            return

        def work() -> dict[int, tuple[int, int]]:
            return queries.folder_counts(self.backend._store())

        from app.ui.tasks import Task

        Task(self.backend.runner.serial("mail-read"), work).on_success(self._got_counts).start()

    def _got_counts(self, counts: dict[int, tuple[int, int]]) -> None:
        if self.backend.closed:
            return
        self.tree_model.set_counts(counts)
        inbox_unread = 0
        saved_counts: dict[int, int] = {}
        for i, s in enumerate(self.saved_searches):
            fids = self._saved_folders(s)
            n = sum(counts.get(f, (0, 0))[1] for f in fids)
            saved_counts[i] = n
            if s.query == queries.UNIFIED_INBOX.query:
                inbox_unread = n
        self.tree_model.set_saved_counts(saved_counts)
        self.unread_changed.emit(inbox_unread)
        self._emit_folder_title()

    def _emit_folder_title(self) -> None:
        idx = self.tree.currentIndex()
        if not idx.isValid() or self.current_kind is None:
            self.folder_title_changed.emit("", 0)
            return
        if self.current_kind == "folder" and self.current_folder is not None:
            unread = self.tree_model.counts.get(self.current_folder, (0, 0))[1]
        else:
            unread = self.tree_model.saved_counts.get(self.current_saved if self.current_saved is not None else -1, 0)
        self.folder_title_changed.emit(str(idx.data(NameRole) or ""), int(unread))

    def _tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        kind = current.data(KindRole) if current.isValid() else None
        self._save_folder_state()
        if kind == KIND_FOLDER:
            self.open_folder(int(current.data(FolderIdRole)))
        elif kind == KIND_SAVED:
            self.open_saved(int(current.data(SavedIndexRole)))

    def select_folder(self, folder_id: int) -> None:
        self.tree.setCurrentIndex(self.tree_model.folder_index(folder_id))

    def open_folder(self, folder_id: int) -> None:
        self.current_kind, self.current_folder, self.current_saved = "folder", folder_id, None
        f = self.backend.store.folder(folder_id)
        self.model.sent_folder = f is not None and special_of(f) in ("\\sent", "\\drafts")
        self._restore_folder_state()
        self.view.show_nothing_selected()
        self.current_message = None
        self._apply_search(keep=False)
        self.backend.set_open_folder(folder_id)
        self._emit_folder_title()

    def open_saved(self, index: int) -> None:
        self.current_kind, self.current_folder, self.current_saved = "saved", None, index
        self.model.sent_folder = False
        self._restore_folder_state()
        self.view.show_nothing_selected()
        self.current_message = None
        self._apply_search(keep=False)
        self._emit_folder_title()

    def _folder_key(self) -> str:
        if self.current_kind == "folder" and self.current_folder is not None:
            f = self.backend.store.folder(self.current_folder)
            rt = self.backend.account_for_folder(self.current_folder)
            if f is not None and rt is not None:
                return f"{rt.key}/{f.name}".replace("\\", "_")
        if self.current_kind == "saved" and self.current_saved is not None:
            return f"saved/{self.current_saved}"
        return "none"

    def _restore_folder_state(self) -> None:
        raw = self.settings.value(f"mail/folders/{self._folder_key()}")
        state: dict[str, Any] = {}
        if raw:
            try:
                state = json.loads(str(raw))
            except ValueError:
                state = {}
        self._sort = (str(state.get("sort", "date")), bool(state.get("desc", True)))
        self.threaded_action.blockSignals(True)
        self.threaded_action.setChecked(bool(state.get("threaded", False)))
        self.threaded_action.blockSignals(False)
        header = self.list.header()
        header.blockSignals(True)
        widths = state.get("widths")
        if isinstance(widths, list):
            for col, w in enumerate(widths):
                if col != COL_SUBJECT and isinstance(w, int) and w > 0:
                    self.list.setColumnWidth(col, w)
        col = next(
            (c for c, k in COLUMN_SORT.items() if k == self._sort[0] or (k == "from" and self._sort[0] == "to")),
            COL_DATE,
        )
        header.setSortIndicator(col, Qt.SortOrder.DescendingOrder if self._sort[1] else Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self._opened_state = self._comparable(self._folder_state(*self._sort))

    def _folder_state(self, sort: str, desc: bool) -> dict[str, Any]:
        return {
            "sort": sort,
            "desc": desc,
            "threaded": self.threaded_action.isChecked(),
            "widths": [self.list.columnWidth(c) for c in range(COL_SIZE + 1)],
        }

    @staticmethod
    def _comparable(state: dict[str, Any]) -> str:
        """The state without the Subject width (it stretches with the window and is never restored)."""
        widths = list(state["widths"])
        widths[COL_SUBJECT] = 0
        return json.dumps({**state, "widths": widths})

    def _save_folder_state(self) -> None:
        """Remember the current folder's sort, threading and column widths (now, and only if they changed:
        the settings file is written with an fsync, on this thread; sort switches and column drags go
        through ``_folder_state_timer`` instead, so their list appears first)."""
        self._folder_state_timer.stop()
        if self.current_kind is None or self.model.spec is None:
            return
        state = self._folder_state(self.model.spec.sort, self.model.spec.descending)
        comparable = self._comparable(state)
        if comparable == self._opened_state:
            return  # as the folder was opened with (stored, or the defaults): nothing to write
        key, text = f"mail/folders/{self._folder_key()}", json.dumps(state)
        if self.settings.value(key) != text:
            self.settings.set_value(key, text)
        self._opened_state = comparable

    def _save_splitters(self) -> None:
        self.settings.set_value("mail/main_splitter", self.main_splitter.saveState())
        self.settings.set_value(f"mail/content_splitter/{self._layout_mode}", self.content_splitter.saveState())

    # ------------------------------------------------------------ list

    def _scope_folders(self) -> tuple[int, ...]:
        scope = self.scope_box.currentIndex()
        if self.current_kind == "saved" and self.current_saved is not None and scope == 0:
            return self._saved_folders(self.saved_searches[self.current_saved])
        if scope == 0 and self.current_folder is not None:
            return (self.current_folder,)
        if scope == 1 and self.current_folder is not None:
            rt = self.backend.account_for_folder(self.current_folder)
            if rt is not None:
                return tuple(f.id for f in self.backend.folders(rt.key))
        fids: list[int] = []
        for rt in self.backend.account_list():
            fids += [f.id for f in self.backend.folders(rt.key) if "\\noselect" not in f.attributes.lower()]
        return tuple(fids)

    def _saved_folders(self, s: queries.SavedSearch) -> tuple[int, ...]:
        try:
            q = queries.parse_search(s.query)
        except queries.BadQuery:
            return ()
        accounts = self.backend.account_list()
        if s.scope != "all":
            accounts = [rt for rt in accounts if rt.key == s.scope]
        by_account = {rt.account_id: self.backend.folders(rt.key) for rt in accounts}
        return queries.scope_folders(by_account, [rt.account_id for rt in accounts], q)

    def _current_spec(self) -> queries.ListSpec | None:
        if self.current_kind is None:
            return None
        text = self.search_box.text().strip()
        query: queries.SearchQuery | None = None
        saved_query: queries.SearchQuery | None = None
        if self.current_kind == "saved" and self.current_saved is not None:
            saved_query = queries.parse_search(self.saved_searches[self.current_saved].query)
        try:
            typed = queries.parse_search(text) if text else None
        except queries.BadQuery as e:
            self.search_error.setText(str(e))
            self.search_error.show()
            return None
        self.search_error.hide()
        if saved_query is not None and typed is not None:
            query = queries.SearchQuery(
                words=saved_query.words + typed.words, from_=saved_query.from_ + typed.from_,
                to=saved_query.to + typed.to, subject=saved_query.subject + typed.subject,
                has_attachment=saved_query.has_attachment or typed.has_attachment,
                unread=typed.unread if typed.unread is not None else saved_query.unread,
                starred=saved_query.starred or typed.starred, after=typed.after or saved_query.after,
                before=typed.before or saved_query.before,
            )  # fmt: skip
        else:
            query = typed or saved_query
        if query is not None and query.folders:
            query = queries.SearchQuery(**{**query.__dict__, "folders": ()})
        filters = frozenset(k for k, b in self.filter_buttons.items() if b.isChecked())
        sort, desc = getattr(self, "_sort", ("date", True))
        return queries.ListSpec(
            folder_ids=self._scope_folders(),
            sort=sort,
            descending=desc,
            threaded=self.threaded_action.isChecked() and query is None,
            filters=filters,
            contact=self.contact_filter.text().strip(),
            query=None if query is not None and query.empty else query,
        )

    def _apply_search(self, keep: bool = False) -> None:
        spec = self._current_spec()
        if spec is None:
            return
        if self.model.spec == spec or (self._full_search is not None and self._full_search == spec):
            return
        words = spec.query.words if spec.query is not None else ()
        self._full_search = None
        if words and spec.search_limit > FIRST_PAGE:
            # First results fast (the newest FIRST_PAGE hits), then the complete list keeping the selection.
            self._full_search = spec
            spec = spec.with_(search_limit=FIRST_PAGE)
        self.model.set_spec(spec, keep=keep)
        if words and self.search_box.text().strip():
            self._search_serial = getattr(self, "_search_serial", 0) + 1
            serial = self._search_serial
            self.backend.search_server(spec.folder_ids, " ".join(words), lambda found: self._server_hits(serial, found))

    def open_message(self, message_id: int) -> None:
        """Show one message (a notification was clicked): its folder, then the message selected."""
        row = self.backend.store.row(message_id)
        if row is None:
            return
        self._open_when_listed = message_id
        if self.current_kind != "folder" or self.current_folder != row.folder_id:
            self.select_folder(row.folder_id)  # the list loads, then _list_loaded selects it
        else:
            self._select_waiting_message()

    def _select_waiting_message(self) -> None:
        mid = getattr(self, "_open_when_listed", None)
        if mid is None:
            return
        idx = self.model.index_of(mid)
        if idx.isValid():
            self._open_when_listed = None
            self.list.setCurrentIndex(idx.siblingAtColumn(COL_SUBJECT))
            self.list.scrollTo(idx)

    def _list_loaded(self) -> None:
        self._select_waiting_message()
        full = self._full_search
        spec = self.model.spec
        if full is not None and spec is not None and spec == full.with_(search_limit=FIRST_PAGE):
            if self.model.rowCount() >= FIRST_PAGE:
                # The first page stays on screen (not "loading") while the complete list is queried;
                # ``_full_search`` is cleared when it lands.
                self.model.set_spec(full, keep=True, completing=True)
            else:
                self._full_search = None
        elif full is not None and not self.model.completing:
            self._full_search = None  # the complete list landed (or another list replaced it)

    def _server_hits(self, serial: int, found: Any) -> None:
        if serial != getattr(self, "_search_serial", 0) or not isinstance(found, set):
            return
        spec = self.model.spec
        hits = found - set(self.model.ids())
        if not hits or spec is None or spec.query is None:
            return
        # The headers of the server's hits are cached now; the list shows them beside the local matches
        # (the server also searched bodies not downloaded yet), marked as found on the server.
        self.model.set_spec(spec.with_(also_ids=frozenset(found)), keep=True)
        self.model.server_hits = hits

    def search(self, text: str, scope: int | None = None) -> None:
        """Fill the search box (e.g. "Search messages from") and run it at once."""
        if scope is not None:
            self.scope_box.setCurrentIndex(scope)
        self.search_box.setText(text)
        self._apply_search()

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        key = COLUMN_SORT.get(column, "date")
        if self.model.sent_folder and key == "from":
            key = "to"
        self._sort = (key, order == Qt.SortOrder.DescendingOrder)
        self.model.sort(column, order)
        self._folder_state_timer.start()

    def _toggle_threads(self) -> None:
        self._save_folder_state()
        self._apply_search(keep=False)

    def _messages_changed(self, folder_ids: set[int]) -> None:
        spec = self.model.spec
        if spec is not None and set(spec.folder_ids) & set(folder_ids):
            self.model.refresh()
        self._refresh_counts()

    # --------------------------------------------------------- message

    def selected_ids(self) -> list[int]:
        ids = self.list.selected_ids()
        if not ids and self.current_message is not None:
            ids = [self.current_message]
        return ids

    def _open_current(self) -> None:
        idx = self.list.currentIndex()
        mid = self.model.message_id(idx) if idx.isValid() else None
        if mid is None or mid == self.current_message:
            return
        self.current_message = mid
        self._mark_read_timer.stop()
        if self.view.message is None:
            self.view.show_status(self.tr("Loading the message…"))
        else:
            self._loading_note_timer.start()
        row = self.model.row_for_id(mid)
        allow = row is not None and self.remote_allowed(row.from_addr or "")
        self.backend.load_message(mid, lambda result, m=mid: self._message_loaded(m, result), allow_remote=allow)
        self._update_actions()

    def _show_loading_note(self) -> None:
        if self.current_message is not None:
            self.view.show_status(self.tr("Loading the message…"))

    def _message_loaded(self, mid: int, result: Any) -> None:
        if mid != self.current_message:
            return
        self._loading_note_timer.stop()
        if isinstance(result, DisplayMessage):
            self.view.show_message(result)
            row = self.model.row_for_id(mid)
            if row is not None and not row.flag_bits & SEEN and self.mark_read_delay_ms >= 0:
                self._mark_read_timer.start(self.mark_read_delay_ms)
        else:
            title, text = explain(result)
            if (isinstance(result, Exception) and "offline" in title.lower()) or self._offline_for(mid):
                text = (
                    self.tr("This message has not been downloaded yet and the server cannot be reached.") + "\n" + text
                )
            self.view.show_status(f"{title}\n{text}")

    def _offline_for(self, mid: int) -> bool:
        row = self.model.row_for_id(mid)
        rt = self.backend.account_for_folder(row.folder_id) if row is not None else None
        return rt is not None and rt.status == "offline"

    def _mark_current_read(self) -> None:
        if self.current_message is not None:
            self.model.override_flags({self.current_message}, SEEN)
            self.backend.set_flags([self.current_message], add=["\\Seen"])

    def _raw_for(self, mid: int) -> tuple[bytes | None, str]:
        row = self.model.row_for_id(mid)
        return self.backend.store.raw_message(mid), row.subject if row is not None else ""

    def _update_actions(self) -> None:
        has = bool(self.selected_ids())
        for a in self._message_actions():
            a.setEnabled(has)

    # ---------------------------------------------------------- actions

    def get_mail(self) -> None:
        for rt in self.backend.account_list():
            if rt.kind != "local":
                self.backend.sync_account(rt.key)

    def _reply(self, all_: bool) -> None:
        if self.current_message is not None:
            self.reply_requested.emit(self.current_message, all_)

    def _forward(self, attached: bool) -> None:
        if self.current_message is not None:
            self.forward_requested.emit(self.current_message, attached)

    def _flag_bits(self, mid: int) -> int:
        idx = self.model.index_of(mid)
        bits = self.model.data(idx, FlagsRole) if idx.isValid() else None
        if bits is None:
            row = self.model.row_for_id(mid)
            bits = row.flag_bits if row is not None else 0
        return int(bits)

    def toggle_star(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        on = not all(self._flag_bits(m) & FLAGGED for m in ids)
        self.model.override_flags(set(ids), FLAGGED if on else 0, 0 if on else FLAGGED)
        self.backend.set_flags(ids, add=["\\Flagged"] if on else [], remove=[] if on else ["\\Flagged"])

    def toggle_read(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        self._mark_read_timer.stop()
        read = not all(self._flag_bits(m) & SEEN for m in ids)
        self.model.override_flags(set(ids), SEEN if read else 0, 0 if read else SEEN)
        self.backend.set_flags(ids, add=["\\Seen"] if read else [], remove=[] if read else ["\\Seen"])

    def _select_after_removal(self, ids: list[int]) -> None:
        """Keep the cursor near where it was (the row after the removed ones)."""
        rows = [self.model.row_of(m) for m in ids]
        rows = [r for r in rows if r is not None]
        self.model.hide_ids(set(ids))
        if rows and self.model.rowCount() > 0:
            r = min(min(rows), self.model.rowCount() - 1)
            self.list.setCurrentIndex(self.model.index(r, 0))

    def delete_selected(self, permanent: bool = False) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        if permanent and not self.confirm_permanent_delete(ids):
            return
        self._select_after_removal(ids)
        self.current_message = None
        self.backend.delete(ids, permanent=permanent)

    def confirm_permanent_delete(self, ids: list[int]) -> bool:
        rows = self.backend.store.rows(ids[:10])
        listing = "\n".join(f"• {r.subject or self.tr('(no subject)')}" for r in rows)
        if len(ids) > 10:
            listing += "\n" + self.tr("… and %n more", "", len(ids) - 10)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Delete permanently?"),
                          self.tr("%n message(s) will be deleted for good, without going to Trash:", "", len(ids)),
                          QMessageBox.StandardButton.Cancel, self)  # fmt: skip
        box.setInformativeText(listing)
        delete = box.addButton(self.tr("Delete permanently"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is delete

    def move_to_special(self, special: str) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        row = self.model.row_for_id(ids[0])
        target = self.backend.special_folder(row.folder_id, special) if row is not None else None
        if target is None:
            self.status_text.setText(self.tr("This account has no %1 folder.").replace("%1", special.strip("\\")))
            return
        self.move_messages(ids, target.id, copy=False)

    def move_messages(self, ids: list[int], folder_id: int, *, copy: bool) -> None:
        spec = self.model.spec
        if not copy and spec is not None and folder_id not in spec.folder_ids:
            self._select_after_removal(ids)
        self.backend.move(ids, folder_id, copy=copy)

    def _dropped_on_folder(self, ids: list[int], folder_id: int, copy: bool) -> None:
        self.move_messages(list(ids), folder_id, copy=copy)

    def undo(self) -> None:
        if not self.backend.undo():
            self.status_text.setText(self.tr("Nothing to undo."))

    def next_unread(self) -> None:
        ids = self.model.ids()
        idx = self.list.currentIndex()
        start = 0
        if idx.isValid():
            top = idx
            start = top.row() + 1
        spec = self.model.spec
        if spec is None:
            return
        mid = queries.next_unread(self.backend.store, spec, ids[start:]) or queries.next_unread(
            self.backend.store, spec, ids[:start]
        )
        if mid is not None:
            self.list.setCurrentIndex(self.model.index_of(mid))
            self.list.selectionModel().select(
                self.list.currentIndex(),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )

    def toggle_quick_filter(self) -> None:
        show = not self.filter_bar.isVisible()
        self.filter_bar.setVisible(show)
        if show:
            self.contact_filter.setFocus()
        else:
            for b in self.filter_buttons.values():
                b.setChecked(False)
            self.contact_filter.clear()

    def _allow_sender(self, address: str) -> None:
        """ "Always for this sender": the address joins Settings → Mail → allowed senders."""
        entries = self.settings.get("mail/allowed_senders")
        if address and not sender_allowed(address, entries):
            try:
                self.settings.set("mail/allowed_senders", [*entries, address.lower()])
            except SettingError:
                pass  # not an address the list can hold: this message's content stays loaded once

    def remote_allowed(self, address: str) -> bool:
        """Whether a message from ``address`` loads remote content by itself (the user's policy)."""
        policy = self.settings.get("mail/remote_content")
        if policy == "always":
            return True
        return policy == "senders" and sender_allowed(address, self.settings.get("mail/allowed_senders"))

    def _mark_read_setting(self) -> int:
        """Milliseconds after which the shown message is marked read (-1: never by itself)."""
        if not self.settings.get("mail/mark_read"):
            return -1
        return int(self.settings.get("mail/mark_read_delay_s")) * 1000

    def _setting_changed(self, key: str) -> None:
        if key in ("mail/mark_read", "mail/mark_read_delay_s"):
            self.mark_read_delay_ms = self._mark_read_setting()
        elif key == "mail/remote_content":
            self.view.always_button.setVisible(self.settings.get("mail/remote_content") != "block")

    def _adopt_old_remote_senders(self) -> None:
        """Earlier versions kept "always for this sender" under their own key: merge it into the setting."""
        raw = self.settings.value("mail/remote_senders")
        if not raw:
            return
        try:
            old = [str(a) for a in json.loads(str(raw))]
        except (ValueError, TypeError):
            old = []
        entries = self.settings.get("mail/allowed_senders")
        for address in old:
            if not sender_allowed(address, entries):
                try:
                    self.settings.set("mail/allowed_senders", [*entries, address])
                    entries = self.settings.get("mail/allowed_senders")
                except SettingError:
                    pass
        self.settings.set_value("mail/remote_senders", "")

    # ---------------------------------------------------- saved searches

    def _load_saved(self) -> list[queries.SavedSearch]:
        raw = self.settings.value("mail/saved_searches")
        if raw:
            try:
                return [queries.SavedSearch.from_dict(d) for d in json.loads(str(raw))]
            except (ValueError, TypeError):
                pass
        return [queries.UNIFIED_INBOX]

    def _store_saved(self) -> None:
        self.settings.set_value("mail/saved_searches", json.dumps([s.to_dict() for s in self.saved_searches]))
        self.refresh_tree(force=True)

    def save_current_search(self, name: str | None = None) -> None:
        text = self.search_box.text().strip()
        if not text:
            return
        if name is None:
            name, ok = QInputDialog.getText(
                self, self.tr("Save search"), self.tr("Name of the saved search:"), text=text
            )
            if not ok or not name.strip():
                return
        scope = "all"
        if self.scope_box.currentIndex() == 1 and self.current_folder is not None:
            rt = self.backend.account_for_folder(self.current_folder)
            scope = rt.key if rt is not None else "all"
        query = text
        if self.scope_box.currentIndex() == 0 and self.current_folder is not None:
            f = self.backend.store.folder(self.current_folder)
            rt = self.backend.account_for_folder(self.current_folder)
            if f is not None and rt is not None:
                query, scope = f'{text} in:"{f.name}"', rt.key
        self.saved_searches.append(queries.SavedSearch(name.strip(), query, scope))
        self._store_saved()

    # -------------------------------------------------------- context menus

    def _list_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for a in (self.reply_action, self.reply_all_action, self.forward_action, self.forward_attached_action):
            menu.addAction(a)
        menu.addSeparator()
        for a in (self.star_action, self.read_action, self.archive_action, self.junk_action):
            menu.addAction(a)
        move_menu = menu.addMenu(self.tr("Move to"))
        copy_menu = menu.addMenu(self.tr("Copy to"))
        for rt in self.backend.account_list():
            for f in self.backend.folders(rt.key):
                label = f"{rt.name or self.tr('Local Folders')} / {f.name}"
                move_menu.addAction(label, lambda fid=f.id: self.move_messages(self.selected_ids(), fid, copy=False))
                copy_menu.addAction(label, lambda fid=f.id: self.move_messages(self.selected_ids(), fid, copy=True))
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.addAction(self.delete_permanently_action)
        menu.addSeparator()
        menu.addAction(self.view.save_eml_action)
        menu.addAction(self.view.view_source_action)
        menu.addAction(self.view.print_action)
        menu.addAction(self.view.print_pdf_action)
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def _tree_menu(self, pos: QPoint) -> None:
        idx = self.tree.indexAt(pos)
        if not idx.isValid():
            return
        kind = idx.data(KindRole)
        key = idx.data(AccountKeyRole)
        menu = QMenu(self)
        if kind == KIND_ACCOUNT and key:
            rt = self.backend.accounts.get(key)
            if rt is not None and rt.kind != "local":
                menu.addAction(
                    icon("mail-send-receive"), self.tr("Get messages"), lambda: self.backend.sync_account(key)
                )
                if rt.status in ("error", "offline"):
                    menu.addAction(icon("view-refresh"), self.tr("Retry"), lambda: self.backend.sync_account(key))
            menu.addAction(icon("folder"), self.tr("New folder…"), lambda: self.create_folder(key))
            if rt is not None and rt.kind != "local":
                menu.addAction(self.tr("Protocol log"), lambda: self.show_protocol_log(key))
                menu.addAction(self.tr("Account settings…"), lambda: self.account_settings_requested.emit(key))
        elif kind == KIND_FOLDER:
            fid = int(idx.data(FolderIdRole))
            menu.addAction(self.tr("Rename…"), lambda: self.rename_folder(fid))
            menu.addAction(icon("edit-delete"), self.tr("Delete folder…"), lambda: self.delete_folder(fid))
            menu.addAction(self.threaded_action)
        elif kind == KIND_SAVED:
            i = int(idx.data(SavedIndexRole))
            s = self.saved_searches[i]
            if s == queries.UNIFIED_INBOX:
                menu.addAction(self.tr("Hide the unified Inbox"), lambda: self._hide_saved(i))
            else:
                menu.addAction(icon("edit-delete"), self.tr("Delete saved search"), lambda: self._delete_saved(i))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _hide_saved(self, i: int) -> None:
        s = self.saved_searches[i]
        self.saved_searches[i] = queries.SavedSearch(s.name, s.query, s.scope, hidden=True)
        self._store_saved()

    def _delete_saved(self, i: int) -> None:
        del self.saved_searches[i]
        self._store_saved()

    def create_folder(self, key: str, name: str | None = None) -> None:
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("New folder"), self.tr("Folder name:"))
            if not ok or not name.strip():
                return
        self.backend.create_folder(key, name.strip())

    def rename_folder(self, folder_id: int, name: str | None = None) -> None:
        f = self.backend.store.folder(folder_id)
        if f is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("Rename folder"), self.tr("New name:"), text=f.name)
            if not ok or not name.strip() or name == f.name:
                return
        self.backend.rename_folder(folder_id, name.strip())

    def delete_folder(self, folder_id: int, confirm: bool = True) -> None:
        f = self.backend.store.folder(folder_id)
        if f is None:
            return
        if confirm:
            n = self.backend.store.count(folder_id)
            answer = QMessageBox.question(
                self, self.tr("Delete folder?"),
                self.tr("Delete the folder %1 and the %n message(s) in it?", "", n).replace("%1", f.name),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.backend.delete_folder(folder_id)

    def show_protocol_log(self, key: str) -> ProtocolLogWindow | None:
        rt = self.backend.accounts.get(key)
        if rt is None:
            return None
        win = self._protocol_windows.get(key)
        if win is None:
            win = ProtocolLogWindow(rt.name or key, rt.log_buffer, self)
            self._protocol_windows[key] = win
        win.show()
        return win

    # ------------------------------------------------------------ status

    def _progress(self, text: str, done: int, total: int) -> None:
        self.status_text.setText(text or self._idle_text())
        if text and total:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(done)
            self.progress_bar.show()
        elif text:
            self.progress_bar.setRange(0, 0)
            self.progress_bar.show()
        else:
            self.progress_bar.hide()

    def _idle_text(self) -> str:
        if not self.has_accounts():
            return self.tr("Ready")
        offline = [rt.name for rt in self.backend.account_list() if rt.status == "offline"]
        if offline:
            return self.tr("Offline: %1. Changes are kept and sent later.").replace("%1", ", ".join(offline))
        failed = [rt.name for rt in self.backend.account_list() if rt.status == "error"]
        if failed:
            return self.tr("Needs attention: %1").replace("%1", ", ".join(failed))
        return self.tr("Up to date")

    def _pending(self, n: int) -> None:
        failed = sum(1 for t in self.backend.tasks() if t.state == "failed")
        if n or failed:
            text = self.tr("%n pending", "", n)
            if failed:
                text += " · " + self.tr("%n failed", "", failed)
            self.pending_button.setText(text)
            self.pending_button.setIcon(icon("dialog-warning") if failed else icon("view-refresh"))
        else:
            self.pending_button.setText(self.tr("Tasks"))
            self.pending_button.setIcon(icon("view-list-details"))

    def _tasks_changed(self) -> None:
        self._pending(self.backend.pending_count())
        if not any(t.state == "running" for t in self.backend.tasks()):
            self.status_text.setText(self._idle_text())

    def _trust_needed(self, key: str, error: Any) -> None:
        if getattr(self, "ask_trust", None) is not None:
            decision = self.ask_trust(key, error)
        else:
            from app.ui.dialogs.trust import CertificateDialog

            dlg = CertificateDialog(error.certificate, getattr(error, "reason", ""), self)
            decision = dlg.exec() == CertificateDialog.DialogCode.Accepted
        if decision:
            self.backend.trust_certificate(key, error.certificate.fingerprint_sha256)

    ask_trust: Any = None

    def _password_needed(self, key: str) -> None:
        rt = self.backend.accounts.get(key)
        if rt is None or getattr(self, "_asking_password", False):
            return
        self._asking_password = True
        try:
            pw, ok = QInputDialog.getText(
                self, self.tr("Password"), self.tr("Password for %1:").replace("%1", rt.name or key),
                QLineEdit.EchoMode.Password,
            )  # fmt: skip
        finally:
            self._asking_password = False
        if ok and pw:
            self.backend.set_password(key, pw)
            self.backend.sync_account(key)

    # ------------------------------------------------------------ layout

    def apply_layout(self, mode: str) -> None:
        """ "classic": list above the message; "wide": list beside it (three columns)."""
        self._layout_mode = "wide" if mode == "wide" else "classic"
        self.content_splitter.setOrientation(
            Qt.Orientation.Horizontal if self._layout_mode == "wide" else Qt.Orientation.Vertical
        )
        (self.wide_action if self._layout_mode == "wide" else self.classic_action).setChecked(True)
        self.settings.set_value("mail/layout", self._layout_mode)
        state = self.settings.value(f"mail/content_splitter/{self._layout_mode}")
        if state is not None:
            self.content_splitter.restoreState(state)
        else:
            self.content_splitter.setSizes([420, 600] if self._layout_mode == "wide" else [260, 400])

    def focus_next_pane(self, step: int = 1) -> None:
        panes: list[QWidget] = [self.tree, self.list, self.view.web_view or self.view.text_view
                                if self.view.message is not None else self.view.status_label]  # fmt: skip
        focus = self.focusWidget()
        current = next(
            (i for i, p in enumerate(panes) if p is focus or (focus is not None and p.isAncestorOf(focus))), -1
        )
        target = panes[(current + step) % len(panes)]
        target.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------ life

    def start(self, *, check_mail: bool = True) -> None:
        """After the window shows: check the accounts for mail (each as its settings say; none when
        ``check_mail`` is False, the start-up setting) and warm the web engine."""
        self._started = True
        self.backend.start(check_mail=check_mail)
        self.status_text.setText(self._idle_text())
        # Creating the engine blocks this thread for ~0.3 s: only once the window has painted its first frame.
        QTimer.singleShot(WARM_UP_DELAY_MS, self.view.warm_up)
        QTimer.singleShot(WARM_UP_DELAY_MS, _freeze_startup_objects)
        if not self.tree.currentIndex().isValid():
            inbox = self._first_inbox()
            if inbox is not None:
                self.select_folder(inbox)

    def when_ready(self, callback: Any, timeout_ms: int = 30000) -> None:
        """Call ``callback`` once every account has synced (or failed) and the first message is shown
        (for ``--screenshot``); after ``timeout_ms`` at the latest."""
        waited = [0]

        def check() -> None:
            waited[0] += 100
            busy = any(t.state == "running" for t in self.backend.tasks())
            synced = all(rt.synced_once or rt.status in ("error", "offline") for rt in self.backend.account_list()
                         if rt.kind != "local")  # fmt: skip
            if waited[0] >= timeout_ms:
                callback()
                return
            if busy or not synced or self.model.loading or self.model.completing:
                QTimer.singleShot(100, check)
                return
            if self.view.message is None and self.model.rowCount() > 0:
                if self.current_message is None:
                    idx = self.model.index(0, COL_SUBJECT)
                    self.list.setCurrentIndex(idx)
                QTimer.singleShot(100, check)
                return
            if self.view.message is not None and self.view.stack.currentIndex() == 0 and self.view.loaded_documents < 2:
                QTimer.singleShot(100, check)
                return
            callback()

        QTimer.singleShot(100, check)

    def _first_inbox(self) -> int | None:
        """The Inbox to open first: the first IMAP account's in the user's order (else the first POP3
        account's). None while that account is still listing its folders, so a faster POP3 account
        does not win the race on a first start."""
        accounts = sorted(
            (rt for rt in self.backend.account_list() if rt.kind != "local"), key=lambda rt: rt.kind != "imap"
        )
        for rt in accounts:
            for f in self.backend.folders(rt.key):
                if f.name.upper() == "INBOX":
                    return f.id
            if rt.status == "syncing":
                return None
        return None

    def shutdown(self) -> None:
        for t in (self._mark_read_timer, self._search_timer, self._open_timer, self._loading_note_timer):
            t.stop()
        self._save_folder_state()
        self._save_splitters()
        self.backend.shutdown()


__all__ = ["MailTab", "webengine"]
