"""The one URL parser for every protocol Quay speaks, and the one word for how a connection is protected.

Mail and file URLs share one shape, ``scheme://user[:password]@host[:port]/path?query``:

====================  =======  ==========  =====
scheme                kind     security    port
====================  =======  ==========  =====
``imap``              imap     none        143
``imaps``             imap     tls         993
``pop3``, ``pop``     pop3     none        110
``pop3s``, ``pops``   pop3     tls         995
``smtp``              smtp     none        25
``submission``        smtp     starttls    587
``smtps``             smtp     tls         465
``ftp``               ftp      none        21
``ftps``, ``ftpes``   ftp      starttls    21   (explicit FTPS: AUTH TLS)
``ftpsi``             ftp      tls         990  (implicit FTPS)
``sftp``              sftp     ssh         22
``tftp``              tftp     none        69
====================  =======  ==========  =====

Query keys: ``starttls`` (upgrade a plain scheme in-band; the port stays the
plain one except for SMTP, where it becomes 587), ``security=none|starttls|tls``
and ``allow_plaintext`` (the user's explicit consent to send a password over an
unencrypted connection). Unknown keys are kept in :attr:`ParsedUrl.query` for
the caller. A password in a URL is accepted, kept out of ``repr`` and never put
into an error message (:func:`redact_url`).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import quote, unquote, urlsplit

from app.core.errors import BadUrl, UnknownSecurity

__all__ = [
    "DEFAULT_PORTS",
    "SCHEMES",
    "BadUrl",
    "Kind",
    "ParsedUrl",
    "Security",
    "default_port",
    "parse_url",
    "redact_url",
    "scheme_for",
]

Kind = Literal["imap", "pop3", "smtp", "ftp", "sftp", "tftp"]


class Security(enum.StrEnum):
    """How a connection is protected, in one vocabulary for every protocol.

    ``STARTTLS`` is the in-band upgrade of a plain connection (IMAP/SMTP
    STARTTLS, POP3 STLS, FTP ``AUTH TLS`` = "explicit FTPS"); ``TLS`` is TLS
    from the first byte (IMAPS, POP3S, SMTPS, "implicit FTPS"); ``SSH`` is
    SFTP's own transport; ``NONE`` sends everything in clear and needs the
    user's explicit consent before any password goes over it.
    """

    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"
    SSH = "ssh"

    @classmethod
    def parse(cls, value: str | Security | None) -> Security:
        """Read a stored or typed value, including the words older files used; anything else is refused."""
        if isinstance(value, Security):
            return value
        if value is not None and not isinstance(value, str):
            raise UnknownSecurity(f"Unknown connection security {value!r}", value=repr(value))
        word = (value or "").strip().lower()
        legacy = {"plain": "none", "explicit": "starttls", "implicit": "tls", "ssl": "tls"}
        word = legacy.get(word, word)
        try:
            return cls(word)
        except ValueError:
            raise UnknownSecurity(f"Unknown connection security {value!r}", value=str(value)) from None

    @property
    def encrypted(self) -> bool:
        return self is not Security.NONE


#: scheme -> (kind, security)
SCHEMES: dict[str, tuple[Kind, Security]] = {
    "imap": ("imap", Security.NONE),
    "imaps": ("imap", Security.TLS),
    "pop3": ("pop3", Security.NONE),
    "pop": ("pop3", Security.NONE),
    "pop3s": ("pop3", Security.TLS),
    "pops": ("pop3", Security.TLS),
    "smtp": ("smtp", Security.NONE),
    "submission": ("smtp", Security.STARTTLS),
    "smtps": ("smtp", Security.TLS),
    "ftp": ("ftp", Security.NONE),
    "ftps": ("ftp", Security.STARTTLS),
    "ftpes": ("ftp", Security.STARTTLS),
    "ftpsi": ("ftp", Security.TLS),
    "sftp": ("sftp", Security.SSH),
    "tftp": ("tftp", Security.NONE),
}

#: (kind, security) -> the port a server normally listens on.
DEFAULT_PORTS: dict[tuple[str, Security], int] = {
    ("imap", Security.NONE): 143,
    ("imap", Security.STARTTLS): 143,
    ("imap", Security.TLS): 993,
    ("pop3", Security.NONE): 110,
    ("pop3", Security.STARTTLS): 110,
    ("pop3", Security.TLS): 995,
    ("smtp", Security.NONE): 25,
    ("smtp", Security.STARTTLS): 587,
    ("smtp", Security.TLS): 465,
    ("ftp", Security.NONE): 21,
    ("ftp", Security.STARTTLS): 21,
    ("ftp", Security.TLS): 990,
    ("sftp", Security.SSH): 22,
    ("tftp", Security.NONE): 69,
}

#: The scheme that names (kind, security) when we write a URL back.
_CANONICAL_SCHEME: dict[tuple[str, Security], str] = {
    ("imap", Security.NONE): "imap",
    ("imap", Security.STARTTLS): "imap",
    ("imap", Security.TLS): "imaps",
    ("pop3", Security.NONE): "pop3",
    ("pop3", Security.STARTTLS): "pop3",
    ("pop3", Security.TLS): "pop3s",
    ("smtp", Security.NONE): "smtp",
    ("smtp", Security.STARTTLS): "submission",
    ("smtp", Security.TLS): "smtps",
    ("ftp", Security.NONE): "ftp",
    ("ftp", Security.STARTTLS): "ftps",
    ("ftp", Security.TLS): "ftpsi",
    ("sftp", Security.SSH): "sftp",
    ("tftp", Security.NONE): "tftp",
}

_FLAG_TRUE = {"", "1", "yes", "true", "on"}


def scheme_for(kind: str, security: Security) -> str:
    """The URL scheme that names ``kind`` over ``security`` (``ftp`` + STARTTLS -> ``ftps``)."""
    try:
        return _CANONICAL_SCHEME[(kind, security)]
    except KeyError:
        raise UnknownSecurity(f"{kind} cannot use security {security.value!r}", value=security.value) from None


def default_port(kind: str, security: Security) -> int:
    try:
        return DEFAULT_PORTS[(kind, security)]
    except KeyError:
        raise UnknownSecurity(f"{kind} cannot use security {security.value!r}", value=security.value) from None


def redact_url(text: str) -> str:
    """``text`` with any password in its userinfo replaced by ``***`` (safe to show or log).

    Deliberately greedy: everything between the first ``:`` after the scheme and the *last*
    ``@`` is masked, so a password holding ``/``, ``?``, ``#`` or ``@`` (typed unencoded) is
    hidden too, at the price of sometimes masking part of a path. Text without ``://`` is
    treated the same way (``alice:secret@host`` typed without a scheme).
    """
    text = str(text)
    head, sep, rest = text.partition("://")
    if not sep:
        head, rest = "", text
    at = rest.rfind("@")
    if at < 0:
        return text
    user, colon, _password = rest[:at].partition(":")
    if not colon:
        return text
    return f"{head}{sep}{user}:***{rest[at:]}"


_HOST_OK = r"^[A-Za-z0-9._\-:%\[\]]+$"  # compiled on first use (re's cache): start-up


@dataclass(frozen=True)
class ParsedUrl:
    """One parsed URL. The password (if the URL had one) is kept apart and out of ``repr``."""

    scheme: str
    kind: Kind
    security: Security
    host: str
    port: int
    user: str = ""
    path: str = ""
    query: dict[str, str] = field(default_factory=dict, compare=False)
    allow_plaintext: bool = False
    password: str | None = field(default=None, repr=False, compare=False)

    def with_path(self, path: str) -> ParsedUrl:
        return replace(self, path=path)

    def display(self) -> str:
        """The URL as shown to users and written to logs: never with the password."""
        scheme = _CANONICAL_SCHEME.get((self.kind, self.security), self.scheme)
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        q = "?starttls" if self.security is Security.STARTTLS and scheme in ("imap", "pop3") else ""
        return f"{scheme}://{user}{host}:{self.port}{quote(self.path)}{q}"


def parse_url(text: str, *, kinds: tuple[str, ...] | None = None) -> ParsedUrl:
    """Parse ``text``; :class:`BadUrl` (with a message that never holds the password) when it is unusable.

    ``kinds`` limits which protocol families the caller accepts (the CLI's
    ``mail sync`` takes only ``imap``, say).
    """
    shown = redact_url(text)
    try:
        parts = urlsplit(text.strip())
    except ValueError as e:
        # The library's reason may quote the URL's network location (password included): not shown.
        why = ": the IPv6 address is malformed" if "IPv6" in str(e) else ""
        raise BadUrl(f"Cannot read the URL {shown}{why}", url=shown) from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        known = ", ".join(f"{s}://" for s in SCHEMES)
        raise BadUrl(f"Unsupported URL scheme {scheme!r} in {shown} (use one of {known})", url=shown)
    kind, security = SCHEMES[scheme]
    if kinds is not None and kind not in kinds:
        want = " or ".join(kinds)
        schemes = ", ".join(f"{s}://" for s, (k, _) in SCHEMES.items() if k in kinds)
        raise BadUrl(f"{shown} is a {kind} URL; this needs a {want} URL (scheme {schemes})", url=shown)
    host = parts.hostname or ""
    if not host or not re.match(_HOST_OK, host):
        raise BadUrl(f"The URL {shown} has no usable host name", url=shown)
    query: dict[str, str] = {}
    for item in parts.query.split("&"):
        if item:
            k, _, v = item.partition("=")
            query[unquote(k).strip().lower().replace("-", "_")] = unquote(v)
    if "security" in query:
        try:
            security = Security.parse(query.pop("security"))
        except UnknownSecurity as e:
            raise BadUrl(f"{e} in {shown}", url=shown) from None
    if "starttls" in query:
        query.pop("starttls")
        if security is Security.TLS:
            raise BadUrl(f"?starttls only makes sense with a plain scheme ({shown})", url=shown)
        if kind in ("sftp", "tftp"):
            raise BadUrl(f"{kind} has no STARTTLS ({shown})", url=shown)
        security = Security.STARTTLS
    allow_plaintext = False
    if "allow_plaintext" in query:
        allow_plaintext = query.pop("allow_plaintext").strip().lower() in _FLAG_TRUE
    if (kind, security) not in DEFAULT_PORTS:
        raise BadUrl(f"{kind} cannot use security {security.value!r} ({shown})", url=shown)
    try:
        port = parts.port or DEFAULT_PORTS[(kind, security)]
    except ValueError:
        raise BadUrl(f"The URL {shown} has a port that is not a number from 1 to 65535", url=shown) from None
    if not 0 < port < 65536:
        raise BadUrl(f"The URL {shown} has a port that is not a number from 1 to 65535", url=shown)
    return ParsedUrl(
        scheme=scheme,
        kind=kind,
        security=security,
        host=host,
        port=port,
        user=unquote(parts.username or ""),
        path=unquote(parts.path or ""),
        query=query,
        allow_plaintext=allow_plaintext,
        password=unquote(parts.password) if parts.password is not None else None,
    )
