"""Files-tab benchmark: the GUI's transfer queue against the CLI doing the same transfers, in the same run.

    python -m bench.files_ui --json [--size BYTES] [--files N] [--rounds R] [--only ftp_up,sftp_small]
    python -m bench.files_ui --screenshots docs/screenshots

Starts the test servers (pyftpdlib in its own process and OpenSSH sshd, from ``tests/servers``),
makes one big random file (1 GiB) and ``--files`` 16 KiB files in 20 folders, then for each case
(``ftp_up_1g``, ``ftp_down_1g``, ``ftp_up_small``, ``ftp_down_small`` and the same for SFTP):

* **GUI** -- a child process runs the real main window offscreen, connects the Files tab to both
  servers (saved sites with 4 parallel connections), and does what a user does: drops the file or
  folder on the remote pane (upload) or selects it and presses Download.  The time runs from the
  drop / the click until the queue view shows every job done.  A 10 ms ``QTimer`` watches the event
  loop meanwhile: ``worst_stall_ms`` is the longest gap between two of its ticks minus those 10 ms.
* **CLI** -- ``python -m app.cli files put|get [-r] ... --parallel 4`` in a subprocess (start-up and
  connection included, which favours the GUI a little: its connection is already open).

Rounds alternate who goes first; medians are reported.  ``peak_rss_mb`` is the GUI child's peak
resident memory (``wait4``).  Targets (issue 13): ``ratio`` = gui_s / cli_s <= 1.10, worst stall
<= 50 ms, peak RSS <= 250 MB.  The last line printed is one JSON object.

Diagnostics (GUI child): ``QUAY_BENCH_STALL_TRACE=FILE`` appends the window thread's stack and CPU use
for every stall over 60 ms, ``QUAY_BENCH_PROFILE=PREFIX`` writes a cProfile of the window thread per
case, ``QUAY_BENCH_THREADS=FILE`` appends each thread's CPU seconds per case.

``--screenshots DIR`` instead takes ``files-en.png`` and ``files-vi.png`` of the main window with a
connected site and a running (throttled) queue.
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
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.transfer import chown_tree, clear, make_small_tree, run_timed, write_random  # noqa: E402

PYTHON = sys.executable
CASES = [
    "ftp_up_1g",
    "ftp_down_1g",
    "ftp_up_small",
    "ftp_down_small",
    "sftp_up_1g",
    "sftp_down_1g",
    "sftp_up_small",
    "sftp_down_small",
]
PARALLEL = 4
TARGETS = {"ratio": 1.10, "worst_stall_ms": 50.0, "peak_rss_mb": 250.0}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- the GUI child --------------------------------------------------------------------------------


def gui_child(cfg: dict[str, Any]) -> int:
    """Run the cases through the real main window; print one JSON line with the timings."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
    from PySide6.QtGui import QDropEvent
    from PySide6.QtWidgets import QApplication

    from app.core.paths import AppPaths
    from app.core.transfer.queue import JobState
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings
    from app.ui.transfer.backend import site_for
    from app.ui.transfer.remote_model import ListingState

    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    paths = AppPaths.in_dir(cfg["profile"])
    paths.ensure()
    shutil.copyfile(cfg["known_hosts"], paths.known_hosts_file)  # the server's key was checked once before
    settings = Settings(paths)
    settings.set_value("files/conflict", "overwrite")  # as the CLI's default --policy
    window = MainWindow(settings, "en")
    window.resize(1280, 860)
    window.tabs.setCurrentIndex(1)
    window.show()
    tab = window.files_pane
    backend = tab.backend
    model = tab.queue.model

    def spin_until(pred: Any, timeout: float = 600.0) -> None:
        """Run the event loop until ``pred()``: checked whenever the queue's counts change (the moment
        the last job is done), and every 200 ms for everything else."""
        loop = QEventLoop()
        deadline = time.monotonic() + timeout

        def check() -> None:
            if pred() or time.monotonic() > deadline:
                loop.quit()

        poll = QTimer()
        poll.setInterval(200)
        poll.timeout.connect(check)
        poll.start()
        model.counts_changed.connect(check)
        if not pred():
            loop.exec()
        model.counts_changed.disconnect(check)
        poll.stop()
        if not pred():
            jobs = model.jobs()
            raise RuntimeError(f"timed out after {timeout}s; jobs: {[(r.state, r.error) for r in jobs[:3]]}")

    gaps: list[float] = []
    state = {"measuring": False, "last": 0.0}

    def tick() -> None:
        now = time.perf_counter()
        if state["measuring"] and state["last"]:
            gaps.append((now - state["last"]) * 1000 - 10)
        state["last"] = now

    if os.environ.get("QUAY_BENCH_STALL_TRACE"):
        _start_stall_tracer(state)
    watch = QTimer()
    watch.setTimerType(Qt.TimerType.PreciseTimer)
    watch.setInterval(10)
    watch.timeout.connect(tick)
    watch.start()

    panes = {}
    for proto in ("ftp", "sftp"):
        c = cfg[proto]
        site = site_for(
            proto,
            c["host"],
            c["port"],
            c["user"],
            name=f"bench {proto}",
            auth="password" if proto == "ftp" else "key",
            key_file=c.get("key"),
            remote_dir=c["root"],
            max_connections=PARALLEL,
            allow_plaintext=proto == "ftp",  # loopback only; the CLI side is told the same
        )
        backend.save_site(site)  # no password saved: the bench passes it in memory
        target = backend.target_for_site(site)
        target.password = c.get("password")
        conn = tab.connect_to(target, new_tab=True)
        spin_until(lambda conn=conn: conn.connected and conn.pane.model.state == ListingState.READY, 60)
        panes[proto] = conn.pane

    def drop_on(pane: Any, local: Path) -> None:
        md = QMimeData()
        md.setUrls([QUrl.fromLocalFile(str(local))])
        vp = pane.list.viewport()
        p = QPoint(vp.width() // 2, vp.height() - 4)
        from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent

        acts = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
        nb, nm = Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
        QApplication.sendEvent(vp, QDragEnterEvent(QPointF(p), acts, md, nb, nm))
        QApplication.sendEvent(vp, QDragMoveEvent(QPointF(p), acts, md, nb, nm))
        QApplication.sendEvent(vp, QDropEvent(QPointF(p), acts, md, nb, nm))

    results: dict[str, float] = {}
    for case in cfg["cases"]:
        proto, direction, kind = case.split("_")
        c = cfg[proto]
        pane = panes[proto]
        expected = 1 if kind == "1g" else cfg["files"]
        name = "big.bin" if kind == "1g" else "small"
        tab.queue.clear_finished()
        spin_until(lambda: not model.jobs(), 30)
        print(json.dumps({"ready": case}), flush=True)
        if sys.stdin.readline().strip() != "go":  # the harness has reset the folders for this case
            return 1
        tab.remote_tabs.setCurrentWidget(pane)
        if direction == "up":
            pane.navigate(c["root"] + "/up")
        else:
            pane.navigate(c["root"] + "/src")
            tab.local.set_path(cfg["out"])
        spin_until(lambda pane=pane: pane.model.state == ListingState.READY, 60)
        state["measuring"], state["last"], state["case"] = True, 0.0, case
        first_gap = len(gaps)
        prof = None
        if os.environ.get("QUAY_BENCH_PROFILE"):  # diagnostics: where the GUI thread spends its time
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        cpu0 = _thread_cpu() if os.environ.get("QUAY_BENCH_THREADS") else {}
        t0 = time.perf_counter()
        if direction == "up":
            drop_on(pane, Path(cfg["big"] if kind == "1g" else cfg["small"]))
        else:
            pane.list.setFocus()
            pane.select_names([name])
            tab._set_active("remote")
            tab.download_action.trigger()

        def finished(expected: int = expected) -> bool:
            c = model.counts()  # kept up to date by the model; walking 2,000 rows every 20 ms would skew the run
            return c["done"] + c["failed"] >= expected and c["queued"] + c["running"] == 0

        spin_until(finished)
        elapsed = time.perf_counter() - t0
        state["measuring"] = False
        if cpu0:  # diagnostics: CPU seconds per thread during the case, appended to $QUAY_BENCH_THREADS
            cpu1 = _thread_cpu()
            used = sorted(((cpu1[k] - cpu0.get(k, 0.0), k) for k in cpu1), reverse=True)[:8]
            with open(os.environ["QUAY_BENCH_THREADS"], "a") as out:
                out.write(f"{case} {elapsed:.2f}s " + " ".join(f"{k}={v:.2f}" for v, k in used if v > 0.05) + "\n")
        if prof is not None:
            prof.disable()
            prof.dump_stats(f"{os.environ['QUAY_BENCH_PROFILE']}.{case}")
        failed = [r for r in model.jobs() if r.state != JobState.DONE]
        if failed:
            raise RuntimeError(f"{case}: {len(failed)} failed, e.g. {failed[0].error}")
        results[case] = elapsed
        stall = max(gaps[first_gap:], default=0.0)
        print(json.dumps({"case": case, "gui_s": elapsed, "stall_ms": round(stall, 1)}), flush=True)
    worst = max(gaps) if gaps else 0.0
    print(json.dumps({"done": True, "gui": results, "worst_stall_ms": round(worst, 1)}), flush=True)
    window.close()
    sys.stderr.flush()
    os._exit(0)  # the measurements are out; skip interpreter teardown with transfer threads still parked


def _thread_cpu() -> dict[str, float]:
    """CPU seconds (user + system) per thread of this process, by "name/tid" (Linux /proc)."""
    out: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for tid in os.listdir("/proc/self/task"):
        try:
            name = Path(f"/proc/self/task/{tid}/comm").read_text().strip()
            fields = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[f"{name}/{tid}"] = (int(fields[11]) + int(fields[12])) / tick
    return out


def _start_stall_tracer(state: dict[str, Any]) -> None:
    """Diagnostics: append the GUI thread's stack to the file named by ``QUAY_BENCH_STALL_TRACE`` whenever its
    10 ms timer is more than 60 ms late, with what the window thread did meanwhile: CPU time, time spent
    runnable but waiting for a core (the kernel's run delay: other processes or threads had the CPUs), and
    how often it was seen sleeping (waiting for the GIL or a lock), plus the other threads' stacks."""
    import threading
    import traceback

    main_id = threading.get_ident()
    main_tid = threading.get_native_id()
    tick = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        fields = Path(f"/proc/self/task/{main_tid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    def run_delay() -> float:
        try:
            return int(Path(f"/proc/self/task/{main_tid}/schedstat").read_text().split()[1]) / 1e9
        except (OSError, IndexError, ValueError):
            return 0.0

    def run_state() -> str:
        try:
            st = Path(f"/proc/self/task/{main_tid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if st == "S":  # what it sleeps in: a futex is the GIL (or a lock), a poll is the idle event loop
                st += ":" + Path(f"/proc/self/task/{main_tid}/wchan").read_text().strip()
            return st
        except (OSError, IndexError):
            return "?"

    def watch() -> None:
        while True:
            time.sleep(0.02)
            last = state["last"]
            if state["measuring"] and last and time.perf_counter() - last > 0.06:
                c0, d0, t0 = cpu(), run_delay(), time.perf_counter()
                frames = sys._current_frames()
                frame = frames.get(main_id)
                stack = "".join(traceback.format_stack(frame)[-4:]) if frame is not None else ""
                others = []
                for ident, f in frames.items():
                    if ident not in (main_id, threading.get_ident()):
                        top = traceback.extract_stack(f)[-3:]
                        where = (f"{Path(x.filename).name}:{x.lineno}:{x.name}" for x in reversed(top))
                        others.append(" <- ".join(where))
                seen: dict[str, int] = {}
                tops: dict[str, int] = {}  # where the window thread's Python code is, sampled every 5 ms
                while state["last"] == last and time.perf_counter() - t0 < 2:
                    st = run_state()
                    seen[st] = seen.get(st, 0) + 1
                    f = sys._current_frames().get(main_id)
                    if f is not None:
                        top = f"{Path(f.f_code.co_filename).name}:{f.f_code.co_name}"
                        tops[top] = tops.get(top, 0) + 1
                    time.sleep(0.005)
                with open(os.environ["QUAY_BENCH_STALL_TRACE"], "a") as out:
                    dur = (time.perf_counter() - last) * 1000
                    seen_ms = 1000 * (time.perf_counter() - t0)
                    out.write(
                        f"STALL {state.get('case')} at {last:.3f} (monotonic) {dur:.0f} ms, "
                        f"main thread CPU {1000 * (cpu() - c0):.0f} ms, "
                        f"run delay {1000 * (run_delay() - d0):.0f} ms of the last {seen_ms:.0f}; "
                        f"states {seen}; python {tops}; load {Path('/proc/loadavg').read_text().split()[0]}\n{stack}"
                        + "".join(f"    | {o}\n" for o in others)
                        + "\n"
                    )

    threading.Thread(target=watch, daemon=True).start()


# --- screenshots ----------------------------------------------------------------------------------------


def screenshot_child(cfg: dict[str, Any]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.paths import AppPaths
    from app.ui.i18n import Translations
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings
    from app.ui.transfer.backend import site_for
    from app.ui.transfer.remote_model import ListingState

    app = QApplication([sys.argv[0]])
    paths = AppPaths.in_dir(cfg["profile"])
    paths.ensure()
    shutil.copyfile(cfg["known_hosts"], paths.known_hosts_file)
    settings = Settings(paths)
    translations = Translations(app, paths.cache / "i18n")
    translations.apply(cfg["language"])
    settings.set_value("files/conflict", "overwrite")
    window = MainWindow(settings, cfg["language"])
    window.resize(1280, 860)
    window.tabs.setCurrentIndex(1)
    window.show()
    tab = window.files_pane

    def spin(pred: Any, timeout: float = 60.0) -> None:
        loop = QEventLoop()
        deadline = time.monotonic() + timeout
        poll = QTimer()
        poll.setInterval(20)
        poll.timeout.connect(lambda: loop.quit() if pred() or time.monotonic() > deadline else None)
        poll.start()
        loop.exec()

    c = cfg["sftp"]
    site = site_for(
        "sftp",
        c["host"],
        c["port"],
        c["user"],
        name="Photo archive",
        auth="key",
        key_file=c["key"],
        remote_dir=c["root"] + "/src",
        max_connections=2,
        public_url_prefix="https://photos.example.com/",
    )
    tab.backend.save_site(site)
    tab.local.set_path(cfg["local"])
    conn = tab.connect_to(tab.backend.target_for_site(site))
    spin(lambda: conn.connected and conn.pane.model.state == ListingState.READY)
    tab.queue.set_speed_limit_kib(3 * 1024)
    tab.upload_paths(conn.pane, [Path(cfg["local"]) / n for n in cfg["uploads"]], c["root"] + "/src")
    spin(lambda: sum(1 for r in tab.queue.model.jobs() if r.done > 0) >= 2, 30)
    tab.queue.show_group("running")
    spin(lambda: False, 1.5)  # let a few progress updates and log lines arrive
    conn.pane.list.setFocus()
    names = [e.name for e in conn.pane.model.entries() if not e.is_dir]
    conn.pane.select_names(names[:1])
    spin(lambda: False, 0.3)
    ok = window.grab().save(cfg["out"], "PNG")
    tab.queue.cancel_all()
    window.close()
    return 0 if ok else 1


# --- the harness -------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print the JSON result (always the last line)")
    ap.add_argument("--size", type=int, default=1 << 30, help="big file size (default 1 GiB)")
    ap.add_argument("--files", type=int, default=2000, help="number of 16 KiB files (default 2000)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", help="comma-separated case name prefixes (e.g. ftp_up,sftp_down_small)")
    ap.add_argument("--screenshots", metavar="DIR", help="take the Files tab screenshots (en, vi) instead")
    ap.add_argument("--gui-child", metavar="CONFIG", help=argparse.SUPPRESS)
    ap.add_argument("--shot-child", metavar="CONFIG", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.gui_child:
        return gui_child(json.loads(Path(args.gui_child).read_text()))
    if args.shot_child:
        return screenshot_child(json.loads(Path(args.shot_child).read_text()))

    from tests.servers.common import make_tls
    from tests.servers.ftp import FtpServer
    from tests.servers.sshd import SshdServer

    only = [x for x in (args.only or "").split(",") if x]
    cases = [c for c in CASES if not only or any(c.startswith(o) for o in only)]
    if args.screenshots:
        cases = []
    work = Path(tempfile.mkdtemp(prefix="quay-bench-ui-", dir="/tmp"))
    os.chmod(work, 0o711)
    sshd = SshdServer(password_user="quaybenchui1", key_user="quaybenchuikey")
    ftp: FtpServer | None = None
    try:
        log(f"work dir {work}; starting servers")
        sshd.start()
        ftp = FtpServer(work / "ftp", make_tls(work / "tls"), log_level="WARNING")
        ftp.start()
        fuser = ftp.new_user("benchui")
        skey = sshd.key_user
        shome = sshd.home(skey)
        big = work / "big.bin"
        small = work / "small"
        if any(c.endswith("_1g") for c in cases):
            log(f"making a {args.size} byte file")
            write_random(big, args.size)
        make_small_tree(small, args.files if not args.screenshots else 40)
        out = work / "out"
        homes = {"ftp": fuser.home, "sftp": shome}
        for _proto, home in homes.items():
            (home / "src").mkdir(exist_ok=True)
            (home / "up").mkdir(exist_ok=True)
            if big.exists():
                os.link(big, home / "src" / "big.bin")
            shutil.copytree(small, home / "src" / "small")
        chown_tree(shome / "src", skey)
        chown_tree(shome / "up", skey)
        cfg: dict[str, Any] = {
            "profile": str(work / "gui-profile"),
            "known_hosts": str(sshd.known_hosts_path),
            "files": args.files,
            "big": str(big),
            "small": str(small),
            "out": str(out),
            "ftp": {
                "host": ftp.host,
                "port": ftp.port,
                "user": fuser.name,
                "password": fuser.password,
                "root": "",
            },
            "sftp": {
                "host": sshd.host,
                "port": sshd.port,
                "user": skey,
                "key": str(sshd.client_key_path),
                "root": str(shome),
            },
        }
        env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")

        if args.screenshots:
            target = Path(args.screenshots)
            target.mkdir(parents=True, exist_ok=True)
            local = work / "photos"
            local.mkdir()
            uploads = []
            for i, name in enumerate(["harbour-at-dawn.jpg", "lanterns-hoi-an.jpg", "market.mov", "notes.txt"]):
                write_random(local / name, (40 + 15 * i) << 20)
                uploads.append(name)
            (local / "2026 trip").mkdir()
            src = shome / "src"
            for d in ("albums", "backups", "www"):
                (src / d).mkdir(exist_ok=True)
            for name, size in (("index.html", 6_100), ("harbour.jpg", 2_400_000), ("price-list.pdf", 380_000)):
                (src / name).write_bytes(os.urandom(size))
            chown_tree(src, skey)
            for lang in ("en", "vi"):
                png = str((target / f"files-{lang}.png").resolve())
                shot = dict(cfg, language=lang, local=str(local), uploads=uploads, out=png, profile=str(work / lang))
                cfg_path = work / f"shot-{lang}.json"
                cfg_path.write_text(json.dumps(shot))
                subprocess.run([PYTHON, "-m", "bench.files_ui", "--shot-child", str(cfg_path)], env=env, check=True,
                               cwd=REPO)  # fmt: skip
                clear(shome / "up")
                (shome / "up").mkdir()
                chown_tree(shome / "up", skey)
                log(f"saved {target / f'files-{lang}.png'}")
            return 0

        def reset(case: str) -> None:
            proto, _direction, _kind = case.split("_")
            home = homes[proto]
            clear(home / "up")
            (home / "up").mkdir()
            if proto == "sftp":
                chown_tree(home / "up", skey)
            clear(out)
            out.mkdir()

        def check(case: str, where: Path) -> None:
            _proto, _direction, kind = case.split("_")
            if kind == "1g":
                got = (where / "big.bin").stat().st_size
                if got != args.size:
                    raise RuntimeError(f"{case}: {got} bytes")
            else:
                n = sum(1 for p in (where / "small").rglob("*") if p.is_file())
                if n != args.files:
                    raise RuntimeError(f"{case}: {n} files")

        def cli(case: str) -> float:
            proto, direction, kind = case.split("_")
            c = cfg[proto]
            if proto == "ftp":
                base = f"ftp://{c['user']}@{c['host']}:{c['port']}"
                extra: list[str] = ["--allow-plaintext"]  # loopback only, as the GUI side's site says
                cenv = dict(env, QUAY_PASSWORD=c["password"])
            else:
                base = f"sftp://{c['user']}@{c['host']}:{c['port']}{c['root']}"
                extra = ["-i", c["key"], "--known-hosts", cfg["known_hosts"], "--ssh-config", "/dev/null"]
                cenv = dict(env)
                cenv.pop("QUAY_PASSWORD", None)
            name = "big.bin" if kind == "1g" else "small"
            par = ["--parallel", str(PARALLEL)]
            rec = ["-r"] if kind == "small" else []
            if direction == "up":
                src = str(big if kind == "1g" else small)
                cmd = ["put", *rec, src, f"{base}/up/{name}"]
            else:
                cmd = ["get", *rec, f"{base}/src/{name}", str(out / name)]
            full = [PYTHON, "-m", "app.cli", "files", *cmd, *par, *extra, "--data-dir", str(work / "cli-data")]
            return run_timed(full, cenv).seconds

        gui_runs: dict[str, list[float]] = {c: [] for c in cases}
        cli_runs: dict[str, list[float]] = {c: [] for c in cases}
        worst_stall = 0.0
        peak_rss_kib = 0
        for r in range(args.rounds):
            order = ["cli", "gui"] if r % 2 == 0 else ["gui", "cli"]
            for who in order:
                if who == "cli":
                    for case in cases:
                        reset(case)
                        cli_runs[case].append(cli(case))
                        check(case, homes[case.split("_")[0]] / "up" if "_up_" in case else out)
                        log(f"  round {r + 1} cli {case}: {cli_runs[case][-1]:.2f}s")
                    continue
                # One GUI process runs every case; the harness resets between cases through a pipe.
                gui_cfg = dict(cfg, cases=cases, profile=str(work / f"gui-profile-{r}"))
                cfg_path = work / f"gui-{r}.json"
                cfg_path.write_text(json.dumps(gui_cfg))
                with open(work / f"gui-{r}.log", "w") as errlog:
                    proc = subprocess.Popen(
                        [PYTHON, "-m", "bench.files_ui", "--gui-child", str(cfg_path)],
                        env=env,
                        cwd=REPO,
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=errlog,
                        text=True,
                    )
                assert proc.stdout is not None and proc.stdin is not None
                final: dict[str, Any] = {}
                for line in proc.stdout:
                    try:
                        msg = json.loads(line)
                    except ValueError:
                        continue
                    if "ready" in msg:
                        reset(msg["ready"])
                        proc.stdin.write("go\n")
                        proc.stdin.flush()
                    elif "case" in msg:
                        case = msg["case"]
                        gui_runs[case].append(msg["gui_s"])
                        check(case, homes[case.split("_")[0]] / "up" if "_up_" in case else out)
                        log(f"  round {r + 1} gui {case}: {msg['gui_s']:.2f}s, worst stall {msg.get('stall_ms')} ms")
                    elif msg.get("done"):
                        final = msg
                proc.stdin.close()
                _pid, status, usage = os.wait4(proc.pid, 0)
                err = (work / f"gui-{r}.log").read_text(errors="replace")
                if os.waitstatus_to_exitcode(status) != 0 or not final:
                    lines = [ln for ln in err.splitlines() if "propagateSizeHints" not in ln]
                    raise RuntimeError("GUI child failed:\n" + "\n".join([*lines[:40], "...", *lines[-20:]]))
                worst_stall = max(worst_stall, final["worst_stall_ms"])
                peak_rss_kib = max(peak_rss_kib, int(usage.ru_maxrss))
        out_cases: dict[str, dict[str, Any]] = {}
        for case in cases:
            g = round(statistics.median(gui_runs[case]), 3)
            c_ = round(statistics.median(cli_runs[case]), 3)
            out_cases[case] = {
                "gui_s": g,
                "cli_s": c_,
                "ratio": round(g / c_, 3) if c_ else None,
                "gui_runs": [round(x, 3) for x in gui_runs[case]],
                "cli_runs": [round(x, 3) for x in cli_runs[case]],
            }
        result = {
            "size": args.size,
            "files": args.files,
            "rounds": args.rounds,
            "parallel": PARALLEL,
            "cases": out_cases,
            "worst_stall_ms": round(worst_stall, 1),
            "peak_rss_mb": round(peak_rss_kib / 1024, 1),
            "targets": TARGETS,
        }
        print(json.dumps(result))
        return 0
    finally:
        if ftp is not None:
            ftp.stop()
        sshd.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
