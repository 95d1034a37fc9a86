"""Per-session and per-render costs of the analysis pages: what every viewer costs the server
once the figures are cached.

For the ordinary demo forum (15,000 incidents) and a bigger one (`--incidents`), on SQLite:
- a new session that arrives with a valid login cookie: the server CPU of its first page
  (Översikt, the start page) and how many times app.py ran for it (1: no second run);
- Karta, Trender, Mönster, Hot spots and Kvartal rendered warm (the same page again, the
  clock moved on within the hour): the time of the render, the bytes it produced and whether
  the figures were computed again (they must not be);
- the full garbage collection Streamlit runs after every script run unless
  `runner.postScriptGC = false` (the app's setting): its time in a process holding the app.

Each database is measured in a fresh process (`python -m benchmarks --only render`).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import time
from pathlib import Path

from benchmarks.common import BENCH_NOW, Figure
from benchmarks.pages import _bytes, _isolated, _server_state, ensure_database
from lagesbild.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
ORDINARY = 15_000
PAGES = {
    "karta": "pages/karta.py",
    "trender": "pages/trender.py",
    "monster": "pages/monster.py",
    "hotspots": "pages/hotspots.py",
    "kvartal": "pages/kvartal.py",
}
SESSIONS = 5  # new sessions measured (the lowest CPU is reported)
WARM_RUNS = 3  # warm renders per page (the lowest time is reported)


class _Browser:
    """The client context a browser tab opens its session with: its cookies."""

    def __init__(self, cookies: dict[str, str]):
        self.cookies = cookies


def _cookies(at) -> dict[str, str]:
    """The cookies the login's script writes in the page."""
    script = next(h.proto.body for h in at.sidebar if type(h).__name__ == "Html")
    found = re.findall(r'document\.cookie = "([^=]*)=([^;]*);', script)
    return dict(found)


def _count_runs():
    from lagesbild.ui import login

    runs = [0]
    gate = login.login_gate

    def counted(ctx):
        runs[0] += 1
        return gate(ctx)

    login.login_gate = counted
    return runs


def _count_computations():
    """How many times the analysis queries behind the pages ran."""
    from lagesbild.queries import hotspots, incidents, summary

    calls = [0]

    def counting(module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[0] += 1
            return original(*args, **kwargs)

        setattr(module, name, wrapper)

    for module, name in (
        (incidents, "map_facts"),
        (incidents, "compare"),
        (incidents, "weekday_hour"),
        (hotspots, "find"),
        (summary, "collect"),
    ):
        counting(module, name)
    return calls


def measure(url: str, label: str) -> list[Figure]:
    from streamlit.runtime import context as st_context
    from streamlit.testing.v1 import AppTest

    from lagesbild import clock

    _server_state()
    os.environ["LAGESBILD_DATABASE_URL"] = url
    runs = _count_runs()
    computed = _count_computations()

    def new_app():
        return AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)

    first = new_app().run()
    fields = {t.label: t for t in first.text_input}
    fields["Användarnamn"].input("samordnare")
    fields["Lösenord"].input(DEMO_PASSWORD)
    next(b for b in first.button if b.label == "Logga in").click()
    first.run()
    cookies = _cookies(first)
    st_context._get_client_context = lambda: _Browser(cookies)
    for page in PAGES.values():  # the figures a server has cached once someone looked
        first.switch_page(page).run()

    figures: list[Figure] = []
    cpu, session_runs = [], []
    for _ in range(SESSIONS):
        runs[0] = 0
        start = time.process_time()
        at = new_app().run()
        cpu.append(time.process_time() - start)
        session_runs.append(runs[0])
        if [t.value for t in at.title] != ["Översikt"]:
            raise RuntimeError(f"the cookie did not open a session: {[t.value for t in at.title]}")
    figures.append(Figure(f"{label}: ny session med kaka, CPU", min(cpu), "s", 0.5))
    figures.append(Figure(f"{label}: ny session, körningar av app.py", max(session_runs), "st", 1))

    for name, page in PAGES.items():
        clock.pin(BENCH_NOW + dt.timedelta(minutes=5), running=False)
        at.switch_page(page).run()
        errors = [e.value for e in at.error] + [str(e.value) for e in at.exception]
        if errors:
            raise RuntimeError(f"{page}: {errors}")
        before = computed[0]
        times = []
        for minute in range(WARM_RUNS):  # later in the same hour
            clock.pin(BENCH_NOW + dt.timedelta(minutes=10 + 10 * minute), running=False)
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        figures.append(Figure(f"{label}: {name} varm", min(times), "s", 0.1))
        figures.append(Figure(f"{label}: {name} skickat per körning", _bytes(at) / 1e3, "kB", 2000))
        figures.append(Figure(f"{label}: {name} omräkningar varm", computed[0] - before, "st", 0))

    start = time.perf_counter()
    gc.collect()
    figures.append(
        Figure(
            f"{label}: full GC efter körning (avstängd i appen)", time.perf_counter() - start, "s"
        )
    )
    return figures


def run(incidents: int, postgres_url: str | None = None) -> list[Figure]:
    data = ROOT / "benchmarks" / ".data"
    data.mkdir(exist_ok=True)
    figures = []
    for size in sorted({ORDINARY, incidents}):
        url = f"sqlite:///{data / f'bench-{size}.db'}"
        ensure_database(url, size)
        figures += _isolated(measure, url, f"{size:,} händelser".replace(",", " "))
    return figures
