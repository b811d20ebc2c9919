"""The remote side of one connection tab: folder tree, file list, breadcrumbs, path and filter, loading state.

Every listing runs on the connection's worker (:class:`RemoteConnection`); while it runs the list
says "Loading…" and a Cancel button appears, so a slow or stalled server never freezes the window.
Drops onto the list: local files and folders (file URLs, from the local pane, the OS or the Mail
tab) are uploaded into the folder under the cursor or the shown one; remote entries of the same
connection are moved there.

Signals:
    path_changed(str): a new folder is shown (after its listing arrived).
    upload_requested(list, str): local paths dropped, and the remote folder to upload into.
    move_requested(object, str): a :class:`RemoteDrag` of this connection, and the folder to move into.
    context_menu(QPoint): context menu at this global position.
    activated(): the pane got focus.
    file_activated(object): a file was double-clicked (a :class:`RemoteEntry`).
    listing_failed(object): a listing failed with this exception (the tab turns trust problems into prompts).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent, QFocusEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedLayout,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.core.transfer.base import RemoteEntry
from app.ui.transfer.backend import RemoteConnection
from app.ui.transfer.dnd import RemoteDrag, RemoteItem, RemoteMimeData, decode_remote, encode_remote, local_paths
from app.ui.transfer.explain import explain
from app.ui.transfer.history import NavHistory
from app.ui.transfer.icons import icon
from app.ui.transfer.remote_model import ListingState, RemoteListModel, RemoteTreeModel


class RemoteListView(QTreeView):
    """The file list; knows which drops it takes (see the module docstring).

    Signals:
        upload_dropped(list, str), move_dropped(object, str), focused().
    """

    upload_dropped = Signal(list, str)
    move_dropped = Signal(object, str)
    focused = Signal()

    def __init__(self, model: RemoteListModel, connection_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remote-list")
        self.list_model = model
        self.connection_id = connection_id
        self.setModel(model)
        self.setUniformRowHeights(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setSortingEnabled(True)
        self.sortByColumn(RemoteListModel.NAME, Qt.SortOrder.AscendingOrder)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.header().resizeSection(RemoteListModel.NAME, 220)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit()

    def _folder_at(self, pos: QPoint) -> str:
        index = self.indexAt(pos)
        e = self.list_model.entry(index.row()) if index.isValid() else None
        if e is not None and e.is_dir:
            return self.list_model.path_of(e)
        return self.list_model.path

    def _accepts(self, md: QMimeData | None, pos: QPoint) -> Qt.DropAction | None:
        if not self.list_model.path or self.list_model.state != ListingState.READY:
            return None
        drag = decode_remote(md)
        if drag is not None:
            if drag.connection != self.connection_id:
                return None
            folder = self._folder_at(pos)
            if any(folder == i.path or folder.startswith(i.path.rstrip("/") + "/") for i in drag.items):
                return None  # into itself
            if all(posixpath.dirname(i.path) == folder for i in drag.items):
                return None  # already there
            return Qt.DropAction.MoveAction
        if local_paths(md):
            return Qt.DropAction.CopyAction
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if decode_remote(event.mimeData()) is not None or local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        action = self._accepts(event.mimeData(), event.position().toPoint())
        if action is None:
            event.ignore()
            return
        event.setDropAction(action)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        pos = event.position().toPoint()
        action = self._accepts(event.mimeData(), pos)
        if action is None:
            event.ignore()
            return
        event.setDropAction(action)
        event.accept()
        folder = self._folder_at(pos)
        drag = decode_remote(event.mimeData())
        if drag is not None:
            self.move_dropped.emit(drag, folder)
        else:
            self.upload_dropped.emit(local_paths(event.mimeData()), folder)


class Breadcrumbs(QWidget):
    """The path as buttons, one per folder; a click goes there.  Signals: clicked(str)."""

    clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remote-breadcrumbs")
        self._lay = QHBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(0)
        self.buttons: list[QToolButton] = []

    def set_path(self, path: str) -> None:
        for b in self.buttons:
            b.deleteLater()
        self.buttons = []
        while self._lay.count():
            self._lay.takeAt(0)
        cur = "/"
        parts = [("/", "/")]
        for p in [p for p in path.split("/") if p]:
            cur = posixpath.join(cur, p)
            parts.append((p, cur))
        for i, (label, target) in enumerate(parts):
            b = QToolButton(self)
            b.setAutoRaise(True)
            b.setText(label if i == 0 else f"{label} ›" if i < len(parts) - 1 else label)
            if i == 0 and len(parts) > 1:
                b.setText("/ ›")
            b.setToolTip(target)
            b.clicked.connect(lambda _c=False, t=target: self.clicked.emit(t))
            self._lay.addWidget(b)
            self.buttons.append(b)
        self._lay.addStretch(1)


class RemotePane(QWidget):
    """One connection's remote browser (see the module docstring)."""

    path_changed = Signal(str)
    upload_requested = Signal(list, str)
    move_requested = Signal(object, str)
    context_menu = Signal(QPoint)
    activated = Signal()
    file_activated = Signal(object)
    listing_failed = Signal(object)

    def __init__(self, connection: RemoteConnection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remote-pane")
        self.connection = connection
        self.connection_id = connection.target.key + f"#{id(connection)}"
        self.history = NavHistory()
        self.model = RemoteListModel(self)
        self.model.mime_factory = self._mime_for
        self.tree_model = RemoteTreeModel(self)
        self.stage: Callable[[list[RemoteItem]], list[Path] | None] | None = None
        self._listing_serial = 0

        self.back_action = self._nav("go-previous", QKeySequence(QKeySequence.StandardKey.Back), self.back)
        self.forward_action = self._nav("go-next", QKeySequence(QKeySequence.StandardKey.Forward), self.forward)
        self.up_action = self._nav("go-up", QKeySequence("Alt+Up"), self.up)
        self.refresh_action = self._nav("view-refresh", QKeySequence(), self.refresh)
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("remote-path")
        self.path_edit.returnPressed.connect(lambda: self.navigate(self.path_edit.text().strip() or "/"))
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("remote-filter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.model.set_filter)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(2)
        for act in (self.back_action, self.forward_action, self.up_action, self.refresh_action):
            b = QToolButton(self)
            b.setDefaultAction(act)
            bar.addWidget(b)
        bar.addWidget(self.path_edit, 3)
        bar.addWidget(self.filter_edit, 1)
        self.crumbs = Breadcrumbs(self)
        self.crumbs.clicked.connect(self.navigate)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("remote-status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cancel_button = QPushButton(icon("process-stop"), "", self)
        self.cancel_button.setObjectName("remote-cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        status = QHBoxLayout()
        status.setContentsMargins(0, 0, 0, 0)
        status.addWidget(self.status_label, 1)
        status.addWidget(self.cancel_button)

        self.tree = QTreeView(self)
        self.tree.setObjectName("remote-tree")
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderHidden(True)
        self.tree.clicked.connect(lambda i: self.navigate(self.tree_model.path_of(i)))
        self.tree.activated.connect(lambda i: self.navigate(self.tree_model.path_of(i)))
        self.tree_model.fetch_requested.connect(self._list_for_tree)
        self.list = RemoteListView(self.model, self.connection_id, self)
        self.list.doubleClicked.connect(self._double_clicked)
        self.list.upload_dropped.connect(self.upload_requested)
        self.list.move_dropped.connect(self.move_requested)
        self.list.focused.connect(self.activated)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(
            lambda p: self.context_menu.emit(self.list.viewport().mapToGlobal(p))
        )
        self.placeholder = QLabel(self)
        self.placeholder.setObjectName("remote-placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        holder = QWidget(self)
        self.stack = QStackedLayout(holder)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.placeholder)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(holder)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([160, 480])

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(bar)
        lay.addWidget(self.crumbs)
        lay.addLayout(status)
        lay.addWidget(self.splitter, 1)
        self.model.state_changed.connect(self._state_changed)
        connection.busy_changed.connect(self._busy_changed)
        self.retranslate()
        self._state_changed()
        self._update_nav()

    def _nav(self, name: str, key: QKeySequence, slot: Any) -> QAction:
        act = QAction(icon(name), "", self)
        act.setShortcut(key)
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def retranslate(self) -> None:
        for act, text in (
            (self.back_action, self.tr("Back")),
            (self.forward_action, self.tr("Forward")),
            (self.up_action, self.tr("Up one folder")),
            (self.refresh_action, self.tr("Refresh")),
        ):
            act.setText(text)
            act.setToolTip(text)
            act.setStatusTip(text)
        self.path_edit.setAccessibleName(self.tr("Remote folder"))
        self.path_edit.setPlaceholderText(self.tr("Remote folder"))
        self.filter_edit.setPlaceholderText(self.tr("Filter names (e.g. *.jpg)"))
        self.filter_edit.setAccessibleName(self.tr("Filter"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop waiting for the server"))
        self.tree.setAccessibleName(self.tr("Remote folders"))
        self.list.setAccessibleName(self.tr("Remote files"))
        self._state_changed()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- state -------------------------------------------------------------------------------

    def _state_changed(self) -> None:
        st = self.model.state
        if st == ListingState.LOADING:
            text = self.model.message or self.tr("Loading %1…").replace("%1", self.model.path or "")
        elif st == ListingState.FAILED:
            text = self.model.message
        elif st == ListingState.EMPTY:
            text = self.model.message or self.tr("Not connected.")
        elif not self.model.all_entries():
            text = self.tr("This folder is empty.")
        elif not self.model.rowCount():
            text = self.tr("No names match the filter.")
        else:
            text = self.tr("%n item(s)", "", len(self.model.all_entries()))
        self.status_label.setText(text)
        self.placeholder.setText(text)
        # The list stays visible (and takes drops) once a folder is shown, even an empty one.
        show_list = st == ListingState.READY or self.model.rowCount() > 0
        self.stack.setCurrentWidget(self.list if show_list else self.placeholder)

    def _busy_changed(self, busy: bool) -> None:
        self.cancel_button.setVisible(busy)

    def show_message(self, text: str) -> None:
        self.status_label.setText(text)

    # --- navigation ------------------------------------------------------------------------

    def navigate(self, path: str, *, record: bool = True) -> None:
        """List ``path`` on the worker; the list shows "Loading…" until it arrives."""
        path = posixpath.normpath(path) if path else "/"
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
        self._listing_serial += 1
        serial = self._listing_serial
        self.model.set_loading(path)
        self.path_edit.setText(path)

        def done(entries: list[RemoteEntry]) -> None:
            if serial != self._listing_serial:
                return
            self.model.set_listing(path, entries)
            self.tree_model.set_children(path, [e.name for e in entries if e.is_dir and e.name not in (".", "..")])
            idx = self.tree_model.reveal(path)
            self.tree.expand(idx.parent()) if idx.parent().isValid() else None
            self.tree.setCurrentIndex(idx)
            self.crumbs.set_path(path)
            if record:
                self.history.visit(path)
            self._update_nav()
            self.path_changed.emit(path)

        def failed(exc: BaseException) -> None:
            if serial != self._listing_serial:
                return
            self.model.set_failed(explain(exc))
            self.listing_failed.emit(exc)

        self.connection.call(lambda s: s.listdir(path), done, failed)

    def refresh(self) -> None:
        if self.model.path:
            self.navigate(self.model.path, record=False)

    def back(self) -> None:
        loc = self.history.back()
        if loc is not None:
            self.navigate(loc, record=False)

    def forward(self) -> None:
        loc = self.history.forward()
        if loc is not None:
            self.navigate(loc, record=False)

    def up(self) -> None:
        cur = self.model.path or "/"
        if cur != "/":
            self.navigate(posixpath.dirname(cur.rstrip("/")) or "/")

    def enter(self, name: str) -> bool:
        """Synchronized browsing: go into ``name`` if the shown folder has such a subfolder."""
        for e in self.model.all_entries():
            if e.name == name and e.is_dir:
                self.navigate(self.model.path_of(e))
                return True
        return False

    def _update_nav(self) -> None:
        self.back_action.setEnabled(self.history.can_back())
        self.forward_action.setEnabled(self.history.can_forward())
        self.up_action.setEnabled(bool(self.model.path) and self.model.path != "/")

    def _list_for_tree(self, path: str) -> None:
        def done(entries: list[RemoteEntry]) -> None:
            self.tree_model.set_children(path, [e.name for e in entries if e.is_dir and e.name not in (".", "..")])

        def failed(_exc: BaseException) -> None:
            self.tree_model.listing_failed(path)

        self.connection.call(lambda s: s.listdir(path), done, failed, quiet=True)

    def _double_clicked(self, index: QModelIndex) -> None:
        e = self.model.entry(index.row())
        if e is None:
            return
        if e.is_dir:
            self.navigate(self.model.path_of(e))
        else:
            self.file_activated.emit(e)

    def cancel(self) -> None:
        self.connection.cancel()
        if self.model.state == ListingState.LOADING:
            self.model.set_failed(self.tr("Cancelled. Press F5 to try again."))

    # --- selection and drags ---------------------------------------------------------------------

    def selected_entries(self) -> list[RemoteEntry]:
        rows = sorted({i.row() for i in self.list.selectionModel().selectedRows(0)})
        return [e for e in (self.model.entry(r) for r in rows) if e is not None]

    def select_names(self, names: list[str]) -> None:
        sel = self.list.selectionModel()
        sel.clearSelection()
        for n in names:
            r = self.model.row_of(n)
            if r >= 0:
                sel.select(self.model.index(r, 0), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)

    def items_for(self, entries: list[RemoteEntry]) -> list[RemoteItem]:
        return [RemoteItem(self.model.path_of(e), e.kind, e.size) for e in entries]

    def _mime_for(self, entries: list[RemoteEntry]) -> QMimeData:
        items = self.items_for(entries)
        payload = encode_remote(self.connection_id, items)
        return RemoteMimeData(payload, lambda: self.stage(items) if self.stage is not None else None)

    def drag_payload(self, entries: list[RemoteEntry]) -> RemoteDrag:
        return RemoteDrag(self.connection_id, self.items_for(entries))
