"""Saved file-transfer sites, and imports from FileZilla's ``sitemanager.xml`` and OpenSSH's config.

A :class:`Site` is a :class:`~app.core.accounts.ServerRecord` of kind ``ftp``,
``sftp`` or ``tftp``; FTPS is ``ftp`` with ``Security.STARTTLS`` (explicit,
``AUTH TLS``) or ``Security.TLS`` (implicit). Sites are stored as JSON
(``AppPaths.sites_file``) *without secrets*: a site's password lives in the
keyring under :attr:`Site.secret_key`. FileZilla keeps passwords
base64-encoded in its XML; the importer decodes each one straight into the
keyring (via :class:`app.core.secrets.SecretStore`) and never writes it
anywhere else.

File versions: 1 had ``protocol`` = ``ftp|ftps|ftpsi|sftp|tftp``; 2 has
``kind`` + ``security`` (``ftps`` -> ftp + starttls, ``ftpsi`` -> ftp + tls,
``ftp`` -> ftp + none) and the fields the GUI needs (``public_url_prefix``,
``transfer_mode``, ``allow_plaintext``, ``order``).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast
from urllib.parse import quote

from app.core.accounts import FILE_KINDS, RecordFile, ServerRecord, record_from_dict
from app.core.errors import BadRecord, LocalIOError, ProtocolError, QuayError, UnknownSecurity
from app.core.secrets import KeyringUnavailable, SecretStore
from app.core.urls import DEFAULT_PORTS, Security, scheme_for

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

__all__ = [
    "TRANSFER_MODES",
    "ImportReport",
    "Site",
    "SiteStore",
    "import_filezilla",
    "import_openssh_config",
    "site_secret_key",
]


def _new_id() -> str:
    """A random record id (32 hex digits, like ``uuid4().hex``) without importing uuid at start-up."""
    return os.urandom(16).hex()


SITES_VERSION = 2

#: The Files tab's early per-site settings file (read once, merged into ``sites.json``, removed).
LEGACY_EXTRAS_NAME = "site-extras.json"

#: FTP data type: ``binary`` (every byte as it is; the default), ``auto`` (ASCII mode, converting line
#: endings, for common text extensions: ``app.core.services.TEXT_EXTENSIONS``), ``ascii`` (everything).
TRANSFER_MODES = ("binary", "auto", "ascii")

#: The scheme words of sites.json version 1 (and of URLs): -> (kind, security).
_LEGACY_PROTOCOLS: dict[str, tuple[str, Security]] = {
    "ftp": ("ftp", Security.NONE),
    "ftps": ("ftp", Security.STARTTLS),
    "ftpes": ("ftp", Security.STARTTLS),
    "ftpsi": ("ftp", Security.TLS),
    "sftp": ("sftp", Security.SSH),
    "tftp": ("tftp", Security.NONE),
}


@dataclass
class Site(ServerRecord):
    """One saved file server.

    ``auth``: ``password``, ``ask``, ``anonymous``, ``key``, ``agent``, ``interactive``, ``auto``
    (SFTP: keys/agent, then a known password) or ``none`` (TFTP). ``security`` left empty means
    the kind's usual one (explicit FTPS for ``ftp``, SSH for ``sftp``, none for ``tftp``);
    ``port`` 0 (or None) the usual port. For compatibility ``kind`` also accepts the old
    protocol words ``ftps``/``ftpsi``. ``public_url_prefix`` is where the files under
    ``remote_dir`` can be downloaded over HTTP(S) (the composer's big-attachment links);
    ``local_dir``/``remote_dir`` are the folders the file panes open on.
    """

    kinds: ClassVar[tuple[str, ...]] = FILE_KINDS

    name: str
    kind: str
    host: str
    port: int = 0
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
    id: str = field(default_factory=lambda: _new_id())
    security: Security = field(default=cast(Security, ""))  # "": the kind's usual security (see above)
    allow_plaintext: bool = False
    public_url_prefix: str = ""
    transfer_mode: str = "binary"
    order: int = 0

    def __post_init__(self) -> None:
        legacy = _LEGACY_PROTOCOLS.get(self.kind)
        if legacy is not None and self.kind != legacy[0]:
            wanted = legacy[1]
            if self.security and Security.parse(self.security) is not wanted:
                raise BadRecord(
                    f"{self.name}: {self.kind!r} means {wanted.value}, not {self.security}",
                    record=self.name,
                    field="security",
                )
            self.kind, self.security = legacy
        if self.port is None:
            self.port = 0
        self._normalise()
        if self.kind == "tftp" and self.auth == "password":
            self.auth = "none"
        if self.transfer_mode not in TRANSFER_MODES:
            raise BadRecord(
                f"{self.name}: unknown transfer mode {self.transfer_mode!r}", record=self.name, field="transfer_mode"
            )
        if not 1 <= int(self.max_connections) <= 10:
            self.max_connections = max(1, min(10, int(self.max_connections)))

    def _record_name(self) -> str:
        return self.name or f"{self.kind} {self.host}"

    @property
    def label(self) -> str:
        return self.name or super().label

    @property
    def effective_port(self) -> int:
        return self.port

    @property
    def scheme(self) -> str:
        """The URL scheme naming kind and security: ``ftp``, ``ftps`` (explicit), ``ftpsi`` (implicit), ..."""
        return scheme_for(self.kind, self.security)

    def to_url(self) -> str:
        """``scheme://user@host:port/remote_dir`` (never with a password)."""
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        path = self.remote_dir or ""
        if path and not path.startswith("/"):
            path = "/" + path
        return f"{self.scheme}://{user}{host}:{self.port}{quote(path)}"

    def public_url(self, remote_path: str) -> str | None:
        """The HTTP(S) address of ``remote_path`` under :attr:`public_url_prefix`, or None when it has none."""
        if not self.public_url_prefix:
            return None
        base = (self.remote_dir or "/").rstrip("/") + "/"
        rel = remote_path[len(base) :] if remote_path.startswith(base) else remote_path.lstrip("/")
        return self.public_url_prefix.rstrip("/") + "/" + quote(rel)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["security"] = self.security.value
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Site:
        return record_from_dict(cls, d)


def site_secret_key(site: Site) -> str:
    """The keyring key holding this site's password (:attr:`Site.secret_key`)."""
    return site.secret_key


def _sites_v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """``protocol`` -> ``kind`` + ``security``; an empty port becomes the usual one."""
    out: list[Any] = []
    for raw in doc.get("sites", []):
        if isinstance(raw, dict) and "protocol" in raw and "kind" not in raw:
            d = {k: v for k, v in raw.items() if k != "protocol"}
            proto = str(raw["protocol"]).lower()
            kind, security = _LEGACY_PROTOCOLS.get(proto, (proto, Security.NONE))
            d["kind"] = kind
            if proto in _LEGACY_PROTOCOLS:
                d["security"] = security.value
            else:
                d["security"] = proto  # refused when read (unknown), kept as written
            if not d.get("port"):
                d["port"] = DEFAULT_PORTS.get((kind, security), 0)
            out.append(d)
        else:
            out.append(raw)
    return {**doc, "version": 2, "sites": out}


class SiteStore:
    """Sites in ``sites.json`` (``AppPaths.sites_file``); secrets only through ``secrets``.

    Thread-safe. ``problems`` lists the entries that could not be read; they are kept and saved back.
    """

    def __init__(self, path: Path, secrets: SecretStore | None = None) -> None:
        self.path = path
        self.secrets = secrets or SecretStore()
        self._lock = threading.Lock()
        self._file = RecordFile(
            path, items="sites", version=SITES_VERSION, migrations={1: _sites_v1_to_v2}, what="the site list"
        )
        self._unreadable: list[Any] = []
        self.problems: list[QuayError] = []
        self._sites: list[Site] = []
        for raw in self._file.load():
            try:
                self._sites.append(Site.from_dict(raw))
            except (BadRecord, UnknownSecurity) as e:
                self._unreadable.append(raw)
                self.problems.append(e)
        self._merge_legacy_extras()

    def _merge_legacy_extras(self) -> None:
        """Fold the Files tab's old ``site-extras.json`` (settings by site id) into the sites, once.

        Early versions of the Files tab kept ``public_url_prefix`` and ``transfer_mode`` there, beside
        ``sites.json``; they are fields of :class:`Site` now. The file is removed after the sites are
        saved with its values (left alone while the site list cannot be written).
        """
        extras = self.path.with_name(LEGACY_EXTRAS_NAME)
        if not extras.is_file() or self._file.newer:
            return
        try:
            data = json.loads(extras.read_text("utf-8"))
        except (OSError, ValueError):
            data = {}
        changed = False
        for site in self._sites:
            values = data.get(site.id) if isinstance(data, dict) else None
            if not isinstance(values, dict):
                continue
            prefix = values.get("public_url_prefix")
            if isinstance(prefix, str) and prefix.strip() and not site.public_url_prefix:
                site.public_url_prefix = prefix.strip()
                changed = True
            mode = values.get("transfer_mode")
            if mode in TRANSFER_MODES and mode != site.transfer_mode:
                site.transfer_mode = str(mode)
                changed = True
        if changed:
            self.save()
        with contextlib.suppress(OSError):
            extras.unlink()

    def save(self) -> None:
        with self._lock:
            records = [s.to_dict() for s in self._sites] + self._unreadable
        self._file.save(records)

    def all(self) -> list[Site]:
        """Every readable site, in the user's order."""
        with self._lock:
            return sorted(self._sites, key=lambda s: s.order)

    def get(self, name_or_id: str) -> Site | None:
        with self._lock:
            for s in self._sites:
                if s.id == name_or_id or s.name == name_or_id:
                    return s
        return None

    def add(self, site: Site, password: str | None = None) -> Site:
        """Add (or replace, by id) a site and save; ``password`` goes to the keyring only."""
        self.put(site)
        if password:
            self.secrets.set(site.secret_key, password)
        self.save()
        return site

    def put(self, site: Site) -> None:
        """Add or replace (by id) without saving (importers save once at the end)."""
        with self._lock:
            self._sites = [s for s in self._sites if s.id != site.id]
            self._sites.append(site)

    def remove(self, name_or_id: str, *, forget_password: bool = True) -> None:
        site = self.get(name_or_id)
        if site is None:
            return
        with self._lock:
            self._sites = [s for s in self._sites if s.id != site.id]
        if forget_password:
            self.secrets.delete(site.secret_key)
        self.save()

    def password(self, site: Site) -> str | None:
        return self.secrets.get(site.secret_key)


# --- FileZilla ---------------------------------------------------------------------------------

#: FileZilla ``Protocol`` -> (kind, security). 0 is FileZilla's default, "FTP, use explicit TLS if
#: available": imported as explicit FTPS *required* (a server without TLS is then refused, with a
#: clear StartTlsUnavailable, rather than silently getting the password in clear). 6 is "plain FTP
#: (insecure)", chosen explicitly in FileZilla; its password still needs consent in Quay.
_FZ_PROTOCOLS: dict[str, tuple[str, Security]] = {
    "0": ("ftp", Security.STARTTLS),
    "1": ("sftp", Security.SSH),
    "3": ("ftp", Security.TLS),
    "4": ("ftp", Security.STARTTLS),
    "6": ("ftp", Security.NONE),
}
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
    import xml.etree.ElementTree as ET  # only for an import: not at start-up

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
        port = int(_text(el, "Port") or 0)
    except ValueError:
        port = 0
    encoding = _text(el, "EncodingType")
    custom = _text(el, "CustomEncoding")
    kind, security = proto
    try:
        site = Site(
            name=name,
            kind=kind,
            security=security,
            host=host,
            port=port if 0 < port < 65536 else 0,
            user=_text(el, "User"),
            auth=_FZ_AUTH.get(_text(el, "Logontype") or "1", "password"),
            key_file=_text(el, "Keyfile") or None,
            local_dir=_text(el, "LocalDir") or None,
            remote_dir=_fz_remote_dir(_text(el, "RemoteDir")),
            encoding=custom if encoding == "Custom" and custom else None,
            passive=_text(el, "PasvMode") != "MODE_ACTIVE",
            max_connections=_fz_int(_text(el, "MaximumMultipleConnections"), 2),
            comment=_text(el, "Comments"),
            folder=folder,
        )
    except (BadRecord, UnknownSecurity) as e:
        report.skipped.append(f"{name}: {e}")
        return
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
    if password and site.saves_password:
        try:
            store.secrets.set(site.secret_key, password)
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
        raise LocalIOError(f"cannot read {config_path}: {e}", path=str(config_path)) from e
    existing = {(s.kind, s.host) for s in store.all()}
    for alias in sorted(cfg.get_hostnames()):
        if any(c in alias for c in "*?!") or not alias:
            continue
        values: dict[str, Any] = dict(cfg.lookup(alias))
        if ("sftp", alias) in existing:
            report.skipped.append(f"{alias}: already a site")
            continue
        keys = values.get("identityfile") or []
        try:
            port = int(values.get("port", 0))
        except ValueError:
            port = 0
        site = Site(
            name=alias,
            kind="sftp",
            host=alias,
            port=port if 0 < port < 65536 else 0,
            user=str(values.get("user") or ""),
            auth="key" if keys else "agent",
            key_file=str(keys[0]) if keys else None,
            comment=f"imported from {config_path.name} (HostName {values.get('hostname', alias)})",
        )
        store.put(site)
        report.sites.append(site)
    store.save()
    return report
