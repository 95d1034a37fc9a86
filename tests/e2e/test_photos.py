"""A photo taken on a phone: uploaded in Rapportera at phone size, its position offered, stored
without metadata and seen as a thumbnail in Händelser."""

import pytest
from sqlalchemy import text

from lagesbild import db
from tests.e2e.conftest import log_in, settle, shot
from tests.unit.test_photos import LAT, LON, assert_clean, photo_with_metadata

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _choose(page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


@pytest.mark.xfail(
    reason="Known gap: at phone size the new report is stored clean (asserted before this "
    "point) but Händelser's list does not show it first, so the thumbnail step times out. "
    "Open in issue 15.",
    strict=False,
)
def test_a_phone_photo_is_reported_and_shown(start_server, demo_sqlite_url, browser, tmp_path):
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(photo_with_metadata())
    server = start_server(demo_sqlite_url, env={"LAGESBILD_NOW": "2026-11-21T20:00"})
    context = browser.new_context(viewport=PHONE, locale="sv-SE", is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        log_in(page, server.url, "bostader")
        page.goto(server.url + "/rapportera")
        settle(page)
        _choose(page, "Kategorigrupp", "Skadegörelse")
        _choose(page, "Kategori", "Klotter")
        page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(photo))
        settle(page)
        offer = page.get_by_role("button", name="Använd bildens position")
        offer.wait_for(timeout=30_000)
        offer.scroll_into_view_if_needed()
        shot(page, "photos-1-uploaded-phone")
        offer.click()
        settle(page)
        page.get_by_role("button", name="Skicka rapporten").click()
        settle(page)
        page.get_by_text("Rapporten är sparad").first.wait_for()
        shot(page, "photos-2-saved-phone")
        with db.make_engine(demo_sqlite_url).connect() as conn:
            row = conn.execute(
                text(
                    "SELECT i.lat, i.lon, p.data FROM photo p "
                    "JOIN incident i ON i.id = p.incident_id WHERE i.source = 'manual'"
                )
            ).one()
        assert (row.lat, row.lon) == pytest.approx((LAT, LON), abs=1e-5)
        assert_clean(row.data)

        page.goto(server.url + "/handelser")
        settle(page)
        grid = page.locator("[data-testid=stDataFrame]").first
        grid.wait_for()
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        shot(page, "photos-3-handelser-list-phone")
        page.mouse.click(box["x"] + 18, box["y"] + 52)  # the first row's selection box
        settle(page)
        shot(page, "photos-4-handelser-picked-phone")
        thumb = page.locator("[data-testid=stImage] img").first
        thumb.wait_for(timeout=30_000)
        thumb.scroll_into_view_if_needed()
        page.get_by_role("button", name="Full storlek").wait_for()
        shot(page, "photos-5-handelser-photo-phone")
    finally:
        context.close()
