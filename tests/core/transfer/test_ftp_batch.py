"""FtpSession's many-small-files path (download_small_files / upload_small_files) and the queue using it.

Against the real pyftpdlib fixture, plain FTP and explicit FTPS (the TLS path
reads each 150 before sending data; the plain path sends STOR's bytes at once).
"""

from __future__ import annotations

import io
import os
import socket
import time
from pathlib import Path

import pytest

from app.core.errors import NetworkError, ServerError
from app.core.protolog import ProtoLog
from app.core.transfer.ftp import FtpSession, Security, kernel_timeout_connect
from app.core.transfer.queue import JobState, TransferQueue
from tests.servers.common import TlsMaterial
from tests.servers.ftp import FtpServer, FtpUser


def _session(server: FtpServer, user: FtpUser, tls: TlsMaterial, security: Security = "none") -> FtpSession:
    port = server.port if security == "none" else server.ftps_port
    return FtpSession(
        server.host,
        port,
        user.name,
        user.password,
        security=security,
        cafile=str(tls.ca_pem),
        timeout=10,
        allow_plaintext=True,
    )


@pytest.mark.parametrize("security", ["none", "explicit"])
def test_download_small_files_with_a_missing_one(
    ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial, security: Security
) -> None:
    blobs = {f"f{i}.bin": os.urandom(100 * i) for i in range(5)}  # f0.bin is empty
    for name, data in blobs.items():
        (ftp_user.home / name).write_bytes(data)
    names = ["f0.bin", "f1.bin", "missing.bin", "f3.bin", "f4.bin", "f2.bin"]
    sinks = [io.BytesIO() for _ in names]
    with _session(ftp_server, ftp_user, tls_material, security) as s:
        out = s.download_small_files([(f"/{n}", f, 0) for n, f in zip(names, sinks, strict=True)])
        assert isinstance(out[2], ServerError) and out[2].code == 550
        for n, sink, err in zip(names, sinks, out, strict=True):
            if n != "missing.bin":
                assert err is None
                assert sink.getvalue() == blobs[n]
        # The control connection is still in step: a normal command works afterwards.
        assert s.size("/f4.bin") == len(blobs["f4.bin"])


@pytest.mark.parametrize("security", ["none", "explicit"])
def test_upload_small_files_sets_mtime_and_reports_sizes(
    ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial, security: Security
) -> None:
    mtime = 1_600_000_000.0
    items: list[tuple[bytes, str, float | None, int | None]] = [
        (os.urandom(5000), "/a.bin", mtime, None),
        (b"", "/empty.bin", mtime, None),
        (b"x" * 10, "/no/such/folder/b.bin", mtime, None),  # refused: the folder does not exist
        (os.urandom(70_000), "/c.bin", None, None),
    ]
    with _session(ftp_server, ftp_user, tls_material, security) as s:
        out = s.upload_small_files(items)
        assert isinstance(out[2], ServerError)
        assert out[0] == 5000 and out[1] == 0 and out[3] == 70_000
        assert s.stat("/a.bin") is not None  # still in step
    assert (ftp_user.home / "a.bin").read_bytes() == items[0][0]
    assert (ftp_user.home / "empty.bin").read_bytes() == b""
    assert (ftp_user.home / "c.bin").read_bytes() == items[3][0]
    assert int((ftp_user.home / "a.bin").stat().st_mtime) == int(mtime)
    assert int((ftp_user.home / "c.bin").stat().st_mtime) != int(mtime)


def test_upload_batch_pipelines_follow_ups(
    ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial, tmp_path: Path
) -> None:
    """The next EPSV goes out in the same write as the previous file's MFMT and SIZE (and before them)."""
    log_path = tmp_path / "proto.log"
    s = FtpSession(
        ftp_server.host,
        ftp_server.port,
        ftp_user.name,
        ftp_user.password,
        timeout=10,
        protolog=ProtoLog(log_path),
        allow_plaintext=True,
    )
    with s:
        out = s.upload_small_files([(b"1", "/p1.bin", 1_600_000_000.0, None), (b"22", "/p2.bin", None, None)])
    assert out == [1, 2]
    sent = [line.split(" C: ", 1)[1] for line in log_path.read_text().splitlines() if " C: " in line]
    i = sent.index("STOR /p1.bin")
    assert sent[i + 1 : i + 5] == ["EPSV", "MFMT 20200913122640 /p1.bin", "SIZE /p1.bin", "STOR /p2.bin"]


def test_batch_in_active_mode_uses_the_general_path(
    ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial
) -> None:
    (ftp_user.home / "x.bin").write_bytes(b"active")
    s = FtpSession(
        ftp_server.host,
        ftp_server.port,
        ftp_user.name,
        ftp_user.password,
        passive=False,
        timeout=10,
        allow_plaintext=True,
    )
    with s:
        sink = io.BytesIO()
        assert s.download_small_files([("/x.bin", sink, 6)]) == [None]
        assert sink.getvalue() == b"active"
        assert s.upload_small_files([(b"up", "/y.bin", None, None)]) == [2]
    assert (ftp_user.home / "y.bin").read_bytes() == b"up"


def testkernel_timeout_connect_times_out_as_os_error() -> None:
    """A silent peer makes recv fail with an OSError after the timeout instead of hanging."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        sock = kernel_timeout_connect(listener.getsockname()[:2], 0.2)
        with sock:
            assert sock.gettimeout() is None  # blocking: no poll(2) before each call
            with pytest.raises(OSError):
                sock.recv(10)


def test_queue_tree_round_trip_over_ftp_batches(ftp_server: FtpServer, ftp_user: FtpUser, tmp_path: Path) -> None:
    """A tree of small files goes up and comes back through the batched path, with mtimes kept."""
    src = tmp_path / "src"
    stamp = time.time() - 86_400
    files: dict[str, bytes] = {}
    for d in range(3):
        (src / f"d{d}").mkdir(parents=True)
        for i in range(40):
            rel = f"d{d}/f{i:02d}.bin"
            files[rel] = os.urandom(i * 37)
            (src / rel).write_bytes(files[rel])
            os.utime(src / rel, (stamp, stamp))

    def factory() -> FtpSession:
        return FtpSession(
            ftp_server.host, ftp_server.port, ftp_user.name, ftp_user.password, timeout=10, allow_plaintext=True
        )

    with TransferQueue(tmp_path / "q.sqlite3", factory, name="up", workers=3) as q:
        q.add_upload_tree(src, "/tree")
        summary = q.run(timeout=120)
        assert summary.ok and summary.done == len(files)
    for rel, data in files.items():
        remote = ftp_user.home / "tree" / rel
        assert remote.read_bytes() == data
        assert int(remote.stat().st_mtime) == int(stamp)
    dst = tmp_path / "dst"
    with TransferQueue(tmp_path / "q.sqlite3", factory, name="down", workers=3) as q:
        q.add_download_tree("/tree", dst)
        summary = q.run(timeout=120)
        assert summary.ok and summary.done == len(files)
        assert all(j.state == JobState.DONE for j in q.jobs())
    for rel, data in files.items():
        assert (dst / rel).read_bytes() == data
        assert int((dst / rel).stat().st_mtime) == int(stamp)
    assert not list(dst.rglob("*.part"))


def test_download_batch_connection_loss_is_network_error(
    ftp_server: FtpServer, ftp_user: FtpUser, tls_material: TlsMaterial
) -> None:
    (ftp_user.home / "z.bin").write_bytes(b"z")
    with _session(ftp_server, ftp_user, tls_material) as s:
        client = s._client
        assert client is not None and client.sock is not None
        client.sock.shutdown(socket.SHUT_RDWR)  # the connection dies under the batch
        with pytest.raises(NetworkError):
            s.download_small_files([("/z.bin", io.BytesIO(), 1)])
        assert not s.connected


def test_silent_server_times_out_on_plain_control_connection() -> None:
    """Kernel-enforced timeouts on the plain control connection: a server that never greets is a NetworkError."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        host, port = listener.getsockname()[:2]
        s = FtpSession(host, port, "u", "p", timeout=0.3, allow_plaintext=True)
        with pytest.raises(NetworkError):
            s.connect()
        assert not s.connected


def test_kernel_timeouts_only_where_the_kernel_reads_a_timeval(
    monkeypatch: pytest.MonkeyPatch, ftp_server: FtpServer, ftp_user: FtpUser
) -> None:
    """Windows (and any kernel not known to read SO_RCVTIMEO as a timeval) gets Python's portable timeouts."""
    from app.core.transfer import ftp

    with socket.create_server(("127.0.0.1", 0)) as listener:
        monkeypatch.setattr(ftp, "KERNEL_TIMEOUTS", False)
        with kernel_timeout_connect(listener.getsockname()[:2], 0.2) as sock:
            assert sock.gettimeout() == 0.2  # Python's timeout, no setsockopt
            with pytest.raises(TimeoutError):
                sock.recv(10)
        # BSD/macOS: connect bounded by Python, then blocking with the kernel timeouts.
        monkeypatch.setattr(ftp, "KERNEL_TIMEOUTS", True)
        monkeypatch.setattr(ftp, "_CONNECT_BOUNDED_BY_SNDTIMEO", False)
        with kernel_timeout_connect(listener.getsockname()[:2], 0.2) as sock:
            assert sock.gettimeout() is None
            with pytest.raises(OSError):
                sock.recv(10)
    # The small-file engine works the same on the portable path.
    monkeypatch.setattr(ftp, "KERNEL_TIMEOUTS", False)
    (ftp_user.home / "w.bin").write_bytes(b"windows")
    with FtpSession(ftp_server.host, ftp_server.port, ftp_user.name, ftp_user.password, timeout=10,
                    allow_plaintext=True) as s:  # fmt: skip
        sink = io.BytesIO()
        assert s.download_small_files([("/w.bin", sink, 7)]) == [None]
        assert sink.getvalue() == b"windows"
        assert s.upload_small_files([(b"up", "/w2.bin", None, None)]) == [2]
