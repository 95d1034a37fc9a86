"""Plotly figure builders with the product's look: Swedish separators, readable type."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 15, "color": "#101820"}
GREY = "#9AA5B1"
PRIMARY = "#0B5CAD"
ALERT = "#B03A2E"


def style(fig: go.Figure, height: int = 360) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        font=FONT,
        separators=", ",  # decimal comma, space between thousands
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font_size": 14},
    )
    fig.update_xaxes(gridcolor="#E5E8EC", zeroline=False)
    fig.update_yaxes(gridcolor="#E5E8EC", zeroline=False)
    return fig


def week_comparison_bar(df: pd.DataFrame, this_label: str, last_label: str) -> go.Figure:
    """Horizontal bars per category group: this week so far against the same days last week."""
    fig = go.Figure()
    fig.add_bar(
        y=df["group"],
        x=df["last_week_same_span"],
        name=last_label,
        orientation="h",
        marker_color=GREY,
        hovertemplate="%{y}: %{x}<extra>" + last_label + "</extra>",
    )
    fig.add_bar(
        y=df["group"],
        x=df["this_week"],
        name=this_label,
        orientation="h",
        marker_color=PRIMARY,
        hovertemplate="%{y}: %{x}<extra>" + this_label + "</extra>",
    )
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(autorange="reversed")
    return style(fig, height=80 + 55 * max(1, len(df)))


def open_actions_bar(df: pd.DataFrame) -> go.Figure:
    """Open actions per owner organisation, with the overdue part marked."""
    on_time = df["open"] - df["overdue"]
    fig = go.Figure()
    fig.add_bar(
        y=df["organisation"],
        x=on_time,
        name="I tid",
        orientation="h",
        marker_color="#1F618D",
        hovertemplate="%{y}: %{x} i tid<extra></extra>",
    )
    fig.add_bar(
        y=df["organisation"],
        x=df["overdue"],
        name="Försenade",
        orientation="h",
        marker_color=ALERT,
        hovertemplate="%{y}: %{x} försenade<extra></extra>",
    )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    return style(fig, height=80 + 38 * max(1, len(df)))
