"""Reporting incidents by hand, and correcting or withdrawing them afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from lagesbild import clock, permissions, privacy
from lagesbild.actor import Actor
from lagesbild.errors import ConflictError, NotFound, ValidationError
from lagesbild.imaging import Prepared
from lagesbild.models import Category, Incident, Organisation, Visibility
from lagesbild.services import audit, locations
from lagesbild.services import photos as photo_service

MAX_DESCRIPTION = 1000
MAX_COUNT = 1000
MAX_WINDOW = dt.timedelta(days=31)
FIELDS = [
    "occurred_at",
    "occurred_until",
    "category_id",
    "place_id",
    "area_id",
    "lat",
    "lon",
    "precision",
    "reporting_org_id",
    "count",
    "description",
    "visibility",
]


@dataclass
class IncidentInput:
    category_id: int | None = None
    place_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    occurred_at: dt.datetime | None = None
    occurred_until: dt.datetime | None = None
    count: int = 1
    description: str = ""


def check_text(
    text: str, problems: dict[str, str], key: str, label: str, limit: int = MAX_DESCRIPTION
) -> str:
    """Trim a free-text field and refuse personal data and overlong text."""
    text = (text or "").strip()
    if len(text) > limit:
        problems[key] = f"{label}Texten är {len(text)} tecken; högst {limit}."
    found = privacy.find(text)
    if found:
        problems[key] = f"{label}{privacy.describe(found)}"
    return text


def writable_org(session: Session, actor: Actor, organisation_id: int | None) -> int:
    org_id = organisation_id if organisation_id is not None else actor.organisation_id
    permissions.require_report_for(actor, org_id)
    org = session.get(Organisation, org_id) if org_id is not None else None
    if org is None or not org.active:
        raise ValidationError({"organisation": "Välj en organisation."})
    return org_id


def _check(
    session: Session,
    item: IncidentInput,
    problems: dict[str, str],
    prefix: str,
    label: str,
    now: dt.datetime,
) -> dict | None:
    before = len(problems)
    category = session.get(Category, item.category_id) if item.category_id else None
    if category is None or not category.active or not category.group.active:
        problems[f"{prefix}category"] = f"{label}Välj en kategori."
    where = locations.resolve(
        session, item.place_id, item.lat, item.lon, problems, f"{prefix}place", label
    )
    if item.occurred_at is None:
        problems[f"{prefix}occurred_at"] = f"{label}Ange när det hände."
    elif item.occurred_at >= now + clock.AHEAD:
        problems[f"{prefix}occurred_at"] = (
            f"{label}Tidpunkten {item.occurred_at:%Y-%m-%d %H:%M} ligger i framtiden."
        )
    if item.occurred_until is not None and item.occurred_at is not None:
        if item.occurred_until < item.occurred_at:
            problems[f"{prefix}occurred_until"] = f"{label}Perioden slutar innan den börjar."
        elif item.occurred_until - item.occurred_at > MAX_WINDOW:
            problems[f"{prefix}occurred_until"] = (
                f"{label}En period får vara högst 31 dagar; dela upp längre förlopp."
            )
    if not isinstance(item.count, int) or not 1 <= item.count <= MAX_COUNT:
        problems[f"{prefix}count"] = f"{label}Antal ska vara mellan 1 och {MAX_COUNT}."
    description = check_text(item.description, problems, f"{prefix}description", label)
    if len(problems) > before or where is None:
        return None
    return {
        "occurred_at": item.occurred_at,
        "occurred_until": item.occurred_until,
        "category_id": category.id,
        "place_id": where.place_id,
        "area_id": where.area_id,
        "lat": where.lat,
        "lon": where.lon,
        "precision": where.precision,
        "count": item.count,
        "description": description,
    }


def create_report(
    session: Session,
    actor: Actor,
    items: list[IncidentInput],
    *,
    organisation_id: int | None = None,
    visibility: str = Visibility.FORUM.value,
    now: dt.datetime | None = None,
    photos: Sequence[Prepared] = (),
) -> list[Incident]:
    """Store a report of one or several incidents – all of them, or none if anything is
    wrong (every problem is listed, per incident). The report's photos (already stripped of
    metadata, see lagesbild.imaging) belong to its first incident."""
    org_id = writable_org(session, actor, organisation_id)
    now = now or clock.local_now()
    if not items:
        raise ValidationError("Rapporten innehåller ingen händelse.")
    if visibility not in {v.value for v in Visibility}:
        raise ValidationError({"visibility": "Okänd synlighet."})
    problems: dict[str, str] = {}
    checked = []
    for i, item in enumerate(items, start=1):
        label = f"Händelse {i}: " if len(items) > 1 else ""
        checked.append(_check(session, item, problems, f"{i}.", label, now))
    if problems:
        raise ValidationError(problems)
    created = []
    for values in checked:
        incident = Incident(
            **values,
            reporting_org_id=org_id,
            visibility=visibility,
            source="manual",
            created_by_id=actor.user_id,
        )
        session.add(incident)
        created.append(incident)
    session.flush()
    for incident in created:
        audit.record(
            session,
            actor,
            "create",
            "incident",
            incident.id,
            after=audit.snapshot(incident, FIELDS),
        )
    if photos:
        photo_service.attach(
            session, actor, photos, reporting_org_id=org_id, incident_id=created[0].id
        )
    return created


def _editable(session: Session, actor: Actor, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound("Händelsen finns inte.")
    permissions.require_change_incident(actor, incident.reporting_org_id)
    return incident


def conflict_check(
    obj, expected_version: int, seen: dict | None, fields: list[str], what: str
) -> None:
    """Refuse a save based on an old version, and say what the other person changed
    (field -> (what you saw, what it is now))."""
    if obj.version == expected_version:
        return
    now = audit.snapshot(obj, fields)
    changes = {k: (seen.get(k), v) for k, v in now.items() if seen and seen.get(k) != v}
    raise ConflictError(
        f"Någon annan har ändrat {what} sedan du öppnade den. Ingenting av "
        "det du skrev har skrivit över deras ändring; läs in den igen och gör "
        "din ändring på nytt.",
        changes,
    )


def correct_incident(
    session: Session,
    actor: Actor,
    incident_id: int,
    expected_version: int,
    item: IncidentInput,
    seen: dict | None = None,
    now: dt.datetime | None = None,
) -> Incident:
    """Correct an incident; the audit log keeps the version before."""
    incident = _editable(session, actor, incident_id)
    conflict_check(incident, expected_version, seen, FIELDS, "händelsen")
    problems: dict[str, str] = {}
    values = _check(session, item, problems, "", "", now or clock.local_now())
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(incident, FIELDS)
    for key, value in values.items():
        setattr(incident, key, value)
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError("Någon annan sparade händelsen samtidigt. Läs in den igen.") from exc
    audit.record(
        session,
        actor,
        "update",
        "incident",
        incident.id,
        before=before,
        after=audit.snapshot(incident, FIELDS),
    )
    return incident


def withdraw_incident(
    session: Session, actor: Actor, incident_id: int, expected_version: int, reason: str
) -> Incident:
    """Withdraw an incident: it stays in the database (and the audit log) but is no longer
    counted or shown."""
    incident = _editable(session, actor, incident_id)
    conflict_check(incident, expected_version, None, FIELDS, "händelsen")
    problems: dict[str, str] = {}
    reason = check_text(reason, problems, "reason", "", limit=500)

    if not reason and "reason" not in problems:
        problems["reason"] = "Ange varför händelsen dras tillbaka."
    if problems:
        raise ValidationError(problems)
    if incident.withdrawn_at is not None:
        raise ValidationError("Händelsen är redan tillbakadragen.")
    before = audit.snapshot(incident, [*FIELDS, "withdrawn_at"])
    incident.withdrawn_at = clock.utcnow()
    incident.withdrawn_reason = reason
    session.flush()
    audit.record(
        session,
        actor,
        "withdraw",
        "incident",
        incident.id,
        before=before,
        after={"withdrawn_reason": reason},
        detail=reason,
    )
    return incident
