"""The police feed: every event type has a decision, approximate positions stay inside the
forum's municipality and are never places or hot spots, a file for another municipality
stores nothing and says why, and events without an id get a stable one."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from lagesbild import db, fmt, geo, municipalities
from lagesbild.actor import Actor
from lagesbild.analysis.hotspots import Rule
from lagesbild.cli import main
from lagesbild.filters import Scope, Window
from lagesbild.importers import polisen, polisen_types
from lagesbild.models import Area, Incident, Organisation
from lagesbild.periods import ReportPeriod
from lagesbild.queries import hotspots, summary
from lagesbild.queries.common import Viewer
from lagesbild.reference import (
    MUNICIPALITY_KEY,
    load_json,
    seed_default_categories,
    set_setting,
)
from lagesbild.services import imports
from tests.conftest import DEMO_NOW, ROOT
from tests.realdata import POLISEN

ADMIN = Actor(
    user_id=None, username="admin", display_name="Admin", organisation_id=None, role="admin"
)
SKANE_COUNTY = ("Skåne län", "55.990257,13.595769")

# The police events API's types: the API's published list of types (the summaries' variants
# included), the types seen in real files that it does not list, and types named in other
# published lists (Skyddslagen; Bedrägeri, försök).
API_TYPES = """Alkohollagen; Anträffad död; Anträffat gods; Arbetsplatsolycka; Bedrägeri; Bombhot;
Brand; Brand automatlarm; Bråk; Detonation; Djur skadat/omhändertaget; Ekobrott;
Farligt föremål misstänkt; Fjällräddning; Fylleri/LOB; Förfalskningsbrott; Försvunnen person;
Gränskontroll; Häleri; Inbrott; Inbrott försök; Knivlagen; Kontroll person/fordon; Larm inbrott;
Larm överfall; Miljöbrott; Missbruk av urkund; Misshandel; Misshandel grov; Mord/dråp;
Mord/dråp försök; Motorfordon anträffat stulet; Motorfordon stöld; Narkotikabrott;
Naturkatastrof; Ofog barn/ungdom; Ofredande/förargelse; Olaga frihetsberövande; Olaga hot;
Olaga intrång; Olovlig körning; Övrigt; Polisinsats/kommendering; Rattfylleri; Rån; Rån väpnat;
Rån övrigt; Rån försök; Räddningsinsats; Sabotage mot blåljusverksamhet; Sammanfattning natt;
Sammanfattning dag; Sammanfattning kväll och natt; Sammanfattning vecka; Sedlighetsbrott;
Skadegörelse; Skottlossning; Skottlossning misstänkt; Spridning smittsamma kemikalier; Stöld;
Stöld försök; Stöld/inbrott; Tillfälligt obemannat; Trafikbrott; Trafikhinder; Trafikkontroll;
Trafikolycka; Trafikolycka, personskada; Trafikolycka, singel; Trafikolycka, smitning från;
Trafikolycka, vilt; Trafikolycka vilt; Våld/hot mot tjänsteman; Våldtäkt; Våldtäkt försök;
Vapenlagen; Varningslarm/haveri; Mordbrand; Uppdatering; Utlänningslagen; Explosion; Djur;
Kontroll; Åldringsbrott; Stöld, ringa; Olaga intrång/hemfridsbrott; Ordningslagen;
Lagen om hundar och katter; Sjukdom/olycksfall; Sjölagen; Vållande till kroppsskada;
Sammanfattning dygn; Sammanfattning eftermiddag; Sammanfattning förmiddag;
Sammanfattning helg; Sammanfattning kväll; Skyddslagen; Bedrägeri, försök"""


def api_types() -> list[str]:
    return [t.strip() for t in API_TYPES.replace("\n", " ").split(";")]


@pytest.fixture
def forum(engine):
    """An empty forum (default categories, the police as an organisation); the municipality
    is set by the test."""
    with db.transaction(engine) as s:
        seed_default_categories(s)
        police = Organisation(name="Polisen", short_name="Polisen", kind="polis")
        s.add(police)
        s.flush()
        return engine, police.id


def set_municipality(engine, name: str) -> None:
    with db.transaction(engine) as s:
        set_setting(s, MUNICIPALITY_KEY, name)


def event(n: int, kind: str, where: str, location=SKANE_COUNTY, day: int = 20, **extra) -> dict:
    out = {
        "id": 900_000 + n,
        "datetime": f"2026-11-{day:02d} 12:00:00 +01:00",
        "name": f"{day} november 11:{n % 60:02d}, {kind}, {where}",
        "summary": f"Händelse {n}.",
        "url": f"/aktuellt/handelser/2026/november/{day}/{n}/",
        "type": kind,
        "location": {"name": location[0], "gps": location[1]},
    }
    out.update(extra)
    return out


def run(engine, org: int, events: list, store: bool = True):
    content = json.dumps(events, ensure_ascii=False).encode("utf-8")
    with db.transaction(engine) as s:
        table, mapping, skipped = imports.read_file(s, content, "events.json", polisen.SOURCE)
        return imports.run_import(
            s,
            ADMIN,
            source=polisen.SOURCE,
            filename="events.json",
            table=table,
            mapping=mapping,
            organisation_id=org,
            pre_skipped=skipped,
            store=store,
        )


def stored(engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(
            select(
                Incident.source_id, Incident.lat, Incident.lon, Incident.precision, Incident.area_id
            ).order_by(Incident.source_id)
        ).all()


# --- every type has a decision -----------------------------------------------------------


def test_every_police_type_has_a_decision():
    undecided = [t for t in api_types() if polisen_types.decide(t) is None]
    assert undecided == []
    assert polisen_types.decide("Misshandel grov") == polisen_types.decide("misshandel,  grov")
    assert polisen_types.decide("Skottlossning, misstänkt").category == "Bråk/våld"
    assert polisen_types.decide("Trafikolycka, vilt").reason == polisen_types.TRAFFIC
    assert polisen_types.decide("Något helt nytt") is None


def test_categories_are_the_default_ones():
    defaults = {c for g in load_json("categories.json")["groups"] for c in g["categories"]}
    assert set(polisen_types.TYPE_TO_CATEGORY.values()) <= defaults
    assert not set(polisen_types.TYPE_TO_CATEGORY) & set(polisen_types.SKIPPED_TYPES)


@pytest.mark.real_data
def test_every_type_in_the_real_file_has_a_decision():
    events = json.loads(POLISEN.read_text(encoding="utf-8"))
    assert [e["type"] for e in events if polisen_types.decide(e["type"]) is None] == []


def test_the_docs_list_every_type_with_its_decision():
    doc = (ROOT / "docs" / "police-feed.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (.+?) \| (.+?) \|$", doc, flags=re.MULTILINE))
    for name, category in polisen_types.TYPE_TO_CATEGORY.items():
        assert rows.get(name) == f"category **{category}**", name
    for name, reason in polisen_types.SKIPPED_TYPES.items():
        assert rows.get(name) == f"skipped: {reason}", name
    for family, reason in polisen_types.SKIPPED_FAMILIES.items():
        assert rows.get(f"{family} … (every variant)") == f"skipped: {reason}", family
    listed = len(polisen_types.TYPE_TO_CATEGORY) + len(polisen_types.SKIPPED_TYPES)
    assert len(rows) - 1 == listed + len(polisen_types.SKIPPED_FAMILIES)  # minus the header


def test_unknown_and_skipped_types_are_reported_by_name_and_count(forum):
    engine, police = forum
    set_municipality(engine, "Malmö")
    events = [event(i, "Skottlossning", "Malmö") for i in range(2)]
    events += [event(10 + i, "Rymning", "Malmö") for i in range(3)]
    events += [event(20 + i, "Trafikolycka, vilt", "Malmö") for i in range(4)]
    events += [event(30, "Rattfylleri", "Malmö"), event(31, "Mordbrand", "Malmö")]
    report = run(engine, police, events)
    assert report.ok and report.added == 3  # two shootings and the arson
    notes = " ".join(report.notes)
    assert "Okända händelsetyper" in notes and "”Rymning” (3)" in notes
    assert "trafik: Trafikolycka, vilt (4), Rattfylleri (1)" in notes
    reasons = Counter(why for _, why in report.skipped)
    assert reasons["händelsetypen ”Rymning” är okänd och importeras inte"] == 3
    assert len(report.skipped) == 8
    with engine.connect() as conn:
        names = conn.execute(
            text("SELECT c.name FROM incident i JOIN category c ON c.id = i.category_id")
        ).scalars()
        assert Counter(names) == {"Bråk/våld": 2, "Brand/anlagd brand": 1}


@pytest.mark.real_data
def test_the_report_counts_skipped_types_like_an_independent_count(forum):
    engine, police = forum
    set_municipality(engine, "Vellinge")
    events = json.loads(POLISEN.read_text(encoding="utf-8"))
    report = run(engine, police, events)
    mine = [e for e in events if e["name"].rsplit(",", 1)[-1].strip() == "Vellinge"]
    traffic = Counter(e["type"] for e in mine if e["type"].startswith(("Trafik", "Rattfyll")))
    note = next(n for n in report.notes if n.startswith("Händelsetyper som inte importeras"))
    for kind, n in traffic.items():
        assert f"{kind} ({n})" in note
    assert f"Sävsjö ({len(events) - len(mine)})" in " ".join(report.notes)


# --- approximate positions ---------------------------------------------------------------


def test_county_points_are_placed_inside_the_forums_municipality(forum):
    engine, police = forum
    set_municipality(engine, "malmö ")  # as an older installation may have stored it
    boundary = municipalities.boundary("Malmö")
    with db.transaction(engine) as s:  # a district covering the whole municipality
        s.add(Area(name="Hela Malmö", kind="stadsdel", geojson=boundary["features"][0]))
    stockholm = ("Stockholm", "59.329444,18.068611")
    inside = ("Rosengård", "55.5850,13.0340")  # a position of its own, inside Malmö
    events = [
        event(1, "Misshandel", "Malmö"),  # the county's point, 45 km away
        event(2, "Rån", "Malmö", location=("Malmö", "55.604981,13.003822")),
        event(3, "Stöld", "Malmö", location=stockholm),  # outside the municipality
        event(4, "Inbrott", "Malmö", location=("Skåne län", "")),  # no position at all
        event(5, "Skadegörelse", "Malmö", location=inside),
    ]
    assert run(engine, police, events).added == 5
    point = municipalities.representative_point("Malmö")
    rows = stored(engine)
    assert {r.precision for r in rows} == {"ungefar"} and {r.area_id for r in rows} == {None}
    for row in rows[:4]:
        assert (row.lat, row.lon) == pytest.approx(point, abs=1e-6)
        assert geo.contains(boundary, row.lat, row.lon)
    assert (rows[4].lat, rows[4].lon) == pytest.approx((55.585, 13.034))


def test_approximate_positions_are_never_places_or_hot_spots(forum):
    """Forty approximate events in the last four weeks at one point: no hot spot and no
    place. The same rows with exact positions would be one (so the check can fail)."""
    engine, police = forum
    set_municipality(engine, "Sävsjö")
    events = [event(i, "Skadegörelse", "Sävsjö", day=1 + i % 20) for i in range(40)]
    assert run(engine, police, events).added == 40
    scope = Scope(window=Window(DEMO_NOW.replace(day=1), DEMO_NOW), label="")
    viewer = Viewer(None, True)
    lat = municipalities.representative_point("Sävsjö")[0]
    with engine.connect() as conn:
        assert hotspots.find(conn, scope=scope, viewer=viewer, rule=Rule(), lat=lat).empty
        assert conn.execute(select(func.count(Incident.place_id))).scalar() == 0
    with db.transaction(engine) as s:
        s.execute(text("UPDATE incident SET precision = 'punkt'"))
    with engine.connect() as conn:
        found = hotspots.find(conn, scope=scope, viewer=viewer, rule=Rule(), lat=lat)
        assert len(found) == 1 and found.iloc[0]["status"] == "Ny"


@pytest.mark.real_data
def test_the_real_files_events_lie_in_their_municipality(forum):
    engine, police = forum
    events = json.loads(POLISEN.read_text(encoding="utf-8"))
    for name in ("Vellinge", "Sävsjö"):
        set_municipality(engine, name)
        assert run(engine, police, events).ok
        with engine.connect() as conn:
            rows = conn.execute(
                select(Incident.lat, Incident.lon).where(
                    Incident.source_id.in_(
                        [str(e["id"]) for e in events if e["name"].endswith(name)]
                    )
                )
            ).all()
        assert rows and all(
            geo.contains(municipalities.boundary(name), lat, lon) for lat, lon in rows
        )
    assert {r.precision for r in stored(engine)} == {"ungefar"}


# --- another municipality, ids -----------------------------------------------------------


def test_a_file_for_another_municipality_stores_nothing_and_says_why(forum, capsys, tmp_path):
    engine, police = forum
    events = [event(i, "Misshandel", "Vellinge") for i in range(3)]
    events.append(event(9, "Sammanfattning natt", "Lund", name="Sammanfattning natt, Lund"))
    set_municipality(engine, "Malmö stad")  # stored before names were checked
    report = run(engine, police, events)
    assert report.stores_nothing and not report.stored
    assert report.summary() == (
        "Inget importerades: 0 av 4 händelser gällde ”Malmö stad”; menade du Malmö? Forumets "
        "kommun styr vilka av polisens händelser som importeras; rätta den med "
        "”lagesbild forum set --municipality …”."
    )
    set_municipality(engine, "Malmö")
    assert run(engine, police, events).summary() == (
        "Inget importerades: 0 av 4 händelser gällde Malmö; filen har händelser från "
        "Vellinge (3), Lund (1). Forumets kommun styr vilka av polisens händelser som "
        "importeras."
    )
    set_municipality(engine, "Vellinge")
    only_traffic = [event(i, "Trafikolycka", "Vellinge") for i in range(2)]
    assert (
        run(engine, police, only_traffic)
        .summary()
        .startswith(
            "Inget importerades: ingen av filens 2 händelser i Vellinge är av en typ som importeras"
        )
    )
    set_municipality(engine, "Malmö")
    path: Path = tmp_path / "events.json"
    path.write_text(json.dumps(events), encoding="utf-8")
    url = engine.url.render_as_string(hide_password=False)
    code = main(
        ["--database-url", url, "import", str(path), "--source", "polisen", "--org", "Polisen"]
    )
    err = capsys.readouterr().err
    assert code == 1 and "0 av 4 händelser gällde Malmö" in err
    assert stored(engine) == []
    set_municipality(engine, "Vellinge")
    code = main(
        ["--database-url", url, "import", str(path), "--source", "polisen", "--org", "Polisen"]
    )
    out = capsys.readouterr().out
    assert code == 0 and "3 nya händelser importerades" in out
    assert "1 händelse i andra kommuner än Vellinge hoppades över: Lund (1)." in out


def test_big_counts_are_written_the_swedish_way():
    events = [event(i, "Brand", "Lund") for i in range(1200)]
    table, skipped = polisen.to_table(events, "Malmö")
    assert table.rows.empty and len(skipped) == 1200
    assert table.empty_reason.startswith(f"0 av {fmt.integer(1200)} händelser gällde Malmö;")
    table, _ = polisen.to_table([*events[:3], event(5, "Brand", "Malmö")], "Malmö")
    assert not table.empty_reason and table.lines == [4]  # the row's position in the file


def test_events_without_an_id_get_a_stable_one(forum):
    engine, police = forum
    set_municipality(engine, "Vellinge")
    events = [
        event(1, "Brand", "Vellinge", id=None),
        event(2, "Brand", "Vellinge", id=None),
        event(3, "Rån", "Vellinge"),
        event(4, "Stöld", "Vellinge", id=""),
    ]
    del events[2]["id"]
    report = run(engine, police, [*events, dict(events[0])])  # the same event twice
    assert report.ok and report.added == 4
    assert report.skipped == [(5, "samma händelse står tidigare i filen")]
    ids = [r.source_id for r in stored(engine)]
    assert "None" not in ids and "" not in ids and len(set(ids)) == 4
    assert all(i.startswith("innehall-") for i in ids)
    again = run(engine, police, list(reversed(events)))
    assert again.added == 0 and again.already == 4
    assert polisen.event_id(events[0]) == polisen.event_id(json.loads(json.dumps(events[0])))
    assert polisen.event_id(event(7, "Brand", "Vellinge")) == "900007"


def test_a_new_forums_quarterly_report_works_without_districts(forum):
    """A forum that has only police events (no areas, no places yet) gets its report."""
    engine, police = forum
    set_municipality(engine, "Kiruna")
    events = [event(i, "Misshandel", "Kiruna", day=1 + i) for i in range(6)]
    events += [event(10 + i, "Stöld", "Kiruna", day=3 + i) for i in range(4)]
    assert run(engine, police, events).added == 10
    period = ReportPeriod("kvartal", 2026, 4)
    lat = municipalities.representative_point("Kiruna")[0]
    result = summary.collect(
        engine, viewer=Viewer(None, True), period=period, lat=lat, today=DEMO_NOW.date()
    )
    assert result.totals["current"] == 10
    assert result.areas.to_dict("records") == [
        {"area": "Utan område", "current": 10, "previous": 0, "last_year": 0}
    ]
