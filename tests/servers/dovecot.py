"""A real Dovecot (IMAP, POP3, LMTP) for tests, run as a child process in a temp dir.

``DovecotServer`` has no pytest dependency so demo scripts can use it too; the
pytest fixtures at the bottom wrap it (this module is registered as a plugin by
``tests/conftest.py``).

Isolation: prefer a fresh user per test (``new_user``/``add_user`` work while
the server runs) over ``reset_user`` on a shared one.

Each user has its own passwd-file (``passwd.d/<user>``): Dovecot checks a
passwd-file for changes at most once per second (by mtime and size), so a single
shared file would make users added right after a login invisible for up to 1 s.
A new user's file has never been seen, so it is read on first lookup.
"""

from __future__ import annotations

import contextlib
import grp
import itertools
import os
import pwd
import shutil
import signal
import smtplib
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

import pytest

from tests.servers.common import LOOPBACK, TlsMaterial, free_port, is_root, record_startup, wait_port

MAIL_SYSTEM_USER = "quaymail"
DEFAULT_USERS: dict[str, str] = {"alice": "alice-pw", "bob": "bob-pw"}
MAIL_DOMAIN = "example.test"
# Set to keep the fixtures' server dirs (config, dovecot.log, mail) after the run, for debugging.
KEEP_DIRS_ENV = "QUAY_KEEP_SERVER_DIRS"

# Advertised instead of Dovecot's default when ``condstore=False``: no CONDSTORE, no QRESYNC.
NO_CONDSTORE_CAPABILITY = (
    "IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT THREAD=REFERENCES MULTIAPPEND UNSELECT "
    "CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 ESEARCH SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS "
    "BINARY MOVE SPECIAL-USE"
)

# The default capabilities without SPECIAL-USE (for the name-fallback profile), ACL added by its plugin.
NO_SPECIAL_USE_CAPABILITY = (
    "IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT THREAD=REFERENCES MULTIAPPEND UNSELECT "
    "CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH SEARCHRES WITHIN "
    "CONTEXT=SEARCH LIST-STATUS BINARY MOVE ACL RIGHTS=texk"
)

# Unix socket paths are limited to 108 bytes; Dovecot's deepest runtime socket is ~30 below base_dir.
_MAX_RUN_DIR_LEN = 70
_START_ATTEMPTS = 3

_user_counter = itertools.count(1)
_useradd_lock = threading.Lock()


_SPECIAL_USE_MAILBOXES = """\
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
"""


class DovecotError(RuntimeError):
    """Dovecot failed to start or a doveadm command failed (message carries the log tail, never passwords)."""


def _ensure_mail_system_user() -> tuple[int, int]:
    """uid/gid of the dedicated mail-storage system user, creating it if missing (root only)."""
    with _useradd_lock:
        try:
            pw = pwd.getpwnam(MAIL_SYSTEM_USER)
        except KeyError:
            proc = subprocess.run(
                ["useradd", "-r", "-M", "-U", "-d", "/nonexistent", "-s", "/usr/sbin/nologin", MAIL_SYSTEM_USER],
                capture_output=True,
                text=True,
                check=False,
            )
            try:  # another process may have created it concurrently
                pw = pwd.getpwnam(MAIL_SYSTEM_USER)
            except KeyError:
                raise DovecotError(f"cannot create system user {MAIL_SYSTEM_USER}: {proc.stderr.strip()}") from None
        return pw.pw_uid, pw.pw_gid


def _open_traversal(path: Path) -> None:
    """Let unprivileged Dovecot processes reach ``path``: add o+x to any of its ancestors we own that lack it."""
    uid = os.geteuid()
    for d in [path, *path.parents]:
        if d == Path("/"):
            break
        st = d.stat()
        if st.st_uid == uid and not st.st_mode & 0o001:
            os.chmod(d, (st.st_mode & 0o7777) | 0o011)


class DovecotServer:
    """Dovecot with IMAP(+STARTTLS), IMAPS, POP3(+STLS), POP3S and TCP LMTP on 127.0.0.1.

    ``condstore=False`` hides CONDSTORE/QRESYNC from the advertised capabilities. The
    ``shared=True`` profile is a server without SPECIAL-USE (no special-use folders configured or
    advertised) whose personal folders live below ``INBOX/`` (Cyrus/Courier style, separator
    ``/``), with a ``shared/<user>/`` namespace where users see what others shared with them
    (ACLs, :meth:`share`), and which accepts any characters in user names (UTF-8 included).
    """

    host: str = LOOPBACK

    def __init__(
        self,
        base_dir: Path,
        tls: TlsMaterial,
        condstore: bool = True,
        name: str | None = None,
        *,
        shared: bool = False,
    ) -> None:
        self.base_dir = Path(base_dir)
        self.tls = tls
        self.condstore = condstore
        self.shared = shared
        self.name = name or ("dovecot-shared" if shared else "dovecot" if condstore else "dovecot-nocondstore")
        self.users: dict[str, str] = dict(DEFAULT_USERS)
        self.imap_port = 0
        self.imaps_port = 0
        self.pop3_port = 0
        self.pop3s_port = 0
        self.lmtp_port = 0
        self.conf_path = self.base_dir / "dovecot.conf"
        self.log_path = self.base_dir / "dovecot.log"
        self.passwd_dir = self.base_dir / "passwd.d"
        self.state_dir = self.base_dir / "state"
        self.mail_root = self.base_dir / "mail"
        self.run_dir = self.base_dir / "run"
        self._own_run_dir: Path | None = None  # a short /tmp dir used when run_dir would be too long
        self.proc: subprocess.Popen[bytes] | None = None
        self._stdout: IO[bytes] | None = None
        self._users_lock = threading.Lock()
        if is_root():
            self.mail_uid, self.mail_gid = _ensure_mail_system_user()
            self.login_user = "dovenull"
            self.internal_user = "dovecot"
            self.internal_group = "dovecot"
        else:
            self.mail_uid, self.mail_gid = os.getuid(), os.getgid()
            self.login_user = self.internal_user = pwd.getpwuid(os.getuid()).pw_name
            self.internal_group = grp.getgrgid(os.getgid()).gr_name

    # ----------------------------------------------------------------- users

    def add_user(self, name: str, password: str) -> None:
        """Add (or change the password of) a user; works before and after ``start()``.

        Changing an existing user's password while running may block up to ~1 s (Dovecot's re-read interval).
        """
        if not name or any(c in name for c in ":@/\n\r\t ") or name != name.lower():
            raise ValueError(f"invalid user name {name!r} (lower-case, no ':@/' or spaces)")
        if any(c in password for c in ":\n\r"):
            raise ValueError("password must not contain ':' or newlines")
        with self._users_lock:
            changed = name in self.users and self.users[name] != password
            self.users[name] = password
            if self.passwd_dir.exists():
                self._write_passwd(name, bump=changed and self.proc is not None)

    def new_user(self, prefix: str = "u") -> tuple[str, str]:
        """Create a fresh user with a unique name and random password; returns (name, password)."""
        name = f"{prefix}{next(_user_counter)}x{uuid.uuid4().hex[:8]}"
        password = f"pw-{uuid.uuid4().hex[:12]}"
        self.add_user(name, password)
        return name, password

    def address(self, user: str) -> str:
        return f"{user}@{MAIL_DOMAIN}"

    def home(self, user: str) -> Path:
        return self.mail_root / user

    def maildir(self, user: str) -> Path:
        return self.home(user) / "Maildir"

    def _write_passwd(self, name: str, bump: bool = False) -> None:
        path = self.passwd_dir / name
        old_mtime = path.stat().st_mtime if path.exists() else None
        tmp = self.passwd_dir / f".{name}.tmp"
        tmp.write_text(f"{name}:{{PLAIN}}{self.users[name]}::::::\n")
        os.chmod(tmp, 0o640)
        if is_root():  # the auth process runs as default_internal_user
            os.chown(tmp, 0, pwd.getpwnam(self.internal_user).pw_gid)
        if bump and old_mtime is not None:
            # Dovecot re-reads only if mtime or size changed, and at most once per wall-clock second.
            st = tmp.stat()
            new = max(st.st_mtime, old_mtime + 1)
            os.utime(tmp, (new, new))
        os.replace(tmp, path)  # atomic: Dovecot never sees a half-written file
        if bump:
            time.sleep(1.05 - time.time() % 1.0)  # into the next second, so the next lookup re-checks the file

    # ---------------------------------------------------------------- config

    def share(self, owner: str, folder: str, with_user: str) -> None:
        """Let ``with_user`` see and read ``owner``'s ``folder`` (``shared`` profile, ``INBOX/Trash``):
        it appears as ``shared/<owner>/Trash`` in their folder list."""
        self.ensure_folder(owner, folder)
        self.doveadm("acl", "set", "-u", owner, folder, f"user={with_user}", "lookup", "read")
        self.doveadm("acl", "recalc", "-u", owner)  # the shared-mailboxes dict that LIST reads

    def _profile_config(self) -> tuple[str, str, str]:
        """(settings, personal namespace settings, extra namespaces) of the ``shared`` profile."""
        if not self.shared:
            return "", "", ""
        settings = f"""\
imap_capability = {NO_SPECIAL_USE_CAPABILITY}
auth_username_chars =
mail_plugins = $mail_plugins acl
protocol imap {{
  mail_plugins = $mail_plugins imap_acl
}}
plugin {{
  acl = vfile
  acl_shared_dict = file:{self.mail_root}/shared-mailboxes.db
}}
"""
        personal = "  separator = /\n  prefix = INBOX/\n"
        namespaces = """\
namespace shared {
  type = shared
  separator = /
  prefix = shared/%%u/
  location = maildir:%%h/Maildir:INDEXPVT=~/Maildir/shared/%%u
  subscriptions = no
  list = children
}
"""
        return settings, personal, namespaces

    def _config(self) -> str:
        b = self.base_dir
        capability = "" if self.condstore else f"imap_capability = {NO_CONDSTORE_CAPABILITY}\n"
        profile, personal, namespaces = self._profile_config()
        special = "" if self.shared else _SPECIAL_USE_MAILBOXES
        return f"""\
# Generated by tests/servers/dovecot.py
instance_name = quay-{self.name}-{os.getpid()}
base_dir = {self.run_dir}
state_dir = {self.state_dir}
log_path = {self.log_path}
info_log_path = {self.log_path}
debug_log_path = {self.log_path}
protocols = imap pop3 lmtp
listen = {LOOPBACK}
default_login_user = {self.login_user}
default_internal_user = {self.internal_user}
default_internal_group = {self.internal_group}
first_valid_uid = 1
first_valid_gid = 1
shutdown_clients = yes
ssl = yes
ssl_cert = <{self.tls.cert_pem}
ssl_key = <{self.tls.key_pem}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_format = %Ln
auth_failure_delay = 0
auth_cache_size = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%n {self.passwd_dir}/%n
}}
userdb {{
  driver = static
  args = uid={self.mail_uid} gid={self.mail_gid} home={b}/mail/%n
}}
mail_location = maildir:~/Maildir
mail_max_userip_connections = 200
imap_idle_notify_interval = 2 secs
{capability}{profile}namespace inbox {{
  inbox = yes
{personal}{special}}}
{namespaces}service imap-login {{
  chroot =
  inet_listener imap {{
    address = {LOOPBACK}
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = {LOOPBACK}
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service pop3-login {{
  chroot =
  inet_listener pop3 {{
    address = {LOOPBACK}
    port = {self.pop3_port}
  }}
  inet_listener pop3s {{
    address = {LOOPBACK}
    port = {self.pop3s_port}
    ssl = yes
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = {LOOPBACK}
    port = {self.lmtp_port}
  }}
}}
service anvil {{
  chroot =
  # No auth penalty: otherwise every login from 127.0.0.1 after a failed one is delayed by 2-15 s.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-urlauth-login {{
  chroot =
}}
"""

    def _prepare(self) -> None:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.base_dir, 0o755)
        if is_root():
            _open_traversal(self.base_dir)
        if len(str(self.run_dir)) > _MAX_RUN_DIR_LEN:
            self._own_run_dir = Path(tempfile.mkdtemp(prefix="quay-dc-"))
            self.run_dir = self._own_run_dir
        for d in (self.state_dir, self.run_dir):
            d.mkdir(parents=True, exist_ok=True)
            os.chmod(d, 0o755)
        self.mail_root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.mail_root, 0o750)
        if is_root():
            os.chown(self.mail_root, self.mail_uid, self.mail_gid)
        for attr in ("imap_port", "imaps_port", "pop3_port", "pop3s_port", "lmtp_port"):
            setattr(self, attr, free_port())
        self.passwd_dir.mkdir(exist_ok=True)
        os.chmod(self.passwd_dir, 0o755)
        with self._users_lock:
            for name in self.users:
                self._write_passwd(name)
        self.conf_path.write_text(self._config())

    # ------------------------------------------------------------- lifecycle

    def start(self) -> DovecotServer:
        """Write the config and run ``dovecot -F``; returns once every port accepts connections.

        Raises DovecotError with the log tail on failure. A port grabbed by someone else between picking and
        binding it is retried with fresh ports.
        """
        if self.proc is not None:
            raise DovecotError("already started")
        t0 = time.monotonic()
        for attempt in range(_START_ATTEMPTS):
            self._prepare()
            log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
            self._launch()
            try:
                self._wait_ready(log_offset)
                break
            except (RuntimeError, TimeoutError) as e:
                tail = self.log_tail()
                self._terminate()
                if "Address already in use" in tail and attempt + 1 < _START_ATTEMPTS:
                    continue
                self._cleanup()
                raise DovecotError(f"{self.name} failed to start: {e}\n--- log tail ---\n{tail}") from None
        record_startup(self.name, t0)
        return self

    def _launch(self) -> None:
        self._stdout = open(self.base_dir / "dovecot.stdout", "ab")  # noqa: SIM115 - closed in _terminate()
        try:
            self.proc = subprocess.Popen(
                ["dovecot", "-F", "-c", str(self.conf_path)],
                stdin=subprocess.DEVNULL,
                stdout=self._stdout,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: stop() can kill every child
            )
        except OSError:
            self._stdout.close()
            self._stdout = None
            raise

    def _wait_ready(self, log_offset: int, timeout: float = 15.0) -> None:
        # The master logs "starting up" only once all its listeners are bound: a port that accepts before that
        # may belong to someone else.
        proc = self.proc
        assert proc is not None
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"dovecot exited with {proc.returncode}")
            if self.log_path.exists():
                with open(self.log_path, "rb") as f:
                    f.seek(log_offset)
                    if b"starting up" in f.read():
                        break
            if time.monotonic() > deadline:
                raise TimeoutError(f"dovecot not up after {timeout}s")
            time.sleep(0.005)
        for port in (self.imap_port, self.imaps_port, self.pop3_port, self.pop3s_port, self.lmtp_port):
            wait_port(port, self.host, timeout=max(1.0, deadline - time.monotonic()), proc=proc)

    def stop(self) -> None:
        """``doveadm stop``, falling back to SIGTERM/SIGKILL; idempotent. Leaves base_dir (and its log) alone."""
        self._terminate()
        self._cleanup()

    def _terminate(self) -> None:
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            # Not subprocess.run: doveadm polls until the master pid is gone, and a zombie master we have not
            # reaped yet still counts as alive, so reap it here while doveadm waits.
            stopper = subprocess.Popen(
                ["doveadm", "-c", str(self.conf_path), "stop"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                proc.wait(timeout=8)
            except subprocess.TimeoutExpired:
                proc.terminate()
                try:
                    proc.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)
            try:
                stopper.wait(timeout=5)
            except subprocess.TimeoutExpired:
                stopper.kill()
                stopper.wait()
        # Children (imap, lmtp, ...) share the master's session/process group: make sure none linger.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        self.proc = None
        if self._stdout is not None:
            self._stdout.close()
            self._stdout = None

    def _cleanup(self) -> None:
        if self._own_run_dir is not None:
            shutil.rmtree(self._own_run_dir, ignore_errors=True)
            self._own_run_dir = None
            self.run_dir = self.base_dir / "run"

    def __enter__(self) -> DovecotServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def log_tail(self, lines: int = 40) -> str:
        chunks: list[str] = []
        for p in (self.base_dir / "dovecot.stdout", self.log_path):
            if p.exists():
                chunks.extend(p.read_text(errors="replace").splitlines()[-lines:])
        return "\n".join(chunks)

    # ------------------------------------------------------------------ mail

    def doveadm(self, *args: str, input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        """Run ``doveadm -c CONF ARGS...``; raises DovecotError (with stderr) on failure when ``check``."""
        proc = subprocess.run(
            ["doveadm", "-c", str(self.conf_path), *args],
            input=input,
            capture_output=True,
            timeout=30,
            check=False,
        )
        if check and proc.returncode != 0:
            err = proc.stderr.decode(errors="replace").strip()
            raise DovecotError(f"doveadm {' '.join(args)} failed ({proc.returncode}): {err}")
        return proc

    def deliver(self, user: str, raw: bytes, folder: str = "INBOX") -> None:
        """Deliver ``raw`` (an RFC 5322 message) to ``user``: via LMTP for INBOX, ``doveadm save`` otherwise."""
        if folder.upper() == "INBOX":
            with smtplib.LMTP(self.host, self.lmtp_port, timeout=30) as lmtp:
                lmtp.sendmail(f"sender@{MAIL_DOMAIN}", [self.address(user)], raw)
            return
        self.ensure_folder(user, folder)
        self.doveadm("save", "-u", user, "-m", folder, input=raw)

    def ensure_folder(self, user: str, folder: str) -> None:
        proc = self.doveadm("mailbox", "create", "-s", "-u", user, folder, check=False)
        if proc.returncode != 0 and b"exists" not in proc.stderr:
            err = proc.stderr.decode(errors="replace").strip()
            raise DovecotError(f"doveadm mailbox create {folder!r} for {user} failed: {err}")

    def reset_user(self, user: str) -> None:
        """Wipe ``user``'s whole mail store (all folders, indexes, UIDVALIDITY) after kicking their sessions."""
        self.doveadm("kick", user, check=False)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # wait until the kicked imap/pop3 processes are gone
            who = self.doveadm("who", "-1", user, check=False)
            if who.returncode != 0 or len(who.stdout.splitlines()) <= 1:
                break
            time.sleep(0.02)
        home = self.home(user)
        for _ in range(50):
            shutil.rmtree(home, ignore_errors=True)
            if not home.exists():
                return
            time.sleep(0.02)
        raise DovecotError(f"could not remove {home}")


# ------------------------------------------------------------------ fixtures


def _start_fixture(tls: TlsMaterial, condstore: bool, shared: bool = False) -> Iterator[DovecotServer]:
    # Not tmp_path_factory: pytest keeps its basetemp 0700 (unprivileged Dovecot processes must reach the
    # files) and a concurrent pytest run re-tightens it / prunes old run dirs under a live server.
    prefix = "quay-dovecot-shared-" if shared else "quay-dovecot-" if condstore else "quay-dovecot-nocs-"
    base = Path(tempfile.mkdtemp(prefix=prefix))
    server = DovecotServer(base, tls, condstore=condstore, shared=shared)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if not os.environ.get(KEEP_DIRS_ENV):
            shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot(tls_material: TlsMaterial) -> Iterator[DovecotServer]:
    """Session Dovecot, default capabilities (CONDSTORE, QRESYNC, ...); users alice/alice-pw, bob/bob-pw."""
    yield from _start_fixture(tls_material, condstore=True)


@pytest.fixture(scope="session")
def dovecot_nocondstore(tls_material: TlsMaterial) -> Iterator[DovecotServer]:
    """A second session Dovecot whose advertised capabilities lack CONDSTORE and QRESYNC."""
    yield from _start_fixture(tls_material, condstore=False)


@pytest.fixture(scope="session")
def dovecot_shared(tls_material: TlsMaterial) -> Iterator[DovecotServer]:
    """A session Dovecot of the ``shared`` profile: no SPECIAL-USE, folders below ``INBOX/``, a ``shared/``
    namespace with ACLs (:meth:`DovecotServer.share`), any characters in user names."""
    yield from _start_fixture(tls_material, condstore=True, shared=True)


@pytest.fixture
def mail_user(dovecot: DovecotServer) -> tuple[str, str]:
    """A fresh user (empty mailbox) on the session ``dovecot``: (name, password)."""
    return dovecot.new_user()
