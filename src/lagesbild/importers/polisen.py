"""The Swedish Police's public events (polisen.se/api/events JSON) as forum incidents.

- The municipality is the last part of `name` ("25 juli 01:13, Brand, Vellinge"); since 2026
  `location` is the county, so it cannot be used. Events from other municipalities than the
  forum's are skipped.
- "Sammanfattning …" entries bundle several incidents and are skipped.
- Positions are a fixed centroid: the incident gets the municipality's centroid (from the
  shipped boundary when there is one) and is marked approximate, so it is never a hot spot.
- The police's event types are translated to the forum's categories; types that are not the
  forum's business (traffic accidents, missing persons …) are skipped.
- The time is the event's own time in `name`, with the year from the publication time.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from lagesbild import municipalities
from lagesbild.importers import parsing
from lagesbild.importers.mapping import Mapping
from lagesbild.importers.reading import ImportFileError, Table
from lagesbild.models import LocationPrecision

SOURCE = "polisen"
EXPLANATION = (
    "Kommunen läses ur händelsens namn; händelser i andra kommuner än forumets hoppas över, "
    "liksom sammanfattningar av flera händelser. Polisens position är en fast mittpunkt, så "
    "händelserna placeras på kommunens mittpunkt och markeras som ungefärliga – de kan aldrig "
    "bli en hot spot. Polisens händelsetyper översätts till forumets kategorier; typer som "
    "inte hör dit (trafikolyckor, försvunna personer …) hoppas över. Tiden är händelsens egen "
    "tid ur namnet."
)


# Police event type -> forum category (sub-type name). Types not listed are skipped.
TYPE_TO_CATEGORY = {
    "Brand": "Brand/anlagd brand",
    "Explosion": "Annan skadegörelse",
    "Skadegörelse": "Annan skadegörelse",
    "Misshandel": "Bråk/våld",
    "Misshandel, grov": "Bråk/våld",
    "Bråk": "Bråk/våld",
    "Mord/dråp, försök": "Bråk/våld",
    "Mord/dråp": "Bråk/våld",
    "Olaga hot": "Bråk/våld",
    "Rån": "Rån",
    "Rån, försök": "Rån",
    "Rån väpnat": "Rån",
    "Stöld": "Stöld",
    "Stöld, försök": "Stöld",
    "Stöld/inbrott": "Inbrott",
    "Inbrott": "Inbrott",
    "Inbrott, försök": "Inbrott",
    "Narkotikabrott": "Misstänkt narkotikahantering",
    "Vapenlagen": "Bråk/våld",
    "Ofog barn/ungdom": "Utomhus",
    "Ordningslagen": "Utomhus",
    "Fylleri/LOB": "Utomhus",
}
COLUMNS = ["id", "tid", "typ", "kommun", "lat", "lon", "sammanfattning"]
_NAME_TIME = re.compile(r"^(\d{1,2})\s+([a-zåäö]+)\s+(\d{1,2})[:.](\d{2})")


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


def to_table(events: list, forum_municipality: str = "") -> tuple[Table, list[tuple[int, str]]]:
    """The events as a table with fixed columns, and the entries skipped before mapping (as
    (position in the file, reason))."""
    rows, skipped = [], []
    centroids: dict[str, tuple[float, float] | None] = {}
    for position, event in enumerate(events, start=1):
        if not isinstance(event, dict) or not all(
            k in event for k in ("id", "datetime", "name", "type")
        ):
            raise ImportFileError(
                f"Post {position} i filen är ingen händelse från polisen "
                "(id, datetime, name och type saknas)."
            )
        name = str(event["name"])
        if name.startswith("Sammanfattning"):
            skipped.append((position, "sammanfattningar av flera händelser importeras inte"))
            continue
        place = municipality(name)
        if forum_municipality and place.lower() != forum_municipality.lower():
            skipped.append((position, f"händelsen gäller {place}, inte {forum_municipality}"))
            continue
        if place not in centroids:
            centroids[place] = municipalities.representative_point(place)
        lat = lon = ""
        if centroids[place]:
            lat, lon = (str(round(v, 6)) for v in centroids[place])
        else:
            gps = str((event.get("location") or {}).get("gps", ""))
            if "," in gps:
                lat, lon = (v.strip() for v in gps.split(",", 1))
        try:
            when = event_time(name, str(event["datetime"])).isoformat(sep=" ")
        except ValueError:
            when = str(event["datetime"])
        rows.append(
            [
                str(event["id"]),
                when,
                str(event["type"]),
                place,
                lat,
                lon,
                str(event.get("summary") or ""),
            ]
        )
    table = Table(COLUMNS, pd.DataFrame(rows, columns=COLUMNS, dtype=object), "json", "utf-8")
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
