"""File-transfer benchmark: Quay's CLI (the real queue and sessions) against OpenSSH sftp, curl and lftp.

    python -m bench.transfer --json [--size BYTES] [--files N] [--rounds R]

Starts the test servers (OpenSSH sshd and pyftpdlib in its own process, from
``tests/servers``), makes one big random file and a tree of ``--files`` 16 KiB
files in 20 folders, then times each case in interleaved rounds (ours, peer,
ours, peer, ...) and reports medians.  Ours runs as ``python -m app.cli files
...`` in a subprocess, so start-up is included and peak RSS is measured per
child (``wait4``).  The last line printed is one JSON object.

``--only ftp_small`` (or any case-name prefixes) runs a subset; the 1 GiB file
is only made when a ``*_1g`` case is selected.  The small-file cases run ours
with ``--parallel`` connections (default 4) against ``lftp mirror
--parallel=4``, so both use four data/control connection pairs.  Per-file work
is comparable: both keep modification times (lftp sets them from the listing on
download and sends MFMT on upload; so do we), lftp also sends SITE CHMOD per
uploaded file, and we check each upload's size (SIZE) and download through
``name.part`` renamed after the size check.  Machine noise is large (the
machine is shared): use ``--rounds 5`` for numbers worth quoting.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.servers.common import make_tls  # noqa: E402
from tests.servers.ftp import FtpServer  # noqa: E402
from tests.servers.sshd import SshdServer  # noqa: E402

PYTHON = sys.executable
SMALL_SIZE = 16 * 1024
SMALL_DIRS = 20


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of one child; raises on a non-zero exit."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}... exited {proc.returncode}: {err[-1500:]}")
    return elapsed, int(usage.ru_maxrss)


def write_random(path: Path, size: int) -> None:
    chunk = os.urandom(1 << 20)
    with open(path, "wb") as f:
        left = size
        i = 0
        while left > 0:
            n = min(left, len(chunk))
            # vary each MiB cheaply so the file is not one repeated block
            f.write(i.to_bytes(8, "little") + chunk[8:n] if n > 8 else chunk[:n])
            left -= n
            i += 1


def make_small_tree(root: Path, files: int) -> None:
    per_dir = max(1, files // SMALL_DIRS)
    made = 0
    for d in range(SMALL_DIRS):
        sub = root / f"dir{d:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        count = per_dir if d < SMALL_DIRS - 1 else files - made
        for i in range(count):
            (sub / f"f{i:04d}.bin").write_bytes(os.urandom(SMALL_SIZE))
            made += 1


def chown_tree(path: Path, user: str) -> None:
    subprocess.run(["chown", "-R", f"{user}:{user}", str(path)], check=True)


def clear(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def median(xs: list[float]) -> float:
    return round(statistics.median(xs), 3)


class Bench:
    def __init__(self, work: Path, size: int, files: int, rounds: int, parallel: int) -> None:
        self.work = work
        self.size = size
        self.files = files
        self.rounds = rounds
        self.parallel = parallel
        self.peak_rss_kib = 0
        self.results: dict[str, dict[str, object]] = {}

    # --- our CLI ---------------------------------------------------------------------

    def ours(self, args: list[str], password: str | None = None) -> Callable[[], float]:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(REPO)
        if password is not None:
            env["QUAY_PASSWORD"] = password
        else:
            env.pop("QUAY_PASSWORD", None)
        cmd = [PYTHON, "-m", "app.cli", "files", *args, "--data-dir", str(self.work / "quay-data")]

        def go() -> float:
            secs, rss = run_timed(cmd, env)
            self.peak_rss_kib = max(self.peak_rss_kib, rss)
            return secs

        return go

    @staticmethod
    def peer(cmd: list[str]) -> Callable[[], float]:
        return lambda: run_timed(cmd)[0]

    def case(
        self,
        name: str,
        ours: Callable[[], float],
        peer: Callable[[], float],
        peer_name: str,
        reset: Callable[[], None],
        check: Callable[[], None] | None = None,
    ) -> None:
        mine: list[float] = []
        theirs: list[float] = []
        for r in range(self.rounds):
            order = [("ours", ours, mine), ("peer", peer, theirs)]
            if r % 2:
                order.reverse()  # alternate who goes first: page cache and noise even out
            for who, fn, out in order:
                reset()
                out.append(fn())
                if check is not None:
                    check()  # the peer's copy is checked too: a fast wrong answer does not count
                log(f"  {name} round {r + 1} {who}: {out[-1]:.2f}s")
        reset()
        o, p = median(mine), median(theirs)
        self.results[name] = {
            "ours": o,
            "peer": p,
            "ratio": round(o / p, 3) if p else None,
            "peer_tool": peer_name,
            "ours_runs": [round(x, 3) for x in mine],
            "peer_runs": [round(x, 3) for x in theirs],
        }
        log(f"{name}: ours {o:.2f}s, {peer_name} {p:.2f}s, ratio {self.results[name]['ratio']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print the JSON result (always the last line)")
    ap.add_argument("--size", type=int, default=1 << 30, help="big file size in bytes (default 1 GiB)")
    ap.add_argument("--files", type=int, default=2000, help="number of 16 KiB files (default 2000)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--parallel", type=int, default=4, help="our parallel connections for the small-file cases")
    ap.add_argument("--only", help="comma-separated case name prefixes to run (e.g. sftp_get,ftp_small)")
    args = ap.parse_args(argv)

    only = [x for x in (args.only or "").split(",") if x]

    def wanted(name: str) -> bool:
        """A case (or a group prefix such as ``ftp_small``) selected by --only."""
        return not only or any(name.startswith(o) or o.startswith(name) for o in only)

    for tool in ("sftp", "curl", "lftp"):
        if shutil.which(tool) is None:
            log(f"missing peer tool {tool}")
            return 2
    work = Path(tempfile.mkdtemp(prefix="quay-bench-", dir="/tmp"))
    os.chmod(work, 0o711)
    sshd = SshdServer(password_user="quaybench1", key_user="quaybenchkey")  # not shared with test runs
    ftp: FtpServer | None = None
    try:
        log(f"work dir {work}; starting servers")
        sshd.start()
        tls = make_tls(work / "tls")
        ftp = FtpServer(work / "ftp", tls, log_level="WARNING")
        ftp.start()
        ftp_user = ftp.new_user("bench")
        b = Bench(work, args.size, args.files, args.rounds, args.parallel)

        big = work / "big.bin"
        small = work / "small"
        need_big = any(wanted(c) for c in ("sftp_get_1g", "sftp_put_1g", "ftp_get_1g", "ftp_put_1g"))
        log(f"making {args.size if need_big else 0} byte file and {args.files} small files")
        if need_big:  # a selective run of the small cases does not wait for 1 GiB of random data
            write_random(big, args.size)
        make_small_tree(small, args.files)

        user = sshd.key_user
        home = sshd.home(user)
        key = str(sshd.client_key_path)
        kh = str(sshd.known_hosts_path)
        base = f"sftp://{user}@{sshd.host}:{sshd.port}"
        ssh_common = ["--known-hosts", kh, "-i", key, "--ssh-config", "/dev/null"]
        sftp_peer = [
            "sftp",
            "-q",
            "-i",
            key,
            "-o",
            f"UserKnownHostsFile={kh}",
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "BatchMode=yes",
            "-F",
            "/dev/null",
            "-P",
            str(sshd.port),
        ]

        def batch(name: str, text: str) -> str:
            p = work / f"{name}.batch"
            p.write_text(text + "\n")
            return str(p)

        out_big = work / "out_big.bin"
        out_small = work / "out_small"

        # --- SFTP big file ----------------------------------------------------------------
        if wanted("sftp_get_1g") or wanted("sftp_put_1g"):
            remote_big = home / "big.bin"
            shutil.copyfile(big, remote_big)
            chown_tree(remote_big, user)
            if wanted("sftp_get_1g"):
                b.case(
                    "sftp_get_1g",
                    b.ours(["get", f"{base}{remote_big}", str(out_big), *ssh_common]),
                    b.peer([*sftp_peer, "-b", batch("g1", f"get {remote_big} {out_big}"), f"{user}@{sshd.host}"]),
                    "openssh sftp -b",
                    lambda: clear(out_big),
                    lambda: _same_size(out_big, args.size),
                )
            remote_up = home / "up.bin"
            if wanted("sftp_put_1g"):
                b.case(
                    "sftp_put_1g",
                    b.ours(["put", str(big), f"{base}{remote_up}", *ssh_common]),
                    b.peer([*sftp_peer, "-b", batch("p1", f"put {big} {remote_up}"), f"{user}@{sshd.host}"]),
                    "openssh sftp -b",
                    lambda: clear(remote_up),
                    lambda: _same_size(remote_up, args.size),
                )
            clear(remote_big)

        # --- SFTP small files ---------------------------------------------------------------
        if wanted("sftp_small"):
            remote_small = home / "small"
            shutil.copytree(small, remote_small)
            chown_tree(remote_small, user)
            if wanted("sftp_small_get"):
                b.case(
                    "sftp_small_get",
                    b.ours(
                        [
                            "get",
                            "-r",
                            f"{base}{remote_small}",
                            str(out_small),
                            "--parallel",
                            str(b.parallel),
                            *ssh_common,
                        ]
                    ),
                    b.peer(
                        [*sftp_peer, "-b", batch("g2", f"get -r {remote_small} {out_small}"), f"{user}@{sshd.host}"]
                    ),
                    "openssh sftp -b get -r",
                    lambda: clear(out_small),
                    lambda: _count_files(out_small, args.files),
                )
            remote_small_up = home / "small_up"
            if wanted("sftp_small_put"):
                b.case(
                    "sftp_small_put",
                    b.ours(
                        [
                            "put",
                            "-r",
                            str(small),
                            f"{base}{remote_small_up}",
                            "--parallel",
                            str(b.parallel),
                            *ssh_common,
                        ]
                    ),
                    b.peer([*sftp_peer, "-b", batch("p2", f"put -r {small} {remote_small_up}"), f"{user}@{sshd.host}"]),
                    "openssh sftp -b put -r",
                    lambda: clear(remote_small_up),
                    lambda: _count_files(remote_small_up, args.files),
                )
            clear(remote_small)

        # --- FTP ------------------------------------------------------------------------------
        fhome = ftp_user.home
        fbase = f"ftp://{ftp_user.name}@{ftp.host}:{ftp.port}"
        curl_base = f"ftp://{ftp.host}:{ftp.port}"
        curl_auth = ["-u", f"{ftp_user.name}:{ftp_user.password}"]
        if wanted("ftp_get_1g") or wanted("ftp_put_1g"):
            shutil.copyfile(big, fhome / "big.bin")
            if wanted("ftp_get_1g"):
                b.case(
                    "ftp_get_1g",
                    b.ours(["get", f"{fbase}/big.bin", str(out_big)], ftp_user.password),
                    b.peer(["curl", "-s", "-S", *curl_auth, "-o", str(out_big), f"{curl_base}/big.bin"]),
                    "curl",
                    lambda: clear(out_big),
                    lambda: _same_size(out_big, args.size),
                )
            if wanted("ftp_put_1g"):
                b.case(
                    "ftp_put_1g",
                    b.ours(["put", str(big), f"{fbase}/up.bin"], ftp_user.password),
                    b.peer(["curl", "-s", "-S", *curl_auth, "-T", str(big), f"{curl_base}/up.bin"]),
                    "curl",
                    lambda: clear(fhome / "up.bin"),
                    lambda: _same_size(fhome / "up.bin", args.size),
                )
            clear(fhome / "big.bin")
        if wanted("ftp_small"):
            shutil.copytree(small, fhome / "small")
            lftp_open = f"set cmd:fail-exit yes; open -u {ftp_user.name},{ftp_user.password} {curl_base}"
            if wanted("ftp_small_get"):
                b.case(
                    "ftp_small_get",
                    b.ours(
                        ["get", "-r", f"{fbase}/small", str(out_small), "--parallel", str(b.parallel)],
                        ftp_user.password,
                    ),
                    b.peer(["lftp", "-c", f"{lftp_open}; mirror --parallel=4 /small {out_small}"]),
                    "lftp mirror --parallel=4",
                    lambda: clear(out_small),
                    lambda: _count_files(out_small, args.files),
                )
            if wanted("ftp_small_put"):
                b.case(
                    "ftp_small_put",
                    b.ours(
                        ["put", "-r", str(small), f"{fbase}/small_up", "--parallel", str(b.parallel)], ftp_user.password
                    ),
                    b.peer(["lftp", "-c", f"{lftp_open}; mirror -R --parallel=4 {small} /small_up"]),
                    "lftp mirror -R --parallel=4",
                    lambda: clear(fhome / "small_up"),
                    lambda: _count_files(fhome / "small_up", args.files),
                )
        result = {
            "size": args.size,
            "files": args.files,
            "rounds": args.rounds,
            "parallel": args.parallel,
            "cases": b.results,
            "peak_rss_mib": round(b.peak_rss_kib / 1024, 1),
            "targets": {"ftp_and_small": 1.0, "sftp_1g": 1.25},
        }
        print(json.dumps(result))
        return 0
    finally:
        if ftp is not None:
            ftp.stop()
        sshd.stop()
        shutil.rmtree(work, ignore_errors=True)


def _same_size(path: Path, size: int) -> None:
    got = path.stat().st_size
    if got != size:
        raise RuntimeError(f"{path}: {got} bytes, expected {size}")


def _count_files(root: Path, files: int) -> None:
    got = sum(1 for p in root.rglob("*") if p.is_file())
    if got != files:
        raise RuntimeError(f"{root}: {got} files, expected {files}")


if __name__ == "__main__":
    sys.exit(main())
