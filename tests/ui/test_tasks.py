"""The worker bridge delivers results, errors and progress on the GUI thread, one account at a time."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from app.ui.tasks import Task, TaskRunner


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
