"""Overview figures against independent pandas computations on the demo forum."""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import text

from lagesbild.filters import Scope
from lagesbild.queries import layers, overview
from lagesbild.queries.common import Viewer
from tests.conftest import DEMO_NOW
from tests.unit.helpers import incidents_frame

CHAIR = Viewer(organisation_id=1, sees_restricted=True)


def _visible(df: pd.DataFrame, viewer: Viewer) -> pd.DataFrame:
    df = df[df["withdrawn_at"].isna()]
    if not viewer.sees_restricted:
        df = df[(df["visibility"] == "forum") | (df["reporting_org_id"] == viewer.organisation_id)]
    return df


def _org_id(engine, short_name: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT id FROM organisation WHERE short_name = :n"), {"n": short_name}
        ).scalar_one()


@pytest.mark.parametrize("who", ["chair", "housing", "police"])
def test_week_comparison_matches_pandas(demo_engine, who):
    viewer = {
        "chair": CHAIR,
        "housing": Viewer(_org_id(demo_engine, "Vellingebostäder"), False),
        "police": Viewer(_org_id(demo_engine, "Polisen"), False),
    }[who]
    with demo_engine.connect() as conn:
        got = overview.week_comparison(conn, viewer=viewer, now=DEMO_NOW).set_index("group")
    df = _visible(incidents_frame(demo_engine), viewer)
    monday = pd.Timestamp("2026-11-16")  # ISO week 47 of 2026 starts on Monday 16 November
    now = pd.Timestamp(DEMO_NOW)
    this_week = df[(df.occurred_at >= monday) & (df.occurred_at <= now)]
    same_span = df[
        (df.occurred_at >= monday - pd.Timedelta(days=7))
        & (df.occurred_at <= now - pd.Timedelta(days=7))
    ]
    last_week = df[(df.occurred_at >= monday - pd.Timedelta(days=7)) & (df.occurred_at < monday)]
    for name, frame in [
        ("this_week", this_week),
        ("last_week_same_span", same_span),
        ("last_week", last_week),
    ]:
        expected = frame.groupby("grp")["count"].sum()
        assert got[name].sum() == expected.sum() > 0
        for group, value in got[name].items():
            assert value == expected.get(group, 0), (name, group)


def test_restricted_incidents_are_hidden_from_other_organisations(demo_engine):
    df = incidents_frame(demo_engine)
    restricted = set(df.loc[df.visibility == "begransad", "id"])
    assert restricted
    police = Viewer(_org_id(demo_engine, "Polisen"), False)
    housing = Viewer(_org_id(demo_engine, "Vellingebostäder"), False)
    everything = len(df)
    with demo_engine.connect() as conn:
        seen = {
            name: set(overview.latest_incidents(conn, viewer=viewer, limit=everything)["id"])
            for name, viewer in [("chair", CHAIR), ("police", police), ("housing", housing)]
        }
    assert restricted <= seen["chair"]
    assert restricted <= seen["police"]  # the reporting organisation sees its own items
    assert not restricted & seen["housing"]
    assert len(seen["housing"]) == everything - len(restricted)


def test_latest_incidents_are_the_newest_reports(demo_engine):
    with demo_engine.connect() as conn:
        got = overview.latest_incidents(conn, viewer=CHAIR, limit=10)
    df = incidents_frame(demo_engine).sort_values(["created_at", "id"], ascending=False)
    assert list(pd.to_datetime(got["reported_at"])) == list(df["created_at"].head(10))
    assert got["organisation"].notna().all() and got["category"].notna().all()


def test_open_actions_by_organisation_matches_pandas(demo_engine):
    today = DEMO_NOW.date()
    with demo_engine.connect() as conn:
        got = overview.open_actions_by_organisation(conn, today).set_index("organisation")
        actions = pd.read_sql(
            text(
                "SELECT a.status, a.due_date, o.short_name AS org FROM action a "
                "JOIN organisation o ON o.id = a.owner_org_id"
            ),
            conn,
        )
    open_ = actions[actions.status.isin(["foreslagen", "beslutad", "pagar"])]
    assert got["open"].to_dict() == open_.groupby("org").size().to_dict()
    overdue = open_[pd.to_datetime(open_.due_date) < pd.Timestamp(today)]
    assert got["overdue"].sum() == len(overdue) > 0


def test_next_and_last_meeting(demo_engine):
    with demo_engine.connect() as conn:
        upcoming = overview.next_meeting(conn, DEMO_NOW)
        previous = overview.last_meeting(conn, DEMO_NOW)
    assert upcoming["status"] == "planerat"
    # Saturday evening: the next meeting is Monday's, a week after the last one
    # (the demo's schedule, `demo.meeting_schedule`)
    assert upcoming["held_at"] == dt.datetime(2026, 11, 23, 9, 0)
    assert previous == dt.datetime(2026, 11, 16, 9, 0)


def test_upcoming_events_cover_the_coming_weeks(demo_engine):
    with demo_engine.connect() as conn:
        got = layers.coming_events(conn, scope=Scope.everywhere(), now=DEMO_NOW, days=45)
    assert {"Julmarknad i Skanör", "Luciafirande i Vellinge centrum", "Nyårsafton"} <= set(
        got["title"]
    )
    assert (got["ends_at"] >= DEMO_NOW).all()
    assert list(got["starts_at"]) == sorted(got["starts_at"])


def test_overview_on_an_empty_database(engine):
    with engine.connect() as conn:
        assert overview.week_comparison(conn, viewer=CHAIR, now=DEMO_NOW).empty
        assert overview.latest_incidents(conn, viewer=CHAIR).empty
        assert overview.open_actions_by_organisation(conn, DEMO_NOW.date()).empty
        assert overview.next_meeting(conn, DEMO_NOW) is None
        assert layers.coming_events(conn, scope=Scope.everywhere(), now=DEMO_NOW).empty
