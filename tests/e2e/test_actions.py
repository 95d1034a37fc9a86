"""Actions in a real browser: create one, change its status, see it move."""

import pytest

from tests.e2e.conftest import open_as, settle, shot

pytestmark = pytest.mark.e2e
TITLE = "Byt belysning i gångtunneln vid Solgården"


def _rows(page) -> list[str]:
    """The table's rows as text (the grid is drawn on a canvas; its cells are also in a hidden
    table for screen readers)."""
    return page.locator("[data-testid=stDataFrame] table tr").all_inner_texts()


def _row_text(page, title: str, expected: str) -> str:
    """The row of `title` once it shows `expected` (the grid draws a moment after the rerun)."""
    text = ""
    for _ in range(40):
        text = next((t for t in _rows(page) if title in t), "")
        if expected in text:
            break
        page.wait_for_timeout(250)
    return text


def test_create_an_action_and_change_its_status(start_server, demo_sqlite_url, page):
    server = start_server(demo_sqlite_url)
    open_as(page, server, "bostader", "/atgarder")
    page.get_by_text("Ny åtgärd", exact=True).click()
    page.get_by_label("Rubrik", exact=True).fill(TITLE)
    page.get_by_label("Rubrik", exact=True).press("Tab")
    settle(page)
    page.get_by_role("button", name="Spara åtgärden").click()
    settle(page)
    # the confirmation below the button (and the same words in a toast)
    page.get_by_text(f"Åtgärden ”{TITLE}” är sparad.").first.wait_for()
    assert "Föreslagen" in _row_text(page, TITLE, "Föreslagen")

    grid = page.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()  # the confirmation below the form scrolled the page
    box = grid.bounding_box()
    index = next(i for i, text in enumerate(_rows(page)) if TITLE in text)  # header is row 0
    page.mouse.click(box["x"] + 14, box["y"] + 35 * index + 17)
    settle(page)
    page.get_by_text("Ändra status").wait_for()
    shot(page, "30-atgard-vald")
    # the box starts on the current status: saving as it is changes nothing
    page.get_by_role("button", name="Spara status").click()
    settle(page)
    page.get_by_text("Ingenting ändrades").wait_for()
    page.get_by_label("Ny status", exact=True).first.click()
    page.get_by_role("option", name="Beslutad", exact=True).click()
    settle(page)
    page.get_by_role("button", name="Spara status").click()
    settle(page)
    page.get_by_text(f"”{TITLE}” är nu beslutad.").first.wait_for()
    assert "Beslutad" in _row_text(page, TITLE, "Beslutad")
    shot(page, "31-atgard-beslutad")
    page.get_by_role("button", name="Spara status").click()  # once more: nothing moves
    settle(page)
    page.get_by_text("Ingenting ändrades").wait_for()
