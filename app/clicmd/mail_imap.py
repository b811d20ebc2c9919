"""``mail sync|ls|show|search|folders`` over IMAP and the local cache.

``sync`` and ``folders`` talk to the server; ``ls`` and ``search`` read only
the cache (``search --server`` also asks the server and merges); ``show``
uses the cache and fetches what is missing.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
import threading
from typing import Any

from app.clicmd.common import (
    CommandError,
    add_common_options,
    connect_options,
    emit,
    fail,
    remember_pin,
    report_error,
    services_from,
)
from app.core.accounts import Account
from app.core.errors import QuayError
from app.core.mail.imap import bodies, folders, ops
from app.core.mail.imap.session import ImapSession
from app.core.mail.imap.sync import SyncProgress, sync_folder
from app.core.mail.store import MessageRow


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("sync", help="sync folder headers from an IMAP server into the cache")
    p.add_argument("url", help="imaps://USER@HOST:PORT, imap://USER@HOST[?starttls]")
    p.add_argument("--folder", default="INBOX")
    p.add_argument("--all-folders", action="store_true", help="sync every selectable folder")
    p.add_argument("--bodies", action="store_true", help="also download all message bodies for offline use")
    p.add_argument("--batch-size", type=int, default=5000, help=argparse.SUPPRESS)
    add_common_options(p)
    p.set_defaults(func=cmd_sync)

    p = subparsers.add_parser("ls", help="list the cached messages of a folder")
    p.add_argument("url")
    p.add_argument("--folder", default="INBOX")
    p.add_argument("--sort", default="date", choices=["date", "arrival", "from", "subject", "size", "uid"])
    p.add_argument("--limit", type=int, default=-1)
    add_common_options(p)
    p.set_defaults(func=cmd_ls)

    p = subparsers.add_parser("show", help="show one message (fetching its body if not cached)")
    p.add_argument("url")
    p.add_argument("uid", type=int)
    p.add_argument("--folder", default="INBOX")
    p.add_argument("--html", action="store_true", help="prefer the HTML part")
    p.add_argument("--raw", action="store_true", help="print the whole raw message")
    add_common_options(p)
    p.set_defaults(func=cmd_show)

    p = subparsers.add_parser("search", help="full-text search in the cache (and the server with --server)")
    p.add_argument("url")
    p.add_argument("query")
    p.add_argument("--folder", help="only this folder")
    p.add_argument("--server", action="store_true", help="also search on the server and merge")
    add_common_options(p)
    p.set_defaults(func=cmd_search)

    p = subparsers.add_parser("folders", help="list (and create/rename/delete) server folders")
    p.add_argument("url")
    p.add_argument("--create", metavar="NAME")
    p.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"))
    p.add_argument("--delete", metavar="NAME")
    add_common_options(p)
    p.set_defaults(func=cmd_folders)

    p = subparsers.add_parser("flag", help="change flags of a cached message (queued, replayed on next sync)")
    p.add_argument("url")
    p.add_argument("uid", type=int)
    p.add_argument("--folder", default="INBOX")
    p.add_argument("--add", action="append", default=[], metavar="FLAG")
    p.add_argument("--remove", action="append", default=[], metavar="FLAG")
    add_common_options(p)
    p.set_defaults(func=cmd_flag)

    p = subparsers.add_parser("move", help="move a cached message to another folder (queued)")
    p.add_argument("url")
    p.add_argument("uid", type=int)
    p.add_argument("target")
    p.add_argument("--folder", default="INBOX")
    add_common_options(p)
    p.set_defaults(func=cmd_move)


# ---------------------------------------------------------------- helpers


class _Context:
    """What every subcommand needs: the account, the cache, and (on demand) a session."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.services = services_from(args)
        account = self.services.record_for_url(args.url, kinds=("imap",), allow_plaintext=args.allow_plaintext)
        assert isinstance(account, Account)
        self.account = account
        self.store = self.services.mail_store()
        self.account_id = self.services.cache_account_id(self.store, account)
        self.session: ImapSession | None = None

    def connect(self) -> ImapSession:
        remember_pin(self.args, self.services, self.account)
        self.session = self.services.imap_session(self.account, connect_options(self.args))
        return self.session

    def folder_id(self, name: str) -> int:
        f = self.store.folder_by_name(self.account_id, name)
        if f is None:
            raise CommandError(f"Folder {name!r} is not in the cache; run 'mail sync' (or 'mail folders') first.")
        return f.id

    def close(self) -> None:
        if self.session is not None:
            self.session.logout()
        self.store.close()
        self.services.close()


def _run(args: argparse.Namespace, body: Any) -> int:
    ctx: _Context | None = None
    try:
        ctx = _Context(args)
        return int(body(ctx) or 0)
    except QuayError as e:
        return report_error(args, e)
    finally:
        if ctx is not None:
            try:
                ctx.close()
            except QuayError:
                pass


def _fmt_date(ts: int | None) -> str:
    if ts is None:
        return "-"
    return _dt.datetime.fromtimestamp(ts, _dt.UTC).strftime("%Y-%m-%d %H:%M")


def _fmt_flags(row: MessageRow) -> str:
    f = row.flags
    return "".join(
        [
            "N" if "\\Seen" not in f else "-",
            "F" if "\\Flagged" in f else "-",
            "A" if "\\Answered" in f else "-",
            "D" if "\\Deleted" in f else "-",
        ]
    )


def _line(row: MessageRow) -> str:
    who = (row.from_name or row.from_addr)[:28]
    return (
        f"{row.uid if row.uid is not None else '-':>7} {_fmt_date(row.date)} {_fmt_flags(row)} {who:28} {row.subject}"
    )


# --------------------------------------------------------------- commands


def cmd_sync(args: argparse.Namespace) -> int:
    def body(ctx: _Context) -> int:
        sess = ctx.connect()
        folders.refresh_folders(sess, ctx.store, ctx.account_id)
        replayed = ops.replay(sess, ctx.store, ctx.account_id)
        names = (
            [f.name for f in ctx.store.folders(ctx.account_id) if "\\noselect" not in f.attributes.lower()]
            if args.all_folders
            else [args.folder]
        )
        results = []
        cancel = threading.Event()
        last = [0]

        def progress(p: SyncProgress) -> None:
            if not args.json and p.done - last[0] >= 5000:
                last[0] = p.done
                print(f"  {p.folder}: {p.done}/{p.total}", file=sys.stderr)

        for name in names:
            fid = ctx.folder_id(name)
            r = sync_folder(
                sess, ctx.store, fid, progress=progress, cancel=cancel,
                first_batch=min(500, args.batch_size), batch_size=args.batch_size,
            )  # fmt: skip
            d = r.as_dict()
            if args.bodies:
                d["bodies"] = bodies.download_folder_bodies(sess, ctx.store, fid)
                while bodies.index_offline_bodies(ctx.store, folder_id=fid):
                    pass
            results.append(d)
        data = {"folders": results, "replayed": replayed.done, "replay_failed": replayed.failed}
        text = "\n".join(
            f"{r['folder']}: {r['new']} new, {r['flags_changed']} flag changes, {r['expunged']} removed, "
            f"{r['total']} cached ({r['strategy']}, {r['seconds']:.2f} s)"
            for r in results
        )
        emit(args, data, text)
        return 0

    return _run(args, body)


def cmd_ls(args: argparse.Namespace) -> int:
    def body(ctx: _Context) -> int:
        fid = ctx.folder_id(args.folder)
        rows = ctx.store.list_messages(fid, sort=args.sort, limit=args.limit)
        emit(args, [r.as_dict() for r in rows], "\n".join(_line(r) for r in rows))
        return 0

    return _run(args, body)


def cmd_show(args: argparse.Namespace) -> int:
    def body(ctx: _Context) -> int:
        fid = ctx.folder_id(args.folder)
        row = ctx.store.row_by_uid(fid, args.uid)
        if row is None:
            return fail(f"no cached message with UID {args.uid} in {args.folder}")
        has_raw = ctx.store.raw_message(row.id) is not None
        need_network = not has_raw and (args.raw or ctx.store.body(row.id) is None)
        sess = ctx.connect() if need_network else None
        if args.raw:
            raw = bodies.load_raw(sess, ctx.store, row.id)
            sys.stdout.buffer.write(raw)
            return 0
        b = bodies.load_body(sess, ctx.store, row.id, prefer="html" if args.html else "plain")
        data = {**row.as_dict(), "content_type": b.content_type, "body": b.text}
        text = (
            f"From: {row.from_name} <{row.from_addr}>\nTo: {row.to}\n"
            + (f"Cc: {row.cc}\n" if row.cc else "")
            + f"Date: {_fmt_date(row.date)}\nSubject: {row.subject}\n\n{b.text}"
        )
        emit(args, data, text)
        return 0

    return _run(args, body)


def cmd_search(args: argparse.Namespace) -> int:
    def body(ctx: _Context) -> int:
        fid = ctx.folder_id(args.folder) if args.folder else None
        rows = ctx.store.search(args.query, folder_id=fid)
        if args.server:
            from app.core.mail.imap.search import server_search_merge

            sess = ctx.connect()
            rows = server_search_merge(sess, ctx.store, ctx.account_id, args.query, rows, folder_id=fid)
        emit(args, [r.as_dict() for r in rows], "\n".join(_line(r) for r in rows))
        return 0

    return _run(args, body)


def cmd_folders(args: argparse.Namespace) -> int:
    def body(ctx: _Context) -> int:
        sess = ctx.connect()
        if args.create:
            folders.create_folder(sess, ctx.store, ctx.account_id, args.create)
        if args.rename:
            folders.refresh_folders(sess, ctx.store, ctx.account_id)
            folders.rename_folder(sess, ctx.store, ctx.account_id, args.rename[0], args.rename[1])
        if args.delete:
            folders.refresh_folders(sess, ctx.store, ctx.account_id)
            folders.delete_folder(sess, ctx.store, ctx.account_id, args.delete)
        infos = folders.refresh_folders(sess, ctx.store, ctx.account_id)
        data = [
            {
                "name": f.name,
                "remote_name": f.remote_name,
                "delimiter": f.delimiter,
                "special_use": f.special_use,
                "subscribed": f.subscribed,
                "messages": f.messages,
                "unseen": f.unseen,
                "attributes": f.attributes,
            }
            for f in infos
        ]
        text = "\n".join(
            f"{f.name:30} {f.special_use or '':10} {'' if f.messages is None else f.messages:>7} "
            f"{'subscribed' if f.subscribed else ''}"
            for f in infos
        )
        emit(args, data, text)
        return 0

    return _run(args, body)


def cmd_flag(args: argparse.Namespace) -> int:
    def body(ctx: _Context) -> int:
        fid = ctx.folder_id(args.folder)
        row = ctx.store.row_by_uid(fid, args.uid)
        if row is None:
            return fail(f"no cached message with UID {args.uid} in {args.folder}")
        ops.set_flags(ctx.store, [row.id], add=args.add, remove=args.remove)
        new = ctx.store.row(row.id)
        emit(args, new.as_dict() if new else {}, f"queued; flags now {' '.join(sorted(new.flags)) if new else ''}")
        return 0

    return _run(args, body)


def cmd_move(args: argparse.Namespace) -> int:
    def body(ctx: _Context) -> int:
        fid = ctx.folder_id(args.folder)
        row = ctx.store.row_by_uid(fid, args.uid)
        if row is None:
            return fail(f"no cached message with UID {args.uid} in {args.folder}")
        ops.move(ctx.store, [row.id], ctx.folder_id(args.target))
        emit(args, {"moved": row.id, "to": args.target}, f"queued move to {args.target}")
        return 0

    return _run(args, body)
