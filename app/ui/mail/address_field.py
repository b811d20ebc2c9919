"""To/Cc/Bcc fields: addresses as chips that can be edited and dragged between fields, with completion.

Typing a comma, a semicolon, Enter or Tab (or leaving the field) turns the typed text into chips;
Backspace in the empty editor takes the last chip back for editing; double-clicking a chip edits
it. Completion offers addresses from the mail cache, most frequent first, a person's several
addresses side by side (:func:`app.core.mail.addressbook.match_contacts`). A chip dragged onto
another field moves there (MIME type :data:`ADDRESS_MIME`; plain text goes along for other programs).

Signals:
    changed(): the list of addresses changed.
"""

from __future__ import annotations

import json
import weakref
from email.utils import getaddresses

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, QRect, QSize, QStringListModel, Qt, Signal
from PySide6.QtGui import QDrag, QDragEnterEvent, QDropEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
    QWidgetItem,
)

from app.core.mail.addressbook import Contact, match_contacts

ADDRESS_MIME = "application/x-quay-address"


def split_addresses(text: str) -> list[str]:
    """``"An <a@x>, b@y; c@z"`` -> the separate address strings (display names kept)."""
    out = []
    for name, addr in getaddresses([text.replace(";", ",")]):
        if not addr:
            continue
        out.append(f"{name} <{addr}>" if name else addr)
    return out


def looks_valid(address: str) -> bool:
    addr = getaddresses([address])[0][1] if address else ""
    local, at, domain = addr.rpartition("@")
    return bool(at and local and "." in domain and not domain.startswith(".") and " " not in addr)


class FlowLayout(QLayout):
    """Lays widgets out left to right, wrapping to new lines (chips, then the editor)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(2, 2, 2, 2)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def insertWidget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._layout(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for it in self._items:
            size = size.expandedTo(it.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _layout(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        r = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_h = r.x(), r.y(), 0
        sp = self.spacing()
        for i, it in enumerate(self._items):
            hint = it.sizeHint()
            last = i == len(self._items) - 1
            w = max(hint.width(), 120) if last else hint.width()
            if x + w > r.right() + 1 and line_h > 0:
                x, y, line_h = r.x(), y + line_h + sp, 0
            if last:  # the editor takes the rest of the line
                w = max(w, r.right() + 1 - x)
            if apply:
                it.setGeometry(QRect(QPoint(x, y), QSize(w, hint.height())))
            x += w + sp
            line_h = max(line_h, hint.height())
        return y + line_h - rect.y() + m.bottom()


class AddressChip(QFrame):
    """One address: its text, a remove button; draggable, double-click to edit."""

    removed = Signal(object)
    edit_requested = Signal(object)

    def __init__(self, address: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.address = address
        self.setObjectName("address-chip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(self.palette().ColorRole.AlternateBase)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 1, 2, 1)
        lay.setSpacing(2)
        self.label = QLabel(address, self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.label)
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setAccessibleName(self.tr("Remove %1").replace("%1", address))
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(lambda: self.removed.emit(self))
        lay.addWidget(self.close_button)
        self.valid = looks_valid(address)
        if not self.valid:
            font = self.label.font()
            font.setItalic(True)
            font.setStrikeOut(True)
            self.label.setFont(font)
            self.setToolTip(self.tr("This does not look like an e-mail address; double-click to correct it."))
        else:
            self.setToolTip(address)
        self.setAccessibleName(address)
        self._press: QPoint | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - self._press).manhattanLength() < QApplication.startDragDistance():
            return
        self._press = None
        drag = QDrag(self)
        drag.setMimeData(chip_mime(self.address, self))
        drag.setPixmap(self.grab())
        # The field that accepts the drop removes this chip from its origin (see AddressField.dropEvent).
        drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.edit_requested.emit(self)


_CHIPS: weakref.WeakValueDictionary[str, AddressChip] = weakref.WeakValueDictionary()


def chip_mime(address: str, chip: AddressChip | None = None) -> QMimeData:
    """The drag payload: the address, and which chip it comes from (so a move removes the original)."""
    origin = ""
    if chip is not None:
        origin = f"{id(chip):x}"
        _CHIPS[origin] = chip
    mime = QMimeData()
    mime.setData(ADDRESS_MIME, json.dumps({"address": address, "origin": origin}).encode("utf-8"))
    mime.setText(address)
    return mime


class AddressField(QWidget):
    """A To, Cc or Bcc field (see the module docstring)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.flow = FlowLayout(self)
        self.editor = QLineEdit(self)
        self.editor.setFrame(False)
        self.editor.setObjectName("address-editor")
        self.flow.addWidget(self.editor)
        self.chips: list[AddressChip] = []
        self._contacts: list[Contact] = []
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setWidget(self.editor)
        self.completer.activated.connect(self._completion_chosen)
        self.editor.textEdited.connect(self._typed)
        self.editor.installEventFilter(self)
        self.setFocusProxy(self.editor)

    # ------------------------------------------------------------ public

    def set_contacts(self, contacts: list[Contact]) -> None:
        self._contacts = contacts

    def addresses(self) -> list[str]:
        """The chips, plus whatever is still typed in the editor."""
        return [c.address for c in self.chips] + split_addresses(self.editor.text())

    def set_addresses(self, addresses: list[str]) -> None:
        for chip in list(self.chips):
            self._remove(chip, notify=False)
        for a in addresses:
            self.add_address(a, notify=False)
        self.changed.emit()

    def add_address(self, address: str, *, notify: bool = True, index: int | None = None) -> None:
        chip = AddressChip(address.strip(), self)
        chip.removed.connect(self._remove)
        chip.edit_requested.connect(self._edit)
        pos = len(self.chips) if index is None else index
        self.chips.insert(pos, chip)
        self.flow.insertWidget(pos, chip)
        chip.show()
        self.updateGeometry()
        if notify:
            self.changed.emit()

    def commit(self) -> None:
        """Turn the typed text into chips."""
        text = self.editor.text()
        if text.strip():
            for a in split_addresses(text) or [text.strip()]:
                self.add_address(a, notify=False)
            self.editor.clear()
            self.changed.emit()

    def invalid_addresses(self) -> list[str]:
        return [a for a in self.addresses() if not looks_valid(a)]

    # ------------------------------------------------------------ internals

    def _remove(self, chip: AddressChip, notify: bool = True) -> None:
        if chip in self.chips:
            self.chips.remove(chip)
            self.flow.removeWidget(chip)
            chip.deleteLater()
            self.updateGeometry()
            if notify:
                self.changed.emit()

    def _edit(self, chip: AddressChip) -> None:
        self.commit()
        self.editor.setText(chip.address)
        self._remove(chip)
        self.editor.setFocus()

    def _typed(self, text: str) -> None:
        if text and text[-1] in ",;":
            self.commit()
            return
        matches = match_contacts(self._contacts, text)
        self.model.setStringList([c.display() for c in matches])
        if matches:
            self.completer.complete()
        else:
            self.completer.popup().hide()

    def _completion_chosen(self, text: str) -> None:
        self.editor.setText(text)
        self.commit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.editor:
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                key = event.key()
                popup_open = self.completer.popup().isVisible()
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not popup_open and self.editor.text().strip():
                    self.commit()
                    return True
                if key == Qt.Key.Key_Tab and self.editor.text().strip() and not popup_open:
                    self.commit()
                    return False
                if key == Qt.Key.Key_Backspace and not self.editor.text() and self.chips:
                    self._edit(self.chips[-1])
                    return True
            elif event.type() == QEvent.Type.FocusOut and not self.completer.popup().isVisible():
                self.commit()
        return super().eventFilter(obj, event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        md = event.mimeData()
        if md.hasFormat(ADDRESS_MIME) or (md.hasText() and not md.hasUrls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        md = event.mimeData()
        if md.hasFormat(ADDRESS_MIME):
            try:
                payload = json.loads(bytes(md.data(ADDRESS_MIME).data()).decode("utf-8"))
                address, origin = str(payload["address"]), str(payload.get("origin", ""))
            except (ValueError, KeyError, TypeError):
                event.ignore()
                return
            source = _CHIPS.get(origin) if origin else None
            if source is not None and source in self.chips:
                event.ignore()  # dropped on its own field: nothing moves
                return
            self.add_address(address)
            if source is not None:
                owner = source.parent()
                if isinstance(owner, AddressField):
                    owner._remove(source)
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            return
        for a in split_addresses(md.text()):
            self.add_address(a)
        event.acceptProposedAction()
