"""Files-tab fixtures: a FilesTab on a fresh profile, and helpers that act like a user (drops, prompts)."""

from __future__ import annotations

import hashlib
import os
import pwd
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from app.core.paths import AppPaths
from app.ui.settings import Settings
from app.ui.transfer.backend import FilesBackend
from app.ui.transfer.files_tab import FilesTab
from app.ui.transfer.remote_model import ListingState
from app.ui.transfer.remote_pane import RemotePane

ACTIONS = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction


def sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@pytest.fixture
def files_tab(qtbot: QtBot, app_paths: AppPaths) -> Iterator[FilesTab]:
    settings = Settings(app_paths)
    settings.set_value("files/retries", 1)
    backend = FilesBackend(app_paths, user_known_hosts=[])  # never the machine's own known_hosts
    backend.timeout = 10.0
    tab = FilesTab(settings, backend=backend)
    tab.edits.opener = lambda _p: None  # never launch a real editor
    qtbot.addWidget(tab)
    tab.resize(1200, 800)
    with qtbot.waitExposed(tab):
        tab.show()
    with qtbot.waitActive(tab):
        tab.activateWindow()
    yield tab
    tab.shutdown()


def wait_ready(qtbot: QtBot, pane: RemotePane, path: str | None = None, timeout: int = 20000) -> None:
    try:
        qtbot.waitUntil(
            lambda: pane.model.state == ListingState.READY and (path is None or pane.model.path == path),
            timeout=timeout,
        )
    except Exception:
        raise AssertionError(f"pane at {pane.model.path!r}: {pane.model.state} {pane.model.message!r}") from None


def wait_prompt(qtbot: QtBot, tab: FilesTab, kind: type[QDialog], timeout: int = 20000) -> QDialog:
    qtbot.waitUntil(lambda: isinstance(tab.prompt, kind) and tab.prompt.isVisible(), timeout=timeout)
    assert tab.prompt is not None
    return tab.prompt


def drop(widget: QWidget, md: QMimeData, pos: QPoint | None = None) -> bool:
    """What the OS does on a drop: enter, move, drop events with a real QMimeData. True if accepted."""
    p = pos or QPoint(widget.width() // 2, widget.height() // 2)
    enter = QDragEnterEvent(QPointF(p), ACTIONS, md, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    move = QDragMoveEvent(QPointF(p), ACTIONS, md, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, move)
    if not move.isAccepted():
        return False
    ev = QDropEvent(QPointF(p), ACTIONS, md, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, ev)
    return ev.isAccepted()


def give_to(path: Path, user: str) -> None:
    """Files made by the test (root) in an SFTP user's home must belong to that user."""
    pw = pwd.getpwnam(user)
    for root, dirs, files in os.walk(path):
        os.chown(root, pw.pw_uid, pw.pw_gid)
        for n in dirs + files:
            os.chown(os.path.join(root, n), pw.pw_uid, pw.pw_gid)
