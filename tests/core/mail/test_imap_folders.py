"""Folders: modified UTF-7 (property-based), LIST parsing, and create/rename/delete/subscribe on the real Dovecot."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from app.core.mail.imap import folders
from app.core.mail.imap.response import Response
from app.core.mail.imap.sync import sync_folder
from tests.core.mail.imap_helpers import cache, make_message, session
from tests.servers.dovecot import DovecotServer


def test_mutf7_known_vectors() -> None:
    assert folders.encode_mutf7("INBOX") == "INBOX"
    assert folders.encode_mutf7("A&B") == "A&-B"
    assert folders.encode_mutf7("Entwürfe") == "Entw&APw-rfe"
    assert folders.encode_mutf7("~peter/mail/台北/日本語") == "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
    assert folders.decode_mutf7("~peter/mail/&U,BTFw-/&ZeVnLIqe-") == "~peter/mail/台北/日本語"
    assert folders.decode_mutf7("Th&AbA- m&HuU-c") == "Thư mục"
    assert folders.decode_mutf7("broken&@@@-") == "broken&@@@-"


@given(st.text())
def test_mutf7_round_trips(name: str) -> None:
    enc = folders.encode_mutf7(name)
    assert enc.isascii()
    assert folders.decode_mutf7(enc) == name


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)))
def test_mutf7_decode_never_raises(s: str) -> None:
    folders.decode_mutf7(s)


def test_parse_list_lines() -> None:
    r = Response("*", b'LIST (\\HasNoChildren \\Sent \\Subscribed) "/" "Sent Items"')
    info = folders.parse_list_response(r)
    assert info is not None
    assert (info.name, info.delimiter, info.special_use, info.subscribed) == ("Sent Items", "/", "\\Sent", True)
    r2 = Response("*", b'LIST (\\Noselect) NIL "Th&AbA- m&HuU-c"')
    info2 = folders.parse_list_response(r2)
    assert info2 is not None and info2.name == "Thư mục" and info2.delimiter is None and not info2.selectable
    r3 = Response("*", b'LIST () "." {5}', [b"a b c"])
    info3 = folders.parse_list_response(r3)
    assert info3 is not None and info3.name == "a b c"
    assert folders.parse_list_response(Response("*", b"OK done")) is None


def test_special_use_fallback_names() -> None:
    infos = [
        folders.FolderInfo("INBOX.Sent Messages", "INBOX.Sent Messages", "."),
        folders.FolderInfo("Spam", "Spam", "."),
    ]
    folders._apply_fallback_special_uses(infos)
    assert [f.special_use for f in infos] == ["\\Sent", "\\Junk"]


def test_folder_lifecycle_with_non_ascii_name(
    dovecot: DovecotServer, mail_user: tuple[str, str], tmp_path: Path
) -> None:
    user = mail_user[0]
    sess = session(dovecot, user)
    store, aid = cache(tmp_path, dovecot, user, sess)
    infos = {f.name: f for f in folders.list_folders(sess)}
    assert infos["Sent"].special_use == "\\Sent" and infos["Trash"].special_use == "\\Trash"
    assert infos["Drafts"].subscribed
    assert folders.namespace(sess)[1] == "."

    fid = folders.create_folder(sess, store, aid, "Thư mục")
    f = store.folder(fid)
    assert f is not None and f.remote_name == "Th&AbA- m&HuU-c"
    dovecot.deliver(user, make_message(1, subject="in a Vietnamese folder"), folder="Thư mục")
    infos = {f.name: f for f in folders.refresh_folders(sess, store, aid)}
    assert infos["Thư mục"].subscribed and infos["Thư mục"].messages == 1
    assert sync_folder(sess, store, fid).new == 1
    assert folders.status(sess, "Th&AbA- m&HuU-c")["MESSAGES"] == 1

    folders.set_subscribed(sess, store, aid, "Thư mục", False)
    assert not {f.name: f for f in folders.list_folders(sess)}["Thư mục"].subscribed

    folders.rename_folder(sess, store, aid, "Thư mục", "Lưu trữ")
    names = {f.name for f in folders.list_folders(sess)}
    assert "Lưu trữ" in names and "Thư mục" not in names
    renamed = store.folder(fid)
    assert renamed is not None and renamed.name == "Lưu trữ"

    folders.delete_folder(sess, store, aid, "Lưu trữ")
    assert "Lưu trữ" not in {f.name for f in folders.list_folders(sess)}
    assert store.folder(fid) is None
    sess.logout()
