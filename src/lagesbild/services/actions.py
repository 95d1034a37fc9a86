"""Actions (åtgärder/insatser): who owns them, their status and its history, and their rights.

Members change their own organisation's actions; chairs and admins any; leadership reads.
Every save carries the version the user started from: if someone else saved in between, the
save is refused and the user is told what the other person changed (optimistic locking).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from lagesbild import clock, permissions
from lagesbild.actor import Actor
from lagesbild.errors import ConflictError, NotFound, ValidationError
from lagesbild.labels import ACTION_STATUS
from lagesbild.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    ActionStatusChange,
    ActionType,
    Area,
    Category,
    Horizon,
    Incident,
    Meeting,
    Organisation,
    Place,
)
from lagesbild.services import audit, mail
from lagesbild.services.reports import check_text, conflict_check

S = ActionStatus
CLOSED = (S.DONE.value, S.CANCELLED.value)
# Which status may follow which. Reopening is allowed (klar -> pågår, avbruten -> föreslagen);
# going back to an earlier stage of a finished action (klar -> föreslagen) is not.
TRANSITIONS: dict[str, set[str]] = {
    S.PROPOSED.value: {S.DECIDED.value, S.CANCELLED.value},
    S.DECIDED.value: {S.PROPOSED.value, S.IN_PROGRESS.value, S.DONE.value, S.CANCELLED.value},
    S.IN_PROGRESS.value: {S.DECIDED.value, S.DONE.value, S.CANCELLED.value},
    S.DONE.value: {S.IN_PROGRESS.value},
    S.CANCELLED.value: {S.PROPOSED.value},
}
FIELDS = [
    "title",
    "description",
    "owner_org_id",
    "responsible_role",
    "place_id",
    "area_id",
    "horizon",
    "action_type",
    "status",
    "start_date",
    "due_date",
    "decided_meeting_id",
    "closed_at",
    "evaluation_note",
    "citizen_promise",
]


@dataclass
class ActionInput:
    title: str = ""
    description: str = ""
    owner_org_id: int | None = None
    responsible_role: str = ""
    place_id: int | None = None
    area_id: int | None = None
    horizon: str = Horizon.SHORT.value
    action_type: str = ActionType.PHYSICAL.value
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    category_ids: list[int] = field(default_factory=list)
    # None: keep the action's linked incidents as they are (a new action has none)
    incident_ids: list[int] | None = None
    citizen_promise: bool = False
    evaluation_note: str = ""
    decided_meeting_id: int | None = None


_require = permissions.require_change_action


def _linkable(session: Session, actor: Actor, incident_id: int) -> Incident | None:
    """An incident the actor may link: one they can see. Another organisation's restricted
    (or a withdrawn) incident is answered as if it did not exist, so that refusing it does
    not reveal it."""
    incident = session.get(Incident, incident_id)
    if incident is None or incident.withdrawn_at is not None:
        return None
    if not permissions.may_see_incident(actor, incident.visibility, incident.reporting_org_id):
        return None
    return incident


def _validate(
    session: Session, actor: Actor, item: ActionInput, linked: frozenset[int] = frozenset()
) -> tuple[dict, list, list | None]:
    """The stored values, categories and incidents (None: unchanged) of a valid input. Incidents
    already linked (`linked`) stay linkable whoever edits the action."""
    problems: dict[str, str] = {}
    title = check_text(item.title, problems, "title", "", limit=200)
    if not title and "title" not in problems:
        problems["title"] = "Ge åtgärden en rubrik."
    description = check_text(item.description, problems, "description", "")
    role = check_text(item.responsible_role, problems, "responsible_role", "", limit=120)
    note = check_text(item.evaluation_note, problems, "evaluation_note", "")
    owner = session.get(Organisation, item.owner_org_id) if item.owner_org_id else None
    if owner is None or not owner.active:
        problems["owner_org_id"] = "Välj en ansvarig organisation som finns i forumet."
    if item.place_id is not None and session.get(Place, item.place_id) is None:
        problems["place_id"] = "Platsen finns inte."
    if item.area_id is not None and session.get(Area, item.area_id) is None:
        problems["area_id"] = "Området finns inte."
    if item.horizon not in {h.value for h in Horizon}:
        problems["horizon"] = "Välj kort eller lång sikt."
    if item.action_type not in {t.value for t in ActionType}:
        problems["action_type"] = "Välj typ av åtgärd."
    if item.start_date and item.due_date and item.due_date < item.start_date:
        problems["due_date"] = (
            f"Klart-datumet {item.due_date} ligger före startdatumet {item.start_date}."
        )
    if (
        item.decided_meeting_id is not None
        and session.get(Meeting, item.decided_meeting_id) is None
    ):
        problems["decided_meeting_id"] = "Mötet finns inte."
    categories = [session.get(Category, c) for c in item.category_ids]
    if any(c is None for c in categories):
        problems["category_ids"] = "Okänd kategori."
    incidents = None
    if item.incident_ids is not None:
        incidents = [
            session.get(Incident, i) if i in linked else _linkable(session, actor, i)
            for i in item.incident_ids
        ]
        if any(i is None for i in incidents):
            problems["incident_ids"] = "Okänd händelse."
    if problems:
        raise ValidationError(problems)
    values = {
        "title": title,
        "description": description,
        "owner_org_id": owner.id,
        "responsible_role": role,
        "place_id": item.place_id,
        "area_id": item.area_id,
        "horizon": item.horizon,
        "action_type": item.action_type,
        "start_date": item.start_date,
        "due_date": item.due_date,
        "citizen_promise": bool(item.citizen_promise),
        "evaluation_note": note,
        "decided_meeting_id": item.decided_meeting_id,
    }
    if item.place_id is not None and item.area_id is None:
        values["area_id"] = session.get(Place, item.place_id).area_id
    return values, categories, incidents


def _snapshot(action: Action) -> dict:
    data = audit.snapshot(action, FIELDS)
    data["category_ids"] = sorted(c.id for c in action.categories)
    return data


def create_action(
    session: Session,
    actor: Actor,
    item: ActionInput,
    status: str = S.PROPOSED.value,
    note: str = "",
) -> Action:
    _require(actor, item.owner_org_id)
    values, categories, incidents = _validate(session, actor, item)
    if status not in OPEN_ACTION_STATUSES:
        raise ValidationError({"status": "En ny åtgärd är föreslagen, beslutad eller pågår."})
    action = Action(**values, status=status, created_by_id=actor.user_id)
    action.categories = categories
    action.incidents = incidents or []
    session.add(action)
    session.flush()
    session.add(
        ActionStatusChange(
            action_id=action.id,
            from_status=None,
            to_status=status,
            note=note,
            changed_by_id=actor.user_id,
        )
    )
    audit.record(session, actor, "create", "action", action.id, after=_snapshot(action))
    mail.action_assigned(session, action)
    return action


def _load(session: Session, action_id: int) -> Action:
    action = session.get(Action, action_id)
    if action is None:
        raise NotFound("Åtgärden finns inte.")
    return action


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError(
            "Någon annan sparade åtgärden i samma ögonblick. Läs in den igen "
            "och gör din ändring på nytt."
        ) from exc


def update_action(
    session: Session,
    actor: Actor,
    action_id: int,
    expected_version: int,
    item: ActionInput,
    seen: dict | None = None,
) -> Action:
    """Change an action's details (not its status). Refused if someone saved in between."""
    action = _load(session, action_id)
    _require(actor, action.owner_org_id)
    if item.owner_org_id != action.owner_org_id:
        _require(actor, item.owner_org_id)  # handing over needs rights on both sides
    conflict_check(action, expected_version, seen, FIELDS, "åtgärden")
    linked = frozenset(i.id for i in action.incidents)
    values, categories, incidents = _validate(session, actor, item, linked)
    before = _snapshot(action)
    handed_over = values["owner_org_id"] != action.owner_org_id
    for key, value in values.items():
        setattr(action, key, value)
    action.categories = categories
    if incidents is not None:
        action.incidents = incidents
    _flush(session)
    audit.record(
        session, actor, "update", "action", action.id, before=before, after=_snapshot(action)
    )
    if handed_over:
        mail.action_assigned(session, action)
    return action


def change_status(
    session: Session,
    actor: Actor,
    action_id: int,
    expected_version: int,
    status: str,
    note: str = "",
    evaluation_note: str | None = None,
    today: dt.date | None = None,
) -> Action:
    """Move an action to a new status; the history keeps every step with who and why."""
    action = _load(session, action_id)
    _require(actor, action.owner_org_id)
    conflict_check(action, expected_version, None, FIELDS, "åtgärden")
    problems: dict[str, str] = {}
    note = check_text(note, problems, "note", "", limit=500)
    if evaluation_note is not None:
        evaluation_note = check_text(evaluation_note, problems, "evaluation_note", "")
    if status not in TRANSITIONS:
        problems["status"] = "Okänd status."
    elif status == action.status:
        problems["status"] = "Åtgärden har redan den statusen."
    elif status not in TRANSITIONS[action.status]:
        problems["status"] = (
            f"En åtgärd som är {ACTION_STATUS[S(action.status)].lower()} kan "
            f"inte bli {ACTION_STATUS[S(status)].lower()}."
        )
    if problems:
        raise ValidationError(problems)
    before = _snapshot(action)
    previous = action.status
    action.status = status
    if status in CLOSED:
        action.closed_at = today or clock.local_today()
    else:
        action.closed_at = None
    if evaluation_note is not None:
        action.evaluation_note = evaluation_note
    _flush(session)
    change = ActionStatusChange(
        action_id=action.id,
        from_status=previous,
        to_status=status,
        note=note,
        changed_by_id=actor.user_id,
    )
    session.add(change)
    session.flush()
    mail.status_changed(session, action, change.id, previous, note)
    audit.record(
        session,
        actor,
        "status",
        "action",
        action.id,
        before=before,
        after=_snapshot(action),
        detail=f"{previous} → {status}",
    )
    return action
