"""Names on the map (areas, places, hot spots): text layers, where each name sits and
which names are left out so that none overlap at the map's view."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk

from lagesbild import geo
from lagesbild.ui.maps.style import AREA_LINE, circles
from lagesbild.ui.maps.view import _mercator_y

LABEL_FONT = '"Source Sans Pro, Arial, sans-serif"'  # no quotes inside: pydeck strips them
INK = [33, 37, 41, 255]
HALO = [255, 255, 255, 235]


def _labels(
    layer_id: str, data: pd.DataFrame, size: int, colour: list[int], **style
) -> list[pdk.Layer]:
    """Text at lon/lat (column `name`), with a white halo so it reads on land, sea and tiles.
    The character set is taken from the names themselves (å, ä, ö)."""
    if data.empty:
        return []
    return [
        pdk.Layer(
            "TextLayer",
            data,
            id=layer_id,
            get_position=["lon", "lat"],
            get_text="name",
            get_size=size,
            get_color=colour,
            font_family=LABEL_FONT,
            character_set="'auto'",
            font_settings={"sdf": True, "buffer": 6},
            outline_width=2,
            outline_color=HALO,
            pickable=False,
            **style,
        )
    ]


# Text size and where a name sits from its point (pixels, downwards), per kind of name.
AREA_NAME = (15, 12)  # areas: just below the centre
PLACE_NAME = (14, -14)  # places: above their dot
HOTSPOT_NAME = (15, 26)  # hot spots: below their ring
CHAR_EM = 0.56  # a character's average width in the label font, in ems (bold: a little wider)
LABEL_GAP_PX = 6  # names closer than this on the screen count as overlapping


@dataclass(frozen=True)
class Label:
    """A name at a point, as deck.gl draws it: `size` px tall, centred `dy` px below it."""

    name: str
    lat: float
    lon: float
    size: int
    dy: int
    bold: bool = False

    def box(self, view: pdk.ViewState) -> tuple[float, float, float, float]:
        """Where the text lands on the screen (left, top, right, bottom), in pixels from the
        map's centre with y downwards; the halo included."""
        world = 512 * 2**view.zoom
        x = (self.lon - view.longitude) / 360 * world
        y = (_mercator_y(view.latitude) - _mercator_y(self.lat)) * world + self.dy
        half_w = len(self.name) * self.size * (CHAR_EM + (0.04 if self.bold else 0)) / 2 + 2
        half_h = self.size * 0.65
        return (x - half_w, y - half_h, x + half_w, y + half_h)


def _overlap(a: tuple, b: tuple, gap: float = LABEL_GAP_PX) -> bool:
    return not (
        a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1]
    )


def thin(
    labels: list[Label], view: pdk.ViewState, taken: list[Label] = ()
) -> tuple[list[Label], list[Label]]:
    """The names that can be read at the view: in the given order (most important first),
    each is kept unless it would overlap a name already kept (or one of `taken`, drawn by
    another layer). Returns (kept, left out)."""
    boxes = [t.box(view) for t in taken]
    kept, left = [], []
    for label in labels:
        box = label.box(view)
        if any(_overlap(box, other) for other in boxes):
            left.append(label)
        else:
            kept.append(label)
            boxes.append(box)
    return kept, left


def _frame(labels: list[Label]) -> pd.DataFrame:
    return pd.DataFrame(
        {"name": [la.name for la in labels], "lat": [la.lat for la in labels],
         "lon": [la.lon for la in labels]}
    )  # fmt: skip


def area_names(areas: pd.DataFrame) -> list[Label]:
    size, dy = AREA_NAME
    found = []
    for row in areas.itertuples():
        point = geo.centroid(row.geojson)
        if point:
            found.append(Label(row.name, point[0], point[1], size, dy, bold=True))
    return found


def placed_area_names(
    areas: pd.DataFrame, view: pdk.ViewState | None = None, taken: list[Label] = ()
) -> list[Label]:
    """Each area's name at its centre; at a given view, an area name that would cover a
    name in `taken` (hot spots) or another area's is moved a line up or down, and left out
    only when neither is free."""
    found = area_names(areas)
    if view is None:
        return found
    placed: list[Label] = []
    for label in found:
        for dy in (label.dy, label.dy - 22, label.dy + 22):
            moved = Label(label.name, label.lat, label.lon, label.size, dy, True)
            if thin([moved], view, [*taken, *placed])[0]:
                placed.append(moved)
                break
    return placed


def area_labels(
    areas: pd.DataFrame, view: pdk.ViewState | None = None, taken: list[Label] = ()
) -> list[pdk.Layer]:
    return _area_layers(placed_area_names(areas, view, taken))


def _area_layers(placed: list[Label]) -> list[pdk.Layer]:
    layers = []
    for dy in sorted({la.dy for la in placed}):
        layers += _labels(
            "omradesnamn" if dy == AREA_NAME[1] else f"omradesnamn_{dy}",
            _frame([la for la in placed if la.dy == dy]),
            AREA_NAME[0],
            [*AREA_LINE[:3], 255],
            font_weight=700,
            get_pixel_offset=[0, dy],
        )
    return layers


PROMINENT = 8  # place names always shown: the most reported (and a searched one)
SPACING_M = 1500  # …at least this far apart (without a view: with one, nothing may overlap)
NEAR_NAME_M = 55  # other place names are this many metres tall: readable once zoomed in


def place_labels(
    places: pd.DataFrame,
    prominent: dict[str, float] | None = None,
    skip: set[str] = frozenset(),
    view: pdk.ViewState | None = None,
    taken: list[Label] = (),
) -> list[pdk.Layer]:
    """Place names just above the place. At most PROMINENT names, the highest weight in
    `prominent` (name → e.g. reports) first, are always readable: at a given view only those
    that overlap no other name (nor one in `taken`), else those SPACING_M apart. The others
    are sized in metres, so they grow legible as the user zooms in instead of cluttering the
    whole municipality. Names in `skip` are labelled by another layer (hot spots)."""
    prominent = prominent or {}
    places = places[~places["name"].isin(skip)].dropna(subset=["lat", "lon"])
    data = pd.DataFrame({"name": places["name"], "lat": places["lat"], "lon": places["lon"]})
    where = {r.name: (r.lat, r.lon) for r in data.itertuples()}
    size, dy = PLACE_NAME
    ranked = [n for _, n in sorted((w, n) for n, w in prominent.items() if w > 0 and n in where)]
    ranked.reverse()
    if view is not None:
        candidates = [Label(n, *where[n], size, dy, bold=True) for n in ranked]
        top = {la.name for la in thin(candidates, view, list(taken))[0][:PROMINENT]}
    else:
        spaced: dict[str, tuple[float, float]] = {}
        for name in ranked:
            # one readable name per neighbourhood: the most reported, the rest wait for a zoom
            if len(spaced) < PROMINENT and all(
                _metres(where[name], p) > SPACING_M for p in spaced.values()
            ):
                spaced[name] = where[name]
        top = set(spaced)
    chosen = data["name"].isin(top)
    return _labels(
        "platsnamn", data[chosen], size, INK, get_pixel_offset=[0, dy], font_weight=600
    ) + _labels(
        "platsnamn_nara",
        data[~chosen],
        NEAR_NAME_M,
        INK,
        size_units="'meters'",
        size_max_pixels=14,
        get_pixel_offset=[0, -12],
    )


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = (a[0] - b[0]) * 111_320
    dlon = (a[1] - b[1]) * 111_320 * math.cos(math.radians(a[0]))
    return math.hypot(dlat, dlon)


def place_dots(places: pd.DataFrame) -> list[pdk.Layer]:
    """The forum's places as small dark rings, so a label points at something."""
    if places.empty:
        return []
    data = pd.DataFrame(
        {"lat": places["lat"], "lon": places["lon"], "tooltip": places["name"]}
    ).dropna(subset=["lat", "lon"])
    return circles(
        "platser",
        data,
        get_radius=3,
        filled=True,
        get_fill_color=[255, 255, 255, 230],
        get_line_color=[60, 60, 60, 230],
        line_width_min_pixels=1,
    )


def hotspot_names(spots: pd.DataFrame, view: pdk.ViewState | None = None) -> list[Label]:
    """The hot spots' names that are drawn: the strongest first; a neighbour whose name would
    overlap (at the view; without one, within SPACING_M / 3) is left to the table."""
    if spots.empty:
        return []
    size, dy = HOTSPOT_NAME
    ordered = [
        Label(r.name, r.lat, r.lon, size, dy, bold=True)
        for r in spots.sort_values("ratio", ascending=False).itertuples()
    ]
    if view is not None:
        return thin(ordered, view)[0]
    kept: list[Label] = []
    for label in ordered:
        if all(_metres((label.lat, label.lon), (k.lat, k.lon)) > SPACING_M / 3 for k in kept):
            kept.append(label)
    return kept


def names(
    areas: pd.DataFrame,
    places: pd.DataFrame,
    prominent: dict[str, float] | None = None,
    skip: set[str] = frozenset(),
    view: pdk.ViewState | None = None,
    hotspots: pd.DataFrame | None = None,
) -> list[pdk.Layer]:
    """The forum's places as dots with their names, and every area's name: drawn last, on
    top of everything else. With the map's view, no two names overlap there: the hot spots'
    names (drawn by hotspot_layer with the same view) come first, then the areas', then the
    most reported places'."""
    taken = hotspot_names(hotspots, view) if view is not None and hotspots is not None else []
    placed = placed_area_names(areas, view, taken)
    return (
        place_dots(places)
        + place_labels(places, prominent, skip, view, [*taken, *placed])
        + _area_layers(placed)
    )
