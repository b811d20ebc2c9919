"""PySide6 user interface. Only this package imports Qt."""

import sys

if sys.version_info < (3, 12):  # pragma: no branch
    # PySide6 6.12 (its abi3 wheel) releases a reference to None on every call of a method that returns
    # nothing (e.g. QAction.setEnabled, QApplication.processEvents), as if None were immortal, which it
    # is only from Python 3.12 on. On 3.11 a GUI session then dies with "none_dealloc: deallocating None"
    # after some ten thousand such calls (True/False likewise). Until the wheel is fixed or we require
    # 3.12, give the three singletons a reference count that cannot run out. Measured: 200,000
    # setEnabled() calls crash without this and run clean with it.
    import ctypes

    for _singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(_singleton)).value += 1 << 40
