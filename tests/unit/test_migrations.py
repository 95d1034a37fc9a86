"""Upgrades keep every row: real databases built at every earlier schema, with data in every
table, upgraded to the newest schema on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, insert, inspect, select, text

from lagesbild import db
from lagesbild.models import Base, day_number
from tests.conftest import _pg_or_skip


def _earlier_revisions() -> list[str]:
    script = ScriptDirectory.from_config(db._alembic_config(None))
    return [
        s.revision
        for s in reversed(list(script.walk_revisions()))
        if s.revision != db.head_revision()
    ]


EARLIER = _earlier_revisions()

T0 = dt.datetime(2025, 3, 4, 9, 30)
OCCURRED = [dt.datetime(2025, 2, 28, 23, 40), dt.datetime(2025, 3, 1, 0, 15)]

# A small forum, one or more rows in every table of the first schema. Columns a revision does
# not have are left out; columns it requires are all given.
ROWS: dict[str, list[dict]] = {
    "organisation": [
        dict(id=1, name="Vellinge kommun", short_name="Kommunen", kind="kommun"),
        dict(id=2, name="Polisen", short_name="Polisen", kind="polis"),
    ],
    "setting": [dict(key="forum_name", value="Trygghetsforum Vellinge")],
    "app_user": [
        dict(
            id=1,
            username="samordnare",
            display_name="Trygghetssamordnare",
            organisation_id=1,
            role="samordnare",
            password_hash="$2b$04$" + "x" * 53,
            failed_login_count=0,
        ),
        dict(
            id=2,
            username="polis",
            display_name="Kommunpolis",
            organisation_id=2,
            role="medlem",
            password_hash="$2b$04$" + "y" * 53,
            failed_login_count=1,
            failed_login_window_start=T0,
        ),
    ],
    "category_group": [dict(id=1, name="Skadegörelse", colour="#C0392B", sort_order=0)],
    "category": [
        dict(id=1, group_id=1, name="Klotter", sort_order=0),
        dict(id=2, group_id=1, name="Glaskross", sort_order=1),
    ],
    "area": [dict(id=1, name="Centrum", kind="omrade", geojson=None)],
    "place": [dict(id=1, name="Torget", area_id=1, kind="centrum", lat=55.482, lon=13.021)],
    "import_mapping": [
        dict(
            id=1,
            source="VB felanmälan",
            mapping={"columns": {"occurred_at": "Datum"}},
            owner_org_id=1,
        )
    ],
    "import_batch": [
        dict(
            id=1,
            source="polisen",
            filename="händelser.json",
            row_count=1,
            organisation_id=2,
            created_by_id=2,
        )
    ],
    "meeting": [
        dict(
            id=1,
            held_at=dt.datetime(2025, 2, 3, 18, 0),
            status="avslutat",
            chair_user_id=1,
            agenda_step=5,
            notes="Belysningen vid torget",
            feedback_reporters="",
            feedback_leadership="",
            minutes_markdown="# Protokoll",
            closed_at=dt.datetime(2025, 2, 3, 19, 30),
        ),
        dict(
            id=2,
            held_at=dt.datetime(2025, 3, 3, 18, 0),
            status="planerat",
            agenda_step=0,
            notes="",
            feedback_reporters="",
            feedback_leadership="",
        ),
    ],
    "safety_walk": [
        dict(
            id=1,
            title="Trygghetsvandring i centrum",
            area_id=1,
            walked_at=dt.datetime(2025, 1, 20, 19, 0),
            participants="Kommunen, Polisen",
            created_by_id=1,
        )
    ],
    "action": [
        dict(
            id=1,
            title="Bättre belysning vid torget",
            description="Byt armaturer längs gångvägen",
            owner_org_id=1,
            responsible_role="Gatuchef",
            place_id=1,
            area_id=1,
            horizon="kort",
            action_type="fysisk_miljo",
            status="beslutad",
            start_date=dt.date(2025, 2, 4),
            due_date=dt.date(2025, 4, 30),
            decided_meeting_id=1,
            evaluation_note="",
            citizen_promise=True,
            created_by_id=1,
        )
    ],
    "incident": [
        dict(
            id=1,
            occurred_at=OCCURRED[0],
            category_id=1,
            place_id=1,
            area_id=1,
            precision="plats",
            reporting_org_id=1,
            count=3,
            description="Klotter på busskuren",
            visibility="forum",
            source="manual",
            created_by_id=1,
        ),
        dict(
            id=2,
            occurred_at=OCCURRED[1],
            category_id=2,
            area_id=1,
            lat=55.481,
            lon=13.02,
            precision="ungefar",
            reporting_org_id=2,
            count=1,
            description="Krossad ruta",
            visibility="begransad",
            source="polisen",
            source_id="592311",
            import_batch_id=1,
            created_by_id=2,
        ),
    ],
    "meeting_attendance": [
        dict(meeting_id=1, organisation_id=1),
        dict(meeting_id=1, organisation_id=2),
    ],
    "observation": [
        dict(
            id=1,
            observed_at=dt.datetime(2025, 1, 20, 19, 20),
            reason="belysning",
            description="Mörk gångväg",
            proposed_remedy="Fler lampor",
            place_id=1,
            area_id=1,
            reporting_org_id=1,
            safety_walk_id=1,
            created_by_id=1,
        )
    ],
    "action_category": [dict(action_id=1, category_id=1), dict(action_id=1, category_id=2)],
    "action_incident": [dict(action_id=1, incident_id=1), dict(action_id=1, incident_id=2)],
    "action_status_change": [
        dict(
            id=1,
            action_id=1,
            from_status="foreslagen",
            to_status="beslutad",
            note="Beslut på mötet",
            changed_by_id=1,
            changed_at=T0,
        )
    ],
    "decision": [
        dict(
            id=1,
            meeting_id=1,
            kind="atgard",
            text="Belysningen vid torget åtgärdas",
            action_id=1,
            place_id=1,
            area_id=1,
            created_by_id=1,
        )
    ],
    "event": [
        dict(
            id=1,
            title="Valborg vid stranden",
            description="",
            kind="arrangemang",
            place_id=1,
            area_id=1,
            starts_at=dt.datetime(2025, 4, 30, 18, 0),
            ends_at=dt.datetime(2025, 5, 1, 2, 0),
            expected_impact="hog",
            created_by_id=1,
            owner_org_id=1,
        )
    ],
    "event_action": [dict(event_id=1, action_id=1)],
    "login_throttle": [
        dict(id=1, username="polis", client="192.0.2.10", failures=2, last_failure_at=T0)
    ],
    "feed_run": [
        dict(
            id=1,
            feed="polisen",
            url="https://polisen.se/api/events?locationname=Vellinge",
            started_at=T0,
            finished_at=T0,
            ok=True,
            attempts=1,
            fetched=12,
            added=3,
            already=9,
            skipped=0,
            message="",
        )
    ],
    "password_token": [
        dict(
            id=1,
            user_id=1,
            token_hash="a" * 64,
            purpose="inbjudan",
            expires_at=T0,
            used_at=None,
            revoked_at=None,
        )
    ],
    "mail_outbox": [
        dict(
            id=1,
            dedupe_key="tilldelad:1:1",
            kind="tilldelad",
            user_id=1,
            address="samordnare@example.se",
            payload={"action_id": 1},
            state="queued",
            attempts=0,
            next_attempt_at=T0,
            claimed_at=None,
            message_id=None,
            subject="Ny åtgärd",
            sent_at=None,
            last_error="",
        )
    ],
    "photo": [
        dict(
            id=1,
            incident_id=1,
            observation_id=None,
            reporting_org_id=1,
            content_type="image/jpeg",
            width=1,
            height=1,
            size=4,
            data=b"\xff\xd8\xff\xd9",
            storage_key=None,
            thumbnail=b"\xff\xd8\xff\xd9",
            created_by_id=1,
        )
    ],
    "audit_log": [
        dict(
            id=1,
            at=T0,
            user_id=1,
            username="samordnare",
            verb="create",
            entity="action",
            entity_id="1",
            after={"title": "Bättre belysning vid torget"},
            detail="Åtgärden skapades",
        )
    ],
}

DEFAULTS = {
    "active": True,
    "created_at": T0,
    "updated_at": None,
    "version": 1,
}


def _value(table: str, row: dict, column: str):
    if column in row:
        return row[column]
    if table == "incident" and column in ("day", "hour"):
        occurred = row["occurred_at"]
        return day_number(occurred) if column == "day" else occurred.hour
    if column == "updated_at" and table == "import_mapping":
        return T0
    return DEFAULTS.get(column)


def fill(engine) -> None:
    """Rows in every table the database has, through SQL valid at its revision."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = ROWS[table.name]  # a new table needs rows here
            conn.execute(
                insert(table),
                [{c.name: _value(table.name, row, c.name) for c in table.columns} for row in rows],
            )
            if conn.dialect.name == "postgresql" and "id" in table.columns:
                # as if the rows had been added one by one: the id sequence is past them
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), :n)"),
                    {"n": len(rows)},
                )


def contents(engine) -> dict[str, dict[tuple, dict]]:
    """Every row of every table, by primary key, with all its columns."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return {
            t.name: {
                tuple(row[c.name] for c in t.primary_key.columns): dict(row)
                for row in conn.execute(select(t)).mappings()
            }
            for t in meta.sorted_tables
            if t.name != "alembic_version"
        }


def counts(tables: dict[str, dict]) -> dict[str, int]:
    return {name: len(rows) for name, rows in tables.items()}


def assert_kept(engine, before: dict[str, dict[tuple, dict]]) -> None:
    """Every table that had rows has as many rows after the upgrade, with the same keys and the
    same value in every column that both schemas have (new tables and columns may have appeared;
    a column a revision drops, such as the login counters that 0004 moved to their own table,
    is not compared)."""
    after = contents(engine)
    assert {t: counts(after)[t] for t in before} == counts(before), "row counts changed"
    for table, rows in before.items():
        assert after[table].keys() == rows.keys(), f"rows of {table} changed in the upgrade"
        for key, row in rows.items():
            now = after[table][key]
            kept = {column: value for column, value in row.items() if column in now}
            assert {column: now[column] for column in kept} == kept, (
                f"{table} {key}: values changed in the upgrade"
            )


def at_revision(url: str, revision: str):
    engine = db.make_engine(url)
    with engine.begin() as conn:
        command.upgrade(db._alembic_config(conn), revision)
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path, postgres) -> str:
    """An empty database (no schema at all) on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}"
    return _pg_or_skip(postgres).create_database()


def test_every_earlier_schema_is_tested():
    script = ScriptDirectory.from_config(db._alembic_config(None))
    files = sorted(p.name[:4] for p in Path(script.versions).glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert [*EARLIER, db.head_revision()] == files  # 0001 … the newest, none left out
    assert db.head_revision() not in EARLIER


def test_the_rows_fill_every_table_of_the_newest_schema():
    """A new table needs rows here, so that the upgrade after it is tested with its data."""
    assert set(ROWS) == set(Base.metadata.tables)


@pytest.mark.parametrize("revision", [*EARLIER, db.head_revision()])
def test_an_upgrade_keeps_every_row_of_every_table(fresh_url, revision):
    """From every earlier schema, and from the newest (whose tables, photos among them, are
    all filled: the app starting on a current database changes nothing)."""
    engine = at_revision(fresh_url, revision)
    fill(engine)
    before = contents(engine)
    assert all(before.values()), "every table has rows before the upgrade"

    db.upgrade(engine)

    assert db.current_revision(engine) == db.head_revision()
    assert_kept(engine, before)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with engine.connect() as conn:
        links = conn.execute(
            text("SELECT action_id, incident_id FROM action_incident ORDER BY incident_id")
        ).all()
    assert links == [(1, 1), (1, 2)]
    engine.dispose()


def _meeting(conn, id_: int, held_at: dt.datetime, notes: str = "") -> None:
    conn.execute(
        text(
            "INSERT INTO meeting (id, held_at, status, agenda_step, notes, feedback_reporters, "
            "feedback_leadership, created_at, version) "
            "VALUES (:id, :held_at, 'pagar', 2, :notes, '', '', :created, 1)"
        ),
        {"id": id_, "held_at": held_at, "notes": notes, "created": T0},
    )


@pytest.mark.parametrize("revision", [r for r in EARLIER if r < "0003"])
def test_two_meetings_in_progress_are_resolved_by_the_upgrade(fresh_url, revision):
    """Before 0003 nothing stopped two chairs from starting a meeting each."""
    engine = at_revision(fresh_url, revision)
    fill(engine)
    with engine.begin() as conn:
        _meeting(conn, 3, dt.datetime(2025, 3, 10, 18, 0), notes="Skolan var med")
        _meeting(conn, 4, dt.datetime(2025, 3, 10, 18, 5))
        _meeting(conn, 5, dt.datetime(2025, 3, 9, 18, 0))

    db.upgrade(engine)

    with engine.connect() as conn:
        meetings = {
            r.id: r for r in conn.execute(text("SELECT id, status, notes, closed_at FROM meeting"))
        }
        audit = conn.execute(
            text("SELECT entity_id, username, detail FROM audit_log WHERE entity = 'meeting'")
        ).all()
    assert set(meetings) == {1, 2, 3, 4, 5}
    assert [i for i, m in meetings.items() if m.status == "pagar"] == [4]  # the newest
    for closed in (3, 5):
        assert meetings[closed].status == "avslutat" and meetings[closed].closed_at is not None
        assert "avslutades automatiskt" in meetings[closed].notes
        assert "2025-03-10 18:05" in meetings[closed].notes
    assert meetings[3].notes.startswith("Skolan var med\n\n")
    assert sorted((a.entity_id, a.username) for a in audit) == [("3", "system"), ("5", "system")]
    with db.transaction(engine) as session:
        from lagesbild.services import meetings as meeting_service

        assert meeting_service.open_meeting(session).id == 4
    engine.dispose()


def _stop_incident_updates(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            "CREATE TRIGGER stop_updates BEFORE UPDATE ON incident "
            "BEGIN SELECT RAISE(ABORT, 'stopp'); END"
        )
    else:
        conn.exec_driver_sql(
            "CREATE FUNCTION stop() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'stopp'; END $$"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER stop_updates BEFORE UPDATE ON incident "
            "FOR EACH ROW EXECUTE FUNCTION stop()"
        )


def test_an_upgrade_that_fails_half_way_changes_nothing(fresh_url):
    """0002 adds columns, then fills them; when filling fails the columns are not left behind."""
    engine = at_revision(fresh_url, "0001")
    fill(engine)
    before = contents(engine)
    with engine.begin() as conn:
        _stop_incident_updates(conn)

    with pytest.raises(db.SchemaMismatch, match="Inget har ändrats"):
        db.upgrade(engine)

    assert db.current_revision(engine) == "0001"
    assert "day" not in {c["name"] for c in inspect(engine).get_columns("incident")}
    assert_kept(engine, before)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "DROP TRIGGER stop_updates" + ("" if conn.dialect.name == "sqlite" else " ON incident")
        )
    db.upgrade(engine)  # and once the cause is gone, the same upgrade runs through
    assert db.current_revision(engine) == db.head_revision()
    assert_kept(engine, before)
    engine.dispose()


def test_two_servers_starting_at_once_upgrade_once(fresh_url):
    engine = at_revision(fresh_url, "0001")
    fill(engine)
    before = contents(engine)
    errors: list[Exception] = []

    def start() -> None:
        server = db.make_engine(fresh_url)
        try:
            db.upgrade(server)
        except Exception as exc:  # recorded: the assertion below shows it
            errors.append(exc)
        finally:
            server.dispose()

    servers = [threading.Thread(target=start) for _ in range(2)]
    for server in servers:
        server.start()
    for server in servers:
        server.join(timeout=120)
    assert errors == []
    assert db.current_revision(engine) == db.head_revision()
    assert_kept(engine, before)
    engine.dispose()
