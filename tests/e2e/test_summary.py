"""Kvartal in a real browser: leadership lands on it, reads the quarter and downloads the
report as a PDF (and the lägesbild och åtgärdsplan as Word); both are in the audit log."""

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from docx import Document as WordDocument
from pypdf import PdfReader
from sqlalchemy import text

from lagesbild import db
from tests.e2e.conftest import SCREENSHOTS, log_in, settle, shot

pytestmark = pytest.mark.e2e


def test_leadership_lands_on_kvartal_and_downloads_the_report(page, start_server, demo_sqlite_url):
    server = start_server(demo_sqlite_url)
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(server.url)
    log_in(page, "ledning")
    page.get_by_role("heading", name="Kvartal", exact=True).wait_for(timeout=30_000)
    page.get_by_text("Sammanfattning").first.wait_for()
    settle(page)
    assert "period=" in page.url
    shot(page, "51-kvartal")

    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name="Lägesrapport (PDF)").click()
    assert info.value.suggested_filename.startswith("lagesrapport-20")
    data = Path(info.value.path()).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    assert "Lägesrapport" in reader.pages[0].extract_text()
    pdfium.PdfDocument(data)[0].render(scale=1.2).to_pil().save(
        SCREENSHOTS / "52-kvartal-nedladdad-pdf.png"
    )

    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name="Åtgärdsplan (Word)").click()
    word = WordDocument(info.value.path())
    assert word.paragraphs[0].text == "Lägesbild och åtgärdsplan"

    with db.make_engine(demo_sqlite_url).connect() as conn:
        logged = conn.execute(
            text("SELECT username, entity FROM audit_log WHERE verb = 'export' ORDER BY id")
        ).all()
    assert [(r.username, r.entity) for r in logged] == [
        ("ledning", "summary"),
        ("ledning", "statutory"),
    ]
