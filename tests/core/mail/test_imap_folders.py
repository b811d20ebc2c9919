"""Folders: modified UTF-7 (property-based), LIST parsing, special folders without SPECIAL-USE (personal namespace
only, least nested wins, created on first use), and create/rename/delete/subscribe on the real Dovecot."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.mail.imap import folders, ops
from app.core.mail.imap.response import Response
from app.core.mail.imap.session import Namespaces
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


def _uses(infos: list[folders.FolderInfo]) -> dict[str, str | None]:
    return {f.remote_name: f.special_use for f in infos}


def test_fallback_only_in_the_personal_namespace_and_least_nested_wins() -> None:
    ns = Namespaces(personal=(("", "/"),), other=(("Other Users/", "/"),), shared=(("Shared Folders/", "/"),))

    def infos(*names: str) -> list[folders.FolderInfo]:
        return [folders.FolderInfo(n, folders.decode_mutf7(n), "/") for n in names]

    listed = infos(
        "Archive/Sent", "Clients/Trash", "INBOX", "Other Users/alice/Trash", "Other Users/alice/Sent",
        "Sent", "Shared Folders/Team/Junk", "Trash",
    )  # fmt: skip
    folders._apply_fallback_special_uses(listed, ns)
    assert _uses(listed) == {
        "Archive/Sent": None, "Clients/Trash": None, "INBOX": None, "Other Users/alice/Trash": None,
        "Other Users/alice/Sent": None, "Sent": "\\Sent", "Shared Folders/Team/Junk": None, "Trash": "\\Trash",
    }  # fmt: skip
    # Someone else's folders never qualify, even when nothing of ours does.
    only_theirs = infos("INBOX", "Other Users/alice/Trash", "Shared Folders/Team/Sent")
    folders._apply_fallback_special_uses(only_theirs, ns)
    assert not any(f.special_use for f in only_theirs)
    # A nested one of ours is better than none; the least nested of several wins.
    nested = infos("Projects/Old/Trash", "Clients/Trash", "Other Users/alice/Trash")
    folders._apply_fallback_special_uses(nested, ns)
    assert _uses(nested)["Clients/Trash"] == "\\Trash" and _uses(nested)["Projects/Old/Trash"] is None


def test_fallback_counts_inbox_prefixed_folders_as_top_level() -> None:
    dotted = [
        folders.FolderInfo(n, n, ".") for n in ("INBOX", "INBOX.Archive.Trash", "INBOX.Trash", "INBOX.Sent Items")
    ]
    folders._apply_fallback_special_uses(dotted, Namespaces(personal=(("INBOX.", "."),)))
    assert _uses(dotted) == {
        "INBOX": None,
        "INBOX.Archive.Trash": None,
        "INBOX.Trash": "\\Trash",
        "INBOX.Sent Items": "\\Sent",
    }
    # The same layout on a server whose personal namespace is "" (folders kept below INBOX anyway).
    plain = [folders.FolderInfo(n, n, ".") for n in ("Archive.Trash", "INBOX.Trash")]
    folders._apply_fallback_special_uses(plain, Namespaces(personal=(("", "."),)))
    assert _uses(plain) == {"Archive.Trash": None, "INBOX.Trash": "\\Trash"}


def test_special_folders_on_a_server_without_special_use_with_shared_folders(
    dovecot_shared: DovecotServer, tmp_path: Path
) -> None:
    """Issue 9 item 3 against a real server: no SPECIAL-USE, a colleague's shared Trash and Sent visible,
    nested look-alikes; the user's own top-level folders win, the colleague's are never used."""
    srv = dovecot_shared
    user = srv.new_user()[0]
    colleague = srv.new_user("col")[0]
    srv.share(colleague, "INBOX/Trash", user)
    srv.share(colleague, "INBOX/Sent", user)
    for f in ("INBOX/Archive/Sent", "INBOX/Clients/Trash", "INBOX/Sent", "INBOX/Trash"):
        srv.ensure_folder(user, f)
    sess = session(srv, user)
    assert "SPECIAL-USE" not in sess.capabilities
    store, aid = cache(tmp_path, srv, user, sess)
    uses = _uses(folders.list_folders(sess))
    assert uses[f"shared/{colleague}/Trash"] is None and uses[f"shared/{colleague}/Sent"] is None
    assert uses["INBOX/Archive/Sent"] is None and uses["INBOX/Clients/Trash"] is None
    assert uses["INBOX/Sent"] == "\\Sent" and uses["INBOX/Trash"] == "\\Trash"
    trash = store.folder_by_special_use(aid, "\\Trash")
    assert trash is not None and trash.remote_name == "INBOX/Trash"
    sess.logout()
    store.close()


def test_no_trash_of_ours_asks_then_creates_one_on_first_use(dovecot_shared: DovecotServer, tmp_path: Path) -> None:
    """Only a colleague's Trash is visible: Delete neither uses it nor deletes for good; it reports that
    there is no Trash, and once the user agrees a Trash of our own is created and used."""
    srv = dovecot_shared
    user = srv.new_user()[0]
    colleague = srv.new_user("col")[0]
    srv.share(colleague, "INBOX/Trash", user)
    srv.deliver(user, make_message(1, subject="private"))
    sess = session(srv, user)
    store, aid = cache(tmp_path, srv, user, sess)
    assert store.folder_by_special_use(aid, "\\Trash") is None
    inbox = store.folder_by_name(aid, "INBOX")
    assert inbox is not None
    sync_folder(sess, store, inbox.id)
    row = store.row_by_uid(inbox.id, 1)
    assert row is not None
    with pytest.raises(folders.NoSpecialFolder) as ei:
        ops.delete(store, [row.id])
    assert ei.value.special_use == "\\Trash" and store.row(row.id) is not None  # nothing changed
    trash_id = folders.ensure_special_folder(sess, store, aid, "\\Trash")
    trash = store.folder(trash_id)
    assert trash is not None and trash.remote_name == "INBOX/Trash" and trash.special_use == "\\Trash"
    ops.delete(store, [row.id])
    assert ops.replay(sess, store, aid).failed == []
    sess.select("INBOX/Trash")
    assert len(sess.uid_search("ALL")) == 1
    sess.select(f"shared/{colleague}/Trash", readonly=True)
    assert sess.uid_search("ALL") == []  # the colleague got nothing of ours
    # The next folder refresh keeps finding our new Trash by name.
    folders.refresh_folders(sess, store, aid)
    again = store.folder_by_special_use(aid, "\\Trash")
    assert again is not None and again.remote_name == "INBOX/Trash"
    sess.logout()
    store.close()


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
