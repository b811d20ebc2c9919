"""Password and key-passphrase prompts, local-pane commands, properties, F6, hidden files and favourites."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel
from pytestqt.qtbot import QtBot

from app.core.transfer.sites import Site
from app.ui.transfer.files_tab import FilesTab
from app.ui.transfer.prompts import ConfirmDeleteDialog, PropertiesDialog, SecretDialog
from tests.servers.ftp import FtpServer, FtpUser
from tests.servers.sshd import SshdServer
from tests.ui.transfer.conftest import wait_prompt, wait_ready


def test_password_prompt_when_the_keyring_has_none(
    qtbot: QtBot, files_tab: FilesTab, ftp_server: FtpServer, ftp_user: FtpUser
) -> None:
    bar = files_tab.quick
    bar.protocol.setCurrentIndex(bar.protocol.findData("ftp"))
    bar.host.setText(ftp_server.host)
    bar.port.setValue(ftp_server.port)
    bar.user.setText(ftp_user.name)  # no password typed, none in the keyring
    bar.submit()
    dlg = wait_prompt(qtbot, files_tab, SecretDialog)
    assert isinstance(dlg, SecretDialog) and dlg.kind == "password"
    assert dlg.field.echoMode() == dlg.field.EchoMode.Password
    dlg.remember.setChecked(False)
    qtbot.keyClicks(dlg.field, ftp_user.password)
    dlg.accept()
    tab = files_tab.current_tab()
    assert tab is not None
    wait_ready(qtbot, tab.pane, "/")


def test_key_passphrase_prompt(qtbot: QtBot, files_tab: FilesTab, sshd_server: SshdServer, tmp_path: Path) -> None:
    known = tmp_path / "known_hosts"
    known.write_text(sshd_server.known_hosts_path.read_text())
    files_tab.backend.host_keys().user_files.append(known)
    site = Site(
        "Key site",
        "sftp",
        sshd_server.host,
        sshd_server.port,
        sshd_server.key_user,
        auth="key",
        key_file=str(sshd_server.client_key_passphrase_path),
    )
    files_tab.backend.save_site(site)
    files_tab.connect_to(files_tab.backend.target_for_site(site))
    dlg = wait_prompt(qtbot, files_tab, SecretDialog)
    assert isinstance(dlg, SecretDialog) and dlg.kind == "passphrase"
    dlg.field.setText(sshd_server.client_key_passphrase)
    dlg.accept()
    tab = files_tab.current_tab()
    assert tab is not None
    wait_ready(qtbot, tab.pane, str(sshd_server.home(sshd_server.key_user)))


def test_local_commands_properties_f6_hidden_and_favourites(
    qtbot: QtBot, files_tab: FilesTab, ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / ".secret").write_text("s")
    (tmp_path / "old").mkdir()
    (ftp_user.home / "remote.bin").write_bytes(b"x" * 1234)
    local = files_tab.local
    local.set_path(str(tmp_path))
    qtbot.waitUntil(lambda: local.fs.index(str(tmp_path / "a.txt")).isValid())
    # hidden files: off by default, the toggle shows them and is remembered
    assert not local.hidden_action.isChecked()
    local.hidden_action.setChecked(True)
    assert files_tab.settings.value("files/show_hidden") == "true"
    # favourites
    local.add_favourite(str(tmp_path))
    assert local.favourites() == [str(tmp_path)]
    # rename, new folder, delete (with the list of what goes)
    local.view.setFocus()
    local.select_names(["a.txt"])
    qtbot.keyClick(local.view, Qt.Key.Key_F2)
    dlg = wait_prompt(qtbot, files_tab, QInputDialog)
    assert isinstance(dlg, QInputDialog)
    dlg.setTextValue("b.txt")
    dlg.accept()
    assert (tmp_path / "b.txt").read_text() == "a"
    files_tab.activateWindow()
    local.view.setFocus()
    qtbot.keyClick(local.view, Qt.Key.Key_F7)
    dlg = wait_prompt(qtbot, files_tab, QInputDialog)
    assert isinstance(dlg, QInputDialog)
    dlg.setTextValue("new dir")
    dlg.accept()
    assert (tmp_path / "new dir").is_dir()
    qtbot.waitUntil(lambda: local.fs.index(str(tmp_path / "old")).isValid())
    files_tab.activateWindow()
    local.view.setFocus()
    local.select_names(["old"])
    qtbot.keyClick(local.view, Qt.Key.Key_Delete)
    confirm = wait_prompt(qtbot, files_tab, ConfirmDeleteDialog)
    assert isinstance(confirm, ConfirmDeleteDialog)
    assert confirm.list.item(0).text() == str(tmp_path / "old")
    confirm.ok_button.click()
    qtbot.waitUntil(lambda: not (tmp_path / "old").exists())
    # properties of a remote file, and F6 from the local list to the remote list
    files_tab.activateWindow()
    from tests.ui.transfer.test_files_ftp import quick_connect_ftp

    conn = quick_connect_ftp(qtbot, files_tab, ftp_server, ftp_user)
    wait_ready(qtbot, conn.pane, "/")
    files_tab.activateWindow()
    local.view.setFocus()
    qtbot.keyClick(local.view, Qt.Key.Key_F6)
    assert QApplication.focusWidget() is conn.pane.list
    conn.pane.select_names(["remote.bin"])
    files_tab.properties_action.trigger()
    props = wait_prompt(qtbot, files_tab, PropertiesDialog)
    texts = " ".join(label.text() for label in props.findChildren(QLabel))
    assert "remote.bin" in texts and "1,234" in texts
