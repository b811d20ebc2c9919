"""The account wizard: discovery from bundled data, HTTPS autoconfig, SRV and probing (no internet);
certificate prompt and pinning against the self-signed Dovecot; both directions tested; saved with the
password in the keyring; a wrong password said as such."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.accounts import AccountBook
from app.core.mail.account_setup import load_profiles, smtp_secret_key
from app.core.mail.autoconfig import Discovery, HttpsFetcher, Prober, dns_resolve
from app.core.paths import AppPaths
from app.core.secrets import SecretStore
from app.ui.dialogs.trust import CertificateDialog
from app.ui.mail.composer_backend import ComposeBackend
from app.ui.mail.wizard import AccountWizard
from app.ui.tasks import TaskRunner
from tests.core.mail.autoconfig_servers import HttpsAutoconfigServer, autoconfig_xml, dns_server
from tests.servers.common import TlsMaterial
from tests.servers.dovecot import DovecotServer
from tests.servers.keyring_service import KeyringService
from tests.servers.smtp import SmtpServer

ZONE = """
$ORIGIN example.test.
$TTL 60
@ IN SOA ns.example.test. admin.example.test. 1 60 60 60 60
"""


@pytest.fixture
def wiz_env(tmp_path: Path) -> Iterator[tuple[ComposeBackend, TaskRunner]]:
    paths = AppPaths.in_dir(tmp_path / "profile")
    paths.ensure()
    backend = ComposeBackend(paths, secrets=SecretStore())
    runner = TaskRunner()
    yield backend, runner
    runner.shutdown(wait=True)
    backend.close()


def _no_fetch(url: str) -> bytes:
    raise OSError("offline")


def _start(qtbot: QtBot, wizard: AccountWizard, email: str, password: str) -> None:
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.name.setText("Nguyễn Văn An")
    wizard.email.setText(email)
    wizard.password.setText(password)
    qtbot.mouseClick(wizard.next_button, _left())
    qtbot.waitUntil(lambda: not wizard.discovering, timeout=20000)


def _left():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_bundled_provider_and_the_honest_oauth_message(
    qtbot: QtBot, wiz_env: tuple[ComposeBackend, TaskRunner]
) -> None:
    backend, runner = wiz_env
    w = AccountWizard(backend, runner, discovery=lambda: Discovery(fetch=_no_fetch))
    _start(qtbot, w, "an.nguyen@gmail.com", "x")
    inc = w.incoming.server()
    assert (inc.kind, inc.host, inc.port, inc.security) == ("imap", "imap.gmail.com", 993, "tls")
    assert w.outgoing.server().host == "smtp.gmail.com"
    assert "Gmail" in w.found_label.text()
    assert w.oauth_label.isVisible() and "app password" in w.oauth_label.text()


def test_autoconfig_certificate_prompt_pin_test_and_save(
    qtbot: QtBot,
    wiz_env: tuple[ComposeBackend, TaskRunner],
    dovecot: DovecotServer,
    smtp_server: SmtpServer,
    tls_material: TlsMaterial,
    keyring_service: KeyringService,
    tmp_path: Path,
) -> None:
    backend, runner = wiz_env
    user, pw = dovecot.new_user("z")
    xml = autoconfig_xml("127.0.0.1", dovecot.imaps_port, "127.0.0.1", smtp_server.submission_port)
    with HttpsAutoconfigServer(tmp_path, ["autoconfig.example.test"]) as srv:
        srv.put("autoconfig.example.test/mail/config-v1.1.xml", xml)
        fetch = HttpsFetcher(cafile=str(srv.ca_file), host_map={"autoconfig.example.test": ("127.0.0.1", srv.port)})
        with dns_server(ZONE) as resolver:
            w = AccountWizard(backend, runner, discovery=lambda: Discovery(resolver=resolver, fetch=fetch))
            _start(qtbot, w, f"{user}@example.test", "wrong-password")
    assert "settings file" in w.found_label.text()
    assert w.incoming.server().port == dovecot.imaps_port and w.incoming.server().username == user
    assert w.outgoing.server().security == "starttls"
    # Test: the Dovecot certificate is from an unknown CA -> the prompt, with its fingerprint.
    qtbot.mouseClick(w.test_button, _left())
    qtbot.waitUntil(lambda: w.cert_dialog is not None, timeout=20000)
    dlg = w.cert_dialog
    assert isinstance(dlg, CertificateDialog) and dlg.cancel_button.isDefault()
    assert dlg.fingerprint_field.text() == tls_material.fingerprint_sha256()
    qtbot.mouseClick(dlg.trust_button, _left())
    assert backend.pins.get("127.0.0.1", dovecot.imaps_port) is not None
    # The same certificate on the SMTP port is pinned along; the wrong password is reported as such.
    qtbot.waitUntil(lambda: not w.testing and len(w.results) == 2 and w.cert_dialog is None, timeout=20000)
    qtbot.waitUntil(lambda: w.results.get("in") is not None and w.results["in"].kind == "auth", timeout=20000)
    assert w.results["out"].kind == "auth"
    assert "Wrong user name or password" in w.incoming.result.text()
    assert backend.pins.get("127.0.0.1", smtp_server.submission_port) == backend.pins.get(
        "127.0.0.1", dovecot.imaps_port
    )
    assert not w.save_button.isEnabled()
    # The right password: both directions sign in; save.
    w.password.setText(pw)
    qtbot.mouseClick(w.test_button, _left())
    qtbot.waitUntil(lambda: not w.testing and len(w.results) == 2, timeout=20000)
    assert w.results["in"].ok and w.results["out"].ok, (w.incoming.result.text(), w.outgoing.result.text())
    assert "Signed in" in w.incoming.result.text() and "10.5 MB" in w.outgoing.result.text()
    with qtbot.waitSignal(w.account_added) as sig:
        qtbot.mouseClick(w.save_button, _left())
    profiles = load_profiles(AccountBook(backend.paths.accounts_file))
    assert [p.key for p in profiles] == [sig.args[0]]
    p = profiles[0]
    assert p.email == f"{user}@example.test" and p.display_name == "Nguyễn Văn An"
    assert p.smtp.port == smtp_server.submission_port and p.smtp_size_limit == 10 * 1024 * 1024
    fresh = SecretStore()  # a new store: the password comes from the keyring, not from memory
    assert fresh.available() and fresh.get(p.account().secret_key) == pw
    assert fresh.get(smtp_secret_key(p)) == pw


def test_srv_records_fill_the_form(qtbot: QtBot, wiz_env: tuple[ComposeBackend, TaskRunner]) -> None:
    backend, runner = wiz_env
    zone = (
        ZONE + "_imaps._tcp IN SRV 0 1 9993 mail.example.test.\n_submission._tcp IN SRV 0 1 2587 mail.example.test.\n"
    )
    with dns_server(zone) as resolver:
        disc = lambda: Discovery(resolver=resolver, fetch=_no_fetch)  # noqa: E731
        w = AccountWizard(backend, runner, discovery=disc)
        _start(qtbot, w, "chi@example.test", "x")
    inc, out = w.incoming.server(), w.outgoing.server()
    assert (inc.host, inc.port, inc.security) == ("mail.example.test", 9993, "tls")
    assert (out.host, out.port, out.security) == ("mail.example.test", 2587, "starttls")
    assert "DNS service records" in w.found_label.text()


def test_probing_finds_the_fixtures_and_pop3_options_show(
    qtbot: QtBot, wiz_env: tuple[ComposeBackend, TaskRunner], dovecot: DovecotServer, smtp_server: SmtpServer
) -> None:
    backend, runner = wiz_env
    port_map = {
        993: dovecot.imaps_port,
        143: dovecot.imap_port,
        995: dovecot.pop3s_port,
        110: dovecot.pop3_port,
        465: smtp_server.smtps_port,
        587: smtp_server.submission_port,
    }
    with dns_server(ZONE + "mail IN A 127.0.0.1\n") as resolver:

        def disc() -> Discovery:
            return Discovery(
                resolver=resolver, fetch=_no_fetch, prober=Prober(dns_resolve(resolver), port_map=port_map)
            )

        w = AccountWizard(backend, runner, discovery=disc)
        _start(qtbot, w, "dung@example.test", "x")
    inc = w.incoming.server()
    assert (inc.host, inc.port, inc.kind) == ("mail.example.test", dovecot.imaps_port, "imap")
    assert w.outgoing.server().port == smtp_server.smtps_port
    assert "usual server names" in w.found_label.text()
    # Switching to POP3 shows keep/delete and "leave on server N days".
    w.incoming.kind.setCurrentIndex(w.incoming.kind.findData("pop3"))
    assert w.incoming.keep.isVisible() and w.incoming.days.isVisible()
    w.incoming.days.setValue(30)
    p = w.profile()
    assert p.incoming.kind == "pop3" and p.pop3_keep and p.pop3_delete_after_days == 30


def test_plaintext_only_server_is_explained(
    qtbot: QtBot, wiz_env: tuple[ComposeBackend, TaskRunner], dovecot: DovecotServer, smtp_server: SmtpServer
) -> None:
    backend, runner = wiz_env
    w = AccountWizard(backend, runner, discovery=lambda: Discovery(fetch=_no_fetch, use_bundled=True))
    w.make_discovery = lambda: _NothingFound()  # type: ignore[assignment,method-assign]
    _start(qtbot, w, "e@example.test", "pw")
    w.incoming.host.setText("127.0.0.1")
    w.incoming.security.setCurrentIndex(w.incoming.security.findData("starttls"))
    w.incoming.port.setValue(dovecot.imap_port)
    w.outgoing.host.setText("127.0.0.1")
    w.outgoing.security.setCurrentIndex(w.outgoing.security.findData("starttls"))
    w.outgoing.port.setValue(smtp_server.plain_port)  # a port without STARTTLS
    qtbot.mouseClick(w.test_button, _left())
    qtbot.waitUntil(lambda: not w.testing and len(w.results) == 2, timeout=20000)
    assert w.results["out"].kind == "no_encryption"
    assert "offers no encryption" in w.outgoing.result.text()


class _NothingFound:
    def __init__(self) -> None:
        import threading

        self.cancelled = threading.Event()

    def run(self, email: str):  # type: ignore[no-untyped-def]
        from app.core.mail.autoconfig import DiscoveryResult

        return DiscoveryResult(None, {"bundled": "nothing"})
