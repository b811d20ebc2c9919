"""The worker bridge delivers results, errors and progress on the GUI thread, one account at a time."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from PySide6.QtCore import QThread

from app.ui.tasks import Task, TaskRunner, task_errors


@pytest.fixture
def runner():  # type: ignore[no-untyped-def]
    r = TaskRunner(pool_size=2)
    yield r
    r.shutdown()


def test_result_arrives_on_gui_thread(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[object, bool]] = []
    gui = QThread.currentThread()
    worker_threads: list[str] = []

    def work() -> int:
        worker_threads.append(threading.current_thread().name)
        return 42

    Task(runner.serial("acct"), work).on_success(lambda v: seen.append((v, QThread.currentThread() is gui))).start()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, True)]
    assert worker_threads[0].startswith("quay-acct")


def test_error_and_progress(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    progress: list[object] = []
    errors: list[BaseException] = []

    def work(report, cancel):  # type: ignore[no-untyped-def]
        for i in range(3):
            report(i)
        raise ValueError("boom")

    Task(runner.pool, work, with_progress=True).on_progress(progress.append).on_failure(errors.append).start()
    qtbot.waitUntil(lambda: bool(errors))
    assert progress == [0, 1, 2]
    assert isinstance(errors[0], ValueError)


def test_serial_worker_runs_one_at_a_time(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    active = 0
    max_active = 0
    lock = threading.Lock()
    done: list[int] = []

    def work(i: int) -> int:
        nonlocal active, max_active
        with lock:
            active += 1
            max_active = max(max_active, active)
        threading.Event().wait(0.01)
        with lock:
            active -= 1
        return i

    for i in range(5):
        Task(runner.serial("one"), lambda i=i: work(i)).on_success(done.append).start()
    qtbot.waitUntil(lambda: len(done) == 5)
    assert done == [0, 1, 2, 3, 4]
    assert max_active == 1


def test_error_without_failure_callback_reaches_the_app_wide_signal(qtbot, runner: TaskRunner, caplog) -> None:  # type: ignore[no-untyped-def]
    def broken() -> None:
        raise LookupError("nobody handles me")

    with (
        caplog.at_level(logging.ERROR, logger="app.ui.tasks"),
        qtbot.waitSignal(task_errors().failed, timeout=5000) as blocker,
    ):
        Task(runner.pool, broken, name="sync INBOX").start()
    error, name = blocker.args
    assert isinstance(error, LookupError) and name == "sync INBOX"
    assert "sync INBOX" in caplog.text and "nobody handles me" in caplog.text


def test_handled_errors_are_not_reported_twice(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    seen: list[object] = []

    def record(error: object, name: str) -> None:
        seen.append(error)

    task_errors().failed.connect(record)
    handled: list[BaseException] = []

    def broken() -> None:
        raise KeyError("x")

    try:
        Task(runner.pool, broken).on_failure(handled.append).start()
        qtbot.waitUntil(lambda: bool(handled))
        qtbot.wait(50)  # let any stray queued emission arrive
    finally:
        task_errors().failed.disconnect(record)
    assert seen == []


def test_shutdown_cancels_running_work_and_drops_queued_work(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(pool_size=1)
    started = threading.Event()
    ran_second: list[bool] = []

    def polite(report, cancel):  # type: ignore[no-untyped-def]
        started.set()
        cancel.wait(30)  # returns as soon as shutdown asks
        return "stopped"

    Task(runner.serial("acct"), polite, with_progress=True).start()
    Task(runner.serial("acct"), lambda: ran_second.append(True)).start()
    assert started.wait(5)
    t0 = time.monotonic()
    assert runner.shutdown(timeout=10) is True
    assert time.monotonic() - t0 < 5
    assert ran_second == []


def test_shutdown_gives_up_after_the_timeout(qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(pool_size=1)
    release = threading.Event()
    started = threading.Event()

    def stubborn() -> None:
        started.set()
        release.wait(30)  # ignores cancel_event

    Task(runner.pool, stubborn, name="stubborn upload").start()
    assert started.wait(5)
    t0 = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="app.ui.tasks"):
        assert runner.shutdown(timeout=0.3) is False
    assert 0.25 <= time.monotonic() - t0 < 5
    assert "stubborn upload" in caplog.text
    release.set()
