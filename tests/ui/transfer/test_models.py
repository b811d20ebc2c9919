"""The Files tab's models under QAbstractItemModelTester: remote listing (with in-place refresh), folder tree, queue."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from app.core.transfer.base import RemoteEntry
from app.core.transfer.queue import JobState, TransferEvent, TransferJob
from app.core.transfer.sync_plan import Mark
from app.ui.transfer.backend import ConflictAsker, LogBuffer, QueueFeed, Target
from app.ui.transfer.dnd import JOB_IDS_MIME
from app.ui.transfer.message_log import MessageLog
from app.ui.transfer.queue_model import QueueHandle, QueueModel
from app.ui.transfer.remote_model import RemoteListModel, RemoteTreeModel

MODE = QAbstractItemModelTester.FailureReportingMode.Fatal


def E(name: str, kind: str = "file", size: int = 1, mtime: float = 1.7e9) -> RemoteEntry:
    return RemoteEntry(name, kind, size, mtime, "rw-r--r--", 0o644, "alice", "staff")


def test_remote_list_sorts_filters_and_refreshes_in_place(qtbot: QtBot) -> None:
    model = RemoteListModel()
    QAbstractItemModelTester(model, MODE)
    model.set_loading("/data")
    model.set_listing("/data", [E("b.txt", size=30), E("docs", "dir"), E("a.txt", size=20), E(".", "dir")])
    assert [e.name for e in model.entries()] == ["docs", "a.txt", "b.txt"]  # folders first; "." dropped
    keep = QPersistentModelIndex(model.index(2, 0))  # b.txt (a selection would be such an index)
    model.sort(RemoteListModel.SIZE, Qt.SortOrder.DescendingOrder)
    assert [e.name for e in model.entries()] == ["docs", "b.txt", "a.txt"]  # folders stay on top
    assert keep.data() == "b.txt"
    model.sort(RemoteListModel.NAME, Qt.SortOrder.AscendingOrder)
    inserted: list[int] = []
    removed: list[int] = []
    resets: list[int] = []
    model.rowsInserted.connect(lambda _p, a, _b: inserted.append(a))
    model.rowsRemoved.connect(lambda _p, a, _b: removed.append(a))
    model.modelReset.connect(lambda: resets.append(1))
    model.set_listing("/data", [E("docs", "dir"), E("b.txt", size=31), E("c.txt")])  # F5: a.txt gone, c.txt new
    assert resets == [] and removed and inserted
    assert [e.name for e in model.entries()] == ["docs", "b.txt", "c.txt"]
    assert keep.isValid() and keep.data() == "b.txt" and model.entry(keep.row()).size == 31
    model.set_filter("*.txt")
    assert [e.name for e in model.entries()] == ["b.txt", "c.txt"]
    model.set_filter("")
    model.set_marks({"c.txt": Mark.ONLY_HERE})
    assert model.index(2, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    model.set_listing("/other", [E("z")])
    assert model.path == "/other" and model.rowCount() == 1


def test_remote_tree_lists_lazily(qtbot: QtBot) -> None:
    model = RemoteTreeModel()
    asked: list[str] = []
    model.fetch_requested.connect(asked.append)
    model.reset_root()
    QAbstractItemModelTester(model, MODE)
    root = model.index(0, 0)
    assert model.hasChildren(root)
    model.fetchMore(root)  # (the tester may have asked already: still only one request)
    assert asked == ["/"]
    assert not model.canFetchMore(root)  # loading: asked once
    model.set_children("/", ["home", "etc"])
    assert [model.index(i, 0, root).data() for i in range(model.rowCount(root))] == ["etc", "home"]
    deep = model.reveal("/home/alice/www")
    assert deep.isValid() and model.path_of(deep) == "/home/alice/www"
    model.set_children("/", ["home", "srv"])
    assert [model.index(i, 0, root).data() for i in range(model.rowCount(root))] == ["home", "srv"]
    assert model.index_of("/home/alice").isValid()
    # a folder that cannot be listed keeps the path the user walked through it
    model.fetchMore(model.index_of("/home"))
    model.listing_failed("/home")
    assert model.index_of("/home/alice/www").isValid() and not model.canFetchMore(model.index_of("/home"))


@dataclass
class _FakeQueue:
    reordered: list[tuple[list[int], int | None]]


def _job(jid: int, state: JobState = JobState.QUEUED, size: int = 100) -> TransferJob:
    return TransferJob(jid, "upload", f"/local/f{jid}", f"/remote/f{jid}", size, 0, state, None, 0, None)


def test_queue_model_batches_events_groups_rows_and_reorders(qtbot: QtBot) -> None:
    model = QueueModel()
    QAbstractItemModelTester(model, MODE)
    feed = QueueFeed()
    handle = QueueHandle(Target.quick("sftp", "h", 22, "u"), None, feed, ConflictAsker())  # type: ignore[arg-type]
    model.add_handle(handle)
    # events that arrive before the jobs' snapshot are kept and replayed when newer than it
    feed.listener(TransferEvent(3, JobState.RUNNING, 10, 100, 5.0, 18.0))
    model.tick()
    seq = 0
    model.add_jobs(handle, [_job(1), _job(2), _job(3)], seq)
    counts = model.counts()
    assert counts["queued"] == 2 and counts["running"] == 1
    assert model.visible_ids() == [1, 2]
    # many events for one job between ticks: one row update
    changes: list[int] = []
    model.dataChanged.connect(lambda a, b, _r=None: changes.append(b.row() - a.row() + 1))
    model.set_group("running")
    for done in range(0, 101, 5):
        feed.listener(TransferEvent(3, JobState.RUNNING, done, 100, 5.0, 1.0))
    model.tick()
    assert len(changes) == 1
    assert model.data(model.index(0, QueueModel.PROGRESS)) == "100%"
    finished: list[tuple[int, object]] = []
    model.jobs_finished.connect(finished.extend)
    feed.listener(TransferEvent(3, JobState.DONE, 100, 100, 0.0, None))
    model.tick()
    assert model.rowCount() == 0 and finished == [(3, JobState.DONE)]
    # reorder by dragging rows of the Queued tab
    model.set_group("queued")
    moves: list[tuple[object, list[int], int | None]] = []
    model.reordered.connect(lambda h, ids, before: moves.append((h, ids, before)))
    md = model.mimeData([model.index(1, 0)])
    assert json.loads(bytes(md.data(JOB_IDS_MIME).data())) == [2]
    model.dropMimeData(md, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert model.visible_ids() == [2, 1]
    assert moves == [(handle, [2], 1)]
    bad = QMimeData()
    bad.setData(JOB_IDS_MIME, QByteArray(b"not json"))
    assert not model.dropMimeData(bad, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    # the queue ran dry
    ran_dry: list[tuple[int, int]] = []
    model.finished_all.connect(lambda d, f: ran_dry.append((d, f)))
    feed.listener(TransferEvent(1, JobState.DONE, 100, 100, 0.0, None))
    feed.listener(TransferEvent(2, JobState.FAILED, 0, 100, 0.0, None, "connection lost", "NetworkError"))
    model.tick()
    assert ran_dry == [(2, 1)]  # jobs 3 and 1 done, 2 failed
    model.set_group("failed")
    state = model.index(0, QueueModel.STATE)
    assert model.data(state) == "The connection to h:22 failed or was interrupted."  # by kind, with the host
    assert model.data(state, Qt.ItemDataRole.ToolTipRole) == "connection lost"  # the detail, for the curious
    # The kind decides, not the words: a local disk problem that mentions a connection is still local.
    feed.listener(TransferEvent(2, JobState.FAILED, 0, 100, 0.0, None, "connection lost: disk full", "LocalIOError"))
    model.tick()
    assert model.data(state).startswith("Reading or writing")
    # A kind this version does not know (a newer Quay wrote it) still gets a sentence.
    feed.listener(TransferEvent(2, JobState.FAILED, 0, 100, 0.0, None, "x", "SomethingNew"))
    model.tick()
    assert model.data(state) == "The operation did not complete."


def test_queue_view_paints_from_one_call_per_cell(qtbot: QtBot) -> None:
    """The view asks each cell for all its roles at once (multiData): what it gets is what data() says."""
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan
    from PySide6.QtGui import QIcon

    from app.ui.tasks import TaskRunner
    from app.ui.transfer.queue_view import QueueView

    view = QueueView(TaskRunner())
    qtbot.addWidget(view)
    model = view.model
    feed = QueueFeed()
    handle = QueueHandle(Target.quick("sftp", "h", 22, "u"), None, feed, ConflictAsker())  # type: ignore[arg-type]
    model.add_handle(handle)
    model.add_jobs(handle, [_job(i, size=1000 * i) for i in range(1, 40)], 0)
    feed.listener(TransferEvent(2, JobState.RUNNING, 500, 2000, 300.0, 5.0))
    feed.listener(TransferEvent(3, JobState.FAILED, 0, 3000, 0.0, None, "connection lost", "NetworkError"))
    model.tick()
    roles = [int(r) for r in Qt.ItemDataRole if r <= Qt.ItemDataRole.UserRole] + [int(Qt.ItemDataRole.UserRole) + 11]
    for group in ("queued", "running", "failed"):
        view.show_group(group)
        for row in range(model.rowCount()):
            for col in range(model.columnCount()):
                index = model.index(row, col)
                for role in roles:
                    cell = QModelRoleData(role)
                    model.multiData(index, QModelRoleDataSpan(cell))
                    got, want = cell.data(), model.data(index, role)
                    if isinstance(want, QIcon):  # icons compare by what they are, not by wrapper
                        got, want = got.cacheKey(), want.cacheKey()
                    assert got == want, (group, row, col, role)
    view.show_group("running")
    assert model.data(model.index(0, QueueModel.PROGRESS)) == "25%"


def test_message_log_colours_limit_and_redaction(qtbot: QtBot, tmp_path: Path) -> None:
    buf = LogBuffer()
    log = MessageLog(buf, line_limit=50)
    qtbot.addWidget(log)
    plog = buf.protolog_for("ftp.example")
    plog.add_secret("hunter2")
    plog.sent("ftp:bob@h:21", b"USER bob\r\n")
    plog.sent("ftp:bob@h:21", b"PASS hunter2\r\n")
    plog.received("ftp:bob@h:21", b"530 Login incorrect for hunter2\r\n")
    for i in range(100):
        buf.add("ftp.example", "info", f"line {i}")
    log.drain()
    text = log.toPlainText()
    assert ("hunter2" not in text and "PASS <redacted>" in text) or "hunter2" not in text
    lines = log.text_lines()
    assert len(lines) <= 50 and lines[-1].endswith("line 99")
    assert all(line[:2].isdigit() and line[2] == ":" for line in lines)  # timestamps


def test_a_run_that_finished_before_its_snapshot_still_reports(qtbot: QtBot) -> None:
    model = QueueModel()
    handle = QueueHandle(Target.quick("ftp", "h", 21, "u"), None, QueueFeed(), ConflictAsker())  # type: ignore[arg-type]
    model.add_handle(handle)
    ran_dry: list[tuple[int, int]] = []
    model.finished_all.connect(lambda d, f: ran_dry.append((d, f)))
    model.add_jobs(handle, [_job(7, JobState.DONE)], 0)  # one small file, done before the GUI heard of it
    assert ran_dry == [(1, 0)]
