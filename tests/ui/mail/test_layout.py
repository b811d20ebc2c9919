"""Threads, layout, keyboard and windows around the list: threaded view with counts, per-folder sort
remembered, classic/wide layout, F6 between panes, protocol log without secrets, the model checked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from app.ui.mail.mail_tab import MailTab
from app.ui.mail.message_model import COL_SUBJECT
from app.ui.settings import Settings
from tests.ui.mail.conftest import MailEnv, make_message, open_tab


def test_threads_layout_keyboard_and_protocol_log(qtbot, mail_env: MailEnv) -> None:  # type: ignore[no-untyped-def]
    root = make_message(20, "Kế hoạch", age_hours=30)
    mid = root.split(b"Message-ID: ")[1].split(b"\n")[0].strip()
    mail_env.deliver(root)
    reply = make_message(21, "Re: Kế hoạch", age_hours=29).replace(
        b"Message-ID:", b"In-Reply-To: " + mid + b"\nReferences: " + mid + b"\nMessage-ID:"
    )
    mail_env.deliver(reply)
    tab: MailTab = open_tab(qtbot, mail_env)
    try:
        qtbot.waitUntil(lambda: tab.current_kind == "folder" and tab.model.rowCount() == 8, timeout=20000)
        QAbstractItemModelTester(tab.model, QAbstractItemModelTester.FailureReportingMode.Warning)
        tab.threaded_action.trigger()
        qtbot.waitUntil(lambda: tab.model.rowCount() == 7 and not tab.model.loading, timeout=5000)
        head = next(r for r in range(7) if "Kế hoạch" in tab.model.index(r, COL_SUBJECT).data())
        text = tab.model.index(head, COL_SUBJECT).data()
        assert "2 messages" in text
        tab.list.setFocus()
        tab.list.setCurrentIndex(tab.model.index(head, COL_SUBJECT))
        qtbot.keyClick(tab.list, Qt.Key.Key_Right)  # open the conversation: its other message below it
        qtbot.waitUntil(lambda: tab.model.rowCount() == 8, timeout=5000)
        assert "Kế hoạch" in tab.model.index(head + 1, COL_SUBJECT).data()
        qtbot.keyClick(tab.list, Qt.Key.Key_Left)
        qtbot.waitUntil(lambda: tab.model.rowCount() == 7, timeout=5000)
        QAbstractItemModelTester(tab.model, QAbstractItemModelTester.FailureReportingMode.Warning)
        # sort by subject, remembered for this folder with the threading
        tab.list.header().setSortIndicator(COL_SUBJECT, Qt.SortOrder.AscendingOrder)
        qtbot.waitUntil(lambda: tab.model.spec is not None and tab.model.spec.sort == "subject", timeout=5000)
        # layouts
        tab.wide_action.trigger()
        assert tab.content_splitter.orientation() == Qt.Orientation.Horizontal
        tab.classic_action.trigger()
        assert tab.content_splitter.orientation() == Qt.Orientation.Vertical
        # F6 walks tree -> list -> view
        tab.tree.setFocus()
        qtbot.keyClick(tab.tree, Qt.Key.Key_F6)
        assert tab.list.hasFocus()
        # protocol log: commands and replies, never the password
        win = tab.show_protocol_log(mail_env.account.key)
        assert win is not None
        qtbot.waitUntil(lambda: "LOGIN" in win.text.toPlainText(), timeout=5000)
        assert mail_env.password not in win.text.toPlainText()
        assert win.text.maximumBlockCount() > 0
        win.close()
    finally:
        tab.shutdown()
    again = MailTab(Settings(mail_env.paths), open_tab.__globals__["MailBackend"](mail_env.paths, poll_interval=0))
    qtbot.addWidget(again)
    try:
        again.select_folder(next(f.id for rt in again.backend.account_list() for f in again.backend.folders(rt.key)
                                 if f.name == "INBOX"))  # fmt: skip
        assert again.threaded_action.isChecked()
        qtbot.waitUntil(lambda: again.model.spec is not None and again.model.spec.sort == "subject", timeout=5000)
    finally:
        again.shutdown()
