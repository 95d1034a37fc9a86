"""Places that feel unsafe, one at a time or from a safety walk (trygghetsvandring)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from lagesbild import clock
from lagesbild.actor import Actor
from lagesbild.errors import ValidationError
from lagesbild.imaging import Prepared
from lagesbild.models import Area, Observation, Organisation, Place, SafetyWalk, UnsafeReason
from lagesbild.services import audit, locations
from lagesbild.services import photos as photo_service
from lagesbild.services.reports import check_text, writable_org

FIELDS = [
    "observed_at",
    "reason",
    "description",
    "proposed_remedy",
    "place_id",
    "area_id",
    "lat",
    "lon",
    "reporting_org_id",
    "safety_walk_id",
]


@dataclass
class ObservationInput:
    reason: str | None = None
    place_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    description: str = ""
    proposed_remedy: str = ""


def _check(
    session: Session, item: ObservationInput, problems: dict[str, str], prefix: str, label: str
) -> dict | None:
    before = len(problems)
    if item.reason not in {r.value for r in UnsafeReason}:
        problems[f"{prefix}reason"] = f"{label}Välj varför platsen känns otrygg."
    where = locations.resolve(
        session, item.place_id, item.lat, item.lon, problems, f"{prefix}place", label
    )
    description = check_text(item.description, problems, f"{prefix}description", label)
    remedy = check_text(item.proposed_remedy, problems, f"{prefix}remedy", label)
    if len(problems) > before or where is None:
        return None
    return {
        "reason": item.reason,
        "place_id": where.place_id,
        "area_id": where.area_id,
        "lat": where.lat,
        "lon": where.lon,
        "description": description,
        "proposed_remedy": remedy,
    }


def _when(observed_at: dt.datetime | None, problems: dict[str, str], key: str) -> None:
    if observed_at is None:
        problems[key] = "Ange när platsen besöktes."
    elif observed_at > clock.local_now() + dt.timedelta(minutes=10):
        problems[key] = "Tidpunkten ligger i framtiden."


def create_observation(
    session: Session,
    actor: Actor,
    item: ObservationInput,
    observed_at: dt.datetime | None,
    organisation_id: int | None = None,
    photos: Sequence[Prepared] = (),
) -> Observation:
    org_id = writable_org(session, actor, organisation_id)
    problems: dict[str, str] = {}
    _when(observed_at, problems, "observed_at")
    values = _check(session, item, problems, "", "")
    if problems:
        raise ValidationError(problems)
    obs = Observation(
        **values, observed_at=observed_at, reporting_org_id=org_id, created_by_id=actor.user_id
    )
    session.add(obs)
    session.flush()
    audit.record(session, actor, "create", "observation", obs.id, after=audit.snapshot(obs, FIELDS))
    if photos:
        photo_service.attach(session, actor, photos, reporting_org_id=org_id, observation_id=obs.id)
    return obs


@dataclass
class WalkInput:
    title: str = ""
    area_id: int | None = None
    walked_at: dt.datetime | None = None
    participants: list[int] = field(default_factory=list)  # organisation ids
    route: list[int] = field(default_factory=list)  # place ids in walking order
    points: list[ObservationInput] = field(default_factory=list)


def create_safety_walk(
    session: Session, actor: Actor, walk: WalkInput, organisation_id: int | None = None
) -> SafetyWalk:
    """Store a safety walk and all its observed points – or nothing, with every problem
    listed per point."""
    org_id = writable_org(session, actor, organisation_id)
    problems: dict[str, str] = {}
    title = check_text(walk.title, problems, "title", "", limit=200)
    if not title and "title" not in problems:
        problems["title"] = "Ge vandringen en rubrik, t.ex. ”Trygghetsvandring Höllviken”."
    if walk.area_id is not None and session.get(Area, walk.area_id) is None:
        problems["area"] = "Okänt område."
    _when(walk.walked_at, problems, "walked_at")
    orgs = [session.get(Organisation, o) for o in walk.participants]
    if any(o is None for o in orgs):
        problems["participants"] = "Okänd organisation bland deltagarna."
    route = [session.get(Place, p) for p in walk.route]
    if any(p is None for p in route):
        problems["route"] = "Okänd plats i rutten."
    if not walk.points:
        problems["points"] = "Lägg till minst en observerad punkt."
    checked = [
        _check(session, item, problems, f"{i}.", f"Punkt {i}: ")
        for i, item in enumerate(walk.points, start=1)
    ]
    if problems:
        raise ValidationError(problems)
    safety_walk = SafetyWalk(
        title=title,
        area_id=walk.area_id,
        walked_at=walk.walked_at,
        participants=", ".join(o.short_name for o in orgs),
        route={"type": "LineString", "coordinates": [[p.lon, p.lat] for p in route]}
        if len(route) >= 2
        else None,
        created_by_id=actor.user_id,
    )
    session.add(safety_walk)
    session.flush()
    for values in checked:
        session.add(
            Observation(
                **values,
                observed_at=walk.walked_at,
                reporting_org_id=org_id,
                safety_walk_id=safety_walk.id,
                created_by_id=actor.user_id,
            )
        )
    audit.record(
        session,
        actor,
        "create",
        "safety_walk",
        safety_walk.id,
        after={"title": title, "points": len(checked), "participants": safety_walk.participants},
    )
    return safety_walk
