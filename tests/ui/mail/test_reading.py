"""Reading mail as a user does: folders with unread counts, open a folder and a message, search, layout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from app.ui.mail.mail_tab import MailTab
from app.ui.mail.message_model import COL_SUBJECT, COL_WHO
from tests.ui.mail.conftest import MailEnv, type_text


def _folder_named(tab: MailTab, name: str) -> int:
    for rt in tab.backend.account_list():
        for f in tab.backend.folders(rt.key):
            if f.name == name:
                return f.id
    raise AssertionError(f"no folder {name}")


def _tree_texts(tab: MailTab) -> list[str]:
    out = []
    m = tab.tree_model

    def walk(parent):  # type: ignore[no-untyped-def]
        for r in range(m.rowCount(parent)):
            idx = m.index(r, 0, parent)
            out.append(idx.data())
            walk(idx)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex())
    return out


def _click_folder(qtbot, tab: MailTab, fid: int) -> None:  # type: ignore[no-untyped-def]
    idx = tab.tree_model.folder_index(fid)
    rect = tab.tree.visualRect(idx)
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _click_row(qtbot, tab: MailTab, row: int) -> None:  # type: ignore[no-untyped-def]
    idx = tab.model.index(row, COL_SUBJECT)
    tab.list.scrollTo(idx)
    rect = tab.list.visualRect(idx)
    qtbot.mouseClick(tab.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_folders_unread_counts_open_folder_and_message(qtbot, mail_tab: MailTab, mail_env: MailEnv) -> None:  # type: ignore[no-untyped-def]
    tab = mail_tab
    qtbot.waitUntil(lambda: {"Inbox (6)", "Work (1)"} <= set(_tree_texts(tab)), timeout=20000)
    texts = _tree_texts(tab)
    assert "Work (1)" in texts and "Unified Inbox (6)" in texts and "Local Folders" in texts
    # special folders first, in Thunderbird's order
    names = [t.split(" (")[0] for t in texts]
    assert (
        names.index("Inbox") < names.index("Drafts") < names.index("Sent") < names.index("Trash") < names.index("Work")
    )
    QAbstractItemModelTester(tab.tree_model, QAbstractItemModelTester.FailureReportingMode.Warning)
    inbox = _folder_named(tab, "INBOX")
    _click_folder(qtbot, tab, inbox)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 6, timeout=10000)
    QAbstractItemModelTester(tab.model, QAbstractItemModelTester.FailureReportingMode.Warning)
    assert tab.model.index(0, COL_SUBJECT).data() == "Message 0"
    assert tab.model.index(0, COL_WHO).data() == "Ann"
    acc = tab.model.index(0, COL_SUBJECT).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Ann" in acc and "Message 0" in acc and "unread" in acc
    _click_row(qtbot, tab, 5)
    qtbot.waitUntil(lambda: tab.view.message is not None, timeout=10000)
    assert tab.view.subject_label.text() == "Chào buổi sáng"
    assert "trời đẹp" in tab.view.text_view.toPlainText()
    # marked read after the delay, on the server too
    qtbot.waitUntil(lambda: not tab.model.index(5, 0).data(Qt.ItemDataRole.FontRole), timeout=5000)
    qtbot.waitUntil(lambda: "Inbox (5)" in _tree_texts(tab), timeout=10000)


def test_search_merges_server_hits_in_bodies_not_downloaded(qtbot, mail_tab: MailTab, mail_env: MailEnv) -> None:  # type: ignore[no-untyped-def]
    tab = mail_tab
    qtbot.waitUntil(lambda: any(t.startswith("Inbox (6)") for t in _tree_texts(tab)), timeout=20000)
    _click_folder(qtbot, tab, _folder_named(tab, "INBOX"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 6, timeout=10000)
    # "cảng" is only in the body of "Chào buổi sáng", which was never opened: the local index has only
    # its headers, the server (UID SEARCH TEXT) finds it, and the row says where it came from.
    tab.search_box.setFocus()
    type_text(tab.search_box, "cảng")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10000)
    assert tab.model.index(0, COL_SUBJECT).data() == "Chào buổi sáng"
    assert "Found on the server" in tab.model.index(0, COL_WHO).data(Qt.ItemDataRole.ToolTipRole)
    assert tab.model.index(0, COL_WHO).data(Qt.ItemDataRole.DecorationRole) is not None
    # a word in no message: neither side finds anything
    tab.search_box.clear()
    type_text(tab.search_box, "zzqxnothing")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=10000)


def test_search_finds_a_vietnamese_word(qtbot, mail_tab: MailTab, mail_env: MailEnv) -> None:  # type: ignore[no-untyped-def]
    tab = mail_tab
    qtbot.waitUntil(lambda: any(t.startswith("Inbox (6)") for t in _tree_texts(tab)), timeout=20000)
    _click_folder(qtbot, tab, _folder_named(tab, "INBOX"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 6, timeout=10000)
    tab.search_box.setFocus()
    type_text(tab.search_box, "buổi")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5000)
    assert tab.model.index(0, COL_SUBJECT).data() == "Chào buổi sáng"
    # without diacritics too (the index folds them), and the syntax
    tab.search_box.clear()
    qtbot.keyClicks(tab.search_box, "subject:message is:unread")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 5, timeout=5000)
    tab.search_box.clear()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 6, timeout=5000)
