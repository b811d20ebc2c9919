"""Bodies on demand against the real Dovecot: BODYSTRUCTURE, the shown part only, attachments, offline bulk."""

from __future__ import annotations

import base64
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from app.core.mail.imap import bodies
from app.core.mail.imap.response import tokenize
from app.core.mail.imap.sync import sync_folder
from tests.core.mail.imap_helpers import cache, make_message, session
from tests.servers.dovecot import DovecotServer

ATTACHMENT = bytes(range(256)) * 40

MULTIPART = (
    "From: Carol <carol@example.test>\r\nTo: bob@example.test\r\nSubject: Report\r\n"
    "Message-ID: <mp@example.test>\r\nDate: Mon, 23 Nov 2026 05:00:00 +0000\r\nMIME-Version: 1.0\r\n"
    'Content-Type: multipart/mixed; boundary="outer"\r\n\r\n'
    "--outer\r\n"
    'Content-Type: multipart/alternative; boundary="inner"\r\n\r\n'
    "--inner\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    "Gr=FC=DFe aus K=F6ln, zebrafish\r\n"
    "--inner\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Grüße aus <b>Köln</b></p>\r\n"
    "--inner--\r\n"
    "--outer\r\n"
    'Content-Type: application/octet-stream; name="data.bin"\r\n'
    'Content-Disposition: attachment; filename="data.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    + base64.encodebytes(ATTACHMENT).decode().replace("\n", "\r\n")
    + "--outer--\r\n"
).encode()


def test_bodystructure_parsing() -> None:
    tok = tokenize(
        b'(("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 10 1 NIL NIL NIL NIL)'
        b'("application" "pdf" ("name" "a.pdf") NIL NIL "base64" 400 NIL ("attachment" ("filename" "a.pdf")) NIL NIL)'
        b' "mixed" ("boundary" "x") NIL NIL NIL)'
    )[0]
    parts = bodies.parse_bodystructure(tok)
    assert [(p.section, p.content_type) for p in parts] == [("1", "text/plain"), ("2", "application/pdf")]
    assert parts[0].charset == "utf-8" and not parts[0].is_attachment
    assert parts[1].filename == "a.pdf" and parts[1].is_attachment
    single = bodies.parse_bodystructure(tokenize(b'("TEXT" "HTML" NIL NIL NIL "QUOTED-PRINTABLE" 5 1)')[0])
    assert single[0].section == "1" and single[0].content_type == "text/html"
    assert bodies.choose_display_part(parts) == parts[0]


@given(st.binary())
def test_extract_text_never_raises(raw: bytes) -> None:
    ctype, text = bodies.extract_text(raw)
    assert ctype in ("text/plain", "text/html") and isinstance(text, str)


def test_show_part_attachment_and_cache(dovecot: DovecotServer, mail_user: tuple[str, str], tmp_path: Path) -> None:
    user = mail_user[0]
    dovecot.deliver(user, MULTIPART)
    sess = session(dovecot, user)
    store, aid = cache(tmp_path, dovecot, user, sess)
    inbox = store.folder_by_name(aid, "INBOX")
    assert inbox is not None
    sync_folder(sess, store, inbox.id)
    row = store.row_by_uid(inbox.id, 1)
    assert row is not None and row.has_attachments
    body = bodies.load_body(sess, store, row.id)
    assert body.content_type == "text/plain" and body.part == "1.1"
    assert body.text.strip() == "Grüße aus Köln, zebrafish"
    assert [r.id for r in store.search("zebrafish")] == [row.id]  # cached body text is indexed

    parts = bodies.fetch_structure(sess, store, row.id)
    att = next(p for p in parts if p.is_attachment)
    assert att.section == "2" and att.filename == "data.bin"
    seen: list[int] = []
    dest = bodies.download_attachment(
        sess, store, row.id, att, tmp_path / "data.bin", chunk=1000, progress=lambda d, t: seen.append(d)
    )
    assert dest.read_bytes() == ATTACHMENT
    assert len(seen) > 3 and not (tmp_path / "data.bin.part").exists()

    html = bodies.choose_display_part(parts, prefer="html")
    assert html is not None and html.section == "1.2"
    sess.logout()
    # Cached: no session needed any more.
    again = bodies.load_body(None, store, row.id)
    assert again.text == body.text


def test_all_messages_offline(dovecot: DovecotServer, mail_user: tuple[str, str], tmp_path: Path) -> None:
    user = mail_user[0]
    for i in range(12):
        dovecot.deliver(user, make_message(i, body=f"unique{i}word and some text\r\n"))
    dovecot.deliver(user, MULTIPART)
    sess = session(dovecot, user)
    store, aid = cache(tmp_path, dovecot, user, sess)
    inbox = store.folder_by_name(aid, "INBOX")
    assert inbox is not None
    sync_folder(sess, store, inbox.id)
    progress: list[tuple[int, int]] = []
    n = bodies.download_folder_bodies(
        sess, store, inbox.id, batch_size=5, progress=lambda d, t: progress.append((d, t))
    )
    assert n == 13 and progress[-1] == (13, 13)
    assert bodies.download_folder_bodies(sess, store, inbox.id) == 0  # nothing left to fetch
    sess.logout()
    assert len(store.raw_without_body(100)) == 13 and store.search("unique7word") == []
    assert bodies.index_offline_bodies(store, limit=5) == 5
    while bodies.index_offline_bodies(store, limit=5):
        pass
    assert store.raw_without_body(100) == []
    row = store.row_by_uid(inbox.id, 13)
    assert row is not None
    raw = bodies.load_raw(None, store, row.id)
    assert raw.replace(b"\r\n", b"\n").endswith(MULTIPART.replace(b"\r\n", b"\n"))  # after LMTP's trace headers
    hits = store.search("unique7word")
    assert len(hits) == 1 and hits[0].subject == "Message number 7"
    assert "zebrafish" in bodies.load_body(None, store, row.id).text
