"""Conversation threading from References / In-Reply-To, with a subject fallback.

Each message gets a ``thread_key`` when it is stored: the first Message-ID of
its References (the thread root), else its In-Reply-To, else its own
Message-ID. That is O(1) per message and independent of arrival order (a
reply fetched before its parent still lands in the same thread), so no
message is ever loaded into Python to thread a folder. Replies without any
references ("Re: x" from a broken client) get a provisional ``subj:`` key
that :func:`merge_subject_threads` resolves in SQL against the thread whose
base subject matches.
"""

from __future__ import annotations

import re
import sqlite3

_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|sv|vs|tr|antw|rif|odp)\s*(?:\[\d+\])?\s*[:：]\s*|\[[^\]]{1,40}\]\s*)+", re.I
)


_MSGID = re.compile(rb"<[^<>\s]+>")


def message_ids(raw: bytes) -> list[str]:
    """The ``<id@host>`` tokens of References / In-Reply-To, in order."""
    return [m.decode("utf-8", "replace") for m in _MSGID.findall(raw)]


_MAYBE_PREFIX = re.compile(r"^\s*(?:re|fwd?|aw|sv|vs|tr|antw|rif|odp|\[)", re.I)


def base_subject(subject: str) -> str:
    """The subject without reply/forward prefixes and list tags, case-folded (RFC 5256 in spirit)."""
    if _MAYBE_PREFIX.match(subject) is None and "  " not in subject and subject.strip() == subject:
        return subject.casefold()
    return " ".join(_REPLY_PREFIX.sub("", subject).split()).casefold()


def is_reply_subject(subject: str) -> bool:
    return _REPLY_PREFIX.match(subject) is not None and bool(base_subject(subject))


def thread_key(message_id: str, references: bytes, in_reply_to: bytes, subject: str) -> str:
    """The key grouping a message with its conversation (see module docstring)."""
    if references:
        first = references.split(None, 1)[0]
        if first[:1] == b"<" and first[-1:] == b">" and first.count(b"<") == 1:
            return first.decode("utf-8", "replace")
        ids = message_ids(references)
        if ids:
            return ids[0]
    if in_reply_to:
        ids = message_ids(in_reply_to)
        if ids:
            return ids[0]
    if is_reply_subject(subject):
        return "subj:" + base_subject(subject)
    return message_id or ""


def merge_subject_threads(conn: sqlite3.Connection, folder_id: int, since_id: int = 0) -> int:
    """Give provisional ``subj:`` threads the key of the newest real thread with that base subject.

    Only messages with ``id > since_id`` (those just stored) are looked at, so a resync that brought
    nothing new costs nothing. Runs in SQL over indexed columns (GLOB, not LIKE: a case-sensitive
    prefix can use the thread_key index, and the unary ``+`` keeps the planner from reading every
    row through the folder or id instead: provisional keys are rare); returns the number re-keyed.
    """
    cur = conn.execute(
        """
        UPDATE messages SET thread_key = (
            SELECT m2.thread_key FROM messages m2
            WHERE m2.folder_id = messages.folder_id AND m2.base_subject = messages.base_subject
              AND m2.thread_key NOT GLOB 'subj:*'
            ORDER BY m2.date DESC LIMIT 1)
        WHERE +id > ? AND +folder_id = ? AND thread_key GLOB 'subj:*' AND EXISTS (
            SELECT 1 FROM messages m3
            WHERE m3.folder_id = messages.folder_id AND m3.base_subject = messages.base_subject
              AND m3.thread_key NOT GLOB 'subj:*')
        """,
        (since_id, folder_id),
    )
    return cur.rowcount
