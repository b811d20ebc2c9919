"""Models over remote listings: the file list of one folder and the lazily loaded folder tree.

Neither model talks to the network: the remote pane asks its connection for a listing (on a
worker) and hands the result to :meth:`RemoteListModel.set_listing` /
:meth:`RemoteTreeModel.set_children`.  A refresh of the same folder updates rows in place
(removals, inserts, ``dataChanged``, a layout change when the order moved) so selection and
scroll position survive.
"""

from __future__ import annotations

import bisect
import fnmatch
import posixpath
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QDateTime,
    QLocale,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QFileIconProvider

from app.core.transfer.base import RemoteEntry
from app.core.transfer.sync_plan import Mark

Index = QModelIndex | QPersistentModelIndex
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
PATH_ROLE = Qt.ItemDataRole.UserRole + 2
MARK_ROLE = Qt.ItemDataRole.UserRole + 3


_DROP = Qt.ItemFlag.ItemIsDropEnabled
_FILE_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
_DIR_FLAGS = _FILE_FLAGS | _DROP


class ListingState(Enum):
    EMPTY = "empty"  # not connected / nothing asked yet
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


def mark_color(mark: Mark | None, palette: QPalette) -> QColor | None:
    """A background tint for a compare mark, mixed from palette colours (light and dark themes alike)."""
    if mark is None or mark == Mark.SAME:
        return None
    base = palette.color(QPalette.ColorRole.Base)
    accent = {
        Mark.NEWER: palette.color(QPalette.ColorRole.Highlight),
        Mark.OLDER: palette.color(QPalette.ColorRole.LinkVisited),
        Mark.ONLY_HERE: palette.color(QPalette.ColorRole.Link),
        Mark.DIFFERS: palette.color(QPalette.ColorRole.Accent),
    }[mark]
    share = {Mark.NEWER: 0.35, Mark.OLDER: 0.30, Mark.ONLY_HERE: 0.22, Mark.DIFFERS: 0.40}[mark]
    return QColor(
        round(base.red() * (1 - share) + accent.red() * share),
        round(base.green() * (1 - share) + accent.green() * share),
        round(base.blue() * (1 - share) + accent.blue() * share),
    )


_LOCALE: QLocale | None = None


def _locale() -> QLocale:
    """The default locale, made once: views format thousands of sizes and dates while they paint."""
    global _LOCALE
    if _LOCALE is None:
        _LOCALE = QLocale()
    return _LOCALE


def format_size(size: int | None, locale: QLocale | None = None) -> str:
    if size is None:
        return ""
    return (locale or _locale()).formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeIecFormat)


def format_time(ts: float | None, locale: QLocale | None = None) -> str:
    if ts is None:
        return ""
    dt = QDateTime.fromSecsSinceEpoch(int(ts)).toLocalTime()
    return (locale or _locale()).toString(dt, QLocale.FormatType.ShortFormat)


_ICONS: QFileIconProvider | None = None


def _icons() -> QFileIconProvider:
    global _ICONS
    if _ICONS is None:
        _ICONS = QFileIconProvider()
    return _ICONS


class RemoteListModel(QAbstractTableModel):
    """The entries of one remote folder: sortable, filterable by name, with compare marks.

    Signals:
        state_changed(): :attr:`state` or :attr:`message` changed (loading, ready, failed).
    """

    state_changed = Signal()

    NAME, SIZE, TYPE, MODIFIED, PERMISSIONS, OWNER = range(6)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.path = ""
        self.state = ListingState.EMPTY
        self.message = ""
        self._all: list[RemoteEntry] = []
        self._rows: list[RemoteEntry] = []
        self._filter = ""
        self._sort_column = self.NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.marks: dict[str, Mark] = {}
        self.mime_factory: Callable[[list[RemoteEntry]], QMimeData | None] | None = None

    # --- state -----------------------------------------------------------------------------

    def set_loading(self, path: str, message: str = "") -> None:
        """Show that ``path`` is being listed; a new folder empties the list, a refresh keeps it."""
        if path != self.path:
            self.beginResetModel()
            self.path = path
            self._all = []
            self._rows = []
            self.marks = {}
            self.endResetModel()
        self.state = ListingState.LOADING
        self.message = message
        self.state_changed.emit()

    def set_failed(self, message: str) -> None:
        self.state = ListingState.FAILED
        self.message = message
        self.state_changed.emit()

    def clear(self, message: str = "") -> None:
        self.beginResetModel()
        self.path = ""
        self._all = []
        self._rows = []
        self.marks = {}
        self.endResetModel()
        self.state = ListingState.EMPTY
        self.message = message
        self.state_changed.emit()

    def set_listing(self, path: str, entries: list[RemoteEntry]) -> None:
        """The listing of ``path`` arrived: a new folder replaces the rows, a refresh merges them."""
        entries = [e for e in entries if e.name not in (".", "..")]
        if path != self.path or not self._rows:
            self.beginResetModel()
            self.path = path
            self._all = entries
            self._rows = self._visible(entries)
            self.endResetModel()
        else:
            self._merge(entries)
        self.state = ListingState.READY
        self.message = ""
        self.state_changed.emit()

    def _merge(self, entries: list[RemoteEntry]) -> None:
        new_by_name = {e.name: e for e in entries}
        self._all = entries
        # 1. rows that are gone, removed in contiguous runs from the end
        gone = [i for i, e in enumerate(self._rows) if e.name not in new_by_name or not self._accepts(e)]
        for start, end in reversed(_runs(gone)):
            self.beginRemoveRows(QModelIndex(), start, end)
            del self._rows[start : end + 1]
            self.endRemoveRows()
        # 2. rows that stay get their new facts
        for i, e in enumerate(self._rows):
            self._rows[i] = new_by_name[e.name]
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))
        # 3. new rows, each at its sorted place
        present = {e.name for e in self._rows}
        key = self._key()
        keys = [key(e) for e in self._rows]
        reverse = self._sort_order == Qt.SortOrder.DescendingOrder
        for e in entries:
            if e.name in present or not self._accepts(e):
                continue
            k = key(e)
            pos = _sorted_position(keys, k, reverse)
            self.beginInsertRows(QModelIndex(), pos, pos)
            self._rows.insert(pos, e)
            keys.insert(pos, k)
            self.endInsertRows()
        # 4. facts that changed may have moved rows: re-sort keeping persistent indexes
        if keys != sorted(keys, reverse=reverse):
            self.sort(self._sort_column, self._sort_order)

    # --- filter and sort ---------------------------------------------------------------------

    def set_filter(self, text: str) -> None:
        self._filter = text.strip()
        self.beginResetModel()
        self._rows = self._visible(self._all)
        self.endResetModel()

    def _accepts(self, e: RemoteEntry) -> bool:
        if not self._filter:
            return True
        pat = self._filter.lower()
        name = e.name.lower()
        if any(c in pat for c in "*?["):
            return fnmatch.fnmatchcase(name, pat)
        return pat in name

    def _visible(self, entries: list[RemoteEntry]) -> list[RemoteEntry]:
        rows = [e for e in entries if self._accepts(e)]
        rows.sort(key=self._key(), reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        return rows

    def _key(self) -> Callable[[RemoteEntry], tuple[Any, ...]]:
        col = self._sort_column
        desc = self._sort_order == Qt.SortOrder.DescendingOrder

        def key(e: RemoteEntry) -> tuple[Any, ...]:
            # Folders stay above files whichever way the column is sorted.
            first = (not e.is_dir) if not desc else e.is_dir
            if col == self.SIZE:
                second: Any = e.size if e.size is not None else -1
            elif col == self.TYPE:
                second = self._type_text(e).lower()
            elif col == self.MODIFIED:
                second = e.mtime or 0.0
            elif col == self.PERMISSIONS:
                second = e.perms or ""
            elif col == self.OWNER:
                second = e.owner or ""
            else:
                second = ""
            return (first, second, e.name.lower(), e.name)

        return key

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old = list(self._rows)
        self._rows.sort(key=self._key(), reverse=order == Qt.SortOrder.DescendingOrder)
        where = {id(e): i for i, e in enumerate(self._rows)}
        for pidx in self.persistentIndexList():
            if pidx.isValid() and pidx.row() < len(old):
                row = where[id(old[pidx.row()])]
                self.changePersistentIndex(pidx, self.index(row, pidx.column()))
        self.layoutChanged.emit()

    # --- access ---------------------------------------------------------------------------

    def entry(self, row: int) -> RemoteEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def entries(self) -> list[RemoteEntry]:
        return list(self._rows)

    def all_entries(self) -> list[RemoteEntry]:
        return list(self._all)

    def row_of(self, name: str) -> int:
        for i, e in enumerate(self._rows):
            if e.name == name:
                return i
        return -1

    def path_of(self, e: RemoteEntry) -> str:
        return posixpath.join(self.path or "/", e.name)

    def set_marks(self, marks: dict[str, Mark]) -> None:
        self.marks = dict(marks)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, self.columnCount() - 1),
                [Qt.ItemDataRole.BackgroundRole, MARK_ROLE],
            )

    # --- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return [
            self.tr("Name"),
            self.tr("Size"),
            self.tr("Type"),
            self.tr("Modified"),
            self.tr("Permissions"),
            self.tr("Owner"),
        ][section]

    def _type_text(self, e: RemoteEntry) -> str:
        if e.kind == "dir":
            return self.tr("Folder")
        if e.kind == "link":
            return self.tr("Link")
        ext = posixpath.splitext(e.name)[1].lstrip(".")
        return self.tr("%1 file").replace("%1", ext.upper()) if ext else self.tr("File")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        e = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.NAME:
                return e.name
            if col == self.SIZE:
                return "" if e.is_dir else format_size(e.size)
            if col == self.TYPE:
                return self._type_text(e)
            if col == self.MODIFIED:
                return format_time(e.mtime)
            if col == self.PERMISSIONS:
                return e.perms or (f"{e.mode & 0o7777:04o}" if e.mode is not None else "")
            if col == self.OWNER:
                return " ".join(x for x in (e.owner, e.group) if x)
        elif role == Qt.ItemDataRole.DecorationRole and col == self.NAME:
            kind = QFileIconProvider.IconType.Folder if e.is_dir else QFileIconProvider.IconType.File
            return _icons().icon(kind)
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == self.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.ToolTipRole and col == self.NAME:
            return e.name + (f" → {e.target}" if e.target else "")
        elif role == Qt.ItemDataRole.ToolTipRole and col == self.MODIFIED and e.mtime is not None:
            return datetime.fromtimestamp(e.mtime, UTC).isoformat(timespec="seconds")
        elif role == Qt.ItemDataRole.BackgroundRole:
            return mark_color(self.marks.get(e.name), QApplication.palette())
        elif role == ENTRY_ROLE:
            return e
        elif role == PATH_ROLE:
            return self.path_of(e)
        elif role == MARK_ROLE:
            mark = self.marks.get(e.name)
            return mark.value if mark is not None else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return _DROP
        e = self.entry(index.row())
        return _DIR_FLAGS if e is not None and e.is_dir else _FILE_FLAGS

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        from app.ui.transfer.dnd import REMOTE_PATHS_MIME

        return [REMOTE_PATHS_MIME, "text/uri-list"]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData | None:  # type: ignore[override]
        rows = sorted({i.row() for i in indexes if i.isValid()})
        entries = [self._rows[r] for r in rows if r < len(self._rows)]
        if not entries or self.mime_factory is None:
            return None
        return self.mime_factory(entries)


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    """Sorted indices -> contiguous (start, end) runs."""
    out: list[tuple[int, int]] = []
    for i in indices:
        if out and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def _sorted_position(keys: list[Any], key: Any, reverse: bool) -> int:
    if not reverse:
        return bisect.bisect_right(keys, key)
    lo, hi = 0, len(keys)
    while lo < hi:  # keys are descending
        mid = (lo + hi) // 2
        if keys[mid] > key:
            lo = mid + 1
        else:
            hi = mid
    return lo


# --- the folder tree ------------------------------------------------------------------------


class _Node:
    __slots__ = ("children", "listed", "loading", "name", "parent", "path")

    def __init__(self, name: str, path: str, parent: _Node | None) -> None:
        self.name = name
        self.path = path
        self.parent = parent
        self.children: list[_Node] = []
        self.listed = False  # children known from a listing (else only the ones on a visited path)
        self.loading = False

    def row(self) -> int:
        if self.parent is None:
            return 0
        return self.parent.children.index(self)


class RemoteTreeModel(QAbstractItemModel):
    """The remote folders as a tree, listed lazily when a branch is expanded.

    Signals:
        fetch_requested(str): the view wants the subfolders of this path (the pane lists it).
    """

    fetch_requested = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._top = _Node("", "", None)  # invisible root holding "/"
        self._top.listed = True
        self._by_path: dict[str, _Node] = {}

    def reset_root(self, root_label: str = "/") -> None:
        self.beginResetModel()
        root = _Node(root_label, "/", self._top)
        self._top.children = [root]
        self._by_path = {"/": root}
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._top.children = []
        self._by_path = {}
        self.endResetModel()

    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._top  # type: ignore[no-any-return]

    def index_of(self, path: str) -> QModelIndex:
        node = self._by_path.get(path)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    def reveal(self, path: str) -> QModelIndex:
        """Make sure every folder down to ``path`` has a node (without listing); its index."""
        if "/" not in self._by_path:
            self.reset_root()
        node = self._by_path["/"]
        cur = "/"
        for part in [p for p in path.split("/") if p]:
            cur = posixpath.join(cur, part)
            child = self._by_path.get(cur)
            if child is None:
                self._insert(node, [part], keep_unlisted=True)
                child = self._by_path[cur]
            node = child
        return self.index_of(path)

    def listing_failed(self, path: str) -> None:
        """``path`` could not be listed (no permission): stop asking, keep the folders already known."""
        node = self._by_path.get(path)
        if node is not None:
            node.loading = False
            node.listed = True
            if node.parent is not None:
                idx = self.createIndex(node.row(), 0, node)
                self.dataChanged.emit(idx, idx)

    def set_children(self, path: str, names: list[str]) -> None:
        """The subfolders of ``path`` as listed (replaces what was known)."""
        node = self._by_path.get(path)
        if node is None:
            self.reveal(path)
            node = self._by_path[path]
        node.loading = False
        node.listed = True
        self._insert(node, names, keep_unlisted=False)

    def _insert(self, node: _Node, names: list[str], *, keep_unlisted: bool) -> None:
        parent_index = self.createIndex(node.row(), 0, node) if node.parent is not None else QModelIndex()
        wanted = sorted(dict.fromkeys(names), key=lambda n: (n.lower(), n))
        current = node.children
        if not keep_unlisted:
            gone = [i for i, c in enumerate(current) if c.name not in set(wanted)]
            for start, end in reversed(_runs(gone)):
                self.beginRemoveRows(parent_index, start, end)
                for c in current[start : end + 1]:
                    self._forget(c)
                del current[start : end + 1]
                self.endRemoveRows()
        have = {c.name for c in current}
        for name in wanted:
            if name in have:
                continue
            keys = [(c.name.lower(), c.name) for c in current]
            pos = bisect.bisect_right(keys, (name.lower(), name))
            self.beginInsertRows(parent_index, pos, pos)
            child = _Node(name, posixpath.join(node.path, name), node)
            current.insert(pos, child)
            self._by_path[child.path] = child
            self.endInsertRows()

    def _forget(self, node: _Node) -> None:
        self._by_path.pop(node.path, None)
        for c in node.children:
            self._forget(c)

    def path_of(self, index: Index) -> str:
        return self._node(index).path if index.isValid() else ""

    # --- Qt model API -------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        node = self._node(parent)
        if column != 0 or not (0 <= row < len(node.children)):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node: _Node = index.internalPointer()
        parent = node.parent
        if parent is None or parent is self._top:
            return QModelIndex()
        return self.createIndex(parent.row(), 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        node = self._node(parent)
        return not node.listed or bool(node.children)

    def canFetchMore(self, parent: Index) -> bool:
        if not parent.isValid():
            return False
        node = self._node(parent)
        return not node.listed and not node.loading

    def fetchMore(self, parent: Index) -> None:
        node = self._node(parent)
        if not node.listed and not node.loading:
            node.loading = True
            self.fetch_requested.emit(node.path)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return node.name
        if role == Qt.ItemDataRole.DecorationRole:
            return _icons().icon(QFileIconProvider.IconType.Folder)
        if role == PATH_ROLE:
            return node.path
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.path
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == 0:
            return self.tr("Folders")
        return None
