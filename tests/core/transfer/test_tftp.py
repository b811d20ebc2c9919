"""TftpSession against the real tftpd-hpa fixture, plus a fake UDP peer for lost packets and refused options."""

from __future__ import annotations

import io
import os
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import NetworkError, ServerError
from app.core.transfer.base import NotSupported
from app.core.transfer.tftp import (
    OP_ACK,
    OP_DATA,
    OP_ERROR,
    OP_OACK,
    OP_RRQ,
    OP_WRQ,
    TftpError,
    TftpSession,
    build_request,
    parse_error,
    parse_oack,
)
from tests.servers.tftp import TftpServer


def _get(session: TftpSession, name: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    n = session.download(name, buf, **kw)  # type: ignore[arg-type]
    assert n == len(buf.getvalue())
    return buf.getvalue()


@pytest.mark.parametrize("blksize", [None, 1468, 8192])
def test_put_then_get(tftp_server: TftpServer, blksize: int | None) -> None:
    payload = os.urandom(40_000)
    name = f"rt-{blksize}.bin"
    progress: list[int] = []
    with TftpSession(tftp_server.host, tftp_server.port, blksize=blksize, timeout=2) as s:
        assert s.upload(io.BytesIO(payload), name, progress=progress.append) == len(payload)
        assert progress[-1] == len(payload)
        assert (tftp_server.root / name).read_bytes() == payload
        if blksize:
            assert s.last_options.get("blksize") == str(blksize)
        assert _get(s, name) == payload
        if blksize:
            assert s.last_options.get("blksize") == str(blksize)
        assert s.last_options.get("tsize") == str(len(payload))


def test_exact_multiple_of_block_size_ends_with_empty_block(tftp_server: TftpServer) -> None:
    payload = os.urandom(1024 * 4)
    with TftpSession(tftp_server.host, tftp_server.port, blksize=1024, timeout=2) as s:
        s.upload(io.BytesIO(payload), "exact.bin")
        assert (tftp_server.root / "exact.bin").read_bytes() == payload
        assert _get(s, "exact.bin") == payload
        s.upload(io.BytesIO(b""), "empty.bin")
        assert _get(s, "empty.bin") == b""


def test_upload_from_real_file_sends_tsize(tftp_server: TftpServer, tmp_path: object) -> None:
    path = os.path.join(str(tmp_path), "local.bin")
    with open(path, "wb") as f:
        f.write(b"z" * 3000)
    with TftpSession(tftp_server.host, tftp_server.port, timeout=2) as s, open(path, "rb") as f:
        s.upload(f, "sized.bin")
        assert s.last_options.get("tsize") == "3000"


def test_file_not_found(tftp_server: TftpServer) -> None:
    with TftpSession(tftp_server.host, tftp_server.port, timeout=2) as s:
        with pytest.raises(TftpError) as err:
            _get(s, "does-not-exist.bin")
        assert err.value.tftp_code == 1
        assert isinstance(err.value, ServerError)
        assert "file not found" in str(err.value).lower()


def test_stat_offset_and_unsupported(tftp_server: TftpServer) -> None:
    (tftp_server.root / "st.bin").write_bytes(b"0123456789")
    with TftpSession(tftp_server.host, tftp_server.port, timeout=2) as s:
        st = s.stat("st.bin")
        assert st is not None and st.size == 10 and st.kind == "file" and st.name == "st.bin"
        assert s.stat("missing.bin") is None
        assert _get(s, "st.bin", offset=4) == b"456789"
        with pytest.raises(NotSupported):
            s.listdir("/")
        with pytest.raises(NotSupported):
            s.upload(io.BytesIO(b"x"), "st.bin", offset=3)
        with pytest.raises(NotSupported):
            s.mkdir("d")


def test_no_answer_is_network_error() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        s = TftpSession("127.0.0.1", silent.getsockname()[1], timeout=0.05, retries=2)
        with pytest.raises(NetworkError, match="no answer"):
            _get(s, "x")
        # our RRQ was retransmitted on every timeout
        silent.settimeout(1)
        requests = [silent.recv(1000) for _ in range(3)]
        assert all(r[:2] == struct.pack("!H", OP_RRQ) for r in requests)


# --- fake peer: lost packets, refused options ---------------------------------------------------

Behaviour = Callable[[socket.socket, bytes, tuple[str, int]], None]


@contextmanager
def fake_tftp(
    behaviour: Behaviour | list[Behaviour], *, ignore_first_request: bool = False
) -> Iterator[tuple[int, list[bytes]]]:
    """A UDP peer on loopback: for each request, runs the next behaviour on a new socket (a new TID)."""
    behaviours = behaviour if isinstance(behaviour, list) else [behaviour]
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(5)
    requests: list[bytes] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for i, serve in enumerate(behaviours):
                req, client = listener.recvfrom(2000)
                requests.append(req)
                if ignore_first_request and i == 0:
                    req, client = listener.recvfrom(2000)  # the client's retransmission
                    requests.append(req)
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tid:
                    tid.bind(("127.0.0.1", 0))
                    tid.settimeout(5)
                    serve(tid, req, client)
        except BaseException as e:  # reported by the test
            errors.append(e)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    try:
        yield listener.getsockname()[1], requests
    finally:
        t.join(10)
        listener.close()
    if errors:
        raise errors[0]


def _recv_op(sock: socket.socket) -> tuple[int, bytes]:
    packet, _ = sock.recvfrom(70000)
    return struct.unpack("!H", packet[:2])[0], packet


def _expect_ack(sock: socket.socket, block: int) -> None:
    """Read until ACK ``block``; older ACKs (the client's legitimate retransmissions under load) are skipped."""
    while True:
        op, pkt = _recv_op(sock)
        got = struct.unpack("!H", pkt[2:4])[0]
        if op == OP_ACK and got == block:
            return
        assert op == OP_ACK and got < block, f"unexpected packet {pkt[:4]!r} while waiting for ACK {block}"


def test_get_survives_lost_request_and_lost_ack() -> None:
    content = b"A" * 512 + b"B" * 100

    def serve(tid: socket.socket, req: bytes, client: tuple[str, int]) -> None:
        assert req[:2] == struct.pack("!H", OP_RRQ)
        tid.sendto(struct.pack("!HH", OP_DATA, 1) + content[:512], client)
        _expect_ack(tid, 1)
        # pretend ACK 1 was lost: send DATA 1 again; the client must re-ACK it and not write it twice
        tid.sendto(struct.pack("!HH", OP_DATA, 1) + content[:512], client)
        _expect_ack(tid, 1)
        tid.sendto(struct.pack("!HH", OP_DATA, 2) + content[512:], client)
        _expect_ack(tid, 2)

    with fake_tftp(serve, ignore_first_request=True) as (port, requests):
        s = TftpSession("127.0.0.1", port, blksize=None, timeout=0.2, retries=5, tsize=False, negotiate_timeout=False)
        assert _get(s, "f") == content
    assert len(requests) == 2 and requests[0] == requests[1]


def test_get_retransmits_ack_when_next_data_does_not_come() -> None:
    content = b"x" * 600

    def serve(tid: socket.socket, req: bytes, client: tuple[str, int]) -> None:
        tid.sendto(struct.pack("!HH", OP_DATA, 1) + content[:512], client)
        _expect_ack(tid, 1)
        # "lose" that ACK: wait for the client's retransmitted ACK 1 before sending DATA 2
        _expect_ack(tid, 1)
        tid.sendto(struct.pack("!HH", OP_DATA, 2) + content[512:], client)
        _expect_ack(tid, 2)

    with fake_tftp(serve) as (port, _):
        s = TftpSession("127.0.0.1", port, blksize=None, timeout=0.2, tsize=False, negotiate_timeout=False)
        assert _get(s, "f") == content


def test_put_retransmits_lost_data_and_ignores_duplicate_ack() -> None:
    payload = b"P" * 700
    received = bytearray()

    def serve(tid: socket.socket, req: bytes, client: tuple[str, int]) -> None:
        assert req[:2] == struct.pack("!H", OP_WRQ)
        tid.sendto(struct.pack("!HH", OP_ACK, 0), client)
        op, pkt = _recv_op(tid)  # DATA 1: "lost", not acknowledged
        assert (op, pkt[2:4]) == (OP_DATA, b"\0\1")
        op, pkt = _recv_op(tid)  # the client's retransmission
        assert (op, pkt[2:4]) == (OP_DATA, b"\0\1")
        received.extend(pkt[4:])
        tid.sendto(struct.pack("!HH", OP_ACK, 1), client)
        tid.sendto(struct.pack("!HH", OP_ACK, 1), client)  # duplicate: must not trigger a second DATA 2
        op, pkt = _recv_op(tid)
        assert (op, pkt[2:4]) == (OP_DATA, b"\0\2")
        received.extend(pkt[4:])
        tid.settimeout(0.1)  # shorter than the client's retransmission timeout
        with pytest.raises(TimeoutError):
            tid.recvfrom(2000)  # no sorcerer's-apprentice duplicate DATA 2
        tid.sendto(struct.pack("!HH", OP_ACK, 2), client)

    with fake_tftp(serve) as (port, _):
        # a long retransmission timeout, so a legitimate resend cannot be mistaken for a duplicate
        s = TftpSession("127.0.0.1", port, blksize=None, timeout=1.0, retries=5, tsize=False, negotiate_timeout=False)
        assert s.upload(io.BytesIO(payload), "up") == len(payload)
    assert bytes(received) == payload


def test_options_refused_retries_without_options() -> None:
    def refuse(tid: socket.socket, req: bytes, client: tuple[str, int]) -> None:
        tid.sendto(struct.pack("!HH", OP_ERROR, 8) + b"no options\0", client)

    def serve_plain(tid: socket.socket, req: bytes, client: tuple[str, int]) -> None:
        tid.sendto(struct.pack("!HH", OP_DATA, 1) + b"plain", client)
        _recv_op(tid)

    with fake_tftp([refuse, serve_plain]) as (port, requests):
        s = TftpSession("127.0.0.1", port, blksize=1024, timeout=0.5)
        assert _get(s, "f") == b"plain"
    assert b"blksize" in requests[0] and b"blksize" not in requests[1]


def test_oack_blksize_larger_than_asked_is_protocol_error() -> None:
    def serve(tid: socket.socket, req: bytes, client: tuple[str, int]) -> None:
        tid.sendto(struct.pack("!H", OP_OACK) + b"blksize\x009000\x00", client)
        tid.settimeout(0.3)
        try:
            tid.recvfrom(100)
        except TimeoutError:
            pass

    with fake_tftp(serve) as (port, _):
        s = TftpSession("127.0.0.1", port, blksize=1024, timeout=0.5)
        with pytest.raises(ServerError, match="blksize 9000"):
            _get(s, "f")


def test_remote_error_codes() -> None:
    def serve(tid: socket.socket, req: bytes, client: tuple[str, int]) -> None:
        tid.sendto(struct.pack("!HH", OP_ERROR, 2) + b"Permission denied\0", client)

    with fake_tftp(serve) as (port, _):
        with pytest.raises(TftpError, match="access violation") as err:
            _get(TftpSession("127.0.0.1", port, timeout=0.5), "f")
        assert err.value.tftp_code == 2


# --- parsers ------------------------------------------------------------------------------------

_opt_names = st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True)


@settings(deadline=None)
@given(name=st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), min_size=1, max_size=50),
       options=st.dictionaries(_opt_names, st.integers(0, 2**31), max_size=4))  # fmt: skip
def test_request_round_trip(name: str, options: dict[str, int]) -> None:
    packet = build_request(OP_RRQ, name, "octet", options)
    assert packet[:2] == struct.pack("!H", OP_RRQ)
    fields = packet[2:].split(b"\0")
    assert fields[0].decode("utf-8") == name and fields[1] == b"octet"
    assert parse_oack(b"\0".join(fields[2:])) == {k: str(v) for k, v in options.items()}


@settings(deadline=None)
@given(payload=st.binary(max_size=200))
def test_oack_and_error_parsers_never_crash(payload: bytes) -> None:
    parse_oack(payload)
    code, message = parse_error(struct.pack("!H", OP_ERROR) + payload)
    assert 0 <= code <= 0xFFFF and isinstance(message, str)


class _LossySocket(socket.socket):
    """A UDP socket that silently drops the first outgoing packet with a given opcode."""

    drop_opcode = OP_DATA

    def __init__(self, family: int) -> None:
        super().__init__(family, socket.SOCK_DGRAM)
        self.dropped = 0

    def sendto(self, data: bytes, *args: object) -> int:  # type: ignore[override]
        if not self.dropped and data[:2] == struct.pack("!H", self.drop_opcode):
            self.dropped += 1
            return len(data)
        return super().sendto(data, *args)  # type: ignore[arg-type]


@pytest.mark.parametrize("drop", [OP_DATA, OP_ACK], ids=["put-drops-data", "get-drops-ack"])
def test_real_server_transfer_survives_a_lost_packet(tftp_server: TftpServer, drop: int) -> None:
    made: list[_LossySocket] = []

    def lossy(family: int) -> socket.socket:
        sock = _LossySocket(family)
        sock.drop_opcode = drop
        made.append(sock)
        return sock

    payload = os.urandom(5000)
    s = TftpSession(tftp_server.host, tftp_server.port, blksize=1024, timeout=0.3, retries=10, make_socket=lossy)
    if drop == OP_DATA:
        s.upload(io.BytesIO(payload), "lossy-put.bin")
        assert (tftp_server.root / "lossy-put.bin").read_bytes() == payload
    else:
        (tftp_server.root / "lossy-get.bin").write_bytes(payload)
        assert _get(s, "lossy-get.bin") == payload
    assert made and made[-1].dropped == 1
