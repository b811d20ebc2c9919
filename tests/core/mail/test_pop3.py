"""POP3 against the real Dovecot: security modes, auth, download modes into the mail cache, a dropped
connection mid-RETR, durability before DELE; and a fake server for answers over our length limits."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import errors
from app.core.errors import AuthError, NetworkError, ProtocolError, StartTlsUnavailable, TlsError, UnknownSecurity
from app.core.mail.mime import Compose, compose_bytes, parse_message
from app.core.mail.pop3 import (
    PlaintextAuthRefused,
    Pop3Config,
    Pop3Inbox,
    Pop3Options,
    Pop3Session,
    Pop3State,
    StoreFolderSink,
    apop_timestamp,
    download,
    join_lines,
    parse_capa,
    parse_list_lines,
    parse_stat,
    parse_uidl_lines,
)
from app.core.mail.store import Store
from app.core.urls import Security
from tests.servers.common import LOOPBACK, TlsMaterial
from tests.servers.dovecot import DovecotServer

# ------------------------------------------------------------------ parsers


@given(
    st.dictionaries(
        st.integers(1, 10**6), st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=70)
    )
)
def test_uidl_parser_round_trip(d: dict[int, str]) -> None:
    lines = [f"{n} {u}".encode() for n, u in d.items()]
    assert parse_uidl_lines(lines) == d


@given(st.dictionaries(st.integers(1, 10**6), st.integers(0, 10**12)))
def test_list_parser_round_trip(d: dict[int, int]) -> None:
    assert parse_list_lines([f"{n} {s}".encode() for n, s in d.items()]) == d


@given(st.lists(st.binary(max_size=40), max_size=10))
def test_parsers_never_crash_unexpectedly(lines: list[bytes]) -> None:
    for fn in (parse_uidl_lines, parse_list_lines):
        try:
            fn(lines)
        except ProtocolError:
            pass
    parse_capa(lines)
    apop_timestamp(b"".join(lines))


def test_small_parsers() -> None:
    assert parse_stat(b"+OK 3 1200") == (3, 1200)
    with pytest.raises(ProtocolError):
        parse_stat(b"+OK x")
    assert parse_capa([b"SASL PLAIN LOGIN", b"stls", b"UIDL"]) == {"SASL": ["PLAIN", "LOGIN"], "STLS": [], "UIDL": []}
    assert apop_timestamp(b"+OK ready <1896.697170952@dbc.mtview.ca.us>") == b"<1896.697170952@dbc.mtview.ca.us>"
    assert apop_timestamp(b"+OK Dovecot ready.") is None
    assert join_lines([b"a", b"", b"b"]) == b"a\r\n\r\nb\r\n"


# ------------------------------------------------------------------ helpers


def _config(dovecot: DovecotServer, tls: TlsMaterial, user: str, security: str = "tls", **kw: object) -> Pop3Config:
    port = {"tls": dovecot.pop3s_port, "starttls": dovecot.pop3_port, "plain": dovecot.pop3_port}[security]
    return Pop3Config(dovecot.host, port, user, security, cafile=str(tls.ca_pem), timeout=20, **kw)  # type: ignore[arg-type]


def _deliver(dovecot: DovecotServer, user: str, n: int, body_size: int = 200) -> list[str]:
    ids = []
    for i in range(n):
        c = Compose(
            from_addr="Sender <sender@example.test>",
            to=[dovecot.address(user)],
            subject=f"Tin nhắn {i}",
            text=(f"message {i} " + "x" * 70 + "\n") * max(1, body_size // 80),
        )
        dovecot.deliver(user, compose_bytes(c))
        assert c.message_id
        ids.append(c.message_id)
    return ids


@contextlib.contextmanager
def _inbox(tmp_path: Path, clock: float | None = None) -> Iterator[tuple[Store, Pop3Inbox, int]]:
    store = Store.open(tmp_path / "mail.sqlite3")
    acc = store.ensure_account("pop3:u", "pop3")
    folder = store.create_local_folder(acc, "Inbox")
    inbox = Pop3Inbox(store, folder) if clock is None else Pop3Inbox(store, folder, clock=lambda: clock)
    try:
        yield store, inbox, folder
    finally:
        store.close()


def _server_count(dovecot: DovecotServer, tls: TlsMaterial, user: str, pw: str) -> int:
    s = Pop3Session.connect(_config(dovecot, tls, user), pw)
    try:
        return s.stat()[0]
    finally:
        s.quit()


# ----------------------------------------------------------- security, auth


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_connect_and_commands(
    security: str, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    _deliver(dovecot, user, 2)
    s = Pop3Session.connect(_config(dovecot, tls_material, user, security), pw)
    try:
        assert s.encrypted
        count, size = s.stat()
        assert count == 2
        sizes = s.list()
        assert sum(sizes.values()) == size
        uidls = s.uidl()
        assert set(uidls) == {1, 2}
        pv = s.preview(1, uidls[1], sizes[1])
        assert pv.subject == "Tin nhắn 0"
        assert "sender@example.test" in pv.from_addr
        raw = s.retr(2)
        assert parse_message(raw).subject == "Tin nhắn 1"
        s.noop()
        s.dele(1)
        s.rset()
    finally:
        s.quit()
    assert _server_count(dovecot, tls_material, user, pw) == 2


def test_pin_and_untrusted(dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial) -> None:
    user, pw = mail_user
    cfg = Pop3Config(dovecot.host, dovecot.pop3s_port, user, "tls", pin=tls_material.fingerprint_sha256())
    Pop3Session.connect(cfg, pw).quit()
    for security, port in (("tls", dovecot.pop3s_port), ("starttls", dovecot.pop3_port)):
        with pytest.raises(TlsError) as ei:
            Pop3Session.connect(Pop3Config(dovecot.host, port, user, security), pw)
        assert ei.value.certificate is not None
        assert ei.value.certificate.fingerprint_display == tls_material.fingerprint_sha256()
    with pytest.raises(TlsError):
        Pop3Session.connect(Pop3Config(dovecot.host, dovecot.pop3s_port, user, "tls", pin="ab" * 32), pw)


def test_wrong_password_is_auth_error(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, _ = mail_user
    for auth in ("auto", "user", "plain"):
        with pytest.raises(AuthError) as ei:
            Pop3Session.connect(_config(dovecot, tls_material, user, auth=auth), "not-the-password")
        assert "not-the-password" not in str(ei.value)


def test_auth_methods(dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial) -> None:
    user, pw = mail_user
    for auth in ("user", "plain"):
        Pop3Session.connect(_config(dovecot, tls_material, user, "starttls", auth=auth), pw).quit()


def test_plaintext_only_when_allowed(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    with pytest.raises(PlaintextAuthRefused):
        Pop3Session.connect(_config(dovecot, tls_material, user, "plain"), pw)
    s = Pop3Session.connect(_config(dovecot, tls_material, user, "plain", allow_plaintext_auth=True), pw)
    assert not s.encrypted
    s.quit()


# ------------------------------------------------------------ a STLS-less server


class _Proxy:
    """A loopback TCP relay in front of a real server; can cut the first connection after N server bytes,
    or hide STLS from the CAPA answer (a downgrade attack)."""

    def __init__(self, target_port: int, *, cut_after: int | None = None, strip_stls: bool = False) -> None:
        self.target_port = target_port
        self.cut_after = cut_after
        self.strip_stls = strip_stls
        self.listener = socket.create_server((LOOPBACK, 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            cut = self.cut_after if self.connections == 1 else None
            server = socket.create_connection((LOOPBACK, self.target_port))
            threading.Thread(target=self._pump, args=(client, server, None, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, cut, self.strip_stls), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket, cut: int | None, strip: bool) -> None:
        sent = 0
        try:
            while True:
                data = src.recv(4096)
                if not data:
                    break
                if strip:
                    data = data.replace(b"STLS\r\n", b"")
                if cut is not None and sent + len(data) > cut:
                    dst.sendall(data[: cut - sent])
                    # abort both directions, as a network failure would
                    # (shutdown first: the other pump thread blocked in recv keeps a plain close() from acting)
                    for s in (src, dst):
                        with contextlib.suppress(OSError):
                            s.shutdown(socket.SHUT_RDWR)
                        s.close()
                    return
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._stop = True
        self.listener.close()


def test_stls_stripped_is_refused(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    proxy = _Proxy(dovecot.pop3_port, strip_stls=True)
    try:
        cfg = Pop3Config(dovecot.host, proxy.port, user, "starttls", cafile=str(tls_material.ca_pem))
        with pytest.raises(StartTlsUnavailable):
            Pop3Session.connect(cfg, pw)
    finally:
        proxy.close()


# ---------------------------------------------------------------- download


def test_delete_mode_downloads_then_deletes(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    user, pw = mail_user
    ids = _deliver(dovecot, user, 3)
    with _inbox(tmp_path) as (store, inbox, folder):
        s = Pop3Session.connect(_config(dovecot, tls_material, user), pw)
        report = download(s, inbox, Pop3Options(keep=False))
        assert len(report.downloaded) == 3
        assert len(report.deleted) == 3
        assert sorted(r.message_id for r in store.list_messages(folder)) == sorted(ids)
        assert store.search("nhắn", folder_id=folder)
        assert inbox.seen() == {}  # the server forgot them, so do we
    assert _server_count(dovecot, tls_material, user, pw) == 0


def test_keep_mode_never_downloads_twice_and_deletes_after_days(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    user, pw = mail_user
    _deliver(dovecot, user, 2)
    with _inbox(tmp_path, clock=1000.0) as (store, inbox, folder):
        opts = Pop3Options(keep=True, delete_after_days=7)
        r1 = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), inbox, opts, now=1000)
        assert len(r1.downloaded) == 2 and r1.deleted == []
        _deliver(dovecot, user, 1)
        r2 = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), inbox, opts, now=2000)
        assert len(r2.downloaded) == 1 and r2.deleted == []
        assert store.count(folder) == 3
        assert _server_count(dovecot, tls_material, user, pw) == 3
        # eight days later the first two (downloaded at t=1000) go; the third was stored at t=1000 too
        # (the fake clock), so all three qualify
        later = 1000 + 8 * 86400
        r3 = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), inbox, opts, now=later)
        assert r3.downloaded == [] and len(r3.deleted) == 3
        assert store.count(folder) == 3
    assert _server_count(dovecot, tls_material, user, pw) == 0


def test_keep_mode_delete_when_deleted_here_and_skip_big(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    user, pw = mail_user
    _deliver(dovecot, user, 1)
    _deliver(dovecot, user, 1, body_size=20000)
    with _inbox(tmp_path) as (store, inbox, folder):
        opts = Pop3Options(keep=True, delete_when_deleted_here=True, max_size=5000)
        r1 = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), inbox, opts)
        assert len(r1.downloaded) == 1
        assert len(r1.skipped) == 1 and r1.skipped[0].size > 5000 and r1.skipped[0].subject == "Tin nhắn 0"
        (row,) = store.list_messages(folder)
        store.delete_message(row.id)  # deleting the local copy is what marks it deleted here
        (seen,) = inbox.seen().values()
        assert seen.deleted_here and seen.message_id is None
        r2 = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), inbox, opts)
        assert len(r2.deleted) == 1 and len(r2.skipped) == 1 and r2.downloaded == []
        # the user now chooses to take the big one
        opts.choose = lambda pv: True
        r3 = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), inbox, opts)
        assert len(r3.downloaded) == 1
        assert store.count(folder) == 1
        inbox.mark_deleted_here(store.list_messages(folder)[0].id)  # the explicit form does the same
        r4 = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), inbox, opts)
        assert len(r4.deleted) == 1 and store.count(folder) == 1
    assert _server_count(dovecot, tls_material, user, pw) == 0


def test_drop_mid_retr_in_delete_mode(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    user, pw = mail_user
    ids = _deliver(dovecot, user, 3, body_size=12000)
    proxy = _Proxy(dovecot.pop3_port, cut_after=20000)  # greeting..UIDL..LIST, RETR 1 (~12 KB), then mid RETR 2
    try:
        cfg = Pop3Config(dovecot.host, proxy.port, user, Security.NONE, allow_plaintext=True, timeout=20)
        with _inbox(tmp_path) as (store, inbox, folder):
            with pytest.raises(NetworkError):
                download(Pop3Session.connect(cfg, pw), inbox, Pop3Options(keep=False))
            assert [r.message_id for r in store.list_messages(folder)] == [ids[0]]
            assert _server_count(dovecot, tls_material, user, pw) == 3  # nothing deleted on the server
            report = download(Pop3Session.connect(cfg, pw), inbox, Pop3Options(keep=False))
            assert len(report.downloaded) == 2
            assert len(report.deleted) == 3
            got = sorted(r.message_id for r in store.list_messages(folder))
            assert got == sorted(ids)  # nothing lost, nothing twice
    finally:
        proxy.close()
    assert _server_count(dovecot, tls_material, user, pw) == 0


def test_crash_between_store_and_mark_keeps_neither(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    """Storing a message and recording its UIDL is one transaction: a crash in between leaves neither,
    so the next run downloads it exactly once (no byte-by-byte search for a half-recorded copy)."""
    user, pw = mail_user
    _deliver(dovecot, user, 2)

    class Crash(BaseException):
        pass

    with _inbox(tmp_path) as (store, inbox, folder):
        real_mark = store.mark_pop3_uidl
        calls: list[str] = []

        def crashing_mark(account_id: int, uidl: str, *a: object, **kw: object) -> None:
            calls.append(uidl)
            if len(calls) == 2:
                raise Crash()
            real_mark(account_id, uidl, *a, **kw)  # type: ignore[arg-type]

        store.mark_pop3_uidl = crashing_mark  # type: ignore[method-assign]
        with pytest.raises(Crash):
            download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), inbox)
        store.mark_pop3_uidl = real_mark  # type: ignore[method-assign]
        assert store.count(folder) == 1 and len(inbox.seen()) == 1  # the second message: neither stored nor marked
        report = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), inbox)
        assert len(report.downloaded) == 1 and len(report.deleted) == 2
        assert store.count(folder) == 2
        assert len({r.message_id for r in store.list_messages(folder)}) == 2
    assert _server_count(dovecot, tls_material, user, pw) == 0


def test_delete_mode_makes_the_cache_durable_before_dele(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    """Before the first DELE the cache runs one commit with synchronous=FULL (SQLite flushes the WAL on its own
    handle: no fsync of ours, none on a read-only descriptor), and nothing is committed after it before DELE."""
    user, pw = mail_user
    _deliver(dovecot, user, 2)
    events: list[str] = []
    with _inbox(tmp_path) as (store, inbox, _folder):
        store.conn.set_trace_callback(lambda sql: events.append(sql.strip().upper()))
        s = Pop3Session.connect(_config(dovecot, tls_material, user), pw)
        real_dele = s.dele
        s.dele = lambda n: (events.append(f"DELE {n}"), real_dele(n))[1]  # type: ignore[method-assign]
        download(s, inbox, Pop3Options(keep=False))
        store.conn.set_trace_callback(None)
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # back to NORMAL
        assert store.conn.execute("PRAGMA fullfsync").fetchone()[0] == 0
    first_dele = events.index("DELE 1")
    full = max(i for i, e in enumerate(events[:first_dele]) if e == "PRAGMA SYNCHRONOUS = FULL")
    barrier = [e.split(" (")[0] for e in events[full:first_dele]]
    assert barrier == [
        "PRAGMA SYNCHRONOUS = FULL",
        "PRAGMA FULLFSYNC = ON",
        "BEGIN IMMEDIATE",
        "INSERT OR REPLACE INTO STORE_META",
        "COMMIT",  # this commit flushes the WAL, and every download committed before it
        "PRAGMA FULLFSYNC = OFF",
        "PRAGMA SYNCHRONOUS = NORMAL",
    ]
    assert events[:full].count("COMMIT") >= 2  # the two downloads, each committed with its UIDL
    assert events.count("PRAGMA SYNCHRONOUS = FULL") == 1
    assert _server_count(dovecot, tls_material, user, pw) == 0


def test_keep_mode_without_deletions_needs_no_flush(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    user, pw = mail_user
    _deliver(dovecot, user, 1)
    with _inbox(tmp_path) as (_store, inbox, _folder):
        flushes: list[int] = []
        inbox.flush_to_disk = lambda: flushes.append(1)  # type: ignore[method-assign]
        report = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), inbox, Pop3Options(keep=True))
        assert len(report.downloaded) == 1 and flushes == []
    assert _server_count(dovecot, tls_material, user, pw) == 1


def test_older_two_file_interface_still_works_and_imports_the_old_state(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    """``download(session, Pop3State(path), account, StoreFolderSink(...), options)`` as the CLI calls it; a state
    file an older Quay left elsewhere is imported on first use and renamed."""
    import sqlite3

    user, pw = mail_user
    _deliver(dovecot, user, 2)
    with _inbox(tmp_path) as (store, _inbox_unused, folder):
        s = Pop3Session.connect(_config(dovecot, tls_material, user), pw)
        uidls = s.uidl()
        s.quit()
        old = tmp_path / "elsewhere" / "pop3.sqlite3"
        old.parent.mkdir()
        with contextlib.closing(sqlite3.connect(old)) as c:
            c.execute(
                "CREATE TABLE uidl (account TEXT NOT NULL, uidl TEXT NOT NULL, state TEXT NOT NULL,"
                " local_ref TEXT NOT NULL DEFAULT '', size INTEGER NOT NULL DEFAULT 0, downloaded REAL NOT NULL,"
                " deleted_here INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (account, uidl))"
            )
            c.execute("INSERT INTO uidl VALUES ('pop3:u', ?, 'stored', '', 10, 5.0, 0)", (uidls[1],))
            c.commit()
        state = Pop3State(old)
        r = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), state, "pop3:u",
                     StoreFolderSink(store, folder), Pop3Options(keep=True))  # fmt: skip
        state.close()
        assert r.downloaded == [uidls[2]]  # the first was downloaded by the older Quay
        assert not old.exists() and old.with_name("pop3.sqlite3.migrated").exists()
        assert store.count(folder) == 1


def test_protocol_log_has_no_password(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    import base64

    from app.core.protolog import ProtoLog

    user, pw = mail_user
    for auth in ("user", "plain"):
        path = tmp_path / f"{auth}.log"
        log = ProtoLog(path)
        Pop3Session.connect(_config(dovecot, tls_material, user, auth=auth), pw, protolog=log).quit()
        log.close()
        text = path.read_text()
        assert "CAPA" in text and "QUIT" in text
        assert pw not in text
        assert base64.b64encode(f"\0{user}\0{pw}".encode()).decode() not in text


class _ApopDovecot(DovecotServer):
    """The same real Dovecot with the APOP mechanism switched on (it then puts a timestamp in its greeting)."""

    def _config(self) -> str:
        return super()._config().replace("auth_mechanisms = plain login", "auth_mechanisms = plain login apop")


def test_apop_against_dovecot(tls_material: TlsMaterial, tmp_path: Path) -> None:
    import io

    from app.core.protolog import ProtoLog

    with _ApopDovecot(tmp_path / "dc", tls_material, name="dovecot-apop") as dc:
        user, pw = dc.new_user()
        cfg = Pop3Config(dc.host, dc.pop3_port, user, "plain", allow_plaintext_auth=True, timeout=20)
        stream = io.StringIO()
        s = Pop3Session.connect(cfg, pw, protolog=ProtoLog(stream=stream))
        assert s.stat() == (0, 0)
        s.quit()
        log = stream.getvalue()
        assert "C: APOP" in log and "C: PASS" not in log and "AUTH" not in log  # the password never crossed
        cfg.auth = "apop"
        with pytest.raises(AuthError):
            Pop3Session.connect(cfg, "wrong")


# ------------------------------------------------------- vocabulary and limits


def test_security_is_the_shared_vocabulary() -> None:
    assert Pop3Config("h", 110, "u", "plain").security is Security.NONE  # the word older records used
    assert Pop3Config("h", 110, "u", "starttls").security is Security.STARTTLS
    assert Pop3Config("h", 110, "u", Security.STARTTLS).security is Security.STARTTLS
    assert Pop3Config("h", 995, "u").security is Security.TLS
    for bad in ("ssl-maybe", Security.SSH, ""):
        with pytest.raises(UnknownSecurity):
            Pop3Config("h", 110, "u", bad)
    legacy = Pop3Config("h", 110, "u", "none", allow_plaintext_auth=True)
    assert legacy.allow_plaintext and Pop3Config("h", 110, "u", "none", allow_plaintext=True).allow_plaintext_auth
    assert PlaintextAuthRefused is errors.PlaintextAuthRefused


class _FakePop3:
    """A POP3 server on a loopback socket for answers a real server will not give: it logs in anyone and
    answers the commands in ``answers`` with the bytes given (anything else: ``+OK``)."""

    def __init__(self, answers: dict[bytes, bytes]) -> None:
        self.answers = answers
        self.commands: list[bytes] = []
        self.listener = socket.create_server((LOOPBACK, 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with conn, conn.makefile("rb") as f:
            try:
                conn.sendall(b"+OK fake POP3 ready\r\n")
                for line in f:
                    cmd = (line.split() or [b""])[0].upper()
                    self.commands.append(cmd)
                    if cmd == b"QUIT":
                        conn.sendall(b"+OK bye\r\n")
                        return
                    conn.sendall(self.answers.get(cmd, b"+OK\r\n"))
            except OSError:
                return

    def config(self, **kw: object) -> Pop3Config:
        return Pop3Config(LOOPBACK, self.port, "u", Security.NONE, allow_plaintext=True, timeout=10, **kw)  # type: ignore[arg-type]

    def close(self) -> None:
        self.listener.close()


@pytest.mark.parametrize(
    ("answers", "limits", "named"),
    [
        # one endless line (no CRLF) in a listing: stops reading after the line limit
        ({b"UIDL": b"+OK\r\n1 " + b"x" * (3 * 1024 * 1024)}, {}, ("a line", "1 MiB", "UIDL")),
        # a listing of short lines that never ends with "."
        ({b"UIDL": b"+OK\r\n" + b"1 abc\r\n" * 20000}, {"max_listing": 65536}, ("an answer", "65536 bytes", "UIDL")),
        # a message over the message limit
        (
            {b"UIDL": b"+OK\r\n1 a\r\n.\r\n", b"LIST": b"+OK\r\n1 10\r\n.\r\n",
             b"RETR": b"+OK\r\n" + (b"y" * 70 + b"\r\n") * 3000 + b".\r\n"},
            {"max_message": 100_000},
            ("an answer", "100000 bytes", "RETR"),
        ),
    ],
)  # fmt: skip
def test_answers_over_the_limits_are_protocol_errors(
    answers: dict[bytes, bytes], limits: dict[str, int], named: tuple[str, ...], tmp_path: Path
) -> None:
    server = _FakePop3({b"CAPA": b"-ERR no\r\n", **answers})
    try:
        with _inbox(tmp_path) as (store, inbox, folder):
            s = Pop3Session.connect(server.config(**limits), "pw")
            with pytest.raises(ProtocolError) as ei:
                download(s, inbox, Pop3Options(keep=False))
            assert store.count(folder) == 0 and inbox.seen() == {}
        for word in named:
            assert word in str(ei.value)
        assert b"DELE" not in server.commands and b"QUIT" not in server.commands  # aborted: nothing deleted
    finally:
        server.close()


def test_a_long_single_line_reply_is_a_protocol_error() -> None:
    server = _FakePop3({b"CAPA": b"-ERR no\r\n", b"STAT": b"+OK " + b"9" * 5000 + b"\r\n"})
    try:
        s = Pop3Session.connect(server.config(max_line=4096), "pw")
        with pytest.raises(ProtocolError, match="a line longer than Quay's limit of 4096 bytes in answer to STAT"):
            s.stat()
        s.abort()
    finally:
        server.close()
