"""Documents a kommunstyrelse can trust, as laid out and drawn: no heading or lead-in alone at
the foot of a page, no table split without its header or with a lone row, figures and arrows
printed as written (never broken across lines), and a map of the period drawn offline from the
data – in the lägesrapport, the lägesbild och åtgärdsplan (PDF and Word) and the åtgärdsplan."""

import datetime as dt
import io
import re

import numpy as np
import pandas as pd
import pypdfium2 as pdfium
import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn
from PIL import Image as PILImage
from pypdf import PdfReader
from reportlab.platypus import Spacer

from lagesbild import fmt
from lagesbild.export import action_plan, maps, statutory
from lagesbild.export import summary as report
from lagesbild.export.blocks import Section, Table, to_pdf
from lagesbild.export.pdf import MIN_ROWS, Document
from lagesbild.filters import Scope
from lagesbild.models import LocationPrecision
from lagesbild.periods import ReportPeriod
from lagesbild.queries import actions as action_queries
from lagesbild.queries import period_map, summary
from lagesbild.queries.common import Viewer
from tests.conftest import ROOT
from tests.unit.helpers import incidents_frame

EVERYONE = Viewer(organisation_id=None, sees_restricted=True)
TODAY = dt.date(2026, 11, 21)
Q3 = ReportPeriod("kvartal", 2026, 3)
LAT = 55.43
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"


def _plain(value: str) -> str:
    return re.sub(r"[\s\u00a0\u2009\u202f]+", " ", value)


def _page_lines(data: bytes) -> list[list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return [[_plain(line).strip() for line in p.extract_text().splitlines()] for p in reader.pages]


def assert_kept_together(doc: Document) -> None:
    """The layout rules, checked on where each flowable was drawn."""
    pages = sorted({p.page for p in doc.placed})
    for page in pages:
        on_page = [p for p in doc.placed if p.page == page]
        last = on_page[-1]
        if page != pages[-1]:
            assert last.kind not in ("heading", "lead"), f"sida {page} slutar med {last.text!r}"
    for part in (p for p in doc.placed if p.kind == "table"):
        assert part.header == part.table_header, f"sida {part.page}: tabell utan rubrikrad"
        assert part.rows >= min(MIN_ROWS, part.total_rows), (
            f"sida {part.page}: {part.rows} av {part.total_rows} rader ensamma"
        )


def assert_no_heading_ends_a_page(doc: Document, data: bytes) -> None:
    """The same read from the PDF's text: a page's last line above the footer is never a
    heading or a lead-in."""
    leads = {_plain(p.text).strip() for p in doc.placed if p.kind in ("heading", "lead")}
    pages = _page_lines(data)
    for number, lines in enumerate(pages[:-1], start=1):
        body = [line for line in lines if line and not re.search(r"sida \d+ av \d+", line)]
        assert body and body[-1] not in leads, f"sida {number} slutar med rubriken {body[-1]!r}"


def _synthetic(offset: float) -> tuple[Document, bytes]:
    """Sections of every kind after a block of `offset` points, so that over many offsets
    every heading, lead-in and table row meets the foot of a page."""
    doc = Document("Provdokument", "Trygghetsforum Prov", "Kvartal 3 2026", made=TODAY)
    doc.story.append(Spacer(1, offset))

    def rows(n: int) -> list[list]:
        return [[f"Plats {i}", fmt.integer(i * 7), fmt.change(i - 3)] for i in range(n)]

    header = ["Plats", "Antal", "Förändring"]
    sections = [
        Section("Områden", [Table(header, rows(7), frozenset({1, 2}))]),
        Section(
            "Platser som ökade och minskade",
            ["Ökade mest:", Table(header, rows(3), frozenset({1, 2}))],
        ),
        Section("2. Lägesbild", []),
        Section(
            "2.1 Underlag och period",
            [
                "Perioden jämförs med perioden före och samma period i fjol.",
                Table(header, rows(12), frozenset({1, 2})),
            ],
            level=2,
        ),
        Section("Hot spots", ["Ingen plats pekades ut.", ["En punkt", "En punkt till"]]),
        Section("Åtgärder", [Table(header, rows(5), frozenset({1, 2})), "Slut."]),
    ]
    return doc, to_pdf(doc, sections)


@pytest.mark.parametrize("offset", range(0, 700, 17))
def test_no_orphan_headings_or_rows_wherever_the_page_breaks(offset):
    doc, data = _synthetic(offset)
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2
    assert {p.kind for p in doc.placed} >= {"heading", "lead", "table", "text"}
    assert_kept_together(doc)
    assert_no_heading_ends_a_page(doc, data)


def test_figures_and_arrows_are_never_broken_across_lines():
    """A figure lands at every position of a line: '(1 740)', '12 %' and '62 → 102' are read
    whole on one line every time, and the arrows are real arrows."""
    doc = Document("Provdokument", "Trygghetsforum Prov", made=TODAY)
    n = 45
    for k in range(n):
        doc.text(
            "ord " * k
            + f"({fmt.integer(1740)}) och {fmt.percent(0.12)} samt {fmt.from_to(62, 102)}"
            + f" och {fmt.change(40)} och {fmt.change(-101)}"
        )
    data = doc.build()
    lines = [line for page in _page_lines(data) for line in page]
    text = "\n".join(lines)
    assert sum(line.count("(1 740)") for line in lines) == n
    assert sum(line.count("12 %") for line in lines) == n
    assert sum(line.count("62 → 102") for line in lines) == n
    assert sum(line.count("↑ 40") for line in lines) == n
    assert sum(line.count("↓ 101") for line in lines) == n
    assert "->" not in text and "^" not in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(data)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(f.endswith("+DejaVuSans") for f in fonts)  # embedded, so the glyphs exist


@pytest.fixture
def demo_q3(demo_engine):
    s = summary.collect(demo_engine, viewer=EVERYONE, period=Q3, lat=LAT, today=TODAY)
    with demo_engine.connect() as conn:
        plan = action_plan.plan_table(action_queries.action_list(conn, TODAY), TODAY)
    return s, plan


def test_the_map_counts_what_the_period_holds(demo_engine, demo_q3):
    """The map's cells hold every incident of the period with an exact position, and those
    without one are counted apart, as the viewer may see them (both databases)."""
    s, _ = demo_q3
    m = s.map
    df = incidents_frame(demo_engine)
    live = df[df.withdrawn_at.isna()]
    live = live[(live.occurred_at >= s.window.start) & (live.occurred_at < s.window.end)]
    exact = live[live.lat.notna() & (live.precision != LocationPrecision.APPROXIMATE.value)]
    assert m.placed == int(exact["count"].sum()) > 0
    assert m.placed + m.unplaced == s.totals["current"]
    assert int(m.cells["occurrences"].sum()) == m.placed
    assert m.municipality == "Vellinge" and m.boundary is not None
    assert len(m.areas) == 8 and "Höllviken" in set(m.areas["name"])
    # Every cell lies where its incidents are.
    south, west = m.cells["south"], m.cells["west"]
    assert exact.lat.min() >= south.min() - 1e-9 and exact.lat.max() <= south.max() + m.size[0]
    assert exact.lon.min() >= west.min() - 1e-9 and exact.lon.max() <= west.max() + m.size[1]
    # A viewer who may not see restricted reports sees fewer on the map too.
    limited = Viewer(organisation_id=None, sees_restricted=False)
    with demo_engine.connect() as conn:
        narrower = period_map.collect(
            conn, scope=Scope(window=s.window, label=""), viewer=limited, lat=LAT
        )
    hidden = exact[exact.visibility == "begransad"]["count"].sum()
    assert narrower.placed == m.placed - hidden


def test_an_empty_forum_has_no_map(engine):
    """No boundary, no areas, no incidents: nothing to draw, and no empty map is printed."""
    with engine.connect() as conn:
        m = period_map.collect(
            conn, scope=Scope(window=Q3.window(TODAY), label=""), viewer=EVERYONE, lat=LAT
        )
    assert m.empty and m.placed == 0 and m.unplaced == 0
    assert maps.period_map(m, pd.DataFrame(columns=["name", "lat", "lon"])) is None


def _colour_share(png: bytes, rgb: tuple[int, int, int], tolerance: int = 12) -> float:
    pixels = np.asarray(PILImage.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return float((np.abs(pixels - np.array(rgb)).max(axis=2) <= tolerance).mean())


def test_the_map_draws_the_boundary_density_and_named_hot_spots(demo_q3):
    s, _ = demo_q3
    # Any positions in the municipality will do as hot spots.
    spots = pd.DataFrame(
        {
            "name": ["Solgården", "Vellinge busstation"],
            "lat": [55.4712, 55.4385],
            "lon": [13.0203, 12.9698],
        }
    )
    plain = maps.period_map(s.map, spots.iloc[0:0])
    marked = maps.period_map(s.map, spots)
    assert plain and marked
    assert _colour_share(plain, (0x3C, 0x4A, 0x57)) > 0.002  # the boundary line
    assert _colour_share(plain, (0xE4, 0xE9, 0xEE)) > 0.05  # outside the municipality
    density = _colour_share(plain, (0xF1, 0x69, 0x13), 40) + _colour_share(
        plain, (0xB3, 0x30, 0x0B), 40
    )
    assert density > 0.001  # cells with incidents
    assert _colour_share(plain, (0x0B, 0x5C, 0xAD)) < _colour_share(marked, (0x0B, 0x5C, 0xAD))


def _page_with(data: bytes, text: str) -> int:
    pages = _page_lines(data)
    return next(i for i, lines in enumerate(pages) if any(text in line for line in lines))


def test_demo_documents_are_laid_out_and_hold_the_map(demo_q3):
    """The lägesrapport, the lägesbild och åtgärdsplan and the åtgärdsplan on the demo forum:
    layout rules, real arrows, non-breaking figures, and the map on its page."""
    s, plan = demo_q3
    png = maps.period_map(s.map, s.hotspots)
    size = PILImage.open(io.BytesIO(png)).size
    rendered = {}
    for name, doc, sections in (
        (
            "lagesrapport",
            Document(report.TITLE, "Trygghetsforum Vellinge", s.label, made=s.today),
            report.sections(s),
        ),
        (
            "lagesbild-och-atgardsplan",
            Document(statutory.TITLE, "Trygghetsforum Vellinge", s.label, made=s.today),
            statutory.sections(s, plan, "Trygghetsforum Vellinge"),
        ),
    ):
        data = to_pdf(doc, sections)
        rendered[name] = data
        assert_kept_together(doc)
        assert_no_heading_ends_a_page(doc, data)
        text = "\n".join("\n".join(lines) for lines in _page_lines(data))
        assert "->" not in text
        if len(s.rising):
            r = s.rising.iloc[0]
            assert f"({_plain(fmt.from_to(r['previous'], r['current']))})" in text
            assert f"↑ {_plain(fmt.integer(r['current'] - r['previous']))}" in text
        total = _plain(fmt.integer(s.totals["previous"]))
        assert f"({total})" in text  # '(1 740)' whole, on one line
        page = _page_with(data, "Karta över perioden")
        images = PdfReader(io.BytesIO(data)).pages[page].images
        assert size in [image.image.size for image in images]
    plan_doc = action_plan.document(plan, "Trygghetsforum Vellinge", TODAY)
    data = plan_doc.build()
    assert_kept_together(plan_doc)
    assert_no_heading_ends_a_page(plan_doc, data)
    rendered["atgardsplan"] = data
    word = WordDocument(io.BytesIO(statutory.to_docx(s, plan, "Trygghetsforum Vellinge")))
    pictures = [shape for shape in word.inline_shapes]
    assert len(pictures) == 3  # trend, groups and the map
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.endswith("Karta över perioden") for h in headings)
    # Word keeps the same rules: lead-ins with their table, rows whole, the header repeated,
    # the first and last rows of a table together.
    leads = [p for p in word.paragraphs if p.text.endswith(":")]
    assert leads and all(p.paragraph_format.keep_with_next for p in leads)
    for table in word.tables:
        rows = table.rows
        assert all(
            r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows
        )
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert rows[0].cells[0].paragraphs[0].paragraph_format.keep_with_next
        if len(rows) > 2:
            assert rows[-2].cells[0].paragraphs[0].paragraph_format.keep_with_next
        assert not rows[-1].cells[0].paragraphs[0].paragraph_format.keep_with_next
    # Look at the pages (test-artifacts/screenshots/).
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, data in rendered.items():
        pdf = pdfium.PdfDocument(data)
        for number in range(len(pdf)):
            pdf[number].render(scale=1.3).to_pil().save(
                ARTIFACTS / f"55-{name}-sida-{number + 1}.png"
            )
