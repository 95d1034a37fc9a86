"""Every aggregate of the analysis pages against an independent pandas computation, on the
real data sets (Swedish Police events and a police.uk file), on SQLite and PostgreSQL."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from lagesbild.filters import Scope, Window
from lagesbild.queries import incidents
from lagesbild.queries.common import Viewer
from tests.unit.helpers import incidents_frame

EVERYONE = Viewer(organisation_id=None, sees_restricted=True)
UK_YEAR = Window(dt.datetime(2019, 11, 1), dt.datetime(2020, 5, 1))
ALL = Window(dt.datetime(2000, 1, 1), dt.datetime(2030, 1, 1))


@pytest.fixture
def df(real_engine):
    return incidents_frame(real_engine)


def _in(df, window: Window):
    return df[(df.occurred_at >= window.start) & (df.occurred_at < window.end)]


def _ids(engine, sql):
    with engine.connect() as conn:
        return dict(conn.execute(text(sql)).all())


def test_the_real_data_is_there(df):
    assert (df.precision == "ungefar").sum() > 50  # police events at a centroid
    assert (df.precision == "plats").sum() == 7930  # every police.uk crime


@pytest.mark.parametrize("bucket", ["day", "week", "month"])
def test_series_by_category_matches_pandas(real_engine, df, bucket):
    scope = Scope(window=ALL, label="")
    with real_engine.connect() as conn:
        got = incidents.series(
            conn, scope=scope, viewer=EVERYONE, bucket=bucket, dims=("category",)
        )
    day = df.occurred_at.dt.normalize()
    key = {
        "day": day,
        "week": day - pd.to_timedelta(day.dt.day_of_week, unit="D"),
        "month": day.dt.to_period("M").dt.to_timestamp(),
    }[bucket]
    expected = df.assign(bucket=key.dt.date).groupby(["bucket", "category_id"])["count"].sum()
    got = got.set_index(["bucket", "category"])["occurrences"]
    assert got.to_dict() == expected.to_dict()
    if bucket == "week":
        assert all(b.weekday() == 0 for b, _ in got.index)  # ISO weeks start on Monday


def test_compare_three_periods_by_area_matches_pandas(real_engine, df):
    scope = Scope(window=UK_YEAR, label="")
    with real_engine.connect() as conn:
        got = incidents.compare(conn, scope=scope, viewer=EVERYONE, dims=("area",)).set_index(
            "area"
        )
    for column, window in [
        ("current", UK_YEAR),
        ("previous", scope.previous.window),
        ("last_year", scope.last_year.window),
    ]:
        expected = _in(df, window).groupby("area_id")["count"].sum()
        got_col = got[column][got[column] > 0]
        assert got_col.to_dict() == expected.to_dict(), column
    assert got["current"].sum() > 0 and got["previous"].sum() > 0
    assert scope.previous.window == Window(dt.datetime(2019, 5, 3), dt.datetime(2019, 11, 1))


def test_compare_in_total(real_engine, df):
    scope = Scope(window=Window(dt.datetime(2024, 1, 1), dt.datetime(2025, 1, 1)), label="")
    with real_engine.connect() as conn:
        got = incidents.compare(conn, scope=scope, viewer=EVERYONE).iloc[0]
    assert got["current"] == _in(df, scope.window)["count"].sum()
    assert got["last_year"] == _in(df, scope.last_year.window)["count"].sum()


def test_weekday_hour_matches_pandas(real_engine, df):
    scope = Scope(window=ALL, label="")
    with real_engine.connect() as conn:
        got = incidents.weekday_hour(conn, scope=scope, viewer=EVERYONE)
    expected = df.groupby([df.occurred_at.dt.day_of_week, df.occurred_at.dt.hour])["count"].sum()
    assert got.set_index(["weekday", "hour"])["occurrences"].to_dict() == expected.to_dict()


def test_month_of_year_matches_pandas(real_engine, df):
    with real_engine.connect() as conn:
        got = incidents.month_of_year(conn, scope=Scope(window=ALL, label=""), viewer=EVERYONE)
    expected = df.groupby([df.occurred_at.dt.year, df.occurred_at.dt.month])["count"].sum()
    assert got.set_index(["year", "month"])["occurrences"].to_dict() == expected.to_dict()


def test_map_summary_matches_pandas(real_engine, df):
    scope = Scope(window=ALL, label="")
    base = incidents.cell_size((-3.2, 53.3, -2.7, 53.7), incidents.BASE_CELLS)
    with real_engine.connect() as conn:
        summary = incidents.summarise_map(
            incidents.map_facts(conn, scope=scope, viewer=EVERYONE, base=base), base
        )
    exact = df[df.precision != "ungefar"]
    approx = df[df.precision == "ungefar"]
    assert summary.reports == len(exact) and summary.occurrences == exact["count"].sum()
    assert summary.extent == (exact.lon.min(), exact.lat.min(), exact.lon.max(), exact.lat.max())
    assert summary.area_counts == df.groupby("area_id")["count"].sum().to_dict()
    got_approx = summary.approximate.set_index(["lat", "lon"])["occurrences"].to_dict()
    assert got_approx == approx.groupby(["lat", "lon"])["count"].sum().to_dict()
    # cells: the fine grid coarsened by a whole factor; negative longitudes are in this data
    factor = round(summary.size[0] / base[0])
    rows = np.floor((exact.lat + 90.0) / base[0]).astype(int) // factor
    cols = np.floor((exact.lon + 180.0) / base[1]).astype(int) // factor
    expected = exact.assign(row=rows, col=cols).groupby(["row", "col"])["count"].sum()
    assert summary.cells.set_index(["row", "col"])["occurrences"].to_dict() == expected.to_dict()
    assert len(summary.cells) <= incidents.MAX_CELLS * 1.5
    corner = summary.cells.iloc[0]
    assert math.isclose(corner.south, corner.row * summary.size[0] - 90.0)


def test_cell_size_is_square_on_the_ground_and_bounded():
    dlat, dlon = incidents.cell_size((12.81, 55.38, 13.17, 55.53))
    assert math.isclose(dlat, dlon * math.cos(math.radians(55.455)), rel_tol=1e-9)
    assert incidents.cell_size((13, 55.4, 13, 55.4))[0] >= 0.0009  # about 100 m at least
    assert incidents.metre_cells(250, 55.4)[0] == pytest.approx(250 / 111_320)


def test_selection_by_area_org_and_category(real_engine, df):
    areas = _ids(real_engine, "SELECT name, id FROM area")
    orgs = _ids(real_engine, "SELECT short_name, id FROM organisation")
    cats = _ids(real_engine, "SELECT name, id FROM category")
    scope = Scope(
        window=ALL,
        label="",
        areas=(areas["Wirral"], areas["Vellinge"]),
        orgs=(orgs["Merseyside"],),
        categories=(cats["Stöld"],),
    )
    with real_engine.connect() as conn:
        got = incidents.compare(conn, scope=scope, viewer=EVERYONE, dims=("area",)).set_index(
            "area"
        )
    expected = df[(df.area_id == areas["Wirral"]) & (df.category == "Stöld")]
    assert got["current"].to_dict() == {areas["Wirral"]: len(expected)}


def test_points_and_listing_are_the_newest_first(real_engine, df):
    scope = Scope(window=UK_YEAR, label="")
    with real_engine.connect() as conn:
        pts = incidents.points(conn, scope=scope, viewer=EVERYONE, limit=50)
        lst = incidents.listing(conn, scope=scope, viewer=EVERYONE, limit=None)
    assert len(pts) == 50 and pts["occurred_at"].is_monotonic_decreasing
    assert len(lst) == len(_in(df, UK_YEAR))
    assert set(pts.columns) >= {"lat", "lon", "category", "group", "place", "organisation"}


def test_unit_window_counts_match_pandas(real_engine, df):
    recent = Window(dt.datetime(2020, 4, 3), dt.datetime(2020, 5, 1))
    baseline = Window(dt.datetime(2019, 4, 5), dt.datetime(2020, 4, 3))
    scope = Scope(window=recent, label="")
    with real_engine.connect() as conn:
        got = incidents.unit_window_counts(
            conn, scope=scope, viewer=EVERYONE, recent=recent, baseline=baseline, size=(0.01, 0.02)
        )
    places = got[got.kind == "plats"].set_index("place_id")
    exact = df[df.precision != "ungefar"]
    for column, window in [("recent", recent), ("baseline", baseline)]:
        expected = _in(exact, window).groupby("place_id").size()
        got_col = places[column][places[column] > 0]
        assert got_col.to_dict() == {int(k): v for k, v in expected.items()}, column
    assert got[got.kind == "cell"].empty  # every police.uk crime is at a place


def test_empty_database_gives_empty_frames(engine):
    scope = Scope(window=ALL, label="")
    with engine.connect() as conn:
        assert incidents.series(
            conn, scope=scope, viewer=EVERYONE, bucket="week", dims=("category",)
        ).empty
        assert incidents.weekday_hour(conn, scope=scope, viewer=EVERYONE).empty
        facts = incidents.map_facts(conn, scope=scope, viewer=EVERYONE, base=(0.01, 0.01))
        summary = incidents.summarise_map(facts, (0.01, 0.01))
        assert summary.extent is None and summary.cells.empty and not summary.area_counts
        assert incidents.totals(conn, scope=scope, viewer=EVERYONE) == {
            "occurrences": 0,
            "reports": 0,
        }
        assert incidents.unit_window_counts(
            conn, scope=scope, viewer=EVERYONE, recent=ALL, baseline=ALL, size=(1, 1)
        ).empty
