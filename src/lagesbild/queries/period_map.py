"""What the printed map of a period shows: the municipal boundary, the areas and where the
period's incidents happened (occurrences per square cell), read once with the summary.
The hot spots come from the summary itself, so the map and its table never disagree."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection

from lagesbild import geo, municipalities
from lagesbild.filters import Scope
from lagesbild.models import LocationPrecision, Setting
from lagesbild.queries import incidents, lookup
from lagesbild.queries.common import Viewer
from lagesbild.reference import MUNICIPALITY_KEY

CELLS_ACROSS = 60  # cells along the longer side of the municipality (about)
MIN_CELL_M = 200
METRES_PER_DEGREE = 111_320
Box = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat


@dataclass(frozen=True)
class PeriodMap:
    municipality: str
    boundary: dict | None  # GeoJSON of the municipality, when one is shipped
    areas: pd.DataFrame  # name, geojson (areas with a shape)
    cells: pd.DataFrame  # south, west, occurrences (cells with incidents)
    size: tuple[float, float]  # a cell's (lat, lon) in degrees
    cell_metres: int
    placed: int  # occurrences with an exact position, drawn
    unplaced: int  # occurrences without one (only an area or nothing), not drawn

    @property
    def extent(self) -> Box | None:
        """(min_lon, min_lat, max_lon, max_lat) around the municipality (else its areas) and
        the period's incidents."""
        boxes = [geo.bbox(self.boundary)]
        if boxes[0] is None:
            boxes = [geo.bbox(g) for g in self.areas["geojson"]]
        if len(self.cells):  # incidents just outside the boundary are not cut off
            south, west = self.cells["south"], self.cells["west"]
            boxes.append(
                (
                    float(west.min()),
                    float(south.min()),
                    float(west.max() + self.size[1]),
                    float(south.max() + self.size[0]),
                )
            )
        return union([b for b in boxes if b is not None])

    @property
    def empty(self) -> bool:
        return self.extent is None


def cell_metres(box: Box | None) -> int:
    """A round cell size giving about `CELLS_ACROSS` cells along the longer side."""
    if box is None:
        return 500
    min_lon, min_lat, max_lon, max_lat = box
    across = max(
        (max_lat - min_lat) * METRES_PER_DEGREE,
        (max_lon - min_lon) * METRES_PER_DEGREE * math.cos(math.radians((min_lat + max_lat) / 2)),
    )
    step = 100 if across < 60_000 else 500
    return max(MIN_CELL_M, round(across / CELLS_ACROSS / step) * step)


def _municipality(conn: Connection) -> str:
    value = conn.scalar(select(Setting.value).where(Setting.key == MUNICIPALITY_KEY))
    return (value or "").strip()


def collect(conn: Connection, *, scope: Scope, viewer: Viewer, lat: float) -> PeriodMap:
    """The map of the scope's window as the viewer may see it."""
    name = _municipality(conn)
    boundary = municipalities.boundary(name) if name else None
    areas = lookup.areas(conn, active_only=False).reindex(columns=["name", "geojson"])
    areas = areas.loc[[isinstance(g, dict) and bool(g) for g in areas["geojson"]]]
    shaped = [geo.bbox(g) for g in areas["geojson"]]
    box = geo.bbox(boundary) or union([b for b in shaped if b is not None])
    metres = cell_metres(box)
    size = incidents.metre_cells(metres, (box[1] + box[3]) / 2 if box else lat)
    facts = incidents.map_facts(conn, scope=scope, viewer=viewer, base=size)
    exact = facts[
        (facts["precision"] != LocationPrecision.APPROXIMATE.value) & facts["row"].notna()
    ]
    cells = exact.groupby(["row", "col"], as_index=False)["occurrences"].sum()
    cells["south"] = cells["row"].astype(float) * size[0] - 90.0
    cells["west"] = cells["col"].astype(float) * size[1] - 180.0
    placed = int(cells["occurrences"].sum())
    return PeriodMap(
        municipality=name,
        boundary=boundary,
        areas=areas.reset_index(drop=True),
        cells=cells[["south", "west", "occurrences"]].astype(float),
        size=size,
        cell_metres=metres,
        placed=placed,
        unplaced=int(facts["occurrences"].sum()) - placed,
    )


def union(boxes: list[Box]) -> Box | None:
    """The box around all `boxes`, or None."""
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
