"""Export and import mail as mbox (mboxrd) and .eml files.

We write *mboxrd*: every body line matching ``>*From `` gains one ``>``, and
reading removes exactly one, so a round trip returns the original bytes (CRLF
line ends are kept as they are). Reading also accepts the older mboxo/mboxcl
files other programs write: a ``From `` line only starts a new message at the
start of the file or after an empty line.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from app.core.errors import LocalIOError

if TYPE_CHECKING:
    from app.core.mail.store import Store

_ESCAPE = re.compile(rb"(?m)^(>*From )")
_UNESCAPE = re.compile(rb"(?m)^>(>*From )")
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def escape_body(raw: bytes) -> bytes:
    """mboxrd quoting of one message."""
    return _ESCAPE.sub(rb">\1", raw)


def unescape_body(data: bytes) -> bytes:
    return _UNESCAPE.sub(rb"\1", data)


def _header_block(raw: bytes) -> bytes:
    m = _HEADER_END.search(raw)
    return raw[: m.start()] if m else raw


def _header_value(raw: bytes, name: bytes) -> bytes:
    m = re.search(rb"(?im)^" + re.escape(name) + rb":[ \t]*(.*(?:\r?\n[ \t].*)*)", _header_block(raw))
    return re.sub(rb"\r?\n[ \t]+", b" ", m.group(1)).strip() if m else b""


def from_line(raw: bytes, envelope_sender: str | None = None) -> bytes:
    """``From sender asctime-date`` for a message (sender from Return-Path/From, date from Date)."""
    sender = envelope_sender or ""
    if not sender:
        for name in (b"Return-Path", b"From"):
            value = _header_value(raw, name).decode("utf-8", "replace")
            addr = parseaddr(value)[1]
            if addr:
                sender = addr
                break
    sender = re.sub(r"\s+", "", sender) or "MAILER-DAEMON"
    stamp: float | None = None
    date = _header_value(raw, b"Date").decode("latin-1")
    if date:
        try:
            stamp = parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            stamp = None
    try:
        text = time.asctime(time.gmtime(stamp if stamp is not None else time.time()))
    except (OverflowError, OSError, ValueError):
        text = time.asctime(time.gmtime())
    return f"From {sender} {text}\n".encode("utf-8", "replace")


def write_mbox_message(out: BinaryIO, raw: bytes, envelope_sender: str | None = None) -> None:
    """Append one message: From line, escaped bytes, a newline if it lacked one, and the blank separator."""
    out.write(from_line(raw, envelope_sender))
    out.write(escape_body(raw))
    if not raw.endswith(b"\n"):
        out.write(b"\n")
    out.write(b"\n")


def mbox_bytes(messages: Iterable[bytes]) -> bytes:
    """A whole mbox in memory (small exports, tests)."""
    import io

    buf = io.BytesIO()
    for raw in messages:
        write_mbox_message(buf, raw)
    return buf.getvalue()


def iter_mbox(stream: BinaryIO) -> Iterator[bytes]:
    """Messages of an mbox stream, unescaped; the separator's blank line is not part of a message."""
    current: list[bytes] | None = None
    prev_blank = True
    for line in stream:
        if line.startswith(b"From ") and prev_blank:
            if current is not None:
                yield _finish(current)
            current = []
            prev_blank = False
            continue
        if current is not None:
            current.append(line)
        prev_blank = line in (b"\n", b"\r\n")
    if current is not None:
        yield _finish(current)


def _finish(lines: list[bytes]) -> bytes:
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines = lines[:-1]  # the separator blank line; the message's own last newline stays
    return unescape_body(b"".join(lines))


def read_mbox(path: str | os.PathLike[str]) -> list[bytes]:
    try:
        with open(path, "rb") as f:
            return list(iter_mbox(f))
    except OSError as e:
        raise LocalIOError(f"Cannot read {path}: {e.strerror or e}") from e


def write_mbox(path: str | os.PathLike[str], messages: Iterable[bytes]) -> int:
    """Write messages to ``path`` atomically (``path.part`` renamed at the end); returns the count."""
    p = Path(path)
    tmp = p.with_name(p.name + ".part")
    n = 0
    try:
        with open(tmp, "wb") as f:
            for raw in messages:
                write_mbox_message(f, raw)
                n += 1
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except OSError as e:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise LocalIOError(f"Cannot write {path}: {e.strerror or e}") from e
    return n


# ----------------------------------------------------------------------- .eml


_UNSAFE = re.compile(r"[\x00-\x1f\\/:*?\"<>|]+")


def eml_filename(raw: bytes, fallback: str = "message") -> str:
    """A safe file name from the subject (no path separators, no control characters, not hidden)."""
    from email.header import decode_header, make_header

    subject = _header_value(raw, b"Subject").decode("utf-8", "replace")
    try:
        subject = str(make_header(decode_header(subject)))
    except Exception:
        pass
    name = _UNSAFE.sub("_", subject).strip(" ._")[:80] or fallback
    return f"{name}.eml"


def read_eml(path: str | os.PathLike[str]) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise LocalIOError(f"Cannot read {path}: {e.strerror or e}") from e


def write_eml(directory: str | os.PathLike[str], raw: bytes, name: str | None = None) -> Path:
    """Save one message as ``directory/name`` (from the subject by default), never overwriting a file."""
    d = Path(directory)
    base = name or eml_filename(raw)
    if "/" in base or "\\" in base or base in (".", ".."):
        base = eml_filename(raw)
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, "eml"
    target = d / base
    i = 1
    while target.exists():
        i += 1
        target = d / f"{stem} ({i}).{ext}"
    try:
        d.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as f:
            f.write(raw)
    except OSError as e:
        raise LocalIOError(f"Cannot write {target}: {e.strerror or e}") from e
    return target


# ---------------------------------------------------------- store adapters


@dataclass
class ImportReport:
    imported: list[int] = field(default_factory=list)  # store message ids
    failed: list[str] = field(default_factory=list)


@dataclass
class ExportReport:
    exported: int = 0
    missing: list[int] = field(default_factory=list)  # messages whose full text is not cached here


def status_flags(raw: bytes) -> list[str]:
    """Flags from the ``Status``/``X-Status`` headers mbox writers use (R read, A answered, F flagged)."""
    status = _header_value(raw, b"Status") + _header_value(raw, b"X-Status")
    flags: list[str] = []
    if b"R" in status:
        flags.append("\\Seen")
    if b"A" in status:
        flags.append("\\Answered")
    if b"F" in status:
        flags.append("\\Flagged")
    return flags


def _cached_messages(store: Store, folder_id: int, ids: Sequence[int] | None, report: ExportReport) -> Iterator[bytes]:
    """The whole messages of a folder (or of ``ids``), oldest first; those not cached go to ``report.missing``."""
    chosen = list(ids) if ids is not None else store.message_ids(folder_id, sort="arrival", descending=False)
    for mid in chosen:
        raw = store.raw_message(mid)
        if raw is None:
            report.missing.append(mid)
            continue
        report.exported += 1
        yield raw


def export_folder(
    store: Store, folder_id: int, target: str | os.PathLike[str], *, ids: Sequence[int] | None = None
) -> ExportReport:
    """Write a folder (or the selected ``ids``) of the store to an mbox file, oldest first."""
    report = ExportReport()
    write_mbox(target, _cached_messages(store, folder_id, ids, report))
    return report


def export_folder_eml(
    store: Store, folder_id: int, directory: str | os.PathLike[str], *, ids: Sequence[int] | None = None
) -> ExportReport:
    """Write a folder (or the selected ``ids``) of the store as one .eml file per message."""
    report = ExportReport()
    for raw in _cached_messages(store, folder_id, ids, report):
        write_eml(directory, raw)
    return report


def import_file(store: Store, folder_id: int, source: str | os.PathLike[str]) -> ImportReport:
    """Import an mbox file, a single .eml file, or a directory of .eml files into a store folder."""
    report = ImportReport()
    for raw in iter_source(source):
        report.imported.append(store.add_local_message(folder_id, raw, status_flags(raw)))
    return report


def iter_source(source: str | os.PathLike[str]) -> Iterable[bytes]:
    """The messages of an mbox file, a single .eml file, or a directory of .eml files."""
    src = Path(source)
    if src.is_dir():
        return (read_eml(p) for p in sorted(src.glob("*.eml")))
    if src.suffix.lower() == ".eml" or not _looks_like_mbox(src):
        return [read_eml(src)]
    return read_mbox(src)


def _looks_like_mbox(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(5) == b"From "
    except OSError as e:
        raise LocalIOError(f"Cannot read {path}: {e.strerror or e}") from e
