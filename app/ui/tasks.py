"""The bridge between the GUI and the core: run core calls on worker threads, results back via signals.

Each account gets one serial worker (:meth:`TaskRunner.serial`), so its
connection and its database writes are never touched by two threads; transfers
use a pool. Call sites read like::

    Task(runner.serial("acct-1"), lambda: sync.run(folder)) \
        .on_success(self.show_done).on_failure(self.show_error).start()

Rules:

* Callbacks passed to ``on_success``/``on_failure``/``on_progress`` run on the
  GUI thread (queued signal connections). The work function runs on a worker
  thread and must not touch widgets.
* No error is lost: a task without a failure callback logs its error and emits
  it on :func:`task_errors` (``failed(exception, task name)``), the one
  app-wide signal the status bar shows.
* :meth:`TaskRunner.shutdown` cancels what has not started, asks running tasks
  to stop (their ``cancel`` event), and waits for them up to a timeout.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

__all__ = ["Task", "TaskErrors", "TaskRunner", "task_errors"]


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


class TaskErrors(QObject):
    """The app-wide channel for errors no caller handled (create it on the GUI thread: :func:`task_errors`).

    Signals:
        failed(object, str): the exception, and the name of the task that raised it.
    """

    failed = Signal(object, str)


_errors: TaskErrors | None = None
_errors_lock = threading.Lock()


def task_errors() -> TaskErrors:
    """The one :class:`TaskErrors` of the application (the status bar connects to ``failed``)."""
    global _errors
    with _errors_lock:
        if _errors is None:
            _errors = TaskErrors()
        return _errors


class TaskRunner:
    """Owns the executors: one single-thread executor per key, plus a shared pool."""

    def __init__(self, pool_size: int = 4) -> None:
        self._serial: dict[str, ThreadPoolExecutor] = {}
        self._pool = ThreadPoolExecutor(max_workers=pool_size, thread_name_prefix="quay-pool")
        self._lock = threading.Lock()
        self._closed = False

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

    def _executors(self) -> list[ThreadPoolExecutor]:
        with self._lock:
            return [*self._serial.values(), self._pool]

    def shutdown(self, wait: bool = True, timeout: float = 10.0) -> bool:
        """Stop: drop queued tasks, cancel running ones, wait up to ``timeout`` s. True when all have finished.

        Running work is asked to stop through its task's ``cancel_event``; work that ignores it
        is left to finish on its own (logged), so quitting is never blocked longer than ``timeout``.
        """
        executors = self._executors()
        with self._lock:
            self._serial.clear()
            self._closed = True
        mine = {id(ex) for ex in executors}
        tasks = [t for t in list(Task._alive) if id(t._executor) in mine]
        for ex in executors:
            ex.shutdown(wait=False, cancel_futures=True)
        running: list[Future[Any]] = []
        for t in tasks:
            t.cancel()
            if t.future is None or t.future.cancelled():
                Task._alive.discard(t)
            elif not t.future.done():
                running.append(t.future)
        if not wait or not running:
            return True
        deadline = time.monotonic() + max(0.0, timeout)
        _done, not_done = wait_futures(running, timeout=max(0.0, deadline - time.monotonic()))
        if not_done:
            names = ", ".join(sorted(t.name for t in tasks if t.future in not_done))
            log.warning("%d task(s) still running after %.1f s at shutdown: %s", len(not_done), timeout, names)
            return False
        return True


class Task:
    """One unit of work with GUI-thread callbacks. Keep a reference until it finishes (or rely on the relay).

    ``name`` identifies it in logs and on the app-wide error signal (default: the work's name).
    """

    _alive: set[Task] = set()

    def __init__(
        self,
        executor: ThreadPoolExecutor,
        work: Callable[..., Any],
        *,
        with_progress: bool = False,
        name: str = "",
    ) -> None:
        self._executor = executor
        self._work = work
        self._with_progress = with_progress
        self.name = name or getattr(work, "__qualname__", "") or "task"
        self._relay = _Relay()
        self._handles_failure = False
        self.cancel_event = threading.Event()
        self.future: Future[Any] | None = None

    def on_success(self, fn: Callable[[Any], None]) -> Task:
        self._relay.succeeded.connect(fn)
        return self

    def on_failure(self, fn: Callable[[BaseException], None]) -> Task:
        self._relay.failed.connect(fn)
        self._handles_failure = True
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
        self._relay.failed.connect(self._failed)

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

    def _failed(self, error: object) -> None:
        """On the GUI thread: an error nobody asked for goes to the log and the app-wide signal."""
        if not self._handles_failure and isinstance(error, BaseException):
            log.error("task %s failed: %s", self.name, error, exc_info=error)
            task_errors().failed.emit(error, self.name)
        self._finished(error)

    def _finished(self, _value: object) -> None:
        Task._alive.discard(self)
