"""`db.bulk_load`: a table's indexes (and on PostgreSQL its foreign keys) are dropped for a
bulk load and come back exactly as they were; a row that breaks a foreign key is still refused."""

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from lagesbild import db
from lagesbild.models import Category, Organisation, User
from lagesbild.reference import seed_default_categories

COLUMNS = ["occurred_at", "day", "hour", "category_id", "reporting_org_id", "created_by_id"]
COLUMNS += ["created_at", "source", "version", "count", "visibility", "precision", "description"]


def _schema(conn) -> tuple:
    found = inspect(conn)
    indexes = sorted(
        (i["name"], tuple(i["column_names"]), bool(i["unique"]))
        for i in found.get_indexes("incident")
    )
    keys = sorted(
        (k["name"], tuple(k["constrained_columns"]), k["referred_table"])
        for k in found.get_foreign_keys("incident")
    )
    return indexes, keys


def _row(category_id: int, org_id: int, user_id: int) -> tuple:
    when = "2026-01-01 20:00:00.000000"
    return (when, 20454, 20, category_id, org_id, user_id, when, "demo", 1, 1, "forum", "plats", "")


def _parents(session) -> tuple[int, int, int]:
    seed_default_categories(session)
    org = Organisation(name="Polisen", short_name="Polisen", kind="polis")
    session.add(org)
    session.flush()
    user = User(
        username="u", display_name="U", organisation_id=org.id, role="medlem", password_hash="x"
    )
    session.add(user)
    session.flush()
    return session.query(Category).first().id, org.id, user.id


def test_indexes_and_foreign_keys_come_back_as_they_were(engine):
    with engine.connect() as conn:
        before = _schema(conn)
    assert before[0], "the incident table has indexes to drop"
    with db.transaction(engine) as session:
        cat, org, user = _parents(session)
        conn = session.connection()
        with db.bulk_load(conn, "incident"):
            inside = _schema(conn)
            db.bulk_insert(conn, "incident", COLUMNS, (_row(cat, org, user) for _ in range(50)))
        assert _schema(conn) == before
    with engine.connect() as conn:
        assert _schema(conn) == before
        assert conn.exec_driver_sql("SELECT count(*) FROM incident").scalar() == 50
    plain = [i for i in before[0] if not i[2]]
    assert not set(plain) & set(inside[0]), "the plain indexes were dropped for the load"
    if engine.dialect.name == "postgresql":
        assert not inside[1], "PostgreSQL's foreign keys were dropped for the load"


def test_a_row_breaking_a_foreign_key_is_refused_and_nothing_changes(engine):
    with engine.connect() as conn:
        before = _schema(conn)
    # From the driver itself on SQLite (the raw cursor), through SQLAlchemy on PostgreSQL.
    refused = (IntegrityError, engine.dialect.loaded_dbapi.IntegrityError)
    with pytest.raises(refused, match=r"(?i)foreign key"), db.transaction(engine) as session:
        cat, org, user = _parents(session)
        conn = session.connection()
        with db.bulk_load(conn, "incident"):
            db.bulk_insert(conn, "incident", COLUMNS, [_row(cat, org, user), _row(cat, 9999, user)])
    with engine.connect() as conn:
        assert _schema(conn) == before
        assert conn.exec_driver_sql("SELECT count(*) FROM incident").scalar() == 0
