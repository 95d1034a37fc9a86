"""Leadership reports at scale: gathering a quarter's and a year's figures (the Kvartal page)
and drawing the lägesrapport and the lägesbild och åtgärdsplan, on the page benchmark's forum."""

from __future__ import annotations

import time

from benchmarks.common import BENCH_NOW, Figure, peak_rss_mb
from benchmarks.pages import ROOT, _isolated, ensure_database
from lagesbild import db
from lagesbild.export import statutory
from lagesbild.export import summary as report
from lagesbild.export.action_plan import plan_table
from lagesbild.periods import latest_complete
from lagesbild.queries import actions, summary
from lagesbild.queries.common import Viewer

LEADERSHIP = Viewer(organisation_id=None, sees_restricted=False)
LAT = 55.43


def measure(url: str, backend: str) -> list[Figure]:
    engine = db.make_engine(url)
    today = BENCH_NOW.date()
    figures = []
    for kind, name in (("kvartal", "kvartal"), ("ar", "år")):
        period = latest_complete(kind, today)
        start = time.perf_counter()
        gathered = summary.collect(engine, viewer=LEADERSHIP, period=period, lat=LAT, today=today)
        with engine.connect() as conn:
            plan = plan_table(actions.action_list(conn, today), today)
        figures.append(
            Figure(
                f"{backend} Kvartal-sidans siffror, {name}", time.perf_counter() - start, "s", 3.0
            )
        )
        start = time.perf_counter()
        report.to_pdf(gathered, "Benchmark")
        figures.append(
            Figure(f"{backend} lägesrapport PDF, {name}", time.perf_counter() - start, "s", 5.0)
        )
        start = time.perf_counter()
        statutory.to_docx(gathered, plan, "Benchmark")
        figures.append(
            Figure(
                f"{backend} lägesbild och åtgärdsplan Word, {name}",
                time.perf_counter() - start,
                "s",
                5.0,
            )
        )
    figures.append(
        Figure(f"{backend} högsta minnesanvändning (rapporter)", peak_rss_mb(), "MB", 800)
    )
    engine.dispose()
    return figures


def run(incidents: int, postgres_url: str | None) -> list[Figure]:
    data = ROOT / "benchmarks" / ".data"
    data.mkdir(exist_ok=True)
    sqlite_url = f"sqlite:///{data / f'bench-{incidents}.db'}"
    ensure_database(sqlite_url, incidents)
    figures = _isolated(measure, sqlite_url, "SQLite")
    if postgres_url:
        ensure_database(postgres_url, incidents)
        figures += _isolated(measure, postgres_url, "PostgreSQL")
    return figures
