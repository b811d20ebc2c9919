"""Scripting front end over app/core: ``python -m app.cli mail ...`` and ``python -m app.cli files ...``.

Exit codes: 0 success, 1 a job or command failed, 2 bad usage.
Passwords come from the keyring, or from the environment variable
``QUAY_PASSWORD`` when set (scripts and tests). Subcommands live in
``app/clicmd/*``; each module has ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from app import __version__

_MAIL_MODULES = ("app.clicmd.mail_imap", "app.clicmd.mail_send")
_FILES_MODULES = ("app.clicmd.files",)


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter sized from ``os`` alone: the stock one imports ``shutil`` (and with it bz2,
    lzma, fnmatch) for the terminal width, and argparse makes one for every ``add_argument``."""

    def __init__(self, prog: str) -> None:
        try:
            width = os.get_terminal_size(sys.stderr.fileno()).columns
        except (OSError, ValueError):
            width = int(os.environ.get("COLUMNS", "0") or 0) or 80
        super().__init__(prog, width=max(40, width - 2))


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def build_parser(areas: Sequence[str] = ("mail", "files")) -> argparse.ArgumentParser:
    """The full parser; ``areas`` limits which subcommand modules are imported (start-up time for scripts)."""
    parser = _Parser(prog="quay-cli", description="Quay scripting front end (mail and files).")
    parser.add_argument("--version", action="version", version=f"Quay {__version__}")
    top = parser.add_subparsers(dest="area", metavar="{mail,files}", parser_class=_Parser)
    mail = top.add_parser("mail", help="IMAP, POP3 and SMTP")
    mail_sub = mail.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    files = top.add_parser("files", help="FTP, FTPS, SFTP and TFTP")
    files_sub = files.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    if "mail" in areas:
        for name in _MAIL_MODULES:
            _register(name, mail_sub)
    if "files" in areas:
        for name in _FILES_MODULES:
            _register(name, files_sub)
    return parser


def _register(module: str, sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name == module:
            return
        raise
    mod.register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    area = next((w for w in words if not w.startswith("-")), None)
    # `files ...` need not import the mail stack (and vice versa): scripts start faster.
    parser = build_parser((area,) if area in ("mail", "files") else ("mail", "files"))
    args = parser.parse_args(words)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
