"""The periodic summary for leadership: its figures against independent computations on the
demo forum and on real data (SQLite and PostgreSQL), the generated text, the PDF report, the
Excel tables, the lägesbild och åtgärdsplan in PDF and Word, an empty period, and the audit."""

import datetime as dt
import io
import re
import zoneinfo

import numpy as np
import openpyxl
import pypdfium2 as pdfium
import pytest
from docx import Document as WordDocument
from pypdf import PdfReader
from sqlalchemy import text

from lagesbild import db, fmt
from lagesbild.actor import Actor
from lagesbild.analysis import narrative
from lagesbild.export import statutory
from lagesbild.export import summary as report
from lagesbild.export.action_plan import plan_table
from lagesbild.periods import ReportPeriod
from lagesbild.queries import actions as action_queries
from lagesbild.queries import summary
from lagesbild.queries.common import Viewer
from lagesbild.services import exports
from tests.conftest import ROOT
from tests.unit.helpers import incidents_frame

EVERYONE = Viewer(organisation_id=None, sees_restricted=True)
DEMO_TODAY = dt.date(2026, 11, 21)
Q3 = ReportPeriod("kvartal", 2026, 3)
LAT = 55.43
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
LEADER = Actor(
    user_id=None, username="ledning", display_name="Ledning", organisation_id=1, role="ledning"
)


def _plain(value: str) -> str:
    return re.sub(r"[\s\u00a0\u2009\u202f]+", " ", value)


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), _plain(" ".join(p.extract_text() for p in reader.pages))


def _sum_in(df, window) -> int:
    live = df[df.withdrawn_at.isna()]
    part = live[(live.occurred_at >= window.start) & (live.occurred_at < window.end)]
    return int(part["count"].sum())


def _by(df, window, column) -> dict:
    live = df[df.withdrawn_at.isna()]
    part = live[(live.occurred_at >= window.start) & (live.occurred_at < window.end)]
    return {k: int(v) for k, v in part.groupby(column)["count"].sum().items() if v}


@pytest.fixture
def demo_summary(demo_engine):
    return summary.collect(demo_engine, viewer=EVERYONE, period=Q3, lat=LAT, today=DEMO_TODAY)


def test_figures_match_an_independent_count_on_the_demo_forum(demo_engine, demo_summary):
    s = demo_summary
    df = incidents_frame(demo_engine)
    assert s.window.start == dt.datetime(2026, 7, 1) and s.window.end == dt.datetime(2026, 10, 1)
    assert s.totals == {
        "current": _sum_in(df, s.window),
        "previous": _sum_in(df, s.previous),
        "last_year": _sum_in(df, s.last_year),
    }
    assert s.totals["current"] > 1000
    groups = {r.group: int(r.current) for r in s.groups.itertuples() if r.current}
    assert groups == _by(df, s.window, "grp")
    assert {r.group: int(r.last_year) for r in s.groups.itertuples() if r.last_year} == _by(
        df, s.last_year, "grp"
    )
    with demo_engine.connect() as conn:
        area_names = dict(conn.execute(text("SELECT id, name FROM area")).all())
    expected_areas = {area_names[int(k)]: v for k, v in _by(df, s.window, "area_id").items()}
    areas = {r.area: int(r.current) for r in s.areas.itertuples() if r.current}
    assert {k: v for k, v in areas.items() if k != "Utan område"} == expected_areas
    assert int(s.trend["occurrences"].sum()) == s.totals["current"]
    assert int(s.sources["occurrences"].sum()) == s.totals["current"]


def test_action_figures_match_the_action_records(demo_engine, demo_summary):
    s = demo_summary
    stockholm = zoneinfo.ZoneInfo("Europe/Stockholm")

    def utc(value: dt.datetime) -> dt.datetime:
        return value.replace(tzinfo=stockholm).astimezone(dt.UTC).replace(tzinfo=None)

    with demo_engine.connect() as conn:
        completed = conn.execute(
            text(
                "SELECT count(*) FROM action WHERE status = 'klar' "
                "AND closed_at >= :a AND closed_at <= :b"
            ),
            {"a": dt.date(2026, 7, 1), "b": dt.date(2026, 9, 30)},
        ).scalar_one()
        decided = conn.execute(
            text(
                "SELECT count(DISTINCT action_id) FROM action_status_change "
                "WHERE to_status = 'beslutad' AND changed_at >= :a AND changed_at < :b"
            ),
            {"a": utc(s.window.start), "b": utc(s.window.end)},
        ).scalar_one()
        open_now = conn.execute(
            text("SELECT count(*) FROM action WHERE status IN ('foreslagen','beslutad','pagar')")
        ).scalar_one()
    assert s.actions["completed"] == completed == len(s.completed) > 0
    assert s.actions["decided"] == decided > 0
    assert s.actions["open"] == open_now
    assert set(s.completed["verdict"]) <= {
        "Minskade",
        "Ökade",
        "Ingen säker förändring",
        "För få händelser för att säga något",
        "För tidigt att säga",
        "Mäts inte",
    }


def test_kvartal_gives_each_completed_action_the_effect_its_action_page_gives(
    demo_engine, demo_summary
):
    """Kvartal reads the effects of all completed actions together; each verdict and
    explanation is the one the Åtgärder page shows for that action alone."""
    from lagesbild.analysis import effect

    with demo_engine.connect() as conn:
        every = action_queries.action_list(conn, DEMO_TODAY).set_index("title")
        alone = {}
        for title in demo_summary.completed["title"]:
            a = every.loc[title]
            if a.isna()["place_id"] and a.isna()["area_id"]:
                alone[title] = summary.WHOLE_MUNICIPALITY_EFFECT
                continue
            start = None if a.isna()["start_date"] else a["start_date"]
            before, after = effect.windows(start, a["closed_at"], DEMO_TODAY)
            question = action_queries.EffectQuestion(
                place_id=None if a.isna()["place_id"] else int(a["place_id"]),
                area_id=None if not a.isna()["place_id"] else int(a["area_id"]),
                category_ids=tuple(action_queries.links(conn, int(a["id"]))["category_ids"]),
                before=before,
                after=after,
            )
            counts = action_queries.effect_counts(conn, viewer=EVERYONE, question=question)
            result = effect.evaluate(**counts, after_days=after.days)
            alone[title] = (result.verdict, result.explanation)
    shown = demo_summary.completed
    assert alone == {r.title: (r.verdict, r.explanation) for r in shown.itertuples()}
    assert len(alone) >= 2 and {v for v, _ in alone.values()} - {"Mäts inte"}


def test_every_summary_sentence_states_a_figure_from_the_page(demo_summary):
    s = demo_summary
    lines = narrative.sentences(s, summary.RISK_DAYS)
    first = _plain(lines[0])
    for value in s.totals.values():
        assert _plain(fmt.integer(value)) in first
    top = s.groups.iloc[0]
    assert any(
        top["group"] in line and _plain(fmt.integer(top["current"])) in _plain(line)
        for line in lines
    )
    if len(s.rising):
        r = s.rising.iloc[0]
        assert any(
            r["place"] in line and f"→ {_plain(fmt.integer(r['current']))}" in _plain(line)
            for line in lines
        )
    assert any(f"{fmt.integer(s.actions['decided'])} åtgärder beslutades" in line for line in lines)
    for line in lines:  # a figure, or a stated zero ("Ingen plats …")
        assert re.search(r"\d", line) or line.startswith(("Ingen ", "Inga ")), line


def test_figures_on_real_data_match_pandas(real_engine):
    """police.uk crimes (November 2019 – April 2020) and Swedish police events."""
    period = ReportPeriod("kvartal", 2020, 1)
    s = summary.collect(real_engine, viewer=EVERYONE, period=period, lat=51.5, today=DEMO_TODAY)
    df = incidents_frame(real_engine)
    assert s.totals["current"] == _sum_in(df, s.window) > 1000
    assert s.totals["previous"] == _sum_in(df, s.previous)
    assert {r.group: int(r.current) for r in s.groups.itertuples() if r.current} == _by(
        df, s.window, "grp"
    )
    pages, content = _pdf_text(report.to_pdf(s, "Testforum"))
    assert pages >= 2
    assert f"rapporterades {_plain(fmt.integer(s.totals['current']))} händelser" in content


def test_pdf_report_has_the_key_figures_and_looks_like_a_report(demo_summary):
    s = demo_summary
    data = report.to_pdf(s, "Trygghetsforum Vellinge")
    pages, content = _pdf_text(data)
    assert 3 <= pages <= 8
    for heading in (
        "Sammanfattning",
        "Utveckling",
        "Områden",
        "Hot spots",
        "Åtgärder",
        "Om underlaget",
    ):
        assert heading in content
    for value in (*s.totals.values(), s.actions["completed"]):
        assert _plain(fmt.integer(value)) in content
    assert f"sida 1 av {pages}" in content and "Kvartal 3 2026" in content
    assert s.areas.iloc[0]["area"] in content
    # Render the pages to look at them (test-artifacts/screenshots/).
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = pdfium.PdfDocument(data)
    for number in range(2):
        image = pdf[number].render(scale=1.5).to_pil()
        image.save(ARTIFACTS / f"50-lagesrapport-sida-{number + 1}.png")
        dark = (np.asarray(image.convert("L")) < 128).mean()
        assert dark > 0.01  # text and charts, not a blank page


def test_excel_tables_hold_the_same_figures(demo_summary):
    s = demo_summary
    book = openpyxl.load_workbook(io.BytesIO(report.to_excel(s, "Vellinge")))
    assert {"Sammanfattning", "Nyckeltal", "Områden", "Trend", "Klara åtgärder"} <= set(
        book.sheetnames
    )
    rows = list(book["Nyckeltal"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Mått")
    total = rows[header + 1]
    assert total[0] == "Händelser"
    assert list(total[1:4]) == [s.totals["current"], s.totals["previous"], s.totals["last_year"]]


def test_statutory_document_follows_the_law_in_pdf_and_word(demo_engine, demo_summary):
    s = demo_summary
    with demo_engine.connect() as conn:
        plan = plan_table(action_queries.action_list(conn, DEMO_TODAY), DEMO_TODAY)
    assert len(plan) > 0
    pages, content = _pdf_text(statutory.to_pdf(s, plan, "Vellinge"))
    assert pages >= 3
    order = [
        "1. Inledning",
        "2. Lägesbild",
        "2.1 Underlag och period",
        "3. Analys",
        "4. Åtgärdsplan",
        "5. Uppföljning",
    ]
    positions = [content.index(h) for h in order]
    assert positions == sorted(positions)
    assert "(2023:196)" in content
    for title in plan["Åtgärd"]:
        assert _plain(title)[:25] in content
    word = WordDocument(io.BytesIO(statutory.to_docx(s, plan, "Vellinge")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert [h for h in headings if h in order] == order
    plan_table_rows = [
        t
        for t in word.tables
        if t.rows[0].cells[0].text == "Åtgärd"
        and t.rows[0].cells[1].text == "Ansvarig organisation"
    ]
    assert len(plan_table_rows) == 1 and len(plan_table_rows[0].rows) == len(plan) + 1
    assert word.sections[0].page_width.cm == pytest.approx(21, abs=0.01)


def test_a_period_without_data_says_so(demo_engine):
    period = ReportPeriod("tertial", 2012, 2)
    with demo_engine.connect() as conn:
        s = summary.collect(demo_engine, viewer=EVERYONE, period=period, lat=LAT, today=DEMO_TODAY)
        plan = plan_table(action_queries.action_list(conn, DEMO_TODAY), DEMO_TODAY)
    assert s.empty and s.totals == {"current": 0, "previous": 0, "last_year": 0}
    assert narrative.sentences(s, 90)[0].startswith("Inga händelser rapporterades under Tertial 2")
    pages, content = _pdf_text(report.to_pdf(s, "Vellinge"))
    assert pages >= 1 and "Inga händelser rapporterades under perioden" in content
    _, content = _pdf_text(statutory.to_pdf(s, plan, "Vellinge"))
    assert "Inga händelser rapporterades" in content and "4. Åtgärdsplan" in content
    word = WordDocument(io.BytesIO(statutory.to_docx(s, plan, "Vellinge")))
    assert any("Inga händelser rapporterades" in p.text for p in word.paragraphs)
    book = openpyxl.load_workbook(io.BytesIO(report.to_excel(s, "Vellinge")))
    assert book["Nyckeltal"].max_row >= 2


def test_report_files_are_recorded_in_the_audit_log(demo_sqlite_url):
    engine = db.make_engine(demo_sqlite_url)
    viewer = Viewer(organisation_id=None, sees_restricted=False)
    for document, file_format in (("summary", "pdf"), ("summary", "xlsx"), ("statutory", "docx")):
        gathered = summary.collect(engine, viewer=viewer, period=Q3, lat=LAT, today=DEMO_TODAY)
        data = exports.report_file(engine, LEADER, gathered, "Vellinge", document, file_format)
        assert len(data) > 1000
    with engine.connect() as conn:
        entries = conn.execute(
            text("SELECT entity, detail FROM audit_log WHERE verb = 'export' ORDER BY id")
        ).all()
    assert [e.entity for e in entries] == ["summary", "summary", "statutory"]
    assert "Kvartal 3 2026" in entries[0].detail and entries[2].detail.startswith("DOCX")
    with pytest.raises(ValueError, match="unknown report"):
        exports.report_file(engine, LEADER, gathered, "Vellinge", "kvartal", "pdf")
