"""The local side of the Files tab: this computer's folders through ``QFileSystemModel``.

A path bar (with completion), back / forward / up / home, favourite folders, a hidden-files
toggle, the drives on Windows, and a list that accepts remote entries dropped on it (they are
downloaded into the folder under the cursor, or the shown one).  Files dragged out carry file URLs,
which the remote pane, the OS file manager and other programs understand.

Signals:
    path_changed(str): the shown folder changed.
    remote_dropped(object, str): remote entries (:class:`RemoteDrag`) dropped into this folder.
    context_menu(QPoint): the user asked for the context menu at this global position.
    activated(): the user gave the pane focus (F6 cycling, clicks).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDir,
    QEvent,
    QIdentityProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent, QFocusEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QFileSystemModel,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.core.transfer.sync_plan import Mark
from app.ui.transfer.dnd import decode_remote
from app.ui.transfer.history import NavHistory
from app.ui.transfer.icons import icon
from app.ui.transfer.remote_model import MARK_ROLE, mark_color

Index = QModelIndex | QPersistentModelIndex


class MarkedFileModel(QIdentityProxyModel):
    """``QFileSystemModel`` plus the compare marks (background tint) of the shown folder's entries."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.marks: dict[str, Mark] = {}
        self.folder = ""

    def set_marks(self, folder: str, marks: dict[str, Mark]) -> None:
        self.folder = folder
        self.marks = dict(marks)
        rows = self.rowCount(self.folder_index())
        if rows:
            self.dataChanged.emit(
                self.index(0, 0, self.folder_index()), self.index(rows - 1, self.columnCount() - 1, self.folder_index())
            )

    def folder_index(self) -> QModelIndex:
        src = self.sourceModel()
        assert isinstance(src, QFileSystemModel)
        return self.mapFromSource(src.index(self.folder)) if self.folder else QModelIndex()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Qt has no Vietnamese catalogue for QFileSystemModel's own headers: name them here.
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 4:
            return [self.tr("Name"), self.tr("Size"), self.tr("Type"), self.tr("Modified")][section]
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.BackgroundRole, MARK_ROLE) and self.marks:
            src = self.sourceModel()
            assert isinstance(src, QFileSystemModel)
            sidx = self.mapToSource(index)
            if src.filePath(sidx.parent()) == self.folder:
                mark = self.marks.get(src.fileName(sidx))
                if role == MARK_ROLE:
                    return mark.value if mark is not None else None
                return mark_color(mark, QApplication.palette())
        return super().data(index, role)


class LocalView(QTreeView):
    """The list of the local folder; accepts remote entries (download) dropped on it.

    Signals:
        remote_dropped(object, str): see :class:`LocalPane`.
        focused(): it got keyboard focus.
    """

    remote_dropped = Signal(object, str)
    focused = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("local-list")
        self.setUniformRowHeights(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setSortingEnabled(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.folder = ""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit()

    def _target_folder(self, pos: QPoint) -> str:
        index = self.indexAt(pos)
        model = self.model()
        if index.isValid() and model is not None:
            src = model.sourceModel() if isinstance(model, QIdentityProxyModel) else model
            sidx = model.mapToSource(index) if isinstance(model, QIdentityProxyModel) else index
            assert isinstance(src, QFileSystemModel)
            if src.isDir(sidx):
                return src.filePath(sidx)
        return self.folder

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if decode_remote(event.mimeData()) is not None:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if decode_remote(event.mimeData()) is not None:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        drag = decode_remote(event.mimeData())
        if drag is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.remote_dropped.emit(drag, self._target_folder(event.position().toPoint()))


class LocalPane(QWidget):
    """See the module docstring."""

    path_changed = Signal(str)
    remote_dropped = Signal(object, str)
    context_menu = Signal(QPoint)
    activated = Signal()

    def __init__(self, settings: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("local-pane")
        self.settings = settings
        self.fs = QFileSystemModel(self)
        self.fs.setReadOnly(True)
        self.model = MarkedFileModel(self)
        self.model.setSourceModel(self.fs)
        self.history = NavHistory()
        self.view = LocalView(self)
        self.view.setModel(self.model)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.header().resizeSection(0, 240)
        self.view.doubleClicked.connect(self._open_index)
        self.view.remote_dropped.connect(self.remote_dropped)
        self.view.focused.connect(self.activated)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(
            lambda p: self.context_menu.emit(self.view.viewport().mapToGlobal(p))
        )

        self.back_action = self._nav_action("go-previous", QKeySequence(QKeySequence.StandardKey.Back), self.back)
        self.forward_action = self._nav_action("go-next", QKeySequence(QKeySequence.StandardKey.Forward), self.forward)
        self.up_action = self._nav_action("go-up", QKeySequence("Alt+Up"), self.up)
        self.home_action = self._nav_action("user-home", QKeySequence("Alt+Home"), self.home)
        self.hidden_action = QAction(icon("view-hidden"), "", self)
        self.hidden_action.setCheckable(True)
        self.hidden_action.setObjectName("local-show-hidden")
        self.hidden_action.toggled.connect(self.set_show_hidden)
        self.favourites_button = QToolButton(self)
        self.favourites_button.setObjectName("local-favourites")
        self.favourites_button.setIcon(icon("bookmarks"))
        self.favourites_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.favourites_menu = QMenu(self)
        self.favourites_menu.aboutToShow.connect(self._fill_favourites)
        self.favourites_button.setMenu(self.favourites_menu)
        self.drives = QComboBox(self)
        self.drives.setObjectName("local-drives")
        self.drives.setVisible(sys.platform == "win32")
        if sys.platform == "win32":
            for d in QDir.drives():
                self.drives.addItem(d.absolutePath(), d.absolutePath())
            self.drives.activated.connect(lambda i: self.set_path(self.drives.itemData(i)))
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("local-path")
        completer = QCompleter(self)
        dirs = QFileSystemModel(completer)
        dirs.setFilter(QDir.Filter.AllDirs | QDir.Filter.NoDotAndDotDot)
        dirs.setRootPath("")
        completer.setModel(dirs)
        self.path_edit.setCompleter(completer)
        self.path_edit.returnPressed.connect(lambda: self.set_path(self.path_edit.text()))

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(2)
        for act in (self.back_action, self.forward_action, self.up_action, self.home_action):
            b = QToolButton(self)
            b.setDefaultAction(act)
            bar.addWidget(b)
        bar.addWidget(self.drives)
        bar.addWidget(self.path_edit, 1)
        bar.addWidget(self.favourites_button)
        hb = QToolButton(self)
        hb.setDefaultAction(self.hidden_action)
        bar.addWidget(hb)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)
        show_hidden = str(settings.value("files/show_hidden", "false")).lower() == "true"
        self.hidden_action.setChecked(show_hidden)
        self._apply_filter(show_hidden)
        self.retranslate()

    def _nav_action(self, name: str, key: QKeySequence, slot: Any) -> QAction:
        act = QAction(icon(name), "", self)
        act.setShortcut(key)
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def retranslate(self) -> None:
        for act, text in (
            (self.back_action, self.tr("Back")),
            (self.forward_action, self.tr("Forward")),
            (self.up_action, self.tr("Up one folder")),
            (self.home_action, self.tr("Home folder")),
            (self.hidden_action, self.tr("Show hidden files")),
        ):
            act.setText(text)
            act.setToolTip(text)
            act.setStatusTip(text)
        self.favourites_button.setToolTip(self.tr("Favourite folders"))
        self.favourites_button.setAccessibleName(self.tr("Favourite folders"))
        self.path_edit.setAccessibleName(self.tr("Local folder"))
        self.path_edit.setPlaceholderText(self.tr("Local folder"))
        self.drives.setAccessibleName(self.tr("Drive"))
        self.view.setAccessibleName(self.tr("Local files"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- navigation -------------------------------------------------------------------------

    def current_path(self) -> str:
        return self.view.folder

    def set_path(self, path: str, *, record: bool = True) -> bool:
        p = Path(os.path.expanduser(path or "")).resolve() if path else Path.home()
        if not p.is_dir():
            self.path_edit.setText(self.view.folder)
            return False
        folder = str(p)
        self.fs.setRootPath(folder)
        src = self.fs.index(folder)
        self.view.setRootIndex(self.model.mapFromSource(src))
        self.view.folder = folder
        if self.model.folder != folder:
            self.model.set_marks(folder, {})
        self.path_edit.setText(folder)
        if record:
            self.history.visit(folder)
        self._update_nav()
        self.path_changed.emit(folder)
        return True

    def _update_nav(self) -> None:
        self.back_action.setEnabled(self.history.can_back())
        self.forward_action.setEnabled(self.history.can_forward())
        self.up_action.setEnabled(Path(self.view.folder).parent != Path(self.view.folder))

    def back(self) -> None:
        loc = self.history.back()
        if loc is not None:
            self.set_path(loc, record=False)

    def forward(self) -> None:
        loc = self.history.forward()
        if loc is not None:
            self.set_path(loc, record=False)

    def up(self) -> None:
        cur = Path(self.view.folder)
        if cur.parent != cur:
            self.set_path(str(cur.parent))

    def home(self) -> None:
        self.set_path(str(Path.home()))

    def refresh(self) -> None:
        # QFileSystemModel watches the folder; a re-set picks up anything the watcher missed.
        folder = self.view.folder
        self.fs.setRootPath("")
        self.set_path(folder, record=False)

    def _open_index(self, index: QModelIndex) -> None:
        sidx = self.model.mapToSource(index)
        if self.fs.isDir(sidx):
            self.set_path(self.fs.filePath(sidx))

    def enter(self, name: str) -> bool:
        """Synchronized browsing: go into ``name`` if this folder has it."""
        target = Path(self.view.folder) / name
        return target.is_dir() and self.set_path(str(target))

    # --- hidden files and favourites ------------------------------------------------------------

    def _apply_filter(self, show_hidden: bool) -> None:
        f = QDir.Filter.AllEntries | QDir.Filter.NoDotAndDotDot | QDir.Filter.AllDirs
        if show_hidden:
            f |= QDir.Filter.Hidden | QDir.Filter.System
        self.fs.setFilter(f)

    def set_show_hidden(self, on: bool) -> None:
        self._apply_filter(on)
        self.settings.set_value("files/show_hidden", "true" if on else "false")

    def favourites(self) -> list[str]:
        value = self.settings.value("files/favourites", [])
        if isinstance(value, str):
            value = [value] if value else []
        return [str(v) for v in value or []]

    def add_favourite(self, path: str) -> None:
        favs = [f for f in self.favourites() if f != path] + [path]
        self.settings.set_value("files/favourites", favs)

    def remove_favourite(self, path: str) -> None:
        self.settings.set_value("files/favourites", [f for f in self.favourites() if f != path])

    def _fill_favourites(self) -> None:
        menu = self.favourites_menu
        menu.clear()
        for fav in self.favourites():
            act = menu.addAction(icon("folder"), fav)
            act.triggered.connect(lambda _c=False, f=fav: self.set_path(f))
        if self.favourites():
            menu.addSeparator()
        add = menu.addAction(self.tr("Add this folder to favourites"))
        add.triggered.connect(lambda: self.add_favourite(self.view.folder))
        if self.view.folder in self.favourites():
            rm = menu.addAction(self.tr("Remove this folder from favourites"))
            rm.triggered.connect(lambda: self.remove_favourite(self.view.folder))

    # --- selection ------------------------------------------------------------------------------

    def selected_paths(self) -> list[Path]:
        rows = self.view.selectionModel().selectedRows(0)
        return [Path(self.fs.filePath(self.model.mapToSource(i))) for i in rows]

    def select_names(self, names: list[str]) -> None:
        sel = self.view.selectionModel()
        sel.clearSelection()
        for n in names:
            idx = self.model.mapFromSource(self.fs.index(str(Path(self.view.folder) / n)))
            if idx.isValid():
                sel.select(
                    idx,
                    sel.SelectionFlag.Select | sel.SelectionFlag.Rows,
                )
