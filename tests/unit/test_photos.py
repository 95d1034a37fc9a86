"""Photos on reports and unsafe places: no metadata survives, the GPS is offered first, size
limits, who sees the full photo, and the audit log – on SQLite and PostgreSQL."""

import base64
import datetime as dt
import io
import random

import pandas as pd
import pytest
from PIL import Image
from sqlalchemy import func, select

from lagesbild import auth, db, imaging
from lagesbild.actor import SYSTEM
from lagesbild.errors import NotFound, PermissionDenied, ValidationError
from lagesbild.models import Area, AuditLog, Category, Incident, Organisation, Photo, Place
from lagesbild.photostore import DatabaseStore, FolderStore
from lagesbild.reference import ellipse_polygon, seed_default_categories
from lagesbild.services import observations, photos, reports
from lagesbild.services.observations import ObservationInput
from lagesbild.services.reports import IncidentInput

NOW = dt.datetime(2026, 11, 21, 20, 0)
LAT, LON = 55.4739, 13.0263


def _dms(value: float) -> tuple[float, float, float]:
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60, 4)
    return (float(d), float(m), s)


def photo_with_metadata(
    size=(2400, 1200), lat=LAT, lon=LON, orientation=1, fmt="JPEG", noise=False
) -> bytes:
    """A photo as a phone makes it: EXIF with camera, time, orientation and GPS, plus a
    comment, an ICC profile and XMP."""
    image = Image.new("RGB", size, (200, 40, 40))
    image.paste((40, 40, 200), (0, 0, size[0] // 2, size[1] // 4))  # a blue top-left corner
    if noise:
        image = Image.frombytes("RGB", size, random.Random(1).randbytes(size[0] * size[1] * 3))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    exif[0x0132] = "2026:11:21 19:00:00"  # DateTime
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", _dms(lat)
    gps[3], gps[4] = "E", _dms(lon)
    out = io.BytesIO()
    extra = {"exif": exif.tobytes()}
    if fmt == "JPEG":
        extra.update(
            comment=b"taken by Anna Andersson",
            icc_profile=b"\0" * 128 + b"acsp fake-icc",
            xmp=b"<x:xmpmeta>GPSLatitude 55.47</x:xmpmeta>",
        )
    image.save(out, fmt, **extra)
    return out.getvalue()


def assert_clean(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif()
    for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"):
        assert key not in image.info, key
    for marker in (b"Exif", b"GPS", b"PhoneMaker", b"Anna", b"xmpmeta", b"acsp"):
        assert marker not in data, marker
    return image


def test_the_original_really_has_the_metadata():
    original = Image.open(io.BytesIO(photo_with_metadata()))
    assert original.getexif()[0x010F] == "PhoneMaker"
    assert "icc_profile" in original.info and "comment" in original.info
    assert imaging.gps_position(original) == pytest.approx((LAT, LON), abs=1e-5)


def test_a_photo_is_stored_scaled_and_without_any_metadata():
    prepared = imaging.prepare(photo_with_metadata())
    full = assert_clean(prepared.full)
    thumb = assert_clean(prepared.thumbnail)
    assert max(full.size) == imaging.LONGEST_SIDE == 1600 and full.size == (1600, 800)
    assert max(thumb.size) == imaging.THUMB_SIDE
    assert (prepared.lat, prepared.lon) == pytest.approx((LAT, LON), abs=1e-5)


def test_png_with_exif_is_cleaned_too():
    prepared = imaging.prepare(photo_with_metadata(size=(400, 300), fmt="PNG"))
    assert_clean(prepared.full)
    assert Image.open(io.BytesIO(prepared.full)).size == (400, 300)  # never scaled up


def test_the_orientation_is_applied_before_it_is_stripped():
    # Orientation 6: the camera was turned; the upright picture is tall, blue at top right.
    prepared = imaging.prepare(photo_with_metadata(size=(800, 400), orientation=6))
    image = assert_clean(prepared.full)
    assert image.size == (400, 800)
    r, _, b = image.getpixel((390, 10))
    assert b > 150 and r < 100


def test_a_photo_without_gps_offers_no_position():
    image = Image.new("RGB", (50, 50))
    out = io.BytesIO()
    image.save(out, "JPEG")
    prepared = imaging.prepare(out.getvalue())
    assert prepared.lat is None and prepared.lon is None


def test_too_large_and_unreadable_files_are_refused_in_swedish(monkeypatch):
    monkeypatch.setattr(imaging, "MAX_BYTES", 10_000)
    big = photo_with_metadata(size=(600, 600), noise=True)
    assert len(big) > 10_000
    with pytest.raises(ValidationError, match="högst"):
        imaging.prepare(big, "stor.jpg")
    with pytest.raises(ValidationError, match="går inte att läsa som bild"):
        imaging.prepare(b"%PDF-1.7 not a photo", "fel.pdf")
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(ValidationError, match="JPEG"):
        imaging.prepare(gif.getvalue(), "bild.gif")


def test_the_blurred_thumbnail_hides_detail():
    sharp = Image.new("L", (320, 160), 0)
    for x in range(0, 320, 4):
        sharp.paste(255, (x, 0, x + 2, 160))  # fine stripes
    out = io.BytesIO()
    sharp.convert("RGB").save(out, "JPEG", quality=95)
    blurred = Image.open(io.BytesIO(imaging.blurred(out.getvalue()))).convert("L")
    values = [blurred.getpixel((x, 80)) for x in range(40, 280)]
    assert max(values) - min(values) < 40


@pytest.fixture
def forum(engine):
    with db.transaction(engine) as s:
        seed_default_categories(s)
        housing = Organisation(name="Vellingebostäder", short_name="VB", kind="bostadsbolag")
        police = Organisation(name="Polisen", short_name="Polisen", kind="polis")
        s.add_all([housing, police])
        s.flush()
        area = Area(name="Vellinge tätort", geojson=ellipse_polygon(55.4722, 13.0170, 1300, 1000))
        s.add(area)
        s.flush()
        place = Place(name="Solgården", area_id=area.id, lat=LAT, lon=LON)
        s.add(place)
        s.flush()
        ids = {
            "housing": housing.id,
            "police": police.id,
            "place": place.id,
            "klotter": s.scalar(select(Category.id).where(Category.name == "Klotter")),
        }
    people = {
        "member": ("vb", "housing", "medlem"),
        "police": ("polis", "police", "medlem"),
        "chair": ("samordnare", "police", "samordnare"),
        "admin": ("admin", "police", "admin"),
    }
    actors = {}
    with db.transaction(engine) as s:
        for key, (username, org, role) in people.items():
            user = auth.create_user(
                s,
                SYSTEM,
                username=username,
                display_name=username,
                organisation_id=ids[org],
                role=role,
                password="ett-langt-losenord",
            )
            actors[key] = auth.actor_for(user)
    return engine, ids, actors


def _report(engine, ids, actor, prepared, visibility="forum"):
    with db.transaction(engine) as s:
        created = reports.create_report(
            s,
            actor,
            [IncidentInput(category_id=ids["klotter"], place_id=ids["place"], occurred_at=NOW)],
            visibility=visibility,
            photos=prepared,
        )
        return created[0].id


def _audit(engine, verb):
    with engine.connect() as conn:
        return conn.execute(
            select(AuditLog.username, AuditLog.entity_id)
            .where(AuditLog.entity == "photo", AuditLog.verb == verb)
            .order_by(AuditLog.id)
        ).all()


@pytest.mark.parametrize("folder", [False, True], ids=["in-database", "in-folder"])
def test_a_report_stores_its_photos_without_metadata(forum, folder, tmp_path, monkeypatch):
    engine, ids, actors = forum
    if folder:
        monkeypatch.setenv("LAGESBILD_PHOTO_DIR", str(tmp_path / "foton"))
    prepared = [imaging.prepare(photo_with_metadata()) for _ in range(2)]
    incident_id = _report(engine, ids, actors["member"], prepared)
    with db.session_factory(engine)() as s:
        stored = s.scalars(select(Photo).where(Photo.incident_id == incident_id)).all()
        assert len(stored) == 2
        for photo in stored:
            assert_clean(photo.thumbnail)
            if folder:
                assert photo.data is None and photo.storage_key
                raw = FolderStore(tmp_path / "foton").get(photo)
            else:
                assert photo.storage_key is None
                raw = DatabaseStore().get(photo)
            assert_clean(raw)
            assert raw == prepared[0].full
    assert [u for u, _ in _audit(engine, "create")] == ["vb", "vb"]
    if folder:
        assert len(list((tmp_path / "foton").glob("*.jpg"))) == 2


def test_more_than_five_photos_are_refused_and_nothing_is_stored(forum):
    engine, ids, actors = forum
    one = imaging.prepare(photo_with_metadata(size=(100, 100)))
    with pytest.raises(ValidationError, match="Högst 5"):
        _report(engine, ids, actors["member"], [one] * 6)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Incident)) == 0
        assert conn.scalar(select(func.count()).select_from(Photo)) == 0


def test_only_the_reporting_organisation_and_the_chair_see_the_full_photo(forum):
    engine, ids, actors = forum
    prepared = imaging.prepare(photo_with_metadata())
    incident_id = _report(engine, ids, actors["member"], [prepared])

    for who in ("member", "chair", "admin"):
        [shown] = photos.thumbnails(engine, actors[who], incident_ids=[incident_id])
        assert shown.full and shown.thumbnail == prepared.thumbnail
        assert photos.full_size(engine, actors[who], shown.id) == prepared.full

    [other] = photos.thumbnails(engine, actors["police"], incident_ids=[incident_id])
    assert not other.full and other.thumbnail != prepared.thumbnail
    assert_clean(other.thumbnail)
    with pytest.raises(PermissionDenied, match="personer"):
        photos.full_size(engine, actors["police"], other.id)

    assert _audit(engine, "export") == [(u, str(other.id)) for u in ("vb", "samordnare", "admin")]


def test_a_restricted_report_hides_its_photos_from_other_organisations(forum):
    engine, ids, actors = forum
    prepared = imaging.prepare(photo_with_metadata(size=(200, 200)))
    incident_id = _report(engine, ids, actors["member"], [prepared], visibility="begransad")
    assert photos.thumbnails(engine, actors["police"], incident_ids=[incident_id]) == []
    [shown] = photos.thumbnails(engine, actors["chair"], incident_ids=[incident_id])
    with pytest.raises(NotFound):
        photos.full_size(engine, actors["police"], shown.id)
    assert _audit(engine, "export") == []


def test_an_unsafe_place_gets_photos(forum):
    engine, ids, actors = forum
    prepared = imaging.prepare(photo_with_metadata(size=(300, 200)))
    with db.transaction(engine) as s:
        obs = observations.create_observation(
            s,
            actors["member"],
            ObservationInput(reason="belysning", place_id=ids["place"]),
            NOW,
            photos=[prepared],
        )
        obs_id = obs.id
    [shown] = photos.thumbnails(engine, actors["member"], observation_ids=[obs_id])
    assert shown.parent_id == obs_id and shown.full
    assert photos.full_size(engine, actors["member"], shown.id) == prepared.full


def test_the_meeting_room_sees_every_photo_blurred(forum):
    engine, ids, actors = forum
    prepared = imaging.prepare(photo_with_metadata(size=(400, 300)))
    incident_id = _report(engine, ids, actors["member"], [prepared])
    [shown] = photos.thumbnails(engine, actors["chair"], incident_ids=[incident_id], room=True)
    assert not shown.full and shown.thumbnail != prepared.thumbnail


def _tip(url: str) -> bytes:
    assert url.startswith("data:image/jpeg;base64,")
    return base64.b64decode(url.removeprefix("data:image/jpeg;base64,"))


def test_map_points_get_a_small_picture_as_the_viewer_may_see_it(forum):
    engine, ids, actors = forum
    prepared = imaging.prepare(photo_with_metadata(size=(400, 300)))
    with_photo = _report(engine, ids, actors["member"], [prepared, prepared])
    without = _report(engine, ids, actors["member"], [])
    own = photos.thumbnail_urls(engine, actors["member"], [with_photo, without])
    assert list(own) == [with_photo]
    picture = _tip(own[with_photo])
    assert picture == imaging.smaller(prepared.thumbnail)
    assert max(assert_clean(picture).size) == imaging.TIP_SIDE  # a tooltip's size, no metadata
    other = photos.thumbnail_urls(engine, actors["police"], [with_photo])
    assert _tip(other[with_photo]) == imaging.smaller(imaging.blurred(prepared.thumbnail))
    room = photos.thumbnail_urls(engine, actors["chair"], [with_photo], room=True)
    assert room == other


def test_map_pictures_follow_the_points_order_up_to_the_cap_and_hide_what_may_not_be_seen(forum):
    engine, ids, actors = forum
    one = imaging.prepare(photo_with_metadata(size=(120, 90)))
    newest, middle, oldest = (_report(engine, ids, actors["member"], [one]) for _ in range(3))
    hidden = _report(engine, ids, actors["member"], [one], visibility="begransad")
    order = [hidden, newest, middle, oldest]
    assert list(photos.thumbnail_urls(engine, actors["member"], order, limit=2)) == [
        hidden,
        newest,
    ]
    assert list(photos.thumbnail_urls(engine, actors["police"], order, limit=2)) == [
        newest,
        middle,
    ]
    with db.transaction(engine) as s:
        version = s.get(Incident, newest).version
        reports.withdraw_incident(s, actors["member"], newest, version, "Dubblett")
    assert list(photos.thumbnail_urls(engine, actors["police"], order)) == [middle, oldest]
    assert photos.thumbnail_urls(engine, actors["police"], []) == {}


def test_an_unsafe_places_marker_shows_its_photo_as_the_viewer_may_see_it(forum):
    """Unsafe places carry their first photo to the map's tooltip like incidents do: sharp
    for the reporting organisation, blurred for others, nothing for a place without one."""
    from lagesbild.ui import maps

    engine, _, actors = forum
    prepared = imaging.prepare(photo_with_metadata(size=(300, 200)))
    made = []
    for attached in ([prepared], []):
        with db.transaction(engine) as s:
            obs = observations.create_observation(
                s,
                actors["member"],
                ObservationInput(reason="belysning", lat=55.47, lon=13.02),
                NOW,
                photos=attached,
            )
            made.append(obs.id)
    with_photo = made[0]
    own = photos.thumbnail_urls(engine, actors["member"], made, of="observation")
    assert list(own) == [with_photo]
    assert _tip(own[with_photo]) == imaging.smaller(prepared.thumbnail)
    other = photos.thumbnail_urls(engine, actors["police"], made, of="observation")
    assert _tip(other[with_photo]) == imaging.smaller(imaging.blurred(prepared.thumbnail))
    # an incident with the same id is not an unsafe place's photo
    assert photos.thumbnail_urls(engine, actors["member"], made) == {}
    markers = maps.observation_layer(
        pd.DataFrame(
            dict(
                id=made,
                lat=[55.47, 55.47],
                lon=[13.02, 13.02],
                reason=["belysning", "belysning"],
                description=["", ""],
                place=[None, None],
                observed_at=[NOW, NOW],
            )
        ),
        own,
    )
    assert [row["photo"] for row in markers[0].data] == [own[with_photo], ""]
