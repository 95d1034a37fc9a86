"""Åtgärder and Arrangemang through app.py: create, change status, rights, effect, events."""

import datetime as dt

import pytest
from sqlalchemy import text

from lagesbild import db
from tests.app.conftest import login


def _select_row(app, table_key: str, column: str, value: str) -> None:
    """Select the first row whose `column` contains `value` in the page's first table."""
    frame = app.dataframe[0].value
    rows = [i for i, v in enumerate(frame[column]) if value in str(v)]
    assert rows, f"{value!r} not in {list(frame[column])}"
    if table_key == "act_table" and "lb_act_table_generation" in app.session_state:
        # the table is drawn anew (a new key) after every save on the page
        table_key += f"_{app.session_state['lb_act_table_generation']}"
    app.session_state[table_key] = {"selection": {"rows": [rows[0]], "columns": []}}
    app.run()


def test_a_member_proposes_an_action_and_moves_it_forward(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "bostader")
    app.switch_page("pages/atgarder.py").run()
    assert app.segmented_control(key="act_whose").value == "Min organisation"
    app.text_input(key="act_new_title").input("Belysning i källargången, Solgården")
    app.date_input(key="act_new_due").set_value(dt.date(2027, 3, 1))
    app.button(key="act_new_save").click().run()
    assert "är sparad" in app.success[0].value, [e.value for e in app.error]
    _select_row(app, "act_table", "Åtgärd", "Belysning i källargången")
    new_status = next(s for s in app.selectbox if s.key and s.key.startswith("act_status_"))
    new_status.set_value("beslutad")
    note = next(t for t in app.text_input if t.key and t.key.startswith("act_status_"))
    note.input("Beslutad på mötet")
    next(b for b in app.button if b.key and b.key.startswith("act_status_")).click().run()
    assert "är nu beslutad" in app.success[0].value
    with db.make_engine(demo_sqlite_url).connect() as conn:
        row = conn.execute(
            text(
                "SELECT a.status, count(h.id) FROM action a JOIN "
                "action_status_change h ON h.action_id = a.id WHERE a.title = "
                "'Belysning i källargången, Solgården' GROUP BY a.status"
            )
        ).one()
    assert tuple(row) == ("beslutad", 2)


def test_a_member_cannot_change_another_organisations_action(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "bostader")
    app.switch_page("pages/atgarder.py").run()
    app.segmented_control(key="act_whose").set_value("Alla").run()
    _select_row(app, "act_table", "Organisation", "Teknik")
    assert not any(b.key and b.key.startswith("act_status_") for b in app.button)
    assert any("Bara den ansvariga organisationen" in c.value for c in app.caption)


def test_a_finished_action_shows_its_effect(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/atgarder.py").run()
    app.multiselect(key="act_status").set_value(["klar"]).run()
    _select_row(app, "act_table", "Åtgärd", "Klottersanering")
    headings = [m.value for m in app.markdown]
    assert "#### Effekt: Minskade" in headings
    assert any("färre händelser på platsen" in m for m in headings)


def test_an_impossible_status_is_not_offered_and_a_bad_due_date_is_refused(
    make_app, demo_sqlite_url
):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/atgarder.py").run()
    app.multiselect(key="act_status").set_value(["klar"]).run()
    _select_row(app, "act_table", "Åtgärd", "Klottersanering")
    options = next(s for s in app.selectbox if s.key and s.key.startswith("act_status_"))
    # klar -> föreslagen makes no sense; the box starts on the current status
    assert list(options.options) == ["Pågår", "Klar (nuvarande)"]
    assert options.value == "klar"
    app.text_input(key="act_new_title").input("Ny åtgärd")
    app.date_input(key="act_new_start").set_value(dt.date(2027, 3, 1))
    app.date_input(key="act_new_due").set_value(dt.date(2027, 2, 1))
    app.button(key="act_new_save").click().run()
    assert "ligger före startdatumet" in app.error[0].value


def test_leadership_reads_actions_and_can_download_the_plan(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "ledning")
    app.switch_page("pages/atgarder.py").run()
    assert not app.exception
    assert not any(b.key == "act_new_save" for b in app.button)
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Åtgärdsplan som Excel", "Åtgärdsplan som PDF"]


def test_events_are_validated_and_saved(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/arrangemang.py").run()
    app.text_input(key="ev_f_title").input("Fotbollsturnering på idrottsplatsen")
    app.date_input(key="ev_f_start_date").set_value(dt.date(2027, 5, 20))
    app.date_input(key="ev_f_end_date").set_value(dt.date(2027, 5, 19))
    app.button(key="ev_save").click().run()
    assert "Slutet ligger före början." in app.error[0].value
    app.date_input(key="ev_f_end_date").set_value(dt.date(2027, 5, 21))
    app.button(key="ev_save").click().run()
    assert "är sparat" in app.success[0].value
    with db.make_engine(demo_sqlite_url).connect() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM event WHERE title LIKE 'Fotbollsturnering%'")
            ).scalar()
            == 1
        )


@pytest.mark.parametrize("who", ["polis", "ledning"])
def test_arrangemang_for_every_role(make_app, demo_sqlite_url, who):
    app = login(make_app(demo_sqlite_url), who)
    app.switch_page("pages/arrangemang.py").run()
    assert not app.exception and not app.error


def test_a_member_changes_only_its_own_organisations_events(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "bostader")
    app.switch_page("pages/arrangemang.py").run()
    frame = app.dataframe[0].value
    assert set(frame["Ansvarig"]) == {"Trygghet"}
    _select_row(app, "ev_table", "Vad", "Nyårsafton")  # the forum's chairs planned it
    assert not any(b.key in ("ev_save", "ev_delete") for b in app.button)
    assert any("ansvariga organisationen" in c.value for c in app.caption)
    # deselected: a new event of its own
    app.session_state["ev_table"] = {"selection": {"rows": [], "columns": []}}
    app.run()
    app.text_input(key="ev_f_title").input("Grannsamverkan, Solgården")
    app.date_input(key="ev_f_start_date").set_value(dt.date(2026, 12, 5))
    app.date_input(key="ev_f_end_date").set_value(dt.date(2026, 12, 5))
    app.button(key="ev_save").click().run()
    assert "är sparat" in app.success[0].value
    with db.make_engine(demo_sqlite_url).connect() as conn:
        owner = conn.execute(
            text(
                "SELECT o.short_name FROM event e JOIN organisation o ON o.id = e.owner_org_id "
                "WHERE e.title = 'Grannsamverkan, Solgården'"
            )
        ).scalar()
    assert owner == "Vellingebostäder"


def test_a_member_is_offered_only_its_own_organisation_as_owner(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "bostader")
    app.switch_page("pages/atgarder.py").run()
    assert app.selectbox(key="act_new_owner").options == ["Vellingebostäder"]
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/atgarder.py").run()
    assert len(app.selectbox(key="act_new_owner").options) > 5
