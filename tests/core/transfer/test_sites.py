"""Site manager: JSON store without secrets, FileZilla sitemanager.xml import into the real keyring, OpenSSH config."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import keyring
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import BadRecord, ProtocolError, UnknownSecurity
from app.core.secrets import SERVICE, SecretStore
from app.core.transfer.sites import (
    Site,
    SiteStore,
    _fz_remote_dir,
    import_filezilla,
    import_openssh_config,
    site_secret_key,
)
from app.core.urls import Security

SECRET_FTP = "fz-sëcret-ftp-Ω1"
SECRET_SFTP = "fz-secret-sftp-2"


def fz_xml() -> str:
    b = lambda s: base64.b64encode(s.encode()).decode()  # noqa: E731
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<FileZilla3 version="3.66.0" platform="windows">
  <Servers>
    <Server>
      <Host>ftp.example.test</Host><Port>2121</Port><Protocol>4</Protocol><Type>0</Type>
      <User>alice</User><Pass encoding="base64">{b(SECRET_FTP)}</Pass><Logontype>1</Logontype>
      <PasvMode>MODE_ACTIVE</PasvMode><EncodingType>Custom</EncodingType><CustomEncoding>CP1251</CustomEncoding>
      <RemoteDir>1 0 4 home 11 alice files</RemoteDir><LocalDir>C:\\data</LocalDir>
      <MaximumMultipleConnections>4</MaximumMultipleConnections>
      <Name>Work FTPS</Name><Comments>main</Comments>
    </Server>
    <Folder expanded="1">Clients
      <Server>
        <Host>sftp.example.test</Host><Port>22</Port><Protocol>1</Protocol>
        <User>bob</User><Pass encoding="base64">{b(SECRET_SFTP)}</Pass><Logontype>1</Logontype>
        <Name>Bob SFTP</Name>
      </Server>
      <Server>
        <Host>locked.example.test</Host><Protocol>0</Protocol><User>carol</User>
        <Pass encoding="crypt" pubkey="xyz">ENCRYPTEDBLOB</Pass><Logontype>1</Logontype><Name>Locked</Name>
      </Server>
      <Server><Host>anon.example.test</Host><Protocol>0</Protocol><Logontype>0</Logontype><Name>Anon</Name></Server>
      <Server><Host>old.example.test</Host><Protocol>6</Protocol><User>d</User><Name>Insecure</Name></Server>
      <Server><Host>x.example.test</Host><Protocol>5</Protocol><Name>Unknown proto</Name></Server>
    </Folder>
  </Servers>
</FileZilla3>
"""


def test_filezilla_import_puts_passwords_only_in_keyring(keyring_service: object, tmp_path: Path) -> None:
    sites_file = tmp_path / "config" / "sites.json"
    store = SiteStore(sites_file, SecretStore())
    report = import_filezilla(fz_xml(), store)
    assert [s.name for s in report.sites] == ["Work FTPS", "Bob SFTP", "Locked", "Anon", "Insecure"]
    assert report.passwords_stored == 2
    assert any("master password" in s for s in report.skipped)
    assert any("Unknown proto" in s for s in report.skipped)
    work = store.get("Work FTPS")
    assert work is not None
    assert (work.kind, work.security, work.host, work.port, work.user) == (
        "ftp",
        Security.STARTTLS,
        "ftp.example.test",
        2121,
        "alice",
    )
    assert work.passive is False and work.encoding == "CP1251" and work.max_connections == 4
    assert work.remote_dir == "/home/alice files"
    bob = store.get("Bob SFTP")
    assert bob is not None and bob.folder == "Clients" and bob.kind == "sftp" and bob.security is Security.SSH
    # Issue 9 item 6: FileZilla's default protocol 0 ("FTP, explicit TLS if available") becomes explicit
    # FTPS, never plain FTP: the imported password is not sent in clear to a server without TLS.
    locked, anon, insecure = store.get("Locked"), store.get("Anon"), store.get("Insecure")
    assert locked is not None and (locked.kind, locked.security, locked.port) == ("ftp", Security.STARTTLS, 21)
    assert anon is not None and anon.security is Security.STARTTLS and anon.auth == "anonymous"
    assert insecure is not None and insecure.security is Security.NONE and not insecure.allow_plaintext
    # The passwords are in the real keyring ...
    assert keyring.get_password(SERVICE, site_secret_key(work)) == SECRET_FTP
    assert store.password(bob) == SECRET_SFTP
    # ... and nowhere in Quay's files.
    for p in tmp_path.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            for secret in (SECRET_FTP, SECRET_SFTP):
                assert secret.encode() not in data, p
                assert base64.b64encode(secret.encode()) not in data, p
    # A fresh store reads the sites back; removing a site forgets its password.
    again = SiteStore(sites_file, SecretStore())
    assert {s.name for s in again.all()} == {"Work FTPS", "Bob SFTP", "Locked", "Anon", "Insecure"}
    again.remove("Bob SFTP")
    assert keyring.get_password(SERVICE, site_secret_key(bob)) is None


def test_filezilla_garbage_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError):
        import_filezilla("<not xml", SiteStore(tmp_path / "s.json", SecretStore()))


def test_openssh_config_import(tmp_path: Path) -> None:
    cfg = tmp_path / "config"
    cfg.write_text(
        "Host *\n  ServerAliveInterval 30\n"
        "Host web prod-db\n  HostName 10.0.0.5\n  Port 2200\n  User deploy\n  IdentityFile ~/.ssh/id_deploy\n"
        "Host !bad\n  User x\n"
    )
    store = SiteStore(tmp_path / "s.json", SecretStore())
    report = import_openssh_config(cfg, store)
    names = sorted(s.name for s in report.sites)
    assert names == ["prod-db", "web"]
    web = store.get("web")
    assert web is not None and web.host == "web" and web.port == 2200 and web.user == "deploy"
    assert web.auth == "key" and web.key_file and web.key_file.endswith("id_deploy")
    assert web.to_url() == "sftp://deploy@web:2200"
    assert import_openssh_config(cfg, store).sites == []  # no duplicates on a second import


def _fz_encode(parts: list[str]) -> str:
    return "1 0 " + " ".join(f"{len(p)} {p}" for p in parts)


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12), max_size=6))
def test_fz_remote_dir_round_trip(parts: list[str]) -> None:
    got = _fz_remote_dir(_fz_encode(parts))
    assert got == ("/" + "/".join(parts) if parts else None)


@given(st.text(max_size=80))
def test_fz_remote_dir_never_crashes(text: str) -> None:
    _fz_remote_dir(text)


def test_site_url_and_default_ports() -> None:
    s = Site(name="x", kind="ftp", security=Security.TLS, host="::1", user="a b")
    assert s.port == s.effective_port == 990
    assert s.to_url() == "ftpsi://a%20b@[::1]:990"
    legacy = Site("y", "ftps", "h")  # the old protocol words still build the same record
    assert (legacy.kind, legacy.security, legacy.port, legacy.scheme) == ("ftp", Security.STARTTLS, 21, "ftps")
    assert Site("z", "ftp", "h").security is Security.STARTTLS  # a new FTP site is encrypted by default
    assert Site("t", "tftp", "h").auth == "none" and Site("t", "tftp", "h").port == 69
    with pytest.raises(BadRecord):
        Site("bad", "ftpsi", "h", security="none")
    with pytest.raises(UnknownSecurity):
        Site("bad", "sftp", "h", security="tls")


def test_public_url_of_a_remote_file() -> None:
    s = Site("web", "sftp", "h", remote_dir="/var/www", public_url_prefix="https://files.example.test/")
    assert s.public_url("/var/www/big file.zip") == "https://files.example.test/big%20file.zip"
    assert Site("n", "sftp", "h").public_url("/x") is None


def test_sites_json_version_1_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    v1 = {
        "version": 1,
        "sites": [
            {"name": "a", "protocol": "ftps", "host": "h", "port": None, "user": "u", "id": "1"},
            {"name": "b", "protocol": "ftpsi", "host": "h", "port": 2990, "user": "u", "id": "2"},
            {"name": "c", "protocol": "ftp", "host": "h", "port": None, "user": "u", "id": "3"},
            {"name": "d", "protocol": "sftp", "host": "h", "port": 22, "id": "4"},
            {"name": "e", "protocol": "gopher", "host": "h", "id": "5"},
        ],
    }
    path.write_text(json.dumps(v1))
    store = SiteStore(path, SecretStore())
    got = {s.name: (s.kind, s.security, s.port) for s in store.all()}
    assert got == {
        "a": ("ftp", Security.STARTTLS, 21),
        "b": ("ftp", Security.TLS, 2990),
        "c": ("ftp", Security.NONE, 21),
        "d": ("sftp", Security.SSH, 22),
    }
    assert not store.get("c").allow_plaintext  # type: ignore[union-attr]
    assert len(store.problems) == 1  # "gopher" is reported and kept
    store.save()
    saved = json.loads(path.read_text())
    assert saved["version"] == 2 and "protocol" not in saved["sites"][0]
    assert any(raw.get("name") == "e" for raw in saved["sites"])
    assert path.stat().st_mode & 0o777 == 0o600
