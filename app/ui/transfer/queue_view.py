"""The transfer queue at the bottom of the Files tab: Queued / Running / Failed / Done tabs over one model.

Rows are painted by :class:`ProgressDelegate` (no per-row widgets).  Pause, resume, cancel and
retry act on the selected rows, or with the "… all" actions on every job; queue calls run on the
transfer pool, never on the GUI thread.  Rows of the Queued tab can be dragged to change the order
in which they run.  The speed limit applies to every connection's queue at once.

Signals:
    totals_changed(str): the status-bar summary (jobs left, bytes left, rate).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTabBar,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.transfer.queue import JobState
from app.ui.tasks import Task, TaskRunner
from app.ui.transfer.icons import icon
from app.ui.transfer.queue_model import GROUPS, PROGRESS_ROLE, QueueHandle, QueueModel
from app.ui.transfer.remote_model import format_size

Index = QModelIndex | QPersistentModelIndex
TICK_MS = 250  # rows repaint at most four times a second (FileZilla: once): 2,000 small files stay cheap


class ProgressDelegate(QStyledItemDelegate):
    """Paints the progress column as a progress bar (the style's own, so it follows the theme)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bar = QStyleOptionProgressBar()  # one option object for every paint
        self._bar.minimum = 0
        self._bar.maximum = 1000
        self._bar.textVisible = True

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        fraction = index.data(PROGRESS_ROLE) or 0.0
        bar = self._bar
        bar.rect = option.rect.adjusted(2, 3, -2, -3)  # type: ignore[attr-defined]
        bar.progress = int(fraction * 1000)
        bar.text = f"{int(fraction * 100)}%"
        bar.state = option.state  # type: ignore[attr-defined]
        bar.palette = option.palette  # type: ignore[attr-defined]
        style = option.widget.style() if option.widget is not None else QApplication.style()  # type: ignore[attr-defined]
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)


class QueueTable(QTableView):
    """The queue's rows; drops inside it reorder the Queued tab.

    A table, not a tree: a tree view walks every row through the (Python) model each time rows enter
    or leave the shown group, which with 2,000 small files happens on every tick; a table's rows are
    fixed-height sections in C++ and only the visible cells are ever asked for.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue-list")
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the list (F6/Tab focus order), arrows move between rows
        self.setCornerButtonEnabled(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # one row height for all: no per-row sizing
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        # Only the progress column needs Python painting; the rest keep Qt's own (C++) delegate.
        self.setItemDelegateForColumn(QueueModel.PROGRESS, ProgressDelegate(self))

    def header(self) -> QHeaderView:
        """The column header (what a tree view calls it): its state is saved with the window."""
        return self.horizontalHeader()


class QueueView(QWidget):
    """Tabs, the job list, per-selection and global controls, and the speed limit."""

    totals_changed = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue-view")
        self.runner = runner
        self.model = QueueModel(self)
        self._last_totals: str | None = None
        self.tabs = QTabBar(self)
        self.tabs.setObjectName("queue-tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setDrawBase(False)
        self.tabs.setExpanding(False)
        for _ in GROUPS:
            self.tabs.addTab("")
        self.tabs.currentChanged.connect(lambda i: self.model.set_group(GROUPS[i]))
        self.view = QueueTable(self)
        self.view.setModel(self.model)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.resizeSection(QueueModel.DIRECTION, 110)
        header.resizeSection(QueueModel.LOCAL, 240)
        header.resizeSection(QueueModel.REMOTE, 220)
        header.resizeSection(QueueModel.SIZE, 80)
        header.resizeSection(QueueModel.PROGRESS, 110)
        header.resizeSection(QueueModel.RATE, 120)
        header.resizeSection(QueueModel.ETA, 70)
        header.resizeSection(QueueModel.STATE, 200)

        self.pause_action = self._action("media-playback-pause", QKeySequence(), self.pause_selected)
        self.resume_action = self._action("media-playback-start", QKeySequence(), self.resume_selected)
        self.cancel_action = self._action("process-stop", QKeySequence(), self.cancel_selected)
        self.retry_action = self._action("edit-redo", QKeySequence(), self.retry_selected)
        self.pause_all_action = self._action("media-playback-pause", QKeySequence(), self.pause_all)
        self.resume_all_action = self._action("media-playback-start", QKeySequence(), self.resume_all)
        self.cancel_all_action = self._action("process-stop", QKeySequence(), self.cancel_all)
        self.retry_all_action = self._action("edit-redo", QKeySequence(), self.retry_all)
        self.clear_done_action = self._action("edit-delete", QKeySequence(), self.clear_finished)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.tabs, 1)
        self.buttons: dict[str, QToolButton] = {}
        for name, act in (
            ("pause", self.pause_action),
            ("resume", self.resume_action),
            ("cancel", self.cancel_action),
            ("retry", self.retry_action),
            ("clear", self.clear_done_action),
        ):
            b = QToolButton(self)
            b.setDefaultAction(act)
            b.setObjectName(f"queue-{name}")
            bar.addWidget(b)
            self.buttons[name] = b
        self.limit_label = QLabel(self)
        self.limit = QSpinBox(self)
        self.limit.setObjectName("queue-speed-limit")
        self.limit.setRange(0, 10_000_000)
        self.limit.setSingleStep(100)
        self.limit.setKeyboardTracking(False)
        self.limit.valueChanged.connect(self._limit_changed)
        self.limit_label.setBuddy(self.limit)
        bar.addWidget(self.limit_label)
        bar.addWidget(self.limit)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)

        self.model.counts_changed.connect(self._counts_changed)
        self.model.reordered.connect(self._reorder)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self.retranslate()
        self._update_actions()

    def _action(self, icon_name: str, shortcut: QKeySequence, slot: Callable[[], None]) -> QAction:
        act = QAction(icon(icon_name), "", self)
        act.setShortcut(shortcut)
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def retranslate(self) -> None:
        self._counts_changed()
        for act, text, tip in (
            (self.pause_action, self.tr("&Pause"), self.tr("Pause the selected transfers")),
            (self.resume_action, self.tr("&Resume"), self.tr("Resume the selected transfers")),
            (self.cancel_action, self.tr("&Cancel"), self.tr("Cancel the selected transfers")),
            (self.retry_action, self.tr("Re&try"), self.tr("Try the selected failed transfers again")),
            (self.pause_all_action, self.tr("Pause all"), self.tr("Pause every transfer")),
            (self.resume_all_action, self.tr("Resume all"), self.tr("Resume every paused transfer")),
            (self.cancel_all_action, self.tr("Cancel all"), self.tr("Cancel every waiting or running transfer")),
            (self.retry_all_action, self.tr("Retry all"), self.tr("Try every failed transfer again")),
            (self.clear_done_action, self.tr("Clear finished"), self.tr("Remove finished transfers from the list")),
        ):
            act.setText(text)
            act.setStatusTip(tip)
            act.setToolTip(tip)
        self.limit_label.setText(self.tr("Speed &limit:"))
        self.limit.setSuffix(self.tr(" KiB/s"))
        self.limit.setSpecialValueText(self.tr("No limit"))
        self.limit.setAccessibleName(self.tr("Speed limit for all transfers"))
        self.view.setAccessibleName(self.tr("Transfer queue"))
        self._emit_totals()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- handles -----------------------------------------------------------------------

    def add_handle(self, handle: QueueHandle) -> None:
        self.model.add_handle(handle)
        self._apply_limit(handle)

    def _apply_limit(self, handle: QueueHandle) -> None:
        value = self.limit.value()
        handle.queue.set_speed_limit(value * 1024 if value else None)

    def _limit_changed(self, _value: int) -> None:
        for h in self.model.handles:
            self._apply_limit(h)

    def set_speed_limit_kib(self, kib: int) -> None:
        self.limit.setValue(kib)

    # --- ticking -----------------------------------------------------------------------

    def _tick(self) -> None:
        self.model.tick()
        self._emit_totals()

    def _emit_totals(self) -> None:
        jobs, left, rate = self.model.totals()
        if not jobs:
            text = ""
        else:
            text = self.tr("%n transfer(s) left", "", jobs) + " · " + format_size(left)
            if rate > 0:
                text += " · " + self.tr("%1/s").replace("%1", format_size(int(rate)))
        if text != self._last_totals:
            self._last_totals = text
            self.totals_changed.emit(text)

    def _counts_changed(self) -> None:
        counts = self.model.counts()
        labels = {
            "queued": self.tr("Queued (%1)"),
            "running": self.tr("Running (%1)"),
            "failed": self.tr("Failed (%1)"),
            "done": self.tr("Done (%1)"),
        }
        for i, g in enumerate(GROUPS):
            text = labels[g].replace("%1", str(counts[g]))
            if self.tabs.tabText(i) != text:  # each change lays the tab bar out again
                self.tabs.setTabText(i, text)
        self._update_actions()

    def show_group(self, group: str) -> None:
        self.tabs.setCurrentIndex(GROUPS.index(group))

    # --- commands ----------------------------------------------------------------------

    def selected_rows(self) -> list[Any]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [r for r in (self.model.row(i) for i in rows) if r is not None]

    def _update_actions(self, *_args: Any) -> None:
        sel = self.selected_rows()
        states = {r.state for r in sel}
        self.pause_action.setEnabled(bool(states & {JobState.QUEUED, JobState.RUNNING}))
        self.resume_action.setEnabled(JobState.PAUSED in states)
        self.cancel_action.setEnabled(bool(states & {JobState.QUEUED, JobState.RUNNING, JobState.PAUSED}))
        self.retry_action.setEnabled(bool(states & {JobState.FAILED, JobState.CANCELLED}))
        self.clear_done_action.setEnabled(self.model.counts()["done"] > 0)

    def _each(self, rows: list[Any], method: str) -> None:
        calls = [(getattr(r.handle.queue, method), r.id) for r in rows]

        def work() -> None:
            for fn, jid in calls:
                fn(jid)

        Task(self.runner.pool, work).start()

    def _all(self, method: str) -> None:
        calls = [getattr(h.queue, method) for h in self.model.handles]

        def work() -> None:
            for fn in calls:
                fn()

        Task(self.runner.pool, work).start()

    def pause_selected(self) -> None:
        self._each(self.selected_rows(), "pause")

    def resume_selected(self) -> None:
        self._each(self.selected_rows(), "resume")

    def cancel_selected(self) -> None:
        self._each(self.selected_rows(), "cancel")

    def retry_selected(self) -> None:
        self._each(self.selected_rows(), "retry")

    def pause_all(self) -> None:
        self._all("pause")

    def resume_all(self) -> None:
        self._all("resume")

    def cancel_all(self) -> None:
        self._all("cancel")

    def retry_all(self) -> None:
        self._all("retry")

    def clear_finished(self) -> None:
        self._all("clear_finished")
        self.model.forget_finished()

    def _reorder(self, handle: QueueHandle, ids: list[int], before: int | None) -> None:
        Task(self.runner.pool, lambda: handle.queue.reorder(ids, before)).start()

    def _menu(self, pos: Any) -> None:
        menu = QMenu(self)
        for act in (self.pause_action, self.resume_action, self.cancel_action, self.retry_action):
            menu.addAction(act)
        menu.addSeparator()
        for act in (self.pause_all_action, self.resume_all_action, self.cancel_all_action, self.retry_all_action):
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(self.clear_done_action)
        menu.popup(self.view.viewport().mapToGlobal(pos))
