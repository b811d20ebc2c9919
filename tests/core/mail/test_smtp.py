"""SMTP submission against the real aiosmtpd fixture (relaying to Dovecot by LMTP)."""

from __future__ import annotations

import imaplib
import time

import pytest

from app.core.errors import AuthError, StartTlsUnavailable, TlsError
from app.core.mail.mime import Compose, compose_bytes, parse_message
from app.core.mail.smtp import (
    DeliveryUnknown,
    MessageTooLarge,
    PlaintextAuthRefused,
    RecipientsRefused,
    Security,
    SmtpConfig,
    SmtpSender,
    SmtpTemporaryError,
)
from tests.servers.common import TlsMaterial
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer


def _sender(
    smtp: SmtpServer,
    tls: TlsMaterial,
    user: str,
    password: str,
    security: Security = Security.STARTTLS,
    port: int | None = None,
    **kw: object,
) -> SmtpSender:
    if port is None:
        port = {
            Security.STARTTLS: smtp.submission_port,
            Security.TLS: smtp.smtps_port,
            Security.NONE: smtp.plain_port,
        }[security]
    cfg = SmtpConfig(
        smtp.host,
        port,
        security,
        username=user,
        cafile=str(tls.ca_pem),
        timeout=20,
        **kw,  # type: ignore[arg-type]
    )
    return SmtpSender(cfg, password=password)


def _msg(dovecot: DovecotServer, user: str, subject: str = "Hello") -> tuple[str, bytes]:
    c = Compose(from_addr=dovecot.address(user), to=[dovecot.address(user)], subject=subject, text="body\n")
    raw = compose_bytes(c)
    assert c.message_id
    return c.message_id, raw


def imap_fetch_all(dovecot: DovecotServer, user: str, password: str, folder: str = "INBOX") -> list[bytes]:
    """All messages of a folder, via stdlib imaplib (waits briefly for LMTP delivery)."""
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as imap:
        imap.login(user, password)
        imap.select(folder)
        _, data = imap.uid("SEARCH", "ALL")
        uids = data[0].split() if data and data[0] else []
        out: list[bytes] = []
        for uid in uids:
            _, fetched = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            for item in fetched:
                if isinstance(item, tuple):
                    out.append(item[1])
        return out


def wait_for_messages(
    dovecot: DovecotServer, user: str, password: str, count: int, folder: str = "INBOX"
) -> list[bytes]:
    deadline = time.monotonic() + 15
    msgs = imap_fetch_all(dovecot, user, password, folder)
    while len(msgs) < count and time.monotonic() < deadline:
        time.sleep(0.1)
        msgs = imap_fetch_all(dovecot, user, password, folder)
    return msgs


def test_starttls_auth_delivers(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    mid, raw = _msg(dovecot, user, "Xin chào")
    result = _sender(smtp_clean, tls_material, user, pw).send(dovecot.address(user), [dovecot.address(user)], raw)
    assert result.accepted == [dovecot.address(user)]
    assert result.refused == {}
    assert result.reply.startswith("250")
    msgs = wait_for_messages(dovecot, user, pw, 1)
    assert len(msgs) == 1
    p = parse_message(msgs[0])
    assert p.message_id == mid
    assert p.subject == "Xin chào"


def test_implicit_tls_with_pin(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    _, raw = _msg(dovecot, user)
    cfg = SmtpConfig(
        smtp_clean.host, smtp_clean.smtps_port, Security.TLS, username=user, pin=tls_material.fingerprint_sha256()
    )
    SmtpSender(cfg, password=pw).send(dovecot.address(user), [dovecot.address(user)], raw)
    assert len(smtp_clean.received) == 1


def test_untrusted_certificate_is_tls_error_with_certificate(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    _, raw = _msg(dovecot, user)
    for security, port in ((Security.TLS, smtp_clean.smtps_port), (Security.STARTTLS, smtp_clean.submission_port)):
        cfg = SmtpConfig(smtp_clean.host, port, security, username=user)
        with pytest.raises(TlsError) as ei:
            SmtpSender(cfg, password=pw).send(dovecot.address(user), [dovecot.address(user)], raw)
        assert ei.value.certificate is not None
        assert ei.value.certificate.fingerprint_display == tls_material.fingerprint_sha256()
    wrong = "00" * 32
    cfg = SmtpConfig(smtp_clean.host, smtp_clean.smtps_port, Security.TLS, username=user, pin=wrong)
    with pytest.raises(TlsError):
        SmtpSender(cfg, password=pw).send(dovecot.address(user), [dovecot.address(user)], raw)
    assert smtp_clean.received == []


def test_starttls_missing_is_refused(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    _, raw = _msg(dovecot, user)
    s = _sender(smtp_clean, tls_material, user, pw, Security.STARTTLS, port=smtp_clean.plain_port)
    with pytest.raises(StartTlsUnavailable):
        s.send(dovecot.address(user), [dovecot.address(user)], raw)


def test_plaintext_needs_explicit_permission(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    _, raw = _msg(dovecot, user)
    with pytest.raises(PlaintextAuthRefused):
        _sender(smtp_clean, tls_material, user, pw, Security.NONE).send(
            dovecot.address(user), [dovecot.address(user)], raw
        )
    s = _sender(smtp_clean, tls_material, user, pw, Security.NONE, allow_plaintext_auth=True)
    s.send(dovecot.address(user), [dovecot.address(user)], raw)
    assert len(smtp_clean.received) == 1


def test_wrong_password_is_auth_error(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, _ = mail_user
    _, raw = _msg(dovecot, user)
    with pytest.raises(AuthError) as ei:
        _sender(smtp_clean, tls_material, user, "wrong-password").send(
            dovecot.address(user), [dovecot.address(user)], raw
        )
    assert "wrong-password" not in str(ei.value)
    assert smtp_clean.received == []


def test_size_limit_checked_before_upload(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    c = Compose(from_addr=dovecot.address(user), to=[dovecot.address(user)], subject="big", text="x" * 5000)
    raw = compose_bytes(c)
    with SmtpServer(tls_material, dovecot.host, dovecot.lmtp_port, dovecot.users, size_limit=2000) as small:
        with pytest.raises(MessageTooLarge) as ei:
            _sender(small, tls_material, user, pw).send(dovecot.address(user), [dovecot.address(user)], raw)
        assert ei.value.limit == 2000
        assert ei.value.size == len(raw)
        assert "at most" in str(ei.value)
        assert small.received == []


def test_per_recipient_failures(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    _, raw = _msg(dovecot, user)
    smtp_clean.reject_unknown_recipients = True
    s = _sender(smtp_clean, tls_material, user, pw)
    result = s.send(dovecot.address(user), ["nobody-here@example.test", dovecot.address(user)], raw)
    assert result.accepted == [dovecot.address(user)]
    assert set(result.refused) == {"nobody-here@example.test"}
    assert result.refused["nobody-here@example.test"].code == 550
    assert not result.refused["nobody-here@example.test"].temporary
    with pytest.raises(RecipientsRefused) as ei:
        s.send(dovecot.address(user), ["nobody-here@example.test"], raw)
    assert not ei.value.temporary


def test_temporary_data_failure_and_drop_after_data(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    _, raw = _msg(dovecot, user)
    s = _sender(smtp_clean, tls_material, user, pw)
    smtp_clean.fail_next_data_with = "451 4.3.0 try later"
    with pytest.raises(SmtpTemporaryError) as ei:
        s.send(dovecot.address(user), [dovecot.address(user)], raw)
    assert ei.value.code == 451
    phases: list[str] = []
    smtp_clean.drop_after_data_once = True
    with pytest.raises(DeliveryUnknown):
        s.send(dovecot.address(user), [dovecot.address(user)], raw, on_data_phase=lambda: phases.append("data"))
    assert phases == ["data"]
    assert len(smtp_clean.received) == 1


def test_server_down_is_network_error(tls_material: TlsMaterial) -> None:
    from app.core.errors import NetworkError
    from tests.servers.common import free_port

    cfg = SmtpConfig("127.0.0.1", free_port(), Security.STARTTLS, username="x", cafile=str(tls_material.ca_pem))
    with pytest.raises(NetworkError) as ei:
        SmtpSender(cfg, password="pw").send("a@example.test", ["b@example.test"], b"Subject: x\r\n\r\nx\r\n")
    assert not isinstance(ei.value, DeliveryUnknown)


def test_smtputf8_only_when_offered_and_8bit_body(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    from typing import Any

    from aiosmtpd.controller import Controller

    from app.core.mail.smtp import NonAsciiAddressUnsupported

    user, pw = mail_user
    raw = b"From: x@example.test\r\nSubject: 8bit\r\nContent-Type: text/plain; charset=utf-8\r\n"
    raw += b"Content-Transfer-Encoding: 8bit\r\n\r\n" + "Tiếng Việt thô\r\n".encode()
    # the session server offers SMTPUTF8 and 8BITMIME
    s = _sender(smtp_clean, tls_material, user, pw)
    s.send(dovecot.address(user), ["người-nhận@example.test", dovecot.address(user)], raw)
    (env,) = smtp_clean.received
    assert "SMTPUTF8" in env.mail_options and "BODY=8BITMIME" in env.mail_options
    assert env.rcpt_tos[0] == "người-nhận@example.test"
    (got,) = wait_for_messages(dovecot, user, pw, 1)
    assert "Tiếng Việt thô".encode() in got

    class NoUtf8(SmtpServer):
        def _controller(self, port: int, **kwargs: Any) -> Controller:
            return super()._controller(port, enable_SMTPUTF8=False, **kwargs)

    with NoUtf8(tls_material, dovecot.host, dovecot.lmtp_port, dovecot.users) as old:
        with pytest.raises(NonAsciiAddressUnsupported):
            _sender(old, tls_material, user, pw).send(dovecot.address(user), ["người@example.test"], raw)
        assert old.received == []


def test_protocol_log_has_no_password(
    smtp_clean: SmtpServer,
    dovecot: DovecotServer,
    mail_user: tuple[str, str],
    tls_material: TlsMaterial,
    tmp_path: object,
) -> None:
    from pathlib import Path

    from app.core.protolog import ProtoLog

    user, pw = mail_user
    path = Path(str(tmp_path)) / "proto.log"
    log = ProtoLog(path)
    cfg = SmtpConfig(smtp_clean.host, smtp_clean.submission_port, username=user, cafile=str(tls_material.ca_pem))
    _, raw = _msg(dovecot, user)
    SmtpSender(cfg, password=pw, protolog=log).send(dovecot.address(user), [dovecot.address(user)], raw)
    log.close()
    text = path.read_text()
    assert "MAIL FROM" in text and "STARTTLS" in text
    assert pw not in text


def test_blocking_send_on_the_loop_itself_is_a_bug() -> None:
    import asyncio

    from app.core.errors import Bug
    from app.core.mail.smtp import run_on_smtp_loop

    async def inner() -> None:
        run_on_smtp_loop(asyncio.sleep(0))

    with pytest.raises(Bug):
        run_on_smtp_loop(inner())


def test_temporary_recipient_refusal(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    _, raw = _msg(dovecot, user)
    smtp_clean.fail_next_rcpt_with = "450 4.2.1 mailbox busy"
    with pytest.raises(RecipientsRefused) as ei:
        _sender(smtp_clean, tls_material, user, pw).send(dovecot.address(user), [dovecot.address(user)], raw)
    assert ei.value.temporary and ei.value.code == 450
    assert smtp_clean.received == []
