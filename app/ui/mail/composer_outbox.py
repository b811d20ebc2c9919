"""Sends what is due in the outbox, now and at "send later" times, on one serial worker.

Signals:
    processed(object): an :class:`~app.core.mail.outbox.OutboxItem` after a send attempt (GUI thread).
    failed(object): an exception that stopped a whole run (for the status bar).

The timer sleeps until the earliest ``not_before`` (at most a minute at a time, so a changed
clock or a new item is noticed); tests inject ``clock`` and call :meth:`check` as a tick.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.mail.outbox import OutboxItem
from app.ui.mail.composer_backend import ComposeBackend
from app.ui.tasks import Task, TaskRunner

MAX_SLEEP_MS = 60_000
RETRY_MISSING_ACCOUNT = 300.0


class OutboxRunner(QObject):
    processed = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        backend: ComposeBackend,
        runner: TaskRunner,
        *,
        clock: Callable[[], float] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.runner = runner
        self.clock = clock or backend.clock or time.time
        self._busy = False
        self._again = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        """Send whatever is due now and schedule the rest."""
        self.check()

    def kick(self) -> None:
        """Something was queued: run now (or right after the current run)."""
        if self._busy:
            self._again = True
            return
        self._busy = True
        Task(self.runner.serial("outbox"), self._run_due).on_success(self._done).on_failure(self._error).start()

    def check(self) -> None:
        """The timer's tick: run if anything is due, else sleep until it is."""
        due = self.backend.outbox.next_due_time()
        if due is not None and due <= self.clock():
            self.kick()
            return
        if self.backend.outbox.due(self.clock()):  # sent but not yet filed in Sent
            self.kick()
            return
        self._schedule(due)

    def _schedule(self, due: float | None) -> None:
        if due is None:
            self.timer.start(MAX_SLEEP_MS)
            return
        ms = int(max(0.0, due - self.clock()) * 1000)
        self.timer.start(min(MAX_SLEEP_MS, max(50, ms)))

    def _run_due(self) -> list[OutboxItem]:
        ob = self.backend.outbox
        out: list[OutboxItem] = []
        now = self.clock()
        for item in ob.due(now):
            try:
                transport: Any = self.backend.transport_for(item.account)
            except Exception as e:  # no account or password any more: keep the item, look again later
                ob.reschedule(item.id, now + RETRY_MISSING_ACCOUNT)
                out.append(_with_error(item, str(e)))
                continue
            sent = None
            try:
                sent = self.backend.sent_folder_for(item.account)
            except Exception:
                sent = None
            out.append(ob.process(item.id, transport, sent))
        return out

    def _done(self, items: list[OutboxItem]) -> None:
        self._busy = False
        for item in items:
            self.processed.emit(item)
        if self._again:
            self._again = False
            self.kick()
            return
        self._schedule(self.backend.outbox.next_due_time())

    def _error(self, exc: BaseException) -> None:
        self._busy = False
        self.failed.emit(exc)
        self._schedule(self.backend.outbox.next_due_time())


def _with_error(item: OutboxItem, text: str) -> OutboxItem:
    item.last_error = text
    return item
