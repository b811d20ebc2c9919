"""Every record, secret and session the writing half of the Mail tab uses, in one place.

The composer, the account wizard, the accounts dialog and the outbox runner reach accounts,
the keyring, certificate pins, the mail cache, the outbox, sites and the transfer queue only
through :class:`ComposeBackend`, so moving to ``app.core.services`` is a change to this file.

Threads: methods marked *worker* block on the network or write the cache and must run on a
worker (``app/ui/tasks.py``); the others are cheap file reads safe on the GUI thread. Each
worker thread gets its own :class:`~app.core.mail.store.Store` connection.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.accounts import Account, AccountBook
from app.core.errors import Bug, MissingPassword, QuayError
from app.core.mail.account_setup import MailProfile, load_profiles, smtp_config, smtp_secret_key
from app.core.mail.addressbook import Contact, frequent_contacts
from app.core.mail.bigattach import BigAttachSettings, BigUpload
from app.core.mail.drafts import DraftKeeper, DraftState, ImapFolder
from app.core.mail.identities import Identity
from app.core.mail.outbox import Outbox, SentFolder, StoreSentFolder
from app.core.mail.smtp import SmtpSender
from app.core.mail.store import Store
from app.core.paths import AppPaths
from app.core.secrets import SecretStore
from app.core.services import ConnectOptions, Services
from app.core.urls import Security

if TYPE_CHECKING:
    from app.core.mail.imap.session import ImapSession
    from app.core.transfer.queue import TransferQueue
    from app.core.transfer.sites import Site

LOCAL_ACCOUNT_KEY = "local:Local Folders"
BIG_ATTACH_QUEUE = "mail-big-attachments"


class ComposeBackend:
    """Records and sessions for composing, sending, drafts and account set-up (see the module docstring)."""

    def __init__(
        self,
        paths: AppPaths,
        *,
        secrets: SecretStore | None = None,
        clock: Callable[[], float] = time.time,
        cafile: str | None = None,
    ) -> None:
        self.paths = paths
        self.services = Services(paths, secrets=secrets, cafile=cafile)
        self.secrets = self.services.secrets
        self.pins = self.services.pins
        self.clock = clock
        self.cafile = cafile  # extra trust anchors (tests, corporate CAs)
        self._local = threading.local()
        self._outbox: Outbox | None = None
        self._queues: dict[str, TransferQueue] = {}
        self._lock = threading.Lock()
        #: The lead may replace this with the Files tab's queue for a site, so uploads show in its view.
        self.queue_for_site: Callable[[Site], TransferQueue] = self._own_queue_for_site

    # ------------------------------------------------------------ accounts

    def book(self) -> AccountBook:
        return self.services.accounts

    def profiles(self) -> list[MailProfile]:
        try:
            return load_profiles(self.book())
        except QuayError:
            return []

    def profile(self, key: str) -> MailProfile | None:
        for p in self.profiles():
            if p.key == key:
                return p
        return None

    def identities(self) -> list[tuple[MailProfile, Identity]]:
        """Every (account, identity) pair the From selector offers, in account order."""
        return [(p, i) for p in self.profiles() for i in p.identities]

    def password(self, key: str) -> str:
        pw = self.secrets.get(key)
        if pw is None:
            raise MissingPassword(f"No password is saved for {key}.", user=key)
        return pw

    # ------------------------------------------------------------ cache

    def store(self) -> Store:
        """This thread's connection to the mail cache (worker threads only)."""
        st = getattr(self._local, "store", None)
        if st is None:
            st = self.services.mail_store()
            self._local.store = st
        return st

    def local_folder(self, name: str) -> int:
        """A folder of "Local Folders" (Drafts, Sent for POP3 accounts). *Worker*."""
        st = self.store()
        acc = st.ensure_account(LOCAL_ACCOUNT_KEY, "local")
        return st.create_local_folder(acc, name)

    def cache_counts(self, account_key: str) -> tuple[int, int]:
        """(cached messages, folders) of an account, to say what removing it deletes. *Worker*."""
        if not self.paths.mail_db.exists():
            return 0, 0
        ro = self.services.mail_store(readonly=True)
        try:
            r = ro.conn.execute(
                "SELECT COUNT(DISTINCT f.id), COUNT(m.id) FROM accounts a JOIN folders f ON f.account_id = a.id "
                "LEFT JOIN messages m ON m.folder_id = f.id WHERE a.key = ?",
                (account_key,),
            ).fetchone()
            return int(r[1] or 0), int(r[0] or 0)
        finally:
            ro.close()

    def forget_cache(self, account_key: str) -> int:
        """Delete an account's cached folders and messages (foreign keys cascade). *Worker*."""
        st = self.store()
        with st.transaction() as c:
            return int(c.execute("DELETE FROM accounts WHERE key = ?", (account_key,)).rowcount)

    def contacts(self) -> list[Contact]:
        """Addresses for completion, most frequent first. *Worker* (reads many rows)."""
        if not self.paths.mail_db.exists():
            return []
        ro = self.services.mail_store(readonly=True)
        try:
            return frequent_contacts(ro.conn)
        finally:
            ro.close()

    def raw_message(self, message_id: int) -> bytes:
        """The whole message from the cache, fetched from its IMAP server if only headers are cached. *Worker*."""
        st = self.store()
        raw = st.raw_message(message_id)
        if raw is not None:
            return raw
        row = st.row(message_id)
        if row is None:
            raise Bug(f"no message {message_id} in the cache")
        folder = st.folder(row.folder_id)
        account_key = self._account_key_of_folder(row.folder_id)
        profile = self.profile(account_key) if account_key else None
        if folder is None or profile is None or profile.incoming.kind != "imap":
            raise QuayError("This message's text is not in the cache and its server cannot be reached from here.")
        from app.core.mail.imap.bodies import load_raw

        sess = self.imap_session(profile)
        try:
            return load_raw(sess, st, message_id)
        finally:
            sess.logout()

    def original(self, message_id: int) -> tuple[bytes, str | None]:
        """(whole message, key of the account it belongs to) for replying or forwarding. *Worker*."""
        raw = self.raw_message(message_id)
        row = self.store().row(message_id)
        return raw, (self._account_key_of_folder(row.folder_id) if row is not None else None)

    def _account_key_of_folder(self, folder_id: int) -> str | None:
        r = (
            self.store()
            .conn.execute(
                "SELECT a.key FROM folders f JOIN accounts a ON a.id = f.account_id WHERE f.id = ?", (folder_id,)
            )
            .fetchone()
        )
        return str(r[0]) if r else None

    # ------------------------------------------------------------ sessions

    def imap_session(self, profile: MailProfile) -> ImapSession:
        """A connected IMAP session for ``profile``. *Worker*."""
        acc = profile.account()
        return self.services.imap_session(acc, ConnectOptions(password=self.password(acc.secret_key), timeout=30))

    def smtp_sender(self, profile: MailProfile) -> SmtpSender:
        cfg = smtp_config(profile.smtp, self.pins, allow_plaintext=profile.allow_plaintext)
        pw = self.secrets.get(smtp_secret_key(profile))
        if pw is None:  # many servers share one password for both directions
            pw = self.secrets.get(profile.account().secret_key)
        if pw is None and cfg.username:
            raise MissingPassword(f"No password is saved for sending as {profile.email}.", user=cfg.username)
        record = Account(
            kind="smtp",
            host=cfg.host,
            port=cfg.port,
            username=cfg.username or "",
            security=Security.parse(cfg.security),
            allow_plaintext=profile.allow_plaintext,
            auth="password" if cfg.username else "none",
        )
        return self.services.smtp_sender(record, ConnectOptions(password=pw or None))

    # ------------------------------------------------------------ outbox

    @property
    def outbox(self) -> Outbox:
        with self._lock:
            if self._outbox is None:
                self._outbox = self.services.outbox(clock=self.clock)
                self._outbox.recover()
            return self._outbox

    def transport_for(self, account_key: str) -> SmtpSender:
        profile = self.profile(account_key)
        if profile is None:
            raise QuayError(f"The account {account_key} no longer exists; the message stays in the outbox.")
        return self.smtp_sender(profile)

    def sent_folder_for(self, account_key: str) -> SentFolder | None:
        """IMAP: the server's Sent folder (connected on first use); POP3: Local Folders/Sent. *Worker*."""
        profile = self.profile(account_key)
        if profile is None:
            return None
        if profile.incoming.kind == "imap":
            return _LazyImapFolder(self, profile, "\\Sent", "Sent")
        return StoreSentFolder(self.store(), self.local_folder("Sent"))

    def close(self) -> None:
        with self._lock:
            if self._outbox is not None:
                self._outbox.close()
                self._outbox = None
            queues = list(self._queues.values())
            self._queues.clear()
        for q in queues:
            q.close()

    # ------------------------------------------------------------ drafts

    def draft_keeper(self, state: DraftState | None = None) -> DraftKeeper:
        """A keeper saving into Local Folders/Drafts (the server copy is written by :meth:`save_server_draft`)."""
        return DraftKeeper(self.store(), self.local_folder("Drafts"), None, state=state)

    def save_server_draft(self, profile: MailProfile, keeper: DraftKeeper, raw_compose: object) -> None:
        """Put the current version in the server's Drafts (IMAP only) and drop the previous one. *Worker*."""
        from app.core.mail.mime import Compose

        if profile.incoming.kind != "imap" or not isinstance(raw_compose, Compose):
            return
        folder = _LazyImapFolder(self, profile, "\\Drafts", "Drafts")
        keeper.server = folder
        try:
            keeper.save(raw_compose)
        finally:
            keeper.server = None
            folder.close()

    # ------------------------------------------------------------ big attachments

    @property
    def big_settings_path(self) -> Path:
        return self.paths.big_attachments_file

    def big_settings(self) -> BigAttachSettings:
        try:
            return BigAttachSettings.load(self.big_settings_path)
        except QuayError:
            return BigAttachSettings()

    def sites(self) -> list[Site]:
        try:
            return [s for s in self.services.sites.all() if s.kind != "tftp"]
        except QuayError:
            return []

    def _own_queue_for_site(self, site: Site) -> TransferQueue:
        with self._lock:
            q = self._queues.get(site.id)
            if q is not None:
                return q
            q = self.services.transfer_queue(site, name=f"{BIG_ATTACH_QUEUE}:{site.id}", workers=2)
            self._queues[site.id] = q
            return q

    def big_upload(self, site: Site, folder: str) -> BigUpload:
        settings = self.big_settings()
        publishing = settings.sites.get(site.id)
        if publishing is None:
            from app.core.mail.bigattach import NotPublished

            raise NotPublished(f"No public web address is set for the site {site.name}.")
        return BigUpload(self.queue_for_site(site), publishing, folder)


class _LazyImapFolder:
    """An IMAP folder (found by special use, else by name) on a session opened at first use. *Worker*."""

    def __init__(self, backend: ComposeBackend, profile: MailProfile, special_use: str, fallback: str) -> None:
        self._backend = backend
        self._profile = profile
        self._special = special_use
        self._fallback = fallback
        self._folder: ImapFolder | None = None
        self._sess: ImapSession | None = None

    def _get(self) -> ImapFolder:
        if self._folder is None:
            from app.core.mail.imap.folders import list_folders

            sess = self._backend.imap_session(self._profile)
            self._sess = sess
            name = self._fallback
            for f in list_folders(sess):
                if (f.special_use or "").lower() == self._special.lower():
                    name = f.remote_name
                    break
            self._folder = ImapFolder(sess, name)
        return self._folder

    def contains_message_id(self, message_id: str) -> bool:
        return self._get().contains_message_id(message_id)

    def append_sent(self, raw: bytes) -> None:
        self._get().append_sent(raw)
        self.close()

    def append_draft(self, raw: bytes) -> int | None:
        return self._get().append_draft(raw)

    def delete_uid(self, uid: int) -> None:
        self._get().delete_uid(uid)

    def close(self) -> None:
        if self._sess is not None:
            self._sess.logout()
        self._sess = None
        self._folder = None
