"""SQLite for every store (mail cache, outbox, transfer queue): open with the right pragmas, migrate, transact.

* :func:`connect` opens a file in autocommit mode (``isolation_level=None``,
  so transactions are ours, never the driver's), WAL journal, a busy timeout,
  foreign keys on, and the per-file ``synchronous`` level the store asks for
  (``FULL`` where a lost commit would lose mail, ``NORMAL`` for caches).
* :func:`migrate` runs numbered migrations against ``PRAGMA user_version``,
  each in its own transaction, and refuses a file written by a newer Quay.
* :class:`Transactions` (``transaction()``) is savepoint-aware: the outermost
  block is ``BEGIN IMMEDIATE ... COMMIT``; a nested block is a ``SAVEPOINT``,
  so callers can join several store calls into one atomic unit.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from app.core.errors import LocalIOError

__all__ = ["Migration", "Synchronous", "Transactions", "connect", "migrate", "split_sql"]

Synchronous = Literal["OFF", "NORMAL", "FULL", "EXTRA"]
#: A migration is SQL text (several statements allowed) or a function of the connection.
Migration = str | Callable[[sqlite3.Connection], None]


def connect(
    path: str | Path,
    *,
    what: str,
    readonly: bool = False,
    synchronous: Synchronous = "NORMAL",
    busy_timeout_ms: int = 10000,
    cache_kib: int = 0,
) -> sqlite3.Connection:
    """Open ``path`` (``":memory:"`` for tests). ``what`` names the file in errors ("the mail cache")."""
    memory = str(path) == ":memory:"
    try:
        if not memory and not readonly:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if readonly and not memory:
            conn = sqlite3.connect(
                f"file:{Path(path)}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
            )
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {synchronous}")
        conn.execute("PRAGMA temp_store = MEMORY")
        if cache_kib:
            conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        return conn
    except sqlite3.Error as e:
        raise LocalIOError(f"Cannot open {what} ({path}): {e}") from e


def split_sql(script: str) -> list[str]:
    """Split a migration into statements (a trigger body holds ';' inside BEGIN ... END)."""
    out: list[str] = []
    buf = ""
    for part in script.split(";"):
        buf = f"{buf};{part}" if buf else part
        if sqlite3.complete_statement(buf + ";"):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


class Transactions:
    """Savepoint-aware transactions on one connection. One instance per connection; not shared across threads."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._depth = 0
        self._lock = threading.RLock()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE ... COMMIT`` (rolled back on any exception); a SAVEPOINT when nested."""
        with self._lock:
            if self.conn.in_transaction:
                self._depth += 1
                name = f"sp{self._depth}"
                self.conn.execute(f"SAVEPOINT {name}")
                try:
                    yield self.conn
                except BaseException:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                    raise
                finally:
                    self._depth -= 1
                self.conn.execute(f"RELEASE {name}")
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """One read snapshot (``BEGIN DEFERRED``): every statement inside sees the same database state."""
        with self._lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration], *, what: str) -> int:
    """Bring the file up to ``len(migrations)``; returns the version it was at. Each step is one transaction."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > len(migrations):
        raise LocalIOError(f"{what.capitalize()} was written by a newer version of Quay (schema {version}).")
    tx = Transactions(conn)
    for i in range(version, len(migrations)):
        step = migrations[i]
        with tx.transaction():
            if callable(step):
                step(conn)
            else:
                for stmt in split_sql(step):
                    conn.execute(stmt)
            conn.execute(f"PRAGMA user_version = {i + 1}")
    return version
