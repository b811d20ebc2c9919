"""The bridge between the GUI and the core: run core calls on worker threads, results back via signals.

Each account gets one serial worker (:meth:`TaskRunner.serial`), so its
connection and its database writes are never touched by two threads; transfers
use a pool. Call sites read like::

    Task(runner.serial("acct-1"), lambda: sync.run(folder)) \
        .on_success(self.show_done).on_failure(self.show_error).start()

Callbacks passed to ``on_success``/``on_failure``/``on_progress`` run on the
GUI thread (queued signal connections). The work function runs on a worker
thread and must not touch widgets.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal


class _Relay(QObject):
    """Lives on the GUI thread; worker threads emit, Qt queues the call to the GUI thread.

    Signals:
        succeeded(object): the work's return value.
        failed(object): the exception the work raised.
        progressed(object): whatever the work passed to its ``report`` callback.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(object)


class TaskRunner:
    """Owns the executors: one single-thread executor per key, plus a shared pool."""

    def __init__(self, pool_size: int = 4) -> None:
        self._serial: dict[str, ThreadPoolExecutor] = {}
        self._pool = ThreadPoolExecutor(max_workers=pool_size, thread_name_prefix="quay-pool")
        self._lock = threading.Lock()

    def serial(self, key: str) -> ThreadPoolExecutor:
        with self._lock:
            ex = self._serial.get(key)
            if ex is None:
                ex = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"quay-{key}")
                self._serial[key] = ex
            return ex

    @property
    def pool(self) -> ThreadPoolExecutor:
        return self._pool

    def shutdown(self, wait: bool = True) -> None:
        with self._lock:
            executors = [*self._serial.values(), self._pool]
            self._serial.clear()
        for ex in executors:
            ex.shutdown(wait=wait, cancel_futures=True)


class Task:
    """One unit of work with GUI-thread callbacks. Keep a reference until it finishes (or rely on the relay)."""

    _alive: set[Task] = set()

    def __init__(self, executor: ThreadPoolExecutor, work: Callable[..., Any], *, with_progress: bool = False) -> None:
        self._executor = executor
        self._work = work
        self._with_progress = with_progress
        self._relay = _Relay()
        self.cancel_event = threading.Event()
        self.future: Future[Any] | None = None

    def on_success(self, fn: Callable[[Any], None]) -> Task:
        self._relay.succeeded.connect(fn)
        return self

    def on_failure(self, fn: Callable[[BaseException], None]) -> Task:
        self._relay.failed.connect(fn)
        return self

    def on_progress(self, fn: Callable[[Any], None]) -> Task:
        self._relay.progressed.connect(fn)
        return self

    def cancel(self) -> None:
        self.cancel_event.set()

    def start(self) -> Task:
        # Keep self (and so the relay) alive until the queued result reaches the GUI thread.
        Task._alive.add(self)
        self._relay.succeeded.connect(self._finished)
        self._relay.failed.connect(self._finished)

        def run() -> None:
            try:
                if self._with_progress:
                    result = self._work(self._relay.progressed.emit, self.cancel_event)
                else:
                    result = self._work()
            except BaseException as e:  # delivered to the GUI, never swallowed
                self._relay.failed.emit(e)
            else:
                self._relay.succeeded.emit(result)

        self.future = self._executor.submit(run)
        return self

    def _finished(self, _value: object) -> None:
        Task._alive.discard(self)
