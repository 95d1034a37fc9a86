"""Meetings for the pages: the one in progress, its decisions, earlier meetings and their
minutes, what changed during a meeting, and the reports that arrive while it runs."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from lagesbild.clock import AHEAD
from lagesbild.filters import Window
from lagesbild.models import (
    Action,
    ActionStatusChange,
    Area,
    Decision,
    Incident,
    Meeting,
    MeetingStatus,
    Organisation,
    Place,
    User,
    meeting_attendance,
)
from lagesbild.queries.common import Viewer, frame, visible_incidents
from lagesbild.queries.incidents import incident_rows

MEETING_COLUMNS = [
    Meeting.id,
    Meeting.held_at,
    Meeting.status,
    Meeting.since,
    Meeting.started_at,
    Meeting.closed_at,
    Meeting.agenda_step,
    Meeting.chair_user_id,
    User.display_name.label("chair"),
    Meeting.notes,
    Meeting.feedback_reporters,
    Meeting.feedback_leadership,
    Meeting.version,
]
FIRST_MEETING_DAYS = 14  # "since the last meeting" for a forum's very first meeting


def _meeting(conn: Connection, where) -> dict | None:
    row = conn.execute(
        select(*MEETING_COLUMNS)
        .outerjoin(User, Meeting.chair_user_id == User.id)
        .where(where)
        .order_by(Meeting.held_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    meeting = row._asdict()
    meeting["attendee_ids"] = sorted(
        conn.scalars(
            select(meeting_attendance.c.organisation_id).where(
                meeting_attendance.c.meeting_id == meeting["id"]
            )
        ).all()
    )
    return meeting


def since_window(meeting: dict, now: dt.datetime) -> Window:
    """The window of a meeting's picture ("since the last meeting") at the local moment `now`:
    from the last meeting up to this minute and `clock.AHEAD` on, as every period up to now, so
    a report sent this minute counts. The projected step 1 and the minutes written when the
    meeting closes both take it from here, so the room and the minutes show the same figures
    (the usual level scales with the window's length); one window per minute also gives every
    screen in the room the same cached picture. A meeting opened without an earlier one looks
    back `FIRST_MEETING_DAYS`."""
    held = meeting["held_at"]
    start = meeting["since"] or held - dt.timedelta(days=FIRST_MEETING_DAYS)
    minute = now.replace(second=0, microsecond=0)
    return Window(start, max(minute + AHEAD, held))


def current(conn: Connection) -> dict | None:
    """The meeting in progress (with its attendees' ids), or None."""
    return _meeting(conn, Meeting.status == MeetingStatus.OPEN.value)


def meeting(conn: Connection, meeting_id: int) -> dict | None:
    return _meeting(conn, Meeting.id == meeting_id)


def state(conn: Connection) -> tuple | None:
    """What followers poll: the open meeting's id, step, version and number of decisions."""
    row = conn.execute(
        select(Meeting.id, Meeting.agenda_step, Meeting.version, func.count(Decision.id))
        .outerjoin(Decision, Decision.meeting_id == Meeting.id)
        .where(Meeting.status == MeetingStatus.OPEN.value)
        .group_by(Meeting.id, Meeting.agenda_step, Meeting.version)
    ).first()
    return tuple(row) if row else None


def planned_today(conn: Connection, day: dt.date) -> dict | None:
    row = conn.execute(
        select(Meeting.id, Meeting.held_at)
        .where(Meeting.status == MeetingStatus.PLANNED.value)
        .where(Meeting.held_at >= dt.datetime.combine(day, dt.time()))
        .where(Meeting.held_at < dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
        .order_by(Meeting.held_at)
    ).first()
    return row._asdict() if row else None


def last_attendees(conn: Connection) -> list[int]:
    """Who came to the latest closed meeting: a good guess for who is here today."""
    last = conn.scalar(
        select(Meeting.id)
        .where(Meeting.status == MeetingStatus.CLOSED.value)
        .order_by(Meeting.held_at.desc())
        .limit(1)
    )
    if last is None:
        return []
    return sorted(
        conn.scalars(
            select(meeting_attendance.c.organisation_id).where(
                meeting_attendance.c.meeting_id == last
            )
        ).all()
    )


def decisions(conn: Connection, meeting_id: int) -> pd.DataFrame:
    """Columns: id, kind, text, place, area, action_id, owner, role, due_date, action_status,
    created_at (UTC)."""
    owner = aliased(Organisation)
    return frame(
        conn,
        select(
            Decision.id,
            Decision.kind,
            Decision.text,
            Place.name.label("place"),
            Area.name.label("area"),
            Decision.action_id,
            owner.short_name.label("owner"),
            Action.responsible_role.label("role"),
            Action.due_date,
            Action.status.label("action_status"),
            Decision.created_at,
        )
        .outerjoin(Place, Decision.place_id == Place.id)
        .outerjoin(Area, Decision.area_id == Area.id)
        .outerjoin(Action, Decision.action_id == Action.id)
        .outerjoin(owner, Action.owner_org_id == owner.id)
        .where(Decision.meeting_id == meeting_id)
        .order_by(Decision.id),
    )


def closed_meetings(conn: Connection) -> pd.DataFrame:
    """Earlier meetings, newest first. Columns: id, held_at, chair, decisions, has_minutes."""
    counts = (
        select(Decision.meeting_id, func.count(Decision.id).label("n"))
        .group_by(Decision.meeting_id)
        .subquery()
    )
    df = frame(
        conn,
        select(
            Meeting.id,
            Meeting.held_at,
            User.display_name.label("chair"),
            func.coalesce(counts.c.n, 0).label("decisions"),
            Meeting.minutes_markdown.is_not(None).label("has_minutes"),
        )
        .outerjoin(User, Meeting.chair_user_id == User.id)
        .outerjoin(counts, counts.c.meeting_id == Meeting.id)
        .where(Meeting.status == MeetingStatus.CLOSED.value)
        .order_by(Meeting.held_at.desc()),
    )
    df["decisions"] = df["decisions"].astype(int)
    df["has_minutes"] = df["has_minutes"].astype(bool)
    return df


def minutes(conn: Connection, meeting_id: int) -> tuple[dict | None, str | None]:
    """The stored minutes of a closed meeting: the figures and the Markdown text."""
    row = conn.execute(
        select(Meeting.minutes_data, Meeting.minutes_markdown).where(Meeting.id == meeting_id)
    ).first()
    return (row.minutes_data, row.minutes_markdown) if row else (None, None)


def status_changes(conn: Connection, start: dt.datetime, end: dt.datetime) -> pd.DataFrame:
    """Action status changes between two UTC times (those made during a meeting), except an
    action's first status. Columns: action_id, title, owner, role, from_status, to_status, note,
    changed_at."""
    return frame(
        conn,
        select(
            Action.id.label("action_id"),
            Action.title,
            Organisation.short_name.label("owner"),
            Action.responsible_role.label("role"),
            ActionStatusChange.from_status,
            ActionStatusChange.to_status,
            ActionStatusChange.note,
            ActionStatusChange.changed_at,
        )
        .join(Action, ActionStatusChange.action_id == Action.id)
        .join(Organisation, Action.owner_org_id == Organisation.id)
        .where(ActionStatusChange.changed_at >= start, ActionStatusChange.changed_at < end)
        .where(ActionStatusChange.from_status.is_not(None))
        .order_by(ActionStatusChange.changed_at, ActionStatusChange.id),
    )


def reported_since(
    conn: Connection, *, viewer: Viewer, created_after: dt.datetime, limit: int = 8
) -> tuple[int, pd.DataFrame]:
    """Reports stored after a UTC time (new during the meeting): how many, and the latest
    ones with the columns of `incident_rows` plus created_at."""
    where = [visible_incidents(viewer=viewer), Incident.created_at >= created_after]
    total = conn.scalar(select(func.count(Incident.id)).where(*where)) or 0
    latest = frame(
        conn,
        incident_rows()
        .add_columns(Incident.created_at)
        .where(*where)
        .order_by(Incident.created_at.desc(), Incident.id.desc())
        .limit(limit),
    )
    return int(total), latest
