"""The meeting's static tables and its bars "since the last meeting against the usual level",
drawn as plain HTML tables.

On the projector every table and bar chart is a still picture, and every screen in the room
draws it again at each step change, so what it costs is paid once per screen: a plotly figure
per bar chart (built, and on the next step torn down, in every browser) made steps 1–3 the slow
ones to follow, and `st.table` over a pandas Styler (for the Swedish decimal comma) took
10–16 ms of server time per table per screen, 40 % of a step's run. A plain table is drawn at
once, in the projector's own type, is read by a screen reader row by row, and carries every
figure as text (the bars beside their figures).
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import streamlit as st

from lagesbild import fmt
from lagesbild.ui.charts import PRIMARY

# Static tables (`table_html`): the projector's type, a line under each row, figures right.
TABLE_CSS = """
<style>
.lb-table { width: 100%; border-collapse: collapse; margin: 0.1rem 0 0.5rem 0; }
.lb-table th, .lb-table td { padding: 0.25rem 0.5rem; font-size: 1.0rem; color: #05090D;
  text-align: left; vertical-align: top; border-bottom: 1px solid #D5DBE1; }
.lb-table thead th { font-weight: 600; }
.lb-table .lb-n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
</style>
"""

# The usual level's bar: grey, at least 3:1 against white (WCAG 1.4.11 for graphics).
USUAL = "#6B7785"

CSS = """
<style>
.lb-bars { width: 100%; border-collapse: collapse; margin: 0.2rem 0 0.6rem 0; }
.lb-bars caption { text-align: left; font-size: 0.95rem; color: #2B3640; padding-bottom: 0.2rem; }
.lb-bars .lb-key { display: inline-block; width: 0.9rem; height: 0.9rem; vertical-align: -0.1rem;
  margin: 0 0.3rem 0 0.9rem; }
.lb-bars th, .lb-bars td { padding: 0.14rem 0.4rem; border: 0; font-size: 1.0rem;
  color: #05090D; vertical-align: middle; }
.lb-bars thead th { font-size: 0.85rem; font-weight: 600; color: #2B3640; text-align: right;
  white-space: nowrap; padding-top: 0; padding-bottom: 0.1rem; }
.lb-bars thead th:first-child { text-align: left; }
.lb-bars tbody th { text-align: left; font-weight: 600; width: 36%; line-height: 1.2; }
.lb-bars td.lb-track { width: 40%; }
.lb-bars td.lb-n { text-align: right; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
.lb-bars td.lb-now-n { font-weight: 700; }
.lb-bars .lb-sr { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.lb-bars .lb-bar { height: 0.85rem; min-width: 2px; }
.lb-bars .lb-bar + .lb-bar { margin-top: 0.15rem; height: 0.45rem; }
</style>
"""


def _bar(value: object, top: float, colour: str) -> str:
    value = float(value)
    share = 0.0 if top <= 0 else max(0.0, min(1.0, value / top))
    shown = f"{share * 100:.1f}%" if value > 0 else "0"
    return f'<div class="lb-bar" style="width:{shown};background:{colour}"></div>'


def versus_table(
    names: pd.Series,
    current: pd.Series,
    usual: pd.Series,
    *,
    name_heading: str,
    current_label: str = "Sedan förra mötet",
    usual_label: str = "Normalt",
) -> str:
    """One row per name: the name, a bar for the count (strong) over a bar for the usual
    level (grey), and both figures as text."""
    top = max([*current.astype(float), *usual.astype(float), 0.0])
    rows = "".join(
        "<tr>"
        f'<th scope="row">{html.escape(str(name))}</th>'
        f'<td class="lb-track" aria-hidden="true">{_bar(now, top, PRIMARY)}'
        f"{_bar(then, top, USUAL)}</td>"
        f'<td class="lb-n lb-now-n">{fmt.integer(int(now))}</td>'
        f'<td class="lb-n">{fmt.decimal(float(then))}</td>'
        "</tr>"
        for name, now, then in zip(names, current, usual, strict=True)
    )
    key = (
        f'<span class="lb-key" style="background:{PRIMARY}"></span>{html.escape(current_label)}'
        f'<span class="lb-key" style="background:{USUAL}"></span>{html.escape(usual_label)}'
    )
    return (
        f'{CSS}<table class="lb-bars"><caption>{key}</caption><thead><tr>'
        f'<th scope="col">{html.escape(name_heading)}</th>'
        '<th scope="col"><span class="lb-sr">Stapel</span></th>'
        f'<th scope="col">{html.escape(current_label)}</th>'
        f'<th scope="col">{html.escape(usual_label)}</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _cell(value: object) -> str:
    """A cell's text: numbers in Swedish form, nothing as an en dash, texts escaped."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, int | np.integer):
        return fmt.integer(int(value))
    if isinstance(value, float | np.floating):
        return fmt.decimal(float(value))
    return html.escape(str(value))


def table_html(df: pd.DataFrame) -> str:
    """A static table of `df` (no index): headings as column headers, numeric columns right."""
    numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]
    head = "".join(
        f'<th scope="col"{" class=lb-n" if n else ""}>{html.escape(str(c))}</th>'
        for c, n in zip(df.columns, numeric, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=lb-n' if n else ''}>{_cell(v)}</td>"
            for v, n in zip(row, numeric, strict=True)
        )
        + "</tr>"
        for row in df.itertuples(index=False, name=None)
    )
    return (
        f'{TABLE_CSS}<table class="lb-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def show(names: pd.Series, counts: pd.DataFrame, name_heading: str) -> None:
    """The bars of `counts` ("current" since the last meeting, "usual") per name."""
    st.html(versus_table(names, counts["current"], counts["usual"], name_heading=name_heading))
