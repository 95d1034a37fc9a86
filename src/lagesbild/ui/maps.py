"""pydeck layer builders. Only aggregated cells or a bounded number of points reach the
browser. A tooltip is one fixed HTML template whose fields (`tooltip`, the text, and `photo`,
a small picture's `data:` URL or "") Streamlit HTML-escapes before it fills them in, so
reported text cannot inject markup."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

import pandas as pd
import pydeck as pdk
import streamlit as st

from lagesbild import fmt, geo, labels

# A sequential scale (light yellow to dark red) for counts.
SCALE = [
    (255, 255, 178),
    (254, 217, 118),
    (254, 178, 76),
    (253, 141, 60),
    (240, 59, 32),
    (189, 0, 38),
]
BOUNDARY = [40, 40, 40, 220]
AREA_LINE = [31, 97, 141, 230]
UNSAFE = [216, 27, 96, 240]
ACTION = [0, 137, 123, 240]
EVENT = [249, 168, 37, 240]
SPREAD_M = 22  # spacing of incidents spread around a shared position, metres
APPROX = [90, 90, 90, 200]
# The picture floats right of the text; with no photo (src="") it takes no room.
TOOLTIP = {
    "html": (
        '<img src="{photo}" alt="" style="float:right;max-width:96px;max-height:96px;'
        'margin-left:10px;border-radius:4px">'
        '<div style="white-space:pre-line">{tooltip}</div>'
    ),
    "style": {
        "fontSize": "15px",
        "backgroundColor": "#0E1822",
        "color": "white",
        "maxWidth": "420px",
    },
}
NO_PHOTO = ""


def scale_colour(value: float, top: float, alpha: int = 190) -> list[int]:
    if top <= 0 or value <= 0:
        return [*SCALE[0], 60]
    step = min(len(SCALE) - 1, int(math.sqrt(value / top) * (len(SCALE) - 1) + 0.5))
    return [*SCALE[step], alpha]


def circles(layer_id: str, data: pd.DataFrame, **style) -> list[pdk.Layer]:
    """Circles at lon/lat with a radius in screen pixels, outlined, showing their tooltip."""
    return [
        pdk.Layer(
            "ScatterplotLayer",
            data,
            id=layer_id,
            get_position=["lon", "lat"],
            radius_units="'pixels'",
            stroked=True,
            pickable=True,
            **style,
        )
    ]


def hex_rgb(colour: str, alpha: int = 230) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


def covering(*boxes: tuple[float, float, float, float] | None):
    """The smallest box (min_lon, min_lat, max_lon, max_lat) holding all the given boxes."""
    found = [b for b in boxes if b]
    if not found:
        return None
    return (
        min(b[0] for b in found),
        min(b[1] for b in found),
        max(b[2] for b in found),
        max(b[3] for b in found),
    )


MARGIN = 0.08  # share of the map left free on every side around what it frames


def view_for(
    box: tuple[float, float, float, float] | None,
    width_px: int = 1000,
    height_px: int = 640,
    margin: float = MARGIN,
    legend: tuple[int, int] = (0, 0),
) -> pdk.ViewState:
    """A view that fits a bounding box (min_lon, min_lat, max_lon, max_lat) into a map of
    at least width_px × height_px with `margin` of it free on each side (Web Mercator), clear
    of a legend of `legend` = (width, height) pixels in the map's upper left corner: the box
    goes to the right of the legend or below it, whichever draws it larger."""
    if box is None:
        return pdk.ViewState(latitude=62.0, longitude=16.0, zoom=4)
    min_lon, min_lat, max_lon, max_lat = box
    lon_span = max(max_lon - min_lon, 0.005)
    y_span = max(_mercator_y(max_lat) - _mercator_y(min_lat), 0.003 / 360)
    legend_w, legend_h = legend

    def zoom_in(width: float, height: float) -> float:
        # deck.gl's world is 512 px wide at zoom 0: x in [0, 1) spans 512 · 2^zoom pixels
        return min(
            math.log2(width * (1 - 2 * margin) * 360 / (512 * lon_span)),
            math.log2(height * (1 - 2 * margin) / (512 * y_span)),
        )

    beside = zoom_in(max(width_px - legend_w, 1), height_px)
    below = zoom_in(width_px, max(height_px - legend_h, 1))
    shift_x, shift_y = (legend_w, 0) if beside >= below else (0, legend_h)
    zoom = max(3.0, min(16.0, max(beside, below)))
    world = 512 * 2**zoom
    # the box's centre sits right of (or below) the legend, in the middle of what is left
    centre_y = (_mercator_y(min_lat) + _mercator_y(max_lat)) / 2 + shift_y / 2 / world
    return pdk.ViewState(
        latitude=_mercator_lat(centre_y),
        longitude=(min_lon + max_lon) / 2 - shift_x / 2 / world * 360,
        zoom=zoom,
    )


def _mercator_y(lat: float) -> float:
    """Web Mercator y in world units (0 at the equator, the world is 1 wide)."""
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


def _mercator_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y * 2 * math.pi)) - math.pi / 2)


def pixel_extent(view: pdk.ViewState, box: tuple[float, float, float, float]) -> tuple:
    """Where a box lands on the screen of a view, in pixels from the map's centre:
    (left, bottom, right, top); for checking that a view frames what it should."""
    scale = 512 * 2**view.zoom
    cx, cy = view.longitude / 360, _mercator_y(view.latitude)
    return (
        (box[0] / 360 - cx) * scale,
        (_mercator_y(box[1]) - cy) * scale,
        (box[2] / 360 - cx) * scale,
        (_mercator_y(box[3]) - cy) * scale,
    )


SEA = "#D5E3EC"  # water and everything outside the municipality, when no tiles are drawn
LAND = "#F4F1E8"  # the municipality itself
CARTO_TILES = "https://basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png"
CARTO_ATTRIBUTION = "© OpenStreetMap-bidragsgivare © CARTO"


def basemap(setting: str, boundary: dict | None = None) -> dict:
    """Deck keyword arguments for the configured basemap.

    The default (Carto's light tiles), a raster tile URL template with {z}/{x}/{y}, or
    "none" get a map style of our own: a calm sea colour, the municipality filled as land and
    the tiles on top. The style travels inside the page, so the land, the sea and every layer
    drawn over them are there even when no tile can be loaded (many municipal networks block
    them); tiles that load simply cover them. A MapLibre style URL (…json) is used as it is."""
    if setting in ("", "carto-positron", "carto"):
        tiles, attribution = CARTO_TILES, CARTO_ATTRIBUTION
    elif setting == "none":
        tiles = attribution = None
    elif "{z}" in setting:
        tiles, attribution = setting, "© kartleverantören"
    else:
        return {"map_provider": "carto", "map_style": setting}
    style = {
        "version": 8,
        "sources": {},
        "layers": [{"id": "hav", "type": "background", "paint": {"background-color": SEA}}],
    }
    if boundary:
        style["sources"]["kommun"] = {"type": "geojson", "data": boundary}
        style["layers"].append(
            {"id": "land", "type": "fill", "source": "kommun", "paint": {"fill-color": LAND}}
        )
    if tiles:
        style["sources"]["tiles"] = {
            "type": "raster",
            "tiles": [tiles],
            "tileSize": 256,
            "attribution": attribution,
        }
        style["layers"].append({"id": "tiles", "type": "raster", "source": "tiles"})
    return {
        "map_provider": "carto",
        "map_style": "data:application/json," + quote(json.dumps(style, separators=(",", ":"))),
    }


def tile_template(setting: str) -> str | None:
    """The raster tile URL template of a basemap setting, if it has one."""
    if setting in ("", "carto-positron", "carto"):
        return CARTO_TILES
    return setting if "{z}" in setting else None


def boundary_layer(boundary: dict | None) -> list[pdk.Layer]:
    if not boundary:
        return []
    return [
        pdk.Layer(
            "GeoJsonLayer",
            boundary,
            id="kommungrans",
            stroked=True,
            filled=False,
            get_line_color=BOUNDARY,
            line_width_min_pixels=2,
            pickable=False,
        )
    ]


def area_layer(areas: pd.DataFrame, counts: dict[int, int]) -> list[pdk.Layer]:
    """Areas outlined and filled by their number of incidents in the selection."""
    features = []
    top = max(counts.values(), default=0)
    for row in areas.itertuples():
        if not row.geojson:
            continue
        n = counts.get(row.id, 0)
        features.append(
            {
                "type": "Feature",
                "geometry": row.geojson,
                "properties": {
                    "tooltip": f"{row.name}: {fmt.integer(n)} händelser",
                    "fill": scale_colour(n, top, alpha=70),
                },
            }
        )
    if not features:
        return []
    return [
        pdk.Layer(
            "GeoJsonLayer",
            {"type": "FeatureCollection", "features": features},
            id="omraden",
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=AREA_LINE,
            line_width_min_pixels=2,
            pickable=True,
        )
    ]


def spread(lat: pd.Series, lon: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Incidents reported at the same place share one position; lay them out in a small
    sunflower around it (k-th at SPREAD_M·√k metres, golden angle apart) so each can be seen
    and hovered. Single positions stay where they are."""
    k = lat.groupby([lat, lon]).cumcount()
    radius = SPREAD_M * k.pow(0.5)
    angle = k * math.radians(137.508)
    dlat = radius * angle.map(math.sin) / 111_320
    dlon = radius * angle.map(math.cos) / (111_320 * lat.map(lambda v: math.cos(math.radians(v))))
    return lat + dlat, lon + dlon


def _text(value, fallback: str = "") -> str:
    """A text cell, or the fallback for a missing one (pandas reads SQL NULL in a text
    column as NaN, which would otherwise be shown as "nan")."""
    return value if isinstance(value, str) and value else fallback


def point_layer(points: pd.DataFrame, photos: dict[int, str] | None = None) -> list[pdk.Layer]:
    """Single incidents; `photos` (incident id -> a small picture's data: URL, from
    `services.photos.thumbnail_urls`) shows that picture in the incident's tooltip."""
    if points.empty:
        return []
    photos = photos or {}
    lat, lon = spread(points["lat"], points["lon"])
    data = pd.DataFrame(
        {
            "lon": lon,
            "lat": lat,
            "colour": points["colour"].map(hex_rgb),
            "tooltip": [
                f"{r.category} ({r.group})\n{_text(r.place, 'Punkt på kartan')}\n"
                f"{fmt.datetime(r.occurred_at)} · {r.organisation}"
                + (f" · {r.count} st" if r.count > 1 else "")
                for r in points.itertuples()
            ],
            "photo": [photos.get(i, NO_PHOTO) for i in points["id"]],
        }
    )
    return circles(
        "handelser",
        data,
        get_fill_color="colour",
        get_radius=6,
        get_line_color=[255, 255, 255, 220],
        line_width_min_pixels=1,
    )


def cell_layer(cells: pd.DataFrame, size: tuple[float, float]) -> list[pdk.Layer]:
    if cells.empty:
        return []
    dlat, dlon = size
    top = float(cells["occurrences"].max())
    data = pd.DataFrame(
        {
            "polygon": [
                [[w, s], [w + dlon, s], [w + dlon, s + dlat], [w, s + dlat]]
                for s, w in zip(cells["south"], cells["west"], strict=True)
            ],
            "colour": [scale_colour(v, top) for v in cells["occurrences"]],
            "tooltip": [f"{fmt.integer(v)} händelser i rutan" for v in cells["occurrences"]],
        }
    )
    return [
        pdk.Layer(
            "PolygonLayer",
            data,
            id="rutor",
            get_polygon="polygon",
            get_fill_color="colour",
            stroked=False,
            pickable=True,
        )
    ]


def density_layer(cells: pd.DataFrame, size: tuple[float, float]) -> list[pdk.Layer]:
    if cells.empty:
        return []
    dlat, dlon = size
    data = pd.DataFrame(
        {
            "lon": cells["west"] + dlon / 2,
            "lat": cells["south"] + dlat / 2,
            "weight": cells["occurrences"],
        }
    )
    return [
        pdk.Layer(
            "HeatmapLayer",
            data,
            id="tathet",
            get_position=["lon", "lat"],
            get_weight="weight",
            radius_pixels=45,
            intensity=1.2,
            threshold=0.03,
            aggregation="'SUM'",
        )
    ]


def approximate_layer(approx: pd.DataFrame) -> list[pdk.Layer]:
    if approx.empty:
        return []
    data = pd.DataFrame(
        {
            "lon": approx["lon"],
            "lat": approx["lat"],
            "radius": 10 + 4 * approx["occurrences"].clip(upper=25) ** 0.5,
            "tooltip": [
                f"{fmt.integer(n)} händelser med ungefärlig position (en punkt i "
                "kommunen) – räknas inte som plats"
                for n in approx["occurrences"]
            ],
        }
    )
    return circles(
        "ungefarliga",
        data,
        get_radius="radius",
        filled=False,
        get_line_color=APPROX,
        line_width_min_pixels=3,
    )


def _marker_layer(
    layer_id: str, data: pd.DataFrame, colour: list[int], sides: int
) -> list[pdk.Layer]:
    if data.empty:
        return []
    return [
        pdk.Layer(
            "ColumnLayer",
            data,
            id=layer_id,
            get_position=["lon", "lat"],
            disk_resolution=sides,
            radius=90,
            extruded=False,
            get_fill_color=colour,
            get_line_color=[255, 255, 255, 255],
            stroked=True,
            line_width_min_pixels=1,
            pickable=True,
        )
    ]


def _position(row) -> tuple[float | None, float | None]:
    if pd.notna(row.place_lat):
        return row.place_lat, row.place_lon
    point = geo.centroid(row.area_geojson)
    return point if point else (None, None)


def observation_layer(obs: pd.DataFrame, photos: dict[int, str] | None = None) -> list[pdk.Layer]:
    """Unsafe places; `photos` (observation id -> a small picture's data: URL) shows that
    picture in the place's tooltip, as on the incidents' points."""
    if obs.empty:
        return []
    reasons = {k.value: v for k, v in labels.UNSAFE_REASON.items()}
    data = pd.DataFrame(
        {
            "lon": obs["lon"],
            "lat": obs["lat"],
            "tooltip": [
                f"Otrygg plats: {reasons.get(r.reason, r.reason)}\n"
                f"{_text(r.place, 'Punkt')} · {fmt.date(r.observed_at)}\n{_text(r.description)}"
                for r in obs.itertuples()
            ],
            "photo": [(photos or {}).get(i, NO_PHOTO) for i in obs["id"]],
        }
    )
    return _marker_layer("otrygga", data, UNSAFE, 6)


def _placed(frame: pd.DataFrame, tooltip) -> pd.DataFrame:
    """Rows with a place (or an area's centre) as lat, lon and `tooltip(row)`; others left out."""
    rows = []
    for r in frame.itertuples():
        lat, lon = _position(r)
        if lat is not None:
            rows.append({"lat": lat, "lon": lon, "tooltip": tooltip(r)})
    return pd.DataFrame(rows)


def action_layer(actions: pd.DataFrame) -> list[pdk.Layer]:
    statuses = {k.value: v for k, v in labels.ACTION_STATUS.items()}
    data = _placed(
        actions,
        lambda r: (
            f"Åtgärd: {r.title}\n{r.owner} · {statuses.get(r.status)}"
            f" · klar senast {fmt.date(r.due_date)}"
        ),
    )
    return _marker_layer("atgarder", data, ACTION, 4)


def event_layer(events: pd.DataFrame) -> list[pdk.Layer]:
    data = _placed(
        events, lambda r: f"{r.title}\n{fmt.datetime(r.starts_at)} – {fmt.datetime(r.ends_at)}"
    )
    return _marker_layer("arrangemang", data, EVENT, 3)


def land_layer(boundary: dict | None, basemap_setting: str) -> list[pdk.Layer]:
    """The municipality filled as land once more, by deck.gl under every other layer: the
    map style's own land is drawn by MapLibre, which on slow machines sometimes leaves it out.
    Opaque without tiles; translucent over tiles, which then still show through."""
    if not boundary or basemap_setting.endswith(".json"):
        return []
    alpha = 255 if basemap_setting == "none" else 140
    return [
        pdk.Layer(
            "GeoJsonLayer",
            boundary,
            id="land",
            stroked=False,
            filled=True,
            get_fill_color=hex_rgb(LAND, alpha),
            pickable=False,
        )
    ]


def _every_tooltip_field(layer: pdk.Layer) -> None:
    """A template field an object lacks is shown as its name (and "{photo}" as a picture's
    address would be fetched): give every hoverable object both fields."""
    if not getattr(layer, "pickable", False):
        return
    data = layer.data
    if isinstance(data, dict):
        records = [f.setdefault("properties", {}) for f in data.get("features", [])]
    elif isinstance(data, list):
        records = data
    else:
        return
    for record in records:
        record.setdefault("tooltip", "")
        record.setdefault("photo", NO_PHOTO)


def deck(
    layers: list[pdk.Layer],
    view: pdk.ViewState,
    basemap_setting: str,
    boundary: dict | None = None,
) -> pdk.Deck:
    for layer in layers:
        _every_tooltip_field(layer)
    return pdk.Deck(
        layers=land_layer(boundary, basemap_setting) + layers,
        initial_view_state=view,
        tooltip=TOOLTIP,
        **basemap(basemap_setting, boundary),
    )


# --- names on the map -------------------------------------------------------------------------

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


# --- the legend, drawn in the map's corner ----------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One line of a legend: a symbol in a colour and what it stands for."""

    symbol: str
    colour: str  # CSS colour
    text: str


def group_keys(groups: pd.DataFrame) -> list[Key]:
    """One line per category group: its own symbol (told apart without colour) in its colour."""
    return [
        Key(labels.group_symbol(i), row.colour, row.name)
        for i, row in enumerate(groups.itertuples())
    ]


BASE_KEYS = [
    Key("━", "#282828", "kommungräns"),
    Key("▭", "#1F618D", "område (namn i blått)"),
]


def legend_html(keys: list[Key], note: str = "") -> str:
    """The legend as a small HTML box (all text escaped)."""
    rows = "".join(
        f'<li><span aria-hidden="true" style="color:{escape(k.colour)}">'
        f"{escape(k.symbol)}</span> {escape(k.text)}</li>"
        for k in keys
    )
    tail = f'<p class="lb-legend-note">{escape(note)}</p>' if note else ""
    return (
        '<div class="lb-legend" role="group" aria-label="Teckenförklaring">'
        f'<p class="lb-legend-title">Teckenförklaring</p><ul>{rows}</ul>{tail}</div>'
    )


# The legend is a compact box in the map's upper left corner, sized in pixels (not rem, so
# the projector's larger type does not blow it up): LEGEND_W wide at most, one line per key
# (a long text wraps at about LEGEND_CHARS characters). legend_size() is what views keep free.
LEGEND_W = 200
LEGEND_INSET = 8  # from the map's edges
LEGEND_FONT = 12
LEGEND_LINE = 15
LEGEND_PAD = 5
LEGEND_CHARS = 27

LEGEND_CSS = """
.st-key-{key} {{ position: relative; }}
.st-key-{key} [data-testid="stElementContainer"]:has(.lb-legend) {{
  position: absolute; left: {inset}px; top: {inset}px; width: auto !important;
  max-width: {width}px; z-index: 5; pointer-events: none; }}
.lb-legend {{ background: rgba(255,255,255,0.9); border: 1px solid #b9c2ca;
  border-radius: 5px; padding: {pad}px {pad}px; font-size: {font}px !important;
  line-height: {line}px !important; color: #212529; box-shadow: 0 1px 2px rgba(0,0,0,0.15);
  overflow-wrap: anywhere; }}
.lb-legend p, .lb-legend li {{ margin: 0; padding: 0; font-size: {font}px !important;
  line-height: {line}px !important; }}
.lb-legend .lb-legend-title {{ font-weight: 700; }}
.lb-legend ul {{ list-style: none; margin: 0; padding: 0; }}
.lb-legend li {{ padding-left: 1.2em; text-indent: -1.2em; }}
.lb-legend li span {{ display: inline-block; width: 1.2em; text-indent: 0; text-align: center; }}
.lb-legend .lb-legend-note {{ color: #444; margin-top: 2px; }}
"""


def _lines(text: str) -> int:
    return max(1, math.ceil(len(text) / LEGEND_CHARS))


def legend_size(keys: list[Key], note: str = "") -> tuple[int, int]:
    """The room the legend takes in the map's corner, (width, height) in pixels, inset and
    a little slack included: what a view keeps free of the things it frames."""
    lines = 1 + sum(_lines(k.text) for k in keys) + (_lines(note) if note else 0)
    return LEGEND_INSET + LEGEND_W + 4, LEGEND_INSET + 2 * LEGEND_PAD + 2 + lines * LEGEND_LINE + 4


def legend_css(key: str) -> str:
    return LEGEND_CSS.format(
        key=f"lbmap_{key}",
        inset=LEGEND_INSET,
        width=LEGEND_W,
        pad=LEGEND_PAD,
        font=LEGEND_FONT,
        line=LEGEND_LINE,
    )


def show(the_deck: pdk.Deck, height: int, key: str, keys: list[Key], note: str = "", **chart):
    """The map with its legend in its upper left corner (views made with
    legend=legend_size(keys, note) keep what they frame clear of it); returns the chart's
    event."""
    with st.container(key=f"lbmap_{key}"):
        event = st.pydeck_chart(the_deck, height=height, key=key, **chart)
        st.html(f"<style>{legend_css(key)}</style>{legend_html(keys, note)}")
    return event


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


def hotspot_layer(spots: pd.DataFrame, view: pdk.ViewState | None = None) -> list[pdk.Layer]:
    """Hot spots (located: name, lat, lon, ratio, status, recent, certainty) as red rings
    sized by how many times their normal level they are, named where the names fit."""
    if spots.empty:
        return []
    data = pd.DataFrame(
        {
            "lat": spots["lat"],
            "lon": spots["lon"],
            "radius": 12 + 3 * spots["ratio"].clip(upper=10),
            "tooltip": [
                f"{r.name}: {r.status.lower()}, {r.recent} rapporter ({r.certainty.lower()})"
                for r in spots.itertuples()
            ],
        }
    )

    names = _frame(hotspot_names(spots, view))
    return circles(
        "hotspots",
        data,
        get_radius="radius",
        get_fill_color=[189, 0, 38, 90],
        get_line_color=[189, 0, 38, 255],
        line_width_min_pixels=3,
    ) + _labels(
        "hotspotnamn",
        names,
        HOTSPOT_NAME[0],
        [150, 0, 30, 255],
        font_weight=700,
        get_pixel_offset=[0, HOTSPOT_NAME[1]],
    )


HOTSPOT_KEY = Key("◯", "#BD0026", "hot spot (namn i rött)")


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


# --- place search ------------------------------------------------------------------------------

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
