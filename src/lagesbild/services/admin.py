"""The forum's own lists: categories, areas, places and organisations. Nothing is deleted –
entries are deactivated so history stays readable – and every change is audited."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lagesbild import geo, permissions
from lagesbild.actor import Actor
from lagesbild.errors import NotFound, ValidationError
from lagesbild.models import Area, Category, CategoryGroup, Organisation, OrganisationKind, Place
from lagesbild.services import audit
from lagesbild.services.reports import check_text

HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_GEOJSON = 5 * 1024 * 1024


_require_chair = permissions.require_edit_lists


def _name(value: str, what: str, problems: dict[str, str], key: str = "name") -> str:
    name = check_text(value, problems, key, "", limit=120)
    if not name and key not in problems:
        problems[key] = f"Ange ett namn på {what}."
    return name


def _unique(
    session: Session, model, name: str, problems: dict[str, str], own_id=None, **scope
) -> None:
    stmt = select(model.id).where(func.lower(model.name) == name.lower())
    for key, value in scope.items():
        stmt = stmt.where(getattr(model, key) == value)
    other = session.scalar(stmt)
    if other is not None and other != own_id:
        problems["name"] = f"”{name}” finns redan."


def _get(session: Session, model, obj_id: int, what: str):
    obj = session.get(model, obj_id)
    if obj is None:
        raise NotFound(f"{what} finns inte.")
    return obj


def _changed(
    session: Session, actor: Actor, entity: str, obj, fields: list[str], before: dict | None
) -> None:
    session.flush()
    audit.record(
        session,
        actor,
        "update" if before else "create",
        entity,
        obj.id,
        before=before,
        after=audit.snapshot(obj, fields),
    )


# --- categories --------------------------------------------------------------------------------

GROUP_FIELDS = ["name", "colour", "sort_order", "active"]
CATEGORY_FIELDS = ["name", "group_id", "sort_order", "active"]


def save_group(
    session: Session,
    actor: Actor,
    name: str,
    colour: str = "#4C78A8",
    group_id: int | None = None,
    active: bool = True,
) -> CategoryGroup:
    _require_chair(actor)
    problems: dict[str, str] = {}
    name = _name(name, "gruppen", problems)
    if not HEX.match(colour or ""):
        problems["colour"] = "Färgen ska anges som #RRGGBB."
    if name:
        _unique(session, CategoryGroup, name, problems, group_id)
    if problems:
        raise ValidationError(problems)
    group = _get(session, CategoryGroup, group_id, "Gruppen") if group_id else None
    before = audit.snapshot(group, GROUP_FIELDS) if group else None
    if group is None:
        order = session.scalar(select(func.coalesce(func.max(CategoryGroup.sort_order), 0)))
        group = CategoryGroup(sort_order=order + 1)
        session.add(group)
    group.name, group.colour, group.active = name, colour, active
    _changed(session, actor, "category_group", group, GROUP_FIELDS, before)
    return group


def save_category(
    session: Session,
    actor: Actor,
    name: str,
    group_id: int,
    category_id: int | None = None,
    active: bool = True,
) -> Category:
    """Add or rename a category, or (de)activate it. Incidents keep their category: a rename
    renames it everywhere, a deactivated one is no longer offered for new reports."""
    _require_chair(actor)
    problems: dict[str, str] = {}
    name = _name(name, "kategorin", problems)
    if session.get(CategoryGroup, group_id) is None:
        problems["group"] = "Välj en grupp."
    elif name:
        _unique(session, Category, name, problems, category_id, group_id=group_id)
    if problems:
        raise ValidationError(problems)
    category = _get(session, Category, category_id, "Kategorin") if category_id else None
    before = audit.snapshot(category, CATEGORY_FIELDS) if category else None
    if category is None:
        order = session.scalar(
            select(func.coalesce(func.max(Category.sort_order), 0)).where(
                Category.group_id == group_id
            )
        )
        category = Category(sort_order=order + 1)
        session.add(category)
    category.name, category.group_id, category.active = name, group_id, active
    _changed(session, actor, "category", category, CATEGORY_FIELDS, before)
    return category


# --- areas -------------------------------------------------------------------------------------

AREA_FIELDS = ["name", "kind", "active"]


def parse_area_geojson(text: str | bytes) -> dict:
    """A GeoJSON Polygon or MultiPolygon (bare, in a Feature or in a FeatureCollection with
    one feature) with coordinates in Sweden. Raises ValidationError naming the problem."""
    if isinstance(text, bytes):
        if len(text) > MAX_GEOJSON:
            raise ValidationError({"geojson": "Filen är större än 5 MB."})
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError({"geojson": "Filen är inte text (GeoJSON i UTF-8)."}) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            {"geojson": f"Filen är inte giltig JSON (rad {exc.lineno})."}
        ) from exc
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if len(features) != 1:
            raise ValidationError(
                {
                    "geojson": f"Filen innehåller {len(features)} objekt; ladda "
                    "upp ett område i taget."
                }
            )
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise ValidationError(
            {
                "geojson": f"Ett område måste vara en polygon (Polygon eller "
                f"MultiPolygon), inte {kind}."
            }
        )
    polygons = [data.get("coordinates")] if data["type"] == "Polygon" else data.get("coordinates")
    try:
        for polygon in polygons:
            for ring in polygon:
                if len(ring) < 4 or ring[0] != ring[-1]:
                    raise ValidationError(
                        {
                            "geojson": "En polygon måste vara sluten (första "
                            "och sista punkten lika, minst fyra "
                            "punkter)."
                        }
                    )
                for lon, lat, *_ in ring:
                    if not geo.in_sweden(float(lat), float(lon)):
                        raise ValidationError(
                            {
                                "geojson": f"Punkten {lat}, {lon} ligger "
                                "utanför Sverige (koordinaterna ska "
                                "vara WGS84, longitud först)."
                            }
                        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise ValidationError({"geojson": "Polygonens koordinater går inte att läsa."}) from exc
    return {"type": data["type"], "coordinates": data["coordinates"]}


def save_area(
    session: Session,
    actor: Actor,
    name: str,
    kind: str = "område",
    geojson: dict | None = None,
    area_id: int | None = None,
    active: bool = True,
) -> Area:
    _require_chair(actor)
    problems: dict[str, str] = {}
    name = _name(name, "området", problems)
    if name:
        _unique(session, Area, name, problems, area_id)
    if problems:
        raise ValidationError(problems)
    area = _get(session, Area, area_id, "Området") if area_id else None
    before = audit.snapshot(area, [*AREA_FIELDS, "geojson"]) if area else None
    if area is None:
        area = Area()
        session.add(area)
    area.name, area.kind, area.active = name, (kind or "område").strip(), active
    if geojson is not None:
        area.geojson = geojson
    _changed(session, actor, "area", area, [*AREA_FIELDS, "geojson"], before)
    return area


# --- places ------------------------------------------------------------------------------------

PLACE_FIELDS = ["name", "area_id", "kind", "lat", "lon", "active"]


def save_place(
    session: Session,
    actor: Actor,
    name: str,
    lat: float | None,
    lon: float | None,
    area_id: int | None = None,
    kind: str = "plats",
    place_id: int | None = None,
    active: bool = True,
) -> Place:
    _require_chair(actor)
    problems: dict[str, str] = {}
    name = _name(name, "platsen", problems)
    if name:
        _unique(session, Place, name, problems, place_id)
    if lat is None or lon is None:
        problems["position"] = "Ange platsens koordinater (eller klicka på kartan)."
    elif not geo.in_sweden(lat, lon):
        problems["position"] = f"Punkten {lat:.5f}, {lon:.5f} ligger utanför Sverige."
    if area_id is not None and session.get(Area, area_id) is None:
        problems["area"] = "Okänt område."
    if problems:
        raise ValidationError(problems)
    place = _get(session, Place, place_id, "Platsen") if place_id else None
    before = audit.snapshot(place, PLACE_FIELDS) if place else None
    if place is None:
        place = Place()
        session.add(place)
    place.name, place.area_id, place.kind = name, area_id, (kind or "plats").strip()
    place.lat, place.lon, place.active = round(lat, 6), round(lon, 6), active
    _changed(session, actor, "place", place, PLACE_FIELDS, before)
    return place


# --- organisations -----------------------------------------------------------------------------

ORG_FIELDS = ["name", "short_name", "kind", "active"]


def save_organisation(
    session: Session,
    actor: Actor,
    name: str,
    short_name: str = "",
    kind: str = OrganisationKind.OTHER.value,
    org_id: int | None = None,
    active: bool = True,
) -> Organisation:
    _require_chair(actor)
    problems: dict[str, str] = {}
    name = _name(name, "organisationen", problems)
    short = check_text(short_name or name[:40], problems, "short_name", "", limit=40)
    if kind not in {k.value for k in OrganisationKind}:
        problems["kind"] = "Välj en typ av organisation."
    if name:
        _unique(session, Organisation, name, problems, org_id)
    if problems:
        raise ValidationError(problems)
    org = _get(session, Organisation, org_id, "Organisationen") if org_id else None
    before = audit.snapshot(org, ORG_FIELDS) if org else None
    if org is None:
        org = Organisation()
        session.add(org)
    org.name, org.short_name, org.kind, org.active = name, short, kind, active
    _changed(session, actor, "organisation", org, ORG_FIELDS, before)
    return org
