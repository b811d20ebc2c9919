"""Persistent send queue: a message is written here first, then a worker submits it and files it in Sent.

The queue lives in its own SQLite file (WAL, ``synchronous=FULL``, opened with
:func:`app.core.db.connect`) so each state change is on disk before the next
step starts. It stays out of the mail cache on purpose: SQLite has one writer
per file, and a big sync holds the cache's write lock for a batch at a time
(and for its index pass), so a "Send" click, a state change mid-send or a
cron run would queue behind it; the cache also commits with
``synchronous=NORMAL`` for throughput, which a send queue cannot accept. The
price is that filing the Sent copy (cache) and marking the item done (here)
are two commits, which the ``appending`` state and its Message-ID check cover.
States::

    queued ──► sending ──► submitting ──► sent ──► appending ──► done
      ▲  (not_before: send later / backoff)      │
      │                          │               └─ no Sent copy wanted ─► done
    retry ◄── 4xx, network ──────┤
    held  ◄── 5xx, auth, TLS, too large (waits for the user)
    unknown ◄── connection lost after the body was handed over

Several senders may share one outbox (two windows, the GUI and a cron job's
``mail outbox --run``). The in-flight states (``sending``, ``submitting``,
``appending``) belong to one **owner**: the :class:`Outbox` that moved the row
there, named by a random token. Every transition into one checks the current
state in the same UPDATE, so exactly one sender wins a row; only the owner
moves it on. An owner's lease is an exclusive lock on its own small file
(``<outbox>.senders/<token>.lock``), held from open to close: the operating
system drops it when the process dies, so a live sender is told from a dead
one at once, without clocks or heartbeats.

Crash recovery (:meth:`Outbox.recover`, run on start-up and before each run)
touches only in-flight rows whose owner is gone; a live sender's rows are left
alone:

* ``sending``: we had not yet handed the body over (recorded in
  ``submitting`` just before DATA), so the server cannot have accepted it:
  back to ``queued``; sending again cannot duplicate.
* ``submitting``: the body may have reached the server. **We never resend
  automatically** from here: the item becomes ``unknown`` and the user decides
  (:meth:`Outbox.confirm_sent` if the recipient got it, :meth:`Outbox.resend`
  otherwise). A :class:`~app.core.mail.smtp.DeliveryUnknown` from a live send
  (connection dropped after DATA, before the reply) lands in the same state.
  We chose a possible non-delivery the user is told about over a silent
  duplicate, as the SMTP reply is the only proof of acceptance (RFC 5321 §4.1.1.4
  leaves the outcome open when it is lost).
* ``appending``: the Sent copy may already be there: the row is released, and
  the sender that takes it next asks the Sent folder whether it holds the
  Message-ID before appending again.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from app.core import db
from app.core.errors import (
    AuthError,
    Bug,
    LocalIOError,
    NetworkError,
    PlaintextAuthRefused,
    QuayError,
    ServerError,
    TlsError,
)
from app.core.mail.smtp import (
    DeliveryUnknown,
    RecipientFailure,
    RecipientsRefused,
    SendResult,
    SmtpTemporaryError,
)
from app.core.mail.smtp import PlaintextAuthRefused as SmtpPlaintextAuthRefused

if TYPE_CHECKING:
    from app.core.mail.store import Store

QUEUED = "queued"
SENDING = "sending"
SUBMITTING = "submitting"
SENT = "sent"
APPENDING = "appending"
DONE = "done"
RETRY = "retry"
HELD = "held"
UNKNOWN = "unknown"

ACTIVE_STATES = (QUEUED, RETRY, SENDING, SUBMITTING, SENT, APPENDING)
#: States one sender owns while it works on the row (see the module docstring).
IN_FLIGHT = (SENDING, SUBMITTING, APPENDING)
BACKOFF_BASE = 30.0
BACKOFF_MAX = 3600.0
MAX_ATTEMPTS = 48


def backoff_delay(attempts: int) -> float:
    """Seconds before retry number ``attempts`` (1-based): 30 s doubling, capped at one hour."""
    return float(min(BACKOFF_BASE * float(2 ** min(max(attempts - 1, 0), 30)), BACKOFF_MAX))


class OutboxItemMissing(QuayError, KeyError):
    """No outbox item has that id (sent and purged, or cancelled)."""


class OutboxStateError(QuayError, ValueError):
    """The item is not in a state that allows what was asked (e.g. cancelling a message being sent)."""


class Transport(Protocol):
    """Something that submits a message (``SmtpSender`` does)."""

    def send(
        self,
        sender: str,
        recipients: Sequence[str],
        message: bytes,
        *,
        on_data_phase: Callable[[], None] | None = None,
    ) -> SendResult: ...


class SentFolder(Protocol):
    """Where a sent message is filed: IMAP Sent (APPEND with \\Seen) or a local Sent folder."""

    def contains_message_id(self, message_id: str) -> bool: ...

    def append_sent(self, raw: bytes) -> None: ...


@dataclass
class OutboxItem:
    """One queued message and what happened to it so far. ``owner`` is the sender working on it (or "")."""

    id: int
    account: str
    message_id: str
    sender: str
    recipients: list[str]
    state: str
    not_before: float
    attempts: int
    last_error: str
    error_kind: str
    refused: dict[str, tuple[int, str]] = field(default_factory=dict)
    sent_copy: bool = True
    created: float = 0.0
    sent_at: float | None = None
    size: int = 0
    owner: str = ""

    @property
    def needs_user(self) -> bool:
        return self.state in (HELD, UNKNOWN)


MIGRATIONS: list[db.Migration] = [
    # 1: the queue
    """
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        message_id TEXT NOT NULL DEFAULT '',
        sender TEXT NOT NULL,
        recipients TEXT NOT NULL,
        raw BLOB NOT NULL,
        state TEXT NOT NULL,
        not_before REAL NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        error_kind TEXT NOT NULL DEFAULT '',
        refused TEXT NOT NULL DEFAULT '{}',
        sent_copy INTEGER NOT NULL DEFAULT 1,
        created REAL NOT NULL,
        updated REAL NOT NULL,
        sent_at REAL
    );
    CREATE INDEX outbox_due ON outbox(state, not_before);
    """,
    # 2: the sender working on an in-flight row ('' = none; rows in flight from before count as abandoned)
    "ALTER TABLE outbox ADD COLUMN owner TEXT NOT NULL DEFAULT ''",
]
SCHEMA_VERSION = len(MIGRATIONS)


class _SenderLease:
    """One :class:`Outbox`'s proof of life: an exclusive lock on ``<folder>/<token>.lock`` from open to close.

    The lock is per open file (``flock`` on POSIX, ``msvcrt.locking`` on Windows), so two outboxes in
    one process exclude each other too, and the system drops it when the process dies.
    """

    def __init__(self, folder: Path, token: str) -> None:
        self.folder = folder
        self.path = folder / f"{token}.lock"
        self._fd: int | None = None
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            # A sweep by another sender may test (and remove) the file between our create and our lock:
            # the lease counts only once the locked file is still the one at the path.
            for _ in range(20):
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                if _try_lock(fd):
                    try:
                        if os.path.samestat(os.fstat(fd), os.stat(self.path)):
                            self._fd = fd
                            return
                    except FileNotFoundError:
                        pass
                    _unlock(fd)
                os.close(fd)
        except OSError as e:
            raise LocalIOError(
                f"Cannot create the outbox lock {self.path}: {e.strerror or e}", path=str(self.path)
            ) from e
        raise LocalIOError(f"Cannot take the outbox lock {self.path}", path=str(self.path))

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _unlock(fd)
        os.close(fd)
        with contextlib.suppress(OSError):
            self.path.unlink()

    @staticmethod
    def alive(folder: Path, token: str) -> bool:
        """Whether the sender ``token`` still holds its lock; a dead one's file is removed."""
        if not token:
            return False
        path = folder / f"{token}.lock"
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            return False
        except OSError:
            return True  # cannot tell: assume alive (leaving a row alone never duplicates a message)
        try:
            if not _try_lock(fd):
                return True
            _unlock(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()
        return False

    @staticmethod
    def sweep(folder: Path, keep: str) -> None:
        """Remove the files of senders that are gone (crashed processes leave theirs behind)."""
        with contextlib.suppress(OSError):
            for p in folder.glob("*.lock"):
                if p.stem != keep:
                    _SenderLease.alive(folder, p.stem)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)


class Outbox:
    """The send queue. Thread-safe: a lock serializes use of the one connection.

    ``clock`` returns seconds since the epoch (tests pass a fake one). ``owner`` is this
    sender's token (see the module docstring); the lease behind it is held until :meth:`close`.
    """

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self._clock = clock
        self._lock = threading.RLock()
        self.owner = secrets.token_hex(8)
        self._senders = self.path.with_name(self.path.name + ".senders")
        self._db = db.connect(self.path, what="the outbox", synchronous="FULL")
        try:
            db.migrate(self._db, MIGRATIONS, what="the outbox")
            self._lease = _SenderLease(self._senders, self.owner)
        except BaseException:
            self._db.close()
            raise
        self._tx = db.Transactions(self._db)

    @classmethod
    def open(cls, path: Path, *, clock: Callable[[], float] = time.time) -> Outbox:
        return cls(path, clock=clock)

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._lease.release()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ queueing

    def enqueue(
        self,
        account: str,
        sender: str,
        recipients: Sequence[str],
        raw: bytes,
        *,
        message_id: str = "",
        send_at: float | None = None,
        sent_copy: bool = True,
    ) -> int:
        """Store a message to send (at ``send_at``, or now); it is durable when this returns."""
        if not recipients:
            raise OutboxStateError("a message needs at least one recipient")
        now = self._clock()
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO outbox(account, message_id, sender, recipients, raw, state, not_before, sent_copy,"
                " created, updated) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    account,
                    message_id,
                    sender,
                    json.dumps(list(recipients)),
                    raw,
                    QUEUED,
                    send_at if send_at is not None else now,
                    1 if sent_copy else 0,
                    now,
                    now,
                ),
            )
            return int(cur.lastrowid or 0)

    def get(self, item_id: int) -> OutboxItem:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLS} FROM outbox WHERE id=?", (item_id,)).fetchone()
        if row is None:
            raise OutboxItemMissing(f"No outbox item {item_id}")
        return _item(row)

    def raw(self, item_id: int) -> bytes:
        with self._lock:
            row = self._db.execute("SELECT raw FROM outbox WHERE id=?", (item_id,)).fetchone()
        if row is None:
            raise OutboxItemMissing(f"No outbox item {item_id}")
        return bytes(row[0])

    def items(self, account: str | None = None, *, include_done: bool = False) -> list[OutboxItem]:
        q = f"SELECT {_COLS} FROM outbox"
        cond: list[str] = []
        args: list[object] = []
        if account is not None:
            cond.append("account=?")
            args.append(account)
        if not include_done:
            cond.append("state<>?")
            args.append(DONE)
        if cond:
            q += " WHERE " + " AND ".join(cond)
        with self._lock:
            rows = self._db.execute(q + " ORDER BY id", args).fetchall()
        return [_item(r) for r in rows]

    def due(self, now: float | None = None, account: str | None = None) -> list[OutboxItem]:
        """Items the worker should work on now: queued/retry whose time came, and sent ones missing their copy
        (unless another sender is filing that copy right now)."""
        t = self._clock() if now is None else now
        q = (
            f"SELECT {_COLS} FROM outbox WHERE ((state IN (?,?) AND not_before<=?) OR state=? "
            "OR (state=? AND owner IN ('', ?)))"
        )
        args: list[object] = [QUEUED, RETRY, t, SENT, APPENDING, self.owner]
        if account is not None:
            q += " AND account=?"
            args.append(account)
        with self._lock:
            rows = self._db.execute(q + " ORDER BY not_before, id", args).fetchall()
        return [_item(r) for r in rows]

    def next_due_time(self) -> float | None:
        """When the earliest waiting item becomes due (for a timer), or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT MIN(not_before) FROM outbox WHERE state IN (?,?)", (QUEUED, RETRY)
            ).fetchone()
        return float(row[0]) if row and row[0] is not None else None

    # ------------------------------------------------------- user decisions

    def reschedule(self, item_id: int, send_at: float) -> None:
        """Send later (or sooner): only for items that are not in flight."""
        self._transition(item_id, (QUEUED, RETRY, HELD), QUEUED, not_before=send_at)

    def release(self, item_id: int) -> None:
        """The user fixed the problem of a held item: try again now."""
        self._transition(item_id, (HELD, RETRY), QUEUED, not_before=self._clock())

    def resend(self, item_id: int) -> None:
        """The user says an ``unknown`` item did not arrive: send it again (their say-so)."""
        self._transition(item_id, (UNKNOWN,), QUEUED, not_before=self._clock())

    def confirm_sent(self, item_id: int) -> None:
        """The user says an ``unknown`` item did arrive: only file it in Sent."""
        self._transition(item_id, (UNKNOWN,), SENT, sent_at=self._clock())

    def cancel(self, item_id: int) -> None:
        """Remove a message that is not in flight from the queue."""
        with self._lock:
            cur = self._db.execute(
                "DELETE FROM outbox WHERE id=? AND state IN (?,?,?,?)", (item_id, QUEUED, RETRY, HELD, UNKNOWN)
            )
            if cur.rowcount != 1:
                raise OutboxStateError(f"outbox item {item_id} is being sent or does not exist")

    def purge_done(self) -> int:
        with self._lock:
            return int(self._db.execute("DELETE FROM outbox WHERE state=?", (DONE,)).rowcount)

    # ------------------------------------------------------------- recovery

    def recover(self) -> int:
        """Settle in-flight rows whose sender is gone (see the module docstring); returns how many.

        Safe to run at any time beside other senders: rows a live sender owns are not touched.
        """
        now = self._clock()
        lost = "Quay stopped while the message was being submitted; it may or may not have been sent."
        with self._lock, self._tx.transaction() as c:
            rows = c.execute(
                "SELECT id, state, owner FROM outbox WHERE state IN (?,?,?) AND owner<>? "
                "AND NOT (state=? AND owner='')",  # an appending row nobody holds waits for a sender, not us
                (*IN_FLIGHT, self.owner, APPENDING),
            ).fetchall()
            gone = {o for o in {str(r[2]) for r in rows} if not _SenderLease.alive(self._senders, o)}
            for item_id, state, owner in rows:
                if owner not in gone:
                    continue
                if state == SENDING:
                    c.execute("UPDATE outbox SET state=?, owner='', updated=? WHERE id=?", (QUEUED, now, item_id))
                elif state == SUBMITTING:
                    c.execute(
                        "UPDATE outbox SET state=?, owner='', error_kind='unknown', last_error=?, updated=? WHERE id=?",
                        (UNKNOWN, lost, now, item_id),
                    )
                else:  # appending: whoever takes it next checks the Sent folder first
                    c.execute("UPDATE outbox SET owner='', updated=? WHERE id=?", (now, item_id))
        _SenderLease.sweep(self._senders, self.owner)
        return sum(1 for r in rows if r[2] in gone)

    # --------------------------------------------------------------- worker

    def process(self, item_id: int, transport: Transport, sent_folder: SentFolder | None) -> OutboxItem:
        """Advance one item as far as it goes now; returns its new state. Never raises for send failures.

        An item another sender took first is returned as it is, untouched.
        """
        item = self.get(item_id)
        if item.state in (QUEUED, RETRY):
            item = self._submit(item, transport)
        if item.state in (SENT, APPENDING):
            item = self._file_copy(item, sent_folder)
        return item

    def run_due(
        self,
        transport_for: Callable[[str], Transport],
        sent_folder_for: Callable[[str], SentFolder | None],
        now: float | None = None,
    ) -> list[OutboxItem]:
        """Process every due item (one at a time, oldest first)."""
        out: list[OutboxItem] = []
        for item in self.due(now):
            out.append(self.process(item.id, transport_for(item.account), sent_folder_for(item.account)))
        return out

    def _submit(self, item: OutboxItem, transport: Transport) -> OutboxItem:
        if not self._move(item.id, (QUEUED, RETRY), SENDING, bump_attempts=True):
            return self.get(item.id)  # another sender took it (or the user changed it) meanwhile
        item = self.get(item.id)
        raw = self.raw(item.id)

        def on_data_phase() -> None:
            self._transition(item.id, (SENDING,), SUBMITTING)

        try:
            result = transport.send(item.sender, item.recipients, raw, on_data_phase=on_data_phase)
        except DeliveryUnknown as e:
            self._settle(item.id, UNKNOWN, "unknown", str(e))
        except (SmtpTemporaryError, NetworkError) as e:
            self._settle_retry(item.id, item.attempts, "temporary", str(e))
        except RecipientsRefused as e:
            refused = {a: (f.code, f.reply) for a, f in e.failures.items()}
            if e.temporary:
                self._settle_retry(item.id, item.attempts, "temporary", str(e), refused=refused)
            else:
                self._settle(item.id, HELD, "recipients", str(e), refused=refused)
        except AuthError as e:
            self._settle(item.id, HELD, "auth", str(e))
        except (TlsError, PlaintextAuthRefused, SmtpPlaintextAuthRefused) as e:
            self._settle(item.id, HELD, "tls", str(e))
        except ServerError as e:
            self._settle(item.id, HELD, "rejected", str(e))
        except QuayError as e:
            self._settle(item.id, HELD, type(e).__name__, str(e))
        except Exception as e:  # our fault: keep the message, tell the user
            self._settle(item.id, HELD, "bug", f"{type(e).__name__}: {e}")
        else:
            self._record_sent(item, result, raw)
        return self.get(item.id)

    def _record_sent(self, item: OutboxItem, result: SendResult, raw: bytes) -> None:
        now = self._clock()
        refused = {a: (f.code, f.reply) for a, f in result.refused.items()}
        temporary = [a for a, f in result.refused.items() if f.temporary]
        with self._lock, self._tx.transaction() as c:
            row = c.execute("SELECT state, owner FROM outbox WHERE id=?", (item.id,)).fetchone()
            if row is None or row[0] not in (SENDING, SUBMITTING) or row[1] != self.owner:
                raise Bug(f"outbox item {item.id} changed hands during send: {row}")
            c.execute(
                "UPDATE outbox SET state=?, owner='', sent_at=?, refused=?, last_error=?, error_kind=?, updated=? "
                "WHERE id=?",
                (
                    SENT if item.sent_copy else DONE,
                    now,
                    json.dumps(refused),
                    _refused_text(result.refused),
                    "partial" if refused else "",
                    now,
                    item.id,
                ),
            )
            if temporary:
                # Delivered to the others; the temporarily refused get their own retry (no second Sent copy).
                c.execute(
                    "INSERT INTO outbox(account, message_id, sender, recipients, raw, state, not_before, attempts,"
                    " last_error, error_kind, sent_copy, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,0,?,?)",
                    (
                        item.account,
                        item.message_id,
                        item.sender,
                        json.dumps(temporary),
                        raw,
                        RETRY,
                        now + backoff_delay(1),
                        1,
                        _refused_text({a: result.refused[a] for a in temporary}),
                        "temporary",
                        now,
                        now,
                    ),
                )

    def _file_copy(self, item: OutboxItem, sent_folder: SentFolder | None) -> OutboxItem:
        was = item.state
        if not self._move(item.id, (SENT, APPENDING), APPENDING):
            return self.get(item.id)  # another sender is filing it
        if not item.sent_copy or sent_folder is None:
            self._transition(item.id, (APPENDING,), DONE)
            return self.get(item.id)
        try:
            if was == APPENDING and item.message_id and sent_folder.contains_message_id(item.message_id):
                self._transition(item.id, (APPENDING,), DONE)
                return self.get(item.id)
            sent_folder.append_sent(self.raw(item.id))
        except QuayError as e:
            # The message went out; only the copy is missing. Keep it and try the copy again later.
            with self._lock:
                self._db.execute(
                    "UPDATE outbox SET owner='', last_error=?, error_kind='sent-copy', updated=? "
                    "WHERE id=? AND owner=?",
                    (f"Sent, but filing a copy in Sent failed: {e}", self._clock(), item.id, self.owner),
                )
            return self.get(item.id)
        self._transition(item.id, (APPENDING,), DONE)
        return self.get(item.id)

    # ------------------------------------------------------------- helpers

    def _move(
        self,
        item_id: int,
        from_states: Sequence[str],
        to_state: str,
        *,
        bump_attempts: bool = False,
        **fields: object,
    ) -> bool:
        """One checked transition; False if the item is not in ``from_states`` or another live sender owns it.

        A move into an in-flight state makes us its owner; a move out clears the owner.
        """
        sets = ["state=?", "updated=?", "owner=?"]
        args: list[object] = [to_state, self._clock(), self.owner if to_state in IN_FLIGHT else ""]
        if bump_attempts:
            sets.append("attempts=attempts+1")
        for k, v in fields.items():
            sets.append(f"{k}=?")
            args.append(v)
        marks = ",".join("?" * len(from_states))
        with self._lock:
            cur = self._db.execute(
                f"UPDATE outbox SET {', '.join(sets)} WHERE id=? AND state IN ({marks}) "
                f"AND (state NOT IN ({','.join('?' * len(IN_FLIGHT))}) OR owner IN ('', ?))",
                [*args, item_id, *from_states, *IN_FLIGHT, self.owner],
            )
            return cur.rowcount == 1

    def _transition(self, item_id: int, from_states: Sequence[str], to_state: str, **fields: object) -> None:
        """:meth:`_move`, for moves that must happen (user decisions, our own in-flight rows)."""
        if not self._move(item_id, from_states, to_state, bump_attempts=False, **fields):
            with self._lock:
                row = self._db.execute("SELECT state, owner FROM outbox WHERE id=?", (item_id,)).fetchone()
            if row is None:
                raise OutboxItemMissing(f"No outbox item {item_id}")
            held = " by another sender" if row[0] in IN_FLIGHT and row[1] not in ("", self.owner) else ""
            raise OutboxStateError(f"outbox item {item_id} is {row[0]}{held}, not {'/'.join(from_states)}")

    def _settle(
        self,
        item_id: int,
        state: str,
        kind: str,
        message: str,
        *,
        refused: dict[str, tuple[int, str]] | None = None,
        **more: object,
    ) -> None:
        """End our send of ``item_id`` in ``state`` (held, unknown, retry) with the error that caused it."""
        self._transition(
            item_id,
            (SENDING, SUBMITTING),
            state,
            error_kind=kind,
            last_error=message,
            refused=json.dumps(refused or {}),
            **more,
        )

    def _settle_retry(
        self, item_id: int, attempts: int, kind: str, message: str, *, refused: dict[str, tuple[int, str]] | None = None
    ) -> None:
        if attempts >= MAX_ATTEMPTS:
            self._settle(item_id, HELD, kind, f"Gave up after {attempts} attempts: {message}", refused=refused)
        else:
            self._settle(
                item_id, RETRY, kind, message, refused=refused, not_before=self._clock() + backoff_delay(attempts)
            )


_COLS = (
    "id, account, message_id, sender, recipients, state, not_before, attempts, last_error, error_kind, refused,"
    " sent_copy, created, sent_at, length(raw), owner"
)


def _item(row: tuple[object, ...]) -> OutboxItem:
    refused_raw = json.loads(str(row[10]) or "{}")
    return OutboxItem(
        id=int(row[0]),  # type: ignore[call-overload]
        account=str(row[1]),
        message_id=str(row[2]),
        sender=str(row[3]),
        recipients=[str(r) for r in json.loads(str(row[4]))],
        state=str(row[5]),
        not_before=float(row[6]),  # type: ignore[arg-type]
        attempts=int(row[7]),  # type: ignore[call-overload]
        last_error=str(row[8]),
        error_kind=str(row[9]),
        refused={str(a): (int(v[0]), str(v[1])) for a, v in refused_raw.items()},
        sent_copy=bool(row[11]),
        created=float(row[12]),  # type: ignore[arg-type]
        sent_at=float(row[13]) if row[13] is not None else None,  # type: ignore[arg-type]
        size=int(row[14]),  # type: ignore[call-overload]
        owner=str(row[15]),
    )


def _refused_text(refused: dict[str, RecipientFailure]) -> str:
    return "; ".join(f"{a}: {f.code} {f.reply}" for a, f in refused.items())


class StoreSentFolder:
    """A folder of the mail cache (:class:`app.core.mail.store.Store`) as the :class:`SentFolder`.

    A local folder gets the message directly. An IMAP folder gets it in the cache at once and an
    APPEND (``\\Seen``) queued for the account worker, which replays it (de-duplicated by Message-ID)
    on its next connection, so filing the copy works offline too.
    """

    def __init__(self, store: Store, folder_id: int) -> None:
        self._store = store
        self._folder_id = folder_id

    def contains_message_id(self, message_id: str) -> bool:
        row = self._store.conn.execute(
            "SELECT 1 FROM messages WHERE folder_id=? AND message_id=? LIMIT 1", (self._folder_id, message_id)
        ).fetchone()
        return row is not None

    def append_sent(self, raw: bytes) -> None:
        folder = self._store.folder(self._folder_id)
        if folder is None:
            raise LocalIOError(f"The Sent folder (id {self._folder_id}) no longer exists.")
        if folder.kind == "imap":
            from app.core.mail.imap import ops

            ops.append(self._store, self._folder_id, raw, ["\\Seen"])
        else:
            self._store.add_local_message(self._folder_id, raw, ["\\Seen"])


#: The older name, still imported by ``app/clicmd/mail_send.py``; remove once it says StoreSentFolder.
LocalSentFolder = StoreSentFolder
