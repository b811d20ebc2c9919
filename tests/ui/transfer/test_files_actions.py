"""Context actions against the real FTP server: clipboard between panes, move by drag, new folder/file,
permissions, URLs, compare colours, synchronize with preview and second confirmation, synchronized browsing,
and the notification when the queue finishes in the background."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QWidget
from pytestqt.qtbot import QtBot

from app.core.transfer.queue import JobState
from app.core.transfer.sync_plan import Mark
from app.ui.transfer.files_tab import FilesTab
from app.ui.transfer.permissions import PermissionsDialog
from app.ui.transfer.prompts import ConfirmDeleteDialog
from app.ui.transfer.remote_model import MARK_ROLE
from app.ui.transfer.sync_view import SyncOptionsDialog, SyncPreviewDialog
from tests.servers.ftp import FtpServer, FtpUser
from tests.ui.transfer.conftest import drop, wait_prompt, wait_ready
from tests.ui.transfer.test_files_ftp import quick_connect_ftp


def _connected(qtbot: QtBot, tab: FilesTab, server: FtpServer, user: FtpUser, local: Path):  # type: ignore[no-untyped-def]
    tab.local.set_path(str(local))
    conn = quick_connect_ftp(qtbot, tab, server, user)
    wait_ready(qtbot, conn.pane, "/")
    return conn


def _local_select(tab: FilesTab, names: list[str], qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: all(tab.local.fs.index(str(Path(tab.local.current_path()) / n)).isValid() for n in names))
    tab.local.view.setFocus()
    tab.local.select_names(names)


def test_clipboard_between_panes(
    qtbot: QtBot, files_tab: FilesTab, ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path
) -> None:
    local = tmp_path / "l"
    local.mkdir()
    (local / "up.txt").write_text("from here")
    (ftp_user.home / "down.txt").write_text("from there")
    conn = _connected(qtbot, files_tab, ftp_server, ftp_user, local)
    _local_select(files_tab, ["up.txt"], qtbot)
    qtbot.keyClick(files_tab.local.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().mimeData().hasUrls()
    conn.pane.list.setFocus()
    qtbot.keyClick(conn.pane.list, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: (ftp_user.home / "up.txt").exists(), timeout=20000)
    qtbot.waitUntil(lambda: (ftp_user.home / "up.txt").read_text() == "from here", timeout=20000)
    conn.pane.select_names(["down.txt"])
    qtbot.keyClick(conn.pane.list, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert "ftp://" in QGuiApplication.clipboard().text()
    files_tab.local.view.setFocus()
    qtbot.keyClick(files_tab.local.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: (local / "down.txt").exists(), timeout=20000)
    assert (local / "down.txt").read_text() == "from there"


def test_move_new_folder_new_file_permissions_and_urls(
    qtbot: QtBot, files_tab: FilesTab, ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path
) -> None:
    (ftp_user.home / "dest").mkdir()
    (ftp_user.home / "a.txt").write_text("a")
    conn = _connected(qtbot, files_tab, ftp_server, ftp_user, tmp_path)
    pane = conn.pane
    # drag a.txt onto the "dest" row: a move on the server
    md = pane.model.mimeData([pane.model.index(pane.model.row_of("a.txt"), 0)])
    dest_rect = pane.list.visualRect(pane.model.index(pane.model.row_of("dest"), 0))
    assert drop(pane.list.viewport(), md, dest_rect.center())
    qtbot.waitUntil(lambda: (ftp_user.home / "dest" / "a.txt").exists(), timeout=10000)
    assert not (ftp_user.home / "a.txt").exists()
    # F7: new folder; then a new file
    pane.list.setFocus()
    qtbot.keyClick(pane.list, Qt.Key.Key_F7)
    dlg = wait_prompt(qtbot, files_tab, QInputDialog)
    assert isinstance(dlg, QInputDialog)
    dlg.setTextValue("made here")
    dlg.accept()
    qtbot.waitUntil(lambda: (ftp_user.home / "made here").is_dir(), timeout=10000)
    files_tab.activateWindow()
    pane.list.setFocus()
    files_tab.new_file_action.trigger()
    dlg = wait_prompt(qtbot, files_tab, QInputDialog)
    assert isinstance(dlg, QInputDialog)
    dlg.setTextValue("empty.txt")
    dlg.accept()
    qtbot.waitUntil(lambda: (ftp_user.home / "empty.txt").is_file(), timeout=10000)
    assert (ftp_user.home / "empty.txt").stat().st_size == 0
    # permissions: checkboxes and octal field agree; SITE CHMOD on the server
    qtbot.waitUntil(lambda: pane.model.row_of("empty.txt") >= 0, timeout=10000)
    files_tab.activateWindow()
    pane.list.setFocus()
    pane.select_names(["empty.txt"])
    files_tab.permissions_action.trigger()
    perm = wait_prompt(qtbot, files_tab, PermissionsDialog)
    assert isinstance(perm, PermissionsDialog)
    perm.boxes[("group", "write")].setChecked(True)
    perm.boxes[("others", "read")].setChecked(False)
    assert perm.octal.text() == "660"
    perm.accept()
    qtbot.waitUntil(lambda: stat.S_IMODE((ftp_user.home / "empty.txt").stat().st_mode) == 0o660, timeout=10000)
    # copy URL
    files_tab.activateWindow()
    pane.list.setFocus()
    pane.select_names(["empty.txt"])
    files_tab.copy_url_action.trigger()
    assert QGuiApplication.clipboard().text() == f"ftp://{ftp_user.name}@{ftp_server.host}:{ftp_server.port}/empty.txt"


def test_compare_and_synchronize(
    qtbot: QtBot, files_tab: FilesTab, ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path
) -> None:
    local = tmp_path / "site"
    local.mkdir()
    old = time.time() - 3600
    (local / "same.txt").write_text("same")
    (local / "newer-here.txt").write_text("new local")
    (local / "only-local.txt").write_text("L")
    (local / "skip-me.txt").write_text("S")
    (ftp_user.home / "same.txt").write_text("same")
    (ftp_user.home / "newer-here.txt").write_text("old remote")
    (ftp_user.home / "only-remote.txt").write_text("R")
    os.utime(ftp_user.home / "newer-here.txt", (old, old))
    st = (ftp_user.home / "same.txt").stat()
    os.utime(local / "same.txt", (st.st_atime, st.st_mtime))
    conn = _connected(qtbot, files_tab, ftp_server, ftp_user, local)
    files_tab.compare_action.setChecked(True)
    files_tab.compare_now()
    pane = conn.pane

    def remote_mark(name: str) -> str | None:
        return pane.model.index(pane.model.row_of(name), 0).data(MARK_ROLE)

    qtbot.waitUntil(lambda: remote_mark("only-remote.txt") == Mark.ONLY_HERE.value, timeout=10000)
    assert remote_mark("newer-here.txt") == Mark.OLDER.value
    assert remote_mark("same.txt") == Mark.SAME.value

    def local_mark(name: str) -> str | None:
        idx = files_tab.local.model.mapFromSource(files_tab.local.fs.index(str(local / name)))
        return idx.data(MARK_ROLE)

    qtbot.waitUntil(lambda: local_mark("newer-here.txt") == Mark.NEWER.value, timeout=10000)
    assert local_mark("only-local.txt") == Mark.ONLY_HERE.value
    # synchronize: upload, with deletions; untick one upload; the delete needs a second confirmation
    files_tab.synchronize_action.trigger()
    opts = wait_prompt(qtbot, files_tab, SyncOptionsDialog)
    assert isinstance(opts, SyncOptionsDialog)
    opts.upload.setChecked(True)
    opts.delete.setChecked(True)
    opts.accept()
    preview = wait_prompt(qtbot, files_tab, SyncPreviewDialog)
    assert isinstance(preview, SyncPreviewDialog)
    plan = {(a.kind, a.relpath) for a in preview.model.actions}
    assert plan == {
        ("upload", "newer-here.txt"),
        ("upload", "only-local.txt"),
        ("upload", "skip-me.txt"),
        ("delete_remote", "only-remote.txt"),
    }
    row = [a.relpath for a in preview.model.actions].index("skip-me.txt")
    preview.model.setData(preview.model.index(row, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    preview.accept()
    confirm = wait_prompt(qtbot, files_tab, ConfirmDeleteDialog)
    assert isinstance(confirm, ConfirmDeleteDialog)
    assert [confirm.list.item(i).text() for i in range(confirm.list.count())] == ["only-remote.txt"]
    assert confirm.cancel_button.isDefault()
    confirm.ok_button.click()
    qtbot.waitUntil(lambda: not (ftp_user.home / "only-remote.txt").exists(), timeout=20000)
    assert (ftp_user.home / "newer-here.txt").read_text() == "new local"
    assert (ftp_user.home / "only-local.txt").read_text() == "L"
    assert not (ftp_user.home / "skip-me.txt").exists()


def test_synchronized_browsing(
    qtbot: QtBot, files_tab: FilesTab, ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path
) -> None:
    (tmp_path / "www" / "img").mkdir(parents=True)
    (ftp_user.home / "www" / "img").mkdir(parents=True)
    conn = _connected(qtbot, files_tab, ftp_server, ftp_user, tmp_path)
    files_tab.sync_browsing_action.setChecked(True)
    conn.pane.enter("www")
    wait_ready(qtbot, conn.pane, "/www")
    qtbot.waitUntil(lambda: files_tab.local.current_path() == str(tmp_path / "www"), timeout=5000)
    files_tab.local.set_path(str(tmp_path / "www" / "img"))
    wait_ready(qtbot, conn.pane, "/www/img")
    conn.pane.up()
    wait_ready(qtbot, conn.pane, "/www")
    qtbot.waitUntil(lambda: files_tab.local.current_path() == str(tmp_path / "www"), timeout=5000)


def test_notification_when_the_queue_finishes_in_the_background(
    qtbot: QtBot, files_tab: FilesTab, ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path
) -> None:
    (tmp_path / "n.txt").write_text("n")
    conn = _connected(qtbot, files_tab, ftp_server, ftp_user, tmp_path)
    other = QWidget()
    qtbot.addWidget(other)
    with qtbot.waitExposed(other):
        other.show()
    with qtbot.waitActive(other):
        other.activateWindow()
    assert not files_tab.isActiveWindow()
    heard: list[str] = []
    files_tab.queue_finished.connect(heard.append)
    files_tab.upload_paths(conn.pane, [tmp_path / "n.txt"], "/")
    qtbot.waitUntil(lambda: bool(heard), timeout=20000)
    assert "1 done" in heard[0] and files_tab.last_notification == heard[0]
    assert files_tab.queue.model.jobs()[0].state == JobState.DONE
