"""Login tests of the account wizard against the real Dovecot and SMTP fixtures, and profile storage."""

from __future__ import annotations

from pathlib import Path

from app.core.accounts import AccountBook
from app.core.mail.account_setup import (
    MailProfile,
    check_incoming,
    check_outgoing,
    load_profiles,
    remove_profile,
    reorder_profiles,
    save_profile,
)
from app.core.mail.autoconfig import ServerSettings
from app.core.mail.identities import Identity
from app.core.secrets import SecretStore
from app.core.tls import PinStore
from tests.servers.common import TlsMaterial, free_port
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import DEFAULT_SIZE_LIMIT, SmtpServer


def test_imap_and_pop3_login_outcomes(dovecot: DovecotServer, tls_material: TlsMaterial, tmp_path: Path) -> None:
    user, pw = dovecot.new_user()
    pins = PinStore(tmp_path / "pins.json")
    imaps = ServerSettings("imap", "127.0.0.1", dovecot.imaps_port, "tls", user)
    first = check_incoming(imaps, pw, pins)
    assert first.kind == "certificate" and first.certificate is not None
    assert first.certificate.fingerprint_display == tls_material.fingerprint_sha256()
    pins.pin("127.0.0.1", dovecot.imaps_port, first.certificate.fingerprint_sha256)
    assert check_incoming(imaps, pw, pins).ok
    assert check_incoming(imaps, "wrong", pins).kind == "auth"
    starttls = ServerSettings("imap", "127.0.0.1", dovecot.imap_port, "starttls", user)
    assert check_incoming(starttls, pw, None, cafile=str(tls_material.ca_pem)).ok
    plain = ServerSettings("imap", "127.0.0.1", dovecot.imap_port, "none", user)
    assert check_incoming(plain, pw, None).kind == "plaintext"
    pop3s = ServerSettings("pop3", "127.0.0.1", dovecot.pop3s_port, "tls", user)
    assert check_incoming(pop3s, pw, None, cafile=str(tls_material.ca_pem)).ok
    assert check_incoming(pop3s, "nope", None, cafile=str(tls_material.ca_pem)).kind == "auth"
    closed = ServerSettings("imap", "127.0.0.1", free_port(), "tls", user)
    assert check_incoming(closed, pw, None, timeout=3).kind == "unreachable"


def test_smtp_login_reports_size_and_refusals(smtp_server: SmtpServer, tls_material: TlsMaterial) -> None:
    ca = str(tls_material.ca_pem)
    sub = ServerSettings("smtp", "127.0.0.1", smtp_server.submission_port, "starttls", "alice")
    ok = check_outgoing(sub, "alice-pw", None, cafile=ca)
    assert ok.ok and ok.size_limit == DEFAULT_SIZE_LIMIT
    assert check_outgoing(sub, "bad", None, cafile=ca).kind == "auth"
    assert check_outgoing(sub, "alice-pw", None).kind == "certificate"
    plain = ServerSettings("smtp", "127.0.0.1", smtp_server.plain_port, "none", "alice")
    assert check_outgoing(plain, "alice-pw", None).kind == "plaintext"
    # A plain port where the account wants STARTTLS: the server offers none.
    assert check_outgoing(replace_port(sub, smtp_server.plain_port), "alice-pw", None).kind == "no_encryption"


def replace_port(s: ServerSettings, port: int) -> ServerSettings:
    return ServerSettings(s.kind, s.host, port, s.security, s.username)


def test_profiles_round_trip_and_order(tmp_path: Path) -> None:
    book = AccountBook(tmp_path / "accounts.json")
    secrets = SecretStore()
    a = MailProfile(
        ServerSettings("imap", "imap.a.vn", 993, "tls", "a@a.vn"),
        ServerSettings("smtp", "smtp.a.vn", 465, "tls", "a@a.vn"),
        "a@a.vn",
        "An",
        identities=[Identity("a@a.vn", "An", "An\nPhòng kế toán"), Identity("sales@a.vn", "Sales")],
    )
    b = MailProfile(
        ServerSettings("pop3", "pop.b.vn", 995, "tls", "b"),
        ServerSettings("smtp", "smtp.b.vn", 587, "starttls", "b"),
        "b@b.vn",
        pop3_keep=True,
        pop3_delete_after_days=14,
    )
    save_profile(book, a, secrets, incoming_password="pa", smtp_password="sa", remember=False)
    save_profile(book, b, secrets, incoming_password="pb", remember=False)
    loaded = load_profiles(AccountBook(tmp_path / "accounts.json"))
    assert [p.email for p in loaded] == ["a@a.vn", "b@b.vn"]
    assert loaded[0].identities[1].address == "sales@a.vn" and loaded[0].identities[0].signature.endswith("toán")
    assert loaded[1].pop3_delete_after_days == 14 and loaded[1].incoming.kind == "pop3"
    assert secrets.get(loaded[0].account().secret_key) == "pa"
    reorder_profiles(book, [b.key, a.key])
    assert [p.email for p in load_profiles(book)] == ["b@b.vn", "a@a.vn"]
    assert remove_profile(book, a.key, secrets) is not None
    assert [p.email for p in load_profiles(AccountBook(tmp_path / "accounts.json"))] == ["b@b.vn"]
    assert secrets.get(a.account().secret_key) is None
