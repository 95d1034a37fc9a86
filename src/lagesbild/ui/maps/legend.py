"""The legend drawn in the map's upper left corner, and showing a map with it."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from html import escape

import pandas as pd
import pydeck as pdk
import streamlit as st

from lagesbild import labels


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


# Where a line of the legend may break besides spaces: after a slash, as in the group
# "Annat otrygghetsskapande/ordningsstörande" (the browser would otherwise break inside a word).
_BREAK_AFTER = re.compile(r"/")


def _wrappable(text: str) -> str:
    """`text` escaped, with a line-break opportunity after every slash."""
    return _BREAK_AFTER.sub("/<wbr>", escape(text))


def words(text: str) -> list[str]:
    """The runs of `text` the legend never breaks inside."""
    return _BREAK_AFTER.sub("/ ", text).split()


def legend_html(keys: list[Key], note: str = "") -> str:
    """The legend as a small HTML box (all text escaped)."""
    rows = "".join(
        f'<li><span aria-hidden="true" style="color:{escape(k.colour)}">'
        f"{escape(k.symbol)}</span> {_wrappable(k.text)}</li>"
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
  overflow-wrap: break-word; hyphens: manual; }}
.lb-legend p, .lb-legend li {{ margin: 0; padding: 0; font-size: {font}px !important;
  line-height: {line}px !important; }}
.lb-legend .lb-legend-title {{ font-weight: 700; }}
.lb-legend ul {{ list-style: none; margin: 0; padding: 0; }}
.lb-legend li {{ padding-left: 1.2em; text-indent: -1.2em; }}
.lb-legend li span {{ display: inline-block; width: 1.2em; text-indent: 0; text-align: center; }}
.lb-legend .lb-legend-note {{ color: #444; margin-top: 2px; }}
"""


def _lines(text: str) -> int:
    return max(1, len(textwrap.wrap(" ".join(words(text)), LEGEND_CHARS)))


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


HOTSPOT_KEY = Key("◯", "#BD0026", "hot spot (namn i rött)")
