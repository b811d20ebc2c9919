"""PySide6 6.12's ``emit()`` drops a reference to ``True`` each call; the work-around keeps the process alive."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    ping = Signal(object)


def test_many_emits_do_not_exhaust_true(qtbot: QtBot) -> None:
    import app.ui  # noqa: F401  (applies the work-around, as every GUI entry point does)

    e = _Emitter()
    got: list[object] = []
    e.ping.connect(got.append)
    before = sys.getrefcount(True)
    for i in range(20000):  # far more than True's natural reference count
        e.ping.emit(i)
    assert len(got) == 20000
    assert sys.getrefcount(True) > 1 << 20 or sys.getrefcount(True) >= before
