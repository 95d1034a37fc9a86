"""A forum for any municipality works at once: created in one command and fed with police
events carrying the county's point, its map shows its own boundary, is framed by it and
draws the events at a point inside it; the other pages render."""

import json

import pytest

from lagesbild import db, geo, municipalities
from lagesbild.cli import main
from lagesbild.reference import MUNICIPALITY_KEY, set_setting
from tests.app.conftest import login, texts
from tests.realdata import POLISEN

MALMO = ["--municipality", "Malmö", "--org", "Kommunen"]


def layer(spec: dict, layer_id: str) -> dict:
    return next(x for x in spec["layers"] if x.get("id") == layer_id)


@pytest.mark.parametrize("name", ["Kiruna", "Malmö", "Göteborg"])
def test_a_new_forum_shows_its_own_municipality(make_app, sqlite_url, tmp_path, capsys, name):
    u = ["--database-url", sqlite_url]
    init = ["init", "--forum", f"Forum {name}", "--municipality", f" {name.upper()} "]
    assert main([*u, *init, "--org", "Kommunen"]) == 0
    password = capsys.readouterr().out.split("lösenord: ")[1].split()[0]
    assert main([*u, "org", "add", "Polisen", "--kind", "polis"]) == 0
    events = [
        {
            "id": 1000 + i,
            "datetime": "2026-11-20 12:00:00 +01:00",
            "name": f"20 november 11:{i:02d}, Misshandel, {name}",
            "summary": "Händelse.",
            "url": f"/h/{i}",
            "type": "Misshandel",
            "location": {"name": "Länet", "gps": "59.0,15.0"},  # far outside
        }
        for i in range(5)
    ]
    path = tmp_path / "events.json"
    path.write_text(json.dumps(events), encoding="utf-8")
    assert main([*u, "import", str(path), "--source", "polisen", "--org", "Polisen"]) == 0
    assert "5 nya händelser importerades" in capsys.readouterr().out

    app = login(make_app(sqlite_url), "admin", password)
    app.switch_page("pages/karta.py").run()
    assert not app.exception and not app.error, texts(app.error)
    spec = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    boundary = municipalities.boundary(name)
    drawn = layer(spec, "kommungrans")["data"]["features"]
    assert [f["properties"]["KnNamn"] for f in drawn] == [name]
    west, south, east, north = geo.bbox(boundary)
    view = spec["initialViewState"]
    assert west < view["longitude"] < east and south < view["latitude"] < north
    assert view["zoom"] > 5  # the municipality, not the whole country
    approximate = layer(spec, "ungefarliga")["data"]
    assert len(approximate) == 1 and approximate[0]["tooltip"].startswith("5 händelser")
    assert geo.contains(boundary, approximate[0]["lat"], approximate[0]["lon"])
    for page in ("pages/oversikt.py", "pages/hotspots.py", "pages/kvartal.py"):
        app.switch_page(page).run()
        assert not app.exception and not app.error, (page, texts(app.error))


def test_an_unrecognised_municipality_is_pointed_out_on_the_map(make_app, sqlite_url, capsys):
    assert main(["--database-url", sqlite_url, "init", "--forum", "F", *MALMO]) == 0
    password = capsys.readouterr().out.split("lösenord: ")[1].split()[0]
    with db.transaction(db.make_engine(sqlite_url)) as s:
        set_setting(s, MUNICIPALITY_KEY, "Malmö stad")  # stored before names were checked
    app = login(make_app(sqlite_url), "admin", password)
    app.switch_page("pages/karta.py").run()
    assert not app.exception
    assert any("”Malmö stad” känns inte igen" in w for w in texts(app.warning))
    spec = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    assert not any(x.get("id") == "kommungrans" for x in spec["layers"])


@pytest.mark.real_data
def test_the_import_page_lists_skipped_types_and_refuses_another_municipality(
    make_app, demo_sqlite_url
):
    def upload():
        app = login(make_app(demo_sqlite_url), "samordnare")
        app.switch_page("pages/import.py").run()
        app.selectbox(key="imp_source").set_value("polisen")
        app.file_uploader(key="imp_file").upload(
            "events.json", POLISEN.read_bytes(), "application/json"
        )
        return app.run()

    app = upload()  # the demo forum is Vellinge's
    assert not app.exception and not app.error
    captions = " ".join(texts(app.caption))
    assert "händelser i andra kommuner än Vellinge hoppades över: Sävsjö (41)" in captions
    assert "trafik: Trafikolycka (61), Rattfylleri (18)" in captions
    with db.transaction(db.make_engine(demo_sqlite_url)) as s:
        set_setting(s, MUNICIPALITY_KEY, "Malmö")
    app = upload()
    app.button(key="imp_check").click().run()
    assert not app.exception and not app.error
    assert app.warning[-1].value.startswith(
        "Inget importerades: 0 av 186 händelser gällde Malmö; filen har händelser från "
        "Vellinge (145), Sävsjö (41)."
    )
