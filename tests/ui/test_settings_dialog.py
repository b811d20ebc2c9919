"""The settings dialog as a user drives it: Ctrl+, opens it, changes apply at once (language, theme), bad
input is refused with a reason, Cancel keeps what was stored, "Open folder" shows the data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton

from app.ui.application import bind_settings
from app.ui.dialogs.settings import SettingsDialog
from app.ui.i18n import Translations
from app.ui.main_window import MainWindow
from app.ui.settings import Settings
from app.ui.theme import apply_theme, is_dark


@pytest.fixture
def live(qapp: QApplication, main_window: MainWindow, translations: Translations) -> Iterator[MainWindow]:
    """The main window with its settings applied live, as the application wires them."""
    bind_settings(qapp, main_window.settings, translations)
    yield main_window
    apply_theme(qapp, "system")


def _open(qtbot, window: MainWindow) -> SettingsDialog:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _button(dialog: SettingsDialog, which: QDialogButtonBox.StandardButton) -> QPushButton:
    return dialog.buttons.button(which)


def test_ctrl_comma_opens_settings_and_vietnamese_applies_at_once(qtbot, live: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, live)
    assert dialog.isVisible() and dialog.windowTitle() == "Settings"
    dialog.language.setFocus()
    # choose "Tiếng Việt" with the keyboard, then Apply
    dialog.language.setCurrentIndex(dialog.language.findData("vi"))
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Apply), Qt.MouseButton.LeftButton)
    assert live.settings.language == "vi"
    qtbot.waitUntil(lambda: live.windowTitle() == "Quay — thư và tệp")
    assert dialog.windowTitle() == "Cài đặt"
    assert _button(dialog, QDialogButtonBox.StandardButton.Ok).text() == "Đồng ý"
    assert live.edit_menu.title() == "&Sửa"
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: live.windowTitle() == "Quay — mail and files")
    assert Settings(live.settings.paths).language == "en"


def test_dark_theme_applies_and_follows_back(qtbot, qapp: QApplication, live: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert not is_dark()
    dialog = _open(qtbot, live)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Apply), Qt.MouseButton.LeftButton)
    assert live.settings.get("ui/theme") == "dark"
    qtbot.waitUntil(lambda: is_dark(live.palette()))
    dialog.theme.setCurrentIndex(dialog.theme.findData("system"))
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not is_dark(live.palette()))


def test_invalid_folder_blocks_ok_with_a_reason(qtbot, live: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, live)
    dialog.show_page("files")
    ok = _button(dialog, QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(dialog.local_folder, "downloads")
    assert not ok.isEnabled()
    assert dialog.problem.isVisible() and "full path" in dialog.problem.text()
    dialog.local_folder.clear()
    qtbot.keyClicks(dialog.local_folder, str(tmp_path / "missing"))
    assert not ok.isEnabled() and "does not exist" in dialog.problem.text()
    dialog.local_folder.clear()
    qtbot.keyClicks(dialog.local_folder, str(tmp_path))
    assert ok.isEnabled() and not dialog.problem.isVisible()
    dialog.parallel.setValue(4)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    stored = Settings(live.settings.paths)
    assert stored.get("files/local_folder") == str(tmp_path)
    assert stored.get("files/parallel") == 4


def test_allowed_senders_are_checked_when_added(qtbot, live: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, live)
    dialog.show_page("mail")
    qtbot.keyClicks(dialog.sender_entry, "not an address")
    qtbot.keyClick(dialog.sender_entry, Qt.Key.Key_Return)
    assert dialog.senders.count() == 0
    assert "not an e-mail address" in dialog.problem.text()
    dialog.sender_entry.clear()
    qtbot.keyClicks(dialog.sender_entry, "news@example.org")
    qtbot.mouseClick(dialog.sender_add, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.sender_entry, "example.net")
    qtbot.keyClick(dialog.sender_entry, Qt.Key.Key_Return)
    assert [dialog.senders.item(i).text() for i in range(dialog.senders.count())] == ["news@example.org", "example.net"]
    dialog.senders.setCurrentRow(1)
    qtbot.mouseClick(dialog.sender_remove, Qt.MouseButton.LeftButton)
    dialog.remote_content.setCurrentIndex(dialog.remote_content.findData("block"))
    dialog.mark_read_delay.setValue(0)
    assert dialog.mark_read_delay.text() == "at once"
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    stored = Settings(live.settings.paths)
    assert stored.get("mail/allowed_senders") == ["news@example.org"]
    assert stored.get("mail/remote_content") == "block"
    assert stored.get("mail/mark_read_delay_s") == 0


def test_cancel_keeps_what_was_stored_and_defaults_can_be_restored(qtbot, live: MainWindow) -> None:  # type: ignore[no-untyped-def]
    live.settings.set("files/show_hidden", True)
    dialog = _open(qtbot, live)
    assert dialog.show_hidden.isChecked()
    dialog.show_page("files")
    qtbot.mouseClick(dialog.show_hidden, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert live.settings.get("files/show_hidden") is True
    dialog = _open(qtbot, live)
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.RestoreDefaults), Qt.MouseButton.LeftButton)
    assert not dialog.show_hidden.isChecked()
    assert live.settings.get("files/show_hidden") is True  # not stored until OK
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert live.settings.get("files/show_hidden") is False


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_data_page_shows_the_folders_and_opens_them(qtbot, live: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, live)
    dialog.show_page("data")
    paths = live.settings.paths
    assert dialog.findChild(type(dialog.local_folder), "data-path").text() == str(paths.data)
    assert dialog.findChild(type(dialog.local_folder), "config-path").text() == str(paths.config)
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        qtbot.mouseClick(dialog.findChild(QPushButton, "data-open"), Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in catcher.urls] == [str(paths.data)]


def test_big_attachment_site_must_still_exist(qtbot, live: MainWindow) -> None:  # type: ignore[no-untyped-def]
    live.settings.set("mail/big_attachment_site", "Gone")
    dialog = _open(qtbot, live)
    assert not _button(dialog, QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert "Gone" in dialog.problem.text()
    dialog.big_attachment_site.setCurrentIndex(0)
    assert _button(dialog, QDialogButtonBox.StandardButton.Ok).isEnabled()
