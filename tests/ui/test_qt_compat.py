"""The binding's reference leak on True/None (app/ui/qt_compat.py) cannot abort a long session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_MANY_SIGNALS = """
import app.ui  # applies the work-around
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QPushButton
app = QApplication(["x", "-platform", "offscreen"])
class Source(QObject):
    fired = Signal(bool)
source, button, seen = Source(), QPushButton(), []
source.fired.connect(lambda flag: seen.append(flag))
button.clicked.connect(lambda: seen.append(None))
for _ in range(50_000):
    source.fired.emit(True)
    button.click()
print(len(seen))
"""


def test_fifty_thousand_signals_and_a_clean_exit() -> None:
    r = subprocess.run(
        [sys.executable, "-c", _MANY_SIGNALS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "100000"
