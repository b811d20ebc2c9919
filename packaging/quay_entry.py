"""Entry script of the frozen app (PyInstaller): the GUI, or ``--self-test`` (see app/ui/self_test.py).

``freeze_support`` must run first: the sync helper process (multiprocessing, spawn) starts this
same executable, which must then act as the helper rather than open a window.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from app.__main__ import main

    sys.exit(main())
