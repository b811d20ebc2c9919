"""Drafts: autosave to the local store and replace the previous version on the server's Drafts folder.

:class:`DraftKeeper` holds one message being composed. ``save()`` writes the
new version locally first (add new, then remove old, so a crash leaves at
worst two versions, never none) and then on the server: APPEND the new
version (``\\Draft \\Seen``), and only after that succeeded delete the old one
by UID. The composer calls :meth:`DraftKeeper.autosave_due` from a timer
(every :data:`AUTOSAVE_INTERVAL` seconds) and ``save()`` on close.

Also here: :class:`ImapFolder`, a live-session adapter used both as the
outbox's Sent folder and as the server Drafts folder.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from app.core.errors import NetworkError, QuayError, ServerError
from app.core.mail.mime import Compose, compose_bytes, make_message_id

if TYPE_CHECKING:
    from app.core.mail.imap.session import ImapSession
    from app.core.mail.store import Store

AUTOSAVE_INTERVAL = 30.0

_APPENDUID = re.compile(r"APPENDUID\s+(\d+)\s+(\d+)", re.I)


class DraftsFolder(Protocol):
    """The server's Drafts folder."""

    def append_draft(self, raw: bytes) -> int | None:
        """APPEND with ``\\Draft \\Seen``; the new UID (APPENDUID) when the server tells it."""
        ...

    def delete_uid(self, uid: int) -> None: ...


class ImapFolder:
    """One IMAP mailbox on a live :class:`~app.core.mail.imap.session.ImapSession` (the account worker's).

    Serves as the outbox's Sent folder (``append_sent`` with ``\\Seen``) and as the Drafts folder.
    """

    def __init__(self, session: ImapSession, mailbox: str) -> None:
        self._sess = session
        self.mailbox = mailbox

    def append(self, raw: bytes, flags: Iterable[str]) -> int | None:
        from app.core.mail.imap.session import Literal, quote_mailbox

        _, tagged = self._sess.command("APPEND", quote_mailbox(self.mailbox), f"({' '.join(flags)})", Literal(raw))
        m = _APPENDUID.search(tagged.code or "")
        return int(m.group(2)) if m else None

    def uids_with_message_id(self, message_id: str) -> list[int]:
        from app.core.mail.imap.response import quote

        if self._sess.selected != self.mailbox:
            self._sess.select(self.mailbox)
        return self._sess.uid_search("HEADER Message-ID " + quote(message_id).decode())

    def contains_message_id(self, message_id: str) -> bool:
        return bool(self.uids_with_message_id(message_id))

    def append_sent(self, raw: bytes) -> None:
        self.append(raw, ["\\Seen"])

    def append_draft(self, raw: bytes) -> int | None:
        return self.append(raw, ["\\Draft", "\\Seen"])

    def delete_uid(self, uid: int) -> None:
        """Flag ``\\Deleted`` and expunge just that UID (UIDPLUS); without UIDPLUS the flag alone stays."""
        if self._sess.selected != self.mailbox:
            self._sess.select(self.mailbox)
        self._sess.command("UID STORE", str(uid), "+FLAGS.SILENT (\\Deleted)")
        if "UIDPLUS" in self._sess.capabilities:
            self._sess.command("UID EXPUNGE", str(uid))


@dataclass
class DraftState:
    """Where the current version of a draft lives (persist it to resume after a restart)."""

    message_id: str
    local_id: int | None = None
    server_uid: int | None = None
    saved_at: float | None = None
    server_error: str = ""
    pending_server_delete: list[int] = field(default_factory=list)


class DraftKeeper:
    """Keeps one draft saved locally and on the server; not thread-safe (the account worker owns it).

    ``store`` is the :class:`~app.core.mail.store.Store`, ``local_folder_id`` a local Drafts folder,
    ``server`` the server's Drafts folder (or None while offline / for POP3 accounts).
    """

    def __init__(
        self,
        store: Store,
        local_folder_id: int,
        server: DraftsFolder | None = None,
        *,
        state: DraftState | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._folder = local_folder_id
        self.server = server
        self.state = state or DraftState(message_id="")
        self._clock = clock
        self._dirty = False
        self._last_save = clock()

    def changed(self) -> None:
        """The user edited the draft."""
        self._dirty = True

    def autosave_due(self) -> bool:
        return self._dirty and self._clock() - self._last_save >= AUTOSAVE_INTERVAL

    def save(self, draft: Compose) -> DraftState:
        """Save this version now (local first, then server). Server failures are kept in ``server_error``."""
        if not self.state.message_id:
            self.state.message_id = draft.message_id or make_message_id(draft.from_addr)
        draft.message_id = self.state.message_id
        raw = compose_bytes(draft)
        old_local = self.state.local_id
        self.state.local_id = self._store.add_local_message(self._folder, raw, ["\\Draft", "\\Seen"])
        if old_local is not None and self._store.row(old_local) is not None:
            self._store.delete_message(old_local)
        self._dirty = False
        self._last_save = self._clock()
        self.state.saved_at = time.time()
        self._save_server(raw)
        return self.state

    def _save_server(self, raw: bytes) -> None:
        if self.server is None:
            return
        try:
            new_uid = self.server.append_draft(raw)
        except (QuayError, OSError) as e:
            self.state.server_error = str(e)
            return
        old = [u for u in (*self.state.pending_server_delete, self.state.server_uid) if u is not None]
        self.state.server_uid = new_uid
        self.state.pending_server_delete = []
        self.state.server_error = ""
        for uid in old:
            if uid == new_uid:
                continue
            try:
                self.server.delete_uid(uid)
            except (ServerError, NetworkError, OSError) as e:
                self.state.pending_server_delete.append(uid)
                self.state.server_error = f"The previous draft version could not be removed: {e}"

    def discard(self) -> None:
        """The draft was sent or thrown away: remove every saved version."""
        if self.state.local_id is not None and self._store.row(self.state.local_id) is not None:
            self._store.delete_message(self.state.local_id)
        self.state.local_id = None
        if self.server is not None:
            for uid in [*self.state.pending_server_delete, self.state.server_uid]:
                if uid is not None:
                    try:
                        self.server.delete_uid(uid)
                    except (QuayError, OSError) as e:
                        self.state.server_error = str(e)
        self.state.server_uid = None
        self.state.pending_server_delete = []
        self._dirty = False
