"""Shared set-up for the composer and wizard tests: a profile on the real Dovecot + SMTP fixtures."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.core.accounts import AccountBook
from app.core.mail.account_setup import MailProfile, save_profile
from app.core.mail.autoconfig import ServerSettings
from app.core.mail.identities import Identity
from app.core.paths import AppPaths
from app.core.secrets import SecretStore
from app.ui.mail.composer_backend import ComposeBackend
from app.ui.tasks import TaskRunner
from tests.servers.common import TlsMaterial
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer


@dataclass
class MailSetup:
    paths: AppPaths
    backend: ComposeBackend
    runner: TaskRunner
    profile: MailProfile
    user: str
    password: str
    address: str


class FakeClock:
    """Seconds since the epoch that only move when the test says so."""

    def __init__(self, start: float = 1_900_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def make_profile(dovecot: DovecotServer, smtp: SmtpServer, user: str, signature: str = "") -> MailProfile:
    address = dovecot.address(user)
    return MailProfile(
        ServerSettings("imap", "127.0.0.1", dovecot.imaps_port, "tls", user),
        ServerSettings("smtp", "127.0.0.1", smtp.submission_port, "starttls", user),
        address,
        "Test User",
        identities=[Identity(address, "Test User", signature)],
    )


@pytest.fixture
def mail_setup(
    tmp_path: Path, dovecot: DovecotServer, smtp_server: SmtpServer, tls_material: TlsMaterial
) -> Iterator[MailSetup]:
    paths = AppPaths.in_dir(tmp_path / "profile")
    paths.ensure()
    user, pw = dovecot.new_user("w")
    secrets = SecretStore()
    clock = FakeClock()
    backend = ComposeBackend(paths, secrets=secrets, clock=clock, cafile=str(tls_material.ca_pem))
    profile = make_profile(dovecot, smtp_server, user, signature="Test User\nQuay tests")
    save_profile(AccountBook(paths.accounts_file), profile, secrets, incoming_password=pw, remember=False)
    runner = TaskRunner()
    try:
        yield MailSetup(paths, backend, runner, profile, user, pw, dovecot.address(user))
    finally:
        runner.shutdown(wait=True)
        backend.close()


def drop(widget: QWidget, mime: QMimeData) -> bool:
    """What the OS does when the user drops ``mime`` on ``widget``: drag-enter, then drop."""
    pos = QPoint(5, 5)
    enter = QDragEnterEvent(
        QPointF(pos),
        Qt.DropAction.CopyAction | Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    ev = QDropEvent(
        QPointF(pos),
        Qt.DropAction.CopyAction | Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, ev)
    return ev.isAccepted()


def delivered(dovecot: DovecotServer, user: str) -> list[EmailMessage]:
    """Messages in the user's INBOX as Dovecot stored them (read from the Maildir)."""
    out = []
    md = dovecot.maildir(user)
    for sub in ("new", "cur"):
        d = md / sub
        if d.is_dir():
            for f in sorted(d.iterdir()):
                msg = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
                assert isinstance(msg, EmailMessage)
                out.append(msg)
    return out


def folder_messages(dovecot: DovecotServer, user: str, folder: str) -> list[EmailMessage]:
    out = []
    md = dovecot.maildir(user) / f".{folder}"
    for sub in ("new", "cur"):
        d = md / sub
        if d.is_dir():
            for f in sorted(d.iterdir()):
                msg = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
                assert isinstance(msg, EmailMessage)
                out.append(msg)
    return out


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` as key events carrying the characters (QTest's keyClicks only knows ASCII)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    for ch in text:
        key = Qt.Key.Key_Comma if ch == "," else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))
