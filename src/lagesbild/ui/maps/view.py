"""Views: what a map frames, at which zoom, clear of its legend (Web Mercator)."""

from __future__ import annotations

import math

import pydeck as pdk


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
