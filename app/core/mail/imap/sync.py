"""Header sync of one IMAP folder into the cache: full, incremental (QRESYNC / CONDSTORE / flag compare).

The cache stays consistent at every instant: new headers are written one
transaction per FETCH batch, and the folder's HIGHESTMODSEQ and
``sync_complete`` flag are only written when everything below UIDNEXT is
cached. So a sync killed or cut off half-way leaves a cache the next sync
completes (it falls back to comparing UID lists, fetching what is missing),
without duplicates (``UNIQUE(folder_id, uid)``) and without loss.

Strategies, cheapest first:

* QRESYNC (RFC 7162) after a complete sync: one ``SELECT ... (QRESYNC (uidvalidity modseq))``
  returns VANISHED UIDs and changed flags; only UIDs at or above the stored UIDNEXT are fetched.
* Otherwise ``UID SEARCH ALL`` (ESEARCH: compact) against the cached UIDs gives expunged and
  missing messages; flags come from ``UID FETCH 1:* (FLAGS) (CHANGEDSINCE m)`` with CONDSTORE,
  or from all flags compared in bulk without it.
* A changed UIDVALIDITY drops the folder's cache and starts over.

Callbacks (``progress``) run on the calling (worker) thread.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from app.core.errors import Cancelled, LocalIOError, ServerError
from app.core.mail.imap.fetch import (
    DOVECOT_HEADER_META,
    flag_bits,
    header_fetch_items,
    internaldate_epoch,
    parse_meta,
    read_fetch,
)
from app.core.mail.imap.response import sequence_set
from app.core.mail.imap.session import ImapSession
from app.core.mail.store import FolderRow, Store, header_fields


@dataclass
class SyncProgress:
    """How far a folder's header sync got: ``done`` of ``total`` messages to fetch."""

    folder: str
    done: int
    total: int


ProgressCallback = Callable[[SyncProgress], None]


@dataclass
class SyncResult:
    """What one folder sync changed."""

    folder: str
    new: int = 0
    flags_changed: int = 0
    expunged: int = 0
    total: int = 0
    uidvalidity_reset: bool = False
    strategy: str = ""
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _batches(uids_desc: list[int], first: int, size: int) -> list[list[int]]:
    out: list[list[int]] = []
    i = 0
    n = first
    while i < len(uids_desc):
        out.append(uids_desc[i : i + n])
        i += n
        n = size
    return out


def fetch_headers(
    sess: ImapSession,
    store: Store,
    folder: FolderRow,
    uids: list[int],
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    first_batch: int = 500,
    batch_size: int = 5000,
    window: int = 2,
) -> int:
    """Fetch the list headers of ``uids`` (newest first, pipelined batches), one transaction per batch.

    Returns how many rows were written. On cancel the connection is dropped (its
    pipelined replies are worthless) and :class:`Cancelled` raised; what was
    committed stays.
    """
    if not uids:
        return 0
    uids_desc = sorted(uids, reverse=True)
    batches = deque(_batches(uids_desc, first_batch, batch_size))
    items = header_fetch_items(sess.condstore).encode()
    fid = folder.id

    outstanding: deque[str] = deque()

    def send_next() -> None:
        if batches:
            b = batches.popleft()
            outstanding.append(sess._send([b"UID FETCH", sequence_set(b).encode(), items]))

    writer = _BatchWriter(store, fid)
    pool = _parse_pool() if len(uids_desc) >= PARALLEL_PARSE_MIN else None
    parsing: deque[tuple[Future[_Parsed], list[tuple[bytes, bytes | None]]]] = deque()

    def _parsed(fut: Future[_Parsed], raw_items: list[tuple[bytes, bytes | None]]) -> _Parsed:
        try:
            return fut.result()
        except BrokenProcessPool:  # the helper died (killed, out of memory): parse here instead
            return parse_header_batch(fid, raw_items)

    done = 0
    total = len(uids_desc)

    def write(parsed: _Parsed) -> None:
        nonlocal done
        writer.put(*parsed)
        done += len(parsed[0])
        if progress is not None:
            progress(SyncProgress(folder.name, done, total))

    for _ in range(window):
        send_next()
    try:
        while outstanding:
            if cancel is not None and cancel.is_set():
                sess.close()
                raise Cancelled("Header sync cancelled.")
            tag = outstanding.popleft()
            send_next()
            raw_items: list[tuple[bytes, bytes | None]] = []
            read_fetch(sess, tag, _collector(raw_items))
            if pool is None:
                write(parse_header_batch(fid, raw_items))
                continue
            parsing.append((pool.submit(parse_header_batch, fid, raw_items), raw_items))
            if len(parsing) >= 2:
                write(_parsed(*parsing.popleft()))
        while parsing:
            write(_parsed(*parsing.popleft()))
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        writer.close()
    return done


_Parsed = tuple[list[tuple[Any, ...]], list[tuple[int, int, str, int | None]]]


def _collector(into: list[tuple[bytes, bytes | None]]) -> Callable[[bytes, bytes | None], None]:
    def collect(meta: bytes, literal: bytes | None) -> None:
        into.append((meta, literal))

    return collect


#: Full syncs of at least this many messages parse in a helper process while this one reads the
#: socket and writes SQLite: on 2 cores that overlaps the two halves of the per-message cost.
PARALLEL_PARSE_MIN = 20000


def _parse_pool() -> ProcessPoolExecutor | None:
    try:
        return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    except (OSError, NotImplementedError, ValueError):
        return None


def parse_header_batch(folder_id: int, items: list[tuple[bytes, bytes | None]]) -> _Parsed:
    """Raw header FETCH responses -> (rows for :meth:`Store.insert_headers`, unsolicited flag changes).

    A plain function of bytes, so it can run in a helper process.
    """
    rows: list[tuple[Any, ...]] = []
    flag_updates: list[tuple[int, int, str, int | None]] = []
    fast = DOVECOT_HEADER_META.match
    for meta, literal in items:
        m0 = fast(meta)
        if m0 is not None and literal is not None:  # the common case, without building a FetchMeta
            u, fl, idate, size, ms = m0.groups()
            bits, kw = flag_bits(fl)
            rows.append(
                header_fields(
                    literal, folder_id, int(u), bits, kw, int(ms) if ms else None, internaldate_epoch(idate), int(size)
                )
            )
            continue
        m = parse_meta(meta)
        if m.uid is None:
            continue
        bits, kw = flag_bits(m.flags or b"")
        if literal is None and b"BODY[" not in meta:
            flag_updates.append((m.uid, bits, kw, m.modseq))  # unsolicited flag change
            continue
        rows.append(header_fields(literal or b"", folder_id, m.uid, bits, kw, m.modseq, m.internaldate, m.size))
    return rows, flag_updates


class _BatchWriter:
    """Writes each fetched batch in its own transaction.

    A helper thread was tried (SQLite releases the GIL while it works): on 2 busy cores it was no
    faster and sometimes slower, because every row's return from SQLite waits for the GIL held by
    the parser. So batches are written inline, between reads; the pipelined FETCH keeps the server
    streaming meanwhile.
    """

    def __init__(self, store: Store, folder_id: int) -> None:
        self._store = store
        self._fid = folder_id

    def put(self, rows: list[tuple[Any, ...]], flags: list[tuple[int, int, str, int | None]]) -> None:
        try:
            with self._store.transaction():
                self._store.insert_headers(rows)
                if flags:
                    self._store.set_uid_flags(self._fid, flags)
        except sqlite3.Error as e:
            raise LocalIOError(f"Cannot write the mail cache: {e}") from e

    def close(self) -> None:
        """Nothing pending: every batch was committed by :meth:`put`."""


def _fetch_flags(sess: ImapSession, changedsince: int | None) -> dict[int, tuple[int, str, int | None]]:
    """uid -> (bits, keywords, modseq) of all messages (or those changed since a modseq)."""
    out: dict[int, tuple[int, str, int | None]] = {}

    def on_item(meta: bytes, literal: bytes | None) -> None:
        m = parse_meta(meta)
        if m.uid is not None and m.flags is not None:
            bits, kw = flag_bits(m.flags)
            out[m.uid] = (bits, kw, m.modseq)

    if changedsince is not None:
        tag = sess._send([b"UID FETCH", b"1:*", b"(UID FLAGS)", f"(CHANGEDSINCE {changedsince})".encode()])
    else:
        tag = sess._send([b"UID FETCH", b"1:*", b"(UID FLAGS)"])
    read_fetch(sess, tag, on_item)
    return out


def _pending_away_uids(store: Store, folder_id: int) -> set[int]:
    """UIDs moved/deleted/expunged locally whose server operation has not been replayed yet.

    A sync must not fetch them back into the folder the user took them out of.
    """
    out: set[int] = set()
    for op in store.pending_ops_for_folder(folder_id):
        if op.op in ("move", "delete") and op.uid is not None:
            out.add(op.uid)
        elif op.op == "expunge":
            out.update(int(u) for u in op.args.get("uids", []))
    return out


def sync_folder(
    sess: ImapSession,
    store: Store,
    folder_id: int,
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    first_batch: int = 500,
    batch_size: int = 5000,
) -> SyncResult:
    """Bring one cached folder up to date with the server (see the module docstring)."""
    t0 = time.monotonic()
    folder = store.folder(folder_id)
    if folder is None or folder.remote_name is None:
        raise ServerError(f"folder {folder_id} is not an IMAP folder")
    result = SyncResult(folder.name)
    was_complete = folder.sync_complete
    use_qresync = (
        sess.qresync and folder.sync_complete and folder.uidvalidity is not None and folder.highestmodseq is not None
    )
    qr = (folder.uidvalidity, folder.highestmodseq) if use_qresync else None
    info = sess.select(folder.remote_name, qresync=qr)  # type: ignore[arg-type]
    if folder.uidvalidity is not None and info.uidvalidity != folder.uidvalidity:
        store.clear_folder(folder_id)
        result.uidvalidity_reset = True
        use_qresync = False
    if info.uidvalidity is not None and folder.uidvalidity != info.uidvalidity:
        store.update_folder_state(folder_id, uidvalidity=info.uidvalidity, sync_complete=0)
    folder = store.folder(folder_id)
    assert folder is not None
    away = _pending_away_uids(store, folder_id)

    if use_qresync:
        result.strategy = "qresync"
        changes = [(u, *flag_bits(" ".join(fl).encode()), ms) for u, fl, ms in info.changed]
        with store.transaction():
            if info.vanished:
                result.expunged = store.delete_uids(folder_id, info.vanished)
            if changes:
                store.set_uid_flags(folder_id, changes)
        result.flags_changed = len(changes)
        lo = folder.uidnext or (store.max_uid(folder_id) + 1)
        missing: list[int] = []
        if info.uidnext is None or info.uidnext > lo:
            missing = [u for u in sess.uid_search(f"UID {lo}:*") if u >= lo and u not in away]
    else:
        server = set(sess.uid_search("ALL")) if info.exists else set()
        cached = store.uid_flags(folder_id)
        gone = [u for u in cached if u not in server]
        missing = [u for u in server if u not in cached and u not in away]
        changes = []
        if cached and server:
            if sess.condstore and folder.highestmodseq is not None and not info.nomodseq:
                result.strategy = "condstore"
                server_flags = _fetch_flags(sess, folder.highestmodseq)
            else:
                result.strategy = "compare"
                server_flags = _fetch_flags(sess, None)
            for uid, (bits, kw, ms) in server_flags.items():
                old = cached.get(uid)
                if old is not None and old != (bits, kw):
                    changes.append((uid, bits, kw, ms))
        else:
            result.strategy = "full"
        with store.transaction():
            if gone:
                result.expunged = store.delete_uids(folder_id, gone)
            if changes:
                store.set_uid_flags(folder_id, changes)
        result.flags_changed = len(changes)

    last_id = store.last_message_id()
    result.new = fetch_headers(
        sess, store, folder, missing, progress=progress, cancel=cancel, first_batch=first_batch, batch_size=batch_size
    )
    with store.transaction():
        if result.new or not was_complete:
            # After an interrupted sync, rows stored by the earlier run need merging too.
            store.merge_subject_threads(folder_id, last_id if was_complete else 0)
        store.update_folder_state(
            folder_id,
            uidvalidity=info.uidvalidity,
            uidnext=info.uidnext,
            highestmodseq=None if info.nomodseq else info.highestmodseq,
            sync_complete=1,
            server_total=info.exists,
            last_sync=time.time(),
        )
    result.total = store.count(folder_id)
    result.seconds = time.monotonic() - t0
    return result
