"""Meetings (möten): starting one, walking its agenda, recording decisions as they are made,
and closing it with its minutes.

One meeting runs at a time, and one person leads it: the chair who started it, until another
chair or admin explicitly takes over. Everything is written the moment it is entered, so a
browser that crashes (or a chair who changes computers) loses nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from lagesbild import clock, fmt, permissions
from lagesbild.actor import Actor
from lagesbild.agenda import AGENDA
from lagesbild.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from lagesbild.export import minutes as minutes_text
from lagesbild.models import (
    Action,
    ActionStatus,
    Area,
    Decision,
    DecisionKind,
    Meeting,
    MeetingStatus,
    Organisation,
    Place,
    User,
)
from lagesbild.queries import minutes
from lagesbild.queries.meetings import FIRST_MEETING_DAYS
from lagesbild.services import actions, audit, mail
from lagesbild.services.reports import check_text

M = MeetingStatus
DECISION_KINDS = (
    DecisionKind.FOCUS_AREA.value,
    DecisionKind.HOT_SPOT.value,
    DecisionKind.OTHER.value,
)
FEEDBACK_FIELDS = ("feedback_reporters", "feedback_leadership", "notes")


_require_chair = permissions.require_lead_meetings


def _chair_name(session: Session, meeting: Meeting) -> str:
    user = session.get(User, meeting.chair_user_id) if meeting.chair_user_id else None
    return user.display_name if user else "någon annan"


def open_meeting(session: Session) -> Meeting | None:
    return session.scalars(select(Meeting).where(Meeting.status == M.OPEN.value)).first()


def previous_meeting_time(session: Session, before: dt.datetime) -> dt.datetime | None:
    """When the last closed meeting before `before` was held."""
    return session.scalar(
        select(Meeting.held_at)
        .where(Meeting.status == M.CLOSED.value, Meeting.held_at < before)
        .order_by(Meeting.held_at.desc())
        .limit(1)
    )


def start_meeting(
    session: Session,
    actor: Actor,
    held_at: dt.datetime,
    attendee_ids: list[int],
    now: dt.datetime | None = None,
) -> Meeting:
    """Open a meeting led by `actor`. A planned meeting on the same day is used if there is
    one. "Since the last meeting" is frozen from the previous closed meeting."""
    _require_chair(actor)
    running = open_meeting(session)
    if running is not None:
        raise ConflictError(
            f"Ett möte pågår redan (startat {fmt.datetime(running.held_at)} och lett av "
            f"{_chair_name(session, running)}). Fortsätt det mötet, eller avsluta det först."
        )
    problems: dict[str, str] = {}
    orgs = [session.get(Organisation, i) for i in attendee_ids]
    if not attendee_ids:
        problems["attendees"] = "Välj vilka organisationer som är med på mötet."
    elif any(o is None for o in orgs):
        problems["attendees"] = "En av organisationerna finns inte."
    now = now or clock.local_now()
    if held_at > now + dt.timedelta(hours=12):
        problems["held_at"] = (
            f"Ett möte kan inte startas i förväg ({fmt.datetime(held_at)}). Planerade möten "
            "startas samma dag."
        )
    if problems:
        raise ValidationError(problems)
    meeting = session.scalars(
        select(Meeting)
        .where(Meeting.status == M.PLANNED.value)
        .where(Meeting.held_at >= dt.datetime.combine(held_at.date(), dt.time()))
        .where(Meeting.held_at < dt.datetime.combine(held_at.date(), dt.time()) + dt.timedelta(1))
    ).first()
    since = previous_meeting_time(session, held_at)
    if meeting is None:
        meeting = Meeting()
        session.add(meeting)

    meeting.held_at = held_at
    meeting.status = M.OPEN.value
    meeting.chair_user_id = actor.user_id
    meeting.since = since or held_at - dt.timedelta(days=FIRST_MEETING_DAYS)
    meeting.started_at = clock.utcnow()
    meeting.agenda_step = 0
    meeting.attendees = orgs
    try:
        session.flush()
    except IntegrityError as exc:  # another chair started one in the same instant
        raise ConflictError(
            "Någon annan startade ett möte i samma ögonblick. Öppna sidan igen för att följa det."
        ) from exc
    audit.record(
        session,
        actor,
        "create",
        "meeting",
        meeting.id,
        after={"held_at": held_at, "attendees": [o.short_name for o in orgs], "since": since},
        detail="Mötet startades",
    )
    return meeting


def _load(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("Mötet finns inte.")
    return meeting


def _leading(session: Session, actor: Actor, meeting_id: int) -> Meeting:
    """The open meeting, provided `actor` is the one leading it."""
    _require_chair(actor)
    meeting = _load(session, meeting_id)
    if meeting.status != M.OPEN.value:
        raise ConflictError("Mötet är redan avslutat. Öppna sidan igen.")
    if not permissions.leads_meeting(actor, meeting.chair_user_id):
        raise PermissionDenied(
            f"Mötet leds av {_chair_name(session, meeting)}. Ta över ledningen av mötet "
            "först om du ska leda det."
        )
    return meeting


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError(
            "Mötet ändrades av någon annan i samma ögonblick. Sidan visar nu det senaste."
        ) from exc


def take_over(session: Session, actor: Actor, meeting_id: int) -> Meeting:
    """Another chair (or admin) takes over leading the open meeting."""
    _require_chair(actor)
    meeting = _load(session, meeting_id)
    if meeting.status != M.OPEN.value:
        raise ConflictError("Mötet är redan avslutat.")
    before = {"chair": _chair_name(session, meeting)}
    meeting.chair_user_id = actor.user_id
    _flush(session)
    audit.record(
        session,
        actor,
        "update",
        "meeting",
        meeting.id,
        before=before,
        after={"chair": actor.display_name},
        detail="Tog över ledningen av mötet",
    )
    return meeting


def go_to_step(
    session: Session, actor: Actor, meeting_id: int, step: int, from_step: int | None = None
) -> Meeting:
    """Move the meeting (and everyone following it) to an agenda step.

    `from_step` is the step the chair's screen showed when the move was asked for: when the
    meeting is no longer there (the move already arrived once, or another screen moved it
    first), nothing changes. A browser can deliver a click twice, or report a control's old
    value after the page has moved on; without this check such a late report sends the whole
    room back a step."""
    meeting = _leading(session, actor, meeting_id)
    if not 0 <= step < len(AGENDA):
        raise ValidationError({"step": "Punkten finns inte på dagordningen."})
    if from_step is not None and meeting.agenda_step != from_step:
        return meeting
    meeting.agenda_step = step
    _flush(session)
    return meeting


def save_attendance(session: Session, actor: Actor, meeting_id: int, org_ids: list[int]) -> None:
    meeting = _leading(session, actor, meeting_id)
    orgs = [session.get(Organisation, i) for i in org_ids]
    if not orgs or any(o is None for o in orgs):
        raise ValidationError({"attendees": "Välj vilka organisationer som är med på mötet."})
    before = sorted(o.short_name for o in meeting.attendees)
    meeting.attendees = orgs
    _flush(session)
    audit.record(
        session,
        actor,
        "update",
        "meeting",
        meeting.id,
        before={"attendees": before},
        after={"attendees": sorted(o.short_name for o in orgs)},
    )


def save_text(session: Session, actor: Actor, meeting_id: int, field: str, value: str) -> None:
    """Feedback to reporters, feedback to leadership or the notes, saved as they are typed."""
    if field not in FEEDBACK_FIELDS:
        raise ValueError(field)
    meeting = _leading(session, actor, meeting_id)
    problems: dict[str, str] = {}
    text = check_text(value, problems, field, "", limit=4000)
    if problems:
        raise ValidationError(problems)
    before = getattr(meeting, field)
    if before == text:
        return
    setattr(meeting, field, text)
    _flush(session)
    audit.record(
        session, actor, "update", "meeting", meeting.id, before={field: before}, after={field: text}
    )


def add_decision(
    session: Session,
    actor: Actor,
    meeting_id: int,
    kind: str,
    text: str,
    place_id: int | None = None,
    area_id: int | None = None,
) -> Decision:
    """A focus area, a hot spot for the coming period, or another decision, saved at once."""
    meeting = _leading(session, actor, meeting_id)
    problems: dict[str, str] = {}
    if kind not in DECISION_KINDS:
        problems["kind"] = "Välj vad för slags beslut det är."
    clean = check_text(text, problems, "text", "", limit=1000)
    if place_id is not None and session.get(Place, place_id) is None:
        problems["place_id"] = "Platsen finns inte."
    if area_id is not None and session.get(Area, area_id) is None:
        problems["area_id"] = "Området finns inte."
    if kind in (DecisionKind.FOCUS_AREA.value, DecisionKind.HOT_SPOT.value) and (
        place_id is None and area_id is None
    ):
        problems["place_id"] = "Välj platsen eller området som beslutet gäller."
    if not clean and "text" not in problems:
        if place_id is None and area_id is None:
            problems["text"] = "Skriv vad som beslutades."
        else:
            clean = _default_text(session, kind, place_id, area_id)
    if problems:
        raise ValidationError(problems)
    if place_id is not None and area_id is None:
        area_id = session.get(Place, place_id).area_id
    decision = Decision(
        meeting_id=meeting.id,
        kind=kind,
        text=clean,
        place_id=place_id,
        area_id=area_id,
        created_by_id=actor.user_id,
    )
    session.add(decision)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "decision",
        decision.id,
        after={"meeting": meeting.id, "kind": kind, "text": clean},
    )
    return decision


def _default_text(session: Session, kind: str, place_id: int | None, area_id: int | None) -> str:
    target = session.get(Place, place_id) if place_id is not None else session.get(Area, area_id)
    name = target.name

    if kind == DecisionKind.HOT_SPOT.value:
        return f"Hot spot kommande period: {name}"
    if kind == DecisionKind.FOCUS_AREA.value:
        return f"Fokusområde kommande period: {name}"
    return name


def add_action(
    session: Session, actor: Actor, meeting_id: int, item: actions.ActionInput
) -> tuple[Action, Decision]:
    """A new action decided at the meeting: stored as decided, tied to the meeting, and listed
    among its decisions – in one transaction."""
    meeting = _leading(session, actor, meeting_id)
    problems: dict[str, str] = {}
    if item.due_date is None:
        problems["due_date"] = "Ange när åtgärden ska vara klar."
    if problems:
        raise ValidationError(problems)
    item.decided_meeting_id = meeting.id
    if item.start_date is None:
        item.start_date = meeting.held_at.date()
    action = actions.create_action(
        session, actor, item, ActionStatus.DECIDED.value, note="Beslutad på mötet"
    )
    decision = Decision(
        meeting_id=meeting.id,
        kind=DecisionKind.ACTION.value,
        text=action.title,
        action_id=action.id,
        place_id=action.place_id,
        area_id=action.area_id,
        created_by_id=actor.user_id,
    )
    session.add(decision)
    session.flush()
    return action, decision


def remove_decision(session: Session, actor: Actor, decision_id: int) -> None:
    """Take back a decision recorded by mistake, while the meeting is still open. A decided
    action is cancelled (not deleted), so its history stays."""
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise NotFound("Beslutet finns inte längre.")
    _leading(session, actor, decision.meeting_id)
    if decision.action_id is not None:
        action = session.get(Action, decision.action_id)
        if action.status not in actions.CLOSED:
            actions.change_status(
                session,
                actor,
                action.id,
                action.version,
                ActionStatus.CANCELLED.value,
                "Beslutet togs tillbaka på mötet",
            )
    audit.record(
        session,
        actor,
        "delete",
        "decision",
        decision.id,
        before={"meeting": decision.meeting_id, "kind": decision.kind, "text": decision.text},
    )
    session.delete(decision)
    session.flush()


def close_meeting(
    session: Session,
    actor: Actor,
    meeting_id: int,
    forum: str,
    lat: float,
    without_decisions: bool = False,
) -> Meeting:
    """Close the meeting and store its minutes (figures and text) as they were at the end."""
    meeting = _leading(session, actor, meeting_id)
    if not meeting.decisions and not without_decisions:
        raise ValidationError(
            {
                "decisions": "Mötet har inga beslut ännu. Lägg till beslut under punkten "
                "Beslut, eller bekräfta att mötet ska avslutas utan beslut."
            }
        )
    now = clock.utcnow()
    data = minutes.collect(session.connection(), meeting.id, forum, lat, now)
    meeting.status = M.CLOSED.value
    meeting.closed_at = now
    meeting.minutes_data = data
    meeting.minutes_markdown = minutes_text.to_markdown(data)
    _flush(session)
    audit.record(
        session,
        actor,
        "update",
        "meeting",
        meeting.id,
        before={"status": M.OPEN.value},
        after={"status": M.CLOSED.value, "decisions": len(meeting.decisions)},
        detail="Mötet avslutades och protokollet skapades",
    )
    mail.meeting_closed(session, meeting)
    return meeting
