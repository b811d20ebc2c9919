"""Outbox: the state machine (crash at every step), several senders at once, and real sends through aiosmtpd."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from app.core.mail import outbox as ob
from app.core.mail.mime import Compose, compose_bytes, parse_message
from app.core.mail.outbox import Outbox, StoreSentFolder, backoff_delay
from app.core.mail.smtp import (
    MessageRejected,
    RecipientFailure,
    Security,
    SendResult,
    SmtpConfig,
    SmtpSender,
    SmtpTemporaryError,
)
from app.core.mail.store import Store
from tests.core.mail.test_smtp import imap_fetch_all, wait_for_messages
from tests.servers.common import TlsMaterial, free_port
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer


class Clock:
    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


class Crash(BaseException):
    """Stands for the process dying at this point."""


class ScriptedTransport:
    """Records deliveries; ``before``/``after`` hooks run around the data phase to inject crashes or errors."""

    def __init__(self) -> None:
        self.delivered: list[bytes] = []
        self.before_data: Callable[[], None] | None = None
        self.after_data: Callable[[], None] | None = None
        self.result: SendResult | None = None

    def send(
        self,
        sender: str,
        recipients: Sequence[str],
        message: bytes,
        *,
        on_data_phase: Callable[[], None] | None = None,
    ) -> SendResult:
        if self.before_data:
            hook, self.before_data = self.before_data, None
            hook()
        if on_data_phase:
            on_data_phase()
        self.delivered.append(message)
        if self.after_data:
            hook, self.after_data = self.after_data, None
            hook()
        return self.result or SendResult(accepted=list(recipients), reply="250 OK")


class ListSent:
    def __init__(self) -> None:
        self.copies: list[bytes] = []
        self.crash_after_append = False

    def contains_message_id(self, message_id: str) -> bool:
        return any(parse_message(c).message_id == message_id for c in self.copies)

    def append_sent(self, raw: bytes) -> None:
        self.copies.append(raw)
        if self.crash_after_append:
            self.crash_after_append = False
            raise Crash()


def _enqueue(box: Outbox, **kw: object) -> int:
    c = Compose(from_addr="a@example.test", to=["b@example.test"], subject="s", text="t")
    raw = compose_bytes(c)
    assert c.message_id
    return box.enqueue("acc", "a@example.test", ["b@example.test"], raw, message_id=c.message_id, **kw)  # type: ignore[arg-type]


def _reopen(box: Outbox, clock: Clock) -> Outbox:
    box.close()
    new = Outbox.open(box.path, clock=clock)
    new.recover()
    return new


def test_happy_path_and_schema(tmp_path: Path) -> None:
    clock = Clock()
    box = Outbox.open(tmp_path / "outbox.sqlite3", clock=clock)
    i = _enqueue(box)
    t, sent = ScriptedTransport(), ListSent()
    item = box.process(i, t, sent)
    assert item.state == ob.DONE
    assert len(t.delivered) == 1 and len(sent.copies) == 1
    assert box.items() == []
    assert [x.id for x in box.items(include_done=True)] == [i]
    assert box.purge_done() == 1
    assert box._db.execute("PRAGMA user_version").fetchone()[0] == ob.SCHEMA_VERSION
    assert box._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    box.close()


def test_crash_before_data_resends_once(tmp_path: Path) -> None:
    clock = Clock()
    box = Outbox.open(tmp_path / "o.sqlite3", clock=clock)
    i = _enqueue(box)
    t, sent = ScriptedTransport(), ListSent()

    def crash() -> None:
        raise Crash()

    t.before_data = crash
    with pytest.raises(Crash):
        box.process(i, t, sent)
    assert box.get(i).state == ob.SENDING
    box = _reopen(box, clock)
    assert box.get(i).state == ob.QUEUED
    box.run_due(lambda a: t, lambda a: sent)
    assert len(t.delivered) == 1 and len(sent.copies) == 1
    assert box.get(i).state == ob.DONE


@pytest.mark.parametrize("decision", ["it-arrived", "send-again"])
def test_crash_after_data_needs_the_user(tmp_path: Path, decision: str) -> None:
    clock = Clock()
    box = Outbox.open(tmp_path / "o.sqlite3", clock=clock)
    i = _enqueue(box)
    t, sent = ScriptedTransport(), ListSent()

    def crash() -> None:
        raise Crash()

    t.after_data = crash
    with pytest.raises(Crash):
        box.process(i, t, sent)
    box = _reopen(box, clock)
    item = box.get(i)
    assert item.state == ob.UNKNOWN and item.needs_user
    clock.t += 10_000
    box.run_due(lambda a: t, lambda a: sent)
    assert len(t.delivered) == 1  # never resent on its own
    if decision == "it-arrived":
        box.confirm_sent(i)  # the user checked: it arrived
        box.run_due(lambda a: t, lambda a: sent)
        assert len(t.delivered) == 1
    else:
        box.resend(i)  # the user says: send it again
        box.run_due(lambda a: t, lambda a: sent)
        assert len(t.delivered) == 2
    assert box.get(i).state == ob.DONE
    assert len(sent.copies) == 1


def test_crash_after_sent_copy_is_not_duplicated(tmp_path: Path) -> None:
    clock = Clock()
    box = Outbox.open(tmp_path / "o.sqlite3", clock=clock)
    i = _enqueue(box)
    t, sent = ScriptedTransport(), ListSent()
    sent.crash_after_append = True
    with pytest.raises(Crash):
        box.process(i, t, sent)
    box = _reopen(box, clock)
    assert box.get(i).state == ob.APPENDING
    box.run_due(lambda a: t, lambda a: sent)
    assert box.get(i).state == ob.DONE
    assert len(sent.copies) == 1 and len(t.delivered) == 1


def test_retry_backoff_hold_and_send_later(tmp_path: Path) -> None:
    clock = Clock()
    box = Outbox.open(tmp_path / "o.sqlite3", clock=clock)
    later = _enqueue(box, send_at=clock.t + 3600)
    assert box.due() == []
    assert box.next_due_time() == clock.t + 3600
    i = _enqueue(box)
    t, sent = ScriptedTransport(), ListSent()

    def temp_fail() -> None:
        raise SmtpTemporaryError("451 later", code=451)

    t.before_data = temp_fail
    item = box.process(i, t, sent)
    assert item.state == ob.RETRY and item.attempts == 1
    assert item.not_before == clock.t + backoff_delay(1)
    assert box.due() == []
    clock.t += backoff_delay(1)
    assert [x.id for x in box.due()] == [i]

    def perm_fail() -> None:
        raise MessageRejected("554 no", code=554)

    t.before_data = perm_fail
    item = box.process(i, t, sent)
    assert item.state == ob.HELD and item.error_kind == "rejected" and "554" in item.last_error
    clock.t += 10**6
    assert [x.id for x in box.due()] == [later]
    box.release(i)
    box.run_due(lambda a: t, lambda a: sent)
    assert box.get(i).state == ob.DONE and box.get(later).state == ob.DONE
    assert len(t.delivered) == 2
    assert backoff_delay(100) == ob.BACKOFF_MAX


def test_partial_refusal_retries_only_temporarily_refused(tmp_path: Path) -> None:
    clock = Clock()
    box = Outbox.open(tmp_path / "o.sqlite3", clock=clock)
    raw = b"Message-ID: <x@y>\r\nSubject: s\r\n\r\nbody\r\n"
    i = box.enqueue("acc", "a@x", ["ok@x", "busy@x", "gone@x"], raw, message_id="<x@y>")
    t, sent = ScriptedTransport(), ListSent()
    t.result = SendResult(
        accepted=["ok@x"],
        refused={"busy@x": RecipientFailure("busy@x", 450, "busy"), "gone@x": RecipientFailure("gone@x", 550, "no")},
        reply="250 OK",
    )
    item = box.process(i, t, sent)
    assert item.state == ob.DONE
    assert item.refused == {"busy@x": (450, "busy"), "gone@x": (550, "no")}
    (retry,) = box.items()
    assert retry.recipients == ["busy@x"] and retry.state == ob.RETRY and not retry.sent_copy
    clock.t += 10**5
    box.run_due(lambda a: t, lambda a: sent)
    assert box.get(retry.id).state == ob.DONE
    assert len(sent.copies) == 1


def test_cancel_and_reschedule(tmp_path: Path) -> None:
    clock = Clock()
    box = Outbox.open(tmp_path / "o.sqlite3", clock=clock)
    i = _enqueue(box)
    box.reschedule(i, clock.t + 60)
    assert box.due() == []
    box.cancel(i)
    with pytest.raises(KeyError):
        box.get(i)


# ------------------------------------------------------------- real servers


def _smtp(smtp: SmtpServer, tls: TlsMaterial, user: str, pw: str, port: int | None = None) -> SmtpSender:
    cfg = SmtpConfig(
        smtp.host, port or smtp.submission_port, Security.STARTTLS, username=user, cafile=str(tls.ca_pem), timeout=20
    )
    return SmtpSender(cfg, password=pw)


def test_server_down_then_back_sends_exactly_once(
    smtp_clean: SmtpServer,
    dovecot: DovecotServer,
    mail_user: tuple[str, str],
    tls_material: TlsMaterial,
    tmp_path: Path,
) -> None:
    user, pw = mail_user
    clock = Clock()
    box = Outbox.open(tmp_path / "outbox.sqlite3", clock=clock)
    store = Store.open(tmp_path / "mail.sqlite3")
    acc = store.ensure_account("smtp:test", "smtp")
    sent_folder = StoreSentFolder(store, store.create_local_folder(acc, "Sent"))
    c = Compose(from_addr=dovecot.address(user), to=[dovecot.address(user)], subject="Outbox ✓", text="hi")
    raw = compose_bytes(c)
    box.enqueue("acc", dovecot.address(user), [dovecot.address(user)], raw, message_id=c.message_id or "")
    down = _smtp(smtp_clean, tls_material, user, pw, port=free_port())
    item = box.run_due(lambda a: down, lambda a: sent_folder)[0]
    assert item.state == ob.RETRY and item.error_kind == "temporary"
    assert smtp_clean.received == []
    # restart: the queue survives
    box = _reopen(box, clock)
    up = _smtp(smtp_clean, tls_material, user, pw)
    assert box.run_due(lambda a: up, lambda a: sent_folder) == []  # not due yet (backoff)
    clock.t += backoff_delay(1)
    item = box.run_due(lambda a: up, lambda a: sent_folder)[0]
    assert item.state == ob.DONE
    clock.t += 10**6
    assert box.run_due(lambda a: up, lambda a: sent_folder) == []
    assert len(smtp_clean.received) == 1
    msgs = wait_for_messages(dovecot, user, pw, 1)
    assert [parse_message(m).message_id for m in msgs] == [c.message_id]
    assert sent_folder.contains_message_id(c.message_id or "")
    (row,) = store.list_messages(store.folder_by_name(acc, "Sent").id)  # type: ignore[union-attr]
    assert "\\Seen" in row.flags
    store.close()
    box.close()


def test_drop_after_data_is_not_resent(
    smtp_clean: SmtpServer,
    dovecot: DovecotServer,
    mail_user: tuple[str, str],
    tls_material: TlsMaterial,
    tmp_path: Path,
) -> None:
    user, pw = mail_user
    clock = Clock()
    box = Outbox.open(tmp_path / "outbox.sqlite3", clock=clock)
    c = Compose(from_addr=dovecot.address(user), to=[dovecot.address(user)], subject="once", text="hi")
    i = box.enqueue(
        "acc", dovecot.address(user), [dovecot.address(user)], compose_bytes(c), message_id=c.message_id or ""
    )
    sender = _smtp(smtp_clean, tls_material, user, pw)
    smtp_clean.drop_after_data_once = True
    item = box.run_due(lambda a: sender, lambda a: None)[0]
    assert item.state == ob.UNKNOWN and item.needs_user
    box = _reopen(box, clock)
    clock.t += 10**6
    assert box.run_due(lambda a: sender, lambda a: None) == []
    assert len(smtp_clean.received) == 1
    assert len(wait_for_messages(dovecot, user, pw, 1)) == 1
    box.confirm_sent(i)
    assert box.run_due(lambda a: sender, lambda a: None)[0].state == ob.DONE
    assert len(imap_fetch_all(dovecot, user, pw)) == 1
    box.close()


def test_sent_copy_goes_to_imap_sent_once_even_after_a_crash(
    smtp_clean: SmtpServer,
    dovecot: DovecotServer,
    mail_user: tuple[str, str],
    tls_material: TlsMaterial,
    tmp_path: Path,
) -> None:
    import imaplib

    from app.core.accounts import Account
    from app.core.mail.drafts import ImapFolder
    from app.core.mail.imap.session import ImapSession

    user, pw = mail_user
    clock = Clock()
    box = Outbox.open(tmp_path / "outbox.sqlite3", clock=clock)
    c = Compose(from_addr=dovecot.address(user), to=["someone@example.test"], subject="Đã gửi", text="hi")
    i = box.enqueue(
        "acc", dovecot.address(user), ["someone@example.test"], compose_bytes(c), message_id=c.message_id or ""
    )
    sender = _smtp(smtp_clean, tls_material, user, pw)
    account = Account("imap", dovecot.host, dovecot.imap_port, user, "starttls")

    class CrashingSent(ImapFolder):
        def append_sent(self, raw: bytes) -> None:
            super().append_sent(raw)
            raise Crash()

    with ImapSession(account, pw, cafile=str(tls_material.ca_pem)) as sess, pytest.raises(Crash):
        box.process(i, sender, CrashingSent(sess, "Sent"))
    box = _reopen(box, clock)
    assert box.get(i).state == ob.APPENDING
    with ImapSession(account, pw, cafile=str(tls_material.ca_pem)) as sess:
        assert box.run_due(lambda a: sender, lambda a: ImapFolder(sess, "Sent"))[0].state == ob.DONE
    assert len(smtp_clean.received) == 1
    copies = imap_fetch_all(dovecot, user, pw, "Sent")
    assert [parse_message(m).message_id for m in copies] == [c.message_id]
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as imap:
        imap.login(user, pw)
        imap.select("Sent")
        _, data = imap.fetch("1", "(FLAGS)")
        assert b"\\Seen" in data[0]  # type: ignore[operator]
    box.close()


def test_sent_copy_into_cached_imap_sent_is_queued_and_replayed(
    smtp_clean: SmtpServer,
    dovecot: DovecotServer,
    mail_user: tuple[str, str],
    tls_material: TlsMaterial,
    tmp_path: Path,
) -> None:
    from app.core.accounts import Account
    from app.core.mail.imap import ops
    from app.core.mail.imap.session import ImapSession
    from app.core.mail.outbox import StoreSentFolder

    user, pw = mail_user
    account = Account("imap", dovecot.host, dovecot.imap_port, user, "starttls")
    store = Store.open(tmp_path / "mail.sqlite3")
    acc = store.ensure_account(account.key, "imap", account.host, account.port, user, "starttls")
    sent_id = store.ensure_imap_folder(acc, "Sent", "Sent", special_use="\\Sent")
    box = Outbox.open(tmp_path / "outbox.sqlite3", clock=Clock())
    c = Compose(from_addr=dovecot.address(user), to=["someone@example.test"], subject="offline copy", text="hi")
    i = box.enqueue(
        "acc", dovecot.address(user), ["someone@example.test"], compose_bytes(c), message_id=c.message_id or ""
    )
    item = box.process(i, _smtp(smtp_clean, tls_material, user, pw), StoreSentFolder(store, sent_id))
    assert item.state == ob.DONE
    (row,) = store.list_messages(sent_id)
    assert row.message_id == c.message_id and "\\Seen" in row.flags
    assert imap_fetch_all(dovecot, user, pw, "Sent") == []  # not yet: queued for the account worker
    with ImapSession(account, pw, cafile=str(tls_material.ca_pem)) as sess:
        assert ops.replay(sess, store, acc).done == 1
        assert ops.replay(sess, store, acc).done == 0
    copies = imap_fetch_all(dovecot, user, pw, "Sent")
    assert [parse_message(m).message_id for m in copies] == [c.message_id]
    store.close()
    box.close()


# ------------------------------------------------------- several senders at once


def test_recovery_leaves_a_live_senders_rows_alone(tmp_path: Path) -> None:
    """While one outbox is mid-send, another (a second window, a cron run) recovers and tries the same item:
    nothing changes hands. Once the first is gone (closed, or its process died), its rows are recovered."""
    clock = Clock()
    a = Outbox.open(tmp_path / "o.sqlite3", clock=clock)
    b = Outbox.open(tmp_path / "o.sqlite3", clock=clock)
    i, j = _enqueue(a), _enqueue(a)
    t, sent = ScriptedTransport(), ListSent()
    seen_by_b: list[ob.OutboxItem] = []

    def meanwhile() -> None:  # runs inside a's send, before DATA, then after DATA
        assert b.recover() == 0
        seen_by_b.append(b.process(i, ScriptedTransport(), ListSent()))

    t.before_data = meanwhile
    t.after_data = meanwhile
    assert a.process(i, t, sent).state == ob.DONE
    assert [x.state for x in seen_by_b] == [ob.SENDING, ob.SUBMITTING]
    assert all(x.owner == a.owner for x in seen_by_b)
    assert len(t.delivered) == 1 and len(sent.copies) == 1
    # a takes j and dies mid-send: b recovers it at once (no lease to wait out) and sends it once

    def crash() -> None:
        raise Crash()

    t.before_data = crash
    with pytest.raises(Crash):
        a.process(j, t, sent)
    assert b.recover() == 0 and b.get(j).state == ob.SENDING  # a still holds its lease
    a.close()
    assert b.recover() == 1 and b.get(j).state == ob.QUEUED and b.get(j).owner == ""
    assert b.process(j, t, sent).state == ob.DONE
    assert len(t.delivered) == 2 and len(sent.copies) == 2
    assert [p.name for p in (tmp_path / "o.sqlite3.senders").iterdir()] == [f"{b.owner}.lock"]
    b.close()


def test_rows_in_flight_from_an_older_version_are_recovered(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "o.sqlite3"
    with sqlite3.connect(path) as c:
        for stmt in ob.MIGRATIONS[0].split(";"):  # type: ignore[union-attr]
            c.execute(stmt)
        c.execute("PRAGMA user_version = 1")
        for state in (ob.SENDING, ob.SUBMITTING):
            c.execute(
                "INSERT INTO outbox (account, sender, recipients, raw, state, not_before, created, updated) "
                "VALUES ('acc', 'a@x', '[\"b@x\"]', x'00', ?, 0, 0, 0)",
                (state,),
            )
    c.close()
    box = Outbox.open(path)
    assert box.recover() == 2
    assert [x.state for x in box.items()] == [ob.QUEUED, ob.UNKNOWN]
    box.close()


_SENDER_PROCESS = """
import os, sys
from pathlib import Path
from app.core.mail.outbox import Outbox
from app.core.mail.smtp import Security, SmtpConfig, SmtpSender

host, port, user, cafile, outbox = sys.argv[1:6]
sender = SmtpSender(SmtpConfig(host, int(port), Security.STARTTLS, username=user, cafile=cafile, timeout=30),
                    password=os.environ["QUAY_TEST_SMTP_PASSWORD"])
box = Outbox.open(Path(outbox))
print("ready", flush=True)
sys.stdin.readline()  # the test starts both senders at once
for _ in range(3):  # like 'mail outbox --run' run again and again
    box.recover()
    for item in box.due():
        box.recover()  # another window may recover at any moment
        box.process(item.id, sender, None)
box.close()
"""


def test_two_sender_processes_deliver_each_message_exactly_once(
    smtp_clean: SmtpServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    """Issue 9 item 2: two processes run the outbox (each recovering before every item) over 50 queued messages;
    the SMTP server receives every message exactly once and neither run fails."""
    import os
    import subprocess
    import sys

    user, pw = mail_user
    path = tmp_path / "outbox.sqlite3"
    ids: list[str] = []
    with Outbox.open(path) as box:
        for n in range(50):
            c = Compose(from_addr=f"{user}@example.test", to=[f"someone{n}@example.test"], subject=f"n{n}", text="x")
            box.enqueue("acc", f"{user}@example.test", [f"someone{n}@example.test"], compose_bytes(c),
                        message_id=c.message_id or "", sent_copy=False)  # fmt: skip
            ids.append(c.message_id or "")
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(root), "QUAY_TEST_SMTP_PASSWORD": pw}
    args = [smtp_clean.host, str(smtp_clean.submission_port), user, str(tls_material.ca_pem), str(path)]
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    procs = [
        subprocess.Popen([sys.executable, "-c", _SENDER_PROCESS, *args], env=env, cwd=root, text=True, **pipes)
        for _ in range(2)
    ]
    try:
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        results = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in results]
    got = [parse_message(bytes(e.original_content or b"")).message_id for e in smtp_clean.received]
    assert sorted(got) == sorted(ids)  # every message, each exactly once, counted at the server
    with Outbox.open(path) as box:
        assert box.items() == [] and len(box.items(include_done=True)) == 50
