"""The Mail side put together in the main window, as a user meets it: the folder opens with its unread count
in the title and the tray, Reply/Forward/Write open composers, files handed over become attachments, account
settings and the wizard open from the tab and the menu, new mail is announced once per batch (or only counted),
background errors reach the one status bar, dates follow the UI language, the settings are followed live, and
a ``mailto:`` link given to a second process opens a filled-in composer in the first one."""

# ruff: noqa: F811  (fixtures imported from other test modules are parameters here)
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from pytestqt.qtbot import QtBot

from app.core.errors import NetworkError
from app.core.mail.mime import Compose
from app.core.paths import AppPaths
from app.ui.i18n import Translations, locale_for
from app.ui.mail.accounts_dialog import AccountsDialog
from app.ui.mail.composer import ComposerWindow
from app.ui.mail.composer_drafts import DraftJournal
from app.ui.mail.message_model import COL_DATE, COL_SUBJECT, format_date
from app.ui.mail.wizard import AccountWizard
from app.ui.main_window import MainWindow
from app.ui.settings import Settings
from app.ui.single_instance import InstanceServer
from app.ui.tasks import task_errors
from tests.ui.mail.conftest import MailEnv, make_message
from tests.ui.test_single_instance import _launch, first  # noqa: F401

OLD_DAYS = 40


def _tree_texts(window: MainWindow) -> list[str]:
    m = window.mail_pane.tree_model
    out: list[str] = []

    def walk(parent) -> None:  # type: ignore[no-untyped-def]
        for r in range(m.rowCount(parent)):
            idx = m.index(r, 0, parent)
            out.append(str(idx.data()))
            walk(idx)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex())
    return out


@pytest.fixture
def window(qtbot: QtBot, mail_env: MailEnv, translations: Translations) -> Iterator[MainWindow]:
    """The real main window on a profile with the Dovecot account (its password known for this session)."""
    mail_env.deliver(make_message(20, "Hóa đơn cũ", age_hours=24 * OLD_DAYS))
    w = MainWindow(Settings(mail_env.paths), "en")
    w.services.secrets.remember_for_session(mail_env.account.secret_key, mail_env.password)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.start_mail()
    qtbot.waitUntil(lambda: w.windowTitle() == "Inbox (7) — Quay", timeout=30000)
    yield w


def _newest_composer(qtbot: QtBot, window: MainWindow, before: int) -> ComposerWindow:
    qtbot.waitUntil(lambda: len(window.composers) > before, timeout=10000)
    w = window.composers[-1]
    assert isinstance(w, ComposerWindow)
    return w


def test_reading_writing_and_settings_in_the_window(
    qtbot: QtBot, window: MainWindow, mail_env: MailEnv, tmp_path: Path
) -> None:
    tab = window.mail_pane
    # The Inbox opened by itself; its unread count is in the title and on the tray icon.
    assert "Inbox (7)" in _tree_texts(window)
    qtbot.waitUntil(lambda: window.tray.unread == 7, timeout=10000)
    assert tab.status_strip.parent() is window.statusBar()  # one status bar
    # Reply and Forward on the selected message open composers filled from it.
    qtbot.waitUntil(lambda: tab.model.rowCount() == 7, timeout=10000)
    tab.list.setCurrentIndex(tab.model.index(0, COL_SUBJECT))
    qtbot.waitUntil(lambda: tab.view.message is not None, timeout=10000)
    n = len(window.composers)
    tab.reply_action.trigger()
    reply = _newest_composer(qtbot, window, n)
    qtbot.waitUntil(lambda: reply.subject.text() == "Re: Message 0", timeout=10000)
    assert reply.current_identity() is not None  # the account's own address in From
    tab.forward_action.trigger()
    fwd = _newest_composer(qtbot, window, n + 1)
    qtbot.waitUntil(lambda: fwd.subject.text() == "Fwd: Message 0", timeout=10000)
    tab.write_action.trigger()
    new = _newest_composer(qtbot, window, n + 2)
    assert new.subject.text() == "" and new.editor.rich  # "write messages as" defaults to formatted
    # Files handed to Quay while the Mail tab is in front become attachments of a new message.
    report = tmp_path / "báo cáo.pdf"
    report.write_bytes(b"%PDF-1.4 test")
    window.open_files([report])
    attach = _newest_composer(qtbot, window, n + 3)
    assert [a.name for a in attach.attachments.attachments()] == ["báo cáo.pdf"]
    for w in list(window.composers):
        w.sent = True  # nothing to keep
        w.close()
    qtbot.waitUntil(lambda: window.composers == [], timeout=10000)
    # The account's settings open from the tab on that account.
    tab.account_settings_requested.emit(mail_env.account.key)
    dialog = window.findChild(AccountsDialog, "accounts-dialog")
    assert dialog is not None and dialog.isVisible() and dialog.current is not None
    assert dialog.current.key == mail_env.account.key
    dialog.close()
    # An error nobody handled reaches the status bar.
    task_errors().failed.emit(NetworkError("connection reset", host="127.0.0.1", port=993), "test")
    assert window.statusBar().currentMessage() != ""
    # Settings followed live.
    s = window.settings
    s.set("mail/mark_read", False)
    assert tab.mark_read_delay_ms == -1
    s.update({"mail/mark_read": True, "mail/mark_read_delay_s": 5})
    assert tab.mark_read_delay_ms == 5000
    s.update({"mail/remote_content": "senders", "mail/allowed_senders": ["example.org"]})
    assert tab.remote_allowed("news@lists.example.org") and not tab.remote_allowed("ann@example.test")
    s.set("mail/remote_content", "block")
    assert not tab.remote_allowed("news@example.org") and not tab.view.always_button.isVisibleTo(tab.view)
    s.set("mail/remote_content", "always")
    assert tab.remote_allowed("ann@example.test")
    s.set("mail/compose_format", "plain")
    assert not window.compose().editor.rich
    window.composers[-1].close()
    s.set("mail/check_interval_min", 0)
    assert not tab.backend.timed_checks
    s.set("mail/check_interval_min", 15)
    assert tab.backend.timed_checks and window.compose_backend.default_check_interval == 15 * 60


def test_new_mail_is_announced_once_per_batch_and_dates_follow_the_language(
    qtbot: QtBot, window: MainWindow, mail_env: MailEnv, translations: Translations
) -> None:
    tab = window.mail_pane
    # New mail through IDLE: one notification naming sender and subject; a click opens the message.
    mail_env.deliver(make_message(30, "Lịch họp thứ Hai", sender="Bình <binh@example.test>"))
    qtbot.waitUntil(lambda: window.tray.last_notification[1] == "Lịch họp thứ Hai", timeout=30000)
    assert window.tray.last_notification[0] == "Bình"
    qtbot.waitUntil(lambda: window.windowTitle() == "Inbox (8) — Quay", timeout=10000)
    newest = window.tray.last_batch[0].message_id
    window.tray.notification_clicked()
    qtbot.waitUntil(lambda: tab.current_message == newest, timeout=10000)
    # With content hidden the notification only counts.
    window.settings.set("notifications/hide_content", True)
    mail_env.deliver(make_message(31, "Bí mật", sender="Secret <s@example.test>"))
    qtbot.waitUntil(lambda: "1" in window.tray.last_notification[0], timeout=30000)
    assert "Bí mật" not in " ".join(window.tray.last_notification)
    assert "Secret" not in " ".join(window.tray.last_notification)

    # Dates: the old message's date is written the Vietnamese way once the language switches.
    def old_row() -> int:  # looked up each time: the list may still take in "Bí mật" (a row above it)
        return next(r for r in range(tab.model.rowCount()) if tab.model.index(r, COL_SUBJECT).data() == "Hóa đơn cũ")

    when = tab.model.row_for_id(tab.model.message_id(tab.model.index(old_row(), 0))).date  # type: ignore[union-attr]
    english = format_date(when, QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    vietnamese = format_date(when, locale_for("vi"))
    assert english != vietnamese
    translations.apply("en")
    assert tab.model.index(old_row(), COL_DATE).data() == format_date(when, locale_for("en"))
    translations.apply("vi")
    qtbot.waitUntil(lambda: tab.model.index(old_row(), COL_DATE).data() == vietnamese, timeout=5000)
    assert QLocale().language() == QLocale.Language.Vietnamese
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Hộp thư đến ("), timeout=5000)
    translations.apply("en")


def test_without_an_account_the_tab_offers_to_add_one(qtbot: QtBot, main_window: MainWindow) -> None:
    tab = main_window.mail_pane
    assert tab.right_stack.currentIndex() == 1 and tab.add_account_button.isVisible()
    qtbot.mouseClick(tab.add_account_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main_window.findChild(AccountWizard) is not None, timeout=5000)
    wizard = main_window.findChild(AccountWizard)
    assert wizard is not None and wizard.isVisible()
    wizard.reject()
    assert main_window.add_account_action in main_window.file_menu.actions()
    main_window.add_account_action.trigger()
    qtbot.waitUntil(lambda: any(w.isVisible() for w in main_window.findChildren(AccountWizard)), timeout=5000)


def test_a_draft_left_open_by_a_crash_reopens_once_at_start(
    qtbot: QtBot, main_window: MainWindow, app_paths: AppPaths
) -> None:
    keeper = main_window.compose_backend.draft_keeper()
    keeper.save(Compose("me@example.test", to=["an@example.test"], subject="Chưa gửi xong", text="Dở dang\n"))
    DraftJournal(app_paths).write(keeper.state, "")
    main_window.start_mail()
    w = _newest_composer(qtbot, main_window, 0)
    qtbot.waitUntil(lambda: w.subject.text() == "Chưa gửi xong", timeout=10000)
    assert len(main_window.composers) == 1
    w.discard()
    qtbot.waitUntil(lambda: main_window.composers == [], timeout=10000)


def test_mailto_in_a_second_process_opens_a_filled_in_composer_in_the_first(
    qtbot: QtBot, first: InstanceServer, main_window: MainWindow, app_paths: AppPaths
) -> None:
    link = (
        "mailto:an@example.test,binh@example.test?cc=hoang@example.test"
        "&subject=H%E1%BB%8Dp%20qu%C3%BD%204&body=Ch%C3%A0o%20c%E1%BA%A3%20nh%C3%A0%2C%0D%0AH%E1%BA%B9n%20th%E1%BB%A9%20Hai."
    )
    second = _launch(app_paths, link)
    qtbot.waitUntil(lambda: second.poll() is not None, timeout=30000)
    assert second.returncode == 0, second.stderr.read() if second.stderr else ""
    w = _newest_composer(qtbot, main_window, 0)
    assert w.to_field.addresses() == ["an@example.test", "binh@example.test"]
    assert w.cc_field.addresses() == ["hoang@example.test"]
    assert w.subject.text() == "Họp quý 4"
    assert "Chào cả nhà,\nHẹn thứ Hai." in w.editor.plain_text()
    assert w.isVisible()
    w.sent = True
    w.close()
    qtbot.waitUntil(lambda: main_window.composers == [], timeout=10000)


def test_the_first_imap_inbox_opens_even_when_a_pop3_account_is_faster(
    qtbot: QtBot, mail_env: MailEnv, tls_material
) -> None:  # type: ignore[no-untyped-def]
    """The demo's profile: an IMAP and a POP3 account on one mailbox; POP3 finishes first on a first start."""
    from app.core.accounts import Account, AccountBook
    from app.core.tls import PinStore
    from tests.ui.mail.conftest import open_tab

    server = mail_env.server
    book = AccountBook(mail_env.paths.accounts_file)
    imap = book.get(mail_env.account.key)
    assert imap is not None
    imap.order = 0
    book.add(imap)
    book.add(Account("pop3", server.host, server.pop3s_port, mail_env.user, "tls", display_name="POP3", order=1))
    book.save()
    PinStore(mail_env.paths.pins_file).pin(server.host, server.pop3s_port, tls_material.fingerprint_sha256())
    tab = open_tab(qtbot, mail_env)
    try:
        qtbot.waitUntil(lambda: tab.current_folder is not None and tab.model.rowCount() > 0, timeout=30000)
        rt = tab.backend.account_for_folder(tab.current_folder)  # type: ignore[arg-type]
        assert rt is not None and rt.kind == "imap"
    finally:
        tab.shutdown()
