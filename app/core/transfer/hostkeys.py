"""SSH host key checking: the user's ``~/.ssh/known_hosts`` (read-only) plus Quay's own known_hosts file.

An unknown key raises :class:`UnknownHostKey` carrying its type and SHA-256
fingerprint so the UI can ask; :meth:`HostKeyStore.accept` then records it in
Quay's file. Refusals, with no override (the old key must be removed explicitly:
:meth:`HostKeyStore.remove`, or ``ssh-keygen -R`` for the user's own file, which
Quay never writes):

1. a key that differs from a known key for the host raises :class:`HostKeyChanged`;
2. so does a key of *another type* when any key is known for the host: a
   man in the middle without the real key would offer a type we hold nothing
   for (OpenSSH avoids this by only negotiating known types; we check);
3. a key listed ``@revoked`` for the host raises :class:`HostKeyRevoked`.

Files are read line by line (OpenSSH's ``known_hosts`` format: comma-separated
host patterns with ``*``/``?`` wildcards and ``!`` negation, hashed ``|1|``
entries, ``[host]:port`` for other ports). Lines we do not support
(``@cert-authority``, unknown markers) and damaged lines are skipped with a note
in the log; a bad line never breaks the others.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import hashlib
import hmac
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import paramiko

from app.core.errors import Bug, HostKeyChanged, HostKeyInfo, HostKeyRevoked, UnknownHostKey
from app.core.fileio import atomic_write

__all__ = [
    "HostKeyStore",
    "KnownHostsLine",
    "KnownKey",
    "default_user_files",
    "fingerprint_sha256",
    "host_entry_name",
    "parse_known_hosts",
]

log = logging.getLogger(__name__)

REVOKED = "@revoked"
CERT_AUTHORITY = "@cert-authority"


def default_user_files() -> list[Path]:
    """The user's own OpenSSH known_hosts (read, never written)."""
    return [Path.home() / ".ssh" / "known_hosts"]


def fingerprint_sha256(key_blob: bytes) -> str:
    """``SHA256:base64`` without padding, exactly as ``ssh-keygen -l`` prints it."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(key_blob).digest()).decode("ascii").rstrip("=")


def host_entry_name(host: str, port: int) -> str:
    """The known_hosts host field: ``host`` for port 22, ``[host]:port`` otherwise (OpenSSH's rule)."""
    return host if port == 22 else f"[{host}]:{port}"


@dataclass(frozen=True)
class KnownKey:
    """One key line for a host: its type, fingerprint, key bytes, marker, and which file it came from."""

    key_type: str
    fingerprint_sha256: str
    source: Path
    read_only: bool
    blob: bytes = b""
    marker: str = ""  # "" (trusted) or "@revoked"
    line: int = 0


@dataclass(frozen=True)
class KnownHostsLine:
    """One usable known_hosts line: host patterns, marker (``""`` or ``@revoked``), key type and bytes."""

    patterns: tuple[str, ...]
    marker: str
    key_type: str
    blob: bytes
    number: int


def _blob_type(blob: bytes) -> str | None:
    """The key type named inside an SSH public key blob (``string`` at its start), None if damaged."""
    if len(blob) < 4:
        return None
    n = int.from_bytes(blob[:4], "big")
    if n <= 0 or 4 + n > len(blob):
        return None
    try:
        return blob[4 : 4 + n].decode("ascii")
    except UnicodeDecodeError:
        return None


def parse_known_hosts(text: str, source: str = "known_hosts") -> list[KnownHostsLine]:
    """Every usable line of a known_hosts file; skipped lines are noted in the log (never an exception)."""
    out: list[KnownHostsLine] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = line.split()
        marker = ""
        if words[0].startswith("@"):
            marker = words[0].lower()
            words = words[1:]
            if marker == CERT_AUTHORITY:
                log.info("%s line %d: @cert-authority entries are not supported; skipped", source, number)
                continue
            if marker != REVOKED:
                log.warning("%s line %d: unknown marker %s; skipped", source, number, marker)
                continue
        if len(words) < 3:
            log.warning("%s line %d: not a host key line; skipped", source, number)
            continue
        hosts, key_type, b64 = words[0], words[1], words[2]
        try:
            blob = base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            log.warning("%s line %d: the key is not valid base64; skipped", source, number)
            continue
        if _blob_type(blob) != key_type:
            log.warning("%s line %d: the key does not match its type %s; skipped", source, number, key_type)
            continue
        out.append(KnownHostsLine(tuple(p for p in hosts.split(",") if p), marker, key_type, blob, number))
    return out


def _pattern_matches(pattern: str, name: str) -> bool:
    if pattern.startswith("|1|"):
        parts = pattern.split("|")
        if len(parts) != 4:
            return False
        try:
            salt = base64.b64decode(parts[2], validate=True)
            want = base64.b64decode(parts[3], validate=True)
        except (binascii.Error, ValueError):
            return False
        return hmac.compare_digest(hmac.new(salt, name.encode("utf-8"), hashlib.sha1).digest(), want)
    if "*" in pattern or "?" in pattern:
        return fnmatch.fnmatchcase(name.lower(), pattern.lower().replace("[", "[[]"))
    return pattern.lower() == name.lower()


def _hosts_match(patterns: tuple[str, ...], name: str) -> bool:
    """OpenSSH's rule: some pattern matches and no negated (``!``) pattern does."""
    matched = False
    for p in patterns:
        if p.startswith("!"):
            if _pattern_matches(p[1:], name):
                return False
        elif _pattern_matches(p, name):
            matched = True
    return matched


class HostKeyStore:
    """Known host keys from the user's OpenSSH file (never written) and Quay's own file.

    Thread-safe: several transfer workers may connect at once. Files are parsed once and
    read again only when they change.
    """

    def __init__(self, quay_file: Path | None, user_files: list[Path] | None = None) -> None:
        self.quay_file = quay_file
        self.user_files = list(user_files) if user_files is not None else default_user_files()
        self._lock = threading.Lock()
        self._parsed: dict[Path, tuple[tuple[int, int], list[KnownHostsLine]]] = {}
        # Keys seen by check() but not yet trusted: (host, port, fingerprint) -> key, so accept(info) can save it.
        self._pending: dict[tuple[str, int, str], paramiko.PKey] = {}

    # --- reading ------------------------------------------------------------------

    def _lines(self, path: Path) -> list[KnownHostsLine]:
        try:
            st = path.stat()
        except OSError:
            return []
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            cached = self._parsed.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            text = path.read_text("utf-8", errors="replace")
        except OSError as e:
            log.warning("cannot read %s (%s); no keys used from it", path, e.strerror or e)
            return []
        lines = parse_known_hosts(text, str(path))
        with self._lock:
            self._parsed[path] = (stamp, lines)
        return lines

    def _sources(self) -> list[tuple[Path, bool]]:
        out = [(p, True) for p in self.user_files]
        if self.quay_file is not None:
            out.append((self.quay_file, False))
        return out

    def entries(self, host: str, port: int) -> list[KnownKey]:
        """Every line naming ``host:port`` in all files, ``@revoked`` ones included."""
        name = host_entry_name(host, port)
        found: list[KnownKey] = []
        for path, read_only in self._sources():
            for ln in self._lines(path):
                if _hosts_match(ln.patterns, name):
                    found.append(
                        KnownKey(
                            ln.key_type, fingerprint_sha256(ln.blob), path, read_only, ln.blob, ln.marker, ln.number
                        )
                    )
        return found

    def known(self, host: str, port: int) -> list[KnownKey]:
        """The trusted keys held for ``host:port`` (not the revoked ones)."""
        return [k for k in self.entries(host, port) if not k.marker]

    def known_types(self, host: str, port: int) -> list[str]:
        """Key types we hold for the host, to ask the server for one of those first (as OpenSSH does)."""
        seen: list[str] = []
        for known in self.known(host, port):
            if known.key_type not in seen:
                seen.append(known.key_type)
        return seen

    # --- checking -------------------------------------------------------------------

    def check(self, host: str, port: int, key: paramiko.PKey, *, accept_fingerprint: str | None = None) -> None:
        """Return quietly when ``key`` is known for host:port; else raise (see the module docstring).

        ``accept_fingerprint`` (``SHA256:...``, e.g. from ``--accept-host-key``)
        trusts an *unknown* key whose fingerprint matches and saves it; it never
        overrides a changed or revoked key.
        """
        blob = key.asbytes()
        info = HostKeyInfo(host, port, key.get_name(), fingerprint_sha256(blob))
        entries = self.entries(host, port)
        for e in entries:
            if e.marker == REVOKED and e.blob == blob:
                raise HostKeyRevoked(info, str(e.source))
        trusted = [e for e in entries if not e.marker]
        if any(e.blob == blob for e in trusted):
            return
        if trusted:
            same_type = [e for e in trusted if e.key_type == info.key_type]
            ref = (same_type or trusted)[0]
            raise HostKeyChanged(info, ref.fingerprint_sha256, known_type=ref.key_type)
        with self._lock:
            self._pending[(host, port, info.fingerprint_sha256)] = key
        if accept_fingerprint is not None and _same_fingerprint(accept_fingerprint, info.fingerprint_sha256):
            self.accept(info)
            return
        raise UnknownHostKey(info)

    def accept(self, info: HostKeyInfo) -> None:
        """Trust the key described by ``info`` (seen by :meth:`check`) by adding it to Quay's file."""
        with self._lock:
            key = self._pending.pop((info.host, info.port, info.fingerprint_sha256), None)
        if key is None:
            raise Bug(f"no host key {info.fingerprint_sha256} was seen for {info.host}:{info.port}")
        self.add(info.host, info.port, key)

    def add(self, host: str, port: int, key: paramiko.PKey) -> None:
        """Append one key to Quay's file (atomically rewritten, mode 0600)."""
        if self.quay_file is None:
            raise Bug("this host key store has no file of its own to write")
        line = f"{host_entry_name(host, port)} {key.get_name()} {key.get_base64()}\n"
        with self._lock:
            old = self.quay_file.read_text(encoding="utf-8") if self.quay_file.is_file() else ""
            if old and not old.endswith("\n"):
                old += "\n"
            self._write(old + line)

    def remove(self, host: str, port: int) -> int:
        """Forget every key Quay's own file holds for host:port (the explicit step after a key change).

        Returns how many lines were removed.  Keys in the user's OpenSSH file are
        left alone (``ssh-keygen -R`` is the user's tool for that).
        """
        if self.quay_file is None or not self.quay_file.is_file():
            return 0
        name = host_entry_name(host, port)
        with self._lock:
            kept: list[str] = []
            removed = 0
            for line in self.quay_file.read_text(encoding="utf-8").splitlines():
                if _line_matches(line, name):
                    removed += 1
                else:
                    kept.append(line)
            if removed:
                self._write("".join(f"{x}\n" for x in kept))
        return removed

    def _write(self, text: str) -> None:
        assert self.quay_file is not None
        atomic_write(self.quay_file, text, mode=0o600, what=f"the known host keys ({self.quay_file})")
        self._parsed.pop(self.quay_file, None)


def _same_fingerprint(a: str, b: str) -> bool:
    def norm(fp: str) -> str:
        fp = fp.strip()
        if fp.upper().startswith("SHA256:"):
            fp = fp[7:]
        return fp.rstrip("=")

    return norm(a) == norm(b)


def _line_matches(line: str, name: str) -> bool:
    """Does a known_hosts line name ``name`` (plain or hashed)?"""
    fields = line.split()
    if not fields or line.lstrip().startswith("#"):
        return False
    hosts = fields[1] if fields[0].startswith("@") and len(fields) > 1 else fields[0]
    return any(
        pattern == name or (pattern.startswith("|1|") and _pattern_matches(pattern, name))
        for pattern in hosts.split(",")
    )
