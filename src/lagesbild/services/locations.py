"""Where something is: a place from the forum's list, or a point (which area it falls in)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lagesbild import geo
from lagesbild.models import Area, LocationPrecision, Place


@dataclass(frozen=True)
class Location:
    place_id: int | None
    area_id: int | None
    lat: float | None
    lon: float | None
    precision: str


def area_for_point(session: Session, lat: float, lon: float) -> int | None:
    for area_id, shape in session.execute(select(Area.id, Area.geojson).where(Area.active)):
        if shape and geo.contains(shape, lat, lon):
            return area_id
    return None


def resolve(
    session: Session,
    place_id: int | None,
    lat: float | None,
    lon: float | None,
    problems: dict[str, str],
    key: str,
    label: str = "",
) -> Location | None:
    """A place from the list wins; otherwise a point inside Sweden. Problems are added to
    `problems` under `key` (prefixed with `label`, e.g. 'Händelse 2: ')."""
    if place_id is not None:
        place = session.get(Place, place_id)
        if place is None or not place.active:
            problems[key] = f"{label}Platsen finns inte i forumets platslista."
            return None
        return Location(
            place.id, place.area_id, place.lat, place.lon, LocationPrecision.PLACE.value
        )
    if lat is None or lon is None:
        problems[key] = f"{label}Välj en plats i listan eller ange en punkt (koordinater)."
        return None
    if not geo.in_sweden(lat, lon):
        problems[key] = (
            f"{label}Punkten {lat:.5f}, {lon:.5f} ligger utanför Sverige. "
            "Kontrollera att latitud och longitud inte har bytt plats."
        )
        return None
    return Location(
        None,
        area_for_point(session, lat, lon),
        round(lat, 6),
        round(lon, 6),
        LocationPrecision.POINT.value,
    )
