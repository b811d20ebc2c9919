"""The app starts from the command line: --version, and --screenshot writes a PNG of both tabs' window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
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
    assert (tmp_path / "d" / "config" / "quay.ini").exists()


def test_screenshot_in_vietnamese_and_files_tab(tmp_path: Path) -> None:
    png = tmp_path / "vi.png"
    r = _run("--data-dir", str(tmp_path / "d"), "--language", "vi", "--tab", "files", "--screenshot", str(png))
    assert r.returncode == 0, r.stderr
    assert not QImage(str(png)).isNull()
