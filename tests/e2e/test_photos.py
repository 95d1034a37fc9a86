"""A photo taken on a phone: uploaded in Rapportera at phone size during a meeting, its
position offered, stored without metadata, seen as a thumbnail in Händelser and, blurred, on
the meeting's screen; and a photo in the map's tooltip."""

import pytest
from sqlalchemy import text

from lagesbild import auth, db, imaging
from lagesbild.clock import local_now
from lagesbild.services import meetings, observations
from lagesbild.services.observations import ObservationInput
from tests.app.test_photo_pages import _report_with_photo
from tests.e2e.conftest import open_as, settle, shot
from tests.unit.test_photos import LAT, LON, assert_clean, photo_with_metadata

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _choose(page, label: str, option: str) -> None:
    box = page.get_by_label(label, exact=True).first
    box.scroll_into_view_if_needed()  # a list opened at the screen's edge closes as it scrolls
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def _start_meeting(url: str) -> None:
    with db.transaction(db.make_engine(url)) as s:
        chair = auth.actor_for(auth.get_user(s, "samordnare"))
        orgs = [r[0] for r in s.execute(text("SELECT id FROM organisation LIMIT 3"))]
        now = local_now().replace(second=0, microsecond=0)
        meetings.start_meeting(s, chair, now, orgs, now=now)


def test_a_phone_photo_is_reported_and_shown(start_server, demo_sqlite_url, browser, tmp_path):
    """The issue's "done when": a report with a photo taken by a phone-size browser is stored
    without metadata and shown in the meeting."""
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(photo_with_metadata())
    _start_meeting(demo_sqlite_url)
    server = start_server(
        demo_sqlite_url,
        env={"LAGESBILD_NOW": "2026-11-21T20:00", "LAGESBILD_MEETING_REFRESH_SECONDS": "2"},
    )
    context = browser.new_context(viewport=PHONE, locale="sv-SE", is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_as(page, server, "bostader", "/rapportera")
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
        # the row picked is the report just sent
        page.get_by_text("källa manual", exact=False).wait_for()
    finally:
        context.close()

    # the chair's screen in the meeting room: the new report with its photo, blurred
    room = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="sv-SE")
    screen = room.new_page()
    try:
        open_as(screen, server, "samordnare", "/mote", settled=False)
        screen.get_by_text("1. Nytt sedan förra mötet", exact=True).wait_for()
        screen.get_by_text("Nytt under mötet: Klotter").wait_for(timeout=30_000)
        picture = screen.locator("[data-testid=stImage] img").first
        picture.wait_for(timeout=30_000)
        picture.scroll_into_view_if_needed()
        assert screen.get_by_role("button", name="Full storlek").count() == 0
        shot(screen, "photos-6-meeting-room")
    finally:
        room.close()


MARKUP = '<b id="injected">fet</b>'


def _hover_until(page, chart, wanted) -> object:
    """Move along the map's middle row, from the middle outwards (a searched place is framed
    in the middle, the markers sought are close to it; every move is a picking pass of the map,
    costly in a browser drawing without a GPU), until the tooltip shown satisfies `wanted`; the
    tooltip's locator."""
    box = chart.bounding_box()
    y = box["y"] + box["height"] / 2
    middle, half = int(box["x"] + box["width"] / 2), int(box["width"] / 2) - 10
    tip = page.locator(".deck-tooltip").first
    for offset in range(0, half, 6):
        for x in (middle - offset, middle + offset) if offset else (middle,):
            page.mouse.move(x, y)
            if tip.count() and tip.is_visible() and wanted(tip):
                return tip
    raise AssertionError("no such tooltip on the map's middle row")


def test_the_maps_tooltip_shows_the_photo_and_never_markup(start_server, demo_sqlite_url, page):
    engine = db.make_engine(demo_sqlite_url)
    with db.transaction(engine) as s:
        member = auth.actor_for(auth.get_user(s, "bostader"))
        observations.create_observation(
            s,
            member,
            # on the same latitude as Solgården, about 270 m west of it, clear of its markers
            ObservationInput(reason="belysning", lat=LAT, lon=LON - 0.0043, description=MARKUP),
            local_now(),
        )
    # and as far east, alone: no other point or place's dot over it
    photo = imaging.prepare(photo_with_metadata())
    _report_with_photo(demo_sqlite_url, "bostader", photo, lat=LAT, lon=LON + 0.0043)
    server = start_server(demo_sqlite_url, env={"LAGESBILD_NOW": "2026-11-21T20:00"})
    open_as(page, server, "polis", "/karta")
    search = page.get_by_role("combobox", name="Sök plats eller område")
    search.focus()
    search.press_sequentially("Solgården")
    page.get_by_role("option", name="Solgården (Vellinge tätort)").click()
    settle(page)
    chart = page.locator("[data-testid=stDeckGlJsonChart]").first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(2000)  # the map's first frame

    # the unsafe place's marker: reported text is shown as text, never as markup
    tip = _hover_until(page, chart, lambda t: "fet" in t.inner_text())
    assert MARKUP in tip.inner_text() and page.locator("#injected").count() == 0
    assert tip.locator("img").get_attribute("src") == ""

    # the report's photo (for the police blurred), the unsafe places' markers hidden
    page.get_by_role("button", name="Otrygga platser").click()
    settle(page)
    page.wait_for_timeout(2000)
    tip = _hover_until(
        page, chart, lambda t: (t.locator("img").get_attribute("src") or "").startswith("data:")
    )
    assert "Punkt på kartan" in tip.inner_text()
    shot(page, "photos-7-map-tooltip")
