"""Everything the Files tab needs from the core, in one place, on top of :class:`app.core.services.Services`.

This is the only module of ``app/ui/transfer`` that reads saved sites or asks for sessions and
queues; every one of those comes from the services layer (no session, store or file name here).

* :class:`Target` -- what to connect to: a :class:`Site` record (saved, or made for a quick-connect
  address) plus what the user gave for this connection only (a typed password, a key passphrase,
  a host key accepted "once").  Secrets stay out of ``repr``.
* :class:`FilesBackend` -- sites, secrets and trust decisions through the services, and the
  :class:`ConnectOptions` a target's sessions and queue are opened with.
* :class:`RemoteConnection` -- one connection tab's browsing session on its own serial worker.
  Cancel shuts the session's sockets (a stalled server cannot hold the tab) and moves later
  calls to a fresh worker; a cancelled call's result is dropped.
* :class:`QueueFeed` and :class:`ConflictAsker` -- the bridge between a transfer queue's worker
  threads and the GUI: events are merged per job and drained by a GUI timer (batched repaints);
  conflict questions wait on the worker for the GUI's answer.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.core.errors import AuthError, Cancelled, HostKeyInfo, MissingPassword, NetworkError, QuayError
from app.core.protolog import ProtoLog
from app.core.secrets import KeyringUnavailable
from app.core.services import ConnectOptions, Services
from app.core.transfer.base import KeyPassphraseNeeded, RemoteSession
from app.core.transfer.queue import ConflictInfo, ConflictPolicy, TransferEvent
from app.core.transfer.sites import TRANSFER_MODES, ImportReport, Site
from app.core.urls import DEFAULT_PORTS, Security
from app.ui.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from app.core.paths import AppPaths
    from app.core.transfer.queue import TransferQueue

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
    "default_port",
    "site_for",
]

#: Protocols in the order the UI lists them: the URL scheme words naming kind and security.
PROTOCOLS = ("ftp", "ftps", "ftpsi", "sftp", "tftp")
_PROTOCOL_KINDS: dict[str, tuple[str, Security]] = {
    "ftp": ("ftp", Security.NONE),
    "ftps": ("ftp", Security.STARTTLS),
    "ftpsi": ("ftp", Security.TLS),
    "sftp": ("sftp", Security.SSH),
    "tftp": ("tftp", Security.NONE),
}
#: How much the transfer threads give way to the window's thread (a nice value, Linux, per thread).
TRANSFER_NICENESS = 5


def default_port(protocol: str) -> int:
    """The usual port of a protocol word of :data:`PROTOCOLS`."""
    return DEFAULT_PORTS[_PROTOCOL_KINDS[protocol]]


def site_for(protocol: str, host: str, port: int | None = None, user: str = "", **fields: Any) -> Site:
    """A :class:`Site` for a protocol word of :data:`PROTOCOLS` (:class:`BadRecord` when unusable)."""
    kind, security = _PROTOCOL_KINDS[protocol]
    if kind == "ftp" and not user:
        user = "anonymous"
    auth = fields.pop("auth", None)
    if auth is None:
        if kind == "tftp":
            auth = "none"
        elif kind == "sftp":
            auth = "auto"  # keys and the SSH agent first, then a password (typed, saved or asked for)
        elif user.lower() in ("anonymous", "ftp"):
            auth = "anonymous"
        else:
            auth = "password"
    fields.setdefault("name", "")
    return Site(kind=kind, security=security, host=host, port=port or 0, user=user, auth=auth, **fields)


class NeedSecret(QuayError):
    """The connection needs a password (or a key passphrase) that nobody has given yet."""

    def __init__(self, kind: str, message: str, refused: QuayError | None = None) -> None:
        super().__init__(message)
        self.kind = kind  # "password" or "passphrase"
        self.refused = refused  # why the one given did not do (None when none was tried)


@dataclass
class Target:
    """One server to connect to: a site record and what the user gave for this connection only.

    ``saved``: the site is in the site list (changes to it, like a plaintext consent, are saved).
    """

    site: Site
    saved: bool = False
    password: str | None = field(default=None, repr=False)
    passphrase: str | None = field(default=None, repr=False)
    accept_host_key: str | None = None  # a fingerprint the user accepted "once"
    remember_secret: bool = True

    @classmethod
    def quick(
        cls,
        protocol: str,
        host: str,
        port: int | None = None,
        user: str = "",
        password: str | None = None,
        remote_dir: str = "",
    ) -> Target:
        """A quick-connect target (not saved; a typed password lives for this session only)."""
        site = site_for(protocol, host, port, user, remote_dir=remote_dir or None, id=f"quick-{uuid.uuid4().hex}")
        return cls(site, saved=False, password=password or None, remember_secret=False)

    # The site's fields, read through (the UI reads them often).
    @property
    def protocol(self) -> str:
        """The protocol word of :data:`PROTOCOLS` (``ftps`` is explicit FTPS, ``ftpsi`` implicit)."""
        return self.site.scheme

    @property
    def host(self) -> str:
        return self.site.host

    @property
    def port(self) -> int:
        return self.site.port

    @property
    def user(self) -> str:
        return self.site.user

    @property
    def name(self) -> str:
        return self.site.name if self.saved else ""

    @property
    def site_id(self) -> str | None:
        return self.site.id if self.saved else None

    @property
    def auth(self) -> str:
        return self.site.auth

    @property
    def key_file(self) -> str | None:
        return self.site.key_file

    @property
    def remote_dir(self) -> str:
        return self.site.remote_dir or ""

    @property
    def local_dir(self) -> str:
        return self.site.local_dir or ""

    @property
    def public_url_prefix(self) -> str:
        return self.site.public_url_prefix

    @property
    def max_connections(self) -> int:
        return max(1, min(10, self.site.max_connections))

    @property
    def is_tftp(self) -> bool:
        """TFTP has no folder listing: files are got and put by name."""
        return self.site.kind == "tftp"

    @property
    def key(self) -> str:
        """Identity of the account (user, host, port, protocol): names its transfer queue and log."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        return f"{self.protocol}://{user}{host}:{self.port}"

    @property
    def title(self) -> str:
        return self.name or (f"{self.user}@{self.host}" if self.user else self.host)

    def url_for(self, path: str) -> str:
        """``scheme://user@host:port/path`` (never with a password)."""
        return self.key + quote(path if path.startswith("/") else "/" + path)

    def public_url(self, path: str) -> str | None:
        """The web address of ``path`` under the site's public URL prefix (None when the site has none)."""
        return self.site.public_url(path)

    def to_quick_url(self) -> str:
        """The quick-connect history entry: the address without any secret."""
        return self.key


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
    """Sites, secrets, trust decisions, sessions and queues for the Files tab, through :class:`Services`.

    GUI thread unless noted; the keyring may talk to a D-Bus service, so what touches it says
    "(worker)".  ``timeout`` is the network timeout of the tab's sessions.
    """

    def __init__(self, services: Services) -> None:
        self.services = services
        self.timeout = 30.0

    @classmethod
    def for_paths(cls, paths: AppPaths) -> FilesBackend:
        return cls(Services(paths))

    @property
    def paths(self) -> AppPaths:
        return self.services.paths

    @property
    def known_hosts_file(self) -> Path:
        """Quay's own SSH host key file (the changed-key warning says where to remove an old key)."""
        return self.services.paths.known_hosts_file

    # --- sites ----------------------------------------------------------------------------

    def reload_sites(self) -> None:
        """Read the site list again from disk (another window or the CLI changed it)."""
        with contextlib.suppress(QuayError):
            self.services.reload_sites()

    def sites(self) -> list[Site]:
        return self.services.sites.all()

    def site(self, site_id: str) -> Site | None:
        return self.services.sites.get(site_id)

    def save_site(self, site: Site, *, password: str | None = None) -> None:
        """Save (add or replace by id); the password goes to the keyring only."""
        self.services.save_site(site, password)

    def duplicate_site(self, site: Site, name: str) -> Site:
        """A copy under a new name and id, with the original's saved password (worker-safe, keyring)."""
        copy = replace(site, name=name, id=uuid.uuid4().hex)
        self.services.save_site(copy, self.site_password(site))
        return copy

    def remove_site(self, site: Site) -> None:
        self.services.remove_site(site.id)

    def site_password(self, site: Site) -> str | None:
        try:
            return self.services.secrets.get(site.secret_key, use_keyring=site.saves_password)
        except KeyringUnavailable:
            return None

    def import_filezilla(self, path: Path) -> ImportReport:
        from app.core.errors import LocalIOError
        from app.core.transfer.sites import import_filezilla

        try:
            data = path.read_bytes()
        except OSError as e:
            raise LocalIOError(f"cannot read {path}: {e.strerror or e}", path=str(path)) from e
        return import_filezilla(data, self.services.sites)

    def import_ssh_config(self, path: Path) -> ImportReport:
        from app.core.transfer.sites import import_openssh_config

        return import_openssh_config(path, self.services.sites)

    def target_for_site(self, site: Site) -> Target:
        return Target(replace(site), saved=self.services.sites.get(site.id) is not None)

    def allow_plaintext(self, target: Target) -> None:
        """The user agreed to send this site's password unencrypted: keep that on the site (saved ones too)."""
        target.site.allow_plaintext = True
        if target.saved:
            saved = self.services.sites.get(target.site.id)
            if saved is not None:
                saved.allow_plaintext = True
                self.services.save_site(saved)

    # --- secrets and trust ----------------------------------------------------------------------

    @staticmethod
    def passphrase_key(key_file: str) -> str:
        return f"sshkey:{Path(key_file).expanduser()}"

    def find_passphrase(self, key_file: str) -> str | None:
        """(worker) A key's passphrase the user chose to remember."""
        try:
            return self.services.secrets.get(self.passphrase_key(key_file))
        except KeyringUnavailable:
            return None

    def keep_passphrase(self, key_file: str, passphrase: str, remember: bool) -> None:
        """(worker) Keep a key's passphrase: in the keyring when ``remember``, else for this session."""
        key = self.passphrase_key(key_file)
        try:
            self.services.secrets.set(key, passphrase, remember=remember)
        except KeyringUnavailable:
            self.services.secrets.set(key, passphrase, remember=False)

    def keep_secret(self, target: Target, secret: str, remember: bool) -> bool:
        """(worker) Keep a password the user typed: in the keyring when ``remember`` (True if it went there)."""
        key = target.site.secret_key
        if remember and target.site.saves_password:
            try:
                self.services.secrets.set(key, secret)
                return True
            except KeyringUnavailable:
                pass
        self.services.secrets.remember_for_session(key, secret)
        return False

    @property
    def pins(self) -> Any:
        return self.services.pins

    @property
    def host_keys(self) -> Any:
        """(worker: loading it reads files and imports paramiko) The SSH host key store."""
        return self.services.host_keys

    def remember_host_key(self, info: HostKeyInfo) -> None:
        self.services.accept_host_key(info)

    def pin_certificate(self, host: str, port: int, fingerprint: str) -> None:
        self.services.trust_certificate(host, port, fingerprint)

    # --- sessions -------------------------------------------------------------------------

    def options(
        self,
        target: Target,
        *,
        connector: Callable[[tuple[str, int], float], socket.socket] | None = None,
        protolog: ProtoLog | None = None,
    ) -> ConnectOptions:
        """What this connection adds to the site record: typed secrets, a key accepted once, the socket maker."""
        return ConnectOptions(
            password=target.password,
            accept_host_key=target.accept_host_key,
            passphrase=target.passphrase,
            timeout=self.timeout,
            connect=connector,
            protolog=protolog,
        )

    def open_session(
        self,
        target: Target,
        *,
        connector: Callable[[tuple[str, int], float], socket.socket] | None = None,
        protolog: ProtoLog | None = None,
    ) -> RemoteSession:
        """(worker) A connected session: consent, password, trust and log as the services do them."""
        return self.services.file_session(target.site, self.options(target, connector=connector, protolog=protolog))

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
        """(worker: opening it re-queues a crashed run's jobs) The persistent queue of this account."""
        return self.services.transfer_queue(
            replace(target.site),  # the workers must not see later edits of the tab's site
            self.options(target),
            name=f"gui:{target.key}",
            workers=target.max_connections,
            policy=policy,
            resolver=resolver,
            listener=listener,
            speed_limit=speed_limit,
            max_attempts=max_attempts,
            thread_niceness=TRANSFER_NICENESS,
        )


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
        if t.passphrase is None and t.key_file:
            t.passphrase = self.backend.find_passphrase(t.key_file)
        try:
            if t.password is None:
                # Consent first (plain FTP), then the saved password: known before anything is sent.
                t.password = self.backend.services.password_for(t.site)
        except MissingPassword as e:
            raise NeedSecret("password", str(e)) from e
        tried = t.password
        text = QCoreApplication.translate("RemoteConnection", "Connecting to %1 (%2)…")
        self.log.add(t.title, "info", text.replace("%1", f"{t.host}:{t.port}").replace("%2", t.protocol.upper()))
        try:
            session = self.backend.open_session(t, connector=self._connector, protolog=self._protolog)
        except KeyPassphraseNeeded as e:
            raise NeedSecret("passphrase", str(e), e if e.wrong else None) from e
        except AuthError as e:
            if tried is None and t.site.uses_password:
                raise NeedSecret("password", str(e)) from e  # keys and agent did not do: ask for the password
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
                if isinstance(e, NetworkError) and gen == self._gen:
                    self._drop(session)  # the next call reconnects
                raise

        def done(value: Any) -> None:
            self._finish()
            if self.closed:  # the tab is gone (its pane and models may be deleted already)
                return
            if gen != self._gen:
                if on_error is not None:
                    on_error(Cancelled("cancelled"))
                return
            if on_done is not None:
                on_done(value)

        def failed(exc: BaseException) -> None:
            self._finish()
            if self.closed:
                return
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
        if self._pending == 0 and not self.closed:
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
