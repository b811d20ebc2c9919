"""One IMAP connection: imapclient on the control path, our own reader for the bulk paths.

:class:`ImapSession` is what the rest of Quay holds. It connects through
imapclient (:mod:`app.core.mail.imap.transport`: greeting, STARTTLS with our
certificate pinning, LOGIN / AUTHENTICATE, CAPABILITY, ENABLE) and offers the
control-path commands as typed methods over imapclient (folders, STATUS,
STORE, COPY/MOVE, APPEND, EXPUNGE, SEARCH, IDLE). What stays hand-written, on
the same connection with our own tags, and why:

* the pipelined bulk FETCH (:mod:`~app.core.mail.imap.fetch`): imapclient's
  parser manages ~3,000 messages/s, the server sends ~50,000/s;
* SELECT with CONDSTORE/QRESYNC (VANISHED and changed flags in its answer),
  ESEARCH (imapclient has neither) and single FETCHes parsed by our tokenizer;
* LOGIN with a literal (a non-ASCII user name, a password with CR/LF):
  imaplib sends at most one literal per command;
* :meth:`command`, the escape hatch for anything else.

Every exception imapclient, imaplib, ssl or the socket raises is turned into
our error types in one place, :meth:`ImapSession.guard`. Passwords go in
clear only with ``allow_plaintext=True`` (the user's explicit consent), never
when the server advertises LOGINDISABLED.

Blocking and single-threaded: one worker thread owns a session.
"""

from __future__ import annotations

import base64
import imaplib
import re
import socket
import ssl
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from imapclient import exceptions as ic_errors

from app.core.accounts import Account
from app.core.errors import (
    AuthError,
    Bug,
    NetworkError,
    PlaintextAuthRefused,
    ProtocolError,
    QuayError,
    ServerError,
    StartTlsUnavailable,
    TlsError,
    UnknownSecurity,
)
from app.core.mail.imap.response import Response, Token, UidRanges, as_str, quote, sequence_set, tokenize
from app.core.mail.imap.transport import (
    MAX_LINE,
    MAX_LITERAL,
    ImaplibTransport,
    QuayIMAPClient,
    SocketFactory,
    Wire,
    default_connect,
)
from app.core.protolog import NULL_LOG, ProtoLog
from app.core.tls import PinStore, TlsPolicy, explain_verification_failure
from app.core.urls import Security

_LITERAL_AT_END = re.compile(rb"\{(\d+)\+?\}$")
_COPYUID = re.compile(r"COPYUID (\d+) ([0-9:,]+) ([0-9:,]+)", re.I)
_APPENDUID = re.compile(r"APPENDUID (\d+) (\d+)", re.I)

#: Most UIDs a search may return when the folder's size is unknown (it normally is: EXISTS).
MAX_UIDS_UNKNOWN_FOLDER = 10_000_000

#: Unsolicited responses kept for inspection (the newest); nothing needs older ones.
UNTAGGED_KEPT = 1000


@dataclass
class Literal:
    """A command argument sent as an IMAP literal (APPEND data, 8-bit strings)."""

    data: bytes


Arg = bytes | str | int | Literal


@dataclass
class SelectInfo:
    """What SELECT/EXAMINE told us (QRESYNC adds ``vanished`` and ``changed``).

    ``vanished`` stays a set of ranges (a server may answer ``VANISHED (EARLIER) 1:4294967295``):
    test cached UIDs against it rather than expanding it.
    """

    exists: int = 0
    uidvalidity: int | None = None
    uidnext: int | None = None
    highestmodseq: int | None = None
    nomodseq: bool = False
    readonly: bool = False
    flags: list[str] = field(default_factory=list)
    vanished: UidRanges = field(default_factory=UidRanges)
    changed: list[tuple[int, list[str], int | None]] = field(default_factory=list)  # (uid, flags, modseq)


@dataclass(frozen=True)
class Namespaces:
    """NAMESPACE (RFC 2342): (prefix, delimiter) pairs per kind; ``personal`` is where the user's own folders live."""

    personal: tuple[tuple[str, str | None], ...] = (("", None),)
    other: tuple[tuple[str, str | None], ...] = ()
    shared: tuple[tuple[str, str | None], ...] = ()


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


def imap_security(value: str | Security) -> Security:
    """The account's security as a :class:`Security`; UnknownSecurity for anything IMAP cannot use."""
    sec = Security.parse(value)
    if sec is Security.SSH:
        raise UnknownSecurity("IMAP cannot run over SSH; use none, starttls or tls.", value=str(value))
    return sec


class ImapSession:
    """A connected, authenticated IMAP session (call :meth:`connect` first, or use ``with``).

    ``capabilities`` holds the upper-cased capability names after login;
    ``qresync``/``condstore`` say which extensions are enabled. The account's
    ``security`` may be a string or a :class:`~app.core.urls.Security`; unknown
    values raise :class:`UnknownSecurity` here. ``allow_plaintext=True`` is the
    user's consent to send the password over an unencrypted connection.
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
        allow_plaintext: bool = False,
        max_line: int = MAX_LINE,
        max_literal: int = MAX_LITERAL,
    ) -> None:
        self.account = account
        self.security = imap_security(account.security)
        self._password = password
        self._pins = pins
        self._pin = pin
        self._cafile = cafile
        self.allow_plaintext = allow_plaintext
        self.log = protolog
        self.log.add_secret(password)
        self._connect = connect or default_connect
        self.timeout = timeout
        self.max_line = max_line
        self.max_literal = max_literal
        self.client: QuayIMAPClient | None = None
        self.wire: Wire | None = None
        self._tagn = 0
        self.capabilities: frozenset[str] = frozenset()
        self.qresync = False
        self.condstore = False
        self.selected: str | None = None
        self.exists: int | None = None  # messages in the selected folder, as the server last said
        self.untagged: deque[Response] = deque(maxlen=UNTAGGED_KEPT)  # unsolicited responses, newest kept
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
            with self.guard("connect"):
                self.client = QuayIMAPClient(
                    acc.host, acc.port, factory=lambda: self._transport(policy), timeout=self.timeout
                )
            client = self.client
            transport = client.transport
            self.wire = transport.wire
            self.capabilities = _caps(transport.capabilities)
            if self.security is Security.STARTTLS:
                if "STARTTLS" not in self.capabilities:
                    raise StartTlsUnavailable(
                        f"{acc.host}:{acc.port} does not offer STARTTLS, which this account requires. "
                        "Someone may be stripping it from the connection; not continuing without encryption."
                    )
                with self.guard("STARTTLS"):
                    client.starttls(policy.context())
                policy.check(self.require_wire().sock)  # type: ignore[arg-type]
                self.capabilities = _caps(transport.capabilities)  # imaplib asked again over TLS
            if transport.state == "NONAUTH":
                listed = self._authenticate()
                if listed:
                    client.remember_capabilities(listed)
            with self.guard("CAPABILITY"):
                self.capabilities = _caps(client.capabilities())
                if "QRESYNC" in self.capabilities and "ENABLE" in self.capabilities:
                    enabled = {_text(c).upper() for c in client.enable("QRESYNC")}
                    self.qresync = "QRESYNC" in enabled
                    self.condstore = self.qresync or "CONDSTORE" in enabled
                if not self.condstore and "CONDSTORE" in self.capabilities:
                    self.condstore = True
        except BaseException:
            self.close()
            raise

    def _transport(self, policy: TlsPolicy) -> ImaplibTransport:
        acc = self.account
        tls: Callable[[socket.socket], ssl.SSLSocket] | None = None
        if self.security is Security.TLS:
            ctx = policy.context()

            def tls(raw: socket.socket) -> ssl.SSLSocket:
                sock = ctx.wrap_socket(raw, server_hostname=acc.host)
                policy.check(sock)
                return sock

        return ImaplibTransport(
            acc.host, acc.port, timeout=self.timeout, opener=self._connect, tls=tls, make_wire=self._make_wire
        )

    def _make_wire(self, sock: socket.socket) -> Wire:
        return Wire(
            sock,
            host=self.account.host,
            log=self.log,
            log_name=self.log_name,
            max_line=self.max_line,
            max_literal=self.max_literal,
        )

    def _authenticate(self) -> list[str]:
        """Log in as the account says (see the module docstring); returns the capabilities the server
        listed in its answer (``OK [CAPABILITY ...]``), if it did."""
        acc = self.account
        user, pw = acc.username, self._password
        caps = self.capabilities
        wire = self.require_wire()
        if not wire.encrypted:
            if "LOGINDISABLED" in caps:
                raise PlaintextAuthRefused(
                    f"{acc.host}:{acc.port} does not accept passwords over this unencrypted connection "
                    "(it advertises LOGINDISABLED). Use STARTTLS or TLS for this account."
                )
            if not self.allow_plaintext:
                raise PlaintextAuthRefused(
                    f"{acc.host}:{acc.port} is not encrypted; refusing to send the password in the clear. "
                    "Use STARTTLS or TLS, or explicitly allow plaintext for this account."
                )
        client = self._client()
        with wire.credentials(), self.guard("log in"):
            if "AUTH=PLAIN" in caps:
                blob = base64.b64encode(f"\0{user}\0{pw}".encode())
                self.log.add_secret(blob)
                if "SASL-IR" in caps:
                    typ, text = client.transport.authenticate_initial("PLAIN", blob)
                    if typ != "OK":
                        words = self._scrub(client.transport.server_words()) or text.decode("utf-8", "replace")
                        raise AuthError(f"{acc.host} refused the login of {user!r}: {words}")
                else:
                    client.plain_login(user, pw)
            elif "LOGINDISABLED" in caps:
                raise AuthError(f"{acc.host} disabled LOGIN and offers no login mechanism Quay supports (AUTH=PLAIN).")
            elif _quotable(user) and _quotable(pw):
                client.login(quote(user).decode("ascii"), pw)
            else:
                # imaplib sends at most one literal per command, after the last argument.
                try:
                    _, tagged = self.command("LOGIN", _astring(user), _astring(pw))
                except ServerError as e:
                    raise AuthError(
                        f"{acc.host} refused the login of {user!r}: {e.reply or 'wrong user name or password'}"
                    ) from None
                client.transport.state = "AUTH"
                client.transport.last_tagged = b"%s %s" % (tagged.tag.encode(), tagged.text)
            m = re.match(r"\[CAPABILITY ([^\]]*)\]", client.transport.server_words(), re.I)
        return m.group(1).split() if m else []

    def close(self) -> None:
        """Drop the connection (no LOGOUT round trip)."""
        if self.wire is not None:
            self.wire.close()
        if self.client is not None:
            self.client.transport.shutdown()
        self.client = None
        self.wire = None
        self.selected = None
        self.exists = None
        self.completed.clear()

    def logout(self) -> None:
        """Polite goodbye; errors are ignored since we are leaving anyway."""
        if self.client is not None and self.connected:
            try:
                with self.guard("LOGOUT"):
                    self.client.logout()
            except (NetworkError, ServerError):
                pass
        self.close()

    @property
    def connected(self) -> bool:
        return self.wire is not None and self.wire.sock is not None

    @property
    def sock(self) -> socket.socket | None:
        return None if self.wire is None else self.wire.sock

    def require_wire(self) -> Wire:
        """The connection's :class:`Wire` (the bulk readers' buffer); NetworkError when not connected."""
        if self.wire is None or self.wire.sock is None:
            raise NetworkError("not connected")
        return self.wire

    def _client(self) -> QuayIMAPClient:
        if self.client is None or not self.connected:
            raise NetworkError("not connected")
        return self.client

    # ------------------------------------------------------- error mapping

    @contextmanager
    def guard(self, what: str) -> Iterator[None]:
        """The one place imapclient / imaplib / ssl / socket exceptions become Quay errors.

        ``what`` names the operation for the message. Our own errors pass through. A dropped
        connection or a protocol violation closes the session. Unsolicited EXISTS seen by
        imaplib are noted (the search limits use them) and imaplib's response store is emptied,
        so nothing grows over a long session.
        """
        acc = self.account
        if self.client is not None:
            self.client.transport.last_tagged = b""  # so errors quote this command's answer, not an older one
        try:
            yield
        except QuayError as e:
            if isinstance(e, NetworkError | ProtocolError):
                self.close()
            raise
        except ic_errors.LoginError as e:
            raise AuthError(
                f"{acc.host} refused the login of {acc.username!r}: "
                f"{self._scrub(self._server_words(e)) or 'wrong user name or password'}"
            ) from None
        except ic_errors.CapabilityError as e:
            raise ServerError(f"{what}: the server does not support it ({e})") from None
        except ic_errors.ProtocolError as e:
            self.close()
            raise ProtocolError(f"{what}: the server broke the protocol ({self._scrub(str(e))})") from None
        except imaplib.IMAP4.abort as e:
            self.close()
            raise NetworkError(f"{what}: the connection to {acc.host} failed ({self._scrub(str(e))})") from None
        except imaplib.IMAP4.error as e:
            words = self._scrub(self._server_words(e))
            if what == "connect":
                raise ServerError(f"{acc.host} refused the connection: {words}", reply=words) from None
            raise ServerError(f"The server refused {what}: {words}", reply=words) from None
        except ssl.SSLCertVerificationError as e:
            self.close()
            if self.security is Security.STARTTLS:
                raise explain_verification_failure(e, acc.host, acc.port, "imap", connect=self._connect) from None
            raise explain_verification_failure(e, acc.host, acc.port, None, connect=self._connect) from None
        except ssl.SSLError as e:
            self.close()
            raise TlsError(f"TLS with {acc.host}:{acc.port} failed: {e.reason or e}", reason=str(e.reason)) from None
        except TimeoutError as e:
            self.close()
            raise NetworkError(f"{what}: {acc.host} stopped answering (timed out)") from e
        except OSError as e:
            first = self.wire is None
            self.close()
            if first:
                raise NetworkError(f"Could not connect to {acc.host}:{acc.port}: {e.strerror or e}") from e
            raise NetworkError(f"{what}: connection to {acc.host} lost: {e}") from e
        except (UnicodeError, ValueError, TypeError) as e:
            raise Bug(f"{what}: could not form the IMAP command ({e})") from e
        finally:
            if self.client is not None:
                store = self.client.transport.untagged_responses
                exists = store.get("EXISTS")
                if exists:
                    try:
                        self.exists = int(_text(exists[-1]))
                    except (TypeError, ValueError):
                        pass
                store.clear()

    def _server_words(self, e: BaseException) -> str:
        """The server's reply behind an imaplib/imapclient error (not imaplib's wrapping)."""
        arg = e.args[0] if e.args else ""
        if isinstance(arg, bytes):  # imaplib raises the greeting itself when it is not OK/PREAUTH
            parts = arg.split(b" ", 2)
            return parts[-1].decode("utf-8", "replace")
        if self.client is not None:
            words = self.client.transport.server_words()
            if words:
                return words
        return str(e)

    def _scrub(self, text: str) -> str:
        """Remove our password from text a hostile server might have echoed back into an error."""
        pw = self._password
        if pw and pw in text:
            text = text.replace(pw, "<redacted>")
        return text

    # -------------------------------------------------------- our own commands

    def next_tag(self) -> str:
        self._tagn += 1
        return f"Q{self._tagn:04d}"

    def send_command(self, parts: Sequence[Arg], tag: str | None = None) -> str:
        """Send one command on our own tag (waiting for continuation on synchronizing literals); returns the tag.

        The caller must read every response of it (:meth:`wait`, or a bulk reader) before
        anything else uses the connection.
        """
        wire = self.require_wire()
        if self.client is not None:
            self.client.transport.flush()  # nothing of imaplib's may follow our command
        tag = tag or self.next_tag()
        buf = tag.encode()
        nonsync = "LITERAL+" in self.capabilities or "LITERAL-" in self.capabilities
        for p in parts:
            if isinstance(p, Literal):
                if nonsync and (len(p.data) <= 4096 or "LITERAL+" in self.capabilities):
                    wire.send(buf + b" {%d+}\r\n" % len(p.data))
                else:
                    wire.send(buf + b" {%d}\r\n" % len(p.data))
                    while True:
                        r = self.read_response()
                        if r.tag == "+":
                            break
                        if r.tag == tag:
                            raise ServerError("The server refused the command", reply=r.human())
                        self.note_untagged(r)
                buf = p.data
                continue
            b = p if isinstance(p, bytes) else str(p).encode()
            buf += b" " + b
        wire.send(buf + b"\r\n")
        return tag

    def read_response(self) -> Response:
        """Read one complete response (line plus any literals)."""
        wire = self.require_wire()
        line = wire.readline()
        text = [line]
        literals: list[bytes] = []
        while True:
            m = _LITERAL_AT_END.search(line)
            if m is None:
                break
            literals.append(wire.read_exact(int(m.group(1))))
            line = wire.readline()
            text.append(line)
        full = b"".join(text)
        wire.log_received(full)
        tag, _, rest = full.partition(b" ")
        return Response(tag.decode("ascii", "replace"), rest, literals)

    def note_untagged(self, r: Response) -> None:
        """Keep an unsolicited response (the newest :data:`UNTAGGED_KEPT`) and note EXISTS."""
        self.untagged.append(r)
        head = r.text.split(b" ", 2)
        if len(head) >= 2 and head[1].upper() == b"EXISTS" and head[0].isdigit():
            self.exists = int(head[0])

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
            if r.tag == "*":
                head = r.text.split(b" ", 2)
                if len(head) >= 2 and head[1].upper() == b"EXISTS" and head[0].isdigit():
                    self.exists = int(head[0])
            untagged.append(r)

    def command(self, name: str, *args: Arg) -> tuple[list[Response], Response]:
        """Run one command on our own tag; returns (untagged responses, tagged OK response).

        The escape hatch for what the typed methods below do not cover.
        """
        parts: list[Arg] = [name.encode()]
        parts.extend(args)
        tag = self.send_command(parts)
        return self.wait(tag, name.split()[0] if name else "command")

    # ------------------------------------------------------------- mailbox

    def select(self, mailbox: str, *, readonly: bool = False, qresync: tuple[int, int] | None = None) -> SelectInfo:
        """SELECT (or EXAMINE) a mailbox by its wire name; ``qresync=(uidvalidity, modseq)`` asks for changes."""
        args: list[Arg] = [quote_mailbox(mailbox)]
        if qresync is not None and self.qresync:
            args.append(f"(QRESYNC ({qresync[0]} {qresync[1]}))")
        elif self.condstore and not self.qresync:
            args.append("(CONDSTORE)")
        transport = self._client().transport
        try:
            untagged, tagged = self.command("EXAMINE" if readonly else "SELECT", *args)
        except ServerError:
            self.selected = None
            self.exists = None
            transport.state = "AUTH"  # a failed SELECT leaves no mailbox selected (RFC 3501 6.3.1)
            raise
        self.selected = mailbox
        transport.state = "SELECTED"  # imaplib checks its state before imapclient's STORE, SEARCH, ...
        info = SelectInfo(readonly=readonly or "READ-ONLY" in (tagged.code or "").upper())
        transport.is_readonly = info.readonly
        vanished: list[tuple[int, int]] = []
        for r in untagged:
            self._apply_select_response(r, info, vanished)
        info.vanished = UidRanges(vanished)
        self.exists = info.exists
        return info

    @staticmethod
    def _apply_select_response(r: Response, info: SelectInfo, vanished: list[tuple[int, int]]) -> None:
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
            vanished.extend(UidRanges.parse(as_str(toks[-1])).ranges())
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

    def unselect(self) -> None:
        """Leave the selected mailbox without expunging (UNSELECT, else CLOSE)."""
        client = self._client()
        with self.guard("UNSELECT"):
            if "UNSELECT" in self.capabilities:
                client.unselect_folder()
            else:
                client.close_folder()
        self.selected = None
        self.exists = None

    # -------------------------------------------------------------- search

    def uid_search(self, criteria: str | Sequence[str] = "ALL", *, charset: str | None = None) -> list[int]:
        """UIDs matching ``criteria`` in the selected mailbox.

        A string is IMAP search syntax as is (``UID 5:*``, ``ALL``); a sequence is keys and
        values, each value quoted or sent as a literal as needed (``["TEXT", "giao thức"]``,
        with ``charset="UTF-8"`` for 8-bit values). With ESEARCH the answer is compact (100,000
        UIDs in a few bytes) and is refused if it names more UIDs than the folder holds.
        """
        items = [criteria] if isinstance(criteria, str) else list(criteria)
        if "ESEARCH" not in self.capabilities:
            with self.guard("SEARCH"):
                found = self._client().search(criteria if isinstance(criteria, str) else items, charset)
            return [int(u) for u in found]
        args: list[Arg] = ["RETURN (ALL)"]
        if charset:
            args += ["CHARSET", charset]
        args += [i if isinstance(criteria, str) else _search_arg(i) for i in items]
        untagged, _ = self.command("UID SEARCH", *args)
        for r in untagged:
            if r.status == "ESEARCH":
                toks = r.tokens()
                for i, t in enumerate(toks):
                    if isinstance(t, str) and t.upper() == "ALL" and i + 1 < len(toks):
                        limit = self.exists if self.exists is not None else MAX_UIDS_UNKNOWN_FOLDER
                        return UidRanges.parse(as_str(toks[i + 1])).expand(limit)
        return []

    # ------------------------------------------------------------- folders

    def namespaces(self) -> Namespaces:
        """NAMESPACE, or a personal namespace of "" when the server has none."""
        if "NAMESPACE" not in self.capabilities:
            return Namespaces()
        with self.guard("NAMESPACE"):
            ns = self._client().namespace()

        def pairs(kind: Any) -> tuple[tuple[str, str | None], ...]:
            return tuple((_text(p), None if d is None else _text(d)) for p, d in (kind or ()))

        return Namespaces(pairs(ns.personal) or (("", None),), pairs(ns.other), pairs(ns.shared))

    def list_mailboxes(self, return_options: str = "") -> tuple[list[Response], list[Response]]:
        """``LIST "" "*"`` (with ``RETURN (...)`` when given) -> (LIST responses, STATUS responses).

        imapclient's ``list_folders`` has no RETURN options; LIST-EXTENDED with SPECIAL-USE and
        LIST-STATUS gives names, subscription, special use and counts in one round trip, so this
        runs through the same imaplib engine imapclient drives, untouched.
        """
        transport = self._client().transport
        pattern = '"*"' + (f" RETURN ({return_options})" if return_options else "")
        with self.guard("LIST"):
            typ, data = transport.list('""', pattern)
            if typ != "OK":
                raise imaplib.IMAP4.error(transport.server_words())
            _, status = transport.response("STATUS")
        return _imaplib_responses("LIST", data), _imaplib_responses("STATUS", status)

    def list_subscribed(self) -> set[str]:
        """Wire names of the subscribed mailboxes (LSUB), for servers without LIST-EXTENDED."""
        with self.guard("LSUB"):
            got = self._client().list_sub_folders()
        return {_text(name) for _, _, name in got}

    def status(
        self, mailbox: str, items: Sequence[str] = ("MESSAGES", "UNSEEN", "UIDNEXT", "UIDVALIDITY")
    ) -> dict[str, int]:
        """STATUS counts of one mailbox (by wire name)."""
        with self.guard("STATUS"):
            got = self._client().folder_status(mailbox, list(items))
        return {_text(k).upper(): int(v) for k, v in got.items()}

    def create_mailbox(self, mailbox: str) -> None:
        """CREATE; an existing mailbox of that name is fine (ALREADYEXISTS)."""
        try:
            with self.guard("CREATE"):
                self._client().create_folder(mailbox)
        except ServerError as e:
            if "ALREADYEXISTS" not in e.reply.upper():
                raise

    def rename_mailbox(self, old: str, new: str) -> None:
        with self.guard("RENAME"):
            self._client().rename_folder(old, new)

    def delete_mailbox(self, mailbox: str) -> None:
        if self.selected == mailbox:
            self.unselect()
        with self.guard("DELETE"):
            self._client().delete_folder(mailbox)

    def subscribe(self, mailbox: str, subscribed: bool = True) -> None:
        client = self._client()
        with self.guard("SUBSCRIBE" if subscribed else "UNSUBSCRIBE"):
            if subscribed:
                client.subscribe_folder(mailbox)
            else:
                client.unsubscribe_folder(mailbox)

    # ------------------------------------------------------------ messages

    def store_flags(self, uids: Sequence[int], add: Sequence[str] = (), remove: Sequence[str] = ()) -> None:
        """``UID STORE +FLAGS.SILENT`` / ``-FLAGS.SILENT`` in the selected mailbox."""
        if not uids:
            return
        client = self._client()
        seq = sequence_set(list(uids))
        with self.guard("STORE"):
            if add:
                client.add_flags(seq, list(add), silent=True)
            if remove:
                client.remove_flags(seq, list(remove), silent=True)

    def copy(self, uids: Sequence[int], mailbox: str) -> dict[int, int]:
        """``UID COPY``; returns source -> new UID for ``uids`` as far as COPYUID (UIDPLUS) tells."""
        client = self._client()
        with self.guard("COPY"):
            client.copy(sequence_set(list(uids)), mailbox)
            text = client.transport.server_words()  # imaplib returns no tagged text for UID commands
        return copyuid_map([text], uids)

    def move(self, uids: Sequence[int], mailbox: str) -> dict[int, int]:
        """``UID MOVE`` (RFC 6851); returns source -> new UID from COPYUID, which comes untagged before the end."""
        client = self._client()
        with self.guard("MOVE"):
            client.move(sequence_set(list(uids)), mailbox)
            _, codes = client.transport.response("COPYUID")
            text = client.transport.server_words()
        found = ["COPYUID " + _text(c) for c in codes if c]
        return copyuid_map([*found, text], uids)

    def expunge(self, uids: Sequence[int] | None = None) -> None:
        """``UID EXPUNGE`` of exactly ``uids`` (UIDPLUS); else plain EXPUNGE, which removes every \\Deleted message."""
        client = self._client()
        with self.guard("EXPUNGE"):
            if uids and "UIDPLUS" in self.capabilities:
                client.uid_expunge(sequence_set(list(uids)))
            else:
                client.expunge()

    def append(self, mailbox: str, raw: bytes, flags: Sequence[str] = ()) -> int | None:
        """APPEND a message; its new UID when the server says (APPENDUID, UIDPLUS)."""
        with self.guard("APPEND"):
            text = self._client().append(mailbox, raw, list(flags))
        m = _APPENDUID.search(_text(text))
        return int(m.group(2)) if m else None

    def noop(self) -> None:
        with self.guard("NOOP"):
            self._client().noop()

    # ----------------------------------------------------------------- IDLE

    def idle_start(self) -> None:
        """Enter IDLE (RFC 2177) in the selected mailbox."""
        if "IDLE" not in self.capabilities:
            raise ServerError("The server does not support IDLE.")
        with self.guard("IDLE"):
            self._client().idle()

    def idle_check(self, timeout: float) -> list[tuple[Any, ...]]:
        """Responses received during IDLE within ``timeout`` seconds (imapclient's parsed form).

        Raises NetworkError when the server said BYE or closed the connection.
        """
        with self.guard("IDLE"):
            got: list[tuple[Any, ...]] = list(self._client().idle_check(timeout=max(0.0, timeout)))
        self._note_idle(got)
        for r in got:
            if r and r[0] == b"BYE":
                self.close()
                raise NetworkError(f"The server ended the connection: {_text(b' '.join(map(_bytes, r[1:])))}")
        if not self.connected:
            raise NetworkError(f"{self.account.host} closed the connection")
        return got

    def idle_done(self) -> list[tuple[Any, ...]]:
        """Leave IDLE; returns the responses that came since the last check."""
        with self.guard("IDLE"):
            _, got = self._client().idle_done()
        self._note_idle(got)
        return list(got)

    def _note_idle(self, responses: Sequence[tuple[Any, ...]]) -> None:
        for r in responses:
            if len(r) >= 2 and isinstance(r[0], int) and r[1] == b"EXISTS":
                self.exists = r[0]


# ----------------------------------------------------------------- helpers


def copyuid_map(texts: Sequence[str], wanted: Sequence[int]) -> dict[int, int]:
    """Source UID -> destination UID for ``wanted`` from COPYUID codes (RFC 4315), without expanding the sets."""
    out: dict[int, int] = {}
    for text in texts:
        m = _COPYUID.search(text or "")
        if m is None:
            continue
        try:
            src, dst = UidRanges.parse(m.group(2)), UidRanges.parse(m.group(3))
        except ProtocolError:
            continue
        for uid in wanted:
            pos = src.position(uid)
            new = dst.at(pos) if pos is not None else None
            if new is not None:
                out[uid] = new
    return out


def _imaplib_responses(name: str, data: list[Any]) -> list[Response]:
    """imaplib's untagged data for ``name`` -> our :class:`Response` objects (literals kept in order).

    imaplib stores a response with literals as ``(text up to {n}, literal)`` pairs followed by
    the rest of the line as plain bytes.
    """
    out: list[Response] = []
    text = b""
    literals: list[bytes] = []
    for item in data:
        if item is None:
            continue
        if isinstance(item, tuple):
            text += item[0]
            literals.append(item[1])
            continue
        out.append(Response("*", name.encode() + b" " + text + item, literals))
        text, literals = b"", []
    return out


def _caps(raw: Any) -> frozenset[str]:
    return frozenset(_text(c).upper() for c in raw)


def _text(v: Any) -> str:
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return str(v)


def _bytes(v: Any) -> bytes:
    return v if isinstance(v, bytes) else str(v).encode()


def _quotable(s: str) -> bool:
    """Printable ASCII: fits a quoted string (imaplib escapes quotes and backslashes)."""
    return all(0x20 <= ord(c) <= 0x7E for c in s)


def _astring(s: str) -> bytes | Literal:
    b = s.encode("utf-8")
    if any(c > 126 or c < 32 for c in b):
        return Literal(b)
    return quote(b)


def _search_arg(item: str) -> Arg:
    """A search key or value on our own path, quoted like imapclient quotes (only when needed)."""
    b = item.encode("utf-8")
    if any(c > 126 or c < 32 for c in b):
        return Literal(b)
    if not b or any(c in b' "\\()' for c in b):
        return quote(b)
    return b


def quote_mailbox(name: str) -> bytes:
    """A mailbox wire name (already modified UTF-7) as a quoted string."""
    return quote(name.encode("ascii", "replace"))


__all__ = [
    "ImapSession",
    "Literal",
    "Namespaces",
    "Response",
    "SelectInfo",
    "SocketFactory",
    "copyuid_map",
    "default_connect",
    "fetch_items",
    "imap_security",
    "quote_mailbox",
    "tokenize",
]
