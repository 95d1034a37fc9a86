"""Forms that cannot trap, through app.py: the status box starts on the current status and a
second click changes nothing; a form holds only its own declared values (not another page's,
record's or user's, and local times); every save confirms right below its button and as a toast,
with the form emptied."""

import datetime as dt

from sqlalchemy import text

from lagesbild import db
from lagesbild.clock import local_now
from tests.app.conftest import login


def _flat(node) -> list:
    """The page's elements in the order they are drawn."""
    children = getattr(node, "children", None)
    if children is None:
        return [node]
    return [e for i in sorted(children) for e in _flat(children[i])]


def _confirmed_after(app, button_key: str, words: str) -> None:
    """The confirmation is drawn after the form's button (the next thing the user sees) and
    was shown as a toast too."""
    order = _flat(app.main)
    keys = [getattr(e, "key", None) for e in order]
    assert button_key in keys, f"{button_key} not drawn"
    confirmations = [
        i for i, e in enumerate(order) if e.type == "success" and words in str(e.value)
    ]
    assert confirmations, [str(e.value) for e in app.success]
    assert confirmations[0] > keys.index(button_key)
    assert any(words in t.value for t in app.toast), [t.value for t in app.toast]


def _one(url: str, sql: str, **params):
    with db.make_engine(url).connect() as conn:
        return conn.execute(text(sql), params).one()


def _pick_action(app, title: str) -> None:
    """Mark the action's row in the Åtgärder table (drawn anew after every save)."""
    key = "act_table"
    if "lb_act_table_generation" in app.session_state:
        key += f"_{app.session_state['lb_act_table_generation']}"
    frame = app.dataframe[0].value
    rows = [i for i, v in enumerate(frame["Åtgärd"]) if title in str(v)]
    assert rows, f"{title!r} not in {list(frame['Åtgärd'])}"
    app.session_state[key] = {"selection": {"rows": [rows[0]], "columns": []}}
    app.run()


def _status_form(app):
    box = next(s for s in app.selectbox if s.key and s.key.startswith("act_status_"))
    prefix = box.key.removesuffix("status")
    return box, app.text_input(key=f"{prefix}note"), app.button(key=f"{prefix}save")


def test_the_status_box_starts_on_the_current_status_and_a_second_click_changes_nothing(
    make_app, demo_sqlite_url
):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/atgarder.py").run()
    title, action_id, before = _one(
        demo_sqlite_url,
        "SELECT title, id, (SELECT count(*) FROM action_status_change h WHERE h.action_id = "
        "a.id) FROM action a WHERE status = 'beslutad' ORDER BY id LIMIT 1",
    )
    _pick_action(app, title)
    box, note, save = _status_form(app)
    assert box.value == "beslutad"  # not a step back to "föreslagen"
    assert box.format_func("beslutad") == "Beslutad (nuvarande)"

    note.input("Ingen ändring")
    save.click().run()
    assert any("Ingenting ändrades" in i.value for i in app.info)
    assert _one(demo_sqlite_url, "SELECT status FROM action WHERE id = :i", i=action_id)[0] == (
        "beslutad"
    )

    box, note, save = _status_form(app)
    box.set_value("pagar")
    note.input("Arbetet har börjat")
    save.click().run()
    assert not app.error, [e.value for e in app.error]
    _confirmed_after(app, save.key, "är nu pågår")
    # use it twice: the form starts again from the new status, the comment emptied
    box, note, save = _status_form(app)
    assert (box.value, note.value) == ("pagar", "")
    assert box.format_func("pagar") == "Pågår (nuvarande)"
    save.click().run()
    assert any("Ingenting ändrades" in i.value for i in app.info)
    assert not app.success
    status, changes = _one(
        demo_sqlite_url,
        "SELECT status, (SELECT count(*) FROM action_status_change h WHERE h.action_id = a.id) "
        "FROM action a WHERE id = :i",
        i=action_id,
    )
    assert (status, changes) == ("pagar", before + 1)

    # the page opened a second time in the same session
    app.switch_page("pages/oversikt.py").run()
    app.switch_page("pages/atgarder.py").run()
    _pick_action(app, title)
    box, note, _ = _status_form(app)
    assert (box.value, note.value) == ("pagar", "")
    assert not app.success


def test_the_status_box_in_the_meeting_does_not_move_an_action_back(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/mote.py").run()
    app.button(key="mote_start").click().run()
    for _ in range(2):
        next(b for b in app.button if b.label == "Nästa →").click().run()
    assert any(s.value == "3. Uppföljning av åtgärder" for s in app.subheader)
    box = next(s for s in app.selectbox if s.key and s.key.startswith("mote_status_"))
    action_id = int(box.key.split("_")[2])
    current = _one(demo_sqlite_url, "SELECT status FROM action WHERE id = :i", i=action_id)[0]
    assert box.value == current
    prefix = box.key.removesuffix("status")
    app.button(key=f"{prefix}save").click().run()
    assert any("Ingenting ändrades" in i.value for i in app.info)

    forward = "pagar" if current == "beslutad" else "beslutad"
    box = app.selectbox(key=f"{prefix}status")
    box.set_value(forward)
    app.text_input(key=f"{prefix}note").input("Beslutat på mötet")
    app.button(key=f"{prefix}save").click().run()
    assert not app.error, [e.value for e in app.error]
    _confirmed_after(app, f"{prefix}save", "är nu")
    assert app.selectbox(key=f"{prefix}status").value == forward
    assert app.text_input(key=f"{prefix}note").value == ""
    app.button(key=f"{prefix}save").click().run()  # once more: nothing moves
    assert _one(demo_sqlite_url, "SELECT status FROM action WHERE id = :i", i=action_id)[0] == (
        forward
    )


EVENT_DEFAULTS = {
    "ev_f_title": "",
    "ev_f_place": None,
    "ev_f_area": None,
    "ev_f_impact": "medel",
    "ev_f_kind": "arrangemang",
    "ev_f_start_time": dt.time(18, 0),
    "ev_f_end_time": dt.time(23, 0),
}


def _event_form(app) -> dict:
    return {key: app.session_state[key] for key in EVENT_DEFAULTS}


def _places(url) -> dict:
    with db.make_engine(url).connect() as conn:
        return dict(conn.execute(text("SELECT name, id FROM place")).all())


def test_arrangemang_comes_back_with_its_own_values_after_a_page_switch(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/arrangemang.py").run()
    assert _event_form(app) == EVENT_DEFAULTS
    assert app.date_input(key="ev_f_start_date").value == local_now().date()
    app.text_input(key="ev_f_title").input("Halvfärdigt")
    app.selectbox(key="ev_f_place").set_value(_places(demo_sqlite_url)["Solgården"])
    app.selectbox(key="ev_f_impact").set_value("hog").run()

    app.switch_page("pages/rapportera.py").run()
    # the report form's time is the forum's local time, not the server's
    shown = dt.datetime.combine(local_now().date(), app.time_input(key="rep_0_time").value)
    assert abs(shown - local_now()) < dt.timedelta(minutes=2)
    app.switch_page("pages/arrangemang.py").run()
    assert _event_form(app) == EVENT_DEFAULTS
    shown = {s.label: s.value for s in app.selectbox}
    assert shown["Plats"] is None and shown["Område"] is None
    assert [t.value for t in app.time_input] == [dt.time(18, 0), dt.time(23, 0)]


def test_another_user_in_the_same_browser_tab_sees_nothing_of_the_first(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/arrangemang.py").run()
    app.text_input(key="ev_f_title").input("Samordnarens utkast")
    app.switch_page("pages/atgarder.py").run()
    app.text_input(key="act_new_title").input("Samordnarens åtgärd")
    app.date_input(key="act_new_due").set_value(dt.date(2027, 3, 1))
    app.button(key="act_new_save").click().run()
    assert not app.error, [e.value for e in app.error]
    app.button(key="lb_logout").click().run()

    login(app, "bostader")  # back on Åtgärder, where the first user left
    assert app.text_input(key="act_new_title").value == ""
    assert not app.success and not app.toast
    app.switch_page("pages/arrangemang.py").run()
    assert _event_form(app) == EVENT_DEFAULTS
    app.switch_page("pages/atgarder.py").run()
    assert app.selectbox(key="act_new_owner").options == ["Vellingebostäder"]
    assert app.selectbox(key="act_new_owner").value is not None
    app.text_input(key="act_new_title").input("Belysning i garaget")
    app.date_input(key="act_new_due").set_value(dt.date(2027, 3, 1))
    app.button(key="act_new_save").click().run()
    _confirmed_after(app, "act_new_save", "”Belysning i garaget” är sparad")
    # emptied for the next one, still owned by the user's own organisation
    assert app.text_input(key="act_new_title").value == ""
    assert app.selectbox(key="act_new_owner").options == ["Vellingebostäder"]


def test_a_report_confirms_below_its_button_and_empties_the_form(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "polis")
    app.switch_page("pages/rapportera.py").run()
    with db.make_engine(demo_sqlite_url).connect() as conn:
        group, category = conn.execute(
            text(
                "SELECT g.id, c.id FROM category c JOIN category_group g ON g.id = c.group_id "
                "WHERE c.name = 'Klotter'"
            )
        ).one()
    app.selectbox(key="rep_0_group").set_value(group).run()
    app.selectbox(key="rep_0_category").set_value(category)
    app.selectbox(key="rep_0_place").set_value(_places(demo_sqlite_url)["Solgården"])
    app.number_input(key="rep_0_count").set_value(4)
    app.text_area(key="rep_0_description").input("Taggar på garaget")
    app.button(key="rep_send").click().run()
    assert not app.error, [e.value for e in app.error]
    _confirmed_after(app, "rep_send", "Tack! Rapporten är sparad")
    assert app.text_area(key="rep_0_description").value == ""
    assert app.number_input(key="rep_0_count").value == 1
    assert app.selectbox(key="rep_0_place").value is None
    assert app.selectbox(key="rep_0_group").value is None
    app.run()  # the confirmation is shown once
    assert not app.success


def test_an_unsafe_place_confirms_below_its_button(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "polis")
    app.switch_page("pages/otrygg-plats.py").run()
    app.selectbox(key="obs_reason").set_value("belysning")
    app.selectbox(key="obs_place").set_value(_places(demo_sqlite_url)["Lärkparken"])
    app.text_area(key="obs_remedy").input("Byt armaturerna")
    app.button(key="obs_save").click().run()
    _confirmed_after(app, "obs_save", "Tack! Platsen är sparad")
    assert app.selectbox(key="obs_reason").value is None
    assert app.text_area(key="obs_remedy").value == ""


def test_an_edited_action_confirms_below_its_button(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/atgarder.py").run()
    title = _one(demo_sqlite_url, "SELECT title FROM action WHERE status = 'pagar' LIMIT 1")[0]
    _pick_action(app, title)
    app.text_input(key="act_edit_role").input("Driftchef")
    app.button(key="act_edit_save").click().run()
    assert not app.error, [e.value for e in app.error]
    _confirmed_after(app, "act_edit_save", "Ändringarna är sparade")
    assert app.text_input(key="act_edit_role").value == "Driftchef"  # the saved action again
    assert app.subheader[0].value == title


def test_an_import_confirms_where_the_form_was_and_empties_the_file(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/import.py").run()
    app.selectbox(key="imp_source").set_value("__ny__").run()
    app.text_input(key="imp_new_source").input("Teknik felanmälan")
    content = "Datum;Kategori;Plats;Beskrivning\n2026-11-20 21:30;Klotter;Solgården;Taggar\n"
    app.file_uploader(key="imp_file").upload("felanmalan.csv", content.encode(), "text/csv")
    app.run()
    app.button(key="imp_check").click().run()
    next(b for b in app.button if b.label.startswith("Importera ")).click().run()
    assert not app.error, [e.value for e in app.error]
    order = _flat(app.main)
    uploader = next(i for i, e in enumerate(order) if e.type == "file_uploader")
    done = next(i for i, e in enumerate(order) if "importerades" in str(getattr(e, "value", "")))
    assert done > uploader
    assert any("importerades" in t.value for t in app.toast)
    assert not app.file_uploader[0].value  # an empty field for the next file


def test_a_refused_save_is_explained_beside_the_form(make_app, demo_sqlite_url):
    """Every save goes through one helper: a refusal that is neither bad input nor a collision
    (here: someone else removed the event first) is a Swedish message beside the form, not the
    page's error boundary, and the next click works again."""
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/arrangemang.py").run()
    title = app.dataframe[0].value.iloc[0]["Vad"]
    app.session_state["ev_table"] = {"selection": {"rows": [0], "columns": []}}
    app.run()
    with db.make_engine(demo_sqlite_url).begin() as conn:
        conn.execute(text("DELETE FROM event WHERE title = :t"), {"t": title})
    app.button(key="ev_delete").click().run()
    assert not app.exception
    assert [e.value for e in app.error] == ["Arrangemanget finns inte."]
    assert not any("gick fel" in str(e.value) for e in [*app.error, *app.warning])
