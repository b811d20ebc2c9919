"""Turn a URL or a saved :class:`Site` into the right :class:`RemoteSession` (or a factory of them).

Schemes: ``ftp://`` (plain), ``ftps://`` (explicit AUTH TLS), ``ftpsi://``
(implicit TLS, port 990), ``sftp://`` and ``tftp://``.  Passwords are never
part of the URL we keep: a password in the URL is accepted but only used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from app.core.errors import QuayError
from app.core.protolog import ProtoLog
from app.core.tls import PinStore
from app.core.transfer.base import RemoteSession
from app.core.transfer.sites import DEFAULT_PORTS, Site

if TYPE_CHECKING:
    from app.core.transfer.hostkeys import HostKeyStore

__all__ = ["BadUrl", "ConnectOptions", "RemoteUrl", "make_session", "parse_url", "session_factory"]

SCHEMES = tuple(DEFAULT_PORTS)


class BadUrl(QuayError, ValueError):
    """The user gave a URL we cannot use."""


@dataclass(frozen=True)
class RemoteUrl:
    """A parsed ``scheme://user@host:port/path`` (the password, if any, kept apart and out of repr)."""

    scheme: str
    host: str
    port: int
    user: str
    path: str
    password: str | None = field(default=None, repr=False)

    @property
    def explicit_user(self) -> bool:
        return bool(self.user)

    def with_path(self, path: str) -> RemoteUrl:
        return RemoteUrl(self.scheme, self.host, self.port, self.user, path, self.password)

    def display(self) -> str:
        user = f"{self.user}@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{user}{host}:{self.port}{self.path}"


def parse_url(url: str) -> RemoteUrl:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise BadUrl(f"unsupported URL scheme {scheme!r} (use one of {', '.join(SCHEMES)})")
    if not parts.hostname:
        raise BadUrl(f"no host in {url!r}")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError as e:
        raise BadUrl(f"bad port in URL: {e}") from None
    return RemoteUrl(
        scheme=scheme,
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        path=unquote(parts.path or "") or "",
        password=unquote(parts.password) if parts.password is not None else None,
    )


@dataclass
class ConnectOptions:
    """Everything a session needs besides the address; shared by every session of a queue."""

    password: str | None = field(default=None, repr=False)
    host_keys: HostKeyStore | None = None
    accept_host_key: str | None = None
    pins: PinStore | None = None
    pin_fingerprint: str | None = None
    cafile: str | None = None
    key_filename: str | None = None
    passphrase: str | None = field(default=None, repr=False)
    allow_agent: bool = True
    ssh_config: Path | None = None
    protolog: ProtoLog | None = None
    timeout: float = 30.0
    passive: bool = True
    encoding: str | None = None


def _from_site(site: Site) -> RemoteUrl:
    return RemoteUrl(site.protocol, site.host, site.effective_port, site.user, site.remote_dir or "")


def make_session(target: str | RemoteUrl | Site, options: ConnectOptions) -> RemoteSession:
    """A new, unconnected session for ``target``."""
    if isinstance(target, Site):
        url = _from_site(target)
        if target.encoding and options.encoding is None:
            options = ConnectOptions(**{**options.__dict__, "encoding": target.encoding})
        if not target.passive:
            options = ConnectOptions(**{**options.__dict__, "passive": False})
        if target.key_file and options.key_filename is None:
            options = ConnectOptions(**{**options.__dict__, "key_filename": target.key_file})
    elif isinstance(target, RemoteUrl):
        url = target
    else:
        url = parse_url(target)
    password = options.password if options.password is not None else url.password
    if url.scheme in ("ftp", "ftps", "ftpsi"):
        from app.core.transfer.ftp import FtpSession

        security = {"ftp": "none", "ftps": "explicit", "ftpsi": "implicit"}[url.scheme]
        return FtpSession(
            url.host,
            url.port,
            url.user or "anonymous",
            password,
            security=security,  # type: ignore[arg-type]
            passive=options.passive,
            encoding=options.encoding,
            timeout=options.timeout,
            pins=options.pins,
            pin=options.pin_fingerprint,
            cafile=options.cafile,
            protolog=options.protolog,
        )
    if url.scheme == "sftp":
        from app.core.transfer.hostkeys import HostKeyStore
        from app.core.transfer.sftp import SftpSession

        store = options.host_keys or HostKeyStore(None)
        return SftpSession(
            url.host,
            url.port if url.port != 22 else None,
            url.user or None,
            password,
            host_keys=store,
            accept_fingerprint=options.accept_host_key,
            key_filename=options.key_filename,
            passphrase=options.passphrase,
            allow_agent=options.allow_agent,
            ssh_config=options.ssh_config,
            timeout=options.timeout,
            protolog=options.protolog,
        )
    if url.scheme == "tftp":
        from app.core.transfer.tftp import TftpSession

        return TftpSession(url.host, url.port)
    raise BadUrl(f"unsupported scheme {url.scheme!r}")


def session_factory(target: str | RemoteUrl | Site, options: ConnectOptions) -> Callable[[], RemoteSession]:
    """A factory the transfer queue calls once per worker."""
    resolved: RemoteUrl | Site = parse_url(target) if isinstance(target, str) else target

    def factory() -> RemoteSession:
        return make_session(resolved, options)

    return factory
