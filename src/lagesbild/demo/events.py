"""Events and risk periods (Valborg, skolavslutning, Falsterbo Horse Show …) every year of the
history and a year ahead, from `resources/demo/events.json`."""

from __future__ import annotations

import datetime as dt

from lagesbild.clock import local_to_utc
from lagesbild.demo.calendar import moment_in
from lagesbild.demo.forum import Forum
from lagesbild.models import Event, EventKind, Impact
from lagesbild.reference import load_json


def add_events(forum: Forum) -> int:
    defs = load_json("demo", "events.json")["events"]
    chair = forum.chair
    count = 0
    horizon_end = forum.now + dt.timedelta(days=365)
    for year in range(forum.start.year, forum.today.year + 2):
        for e in defs:
            starts, ends = moment_in(year, e["starts"]), moment_in(year, e["ends"])
            if starts.date() < forum.start or starts > horizon_end:
                continue
            place = forum.place_by_name[e["place"]] if e["place"] else None
            area = forum.areas[e["area"]] if e["area"] else None
            forum.session.add(
                Event(
                    title=e["title"],
                    kind=EventKind(e["kind"]).value,
                    starts_at=starts,
                    ends_at=ends,
                    place_id=place.id if place else None,
                    area_id=(place.area_id if place else area.id if area else None),
                    expected_impact=Impact(e["impact"]).value,
                    description=e["description"],
                    owner_org_id=chair.organisation_id,
                    created_by_id=chair.id,
                    created_at=local_to_utc(starts - dt.timedelta(days=30)),
                )
            )
            count += 1
    return count
