"""Help → Keyboard shortcuts: every command that has a shortcut, collected from the actions themselves.

Nothing here lists keys by hand: the dialog reads the ``QAction``\\ s of the window's menus, the
Mail tab (``actions_for_help()``) and the Files tab (``actions_for_help()``), so what it shows is
what the keys do.  The texts are the actions' own (already translated); it is rebuilt when the
language changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.dialogs.registry import showcase_dialog

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = ["ShortcutsDialog", "menu_actions", "shortcut_text"]


def shortcut_text(action: QAction) -> str:
    """The action's shortcuts as the platform writes them ("Ctrl+Shift+S", "⇧⌘S"), several joined by ", "."""
    keys = (k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty())
    return ", ".join(dict.fromkeys(keys))  # F5 given twice (the platform's Refresh and F5) shows once


def menu_actions(menus: Iterable[QAction]) -> list[QAction]:
    """The actions with a shortcut in these menu-bar entries and their submenus."""
    out: list[QAction] = []
    stack = list(menus)
    while stack:
        act = stack.pop(0)
        menu = act.menu()
        if isinstance(menu, QMenu):
            stack[0:0] = menu.actions()
        elif not act.isSeparator() and not act.shortcut().isEmpty():
            out.append(act)
    return out


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".").strip()


class ShortcutsDialog(QDialog):
    """The shortcuts of the window, the Mail tab and the Files tab, with a filter (not modal)."""

    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("shortcuts-dialog")
        self.window_ = window
        self.resize(640, 560)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("shortcuts-filter")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcuts-list")
        self.tree.setColumnCount(3)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.filter)
        lay.addWidget(self.tree, 1)
        lay.addWidget(buttons)
        self.retranslate()

    def sections(self) -> list[tuple[str, list[QAction]]]:
        """(section title, actions) in the order shown."""
        w = self.window_
        out: list[tuple[str, list[QAction]]] = []
        bar = w.menuBar() if hasattr(w, "menuBar") else None
        if bar is not None:
            out.append((self.tr("Window"), menu_actions(bar.actions())))
        mail = getattr(w, "mail_pane", None)
        if mail is not None and hasattr(mail, "actions_for_help"):
            out.append((self.tr("Mail"), list(mail.actions_for_help())))
        files = getattr(w, "files_pane", None)
        if files is not None and hasattr(files, "actions_for_help"):
            out.append((self.tr("Files"), list(files.actions_for_help())))
        return out

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.filter.setPlaceholderText(self.tr("Find a command or a key"))
        self.filter.setAccessibleName(self.tr("Find a command or a key"))
        self.tree.setHeaderLabels([self.tr("Command"), self.tr("Keys"), self.tr("What it does")])
        self.tree.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.fill()

    def fill(self) -> None:
        self.tree.clear()
        seen: set[tuple[str, str]] = set()
        for title, actions in self.sections():
            rows = []
            for act in actions:
                keys = shortcut_text(act)
                text = _plain(act.text())
                if not keys or not text or (text, keys) in seen:
                    continue
                seen.add((text, keys))
                rows.append((text, keys, act.statusTip() or act.toolTip()))
            if not rows:
                continue
            head = QTreeWidgetItem([title])
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            head.setFirstColumnSpanned(True)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            for text, keys, tip in sorted(rows, key=lambda r: r[0].lower()):
                item = QTreeWidgetItem([text, keys, tip if _plain(tip) != text else ""])
                item.setData(0, Qt.ItemDataRole.UserRole, title)
                self.tree.addTopLevelItem(item)
        self._apply_filter(self.filter.text())

    def rows(self) -> list[tuple[str, str, str]]:
        """(section, command, keys) of every shortcut row (tests and the filter read them)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            if it is not None and it.data(0, Qt.ItemDataRole.UserRole):
                out.append((str(it.data(0, Qt.ItemDataRole.UserRole)), it.text(0), it.text(1)))
        return out

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        header: QTreeWidgetItem | None = None
        header_visible = False
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            if it is None:
                continue
            if not it.data(0, Qt.ItemDataRole.UserRole):
                if header is not None:
                    header.setHidden(not header_visible)
                header, header_visible = it, False
                continue
            hit = not needle or any(needle in it.text(c).lower() for c in range(3))
            it.setHidden(not hit)
            header_visible = header_visible or hit
        if header is not None:
            header.setHidden(not header_visible)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def shortcuts_action(window: MainWindow) -> QAction:
    """Help → Keyboard shortcuts (F1 where the platform has no other help key); opens the dialog."""
    act = QAction(window)
    act.setObjectName("shortcuts-action")
    act.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))

    def show() -> None:
        dialog = ShortcutsDialog(window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    act.triggered.connect(show)
    return act


@showcase_dialog("shortcuts")
def _shortcuts_showcase(window: MainWindow) -> QWidget:
    return ShortcutsDialog(window)
