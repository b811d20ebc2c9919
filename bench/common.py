"""Shared by the benchmarks: memory of a process tree from /proc, interleaved rounds, small statistics.

The machine the benchmarks run on is shared and noisy, so every benchmark measures
both sides of a comparison in the same run, in rounds that alternate who goes
first, after one warm-up per side whose result is thrown away.
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


def app_env(**extra: str) -> dict[str, str]:
    """The environment our own processes run in: this checkout first on the path, bytecode cached.

    An installed app runs from compiled bytecode; a shell that sets PYTHONDONTWRITEBYTECODE would
    make every run of ours compile its modules again (~0.2 s), which no user pays.
    """
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]), **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def log(msg: str) -> None:
    """Progress goes to stderr; stdout's last line is the JSON result."""
    print(msg, file=sys.stderr, flush=True)


def median(xs: Sequence[float], digits: int = 3) -> float | None:
    return round(statistics.median(xs), digits) if xs else None


def ratio(a: float | None, b: float | None, digits: int = 3) -> float | None:
    return round(a / b, digits) if a is not None and b else None


# ------------------------------------------------------------------ memory


def _status_kib(pid: int) -> tuple[int, int] | None:
    """(VmRSS, VmHWM) of a live process in KiB, None once it is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith(b"VmHWM:"):
                    hwm = int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return rss, hwm


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return out
    for tid in tasks:
        try:
            out += [int(x) for x in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return out


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, ...), from /proc."""
    out: list[int] = []
    todo = [pid]
    while todo:
        kids = _children(todo.pop())
        out += kids
        todo += kids
    return out


@dataclass
class TreeMemory:
    """Peaks seen while sampling one process and its descendants (MiB)."""

    total_mb: float = 0.0  # the highest sum of VmRSS over the whole tree at one instant
    main_mb: float = 0.0  # the main process's own VmHWM
    helpers_mb: float = 0.0  # the highest VmHWM of any descendant (the parse helper)
    helper_pids: set[int] = field(default_factory=set)


class TreeSampler:
    """Samples the resident memory of a process **and** its helpers from /proc in a thread.

    ``getrusage(RUSAGE_CHILDREN)`` only covers children that were waited for, and the process's
    own peak says nothing about a helper beside it; summing VmRSS across the tree at the same
    instant does. VmHWM gives each process's exact peak (read at every sample, so the last one
    before a process exits is kept).
    """

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.mem = TreeMemory()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"rss-{pid}", daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        m = self.mem
        while not self._stop.is_set():
            own = _status_kib(self.pid)
            if own is None:
                break
            total = own[0]
            m.main_mb = max(m.main_mb, own[1] / 1024)
            for kid in descendants(self.pid):
                st = _status_kib(kid)
                if st is None:
                    continue
                m.helper_pids.add(kid)
                total += st[0]
                m.helpers_mb = max(m.helpers_mb, st[1] / 1024)
            m.total_mb = max(m.total_mb, total / 1024)
            self._stop.wait(self.interval)


# ------------------------------------------------------------------ rounds


Side = tuple[str, Callable[[int], None]]


def interleaved(rounds: int, sides: Sequence[Side], *, warmup: bool = True) -> None:
    """Run each side once per round, the order reversed every other round; round 0 is the warm-up.

    Each callable gets the round number (0 = warm-up, whose results the caller discards).
    """
    for r in range(0 if warmup else 1, rounds + 1):
        order = list(sides) if r % 2 == 0 else list(reversed(sides))
        for _name, fn in order:
            fn(r)


def even_rounds(n: int) -> int:
    """Rounds that alternate who goes first need an even count: each side leads equally often."""
    n = max(2, n)
    return n + (n % 2)


def now() -> float:
    return time.perf_counter()
