"""Synchronize: choose the direction, preview the plan with a tick per action, then run it.

Deletions are never run from the first "Run": when any ticked action deletes, a second
confirmation lists exactly what goes (see :class:`app.ui.transfer.prompts.ConfirmDeleteDialog`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.core.transfer.compare import SyncAction
from app.ui.transfer.remote_model import format_size

Index = QModelIndex | QPersistentModelIndex


class SyncOptionsDialog(QDialog):
    """Which side wins, and whether what exists only on the other side is deleted."""

    def __init__(self, local: str, remote: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync-options")
        self.setWindowTitle(self.tr("Synchronize folders"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Local: %1").replace("%1", local), self))
        lay.addWidget(QLabel(self.tr("Remote: %1").replace("%1", remote), self))
        self.upload = QRadioButton(self.tr("Make the &server folder like this computer's (upload)"), self)
        self.upload.setObjectName("sync-upload")
        self.download = QRadioButton(self.tr("Make this &computer's folder like the server's (download)"), self)
        self.download.setObjectName("sync-download")
        self.download.setChecked(True)
        self.delete = QCheckBox(self.tr("&Delete what exists only on the side being changed"), self)
        self.delete.setObjectName("sync-delete")
        for w in (self.upload, self.download, self.delete):
            lay.addWidget(w)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        box.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Preview"))
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        lay.addWidget(box)

    @property
    def reverse(self) -> bool:
        return self.upload.isChecked()


class PlanModel(QAbstractTableModel):
    """The plan's actions with a check box each (all ticked at first)."""

    def __init__(self, actions: list[SyncAction], parent: Any = None) -> None:
        super().__init__(parent)
        self.actions = actions
        self.checked = [True] * len(actions)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.actions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [self.tr("Action"), self.tr("Path"), self.tr("Size")][section]
        return None

    def kind_text(self, kind: str) -> str:
        return {
            "download": self.tr("Download"),
            "upload": self.tr("Upload"),
            "mkdir_local": self.tr("Create local folder"),
            "mkdir_remote": self.tr("Create remote folder"),
            "delete_local": self.tr("Delete local"),
            "delete_remote": self.tr("Delete on server"),
        }.get(kind, kind)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.actions)):
            return None
        a = self.actions[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return [self.kind_text(a.kind), a.relpath, format_size(a.size) if a.size is not None else ""][
                index.column()
            ]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            return Qt.CheckState.Checked if self.checked[index.row()] else Qt.CheckState.Unchecked
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role == Qt.ItemDataRole.CheckStateRole and index.isValid() and index.column() == 0:
            self.checked[index.row()] = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
            return True
        return False

    def flags(self, index: Index) -> Qt.ItemFlag:
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and index.column() == 0:
            f |= Qt.ItemFlag.ItemIsUserCheckable
        return f

    def chosen(self) -> list[SyncAction]:
        return [a for a, on in zip(self.actions, self.checked, strict=True) if on]


class SyncPreviewDialog(QDialog):
    """The editable preview: untick what must not happen, then Run."""

    def __init__(self, actions: list[SyncAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync-preview")
        self.setWindowTitle(self.tr("Synchronize: preview"))
        self.resize(640, 420)
        lay = QVBoxLayout(self)
        if actions:
            text = self.tr("%n action(s). Untick what should not happen.", "", len(actions))
        else:
            text = self.tr("Both folders are already the same.")
        lay.addWidget(QLabel(text, self))
        self.model = PlanModel(actions, self)
        self.view = QTreeView(self)
        self.view.setObjectName("sync-plan")
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setModel(self.model)
        self.view.header().resizeSection(0, 180)
        self.view.header().resizeSection(1, 320)
        lay.addWidget(self.view, 1)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.run_button = box.button(QDialogButtonBox.StandardButton.Ok)
        self.run_button.setText(self.tr("&Run"))
        self.run_button.setObjectName("sync-run")
        self.run_button.setEnabled(bool(actions))
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
