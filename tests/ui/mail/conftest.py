"""Mail tab fixtures: a fresh Dovecot user with mail, an account for it in a fresh profile, the tab on top.

QtWebEngine needs its URL schemes registered before the QApplication exists, so
:func:`app.ui.mail.webengine.prepare` runs here, at collection time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.ui.mail import webengine

webengine.prepare()

from app.core.accounts import Account, AccountBook  # noqa: E402
from app.core.paths import AppPaths  # noqa: E402
from app.core.tls import PinStore  # noqa: E402
from app.ui.mail.backend import MailBackend  # noqa: E402
from app.ui.mail.mail_tab import MailTab  # noqa: E402
from app.ui.settings import Settings  # noqa: E402
from tests.servers.common import TlsMaterial  # noqa: E402
from tests.servers.dovecot import DovecotServer  # noqa: E402


def make_message(i: int, subject: str, *, sender: str = "Ann <ann@example.test>", body: str = "",
                 html: str | None = None, age_hours: int = 0, attachments: list[tuple[str, bytes]] = (),
                 inline: list[tuple[str, str, bytes]] = ()) -> bytes:  # fmt: skip
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Me <me@example.test>"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.fromtimestamp(time.time() - age_hours * 3600 - i, tz=UTC))
    msg["Message-ID"] = f"<t{i}.{time.monotonic_ns()}@example.test>"
    msg.set_content(body or f"Body of message {i}\n")
    if html is not None:
        msg.add_alternative(html, subtype="html")
        if inline:
            html_part = msg.get_payload()[1]
            for cid, ctype, data in inline:
                main, sub = ctype.split("/")
                html_part.add_related(data, maintype=main, subtype=sub, cid=f"<{cid}>")
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return bytes(msg)


@dataclass
class MailEnv:
    server: DovecotServer
    user: str
    password: str
    paths: AppPaths
    account: Account

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        self.server.deliver(self.user, raw, folder)


def make_env(server: DovecotServer, tls: TlsMaterial, paths: AppPaths, user: str, password: str) -> MailEnv:
    account = Account("imap", server.host, server.imaps_port, user, "tls", display_name="Test account",
                      email=server.address(user))  # fmt: skip
    book = AccountBook(paths.accounts_file)
    book.add(account)
    book.save()
    PinStore(paths.pins_file).pin(server.host, server.imaps_port, tls.fingerprint_sha256())
    return MailEnv(server, user, password, paths, account)


@pytest.fixture
def mail_env(dovecot: DovecotServer, tls_material: TlsMaterial, app_paths: AppPaths) -> MailEnv:
    user, password = dovecot.new_user()
    env = make_env(dovecot, tls_material, app_paths, user, password)
    for i in range(5):
        env.deliver(make_message(i, f"Message {i}", age_hours=i))
    env.deliver(make_message(10, "Chào buổi sáng", body="Hôm nay trời đẹp, hẹn gặp ở cảng.\n", age_hours=10))
    env.deliver(make_message(11, "Work item", age_hours=11), "Work")
    return env


def open_tab(qtbot, env: MailEnv, **backend_args) -> MailTab:  # type: ignore[no-untyped-def]
    backend = MailBackend(env.paths, password_provider=lambda _a: env.password, poll_interval=0, **backend_args)
    tab = MailTab(Settings(env.paths), backend)
    tab.mark_read_delay_ms = 300
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    qtbot.waitExposed(tab)
    tab.start()
    return tab


@pytest.fixture
def mail_tab(qtbot, mail_env: MailEnv) -> Iterator[MailTab]:  # type: ignore[no-untyped-def]
    tab = open_tab(qtbot, mail_env)
    yield tab
    tab.shutdown()


class CountingServer:
    """A local HTTP server that counts every request (path by path): the remote-content probe."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with lock:
                    outer.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/gif")
                self.end_headers()
                self.wfile.write(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")

            do_POST = do_GET

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def http_probe() -> Iterator[CountingServer]:
    srv = CountingServer()
    yield srv
    srv.close()


def type_text(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type like a keyboard (or an input method) does: one key event per character.

    ``QTest.keyClicks`` only handles Latin-1, so Vietnamese letters go as key events carrying their text.
    """
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))
