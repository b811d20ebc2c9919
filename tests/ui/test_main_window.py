"""The main window as a user sees it: tabs, menus, language switching, remembered geometry."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QTabBar

from app.core.paths import AppPaths
from app.ui.main_window import MainWindow
from app.ui.settings import Settings


def _click_tab(qtbot, window: MainWindow, index: int) -> None:  # type: ignore[no-untyped-def]
    bar: QTabBar = window.tabs.tabBar()
    center: QPoint = bar.tabRect(index).center()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=center)


def test_tabs_and_title_in_english(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert main_window.windowTitle() == "Quay — mail and files"
    assert [main_window.tabs.tabText(i) for i in range(main_window.tabs.count())] == ["Mail", "Files"]
    _click_tab(qtbot, main_window, 1)
    assert main_window.tabs.currentWidget() is main_window.files_pane
    assert main_window.files_pane.quick.connect_button.text() == "&Quickconnect"
    _click_tab(qtbot, main_window, 0)
    assert main_window.tabs.currentWidget() is main_window.mail_pane
    assert main_window.statusBar().isVisible()
    assert [a.text() for a in main_window.menuBar().actions()] == ["&File", "&Edit", "&View", "&Help"]


def test_switch_to_vietnamese_through_the_menu(qtbot, main_window: MainWindow, app_paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    main_window.language_actions["vi"].trigger()
    qtbot.waitUntil(lambda: main_window.windowTitle() == "Quay — thư và tệp")
    assert [main_window.tabs.tabText(i) for i in range(2)] == ["Thư", "Tệp"]
    _click_tab(qtbot, main_window, 1)
    assert "Chưa kết nối" in main_window.files_pane.empty_remote.text()
    assert main_window.status_label.text() == "Sẵn sàng"
    assert Settings(app_paths).language == "vi"
    # and back to English
    main_window.language_actions["en"].trigger()
    qtbot.waitUntil(lambda: main_window.windowTitle() == "Quay — mail and files")
    assert main_window.tabs.tabText(1) == "Files"


def test_keyboard_shortcuts_switch_tabs(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    main_window.activateWindow()
    qtbot.keyClick(main_window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: main_window.tabs.currentIndex() == 1)
    qtbot.keyClick(main_window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: main_window.tabs.currentIndex() == 0)


def test_geometry_and_tab_remembered(qtbot, app_paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    first = MainWindow(Settings(app_paths), "en")
    qtbot.addWidget(first)
    first.show()
    first.resize(701, 503)
    first.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    first.close()
    second = MainWindow(Settings(app_paths), "en")
    qtbot.addWidget(second)
    second.show()
    assert second.tabs.currentIndex() == 1
    assert (second.width(), second.height()) == (701, 503)


def test_configured_accounts_and_sites_are_listed(qtbot, app_paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    from app.core.accounts import Account, AccountBook
    from app.core.transfer.sites import Site, SiteStore

    book = AccountBook(app_paths.accounts_file)
    book.add(Account("imap", "mail.example.test", 993, "an", "tls", display_name="Công việc"))
    book.save()
    SiteStore(app_paths.config / "sites.json").add(Site("Kho ảnh", "sftp", "files.example.test", 22, "an"))
    window = MainWindow(Settings(app_paths), "en")
    qtbot.addWidget(window)
    window.show()
    model = window.mail_pane.tree_model  # the Mail tab's folder tree lists the account
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert "Công việc" in names and "Local Folders" in names
    window.close()
    window.tabs.setCurrentIndex(1)
    assert [s.name for s in window.files_pane.backend.sites()] == ["Kho ảnh"]


def test_empty_profile_shows_no_lists(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    model = main_window.mail_pane.tree_model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Saved searches", "Local Folders"]
    assert main_window.files_pane.backend.sites() == []
