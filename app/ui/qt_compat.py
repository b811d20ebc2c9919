"""Work-arounds for bugs of the Qt binding, applied once when ``app.ui`` is first imported.

PySide6 6.12 on CPython 3.11 drops a reference to ``True`` on every emission of a signal declared in
Python, and references to ``None`` when C++ signals reach Python slots (measured here: 100,000
emissions, 100,000 references gone). CPython 3.12 made ``True``, ``False`` and ``None`` immortal
(PEP 683), so there this costs nothing; on 3.11 the count reaches zero after some thousands of
signals and the interpreter aborts ("bool_dealloc: deallocating True or False"), in a long session
or at the end of a test run. Until the binding is fixed, give the three a reference count no run
can use up, which is what 3.12 does for them.
"""

from __future__ import annotations

import ctypes
import platform
import sys

_PINNED = False


def pin_singletons() -> None:
    """Make ``True``, ``False`` and ``None`` effectively immortal on CPython before 3.12 (once)."""
    global _PINNED
    if _PINNED or sys.version_info >= (3, 12) or platform.python_implementation() != "CPython":
        return
    for obj in (True, False, None):
        # ob_refcnt is the first field of every object in a release build of CPython.
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
    _PINNED = True
