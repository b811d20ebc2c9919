"""The composer's text editor: plain or rich text, formatting actions, quote levels, pasted files.

Rich text is read back by walking the document into :class:`~app.core.mail.compose_rich.Block`
values, so the HTML and the plain alternative come from one structure. A quote level is a
block property (:data:`QUOTE_PROPERTY`) drawn as an indent with a bar, so it survives editing.

Signals:
    files_pasted(list): local paths pasted or dropped into the text (they become attachments).
    image_pasted(object): a QImage pasted from the clipboard (becomes a PNG attachment).
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QFont,
    QIcon,
    QImage,
    QKeySequence,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextListFormat,
)
from PySide6.QtWidgets import QInputDialog, QTextEdit, QWidget

from app.core.mail.compose_rich import Block, Span, blocks_from_plain, render_html, render_plain

QUOTE_PROPERTY = QTextBlockFormat.Property.UserProperty + 1
QUOTE_INDENT = 18.0


class ComposerEditor(QTextEdit):
    files_pasted = Signal(list)
    image_pasted = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer-body")
        self.rich = False
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        mono = QFont(self.font())
        self.setFont(mono)
        self._build_actions()
        self.set_rich(False)

    # ------------------------------------------------------------ actions

    def _action(self, icon: str, shortcut: QKeySequence | str | None, slot: object, checkable: bool = False) -> QAction:
        act = QAction(self)
        act.setIcon(themed_icon(icon))
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.setCheckable(checkable)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        self.bold_action = self._action("format-text-bold", QKeySequence.StandardKey.Bold, self._bold, True)
        self.italic_action = self._action("format-text-italic", QKeySequence.StandardKey.Italic, self._italic, True)
        self.underline_action = self._action(
            "format-text-underline", QKeySequence.StandardKey.Underline, self._underline, True
        )
        self.bullet_action = self._action("format-list-unordered", "Ctrl+Shift+8", lambda: self._list("bullet"))
        self.number_action = self._action("format-list-ordered", "Ctrl+Shift+7", lambda: self._list("number"))
        self.link_action = self._action("insert-link", "Ctrl+K", self._link)
        self.quote_action = self._action("format-indent-more", "Ctrl+]", lambda: self.change_quote(1))
        self.unquote_action = self._action("format-indent-less", "Ctrl+[", lambda: self.change_quote(-1))
        self.format_actions = [
            self.bold_action,
            self.italic_action,
            self.underline_action,
            self.bullet_action,
            self.number_action,
            self.link_action,
            self.quote_action,
            self.unquote_action,
        ]
        self.currentCharFormatChanged.connect(self._sync_checks)
        self.retranslate()

    def retranslate(self) -> None:
        for act, text, tip in (
            (self.bold_action, self.tr("&Bold"), self.tr("Make the selected text bold")),
            (self.italic_action, self.tr("&Italic"), self.tr("Make the selected text italic")),
            (self.underline_action, self.tr("&Underline"), self.tr("Underline the selected text")),
            (self.bullet_action, self.tr("Bulleted list"), self.tr("Start or end a bulleted list")),
            (self.number_action, self.tr("Numbered list"), self.tr("Start or end a numbered list")),
            (self.link_action, self.tr("Insert &link…"), self.tr("Turn the selected text into a link")),
            (self.quote_action, self.tr("Quote more"), self.tr("Increase the quote level of the paragraph")),
            (self.unquote_action, self.tr("Quote less"), self.tr("Decrease the quote level of the paragraph")),
        ):
            act.setText(text)
            act.setStatusTip(tip)
            act.setToolTip(tip)

    def _sync_checks(self, fmt: QTextCharFormat) -> None:
        self.bold_action.setChecked(fmt.fontWeight() >= QFont.Weight.Bold)
        self.italic_action.setChecked(fmt.fontItalic())
        self.underline_action.setChecked(fmt.fontUnderline())

    def _merge(self, fmt: QTextCharFormat) -> None:
        # With a selection: format it; without one: what is typed next gets the format.
        self.mergeCurrentCharFormat(fmt)

    def _bold(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold if self.bold_action.isChecked() else QFont.Weight.Normal)
        self._merge(fmt)

    def _italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(self.italic_action.isChecked())
        self._merge(fmt)

    def _underline(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontUnderline(self.underline_action.isChecked())
        self._merge(fmt)

    def _list(self, kind: str) -> None:
        cursor = self.textCursor()
        current = cursor.currentList()
        style = QTextListFormat.Style.ListDisc if kind == "bullet" else QTextListFormat.Style.ListDecimal
        if current is not None and current.format().style() == style:
            for i in range(current.count() - 1, -1, -1):
                current.remove(current.item(i))
            fmt = cursor.blockFormat()
            fmt.setIndent(0)
            cursor.setBlockFormat(fmt)
            return
        cursor.createList(style)

    def _link(self) -> None:
        url, ok = QInputDialog.getText(self, self.tr("Insert link"), self.tr("Web address:"), text="https://")
        if ok and url.strip():
            self.make_link(url.strip())

    def make_link(self, url: str) -> None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            cursor.insertText(url)
            cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(url))
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(url)
        fmt.setFontUnderline(True)
        fmt.setForeground(self.palette().link())
        cursor.mergeCharFormat(fmt)

    def change_quote(self, delta: int) -> None:
        cursor = self.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        block = self.document().findBlock(start)
        while block.isValid() and block.position() <= end:
            c = QTextCursor(block)
            fmt = block.blockFormat()
            level = max(0, int(fmt.property(QUOTE_PROPERTY) or 0) + delta)
            _set_quote(fmt, level)
            c.setBlockFormat(fmt)
            block = block.next()

    # ------------------------------------------------------------ modes

    def set_rich(self, rich: bool) -> None:
        """Switch mode, keeping the words (plain -> rich keeps quote levels; rich -> plain spells formatting)."""
        if rich == self.rich and self.document().characterCount() > 1:
            return
        blocks = self.blocks()
        self.rich = rich
        self.setAcceptRichText(rich)
        for act in self.format_actions:
            act.setEnabled(rich)
        if rich:
            self.set_blocks(blocks)
        else:
            self.setPlainText(render_plain(blocks).rstrip("\n") if blocks else "")

    def set_plain(self, text: str) -> None:
        if self.rich:
            self.set_blocks(blocks_from_plain(text))
        else:
            self.setPlainText(text)

    def set_blocks(self, blocks: list[Block]) -> None:
        self.clear()
        cursor = QTextCursor(self.document())
        for n, b in enumerate(blocks):
            if n:
                cursor.insertBlock()
            fmt = QTextBlockFormat()
            _set_quote(fmt, b.quote)
            cursor.setBlockFormat(fmt)
            if b.list_kind:
                style = QTextListFormat.Style.ListDisc if b.list_kind == "bullet" else QTextListFormat.Style.ListDecimal
                prev = cursor.block().previous()
                plist = prev.textList() if prev.isValid() else None
                if plist is not None and plist.format().style() == style:
                    plist.add(cursor.block())
                else:
                    cursor.createList(style)
            for s in b.spans:
                cf = QTextCharFormat()
                if s.bold:
                    cf.setFontWeight(QFont.Weight.Bold)
                cf.setFontItalic(s.italic)
                cf.setFontUnderline(s.underline or bool(s.href))
                if s.href:
                    cf.setAnchor(True)
                    cf.setAnchorHref(s.href)
                    cf.setForeground(self.palette().link())
                cursor.insertText(s.text, cf)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def blocks(self) -> list[Block]:
        """The document as blocks (in plain mode: lines, with ``>`` read as quote levels)."""
        if not self.rich:
            return blocks_from_plain(self.toPlainText())
        out: list[Block] = []
        block = self.document().begin()
        while block.isValid():
            spans: list[Span] = []
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                if frag.isValid():
                    cf = frag.charFormat()
                    spans.append(
                        Span(
                            frag.text().replace("\u2028", "\n"),
                            bold=cf.fontWeight() >= QFont.Weight.Bold,
                            italic=cf.fontItalic(),
                            underline=cf.fontUnderline() and not cf.isAnchor(),
                            href=cf.anchorHref() if cf.isAnchor() else "",
                        )
                    )
                it += 1
            lst = block.textList()
            kind = ""
            index = 0
            if lst is not None:
                kind = "number" if lst.format().style() == QTextListFormat.Style.ListDecimal else "bullet"
                index = lst.itemNumber(block) + 1
            quote = int(block.blockFormat().property(QUOTE_PROPERTY) or 0)
            out.append(Block(_merge_spans(spans), quote=quote, list_kind=kind, list_index=index))
            block = block.next()
        while out and not out[-1].spans and not out[-1].quote and not out[-1].list_kind:
            out.pop()
        return out

    def plain_text(self) -> str:
        """What goes in the text/plain part."""
        if not self.rich:
            return self.toPlainText()
        return render_plain(self.blocks())

    def html_text(self) -> str | None:
        """What goes in the text/html part (None in plain mode)."""
        return render_html(self.blocks()) if self.rich else None

    # ------------------------------------------------------------ paste

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasImage() or _local_files(source) != [] or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = _local_files(source)
        if files:
            self.files_pasted.emit(files)
            return
        if source.hasImage():
            image = source.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self.image_pasted.emit(image)
                return
        super().insertFromMimeData(source)


def themed_icon(name: str) -> QIcon:
    """The desktop theme's icon, else our bundled SVG (resources/icons/NAME.svg), so every system shows one."""
    from app.ui.resources import resource_path

    path = resource_path(f"icons/{name}.svg")
    fallback = QIcon(str(path)) if path.exists() else QIcon()
    return QIcon.fromTheme(name, fallback)


def _local_files(md: QMimeData) -> list[str]:
    return [u.toLocalFile() for u in md.urls() if u.isLocalFile()] if md.hasUrls() else []


def _set_quote(fmt: QTextBlockFormat, level: int) -> None:
    fmt.setProperty(QUOTE_PROPERTY, level)
    fmt.setLeftMargin(QUOTE_INDENT * level)


def _merge_spans(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in spans:
        if out and (out[-1].bold, out[-1].italic, out[-1].underline, out[-1].href) == (
            s.bold,
            s.italic,
            s.underline,
            s.href,
        ):
            out[-1] = Span(out[-1].text + s.text, s.bold, s.italic, s.underline, s.href)
        else:
            out.append(s)
    return out
