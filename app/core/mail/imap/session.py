"""One IMAP connection: connect (plain, STARTTLS, implicit TLS), authenticate, run commands.

We speak IMAP ourselves over a buffered socket rather than through imapclient
so that the bulk header FETCH (:mod:`app.core.mail.imap.fetch`) can parse
straight out of the same receive buffer, commands can be pipelined, and the
socket comes from a factory a test can replace with a fault-injecting one.
Blocking and single-threaded: one worker thread owns a session.
"""

from __future__ import annotations

import base64
import re
import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.core.accounts import Account
from app.core.errors import AuthError, NetworkError, ProtocolError, ServerError, StartTlsUnavailable, TlsError
from app.core.mail.imap.response import Response, Token, as_str, parse_sequence_set, quote, tokenize
from app.core.protolog import NULL_LOG, ProtoLog
from app.core.tls import PinStore, TlsPolicy, explain_verification_failure

SocketFactory = Callable[[tuple[str, int], float], socket.socket]

_LITERAL_AT_END = re.compile(rb"\{(\d+)\+?\}$")
_RECV_SIZE = 1 << 20


def default_connect(addr: tuple[str, int], timeout: float) -> socket.socket:
    return socket.create_connection(addr, timeout=timeout)


@dataclass
class Literal:
    """A command argument sent as an IMAP literal (APPEND data, 8-bit strings)."""

    data: bytes


Arg = bytes | str | int | Literal


@dataclass
class SelectInfo:
    """What SELECT/EXAMINE told us (QRESYNC adds ``vanished`` and ``changed``)."""

    exists: int = 0
    uidvalidity: int | None = None
    uidnext: int | None = None
    highestmodseq: int | None = None
    nomodseq: bool = False
    readonly: bool = False
    flags: list[str] = field(default_factory=list)
    vanished: list[int] = field(default_factory=list)
    changed: list[tuple[int, list[str], int | None]] = field(default_factory=list)  # (uid, flags, modseq)


def fetch_items(resp: Response) -> tuple[int, dict[str, Token]] | None:
    """``* N FETCH (K V ...)`` -> (N, {K upper-cased: V}); None if it is not a FETCH."""
    if resp.tag != "*":
        return None
    toks = resp.tokens()
    if len(toks) < 3 or not isinstance(toks[1], str) or toks[1].upper() != "FETCH" or not isinstance(toks[2], list):
        return None
    seq = int(as_str(toks[0]))
    items = toks[2]
    out: dict[str, Token] = {}
    for i in range(0, len(items) - 1, 2):
        out[as_str(items[i]).upper()] = items[i + 1]
    return seq, out


class ImapSession:
    """A connected, authenticated IMAP session (call :meth:`connect` first, or use ``with``).

    ``capabilities`` holds the upper-cased capability names after login;
    ``qresync``/``condstore`` say which extensions are enabled.
    """

    def __init__(
        self,
        account: Account,
        password: str,
        *,
        pins: PinStore | None = None,
        pin: str | None = None,
        cafile: str | None = None,
        protolog: ProtoLog = NULL_LOG,
        connect: SocketFactory | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.account = account
        self._password = password
        self._pins = pins
        self._pin = pin
        self._cafile = cafile
        self.log = protolog
        self.log.add_secret(password)
        self._connect = connect or default_connect
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self._data = b""
        self._pos = 0
        self._tagn = 0
        self.capabilities: frozenset[str] = frozenset()
        self.qresync = False
        self.condstore = False
        self.selected: str | None = None
        self.untagged: list[Response] = []  # unsolicited responses seen while waiting for something else
        self.completed: dict[str, Response] = {}  # tagged completions read ahead of their turn
        self.log_name = f"imap:{account.host}:{account.port}"

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> ImapSession:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connect(self) -> None:
        """Open the connection, secure it as the account requires, log in, enable QRESYNC if offered."""
        acc = self.account
        policy = TlsPolicy.for_server(acc.host, acc.port, self._pins, pin=self._pin, cafile=self._cafile)
        try:
            raw = self._connect((acc.host, acc.port), self.timeout)
        except OSError as e:
            raise NetworkError(f"Could not connect to {acc.host}:{acc.port}: {e.strerror or e}") from e
        raw.settimeout(self.timeout)
        self.sock = raw
        try:
            if acc.security == "tls":
                self._start_tls(policy, starttls=False)
            greeting = self.read_response()
            if greeting.status == "BYE":
                raise ServerError(f"The server refused the connection: {greeting.human()}", reply=greeting.human())
            self._caps_from(greeting)
            if acc.security == "starttls":
                if not self.capabilities:
                    self.refresh_capabilities()
                if "STARTTLS" not in self.capabilities:
                    raise StartTlsUnavailable(
                        f"{acc.host}:{acc.port} does not offer STARTTLS, which this account requires. "
                        "Someone may be stripping it from the connection; not continuing without encryption."
                    )
                self.command("STARTTLS")
                if self._pos < len(self._data):
                    raise ProtocolError("the server sent data after STARTTLS before the handshake")
                self._start_tls(policy, starttls=True)
                self.capabilities = frozenset()
            if greeting.status != "PREAUTH":
                self._login()
            if not self.capabilities:
                self.refresh_capabilities()
            if "QRESYNC" in self.capabilities:
                self.command("ENABLE", "QRESYNC")
                self.qresync = self.condstore = True
            elif "CONDSTORE" in self.capabilities:
                self.condstore = True
        except BaseException:
            self.close()
            raise

    def _start_tls(self, policy: TlsPolicy, *, starttls: bool) -> None:
        assert self.sock is not None
        acc = self.account
        ctx = policy.context()
        try:
            tls = ctx.wrap_socket(self.sock, server_hostname=acc.host)
        except ssl.SSLCertVerificationError as e:
            raise explain_verification_failure(
                e, acc.host, acc.port, "imap" if starttls else None, connect=self._connect
            ) from None
        except ssl.SSLError as e:
            raise TlsError(f"TLS with {acc.host}:{acc.port} failed: {e.reason or e}", reason=str(e.reason)) from None
        except OSError as e:
            raise NetworkError(f"Connection to {acc.host}:{acc.port} failed during TLS: {e}") from e
        self.sock = tls
        policy.check(tls)

    def _caps_from(self, resp: Response) -> None:
        code = resp.code
        if code and code.upper().startswith("CAPABILITY "):
            self.capabilities = frozenset(code.upper().split()[1:])

    def refresh_capabilities(self) -> frozenset[str]:
        untagged, _ = self.command("CAPABILITY")
        for r in untagged:
            if r.status == "CAPABILITY":
                self.capabilities = frozenset(r.text.decode("ascii", "replace").upper().split()[1:])
        return self.capabilities

    def _login(self) -> None:
        user = self.account.username
        pw = self._password
        try:
            if "AUTH=PLAIN" in self.capabilities or "LOGINDISABLED" in self.capabilities:
                blob = base64.b64encode(f"\0{user}\0{pw}".encode())
                self.log.add_secret(blob)
                if "SASL-IR" in self.capabilities:
                    tagged = self._run([b"AUTHENTICATE", b"PLAIN", blob])[1]
                else:
                    tagged = self._authenticate_plain(blob)
            else:
                tagged = self._run([b"LOGIN", _astring(user), _astring(pw)])[1]
        except ServerError as e:
            raise AuthError(
                f"{self.account.host} refused the login of {user!r}: {e.reply or 'wrong user name or password'}"
            ) from None
        self._caps_from(tagged)

    def _authenticate_plain(self, blob: bytes) -> Response:
        tag = self._send([b"AUTHENTICATE", b"PLAIN"])
        self.log.begin_sasl(self.log_name)
        try:
            while True:
                r = self.read_response()
                if r.tag == "+":
                    self._write(blob + b"\r\n")
                elif r.tag == tag:
                    if r.status != "OK":
                        raise ServerError("AUTHENTICATE failed", reply=r.human())
                    return r
        finally:
            self.log.end_sasl(self.log_name)

    def close(self) -> None:
        """Drop the connection (no LOGOUT round trip)."""
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None
        self._data, self._pos = b"", 0
        self.selected = None

    def logout(self) -> None:
        """Polite goodbye; errors are ignored since we are leaving anyway."""
        if self.sock is not None:
            try:
                self.command("LOGOUT")
            except (NetworkError, ServerError):
                pass
        self.close()

    @property
    def connected(self) -> bool:
        return self.sock is not None

    # ------------------------------------------------------------------ I/O

    def _write(self, data: bytes) -> None:
        if self.sock is None:
            raise NetworkError("not connected")
        try:
            self.sock.sendall(data)
        except OSError as e:
            self.close()
            raise NetworkError(f"Connection to {self.account.host} lost while sending: {e}") from e

    def recv_more(self, need: int = 0) -> None:
        """Append at least one chunk (and until ``need`` unread bytes are buffered) to the receive buffer."""
        if self.sock is None:
            raise NetworkError("not connected")
        chunks = [self._data[self._pos :]] if self._pos < len(self._data) else []
        have = len(self._data) - self._pos
        first = True
        while first or have < need:
            first = False
            try:
                chunk = self.sock.recv(max(_RECV_SIZE, need - have))
            except TimeoutError as e:
                self.close()
                raise NetworkError(f"{self.account.host} stopped answering (timed out)") from e
            except OSError as e:
                self.close()
                raise NetworkError(f"Connection to {self.account.host} lost: {e}") from e
            if not chunk:
                self.close()
                raise NetworkError(f"{self.account.host} closed the connection")
            chunks.append(chunk)
            have += len(chunk)
        self._data = b"".join(chunks)
        self._pos = 0

    def _readline(self) -> bytes:
        while True:
            eol = self._data.find(b"\r\n", self._pos)
            if eol >= 0:
                line = self._data[self._pos : eol]
                self._pos = eol + 2
                return line
            self.recv_more()

    def read_response(self) -> Response:
        """Read one complete response (line plus any literals)."""
        line = self._readline()
        text = [line]
        literals: list[bytes] = []
        while True:
            m = _LITERAL_AT_END.search(line)
            if m is None:
                break
            n = int(m.group(1))
            if len(self._data) - self._pos < n:
                self.recv_more(n)
            literals.append(self._data[self._pos : self._pos + n])
            self._pos += n
            line = self._readline()
            text.append(line)
        full = b"".join(text)
        if self.log.enabled:
            self.log.received(self.log_name, full)
        tag, _, rest = full.partition(b" ")
        return Response(tag.decode("ascii", "replace"), rest, literals)

    def next_tag(self) -> str:
        self._tagn += 1
        return f"Q{self._tagn:04d}"

    def _send(self, parts: Sequence[Arg], tag: str | None = None) -> str:
        """Send one command (waiting for continuation on synchronizing literals); returns its tag."""
        tag = tag or self.next_tag()
        buf = tag.encode()
        nonsync = "LITERAL+" in self.capabilities or "LITERAL-" in self.capabilities
        for p in parts:
            if isinstance(p, Literal):
                if nonsync and (len(p.data) <= 4096 or "LITERAL+" in self.capabilities):
                    buf += b" {%d+}\r\n" % len(p.data)
                    self._log_sent(buf)
                    self._write(buf)
                    buf = p.data
                else:
                    buf += b" {%d}\r\n" % len(p.data)
                    self._log_sent(buf)
                    self._write(buf)
                    while True:
                        r = self.read_response()
                        if r.tag == "+":
                            break
                        if r.tag == tag:
                            raise ServerError("The server refused the command", reply=r.human())
                        self.untagged.append(r)
                    buf = p.data
                continue
            b = p if isinstance(p, bytes) else str(p).encode()
            buf += b" " + b
        buf += b"\r\n"
        self._log_sent(buf)
        self._write(buf)
        return tag

    def _log_sent(self, data: bytes) -> None:
        if self.log.enabled:
            self.log.sent(self.log_name, data if len(data) < 8192 else data[:8192])

    def _run(self, parts: Sequence[Arg]) -> tuple[list[Response], Response]:
        tag = self._send(parts)
        return self.wait(tag, " ".join(str(p) for p in parts[:1]))

    def wait(self, tag: str, what: str = "command") -> tuple[list[Response], Response]:
        """Collect untagged responses until ``tag`` completes; raise ServerError if it did not end OK."""
        untagged: list[Response] = []
        early = self.completed.pop(tag, None)
        while True:
            r = early if early is not None else self.read_response()
            early = None
            if r.tag == tag:
                if r.status != "OK":
                    raise ServerError(f"The server refused {what}: {r.human()}", reply=r.human())
                return untagged, r
            if r.tag == "*" and r.status == "BYE":
                untagged.append(r)
                continue
            untagged.append(r)

    def command(self, name: str, *args: Arg) -> tuple[list[Response], Response]:
        """Run one command; returns (untagged responses, tagged OK response)."""
        parts: list[Arg] = [name.encode()]
        parts.extend(args)
        tag = self._send(parts)
        return self.wait(tag, name.split()[0] if name else "command")

    # ------------------------------------------------------------- mailbox

    def select(self, mailbox: str, *, readonly: bool = False, qresync: tuple[int, int] | None = None) -> SelectInfo:
        """SELECT (or EXAMINE) a mailbox by its wire name; ``qresync=(uidvalidity, modseq)`` asks for changes."""
        args: list[Arg] = [quote_mailbox(mailbox)]
        if qresync is not None and self.qresync:
            args.append(f"(QRESYNC ({qresync[0]} {qresync[1]}))")
        elif self.condstore and not self.qresync:
            args.append("(CONDSTORE)")
        try:
            untagged, tagged = self.command("EXAMINE" if readonly else "SELECT", *args)
        except ServerError:
            self.selected = None
            raise
        self.selected = mailbox
        info = SelectInfo(readonly=readonly or "READ-ONLY" in (tagged.code or "").upper())
        for r in untagged:
            self._apply_select_response(r, info)
        return info

    @staticmethod
    def _apply_select_response(r: Response, info: SelectInfo) -> None:
        if r.tag != "*":
            return
        head = r.text.split(b" ", 2)
        if len(head) >= 2 and head[1].upper() == b"EXISTS":
            info.exists = int(head[0])
            return
        status = head[0].upper()
        if status == b"OK":
            code = r.code or ""
            word, _, val = code.partition(" ")
            word = word.upper()
            if word == "UIDVALIDITY":
                info.uidvalidity = int(val)
            elif word == "UIDNEXT":
                info.uidnext = int(val)
            elif word == "HIGHESTMODSEQ":
                info.highestmodseq = int(val)
            elif word == "NOMODSEQ":
                info.nomodseq = True
        elif status == b"FLAGS":
            toks = r.tokens()
            if len(toks) > 1 and isinstance(toks[1], list):
                info.flags = [as_str(t) for t in toks[1]]
        elif status == b"VANISHED":
            toks = r.tokens()
            uids = toks[-1]
            info.vanished.extend(parse_sequence_set(as_str(uids)))
        elif len(head) >= 2 and head[1].upper() == b"FETCH":
            got = fetch_items(r)
            if got is None:
                return
            items = got[1]
            uid = items.get("UID")
            if uid is None:
                return
            flags_tok = items.get("FLAGS")
            flags = [as_str(t) for t in flags_tok] if isinstance(flags_tok, list) else []
            ms = items.get("MODSEQ")
            modseq = int(as_str(ms[0])) if isinstance(ms, list) and ms else None
            info.changed.append((int(as_str(uid)), flags, modseq))

    def uid_search(self, criteria: str = "ALL") -> list[int]:
        """UID SEARCH (ESEARCH's compact form when offered: 100,000 UIDs in a few bytes)."""
        if "ESEARCH" in self.capabilities:
            untagged, _ = self.command("UID SEARCH", f"RETURN (ALL) {criteria}")
            for r in untagged:
                if r.status == "ESEARCH":
                    toks = r.tokens()
                    for i, t in enumerate(toks):
                        if isinstance(t, str) and t.upper() == "ALL" and i + 1 < len(toks):
                            return parse_sequence_set(as_str(toks[i + 1]))
            return []
        untagged, _ = self.command("UID SEARCH", criteria)
        out: list[int] = []
        for r in untagged:
            if r.status == "SEARCH":
                out.extend(int(x) for x in r.text.split()[1:] if x.isdigit())
        return out


def _astring(s: str) -> bytes | Literal:
    b = s.encode("utf-8")
    if any(c > 126 or c < 32 for c in b):
        return Literal(b)
    return quote(b)


def quote_mailbox(name: str) -> bytes:
    """A mailbox wire name (already modified UTF-7) as a quoted string."""
    return quote(name.encode("ascii", "replace"))


def tokens_text(toks: list[Token]) -> str:
    return " ".join(as_str(t) if not isinstance(t, list) else "(...)" for t in toks)


__all__ = [
    "ImapSession",
    "Literal",
    "Response",
    "SelectInfo",
    "SocketFactory",
    "default_connect",
    "fetch_items",
    "quote_mailbox",
    "tokenize",
]
