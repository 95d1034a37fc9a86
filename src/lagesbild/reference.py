"""Reference data shipped inside the package (`lagesbild/resources/`): default categories,
the names behind the personal-data check, the demo forum and municipal boundaries.

Read through `importlib.resources`, so an installed wheel finds them wherever it lives; `data/`
at the top of the source tree is only for the runtime database."""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from sqlalchemy import select
from sqlalchemy.orm import Session

from lagesbild.models import Category, CategoryGroup, Setting

FORUM_NAME_KEY = "forum_name"
MUNICIPALITY_KEY = "municipality"  # the canonical name, e.g. "Vellinge"
MUNICIPALITY_CODE_KEY = "municipality_code"  # its four-digit code, e.g. "1233"


def resource(*parts: str) -> Traversable:
    """A file shipped in `lagesbild/resources/`."""
    return resources.files("lagesbild").joinpath("resources", *parts)


@cache
def load_json(*parts: str) -> dict:
    with resource(*parts).open(encoding="utf-8") as fh:
        return json.load(fh)


def seed_default_categories(session: Session) -> int:
    """Add the default EST categories to an installation that has none. Returns groups added."""
    if session.scalar(select(CategoryGroup.id).limit(1)) is not None:
        return 0
    groups = load_json("categories.json")["groups"]
    for g_order, group in enumerate(groups):
        row = CategoryGroup(name=group["name"], colour=group["colour"], sort_order=g_order)
        row.categories = [
            Category(name=name, sort_order=c_order)
            for c_order, name in enumerate(group["categories"])
        ]
        session.add(row)
    session.flush()
    return len(groups)


def get_setting(session: Session, key: str, default: str = "") -> str:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def ellipse_polygon(lat: float, lon: float, rx_m: float, ry_m: float, n: int = 24) -> dict:
    """A GeoJSON polygon approximating an ellipse (east-west radius rx, north-south ry)."""
    dlat = ry_m / 111_320
    dlon = rx_m / (111_320 * math.cos(math.radians(lat)))
    ring = [
        [
            round(lon + dlon * math.cos(2 * math.pi * i / n), 6),
            round(lat + dlat * math.sin(2 * math.pi * i / n), 6),
        ]
        for i in range(n)
    ]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}
