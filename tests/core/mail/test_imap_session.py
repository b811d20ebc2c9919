"""Connecting to the real Dovecot: TLS verification and pinning, STARTTLS stripping, auth, plaintext consent,
LOGINDISABLED, unknown security values, redacted logs (non-ASCII user, quoted password, newline password)."""

from __future__ import annotations

import base64
import socket
import threading
import uuid
from pathlib import Path

import pytest

from app.core.accounts import Account
from app.core.errors import AuthError, ServerError, StartTlsUnavailable, TlsError, UnknownSecurity
from app.core.mail.imap.session import ImapSession
from app.core.mail.imap.sync import sync_folder
from app.core.mail.pop3 import PlaintextAuthRefused
from app.core.mail.store import Store
from app.core.protolog import ProtoLog
from app.core.tls import normalize_fingerprint
from app.core.urls import Security
from tests.core.mail.imap_helpers import (
    cache,
    fake_imap,
    fault_proxy,
    make_message,
    session,
    with_caps,
    without_caps,
)
from tests.servers.common import TlsMaterial
from tests.servers.dovecot import DovecotServer


def test_implicit_tls_with_trusted_ca(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    s = session(dovecot, mail_user[0], security="tls", cafile=str(tls_material.ca_pem))
    assert "IMAP4REV1" in s.capabilities
    assert s.qresync
    s.logout()


def test_self_signed_refused_with_certificate_then_accepted_when_pinned(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    with pytest.raises(TlsError) as ei:
        session(dovecot, mail_user[0], security="tls")
    cert = ei.value.certificate
    assert cert is not None
    assert cert.fingerprint_sha256 == normalize_fingerprint(tls_material.fingerprint_sha256())
    assert "Quay test CA" in cert.issuer
    assert cert.fingerprint_display in str(ei.value)
    s = session(dovecot, mail_user[0], security="tls", pin=tls_material.fingerprint_sha256())
    assert s.connected
    s.logout()
    with pytest.raises(TlsError, match="no longer the one you accepted"):
        session(dovecot, mail_user[0], security="tls", pin="00" * 32)


def test_starttls_verified_and_pinned(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    s = session(dovecot, mail_user[0], security="starttls", cafile=str(tls_material.ca_pem))
    assert s.connected and "STARTTLS" not in s.capabilities
    s.logout()
    with pytest.raises(TlsError) as ei:
        session(dovecot, mail_user[0], security="starttls")
    assert ei.value.certificate is not None


def test_starttls_stripped_is_an_error_not_a_downgrade(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    with fault_proxy(dovecot.imap_port, strip_starttls=True) as proxy, pytest.raises(StartTlsUnavailable):
        session(dovecot, mail_user[0], security="starttls", port=proxy.port, cafile=str(tls_material.ca_pem))


def test_wrong_password_is_auth_error(dovecot: DovecotServer, mail_user: tuple[str, str]) -> None:
    with pytest.raises(AuthError) as ei:
        session(dovecot, mail_user[0], password="not-the-password")
    assert "not-the-password" not in str(ei.value)


def test_password_never_in_protolog_or_cache(
    dovecot: DovecotServer, mail_user: tuple[str, str], tmp_path: Path, tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    dovecot.deliver(user, make_message(1))
    log_path = tmp_path / "proto.log"
    log = ProtoLog(log_path)
    sess = session(dovecot, user, protolog=log)
    store, aid = cache(tmp_path, dovecot, user, sess)
    f = store.folder_by_name(aid, "INBOX")
    assert f is not None
    sync_folder(sess, store, f.id)
    sess.logout()
    # The plain LOGIN path too (a server offering no SASL mechanism): the password is a quoted string.
    log2 = ProtoLog(tmp_path / "proto2.log")
    with fault_proxy(dovecot.imap_port, rewrite=without_caps(b"AUTH=PLAIN", b"AUTH=LOGIN", b"SASL-IR")) as proxy:
        s2 = session(dovecot, user, port=proxy.port, protolog=log2)
        s2.logout()
    assert b" LOGIN " in bytes(proxy.from_client)
    log.close()
    log2.close()
    store.close()
    text = log_path.read_text() + (tmp_path / "proto2.log").read_text()
    assert "FETCH" in text and "AUTHENTICATE PLAIN" in text and "LOGIN <redacted>" in text
    assert pw not in text and base64.b64encode(f"\0{user}\0{pw}".encode()).decode() not in text
    for p in tmp_path.glob("mail.sqlite3*"):
        assert pw.encode() not in p.read_bytes()
    reopened = Store.open(tmp_path / "mail.sqlite3", readonly=True)
    assert reopened.count(f.id) == 1
    reopened.close()


def test_plain_connection_refuses_to_send_the_password_without_consent(
    dovecot: DovecotServer, mail_user: tuple[str, str]
) -> None:
    user, pw = mail_user
    with fault_proxy(dovecot.imap_port) as proxy:
        with pytest.raises(PlaintextAuthRefused, match="refusing to send the password in the clear"):
            session(dovecot, user, port=proxy.port, allow_plaintext=False)
        sent = bytes(proxy.from_client)
    assert pw.encode() not in sent and b"LOGIN" not in sent and b"AUTHENTICATE" not in sent
    # With consent it logs in; over STARTTLS no consent is needed.
    session(dovecot, user, allow_plaintext=True).logout()


def test_logindisabled_is_a_refusal_even_with_consent(dovecot: DovecotServer, mail_user: tuple[str, str]) -> None:
    user, pw = mail_user
    with fault_proxy(dovecot.imap_port, rewrite=with_caps(b"LOGINDISABLED")) as proxy:
        with pytest.raises(PlaintextAuthRefused, match="LOGINDISABLED"):
            session(dovecot, user, port=proxy.port, allow_plaintext=True)
        sent = bytes(proxy.from_client)
    assert pw.encode() not in sent and b"AUTHENTICATE" not in sent and b"LOGIN " not in sent


@pytest.mark.parametrize("word", ["plaintext", "ssl3", "ssh"])
def test_unknown_security_is_rejected(dovecot: DovecotServer, word: str) -> None:
    # The record refuses it as soon as it is read; nothing can reach the session with it.
    with pytest.raises(UnknownSecurity):
        ImapSession(Account("imap", dovecot.host, dovecot.imap_port, "u", word), "pw")  # type: ignore[arg-type]


def test_missing_security_means_tls_not_plaintext(dovecot: DovecotServer) -> None:
    acc = Account("imap", dovecot.host, dovecot.imap_port, "u", "")  # type: ignore[arg-type]
    assert ImapSession(acc, "pw").security is Security.TLS


def test_security_may_be_a_security_value(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    acc = Account("imap", dovecot.host, dovecot.imap_port, user, Security.STARTTLS)  # type: ignore[arg-type]
    with ImapSession(acc, pw, cafile=str(tls_material.ca_pem)) as s:
        assert s.wire is not None and s.wire.encrypted
    legacy = Account("imap", dovecot.host, dovecot.imap_port, user, "explicit")  # type: ignore[arg-type]
    assert ImapSession(legacy, pw).security is Security.STARTTLS


def test_authenticate_plain_without_sasl_ir(dovecot: DovecotServer, mail_user: tuple[str, str]) -> None:
    user, _pw = mail_user
    with fault_proxy(dovecot.imap_port, rewrite=without_caps(b"SASL-IR")) as proxy:
        s = session(dovecot, user, port=proxy.port)
        assert s.qresync and "IMAP4REV1" in s.capabilities
        s.logout()
    assert b"AUTHENTICATE PLAIN\r\n" in bytes(proxy.from_client)


def test_non_ascii_user_logs_in_by_literal_and_the_log_hides_the_password(
    dovecot_shared: DovecotServer, tmp_path: Path
) -> None:
    """Issue 9 item 5b: LOGIN with a literal user name, then a password with a quote and a backslash.

    The ``shared`` profile accepts UTF-8 user names (Dovecot's default allows only ASCII ones).
    """
    dovecot = dovecot_shared
    user = f"người{uuid.uuid4().hex[:6]}"
    pw = 'pa"ss\\wörd ' + uuid.uuid4().hex[:6]
    dovecot.add_user(user, pw)
    dovecot.doveadm("save", "-u", user, "-m", "INBOX", input=make_message(1, subject="Xin chào"))  # LMTP is ASCII
    log_path = tmp_path / "proto.log"
    log = ProtoLog(log_path)
    with fault_proxy(dovecot.imap_port, rewrite=without_caps(b"AUTH=PLAIN", b"AUTH=LOGIN", b"SASL-IR")) as proxy:
        s = session(dovecot, user, port=proxy.port, protolog=log)
        s.select("INBOX")
        assert s.uid_search("ALL") == [1]
        s.logout()
    log.close()
    sent = bytes(proxy.from_client)
    assert user.encode() in sent and b"LOGIN {" in sent  # the user name went as a literal
    text = log_path.read_text()
    assert "LOGIN <redacted>" in text
    for secret in (pw, 'pa\\"ss', "wörd", user):
        assert secret not in text, secret


def test_newline_in_password_goes_as_a_literal_never_as_a_command() -> None:
    pw = "line1\r\nX1 DELETE INBOX"
    with fake_imap(lambda tag, line: None, caps=b"IMAP4rev1") as srv:
        s = ImapSession(Account("imap", "127.0.0.1", srv.port, "bob", "none"), pw, allow_plaintext=True, timeout=10)
        s.connect()
        s.logout()
    login = next(c for c in srv.commands if b" LOGIN " in c)
    assert login.endswith(b"{%d}\r\n" % len(pw) + pw.encode())
    assert not any(c.startswith(b"X1") for c in srv.commands)


def test_greeting_bye_is_a_server_error() -> None:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)

    def serve() -> None:
        c, _ = srv.accept()
        c.sendall(b"* BYE Too many connections from your address\r\n")
        c.close()

    t = threading.Thread(target=serve)
    t.start()
    acc = Account("imap", "127.0.0.1", srv.getsockname()[1], "u", "none")
    with pytest.raises(ServerError, match="Too many connections"):
        ImapSession(acc, "pw", allow_plaintext=True, timeout=10).connect()
    t.join()
    srv.close()
