"""Local changes applied to the cache at once, with their server operations queued in SQLite.

Every function here changes the cache and queues the matching server
operation in the same transaction, so the UI never waits on the network and
a restart loses nothing. :func:`replay` runs the queue when a connection is
available; each operation is idempotent, so a crash between "server did it"
and "op removed from the queue" only repeats harmless work:

* flags: ``UID STORE +FLAGS.SILENT`` / ``-FLAGS.SILENT`` (naturally idempotent);
* move: ``UID MOVE`` (or COPY + ``\\Deleted`` + ``UID EXPUNGE`` with UIDPLUS); the new UID comes from
  COPYUID; if the source UID is already gone, the placeholder row is dropped and the next sync of the
  target folder brings the message;
* copy / append: first look for the Message-ID in the target (so a repeat does not duplicate), then
  ``UID COPY`` / ``APPEND``, recording the new UID from COPYUID / APPENDUID;
* expunge: ``UID STORE +FLAGS.SILENT (\\Deleted)`` + ``UID EXPUNGE`` of exactly those UIDs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.core.errors import Bug, QuayError, ServerError
from app.core.mail.imap.folders import NoSpecialFolder
from app.core.mail.imap.session import ImapSession
from app.core.mail.store import DELETED, FolderRow, PendingOp, Store

MAX_ATTEMPTS = 5


# ---------------------------------------------------------- local changes


def _account_of(store: Store, folder_id: int) -> int:
    f = store.folder(folder_id)
    if f is None:
        raise Bug(f"no folder {folder_id}")
    return f.account_id


def set_flags(store: Store, message_ids: Iterable[int], add: Iterable[str] = (), remove: Iterable[str] = ()) -> None:
    """Flag/unflag messages now; queue the STOREs."""
    add_l, rem_l = sorted(set(add)), sorted(set(remove))
    with store.transaction():
        for mid in message_ids:
            row = store.set_flags(mid, add_l, rem_l)
            folder = store.folder(row.folder_id)
            if folder is None or folder.kind != "imap":
                continue
            store.add_pending_op(
                folder.account_id, "flags", folder_id=row.folder_id, message_id=mid, uid=row.uid,
                args={"add": add_l, "remove": rem_l},
            )  # fmt: skip


class FullMessageRequired(QuayError):
    """Moving or copying these messages out of their IMAP account needs the whole message cached first.

    Fetch it (``bodies.load_raw``) and retry: nothing leaves a server before it is durably stored here.
    """

    def __init__(self, message_ids: list[int]) -> None:
        super().__init__(f"{len(message_ids)} message(s) must be downloaded before they can leave their account")
        self.message_ids = message_ids


def _same_imap_account(src: FolderRow | None, target: FolderRow) -> bool:
    return src is not None and src.kind == "imap" and target.kind == "imap" and src.account_id == target.account_id


def _leaving_account_without_raw(store: Store, message_ids: Iterable[int], target: FolderRow) -> list[int]:
    """Messages that would leave their IMAP account but whose full text is not cached."""
    missing = []
    for mid in message_ids:
        row = store.row(mid)
        if row is None or row.folder_id == target.id:
            continue
        src = store.folder(row.folder_id)
        leaves = src is not None and src.kind == "imap" and not _same_imap_account(src, target)
        if leaves and store.raw_message(mid) is None:
            missing.append(mid)
    return missing


def _target_and_ids(store: Store, message_ids: Iterable[int], target_folder_id: int) -> tuple[FolderRow, list[int]]:
    """The target folder and the ids to move or copy there; FullMessageRequired if some may not leave yet."""
    target = store.folder(target_folder_id)
    if target is None:
        raise Bug(f"no folder {target_folder_id}")
    ids = list(message_ids)
    missing = _leaving_account_without_raw(store, ids, target)
    if missing:
        raise FullMessageRequired(missing)
    return target, ids


def move(store: Store, message_ids: Iterable[int], target_folder_id: int) -> None:
    """Move messages now (uid unknown until replay); queue the server side.

    Within one IMAP account this is a MOVE. Between accounts or between IMAP and
    local folders the message is re-homed locally (its full text must be cached,
    else :class:`FullMessageRequired`), an APPEND is queued when the target is on
    a server, and the source copy is expunged on its server only by the replay,
    after the local copy is committed.
    """
    target, ids = _target_and_ids(store, message_ids, target_folder_id)
    with store.transaction():
        for mid in ids:
            row = store.row(mid)
            if row is None or row.folder_id == target_folder_id:
                continue
            src = store.folder(row.folder_id)
            store.move_message(mid, target_folder_id)
            if _same_imap_account(src, target):
                if row.uid is not None:
                    store.add_pending_op(
                        target.account_id, "move", folder_id=row.folder_id, message_id=mid, uid=row.uid,
                        args={"target_folder_id": target_folder_id},
                    )  # fmt: skip
                continue
            if src is not None and src.kind == "imap" and row.uid is not None:
                # Expunge exactly this UID at the source (the local copy is already in this transaction).
                store.add_pending_op(src.account_id, "expunge", folder_id=src.id, args={"uids": [row.uid]})
            if target.kind == "imap":
                store.add_pending_op(target.account_id, "append", folder_id=target_folder_id, message_id=mid, args={})


def copy(store: Store, message_ids: Iterable[int], target_folder_id: int) -> list[int]:
    """Copy messages now (placeholder rows); queue the COPYs (same account) or APPENDs. Returns the new ids."""
    target, ids = _target_and_ids(store, message_ids, target_folder_id)
    new_ids: list[int] = []
    with store.transaction():
        for mid in ids:
            row = store.row(mid)
            if row is None:
                continue
            src = store.folder(row.folder_id)
            new = store.copy_message_row(mid, target_folder_id)
            new_ids.append(new)
            if _same_imap_account(src, target):
                if row.uid is not None:
                    store.add_pending_op(
                        target.account_id, "copy", folder_id=row.folder_id, message_id=new, uid=row.uid,
                        args={"target_folder_id": target_folder_id, "msgid": row.message_id},
                    )  # fmt: skip
            elif target.kind == "imap":
                store.add_pending_op(target.account_id, "append", folder_id=target_folder_id, message_id=new, args={})
    return new_ids


def delete(store: Store, message_ids: list[int], *, permanent: bool = False) -> None:
    """Delete to Trash (a move); in Trash already, or with ``permanent``, mark \\Deleted and expunge.

    Without a Trash folder this raises :class:`~app.core.mail.imap.folders.NoSpecialFolder`
    (nothing changed): the UI asks whether to create one
    (:func:`~app.core.mail.imap.folders.ensure_special_folder`, on the account's worker) or to
    delete permanently (``permanent=True``). Never guessed: a wrong "Trash" can belong to someone else.
    """
    if not message_ids:
        return
    first = store.row(message_ids[0])
    if first is None:
        return
    account_id = _account_of(store, first.folder_id)
    trash = store.folder_by_special_use(account_id, "\\Trash")
    if trash is None and not permanent:
        imap = [m for m in message_ids if (r := store.row(m)) is not None and _is_imap(store, r.folder_id)]
        if imap:
            raise NoSpecialFolder("\\Trash")
    in_trash = [m for m in message_ids if trash is None or (r := store.row(m)) is None or r.folder_id == trash.id]
    to_trash = [m for m in message_ids if m not in in_trash]
    if trash is not None and to_trash:
        move(store, to_trash, trash.id)
    if in_trash:
        set_flags(store, in_trash, add=["\\Deleted"])
        by_folder: dict[int, list[int]] = {}
        for m in in_trash:
            r = store.row(m)
            if r is not None:
                by_folder.setdefault(r.folder_id, []).append(m)
        for fid in by_folder:
            expunge(store, fid)


def _is_imap(store: Store, folder_id: int) -> bool:
    f = store.folder(folder_id)
    return f is not None and f.kind == "imap"


def expunge(store: Store, folder_id: int) -> int:
    """Remove the folder's \\Deleted messages from the cache now; queue a UID EXPUNGE of exactly those."""
    folder = store.folder(folder_id)
    if folder is None:
        raise Bug(f"no folder {folder_id}")
    rows = store.conn.execute(
        f"SELECT id, uid FROM messages WHERE folder_id = ? AND flags & {DELETED}", (folder_id,)
    ).fetchall()
    uids = [r[1] for r in rows if r[1] is not None]
    with store.transaction():
        for mid, _ in rows:
            store.delete_message(mid)
        if folder.kind == "imap" and uids:
            store.add_pending_op(folder.account_id, "expunge", folder_id=folder_id, args={"uids": uids})
    return len(rows)


def append(store: Store, folder_id: int, raw: bytes, flags: Iterable[str] = ()) -> int:
    """Add a message to a folder now (e.g. a draft or a sent copy); queue the APPEND. Returns its id."""
    folder = store.folder(folder_id)
    if folder is None:
        raise Bug(f"no folder {folder_id}")
    with store.transaction():  # the local copy and its queued APPEND commit together
        mid = store.add_local_message(folder_id, raw, flags)
        if folder.kind == "imap":
            store.add_pending_op(folder.account_id, "append", folder_id=folder_id, message_id=mid, args={})
    return mid


# ----------------------------------------------------------------- replay


@dataclass
class ReplayResult:
    done: int = 0
    failed: list[str] = field(default_factory=list)


def _select(sess: ImapSession, store: Store, folder_id: int | None) -> str:
    f = store.folder(folder_id) if folder_id is not None else None
    if f is None or f.remote_name is None:
        raise Bug(f"operation on unknown folder {folder_id}")
    if sess.selected != f.remote_name:
        sess.select(f.remote_name)
    return f.remote_name


def _target(store: Store, op: PendingOp) -> str:
    t = store.folder(int(op.args["target_folder_id"]))
    if t is None or t.remote_name is None:
        raise ServerError("the target folder no longer exists")
    return t.remote_name


def _find_msgid(sess: ImapSession, remote: str, msgid: str) -> int | None:
    """UID of a message with this Message-ID in ``remote`` (selects it), or None."""
    if not msgid:
        return None
    if sess.selected != remote:
        sess.select(remote)
    uids = sess.uid_search(["HEADER", "Message-ID", msgid])
    return max(uids) if uids else None


def _replay_one(sess: ImapSession, store: Store, op: PendingOp) -> None:
    if op.op == "flags":
        if op.uid is None:
            return
        _select(sess, store, op.folder_id)
        sess.store_flags([op.uid], add=op.args.get("add") or [], remove=op.args.get("remove") or [])
    elif op.op == "move":
        if op.uid is None:
            return
        target = _target(store, op)
        _select(sess, store, op.folder_id)
        if "MOVE" in sess.capabilities:
            moved = sess.move([op.uid], target)
        else:
            moved = sess.copy([op.uid], target)
            sess.store_flags([op.uid], add=["\\Deleted"])
            if "UIDPLUS" in sess.capabilities:
                sess.expunge([op.uid])
        _record_new_uid(store, op, moved.get(op.uid))
    elif op.op == "copy":
        if op.uid is None:
            return
        target = _target(store, op)
        existing = _find_msgid(sess, target, str(op.args.get("msgid", "")))
        if existing is not None:
            _record_new_uid(store, op, existing)
            return
        _select(sess, store, op.folder_id)
        _record_new_uid(store, op, sess.copy([op.uid], target).get(op.uid))
    elif op.op == "expunge":
        uids = [int(u) for u in op.args.get("uids", [])]
        if not uids:
            return
        _select(sess, store, op.folder_id)
        sess.store_flags(uids, add=["\\Deleted"])
        sess.expunge(uids)
    elif op.op == "append":
        if op.message_id is None:
            return
        row = store.row(op.message_id)
        raw = store.raw_message(op.message_id)
        if row is None or raw is None:
            return  # deleted locally meanwhile: nothing to send
        f = store.folder(op.folder_id) if op.folder_id is not None else None
        if f is None or f.remote_name is None:
            raise ServerError("the target folder no longer exists")
        existing = _find_msgid(sess, f.remote_name, row.message_id)
        if existing is not None:
            _record_new_uid(store, op, existing)
            return
        flags = sorted(fl for fl in row.flags if fl.startswith("\\") or fl.startswith("$"))
        _record_new_uid(store, op, sess.append(f.remote_name, raw, flags))
    else:
        raise Bug(f"unknown pending operation {op.op!r}")


def _record_new_uid(store: Store, op: PendingOp, new_uid: int | None) -> None:
    if op.message_id is None or store.row(op.message_id) is None:
        return
    if new_uid is None:
        # The server had nothing to move/copy (done before a crash, or gone): drop the placeholder;
        # the next sync of the target folder brings the real message.
        store.delete_message(op.message_id)
        return
    row = store.row(op.message_id)
    assert row is not None
    clash = store.row_by_uid(row.folder_id, new_uid)
    with store.transaction():
        if clash is not None and clash.id != op.message_id:
            store.delete_message(clash.id)  # a sync got there first; keep the row the user knows
        store.set_uid(op.message_id, new_uid)


def replay(sess: ImapSession, store: Store, account_id: int) -> ReplayResult:
    """Run the queued operations of an account in order. Network errors stop the replay (ops stay queued);
    a server refusal is recorded and retried next time, up to :data:`MAX_ATTEMPTS`."""
    result = ReplayResult()
    for op in store.pending_ops(account_id):
        try:
            _replay_one(sess, store, op)
        except ServerError as e:
            if op.attempts + 1 >= MAX_ATTEMPTS:
                store.remove_pending_op(op.id)
            else:
                store.fail_pending_op(op.id, e.reply or str(e))
            result.failed.append(f"{op.op}: {e}")
            continue
        store.remove_pending_op(op.id)
        result.done += 1
    return result
