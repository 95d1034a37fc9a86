"""The demo's scenario files: every name they use resolves, every value is one the product
knows, and the calendar reads each way of writing a day."""

import datetime as dt

import pytest

from lagesbild.demo.calendar import day_in, moment_in, special_day_factor
from lagesbild.demo.patterns import SPECIAL_NIGHTS, SURGES
from lagesbild.models import ActionStatus, ActionType, EventKind, Horizon, Impact, UnsafeReason
from lagesbild.reference import load_json

VELLINGE = load_json("demo", "vellinge.json")
PLACES = {p["name"] for p in VELLINGE["places"]}
AREAS = {a["name"] for a in VELLINGE["areas"]}
ORGS = {o["key"] for o in VELLINGE["organisations"]}
CATEGORIES = {c for g in load_json("categories.json")["groups"] for c in g["categories"]}


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("04-30", 2026, dt.date(2026, 4, 30)),
        ("12-31+1", 2026, dt.date(2027, 1, 1)),
        ("school_end", 2026, dt.date(2026, 6, 12)),  # Friday of ISO week 24
        ("midsummer_eve", 2026, dt.date(2026, 6, 19)),
        ("midsummer_eve+1", 2025, dt.date(2025, 6, 21)),
        ("first_advent_saturday", 2026, dt.date(2026, 11, 28)),
        ("isoweek 28 1", 2026, dt.date(2026, 7, 6)),
        ("isoweek 7 5", 2026, dt.date(2026, 2, 13)),
        ("nth_weekday 9 5 2", 2026, dt.date(2026, 9, 12)),  # second Saturday of September
    ],
)
def test_every_way_of_writing_a_day(text, year, expected):
    assert day_in(year, text) == expected


def test_a_moment_is_a_day_and_a_time():
    assert moment_in(2026, ["12-31+1", "04:00"]) == dt.datetime(2027, 1, 1, 4, 0)


def test_special_days_are_busier_and_ordinary_days_are_not():
    assert special_day_factor(dt.date(2026, 4, 30)) == 3.2
    assert special_day_factor(dt.date(2026, 6, 19)) == 2.0  # midsommarafton
    assert special_day_factor(dt.date(2026, 2, 11)) == 1.2  # sportlov, a Wednesday
    assert special_day_factor(dt.date(2026, 2, 14)) == 1.0  # sportlov's Saturday
    assert special_day_factor(dt.date(2026, 3, 11)) == 1.0


def test_incident_patterns_name_real_categories_places_and_organisations():
    data = load_json("demo", "incidents.json")
    assert set(data["base_category_weight"]) == CATEGORIES
    assert set(data["reporters"]) == CATEGORIES
    assert set(data["descriptions"]) == CATEGORIES
    assert all(data["descriptions"][c] for c in CATEGORIES)
    assert {k for r in data["reporters"].values() for k in r} <= ORGS
    assert set(data["kind_boost"]) <= {p["kind"] for p in VELLINGE["places"]}  # none unused
    for boost in data["kind_boost"].values():
        assert set(boost) <= CATEGORIES
    assert {s["category"] for s in data["seasonal"]} <= CATEGORIES
    assert data["daytime_group"] in {g["name"] for g in load_json("categories.json")["groups"]}
    assert len(data["season"]) == 12 and len(data["weekday"]) == 7
    assert all(len(profile) == 24 for profile in data["hours"].values())
    for surge in SURGES:
        assert surge.place in PLACES and set(surge.categories) <= CATEGORIES
    for night in SPECIAL_NIGHTS:
        assert set(night.categories) <= CATEGORIES
        dt.date(2024, night.month, night.day)


def test_actions_name_real_places_categories_organisations_and_values():
    data = load_json("demo", "actions.json")
    for a in data["decided"]:
        assert a["place"] in PLACES and a["owner"] in ORGS
        assert set(a["categories"]) <= CATEGORIES
        ActionType(a["type"]), Horizon(a["horizon"]), ActionStatus(a["status"])
    assert {s for s in (ActionStatus(a["status"]) for a in data["decided"])} == set(ActionStatus)
    for t in data["routine"]["templates"]:
        assert "{p}" in t["title"] and t["owner"] in ORGS
        assert set(t["categories"]) <= CATEGORIES
        ActionType(t["type"])
    assert set(data["responsible_role"]) <= ORGS


def test_events_meetings_and_observations_name_real_things():
    for e in load_json("demo", "events.json")["events"]:
        assert e["place"] is None or e["place"] in PLACES
        assert e["area"] is None or e["area"] in AREAS
        EventKind(e["kind"]), Impact(e["impact"])
        assert moment_in(2026, e["starts"]) <= moment_in(2026, e["ends"])
    meetings = load_json("demo", "meetings.json")
    assert set(meetings["always"]) | set(meetings["regulars"]) <= ORGS
    assert set(meetings["focus_places"]) <= PLACES
    observations = load_json("demo", "observations.json")
    assert set(observations["texts"]) == {r.value for r in UnsafeReason} - {"annat"}
    assert set(observations["reporters"]) <= ORGS
    for walk in observations["walks"]:
        assert walk["area"] in AREAS and set(walk["route"]) <= PLACES
