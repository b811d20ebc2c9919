"""Account settings: edit identities and signatures, check interval, reorder, remove (saying what the cache loses)."""

# ruff: noqa: F811  (pytest fixtures imported from composer_helpers are parameters here)
from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.core.accounts import AccountBook
from app.core.mail.account_setup import MailProfile, load_profiles, save_profile
from app.core.mail.autoconfig import ServerSettings
from app.ui.mail.accounts_dialog import AccountsDialog
from app.ui.mail.composer import ComposerWindow
from tests.ui.mail.composer_helpers import MailSetup, mail_setup  # noqa: F401


def test_edit_identities_signature_interval_and_order(qtbot: QtBot, mail_setup: MailSetup) -> None:
    setup = mail_setup
    other = MailProfile(
        ServerSettings("pop3", "pop.other.vn", 995, "tls", "o"),
        ServerSettings("smtp", "smtp.other.vn", 465, "tls", "o"),
        "o@other.vn",
        "Other",
    )
    save_profile(
        AccountBook(setup.paths.accounts_file), other, setup.backend.secrets, incoming_password="p", remember=False
    )
    dlg = AccountsDialog(setup.backend, setup.runner)
    qtbot.addWidget(dlg)
    dlg.open_for(setup.profile.key)
    assert dlg.current is not None and dlg.current.key == setup.profile.key
    dlg.interval.setValue(3)
    dlg.check_on_start.setChecked(False)
    dlg.add_identity.click()
    dlg.ident_address.setText("sales@example.test")
    dlg.ident_name.setText("Phòng kinh doanh")
    dlg.signature.setPlainText("Phòng kinh doanh\n0123 456 789")
    with qtbot.waitSignal(dlg.accounts_changed):
        dlg.save_button.click()
    p = next(x for x in load_profiles(AccountBook(setup.paths.accounts_file)) if x.key == setup.profile.key)
    assert p.check_interval == 3 and not p.check_on_start
    assert [i.address for i in p.identities] == [setup.address, "sales@example.test"]
    assert p.identities[1].signature == "Phòng kinh doanh\n0123 456 789"
    # The composer offers the new identity with its own signature.
    w = ComposerWindow.for_new(setup.backend, setup.runner)
    qtbot.addWidget(w)
    w.select_account(p.key, "sales@example.test")
    assert "-- \nPhòng kinh doanh\n0123 456 789" in w.editor.toPlainText()
    assert "Quay tests" not in w.editor.toPlainText()  # the first identity's signature was swapped out
    # Reorder: the POP3 account moves first.
    dlg.list.setCurrentRow(1)
    dlg.up_button.click()
    assert [x.email for x in load_profiles(AccountBook(setup.paths.accounts_file))] == ["o@other.vn", setup.address]


def test_remove_says_what_happens_to_the_cache(qtbot: QtBot, mail_setup: MailSetup) -> None:
    setup = mail_setup
    st = setup.backend.store()
    acc = st.ensure_account(setup.profile.key, "imap")
    folder = st.ensure_imap_folder(acc, "INBOX", "INBOX")
    for n in range(3):
        st.add_local_message(folder, f"Subject: m{n}\r\nMessage-ID: <m{n}@x>\r\n\r\nx\r\n".encode())
    dlg = AccountsDialog(setup.backend, setup.runner)
    qtbot.addWidget(dlg)
    asked: list[str] = []

    def confirm(text: str) -> bool:
        asked.append(text)
        return True

    dlg.confirm_remove = confirm
    dlg.open_for(setup.profile.key)
    with qtbot.waitSignal(dlg.accounts_changed, timeout=10000):
        dlg.remove_button.click()
    assert "3 messages in 1 folders" in asked[0] and "stays on the server" in asked[0]
    assert load_profiles(AccountBook(setup.paths.accounts_file)) == []
    assert setup.backend.store().account_id(setup.profile.key) is None
    assert setup.backend.secrets.get(setup.profile.account().secret_key) is None
