"""Plotly figure builders with the product's look: Swedish separators, readable type."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from lagesbild import fmt

FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 15, "color": "#101820"}
GREY = "#9AA5B1"
PRIMARY = "#0B5CAD"
ALERT = "#B03A2E"


def style(fig: go.Figure, height: int = 360, font_size: int | None = None) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        font=FONT if font_size is None else {**FONT, "size": font_size},
        separators=", ",  # decimal comma, space between thousands
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font_size": 14},
    )
    fig.update_xaxes(gridcolor="#E5E8EC", zeroline=False, automargin=True)
    fig.update_yaxes(gridcolor="#E5E8EC", zeroline=False, automargin=True)
    return fig


def plain(label: object) -> str:
    """A name as plotly should show it: plotly reads <a href=…>, <b> and the like in every
    text it draws, so a name someone typed has its markup characters as entities."""
    return str(label).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrap(label: object, width: int = 22) -> str:
    """A long category name over several lines (plotly breaks lines only at <br>)."""
    text = str(label).replace("/", "/ ")
    lines = [
        plain(line.replace("/ ", "/"))
        for line in textwrap.wrap(text, width, break_on_hyphens=False)
    ]
    return "<br>".join(lines) or plain(label)


def week_comparison_bar(df: pd.DataFrame, this_label: str, last_label: str) -> go.Figure:
    """Horizontal bars per category group: this week so far against the same days last week."""
    return versus_bar(
        df["group"], df["this_week"], df["last_week_same_span"], this_label, last_label
    )


def versus_bar(
    names: pd.Series,
    current: pd.Series,
    reference: pd.Series,
    current_label: str,
    reference_label: str,
    font_size: int | None = None,
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars per name: the figure now (strong) against a reference (grey)."""
    names = names.map(wrap) if font_size else names.map(plain)
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=reference,
        name=reference_label,
        orientation="h",
        marker_color=GREY,
        hovertemplate="%{y}: %{x:.1~f}<extra>" + reference_label + "</extra>",
    )
    fig.add_bar(
        y=names,
        x=current,
        name=current_label,
        orientation="h",
        marker_color=PRIMARY,
        text=current if font_size else None,
        textposition="outside",
        textfont={"size": font_size} if font_size else None,
        hovertemplate="%{y}: %{x}<extra>" + current_label + "</extra>",
    )
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(autorange="reversed")
    return style(fig, height=height or 80 + 55 * max(1, len(names)), font_size=font_size)


def open_actions_bar(df: pd.DataFrame) -> go.Figure:
    """Open actions per owner organisation, with the overdue part marked."""
    on_time = df["open"] - df["overdue"]
    owners = df["organisation"].map(plain)
    fig = go.Figure()
    fig.add_bar(
        y=owners,
        x=on_time,
        name="I tid",
        orientation="h",
        marker_color="#1F618D",
        hovertemplate="%{y}: %{x} i tid<extra></extra>",
    )
    fig.add_bar(
        y=owners,
        x=df["overdue"],
        name="Försenade",
        orientation="h",
        marker_color=ALERT,
        hovertemplate="%{y}: %{x} försenade<extra></extra>",
    )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    return style(fig, height=80 + 38 * max(1, len(df)))


def trend_bars(
    df: pd.DataFrame, key: str, names: dict, colours: dict | None, bucket_label: str
) -> go.Figure:
    """Stacked bars per time bucket, one trace per key (group, area or place). Each bar
    carries its key id as customdata so a click can drill down."""
    fig = go.Figure()
    order = df.groupby(key)["occurrences"].sum().sort_values(ascending=False).index
    for value in order:
        part = df[df[key] == value]
        label = plain(names.get(value, "Okänd")) if pd.notna(value) else "Utan plats"
        fig.add_bar(
            x=part["bucket"],
            y=part["occurrences"],
            name=label,
            marker_color=(colours or {}).get(value),
            customdata=[value if pd.notna(value) else -1] * len(part),
            hovertext=[bucket_name(b, bucket_label) for b in part["bucket"]],
            hovertemplate=f"{label}<br>%{{hovertext}}: %{{y}}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        bargap=0.15,
        legend={"orientation": "h", "y": -0.18},
        clickmode="event+select",
    )
    time_axis(fig, sorted(df["bucket"].unique()), bucket_label)
    fig.update_yaxes(title="Händelser", rangemode="tozero")
    return style(fig, height=430)


def bucket_name(day, bucket_label: str) -> str:
    """'v. 47', 'nov 2026' or '2026-11-21' for the start of a time bucket."""
    if bucket_label == "Vecka":
        iso = day.isocalendar()
        return f"v. {iso.week} {iso.year}"
    if bucket_label == "Månad":
        return f"{fmt.MONTHS_SHORT[day.month - 1]} {day.year}"
    return fmt.date(day)


def time_axis(fig: go.Figure, buckets: list, bucket_label: str, max_ticks: int = 14) -> None:
    """Swedish tick labels (ISO weeks, Swedish month names), thinned to stay readable."""
    if not buckets:
        return
    step = max(1, -(-len(buckets) // max_ticks))
    shown = buckets[::step]
    fig.update_xaxes(
        title=None,
        tickmode="array",
        tickvals=shown,
        ticktext=[bucket_name(b, bucket_label) for b in shown],
    )


def weekday_hour_heatmap(df: pd.DataFrame, weekdays: list[str]) -> go.Figure:
    """Weekday × hour of day. Missing cells are zero."""
    grid = [[0] * 24 for _ in range(7)]
    for row in df.itertuples():
        grid[row.weekday][row.hour] = row.occurrences
    fig = go.Figure(
        go.Heatmap(
            z=grid,
            x=[f"{h:02d}" for h in range(24)],
            y=weekdays,
            colorscale="YlOrRd",
            hovertemplate="%{y} kl. %{x}: %{z} händelser<extra></extra>",
            colorbar={"title": "Antal"},
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="Timme", type="category")
    return style(fig, height=380)


def year_wheel(months: list[str], values: list[float], title: str) -> go.Figure:
    """Årshjul: the twelve months around a circle, January at the top, clockwise."""
    fig = go.Figure(
        go.Barpolar(
            r=values,
            theta=months,
            marker_color=PRIMARY,
            marker_line_color="white",
            hovertemplate="%{theta}: %{r:.1f}<extra>" + title + "</extra>",
        )
    )
    fig.update_layout(
        polar={
            "angularaxis": {"direction": "clockwise", "rotation": 90},
            "radialaxis": {"showticklabels": True, "ticks": ""},
        },
        showlegend=False,
    )
    return style(fig, height=420)


def profile_bars(labels: list[str], values: list[int], title: str) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=values,
            marker_color=PRIMARY,
            hovertemplate="%{x}: %{y}<extra>" + title + "</extra>",
        )
    )
    fig.update_xaxes(type="category")
    return style(fig, height=260)


def weekly_line(df: pd.DataFrame, title: str, marks: list[tuple] | None = None) -> go.Figure:
    """Occurrences per week, with optional shaded windows (start, end, label)."""
    fig = go.Figure(
        go.Scatter(
            x=df["bucket"],
            y=df["occurrences"],
            mode="lines+markers",
            line={"color": PRIMARY, "width": 2},
            marker={"size": 5},
            hovertemplate="v. %{x|%V %G}: %{y}<extra>" + plain(title) + "</extra>",
        )
    )
    for start, end, label in marks or []:
        fig.add_vrect(
            x0=start,
            x1=end,
            fillcolor="#F5B041",
            opacity=0.18,
            line_width=0,
            annotation_text=label,
            annotation_position="top left",
        )
    fig.update_yaxes(rangemode="tozero", title="Händelser")
    return style(fig, height=300)


def effect_chart(weeks: pd.DataFrame, before, after) -> go.Figure:
    """Reports per week at the place (bars) and in the rest of the municipality (line, own
    axis), with the windows compared shaded."""
    fig = go.Figure()
    fig.add_bar(
        x=weeks["week"],
        y=weeks["here"],
        name="På platsen",
        marker_color=PRIMARY,
        hovertemplate="v. %{x|%V}: %{y} på platsen<extra></extra>",
    )
    fig.add_scatter(
        x=weeks["week"],
        y=weeks["elsewhere"],
        name="Resten av kommunen",
        mode="lines",
        line={"color": GREY, "width": 2},
        yaxis="y2",
        hovertemplate="v. %{x|%V}: %{y} i resten av kommunen<extra></extra>",
    )
    for window, label in ((before, "före"), (after, "efter")):
        fig.add_vrect(
            x0=window.start,
            x1=window.end,
            fillcolor="#F5B041",
            opacity=0.15,
            line_width=0,
            annotation_text=label,
            annotation_position="top left",
        )
    fig.update_layout(
        yaxis={"title": "Rapporter på platsen", "rangemode": "tozero"},
        yaxis2={
            "title": "Resten av kommunen",
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
        },
    )
    return style(fig, height=300)
