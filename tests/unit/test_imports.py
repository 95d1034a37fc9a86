"""Imports: the real data sets give exactly what an independent script counts; re-import adds
nothing; one bad row stores nothing and is named; odd encodings, separators and formats."""

import datetime as dt
import gzip
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


def run(engine, content, filename, source, org, mapping=None, store=True, skip_invalid=False):
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
            skip_invalid=skip_invalid,
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


# -- no silent import -------------------------------------------------------------------


def _event(id_, name, summary="Brand i byggnad", type_="Brand"):
    return {
        "id": id_,
        "datetime": "2026-11-20 22:10:00 +01:00",
        "name": f"20 november 21:55, {type_}, {name}",
        "summary": summary,
        "type": type_,
        "location": {"name": "Skåne län", "gps": "55.99,13.59"},
    }


def test_police_events_all_outside_the_forum_say_why(forum):
    engine, police, _ = forum
    with db.transaction(engine) as s:
        set_setting(s, MUNICIPALITY_KEY, "Malmö stad")
    events = [_event(i, "Malmö") for i in range(5)] + [_event(9, "Lund")]
    report = run(engine, json.dumps(events).encode(), "events.json", polisen.SOURCE, police)
    assert report.ok and report.stores_nothing and not report.stored
    assert report.summary() == (
        "Inget importerades: 0 av 6 händelser gällde ”Malmö stad”; menade du Malmö? "
        "Forumets kommun styr vilka av polisens händelser som importeras; rätta den med "
        "”lagesbild forum set --municipality …”."
    )
    assert incident_count(engine) == 0


def test_a_file_whose_rows_are_all_skipped_says_why(forum):
    engine, _, housing = forum
    mapping = _swedish_mapping(engine)
    mapping.category_values = {"Klotter": None, "Glaskross": None}
    report = run(engine, SWEDISH.encode(), "x.csv", "VB", housing, mapping)
    assert report.stores_nothing
    assert report.summary().startswith("Inget importerades: alla 2 rader hoppades över.")
    assert "kategorin ”Klotter” importeras inte (1)" in report.summary()
    header_only = run(engine, SWEDISH.splitlines()[0].encode(), "x.csv", "VB", housing, mapping)
    assert header_only.summary() == (
        "Inget importerades: filen har inga rader med händelser under rubrikraden."
    )


def test_a_re_import_is_not_a_silent_failure(forum):
    engine, _, housing = forum
    run(engine, SWEDISH.encode(), "x.csv", "VB", housing, _swedish_mapping(engine))
    again = run(engine, SWEDISH.encode(), "x.csv", "VB", housing, _swedish_mapping(engine))
    assert again.already == 2 and not again.stores_nothing and "fanns redan" in again.summary()


def test_mixed_encodings_are_stored_right_and_the_line_is_named(forum):
    engine, _, housing = forum
    content = SWEDISH.encode() + "A3;2026-11-19;;Klotter;;1;Klotter vid Östra torget;;\n".encode(
        "cp1252"
    )
    report = run(engine, content, "x.csv", "VB", housing, _swedish_mapping(engine))
    assert report.ok and report.added == 3
    assert any("rad 4" in note and "Windows-1252" in note for note in report.notes)
    with engine.connect() as conn:
        texts = set(conn.execute(text("SELECT description FROM incident")).scalars())
    assert texts == {"Taggar på elskåp", "Krossad ruta i entré", "Klotter vid Östra torget"}


def test_a_row_cut_off_at_the_end_of_the_file_is_refused_naming_its_line(forum):
    engine, _, housing = forum
    content = SWEDISH.encode() + b"A3;2026-11-19;;Klotter;;1;Klotter;55,47"
    report = run(engine, content, "x.csv", "VB", housing, _swedish_mapping(engine))
    assert report.blocked and incident_count(engine) == 0
    assert [e.row for e in report.errors] == [4]
    assert "Filen slutar mitt i raden" in report.errors[0].message
    skipping = run(
        engine, content, "x.csv", "VB", housing, _swedish_mapping(engine), skip_invalid=True
    )
    assert skipping.added == 2 and incident_count(engine) == 2
    with engine.connect() as conn:
        lats = set(conn.execute(text("SELECT lat FROM incident")).scalars())
    assert 55.47 not in lats  # never a truncated value


def test_errors_name_the_line_in_the_file(forum):
    engine, _, housing = forum
    lines = SWEDISH.splitlines()
    content = "\n".join(
        [
            lines[0],  # line 1
            "",  # line 2
            lines[1].replace("Taggar på elskåp", '"Taggar\npå elskåp"'),  # lines 3-4
            "",  # line 5
            lines[2].replace("2026-11-20", "igår"),  # line 6
        ]
    )
    report = run(engine, content.encode(), "x.csv", "VB", housing, _swedish_mapping(engine))
    assert [(e.row, e.column) for e in report.errors] == [(6, "Datum")]


def test_gzip_utf16_and_tab_files_import(forum):
    engine, _, housing = forum
    mapping = _swedish_mapping(engine)
    tab = SWEDISH.replace(";", "\t")
    for content, name in [
        (gzip.compress(SWEDISH.encode()), "felanmalan.csv.gz"),
        (SWEDISH.encode("utf-16"), "felanmalan.csv"),
        (tab.encode(), "felanmalan.tab"),
        (tab.encode("utf-8-sig"), "felanmalan.tsv"),
        (SWEDISH.encode("utf-16-le"), "felanmalan.txt"),  # UTF-16 without a byte order mark
        (gzip.compress(tab.encode("utf-16")), "felanmalan.tsv.gz"),
    ]:
        report = run(engine, content, name, f"VB {name}", housing, mapping)
        assert report.ok and report.added == 2, (name, [str(e) for e in report.errors])
    with engine.connect() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM incident WHERE description = 'Krossad ruta i entré'")
            ).scalar()
            == 6
        )


UK_OWN = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
    "abc1,2019-02,Merseyside Police,Merseyside Police,-2.878518,53.498496,On or near Colmoor "
    "Close,E01006493,Knowsley 001C,Shoplifting,Unable to prosecute suspect,\n"
    ",2019-02,Merseyside Police,Merseyside Police,-2.87,53.49,On or near Park,E01006493,"
    "Knowsley 001C,Anti-social behaviour,,\n"
)


def test_police_uk_own_headings_and_month_precision(forum):
    engine, police, _ = forum
    report = run(engine, UK_OWN.encode(), "2019-02-merseyside-street.csv", POLICE_UK, police)
    assert report.ok and report.added == 2, [str(e) for e in report.errors]
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT source_id, occurred_at, occurred_until FROM incident ORDER BY lat DESC")
        ).all()
    assert rows[0].source_id == "abc1" and rows[1].source_id  # no id: one from the row
    for row in rows:  # the window is the whole month, not midnight on the 1st
        assert str(row.occurred_at).startswith("2019-02-01 00:00")
        assert str(row.occurred_until).startswith("2019-02-28 23:59:59")


@pytest.mark.parametrize("month", ["2019-02", "2019/2", "02/2019", "februari 2019", "Feb 2019"])
def test_month_only_dates_are_stored_with_month_precision(forum, month):
    engine, police, _ = forum
    content = UK_OWN.replace("2019-02", f'"{month}"').encode()
    report = run(engine, content, "2019-02-merseyside-street.csv", POLICE_UK, police)
    assert report.ok and report.added == 2, [str(e) for e in report.errors]
    with engine.connect() as conn:
        windows = set(conn.execute(text("SELECT occurred_at, occurred_until FROM incident")).all())
    [(start, until)] = windows
    assert str(start).startswith("2019-02-01 00:00") and str(until).startswith("2019-02-28 23:59")


def test_a_police_file_with_one_windows_1252_byte_keeps_the_municipality(forum):
    """A police file edited in another program: one line in Windows-1252 among UTF-8 lines.
    Every event is still Sävsjö's (never "SÃ¤vsjÃ¶"), and the text is stored as written."""
    engine, police, _ = forum
    with db.transaction(engine) as s:
        set_setting(s, MUNICIPALITY_KEY, "Sävsjö")
    events = [_event(i, "Sävsjö", "Brand i förråd, Vrigstad") for i in range(3)]
    content = json.dumps(events, ensure_ascii=False, indent=1).encode("utf-8")
    content = content.replace(b'Vrigstad"', 'Vrigstad, källare"'.encode("cp1252"), 1)
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    report = run(engine, content, "events.json", polisen.SOURCE, police)
    assert report.ok and report.added == 3, report.summary()
    with engine.connect() as conn:
        texts = Counter(conn.execute(text("SELECT description FROM incident")).scalars())
    assert texts == {"Brand i förråd, Vrigstad, källare": 1, "Brand i förråd, Vrigstad": 2}


@pytest.mark.real_data
def test_the_real_police_uk_file_with_police_uk_own_headings(forum):
    engine, police, _ = forum
    lines = UK.read_text(encoding="utf-8").splitlines()
    own = '"","...1","Crime ID","Month","Reported by","Falls within","Longitude","Latitude",'
    own += '"Location","LSOA code","LSOA name","Crime type","Last outcome category","Context"'
    lines[0] = own
    report = run(engine, "\n".join(lines).encode(), UK.name, POLICE_UK, police)
    assert report.ok and report.added == 7930


# -- members' files: skip the invalid rows when asked -----------------------------------


def test_skip_invalid_stores_the_valid_rows_and_hands_back_the_rest(forum):
    engine, _, housing = forum
    content = (
        SWEDISH + "A3;igår;;Klotter;;1;Klotter;;\nA4;2026-11-18;;Klotter;;tre;Klotter;;\n"
    ).encode()
    mapping = _swedish_mapping(engine)
    strict = run(engine, content, "x.csv", "VB", housing, mapping)
    assert strict.blocked and incident_count(engine) == 0
    assert "allt eller inget" in strict.summary()

    report = run(engine, content, "x.csv", "VB", housing, mapping, skip_invalid=True)
    assert report.stored and report.added == 2 and report.rejected_rows == 2
    assert incident_count(engine) == 2
    assert "2 rader med fel hoppades över" in report.summary()
    rejected = pd.read_csv(io.BytesIO(report.rejected_file), sep=";", dtype=str)
    assert list(rejected.columns) == [*SWEDISH.splitlines()[0].split(";"), "fel"]
    assert list(rejected["Id"]) == ["A3", "A4"]
    assert "kolumn ”Datum”" in rejected["fel"][0] and "inte ett datum" in rejected["fel"][0]
    assert "inte ett tal" in rejected["fel"][1]

    again = run(engine, content, "x.csv", "VB", housing, mapping, skip_invalid=True)
    assert (again.added, again.already, again.rejected_rows) == (0, 2, 2)
    assert incident_count(engine) == 2

    fixed = report.rejected_file.decode("utf-8-sig").replace("igår", "2026-11-17")
    fixed = fixed.replace(";tre;", ";3;")
    done = run(engine, fixed.encode(), "x-fel.csv", "VB", housing, mapping)
    assert done.ok and done.added == 2 and incident_count(engine) == 4


def test_a_corrected_row_without_an_id_is_the_same_row_in_either_file(forum):
    engine, _, housing = forum
    mapping = _swedish_mapping(engine)
    del mapping.columns["source_id"]
    original = SWEDISH.replace("2026-11-20", "20 nov")
    report = run(engine, original.encode(), "x.csv", "VB", housing, mapping, skip_invalid=True)
    assert (report.added, report.rejected_rows) == (1, 1)
    fixed = report.rejected_file.decode("utf-8-sig").replace("20 nov", "2026-11-20")
    assert run(engine, fixed.encode(), "x-fel.csv", "VB", housing, mapping).added == 1
    again = run(engine, SWEDISH.encode(), "x.csv", "VB", housing, mapping)
    assert (again.added, again.already) == (0, 2) and incident_count(engine) == 2


def test_skip_invalid_does_not_pass_a_wrong_mapping(forum):
    engine, _, housing = forum
    mapping = _swedish_mapping(engine)
    mapping.columns["place"] = "Platsnamn"
    report = run(engine, SWEDISH.encode(), "x.csv", "VB", housing, mapping, skip_invalid=True)
    assert report.blocked and not report.stored and report.rejected_file is None


# -- public sources: masked, not blocked ------------------------------------------------


def test_police_texts_with_personal_data_are_stored_masked(forum):
    engine, police, _ = forum
    events = [
        _event(1, "Vellinge", "Brand i villa, ägaren Anna Svensson nås på 070-123 45 67."),
        _event(2, "Vellinge", "Brand i förråd vid skolan."),
        _event(3, "Vellinge", "Bil med reg ABC 123 brann, ägare 19121212-1212."),
        _event(None, "Vellinge"),
    ]
    report = run(engine, json.dumps(events).encode(), "events.json", polisen.SOURCE, police)
    assert report.ok and report.stored and report.added == 4
    assert [row for row, _ in report.masked] == [1, 3]
    assert "telefonnummer" in report.masked[0][1] and "personnummer" in report.masked[1][1]
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT source_id, description FROM incident")).all())
    assert polisen.event_id(events[3]) in stored  # id: null gets a stable id from its content
    assert "070-123 45 67" not in stored["1"] and "[telefonnummer borttaget]" in stored["1"]
    assert "19121212-1212" not in stored["3"] and "[personnummer borttaget]" in stored["3"]
    assert "None" not in stored
    assert "personuppgifter maskerades i 2 texter" in report.summary()


def test_members_files_with_personal_data_are_still_refused(forum):
    engine, _, housing = forum
    content = SWEDISH.replace("Taggar på elskåp", "Ring 070-123 45 67").encode()
    mapping = _swedish_mapping(engine)
    mapping.mask_personal_data = True  # a saved mapping cannot switch the check off
    report = run(engine, content, "x.csv", "VB", housing, mapping)
    assert report.blocked and not report.masked and incident_count(engine) == 0


def test_the_rejected_rows_file_is_named_after_the_file():
    assert imports.rejected_name("felanmalan.csv.gz") == "felanmalan-fel.csv"
    assert imports.rejected_name("Export 2026.XLSX") == "Export 2026-fel.csv"
    assert imports.rejected_name("events.json") == "events-fel.csv"
