"""Category groups are told apart without colour: a symbol and a fill pattern per group."""

import datetime as dt

import pandas as pd

from lagesbild import labels
from lagesbild.ui import charts


def test_each_group_up_to_the_lists_length_has_its_own_symbol_and_pattern():
    symbols = [labels.group_symbol(i) for i in range(len(labels.GROUP_SYMBOLS))]
    patterns = [labels.group_pattern(i) for i in range(len(labels.GROUP_PATTERNS))]
    assert len(set(symbols)) == len(symbols) >= 8
    assert len(set(patterns)) == len(patterns) >= 8
    assert labels.group_symbol(len(symbols)) == symbols[0]  # repeats after the last
    assert labels.group_symbols([7, 3, 9]) == {7: symbols[0], 3: symbols[1], 9: symbols[2]}


def _trend(groups: list[int]) -> pd.DataFrame:
    weeks = [dt.date(2026, 11, 2), dt.date(2026, 11, 9)]
    rows = [
        {"bucket": w, "group": g, "occurrences": 10 + i}
        for i, g in enumerate(groups)
        for w in weeks
    ]
    return pd.DataFrame(rows)


def test_trend_bars_give_each_group_its_symbol_and_pattern_besides_its_colour():
    names = {1: "Skadegörelse", 2: "Ordning", 3: "Brott"}
    colours = {1: "#C0392B", 2: "#8E44AD", 3: "#D68910"}  # the forum's order of groups
    fig = charts.trend_bars(_trend([1, 2, 3]), "group", names, colours, "Vecka")
    traces = {t.customdata[0]: t for t in fig.data}
    for position, gid in enumerate(colours):
        trace = traces[gid]
        assert trace.name == f"{labels.group_symbol(position)} {names[gid]}"
        assert trace.marker.pattern.shape == labels.group_pattern(position)
        assert trace.marker.color == colours[gid]
        # drawn over the colour, not instead of it (plotly's default leaves the bar empty)
        assert trace.marker.pattern.fillmode == "overlay"
    assert len({t.marker.pattern.shape for t in fig.data}) == 3


def test_trend_bars_by_area_have_no_group_marks():
    fig = charts.trend_bars(_trend([1, 2]), "group", {1: "Centrum", 2: "Hamnen"}, None, "Vecka")
    assert {t.name for t in fig.data} == {"Centrum", "Hamnen"}
    assert all(not t.marker.pattern.shape for t in fig.data)
