"""How fast the demo forum generates at benchmark scale (target: 1,000,000 incidents < 120 s)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import BENCH_NOW, Figure, timed
from lagesbild import db
from lagesbild.demo import build_demo


def run(incidents: int, postgres_url: str | None) -> list[Figure]:
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        seconds, summary = timed(lambda: build_demo(engine, now=BENCH_NOW, incidents=incidents))
        engine.dispose()
        figures.append(Figure(f"demo {summary.incidents:,} händelser, SQLite", seconds, "s", 120))
    if postgres_url:
        engine = db.make_engine(postgres_url)
        seconds, summary = timed(
            lambda: build_demo(engine, now=BENCH_NOW, incidents=incidents, reset=True)
        )
        engine.dispose()
        figures.append(
            Figure(f"demo {summary.incidents:,} händelser, PostgreSQL", seconds, "s", 120)
        )
    return figures
