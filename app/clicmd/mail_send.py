"""``mail send|outbox|pop3|export|import``: SMTP through the persistent outbox, POP3 download, mbox/.eml.

``send`` writes the message to the outbox first, then submits it; a message
that could not go out now stays queued (``mail outbox`` lists it, ``mail
outbox --run URL`` retries). Credentials go over an unencrypted connection
only with ``--allow-plaintext``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import mimetypes
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.clicmd.common import (
    CommandError,
    add_common_options,
    connect_options,
    emit,
    remember_pin,
    report_error,
    services_from,
)
from app.core.accounts import Account
from app.core.errors import QuayError
from app.core.mail import outbox as ob
from app.core.mail.mboxio import export_folder, export_folder_eml, import_file
from app.core.mail.mime import Attachment, Compose, compose_bytes
from app.core.mail.outbox import OutboxItem
from app.core.mail.pop3 import Pop3Options, StoreFolderSink, download
from app.core.mail.smtp import SmtpSender
from app.core.mail.store import Store
from app.core.services import Services

LOCAL_ACCOUNT_KEY = "local:Local Folders"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("send", help="send a message over SMTP (through the outbox)")
    p.add_argument("url", help="smtp://USER@HOST:PORT?starttls, smtps://USER@HOST:PORT, smtp://HOST:PORT")
    p.add_argument("--from", dest="from_addr", required=True, metavar="ADDR")
    p.add_argument("--to", action="append", default=[], metavar="ADDR")
    p.add_argument("--cc", action="append", default=[], metavar="ADDR")
    p.add_argument("--bcc", action="append", default=[], metavar="ADDR")
    p.add_argument("--subject", default="")
    p.add_argument("--body", help="the text body (default: read from stdin)")
    p.add_argument("--html-file", metavar="FILE", help="an HTML alternative body")
    p.add_argument("--attach", action="append", default=[], metavar="FILE")
    p.add_argument("--in-reply-to", metavar="MSGID")
    p.add_argument("--send-at", metavar="WHEN", help="send later: ISO date-time (local time unless it has a zone)")
    p.add_argument("--no-sent-copy", action="store_true", help="do not keep a copy in the local Sent folder")
    add_common_options(p)
    p.set_defaults(func=cmd_send)

    p = subparsers.add_parser("outbox", help="list the outbox, or retry what is due (--run URL)")
    p.add_argument("--run", metavar="URL", help="submit due messages of this SMTP account now")
    p.add_argument("--resend", type=int, metavar="ID", help="you checked: message ID did not arrive, send again")
    p.add_argument("--confirm-sent", type=int, metavar="ID", help="you checked: message ID did arrive")
    p.add_argument("--release", type=int, metavar="ID", help="retry a held message")
    p.add_argument("--cancel", type=int, metavar="ID")
    add_common_options(p)
    p.set_defaults(func=cmd_outbox)

    p = subparsers.add_parser("pop3", help="download mail from a POP3 server into a local folder")
    p.add_argument("url", help="pop3s://USER@HOST:PORT, pop3://USER@HOST:PORT?starttls")
    p.add_argument("--keep", action="store_true", help="leave messages on the server (default: delete them)")
    p.add_argument("--delete-after-days", type=float, metavar="N", help="with --keep: delete N days after download")
    p.add_argument("--max-size", type=int, metavar="BYTES", help="leave larger messages on the server")
    p.add_argument("--folder", default="Inbox", help="local folder to download into")
    p.add_argument("--auth", default="auto", choices=["auto", "user", "plain", "apop"])
    add_common_options(p)
    p.set_defaults(func=cmd_pop3)

    p = subparsers.add_parser("export", help="export a cached folder to an mbox file or .eml files")
    p.add_argument("folder")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--mbox", metavar="FILE")
    target.add_argument("--eml-dir", metavar="DIR")
    p.add_argument("--account", metavar="URL", help="the account owning the folder (default: any, if unique)")
    add_common_options(p)
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("import", help="import an mbox file, .eml file or folder of .eml files")
    p.add_argument("file")
    p.add_argument("--folder", required=True, help="target folder (created as a local folder if missing)")
    p.add_argument("--account", metavar="URL", help="the account owning the folder (default: Local Folders)")
    add_common_options(p)
    p.set_defaults(func=cmd_import)


# ------------------------------------------------------------------ helpers


def _guard(args: argparse.Namespace, body: Callable[[], int]) -> int:
    try:
        return body()
    except QuayError as e:
        return report_error(args, e)


def _account(args: argparse.Namespace, services: Services, url: str, kind: str) -> Account:
    account = services.record_for_url(url, kinds=(kind,), allow_plaintext=args.allow_plaintext)
    assert isinstance(account, Account)
    remember_pin(args, services, account)
    return account


def _sender_for(args: argparse.Namespace, services: Services, url: str) -> tuple[Account, SmtpSender]:
    account = _account(args, services, url, "smtp")
    return account, services.smtp_sender(account, connect_options(args))


def _parse_when(text: str) -> float:
    try:
        when = _dt.datetime.fromisoformat(text)
    except ValueError as e:
        raise CommandError(f"--send-at wants an ISO date-time like 2026-11-23T18:30, not {text!r}") from e
    if when.tzinfo is None:
        when = when.astimezone()
    return when.timestamp()


def _item_dict(item: OutboxItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "state": item.state,
        "message_id": item.message_id,
        "recipients": item.recipients,
        "attempts": item.attempts,
        "not_before": item.not_before,
        "error": item.last_error,
        "error_kind": item.error_kind,
        "refused": {a: {"code": c, "reply": r} for a, (c, r) in item.refused.items()},
        "size": item.size,
    }


_STATE_WORDS = {
    ob.DONE: "sent",
    ob.SENT: "sent (copy to Sent pending)",
    ob.APPENDING: "sent (copy to Sent pending)",
    ob.RETRY: "not sent yet; will retry",
    ob.QUEUED: "queued",
    ob.HELD: "held: needs your attention",
    ob.UNKNOWN: "unknown: the connection broke after the message was handed over; check whether it arrived",
}


def _outcome(args: argparse.Namespace, item: OutboxItem) -> int:
    text = f"[{item.id}] {_STATE_WORDS.get(item.state, item.state)}"
    if item.last_error:
        text += f": {item.last_error}"
    ok = item.state in (ob.DONE, ob.SENT, ob.APPENDING) and not item.refused
    if ok or getattr(args, "json", False):
        emit(args, _item_dict(item), text)
    else:
        print(text, file=sys.stderr)
    if ok:
        return 0
    if item.state == ob.UNKNOWN:
        print(
            f"Run 'mail outbox --confirm-sent {item.id}' if it arrived, or 'mail outbox --resend {item.id}' "
            "to send it again.",
            file=sys.stderr,
        )
    return 1


# ----------------------------------------------------------------- commands


def cmd_send(args: argparse.Namespace) -> int:
    def body() -> int:
        if not (args.to or args.cc or args.bcc):
            raise CommandError("give at least one recipient (--to, --cc or --bcc)")
        text = args.body if args.body is not None else sys.stdin.read()
        atts: list[Attachment] = []
        for f in args.attach:
            p = Path(f)
            try:
                data = p.read_bytes()
            except OSError as e:
                raise CommandError(f"cannot read attachment {f}: {e.strerror or e}") from e
            atts.append(Attachment(p.name, data, mimetypes.guess_type(p.name)[0] or ""))
        html = Path(args.html_file).read_text("utf-8") if args.html_file else None
        c = Compose(
            from_addr=args.from_addr,
            to=args.to,
            cc=args.cc,
            bcc=args.bcc,
            subject=args.subject,
            text=text,
            html=html,
            attachments=atts,
            in_reply_to=args.in_reply_to,
            references=[args.in_reply_to] if args.in_reply_to else [],
        )
        raw = compose_bytes(c)
        with services_from(args) as services:
            account, sender = _sender_for(args, services, args.url)
            send_at = _parse_when(args.send_at) if args.send_at else None
            with services.outbox() as box:
                item_id = box.enqueue(
                    account.key,
                    c.envelope_sender(),
                    c.envelope_recipients(),
                    raw,
                    message_id=c.message_id or "",
                    send_at=send_at,
                    sent_copy=not args.no_sent_copy,
                )
                item = box.get(item_id)
                if item.not_before > time.time():
                    when = _dt.datetime.fromtimestamp(item.not_before).isoformat(timespec="minutes")
                    emit(args, _item_dict(item), f"[{item.id}] scheduled for {when}; run 'mail outbox --run URL' then")
                    return 0
                store = services.mail_store()
                try:
                    item = box.process(item_id, sender, services.sent_folder(store, account))
                finally:
                    store.close()
        return _outcome(args, item)

    return _guard(args, body)


def cmd_outbox(args: argparse.Namespace) -> int:
    def body() -> int:
        with services_from(args) as services, services.outbox() as box:
            for ident, action in (
                (args.resend, box.resend),
                (args.confirm_sent, box.confirm_sent),
                (args.release, box.release),
                (args.cancel, box.cancel),
            ):
                if ident is not None:
                    action(ident)
            if args.run:
                box.recover()
                account, sender = _sender_for(args, services, args.run)
                store = services.mail_store()
                code = 0
                try:
                    sent = services.sent_folder(store, account)
                    for item in box.due(account=account.key):
                        code = max(code, _outcome(args, box.process(item.id, sender, sent)))
                finally:
                    store.close()
                return code
            items = box.items()
            lines = [f"[{i.id}] {i.state:10s} {', '.join(i.recipients)}  {i.last_error}".rstrip() for i in items]
            emit(args, [_item_dict(i) for i in items], "\n".join(lines) or "the outbox is empty")
        return 0

    return _guard(args, body)


def cmd_pop3(args: argparse.Namespace) -> int:
    def body() -> int:
        with services_from(args) as services:
            account = _account(args, services, args.url, "pop3")
            opts = Pop3Options(keep=args.keep, delete_after_days=args.delete_after_days, max_size=args.max_size)
            store = services.mail_store()
            state = services.pop3_state()
            try:
                folder = store.create_local_folder(services.cache_account_id(store, account), args.folder)
                session = services.pop3_session(account, connect_options(args, mechanism=args.auth))
                report = download(session, state, account.key, StoreFolderSink(store, folder), opts)
            finally:
                state.close()
                store.close()
        data = {
            "downloaded": len(report.downloaded),
            "deleted_on_server": len(report.deleted),
            "skipped": [{"size": s.size, "from": s.from_addr, "subject": s.subject} for s in report.skipped],
            "on_server": report.on_server,
            "folder": args.folder,
        }
        text = (
            f"{len(report.downloaded)} new message(s) into {args.folder}; "
            f"{len(report.deleted)} deleted on the server; {len(report.skipped)} skipped"
        )
        for s in report.skipped:
            text += f"\n  skipped ({s.size} bytes): {s.from_addr} — {s.subject}"
        emit(args, data, text)
        return 0

    return _guard(args, body)


def _account_ids(services: Services, store: Store, url: str | None, default_key: str | None) -> list[int]:
    if url:
        key = url if url.startswith("local:") else services.record_for_url(url, kinds=("imap", "pop3", "smtp")).key
        aid = store.account_id(key)
        if aid is None:
            raise CommandError(f"no account {key} in the cache")
        return [aid]
    if default_key is not None:
        return [store.ensure_account(default_key, "local")]
    return [int(r[0]) for r in store.conn.execute("SELECT id FROM accounts ORDER BY id")]


def cmd_export(args: argparse.Namespace) -> int:
    def body() -> int:
        with services_from(args) as services:
            store = services.mail_store()
            try:
                found = [
                    f
                    for aid in _account_ids(services, store, args.account, None)
                    if (f := store.folder_by_name(aid, args.folder)) is not None
                ]
                if not found:
                    raise CommandError(f"no folder named {args.folder!r} in the cache")
                if len(found) > 1:
                    raise CommandError(f"several accounts have a folder {args.folder!r}: choose one with --account")
                folder = found[0]
                if args.mbox:
                    report = export_folder(store, folder.id, args.mbox)
                    where = args.mbox
                else:
                    report = export_folder_eml(store, folder.id, args.eml_dir)
                    where = args.eml_dir
            finally:
                store.close()
        text = f"{report.exported} message(s) exported to {where}"
        if report.missing:
            text += f"; {len(report.missing)} not cached in full (run 'mail sync --bodies' first)"
        emit(args, {"exported": report.exported, "missing": len(report.missing), "target": where}, text)
        return 0 if not report.missing else 1

    return _guard(args, body)


def cmd_import(args: argparse.Namespace) -> int:
    def body() -> int:
        if not Path(args.file).exists():
            raise CommandError(f"{args.file} does not exist")
        with services_from(args) as services:
            store = services.mail_store()
            try:
                (aid,) = _account_ids(services, store, args.account, None if args.account else LOCAL_ACCOUNT_KEY)
                f = store.folder_by_name(aid, args.folder)
                if f is not None and f.kind == "imap":
                    from app.core.mail.imap import ops
                    from app.core.mail.mboxio import ImportReport, iter_source, status_flags

                    report = ImportReport()
                    for raw in iter_source(args.file):
                        report.imported.append(ops.append(store, f.id, raw, status_flags(raw)))
                    note = "; uploaded on the next 'mail sync'"
                else:
                    folder_id = f.id if f is not None else store.create_local_folder(aid, args.folder)
                    report = import_file(store, folder_id, args.file)
                    note = ""
            finally:
                store.close()
        emit(
            args,
            {"imported": len(report.imported), "folder": args.folder},
            f"{len(report.imported)} message(s) imported into {args.folder}{note}",
        )
        return 0

    return _guard(args, body)
