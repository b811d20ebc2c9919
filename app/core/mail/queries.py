"""What the message list asks the cache: sorted, filtered, threaded and searched id lists, in SQL.

The list model keeps only ids and fetches row data in chunks (``Store.rows``),
so a 100,000-message folder costs one id query, never 100,000 Python objects.
Everything here runs on a worker (it may scan a whole folder); results are
plain lists. Free-text words go through ``Store.search`` (the FTS index);
the structured parts of a query are SQL conditions on the ``messages`` table.

Search syntax (:func:`parse_search`), case-insensitive keys, combinable::

    words "exact phrase"       full-text (subject, addresses, cached bodies; diacritics ignored)
    from:an  to:binh  subject:"báo cáo"
    has:attachment  is:unread  is:read  is:starred  is:flagged
    after:2024-01-31  before:2024-03-01  date:2024-01-01..2024-03-01  date:2024-02
    in:inbox  in:sent  in:"Work"         (special-use word or folder name; for saved searches)

Saved searches (:class:`SavedSearch`) are such a query plus a scope (all
accounts, or one account); the unified Inbox is ``in:inbox`` over all accounts.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import json
import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from app.core.mail.store import FLAGGED, SEEN, FolderRow, Store

#: Columns the list can sort by -> ORDER BY template ({d} is ASC/DESC). Ties fall back to newest first.
SORT_SQL: dict[str, str] = {
    "date": "date {d}, id {d}",
    "from": "from_sort {d}, date DESC, id DESC",
    "to": "to_addrs {d}, date DESC, id DESC",
    "subject": "base_subject {d}, date DESC, id DESC",
    "size": "size {d}, id {d}",
    "star": "(flags & 4) {d}, date DESC, id DESC",
    "read": "(flags & 1) {d}, date DESC, id DESC",
    "attachment": "has_attachments {d}, date DESC, id DESC",
}
#: Quick filters of the filter bar.
QUICK_FILTERS = ("unread", "starred", "attachment")

SPECIAL_WORDS = {
    "inbox": "\\Inbox",
    "sent": "\\Sent",
    "drafts": "\\Drafts",
    "trash": "\\Trash",
    "junk": "\\Junk",
    "spam": "\\Junk",
    "archive": "\\Archive",
}
_KEYS = {"from", "to", "subject", "has", "is", "after", "before", "date", "in"}


class BadQuery(ValueError):
    """A search the user typed cannot be understood (shown under the search box; nothing else happens)."""


@dataclass(frozen=True)
class SearchQuery:
    """A parsed search: free words plus structured conditions."""

    words: tuple[str, ...] = ()
    from_: tuple[str, ...] = ()
    to: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    has_attachment: bool = False
    unread: bool | None = None
    starred: bool = False
    after: int | None = None  # epoch seconds, inclusive
    before: int | None = None  # epoch seconds, exclusive
    folders: tuple[str, ...] = ()  # in:... terms

    @property
    def empty(self) -> bool:
        return self == SearchQuery()


def _day(text: str, end: bool = False) -> int:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` -> epoch (UTC) of its first day, or of the day after it with ``end``."""
    m = re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?", text.strip())
    if not m:
        raise BadQuery(f"not a date: {text!r} (use YYYY-MM-DD)")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d is not None:
            day = _dt.date(y, int(mo or 1), int(d))
            if end:
                day += _dt.timedelta(days=1)
        elif mo is not None:
            month = int(mo)
            day = _dt.date(y, month, 1)
            if end:
                day += _dt.timedelta(days=calendar.monthrange(y, month)[1])
        else:
            day = _dt.date(y + 1 if end else y, 1, 1)
    except ValueError as e:
        raise BadQuery(f"not a date: {text!r}") from e
    return calendar.timegm(day.timetuple())


def parse_search(text: str) -> SearchQuery:
    """Parse the search box's text (see the module docstring). Unknown ``key:`` prefixes are plain words."""
    try:
        parts = shlex.split(text, posix=True)
    except ValueError:  # an unbalanced quote: treat quotes as ordinary characters
        parts = text.replace('"', " ").replace("'", " ").split()
    q: dict[str, Any] = {"words": [], "from_": [], "to": [], "subject": [], "folders": []}
    for part in parts:
        key, sep, value = part.partition(":")
        k = key.lower()
        if not sep or k not in _KEYS or not value:
            if part.strip():
                q["words"].append(part)
            continue
        v = value.strip()
        if k == "from":
            q["from_"].append(v)
        elif k == "to":
            q["to"].append(v)
        elif k == "subject":
            q["subject"].append(v)
        elif k == "in":
            q["folders"].append(v)
        elif k == "has":
            if v.lower() not in ("attachment", "attachments", "attach"):
                raise BadQuery(f"has:{v} is not known (try has:attachment)")
            q["has_attachment"] = True
        elif k == "is":
            lv = v.lower()
            if lv in ("unread", "new"):
                q["unread"] = True
            elif lv in ("read", "seen"):
                q["unread"] = False
            elif lv in ("starred", "flagged", "star"):
                q["starred"] = True
            else:
                raise BadQuery(f"is:{v} is not known (try is:unread, is:read, is:starred)")
        elif k == "after":
            q["after"] = _day(v)
        elif k == "before":
            q["before"] = _day(v)
        elif k == "date":
            lo, dots, hi = v.partition("..")
            if dots:
                if lo:
                    q["after"] = _day(lo)
                if hi:
                    q["before"] = _day(hi, end=True)
            else:
                q["after"], q["before"] = _day(v), _day(v, end=True)
    return SearchQuery(
        words=tuple(q["words"]),
        from_=tuple(q["from_"]),
        to=tuple(q["to"]),
        subject=tuple(q["subject"]),
        has_attachment=bool(q.get("has_attachment")),
        unread=q.get("unread"),
        starred=bool(q.get("starred")),
        after=q.get("after"),
        before=q.get("before"),
        folders=tuple(q["folders"]),
    )


@dataclass(frozen=True)
class ListSpec:
    """What one message list shows: which folders, how sorted, threaded or not, which filters, which search."""

    folder_ids: tuple[int, ...]
    sort: str = "date"
    descending: bool = True
    threaded: bool = False
    filters: frozenset[str] = frozenset()
    contact: str = ""
    query: SearchQuery | None = None
    search_limit: int = 5000
    #: Messages the IMAP server found for the query's words (in bodies the local index has not seen):
    #: listed beside the local matches, still subject to the folders, filters and field operators.
    also_ids: frozenset[int] = frozenset()

    def with_(self, **changes: Any) -> ListSpec:
        return replace(self, **changes)


@dataclass
class Listing:
    """Result of :func:`list_ids`: row ids in display order; for threads, per head id (count, unread, key)."""

    ids: list[int]
    threads: dict[int, tuple[int, int, str]] = field(default_factory=dict)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _conditions(spec: ListSpec) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if len(spec.folder_ids) == 1:
        where.append("folder_id = ?")
        args.append(spec.folder_ids[0])
    else:
        where.append("folder_id IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(list(spec.folder_ids)))
    f = spec.filters
    if "unread" in f:
        where.append(f"flags & {SEEN} = 0")
    if "starred" in f:
        where.append(f"flags & {FLAGGED} != 0")
    if "attachment" in f:
        where.append("has_attachments = 1")
    if spec.contact:
        where.append("(from_name LIKE ? ESCAPE '\\' OR from_addr LIKE ? ESCAPE '\\')")
        args += [_like(spec.contact)] * 2
    q = spec.query
    if q is not None:
        for v in q.from_:
            where.append("(from_name LIKE ? ESCAPE '\\' OR from_addr LIKE ? ESCAPE '\\')")
            args += [_like(v)] * 2
        for v in q.to:
            where.append("(to_addrs LIKE ? ESCAPE '\\' OR cc_addrs LIKE ? ESCAPE '\\')")
            args += [_like(v)] * 2
        for v in q.subject:
            where.append("subject LIKE ? ESCAPE '\\'")
            args.append(_like(v))
        if q.has_attachment:
            where.append("has_attachments = 1")
        if q.unread is True:
            where.append(f"flags & {SEEN} = 0")
        elif q.unread is False:
            where.append(f"flags & {SEEN} != 0")
        if q.starred:
            where.append(f"flags & {FLAGGED} != 0")
        if q.after is not None:
            where.append("date >= ?")
            args.append(q.after)
        if q.before is not None:
            where.append("date < ?")
            args.append(q.before)
    return where, args


def _order(spec: ListSpec) -> str:
    template = SORT_SQL.get(spec.sort, SORT_SQL["date"])
    return template.format(d="DESC" if spec.descending else "ASC")


def _word_candidates(store: Store, spec: ListSpec) -> list[int] | None:
    """Ids matching the query's free words (FTS), or None when there are none to match."""
    q = spec.query
    if q is None or not q.words:
        return None
    text = " ".join(f'"{w}"' if " " in w else w for w in q.words)
    single = spec.folder_ids[0] if len(spec.folder_ids) == 1 else None
    return [r.id for r in store.search(text, folder_id=single, limit=spec.search_limit)]


def list_ids(store: Store, spec: ListSpec) -> Listing:
    """Ids of what ``spec`` shows, in display order (threads: one head per conversation)."""
    if not spec.folder_ids:
        return Listing([])
    where, args = _conditions(spec)
    cands = _word_candidates(store, spec)
    if cands is not None and spec.also_ids:
        cands = sorted(set(cands) | spec.also_ids)
    if cands is not None:
        if not cands:
            return Listing([])
        where.append("id IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(cands))
    cond = " AND ".join(where)
    conn = store.conn
    if not spec.threaded:
        limit = f" LIMIT {int(spec.search_limit)}" if spec.query is not None and not spec.query.empty else ""
        sql = f"SELECT id FROM messages WHERE {cond} ORDER BY {_order(spec)}{limit}"
        return Listing([r[0] for r in conn.execute(sql, args)])
    order = _order(spec)
    if spec.sort == "date":  # a conversation sorts by its newest message
        order = order.replace("date", "d", 1)
    sql = f"""
        SELECT id, n, unread, thread_key FROM (
            SELECT id, date, from_sort, to_addrs, base_subject, size, flags, has_attachments, thread_key,
                   count(*) OVER w AS n, sum((flags & {SEEN}) = 0) OVER w AS unread, max(date) OVER w AS d,
                   row_number() OVER (PARTITION BY thread_key ORDER BY date DESC, id DESC) AS rn
            FROM messages WHERE {cond}
            WINDOW w AS (PARTITION BY thread_key))
        WHERE rn = 1 ORDER BY {order}
    """
    ids: list[int] = []
    threads: dict[int, tuple[int, int, str]] = {}
    for mid, n, unread, key in conn.execute(sql, args):
        ids.append(mid)
        if n > 1:
            threads[mid] = (int(n), int(unread or 0), key)
    return Listing(ids, threads)


def thread_member_ids(store: Store, key: str, folder_ids: Sequence[int]) -> list[int]:
    """A conversation's messages within the listed folders, oldest first."""
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM messages WHERE thread_key = ? AND folder_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY date, id",
            (key, json.dumps(list(folder_ids))),
        )
    ]


def folder_counts(store: Store, folder_ids: Iterable[int] | None = None) -> dict[int, tuple[int, int]]:
    """folder id -> (messages, unread) from the cache."""
    sql = f"SELECT folder_id, count(*), sum((flags & {SEEN}) = 0) FROM messages"
    args: tuple[Any, ...] = ()
    if folder_ids is not None:
        sql += " WHERE folder_id IN (SELECT value FROM json_each(?))"
        args = (json.dumps(list(folder_ids)),)
    return {r[0]: (int(r[1]), int(r[2] or 0)) for r in store.conn.execute(sql + " GROUP BY folder_id", args)}


def next_unread(store: Store, spec: ListSpec, after_ids: Sequence[int]) -> int | None:
    """The first unread id in ``after_ids`` (the list's ids after the current row), checked in chunks."""
    for i in range(0, len(after_ids), 500):
        chunk = list(after_ids[i : i + 500])
        unread = {
            r[0]
            for r in store.conn.execute(
                f"SELECT id FROM messages WHERE id IN (SELECT value FROM json_each(?)) AND flags & {SEEN} = 0",
                (json.dumps(chunk),),
            )
        }
        for mid in chunk:
            if mid in unread:
                return mid
    return None


# ------------------------------------------------------------ saved searches


@dataclass(frozen=True)
class SavedSearch:
    """A search kept as a virtual folder: ``scope`` is ``"all"`` or an account key."""

    name: str
    query: str
    scope: str = "all"
    hidden: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "query": self.query, "scope": self.scope, "hidden": self.hidden}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SavedSearch:
        return cls(str(d.get("name", "")), str(d.get("query", "")), str(d.get("scope", "all")), bool(d.get("hidden")))


UNIFIED_INBOX = SavedSearch("Unified Inbox", "in:inbox", "all")


def _folder_matches(f: FolderRow, term: str) -> bool:
    t = term.lower()
    special = SPECIAL_WORDS.get(t)
    if special is not None and (f.special_use or "").lower() == special.lower():
        return True
    if t == "inbox" and f.name.upper() == "INBOX":
        return True
    return f.name.lower() == t


def scope_folders(
    folders_by_account: dict[int, list[FolderRow]], account_ids: Iterable[int], query: SearchQuery
) -> tuple[int, ...]:
    """Folder ids a query covers within the accounts: its ``in:`` terms, else every folder."""
    out: list[int] = []
    for aid in account_ids:
        for f in folders_by_account.get(aid, []):
            if "\\noselect" in f.attributes.lower():
                continue
            if not query.folders or any(_folder_matches(f, t) for t in query.folders):
                out.append(f.id)
    return tuple(out)


def newest_message_id(store: Store, folder_id: int) -> int:
    """The highest cache id in a folder (0 when empty): a mark to find what a sync adds after it."""
    row = store.conn.execute("SELECT MAX(id) FROM messages WHERE folder_id = ?", (folder_id,)).fetchone()
    return int(row[0] or 0)


def unread_added_since(store: Store, folder_id: int, mark: int, limit: int = 500) -> list[tuple[int, str, str]]:
    """(id, sender, subject) of unread messages that arrived in a folder after ``mark``, newest first
    (a new-mail notification names a few and counts the rest)."""
    rows = store.conn.execute(
        "SELECT id, CASE WHEN from_name != '' THEN from_name ELSE from_addr END, subject FROM messages "
        "WHERE folder_id = ? AND id > ? AND (flags & ?) = 0 ORDER BY id DESC LIMIT ?",
        (folder_id, mark, SEEN, limit),
    ).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]
