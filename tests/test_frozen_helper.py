"""In a frozen build the IMAP sync's helper process is the app's own executable: both entry points run it.

We cannot freeze in a test, so a driver process pretends to be frozen (``sys.frozen``, and
``sys.executable`` = a launcher that starts the entry point): multiprocessing then starts the
helper (and its resource tracker) through that entry point, exactly as a PyInstaller build
does. Without the entry point's ``freeze_support()`` the child would start the GUI instead and
the batch would never come back.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_DRIVER = r"""
import multiprocessing, os, sys
launcher = sys.argv[1]
sys.frozen = True
sys.executable = launcher
multiprocessing.set_executable(launcher)
from app.core.mail.imap import sync

block = b"Subject: frozen\r\nFrom: a@b.test\r\n\r\n"
chunk = (
    b'* 1 FETCH (UID 41 FLAGS (\\Seen) INTERNALDATE "23-Nov-2026 05:53:31 +0000" RFC822.SIZE 42 '
    b"BODY[HEADER.FIELDS (SUBJECT FROM)] {%d}\r\n%s)\r\n" % (len(block), block)
)
pool = sync._parse_pool()
assert pool is not None
try:
    rows, flags, others = pool.submit(sync.parse_fetch_chunk, 1, chunk).result(timeout=60)
    child = pool.submit(os.getpid).result(timeout=60)
finally:
    pool.shutdown()
assert child != os.getpid()
print("uids", [r[1] for r in rows])
"""


@pytest.mark.parametrize("entry", [["-m", "app"], [str(ROOT / "packaging" / "quay_entry.py")]])
def test_sync_helper_process_starts_through_the_entry_point(entry: list[str], tmp_path: Path) -> None:
    launcher = tmp_path / "quay"
    args = " ".join(f"'{a}'" for a in entry)
    launcher.write_text(f"#!/bin/sh\nexec '{sys.executable}' {args} \"$@\"\n")
    launcher.chmod(0o755)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    r = subprocess.run(
        [sys.executable, "-c", _DRIVER, str(launcher)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "uids [41]" in r.stdout
