"""What goes into a meeting's minutes (protokoll), gathered as plain JSON-safe values at the
moment the meeting closes, so the minutes read the same however the data changes later.

Figures are those of the whole forum's view (reports marked for a narrower audience are left
out): the minutes are sent to every member organisation.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection

from lagesbild import labels
from lagesbild.analysis import hotspots
from lagesbild.clock import utc_to_local
from lagesbild.filters import Scope, Window
from lagesbild.models import Organisation, OrganisationKind, meeting_attendance
from lagesbild.queries import layers, lookup, meetings, overview, picture
from lagesbild.queries.common import Viewer, where_name

FORUM_VIEW = Viewer(organisation_id=None, sees_restricted=False)
EVENT_DAYS = 28


def _iso(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def attendees(conn: Connection, meeting_id: int) -> list[str]:
    return list(
        conn.scalars(
            select(Organisation.name)
            .join(meeting_attendance, meeting_attendance.c.organisation_id == Organisation.id)
            .where(meeting_attendance.c.meeting_id == meeting_id)
            .order_by(Organisation.name)
        ).all()
    )


def police_and_rescue(conn: Connection, window: Window, top: int = 5) -> list[dict]:
    """Step 2: the police's and the rescue service's reports in the window against the usual
    level, with their largest categories (as the meeting shows them)."""
    orgs = lookup.organisations(conn, active_only=False)
    out = []
    for kind in (OrganisationKind.POLICE, OrganisationKind.RESCUE):
        ids = tuple(int(i) for i in orgs[orgs["kind"] == kind.value]["id"])
        counts = (
            picture.by_category(conn, viewer=FORUM_VIEW, window=window, orgs=ids) if ids else None
        )
        out.append(
            {
                "name": labels.ORGANISATION_KIND[kind],
                "member": bool(ids),
                "total": int(counts["current"].sum()) if ids else 0,
                "usual": round(float(counts["usual"].sum()), 1) if ids else 0.0,
                "categories": [
                    {
                        "name": r.category,
                        "current": int(r.current),
                        "usual": round(float(r.usual), 1),
                    }
                    for r in counts.head(top).itertuples()
                ]
                if ids
                else [],
            }
        )
    return out


def collect(
    conn: Connection, meeting_id: int, forum: str, lat: float, now_utc: dt.datetime
) -> dict:
    """The minutes' content: the meeting, attendance, the picture since the last meeting,
    decisions, new and changed actions, coming events and the feedback."""
    meeting = meetings.meeting(conn, meeting_id)
    if meeting is None:
        raise LookupError(meeting_id)
    held = meeting["held_at"]
    started = meeting["started_at"] or now_utc
    closed = utc_to_local(now_utc)
    window = meetings.since_window(meeting, closed)  # the window the room saw at the end
    seen = picture.picture(conn, viewer=FORUM_VIEW, window=window, lat=lat)
    decided = meetings.decisions(conn, meeting_id)
    is_action = decided["action_id"].notna()
    changes = meetings.status_changes(conn, started, now_utc + dt.timedelta(seconds=1))
    new_ids = set(decided.loc[is_action, "action_id"].astype(int))
    changes = changes[~changes["action_id"].isin(new_ids)]
    status = {k.value: v for k, v in labels.ACTION_STATUS.items()}
    kinds = {k.value: v for k, v in labels.DECISION_KIND.items()}
    coming = layers.coming_events(conn, scope=Scope.everywhere(), now=held, days=EVENT_DAYS)
    open_actions = overview.open_actions_by_organisation(conn, closed.date())
    return {
        "forum": forum,
        "meeting_id": meeting_id,
        "held_at": _iso(held),
        "started_at": _iso(utc_to_local(started)),
        "closed_at": _iso(closed),
        "chair": meeting["chair"] or "",
        "attendees": attendees(conn, meeting_id),
        "since": _iso(window.start),
        "until": _iso(max(closed, held)),  # when the meeting closed (the window has slack)
        "total": seen.total,
        "usual_total": round(seen.usual_total, 1),
        "usual_range": [round(v) for v in seen.usual_range],
        "groups": [
            {"name": r.group, "current": int(r.current), "usual": round(float(r.usual), 1)}
            for r in seen.groups.itertuples()
        ],
        "areas": [
            {"name": r.area, "current": int(r.current), "usual": round(float(r.usual), 1)}
            for r in seen.areas.head(10).itertuples()
        ],
        "hotspots": [
            {
                "name": r.name,
                "status": r.status,
                "recent": int(r.recent),
                "expected": round(float(r.expected), 1),
                "certainty": r.certainty,
            }
            for r in seen.hotspots.itertuples()
        ],
        "hotspot_window": hotspots.window_name(seen.hotspot_rule),
        "police_rescue": police_and_rescue(conn, window),
        "decisions": [
            {
                "kind": kinds.get(r.kind, r.kind),
                "text": r.text,
                "where": where_name(r.place, r.area),
            }
            for r in decided[~is_action].itertuples()
        ],
        "new_actions": [
            {
                "title": r.text,
                "owner": r.owner or "",
                "role": r.role or "",
                "due": _iso(r.due_date),
                "where": where_name(r.place, r.area),
            }
            for r in decided[is_action].itertuples()
        ],
        "changed_actions": [
            {
                "title": r.title,
                "owner": r.owner,
                "role": r.role or "",
                "from": status.get(r.from_status, r.from_status),
                "to": status.get(r.to_status, r.to_status),
                "note": r.note or "",
            }
            for r in changes.itertuples()
        ],
        "open_actions": int(open_actions["open"].sum()) if len(open_actions) else 0,
        "overdue_actions": int(open_actions["overdue"].sum()) if len(open_actions) else 0,
        "overdue_meaning": labels.OVERDUE_MEANING,
        "events": [
            {
                "title": r.title,
                "kind": labels.EVENT_KIND.get(r.kind, r.kind),
                "starts": _iso(r.starts_at),
                "ends": _iso(r.ends_at),
                "where": where_name(r.place, r.area),
            }
            for r in coming.itertuples()
        ],
        "feedback_reporters": meeting["feedback_reporters"] or "",
        "feedback_leadership": meeting["feedback_leadership"] or "",
        "notes": meeting["notes"] or "",
    }
