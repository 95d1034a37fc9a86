"""Building the demo forum: the pieces in their fixed order, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from lagesbild import db, fmt
from lagesbild.clock import local_now
from lagesbild.demo.actions import add_actions
from lagesbild.demo.events import add_events
from lagesbild.demo.forum import DEFAULT_INCIDENTS, DemoSummary, Forum
from lagesbild.demo.incidents import add_incidents
from lagesbild.demo.meetings import add_meetings, add_minutes
from lagesbild.demo.observations import add_observations
from lagesbild.demo.organisations import (
    add_categories,
    add_organisations_and_users,
    add_settings,
    load_categories,
)
from lagesbild.demo.places import add_areas, add_places
from lagesbild.models import AuditLog, Base, Organisation


class DemoExists(Exception):
    pass


def _wipe(session: Session) -> None:
    """Empty every table but the settings, so that the forum is built as on an empty database
    (ids start again at 1 on both databases)."""
    conn = session.connection()
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name != "setting"]
    with db.audit_purge_allowed(conn):  # the demo replaces the audit log too
        if conn.dialect.name == "postgresql":
            # One statement instead of a foreign-key check per deleted row.
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY")
        else:
            for table in tables:
                session.execute(delete(table))


def build_demo(
    engine: Engine,
    *,
    seed: int = 2026,
    now: dt.datetime | None = None,
    incidents: int = DEFAULT_INCIDENTS,
    reset: bool = False,
    progress: Callable[[str], None] = lambda _msg: None,
) -> DemoSummary:
    """Fill the database with the demo forum. Refuses a non-empty database unless `reset`."""
    db.upgrade(engine)
    summary = DemoSummary()
    with db.transaction(engine) as session:
        if session.scalar(select(func.count()).select_from(Organisation)):
            if not reset:
                raise DemoExists("Databasen innehåller redan data.")
            _wipe(session)
            session.flush()
        forum = Forum(session, seed, now or local_now(), incidents)
        progress("Organisationer, användare, kategorier och platser …")
        add_settings(forum)
        add_organisations_and_users(forum, summary)
        add_categories(forum)
        add_areas(forum)
        add_places(forum, summary)
        load_categories(forum)
        progress(f"Händelser (omkring {fmt.integer(incidents)}) …")
        summary.incidents = add_incidents(forum)
        progress("Otrygga platser, möten, åtgärder och arrangemang …")
        summary.observations = add_observations(forum)
        meetings = add_meetings(forum)
        summary.meetings = len(meetings)
        summary.actions = add_actions(forum, meetings)
        summary.events = add_events(forum)
        progress("Protokoll från de senaste mötena …")
        add_minutes(forum, meetings)

        session.add(
            AuditLog(
                username="system",
                verb="create",
                entity="demo",
                detail=f"Demoforum skapat (seed {seed})",
            )
        )
    progress("Statistik för databasens frågeplanering …")
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        if engine.dialect.name == "postgresql":
            conn.commit()
    return summary
