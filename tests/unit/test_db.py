"""Schema, migrations and database errors, on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from lagesbild import db
from lagesbild.models import Base, Category, CategoryGroup, Incident, Organisation, day_number
from lagesbild.reference import seed_default_categories


def test_migrations_match_the_models(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_schema_is_at_head_and_upgrade_is_idempotent(engine):
    assert db.current_revision(engine) == db.head_revision()
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()


def test_every_model_table_exists(engine):
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables


def test_an_empty_database_gets_the_whole_schema(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert db.current_revision(engine) is None
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()


def test_sqlite_runs_with_wal_and_foreign_keys(sqlite_url):
    engine = db.make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(IntegrityError), db.transaction(engine) as session:
        session.add(
            Incident(occurred_at=dt.datetime(2026, 1, 1), category_id=9999, reporting_org_id=9999)
        )


def test_source_ids_are_unique_per_source(engine):
    with db.transaction(engine) as session:
        seed_default_categories(session)
        org = Organisation(name="Polisen", short_name="Polisen", kind="polis")
        session.add(org)
        session.flush()
        cat = session.query(Category).first()
        for _ in range(1):
            session.add(
                Incident(
                    occurred_at=dt.datetime(2026, 1, 1),
                    category_id=cat.id,
                    reporting_org_id=org.id,
                    source="polisen",
                    source_id="1",
                )
            )
    with pytest.raises(IntegrityError), db.transaction(engine) as session:
        session.add(
            Incident(
                occurred_at=dt.datetime(2026, 1, 2),
                category_id=cat.id,
                reporting_org_id=org.id,
                source="polisen",
                source_id="1",
            )
        )


def test_versioned_rows_refuse_a_stale_write(engine):
    with db.transaction(engine) as session:
        seed_default_categories(session)
        org = Organisation(name="Teknik", short_name="Teknik", kind="kommun")
        session.add(org)
        session.flush()
        cat_id = session.query(Category.id).first()[0]
        incident = Incident(
            occurred_at=dt.datetime(2026, 1, 1), category_id=cat_id, reporting_org_id=org.id
        )
        session.add(incident)
    factory = db.session_factory(engine)
    first, second = factory(), factory()
    a = first.get(Incident, incident.id)
    b = second.get(Incident, incident.id)
    a.description = "första"
    first.commit()
    b.description = "andra"
    with pytest.raises(StaleDataError):
        second.commit()
    second.rollback()
    first.close()
    second.close()


def test_default_categories_are_the_five_est_groups(engine):
    with db.transaction(engine) as session:
        assert seed_default_categories(session) == 5
        assert seed_default_categories(session) == 0  # never twice
        names = [g.name for g in session.query(CategoryGroup).order_by(CategoryGroup.sort_order)]
        assert names[0] == "Skadegörelse" and names[-1] == "Arrangemang"
        klotter = session.query(Category).filter_by(name="Klotter").one()
        assert klotter.group.name == "Skadegörelse"


def test_unreachable_server_gives_a_swedish_message():
    engine = db.make_engine("postgresql+psycopg://nobody:secret@127.0.0.1:9/lagesbild")
    with pytest.raises(db.DatabaseUnavailable) as err:
        db.upgrade(engine)
    message = str(err.value)
    assert "Kunde inte ansluta till databasen" in message
    assert "secret" not in message  # the password never reaches the screen


@pytest.mark.parametrize("url", ["inte en adress", "oracle+nosuchdriver://x/y"])
def test_malformed_or_unsupported_urls_give_a_swedish_message(url):
    with pytest.raises(db.DatabaseUnavailable) as err:
        db.make_engine(url)
    assert "Databas" in str(err.value)


def test_a_database_from_a_newer_program_is_refused_untouched(sqlite_url):
    engine = db.make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(db.SchemaMismatch) as err:
        db.upgrade(engine)
    assert "nyare version" in str(err.value)
    assert db.current_revision(engine) == "9999"


def test_a_foreign_database_is_refused_untouched(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id INTEGER PRIMARY KEY)"))
    with pytest.raises(db.SchemaMismatch):
        db.upgrade(engine)
    assert inspect(engine).get_table_names() == ["customers"]


def _at_revision(url: str, revision: str):
    from alembic import command

    engine = db.make_engine(url)
    with engine.begin() as conn:
        command.upgrade(db._alembic_config(conn), revision)
    return engine


@pytest.fixture
def older_url(request, tmp_path, postgres):
    """An empty database on each backend, for building older schemas."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}"
    from tests.conftest import _pg_or_skip

    return _pg_or_skip(postgres).create_database()


@pytest.mark.parametrize("older_url", ["sqlite", "postgresql"], indirect=True)
def test_a_database_from_the_first_schema_upgrades_and_keeps_its_data(older_url):
    engine = _at_revision(older_url, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organisation (name, short_name, kind, active, created_at) "
                "VALUES ('Polisen', 'Polisen', 'polis', true, '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO category_group (name, colour, sort_order, active) "
                "VALUES ('Skadegörelse', '#C0392B', 0, true)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO category (group_id, name, sort_order, active) "
                "VALUES (1, 'Klotter', 0, true)"
            )
        )
        for when in ("2026-03-29 02:30:00.000000", "2024-02-29 23:59:00.000000"):
            conn.execute(
                text(
                    "INSERT INTO incident (occurred_at, category_id, precision, reporting_org_id, "
                    "count, description, visibility, source, created_at, version) VALUES "
                    f"('{when}', 1, 'plats', 1, 1, 'före uppgraderingen', 'forum', 'manual', "
                    "'2026-01-01', 1)"
                )
            )
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT occurred_at, day, hour, description FROM incident ORDER BY id")
        ).all()
    assert [(r.day, r.hour) for r in rows] == [
        (day_number(dt.date(2026, 3, 29)), 2),
        (day_number(dt.date(2024, 2, 29)), 23),
    ]
    assert all(r.description == "före uppgraderingen" for r in rows)


def test_day_and_hour_follow_occurred_at_on_every_write(engine):
    with db.transaction(engine) as session:
        seed_default_categories(session)
        org = Organisation(name="Teknik", short_name="Teknik", kind="kommun")
        session.add(org)
        session.flush()
        cat_id = session.query(Category.id).first()[0]
        incident = Incident(
            occurred_at=dt.datetime(2026, 11, 21, 23, 15),
            category_id=cat_id,
            reporting_org_id=org.id,
        )
        session.add(incident)
        session.flush()
        assert (incident.day, incident.hour) == (day_number(dt.date(2026, 11, 21)), 23)
        incident.occurred_at = dt.datetime(2026, 11, 22, 0, 5)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT day, hour FROM incident")).one() == (
            day_number(dt.date(2026, 11, 22)),
            0,
        )


def test_bulk_written_incidents_have_consistent_day_and_hour(demo_engine):
    with demo_engine.connect() as conn:
        rows = conn.execute(text("SELECT occurred_at, day, hour FROM incident")).all()
    assert rows
    for occurred, day, hour in rows[:: max(1, len(rows) // 2000)]:
        occurred = (
            occurred if isinstance(occurred, dt.datetime) else dt.datetime.fromisoformat(occurred)
        )
        assert (day, hour) == (day_number(occurred), occurred.hour)


@pytest.mark.parametrize(
    "url",
    ["postgresql+psycopg://lbuser:pw@127.0.0.1:9/forumdb", "oracle+nodriver://lbuser@x/forumdb"],
)
def test_database_messages_never_name_the_address(url, caplog):
    with pytest.raises(db.DatabaseUnavailable) as err:
        db.upgrade(db.make_engine(url))
    for part in ("lbuser", "pw@", "127.0.0.1", "forumdb", "oracle", "postgresql"):
        assert part not in str(err.value)
    assert "forumdb" in caplog.text and "pw@" not in caplog.text  # the log has it, no password
