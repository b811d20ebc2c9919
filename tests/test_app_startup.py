"""The app starts from the command line: --version, --screenshot (offscreen by itself, of the window or a
dialog), --self-test, and a corrupt settings file that is reported and set aside."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[1]


def _run(
    *args: str, env_extra: dict[str, str] | None = None, offscreen: bool = True
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if not offscreen:  # what a user's shell on a machine without a display has
        env.pop("QT_QPA_PLATFORM")
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )


def test_version() -> None:
    r = _run("--version")
    assert r.returncode == 0
    assert r.stdout.strip().startswith("Quay ")


def test_screenshot_of_main_window(tmp_path: Path) -> None:
    png = tmp_path / "main.png"
    r = _run("--data-dir", str(tmp_path / "d"), "--screenshot", str(png))
    assert r.returncode == 0, r.stderr
    img = QImage(str(png))
    assert not img.isNull()
    assert img.width() >= 600 and img.height() >= 400
    # settings landed in the data dir, not in the user's home
    assert (tmp_path / "d" / "config" / "settings.json").exists()


def test_screenshot_in_vietnamese_and_files_tab(tmp_path: Path) -> None:
    png = tmp_path / "vi.png"
    r = _run("--data-dir", str(tmp_path / "d"), "--language", "vi", "--tab", "files", "--screenshot", str(png))
    assert r.returncode == 0, r.stderr
    assert not QImage(str(png)).isNull()


def test_screenshot_selects_offscreen_by_itself_and_pictures_a_dialog(tmp_path: Path) -> None:
    png = tmp_path / "settings.png"
    r = _run("--data-dir", str(tmp_path / "d"), "--screenshot", str(png), "--dialog", "settings", offscreen=False)
    assert r.returncode == 0, r.stderr
    img = QImage(str(png))
    assert 600 <= img.width() < 1100  # the dialog, not the main window
    r = _run("--data-dir", str(tmp_path / "d"), "--screenshot", str(png), "--dialog", "nonesuch")
    assert r.returncode == 2 and "settings" in r.stderr


def test_corrupt_settings_are_reported_and_set_aside(tmp_path: Path) -> None:
    config = tmp_path / "d" / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text("{not json")
    (config / "accounts.json").write_text('{"accounts": []}')
    r = _run("--data-dir", str(tmp_path / "d"), "--screenshot", str(tmp_path / "x.png"))
    assert r.returncode == 0, r.stderr
    assert "could not be read" in r.stderr
    assert (config / "settings.json.corrupt").read_text() == "{not json"
    assert (config / "accounts.json").read_text() == '{"accounts": []}'


def test_self_test_passes_from_the_source_tree() -> None:
    r = _run("--self-test", offscreen=False)
    assert r.returncode == 0, r.stdout + r.stderr
    for step in ("imports", "translations", "main window", "mail cache", "sync helper", "keyring", "QtWebEngine"):
        assert f"ok: {step}:" in r.stdout
    assert r.stdout.rstrip().endswith("self-test ok")
