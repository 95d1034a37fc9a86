"""The map under the layers: the map style (sea, land, tiles), the municipality's land and
boundary, and the deck that puts the layers on it with the shared tooltip."""

from __future__ import annotations

import json
from urllib.parse import quote

import pydeck as pdk

from lagesbild.ui.maps.style import BOUNDARY, NO_PHOTO, TOOLTIP, hex_rgb

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
