"""The message log (like FileZilla's): commands and replies per connection, with times and colours.

Lines come from :class:`app.ui.transfer.backend.LogBuffer`, filled by every connection's
:class:`ProtoLog` (which redacts passwords and other secrets before anything is written) and by
the tab's own status lines.  The pane drains the buffer ten times a second, keeps at most
``line_limit`` lines, and is read-only but selectable and copyable.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFontDatabase, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QWidget

from app.ui.transfer.backend import LogBuffer

DEFAULT_LINE_LIMIT = 5000


class MessageLog(QPlainTextEdit):
    """Read-only, selectable log; colours come from the palette (commands: link colour, errors: bold)."""

    def __init__(self, buffer: LogBuffer, parent: QWidget | None = None, line_limit: int = DEFAULT_LINE_LIMIT) -> None:
        super().__init__(parent)
        self.setObjectName("files-log")
        self.buffer = buffer
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setMaximumBlockCount(line_limit)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self._formats: dict[str, QTextCharFormat] = {}
        self._make_formats()
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self.drain)
        self.timer.start()
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Message log"))

    def _make_formats(self) -> None:
        pal = self.palette()
        stamp = QTextCharFormat()
        stamp.setForeground(pal.color(QPalette.ColorRole.PlaceholderText))
        command = QTextCharFormat()
        command.setForeground(pal.color(QPalette.ColorRole.Link))
        reply = QTextCharFormat()
        reply.setForeground(pal.color(QPalette.ColorRole.Text))
        info = QTextCharFormat()
        info.setForeground(pal.color(QPalette.ColorRole.PlaceholderText))
        error = QTextCharFormat()
        error.setForeground(pal.color(QPalette.ColorRole.LinkVisited))
        error.setFontWeight(700)
        self._formats = {"stamp": stamp, "command": command, "reply": reply, "info": info, "error": error}

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._make_formats()
        elif event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def drain(self) -> None:
        lines = self.buffer.drain()
        if not lines:
            return
        bar = self.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 2
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.beginEditBlock()
        labels = {
            "command": self.tr("Command:"),
            "reply": self.tr("Response:"),
            "info": self.tr("Status:"),
            "error": self.tr("Error:"),
        }
        for ts, title, kind, text in lines[-self.maximumBlockCount() :]:
            if not self.document().isEmpty():
                cursor.insertBlock()
            cursor.insertText(datetime.fromtimestamp(ts).strftime("%H:%M:%S") + f" [{title}] ", self._formats["stamp"])
            fmt = self._formats.get(kind, self._formats["reply"])
            cursor.insertText(f"{labels.get(kind, '')} {text}", fmt)
        cursor.endEditBlock()
        if at_end:
            bar.setValue(bar.maximum())

    def text_lines(self) -> list[str]:
        return self.toPlainText().splitlines()

    def _menu(self, pos: Any) -> None:
        menu = self.createStandardContextMenu()
        menu.addSeparator()
        clear = menu.addAction(self.tr("C&lear log"))
        clear.triggered.connect(self.clear)
        assert isinstance(menu, QMenu)
        menu.popup(self.mapToGlobal(pos))
