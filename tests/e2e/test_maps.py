"""The maps in a real browser without any tiles (this machine, like many municipal networks,
reaches none): Karta and the report picker readable at 1920×1080, a click on the picker kept
exactly where it was made, and "Använd min position" inside and outside the municipality."""

import io

import pytest
from PIL import Image
from sqlalchemy import text

from lagesbild import db
from tests.e2e.conftest import VIEWPORT, open_as, settle, shot

pytestmark = pytest.mark.e2e

POSITION = "iframe[title*=lagesbild_position]"
STOP = (55.4702, 13.0178)  # Vellinge busstation in the demo forum
MALMO = (55.6050, 13.0038)


def _colours(png: bytes) -> set:
    image = Image.open(io.BytesIO(png)).convert("RGB").resize((160, 90))
    return set(image.get_flattened_data())


def _field(page, label: str) -> float:
    return float(page.get_by_label(label, exact=True).input_value().replace(",", "."))


def _choose(page, label: str, option: str, typed: str = "") -> None:
    page.get_by_label(label, exact=True).first.click()
    if typed:
        page.keyboard.type(typed)
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def test_karta_and_the_report_picker_are_readable_and_a_click_keeps_its_position(
    start_server, demo_sqlite_url, page
):
    server = start_server(demo_sqlite_url)
    open_as(page, server, "bostader", "/karta")
    chart = page.locator("[data-testid=stDeckGlJsonChart]")
    chart.locator("canvas").first.wait_for(timeout=60_000)
    page.wait_for_timeout(6000)  # software WebGL needs a moment to draw
    legend = page.locator(".lb-legend")
    assert "Teckenförklaring" in legend.inner_text() and "kommungräns" in legend.inner_text()
    legend_box, chart_box = legend.bounding_box(), chart.bounding_box()
    assert chart_box["x"] <= legend_box["x"] < chart_box["x"] + 40  # over the map's corner
    assert chart_box["y"] <= legend_box["y"] < chart_box["y"] + 40
    colours = _colours(chart.screenshot())
    assert (0xD5, 0xE3, 0xEC) in colours  # the sea, drawn without tiles
    shot(page, "30-karta-utan-kartbakgrund")

    page.goto(server.url + "/rapportera")
    settle(page)
    _choose(page, "Kategorigrupp", "Skadegörelse")
    _choose(page, "Kategori", "Klotter")
    page.get_by_text("Punkt på kartan eller koordinater").click()
    settle(page)
    _choose(page, "Sök plats eller område", "Vellinge busstation (Vellinge tätort)", "busstation")
    assert _field(page, "Latitud") == pytest.approx(STOP[0], abs=1e-5)
    page.get_by_text("Klicka på kartan för att välja punkt").click()
    frame = page.locator(POSITION).nth(1)
    frame.scroll_into_view_if_needed()
    page.frame_locator(POSITION).nth(1).locator("svg text").first.wait_for()
    page.wait_for_timeout(1000)
    shot(page, "31-rapportera-kartval")
    box = frame.bounding_box()
    # the first tap, in the middle of a map centred on the stop, lands on the stop itself
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    settle(page)
    first = (_field(page, "Latitud"), _field(page, "Longitud"))
    assert first == pytest.approx(STOP, abs=0.0002)
    # 40 px to the right is a different, nearby point (no snapping to a grid)
    page.mouse.click(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2)
    settle(page)
    second = (_field(page, "Latitud"), _field(page, "Longitud"))
    assert second[0] == pytest.approx(first[0], abs=0.00005)
    assert 0.0001 < second[1] - first[1] < 0.003
    page.get_by_role("button", name="Skicka rapporten").click()
    settle(page)
    page.get_by_text("Rapporten är sparad").first.wait_for()
    with db.make_engine(demo_sqlite_url).connect() as conn:
        row = conn.execute(
            text("SELECT lat, lon, precision FROM incident WHERE source = 'manual'")
        ).one()
    assert (row.lat, row.lon) == pytest.approx(second, abs=1e-5) and row.precision == "punkt"


@pytest.mark.parametrize(
    ("where", "expected"),
    [(STOP, "Din position används"), (MALMO, "utanför Vellinge kommun")],
    ids=["i-vellinge", "i-malmo"],
)
def test_use_my_position(start_server, demo_sqlite_url, browser, where, expected):
    server = start_server(demo_sqlite_url)
    context = browser.new_context(
        viewport=VIEWPORT,
        locale="sv-SE",
        geolocation={"latitude": where[0], "longitude": where[1], "accuracy": 15},
    )
    context.grant_permissions(["geolocation"])
    page = context.new_page()
    try:
        open_as(page, server, "bostader", "/otrygg-plats")
        page.frame_locator(POSITION).first.get_by_role("button", name="Använd min position").click()
        page.get_by_text(expected).wait_for(timeout=30_000)
        settle(page)
        if where == STOP:
            assert "ungefär 15 meter" in page.get_by_text("Din position används").inner_text()
            assert _field(page, "Latitud") == pytest.approx(STOP[0], abs=1e-5)
            assert _field(page, "Longitud") == pytest.approx(STOP[1], abs=1e-5)
        else:
            assert page.get_by_label("Latitud", exact=True).count() == 0  # nothing was set
        shot(page, f"32-min-position-{'inne' if where == STOP else 'ute'}")
    finally:
        context.close()
