"""Saved server records without secrets: mail accounts here, file-transfer sites in ``transfer/sites.py``.

Both are :class:`ServerRecord`\\ s: a ``kind`` (``imap``, ``pop3``, ``smtp``;
``ftp``, ``sftp``, ``tftp``), ``host``, ``port``, ``user``, a
:class:`~app.core.urls.Security`, an ``auth`` method and ``allow_plaintext``
(the user's explicit consent to send a password over an unencrypted
connection). A record never holds a password: it lives in the keyring
(:mod:`app.core.secrets`) under :attr:`ServerRecord.secret_key`, or in memory
for one session. Unknown security words are refused (:class:`UnknownSecurity`),
never read as plaintext.

Record files are JSON with a version number, upgraded step by step by
:class:`RecordFile` and replaced atomically with fsync. A record that cannot be
read (an unknown security word, a missing host) is reported in ``problems`` and
written back unchanged, so a bad entry is never lost by saving the others.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from app.core.errors import BadRecord, LocalIOError, QuayError, UnknownSecurity
from app.core.fileio import atomic_write
from app.core.secrets import secret_key
from app.core.urls import DEFAULT_PORTS, Security

__all__ = [
    "AUTH_METHODS",
    "FILE_KINDS",
    "LOCAL_FOLDERS_KEY",
    "MAIL_KINDS",
    "Account",
    "AccountBook",
    "AccountIdentity",
    "Pop3Policy",
    "RecordFile",
    "ServerRecord",
    "default_security",
    "record_from_dict",
]

MAIL_KINDS = ("imap", "pop3", "smtp")
FILE_KINDS = ("ftp", "sftp", "tftp")

#: ``password``: saved in the keyring; ``ask``: asked each session, never saved; ``anonymous``
#: (FTP); ``none`` (TFTP, SMTP without login); ``key``, ``agent``, ``interactive`` (SFTP);
#: ``auto`` (SFTP: keys and agent first, then a password if one is known).
AUTH_METHODS = ("password", "ask", "anonymous", "none", "key", "agent", "interactive", "auto")

_ANONYMOUS_USERS = ("", "anonymous", "ftp")

#: The mail cache's account key of "Local Folders" (drafts, POP3 accounts' Sent, local archives):
#: the reader, the composer and the CLI all file into this one.
LOCAL_FOLDERS_KEY = "local:Local Folders"


def _new_id() -> str:
    """A random record id (32 hex digits, like ``uuid4().hex``) without importing uuid at start-up."""
    return os.urandom(16).hex()


def _stable_id(name: str) -> str:
    import uuid

    return uuid.uuid5(uuid.NAMESPACE_URL, name).hex


def default_security(kind: str) -> Security:
    """The security a new record of ``kind`` gets when none is named: encrypted wherever the protocol can."""
    return {"sftp": Security.SSH, "tftp": Security.NONE, "ftp": Security.STARTTLS}.get(kind, Security.TLS)


class ServerRecord:
    """What every saved server has, shared by :class:`Account` (mail) and ``Site`` (files).

    Subclasses are dataclasses declaring ``kind``, ``host``, ``port``, ``security``, ``auth``
    and ``allow_plaintext`` as fields, and call :meth:`_normalise` from ``__post_init__``.
    """

    kinds: ClassVar[tuple[str, ...]] = MAIL_KINDS + FILE_KINDS
    kind: str
    host: str
    port: int
    security: Security
    auth: str
    allow_plaintext: bool

    @property
    def user(self) -> str:
        raise NotImplementedError

    @property
    def label(self) -> str:
        """How the record is named to the user."""
        return f"{self.user}@{self.host}" if self.user else self.host

    @property
    def secret_key(self) -> str:
        """The keyring entry holding this record's password."""
        return secret_key(self.kind, self.user, self.host, self.port)

    @property
    def anonymous(self) -> bool:
        """No credentials at all: TFTP, anonymous FTP, SMTP without login."""
        if self.kind == "tftp" or self.auth in ("anonymous", "none"):
            return True
        if self.kind == "ftp":
            return self.user.lower() in _ANONYMOUS_USERS
        return self.kind == "smtp" and not self.user

    @property
    def needs_password(self) -> bool:
        """Connecting is impossible without a password (SFTP with keys, agent or ``auto`` can do without)."""
        return not self.anonymous and self.auth not in ("key", "agent", "auto")

    @property
    def uses_password(self) -> bool:
        """A password goes to the server when one is known (``auto`` SFTP included)."""
        return not self.anonymous and self.auth not in ("key", "agent")

    @property
    def saves_password(self) -> bool:
        """The password may be read from and kept in the keyring (``ask`` means: this session only)."""
        return self.uses_password and self.auth != "ask"

    @property
    def sends_password_in_clear(self) -> bool:
        """A password would cross the network unencrypted (needs :attr:`allow_plaintext`)."""
        return self.uses_password and self.security is Security.NONE

    def _normalise(self) -> None:
        """Check and canonicalise the shared fields; :class:`BadRecord` or :class:`UnknownSecurity` if unusable."""
        name = self._record_name()
        if self.kind not in self.kinds:
            raise BadRecord(
                f"{name}: unknown kind {self.kind!r} (use one of {', '.join(self.kinds)})", record=name, field="kind"
            )
        self.security = Security.parse(self.security) if self.security else default_security(self.kind)
        if (self.kind, self.security) not in DEFAULT_PORTS:
            raise UnknownSecurity(
                f"{name}: {self.kind} cannot use security {self.security.value!r}", value=self.security.value
            )
        if not self.host or any(c.isspace() for c in self.host):
            raise BadRecord(f"{name}: the host name is missing or has spaces", record=name, field="host")
        port = self.port or DEFAULT_PORTS[(self.kind, self.security)]
        if not isinstance(port, int) or not 0 < port < 65536:
            raise BadRecord(f"{name}: the port must be a number from 1 to 65535", record=name, field="port")
        self.port = port
        if self.auth not in AUTH_METHODS:
            raise BadRecord(f"{name}: unknown sign-in method {self.auth!r}", record=name, field="auth")
        self.allow_plaintext = bool(self.allow_plaintext)

    def _record_name(self) -> str:
        return f"{self.kind} {self.host}"


@dataclass
class AccountIdentity:
    """One "send as" address of a mail account, with its own signature and (optionally) SMTP account."""

    address: str
    name: str = ""
    signature: str = ""
    reply_to: str = ""
    smtp_account: str = ""  # key of the SMTP account to send with; "" = the account's own


@dataclass
class Account(ServerRecord):
    """One mail account (IMAP, POP3 or SMTP): what to connect to and as whom. Never holds a password.

    ``port`` 0 means the usual port for the kind and security. ``check_interval`` is seconds
    between checks for new mail when the server cannot push (0: only when asked);
    ``check_on_start`` checks it when Quay starts; ``order`` places it in the user's list;
    ``smtp_account`` names (by :attr:`key`) the SMTP account (a record of its own, kind ``smtp``)
    an IMAP/POP3 account sends with; ``identities`` are its "send as" addresses (none saved: one
    made of ``email``, ``display_name`` and ``signature``).

    ``options`` holds what only one kind has, each in one place:

    * ``pop3``: ``{"keep": bool, "delete_after_days": int | None}``, read and written only through
      :meth:`pop3_policy` / :meth:`set_pop3_policy` (:class:`Pop3Policy`);
    * ``size_limit`` (SMTP records): the largest message the server accepts (its SIZE), in bytes.

    Anything else in ``options`` is kept as it is.
    """

    kinds: ClassVar[tuple[str, ...]] = MAIL_KINDS

    kind: str
    host: str
    port: int = 0
    username: str = ""
    security: Security = Security.TLS
    auth: str = "password"
    display_name: str = ""
    email: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    allow_plaintext: bool = False
    id: str = field(default_factory=lambda: _new_id())
    order: int = 0
    check_interval: int = 600
    check_on_start: bool = True
    smtp_account: str = ""
    signature: str = ""
    identities: list[AccountIdentity] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._normalise()
        if self.kind in ("imap", "pop3") and not self.username:
            raise BadRecord(f"{self._record_name()}: a user name is needed", record=self._record_name(), field="user")
        self.identities = [i if isinstance(i, AccountIdentity) else _identity(i) for i in self.identities]

    @property
    def user(self) -> str:
        return self.username

    @property
    def label(self) -> str:
        return self.display_name or self.email or super().label

    @property
    def key(self) -> str:
        """Stable identity, also the cache's account key: ``imap:alice@mail.example:993``."""
        return f"{self.kind}:{self.username}@{self.host}:{self.port}"

    def pop3_policy(self) -> Pop3Policy:
        """What POP3 downloading does with the server's copy (see :class:`Pop3Policy`)."""
        return Pop3Policy.from_options(self.options)

    def set_pop3_policy(self, policy: Pop3Policy) -> None:
        self.options = {**self.options, Pop3Policy.OPTION: policy.to_option()}

    @property
    def smtp_size_limit(self) -> int | None:
        """An SMTP record's message size limit (bytes), when the server announced one."""
        size = self.options.get("size_limit")
        return size if isinstance(size, int) and not isinstance(size, bool) and size > 0 else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["security"] = self.security.value
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Account:
        """A record as stored (current version); :class:`BadRecord`/:class:`UnknownSecurity` if unusable."""
        return record_from_dict(cls, d)


@dataclass(frozen=True)
class Pop3Policy:
    """What downloading a POP3 account does with the server's copy: the one place this is decided.

    ``keep`` False: delete each message from the server once it is safely stored here.
    ``keep`` True: leave it there, and when ``delete_after_days`` is set, delete it that many
    days after it was downloaded. Stored in ``Account.options["pop3"]``. The default keeps mail
    on the server (nothing is lost if the local cache is).
    """

    OPTION: ClassVar[str] = "pop3"

    keep: bool = True
    delete_after_days: int | None = None

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> Pop3Policy:
        raw = options.get(cls.OPTION)
        if not isinstance(raw, dict):
            return cls()
        days = raw.get("delete_after_days")
        ok_days = isinstance(days, int) and not isinstance(days, bool) and days > 0
        return cls(bool(raw.get("keep", True)), days if ok_days else None)  # type: ignore[arg-type]

    def to_option(self) -> dict[str, Any]:
        return {"keep": self.keep, "delete_after_days": self.delete_after_days if self.keep else None}


def _identity(d: Any) -> AccountIdentity:
    if not isinstance(d, dict) or not d.get("address"):
        raise BadRecord("an identity needs an address", field="identities")
    return record_from_dict(AccountIdentity, d)


_R = TypeVar("_R")


def record_from_dict(cls: type[_R], d: Any) -> _R:
    if not isinstance(d, dict):
        raise BadRecord(f"not a record: {type(d).__name__}")
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    try:
        return cls(**{k: v for k, v in d.items() if k in known})
    except (BadRecord, UnknownSecurity):
        raise
    except (TypeError, ValueError, AttributeError) as e:  # a required field missing, a value of the wrong type
        raise BadRecord(f"unusable record: {e}") from None


# --- the files -------------------------------------------------------------------------------


Migration = Callable[[dict[str, Any]], dict[str, Any]]


class RecordFile:
    """A versioned JSON file of records: ``{"version": N, "<items>": [...]}``.

    ``migrations[n]`` turns the whole document of version ``n`` into version ``n + 1``; they run
    in order on load. A file from a newer Quay is read as well as we can but never overwritten.
    Writes go through :func:`~app.core.fileio.atomic_write` (0600, fsync, rename).
    """

    def __init__(self, path: Path, *, items: str, version: int, migrations: dict[int, Migration], what: str) -> None:
        self.path = path
        self.items = items
        self.version = version
        self.migrations = migrations
        self.what = what
        self.newer = False

    def load(self) -> list[Any]:
        """The raw records at the current version (``[]`` when the file does not exist)."""
        if not self.path.is_file():
            return []
        try:
            doc: Any = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError) as e:
            raise LocalIOError(f"Cannot read {self.what} {self.path}: {e}", path=str(self.path)) from e
        if isinstance(doc, list):
            doc = {"version": 0, self.items: doc}
        if not isinstance(doc, dict):
            raise LocalIOError(f"{self.what} {self.path} is not a record file", path=str(self.path))
        found = doc.get("version", 0)
        version = found if isinstance(found, int) else 0
        if version > self.version:
            self.newer = True
        while version < self.version:
            step = self.migrations.get(version)
            if step is not None:
                doc = step(doc)
            version += 1
        items = doc.get(self.items, [])
        return list(items) if isinstance(items, list) else []

    def save(self, records: list[Any]) -> None:
        if self.newer:
            raise LocalIOError(
                f"{self.what} {self.path} was written by a newer Quay; not overwriting it.", path=str(self.path)
            )
        text = json.dumps({"version": self.version, self.items: records}, indent=2, ensure_ascii=False)
        atomic_write(self.path, text + "\n", what=f"{self.what} {self.path}")


def _accounts_v0_to_v1(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "version": 1}


def _inline_smtp_record(d: dict[str, Any], smtp: dict[str, Any], who: str) -> Account | None:
    """The SMTP account a record used to carry inline (``options["smtp"]``), or None if unusable."""
    username = smtp.get("username", d.get("username", ""))
    link: dict[str, Any] = {
        "kind": "smtp",
        "host": smtp["host"],
        "port": smtp.get("port") or 0,
        "username": username if isinstance(username, str) else "",
        "security": smtp.get("security") or "starttls",
        "display_name": d.get("display_name", ""),
        "email": d.get("email", ""),
        "allow_plaintext": bool(d.get("allow_plaintext")),
        "id": _stable_id("quay-account-smtp:" + who),
    }
    size = smtp.get("size_limit")
    if isinstance(size, int) and not isinstance(size, bool) and size > 0:
        link["options"] = {"size_limit": size}
    if not link["username"]:
        link["auth"] = "none"  # a relay that takes no login
    try:
        link["security"] = Security.parse(link["security"]).value
        return Account.from_dict(link)
    except QuayError:
        return None


def _who(d: dict[str, Any]) -> str:
    return f"{d.get('kind')}:{d.get('username')}@{d.get('host')}:{d.get('port')}"


def _split_inline_smtp(doc: dict[str, Any], version: int) -> dict[str, Any]:
    """Move every ``options["smtp"]`` into an SMTP account of its own, linked by ``smtp_account``."""
    out: list[Any] = []
    extra: list[dict[str, Any]] = []
    for raw in doc.get("accounts", []):
        if not isinstance(raw, dict):
            out.append(raw)
            continue
        d = dict(raw)
        options = d.get("options")
        smtp = options.get("smtp") if isinstance(options, dict) else None
        if isinstance(smtp, dict) and smtp.get("host") and not d.get("smtp_account"):
            acc = _inline_smtp_record(d, smtp, _who(d))
            if acc is not None:
                d["smtp_account"] = acc.key
                d["options"] = {k: v for k, v in options.items() if k != "smtp"}  # type: ignore[union-attr]
                extra.append(acc.to_dict())
        out.append(d)
    keys = set()
    for a in out:
        try:
            keys.add(Account.from_dict(a).key)
        except QuayError:
            pass
    for e in extra:
        key = Account.from_dict(e).key
        if key not in keys:
            keys.add(key)
            out.append(e)
    return {**doc, "version": version, "accounts": out}


def _accounts_v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """Security words become :class:`Security` values (``plain`` -> ``none``); ``options["smtp"]``
    (a server written inline) becomes an SMTP account of its own, linked by ``smtp_account``."""
    out: list[Any] = []
    for raw in doc.get("accounts", []):
        if not isinstance(raw, dict):
            out.append(raw)
            continue
        d = dict(raw)
        try:
            d["security"] = Security.parse(d.get("security") or "tls").value
        except UnknownSecurity:
            pass  # kept as written: refused (and reported) when read, never guessed
        # A stable id until the file is saved again (the same every time this version-1 file is read).
        d.setdefault("id", _stable_id("quay-account:" + _who(d)))
        out.append(d)
    return _split_inline_smtp({**doc, "accounts": out}, 2)


def _accounts_v2_to_v3(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 2 files written by the first account wizard kept everything in ``options``.

    That format (``options = {"smtp": {host, port, security, username, size_limit},
    "identities": [...], "check_interval": minutes, "check_on_start", "order", "allow_plaintext",
    "pop3": {keep, delete_after_days}}``, and the reader's ``options["pop3_keep"]``) becomes the
    record's own fields: the SMTP server an account of its own (``smtp_account``, its password
    already under that record's keyring entry), the interval in seconds, identities as identities.
    POP3's choices stay in ``options["pop3"]`` (:class:`Pop3Policy`).
    """
    out: list[Any] = []
    for raw in doc.get("accounts", []):
        options = raw.get("options") if isinstance(raw, dict) else None
        if not isinstance(options, dict):
            out.append(raw)
            continue
        d = dict(raw)
        opts = dict(options)
        idents = opts.pop("identities", None)
        if isinstance(idents, list) and not d.get("identities"):
            d["identities"] = [
                {k: (v or "") for k, v in i.items() if k in ("address", "name", "signature", "reply_to")}
                for i in idents
                if isinstance(i, dict) and i.get("address")
            ]
        minutes = opts.pop("check_interval", None)
        if isinstance(minutes, int | float) and not isinstance(minutes, bool) and minutes >= 0:
            d["check_interval"] = int(minutes * 60)
        for name in ("check_on_start", "order"):
            if name in opts:
                value = opts.pop(name)
                if isinstance(value, bool | int):
                    d[name] = bool(value) if name == "check_on_start" else int(value)
        if opts.pop("allow_plaintext", False) is True:
            d["allow_plaintext"] = True  # the user's consent, given in the wizard: kept, never widened
        if "pop3_keep" in opts:
            keep = opts.pop("pop3_keep")
            pop = opts.get(Pop3Policy.OPTION)
            opts[Pop3Policy.OPTION] = {**(pop if isinstance(pop, dict) else {}), "keep": bool(keep)}
        d["options"] = opts
        out.append(d)
    return _split_inline_smtp({**doc, "accounts": out}, 3)


class AccountBook:
    """The saved mail accounts (``AppPaths.accounts_file``). Thread-safe; nothing is written until :meth:`save`.

    ``problems`` lists the records that could not be read (they are kept and saved back as they were).
    """

    VERSION = 3

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._accounts: dict[str, Account] = {}
        self._unreadable: list[Any] = []
        self.problems: list[QuayError] = []
        self._file = RecordFile(
            path,
            items="accounts",
            version=self.VERSION,
            migrations={0: _accounts_v0_to_v1, 1: _accounts_v1_to_v2, 2: _accounts_v2_to_v3},
            what="the accounts file",
        )
        self._read()

    def _read(self) -> None:
        accounts: dict[str, Account] = {}
        unreadable: list[Any] = []
        problems: list[QuayError] = []
        for raw in self._file.load():
            try:
                acc = Account.from_dict(raw)
            except (BadRecord, UnknownSecurity) as e:
                unreadable.append(raw)
                problems.append(e)
            else:
                accounts[acc.key] = acc
        with self._lock:
            self._accounts, self._unreadable, self.problems = accounts, unreadable, problems

    def reload(self) -> None:
        """Read the file again (the CLI or another profile tool may have changed it); changes added
        here and not yet saved are dropped (:meth:`Services.save_account` and the profiles save at once)."""
        self._read()

    def save(self) -> None:
        with self._lock:
            records = [a.to_dict() for a in self._accounts.values()] + self._unreadable
        self._file.save(records)

    def add(self, account: Account) -> None:
        """Add, or replace the account with the same id (an edit may change its key) or the same key."""
        with self._lock:
            for k, a in list(self._accounts.items()):
                if a.id == account.id:
                    del self._accounts[k]
            self._accounts[account.key] = account

    def remove(self, key_or_id: str) -> None:
        with self._lock:
            for k, a in list(self._accounts.items()):
                if key_or_id in (k, a.id):
                    del self._accounts[k]

    def get(self, key_or_id: str) -> Account | None:
        with self._lock:
            found = self._accounts.get(key_or_id)
            if found is None:
                found = next((a for a in self._accounts.values() if a.id == key_or_id), None)
            return found

    def all(self) -> list[Account]:
        """Every readable account, in the user's order."""
        with self._lock:
            return sorted(self._accounts.values(), key=lambda a: a.order)
