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

from app.clicmd.common import add_common_options, emit, fail, password_for, paths_from, split_url
from app.core.accounts import Account
from app.core.errors import QuayError, TlsError
from app.core.mail import outbox as ob
from app.core.mail.mboxio import export_folder, export_folder_eml, import_file
from app.core.mail.mime import Attachment, Compose, compose_bytes
from app.core.mail.outbox import LocalSentFolder, Outbox, OutboxItem
from app.core.mail.pop3 import Pop3Config, Pop3Options, Pop3Session, Pop3State, StoreFolderSink, download
from app.core.mail.smtp import Security, SmtpConfig, SmtpSender
from app.core.mail.store import Store
from app.core.paths import AppPaths
from app.core.protolog import NULL_LOG, ProtoLog
from app.core.tls import PinStore, certificate_info_dict

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
    p.add_argument("--allow-plaintext", action="store_true", help="allow sending the password unencrypted")
    add_common_options(p)
    p.set_defaults(func=cmd_send)

    p = subparsers.add_parser("outbox", help="list the outbox, or retry what is due (--run URL)")
    p.add_argument("--run", metavar="URL", help="submit due messages of this SMTP account now")
    p.add_argument("--resend", type=int, metavar="ID", help="you checked: message ID did not arrive, send again")
    p.add_argument("--confirm-sent", type=int, metavar="ID", help="you checked: message ID did arrive")
    p.add_argument("--release", type=int, metavar="ID", help="retry a held message")
    p.add_argument("--cancel", type=int, metavar="ID")
    p.add_argument("--allow-plaintext", action="store_true")
    add_common_options(p)
    p.set_defaults(func=cmd_outbox)

    p = subparsers.add_parser("pop3", help="download mail from a POP3 server into a local folder")
    p.add_argument("url", help="pop3s://USER@HOST:PORT, pop3://USER@HOST:PORT?starttls")
    p.add_argument("--keep", action="store_true", help="leave messages on the server (default: delete them)")
    p.add_argument("--delete-after-days", type=float, metavar="N", help="with --keep: delete N days after download")
    p.add_argument("--max-size", type=int, metavar="BYTES", help="leave larger messages on the server")
    p.add_argument("--folder", default="Inbox", help="local folder to download into")
    p.add_argument("--auth", default="auto", choices=["auto", "user", "plain", "apop"])
    p.add_argument("--allow-plaintext", action="store_true", help="allow sending the password unencrypted")
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
    except TlsError as e:
        if getattr(args, "json", False) and e.certificate is not None:
            emit(args, {"error": str(e), "certificate": certificate_info_dict(e.certificate)}, "")
        return fail(str(e))
    except (QuayError, ValueError) as e:
        return fail(str(e))


def _protolog(args: argparse.Namespace) -> ProtoLog:
    return ProtoLog(Path(args.protolog)) if getattr(args, "protolog", None) else NULL_LOG


def _pin(args: argparse.Namespace, paths: AppPaths, host: str, port: int) -> str | None:
    pins = PinStore(paths.pins_file)
    pin = getattr(args, "pin_fingerprint", None)
    if pin:
        pins.pin(host, port, pin)
        return str(pin)
    return pins.get(host, port)


def smtp_config_from_url(url: str, *, allow_plaintext: bool = False) -> SmtpConfig:
    """``smtp://USER@HOST:PORT?starttls`` (587), ``smtps://USER@HOST:PORT`` (465), ``smtp://HOST:PORT`` (plain)."""
    scheme, user, host, port, _, query = split_url(url)
    if not host:
        raise ValueError("the URL has no host")
    if scheme == "smtps":
        security, default_port = Security.TLS, 465
        if "starttls" in query:
            raise ValueError("?starttls only makes sense with smtp://")
    elif scheme in ("smtp", "submission"):
        starttls = "starttls" in query or scheme == "submission"
        security, default_port = (Security.STARTTLS, 587) if starttls else (Security.PLAIN, 25)
    else:
        raise ValueError(f"unsupported URL scheme {scheme!r} (use smtp:// or smtps://)")
    return SmtpConfig(host, port or default_port, security, username=user or None, allow_plaintext_auth=allow_plaintext)


def _account_key(cfg: SmtpConfig) -> str:
    return f"smtp:{cfg.username or ''}@{cfg.host}:{cfg.port}"


def _sender_for(args: argparse.Namespace, paths: AppPaths, url: str, log: ProtoLog) -> tuple[str, SmtpSender]:
    cfg = smtp_config_from_url(url, allow_plaintext=getattr(args, "allow_plaintext", False))
    cfg.cafile = getattr(args, "cafile", None)
    cfg.pin = _pin(args, paths, cfg.host, cfg.port)
    password: str | None = None
    if cfg.username:
        password = password_for("smtp", cfg.username, cfg.host, cfg.port)
        if password is None:
            raise QuayError(
                f"No password for {cfg.username}@{cfg.host}: set QUAY_PASSWORD or store it in the system keyring."
            )
    return _account_key(cfg), SmtpSender(cfg, password=password, protolog=log)


def _parse_when(text: str) -> float:
    try:
        when = _dt.datetime.fromisoformat(text)
    except ValueError as e:
        raise ValueError(f"--send-at wants an ISO date-time like 2026-11-23T18:30, not {text!r}") from e
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


def _local_folder(store: Store, account_key: str, kind: str, name: str) -> int:
    acc = store.ensure_account(account_key, kind)
    return store.create_local_folder(acc, name)


# ----------------------------------------------------------------- commands


def cmd_send(args: argparse.Namespace) -> int:
    def body() -> int:
        if not (args.to or args.cc or args.bcc):
            raise ValueError("give at least one recipient (--to, --cc or --bcc)")
        text = args.body if args.body is not None else sys.stdin.read()
        atts: list[Attachment] = []
        for f in args.attach:
            p = Path(f)
            try:
                data = p.read_bytes()
            except OSError as e:
                raise ValueError(f"cannot read attachment {f}: {e.strerror or e}") from e
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
        paths = paths_from(args)
        log = _protolog(args)
        key, sender = _sender_for(args, paths, args.url, log)
        send_at = _parse_when(args.send_at) if args.send_at else None
        with Outbox.open(paths.data / "outbox.sqlite3") as box:
            item_id = box.enqueue(
                key,
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
            store = Store.open(paths.mail_db)
            try:
                sent = LocalSentFolder(store, _local_folder(store, key, "smtp", "Sent"))
                item = box.process(item_id, sender, sent)
            finally:
                store.close()
                log.close()
        return _outcome(args, item)

    return _guard(args, body)


def cmd_outbox(args: argparse.Namespace) -> int:
    def body() -> int:
        paths = paths_from(args)
        with Outbox.open(paths.data / "outbox.sqlite3") as box:
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
                log = _protolog(args)
                key, sender = _sender_for(args, paths, args.run, log)
                store = Store.open(paths.mail_db)
                code = 0
                try:
                    sent = LocalSentFolder(store, _local_folder(store, key, "smtp", "Sent"))
                    for item in box.due(account=key):
                        code = max(code, _outcome(args, box.process(item.id, sender, sent)))
                finally:
                    store.close()
                    log.close()
                return code
            items = box.items()
            lines = [f"[{i.id}] {i.state:10s} {', '.join(i.recipients)}  {i.last_error}".rstrip() for i in items]
            emit(args, [_item_dict(i) for i in items], "\n".join(lines) or "the outbox is empty")
        return 0

    return _guard(args, body)


def cmd_pop3(args: argparse.Namespace) -> int:
    def body() -> int:
        account = Account.from_url(args.url)
        if account.kind != "pop3":
            raise ValueError("use a pop3:// or pop3s:// URL")
        paths = paths_from(args)
        password = password_for("pop3", account.username, account.host, account.port)
        if password is None:
            raise QuayError(
                f"No password for {account.username}@{account.host}: set QUAY_PASSWORD or store it in the keyring."
            )
        cfg = Pop3Config(
            account.host,
            account.port,
            account.username,
            {"none": "plain"}.get(account.security, account.security),
            allow_plaintext_auth=args.allow_plaintext,
            pin=_pin(args, paths, account.host, account.port),
            cafile=args.cafile,
            auth=args.auth,
        )
        opts = Pop3Options(keep=args.keep, delete_after_days=args.delete_after_days, max_size=args.max_size)
        log = _protolog(args)
        store = Store.open(paths.mail_db)
        state = Pop3State(paths.data / "pop3.sqlite3")
        try:
            acc_id = store.ensure_account(
                account.key, "pop3", account.host, account.port, account.username, account.security
            )
            folder = store.create_local_folder(acc_id, args.folder)
            session = Pop3Session.connect(cfg, password, protolog=log)
            report = download(session, state, account.key, StoreFolderSink(store, folder), opts)
        finally:
            state.close()
            store.close()
            log.close()
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


def _account_ids(store: Store, url: str | None, default_key: str | None) -> list[int]:
    if url:
        if url.startswith(("smtp:", "smtps:", "local:")):
            key = url if url.startswith("local:") else _account_key(smtp_config_from_url(url))
        else:
            key = Account.from_url(url).key
        aid = store.account_id(key)
        if aid is None:
            raise ValueError(f"no account {key} in the cache")
        return [aid]
    if default_key is not None:
        return [store.ensure_account(default_key, "local")]
    return [int(r[0]) for r in store.conn.execute("SELECT id FROM accounts ORDER BY id")]


def cmd_export(args: argparse.Namespace) -> int:
    def body() -> int:
        paths = paths_from(args)
        store = Store.open(paths.mail_db)
        try:
            found = [
                f
                for aid in _account_ids(store, args.account, None)
                if (f := store.folder_by_name(aid, args.folder)) is not None
            ]
            if not found:
                raise ValueError(f"no folder named {args.folder!r} in the cache")
            if len(found) > 1:
                raise ValueError(f"several accounts have a folder {args.folder!r}: choose one with --account")
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
        paths = paths_from(args)
        if not Path(args.file).exists():
            raise ValueError(f"{args.file} does not exist")
        store = Store.open(paths.mail_db)
        try:
            (aid,) = _account_ids(store, args.account, None if args.account else LOCAL_ACCOUNT_KEY)
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
