"""Server-side SEARCH merged into local full-text results, for what the cache cannot answer
(bodies never downloaded, folders not synced)."""

from __future__ import annotations

from app.core.mail.imap.session import ImapSession
from app.core.mail.imap.sync import fetch_headers
from app.core.mail.store import MessageRow, Store


def server_search_merge(
    sess: ImapSession,
    store: Store,
    account_id: int,
    query: str,
    local: list[MessageRow],
    *,
    folder_id: int | None = None,
    limit: int = 200,
) -> list[MessageRow]:
    """``UID SEARCH TEXT`` in the folder (or every synced folder), headers of unknown hits fetched into
    the cache, merged with ``local`` without duplicates, newest first."""
    words = query.split()
    if not words:
        return local
    criteria = [item for w in words for item in ("TEXT", w)]
    charset = "UTF-8" if any(ord(c) > 127 for c in query) else None
    targets = (
        [f for f in [store.folder(folder_id)] if f is not None]
        if folder_id is not None
        else [f for f in store.folders(account_id) if f.kind == "imap" and f.uidvalidity is not None]
    )
    found: dict[int, MessageRow] = {r.id: r for r in local}
    for f in targets:
        if f.remote_name is None:
            continue
        sess.select(f.remote_name)
        uids = sess.uid_search(criteria, charset=charset)
        if not uids:
            continue
        cached = store.uid_flags(f.id)
        unknown = [u for u in uids if u not in cached][:limit]
        if unknown:
            fetch_headers(sess, store, f, unknown)
        for u in uids:
            r = store.row_by_uid(f.id, u)
            if r is not None:
                found[r.id] = r
    rows = sorted(found.values(), key=lambda r: (r.date or 0, r.id), reverse=True)
    return rows[:limit]
