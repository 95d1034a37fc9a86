"""Large imports let members keep reporting and stay all or nothing, on SQLite and PostgreSQL.

The import's own progress callback runs between the batches it stores; the tests do other
members' work right there, from other connections, and look at what those connections see.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from lagesbild import db
from lagesbild.actor import Actor
from lagesbild.importers.mapping import Mapping
from lagesbild.models import AuditLog, Category, ImportBatch, Incident, Organisation
from lagesbild.reference import seed_default_categories
from lagesbild.services import imports, reports, staging
from lagesbild.services.reports import IncidentInput
from tests.conftest import ROOT

ROWS = 2 * staging.BATCH + 500  # three batches
SOURCE = "VB felanmälan"
ADMIN = Actor(
    user_id=None, username="admin", display_name="Admin", organisation_id=None, role="admin"
)


def _csv(rows: int = ROWS) -> bytes:
    lines = ["Id;Datum;Tid;Typ;Antal;Beskrivning;Lat;Lon"]
    start = dt.date(2025, 1, 1)
    for i in range(rows):
        day = start + dt.timedelta(days=i % 300)
        lines.append(f"F{i};{day:%Y-%m-%d};{i % 24:02d}.15;Klotter;1;Klotter nr {i};55,47;13,02")
    return "\n".join(lines).encode()


@pytest.fixture
def forum(engine):
    with db.transaction(engine) as s:
        seed_default_categories(s)
        housing = Organisation(name="Vellingebostäder", short_name="VB", kind="bostadsbolag")
        s.add(housing)
        s.flush()
        klotter = s.scalar(select(Category.id).where(Category.name == "Klotter"))
        mapping = Mapping(
            columns={
                "source_id": "Id",
                "occurred_at": "Datum",
                "occurred_time": "Tid",
                "category": "Typ",
                "count": "Antal",
                "description": "Beskrivning",
                "lat": "Lat",
                "lon": "Lon",
            },
            category_values={"Klotter": klotter},
        )
        imports.save_mapping(s, ADMIN, SOURCE, mapping)
        member = Actor(
            user_id=None,
            username="vb",
            display_name="VB",
            organisation_id=housing.id,
            role="medlem",
        )
        return engine, housing.id, klotter, member


def run_import(engine, org: int, progress=None, content: bytes | None = None):
    with db.transaction(engine) as s:
        table, mapping, _ = imports.read_file(s, content or _csv(), "felanmalan.csv", SOURCE)
        return imports.run_import(
            s,
            ADMIN,
            source=SOURCE,
            filename="felanmalan.csv",
            table=table,
            mapping=mapping,
            organisation_id=org,
            progress=progress,
        )


def counts(engine) -> tuple[int, int, int]:
    """(imported incidents, import batches, import audit entries) as any other user sees them."""
    with engine.connect() as conn:
        return (
            conn.scalar(select(func.count()).where(Incident.source == SOURCE)),
            conn.scalar(select(func.count()).select_from(ImportBatch)),
            conn.scalar(select(func.count()).where(AuditLog.verb == "import")),
        )


def while_storing(action):
    """A progress callback that calls `action(n)` after the n-th stored batch."""
    seen = []

    def progress(_share: float, text: str) -> None:
        if text.startswith("Sparar"):
            seen.append(text)
            action(len(seen))

    return progress


def test_members_can_report_while_a_large_file_is_stored(forum):
    engine, housing, klotter, member = forum
    outcomes: list[str] = []

    def report(n: int) -> None:
        def work() -> None:
            try:
                item = IncidentInput(
                    category_id=klotter,
                    lat=55.47,
                    lon=13.02,
                    occurred_at=dt.datetime(2026, 11, 21, 18, n),
                    description=f"Rapport under importen {n}",
                )
                with db.transaction(engine) as s:
                    reports.create_report(s, member, [item])
                outcomes.append("sparad")
            except Exception as exc:  # recorded: the assertion below names it
                outcomes.append(f"fel: {exc}")

        member_thread = threading.Thread(target=work)
        member_thread.start()
        member_thread.join(timeout=8)  # a member waits a few seconds at most
        assert not member_thread.is_alive(), "the member's report is still waiting"
        assert counts(engine)[0] == 0  # nothing of the import is visible yet

    result = run_import(engine, housing, while_storing(report))

    assert outcomes == ["sparad"] * 3
    assert result.stored and result.added == ROWS
    with engine.connect() as conn:
        manual = conn.scalar(select(func.count()).where(Incident.source == "manual"))
    assert counts(engine) == (ROWS, 1, 1) and manual == 3


def test_a_failure_half_way_leaves_nothing_and_the_import_can_run_again(forum):
    engine, housing, _, _ = forum

    def fail(n: int) -> None:
        assert counts(engine) == (0, 0, 0)
        if n == 2:
            raise RuntimeError("avbrott mitt i importen")

    with pytest.raises(RuntimeError, match="avbrott"):
        run_import(engine, housing, while_storing(fail))
    assert counts(engine) == (0, 0, 0)

    again = run_import(engine, housing)  # the same connection from the pool, a fresh stage
    assert again.stored and again.added == ROWS and counts(engine) == (ROWS, 1, 1)
    third = run_import(engine, housing)
    assert (third.stored, third.added, third.already) == (False, 0, ROWS)
    assert counts(engine) == (ROWS, 1, 1)


def test_the_same_file_imported_twice_at_once_is_added_once(forum):
    engine, housing, _, _ = forum
    others: list = []

    def import_again(n: int) -> None:
        if n == 1:  # another user stores the same file while this import is half way
            others.append(run_import(engine, housing))

    with pytest.raises(DBAPIError) as collided:
        run_import(engine, housing, while_storing(import_again))
    assert db.is_collision(collided.value)  # the user is told someone else got there first
    assert others[0].stored and others[0].added == ROWS
    assert counts(engine) == (ROWS, 1, 1)  # the other import's rows, once
    again = run_import(engine, housing)
    assert (again.stored, again.added, again.already) == (False, 0, ROWS)


CRASHING_IMPORT = """
import os, sys, time
from tests.unit.test_import_staging import run_import, while_storing
from lagesbild import db

def stop(n):
    if n == 2:
        print("halvvägs", flush=True)
        time.sleep(120)

run_import(db.make_engine(sys.argv[1]), int(sys.argv[2]), while_storing(stop))
"""


def test_a_killed_import_leaves_nothing(forum, db_url):
    engine, housing, _, _ = forum
    process = subprocess.Popen(
        [sys.executable, "-c", CRASHING_IMPORT, db_url, str(housing)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "halvvägs"
        assert counts(engine) == (0, 0, 0)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert counts(engine) == (0, 0, 0)
    again = run_import(engine, housing)
    assert again.added == ROWS and counts(engine) == (ROWS, 1, 1)
