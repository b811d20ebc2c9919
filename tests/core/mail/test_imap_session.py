"""Connecting to the real Dovecot: TLS verification and pinning, STARTTLS stripping, auth, redacted logs."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import AuthError, StartTlsUnavailable, TlsError
from app.core.mail.imap.response import Response
from app.core.mail.imap.session import ImapSession
from app.core.mail.imap.sync import sync_folder
from app.core.mail.store import Store
from app.core.protolog import ProtoLog
from app.core.tls import normalize_fingerprint
from tests.core.mail.imap_helpers import account, cache, fault_proxy, make_message, session
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


class _LoginOnly(ImapSession):
    """Pretend the server offers no SASL mechanisms, to exercise the LOGIN command."""

    def _caps_from(self, resp: Response) -> None:
        super()._caps_from(resp)
        self.capabilities = frozenset(c for c in self.capabilities if not c.startswith(("AUTH=", "SASL-IR")))


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
    # The plain LOGIN path too (no SASL-IR): the password is a quoted string on the command line.
    log2 = ProtoLog(tmp_path / "proto2.log")
    s2 = _LoginOnly(account(dovecot, user), pw, protolog=log2)
    s2.connect()
    s2.logout()
    log.close()
    log2.close()
    store.close()
    text = log_path.read_text() + (tmp_path / "proto2.log").read_text()
    assert "FETCH" in text and "AUTHENTICATE PLAIN <redacted>" in text and "LOGIN <redacted>" in text
    assert pw not in text
    for p in tmp_path.glob("mail.sqlite3*"):
        assert pw.encode() not in p.read_bytes()
    reopened = Store.open(tmp_path / "mail.sqlite3", readonly=True)
    assert reopened.count(f.id) == 1
    reopened.close()
