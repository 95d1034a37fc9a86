"""The weekly meetings: held ones with attendance, notes, focus areas and minutes, and the
next one, planned."""

from __future__ import annotations

import datetime as dt

import numpy as np

from lagesbild.clock import local_to_utc
from lagesbild.demo.calendar import MEETING_LENGTH, meeting_schedule
from lagesbild.demo.forum import Forum
from lagesbild.export import minutes as minutes_text
from lagesbild.models import Decision, DecisionKind, Meeting, MeetingStatus
from lagesbild.queries import minutes
from lagesbild.reference import load_json


def _data() -> dict:
    return load_json("demo", "meetings.json")


def add_meetings(forum: Forum) -> list[Meeting]:
    data = _data()
    held_at, planned_at = meeting_schedule(forum.now, forum.start)
    meetings: list[Meeting] = []
    for held in [*held_at, planned_at]:
        past = held != planned_at
        meeting = Meeting(
            held_at=held,
            status=MeetingStatus.CLOSED.value if past else MeetingStatus.PLANNED.value,
            chair_user_id=forum.chair.id,
            since=meetings[-1].held_at if meetings else None,
            closed_at=local_to_utc(held + MEETING_LENGTH) if past else None,
            created_at=local_to_utc(held - dt.timedelta(days=7)),
            notes=data["notes"] if past else "",
        )
        if past:
            meeting.attendees = [forum.orgs[k] for k in data["always"]] + [
                forum.orgs[k]
                for k in data["regulars"]
                if k not in data["always"] and forum.py.random() < data["attendance"]
            ]
        forum.session.add(meeting)
        meetings.append(meeting)
    forum.session.flush()
    return meetings


def meeting_before(meetings: list[Meeting], day: dt.date) -> Meeting:
    """The last closed meeting on or before `day` (the first meeting if none)."""
    past = [
        m for m in meetings if m.held_at.date() <= day and m.status == MeetingStatus.CLOSED.value
    ]
    return past[-1] if past else meetings[0]


def add_focus_decisions(forum: Forum, meetings: list[Meeting]) -> None:
    """Every other closed meeting decides a focus place; every closed one gives feedback."""
    data = _data()
    focus = data["focus_places"]
    for i, meeting in enumerate(meetings):
        if meeting.status != MeetingStatus.CLOSED.value:
            continue
        if i % 2 == 0:
            place = forum.place_by_name[focus[(i // 2) % len(focus)]]
            forum.session.add(
                Decision(
                    meeting_id=meeting.id,
                    kind=DecisionKind.FOCUS_AREA.value,
                    text=data["focus_text"].format(place=place.name),
                    place_id=place.id,
                    created_by_id=forum.chair.id,
                    created_at=meeting.closed_at,
                )
            )
        meeting.feedback_reporters = data["feedback_reporters"]
        meeting.feedback_leadership = data["feedback_leadership"]


def add_minutes(forum: Forum, meetings: list[Meeting]) -> None:
    """Minutes for the latest closed meetings, made as a real meeting makes them."""
    keep = _data()["minutes_for_latest"]
    closed = [m for m in meetings if m.status == MeetingStatus.CLOSED.value]
    for meeting in closed:
        meeting.started_at = local_to_utc(meeting.held_at)
    forum.session.flush()
    lat = float(np.mean([p.lat for p in forum.place_by_name.values()]))
    for meeting in closed[-keep:]:
        data = minutes.collect(
            forum.session.connection(), meeting.id, forum.spec["forum_name"], lat, meeting.closed_at
        )
        meeting.minutes_data = data
        meeting.minutes_markdown = minutes_text.to_markdown(data)
