"""How incidents happen in the demo forum, read from `resources/demo/incidents.json`: category
weights and what kind of place boosts which, who reports what, descriptions, the rhythm of the
year, week and day, the planted hot spots and the busy nights."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lagesbild.demo.calendar import HISTORY_DAYS
from lagesbild.reference import load_json

_DATA = load_json("demo", "incidents.json")

BASE_CATEGORY_WEIGHT: dict[str, float] = _DATA["base_category_weight"]
KIND_BOOST: dict[str, dict[str, float]] = _DATA["kind_boost"]
SEASONAL: list[dict] = _DATA["seasonal"]  # {months, category, factor}, applied in order
REPORTERS: dict[str, dict[str, float]] = _DATA["reporters"]
DESCRIPTIONS: dict[str, list[str]] = _DATA["descriptions"]
DAYTIME_GROUP: str = _DATA["daytime_group"]  # its categories follow the daytime profile

SEASON = np.array(_DATA["season"])  # per month
WEEKDAY = np.array(_DATA["weekday"])  # Monday first
EVENING = np.array(_DATA["hours"]["evening"])  # per hour, weekdays
WEEKEND_NIGHT = np.array(_DATA["hours"]["weekend_night"])  # per hour, Saturday and Sunday
DAYTIME = np.array(_DATA["hours"]["daytime"])


@dataclass(frozen=True)
class Surge:
    """A hot spot: extra incidents at one place, for a while."""

    place: str
    categories: dict[str, float]
    start_days_ago: int
    end_days_ago: int
    peak_per_day: float
    rising: bool = False  # ramps up towards the end instead of staying flat
    months: tuple[int, ...] = ()  # if set: repeats every year in these months only


SURGES = [
    Surge(
        place=s["place"],
        categories=s["categories"],
        start_days_ago=HISTORY_DAYS if s["start_days_ago"] is None else s["start_days_ago"],
        end_days_ago=s["end_days_ago"],
        peak_per_day=s["peak_per_day"],
        rising=s["rising"],
        months=tuple(s["months"]),
    )
    for s in _DATA["surges"]
]


@dataclass(frozen=True)
class SpecialNight:
    """A night when the whole municipality is busier, with its own kinds of incidents."""

    month: int
    day: int
    categories: dict[str, float]
    per_night: float  # extra incidents at the default volume


SPECIAL_NIGHTS = [
    SpecialNight(int(n["day"][:2]), int(n["day"][3:]), n["categories"], n["per_night"])
    for n in _DATA["special_nights"]
]
