"""The Files tab against the real OpenSSH server: connect with the host-key prompt, browse, drag and drop, edit."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.core.transfer.queue import JobState
from app.core.transfer.sync_plan import Mark
from app.ui.dialogs.trust import HostKeyChangedDialog, UnknownHostKeyDialog
from app.ui.transfer.files_tab import ConnectionTab, FilesTab
from app.ui.transfer.prompts import ConfirmDeleteDialog
from app.ui.transfer.queue_model import QueueModel
from app.ui.transfer.remote_model import MARK_ROLE
from tests.servers.sshd import SshdServer
from tests.ui.transfer.conftest import drop, give_to, sha, wait_prompt, wait_ready


def quick_connect_sftp(qtbot: QtBot, tab: FilesTab, sshd: SshdServer) -> ConnectionTab:
    """Type the address like a user, click Quickconnect, accept the new host key with "remember"."""
    bar = tab.quick
    bar.protocol.setCurrentIndex(bar.protocol.findData("sftp"))
    qtbot.keyClicks(bar.host, sshd.host)
    bar.port.setValue(sshd.port)
    qtbot.keyClicks(bar.user, sshd.password_user)
    qtbot.keyClicks(bar.password, sshd.password)
    qtbot.mouseClick(bar.connect_button, Qt.MouseButton.LeftButton)
    dlg = wait_prompt(qtbot, tab, UnknownHostKeyDialog)
    assert isinstance(dlg, UnknownHostKeyDialog)
    assert dlg.cancel_button.isDefault()
    assert dlg.fingerprint_field.text() in sshd.host_key_fingerprints.values()
    qtbot.mouseClick(dlg.remember_button, Qt.MouseButton.LeftButton)
    conn = tab.current_tab()
    assert conn is not None
    wait_ready(qtbot, conn.pane, str(sshd.home(sshd.password_user)))
    return conn


@pytest.fixture
def sftp_dir(sshd_server: SshdServer) -> Path:
    """A fresh folder in the password user's home, owned by that user."""
    d = sshd_server.home(sshd_server.password_user) / f"t-{uuid.uuid4().hex[:8]}"
    d.mkdir()
    give_to(d, sshd_server.password_user)
    return d


def test_quick_connect_accept_host_key_and_browse(
    qtbot: QtBot, files_tab: FilesTab, sshd_server: SshdServer, sftp_dir: Path
) -> None:
    (sftp_dir / "inner").mkdir()
    (sftp_dir / "inner" / "hello.txt").write_text("hi")
    give_to(sftp_dir, sshd_server.password_user)
    conn = quick_connect_sftp(qtbot, files_tab, sshd_server)
    pane = conn.pane
    names = [e.name for e in pane.model.entries()]
    assert sftp_dir.name in names
    # the key was remembered in Quay's own known_hosts
    assert f"[{sshd_server.host}]:{sshd_server.port}" in files_tab.backend.paths.known_hosts_file.read_text()
    # double-click into the folder, then into "inner"
    pane.navigate(str(sftp_dir))
    wait_ready(qtbot, pane, str(sftp_dir))
    row = pane.model.row_of("inner")
    rect = pane.list.visualRect(pane.model.index(row, 0))
    qtbot.mouseClick(pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_ready(qtbot, pane, str(sftp_dir / "inner"))
    assert [e.name for e in pane.model.entries()] == ["hello.txt"]
    assert pane.model.entries()[0].size == 2
    assert [b.toolTip() for b in pane.crumbs.buttons][-1] == str(sftp_dir / "inner")
    # back and up
    pane.back_action.trigger()
    wait_ready(qtbot, pane, str(sftp_dir))
    pane.up_action.trigger()
    wait_ready(qtbot, pane, str(sftp_dir.parent))
    # the folder tree knows the path it walked
    assert pane.tree_model.index_of(str(sftp_dir / "inner")).isValid()
    # the message log shows commands, and never the password
    qtbot.waitUntil(lambda: any("Connected; the home folder is" in line for line in files_tab.log.text_lines()))
    assert not any(sshd_server.password in line for line in files_tab.log.text_lines())


def _empty_spot(pane) -> QPoint:
    """A point in the list below the last row (a drop there goes into the shown folder)."""
    vp = pane.list.viewport()
    return QPoint(vp.width() // 2, vp.height() - 5)


def _make_tree(root: Path) -> dict[str, bytes]:
    content: dict[str, bytes] = {}
    for d in ("a", "a/b", "c – ü"):
        (root / d).mkdir(parents=True, exist_ok=True)
        for i in range(3):
            data = os.urandom(5000 + 1000 * i)
            (root / d / f"f{i}.bin").write_bytes(data)
            content[f"{d}/f{i}.bin"] = data
    return content


def test_drop_folder_and_file_urls_upload_with_progress(
    qtbot: QtBot, files_tab: FilesTab, sshd_server: SshdServer, sftp_dir: Path, tmp_path: Path
) -> None:
    local = tmp_path / "up"
    content = _make_tree(local / "tree")
    big = local / "single.bin"
    big.write_bytes(os.urandom(3_000_000))
    conn = quick_connect_sftp(qtbot, files_tab, sshd_server)
    pane = conn.pane
    pane.navigate(str(sftp_dir))
    wait_ready(qtbot, pane, str(sftp_dir))
    # a QMimeData with file URLs, as a file manager (or the Mail tab's attachment bar) sends
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(local / "tree")), QUrl.fromLocalFile(str(big))])
    assert drop(pane.list.viewport(), md, _empty_spot(pane))
    model = files_tab.queue.model
    qtbot.waitUntil(lambda: len(model.jobs()) == len(content) + 1, timeout=20000)
    qtbot.waitUntil(lambda: all(r.state == JobState.DONE for r in model.jobs()), timeout=60000)
    files_tab.queue.show_group("done")
    assert model.rowCount() == len(content) + 1
    assert {model.data(model.index(r, QueueModel.PROGRESS)) for r in range(model.rowCount())} == {"100%"}
    for rel, data in content.items():
        assert (sftp_dir / "tree" / rel).read_bytes() == data, rel
    assert sha(sftp_dir / "single.bin") == sha(big)
    # the pane shows the new entries after the uploads
    qtbot.waitUntil(lambda: {"tree", "single.bin"} <= {e.name for e in pane.model.entries()}, timeout=10000)


def test_drag_remote_file_to_local_pane_and_to_the_os(
    qtbot: QtBot, files_tab: FilesTab, sshd_server: SshdServer, sftp_dir: Path, tmp_path: Path
) -> None:
    data = os.urandom(200_000)
    (sftp_dir / "photo.jpg").write_bytes(data)
    (sftp_dir / "album").mkdir()
    (sftp_dir / "album" / "x.txt").write_text("x")
    give_to(sftp_dir, sshd_server.password_user)
    target = tmp_path / "local"
    target.mkdir()
    files_tab.local.set_path(str(target))
    conn = quick_connect_sftp(qtbot, files_tab, sshd_server)
    pane = conn.pane
    pane.navigate(str(sftp_dir))
    wait_ready(qtbot, pane, str(sftp_dir))
    index = pane.model.index(pane.model.row_of("photo.jpg"), 0)
    md = pane.model.mimeData([index])
    assert md is not None and md.hasFormat("application/x-quay-remote-paths")
    view = files_tab.local.view.viewport()
    assert drop(view, md, QPoint(view.width() // 2, view.height() - 5))
    qtbot.waitUntil(lambda: (target / "photo.jpg").is_file(), timeout=20000)
    assert (target / "photo.jpg").read_bytes() == data
    assert md.stage_requests == 0  # the local pane read the internal format: nothing staged
    # To the OS: the file manager asks for text/uri-list at drop time; the files are downloaded then.
    md2 = pane.model.mimeData([pane.model.index(pane.model.row_of("album"), 0), index])
    raw = bytes(md2.data("text/uri-list").data()).decode()
    urls = [QUrl(u) for u in raw.split()]
    assert md2.stage_requests == 1
    staged = [Path(u.toLocalFile()) for u in urls]
    assert sorted(p.name for p in staged) == ["album", "photo.jpg"]
    by_name = {p.name: p for p in staged}
    assert by_name["photo.jpg"].read_bytes() == data
    assert (by_name["album"] / "x.txt").read_text() == "x"
    md2.data("text/uri-list")
    assert md2.stage_requests == 1  # asked again: same files, no second download


def test_rename_and_delete_on_the_server(
    qtbot: QtBot, files_tab: FilesTab, sshd_server: SshdServer, sftp_dir: Path
) -> None:
    (sftp_dir / "old.txt").write_text("content")
    (sftp_dir / "gone").mkdir()
    (sftp_dir / "gone" / "inside.txt").write_text("bye")
    give_to(sftp_dir, sshd_server.password_user)
    conn = quick_connect_sftp(qtbot, files_tab, sshd_server)
    pane = conn.pane
    pane.navigate(str(sftp_dir))
    wait_ready(qtbot, pane, str(sftp_dir))
    pane.list.setFocus()
    pane.select_names(["old.txt"])
    qtbot.keyClick(pane.list, Qt.Key.Key_F2)
    dlg = wait_prompt(qtbot, files_tab, QInputDialog)
    assert isinstance(dlg, QInputDialog) and dlg.textValue() == "old.txt"
    dlg.setTextValue("new name.txt")
    dlg.accept()
    qtbot.waitUntil(lambda: (sftp_dir / "new name.txt").exists(), timeout=10000)
    assert not (sftp_dir / "old.txt").exists()
    qtbot.waitUntil(lambda: pane.model.row_of("new name.txt") >= 0, timeout=10000)
    pane.select_names(["gone", "new name.txt"])
    qtbot.keyClick(pane.list, Qt.Key.Key_Delete)
    confirm = wait_prompt(qtbot, files_tab, ConfirmDeleteDialog)
    assert isinstance(confirm, ConfirmDeleteDialog)
    listed = [confirm.list.item(i).text() for i in range(confirm.list.count())]
    assert listed[0].startswith("gone") and "folder" in listed[0] and listed[1] == "new name.txt"
    assert confirm.cancel_button.isDefault()
    qtbot.mouseClick(confirm.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: not (sftp_dir / "gone").exists() and not (sftp_dir / "new name.txt").exists(), timeout=10000
    )
    qtbot.waitUntil(lambda: pane.model.rowCount() == 0, timeout=10000)


def test_edit_remote_file_with_a_renaming_editor(
    qtbot: QtBot, files_tab: FilesTab, sshd_server: SshdServer, sftp_dir: Path
) -> None:
    remote = sftp_dir / "notes.txt"
    remote.write_text("first version\n")
    give_to(sftp_dir, sshd_server.password_user)
    opened: list[Path] = []
    files_tab.edits.opener = opened.append
    conn = quick_connect_sftp(qtbot, files_tab, sshd_server)
    pane = conn.pane
    pane.navigate(str(sftp_dir))
    wait_ready(qtbot, pane, str(sftp_dir))
    pane.list.setFocus()
    pane.select_names(["notes.txt"])
    files_tab.edit_action.trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=20000)
    local = opened[0]
    assert local.read_text() == "first version\n"
    os.utime(local)  # touched, not changed: nothing to upload
    # the editor saves by writing a new file and renaming it over the old one
    tmp = local.with_name(".notes.txt.swp")
    tmp.write_text("second version\n")
    os.replace(tmp, local)
    box = wait_prompt(qtbot, files_tab, QMessageBox)
    assert isinstance(box, QMessageBox) and "notes.txt" in box.text()
    upload = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    qtbot.mouseClick(upload, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: remote.read_text() == "second version\n", timeout=20000)
    edit = files_tab.edits.registry.all()[0]
    qtbot.waitUntil(lambda: edit.baseline is not None and edit.pending is None, timeout=10000)
    assert edit.check() is None  # the server has exactly what the editor saved


def test_changed_host_key_is_refused(qtbot: QtBot, files_tab: FilesTab, sshd_server: SshdServer) -> None:
    conn = quick_connect_sftp(qtbot, files_tab, sshd_server)
    files_tab.close_tab(files_tab.remote_tabs.indexOf(conn.pane))
    sshd_server.regenerate_host_keys_and_restart()
    files_tab.quick.submit()  # the same address again (the fields still hold it)
    dlg = wait_prompt(qtbot, files_tab, HostKeyChangedDialog)
    assert isinstance(dlg, HostKeyChangedDialog)
    labels = [b.text().replace("&", "").lower() for b in dlg.findChildren(QPushButton)]
    assert labels == ["close"]  # no way to accept the new key
    assert dlg.new_field.text().split()[-1] in sshd_server.host_key_fingerprints.values()
    pane = files_tab.current_pane()
    assert pane is not None and "refused" in pane.model.message
    assert not files_tab.current_tab().connected  # type: ignore[union-attr]
    dlg.reject()


def test_compare_by_checksum_with_sha256sum(
    qtbot: QtBot, files_tab: FilesTab, sshd_server: SshdServer, sftp_dir: Path, tmp_path: Path
) -> None:
    local = tmp_path / "cmp"
    local.mkdir()
    (local / "same-content.bin").write_bytes(b"A" * 100)
    (local / "other-content.bin").write_bytes(b"B" * 100)
    (sftp_dir / "same-content.bin").write_bytes(b"A" * 100)
    (sftp_dir / "other-content.bin").write_bytes(b"C" * 100)
    give_to(sftp_dir, sshd_server.password_user)
    old = 1_600_000_000
    os.utime(sftp_dir / "same-content.bin", (old, old))  # same bytes, different times
    st = (sftp_dir / "other-content.bin").stat()
    os.utime(local / "other-content.bin", (st.st_atime, st.st_mtime))  # same time, other bytes
    files_tab.local.set_path(str(local))
    conn = quick_connect_sftp(qtbot, files_tab, sshd_server)
    pane = conn.pane
    pane.navigate(str(sftp_dir))
    wait_ready(qtbot, pane, str(sftp_dir))
    files_tab.checksum_action.setChecked(True)
    files_tab.shell_hash_action.setChecked(True)  # OpenSSH has no hash extension: the user allows sha256sum
    files_tab.compare_action.setChecked(True)
    files_tab.compare_now()

    def mark(name: str) -> str | None:
        return pane.model.index(pane.model.row_of(name), 0).data(MARK_ROLE)

    qtbot.waitUntil(lambda: mark("other-content.bin") == Mark.DIFFERS.value, timeout=10000)
    qtbot.waitUntil(lambda: mark("same-content.bin") == Mark.SAME.value, timeout=10000)
