"""POP3 against the real Dovecot: security modes, auth, download modes, and a dropped connection mid-RETR."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import AuthError, NetworkError, ProtocolError, StartTlsUnavailable, TlsError
from app.core.mail.mime import Compose, compose_bytes, parse_message
from app.core.mail.pop3 import (
    PlaintextAuthRefused,
    Pop3Config,
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
def _store_sink(tmp_path: Path, name: str = "u") -> Iterator[tuple[Store, StoreFolderSink, int]]:
    store = Store.open(tmp_path / "mail.sqlite3")
    acc = store.ensure_account(f"pop3:{name}", "pop3")
    folder = store.create_local_folder(acc, "Inbox")
    try:
        yield store, StoreFolderSink(store, folder), folder
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
    state = Pop3State(tmp_path / "pop3.sqlite3")
    with _store_sink(tmp_path) as (store, sink, folder):
        s = Pop3Session.connect(_config(dovecot, tls_material, user), pw)
        report = download(s, state, "acc", sink, Pop3Options(keep=False))
        assert len(report.downloaded) == 3
        assert len(report.deleted) == 3
        assert sorted(r.message_id for r in store.list_messages(folder)) == sorted(ids)
        assert store.search("nhắn", folder_id=folder)
    assert _server_count(dovecot, tls_material, user, pw) == 0
    assert state.known("acc") == {}


def test_keep_mode_never_downloads_twice_and_deletes_after_days(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    user, pw = mail_user
    _deliver(dovecot, user, 2)
    state = Pop3State(tmp_path / "pop3.sqlite3", clock=lambda: 1000.0)
    with _store_sink(tmp_path) as (store, sink, folder):
        opts = Pop3Options(keep=True, delete_after_days=7)
        r1 = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), state, "a", sink, opts, now=1000)
        assert len(r1.downloaded) == 2 and r1.deleted == []
        _deliver(dovecot, user, 1)
        r2 = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), state, "a", sink, opts, now=2000)
        assert len(r2.downloaded) == 1 and r2.deleted == []
        assert store.count(folder) == 3
        assert _server_count(dovecot, tls_material, user, pw) == 3
        # eight days later the first two (downloaded at t=1000) go; the third was stored at t=1000 too
        # (the fake clock), so all three qualify
        later = 1000 + 8 * 86400
        r3 = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), state, "a", sink, opts, now=later)
        assert r3.downloaded == [] and len(r3.deleted) == 3
        assert store.count(folder) == 3
    assert _server_count(dovecot, tls_material, user, pw) == 0


def test_keep_mode_delete_when_deleted_here_and_skip_big(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    user, pw = mail_user
    _deliver(dovecot, user, 1)
    _deliver(dovecot, user, 1, body_size=20000)
    state = Pop3State(tmp_path / "pop3.sqlite3")
    with _store_sink(tmp_path) as (store, sink, folder):
        opts = Pop3Options(keep=True, delete_when_deleted_here=True, max_size=5000)
        r1 = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), state, "a", sink, opts)
        assert len(r1.downloaded) == 1
        assert len(r1.skipped) == 1 and r1.skipped[0].size > 5000 and r1.skipped[0].subject == "Tin nhắn 0"
        (row,) = store.list_messages(folder)
        state.mark_deleted_here("a", str(row.id))
        r2 = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), state, "a", sink, opts)
        assert len(r2.deleted) == 1 and len(r2.skipped) == 1
        # the user now chooses to take the big one
        opts.choose = lambda pv: True
        r3 = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), state, "a", sink, opts)
        assert len(r3.downloaded) == 1
        assert store.count(folder) == 2
    assert _server_count(dovecot, tls_material, user, pw) == 1


def test_drop_mid_retr_in_delete_mode(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    user, pw = mail_user
    ids = _deliver(dovecot, user, 3, body_size=12000)
    proxy = _Proxy(dovecot.pop3_port, cut_after=20000)  # greeting..UIDL..LIST, RETR 1 (~12 KB), then mid RETR 2
    state = Pop3State(tmp_path / "pop3.sqlite3")
    try:
        cfg = Pop3Config(dovecot.host, proxy.port, user, "plain", allow_plaintext_auth=True, timeout=20)
        with _store_sink(tmp_path) as (store, sink, folder):
            with pytest.raises(NetworkError):
                download(Pop3Session.connect(cfg, pw), state, "a", sink, Pop3Options(keep=False))
            assert [r.message_id for r in store.list_messages(folder)] == [ids[0]]
            assert _server_count(dovecot, tls_material, user, pw) == 3  # nothing deleted on the server
            report = download(Pop3Session.connect(cfg, pw), state, "a", sink, Pop3Options(keep=False))
            assert len(report.downloaded) == 2
            assert len(report.deleted) == 3
            got = sorted(r.message_id for r in store.list_messages(folder))
            assert got == sorted(ids)  # nothing lost, nothing twice
    finally:
        proxy.close()
    assert _server_count(dovecot, tls_material, user, pw) == 0


def test_crash_between_store_and_mark_is_not_duplicated(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    user, pw = mail_user
    _deliver(dovecot, user, 2)
    state = Pop3State(tmp_path / "pop3.sqlite3")

    class Crash(BaseException):
        pass

    with _store_sink(tmp_path) as (store, sink, folder):
        real_mark = state.mark_stored

        def crashing_mark(account: str, uidl: str, ref: str) -> None:
            raise Crash()

        state.mark_stored = crashing_mark  # type: ignore[method-assign]
        with pytest.raises(Crash):
            download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), state, "a", sink)
        state.mark_stored = real_mark  # type: ignore[method-assign]
        assert store.count(folder) == 1  # stored, but the UIDL is only "pending"
        report = download(Pop3Session.connect(_config(dovecot, tls_material, user), pw), state, "a", sink)
        assert len(report.already_had) == 1 and len(report.downloaded) == 1
        assert store.count(folder) == 2
    assert _server_count(dovecot, tls_material, user, pw) == 0


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
