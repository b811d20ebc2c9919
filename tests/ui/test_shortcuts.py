"""Help → Keyboard shortcuts lists what the actions really have, from the window, the Mail and the Files tab."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.dialogs.shortcuts import ShortcutsDialog, shortcut_text
from app.ui.main_window import MainWindow


def test_the_shortcuts_dialog_lists_every_tabs_keys(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.shortcuts_action.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget() or _dialog(), ShortcutsDialog))
    dialog = _dialog()
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    sections = {s for s, _c, _k in rows}
    assert sections == {"Window", "Mail", "Files"}
    files = main_window.files_pane
    assert ("Files", "Refresh", shortcut_text(files.refresh_action)) in rows
    # The Site Manager is in the File menu too: listed once, where the menu is.
    assert [r for r in rows if r[1] == "Site Manager"] == [("Window", "Site Manager", "Ctrl+Shift+S")]
    assert ("Files", "Rename", "F2") in rows
    assert ("Window", "Settings", shortcut_text(main_window.settings_action)) in rows
    mail_keys = {shortcut_text(a) for a in main_window.mail_pane.actions_for_help()}
    assert {k for s, _c, k in rows if s == "Mail"} == mail_keys - {""}
    # The filter finds a key or a command; section titles stay only where something matches.
    dialog.filter.setText("F2")
    shown = [
        dialog.tree.topLevelItem(i).text(0)  # type: ignore[union-attr]
        for i in range(dialog.tree.topLevelItemCount())
        if not dialog.tree.topLevelItem(i).isHidden()  # type: ignore[union-attr]
    ]
    assert "Rename" in shown and "Refresh" not in shown and "Files" in shown
    dialog.close()


def _dialog() -> ShortcutsDialog | None:
    for w in QApplication.topLevelWidgets():
        if isinstance(w, ShortcutsDialog) and w.isVisible():
            return w
    return None
