"""Tray icon and window title: unread counts, one notification per batch, hidden content, click opens the message.
Also the optional spell checker."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.ui.mail import composer_spell
from app.ui.main_window import app_icon
from app.ui.tray import MailTray, NewMail, set_unread_title, unread_title


def test_unread_count_in_title_and_tray(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QWidget

    w = QWidget()
    qtbot.addWidget(w)
    set_unread_title(w, "Hộp thư đến", 3)
    assert w.windowTitle() == "Hộp thư đến (3) — Quay"
    assert unread_title("Inbox", 0) == "Inbox — Quay"
    tray = MailTray(app_icon())
    tray.set_unread(5)
    assert "5" in tray.tray.toolTip()
    assert tray.tray.icon().cacheKey() != app_icon().cacheKey()  # the badge was drawn
    tray.set_unread(0)
    assert tray.tray.icon().cacheKey() == app_icon().cacheKey()


def test_one_notification_per_batch_and_click_opens_the_message(qtbot: QtBot) -> None:
    tray = MailTray(app_icon())
    tray.notify_new([NewMail(42, "An <an@x.vn>", "Báo cáo")])
    assert tray.last_notification == ("An <an@x.vn>", "Báo cáo")
    batch = [NewMail(50 + i, f"S{i}", f"Chủ đề {i}") for i in range(5)]
    tray.notify_new(batch)
    title, body = tray.last_notification
    assert "5" in title and body.count("\n") == 3 and "Chủ đề 0" in body
    with qtbot.waitSignal(tray.message_activated) as sig:
        tray.tray.messageClicked.emit()
    assert sig.args == [50]
    tray.hide_content = True
    tray.notify_new([NewMail(60, "Secret sender", "Secret subject")])
    assert "Secret" not in " ".join(tray.last_notification)


def test_spell_checking_is_optional(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    checker = composer_spell.SpellChecker()
    if checker.usable:  # with pyenchant and the hunspell dictionaries: both languages at once
        assert checker.check("hello") and checker.check("đính") and not checker.check("xqzwv")
    monkeypatch.setattr(composer_spell, "_enchant", lambda: None)
    assert composer_spell.available_languages() == []
    missing = composer_spell.SpellChecker()
    assert not missing.usable and missing.check("xqzwv")  # without a dictionary nothing is marked
