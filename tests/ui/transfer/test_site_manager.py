"""The Site Manager: every per-site setting, folders, duplicate/rename/delete, imports, keyring, connect."""

from __future__ import annotations

import base64
from pathlib import Path

import keyring
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.secrets import SERVICE
from app.core.transfer.sites import Site, site_secret_key
from app.ui.transfer.files_tab import FilesTab
from app.ui.transfer.site_manager import SiteManagerDialog
from tests.servers.ftp import FtpServer, FtpUser
from tests.servers.keyring_service import KeyringService
from tests.ui.transfer.conftest import wait_ready

FILEZILLA_XML = """<?xml version="1.0" encoding="UTF-8"?>
<FileZilla3><Servers>
  <Folder expanded="1">Work
    <Server><Host>files.example.test</Host><Port>2222</Port><Protocol>1</Protocol><Type>0</Type>
      <User>bob</User><Pass encoding="base64">{pw}</Pass><Logontype>1</Logontype><Name>Web server</Name>
      <RemoteDir>1 0 3 var 3 www</RemoteDir></Server>
  </Folder>
  <Server><Host>ftp.example.test</Host><Port>21</Port><Protocol>0</Protocol><User>anonymous</User>
    <Logontype>0</Logontype><Name>Public FTP</Name></Server>
</Servers></FileZilla3>
"""


def _dialog(files_tab: FilesTab) -> SiteManagerDialog:
    files_tab.site_manager_action.trigger()
    dlg = files_tab._site_manager
    assert dlg is not None and dlg.isVisible()
    return dlg


def test_new_site_with_every_setting_and_password_in_keyring(
    qtbot: QtBot, files_tab: FilesTab, keyring_service: KeyringService
) -> None:
    dlg = _dialog(files_tab)
    qtbot.mouseClick(dlg.new_site_button, Qt.MouseButton.LeftButton)
    dlg.name.setText("Shop")
    dlg.folder.setCurrentText("Clients/Acme")
    dlg.protocol.setCurrentIndex(dlg.protocol.findData("ftps"))
    dlg.host.setText("ftp.acme.test")
    dlg.port.setValue(2121)
    dlg.user.setText("shop")
    dlg.auth.setCurrentIndex(dlg.auth.findData("password"))
    dlg.password.setText("s3cret-shop")
    dlg.local_dir.setText("/srv/shop")
    dlg.remote_dir.setText("/www")
    dlg.mode.setCurrentIndex(dlg.mode.findData("binary"))
    dlg.passive.setChecked(False)
    dlg.encoding.setCurrentText("cp1252")
    dlg.connections.setValue(4)
    dlg.public_url.setText("https://shop.acme.test/files/")
    dlg.comment.setText("the shop")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    [site] = files_tab.backend.sites()
    assert (site.name, site.folder, site.protocol, site.host, site.port, site.user) == (
        "Shop", "Clients/Acme", "ftps", "ftp.acme.test", 2121, "shop"
    )  # fmt: skip
    assert (site.local_dir, site.remote_dir, site.passive, site.encoding, site.max_connections, site.comment) == (
        "/srv/shop", "/www", False, "cp1252", 4, "the shop"
    )  # fmt: skip
    assert files_tab.backend.site_settings(site) == {
        "public_url_prefix": "https://shop.acme.test/files/",
        "transfer_mode": "binary",
    }
    assert keyring.get_password(SERVICE, site_secret_key(site)) == "s3cret-shop"
    for path in files_tab.backend.paths.config.iterdir():
        if path.is_file():
            assert b"s3cret-shop" not in path.read_bytes(), path  # the password is nowhere but the keyring
    target = files_tab.backend.target_for_site(site)
    assert target.public_url("/www/a b.zip") == "https://shop.acme.test/files/a%20b.zip"
    assert target.url_for("/www/x") == "ftps://shop@ftp.acme.test:2121/www/x"

    # duplicate, rename, delete
    copy = dlg.duplicate()
    assert copy is not None and copy.name == "Shop (2)"
    assert keyring.get_password(SERVICE, site_secret_key(copy)) == "s3cret-shop"
    dlg.rename_current("Shop staging")
    assert {s.name for s in files_tab.backend.sites()} == {"Shop", "Shop staging"}
    dlg.select_site("Shop staging")
    dlg.delete_current(confirm=False)
    assert [s.name for s in files_tab.backend.sites()] == ["Shop"]
    dlg.close()


def test_imports(qtbot: QtBot, files_tab: FilesTab, tmp_path: Path, keyring_service: KeyringService) -> None:
    xml = tmp_path / "sitemanager.xml"
    xml.write_text(FILEZILLA_XML.format(pw=base64.b64encode(b"bob-pw").decode()))
    ssh_config = tmp_path / "config"
    ssh_config.write_text(
        "Host backup\n  HostName 127.0.0.1\n  User root\n  Port 2200\n\nHost *\n  ServerAliveInterval 5\n"
    )
    dlg = _dialog(files_tab)
    dlg.import_filezilla_file(xml)
    assert "2" in dlg.status.text()
    dlg.import_ssh_config_file(ssh_config)
    sites = {s.name: s for s in files_tab.backend.sites()}
    assert set(sites) == {"Web server", "Public FTP", "backup"}
    web = sites["Web server"]
    assert (web.protocol, web.port, web.folder, web.remote_dir) == ("sftp", 2222, "Work", "/var/www")
    assert keyring.get_password(SERVICE, site_secret_key(web)) == "bob-pw"
    assert sites["backup"].protocol == "sftp"
    names = [dlg.tree.topLevelItem(i).text(0) for i in range(dlg.tree.topLevelItemCount())]
    assert "Work" in names
    dlg.close()


def test_connect_from_the_site_manager_with_the_keyring_password(
    qtbot: QtBot, files_tab: FilesTab, ftp_server: FtpServer, ftp_user: FtpUser, keyring_service: KeyringService
) -> None:
    (ftp_user.home / "x.txt").write_text("x")
    site = Site("Local FTP", "ftp", ftp_server.host, ftp_server.port, ftp_user.name, remote_dir="/")
    files_tab.backend.save_site(site, password=ftp_user.password)
    dlg = _dialog(files_tab)
    assert dlg.select_site("Local FTP")
    qtbot.mouseClick(dlg.connect_tab_button, Qt.MouseButton.LeftButton)
    tab = files_tab.current_tab()
    assert tab is not None and tab.target.site_id == site.id
    wait_ready(qtbot, tab.pane, "/")
    assert [e.name for e in tab.pane.model.entries()] == ["x.txt"]
    # a second tab on the same site
    qtbot.mouseClick(dlg.connect_tab_button, Qt.MouseButton.LeftButton)
    assert files_tab.remote_tabs.count() == 2
    dlg.close()
