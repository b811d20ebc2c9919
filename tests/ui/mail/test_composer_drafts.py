"""Drafts: autosaved while writing, kept when the window closes (also on the server), back after a killed app."""

# ruff: noqa: F811  (pytest fixtures imported from composer_helpers are parameters here)
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.mail.mime import parse_message
from app.ui.mail.composer import ComposerWindow, restore_crashed_drafts
from app.ui.mail.composer_drafts import pending_drafts
from tests.servers.dovecot import DovecotServer
from tests.ui.mail.composer_helpers import MailSetup, folder_messages, mail_setup, type_text  # noqa: F401

ROOT = Path(__file__).resolve().parents[3]

CHILD = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from app.core.paths import AppPaths
    from app.ui.mail.composer import ComposerWindow
    from app.ui.mail.composer_backend import ComposeBackend
    from app.ui.tasks import TaskRunner

    app = QApplication([])
    backend = ComposeBackend(AppPaths.in_dir(sys.argv[1]))
    runner = TaskRunner()
    w = ComposerWindow.for_new(backend, runner, to=["an@example.test"])
    w.autosave_timer.setInterval(100)
    w.subject.setText("Bản nháp sống sót")
    w.editor.setPlainText("Nội dung quan trọng, đừng mất.")

    def check():
        if w.draft_state.local_id is not None and w.journal.path.exists():
            print("SAVED", w.draft_state.local_id, flush=True)
        else:
            QTimer.singleShot(20, check)

    QTimer.singleShot(20, check)
    app.exec()
    """
)


def _read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    q: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    out = proc.stdout
    threading.Thread(target=lambda: q.put(out.readline()), daemon=True).start()
    try:
        return q.get(timeout=timeout)
    except queue.Empty:
        return ""


def test_draft_survives_a_killed_app(qtbot: QtBot, mail_setup: MailSetup, tmp_path: Path) -> None:
    setup = mail_setup
    script = tmp_path / "child.py"
    script.write_text(CHILD, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(setup.paths.data.parent)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        line = _read_line(proc, 60)
        assert line.startswith("SAVED"), f"the child never saved a draft: {line!r}"
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # no clean shutdown: as if the power went
        proc.wait(10)
    entries = pending_drafts(setup.paths)
    assert len(entries) == 1 and entries[0].state.local_id == int(line.split()[1])
    windows = restore_crashed_drafts(setup.backend, setup.runner)
    assert len(windows) == 1
    w = windows[0]
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.subject.text() == "Bản nháp sống sót", timeout=10000)
    assert w.editor.toPlainText().startswith("Nội dung quan trọng, đừng mất.")
    assert w.to_field.addresses() == ["an@example.test"]
    # Editing the restored draft replaces it (one draft, not two), and closing forgets the journal.
    type_text(w.editor, " Thêm.")
    w.save_draft()
    qtbot.waitUntil(lambda: not w.saving, timeout=10000)
    drafts = setup.backend.store().list_messages(setup.backend.local_folder("Drafts"))
    assert len(drafts) == 1
    w.close()
    qtbot.waitUntil(lambda: pending_drafts(setup.paths) == [], timeout=10000)


def test_autosave_runs_every_few_seconds_while_there_are_changes(qtbot: QtBot, mail_setup: MailSetup) -> None:
    setup = mail_setup
    w = ComposerWindow.for_new(setup.backend, setup.runner, to=["x@example.test"])
    qtbot.addWidget(w)
    assert w.autosave_timer.interval() <= 10_000
    w.autosave_timer.setInterval(50)
    w.subject.setText("Tự lưu")
    type_text(w.editor, "một")
    qtbot.waitUntil(lambda: w.draft_state.local_id is not None and not w.dirty and not w.saving, timeout=10000)
    first = w.draft_state.local_id
    type_text(w.editor, " hai")
    qtbot.waitUntil(lambda: w.draft_state.local_id not in (None, first) and not w.saving, timeout=10000)
    raw = setup.backend.store().raw_message(w.draft_state.local_id or 0)
    assert raw is not None and parse_message(raw).text.startswith("một hai")


def test_closing_keeps_the_draft_on_the_server(qtbot: QtBot, mail_setup: MailSetup, dovecot: DovecotServer) -> None:
    setup = mail_setup
    w = ComposerWindow.for_new(setup.backend, setup.runner, to=["x@example.test"])
    qtbot.addWidget(w)
    w.subject.setText("Để sau")
    w.editor.setPlainText("Viết tiếp sau.")
    w.close()
    qtbot.waitUntil(lambda: w.closed_cleanly, timeout=20000)
    drafts = folder_messages(dovecot, setup.user, "Drafts")
    assert [m["Subject"] for m in drafts] == ["Để sau"]
    assert "X-Quay-Draft-Account" in drafts[0]
    assert pending_drafts(setup.paths) == []


def test_discard_removes_every_version(qtbot: QtBot, mail_setup: MailSetup) -> None:
    setup = mail_setup
    w = ComposerWindow.for_new(setup.backend, setup.runner, to=["x@example.test"])
    qtbot.addWidget(w)
    w.subject.setText("Bỏ đi")
    w.save_draft()
    qtbot.waitUntil(lambda: w.draft_state.local_id is not None and not w.saving, timeout=10000)
    w.discard_action.trigger()
    qtbot.waitUntil(lambda: pending_drafts(setup.paths) == [], timeout=10000)
    qtbot.waitUntil(
        lambda: setup.backend.store().list_messages(setup.backend.local_folder("Drafts")) == [], timeout=10000
    )
