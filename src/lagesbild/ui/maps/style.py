"""Colours, the tooltip template and the drawing helpers every map layer shares."""

from __future__ import annotations

import math

import pandas as pd
import pydeck as pdk

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
