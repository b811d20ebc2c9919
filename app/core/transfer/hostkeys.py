"""SSH host key checking: the user's ``~/.ssh/known_hosts`` (read-only) plus Quay's own known_hosts file.

An unknown key raises :class:`UnknownHostKey` carrying its type and SHA-256
fingerprint so the UI can ask; :meth:`HostKeyStore.accept` then records it in
Quay's file.  A key that differs from a known one of the same type raises
:class:`HostKeyChanged` and is refused; there is no override -- the old key must
be removed explicitly (:meth:`HostKeyStore.remove`, or ``ssh-keygen -R`` for the
user's own file, which Quay never writes).
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import paramiko
from paramiko.hostkeys import HostKeys

from app.core.errors import Bug, HostKeyChanged, HostKeyInfo, LocalIOError, UnknownHostKey

__all__ = ["HostKeyStore", "KnownKey", "fingerprint_sha256", "host_entry_name"]


def fingerprint_sha256(key_blob: bytes) -> str:
    """``SHA256:base64`` without padding, exactly as ``ssh-keygen -l`` prints it."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(key_blob).digest()).decode("ascii").rstrip("=")


def host_entry_name(host: str, port: int) -> str:
    """The known_hosts host field: ``host`` for port 22, ``[host]:port`` otherwise (OpenSSH's rule)."""
    return host if port == 22 else f"[{host}]:{port}"


@dataclass(frozen=True)
class KnownKey:
    """One key we hold for a host, and which file it came from."""

    key_type: str
    fingerprint_sha256: str
    source: Path
    read_only: bool


class HostKeyStore:
    """Known host keys from the user's OpenSSH file (never written) and Quay's own file.

    Thread-safe: several transfer workers may connect at once.
    """

    def __init__(self, quay_file: Path | None, user_files: list[Path] | None = None) -> None:
        self.quay_file = quay_file
        if user_files is None:
            user_files = [Path.home() / ".ssh" / "known_hosts"]
        self.user_files = list(user_files)
        self._lock = threading.Lock()
        # Keys seen by check() but not yet trusted: (host, port, fingerprint) -> key, so accept(info) can save it.
        self._pending: dict[tuple[str, int, str], paramiko.PKey] = {}

    # --- reading ------------------------------------------------------------------

    @staticmethod
    def _load(path: Path) -> HostKeys:
        keys = HostKeys()
        if path.is_file():
            try:
                keys.load(str(path))
            except (OSError, UnicodeDecodeError, paramiko.SSHException):
                pass  # an unreadable or damaged file knows nothing; never crash on it
        return keys

    def _sources(self) -> list[tuple[Path, bool]]:
        out = [(p, True) for p in self.user_files]
        if self.quay_file is not None:
            out.append((self.quay_file, False))
        return out

    def known(self, host: str, port: int) -> list[tuple[KnownKey, paramiko.PKey]]:
        """Every key held for ``host:port`` in all files (hashed entries included)."""
        name = host_entry_name(host, port)
        found: list[tuple[KnownKey, paramiko.PKey]] = []
        for path, read_only in self._sources():
            entry = self._load(path).lookup(name)
            if not entry:
                continue
            for key_type in list(entry):
                key = entry[key_type]
                known = KnownKey(key_type, fingerprint_sha256(key.asbytes()), path, read_only)
                found.append((known, key))
        return found

    def known_types(self, host: str, port: int) -> list[str]:
        """Key types we hold for the host, to ask the server for one of those first (as OpenSSH does)."""
        seen: list[str] = []
        for known, _key in self.known(host, port):
            if known.key_type not in seen:
                seen.append(known.key_type)
        return seen

    # --- checking -------------------------------------------------------------------

    def check(self, host: str, port: int, key: paramiko.PKey, *, accept_fingerprint: str | None = None) -> None:
        """Return quietly when ``key`` is known for host:port; raise UnknownHostKey or HostKeyChanged.

        ``accept_fingerprint`` (``SHA256:...``, e.g. from ``--accept-host-key``)
        trusts an *unknown* key whose fingerprint matches and saves it; it never
        overrides a changed key.
        """
        blob = key.asbytes()
        info = HostKeyInfo(host, port, key.get_name(), fingerprint_sha256(blob))
        same_type = [(k, pk) for k, pk in self.known(host, port) if k.key_type == info.key_type]
        if any(pk.asbytes() == blob for _k, pk in same_type):
            return
        if same_type:
            raise HostKeyChanged(info, same_type[0][0].fingerprint_sha256)
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
        try:
            self.quay_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.quay_file.with_name(self.quay_file.name + ".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, self.quay_file)
        except OSError as e:
            raise LocalIOError(f"could not save the known host keys to {self.quay_file}: {e.strerror}") from e


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
    for pattern in hosts.split(","):
        if pattern == name:
            return True
        if pattern.startswith("|1|") and HostKeys.hash_host(name, pattern) == pattern:
            return True
    return False
