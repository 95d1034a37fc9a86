"""The demo forum: deterministic, realistic patterns, every kind of record present."""

import datetime as dt
import itertools
import json

import pandas as pd
import pytest
from sqlalchemy import func, select, text

from lagesbild import clock, db, municipalities
from lagesbild.demo import DemoExists, build_demo, meeting_schedule
from lagesbild.filters import Window
from lagesbild.models import (
    Action,
    Decision,
    Event,
    Meeting,
    Observation,
    Organisation,
    Place,
    SafetyWalk,
    User,
)
from lagesbild.queries import overview, picture
from lagesbild.queries.minutes import FORUM_VIEW
from lagesbild.reference import load_json
from tests.conftest import DEMO_NOW, DEMO_SEED
from tests.unit.helpers import incidents_frame

LAT = 55.43


@pytest.fixture(scope="module")
def frame(demo_sqlite_template):
    engine = db.make_engine(f"sqlite:///{demo_sqlite_template}")
    df = incidents_frame(engine)
    engine.dispose()
    return df


def test_same_seed_gives_the_same_forum(tmp_path, frame):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'again.db'}")
    build_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
    again = incidents_frame(engine)
    cols = ["occurred_at", "category", "place_id", "reporting_org_id", "count", "visibility"]
    pd.testing.assert_frame_equal(
        frame[cols].reset_index(drop=True), again[cols].reset_index(drop=True)
    )
    other = db.make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    build_demo(other, seed=DEMO_SEED + 1, now=DEMO_NOW)
    assert not incidents_frame(other)["occurred_at"].equals(frame["occurred_at"])


def test_three_years_of_about_fifteen_thousand_incidents(frame):
    assert 13_500 <= len(frame) <= 16_500
    assert frame.occurred_at.max() <= pd.Timestamp(DEMO_NOW)
    span = (frame.occurred_at.max() - frame.occurred_at.min()).days
    assert 3 * 365 - 5 <= span <= 3 * 365


def test_evenings_and_weekend_nights(frame):
    hours = frame.occurred_at.dt.hour
    evening = frame[hours.between(18, 23)]
    morning = frame[hours.between(4, 9)]
    assert len(evening) > 2.5 * len(morning)
    night = frame[hours.isin([0, 1, 2])]
    weekend_night = night[night.occurred_at.dt.day_of_week.isin([5, 6])]  # Sat/Sun small hours
    assert len(weekend_night) / len(night) > 2 / 7 * 1.4


def test_summer_is_busier_than_winter(frame):
    months = frame.occurred_at.dt.month
    assert months.isin([6, 7, 8]).sum() > 1.3 * months.isin([12, 1, 2]).sum()


def test_valborg_and_new_year_stand_out(frame):
    daily = frame.groupby(frame.occurred_at.dt.date).size()
    typical = daily.median()
    for month, day in [(4, 30), (12, 31)]:
        peaks = [daily.get(pd.Timestamp(year, month, day).date(), 0) for year in (2024, 2025)]
        assert min(peaks) > 1.8 * typical, (month, day, peaks, typical)


def test_hot_spots_rise_and_fall(demo_sqlite_template, frame):
    engine = db.make_engine(f"sqlite:///{demo_sqlite_template}")
    with engine.connect() as conn:
        place_ids = dict(conn.execute(text("SELECT name, id FROM place")).all())
    now = pd.Timestamp(DEMO_NOW)

    def weekly(place, categories, start_days_ago, end_days_ago):
        rows = frame[
            (frame.place_id == place_ids[place])
            & frame.category.isin(categories)
            & (frame.occurred_at > now - pd.Timedelta(days=start_days_ago))
            & (frame.occurred_at <= now - pd.Timedelta(days=end_days_ago))
        ]
        return len(rows) / ((start_days_ago - end_days_ago) / 7)

    # rising right now: the bus station in the last two weeks against its own past year
    assert weekly("Vellinge busstation", ["Utomhus"], 14, 0) > 3 * weekly(
        "Vellinge busstation", ["Utomhus"], 365, 42
    )
    # graffiti in Höllviken centrum surged, then fell after the action was completed
    surge = weekly("Höllvikens centrum", ["Klotter"], 300, 190)
    after = weekly("Höllvikens centrum", ["Klotter"], 180, 0)
    assert surge > 3 * after


def test_every_kind_of_record_exists(demo_sqlite_template):
    engine = db.make_engine(f"sqlite:///{demo_sqlite_template}")
    with db.transaction(engine) as s:
        statuses = set(s.scalars(select(Action.status)))
        assert statuses == {"foreslagen", "beslutad", "pagar", "klar", "avbruten"}
        assert s.scalar(select(func.count()).select_from(Observation)) > 50
        assert s.scalar(select(func.count()).select_from(SafetyWalk)) == 2
        assert s.scalar(select(func.count()).select_from(Decision)) > 50
        assert s.scalar(select(func.count()).select_from(Event)) > 20
        meetings = s.scalars(select(Meeting).order_by(Meeting.held_at)).all()
        assert meetings[-1].status == "planerat" and meetings[-2].status == "avslutat"
        held = [m.held_at for m in meetings[:-1]]
        assert all(b - a == dt.timedelta(days=7) for a, b in itertools.pairwise(held))
        assert all(m.held_at.weekday() < 5 for m in meetings)  # weekly, on a weekday
        kinds = set(s.scalars(select(Organisation.kind)))
        assert {
            "kommun",
            "polis",
            "bostadsbolag",
            "raddningstjanst",
            "vaktbolag",
            "naringsliv",
        } <= kinds
        assert {u.role for u in s.scalars(select(User))} == {
            "admin",
            "samordnare",
            "medlem",
            "ledning",
        }
        assert s.scalar(select(func.count()).select_from(Place)) >= 60


def test_places_lie_in_vellinge(demo_sqlite_template):
    boundary = municipalities.boundary("Vellinge")["features"][0]["geometry"]
    lons = [p[0] for p in boundary["coordinates"][0]]
    lats = [p[1] for p in boundary["coordinates"][0]]
    engine = db.make_engine(f"sqlite:///{demo_sqlite_template}")
    with engine.connect() as conn:
        places = conn.execute(text("SELECT name, lat, lon FROM place")).all()
    margin = 0.02  # the shipped outline is simplified; harbours lie on its edge
    for name, lat, lon in places:
        assert min(lats) - margin <= lat <= max(lats) + margin, name
        assert min(lons) - margin <= lon <= max(lons) + margin, name


def test_demo_refuses_a_database_with_data_unless_reset(demo_sqlite_url):
    engine = db.make_engine(demo_sqlite_url)
    with pytest.raises(DemoExists):
        build_demo(engine, now=DEMO_NOW)
    summary = build_demo(engine, now=DEMO_NOW, seed=7, reset=True, incidents=2_000)
    assert 1_500 < summary.incidents < 2_500
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM incident")).scalar() == summary.incidents
        assert conn.execute(text("SELECT count(*) FROM organisation")).scalar() == 10


def test_demo_spec_names_no_persons():
    spec = load_json("demo", "vellinge.json")
    text_blob = json.dumps(spec["users"], ensure_ascii=False)
    assert "@" not in text_blob
    assert all(u["display_name"][0].isupper() for u in spec["users"])


def test_the_next_meeting_is_due_with_a_week_behind_it_at_any_moment():
    """Whenever the demo is built, the last meeting lies 5–9 days back and the next one is
    due today or within three days, on a weekday at 09:00 – every half hour of a fortnight."""
    moment = dt.datetime(2026, 11, 16)
    while moment < dt.datetime(2026, 11, 30):
        held, planned = meeting_schedule(moment, moment.date() - dt.timedelta(days=400))
        since = moment - held[-1]
        assert dt.timedelta(days=5) <= since <= dt.timedelta(days=9), moment
        assert moment - dt.timedelta(hours=1, minutes=30) < planned, moment
        assert planned - moment <= dt.timedelta(days=3), moment
        assert planned.weekday() < 5 and held[-1].weekday() < 5, moment
        assert all(b - a == dt.timedelta(days=7) for a, b in itertools.pairwise(held))
        moment += dt.timedelta(minutes=30)


MOMENTS = [
    dt.datetime(2026, 11, 21, 20, 0),  # a Saturday evening (the suite's moment)
    dt.datetime(2026, 11, 30, 10, 0),  # a Monday morning
    dt.datetime(2026, 12, 1, 8, 0),  # a Tuesday before the meeting
    dt.datetime(2026, 11, 29, 23, 30),  # a Sunday night
]


# Every moment on SQLite; PostgreSQL at the suite's moment (the scenario does not depend on the
# backend, the queries the chair's step 1 runs are checked on both).
@pytest.mark.parametrize(
    ("db_url", "now"),
    [("sqlite", moment) for moment in MOMENTS] + [("postgresql", MOMENTS[0])],
    indirect=["db_url"],
)
def test_a_chair_starting_the_demo_meeting_sees_a_normal_week(engine, now):
    """The demo built at `now`: the meeting a chair starts finds its last meeting 5–9 days back
    and, since then, as many reports as such a stretch usually has (the range step 1 shows)."""
    clock.pin(now)
    build_demo(engine, seed=DEMO_SEED, now=now, incidents=15_000)
    with engine.connect() as conn:
        upcoming = overview.next_meeting(conn, now)
        last = overview.last_meeting(conn, now)
        seen = picture.picture(conn, viewer=FORUM_VIEW, window=Window(last, now), lat=LAT)
    assert dt.timedelta(days=5) <= now - last <= dt.timedelta(days=9)
    assert upcoming is not None and upcoming["status"] == "planerat"
    assert upcoming["held_at"].date() - now.date() <= dt.timedelta(days=2)
    low, high = seen.usual_range
    assert low <= seen.total <= high, (seen.total, seen.usual_range)
