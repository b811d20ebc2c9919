"""The TFTP fixture (tftpd-hpa) serves downloads and accepts uploads."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.servers.tftp import TftpError, TftpServer, tftp_get, tftp_put


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}.bin"


@pytest.mark.parametrize("blksize", [None, 1428, 8192])
def test_get(tftp_server: TftpServer, blksize: int | None) -> None:
    name = _name("get")
    data = os.urandom(70_000)
    (tftp_server.root / name).write_bytes(data)
    assert tftp_get(tftp_server.host, tftp_server.port, name, blksize=blksize) == data


@pytest.mark.parametrize("size", [0, 512, 1000, 65_536 * 2])
def test_put_creates_file(tftp_server: TftpServer, size: int) -> None:
    name = _name("put")
    data = os.urandom(size)
    tftp_put(tftp_server.host, tftp_server.port, name, data)
    assert (tftp_server.root / name).read_bytes() == data


def test_put_with_blksize_into_subdir(tftp_server: TftpServer) -> None:
    (tftp_server.root / "incoming").mkdir(exist_ok=True)
    name = f"incoming/{_name('sub')}"
    data = os.urandom(50_000)
    tftp_put(tftp_server.host, tftp_server.port, name, data, blksize=4096)
    assert (tftp_server.root / name).read_bytes() == data
    assert tftp_get(tftp_server.host, tftp_server.port, name) == data


def test_missing_file_is_an_error(tftp_server: TftpServer) -> None:
    with pytest.raises(TftpError) as err:
        tftp_get(tftp_server.host, tftp_server.port, "does-not-exist.bin")
    assert err.value.code == 1  # File not found


def test_cannot_escape_root(tftp_server: TftpServer) -> None:
    with pytest.raises(TftpError):
        tftp_get(tftp_server.host, tftp_server.port, "../../../../etc/passwd")


@pytest.mark.skipif(shutil.which("tftp") is None, reason="tftp-hpa client not installed")
def test_debian_tftp_client(tftp_server: TftpServer, tmp_path: Path) -> None:
    name = _name("cli")
    data = os.urandom(30_000)
    (tftp_server.root / name).write_bytes(data)
    local = tmp_path / "got.bin"
    cmd = ["tftp", "-m", "binary", tftp_server.host, str(tftp_server.port), "-c", "get", name, str(local)]
    subprocess.run(cmd, check=True, timeout=30, capture_output=True)
    assert local.read_bytes() == data

    up = tmp_path / "up.bin"
    up.write_bytes(data[::-1])
    put_name = _name("cli-put")
    cmd = ["tftp", "-m", "binary", tftp_server.host, str(tftp_server.port), "-c", "put", str(up), put_name]
    subprocess.run(cmd, check=True, timeout=30, capture_output=True)
    assert (tftp_server.root / put_name).read_bytes() == data[::-1]
