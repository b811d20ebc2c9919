"""The Site Manager: every per-site setting, folders, duplicate/rename/delete, imports, keyring, connect."""

from __future__ import annotations

import base64
from pathlib import Path

import keyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.core.secrets import SERVICE
from app.core.transfer.sites import Site, site_secret_key
from app.core.urls import Security
from app.ui.transfer.files_tab import FilesTab
from app.ui.transfer.remote_model import ListingState
from app.ui.transfer.site_manager import SiteManagerDialog
from tests.servers.ftp import FtpServer, FtpUser
from tests.servers.keyring_service import KeyringService
from tests.ui.transfer.conftest import allow_plaintext, wait_prompt, wait_ready

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
    assert files_tab.backend.sites() == [] and dlg.form_widget.isEnabled()  # saved on Save, not before
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert files_tab.backend.sites() == [] and dlg.status.text() == "A site needs a host name."
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
    assert (site.name, site.folder, site.kind, site.security, site.host, site.port, site.user) == (
        "Shop", "Clients/Acme", "ftp", Security.STARTTLS, "ftp.acme.test", 2121, "shop"
    )  # fmt: skip
    assert (site.local_dir, site.remote_dir, site.passive, site.encoding, site.max_connections, site.comment) == (
        "/srv/shop", "/www", False, "cp1252", 4, "the shop"
    )  # fmt: skip
    assert (site.public_url_prefix, site.transfer_mode) == ("https://shop.acme.test/files/", "binary")
    assert not (files_tab.backend.paths.config / "site-extras.json").exists()  # fields of the site now
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
    assert (web.kind, web.port, web.folder, web.remote_dir) == ("sftp", 2222, "Work", "/var/www")
    assert keyring.get_password(SERVICE, site_secret_key(web)) == "bob-pw"
    assert sites["backup"].kind == "sftp"
    assert sites["Public FTP"].security == Security.STARTTLS  # FileZilla's "TLS if available": required here
    names = [dlg.tree.topLevelItem(i).text(0) for i in range(dlg.tree.topLevelItemCount())]
    assert "Work" in names
    dlg.close()


def test_connect_from_the_site_manager_with_the_keyring_password(
    qtbot: QtBot, files_tab: FilesTab, ftp_server: FtpServer, ftp_user: FtpUser, keyring_service: KeyringService
) -> None:
    """A saved plain-FTP site: asked once about the unencrypted password, the answer kept with the site."""
    (ftp_user.home / "x.txt").write_text("x")
    site = Site(
        "Local FTP", "ftp", ftp_server.host, ftp_server.port, ftp_user.name, remote_dir="/", security=Security.NONE
    )
    files_tab.backend.save_site(site, password=ftp_user.password)
    dlg = _dialog(files_tab)
    assert dlg.select_site("Local FTP")
    assert not dlg.plaintext.isChecked() and dlg.plaintext.isEnabled()
    # First the user says no: nothing is sent, the tab says why.
    qtbot.mouseClick(dlg.connect_tab_button, Qt.MouseButton.LeftButton)
    box = wait_prompt(qtbot, files_tab, QMessageBox)
    assert box.objectName() == "plaintext-consent"
    assert isinstance(box, QMessageBox) and box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert "unencrypted" in box.text() + box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    tab = files_tab.current_tab()
    assert tab is not None and tab.target.site_id == site.id
    qtbot.waitUntil(lambda: tab.pane.model.state == ListingState.FAILED)
    assert "unencrypted" in tab.pane.model.message
    assert not files_tab.backend.site(site.id).allow_plaintext  # type: ignore[union-attr]
    # Then yes: connected, and the consent is saved with the site (not asked again).
    qtbot.mouseClick(dlg.connect_tab_button, Qt.MouseButton.LeftButton)
    allow_plaintext(qtbot, files_tab)
    tab = files_tab.current_tab()
    assert tab is not None
    wait_ready(qtbot, tab.pane, "/")
    assert [e.name for e in tab.pane.model.entries()] == ["x.txt"]
    files_tab.backend.reload_sites()
    assert files_tab.backend.site(site.id).allow_plaintext  # type: ignore[union-attr]
    asked = files_tab.prompt
    # a third tab on the same site connects without asking
    qtbot.mouseClick(dlg.connect_tab_button, Qt.MouseButton.LeftButton)
    third = files_tab.current_tab()
    assert third is not None and files_tab.remote_tabs.count() == 3
    wait_ready(qtbot, third.pane, "/")
    assert files_tab.prompt is asked
    dlg.select_site("Local FTP")
    assert dlg.plaintext.isChecked()
    dlg.close()
