"""The mail cache on its own: schema, local folders, sorting, search, threads, pending operations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.core.errors import LocalIOError
from app.core.mail.headers import search_terms
from app.core.mail.store import MIGRATIONS, SEEN, Store, bits_to_flags, flags_to_bits, fts_query, header_fields


def _msg(i: int, subject: str, sender: str = "Ann <ann@example.test>", date_min: int = 0, extra: str = "") -> bytes:
    return (
        f"From: {sender}\r\nTo: bob@example.test\r\nSubject: {subject}\r\n"
        f"Date: Mon, 23 Nov 2026 05:{date_min:02d}:00 +0000\r\nMessage-ID: <s{i}@example.test>\r\n"
        f"{extra}\r\nbody {i}\r\n"
    ).encode()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "mail.sqlite3")


def test_schema_version_wal_and_foreign_keys(store: Store, tmp_path: Path) -> None:
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    idx = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"messages_folder_date", "messages_folder_from_date", "messages_folder_subject_date"} <= idx
    store.close()
    again = Store.open(tmp_path / "mail.sqlite3")  # re-opening does not re-run migrations
    assert again.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    again.conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    again.close()
    with pytest.raises(LocalIOError, match="newer"):
        Store.open(tmp_path / "mail.sqlite3")


def test_local_folder_messages_sort_and_page(store: Store) -> None:
    aid = store.ensure_account("pop3:ann@h:995", "pop3", "h", 995, "ann", "tls")
    assert store.ensure_account("pop3:ann@h:995", "pop3") == aid
    fid = store.create_local_folder(aid, "Local Inbox")
    assert store.create_local_folder(aid, "Local Inbox") == fid
    f = store.folder_by_name(aid, "Local Inbox")
    assert f is not None and f.kind == "local" and f.uidvalidity is None
    ids = [
        store.add_local_message(fid, _msg(1, "banana", "Zed <z@x.test>", 10), ["\\Seen"]),
        store.add_local_message(fid, _msg(2, "Re: apple", "amy <a@x.test>", 30)),
        store.add_local_message(fid, _msg(3, "cherry", "Bob <b@x.test>", 20), ["$Label1", "\\Flagged"]),
    ]
    assert store.count(fid) == 3 and store.count(fid, unseen_only=True) == 2
    assert [r.subject for r in store.list_messages(fid)] == ["Re: apple", "cherry", "banana"]
    assert [r.subject for r in store.list_messages(fid, sort="subject", descending=False)] == [
        "Re: apple",
        "banana",
        "cherry",
    ]
    assert [r.from_name for r in store.list_messages(fid, sort="from", descending=False)] == ["amy", "Bob", "Zed"]
    assert [r.subject for r in store.list_messages(fid, offset=1, limit=1)] == ["cherry"]
    assert store.message_ids(fid) == [ids[1], ids[2], ids[0]]
    assert [r.id for r in store.rows([ids[2], ids[0], 999])] == [ids[2], ids[0]]
    r3 = store.row(ids[2])
    assert r3 is not None and r3.flags == frozenset({"$Label1", "\\Flagged"}) and r3.uid is None
    assert store.raw_message(ids[0]) == _msg(1, "banana", "Zed <z@x.test>", 10)
    store.set_flags(ids[2], add=["\\Seen"], remove=["$Label1"])
    r3 = store.row(ids[2])
    assert r3 is not None and r3.flags == frozenset({"\\Seen", "\\Flagged"})


def test_search_and_body_index(store: Store) -> None:
    aid = store.ensure_account("k", "imap")
    fid = store.create_local_folder(aid, "F")
    a = store.add_local_message(fid, _msg(1, "Quarterly report", "Nguyễn <n@x.test>"))
    b = store.add_local_message(fid, _msg(2, "Lunch"))
    assert [r.id for r in store.search("quarterly")] == [a]
    assert [r.id for r in store.search("quart")] == [a]  # prefix
    assert [r.id for r in store.search("nguyen")] == [a]  # diacritics folded
    assert store.search('"; DROP TABLE messages; --') == []
    assert store.search("") == []
    store.set_body(b, "text/plain", "we meet at the pagoda")
    assert [r.id for r in store.search("pagoda")] == [b]
    assert store.search("pagoda", folder_id=fid + 1) == []
    store.delete_message(b)
    assert store.search("pagoda") == [] and store.body(b) is None


def test_fts_query_quotes_everything() -> None:
    assert fts_query("a b") == '"a" "b"*'
    assert fts_query('x"y') == '"x""y"*'
    assert fts_query("   ") == '""'


def test_threads(store: Store) -> None:
    aid = store.ensure_account("k", "imap")
    fid = store.create_local_folder(aid, "F")
    store.add_local_message(fid, _msg(1, "Trip", date_min=1))
    store.add_local_message(fid, _msg(2, "Re: Trip", date_min=2, extra="In-Reply-To: <s1@example.test>\r\n"))
    store.add_local_message(fid, _msg(3, "Fwd: trip", date_min=3))
    store.add_local_message(fid, _msg(4, "Unrelated", date_min=4))
    rows = store.thread_rows(fid)
    assert [(r[0], r[2]) for r in rows] == [("<s4@example.test>", 1), ("<s1@example.test>", 3)]
    assert [m.subject for m in store.thread_members("<s1@example.test>")] == ["Trip", "Re: Trip", "Fwd: trip"]


def test_pending_ops_survive_reopen(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "m.db")
    aid = s.ensure_account("k", "imap")
    op = s.add_pending_op(aid, "flags", folder_id=None, uid=3, args={"add": ["\\Seen"]})
    s.fail_pending_op(op, "NO try later")
    s.close()
    s2 = Store.open(tmp_path / "m.db")
    [p] = s2.pending_ops(aid)
    assert (p.op, p.uid, p.args, p.attempts, p.last_error) == ("flags", 3, {"add": ["\\Seen"]}, 1, "NO try later")
    s2.remove_pending_op(p.id)
    assert s2.pending_ops(aid) == []


def test_readonly_reader_beside_writer(tmp_path: Path) -> None:
    w = Store.open(tmp_path / "m.db")
    aid = w.ensure_account("k", "imap")
    fid = w.create_local_folder(aid, "F")
    r = Store.open(tmp_path / "m.db", readonly=True)
    w.add_local_message(fid, _msg(1, "x"))
    assert r.count(fid) == 1
    with pytest.raises(sqlite3.OperationalError):
        r.conn.execute("DELETE FROM messages")


def test_flag_bits_round_trip() -> None:
    bits, kw = flags_to_bits(["\\Seen", "\\Recent", "$Forwarded", "\\flagged"])
    assert bits & SEEN and kw == "$Forwarded"
    assert bits_to_flags(bits, kw) == frozenset({"\\Seen", "\\Flagged", "$Forwarded"})


def test_clear_and_delete_folder(store: Store) -> None:
    aid = store.ensure_account("k", "imap")
    fid = store.ensure_imap_folder(aid, "INBOX", "INBOX")
    store.update_folder_state(fid, uidvalidity=5, uidnext=10, highestmodseq=7, sync_complete=1)
    mid = store.add_local_message(fid, _msg(1, "x"), uid=4)
    store.clear_folder(fid)
    f = store.folder(fid)
    assert f is not None and f.uidvalidity is None and not f.sync_complete and store.row(mid) is None
    assert store.raw_message(mid) is None
    store.delete_folder(fid)
    assert store.folder(fid) is None


def _header_rows(fid: int, subjects: list[str], first_uid: int = 1) -> list[tuple[object, ...]]:
    return [
        header_fields(_msg(i, s).split(b"\r\n\r\n")[0] + b"\r\n\r\n", fid, first_uid + n, 0, "", None, 1, 10)
        for n, (i, s) in enumerate(enumerate(subjects, first_uid))
    ]


def test_deferred_header_index_search_stays_complete(store: Store) -> None:
    """A bulk sync stores rows unindexed; search finds them by LIKE until the index pass runs."""
    aid = store.ensure_account("k", "imap")
    fid = store.ensure_imap_folder(aid, "INBOX", "INBOX")
    with store.transaction():
        store.insert_headers(_header_rows(fid, ["alpha report", "beta_x 100%", "gamma"]), index=False)
    assert store.pending_header_index() == 3
    assert store.conn.execute("SELECT count(*) FROM fts").fetchone()[0] == 0
    assert [r.subject for r in store.search("report")] == ["alpha report"]
    assert [r.subject for r in store.search("alpha rep")] == ["alpha report"]
    assert [r.subject for r in store.search("100%")] == ["beta_x 100%"]
    assert store.search("1_0") == []  # LIKE wildcards in the query are literal
    # Deleting an unindexed row must not touch the contentless index.
    with store.transaction():
        store.delete_uids(fid, [3])
    assert store.index_pending_headers(limit=1) == 1 and store.pending_header_index() == 1
    assert store.index_pending_headers() == 1 and store.pending_header_index() == 0
    assert store.conn.execute("SELECT count(*) FROM fts").fetchone()[0] == 2
    assert [r.subject for r in store.search("report")] == ["alpha report"]
    assert [r.subject for r in store.search("beta")] == ["beta_x 100%"]
    # The top id is reused after its row is deleted: the reused id must count as unindexed.
    with store.transaction():
        store.delete_uids(fid, [2])
        store.insert_headers(_header_rows(fid, ["delta"], first_uid=9), index=False)
    assert store.pending_header_index() == 1 and [r.subject for r in store.search("delta")] == ["delta"]
    store.index_pending_headers()
    assert store.search("beta") == [] and [r.subject for r in store.search("delta")] == ["delta"]
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.conn.execute("INSERT INTO fts(fts) VALUES ('integrity-check')")


def test_list_indexes_dropped_for_bulk_come_back(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "m.sqlite3")
    store.drop_list_indexes()
    idx = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "messages_thread" not in idx and "messages_folder_date" in idx
    store.close()
    again = Store.open(tmp_path / "m.sqlite3")  # e.g. after a crash mid-sync
    idx = {r[0] for r in again.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"messages_thread", "messages_folder_from_date", "messages_folder_subject_date"} <= idx
    again.drop_list_indexes()
    assert again.index_pending_headers() == 0 and again.ensure_list_indexes() is False
    with again.bulk_writes():
        assert again.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    assert again.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    again.close()


def test_nested_transaction_is_a_savepoint(tmp_path: Path) -> None:
    """A failure inside a nested unit rolls back only that unit; the outer one commits atomically."""
    store = Store.open(tmp_path / "nested.sqlite3")
    aid = store.ensure_account("local:test", "local")
    fid = store.create_local_folder(aid, "Inbox")
    raw = b"From: a@example.test\r\nSubject: one\r\nMessage-ID: <n1@example.test>\r\n\r\nbody\r\n"
    with store.transaction():
        store.add_local_message(fid, raw)
        try:
            with store.transaction():
                store.add_local_message(fid, raw.replace(b"one", b"two"))
                raise RuntimeError("inner failure")
        except RuntimeError:
            pass
    assert [r.subject for r in store.list_messages(fid)] == ["one"]
    try:
        with store.transaction():
            store.add_local_message(fid, raw.replace(b"one", b"three"))
            raise RuntimeError("outer failure")
    except RuntimeError:
        pass
    assert store.count(fid) == 1
    store.close()


@pytest.mark.parametrize("share", [1.0, 0.7, 0.2, 0.01])
def test_search_newest_first_fast_path_equals_full_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share: float
) -> None:
    """The top-k early exit returns exactly what the full query returns, for common and rare words."""
    import random

    rng = random.Random(int(share * 1000))
    monkeypatch.setattr(Store, "_SEARCH_WINDOW", 40)
    store = Store.open(tmp_path / f"s{share}.sqlite3")
    aid = store.ensure_account("local:t", "local")
    fid = store.create_local_folder(aid, "Inbox")
    for i in range(300):
        day = rng.randint(1, 28)
        word = "quarterly" if rng.random() < share else "monthly"
        raw = (
            f"From: a{i}@example.test\r\nSubject: {word} report {i}\r\n"
            f"Date: {day:02d} Nov 2026 {i % 24:02d}:00:00 +0000\r\nMessage-ID: <s{i}@example.test>\r\n\r\nbody\r\n"
        ).encode()
        store.add_local_message(fid, raw)
    terms = search_terms("quarterly")
    for limit in (5, 20, 200):
        fast = store.search("quarterly", folder_id=fid, limit=limit)
        full = store._search_sql(terms, fid, limit, None)
        assert [r.id for r in fast] == [r.id for r in full]
    store.close()


def _quarterly_folder(tmp_path: Path, n: int = 120) -> tuple[Store, int]:
    store = Store.open(tmp_path / "snap.sqlite3")
    aid = store.ensure_account("local:t", "local")
    fid = store.create_local_folder(aid, "Inbox")
    with store.transaction():
        for i in range(n):
            raw = (
                f"From: a{i}@example.test\r\nSubject: quarterly report {i}\r\n"
                f"Date: 01 Nov 2026 {i // 60:02d}:{i % 60:02d}:00 +0000\r\nMessage-ID: <q{i}@example.test>\r\n\r\nb\r\n"
            ).encode()
            store.add_local_message(fid, raw)
    return store, fid


def test_search_limit_zero_or_negative_means_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Store, "_SEARCH_WINDOW", 40)
    store, fid = _quarterly_folder(tmp_path)
    assert len(store.search("quarterly", folder_id=fid, limit=5)) == 5
    for limit in (0, -1):
        assert len(store.search("quarterly", folder_id=fid, limit=limit)) == 120
        assert len(store.search("quarterly", limit=limit)) == 120
    store.close()


def test_search_fast_path_sees_one_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another connection commits (a sync batch: one new message in, the newest one expunged) between the fast
    path's window query and its search query: the results are those of the state before or after that commit,
    never a mix (without one snapshot the expunge was seen and the new message cut off by the id window)."""
    monkeypatch.setattr(Store, "_SEARCH_WINDOW", 40)
    store, fid = _quarterly_folder(tmp_path)
    other = Store.open(tmp_path / "snap.sqlite3")
    before = [r.id for r in store.search("quarterly", folder_id=fid, limit=5)]
    real = store._search_sql
    fired: list[bool] = []

    def commit_between(*args: object) -> list[object]:
        if not fired:
            fired.append(True)
            with other.transaction():
                other.add_local_message(
                    fid,
                    b"From: new@example.test\r\nSubject: quarterly news\r\n"
                    b"Date: 02 Nov 2026 00:00:00 +0000\r\nMessage-ID: <new@example.test>\r\n\r\nb\r\n",
                )
                other.delete_message(before[0])
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "_search_sql", commit_between)
    got = [r.id for r in store.search("quarterly", folder_id=fid, limit=5)]
    assert fired
    monkeypatch.setattr(store, "_search_sql", real)
    after = [r.id for r in store.search("quarterly", folder_id=fid, limit=5)]
    assert after != before
    assert got in (before, after)
    other.close()
    store.close()


def _old_pop3_file(path: Path, rows: list[tuple[object, ...]]) -> None:
    with sqlite3.connect(path) as c:
        c.execute(
            "CREATE TABLE uidl (account TEXT NOT NULL, uidl TEXT NOT NULL, state TEXT NOT NULL,"
            " local_ref TEXT NOT NULL DEFAULT '', size INTEGER NOT NULL DEFAULT 0, downloaded REAL NOT NULL,"
            " deleted_here INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (account, uidl))"
        )
        c.executemany("INSERT INTO uidl VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    c.close()


def test_old_pop3_state_file_is_imported_once_and_renamed(tmp_path: Path) -> None:
    first = Store.open(tmp_path / "mail.sqlite3")
    aid = first.ensure_account("pop3:a@h:995", "pop3")
    fid = first.create_local_folder(aid, "Inbox")
    kept = first.add_local_message(fid, _msg(1, "kept"))
    first.close()
    _old_pop3_file(
        tmp_path / "pop3.sqlite3",
        [
            ("pop3:a@h:995", "U1", "stored", str(kept), 100, 10.0, 0),
            ("pop3:a@h:995", "U2", "stored", "999", 200, 20.0, 0),  # its local copy is gone
            ("pop3:a@h:995", "U3", "pending", "", 300, 30.0, 0),  # maybe stored: fetched again
            ("pop3:b@h:995", "V1", "stored", "", 50, 40.0, 1),
        ],
    )
    store = Store.open(tmp_path / "mail.sqlite3")
    assert not (tmp_path / "pop3.sqlite3").exists() and (tmp_path / "pop3.sqlite3.migrated").exists()
    seen = store.pop3_seen(aid)
    assert set(seen) == {"U1", "U2"}
    assert seen["U1"].message_id == kept and not seen["U1"].deleted_here and seen["U1"].downloaded == 10.0
    assert seen["U2"].message_id is None and seen["U2"].deleted_here
    other = store.account_id("pop3:b@h:995")
    assert other is not None and set(store.pop3_seen(other)) == {"V1"} and store.pop3_seen(other)["V1"].deleted_here
    # deleting the local copy, by any path, marks it deleted here
    store.delete_folder(fid)
    assert store.pop3_seen(aid)["U1"].deleted_here and store.pop3_seen(aid)["U1"].message_id is None
    assert store.forget_pop3_uidls(aid, ["U2"]) == 1 and set(store.pop3_seen(aid)) == {"U2"}
    store.close()
    again = Store.open(tmp_path / "mail.sqlite3")  # nothing left to import
    assert set(again.pop3_seen(aid)) == {"U2"}
    again.close()


def test_flush_to_disk_commits_with_synchronous_full(store: Store) -> None:
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    store.flush_to_disk()
    store.conn.set_trace_callback(None)
    assert seen[0] == "PRAGMA synchronous = FULL" and "COMMIT" in seen and seen[-1] == "PRAGMA synchronous = NORMAL"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1
    with store.transaction(), pytest.raises(Exception, match="inside a transaction"):
        store.flush_to_disk()
    store.close()


def test_a_damaged_old_pop3_file_is_set_aside(tmp_path: Path) -> None:
    (tmp_path / "pop3.sqlite3").write_bytes(b"not a database at all" * 100)
    store = Store.open(tmp_path / "mail.sqlite3")  # the mail cache still opens
    assert (tmp_path / "pop3.sqlite3.unreadable").exists() and not (tmp_path / "pop3.sqlite3").exists()
    store.close()


def test_sort_indexes_upgrade_and_hold_the_whole_order(tmp_path: Path) -> None:
    """A version-3 cache (sort indexes on the column alone) gets indexes that also hold the newest-first
    tie order, so an ascending From/Subject sort walks an index instead of sorting the folder again."""
    path = tmp_path / "m.sqlite3"
    store = Store.open(path)
    c = store.conn
    c.execute("DROP INDEX messages_folder_from_date")
    c.execute("DROP INDEX messages_folder_subject_date")
    c.execute("CREATE INDEX messages_folder_from ON messages(folder_id, from_sort)")
    c.execute("CREATE INDEX messages_folder_subject ON messages(folder_id, base_subject)")
    c.execute("PRAGMA user_version = 3")
    store.close()
    again = Store.open(path)
    idx = {r[0] for r in again.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"messages_folder_from_date", "messages_folder_subject_date"} <= idx
    assert not {"messages_folder_from", "messages_folder_subject"} & idx
    for column in ("base_subject", "from_sort"):
        plan = " ".join(
            str(r[-1])
            for r in again.conn.execute(
                f"EXPLAIN QUERY PLAN SELECT id FROM messages WHERE folder_id = 1 ORDER BY {column}, date DESC, id DESC"
            )
        )
        assert "TEMP B-TREE" not in plan, plan
    again.close()
