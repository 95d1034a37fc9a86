"""Server-side render time, bytes sent and memory of the analysis pages at scale.

Each page runs through app.py as Streamlit runs it (AppTest, logged in), with a cold cache and
then warm, for the default period and for all of the history. Cold: Streamlit's data and
resource caches cleared (the engine is reopened), in a process that has run each page once, as a
server has. Warm: the same render again. "Bytes sent" is the size of the

protobuf elements the run produced (what goes over the websocket). The naive approach — read
the selection's incidents into pandas and aggregate there — is timed beside it.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from pathlib import Path

import pandas as pd
from sqlalchemy import text

from benchmarks.common import BENCH_NOW, Figure, peak_rss_mb
from lagesbild import db
from lagesbild.demo import DEMO_PASSWORD, build_demo

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    "pages/oversikt.py",
    "pages/karta.py",
    "pages/trender.py",
    "pages/monster.py",
    "pages/hotspots.py",
]
ANALYSIS = PAGES[1:]


def ensure_database(url: str, incidents: int) -> None:
    engine = db.make_engine(url)
    db.upgrade(engine)
    with engine.connect() as conn:
        have = conn.execute(text("SELECT count(*) FROM incident")).scalar()
    if abs(have - incidents) > incidents * 0.05:
        print(f"Bygger demoforum med {incidents:,} händelser i {db.describe_url(url)} …")
        build_demo(engine, incidents=incidents, reset=True, now=BENCH_NOW)
    engine.dispose()


def _server_state():
    """Run AppTest as a running server does once app.py has called st.navigation, with the
    clock pinned so that a warm render cannot miss the cache by crossing a minute."""
    from streamlit.runtime.pages_manager import PagesManager

    from lagesbild import clock

    clock.pin(BENCH_NOW, running=False)

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def _bytes(at) -> int:
    total = 0
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ByteSize"):
            total += proto.ByteSize()
    return total


def _logged_in_app(url: str):
    from streamlit.testing.v1 import AppTest

    os.environ["LAGESBILD_DATABASE_URL"] = url
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    fields = {t.label: t for t in at.text_input}
    fields["Användarnamn"].input("samordnare")
    fields["Lösenord"].input(DEMO_PASSWORD)
    next(b for b in at.button if b.label == "Logga in").click()
    at.run()
    return at


def measure_pages(url: str, backend: str) -> list[Figure]:
    import streamlit as st

    _server_state()
    figures = []
    # One untimed pass first: a running server has its modules imported and its database file
    # in the operating system's cache; "cold" below means Streamlit's caches are empty.
    at = _logged_in_app(url)
    for page in PAGES:
        at.switch_page(page).run()
    for period in ("30d", "allt"):
        at = _logged_in_app(url)
        at.query_params["period"] = period

        for page in PAGES:
            at.switch_page(page)
            st.cache_data.clear()
            st.cache_resource.clear()  # the engine too: a cold start opens the database

            start = time.perf_counter()

            at.run()
            cold = time.perf_counter() - start
            errors = [e.value for e in at.error] + [str(e.value) for e in at.exception]
            if errors:
                raise RuntimeError(f"{page}: {errors}")
            sent = _bytes(at)
            start = time.perf_counter()
            at.run()
            warm = time.perf_counter() - start
            label = "standardperiod" if period == "30d" else "hela historiken"
            name = Path(page).stem
            figures.append(
                Figure(
                    f"{backend} {name}, {label}, kall cache",
                    cold,
                    "s",
                    1.0 if period == "30d" else 3.0,
                )
            )
            figures.append(Figure(f"{backend} {name}, {label}, varm cache", warm, "s", 0.3))
            figures.append(Figure(f"{backend} {name}, {label}, skickat", sent / 1e6, "MB", 2.0))
    figures.append(Figure(f"{backend} högsta minnesanvändning (servern)", peak_rss_mb(), "MB", 800))
    return figures


def measure_naive(url: str, backend: str) -> list[Figure]:
    """Trends and patterns for all of the history: in SQL (the product) against reading every
    incident into pandas and aggregating there."""
    from lagesbild.filters import Scope, Window
    from lagesbild.queries import incidents
    from lagesbild.queries.common import Viewer

    engine = db.make_engine(url)
    viewer = Viewer(None, True)
    window = Window(dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1))
    scope = Scope(window=window, label="")
    start = time.perf_counter()
    with engine.connect() as conn:
        incidents.series(conn, scope=scope, viewer=viewer, bucket="week", dims=("category",))
        incidents.compare(conn, scope=scope, viewer=viewer, dims=("category", "place"))
        incidents.weekday_hour(conn, scope=scope, viewer=viewer)
    in_sql = time.perf_counter() - start
    start = time.perf_counter()
    with engine.connect() as conn:
        df = pd.read_sql(
            text(
                "SELECT occurred_at, category_id, place_id, count FROM incident "
                "WHERE withdrawn_at IS NULL"
            ),
            conn,
        )
    df["occurred_at"] = pd.to_datetime(df["occurred_at"])
    day = df["occurred_at"].dt.normalize()
    df.groupby([day - pd.to_timedelta(day.dt.day_of_week, unit="D"), "category_id"])["count"].sum()
    df.groupby(["category_id", "place_id"])["count"].sum()
    df.groupby([df["occurred_at"].dt.day_of_week, df["occurred_at"].dt.hour])["count"].sum()
    naive = time.perf_counter() - start
    engine.dispose()
    return [
        Figure(f"{backend} trender+mönster i SQL, hela historiken", in_sql, "s"),
        Figure(f"{backend} samma i pandas (allt inläst)", naive, "s"),
        Figure(f"{backend} tid pandas / SQL", naive / in_sql, "×", lower_is_better=False),
        Figure(f"{backend} högsta minnesanvändning med pandas", peak_rss_mb(), "MB"),
    ]


def _isolated(function, *args) -> list[Figure]:
    """Run in a fresh process, so that peak memory belongs to that measurement alone."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(function, args)


def run(incidents: int, postgres_url: str | None) -> list[Figure]:
    data = ROOT / "benchmarks" / ".data"
    data.mkdir(exist_ok=True)
    sqlite_url = f"sqlite:///{data / f'bench-{incidents}.db'}"
    ensure_database(sqlite_url, incidents)
    figures = _isolated(measure_pages, sqlite_url, "SQLite")
    figures += _isolated(measure_naive, sqlite_url, "SQLite")
    if postgres_url:
        ensure_database(postgres_url, incidents)
        figures += _isolated(measure_pages, postgres_url, "PostgreSQL")
        figures += _isolated(measure_naive, postgres_url, "PostgreSQL")
    return figures
