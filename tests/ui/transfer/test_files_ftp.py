"""The Files tab against the real FTP/FTPS server: certificate prompt, conflicts, pause/resume, a server that dies."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from pytestqt.qtbot import QtBot

from app.core.transfer.queue import JobState
from app.ui.dialogs.trust import CertificateDialog
from app.ui.i18n import Translations
from app.ui.transfer.files_tab import ConnectionTab, FilesTab
from app.ui.transfer.prompts import ConflictDialog
from app.ui.transfer.queue_model import QueueModel
from tests.servers.ftp import FtpServer, FtpUser
from tests.ui.transfer.conftest import drop, sha, wait_prompt, wait_ready


def quick_connect_ftp(
    qtbot: QtBot, tab: FilesTab, server: FtpServer, user: FtpUser, protocol: str = "ftp"
) -> ConnectionTab:
    bar = tab.quick
    bar.protocol.setCurrentIndex(bar.protocol.findData(protocol))
    bar.host.setText(server.host)
    bar.port.setValue(server.ftps_port if protocol == "ftps" else server.port)
    bar.user.setText(user.name)
    bar.password.setText(user.password)
    qtbot.mouseClick(bar.connect_button, Qt.MouseButton.LeftButton)
    conn = tab.current_tab()
    assert conn is not None
    return conn


def _bottom(view) -> QPoint:  # type: ignore[no-untyped-def]
    vp = view.viewport()
    return QPoint(vp.width() // 2, vp.height() - 5)


def _select_job(tab: FilesTab, job_id: int) -> None:
    model = tab.queue.model
    row = model.visible_ids().index(job_id)
    sel = tab.queue.view.selectionModel()
    sel.clearSelection()
    sel.select(model.index(row, 0), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)


def test_ftps_certificate_prompt_then_browse(
    qtbot: QtBot, files_tab: FilesTab, ftp_server: FtpServer, ftp_user: FtpUser
) -> None:
    (ftp_user.home / "hello.txt").write_text("hello")
    conn = quick_connect_ftp(qtbot, files_tab, ftp_server, ftp_user, "ftps")
    dlg = wait_prompt(qtbot, files_tab, CertificateDialog)
    assert isinstance(dlg, CertificateDialog) and dlg.cancel_button.isDefault()
    qtbot.mouseClick(dlg.trust_button, Qt.MouseButton.LeftButton)
    wait_ready(qtbot, conn.pane, "/")
    assert [e.name for e in conn.pane.model.entries()] == ["hello.txt"]
    assert files_tab.backend.pins.get(ftp_server.host, ftp_server.ftps_port)
    # the address went into the quick-connect history, without the password
    history = files_tab.quick.history()
    assert history[0] == f"ftps://{ftp_user.name}@{ftp_server.host}:{ftp_server.ftps_port}"
    assert all(ftp_user.password not in h for h in history)


def test_conflict_skip_for_all(
    qtbot: QtBot, files_tab: FilesTab, ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path
) -> None:
    local = tmp_path / "local"
    local.mkdir()
    for i in range(3):
        (ftp_user.home / f"f{i}.txt").write_text(f"server {i}")
        (local / f"f{i}.txt").write_text(f"local version {i}")
    conn = quick_connect_ftp(qtbot, files_tab, ftp_server, ftp_user)
    wait_ready(qtbot, conn.pane, "/")
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(local / f"f{i}.txt")) for i in range(3)])
    assert drop(conn.pane.list.viewport(), md, _bottom(conn.pane.list))
    dlg = wait_prompt(qtbot, files_tab, ConflictDialog)
    assert isinstance(dlg, ConflictDialog)
    first = dlg
    dlg.buttons[dlg.CHOICES[-1]].setChecked(True)  # skip
    dlg.apply_all.setChecked(True)
    dlg.accept()
    model = files_tab.queue.model
    qtbot.waitUntil(
        lambda: len(model.jobs()) == 3 and all(r.state == JobState.SKIPPED for r in model.jobs()), timeout=20000
    )
    assert files_tab.prompt is first  # asked once, for all three
    for i in range(3):
        assert (ftp_user.home / f"f{i}.txt").read_text() == f"server {i}"


def test_pause_and_resume_a_200_mb_upload(
    qtbot: QtBot, files_tab: FilesTab, ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path
) -> None:
    big = tmp_path / "big.bin"
    with open(big, "wb") as f:
        block = os.urandom(1 << 20)
        for i in range(200):
            f.write(i.to_bytes(4, "little") + block[4:])
    conn = quick_connect_ftp(qtbot, files_tab, ftp_server, ftp_user)
    wait_ready(qtbot, conn.pane, "/")
    files_tab.queue.set_speed_limit_kib(40 * 1024)  # 40 MiB/s: long enough to pause in the middle
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(big))])
    assert drop(conn.pane.list.viewport(), md, _bottom(conn.pane.list))
    model = files_tab.queue.model
    qtbot.waitUntil(lambda: len(model.jobs()) == 1 and model.jobs()[0].done > 10 << 20, timeout=30000)
    job = model.jobs()[0]
    files_tab.queue.show_group("running")
    _select_job(files_tab, job.id)
    assert files_tab.queue.pause_action.isEnabled()
    qtbot.mouseClick(files_tab.queue.buttons["pause"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job.state == JobState.PAUSED, timeout=20000)
    partial = (ftp_user.home / "big.bin").stat().st_size
    assert 0 < partial < 200 << 20
    files_tab.queue.show_group("queued")
    assert model.data(model.index(0, QueueModel.STATE)) == "Paused"
    _select_job(files_tab, job.id)
    files_tab.queue.set_speed_limit_kib(0)
    qtbot.mouseClick(files_tab.queue.buttons["resume"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job.state == JobState.DONE, timeout=60000)
    assert sha(ftp_user.home / "big.bin") == sha(big)


def test_server_dies_mid_transfer_then_retry(
    qtbot: QtBot,
    files_tab: FilesTab,
    ftp_server: FtpServer,
    ftp_user: FtpUser,
    tmp_path: Path,
    translations: Translations,
) -> None:
    data = os.urandom(60 << 20)
    (ftp_user.home / "movie.bin").write_bytes(data)
    target = tmp_path / "down"
    target.mkdir()
    files_tab.local.set_path(str(target))
    conn = quick_connect_ftp(qtbot, files_tab, ftp_server, ftp_user)
    wait_ready(qtbot, conn.pane, "/")
    files_tab.queue.set_speed_limit_kib(8 * 1024)
    conn.pane.list.setFocus()
    conn.pane.select_names(["movie.bin"])
    files_tab.download_action.trigger()
    model = files_tab.queue.model
    qtbot.waitUntil(lambda: len(model.jobs()) == 1 and model.jobs()[0].done > 2 << 20, timeout=30000)
    job = model.jobs()[0]
    ftp_server.kill()
    try:
        qtbot.waitUntil(lambda: job.state == JobState.FAILED, timeout=30000)
        files_tab.queue.show_group("failed")
        english = model.data(model.index(0, QueueModel.STATE))
        assert english == "The connection to the server was lost. Retry when the server is back."
        translations.apply("vi")
        vietnamese = model.data(model.index(0, QueueModel.STATE))
        assert vietnamese != english and "máy chủ" in vietnamese
        translations.apply("en")
    finally:
        ftp_server.start()
    files_tab.queue.set_speed_limit_kib(0)
    _select_job(files_tab, job.id)
    qtbot.mouseClick(files_tab.queue.buttons["retry"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job.state == JobState.DONE, timeout=60000)
    assert sha(target / "movie.bin") == sha(ftp_user.home / "movie.bin")
    assert not (target / "movie.bin.part").exists()
