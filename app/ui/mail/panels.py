"""The task panel (running and failed tasks with translated errors and Retry, plus the offline queue)
and the per-account protocol-log window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.mail.backend import LogBuffer, MailBackend
from app.ui.mail.error_text import explain

LOG_LINE_LIMIT = 5000


class TaskPanel(QWidget):
    """Running, failed and queued work, one line each; Retry re-runs a failed task."""

    def __init__(self, backend: MailBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("task-panel")
        self.backend = backend
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("task-list")
        self.tree.setColumnCount(3)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        lay.addWidget(self.tree)
        row = QHBoxLayout()
        self.retry_button = QPushButton(self)
        self.retry_button.setObjectName("task-retry")
        self.retry_button.clicked.connect(self.retry_selected)
        row.addStretch(1)
        row.addWidget(self.retry_button)
        lay.addLayout(row)
        backend.tasks_changed.connect(self.refresh)
        backend.pending_changed.connect(lambda _n: self.refresh())
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("Task"), self.tr("Account"), self.tr("State")])
        self.tree.setAccessibleName(self.tr("Tasks"))
        self.retry_button.setText(self.tr("&Retry"))
        self.refresh()

    def refresh(self) -> None:
        self.tree.clear()
        names = {rt.key: rt.name or rt.key for rt in self.backend.accounts.values()}
        for t in self.backend.tasks():
            if t.state == "failed" and t.error is not None:
                title, text = explain(t.error)
                state = f"{title}: {text}"
            else:
                state = self.tr("Running")
            item = QTreeWidgetItem([t.title, names.get(t.account, t.account), state])
            item.setData(0, Qt.ItemDataRole.UserRole, t.id)
            item.setToolTip(2, state)
            self.tree.addTopLevelItem(item)
        for account, op in self.backend.pending_list():
            item = QTreeWidgetItem([self.tr("Waiting to be sent: %1").replace("%1", op), account, self.tr("Queued")])
            self.tree.addTopLevelItem(item)
        self.retry_button.setEnabled(any(t.state == "failed" for t in self.backend.tasks()))

    def retry_selected(self) -> None:
        items = self.tree.selectedItems() or [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        for item in items:
            tid = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
            if tid is not None and any(t.id == tid and t.state == "failed" for t in self.backend.tasks()):
                self.backend.retry_task(int(tid))


class ProtocolLogWindow(QDialog):
    """IMAP/POP3 commands and replies of one account (secrets already redacted), copyable, line-limited."""

    def __init__(self, title: str, buffer: LogBuffer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("protocol-log")
        self.buffer = buffer
        self.setWindowTitle(self.tr("Protocol log — %1").replace("%1", title))
        lay = QVBoxLayout(self)
        self.note = QLabel(self.tr("Passwords and other secrets are never shown here."), self)
        lay.addWidget(self.note)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setMaximumBlockCount(LOG_LINE_LIMIT)
        self.text.setAccessibleName(self.tr("Protocol log"))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setPlainText(buffer.text())
        lay.addWidget(self.text)
        row = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("&Copy all"), self)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        self.clear_button = QPushButton(self.tr("C&lear"), self)
        self.clear_button.clicked.connect(self.text.clear)
        row.addStretch(1)
        row.addWidget(self.clear_button)
        row.addWidget(self.copy_button)
        lay.addLayout(row)
        buffer.appended.connect(self._append)
        self.resize(760, 460)

    def _append(self, text: str) -> None:
        self.text.appendPlainText(text.rstrip("\n"))
