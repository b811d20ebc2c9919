"""File-transfer benchmark: Quay's CLI (the real queue and sessions) against OpenSSH sftp, curl and lftp.

    python -m bench.transfer --json [--size BYTES] [--files N] [--rounds R] [--parallel N] [--only a,b]

Starts the test servers (OpenSSH sshd, pyftpdlib in its own process, and a pyftpdlib
that offers HASH, :mod:`bench.ftpd_hash`), makes one big random file and a tree of
``--files`` 16 KiB files in 20 folders, and times each case: ours runs as
``python -m app.cli files ...`` in a subprocess, so start-up is included.

The same work on both sides:

* **Parallelism.** The small-file cases run ours with ``--parallel N`` against
  ``lftp mirror --parallel=N`` (over ``sftp://`` for SFTP, ``ftp://`` for FTP); the
  ``*_p1`` cases run ours with one connection against OpenSSH ``sftp -b``, which has one.
* **Cipher.** SFTP 1 GiB runs twice: with each side's default (OpenSSH negotiates
  chacha20-poly1305, ours prefers aes128-gcm) and with the peer on ours
  (``-c aes128-gcm@openssh.com``, ``*_same_cipher``). The negotiated cipher of both
  sides is read from the warm-up runs (ours: ``--protolog``; OpenSSH: ``-v``) and reported.
* **Result.** Every copy (ours and the peers') is checked by sha256 against its source
  after each run, outside the timer (``sha256_ok``). The ``*_hash`` cases run against a
  server offering HASH, where our queue also asks the server for each file's checksum,
  so what our verification costs shows next to peers that verify nothing.
* **Rounds.** An even number of measured rounds (``--rounds``, rounded up), alternating who
  goes first, after one warm-up run per side that is discarded; medians are reported.

``cli_start_1byte_put`` puts a 1-byte file (ours against curl): the fixed cost of starting.
The last line printed is one JSON object: ``cases`` maps each case to ``ours``, ``peer`` (the
best peer's median), ``ratio``, ``peer_tool``, ``target`` (the ratio to meet; null where the
case only informs) and ``sha256_ok``.

Diagnostics: ``QUAY_BENCH_PYSPY=PREFIX`` runs each of our CLI runs under ``py-spy record`` and
writes folded stacks to ``PREFIX-<command>-N.txt``; the timings of such a run are not comparable.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import app_env, even_rounds, log, ratio  # noqa: E402
from tests.servers.common import make_tls  # noqa: E402
from tests.servers.ftp import FtpServer  # noqa: E402
from tests.servers.sshd import SshdServer  # noqa: E402

PYTHON = sys.executable
SMALL_SIZE = 16 * 1024
SMALL_DIRS = 20
SAME_CIPHER = "aes128-gcm@openssh.com"
TARGET_FTP_SMALL = 1.0
TARGET_SFTP_1G = 1.15
TARGET_START = 2.0


@dataclass
class Run:
    seconds: float
    rss_kib: int
    stderr: str


def run_timed(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """One child: wall time, peak RSS (``wait4``) and its stderr; raises on a non-zero exit."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()  # drains while it runs (ssh -v writes a lot)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = err.decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}... exited {proc.returncode}: {text[-1500:]}")
    return Run(elapsed, int(usage.ru_maxrss), text)


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


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def digests(path: Path) -> dict[str, str]:
    """relative path -> sha256 of every file under ``path`` (or {"": sha} for one file)."""
    if path.is_file():
        return {"": sha256_file(path)}
    return {str(p.relative_to(path)): sha256_file(p) for p in sorted(path.rglob("*")) if p.is_file()}


_SSH_CIPHER = re.compile(r"kex: server->client cipher: (\S+)")
_OUR_CIPHER = re.compile(r"cipher ([\w@.-]+)\)")


@dataclass
class Side:
    """One contender in a case: its command, and how to learn its cipher from a warm-up run."""

    tool: str
    cmd: list[str]
    env: dict[str, str] | None = None
    probe: list[str] = field(default_factory=list)  # extra arguments for the warm-up (cipher logging)
    probe_at: int = 1  # where the probe arguments go in cmd
    runs: list[float] = field(default_factory=list)
    cipher: str | None = None


class Bench:
    def __init__(self, work: Path, rounds: int) -> None:
        self.work = work
        self.rounds = rounds
        self.peak_rss_kib = 0
        self.results: dict[str, dict[str, Any]] = {}
        self.ours_env = app_env()
        self.ours_env.pop("QUAY_PASSWORD", None)
        self.plaintext_flag = self._cli_has("--allow-plaintext")

    def _cli_has(self, flag: str) -> bool:
        out = subprocess.run(
            [PYTHON, "-m", "app.cli", "files", "put", "--help"], env=self.ours_env, capture_output=True, text=True
        )
        return flag in out.stdout

    def ours(self, args: list[str], password: str | None = None, *, ssh: bool = False) -> Side:
        env = dict(self.ours_env)
        if password is not None:
            env["QUAY_PASSWORD"] = password
        cmd = [PYTHON, "-m", "app.cli", "files", *args, "--data-dir", str(self.work / "quay-data")]
        if password is not None and self.plaintext_flag and args and "ftp://" in " ".join(args):
            cmd.append("--allow-plaintext")  # loopback FTP without TLS, by design
        probe = ["--protolog", str(self.work / "ours-protolog.txt")] if ssh else []
        prof = os.environ.get("QUAY_BENCH_PYSPY")
        if prof:  # diagnostics: folded stacks of our CLI per run (py-spy); such timings are not comparable
            self.profiles = getattr(self, "profiles", 0) + 1
            out_file = f"{prof}-{args[0]}-{self.profiles}.txt"
            pyspy = ["py-spy", "record", "--subprocesses", "--format", "raw", "--rate", "200", "-o", out_file, "--"]
            return Side("quay", [*pyspy, *cmd], env, probe, probe_at=len(pyspy) + len(cmd))
        return Side("quay", cmd, env, probe, probe_at=len(cmd))

    def _once(self, side: Side, warm: bool) -> float:
        cmd = side.cmd
        if warm and side.probe:
            cmd = [*cmd[: side.probe_at], *side.probe, *cmd[side.probe_at :]]
        r = run_timed(cmd, side.env)
        if side.tool == "quay":
            self.peak_rss_kib = max(self.peak_rss_kib, r.rss_kib)
        if warm and side.probe:
            side.cipher = self._cipher(side, r.stderr)
        return r.seconds

    def _cipher(self, side: Side, stderr: str) -> str | None:
        if side.tool == "quay":
            log_file = Path(side.probe[1])
            m = _OUR_CIPHER.search(log_file.read_text(errors="replace")) if log_file.exists() else None
            clear(log_file)
        else:
            m = _SSH_CIPHER.search(stderr)
        return m.group(1) if m else None

    def case(
        self,
        name: str,
        ours: Side,
        peers: list[Side],
        reset: Callable[[], None],
        source: dict[str, str],
        copy: Path,
        target: float | None,
        rounds: int | None = None,
    ) -> None:
        """Warm-up per side, then ``rounds`` rounds alternating who goes first; sha256 of each copy after each run."""
        sides = [ours, *peers]
        sha_ok = True
        n = rounds or self.rounds
        for r in range(n + 1):
            order = sides if r % 2 == 0 else list(reversed(sides))
            for side in order:
                reset()
                secs = self._once(side, warm=r == 0)
                if r:
                    side.runs.append(secs)
                got = digests(copy) if copy.exists() else {}
                if got != source:
                    sha_ok = False
                    log(f"  {name}: {side.tool}'s copy differs from the source ({len(got)} files)")
                log(f"  {name} {'warm-up' if r == 0 else f'round {r}'} {side.tool}: {secs:.2f}s")
        reset()
        o = statistics.median(ours.runs)
        best = min(peers, key=lambda p: statistics.median(p.runs))
        p = statistics.median(best.runs)
        res: dict[str, Any] = {
            "ours": round(o, 3),
            "peer": round(p, 3),
            "ratio": ratio(o, p),
            "peer_tool": best.tool,
            "target": target,
            "sha256_ok": sha_ok,
            "ours_runs": [round(x, 3) for x in ours.runs],
            "peer_runs": [round(x, 3) for x in best.runs],
        }
        if len(peers) > 1:
            res["peers"] = {s.tool: round(statistics.median(s.runs), 3) for s in peers}
        if ours.cipher or best.cipher:
            res["ours_cipher"] = ours.cipher
            res["peer_cipher"] = best.cipher
        self.results[name] = res
        log(f"{name}: ours {o:.2f}s, {best.tool} {p:.2f}s, ratio {res['ratio']}, sha256 {'ok' if sha_ok else 'BAD'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print the JSON result (always the last line)")
    ap.add_argument("--size", type=int, default=1 << 30, help="big file size in bytes (default 1 GiB)")
    ap.add_argument("--files", type=int, default=2000, help="number of 16 KiB files (default 2000)")
    ap.add_argument("--rounds", type=int, default=2, help="measured rounds per case (made even; plus a warm-up)")
    ap.add_argument("--parallel", type=int, default=4, help="connections for the small-file cases, both sides")
    ap.add_argument("--only", help="comma-separated case name prefixes to run (e.g. sftp_get,ftp_small)")
    ap.add_argument("--workdir", help="where the files and servers go (default: a temp dir)")
    args = ap.parse_args(argv)

    only = [x for x in (args.only or "").split(",") if x]

    def wanted(name: str) -> bool:
        """A case (or a group prefix such as ``ftp_small``) selected by --only."""
        return not only or any(name.startswith(o) or o.startswith(name) for o in only)

    for tool in ("sftp", "curl", "lftp"):
        if shutil.which(tool) is None:
            log(f"missing peer tool {tool} (scripts/_common.sh BENCH_PACKAGES)")
            return 2
    rounds = even_rounds(args.rounds)
    par = args.parallel
    work = Path(tempfile.mkdtemp(prefix="quay-bench-", dir=args.workdir))
    os.chmod(work, 0o711)
    sshd = SshdServer(password_user="quaybench1", key_user="quaybenchkey")  # not shared with test runs
    ftp: FtpServer | None = None
    ftph: FtpServer | None = None
    load_before = os.getloadavg()[0]
    try:
        log(f"work dir {work}; starting servers")
        sshd.start()
        tls = make_tls(work / "tls")
        ftp = FtpServer(work / "ftp", tls, log_level="WARNING")
        ftp.start()
        ftp_user = ftp.new_user("bench")
        ftph = FtpServer(work / "ftph", tls, log_level="WARNING", runner="bench.ftpd_hash")
        ftph.start()
        ftph_user = ftph.new_user("bench")
        b = Bench(work, rounds)

        big = work / "big.bin"
        small = work / "small"
        need_big = any(wanted(c) for c in ("sftp_get_1g", "sftp_put_1g", "ftp_get_1g", "ftp_put_1g"))
        log(f"making {args.size if need_big else 0} byte file and {args.files} small files")
        big_sum: dict[str, str] = {}
        if need_big:  # a selective run of the small cases does not wait for 1 GiB of random data
            write_random(big, args.size)
            big_sum = digests(big)
        make_small_tree(small, args.files)
        small_sum = digests(small)

        user = sshd.key_user
        home = sshd.home(user)
        key = str(sshd.client_key_path)
        kh = str(sshd.known_hosts_path)
        base = f"sftp://{user}@{sshd.host}:{sshd.port}"
        ssh_common = ["--known-hosts", kh, "-i", key, "--ssh-config", "/dev/null"]
        ssh_opts = ["-i", key, "-o", f"UserKnownHostsFile={kh}", "-o", "StrictHostKeyChecking=yes"]
        ssh_opts += ["-o", "BatchMode=yes", "-F", "/dev/null"]
        target_host = f"{user}@{sshd.host}"

        def sftp_peer(script: str, name: str, cipher: str | None = None) -> Side:
            p = work / f"{name}.batch"
            p.write_text(script + "\n")
            cmd = ["sftp", "-q", *ssh_opts, "-P", str(sshd.port), *(["-c", cipher] if cipher else [])]
            tool = "openssh sftp -b" + (f" -c {cipher}" if cipher else "")
            return Side(tool, [*cmd, "-b", str(p), target_host], probe=["-v"], probe_at=2)  # -v after -q

        def lftp_sftp(command: str) -> Side:
            connect = "ssh -a -x " + " ".join(ssh_opts)
            script = (
                f"set cmd:fail-exit yes; set sftp:auto-confirm no; set sftp:connect-program '{connect}'; "
                f"open -u {user}, sftp://{sshd.host}:{sshd.port}; {command}"
            )
            return Side(f"lftp sftp {command.split()[0]} --parallel={par}", ["lftp", "-c", script])

        out_big = work / "out_big.bin"
        out_small = work / "out_small"

        # --- SFTP big file: default ciphers, then the peer on ours ------------------------------
        if wanted("sftp_get_1g") or wanted("sftp_put_1g"):
            remote_big = home / "big.bin"
            remote_up = home / "up.bin"
            shutil.copyfile(big, remote_big)
            chown_tree(remote_big, user)
            for suffix, cipher, target in (("", None, None), ("_same_cipher", SAME_CIPHER, TARGET_SFTP_1G)):
                if wanted(f"sftp_get_1g{suffix}"):
                    b.case(
                        f"sftp_get_1g{suffix}",
                        b.ours(["get", f"{base}{remote_big}", str(out_big), *ssh_common], ssh=True),
                        [sftp_peer(f"get {remote_big} {out_big}", f"g1{suffix}", cipher)],
                        lambda: clear(out_big),
                        big_sum,
                        out_big,
                        target,
                    )
                if wanted(f"sftp_put_1g{suffix}"):
                    b.case(
                        f"sftp_put_1g{suffix}",
                        b.ours(["put", str(big), f"{base}{remote_up}", *ssh_common], ssh=True),
                        [sftp_peer(f"put {big} {remote_up}", f"p1{suffix}", cipher)],
                        lambda: clear(remote_up),
                        big_sum,
                        remote_up,
                        target,
                    )
            clear(remote_big)

        # --- SFTP small files: lftp mirror at the same parallelism; ours at 1 against sftp -b ----
        if wanted("sftp_small"):
            remote_small = home / "small"
            remote_up = home / "small_up"
            shutil.copytree(small, remote_small)
            chown_tree(remote_small, user)
            for suffix, n, peer_get, peer_put in (
                (
                    "",
                    par,
                    lftp_sftp(f"mirror --parallel={par} {remote_small} {out_small}"),
                    lftp_sftp(f"mirror -R --parallel={par} {small} {remote_up}"),
                ),
                (
                    "_p1",
                    1,
                    sftp_peer(f"get -r {remote_small} {out_small}", "g2"),
                    sftp_peer(f"put -r {small} {remote_up}", "p2"),
                ),
            ):
                if wanted(f"sftp_small_get{suffix}"):
                    b.case(
                        f"sftp_small_get{suffix}",
                        b.ours(
                            ["get", "-r", f"{base}{remote_small}", str(out_small), "--parallel", str(n), *ssh_common]
                        ),
                        [peer_get],
                        lambda: clear(out_small),
                        small_sum,
                        out_small,
                        TARGET_FTP_SMALL,
                    )
                if wanted(f"sftp_small_put{suffix}"):
                    b.case(
                        f"sftp_small_put{suffix}",
                        b.ours(["put", "-r", str(small), f"{base}{remote_up}", "--parallel", str(n), *ssh_common]),
                        [peer_put],
                        lambda: clear(remote_up),
                        small_sum,
                        remote_up,
                        TARGET_FTP_SMALL,
                    )
            clear(remote_small)

        # --- FTP: plain pyftpdlib, then the one offering HASH --------------------------------------
        for suffix, srv, fuser, target in (("", ftp, ftp_user, TARGET_FTP_SMALL), ("_hash", ftph, ftph_user, None)):
            fhome = fuser.home
            fbase = f"ftp://{fuser.name}@{srv.host}:{srv.port}"
            curl_base = f"ftp://{srv.host}:{srv.port}"
            curl_auth = ["-u", f"{fuser.name}:{fuser.password}"]
            lftp_open = f"set cmd:fail-exit yes; open -u {fuser.name},{fuser.password} {curl_base}"
            if wanted(f"ftp_get_1g{suffix}") or wanted(f"ftp_put_1g{suffix}"):
                shutil.copyfile(big, fhome / "big.bin")
                if wanted(f"ftp_get_1g{suffix}"):
                    b.case(
                        f"ftp_get_1g{suffix}",
                        b.ours(["get", f"{fbase}/big.bin", str(out_big)], fuser.password),
                        [
                            Side("curl", ["curl", "-s", "-S", *curl_auth, "-o", str(out_big), f"{curl_base}/big.bin"]),
                            Side("lftp get", ["lftp", "-c", f"{lftp_open}; get /big.bin -o {out_big}"]),
                        ],
                        lambda: clear(out_big),
                        big_sum,
                        out_big,
                        target,
                    )
                up = fhome / "up.bin"
                if wanted(f"ftp_put_1g{suffix}"):
                    b.case(
                        f"ftp_put_1g{suffix}",
                        b.ours(["put", str(big), f"{fbase}/up.bin"], fuser.password),
                        [
                            Side("curl", ["curl", "-s", "-S", *curl_auth, "-T", str(big), f"{curl_base}/up.bin"]),
                            Side("lftp put", ["lftp", "-c", f"{lftp_open}; put {big} -o /up.bin"]),
                        ],
                        lambda up=up: clear(up),  # type: ignore[misc]
                        big_sum,
                        up,
                        target,
                    )
                clear(fhome / "big.bin")
            if wanted(f"ftp_small_get{suffix}") or wanted(f"ftp_small_put{suffix}"):
                shutil.copytree(small, fhome / "small")
                if wanted(f"ftp_small_get{suffix}"):
                    b.case(
                        f"ftp_small_get{suffix}",
                        b.ours(["get", "-r", f"{fbase}/small", str(out_small), "--parallel", str(par)], fuser.password),
                        [
                            Side(
                                f"lftp mirror --parallel={par}",
                                ["lftp", "-c", f"{lftp_open}; mirror --parallel={par} /small {out_small}"],
                            )
                        ],
                        lambda: clear(out_small),
                        small_sum,
                        out_small,
                        target,
                    )
                small_up = fhome / "small_up"
                if wanted(f"ftp_small_put{suffix}"):
                    b.case(
                        f"ftp_small_put{suffix}",
                        b.ours(["put", "-r", str(small), f"{fbase}/small_up", "--parallel", str(par)], fuser.password),
                        [
                            Side(
                                f"lftp mirror -R --parallel={par}",
                                ["lftp", "-c", f"{lftp_open}; mirror -R --parallel={par} {small} /small_up"],
                            )
                        ],
                        lambda small_up=small_up: clear(small_up),  # type: ignore[misc]
                        small_sum,
                        small_up,
                        target,
                    )
                clear(fhome / "small")

        # --- start-up: a 1-byte put, ours against curl ---------------------------------------------
        if wanted("cli_start_1byte_put"):
            one = work / "one.bin"
            one.write_bytes(b"x")
            up1 = ftp_user.home / "one.bin"
            curl_base = f"ftp://{ftp.host}:{ftp.port}"
            b.case(
                "cli_start_1byte_put",
                b.ours(["put", str(one), f"ftp://{ftp_user.name}@{ftp.host}:{ftp.port}/one.bin"], ftp_user.password),
                [
                    Side(
                        "curl",
                        [
                            "curl",
                            "-s",
                            "-S",
                            "-u",
                            f"{ftp_user.name}:{ftp_user.password}",
                            "-T",
                            str(one),
                            f"{curl_base}/one.bin",
                        ],
                    )
                ],
                lambda: clear(up1),
                digests(one),
                up1,
                TARGET_START,
                rounds=max(10, rounds),
            )
        cases = b.results
        met = {
            k: v["ratio"] is not None and v["ratio"] <= v["target"] and v["sha256_ok"]
            for k, v in cases.items()
            if v["target"] is not None
        }
        result = {
            "size": args.size,
            "files": args.files,
            "rounds": rounds,
            "parallel": par,
            "load_before": round(load_before, 2),
            "load_after": round(os.getloadavg()[0], 2),
            "cases": cases,
            "peak_rss_mib": round(b.peak_rss_kib / 1024, 1),
            "targets": {
                "ftp_and_small": TARGET_FTP_SMALL,
                "sftp_1g_same_cipher": TARGET_SFTP_1G,
                "cli_start": TARGET_START,
            },
            "targets_met": met,
        }
        print(json.dumps(result) if args.json else json.dumps(result, indent=2))
        return 0
    finally:
        for s in (ftp, ftph):
            if s is not None:
                s.stop()
        sshd.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
