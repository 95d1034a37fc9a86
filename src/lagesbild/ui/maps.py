"""pydeck layer builders. Only aggregated cells or a bounded number of points reach the
browser; tooltips are plain text (never HTML), so reported text cannot inject markup."""

from __future__ import annotations

import json
import math
from urllib.parse import quote

import pandas as pd
import pydeck as pdk

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
TOOLTIP = {
    "text": "{tooltip}",
    "style": {"fontSize": "15px", "backgroundColor": "#0E1822", "color": "white"},
}


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


def view_for(
    box: tuple[float, float, float, float] | None, width_px: int = 1200, height_px: int = 640
) -> pdk.ViewState:
    """A view that fits a bounding box (min_lon, min_lat, max_lon, max_lat)."""
    if box is None:
        return pdk.ViewState(latitude=62.0, longitude=16.0, zoom=4)
    min_lon, min_lat, max_lon, max_lat = box
    lon_span = max(max_lon - min_lon, 0.005)
    lat_span = max(max_lat - min_lat, 0.003) / max(
        0.2, math.cos(math.radians((min_lat + max_lat) / 2))
    )
    # deck.gl's world is 512 px wide at zoom 0
    zoom = (
        min(
            math.log2(width_px * 360 / (512 * lon_span)),
            math.log2(height_px * 360 / (512 * lat_span)),
        )
        - 0.2
    )
    return pdk.ViewState(
        latitude=(min_lat + max_lat) / 2,
        longitude=(min_lon + max_lon) / 2,
        zoom=max(3.0, min(16.0, zoom)),
    )


def basemap(setting: str) -> dict:
    """Deck keyword arguments for the configured basemap: the Carto default, a MapLibre style
    URL (…json) or a raster tile URL template with {z}/{x}/{y}."""
    if setting in ("", "carto-positron", "carto"):
        return {"map_provider": "carto", "map_style": pdk.map_styles.CARTO_LIGHT}
    if setting == "none":
        return {"map_provider": None, "map_style": None}
    if "{z}" in setting:
        style = {
            "version": 8,
            "sources": {
                "tiles": {
                    "type": "raster",
                    "tiles": [setting],
                    "tileSize": 256,
                    "attribution": "© kartleverantören",
                }
            },
            "layers": [{"id": "tiles", "type": "raster", "source": "tiles"}],
        }
        return {
            "map_provider": "carto",
            "map_style": "data:application/json," + quote(json.dumps(style)),
        }
    return {"map_provider": "carto", "map_style": setting}


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


def point_layer(points: pd.DataFrame) -> list[pdk.Layer]:
    if points.empty:
        return []
    lat, lon = spread(points["lat"], points["lon"])
    data = pd.DataFrame(
        {
            "lon": lon,
            "lat": lat,
            "colour": points["colour"].map(hex_rgb),
            "tooltip": [
                f"{r.category} ({r.group})\n{r.place or 'Punkt på kartan'}\n"
                f"{fmt.datetime(r.occurred_at)} · {r.organisation}"
                + (f" · {r.count} st" if r.count > 1 else "")
                for r in points.itertuples()
            ],
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


def observation_layer(obs: pd.DataFrame) -> list[pdk.Layer]:
    if obs.empty:
        return []
    reasons = {k.value: v for k, v in labels.UNSAFE_REASON.items()}
    data = pd.DataFrame(
        {
            "lon": obs["lon"],
            "lat": obs["lat"],
            "tooltip": [
                f"Otrygg plats: {reasons.get(r.reason, r.reason)}\n"
                f"{r.place or 'Punkt'} · {fmt.date(r.observed_at)}\n{r.description}"
                for r in obs.itertuples()
            ],
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


def deck(layers: list[pdk.Layer], view: pdk.ViewState, basemap_setting: str) -> pdk.Deck:
    return pdk.Deck(
        layers=layers, initial_view_state=view, tooltip=TOOLTIP, **basemap(basemap_setting)
    )


# Streamlit's named text colours, to echo a group's colour in a Markdown legend without HTML.
_NAMED = {
    "red": (192, 57, 43),
    "orange": (214, 137, 16),
    "green": (17, 122, 101),
    "blue": (31, 97, 141),
    "violet": (142, 68, 173),
    "gray": (110, 110, 110),
}


def named_colour(colour: str) -> str:
    r, g, b, _ = hex_rgb(colour)
    return min(
        _NAMED, key=lambda n: sum((x - y) ** 2 for x, y in zip(_NAMED[n], (r, g, b), strict=True))
    )


def group_legend(groups: pd.DataFrame) -> str:
    """'●' in each group's colour with its name, as Streamlit Markdown (names are escaped)."""
    parts = []
    for row in groups.itertuples():
        parts.append(f":{named_colour(row.colour)}[●] {fmt.md_escape(row.name)}")
    return " ".join(parts)


def hotspot_layer(spots: pd.DataFrame) -> list[pdk.Layer]:
    """Hot spots (located: name, lat, lon, ratio, status, recent, certainty) as red rings
    sized by how many times their normal level they are."""
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

    return circles(
        "hotspots",
        data,
        get_radius="radius",
        get_fill_color=[189, 0, 38, 90],
        get_line_color=[189, 0, 38, 255],
        line_width_min_pixels=3,
    )
