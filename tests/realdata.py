"""Load the real public data sets into a forum for tests, independently of the product's
importers: the Swedish Police events (Vellinge, Sävsjö) and a police.uk street-level file."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import insert, select

from lagesbild import db
from lagesbild.models import Area, Category, Incident, Organisation, Place, time_fields
from lagesbild.reference import seed_default_categories
from tests.conftest import SHARED_DATASETS

POLISEN = SHARED_DATASETS / "polisen" / "events_vellinge_savsjo.json"
UK = SHARED_DATASETS / "uk-police" / "merseyside_shoplifting.csv"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
POLICE_TYPES = {  # police event type -> forum category (others are not the forum's business)
    "Brand": "Brand/anlagd brand",
    "Misshandel": "Bråk/våld",
    "Misshandel, grov": "Bråk/våld",
    "Rån": "Rån",
    "Rån, försök": "Rån",
    "Stöld": "Stöld",
    "Stöld, försök": "Stöld",
    "Stöld/inbrott": "Inbrott",
    "Inbrott": "Inbrott",
    "Inbrott, försök": "Inbrott",
    "Narkotikabrott": "Misstänkt narkotikahantering",
}


def polisen_rows() -> list[dict]:
    """The police events the forum cares about, as plain dicts (municipality from the last part
    of the name, summaries skipped, published time converted to Stockholm wall-clock time)."""
    rows = []
    for event in json.loads(POLISEN.read_text(encoding="utf-8")):
        if event["name"].startswith("Sammanfattning") or event["type"] not in POLICE_TYPES:
            continue
        when = dt.datetime.strptime(event["datetime"], "%Y-%m-%d %H:%M:%S %z")
        lat, lon = (float(v) for v in event["location"]["gps"].split(","))
        rows.append(
            {
                "source_id": str(event["id"]),
                "occurred_at": when.astimezone(STOCKHOLM).replace(tzinfo=None),
                "category": POLICE_TYPES[event["type"]],
                "municipality": event["name"].rsplit(",", 1)[-1].strip(),
                "lat": lat,
                "lon": lon,
            }
        )
    return rows


def uk_frame() -> pd.DataFrame:
    df = pd.read_csv(UK, na_values=["NA"])
    df = df.dropna(subset=["latitude", "longitude"])
    df["district"] = df["lsoa_name"].str.rsplit(" ", n=1).str[0]
    return df


def load(engine) -> dict[str, int]:
    """Fill an empty database with both data sets; returns counts per source."""
    with db.transaction(engine) as s:
        seed_default_categories(s)
        police = Organisation(name="Polisen", short_name="Polisen", kind="polis")
        merseyside = Organisation(name="Merseyside Police", short_name="Merseyside", kind="polis")
        s.add_all([police, merseyside])
        s.flush()
        cats = {c.name: c.id for c in s.scalars(select(Category))}
        sv = polisen_rows()
        areas = {}
        for name in sorted({r["municipality"] for r in sv}):
            areas[name] = Area(name=name, kind="kommun")
            s.add(areas[name])
        uk = uk_frame()
        for name in sorted(uk["district"].unique()):
            areas[name] = Area(name=name, kind="district")
            s.add(areas[name])
        s.flush()
        places = {}
        for (location, district), group in uk.groupby(["location", "district"]):
            first = group.iloc[0]
            place = Place(
                name=f"{location}, {district}",
                area_id=areas[district].id,
                lat=float(first["latitude"]),
                lon=float(first["longitude"]),
            )
            s.add(place)
            places[(location, district)] = place
        s.flush()
        rows = [
            {
                "occurred_at": r["occurred_at"],
                "category_id": cats[r["category"]],
                "area_id": areas[r["municipality"]].id,
                "lat": r["lat"],
                "lon": r["lon"],
                "precision": "ungefar",
                "reporting_org_id": police.id,
                "count": 1,
                "source": "polisen",
                "source_id": r["source_id"],
                "description": "",
            }
            for r in sv
        ]
        for row in rows:
            row.update(time_fields(row["occurred_at"]))
        for r in uk.itertuples():
            month = dt.datetime.strptime(r.month, "%Y-%m")
            spread = zlib.crc32(f"{r.crime_id}-{r.Index}".encode())  # police.uk gives months
            rows.append(
                {
                    "occurred_at": month + dt.timedelta(days=spread % 28, hours=8 + spread % 14),
                    "category_id": cats["Stöld"],
                    "place_id": places[(r.location, r.district)].id,
                    "area_id": areas[r.district].id,
                    "lat": float(r.latitude),
                    "lon": float(r.longitude),
                    "precision": "plats",
                    "reporting_org_id": merseyside.id,
                    "count": 1,
                    "source": "police.uk",
                    "source_id": f"{r.crime_id}-{r.Index}",
                    "description": "",
                }
            )
            rows[-1].update(time_fields(rows[-1]["occurred_at"]))

        s.execute(insert(Incident), rows)
    return {"polisen": len(sv), "police.uk": len(uk)}
