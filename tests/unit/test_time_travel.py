"""The product at awkward moments: the turn of the year, ISO week 53, a leap day, 2030.

The demo forum is built at each moment with the clock pinned there, and the figures that depend
on "now" – this week, overdue, login expiry, the reporting periods – are checked against an
independent count. The machine's own date plays no part (CI also runs this under faketime).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import text

from lagesbild import auth, clock, db, fmt, periods
from lagesbild.demo import build_demo
from lagesbild.queries import actions as action_queries
from lagesbild.queries import overview
from lagesbild.queries.common import Viewer

CHAIR = Viewer(organisation_id=1, sees_restricted=True)
MOMENTS = [
    dt.datetime(2026, 1, 1, 0, 30),  # New Year's night: ISO week 1 of 2026
    dt.datetime(2026, 12, 31, 23, 30),  # ISO week 53 of 2026
    dt.datetime(2027, 1, 1, 1, 0),  # a new year, still ISO week 53 of 2026
    dt.datetime(2027, 1, 4, 8, 0),  # Monday of ISO week 1 of 2027
    dt.datetime(2028, 2, 29, 12, 0),  # a leap day
    dt.datetime(2030, 12, 31, 23, 59),
]


@pytest.fixture(scope="module", params=MOMENTS, ids=lambda m: m.strftime("%Y-%m-%dT%H%M"))
def built_at(request, tmp_path_factory):
    moment = request.param
    engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('moment') / 'demo.db'}")
    build_demo(engine, seed=11, now=moment, incidents=2_000)
    yield moment, engine
    engine.dispose()


@pytest.fixture
def forum_at(built_at):
    """The demo forum built at the moment, with the clock pinned there for the test."""
    moment, engine = built_at
    clock.pin(moment)
    return moment, engine


def _incidents(engine) -> pd.DataFrame:
    with engine.connect() as conn:
        df = pd.read_sql(
            text("SELECT occurred_at, count, withdrawn_at FROM incident"),
            conn,
            parse_dates=["occurred_at"],
        )
    return df[df.withdrawn_at.isna()]


def test_this_week_starts_on_the_iso_monday(forum_at):
    _, engine = forum_at
    now = clock.local_now().replace(second=0, microsecond=0)
    monday = pd.Timestamp(clock.week_start(now.date()))
    assert monday.isocalendar().week == now.isocalendar().week
    with engine.connect() as conn:
        got = overview.week_comparison(conn, viewer=CHAIR, now=now)
    df = _incidents(engine)
    this_week = df[(df.occurred_at >= monday) & (df.occurred_at <= pd.Timestamp(now))]
    last_week = df[(df.occurred_at >= monday - pd.Timedelta(days=7)) & (df.occurred_at < monday)]
    assert int(got["this_week"].sum()) == int(this_week["count"].sum())
    assert int(got["last_week"].sum()) == int(last_week["count"].sum()) > 0


def test_overdue_means_due_before_today(forum_at):
    moment, engine = forum_at
    today = clock.local_today()
    assert today == moment.date()
    with engine.connect() as conn:
        listed = action_queries.action_list(conn, today)
        by_org = overview.open_actions_by_organisation(conn, today)
    open_ = listed[listed.status.isin(["foreslagen", "beslutad", "pagar"])]
    expected = open_[pd.to_datetime(open_.due_date) < pd.Timestamp(today)]
    assert set(listed.loc[listed.overdue, "id"]) == set(expected["id"])
    assert int(by_org["overdue"].sum()) == len(expected)


def test_week_labels_and_reporting_periods(forum_at):
    moment, _ = forum_at
    day = clock.local_today()
    assert day == moment.date()
    assert fmt.week_label(day) == f"vecka {day.isocalendar().week}"
    quarter = periods.containing("kvartal", day)
    assert quarter.first_day <= day < quarter.end_day
    previous = periods.latest_complete("kvartal", day)
    assert previous.end_day <= day + dt.timedelta(days=1)
    assert previous.shifted(1) == quarter or previous == quarter


def test_week_53_is_named_as_such():
    assert fmt.week_label(dt.date(2026, 12, 31)) == "vecka 53"
    assert fmt.week_label(dt.date(2027, 1, 3)) == "vecka 53"
    assert fmt.week_label(dt.date(2027, 1, 4)) == "vecka 1"
    assert clock.week_start(dt.date(2027, 1, 1)) == dt.date(2026, 12, 28)


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.strftime("%Y-%m-%dT%H%M"))
def test_a_login_cookie_lasts_its_days_and_not_longer(moment):
    secret, days = "s" * 64, 14
    clock.pin(moment)
    token = auth.login_token("samordnare", secret, days, clock.epoch())
    assert auth.login_token_issued_at(token, secret, days, clock.epoch()) is not None
    clock.pin(moment + dt.timedelta(days=days - 1))
    assert auth.login_token_issued_at(token, secret, days, clock.epoch()) is not None
    clock.pin(moment + dt.timedelta(days=days, minutes=1))
    assert auth.login_token_issued_at(token, secret, days, clock.epoch()) is None
