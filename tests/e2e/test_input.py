"""Input in a real browser: a report with a point clicked on the map, and a file upload."""

import pytest
from sqlalchemy import text

from lagesbild import db
from tests.e2e.conftest import open_as, settle, shot
from tests.realdata import POLISEN

pytestmark = pytest.mark.e2e


def _choose(page, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox."""
    page.get_by_label(label, exact=True).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def test_report_a_point_clicked_on_the_map(start_server, demo_sqlite_url, page):
    server = start_server(demo_sqlite_url)
    open_as(page, server, "bostader", "/rapportera")
    _choose(page, "Kategorigrupp", "Otrygghetsskapande samling av personer")
    _choose(page, "Kategori", "Trapphus")
    page.get_by_text("Punkt på kartan eller koordinater").click()
    settle(page)
    page.get_by_text("Klicka på kartan för att välja punkt").click()
    picker = page.locator("iframe[title*=lagesbild_position]").nth(1)
    picker.scroll_into_view_if_needed()
    page.frame_locator("iframe[title*=lagesbild_position]").nth(1).locator(
        "svg path"
    ).first.wait_for()
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.45)
    settle(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('input')].some("
        "i => i.getAttribute('aria-label') === 'Latitud' && i.value)",
        timeout=30_000,
    )
    page.get_by_label("Kort beskrivning").fill("Samling i trapphuset kvällstid")
    shot(page, "20-rapportera-punkt")
    page.get_by_role("button", name="Skicka rapporten").click()
    settle(page)
    page.get_by_text("Rapporten är sparad").first.wait_for()
    # the form is empty again on the screen, ready for the next report
    assert page.get_by_label("Kort beskrivning").input_value() == ""
    with db.make_engine(demo_sqlite_url).connect() as conn:
        row = conn.execute(
            text("SELECT lat, lon, precision, description FROM incident WHERE source = 'manual'")
        ).one()
    assert row.precision == "punkt" and 55.3 < row.lat < 55.6 and 12.7 < row.lon < 13.3
    assert row.description == "Samling i trapphuset kvällstid"


@pytest.mark.real_data
def test_upload_the_police_events(start_server, demo_sqlite_url, page):
    server = start_server(demo_sqlite_url)
    open_as(page, server, "polis", "/import")
    page.locator("input[type=file]").set_input_files(str(POLISEN))
    settle(page)
    page.get_by_text("Förhandsgranskning").wait_for()
    page.get_by_role("button", name="Kontrollera filen").click()
    settle(page)
    page.get_by_text("nya händelser kan importeras").wait_for()
    shot(page, "21-import-kontroll")
    page.get_by_role("button", name="Importera").filter(has_text="händelser").click()
    settle(page)
    page.get_by_text("nya händelser importerades").first.wait_for(timeout=60_000)
    with db.make_engine(demo_sqlite_url).connect() as conn:
        imported = conn.execute(
            text("SELECT count(*) FROM incident WHERE source = 'polisen'")
        ).scalar()
    assert imported > 20
