"""The composer's attachment list: files by button, paste or drop; messages from the list as ``.eml``.

Drops understood: ``text/uri-list`` with local files (the OS file manager) and
:data:`MESSAGE_IDS_MIME` (``application/x-quay-message-ids``: store message ids as a JSON list
or separated by commas/whitespace, from Quay's message list). Messages become ``message/rfc822``
attachments once their bytes arrive from the cache (the composer fetches them on a worker).

Signals:
    changed(): attachments were added or removed.
    message_ids_dropped(list): store message ids to attach as ``.eml``.
"""

from __future__ import annotations

import json
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale, QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

MESSAGE_IDS_MIME = "application/x-quay-message-ids"


@dataclass
class PendingAttachment:
    """One attachment as the composer holds it: a file on disk, bytes in memory, or a whole message."""

    name: str
    size: int
    path: Path | None = None
    data: bytes | None = None
    content_type: str = ""
    message: bytes | None = None  # a forwarded message (message/rfc822)

    def read(self) -> bytes:
        if self.message is not None:
            return self.message
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()

    @property
    def guessed_type(self) -> str:
        if self.message is not None:
            return "message/rfc822"
        return self.content_type or mimetypes.guess_type(self.name)[0] or "application/octet-stream"


def parse_message_ids(md: QMimeData) -> list[int]:
    raw = bytes(md.data(MESSAGE_IDS_MIME).data()).decode("utf-8", "replace").strip()
    try:
        value = json.loads(raw)
        if isinstance(value, list):
            return [int(v) for v in value]
        if isinstance(value, int):
            return [value]
    except (ValueError, TypeError):
        pass
    return [int(t) for t in re.split(r"[,\s]+", raw) if t.isdigit()]


def format_size(n: int) -> str:
    return QLocale().formattedDataSize(n, 1, QLocale.DataSizeFormat.DataSizeSIFormat)


class AttachmentList(QListWidget):
    changed = Signal()
    message_ids_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer-attachments")
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setFlow(QListWidget.Flow.LeftToRight)
        self.setWrapping(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSpacing(4)
        self.setMaximumHeight(self.fontMetrics().height() * 5)
        self.items_: list[PendingAttachment] = []
        self.setAccessibleName(self.tr("Attachments"))

    def attachments(self) -> list[PendingAttachment]:
        return list(self.items_)

    def total_size(self) -> int:
        return sum(a.size for a in self.items_)

    def add(self, att: PendingAttachment) -> None:
        self.items_.append(att)
        icon = QIcon.fromTheme("message-rfc822" if att.message is not None else "text-x-generic")
        item = QListWidgetItem(icon, f"{att.name} ({format_size(att.size)})", self)
        item.setToolTip(str(att.path) if att.path else att.name)
        self.setVisible(True)
        self.changed.emit()

    def add_files(self, paths: list[str]) -> list[str]:
        """Add local files; returns the ones that could not be read (with the reason)."""
        problems = []
        for p in paths:
            path = Path(p)
            try:
                if path.is_dir():
                    raise IsADirectoryError(self.tr("folders cannot be attached"))
                size = path.stat().st_size
            except OSError as e:
                problems.append(f"{path.name}: {e.strerror or e}")
                continue
            self.add(PendingAttachment(path.name, size, path=path))
        return problems

    def remove_selected(self) -> None:
        rows = sorted((self.row(i) for i in self.selectedItems()), reverse=True)
        for r in rows:
            self.takeItem(r)
            del self.items_[r]
        if rows:
            self.changed.emit()

    def replace_all(self, atts: list[PendingAttachment]) -> None:
        self.clear()
        self.items_ = []
        for a in atts:
            self.add(a)
        self.changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_selected()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------ drag and drop

    @staticmethod
    def accepts(md: QMimeData) -> bool:
        return md.hasFormat(MESSAGE_IDS_MIME) or any(u.isLocalFile() for u in md.urls())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.accepts(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if self.handle_drop(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def handle_drop(self, md: QMimeData) -> bool:
        if md.hasFormat(MESSAGE_IDS_MIME):
            ids = parse_message_ids(md)
            if ids:
                self.message_ids_dropped.emit(ids)
                return True
        files = [u.toLocalFile() for u in md.urls() if u.isLocalFile()]
        if files:
            self.add_files(files)
            return True
        return False
