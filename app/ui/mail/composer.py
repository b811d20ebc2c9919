"""The composer window: write, reply, forward; autosaved drafts; send through the outbox, now or later.

Entry points (for the Mail tab's signals; ``backend`` is a :class:`ComposeBackend`, ``runner`` the
app's :class:`~app.ui.tasks.TaskRunner`, ``outbox`` an optional :class:`OutboxRunner` to wake)::

    ComposerWindow.for_new(backend, runner, to=[...], account_key=None)      # compose_requested()
    ComposerWindow.for_reply(backend, runner, message_id, reply_all=False)   # reply_requested(int, bool)
    ComposerWindow.for_forward(backend, runner, message_id, as_attachment)   # forward_requested(int, bool)
    ComposerWindow.for_mailto(backend, runner, "mailto:...")
    restore_crashed_drafts(backend, runner)                                   # once at start-up

Each returns shown window(s). Drafts are saved every :data:`AUTOSAVE_MS` while there are
changes and when the window closes (Local Folders/Drafts, and the server's Drafts for IMAP);
a journal file (:mod:`composer_drafts`) lets a crashed session's drafts reopen. "Send" writes the
message to the outbox (durable before the window closes) and wakes the outbox runner.

Signals:
    queued(int): the outbox id of the message just queued.
    finished(): the window was closed and its draft is safe (saved, or discarded): it may be deleted.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QBuffer, QCoreApplication, QDateTime, QEvent, QIODevice, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QImage, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.core.mail.account_setup import MailProfile
from app.core.mail.bigattach import BigUpload, LinkItem, effective_threshold, link_block_plain
from app.core.mail.compose_rich import (
    Block,
    Span,
    compose_from_draft,
    draft_compose,
    forward_as_attachment,
    forward_inline,
    mentions_attachment,
    parse_mailto,
    quote_for_reply,
    reply,
)
from app.core.mail.drafts import DraftKeeper, DraftState
from app.core.mail.identities import SIGNATURE_SEPARATOR, Identity, identity_for_reply
from app.core.mail.mime import Attachment, Compose, compose_bytes, make_message_id, parse_message
from app.core.mailto import MailtoRequest
from app.ui.dialogs.registry import showcase_dialog
from app.ui.mail.address_field import AddressField
from app.ui.mail.composer_attachments import AttachmentList, PendingAttachment, format_size
from app.ui.mail.composer_backend import ComposeBackend
from app.ui.mail.composer_dialogs import BigAttachDialog, SendLaterDialog
from app.ui.mail.composer_drafts import DraftJournal, JournalEntry, pending_drafts
from app.ui.mail.composer_editor import ComposerEditor, themed_icon
from app.ui.mail.composer_spell import SpellChecker, SpellHighlighter
from app.ui.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

AUTOSAVE_MS = 5000
UPLOAD_POLL_MS = 250


class ComposerWindow(QMainWindow):
    queued = Signal(int)
    finished = Signal()

    def __init__(
        self,
        backend: ComposeBackend,
        runner: TaskRunner,
        *,
        outbox: Any = None,
        journal: DraftJournal | None = None,
        draft_state: DraftState | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("composer-window")
        self.backend = backend
        self.runner = runner
        self.outbox_runner = outbox
        self.journal = journal or DraftJournal(backend.paths)
        self.draft_state = draft_state or DraftState(message_id="")
        self._keeper: DraftKeeper | None = None  # lives on the drafts worker only
        self.in_reply_to: str | None = None
        self.references: list[str] = []
        self.dirty = False
        self.saving = False
        self.sent = False
        self.closed_cleanly = False
        self.upload: BigUpload | None = None
        self._upload_names: set[int] = set()
        self._send_at: float | None = None
        self._current_signature = ""
        self._profiles: list[MailProfile] = backend.profiles()
        self._build()
        if backend.compose_rich:  # the user's "write messages as" setting
            self.editor.set_rich(True)
            self.rich_action.setChecked(True)
            self.format_bar.setVisible(True)
        self.retranslate()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self.upload_timer = QTimer(self)
        self.upload_timer.setInterval(UPLOAD_POLL_MS)
        self.upload_timer.timeout.connect(self._poll_upload)
        self._load_contacts()
        self.resize(820, 640)

    # ================================================================ entry points

    @classmethod
    def for_new(
        cls,
        backend: ComposeBackend,
        runner: TaskRunner,
        *,
        to: Sequence[str] = (),
        cc: Sequence[str] = (),
        subject: str = "",
        body: str = "",
        account_key: str | None = None,
        outbox: Any = None,
        parent: QWidget | None = None,
    ) -> ComposerWindow:
        w = cls(backend, runner, outbox=outbox, parent=parent)
        if account_key:
            w.select_account(account_key)
        w.to_field.set_addresses(list(to))
        w.cc_field.set_addresses(list(cc))
        w.subject.setText(subject)
        w.editor.set_plain(body)
        w._insert_signature()
        w.dirty = False
        w.show()
        return w

    @classmethod
    def for_mailto(
        cls,
        backend: ComposeBackend,
        runner: TaskRunner,
        url: str | MailtoRequest,
        *,
        outbox: Any = None,
        parent: QWidget | None = None,
    ) -> ComposerWindow:
        """A composer filled in from a ``mailto:`` link (RFC 6068), as text or as parsed by the launcher."""
        parts: Any = parse_mailto(url) if isinstance(url, str) else url
        w = cls.for_new(
            backend, runner, to=list(parts.to), cc=list(parts.cc), subject=parts.subject, body=parts.body,
            outbox=outbox, parent=parent,
        )  # fmt: skip
        w.bcc_field.set_addresses(list(parts.bcc))
        if parts.in_reply_to:
            w.in_reply_to = parts.in_reply_to
            w.references = [parts.in_reply_to]
        w.dirty = False
        return w

    @classmethod
    def for_reply(
        cls,
        backend: ComposeBackend,
        runner: TaskRunner,
        message_id: int,
        reply_all: bool = False,
        *,
        outbox: Any = None,
        parent: QWidget | None = None,
    ) -> ComposerWindow:
        return cls._for_original(
            backend, runner, message_id, lambda w, got: w._fill_reply(got, reply_all), outbox, parent
        )

    @classmethod
    def for_forward(
        cls,
        backend: ComposeBackend,
        runner: TaskRunner,
        message_id: int,
        as_attachment: bool = False,
        *,
        outbox: Any = None,
        parent: QWidget | None = None,
    ) -> ComposerWindow:
        return cls._for_original(
            backend, runner, message_id, lambda w, got: w._fill_forward(got, as_attachment), outbox, parent
        )

    @classmethod
    def _for_original(
        cls,
        backend: ComposeBackend,
        runner: TaskRunner,
        message_id: int,
        fill: Callable[[ComposerWindow, Any], None],
        outbox: Any,
        parent: QWidget | None,
    ) -> ComposerWindow:
        """A composer shown at once in its loading state, filled by ``fill`` once the original message
        is read on the pool (reply and forward)."""
        w = cls(backend, runner, outbox=outbox, parent=parent)
        w._loading(True)
        w.show()
        Task(runner.pool, lambda: backend.original(message_id)).on_success(
            _while_open(w, lambda got: fill(w, got))
        ).on_failure(_while_open(w, w._load_failed)).start()
        return w

    @classmethod
    def for_draft(
        cls,
        backend: ComposeBackend,
        runner: TaskRunner,
        entry: JournalEntry,
        *,
        outbox: Any = None,
        parent: QWidget | None = None,
    ) -> ComposerWindow:
        """Reopen a draft from its journal entry (after a crash); later saves replace that same draft."""
        w = cls(
            backend,
            runner,
            outbox=outbox,
            journal=DraftJournal(backend.paths, entry.token),
            draft_state=entry.state,
            parent=parent,
        )
        w._loading(True)
        w.show()
        local_id = entry.state.local_id

        def load() -> bytes | None:
            return backend.store().raw_message(local_id) if local_id is not None else None

        Task(runner.serial("drafts"), load).on_success(_while_open(w, w._fill_draft)).on_failure(
            _while_open(w, w._load_failed)
        ).start()
        return w

    # ================================================================ layout

    def _build(self) -> None:
        central = QWidget(self)
        lay = QVBoxLayout(central)
        form = QFormLayout()
        self.from_combo = QComboBox(central)
        self.from_combo.setObjectName("composer-from")
        for profile, ident in ((p, i) for p in self._profiles for i in p.identities):
            label = ident.from_header()
            if ident.address.lower() != profile.email.lower():
                label += f"  ({profile.email})"
            self.from_combo.addItem(label, (profile.key, ident.address))
        self.from_combo.currentIndexChanged.connect(self._identity_changed)
        self.from_label = QLabel(central)
        form.addRow(self.from_label, self.from_combo)
        self.to_field = AddressField(central)
        self.to_field.setObjectName("composer-to")
        self.cc_field = AddressField(central)
        self.cc_field.setObjectName("composer-cc")
        self.bcc_field = AddressField(central)
        self.bcc_field.setObjectName("composer-bcc")
        self.to_label, self.cc_label, self.bcc_label = QLabel(central), QLabel(central), QLabel(central)
        form.addRow(self.to_label, self.to_field)
        form.addRow(self.cc_label, self.cc_field)
        form.addRow(self.bcc_label, self.bcc_field)
        self.subject = QLineEdit(central)
        self.subject.setObjectName("composer-subject")
        self.subject_label = QLabel(central)
        form.addRow(self.subject_label, self.subject)
        for label, field in (
            (self.from_label, self.from_combo),
            (self.to_label, self.to_field),
            (self.cc_label, self.cc_field),
            (self.bcc_label, self.bcc_field),
            (self.subject_label, self.subject),
        ):
            label.setBuddy(field.focusProxy() or field)
        lay.addLayout(form)
        self.banner = QLabel(central)
        self.banner.setObjectName("composer-banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setVisible(False)
        lay.addWidget(self.banner)
        split = QSplitter(Qt.Orientation.Vertical, central)
        self.editor = ComposerEditor(split)
        self.attachments = AttachmentList(split)
        self.attachments.setVisible(False)
        split.addWidget(self.editor)
        split.addWidget(self.attachments)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 1)
        lay.addWidget(split, 1)
        self.setCentralWidget(central)
        self.setAcceptDrops(True)

        self.spell = SpellChecker()
        self.highlighter = SpellHighlighter(self.editor.document(), self.spell)

        self.send_action = self._action("mail-send", QKeySequence("Ctrl+Return"), self.send_now)
        self.send_later_action = self._action("mail-send-later", QKeySequence("Ctrl+Shift+Return"), self.send_later)
        self.attach_action = self._action("mail-attachment", QKeySequence("Ctrl+Shift+A"), self.attach_files)
        self.save_action = self._action("document-save", QKeySequence.StandardKey.Save, self.save_draft)
        self.discard_action = self._action("edit-delete", None, self.discard)
        self.rich_action = self._action("format-text-rich", QKeySequence("Ctrl+Shift+T"), self._toggle_rich)
        self.rich_action.setCheckable(True)
        self.spell_action = self._action("tools-check-spelling", QKeySequence("F7"), self._toggle_spell)
        self.spell_action.setCheckable(True)
        self.spell_action.setChecked(self.spell.usable)
        self.spell_action.setVisible(self.spell.usable)
        self.close_action = self._action("window-close", QKeySequence.StandardKey.Close, self.close)

        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("composer-toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for act in (self.send_action, self.send_later_action, self.attach_action, self.save_action):
            self.toolbar.addAction(act)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.rich_action)
        self.toolbar.addAction(self.spell_action)
        self.addToolBar(self.toolbar)
        self.format_bar = QToolBar(self)
        self.format_bar.setObjectName("composer-format")
        self.format_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for act in self.editor.format_actions:
            self.format_bar.addAction(act)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.format_bar)
        self.format_bar.setVisible(False)

        menu = self.menuBar().addMenu("")
        self.message_menu = menu
        for act in (self.send_action, self.send_later_action, self.attach_action, self.save_action):
            menu.addAction(act)
        menu.addAction(self.discard_action)
        menu.addSeparator()
        menu.addAction(self.close_action)
        self.format_menu = self.menuBar().addMenu("")
        self.format_menu.addAction(self.rich_action)
        self.format_menu.addAction(self.spell_action)
        self.format_menu.addSeparator()
        for act in self.editor.format_actions:
            self.format_menu.addAction(act)

        for field in (self.to_field, self.cc_field, self.bcc_field):
            field.changed.connect(self._changed)
        self.subject.textEdited.connect(self._changed)
        self.subject.textChanged.connect(self._update_title)
        self.editor.textChanged.connect(self._changed)
        self.attachments.changed.connect(self._changed)
        self.attachments.message_ids_dropped.connect(self.attach_messages)
        self.editor.files_pasted.connect(self._add_files)
        self.editor.image_pasted.connect(self._add_image)
        self.status_label = QLabel(self)
        self.statusBar().addWidget(self.status_label, 1)
        if not self._profiles:
            self.send_action.setEnabled(False)
            self.send_later_action.setEnabled(False)

    def _action(self, icon: str, shortcut: QKeySequence | None, slot: Any) -> QAction:
        act = QAction(themed_icon(icon), "", self)
        if shortcut is not None:
            act.setShortcut(shortcut)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def retranslate(self) -> None:
        self.from_label.setText(self.tr("&From:"))
        self.to_label.setText(self.tr("&To:"))
        self.cc_label.setText(self.tr("&Cc:"))
        self.bcc_label.setText(self.tr("&Bcc:"))
        self.subject_label.setText(self.tr("&Subject:"))
        self.to_field.setAccessibleName(self.tr("To"))
        self.cc_field.setAccessibleName(self.tr("Cc"))
        self.bcc_field.setAccessibleName(self.tr("Bcc"))
        self.subject.setAccessibleName(self.tr("Subject"))
        self.from_combo.setAccessibleName(self.tr("From"))
        self.editor.setAccessibleName(self.tr("Message text"))
        for act, text, tip in (
            (self.send_action, self.tr("&Send"), self.tr("Send the message now (through the outbox)")),
            (self.send_later_action, self.tr("Send &later…"), self.tr("Choose a date and time to send the message")),
            (self.attach_action, self.tr("&Attach…"), self.tr("Attach files")),
            (self.save_action, self.tr("Save &draft"), self.tr("Save the message in Drafts")),
            (self.discard_action, self.tr("&Discard draft"), self.tr("Close and delete this draft")),
            (self.rich_action, self.tr("&Rich text"), self.tr("Write with formatting (sent with a plain-text copy)")),
            (self.spell_action, self.tr("Check &spelling"), self.tr("Underline words the dictionaries do not know")),
            (self.close_action, self.tr("&Close"), self.tr("Close the window; the message is kept in Drafts")),
        ):
            act.setText(text)
            act.setStatusTip(tip)
            act.setToolTip(tip)
        self.message_menu.setTitle(self.tr("&Message"))
        self.format_menu.setTitle(self.tr("F&ormat"))
        self.toolbar.setWindowTitle(self.tr("Composer"))
        self.format_bar.setWindowTitle(self.tr("Formatting"))
        self.editor.retranslate()
        self._update_title()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update_title(self) -> None:
        subject = self.subject.text().strip()
        self.setWindowTitle(self.tr("Write: %1").replace("%1", subject) if subject else self.tr("Write: (no subject)"))

    # ================================================================ identities

    def current_identity(self) -> tuple[MailProfile, Identity] | None:
        data = self.from_combo.currentData()
        if not data:
            return None
        key, address = data
        for p in self._profiles:
            if p.key == key:
                for i in p.identities:
                    if i.address == address:
                        return p, i
        return None

    def select_account(self, key: str, address: str | None = None) -> None:
        for n in range(self.from_combo.count()):
            k, a = self.from_combo.itemData(n)
            if k == key and (address is None or a.lower() == address.lower()):
                self.from_combo.setCurrentIndex(n)
                return

    def _insert_signature(self) -> None:
        got = self.current_identity()
        sig = got[1].signature if got else ""
        self._current_signature = sig
        if not sig:
            return
        text = self.editor.plain_text()
        if SIGNATURE_SEPARATOR + sig in text:
            return
        if self.editor.rich:
            blocks = self.editor.blocks()
            blocks += [Block(), Block([Span("-- ")]), *[Block([Span(line)]) for line in sig.split("\n")]]
            self.editor.set_blocks(blocks)
        else:
            sep = "" if not text or text.endswith("\n") else "\n"
            self.editor.setPlainText(f"{text}{sep}\n{SIGNATURE_SEPARATOR}{sig}")

    def _identity_changed(self) -> None:
        old = self._current_signature
        got = self.current_identity()
        new = got[1].signature if got else ""
        if not self.editor.rich and old and SIGNATURE_SEPARATOR + old in self.editor.toPlainText():
            text = self.editor.toPlainText().replace(
                "\n" + SIGNATURE_SEPARATOR + old, ("\n" + SIGNATURE_SEPARATOR + new) if new else ""
            )
            self.editor.setPlainText(text)
            self._current_signature = new
        elif not old:
            self._insert_signature()
        self._changed()

    # ================================================================ filling from an original

    def _loading(self, on: bool) -> None:
        self.editor.setReadOnly(on)
        self.send_action.setEnabled(not on and bool(self._profiles))
        self.send_later_action.setEnabled(not on and bool(self._profiles))
        if on:
            self.status_label.setText(self.tr("Loading the original message…"))
        else:
            self.status_label.clear()

    def _load_failed(self, exc: BaseException) -> None:
        self._loading(False)
        self.show_problem(self.tr("The original message could not be loaded: %1").replace("%1", str(exc)))

    def _my_addresses(self) -> list[str]:
        return [i.address for p in self._profiles for i in p.identities]

    def _attribution(self, date: str, sender: str) -> str:
        if date:
            return self.tr("On %1, %2 wrote:").replace("%1", date).replace("%2", sender)
        return self.tr("%1 wrote:").replace("%1", sender)

    def _fill_reply(self, got: tuple[bytes, str | None], reply_all: bool) -> None:
        raw, account_key = got
        idents = [i for p in self._profiles if account_key in (None, p.key) for i in p.identities] or [
            i for p in self._profiles for i in p.identities
        ]
        if idents:
            ident = identity_for_reply(idents, raw)
            owner = next((p for p in self._profiles if ident in p.identities), None)
            if owner is not None:
                self.select_account(owner.key, ident.address)
        current = self.current_identity()
        from_addr = current[1].from_header() if current else ""
        c = reply(raw, from_addr, reply_all=reply_all, my_addresses=self._my_addresses())
        p = parse_message(raw)
        c.text = "\n\n" + quote_for_reply(p.text, self._attribution(p.date, p.from_addr))
        self._apply_compose(c)
        self._insert_signature()
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.Start)
        self.editor.setFocus()
        self._loading(False)
        self.dirty = False

    def _fill_forward(self, got: tuple[bytes, str | None], as_attachment: bool) -> None:
        raw, account_key = got
        if account_key:
            self.select_account(account_key)
        current = self.current_identity()
        from_addr = current[1].from_header() if current else ""
        c = forward_as_attachment(raw, from_addr) if as_attachment else forward_inline(raw, from_addr)
        if not as_attachment:
            marker = "-------- Forwarded Message --------"
            c.text = c.text.replace(marker, self.tr("-------- Forwarded Message --------"))
        self._apply_compose(c)
        self._insert_signature()
        self.to_field.editor.setFocus()
        self._loading(False)
        self.dirty = False

    def _fill_draft(self, raw: bytes | None) -> None:
        self._loading(False)
        if raw is None:
            self.show_problem(self.tr("The saved draft could not be found."))
            return
        info = compose_from_draft(raw)
        if info.account:
            self.select_account(info.account, info.identity or None)
        self.editor.set_rich(info.rich)
        self.rich_action.setChecked(info.rich)
        self.format_bar.setVisible(info.rich)
        self._apply_compose(info.compose)
        self.status_label.setText(self.tr("Draft restored."))
        self.dirty = False

    def _apply_compose(self, c: Compose) -> None:
        self.to_field.set_addresses(c.to)
        self.cc_field.set_addresses(c.cc)
        self.bcc_field.set_addresses(c.bcc)
        self.subject.setText(c.subject)
        self.editor.set_plain(c.text)
        self.in_reply_to = c.in_reply_to
        self.references = list(c.references)
        for a in c.attachments:
            self.attachments.add(PendingAttachment(a.filename, len(a.data), data=a.data, content_type=a.content_type))
        for m in c.forwarded:
            self.attachments.add(PendingAttachment(_eml_name(m), len(m), message=m))

    # ================================================================ attachments

    def attach_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach files"))
        if paths:
            self._add_files(paths)

    def add_attachments(self, paths: Sequence[str | Path]) -> None:
        """Attach local files (from the command line, a drop, the OS's "send to")."""
        self._add_files([str(p) for p in paths])
        self._changed()

    def _add_files(self, paths: list[str]) -> None:
        problems = self.attachments.add_files(paths)
        if problems:
            self.show_problem(self.tr("Some files could not be attached:") + "\n" + "\n".join(problems))

    def _add_image(self, image: QImage) -> None:
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buf, "PNG")
        data = bytes(buf.data().data())
        name = self.tr("pasted image") + f" {time.strftime('%H%M%S')}.png"
        self.attachments.add(PendingAttachment(name, len(data), data=data, content_type="image/png"))

    def attach_messages(self, ids: list[int]) -> None:
        """Attach messages from the message list as ``.eml`` (their bytes come from the cache on a worker)."""
        backend = self.backend

        def load() -> list[bytes]:
            return [backend.original(i)[0] for i in ids]

        self.status_label.setText(self.tr("Attaching messages…"))

        def done(raws: list[bytes]) -> None:
            for raw in raws:
                self.attachments.add(PendingAttachment(_eml_name(raw), len(raw), message=raw))
            self.status_label.clear()

        def failed(e: BaseException) -> None:
            self.show_problem(self.tr("The message could not be attached: %1").replace("%1", str(e)))

        Task(self.runner.pool, load).on_success(_while_open(self, done)).on_failure(_while_open(self, failed)).start()

    def dragEnterEvent(self, event: Any) -> None:
        if AttachmentList.accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: Any) -> None:
        if self.attachments.handle_drop(event.mimeData()):
            event.acceptProposedAction()

    # ================================================================ drafts

    def _changed(self, *_: object) -> None:
        self.dirty = True

    def has_content(self) -> bool:
        return bool(
            self.to_field.addresses()
            or self.cc_field.addresses()
            or self.bcc_field.addresses()
            or self.subject.text().strip()
            or self.attachments.attachments()
            or (
                self.editor.plain_text().strip()
                and self.editor.plain_text().strip() != (SIGNATURE_SEPARATOR + self._current_signature).strip()
            )
        )

    def build_compose(self) -> Compose:
        got = self.current_identity()
        ident = got[1] if got else Identity("")
        atts = [a for a in self.attachments.attachments() if a.message is None]
        return Compose(
            from_addr=ident.from_header(),
            to=self.to_field.addresses(),
            cc=self.cc_field.addresses(),
            bcc=self.bcc_field.addresses(),
            subject=self.subject.text().strip(),
            text=self.editor.plain_text(),
            html=self.editor.html_text(),
            attachments=[Attachment(a.name, a.read(), a.content_type) for a in atts],
            forwarded=[a.message for a in self.attachments.attachments() if a.message is not None],
            in_reply_to=self.in_reply_to,
            references=list(self.references),
            reply_to=ident.reply_to,
        )

    def _draft_compose(self) -> Compose:
        got = self.current_identity()
        c = self.build_compose()
        return draft_compose(
            c, identity=got[1].address if got else "", account=got[0].key if got else "", rich=self.editor.rich
        )

    def _keeper_for_worker(self) -> DraftKeeper:
        if self._keeper is None:
            self._keeper = self.backend.draft_keeper(self.draft_state)
        return self._keeper

    def autosave(self) -> None:
        """The timer: save when something changed and no save is running."""
        if self.dirty and not self.saving and not self.sent and self.has_content():
            self.save_draft()

    def save_draft(self, *, server: bool = False, then: Any = None) -> None:
        """Save locally now (and to the server's Drafts when ``server``); ``then()`` runs after, on the GUI thread."""
        compose = self._draft_compose()
        got = self.current_identity()
        profile = got[0] if got else None
        account = profile.key if profile else ""
        self.dirty = False
        self.saving = True
        journal = self.journal

        def work() -> DraftState:
            keeper = self._keeper_for_worker()
            if server and profile is not None and profile.incoming.kind == "imap":
                try:
                    self.backend.save_server_draft(profile, keeper, compose)
                except Exception:
                    keeper.save(compose)  # the local copy is what matters; the server copy next time
            else:
                keeper.save(compose)
            state = keeper.state
            journal.write(state, account)
            return state

        def done(state: DraftState) -> None:
            self.saving = False
            self.draft_state = state
            self.status_label.setText(
                self.tr("Draft saved at %1.").replace("%1", QDateTime.currentDateTime().toString("HH:mm:ss"))
            )
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            self.saving = False
            self.dirty = True
            self.status_label.setText(self.tr("The draft could not be saved: %1").replace("%1", str(exc)))
            if then is not None:
                then()

        Task(self.runner.serial("drafts"), work).on_success(_while_open(self, done)).on_failure(
            _while_open(self, failed)
        ).start()

    def discard(self) -> None:
        """Throw the draft away (every saved version) and close."""
        self.sent = True  # nothing to save on close
        journal = self.journal

        def work() -> None:
            self._keeper_for_worker().discard()
            journal.remove()

        Task(self.runner.serial("drafts"), work).start()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.autosave_timer.stop()
        if self.upload is not None and not self.sent:
            self.upload_timer.stop()
        if self.sent or not self.has_content():
            if not self.sent:
                self.journal.remove()  # nothing to reopen after a crash
                if self.draft_state.local_id is not None:  # an earlier autosave of what is now empty
                    Task(self.runner.serial("drafts"), lambda: self._keeper_for_worker().discard()).start()
            event.accept()
            self._set_closed()
            return
        # Keep what was written: save (locally, and in the server's Drafts), then forget the journal.
        journal = self.journal
        self.save_draft(server=True, then=lambda: (journal.remove(), self._set_closed()))
        event.accept()

    def _set_closed(self) -> None:
        if not self.closed_cleanly:
            self.closed_cleanly = True
            self.finished.emit()

    # ================================================================ sending

    def show_problem(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(True)
        self.status_label.setText(text.split("\n", 1)[0])

    def _confirm(self, title: str, text: str) -> bool:
        """Ask a yes/no question (tests replace this)."""
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def send_now(self) -> None:
        self.send(None)

    def send_later(self) -> None:
        dlg = SendLaterDialog(parent=self)
        if dlg.exec():
            self.send(dlg.when())

    def _recipients(self) -> list[str]:
        for f in (self.to_field, self.cc_field, self.bcc_field):
            f.commit()
        return self.to_field.addresses() + self.cc_field.addresses() + self.bcc_field.addresses()

    def send(self, send_at: float | None) -> None:
        """Check, upload big files if chosen, then queue in the outbox (``send_at``: seconds since the epoch)."""
        self.banner.setVisible(False)
        got = self.current_identity()
        if got is None:
            self.show_problem(self.tr("Set up a mail account first (Mail → Add account)."))
            return
        profile, _ident = got
        if not self._recipients():
            self.show_problem(self.tr("Add at least one recipient."))
            return
        bad = self.to_field.invalid_addresses() + self.cc_field.invalid_addresses() + self.bcc_field.invalid_addresses()
        if bad:
            self.show_problem(self.tr("These addresses look wrong: %1").replace("%1", ", ".join(bad)))
            return
        word = mentions_attachment(self.editor.plain_text())
        if word and not self.attachments.attachments():
            ask = self.tr("The message says “%1” but nothing is attached. Send it anyway?").replace("%1", word)
            if not self._confirm(self.tr("No attachment"), ask):
                return
        files = [a for a in self.attachments.attachments() if a.message is None]
        total = sum(a.size for a in files)
        settings = self.backend.big_settings()
        threshold = effective_threshold(settings.threshold, profile.smtp_size_limit)
        sites = self.backend.sites()
        if total > threshold and sites and self.upload is None:
            dlg = BigAttachDialog(total, threshold, [(s.id, s.name) for s in sites], settings, self)
            if self._run_big_dialog(dlg):
                site_id = dlg.apply_to(settings)
                settings.save(self.backend.big_settings_path)
                site = next(s for s in sites if s.id == site_id)
                try:
                    self.start_upload(site, settings.folder, files, send_at)
                except Exception as e:
                    self.show_problem(self.tr("The big files cannot be uploaded: %1").replace("%1", str(e)))
                return
        self._enqueue(send_at)

    def _run_big_dialog(self, dlg: BigAttachDialog) -> bool:
        return bool(dlg.exec())

    def start_upload(self, site: Any, folder: str, files: list[PendingAttachment], send_at: float | None) -> None:
        """Upload ``files`` to ``site``/``folder`` through the transfer queue; sending waits for them."""
        upload = self.backend.big_upload(site, folder)
        tmp = Path(tempfile.mkdtemp(prefix="quay-big-", dir=self.backend.paths.cache))
        for a in files:
            local = a.path
            if local is None:
                local = tmp / a.name
                local.write_bytes(a.read())
            upload.add(local, a.name)
        upload.start()
        self.upload = upload
        self._upload_names = {id(a) for a in files}
        self._send_at = send_at
        self._set_sending(True)
        self.status_label.setText(self.tr("Uploading big attachments…"))
        self.upload_timer.start()

    def _poll_upload(self) -> None:
        if self.upload is None:
            self.upload_timer.stop()
            return
        state, failures = self.upload.status()
        if state == "running":
            done, total = self.upload.progress()
            self.status_label.setText(
                self.tr("Uploading big attachments: %1 of %2")
                .replace("%1", format_size(done))
                .replace("%2", format_size(total))
            )
            return
        self.upload_timer.stop()
        if state == "failed":
            self._set_sending(False)
            lines = "\n".join(f"{name}: {err}" for name, err in failures)
            self.show_problem(self.tr("The message was not sent because an upload failed:") + "\n" + lines)
            self.upload = None
            return
        self._insert_links(self.upload.links)
        keep = [a for a in self.attachments.attachments() if id(a) not in self._upload_names]
        self.attachments.replace_all(keep)
        self.attachments.setVisible(bool(keep))
        self._enqueue(self._send_at)

    def _insert_links(self, links: list[LinkItem]) -> None:
        heading = self.tr("These files were too big for e-mail; download them here:")
        sizes = [format_size(i.size) for i in links]
        block = link_block_plain(heading, links, sizes)
        if self.editor.rich:
            blocks = self.editor.blocks()
            blocks.append(Block([Span(heading)]))
            for item, size in zip(links, sizes, strict=True):
                blocks.append(Block([Span(item.name, href=item.url), Span(f" ({size})")], list_kind="bullet"))
            self.editor.set_blocks(blocks)
        else:
            text = self.editor.toPlainText()
            sig = "\n" + SIGNATURE_SEPARATOR
            if sig in text:
                head, _, tail = text.partition(sig)
                text = f"{head.rstrip()}\n\n{block}{sig}{tail}"
            else:
                text = f"{text.rstrip()}\n\n{block}"
            self.editor.setPlainText(text)

    def _set_sending(self, on: bool) -> None:
        for w in (self.editor, self.subject, self.to_field, self.cc_field, self.bcc_field, self.attachments):
            w.setEnabled(not on)
        self.send_action.setEnabled(not on)
        self.send_later_action.setEnabled(not on)

    def _enqueue(self, send_at: float | None) -> None:
        got = self.current_identity()
        assert got is not None
        profile, _ = got
        self._set_sending(True)
        c = self.build_compose()
        c.message_id = make_message_id(c.from_addr)
        recipients = c.envelope_recipients()
        backend = self.backend

        def work() -> int:
            raw = compose_bytes(c)
            return backend.outbox.enqueue(
                profile.key, c.envelope_sender(), recipients, raw, message_id=c.message_id or "", send_at=send_at
            )

        def queued(item_id: int) -> None:
            self.sent = True
            self.queued.emit(item_id)
            if self.outbox_runner is not None:
                if send_at is None:
                    self.outbox_runner.kick()
                else:
                    self.outbox_runner.check()
            journal = self.journal

            def forget() -> None:
                self._keeper_for_worker().discard()
                journal.remove()

            Task(self.runner.serial("drafts"), forget).start()
            self.close()

        def failed(exc: BaseException) -> None:
            self._set_sending(False)
            self.show_problem(self.tr("The message could not be queued for sending: %1").replace("%1", str(exc)))

        Task(self.runner.serial("outbox-enqueue"), work).on_success(_while_open(self, queued)).on_failure(
            _while_open(self, failed)
        ).start()

    # ================================================================ modes

    def _toggle_rich(self) -> None:
        rich = self.rich_action.isChecked()
        self.editor.set_rich(rich)
        self.format_bar.setVisible(rich)
        self._changed()

    def _toggle_spell(self) -> None:
        self.highlighter.set_enabled(self.spell_action.isChecked())

    def _load_contacts(self) -> None:
        fields = (self.to_field, self.cc_field, self.bcc_field)

        def done(contacts: list[Any]) -> None:
            for f in fields:
                f.set_contacts(contacts)

        Task(self.runner.pool, self.backend.contacts).on_success(_while_open(self, done)).on_failure(
            lambda _e: None
        ).start()


def _while_open(window: QWidget, fn: Any) -> Any:
    """``fn`` for a task's callback that does nothing once ``window`` is gone (closed and deleted
    while its work was still running)."""

    def call(*args: Any) -> None:
        if shiboken6.isValid(window):
            fn(*args)

    return call


def _eml_name(raw: bytes) -> str:
    subject = parse_message(raw).subject or "message"
    safe = "".join(ch if ch not in '\\/:*?"<>|\r\n' else "_" for ch in subject).strip()[:60] or "message"
    return f"{safe}.eml"


def restore_crashed_drafts(
    backend: ComposeBackend, runner: TaskRunner, *, outbox: Any = None, parent: QWidget | None = None
) -> list[ComposerWindow]:
    """Reopen the composers a crash left open (call once at start-up)."""
    entries = pending_drafts(backend.paths)
    return [ComposerWindow.for_draft(backend, runner, e, outbox=outbox, parent=parent) for e in entries]


@showcase_dialog("composer")
def _composer_showcase(window: MainWindow) -> QWidget:
    """A reply being written, with two attachments (nothing is saved or sent from it)."""
    w = ComposerWindow.for_new(
        window.compose_backend,
        window.runner,
        to=[
            QCoreApplication.translate("ComposerShowcase", "Binh Tran") + " <binh@haidang-trading.vn>",
            "warehouse@haidang-trading.vn",
        ],
        cc=["accounts@haidang-trading.vn"],
        subject=QCoreApplication.translate("ComposerShowcase", "Re: Q4 report"),
        body=QCoreApplication.translate(
            "ComposerShowcase",
            "Hi Binh,\n\nHere is the corrected report; could you check the costs section?\n\n"
            "On 23/11/2026 09:00, Binh Tran wrote:\n> Please resend it with the December figures.\n",
        ),
        parent=window,
    )
    w.attachments.add(
        PendingAttachment(QCoreApplication.translate("ComposerShowcase", "q4-report.xlsx"), 482_133, data=b"x")
    )
    w.attachments.add(
        PendingAttachment(QCoreApplication.translate("ComposerShowcase", "contract.pdf"), 1_204_551, data=b"x")
    )
    w.attachments.setVisible(True)
    w.autosave_timer.stop()
    w.sent = True  # a picture: closing it saves no draft
    w.dirty = False
    w.resize(900, 640)
    return w
