"""Options and helpers shared by the CLI subcommands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any
from urllib.parse import unquote, urlsplit

from app.core.errors import QuayError
from app.core.paths import AppPaths
from app.core.secrets import SecretStore


def add_common_options(p: argparse.ArgumentParser) -> None:
    """--data-dir, --json, --pin-fingerprint, --protolog, --cafile."""
    p.add_argument("--data-dir", help="keep all settings and caches in this folder")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--pin-fingerprint", metavar="FP", help="accept the server certificate with this SHA-256 fp")
    p.add_argument("--cafile", help="extra CA certificates to trust (PEM)")
    p.add_argument("--protolog", metavar="FILE", help="log protocol commands and replies (secrets redacted)")


def paths_from(args: argparse.Namespace) -> AppPaths:
    return AppPaths.resolve(getattr(args, "data_dir", None))


def password_for(kind: str, user: str, host: str, port: int) -> str | None:
    """QUAY_PASSWORD wins (scripts, tests); then the keyring; then, on a terminal, ask (this run only).

    There is no plaintext fallback: without a keyring the password is asked for
    each session and never written anywhere.
    """
    env = os.environ.get("QUAY_PASSWORD")
    if env is not None:
        return env
    from app.core.secrets import secret_key

    store = SecretStore()
    try:
        found = store.get(secret_key(kind, user, host, port))
    except QuayError:
        found = None
    if found is not None:
        return found
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        if not store.available():
            print("No system keyring is available: the password is asked for each session.", file=sys.stderr)
        try:
            return getpass.getpass(f"Password for {user}@{host}:{port}: ")
        except (EOFError, KeyboardInterrupt):
            return None
    return None


def split_url(url: str) -> tuple[str, str, str, int | None, str, dict[str, str]]:
    """(scheme, user, host, port, path, query) of ``scheme://user@host:port/path?query``."""
    parts = urlsplit(url)
    query: dict[str, str] = {}
    for item in parts.query.split("&"):
        if item:
            k, _, v = item.partition("=")
            query[unquote(k)] = unquote(v)
    return (
        parts.scheme.lower(),
        unquote(parts.username or ""),
        parts.hostname or "",
        parts.port,
        unquote(parts.path or ""),
        query,
    )


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, default=str))
    else:
        print(text)


def fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code
