"""FtpSession against the real pyftpdlib fixture: plain FTP, explicit and implicit FTPS, resume, errors."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import AuthError, Cancelled, LocalIOError, NetworkError, ServerError, StartTlsUnavailable, TlsError
from app.core.protolog import ProtoLog
from app.core.transfer.base import NotSupported
from app.core.transfer.ftp import FtpSession, Security, TooManyConnections
from tests.servers.common import TlsMaterial
from tests.servers.ftp import ALICE, ALICE_PASSWORD, PUB_FILES, FtpServer, FtpUser


def _port(server: FtpServer, security: Security) -> int:
    return {"none": server.port, "explicit": server.ftps_port, "implicit": server.ftps_implicit_port}[security]


def _session(
    server: FtpServer, user: FtpUser, tls: TlsMaterial, security: Security = "none", **kw: object
) -> FtpSession:
    return FtpSession(
        server.host,
        _port(server, security),
        user.name,
        user.password,
        security=security,
        cafile=str(tls.ca_pem),
        timeout=10,
        allow_plaintext=True,
        **kw,  # type: ignore[arg-type]
    )


class _VersionedSession(FtpSession):
    """Pins the TLS version so both TLS 1.2 (session ids) and TLS 1.3 (tickets) are exercised."""

    tls_version: ssl.TLSVersion = ssl.TLSVersion.TLSv1_3

    def _tls_context(self) -> ssl.SSLContext:
        ctx = super()._tls_context()
        ctx.minimum_version = ctx.maximum_version = self.tls_version
        return ctx


def _download(session: FtpSession, remote: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    n = session.download(remote, buf, **kw)  # type: ignore[arg-type]
    assert n == len(buf.getvalue())
    return buf.getvalue()


SECURITIES: list[Security] = ["none", "explicit", "implicit"]


@pytest.mark.parametrize("security", SECURITIES)
def test_login_transfer_and_list(
    ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial, security: Security
) -> None:
    payload = os.urandom(300_000)
    progress: list[int] = []
    with _session(ftp_server, ftp_user, tls_material, security) as s:
        assert s.home() == "/"
        assert s.upload(io.BytesIO(payload), "/up.bin", progress=progress.append) == len(payload)
        assert progress and progress[-1] == len(payload)
        assert (ftp_user.home / "up.bin").read_bytes() == payload
        assert _download(s, "/up.bin") == payload
        s.mkdir("/sub")
        entries = {e.name: e for e in s.listdir("/")}
        assert entries["up.bin"].kind == "file" and entries["up.bin"].size == len(payload)
        assert entries["sub"].kind == "dir"
        assert entries["up.bin"].mode == 0o644 or entries["up.bin"].mode is None


def test_list_fallback_when_mlsd_disabled(ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial) -> None:
    (ftp_user.home / "with spaces.txt").write_bytes(b"12345")
    (ftp_user.home / "  leading.txt").write_bytes(b"1")
    (ftp_user.home / "dir").mkdir()
    with _session(ftp_server, ftp_user, tls_material, use_mlsd=False) as s:
        entries = {e.name: e for e in s.listdir("/")}
        assert entries["with spaces.txt"].size == 5 and entries["with spaces.txt"].kind == "file"
        assert entries["with spaces.txt"].raw is not None and entries["with spaces.txt"].raw.startswith("-rw")
        assert "  leading.txt" in entries
        assert entries["dir"].kind == "dir"
        # relative paths still mean "relative to the log-in folder" after the CWD the LIST needed
        assert _download(s, "with spaces.txt") == b"12345"


def test_remote_operations(ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial) -> None:
    with _session(ftp_server, ftp_user, tls_material) as s:
        s.upload(io.BytesIO(b"hello"), "/a.txt")
        s.mkdir("/d")
        st = s.stat("/a.txt")
        assert st is not None and st.kind == "file" and st.size == 5 and st.name == "a.txt"
        d = s.stat("/d")
        assert d is not None and d.kind == "dir"
        assert s.stat("/missing") is None
        assert s.size("/a.txt") == 5
        s.set_mtime("/a.txt", 1_000_000_000)
        assert s.mtime("/a.txt") == 1_000_000_000
        assert (ftp_user.home / "a.txt").stat().st_mtime == 1_000_000_000
        s.chmod("/a.txt", 0o600)
        assert (ftp_user.home / "a.txt").stat().st_mode & 0o777 == 0o600
        s.rename("/a.txt", "/d/b.txt")
        assert (ftp_user.home / "d" / "b.txt").read_bytes() == b"hello"
        with pytest.raises(ServerError) as err:
            s.rmdir("/d")  # not empty
        assert err.value.code == 550
        s.delete("/d/b.txt")
        s.rmdir("/d")
        assert not (ftp_user.home / "d").exists()
        with pytest.raises(ServerError, match="no such file or permission denied") as err:
            _download(s, "/nope.bin")
        assert err.value.code == 550
        s.noop()  # the session survived the error
        assert s.checksum("/x") is None  # pyftpdlib offers no HASH/XSHA256
        with pytest.raises(NotSupported):
            s.copy("/a", "/b")


def test_stat_without_mlst(ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial) -> None:
    (ftp_user.home / "f.bin").write_bytes(b"abc")
    (ftp_user.home / "sub").mkdir()
    with _session(ftp_server, ftp_user, tls_material) as s:
        s.features.pop("MLST")
        f = s.stat("/f.bin")
        assert f is not None and (f.kind, f.size) == ("file", 3) and f.mtime is not None
        d = s.stat("/sub")
        assert d is not None and d.kind == "dir"
        assert s.stat("/none") is None
        assert s.listdir("/")  # LIST fallback when MLST is not offered


def test_active_mode(ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial) -> None:
    with _session(ftp_server, ftp_user, tls_material, passive=False) as s:
        s.upload(io.BytesIO(b"active" * 1000), "/act.bin")
        assert _download(s, "/act.bin") == b"active" * 1000
        assert [e.name for e in s.listdir("/")] == ["act.bin"]


def test_pasv_without_epsv(ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial) -> None:
    with _session(ftp_server, ftp_user, tls_material, epsv=False) as s:
        s.upload(io.BytesIO(b"x" * 10), "/p.bin")
        assert _download(s, "/p.bin") == b"x" * 10
        assert s.last_data_address is not None and s.last_data_address[0] == "127.0.0.1"


def test_ascii_extensions_use_type_a(ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial) -> None:
    text = b"line one\nline two\n" * 50
    log_stream = io.StringIO()
    with _session(
        ftp_server, ftp_user, tls_material, ascii_extensions=(".txt",), protolog=ProtoLog(stream=log_stream)
    ) as s:
        s.upload(io.BytesIO(text), "/notes.txt")
        assert (ftp_user.home / "notes.txt").read_bytes() == text  # pyftpdlib stores os.linesep
        assert _download(s, "/notes.txt") == text
        s.upload(io.BytesIO(text), "/bin.dat")
        assert _download(s, "/bin.dat") == text
    assert "TYPE A" in log_stream.getvalue() and "TYPE I" in log_stream.getvalue()


def test_non_ascii_name_round_trip(ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial) -> None:
    name = "Übergröße – 日本語 ✓.bin"
    with _session(ftp_server, ftp_user, tls_material) as s:
        assert "UTF8" in s.features
        s.upload(io.BytesIO(b"unicode"), f"/{name}")
        assert (ftp_user.home / name).read_bytes() == b"unicode"
        assert name in [e.name for e in s.listdir("/")]
        s.use_mlsd = False
        assert name in [e.name for e in s.listdir("/")]
        assert _download(s, f"/{name}") == b"unicode"


def test_wrong_password_is_auth_error(ftp_server: FtpServer, tls_material: TlsMaterial) -> None:
    s = FtpSession(ftp_server.host, ftp_server.port, ALICE, "wrong", timeout=10, allow_plaintext=True)
    with pytest.raises(AuthError):
        s.connect()
    assert not s.connected


def test_password_never_in_protocol_log(ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial) -> None:
    stream = io.StringIO()
    with _session(ftp_server, ftp_user, tls_material, protolog=ProtoLog(stream=stream)) as s:
        s.listdir("/")
    text = stream.getvalue()
    assert "PASS <redacted>" in text and ftp_user.password not in text
    assert "USER " + ftp_user.name in text


def test_anonymous_is_read_only(ftp_server: FtpServer) -> None:
    with FtpSession(ftp_server.host, ftp_server.port, timeout=10) as s:  # anonymous: no consent needed
        names = {e.name for e in s.listdir("/")}
        assert set(PUB_FILES) <= names
        for name, content in PUB_FILES.items():
            assert _download(s, f"/{name}") == content
        with pytest.raises(ServerError) as err:
            s.upload(io.BytesIO(b"x"), "/evil.txt")
        assert err.value.code == 550
        with pytest.raises(ServerError):
            s.mkdir("/newdir")
        with pytest.raises(ServerError):
            s.delete("/readme.txt")
        s.noop()
    assert not (ftp_server.anonymous_home / "evil.txt").exists()


# --- FTPS ------------------------------------------------------------------------------------

TLS_VERSIONS = [pytest.param(ssl.TLSVersion.TLSv1_2, id="tls1.2"), pytest.param(ssl.TLSVersion.TLSv1_3, id="tls1.3")]


@pytest.mark.parametrize("version", TLS_VERSIONS)
@pytest.mark.parametrize("security", ["explicit", "implicit"])
def test_ftps_with_server_requiring_session_reuse(
    ftp_server_reuse: FtpServer, tls_material: TlsMaterial, security: Security, version: ssl.TLSVersion
) -> None:
    user = ftp_server_reuse.new_user()
    s = _VersionedSession(
        ftp_server_reuse.host,
        _port(ftp_server_reuse, security),
        user.name,
        user.password,
        security=security,
        cafile=str(tls_material.ca_pem),
        timeout=10,
    )
    s.tls_version = version
    with s:
        # several data connections in a row, each resuming the control connection's session
        for i in range(3):
            s.upload(io.BytesIO(b"reuse %d" % i), f"/r{i}.bin")
            assert _download(s, f"/r{i}.bin") == b"reuse %d" % i
        assert sorted(e.name for e in s.listdir("/")) == ["r0.bin", "r1.bin", "r2.bin"]
        assert s.listdir("/") and s.listdir("/")


def test_untrusted_certificate_refused_then_accepted_with_pin(
    ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial
) -> None:
    for security in ("explicit", "implicit"):
        s = FtpSession(
            ftp_server.host,
            _port(ftp_server, security),
            ftp_user.name,
            ftp_user.password,
            security=security,
            timeout=10,
            allow_plaintext=True,
        )
        with pytest.raises(TlsError) as err:
            s.connect()
        cert = err.value.certificate
        assert cert is not None
        assert cert.fingerprint_display == tls_material.fingerprint_sha256()
        pinned = FtpSession(
            ftp_server.host,
            _port(ftp_server, security),
            ftp_user.name,
            ftp_user.password,
            security=security,
            pin=cert.fingerprint_sha256,
            timeout=10,
            allow_plaintext=True,
        )
        with pinned:
            pinned.upload(io.BytesIO(b"pinned"), "/pin.bin")
            assert _download(pinned, "/pin.bin") == b"pinned"
    wrong = FtpSession(
        ftp_server.host,
        ftp_server.ftps_port,
        ftp_user.name,
        ftp_user.password,
        security="explicit",
        pin="ab" * 32,
        allow_plaintext=True,
    )
    with pytest.raises(TlsError, match="no longer the one you accepted"):
        wrong.connect()


def test_explicit_ftps_refused_is_never_downgraded(
    ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial
) -> None:
    # The plain listener answers AUTH TLS with 500: the session must stop, not log in in clear.
    stream = io.StringIO()
    s = FtpSession(
        ftp_server.host,
        ftp_server.port,
        ftp_user.name,
        ftp_user.password,
        security="explicit",
        cafile=str(tls_material.ca_pem),
        protolog=ProtoLog(stream=stream),
        timeout=10,
        allow_plaintext=True,
    )
    with pytest.raises(StartTlsUnavailable):
        s.connect()
    assert "USER" not in stream.getvalue() and "PASS" not in stream.getvalue()


# --- faults ----------------------------------------------------------------------------------


@pytest.fixture
def own_server(tmp_path: Path, tls_material: TlsMaterial) -> Iterator[FtpServer]:
    """A private server the test may kill."""
    with FtpServer(tmp_path / "srv", tls_material, log_level="WARNING") as server:
        yield server


class _KillingWriter(io.BytesIO):
    """A local file that kills the server once the first block has arrived."""

    def __init__(self, server: FtpServer) -> None:
        super().__init__()
        self.server = server

    def write(self, data: object) -> int:
        n = super().write(data)  # type: ignore[arg-type]
        if self.server.running:
            self.server.kill()
        return n


class _KillingReader(io.BytesIO):
    """A local file that kills the server after the first block was read for sending."""

    def __init__(self, data: bytes, server: FtpServer) -> None:
        super().__init__(data)
        self.server = server
        self.reads = 0

    def readinto(self, buf: object) -> int:
        self.reads += 1
        if self.reads == 3 and self.server.running:
            self.server.kill()
        return super().readinto(buf)  # type: ignore[arg-type]


def test_resume_download_after_server_killed(own_server: FtpServer, tls_material: TlsMaterial) -> None:
    payload = os.urandom(24 * 1024 * 1024)
    (own_server.alice.home / "big.bin").write_bytes(payload)
    local = _KillingWriter(own_server)
    s = FtpSession(
        own_server.host, own_server.port, ALICE, ALICE_PASSWORD, timeout=10, block_size=256 * 1024, allow_plaintext=True
    )
    s.connect()
    with pytest.raises(NetworkError):
        s.download("/big.bin", local)
    s.close()
    partial = local.getvalue()
    assert 0 < len(partial) < len(payload)
    own_server.start()
    with FtpSession(own_server.host, own_server.port, ALICE, ALICE_PASSWORD, timeout=10, allow_plaintext=True) as s2:
        rest = io.BytesIO()
        s2.download("/big.bin", rest, offset=len(partial))
    assert hashlib.sha256(partial + rest.getvalue()).digest() == hashlib.sha256(payload).digest()


def test_resume_upload_after_server_killed(own_server: FtpServer, tls_material: TlsMaterial) -> None:
    payload = os.urandom(24 * 1024 * 1024)
    s = FtpSession(
        own_server.host, own_server.port, ALICE, ALICE_PASSWORD, timeout=10, block_size=256 * 1024, allow_plaintext=True
    )
    s.connect()
    with pytest.raises(NetworkError):
        s.upload(_KillingReader(payload, own_server), "/up.bin")
    s.close()
    own_server.start()
    with FtpSession(own_server.host, own_server.port, ALICE, ALICE_PASSWORD, timeout=10, allow_plaintext=True) as s2:
        st = s2.stat("/up.bin")
        offset = st.size if st is not None and st.size is not None else 0
        assert offset < len(payload)
        local = io.BytesIO(payload)
        local.seek(offset)
        s2.upload(local, "/up.bin", offset=offset)
    assert hashlib.sha256((own_server.alice.home / "up.bin").read_bytes()).digest() == hashlib.sha256(payload).digest()


def test_421_too_many_connections(tmp_path: Path, tls_material: TlsMaterial) -> None:
    server = FtpServer(tmp_path / "srv", tls_material, max_cons_per_ip=1, log_level="WARNING")
    with server, FtpSession(server.host, server.port, ALICE, ALICE_PASSWORD, timeout=10, allow_plaintext=True) as first:
        second = FtpSession(server.host, server.port, ALICE, ALICE_PASSWORD, timeout=10, allow_plaintext=True)
        with pytest.raises(TooManyConnections) as err:
            second.connect()
        assert isinstance(err.value, NetworkError)
        assert not second.connected
        first.noop()


def test_cancel_download_and_keep_session(ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial) -> None:
    (ftp_user.home / "c.bin").write_bytes(os.urandom(8 * 1024 * 1024))
    cancel = threading.Event()

    class CancelOnWrite(io.BytesIO):
        def write(self, data: object) -> int:
            cancel.set()
            return super().write(data)  # type: ignore[arg-type]

    with _session(ftp_server, ftp_user, tls_material, block_size=64 * 1024) as s:
        with pytest.raises(Cancelled):
            s.download("/c.bin", CancelOnWrite(), cancel=cancel)
        cancel.clear()
        if not s.connected:
            s.connect()  # the queue reconnects when the abort left the control connection unusable
        s.upload(io.BytesIO(b"after"), "/after.bin")
        assert _download(s, "/after.bin") == b"after"


def test_local_disk_full_is_local_io_error(ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial) -> None:
    (ftp_user.home / "f.bin").write_bytes(os.urandom(2 * 1024 * 1024))

    class FullDisk(io.BytesIO):
        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    with _session(ftp_server, ftp_user, tls_material) as s:
        with pytest.raises(LocalIOError, match="No space left"):
            s.download("/f.bin", FullDisk())
        if not s.connected:
            s.connect()
        s.noop()


def test_keep_alive_only_when_idle(ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial) -> None:
    with _session(ftp_server, ftp_user, tls_material) as s:
        assert s.idle_seconds() >= 0
        assert s.keep_alive(max_idle=3600) is False
        assert s.keep_alive(max_idle=0) is True


@pytest.mark.parametrize("security", ["none", "explicit"])
def test_upload_from_real_file_with_resume(
    ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial, tmp_path: Path, security: Security
) -> None:
    payload = os.urandom(3 * 1024 * 1024 + 7)
    src = tmp_path / "src.bin"
    src.write_bytes(payload)
    with _session(ftp_server, ftp_user, tls_material, security, block_size=1024 * 1024) as s:
        with open(src, "rb") as f:
            assert s.upload(f, "/real.bin") == len(payload)
        assert (ftp_user.home / "real.bin").read_bytes() == payload
        (ftp_user.home / "half.bin").write_bytes(payload[:1_000_000])
        with open(src, "rb") as f:
            f.seek(1_000_000)
            assert s.upload(f, "/half.bin", offset=1_000_000) == len(payload) - 1_000_000
        assert (ftp_user.home / "half.bin").read_bytes() == payload
        dst = tmp_path / "dst.bin"
        with open(dst, "wb") as out:
            out.write(payload[:123_456])
            s.download("/real.bin", out, offset=123_456)
        assert dst.read_bytes() == payload


def test_ascii_upload_crlf_split_across_blocks(
    ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial
) -> None:
    text = b"a" * 8191 + b"\r\n" + b"b\n"
    with _session(ftp_server, ftp_user, tls_material, ascii_extensions=(".txt",), block_size=8192) as s:
        s.upload(io.BytesIO(text), "/split.txt")
    assert (ftp_user.home / "split.txt").read_bytes() == b"a" * 8191 + b"\nb\n"


class _KillOnThirdCheck(threading.Event):
    """A cancel event that is never set but kills the server the third time the transfer loop looks at it."""

    def __init__(self, server: FtpServer) -> None:
        super().__init__()
        self.server = server
        self.checks = 0

    def is_set(self) -> bool:
        self.checks += 1
        if self.checks == 3 and self.server.running:
            self.server.kill()
        return False


def test_resume_upload_from_real_file_after_server_killed(own_server: FtpServer, tmp_path: Path) -> None:
    payload = os.urandom(24 * 1024 * 1024)
    src = tmp_path / "src.bin"
    src.write_bytes(payload)
    s = FtpSession(
        own_server.host, own_server.port, ALICE, ALICE_PASSWORD, timeout=10, block_size=256 * 1024, allow_plaintext=True
    )
    s.connect()
    with open(src, "rb") as f, pytest.raises(NetworkError):
        s.upload(f, "/z.bin", cancel=_KillOnThirdCheck(own_server))
    s.close()
    own_server.start()
    with (
        FtpSession(own_server.host, own_server.port, ALICE, ALICE_PASSWORD, timeout=10, allow_plaintext=True) as s2,
        open(src, "rb") as f,
    ):
        st = s2.stat("/z.bin")
        offset = st.size if st is not None and st.size is not None else 0
        f.seek(offset)
        s2.upload(f, "/z.bin", offset=offset)
    assert hashlib.sha256((own_server.alice.home / "z.bin").read_bytes()).digest() == hashlib.sha256(payload).digest()
