"""Work-arounds for bugs in the PySide6 we ship with; each says what breaks and how to tell it is fixed.

PySide6 6.12.0, ``SignalInstance.emit()`` returns ``True`` without taking a reference to it, so
every ``emit()`` of a signal declared in Python (``Signal(...)`` on a ``QObject`` subclass) lowers
``True``'s reference count by one when the return value is dropped.  On Python 3.11, where ``True``
is not immortal, the process aborts with "Fatal Python error: bool_dealloc" after a few thousand
emissions (every finished ``Task`` emits, every queue tick emits...).  Check: in a loop of
``SignalInstance.emit()`` calls ``sys.getrefcount(True)`` must stay put.

The remedy makes ``True`` and ``False`` as good as immortal -- what Python 3.12 does for them anyway:
their reference counts get a head start no process can use up.  It is harmless once PySide6 is
fixed.
"""

from __future__ import annotations

import ctypes
import sys

_HEAD_START = 1 << 40
_applied = False


def make_bools_immortal() -> None:
    """Give ``True`` and ``False`` reference counts that ``emit()``'s missing reference cannot exhaust."""
    global _applied
    if _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return  # 3.12+: True and False are immortal already
    for obj in (True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += _HEAD_START
    _applied = True
