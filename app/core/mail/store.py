"""The local mail cache: one SQLite file (WAL) holding accounts, folders, messages, bodies and a search index.

It serves IMAP folders (synced by :mod:`app.core.mail.imap.sync`) and local
folders (POP3 downloads, drafts kept offline) alike. Public API, all on
:class:`Store`:

* ``Store.open(path, readonly=False)``; ``close()``; ``transaction()`` (a context manager).
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
  ``search(query, folder_id=None)`` (FTS5 over subject, addresses and cached body text; every word
  must match somewhere, the last as a prefix).
* Sync (used by :mod:`app.core.mail.imap.sync`): ``insert_headers(rows, index=True)`` with rows from
  :func:`header_fields` / :func:`header_row`, ``uid_flags``, ``cached_uids``, ``delete_uids``,
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

Threading: only the owning worker writes; a GUI opens its own ``readonly=True``
connection (WAL lets it read while the worker writes). Schema changes go
through :data:`MIGRATIONS` and ``PRAGMA user_version``. Passwords never go here.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from app.core.errors import Bug, LocalIOError
from app.core.mail import headers as hdr
from app.core.mail.threads import base_subject, merge_subject_threads, thread_key

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
]

_ROW_COLUMNS = (
    "id, folder_id, uid, flags, keywords, date, internaldate, size, from_name, from_addr, to_addrs, cc_addrs, "
    "subject, message_id, in_reply_to, refs, has_attachments, thread_key"
)

#: Column order of the tuples :meth:`Store.insert_headers` takes (see :func:`header_fields`).
INSERT_COLUMNS = (
    "folder_id, uid, flags, keywords, modseq, date, internaldate, size, from_name, from_addr, to_addrs, "
    "cc_addrs, subject, message_id, in_reply_to, refs, has_attachments, thread_key, base_subject, from_sort"
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
# Rows not in ``fts`` yet (see migration 2), matched by substring instead.
_PENDING_LIKE_SQL = (
    "SELECT id FROM messages WHERE id > (SELECT indexed_upto FROM fts_state) AND "
    "(subject || ' ' || from_name || ' ' || from_addr || ' ' || to_addrs || ' ' || cc_addrs) LIKE ? ESCAPE '\\'"
)


#: Indexes only the list's secondary sorts and thread lookups need. A big first sync into a mostly
#: empty cache drops them and builds them once afterwards (a sorted bulk build is cheaper than
#: ~100,000 single inserts); :meth:`Store.open` re-creates any missing, e.g. after a crash.
_LIST_INDEXES = {
    "messages_folder_from": "CREATE INDEX IF NOT EXISTS messages_folder_from ON messages(folder_id, from_sort)",
    "messages_folder_subject": (
        "CREATE INDEX IF NOT EXISTS messages_folder_subject ON messages(folder_id, base_subject)"
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


#: Per-process memos for header values that repeat across a mailbox (senders, recipients, content
#: types, thread subjects): a bulk sync decodes each distinct value once. Bounded: cleared when full.
_MEMO_MAX = 50000
_FROM_MEMO: dict[bytes, tuple[str, str, str]] = {}
_TEXT_MEMO: dict[bytes, str] = {}
_SUBJECT_MEMO: dict[bytes, tuple[str, str]] = {}
_ATTACH_MEMO: dict[bytes, int] = {}
_ATTACH_TYPES = (b"multipart/mixed", b"multipart/report", b"application/", b"image/", b"audio/", b"video/")


def _from_fields(raw: bytes) -> tuple[str, str, str]:
    """From value -> (display name, address, sort key), memoized."""
    got = _FROM_MEMO.get(raw)
    if got is None:
        name, addr = hdr.parse_address(raw)
        got = (name, addr, (name or addr).casefold())
        if len(_FROM_MEMO) >= _MEMO_MAX:
            _FROM_MEMO.clear()
        _FROM_MEMO[raw] = got
    return got


def _decoded(raw: bytes) -> str:
    """A To/Cc value decoded for display, memoized."""
    got = _TEXT_MEMO.get(raw)
    if got is None:
        got = hdr.decode_header(raw)
        if len(_TEXT_MEMO) >= _MEMO_MAX:
            _TEXT_MEMO.clear()
        _TEXT_MEMO[raw] = got
    return got


def _subject_fields(raw: bytes) -> tuple[str, str]:
    """Subject value -> (decoded subject, base subject), memoized (replies repeat a subject)."""
    got = _SUBJECT_MEMO.get(raw)
    if got is None:
        subject = hdr.decode_header(raw)
        got = (subject, base_subject(subject) if subject else "")
        if len(_SUBJECT_MEMO) >= _MEMO_MAX:
            _SUBJECT_MEMO.clear()
        _SUBJECT_MEMO[raw] = got
    return got


def _has_attachments(raw_ct: bytes) -> int:
    """1 if a top-level Content-Type suggests attachments (the list's paperclip hint), memoized."""
    got = _ATTACH_MEMO.get(raw_ct)
    if got is None:
        got = int(raw_ct.lower().startswith(_ATTACH_TYPES))
        if len(_ATTACH_MEMO) >= _MEMO_MAX:
            _ATTACH_MEMO.clear()
        _ATTACH_MEMO[raw_ct] = got
    return got


def header_fields(
    block: bytes, folder_id: int, uid: int | None, flags: int, keywords: str, modseq: int | None,
    internaldate: int | None, size: int,
) -> tuple[Any, ...]:  # fmt: skip
    """A raw header block -> the row tuple for :meth:`Store.insert_headers` (decoded, ready for display).

    The hot path of a header sync: one dict of raw values, decoding only what needs it, and each
    distinct sender / recipient list / subject / content type only once (see the memos above).
    """
    get = hdr.parse_header_block(block).get
    return header_row(
        folder_id, uid, flags, keywords, modseq, internaldate, size, get(b"from"), get(b"to"), get(b"cc"),
        get(b"subject"), get(b"date"), get(b"message-id"), get(b"references"), get(b"in-reply-to"),
        get(b"content-type"),
    )  # fmt: skip


def header_row(
    folder_id: int, uid: int | None, flags: int, keywords: str, modseq: int | None, internaldate: int | None,
    size: int, raw_from: bytes | None, raw_to: bytes | None, raw_cc: bytes | None, raw_subject: bytes | None,
    raw_date: bytes | None, msgid_raw: bytes | None, refs: bytes | None, irt: bytes | None, raw_ct: bytes | None,
) -> tuple[Any, ...]:  # fmt: skip
    """Raw (unfolded, stripped) header values -> the row tuple for :meth:`Store.insert_headers`."""
    from_name, from_addr, from_sort = _from_fields(raw_from) if raw_from else ("", "", "")
    # To/Cc are shown decoded as written (quotes and all); parsing every address is not worth it here.
    subject, bsub = _subject_fields(raw_subject) if raw_subject else ("", "")
    date = (hdr.parse_date(raw_date) if raw_date else None) or internaldate
    msgid = msgid_raw.decode("utf-8", "replace").strip() if msgid_raw else ""
    refs = refs or b""
    irt = irt or b""
    return (
        folder_id,
        uid,
        flags,
        keywords,
        modseq,
        date,
        internaldate,
        size,
        from_name,
        from_addr,
        _decoded(raw_to) if raw_to else "",
        _decoded(raw_cc) if raw_cc else "",
        subject,
        msgid,
        irt.decode("utf-8", "replace") if irt else "",
        refs.decode("utf-8", "replace") if refs else "",
        _has_attachments(raw_ct) if raw_ct else 0,
        thread_key(msgid, refs, irt, subject) or f"<no-id-{uuid.uuid4().hex}>",  # never group unrelated mail
        bsub,
        from_sort,
    )


def fts_terms(text: str) -> list[str]:
    """User words -> one quoted FTS5 term each (the last as a prefix); FTS operators are never exposed."""
    words = [w.replace('"', '""') for w in text.split() if w.strip('"')]
    return [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*'] if words else []


def _like_pattern(word: str) -> str:
    """A user word -> ``%word%`` for LIKE with ``ESCAPE '\\'`` (its own % and _ taken literally)."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def fts_query(text: str) -> str:
    """User words -> one FTS5 query string (all words, the last as a prefix)."""
    return " ".join(fts_terms(text)) or '""'


class Store:
    """A connection to the mail cache. Not thread-safe: one per thread (see the module docstring)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self._savepoints = 0

    # ----------------------------------------------------------------- open

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> Store:
        """Open (creating and migrating unless ``readonly``) the cache at ``path``; ``":memory:"`` for tests."""
        p = None if str(path) == ":memory:" else Path(path)
        try:
            if p is not None and not readonly:
                p.parent.mkdir(parents=True, exist_ok=True)
            if readonly and p is not None:
                conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
            else:
                conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA cache_size = -32000")
            store = cls(conn, p, readonly)
            if not readonly:
                store._migrate()
                store.ensure_list_indexes()
            return store
        except sqlite3.Error as e:
            raise LocalIOError(f"Cannot open the mail cache {path}: {e}") from e

    def _migrate(self) -> None:
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            raise LocalIOError(f"The mail cache was written by a newer Quay (schema {version}).")
        for i in range(version, len(MIGRATIONS)):
            with self.transaction():
                for stmt in _split_sql(MIGRATIONS[i]):
                    self.conn.execute(stmt)
                self.conn.execute(f"PRAGMA user_version = {i + 1}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on any exception).

        Inside another transaction it becomes a SAVEPOINT, so a caller can make
        several store calls (e.g. store a message and queue its APPEND) one atomic unit.
        """
        if self.conn.in_transaction:
            self._savepoints += 1
            name = f"sp{self._savepoints}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            finally:
                self._savepoints -= 1
            self.conn.execute(f"RELEASE {name}")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

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
        if self.conn.in_transaction:
            self.conn.execute(sql, (*state.values(), folder_id))
        else:
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
        own = not self.conn.in_transaction
        if own:
            self.conn.execute("BEGIN IMMEDIATE")
        try:
            for sql in missing:
                self.conn.execute(sql)
        except BaseException:
            if own:
                self.conn.execute("ROLLBACK")
            raise
        if own:
            self.conn.execute("COMMIT")
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
        if self.conn.in_transaction:
            return self._index_pending(limit)
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
            "SELECT DISTINCT folder_id FROM messages WHERE id > ? AND id <= ? AND thread_key LIKE 'subj:%'", (upto, hi)
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
        end = raw.find(b"\r\n\r\n")
        sep = 4
        if end < 0:
            end, sep = raw.find(b"\n\n"), 2
        block = raw if end < 0 else raw[: end + sep]
        bits, kw = flags_to_bits(flags)
        now = int(time.time())
        fields = header_fields(block, folder_id, uid, bits, kw, None, now, len(raw))
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
        if self.conn.in_transaction:
            self.conn.execute(sql, (bits, kw, message_id))
        else:
            with self.transaction() as c:
                c.execute(sql, (bits, kw, message_id))
        return self.row(message_id) or row

    def move_message(self, message_id: int, folder_id: int, *, uid: int | None = None) -> None:
        """Re-home a cached message (its uid in the new folder is unknown until the server says)."""
        sql = "UPDATE messages SET folder_id = ?, uid = ? WHERE id = ?"
        if self.conn.in_transaction:
            self.conn.execute(sql, (folder_id, uid, message_id))
        else:
            with self.transaction() as c:
                c.execute(sql, (folder_id, uid, message_id))

    def set_uid(self, message_id: int, uid: int | None) -> None:
        self.conn.execute("UPDATE messages SET uid = ? WHERE id = ?", (uid, message_id))

    def delete_message(self, message_id: int) -> None:
        sql = "DELETE FROM messages WHERE id = ?"
        if self.conn.in_transaction:
            self.conn.execute(sql, (message_id,))
        else:
            with self.transaction() as c:
                c.execute(sql, (message_id,))

    def copy_message_row(self, message_id: int, folder_id: int, uid: int | None = None) -> int:
        """Duplicate a cached message's row (and raw/body caches) into another folder; returns the new id."""
        cols = INSERT_COLUMNS.replace("folder_id, uid, ", "")
        own = self.conn.in_transaction
        if not own:
            self.conn.execute("BEGIN IMMEDIATE")
        try:
            cur = self.conn.execute(
                f"INSERT INTO messages (folder_id, uid, {cols}) SELECT ?, ?, {cols} FROM messages WHERE id = ?",
                (folder_id, uid, message_id),
            )
            new = int(cur.lastrowid or 0)
            self._index_pending(None)
            self.conn.execute(
                "INSERT INTO raw_messages (message_id, data) SELECT ?, data FROM raw_messages WHERE message_id = ?",
                (new, message_id),
            )
            self.conn.execute(
                "INSERT INTO bodies (message_id, structure, part, content_type, text) "
                "SELECT ?, structure, part, content_type, text FROM bodies WHERE message_id = ?",
                (new, message_id),
            )
        except BaseException:
            if not own:
                self.conn.execute("ROLLBACK")
            raise
        if not own:
            self.conn.execute("COMMIT")
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
        if self.conn.in_transaction:
            self.conn.execute(sql, (message_id, data))
        else:
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
        own = not self.conn.in_transaction
        if own:
            self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.store_bodies([(message_id, content_type, text)], structure=structure, part=part)
        except BaseException:
            if own:
                self.conn.execute("ROLLBACK")
            raise
        if own:
            self.conn.execute("COMMIT")

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
        (the last one as a prefix); newest first.

        Header rows not yet in the index (a big sync's, until :meth:`index_pending_headers` ran)
        are matched by substring (LIKE) instead, so nothing stored is ever missing from results.
        """
        terms = fts_terms(query)
        if not terms:
            return []
        words = [w for w in query.split() if w.strip('"')]
        if folder_id is not None:
            newest = self._search_newest_first(terms, words, folder_id, limit)
            if newest is not None:
                return newest
        return self._search_sql(terms, words, folder_id, limit, None)

    #: How many of a folder's newest messages the top-k fast path looks at first.
    _SEARCH_WINDOW = 2000

    def _search_newest_first(
        self, terms: list[str], words: list[str], folder_id: int, limit: int
    ) -> list[MessageRow] | None:
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
        rows = self._search_sql(terms, words, folder_id, limit, (lo, hi, int(boundary[0]), int(boundary[1])))
        return rows if len(rows) >= limit else None

    def _search_sql(
        self,
        terms: list[str],
        words: list[str],
        folder_id: int | None,
        limit: int,
        window: tuple[int, int, int, int] | None,
    ) -> list[MessageRow]:
        rowid_range = " AND rowid BETWEEN ? AND ?" if window else ""
        id_range = " AND id BETWEEN ? AND ?" if window else ""
        # UNION ALL: "id IN (...)" dedupes anyway, and skipping UNION's temp b-tree matters when a
        # common word matches every message. The pending-rows arm is an empty id range normally.
        per_word = (
            f"SELECT rowid FROM fts WHERE fts MATCH ?{rowid_range} UNION ALL "
            f"SELECT rowid FROM fts_body WHERE fts_body MATCH ?{rowid_range} "
            f"UNION ALL {_PENDING_LIKE_SQL}{id_range}"
        )
        ids = per_word if len(terms) == 1 else " INTERSECT ".join(f"SELECT * FROM ({per_word})" for _ in terms)
        rng: tuple[int, ...] = (window[0], window[1]) if window else ()
        args: list[Any] = []
        for t, w in zip(terms, words, strict=True):
            args += [t, *rng, t, *rng, _like_pattern(w), *rng]
        sql = f"SELECT {_ROW_COLUMNS} FROM messages WHERE id IN ({ids})"
        if folder_id is not None:
            sql += " AND folder_id = ?"
            args.append(folder_id)
        if window is not None:
            sql += " AND (date > ? OR (date = ? AND id >= ?))"
            args += [window[2], window[2], window[3]]
        sql += " ORDER BY date DESC, id DESC LIMIT ?"
        args.append(limit)
        try:
            return [_message(r) for r in self.conn.execute(sql, args)]
        except sqlite3.OperationalError:
            return []

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
        if self.conn.in_transaction:
            return int(self.conn.execute(sql, vals).lastrowid or 0)
        with self.transaction() as c:
            return int(c.execute(sql, vals).lastrowid or 0)

    def pending_ops(self, account_id: int) -> list[PendingOp]:
        rows = self.conn.execute(
            "SELECT id, account_id, op, folder_id, message_id, uid, args, attempts, last_error FROM pending_ops "
            "WHERE account_id = ? ORDER BY id",
            (account_id,),
        ).fetchall()
        return [PendingOp(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8]) for r in rows]

    def pending_ops_for_folder(self, folder_id: int) -> list[PendingOp]:
        rows = self.conn.execute(
            "SELECT id, account_id, op, folder_id, message_id, uid, args, attempts, last_error FROM pending_ops "
            "WHERE folder_id = ? ORDER BY id",
            (folder_id,),
        ).fetchall()
        return [PendingOp(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8]) for r in rows]

    def remove_pending_op(self, op_id: int) -> None:
        sql = "DELETE FROM pending_ops WHERE id = ?"
        if self.conn.in_transaction:
            self.conn.execute(sql, (op_id,))
        else:
            with self.transaction() as c:
                c.execute(sql, (op_id,))

    def fail_pending_op(self, op_id: int, error: str) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE pending_ops SET attempts = attempts + 1, last_error = ? WHERE id = ?", (error[:500], op_id)
            )


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements (triggers contain ';' inside BEGIN ... END)."""
    out: list[str] = []
    buf: list[str] = []
    for line in script.splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    rest = "\n".join(buf).strip()
    if rest:
        out.append(rest)
    return out
