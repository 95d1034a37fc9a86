"""Names in charts: plotly reads <a href=…>, <b> and other tags in every text it draws, so a
place, category or organisation name with markup is drawn as the characters typed."""

import datetime as dt
import re

import pandas as pd

from lagesbild.ui import charts

NAME = '<a href="http://evil.example">Torget</a> & <b>Skolan</b>'
LIVE_TAG = re.compile(r"<(?!br>|extra>|/extra>)[a-z/]", re.IGNORECASE)


def _live_tags(fig) -> list[str]:
    texts = []
    for trace in fig.data:
        for attr in ("name", "hovertemplate"):
            texts.append(str(getattr(trace, attr, "") or ""))
        for attr in ("x", "y"):
            values = getattr(trace, attr, None)
            texts += [str(v) for v in (values if values is not None else [])]
    return [t for t in texts if LIVE_TAG.search(t)]


def test_names_in_bars_and_lines_are_drawn_as_text():
    names = pd.Series([NAME, "Klotter"])
    counts = pd.Series([3, 1])
    for font_size in (None, 20):
        fig = charts.versus_bar(names, counts, counts, "Nu", "Normalt", font_size=font_size)
        assert _live_tags(fig) == []
        assert any("&lt;a href" in str(v) for v in fig.data[0].y)
    owners = pd.DataFrame({"organisation": [NAME], "open": [2], "overdue": [1]})
    assert _live_tags(charts.open_actions_bar(owners)) == []
    weeks = pd.DataFrame(
        {"bucket": [dt.date(2026, 11, 2), dt.date(2026, 11, 9)], "group": [1, 1], "n": [2, 3]}
    ).rename(columns={"n": "occurrences"})
    fig = charts.trend_bars(weeks, "group", {1: NAME}, None, "Vecka")
    assert _live_tags(fig) == [] and fig.data[0].name == charts.plain(NAME)
    line = charts.weekly_line(weeks, NAME)
    assert _live_tags(line) == []


def test_plain_keeps_the_text_and_wrap_keeps_its_line_breaks():
    assert charts.plain("A & B <c>") == "A &amp; B &lt;c&gt;"
    wrapped = charts.wrap("Skadegörelse och klotter <på> skolor", width=12)
    assert "<br>" in wrapped and "<på>" not in wrapped and "&lt;på&gt;" in wrapped
