"""Actions as a user does them, checked on the server: drop on a folder moves, delete and undo, new mail
through IDLE keeps the selection, offline flag changes queue and replay when the server is back."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.ui.mail.mail_tab import MailTab
from app.ui.mail.message_model import COL_SUBJECT, MIME_MESSAGE_IDS
from tests.servers.dovecot import DovecotServer
from tests.ui.mail.conftest import MailEnv, make_env, make_message, open_tab


def _server_subjects(env: MailEnv, folder: str) -> list[str]:
    out = env.server.doveadm("fetch", "-u", env.user, "hdr.subject", "mailbox", folder).stdout.decode()
    return [ln.split(":", 1)[1].strip() for ln in out.splitlines() if ln.lower().startswith("hdr.subject:")]


def _server_flags(env: MailEnv, folder: str) -> list[str]:
    out = env.server.doveadm("fetch", "-u", env.user, "flags", "mailbox", folder).stdout.decode()
    return [ln.split(":", 1)[1].strip() for ln in out.splitlines() if ln.startswith("flags:")]


def _wait_inbox(qtbot, tab: MailTab, n: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: tab.current_kind == "folder" and tab.model.rowCount() == n, timeout=20000)


def _row_of_subject(tab: MailTab, subject: str) -> int:
    return next(r for r in range(tab.model.rowCount()) if tab.model.index(r, COL_SUBJECT).data() == subject)


def _click(qtbot, tab: MailTab, row: int) -> None:  # type: ignore[no-untyped-def]
    idx = tab.model.index(row, COL_SUBJECT)
    qtbot.mouseClick(tab.list.viewport(), Qt.MouseButton.LeftButton, pos=tab.list.visualRect(idx).center())


def _folder_id(tab: MailTab, name: str) -> int:
    return next(f.id for rt in tab.backend.account_list() for f in tab.backend.folders(rt.key) if f.name == name)


def test_drop_on_folder_moves_on_the_server(qtbot, mail_tab: MailTab, mail_env: MailEnv) -> None:  # type: ignore[no-untyped-def]
    tab = mail_tab
    _wait_inbox(qtbot, tab, 6)
    _click(qtbot, tab, _row_of_subject(tab, "Message 2"))
    mime = tab.list.drag_mime(tab.list.selected_ids())  # what a drag from the list carries
    assert mime.hasFormat(MIME_MESSAGE_IDS)
    work = tab.tree_model.folder_index(_folder_id(tab, "Work"))
    pos = tab.tree.visualRect(work).center()
    vp = tab.tree.viewport()
    move = Qt.DropAction.MoveAction
    for ev in (
        QDragEnterEvent(pos, move, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier),
        QDragMoveEvent(pos, move, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier),
        QDropEvent(pos.toPointF(), move, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier),
    ):
        QApplication.sendEvent(vp, ev)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 5, timeout=5000)
    qtbot.waitUntil(lambda: "Message 2" in _server_subjects(mail_env, "Work"), timeout=15000)
    assert "Message 2" not in _server_subjects(mail_env, "INBOX")


def test_delete_then_undo(qtbot, mail_tab: MailTab, mail_env: MailEnv) -> None:  # type: ignore[no-untyped-def]
    tab = mail_tab
    _wait_inbox(qtbot, tab, 6)
    _click(qtbot, tab, _row_of_subject(tab, "Message 1"))
    tab.list.setFocus()
    qtbot.keyClick(tab.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 5, timeout=5000)
    qtbot.waitUntil(lambda: "Message 1" in _server_subjects(mail_env, "Trash"), timeout=15000)
    qtbot.keyClick(tab.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 6, timeout=10000)
    qtbot.waitUntil(lambda: "Message 1" in _server_subjects(mail_env, "INBOX"), timeout=15000)
    assert "Message 1" not in _server_subjects(mail_env, "Trash")


def test_new_mail_through_idle_keeps_the_selection(qtbot, mail_tab: MailTab, mail_env: MailEnv) -> None:  # type: ignore[no-untyped-def]
    tab = mail_tab
    _wait_inbox(qtbot, tab, 6)
    qtbot.waitUntil(lambda: any(rt.idle_thread is not None for rt in tab.backend.account_list()), timeout=10000)
    _click(qtbot, tab, _row_of_subject(tab, "Message 3"))
    selected = tab.list.selected_ids()
    scroll = tab.list.verticalScrollBar().value()
    mail_env.deliver(make_message(50, "Fresh from LMTP"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 7, timeout=15000)
    assert "Fresh from LMTP" in [tab.model.index(r, COL_SUBJECT).data() for r in range(7)]
    assert tab.list.selected_ids() == selected
    assert tab.model.message_id(tab.list.currentIndex()) == selected[0]
    assert tab.list.verticalScrollBar().value() == scroll


class _StickyPortsDovecot(DovecotServer):
    """Restarts on the same ports (the account record names them)."""

    def _prepare(self) -> None:
        ports = {a: getattr(self, a) for a in ("imap_port", "imaps_port", "pop3_port", "pop3s_port", "lmtp_port")}
        super()._prepare()
        if ports["imaps_port"]:
            for a, p in ports.items():
                setattr(self, a, p)
            self.conf_path.write_text(self._config())


@pytest.fixture
def own_dovecot(tls_material) -> Iterator[DovecotServer]:  # type: ignore[no-untyped-def]
    base = Path(tempfile.mkdtemp(prefix="quay-dovecot-ui-"))
    server = _StickyPortsDovecot(base, tls_material, name="dovecot-ui-offline")
    server.start()
    yield server
    server.stop()
    shutil.rmtree(base, ignore_errors=True)


def test_offline_cache_queue_and_replay(qtbot, own_dovecot: DovecotServer, tls_material, app_paths) -> None:  # type: ignore[no-untyped-def]
    user, password = own_dovecot.new_user()
    env = make_env(own_dovecot, tls_material, app_paths, user, password)
    for i in range(3):
        env.deliver(make_message(i, f"Offline {i}", age_hours=i))
    first = open_tab(qtbot, env)
    _wait_inbox(qtbot, first, 3)
    qtbot.waitUntil(lambda: not any(t.state == "running" for t in first.backend.tasks()), timeout=10000)
    first.shutdown()
    first.close()

    own_dovecot.stop()
    tab = open_tab(qtbot, env)  # a fresh start with the server down: everything from the cache
    try:
        key = env.account.key
        qtbot.waitUntil(lambda: tab.backend.accounts[key].status == "offline", timeout=15000)
        tab.select_folder(_folder_id(tab, "INBOX"))
        _wait_inbox(qtbot, tab, 3)
        _click(qtbot, tab, _row_of_subject(tab, "Offline 1"))
        tab.list.setFocus()
        qtbot.keyClick(tab.list, Qt.Key.Key_S)  # star it
        qtbot.waitUntil(lambda: tab.backend.pending_count() == 1, timeout=5000)
        assert "1" in tab.pending_button.text()
        assert "Offline" in tab.status_text.text() or tab.backend.accounts[key].status == "offline"

        own_dovecot.start()
        tab.backend.sync_account(key)  # what "Retry" (or the automatic retry) does
        qtbot.waitUntil(lambda: tab.backend.pending_count() == 0, timeout=20000)
        flags = dict(zip(_server_subjects(env, "INBOX"), _server_flags(env, "INBOX"), strict=True))
        assert "\\Flagged" in flags["Offline 1"] and "\\Flagged" not in flags["Offline 0"]
    finally:
        tab.shutdown()
    assert isinstance(QPoint(), QPoint) and isinstance(QMimeData(), QMimeData)
