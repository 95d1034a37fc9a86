"""The data version the cached figures are keyed by: it changes with every write the figures
rest on, whichever process made it, on SQLite and PostgreSQL."""

import datetime as dt

from sqlalchemy import text

from lagesbild import db
from lagesbild.actor import Actor
from lagesbild.models import Organisation
from lagesbild.queries.lookup import data_version
from lagesbild.reference import seed_default_categories
from lagesbild.services import reports
from lagesbild.services.reports import IncidentInput

WHEN = dt.datetime(2026, 11, 20, 21, 30)


def _version(engine):
    with engine.connect() as conn:
        return data_version(conn)


def test_every_write_changes_the_data_version(engine):
    assert _version(engine) == (0, 0)
    with db.transaction(engine) as s:
        seed_default_categories(s)
        org = Organisation(name="Vellingebostäder", short_name="VB", kind="bostadsbolag")
        s.add(org)
        s.flush()
        member = Actor(
            user_id=None, username="vb", display_name="VB", organisation_id=org.id, role="medlem"
        )
        klotter = s.scalar(text("SELECT id FROM category WHERE name = 'Klotter'"))
    seen = [_version(engine)]

    def report():
        with db.transaction(engine) as s:
            (incident,) = reports.create_report(
                s,
                member,
                [IncidentInput(category_id=klotter, lat=55.4716, lon=13.0194, occurred_at=WHEN)],
            )
            return incident.id, incident.version

    incident_id, version = report()
    seen.append(_version(engine))
    with db.transaction(engine) as s:  # a withdrawal adds no report, but is logged
        reports.withdraw_incident(s, member, incident_id, version, "Dubbelrapport")
    seen.append(_version(engine))
    with db.transaction(engine) as s:  # a bulk insert, as imports and the demo write
        s.execute(
            text(
                "INSERT INTO incident (occurred_at, day, hour, category_id, lat, lon, precision,"
                " reporting_org_id, count, description, visibility, source, created_at, version)"
                " VALUES (:at, 20777, 21, :c, 55.47, 13.02, 'punkt', :o, 1, '', 'forum',"
                " 'import', :at, 1)"
            ),
            {"at": WHEN, "c": klotter, "o": org.id},
        )
    seen.append(_version(engine))
    assert len(set(seen)) == len(seen), seen
    assert _version(engine) == seen[-1]  # and nothing changes it by reading
