"""Place search: a search box over the forum's places and areas, and the ring around the
place found."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk
import streamlit as st

from lagesbild import geo
from lagesbild.ui.maps.legend import Key
from lagesbild.ui.maps.style import circles

NEAR_M = 450  # half the width of the view around a searched place, metres


@dataclass(frozen=True)
class Target:
    """Something to find on the map: a place or an area, where it is and what to frame."""

    label: str
    name: str
    lat: float
    lon: float
    box: tuple[float, float, float, float]


def around(lat: float, lon: float, metres: float) -> tuple[float, float, float, float]:
    dlat = metres / 111_320
    dlon = metres / (111_320 * math.cos(math.radians(lat)))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def targets(places: pd.DataFrame, areas: pd.DataFrame) -> dict[str, Target]:
    """Every active place ("Name (area)") and area ("Name (område)") that has a position,
    by the label offered in the search box; places first, both in name order."""
    found: dict[str, Target] = {}
    if places.empty and areas.empty:  # a new forum: no lists yet (and no columns)
        return found
    active = places[places["active"]] if "active" in places else places
    for row in (active.sort_values("name") if not active.empty else active).itertuples():
        if pd.isna(row.lat) or pd.isna(row.lon):
            continue
        label = f"{row.name} ({row.area})" if isinstance(row.area, str) else row.name
        found[label] = Target(label, row.name, row.lat, row.lon, around(row.lat, row.lon, NEAR_M))
    live = areas[areas["active"]] if "active" in areas else areas
    for row in (live.sort_values("name") if not live.empty else live).itertuples():
        point = geo.centroid(row.geojson)
        if point:
            label = f"{row.name} (område)"
            found[label] = Target(label, row.name, point[0], point[1], geo.bbox(row.geojson))
    return found


def place_search(key: str, places: pd.DataFrame, areas: pd.DataFrame) -> Target | None:
    """A search box over the forum's places and areas; the chosen one, or None."""
    found = targets(places, areas)
    choice = st.selectbox(
        "Sök plats eller område",
        list(found),
        index=None,
        key=key,
        placeholder="Skriv ett namn, t.ex. en skola eller ett torg",
        help="Kartan flyttas dit. Listan innehåller forumets platser och områden.",
    )
    return found.get(choice)


def searched_layer(target: Target | None) -> list[pdk.Layer]:
    """A ring around the searched place."""
    if target is None:
        return []
    return circles(
        "sokt",
        pd.DataFrame({"lat": [target.lat], "lon": [target.lon], "tooltip": [target.name]}),
        get_radius=16,
        filled=False,
        get_line_color=[11, 92, 173, 255],
        line_width_min_pixels=3,
    )


SEARCHED_KEY = Key("◯", "#0B5CAD", "sökt plats")
