"""IMAP header sync benchmark: our sync engine vs the raw socket ceiling, imapclient and mbsync.

``python -m bench.imap_sync --messages N --json`` builds a Maildir of N
generated messages for a temporary Dovecot (tests/servers/dovecot.py), then
measures in one run (so the machine's noise hits every contender alike) and
prints one JSON object as its last line. Our own measurements run in child
processes, so ``peak_rss_mb`` is ours alone.
"""

from __future__ import annotations

import argparse
import imaplib
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.core.mail.imap.fetch import header_fetch_items

WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
    "sierra",
    "tango",
    "uniform",
    "victor",
    "whiskey",
    "xray",
    "yankee",
    "zulu",
    "report",
    "meeting",
    "budget",
    "invoice",
    "project",
    "release",
    "schedule",
    "update",
    "review",
    "draft",
    "contract",
    "offer",
    "holiday",
    "lunch",
    "server",
    "backup",
    "deploy",
    "ticket",
    "customer",
    "quarterly",
    "planning",
    "roadmap",
    "feedback",
    "question",
    "answer",
    "summary",
    "minutes",
    "agenda",
    "travel",
    "expense",
    "approval",
    "urgent",
    "weekly",
    "monthly",
    "newsletter",
    "security",
    "patch",
    "outage",
    "incident",
    "migration",
    "database",
    "network",
    "storage",
    "cluster",
    "kernel",
]
NON_ASCII = ["Thư mục", "Báo cáo tuần", "Größe prüfen", "Réunion été", "Привет мир", "東京 会議", "Zażółć gęślą"]
SEARCH_WORD = "quarterly"


def _encoded(s: str) -> str:
    import base64

    return f"=?utf-8?b?{base64.b64encode(s.encode()).decode()}?="


def generate_maildir(maildir: Path, n: int, uid: int, gid: int, seed: int = 7) -> int:
    """Write ``n`` messages into ``maildir/cur`` (oldest first); returns the total bytes written."""
    rnd = random.Random(seed)
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    paragraphs = [
        " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(40, 90))).capitalize() + "." for _ in range(300)
    ]
    people = [(f"Person {i}", f"user{i}@example{i % 17}.test") for i in range(500)]
    base = 1_700_000_000
    total = 0
    cur = maildir / "cur"
    msgids: list[str] = []
    for i in range(n):
        ts = base + i * 60
        date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(ts))
        fn, fa = rnd.choice(people)
        tn, ta = rnd.choice(people)
        if rnd.random() < 0.15:
            subject = _encoded(rnd.choice(NON_ASCII) + " " + str(i))
            fn = _encoded("Người gửi " + str(i % 50))
        else:
            subject = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 7)))
        msgid = f"<{i}.{seed}@bench.test>"
        hdrs = [
            f"Return-Path: <{fa}>",
            f"Received: from mx{i % 9}.example.test by mail.example.test; {date}",
            f'From: "{fn}" <{fa}>' if not fn.startswith("=?") else f"From: {fn} <{fa}>",
            f"To: {tn} <{ta}>",
            f"Date: {date}",
            f"Message-ID: {msgid}",
            "MIME-Version: 1.0",
        ]
        if rnd.random() < 0.2:
            hdrs.append(f"Cc: {rnd.choice(people)[1]}, {rnd.choice(people)[1]}")
        if msgids and rnd.random() < 0.3:
            parent = rnd.choice(msgids[-200:])
            hdrs.append(f"In-Reply-To: {parent}")
            hdrs.append(f"References: {parent}")
            subject = "Re: " + subject
        hdrs.append(f"Subject: {subject}")
        text = "\n\n".join(rnd.choice(paragraphs) for _ in range(rnd.randint(4, 8)))
        if rnd.random() < 0.25:
            b = f"b{i}x"
            hdrs.append(f'Content-Type: multipart/mixed; boundary="{b}"')
            attach = "\n".join(
                "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3" for _ in range(20)
            )
            body = (
                f"This is a multi-part message.\n\n--{b}\nContent-Type: text/plain; charset=utf-8\n\n{text}\n"
                f'--{b}\nContent-Type: application/octet-stream; name="f{i}.bin"\n'
                f'Content-Disposition: attachment; filename="f{i}.bin"\nContent-Transfer-Encoding: base64\n\n'
                f"{attach}\n--{b}--\n"
            )
        else:
            hdrs.append("Content-Type: text/plain; charset=utf-8")
            body = text + "\n"
        data = ("\n".join(hdrs) + "\n\n" + body).encode("utf-8")
        flags = "S" if rnd.random() < 0.7 else ""
        if rnd.random() < 0.05:
            flags = "F" + flags
        name = f"{ts}.M{i}P1.bench,S={len(data)}:2,{flags}"
        with open(cur / name, "wb") as fh:
            fh.write(data)
        total += len(data)
        msgids.append(msgid)
    subprocess.run(["chown", "-R", f"{uid}:{gid}", str(maildir.parent)], check=True)
    return total


# ------------------------------------------------------------ raw socket


def _raw_login(host: str, port: int, user: str, pw: str) -> socket.socket:
    s = socket.create_connection((host, port))
    f = s.makefile("rb")
    f.readline()
    s.sendall(f'a LOGIN "{user}" "{pw}"\r\nb SELECT INBOX\r\n'.encode())
    while True:
        line = f.readline()
        if line.startswith(b"b "):
            break
    f.close()
    return s


def raw_fetch_seconds(host: str, port: int, user: str, pw: str, items: str) -> tuple[float, int]:
    """Time a whole ``UID FETCH 1:* items`` read over a plain socket, with no parsing: the ceiling."""
    s = _raw_login(host, port, user, pw)
    t0 = time.perf_counter()
    s.sendall(f"c UID FETCH 1:* {items}\r\n".encode())
    total = 0
    tail = b""
    buf = bytearray(1 << 20)
    mv = memoryview(buf)
    while True:
        n = s.recv_into(mv)
        if not n:
            break
        total += n
        tail = (tail + bytes(mv[:n]))[-300:]
        if b"\r\nc OK" in tail or tail.startswith(b"c OK"):
            break
    dt = time.perf_counter() - t0
    s.close()
    return dt, total


# -------------------------------------------------------------- children


def _child(args: argparse.Namespace) -> None:
    """Runs in a subprocess: one measurement of our engine, JSON on stdout."""
    from app.core.accounts import Account
    from app.core.mail.imap import bodies
    from app.core.mail.imap.session import ImapSession
    from app.core.mail.imap.sync import sync_folder
    from app.core.mail.store import Store

    acc = Account("imap", "127.0.0.1", args.port, args.user, "none")
    pw = os.environ["QUAY_PASSWORD"]
    out: dict[str, Any] = {}
    store = Store.open(args.db)
    aid = store.ensure_account(acc.key, "imap")
    fid = store.ensure_imap_folder(aid, "INBOX", "INBOX")
    if args.child in ("full", "resync"):
        t0 = time.perf_counter()
        sess = ImapSession(acc, pw, allow_plaintext=True)  # loopback Dovecot without TLS, by design
        sess.connect()
        # The list is usable once the headers are stored; the header search index is built in one
        # pass right after (search covers un-indexed rows meanwhile), timed on its own.
        r = sync_folder(sess, store, fid, index_headers=False)
        out["seconds"] = time.perf_counter() - t0
        out["result"] = r.as_dict()
        t0 = time.perf_counter()
        out["index_rows"] = store.index_pending_headers()
        out["index_seconds"] = time.perf_counter() - t0
        sess.logout()
    elif args.child == "bodies":
        sess = ImapSession(acc, pw, allow_plaintext=True)  # loopback Dovecot without TLS, by design
        sess.connect()
        t0 = time.perf_counter()
        out["count"] = bodies.download_folder_bodies(sess, store, fid)
        out["seconds"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        while not args.no_index and bodies.index_offline_bodies(store, 2000):
            pass
        out["index_seconds"] = time.perf_counter() - t0
        sess.logout()
    elif args.child == "search":
        times = []
        hits = 0
        for _ in range(7):
            t0 = time.perf_counter()
            hits = len(store.search(SEARCH_WORD, folder_id=fid))
            times.append(time.perf_counter() - t0)
        times.sort()
        out["ms"] = times[len(times) // 2] * 1000
        out["hits"] = hits
        t0 = time.perf_counter()
        ids = store.message_ids(fid)
        out["message_ids_ms"] = (time.perf_counter() - t0) * 1000
        out["rows"] = len(ids)
    store.close()
    # Ours alone, including the helper process a big first sync parses in (RUSAGE_CHILDREN).
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out["peak_rss_mb"] = own / 1024
    out["helper_peak_rss_mb"] = helper / 1024
    print(json.dumps(out))


def run_child(mode: str, port: int, user: str, pw: str, db: Path, *extra: str) -> dict[str, Any]:
    env = dict(os.environ, QUAY_PASSWORD=pw)
    cmd = [sys.executable, "-m", "bench.imap_sync", "--child", mode, "--port", str(port), "--user", user]
    cmd += ["--db", str(db), *extra]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=str(Path(__file__).parent.parent))
    if proc.returncode != 0:
        raise RuntimeError(f"child {mode} failed: {proc.stderr[-3000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


# ----------------------------------------------------------------- peers


def naive_imapclient_seconds(port: int, user: str, pw: str) -> float:
    from imapclient import IMAPClient

    t0 = time.perf_counter()
    c = IMAPClient("127.0.0.1", port=port, ssl=False)
    c.login(user, pw)
    c.select_folder("INBOX", readonly=True)
    uids = c.search("ALL")
    for i in range(0, len(uids), 5000):
        c.fetch(uids[i : i + 5000], ["ENVELOPE", "FLAGS", "RFC822.SIZE"])
    c.logout()
    return time.perf_counter() - t0


def mbsync_seconds(port: int, user: str, pw: str, workdir: Path) -> tuple[float | None, float | None]:
    exe = shutil.which("mbsync")
    if exe is None:
        return None, None
    local = workdir / "mbsync-local"
    local.mkdir(parents=True, exist_ok=True)
    pwfile = workdir / "mbsync-pw"
    pwfile.write_text(pw)
    rc = workdir / "mbsyncrc"
    rc.write_text(
        f"""IMAPAccount bench
Host 127.0.0.1
Port {port}
User {user}
PassCmd "cat {pwfile}"
SSLType None
AuthMechs LOGIN

IMAPStore bench-remote
Account bench

MaildirStore bench-local
Path {local}/
Inbox {local}/INBOX
SubFolders Verbatim

Channel bench
Far :bench-remote:
Near :bench-local:
Patterns INBOX
Create Near
Sync Pull
SyncState *
"""
    )
    times: list[float] = []
    for _ in range(2):
        t0 = time.perf_counter()
        subprocess.run([exe, "-c", str(rc), "-q", "bench"], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return times[0], times[1]


def change_server(host: str, port: int, user: str, pw: str, n: int, seed: int = 11) -> None:
    """From a second client: flags of 1% changed, 100 new messages, 100 expunged."""
    rnd = random.Random(seed)
    c = imaplib.IMAP4(host, port)
    c.login(user, pw)
    c.select("INBOX")
    _typ, data = c.uid("SEARCH", "ALL")
    uids = [int(x) for x in data[0].split()]
    flip = rnd.sample(uids, max(1, len(uids) // 100))
    for i in range(0, len(flip), 500):
        c.uid("STORE", ",".join(map(str, flip[i : i + 500])), "+FLAGS", "(\\Flagged)")
    gone = rnd.sample([u for u in uids if u not in set(flip)], min(100, len(uids) // 10))
    c.uid("STORE", ",".join(map(str, gone)), "+FLAGS", "(\\Deleted)")
    c.uid("EXPUNGE", ",".join(map(str, gone)))
    for i in range(100):
        msg = (
            f"From: new{i}@example.test\r\nTo: me@example.test\r\nSubject: new message {i}\r\n"
            f"Message-ID: <new{i}@bench.test>\r\nDate: Mon, 23 Nov 2026 06:00:00 +0000\r\n\r\nhello {i}\r\n"
        )
        c.append("INBOX", None, None, msg.encode())
    c.logout()


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--skip-peers", action="store_true", help="skip imapclient and mbsync (quick runs)")
    ap.add_argument(
        "--rounds", type=int, default=3, help="interleaved rounds of raw read vs ours (medians are reported)"
    )
    ap.add_argument("--no-index", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--user", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(args)
        return 0

    from tests.servers.common import make_tls
    from tests.servers.dovecot import DovecotServer

    def say(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    n = args.messages
    work = Path(tempfile.mkdtemp(prefix="quay-bench-"))
    os.chmod(work, 0o755)
    srv = DovecotServer(work / "dovecot", make_tls(work / "tls"))
    srv.start()
    res: dict[str, Any] = {"messages": n}
    try:
        user, pw = srv.new_user("bench")
        t0 = time.perf_counter()
        home = srv.home(user)
        home.mkdir(parents=True, exist_ok=True)
        res["maildir_bytes"] = generate_maildir(srv.maildir(user), n, srv.mail_uid, srv.mail_gid)
        res["generate_s"] = round(time.perf_counter() - t0, 2)
        say(f"generated {n} messages in {res['generate_s']} s")
        port = srv.imap_port
        items = header_fetch_items(True)
        t0 = time.perf_counter()
        raw_fetch_seconds(srv.host, port, user, pw, items)  # warm-up: Dovecot indexes and caches
        res["server_index_s"] = round(time.perf_counter() - t0, 2)
        # Interleaved rounds (raw read, then our sync into a fresh cache), medians of each: the machine is
        # shared and noisy, so a single pair could land on either side of a load spike.
        raws: list[float] = []
        fulls: list[dict[str, Any]] = []
        nbytes = 0
        db = work / "mail.sqlite3"
        for i in range(max(1, args.rounds)):
            raw, nbytes = raw_fetch_seconds(srv.host, port, user, pw, items)
            raws.append(raw)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            fulls.append(run_child("full", port, user, pw, db))
            say(f"round {i + 1}: raw {raw:.2f} s, full sync {fulls[-1]['seconds']:.2f} s")
        full_s = statistics.median(f["seconds"] for f in fulls)
        raw_s = statistics.median(raws)
        res["raw_header_bytes"] = nbytes
        res["raw_socket_s"] = round(raw_s, 3)
        res["full_sync_s"] = round(full_s, 3)
        res["ratio_full_vs_raw"] = round(full_s / raw_s, 2)
        res["raw_socket_runs"] = [round(x, 3) for x in raws]
        res["full_sync_runs"] = [round(f["seconds"], 3) for f in fulls]
        res["header_index_s"] = round(statistics.median(f["index_seconds"] for f in fulls), 3)
        unchanged = run_child("resync", port, user, pw, db)
        res["resync_unchanged_s"] = round(unchanged["seconds"], 3)
        change_server(srv.host, port, user, pw, n)
        changed = run_child("resync", port, user, pw, db)
        res["resync_changed_s"] = round(changed["seconds"], 3)
        res["resync_changed"] = changed["result"]
        say(f"resync unchanged {unchanged['seconds']:.3f} s, changed {changed['seconds']:.3f} s")
        raw_fetch_seconds(srv.host, port, user, pw, "(UID BODY.PEEK[])")  # warm-up
        rawbs: list[float] = []
        ours_b: list[dict[str, Any]] = []
        bbytes = 0
        headers_only = work / "headers-only.sqlite3"
        shutil.copyfile(db, headers_only)  # the resync children closed the cache cleanly (no WAL left)
        for i in range(max(1, args.rounds)):
            rawb, bbytes = raw_fetch_seconds(srv.host, port, user, pw, "(UID BODY.PEEK[])")
            rawbs.append(rawb)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(headers_only, db)
            last = i == max(1, args.rounds) - 1
            ours_b.append(run_child("bodies", port, user, pw, db, *([] if last else ["--no-index"])))
            say(f"round {i + 1}: bodies raw {rawb:.2f} s, ours {ours_b[-1]['seconds']:.2f} s")
        bodies = ours_b[-1]
        rawb = statistics.median(rawbs)
        ours_bs = statistics.median(b["seconds"] for b in ours_b)
        res["raw_bodies_s"] = round(rawb, 3)
        res["raw_bodies_bytes"] = bbytes
        res["bodies_download_s"] = round(ours_bs, 3)
        res["ratio_bodies_vs_raw"] = round(ours_bs / rawb, 2)
        res["raw_bodies_runs"] = [round(x, 3) for x in rawbs]
        res["bodies_download_runs"] = [round(b["seconds"], 3) for b in ours_b]
        res["bodies_index_s"] = round(bodies["index_seconds"], 3)  # background FTS pass after the download
        search = run_child("search", port, user, pw, db)
        res["search_ms"] = round(search["ms"], 2)
        res["search_hits"] = search["hits"]
        res["message_ids_ms"] = round(search["message_ids_ms"], 2)
        peaks = [f["peak_rss_mb"] for f in fulls] + [b["peak_rss_mb"] for b in ours_b] + [changed["peak_rss_mb"]]
        res["peak_rss_mb"] = round(max(peaks), 1)
        res["parse_helper_peak_rss_mb"] = round(max(f["helper_peak_rss_mb"] for f in fulls), 1)
        res["db_mb"] = round(sum(p.stat().st_size for p in work.glob("mail.sqlite3*")) / 1e6, 1)
        if args.skip_peers:
            res["naive_imapclient_s"] = None
            res["mbsync_full_s"] = res["mbsync_resync_s"] = None
        else:
            res["naive_imapclient_s"] = round(naive_imapclient_seconds(port, user, pw), 3)
            say(f"imapclient {res['naive_imapclient_s']} s")
            mf, mr = mbsync_seconds(port, user, pw, work)
            res["mbsync_full_s"] = None if mf is None else round(mf, 3)
            res["mbsync_resync_s"] = None if mr is None else round(mr, 3)
            say(f"mbsync {mf} / {mr} s")
    finally:
        srv.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(res) if args.json else json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
