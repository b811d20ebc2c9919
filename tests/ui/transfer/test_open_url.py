"""``quay sftp://user@host/path`` in a second process: the running Quay shows a connected Files tab there,
after asking for what it lacks (the unknown host key, the password)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.paths import AppPaths
from app.core.secrets import SecretStore, secret_key
from app.core.urls import parse_url
from app.ui.application import accept_launches
from app.ui.dialogs.trust import UnknownHostKeyDialog
from app.ui.main_window import MainWindow
from app.ui.single_instance import ABSENT, InstanceServer, claim_or_hand_over
from app.ui.transfer.prompts import SecretDialog
from tests.servers.sshd import SshdServer
from tests.ui.transfer.conftest import give_to, wait_prompt, wait_ready

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def first(main_window: MainWindow, app_paths: AppPaths) -> Iterator[InstanceServer]:
    """This test process as the running instance of ``app_paths``, with the real main window."""
    server, outcome = claim_or_hand_over(app_paths, [], str(ROOT))
    assert server is not None and outcome == ABSENT
    accept_launches(server, main_window)
    yield server
    server.close()
    main_window.files_pane.shutdown()


def test_a_second_launch_with_an_sftp_link_opens_a_connected_files_tab(
    qtbot: QtBot, first: InstanceServer, main_window: MainWindow, app_paths: AppPaths, sshd_server: SshdServer
) -> None:
    home = sshd_server.home(sshd_server.password_user)
    folder = home / "site"
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text("<p>hi</p>")
    give_to(folder, sshd_server.password_user)
    # Another test of the session may have saved this user's password in the (session-wide) keyring.
    SecretStore().delete(secret_key("sftp", sshd_server.password_user, sshd_server.host, sshd_server.port))
    main_window.tabs.setCurrentIndex(0)  # the Mail tab is in front when the link arrives
    link = f"sftp://{sshd_server.password_user}@{sshd_server.host}:{sshd_server.port}{folder}"
    files = main_window.files_pane
    second = subprocess.Popen(
        [sys.executable, "-m", "app", "--data-dir", str(app_paths.config.parent), link],
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The first instance asks about the server's key it has never seen...
        dlg = wait_prompt(qtbot, files, UnknownHostKeyDialog, timeout=60000)
        assert isinstance(dlg, UnknownHostKeyDialog)
        assert dlg.fingerprint_field.text() in sshd_server.host_key_fingerprints.values()
        qtbot.mouseClick(dlg.once_button, Qt.MouseButton.LeftButton)
        # ... then for the password the link does not carry (none is saved).
        secret = wait_prompt(qtbot, files, SecretDialog)
        assert isinstance(secret, SecretDialog) and secret.kind == "password"
        secret.remember.setChecked(False)
        qtbot.keyClicks(secret.field, sshd_server.password)
        secret.accept()
        assert second.wait(60) == 0, second.stderr.read() if second.stderr else ""
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()
    assert main_window.tabs.currentIndex() == 1  # the Files tab came to the front
    tab = files.current_tab()
    assert tab is not None and tab.target.user == sshd_server.password_user
    wait_ready(qtbot, tab.pane, str(folder))  # connected, in the link's folder
    assert tab.connected and [e.name for e in tab.pane.model.entries()] == ["index.html"]


def test_a_link_for_a_saved_site_uses_the_site(qtbot: QtBot, main_window: MainWindow, sshd_server: SshdServer) -> None:
    """The same server saved as a site: its settings (here, the key file) are used, not a bare quick connect."""
    from app.ui.transfer.backend import site_for

    files = main_window.files_pane
    files.backend.host_keys.user_files.append(sshd_server.known_hosts_path)
    site = site_for(
        "sftp",
        sshd_server.host,
        sshd_server.port,
        sshd_server.key_user,
        name="Key site",
        auth="key",
        key_file=str(sshd_server.client_key_path),
    )
    files.backend.save_site(site)
    home = str(sshd_server.home(sshd_server.key_user))
    tab = files.open_url(parse_url(f"sftp://{sshd_server.key_user}@{sshd_server.host}:{sshd_server.port}{home}"))
    try:
        assert tab is not None and tab.target.site_id == site.id and tab.target.key_file == site.key_file
        wait_ready(qtbot, tab.pane, home)
    finally:
        files.shutdown()
