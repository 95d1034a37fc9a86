"""Importing files of incidents: all or nothing, idempotent, with a row-by-row report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from lagesbild import clock
from lagesbild.actor import Actor
from lagesbild.errors import PermissionDenied, ValidationError
from lagesbild.importers import polisen, reading
from lagesbild.importers.mapping import POLICE_UK, Mapping, police_uk
from lagesbild.importers.reading import ImportFileError, Table
from lagesbild.importers.validate import Forum, RowError, validate
from lagesbild.models import (
    Area,
    Category,
    ImportBatch,
    ImportMapping,
    Incident,
    Organisation,
    Place,
)
from lagesbild.reference import MUNICIPALITY_KEY, get_setting
from lagesbild.services import audit

CHUNK = 5_000
BUILT_IN = {
    polisen.SOURCE: "Polisens händelser (JSON från polisen.se)",
    POLICE_UK: "police.uk, brott på gatunivå (CSV)",
}


@dataclass
class ImportReport:
    """What an import did (or would do). Nothing is stored when there are errors."""

    source: str
    filename: str
    rows: int = 0
    added: int = 0
    already: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    batch_id: int | None = None
    stored: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return (
                f"Inget importerades: {len(self.errors)} fel i filen. Rätta raderna nedan "
                "och försök igen – importen sparar allt eller inget."
            )
        parts = [
            f"{self.added} nya händelser" + (" importerades" if self.stored else " kan importeras")
        ]
        if self.already:
            parts.append(f"{self.already} fanns redan (samma id i källan)")
        if self.skipped:
            parts.append(f"{len(self.skipped)} rader hoppades över")
        return ", ".join(parts) + "."


def category_names(session: Session) -> dict[str, int]:
    return {
        name: cid
        for cid, name in session.execute(select(Category.id, Category.name).where(Category.active))
    }


def forum_context(session: Session) -> Forum:
    places = {
        name.lower(): (pid, area, lat, lon)
        for pid, name, area, lat, lon in session.execute(
            select(Place.id, Place.name, Place.area_id, Place.lat, Place.lon).where(Place.active)
        )
    }
    areas = list(session.execute(select(Area.id, Area.name, Area.geojson).where(Area.active)))
    return Forum(
        places=places,
        areas={name.lower(): aid for aid, name, _ in areas},
        area_shapes=[(aid, shape) for aid, _, shape in areas if shape],
        categories=set(category_names(session).values()),
        now=clock.local_now(),
    )


def saved_mapping(session: Session, source: str) -> Mapping | None:
    row = session.scalar(select(ImportMapping).where(ImportMapping.source == source))
    return Mapping.from_json(row.mapping) if row else None


def save_mapping(session: Session, actor: Actor, source: str, mapping: Mapping) -> None:
    """Remember a source's mapping for its next file."""
    source = source.strip()
    if not source:
        raise ValidationError(
            {"source": "Ge källan ett namn, t.ex. ”Vellingebostäder felanmälan”."}
        )
    row = session.scalar(select(ImportMapping).where(ImportMapping.source == source))
    before = row.mapping if row else None
    if row is None:
        row = ImportMapping(source=source, mapping=mapping.to_json())
        session.add(row)
    else:
        row.mapping = mapping.to_json()
    audit.record(
        session,
        actor,
        "update" if before else "create",
        "import_mapping",
        source,
        before=before,
        after=mapping.to_json(),
    )


def sources(session: Session) -> list[str]:
    """Saved sources, alphabetically."""
    return list(session.scalars(select(ImportMapping.source).order_by(ImportMapping.source)))


def read_file(
    session: Session, content: bytes, filename: str, source: str
) -> tuple[Table, Mapping | None, list[tuple[int, str]]]:
    """The file as a table; for a built-in source also its mapping and entries skipped while
    reading (police summaries, other municipalities). Raises ImportFileError."""
    if source == polisen.SOURCE:
        if len(content) > reading.MAX_BYTES:
            raise ImportFileError("Filen är för stor; högst 100 MB kan importeras.")
        if not content:
            raise ImportFileError("Filen är tom.")
        events = reading.read_json(content)
        table, skipped = polisen.to_table(
            events, get_setting(session, MUNICIPALITY_KEY), require_forum_events=True
        )
        return table, polisen.mapping(category_names(session)), skipped
    table = reading.read_table(content, filename)
    if source == POLICE_UK:
        return table, police_uk(category_names(session)), []
    return table, saved_mapping(session, source), []


def _check_rights(session: Session, actor: Actor, organisation_id: int) -> None:
    if not actor.can_write:
        raise PermissionDenied("Ledningen kan läsa men inte importera.")
    if not actor.is_chair and organisation_id != actor.organisation_id:
        raise PermissionDenied("Du kan bara importera för din egen organisation.")
    if session.get(Organisation, organisation_id) is None:
        raise ValidationError({"organisation": "Okänd organisation."})


def run_import(
    session: Session,
    actor: Actor,
    *,
    source: str,
    filename: str,
    table: Table,
    mapping: Mapping,
    organisation_id: int,
    pre_skipped: list[tuple[int, str]] | None = None,
    store: bool = True,
    progress: Callable[[float, str], None] | None = None,
) -> ImportReport:
    """Validate every row; if all are valid, add the ones not imported before (same source
    and source id) in one transaction. With `store=False` nothing is written (a preview)."""
    _check_rights(session, actor, organisation_id)
    report = ImportReport(
        source=source,
        filename=filename,
        rows=len(table.rows),
        notes=list(table.notes),
        skipped=list(pre_skipped or []),
    )

    def step(share: float, text: str) -> None:
        if progress:
            progress(share, text)

    checked = validate(
        table,
        mapping,
        forum_context(session),
        organisation_id,
        source,
        progress=lambda share: step(0.6 * share, "Kontrollerar raderna …"),
    )
    report.errors = checked.errors
    report.skipped += checked.skipped
    if report.errors:
        return report
    ids = [row["source_id"] for row in checked.incidents]
    existing: set[str] = set()
    for lo in range(0, len(ids), CHUNK):
        existing.update(
            session.scalars(
                select(Incident.source_id).where(
                    Incident.source == source, Incident.source_id.in_(ids[lo : lo + CHUNK])
                )
            )
        )
    new = [row for row in checked.incidents if row["source_id"] not in existing]
    report.already = len(checked.incidents) - len(new)
    report.added = len(new)
    if not store or not new:
        step(1.0, "Klart")
        return report
    batch = ImportBatch(
        source=source,
        filename=filename[:255],
        row_count=len(new),
        organisation_id=organisation_id,
        created_by_id=actor.user_id,
    )
    session.add(batch)
    session.flush()
    for lo in range(0, len(new), CHUNK):
        chunk = [
            {**row, "import_batch_id": batch.id, "created_by_id": actor.user_id}
            for row in new[lo : lo + CHUNK]
        ]
        session.execute(insert(Incident), chunk)
        step(0.6 + 0.4 * (lo + len(chunk)) / len(new), "Sparar …")
    audit.record(
        session,
        actor,
        "import",
        "incident",
        batch.id,
        after={
            "source": source,
            "filename": filename,
            "added": report.added,
            "already": report.already,
            "skipped": len(report.skipped),
        },
        detail=f"{report.added} händelser från {source} ({filename})",
    )
    report.batch_id = batch.id
    report.stored = True
    return report
