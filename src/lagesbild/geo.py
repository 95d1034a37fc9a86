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


def _polygons(geometry: dict | None) -> list[list[list[list[float]]]]:
    """Every polygon (outer ring, then holes) of a GeoJSON geometry, Feature or collection."""
    if not geometry:
        return []
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    if kind == "Feature":
        return _polygons(geometry.get("geometry"))
    if kind == "FeatureCollection":
        return [p for f in geometry.get("features", []) for p in _polygons(f)]
    return []


def _ring_area(ring: list[list[float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring))) / 2


def _edge_distance(lon: float, lat: float, polygon: list[list[list[float]]]) -> float:
    """Distance (in degrees of latitude, longitude scaled for the latitude) from a point to the
    nearest edge of a polygon's rings."""
    scale = math.cos(math.radians(lat))
    best = float("inf")
    for ring in polygon:
        for (x0, y0), (x1, y1) in pairwise(ring):
            ax, ay = (x0 - lon) * scale, y0 - lat
            bx, by = (x1 - lon) * scale, y1 - lat
            dx, dy = bx - ax, by - ay
            length = dx * dx + dy * dy
            t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
            best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def _scanline_midpoints(polygon: list[list[list[float]]], lat: float) -> list[float]:
    """Longitudes of the middles of the stretches of a horizontal line inside the polygon."""
    crossings = sorted(
        x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
        for ring in polygon
        for (x0, y0), (x1, y1) in pairwise(ring)
        if (y0 > lat) != (y1 > lat)
    )
    return [(a + b) / 2 for a, b in zip(crossings[::2], crossings[1::2], strict=False)]


def representative_point(geometry: dict | None, lines: int = 32) -> tuple[float, float] | None:
    """(lat, lon) of a point guaranteed to lie inside the geometry: the centroid when it is
    inside, otherwise the point farthest from the edges among the middles of the inside
    stretches of horizontal lines across the largest polygon (a pole-of-inaccessibility style
    search). None without a polygon."""
    polygons = [p for p in _polygons(geometry) if p and len(p[0]) >= 4]
    if not polygons:
        return None
    middle = centroid(geometry)
    if middle is not None and contains(geometry, *middle):
        return middle
    largest = max(polygons, key=lambda p: _ring_area(p[0]) - sum(_ring_area(h) for h in p[1:]))
    lats = [y for _, y in largest[0]]
    south, north = min(lats), max(lats)
    best, best_d = None, -1.0
    for k in range(1, lines):
        lat = south + (north - south) * k / lines
        for lon in _scanline_midpoints(largest, lat):
            if not contains({"type": "Polygon", "coordinates": largest}, lat, lon):
                continue
            d = _edge_distance(lon, lat, largest)
            if d > best_d:
                best, best_d = (lat, lon), d
    return best
