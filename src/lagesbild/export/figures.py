"""Charts for printed reports as PNG images (matplotlib, offline): the same colours as the
app, Swedish number format, readable at A4 width."""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from lagesbild import fmt

PALETTE = ["#C0392B", "#8E44AD", "#D68910", "#1F618D", "#117A65", "#5D6D7E", "#CA6F1E", "#2E86C1"]
INK, MUTED, GRID = "#0E1822", "#5D6D7E", "#D5DDE5"
PERIOD_COLOURS = ("#0B5CAD", "#9AA7B4", "#D5DDE5")  # this period, the one before, last year
DPI = 200


def _figure(height: float) -> tuple[Figure, Axes]:
    """A figure of its own (not pyplot's global state: the app serves many users at once)."""
    fig = Figure(figsize=(7.0, height), dpi=DPI)
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(GRID)
    ax.tick_params(colors=INK, length=0, labelsize=8.5)
    return fig, ax


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def _integers(ax: Axes, axis: str = "y") -> None:
    formatter = FuncFormatter(lambda v, _: fmt.integer(v) if float(v).is_integer() else "")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def trend(df: pd.DataFrame, bucket: str) -> bytes:
    """Occurrences per week or month, one line per category group (largest first)."""
    fig, ax = _figure(2.9)
    table = df.pivot_table(
        index="bucket", columns="group", values="occurrences", aggfunc="sum", fill_value=0
    )
    table = table[table.sum().sort_values(ascending=False).index]
    x = pd.to_datetime(pd.Series(table.index))
    for i, group in enumerate(table.columns):
        ax.plot(
            x,
            table[group].to_numpy(),
            color=PALETTE[i % len(PALETTE)],
            linewidth=1.8,
            marker="o",
            markersize=2.5,
            label=group,
        )
    if bucket == "month":
        ax.set_xticks(x, [fmt.MONTHS_SHORT[d.month - 1] for d in x])
    else:
        step = max(1, -(-len(x) // 8))  # at most eight labels
        ax.set_xticks(x[::step], [f"v.{d.isocalendar().week}" for d in x[::step]])
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    _integers(ax)
    ax.set_ylabel("Händelser per " + ("månad" if bucket == "month" else "vecka"), color=MUTED)
    ax.legend(frameon=False, fontsize=7.5, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _png(fig)


def comparison(df: pd.DataFrame, name: str, labels: tuple[str, str, str]) -> bytes:
    """Horizontal bars per row of `df[name]`: this period, the one before and last year."""
    rows = df.head(10).iloc[::-1]
    fig, ax = _figure(0.42 * len(rows) + 0.9)
    height = 0.26
    y = range(len(rows))
    for i, (column, colour, label) in enumerate(
        zip(("current", "previous", "last_year"), PERIOD_COLOURS, labels, strict=True)
    ):
        values = rows[column].to_numpy()
        positions = [v + (1 - i) * height for v in y]
        bars = ax.barh(positions, values, height=height, color=colour, label=label)
        if column == "current":
            ax.bar_label(bars, [fmt.integer(v) for v in values], padding=2, fontsize=7, color=INK)
    ax.set_yticks(list(y), [str(v) for v in rows[name]])
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    _integers(ax, "x")
    ax.legend(frameon=False, fontsize=7.5, loc="lower right")
    return _png(fig)
