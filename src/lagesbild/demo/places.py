"""The municipality's areas (tätorter with an approximate outline) and its real places."""

from __future__ import annotations

from lagesbild.demo.forum import DemoSummary, Forum
from lagesbild.models import Area, Place
from lagesbild.reference import ellipse_polygon


def add_areas(forum: Forum) -> None:
    s = forum.session
    for a in forum.spec["areas"]:
        geo = ellipse_polygon(*a["centre"], *a["radius_m"]) if a["centre"] else None
        area = Area(name=a["name"], kind=a["kind"], geojson=geo)
        s.add(area)
        forum.areas[a["name"]] = area
    s.flush()


def add_places(forum: Forum, summary: DemoSummary) -> None:
    s = forum.session
    for p in forum.spec["places"]:
        place = Place(
            name=p["name"],
            area_id=forum.areas[p["area"]].id,
            kind=p["kind"],
            lat=p["lat"],
            lon=p["lon"],
        )
        s.add(place)
        forum.places.append((place, p["weight"]))
    s.flush()
    summary.places = len(forum.places)
    forum.place_by_name = {p.name: p for p, _ in forum.places}
