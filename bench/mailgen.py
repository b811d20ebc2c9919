"""Generated mail for the IMAP benchmark: closer to real mail than one line per header.

What a real mailbox has and a naive generator leaves out, all here:

* folded header lines (long Subject, To lists, Received, References one id per line);
* long References chains (a reply carries its thread's ids, up to 40);
* encoded words in UTF-8 (B and Q) and windows-1258 Vietnamese (Q, with the combining tone
  marks that code page uses), split over several folded encoded words;
* names in several scripts; quoted and bare display names; time zones other than UTC;
* text/plain, multipart/alternative (text + HTML) and multipart/mixed with base64 attachments
  (some with RFC 2231 file names); flags Seen / Answered / Flagged.

It also knows, for the search matrix of :mod:`bench.imap_sync`, which messages each query must
find (:func:`expected_matches`), computed here from the text it wrote with its own small
tokenizer, independent of the app's search code.
"""

from __future__ import annotations

import base64
import os
import random
import re
import subprocess
import time
import unicodedata
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

WORDS = (  # noqa: SIM905 (a paragraph of words reads better than a list of 70 strings)
    "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa "
    "quebec romeo sierra tango uniform victor whiskey xray yankee zulu report meeting budget invoice "
    "project release schedule update review draft contract offer holiday lunch server backup deploy "
    "ticket customer planning roadmap feedback question answer summary minutes agenda travel expense "
    "approval urgent monthly newsletter security patch outage incident migration database network "
    "storage cluster kernel reviewer reviews weekly"
).split()
# "weekly" and "report" are in WORDS, so they also occur apart: the phrase query must tell.

VIETNAMESE_SUBJECTS = ["Báo cáo tuần", "Kế hoạch quý", "Họp giao ban", "Đề xuất ngân sách", "Lịch công tác tuần"]
OTHER_SUBJECTS = ["Größe prüfen", "Réunion été", "Привет мир", "東京 会議", "Zażółć gęślą jaźń", "Ñandú año"]
NAMES = [
    "Nguyễn Văn Tuấn",
    "Trần Thị Hoa",
    "Lê Minh Đức",
    "Phạm Thu Hương",
    "Hoàng Anh Dũng",
    "Jürgen Groß",
    "François Lefèvre",
    "Пётр Иванов",
    "田中 太郎",
    "Vũ Ngọc Ánh",
]
LIST_ADDR = "quarterly@lists.example.test"
LIST_NAME = "Quarterly planning"

#: The search matrix: name -> what the user types.
SEARCHES = {
    "common_word": "quarterly",  # the list address and name: ~99% of messages
    "rare_word": "zanzibar",  # ~0.1%
    "two_words": "budget review",
    "phrase": '"weekly report"',
    "no_match": "xylophonequux",
    "vietnamese": "tuần",  # with diacritics; folds to "tuan" like the index does (also finds "Tuấn")
    "sender": "user42@example8.test",
}


# ------------------------------------------------------------------ encodings


def cp1258(text: str) -> bytes:
    """Vietnamese in windows-1258: letters it lacks precomposed are written base + combining tone mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        for k in range(len(d), 0, -1):
            try:
                out += unicodedata.normalize("NFC", d[:k]).encode("cp1258") + d[k:].encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            raise UnicodeEncodeError("cp1258", text, 0, len(text), f"cannot write {ch!r}")
    return bytes(out)


_Q_SAFE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!*+-/")


def _q(data: bytes) -> str:
    return "".join("_" if b == 0x20 else chr(b) if b in _Q_SAFE else f"={b:02X}" for b in data)


def encoded_words(text: str, style: str, width: int = 40) -> list[str]:
    """``text`` as encoded words of at most ~``width`` characters of text each (split on characters)."""
    pieces = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    out = []
    for p in pieces:
        if style == "b":
            out.append(f"=?utf-8?b?{base64.b64encode(p.encode()).decode()}?=")
        elif style == "q":
            out.append(f"=?UTF-8?Q?{_q(p.encode())}?=")
        else:  # windows-1258
            out.append(f"=?windows-1258?Q?{_q(cp1258(p))}?=")
    return out


def fold(name: str, parts: list[str], sep: str = " ", limit: int = 76) -> str:
    """``Name: part<sep>part ...`` folded (LF line ends, as in the Maildir) before a part that would pass ``limit``.

    ``sep`` is " " (words, encoded words) or ", " (addresses).
    """
    head = f"{name}:"
    line = head
    lines: list[str] = []
    last = len(parts) - 1
    for i, p in enumerate(parts):
        piece = p + (sep.rstrip() if i < last else "")
        if len(line) + 1 + len(piece) > limit and line != head:
            lines.append(line)
            line = " " + piece
        else:
            line += " " + piece
    lines.append(line)
    return "\n".join(lines)


# ------------------------------------------------------------------ tokens (the oracle)


def _fold_char(ch: str) -> str:
    d = unicodedata.normalize("NFD", ch)
    if d[0].isascii() and all(unicodedata.category(c) == "Mn" for c in d[1:]):
        return d[0]
    return ch


_ASCII_WORD = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Lower-cased words with Latin diacritics removed, split at anything but letters, digits and marks."""
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    out: list[str] = []
    cur: list[str] = []
    for ch in text.lower():
        cat = unicodedata.category(ch)
        if cat[0] in "LN" or cat == "Co":
            cur.append(_fold_char(ch))
        elif cat[0] == "M":
            continue  # a combining mark: part of the word, removed like a diacritic
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def query_terms(query: str) -> list[tuple[list[str], bool]]:
    """What the user typed -> terms of (tokens, last token is a prefix): quoted text is one exact phrase."""
    terms: list[tuple[list[str], bool]] = []
    parts = query.split('"')
    for i, part in enumerate(parts):
        if i % 2:  # inside quotes
            toks = tokens(part)
            if toks:
                terms.append((toks, False))
        else:
            terms += [(tokens(w), False) for w in part.split() if tokens(w)]
    # The last bare word is a prefix (as you type), unless the query ended with a quoted phrase.
    if terms and not query.rstrip().endswith('"'):
        toks, _ = terms[-1]
        terms[-1] = (toks, True)
    return terms


def _phrase_in(toks: list[str], phrase: list[str], prefix: bool) -> bool:
    n = len(phrase)
    for i in range(len(toks) - n + 1):
        if toks[i : i + n - 1] == phrase[:-1]:
            last = toks[i + n - 1]
            if last == phrase[-1] or (prefix and last.startswith(phrase[-1])):
                return True
    return False


# ------------------------------------------------------------------ messages


@dataclass
class Generated:
    """What was written: bytes, and per message the texts the search looks at (for the oracle)."""

    total_bytes: int = 0
    count: int = 0
    # message id -> (subject tokens, address tokens)
    texts: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


def expected_matches(gen: Generated, query: str) -> set[str]:
    """Message ids the query must find: every term matches the subject or the addresses."""
    terms = query_terms(query)
    if not terms:
        return set()
    out = set()
    for mid, (subj, addrs) in gen.texts.items():
        if all(_phrase_in(subj, t, p) or _phrase_in(addrs, t, p) for t, p in terms):
            out.add(mid)
    return out


class _Person:
    def __init__(self, i: int, rnd: random.Random) -> None:
        self.addr = f"user{i}@example{i % 17}.test"
        if i % 10 == 3:
            self.name = NAMES[(i // 10) % len(NAMES)]
        else:
            self.name = f"Person {i}"
        style = rnd.choice("bqw")
        if not self.name.isascii():
            try:
                cp1258(self.name)
            except UnicodeEncodeError:
                style = rnd.choice("bq")
            self.header = " ".join(encoded_words(self.name, style)) + f" <{self.addr}>"
        elif i % 3 == 0:
            self.header = f'"{self.name}" <{self.addr}>'
        elif i % 7 == 0:
            self.header = self.addr  # no display name
            self.name = ""
        else:
            self.header = f"{self.name} <{self.addr}>"


def _subject(rnd: random.Random, i: int) -> tuple[str, list[str]]:
    """(decoded subject, header parts); planted words for the search matrix."""
    if i % 1000 == 500:
        text = f"{rnd.choice(WORDS)} zanzibar {rnd.choice(WORDS)}"
    elif i % 200 == 7:
        text = f"{rnd.choice(WORDS)} weekly report {rnd.choice(WORDS)}"
    elif i % 100 == 11:
        text = f"{rnd.choice(VIETNAMESE_SUBJECTS)} {i % 53}"
        style = "w" if (i // 100) % 2 else "b"
        return text, encoded_words(text, style, 12)
    elif rnd.random() < 0.1:
        text = f"{rnd.choice(OTHER_SUBJECTS)} {i}"
        return text, encoded_words(text, rnd.choice("bq"), 15)
    elif rnd.random() < 0.1:  # long: folds over lines
        text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(12, 22)))
    else:
        text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 7)))
    return text, text.split(" ")


def generate_maildir(maildir: Path, n: int, uid: int, gid: int, seed: int = 7) -> Generated:
    """Write ``n`` messages into ``maildir/cur`` (oldest first), owned by the mail user."""
    rnd = random.Random(seed)
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    paragraphs = [
        " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(40, 90))).capitalize() + "." for _ in range(300)
    ]
    blobs = []
    for _ in range(40):
        raw = base64.b64encode(os.urandom(rnd.randint(1500, 7000))).decode()
        blobs.append("\n".join(raw[j : j + 76] for j in range(0, len(raw), 76)))
    people = [_Person(i, rnd) for i in range(500)]
    zones = [("+0000", 0), ("+0700", 7 * 3600), ("-0500", -5 * 3600), ("+0100", 3600), ("-0800", -8 * 3600)]
    base = 1_700_000_000
    cur = maildir / "cur"
    gen = Generated()
    threads: list[tuple[str, list[str], str]] = []  # (msgid, references, subject) of recent messages
    # Creating a file costs more than making its text on a busy disk: writer threads overlap that.
    writers = ThreadPoolExecutor(4)
    pending: deque[Future[None]] = deque()
    for i in range(n):
        ts = base + i * 60 + rnd.randint(0, 50)
        zname, zoff = zones[i % len(zones)] if i % 4 else zones[0]
        date = time.strftime("%a, %d %b %Y %H:%M:%S ", time.gmtime(ts + zoff)) + zname
        if i % 9 == 0:
            date += " (UTC)" if zoff == 0 else ""
        sender = rnd.choice(people)
        rcpts = ([] if i % 100 == 99 else [f'"{LIST_NAME}" <{LIST_ADDR}>']) + [
            rnd.choice(people).header for _ in range(rnd.randint(1 if i % 100 == 99 else 0, 5))
        ]
        cc = [rnd.choice(people).header for _ in range(rnd.randint(1, 3))] if rnd.random() < 0.2 else []
        msgid = f"<{i}.{seed}.{rnd.getrandbits(32):08x}@bench.example.test>"
        subj_text, subj_parts = _subject(rnd, i)
        refs: list[str] = []
        if threads and rnd.random() < 0.3:
            pid_, prefs, psubj = rnd.choice(threads[-300:])
            refs = [*prefs, pid_][-40:]
            subj_text = "Re: " + psubj
            subj_parts = ["Re:", *_subject_header_parts(psubj)]
        hdrs = [
            f"Return-Path: <{sender.addr}>",
            f"Received: from mx{i % 9}.example.test (mx{i % 9}.example.test [192.0.2.{i % 250}])\n"
            f"\tby mail.example.test with ESMTPS id {i:08X}\n\tfor <me@example.test>; {date}",
            fold("From", [sender.header]),
            fold("To", rcpts, sep=", "),
            f"Date: {date}",
            f"Message-ID: {msgid}",
        ]
        if cc:
            hdrs.append(fold("Cc", cc, sep=", "))
        if refs:
            hdrs.append(f"In-Reply-To: {refs[-1]}")
            hdrs.append("References: " + "\n ".join(refs))
        hdrs.append(fold("Subject", subj_parts))
        hdrs += ["MIME-Version: 1.0", f"X-Mailer: Bench Mailer {i % 5}.0"]
        if rcpts and LIST_ADDR in rcpts[0]:
            hdrs.append(f"List-Id: {LIST_NAME} <quarterly.lists.example.test>")
        text = "\n\n".join(rnd.choice(paragraphs) for _ in range(rnd.randint(3, 7)))
        kind = rnd.random()
        if kind < 0.2:  # multipart/alternative
            b = f"alt-{i:x}"
            hdrs.append(f'Content-Type: multipart/alternative;\n boundary="{b}"')
            html = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n"))
            body = (
                f"--{b}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n{text}\n"
                f"--{b}\nContent-Type: text/html; charset=utf-8\n\n<html><body>\n{html}</body></html>\n--{b}--\n"
            )
        elif kind < 0.32:  # attachment
            b = f"mix-{i:x}"
            hdrs.append(f'Content-Type: multipart/mixed;\n boundary="{b}"')
            fname = f"report-{i}.pdf" if i % 2 else None
            disp = (
                f'attachment; filename="{fname}"'
                if fname
                else "attachment;\n filename*=utf-8''B%C3%A1o%20c%C3%A1o%20tu%E1%BA%A7n.pdf"
            )
            body = (
                f"This is a multi-part message in MIME format.\n\n--{b}\n"
                f"Content-Type: text/plain; charset=utf-8\n\n{text}\n"
                f"--{b}\nContent-Type: application/pdf\nContent-Disposition: {disp}\n"
                f"Content-Transfer-Encoding: base64\n\n{rnd.choice(blobs)}\n--{b}--\n"
            )
        else:
            hdrs.append("Content-Type: text/plain; charset=utf-8; format=flowed")
            body = text + "\n"
        data = ("\n".join(hdrs) + "\n\n" + body).encode("utf-8")
        r = rnd.random()
        flags = ("F" if r < 0.05 else "") + ("R" if r < 0.15 else "") + ("S" if rnd.random() < 0.7 else "")
        vsize = len(data) + data.count(b"\n")  # RFC822.SIZE counts CRLF line ends
        name = f"{ts}.M{i}P1.bench,S={len(data)},W={vsize}:2,{flags}"
        pending.append(writers.submit(_write, cur / name, data, ts))
        if len(pending) > 256:
            pending.popleft().result()
        gen.total_bytes += len(data)
        gen.count += 1
        addresses = " ".join(
            [sender.name, sender.addr, ", ".join(_display(h) for h in rcpts), ", ".join(_display(h) for h in cc)]
        )
        gen.texts[msgid] = (tokens(subj_text), tokens(addresses))
        threads.append((msgid, refs, subj_text))
    for f in pending:
        f.result()
    writers.shutdown()
    subprocess.run(["chown", "-R", f"{uid}:{gid}", str(maildir.parent)], check=True)
    return gen


def _write(path: Path, data: bytes, ts: int) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
    os.utime(path, (ts, ts))  # the Maildir's mtime is the message's INTERNALDATE


def _subject_header_parts(subject: str) -> list[str]:
    if subject.isascii():
        return subject.split(" ")
    return encoded_words(subject, "b", 15)


_BY_HEADER: dict[str, str] = {}


def _display(header: str) -> str:
    """The decoded text of an address as written in a header (names decoded, address kept)."""
    if "=?" not in header:
        return header
    hit = _BY_HEADER.get(header)
    if hit is not None:
        return hit
    from email.header import decode_header, make_header

    _BY_HEADER[header] = out = str(make_header(decode_header(header)))
    return out
