"""HostKeyStore: OpenSSH known_hosts reading (plain, hashed, patterns, markers), Quay's own file, trust rules."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest
from hypothesis import given
from hypothesis import strategies as st
from paramiko.hostkeys import HostKeys

from app.core.errors import Bug, HostKeyChanged, HostKeyRevoked, UnknownHostKey
from app.core.transfer.hostkeys import (
    HostKeyStore,
    _line_matches,
    fingerprint_sha256,
    host_entry_name,
    parse_known_hosts,
)
from app.core.transfer.sftp import SftpSession
from tests.servers.common import is_root
from tests.servers.sshd import SshdServer


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
    with pytest.raises(HostKeyChanged) as changed:  # another type while one is known: a downgrade, refused
        store.check("127.0.0.1", 2222, k3, accept_fingerprint=fingerprint_sha256(k3.asbytes()))
    assert changed.value.known_type == "ssh-ed25519" and changed.value.info.key_type == k3.get_name()
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


def _line(host: str, key: paramiko.PKey, marker: str = "") -> str:
    return f"{marker + ' ' if marker else ''}{host} {key.get_name()} {key.get_base64()}"


def test_revoked_cert_authority_and_damaged_lines(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Issue 9 item 8: unsupported lines are skipped with a note, @revoked refuses, nothing crashes."""
    good, bad, other = _ed(), _ed(), _ecdsa()
    user = tmp_path / "known_hosts"
    name = "[h.example]:2200"
    user.write_text(
        "\n".join(
            [
                _line("*.example", other, "@cert-authority"),
                _line(name, bad, "@revoked"),
                "@future-marker h.example ssh-ed25519 AAAA",
                f"{name} ssh-ed25519 !!!not-base64!!!",
                f"{name} ssh-rsa {good.get_base64()}",  # the blob says ed25519: damaged
                f"{name} ssh-ed25519",  # too short
                _line(name, good),
            ]
        )
        + "\n"
    )
    store = HostKeyStore(tmp_path / "quay", user_files=[user])
    with caplog.at_level(logging.INFO, logger="app.core.transfer.hostkeys"):
        store.check("h.example", 2200, good)
    notes = caplog.text
    assert "cert-authority" in notes and "@future-marker" in notes and "base64" in notes and "line 6" in notes
    with pytest.raises(HostKeyRevoked) as ei:
        store.check("h.example", 2200, bad, accept_fingerprint=fingerprint_sha256(bad.asbytes()))
    assert str(user) in str(ei.value) and ei.value.info.fingerprint_sha256 == fingerprint_sha256(bad.asbytes())
    assert store.known_types("h.example", 2200) == ["ssh-ed25519"]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="app.core.transfer.hostkeys"):
        store.check("h.example", 2200, good)
    assert caplog.text == ""  # an unchanged file is not parsed (and noted) again


def test_revoked_with_nothing_else_known_is_still_refused(tmp_path: Path) -> None:
    k = _ed()
    user = tmp_path / "kh"
    user.write_text(_line("*", k, "@revoked") + "\n")
    store = HostKeyStore(None, user_files=[user])
    with pytest.raises(HostKeyRevoked):
        store.check("anything", 22, k, accept_fingerprint=fingerprint_sha256(k.asbytes()))


def test_patterns_and_negation(tmp_path: Path) -> None:
    k = _ed()
    user = tmp_path / "kh"
    user.write_text(_line("*.corp.example,!evil.corp.example", k) + "\n" + _line("[10.0.0.?]:2222", k) + "\n")
    store = HostKeyStore(None, user_files=[user])
    store.check("a.corp.example", 22, k)
    store.check("10.0.0.7", 2222, k)
    with pytest.raises(UnknownHostKey):
        store.check("evil.corp.example", 22, k)
    with pytest.raises(UnknownHostKey):
        store.check("10.0.0.7", 22, k)


@given(st.text(max_size=300))
def test_parsing_never_crashes(text: str) -> None:
    parse_known_hosts(text, "fuzz")


# --- against a real sshd that offers one host-key type only ------------------------------------------


@pytest.fixture(scope="module")
def rsa_only_sshd() -> Iterator[SshdServer]:
    if not is_root():
        pytest.skip("sshd with real system users needs root")
    server = SshdServer(password_user="quayrsa1", key_user="quayrsak", host_key_types=("rsa",))
    server.start()
    yield server
    server.stop()


def _session(sshd: SshdServer, store: HostKeyStore) -> SftpSession:
    return SftpSession(
        sshd.host, sshd.port, sshd.key_user, host_keys=store, key_filename=sshd.client_key_path,
        allow_agent=False, ssh_config=None,
    )  # fmt: skip


def test_key_type_downgrade_is_refused(rsa_only_sshd: SshdServer, tmp_path: Path) -> None:
    """Issue 9 item 7: an ed25519 key on file and a server offering only RSA is a changed key, not a new one."""
    known = tmp_path / "known_hosts"
    known.write_text(_line(host_entry_name(rsa_only_sshd.host, rsa_only_sshd.port), _ed()) + "\n")
    store = HostKeyStore(tmp_path / "quay_kh", user_files=[known])
    rsa_fp = rsa_only_sshd.host_key_fingerprints["ssh-rsa"]
    with pytest.raises(HostKeyChanged) as ei:
        _session(rsa_only_sshd, store).connect()
    assert ei.value.info.key_type == "ssh-rsa" and ei.value.known_type == "ssh-ed25519"
    with pytest.raises(HostKeyChanged):  # and --accept-host-key cannot override it
        SftpSession(
            rsa_only_sshd.host, rsa_only_sshd.port, rsa_only_sshd.key_user, host_keys=store,
            key_filename=rsa_only_sshd.client_key_path, allow_agent=False, ssh_config=None, accept_fingerprint=rsa_fp,
        ).connect()  # fmt: skip
    assert not (tmp_path / "quay_kh").exists()
    # With nothing known, the same server's RSA key is merely new; with it known, the connection works.
    fresh = HostKeyStore(tmp_path / "fresh", user_files=[])
    with pytest.raises(UnknownHostKey) as unknown:
        _session(rsa_only_sshd, fresh).connect()
    assert unknown.value.info.fingerprint_sha256 == rsa_fp
    with _session(rsa_only_sshd, HostKeyStore(None, user_files=[rsa_only_sshd.known_hosts_path])) as s:
        assert s.home()


def test_cert_authority_line_does_not_break_sftp(sshd_server: SshdServer, tmp_path: Path) -> None:
    known = tmp_path / "known_hosts"
    known.write_text(
        _line("*", _ed(), "@cert-authority") + "\n" + "garbage\n" + sshd_server.known_hosts_path.read_text()
    )
    with _session(sshd_server, HostKeyStore(None, user_files=[known])) as s:
        assert s.home()
