"""The data layers: areas, incidents (points, cells, density, approximate positions),
unsafe places, actions, events and hot spots."""

from __future__ import annotations

import math

import pandas as pd
import pydeck as pdk

from lagesbild import fmt, geo, labels
from lagesbild.ui.maps.lettering import HOTSPOT_NAME, _frame, _labels, hotspot_names
from lagesbild.ui.maps.style import (
    ACTION,
    APPROX,
    AREA_LINE,
    EVENT,
    NO_PHOTO,
    SPREAD_M,
    UNSAFE,
    circles,
    hex_rgb,
    scale_colour,
)


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
