"""Account records (host, port, security, user, auth method) without secrets, and their JSON file.

Passwords live only in the keyring (:mod:`app.core.secrets`), found by
:attr:`Account.secret_key`; where no keyring works, the UI asks for the
password each session and keeps it in :class:`~app.core.secrets.SecretStore`'s
memory. Accounts can also be described by URL for the CLI:
``imaps://user@host:993``, ``imap://user@host?starttls``, ``imap://user@host``
(plain), ``pop3s://...``.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from app.core.errors import LocalIOError
from app.core.secrets import secret_key

Security = Literal["none", "starttls", "tls"]

_DEFAULT_PORTS: dict[tuple[str, str], int] = {
    ("imap", "none"): 143,
    ("imap", "starttls"): 143,
    ("imap", "tls"): 993,
    ("pop3", "none"): 110,
    ("pop3", "starttls"): 110,
    ("pop3", "tls"): 995,
    ("smtp", "none"): 25,
    ("smtp", "starttls"): 587,
    ("smtp", "tls"): 465,
}

_SCHEMES: dict[str, tuple[str, Security]] = {
    "imap": ("imap", "none"),
    "imaps": ("imap", "tls"),
    "pop3": ("pop3", "none"),
    "pop": ("pop3", "none"),
    "pop3s": ("pop3", "tls"),
    "pops": ("pop3", "tls"),
    "smtp": ("smtp", "none"),
    "smtps": ("smtp", "tls"),
    "submission": ("smtp", "starttls"),
}


@dataclass
class Account:
    """One server account: what to connect to and as whom. Never holds a password."""

    kind: str  # "imap", "pop3", "smtp"
    host: str
    port: int
    username: str
    security: Security = "tls"
    auth: str = "password"  # "password" (LOGIN / AUTH PLAIN); others later
    display_name: str = ""
    email: str = ""
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Stable identity, also the cache's account key: ``imap:alice@mail.example:993``."""
        return f"{self.kind}:{self.username}@{self.host}:{self.port}"

    @property
    def secret_key(self) -> str:
        return secret_key(self.kind, self.username, self.host, self.port)

    @classmethod
    def from_url(cls, url: str) -> Account:
        """``imaps://user@host:port``, ``imap://user@host?starttls`` ... -> Account (ValueError if malformed)."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _SCHEMES:
            raise ValueError(f"unsupported URL scheme {scheme!r} (use imap://, imaps://, pop3://, pop3s://)")
        kind, security = _SCHEMES[scheme]
        query = {q.split("=", 1)[0].lower() for q in parts.query.split("&") if q}
        if "starttls" in query:
            if security == "tls":
                raise ValueError("?starttls only makes sense with a plain scheme (imap://, pop3://)")
            security = "starttls"
        host = parts.hostname or ""
        if not host:
            raise ValueError("the URL has no host")
        user = unquote(parts.username or "")
        if not user:
            raise ValueError("the URL has no user name (user@host)")
        port = parts.port or _DEFAULT_PORTS[(kind, security)]
        return cls(kind=kind, host=host, port=port, username=user, security=security)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Account:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in d.items() if k in known})


class AccountBook:
    """The saved accounts (``accounts.json`` in the config folder), written atomically, version-tagged."""

    VERSION = 1

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._accounts: dict[str, Account] = {}
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError) as e:
            raise LocalIOError(f"Cannot read the accounts file {self.path}: {e}") from e
        for d in self._migrate(data).get("accounts", []):
            acc = Account.from_dict(d)
            self._accounts[acc.key] = acc

    @classmethod
    def _migrate(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Upgrade older file layouts; version 0 was a bare list of accounts."""
        if isinstance(data, list):
            data = {"version": 1, "accounts": data}
        return data

    def save(self) -> None:
        with self._lock:
            data = {"version": self.VERSION, "accounts": [a.to_dict() for a in self._accounts.values()]}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), "utf-8")
            os.replace(tmp, self.path)
        except OSError as e:
            raise LocalIOError(f"Cannot write the accounts file {self.path}: {e}") from e

    def add(self, account: Account) -> None:
        with self._lock:
            self._accounts[account.key] = account

    def remove(self, key: str) -> None:
        with self._lock:
            self._accounts.pop(key, None)

    def get(self, key: str) -> Account | None:
        with self._lock:
            return self._accounts.get(key)

    def all(self) -> list[Account]:
        with self._lock:
            return list(self._accounts.values())
