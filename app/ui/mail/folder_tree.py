"""The folder tree: saved searches (the unified Inbox first), each account with its folders, Local Folders.

Special folders come first (Inbox, Drafts, Sent, Archive, Junk, Trash; by
SPECIAL-USE or name), then the hierarchy by the server's delimiter. Unread
counts are shown in bold; an account shows its sync state (syncing, offline,
error with the last error as tooltip). The tree is small (folders, not
messages), so it is a ``QStandardItemModel`` whose items are updated in
place: counts change without rebuilding, and the selection stays.

Messages dropped on a folder (``application/x-quay-message-ids``) are moved,
or copied with Ctrl held: :attr:`FolderTreeView.messages_dropped`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from app.core.mail.queries import SavedSearch
from app.core.mail.store import FolderRow
from app.ui.mail.icons import folder_icon, icon
from app.ui.mail.message_model import MIME_MESSAGE_IDS

KindRole = Qt.ItemDataRole.UserRole + 10
FolderIdRole = Qt.ItemDataRole.UserRole + 11
AccountKeyRole = Qt.ItemDataRole.UserRole + 12
SavedIndexRole = Qt.ItemDataRole.UserRole + 13
NameRole = Qt.ItemDataRole.UserRole + 14

KIND_SAVED_ROOT, KIND_SAVED, KIND_ACCOUNT, KIND_FOLDER = "saved-root", "saved", "account", "folder"

_SPECIAL_ORDER = ["\\inbox", "\\drafts", "\\sent", "\\archive", "\\junk", "\\trash"]
_NAME_SPECIAL = {"inbox": "\\inbox", "drafts": "\\drafts", "sent": "\\sent", "archive": "\\archive",
                 "junk": "\\junk", "spam": "\\junk", "trash": "\\trash"}  # fmt: skip


def special_of(f: FolderRow) -> str | None:
    """The folder's special use, from SPECIAL-USE or (top-level) its name."""
    if f.special_use:
        return f.special_use.lower()
    if f.delimiter and f.delimiter in f.name:
        return None
    return _NAME_SPECIAL.get(f.name.lower())


def _folder_sort_key(f: FolderRow) -> tuple[int, str]:
    sp = special_of(f)
    return (_SPECIAL_ORDER.index(sp) if sp in _SPECIAL_ORDER else len(_SPECIAL_ORDER), f.name.lower())


class FolderTreeModel(QStandardItemModel):
    """Items keyed by folder id / account key / saved-search index, updated in place."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._folder_items: dict[int, QStandardItem] = {}
        self._account_items: dict[str, QStandardItem] = {}
        self._saved_items: list[QStandardItem] = []
        self._saved_root: QStandardItem | None = None
        self._structure: tuple[Any, ...] = ()
        self.counts: dict[int, tuple[int, int]] = {}
        self.saved_counts: dict[int, int] = {}

    # The tree's text comes from here (names, plus the unread count); everything else is roles.
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.FontRole):
            item = self.itemFromIndex(QModelIndex(index)) if index.isValid() else None
            if item is not None:
                name = item.data(NameRole) or ""
                unread = self._unread(item)
                if role == Qt.ItemDataRole.FontRole:
                    if unread or item.data(KindRole) in (KIND_ACCOUNT, KIND_SAVED_ROOT):
                        f = QFont()
                        f.setBold(True)
                        return f
                    return None
                if role == Qt.ItemDataRole.AccessibleTextRole:
                    return self.tr("%1, %n unread", "", unread).replace("%1", name) if unread else name
                return f"{name} ({unread})" if unread else name
        return super().data(index, role)

    def _unread(self, item: QStandardItem) -> int:
        kind = item.data(KindRole)
        if kind == KIND_FOLDER:
            return self.counts.get(item.data(FolderIdRole), (0, 0))[1]
        if kind == KIND_SAVED:
            return self.saved_counts.get(item.data(SavedIndexRole), 0)
        return 0

    def rebuild(
        self,
        accounts: list[tuple[str, str, str, str, str]],
        folders: dict[str, list[FolderRow]],
        saved: list[SavedSearch],
        names: dict[str, str],
    ) -> None:
        """(Re)build when the structure changed; otherwise only refresh state. ``accounts`` rows are
        (key, kind, name, status, error); ``names`` translates built-in names (Local Folders, ...)."""
        structure = (
            tuple((k, kind, n) for k, kind, n, _s, _e in accounts),
            tuple((k, tuple((f.id, f.name, f.special_use) for f in folders.get(k, []))) for k, *_ in accounts),
            tuple(s.to_dict().items().__repr__() for s in saved),
            tuple(sorted(names.items())),
        )
        if structure != self._structure:
            self._structure = structure
            self._build(accounts, folders, saved, names)
        for key, _kind, _name, status, error in accounts:
            self.set_account_state(key, status, error)

    def _build(
        self,
        accounts: list[tuple[str, str, str, str, str]],
        folders: dict[str, list[FolderRow]],
        saved: list[SavedSearch],
        names: dict[str, str],
    ) -> None:
        self.clear()
        self._folder_items.clear()
        self._account_items.clear()
        self._saved_items = []
        root = self.invisibleRootItem()
        visible = [(i, s) for i, s in enumerate(saved) if not s.hidden]
        self._saved_root = None
        if visible:
            sroot = QStandardItem(icon("folder-saved-search"), "")
            sroot.setData(names.get("saved", "Saved searches"), NameRole)
            sroot.setData(KIND_SAVED_ROOT, KindRole)
            sroot.setEditable(False)
            sroot.setDropEnabled(False)
            for i, s in visible:
                item = QStandardItem(icon("mail-folder-inbox" if s.query == "in:inbox" else "folder-saved-search"), "")
                item.setData(names.get(f"saved:{s.name}", s.name), NameRole)
                item.setData(KIND_SAVED, KindRole)
                item.setData(i, SavedIndexRole)
                item.setEditable(False)
                item.setDropEnabled(False)
                sroot.appendRow(item)
                self._saved_items.append(item)
            root.appendRow(sroot)
            self._saved_root = sroot
        for key, kind, name, _status, _error in accounts:
            acc = QStandardItem(icon("folder-remote" if kind != "local" else "folder"), "")
            acc.setData(name if kind != "local" else names.get("local", "Local Folders"), NameRole)
            acc.setData(KIND_ACCOUNT, KindRole)
            acc.setData(key, AccountKeyRole)
            acc.setEditable(False)
            acc.setDropEnabled(False)
            self._account_items[key] = acc
            by_name: dict[str, QStandardItem] = {}
            rows = sorted(folders.get(key, []), key=_folder_sort_key)
            # Parents before children: sort by depth first, keeping special-first order within a level.
            rows.sort(key=lambda f: f.name.count(f.delimiter) if f.delimiter else 0)
            for f in rows:
                item = QStandardItem(folder_icon(special_of(f), f.name), "")
                leaf = f.name.rsplit(f.delimiter, 1)[-1] if f.delimiter else f.name
                label = names.get("inbox", "Inbox") if f.name.upper() == "INBOX" else leaf
                item.setData(label, NameRole)
                item.setData(KIND_FOLDER, KindRole)
                item.setData(f.id, FolderIdRole)
                item.setData(key, AccountKeyRole)
                item.setEditable(False)
                noselect = "\\noselect" in f.attributes.lower()
                item.setDropEnabled(not noselect)
                if noselect:
                    item.setSelectable(False)
                parent_name = f.name.rsplit(f.delimiter, 1)[0] if f.delimiter and f.delimiter in f.name else None
                parent = by_name.get(parent_name) if parent_name else None
                (parent or acc).appendRow(item)
                by_name[f.name] = item
                self._folder_items[f.id] = item
            root.appendRow(acc)

    def set_account_state(self, key: str, status: str, error: str) -> None:
        item = self._account_items.get(key)
        if item is None:
            return
        name = {"syncing": "view-refresh", "offline": "network-offline", "error": "dialog-warning"}.get(status)
        item.setIcon(icon(name) if name else icon("folder-remote" if key != "local:folders" else "folder"))
        item.setToolTip(error)
        item.setData(status, Qt.ItemDataRole.UserRole + 20)

    def set_counts(self, counts: dict[int, tuple[int, int]]) -> None:
        self.counts = dict(counts)
        for item in self._folder_items.values():
            idx = item.index()
            self.dataChanged.emit(idx, idx)

    def set_saved_counts(self, counts: dict[int, int]) -> None:
        self.saved_counts = dict(counts)
        for item in self._saved_items:
            idx = item.index()
            self.dataChanged.emit(idx, idx)

    def folder_index(self, folder_id: int) -> QModelIndex:
        item = self._folder_items.get(folder_id)
        return item.index() if item is not None else QModelIndex()

    def account_index(self, key: str) -> QModelIndex:
        item = self._account_items.get(key)
        return item.index() if item is not None else QModelIndex()

    def saved_index(self, i: int) -> QModelIndex:
        for item in self._saved_items:
            if item.data(SavedIndexRole) == i:
                return item.index()
        return QModelIndex()

    def folder_ids(self) -> list[int]:
        return list(self._folder_items)


class FolderTreeView(QTreeView):
    """The tree widget; accepts dropped messages on selectable folders.

    Signals:
        messages_dropped(object, int, bool): message ids, target folder id, copy (Ctrl held).
    """

    messages_dropped = Signal(object, int, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def _target(self, event: QDropEvent | QDragMoveEvent) -> int | None:
        if not event.mimeData().hasFormat(MIME_MESSAGE_IDS):
            return None
        idx = self.indexAt(event.position().toPoint())
        if not idx.isValid() or idx.data(KindRole) != KIND_FOLDER:
            return None
        if not (self.model().flags(idx) & Qt.ItemFlag.ItemIsDropEnabled):
            return None
        fid = idx.data(FolderIdRole)
        return int(fid) if fid is not None else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME_MESSAGE_IDS):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._target(event) is None:
            event.ignore()
            return
        copy = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        event.setDropAction(Qt.DropAction.CopyAction if copy else Qt.DropAction.MoveAction)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        fid = self._target(event)
        if fid is None:
            event.ignore()
            return
        raw = bytes(event.mimeData().data(MIME_MESSAGE_IDS).data()).decode()
        ids = [int(x) for x in raw.split(",") if x.strip().isdigit()]
        copy = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        event.setDropAction(Qt.DropAction.CopyAction if copy else Qt.DropAction.MoveAction)
        event.accept()
        if ids:
            self.messages_dropped.emit(ids, fid, copy)
