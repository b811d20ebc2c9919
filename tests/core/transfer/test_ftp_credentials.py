"""FTP log-in safety: no password in clear without consent, none in any error or log, one security vocabulary.

Against the real pyftpdlib fixture, except where the test must see that
nothing at all reached the server (the fake server records every command).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.core.errors import AuthError, PlaintextAuthRefused, QuayError, UnknownSecurity
from app.core.protolog import ProtoLog
from app.core.transfer.ftp import FtpSession
from app.core.urls import Security
from tests.core.transfer.fake_ftp import FakeFtpConfig, fake_ftp
from tests.servers.common import TlsMaterial
from tests.servers.ftp import FtpServer


def test_password_over_plain_ftp_needs_consent(ftp_server: FtpServer) -> None:
    user = ftp_server.new_user("plain")
    with fake_ftp(FakeFtpConfig()) as fake:
        s = FtpSession("127.0.0.1", fake.port, user.name, user.password, timeout=10)
        with pytest.raises(PlaintextAuthRefused) as err:
            s.connect()
        assert user.password not in str(err.value)
        assert fake.commands == []  # refused before a byte went out
    # With consent (and over FTPS without it) the same log-in works against the real server.
    with FtpSession(ftp_server.host, ftp_server.port, user.name, user.password, timeout=10, allow_plaintext=True) as s:
        assert s.listdir("/") == []
    ftp_server.remove_user(user.name)


def test_anonymous_needs_no_consent(ftp_server: FtpServer) -> None:
    for name in ("anonymous", "ftp"):
        s = FtpSession(ftp_server.host, ftp_server.port, name, "me@example.org", timeout=10)
        assert s.anonymous
        if name == "anonymous":
            with s:
                assert s.listdir("/")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("none", Security.NONE),
        ("explicit", Security.STARTTLS),
        ("implicit", Security.TLS),
        (Security.STARTTLS, Security.STARTTLS),
        (Security.TLS, Security.TLS),
        ("starttls", Security.STARTTLS),
    ],
)
def test_security_words_and_enum(given: str | Security, expected: Security) -> None:
    s = FtpSession("127.0.0.1", None, "u", "p", security=given)
    assert s.security is expected
    assert s.port == (990 if expected is Security.TLS else 21)
    assert s.protocol == ("ftp" if expected is Security.NONE else "ftps")


@pytest.mark.parametrize("given", ["ssh", "tls1.2", "", "plaintext-please"])
def test_unknown_or_unusable_security_is_refused(given: str) -> None:
    with pytest.raises(UnknownSecurity):
        FtpSession("127.0.0.1", 21, "u", "p", security=given)


def test_security_enum_connects_over_ftps(ftp_server: FtpServer, tls_material: TlsMaterial) -> None:
    user = ftp_server.new_user("enum")
    for security, port in ((Security.STARTTLS, ftp_server.ftps_port), (Security.TLS, ftp_server.ftps_implicit_port)):
        with FtpSession(
            ftp_server.host, port, user.name, user.password, security=security, cafile=str(tls_material.ca_pem)
        ) as s:
            assert s.data_protected and s.listdir("/") == []
    ftp_server.remove_user(user.name)


@pytest.mark.parametrize("password", ["Zq9\nXv7", "Kp4\rWm2", "Hj6\r\nDELE /Yt3", "Rb5\0Nc8"])
def test_line_break_in_password_refused_before_sending(
    password: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    log_path = tmp_path / "proto.log"
    caplog.set_level(logging.DEBUG)
    with fake_ftp(FakeFtpConfig()) as fake:
        s = FtpSession(
            "127.0.0.1", fake.port, "u", password, timeout=10, allow_plaintext=True, protolog=ProtoLog(log_path)
        )
        with pytest.raises(AuthError) as err:
            s.connect()
        assert fake.commands == []
    secret_parts = [p for p in password.replace("\r", "\n").replace("\0", "\n").split("\n") if p]
    text = str(err.value)
    assert "line break" in text
    for part in secret_parts:
        assert part not in text
        assert part not in caplog.text
        assert not log_path.exists() or part not in log_path.read_text()


def test_line_break_in_a_command_never_shows_credentials() -> None:
    """The last line of defence (the control connection refusing a CR/LF) names the command, never the password."""
    from app.core.errors import ProtocolError
    from app.core.transfer.ftp import FtpControl

    with pytest.raises(ProtocolError) as err:
        FtpControl._refuse_line_break("PASS sec\nret")
    assert "sec" not in str(err.value) and "ret" not in str(err.value)
    with pytest.raises(ProtocolError, match="RETR 'a"):
        FtpControl._refuse_line_break("RETR a\r\nDELE b")


@pytest.mark.parametrize("password", ["quo\"te's", "back\\slash\\", 'mix "\\ 100%'])
def test_quote_and_backslash_in_password_log_in_and_stay_secret(
    ftp_server: FtpServer, tmp_path: Path, caplog: pytest.LogCaptureFixture, password: str
) -> None:
    user = ftp_server.add_user(f"q{abs(hash(password)) % 10**6}", password)
    log_path = tmp_path / "proto.log"
    caplog.set_level(logging.DEBUG)
    s = FtpSession(
        ftp_server.host,
        ftp_server.port,
        user.name,
        password,
        timeout=10,
        allow_plaintext=True,
        protolog=ProtoLog(log_path),
    )
    with s:
        assert s.listdir("/") == []
        with pytest.raises(QuayError) as err:
            s.delete("/no-such-file")
        assert password not in str(err.value)
    logged = log_path.read_text()
    assert "USER " + user.name in logged
    assert password not in logged and password not in caplog.text
    wrong = FtpSession(ftp_server.host, ftp_server.port, user.name, password + "x", timeout=10, allow_plaintext=True)
    with pytest.raises(AuthError) as err:
        wrong.connect()
    assert password not in str(err.value)
    ftp_server.remove_user(user.name)
