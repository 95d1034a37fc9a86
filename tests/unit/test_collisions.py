"""Colliding edits: whatever form the collision takes in the database (a versioned row changed
since it was read, the same row added twice, a serialization failure or a stale snapshot),
the user is told in Swedish that someone else got there first, and nothing is stored. Real
threads, on SQLite and PostgreSQL, through the path the pages write by."""

import datetime as dt
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from lagesbild import db
from lagesbild.actor import Actor
from lagesbild.errors import ConflictError
from lagesbild.importers.mapping import Mapping
from lagesbild.models import AuditLog, ImportMapping, Incident, Organisation
from lagesbild.reference import seed_default_categories
from lagesbild.services import imports, reports
from lagesbild.services.reports import IncidentInput
from lagesbild.ui import write

THREADS = 10  # within the connection pool (5 + 10 overflow): all hold one at once


@pytest.fixture
def forum(engine):
    with db.transaction(engine) as s:
        seed_default_categories(s)
        org = Organisation(name="Vellingebostäder", short_name="VB", kind="bostadsbolag")
        s.add(org)
        s.flush()
        member = Actor(
            user_id=None, username="vb", display_name="VB", organisation_id=org.id, role="medlem"
        )
        klotter = s.scalar(text("SELECT id FROM category WHERE name = 'Klotter'"))
        (incident,) = reports.create_report(
            s,
            member,
            [
                IncidentInput(
                    category_id=klotter,
                    lat=55.4716,
                    lon=13.0194,
                    occurred_at=dt.datetime(2026, 11, 20, 21, 30),
                )
            ],
        )
        return engine, member, incident.id


@pytest.fixture
def all_at_once():
    """Every session writes only once all of them have read: the first flush of each waits
    for the others, so the writes really collide."""
    gate = threading.Barrier(THREADS, timeout=30)

    def wait(session, _context, _instances):
        if not session.info.get("passed_gate"):
            session.info["passed_gate"] = True
            gate.wait()

    event.listen(Session, "before_flush", wait)
    yield
    event.remove(Session, "before_flush", wait)


def _race(work) -> list[BaseException | None]:
    """Run `work(i)` in THREADS threads; what each raised (None: it succeeded)."""
    outcome: list[BaseException | None] = [None] * THREADS

    def run(i: int) -> None:
        try:
            work(i)
        except BaseException as exc:  # collected for the assertions
            outcome[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcome


def _only_conflicts(outcome: list[BaseException | None]) -> None:
    assert outcome.count(None) == 1, outcome
    errors = [e for e in outcome if e is not None]
    assert all(isinstance(e, ConflictError) for e in errors), {type(e) for e in errors}
    assert all("Någon annan" in str(e) for e in errors)


def test_ten_people_withdrawing_the_same_incident(forum, all_at_once):
    engine, member, incident_id = forum
    ctx = SimpleNamespace(engine=engine)
    outcome = _race(
        lambda i: write.call(ctx, reports.withdraw_incident, member, incident_id, 1, f"nr {i}")
    )
    _only_conflicts(outcome)
    with engine.connect() as conn:
        assert (
            conn.execute(select(Incident.version).where(Incident.id == incident_id)).scalar() == 2
        )
        withdrawals = conn.execute(
            select(func.count()).select_from(AuditLog).where(AuditLog.verb == "withdraw")
        ).scalar()
    assert withdrawals == 1


def test_ten_people_saving_a_new_source_at_once(forum, all_at_once):
    engine, member, _ = forum
    ctx = SimpleNamespace(engine=engine)
    outcome = _race(
        lambda i: write.call(
            ctx,
            imports.save_mapping,
            member,
            "VB felanmälan",
            Mapping(columns={"occurred_at": f"Datum {i}"}),
        )
    )
    _only_conflicts(outcome)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ImportMapping)).scalar() == 1


def test_a_write_on_a_stale_snapshot_is_a_conflict(forum):
    """PostgreSQL under repeatable read refuses to update a row changed since the transaction
    began (serialization failure); SQLite refuses a write on a stale snapshot
    (SQLITE_BUSY_SNAPSHOT). Both come out as the conflict message."""
    engine, _, incident_id = forum
    if engine.dialect.name == "postgresql":
        strict = engine.execution_options(isolation_level="REPEATABLE READ")
    else:
        strict = engine
    with pytest.raises(ConflictError, match="Någon annan") as err, db.writing(strict) as s:
        if engine.dialect.name == "sqlite":
            s.connection().exec_driver_sql("BEGIN")
        s.execute(text("SELECT count FROM incident WHERE id = :i"), {"i": incident_id}).one()
        with engine.begin() as other:
            other.execute(text("UPDATE incident SET count = 5 WHERE id = :i"), {"i": incident_id})
        s.execute(text("UPDATE incident SET count = 7 WHERE id = :i"), {"i": incident_id})
    assert db.is_collision(err.value.__cause__)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count FROM incident")).scalar() == 5


def test_a_fault_is_not_passed_off_as_a_conflict(forum):
    engine, _, _ = forum
    with pytest.raises(Exception) as err, db.writing(engine) as s:
        s.execute(text("INSERT INTO organisation (name) VALUES ('Utan kortnamn')"))
    assert not isinstance(err.value, ConflictError)
    assert not db.is_collision(err.value)
