"""Options and plumbing shared by the CLI subcommands: a thin front end over :class:`~app.core.services.Services`.

The CLI adds only what belongs to a terminal: ``QUAY_PASSWORD`` (scripts and
tests) as an explicit password, the password prompt on a TTY (a callback the
services call when nothing else has the password), and printing. Errors are
worded by the same table the GUI translates (``app/ui/errors.py``, Qt-free
until it translates).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.accounts import ServerRecord
from app.core.errors import (
    MissingPassword,
    PlaintextAuthRefused,
    QuayError,
    TlsError,
    UnknownHostKey,
)
from app.core.paths import AppPaths
from app.core.services import ConnectOptions, Services


class CommandError(QuayError):
    """The command line asks for something that cannot be done (a missing file, no such folder)."""


def add_common_options(p: argparse.ArgumentParser) -> None:
    """--data-dir, --json, --pin-fingerprint, --cafile, --protolog, --allow-plaintext."""
    p.add_argument("--data-dir", help="keep all settings and caches in this folder")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--pin-fingerprint", metavar="FP", help="accept the server certificate with this SHA-256 fp")
    p.add_argument("--cafile", help="extra CA certificates to trust (PEM)")
    p.add_argument("--protolog", metavar="FILE", help="log protocol commands and replies (secrets redacted)")
    p.add_argument(
        "--allow-plaintext",
        action="store_true",
        help="allow sending the password over an unencrypted connection (same as ?allow_plaintext in the URL)",
    )


def paths_from(args: argparse.Namespace) -> AppPaths:
    return AppPaths.resolve(getattr(args, "data_dir", None))


def _ask_on_terminal(services: Services) -> Callable[[ServerRecord], str | None]:
    def ask(record: ServerRecord) -> str | None:
        import getpass

        if not services.secrets.available():
            print("No system keyring is available: the password is asked for each session.", file=sys.stderr)
        try:
            return getpass.getpass(f"Password for {record.user}@{record.host}:{record.port}: ")
        except (EOFError, KeyboardInterrupt):
            return None

    return ask


def services_from(
    args: argparse.Namespace, *, extra_known_hosts: list[Path] | None = None, ssh_config: Path | None = None
) -> Services:
    """The services for this run: ``--data-dir``, ``--cafile``, ``--protolog``, and a prompt when on a terminal."""
    protolog = getattr(args, "protolog", None)
    services = Services(
        paths_from(args),
        protocol_log=Path(protolog) if protolog else None,
        cafile=getattr(args, "cafile", None),
        extra_known_hosts=extra_known_hosts or [],
        ssh_config=ssh_config,
    )
    if sys.stdin is not None and sys.stdin.isatty():
        services.ask_password = _ask_on_terminal(services)
    return services


def connect_options(args: argparse.Namespace, **more: Any) -> ConnectOptions:
    """``QUAY_PASSWORD`` as the explicit password, ``--pin-fingerprint`` as this run's pin."""
    return ConnectOptions(
        password=os.environ.get("QUAY_PASSWORD"), pin=getattr(args, "pin_fingerprint", None) or None, **more
    )


def remember_pin(args: argparse.Namespace, services: Services, record: ServerRecord) -> None:
    """``--pin-fingerprint FP``: the user accepted this certificate for the record's host:port, from now on."""
    fp = getattr(args, "pin_fingerprint", None)
    if fp:
        services.trust_certificate(record.host, record.port, fp)


def _hint(e: BaseException) -> str:
    """The next step in CLI words (options instead of buttons), else the shared table's."""
    if isinstance(e, MissingPassword):
        return "Set QUAY_PASSWORD, run on a terminal to be asked, or save the password in the system keyring."
    if isinstance(e, PlaintextAuthRefused):
        return "If you accept that risk, add --allow-plaintext (or ?allow_plaintext to the URL)."
    if isinstance(e, UnknownHostKey):
        return f"If this is the right server, run again with --accept-host-key {e.info.fingerprint_sha256}"
    if isinstance(e, TlsError) and e.certificate is not None and type(e) is TlsError:
        return (
            "If you checked that this is the right certificate, run again with "
            f"--pin-fingerprint {e.certificate.fingerprint_display}"
        )
    from app.ui.errors import describe  # Qt-free until it translates

    return describe(e).next_step


def report_error(args: argparse.Namespace, e: QuayError) -> int:
    """Print ``e`` (its message, then what to do) on stderr; with ``--json`` also its fields on stdout. Returns 1."""
    hint = _hint(e)
    if getattr(args, "json", False):
        print(json.dumps({**e.fields(), "error": str(e), "hint": hint}, ensure_ascii=False, default=str))
    print(f"error: {e}", file=sys.stderr)
    if hint:
        print(f"  {hint}", file=sys.stderr)
    return 1


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, default=str))
    else:
        print(text)


def fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code
