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


# Run as a child subreaper, so that whatever the demo starts and leaves behind (even daemons that detach)
# becomes this supervisor's child and can be counted.
_SUPERVISOR = r"""
import ctypes, glob, json, os, select, signal, subprocess, sys, tempfile, time

libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
with_app, sig = sys.argv[1] == "app", int(sys.argv[2])
runtime = os.environ.get("XDG_RUNTIME_DIR") or os.path.join(tempfile.gettempdir(), f"quay-{os.getuid()}")
os.makedirs(runtime, mode=0o700, exist_ok=True)
sockets_before = set(glob.glob(os.path.join(runtime, "quay-*.sock")))
cmd = [sys.executable, "-m", "scripts.demo"] + ([] if with_app else ["--no-app"])
demo = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)

def descendants():
    parent = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = open(stat).read()
        except OSError:
            continue
        pid = int(text.split(" ", 1)[0])
        fields = text.rsplit(")", 1)[1].split()
        parent[pid] = (int(fields[1]), fields[0])
    me, out = os.getpid(), []
    for pid, (ppid, state) in parent.items():
        p = pid
        while p in parent and parent[p][0] not in (0, 1):
            if parent[p][0] == me:
                if state != "Z":
                    try:
                        out.append(open(f"/proc/{pid}/cmdline").read().replace("\0", " ").strip())
                    except OSError:
                        pass
                break
            p = parent[p][0]
    return sorted(out)

data_dir = ""
for line in demo.stdout:
    if "demo ready" in line:
        data_dir = line.rsplit("data dir ", 1)[1].strip()
        break
# The app is up once it listens for other launches: wait for its socket to appear (inotify on the
# runtime folder: IN_CREATE | IN_MOVED_TO), not by sleeping.
watch = libc.inotify_init1(os.O_NONBLOCK)
assert watch >= 0 and libc.inotify_add_watch(watch, runtime.encode(), 0x100 | 0x80) >= 0
deadline = time.monotonic() + 90
while with_app and not set(glob.glob(os.path.join(runtime, "quay-*.sock"))) - sockets_before:
    remaining = deadline - time.monotonic()
    if remaining <= 0 or not select.select([watch], [], [], remaining)[0]:
        break
    os.read(watch, 65536)
os.close(watch)
before = descendants()
demo.send_signal(sig)
rc = demo.wait(timeout=120)
demo.stdout.read()
left = descendants()

class Late(Exception):
    pass

def late(*_args):
    raise Late

# Orphans that are already exiting are our children now (subreaper): reap them as they exit, for at
# most 10 s (the alarm interrupts the wait), instead of sleeping and looking again.
signal.signal(signal.SIGALRM, late)
signal.setitimer(signal.ITIMER_REAL, 10)
try:
    while left:
        os.waitpid(-1, 0)
        left = descendants()
except (Late, ChildProcessError):
    pass
signal.setitimer(signal.ITIMER_REAL, 0)
left = descendants()
while True:
    try:
        if os.waitpid(-1, os.WNOHANG) == (0, 0):
            break
    except ChildProcessError:
        break
print(json.dumps({"rc": rc, "before": before, "left": left, "data_dir": data_dir}))
"""


@pytest.mark.slow
@pytest.mark.skipif(not is_root(), reason="the demo's sshd and mail users need root here")
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts processes through /proc")
@pytest.mark.parametrize(("mode", "signame"), [("app", "SIGTERM"), ("no-app", "SIGHUP")])
def test_demo_stops_every_server_on_sigterm_and_sighup(mode: str, signame: str) -> None:
    sig = int(getattr(__import__("signal"), signame))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    r = subprocess.run(
        [sys.executable, "-c", _SUPERVISOR, mode, str(sig)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout.strip().splitlines()[-1])
    started = " ".join(report["before"])
    # sshd too when it could start (the demo runs without SFTP otherwise); `left` covers it either way.
    for server in ("dovecot", "ftp_runner", "dbus-daemon", "gnome-keyring-daemon"):
        assert server in started, f"{server} was not running before the signal: {report['before']}"
    if mode == "app":
        assert "-m app --data-dir" in started
    assert report["rc"] == 128 + sig
    assert report["left"] == [], f"left running after {signame}: {report['left']}"
    assert not Path(report["data_dir"]).parent.exists(), "the demo's temp dir was not removed"
