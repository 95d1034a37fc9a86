"""The analysis pages in a real browser: the map canvas and a chart draw, a shared link
restores the filter, a municipality's own tile server is used, and an export downloads."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from PIL import Image
from sqlalchemy import text

from lagesbild import db
from tests.e2e.conftest import open_as, settle, shot

pytestmark = pytest.mark.e2e


def _area_id(url, name):
    with db.make_engine(url).connect() as conn:
        return conn.execute(text("SELECT id FROM area WHERE name = :n"), {"n": name}).scalar_one()


def _wait_for_map(page, timeout_ms=60_000):
    page.wait_for_selector("[data-testid=stDeckGlJsonChart] canvas", timeout=timeout_ms)
    page.wait_for_timeout(3000)  # software WebGL needs a moment to draw


def _coloured_share(png: bytes) -> float:
    """Share of pixels that are clearly coloured (not white/grey background)."""
    image = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 120))
    pixels = list(image.get_flattened_data())
    coloured = [p for p in pixels if max(p) - min(p) > 40]
    return len(coloured) / len(pixels)


def test_map_and_chart_draw_and_a_shared_link_restores_the_filter(
    start_server, demo_sqlite_url, page
):
    server = start_server(demo_sqlite_url)
    open_as(page, server, "samordnare", "/karta")
    _wait_for_map(page)
    chart = page.locator("[data-testid=stDeckGlJsonChart]")
    assert _coloured_share(chart.screenshot()) > 0.01  # areas and incidents are drawn
    shot(page, "10-karta")

    area = _area_id(demo_sqlite_url, "Höllviken")
    page.goto(f"{server.url}/trender?period=ar&omrade={area}")
    settle(page)
    page.wait_for_selector(".js-plotly-plot .bars path", timeout=30_000)
    assert page.locator(".js-plotly-plot .bars path").count() > 5
    sidebar = page.locator("[data-testid=stSidebar]")
    shot(page, "11-trender-delad-lank")
    assert sidebar.get_by_label("Period").input_value() == "Detta år"
    assert "Höllviken" in sidebar.inner_text()

    assert "period=ar" in page.url and f"omrade={area}" in page.url
    shot(page, "11-trender-delad-lank")

    page.goto(server.url + "/monster")
    settle(page)
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    shot(page, "12-monster")
    page.goto(server.url + "/hotspots")
    settle(page)
    # the table is drawn on a canvas; its cells are also in the page for screen readers
    page.get_by_text("Vellinge busstation").first.wait_for(state="attached")

    shot(page, "13-hotspots")


class _Tiles(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []
    png = b""

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(self.png)

    def log_message(self, *args):
        pass


def test_a_municipality_tile_server_is_used_as_basemap(
    start_server, demo_sqlite_url, page, monkeypatch
):
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (170, 220, 170)).save(buffer, format="PNG")
    _Tiles.png, _Tiles.hits = buffer.getvalue(), []
    tiles = ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    threading.Thread(target=tiles.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv(
            "LAGESBILD_BASEMAP", f"http://127.0.0.1:{tiles.server_port}/{{z}}/{{x}}/{{y}}.png"
        )
        server = start_server(demo_sqlite_url)
        open_as(page, server, "polis", "/karta")
        _wait_for_map(page)
        for _ in range(120):  # the map asks for tiles once its style is read: up to 30 s
            if _Tiles.hits:
                break
            page.wait_for_timeout(250)
        assert _Tiles.hits, "no tile was requested from the configured tile server"
        assert all(h.endswith(".png") and h.count("/") == 3 for h in _Tiles.hits)
        shot(page, "14-karta-egen-bakgrundskarta")
    finally:
        tiles.shutdown()


def test_export_downloads_a_file_and_is_logged(start_server, demo_sqlite_url, page):
    server = start_server(demo_sqlite_url)
    open_as(page, server, "polis", "/trender?period=7d")
    page.get_by_text("Exportera urvalet").click()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Ladda ned CSV").click()
    content = Path(info.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Swedish Excel reads UTF-8
    header = content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Id;Inträffade;Till;Grupp;Kategori;Plats")
    with db.make_engine(demo_sqlite_url).connect() as conn:
        logged = conn.execute(
            text("SELECT username, entity, detail FROM audit_log WHERE verb = 'export'")
        ).all()
    assert len(logged) == 1 and logged[0].username == "polis"
    assert logged[0].detail.startswith("CSV: ")
