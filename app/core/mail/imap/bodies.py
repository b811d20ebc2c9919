"""Message bodies on demand: BODYSTRUCTURE, then only the part to show; attachments by section;
whole messages for offline use; cheap text extraction for the search index.

Everything fetched is cached in the store, and a cached body is returned
without touching the network.
"""

from __future__ import annotations

import binascii
import json
import os
import quopri
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import Bug, Cancelled, LocalIOError, ProtocolError
from app.core.mail.headers import decode_bytes, decode_header, parse_header_block
from app.core.mail.imap.fetch import parse_meta, read_fetch
from app.core.mail.imap.response import Token, as_str, sequence_set
from app.core.mail.imap.session import ImapSession, fetch_items
from app.core.mail.store import CachedBody, Store


@dataclass(frozen=True)
class BodyPart:
    """One leaf of a BODYSTRUCTURE: its section number and what it holds."""

    section: str  # "1", "1.2", ...
    content_type: str  # "text/plain"
    params: dict[str, str]
    encoding: str  # "7bit", "base64", "quoted-printable", ...
    size: int
    disposition: str | None = None  # "attachment" / "inline"
    filename: str | None = None

    @property
    def charset(self) -> str | None:
        return self.params.get("charset")

    @property
    def is_attachment(self) -> bool:
        if self.disposition == "attachment" or self.filename:
            return True
        return not self.content_type.startswith(("text/", "multipart/", "message/"))


def _params(tok: Token) -> dict[str, str]:
    if not isinstance(tok, list):
        return {}
    out: dict[str, str] = {}
    for i in range(0, len(tok) - 1, 2):
        out[as_str(tok[i]).lower()] = decode_header(as_str(tok[i + 1]).encode("utf-8"))
    return out


def parse_bodystructure(tok: Token, prefix: str = "") -> list[BodyPart]:
    """Flatten a BODYSTRUCTURE token tree into its leaf parts (depth-first, with section numbers)."""
    if not isinstance(tok, list) or not tok:
        raise ProtocolError("malformed BODYSTRUCTURE")
    if isinstance(tok[0], list):  # multipart: children, then subtype and extensions
        out: list[BodyPart] = []
        for n, child in enumerate(tok, 1):
            if not isinstance(child, list):
                break
            out.extend(parse_bodystructure(child, f"{prefix}{n}."))
        return out
    section = (prefix[:-1] if prefix.endswith(".") else prefix) or "1"
    ctype = f"{as_str(tok[0])}/{as_str(tok[1])}".lower()
    params = _params(tok[2]) if len(tok) > 2 else {}
    encoding = as_str(tok[5]).lower() if len(tok) > 5 else "7bit"
    size = int(as_str(tok[6])) if len(tok) > 6 and tok[6] is not None else 0
    # Extension data: text/* has one extra field (lines); message/rfc822 has three (envelope, body, lines).
    ext_at = 8 if ctype.startswith("text/") else (10 if ctype == "message/rfc822" else 7)
    disposition: str | None = None
    filename: str | None = params.get("name")
    disp: Token = tok[ext_at + 1] if len(tok) > ext_at + 1 else None
    if isinstance(disp, list) and disp and disp[0] is not None:
        disposition = as_str(disp[0]).lower()
        dparams = _params(disp[1]) if len(disp) > 1 else {}
        filename = dparams.get("filename") or dparams.get("filename*") or filename
    return [BodyPart(section, ctype, params, encoding, size, disposition, filename)]


def choose_display_part(parts: list[BodyPart], prefer: str = "plain") -> BodyPart | None:
    """The part a reader shows: the preferred text subtype, else the other, never an attachment."""
    texts = [p for p in parts if p.content_type in ("text/plain", "text/html") and p.disposition != "attachment"]
    for p in texts:
        if p.content_type == f"text/{prefer}":
            return p
    return texts[0] if texts else None


def decode_transfer(data: bytes, encoding: str) -> bytes:
    """Undo Content-Transfer-Encoding (base64 / quoted-printable); others pass through."""
    enc = encoding.lower()
    try:
        if enc == "base64":
            return binascii.a2b_base64(data)
        if enc == "quoted-printable":
            return quopri.decodestring(data)
    except (binascii.Error, ValueError):
        return data
    return data


def _uid_fetch_one(sess: ImapSession, uid: int, item: str) -> dict[str, Token]:
    untagged, _ = sess.command("UID FETCH", str(uid), f"(UID {item})")
    for r in untagged:
        got = fetch_items(r)
        if got is not None and as_str(got[1].get("UID")) == str(uid):
            return got[1]
    raise ProtocolError(f"the server returned nothing for UID {uid}")


def _select_message(sess: ImapSession, store: Store, message_id: int) -> int:
    """Select the folder of a cached IMAP message; returns its UID (Bug if it is not on a server)."""
    row = store.row(message_id)
    folder = store.folder(row.folder_id) if row is not None else None
    if row is None or folder is None or folder.remote_name is None or row.uid is None:
        raise Bug(f"message {message_id} is not on an IMAP server")
    if sess.selected != folder.remote_name:
        sess.select(folder.remote_name)
    return row.uid


def fetch_structure(sess: ImapSession, store: Store, message_id: int) -> list[BodyPart]:
    uid = _select_message(sess, store, message_id)
    items = _uid_fetch_one(sess, uid, "BODYSTRUCTURE")
    return parse_bodystructure(items.get("BODYSTRUCTURE"))


def load_body(sess: ImapSession | None, store: Store, message_id: int, prefer: str = "plain") -> CachedBody:
    """The displayable text of a message: from the cache, else from a cached raw message, else the server."""
    cached = store.body(message_id)
    if cached is not None:
        return cached
    raw = store.raw_message(message_id)
    if raw is not None:
        ctype, text = extract_text(raw)
        store.set_body(message_id, ctype, text)
        return CachedBody(ctype, text, None, None)
    if sess is None:
        raise Bug("body not cached and no session to fetch it")
    parts = fetch_structure(sess, store, message_id)
    part = choose_display_part(parts, prefer)
    row = store.row(message_id)
    assert row is not None and row.uid is not None
    structure = json.dumps([p.__dict__ for p in parts])
    if part is None:
        store.set_body(message_id, "text/plain", "", structure=structure)
        return CachedBody("text/plain", "", None, structure)
    items = _uid_fetch_one(sess, row.uid, f"BODY.PEEK[{part.section}]")
    data = next((v for k, v in items.items() if k.startswith("BODY[")), b"")
    raw_part = data if isinstance(data, bytes) else b""
    text = decode_bytes(decode_transfer(raw_part, part.encoding), part.charset)
    store.set_body(message_id, part.content_type, text, part=part.section, structure=structure)
    return CachedBody(part.content_type, text, part.section, structure)


def load_raw(sess: ImapSession | None, store: Store, message_id: int) -> bytes:
    """The whole RFC 5322 message (cached after the first fetch)."""
    raw = store.raw_message(message_id)
    if raw is not None:
        return raw
    if sess is None:
        raise Bug("message not cached and no session to fetch it")
    uid = _select_message(sess, store, message_id)
    items = _uid_fetch_one(sess, uid, "BODY.PEEK[]")
    data = items.get("BODY[]")
    raw = data if isinstance(data, bytes) else b""
    store.set_raw_message(message_id, raw)
    return raw


def download_attachment(
    sess: ImapSession,
    store: Store,
    message_id: int,
    part: BodyPart,
    dest: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    chunk: int = 1 << 20,
) -> Path:
    """Stream one part to ``dest`` (decoded), in partial fetches, via ``dest.part`` renamed at the end.

    ``progress(bytes_fetched, total)`` runs on the calling thread.
    """
    uid = _select_message(sess, store, message_id)
    tmp = dest.with_name(dest.name + ".part")
    if part.encoding == "base64":
        chunk -= chunk % 4
    carry = b""
    done = 0
    try:
        with open(tmp, "wb") as fh:
            while True:
                if cancel is not None and cancel.is_set():
                    raise Cancelled("Download cancelled.")
                items = _uid_fetch_one(sess, uid, f"BODY.PEEK[{part.section}]<{done}.{chunk}>")
                data = next((v for k, v in items.items() if k.startswith("BODY[")), b"")
                piece = data if isinstance(data, bytes) else b""
                done += len(piece)
                if part.encoding == "base64":
                    buf = carry + re.sub(rb"[^A-Za-z0-9+/=]", b"", piece)
                    cut = len(buf) - len(buf) % 4
                    fh.write(binascii.a2b_base64(buf[:cut]) if cut else b"")
                    carry = buf[cut:]
                elif part.encoding == "quoted-printable":
                    carry += piece  # QP soft breaks can straddle chunks: decode at the end
                else:
                    fh.write(piece)
                if progress is not None:
                    progress(done, part.size)
                if len(piece) < chunk:
                    break
            if part.encoding == "quoted-printable":
                fh.write(quopri.decodestring(carry))
        os.replace(tmp, dest)
    except OSError as e:
        raise LocalIOError(f"Cannot write {dest}: {e}") from e
    return dest


_CT_CHARSET = re.compile(rb'charset\s*=\s*"?([A-Za-z0-9_.:+-]+)', re.I)
_CT_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))', re.I)
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)


def _split_head(raw: bytes) -> tuple[bytes, bytes]:
    i = raw.find(b"\r\n\r\n")
    if i >= 0:
        return raw[: i + 2], raw[i + 4 :]
    i = raw.find(b"\n\n")
    if i >= 0:
        return raw[: i + 1], raw[i + 2 :]
    return raw, b""


def extract_text(raw: bytes, depth: int = 0) -> tuple[str, str]:
    """Cheap (content type, plain text) of a whole message for display fallback and the search index.

    Byte-level MIME walk: the first text/plain part, else text/html with tags stripped.
    Good enough for indexing; full MIME rendering is :mod:`app.core.mail.mime`'s job.
    """
    head, body = _split_head(raw)
    h = parse_header_block(head)
    ct = h.get(b"content-type", b"text/plain")
    low = ct.lower()
    if low.startswith(b"multipart/") and depth < 5:
        m = _CT_BOUNDARY.search(ct)
        if m is None:
            return "text/plain", ""
        boundary = b"--" + (m.group(1) or m.group(2))
        html: tuple[str, str] | None = None
        for chunk in body.split(boundary)[1:]:
            if chunk.startswith(b"--"):
                break
            sub = extract_text(chunk.lstrip(b"\r\n"), depth + 1)
            if sub[1]:
                if sub[0] == "text/plain":
                    return sub
                html = html or sub
        return html or ("text/plain", "")
    if not (low.startswith(b"text/") or b"/" not in low):
        return "text/plain", ""
    cte = h.get(b"content-transfer-encoding", b"7bit").decode("ascii", "replace").strip()
    m = _CT_CHARSET.search(ct)
    text = decode_bytes(decode_transfer(body, cte), m.group(1) if m else None)
    if low.startswith(b"text/html"):
        return "text/html", " ".join(_TAGS.sub(" ", text).split())
    return "text/plain", text


def download_folder_bodies(
    sess: ImapSession,
    store: Store,
    folder_id: int,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    batch_size: int = 500,
    index_text: bool = False,
) -> int:
    """ "All messages offline": fetch every uncached full message of a folder in pipelined batches.

    Each batch is one transaction of raw messages. Extracting and indexing their text costs more
    than the download itself, so by default it is left to :func:`index_offline_bodies`, run by a
    background pass afterwards; pass ``index_text=True`` to do it inline. Returns the count.
    """
    folder = store.folder(folder_id)
    if folder is None or folder.remote_name is None:
        raise Bug(f"folder {folder_id} is not an IMAP folder")
    have = store.has_raw(folder_id)
    todo = [
        (r[0], r[1])
        for r in store.conn.execute(
            "SELECT id, uid FROM messages WHERE folder_id = ? AND uid IS NOT NULL ORDER BY uid DESC", (folder_id,)
        )
        if r[0] not in have
    ]
    if not todo:
        return 0
    if sess.selected != folder.remote_name:
        sess.select(folder.remote_name)
    by_uid = {uid: mid for mid, uid in todo}
    batches = [todo[i : i + batch_size] for i in range(0, len(todo), batch_size)]
    got: list[tuple[int, bytes]] = []

    def on_item(meta: bytes, literal: bytes | None) -> None:
        m = parse_meta(meta)
        if m.uid is not None and literal is not None and m.uid in by_uid:
            got.append((by_uid[m.uid], literal))

    outstanding: list[str] = []
    bi = 0

    def send_next() -> None:
        nonlocal bi
        if bi < len(batches):
            uids = [u for _, u in batches[bi]]
            outstanding.append(sess.send_command([b"UID FETCH", sequence_set(uids).encode(), b"(UID BODY.PEEK[])"]))
            bi += 1

    send_next()
    send_next()
    done = 0
    while outstanding:
        if cancel is not None and cancel.is_set():
            sess.close()
            raise Cancelled("Download cancelled.")
        tag = outstanding.pop(0)
        send_next()
        got.clear()
        read_fetch(sess, tag, on_item)
        with store.transaction() as c:
            c.executemany("INSERT OR REPLACE INTO raw_messages (message_id, data) VALUES (?, ?)", got)
            if index_text:
                store.store_bodies([(mid, *extract_text(raw)) for mid, raw in got])
        done += len(got)
        if progress is not None:
            progress(done, len(todo))
    return done


def index_offline_bodies(store: Store, limit: int = 1000, folder_id: int | None = None) -> int:
    """Extract and index the text of up to ``limit`` cached whole messages (one transaction).

    Returns how many were done; a background worker calls it until it returns 0.
    """
    todo = store.raw_without_body(limit, folder_id)
    if not todo:
        return 0
    items = [(mid, *extract_text(raw)) for mid, raw in todo]
    with store.transaction():
        store.store_bodies(items)
    return len(items)
