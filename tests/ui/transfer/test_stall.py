"""A stalled server never freezes the window: a 50 ms timer keeps firing while a connect and a listing hang.

The fake servers speak real FTP over a socket (a real server cannot be told to hang): one accepts
and never says a word; the other logs the user in normally, then never answers the listing.
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.ui.transfer.files_tab import FilesTab
from app.ui.transfer.remote_model import ListingState


class StalledFtp:
    """Accepts connections on 127.0.0.1; ``after_login`` makes it log in normally and hang on the first listing."""

    def __init__(self, after_login: bool) -> None:
        self.after_login = after_login
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.listing_asked = threading.Event()
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            if self.after_login:
                threading.Thread(target=self._talk, args=(conn,), daemon=True).start()
            # else: say nothing at all

    def _talk(self, conn: socket.socket) -> None:
        f = conn.makefile("rb")
        conn.sendall(b"220 hello\r\n")
        replies = {
            b"USER": b"331 password please\r\n",
            b"PASS": b"230 logged in\r\n",
            b"FEAT": b"211-Features:\r\n MLST type*;size*;modify*;\r\n UTF8\r\n211 End\r\n",
            b"OPTS": b"200 ok\r\n",
            b"TYPE": b"200 ok\r\n",
            b"PWD": b'257 "/" is the current folder\r\n',
        }
        for line in f:
            verb = line.split(b" ")[0].strip().upper()
            if verb in replies:
                conn.sendall(replies[verb])
            else:  # EPSV / PASV / MLSD / LIST ...: never answered
                self.listing_asked.set()
                return

    def close(self) -> None:
        self._stop = True
        self.sock.close()
        for c in self.conns:
            c.close()


@pytest.fixture
def stalled_connect() -> Iterator[StalledFtp]:
    s = StalledFtp(after_login=False)
    yield s
    s.close()


@pytest.fixture
def stalled_listing() -> Iterator[StalledFtp]:
    s = StalledFtp(after_login=True)
    yield s
    s.close()


def _watch_timer(qtbot: QtBot, seconds: float) -> list[float]:
    """Run the event loop for ``seconds`` with a 50 ms timer; return the gaps between its ticks (ms)."""
    from PySide6.QtCore import QTimer

    stamps: list[float] = []
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(lambda: stamps.append(time.perf_counter()))
    timer.start()
    qtbot.waitUntil(lambda: bool(stamps) and stamps[-1] - stamps[0] >= seconds, timeout=int(seconds * 1000) + 5000)
    timer.stop()
    return [(b - a) * 1000 for a, b in itertools.pairwise(stamps)]


def _connect(tab: FilesTab, port: int) -> None:
    bar = tab.quick
    bar.protocol.setCurrentIndex(bar.protocol.findData("ftp"))
    bar.host.setText("127.0.0.1")
    bar.port.setValue(port)
    bar.user.setText("alice")
    bar.password.setText("secret-pw")
    bar.submit()


def test_stalled_connect_keeps_the_window_responsive_and_cancel_works(
    qtbot: QtBot, files_tab: FilesTab, stalled_connect: StalledFtp
) -> None:
    _connect(files_tab, stalled_connect.port)
    pane = files_tab.current_pane()
    assert pane is not None
    qtbot.waitUntil(lambda: bool(stalled_connect.conns), timeout=5000)
    assert pane.model.state == ListingState.LOADING and pane.cancel_button.isVisible()
    gaps = _watch_timer(qtbot, 1.0)
    assert len(gaps) >= 15 and max(gaps) < 150, gaps
    qtbot.mouseClick(pane.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.model.state == ListingState.FAILED and not pane.connection.busy, timeout=3000)
    assert "Cancelled" in pane.model.message
    assert not pane.cancel_button.isVisible()


def test_stalled_listing_keeps_the_window_responsive_and_cancel_works(
    qtbot: QtBot, files_tab: FilesTab, stalled_listing: StalledFtp
) -> None:
    _connect(files_tab, stalled_listing.port)
    pane = files_tab.current_pane()
    assert pane is not None
    qtbot.waitUntil(stalled_listing.listing_asked.is_set, timeout=10000)
    assert pane.model.state == ListingState.LOADING
    gaps = _watch_timer(qtbot, 1.0)
    assert len(gaps) >= 15 and max(gaps) < 150, gaps
    files_tab.cancel_action.trigger()  # the toolbar's "Cancel operation"
    qtbot.waitUntil(lambda: pane.model.state == ListingState.FAILED and not pane.connection.busy, timeout=3000)
    assert "Cancelled" in pane.model.message
    # the hung worker was freed: its socket was shut, so the server sees the connection end
    conn = stalled_listing.conns[-1]
    conn.settimeout(5)
    assert conn.recv(100) == b""
    qtbot.waitUntil(lambda: any("Cancelled by the user" in line for line in files_tab.log.text_lines()), timeout=2000)
