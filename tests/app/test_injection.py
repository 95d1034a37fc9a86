"""Nothing injected through the screen: text someone typed, or a value in the address, is shown
as the characters it is – never as a link or an image in the app's own voice – and a link
with impossible dates gets a Swedish notice instead of an error code."""

import datetime as dt
import re

import pytest
from sqlalchemy import create_engine, text

from lagesbild import db
from lagesbild.demo import build_demo
from lagesbild.fmt import md_escape
from tests.app.conftest import login, tables
from tests.conftest import DEMO_NOW, DEMO_SEED

IMAGE = "![x](http://evil.example/x.png)"
LINK = "[klicka](http://evil.example)"
TITLE = f"Belysning {IMAGE} {LINK}"
DESCRIPTION = f"Se {LINK} och {IMAGE}\n# Rubrik\n- punkt **fet**"
ROLE = f"driftchef {LINK}"


def shown_as_markdown(app) -> list[str]:
    """Every body and label the app hands to Streamlit's Markdown renderer."""
    bodies = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "latex"):
        bodies += [e.value for e in getattr(app, kind)]
    for kind in ("success", "info", "warning", "error", "toast"):
        bodies += [e.value for e in getattr(app, kind)]
    for kind in ("button", "checkbox", "toggle", "radio", "expander", "tabs", "metric"):
        bodies += [e.label for e in getattr(app, kind)]
    return bodies


LIVE = re.compile(r"(?m)(?<!\\)\[[^\]]*(?<!\\)\]\(|https?://|^\s*#+ Rubrik")


def assert_nothing_live(app) -> None:
    """No image or link Markdown and no working address in anything rendered as Markdown."""
    live = [body for body in shown_as_markdown(app) if LIVE.search(body)]
    assert live == [], live


def _open_action(app, title: str) -> None:
    frame = app.dataframe[0].value
    rows = [i for i, v in enumerate(frame["Åtgärd"]) if v == title]
    assert rows, list(frame["Åtgärd"])
    app.session_state["act_table"] = {"selection": {"rows": [rows[0]], "columns": []}}
    app.run()


@pytest.fixture
def small_demo_url(db_url) -> str:
    """A small demo forum of its own (2,000 incidents) on each backend, to write in."""
    engine = db.make_engine(db_url)
    try:
        build_demo(engine, seed=DEMO_SEED, now=DEMO_NOW, incidents=2_000)
    finally:
        engine.dispose()
    return db_url


def test_an_actions_texts_are_shown_escaped_to_everyone(make_app, small_demo_url):
    """Stored by one member and read back by another: on SQLite and PostgreSQL alike."""
    writer = login(make_app(small_demo_url), "bostader")
    writer.switch_page("pages/atgarder.py").run()
    writer.text_input(key="act_new_title").input(TITLE)
    writer.text_area(key="act_new_description").input(DESCRIPTION)
    writer.text_input(key="act_new_role").input(ROLE)
    writer.date_input(key="act_new_due").set_value(dt.date(2027, 3, 1))
    writer.button(key="act_new_save").click().run()
    assert f"Åtgärden ”{md_escape(TITLE)}” är sparad." == writer.success[0].value, [
        e.value for e in writer.error
    ]
    assert_nothing_live(writer)

    reader = login(make_app(small_demo_url), "samordnare")
    reader.switch_page("pages/atgarder.py").run()
    reader.segmented_control(key="act_whose").set_value("Alla").run()
    _open_action(reader, TITLE)
    assert not reader.exception
    assert md_escape(TITLE) in [s.value for s in reader.subheader]
    assert DESCRIPTION in [t.value for t in reader.text]  # plain text, exactly as typed
    assert any(md_escape(ROLE) in m.value for m in reader.markdown)
    assert_nothing_live(reader)


def test_values_in_the_address_give_an_escaped_notice(make_app, demo_sqlite_url):
    app = make_app(demo_sqlite_url)
    app.query_params.update({"period": IMAGE, "omrade": LINK, "kategori": "<b>x</b>"})
    login(app, "samordnare")
    app.switch_page("pages/trender.py").run()
    assert not app.exception and not app.error
    warnings = [w.value for w in app.warning]
    assert f"Okänd period ”{md_escape(IMAGE)}” i länken" in " ".join(warnings), warnings
    assert any(md_escape(LINK) in w for w in warnings), warnings
    assert not any("<b>" in w for w in warnings), warnings
    assert_nothing_live(app)


def test_a_report_period_in_the_address_gives_an_escaped_notice(make_app, demo_sqlite_url):
    app = make_app(demo_sqlite_url)
    app.query_params["period"] = LINK
    app = login(app, "ledning")
    assert not app.exception
    assert any(md_escape(LINK) in w.value for w in app.warning), [w.value for w in app.warning]
    assert_nothing_live(app)


def test_a_link_with_the_years_0001_and_9999_gets_a_swedish_notice(make_app, demo_sqlite_url):
    app = make_app(demo_sqlite_url)
    app.query_params.update({"period": "egen", "fran": "0001-01-01", "till": "9999-12-31"})
    login(app, "samordnare")
    for page in ("pages/trender.py", "pages/karta.py", "pages/handelser.py"):
        app.switch_page(page).run()
        assert not app.exception and not app.error, [e.value for e in app.error]
    assert app.date_input(key="flt_range").value == (dt.date(1970, 1, 1), dt.date(2026, 11, 21))
    assert app.query_params["fran"] == "1970-01-01" and app.query_params["till"] == "2026-11-21"


def test_the_notice_for_impossible_dates_is_swedish(make_app, demo_sqlite_url):
    app = make_app(demo_sqlite_url)
    app.query_params.update({"period": "egen", "fran": "0001-01-01", "till": "9999-12-31"})
    login(app, "samordnare")
    app.switch_page("pages/trender.py").run()
    warnings = " ".join(w.value for w in app.warning)
    assert "Datumet 0001-01-01 i länken ligger utanför det som kan visas" in warnings
    assert "Datumet 9999-12-31" in warnings and "ändrats till 2026-11-21" in warnings
    assert "felkod" not in " ".join(e.value for e in app.error)


def test_a_meetings_decisions_and_minutes_are_shown_escaped(make_app, demo_sqlite_url):
    decision = f"Beslut: {LINK} {IMAGE}"
    app = login(make_app(demo_sqlite_url), "samordnare")
    app.switch_page("pages/mote.py").run()
    app.button(key="mote_start").click().run()
    for _ in range(4):
        next(b for b in app.button if b.label == "Nästa →").click().run()
    app.text_area(key="mote_other_text").input(decision)
    app.button(key="mote_other_save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    # the meeting's tables are plain HTML: the text as typed, never a link or an image
    table = tables(app)[-1]
    assert decision in list(table["Beslut"]), list(table["Beslut"])
    drawn = "".join(e.value for e in app.html)
    assert "<a " not in drawn and "<img" not in drawn and "evil.example" in drawn
    next(b for b in app.button if b.label == "Nästa →").click().run()
    app.text_area(key="mote_feedback_reporters").input(f"Tack! {IMAGE}")
    app.button(key="mote_close").click().run()
    assert not app.error, [e.value for e in app.error]
    minutes = "\n".join(m.value for m in app.markdown)
    assert md_escape(decision) in minutes and md_escape(f"Tack! {IMAGE}") in minutes
    assert_nothing_live(app)


def test_an_organisations_name_is_shown_escaped_in_the_event_form(make_app, demo_sqlite_url):
    """A member whose organisation has a name with a link sees it as typed where the event
    form names the owner (it was once written into the caption as Markdown)."""
    engine = create_engine(demo_sqlite_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE organisation SET short_name = :name WHERE id = "
                "(SELECT organisation_id FROM app_user WHERE username = 'bostader')"
            ),
            {"name": f"VB {LINK}"},
        )
    engine.dispose()
    member = login(make_app(demo_sqlite_url), "bostader")
    member.switch_page("pages/arrangemang.py").run()
    assert not member.exception
    assert f"Ansvarig: VB {md_escape(LINK)}" in [c.value for c in member.caption]
    assert_nothing_live(member)
