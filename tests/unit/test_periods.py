"""Reporting periods: quarters, tertials and years, their comparisons, and the short codes
used in links and file names."""

import datetime as dt

import pytest

from lagesbild import periods
from lagesbild.periods import ReportPeriod

TODAY = dt.date(2026, 11, 22)


def test_quarters_tertials_and_years_cover_their_months():
    q = ReportPeriod("kvartal", 2026, 3)
    assert (q.first_day, q.end_day) == (dt.date(2026, 7, 1), dt.date(2026, 10, 1))
    t = ReportPeriod("tertial", 2026, 3)
    assert (t.first_day, t.end_day) == (dt.date(2026, 9, 1), dt.date(2027, 1, 1))
    y = ReportPeriod("ar", 2025, 1)
    assert (y.first_day, y.end_day) == (dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    assert q.name == "Kvartal 3 2026" and t.name == "Tertial 3 2026" and y.name == "År 2025"


def test_shifting_crosses_the_new_year():
    assert ReportPeriod("kvartal", 2026, 1).shifted(-1) == ReportPeriod("kvartal", 2025, 4)
    assert ReportPeriod("tertial", 2025, 3).shifted(1) == ReportPeriod("tertial", 2026, 1)
    assert ReportPeriod("ar", 2026, 1).shifted(-2) == ReportPeriod("ar", 2024, 1)


def test_a_finished_quarter_is_compared_with_whole_quarters():
    q = ReportPeriod("kvartal", 2026, 3)
    assert q.is_complete(TODAY)
    assert q.window(TODAY).start == dt.datetime(2026, 7, 1)
    assert q.window(TODAY).end == dt.datetime(2026, 10, 1)
    assert q.previous_window(TODAY).start == dt.datetime(2026, 4, 1)
    assert q.previous_window(TODAY).end == dt.datetime(2026, 7, 1)
    assert q.last_year_window(TODAY).start == dt.datetime(2025, 7, 1)
    assert q.last_year_window(TODAY).end == dt.datetime(2025, 10, 1)
    assert q.label(TODAY) == "Kvartal 3 2026"


def test_a_quarter_under_way_is_compared_day_for_day():
    q = ReportPeriod("kvartal", 2026, 4)
    assert not q.is_complete(TODAY)
    window = q.window(TODAY)
    assert window.end == dt.datetime(2026, 11, 23)  # today included
    length = window.end - window.start
    before = q.previous_window(TODAY)
    assert before.start == dt.datetime(2026, 7, 1) and before.end - before.start == length
    last_year = q.last_year_window(TODAY)
    assert last_year.start == dt.datetime(2025, 10, 1)
    assert last_year.end - last_year.start == length
    assert q.label(TODAY) == "Kvartal 4 2026 (t.o.m. 2026-11-22)"


def test_codes_round_trip_and_nonsense_is_refused():
    for p in (ReportPeriod("kvartal", 2026, 3), ReportPeriod("tertial", 2025, 1)):
        assert periods.parse(p.code) == p
    assert periods.parse("2024") == ReportPeriod("ar", 2024, 1)
    assert periods.parse("2026-k2") == ReportPeriod("kvartal", 2026, 2)
    for bad in ("", "2026-K5", "2026-X1", "kvartal", "26-K1", "2026-T4"):
        with pytest.raises(ValueError):
            periods.parse(bad)


def test_choices_run_from_the_current_period_back_to_the_first_data():
    options = periods.choices("kvartal", TODAY, dt.date(2025, 5, 3))
    assert options[0] == ReportPeriod("kvartal", 2026, 4)
    assert options[-1] == ReportPeriod("kvartal", 2025, 2)
    assert len(options) == 7
    assert periods.latest_complete("kvartal", TODAY) == ReportPeriod("kvartal", 2026, 3)
    assert periods.latest_complete("ar", TODAY) == ReportPeriod("ar", 2025, 1)
    # The last day of a quarter completes it.
    assert periods.latest_complete("kvartal", dt.date(2026, 9, 30)) == ReportPeriod(
        "kvartal", 2026, 3
    )
