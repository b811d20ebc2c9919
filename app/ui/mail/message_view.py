"""The message view: a calm header block, the blocked-content bar, the body, and the attachments bar.

HTML renders in QtWebEngine (see :mod:`app.ui.mail.webengine` for why it cannot
fetch what the user did not allow); plain text, the "simple view" setting and
a machine where the engine cannot start use a network-free ``QTextBrowser``
whose resource loader only answers ``cid:`` (and inline ``data:``) images.
Links never navigate the view: a click shows the real target and asks first
when it differs from the link's text, then opens the system browser.

Signals:
    remote_allowed_for_sender(str): "Always for this sender" (the sender's address).
    search_sender(str): "Search messages from" on an address chip.
    write_to(str): "Write to" on an address chip.
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QLocale, QMarginsF, QMimeData, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QDrag,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LocalIOError
from app.core.fileio import atomic_write
from app.core.mail.display import Address, DisplayMessage, attachment_path
from app.core.mail.links import needs_confirmation
from app.core.mail.mime import PartInfo
from app.ui.mail import webengine
from app.ui.mail.icons import icon

PAGE_WEB, PAGE_TEXT, PAGE_STATUS = range(3)


def _unique(path: Path) -> Path:
    """``name (1).ext`` ... when ``path`` exists (never overwrite a file the user has)."""
    if not path.exists():
        return path
    stem, suffix = path.stem, path.suffix
    for i in range(1, 10000):
        candidate = path.with_name(f"{stem} ({i}){suffix}")
        if not candidate.exists():
            return candidate
    raise LocalIOError(f"Too many files named {path.name}", path=str(path))


class _SafeTextBrowser(QTextBrowser):
    """QTextBrowser that loads nothing but the message's own ``cid:`` parts and inline images."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cids: dict[str, tuple[str, bytes]] = {}
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.requests: list[str] = []

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        u = QUrl(url) if isinstance(url, str) else url
        self.requests.append(u.toString())
        if u.scheme() == "cid":
            part = self.cids.get(u.path().strip("<>"))
            if part is not None:
                img = QImage()
                if img.loadFromData(part[1]):
                    return img
        if u.scheme() == "data" and kind == 2:  # QTextDocument.ImageResource
            return super().loadResource(kind, u)
        return None


class AttachmentList(QListWidget):
    """The attachments bar; an item dragged out becomes a file (a temporary copy) wherever it is dropped."""

    def __init__(self, view: MessageView) -> None:
        super().__init__(view)
        self._view = view
        self.setFlow(QListWidget.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setMaximumHeight(64)
        self.setIconSize(QSize(16, 16))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def drag_mime(self, items: list[QListWidgetItem]) -> QMimeData:
        urls = []
        for item in items:
            part = self._view.part_of(item)
            if part is not None:
                urls.append(QUrl.fromLocalFile(str(self._view.temporary_copy(part))))
        data = QMimeData()
        data.setUrls(urls)
        return data

    def startDrag(self, actions: Qt.DropAction) -> None:
        items = self.selectedItems()
        if not items:
            return
        drag = QDrag(self)
        drag.setMimeData(self.drag_mime(items))
        drag.exec(Qt.DropAction.CopyAction)


class MessageView(QWidget):
    """See the module docstring."""

    remote_allowed_for_sender = Signal(str)
    search_sender = Signal(str)
    write_to = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, use_web: bool | None = None, keep_light: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("message-view")
        self.message: DisplayMessage | None = None
        self.keep_light = keep_light
        self.use_web = webengine.available() if use_web is None else (use_web and webengine.available())
        self._web: Any = None
        self._page: Any = None
        self._temp_dir: Path | None = None
        self.loaded_documents = 0
        self.open_url = QDesktopServices.openUrl  # tests replace these two hooks
        self.confirm_link = self._confirm_link

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.header = QFrame(self)
        self.header.setObjectName("message-header")
        self.header.setFrameShape(QFrame.Shape.StyledPanel)
        hl = QVBoxLayout(self.header)
        hl.setContentsMargins(10, 6, 10, 6)
        hl.setSpacing(2)
        self.subject_label = QLabel(self.header)
        self.subject_label.setObjectName("message-subject")
        self.subject_label.setWordWrap(True)
        self.subject_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        f = self.subject_label.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.subject_label.setFont(f)
        hl.addWidget(self.subject_label)
        self.address_rows: dict[str, tuple[QLabel, QWidget]] = {}
        for key in ("from", "to", "cc"):
            row = QWidget(self.header)
            rl = QHBoxLayout(row)
            rl.setContentsMargins(0, 0, 0, 0)
            rl.setSpacing(4)
            label = QLabel(row)
            label.setMinimumWidth(48)
            rl.addWidget(label)
            chips = QWidget(row)
            chips.setLayout(QHBoxLayout())
            chips.layout().setContentsMargins(0, 0, 0, 0)
            chips.layout().setSpacing(4)
            rl.addWidget(chips, 1)
            hl.addWidget(row)
            self.address_rows[key] = (label, chips)
        self.date_label = QLabel(self.header)
        self.date_label.setObjectName("message-date")
        hl.addWidget(self.date_label)
        lay.addWidget(self.header)

        self.remote_bar = QFrame(self)
        self.remote_bar.setObjectName("remote-content-bar")
        self.remote_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.remote_bar.setAutoFillBackground(True)
        pal = self.remote_bar.palette()
        pal.setColor(self.remote_bar.backgroundRole(), pal.color(pal.ColorRole.AlternateBase))
        self.remote_bar.setPalette(pal)
        bl = QHBoxLayout(self.remote_bar)
        bl.setContentsMargins(10, 4, 10, 4)
        self.remote_icon = QLabel(self.remote_bar)
        self.remote_icon.setPixmap(icon("dialog-warning").pixmap(16, 16))
        self.remote_label = QLabel(self.remote_bar)
        self.load_once_button = QPushButton(self.remote_bar)
        self.load_once_button.setObjectName("load-once")
        self.load_once_button.clicked.connect(self.load_remote_once)
        self.always_button = QPushButton(self.remote_bar)
        self.always_button.setObjectName("always-for-sender")
        self.always_button.clicked.connect(self._always_for_sender)
        bl.addWidget(self.remote_icon)
        bl.addWidget(self.remote_label, 1)
        bl.addWidget(self.load_once_button)
        bl.addWidget(self.always_button)
        self.remote_bar.hide()
        lay.addWidget(self.remote_bar)

        self.note_label = QLabel(self)
        self.note_label.setObjectName("message-note")
        self.note_label.setWordWrap(True)
        self.note_label.setContentsMargins(10, 2, 10, 2)
        self.note_label.hide()
        lay.addWidget(self.note_label)

        self.stack = QStackedWidget(self)
        self.web_holder = QWidget(self.stack)
        QVBoxLayout(self.web_holder).setContentsMargins(0, 0, 0, 0)
        self.text_view = _SafeTextBrowser(self.stack)
        self.text_view.setObjectName("message-text")
        self.text_view.anchorClicked.connect(self._link_clicked)
        self.status_label = QLabel(self.stack)
        self.status_label.setObjectName("message-status")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setWordWrap(True)
        self.stack.addWidget(self.web_holder)
        self.stack.addWidget(self.text_view)
        self.stack.addWidget(self.status_label)
        self.stack.setCurrentIndex(PAGE_STATUS)
        lay.addWidget(self.stack, 1)

        self.attachments = AttachmentList(self)
        self.attachments.setObjectName("attachments")
        self.attachments.itemActivated.connect(lambda item: self.open_attachment(self.part_of(item)))
        self.attachments.customContextMenuRequested.connect(self._attachment_menu)
        self.attachments.hide()
        lay.addWidget(self.attachments)

        self.view_source_action = QAction(icon("text-x-generic"), "", self)
        self.view_source_action.setShortcut("Ctrl+U")
        self.view_source_action.triggered.connect(self.view_source)
        self.save_eml_action = QAction(icon("document-save"), "", self)
        self.save_eml_action.setShortcut("Ctrl+S")
        self.save_eml_action.triggered.connect(self.save_as_eml)
        self.print_action = QAction(icon("document-print"), "", self)
        self.print_action.setShortcut("Ctrl+P")
        self.print_action.triggered.connect(self.print_message)
        self.print_pdf_action = QAction(icon("document-print"), "", self)
        self.print_pdf_action.triggered.connect(self.print_message_to_pdf)
        self.save_all_action = QAction(icon("document-save"), "", self)
        self.save_all_action.triggered.connect(lambda: self.save_all())
        for a in (self.view_source_action, self.save_eml_action, self.print_action, self.print_pdf_action):
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            a.setEnabled(False)
            self.addAction(a)
        self._status_text: Callable[[], str] | None = None
        self.retranslate()
        self.show_nothing_selected()

    # ------------------------------------------------------------ engine

    def _ensure_web(self) -> bool:
        if not self.use_web:
            return False
        if self._web is not None:
            return True
        try:
            from PySide6.QtWebEngineWidgets import QWebEngineView

            eng = webengine.engine()
            self._page = _make_page(eng.profile, self)
            self._web = QWebEngineView(self.web_holder)
            self._web.setObjectName("message-web")
            self._web.setPage(self._page)
            self._web.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
            self._web.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.web_holder.layout().addWidget(self._web)
            self._page.loadFinished.connect(self._web_loaded)
        except Exception as e:  # missing library, no GPU/sandbox: the simple view, with a note
            self.use_web = False
            self.note_label.setText(
                self.tr("HTML is shown in the simple view because the web engine could not start: %1").replace(
                    "%1", str(e)
                )
            )
            self.note_label.show()
            return False
        return True

    def warm_up(self) -> None:
        """Start the engine in the background (after the window shows) so the first message opens fast."""
        if self._ensure_web() and self.message is None and self._page.url().isEmpty():
            # (not over a message the user opened meanwhile: the empty page would replace it)
            doc = webengine.Document(webengine.wrap_document("", False).encode())
            self._load(webengine.engine().documents.add(doc))

    def _load(self, url: QUrl) -> None:
        """Show a document added to the engine's :class:`webengine.Documents` under ``url``: a navigation
        to our scheme handler. (``setHtml``, a data: URL, is ~50 ms faster but left the page blank.)"""
        self._page.load(url)

    @property
    def web_view(self) -> Any:
        return self._web

    def _web_loaded(self, _ok: bool) -> None:
        self.loaded_documents += 1

    # ------------------------------------------------------------ showing

    def _show_date(self) -> None:
        """The message's date, long form, in the UI language's locale (again when the language changes)."""
        msg = self.message
        if msg is not None and msg.date is not None:
            when = _dt.datetime.fromtimestamp(msg.date)
            self.date_label.setText(QLocale().toString(when, QLocale.FormatType.LongFormat))
        else:
            self.date_label.setText("")

    def retranslate(self) -> None:
        self._show_date()
        self.address_rows["from"][0].setText(self.tr("From:"))
        self.address_rows["to"][0].setText(self.tr("To:"))
        self.address_rows["cc"][0].setText(self.tr("Cc:"))
        self.load_once_button.setText(self.tr("Load once"))
        self.always_button.setText(self.tr("Always for this sender"))
        self.view_source_action.setText(self.tr("View &source"))
        self.save_eml_action.setText(self.tr("Save as .&eml…"))
        self.print_action.setText(self.tr("&Print…"))
        self.print_pdf_action.setText(self.tr("Print to P&DF…"))
        self.save_all_action.setText(self.tr("Save &all attachments…"))
        self.attachments.setAccessibleName(self.tr("Attachments"))
        self.header.setAccessibleName(self.tr("Message header"))
        self.text_view.setAccessibleName(self.tr("Message body"))
        if self._web is not None:
            self._web.setAccessibleName(self.tr("Message body"))
        if getattr(self, "_status_text", None) is not None:
            self.status_label.setText(self._status_text())  # type: ignore[misc]
        if self.message is not None:
            self._update_remote_bar()

    def show_nothing_selected(self) -> None:
        """The note shown when no message is selected (re-translated when the language changes)."""
        self.show_status(self.tr("No message selected"))
        self._status_text = lambda: self.tr("No message selected")

    def show_status(self, text: str) -> None:
        """Loading / offline / nothing selected: a plain note instead of a body."""
        self._status_text = None
        self.message = None
        self.header.hide()
        self.remote_bar.hide()
        self.attachments.hide()
        self.status_label.setText(text)
        self.stack.setCurrentIndex(PAGE_STATUS)
        for a in (self.view_source_action, self.save_eml_action, self.print_action, self.print_pdf_action):
            a.setEnabled(False)

    def show_message(self, msg: DisplayMessage) -> None:
        self.message = msg
        self.subject_label.setText(msg.subject or self.tr("(no subject)"))
        self._fill_chips("from", msg.sender)
        self._fill_chips("to", msg.to)
        self._fill_chips("cc", msg.cc)
        self._show_date()
        self.header.show()
        self._render()
        self._update_remote_bar()
        self.attachments.clear()
        for i, part in enumerate(msg.attachments):
            name = part.filename or self.tr("attachment")
            item = QListWidgetItem(icon("mail-attachment"), f"{name} ({QLocale().formattedDataSize(len(part.data))})")
            item.setData(Qt.ItemDataRole.UserRole, i)
            item.setToolTip(f"{name}\n{part.content_type}")
            self.attachments.addItem(item)
        self.attachments.setVisible(bool(msg.attachments))
        for a in (self.view_source_action, self.save_eml_action, self.print_action, self.print_pdf_action):
            a.setEnabled(True)

    def _render(self) -> None:
        msg = self.message
        if msg is None:
            return
        if msg.html is not None and self._ensure_web():
            doc = webengine.Document(
                webengine.wrap_document(msg.html, msg.remote_allowed, keep_light=self.keep_light).encode("utf-8"),
                dict(msg.cids),
                msg.remote_allowed,
            )
            url = webengine.engine().documents.add(doc)
            from PySide6.QtWebEngineCore import QWebEngineSettings

            self._page.settings().setAttribute(
                QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, msg.remote_allowed
            )
            self._page.link_texts = msg.links
            self._load(url)
            self.stack.setCurrentIndex(PAGE_WEB)
            return
        self.text_view.cids = dict(msg.cids)
        if msg.html is not None:
            self.text_view.setHtml(msg.html)
        else:
            self.text_view.setPlainText(msg.text)
        self.stack.setCurrentIndex(PAGE_TEXT)

    def _fill_chips(self, key: str, addresses: tuple[Address, ...]) -> None:
        label, chips = self.address_rows[key]
        lay = chips.layout()
        while lay.count():
            w = lay.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        for a in addresses:
            chip = QToolButton(chips)
            chip.setText(a.label)
            chip.setToolTip(f"{a.name} <{a.email}>" if a.name else a.email)
            chip.setAccessibleName(f"{a.name} {a.email}".strip())
            chip.setAutoRaise(True)
            chip.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            menu = QMenu(chip)
            menu.addAction(self.tr("Copy"), lambda a=a: QGuiApplication.clipboard().setText(a.email))
            menu.addAction(self.tr("Write to"), lambda a=a: self.write_to.emit(a.email))
            menu.addAction(self.tr("Search messages from"), lambda a=a: self.search_sender.emit(a.email))
            chip.setMenu(menu)
            lay.addWidget(chip)
        lay.addStretch(1)
        label.parentWidget().setVisible(bool(addresses))

    def _update_remote_bar(self) -> None:
        msg = self.message
        if msg is None or msg.blocked == 0 or msg.remote_allowed:
            self.remote_bar.hide()
            return
        self.remote_label.setText(
            self.tr("Remote content blocked (%n item(s)) to protect your privacy.", "", msg.blocked)
        )
        self.remote_bar.show()

    def load_remote_once(self) -> None:
        """Show this message once with its remote content (the next message is blocked again)."""
        if self.message is None:
            return
        self.message = self.message.with_remote()
        self._render()
        self._update_remote_bar()

    def _always_for_sender(self) -> None:
        if self.message is not None and self.message.sender_email:
            self.remote_allowed_for_sender.emit(self.message.sender_email)
        self.load_remote_once()

    # --------------------------------------------------------------- links

    def _link_clicked(self, url: QUrl) -> None:
        if self.message is None:
            return
        href = url.toString()
        texts = self.message.links.get(href) or self.message.links.get(href.rstrip("/")) or []
        if url.scheme() not in ("http", "https", "mailto"):
            return
        if needs_confirmation(href, texts) and not self.confirm_link(href, texts):
            return
        self.open_url(url)

    def _confirm_link(self, href: str, texts: list[str]) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Open link?"))
        shown = texts[0] if texts else ""
        box.setText(self.tr("This link goes to:\n%1").replace("%1", href))
        if shown:
            box.setInformativeText(self.tr("The message shows it as: %1").replace("%1", shown))
        box.setStandardButtons(QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Open

    # ---------------------------------------------------------- attachments

    def part_of(self, item: QListWidgetItem | None) -> PartInfo | None:
        if item is None or self.message is None:
            return None
        i = item.data(Qt.ItemDataRole.UserRole)
        return self.message.attachments[i] if isinstance(i, int) and i < len(self.message.attachments) else None

    def _attachment_menu(self, pos: Any) -> None:
        item = self.attachments.itemAt(pos)
        menu = QMenu(self)
        if item is not None:
            part = self.part_of(item)
            menu.addAction(self.tr("Open"), lambda: self.open_attachment(part))
            menu.addAction(self.tr("Save…"), lambda: self.save_attachment(part))
        menu.addAction(self.save_all_action)
        menu.exec(self.attachments.mapToGlobal(pos))

    def _temp(self) -> Path:
        if self._temp_dir is None:
            self._temp_dir = Path(tempfile.mkdtemp(prefix="quay-att-"))
        return self._temp_dir

    def temporary_copy(self, part: PartInfo) -> Path:
        """A private temporary copy (for Open and drag-out), named through the safe-path gate."""
        folder = Path(tempfile.mkdtemp(dir=self._temp()))
        target = attachment_path(folder, part.filename or "attachment")
        atomic_write(target, part.data, mode=0o600)
        return target

    def open_attachment(self, part: PartInfo | None) -> None:
        if part is None:
            return
        self.open_url(QUrl.fromLocalFile(str(self.temporary_copy(part))))

    def ask_directory(self) -> str:
        return QFileDialog.getExistingDirectory(self, self.tr("Save attachments to"))

    def ask_save_path(self, suggested: Path) -> str:
        return QFileDialog.getSaveFileName(self, self.tr("Save attachment"), str(suggested))[0]

    def save_attachment(self, part: PartInfo | None) -> Path | None:
        """Save one attachment where the user says (the suggested name went through the gate)."""
        if part is None:
            return None
        folder = Path(QDesktopServices.storageLocation(0) if False else Path.home())
        chosen = self.ask_save_path(attachment_path(folder, part.filename or "attachment"))
        if not chosen:
            return None
        path = Path(chosen)
        atomic_write(path, part.data, mode=0o644)
        return path

    def save_all(self, folder: str | None = None) -> list[Path]:
        """Save every attachment into a folder the user picks; names through the safe-path gate, never
        overwriting (``name (1).ext``)."""
        if self.message is None or not self.message.attachments:
            return []
        folder = folder or self.ask_directory()
        if not folder:
            return []
        saved = []
        for part in self.message.attachments:
            target = _unique(attachment_path(folder, part.filename or "attachment"))
            atomic_write(target, part.data, mode=0o644)
            saved.append(target)
        return saved

    # ------------------------------------------------------- whole message

    def view_source(self) -> None:
        if self.message is None:
            return
        dlg = QDialog(self)
        dlg.setObjectName("message-source")
        dlg.setWindowTitle(self.tr("Message source"))
        lay = QVBoxLayout(dlg)
        edit = QPlainTextEdit(dlg)
        edit.setReadOnly(True)
        edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        edit.setPlainText(self.message.raw.decode("utf-8", "replace"))
        edit.setAccessibleName(self.tr("Message source"))
        lay.addWidget(edit)
        dlg.resize(760, 560)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.show()
        self.source_dialog = dlg

    def save_as_eml(self, path: str | None = None) -> Path | None:
        if self.message is None:
            return None
        if path is None:
            suggested = attachment_path(Path.home(), (self.message.subject or "message")[:80] + ".eml")
            path = QFileDialog.getSaveFileName(self, self.tr("Save message"), str(suggested), "*.eml")[0]
        if not path:
            return None
        atomic_write(Path(path), self.message.raw, mode=0o644)
        return Path(path)

    def print_message(self) -> None:
        """Print the shown message on a printer the user picks (the system's print dialog)."""
        if self.message is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print message"))
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_with(printer)

    def print_with(self, printer: Any, done: Callable[[bool], None] | None = None) -> None:
        """Print the shown message with ``printer`` (a QPrinter): the web page renders itself, text the
        document. ``done(ok)`` when the job is spooled."""
        if self.stack.currentIndex() == PAGE_WEB and self._web is not None:
            self._printer = printer  # alive until the view finished with it
            # The page reaches the printer as pictures of its PDF pages: 300 dpi prints sharp; the
            # 1200 dpi of a high-resolution printer took ~11 s a page here for no visible gain.
            if printer.resolution() > 300:
                printer.setResolution(300)

            def finished(ok: bool) -> None:
                self._web.printFinished.disconnect(finished)
                self._printer = None
                if done is not None:
                    done(ok)

            self._web.printFinished.connect(finished)
            self._web.print(printer)
            return
        self.text_view.document().print_(printer)
        if done is not None:
            done(True)

    def print_message_to_pdf(self) -> None:
        if self.message is None:
            return
        path = QFileDialog.getSaveFileName(self, self.tr("Print to PDF"), str(Path.home() / "message.pdf"), "*.pdf")[0]
        if path:
            self.print_to_pdf(path)

    def print_to_pdf(self, path: str, done: Any = None) -> None:
        """Print the shown message to a PDF file (the web page's own renderer, or QPrinter for text)."""
        if self.stack.currentIndex() == PAGE_WEB and self._page is not None:
            if done is not None:
                self._page.pdfPrintingFinished.connect(lambda p, ok: done(ok))
            # A valid page (an empty QPageLayout makes printToPdf fail): Letter where the locale measures
            # in inches (US), A4 elsewhere; 12 mm margins.
            us = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
            size = QPageSize(QPageSize.PageSizeId.Letter if us else QPageSize.PageSizeId.A4)
            layout = QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(12, 12, 12, 12))
            self._page.printToPdf(path, layout)
            return
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(path)
        self.text_view.document().print_(printer)
        if done is not None:
            done(os.path.exists(path))

    def closeEvent(self, event: Any) -> None:
        super().closeEvent(event)


def _make_page(profile: Any, view: MessageView) -> Any:
    from PySide6.QtWebEngineCore import QWebEnginePage

    class MailPage(QWebEnginePage):
        """Never navigates: our document loads, link clicks go to the view (confirm, system browser)."""

        def __init__(self) -> None:
            super().__init__(profile, view)
            self.link_texts: dict[str, list[str]] = {}
            self.console: list[str] = []

        def acceptNavigationRequest(self, url: QUrl | str, nav_type: Any, is_main_frame: bool) -> bool:
            u = QUrl(url) if isinstance(url, str) else url
            if u.scheme() == webengine.DOC_SCHEME.decode():
                return True
            if nav_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
                QTimer.singleShot(0, lambda: view._link_clicked(u))
            return False

        def createWindow(self, _type: Any) -> None:  # type: ignore[override]
            return None

        def javaScriptConsoleMessage(self, level: Any, message: str, line: int, source: str) -> None:
            self.console.append(message)  # CSP reports land here; not a warning for the user

    return MailPage()


__all__ = ["MessageView", "QByteArray", "QFont", "QSizePolicy"]
