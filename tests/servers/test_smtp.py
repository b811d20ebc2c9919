"""The aiosmtpd fixture accepts authenticated submissions and relays them into Dovecot."""

from __future__ import annotations

import imaplib
import smtplib
import ssl
from email.message import EmailMessage

import pytest

from tests.servers.common import TlsMaterial
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer


def _message(subject: str, to: str, body: str = "hello\n") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "alice@example.test"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def _ctx(tls: TlsMaterial) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(tls.ca_pem))


def _inbox_subjects(dovecot: DovecotServer, user: str, password: str) -> list[bytes]:
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as m:
        m.login(user, password)
        m.select("INBOX", readonly=True)
        typ, data = m.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        m.logout()
    if typ != "OK" or data == [None]:
        return []
    return [item[1].strip() for item in data if isinstance(item, tuple)]


def test_submission_starttls_auth_delivers_to_imap(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, password = mail_user
    with smtplib.SMTP(smtp_clean.host, smtp_clean.submission_port, timeout=10) as s:
        s.ehlo()
        assert s.has_extn("starttls")
        assert not s.has_extn("auth")  # only after STARTTLS
        s.starttls(context=_ctx(tls_material))
        s.ehlo()
        assert "PLAIN" in s.esmtp_features["auth"] and "LOGIN" in s.esmtp_features["auth"]
        assert int(s.esmtp_features["size"]) == smtp_clean.size_limit
        s.login(user, password)
        refused = s.send_message(_message("over submission", dovecot.address(user)))
        assert refused == {}
    assert _inbox_subjects(dovecot, user, password) == [b"Subject: over submission"]
    assert len(smtp_clean.received) == 1
    assert smtp_clean.received[0].rcpt_tos == [dovecot.address(user)]


def test_auth_login_mechanism(smtp_clean: SmtpServer, mail_user: tuple[str, str], tls_material: TlsMaterial) -> None:
    user, password = mail_user
    with smtplib.SMTP(smtp_clean.host, smtp_clean.submission_port, timeout=10) as s:
        s.starttls(context=_ctx(tls_material))
        s.ehlo()
        s.user, s.password = user, password  # smtplib's auth_login() reads these
        code, _ = s.auth("LOGIN", s.auth_login, initial_response_ok=False)
    assert code == 235


def test_implicit_tls_port(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, password = mail_user
    with smtplib.SMTP_SSL(smtp_clean.host, smtp_clean.smtps_port, context=_ctx(tls_material), timeout=10) as s:
        s.login(f"{user}@example.test", password)
        s.send_message(_message("over smtps", dovecot.address(user)))
    assert _inbox_subjects(dovecot, user, password) == [b"Subject: over smtps"]


def test_plain_port_allows_auth_without_tls(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str]
) -> None:
    user, password = mail_user
    with smtplib.SMTP(smtp_clean.host, smtp_clean.plain_port, timeout=10) as s:
        s.ehlo()
        assert not s.has_extn("starttls")
        s.login(user, password)
        s.send_message(_message("over plain", dovecot.address(user)))
    assert _inbox_subjects(dovecot, user, password) == [b"Subject: over plain"]


def test_wrong_password_535(smtp_clean: SmtpServer, tls_material: TlsMaterial) -> None:
    with smtplib.SMTP(smtp_clean.host, smtp_clean.submission_port, timeout=10) as s:
        s.starttls(context=_ctx(tls_material))
        with pytest.raises(smtplib.SMTPAuthenticationError) as exc:
            s.login("alice", "not-the-password")
        assert exc.value.smtp_code == 535


def test_unknown_user_535(smtp_clean: SmtpServer, tls_material: TlsMaterial) -> None:
    with smtplib.SMTP_SSL(smtp_clean.host, smtp_clean.smtps_port, context=_ctx(tls_material), timeout=10) as s:
        with pytest.raises(smtplib.SMTPAuthenticationError) as exc:
            s.login("nobody", "whatever")
        assert exc.value.smtp_code == 535


def test_auth_before_starttls_refused(smtp_clean: SmtpServer) -> None:
    with smtplib.SMTP(smtp_clean.host, smtp_clean.submission_port, timeout=10) as s:
        s.ehlo()
        code, _ = s.docmd("AUTH", "PLAIN AGFsaWNlAGFsaWNlLXB3")
        assert code == 530  # must issue STARTTLS first


def test_unauthenticated_mail_refused(smtp_clean: SmtpServer, tls_material: TlsMaterial) -> None:
    with smtplib.SMTP(smtp_clean.host, smtp_clean.submission_port, timeout=10) as s:
        s.starttls(context=_ctx(tls_material))
        s.ehlo()
        code, _ = s.mail("alice@example.test")
        assert code == 530
    with smtplib.SMTP_SSL(smtp_clean.host, smtp_clean.smtps_port, context=_ctx(tls_material), timeout=10) as s:
        s.ehlo()
        with pytest.raises(smtplib.SMTPSenderRefused) as exc:
            s.sendmail("alice@example.test", ["bob@example.test"], b"Subject: x\r\n\r\nx\r\n")
        assert exc.value.smtp_code == 530
    assert smtp_clean.received == []


def test_message_over_size_limit_refused(
    smtp_clean: SmtpServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, password = mail_user
    big = b"Subject: big\r\n\r\n" + (b"x" * 998 + b"\r\n") * (smtp_clean.size_limit // 1000 + 10)
    with smtplib.SMTP(smtp_clean.host, smtp_clean.submission_port, timeout=30) as s:
        s.starttls(context=_ctx(tls_material))
        s.login(user, password)
        # With SIZE= declared (smtplib does that itself), MAIL FROM is refused up front.
        with pytest.raises(smtplib.SMTPSenderRefused) as exc:
            s.sendmail("alice@example.test", [f"{user}@example.test"], big)
        assert exc.value.smtp_code == 552
        # Without SIZE=, the server reads the data and refuses it at the end of DATA.
        s.rset()
        assert s.docmd("MAIL", "FROM:<alice@example.test>")[0] == 250
        assert s.rcpt(f"{user}@example.test")[0] == 250
        code, _ = s.data(big)
        assert code == 552
    assert smtp_clean.received == []


def test_fail_next_data_with(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, password = mail_user
    smtp_clean.fail_next_data_with = "451 4.3.0 try later"
    with smtplib.SMTP_SSL(smtp_clean.host, smtp_clean.smtps_port, context=_ctx(tls_material), timeout=10) as s:
        s.login(user, password)
        with pytest.raises(smtplib.SMTPDataError) as exc:
            s.send_message(_message("first try", dovecot.address(user)))
        assert exc.value.smtp_code == 451
        s.send_message(_message("second try", dovecot.address(user)))  # fault was one-shot
    assert _inbox_subjects(dovecot, user, password) == [b"Subject: second try"]


@pytest.mark.parametrize("port_attr", ["submission_port", "smtps_port"])
def test_drop_after_data_once(
    smtp_clean: SmtpServer,
    dovecot: DovecotServer,
    mail_user: tuple[str, str],
    tls_material: TlsMaterial,
    port_attr: str,
) -> None:
    user, password = mail_user
    smtp_clean.drop_after_data_once = True
    port = getattr(smtp_clean, port_attr)
    if port_attr == "smtps_port":
        s: smtplib.SMTP = smtplib.SMTP_SSL(smtp_clean.host, port, context=_ctx(tls_material), timeout=10)
    else:
        s = smtplib.SMTP(smtp_clean.host, port, timeout=10)
        s.starttls(context=_ctx(tls_material))
    s.login(user, password)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        s.send_message(_message("reply lost", dovecot.address(user)))
    s.close()
    # The message was accepted and delivered even though the client never saw the 250.
    assert _inbox_subjects(dovecot, user, password) == [b"Subject: reply lost"]
    assert len(smtp_clean.received) == 1
    assert smtp_clean.drop_after_data_once is False


def test_users_added_later_can_submit(
    smtp_clean: SmtpServer, dovecot: DovecotServer, tls_material: TlsMaterial
) -> None:
    user, password = dovecot.new_user("late")
    with smtplib.SMTP_SSL(smtp_clean.host, smtp_clean.smtps_port, context=_ctx(tls_material), timeout=10) as s:
        s.login(user, password)
        s.send_message(_message("late user", f"{user}@example.test"), to_addrs=[f"{user}@example.test"])
    assert _inbox_subjects(dovecot, user, password) == [b"Subject: late user"]


def test_external_recipients_recorded_not_relayed(
    smtp_clean: SmtpServer, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, password = mail_user
    with smtplib.SMTP_SSL(smtp_clean.host, smtp_clean.smtps_port, context=_ctx(tls_material), timeout=10) as s:
        s.login(user, password)
        s.sendmail(
            dovecot.address(user), [dovecot.address(user), "someone@elsewhere.example"], b"Subject: mixed\r\n\r\nx\r\n"
        )
        smtp_clean.reject_unknown_recipients = True
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            s.sendmail(dovecot.address(user), ["someone@elsewhere.example"], b"Subject: no\r\n\r\nx\r\n")
    assert smtp_clean.received[0].rcpt_tos == [dovecot.address(user), "someone@elsewhere.example"]
    assert _inbox_subjects(dovecot, user, password) == [b"Subject: mixed"]
