"""Opening a message cannot tell anyone it was read: a local HTTP server counts zero requests for plain
remote images and for 40+ CSS/HTML exfiltration tricks, exactly one after "Load once"; cid: images come
from the message itself; saved attachment names stay inside the chosen folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.core.mail.display import build_display
from app.ui.mail import webengine
from app.ui.mail.mail_tab import MailTab
from app.ui.mail.message_model import COL_SUBJECT
from tests.core.mail.exfil_tricks import trick_document, tricks
from tests.ui.mail.conftest import CountingServer, MailEnv, make_env, make_message, open_tab

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005"
    "0001ff5a0dd3a10000000049454e44ae426082"
)

pytestmark = pytest.mark.skipif(not webengine.available(), reason="QtWebEngine is not available")


@pytest.fixture
def probe_tab(qtbot, dovecot, tls_material, app_paths, http_probe: CountingServer) -> Iterator[MailTab]:  # type: ignore[no-untyped-def]
    user, password = dovecot.new_user()
    env: MailEnv = make_env(dovecot, tls_material, app_paths, user, password)
    b = http_probe.base
    env.deliver(make_message(1, "Newsletter", html=f'<p>Hello</p><img src="{b}/pixel.gif" alt="pixel">', age_hours=1))
    env.deliver(make_message(2, "Tricks", html=trick_document(b), age_hours=2))
    env.deliver(
        make_message(3, "Logo", html='<p>Logo:</p><img src="cid:logo@quay.test">', age_hours=3,
                     inline=[("logo@quay.test", "image/png", PNG)],
                     attachments=[("../../evil.sh", b"#!/bin/sh\necho pwned\n"), ("CON.txt", b"reserved")])
    )  # fmt: skip
    tab = open_tab(qtbot, env)
    yield tab
    tab.shutdown()


def _open(qtbot, tab: MailTab, subject: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=20000)
    row = next(r for r in range(3) if tab.model.index(r, COL_SUBJECT).data() == subject)
    before = tab.view.loaded_documents
    idx = tab.model.index(row, COL_SUBJECT)
    qtbot.mouseClick(tab.list.viewport(), Qt.MouseButton.LeftButton, pos=tab.list.visualRect(idx).center())
    qtbot.waitUntil(lambda: tab.view.message is not None and tab.view.message.subject == subject, timeout=10000)
    qtbot.waitUntil(lambda: tab.view.loaded_documents > before, timeout=10000)


def test_remote_image_blocked_until_load_once(qtbot, probe_tab: MailTab, http_probe: CountingServer) -> None:  # type: ignore[no-untyped-def]
    tab = probe_tab
    _open(qtbot, tab, "Newsletter")
    assert tab.view.remote_bar.isVisible()
    assert "1" in tab.view.remote_label.text()
    qtbot.wait(300)  # a request would have been made during the load; give a straggler time to arrive
    assert http_probe.paths == []
    before = tab.view.loaded_documents
    qtbot.mouseClick(tab.view.load_once_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.view.loaded_documents > before, timeout=10000)
    qtbot.waitUntil(lambda: http_probe.paths == ["/pixel.gif"], timeout=5000)
    qtbot.wait(300)
    assert http_probe.paths == ["/pixel.gif"]
    assert not tab.view.remote_bar.isVisible()


def test_exfiltration_tricks_make_no_request(qtbot, probe_tab: MailTab, http_probe: CountingServer) -> None:  # type: ignore[no-untyped-def]
    tab = probe_tab
    assert len(tricks(http_probe.base)) >= 30
    _open(qtbot, tab, "Tricks")
    qtbot.wait(500)
    assert http_probe.paths == []
    # The renderer alone holds too: the raw, unsanitized tricks rendered straight into the view.
    raw = make_message(9, "Raw tricks", html=trick_document(http_probe.base))
    msg = build_display(99999, raw)
    unsafe = msg.__class__(**{**msg.__dict__, "html": msg.raw_html})
    before = tab.view.loaded_documents
    tab.view.show_message(unsafe)
    qtbot.waitUntil(lambda: tab.view.loaded_documents > before, timeout=10000)
    qtbot.wait(500)
    assert http_probe.paths == []
    # And the interceptor alone: no CSP, the page allowed to reach remote URLs, the document not allowed.
    from PySide6.QtWebEngineCore import QWebEngineSettings

    docs = webengine.engine().documents
    blocked_before = docs.blocked_count
    page = tab.view.web_view.page()
    page.settings().setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
    before = tab.view.loaded_documents
    page.load(docs.add(webengine.Document(trick_document(http_probe.base).encode(), {}, allow_remote=False)))
    qtbot.waitUntil(lambda: tab.view.loaded_documents > before, timeout=10000)
    qtbot.wait(500)
    assert http_probe.paths == []
    assert docs.blocked_count > blocked_before  # it saw the requests and refused them


def test_cid_image_from_the_message_and_safe_attachment_names(  # type: ignore[no-untyped-def]
    qtbot, probe_tab: MailTab, http_probe: CountingServer, tmp_path: Path
) -> None:
    tab = probe_tab
    served = len(webengine.engine().documents.served_parts)
    _open(qtbot, tab, "Logo")
    assert "logo@quay.test" in webengine.engine().documents.served_parts[served:]
    assert not tab.view.remote_bar.isVisible()
    assert http_probe.paths == []
    assert tab.view.attachments.count() == 2
    chosen = tmp_path / "downloads" / "inner"
    chosen.mkdir(parents=True)
    tab.view.ask_directory = lambda: str(chosen)  # what the folder dialog returns
    saved = tab.view.save_all()
    assert sorted(p.name for p in saved) == ["_CON.txt", "evil.sh"]
    for p in saved:
        assert p.parent == chosen and p.resolve().is_relative_to(chosen.resolve())
    assert (chosen / "evil.sh").read_bytes() == b"#!/bin/sh\necho pwned\n"
    downloads = tmp_path / "downloads"
    assert sorted(str(x.relative_to(downloads)) for x in downloads.rglob("*") if x.is_file()) == [
        "inner/_CON.txt",
        "inner/evil.sh",
    ]
