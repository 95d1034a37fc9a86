"""Möte through app.py: start a meeting, walk the agenda, decide live, close with minutes;
followers read along; a second chair and a meeting without decisions get clear messages."""

import datetime as dt

import streamlit as st
from sqlalchemy import text

from lagesbild import auth, db
from lagesbild.clock import local_now
from lagesbild.services import meetings, reports
from tests.app.conftest import login, tables


def _heading(app) -> str:
    return next(s.value for s in app.subheader if s.value[:2] in {f"{i}." for i in range(1, 7)})


def _next(app):
    return next(b for b in app.button if b.label == "Nästa →")


def _agenda(app):
    """The agenda control (one per meeting and step)."""
    return next(c for c in app.segmented_control if c.label == "Dagordning")


def _start(app):
    app.switch_page("pages/mote.py").run()
    app.button(key="mote_start").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    return app


def test_a_chair_runs_a_whole_meeting(make_app, demo_sqlite_url):
    app = _start(login(make_app(demo_sqlite_url), "samordnare"))
    # "since the last meeting" is the demo's previous meeting, found automatically
    assert "sedan förra mötet 2026-11-16 09:00" in app.caption[0].value
    assert _heading(app) == "1. Nytt sedan förra mötet"
    assert app.metric[0].label == "Händelser sedan förra mötet"

    seen = [_heading(app)]
    for _ in range(4):
        _next(app).click().run()
        assert not app.exception, app.exception
        seen.append(_heading(app))
    assert seen == [f"{i + 1}. {name}" for i, name in enumerate(meetings.AGENDA[:5])]

    # 5. decisions, saved at once
    app.radio(key="mote_focus_kind").set_value("hot_spot")
    app.selectbox(key="mote_focus_place").set_value(
        _place_id(demo_sqlite_url, "Vellinge busstation")
    )
    app.button(key="mote_focus_save").click().run()
    assert not app.error, [e.value for e in app.error]
    app.text_input(key="mote_act_title").input("Bättre belysning vid busstationen")
    app.selectbox(key="mote_act_owner").set_value(_org_id(demo_sqlite_url, "Teknik"))
    app.date_input(key="mote_act_due").set_value(dt.date(2027, 1, 15))
    app.button(key="mote_act_save").click().run()
    assert not app.error, [e.value for e in app.error]
    decided = tables(app)[-1]
    assert list(decided["Beslut"]) == [
        "Hot spot kommande period: Vellinge busstation",
        "Bättre belysning vid busstationen",
    ]

    _next(app).click().run()
    assert _heading(app) == "6. Återkoppling och avslut"
    app.text_area(key="mote_feedback_reporters").input("Tack för klotterrapporterna.")
    app.button(key="mote_close").click().run()
    assert not app.error, [e.value for e in app.error]
    assert "Mötet är avslutat" in app.success[0].value
    minutes = "\n".join(m.value for m in app.markdown)
    assert "Hot spot kommande period: Vellinge busstation" in minutes
    assert "| Bättre belysning vid busstationen | Teknik | – | 2027-01-15 |" in minutes
    assert "Till rapportörerna: Tack för klotterrapporterna." in minutes
    with db.make_engine(demo_sqlite_url).connect() as conn:
        status = conn.execute(
            text("SELECT status FROM action WHERE title = 'Bättre belysning vid busstationen'")
        ).scalar_one()
    assert status == "beslutad"


def _place_id(url: str, name: str) -> int:
    with db.make_engine(url).connect() as conn:
        return conn.execute(text("SELECT id FROM place WHERE name = :n"), {"n": name}).scalar_one()


def _org_id(url: str, short: str) -> int:
    with db.make_engine(url).connect() as conn:
        return conn.execute(
            text("SELECT id FROM organisation WHERE short_name = :n"), {"n": short}
        ).scalar_one()


def _open_meeting(url: str, chair: str = "samordnare") -> int:
    engine = db.make_engine(url)
    with db.transaction(engine) as s:
        user = auth.get_user(s, chair)
        orgs = [r[0] for r in s.execute(text("SELECT id FROM organisation LIMIT 3"))]
        now = local_now().replace(second=0, microsecond=0)
        return meetings.start_meeting(s, auth.actor_for(user), now, orgs, now=now).id


def test_a_late_click_from_a_screen_that_has_moved_on_moves_nothing(make_app, demo_sqlite_url):
    """The chair's click can arrive twice, or after another screen of the chair has moved the
    meeting: the move is made from the step the screen showed, or not at all – the room is
    never sent back."""
    meeting_id = _open_meeting(demo_sqlite_url)
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/mote.py").run()
    _next(app).click().run()
    assert _heading(app) == "2. Polis och räddningstjänst"
    assert _agenda(app).value == "2 Polis och RTJ"
    with db.transaction(db.make_engine(demo_sqlite_url)) as s:  # the chair's other screen
        user = auth.get_user(s, "samordnare")
        meetings.go_to_step(s, auth.actor_for(user), meeting_id, 3, from_step=1)
    _next(app).click().run()  # drawn at step 2: would have moved the meeting back to 3
    assert _heading(app) == "4. Kommande arrangemang och riskperioder"
    assert _agenda(app).value == "4 Arrangemang"
    with db.make_engine(demo_sqlite_url).connect() as conn:
        step = conn.execute(
            text("SELECT agenda_step FROM meeting WHERE id = :i"), {"i": meeting_id}
        ).scalar_one()
    assert step == 3
    _agenda(app).set_value("2 Polis och RTJ").run()  # a real pick still moves
    assert _heading(app) == "2. Polis och räddningstjänst"
    _agenda(app).set_value(None).run()  # clicking the marked step keeps it marked
    assert _heading(app) == "2. Polis och räddningstjänst"
    assert _agenda(app).value == "2 Polis och RTJ"


def test_a_member_follows_read_only(make_app, demo_sqlite_url):
    meeting_id = _open_meeting(demo_sqlite_url)
    engine = db.make_engine(demo_sqlite_url)
    app = login(make_app(demo_sqlite_url), "bostader")
    app.switch_page("pages/mote.py").run()
    assert _heading(app) == "1. Nytt sedan förra mötet"
    assert not any(b.label == "Nästa →" for b in app.button)
    assert _agenda(app).disabled
    with db.transaction(engine) as s:
        user = auth.get_user(s, "samordnare")
        meetings.go_to_step(s, auth.actor_for(user), meeting_id, 4)
    app.run()
    assert _heading(app) == "5. Beslut"
    assert not any(b.key == "mote_focus_save" for b in app.button)


def test_a_second_chair_follows_until_taking_over(make_app, demo_sqlite_url):
    _open_meeting(demo_sqlite_url, chair="admin")
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/mote.py").run()
    assert "Mötet leds av" in app.info[0].value
    assert not any(b.label == "Nästa →" for b in app.button)
    app.button(key="mote_take_over").click().run()
    assert any(b.label == "Nästa →" for b in app.button)
    with db.make_engine(demo_sqlite_url).connect() as conn:
        chair = conn.execute(
            text(
                "SELECT u.username FROM meeting m JOIN app_user u ON u.id = m.chair_user_id "
                "WHERE m.status = 'pagar'"
            )
        ).scalar_one()
    assert chair == "samordnare"


def test_closing_without_decisions_asks_first(make_app, demo_sqlite_url):
    _open_meeting(demo_sqlite_url)
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/mote.py").run()
    _agenda(app).set_value("6 Avslut").run()
    app.text_area(key="mote_feedback_leadership").input("Lugnt läge.")
    app.button(key="mote_close").click().run()
    assert "inga beslut" in app.error[0].value
    assert _heading(app) == "6. Återkoppling och avslut"  # still open, nothing lost
    assert app.text_area(key="mote_feedback_leadership").value == "Lugnt läge."
    app.checkbox(key="mote_without_decisions").check()
    app.button(key="mote_close").click().run()
    assert "Mötet är avslutat" in app.success[0].value
    assert "Till ledningen: Lugnt läge." in "\n".join(m.value for m in app.markdown)


def test_no_meeting_means_a_start_form_for_chairs_and_minutes_for_all(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "bostader")
    app.switch_page("pages/mote.py").run()
    assert "Inget möte pågår" in app.info[0].value
    assert not any(b.key == "mote_start" for b in app.button)
    assert app.selectbox(key="mote_earlier").value is not None
    assert any(m.value.startswith("# Protokoll 2026-11-16") for m in app.markdown)


def _in_order(node):
    """The page's elements in the order they are drawn: (kind, text) pairs."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for key in sorted(children):
            yield from _in_order(children[key])
        return
    text = getattr(node, "label", None) or getattr(node, "value", None)
    yield node.type, text if isinstance(text, str) else ""


def _close(app) -> None:
    _agenda(app).set_value("6 Avslut").run()
    app.checkbox(key="mote_without_decisions").check()
    app.button(key="mote_close").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]


def test_starting_goes_straight_to_a_clean_step_one(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/mote.py").run()
    assert any(s.value == "Starta mötet" for s in app.subheader)
    _start(app)
    shown = list(_in_order(app.main))
    assert ("subheader", "1. Nytt sedan förra mötet") in shown
    # nothing of the start form or the earlier minutes is left on the screen
    assert not any(text in {"Starta mötet", "Tidigare möten"} for _, text in shown), shown
    assert not any(b.key in {"mote_start", "mote_minutes_pdf"} for b in app.button)
    assert not any(m.value.startswith("# Protokoll") for m in app.markdown)


def test_after_closing_the_minutes_of_that_meeting_lead(make_app, demo_sqlite_url):
    meeting_id = _open_meeting(demo_sqlite_url)
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/mote.py").run()
    _close(app)
    for _ in range(2):  # right after closing, and on the runs that follow
        shown = [text for _, text in _in_order(app.main)]
        minutes_at = next(i for i, t in enumerate(shown) if t.startswith("# Protokoll"))
        start_at = shown.index("Starta mötet")
        assert minutes_at < start_at, shown
        assert "Mötet är avslutat" in app.success[0].value
        assert app.selectbox(key="mote_earlier").value == meeting_id
        assert not any(s.value.startswith("1.") for s in app.subheader)
        app.run()


def test_a_follower_sees_the_minutes_when_the_chair_closes(make_app, demo_sqlite_url):
    meeting_id = _open_meeting(demo_sqlite_url)
    app = login(make_app(demo_sqlite_url), "bostader")
    app.switch_page("pages/mote.py").run()
    assert _heading(app) == "1. Nytt sedan förra mötet"
    with db.transaction(db.make_engine(demo_sqlite_url)) as s:
        chair = auth.actor_for(auth.get_user(s, "samordnare"))
        meetings.close_meeting(s, chair, meeting_id, "Forum", 55.4, without_decisions=True)
    app.run()
    assert "Mötet är avslutat" in app.success[0].value
    assert app.selectbox(key="mote_earlier").value == meeting_id
    assert not any(s.value.startswith("1.") for s in app.subheader)


def test_step_one_shows_the_hot_spots_of_the_hot_spots_page(make_app, demo_sqlite_url):
    """The meeting's step 1 and the Hot spots page show the same hot spots the same day, and
    the meeting names the window (the page's 4 weeks, not the days since the last meeting)."""
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/hotspots.py").run()
    on_page = next(m for m in app.metric if m.label == "Hot spots").value
    listed = list(app.dataframe[0].value["Plats"])
    _start(app)
    metric = next(m for m in app.metric if m.label == "Hot spots")
    assert metric.proto.delta == "senaste 4 veckorna"
    assert metric.value == on_page and int(on_page) >= 1
    assert any("senaste 4 veckorna" in m.value for m in app.markdown)
    shown = next(t for t in tables(app) if "Plats" in t.columns)
    assert set(shown["Plats"]) == set(listed[:4])  # the order may differ by visibility


def test_a_report_sent_during_the_meeting_counts_at_once(make_app, demo_sqlite_url):
    """Its time is the current minute: the meeting's "since the last meeting" counts it on
    the next run, not only once the clock has passed that minute."""
    _open_meeting(demo_sqlite_url)
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/mote.py").run()
    before = app.metric[0].value
    engine = db.make_engine(demo_sqlite_url)
    with db.transaction(engine) as s:
        member = auth.actor_for(auth.get_user(s, "bostader"))
        klotter = s.execute(text("SELECT id FROM category WHERE name = 'Klotter'")).scalar()
        now = local_now().replace(second=0, microsecond=0)
        item = reports.IncidentInput(category_id=klotter, lat=55.4739, lon=13.0263, occurred_at=now)
        reports.create_report(s, member, [item])
    st.cache_data.clear()  # as after every write from a page (`ui.write.call`)
    app.run()
    assert int(app.metric[0].value) == int(before) + 1


def test_moving_between_steps_keeps_the_rooms_cached_figures(
    make_app, demo_sqlite_url, monkeypatch
):
    """Only the meeting's step changes when the chair moves on, so the cached figures stay:
    dropping them all made every step change recompute the room's picture while every screen
    waited. A decision does drop them (it writes an action or a decision)."""
    app = _start(login(make_app(demo_sqlite_url), "samordnare"))
    cleared: list[int] = []
    drop = st.cache_data.clear
    monkeypatch.setattr(st.cache_data, "clear", lambda: (cleared.append(1), drop())[1])
    for _ in range(4):
        _next(app).click().run()
    back = next(b for b in app.button if b.label == "← Föregående")
    back.click().run()
    _agenda(app).set_value("5 Beslut").run()
    assert _heading(app) == "5. Beslut" and not app.error
    assert cleared == []
    app.text_area(key="mote_other_text").input("Bjud in skolans rektor")
    app.button(key="mote_other_save").click().run()
    assert not app.error and cleared, "a decision must drop the cached figures"
