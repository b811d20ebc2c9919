"""HostKeyStore unit tests: OpenSSH known_hosts reading (plain and hashed), Quay's own file, accept/remove."""

from __future__ import annotations

from pathlib import Path

import paramiko
import pytest
from hypothesis import given
from hypothesis import strategies as st
from paramiko.hostkeys import HostKeys

from app.core.errors import Bug, HostKeyChanged, UnknownHostKey
from app.core.transfer.hostkeys import HostKeyStore, _line_matches, fingerprint_sha256, host_entry_name


def _ed() -> paramiko.PKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    raw = (
        ed25519.Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    )
    kind, b64 = raw.decode().split()[:2]
    return paramiko.PKey.from_type_string(kind, __import__("base64").b64decode(b64))


def _ecdsa() -> paramiko.PKey:
    return paramiko.ECDSAKey.generate()


def test_fingerprint_format_matches_ssh_keygen() -> None:
    # ssh-keygen -lf on a key with an all-zero SHA-256 would not exist; check the shape instead.
    fp = fingerprint_sha256(b"abc")
    assert fp == "SHA256:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0"


@given(st.from_regex(r"[a-z0-9.-]{1,30}", fullmatch=True), st.integers(1, 65535))
def test_host_entry_name_round_trips_through_matching(host: str, port: int) -> None:
    name = host_entry_name(host, port)
    assert (name == host) == (port == 22)
    assert _line_matches(f"{name} ssh-ed25519 AAAA", name)
    assert _line_matches(f"other,{name} ssh-ed25519 AAAA", name)
    assert not _line_matches(f"# {name} ssh-ed25519 AAAA", name)
    hashed = HostKeys.hash_host(name)
    assert _line_matches(f"{hashed} ssh-ed25519 AAAA", name)


@given(st.text(max_size=200))
def test_line_matching_never_crashes(line: str) -> None:
    _line_matches(line, "[127.0.0.1]:2222")


def test_unknown_accept_changed_remove(tmp_path: Path) -> None:
    k1, k2, k3 = _ed(), _ed(), _ecdsa()
    store = HostKeyStore(tmp_path / "kh", user_files=[])
    with pytest.raises(UnknownHostKey) as ei:
        store.check("127.0.0.1", 2222, k1)
    assert ei.value.info.key_type == "ssh-ed25519"
    assert ei.value.info.fingerprint_sha256 == fingerprint_sha256(k1.asbytes())
    store.accept(ei.value.info)
    assert (tmp_path / "kh").stat().st_mode & 0o777 == 0o600
    store.check("127.0.0.1", 2222, k1)  # now known
    with pytest.raises(UnknownHostKey):
        store.check("127.0.0.1", 22, k1)  # another port is another host
    with pytest.raises(HostKeyChanged):
        store.check("127.0.0.1", 2222, k2)
    with pytest.raises(HostKeyChanged):  # --accept-host-key never overrides a change
        store.check("127.0.0.1", 2222, k2, accept_fingerprint=fingerprint_sha256(k2.asbytes()))
    with pytest.raises(UnknownHostKey):  # a key of another type is merely unknown (as in OpenSSH)
        store.check("127.0.0.1", 2222, k3)
    assert store.remove("127.0.0.1", 2222) == 1
    store.check("127.0.0.1", 2222, k2, accept_fingerprint=fingerprint_sha256(k2.asbytes()))
    store.check("127.0.0.1", 2222, k2)
    with pytest.raises(Bug):
        store.accept(ei.value.info)  # not pending any more


def test_user_file_is_read_only_and_hashed_entries_work(tmp_path: Path) -> None:
    k1, k2 = _ed(), _ed()
    user = tmp_path / "known_hosts"
    hashed = HostKeys.hash_host("[example.test]:2200")
    user.write_text(f"# comment\n\ngarbage line\n{hashed} {k1.get_name()} {k1.get_base64()}\n")
    before = user.read_text()
    store = HostKeyStore(tmp_path / "quay_kh", user_files=[user, tmp_path / "missing"])
    store.check("example.test", 2200, k1)
    with pytest.raises(HostKeyChanged):
        store.check("example.test", 2200, k2)
    assert store.remove("example.test", 2200) == 0  # Quay never edits the user's file
    assert user.read_text() == before
    assert store.known_types("example.test", 2200) == ["ssh-ed25519"]
