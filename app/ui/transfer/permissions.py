"""The permissions dialog: octal field and checkboxes kept in step, with a recursive option.

SFTP sets modes with ``chmod``; FTP with ``SITE CHMOD`` (servers without it say so).  Recursion
can apply to files only, folders only, or both (folders usually need the execute bits that
files should not get).
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

WHO = ("owner", "group", "others")
WHAT = ("read", "write", "execute")


class PermissionsDialog(QDialog):
    """``mode`` after ``exec()``; ``recursive`` and ``apply_to`` ("all", "files", "folders")."""

    def __init__(self, names: list[str], mode: int | None, any_folder: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("permissions-dialog")
        self.setWindowTitle(self.tr("Change permissions"))
        lay = QVBoxLayout(self)
        shown = ", ".join(names[:5]) + ("…" if len(names) > 5 else "")
        head = QLabel(self.tr("Permissions of %1").replace("%1", shown), self)
        head.setWordWrap(True)
        lay.addWidget(head)
        grid = QGridLayout()
        who_text = {"owner": self.tr("Owner"), "group": self.tr("Group"), "others": self.tr("Others")}
        what_text = {"read": self.tr("Read"), "write": self.tr("Write"), "execute": self.tr("Execute")}
        self.boxes: dict[tuple[str, str], QCheckBox] = {}
        for r, who in enumerate(WHO):
            grid.addWidget(QLabel(who_text[who], self), r + 1, 0)
            for c, what in enumerate(WHAT):
                if r == 0:
                    grid.addWidget(QLabel(what_text[what], self), 0, c + 1)
                cb = QCheckBox(self)
                cb.setObjectName(f"perm-{who}-{what}")
                cb.setAccessibleName(f"{who_text[who]} {what_text[what]}")
                cb.toggled.connect(self._boxes_changed)
                grid.addWidget(cb, r + 1, c + 1)
                self.boxes[(who, what)] = cb
        group = QGroupBox(self.tr("Who may do what"), self)
        group.setLayout(grid)
        lay.addWidget(group)
        form = QFormLayout()
        self.octal = QLineEdit(self)
        self.octal.setObjectName("perm-octal")
        self.octal.setValidator(QRegularExpressionValidator(QRegularExpression("[0-7]{3,4}"), self))
        self.octal.textEdited.connect(self._octal_changed)
        form.addRow(self.tr("&Numeric value:"), self.octal)
        lay.addLayout(form)
        self.recursive = QCheckBox(self.tr("Apply to everything &inside the folders too"), self)
        self.recursive.setObjectName("perm-recursive")
        self.recursive.setEnabled(any_folder)
        self.apply_to = QComboBox(self)
        self.apply_to.setObjectName("perm-apply-to")
        self.apply_to.addItem(self.tr("Files and folders"), "all")
        self.apply_to.addItem(self.tr("Files only"), "files")
        self.apply_to.addItem(self.tr("Folders only"), "folders")
        self.apply_to.setEnabled(False)
        self.recursive.toggled.connect(self.apply_to.setEnabled)
        lay.addWidget(self.recursive)
        lay.addWidget(self.apply_to)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        self._updating = False
        self.set_mode(mode if mode is not None else 0o644)

    @property
    def mode(self) -> int:
        try:
            return int(self.octal.text() or "0", 8)
        except ValueError:
            return 0

    @property
    def scope(self) -> str:
        return str(self.apply_to.currentData())

    def set_mode(self, mode: int) -> None:
        self._updating = True
        for r, who in enumerate(WHO):
            for c, what in enumerate(WHAT):
                bit = 1 << (8 - (r * 3 + c))
                self.boxes[(who, what)].setChecked(bool(mode & bit))
        special = (mode >> 9) & 0o7
        self.octal.setText(f"{special}{mode & 0o777:03o}" if special else f"{mode & 0o777:03o}")
        self._updating = False

    def _boxes_changed(self) -> None:
        if self._updating:
            return
        mode = 0
        for r, who in enumerate(WHO):
            for c, what in enumerate(WHAT):
                if self.boxes[(who, what)].isChecked():
                    mode |= 1 << (8 - (r * 3 + c))
        special = self.mode & 0o7000
        self._updating = True
        value = special | mode
        self.octal.setText(f"{value >> 9}{value & 0o777:03o}" if special else f"{value & 0o777:03o}")
        self._updating = False

    def _octal_changed(self, text: str) -> None:
        if len(text) >= 3:
            cursor = self.octal.cursorPosition()
            self.set_mode(int(text, 8))
            self.octal.setText(text)
            self.octal.setCursorPosition(cursor)
