"""``./scripts/run --demo``: real local servers, a seeded mailbox and file tree, and the app on a demo profile.

Starts Dovecot (IMAP/POP3/LMTP), aiosmtpd (SMTP), pyftpdlib (FTP/FTPS), OpenSSH
sshd (SFTP) and a private gnome-keyring, all on loopback in a temp dir; seeds a
few hundred messages in several folders (attachments, HTML, Vietnamese) and a
file tree; writes the accounts and sites of a demo profile with their passwords
in the private keyring; then runs the app on that profile. Ctrl-C, closing the
app, ``kill`` (SIGTERM) or closing the terminal (SIGHUP) stops everything: the
app first (it saves its state), then every server, then the temp dir goes.

    python -m scripts.demo [--screenshot FILE] [--keep] [APP ARGS...]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.servers.common import make_tls  # noqa: E402

DEMO_USER = "demo"
DEMO_PASSWORD = "demo-password"
FOLDERS = {"INBOX": 200, "Work": 60, "Thư mục": 30, "Archive": 40}

_PEOPLE = [
    ("Nguyễn Văn An", "an@example.test"),
    ("Trần Thị Bình", "binh@example.test"),
    ("Lê Hoàng", "hoang@example.test"),
    ("Alice Martin", "alice@example.test"),
    ("Bob Chen", "bob@example.test"),
    ("Phạm Minh Châu", "chau@example.test"),
]
_SUBJECTS = [
    "Báo cáo thực tập tuần {n}",
    "Lịch họp dự án IMAP {n}",
    "Quarterly numbers, draft {n}",
    "Re: Cấu hình máy chủ FTP {n}",
    "Photos from the trip ({n})",
    "Giao thức POP3 và IMAP: so sánh {n}",
    "Invoice #{n}",
]
_BODIES = [
    "Chào bạn,\n\nGửi bạn bản tóm tắt về giao thức IMAP: thư vẫn được giữ trên máy chủ và đồng bộ giữa các thiết bị.\n",
    "Hi,\n\nThe server moved to the new rack. FTP passive ports are 50000-50100 now.\n\nCheers\n",
    "Xin chào,\n\nCổng 993 dùng cho IMAP qua TLS, cổng 143 không mã hoá. Nhớ bật STARTTLS nhé.\n",
    "Hello,\n\nPlease find the figures attached. Let me know if anything looks off.\n",
]


def _message(i: int, folder: str, rng: random.Random) -> bytes:
    name, addr = rng.choice(_PEOPLE)
    msg = EmailMessage()
    msg["From"] = f"{name} <{addr}>"
    msg["To"] = f"Demo <{DEMO_USER}@example.test>"
    msg["Subject"] = rng.choice(_SUBJECTS).format(n=i)
    msg["Date"] = format_datetime(datetime.fromtimestamp(time.time() - i * 3600 * 7, tz=UTC))
    msg["Message-ID"] = make_msgid(domain="demo.example.test")
    msg["X-Quay-Demo-Folder"] = folder.encode("utf-8").hex()
    body = rng.choice(_BODIES)
    msg.set_content(body)
    if i % 5 == 0:
        msg.add_alternative(
            f"<html><body><h2>{msg['Subject']}</h2><p>{body.replace(chr(10), '<br>')}</p>"
            '<img src="https://tracker.example.test/pixel.png"></body></html>',
            subtype="html",
        )
    if i % 7 == 0:
        data = bytes(rng.getrandbits(8) for _ in range(2048 + i))
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=f"báo-cáo-{i}.bin")
    if i % 11 == 0:
        msg.add_attachment(f"Ghi chú số {i}\n".encode(), maintype="text", subtype="plain", filename="ghi chú.txt")
    return bytes(msg)


def seed_mailbox(dovecot: Any, rng: random.Random) -> int:
    """Deliver the demo messages over LMTP (one connection), then move them into their folders."""
    total = 0
    with smtplib.LMTP(dovecot.host, dovecot.lmtp_port, timeout=60) as lmtp:
        n = 0
        for folder, count in FOLDERS.items():
            for _ in range(count):
                n += 1
                lmtp.sendmail("sender@example.test", [dovecot.address(DEMO_USER)], _message(n, folder, rng))
                total += 1
    for folder in FOLDERS:
        if folder == "INBOX":
            continue
        dovecot.ensure_folder(DEMO_USER, folder)
        tag = folder.encode("utf-8").hex()
        dovecot.doveadm("move", "-u", DEMO_USER, folder, "mailbox", "INBOX", "header", "X-Quay-Demo-Folder", tag)
    return total


def seed_files(root: Path, rng: random.Random) -> None:
    """A small, varied tree: nested folders, Vietnamese names, a few bigger files."""
    (root / "Tài liệu").mkdir(parents=True, exist_ok=True)
    (root / "Tài liệu" / "báo cáo thực tập.txt").write_text("Báo cáo thực tập 4\nNetworking: HTTPS, FTP, TFTP\n")
    for d in range(4):
        sub = root / "projects" / f"project-{d}"
        sub.mkdir(parents=True, exist_ok=True)
        for f in range(8):
            (sub / f"file-{f}.dat").write_bytes(rng.randbytes(1024 * (f + 1)))
    (root / "photos").mkdir(exist_ok=True)
    (root / "photos" / "bến cảng.jpg").write_bytes(rng.randbytes(256 * 1024))
    (root / "big.iso").write_bytes(rng.randbytes(8 * 1024 * 1024))
    (root / "README.txt").write_text("Quay demo file tree.\n")


@contextmanager
def _environment(extra: dict[str, str]) -> Iterator[None]:
    """Temporarily add ``extra`` to os.environ (the private keyring's D-Bus address)."""
    old = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def write_profile(data_dir: Path, servers: dict[str, Any], keyring_env: dict[str, str]) -> None:
    """Accounts and sites of the demo profile, through the app's own services; passwords go to the keyring only."""
    from app.core.accounts import Account
    from app.core.paths import AppPaths
    from app.core.services import Services
    from app.core.transfer.sites import Site

    paths = AppPaths.in_dir(data_dir)
    paths.ensure()
    dv, smtp, ftp, sshd = servers["dovecot"], servers["smtp"], servers["ftp"], servers.get("sshd")
    email = f"{DEMO_USER}@example.test"
    sender = Account(
        "smtp", smtp.host, smtp.submission_port, DEMO_USER, "starttls", display_name="Demo (SMTP)", email=email, order=2
    )
    accounts = [
        Account(
            "imap",
            dv.host,
            dv.imaps_port,
            DEMO_USER,
            "tls",
            display_name="Demo (IMAP)",
            email=email,
            smtp_account=sender.key,
            order=0,
        ),
        Account(
            "pop3",
            dv.host,
            dv.pop3s_port,
            DEMO_USER,
            "tls",
            display_name="Demo (POP3)",
            email=email,
            smtp_account=sender.key,
            order=1,
        ),
        sender,
    ]
    with _environment(keyring_env), Services(paths) as services:
        for acc in accounts:
            services.save_account(acc, DEMO_PASSWORD)
        services.save_site(
            Site("Demo FTPS", "ftp", ftp.host, ftp.ftps_port, "alice", security="starttls", remote_dir="/"),
            ftp.alice.password,
        )
        if sshd is not None:
            services.save_site(Site("Demo SFTP", "sftp", sshd.host, sshd.port, sshd.password_user), sshd.password)
        # The demo's servers use a per-run CA: trust its certificate by pinning each TLS port's fingerprint.
        fp = servers["tls"].fingerprint_sha256()
        for port in (
            dv.imaps_port,
            dv.imap_port,
            dv.pop3s_port,
            dv.pop3_port,
            smtp.submission_port,
            smtp.smtps_port,
            ftp.ftps_port,
            ftp.ftps_implicit_port,
        ):
            services.trust_certificate(dv.host, port, fp)
    sshd_known = getattr(sshd, "known_hosts_path", None)
    if sshd_known:
        shutil.copy(sshd_known, paths.known_hosts_file)


class DemoStopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C, so every ``stack.callback`` stops its server."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))


def _on_stop_signal(signum: int, _frame: object) -> None:
    # One clean-up at a time: a second signal must not interrupt the first one's.
    for sig in _STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    raise DemoStopped(signum)


def _stop_app(app: subprocess.Popen[bytes]) -> None:
    """Ask the app to close (it handles SIGTERM like its window's close button), then insist."""
    if app.poll() is not None:
        return
    app.terminate()
    try:
        app.wait(timeout=20)
    except subprocess.TimeoutExpired:
        app.kill()
        app.wait()


def main(argv: list[str] | None = None) -> int:
    for sig in _STOP_SIGNALS:
        signal.signal(sig, _on_stop_signal)
    try:
        return _run_demo(argv)
    except DemoStopped as e:
        return 128 + e.signum


def _run_demo(argv: list[str] | None) -> int:
    p = argparse.ArgumentParser(prog="scripts/run --demo")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (print its path)")
    p.add_argument("--no-app", action="store_true", help="start and seed the servers, print their ports, wait")
    args, app_args = p.parse_known_args(argv)
    rng = random.Random(20261123)
    base = Path(tempfile.mkdtemp(prefix="quay-demo-"))
    os.chmod(base, 0o755)
    t0 = time.monotonic()
    code = 0
    try:
        code = _serve(args, app_args, base, rng, t0)
    finally:
        if args.keep:
            print(f"kept {base}", flush=True)
        else:
            shutil.rmtree(base, ignore_errors=True)
    return code


def _serve(args: argparse.Namespace, app_args: list[str], base: Path, rng: random.Random, t0: float) -> int:
    """Start and seed the servers, run the app (or wait), and stop everything on the way out."""
    code = 0
    with ExitStack() as stack:
        from tests.servers.dovecot import DovecotServer
        from tests.servers.ftp import FtpServer
        from tests.servers.keyring_service import KeyringService
        from tests.servers.smtp import SmtpServer

        tls = make_tls(base / "tls")
        dovecot = DovecotServer(base / "dovecot", tls)
        dovecot.add_user(DEMO_USER, DEMO_PASSWORD)
        dovecot.start()
        stack.callback(dovecot.stop)
        smtp = SmtpServer(tls, dovecot.host, dovecot.lmtp_port, dovecot.users)
        smtp.start()
        stack.callback(smtp.stop)
        ftp_root = base / "ftp"
        ftp_root.mkdir()
        ftp = FtpServer(ftp_root, tls)
        ftp.start()
        stack.callback(ftp.stop)
        seed_files(ftp.alice.home, rng)
        servers: dict[str, Any] = {"dovecot": dovecot, "smtp": smtp, "ftp": ftp, "tls": tls}
        try:
            from tests.servers.sshd import SshdServer

            # Its own system users: the test fixture's (quaysftp1, quaysftpkey) may be in use by a test run.
            sshd = SshdServer(password_user="quaydemo1", key_user="quaydemok")
            sshd.start()
            stack.callback(sshd.stop)
            seed_files(sshd.home(sshd.password_user), rng)
            servers["sshd"] = sshd
        except Exception as e:  # not root, or no openssh-server: the rest of the demo still works
            print(f"(SFTP demo server not started: {e})", file=sys.stderr)
        keyring_service = KeyringService(base / "keyring")
        keyring_service.start()
        stack.callback(keyring_service.stop)
        n = seed_mailbox(dovecot, rng)
        data_dir = base / "profile"
        write_profile(data_dir, servers, keyring_service.env)
        print(f"demo ready in {time.monotonic() - t0:.1f}s: {n} messages, data dir {data_dir}")
        print(
            f"  IMAPS 127.0.0.1:{dovecot.imaps_port}  POP3S :{dovecot.pop3s_port}  SMTP :{smtp.submission_port}"
            f"  FTPS :{ftp.ftps_port}" + (f"  SFTP :{servers['sshd'].port}" if "sshd" in servers else "")
        )
        print(f"  user {DEMO_USER}, password {DEMO_PASSWORD} (demo only)")
        sys.stdout.flush()
        if args.no_app:
            try:
                while True:
                    signal.pause()
            except DemoStopped:
                raise
            except KeyboardInterrupt:
                pass
        else:
            env = dict(os.environ, **keyring_service.env)
            cmd = [sys.executable, "-m", "app", "--data-dir", str(data_dir), *app_args]
            app = subprocess.Popen(cmd, env=env, cwd=ROOT)
            stack.callback(_stop_app, app)  # first out: the app goes before its servers
            try:
                code = app.wait()
            except DemoStopped:
                raise
            except KeyboardInterrupt:
                code = 130
    return code


if __name__ == "__main__":
    sys.exit(main())
