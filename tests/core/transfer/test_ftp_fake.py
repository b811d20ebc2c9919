"""Faults pyftpdlib cannot produce, from a fake FTP server speaking the real protocol on loopback.

* a malicious listing full of traversal names: nothing may be written outside the chosen folder;
* a PASV reply naming a foreign address: the data connection must go to the control peer instead;
* server-side checksums (HASH / XSHA256), which pyftpdlib does not implement.
"""

from __future__ import annotations

import hashlib
import io
import ipaddress
import os
import posixpath
import socket
from pathlib import Path

import pytest

from app.core.errors import ProtocolError, UnsafePathError
from app.core.transfer.base import RemoteSession
from app.core.transfer.ftp import FtpSession, RemoteNoSpace
from app.core.transfer.localpaths import local_path_for
from tests.core.transfer.fake_ftp import FakeFtpConfig, fake_ftp

EVIL_NAMES = [
    "../../etc/evil",
    "..\\x",
    "C:\\x",
    "a/b",
    "\u2025\u2215x",
    "/abs/olute",
    "\uff0e\uff0e\uff0fup",
    "x\x00y",
]
REWRITTEN = {"CON": "_CON", "x\u2215y": "x_y", " lead": " lead", "ok.txt": "ok.txt", "q?.txt": "q_.txt"}


def download_tree(session: RemoteSession, remote_dir: str, local_root: Path) -> tuple[list[Path], list[str]]:
    """Download ``remote_dir`` recursively into ``local_root`` through localpaths; return (written, refused names)."""
    written: list[Path] = []
    refused: list[str] = []
    for entry in session.listdir(remote_dir):
        try:
            target = local_path_for(local_root, entry.name)
        except UnsafePathError:
            refused.append(entry.name)
            continue
        remote = posixpath.join(remote_dir, entry.name)
        if entry.kind == "dir":
            target.mkdir(exist_ok=True)
            sub_written, sub_refused = download_tree(session, remote, target)
            written += sub_written
            refused += sub_refused
        elif entry.kind == "file":
            with open(target, "wb") as f:
                session.download(remote, f)
            written.append(target)
    return written, refused


def _mlsd_line(name: str, kind: str = "file", size: int = 4) -> str:
    return f"type={kind};size={size};modify=20240101000000; {name}"


def _list_line(name: str, kind: str = "-", size: int = 4) -> str:
    return f"{kind}rw-r--r--   1 ftp      ftp      {size:>8} Jan 01  2024 {name}"


def _all_files(root: Path) -> set[Path]:
    return {Path(dirpath) / f for dirpath, _, files in os.walk(root) for f in files}


@pytest.mark.parametrize("mlsd", [True, False], ids=["mlsd", "list"])
def test_malicious_listing_cannot_escape_target(tmp_path: Path, mlsd: bool) -> None:
    names = EVIL_NAMES + list(REWRITTEN)
    fmt = _mlsd_line if mlsd else _list_line
    cfg = FakeFtpConfig(
        listing_lines=[fmt(n) for n in names if "\x00" not in n or mlsd]
        + [fmt("sub", "dir" if mlsd else "d"), fmt(".."), fmt(".")],
        mlsd=mlsd,
        files={posixpath.join("/", n): b"evil" for n in names},
    )
    cfg.dirs["/sub"] = [fmt(n) for n in ["../../../escape", "inner.txt"]]
    cfg.files["/sub/inner.txt"] = b"evil"
    cfg.files["/sub/../../../escape"] = b"evil"
    target = tmp_path / "target"
    target.mkdir()
    (tmp_path / "sentinel").write_text("untouched")
    before = _all_files(tmp_path)
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        written, refused = download_tree(s, "/", target)
    real_target = Path(os.path.realpath(target))
    assert all(real_target in p.parents for p in written)
    assert {p.name for p in written} == set(REWRITTEN.values()) | {"inner.txt"}
    assert set(refused) >= {n for n in EVIL_NAMES if "\x00" not in n} | {"../../../escape"}
    # nothing new anywhere outside the target; the sentinel is intact
    after = _all_files(tmp_path)
    assert {p for p in after - before if real_target not in Path(os.path.realpath(p)).parents} == set()
    assert (tmp_path / "sentinel").read_text() == "untouched"
    # and the evil names were never even requested
    assert not [c for c in server.commands if c.startswith("RETR") and ".." in c]


def test_pasv_foreign_address_is_replaced_by_control_peer() -> None:
    cfg = FakeFtpConfig(
        listing_lines=[_mlsd_line("f.bin")], epsv=False, pasv_address="10.1.2.3", files={"/f.bin": b"data"}
    )
    attempted: list[tuple[str, int]] = []

    def loopback_only(address: tuple[str, int], timeout: float) -> socket.socket:
        attempted.append(address)
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise OSError("test refuses to connect to a non-loopback address")
        return socket.create_connection(address, timeout=timeout)

    with (
        fake_ftp(cfg) as server,
        FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, connect=loopback_only, allow_plaintext=True) as s,
    ):
        assert [e.name for e in s.listdir("/")] == ["f.bin"]
        buf = io.BytesIO()
        s.download("/f.bin", buf)
        assert buf.getvalue() == b"data"
        assert s.last_data_address is not None and s.last_data_address[0] == "127.0.0.1"
    assert "PASV" in server.commands and "EPSV" not in server.commands
    assert attempted and all(addr[0] == "127.0.0.1" for addr in attempted)


def test_epsv_used_when_offered() -> None:
    cfg = FakeFtpConfig(listing_lines=[_mlsd_line("f.bin")], epsv=True, pasv_address="10.9.9.9")
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        s.listdir("/")
    assert "EPSV" in server.commands and "PASV" not in server.commands


def test_unknown_listing_lines_are_kept_as_raw_names() -> None:
    cfg = FakeFtpConfig(listing_lines=["total 3", _list_line("good"), "?? something odd ??"], mlsd=False)
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        entries = s.listdir("/")
    assert [(e.name, e.kind) for e in entries] == [("good", "file"), ("?? something odd ??", "other")]


def test_checksum_via_hash_and_xsha256() -> None:
    digest = hashlib.sha256(b"data").hexdigest()
    cfg = FakeFtpConfig(
        extra_features=["HASH SHA-1;SHA-256*;MD5"],
        replies={"HASH": f"213 SHA-256 0-3 {digest.upper()} f.bin"},
    )
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        assert s.checksum("/f.bin") == ("sha256", digest)
    assert "OPTS HASH SHA-256" in server.commands
    cfg = FakeFtpConfig(extra_features=["XSHA256", "XMD5"], replies={"XSHA256": f"213 {digest}"})
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        assert s.checksum("/f.bin") == ("sha256", digest)


def test_no_space_on_store_is_remote_no_space() -> None:
    cfg = FakeFtpConfig(replies={"STOR": "552 Disk quota exceeded"})
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        with pytest.raises(RemoteNoSpace) as err:
            s.upload(io.BytesIO(b"x"), "/f.bin")
        assert err.value.code == 552
        s.noop()


def test_no_space_mid_upload_is_remote_no_space() -> None:
    cfg = FakeFtpConfig(stor_fail_after=100_000)
    with (
        fake_ftp(cfg) as server,
        FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s,
        pytest.raises(RemoteNoSpace),
    ):
        s.upload(io.BytesIO(os.urandom(8 * 1024 * 1024)), "/big.bin")


def test_resume_upload_falls_back_to_appe_when_rest_refused() -> None:
    cfg = FakeFtpConfig(files={"/f.bin": b"hello "}, replies={"REST": "502 REST not implemented"})
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        local = io.BytesIO(b"hello world")
        local.seek(6)
        assert s.upload(local, "/f.bin", offset=6) == 5
    assert cfg.files["/f.bin"] == b"hello world"
    assert "APPE /f.bin" in server.commands


def test_resume_upload_with_rest_and_download_with_rest() -> None:
    cfg = FakeFtpConfig(files={"/f.bin": b"hello XXXXX"})
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        local = io.BytesIO(b"hello world")
        local.seek(6)
        s.upload(local, "/f.bin", offset=6)
        assert cfg.files["/f.bin"] == b"hello world"
        buf = io.BytesIO()
        s.download("/f.bin", buf, offset=6)
        assert buf.getvalue() == b"world"
    assert server.commands.count("REST 6") == 2


def test_line_breaks_in_names_never_reach_the_server() -> None:
    cfg = FakeFtpConfig()
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        with pytest.raises(ProtocolError):
            s.delete("/x\r\nDELE /important")
        with pytest.raises(ProtocolError):
            s.download("/x\nRMD /", io.BytesIO())
        s.noop()
    assert not [c for c in server.commands if c.startswith(("DELE", "RMD", "RETR"))]


def test_ipv6_always_uses_epsv() -> None:
    try:
        socket.create_server(("::1", 0), family=socket.AF_INET6).close()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    cfg = FakeFtpConfig(host="::1", listing_lines=[_mlsd_line("v6.bin")], advertise_epsv=False)
    with fake_ftp(cfg) as server, FtpSession("::1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        assert [e.name for e in s.listdir("/")] == ["v6.bin"]
        assert s.last_data_address is not None and s.last_data_address[0] == "::1"
    assert "EPSV" in server.commands and "PASV" not in server.commands


def test_encoding_override_skips_utf8_and_round_trips_bytes() -> None:
    name_cp1251 = "Привет.txt".encode("cp1251").decode("utf-8", "surrogateescape")
    cfg = FakeFtpConfig(listing_lines=[_mlsd_line(name_cp1251)], files={"/" + name_cp1251: b"cyrillic"})
    with (
        fake_ftp(cfg) as server,
        FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, encoding="cp1251", allow_plaintext=True) as s,
    ):
        entries = s.listdir("/")
        assert [e.name for e in entries] == ["Привет.txt"]
        buf = io.BytesIO()
        s.download("/Привет.txt", buf)
        assert buf.getvalue() == b"cyrillic"
    assert not [c for c in server.commands if c.startswith("OPTS UTF8")]


def test_undecodable_names_survive_a_round_trip() -> None:
    raw_name = b"caf\xe9.txt".decode("utf-8", "surrogateescape")  # latin-1 bytes on a UTF-8 session
    cfg = FakeFtpConfig(listing_lines=[_mlsd_line(raw_name)], files={"/" + raw_name: b"bytes"})
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        (entry,) = s.listdir("/")
        assert entry.name == raw_name
        buf = io.BytesIO()
        s.download("/" + entry.name, buf)
        assert buf.getvalue() == b"bytes"
    assert "OPTS UTF8 ON" in server.commands


# --- limits on what a hostile server can make us hold in memory (issue 9, item 10) -----------------------


def test_overlong_reply_line_is_a_protocol_error_naming_the_limit() -> None:
    cfg = FakeFtpConfig(replies={"NOOP": "200 " + "x" * 20_000})
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        with pytest.raises(ProtocolError, match="reply line longer than the limit of 8192 bytes"):
            s.noop()
        assert not s.connected  # the rest of that line is unread: the session starts afresh


def test_endless_multi_line_reply_is_cut_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core.transfer.ftp import MAX_REPLY_BYTES

    lines = MAX_REPLY_BYTES // 10 + 10
    huge = "211-status follows\r\n" + " 123456789\r\n" * lines + "211 End"
    cfg = FakeFtpConfig(replies={"SITE": huge})
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        with pytest.raises(ProtocolError, match=f"multi-line reply longer than the limit of {MAX_REPLY_BYTES} bytes"):
            s.site("HELP")
        assert not s.connected


def test_overlong_feat_at_log_in_is_not_swallowed() -> None:
    """FEAT failing is normally ignored (old servers); a limit hit there must still surface, clearly."""
    cfg = FakeFtpConfig(replies={"FEAT": "211-Features:\r\n" + " X" * 5000 + "\r\n211 End"})
    with fake_ftp(cfg) as server:
        s = FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True)
        with pytest.raises(ProtocolError, match="limit of 8192 bytes"):
            s.connect()
        assert not s.connected


@pytest.mark.parametrize("mlsd", [True, False])
def test_overlong_listing_line_is_refused(mlsd: bool) -> None:
    name = "n" * 100_000
    line = f"type=file;size=1; {name}" if mlsd else f"-rw-r--r-- 1 u g 1 Jan 01 2020 {name}"
    cfg = FakeFtpConfig(
        listing_lines=["type=file;size=1; ok.txt" if mlsd else "-rw-r--r-- 1 u g 1 Jan 01 2020 ok", line], mlsd=mlsd
    )
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        with pytest.raises(ProtocolError, match="listing line is longer than the limit of 65536 bytes"):
            s.listdir("/")
        assert not s.connected


def test_listing_larger_than_the_limit_is_refused() -> None:
    cfg = FakeFtpConfig(listing_lines=[f"type=file;size={i}; file-{i:06d}.txt" for i in range(5000)])
    with fake_ftp(cfg) as server, FtpSession("127.0.0.1", server.port, "u", "p", timeout=10, allow_plaintext=True) as s:
        assert len(s.listdir("/")) == 5000  # ~180 KB: fine under the default limit
        s.max_listing_bytes = 100_000
        with pytest.raises(ProtocolError, match="listing is larger than the limit of 100000 bytes"):
            s.listdir("/")
