"""A 30 MB attachment goes to the user's SFTP server through the transfer queue; the mail carries the link."""

# ruff: noqa: F811  (pytest fixtures imported from composer_helpers are parameters here)
from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.mail import outbox as ob
from app.core.mail.bigattach import BigAttachSettings, SitePublishing, effective_threshold, public_link
from app.core.transfer.queue import JobState
from app.core.transfer.sites import Site, SiteStore, site_secret_key
from app.ui.mail.composer import ComposerWindow
from app.ui.mail.composer_dialogs import BigAttachDialog
from app.ui.mail.composer_outbox import OutboxRunner
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import DEFAULT_SIZE_LIMIT
from tests.servers.sshd import SshdServer
from tests.ui.mail.composer_helpers import MailSetup, delivered, mail_setup  # noqa: F401


def _site(setup: MailSetup, sshd: SshdServer) -> tuple[Site, Path]:
    home = sshd.home(sshd.password_user)
    public = home / f"public-{time.monotonic_ns()}"
    (public / "mail").mkdir(parents=True)
    st = home.stat()
    for d in (public, public / "mail"):
        os.chown(d, st.st_uid, st.st_gid)
    site = Site("Máy chủ của tôi", "sftp", sshd.host, sshd.port, sshd.password_user, remote_dir=str(home))
    sites = SiteStore(setup.paths.config / "sites.json", setup.backend.secrets)
    sites.put(site)
    sites.save()
    setup.backend.secrets.remember_for_session(site_secret_key(site), sshd.password)
    shutil.copy(sshd.known_hosts_path, setup.paths.known_hosts_file)
    return site, public


def test_threshold_follows_the_smtp_size_limit() -> None:
    assert effective_threshold(None, None) == 10 * 1024 * 1024
    assert effective_threshold(50 * 1024 * 1024, DEFAULT_SIZE_LIMIT) < DEFAULT_SIZE_LIMIT / 1.3
    assert public_link(SitePublishing("https://f.vn/s/", "/srv/www"), "/srv/www/mail/a b.pdf") == (
        "https://f.vn/s/mail/a%20b.pdf"
    )


def test_30_mb_attachment_goes_to_sftp_and_the_mail_holds_the_link(
    qtbot: QtBot, mail_setup: MailSetup, dovecot: DovecotServer, sshd_server: SshdServer, tmp_path: Path
) -> None:
    setup = mail_setup
    site, public = _site(setup, sshd_server)
    setup.profile.smtp_size_limit = DEFAULT_SIZE_LIMIT
    big = tmp_path / "video họp.bin"
    chunk = os.urandom(1024 * 1024)
    with big.open("wb") as f:
        for _ in range(30):
            f.write(chunk)
    digest = hashlib.sha256(big.read_bytes()).hexdigest()
    bob, _ = dovecot.new_user("b")
    runner = OutboxRunner(setup.backend, setup.runner)
    w = ComposerWindow.for_new(setup.backend, setup.runner, to=[dovecot.address(bob)], outbox=runner)
    qtbot.addWidget(w)
    w.subject.setText("Video cuộc họp")
    w.editor.setPlainText("Video ở dưới.")
    w.attachments.add_files([str(big)])
    seen: list[BigAttachDialog] = []

    def choose(dlg: BigAttachDialog) -> bool:  # what the user fills in
        seen.append(dlg)
        dlg.folder.setText(str(public / "mail"))
        dlg.prefix.setText("https://files.example.test/share")
        dlg.root.setText(str(public))
        return True

    w._run_big_dialog = choose  # type: ignore[method-assign]
    with qtbot.waitSignal(w.queued, timeout=120_000, raising=False) as sig:
        w.send_action.trigger()
        assert seen and w.upload is not None  # sending waits for the upload
        assert w.upload.queue.jobs()[0].direction == "upload"
    assert sig.signal_triggered, (w.banner.text(), w.status_label.text(), w.upload and w.upload.queue.jobs())
    item = setup.backend.outbox.get(sig.args[0])
    qtbot.waitUntil(lambda: setup.backend.outbox.get(item.id).state == ob.DONE, timeout=30_000)
    # The file is on the server, whole, under an unguessable name; the job is in the transfer queue.
    uploaded = list((public / "mail").iterdir())
    assert len(uploaded) == 1 and uploaded[0].name.endswith("-video họp.bin")
    assert hashlib.sha256(uploaded[0].read_bytes()).hexdigest() == digest
    assert [j.state for j in w.upload.queue.jobs()] == [JobState.DONE]  # type: ignore[union-attr]
    msg = next(m for m in delivered(dovecot, bob) if m["Subject"] == "Video cuộc họp")
    assert list(msg.iter_attachments()) == []
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    link = "https://files.example.test/share/mail/" + uploaded[0].name.replace(" ", "%20").replace("ọ", "%E1%BB%8D")
    assert link in text, text
    assert "video họp.bin (31.5 MB)" in text
    settings = BigAttachSettings.load(setup.backend.big_settings_path)
    assert settings.site_id == site.id and settings.sites[site.id].prefix == "https://files.example.test/share"


def test_a_failed_upload_stops_the_send_clearly(
    qtbot: QtBot, mail_setup: MailSetup, sshd_server: SshdServer, tmp_path: Path
) -> None:
    setup = mail_setup
    _site_unused, public = _site(setup, sshd_server)
    big = tmp_path / "lớn.bin"
    big.write_bytes(b"x" * (11 * 1024 * 1024))
    w = ComposerWindow.for_new(setup.backend, setup.runner, to=["x@example.test"])
    qtbot.addWidget(w)
    w.subject.setText("Sẽ không đi")
    w.attachments.add_files([str(big)])

    def choose(dlg: BigAttachDialog) -> bool:
        dlg.folder.setText(str(public / "no-such-folder"))
        dlg.prefix.setText("https://files.example.test/share")
        dlg.root.setText(str(public))
        return True

    w._run_big_dialog = choose  # type: ignore[method-assign]
    w.send_action.trigger()
    assert w.upload is not None
    w.upload.queue.max_attempts = 1
    qtbot.waitUntil(lambda: w.banner.isVisible(), timeout=60_000)
    assert "upload failed" in w.banner.text() and "lớn.bin" in w.banner.text()
    assert setup.backend.outbox.items() == [] and w.isVisible() and w.send_action.isEnabled()
