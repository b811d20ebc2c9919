"""The Mail tab's work, per account, on workers: sync, bodies on demand, local actions + offline queue, push.

This is the one module of the reading side that reads account records (as
:class:`~app.core.mail.account_setup.MailProfile` views over the services'
records, shared with the composer through one :class:`Services`) and opens
sessions. Everything that touches the network or may scan many rows runs
through :mod:`app.ui.tasks`:

* ``runner.serial(account_key)``: that account's connection and its writes
  (sync, replay of the offline queue, local actions, undo, folder management);
* ``runner.serial("mail-read")``: list queries (ids of a folder, searches);
* ``runner.pool``: parsing and sanitizing a message for display.

Each worker thread has its own :class:`Store` connection (WAL: readers never
wait for the writer). Local actions change the cache at once and queue server
operations (:mod:`app.core.mail.imap.ops`); the queue replays whenever a
connection works. New mail arrives through IDLE (a watcher thread per account
that only *notices* changes and asks the account's worker to sync) or, where
the server lacks IDLE, by polling.

Signals (all delivered on the GUI thread):
    accounts_changed(): the account list or an account's folders changed.
    messages_changed(object): a set of folder ids whose messages changed (new, gone, flags).
    account_state_changed(str): an account's sync state changed (see :class:`AccountRuntime`).
    progress(str, int, int): activity text, done, total (total 0: indeterminate; "" text: idle).
    tasks_changed(): the task list changed (:meth:`MailBackend.tasks`).
    pending_changed(int): operations waiting for the server, all accounts.
    trust_needed(str, object): an account's server certificate is not trusted (the TlsError).
    password_needed(str): no password for an account (or it was refused).
    new_mail(object): unread messages a check found in an Inbox that had mail before (not a first
        download): a list of (message id, sender, subject), newest first.
"""

from __future__ import annotations

import collections
import itertools
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTimer, Signal

from app.core.accounts import LOCAL_FOLDERS_KEY, Account
from app.core.errors import AuthError, NetworkError, QuayError, TlsError
from app.core.mail import queries
from app.core.mail.account_setup import MailProfile, load_profiles
from app.core.mail.display import DisplayMessage, build_display
from app.core.mail.imap import bodies, folders, ops
from app.core.mail.imap.idle import IdleWatcher
from app.core.mail.imap.search import server_search_merge
from app.core.mail.imap.session import ImapSession
from app.core.mail.imap.sync import SyncProgress, sync_folder
from app.core.mail.store import FolderRow, Store
from app.core.paths import AppPaths
from app.core.protolog import ProtoLog
from app.core.services import ConnectOptions, Services
from app.ui.tasks import Task, TaskRunner

LOCAL_KEY = LOCAL_FOLDERS_KEY
#: The key earlier versions of the reader gave Local Folders in the cache (renamed on start).
_OLD_LOCAL_KEY = "local:folders"
READ_KEY = "mail-read"
GUI_CACHE_KIB = 2000  # SQLite page cache of the GUI thread's connection
# ... and of the list worker's, which walks whole-folder indexes (re-read from the OS's file cache in a
# few ms; the 32 MB default kept every index and search page it ever read in this process).
READ_CACHE_KIB = 8000

PasswordProvider = Callable[[Account], "str | None"]


def _number(n: int) -> str:
    """``12,000`` / ``12.000``: grouped the way the UI language writes numbers."""
    return QLocale().toString(n)


class LogBuffer(QObject):
    """A protocol log kept in memory (the last ``limit`` lines), readable by the protocol-log window.

    ``write``/``flush`` make it a text stream for :class:`ProtoLog` (called on worker threads).

    Signals:
        appended(str): new lines (already redacted by ProtoLog).
    """

    appended = Signal(str)

    def __init__(self, limit: int = 5000) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=limit)
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            for ln in text.splitlines():
                self.lines.append(ln)
        self.appended.emit(text)
        return len(text)

    def flush(self) -> None:
        pass

    def text(self) -> str:
        with self._lock:
            return "\n".join(self.lines)


@dataclass
class AccountRuntime:
    """One account as the Mail tab runs it. ``status``: idle, syncing, offline, error."""

    key: str
    kind: str  # imap, pop3, local
    name: str
    account: Account | None
    account_id: int
    profile: MailProfile | None = None
    status: str = "idle"
    error: BaseException | None = None
    session: ImapSession | None = None  # touched only on the account's worker
    capabilities: frozenset[str] = frozenset()
    log_buffer: LogBuffer = field(default_factory=LogBuffer)
    log: ProtoLog | None = None
    idle_thread: threading.Thread | None = None
    idle_stop: threading.Event = field(default_factory=threading.Event)
    retry_delay: float = 2.0
    queued_syncs: set[int] = field(default_factory=set)
    synced_once: bool = False
    last_check: float = 0.0  # monotonic time of the last check for new mail that was started

    @property
    def check_interval(self) -> int:
        """Seconds between automatic checks (0: only when asked), the account's own setting."""
        return self.account.check_interval if self.account is not None else 0


@dataclass
class TaskInfo:
    """One entry of the task panel."""

    id: int
    account: str
    title: str
    state: str = "running"  # running, failed
    error: BaseException | None = None
    retry: Callable[[], None] | None = None


@dataclass
class UndoRecord:
    """The last move/delete, to put back with Ctrl+Z: (message id, source folder, source uid), target."""

    title: str
    items: list[tuple[int, int, int | None]]
    target: int


class MailBackend(QObject):
    """See the module docstring."""

    accounts_changed = Signal()
    messages_changed = Signal(object)
    account_state_changed = Signal(str)
    progress = Signal(str, int, int)
    tasks_changed = Signal()
    pending_changed = Signal(int)
    trust_needed = Signal(str, object)
    password_needed = Signal(str)
    new_mail = Signal(object)
    _idle_noticed = Signal(str, int)

    def __init__(
        self,
        paths: AppPaths,
        runner: TaskRunner | None = None,
        *,
        password_provider: PasswordProvider | None = None,
        use_idle: bool = True,
        poll_interval: float = 30.0,
        services: Services | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``poll_interval``: how often (seconds) to look whether an account's own check interval has
        passed (0: never check by time); ``services``: shared with the composer (one account book,
        one keyring memory)."""
        super().__init__(parent)
        self.paths = paths
        self.runner = runner or TaskRunner()
        self._own_runner = runner is None
        self.services = services or Services(paths)
        self._secrets = self.services.secrets
        self._session_passwords: dict[str, str] = {}
        self._password_provider = password_provider
        self.use_idle = use_idle
        self.poll_interval = poll_interval
        #: The app-wide switch (Settings → Mail → check interval): False turns every timed check off.
        self.timed_checks = True
        self._tls = threading.local()
        self._stores: list[Store] = []
        self._stores_lock = threading.Lock()
        self.store = self.services.mail_store()  # the GUI thread's (reads only; creates and migrates the file)
        # It reads a screenful of rows at a time by primary key, cheap from the OS's file cache: with the
        # cache's default 32 MB of pages, scrolling through 100,000 messages kept ~30 MB of them here.
        self.store.conn.execute(f"PRAGMA cache_size = -{GUI_CACHE_KIB}")
        self._stores.append(self.store)
        self._rename_old_local_folders()
        self.pins = self.services.pins
        self.accounts: dict[str, AccountRuntime] = {}
        self._tasks: dict[int, TaskInfo] = {}
        self._task_ids = itertools.count(1)
        self.undo_record: UndoRecord | None = None
        self.closed = False
        self._poll_timer = QTimer(self)
        self._poll_timer.timeout.connect(self._poll)
        self._idle_noticed.connect(self._on_idle_noticed)
        self.remote_senders: set[str] = set()
        self.reload_accounts()

    # ------------------------------------------------------------- accounts

    def _rename_old_local_folders(self) -> None:
        """Caches of earlier versions kept Local Folders under another key than the composer's: join them."""
        with self.store.transaction() as c:
            if c.execute("SELECT 1 FROM accounts WHERE key = ?", (LOCAL_KEY,)).fetchone() is None:
                c.execute("UPDATE accounts SET key = ? WHERE key = ?", (LOCAL_KEY, _OLD_LOCAL_KEY))

    def reload_accounts(self) -> None:
        """Read the account records (small local files) and register them in the cache."""
        book = self.services.accounts
        try:
            book.reload()  # the file is read afresh (the CLI may have changed it)
            profiles = load_profiles(book)
        except QuayError:
            profiles = []
        seen = {LOCAL_KEY}
        if LOCAL_KEY not in self.accounts:
            aid = self.store.ensure_account(LOCAL_KEY, "local")
            self.accounts[LOCAL_KEY] = AccountRuntime(LOCAL_KEY, "local", "", None, aid)
        for p in profiles:
            a = p.account()
            seen.add(a.key)
            name = a.display_name or a.email or a.username
            rt = self.accounts.get(a.key)
            if rt is not None:  # edited (name, interval, identities, POP3 choices): same server, same cache
                rt.account, rt.profile, rt.name = a, p, name
                continue
            aid = self.store.ensure_account(a.key, a.kind, a.host, a.port, a.username, a.security)
            rt = AccountRuntime(a.key, a.kind, name, a, aid, profile=p)
            rt.log = ProtoLog(stream=rt.log_buffer)  # type: ignore[arg-type]
            if a.kind == "pop3" and self.store.folder_by_name(aid, "INBOX") is None:
                self.store.create_local_folder(aid, "INBOX")
            self.accounts[a.key] = rt
        for key in [k for k in self.accounts if k not in seen]:
            self._stop_idle(self.accounts.pop(key))
        # The user's order (the account book's), then Local Folders.
        order = {p.key: n for n, p in enumerate(profiles)}
        self.accounts = dict(sorted(self.accounts.items(), key=lambda kv: order.get(kv[0], len(order))))
        self.accounts_changed.emit()

    def account_list(self) -> list[AccountRuntime]:
        """Server accounts in the order of the account book, then Local Folders."""
        return [rt for k, rt in self.accounts.items() if k != LOCAL_KEY] + [self.accounts[LOCAL_KEY]]

    def account_for_folder(self, folder_id: int) -> AccountRuntime | None:
        f = self.store.folder(folder_id)
        if f is None:
            return None
        return next((rt for rt in self.accounts.values() if rt.account_id == f.account_id), None)

    def folders(self, key: str) -> list[FolderRow]:
        rt = self.accounts.get(key)
        return [] if rt is None or self.closed else self.store.folders(rt.account_id)

    def set_password(self, key: str, password: str) -> None:
        """A password the user typed, kept for this session only (saving it is the account settings' job)."""
        self._session_passwords[key] = password

    def _password(self, rt: AccountRuntime) -> str | None:
        if rt.key in self._session_passwords:
            return self._session_passwords[rt.key]
        assert rt.account is not None
        if self._password_provider is not None:
            return self._password_provider(rt.account)
        try:
            return self._secrets.get(rt.account.secret_key)
        except QuayError:
            return None

    def trust_certificate(self, key: str, fingerprint: str) -> None:
        """Pin the certificate the user accepted for this account's server, then retry."""
        rt = self.accounts.get(key)
        if rt is None or rt.account is None:
            return
        self.pins.pin(rt.account.host, rt.account.port, fingerprint)
        self.sync_account(key)

    # ---------------------------------------------------------------- stores

    def _store(self, *, cache_kib: int | None = None) -> Store:
        """This worker thread's own connection to the cache (``cache_kib``: its page cache, if not the default)."""
        st: Store | None = getattr(self._tls, "store", None)
        if st is None:
            st = self.services.mail_store()
            if cache_kib is not None:
                st.conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
            self._tls.store = st
            with self._stores_lock:
                self._stores.append(st)
        return st

    # ----------------------------------------------------------------- tasks

    def tasks(self) -> list[TaskInfo]:
        return list(self._tasks.values())

    def _begin(self, key: str, title: str, retry: Callable[[], None] | None = None) -> TaskInfo:
        info = TaskInfo(next(self._task_ids), key, title, retry=retry)
        self._tasks[info.id] = info
        self.tasks_changed.emit()
        return info

    def _end(self, info: TaskInfo, error: BaseException | None = None) -> None:
        if error is None:
            self._tasks.pop(info.id, None)
        else:
            info.state, info.error = "failed", error
            for other in [t for t in self._tasks.values() if t.state == "failed" and t is not info]:
                if other.account == info.account and other.title == info.title:
                    self._tasks.pop(other.id, None)  # keep only the latest failure of the same kind
        self.tasks_changed.emit()

    def retry_task(self, task_id: int) -> None:
        info = self._tasks.pop(task_id, None)
        self.tasks_changed.emit()
        if info is not None and info.retry is not None:
            info.retry()

    def _run(
        self,
        key: str,
        title: str,
        work: Callable[..., Any],
        on_done: Callable[[Any], None] | None = None,
        *,
        retry: Callable[[], None] | None = None,
        with_progress: bool = False,
        on_progress: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        """Run ``work`` on the account's worker, listed in the task panel while it runs (and if it fails)."""
        info = self._begin(key, title, retry)

        def ok(value: Any) -> None:
            if self.closed:
                return
            self._end(info)
            if on_done is not None:
                on_done(value)

        def bad(e: BaseException) -> None:
            if self.closed:
                return
            self._end(info, e)
            self._account_error(key, e)
            if on_error is not None:
                on_error(e)

        task = Task(self.runner.serial(key), work, with_progress=with_progress).on_success(ok).on_failure(bad)
        if on_progress is not None:
            task.on_progress(on_progress)
        return task.start()

    # --------------------------------------------------------------- sessions

    def _session(self, rt: AccountRuntime) -> ImapSession:
        """The account's connection (worker thread only), connecting if needed."""
        if rt.session is not None and rt.session.connected:
            return rt.session
        rt.session = self._new_session(rt)
        rt.capabilities = rt.session.capabilities
        return rt.session

    def _new_session(self, rt: AccountRuntime) -> ImapSession:
        assert rt.account is not None
        password = self._password(rt)
        if password is None:
            raise AuthError(QCoreApplication.translate("MailBackend", "No password is saved for this account."))
        log = rt.log or ProtoLog(enabled=False)
        return self.services.imap_session(rt.account, ConnectOptions(password=password, protolog=log))

    def _drop_session(self, rt: AccountRuntime) -> None:
        if rt.session is not None:
            try:
                rt.session.close()
            except Exception:
                pass
            rt.session = None

    def _account_error(self, key: str, e: BaseException) -> None:
        rt = self.accounts.get(key)
        if rt is None or rt.kind == "local":
            return
        if isinstance(e, NetworkError):
            rt.status = "offline"
            delay = rt.retry_delay
            rt.retry_delay = min(rt.retry_delay * 2, 300.0)
            QTimer.singleShot(int(delay * 1000), lambda: self._retry_if_offline(key))
        elif isinstance(e, TlsError) and e.certificate is not None:
            rt.status = "error"
            self.trust_needed.emit(key, e)
        elif isinstance(e, AuthError):
            rt.status = "error"
            self.password_needed.emit(key)
        elif isinstance(e, QuayError):
            rt.status = "error"
        else:
            rt.status = "error"
        rt.error = e
        self.account_state_changed.emit(key)
        self.progress.emit("", 0, 0)

    def _retry_if_offline(self, key: str) -> None:
        rt = self.accounts.get(key)
        if rt is not None and rt.status == "offline" and not self.closed:
            self.sync_account(key)

    # ------------------------------------------------------------------ sync

    def start(self, *, check_mail: bool = True) -> None:
        """After the window is shown: check the accounts that ask for it on start (all, unless
        ``check_mail`` is False: then only IMAP folder lists are refreshed) and start the timed checks."""
        for rt in self.account_list():
            if rt.kind == "local":
                continue
            wants = check_mail and (rt.account is None or rt.account.check_on_start)
            if wants:
                self.sync_account(rt.key)
            else:
                rt.last_check = time.monotonic()  # the first timed check comes one interval from now
        if self.poll_interval > 0:
            self._poll_timer.start(int(self.poll_interval * 1000))

    def sync_account(self, key: str, folder_ids: Sequence[int] | None = None) -> None:
        """Refresh folders, replay the offline queue and sync ``folder_ids`` (default: all) of an account."""
        rt = self.accounts.get(key)
        if rt is None or rt.kind == "local" or self.closed:
            return
        wanted = set(folder_ids or [])
        if folder_ids is not None and wanted <= rt.queued_syncs:
            return  # already queued: one sync will see all changes
        rt.queued_syncs |= wanted
        rt.last_check = time.monotonic()
        rt.status = "syncing"
        self.account_state_changed.emit(key)
        title = QCoreApplication.translate("MailBackend", "Syncing %1").replace("%1", rt.name)

        def work(report: Callable[[Any], None], cancel: threading.Event) -> Any:
            rt.queued_syncs -= wanted
            if rt.kind == "pop3":
                return self._work_pop3(rt, report)
            return self._work_sync(rt, folder_ids, report, cancel)

        def done(_result: Any) -> None:
            rt.status, rt.error, rt.retry_delay = "idle", None, 2.0
            rt.synced_once = True
            self.account_state_changed.emit(key)
            self.progress.emit("", 0, 0)
            self.pending_changed.emit(self.pending_count())
            self._ensure_push(rt)

        def failed(_e: BaseException) -> None:
            rt.queued_syncs -= wanted

        self._run(
            key, title, work, done, retry=lambda: self.sync_account(key, folder_ids), with_progress=True,
            on_progress=self._on_worker_report, on_error=failed,
        )  # fmt: skip

    def _on_worker_report(self, msg: Any) -> None:
        if self.closed:
            return
        kind = msg[0]
        if kind == "folders":
            self.accounts_changed.emit()
        elif kind == "changed":
            self.messages_changed.emit(set(msg[1]))
        elif kind == "progress":
            _, folder, done, total = msg
            text = QCoreApplication.translate("MailBackend", "Syncing %1: %2 of %3")
            self.progress.emit(
                text.replace("%1", folder).replace("%2", _number(done)).replace("%3", _number(total)), done, total
            )
        elif kind == "pending":
            self.pending_changed.emit(self.pending_count())
        elif kind == "new" and msg[1]:
            self.new_mail.emit(list(msg[1]))

    def _work_sync(
        self,
        rt: AccountRuntime,
        folder_ids: Sequence[int] | None,
        report: Callable[[Any], None],
        cancel: threading.Event,
    ) -> None:
        store = self._store()
        try:
            sess = self._session(rt)
            if folder_ids is None or not rt.synced_once:
                folders.refresh_folders(sess, store, rt.account_id)
                report(("folders",))
            self._replay(rt, sess, store, report)
            targets = list(folder_ids) if folder_ids is not None else self._sync_order(store, rt)
            for fid in targets:
                if cancel.is_set():
                    return
                f = store.folder(fid)
                if f is None or f.kind != "imap" or "\\noselect" in f.attributes.lower():
                    continue

                def prog(p: SyncProgress, name: str = f.name) -> None:
                    report(("progress", name, p.done, p.total))

                inbox = f.name.upper() == "INBOX"
                mark = queries.newest_message_id(store, fid) if inbox else 0
                result = sync_folder(sess, store, fid, progress=prog, cancel=cancel)
                if result.new or result.expunged or result.flags_changed or result.uidvalidity_reset:
                    report(("changed", {fid}))
                if result.new and mark and not result.uidvalidity_reset:
                    report(("new", queries.unread_added_since(store, fid, mark)))
                report(("progress", "", 0, 0))
        except NetworkError:
            self._drop_session(rt)
            raise

    @staticmethod
    def _sync_order(store: Store, rt: AccountRuntime) -> list[int]:
        fs = [f for f in store.folders(rt.account_id) if f.kind == "imap"]
        fs.sort(key=lambda f: (f.name.upper() != "INBOX", f.special_use is None, f.name.lower()))
        return [f.id for f in fs]

    def _work_pop3(self, rt: AccountRuntime, report: Callable[[Any], None]) -> None:
        from app.core.mail import pop3

        store = self._store()
        assert rt.account is not None
        password = self._password(rt)
        if password is None:
            raise AuthError(QCoreApplication.translate("MailBackend", "No password is saved for this account."))
        inbox = store.folder_by_name(rt.account_id, "INBOX")
        fid = inbox.id if inbox is not None else store.create_local_folder(rt.account_id, "INBOX")
        a = rt.account
        log = rt.log or ProtoLog(enabled=False)
        sess = self.services.pop3_session(a, ConnectOptions(password=password, protolog=log))
        policy = a.pop3_policy()  # keep (the default) or delete, and "leave N days": the account's choice
        options = pop3.Pop3Options(keep=policy.keep, delete_after_days=policy.delete_after_days)
        mark = queries.newest_message_id(store, fid)
        result = pop3.download(sess, pop3.Pop3Inbox(store, fid), options)
        if result.downloaded:
            report(("changed", {fid}))
            if mark:
                report(("new", queries.unread_added_since(store, fid, mark)))

    def _replay(self, rt: AccountRuntime, sess: ImapSession, store: Store, report: Callable[[Any], None]) -> None:
        if store.pending_ops(rt.account_id):
            changed = {op.folder_id for op in store.pending_ops(rt.account_id) if op.folder_id is not None}
            ops.replay(sess, store, rt.account_id)
            report(("pending",))
            report(("changed", changed))

    def replay_soon(self, key: str) -> None:
        """Send queued operations now if the account is reachable (they stay queued otherwise)."""
        rt = self.accounts.get(key)
        if rt is None or rt.kind != "imap" or self.closed:
            return
        if rt.status in ("offline", "error"):
            return

        def work(report: Callable[[Any], None], _cancel: threading.Event) -> None:
            store = self._store()
            if not store.pending_ops(rt.account_id):
                return
            try:
                self._replay(rt, self._session(rt), store, report)
            except NetworkError:
                self._drop_session(rt)
                raise

        self._run(
            key, QCoreApplication.translate("MailBackend", "Sending changes to %1").replace("%1", rt.name), work,
            lambda _r: self.pending_changed.emit(self.pending_count()), retry=lambda: self.replay_soon(key),
            with_progress=True, on_progress=self._on_worker_report,
        )  # fmt: skip

    def pending_count(self) -> int:
        if self.closed:
            return 0
        return sum(len(self.store.pending_ops(rt.account_id)) for rt in self.accounts.values())

    def pending_list(self) -> list[tuple[str, str]]:
        """(account name, operation) for the task panel."""
        out: list[tuple[str, str]] = []
        if self.closed:
            return out
        for rt in self.accounts.values():
            for op in self.store.pending_ops(rt.account_id):
                out.append((rt.name or rt.key, op.op + (f" ({op.last_error})" if op.last_error else "")))
        return out

    # ------------------------------------------------------------------ push

    def _ensure_push(self, rt: AccountRuntime) -> None:
        if rt.kind != "imap" or not self.use_idle or rt.idle_thread is not None or self.closed:
            return
        if "IDLE" not in rt.capabilities:
            return  # the poll timer covers it
        inbox = self.store.folder_by_name(rt.account_id, "INBOX")
        if inbox is None or inbox.remote_name is None:
            return
        fid = inbox.id
        rt.idle_stop.clear()

        def connect() -> ImapSession:
            return self._new_session(rt)

        def on_change(_sess: ImapSession) -> None:
            self._idle_noticed.emit(rt.key, fid)

        watcher = IdleWatcher(connect, inbox.remote_name, on_change, stop=rt.idle_stop, poll_interval=3600.0)

        def run() -> None:
            try:
                watcher.run()
            except QuayError:
                pass  # auth/TLS: the account's own sync reports it

        rt.idle_thread = threading.Thread(target=run, name=f"quay-idle-{rt.key}", daemon=True)
        rt.idle_thread.start()

    def _on_idle_noticed(self, key: str, folder_id: int) -> None:
        rt = self.accounts.get(key)
        if rt is not None and rt.synced_once and rt.status != "syncing":
            self.sync_account(key, [folder_id])

    def _stop_idle(self, rt: AccountRuntime) -> None:
        rt.idle_stop.set()
        if rt.idle_thread is not None:
            rt.idle_thread.join(timeout=3)
            rt.idle_thread = None

    def _poll(self) -> None:
        """Where there is no IDLE: check each account's Inbox once its own check interval has passed."""
        if not self.timed_checks:
            return
        now = time.monotonic()
        for rt in self.account_list():
            if rt.kind == "local" or rt.status == "syncing" or rt.check_interval <= 0:
                continue
            if rt.kind == "imap" and rt.idle_thread is not None:
                continue  # the server pushes
            if now - rt.last_check < rt.check_interval:
                continue
            inbox = self.store.folder_by_name(rt.account_id, "INBOX")
            only_inbox = inbox is not None and rt.kind == "imap" and rt.synced_once
            self.sync_account(rt.key, [inbox.id] if only_inbox and inbox is not None else None)

    def set_open_folder(self, folder_id: int | None) -> None:
        """The user opened a folder: bring it up to date (IDLE watches only the Inbox)."""
        if folder_id is None:
            return
        rt = self.account_for_folder(folder_id)
        if rt is not None and rt.kind == "imap" and rt.synced_once and rt.status == "idle":
            self.sync_account(rt.key, [folder_id])

    # ----------------------------------------------------------------- reads

    def list_ids(self, spec: queries.ListSpec, done: Callable[[Any], None]) -> Task:
        """Ids of a list (on the read worker); ``done`` gets a :class:`queries.Listing` or an exception."""

        def work() -> queries.Listing:
            return queries.list_ids(self._store(cache_kib=READ_CACHE_KIB), spec)

        return Task(self.runner.serial(READ_KEY), work).on_success(done).on_failure(done).start()

    def load_message(self, message_id: int, done: Callable[[Any], None], *, allow_remote: bool = False) -> None:
        """Build the :class:`DisplayMessage` of a message: from the cache on the pool, else fetched on its
        account's worker. ``done`` gets the DisplayMessage or an exception."""

        def from_cache() -> DisplayMessage | None:
            raw = self._store().raw_message(message_id)
            return None if raw is None else build_display(message_id, raw, allow_remote=allow_remote)

        def cached(result: DisplayMessage | None) -> None:
            if self.closed:
                return
            if result is not None:
                done(result)
                return
            row = self.store.row(message_id)
            rt = self.account_for_folder(row.folder_id) if row is not None else None
            if rt is None or rt.kind != "imap":
                done(QuayError(QCoreApplication.translate("MailBackend", "This message is not in the cache.")))
                return

            def fetch() -> DisplayMessage:
                store = self._store()
                try:
                    raw = bodies.load_raw(self._session(rt), store, message_id)
                except NetworkError:
                    self._drop_session(rt)
                    raise
                bodies.load_body(None, store, message_id)  # index its text for search
                return build_display(message_id, raw, allow_remote=allow_remote)

            self._run(
                rt.key, QCoreApplication.translate("MailBackend", "Downloading a message"), fetch, done, on_error=done
            )

        Task(self.runner.pool, from_cache).on_success(cached).on_failure(done).start()

    def search_server(self, folder_ids: Sequence[int], words: str, done: Callable[[Any], None]) -> None:
        """Ask the IMAP servers of these folders (``UID SEARCH TEXT``); ``done`` gets the set of ids found
        (headers of hits not cached yet are fetched into the cache first)."""
        by_account: dict[str, list[int]] = {}
        for fid in folder_ids:
            rt = self.account_for_folder(fid)
            if rt is not None and rt.kind == "imap" and rt.status != "offline":
                by_account.setdefault(rt.key, []).append(fid)
        for key, fids in by_account.items():
            rt = self.accounts[key]

            def work(rt: AccountRuntime = rt, fids: list[int] = fids) -> set[int]:
                store = self._store()
                sess = self._session(rt)
                found: set[int] = set()
                for fid in fids:
                    rows = server_search_merge(sess, store, rt.account_id, words, [], folder_id=fid, limit=500)
                    found |= {r.id for r in rows}
                return found

            self._run(
                key,
                QCoreApplication.translate("MailBackend", "Searching on %1").replace("%1", rt.name),
                work,
                done,
                on_error=lambda _e: None,
            )

    # --------------------------------------------------------------- actions

    def _group(self, ids: Iterable[int]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for row in self.store.rows(list(ids)):
            rt = self.account_for_folder(row.folder_id)
            if rt is not None:
                out.setdefault(rt.key, []).append(row.id)
        return out

    def _local_action(
        self, ids: Iterable[int], title: str, fn: Callable[[Store, list[int]], Any], extra_keys: Iterable[str] = ()
    ) -> None:
        """Apply a cache change on each account's worker, then tell the lists and try to replay."""
        if self.closed:
            return
        groups = self._group(ids)
        for key, mids in groups.items():
            touched = {r.folder_id for r in self.store.rows(mids)}

            def work(mids: list[int] = mids) -> set[int]:
                store = self._store()
                result = fn(store, mids)
                return set(result) if isinstance(result, set) else set()

            def done(more: set[int], key: str = key, touched: set[int] = touched) -> None:
                self.messages_changed.emit(touched | more)
                self.pending_changed.emit(self.pending_count())
                for k in {key, *extra_keys}:
                    self.replay_soon(k)

            self._run(key, title, work, done, on_error=lambda _e, t=touched: self.messages_changed.emit(t))

    def set_flags(self, ids: Sequence[int], add: Sequence[str] = (), remove: Sequence[str] = ()) -> None:
        self._local_action(
            ids,
            QCoreApplication.translate("MailBackend", "Changing flags"),
            lambda s, m: ops.set_flags(s, m, add, remove),
        )

    def move(self, ids: Sequence[int], target_folder: int, *, copy: bool = False, undoable: bool = True) -> None:
        """Move (or copy) messages to a folder: the cache at once, the server through the queue."""
        target_rt = self.account_for_folder(target_folder)
        extra = [target_rt.key] if target_rt is not None else []
        if not copy and undoable:
            items = [(r.id, r.folder_id, r.uid) for r in self.store.rows(list(ids)) if r.folder_id != target_folder]
            self.undo_record = UndoRecord(QCoreApplication.translate("MailBackend", "Undo move"), items, target_folder)

        def work(store: Store, mids: list[int]) -> set[int]:
            try:
                if copy:
                    ops.copy(store, mids, target_folder)
                else:
                    ops.move(store, mids, target_folder)
            except ops.FullMessageRequired as e:
                # Leaving the account: the whole message must be here first (fetched on this worker).
                rt = self.account_for_folder(store.row(e.message_ids[0]).folder_id)  # type: ignore[union-attr]
                if rt is None or rt.kind != "imap":
                    raise
                for mid in e.message_ids:
                    bodies.load_raw(self._session(rt), store, mid)
                if copy:
                    ops.copy(store, mids, target_folder)
                else:
                    ops.move(store, mids, target_folder)
            return {target_folder}

        self._local_action(
            ids,
            QCoreApplication.translate("MailBackend", "Copying messages")
            if copy
            else QCoreApplication.translate("MailBackend", "Moving messages"),
            work,
            extra,
        )

    def delete(self, ids: Sequence[int], *, permanent: bool = False) -> None:
        """To Trash (undoable), or, with ``permanent`` or already in Trash, expunged."""
        rows = self.store.rows(list(ids))
        if not rows:
            return
        if not permanent:
            rt = self.account_for_folder(rows[0].folder_id)
            trash = self.store.folder_by_special_use(rt.account_id, "\\Trash") if rt is not None else None
            if trash is not None and any(r.folder_id != trash.id for r in rows):
                items = [(r.id, r.folder_id, r.uid) for r in rows if r.folder_id != trash.id]
                self.undo_record = UndoRecord(QCoreApplication.translate("MailBackend", "Undo delete"), items, trash.id)

        def work(store: Store, mids: list[int]) -> None:
            if permanent:
                ops.set_flags(store, mids, add=["\\Deleted"])
                for fid in {r.folder_id for r in store.rows(mids)}:
                    ops.expunge(store, fid)
            else:
                ops.delete(store, mids)

        self._local_action(ids, QCoreApplication.translate("MailBackend", "Deleting messages"), work)

    def special_folder(self, folder_id: int, special: str) -> FolderRow | None:
        """The account's folder with this SPECIAL-USE (\\Archive, \\Junk, ...), else one with that name."""
        rt = self.account_for_folder(folder_id)
        if rt is None:
            return None
        f = self.store.folder_by_special_use(rt.account_id, special)
        return f or self.store.folder_by_name(rt.account_id, special.strip("\\"))

    def undo(self) -> bool:
        """Put back the last move or delete. Operations not sent yet are dropped from the queue instead of
        being undone on the server; sent ones are reversed by a move back."""
        rec = self.undo_record
        if rec is None or not rec.items:
            return False
        self.undo_record = None
        src_folders = {src for _, src, _ in rec.items}

        def work(store: Store, mids: list[int]) -> set[int]:
            by_id = {mid: (src, uid) for mid, src, uid in rec.items}
            back: dict[int, list[int]] = {}
            with store.transaction():
                for mid in mids:
                    row = store.row(mid)
                    if row is None or mid not in by_id:
                        continue
                    src, uid = by_id[mid]
                    pending = [
                        op for op in store.pending_ops_for_folder(src) if op.message_id == mid and op.op == "move"
                    ]
                    if pending and row.uid is None:
                        for op in pending:
                            store.remove_pending_op(op.id)
                        store.move_message(mid, src, uid=uid)
                    else:
                        back.setdefault(src, []).append(mid)
            for src, group in back.items():
                ops.move(store, group, src)
            return src_folders | {rec.target}

        self._local_action([mid for mid, _, _ in rec.items], rec.title, work)
        return True

    # --------------------------------------------------------------- folders

    def create_folder(self, key: str, name: str) -> None:
        rt = self.accounts[key]

        def work() -> None:
            store = self._store()
            if rt.kind == "imap":
                folders.create_folder(self._session(rt), store, rt.account_id, name)
            else:
                store.create_local_folder(rt.account_id, name)

        self._run(
            key,
            QCoreApplication.translate("MailBackend", "Creating folder %1").replace("%1", name),
            work,
            lambda _r: self.accounts_changed.emit(),
        )

    def rename_folder(self, folder_id: int, new_name: str) -> None:
        rt = self.account_for_folder(folder_id)
        f = self.store.folder(folder_id)
        if rt is None or f is None:
            return

        def work() -> None:
            store = self._store()
            if f.kind == "imap":
                folders.rename_folder(self._session(rt), store, rt.account_id, f.name, new_name)
            else:
                store.rename_folder(folder_id, new_name)

        self._run(
            rt.key,
            QCoreApplication.translate("MailBackend", "Renaming folder %1").replace("%1", f.name),
            work,
            lambda _r: self.accounts_changed.emit(),
        )

    def delete_folder(self, folder_id: int) -> None:
        rt = self.account_for_folder(folder_id)
        f = self.store.folder(folder_id)
        if rt is None or f is None:
            return

        def work() -> None:
            store = self._store()
            if f.kind == "imap":
                folders.delete_folder(self._session(rt), store, rt.account_id, f.name)
            else:
                store.delete_folder(folder_id)

        self._run(
            rt.key,
            QCoreApplication.translate("MailBackend", "Deleting folder %1").replace("%1", f.name),
            work,
            lambda _r: self.accounts_changed.emit(),
        )

    # ----------------------------------------------------------------- close

    def shutdown(self) -> None:
        """Stop push threads and workers; close connections. Safe to call twice."""
        if self.closed:
            return
        self.closed = True
        self.blockSignals(True)
        self._poll_timer.stop()
        for rt in self.accounts.values():
            rt.idle_stop.set()
        for rt in self.accounts.values():
            self._stop_idle(rt)
            sess = rt.session
            if sess is not None:
                try:
                    sess.close()
                except Exception:
                    pass
        if self._own_runner:
            self.runner.shutdown(wait=True)
        with self._stores_lock:
            for st in self._stores:
                try:
                    st.close()
                except Exception:
                    pass
            self._stores.clear()
