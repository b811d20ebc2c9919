"""gnome-keyring (Secret Service) on a private D-Bus session bus, for real ``keyring`` tests.

:class:`KeyringService` starts its own ``dbus-daemon`` (socket in a private
``XDG_RUNTIME_DIR``) and ``gnome-keyring-daemon --unlock --components=secrets``
with ``HOME``/``XDG_*`` inside ``base_dir``; the daemon creates an unlocked
``login`` collection (the ``default`` alias), so ``keyring.set_password`` works
without any prompt and the user's real keyring is never touched.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from types import TracebackType

import keyring
import keyring.backend
import keyring.core
import pytest
from keyring.backends import SecretService, fail

from tests.servers.common import record_startup

DBUS_DAEMON = "dbus-daemon"
GNOME_KEYRING_DAEMON = "gnome-keyring-daemon"
SECRET_SERVICE_BACKEND = "keyring.backends.SecretService.Keyring"


# A session bus without service directories: nothing gets D-Bus-activated (no
# second keyring daemon, no gcr-prompter window -- a prompt fails instead of hanging).
_DBUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class KeyringUnavailable(RuntimeError):
    """dbus-daemon / gnome-keyring-daemon are not installed."""


def _stop(proc: subprocess.Popen[bytes] | None, timeout: float = 5.0) -> None:
    """SIGTERM the process group started with ``start_new_session`` (then SIGKILL)."""
    if proc is None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout)
            return
        except subprocess.TimeoutExpired:
            continue


class KeyringService:
    """A private session bus + gnome-keyring-daemon; ``env`` is what a child process needs.

    ``env`` holds ``DBUS_SESSION_BUS_ADDRESS``, ``HOME``, ``XDG_RUNTIME_DIR``,
    ``XDG_DATA_HOME``, ``XDG_CONFIG_HOME``, ``XDG_CACHE_HOME`` and
    ``PYTHON_KEYRING_BACKEND`` (so a child's ``keyring`` picks SecretService).
    """

    def __init__(self, base_dir: Path, password: str = "quay-test-login-keyring") -> None:
        self.base_dir = Path(base_dir)
        self._password = password
        self.home = self.base_dir / "home"
        self.runtime_dir = self.base_dir / "run"
        self.data_home = self.base_dir / "data"
        self.log_path = self.base_dir / "keyring.log"
        self.bus_address = ""
        self._dbus: subprocess.Popen[bytes] | None = None
        self._daemon: subprocess.Popen[bytes] | None = None

    @property
    def env(self) -> dict[str, str]:
        if not self.bus_address:
            raise RuntimeError("KeyringService not started")
        return {
            "DBUS_SESSION_BUS_ADDRESS": self.bus_address,
            "HOME": str(self.home),
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
            "XDG_DATA_HOME": str(self.data_home),
            "XDG_CONFIG_HOME": str(self.base_dir / "config"),
            "XDG_CACHE_HOME": str(self.base_dir / "cache"),
            "PYTHON_KEYRING_BACKEND": SECRET_SERVICE_BACKEND,
        }

    @property
    def running(self) -> bool:
        return all(p is not None and p.poll() is None for p in (self._dbus, self._daemon))

    def _child_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "XDG_", "GNOME_KEYRING"))}
        env.update(self.env)
        return env

    def start(self, timeout: float = 15.0) -> None:
        if self.running:
            return
        t0 = time.monotonic()
        for d in (self.home, self.data_home, self.base_dir / "config", self.base_dir / "cache"):
            d.mkdir(parents=True, exist_ok=True)
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.runtime_dir, 0o700)
        socket_path = self.runtime_dir / "bus"
        socket_path.unlink(missing_ok=True)
        config = self.base_dir / "dbus-session.conf"
        config.write_text(_DBUS_CONFIG.format(socket=socket_path))
        try:
            with open(self.log_path, "ab") as log:
                self._dbus = subprocess.Popen(
                    [DBUS_DAEMON, f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    env={**os.environ, "HOME": str(self.home), "XDG_RUNTIME_DIR": str(self.runtime_dir)},
                    start_new_session=True,
                )
        except FileNotFoundError as e:
            raise KeyringUnavailable(f"{DBUS_DAEMON} not installed") from e
        try:
            self.bus_address = self._read_address(timeout)
            with open(self.log_path, "ab") as log:
                self._daemon = subprocess.Popen(
                    [GNOME_KEYRING_DAEMON, "--foreground", "--unlock", "--components=secrets"],
                    stdin=subprocess.PIPE,
                    stdout=log,
                    stderr=log,
                    env=self._child_env(),
                    cwd=self.home,
                    start_new_session=True,
                )
            assert self._daemon.stdin is not None
            self._daemon.stdin.write(self._password.encode())
            self._daemon.stdin.close()  # EOF ends the password
            self._wait_ready(time.monotonic() + timeout)
        except FileNotFoundError as e:
            self.stop()
            raise KeyringUnavailable(f"{GNOME_KEYRING_DAEMON} not installed") from e
        except BaseException:
            self.stop()
            raise
        record_startup("gnome-keyring", t0)

    def _read_address(self, timeout: float) -> str:
        assert self._dbus is not None and self._dbus.stdout is not None
        line = b""
        with selectors.DefaultSelector() as sel:
            sel.register(self._dbus.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + timeout
            while not line.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    raise TimeoutError(f"dbus-daemon printed no address within {timeout}s")
                chunk = os.read(self._dbus.stdout.fileno(), 256)
                if not chunk:
                    raise RuntimeError(f"dbus-daemon exited ({self._dbus.poll()}); see {self.log_path}")
                line += chunk
        self._dbus.stdout.close()
        return line.decode().strip()

    def _wait_ready(self, deadline: float) -> None:
        """Until the default collection exists on *our* bus and is unlocked."""
        import secretstorage
        from jeepney.bus_messages import message_bus  # type: ignore[import-untyped]
        from jeepney.io.blocking import Proxy, open_dbus_connection  # type: ignore[import-untyped]
        from jeepney.wrappers import DBusErrorResponse  # type: ignore[import-untyped]
        from secretstorage.exceptions import SecretServiceNotAvailableException, SecretStorageException

        last: Exception | None = None
        while time.monotonic() < deadline:
            if self._daemon is not None and self._daemon.poll() is not None:
                raise RuntimeError(f"gnome-keyring-daemon exited with {self._daemon.returncode}; see {self.log_path}")
            try:
                with closing(open_dbus_connection(self.bus_address)) as conn:
                    if not Proxy(message_bus, conn).NameHasOwner("org.freedesktop.secrets")[0]:
                        time.sleep(0.02)
                        continue
                    # Ask for the alias only (never create: that would prompt).
                    collection = secretstorage.Collection(conn)
                    if not collection.is_locked():
                        return
            except (DBusErrorResponse, SecretServiceNotAvailableException, SecretStorageException, OSError) as e:
                last = e
            time.sleep(0.02)
        raise TimeoutError(f"gnome-keyring's default collection not ready: {last!r}; see {self.log_path}")

    def stop(self) -> None:
        daemon, self._daemon = self._daemon, None
        dbus, self._dbus = self._dbus, None
        _stop(daemon)
        _stop(dbus)
        if dbus is not None and dbus.stdout is not None and not dbus.stdout.closed:
            dbus.stdout.close()

    def __enter__(self) -> KeyringService:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"KeyringService({self.bus_address or 'not started'})"


# Variables the test process gets while ``keyring_service`` is active.
_PROCESS_ENV = ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND")


@pytest.fixture(scope="session")
def keyring_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeyringService]:
    """A real Secret Service for this test process: env + ``keyring`` backend switched to it.

    Sets ``DBUS_SESSION_BUS_ADDRESS`` and ``PYTHON_KEYRING_BACKEND`` in
    ``os.environ`` and ``keyring.set_keyring(SecretService.Keyring())  # type: ignore[no-untyped-call]`` for the rest
    of the session; both are restored at teardown.
    """
    service = KeyringService(tmp_path_factory.mktemp("keyring"))
    try:
        service.start()
    except KeyringUnavailable as e:
        pytest.skip(str(e))
    saved_env = {k: os.environ.get(k) for k in _PROCESS_ENV}
    saved_backend = keyring.core._keyring_backend  # private: reading get_keyring() would autodetect
    try:
        for k in _PROCESS_ENV:
            os.environ[k] = service.env[k]
        keyring.set_keyring(SecretService.Keyring())  # type: ignore[no-untyped-call]
        yield service
    finally:
        keyring.core._keyring_backend = saved_backend
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        service.stop()


@pytest.fixture
def no_keyring() -> Iterator[keyring.backend.KeyringBackend]:
    """``keyring``'s fail backend (every call raises ``NoKeyringError``) for one test."""
    saved_backend = keyring.core._keyring_backend
    backend = fail.Keyring()  # type: ignore[no-untyped-call]
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.core._keyring_backend = saved_backend
