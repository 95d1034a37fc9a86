"""A tiny Streamlit component of our own for positions: the report map that returns the exact
point clicked (a pydeck chart only tells which drawn object was picked, which forced a grid of
~500 m cells), and "Använd min position" (the browser's geolocation).

The page is `position_page.HTML`, written once to a folder for Streamlit to serve; it loads
nothing from the network but the optional map tiles."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import streamlit.components.v1 as components

from lagesbild import fmt, geo
from lagesbild.ui.position_page import HTML

DENIED = 1


@cache
def _component():
    digest = hashlib.sha256(HTML.encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"lagesbild-position-{digest}"
    folder.mkdir(exist_ok=True)
    page = folder / "index.html"
    if not page.exists() or page.read_text(encoding="utf-8") != HTML:
        page.write_text(HTML, encoding="utf-8")
    return components.declare_component("lagesbild_position", path=str(folder))


def locate_button(key: str) -> dict | None:
    """The button; its last answer ({kind: position|error, …}) or None."""
    return _component()(mode="locate", key=key, default=None)


def click_map(
    key: str,
    *,
    box: tuple[float, float, float, float],
    boundary: dict | None,
    areas: list[dict],
    places: list[dict],
    selected: tuple[float, float] | None,
    tiles: str | None,
    height: int = 380,
) -> dict | None:
    """The picking map; its last answer ({kind: click, lat, lon, n}) or None."""
    return _component()(
        mode="map",
        box=list(box),
        boundary=boundary,
        areas=areas,
        places=places,
        selected=list(selected) if selected else None,
        tiles=tiles,
        height=height,
        key=key,
        default=None,
    )


@dataclass(frozen=True)
class Fix:
    """What to do with an answer from the phone: a point to use, or a message why not."""

    lat: float | None = None
    lon: float | None = None
    message: str = ""
    ok: bool = False


def judge(answer: dict | None, boundary: dict | None, municipality: str) -> Fix | None:
    """A geolocation answer checked against the municipality; None when there is none."""
    if not answer:
        return None
    if answer.get("kind") == "error":
        if answer.get("code") == DENIED:
            return Fix(
                message="Du har inte gett webbläsaren lov att använda din position. Tillåt "
                "platsåtkomst för sidan i webbläsarens inställningar, eller välj platsen på "
                "kartan."
            )
        return Fix(
            message="Det gick inte att hämta din position just nu. Försök igen utomhus, "
            "eller välj platsen på kartan."
        )
    lat, lon = float(answer["lat"]), float(answer["lon"])
    accuracy = float(answer.get("accuracy") or 0)
    if boundary is not None and not geo.contains(boundary, lat, lon):
        return Fix(
            message=f"Din position ({fmt.decimal(lat, 5)}, {fmt.decimal(lon, 5)}) ligger utanför "
            f"{municipality} kommun och kan inte användas. Välj platsen på kartan i stället."
        )
    return Fix(
        lat=round(lat, 5),
        lon=round(lon, 5),
        ok=True,
        message=f"Din position används, med en noggrannhet på ungefär "
        f"{fmt.integer(round(accuracy))} meter.",
    )
