"""Audit rows are append-only for the app's own database connection, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from lagesbild import db
from lagesbild.actor import SYSTEM
from lagesbild.demo import build_demo
from lagesbild.models import AuditLog
from lagesbild.services import audit
from tests.conftest import DEMO_NOW, _empty_pg, _pg_or_skip


def _add_entries(engine, n: int = 2) -> None:
    with db.transaction(engine) as session:
        for i in range(n):
            audit.record(session, SYSTEM, "create", "action", i, after={"title": f"Åtgärd {i}"})


def _entries(engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(
            select(AuditLog.id, AuditLog.verb, AuditLog.detail, AuditLog.after).order_by(
                AuditLog.id
            )
        ).all()


REFUSED = [
    "UPDATE audit_log SET detail = 'ändrad'",
    "UPDATE audit_log SET username = 'någon annan' WHERE id = (SELECT max(id) FROM audit_log)",
    "DELETE FROM audit_log",
    "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
]


def test_audit_rows_are_added_through_the_app(engine):
    _add_entries(engine, 3)
    assert len(_entries(engine)) == 3


@pytest.mark.parametrize("statement", REFUSED)
def test_the_apps_connection_cannot_change_or_delete_audit_rows(engine, statement):
    _add_entries(engine)
    before = _entries(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    assert _entries(engine) == before
    _add_entries(engine, 1)  # adding still works afterwards
    assert len(_entries(engine)) == len(before) + 1


def test_the_orm_cannot_change_or_delete_audit_rows(engine):
    _add_entries(engine)
    before = _entries(engine)
    with pytest.raises(DBAPIError, match="append-only"), db.transaction(engine) as session:
        session.scalars(select(AuditLog)).first().detail = "ändrad"
    with pytest.raises(DBAPIError, match="append-only"), db.transaction(engine) as session:
        session.delete(session.scalars(select(AuditLog)).first())
    assert _entries(engine) == before


def test_truncate_is_refused_on_postgresql(postgres, pg_empty_url):
    """SQLite has no TRUNCATE: this one is PostgreSQL's alone."""
    _pg_or_skip(postgres)
    _empty_pg(pg_empty_url)
    engine = db.make_engine(pg_empty_url)
    try:
        _add_entries(engine)
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_log"))
        assert len(_entries(engine)) == 2
    finally:
        engine.dispose()


def test_a_purge_deletes_only_inside_its_block_and_never_updates(engine):
    _add_entries(engine)
    with (
        pytest.raises(DBAPIError, match="append-only"),
        engine.begin() as conn,
        db.audit_purge_allowed(conn),
    ):
        conn.execute(update(AuditLog).values(detail="ändrad"))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        with db.audit_purge_allowed(conn):
            pass
        conn.execute(delete(AuditLog))  # after the block, in the same transaction
    assert len(_entries(engine)) == 2
    with engine.begin() as conn, db.audit_purge_allowed(conn):
        conn.execute(delete(AuditLog))
    assert _entries(engine) == []
    _add_entries(engine, 1)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(delete(AuditLog))  # a later transaction on a pooled connection
    assert len(_entries(engine)) == 1


def test_the_demo_reset_replaces_the_audit_log(engine):
    build_demo(engine, seed=1, now=DEMO_NOW, incidents=300)
    _add_entries(engine, 4)
    build_demo(engine, seed=2, now=DEMO_NOW, incidents=300, reset=True)
    with engine.connect() as conn:
        details = conn.execute(select(AuditLog.detail)).scalars().all()
        assert conn.execute(select(func.count()).select_from(AuditLog)).scalar() == 1
    assert details == ["Demoforum skapat (seed 2)"]
