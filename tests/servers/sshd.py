"""A real OpenSSH ``sshd`` (SFTP via ``internal-sftp``) on 127.0.0.1, run as a non-daemon child.

sshd authenticates real system accounts, so this needs root: :class:`SshdServer`
creates (or reuses) two system users -- ``quaysftp1`` (password only) and
``quaysftpkey`` (public key only) -- with homes in a fresh temp dir, and locks
both accounts again on :meth:`SshdServer.stop`.  Host keys and client keys are
generated per run.

The state dir is ``mkdtemp`` in ``/tmp`` (mode 0711, so the test users can reach
their homes; pytest's own tmp dirs are 0700 and would not do).
"""

from __future__ import annotations

import base64
import hashlib
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pytest

from tests.servers.common import LOOPBACK, free_port, is_root, record_startup, wait_port

SSHD = "/usr/sbin/sshd"
SSH_KEYGEN = "ssh-keygen"
HOST_KEY_TYPES = ("ed25519", "rsa")
RSA_BITS = "2048"  # fast to generate; plenty for tests


class SshdUnavailable(RuntimeError):
    """sshd cannot run here (not root, or OpenSSH server not installed)."""


def sha256_fingerprint(pub_line: str) -> str:
    """``SHA256:...`` of an OpenSSH public key line, exactly as ``ssh-keygen -l`` prints it."""
    blob = base64.b64decode(pub_line.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def _run(cmd: list[str], stdin: str | None = None) -> None:
    """Run a command; on failure raise without echoing ``stdin`` (it may hold a password)."""
    res = subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise RuntimeError(f"{cmd[0]} {' '.join(cmd[1:3])}... failed ({res.returncode}): {res.stderr.strip()}")


def _descendants(pid: int) -> list[int]:
    """All live descendants of ``pid`` (from /proc), children first."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def kill_process_tree(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL, timeout: float = 5.0) -> None:
    """Signal ``proc`` and every descendant (sshd's per-connection children call setsid())."""
    if proc.poll() is None:
        for pid in _descendants(proc.pid):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class SshdServer:
    """OpenSSH sshd + internal-sftp on 127.0.0.1; see the module docstring.

    Attributes after construction: ``host``, ``port``, ``password_user``,
    ``password``, ``key_user``, ``client_key_path`` (ed25519, no passphrase),
    ``client_key_passphrase_path`` (RSA, PEM format, encrypted with
    ``client_key_passphrase``); after :meth:`start`: ``host_key_pub_paths`` and
    ``host_key_fingerprints`` (key type such as ``"ssh-ed25519"`` -> path /
    ``SHA256:...``), ``known_hosts_path``.
    """

    def __init__(
        self,
        *,
        host: str = LOOPBACK,
        password_user: str = "quaysftp1",
        key_user: str = "quaysftpkey",
        log_level: str = "VERBOSE",
        keyboard_interactive: bool = False,
        host_key_types: tuple[str, ...] = HOST_KEY_TYPES,
    ) -> None:
        # keyboard_interactive: passwords only through PAM's keyboard-interactive method (no "password" method).
        self.keyboard_interactive = keyboard_interactive
        # host_key_types: the host keys sshd offers, e.g. ("rsa",) to test a key-type downgrade.
        self.host_key_types = tuple(host_key_types)
        self.host = host
        self.port = free_port(host)
        self.password_user = password_user
        self.key_user = key_user
        self.password = f"pw-{secrets.token_urlsafe(12)}"  # per run: the account outlives the run
        self.client_key_passphrase = f"kp-{secrets.token_urlsafe(9)}"
        self.log_level = log_level
        self.dir: Path | None = None
        self.host_key_pub_paths: dict[str, Path] = {}
        self.host_key_fingerprints: dict[str, str] = {}
        self._proc: subprocess.Popen[bytes] | None = None
        self._prepared = False

    # --- paths ----------------------------------------------------------------

    def _d(self) -> Path:
        if self.dir is None:
            raise RuntimeError("SshdServer not prepared yet; call start()")
        return self.dir

    @property
    def config_path(self) -> Path:
        return self._d() / "sshd_config"

    @property
    def log_path(self) -> Path:
        return self._d() / "sshd.log"

    @property
    def known_hosts_path(self) -> Path:
        """known_hosts with the *current* host keys as ``[127.0.0.1]:PORT type key``."""
        return self._d() / "known_hosts"

    @property
    def stale_known_hosts_path(self) -> Path:
        """known_hosts of the keys before the last :meth:`regenerate_host_keys_and_restart`."""
        return self._d() / "known_hosts.old"

    @property
    def client_key_path(self) -> Path:
        return self._d() / "client_ed25519"

    @property
    def client_key_passphrase_path(self) -> Path:
        return self._d() / "client_rsa_pem"

    @property
    def users(self) -> tuple[str, str]:
        return (self.password_user, self.key_user)

    def home(self, user: str) -> Path:
        if user not in self.users:
            raise KeyError(user)
        return self._d() / "home" / user

    def authorized_keys_path(self, user: str) -> Path:
        return self._d() / "authorized_keys" / user

    # --- preparation ----------------------------------------------------------

    def _prepare(self) -> None:
        if not is_root():
            raise SshdUnavailable("sshd fixtures need root (sshd authenticates real system users)")
        if not os.access(SSHD, os.X_OK) or shutil.which(SSH_KEYGEN) is None:
            raise SshdUnavailable(f"OpenSSH server not installed ({SSHD} / {SSH_KEYGEN} missing)")
        self.dir = Path(tempfile.mkdtemp(prefix="quay-sshd-"))
        os.chmod(self.dir, 0o711)
        Path("/run/sshd").mkdir(mode=0o755, parents=True, exist_ok=True)  # privilege separation dir
        (self.dir / "home").mkdir(mode=0o711)
        (self.dir / "authorized_keys").mkdir(mode=0o755)

        keygens = [self._keygen_host(kind) for kind in self.host_key_types]
        keygens.append(self._keygen(["-t", "ed25519", "-N", "", "-C", "quay-test-client"], self.client_key_path))
        keygens.append(
            self._keygen(
                ["-t", "rsa", "-b", RSA_BITS, "-m", "PEM", "-N", self.client_key_passphrase, "-C", "quay-test-rsa"],
                self.client_key_passphrase_path,
            )
        )
        for user in self.users:
            self._ensure_user(user)
        for proc in keygens:
            if proc.wait(60) != 0:
                raise RuntimeError(f"ssh-keygen failed ({proc.returncode})")
        self._collect_host_keys()
        pubs = [
            Path(f"{self.client_key_path}.pub").read_text().strip(),
            Path(f"{self.client_key_passphrase_path}.pub").read_text().strip(),
        ]
        self.authorized_keys_path(self.key_user).write_text("\n".join(pubs) + "\n")
        self.authorized_keys_path(self.password_user).write_text("")
        for user in self.users:
            os.chmod(self.authorized_keys_path(user), 0o644)
        _run(["chpasswd"], stdin=f"{self.password_user}:{self.password}\n")
        _run(["usermod", "-p", "*", self.key_user])  # no password, but not locked (pubkey works)
        self._write_config()
        self._prepared = True

    def _keygen(self, args: list[str], path: Path) -> subprocess.Popen[bytes]:
        for p in (path, Path(f"{path}.pub")):
            p.unlink(missing_ok=True)
        return subprocess.Popen(
            [SSH_KEYGEN, "-q", *args, "-f", str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def _keygen_host(self, kind: str) -> subprocess.Popen[bytes]:
        extra = ["-b", RSA_BITS] if kind == "rsa" else []
        return self._keygen(["-t", kind, *extra, "-N", "", "-C", f"quay-test-host-{kind}"], self._d() / f"host_{kind}")

    def _collect_host_keys(self) -> None:
        self.host_key_pub_paths = {}
        self.host_key_fingerprints = {}
        lines = []
        for kind in self.host_key_types:
            pub = self._d() / f"host_{kind}.pub"
            keytype, blob = pub.read_text().split()[:2]
            self.host_key_pub_paths[keytype] = pub
            self.host_key_fingerprints[keytype] = sha256_fingerprint(f"{keytype} {blob}")
            lines.append(f"[{self.host}]:{self.port} {keytype} {blob}")
        self.known_hosts_path.write_text("\n".join(lines) + "\n")

    def _ensure_user(self, user: str) -> None:
        home = self.home(user)
        try:
            pwd.getpwnam(user)
        except KeyError:
            _run(["useradd", "--system", "--no-create-home", "--home-dir", str(home), "--shell", "/bin/sh",
                  "--user-group", user])  # fmt: skip
        else:  # left over from an earlier run: point it at this run's home
            _run(["usermod", "--home", str(home), "--shell", "/bin/sh", "--expiredate", "", user])
        entry = pwd.getpwnam(user)
        home.mkdir(mode=0o755, exist_ok=True)
        os.chown(home, entry.pw_uid, entry.pw_gid)

    def _write_config(self) -> None:
        d = self._d()
        lines = [
            f"Port {self.port}",
            f"ListenAddress {self.host}",
            *(f"HostKey {d / f'host_{kind}'}" for kind in self.host_key_types),
            f"PidFile {d / 'sshd.pid'}",
            f"AuthorizedKeysFile {d / 'authorized_keys'}/%u",
            "StrictModes no",
            f"UsePAM {'yes' if self.keyboard_interactive else 'no'}",
            f"PasswordAuthentication {'no' if self.keyboard_interactive else 'yes'}",
            "PermitEmptyPasswords no",
            f"KbdInteractiveAuthentication {'yes' if self.keyboard_interactive else 'no'}",
            "PubkeyAuthentication yes",
            "PermitRootLogin no",
            f"AllowUsers {' '.join(self.users)}",
            "MaxStartups 100",
            "MaxSessions 50",
            "MaxAuthTries 10",
            "LoginGraceTime 30",
            "UseDNS no",
            "PrintMotd no",
            "PrintLastLog no",
            "X11Forwarding no",
            "AllowAgentForwarding no",
            "AllowTcpForwarding no",
            "PermitTunnel no",
            f"LogLevel {self.log_level}",
            "Subsystem sftp internal-sftp",
        ]
        self.config_path.write_text("\n".join(lines) + "\n")
        os.chmod(self.config_path, 0o600)

    # --- process control --------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self, timeout: float = 15.0) -> None:
        """Prepare (first time only) and start sshd; returns once it accepts connections."""
        if self.running:
            return
        t0 = time.monotonic()
        first = not self._prepared
        if first:
            self._prepare()
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(
                [SSHD, "-D", "-e", "-f", str(self.config_path)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        try:
            wait_port(self.port, self.host, timeout=timeout, proc=self._proc)
        except (RuntimeError, TimeoutError) as e:
            self.kill()
            tail = self.log_path.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"sshd did not start: {e}\nlog tail:\n{tail}") from None
        if first:  # the cold start (key generation, users) is the interesting number
            record_startup("sshd", t0)

    def kill(self) -> None:
        """SIGKILL sshd and its per-connection children at once (open sessions die)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            kill_process_tree(proc, signal.SIGKILL)

    def regenerate_host_keys_and_restart(self) -> None:
        """New host keys, same port: clients holding the old ``known_hosts`` must now refuse.

        ``known_hosts_path`` is rewritten for the new keys; the previous file is
        kept as ``stale_known_hosts_path``.
        """
        self.kill()
        shutil.copyfile(self.known_hosts_path, self.stale_known_hosts_path)
        for proc in [self._keygen_host(kind) for kind in self.host_key_types]:
            if proc.wait(60) != 0:
                raise RuntimeError(f"ssh-keygen failed ({proc.returncode})")
        self._collect_host_keys()
        self.start()

    def stop(self) -> None:
        """Stop sshd, lock both accounts and remove the state dir (homes included)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            kill_process_tree(proc, signal.SIGTERM)
        if self._prepared:
            for user in self.users:
                try:
                    _run(["usermod", "-p", "!", "--expiredate", "1", user])
                except RuntimeError:
                    pass
            self._prepared = False
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> SshdServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"SshdServer({self.host}:{self.port} users={self.users})"


@pytest.fixture(scope="session")
def sshd_server() -> Iterator[SshdServer]:
    """OpenSSH sshd + SFTP on 127.0.0.1 (skips unless root and OpenSSH server installed)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # distinct system users per xdist worker
    server = SshdServer(password_user=f"quaysftp1{worker}", key_user=f"quaysftpkey{worker}")
    try:
        server.start()
    except SshdUnavailable as e:
        server.stop()
        pytest.skip(str(e))
    except BaseException:
        server.stop()
        raise
    try:
        yield server
    finally:
        server.stop()
