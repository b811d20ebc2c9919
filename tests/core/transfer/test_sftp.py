"""SftpSession against the real OpenSSH sshd fixture: host keys, auth methods, ssh config, transfers."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from pathlib import Path

import pytest

from app.core.errors import AuthError, Cancelled, HostKeyChanged, ServerError, UnknownHostKey
from app.core.transfer.hostkeys import HostKeyStore
from app.core.transfer.sftp import SftpSession
from tests.servers.sshd import SshdServer


def trusted_store(sshd: SshdServer, tmp_path: Path) -> HostKeyStore:
    """A store whose read-only 'user' file is the fixture's known_hosts."""
    return HostKeyStore(tmp_path / "quay_known_hosts", user_files=[sshd.known_hosts_path])


def key_session(sshd: SshdServer, store: HostKeyStore, **kw: object) -> SftpSession:
    return SftpSession(
        sshd.host,
        sshd.port,
        sshd.key_user,
        host_keys=store,
        key_filename=sshd.client_key_path,
        allow_agent=False,
        ssh_config=None,
        **kw,  # type: ignore[arg-type]
    )


def test_unknown_host_key_then_accepted(sshd_server: SshdServer, tmp_path: Path) -> None:
    store = HostKeyStore(tmp_path / "kh", user_files=[])
    s = key_session(sshd_server, store)
    with pytest.raises(UnknownHostKey) as ei:
        s.connect()
    info = ei.value.info
    assert info.fingerprint_sha256 in sshd_server.host_key_fingerprints.values()
    assert info.key_type in sshd_server.host_key_fingerprints
    store.accept(info)
    assert "[127.0.0.1]:" in (tmp_path / "kh").read_text()
    with key_session(sshd_server, HostKeyStore(tmp_path / "kh", user_files=[])) as s2:
        assert s2.home() == str(sshd_server.home(sshd_server.key_user))


def test_accept_fingerprint_option_trusts_matching_key_only(sshd_server: SshdServer, tmp_path: Path) -> None:
    store = HostKeyStore(tmp_path / "kh", user_files=[])
    with pytest.raises(UnknownHostKey):
        key_session(
            sshd_server, store, accept_fingerprint="SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        ).connect()
    fp = sshd_server.host_key_fingerprints["ssh-ed25519"]
    with key_session(sshd_server, store, accept_fingerprint=fp) as s:
        assert s.listdir(s.home()) is not None
    assert store.known_types(sshd_server.host, sshd_server.port) == ["ssh-ed25519"]


def test_password_auth_and_wrong_password(sshd_server: SshdServer, tmp_path: Path) -> None:
    store = trusted_store(sshd_server, tmp_path)
    ok = SftpSession(
        sshd_server.host,
        sshd_server.port,
        sshd_server.password_user,
        sshd_server.password,
        host_keys=store,
        allow_agent=False,
        ssh_config=None,
    )
    with ok:
        assert ok.stat(ok.home()) is not None
    bad = SftpSession(
        sshd_server.host,
        sshd_server.port,
        sshd_server.password_user,
        "wrong",
        host_keys=store,
        allow_agent=False,
        ssh_config=None,
    )
    with pytest.raises(AuthError) as ei:
        bad.connect()
    assert "wrong" not in str(ei.value)


def test_pem_key_with_passphrase(sshd_server: SshdServer, tmp_path: Path) -> None:
    store = trusted_store(sshd_server, tmp_path)
    common = dict(
        host_keys=store, key_filename=sshd_server.client_key_passphrase_path, allow_agent=False, ssh_config=None
    )
    with pytest.raises(AuthError):
        SftpSession(sshd_server.host, sshd_server.port, sshd_server.key_user, **common).connect()  # type: ignore[arg-type]
    s = SftpSession(
        sshd_server.host, sshd_server.port, sshd_server.key_user, passphrase=sshd_server.client_key_passphrase, **common
    )  # type: ignore[arg-type]
    with s:
        assert s.home().endswith(sshd_server.key_user)


def test_ssh_config_alias(sshd_server: SshdServer, tmp_path: Path) -> None:
    cfg = tmp_path / "config"
    cfg.write_text(
        f"Host quaytest\n  HostName {sshd_server.host}\n  Port {sshd_server.port}\n"
        f"  User {sshd_server.key_user}\n  IdentityFile {sshd_server.client_key_path}\n"
    )
    s = SftpSession("quaytest", host_keys=trusted_store(sshd_server, tmp_path), allow_agent=False, ssh_config=cfg)
    assert (s.host, s.port, s.user) == (sshd_server.host, sshd_server.port, sshd_server.key_user)
    with s:
        assert s.home().endswith(sshd_server.key_user)


def test_agent_auth(sshd_server: SshdServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import subprocess

    if shutil.which("ssh-agent") is None:
        pytest.skip("no ssh-agent")
    sock = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if sock.exists():
                break
            threading.Event().wait(0.05)
        env = dict(os.environ, SSH_AUTH_SOCK=str(sock))
        subprocess.run(["ssh-add", str(sshd_server.client_key_path)], env=env, check=True, capture_output=True)
        monkeypatch.setenv("SSH_AUTH_SOCK", str(sock))
        s = SftpSession(
            sshd_server.host,
            sshd_server.port,
            sshd_server.key_user,
            host_keys=trusted_store(sshd_server, tmp_path),
            ssh_config=None,
        )
        with s:
            assert s.home().endswith(sshd_server.key_user)
    finally:
        agent.terminate()
        agent.wait(5)


@pytest.fixture
def sftp(sshd_server: SshdServer, tmp_path: Path) -> SftpSession:
    s = key_session(sshd_server, trusted_store(sshd_server, tmp_path))
    s.connect()
    yield s  # type: ignore[misc]
    s.close()


def test_operations_and_non_ascii_round_trip(sftp: SftpSession, sshd_server: SshdServer) -> None:
    base = f"{sftp.home()}/ops-{os.getpid()}"
    sftp.mkdir(base)
    name = f"{base}/Tiếng Việt – ☃ 日本.bin"
    data = os.urandom(700_000)  # several 255 KiB requests plus a short tail
    assert sftp.upload(io.BytesIO(data), name) == len(data)
    names = [e.name for e in sftp.listdir(base)]
    assert "Tiếng Việt – ☃ 日本.bin" in names
    entry = sftp.stat(name)
    assert entry is not None and entry.size == len(data) and entry.kind == "file"
    out = io.BytesIO()
    seen: list[int] = []
    assert sftp.download(name, out, progress=seen.append) == len(data)
    assert hashlib.sha256(out.getvalue()).digest() == hashlib.sha256(data).digest()
    assert seen and seen[-1] == len(data)
    # resume: offset download and offset upload
    tail = io.BytesIO()
    sftp.download(name, tail, offset=500_000)
    assert tail.getvalue() == data[500_000:]
    part = f"{base}/part.bin"
    sftp.upload(io.BytesIO(data[:300_000]), part)
    sftp.upload(io.BytesIO(data[300_000:]), part, offset=300_000)
    got = io.BytesIO()
    sftp.download(part, got)
    assert got.getvalue() == data
    sftp.set_mtime(part, 1_000_000_000)
    sftp.chmod(part, 0o640)
    st = sftp.stat(part)
    assert st is not None and st.mtime == 1_000_000_000 and st.mode == 0o640
    sftp.rename(part, f"{base}/moved.bin")
    assert sftp.stat(part) is None
    sftp.copy(f"{base}/moved.bin", f"{base}/copy.bin")
    assert (sftp.stat(f"{base}/copy.bin") or entry).size == len(data)
    assert sftp.checksum(name) is None  # OpenSSH has no check-file: callers fall back to size
    with pytest.raises(ServerError):
        sftp.download(f"{base}/missing", io.BytesIO())
    for n in ("moved.bin", "copy.bin", "Tiếng Việt – ☃ 日本.bin"):
        sftp.delete(f"{base}/{n}")
    sftp.rmdir(base)
    assert sftp.stat(base) is None
    sftp.noop()


def test_cancel_download_leaves_session_usable(sftp: SftpSession) -> None:
    path = f"{sftp.home()}/cancel-{os.getpid()}.bin"
    sftp.upload(io.BytesIO(os.urandom(3_000_000)), path)
    cancel = threading.Event()

    def progress(done: int) -> None:
        if done > 600_000:
            cancel.set()

    with pytest.raises(Cancelled):
        sftp.download(path, io.BytesIO(), progress=progress, cancel=cancel)
    assert sftp.stat(path) is not None
    sftp.delete(path)


def test_changed_host_key_refused(sshd_server: SshdServer, tmp_path: Path) -> None:
    """Last in this module: it gives the server new host keys."""
    store = HostKeyStore(tmp_path / "kh", user_files=[])
    fp = sshd_server.host_key_fingerprints["ssh-ed25519"]
    with key_session(sshd_server, store, accept_fingerprint=fp):
        pass
    sshd_server.regenerate_host_keys_and_restart()
    with pytest.raises(HostKeyChanged) as ei:
        key_session(sshd_server, store).connect()
    assert ei.value.known_fingerprint == fp
    # No override: even the new fingerprint given explicitly is refused while the old key is known.
    new_fp = sshd_server.host_key_fingerprints["ssh-ed25519"]
    with pytest.raises(HostKeyChanged):
        key_session(sshd_server, store, accept_fingerprint=new_fp).connect()
    assert store.remove(sshd_server.host, sshd_server.port) == 1
    with key_session(sshd_server, store, accept_fingerprint=new_fp) as s:
        assert s.home()
