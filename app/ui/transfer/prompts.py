"""Small dialogs of the Files tab: password or key passphrase, transfer conflict, delete confirmation, properties.

Certificate and host-key prompts are the shared ones in :mod:`app.ui.dialogs.trust`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.transfer.base import RemoteEntry
from app.core.transfer.queue import ConflictInfo, ConflictPolicy
from app.ui.transfer.remote_model import format_size, format_time


def _plain(text: str, parent: QWidget) -> QLabel:
    lab = QLabel(text, parent)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    lab.setWordWrap(True)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lab


class SecretDialog(QDialog):
    """Ask for a password or a key passphrase the keyring does not have, with "remember"."""

    def __init__(self, kind: str, where: str, reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secret-dialog")
        self.kind = kind
        lay = QVBoxLayout(self)
        if kind == "passphrase":
            self.setWindowTitle(self.tr("Key passphrase"))
            text = self.tr("Enter the passphrase of your SSH key for %1.").replace("%1", where)
        else:
            self.setWindowTitle(self.tr("Password"))
            text = self.tr("Enter the password for %1.").replace("%1", where)
        lay.addWidget(_plain(text, self))
        if reason:
            self.reason = _plain(reason, self)
            lay.addWidget(self.reason)
        self.field = QLineEdit(self)
        self.field.setObjectName("secret-field")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(self.tr("Passphrase") if kind == "passphrase" else self.tr("Password"))
        lay.addWidget(self.field)
        self.remember = QCheckBox(self.tr("&Remember it in the system keyring"), self)
        self.remember.setObjectName("secret-remember")
        lay.addWidget(self.remember)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.field.setFocus()

    @property
    def secret(self) -> str:
        return self.field.text()


class ConflictDialog(QDialog):
    """The target of a transfer exists: overwrite, overwrite if newer, resume, rename or skip; "apply to all"."""

    CHOICES = (
        ConflictPolicy.OVERWRITE,
        ConflictPolicy.OVERWRITE_IF_NEWER,
        ConflictPolicy.RESUME,
        ConflictPolicy.RENAME,
        ConflictPolicy.SKIP,
    )

    def __init__(self, info: ConflictInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict-dialog")
        self.info = info
        self.setWindowTitle(self.tr("The target file exists"))
        lay = QVBoxLayout(self)
        job = info.job
        lay.addWidget(
            _plain(
                self.tr("%1 already exists. What should happen to it?").replace("%1", job.target),
                self,
            )
        )
        form = QFormLayout()
        form.addRow(self.tr("Source:"), _plain(self._side(job.source, info.source_size, info.source_mtime), self))
        form.addRow(self.tr("Target:"), _plain(self._side(job.target, info.target_size, info.target_mtime), self))
        lay.addLayout(form)
        self.group = QButtonGroup(self)
        texts = {
            ConflictPolicy.OVERWRITE: self.tr("&Overwrite"),
            ConflictPolicy.OVERWRITE_IF_NEWER: self.tr("Overwrite if the source is &newer"),
            ConflictPolicy.RESUME: self.tr("R&esume (append the missing part)"),
            ConflictPolicy.RENAME: self.tr("&Rename (keep both)"),
            ConflictPolicy.SKIP: self.tr("&Skip"),
        }
        self.buttons: dict[ConflictPolicy, QRadioButton] = {}
        for i, policy in enumerate(self.CHOICES):
            rb = QRadioButton(texts[policy], self)
            rb.setObjectName(f"conflict-{policy.value}")
            self.group.addButton(rb, i)
            self.buttons[policy] = rb
            lay.addWidget(rb)
        self.buttons[ConflictPolicy.OVERWRITE_IF_NEWER].setChecked(True)
        self.apply_all = QCheckBox(self.tr("&Apply to all conflicts in this queue"), self)
        self.apply_all.setObjectName("conflict-apply-all")
        lay.addWidget(self.apply_all)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        box.accepted.connect(self.accept)
        lay.addWidget(box)

    def _side(self, path: str, size: int | None, mtime: float | None) -> str:
        parts = [path]
        if size is not None:
            parts.append(format_size(size))
        if mtime is not None:
            parts.append(format_time(mtime))
        return " · ".join(parts)

    @property
    def choice(self) -> ConflictPolicy:
        return self.CHOICES[max(0, self.group.checkedId())]

    def reject(self) -> None:  # closing the prompt skips this file rather than leaving a worker waiting
        self.buttons[ConflictPolicy.SKIP].setChecked(True)
        super().accept()


class ConfirmDeleteDialog(QDialog):
    """A destructive action lists what goes; Cancel is the default."""

    def __init__(self, title: str, text: str, names: list[str], ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirm-delete-dialog")
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        lay.addWidget(_plain(text, self))
        self.list = QListWidget(self)
        self.list.setObjectName("confirm-delete-list")
        self.list.addItems(names[:1000])
        if len(names) > 1000:
            self.list.addItem(self.tr("… and %n more", "", len(names) - 1000))
        lay.addWidget(self.list)
        box = QDialogButtonBox(self)
        self.ok_button = box.addButton(ok_text, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.ok_button.setObjectName("confirm-delete-ok")
        self.ok_button.setAutoDefault(False)
        self.ok_button.clicked.connect(self.accept)
        self.cancel_button = box.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        self.cancel_button.setFocus()


class PropertiesDialog(QDialog):
    """Everything the listing says about one remote entry."""

    def __init__(self, entry: RemoteEntry, path: str, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("properties-dialog")
        self.setWindowTitle(self.tr("Properties of %1").replace("%1", entry.name))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        kind = {"dir": self.tr("Folder"), "file": self.tr("File"), "link": self.tr("Link")}.get(entry.kind, entry.kind)
        rows: list[tuple[str, Any]] = [
            (self.tr("Name:"), entry.name),
            (self.tr("Path:"), path),
            (self.tr("Address:"), url),
            (self.tr("Type:"), kind),
        ]
        if entry.size is not None and not entry.is_dir:
            rows.append((self.tr("Size:"), f"{format_size(entry.size)} ({entry.size:,} B)"))
        if entry.mtime is not None:
            rows.append((self.tr("Modified:"), f"{format_time(entry.mtime)} ({datetime.fromtimestamp(entry.mtime)})"))
        if entry.perms or entry.mode is not None:
            octal = f" ({entry.mode & 0o7777:04o})" if entry.mode is not None else ""
            rows.append((self.tr("Permissions:"), (entry.perms or "") + octal))
        if entry.owner or entry.group:
            rows.append((self.tr("Owner:"), " / ".join(x for x in (entry.owner, entry.group) if x)))
        if entry.target:
            rows.append((self.tr("Link target:"), entry.target))
        for label, value in rows:
            form.addRow(label, _plain(str(value), self))
        lay.addLayout(form)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
