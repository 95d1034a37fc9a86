"""Shared helpers for benchmarks: timing, peak memory, result lines."""

from __future__ import annotations

import datetime as dt
import resource
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

# Every benchmark builds its forum at this moment and runs the pages at it (the clock is pinned),
# so that the SQLite and PostgreSQL columns are measured on the same data on any day.
BENCH_NOW = dt.datetime(2026, 11, 21, 20, 0)


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: float | None = None
    lower_is_better: bool = True

    @property
    def ok(self) -> bool | None:
        if self.target is None:
            return None
        return self.value <= self.target if self.lower_is_better else self.value >= self.target

    def line(self) -> str:
        target = "" if self.target is None else f"  (mål ≤ {self.target:g} {self.unit})"
        verdict = {True: "  OK", False: "  MISSAR MÅLET", None: ""}[self.ok]
        return f"{self.name:<58} {self.value:>10.2f} {self.unit}{target}{verdict}"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB. VmHWM belongs to this process's
    own memory map (getrusage's maxrss also counts the parent it was started from)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def stopwatch():
    box = {}
    start = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - start


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result
