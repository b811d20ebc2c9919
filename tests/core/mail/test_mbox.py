"""mbox/.eml import and export: byte-faithful round trips, robustness, and the store adapters."""

from __future__ import annotations

import io
import mailbox
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.mail.mboxio import (
    eml_filename,
    export_folder,
    export_folder_eml,
    import_file,
    iter_mbox,
    mbox_bytes,
    read_mbox,
    write_eml,
    write_mbox,
)
from app.core.mail.mime import Attachment, Compose, compose_bytes, parse_message
from app.core.mail.store import Store

_line = st.one_of(
    st.sampled_from([b"From me", b">From you", b">>From x", b"From ", b"", b"\r", b"."]),
    st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"")),
)
_message = st.lists(_line, min_size=1, max_size=12).map(lambda ls: b"\n".join(ls) + b"\n")
_crlf_message = st.lists(_line, min_size=1, max_size=12).map(
    lambda ls: b"\r\n".join(x.replace(b"\r", b"") for x in ls) + b"\r\n"
)


@settings(max_examples=200)
@given(st.lists(st.one_of(_message, _crlf_message), max_size=6))
def test_mboxrd_round_trip_is_byte_faithful(messages: list[bytes]) -> None:
    data = mbox_bytes(messages)
    assert list(iter_mbox(io.BytesIO(data))) == messages


@given(st.binary(max_size=400))
def test_reader_never_crashes(data: bytes) -> None:
    for raw in iter_mbox(io.BytesIO(data)):
        assert isinstance(raw, bytes)


def test_reads_python_mailbox_output(tmp_path: Path) -> None:
    path = tmp_path / "py.mbox"
    box = mailbox.mbox(str(path))
    box.add(b"From: a@x\nSubject: one\n\nhello\n")
    box.add(b"From: b@x\nSubject: two\n\nbye\nFrom the start\n")
    box.flush()
    box.close()
    msgs = read_mbox(path)
    assert len(msgs) == 2
    assert parse_message(msgs[1]).subject == "two"
    assert msgs[1].endswith(b"From the start\n")


def _sample(i: int) -> bytes:
    c = Compose(
        from_addr=f"Người gửi {i} <s{i}@example.test>",
        to=["r@example.test"],
        subject=f"Thư số {i}",
        text=f"From the desk of {i}\n>From quoted\n\nlast line\n",
        html=f"<p>HTML {i}</p>",
        attachments=[Attachment("tệp đính kèm.bin", bytes(range(256)) * 3)],
        references=["<root@example.test>"],
        in_reply_to="<root@example.test>",
    )
    return compose_bytes(c)


def test_store_export_import_round_trip(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "mail.sqlite3")
    acc = store.ensure_account("local", "local")
    src = store.create_local_folder(acc, "Archive")
    originals = [_sample(i) for i in range(4)]
    for raw in originals:
        store.add_local_message(src, raw, ["\\Seen"])
    target = tmp_path / "out.mbox"
    rep = export_folder(store, src, target)
    assert rep.exported == 4 and rep.missing == []
    dst = store.create_local_folder(acc, "Imported")
    imp = import_file(store, dst, target)
    assert len(imp.imported) == 4
    back = [store.raw_message(i) for i in imp.imported]
    assert back == originals  # headers and body bytes identical
    for a, b in zip(originals, back, strict=True):
        pa, pb = parse_message(a), parse_message(b or b"")
        assert (pa.message_id, pa.subject, pa.references, pa.in_reply_to) == (
            pb.message_id,
            pb.subject,
            pb.references,
            pb.in_reply_to,
        )
        assert pa.attachments[0].data == pb.attachments[0].data
    store.close()


def test_eml_export_and_import(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "mail.sqlite3")
    acc = store.ensure_account("local", "local")
    src = store.create_local_folder(acc, "A")
    raw = _sample(1)
    store.add_local_message(src, raw)
    store.add_local_message(src, raw)
    rep = export_folder_eml(store, src, tmp_path / "eml")
    files = sorted(p.name for p in (tmp_path / "eml").iterdir())
    assert rep.exported == 2 and files == ["Thư số 1 (2).eml", "Thư số 1.eml"]
    dst = store.create_local_folder(acc, "B")
    assert len(import_file(store, dst, tmp_path / "eml").imported) == 2
    one = store.create_local_folder(acc, "C")
    (mid,) = import_file(store, one, tmp_path / "eml" / "Thư số 1.eml").imported
    assert store.raw_message(mid) == raw
    store.close()


def test_eml_names_are_safe(tmp_path: Path) -> None:
    assert eml_filename(b"Subject: ../../etc/passwd\r\n\r\n") == "etc_passwd.eml"
    assert eml_filename(b"Subject: \r\n\r\n") == "message.eml"
    p = write_eml(tmp_path, b"Subject: x\r\n\r\n", name="../evil.eml")
    assert p.parent == tmp_path


def test_write_mbox_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "x.mbox"
    assert write_mbox(target, [b"a\n", b"b\n"]) == 2
    assert read_mbox(target) == [b"a\n", b"b\n"]
    assert not (tmp_path / "x.mbox.part").exists()
