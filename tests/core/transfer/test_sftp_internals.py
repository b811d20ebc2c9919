"""paramiko's private parts that sftp.py relies on for speed: this test fails loudly the day one disappears.

sftp.py builds and parses SFTP packets itself (SFTPClient's request counter,
lock, ``_write_all`` and ``_read_packet``) and swaps a Channel's input buffer
for a faster one (BufferedPipe's lock, condition, event, closed flag and the
``_buffer_frombytes`` hook that ``feed`` calls).  paramiko may rename any of
these in a release; pyproject.toml pins it below its next major version, and
this test names exactly what broke when an upgrade is tried.
"""

from __future__ import annotations

import inspect
import threading

import paramiko
import paramiko.sftp
import pytest
from paramiko.buffered_pipe import BufferedPipe, PipeTimeout

from app.core.transfer.sftp import _ChunkPipe, _install_fast_pipe

SFTP_CONSTANTS = [
    "CMD_ATTRS",
    "CMD_CLOSE",
    "CMD_DATA",
    "CMD_EXTENDED",
    "CMD_EXTENDED_REPLY",
    "CMD_FSETSTAT",
    "CMD_FSTAT",
    "CMD_HANDLE",
    "CMD_OPEN",
    "CMD_READ",
    "CMD_STAT",
    "CMD_STATUS",
    "CMD_WRITE",
    "SFTP_EOF",
    "SFTP_FLAG_CREATE",
    "SFTP_FLAG_READ",
    "SFTP_FLAG_TRUNC",
    "SFTP_FLAG_WRITE",
    "SFTP_OK",
]


def _init_source(cls: type) -> str:
    return inspect.getsource(cls.__init__)  # type: ignore[misc]


@pytest.mark.parametrize("name", SFTP_CONSTANTS)
def test_sftp_protocol_constants(name: str) -> None:
    assert isinstance(getattr(paramiko.sftp, name, None), int), f"paramiko.sftp.{name} is gone: update sftp.py"


def test_sftp_client_private_members() -> None:
    for method in ("_write_all", "_read_packet"):
        assert callable(getattr(paramiko.SFTPClient, method, None)), (
            f"paramiko.SFTPClient.{method} is gone: sftp.py's raw request pipelining (_flush/_read_raw) needs it"
        )
    init = _init_source(paramiko.SFTPClient)
    for attr in ("self.request_number", "self._lock"):
        assert attr in init, f"paramiko.SFTPClient no longer sets {attr}: sftp.py's _next_id needs it"


def test_channel_input_buffer_is_a_buffered_pipe() -> None:
    assert "self.in_buffer = BufferedPipe()" in _init_source(paramiko.Channel), (
        "paramiko.Channel.in_buffer changed: sftp.py's _install_fast_pipe replaces it"
    )


def test_buffered_pipe_members_and_feed_hook() -> None:
    pipe = BufferedPipe()  # type: ignore[var-annotated]
    for attr, kind in (("_lock", type(threading.Lock())), ("_cv", threading.Condition), ("_closed", bool)):
        assert isinstance(getattr(pipe, attr, None), kind), f"BufferedPipe.{attr} changed: _ChunkPipe relies on it"
    assert hasattr(pipe, "_event") and hasattr(pipe._buffer, "tobytes"), "BufferedPipe._event/_buffer changed"
    assert "_buffer_frombytes" in inspect.getsource(BufferedPipe.feed), (
        "BufferedPipe.feed no longer calls _buffer_frombytes: _ChunkPipe would never see data"
    )


def test_fast_pipe_behaves_like_buffered_pipe() -> None:
    """_install_fast_pipe carries pending bytes over, and the new pipe reads, times out and closes the same way."""

    class FakeChannel:
        in_buffer: object

    chan = FakeChannel()
    old = BufferedPipe()  # type: ignore[var-annotated]
    event = threading.Event()
    old.set_event(event)
    old.feed(b"pending ")
    chan.in_buffer = old
    _install_fast_pipe(chan)  # type: ignore[arg-type]
    pipe = chan.in_buffer
    assert isinstance(pipe, _ChunkPipe)
    pipe.feed(b"and new")
    assert len(pipe) == len(b"pending and new") and pipe.read_ready()
    assert pipe.read(4) == b"pend"
    assert pipe.read(100) == b"ing and new"
    assert not event.is_set()  # drained: the channel's select() event is cleared
    with pytest.raises(PipeTimeout):
        pipe.read(1, timeout=0.01)
    pipe.feed(b"xy")
    assert pipe.empty() == b"xy"
    pipe.close()
    assert pipe.read(1) == b""
