"""Persistent send queue: a message is written here first, then a worker submits it and files it in Sent.

The queue lives in its own SQLite file (WAL, ``synchronous=FULL``) so each
state change is on disk before the next step starts. States::

    queued ──► sending ──► submitting ──► sent ──► appending ──► done
      ▲  (not_before: send later / backoff)      │
      │                          │               └─ no Sent copy wanted ─► done
    retry ◄── 4xx, network ──────┤
    held  ◄── 5xx, auth, TLS, too large (waits for the user)
    unknown ◄── connection lost after the body was handed over

Crash recovery (:meth:`Outbox.recover`, run on start-up):

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
* ``appending``: the Sent copy may already be there: the worker asks the Sent
  folder whether it holds the Message-ID before appending again.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from app.core.errors import (
    AuthError,
    Bug,
    LocalIOError,
    NetworkError,
    QuayError,
    ServerError,
    TlsError,
)
from app.core.mail.smtp import (
    DeliveryUnknown,
    PlaintextAuthRefused,
    RecipientFailure,
    RecipientsRefused,
    SendResult,
    SmtpTemporaryError,
)

SCHEMA_VERSION = 1

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
BACKOFF_BASE = 30.0
BACKOFF_MAX = 3600.0
MAX_ATTEMPTS = 48


def backoff_delay(attempts: int) -> float:
    """Seconds before retry number ``attempts`` (1-based): 30 s doubling, capped at one hour."""
    return float(min(BACKOFF_BASE * float(2 ** min(max(attempts - 1, 0), 30)), BACKOFF_MAX))


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
    """One queued message and what happened to it so far."""

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

    @property
    def needs_user(self) -> bool:
        return self.state in (HELD, UNKNOWN)


_SCHEMA_V1 = """
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
"""

_MIGRATIONS: dict[int, str] = {1: _SCHEMA_V1}


class Outbox:
    """The send queue. Thread-safe: a lock serializes use of the one connection.

    ``clock`` returns seconds since the epoch (tests pass a fake one).
    """

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self._clock = clock
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA busy_timeout=10000")
            self._migrate()
        except sqlite3.Error as e:
            raise LocalIOError(f"Cannot open the outbox {self.path}: {e}") from e

    @classmethod
    def open(cls, path: Path, *, clock: Callable[[], float] = time.time) -> Outbox:
        return cls(path, clock=clock)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise LocalIOError(f"The outbox {self.path} was written by a newer Quay (schema {version}).")
        for v in range(version + 1, SCHEMA_VERSION + 1):
            self._db.execute("BEGIN IMMEDIATE")
            for stmt in _MIGRATIONS[v].split(";"):
                if stmt.strip():
                    self._db.execute(stmt)
            self._db.execute(f"PRAGMA user_version={v}")
            self._db.execute("COMMIT")

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
            raise ValueError("a message needs at least one recipient")
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
            assert cur.lastrowid is not None
            return int(cur.lastrowid)

    def get(self, item_id: int) -> OutboxItem:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLS} FROM outbox WHERE id=?", (item_id,)).fetchone()
        if row is None:
            raise KeyError(item_id)
        return _item(row)

    def raw(self, item_id: int) -> bytes:
        with self._lock:
            row = self._db.execute("SELECT raw FROM outbox WHERE id=?", (item_id,)).fetchone()
        if row is None:
            raise KeyError(item_id)
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
        """Items the worker should work on now: queued/retry whose time came, and sent ones missing their copy."""
        t = self._clock() if now is None else now
        q = f"SELECT {_COLS} FROM outbox WHERE ((state IN (?,?) AND not_before<=?) OR state IN (?,?))"
        args: list[object] = [QUEUED, RETRY, t, SENT, APPENDING]
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
                raise ValueError(f"outbox item {item_id} is being sent or does not exist")

    def purge_done(self) -> int:
        with self._lock:
            return int(self._db.execute("DELETE FROM outbox WHERE state=?", (DONE,)).rowcount)

    # ------------------------------------------------------------- recovery

    def recover(self) -> None:
        """After a crash or restart: see the module docstring for what each in-flight state becomes."""
        now = self._clock()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("UPDATE outbox SET state=?, updated=? WHERE state=?", (QUEUED, now, SENDING))
            self._db.execute(
                "UPDATE outbox SET state=?, error_kind='unknown', last_error=?, updated=? WHERE state=?",
                (
                    UNKNOWN,
                    "Quay stopped while the message was being submitted; it may or may not have been sent.",
                    now,
                    SUBMITTING,
                ),
            )
            self._db.execute("COMMIT")

    # --------------------------------------------------------------- worker

    def process(self, item_id: int, transport: Transport, sent_folder: SentFolder | None) -> OutboxItem:
        """Advance one item as far as it goes now; returns its new state. Never raises for send failures."""
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
        self._transition(item.id, (QUEUED, RETRY), SENDING, attempts=item.attempts + 1)
        raw = self.raw(item.id)

        def on_data_phase() -> None:
            self._transition(item.id, (SENDING,), SUBMITTING)

        try:
            result = transport.send(item.sender, item.recipients, raw, on_data_phase=on_data_phase)
        except DeliveryUnknown as e:
            self._set_failure(item.id, UNKNOWN, "unknown", str(e))
        except (SmtpTemporaryError, NetworkError) as e:
            self._schedule_retry(item.id, item.attempts + 1, "temporary", str(e))
        except RecipientsRefused as e:
            refused = {a: (f.code, f.reply) for a, f in e.failures.items()}
            if e.temporary:
                self._schedule_retry(item.id, item.attempts + 1, "temporary", str(e), refused=refused)
            else:
                self._set_failure(item.id, HELD, "recipients", str(e), refused=refused)
        except AuthError as e:
            self._set_failure(item.id, HELD, "auth", str(e))
        except (TlsError, PlaintextAuthRefused) as e:
            self._set_failure(item.id, HELD, "tls", str(e))
        except ServerError as e:
            self._set_failure(item.id, HELD, "rejected", str(e))
        except QuayError as e:
            self._set_failure(item.id, HELD, type(e).__name__, str(e))
        except Exception as e:  # our fault: keep the message, tell the user
            self._set_failure(item.id, HELD, "bug", f"{type(e).__name__}: {e}")
        else:
            self._record_sent(item, result, raw)
        return self.get(item.id)

    def _record_sent(self, item: OutboxItem, result: SendResult, raw: bytes) -> None:
        now = self._clock()
        refused = {a: (f.code, f.reply) for a, f in result.refused.items()}
        temporary = [a for a, f in result.refused.items() if f.temporary]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            state = self._db.execute("SELECT state FROM outbox WHERE id=?", (item.id,)).fetchone()
            if state is None or state[0] not in (SENDING, SUBMITTING):
                self._db.execute("ROLLBACK")
                raise Bug(f"outbox item {item.id} changed state during send: {state}")
            self._db.execute(
                "UPDATE outbox SET state=?, sent_at=?, refused=?, last_error=?, error_kind=?, updated=? WHERE id=?",
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
                self._db.execute(
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
            self._db.execute("COMMIT")

    def _file_copy(self, item: OutboxItem, sent_folder: SentFolder | None) -> OutboxItem:
        if not item.sent_copy or sent_folder is None:
            self._transition(item.id, (SENT, APPENDING), DONE)
            return self.get(item.id)
        try:
            if item.state == APPENDING and item.message_id and sent_folder.contains_message_id(item.message_id):
                self._transition(item.id, (APPENDING,), DONE)
                return self.get(item.id)
            self._transition(item.id, (SENT, APPENDING), APPENDING)
            sent_folder.append_sent(self.raw(item.id))
        except QuayError as e:
            # The message went out; only the copy is missing. Keep it and try the copy again later.
            with self._lock:
                self._db.execute(
                    "UPDATE outbox SET last_error=?, error_kind='sent-copy', updated=? WHERE id=?",
                    (f"Sent, but filing a copy in Sent failed: {e}", self._clock(), item.id),
                )
            return self.get(item.id)
        self._transition(item.id, (APPENDING,), DONE)
        return self.get(item.id)

    # ------------------------------------------------------------- helpers

    def _transition(self, item_id: int, from_states: Sequence[str], to_state: str, **fields: object) -> None:
        sets = ["state=?", "updated=?"]
        args: list[object] = [to_state, self._clock()]
        for k, v in fields.items():
            sets.append(f"{k}=?")
            args.append(v)
        marks = ",".join("?" * len(from_states))
        with self._lock:
            cur = self._db.execute(
                f"UPDATE outbox SET {', '.join(sets)} WHERE id=? AND state IN ({marks})",
                [*args, item_id, *from_states],
            )
            if cur.rowcount != 1:
                row = self._db.execute("SELECT state FROM outbox WHERE id=?", (item_id,)).fetchone()
                raise ValueError(
                    f"outbox item {item_id} is {row[0] if row else 'missing'}, not {'/'.join(from_states)}"
                )

    def _set_failure(
        self, item_id: int, state: str, kind: str, message: str, *, refused: dict[str, tuple[int, str]] | None = None
    ) -> None:
        self._transition(
            item_id,
            (SENDING, SUBMITTING),
            state,
            error_kind=kind,
            last_error=message,
            refused=json.dumps(refused or {}),
        )

    def _schedule_retry(
        self, item_id: int, attempts: int, kind: str, message: str, *, refused: dict[str, tuple[int, str]] | None = None
    ) -> None:
        if attempts >= MAX_ATTEMPTS:
            self._set_failure(item_id, HELD, kind, f"Gave up after {attempts} attempts: {message}", refused=refused)
            return
        self._transition(
            item_id,
            (SENDING, SUBMITTING),
            RETRY,
            error_kind=kind,
            last_error=message,
            refused=json.dumps(refused or {}),
            not_before=self._clock() + backoff_delay(attempts),
        )


_COLS = (
    "id, account, message_id, sender, recipients, state, not_before, attempts, last_error, error_kind, refused,"
    " sent_copy, created, sent_at, length(raw)"
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
    )


def _refused_text(refused: dict[str, RecipientFailure]) -> str:
    return "; ".join(f"{a}: {f.code} {f.reply}" for a, f in refused.items())


class StoreSentFolder:
    """A folder of the mail cache (:class:`app.core.mail.store.Store`) as the :class:`SentFolder`.

    A local folder gets the message directly. An IMAP folder gets it in the cache at once and an
    APPEND (``\\Seen``) queued for the account worker, which replays it (de-duplicated by Message-ID)
    on its next connection, so filing the copy works offline too.
    """

    def __init__(self, store: object, folder_id: int) -> None:
        from app.core.mail.store import Store

        if not isinstance(store, Store):
            raise TypeError("StoreSentFolder needs a Store")
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


LocalSentFolder = StoreSentFolder
