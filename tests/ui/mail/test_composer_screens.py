"""Screenshots of the composer and the account wizard in English and Vietnamese.

Each test renders the window with realistic content, checks that what the user reads is in the
chosen language, and — with ``QUAY_SCREENSHOTS=1`` — writes ``docs/screenshots/{composer,wizard}-{en,vi}.png``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.accounts import AccountBook
from app.core.mail.account_setup import MailProfile, save_profile
from app.core.mail.autoconfig import DiscoveryResult, ServerSettings, mx_settings
from app.core.mail.identities import Identity
from app.core.paths import AppPaths
from app.core.secrets import SecretStore
from app.ui.i18n import Translations
from app.ui.mail.composer import ComposerWindow
from app.ui.mail.composer_attachments import PendingAttachment
from app.ui.mail.composer_backend import ComposeBackend
from app.ui.mail.wizard import AccountWizard
from app.ui.tasks import TaskRunner

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture
def env(app_paths: AppPaths) -> Iterator[tuple[ComposeBackend, TaskRunner]]:
    backend = ComposeBackend(app_paths, secrets=SecretStore())
    profile = MailProfile(
        ServerSettings("imap", "imap.gmail.com", 993, "tls", "an@congty.vn"),
        ServerSettings("smtp", "smtp.gmail.com", 465, "tls", "an@congty.vn"),
        "an@congty.vn",
        "Nguyễn Văn An",
        identities=[Identity("an@congty.vn", "Nguyễn Văn An", "Nguyễn Văn An\nPhòng Kế toán — Công ty Hải Đăng")],
    )
    save_profile(AccountBook(app_paths.accounts_file), profile, backend.secrets, incoming_password="x", remember=False)
    runner = TaskRunner()
    yield backend, runner
    runner.shutdown(wait=True)
    backend.close()


def _save(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    pm = widget.grab()
    assert not pm.isNull() and pm.width() > 400
    if os.environ.get("QUAY_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert pm.save(str(SHOTS / name), "PNG")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_composer_screenshot(
    qtbot: QtBot, env: tuple[ComposeBackend, TaskRunner], translations: Translations, lang: str
) -> None:
    translations.apply(lang)
    backend, runner = env
    w = ComposerWindow.for_new(
        backend, runner, to=["Trần Thị Bình <binh@congty.vn>", "kho@haidang.vn"], cc=["ke.toan@congty.vn"]
    )
    qtbot.addWidget(w)
    w.subject.setText("Re: Báo cáo quý 4" if lang == "vi" else "Re: Q4 report")
    body = (
        "Chào chị Bình,\n\nEm gửi chị bản báo cáo đã sửa, chị xem giúp em phần chi phí nhé.\n\n"
        "Vào 23/11/2026 09:00, Trần Thị Bình đã viết:\n> Em gửi lại bản có số liệu tháng 12 giúp chị.\n"
        if lang == "vi"
        else "Hi Binh,\n\nHere is the corrected report; could you check the costs section?\n\n"
        "On 23/11/2026 09:00, Tran Thi Binh wrote:\n> Please resend it with the December figures.\n"
    )
    w.editor.setPlainText(body)
    w._insert_signature()
    w.attachments.add(PendingAttachment("bao-cao-quy-4.xlsx", 482_133, data=b"x"))
    w.attachments.add(PendingAttachment("hop-dong.pdf", 1_204_551, data=b"x"))
    w.resize(900, 640)
    w.show()
    qtbot.waitExposed(w)
    expected = "&Gửi" if lang == "vi" else "&Send"
    assert w.send_action.text() == expected
    assert w.subject_label.text() == ("Tiêu đề (&S):" if lang == "vi" else "&Subject:")
    _save(w, f"composer-{lang}.png")
    w.sent = True  # nothing to save when the test closes it


class _Found:
    def __init__(self) -> None:
        self.cancelled = threading.Event()

    def run(self, email: str) -> DiscoveryResult:
        s = mx_settings(email, ["aspmx.l.google.com"])
        return DiscoveryResult(s, {"bundled": "nothing", "autoconfig": "nothing", "srv": "nothing", "mx": "found"})


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_wizard_screenshot(
    qtbot: QtBot, env: tuple[ComposeBackend, TaskRunner], translations: Translations, lang: str
) -> None:
    translations.apply(lang)
    backend, runner = env
    w = AccountWizard(backend, runner, discovery=_Found)
    qtbot.addWidget(w)
    w.name.setText("Lê Thị Kế Toán")
    w.email.setText("ke.toan@congty.vn")
    w.password.setText("app-password")
    w.show()
    qtbot.waitExposed(w)
    w.next()
    qtbot.waitUntil(lambda: not w.discovering, timeout=10000)
    assert w.incoming.server().host == "imap.gmail.com"
    if lang == "vi":
        assert w.found_label.text().startswith("Tìm thấy qua nhà cung cấp lưu trữ thư của tên miền")
        assert w.test_button.text() == "&Kiểm tra"
    else:
        assert w.found_label.text().startswith("Found through the provider hosting your domain's mail")
    assert w.oauth_label.isVisible()
    _save(w, f"wizard-{lang}.png")
