"""Photos through app.py: the meeting's list of reports that arrived during the meeting shows
their thumbnails blurred for the room, and Karta's tooltips carry a small picture of a
report's photo, as the viewer may see it."""

import base64
import io
import json

from PIL import Image, ImageChops, ImageStat
from sqlalchemy import text
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from lagesbild import auth, db, imaging
from lagesbild.clock import local_now
from lagesbild.services import meetings, reports
from lagesbild.services.reports import IncidentInput
from lagesbild.ui import maps
from tests.app.conftest import login
from tests.unit.test_photos import LAT, LON, photo_with_metadata


def _report_with_photo(
    url: str, username: str, prepared: imaging.Prepared, lat: float = LAT, lon: float = LON
) -> int:
    """A report sent from the field by `username`'s organisation, with one photo."""
    engine = db.make_engine(url)
    with db.transaction(engine) as s:
        actor = auth.actor_for(auth.get_user(s, username))
        klotter = s.execute(text("SELECT id FROM category WHERE name = 'Klotter'")).scalar()
        (incident,) = reports.create_report(
            s,
            actor,
            [
                IncidentInput(
                    category_id=klotter,
                    lat=lat,
                    lon=lon,
                    occurred_at=local_now().replace(second=0, microsecond=0),
                )
            ],
            photos=[prepared],
        )
        return incident.id


def _start_meeting(url: str) -> None:
    engine = db.make_engine(url)
    with db.transaction(engine) as s:
        chair = auth.actor_for(auth.get_user(s, "samordnare"))
        orgs = [r[0] for r in s.execute(text("SELECT id FROM organisation LIMIT 3"))]
        now = local_now().replace(second=0, microsecond=0)
        meetings.start_meeting(s, chair, now, orgs, now=now)


def _served(monkeypatch) -> dict[str, bytes]:
    """What Streamlit hands the browser as media, by the file id in its address."""
    served: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        if isinstance(path_or_data, bytes):
            served[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    return served


def _distance(a: bytes, b: bytes) -> float:
    """Mean difference of two images' pixels (0-255), the second scaled to the first's size
    (Streamlit scales an image to the width it is shown at)."""
    first, second = (Image.open(io.BytesIO(x)).convert("L") for x in (a, b))
    second = second.resize(first.size, Image.Resampling.LANCZOS)
    return ImageStat.Stat(ImageChops.difference(first, second)).mean[0]


def _checkered() -> bytes:
    """A photo with coarse detail (40 px squares), which blurring clearly wipes out."""
    image = Image.new("RGB", (640, 480), (230, 230, 230))
    for x in range(0, 640, 40):
        for y in range(0, 480, 40):
            if (x + y) // 40 % 2:
                image.paste((20, 20, 20), (x, y, x + 40, y + 40))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def test_the_meeting_shows_a_new_reports_photo_blurred_for_the_room(
    make_app, demo_sqlite_url, monkeypatch
):
    _start_meeting(demo_sqlite_url)
    prepared = imaging.prepare(_checkered())
    _report_with_photo(demo_sqlite_url, "bostader", prepared)
    served = _served(monkeypatch)

    # the chair may see the full photo elsewhere, but the meeting's screen is seen by the room
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/mote.py").run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any(m.value.startswith("**Nytt under mötet:** Klotter") for m in app.markdown)
    urls = [url for image in app.get("image") for url in image.value]
    assert len(urls) == 1
    shown = served[urls[0].rsplit("/", 1)[1].split(".")[0]]  # re-encoded by Streamlit
    blurred = _distance(shown, imaging.blurred(prepared.thumbnail))
    assert blurred < 5 and _distance(shown, prepared.thumbnail) > 30  # the room never sees it sharp
    assert not any(b.label == "Full storlek" for b in app.get("download_button"))


def _map(app) -> tuple[dict, list[dict]]:
    [chart] = app.get("deck_gl_json_chart")
    spec = json.loads(chart.proto.json)
    [points] = [layer for layer in spec["layers"] if layer["id"] == "handelser"]
    return json.loads(chart.proto.tooltip), points["data"]


def _pictures(rows: list[dict]) -> list[bytes]:
    return [
        base64.b64decode(r["photo"].removeprefix("data:image/jpeg;base64,"))
        for r in rows
        if r["photo"]
    ]


def test_karta_shows_a_reports_photo_in_its_tooltip_as_the_viewer_may_see_it(
    make_app, demo_sqlite_url
):
    prepared = imaging.prepare(photo_with_metadata(size=(640, 480)))
    _report_with_photo(demo_sqlite_url, "bostader", prepared)

    own = login(make_app(demo_sqlite_url), "bostader")
    own.switch_page("pages/karta.py").run()
    assert not own.exception and not own.error, [e.value for e in own.error]
    tooltip, rows = _map(own)
    assert tooltip == maps.TOOLTIP
    assert len(rows) > 10 and all("photo" in r and "tooltip" in r for r in rows)
    assert _pictures(rows) == [imaging.smaller(prepared.thumbnail)]
    [mine] = [r for r in rows if r["photo"]]
    assert mine["tooltip"].startswith("Klotter (Skadegörelse)\nPunkt på kartan\n")

    other = login(make_app(demo_sqlite_url), "polis")  # another organisation: blurred
    other.switch_page("pages/karta.py").run()
    _, rows = _map(other)
    assert _pictures(rows) == [imaging.smaller(imaging.blurred(prepared.thumbnail))]
