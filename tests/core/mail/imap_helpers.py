"""Shared helpers for the IMAP tests: message factory, sessions on the real Dovecot, a fault-injecting proxy,
and a scripted fake server.

The proxy sits between our client and the REAL Dovecot and only injects what a
real server cannot produce on demand: a connection cut in the middle of a
literal, a STARTTLS capability stripped (or LOGINDISABLED added) by a man in the
middle, a slow link. :class:`FakeImapServer` speaks IMAP over a loopback socket
for what no real server sends: hostile answers (a terabyte literal, endless
lines, ``VANISHED (EARLIER) 1:4294967295``).
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from app.core.accounts import Account
from app.core.mail.imap.folders import refresh_folders
from app.core.mail.imap.session import ImapSession
from app.core.mail.store import Store
from app.core.protolog import NULL_LOG, ProtoLog
from tests.servers.common import LOOPBACK
from tests.servers.dovecot import DovecotServer


def make_message(
    i: int,
    *,
    subject: str | None = None,
    sender: str = "Alice Example <alice@example.test>",
    body: str | None = None,
    extra: str = "",
) -> bytes:
    subj = subject if subject is not None else f"Message number {i}"
    text = body if body is not None else f"Hello, this is body {i}.\r\n"
    return (
        f"From: {sender}\r\nTo: Bob <bob@example.test>\r\nSubject: {subj}\r\n"
        f"Date: Mon, 23 Nov 2026 05:{i % 60:02d}:00 +0000\r\nMessage-ID: <msg{i}@example.test>\r\n"
        f"{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}"
    ).encode()


def deliver_many(server: DovecotServer, user: str, n: int, folder: str = "INBOX", start: int = 0) -> None:
    """Deliver n messages quickly (one doveadm save per message would be slow: use one IMAP APPEND session)."""
    import imaplib

    c = imaplib.IMAP4(server.host, server.imap_port)
    c.login(user, server.users[user])
    if folder != "INBOX":
        c.create(folder)
    for i in range(start, start + n):
        c.append(folder, None, None, make_message(i))
    c.logout()


def account(server: DovecotServer, user: str, security: str = "none", port: int | None = None) -> Account:
    """The Account of ``user`` on ``server`` (security ``none`` goes to the plain port, ``tls`` to IMAPS)."""
    if port is None:
        port = server.imaps_port if security == "tls" else server.imap_port
    return Account("imap", server.host, port, user, security)  # type: ignore[arg-type]


def session(
    server: DovecotServer,
    user: str,
    *,
    security: str = "none",
    port: int | None = None,
    cafile: str | None = None,
    pin: str | None = None,
    protolog: ProtoLog = NULL_LOG,
    password: str | None = None,
    allow_plaintext: bool | None = None,
) -> ImapSession:
    """A connected session; over security ``none`` the tests consent to a plaintext login unless told not to."""
    s = ImapSession(
        account(server, user, security, port),
        password if password is not None else server.users[user],
        cafile=cafile,
        pin=pin,
        protolog=protolog,
        timeout=20,
        allow_plaintext=security == "none" if allow_plaintext is None else allow_plaintext,
    )
    s.connect()
    return s


def cache(tmp_path: Path, server: DovecotServer, user: str, sess: ImapSession) -> tuple[Store, int]:
    """A fresh store with the account and its folders listed; returns (store, account_id)."""
    store = Store.open(tmp_path / "mail.sqlite3")
    acc = account(server, user)
    aid = store.ensure_account(acc.key, "imap", acc.host, acc.port, user, "none")
    refresh_folders(sess, store, aid)
    return store, aid


class FaultProxy:
    """A loopback TCP proxy to a real server, with optional faults.

    * ``cut_after``: once the client sent a command matching ``cut_trigger``, forward only this many
      more server bytes, then close both sides (a connection dropped mid-literal);
    * ``strip_starttls``: remove STARTTLS from every CAPABILITY the server sends;
    * ``rewrite``: change what the server sends (``rewrite(chunk) -> chunk``), e.g. capabilities;
    * ``delay``: sleep this long before forwarding each server chunk (a slow link).

    ``from_client`` collects every byte the client sent, to check what went over the wire.
    """

    def __init__(
        self,
        target_port: int,
        *,
        cut_after: int | None = None,
        cut_trigger: bytes = b"BODY.PEEK[HEADER.FIELDS",
        strip_starttls: bool = False,
        rewrite: Callable[[bytes], bytes] | None = None,
        delay: float = 0.0,
        chunk: int = 65536,
    ) -> None:
        self.rewrite = rewrite
        self.from_client = bytearray()
        self.target_port = target_port
        self.cut_after = cut_after
        self.cut_trigger = cut_trigger
        self.strip_starttls = strip_starttls
        self.delay = delay
        self.chunk = chunk
        self.cuts = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((LOOPBACK, 0))
        self._listener.listen(16)
        self.port = int(self._listener.getsockname()[1])
        self._stop = threading.Event()
        self._socks: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection((LOOPBACK, self.target_port))
            self._socks += [client, upstream]
            state = {"armed": False, "left": self.cut_after}
            threading.Thread(target=self._pump_up, args=(client, upstream, state), daemon=True).start()
            threading.Thread(target=self._pump_down, args=(upstream, client, state), daemon=True).start()

    def _pump_up(self, client: socket.socket, upstream: socket.socket, state: dict[str, object]) -> None:
        with contextlib.suppress(OSError):
            while True:
                data = client.recv(65536)
                if not data:
                    break
                self.from_client += data
                if self.cut_after is not None and self.cut_trigger in data:
                    state["armed"] = True
                upstream.sendall(data)
        with contextlib.suppress(OSError):
            upstream.shutdown(socket.SHUT_WR)

    def _pump_down(self, upstream: socket.socket, client: socket.socket, state: dict[str, object]) -> None:
        with contextlib.suppress(OSError):
            while True:
                data = upstream.recv(self.chunk)
                if not data:
                    break
                if self.strip_starttls and b"CAPABILITY" in data:
                    data = re.sub(rb" STARTTLS", b"", data)
                if self.rewrite is not None:
                    data = self.rewrite(data)
                if self.delay:
                    time.sleep(self.delay)
                if state["armed"]:
                    left = int(state["left"])  # type: ignore[call-overload]
                    if len(data) >= left:
                        client.sendall(data[:left])
                        self.cuts += 1
                        client.shutdown(socket.SHUT_RDWR)
                        client.close()
                        upstream.close()
                        return
                    state["left"] = left - len(data)
                client.sendall(data)
        with contextlib.suppress(OSError):
            client.close()

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        for s in self._socks:
            with contextlib.suppress(OSError):
                s.close()


@contextlib.contextmanager
def fault_proxy(target_port: int, **kw: object) -> Iterator[FaultProxy]:
    p = FaultProxy(target_port, **kw)  # type: ignore[arg-type]
    try:
        yield p
    finally:
        p.close()


def without_caps(*names: bytes) -> Callable[[bytes], bytes]:
    """A proxy ``rewrite`` that removes capabilities (``AUTH=PLAIN``, ``SASL-IR``...) wherever the server lists them."""

    def rewrite(data: bytes) -> bytes:
        for n in names:
            data = re.sub(rb"(?i) " + re.escape(n) + rb"(?=[ \]\r])", b"", data)
        return data

    return rewrite


def with_caps(*names: bytes) -> Callable[[bytes], bytes]:
    """A proxy ``rewrite`` that adds capabilities to every capability list the server sends."""

    def rewrite(data: bytes) -> bytes:
        extra = b"".join(b" " + n for n in names)
        return re.sub(rb"(CAPABILITY IMAP4rev1)", rb"\1" + extra, data)

    return rewrite


# ------------------------------------------------------------------ fake server

#: A scripted answer: (tag, the command line with any literals inline) -> bytes to send, or None for "tag OK".
Handler = Callable[[bytes, bytes], bytes | None]

FAKE_CAPS = b"IMAP4rev1 LITERAL+ AUTH=PLAIN ENABLE QRESYNC CONDSTORE ESEARCH UIDPLUS IDLE NAMESPACE"


class FakeImapServer:
    """An IMAP server on a loopback socket whose answers a test scripts (one connection at a time).

    It speaks enough IMAP for our client to connect and log in: greeting, CAPABILITY,
    AUTHENTICATE PLAIN (with its continuation), LOGIN (synchronizing literals get ``+``),
    ENABLE, NOOP, LOGOUT; every other command goes to ``handler(tag, line)``. ``received``
    keeps every byte the client sent.
    """

    def __init__(self, handler: Handler, *, caps: bytes = FAKE_CAPS) -> None:
        self.handler = handler
        self.caps = caps
        self.received = bytearray()
        self.commands: list[bytes] = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind((LOOPBACK, 0))
        self._listener.listen(4)
        self.port = int(self._listener.getsockname()[1])
        self._conns: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self._conns.append(conn)
            with contextlib.suppress(OSError):
                self._session(conn)
            with contextlib.suppress(OSError):
                conn.close()

    def _session(self, conn: socket.socket) -> None:
        buf = b""

        def line() -> bytes:
            nonlocal buf
            while b"\r\n" not in buf:
                got = conn.recv(65536)
                if not got:
                    raise OSError("client gone")
                self.received += got
                buf += got
            out, buf = buf.split(b"\r\n", 1)
            return out

        def exact(n: int) -> bytes:
            nonlocal buf
            while len(buf) < n:
                got = conn.recv(65536)
                if not got:
                    raise OSError("client gone")
                self.received += got
                buf += got
            out, buf = buf[:n], buf[n:]
            return out

        conn.sendall(b"* OK fake IMAP ready\r\n")
        while True:
            cmd = line()
            while (m := re.search(rb"\{(\d+)(\+?)\}$", cmd)) is not None:
                if not m.group(2):
                    conn.sendall(b"+ go ahead\r\n")
                cmd += b"\r\n" + exact(int(m.group(1))) + line()
            self.commands.append(cmd)
            tag, _, rest = cmd.partition(b" ")
            word = rest.split(b" ", 1)[0].upper()
            if word == b"CAPABILITY":
                conn.sendall(b"* CAPABILITY " + self.caps + b"\r\n" + tag + b" OK done\r\n")
            elif word == b"AUTHENTICATE":
                conn.sendall(b"+ \r\n")
                self.commands.append(line())
                conn.sendall(tag + b" OK logged in\r\n")
            elif word == b"LOGIN":
                conn.sendall(tag + b" OK logged in\r\n")
            elif word == b"ENABLE":
                conn.sendall(b"* ENABLED QRESYNC\r\n" + tag + b" OK enabled\r\n")
            elif word == b"LOGOUT":
                conn.sendall(b"* BYE bye\r\n" + tag + b" OK done\r\n")
                return
            else:
                answer = self.handler(tag, cmd)
                conn.sendall(answer if answer is not None else tag + b" OK done\r\n")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.close()
        for c in self._conns:
            with contextlib.suppress(OSError):
                c.close()


@contextlib.contextmanager
def fake_imap(handler: Handler, **kw: bytes) -> Iterator[FakeImapServer]:
    srv = FakeImapServer(handler, **kw)
    try:
        yield srv
    finally:
        srv.close()


def fake_session(srv: FakeImapServer, *, protolog: ProtoLog = NULL_LOG, **kw: object) -> ImapSession:
    """A session to the fake server (plain, with consent), connected."""
    s = ImapSession(
        Account("imap", LOOPBACK, srv.port, "user", "none"),
        "fake-pw",
        protolog=protolog,
        timeout=10,
        allow_plaintext=True,
        **kw,  # type: ignore[arg-type]
    )
    s.connect()
    return s
