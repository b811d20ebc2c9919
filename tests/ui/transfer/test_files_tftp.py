"""TFTP in the Files tab: no folder listing, so the remote side is a file name to get or put (real tftpd-hpa)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.transfer.queue import JobState
from app.ui.transfer.files_tab import FilesTab
from tests.servers.tftp import TftpServer


def test_tftp_gets_and_puts_files_by_name(
    qtbot: QtBot, files_tab: FilesTab, tftp_server: TftpServer, tmp_path: Path
) -> None:
    local = tmp_path / "l"
    local.mkdir()
    data = os.urandom(70_000)
    name = f"boot-{time.monotonic_ns()}.img"
    (local / name).write_bytes(data)
    files_tab.local.set_path(str(local))
    bar = files_tab.quick
    bar.protocol.setCurrentIndex(bar.protocol.findData("tftp"))
    bar.host.setText(tftp_server.host)
    bar.port.setValue(tftp_server.port)
    qtbot.mouseClick(bar.connect_button, Qt.MouseButton.LeftButton)  # no user, no password, no consent to give
    tab = files_tab.current_tab()
    assert tab is not None
    pane = tab.pane
    qtbot.waitUntil(lambda: tab.connected and pane.by_name, timeout=20000)
    assert pane.name_mode.isVisible() and not pane.tree.isVisible() and not pane.path_edit.isVisible()
    assert "TFTP has no folder listing" in pane.name_help.text()
    assert not pane.get_button.isEnabled()  # nothing to get before a name is typed

    # Put: the local file selected on the left, under the name typed.
    qtbot.waitUntil(lambda: files_tab.local.fs.index(str(local / name)).isValid())
    files_tab.local.select_names([name])
    qtbot.keyClicks(pane.name_edit, "up-" + name)
    qtbot.mouseClick(pane.put_button, Qt.MouseButton.LeftButton)
    model = files_tab.queue.model
    qtbot.waitUntil(lambda: any(r.state == JobState.DONE for r in model.jobs()), timeout=30000)
    assert (tftp_server.root / ("up-" + name)).read_bytes() == data

    # Get: by name, into the local folder (Return in the name field, like the Get button).
    (tftp_server.root / "pxe.cfg").write_bytes(b"default linux\n")
    pane.name_edit.clear()
    qtbot.keyClicks(pane.name_edit, "pxe.cfg")
    assert pane.get_button.isEnabled()
    qtbot.keyClick(pane.name_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: (local / "pxe.cfg").is_file(), timeout=30000)
    assert (local / "pxe.cfg").read_bytes() == b"default linux\n"

    # A name the server does not have fails with the server's answer, translated by its kind.
    pane.name_edit.clear()
    qtbot.keyClicks(pane.name_edit, "missing.bin")
    qtbot.mouseClick(pane.get_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(r.state == JobState.FAILED for r in model.jobs()), timeout=30000)
    failed = next(r for r in model.jobs() if r.state == JobState.FAILED)
    assert failed.error_kind and not (local / "missing.bin").exists()
