"""Saved file-transfer sites, and imports from FileZilla's ``sitemanager.xml`` and OpenSSH's config.

Sites are stored as JSON in the config folder *without secrets*: a site's
password lives in the keyring under :func:`site_secret_key`.  FileZilla keeps
passwords base64-encoded in its XML; the importer decodes each one straight
into the keyring (via :class:`app.core.secrets.SecretStore`) and never writes it
anywhere else.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import uuid
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from app.core.errors import LocalIOError, ProtocolError
from app.core.secrets import KeyringUnavailable, SecretStore, secret_key

__all__ = [
    "ImportReport",
    "Site",
    "SiteStore",
    "import_filezilla",
    "import_openssh_config",
    "site_secret_key",
]

Protocol = Literal["ftp", "ftps", "ftpsi", "sftp", "tftp"]
DEFAULT_PORTS: dict[str, int] = {"ftp": 21, "ftps": 21, "ftpsi": 990, "sftp": 22, "tftp": 69}
SITES_VERSION = 1


@dataclass
class Site:
    """One saved server.  ``auth``: ``password``, ``key``, ``agent``, ``interactive``, ``anonymous``, ``ask``."""

    name: str
    protocol: Protocol
    host: str
    port: int | None = None
    user: str = ""
    auth: str = "password"
    key_file: str | None = None
    local_dir: str | None = None
    remote_dir: str | None = None
    encoding: str | None = None
    passive: bool = True
    max_connections: int = 2
    comment: str = ""
    folder: str = ""  # the site manager's folder path, "/"-separated
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.protocol]

    def to_url(self) -> str:
        """``scheme://user@host:port/remote_dir`` (never with a password)."""
        from urllib.parse import quote

        user = f"{quote(self.user, safe='')}@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        path = self.remote_dir or ""
        if path and not path.startswith("/"):
            path = "/" + path
        return f"{self.protocol}://{user}{host}:{self.effective_port}{quote(path)}"


def site_secret_key(site: Site) -> str:
    """The keyring key holding this site's password (see :func:`app.core.secrets.secret_key`)."""
    kind = "ftp" if site.protocol in ("ftps", "ftpsi") else site.protocol
    return secret_key(kind, site.user, site.host, site.effective_port)


class SiteStore:
    """Sites in ``sites.json`` (config folder); secrets only through ``secrets``."""

    def __init__(self, path: Path, secrets: SecretStore | None = None) -> None:
        self.path = path
        self.secrets = secrets or SecretStore()
        self._sites: list[Site] = self._load()

    def _load(self) -> list[Site]:
        if not self.path.is_file():
            return []
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise LocalIOError(f"cannot read the site list {self.path}: {e}") from e
        names = {f.name for f in fields(Site)}
        out: list[Site] = []
        for raw in data.get("sites", []):
            if isinstance(raw, dict) and raw.get("protocol") in DEFAULT_PORTS:
                out.append(Site(**{k: v for k, v in raw.items() if k in names}))
        return out

    def save(self) -> None:
        data = {"version": SITES_VERSION, "sites": [asdict(s) for s in self._sites]}
        text = json.dumps(data, indent=2, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, self.path)
        except OSError as e:
            raise LocalIOError(f"cannot save the site list {self.path}: {e.strerror}") from e

    def all(self) -> list[Site]:
        return list(self._sites)

    def get(self, name_or_id: str) -> Site | None:
        for s in self._sites:
            if s.id == name_or_id or s.name == name_or_id:
                return s
        return None

    def add(self, site: Site, password: str | None = None) -> Site:
        """Add (or replace, by id) a site; ``password`` goes to the keyring only."""
        self.put(site)
        if password:
            self.secrets.set(site_secret_key(site), password)
        self.save()
        return site

    def put(self, site: Site) -> None:
        """Add or replace (by id) without saving (importers save once at the end)."""
        self._sites = [s for s in self._sites if s.id != site.id]
        self._sites.append(site)

    def remove(self, name_or_id: str, *, forget_password: bool = True) -> None:
        site = self.get(name_or_id)
        if site is None:
            return
        self._sites = [s for s in self._sites if s.id != site.id]
        if forget_password:
            self.secrets.delete(site_secret_key(site))
        self.save()

    def password(self, site: Site) -> str | None:
        return self.secrets.get(site_secret_key(site))


# --- FileZilla ---------------------------------------------------------------------------------

_FZ_PROTOCOLS: dict[str, Protocol] = {"0": "ftp", "1": "sftp", "3": "ftpsi", "4": "ftps", "6": "ftp"}
# FileZilla Logontype: 0 anonymous, 1 normal, 2 ask, 3 interactive, 4 account, 5 key file.
_FZ_AUTH = {"0": "anonymous", "1": "password", "2": "ask", "3": "interactive", "4": "password", "5": "key"}


@dataclass
class ImportReport:
    """What an import did: sites added, passwords stored in the keyring, entries skipped (with why)."""

    sites: list[Site] = field(default_factory=list)
    passwords_stored: int = 0
    skipped: list[str] = field(default_factory=list)


def _text(el: ET.Element, tag: str) -> str:
    child = el.find(tag)
    return (child.text or "").strip() if child is not None else ""


def import_filezilla(xml_text: str | bytes, store: SiteStore) -> ImportReport:
    """Import every ``<Server>`` of a FileZilla ``sitemanager.xml`` (folders kept as ``Site.folder``).

    Base64 ``<Pass encoding="base64">`` values are decoded straight into the
    keyring; master-password-encrypted ones (``encoding="crypt"``) cannot be
    read and are reported as skipped passwords (the site is still imported).
    """
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as e:
        raise ProtocolError(f"not a FileZilla site manager file: {e}") from e
    report = ImportReport()
    servers = root.find("Servers")
    if servers is None:
        return report
    _walk_fz(servers, "", store, report)
    store.save()
    return report


def _walk_fz(el: ET.Element, folder: str, store: SiteStore, report: ImportReport) -> None:
    for child in el:
        if child.tag == "Folder":
            name = (child.text or "").strip() or "folder"
            _walk_fz(child, f"{folder}/{name}" if folder else name, store, report)
        elif child.tag == "Server":
            _import_fz_server(child, folder, store, report)


def _import_fz_server(el: ET.Element, folder: str, store: SiteStore, report: ImportReport) -> None:
    name = _text(el, "Name") or _text(el, "Host") or "site"
    proto = _FZ_PROTOCOLS.get(_text(el, "Protocol") or "0")
    host = _text(el, "Host")
    if proto is None or not host:
        report.skipped.append(f"{name}: unsupported protocol or no host")
        return
    try:
        port = int(_text(el, "Port") or 0) or None
    except ValueError:
        port = None
    logon = _text(el, "Logontype") or "1"
    encoding = _text(el, "EncodingType")
    custom = _text(el, "CustomEncoding")
    site = Site(
        name=name,
        protocol=proto,
        host=host,
        port=port,
        user=_text(el, "User"),
        auth=_FZ_AUTH.get(logon, "password"),
        key_file=_text(el, "Keyfile") or None,
        local_dir=_text(el, "LocalDir") or None,
        remote_dir=_fz_remote_dir(_text(el, "RemoteDir")),
        encoding=custom if encoding == "Custom" and custom else None,
        passive=_text(el, "PasvMode") != "MODE_ACTIVE",
        max_connections=_fz_int(_text(el, "MaximumMultipleConnections"), 2),
        comment=_text(el, "Comments"),
        folder=folder,
    )
    if site.auth == "anonymous":
        site.user = site.user or "anonymous"
    pass_el = el.find("Pass")
    password: str | None = None
    if pass_el is not None and (pass_el.text or "").strip():
        enc = pass_el.get("encoding", "")
        raw = (pass_el.text or "").strip()
        if enc == "base64":
            try:
                password = base64.b64decode(raw, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                report.skipped.append(f"{name}: password not valid base64")
        elif enc == "crypt":
            report.skipped.append(f"{name}: password encrypted with FileZilla's master password")
        else:
            password = raw  # very old FileZilla versions stored it in the clear
    store.put(site)
    if password:
        try:
            store.secrets.set(site_secret_key(site), password)
        except KeyringUnavailable:
            report.skipped.append(f"{name}: password not imported (no system keyring to keep it in)")
        else:
            report.passwords_stored += 1
    report.sites.append(site)


def _fz_int(text: str, default: int) -> int:
    try:
        value = int(text)
    except ValueError:
        return default
    return value if value > 0 else default


def _fz_remote_dir(text: str) -> str | None:
    """FileZilla's RemoteDir ``1 0 4 home 5 alice``: server type, prefix length (+ prefix), then
    length-prefixed segments (a segment may contain spaces, hence the lengths).  None when malformed."""
    pos = 0

    def token() -> str:
        nonlocal pos
        end = text.find(" ", pos)
        if end < 0:
            end = len(text)
        out = text[pos:end]
        pos = end + 1
        return out

    try:
        token()  # server type
        prefix_len = int(token())
        if prefix_len < 0:
            return None
        pos += prefix_len + (1 if prefix_len else 0)
        parts: list[str] = []
        while pos < len(text):
            n = int(token())
            if n <= 0 or pos + n > len(text):
                return None
            parts.append(text[pos : pos + n])
            pos += n + 1
    except ValueError:
        return None
    return "/" + "/".join(parts) if parts else None


# --- OpenSSH config ----------------------------------------------------------------------------


def import_openssh_config(config_path: Path, store: SiteStore) -> ImportReport:
    """One SFTP site per concrete ``Host`` alias (patterns with ``*``/``?``/``!`` are skipped).

    The site keeps the alias as its host, so connecting applies the config's
    HostName, Port, User and IdentityFile at connect time.
    """
    import paramiko

    report = ImportReport()
    try:
        cfg = paramiko.SSHConfig.from_path(str(config_path))
    except (OSError, paramiko.SSHException) as e:
        raise LocalIOError(f"cannot read {config_path}: {e}") from e
    existing = {(s.protocol, s.host) for s in store.all()}
    for alias in sorted(cfg.get_hostnames()):
        if any(c in alias for c in "*?!") or not alias:
            continue
        values: dict[str, Any] = dict(cfg.lookup(alias))
        if ("sftp", alias) in existing:
            report.skipped.append(f"{alias}: already a site")
            continue
        keys = values.get("identityfile") or []
        site = Site(
            name=alias,
            protocol="sftp",
            host=alias,
            port=int(values["port"]) if "port" in values else None,
            user=str(values.get("user") or ""),
            auth="key" if keys else "agent",
            key_file=str(keys[0]) if keys else None,
            comment=f"imported from {config_path.name} (HostName {values.get('hostname', alias)})",
        )
        store.put(site)
        report.sites.append(site)
    store.save()
    return report
