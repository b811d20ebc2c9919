"""One account model end to end: an account added in the wizard shows in the reader's folder tree, syncs,
and sends through its own SMTP record; the reader and the composer share one Services (one account book,
one keyring memory), so a password kept only for this session works on both sides."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from app.core.accounts import AccountBook
from app.core.mail.autoconfig import Discovery, Prober, dns_resolve
from app.core.paths import AppPaths
from app.core.secrets import SecretStore
from app.core.services import Services
from app.ui.mail.backend import MailBackend
from app.ui.mail.composer import ComposerWindow
from app.ui.mail.composer_backend import ComposeBackend
from app.ui.mail.composer_outbox import OutboxRunner
from app.ui.mail.mail_tab import MailTab
from app.ui.mail.message_model import COL_SUBJECT
from app.ui.mail.wizard import AccountWizard
from app.ui.settings import Settings
from app.ui.tasks import TaskRunner
from tests.core.mail.autoconfig_servers import dns_server
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer
from tests.ui.mail.conftest import make_message

ZONE = """
$ORIGIN example.test.
$TTL 60
@ IN SOA ns.example.test. admin.example.test. 1 60 60 60 60
mail IN A 127.0.0.1
"""


class _NoKeyring(SecretStore):
    """A machine without a keyring: passwords live in this session's memory only."""

    def available(self) -> bool:
        return False

    def get(self, key: str, *, use_keyring: bool = True) -> str | None:
        return super().get(key, use_keyring=False)

    def set(self, key: str, secret: str, *, remember: bool = True) -> None:
        super().set(key, secret, remember=False)


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[tuple[Services, ComposeBackend, TaskRunner]]:
    paths = AppPaths.in_dir(tmp_path / "profile")
    paths.ensure()
    services = Services(paths, secrets=_NoKeyring())
    compose = ComposeBackend(paths, services=services)
    runner = TaskRunner()
    yield services, compose, runner
    runner.shutdown(wait=True)
    compose.close()


def _tree_texts(tab: MailTab) -> list[str]:
    out: list[str] = []
    m = tab.tree_model

    def walk(parent: QModelIndex) -> None:
        for r in range(m.rowCount(parent)):
            idx = m.index(r, 0, parent)
            out.append(str(idx.data()))
            walk(idx)

    walk(QModelIndex())
    return out


def test_wizard_account_appears_in_the_reader_syncs_and_sends(
    qtbot: QtBot,
    shared: tuple[Services, ComposeBackend, TaskRunner],
    dovecot: DovecotServer,
    smtp_server: SmtpServer,
) -> None:
    services, compose, runner = shared
    user, pw = dovecot.new_user("rt")
    address = dovecot.address(user)
    dovecot.deliver(user, make_message(1, "Xin chào từ máy chủ"))
    port_map = {993: dovecot.imaps_port, 143: dovecot.imap_port, 995: dovecot.pop3s_port,
                110: dovecot.pop3_port, 465: smtp_server.smtps_port, 587: smtp_server.submission_port}  # fmt: skip
    # The wizard: discovery (local DNS + probing of the fixtures), the certificate prompt, test, save.
    with dns_server(ZONE) as resolver:

        def disc() -> Discovery:
            return Discovery(resolver=resolver, fetch=_offline, prober=Prober(dns_resolve(resolver), port_map=port_map))

        wizard = AccountWizard(compose, runner, discovery=disc)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.name.setText("Trần Thị Bình")
        wizard.email.setText(address)
        wizard.password.setText(pw)
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not wizard.discovering, timeout=20000)
    assert wizard.incoming.server().port == dovecot.imaps_port
    for box in (wizard.incoming, wizard.outgoing):  # the user confirms or edits what was found
        box.host.setText("127.0.0.1")  # the probe's name resolves only through the test's DNS server
        box.username.setText(user)
    while True:
        qtbot.mouseClick(wizard.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: wizard.cert_dialog is not None or (not wizard.testing and len(wizard.results) == 2),
                        timeout=20000)  # fmt: skip
        if wizard.cert_dialog is None:
            break
        dlg = wizard.cert_dialog
        qtbot.mouseClick(dlg.trust_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not wizard.testing, timeout=20000)
        if len(wizard.results) == 2 and all(r.ok for r in wizard.results.values()):
            break
    assert wizard.results["in"].ok and wizard.results["out"].ok
    with qtbot.waitSignal(wizard.account_added) as added:
        qtbot.mouseClick(wizard.save_button, Qt.MouseButton.LeftButton)
    key = added.args[0]
    # Saved as services records: the IMAP account, and its SMTP server as an account of its own.
    book = AccountBook(services.paths.accounts_file)
    imap = book.get(key)
    assert imap is not None and imap.kind == "imap"
    smtp = book.get(imap.smtp_account)
    assert smtp is not None and smtp.kind == "smtp" and smtp.port == wizard.outgoing.server().port
    # The reader, on the same Services: the account is in the tree and its Inbox syncs.
    reader = MailBackend(services.paths, runner, services=services, poll_interval=0)
    tab = MailTab(Settings(services.paths), reader)
    qtbot.addWidget(tab)
    tab.show()
    tab.start()
    qtbot.waitUntil(lambda: "Trần Thị Bình" in _tree_texts(tab), timeout=10000)
    qtbot.waitUntil(lambda: "Inbox (1)" in _tree_texts(tab), timeout=30000)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10000)  # the Inbox opened by itself
    assert tab.model.index(0, COL_SUBJECT).data() == "Xin chào từ máy chủ"
    # Sending goes through the SMTP record; the message comes back into the open Inbox.
    outbox = OutboxRunner(compose, runner)
    composer = ComposerWindow.for_new(compose, runner, to=[address], subject="Gửi lại cho mình", outbox=outbox)
    qtbot.addWidget(composer)
    with qtbot.waitSignal(outbox.processed, timeout=30000) as processed:
        composer.send_now()
    assert processed.args[0].state == "done", processed.args[0].last_error  # sent and filed in Sent
    tab.get_mail()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=30000)
    subjects = {tab.model.index(r, COL_SUBJECT).data() for r in range(2)}
    assert "Gửi lại cho mình" in subjects
    tab.shutdown()


def _offline(url: str) -> bytes:
    raise OSError("offline")
