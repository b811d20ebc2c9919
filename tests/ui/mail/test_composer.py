"""The composer against the real servers: a reply with a dropped file arrives threaded and intact; send later."""
# ruff: noqa: F811  (pytest fixtures imported from composer_helpers are parameters here)

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QUrl
from pytestqt.qtbot import QtBot

from app.core.mail import outbox as ob
from app.ui.mail.address_field import chip_mime
from app.ui.mail.composer import ComposerWindow
from app.ui.mail.composer_attachments import MESSAGE_IDS_MIME
from app.ui.mail.composer_outbox import OutboxRunner
from tests.servers.dovecot import DovecotServer
from tests.ui.mail.composer_helpers import (  # noqa: F401
    MailSetup,
    delivered,
    drop,
    folder_messages,
    mail_setup,
    type_text,
)

ORIGINAL = (
    "From: Bình Trần <binh@example.test>\r\n"
    "To: {me}\r\n"
    "Subject: RE: Re: Hợp đồng quý 4\r\n"
    "Date: Mon, 23 Nov 2026 09:00:00 +0700\r\n"
    "Message-ID: <orig-1@example.test>\r\n"
    "References: <root@example.test> <mid@example.test>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Anh xem giúp em bản hợp đồng.\r\n"
)


def _cache_original(setup: MailSetup, raw: bytes) -> int:
    st = setup.backend.store()
    acc = st.ensure_account(setup.profile.key, "imap", "127.0.0.1", setup.profile.incoming.port, setup.user)
    folder = st.ensure_imap_folder(acc, "INBOX", "INBOX")
    return st.add_local_message(folder, raw)


def _wait_done(qtbot: QtBot, setup: MailSetup, item_id: int, timeout: int = 20000) -> ob.OutboxItem:
    qtbot.waitUntil(lambda: setup.backend.outbox.get(item_id).state in (ob.DONE, ob.HELD, ob.UNKNOWN), timeout=timeout)
    return setup.backend.outbox.get(item_id)


def test_reply_with_dropped_file_arrives_threaded_with_the_attachment(
    qtbot: QtBot, mail_setup: MailSetup, dovecot: DovecotServer, tmp_path: Path
) -> None:
    setup = mail_setup
    bob, _ = dovecot.new_user("r")
    bob_addr = dovecot.address(bob)
    raw = ORIGINAL.format(me=setup.address).replace("binh@example.test", bob_addr).encode()
    mid = _cache_original(setup, raw)
    runner = OutboxRunner(setup.backend, setup.runner)
    w = ComposerWindow.for_reply(setup.backend, setup.runner, mid, outbox=runner)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.subject.text() == "Re: Hợp đồng quý 4", timeout=10000)
    assert w.to_field.addresses() == [f"Bình Trần <{bob_addr}>"]
    assert "> Anh xem giúp em bản hợp đồng." in w.editor.toPlainText()
    assert "-- \nTest User\nQuay tests" in w.editor.toPlainText()
    w.editor.setFocus()
    type_text(w.editor, "Em gửi anh bản đã sửa.")
    # A file dropped from the file manager.
    payload = bytes(range(256)) * 400 + "hợp đồng".encode()
    f = tmp_path / "hợp đồng v2.pdf"
    f.write_bytes(payload)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    assert drop(w.attachments, mime)
    assert [a.name for a in w.attachments.attachments()] == ["hợp đồng v2.pdf"]
    with qtbot.waitSignal(w.queued, timeout=10000) as sig:
        w.send_action.trigger()
    item = _wait_done(qtbot, setup, sig.args[0])
    assert item.state == ob.DONE, item.last_error
    got = [m for m in delivered(dovecot, bob) if m["Subject"] == "Re: Hợp đồng quý 4"]
    assert len(got) == 1
    msg = got[0]
    assert msg["In-Reply-To"] == "<orig-1@example.test>"
    assert msg["References"].split() == ["<root@example.test>", "<mid@example.test>", "<orig-1@example.test>"]
    body = msg.get_body(("plain",))
    assert body is not None and body.get_content().startswith("Em gửi anh bản đã sửa.")
    atts = list(msg.iter_attachments())
    assert [a.get_filename() for a in atts] == ["hợp đồng v2.pdf"]
    assert hashlib.sha256(atts[0].get_content()).digest() == hashlib.sha256(payload).digest()
    # Filed once in the server's Sent folder; the window closed; no draft journal left behind.
    assert [m["Message-ID"] for m in folder_messages(dovecot, setup.user, "Sent")] == [msg["Message-ID"]]
    qtbot.waitUntil(lambda: not any((setup.paths.data / "open-drafts").glob("*.json")), timeout=5000)
    assert not w.isVisible()


def test_send_later_waits_for_the_time(qtbot: QtBot, mail_setup: MailSetup, dovecot: DovecotServer) -> None:
    setup = mail_setup
    clock = setup.backend.clock
    bob, _ = dovecot.new_user("l")
    runner = OutboxRunner(setup.backend, setup.runner)
    w = ComposerWindow.for_new(setup.backend, setup.runner, to=[dovecot.address(bob)], outbox=runner)
    qtbot.addWidget(w)
    w.subject.setText("Nhắc việc")
    w.editor.setPlainText("Sáng mai họp lúc 9 giờ.")
    when = clock() + 3600
    with qtbot.waitSignal(w.queued, timeout=10000) as sig:
        w.send(when)
    item_id = sig.args[0]
    item = setup.backend.outbox.get(item_id)
    assert item.state == ob.QUEUED and item.not_before == when
    runner.check()  # a tick before the time: nothing goes
    assert setup.backend.outbox.get(item_id).state == ob.QUEUED
    assert runner.timer.isActive() and runner.timer.interval() <= 60_000
    clock.now = when + 1  # type: ignore[attr-defined]
    runner.check()
    assert _wait_done(qtbot, setup, item_id).state == ob.DONE
    assert [m["Subject"] for m in delivered(dovecot, bob)] == ["Nhắc việc"]


def test_attachment_promise_without_attachment_asks_first(qtbot: QtBot, mail_setup: MailSetup) -> None:
    setup = mail_setup
    w = ComposerWindow.for_new(setup.backend, setup.runner, to=["x@example.test"])
    qtbot.addWidget(w)
    w.editor.setPlainText("Em gửi anh file đính kèm.")
    asked: list[str] = []

    def refuse(title: str, text: str) -> bool:
        asked.append(text)
        return False

    w._confirm = refuse  # type: ignore[method-assign]
    w.send_action.trigger()
    assert asked and "đính kèm" in asked[0]
    assert setup.backend.outbox.items() == [] and w.isVisible()


def test_chips_complete_and_move_between_fields(qtbot: QtBot, mail_setup: MailSetup) -> None:
    setup = mail_setup
    w = ComposerWindow.for_new(setup.backend, setup.runner)
    qtbot.addWidget(w)
    from app.core.mail.addressbook import Contact

    contacts = [
        Contact("An Nguyễn", "an@congty.vn", 9),
        Contact("An Nguyễn", "an.nguyen@gmail.com", 3),
        Contact("Bình", "binh@x.vn", 5),
    ]
    w.to_field.set_contacts(contacts)
    w.to_field.editor.setFocus()
    type_text(w.to_field.editor, "nguyen")  # no accent typed, still found; both of An's addresses offered
    assert w.to_field.model.stringList() == ["An Nguyễn <an@congty.vn>", "An Nguyễn <an.nguyen@gmail.com>"]
    w.to_field.completer.activated.emit("An Nguyễn <an@congty.vn>")
    type_text(w.to_field.editor, "c@d.vn,")
    assert w.to_field.addresses() == ["An Nguyễn <an@congty.vn>", "c@d.vn"]
    chip = w.to_field.chips[1]
    assert drop(w.cc_field, chip_mime(chip.address, chip))
    assert w.to_field.addresses() == ["An Nguyễn <an@congty.vn>"] and w.cc_field.addresses() == ["c@d.vn"]
    qtbot.keyClick(w.cc_field.editor, Qt.Key.Key_Backspace)  # takes the last chip back for editing
    assert w.cc_field.editor.text() == "c@d.vn" and w.cc_field.chips == []


def test_messages_dropped_from_the_list_become_eml_attachments(qtbot: QtBot, mail_setup: MailSetup) -> None:
    setup = mail_setup
    mid = _cache_original(setup, ORIGINAL.format(me=setup.address).encode())
    w = ComposerWindow.for_new(setup.backend, setup.runner)
    qtbot.addWidget(w)
    mime = QMimeData()
    mime.setData(MESSAGE_IDS_MIME, f"[{mid}]".encode())
    assert drop(w, mime)
    qtbot.waitUntil(lambda: len(w.attachments.attachments()) == 1, timeout=5000)
    att = w.attachments.attachments()[0]
    assert att.name == "RE_ Re_ Hợp đồng quý 4.eml" and att.guessed_type == "message/rfc822"
    c = w.build_compose()
    assert c.forwarded and b"orig-1@example.test" in c.forwarded[0]


def test_rich_mode_sends_html_with_a_faithful_plain_part(
    qtbot: QtBot, mail_setup: MailSetup, dovecot: DovecotServer
) -> None:
    setup = mail_setup
    bob, _ = dovecot.new_user("h")
    runner = OutboxRunner(setup.backend, setup.runner)
    w = ComposerWindow.for_new(setup.backend, setup.runner, to=[dovecot.address(bob)], outbox=runner)
    qtbot.addWidget(w)
    w.rich_action.trigger()
    assert w.editor.rich and w.format_bar.isVisibleTo(w)
    w.editor.clear()
    w.editor.setFocus()
    type_text(w.editor, "Chào ")
    w.editor.bold_action.trigger()
    type_text(w.editor, "anh")
    w.editor.bold_action.trigger()
    qtbot.keyClick(w.editor, Qt.Key.Key_Return)
    w.editor.bullet_action.trigger()
    type_text(w.editor, "một")
    w.subject.setText("Định dạng")
    with qtbot.waitSignal(w.queued, timeout=10000) as sig:
        w.send_action.trigger()
    assert _wait_done(qtbot, setup, sig.args[0]).state == ob.DONE
    msg = next(m for m in delivered(dovecot, bob) if m["Subject"] == "Định dạng")
    assert msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert plain.splitlines()[:2] == ["Chào *anh*", "- một"]
    assert "<b>anh</b>" in html and "<li>một</li>" in html
