"""One Quay per profile: a second launch (a real second process) hands its links and files to the first,
which emits them through the main window's hooks; a stale socket is taken over, a stuck instance is not."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.core.errors import BadUrl
from app.core.mailto import MailtoRequest
from app.core.paths import AppPaths
from app.core.urls import ParsedUrl, Security
from app.ui.application import accept_launches, classify_target, open_targets, parse_args
from app.ui.main_window import MainWindow
from app.ui.single_instance import (
    ABSENT,
    DELIVERED,
    NO_ANSWER,
    InstanceServer,
    claim_or_hand_over,
    hand_over,
    server_name,
)

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))


def _launch(paths: AppPaths, *args: str, cwd: Path | None = None) -> subprocess.Popen[str]:
    root = paths.config.parent
    return subprocess.Popen(
        [sys.executable, "-m", "app", "--data-dir", str(root), *args],
        cwd=cwd or ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def first(main_window: MainWindow, app_paths: AppPaths) -> Iterator[InstanceServer]:
    """This test process as the running instance of ``app_paths``, with the real main window."""
    server, outcome = claim_or_hand_over(app_paths, [], str(ROOT))
    assert server is not None and outcome == ABSENT
    accept_launches(server, main_window)
    yield server
    server.close()


def test_second_launch_hands_a_mailto_link_to_the_first_and_exits(
    qtbot, first: InstanceServer, main_window: MainWindow, app_paths: AppPaths
) -> None:  # type: ignore[no-untyped-def]
    link = (
        "mailto:an@example.test,binh@example.test?cc=hoang@example.test"
        "&subject=Ch%C3%A0o%20b%E1%BA%A1n&body=D%C3%B2ng%201%0D%0AD%C3%B2ng%202"
    )
    with qtbot.waitSignal(main_window.mailto_requested, timeout=30000) as got:
        second = _launch(app_paths, link)
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=30000)
    assert second.returncode == 0, second.stderr.read() if second.stderr else ""
    request = got.args[0]
    assert isinstance(request, MailtoRequest)
    assert request.to == ("an@example.test", "binh@example.test")
    assert request.cc == ("hoang@example.test",)
    assert request.subject == "Chào bạn"
    assert request.body == "Dòng 1\nDòng 2"


def test_second_launch_hands_an_sftp_url_and_files(
    qtbot, first: InstanceServer, main_window: MainWindow, app_paths: AppPaths, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    main_window.tabs.setCurrentIndex(0)
    with (
        qtbot.waitSignal(main_window.url_requested, timeout=30000) as url,
        qtbot.waitSignal(main_window.files_requested, timeout=30000) as files,
    ):
        second = _launch(app_paths, "sftp://bob@127.0.0.1:2222/srv/www", "report.pdf", cwd=tmp_path)
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=30000)
    assert second.returncode == 0
    parsed = url.args[0]
    assert isinstance(parsed, ParsedUrl)
    assert (parsed.kind, parsed.host, parsed.port, parsed.user, parsed.path) == (
        "sftp",
        "127.0.0.1",
        2222,
        "bob",
        "/srv/www",
    )
    assert files.args[0] == [tmp_path / "report.pdf"]
    assert main_window.tabs.currentIndex() == 1  # the Files tab is shown for an sftp link


def test_bad_items_are_named_to_the_user(qtbot, main_window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    refused = open_targets(main_window, ["https://example.org/", "mailto:nobody", "missing.txt"], str(tmp_path))
    assert refused == ["https://example.org/", "mailto:nobody", "missing.txt"]
    box = main_window.findChild(QMessageBox, "launch-problem")
    assert box is not None and box.isVisible()
    assert "https" in box.text() and "nobody" in box.text() and "missing.txt" in box.text()
    box.close()


def test_classify_targets(tmp_path: Path) -> None:
    (tmp_path / "a b.txt").write_text("x")
    assert classify_target("a b.txt", str(tmp_path)) == tmp_path / "a b.txt"
    assert classify_target((tmp_path / "a b.txt").as_uri(), "/") == tmp_path / "a b.txt"
    ftps = classify_target("ftps://alice@127.0.0.1/pub", "/")
    assert isinstance(ftps, ParsedUrl) and ftps.kind == "ftp" and ftps.security is Security.STARTTLS
    assert isinstance(classify_target("ftp://127.0.0.1", "/"), ParsedUrl)
    assert isinstance(classify_target("MAILTO:a@example.org", "/"), MailtoRequest)
    with pytest.raises(BadUrl):
        classify_target("imaps://127.0.0.1", "/")
    with pytest.raises(FileNotFoundError):
        classify_target("nothing-here", str(tmp_path))


def test_qt_options_are_not_taken_for_files() -> None:
    args = parse_args(["quay", "-platform", "offscreen", "-reverse", "--tab", "files", "mailto:a@example.org"])
    assert args.targets == ["mailto:a@example.org"] and args.tab == "files"


def test_stale_socket_of_a_crashed_instance_is_taken_over(qapp, app_paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    if sys.platform == "win32":
        pytest.skip("named pipes leave nothing behind")
    name = server_name(app_paths)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(name)  # bound, never listening: what a killed instance leaves
    stale.close()
    assert Path(name).exists()
    server, outcome = claim_or_hand_over(app_paths, [], "/")
    try:
        assert server is not None and outcome == ABSENT
        assert hand_over(name, ["--tab", "mail"], "/", timeout_ms=200) in (DELIVERED, NO_ANSWER)
    finally:
        if server is not None:
            server.close()


def test_a_stuck_instance_is_not_replaced(qapp, app_paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    if sys.platform == "win32":
        pytest.skip("Unix socket stand-in")
    name = server_name(app_paths)
    stuck = socket.socket(socket.AF_UNIX)
    stuck.bind(name)
    stuck.listen(1)  # accepts connections (the kernel does) but never answers
    try:
        assert hand_over(name, [], "/", timeout_ms=300) == NO_ANSWER
        server, outcome = claim_or_hand_over(app_paths, [], "/", timeout_ms=300)
        assert server is None and outcome == NO_ANSWER
    finally:
        stuck.close()
        os.unlink(name)


def test_two_real_instances_and_sigterm(qtbot, app_paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    """A first process keeps running while a second one hands over and exits; SIGTERM then closes the first
    the way its window's close button would (geometry saved)."""
    first = _launch(app_paths)
    name = server_name(app_paths)
    try:
        qtbot.waitUntil(lambda: Path(name).exists() or first.poll() is not None, timeout=60000)
        assert first.poll() is None, first.stderr.read() if first.stderr else ""
        second = _launch(app_paths, "mailto:a@example.org?subject=hi")
        assert second.wait(60) == 0
        assert first.poll() is None
        first.send_signal(signal.SIGTERM)
        assert first.wait(60) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert "window/geometry" in (app_paths.config / "settings.json").read_text()
    assert not Path(name).exists()
