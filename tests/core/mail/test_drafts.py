"""Drafts: local autosave and replacing the server draft (APPEND new, delete old by UID) on real Dovecot."""

from __future__ import annotations

import imaplib
from pathlib import Path

from app.core.accounts import Account
from app.core.mail.drafts import AUTOSAVE_INTERVAL, DraftKeeper, ImapFolder
from app.core.mail.imap.session import ImapSession
from app.core.mail.mime import Compose, parse_message
from app.core.mail.store import Store
from tests.servers.common import TlsMaterial
from tests.servers.dovecot import DovecotServer


def _server_drafts(dovecot: DovecotServer, user: str, pw: str) -> list[tuple[int, bytes, bytes]]:
    """(uid, flags response, raw) of every message in Drafts, via stdlib imaplib."""
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port) as imap:
        imap.login(user, pw)
        imap.select("Drafts")
        _, data = imap.uid("SEARCH", "ALL")
        out = []
        for uid in data[0].split() if data and data[0] else []:
            _, fetched = imap.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
            for item in fetched:
                if isinstance(item, tuple):
                    out.append((int(uid), item[0], item[1]))
        return out


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_draft_versions_replace_each_other(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    user, pw = mail_user
    account = Account("imap", dovecot.host, dovecot.imap_port, user, "starttls")
    store = Store.open(tmp_path / "mail.sqlite3")
    acc = store.ensure_account(account.key, "imap")
    local = store.create_local_folder(acc, "Local Drafts")
    clock = Clock()
    with ImapSession(account, pw, cafile=str(tls_material.ca_pem)) as sess:
        keeper = DraftKeeper(store, local, ImapFolder(sess, "Drafts"), clock=clock)
        draft = Compose(from_addr=dovecot.address(user), to=["x@example.test"], subject="Bản nháp 1", text="v1")
        assert not keeper.autosave_due()
        keeper.changed()
        clock.t += AUTOSAVE_INTERVAL
        assert keeper.autosave_due()
        st1 = keeper.save(draft)
        assert not keeper.autosave_due()
        first_uid = st1.server_uid
        assert first_uid is not None and st1.server_error == ""
        draft.subject, draft.text = "Bản nháp 2", "v2"
        st2 = keeper.save(draft)
        assert st2.server_uid is not None and st2.server_uid != first_uid
        on_server = _server_drafts(dovecot, user, pw)
        assert [u for u, _, _ in on_server] == [st2.server_uid]
        _, flags, raw = on_server[0]
        assert b"\\Draft" in flags and b"\\Seen" in flags
        assert parse_message(raw).subject == "Bản nháp 2"
        assert parse_message(raw).message_id == st1.message_id  # one identity across versions
        (row,) = store.list_messages(local)
        assert row.subject == "Bản nháp 2" and "\\Draft" in row.flags
        keeper.discard()
        assert store.count(local) == 0
        assert _server_drafts(dovecot, user, pw) == []
    store.close()


def test_offline_draft_is_kept_locally_and_catches_up(
    dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial, tmp_path: Path
) -> None:
    user, pw = mail_user
    account = Account("imap", dovecot.host, dovecot.imap_port, user, "starttls")
    store = Store.open(tmp_path / "mail.sqlite3")
    local = store.create_local_folder(store.ensure_account(account.key, "imap"), "Drafts")
    sess = ImapSession(account, pw, cafile=str(tls_material.ca_pem))
    sess.connect()
    folder = ImapFolder(sess, "Drafts")
    keeper = DraftKeeper(store, local, folder)
    draft = Compose(from_addr=dovecot.address(user), subject="offline", text="a")
    keeper.save(draft)
    sess.close()  # the connection is gone
    draft.text = "b"
    st = keeper.save(draft)
    assert st.server_error  # the server copy failed ...
    assert store.count(local) == 1  # ... the local one did not
    with ImapSession(account, pw, cafile=str(tls_material.ca_pem)) as sess2:
        keeper.server = ImapFolder(sess2, "Drafts")
        draft.text = "c"
        st = keeper.save(draft)
        assert st.server_error == ""
        on_server = _server_drafts(dovecot, user, pw)
        assert len(on_server) == 1 and parse_message(on_server[0][2]).text.strip() == "c"
    store.close()
