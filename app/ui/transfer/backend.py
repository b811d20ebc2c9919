"""Everything the Files tab needs from the core, in one place: records, secrets, sessions, workers, queues.

This is the only module of ``app/ui/transfer`` that builds sessions or reads saved sites, so
moving to ``app.core.services`` (records with ``security`` and ``public_url_prefix``,
``open_session(record, ...)``) changes this file alone.

* :class:`Target` -- what to connect to (a saved site or a quick-connect address), with the
  per-site settings the UI offers.  Secrets are held in memory only while a connection lives.
* :class:`FilesBackend` -- sites (with the settings today's :class:`Site` lacks kept in
  ``site-extras.json`` beside ``sites.json``, keyed by site id), the keyring, certificate pins,
  SSH host keys, and session / queue construction.
* :class:`RemoteConnection` -- one connection tab's browsing session on its own serial worker.
  Cancel shuts the session's sockets (a stalled server cannot hold the tab) and moves later
  calls to a fresh worker; a cancelled call's result is dropped.
* :class:`QueueFeed` and :class:`ConflictAsker` -- the bridge between a
  :class:`TransferQueue`'s worker threads and the GUI: events are merged per job and drained by
  a GUI timer (batched repaints); conflict questions wait on the worker for the GUI's answer.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.core.errors import AuthError, Cancelled, HostKeyInfo, QuayError
from app.core.fileio import atomic_write
from app.core.protolog import ProtoLog
from app.core.secrets import KeyringUnavailable, SecretStore, secret_key
from app.core.tls import PinStore
from app.core.transfer.base import RemoteSession
from app.core.transfer.queue import ConflictInfo, ConflictPolicy, TransferEvent, TransferQueue
from app.core.transfer.sites import DEFAULT_PORTS, Site, SiteStore
from app.ui.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from app.core.paths import AppPaths
    from app.core.transfer.hostkeys import HostKeyStore

__all__ = [
    "PROTOCOLS",
    "TRANSFER_MODES",
    "AbortableConnector",
    "ConflictAsker",
    "FilesBackend",
    "LogBuffer",
    "NeedSecret",
    "QueueFeed",
    "RemoteConnection",
    "Target",
]

#: Protocols in the order the UI lists them.
PROTOCOLS = ("ftp", "ftps", "ftpsi", "sftp", "tftp")
TRANSFER_MODES = ("auto", "binary", "ascii")
#: File types sent in ASCII mode when the transfer mode is "auto" (FileZilla's default list, shortened).
ASCII_EXTENSIONS = (".txt", ".htm", ".html", ".css", ".js", ".php", ".xml", ".csv", ".sh", ".pl", ".py", ".ini")


class NeedSecret(QuayError):
    """The connection needs a password (or a key passphrase) that the keyring does not have."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # "password" or "passphrase"


@dataclass
class Target:
    """One server to connect to, with the settings a site can carry.  Secrets stay out of ``repr``."""

    protocol: str
    host: str
    port: int
    user: str = ""
    name: str = ""
    site_id: str | None = None
    auth: str = "password"  # password, key, agent, interactive, anonymous, ask
    key_file: str | None = None
    remote_dir: str = ""
    local_dir: str = ""
    passive: bool = True
    encoding: str | None = None
    transfer_mode: str = "auto"
    max_connections: int = 2
    public_url_prefix: str = ""
    password: str | None = field(default=None, repr=False)
    passphrase: str | None = field(default=None, repr=False)
    accept_host_key: str | None = None  # a fingerprint the user accepted "once"
    remember_secret: bool = True

    @property
    def key(self) -> str:
        """Identity of the account (user, host, port, protocol): names its transfer queue and log."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.protocol}://{quote(self.user, safe='')}@{host}:{self.port}"

    @property
    def title(self) -> str:
        return self.name or (f"{self.user}@{self.host}" if self.user else self.host)

    @property
    def secret_key(self) -> str:
        kind = "ftp" if self.protocol in ("ftps", "ftpsi") else self.protocol
        return secret_key(kind, self.user, self.host, self.port)

    def url_for(self, path: str) -> str:
        """``scheme://user@host:port/path`` (never with a password)."""
        return self.key + quote(path if path.startswith("/") else "/" + path)

    def public_url(self, path: str) -> str | None:
        """The web address of ``path`` under the site's public URL prefix (None when the site has none).

        The prefix maps to the site's initial remote folder (or the server root when it has none).
        """
        if not self.public_url_prefix:
            return None
        base = (self.remote_dir or "/").rstrip("/") + "/"
        rel = path[len(base) :] if path.startswith(base) else path.lstrip("/")
        prefix = self.public_url_prefix if self.public_url_prefix.endswith("/") else self.public_url_prefix + "/"
        return prefix + quote(rel)

    def to_quick_url(self) -> str:
        """The quick-connect history entry: the address without any secret."""
        return self.key


class _Extras:
    """Per-site settings today's :class:`Site` has no field for (``public_url_prefix``, ``transfer_mode``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        except (OSError, ValueError):
            data = {}
        self._data: dict[str, dict[str, Any]] = data if isinstance(data, dict) else {}

    def get(self, site_id: str) -> dict[str, Any]:
        return dict(self._data.get(site_id, {}))

    def set(self, site_id: str, values: dict[str, Any]) -> None:
        self._data[site_id] = dict(values)
        self._save()

    def remove(self, site_id: str) -> None:
        if self._data.pop(site_id, None) is not None:
            self._save()

    def _save(self) -> None:
        atomic_write(self.path, json.dumps(self._data, indent=2, ensure_ascii=False).encode("utf-8"))


class AbortableConnector:
    """Makes a session's sockets and can shut them all from another thread (Cancel on a stalled server).

    Used as the ``connect`` argument of the FTP and SFTP sessions; a blocked ``recv`` on a socket
    that is shut down returns at once, so the worker thread is freed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._aborted = False

    def __call__(self, address: tuple[str, int], timeout: float) -> socket.socket:
        with self._lock:
            if self._aborted:
                raise OSError("cancelled")
        sock = socket.create_connection(address, timeout=timeout)
        with self._lock:
            self._socks = [s for s in self._socks if s.fileno() != -1]
            self._socks.append(sock)
            aborted = self._aborted
        if aborted:
            _shut(sock)
        return sock

    def abort(self) -> None:
        with self._lock:
            self._aborted = True
            socks, self._socks = self._socks, []
        for s in socks:
            _shut(s)


def _shut(sock: socket.socket) -> None:
    if sock.fileno() == -1:  # detached into a TLS socket: that one times out on its own
        return
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class FilesBackend:
    """Records, secrets, trust stores and session construction for the Files tab (GUI thread unless noted)."""

    def __init__(
        self, paths: AppPaths, secrets: SecretStore | None = None, *, user_known_hosts: list[Path] | None = None
    ) -> None:
        self.paths = paths
        self.user_known_hosts = user_known_hosts  # None: the user's ~/.ssh/known_hosts (read only)
        self.secrets = secrets or SecretStore()
        self.site_store = SiteStore(paths.config / "sites.json", self.secrets)
        self.extras = _Extras(paths.config / "site-extras.json")
        self.pins = PinStore(paths.pins_file)
        self._host_keys: HostKeyStore | None = None
        self._lock = threading.Lock()
        self.timeout = 30.0

    # --- sites ----------------------------------------------------------------------------

    def reload_sites(self) -> None:
        with contextlib.suppress(QuayError):
            self.site_store = SiteStore(self.paths.config / "sites.json", self.secrets)

    def sites(self) -> list[Site]:
        return self.site_store.all()

    def site_settings(self, site: Site) -> dict[str, Any]:
        """The settings kept beside the site record: ``public_url_prefix``, ``transfer_mode``."""
        values = {"public_url_prefix": "", "transfer_mode": "auto"}
        values.update(self.extras.get(site.id))
        return values

    def save_site(self, site: Site, *, password: str | None = None, settings: dict[str, Any] | None = None) -> None:
        """Save (add or replace by id); the password goes to the keyring only."""
        self.site_store.add(site, password)
        if settings is not None:
            self.extras.set(site.id, settings)

    def duplicate_site(self, site: Site, name: str) -> Site:
        import uuid

        copy = replace(site, name=name, id=uuid.uuid4().hex)
        self.site_store.add(copy)
        self.extras.set(copy.id, self.extras.get(site.id))
        return copy

    def remove_site(self, site: Site) -> None:
        self.site_store.remove(site.id)
        self.extras.remove(site.id)

    def site_password(self, site: Site) -> str | None:
        try:
            return self.site_store.password(site)
        except KeyringUnavailable:
            return None

    def import_filezilla(self, path: Path) -> Any:
        from app.core.transfer.sites import import_filezilla

        try:
            data = path.read_bytes()
        except OSError as e:
            from app.core.errors import LocalIOError

            raise LocalIOError(f"cannot read {path}: {e.strerror or e}", path=str(path)) from e
        return import_filezilla(data, self.site_store)

    def import_ssh_config(self, path: Path) -> Any:
        from app.core.transfer.sites import import_openssh_config

        return import_openssh_config(path, self.site_store)

    def target_for_site(self, site: Site) -> Target:
        extra = self.site_settings(site)
        return Target(
            protocol=site.protocol,
            host=site.host,
            port=site.effective_port,
            user=site.user,
            name=site.name,
            site_id=site.id,
            auth=site.auth,
            key_file=site.key_file,
            remote_dir=site.remote_dir or "",
            local_dir=site.local_dir or "",
            passive=site.passive,
            encoding=site.encoding,
            transfer_mode=str(extra.get("transfer_mode") or "auto"),
            max_connections=max(1, min(10, site.max_connections)),
            public_url_prefix=str(extra.get("public_url_prefix") or ""),
        )

    @staticmethod
    def quick_target(
        protocol: str, host: str, port: int | None, user: str, password: str | None, remote_dir: str = ""
    ) -> Target:
        return Target(
            protocol=protocol,
            host=host,
            port=port or DEFAULT_PORTS[protocol],
            user=user or ("anonymous" if protocol.startswith("ftp") else ""),
            password=password or None,
            remote_dir=remote_dir,
            remember_secret=False,  # quick connect keeps a typed password for this session only
        )

    # --- secrets and trust ----------------------------------------------------------------------

    def find_password(self, target: Target) -> str | None:
        """The stored password (worker thread: the keyring may talk to a D-Bus service)."""
        try:
            return self.secrets.get(target.secret_key)
        except KeyringUnavailable:
            return None

    @staticmethod
    def passphrase_key(key_file: str) -> str:
        return f"sshkey:{Path(key_file).expanduser()}"

    def find_passphrase(self, key_file: str) -> str | None:
        """A key's passphrase the user chose to remember (worker thread)."""
        try:
            return self.secrets.get(self.passphrase_key(key_file))
        except KeyringUnavailable:
            return None

    def keep_passphrase(self, key_file: str, passphrase: str, remember: bool) -> None:
        key = self.passphrase_key(key_file)
        try:
            self.secrets.set(key, passphrase, remember=remember)
        except KeyringUnavailable:
            self.secrets.set(key, passphrase, remember=False)

    def keep_secret(self, target: Target, secret: str, remember: bool) -> bool:
        """Keep a password the user typed: in the keyring when ``remember`` (True if it went there)."""
        if remember:
            try:
                self.secrets.set(target.secret_key, secret)
                return True
            except KeyringUnavailable:
                pass
        self.secrets.set(target.secret_key, secret, remember=False)
        return False

    def host_keys(self) -> HostKeyStore:
        with self._lock:
            if self._host_keys is None:
                from app.core.transfer.hostkeys import HostKeyStore  # paramiko loads only for SFTP

                self._host_keys = HostKeyStore(self.paths.known_hosts_file, user_files=self.user_known_hosts)
            return self._host_keys

    def remember_host_key(self, info: HostKeyInfo) -> None:
        self.host_keys().accept(info)

    def pin_certificate(self, host: str, port: int, fingerprint: str) -> None:
        self.pins.pin(host, port, fingerprint)

    # --- sessions -------------------------------------------------------------------------

    def make_session(
        self,
        target: Target,
        *,
        connector: Callable[[tuple[str, int], float], socket.socket] | None = None,
        protolog: ProtoLog | None = None,
    ) -> RemoteSession:
        """A new, unconnected session (any thread)."""
        if target.protocol in ("ftp", "ftps", "ftpsi"):
            from app.core.transfer.ftp import FtpSession

            security = {"ftp": "none", "ftps": "explicit", "ftpsi": "implicit"}[target.protocol]
            ascii_ext: tuple[str, ...] = ()
            if target.transfer_mode == "auto":
                ascii_ext = ASCII_EXTENSIONS
            elif target.transfer_mode == "ascii":
                ascii_ext = ("",)  # every name ends with "": all files in TYPE A
            return FtpSession(
                target.host,
                target.port,
                target.user or "anonymous",
                target.password,
                security=security,  # type: ignore[arg-type]
                passive=target.passive,
                encoding=target.encoding,
                ascii_extensions=ascii_ext,
                timeout=self.timeout,
                pins=self.pins,
                protolog=protolog,
                connect=connector,
            )
        if target.protocol == "sftp":
            from app.core.transfer.sftp import SftpSession

            return SftpSession(
                target.host,
                target.port,
                target.user or None,
                target.password,
                host_keys=self.host_keys(),
                accept_fingerprint=target.accept_host_key,
                key_filename=target.key_file,
                passphrase=target.passphrase,
                allow_agent=target.auth in ("agent", "key", "password", "ask"),
                timeout=self.timeout,
                protolog=protolog,
                connect=connector,
            )
        if target.protocol == "tftp":
            from app.core.transfer.tftp import TftpSession

            return TftpSession(target.host, target.port)
        raise QuayError(f"unsupported protocol {target.protocol!r}")

    def open_queue(
        self,
        target: Target,
        *,
        listener: Callable[[TransferEvent], None],
        resolver: Callable[[ConflictInfo], ConflictPolicy],
        policy: ConflictPolicy,
        speed_limit: float | None,
        max_attempts: int,
    ) -> TransferQueue:
        """The persistent queue of this account (worker thread: opening it re-queues a crashed run's jobs)."""
        frozen = replace(target)  # the factory must not see later edits of the tab's target

        def factory() -> RemoteSession:
            _yield_to_the_window()  # runs on the transfer worker thread that will use the session
            return self.make_session(frozen)

        return TransferQueue(
            self.paths.transfer_db,
            factory,
            name=f"gui:{target.key}",
            workers=target.max_connections,
            policy=policy,
            resolver=resolver,
            listener=listener,
            speed_limit=speed_limit,
            max_attempts=max_attempts,
        )


TRANSFER_NICENESS = 5


def _yield_to_the_window() -> None:
    """Let the calling transfer thread (and threads it starts, e.g. paramiko's) give way to the GUI thread.

    On a busy machine the window's thread otherwise waits behind the transfer threads for the CPU
    (and so for the GIL), and the window stalls.  Linux keeps a nice value per thread; elsewhere
    ``setpriority`` would lower the whole process, so it is left alone there.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        current = os.getpriority(os.PRIO_PROCESS, 0)
        if current < TRANSFER_NICENESS:
            os.setpriority(os.PRIO_PROCESS, 0, TRANSFER_NICENESS)


# --- the protocol log ---------------------------------------------------------------------


class LogBuffer:
    """Protocol and status lines from any thread; the message log pane drains it on a timer.

    Each entry is ``(time.time(), connection title, kind, text)`` with kind ``command``, ``reply``,
    ``info`` or ``error``.  The buffer keeps at most ``limit`` entries between drains.
    """

    def __init__(self, limit: int = 20000) -> None:
        self._lines: deque[tuple[float, str, str, str]] = deque(maxlen=limit)

    def add(self, title: str, kind: str, text: str) -> None:
        self._lines.append((time.time(), title, kind, text))

    def drain(self) -> list[tuple[float, str, str, str]]:
        out: list[tuple[float, str, str, str]] = []
        with contextlib.suppress(IndexError):
            while True:
                out.append(self._lines.popleft())
        return out

    def protolog_for(self, title: str) -> ProtoLog:
        """A :class:`ProtoLog` (which redacts secrets) whose lines land in this buffer."""
        return ProtoLog(stream=_LogStream(self, title))  # type: ignore[arg-type]


class _LogStream:
    """The text stream a ProtoLog writes ``HH:MM:SS label C:|S: text`` lines to."""

    def __init__(self, buffer: LogBuffer, title: str) -> None:
        self._buffer = buffer
        self._title = title

    def write(self, line: str) -> int:
        parts = line.rstrip("\n").split(" ", 3)
        if len(parts) == 4:
            kind = "command" if parts[2] == "C:" else "reply"
            text = parts[3]
            if kind == "reply" and text[:1] in ("4", "5") and text[:3].isdigit():
                kind = "error"
            self._buffer.add(self._title, kind, text)
        return len(line)

    def flush(self) -> None:
        return None


# --- one connection tab's browsing session ---------------------------------------------------------

_generation = itertools.count(1)


class RemoteConnection(QObject):
    """The browsing session of one connection tab; every call runs on the tab's serial worker.

    ``call(fn, on_done, on_error)`` runs ``fn(session)`` (connecting first when needed).
    :meth:`cancel` shuts the sockets, makes the pending callbacks get :class:`Cancelled`, and sends
    later calls to a fresh worker, so a hung server never blocks the tab.

    Signals:
        busy_changed(bool): calls are running (True) or the worker is idle (False).
    """

    busy_changed = Signal(bool)

    def __init__(self, backend: FilesBackend, target: Target, runner: TaskRunner, log: LogBuffer) -> None:
        super().__init__()
        self.backend = backend
        self.target = target
        self.runner = runner
        self.log = log
        self.home = "/"
        self._gen = next(_generation)
        self._connector = AbortableConnector()
        self._session: RemoteSession | None = None
        self._pending = 0
        self._protolog = log.protolog_for(target.title)
        self.closed = False

    @property
    def executor_key(self) -> str:
        return f"files-{self._gen}"

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def _ensure(self, gen: int) -> RemoteSession:
        """(worker) The connected session, connecting (with the stored password) when needed."""
        if self._session is not None and gen == self._gen:
            return self._session
        t = self.target
        anonymous = t.protocol.startswith("ftp") and t.user.lower() in ("", "anonymous")
        uses_password = t.protocol != "tftp" and t.auth not in ("key", "agent", "anonymous") and not anonymous
        if t.password is None and uses_password and t.auth != "ask":
            t.password = self.backend.find_password(t)
        if t.passphrase is None and t.key_file:
            t.passphrase = self.backend.find_passphrase(t.key_file)
        if t.protocol.startswith("ftp") and t.password is None and uses_password:
            raise NeedSecret("password", f"no password for {t.user}@{t.host}")
        text = QCoreApplication.translate("RemoteConnection", "Connecting to %1 (%2)…")
        self.log.add(t.title, "info", text.replace("%1", f"{t.host}:{t.port}").replace("%2", t.protocol.upper()))
        session = self.backend.make_session(t, connector=self._connector, protolog=self._protolog)
        try:
            session.connect()
        except AuthError as e:
            text = str(e)
            if "passphrase" in text:
                raise NeedSecret("passphrase", text) from e
            if t.password is None or t.auth == "ask":
                raise NeedSecret("password", text) from e
            raise
        if gen != self._gen:  # cancelled while connecting
            with contextlib.suppress(Exception):
                session.close()
            raise Cancelled("cancelled")
        self._session = session
        self.home = session.home()
        text = QCoreApplication.translate("RemoteConnection", "Connected; the home folder is %1")
        self.log.add(t.title, "info", text.replace("%1", self.home))
        return session

    def call(
        self,
        fn: Callable[[RemoteSession], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        quiet: bool = False,
    ) -> Task:
        """Run ``fn(session)`` on the worker; exactly one of the callbacks runs on the GUI thread.

        ``quiet``: a failure is not written to the message log (the folder tree peeking into folders
        the user may not read)."""
        gen = self._gen

        def work() -> Any:
            if self.closed:
                raise Cancelled("closed")
            session = self._ensure(gen)
            try:
                return fn(session)
            except QuayError as e:
                from app.core.errors import NetworkError

                if isinstance(e, NetworkError) and gen == self._gen:
                    self._drop(session)  # the next call reconnects
                raise

        def done(value: Any) -> None:
            self._finish()
            if gen != self._gen:
                if on_error is not None:
                    on_error(Cancelled("cancelled"))
                return
            if on_done is not None:
                on_done(value)

        def failed(exc: BaseException) -> None:
            self._finish()
            if gen != self._gen and not isinstance(exc, Cancelled):
                exc = Cancelled("cancelled")
            if isinstance(exc, QuayError) and not isinstance(exc, (Cancelled, NeedSecret)) and not quiet:
                self.log.add(self.target.title, "error", str(exc))
            if on_error is not None:
                on_error(exc)

        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        return Task(self.runner.serial(self.executor_key), work).on_success(done).on_failure(failed).start()

    def _finish(self) -> None:
        self._pending = max(0, self._pending - 1)
        if self._pending == 0:
            self.busy_changed.emit(False)

    def _drop(self, session: RemoteSession) -> None:
        if self._session is session:
            self._session = None
        with contextlib.suppress(Exception):
            session.close()

    def cancel(self) -> None:
        """Stop what runs now: shut its sockets, drop its results, use a fresh worker from now on."""
        self._gen = next(_generation)
        self._connector.abort()
        self._connector = AbortableConnector()
        old, self._session = self._session, None
        if old is not None:
            # Closing may block on a dead server: let a throw-away thread do it.
            threading.Thread(target=lambda: _quiet_close(old), daemon=True).start()
        self.log.add(self.target.title, "info", self.tr("Cancelled by the user"))

    def close(self) -> None:
        self.closed = True
        session, self._session = self._session, None
        self._connector.abort()
        if session is not None:
            threading.Thread(target=lambda: _quiet_close(session), daemon=True).start()


def _quiet_close(session: RemoteSession) -> None:
    with contextlib.suppress(Exception):
        session.close()


# --- the queue bridge -------------------------------------------------------------------------


class QueueFeed:
    """A queue's events from its worker threads, merged per job (latest wins) for the GUI to drain.

    Every event gets a sequence number, so a snapshot of the jobs taken on a worker
    (:meth:`seq` before the query) and the events drained later can be put in order.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[int, tuple[int, TransferEvent]] = {}
        self._seq = 0
        self.last_activity = time.monotonic()

    def listener(self, event: TransferEvent) -> None:
        with self._lock:
            self._seq += 1
            self._latest[event.job_id] = (self._seq, event)

    def seq(self) -> int:
        with self._lock:
            return self._seq

    def drain(self) -> list[tuple[int, TransferEvent]]:
        with self._lock:
            if not self._latest:
                return []
            out = list(self._latest.values())
            self._latest = {}
            return out


@dataclass
class ConflictQuestion:
    """One conflict the GUI must answer; the worker waits on ``answered``."""

    info: ConflictInfo
    answer: ConflictPolicy = ConflictPolicy.SKIP
    apply_to_all: bool = False
    answered: threading.Event = field(default_factory=threading.Event)


class ConflictAsker(QObject):
    """The resolver of the GUI's queues: asks the user (on the GUI thread) and waits for the answer.

    An answer with "apply to all" is kept and given to every later conflict of this asker without
    asking again.  While nobody answers, the worker waits; :meth:`close` releases it (skip).

    Signals:
        question(ConflictQuestion): show a conflict prompt (GUI thread).
    """

    question = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._for_all: ConflictPolicy | None = None
        self._closed = False
        self._open: list[ConflictQuestion] = []

    def reset(self) -> None:
        with self._lock:
            self._for_all = None

    def resolve(self, info: ConflictInfo) -> ConflictPolicy:
        """(worker thread) The policy for this conflict."""
        with self._lock:
            if self._for_all is not None:
                return self._for_all
            if self._closed:
                return ConflictPolicy.SKIP
            q = ConflictQuestion(info)
            self._open.append(q)
        self.question.emit(q)
        while not q.answered.wait(0.25):
            if self._closed:
                return ConflictPolicy.SKIP
        with self._lock:
            if q.apply_to_all and self._for_all is None:
                self._for_all = q.answer
            if q in self._open:
                self._open.remove(q)
            return self._for_all if (self._for_all is not None and q.apply_to_all) else q.answer

    def answer(self, q: ConflictQuestion, policy: ConflictPolicy, apply_to_all: bool) -> None:
        """(GUI thread) Answer one question; "apply to all" also answers the others already waiting."""
        with self._lock:
            if apply_to_all:
                self._for_all = policy
            waiting = [o for o in self._open if o is not q] if apply_to_all else []
        q.answer, q.apply_to_all = policy, apply_to_all
        q.answered.set()
        for other in waiting:
            other.answer, other.apply_to_all = policy, True
            other.answered.set()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            waiting = list(self._open)
        for q in waiting:
            q.answered.set()
