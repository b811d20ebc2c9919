"""The sshd fixture serves SFTP to password and key users, and its host key can change."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import paramiko
import pytest

from tests.servers.sshd import SshdServer


@contextmanager
def _client(server: SshdServer, known_hosts: Path | None = None, **auth: Any) -> Iterator[paramiko.SSHClient]:
    client = paramiko.SSHClient()
    client.load_host_keys(str(known_hosts or server.known_hosts_path))
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    try:
        client.connect(server.host, server.port, look_for_keys=False, allow_agent=False, timeout=10, **auth)
        yield client
    finally:
        client.close()


def _password_listdir(server: SshdServer, known_hosts: Path | None = None) -> list[str]:
    with (
        _client(server, known_hosts, username=server.password_user, password=server.password) as client,
        client.open_sftp() as sftp,
    ):
        return sftp.listdir(".")


def _sftp_roundtrip(client: paramiko.SSHClient, home: Path, name: str) -> None:
    payload = bytes(range(256)) * 1000
    with client.open_sftp() as sftp:
        assert sftp.normalize(".") == str(home)
        sftp.putfo(io.BytesIO(payload), name)
        assert name in sftp.listdir(".")
        assert sftp.stat(name).st_size == len(payload)
        out = io.BytesIO()
        sftp.getfo(name, out)
        assert out.getvalue() == payload
        sftp.mkdir(f"{name}.d")
        sftp.rename(name, f"{name}.d/{name}")
        assert sftp.listdir(f"{name}.d") == [name]
    assert (home / f"{name}.d" / name).read_bytes() == payload


def test_sftp_password_login(sshd_server: SshdServer) -> None:
    user = sshd_server.password_user
    with _client(sshd_server, username=user, password=sshd_server.password) as client:
        transport = client.get_transport()
        assert transport is not None and transport.is_authenticated()
        _sftp_roundtrip(client, sshd_server.home(user), "pw.bin")


def test_sftp_wrong_password_refused(sshd_server: SshdServer) -> None:
    with (
        pytest.raises(paramiko.AuthenticationException),
        _client(sshd_server, username=sshd_server.password_user, password="not-it"),
    ):
        pass


def test_sftp_key_login(sshd_server: SshdServer) -> None:
    user = sshd_server.key_user
    with _client(sshd_server, username=user, key_filename=str(sshd_server.client_key_path)) as client:
        _sftp_roundtrip(client, sshd_server.home(user), "key.bin")


def test_sftp_encrypted_pem_key_login(sshd_server: SshdServer) -> None:
    key_path = sshd_server.client_key_passphrase_path
    assert key_path.read_text().startswith("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED")
    with pytest.raises(paramiko.PasswordRequiredException):
        paramiko.RSAKey.from_private_key_file(str(key_path))
    key = paramiko.RSAKey.from_private_key_file(str(key_path), password=sshd_server.client_key_passphrase)
    with _client(sshd_server, username=sshd_server.key_user, pkey=key) as client, client.open_sftp() as sftp:
        sftp.listdir(".")


def test_key_user_has_no_password_and_password_user_no_key(sshd_server: SshdServer) -> None:
    with (
        pytest.raises(paramiko.AuthenticationException),
        _client(sshd_server, username=sshd_server.key_user, password=sshd_server.password),
    ):
        pass
    with (
        pytest.raises(paramiko.AuthenticationException),
        _client(sshd_server, username=sshd_server.password_user, key_filename=str(sshd_server.client_key_path)),
    ):
        pass


def test_fingerprints_match_ssh_keygen(sshd_server: SshdServer) -> None:
    assert set(sshd_server.host_key_fingerprints) == {"ssh-ed25519", "ssh-rsa"}
    for keytype, pub in sshd_server.host_key_pub_paths.items():
        out = subprocess.run(["ssh-keygen", "-l", "-E", "sha256", "-f", str(pub)], capture_output=True, text=True)
        assert out.stdout.split()[1] == sshd_server.host_key_fingerprints[keytype]
    seen: dict[str, str] = {}
    for keytype in sshd_server.host_key_fingerprints:
        transport = paramiko.Transport((sshd_server.host, sshd_server.port))
        try:
            algorithm = {"ssh-rsa": "rsa-sha2-256"}.get(keytype, keytype)
            transport.get_security_options().key_types = (algorithm,)
            transport.start_client(timeout=10)
            key = transport.get_remote_server_key()
            seen[key.get_name()] = key.fingerprint  # paramiko prints "SHA256:..." like ssh-keygen
        finally:
            transport.close()
    assert seen == sshd_server.host_key_fingerprints


def test_changed_host_key_is_detected(sshd_server: SshdServer) -> None:
    old_fingerprints = dict(sshd_server.host_key_fingerprints)
    port = sshd_server.port
    sshd_server.regenerate_host_keys_and_restart()
    assert sshd_server.port == port
    assert sshd_server.host_key_fingerprints.keys() == old_fingerprints.keys()
    assert all(sshd_server.host_key_fingerprints[k] != v for k, v in old_fingerprints.items())
    with (
        pytest.raises(paramiko.BadHostKeyException),
        _client(
            sshd_server,
            known_hosts=sshd_server.stale_known_hosts_path,
            username=sshd_server.password_user,
            password=sshd_server.password,
        ),
    ):
        pass
    # the refreshed known_hosts_path matches the new keys
    _password_listdir(sshd_server)


def test_kill_and_start_on_same_port(sshd_server: SshdServer) -> None:
    with _client(sshd_server, username=sshd_server.password_user, password=sshd_server.password) as client:
        sftp = client.open_sftp()
        sshd_server.kill()
        assert not sshd_server.running
        with pytest.raises((OSError, EOFError, paramiko.SSHException)):
            sftp.listdir(".")
    sshd_server.start()
    _password_listdir(sshd_server)
