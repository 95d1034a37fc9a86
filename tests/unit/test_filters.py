"""The shared filter: periods, resolution to ids, and the URL round trip."""

import datetime as dt

import pytest

from lagesbild import clock
from lagesbild.filters import (
    DEFAULT_PERIOD,
    EARLIEST,
    Filters,
    Known,
    Period,
    Window,
    from_query,
    period_window,
    resolve,
    to_query,
)

NOW = dt.datetime(2026, 11, 21, 20, 0)
KNOWN = Known(
    groups=frozenset({1, 2}),
    categories=frozenset({10, 11, 20}),
    areas=frozenset({5, 6}),
    places=frozenset({100, 101}),
    orgs=frozenset({7}),
    category_group={10: 1, 11: 1, 20: 2},
    place_area={100: 5, 101: 6},
)


@pytest.mark.parametrize(
    ("period", "start"),
    [
        (Period.DAYS_7, dt.datetime(2026, 11, 14, 21)),
        (Period.DAYS_30, dt.datetime(2026, 10, 22, 21)),
        (Period.DAYS_90, dt.datetime(2026, 8, 23, 21)),
        (Period.QUARTER, dt.datetime(2026, 10, 1)),
        (Period.YEAR, dt.datetime(2026, 1, 1)),
    ],
)
def test_rolling_and_calendar_periods(period, start):
    """Up to now means up to the end of the hour that holds every report accepted so far (up to
    `clock.AHEAD` ahead): at 20:00, until 21:00."""
    window, label = period_window(Filters(period=period), NOW, None)
    assert window == Window(start, dt.datetime(2026, 11, 21, 21)) and label
    assert window.end >= NOW + clock.AHEAD


def test_since_last_meeting_uses_the_previous_meeting():
    window, label = period_window(
        Filters(period=Period.SINCE_MEETING), NOW, dt.datetime(2026, 11, 17, 9)
    )
    assert window.start == dt.datetime(2026, 11, 17, 9) and "2026-11-17 09:00" in label
    fallback, label = period_window(Filters(period=Period.SINCE_MEETING), NOW, None)
    assert fallback.end == dt.datetime(2026, 11, 21, 21)
    assert fallback.start == fallback.end - dt.timedelta(days=7) and "inget tidigare möte" in label


def test_custom_period_includes_its_last_day():
    f = Filters(period=Period.CUSTOM, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    window, label = period_window(f, NOW, None)
    assert window == Window(dt.datetime(2026, 1, 1), dt.datetime(2026, 4, 1))
    assert label == "2026-01-01 – 2026-03-31"


def test_all_time_starts_at_the_first_incident():
    window, _ = period_window(Filters(period=Period.ALL), NOW, None, dt.datetime(2023, 11, 22))
    assert window.start == dt.datetime(2023, 11, 22)


def test_comparison_windows():
    scope = resolve(Filters(period=Period.QUARTER), KNOWN, NOW, None)
    assert scope.previous.window.end == scope.window.start
    assert scope.previous.window.days == scope.window.days
    assert scope.last_year.window == Window(dt.datetime(2025, 10, 1), dt.datetime(2025, 11, 21, 21))
    leap = Window(dt.datetime(2028, 2, 29), dt.datetime(2028, 3, 1)).year_before()
    assert leap.start == dt.datetime(2027, 2, 28)


def test_sub_types_narrow_their_groups_and_places_narrow_areas():
    scope = resolve(Filters(groups=(1,)), KNOWN, NOW, None)
    assert scope.categories == (10, 11)
    scope = resolve(Filters(groups=(1,), categories=(11,)), KNOWN, NOW, None)
    assert scope.categories == (11,)
    scope = resolve(Filters(areas=(5,), places=(100,)), KNOWN, NOW, None)
    assert scope.places == (100,) and scope.areas == ()


def test_url_round_trip():
    f = Filters(
        period=Period.CUSTOM,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 2, 1),
        groups=(2,),
        categories=(20,),
        areas=(5, 6),
        places=(101,),
        orgs=(7,),
    )
    params = to_query(f)
    assert params == {
        "period": "egen",
        "fran": "2026-01-01",
        "till": "2026-02-01",
        "grupp": "2",
        "kategori": "20",
        "omrade": "5,6",
        "plats": "101",
        "org": "7",
    }
    again, notices = from_query(params, KNOWN)
    assert again == f and notices == []
    assert to_query(Filters()) == {}


@pytest.mark.parametrize(
    ("params", "expected", "notice"),
    [
        ({"period": "igår"}, Filters(), "Okänd period"),
        (
            {"period": "egen", "fran": "2026-13-40", "till": "2026-01-01"},
            Filters(),
            "inte ett datum",
        ),
        ({"period": "egen", "fran": "2026-02-01"}, Filters(), "saknar"),
        ({"omrade": "5,99,x"}, Filters(areas=(5,)), "Okänd område"),
        ({"kategori": ["10", "10", "1;drop table"]}, Filters(categories=(10,)), "Okänd kategori"),
        ({"org": "<script>"}, Filters(), "Okänd organisation"),
    ],
)
def test_malformed_links_are_ignored_with_a_notice(params, expected, notice):
    got, notices = from_query(params, KNOWN)
    assert got == expected
    assert any(notice in n for n in notices), notices


def test_reversed_custom_dates_are_swapped():
    got, notices = from_query({"period": "egen", "fran": "2026-03-01", "till": "2026-01-01"}, KNOWN)
    assert (got.start, got.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 1))
    assert notices and got.period is Period.CUSTOM


def test_default_period_is_thirty_days():
    assert DEFAULT_PERIOD is Period.DAYS_30


@pytest.mark.parametrize(
    ("start", "end", "expected", "moved"),
    [
        ("0001-01-01", "9999-12-31", (EARLIEST, NOW.date()), 2),
        ("1969-12-31", "1970-01-01", (EARLIEST, EARLIEST), 1),
        ("2026-11-01", "2027-01-01", (dt.date(2026, 11, 1), NOW.date()), 1),
        ("9999-01-01", "9999-12-31", (NOW.date(), NOW.date()), 2),
        ("1970-01-01", "2026-11-21", (EARLIEST, NOW.date()), 0),
    ],
)
def test_dates_outside_what_can_be_shown_are_moved_inside_with_a_notice(
    start, end, expected, moved
):
    got, notices = from_query({"period": "egen", "fran": start, "till": end}, KNOWN, NOW.date())
    assert (got.start, got.end) == expected
    assert len([n for n in notices if "utanför det som kan visas" in n]) == moved, notices
    scope = resolve(got, KNOWN, NOW, None)  # and every comparison window can be computed
    assert scope.previous.window.end == scope.window.start
    assert scope.last_year.window.start.year == scope.window.start.year - 1


def test_a_custom_period_given_in_code_is_kept_inside_too():
    f = Filters(period=Period.CUSTOM, start=dt.date(1, 1, 1), end=dt.date(9999, 12, 31))
    window, label = period_window(f, NOW, None)
    assert window == Window(dt.datetime(1970, 1, 1), dt.datetime(2026, 11, 22))
    assert label == "1970-01-01 – 2026-11-21"


def test_a_notice_repeats_at_most_a_short_line_of_the_address():
    _, notices = from_query({"period": "x" * 5000, "omrade": "y" * 5000}, KNOWN)
    assert notices and all(len(n) < 200 for n in notices), notices


@pytest.mark.parametrize(
    "period",
    [Period.SINCE_MEETING, Period.DAYS_7, Period.DAYS_30, Period.QUARTER, Period.YEAR, Period.ALL],
)
def test_a_period_up_to_now_ends_with_the_hour_and_stays_the_same_through_it(period):
    first, meeting = dt.datetime(2024, 3, 5, 10), dt.datetime(2026, 11, 17, 9)
    windows = {
        period_window(Filters(period=period), NOW + dt.timedelta(minutes=m), meeting, first)
        for m in (0, 17, 49, 50)
    }
    # 20.00 … 20.50 (+ the 10 minutes a report may lie ahead): one window, one cache entry
    assert len(windows) == 1, windows
    ((window, _),) = windows
    assert window.end == dt.datetime(2026, 11, 21, 21, 0)
    assert (
        period_window(Filters(period=period), NOW + dt.timedelta(minutes=51), meeting, first)[0]
        != window
    )


def test_the_last_days_are_counted_back_from_the_end_of_the_hour():
    at = dt.datetime(2026, 11, 21, 14, 20)
    window, _ = period_window(Filters(period=Period.DAYS_7), at, None)
    assert window == Window(dt.datetime(2026, 11, 14, 15), dt.datetime(2026, 11, 21, 15))


def test_the_last_hour_of_the_year_is_still_this_year():
    late = dt.datetime(2026, 12, 31, 23, 30)
    window, label = period_window(Filters(period=Period.YEAR), late, None)
    assert window == Window(dt.datetime(2026, 1, 1), dt.datetime(2027, 1, 1))
    assert label == "År 2026"
    window, label = period_window(Filters(period=Period.QUARTER), late, None)
    assert window.start == dt.datetime(2026, 10, 1) and label == "Kvartal 4 2026"
