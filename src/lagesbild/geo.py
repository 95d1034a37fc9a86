"""Small geometry helpers for GeoJSON polygons (areas, municipal boundaries)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import pairwise


def _rings(geometry: dict) -> Iterator[list[list[float]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        yield from geometry["coordinates"][:1]
    elif kind == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon[:1]
    elif kind == "Feature":
        yield from _rings(geometry["geometry"])
    elif kind == "FeatureCollection":
        for feature in geometry["features"]:
            yield from _rings(feature["geometry"])


def bbox(geometry: dict | None) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) of the outer rings, or None."""
    if not geometry:
        return None
    points = [p for ring in _rings(geometry) for p in ring]
    if not points:
        return None
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def centroid(geometry: dict | None) -> tuple[float, float] | None:
    """(lat, lon) of the area-weighted centroid of the outer rings (planar; fine for the size
    of a district), or None."""
    if not geometry:
        return None
    total = cx = cy = 0.0
    for ring in _rings(geometry):
        for (x0, y0), (x1, y1) in pairwise(ring):
            cross = x0 * y1 - x1 * y0
            total += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    if total == 0:
        box = bbox(geometry)
        return None if box is None else ((box[1] + box[3]) / 2, (box[0] + box[2]) / 2)
    return cy / (3 * total), cx / (3 * total)


def nearest(lat: float, lon: float, candidates: list[tuple[str, float, float]]) -> str | None:
    """The name of the nearest (name, lat, lon) candidate (equirectangular distance)."""
    best, best_d = None, float("inf")
    scale = math.cos(math.radians(lat))
    for name, c_lat, c_lon in candidates:
        d = (c_lat - lat) ** 2 + ((c_lon - lon) * scale) ** 2
        if d < best_d:
            best, best_d = name, d
    return best


def _in_ring(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in pairwise(ring):
        if (y0 > lat) != (y1 > lat):
            x = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
            if x > lon:
                inside = not inside
    return inside


def contains(geometry: dict | None, lat: float, lon: float) -> bool:
    """Whether a GeoJSON Polygon/MultiPolygon (or Feature/FeatureCollection of them) contains
    the point; holes are respected."""
    if not geometry:
        return False
    kind = geometry.get("type")
    if kind == "Feature":
        return contains(geometry.get("geometry"), lat, lon)
    if kind == "FeatureCollection":
        return any(contains(f, lat, lon) for f in geometry.get("features", []))
    polygons = (
        [geometry["coordinates"]]
        if kind == "Polygon"
        else geometry["coordinates"]
        if kind == "MultiPolygon"
        else []
    )
    for polygon in polygons:
        if (
            polygon
            and _in_ring(lon, lat, polygon[0])
            and not any(_in_ring(lon, lat, hole) for hole in polygon[1:])
        ):
            return True
    return False


SWEDEN = (10.5, 55.0, 24.3, 69.2)  # min_lon, min_lat, max_lon, max_lat (with a margin)


def in_sweden(lat: float, lon: float) -> bool:
    return SWEDEN[1] <= lat <= SWEDEN[3] and SWEDEN[0] <= lon <= SWEDEN[2]
