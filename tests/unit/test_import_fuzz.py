"""Property-based: whatever bytes, CSV, Excel or JSON arrive – packed, cut off, in any
encoding – the importers answer with a report or a clear Swedish error – never a crash, never
a half-written import."""

import codecs
import gzip
import io
import json

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from lagesbild import db
from lagesbild.importers import polisen
from lagesbild.importers.mapping import POLICE_UK, Mapping
from lagesbild.importers.reading import ImportFileError
from lagesbild.services import imports
from tests.unit.test_imports import ADMIN, forum, incident_count  # noqa: F401 - fixture

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
HEADER = ["Id", "Datum", "Tid", "Typ", "Antal", "Beskrivning", "Lat", "Lon"]
cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "2026-11-21",
            "21/11/2026 21:30",
            "2019-05",
            "31/02/2026",
            "55,47",
            "13,01",
            "Klotter",
            "Glaskross",
            "1",
            "0",
            "-3",
            "1e9",
            "NaN",
            "",
            ";",
            '"',
            "121212-1212",
            "\n",
            "\x00",
            "2026-13-01",
        ]
    ),
)


def attempt(
    engine, content: bytes, filename: str, source: str, org: int, mapping: Mapping | None = None
) -> None:
    before = incident_count(engine)
    try:
        with db.transaction(engine) as s:
            table, built_in, skipped = imports.read_file(s, content, filename, source)
            report = imports.run_import(
                s,
                ADMIN,
                source=source,
                filename=filename,
                table=table,
                mapping=mapping or built_in or Mapping(),
                organisation_id=org,
                pre_skipped=skipped,
            )
    except ImportFileError as exc:
        assert str(exc) and str(exc)[0].isupper()  # a sentence for the user
        assert incident_count(engine) == before
        return
    after = incident_count(engine)
    if report.ok:
        assert after == before + report.added
    else:
        assert after == before and all(str(e) for e in report.errors)


def _mapping(engine) -> Mapping:
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
        category_values={"Klotter": names["Klotter"]},
        default_category=names["Glaskross"],
    )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@FUZZ
@given(content=st.binary(max_size=2000))
def test_arbitrary_bytes(forum, content):  # noqa: F811
    engine, police, _ = forum
    for source, name in (
        ("X", "fil.csv"),
        (POLICE_UK, "fil.csv"),
        (polisen.SOURCE, "f.json"),
        ("X", "fil.xlsx"),
    ):
        attempt(engine, content, name, source, police, _mapping(engine) if source == "X" else None)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@FUZZ
@given(
    rows=st.lists(st.lists(cell, max_size=9), max_size=8),
    packing=st.sampled_from(["gzip", "gzip-cut", "utf-16", "utf-16-le", "cp1252", "cut", "bom"]),
    cut=st.integers(min_value=1, max_value=400),
)
def test_packed_cut_and_encoded_csv(forum, rows, packing, cut):  # noqa: F811
    engine, _, housing = forum
    text = "\n".join([";".join(HEADER), *(";".join(row) for row in rows)])
    content = text.encode("utf-8", "replace")
    if packing.startswith("gzip"):
        content = gzip.compress(content)
    elif packing.startswith("utf-16"):
        content = text.encode(packing, "replace")
    elif packing == "cp1252":
        content = text.encode("cp1252", "replace")
    elif packing == "bom":
        content = codecs.BOM_UTF8 + content
    if packing.endswith("cut"):
        content = content[: max(1, len(content) - cut)]
    name = "f.csv.gz" if packing.startswith("gzip") else "f.csv"
    attempt(engine, content, name, "X", housing, _mapping(engine))


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
@FUZZ
@given(
    rows=st.lists(st.lists(cell, min_size=0, max_size=10), max_size=15),
    delimiter=st.sampled_from([",", ";", "\t"]),
    quote=st.booleans(),
)
def test_malformed_csv(forum, rows, delimiter, quote):  # noqa: F811
    engine, _, housing = forum
    lines = [delimiter.join(HEADER)]
    for row in rows:
        cells = [f'"{c}"' if quote else c for c in row]
        lines.append(delimiter.join(cells))
    attempt(
        engine, "\n".join(lines).encode("utf-8", "replace"), "f.csv", "X", housing, _mapping(engine)
    )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@FUZZ
@given(
    rows=st.lists(
        st.lists(
            st.one_of(cell, st.integers(), st.floats(allow_nan=False), st.dates()), max_size=9
        ),
        max_size=10,
    )
)
def test_malformed_excel(forum, rows):  # noqa: F811
    engine, _, housing = forum
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    attempt(engine, buffer.getvalue(), "f.xlsx", "X", housing, _mapping(engine))


event = st.fixed_dictionaries(
    {
        "id": st.one_of(st.integers(), st.text(max_size=5)),
        "datetime": st.one_of(
            st.sampled_from(["2026-11-21 6:56:26 +01:00", "igår", ""]), st.text(max_size=10)
        ),
        "name": st.one_of(
            st.sampled_from(
                [
                    "21 november 21:30, Brand, Vellinge",
                    "Sammanfattning natt, Vellinge",
                    "31 februari 25:99, Rån, Vellinge",
                    "Brand",
                ]
            ),
            st.text(max_size=20),
        ),
        "type": st.sampled_from(["Brand", "Rån", "Trafikolycka", "", "Inbrott"]),
        "summary": st.text(max_size=20),
        "location": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {"name": st.text(max_size=5), "gps": st.sampled_from(["55.47,13.02", "x", ""])}
            ),
        ),
    }
)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@FUZZ
@given(
    events=st.one_of(
        st.lists(event, max_size=8),
        st.lists(st.one_of(st.integers(), st.text(), st.none()), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )
)
def test_malformed_police_json(forum, events):  # noqa: F811
    engine, police, _ = forum
    attempt(engine, json.dumps(events).encode(), "events.json", polisen.SOURCE, police)
