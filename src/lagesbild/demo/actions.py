"""Actions in every status, with their status history and the meeting decision behind them:
the named hot spots' story from `resources/demo/actions.json`, plus routine actions spread over
the history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lagesbild.clock import local_to_utc
from lagesbild.demo.calendar import HISTORY_DAYS
from lagesbild.demo.forum import Forum
from lagesbild.demo.meetings import add_focus_decisions, meeting_before
from lagesbild.models import (
    Action,
    ActionStatus,
    ActionStatusChange,
    ActionType,
    Decision,
    DecisionKind,
    Horizon,
    Meeting,
)
from lagesbild.reference import load_json

# How an action of each status got there.
_CHAIN = {
    ActionStatus.PROPOSED: [ActionStatus.PROPOSED],
    ActionStatus.DECIDED: [ActionStatus.PROPOSED, ActionStatus.DECIDED],
    ActionStatus.IN_PROGRESS: [
        ActionStatus.PROPOSED,
        ActionStatus.DECIDED,
        ActionStatus.IN_PROGRESS,
    ],
    ActionStatus.DONE: [
        ActionStatus.PROPOSED,
        ActionStatus.DECIDED,
        ActionStatus.IN_PROGRESS,
        ActionStatus.DONE,
    ],
    ActionStatus.CANCELLED: [ActionStatus.PROPOSED, ActionStatus.DECIDED, ActionStatus.CANCELLED],
}


@dataclass(frozen=True)
class Spec:
    title: str
    owner: str  # organisation key
    place: str
    categories: list[str]
    type: ActionType
    horizon: Horizon
    status: ActionStatus
    decided_days_ago: int | None  # None: not decided yet
    due_in_days: int  # from the day the demo is built; negative = in the past
    closed_days_ago: int | None
    evaluation: str


def _specs(forum: Forum, data: dict) -> list[Spec]:
    specs = [
        Spec(
            **{
                **a,
                "type": ActionType(a["type"]),
                "horizon": Horizon(a["horizon"]),
                "status": ActionStatus(a["status"]),
            }
        )
        for a in data["decided"]
    ]
    routine = data["routine"]
    templates = routine["templates"]
    py = forum.py
    for i in range(routine["count"]):
        t = templates[i % len(templates)]
        place = forum.places[py.randrange(len(forum.places))][0]
        decided = py.randint(60, HISTORY_DAYS - 60)
        done = py.random() < routine["done_share"]
        specs.append(
            Spec(
                title=t["title"].format(p=place.name),
                owner=t["owner"],
                place=place.name,
                categories=t["categories"],
                type=ActionType(t["type"]),
                horizon=Horizon.SHORT if i % 3 else Horizon.LONG,
                status=ActionStatus.DONE if done else ActionStatus.CANCELLED,
                decided_days_ago=decided,
                due_in_days=-(decided - 60),
                closed_days_ago=decided - py.randint(20, 55),
                evaluation=routine["evaluation_done" if done else "evaluation_cancelled"],
            )
        )
    return specs


def add_actions(forum: Forum, meetings: list[Meeting]) -> int:
    data = load_json("demo", "actions.json")
    d, s, chair = forum.today, forum.session, forum.chair
    count = 0
    for spec in _specs(forum, data):
        place = forum.place_by_name[spec.place]
        decided_ago, closed_ago = spec.decided_days_ago, spec.closed_days_ago
        decided_day = d - dt.timedelta(days=decided_ago) if decided_ago else None
        meeting = meeting_before(meetings, decided_day) if decided_day else None
        created_day = decided_day or d - dt.timedelta(days=3)
        action = Action(
            title=spec.title,
            owner_org_id=forum.orgs[spec.owner].id,
            place_id=place.id,
            area_id=place.area_id,
            horizon=spec.horizon.value,
            action_type=spec.type.value,
            status=spec.status.value,
            start_date=decided_day,
            due_date=d + dt.timedelta(days=spec.due_in_days),
            decided_meeting_id=meeting.id if meeting else None,
            closed_at=d - dt.timedelta(days=closed_ago) if closed_ago else None,
            evaluation_note=spec.evaluation,
            citizen_promise=spec.title.startswith(data["citizen_promise_prefix"]),
            responsible_role=data["responsible_role"].get(spec.owner, ""),
            description=data["description"].format(place=place.name),
            created_by_id=chair.id,
            created_at=local_to_utc(dt.datetime.combine(created_day, dt.time(10))),
        )
        action.categories = [forum.cat_by_name[c] for c in spec.categories]
        s.add(action)
        s.flush()
        _history(forum, action, decided_day, closed_ago)
        if meeting is not None:
            s.add(
                Decision(
                    meeting_id=meeting.id,
                    kind=DecisionKind.ACTION.value,
                    text=data["decision_text"].format(title=spec.title),
                    action_id=action.id,
                    place_id=place.id,
                    created_by_id=chair.id,
                    created_at=meeting.closed_at or meeting.created_at,
                )
            )
        count += 1
    add_focus_decisions(forum, meetings)
    return count


def _history(forum: Forum, action: Action, decided_day: dt.date | None, closed_ago: int | None):
    """The status changes that led to the action's status, spread from decision to closing."""
    chain = _CHAIN[ActionStatus(action.status)]
    start = dt.datetime.combine(decided_day or forum.today - dt.timedelta(days=3), dt.time(10))
    end = (
        dt.datetime.combine(forum.today - dt.timedelta(days=closed_ago), dt.time(15))
        if closed_ago
        else start + dt.timedelta(days=7)
    )
    previous = None
    for i, status in enumerate(chain):
        when = start + (end - start) * (i / max(1, len(chain) - 1))
        forum.session.add(
            ActionStatusChange(
                action_id=action.id,
                from_status=previous,
                to_status=status.value,
                changed_by_id=forum.chair.id,
                changed_at=local_to_utc(when),
            )
        )
        previous = status.value
