"""The input pages through app.py: errors in Swedish, what was typed is kept, what is saved is
what the form said; imports through the page."""

import json

import pytest
from sqlalchemy import text

from lagesbild import auth, db
from lagesbild.importers.mapping import Mapping
from lagesbild.services import imports
from tests.app.conftest import login, texts
from tests.realdata import POLISEN


@pytest.fixture
def app(make_app, demo_sqlite_url):
    return login(make_app(demo_sqlite_url), "polis")


def _ids(url, sql):
    with db.make_engine(url).connect() as conn:
        return dict(conn.execute(text(sql)).all())


def _manual(url):
    with db.make_engine(url).connect() as conn:
        return conn.execute(
            text(
                "SELECT i.count, i.description, c.name AS category, p.name AS place, o.short_name "
                "AS org, i.visibility FROM incident i JOIN category c ON c.id = i.category_id "
                "JOIN organisation o ON o.id = i.reporting_org_id LEFT JOIN place p ON "
                "p.id = i.place_id WHERE i.source = 'manual' ORDER BY i.id"
            )
        ).all()


def _fill(app, prefix, url, group, category, place, description="", count=1):
    groups = _ids(url, "SELECT name, id FROM category_group")
    cats = _ids(url, "SELECT name, id FROM category")
    places = _ids(url, "SELECT name, id FROM place")
    app.selectbox(key=f"{prefix}group").set_value(groups[group]).run()
    app.selectbox(key=f"{prefix}category").set_value(cats[category])
    app.selectbox(key=f"{prefix}place").set_value(places[place])
    app.number_input(key=f"{prefix}count").set_value(count)
    app.text_area(key=f"{prefix}description").input(description)
    return app.run()


def test_the_report_page_says_it_is_not_a_police_report(app):
    app.switch_page("pages/rapportera.py").run()
    assert not app.exception
    assert "Det här är inte en polisanmälan." in app.warning[0].value


def test_a_refused_report_keeps_what_was_typed(app, demo_sqlite_url):
    app.switch_page("pages/rapportera.py").run()
    app.text_area(key="rep_0_description").input("Taggar på fasaden mot parkeringen")
    app.number_input(key="rep_0_count").set_value(3)
    app.button(key="rep_send").click().run()
    error = app.error[0].value
    assert error.startswith("Inget sparades.")
    assert "Välj en kategori." in error and "Välj en plats i listan" in error
    assert app.text_area(key="rep_0_description").value == "Taggar på fasaden mot parkeringen"
    assert app.number_input(key="rep_0_count").value == 3
    assert _manual(demo_sqlite_url) == []


def test_personal_data_is_refused_and_kept_for_editing(app, demo_sqlite_url):
    app.switch_page("pages/rapportera.py").run()
    _fill(
        app,
        "rep_0_",
        demo_sqlite_url,
        "Skadegörelse",
        "Klotter",
        "Solgården",
        "Tolvan 121212-1212 sprayade",
    )
    app.button(key="rep_send").click().run()
    assert "Personnummer eller samordningsnummer: ”121212-1212”" in app.error[0].value
    assert app.text_area(key="rep_0_description").value == "Tolvan 121212-1212 sprayade"
    assert _manual(demo_sqlite_url) == []


def test_a_report_with_two_incidents_is_saved(app, demo_sqlite_url):
    app.switch_page("pages/rapportera.py").run()
    _fill(
        app,
        "rep_0_",
        demo_sqlite_url,
        "Skadegörelse",
        "Klotter",
        "Solgården",
        "Taggar på fasaden",
        3,
    )
    app.button(key="rep_add").click().run()
    _fill(
        app,
        "rep_1_",
        demo_sqlite_url,
        "Otrygghetsskapande samling av personer",
        "Trapphus",
        "Solgården",
        "Samling i trapphus",
    )
    app.radio(key="rep_visibility").set_value("begransad")
    app.button(key="rep_send").click().run()
    assert not app.error
    assert "Rapporten är sparad (2 händelser)" in app.success[0].value
    saved = _manual(demo_sqlite_url)
    assert [(r.category, r.place, r.count, r.org, r.visibility) for r in saved] == [
        ("Klotter", "Solgården", 3, "Polisen", "begransad"),
        ("Trapphus", "Solgården", 1, "Polisen", "begransad"),
    ]
    assert app.text_area(key="rep_0_description").value == ""  # a fresh form


def test_a_point_outside_sweden_is_refused(app, demo_sqlite_url):
    app.switch_page("pages/rapportera.py").run()
    _fill(app, "rep_0_", demo_sqlite_url, "Skadegörelse", "Klotter", "Solgården")
    app.radio(key="rep_0_mode").set_value("Punkt på kartan eller koordinater").run()
    app.number_input(key="rep_0_lat").set_value(13.02)
    app.number_input(key="rep_0_lon").set_value(55.47)
    app.button(key="rep_send").click().run()
    assert "ligger utanför Sverige" in app.error[0].value


def test_unsafe_place_and_safety_walk(app, demo_sqlite_url):
    places = _ids(demo_sqlite_url, "SELECT name, id FROM place")
    app.switch_page("pages/otrygg-plats.py").run()
    app.selectbox(key="obs_reason").set_value("belysning")
    app.selectbox(key="obs_place").set_value(places["Lärkparken"])
    app.text_area(key="obs_remedy").input("Byt armaturerna längs gångvägen")
    app.button(key="obs_save").click().run()
    assert "Platsen är sparad" in app.success[0].value
    app.segmented_control(key="lb_obs_kind").set_value("En trygghetsvandring").run()
    app.button(key="walk_save").click().run()
    assert "Ge vandringen en rubrik" in app.error[0].value
    app.text_input(key="walk_title").input("Trygghetsvandring Lärkparken")
    app.multiselect(key="walk_route").set_value([places["Lärkparken"], places["Solgården"]])
    app.selectbox(key="walk_0_reason").set_value("vegetation")
    app.selectbox(key="walk_0_place").set_value(places["Lärkparken"])
    app.button(key="walk_add").click().run()
    app.selectbox(key="walk_1_reason").set_value("odslig")
    app.selectbox(key="walk_1_place").set_value(places["Solgården"]).run()
    app.button(key="walk_save").click().run()
    assert "sparad med 2 punkter" in app.success[0].value
    with db.make_engine(demo_sqlite_url).connect() as conn:
        walk = conn.execute(text("SELECT id, title FROM safety_walk ORDER BY id DESC")).first()
        points = conn.execute(
            text("SELECT count(*) FROM observation WHERE safety_walk_id = :w"), {"w": walk.id}
        ).scalar()
    assert walk.title == "Trygghetsvandring Lärkparken" and points == 2


@pytest.mark.real_data
def test_import_page_checks_then_imports_the_police_events(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/import.py").run()
    app.selectbox(key="imp_source").set_value("polisen")
    orgs = _ids(demo_sqlite_url, "SELECT short_name, id FROM organisation")
    app.selectbox(key="imp_org").set_value(orgs["Polisen"])
    app.file_uploader(key="imp_file").upload(
        "events.json", POLISEN.read_bytes(), "application/json"
    )
    app.run()
    assert not app.exception and not app.error
    app.button(key="imp_check").click().run()
    assert "nya händelser kan importeras" in app.info[-1].value
    run = next(b for b in app.button if b.label.startswith("Importera "))
    run.click().run()
    assert "importerades" in app.success[0].value
    with db.make_engine(demo_sqlite_url).connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM incident WHERE source = 'polisen'")).scalar()
            > 20
        )


def test_import_page_names_the_bad_row(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/import.py").run()
    app.selectbox(key="imp_source").set_value("__ny__").run()
    app.text_input(key="imp_new_source").input("Teknik felanmälan")
    content = (
        "Datum;Kategori;Plats;Beskrivning\n"
        "2026-11-20 21:30;Klotter;Solgården;Taggar\n"
        "igår;Klotter;Solgården;Taggar igen\n"
    ).encode("cp1252")
    app.file_uploader(key="imp_file").upload("felanmalan.csv", content, "text/csv")
    app.run()
    assert app.selectbox(key="imp_col_occurred_at").value == "Datum"  # guessed
    app.button(key="imp_check").click().run()
    assert app.error[0].value.startswith("Inget importerades: 1 fel")
    errors = app.dataframe[-1].value
    assert list(errors["Rad"]) == [3] and list(errors["Kolumn"]) == ["Datum"]
    assert not any(b.label.startswith("Importera ") for b in app.button)


def test_leadership_cannot_reach_the_input_pages(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "ledning")
    for page in (
        "pages/rapportera.py",
        "pages/otrygg-plats.py",
        "pages/import.py",
        "pages/administration.py",
    ):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app.switch_page(page)
    assert texts(app.title)


def test_correcting_an_own_incident_through_the_list(app, demo_sqlite_url):
    app.switch_page("pages/handelser.py").run()
    assert not app.exception
    table = app.dataframe[0]
    assert len(table.value) > 0
    # choose the first row of the police's own incidents
    app.session_state["inc_table"] = {"selection": {"rows": [0], "columns": []}}
    app.run()
    if app.text_area(key="inc_f_description").value is None:
        pytest.skip("row selection is not available in AppTest")
    app.text_area(key="inc_f_description").input("Rättad beskrivning av platsen")
    app.button(key="inc_save").click().run()
    assert "Rättelsen är sparad." in app.success[0].value
    assert app.text_area(key="inc_f_description").value == "Rättad beskrivning av platsen"
    with db.make_engine(demo_sqlite_url).connect() as conn:
        entry = conn.execute(
            text(
                "SELECT before, after FROM audit_log WHERE verb = 'update' AND entity = 'incident'"
            )
        ).one()
    after = entry.after if isinstance(entry.after, dict) else json.loads(entry.after)
    assert after["description"] == "Rättad beskrivning av platsen"


def test_a_chair_adds_a_category_and_a_place(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/administration.py").run()
    assert not app.exception
    app.text_input(key="adm_cat_name").input("Snöskoter")
    app.button(key="adm_cat_save").click().run()
    assert "Kategorin ”Snöskoter” är sparad." in app.success[0].value
    app.text_input(key="adm_place_name").input("Nya torget")
    app.number_input(key="adm_place_lat").set_value(55.4700)
    app.number_input(key="adm_place_lon").set_value(13.0200)
    app.button(key="adm_place_save").click().run()
    assert "Platsen ”Nya torget” är sparad." in app.success[0].value
    app.text_input(key="adm_place_name").input("Solgården")  # the name is taken
    app.button(key="adm_place_save").click().run()
    assert "”Solgården” finns redan." in app.error[0].value
    with db.make_engine(demo_sqlite_url).connect() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM audit_log WHERE entity IN ('category', 'place')")
            ).scalar()
            == 2
        )


def test_import_page_can_skip_the_invalid_rows_and_hand_them_back(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/import.py").run()
    app.selectbox(key="imp_source").set_value("__ny__").run()
    app.text_input(key="imp_new_source").input("Teknik felanmälan hoppa")
    content = (
        "Datum;Kategori;Plats;Beskrivning\n"
        "2026-11-20 21:30;Klotter;Solgården;Taggar\n"
        "igår;Klotter;Solgården;Taggar igen\n"
    ).encode()
    app.file_uploader(key="imp_file").upload("felanmalan.csv", content, "text/csv")
    app.run()
    app.checkbox(key="imp_skip_invalid").check().run()
    app.button(key="imp_check").click().run()
    assert not app.error and "1 nya händelser kan importeras" in app.info[-1].value
    assert "1 rader med fel hoppas över" in app.info[-1].value
    assert list(app.dataframe[-1].value["Rad"]) == [3]
    assert "raderna med fel" in app.get("download_button")[0].proto.label
    before = _count(demo_sqlite_url)
    next(b for b in app.button if b.label.startswith("Importera ")).click().run()
    assert "1 nya händelser importerades" in app.success[0].value
    assert _count(demo_sqlite_url) == before + 1
    assert app.get("download_button")  # the rejected rows stay at hand after the import


def test_import_page_says_plainly_when_a_file_stores_nothing(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/import.py").run()
    app.selectbox(key="imp_source").set_value("polisen").run()
    events = [
        {
            "id": 1,
            "datetime": "2026-11-20 22:10:00 +01:00",
            "name": "20 november 21:55, Brand, Lund",
            "summary": "Brand i byggnad",
            "type": "Brand",
        }
    ]
    app.file_uploader(key="imp_file").upload(
        "events.json", json.dumps(events).encode(), "application/json"
    )
    app.run()
    app.button(key="imp_check").click().run()
    assert not app.exception and not app.error
    assert app.warning[-1].value.startswith("Inget importerades: 0 av 1 händelser gällde")
    assert not any(b.label.startswith("Importera ") for b in app.button)


def _count(url) -> int:
    with db.make_engine(url).connect() as conn:
        return conn.execute(text("SELECT count(*) FROM incident")).scalar()


def test_another_organisations_mapping_is_used_but_not_changed(app, demo_sqlite_url):
    engine = db.make_engine(demo_sqlite_url)
    with db.transaction(engine) as s:
        owner = auth.actor_for(auth.get_user(s, "bostader"))
        imports.save_mapping(
            s,
            owner,
            "VB felanmälan",
            Mapping(
                columns={"occurred_at": "Datum", "category": "Kategori", "place": "Plats"},
                visibility="begransad",
            ),
        )
    app.switch_page("pages/import.py").run()
    app.selectbox(key="imp_source").set_value("VB felanmälan").run()
    content = "Datum;Kategori;Plats\n2026-11-20 21:30;Klotter;Solgården\n".encode()
    app.file_uploader(key="imp_file").upload("felanmalan.csv", content, "text/csv")
    app.run()
    assert any("tillhör en annan organisation" in w.value for w in app.warning)
    assert app.selectbox(key="imp_visibility").value == "begransad"  # kept from the mapping
    assert not any(b.key == "imp_forget" for b in app.button)
    app.selectbox(key="imp_visibility").set_value("forum").run()
    app.button(key="imp_check").click().run()
    next(b for b in app.button if b.label.startswith("Importera ")).click().run()
    assert "importerades" in app.success[0].value and "sparad" not in app.success[0].value
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT mapping FROM import_mapping WHERE source = 'VB felanmälan'")
        ).scalar()
    stored = json.loads(stored) if isinstance(stored, str) else stored
    assert stored["visibility"] == "begransad"


def test_searching_a_place_in_the_picker_sets_the_point(app, demo_sqlite_url):
    app.switch_page("pages/rapportera.py").run()
    _fill(app, "rep_0_", demo_sqlite_url, "Skadegörelse", "Klotter", "Solgården")
    app.radio(key="rep_0_mode").set_value("Punkt på kartan eller koordinater").run()
    app.selectbox(key="rep_0_search").select("Vellinge busstation (Vellinge tätort)").run()
    assert app.number_input(key="rep_0_lat").value == pytest.approx(55.4702)
    assert app.number_input(key="rep_0_lon").value == pytest.approx(13.0178)
    # a coordinate typed afterwards is kept: only a new choice moves the point
    app.number_input(key="rep_0_lat").set_value(55.4710).run()
    assert app.number_input(key="rep_0_lat").value == pytest.approx(55.4710)
    app.selectbox(key="rep_0_search").select("Höllviken (område)").run()
    assert app.number_input(key="rep_0_lat").value == pytest.approx(55.42, abs=0.02)
    app.button(key="rep_send").click().run()
    assert not app.exception and "Rapporten är sparad" in app.success[0].value
    with db.make_engine(demo_sqlite_url).connect() as conn:
        row = conn.execute(
            text("SELECT lat, lon, precision FROM incident WHERE source = 'manual'")
        ).one()
    assert row.precision == "punkt" and abs(row.lat - 55.42) < 0.02 and abs(row.lon - 12.958) < 0.03


def test_a_report_with_a_photo_offers_its_position_and_stores_it_without_metadata(
    app, demo_sqlite_url
):
    from tests.unit.test_photos import LAT, LON, assert_clean, photo_with_metadata

    app.switch_page("pages/rapportera.py").run()
    assert "personuppgift" in " ".join(texts(app.caption))
    uploader = app.get("file_uploader")[0]
    uploader.set_value(("IMG_0001.jpg", photo_with_metadata(), "image/jpeg")).run()
    assert not app.exception and not app.error
    app.button(key="lb_photo_gps_rep_").click().run()
    assert app.number_input(key="rep_0_lat").value == pytest.approx(LAT, abs=1e-5)
    assert app.number_input(key="rep_0_lon").value == pytest.approx(LON, abs=1e-5)
    groups = _ids(demo_sqlite_url, "SELECT name, id FROM category_group")
    cats = _ids(demo_sqlite_url, "SELECT name, id FROM category")
    app.selectbox(key="rep_0_group").set_value(groups["Skadegörelse"]).run()
    app.selectbox(key="rep_0_category").set_value(cats["Klotter"])
    app.button(key="rep_send").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert "Tack!" in app.success[0].value
    with db.make_engine(demo_sqlite_url).connect() as conn:
        row = conn.execute(
            text(
                "SELECT i.lat, i.lon, p.data, p.thumbnail FROM photo p "
                "JOIN incident i ON i.id = p.incident_id WHERE i.source = 'manual'"
            )
        ).one()
    assert (row.lat, row.lon) == pytest.approx((LAT, LON), abs=1e-5)
    assert assert_clean(row.data).size == (1600, 800)
    assert_clean(row.thumbnail)


def test_an_unreadable_photo_is_refused_in_swedish_and_nothing_is_saved(app, demo_sqlite_url):
    app.switch_page("pages/rapportera.py").run()
    app.get("file_uploader")[0].set_value(("bild.jpg", b"not a photo", "image/jpeg")).run()
    assert "går inte att läsa som bild" in app.error[0].value
    app.button(key="rep_send").click().run()
    assert not app.exception
    assert _manual(demo_sqlite_url) == []
