"""A big city on the police feed: a forum set up for Malmö in one command imports the recorded
answer of the police's events API (`data/polisen_api/malmo_skane.json`, 500 events of the
county, streets and squares named after people in almost every summary) completely, with the
few texts holding personal data stored masked, and every count – ids, categories, ISO weeks,
masked texts, skipped types – equal to a computation made here without the product's code."""

import datetime as dt
from collections import Counter

from sqlalchemy import text

from lagesbild import db, geo, municipalities
from lagesbild.cli import main
from tests.privacy_figures import PERSONAL
from tests.unit.police_api import PoliceApi, Reply, events, recorded

ANSWER = recorded("malmo_skane.json")

# The decisions of docs/police-feed.md for the types in the answer, written out here.
CATEGORY = {
    "Misshandel": "Bråk/våld",
    "Misshandel, grov": "Bråk/våld",
    "Stöld": "Stöld",
    "Stöld, ringa": "Stöld",
    "Stöld/inbrott": "Inbrott",
    "Inbrott": "Inbrott",
    "Inbrott, försök": "Inbrott",
    "Skadegörelse": "Annan skadegörelse",
    "Brand": "Brand/anlagd brand",
    "Mordbrand": "Brand/anlagd brand",
    "Skottlossning": "Bråk/våld",
    "Skottlossning, misstänkt": "Bråk/våld",
    "Detonation": "Annan skadegörelse",
    "Explosion": "Annan skadegörelse",
    "Knivlagen": "Bråk/våld",
    "Rån": "Rån",
    "Rån väpnat": "Rån",
    "Rån, försök": "Rån",
    "Olaga hot": "Bråk/våld",
    "Ofredande/förargelse": "Bråk/våld",
    "Narkotikabrott": "Misstänkt narkotikahantering",
    "Ordningslagen": "Utomhus",
    "Fylleri/LOB": "Utomhus",
    "Ofog barn/ungdom": "Utomhus",
    "Våld/hot mot tjänsteman": "Hot mot personal",
    "Vapenlagen": "Bråk/våld",
    "Motorfordon, stöld": "Stöld",
    "Sedlighetsbrott": "Bråk/våld",
    "Bombhot": "Bråk/våld",
}
SKIPPED = {  # type -> the reason the import report gives
    "Trafikolycka": "trafik",
    "Trafikolycka, personskada": "trafik",
    "Rattfylleri": "trafik",
    "Trafikkontroll": "trafik",
    "Kontroll person/fordon": "polisens egen verksamhet eller kontroller",
    "Brand automatlarm": "larm eller misstanke utan bekräftad händelse",
    "Sjukdom/olycksfall": "olycka eller räddningsinsats",
    "Lagen om hundar och katter": "inget brott eller ordningsstörning",
    "Försvunnen person": "inget brott eller ordningsstörning",
    "Anträffat gods": "inget brott eller ordningsstörning",
    "Övrigt": "ospecificerad händelse",
}
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"]  # fmt: skip


def cli(capsys, db_url, *args) -> tuple[int, str, str]:
    code = main(["--database-url", db_url, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def when(event: dict) -> dt.datetime:
    """The event's time from its name ("21 november 17.04, …") in its year of publication."""
    day, month, clock = event["name"].split(",")[0].split()
    hour, minute = clock.replace(":", ".").split(".")
    year = int(event["datetime"][:4])
    return dt.datetime(year, MONTHS.index(month) + 1, int(day), int(hour), int(minute))


def test_a_big_citys_answer_imports_completely_with_masked_texts(db_url, capsys):
    answer = events(ANSWER)
    malmo = [e for e in answer if e["name"].rsplit(",", 1)[-1].strip() == "Malmö"]
    assert not {e["type"] for e in malmo} - set(CATEGORY) - set(SKIPPED)  # each type decided
    kept = [e for e in malmo if e["type"] in CATEGORY]
    personal = {str(e["id"]): PERSONAL.findall(e["summary"]) for e in kept}
    personal = {k: v for k, v in personal.items() if v}
    assert len(answer) == 500 and len(kept) > 300 and len(personal) == 8

    code, _, err = cli(
        capsys, db_url, "init", "--forum", "Trygghetsforum Malmö", "--municipality", " MALMÖ ",
        "--org", "Malmö stad",
    )  # fmt: skip
    assert code == 0, err
    assert cli(capsys, db_url, "org", "add", "Polisen", "--kind", "polis")[0] == 0
    with PoliceApi(Reply(ANSWER)) as api:
        code, out, err = cli(capsys, db_url, "polisen", "sync", "--url", api.url)
        assert code == 0, err
        assert api.query()["locationname"] == ["Malmö;Skåne län"]
        assert f"{len(kept)} nya händelser importerades" in out
        assert f"personuppgifter maskerades i {len(personal)} texter" in out
        assert "Okända händelsetyper" not in out

    engine = db.make_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT i.source_id, i.occurred_at, i.description, i.lat, i.lon, i.precision, "
                "i.place_id, i.area_id, c.name AS category "
                "FROM incident i JOIN category c ON c.id = i.category_id"
            )
        ).all()
        [run] = conn.execute(text("SELECT ok, fetched, added, skipped, message FROM feed_run"))
    engine.dispose()

    # every id, category and ISO week, as counted here
    assert sorted(r.source_id for r in rows) == sorted(str(e["id"]) for e in kept)
    assert Counter(r.category for r in rows) == Counter(CATEGORY[e["type"]] for e in kept)
    weeks = Counter(when(e).isocalendar()[:2] for e in kept)
    stored_weeks = Counter(
        (r.occurred_at if isinstance(r.occurred_at, dt.datetime) else dt.datetime.fromisoformat(
            str(r.occurred_at))).isocalendar()[:2]
        for r in rows
    )  # fmt: skip
    assert stored_weeks == weeks and len(weeks) >= 4

    # the texts: masked where they hold personal data, stored as written everywhere else
    summaries = {str(e["id"]): e["summary"] for e in kept}
    for row in rows:
        found = personal.get(row.source_id)
        if found:
            assert all(item not in row.description for item in found), row.description
            assert row.description.count("borttage") == len(found), row.description
        else:
            assert row.description == summaries[row.source_id]

    # placed inside Malmö, approximate, never a place or a district
    boundary = municipalities.boundary("Malmö")
    assert all(geo.contains(boundary, r.lat, r.lon) for r in rows)
    assert {(r.precision, r.place_id, r.area_id) for r in rows} == {("ungefar", None, None)}

    # the run as recorded: what was fetched, stored and skipped, and why
    assert (run.ok, run.fetched, run.added, run.skipped) == (True, 500, len(kept), 500 - len(kept))
    elsewhere = Counter(e["name"].rsplit(",", 1)[-1].strip() for e in answer) - Counter(
        {"Malmö": len(malmo)}
    )
    assert f"{sum(elsewhere.values())} händelser i andra kommuner än Malmö" in out
    skipped = Counter(e["type"] for e in malmo if e["type"] in SKIPPED)
    for kind, n in skipped.items():
        assert f"{kind} ({n})" in out, kind
    assert f"personuppgifter maskerades i {len(personal)} texter" in run.message
    assert "Okända händelsetyper" not in run.message

    # the same answer again stores nothing twice
    with PoliceApi(Reply(ANSWER)) as api:
        code, out, _ = cli(capsys, db_url, "polisen", "sync", "--url", api.url)
    assert code == 0 and "0 nya händelser" in out and f"{len(kept)} fanns redan" in out
