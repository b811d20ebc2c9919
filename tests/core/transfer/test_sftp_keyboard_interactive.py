"""Keyboard-interactive authentication against a real sshd that offers only that (PAM) for passwords."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import AuthError
from app.core.transfer.hostkeys import HostKeyStore
from app.core.transfer.sftp import SftpSession
from tests.servers.common import is_root
from tests.servers.sshd import SshdServer


@pytest.fixture(scope="module")
def kbd_sshd() -> Iterator[SshdServer]:
    if not is_root():
        pytest.skip("sshd with real system users needs root")
    server = SshdServer(password_user="quaykbd1", key_user="quaykbdk", keyboard_interactive=True)
    server.start()
    yield server
    server.stop()


def _session(sshd: SshdServer, password: str, tmp_path: Path) -> SftpSession:
    store = HostKeyStore(tmp_path / "known_hosts", user_files=[sshd.known_hosts_path])
    return SftpSession(
        sshd.host, sshd.port, sshd.password_user, password, host_keys=store, allow_agent=False, ssh_config=None
    )


def test_keyboard_interactive_login_and_transfer(kbd_sshd: SshdServer, tmp_path: Path) -> None:
    with _session(kbd_sshd, kbd_sshd.password, tmp_path) as s:
        home = s.home()
        s.upload(io.BytesIO(b"xin chao"), f"{home}/kbd.txt")
        out = io.BytesIO()
        s.download(f"{home}/kbd.txt", out)
        assert out.getvalue() == b"xin chao"
        s.delete(f"{home}/kbd.txt")


def test_keyboard_interactive_wrong_password(kbd_sshd: SshdServer, tmp_path: Path) -> None:
    with pytest.raises(AuthError) as err:
        _session(kbd_sshd, "not-the-password", tmp_path).connect()
    assert "keyboard-interactive" in str(err.value)
    assert "not-the-password" not in str(err.value)
