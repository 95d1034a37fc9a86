"""The map of a period for printed documents, drawn offline with matplotlib from the data:
the municipality framed by its boundary, the areas with their names, how many incidents
happened in each square cell, and the hot spots named. No tiles, no network."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, LogNorm, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon
from matplotlib.transforms import Bbox

from lagesbild import fmt, geo
from lagesbild.queries.period_map import METRES_PER_DEGREE, PeriodMap, union

DPI = 200
WIDTH_IN, MAX_HEIGHT_IN, MIN_HEIGHT_IN = 7.0, 7.0, 3.2
KEY_IN = 0.5  # the strip under the map with the colour scale and the legend
MARGIN = 0.05  # share of the extent around the municipality
OUTSIDE, INSIDE, BORDER = "#E4E9EE", "#FFFFFF", "#3C4A57"
AREA_LINE, INK, HOT = "#7F8FA0", "#1B2631", "#0B5CAD"
HOT_LABELS = 8  # hot spots named on the map (the table lists them all)
DENSITY = LinearSegmentedColormap.from_list(
    "density", ["#FDDC8C", "#FDB863", "#F16913", "#B3300B", "#5E1204"]
)
HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]


def _polygons(geometry: dict | None) -> list[np.ndarray]:
    """Outer rings of a GeoJSON (Multi)Polygon, Feature or FeatureCollection."""
    if not geometry:
        return []
    kind = geometry.get("type")
    if kind == "FeatureCollection":
        return [r for f in geometry.get("features", []) for r in _polygons(f)]
    if kind == "Feature":
        return _polygons(geometry.get("geometry"))
    if kind == "Polygon":
        return [np.asarray(geometry["coordinates"][0], dtype=float)]
    if kind == "MultiPolygon":
        return [np.asarray(p[0], dtype=float) for p in geometry["coordinates"] if p]
    return []


def _frame(box, aspect: float) -> tuple[tuple[float, float, float, float], float, float]:
    """The drawn extent (with a margin) and the figure's width and height in inches."""
    min_lon, min_lat, max_lon, max_lat = box
    dx, dy = max(max_lon - min_lon, 0.01), max(max_lat - min_lat, 0.01)
    min_lon, max_lon = min_lon - dx * MARGIN, max_lon + dx * MARGIN
    min_lat, max_lat = min_lat - dy * MARGIN, max_lat + dy * MARGIN
    ratio = (max_lat - min_lat) * aspect / (max_lon - min_lon)
    width, height = WIDTH_IN, WIDTH_IN * ratio
    if height > MAX_HEIGHT_IN:
        width, height = MAX_HEIGHT_IN / ratio, MAX_HEIGHT_IN
    elif height < MIN_HEIGHT_IN:  # a wide municipality: more sky above and below
        grow = (MIN_HEIGHT_IN / ratio / WIDTH_IN - 1) * (max_lat - min_lat) / 2
        min_lat, max_lat, height = min_lat - grow, max_lat + grow, MIN_HEIGHT_IN
    return (min_lon, min_lat, max_lon, max_lat), width, height


def _scale_bar(ax, extent, aspect: float) -> None:
    """A bar of a round number of kilometres in the lower right corner."""
    min_lon, min_lat, max_lon, max_lat = extent
    km_across = (max_lon - min_lon) * METRES_PER_DEGREE / aspect / 1000
    length = next(
        (k for k in (50, 20, 10, 5, 2, 1, 0.5) if k <= km_across / 4), max(km_across / 4, 0.1)
    )
    degrees = length * 1000 / METRES_PER_DEGREE * aspect
    x1 = max_lon - (max_lon - min_lon) * 0.03
    x0, y = x1 - degrees, min_lat + (max_lat - min_lat) * 0.04
    ax.plot([x0, x1], [y, y], color=INK, linewidth=2.2, solid_capstyle="butt", zorder=9)
    label = f"{fmt.decimal(length, 1 if length < 1 else 0)}{fmt.NBSP}km"
    ax.text(
        (x0 + x1) / 2,
        y + (max_lat - min_lat) * 0.012,
        label,
        ha="center",
        va="bottom",
        fontsize=7,
        color=INK,
        path_effects=HALO,
        zorder=9,
    )


def _density(ax, fig, key, pm: PeriodMap) -> None:
    cells = pm.cells[pm.cells["occurrences"] > 0]
    if cells.empty:
        key.set_axis_off()
        return
    dlat, dlon = pm.size
    rows = np.rint((cells["south"].to_numpy() + 90.0) / dlat).astype(int)
    cols = np.rint((cells["west"].to_numpy() + 180.0) / dlon).astype(int)
    grid = np.full((rows.max() - rows.min() + 1, cols.max() - cols.min() + 1), np.nan)
    grid[rows - rows.min(), cols - cols.min()] = cells["occurrences"].to_numpy()
    south0 = rows.min() * dlat - 90.0
    west0 = cols.min() * dlon - 180.0
    ys = south0 + dlat * np.arange(grid.shape[0] + 1)
    xs = west0 + dlon * np.arange(grid.shape[1] + 1)
    top = max(float(np.nanmax(grid)), 2.0)
    # Counts per cell are skewed (a town centre against single reports in the countryside):
    # a logarithmic scale keeps both readable.
    norm = LogNorm(vmin=1, vmax=top) if top >= 20 else Normalize(vmin=1, vmax=top)
    mesh = ax.pcolormesh(
        xs,
        ys,
        np.ma.masked_invalid(grid),
        cmap=DENSITY,
        norm=norm,
        alpha=0.9,
        zorder=3,
        linewidth=0,
        rasterized=True,
    )
    bar = fig.colorbar(mesh, cax=key, orientation="horizontal")
    if top >= 20:  # decades, and the top unless a decade is too close to it
        ticks = [t for t in (1, 10, 100, 1000) if t <= top / 2.5] + [int(top)]
    else:
        ticks = sorted({1, round(top / 2), int(top)})
    bar.set_ticks(ticks, labels=[fmt.integer(t) for t in ticks])
    bar.minorticks_off()
    bar.ax.tick_params(labelsize=6.5, length=2, colors=INK)
    bar.outline.set_linewidth(0.4)
    side = f"{fmt.integer(pm.cell_metres)}{fmt.NBSP}m"
    bar.ax.set_title(
        f"Händelser per ruta ({side} × {side})", fontsize=7, color=INK, loc="left", pad=3
    )


class _Labels:
    """Places labels beside their points where they overlap no label or marker already placed
    and stay inside the map (greedy, most important first). A label with no free spot is left
    out: a clash of names helps nobody, and the tables list every place."""

    # (dx, dy) in points and the alignment it needs
    AROUND = (
        (6, 0, "left", "center"),
        (-6, 0, "right", "center"),
        (0, 7, "center", "bottom"),
        (0, -7, "center", "top"),
        (6, 9, "left", "bottom"),
        (6, -9, "left", "top"),
        (-6, 9, "right", "bottom"),
        (-6, -9, "right", "top"),
        (0, 18, "center", "bottom"),
        (0, -18, "center", "top"),
        (10, 20, "left", "bottom"),
        (10, -20, "left", "top"),
        (-10, 20, "right", "bottom"),
        (-10, -20, "right", "top"),
    )
    CENTRE = ((0, 0, "center", "center"), *AROUND[2:4], *AROUND[8:10])

    def __init__(self, ax):
        self.ax = ax
        self.renderer = FigureCanvasAgg(ax.figure).get_renderer()
        self.inside = ax.get_window_extent(self.renderer)
        self.taken: list[Bbox] = []

    def occupy(self, x: float, y: float, points: float) -> None:
        """Keep a marker free of labels."""
        cx, cy = self.ax.transData.transform((x, y))
        r = points * self.ax.figure.dpi / 72
        self.taken.append(Bbox.from_extents(cx - r, cy - r, cx + r, cy + r))

    def _free(self, box: Bbox) -> bool:
        inside = (
            box.x0 >= self.inside.x0
            and box.x1 <= self.inside.x1
            and box.y0 >= self.inside.y0
            and box.y1 <= self.inside.y1
        )
        return inside and not any(box.overlaps(t) for t in self.taken)

    def place(self, x: float, y: float, text: str, spots, **style) -> bool:
        for dx, dy, ha, va in spots:
            label = self.ax.annotate(
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                path_effects=HALO,
                annotation_clip=False,
                **style,
            )
            box = label.get_window_extent(self.renderer).expanded(1.04, 1.15)
            if self._free(box):
                self.taken.append(box)
                return True
            label.remove()
        return False


def _areas(ax, pm: PeriodMap) -> list[tuple[float, float, str]]:
    """The areas' outlines; returns where their names go."""
    names = []
    for name, geometry in zip(pm.areas["name"], pm.areas["geojson"], strict=True):
        for ring in _polygons(geometry):
            ax.add_patch(
                Polygon(
                    ring,
                    closed=True,
                    fill=False,
                    edgecolor=AREA_LINE,
                    linewidth=0.8,
                    linestyle=(0, (3, 2)),
                    zorder=4,
                )
            )
        centre = geo.centroid(geometry)
        if centre is not None:
            names.append((centre[1], centre[0], name))
    return names


def _hotspots(ax, spots: pd.DataFrame) -> None:
    if spots.empty:
        return
    ax.scatter(
        spots["lon"],
        spots["lat"],
        s=70,
        marker="^",
        color=HOT,
        edgecolors="white",
        linewidths=1.0,
        zorder=8,
    )


def _names(ax, spots: pd.DataFrame, areas: list[tuple[float, float, str]]) -> None:
    """Hot spots named first (they matter most), then the areas around them."""
    labels = _Labels(ax)
    for spot in spots.itertuples():
        labels.occupy(spot.lon, spot.lat, 5)
    for spot in spots.head(HOT_LABELS).itertuples():
        labels.place(
            spot.lon,
            spot.lat,
            spot.name,
            _Labels.AROUND,
            fontsize=7.5,
            fontweight="bold",
            color=HOT,
            zorder=9,
        )
    for x, y, name in areas:
        labels.place(
            x, y, name, _Labels.CENTRE, fontsize=7, color="#44515E", style="italic", zorder=6
        )


def _legend(fig, anchor: float, pm: PeriodMap, hot: bool) -> None:
    handles = []
    if pm.boundary:
        handles.append(Line2D([], [], color=BORDER, linewidth=1.3, label="Kommungräns"))
    if len(pm.areas):
        handles.append(
            Line2D([], [], color=AREA_LINE, linewidth=0.8, linestyle=(0, (3, 2)), label="Område")
        )
    if hot:
        handles.append(
            Line2D(
                [],
                [],
                marker="^",
                linestyle="",
                markersize=8,
                color=HOT,
                markeredgecolor="white",
                label="Hot spot (ny eller eskalerande)",
            )
        )
    if handles:
        fig.legend(
            handles=handles,
            loc="center right",
            bbox_to_anchor=(0.995, anchor),
            ncol=len(handles),
            fontsize=7,
            frameon=False,
            handlelength=1.8,
            columnspacing=1.2,
        )


def period_map(pm: PeriodMap, hotspots: pd.DataFrame) -> bytes | None:
    """The map as a PNG at print resolution, or None when there is nothing to place it by.
    `hotspots` has name, lat, lon (the summary's flagged hot spots, surest first)."""
    spots = hotspots.dropna(subset=["lat", "lon"]) if len(hotspots) else hotspots
    boxes = [pm.extent]
    if len(spots):
        lon, lat = spots["lon"].astype(float), spots["lat"].astype(float)
        boxes.append((lon.min(), lat.min(), lon.max(), lat.max()))
    box = union([b for b in boxes if b is not None])
    if box is None:
        return None
    aspect = 1 / math.cos(math.radians((box[1] + box[3]) / 2))
    extent, width, height = _frame(box, aspect)
    fig = Figure(figsize=(width, height + KEY_IN), dpi=DPI)
    strip = KEY_IN / (height + KEY_IN)
    ax = fig.add_axes((0, strip, 1, 1 - strip))
    key = fig.add_axes((0.015, strip * 0.3, min(0.3, 2.1 / width), strip * 0.16))
    ax.set_facecolor(OUTSIDE if pm.boundary else INSIDE)
    for ring in _polygons(pm.boundary):
        ax.add_patch(Polygon(ring, closed=True, facecolor=INSIDE, edgecolor="none", zorder=1))
        ax.add_patch(
            Polygon(ring, closed=True, fill=False, edgecolor=BORDER, linewidth=1.3, zorder=5)
        )
    _density(ax, fig, key, pm)
    areas = _areas(ax, pm)
    _hotspots(ax, spots)
    _legend(fig, strip * 0.4, pm, bool(len(spots)))
    _scale_bar(ax, extent, aspect)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect(aspect)
    _names(ax, spots, areas)  # once the axes are final, so that overlaps are measured right
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#C9D2DC")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()
