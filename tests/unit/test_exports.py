"""Exports: the files hold what the selection holds, read right in Swedish Excel, and every
export is in the audit log."""

import datetime as dt
import io

import openpyxl
import pandas as pd
from sqlalchemy import text

from lagesbild.actor import Actor
from lagesbild.filters import Scope, Window
from lagesbild.queries.common import Viewer
from lagesbild.services import exports
from tests.unit.helpers import incidents_frame

WEEK = Window(dt.datetime(2026, 11, 14), dt.datetime(2026, 11, 21, 20))
CHAIR = Actor(
    user_id=None,
    username="samordnare",
    display_name="Samordnare",
    organisation_id=1,
    role="samordnare",
)


def _org(engine, name):
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT id FROM organisation WHERE short_name = :n"), {"n": name}
        ).scalar_one()


def test_csv_export_is_swedish_excel_friendly_and_logged(demo_sqlite_url):
    from lagesbild import db

    engine = db.make_engine(demo_sqlite_url)
    scope = Scope(window=WEEK, label="Senaste veckan")
    data = exports.incident_file(engine, CHAIR, Viewer(1, True), scope, "csv", "Senaste veckan")
    assert data.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig")
    df = incidents_frame(engine)
    expected = df[(df.occurred_at >= WEEK.start) & (df.occurred_at < WEEK.end)]
    assert len(table) == len(expected) > 0
    assert list(table.columns[:5]) == ["Id", "Inträffade", "Till", "Grupp", "Kategori"]
    assert set(table["Id"]) == set(expected["id"])
    with engine.connect() as conn:
        entry = conn.execute(
            text("SELECT username, verb, entity, after FROM audit_log WHERE verb = 'export'")
        ).one()
    assert entry.username == "samordnare" and entry.entity == "incident"
    assert f'"rows": {len(expected)}' in entry.after and '"format": "csv"' in entry.after


def test_excel_export_has_the_incidents_and_the_summaries(demo_sqlite_url):
    from lagesbild import db

    engine = db.make_engine(demo_sqlite_url)
    summary = pd.DataFrame({"Kategorigrupp": ["Skadegörelse"], "Perioden": [12]})
    data = exports.incident_file(
        engine,
        CHAIR,
        Viewer(1, True),
        Scope(window=WEEK, label=""),
        "xlsx",
        "Senaste veckan",
        {"Per kategorigrupp": summary},
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Händelser", "Per kategorigrupp"]
    sheet = book["Händelser"]
    assert sheet["A1"].value == "Lägesbild – Senaste veckan"
    assert sheet["A3"].value == "Id" and sheet["A3"].font.bold
    assert book["Per kategorigrupp"]["B4"].value == 12


def test_an_export_holds_only_what_the_viewer_may_see(demo_sqlite_url):
    from lagesbild import db

    engine = db.make_engine(demo_sqlite_url)
    housing = Viewer(_org(engine, "Vellingebostäder"), False)
    scope = Scope(window=Window(dt.datetime(2020, 1, 1), dt.datetime(2030, 1, 1)), label="")
    data = exports.incident_file(engine, CHAIR, housing, scope, "csv", "allt")
    exported = set(pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig")["Id"])
    df = incidents_frame(engine)
    restricted = set(df.loc[df.visibility == "begransad", "id"])
    assert restricted and not exported & restricted
    assert len(exported) == len(df) - len(restricted)
