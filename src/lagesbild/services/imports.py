"""Importing files of incidents: all or nothing by default (or the valid rows, when asked,
with the rejected ones handed back as a file), idempotent, with a row-by-row report that
always says why nothing was stored."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from lagesbild import clock, fmt, permissions
from lagesbild.actor import Actor
from lagesbild.errors import NotFound, ValidationError
from lagesbild.export.tables import formula_safe
from lagesbild.importers import polisen, reading
from lagesbild.importers.mapping import POLICE_UK, Mapping, police_uk
from lagesbild.importers.reading import Table
from lagesbild.importers.validate import ERROR_COLUMN, Forum, RowError, validate
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
from lagesbild.services import audit, staging

CHUNK = 5_000
MAX_SOURCE = 80
BUILT_IN = {
    polisen.SOURCE: "Polisens händelser (JSON från polisen.se)",
    POLICE_UK: "police.uk, brott på gatunivå (CSV)",
}
# Sources whose texts the forum cannot correct: suspected personal data is masked, the row kept.
PUBLIC_SOURCES = {polisen.SOURCE, POLICE_UK}


@dataclass
class ImportReport:
    """What an import did (or would do). Nothing is stored when there are errors, unless
    `skip_invalid` was chosen: then the valid rows are stored and `rejected_file` holds the
    others."""

    source: str
    filename: str
    rows: int = 0
    added: int = 0
    already: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    masked: list[tuple[int, str]] = field(default_factory=list)  # row, kinds masked
    notes: list[str] = field(default_factory=list)
    batch_id: int | None = None
    stored: bool = False
    skip_invalid: bool = False
    rejected_file: bytes | None = None  # CSV: the rows with errors, plus a column "fel"
    nothing_reason: str = ""  # why nothing would be stored, when nothing would

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rejected_rows(self) -> int:
        return len({e.index for e in self.errors if e.index is not None})

    @property
    def blocked(self) -> bool:
        """Errors stop the import: all or nothing, or the file as a whole is wrong."""
        return bool(self.errors) and (
            not self.skip_invalid or any(e.index is None for e in self.errors)
        )

    @property
    def stores_nothing(self) -> bool:
        """The file holds nothing to store and nothing stored before: never a silent success."""
        return not self.blocked and not self.added and not self.already

    def summary(self) -> str:
        if self.blocked:
            return (
                f"Inget importerades: {len(self.errors)} fel i filen. Rätta raderna nedan "
                "och försök igen – importen sparar allt eller inget."
            )
        if self.stores_nothing:
            return f"Inget importerades: {self.nothing_reason}"
        parts = [
            f"{fmt.integer(self.added)} nya händelser"
            + (" importerades" if self.stored else " kan importeras")
        ]
        if self.already:
            parts.append(f"{fmt.integer(self.already)} fanns redan (samma id i källan)")
        if self.errors:
            parts.append(
                f"{fmt.integer(self.rejected_rows)} rader med fel "
                + ("hoppades över" if self.stored else "hoppas över")
                + " (rätta dem i filen med felen och importera den)"
            )
        if self.masked:
            parts.append(f"personuppgifter maskerades i {fmt.integer(len(self.masked))} texter")
        if self.skipped:
            parts.append(f"{fmt.integer(len(self.skipped))} rader hoppades över")
        return ", ".join(parts) + "."


def _nothing_reason(report: ImportReport, table: Table) -> str:
    """A Swedish sentence on why a file stores nothing."""
    if table.empty_reason:
        return table.empty_reason
    if report.errors:
        return (
            f"alla {fmt.integer(report.rejected_rows)} rader har fel; rätta dem i filen med "
            "felen och importera den."
        )
    if not report.skipped:
        return "filen har inga rader med händelser under rubrikraden."
    reasons = Counter(why for _, why in report.skipped).most_common(3)
    listed = "; ".join(f"{why} ({fmt.integer(n)})" for why, n in reasons)
    return (
        f"alla {fmt.integer(len(report.skipped))} rader hoppades över. Vanligaste skälen: {listed}."
    )


def rejected_name(filename: str) -> str:
    """The name for a file's rejected rows: 'felanmalan.csv.gz' -> 'felanmalan-fel.csv'."""
    stem = filename
    for suffix in (".gz", ".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xlsm", ".json"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return f"{stem or 'import'}-{ERROR_COLUMN}.csv"


def rejected_file(table: Table, errors: list[RowError]) -> bytes:
    """The rows with errors as CSV (UTF-8 with BOM for Excel): the file's own columns and a
    column "fel" with what to correct, ready to be fixed and imported again. Texts that a
    spreadsheet would run as formulas get a leading quote, as in every file the product writes."""
    messages: dict[int, list[str]] = {}
    for error in errors:
        if error.index is not None:
            where = f"kolumn ”{error.column}”: " if error.column else ""
            messages.setdefault(error.index, []).append(where + error.message)
    keep = [c for c in table.columns if c != ERROR_COLUMN]  # a file that was rejected before
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=table.delimiter or ";", lineterminator="\r\n")
    writer.writerow([formula_safe(c) for c in (*keep, ERROR_COLUMN)])
    rows = table.rows[keep].to_numpy()
    for index in sorted(messages):
        cells = [*rows[index], " | ".join(messages[index])]
        writer.writerow([formula_safe(c) for c in cells])
    return out.getvalue().encode("utf-8-sig")


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


def mapping_owner(session: Session, source: str) -> tuple[bool, int | None]:
    """Whether a mapping is saved for the source, and the organisation it belongs to."""
    row = session.execute(
        select(ImportMapping.id, ImportMapping.owner_org_id).where(ImportMapping.source == source)
    ).first()
    return (row is not None, row.owner_org_id if row else None)


def may_save_mapping(session: Session, actor: Actor, source: str) -> bool:
    """Whether saving a mapping for the source would be allowed (for the page to say so)."""
    exists, owner = mapping_owner(session, source.strip())
    return permissions.may_change_mapping(actor, owner) if exists else permissions.may_write(actor)


def save_mapping(
    session: Session,
    actor: Actor,
    source: str,
    mapping: Mapping,
    organisation_id: int | None = None,
) -> None:
    """Remember a source's mapping for its next file. A new mapping belongs to the organisation
    whose file it reads (default: the actor's); a saved one is changed only by its
    organisation's members and admins."""
    source = source.strip()
    if not source:
        raise ValidationError(
            {"source": "Ge källan ett namn, t.ex. ”Vellingebostäder felanmälan”."}
        )
    if len(source) > MAX_SOURCE:
        raise ValidationError({"source": f"Källans namn får vara högst {MAX_SOURCE} tecken."})
    row = session.scalar(select(ImportMapping).where(ImportMapping.source == source))
    if row is None:
        owner = organisation_id if organisation_id is not None else actor.organisation_id
        permissions.require_report_for(actor, owner, "spara kolumnmappningar")
        row = ImportMapping(source=source, mapping=mapping.to_json(), owner_org_id=owner)
        session.add(row)
        before = None
    else:
        permissions.require_change_mapping(actor, row.owner_org_id)
        before = row.mapping
        row.mapping = mapping.to_json()
    session.flush()
    audit.record(
        session,
        actor,
        "update" if before else "create",
        "import_mapping",
        row.id,
        before=before,
        after={**mapping.to_json(), "owner_org_id": row.owner_org_id},
        detail=source,
    )


def delete_mapping(session: Session, actor: Actor, source: str) -> None:
    """Forget a source's saved mapping (its imported incidents stay)."""
    row = session.scalar(select(ImportMapping).where(ImportMapping.source == source.strip()))
    if row is None:
        raise NotFound("Ingen kolumnmappning är sparad för källan.")
    permissions.require_change_mapping(actor, row.owner_org_id)
    audit.record(
        session, actor, "delete", "import_mapping", row.id, before=row.mapping, detail=row.source
    )
    session.delete(row)


def sources(session: Session) -> list[str]:
    """Saved sources, alphabetically."""
    return list(session.scalars(select(ImportMapping.source).order_by(ImportMapping.source)))


def read_file(
    session: Session, content: bytes | BinaryIO, filename: str, source: str
) -> tuple[Table, Mapping | None, list[tuple[int, str]]]:
    """The file (bytes or a binary stream, gzip-packed or not) as a table; for a built-in
    source also its mapping and entries skipped while reading (police summaries, other
    municipalities; a police table without rows says why in `empty_reason`). Raises
    ImportFileError."""
    if source == polisen.SOURCE:
        events = reading.read_json(content, filename)
        table, skipped = polisen.to_table(events, get_setting(session, MUNICIPALITY_KEY))
        mapping = polisen.mapping(category_names(session))
    else:
        table = reading.read_table(content, filename)
        if source == POLICE_UK:
            mapping, skipped = police_uk(category_names(session), table.columns), []
        else:
            mapping, skipped = saved_mapping(session, source), []
    return table, mapping, skipped


def _check_rights(session: Session, actor: Actor, organisation_id: int) -> None:
    permissions.require_report_for(actor, organisation_id, "importera")
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
    skip_invalid: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> ImportReport:
    """Validate every row; if all are valid, add the ones not imported before (same source
    and source id) in one transaction. With `skip_invalid` the valid rows are added even when
    others have errors, and the report carries the rejected rows as a file. With
    `store=False` nothing is written (a preview)."""
    _check_rights(session, actor, organisation_id)
    # Masking instead of refusing is for public sources only, whatever the mapping says.
    mapping = dataclasses.replace(mapping, mask_personal_data=source in PUBLIC_SOURCES)
    report = ImportReport(
        source=source,
        filename=filename,
        rows=len(table.rows),
        notes=list(table.notes),
        skipped=list(pre_skipped or []),
        skip_invalid=skip_invalid,
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
    report.masked = checked.masked
    if report.errors and report.rejected_rows:
        report.rejected_file = rejected_file(table, report.errors)
    if report.blocked:
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
    if report.stores_nothing:
        report.nothing_reason = _nothing_reason(report, table)
    if not store or not new:
        step(1.0, "Klart")
        return report
    stamp = {"created_by_id": actor.user_id, "created_at": clock.utcnow(), "version": 1}
    with staging.staging(session.connection(), [*new[0], *stamp]) as staged:
        for lo in range(0, len(new), staging.BATCH):
            staged.add([{**row, **stamp} for row in new[lo : lo + staging.BATCH]])
            step(0.6 + 0.4 * min(lo + staging.BATCH, len(new)) / len(new), "Sparar …")
        batch = ImportBatch(
            source=source,
            filename=filename[:255],
            row_count=len(new),
            organisation_id=organisation_id,
            created_by_id=actor.user_id,
        )
        session.add(batch)
        session.flush()
        staged.publish(batch.id)
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
