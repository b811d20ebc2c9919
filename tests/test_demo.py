"""``./scripts/run --demo`` brings up the real servers with seeded data and opens the app on the demo profile."""

from __future__ import annotations

import imaplib
import json
import os
import re
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers.common import is_root

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not is_root(), reason="the demo's sshd and mail users need root here")
def test_demo_seeds_servers_and_opens_app(tmp_path: Path) -> None:
    png = tmp_path / "demo.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run(
        [sys.executable, "-m", "scripts.demo", "--keep", "--screenshot", str(png)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert png.stat().st_size > 1000
    m = re.search(r"demo ready in [\d.]+s: (\d+) messages, data dir (\S+)", r.stdout)
    assert m, r.stdout
    assert int(m.group(1)) >= 300
    kept = Path(re.search(r"kept (\S+)", r.stdout).group(1))  # type: ignore[union-attr]
    try:
        config = Path(m.group(2)) / "config"
        accounts = json.loads((config / "accounts.json").read_text())["accounts"]
        sites = json.loads((config / "sites.json").read_text())["sites"]
        assert {a["kind"] for a in accounts} == {"imap", "pop3", "smtp"}
        assert {(s["kind"], s["security"]) for s in sites} >= {("ftp", "starttls")}
        imap = next(a for a in accounts if a["kind"] == "imap")
        assert imap["smtp_account"] in {f"smtp:{a['username']}@{a['host']}:{a['port']}" for a in accounts}
        for f in config.iterdir():
            assert b"demo-password" not in f.read_bytes()  # secrets live in the keyring only
        pins = json.loads((Path(m.group(2)) / "config" / "certificate-pins.json").read_text())
        assert pins
        # The servers were stopped when the app exited.
        port = next(a["port"] for a in accounts if a["kind"] == "imap")
        ctx = ssl.create_default_context(cafile=str(kept / "tls" / "ca.pem"))
        with pytest.raises(OSError):
            imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=ctx, timeout=3)
    finally:
        import shutil

        shutil.rmtree(kept, ignore_errors=True)
