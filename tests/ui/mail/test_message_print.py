"""Printing a message: Ctrl+P opens the system's print dialog; the printer gets the rendered message
(HTML through the web view, plain text through the text view) without any remote request; "Print to
PDF" writes the file the user named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog

from app.ui.mail import webengine
from app.ui.mail.mail_tab import MailTab
from app.ui.mail.message_model import COL_SUBJECT
from tests.ui.mail.conftest import CountingServer, MailEnv, make_env, make_message, open_tab

pytestmark = pytest.mark.skipif(not webengine.available(), reason="QtWebEngine is not available")


@pytest.fixture
def print_tab(qtbot, dovecot, tls_material, app_paths, http_probe: CountingServer) -> Iterator[MailTab]:  # type: ignore[no-untyped-def]
    user, password = dovecot.new_user()
    env: MailEnv = make_env(dovecot, tls_material, app_paths, user, password)
    html = f'<h1>Invoice 2026-11</h1><p>Total due: 1.250.000 ₫</p><img src="{http_probe.base}/track.gif">'
    env.deliver(make_message(1, "Invoice", html=html, age_hours=1))
    env.deliver(make_message(2, "Plain note", body="Hẹn gặp lúc 9 giờ.\n", age_hours=2))
    tab = open_tab(qtbot, env)
    yield tab
    tab.shutdown()


def _open(qtbot, tab: MailTab, subject: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=20000)
    row = next(r for r in range(2) if tab.model.index(r, COL_SUBJECT).data() == subject)
    before = tab.view.loaded_documents
    idx = tab.model.index(row, COL_SUBJECT)
    qtbot.mouseClick(tab.list.viewport(), Qt.MouseButton.LeftButton, pos=tab.list.visualRect(idx).center())
    qtbot.waitUntil(lambda: tab.view.message is not None and tab.view.message.subject == subject, timeout=10000)
    if tab.view.message is not None and tab.view.message.html is not None:
        qtbot.waitUntil(lambda: tab.view.loaded_documents > before, timeout=10000)


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_ctrl_p_opens_the_print_dialog(qtbot, print_tab: MailTab) -> None:  # type: ignore[no-untyped-def]
    tab = print_tab
    _open(qtbot, tab, "Plain note")
    seen: list[str] = []
    poll = QTimer()

    def answer() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, QPrintDialog):
            seen.append(w.windowTitle())
            poll.stop()
            w.reject()

    poll.timeout.connect(answer)
    poll.start(50)
    tab.list.setFocus()
    qtbot.keyClick(tab.list, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    poll.stop()
    assert seen == ["Print message"]


def test_printing_html_and_text_without_remote_requests(  # type: ignore[no-untyped-def]
    qtbot, print_tab: MailTab, http_probe: CountingServer, tmp_path: Path, monkeypatch
) -> None:
    tab = print_tab
    _open(qtbot, tab, "Invoice")
    assert tab.view.remote_bar.isVisible()
    shown: list[str] = []  # the page shows the message (a blank page would print blank too)
    tab.view.web_view.page().toPlainText(shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "Invoice 2026-11" in shown[0] and "1.250.000 ₫" in shown[0], shown
    results: list[bool] = []
    out = tmp_path / "printer.pdf"
    printer = _pdf_printer(out)  # what the print dialog hands back, as a printer that writes a file
    tab.view.print_with(printer, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=20000)
    assert results == [True]
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_size > 1000
    assert http_probe.paths == []  # printing did not fetch the blocked image
    # "Print to PDF" writes where the user said
    target = tmp_path / "chosen" / "invoice.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "*.pdf")))
    tab.view.print_pdf_action.trigger()
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 1000, timeout=20000)
    assert target.read_bytes().startswith(b"%PDF")
    # a plain-text message prints through the text view
    _open(qtbot, tab, "Plain note")
    text_out = tmp_path / "note.pdf"
    results.clear()
    tab.view.print_with(_pdf_printer(text_out), results.append)
    assert results == [True] and text_out.read_bytes().startswith(b"%PDF")
    assert http_probe.paths == []
