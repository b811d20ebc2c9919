"""The local mail cache: one SQLite file (WAL) holding accounts, folders, messages, bodies and a search index.

It serves IMAP folders (synced by :mod:`app.core.mail.imap.sync`) and local
folders (POP3 downloads, drafts kept offline) alike. Public API, all on
:class:`Store`:

* ``Store.open(path, readonly=False)``; ``close()``; ``transaction()`` (savepoint-aware: nested calls
  join the caller's transaction) and ``read()`` (one snapshot), both from :mod:`app.core.db`.
* Accounts: ``ensure_account(key, kind, host, port, username, security) -> id``, ``account_id(key)``.
* Folders (``kind`` is ``"imap"`` or ``"local"``): ``create_local_folder(account_id, name)``,
  ``ensure_imap_folder(account_id, name, remote_name, ...)``, ``folder_by_name(account_id, name)``,
  ``folder(folder_id)``, ``folders(account_id)``, ``rename_folder``, ``delete_folder``, ``clear_folder``.
* Messages: ``add_local_message(folder_id, raw_bytes, flags) -> id``, ``list_messages(folder_id, sort,
  descending, offset, limit)``, ``message_ids(folder_id, sort, descending)`` (cheap: ids only, for a list
  model fetching rows on demand), ``row(message_id)``, ``rows(ids)``, ``count(folder_id)``,
  ``set_flags(message_id, add, remove)``, ``move_message(message_id, folder_id)``, ``delete_message``.
* Content: ``raw_message(id)`` / ``set_raw_message(id, data)`` (full RFC 5322 bytes),
  ``body(id)`` / ``set_body(id, ...)`` / ``store_bodies(...)`` (the displayable part, decoded, and
  indexed), ``raw_without_body(limit)`` (cached messages whose text is not indexed yet),
  ``search(query, folder_id=None, limit=200)`` (FTS5 over subject, addresses and cached body text;
  every word must match somewhere, the last as a prefix; ``limit <= 0`` for all).
* Sync (used by :mod:`app.core.mail.imap.sync`): ``insert_headers(rows, index=True)`` with rows from
  :func:`~app.core.mail.headers.header_fields` / ``header_row`` (built in :mod:`app.core.mail.headers`,
  re-exported here), ``uid_flags``, ``cached_uids``, ``delete_uids``,
  ``set_uid_flags``, ``update_folder_state``, ``last_message_id``, ``message_count``.
* Bulk first syncs: ``bulk_writes()`` (no WAL checkpoints meanwhile), ``drop_list_indexes()`` /
  ``ensure_list_indexes()`` (secondary sort and thread indexes, rebuilt once; ``open`` re-creates
  missing ones), ``index_pending_headers(limit=None)`` (rows stored with ``index=False`` join the
  header search index, and their subject-only threads are merged, in one pass the worker runs
  right after the list is usable or in idle-time slices), ``pending_header_index()``. Until then
  ``search`` matches those rows by substring, so results are never missing stored messages.
* Server operations queued while offline: ``add_pending_op``, ``pending_ops``, ``remove_pending_op``,
  ``fail_pending_op`` (used by :mod:`app.core.mail.imap.ops`).
* Threads: ``thread_rows(folder_id)`` (one row per conversation, newest first), ``thread_members(key)``.
* POP3 state (used by :mod:`app.core.mail.pop3`): ``pop3_seen(account_id)``, ``mark_pop3_uidl``,
  ``mark_pop3_deleted_here``, ``forget_pop3_uidls``; ``flush_to_disk()`` (every commit so far
  survives a power loss; delete mode runs it before its first DELE).

Threading: only the owning worker writes; a GUI opens its own ``readonly=True``
connection (WAL lets it read while the worker writes). Schema changes go
through :data:`MIGRATIONS` and ``PRAGMA user_version`` (:func:`app.core.db.migrate`).
Passwords never go here.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from app.core import db
from app.core.errors import Bug, LocalIOError
from app.core.mail.headers import (
    INSERT_COLUMNS,
    SearchTerm,
    fts_query,
    fts_terms,
    header_block,
    header_fields,
    header_row,
    search_terms,
    term_matches,
    term_prefilter,
    term_spec,
)
from app.core.mail.threads import merge_subject_threads

# Row building moved to headers.py; these names stay importable from here for existing callers.
__all__ = [
    "INSERT_COLUMNS",
    "MIGRATIONS",
    "CachedBody",
    "FolderRow",
    "MessageRow",
    "PendingOp",
    "Pop3Seen",
    "Store",
    "bits_to_flags",
    "flags_to_bits",
    "fts_query",
    "fts_terms",
    "header_fields",
    "header_row",
]

SEEN, ANSWERED, FLAGGED, DELETED, DRAFT = 1, 2, 4, 8, 16
_FLAG_BITS = {"\\Seen": SEEN, "\\Answered": ANSWERED, "\\Flagged": FLAGGED, "\\Deleted": DELETED, "\\Draft": DRAFT}
_FLAG_BITS_LOWER = {k.lower(): v for k, v in _FLAG_BITS.items()}

SortKey = Literal["date", "from", "subject", "size", "uid", "arrival"]
_SORT_SQL: dict[str, str] = {
    "date": "date {d}, id {d}",
    "arrival": "internaldate {d}, id {d}",
    "from": "from_sort {d}, date DESC, id DESC",
    "subject": "base_subject {d}, date DESC, id DESC",
    "size": "size {d}, id {d}",
    "uid": "uid {d}, id {d}",
}

MIGRATIONS: list[str] = [
    # 1: the initial schema
    """
    CREATE TABLE accounts (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        host TEXT NOT NULL DEFAULT '',
        port INTEGER NOT NULL DEFAULT 0,
        username TEXT NOT NULL DEFAULT '',
        security TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE folders (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        remote_name TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('imap', 'local')),
        delimiter TEXT,
        special_use TEXT,
        subscribed INTEGER NOT NULL DEFAULT 1,
        attributes TEXT NOT NULL DEFAULT '',
        uidvalidity INTEGER,
        uidnext INTEGER,
        highestmodseq INTEGER,
        sync_complete INTEGER NOT NULL DEFAULT 0,
        server_total INTEGER,
        server_unseen INTEGER,
        offline_bodies INTEGER NOT NULL DEFAULT 0,
        last_sync REAL,
        UNIQUE (account_id, name)
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        uid INTEGER,
        flags INTEGER NOT NULL DEFAULT 0,
        keywords TEXT NOT NULL DEFAULT '',
        modseq INTEGER,
        date INTEGER,
        internaldate INTEGER,
        size INTEGER NOT NULL DEFAULT 0,
        from_name TEXT NOT NULL DEFAULT '',
        from_addr TEXT NOT NULL DEFAULT '',
        to_addrs TEXT NOT NULL DEFAULT '',
        cc_addrs TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        message_id TEXT NOT NULL DEFAULT '',
        in_reply_to TEXT NOT NULL DEFAULT '',
        refs TEXT NOT NULL DEFAULT '',
        has_attachments INTEGER NOT NULL DEFAULT 0,
        thread_key TEXT NOT NULL DEFAULT '',
        base_subject TEXT NOT NULL DEFAULT '',
        from_sort TEXT NOT NULL DEFAULT ''
    );
    CREATE UNIQUE INDEX messages_folder_uid ON messages(folder_id, uid);
    CREATE INDEX messages_folder_date ON messages(folder_id, date);
    CREATE INDEX messages_folder_from ON messages(folder_id, from_sort);
    CREATE INDEX messages_folder_subject ON messages(folder_id, base_subject);
    CREATE INDEX messages_thread ON messages(thread_key);
    CREATE TABLE bodies (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        structure TEXT,
        part TEXT,
        content_type TEXT NOT NULL DEFAULT 'text/plain',
        text TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE raw_messages (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        data BLOB NOT NULL
    );
    CREATE TABLE pending_ops (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        op TEXT NOT NULL,
        folder_id INTEGER,
        message_id INTEGER,
        uid INTEGER,
        args TEXT NOT NULL DEFAULT '{}',
        created REAL NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    );
    CREATE VIRTUAL TABLE fts USING fts5(
        subject, addresses, content = '', tokenize = 'unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE fts_body USING fts5(body, content = '', tokenize = 'unicode61 remove_diacritics 2');
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO fts(fts, rowid, subject, addresses) VALUES ('delete', old.id, old.subject,
            old.from_name || ' ' || old.from_addr || ' ' || old.to_addrs || ' ' || old.cc_addrs);
    END;
    CREATE TRIGGER bodies_fts_delete AFTER DELETE ON bodies BEGIN
        INSERT INTO fts_body(fts_body, rowid, body) VALUES ('delete', old.message_id, old.text);
    END;
    """,
    # 2: the header search index may lag behind the messages table (a big first sync indexes its
    # headers in one pass after the list is stored). Rows with id <= indexed_upto are in ``fts``;
    # later ones are pending (:meth:`Store.index_pending_headers`), and search covers them with LIKE.
    # The delete trigger only un-indexes indexed rows, and clamps the mark to max(id) so that a
    # reused id (INTEGER PRIMARY KEY reuses the top id after a delete) is never taken as indexed.
    """
    CREATE TABLE fts_state (id INTEGER PRIMARY KEY CHECK (id = 1), indexed_upto INTEGER NOT NULL);
    INSERT INTO fts_state (id, indexed_upto) SELECT 1, coalesce(max(id), 0) FROM messages;
    DROP TRIGGER messages_fts_delete;
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO fts(fts, rowid, subject, addresses) SELECT 'delete', old.id, old.subject,
            old.from_name || ' ' || old.from_addr || ' ' || old.to_addrs || ' ' || old.cc_addrs
            WHERE old.id <= (SELECT indexed_upto FROM fts_state);
        UPDATE fts_state SET indexed_upto = (SELECT coalesce(max(id), 0) FROM messages)
            WHERE indexed_upto > (SELECT coalesce(max(id), 0) FROM messages);
    END;
    """,
    # 3: POP3 UIDL state lives beside the messages it describes, so storing a downloaded message
    # and recording its UIDL is one transaction (it had its own file before: pop3.sqlite3, imported
    # once by :meth:`Store.import_legacy_pop3`). Deleting the local copy, by any path, marks the
    # UIDL ``deleted_here`` for keep mode's "delete on the server once deleted here" rule.
    # ``store_meta`` holds the durability barrier's write (:meth:`Store.flush_to_disk`).
    """
    CREATE TABLE pop3_uidl (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        uidl TEXT NOT NULL,
        message_id INTEGER,
        size INTEGER NOT NULL DEFAULT 0,
        downloaded REAL NOT NULL,
        deleted_here INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, uidl)
    ) WITHOUT ROWID;
    CREATE INDEX pop3_uidl_message ON pop3_uidl(message_id) WHERE message_id IS NOT NULL;
    CREATE TRIGGER messages_pop3_deleted AFTER DELETE ON messages BEGIN
        UPDATE pop3_uidl SET deleted_here = 1, message_id = NULL WHERE message_id = old.id;
    END;
    CREATE TABLE store_meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
    """,
    # 4: the list's From and Subject sorts break ties newest first (``from_sort, date DESC, id DESC``);
    # with indexes on the sort column alone SQLite sorted every row of the folder again in a temp
    # B-tree (~0.4 s at 100,000 messages). These indexes hold the whole order, so an ascending sort
    # is an index walk (descending sorts only order equal keys); they still serve the subject-thread
    # merge and the folder-prefix lookups the old ones did.
    """
    DROP INDEX IF EXISTS messages_folder_from;
    DROP INDEX IF EXISTS messages_folder_subject;
    CREATE INDEX IF NOT EXISTS messages_folder_from_date ON messages(folder_id, from_sort, date DESC, id DESC);
    CREATE INDEX IF NOT EXISTS messages_folder_subject_date ON messages(folder_id, base_subject, date DESC, id DESC);
    """,
]

#: The per-account POP3 state file older versions kept beside the cache; imported once, then renamed.
LEGACY_POP3_FILE = "pop3.sqlite3"

_ROW_COLUMNS = (
    "id, folder_id, uid, flags, keywords, date, internaldate, size, from_name, from_addr, to_addrs, cc_addrs, "
    "subject, message_id, in_reply_to, refs, has_attachments, thread_key"
)

_INSERT_SQL = f"INSERT OR IGNORE INTO messages ({INSERT_COLUMNS}) VALUES ({', '.join('?' * 20)})"
# Search index: two contentless FTS5 tables (the text already lives in messages / bodies), so
# indexing a body never re-indexes the headers. Deleting from a contentless table needs the
# original text, which the triggers above take from the row being deleted (header columns never
# change after insert; body text is replaced by delete + insert). Header rows are indexed in bulk
# (INSERT ... SELECT over the pending id range): an AFTER INSERT trigger into FTS5 cost ~5x more
# per row (60 vs 12 us), and a big first sync defers even that until its list is stored.
_FTS_INDEX_SQL = (
    "INSERT INTO fts(rowid, subject, addresses) SELECT id, subject, "
    "from_name || ' ' || from_addr || ' ' || to_addrs || ' ' || cc_addrs FROM messages WHERE id > ? AND id <= ?"
)
# Rows not in ``fts`` yet (see migration 2) are matched by :func:`term_matches` (the same words the
# index would find), behind a cheap LIKE on their ASCII text; {pre} is that filter.
_ADDRESSES_SQL = "from_name || ' ' || from_addr || ' ' || to_addrs || ' ' || cc_addrs"
# A text with a non-ASCII character is longer in bytes than in characters (cheaper than a GLOB class).
_NON_ASCII_SQL = (
    "("
    + " OR ".join(
        f"length({c}) != length(CAST({c} AS BLOB))"
        for c in ("subject", "from_name", "from_addr", "to_addrs", "cc_addrs")
    )
    + ")"
)
_PENDING_SQL = (
    "SELECT id FROM messages WHERE id > (SELECT indexed_upto FROM fts_state) AND "
    f"CASE WHEN {{pre}} THEN quay_term_matches(subject, {_ADDRESSES_SQL}, ?) ELSE 0 END"
)
_PREFILTER_SQL = f"(subject || ' ' || {_ADDRESSES_SQL}) LIKE ? OR {_NON_ASCII_SQL}"


#: Indexes only the list's secondary sorts and thread lookups need. A big first sync into a mostly
#: empty cache drops them and builds them once afterwards (a sorted bulk build is cheaper than
#: ~100,000 single inserts); :meth:`Store.open` re-creates any missing, e.g. after a crash.
_LIST_INDEXES = {
    "messages_folder_from_date": (
        "CREATE INDEX IF NOT EXISTS messages_folder_from_date ON messages(folder_id, from_sort, date DESC, id DESC)"
    ),
    "messages_folder_subject_date": (
        "CREATE INDEX IF NOT EXISTS messages_folder_subject_date "
        "ON messages(folder_id, base_subject, date DESC, id DESC)"
    ),
    "messages_thread": "CREATE INDEX IF NOT EXISTS messages_thread ON messages(thread_key)",
}


def flags_to_bits(flags: Iterable[str]) -> tuple[int, str]:
    """IMAP flags -> (bitmask of the system flags, space-separated keywords); ``\\Recent`` is dropped."""
    bits = 0
    kw: list[str] = []
    for f in flags:
        b = _FLAG_BITS_LOWER.get(f.lower())
        if b is not None:
            bits |= b
        elif f and f.lower() != "\\recent":
            kw.append(f)
    return bits, " ".join(sorted(kw))


def bits_to_flags(bits: int, keywords: str = "") -> frozenset[str]:
    out = {name for name, b in _FLAG_BITS.items() if bits & b}
    if keywords:
        out.update(keywords.split())
    return frozenset(out)


@dataclass(frozen=True)
class FolderRow:
    """One folder as cached (IMAP state columns are None for local folders)."""

    id: int
    account_id: int
    name: str
    remote_name: str | None
    kind: str
    delimiter: str | None
    special_use: str | None
    subscribed: bool
    attributes: str
    uidvalidity: int | None
    uidnext: int | None
    highestmodseq: int | None
    sync_complete: bool
    server_total: int | None
    server_unseen: int | None
    offline_bodies: bool


_FOLDER_COLUMNS = (
    "id, account_id, name, remote_name, kind, delimiter, special_use, subscribed, attributes, uidvalidity, "
    "uidnext, highestmodseq, sync_complete, server_total, server_unseen, offline_bodies"
)


def _folder(r: Sequence[Any]) -> FolderRow:
    return FolderRow(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), r[8], r[9], r[10], r[11], bool(r[12]), r[13], r[14],
        bool(r[15]),
    )  # fmt: skip


@dataclass(frozen=True)
class MessageRow:
    """What the message list shows for one message."""

    id: int
    folder_id: int
    uid: int | None
    flag_bits: int
    keywords: str
    date: int | None  # seconds since the epoch, UTC (Date header, else arrival)
    internaldate: int | None
    size: int
    from_name: str
    from_addr: str
    to: str
    cc: str
    subject: str
    message_id: str
    in_reply_to: str
    references: str
    has_attachments: bool
    thread_key: str

    @property
    def flags(self) -> frozenset[str]:
        return bits_to_flags(self.flag_bits, self.keywords)

    @property
    def seen(self) -> bool:
        return bool(self.flag_bits & SEEN)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "uid": self.uid,
            "date": self.date,
            "from": self.from_name or self.from_addr,
            "from_addr": self.from_addr,
            "to": self.to,
            "subject": self.subject,
            "flags": sorted(self.flags),
            "size": self.size,
            "message_id": self.message_id,
            "has_attachments": self.has_attachments,
            "thread": self.thread_key,
        }


def _message(r: Sequence[Any]) -> MessageRow:
    return MessageRow(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15],
        bool(r[16]), r[17],
    )  # fmt: skip


@dataclass(frozen=True)
class Pop3Seen:
    """A POP3 message (by UIDL) already downloaded into the cache for one account."""

    uidl: str
    message_id: int | None  # the local copy; None once it was deleted here
    size: int
    downloaded: float  # seconds since the epoch
    deleted_here: bool


@dataclass(frozen=True)
class PendingOp:
    """A server operation waiting to be replayed (see :mod:`app.core.mail.imap.ops`)."""

    id: int
    account_id: int
    op: str
    folder_id: int | None
    message_id: int | None
    uid: int | None
    args: dict[str, Any]
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class CachedBody:
    """The displayable part of a message, decoded to text."""

    content_type: str
    text: str
    part: str | None
    structure: str | None


class Store:
    """A connection to the mail cache. Not thread-safe: one per thread (see the module docstring)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self._tx = db.Transactions(conn)
        # Search matches rows not indexed yet with the index's own word rules (see _PENDING_SQL).
        conn.create_function("quay_term_matches", 3, term_matches, deterministic=True)

    # ----------------------------------------------------------------- open

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> Store:
        """Open (creating and migrating unless ``readonly``) the cache at ``path``; ``":memory:"`` for tests.

        A POP3 state file of an older Quay (``pop3.sqlite3`` beside the cache) is imported on the
        first writable open and then renamed (see :meth:`import_legacy_pop3`).
        """
        p = None if str(path) == ":memory:" else Path(path)
        conn = db.connect(path, what="the mail cache", readonly=readonly, synchronous="NORMAL", cache_kib=32000)
        store = cls(conn, p, readonly)
        try:
            if not readonly:
                db.migrate(conn, MIGRATIONS, what="the mail cache")
                store.ensure_list_indexes()
                if p is not None:
                    store.import_legacy_pop3(p.parent / LEGACY_POP3_FILE)
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on any exception).

        Inside another transaction it becomes a SAVEPOINT, so a caller can make several store
        calls (store a message and queue its APPEND; store a POP3 message and mark its UIDL)
        one atomic unit.
        """
        return self._tx.transaction()

    def read(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One read snapshot: every statement inside sees the same state of the cache."""
        return self._tx.read()

    @contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """Many write transactions in a row (a big first sync): no WAL checkpoint until the end.

        By default every commit that finds the WAL over 1000 pages copies it into the database
        and fsyncs, which on a busy disk cost a big sync ~40 ms per batch. Inside this block the
        WAL just grows; the first commit after it (the header index pass, say) checkpoints once.
        Crash safety is unchanged: the WAL is the journal either way.
        """
        self.conn.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            yield
        finally:
            self.conn.execute("PRAGMA wal_autocheckpoint = 1000")

    # ------------------------------------------------------------- accounts

    def ensure_account(
        self, key: str, kind: str, host: str = "", port: int = 0, username: str = "", security: str = ""
    ) -> int:
        """The id of the account ``key`` (e.g. ``imap:alice@host:993``), creating its record if needed."""
        r = self.conn.execute("SELECT id FROM accounts WHERE key = ?", (key,)).fetchone()
        if r is not None:
            return int(r[0])
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO accounts (key, kind, host, port, username, security) VALUES (?, ?, ?, ?, ?, ?)",
                (key, kind, host, port, username, security),
            )
            return int(cur.lastrowid or 0)

    def account_id(self, key: str) -> int | None:
        r = self.conn.execute("SELECT id FROM accounts WHERE key = ?", (key,)).fetchone()
        return None if r is None else int(r[0])

    # -------------------------------------------------------------- folders

    def create_local_folder(self, account_id: int, name: str) -> int:
        """A folder that lives only here (POP3 inbox, local archive); returns its id (existing one if any)."""
        f = self.folder_by_name(account_id, name)
        if f is not None:
            return f.id
        with self.transaction() as c:
            cur = c.execute("INSERT INTO folders (account_id, name, kind) VALUES (?, ?, 'local')", (account_id, name))
            return int(cur.lastrowid or 0)

    def ensure_imap_folder(
        self,
        account_id: int,
        name: str,
        remote_name: str,
        *,
        delimiter: str | None = None,
        special_use: str | None = None,
        subscribed: bool = True,
        attributes: str = "",
    ) -> int:
        """Create or update the record of a server folder (``name`` decoded, ``remote_name`` as on the wire)."""
        with self.transaction() as c:
            r = c.execute("SELECT id FROM folders WHERE account_id = ? AND name = ?", (account_id, name)).fetchone()
            if r is None:
                cur = c.execute(
                    "INSERT INTO folders (account_id, name, remote_name, kind, delimiter, special_use, subscribed, "
                    "attributes) VALUES (?, ?, ?, 'imap', ?, ?, ?, ?)",
                    (account_id, name, remote_name, delimiter, special_use, int(subscribed), attributes),
                )
                return int(cur.lastrowid or 0)
            c.execute(
                "UPDATE folders SET remote_name = ?, delimiter = ?, special_use = ?, subscribed = ?, attributes = ? "
                "WHERE id = ?",
                (remote_name, delimiter, special_use, int(subscribed), attributes, r[0]),
            )
            return int(r[0])

    def folder(self, folder_id: int) -> FolderRow | None:
        r = self.conn.execute(f"SELECT {_FOLDER_COLUMNS} FROM folders WHERE id = ?", (folder_id,)).fetchone()
        return None if r is None else _folder(r)

    def folder_by_name(self, account_id: int, name: str) -> FolderRow | None:
        r = self.conn.execute(
            f"SELECT {_FOLDER_COLUMNS} FROM folders WHERE account_id = ? AND name = ?", (account_id, name)
        ).fetchone()
        return None if r is None else _folder(r)

    def folder_by_special_use(self, account_id: int, special_use: str) -> FolderRow | None:
        r = self.conn.execute(
            f"SELECT {_FOLDER_COLUMNS} FROM folders WHERE account_id = ? AND special_use = ? ORDER BY id LIMIT 1",
            (account_id, special_use),
        ).fetchone()
        return None if r is None else _folder(r)

    def folders(self, account_id: int) -> list[FolderRow]:
        rows = self.conn.execute(
            f"SELECT {_FOLDER_COLUMNS} FROM folders WHERE account_id = ? ORDER BY name != 'INBOX', name",
            (account_id,),
        ).fetchall()
        return [_folder(r) for r in rows]

    def rename_folder(self, folder_id: int, new_name: str, new_remote_name: str | None = None) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE folders SET name = ?, remote_name = ? WHERE id = ?", (new_name, new_remote_name, folder_id)
            )

    def delete_folder(self, folder_id: int) -> None:
        """Forget a folder and everything cached in it."""
        with self.transaction() as c:
            c.execute("DELETE FROM messages WHERE folder_id = ?", (folder_id,))
            c.execute("DELETE FROM folders WHERE id = ?", (folder_id,))

    def clear_folder(self, folder_id: int) -> None:
        """Drop a folder's cached messages and sync state (UIDVALIDITY changed: nothing stale may stay)."""
        with self.transaction() as c:
            c.execute("DELETE FROM messages WHERE folder_id = ?", (folder_id,))
            c.execute(
                "UPDATE folders SET uidvalidity = NULL, uidnext = NULL, highestmodseq = NULL, sync_complete = 0 "
                "WHERE id = ?",
                (folder_id,),
            )

    def update_folder_state(self, folder_id: int, **state: Any) -> None:
        """Set sync-state columns (uidvalidity, uidnext, highestmodseq, sync_complete, server_total, ...)."""
        allowed = {
            "uidvalidity", "uidnext", "highestmodseq", "sync_complete", "server_total", "server_unseen",
            "offline_bodies", "last_sync", "subscribed",
        }  # fmt: skip
        bad = set(state) - allowed
        if bad:
            raise Bug(f"unknown folder state columns {sorted(bad)}")
        if not state:
            return
        sets = ", ".join(f"{k} = ?" for k in state)
        sql = f"UPDATE folders SET {sets} WHERE id = ?"
        with self.transaction() as c:
            c.execute(sql, (*state.values(), folder_id))

    # ------------------------------------------------------------- messages

    def insert_headers(self, rows: Sequence[tuple[Any, ...]], *, index: bool = True) -> None:
        """Bulk insert rows built by :func:`header_fields` (caller holds the transaction); duplicates ignored.

        With ``index`` the new rows (and any left pending) join the search index in the same
        transaction; without it they stay pending until :meth:`index_pending_headers`.
        """
        if not rows:
            return
        self.conn.executemany(_INSERT_SQL, rows)
        if index:
            self._index_pending(None)

    def drop_list_indexes(self) -> None:
        """Drop the secondary list indexes before a big bulk insert (see :data:`_LIST_INDEXES`)."""
        with self.transaction() as c:
            for name in _LIST_INDEXES:
                c.execute(f"DROP INDEX IF EXISTS {name}")

    def ensure_list_indexes(self) -> bool:
        """(Re-)create missing secondary list indexes; True if any had to be built."""
        have = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        missing = [sql for name, sql in _LIST_INDEXES.items() if name not in have]
        if not missing:
            return False
        with self.transaction() as c:
            for sql in missing:
                c.execute(sql)
        return True

    def pending_header_index(self) -> int:
        """How many message rows are not in the header search index yet (their search uses LIKE)."""
        r = self.conn.execute(
            "SELECT count(*) FROM messages WHERE id > (SELECT indexed_upto FROM fts_state)"
        ).fetchone()
        return int(r[0])

    def index_pending_headers(self, limit: int | None = None) -> int:
        """Add stored-but-unindexed header rows to the search index: all of them, or about ``limit``.

        A big first sync stores its rows unindexed (the list is usable at once) and the worker
        runs this right after, or in slices of ``limit`` in idle time; search stays complete
        meanwhile (pending rows are matched with LIKE). The same pass re-creates list indexes a
        bulk sync dropped and merges the pending rows' subject-only threads. Returns how many rows
        were indexed. Opens its own transaction unless the caller holds one.
        """
        with self.transaction():
            return self._index_pending(limit)

    def _index_pending(self, limit: int | None) -> int:
        """Index (and thread-merge) rows past the ``fts_state`` mark; caller holds the transaction."""
        self.ensure_list_indexes()  # a bulk sync may have dropped them; the merge below needs one
        upto = int(self.conn.execute("SELECT indexed_upto FROM fts_state").fetchone()[0])
        top = self._last_id()
        if top <= upto:
            return 0
        hi = top if limit is None else min(top, upto + max(1, limit))
        n = self.conn.execute(_FTS_INDEX_SQL, (upto, hi)).rowcount
        fids = self.conn.execute(
            "SELECT DISTINCT folder_id FROM messages WHERE +id > ? AND +id <= ? AND thread_key GLOB 'subj:*'",
            (upto, hi),
        ).fetchall()
        for (fid,) in fids:
            merge_subject_threads(self.conn, fid, upto)
        self.conn.execute("UPDATE fts_state SET indexed_upto = ?", (hi,))
        return int(n)

    def last_message_id(self) -> int:
        """The highest message id so far (ids only grow: rows stored later have higher ids)."""
        return self._last_id()

    def _last_id(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0])

    def add_local_message(
        self, folder_id: int, raw: bytes, flags: Iterable[str] = (), *, uid: int | None = None
    ) -> int:
        """Store a whole message (POP3 download, local copy) in a folder; returns its id."""
        bits, kw = flags_to_bits(flags)
        fields = header_fields(header_block(raw), folder_id, uid, bits, kw, None, int(time.time()), len(raw))
        with self.transaction() as c:
            cur = c.execute(_INSERT_SQL.replace("INSERT OR IGNORE", "INSERT"), fields)
            mid = int(cur.lastrowid or 0)
            self._index_pending(None)
            c.execute("INSERT INTO raw_messages (message_id, data) VALUES (?, ?)", (mid, raw))
            merge_subject_threads(c, folder_id, mid - 1)
        return mid

    def message_count(self) -> int:
        """Messages cached in all folders."""
        return int(self.conn.execute("SELECT count(*) FROM messages").fetchone()[0])

    def count(self, folder_id: int, *, unseen_only: bool = False) -> int:
        sql = "SELECT count(*) FROM messages WHERE folder_id = ?"
        if unseen_only:
            sql += f" AND flags & {SEEN} = 0"
        return int(self.conn.execute(sql, (folder_id,)).fetchone()[0])

    def list_messages(
        self, folder_id: int, sort: SortKey = "date", descending: bool = True, offset: int = 0, limit: int = -1
    ) -> list[MessageRow]:
        order = _SORT_SQL[sort].format(d="DESC" if descending else "ASC")
        rows = self.conn.execute(
            f"SELECT {_ROW_COLUMNS} FROM messages WHERE folder_id = ? ORDER BY {order} LIMIT ? OFFSET ?",
            (folder_id, limit, offset),
        ).fetchall()
        return [_message(r) for r in rows]

    def message_ids(self, folder_id: int, sort: SortKey = "date", descending: bool = True) -> list[int]:
        """All message ids of a folder in display order (a list model keeps these and asks ``rows`` lazily)."""
        order = _SORT_SQL[sort].format(d="DESC" if descending else "ASC")
        cur = self.conn.execute(f"SELECT id FROM messages WHERE folder_id = ? ORDER BY {order}", (folder_id,))
        return [r[0] for r in cur]

    def row(self, message_id: int) -> MessageRow | None:
        r = self.conn.execute(f"SELECT {_ROW_COLUMNS} FROM messages WHERE id = ?", (message_id,)).fetchone()
        return None if r is None else _message(r)

    def rows(self, ids: Sequence[int]) -> list[MessageRow]:
        """Rows for ``ids``, in that order (missing ids skipped)."""
        out: dict[int, MessageRow] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = ",".join("?" * len(chunk))
            for r in self.conn.execute(f"SELECT {_ROW_COLUMNS} FROM messages WHERE id IN ({q})", chunk):
                out[r[0]] = _message(r)
        return [out[i] for i in ids if i in out]

    def row_by_uid(self, folder_id: int, uid: int) -> MessageRow | None:
        r = self.conn.execute(
            f"SELECT {_ROW_COLUMNS} FROM messages WHERE folder_id = ? AND uid = ?", (folder_id, uid)
        ).fetchone()
        return None if r is None else _message(r)

    def uid_flags(self, folder_id: int) -> dict[int, tuple[int, str]]:
        """uid -> (flag bits, keywords) of a folder's cached messages (sync compares these with the server)."""
        cur = self.conn.execute(
            "SELECT uid, flags, keywords FROM messages WHERE folder_id = ? AND uid IS NOT NULL", (folder_id,)
        )
        return {r[0]: (r[1], r[2]) for r in cur}

    def cached_uids(self, folder_id: int) -> list[int]:
        cur = self.conn.execute(
            "SELECT uid FROM messages WHERE folder_id = ? AND uid IS NOT NULL ORDER BY uid", (folder_id,)
        )
        return [r[0] for r in cur]

    def max_uid(self, folder_id: int) -> int:
        r = self.conn.execute("SELECT max(uid) FROM messages WHERE folder_id = ?", (folder_id,)).fetchone()
        return int(r[0] or 0)

    def delete_uids(self, folder_id: int, uids: Iterable[int]) -> int:
        """Forget messages expunged on the server (caller holds the transaction)."""
        cur = self.conn.executemany(
            "DELETE FROM messages WHERE folder_id = ? AND uid = ?", ((folder_id, u) for u in uids)
        )
        return cur.rowcount

    def set_uid_flags(self, folder_id: int, changes: Iterable[tuple[int, int, str, int | None]]) -> None:
        """Apply server flag changes ``(uid, bits, keywords, modseq)`` (caller holds the transaction)."""
        self.conn.executemany(
            "UPDATE messages SET flags = ?, keywords = ?, modseq = coalesce(?, modseq) WHERE folder_id = ? AND uid = ?",
            ((b, k, m, folder_id, u) for u, b, k, m in changes),
        )

    def set_flags(self, message_id: int, add: Iterable[str] = (), remove: Iterable[str] = ()) -> MessageRow:
        """Change one message's flags locally (callers queue the server side via ops)."""
        row = self.row(message_id)
        if row is None:
            raise Bug(f"no message {message_id}")
        flags = (set(row.flags) | set(add)) - set(remove)
        bits, kw = flags_to_bits(flags)
        sql = "UPDATE messages SET flags = ?, keywords = ? WHERE id = ?"
        with self.transaction() as c:
            c.execute(sql, (bits, kw, message_id))
        return self.row(message_id) or row

    def move_message(self, message_id: int, folder_id: int, *, uid: int | None = None) -> None:
        """Re-home a cached message (its uid in the new folder is unknown until the server says)."""
        sql = "UPDATE messages SET folder_id = ?, uid = ? WHERE id = ?"
        with self.transaction() as c:
            c.execute(sql, (folder_id, uid, message_id))

    def set_uid(self, message_id: int, uid: int | None) -> None:
        self.conn.execute("UPDATE messages SET uid = ? WHERE id = ?", (uid, message_id))

    def delete_message(self, message_id: int) -> None:
        sql = "DELETE FROM messages WHERE id = ?"
        with self.transaction() as c:
            c.execute(sql, (message_id,))

    def copy_message_row(self, message_id: int, folder_id: int, uid: int | None = None) -> int:
        """Duplicate a cached message's row (and raw/body caches) into another folder; returns the new id."""
        cols = INSERT_COLUMNS.replace("folder_id, uid, ", "")
        with self.transaction() as c:
            cur = c.execute(
                f"INSERT INTO messages (folder_id, uid, {cols}) SELECT ?, ?, {cols} FROM messages WHERE id = ?",
                (folder_id, uid, message_id),
            )
            new = int(cur.lastrowid or 0)
            self._index_pending(None)
            c.execute(
                "INSERT INTO raw_messages (message_id, data) SELECT ?, data FROM raw_messages WHERE message_id = ?",
                (new, message_id),
            )
            c.execute(
                "INSERT INTO bodies (message_id, structure, part, content_type, text) "
                "SELECT ?, structure, part, content_type, text FROM bodies WHERE message_id = ?",
                (new, message_id),
            )
        return new

    # -------------------------------------------------------------- threads

    def merge_subject_threads(self, folder_id: int, since_id: int = 0) -> int:
        return merge_subject_threads(self.conn, folder_id, since_id)

    def thread_rows(self, folder_id: int, offset: int = 0, limit: int = -1) -> list[tuple[str, int, int, int]]:
        """Conversations of a folder, newest activity first: (thread_key, newest message id, count, newest date)."""
        rows = self.conn.execute(
            """
            SELECT thread_key, id, n, d FROM (
                SELECT thread_key, id, count(*) OVER (PARTITION BY thread_key) AS n,
                       max(date) OVER (PARTITION BY thread_key) AS d,
                       row_number() OVER (PARTITION BY thread_key ORDER BY date DESC, id DESC) AS rn
                FROM messages WHERE folder_id = ?)
            WHERE rn = 1 ORDER BY d DESC, id DESC LIMIT ? OFFSET ?
            """,
            (folder_id, limit, offset),
        ).fetchall()
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def thread_members(self, key: str, folder_id: int | None = None) -> list[MessageRow]:
        """Messages of one conversation (all folders unless ``folder_id``), oldest first."""
        sql = f"SELECT {_ROW_COLUMNS} FROM messages WHERE thread_key = ?"
        args: tuple[Any, ...] = (key,)
        if folder_id is not None:
            sql += " AND folder_id = ?"
            args = (key, folder_id)
        return [_message(r) for r in self.conn.execute(sql + " ORDER BY date, id", args)]

    # -------------------------------------------------------------- content

    def raw_message(self, message_id: int) -> bytes | None:
        r = self.conn.execute("SELECT data FROM raw_messages WHERE message_id = ?", (message_id,)).fetchone()
        return None if r is None else bytes(r[0])

    def set_raw_message(self, message_id: int, data: bytes) -> None:
        sql = "INSERT OR REPLACE INTO raw_messages (message_id, data) VALUES (?, ?)"
        with self.transaction() as c:
            c.execute(sql, (message_id, data))

    def has_raw(self, folder_id: int) -> set[int]:
        """Message ids of a folder whose full message is cached."""
        cur = self.conn.execute(
            "SELECT r.message_id FROM raw_messages r JOIN messages m ON m.id = r.message_id WHERE m.folder_id = ?",
            (folder_id,),
        )
        return {r[0] for r in cur}

    def body(self, message_id: int) -> CachedBody | None:
        r = self.conn.execute(
            "SELECT content_type, text, part, structure FROM bodies WHERE message_id = ?", (message_id,)
        ).fetchone()
        return None if r is None else CachedBody(r[0], r[1], r[2], r[3])

    def set_body(
        self, message_id: int, content_type: str, text: str, *, part: str | None = None, structure: str | None = None
    ) -> None:
        """Cache the displayable part and add its text to the search index."""
        with self.transaction():
            self.store_bodies([(message_id, content_type, text)], structure=structure, part=part)

    def store_bodies(
        self, items: Sequence[tuple[int, str, str]], *, structure: str | None = None, part: str | None = None
    ) -> None:
        """Cache ``(message_id, content_type, text)`` bodies and index their text (caller holds the transaction)."""
        self.conn.executemany("DELETE FROM bodies WHERE message_id = ?", [(i[0],) for i in items])
        self.conn.executemany(
            "INSERT INTO bodies (message_id, structure, part, content_type, text) VALUES (?, ?, ?, ?, ?)",
            [(mid, structure, part, ctype, text) for mid, ctype, text in items],
        )
        self.conn.executemany("INSERT INTO fts_body (rowid, body) VALUES (?, ?)", [(i[0], i[2]) for i in items])

    def raw_without_body(self, limit: int, folder_id: int | None = None) -> list[tuple[int, bytes]]:
        """Cached whole messages whose text is not extracted and indexed yet: [(message_id, raw)]."""
        sql = (
            "SELECT r.message_id, r.data FROM raw_messages r JOIN messages m ON m.id = r.message_id "
            "LEFT JOIN bodies b ON b.message_id = r.message_id WHERE b.message_id IS NULL"
        )
        args: tuple[Any, ...] = (limit,)
        if folder_id is not None:
            sql += " AND m.folder_id = ?"
            args = (folder_id, limit)
        return [(r[0], bytes(r[1])) for r in self.conn.execute(sql + " LIMIT ?", args)]

    def search(self, query: str, *, folder_id: int | None = None, limit: int = 200) -> list[MessageRow]:
        """Full-text search over subject, addresses and cached bodies: every word must match somewhere
        (the last one as a prefix); newest first; at most ``limit`` rows (``limit <= 0``: all of them).

        Header rows not yet in the index (a big sync's, until :meth:`index_pending_headers` ran)
        are matched by substring (LIKE) instead, so nothing stored is ever missing from results.
        All statements run in one read snapshot, so rows another connection commits meanwhile are
        either wholly in the results or wholly out, never half-seen between the fast path's steps.
        """
        terms = search_terms(query)
        if not terms:
            return []
        with self.read():
            if folder_id is not None and limit > 0:
                newest = self._search_newest_first(terms, folder_id, limit)
                if newest is not None:
                    return newest
            return self._search_sql(terms, folder_id, limit if limit > 0 else -1, None)

    #: How many of a folder's newest messages the top-k fast path looks at first.
    _SEARCH_WINDOW = 2000

    def _search_newest_first(self, terms: list[SearchTerm], folder_id: int, limit: int) -> list[MessageRow] | None:
        """Top-k early exit for common words: search only the folder's newest messages first.

        If at least ``limit`` of the newest ``_SEARCH_WINDOW`` messages match, they are exactly the
        first ``limit`` results of the full query (same order), found without materializing every
        hit of a word that occurs in most messages. Otherwise None: the caller runs the full query.
        """
        window = self.conn.execute(
            "SELECT min(id), max(id), count(*), min(date) FROM "
            "(SELECT id, date FROM messages WHERE folder_id = ? ORDER BY date DESC, id DESC LIMIT ?)",
            (folder_id, self._SEARCH_WINDOW),
        ).fetchone()
        if window is None or window[2] < self._SEARCH_WINDOW or window[3] is None:
            return None
        lo, hi = int(window[0]), int(window[1])
        boundary = self.conn.execute(
            "SELECT date, id FROM messages WHERE folder_id = ? ORDER BY date DESC, id DESC LIMIT 1 OFFSET ?",
            (folder_id, self._SEARCH_WINDOW - 1),
        ).fetchone()
        if boundary is None or boundary[0] is None:
            return None
        rows = self._search_sql(terms, folder_id, limit, (lo, hi, int(boundary[0]), int(boundary[1])))
        return rows if len(rows) >= limit else None

    def _search_sql(
        self,
        terms: list[SearchTerm],
        folder_id: int | None,
        limit: int,
        window: tuple[int, int, int, int] | None,
    ) -> list[MessageRow]:
        rowid_range = " AND rowid BETWEEN ? AND ?" if window else ""
        id_range = " AND id BETWEEN ? AND ?" if window else ""
        rng: tuple[int, ...] = (window[0], window[1]) if window else ()
        # UNION ALL: "id IN (...)" dedupes anyway, and skipping UNION's temp b-tree matters when a
        # common word matches every message. The pending-rows arm is an empty id range normally.
        arms: list[str] = []
        args: list[Any] = []
        for t in terms:
            pattern = term_prefilter(t)
            pending = _PENDING_SQL.format(pre=_NON_ASCII_SQL if pattern is None else _PREFILTER_SQL)
            arms.append(
                f"SELECT rowid FROM fts WHERE fts MATCH ?{rowid_range} UNION ALL "
                f"SELECT rowid FROM fts_body WHERE fts_body MATCH ?{rowid_range} "
                f"UNION ALL {pending}{id_range}"
            )
            args += [t.fts, *rng, t.fts, *rng, *([] if pattern is None else [pattern]), term_spec(t), *rng]
        ids = arms[0] if len(arms) == 1 else " INTERSECT ".join(f"SELECT * FROM ({a})" for a in arms)
        # Two plans. In the window (the folder's newest messages, a common word): walk the folder's
        # date index down to the window's oldest date and stop at ``limit`` matches. Otherwise be
        # driven by the matching ids (unary + keeps the folder and date indexes out of the plan):
        # walking the date index and testing every row read all 100,000 for a rare word (~40 ms).
        sql = f"SELECT {_ROW_COLUMNS} FROM messages WHERE id IN ({ids})"
        if window is not None:
            if folder_id is not None:
                sql += " AND folder_id = ?"
                args.append(folder_id)
            sql += " AND date >= ? AND (date > ? OR (date = ? AND id >= ?)) ORDER BY date DESC, id DESC LIMIT ?"
            args += [window[2], window[2], window[2], window[3]]
        else:
            if folder_id is not None:
                sql += " AND +folder_id = ?"
                args.append(folder_id)
            sql += " ORDER BY +date DESC, +id DESC LIMIT ?"
        args.append(limit)
        try:
            return [_message(r) for r in self.conn.execute(sql, args)]
        except sqlite3.OperationalError:
            return []

    # ------------------------------------------------------------- POP3 state

    def pop3_seen(self, account_id: int) -> dict[str, Pop3Seen]:
        """The UIDLs of ``account_id`` already downloaded, with their local copies (see :mod:`pop3`)."""
        cur = self.conn.execute(
            "SELECT uidl, message_id, size, downloaded, deleted_here FROM pop3_uidl WHERE account_id = ?",
            (account_id,),
        )
        return {r[0]: Pop3Seen(r[0], r[1], int(r[2]), float(r[3]), bool(r[4])) for r in cur}

    def mark_pop3_uidl(self, account_id: int, uidl: str, message_id: int | None, *, size: int, at: float) -> None:
        """Record that ``uidl`` is stored as ``message_id``; join the caller's transaction to make it atomic."""
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO pop3_uidl (account_id, uidl, message_id, size, downloaded, deleted_here) "
                "VALUES (?, ?, ?, ?, ?, 0)",
                (account_id, uidl, message_id, size, at),
            )

    def mark_pop3_deleted_here(self, account_id: int, message_id: int) -> None:
        """The user removed the local copy (deleting the row does this by itself, through a trigger)."""
        with self.transaction() as c:
            c.execute(
                "UPDATE pop3_uidl SET deleted_here = 1 WHERE account_id = ? AND message_id = ?",
                (account_id, message_id),
            )

    def forget_pop3_uidls(self, account_id: int, keep: Iterable[str]) -> int:
        """Drop the UIDLs of ``account_id`` not in ``keep`` (the server no longer has them); returns how many."""
        keep_set = set(keep)
        with self.transaction() as c:
            known = [r[0] for r in c.execute("SELECT uidl FROM pop3_uidl WHERE account_id = ?", (account_id,))]
            gone = [(account_id, u) for u in known if u not in keep_set]
            c.executemany("DELETE FROM pop3_uidl WHERE account_id = ? AND uidl = ?", gone)
        return len(gone)

    def import_legacy_pop3(self, legacy: Path) -> int:
        """Import an older Quay's ``pop3.sqlite3`` (its ``stored`` UIDLs) once, then rename it ``*.migrated``.

        Its ``pending`` rows (a crash between storing and marking, in the two-file design) are not
        imported: those messages are fetched again, which at worst stores one copy twice and never
        loses one. The import is idempotent, so a crash before the rename only repeats it.
        """
        if not legacy.is_file():
            return 0
        try:
            src = db.connect(legacy, what="the old POP3 state")
            try:
                rows = src.execute(
                    "SELECT account, uidl, local_ref, size, downloaded, deleted_here FROM uidl WHERE state = 'stored'"
                ).fetchall()
            finally:
                src.close()
        except (sqlite3.Error, LocalIOError):
            # A damaged leftover must not lock the user out of their mail: keep it aside, unread. At worst
            # keep-mode messages still on the server are downloaded once more.
            self._set_aside(legacy, ".unreadable")
            return 0
        with self.transaction() as c:
            for key, uidl, ref, size, downloaded, deleted_here in rows:
                account_id = self.ensure_account(str(key), "pop3")
                mid = int(ref) if str(ref).isdigit() else None
                if mid is not None and c.execute("SELECT 1 FROM messages WHERE id = ?", (mid,)).fetchone() is None:
                    mid, deleted_here = None, 1
                c.execute(
                    "INSERT OR IGNORE INTO pop3_uidl (account_id, uidl, message_id, size, downloaded, deleted_here) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (account_id, str(uidl), mid, int(size), float(downloaded), int(bool(deleted_here))),
                )
        self._set_aside(legacy, ".migrated")
        return len(rows)

    @staticmethod
    def _set_aside(path: Path, suffix: str) -> None:
        try:
            path.replace(path.with_name(path.name + suffix))
        except OSError as e:
            raise LocalIOError(f"Cannot rename {path}: {e.strerror or e}", path=str(path)) from e

    # ------------------------------------------------------------ durability

    def flush_to_disk(self) -> None:
        """Make every commit so far survive a power loss, not only a crash of Quay.

        The cache commits with ``synchronous=NORMAL``: a commit is in the WAL, which is not
        flushed at each commit. One small write committed with ``synchronous=FULL`` makes SQLite
        flush the WAL, and with it every earlier commit, through its own read-write handle
        (``FlushFileBuffers`` on Windows; ``F_FULLFSYNC`` on macOS, with ``fullfsync`` on). So no
        fsync of ours is needed, on a descriptor Windows would refuse to flush. POP3 delete mode
        calls this before its first DELE. Not inside a transaction (SQLite forbids the pragma there).
        """
        if self.conn.in_transaction:
            raise Bug("flush_to_disk() inside a transaction")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("PRAGMA fullfsync = ON")
        try:
            with self.transaction() as c:
                c.execute("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('flushed_at', ?)", (time.time(),))
        finally:
            self.conn.execute("PRAGMA fullfsync = OFF")
            self.conn.execute("PRAGMA synchronous = NORMAL")

    # ---------------------------------------------------------- pending ops

    def add_pending_op(
        self,
        account_id: int,
        op: str,
        *,
        folder_id: int | None = None,
        message_id: int | None = None,
        uid: int | None = None,
        args: dict[str, Any] | None = None,
    ) -> int:
        """Queue a server operation (caller usually holds the transaction that changed the cache)."""
        sql = (
            "INSERT INTO pending_ops (account_id, op, folder_id, message_id, uid, args, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        vals = (account_id, op, folder_id, message_id, uid, json.dumps(args or {}), time.time())
        with self.transaction() as c:
            return int(c.execute(sql, vals).lastrowid or 0)

    def pending_ops(self, account_id: int) -> list[PendingOp]:
        """An account's queued server operations, oldest first."""
        return self._pending_ops("account_id", account_id)

    def pending_ops_for_folder(self, folder_id: int) -> list[PendingOp]:
        """The queued server operations on one folder, oldest first."""
        return self._pending_ops("folder_id", folder_id)

    def _pending_ops(self, column: Literal["account_id", "folder_id"], value: int) -> list[PendingOp]:
        rows = self.conn.execute(
            "SELECT id, account_id, op, folder_id, message_id, uid, args, attempts, last_error FROM pending_ops "
            f"WHERE {column} = ? ORDER BY id",
            (value,),
        ).fetchall()
        return [PendingOp(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8]) for r in rows]

    def remove_pending_op(self, op_id: int) -> None:
        sql = "DELETE FROM pending_ops WHERE id = ?"
        with self.transaction() as c:
            c.execute(sql, (op_id,))

    def fail_pending_op(self, op_id: int, error: str) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE pending_ops SET attempts = attempts + 1, last_error = ? WHERE id = ?", (error[:500], op_id)
            )
