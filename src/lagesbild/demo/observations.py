"""Unsafe places: reports spread over the history and two safety walks with their route."""

from __future__ import annotations

import datetime as dt

from lagesbild.clock import local_to_utc
from lagesbild.demo.calendar import HISTORY_DAYS
from lagesbild.demo.forum import Forum
from lagesbild.models import Observation, Place, SafetyWalk, UnsafeReason
from lagesbild.reference import load_json


def add_observations(forum: Forum) -> int:
    data = load_json("demo", "observations.json")
    py, s, now = forum.py, forum.session, forum.now
    reasons = [r.value for r in UnsafeReason if r is not UnsafeReason.OTHER]
    candidates = [p for p, _ in forum.places if p.kind in data["place_kinds"]]
    count = 0
    for i in range(data["count"]):
        place = py.choice(candidates)
        reason = py.choice(reasons)
        when = now - dt.timedelta(days=py.randint(1, HISTORY_DAYS - 1), hours=py.randint(0, 8))
        resolved = py.random() < 0.5 and i % 3 != 0
        s.add(_observation(forum, data, place, reason, when, resolved=resolved))
        count += 1
    walk_time = dt.time.fromisoformat(data["walk_time"])
    for w in data["walks"]:
        walked = (now - dt.timedelta(days=w["days_ago"])).replace(
            hour=walk_time.hour, minute=walk_time.minute
        )
        points = [forum.place_by_name[n] for n in w["route"]]
        walk = SafetyWalk(
            title=w["title"],
            area_id=forum.areas[w["area"]].id,
            walked_at=walked,
            route={"type": "LineString", "coordinates": [[p.lon, p.lat] for p in points]},
            participants=data["walk_participants"],
            created_by_id=forum.chair.id,
        )
        s.add(walk)
        s.flush()
        for place in points:
            reason = py.choice(reasons)
            obs = _observation(forum, data, place, reason, walked, resolved=w["days_ago"] > 100)
            obs.safety_walk_id = walk.id
            s.add(obs)
            count += 1
    return count


def _observation(
    forum: Forum, data: dict, place: Place, reason: str, when: dt.datetime, resolved: bool
) -> Observation:
    org = forum.py.choice(data["reporters"])
    description, remedy = data["texts"][reason]
    return Observation(
        observed_at=when,
        reason=reason,
        description=description,
        proposed_remedy=remedy,
        place_id=place.id,
        area_id=place.area_id,
        lat=place.lat,
        lon=place.lon,
        reporting_org_id=forum.orgs[org].id,
        created_by_id=forum.reporter_user(org),
        created_at=local_to_utc(when) + dt.timedelta(hours=2),
        resolved_at=local_to_utc(when) + dt.timedelta(days=30) if resolved else None,
    )
