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

Big first syncs (:data:`PARALLEL_PARSE_MIN` messages or more) run as a two-process pipeline,
because per-message Python (parsing ~20 us, SQLite ~8 us) exceeds what one core does in the
time the server needs to send the headers: this process only reads each batch's raw bytes
(:func:`~app.core.mail.imap.fetch.read_fetch_raw`, no Python per message) and hands them to a
helper process that frames, parses and commits the batch with its own SQLite connection
(:func:`store_fetch_chunk`; no rows are pickled back). When the helper is behind, this process
does the next batch itself, so both cores parse. Batches commit in any order, each in its own
transaction, which keeps the crash and resume guarantees above. With ``index_headers=False``
the header search index, secondary list indexes and subject-thread merging are left to one bulk
pass (:meth:`Store.index_pending_headers`) the caller runs once the list is usable.

Callbacks (``progress``) run on the calling (worker) thread.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import Cancelled, LocalIOError, ServerError
from app.core.mail.headers import WS_COLON
from app.core.mail.imap.fetch import (
    DOVECOT_HEADER_META,
    HEADER_FIELD_LINES,
    HEADER_RESPONSE,
    dispatch_other_lines,
    flag_bits,
    frame_one,
    header_fetch_items,
    internaldate_epoch,
    parse_meta,
    read_fetch,
    read_fetch_raw,
)
from app.core.mail.imap.response import sequence_set
from app.core.mail.imap.session import ImapSession
from app.core.mail.store import FolderRow, Store, header_fields, header_row


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


def _batches(uids_desc: list[int], first: int, size: int, tail: int = 0) -> list[list[int]]:
    """UID batches: ``first`` (a quick first screen), then ``size``; the last ``tail`` UIDs in fifths.

    Small final batches let a helper process finish soon after the last bytes are read.
    """
    out: list[list[int]] = []
    body = len(uids_desc) - min(tail, len(uids_desc))
    i = 0
    n = first
    while i < body:
        out.append(uids_desc[i : min(i + n, body)])
        i += n
        n = size
    small = max(1, size // 5)
    for j in range(body, len(uids_desc), small):
        out.append(uids_desc[j : j + small])
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
    index_headers: bool = True,
) -> int:
    """Fetch the list headers of ``uids`` (newest first, pipelined batches), one transaction per batch.

    Returns how many rows were written. On cancel the connection is dropped (its
    pipelined replies are worthless) and :class:`Cancelled` raised; what was
    committed stays. Without ``index_headers`` the rows are left for
    :meth:`Store.index_pending_headers` (see :func:`sync_folder`).
    """
    if not uids:
        return 0
    uids_desc = sorted(uids, reverse=True)
    bulk = len(uids_desc) >= PARALLEL_PARSE_MIN
    batches = deque(_batches(uids_desc, first_batch, batch_size, 2 * batch_size if bulk else 0))
    items = header_fetch_items(sess.condstore).encode()
    fid = folder.id

    outstanding: deque[str] = deque()

    def send_next() -> None:
        if batches:
            b = batches.popleft()
            outstanding.append(sess.send_command([b"UID FETCH", sequence_set(b).encode(), items]))

    writer = _BatchWriter(store, fid, index_headers)
    pool = _parse_pool() if bulk and not sess.log.enabled else None
    db = None if store.path is None else str(store.path)
    helping: deque[tuple[Future[_Helped], bytes]] = deque()
    done = 0
    total = len(uids_desc)

    def count(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(SyncProgress(folder.name, done, total))

    def write(parsed: _Parsed) -> None:
        writer.put(*parsed)
        count(len(parsed[0]))

    def here(chunk: bytes) -> None:
        rows, flags, others = parse_fetch_chunk(fid, chunk)
        dispatch_other_lines(sess, others)
        write((rows, flags))

    def finish(fut: Future[_Helped], chunk: bytes) -> None:
        try:
            n, others, parsed = fut.result()
        except BrokenProcessPool:  # the helper died (killed, out of memory): do it here instead
            here(chunk)  # rows it may have committed already are ignored as duplicates
            return
        dispatch_other_lines(sess, others)
        if parsed is not None:
            write(parsed)
        else:
            count(n)

    for _ in range(window):
        send_next()
    ok = False
    try:
        first = True
        while outstanding:
            if cancel is not None and cancel.is_set():
                sess.close()
                raise Cancelled("Header sync cancelled.")
            tag = outstanding.popleft()
            send_next()
            if pool is None:
                raw_items: list[tuple[bytes, bytes | None]] = []
                read_fetch(sess, tag, _collector(raw_items))
                write(parse_header_batch(fid, raw_items))
                continue
            # Big syncs: this process moves bytes; the helper frames, parses and commits whole
            # batches (see the module docstring), so no rows cross between the processes.
            chunk, _ = read_fetch_raw(sess, tag, outstanding)
            while helping and helping[0][0].done():
                finish(*helping.popleft())
            if first or len(helping) >= HELPER_QUEUE:
                # The first (small) batch shows at once, while the helper still starts; later
                # ones are done here when the helper is behind (batches commit in any order).
                first = False
                here(chunk)
                continue
            try:
                helping.append((pool.submit(store_fetch_chunk, db, fid, chunk, index_headers), chunk))
            except BrokenProcessPool:
                here(chunk)
        while helping:
            finish(*helping.popleft())
        ok = True
    finally:
        if pool is not None:
            # After a failure, let a batch the helper is committing finish before returning.
            pool.shutdown(wait=not ok, cancel_futures=True)
        writer.close()
    return done


_Parsed = tuple[list[tuple[Any, ...]], list[tuple[int, int, str, int | None]]]
_Chunk = tuple[list[tuple[Any, ...]], list[tuple[int, int, str, int | None]], list[bytes]]


def _collector(into: list[tuple[bytes, bytes | None]]) -> Callable[[bytes, bytes | None], None]:
    def collect(meta: bytes, literal: bytes | None) -> None:
        into.append((meta, literal))

    return collect


#: VANISHED sets up to this size are deleted UID by UID; larger ones are matched against the cache.
VANISHED_EXPAND_MAX = 10_000


#: Full syncs of at least this many messages parse in a helper process while this one reads the
#: socket and writes SQLite: on 2 cores that overlaps the two halves of the per-message cost.
PARALLEL_PARSE_MIN = 20000


#: Batches queued for the helper before this process parses the next one itself: parsing costs
#: more than reading and writing, so the helper alone would be the bottleneck.
HELPER_QUEUE = 2


def _parse_pool() -> ProcessPoolExecutor | None:
    try:
        return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    except (OSError, NotImplementedError, ValueError):
        return None


_Helped = tuple[int, list[bytes], _Parsed | None]
_HELPER_STORES: dict[str, Store] = {}


def store_fetch_chunk(db: str | None, folder_id: int, chunk: bytes, index: bool) -> _Helped:
    """In the helper process: frame, parse and commit one batch -> (rows stored, other server lines, None).

    Writing here too means no rows are pickled back (~5 us per message saved); the helper keeps
    its own connection to the cache (WAL: the main process reads and writes alongside it,
    transactions take turns). An in-memory cache (tests) cannot be shared: the rows are returned.
    """
    rows, flags, others = parse_fetch_chunk(folder_id, chunk)
    if db is None:
        return 0, others, (rows, flags)
    store = _HELPER_STORES.get(db)
    if store is None:
        try:
            conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA wal_autocheckpoint = 0")  # the main process checkpoints after the sync
        except sqlite3.Error as e:
            raise LocalIOError(f"Cannot open the mail cache: {e}") from e
        store = _HELPER_STORES[db] = Store(conn, Path(db), False)  # no migrations: the caller did them
    _BatchWriter(store, folder_id, index).put(rows, flags)
    return len(rows), others, None


#: What the one-match path of :func:`parse_fetch_chunk` does not handle: a folded line, a bare LF,
#: whitespace before a colon (see :data:`~app.core.mail.headers.WS_COLON`).


def parse_fetch_chunk(folder_id: int, chunk: bytes) -> _Chunk:
    """Unframed FETCH bytes (:func:`read_fetch_raw`) -> rows, flag changes and other server lines.

    Framing and parsing in one pass: Dovecot's usual responses go straight from one regex match
    to a row; anything else is framed generically and parsed by :func:`parse_header_batch`.
    """
    rows: list[tuple[Any, ...]] = []
    add = rows.append
    items: list[tuple[bytes, bytes | None]] = []
    others: list[bytes] = []
    lines = HEADER_FIELD_LINES.match
    ws_colon = WS_COLON.search
    fast = HEADER_RESPONSE.match
    find = chunk.find
    pos = 0
    n = len(chunk)
    while pos < n:
        m = fast(chunk, pos)
        if m is not None:
            u, fl, idate, size, ms, ln = m.groups()
            start = m.end()
            end = start + int(ln)
            if chunk[end : end + 3] == b")\r\n":
                bits, kw = flag_bits(fl)
                uid, modseq, idate_s, size_i = int(u), int(ms) if ms else None, internaldate_epoch(idate), int(size)
                # An unfolded block (no continuation lines, CRLF only, no "Name :") goes from one
                # match straight to a row; anything else is parsed line by line.
                if find(b"\r\n ", start, end) < 0 and find(b"\r\n\t", start, end) < 0:
                    f = lines(chunk, start, end)
                    # (The pattern takes CRLF lines only: a bare LF or CR ends the match early.)
                    if f is not None and f.end() == end and ws_colon(chunk, start, end) is None:
                        fr, to, cc, subj, date, mid, refs, irt, ct = f.groups()
                        add(
                            header_row(
                                folder_id, uid, bits, kw, modseq, idate_s, size_i, fr and fr.strip(),
                                to and to.strip(), cc and cc.strip(), subj and subj.strip(), date and date.strip(),
                                mid, refs and refs.strip(), irt and irt.strip(), ct and ct.strip(),
                            )
                        )  # fmt: skip
                        pos = end + 3
                        continue
                add(header_fields(chunk[start:end], folder_id, uid, bits, kw, modseq, idate_s, size_i))
                pos = end + 3
                continue
        pos = frame_one(chunk, pos, items, others)
    more, flags = parse_header_batch(folder_id, items)
    rows += more
    return rows, flags, others


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
    the parser. So batches are written inline, between reads (and by the helper process for the
    batches it parses); the pipelined FETCH keeps the server streaming meanwhile.
    """

    def __init__(self, store: Store, folder_id: int, index: bool = True) -> None:
        self._store = store
        self._fid = folder_id
        self._index = index

    def put(self, rows: list[tuple[Any, ...]], flags: list[tuple[int, int, str, int | None]]) -> None:
        try:
            with self._store.transaction():
                self._store.insert_headers(rows, index=self._index)
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
        tag = sess.send_command([b"UID FETCH", b"1:*", b"(UID FLAGS)", f"(CHANGEDSINCE {changedsince})".encode()])
    else:
        tag = sess.send_command([b"UID FETCH", b"1:*", b"(UID FLAGS)"])
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
    index_headers: bool = True,
) -> SyncResult:
    """Bring one cached folder up to date with the server (see the module docstring).

    ``index_headers=False`` is for the big first sync of a GUI worker or a benchmark: the rows are
    stored without adding them to the header search index, which then runs in one bulk pass
    (:meth:`Store.index_pending_headers`, ~3x cheaper per row than per batch) right after the
    list is usable, or in slices in idle time. Local search stays complete meanwhile (rows not
    indexed yet are matched with LIKE). With the default, each batch is indexed as it is stored.
    """
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
                # A few UIDs are deleted as named; a big set (the server may name 1:4294967295) is
                # tested against what we hold instead of being expanded.
                if len(info.vanished) <= VANISHED_EXPAND_MAX:
                    gone = info.vanished.expand(VANISHED_EXPAND_MAX)
                else:
                    gone = [u for u in store.cached_uids(folder_id) if u in info.vanished]
                result.expunged = store.delete_uids(folder_id, gone)
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
    big = len(missing) >= PARALLEL_PARSE_MIN
    if big and not index_headers and len(missing) >= store.message_count():
        store.drop_list_indexes()  # built once by index_pending_headers: cheaper than row by row
    # A big fetch defers WAL checkpoints to after the sync (the caller's next commit does one).
    with store.bulk_writes() if big else contextlib.nullcontext():
        result.new = fetch_headers(
            sess, store, folder, missing, progress=progress, cancel=cancel, first_batch=first_batch,
            batch_size=batch_size, index_headers=index_headers,
        )  # fmt: skip
        with store.transaction():
            if index_headers and (result.new or not was_complete):
                # After an interrupted sync, rows stored by the earlier run need merging too.
                # (Deferred rows are merged by index_pending_headers, with the indexes it needs.)
                store.merge_subject_threads(folder_id, last_id if was_complete else 0)
            if index_headers:
                store.index_pending_headers()  # rows an earlier deferred sync left (usually none)
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
