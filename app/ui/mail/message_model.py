"""The message list model: ids from SQL, row data fetched in chunks on demand, threads as a second level.

A folder of 100,000 messages costs one id query (on the read worker) and a
200-row chunk per screenful painted (primary-key lookups). After a sync or an
action the ids are queried again and the difference is applied as row
removals and insertions (or a layout change keeping persistent indexes when
the order itself changed), and cached rows are marked stale (dropped and
repainted), so the selection and the scroll position survive; the model is
never reset for an update.

Threaded view: top-level rows are conversations (their newest message);
children (the conversation, oldest first) load when a thread is expanded.

Signals:
    loaded(): a new list (folder, sort, filter, search) is in place.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QLocale,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from app.core.mail import queries
from app.core.mail.store import FLAGGED, SEEN, MessageRow
from app.ui.mail.icons import icon

MIME_MESSAGE_IDS = "application/x-quay-message-ids"
CHUNK = 200
COL_STAR, COL_ATTACH, COL_READ, COL_WHO, COL_SUBJECT, COL_DATE, COL_SIZE = range(7)
COLUMN_SORT = {
    COL_STAR: "star",
    COL_ATTACH: "attachment",
    COL_READ: "read",
    COL_WHO: "from",
    COL_SUBJECT: "subject",
    COL_DATE: "date",
    COL_SIZE: "size",
}
MessageIdRole = Qt.ItemDataRole.UserRole + 1
FlagsRole = Qt.ItemDataRole.UserRole + 2
_NO_PARENT = 0xFFFFFFFF
Index = QModelIndex | QPersistentModelIndex


def format_date(ts: int | float | None, locale: QLocale, now: _dt.datetime | None = None) -> str:
    """Today: the time; this year: day and month; else the full short date (all in the user's locale)."""
    if ts is None:
        return ""
    when = _dt.datetime.fromtimestamp(ts)
    now = now or _dt.datetime.now()
    if when.date() == now.date():
        return locale.toString(when.time(), QLocale.FormatType.ShortFormat)
    if when.year == now.year:
        return locale.toString(when.date(), "d MMM")  # day and (localized) month name
    return locale.toString(when.date(), QLocale.FormatType.ShortFormat)


class MessageListModel(QAbstractItemModel):
    """See the module docstring. ``backend`` gives ``store`` (GUI reads) and ``list_ids`` (worker)."""

    loaded = Signal()

    def __init__(self, backend: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.spec: queries.ListSpec | None = None
        self._ids: list[int] = []
        self._threads: dict[int, tuple[int, int, str]] = {}
        self._children: dict[int, list[int]] = {}  # head id -> member ids (loaded on expand)
        self._cache: dict[int, MessageRow] = {}
        self._overrides: dict[int, int] = {}  # message id -> flag bits changed by an action not yet committed
        self._generation = 0
        self._pending_refresh = False
        self._row_of: dict[int, int] | None = None
        self.sent_folder = False
        self.server_hits: set[int] = set()
        self.locale = QLocale()
        self._bold: QFont | None = None
        self.loading = False

    # ------------------------------------------------------------- loading

    def set_spec(self, spec: queries.ListSpec | None, *, keep: bool = False) -> None:
        """Show another list (or the same one re-sorted/filtered). ``keep``: keep rows and selection by id."""
        self.spec = spec
        self._generation += 1
        gen = self._generation
        self.server_hits = set()
        if spec is None:
            self._replace([], {}, keep=False)
            return
        self.loading = True
        self.backend.list_ids(spec, lambda result: self._got(gen, result, keep))

    def refresh(self) -> None:
        """Re-query the current list and apply the difference (rows marked stale, never a reset)."""
        if self.spec is None:
            return
        if self.loading:
            self._pending_refresh = True
            return
        self._generation += 1
        gen = self._generation
        self.loading = True
        self.backend.list_ids(self.spec, lambda result: self._got(gen, result, True, diff=True))

    def _got(self, gen: int, result: Any, keep: bool, diff: bool = False) -> None:
        if gen != self._generation:
            return
        self.loading = False
        if isinstance(result, BaseException):
            self._replace([], {}, keep=False)
        elif diff:
            self._apply_diff(result.ids, result.threads)
        else:
            self._replace(result.ids, result.threads, keep=keep)
        self.loaded.emit()
        if self._pending_refresh:
            self._pending_refresh = False
            self.refresh()

    def _replace(self, ids: list[int], threads: dict[int, tuple[int, int, str]], *, keep: bool) -> None:
        self._overrides.clear()
        if keep and self._ids:
            self._relayout(ids, threads)
            return
        self.beginResetModel()
        self._ids, self._threads = list(ids), dict(threads)
        self._children.clear()
        self._cache.clear()
        self._row_of = None
        self.endResetModel()

    def _relayout(self, ids: list[int], threads: dict[int, tuple[int, int, str]]) -> None:
        """New order (sort switch, or a change that reorders): persistent indexes follow their message ids."""
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        remembered = [(p, self.message_id(QModelIndex(p)), p.column(), p.parent().isValid()) for p in old_persistent]
        self._ids, self._threads = list(ids), dict(threads)
        self._children.clear()
        self._cache.clear()
        self._row_of = None
        pos = {mid: i for i, mid in enumerate(self._ids)} if remembered else {}
        new_indexes = []
        for _p, mid, col, was_child in remembered:
            row = pos.get(mid) if mid is not None and not was_child else None
            new_indexes.append(self.createIndex(row, col, _NO_PARENT) if row is not None else QModelIndex())
        self.changePersistentIndexList(old_persistent, new_indexes)
        self.layoutChanged.emit()

    def _apply_diff(self, new: list[int], threads: dict[int, tuple[int, int, str]]) -> None:
        old = self._ids
        new_set = set(new)
        old_set = set(old)
        survivors = [x for x in old if x in new_set]
        if survivors != [x for x in new if x in old_set]:
            self._overrides.clear()
            self._relayout(new, threads)
            return
        # Removals, bottom-up in contiguous ranges.
        gone = [i for i, x in enumerate(old) if x not in new_set]
        while gone:
            end = gone.pop()
            start = end
            while gone and gone[-1] == start - 1:
                start = gone.pop()
            self.beginRemoveRows(QModelIndex(), start, end)
            for mid in self._ids[start : end + 1]:
                self._children.pop(mid, None)
            del self._ids[start : end + 1]
            self._row_of = None
            self.endRemoveRows()
        # Insertions, top-down in contiguous ranges.
        i = 0
        while i < len(new):
            if i < len(self._ids) and self._ids[i] == new[i]:
                i += 1
                continue
            j = i
            while j < len(new) and new[j] not in old_set:
                j += 1
            if j == i:  # cannot happen when survivors match; be safe
                i += 1
                continue
            self.beginInsertRows(QModelIndex(), i, j - 1)
            self._ids[i:i] = new[i:j]
            self._row_of = None
            self.endInsertRows()
            i = j
        # Threads whose membership changed: their children reload on demand.
        for head, info in list(self._threads.items()):
            if threads.get(head) != info and head in self._children:
                row = self.row_of(head)
                if row is not None:
                    kids = self._children.pop(head)
                    self.beginRemoveRows(self.index(row, 0), 0, len(kids) - 1)
                    self.endRemoveRows()
        self._threads = dict(threads)
        self._overrides.clear()
        self.mark_stale()

    def mark_stale(self) -> None:
        """Forget cached row data and repaint (visible rows refetch on paint)."""
        self._cache.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, COL_SIZE))
            for head, kids in self._children.items():
                row = self.row_of(head)
                if row is not None and kids:
                    parent = self.index(row, 0)
                    self.dataChanged.emit(self.index(0, 0, parent), self.index(len(kids) - 1, COL_SIZE, parent))

    # ------------------------------------------------------- optimistic edits

    def hide_ids(self, ids: set[int]) -> None:
        """Remove rows at once (a move or delete the worker is committing)."""
        rows = sorted((i for i, x in enumerate(self._ids) if x in ids), reverse=True)
        while rows:
            end = rows.pop(0)
            start = end
            while rows and rows[0] == start - 1:
                start = rows.pop(0)
            self.beginRemoveRows(QModelIndex(), start, end)
            for mid in self._ids[start : end + 1]:
                self._children.pop(mid, None)
            del self._ids[start : end + 1]
            self._row_of = None
            self.endRemoveRows()
        for head, kids in list(self._children.items()):
            if any(k in ids for k in kids):
                row = self.row_of(head)
                if row is not None:
                    parent = self.index(row, 0)
                    for k in reversed(range(len(kids))):
                        if kids[k] in ids:
                            self.beginRemoveRows(parent, k, k)
                            del kids[k]
                            self.endRemoveRows()

    def override_flags(self, ids: set[int], add: set[int] | int = 0, remove: int = 0) -> None:
        """Show flag changes at once (bits), until the next refresh brings the committed state."""
        add_bits = add if isinstance(add, int) else 0
        for mid in ids:
            row = self.row_for_id(mid)
            if row is None:
                continue
            bits = (self._overrides.get(mid, row.flag_bits) | add_bits) & ~remove
            self._overrides[mid] = bits
        for mid in ids:
            idx = self.index_of(mid)
            if idx.isValid():
                self.dataChanged.emit(idx.siblingAtColumn(0), idx.siblingAtColumn(COL_SIZE))

    # ------------------------------------------------------------ lookups

    def message_id(self, index: Index) -> int | None:
        if not index.isValid():
            return None
        parent_id = int(index.internalId())
        if parent_id == _NO_PARENT:
            return self._ids[index.row()] if index.row() < len(self._ids) else None
        kids = self._children.get(parent_id, [])
        return kids[index.row()] if index.row() < len(kids) else None

    def ids(self) -> list[int]:
        return list(self._ids)

    def row_of(self, mid: int) -> int | None:
        if self._row_of is None:
            self._row_of = {x: i for i, x in enumerate(self._ids)}
        return self._row_of.get(mid)

    def index_of(self, mid: int) -> QModelIndex:
        row = self.row_of(mid)
        if row is not None:
            return self.index(row, 0)
        for head, kids in self._children.items():
            if mid in kids:
                prow = self.row_of(head)
                if prow is not None:
                    return self.index(kids.index(mid), 0, self.index(prow, 0))
        return QModelIndex()

    def row_for_id(self, mid: int) -> MessageRow | None:
        row = self._cache.get(mid)
        if row is None and not self.backend.closed:
            got = self.backend.store.rows([mid])
            row = got[0] if got else None
            if row is not None:
                self._cache[mid] = row
        return row

    def _row_at(self, index: Index) -> MessageRow | None:
        mid = self.message_id(index)
        if mid is None:
            return None
        row = self._cache.get(mid)
        if row is not None or self.backend.closed:
            return row
        if int(index.internalId()) == _NO_PARENT:
            start = index.row() - index.row() % CHUNK
            chunk = self._ids[start : start + CHUNK]
        else:
            chunk = self._children.get(int(index.internalId()), [])
        if len(self._cache) > 20 * CHUNK:
            self._cache.clear()
        for r in self.backend.store.rows(chunk):
            self._cache[r.id] = r
        return self._cache.get(mid)

    def thread_info(self, mid: int) -> tuple[int, int, str] | None:
        return self._threads.get(mid)

    # ------------------------------------------------------------ Qt model

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column < 0 or column > COL_SIZE or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _NO_PARENT) if row < len(self._ids) else QModelIndex()
        if int(parent.internalId()) != _NO_PARENT:
            return QModelIndex()
        head = self._ids[parent.row()] if parent.row() < len(self._ids) else None
        kids = self._children.get(head, []) if head is not None else []
        return self.createIndex(row, column, head) if row < len(kids) else QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        head = int(index.internalId())
        if head == _NO_PARENT:
            return QModelIndex()
        row = self.row_of(head)
        return self.createIndex(row, 0, _NO_PARENT) if row is not None else QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._ids)
        if parent.column() != 0 or int(parent.internalId()) != _NO_PARENT:
            return 0
        head = self._ids[parent.row()] if parent.row() < len(self._ids) else None
        return len(self._children.get(head, [])) if head is not None else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return COL_SIZE + 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        if not parent.isValid():
            return bool(self._ids)
        if parent.column() != 0 or int(parent.internalId()) != _NO_PARENT:
            return False
        head = self._ids[parent.row()] if parent.row() < len(self._ids) else None
        return head in self._threads

    def canFetchMore(self, parent: Index) -> bool:
        if not parent.isValid() or int(parent.internalId()) != _NO_PARENT or parent.column() != 0:
            return False
        head = self._ids[parent.row()] if parent.row() < len(self._ids) else None
        return head in self._threads and head not in self._children

    def fetchMore(self, parent: Index) -> None:
        """Load a conversation's members (an indexed lookup by thread key, a handful of rows)."""
        if not self.canFetchMore(parent) or self.spec is None or self.backend.closed:
            return
        head = self._ids[parent.row()]
        _n, _unread, key = self._threads[head]
        members = queries.thread_member_ids(self.backend.store, key, self.spec.folder_ids)
        if not members:
            return
        self.beginInsertRows(parent, 0, len(members) - 1)
        self._children[head] = members
        self.endInsertRows()

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        titles = {
            COL_STAR: self.tr("Starred"),
            COL_ATTACH: self.tr("Attachment"),
            COL_READ: self.tr("Read"),
            COL_WHO: self.tr("To") if self.sent_folder else self.tr("From"),
            COL_SUBJECT: self.tr("Subject"),
            COL_DATE: self.tr("Date"),
            COL_SIZE: self.tr("Size"),
        }
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if section in (COL_STAR, COL_ATTACH, COL_READ) else titles.get(section)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return titles.get(section)
        if role == Qt.ItemDataRole.DecorationRole:
            return {
                COL_STAR: icon("mail-mark-important"),
                COL_ATTACH: icon("mail-attachment"),
                COL_READ: icon("mail-read"),
            }.get(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == MessageIdRole:
            return self.message_id(index)
        row = self._row_at(index)
        if row is None:
            return (
                self.tr("Loading…") if role == Qt.ItemDataRole.DisplayRole and index.column() == COL_SUBJECT else None
            )
        bits = self._overrides.get(row.id, row.flag_bits)
        unread = not bits & SEEN
        col = index.column()
        thread = self._threads.get(row.id) if int(index.internalId()) == _NO_PARENT else None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_WHO:
                return self._who(row)
            if col == COL_SUBJECT:
                subject = row.subject or self.tr("(no subject)")
                if thread is not None:
                    n, t_unread, _ = thread
                    count = self.tr("%n messages", "", n)
                    if t_unread:
                        count += ", " + self.tr("%n unread", "", t_unread)
                    return f"{subject}  ({count})"
                return subject
            if col == COL_DATE:
                return format_date(row.date, self.locale)
            if col == COL_SIZE:
                return self.locale.formattedDataSize(row.size, 0)
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            if col == COL_STAR and bits & FLAGGED:
                return icon("mail-mark-important")
            if col == COL_ATTACH and row.has_attachments:
                return icon("mail-attachment")
            if col == COL_READ:
                return icon("mail-unread") if unread else None
            if col == COL_WHO and row.id in self.server_hits:
                return icon("network-server")
            return None
        if role == Qt.ItemDataRole.FontRole:
            if unread or (thread is not None and thread[1]):
                if self._bold is None:
                    self._bold = QFont()
                    self._bold.setBold(True)
                return self._bold
            return None
        if role == FlagsRole:
            return bits
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_WHO:
                tip = f"{row.from_name} <{row.from_addr}>" if not self.sent_folder else row.to
                if row.id in self.server_hits:
                    tip += "\n" + self.tr("Found on the server")
                return tip
            if col == COL_SUBJECT:
                return row.subject
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [
                self.tr("From %1").replace("%1", row.from_name or row.from_addr),
                row.subject or self.tr("(no subject)"),
                format_date(row.date, self.locale),
                self.tr("unread") if unread else self.tr("read"),
            ]
            if bits & FLAGGED:
                parts.append(self.tr("starred"))
            if row.has_attachments:
                parts.append(self.tr("has attachments"))
            return ", ".join(parts)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _who(self, row: MessageRow) -> str:
        if self.sent_folder:
            first = row.to.split(",")[0].strip()
            return first.split("<")[0].strip().strip('"') or first
        return row.from_name or row.from_addr

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMN_SORT.get(column, "date")
        if self.sent_folder and key == "from":
            key = "to"
        if self.spec is None:
            return
        desc = order == Qt.SortOrder.DescendingOrder
        if self.spec.sort == key and self.spec.descending == desc:
            return
        self.set_spec(self.spec.with_(sort=key, descending=desc), keep=True)

    # ----------------------------------------------------------- drag out

    def mimeTypes(self) -> list[str]:
        return [MIME_MESSAGE_IDS, "text/uri-list"]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        ids: list[int] = []
        for idx in indexes:
            mid = self.message_id(idx)
            if mid is not None and mid not in ids:
                ids.append(mid)
        data = QMimeData()
        data.setData(MIME_MESSAGE_IDS, ",".join(map(str, ids)).encode())
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
