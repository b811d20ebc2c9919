"""``quay-cli files ...``: ls, get, put, mirror, rm, mkdir, mv over ftp://, ftps://, ftpsi://, sftp://, tftp://.

Transfers run through the real transfer queue (``--parallel N`` workers), so a
script gets resume, retries, verification and the same safety as the GUI.
The exit code is 1 when any job failed, with a summary on stderr.
"""

from __future__ import annotations

import argparse
import os
import posixpath
import sys
import time
from pathlib import Path

from app.clicmd.common import (
    add_common_options,
    connect_options,
    emit,
    fail,
    remember_pin,
    report_error,
    services_from,
)
from app.core.accounts import FILE_KINDS
from app.core.errors import AuthError, QuayError
from app.core.services import ConnectOptions, Services
from app.core.transfer.base import RemoteSession
from app.core.transfer.queue import ConflictPolicy, QueueSummary, TransferQueue
from app.core.transfer.sites import Site
from app.core.urls import ParsedUrl, parse_url

__all__ = ["register"]


def _add_connection_options(p: argparse.ArgumentParser) -> None:
    add_common_options(p)
    p.add_argument(
        "--known-hosts",
        metavar="FILE",
        action="append",
        default=[],
        help="extra known_hosts file to trust (read-only; may repeat)",
    )
    p.add_argument(
        "--accept-host-key", metavar="SHA256:...", help="trust an unknown SSH host key with this fingerprint"
    )
    p.add_argument("-i", "--identity", metavar="FILE", help="SSH private key (passphrase from QUAY_PASSPHRASE)")
    p.add_argument("--ssh-config", metavar="FILE", help="OpenSSH client config (default ~/.ssh/config)")
    p.add_argument("--active", action="store_true", help="FTP active mode (PORT/EPRT) instead of passive")
    p.add_argument("--encoding", help="FTP file name encoding when the server is not UTF-8")
    p.add_argument("--timeout", type=float, default=30.0, help="network timeout in seconds")


def _add_queue_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--parallel", type=int, default=2, metavar="N", help="parallel connections (1-10, default 2)")
    p.add_argument(
        "--policy",
        choices=[c.value for c in ConflictPolicy if c != ConflictPolicy.ASK],
        default="overwrite",
        help="when the target exists (default overwrite)",
    )
    p.add_argument("--limit", type=float, metavar="BYTES_PER_S", help="speed limit for all connections together")
    p.add_argument("--retries", type=int, default=5, help="attempts per file on network errors")
    p.add_argument("--no-preserve", action="store_true", help="do not copy modification times")
    p.add_argument("-p", "--permissions", action="store_true", help="copy permissions too (SFTP)")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ls", help="list a remote folder")
    p.add_argument("url")
    _add_connection_options(p)
    p.set_defaults(func=cmd_ls)

    p = sub.add_parser("get", help="download a file (or a folder with -r)")
    p.add_argument("url")
    p.add_argument("local")
    p.add_argument("-r", "--recursive", action="store_true", help="download the folder's contents into LOCAL")
    _add_connection_options(p)
    _add_queue_options(p)
    p.set_defaults(func=cmd_get)

    p = sub.add_parser("put", help="upload a file (or a folder with -r)")
    p.add_argument("local")
    p.add_argument("url")
    p.add_argument("-r", "--recursive", action="store_true", help="upload LOCAL's contents into the remote folder")
    _add_connection_options(p)
    _add_queue_options(p)
    p.set_defaults(func=cmd_put)

    p = sub.add_parser("mirror", help="make LOCAL equal the remote folder (or the reverse)")
    p.add_argument("url")
    p.add_argument("local")
    p.add_argument("--reverse", action="store_true", help="upload: make the remote folder equal LOCAL")
    p.add_argument("--delete", action="store_true", help="delete what exists only on the target side")
    p.add_argument("--dry-run", action="store_true", help="only print what would be done")
    _add_connection_options(p)
    _add_queue_options(p)
    p.set_defaults(func=cmd_mirror)

    p = sub.add_parser("rm", help="delete a remote file (a folder with -r)")
    p.add_argument("url")
    p.add_argument("-r", "--recursive", action="store_true")
    _add_connection_options(p)
    p.set_defaults(func=cmd_rm)

    p = sub.add_parser("mkdir", help="create a remote folder")
    p.add_argument("url")
    p.add_argument("-p", "--parents", action="store_true")
    _add_connection_options(p)
    p.set_defaults(func=cmd_mkdir)

    p = sub.add_parser("mv", help="rename/move on the server")
    p.add_argument("url")
    p.add_argument("new_path", help="the new remote path (absolute, or relative to the old one's folder)")
    _add_connection_options(p)
    p.set_defaults(func=cmd_mv)


# --- plumbing --------------------------------------------------------------------------------------


class _Run:
    """One command's services, site, path and connection options (see :class:`~app.core.services.Services`)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.url: ParsedUrl = parse_url(args.url, kinds=FILE_KINDS)
        self.services: Services = services_from(
            args,
            extra_known_hosts=[Path(f) for f in args.known_hosts],
            ssh_config=Path(args.ssh_config) if args.ssh_config else None,
        )
        site = self.services.record_for_url(self.url, allow_plaintext=args.allow_plaintext)
        assert isinstance(site, Site)
        if args.active:
            site.passive = False
        if args.encoding:
            site.encoding = args.encoding
        self.site = site
        remember_pin(args, self.services, site)
        self.options: ConnectOptions = connect_options(
            args,
            accept_host_key=args.accept_host_key,
            key_filename=args.identity,
            passphrase=os.environ.get("QUAY_PASSPHRASE"),
            timeout=args.timeout,
        )

    def connect(self) -> RemoteSession:
        """A connected session; with SFTP's keys-then-password, a refused login on a terminal asks once."""
        try:
            return self.services.file_session(self.site, self.options)
        except AuthError:
            ask = self.services.ask_password
            if ask is None or self.site.auth != "auto" or self.options.password is not None:
                raise
            password = ask(self.site)
            if password is None:
                raise
            self.services.secrets.remember_for_session(self.site.secret_key, password)
            return self.services.file_session(self.site, self.options)

    def queue(self) -> TransferQueue:
        args = self.args
        return self.services.transfer_queue(
            self.site,
            self.options,
            name=f"cli-{os.getpid()}-{time.time_ns()}",
            workers=max(1, min(10, args.parallel)),
            policy=ConflictPolicy(args.policy),
            speed_limit=args.limit,
            max_attempts=max(1, args.retries),
            preserve_mtime=not args.no_preserve,
            preserve_permissions=args.permissions,
        )


def _connect(args: argparse.Namespace) -> tuple[_Run, RemoteSession]:
    run = _Run(args)
    try:
        return run, run.connect()
    except BaseException:
        run.services.close()
        raise


def _finish(args: argparse.Namespace, q: TransferQueue, summary: QueueSummary, seconds: float) -> int:
    data = {
        "done": summary.done,
        "failed": summary.failed,
        "skipped": summary.skipped,
        "cancelled": summary.cancelled,
        "pending": summary.pending,
        "seconds": round(seconds, 3),
        "failures": [{"source": s, "error": e} for s, e in summary.failures],
    }
    q.clear_finished()
    q.close()
    emit(args, data, f"{summary.done} done, {summary.skipped} skipped, {summary.failed} failed in {seconds:.2f}s")
    if not summary.ok:
        for src, err in summary.failures:
            print(f"failed: {src}: {err}", file=sys.stderr)
        if summary.pending or summary.cancelled:
            print(f"{summary.pending + summary.cancelled} transfer(s) not finished", file=sys.stderr)
        return 1
    return 0


# --- commands ----------------------------------------------------------------------------------------


def cmd_ls(args: argparse.Namespace) -> int:
    try:
        run, s = _connect(args)
    except QuayError as e:
        return report_error(args, e)
    try:
        entries = s.listdir(run.url.path or s.home())
    except QuayError as e:
        return report_error(args, e)
    finally:
        s.close()
        run.services.close()
    entries.sort(key=lambda e: (not e.is_dir, e.name))
    data = [{"name": e.name, "kind": e.kind, "size": e.size, "mtime": e.mtime, "perms": e.perms} for e in entries]
    lines = [
        f"{'d' if e.is_dir else '-'}{e.perms or '?????????':9} {e.size if e.size is not None else '-':>12} "
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime(e.mtime)) if e.mtime else '-':16} {e.name}"
        for e in entries
    ]
    emit(args, data, "\n".join(lines))
    return 0


def cmd_get(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    local = Path(args.local)
    try:
        run, s = _connect(args)
    except QuayError as e:
        return report_error(args, e)
    try:
        q = run.queue()
        try:
            remote = run.url.path or s.home()
            if args.recursive:
                if run.site.kind != "ftp":
                    q.start()  # workers begin with the first folder's files while the rest is listed
                # FTP: listing is a round trip per folder, and while workers run the lister only competes with
                # them for the GIL (a small-file tree measured ~10% slower with both at once); q.run() starts them.
                q.add_download_tree(remote, local, session=s)
            elif local.is_dir():
                q.add_download_into(remote, local)
            else:
                q.add_download(remote, local)
        except QuayError:
            s.close()
            q.close()
            raise
        # The session that looked first is the first worker's: no second log-in before the transfer.
        q.adopt(s)
        return _finish(args, q, q.run(), time.monotonic() - t0)
    except QuayError as e:
        return report_error(args, e)
    finally:
        run.services.close()


def cmd_put(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    local = Path(args.local)
    if not local.exists():
        return fail(f"{local} does not exist", 2)
    if args.recursive and not local.is_dir():
        return fail(f"{local} is not a folder", 2)
    try:
        run, s = _connect(args)
    except QuayError as e:
        return report_error(args, e)
    try:
        q = run.queue()
        try:
            remote = run.url.path or s.home()
            if args.recursive:
                q.add_upload_tree(local, remote, session=s)
            else:
                existing = None if run.site.kind == "tftp" else s.stat(remote)
                if existing is not None and existing.is_dir:
                    remote = posixpath.join(remote, local.name)
                q.add_upload(local, remote)
        except QuayError:
            s.close()
            q.close()
            raise
        q.adopt(s)  # the session that looked at the target uploads too: one log-in
        return _finish(args, q, q.run(), time.monotonic() - t0)
    except QuayError as e:
        return report_error(args, e)
    finally:
        run.services.close()


def cmd_mirror(args: argparse.Namespace) -> int:
    from app.core.transfer.compare import mirror

    t0 = time.monotonic()
    try:
        run, s = _connect(args)
    except QuayError as e:
        return report_error(args, e)
    try:
        q = run.queue()
        try:
            result = mirror(
                s,
                q,
                run.url.path or s.home(),
                Path(args.local),
                reverse=args.reverse,
                delete=args.delete,
                dry_run=args.dry_run,
            )
        except QuayError:
            q.close()
            raise
        finally:
            s.close()
        if args.dry_run:
            q.close()
            data = [{"action": a.kind, "path": a.relpath, "size": a.size} for a in result.plan]
            emit(args, data, "\n".join(f"{a.kind:14} {a.relpath}" for a in result.plan) or "nothing to do")
            return 0
        return _finish(args, q, result.summary, time.monotonic() - t0)
    except QuayError as e:
        return report_error(args, e)
    finally:
        run.services.close()


def _simple(args: argparse.Namespace, what: str) -> int:
    try:
        run, s = _connect(args)
    except QuayError as e:
        return report_error(args, e)
    try:
        path = run.url.path
        if not path or path == "/":
            return fail("refusing to act on the server's root folder", 2)
        if what == "rm":
            entry = s.stat(path)
            if entry is None:
                return fail(f"{path} does not exist")
            if entry.is_dir:
                if not args.recursive:
                    return fail(f"{path} is a folder (use -r)", 2)
                from app.core.transfer.compare import delete_remote_tree

                delete_remote_tree(s, path)
            else:
                s.delete(path)
        elif what == "mkdir":
            if args.parents:
                parts = [p for p in path.split("/") if p]
                cur = "" if path.startswith("/") else "."
                for part in parts:
                    cur = f"{cur}/{part}"
                    if s.stat(cur) is None:
                        s.mkdir(cur)
            else:
                s.mkdir(path)
        elif what == "mv":
            new = (
                args.new_path
                if args.new_path.startswith("/")
                else posixpath.join(posixpath.dirname(path), args.new_path)
            )
            s.rename(path, new)
    except QuayError as e:
        return report_error(args, e)
    finally:
        s.close()
        run.services.close()
    return 0


def cmd_rm(args: argparse.Namespace) -> int:
    return _simple(args, "rm")


def cmd_mkdir(args: argparse.Namespace) -> int:
    return _simple(args, "mkdir")


def cmd_mv(args: argparse.Namespace) -> int:
    return _simple(args, "mv")
