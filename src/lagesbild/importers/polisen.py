"""The Swedish Police's public events (polisen.se/api/events JSON) as forum incidents.

- The municipality is the last part of `name` ("25 juli 01:13, Brand, Vellinge"); since 2026
  `location` is the county, so it cannot be used. Events from other municipalities than the
  forum's are skipped; a file with none of the forum's events is refused and says why.
- Every event type has a decision (`polisen_types`): a forum category, or skipped on purpose
  (traffic, accidents …). Unknown types are skipped and reported by name and count.
- The police's position is a county or municipality point, never the scene. An event is placed
  at its municipality's representative point (inside the boundary) unless its position is
  already inside the municipality and is no area's point; it is always marked approximate,
  so it is never a place or a hot spot.
- An event without an id gets a stable one computed from its content.
- The time is the event's own time in `name`, with the year from the publication time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter

import pandas as pd

from lagesbild import fmt, geo, municipalities
from lagesbild.importers import parsing
from lagesbild.importers.mapping import Mapping
from lagesbild.importers.polisen_types import TYPE_TO_CATEGORY, canonical, decide
from lagesbild.importers.reading import ImportFileError, Table
from lagesbild.models import LocationPrecision

SOURCE = "polisen"
EXPLANATION = (
    "Kommunen läses ur händelsens namn; händelser i andra kommuner än forumets hoppas över, "
    "liksom sammanfattningar av flera händelser. Polisens position är länets eller kommunens "
    "punkt, så händelserna placeras på en punkt inuti forumets kommun och markeras som "
    "ungefärliga – de räknas aldrig som plats eller hot spot. Varje händelsetyp hos polisen "
    "översätts till en av forumets kategorier eller hoppas över av ett angivet skäl (trafik, "
    "olyckor …); okända typer redovisas med antal. Tiden är händelsens egen tid ur namnet."
)
# The beginning of the import note that names types without a decision.
UNKNOWN_TYPES = "Okända händelsetyper"

COLUMNS = ["id", "tid", "typ", "kommun", "lat", "lon", "sammanfattning"]
_NAME_TIME = re.compile(r"^(\d{1,2})\s+([a-zåäö]+)\s+(\d{1,2})[:.](\d{2})")
_REQUIRED = ("datetime", "name", "type")
__all__ = ["SOURCE", "TYPE_TO_CATEGORY", "event_time", "mapping", "municipality", "to_table"]


def event_time(name: str, published: str) -> dt.datetime:
    """The event's own time from its name, in the year it was published (the year before if
    that would put it after publication, as for an event on 31 December published on 1
    January). Falls back to the publication time."""
    published_at, _ = parsing.parse_datetime(published)
    match = _NAME_TIME.match(name.strip())
    if not match:
        return published_at
    day, month_name, hour, minute = match.groups()
    month = parsing.MONTHS.get(month_name.lower())
    if month is None:
        return published_at
    try:
        stamp = dt.datetime(published_at.year, month, int(day), int(hour), int(minute))
    except ValueError:
        return published_at
    if stamp > published_at + dt.timedelta(days=1):
        stamp = stamp.replace(year=stamp.year - 1)
    return stamp


def municipality(name: str) -> str:
    return name.rsplit(",", 1)[-1].strip()


def event_id(event: dict) -> str:
    """The police's id of the event; for an event without one (`null`, missing or empty) a
    stable id computed from its content, so that the same event gets the same id again."""
    raw = event.get("id")
    if raw is not None and str(raw).strip() not in ("", "None", "null"):
        return str(raw).strip()
    content = [str(event.get(k) or "") for k in ("datetime", "name", "type", "summary", "url")]
    digest = hashlib.sha1(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"innehall-{digest[:16]}"


def _gps(event: dict) -> tuple[float, float] | None:
    location = event.get("location")
    parts = str(location.get("gps") or "").split(",") if isinstance(location, dict) else []
    try:
        lat, lon = (float(v) for v in parts)
    except ValueError:
        return None
    return (lat, lon) if geo.in_sweden(lat, lon) else None


def is_area_point(event: dict) -> bool:
    """Whether the event's position is a county's or a municipality's point (its location is
    named after a county or a municipality), not a place of its own."""
    location = event.get("location")
    name = " ".join(str(location.get("name") or "").split()) if isinstance(location, dict) else ""
    return name.casefold().endswith(" län") or municipalities.find(name) is not None


def position(event: dict, home: municipalities.Municipality | None) -> tuple[float, float] | None:
    """Where an event of the municipality `home` is drawn: its own position when that lies in
    the municipality and is no county's or municipality's point, otherwise the municipality's
    representative point (inside its boundary). Without a known municipality, the event's
    position as given."""
    gps = _gps(event)
    if home is None:
        return gps
    if gps and not is_area_point(event) and geo.contains(municipalities.boundary(home.code), *gps):
        return gps
    return municipalities.representative_point(home.code)


def _counted(counter: Counter, limit: int = 12) -> str:
    shown = [f"{name} ({fmt.integer(n)})" for name, n in counter.most_common(limit)]
    if len(counter) > limit:
        shown.append(f"och {len(counter) - limit} till")
    return ", ".join(shown)


def _by_reason(counts: Counter) -> str:
    """{(reason, type): n} as "trafik: Trafikolycka (61), Rattfylleri (18); inget brott …"."""
    reasons: dict[str, Counter] = {}
    for (reason, name), n in counts.items():
        reasons.setdefault(reason, Counter())[name] = n
    ordered = sorted(reasons.items(), key=lambda item: -sum(item[1].values()))
    return "; ".join(f"{reason}: {_counted(types, 40)}" for reason, types in ordered)


def _why_empty(total: int, wanted: str, matched: int, elsewhere: Counter) -> str:
    """Why a file gives the forum no events (after "Inget importerades: ")."""
    if not total:
        return "filen innehåller inga händelser."
    steer = " Forumets kommun styr vilka av polisens händelser som importeras"
    if wanted and not matched:
        found = municipalities.find(wanted)
        head = f"0 av {fmt.integer(total)} händelser gällde "
        if found is None:
            hints = municipalities.closest(wanted)
            guess = f"menade du {' eller '.join(hints[:2])}?" if hints else "ingen kommun heter så."
            return (
                f"{head}”{wanted}”; {guess}{steer}; rätta den med "
                "”lagesbild forum set --municipality …”."
            )
        return f"{head}{found.name}; filen har händelser från {_counted(elsewhere, 5)}.{steer}."
    where = f" i {wanted}" if wanted else ""
    return (
        f"ingen av filens {fmt.counted(matched, 'händelse', 'händelser')}{where} är av en typ "
        "som importeras (se vilka typer som hoppades över)."
    )


def to_table(events: list, forum_municipality: str = "") -> tuple[Table, list[tuple[int, str]]]:
    """The events as a table with fixed columns (each row's line is the entry's position in
    the file), and the entries skipped before mapping (as (position in the file, reason)).
    The table's notes count the skipped types, unknown types and other municipalities; a table
    without rows says why in `empty_reason` (e.g. none of the events is the forum's)."""
    forum = municipalities.find(forum_municipality)
    wanted = forum.name if forum else " ".join(str(forum_municipality or "").split())
    rows: list[list[str]] = []
    lines: list[int] = []
    skipped: list[tuple[int, str]] = []
    skipped_types: Counter = Counter()
    unknown_types: Counter = Counter()
    elsewhere: Counter = Counter()
    seen: dict[str, str] = {}
    matched = 0
    for number, event in enumerate(events, start=1):
        if not isinstance(event, dict) or not all(k in event for k in _REQUIRED):
            raise ImportFileError(
                f"Post {number} i filen är ingen händelse från polisen "
                "(datetime, name och type saknas)."
            )
        name = str(event["name"])
        place_text = municipality(name)
        place = municipalities.find(place_text)
        if wanted:
            same = place == forum if forum else place_text.casefold() == wanted.casefold()
            if not same:
                elsewhere[place.name if place else place_text] += 1
                skipped.append((number, f"händelsen gäller {place_text}, inte {wanted}"))
                continue
        matched += 1
        event_type = "Sammanfattning" if name.startswith("Sammanfattning") else str(event["type"])
        decision = decide(event_type)
        if decision is None:
            unknown_types[f"”{event_type.strip()}”"] += 1
            skipped.append((number, f"händelsetypen ”{event_type}” är okänd och importeras inte"))
            continue
        if decision.category is None:
            skipped_types[(decision.reason, canonical(event_type))] += 1
            skipped.append(
                (number, f"typen ”{canonical(event_type)}” importeras inte ({decision.reason})")
            )
            continue
        source_id = event_id(event)
        content = hashlib.sha1(
            json.dumps(event, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
        ).hexdigest()
        if seen.get(source_id) == content:
            skipped.append((number, "samma händelse står tidigare i filen"))
            continue
        seen[source_id] = content
        point = position(event, forum or place)
        lat, lon = (str(round(v, 6)) for v in point) if point else ("", "")
        try:
            when = event_time(name, str(event["datetime"])).isoformat(sep=" ")
        except ValueError:
            when = str(event["datetime"])
        lines.append(number)
        rows.append(
            [
                source_id,
                when,
                canonical(event_type),
                place.name if place else place_text,
                lat,
                lon,
                str(event.get("summary") or ""),
            ]
        )
    notes = []
    if elsewhere:
        notes.append(
            f"{fmt.counted(sum(elsewhere.values()), 'händelse', 'händelser')} i andra "
            f"kommuner än {wanted} hoppades över: {_counted(elsewhere)}."
        )
    if skipped_types:
        by_reason = _by_reason(skipped_types)
        notes.append(f"Händelsetyper som inte importeras, efter skäl – {by_reason}.")
    if unknown_types:
        notes.append(
            f"{UNKNOWN_TYPES} från polisen, inte importerade (de behöver en översättning "
            f"till forumets kategorier): {_counted(unknown_types, 40)}."
        )
    frame = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
    table = Table(COLUMNS, frame, "json", "utf-8", notes=notes, lines=lines)
    if not rows:
        table.empty_reason = _why_empty(len(events), wanted, matched, elsewhere)
    return table, skipped


def mapping(category_by_name: dict[str, int]) -> Mapping:
    """The fixed mapping of the police events table."""
    values = {t: category_by_name.get(c) for t, c in TYPE_TO_CATEGORY.items()}
    return Mapping(
        columns={
            "source_id": "id",
            "occurred_at": "tid",
            "category": "typ",
            "lat": "lat",
            "lon": "lon",
            "description": "sammanfattning",
        },
        category_values=values,
        precision=LocationPrecision.APPROXIMATE.value,
        require_sweden=True,
        skip_unmapped=True,
    )
