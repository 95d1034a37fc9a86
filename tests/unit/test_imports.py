"""Imports: the real data sets give exactly what an independent script counts; re-import adds
nothing; one bad row stores nothing and is named; odd encodings, separators and formats."""

import datetime as dt
import io
import json
from collections import Counter

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import func, select, text

from lagesbild import db
from lagesbild.actor import Actor
from lagesbild.errors import PermissionDenied
from lagesbild.importers import polisen
from lagesbild.importers.mapping import POLICE_UK, Mapping, suggest
from lagesbild.importers.reading import ImportFileError
from lagesbild.models import Incident, Organisation
from lagesbild.reference import MUNICIPALITY_KEY, seed_default_categories, set_setting
from lagesbild.services import imports
from tests.realdata import POLISEN, UK

ADMIN = Actor(
    user_id=None, username="admin", display_name="Admin", organisation_id=None, role="admin"
)


@pytest.fixture
def forum(engine):
    """An empty Vellinge forum: default categories, two organisations."""
    with db.transaction(engine) as s:
        seed_default_categories(s)
        set_setting(s, MUNICIPALITY_KEY, "Vellinge")
        police = Organisation(name="Polisen", short_name="Polisen", kind="polis")
        housing = Organisation(name="Vellingebostäder", short_name="VB", kind="bostadsbolag")
        s.add_all([police, housing])
        s.flush()
        return engine, police.id, housing.id


def run(engine, content, filename, source, org, mapping=None, store=True):
    with db.transaction(engine) as s:
        table, built_in, skipped = imports.read_file(s, content, filename, source)
        return imports.run_import(
            s,
            ADMIN,
            source=source,
            filename=filename,
            table=table,
            mapping=mapping or built_in,
            organisation_id=org,
            pre_skipped=skipped,
            store=store,
        )


def incident_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Incident)).scalar()


@pytest.mark.real_data
def test_police_events_match_an_independent_count(forum):
    engine, police, _ = forum
    report = run(engine, POLISEN.read_bytes(), "events.json", polisen.SOURCE, police)
    assert report.ok and report.stored
    events = json.loads(POLISEN.read_text(encoding="utf-8"))
    mine = [
        e
        for e in events
        if not e["name"].startswith("Sammanfattning")
        and e["name"].rsplit(",", 1)[-1].strip() == "Vellinge"
    ]
    expected = Counter(
        polisen.TYPE_TO_CATEGORY[e["type"]] for e in mine if e["type"] in polisen.TYPE_TO_CATEGORY
    )
    with engine.connect() as conn:
        got = Counter(
            dict(
                conn.execute(
                    text(
                        "SELECT c.name, count(*) FROM incident i "
                        "JOIN category c ON c.id = i.category_id GROUP BY c.name"
                    )
                ).all()
            )
        )
        precision = {r[0] for r in conn.execute(text("SELECT DISTINCT precision FROM incident"))}
    assert got == expected and sum(got.values()) > 20
    assert report.added == sum(expected.values())
    assert len(report.skipped) == len(events) - sum(expected.values())
    assert precision == {"ungefar"}  # centroids are never places


def test_police_event_times_come_from_the_name():
    assert polisen.event_time(
        "24 mars 17:39, Rattfylleri, Vellinge", "2023-03-24 19:30:56 +01:00"
    ) == dt.datetime(2023, 3, 24, 17, 39)
    assert polisen.event_time(
        "23 januari 12.28, Trafikolycka, Vellinge", "2026-01-23 13:00:00 +01:00"
    ) == dt.datetime(2026, 1, 23, 12, 28)
    assert polisen.event_time(
        "31 december 23:50, Brand, Vellinge", "2024-01-01 00:40:00 +01:00"
    ) == dt.datetime(2023, 12, 31, 23, 50)


@pytest.mark.real_data
def test_police_uk_file_matches_an_independent_count(forum):
    engine, police, _ = forum
    report = run(engine, UK.read_bytes(), UK.name, POLICE_UK, police)
    assert report.ok and report.added == 7930 and report.stored
    df = pd.read_csv(UK, na_values=["NA"])
    with engine.connect() as conn:
        got = pd.read_sql(
            text("SELECT occurred_at, occurred_until, lat, lon, source_id FROM incident"), conn
        )
    per_month = pd.to_datetime(got["occurred_at"]).dt.strftime("%Y-%m").value_counts()
    assert per_month.to_dict() == df["month"].value_counts().to_dict()
    merged = got.merge(df, left_on="source_id", right_on="crime_id")
    assert len(merged) == 7930
    assert (merged["lat"] - merged["latitude"]).abs().max() < 1e-9
    until = pd.to_datetime(merged["occurred_until"])
    assert (until.dt.month == pd.to_datetime(merged["occurred_at"]).dt.month).all()
    assert (until.dt.day >= 28).all()  # a month-only date covers the whole month


@pytest.mark.real_data
def test_re_import_adds_nothing(forum):
    engine, police, _ = forum
    first = run(engine, UK.read_bytes(), UK.name, POLICE_UK, police)
    again = run(engine, UK.read_bytes(), UK.name, POLICE_UK, police)
    assert (first.added, again.added, again.already) == (7930, 0, 7930)
    assert not again.stored and incident_count(engine) == 7930


@pytest.mark.real_data
def test_one_bad_row_among_thousands_stores_nothing_and_is_named(forum):
    engine, police, _ = forum
    lines = UK.read_text(encoding="utf-8").splitlines()
    cells = lines[5000].split(",")
    cells[7] = "abc"  # latitude of the 5000th data row
    lines[5000] = ",".join(cells)
    report = run(engine, "\n".join(lines).encode(), UK.name, POLICE_UK, police)
    assert not report.ok and not report.stored
    assert [(e.row, e.column) for e in report.errors] == [(5001, "latitude")]
    assert "”abc” är inte ett tal" in str(report.errors[0])
    assert str(report.errors[0]).startswith("Rad 5001, kolumn ”latitude”")
    assert incident_count(engine) == 0


SWEDISH = (
    "Id;Datum;Tid;Typ;Plats;Antal;Beskrivning;Lat;Lon\n"
    "A1;21/11/2026;21.30;Klotter;;2;Taggar på elskåp;55,4716;13,0194\n"
    "A2;2026-11-20;;Glaskross;;1;Krossad ruta i entré;55,4181;12,9561\n"
)


def _swedish_mapping(engine) -> Mapping:
    with db.transaction(engine) as s:
        names = imports.category_names(s)
    return Mapping(
        columns={
            "source_id": "Id",
            "occurred_at": "Datum",
            "occurred_time": "Tid",
            "category": "Typ",
            "count": "Antal",
            "description": "Beskrivning",
            "lat": "Lat",
            "lon": "Lon",
        },
        category_values={"Klotter": names["Klotter"], "Glaskross": names["Glaskross"]},
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_swedish_csv_in_every_common_encoding(forum, encoding):
    engine, _, housing = forum
    report = run(
        engine,
        SWEDISH.encode(encoding),
        "felanmalan.csv",
        "VB felanmälan",
        housing,
        _swedish_mapping(engine),
    )
    assert report.ok and report.added == 2, [str(e) for e in report.errors]
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT source_id, occurred_at, count, lat, description "
                "FROM incident ORDER BY source_id"
            )
        ).all()
    assert rows[0].count == 2 and abs(rows[0].lat - 55.4716) < 1e-9
    assert str(rows[0].occurred_at).startswith("2026-11-21 21:30")
    assert rows[1].description == "Krossad ruta i entré"


def test_excel_file(forum):
    engine, _, housing = forum
    book = openpyxl.Workbook()
    sheet = book.active
    for line in SWEDISH.splitlines():
        sheet.append(line.split(";"))
    sheet["B2"] = dt.datetime(2026, 11, 21)
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(
        engine, buffer.getvalue(), "felanmalan.xlsx", "VB", housing, _swedish_mapping(engine)
    )
    assert report.ok and report.added == 2, [str(e) for e in report.errors]


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        (("21/11/2026", "31/02/2026"), "Datum", "inte ett datum"),
        (("21/11/2026", "2036-01-01"), "Datum", "ligger i framtiden"),
        (("55,4716;13,0194", "13,0194;55,4716"), "Lat", "utanför Sverige"),
        (
            ("Taggar på elskåp", "Anna Svensson ringde 070-123 45 67"),
            "Beskrivning",
            "personuppgifter",
        ),
        (("Taggar på elskåp", "Tolvan 121212-1212"), "Beskrivning", "Personnummer"),
        ((";2;", ";två;"), "Antal", "inte ett tal"),
        (("Klotter", "Okänd typ"), "Typ", "inte översatt"),
    ],
)
def test_bad_cells_are_named_and_nothing_is_stored(forum, change, column, message):
    engine, _, housing = forum
    content = SWEDISH.replace(*change).encode()
    report = run(engine, content, "x.csv", "VB", housing, _swedish_mapping(engine))
    assert not report.ok and incident_count(engine) == 0
    assert report.errors[0].row == 2 and report.errors[0].column == column
    assert message in report.errors[0].message


def test_missing_columns_and_mapping(forum):
    engine, _, housing = forum
    mapping = _swedish_mapping(engine)
    mapping.columns["place"] = "Platsnamn"
    report = run(engine, SWEDISH.encode(), "x.csv", "VB", housing, mapping)
    assert [str(e) for e in report.errors] == [
        "Rad 1, kolumn ”Platsnamn”: Kolumnen finns inte i filen."
    ]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "tom.csv", "Filen är tom."),
        (b"\n\n  \n", "tom.csv", "Filen är tom."),
        (b"\x00\x01\x02\xff\xfe" * 100, "binar.csv", "binära data"),
        (b"PK\x03\x04trasig", "trasig.xlsx", "Excelfilen går inte att öppna"),
        (b"{inte json", "events.json", "inte giltig JSON"),
    ],
)
def test_unreadable_files_get_a_swedish_message(forum, content, filename, message):
    engine, police, _ = forum
    source = polisen.SOURCE if filename.endswith(".json") else "X"
    with pytest.raises(ImportFileError, match=message):
        run(engine, content, filename, source, police, Mapping())
    assert incident_count(engine) == 0


def test_a_file_over_100_mb_is_refused(forum, monkeypatch):
    engine, police, _ = forum
    with pytest.raises(ImportFileError, match="högst 100 MB"):
        run(engine, b"a" * (100 * 1024 * 1024 + 1), "stor.csv", "X", police, Mapping())


@pytest.mark.real_data
def test_members_import_only_for_their_own_organisation(forum):
    engine, police, housing = forum
    member = Actor(
        user_id=None, username="vb", display_name="VB", organisation_id=housing, role="medlem"
    )
    with pytest.raises(PermissionDenied), db.transaction(engine) as s:
        table, mapping, _ = imports.read_file(s, UK.read_bytes(), UK.name, POLICE_UK)
        imports.run_import(
            s,
            member,
            source=POLICE_UK,
            filename="x",
            table=table,
            mapping=mapping,
            organisation_id=police,
        )


def test_mappings_are_saved_per_source(forum):
    engine, _, _ = forum
    mapping = _swedish_mapping(engine)
    with db.transaction(engine) as s:
        imports.save_mapping(s, ADMIN, "VB felanmälan", mapping)
    with db.transaction(engine) as s:
        assert imports.saved_mapping(s, "VB felanmälan") == mapping
        assert imports.sources(s) == ["VB felanmälan"]


def test_column_guesses():
    guess = suggest(["crime_id", "month", "longitude", "latitude", "crime_type", "location"])
    assert guess == {
        "source_id": "crime_id",
        "occurred_at": "month",
        "category": "crime_type",
        "lat": "latitude",
        "lon": "longitude",
    }
    assert suggest(["Datum", "Tid", "Kategori", "Plats", "Antal", "Beskrivning"]) == {
        "occurred_at": "Datum",
        "occurred_time": "Tid",
        "category": "Kategori",
        "place": "Plats",
        "count": "Antal",
        "description": "Beskrivning",
    }
