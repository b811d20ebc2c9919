"""The message list model: ids from SQL, row data fetched in chunks on demand, threads as a second level.

A folder of 100,000 messages costs one id query (on the read worker) and a
200-row chunk per screenful painted (primary-key lookups). After a sync or an
action the ids are queried again and the difference is applied as row
removals and insertions (or a layout change keeping persistent indexes when
the order itself changed), and cached rows are marked stale (dropped and
repainted), so the selection and the scroll position survive; the model is
never reset for an update.

Threaded view: rows are conversations (their newest message); expanding one
inserts its messages (oldest first) right below it, as rows of the same flat
list. The list stays flat on purpose: a tree view lays out every top-level row
through the model when it resets (100,000 Python calls), a table view only the
rows on screen.

Signals:
    loaded(): a new list (folder, sort, filter, search) is in place.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
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
Index = QModelIndex | QPersistentModelIndex
# data() runs ~600 times per screenful painted: roles compared as plain ints, flags built once
# (an enum ``|`` or attribute lookup per call showed up as milliseconds per scroll step).
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_MESSAGE_ID = int(MessageIdRole)
_FLAGS = int(FlagsRole)
#: Roles data() answers for a row; the delegate also asks for others (check state, colours) per cell.
_ROW_ROLES = frozenset((_DISPLAY, _DECORATION, _FONT, _TOOLTIP, _ACCESSIBLE, _ALIGNMENT, _FLAGS))
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemNeverHasChildren
)
_SIZE_ALIGNMENT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


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


class MessageListModel(QAbstractTableModel):
    """See the module docstring. ``backend`` gives ``store`` (GUI reads) and ``list_ids`` (worker)."""

    loaded = Signal()

    def __init__(self, backend: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.spec: queries.ListSpec | None = None
        self._ids: list[int] = []  # rows: heads (or messages) with expanded members inline
        self._threads: dict[int, tuple[int, int, str]] = {}
        self._expanded: dict[int, list[int]] = {}  # head id -> member ids shown below it
        self._member_of: dict[int, int] = {}  # member id -> head id
        self._cache: dict[int, MessageRow] = {}
        self._overrides: dict[int, int] = {}  # message id -> flag bits changed by an action not yet committed
        self._generation = 0
        self._pending_refresh = False
        self._row_of: dict[int, int] | None = None
        self.sent_folder = False
        self.server_hits: set[int] = set()
        self.locale = QLocale()
        self._bold: QFont | None = None
        self._titles: dict[bool, dict[int, str]] = {}  # header titles by sent_folder (see locale_changed)
        self.loading = False
        self.completing = False

    def locale_changed(self) -> None:
        """The UI language changed (``QLocale.setDefault``): dates and sizes are written anew."""
        self.locale = QLocale()
        self._titles.clear()
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    # ------------------------------------------------------------- loading

    def set_spec(self, spec: queries.ListSpec | None, *, keep: bool = False, completing: bool = False) -> None:
        """Show another list (or the same one re-sorted/filtered). ``keep``: keep rows and selection by id.
        ``completing``: the rows shown stay right meanwhile (a search's first page while its complete
        list is queried), so the model is not ``loading`` but ``completing`` until the list lands."""
        self.spec = spec
        self._generation += 1
        gen = self._generation
        self.server_hits = set()
        self.completing = False
        if spec is None:
            self.loading = False
            self._replace([], {}, keep=False)
            return
        if completing:
            self.completing = True
        else:
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
        self.loading = self.completing = False
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

    def _compose(self, heads: list[int], threads: dict[int, tuple[int, int, str]]) -> list[int]:
        """Rows for ``heads`` with the members of still-expanded threads inline (re-read when they changed)."""
        for head in list(self._expanded):
            if head not in threads:
                self._expanded.pop(head)
            elif threads[head] != self._threads.get(head) and self.spec is not None:
                self._expanded[head] = self._members(head, threads[head][2])
        self._member_of = {m: h for h, ms in self._expanded.items() for m in ms}
        if not self._expanded:
            return list(heads)
        out: list[int] = []
        for h in heads:
            out.append(h)
            out.extend(self._expanded.get(h, ()))
        return out

    def _members(self, head: int, key: str) -> list[int]:
        assert self.spec is not None
        return [m for m in queries.thread_member_ids(self.backend.store, key, self.spec.folder_ids) if m != head]

    def _replace(self, ids: list[int], threads: dict[int, tuple[int, int, str]], *, keep: bool) -> None:
        self._overrides.clear()
        if keep and self._ids:
            self._relayout(ids, threads)
            return
        self.beginResetModel()
        self._expanded.clear()
        self._member_of.clear()
        self._ids, self._threads = list(ids), dict(threads)
        self._cache.clear()
        self._row_of = None
        self.endResetModel()

    def _relayout(self, ids: list[int], threads: dict[int, tuple[int, int, str]]) -> None:
        """New order (sort switch, or a change that reorders): persistent indexes follow their message ids."""
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        remembered = [(self.message_id(QModelIndex(p)), p.column()) for p in old_persistent]
        composed = self._compose(ids, threads)
        self._ids, self._threads = composed, dict(threads)
        self._cache.clear()
        self._row_of = None
        new_indexes = []
        few = len(remembered) <= 8  # the current row and a few selection ends: no id -> row map of every row
        for mid, col in remembered:
            row = (self._find_row(mid) if few else self.row_of(mid)) if mid is not None else None
            new_indexes.append(self.createIndex(row, col) if row is not None else QModelIndex())
        self.changePersistentIndexList(old_persistent, new_indexes)
        self.layoutChanged.emit()

    def _apply_diff(self, heads: list[int], threads: dict[int, tuple[int, int, str]]) -> None:
        old = self._ids
        new = self._compose(heads, threads)
        new_set = set(new)
        old_set = set(old)
        survivors = [x for x in old if x in new_set]
        if survivors != [x for x in new if x in old_set]:
            self._overrides.clear()
            self._relayout(heads, threads)
            return
        # Removals, bottom-up in contiguous ranges.
        gone = [i for i, x in enumerate(old) if x not in new_set]
        while gone:
            end = gone.pop()
            start = end
            while gone and gone[-1] == start - 1:
                start = gone.pop()
            self.beginRemoveRows(QModelIndex(), start, end)
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
        self._threads = dict(threads)
        self._overrides.clear()
        self.mark_stale()

    def mark_stale(self) -> None:
        """Forget cached row data and repaint (visible rows refetch on paint)."""
        self._cache.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, COL_SIZE))

    # ------------------------------------------------------------- threads

    def is_expanded(self, head: int) -> bool:
        return head in self._expanded

    def expand(self, head: int) -> None:
        """Show a conversation's other messages right below it (an indexed lookup by thread key)."""
        info = self._threads.get(head)
        row = self.row_of(head)
        if info is None or row is None or head in self._expanded or self.spec is None or self.backend.closed:
            return
        members = self._members(head, info[2])
        if not members:
            return
        self.beginInsertRows(QModelIndex(), row + 1, row + len(members))
        self._expanded[head] = members
        for m in members:
            self._member_of[m] = head
        self._ids[row + 1 : row + 1] = members
        self._row_of = None
        self.endInsertRows()
        self.dataChanged.emit(self.index(row, COL_SUBJECT), self.index(row, COL_SUBJECT))

    def collapse(self, head: int) -> None:
        members = self._expanded.get(head)
        row = self.row_of(head)
        if not members or row is None:
            return
        self.beginRemoveRows(QModelIndex(), row + 1, row + len(members))
        del self._ids[row + 1 : row + 1 + len(members)]
        self._expanded.pop(head)
        for m in members:
            self._member_of.pop(m, None)
        self._row_of = None
        self.endRemoveRows()
        self.dataChanged.emit(self.index(row, COL_SUBJECT), self.index(row, COL_SUBJECT))

    def head_of(self, mid: int) -> int:
        return self._member_of.get(mid, mid)

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
            del self._ids[start : end + 1]
            self._row_of = None
            self.endRemoveRows()
        for head, members in list(self._expanded.items()):
            self._expanded[head] = [m for m in members if m not in ids]
        for m in ids:
            self._member_of.pop(m, None)

    def override_flags(self, ids: set[int], add: int = 0, remove: int = 0) -> None:
        """Show flag changes at once (bits), until the next refresh brings the committed state."""
        for mid in ids:
            row = self.row_for_id(mid)
            if row is None:
                continue
            self._overrides[mid] = (self._overrides.get(mid, row.flag_bits) | add) & ~remove
        for mid in ids:
            idx = self.index_of(mid)
            if idx.isValid():
                self.dataChanged.emit(idx.siblingAtColumn(0), idx.siblingAtColumn(COL_SIZE))

    # ------------------------------------------------------------ lookups

    def message_id(self, index: Index) -> int | None:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        return self._ids[index.row()]

    def ids(self) -> list[int]:
        return list(self._ids)

    def row_of(self, mid: int) -> int | None:
        if self._row_of is None:
            self._row_of = {x: i for i, x in enumerate(self._ids)}
        return self._row_of.get(mid)

    def _find_row(self, mid: int) -> int | None:
        """``row_of`` without building its map (a scan in C: ~1 ms at 100,000 rows, the map ~35 ms)."""
        if self._row_of is not None:
            return self._row_of.get(mid)
        try:
            return self._ids.index(mid)
        except ValueError:
            return None

    def index_of(self, mid: int) -> QModelIndex:
        row = self.row_of(mid)
        return self.index(row, 0) if row is not None else QModelIndex()

    def row_for_id(self, mid: int) -> MessageRow | None:
        row = self._cache.get(mid)
        if row is None and not self.backend.closed:
            got = self.backend.store.rows([mid])
            row = got[0] if got else None
            if row is not None:
                self._cache[mid] = row
        return row

    def _row_at(self, index: Index) -> MessageRow | None:
        r = index.row()  # data() checked the index
        if r >= len(self._ids):
            return None
        mid = self._ids[r]
        row = self._cache.get(mid)
        if row is not None or self.backend.closed:
            return row
        start = r - r % CHUNK
        if len(self._cache) > 20 * CHUNK:
            self._cache.clear()
        for fetched in self.backend.store.rows(self._ids[start : start + CHUNK]):
            self._cache[fetched.id] = fetched
        return self._cache.get(mid)

    def thread_info(self, mid: int) -> tuple[int, int, str] | None:
        return self._threads.get(mid)

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else COL_SIZE + 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        role = int(role)
        titles = self._titles.get(self.sent_folder)
        if titles is None:  # asked ~50 times per repaint; translated once per language
            titles = self._titles[self.sent_folder] = {
                COL_STAR: self.tr("Starred"),
                COL_ATTACH: self.tr("Attachment"),
                COL_READ: self.tr("Read"),
                COL_WHO: self.tr("To") if self.sent_folder else self.tr("From"),
                COL_SUBJECT: self.tr("Subject"),
                COL_DATE: self.tr("Date"),
                COL_SIZE: self.tr("Size"),
            }
        if role == _DISPLAY:
            return "" if section in (COL_STAR, COL_ATTACH, COL_READ) else titles.get(section)
        if role in (_TOOLTIP, _ACCESSIBLE):
            return titles.get(section)
        if role == _DECORATION:
            return {
                COL_STAR: icon("mail-mark-important"),
                COL_ATTACH: icon("mail-attachment"),
                COL_READ: icon("mail-read"),
            }.get(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role == _MESSAGE_ID:
            return self.message_id(index)
        if role not in _ROW_ROLES or not index.isValid():
            return None
        row = self._row_at(index)
        if row is None:
            return self.tr("Loading…") if role == _DISPLAY and index.column() == COL_SUBJECT else None
        bits = self._overrides.get(row.id, row.flag_bits)
        unread = not bits & SEEN
        col = index.column()
        member = row.id in self._member_of
        thread = None if member else self._threads.get(row.id)
        if role == _DISPLAY:
            if col == COL_WHO:
                return self._who(row)
            if col == COL_SUBJECT:
                subject = row.subject or self.tr("(no subject)")
                if member:
                    return "      " + subject
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
        if role == _DECORATION:
            if col == COL_STAR and bits & FLAGGED:
                return icon("mail-mark-important")
            if col == COL_ATTACH and row.has_attachments:
                return icon("mail-attachment")
            if col == COL_READ:
                return icon("mail-unread") if unread else None
            if col == COL_WHO and row.id in self.server_hits:
                return icon("network-server")
            if col == COL_SUBJECT and thread is not None:
                return icon("go-down" if row.id in self._expanded else "go-next")
            return None
        if role == _FONT:
            if unread or (thread is not None and thread[1]):
                if self._bold is None:
                    self._bold = QFont()
                    self._bold.setBold(True)
                return self._bold
            return None
        if role == _FLAGS:
            return bits
        if role == _TOOLTIP:
            if col == COL_WHO:
                tip = f"{row.from_name} <{row.from_addr}>" if not self.sent_folder else row.to
                if row.id in self.server_hits:
                    tip += "\n" + self.tr("Found on the server")
                return tip
            if col == COL_SUBJECT:
                return row.subject
            return None
        if role == _ACCESSIBLE:
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
        if role == _ALIGNMENT and col == COL_SIZE:
            return _SIZE_ALIGNMENT
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
