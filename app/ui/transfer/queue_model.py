"""The transfer queue as the user sees it: one row per job, grouped into Queued / Running / Failed / Done.

Jobs of every connection's :class:`TransferQueue` share one database, so job ids are unique
across connections; each row remembers which :class:`QueueHandle` owns it.  The model never
touches SQLite or the network: job snapshots come from workers (:meth:`QueueModel.add_jobs`),
progress and state changes from the handles' :class:`QueueFeed` which :meth:`QueueModel.tick`
drains on a timer -- at most one ``dataChanged`` per tick (10 a second), however many events the
workers produced, so 2,000 small files do not flood the event loop.
"""

from __future__ import annotations

import bisect
import json
import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.core.transfer.queue import JobState, TransferEvent, TransferJob
from app.ui.transfer.dnd import JOB_IDS_MIME
from app.ui.transfer.explain import explain_job_error
from app.ui.transfer.icons import icon
from app.ui.transfer.remote_model import format_size

if TYPE_CHECKING:
    from app.core.transfer.queue import TransferQueue
    from app.ui.transfer.backend import ConflictAsker, QueueFeed, Target

Index = QModelIndex | QPersistentModelIndex
JOB_ROLE = Qt.ItemDataRole.UserRole + 10
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 11

GROUPS = ("queued", "running", "failed", "done")
_NONE = Qt.ItemFlag.NoItemFlags
_DROP = Qt.ItemFlag.ItemIsDropEnabled
# ItemNeverHasChildren: a tree view then skips asking hasChildren (rowCount) for every row whenever it lays
# the rows out again, i.e. after each batch of rows entering or leaving the shown group.
_ROW = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_ROW_DRAG = _ROW | Qt.ItemFlag.ItemIsDragEnabled
_GROUP_OF = {
    JobState.QUEUED: "queued",
    JobState.PAUSED: "queued",
    JobState.RUNNING: "running",
    JobState.FAILED: "failed",
    JobState.CANCELLED: "failed",
    JobState.DONE: "done",
    JobState.SKIPPED: "done",
}
_LIVE = (JobState.QUEUED, JobState.PAUSED, JobState.RUNNING)
# What the per-event code needs to know of a state, looked up once per state change: enum members hash
# through a Python-level __hash__, and a tick handles hundreds of events.
#   (group, waiting or running, running, finished well (done/skipped), the state's slot in the per-state counts)
_SLOT = {st: i for i, st in enumerate(JobState)}
_INFO: dict[JobState, tuple[str, bool, bool, bool, int]] = {
    st: (_GROUP_OF[st], st in _LIVE, st == JobState.RUNNING, st in (JobState.DONE, JobState.SKIPPED), _SLOT[st])
    for st in JobState
    if st in _GROUP_OF
}
# The roles data() answers; the item delegate asks about ten roles per cell on every paint.
_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
    )
)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass
class QueueHandle:
    """One connection's transfer queue and its bridges to the GUI."""

    target: Target
    queue: TransferQueue
    feed: QueueFeed
    asker: ConflictAsker
    pending_events: dict[int, tuple[int, TransferEvent]] = field(default_factory=dict)


@dataclass
class JobRow:
    id: int
    handle: QueueHandle
    direction: str
    source: str
    target: str
    size: int | None
    done: int
    state: JobState
    error: str | None = None
    error_kind: str | None = None
    rate: float = 0.0
    eta: float | None = None
    info: tuple[str, bool, bool, bool, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.info = _INFO[self.state]

    def set_state(self, state: JobState) -> None:
        self.state = state
        self.info = _INFO[state]

    @property
    def group(self) -> str:
        return self.info[0]

    @property
    def local(self) -> str:
        return self.target if self.direction == "download" else self.source

    @property
    def remote(self) -> str:
        return self.source if self.direction == "download" else self.target

    @property
    def fraction(self) -> float:
        if self.info[3]:
            return 1.0
        if not self.size:
            return 0.0
        return max(0.0, min(1.0, self.done / self.size))


class QueueModel(QAbstractTableModel):
    """All jobs, showing one group at a time; rows of the queued group can be dragged to reorder.

    Signals:
        counts_changed(): the number of jobs per group (or the totals) changed.
        reordered(object, object, object): (handle, job ids, before id or None) after a drag.
        finished_all(int, int): the queue ran dry after being busy: (done, failed) of that run.
        jobs_finished(object): jobs reached done, skipped, failed or cancelled: a list of (id, JobState),
            one signal per tick however many finished.
    """

    counts_changed = Signal()
    reordered = Signal(object, object, object)
    finished_all = Signal(int, int)
    jobs_finished = Signal(object)

    DIRECTION, LOCAL, REMOTE, SIZE, PROGRESS, RATE, ETA, STATE, SERVER = range(9)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.handles: list[QueueHandle] = []
        self._rows: dict[int, JobRow] = {}
        self._order: list[int] = []  # all ids in display (priority) order
        self._pos: dict[int, float] = {}
        self._visible: list[int] = []
        self.group = "queued"
        self._counts = dict.fromkeys(GROUPS, 0)
        # Kept up to date row by row (a tick must not walk 2,000 rows): jobs per state, bytes left, total rate.
        self._state_n = [0] * len(_SLOT)  # jobs per state, by _SLOT
        self._left_bytes = 0
        self._rate = 0.0
        self._busy = False
        self._run_done = 0
        self._run_failed = 0
        self.last_tick_seconds = 0.0

    # --- handles and snapshots ----------------------------------------------------------------

    def add_handle(self, handle: QueueHandle) -> None:
        if handle not in self.handles:
            self.handles.append(handle)

    def remove_handle(self, handle: QueueHandle) -> None:
        if handle in self.handles:
            self.handles.remove(handle)
        gone = [jid for jid, r in self._rows.items() if r.handle is handle]
        if gone:
            self.beginResetModel()
            for jid in gone:
                self._account(self._rows.pop(jid), -1)
                self._pos.pop(jid, None)
            self._order = [j for j in self._order if j in self._rows]
            self._visible = [j for j in self._order if self._rows[j].group == self.group]
            self.endResetModel()
            self._recount()

    def add_jobs(self, handle: QueueHandle, jobs: list[TransferJob], seq: int) -> None:
        """Jobs read on a worker after feed sequence ``seq``: add the unknown ones, then replay newer events."""
        new = [j for j in jobs if j.id not in self._rows]
        if new and not self._busy:
            self._run_done = self._run_failed = 0  # a new run starts (its jobs may all be finished already)
        for j in new:
            row = JobRow(
                j.id, handle, j.direction, j.source, j.target, j.size, j.offset, j.state, j.error, j.error_kind
            )
            self._rows[j.id] = row
            self._account(row, +1)
            self._pos[j.id] = float(len(self._order))
            self._order.append(j.id)
        entering = [j.id for j in new if self._rows[j.id].group == self.group]
        if entering:
            start = len(self._visible)
            self.beginInsertRows(QModelIndex(), start, start + len(entering) - 1)
            self._visible.extend(entering)
            self.endInsertRows()
        already: list[tuple[int, JobState]] = []
        for j in new:
            group = self._rows[j.id].group
            if group in ("done", "failed"):
                if group == "done":
                    self._run_done += 1
                else:
                    self._run_failed += 1
                already.append((j.id, j.state))
        if already:
            self.jobs_finished.emit(already)
        replay = {jid: ev for jid, ev in handle.pending_events.items() if jid in self._rows}
        for jid in replay:
            del handle.pending_events[jid]
        self._apply([ev for s, ev in replay.values() if s > seq])
        # Small files can be done before their snapshot arrives: that run still "finished".
        self._recount(activity=bool(new))

    # --- events ------------------------------------------------------------------------------

    def tick(self) -> None:
        """Drain every feed and update the rows once (called ~10 times a second by the view)."""
        t0 = time.perf_counter()
        events: list[TransferEvent] = []
        for h in self.handles:
            for seq, ev in h.feed.drain():
                if ev.job_id in self._rows:
                    events.append(ev)
                else:  # its snapshot has not arrived yet
                    h.pending_events[ev.job_id] = (seq, ev)
        if events:
            self._apply(events)
            self._recount()
        self.last_tick_seconds = time.perf_counter() - t0

    def _apply(self, events: list[TransferEvent]) -> None:
        if not events:
            return
        leaving: list[int] = []
        entering: list[int] = []
        finished: list[tuple[int, JobState]] = []
        changed_rows: list[int] = []
        visible_index = {jid: i for i, jid in enumerate(self._visible)}
        for ev in events:
            row = self._rows[ev.job_id]
            before = row.group
            self._account(row, -1)
            if ev.state is not row.state:
                row.set_state(ev.state)
            row.done = ev.bytes_done
            if ev.total is not None:
                row.size = ev.total
            row.rate = ev.rate
            row.eta = ev.eta
            row.error = ev.error
            row.error_kind = ev.error_kind
            self._account(row, +1)
            after = row.group
            if before != after:
                if after == "done":
                    self._run_done += 1
                elif after == "failed":
                    self._run_failed += 1
                if after in ("done", "failed"):
                    finished.append((ev.job_id, ev.state))
            if before == self.group and after != self.group:
                leaving.append(ev.job_id)
            elif before != self.group and after == self.group:
                entering.append(ev.job_id)
            elif ev.job_id in visible_index:
                changed_rows.append(visible_index[ev.job_id])
        if changed_rows:
            self.dataChanged.emit(self.index(min(changed_rows), 0), self.index(max(changed_rows), self.SERVER))
        if leaving:
            gone = sorted(visible_index[j] for j in leaving if j in visible_index)
            for start, end in reversed(_runs(gone)):
                self.beginRemoveRows(QModelIndex(), start, end)
                del self._visible[start : end + 1]
                self.endRemoveRows()
        if entering:
            pos = self._pos
            keys = [pos[j] for j in self._visible]
            ents = sorted(entering, key=pos.__getitem__)
            i = 0
            while i < len(ents):  # one insertion per block of rows that land side by side (usually one)
                at = bisect.bisect_right(keys, pos[ents[i]])
                limit = keys[at] if at < len(keys) else math.inf
                j = i + 1
                while j < len(ents) and pos[ents[j]] < limit:
                    j += 1
                block = ents[i:j]
                self.beginInsertRows(QModelIndex(), at, at + len(block) - 1)
                self._visible[at:at] = block
                keys[at:at] = [pos[x] for x in block]
                self.endInsertRows()
                i = j
        if finished:
            self.jobs_finished.emit(finished)

    def _account(self, row: JobRow, sign: int) -> None:
        """Add (+1) or take away (-1) one row's share of the running totals."""
        _group, live, running, _ok, slot = row.info
        self._state_n[slot] += sign
        if live and row.size:
            self._left_bytes += sign * max(0, row.size - row.done)
        if running:
            self._rate += sign * row.rate

    def _per_state(self) -> dict[JobState, int]:
        return {st: self._state_n[i] for st, i in _SLOT.items()}

    def _recount(self, activity: bool = False) -> None:
        st = self._per_state()
        counts = {
            "queued": st[JobState.QUEUED] + st[JobState.PAUSED],
            "running": st[JobState.RUNNING],
            "failed": st[JobState.FAILED] + st[JobState.CANCELLED],
            "done": st[JobState.DONE] + st[JobState.SKIPPED],
        }
        if not st[JobState.RUNNING]:
            self._rate = 0.0  # no float dust when nothing runs
        busy = st[JobState.QUEUED] + st[JobState.RUNNING] > 0
        if counts != self._counts:
            self._counts = counts
            self.counts_changed.emit()
        if (self._busy or activity) and not busy:
            self.finished_all.emit(self._run_done, self._run_failed)
        if busy and not self._busy and not activity:
            self._run_done = 0
            self._run_failed = 0
        self._busy = busy

    # --- what the view asks ----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def totals(self) -> tuple[int, int, float]:
        """(jobs waiting or running, bytes left, current total rate)."""
        st = self._per_state()
        return st[JobState.QUEUED] + st[JobState.PAUSED] + st[JobState.RUNNING], self._left_bytes, self._rate

    @property
    def busy(self) -> bool:
        return self._busy

    def set_group(self, group: str) -> None:
        if group == self.group:
            return
        self.beginResetModel()
        self.group = group
        self._visible = [j for j in self._order if self._rows[j].group == group]
        self.endResetModel()

    def row(self, index: int) -> JobRow | None:
        return self._rows.get(self._visible[index]) if 0 <= index < len(self._visible) else None

    def job(self, job_id: int) -> JobRow | None:
        return self._rows.get(job_id)

    def jobs(self) -> list[JobRow]:
        return [self._rows[j] for j in self._order]

    def visible_ids(self) -> list[int]:
        return list(self._visible)

    def forget_finished(self) -> None:
        """Drop the done rows from the view (their database rows are cleared by the caller)."""
        keep = [j for j in self._order if self._rows[j].group != "done"]
        self.beginResetModel()
        for j in self._order:
            if self._rows[j].group == "done":
                self._account(self._rows.pop(j), -1)
                self._pos.pop(j, None)
        self._order = keep
        self._visible = [j for j in self._order if self._rows[j].group == self.group]
        self.endResetModel()
        self._recount()

    # --- Qt model API ----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 9

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return [
            self.tr("Direction"),
            self.tr("Local file"),
            self.tr("Remote file"),
            self.tr("Size"),
            self.tr("Progress"),
            self.tr("Rate"),
            self.tr("Time left"),
            self.tr("State"),
            self.tr("Server"),
        ][section]

    def state_text(self, r: JobRow) -> str:
        if r.state == JobState.FAILED:
            t = r.handle.target
            return explain_job_error(r.error_kind, r.error, f"{t.host}:{t.port}", r.remote)
        return {
            JobState.QUEUED: self.tr("Waiting for retry") if r.error else self.tr("Queued"),
            JobState.RUNNING: self.tr("Transferring"),
            JobState.PAUSED: self.tr("Paused"),
            JobState.DONE: self.tr("Done"),
            JobState.CANCELLED: self.tr("Cancelled"),
            JobState.SKIPPED: self.tr("Skipped"),
        }.get(r.state, r.state.value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Every paint asks each visible cell for about ten roles: the ones not answered leave at once.
        role = int(role)  # Qt passes an int; Python callers may pass the enum (which hashes by name)
        if role not in _ROLES and role != PROGRESS_ROLE and role != JOB_ROLE:
            return None
        n = index.row()
        if not (0 <= n < len(self._visible)) or not index.isValid():
            return None
        return self._value(self._rows[self._visible[n]], index.column(), role)

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan) -> None:
        """All the roles a delegate wants of one cell in one call (Qt 6's item delegates ask this way).

        Each call from the view into Python has to take the GIL from the transfer threads; one per
        painted cell instead of one per role keeps a repaint from waiting on them hundreds of times.
        """
        n = index.row()
        r = self._rows[self._visible[n]] if 0 <= n < len(self._visible) and index.isValid() else None
        col = index.column()
        for rd in roleDataSpan:
            role = rd.role()
            value = self._value(r, col, role) if r is not None and (role in _ROLES or role >= JOB_ROLE) else None
            if value is None:
                rd.clearData()
            else:
                rd.setData(value)

    def _value(self, r: JobRow, col: int, role: int) -> Any:
        """What cell (``r``, ``col``) shows for ``role`` (an int), or None."""
        if role == _DISPLAY:
            if col == self.DIRECTION:
                return self.tr("Download") if r.direction == "download" else self.tr("Upload")
            if col == self.LOCAL:
                return r.local
            if col == self.REMOTE:
                return r.remote
            if col == self.SIZE:
                return format_size(r.size)
            if col == self.PROGRESS:
                return f"{round(r.fraction * 100)}%"
            if col == self.RATE:
                if not r.info[2] or r.rate <= 0:
                    return ""
                return self.tr("%1/s").replace("%1", format_size(int(r.rate)))
            if col == self.ETA:
                if not r.info[2] or r.eta is None:
                    return ""
                return _duration(r.eta)
            if col == self.STATE:
                return self.state_text(r)
            if col == self.SERVER:
                return r.handle.target.title
        elif role == _DECORATION:
            if col == self.DIRECTION:
                return icon("download" if r.direction == "download" else "upload")
        elif role == _TOOLTIP:
            if col == self.STATE and r.error:
                return r.error
            if col in (self.LOCAL, self.REMOTE):
                return r.local if col == self.LOCAL else r.remote
        elif role == _ALIGNMENT:
            if col in (self.SIZE, self.RATE, self.ETA):
                return _RIGHT
        elif role == PROGRESS_ROLE:
            return r.fraction
        elif role == JOB_ROLE:
            return r.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Views ask this for every cell on every paint: precomputed (enum arithmetic is slow in Python).
        if not index.isValid():
            return _DROP if self.group == "queued" else _NONE
        return _ROW_DRAG if self.group == "queued" else _ROW

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [JOB_IDS_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        rows = sorted({i.row() for i in indexes if i.isValid()})
        md = QMimeData()
        md.setData(JOB_IDS_MIME, QByteArray(json.dumps([self._visible[r] for r in rows]).encode()))
        return md

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if self.group != "queued" or not data.hasFormat(JOB_IDS_MIME):
            return False
        try:
            ids = [int(x) for x in json.loads(bytes(data.data(JOB_IDS_MIME).data()))]
        except (ValueError, TypeError):
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._visible)
        before = self._visible[row] if row < len(self._visible) else None
        self.move_before([i for i in ids if i in self._rows], before)
        return False  # we moved the rows ourselves; the view must not remove anything

    def move_before(self, ids: list[int], before: int | None) -> None:
        """Put ``ids`` (in this order) just before job ``before`` (or last), then tell each queue."""
        moving = [j for j in dict.fromkeys(ids) if j != before]
        if not moving:
            return
        self.layoutAboutToBeChanged.emit()
        old_visible = list(self._visible)
        rest = [j for j in self._order if j not in set(moving)]
        at = rest.index(before) if before in rest else len(rest)
        self._order = rest[:at] + moving + rest[at:]
        self._pos = {j: float(i) for i, j in enumerate(self._order)}
        self._visible = [j for j in self._order if self._rows[j].group == self.group]
        where = {j: i for i, j in enumerate(self._visible)}
        for pidx in self.persistentIndexList():
            if pidx.isValid() and pidx.row() < len(old_visible):
                jid = old_visible[pidx.row()]
                self.changePersistentIndex(pidx, self.index(where.get(jid, 0), pidx.column()))
        self.layoutChanged.emit()
        by_handle: dict[int, tuple[QueueHandle, list[int]]] = {}
        for j in moving:
            h = self._rows[j].handle
            by_handle.setdefault(id(h), (h, []))[1].append(j)
        for h, jids in by_handle.values():
            same = before if before is not None and self._rows[before].handle is h else None
            self.reordered.emit(h, jids, same)


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for i in indices:
        if out and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def _duration(seconds: float) -> str:
    s = int(seconds)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"
