"""The FTP fixture serves plain FTP, explicit and implicit FTPS, and enforces what it claims to."""

from __future__ import annotations

import ftplib
import io
import socket
import ssl
from pathlib import Path

import pytest

from tests.servers.common import TlsMaterial
from tests.servers.ftp import (
    ALICE,
    ALICE_PASSWORD,
    PUB_FILES,
    FtpServer,
    FtpUser,
    ImplicitFTP_TLS,
    ReusingFTP_TLS,
    tls_client_context,
)

TLS_VERSIONS = [
    pytest.param(ssl.TLSVersion.TLSv1_2, id="tls1.2"),
    pytest.param(ssl.TLSVersion.TLSv1_3, id="tls1.3"),
]


def _retr(ftp: ftplib.FTP, name: str) -> bytes:
    buf = io.BytesIO()
    ftp.retrbinary(f"RETR {name}", buf.write)
    return buf.getvalue()


def _roundtrip(ftp: ftplib.FTP, user: FtpUser) -> None:
    payload = bytes(range(256)) * 300
    ftp.storbinary("STOR up.bin", io.BytesIO(payload))
    ftp.mkd("sub")
    assert sorted(ftp.nlst()) == ["sub", "up.bin"]
    lines: list[str] = []
    ftp.retrlines("LIST", lines.append)
    assert any(line.endswith(" up.bin") for line in lines)
    assert _retr(ftp, "up.bin") == payload
    assert (user.home / "up.bin").read_bytes() == payload


def test_plain_ftp_login_list_stor_retr(ftp_server: FtpServer, ftp_user: FtpUser) -> None:
    with ftplib.FTP() as ftp:
        ftp.connect(ftp_server.host, ftp_server.port, timeout=10)
        assert (ftp.welcome or "").startswith("220")
        ftp.login(ftp_user.name, ftp_user.password)
        _roundtrip(ftp, ftp_user)
        # The plain listener does not offer TLS at all.
        with pytest.raises(ftplib.error_perm, match=r"^50[02]"):
            ftp.sendcmd("AUTH TLS")


def test_alice_and_wrong_password(ftp_server: FtpServer) -> None:
    with ftplib.FTP() as ftp:
        ftp.connect(ftp_server.host, ftp_server.port, timeout=10)
        ftp.login(ALICE, ALICE_PASSWORD)
        assert ftp.pwd() == "/"
    with ftplib.FTP() as ftp:
        ftp.connect(ftp_server.host, ftp_server.port, timeout=10)
        with pytest.raises(ftplib.error_perm, match=r"^530"):
            ftp.login(ALICE, "wrong")


@pytest.mark.parametrize("version", TLS_VERSIONS)
def test_explicit_ftps(
    ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial, version: ssl.TLSVersion
) -> None:
    with ReusingFTP_TLS(context=tls_client_context(tls_material, version), timeout=10) as ftp:
        ftp.connect(ftp_server.host, ftp_server.ftps_port)
        ftp.login(ftp_user.name, ftp_user.password)  # does AUTH TLS first
        assert isinstance(ftp.sock, ssl.SSLSocket)
        assert ftp.sock.version() == version.name.replace("_", ".")
        ftp.prot_p()
        _roundtrip(ftp, ftp_user)


def test_explicit_ftps_requires_tls_on_control_and_data(
    ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial
) -> None:
    with ftplib.FTP() as ftp:
        ftp.connect(ftp_server.host, ftp_server.ftps_port, timeout=10)
        with pytest.raises(ftplib.error_perm, match=r"^550 SSL/TLS required"):
            ftp.login(ftp_user.name, ftp_user.password)
    with ReusingFTP_TLS(context=tls_material.client_context(), timeout=10) as ftps:
        ftps.connect(ftp_server.host, ftp_server.ftps_port)
        ftps.login(ftp_user.name, ftp_user.password)
        # no PROT P: the server refuses to open a clear data channel
        with pytest.raises(ftplib.error_perm, match=r"^550 SSL/TLS required on the data channel"):
            ftps.nlst()


def test_explicit_ftps_certificate_is_verified(ftp_server: FtpServer) -> None:
    with ftplib.FTP_TLS(context=ssl.create_default_context(), timeout=10) as ftp:
        ftp.connect(ftp_server.host, ftp_server.ftps_port)
        with pytest.raises(ssl.SSLCertVerificationError):
            ftp.auth()


@pytest.mark.parametrize("version", TLS_VERSIONS)
def test_implicit_ftps(
    ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial, version: ssl.TLSVersion
) -> None:
    with ImplicitFTP_TLS(context=tls_client_context(tls_material, version), timeout=10) as ftp:
        ftp.connect(ftp_server.host, ftp_server.ftps_implicit_port)
        assert (ftp.welcome or "").startswith("220")
        assert isinstance(ftp.sock, ssl.SSLSocket)
        ftp.login(ftp_user.name, ftp_user.password)
        ftp.prot_p()
        _roundtrip(ftp, ftp_user)


def test_implicit_ftps_requires_prot_p(ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial) -> None:
    with ImplicitFTP_TLS(context=tls_material.client_context(), timeout=10) as ftp:
        ftp.connect(ftp_server.host, ftp_server.ftps_implicit_port)
        ftp.login(ftp_user.name, ftp_user.password)
        with pytest.raises(ftplib.error_perm, match=r"^550 SSL/TLS required on the data channel"):
            ftp.nlst()


def test_implicit_port_speaks_tls_immediately(ftp_server: FtpServer) -> None:
    with socket.create_connection((ftp_server.host, ftp_server.ftps_implicit_port), timeout=3) as s:
        s.sendall(b"USER x\r\n")  # not a ClientHello: the server must not answer in clear text
        try:
            data = s.recv(100)
        except (ConnectionResetError, TimeoutError):
            data = b""
        assert not data.startswith(b"220")


def test_anonymous_reads_pub_but_cannot_write(ftp_server: FtpServer) -> None:
    with ftplib.FTP() as ftp:
        ftp.connect(ftp_server.host, ftp_server.port, timeout=10)
        ftp.login()  # anonymous
        assert set(PUB_FILES) <= set(ftp.nlst())
        for name, content in PUB_FILES.items():
            assert _retr(ftp, name) == content
        with pytest.raises(ftplib.error_perm, match=r"^550"):
            ftp.storbinary("STOR evil.txt", io.BytesIO(b"x"))
        with pytest.raises(ftplib.error_perm, match=r"^550"):
            ftp.delete("readme.txt")
        with pytest.raises(ftplib.error_perm, match=r"^550"):
            ftp.mkd("newdir")
    assert not (ftp_server.anonymous_home / "evil.txt").exists()


@pytest.mark.parametrize("version", TLS_VERSIONS)
def test_reuse_required_refuses_stdlib_ftp_tls(
    ftp_server_reuse: FtpServer, tls_material: TlsMaterial, version: ssl.TLSVersion
) -> None:
    user = ftp_server_reuse.new_user()
    with ftplib.FTP_TLS(context=tls_client_context(tls_material, version), timeout=10) as ftp:
        ftp.connect(ftp_server_reuse.host, ftp_server_reuse.ftps_port)
        ftp.login(user.name, user.password)
        ftp.prot_p()
        try:
            ftp.nlst()
        except ftplib.error_perm as e:
            reply = str(e)
        except (ssl.SSLError, OSError):
            # The refused data connection may die under the client's TLS
            # shutdown before ftplib reads the verdict from the control channel.
            with pytest.raises(ftplib.error_perm) as refused:
                ftp.getresp()
            reply = str(refused.value)
        else:
            pytest.fail("a data connection without TLS session reuse was accepted")
        assert reply == "522 SSL connection failed: session reuse required"


@pytest.mark.parametrize("version", TLS_VERSIONS)
def test_reuse_required_accepts_session_reusing_client(
    ftp_server_reuse: FtpServer, tls_material: TlsMaterial, version: ssl.TLSVersion
) -> None:
    user = ftp_server_reuse.new_user()
    with ReusingFTP_TLS(context=tls_client_context(tls_material, version), timeout=10) as ftp:
        ftp.connect(ftp_server_reuse.host, ftp_server_reuse.ftps_port)
        ftp.login(user.name, user.password)
        ftp.prot_p()
        _roundtrip(ftp, user)  # several data connections, each resuming the control session
    with ImplicitFTP_TLS(context=tls_client_context(tls_material, version), timeout=10) as ftp:
        ftp.connect(ftp_server_reuse.host, ftp_server_reuse.ftps_implicit_port)
        ftp.login(user.name, user.password)
        ftp.prot_p()
        assert "up.bin" in ftp.nlst()


def test_max_cons_per_ip_gives_421(tmp_path: Path, tls_material: TlsMaterial) -> None:
    with FtpServer(tmp_path, tls_material, max_cons_per_ip=2) as server:
        clients = []
        try:
            for _ in range(2):
                ftp = ftplib.FTP()
                ftp.connect(server.host, server.port, timeout=10)
                clients.append(ftp)
            with pytest.raises(ftplib.error_temp, match=r"^421 Too many connections"):
                ftplib.FTP().connect(server.host, server.port, timeout=10)
        finally:
            for ftp in clients:
                ftp.close()


def test_users_added_while_running(ftp_server: FtpServer, tmp_path: Path) -> None:
    home = tmp_path / "bob-home"
    bob = ftp_server.add_user("bob-live", "bob-pw", home)
    (home / "hello.txt").write_text("hi")
    with ftplib.FTP() as ftp:
        ftp.connect(ftp_server.host, ftp_server.port, timeout=10)
        ftp.login(bob.name, bob.password)
        assert ftp.nlst() == ["hello.txt"]
    ftp_server.remove_user(bob.name)
    with ftplib.FTP() as ftp:
        ftp.connect(ftp_server.host, ftp_server.port, timeout=10)
        with pytest.raises(ftplib.error_perm, match=r"^530"):
            ftp.login(bob.name, bob.password)


def test_kill_mid_transfer_then_restart_on_same_ports(tmp_path: Path, tls_material: TlsMaterial) -> None:
    with FtpServer(tmp_path, tls_material) as server:
        big = b"\xab" * (32 * 1024 * 1024)
        (server.alice.home / "big.bin").write_bytes(big)
        ports = (server.port, server.ftps_port, server.ftps_implicit_port)
        ftp = ftplib.FTP()
        ftp.connect(server.host, server.port, timeout=10)
        ftp.login(ALICE, ALICE_PASSWORD)
        ftp.voidcmd("TYPE I")
        conn = ftp.transfercmd("RETR big.bin")
        got = len(conn.recv(65536))
        old_pid = server.pid
        server.kill()
        assert not server.running
        with pytest.raises((OSError, EOFError)):
            while chunk := conn.recv(1 << 20):
                got += len(chunk)
            ftp.voidresp()  # the control connection is gone too
        conn.close()
        ftp.close()
        assert got < len(big)

        server.start()
        assert server.pid != old_pid
        assert (server.port, server.ftps_port, server.ftps_implicit_port) == ports
        with ftplib.FTP() as ftp2:
            ftp2.connect(server.host, server.port, timeout=10)
            ftp2.login(ALICE, ALICE_PASSWORD)
            ftp2.voidcmd("TYPE I")
            assert ftp2.size("big.bin") == len(big)
