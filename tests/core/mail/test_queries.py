"""The message list's queries: sort, filters, threads, search syntax, saved-search scopes."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import pytest

from app.core.mail.queries import (
    BadQuery,
    ListSpec,
    SavedSearch,
    folder_counts,
    list_ids,
    next_unread,
    parse_search,
    scope_folders,
    thread_member_ids,
)
from app.core.mail.store import Store


def _msg(i: int, subject: str, sender: str, day: int, extra: str = "", body: str = "") -> bytes:
    return (
        f"From: {sender}\r\nTo: Bình <binh@example.test>\r\nSubject: {subject}\r\n"
        f"Date: Mon, {day:02d} Nov 2026 05:00:00 +0000\r\nMessage-ID: <q{i}@example.test>\r\n"
        f"{extra}\r\n{body or f'body {i}'}\r\n"
    ).encode()


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Store, int, int, list[int]]:
    store = Store.open(tmp_path / "mail.sqlite3")
    aid = store.ensure_account("imap:a@h:993", "imap", "h", 993, "a", "tls")
    inbox = store.create_local_folder(aid, "INBOX")
    other = store.create_local_folder(aid, "Work")
    ids = [
        store.add_local_message(inbox, _msg(1, "Báo cáo tuần", "An <an@example.test>", 1), ["\\Seen"]),
        store.add_local_message(inbox, _msg(2, "Re: Báo cáo tuần", "Zed <z@example.test>", 3,
                                            "In-Reply-To: <q1@example.test>\r\n")),
        store.add_local_message(inbox, _msg(3, "Invoice", "Bob <bob@example.test>", 2,
                                            "Content-Type: multipart/mixed; boundary=x\r\n"), ["\\Flagged"]),
        store.add_local_message(other, _msg(4, "Lịch họp", "An <an@example.test>", 4), ["\\Seen"]),
    ]  # fmt: skip
    return store, inbox, other, ids


def test_sort_filters_and_counts(filled: tuple[Store, int, int, list[int]]) -> None:
    store, inbox, other, ids = filled
    spec = ListSpec((inbox,))
    assert list_ids(store, spec).ids == [ids[1], ids[2], ids[0]]
    assert list_ids(store, spec.with_(descending=False)).ids == [ids[0], ids[2], ids[1]]
    assert list_ids(store, spec.with_(sort="from", descending=False)).ids == [ids[0], ids[2], ids[1]]
    assert list_ids(store, spec.with_(sort="star")).ids[0] == ids[2]
    assert list_ids(store, spec.with_(filters=frozenset({"unread"}))).ids == [ids[1], ids[2]]
    assert list_ids(store, spec.with_(filters=frozenset({"starred"}))).ids == [ids[2]]
    assert list_ids(store, spec.with_(filters=frozenset({"attachment"}))).ids == [ids[2]]
    assert list_ids(store, spec.with_(contact="bob@")).ids == [ids[2]]
    assert list_ids(store, ListSpec((inbox, other))).ids == [ids[3], ids[1], ids[2], ids[0]]
    assert folder_counts(store) == {inbox: (3, 2), other: (1, 0)}
    assert next_unread(store, spec, [ids[0], ids[2]]) == ids[2]


def test_threads_collapse_with_counts(filled: tuple[Store, int, int, list[int]]) -> None:
    store, inbox, _other, ids = filled
    listing = list_ids(store, ListSpec((inbox,), threaded=True))
    assert listing.ids == [ids[1], ids[2]]
    n, unread, key = listing.threads[ids[1]]
    assert (n, unread) == (2, 1)
    assert thread_member_ids(store, key, [inbox]) == [ids[0], ids[1]]


def test_search_syntax() -> None:
    q = parse_search('from:an to:"Bình" subject:"báo cáo" has:attachment is:unread after:2026-11-02 hello "a b"')
    assert q.from_ == ("an",) and q.to == ("Bình",) and q.subject == ("báo cáo",)
    assert q.has_attachment and q.unread is True and q.words == ("hello", "a b")
    assert q.after == calendar.timegm(dt.date(2026, 11, 2).timetuple())
    r = parse_search("date:2026-11")
    assert r.after == calendar.timegm(dt.date(2026, 11, 1).timetuple())
    assert r.before == calendar.timegm(dt.date(2026, 12, 1).timetuple())
    assert parse_search("date:2026-11-01..2026-11-02").before == calendar.timegm(dt.date(2026, 11, 3).timetuple())
    assert parse_search("note: unknown:x").words == ("note:", "unknown:x")
    with pytest.raises(BadQuery):
        parse_search("is:purple")
    with pytest.raises(BadQuery):
        parse_search("after:yesterday")


def test_search_words_and_conditions(filled: tuple[Store, int, int, list[int]]) -> None:
    store, inbox, other, ids = filled
    both = ListSpec((inbox, other))
    assert set(list_ids(store, both.with_(query=parse_search("bao cao"))).ids) == {ids[0], ids[1]}
    assert list_ids(store, both.with_(query=parse_search("báo is:unread"))).ids == [ids[1]]
    assert list_ids(store, both.with_(query=parse_search("from:an"))).ids == [ids[3], ids[0]]
    assert list_ids(store, both.with_(query=parse_search("has:attachment"))).ids == [ids[2]]
    assert list_ids(store, both.with_(query=parse_search("date:2026-11-01..2026-11-02"))).ids == [ids[2], ids[0]]
    assert list_ids(store, both.with_(query=parse_search("họp"))).ids == [ids[3]]
    assert list_ids(store, ListSpec((inbox,), query=parse_search("họp"))).ids == []


def test_saved_search_scope(filled: tuple[Store, int, int, list[int]]) -> None:
    store, inbox, other, _ids = filled
    aid = store.account_id("imap:a@h:993")
    assert aid is not None
    folders = {aid: store.folders(aid)}
    assert scope_folders(folders, [aid], parse_search("in:inbox")) == (inbox,)
    assert scope_folders(folders, [aid], parse_search("in:work x")) == (other,)
    assert set(scope_folders(folders, [aid], parse_search("x"))) == {inbox, other}
    s = SavedSearch("Mine", "from:an", "all")
    assert SavedSearch.from_dict(s.to_dict()) == s
