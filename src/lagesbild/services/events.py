"""Upcoming events and risk periods (arrangemang/riskperioder) and the actions tied to them.

An event belongs to the organisation that plans for it: its members change or remove it, and so
do chairs and admins (the same rule as for actions). One without an owner is the forum's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from lagesbild import permissions
from lagesbild.actor import Actor
from lagesbild.errors import NotFound, ValidationError
from lagesbild.models import Action, Area, Event, EventKind, Impact, Organisation, Place
from lagesbild.services import audit
from lagesbild.services.reports import check_text

FIELDS = [
    "title",
    "description",
    "kind",
    "place_id",
    "area_id",
    "starts_at",
    "ends_at",
    "expected_impact",
    "owner_org_id",
]


@dataclass
class EventInput:
    title: str = ""
    description: str = ""
    kind: str = EventKind.EVENT.value
    place_id: int | None = None
    area_id: int | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    expected_impact: str = Impact.MEDIUM.value
    action_ids: list[int] = field(default_factory=list)
    owner_org_id: int | None = None  # None: the actor's own organisation


def _validate(session: Session, item: EventInput) -> tuple[dict, list[Action]]:
    problems: dict[str, str] = {}
    title = check_text(item.title, problems, "title", "", limit=200)
    if not title and "title" not in problems:
        problems["title"] = "Ge arrangemanget en rubrik."
    description = check_text(item.description, problems, "description", "")
    if item.kind not in {k.value for k in EventKind}:
        problems["kind"] = "Välj arrangemang eller riskperiod."
    if item.expected_impact not in {i.value for i in Impact}:
        problems["expected_impact"] = "Välj förväntad påverkan."
    if item.starts_at is None or item.ends_at is None:
        problems["starts_at"] = "Ange när det börjar och slutar."
    elif item.ends_at < item.starts_at:
        problems["ends_at"] = "Slutet ligger före början."
    if item.place_id is not None and session.get(Place, item.place_id) is None:
        problems["place_id"] = "Platsen finns inte."
    if item.area_id is not None and session.get(Area, item.area_id) is None:
        problems["area_id"] = "Området finns inte."
    owner = session.get(Organisation, item.owner_org_id) if item.owner_org_id else None
    if item.owner_org_id is not None and (owner is None or not owner.active):
        problems["owner_org_id"] = "Välj en ansvarig organisation som finns i forumet."
    actions = [session.get(Action, a) for a in item.action_ids]
    if any(a is None for a in actions):
        problems["action_ids"] = "Okänd åtgärd."
    if problems:
        raise ValidationError(problems)
    area_id = item.area_id
    if item.place_id is not None and area_id is None:
        area_id = session.get(Place, item.place_id).area_id
    return (
        {
            "title": title,
            "description": description,
            "kind": item.kind,
            "place_id": item.place_id,
            "area_id": area_id,
            "starts_at": item.starts_at,
            "ends_at": item.ends_at,
            "expected_impact": item.expected_impact,
            "owner_org_id": item.owner_org_id,
        },
        actions,
    )


def save_event(
    session: Session, actor: Actor, item: EventInput, event_id: int | None = None
) -> Event:
    event = session.get(Event, event_id) if event_id else None
    if event_id and event is None:
        raise NotFound("Arrangemanget finns inte.")
    if item.owner_org_id is None:
        item = replace(item, owner_org_id=event.owner_org_id if event else actor.organisation_id)
    if event is not None:
        permissions.require_change_event(actor, event.owner_org_id)
    if event is None or item.owner_org_id != event.owner_org_id:
        permissions.require_change_event(actor, item.owner_org_id)  # rights on both sides
    values, actions = _validate(session, item)
    before = audit.snapshot(event, FIELDS) if event else None
    if event is None:
        event = Event(created_by_id=actor.user_id)
        session.add(event)
    for key, value in values.items():
        setattr(event, key, value)
    event.actions = actions
    session.flush()
    audit.record(
        session,
        actor,
        "update" if before else "create",
        "event",
        event.id,
        before=before,
        after=audit.snapshot(event, FIELDS),
    )
    return event


def delete_event(session: Session, actor: Actor, event_id: int) -> None:
    """An event that will not happen is removed (it is a plan, not a record)."""
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("Arrangemanget finns inte.")
    permissions.require_change_event(actor, event.owner_org_id)
    audit.record(session, actor, "delete", "event", event.id, before=audit.snapshot(event, FIELDS))
    session.delete(event)
