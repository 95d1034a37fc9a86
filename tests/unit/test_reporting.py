"""Reporting by hand, unsafe places and safety walks, corrections and withdrawals, and the
forum's own lists – validation, rights and the audit log, on SQLite and PostgreSQL."""

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from lagesbild import auth, clock, db
from lagesbild.actor import SYSTEM
from lagesbild.errors import ConflictError, PermissionDenied, ValidationError
from lagesbild.filters import Filters, Known, Period, resolve
from lagesbild.models import (
    Area,
    AuditLog,
    Category,
    Incident,
    Observation,
    Organisation,
    Place,
    SafetyWalk,
)
from lagesbild.queries import incidents
from lagesbild.queries.common import Viewer
from lagesbild.reference import ellipse_polygon, seed_default_categories
from lagesbild.services import admin, observations, reports
from lagesbild.services.observations import ObservationInput, WalkInput
from lagesbild.services.reports import IncidentInput

NOW = dt.datetime(2026, 11, 21, 20, 0)


@pytest.fixture
def forum(engine):
    with db.transaction(engine) as s:
        seed_default_categories(s)
        housing = Organisation(name="Vellingebostäder", short_name="VB", kind="bostadsbolag")
        police = Organisation(name="Polisen", short_name="Polisen", kind="polis")
        s.add_all([housing, police])
        s.flush()
        area = Area(name="Vellinge tätort", geojson=ellipse_polygon(55.4722, 13.0170, 1300, 1000))
        s.add(area)
        s.flush()
        place = Place(name="Solgården", area_id=area.id, lat=55.4739, lon=13.0263)
        s.add(place)
        s.flush()
        ids = {
            "housing": housing.id,
            "police": police.id,
            "area": area.id,
            "place": place.id,
            "klotter": s.scalar(select(Category.id).where(Category.name == "Klotter")),
            "trapphus": s.scalar(select(Category.id).where(Category.name == "Trapphus")),
        }
    people = {
        "member": ("vb", "housing", "medlem"),
        "police": ("polis", "police", "medlem"),
        "chair": ("samordnare", "housing", "samordnare"),
        "admin": ("admin", "police", "admin"),
        "leader": ("ledning", "police", "ledning"),
    }
    actors = {}
    with db.transaction(engine) as s:
        for key, (username, org, role) in people.items():
            user = auth.create_user(
                s,
                SYSTEM,
                username=username,
                display_name=username,
                organisation_id=ids[org],
                role=role,
                password="ett-langt-losenord",
            )
            actors[key] = auth.actor_for(user)
    return engine, ids, actors


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar()


def test_a_report_with_two_incidents_is_stored_and_audited(forum):
    engine, ids, actors = forum
    with db.transaction(engine) as s:
        created = reports.create_report(
            s,
            actors["member"],
            [
                IncidentInput(
                    category_id=ids["klotter"],
                    place_id=ids["place"],
                    occurred_at=NOW - dt.timedelta(hours=3),
                    count=3,
                    description="Taggar på fasaden",
                ),
                IncidentInput(
                    category_id=ids["trapphus"],
                    lat=55.4730,
                    lon=13.0200,
                    occurred_at=NOW - dt.timedelta(days=1),
                    occurred_until=NOW - dt.timedelta(hours=20),
                ),
            ],
            now=NOW,
        )
        first, second = created
        assert (first.precision, first.area_id, first.lat) == ("plats", ids["area"], 55.4739)
        assert (second.precision, second.area_id) == ("punkt", ids["area"])  # inside the area
        assert first.reporting_org_id == ids["housing"] and first.source == "manual"
        assert first.day and first.hour == 17
        entries = s.scalars(
            select(AuditLog).where(AuditLog.entity == "incident").order_by(AuditLog.id)
        ).all()
        assert len(entries) == 2 and entries[0].after["count"] == 3


@pytest.mark.parametrize("ahead", [dt.timedelta(0), clock.AHEAD - dt.timedelta(minutes=1)])
@pytest.mark.parametrize("period", [Period.DAYS_30, Period.SINCE_MEETING, Period.QUARTER])
def test_a_report_sent_now_is_in_every_period_up_to_now(forum, period, ahead):
    """The form's time is the current minute (or a few minutes ahead, as far as a report is
    accepted): the report must be listed and counted at once, not once the clock has passed it."""
    engine, ids, actors = forum
    with db.transaction(engine) as s:
        (created,) = reports.create_report(
            s,
            actors["member"],
            [
                IncidentInput(
                    category_id=ids["klotter"], place_id=ids["place"], occurred_at=NOW + ahead
                )
            ],
            now=NOW,
        )
        new_id = created.id
    scope = resolve(Filters(period=period), Known(), NOW, NOW - dt.timedelta(days=4))
    with engine.connect() as conn:
        listed = incidents.listing(conn, scope=scope, viewer=Viewer.of(actors["member"]))
        assert listed["id"].tolist()[0] == new_id
        assert (
            incidents.totals(conn, scope=scope, viewer=Viewer.of(actors["member"]))["reports"] == 1
        )
    late = IncidentInput(
        category_id=ids["klotter"], place_id=ids["place"], occurred_at=NOW + clock.AHEAD
    )
    with pytest.raises(ValidationError, match="framtiden"), db.transaction(engine) as s:
        reports.create_report(s, actors["member"], [late], now=NOW)


def test_every_problem_is_listed_and_nothing_is_stored(forum):
    engine, ids, actors = forum
    with pytest.raises(ValidationError) as err, db.transaction(engine) as s:
        reports.create_report(
            s,
            actors["member"],
            [
                IncidentInput(
                    category_id=ids["klotter"],
                    place_id=ids["place"],
                    occurred_at=NOW - dt.timedelta(hours=1),
                ),
                IncidentInput(
                    category_id=None,
                    lat=13.02,
                    lon=55.47,
                    occurred_at=NOW + dt.timedelta(days=2),
                    count=0,
                    description="Ring Anna Svensson på 070-123 45 67",
                ),
            ],
            now=NOW,
        )
    problems = err.value.problems
    assert set(problems) == {"2.category", "2.place", "2.occurred_at", "2.count", "2.description"}
    assert problems["2.place"].startswith(
        "Händelse 2: Punkten 13.02000, 55.47000 ligger utanför Sverige"
    )
    assert "Anna Svensson" in problems["2.description"]
    assert "070-123 45 67" in problems["2.description"]
    assert _count(engine, Incident) == 0


def test_who_may_report_for_which_organisation(forum):
    engine, ids, actors = forum
    item = IncidentInput(category_id=ids["klotter"], place_id=ids["place"], occurred_at=NOW)
    with pytest.raises(PermissionDenied), db.transaction(engine) as s:
        reports.create_report(s, actors["member"], [item], organisation_id=ids["police"], now=NOW)
    with pytest.raises(PermissionDenied), db.transaction(engine) as s:
        reports.create_report(s, actors["leader"], [item], now=NOW)
    with db.transaction(engine) as s:  # a chair may report on behalf of another organisation
        created = reports.create_report(
            s, actors["chair"], [item], organisation_id=ids["police"], now=NOW
        )
        assert created[0].reporting_org_id == ids["police"]


def _one(engine, ids, actor):
    with db.transaction(engine) as s:
        incident = reports.create_report(
            s,
            actor,
            [
                IncidentInput(
                    category_id=ids["klotter"],
                    place_id=ids["place"],
                    occurred_at=NOW - dt.timedelta(hours=2),
                    description="Första versionen",
                )
            ],
            now=NOW,
        )[0]
        return incident.id, incident.version


def test_correction_keeps_the_previous_version_in_the_audit_log(forum):
    engine, ids, actors = forum
    incident_id, version = _one(engine, ids, actors["member"])
    with db.transaction(engine) as s:
        reports.correct_incident(
            s,
            actors["member"],
            incident_id,
            version,
            IncidentInput(
                category_id=ids["trapphus"],
                place_id=ids["place"],
                occurred_at=NOW - dt.timedelta(hours=2),
                count=2,
                description="Rättad",
            ),
            now=NOW,
        )
    with db.transaction(engine) as s:
        incident = s.get(Incident, incident_id)
        assert (incident.category_id, incident.count, incident.version) == (
            ids["trapphus"],
            2,
            version + 1,
        )
        entry = s.scalars(select(AuditLog).where(AuditLog.verb == "update")).one()
        assert entry.before["description"] == "Första versionen"
        assert entry.after["description"] == "Rättad"


def test_only_the_reporting_organisation_or_an_admin_may_correct(forum):
    engine, ids, actors = forum
    incident_id, version = _one(engine, ids, actors["member"])
    item = IncidentInput(category_id=ids["klotter"], place_id=ids["place"], occurred_at=NOW)
    for who in ("police", "leader"):
        with pytest.raises(PermissionDenied), db.transaction(engine) as s:
            reports.correct_incident(s, actors[who], incident_id, version, item, now=NOW)
    with db.transaction(engine) as s:
        reports.correct_incident(s, actors["admin"], incident_id, version, item, now=NOW)


def test_a_stale_correction_is_refused_and_says_what_changed(forum):
    engine, ids, actors = forum
    incident_id, version = _one(engine, ids, actors["member"])
    with db.transaction(engine) as s:
        seen = {"description": s.get(Incident, incident_id).description, "count": 1}
    with db.transaction(engine) as s:
        reports.correct_incident(
            s,
            actors["admin"],
            incident_id,
            version,
            IncidentInput(
                category_id=ids["klotter"],
                place_id=ids["place"],
                occurred_at=NOW,
                count=5,
                description="Admin rättade",
            ),
            now=NOW,
        )
    with pytest.raises(ConflictError) as err, db.transaction(engine) as s:
        reports.correct_incident(
            s,
            actors["member"],
            incident_id,
            version,
            IncidentInput(
                category_id=ids["klotter"],
                place_id=ids["place"],
                occurred_at=NOW,
                description="Min ändring",
            ),
            seen=seen,
            now=NOW,
        )
    assert err.value.changes["description"] == ("Första versionen", "Admin rättade")
    assert err.value.changes["count"] == (1, 5)
    with engine.connect() as conn:
        assert conn.execute(select(Incident.description)).scalar() == "Admin rättade"


def test_withdrawal_keeps_the_row_but_it_no_longer_counts(forum):
    engine, ids, actors = forum
    incident_id, version = _one(engine, ids, actors["member"])
    with pytest.raises(ValidationError), db.transaction(engine) as s:
        reports.withdraw_incident(s, actors["member"], incident_id, version, "  ")
    with db.transaction(engine) as s:
        reports.withdraw_incident(s, actors["member"], incident_id, version, "Dubblett")
    from lagesbild.filters import Scope, Window
    from lagesbild.queries import incidents
    from lagesbild.queries.common import Viewer

    with engine.connect() as conn:
        scope = Scope(window=Window(dt.datetime(2026, 1, 1), dt.datetime(2027, 1, 1)), label="")
        assert incidents.totals(conn, scope=scope, viewer=Viewer(None, True))["reports"] == 0
    assert _count(engine, Incident) == 1


def test_unsafe_place_and_safety_walk(forum):
    engine, ids, actors = forum
    with db.transaction(engine) as s:
        observations.create_observation(
            s,
            actors["member"],
            ObservationInput(
                reason="belysning",
                place_id=ids["place"],
                description="Trasig lampa",
                proposed_remedy="Byt armatur",
            ),
            observed_at=NOW - dt.timedelta(days=1),
        )
    walk = WalkInput(
        title="Trygghetsvandring Solgården",
        area_id=ids["area"],
        walked_at=NOW - dt.timedelta(hours=2),
        participants=[ids["housing"], ids["police"]],
        route=[ids["place"]],
        points=[
            ObservationInput(
                reason="vegetation", place_id=ids["place"], proposed_remedy="Beskär häcken"
            ),
            ObservationInput(reason="odslig", lat=55.4735, lon=13.0250),
        ],
    )
    with db.transaction(engine) as s:
        saved = observations.create_safety_walk(s, actors["chair"], walk)
        assert saved.participants == "VB, Polisen"
        assert len(saved.observations) == 2
    assert _count(engine, Observation) == 3 and _count(engine, SafetyWalk) == 1


def test_a_safety_walk_with_one_bad_point_stores_nothing(forum):
    engine, ids, actors = forum
    walk = WalkInput(
        title="Vandring",
        walked_at=NOW - dt.timedelta(hours=1),
        points=[
            ObservationInput(reason="belysning", place_id=ids["place"]),
            ObservationInput(reason="okänd", description="Per Olsson bor här"),
        ],
    )
    with pytest.raises(ValidationError) as err, db.transaction(engine) as s:
        observations.create_safety_walk(s, actors["chair"], walk)
    assert set(err.value.problems) == {"2.reason", "2.place", "2.description"}
    assert err.value.problems["2.description"].startswith("Punkt 2: ")
    assert _count(engine, SafetyWalk) == 0 and _count(engine, Observation) == 0


def test_categories_rename_and_deactivate_keep_history(forum):
    engine, ids, actors = forum
    _one(engine, ids, actors["member"])
    with pytest.raises(PermissionDenied), db.transaction(engine) as s:
        admin.save_category(s, actors["member"], "Graffiti", 1, ids["klotter"])
    with db.transaction(engine) as s:
        group_id = s.get(Category, ids["klotter"]).group_id
        admin.save_category(s, actors["chair"], "Klotter och taggar", group_id, ids["klotter"])
        admin.save_category(
            s, actors["chair"], "Klotter och taggar", group_id, ids["klotter"], active=False
        )
    with db.transaction(engine) as s:
        assert s.get(Category, ids["klotter"]).name == "Klotter och taggar"
        assert s.scalar(select(Incident.category_id)) == ids["klotter"]  # history stays
        entries = s.scalars(
            select(AuditLog).where(AuditLog.entity == "category").order_by(AuditLog.id)
        ).all()
        assert [e.before["name"] for e in entries] == ["Klotter", "Klotter och taggar"]
        assert entries[-1].after["active"] is False
    with pytest.raises(ValidationError) as err, db.transaction(engine) as s:
        admin.save_category(s, actors["chair"], "Glaskross", group_id)
    assert "finns redan" in err.value.problems["name"]
    with pytest.raises(ValidationError), db.transaction(engine) as s:  # no longer offered
        reports.create_report(
            s,
            actors["member"],
            [IncidentInput(category_id=ids["klotter"], place_id=ids["place"], occurred_at=NOW)],
            now=NOW,
        )


@pytest.mark.parametrize(
    ("geojson", "message"),
    [
        ("inte json", "inte giltig JSON"),
        ('{"type": "Point", "coordinates": [13.0, 55.4]}', "inte Point"),
        ('{"type": "LineString", "coordinates": [[13.0, 55.4], [13.1, 55.5]]}', "inte LineString"),
        (
            '{"type": "Polygon", "coordinates": [[[13.0, 55.4], [13.1, 55.4], [13.1, 55.5]]]}',
            "sluten",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[55.4, 13.0], [55.4, 13.1], [55.5, 13.1], '
            "[55.4, 13.0]]]}",
            "utanför Sverige",
        ),
        ('{"type": "FeatureCollection", "features": []}', "0 objekt"),
        ("[1, 2, 3]", "inte list"),
    ],
)
def test_bad_area_geojson_is_refused_with_the_reason(geojson, message):
    with pytest.raises(ValidationError) as err:
        admin.parse_area_geojson(geojson)
    assert message in err.value.problems["geojson"]


def test_areas_places_and_organisations(forum):
    engine, _, actors = forum
    shape = admin.parse_area_geojson(
        json.dumps(
            {"type": "Feature", "geometry": ellipse_polygon(55.418, 12.956, 1500, 1200)}
        ).encode()
    )
    with db.transaction(engine) as s:
        area = admin.save_area(s, actors["chair"], "Höllviken", "tätort", shape)
        place = admin.save_place(
            s, actors["chair"], "Höllvikens centrum", 55.4181, 12.9561, area.id, "centrum"
        )
        org = admin.save_organisation(
            s, actors["admin"], "Räddningstjänsten Syd", "Räddningstjänsten", "raddningstjanst"
        )
        assert place.area_id == area.id and org.short_name == "Räddningstjänsten"
    with pytest.raises(ValidationError) as err, db.transaction(engine) as s:
        admin.save_place(s, actors["chair"], "Solgården", 65.0, 30.0)
    assert set(err.value.problems) == {"name", "position"}
