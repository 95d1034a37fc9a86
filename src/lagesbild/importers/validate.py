"""Turn a table's rows into incidents, or say exactly which row and column is wrong."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from lagesbild import geo, privacy
from lagesbild.importers import parsing
from lagesbild.importers.mapping import FIELDS, Mapping
from lagesbild.importers.reading import Table
from lagesbild.models import LocationPrecision, time_fields

MAX_DESCRIPTION = 2000
# The column a file of rejected rows carries its errors in; not part of a row's identity, so a
# corrected row gets the same computed id whether it comes back in that file or the original.
ERROR_COLUMN = "fel"


@dataclass(frozen=True)
class RowError:
    row: int  # the line in the file (the header is line 1); 1 for the file as a whole
    column: str
    message: str
    index: int | None = field(default=None, compare=False)  # the row in the table, if a row

    def __str__(self) -> str:
        where = f"rad {self.row}" + (f", kolumn ”{self.column}”" if self.column else "")
        return f"{where[0].upper()}{where[1:]}: {self.message}"


@dataclass(frozen=True)
class Forum:
    """What the rows are checked against: the forum's places, areas and categories."""

    places: dict[str, tuple[int, int | None, float, float]]  # lower-case name -> id, area, pos
    areas: dict[str, int]  # lower-case name -> id
    area_shapes: list[tuple[int, dict]]  # (id, GeoJSON) for placing points in areas
    categories: set[int]  # active category ids
    now: dt.datetime


@dataclass
class Validated:
    incidents: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # row, reason
    masked: list[tuple[int, str]] = field(default_factory=list)  # row, what was masked


def _fingerprint(values: list[str]) -> str:
    return hashlib.sha1("\x1f".join(values).encode("utf-8")).hexdigest()[:20]


def validate(
    table: Table,
    mapping: Mapping,
    forum: Forum,
    organisation_id: int,
    source: str,
    progress: Callable[[float], None] | None = None,
) -> Validated:
    """Check every row. Valid rows become incident dicts ready to insert; every problem is a
    RowError naming the row and column; rows whose category is set to be skipped are listed
    as skipped."""
    out = Validated()
    col = mapping.column
    if not col("occurred_at"):
        out.errors.append(
            RowError(1, "", f"Ange vilken kolumn som är {FIELDS['occurred_at'][0].lower()}.")
        )
    if not col("category") and mapping.default_category is None:
        out.errors.append(
            RowError(1, "", "Ange en kolumn för kategori eller en kategori för alla rader.")
        )
    missing = [c for c in mapping.columns.values() if c and c not in table.columns]
    for name in missing:
        out.errors.append(RowError(1, name, "Kolumnen finns inte i filen."))
    if out.errors:
        return out

    seen: dict[str, int] = {}
    total = len(table.rows)
    records = table.rows.to_dict("records")
    for index, record in enumerate(records):
        row_no = table.line(index)
        if progress and index % 2000 == 0:
            progress(index / max(total, 1))
        errors_before = len(out.errors)

        def fail(column: str, message: str, row_no=row_no, index=index) -> None:
            out.errors.append(RowError(row_no, column, message, index))

        if row_no == table.truncated_line:
            fail(
                "",
                "Filen slutar mitt i raden: raden har färre värden än rubrikraden och inget "
                "radslut, så den är troligen avkortad. Rätta eller ta bort raden.",
            )
            continue

        def cell(name: str, record=record) -> str:
            column = col(name)
            return str(record.get(column, "")).strip() if column else ""

        # category
        category_id = mapping.default_category
        if col("category"):
            value = cell("category")
            if value in mapping.category_values:
                category_id = mapping.category_values[value]
                if category_id is None:
                    out.skipped.append((row_no, f"kategorin ”{value}” importeras inte"))
                    continue
            elif mapping.skip_unmapped:
                out.skipped.append((row_no, f"typen ”{value}” hör inte till forumets kategorier"))
                continue
            elif mapping.default_category is None:
                fail(
                    col("category"),
                    f"Kategorin ”{value}” är inte översatt till någon av forumets kategorier.",
                )

        if category_id is not None and category_id not in forum.categories:
            fail(col("category") or "", "Kategorin finns inte eller är inaktiverad.")

        # time
        occurred_at = occurred_until = None
        try:
            occurred_at, month_end = parsing.parse_datetime(cell("occurred_at"))
            if col("occurred_time") and cell("occurred_time"):
                occurred_at = dt.datetime.combine(
                    occurred_at.date(), parsing.parse_time(cell("occurred_time"))
                )
                month_end = None
            occurred_until = month_end
        except ValueError as exc:
            fail(col("occurred_at"), str(exc))
        if col("occurred_until") and cell("occurred_until"):
            try:
                occurred_until, _ = parsing.parse_datetime(cell("occurred_until"))
                if occurred_at and occurred_until < occurred_at:
                    fail(col("occurred_until"), "Tidsintervallet slutar innan det börjar.")
            except ValueError as exc:
                fail(col("occurred_until"), str(exc))
        if occurred_at and occurred_at > forum.now + dt.timedelta(days=1):
            fail(col("occurred_at"), f"Datumet {occurred_at:%Y-%m-%d} ligger i framtiden.")

        # where
        place_id = area_id = None
        lat = lon = None
        if col("place") and cell("place"):
            place = forum.places.get(cell("place").lower())
            if place is None:
                fail(col("place"), f"Platsen ”{cell('place')}” finns inte i forumets platslista.")
            else:
                place_id, area_id, lat, lon = place
        if col("lat") or col("lon"):
            raw_lat, raw_lon = cell("lat"), cell("lon")
            if raw_lat or raw_lon:
                try:
                    p_lat, p_lon = parsing.parse_number(raw_lat), parsing.parse_number(raw_lon)
                except ValueError as exc:
                    fail(col("lat") if not _is_number(raw_lat) else col("lon"), str(exc))
                else:
                    if not (-90 <= p_lat <= 90 and -180 <= p_lon <= 180):
                        fail(col("lat"), f"Koordinaterna {raw_lat}, {raw_lon} är inte giltiga.")
                    elif mapping.require_sweden and not geo.in_sweden(p_lat, p_lon):
                        fail(
                            col("lat"),
                            f"Koordinaterna {raw_lat}, {raw_lon} ligger utanför "
                            "Sverige (kontrollera att latitud och longitud inte "
                            "bytt plats).",
                        )
                    else:
                        lat, lon = p_lat, p_lon
        if col("area") and cell("area"):
            area_id = forum.areas.get(cell("area").lower())
            if area_id is None:
                fail(col("area"), f"Området ”{cell('area')}” finns inte.")
        approximate = mapping.precision == LocationPrecision.APPROXIMATE.value
        if area_id is None and lat is not None and place_id is None and not approximate:
            # an approximate point (a municipality's) says nothing about the district
            area_id = next(
                (a for a, shape in forum.area_shapes if geo.contains(shape, lat, lon)), None
            )

        # how many, what
        count = 1
        try:
            count = parsing.parse_count(cell("count"))
        except ValueError as exc:
            fail(col("count"), str(exc))
        description = cell("description")
        if len(description) > MAX_DESCRIPTION:
            fail(
                col("description"),
                f"Beskrivningen är {len(description)} tecken; högst {MAX_DESCRIPTION}.",
            )
        masked, found = privacy.mask(description)
        if found and mapping.mask_personal_data:
            description = masked
            out.masked.append((row_no, ", ".join(sorted({f.kind for f in found}))))
        elif found:
            fail(col("description"), privacy.describe(found))

        if len(out.errors) > errors_before:
            continue
        key = cell("source_id") or _fingerprint(
            [str(record.get(c, "")) for c in table.columns if c != ERROR_COLUMN]
        )
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            if cell("source_id"):
                fail(col("source_id"), f"Id ”{key}” förekommer flera gånger i filen.")
                continue
            key = f"{key}#{seen[key]}"
        precision = (
            LocationPrecision.PLACE.value
            if place_id is not None and lat is not None and (col("lat") is None or not cell("lat"))
            else mapping.precision
        )
        out.incidents.append(
            {
                "occurred_at": occurred_at,
                "occurred_until": occurred_until,
                **time_fields(occurred_at),
                "category_id": category_id,
                "place_id": place_id,
                "area_id": area_id,
                "lat": lat,
                "lon": lon,
                "precision": precision,
                "reporting_org_id": organisation_id,
                "count": count,
                "description": description,
                "visibility": mapping.visibility,
                "source": source,
                "source_id": key,
            }
        )
    if progress:
        progress(1.0)
    return out


def _is_number(text: str) -> bool:
    try:
        parsing.parse_number(text)
    except ValueError:
        return False
    return True
