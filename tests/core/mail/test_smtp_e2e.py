"""Done-when: a rich message goes out through aiosmtpd (STARTTLS + AUTH), into Dovecot by LMTP,
and comes back intact over IMAP (stdlib imaplib) and over POP3 (our pop3.py)."""

from __future__ import annotations

from pathlib import Path

from app.core.mail.mime import Attachment, Compose, InlineImage, ParsedMessage, compose_bytes, parse_message
from app.core.mail.pop3 import Pop3Config, Pop3Options, Pop3Session, Pop3State, StoreFolderSink, download
from app.core.mail.smtp import Security, SmtpConfig, SmtpSender
from app.core.mail.store import Store
from tests.core.mail.test_smtp import wait_for_messages
from tests.servers.common import TlsMaterial
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + bytes(range(200))
ATTACHMENT = bytes(range(256)) * 40


def _check(p: ParsedMessage, c: Compose) -> None:
    assert p.subject == c.subject
    assert p.message_id == c.message_id
    assert p.in_reply_to == c.in_reply_to
    assert p.references == c.references
    assert p.text.replace("\r\n", "\n") == c.text
    assert p.html is not None and p.html.replace("\r\n", "\n") == c.html
    (att,) = p.attachments
    assert att.filename == "Báo cáo tháng 11 – tiếng Việt.bin"
    assert att.data == ATTACHMENT
    (img,) = [x for x in p.parts if x.content_id == "logo@quay"]
    assert img.data == PNG and img.content_type == "image/png"


def test_rich_message_round_trip_smtp_imap_pop3(
    smtp_clean: SmtpServer,
    dovecot: DovecotServer,
    mail_user: tuple[str, str],
    tls_material: TlsMaterial,
    tmp_path: Path,
) -> None:
    user, pw = mail_user
    me = dovecot.address(user)
    c = Compose(
        from_addr=f"Nguyễn Văn A <{me}>",
        to=[f"Người nhận <{me}>"],
        subject="Chào bạn – báo cáo tháng 11 ✓ (ελληνικά, 日本語)",
        text="Xin chào,\n\nĐây là báo cáo.\nFrom here on, dots:\n.\n..\n",
        html='<p>Xin <b>chào</b> <img src="cid:logo@quay" alt="logo"></p>\n',
        attachments=[Attachment("Báo cáo tháng 11 – tiếng Việt.bin", ATTACHMENT)],
        inline_images=[InlineImage("logo@quay", PNG, "image/png", "logo.png")],
        in_reply_to="<parent@example.test>",
        references=["<root@example.test>", "<parent@example.test>"],
    )
    raw = compose_bytes(c)
    cfg = SmtpConfig(
        smtp_clean.host, smtp_clean.submission_port, Security.STARTTLS, username=me, cafile=str(tls_material.ca_pem)
    )
    result = SmtpSender(cfg, password=pw).send(c.envelope_sender(), c.envelope_recipients(), raw)
    assert result.accepted == [me]

    (over_imap,) = wait_for_messages(dovecot, user, pw, 1)
    _check(parse_message(over_imap), c)

    store = Store.open(tmp_path / "mail.sqlite3")
    acc = store.ensure_account(f"pop3:{user}", "pop3")
    folder = store.create_local_folder(acc, "Inbox")
    session = Pop3Session.connect(
        Pop3Config(dovecot.host, dovecot.pop3_port, user, "starttls", cafile=str(tls_material.ca_pem)), pw
    )
    report = download(
        session, Pop3State(tmp_path / "pop3.sqlite3"), "a", StoreFolderSink(store, folder), Pop3Options(keep=True)
    )
    assert len(report.downloaded) == 1
    (row,) = store.list_messages(folder)
    over_pop3 = store.raw_message(row.id)
    assert over_pop3 is not None
    _check(parse_message(over_pop3), c)
    assert row.subject == c.subject
    # the message body as submitted is inside what the server stored (it only prepends trace headers)
    assert raw.split(b"\r\n\r\n", 1)[1] in over_pop3
    store.close()
