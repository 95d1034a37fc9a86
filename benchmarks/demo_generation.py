"""How fast the demo forum generates at benchmark scale (target: 120 s per million incidents,
so 1,000,000 in 2 minutes and 5,000,000 in 10), with the time of each step and the machine's
load average, since a shared machine's figures mean little without it."""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from pathlib import Path

from benchmarks.common import BENCH_NOW, Figure, peak_rss_mb
from lagesbild import db
from lagesbild.demo import build_demo

SECONDS_PER_MILLION = 120


def _build(engine, incidents: int, backend: str, reset: bool) -> list[Figure]:
    steps: list[tuple[str, float]] = []
    start = time.perf_counter()

    def progress(message: str) -> None:
        steps.append((message, time.perf_counter()))

    load_before = os.getloadavg()[0]
    summary = build_demo(engine, now=BENCH_NOW, incidents=incidents, reset=reset, progress=progress)
    seconds = time.perf_counter() - start
    target = SECONDS_PER_MILLION * max(1.0, incidents / 1_000_000)
    figures = [Figure(f"demo {summary.incidents:,} händelser, {backend}", seconds, "s", target)]
    marks = [*steps, ("klart", time.perf_counter())]
    for (message, began), (_, ended) in itertools.pairwise(marks):
        figures.append(Figure(f"  {backend}: {message.rstrip(' …')}", ended - began, "s"))
    figures.append(Figure(f"  load average (1 min) före, {backend}", load_before, ""))
    figures.append(Figure(f"  load average (1 min) efter, {backend}", os.getloadavg()[0], ""))
    return figures


def run(incidents: int, postgres_url: str | None) -> list[Figure]:
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        figures += _build(engine, incidents, "SQLite", reset=False)
        engine.dispose()
    if postgres_url:
        engine = db.make_engine(postgres_url)
        figures += _build(engine, incidents, "PostgreSQL", reset=True)
        engine.dispose()
    figures.append(Figure("  toppminne (RSS) för genereringen", peak_rss_mb(), "MB"))
    return figures
