"""The Dovecot fixture really serves IMAP, IMAPS, POP3, POP3S and LMTP."""

from __future__ import annotations

import imaplib
import poplib
import re
import ssl
from email.message import EmailMessage

import pytest

from tests.servers.common import TlsMaterial
from tests.servers.dovecot import DovecotServer


def _message(subject: str, to: str = "alice@example.test") -> bytes:
    msg = EmailMessage()
    msg["From"] = "sender@example.test"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(f"Body of {subject}\n")
    return msg.as_bytes().replace(b"\n", b"\r\n")


def _caps(conn: imaplib.IMAP4) -> set[str]:
    typ, data = conn.capability()
    assert typ == "OK"
    return set(data[-1].decode().upper().split())


def _ctx(tls: TlsMaterial) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(tls.ca_pem))
    return ctx


def test_imap_plain_login(dovecot: DovecotServer) -> None:
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as m:
        assert "STARTTLS" in m.capabilities
        typ, _ = m.login("alice", "alice-pw")
        assert typ == "OK"
        m.logout()


def test_imap_bad_password(dovecot: DovecotServer) -> None:
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as m, pytest.raises(imaplib.IMAP4.error):
        m.login("alice", "wrong")


def test_imap_starttls(dovecot: DovecotServer, tls_material: TlsMaterial) -> None:
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as m:
        m.starttls(ssl_context=_ctx(tls_material))
        assert isinstance(m.sock, ssl.SSLSocket)
        assert m.login("bob", "bob-pw")[0] == "OK"
        m.logout()


def test_imaps(dovecot: DovecotServer, tls_material: TlsMaterial) -> None:
    with imaplib.IMAP4_SSL(dovecot.host, dovecot.imaps_port, ssl_context=_ctx(tls_material)) as m:
        assert m.login("alice", "alice-pw")[0] == "OK"
        m.logout()


def test_imaps_untrusted_ca_rejected(dovecot: DovecotServer) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        imaplib.IMAP4_SSL(dovecot.host, dovecot.imaps_port, ssl_context=ssl.create_default_context())


def test_special_use_folders(dovecot: DovecotServer, mail_user: tuple[str, str]) -> None:
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as m:
        m.login(*mail_user)
        typ, data = m.list()
        assert typ == "OK"
        flags_by_name: dict[str, str] = {}
        for line in data:
            assert isinstance(line, bytes)
            match = re.match(rb'\((?P<flags>[^)]*)\) "(?P<sep>.)" (?P<name>.+)', line)
            assert match, line
            flags_by_name[match["name"].decode().strip('"')] = match["flags"].decode()
        assert "INBOX" in flags_by_name
        for name in ("Sent", "Drafts", "Trash", "Junk", "Archive"):
            assert f"\\{name}" in flags_by_name[name]
        m.logout()


def test_append_then_fetch(dovecot: DovecotServer, mail_user: tuple[str, str]) -> None:
    raw = _message("appended")
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as m:
        m.login(*mail_user)
        typ, _ = m.append("Drafts", "(\\Draft)", None, raw)
        assert typ == "OK"
        assert m.select("Drafts")[1] == [b"1"]
        typ, data = m.fetch("1", "(FLAGS BODY.PEEK[])")
        assert typ == "OK"
        item = data[0]
        assert isinstance(item, tuple)
        assert b"\\Draft" in item[0]
        assert item[1] == raw
        m.logout()


def test_lmtp_delivery_lands_in_inbox(dovecot: DovecotServer, mail_user: tuple[str, str]) -> None:
    user, password = mail_user
    dovecot.deliver(user, _message("via lmtp", dovecot.address(user)))
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as m:
        m.login(user, password)
        assert m.select("INBOX", readonly=True)[1] == [b"1"]
        _, data = m.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        item = data[0]
        assert isinstance(item, tuple)
        assert b"via lmtp" in item[1]
        m.logout()


def test_deliver_to_other_folder(dovecot: DovecotServer, mail_user: tuple[str, str]) -> None:
    user, password = mail_user
    dovecot.deliver(user, _message("archived"), folder="Archive")
    dovecot.deliver(user, _message("custom"), folder="Projects")
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as m:
        m.login(user, password)
        assert m.select("Archive", readonly=True)[1] == [b"1"]
        assert m.select("Projects", readonly=True)[1] == [b"1"]
        assert m.select("INBOX", readonly=True)[1] == [b"0"]
        m.logout()


def test_add_user_after_start_and_user_at_domain_login(dovecot: DovecotServer) -> None:
    dovecot.add_user("latecomer", "late-pw")
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as m:
        assert m.login("latecomer@example.test", "late-pw")[0] == "OK"
        m.logout()
    dovecot.add_user("latecomer", "changed-pw")
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as m:
        with pytest.raises(imaplib.IMAP4.error):
            m.login("latecomer", "late-pw")
        assert m.login("latecomer", "changed-pw")[0] == "OK"
        m.logout()


def test_reset_user(dovecot: DovecotServer, mail_user: tuple[str, str]) -> None:
    user, password = mail_user
    dovecot.deliver(user, _message("one"))
    dovecot.deliver(user, _message("two"), folder="Custom")
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as m:
        m.login(user, password)
        assert m.select("INBOX")[1] == [b"1"]
        dovecot.reset_user(user)  # kicks this session too
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as m:
        m.login(user, password)
        assert m.select("INBOX")[1] == [b"0"]
        _, data = m.list()
        assert not any(b"Custom" in line for line in data if isinstance(line, bytes))
        m.logout()


def _pop3_check(conn: poplib.POP3, user: str, password: str, subject: str) -> None:
    conn.user(user)
    conn.pass_(password)
    count, size = conn.stat()
    assert count == 1 and size > 0
    _, lines, _ = conn.retr(1)
    assert f"Subject: {subject}".encode() in lines
    conn.quit()


def test_pop3_plain(dovecot: DovecotServer, mail_user: tuple[str, str]) -> None:
    user, password = mail_user
    dovecot.deliver(user, _message("pop plain"))
    conn = poplib.POP3(dovecot.host, dovecot.pop3_port, timeout=10)
    assert "STLS" in conn.capa()
    _pop3_check(conn, user, password, "pop plain")


def test_pop3_stls(dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial) -> None:
    user, password = mail_user
    dovecot.deliver(user, _message("pop stls"))
    conn = poplib.POP3(dovecot.host, dovecot.pop3_port, timeout=10)
    conn.stls(context=_ctx(tls_material))
    assert isinstance(conn.sock, ssl.SSLSocket)
    _pop3_check(conn, user, password, "pop stls")


def test_pop3s(dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial) -> None:
    user, password = mail_user
    dovecot.deliver(user, _message("pop3s"))
    conn = poplib.POP3_SSL(dovecot.host, dovecot.pop3s_port, context=_ctx(tls_material), timeout=10)
    _pop3_check(conn, user, password, "pop3s")


def test_default_profile_has_condstore_qresync(dovecot: DovecotServer) -> None:
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as m:
        m.login("alice", "alice-pw")
        caps = _caps(m)
        assert {"CONDSTORE", "QRESYNC", "IDLE", "MOVE", "UIDPLUS", "SPECIAL-USE"} <= caps
        typ, _ = m._simple_command("ENABLE", "QRESYNC")
        assert typ == "OK"
        assert m.untagged_responses.get("ENABLED") == [b"QRESYNC"]
        m.logout()


def test_nocondstore_profile_hides_condstore_qresync(dovecot_nocondstore: DovecotServer) -> None:
    server = dovecot_nocondstore
    user, password = server.new_user()
    with imaplib.IMAP4(server.host, server.imap_port) as m:
        m.login(user, password)
        caps = _caps(m)
        assert "CONDSTORE" not in caps
        assert "QRESYNC" not in caps
        assert {"IDLE", "MOVE", "UIDPLUS", "SPECIAL-USE", "ENABLE"} <= caps
        m.logout()
