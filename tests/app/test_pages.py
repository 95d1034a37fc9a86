"""Every page renders with the demo forum and with an empty database; forms write what they
say and keep what was typed when they refuse."""

import pytest

from lagesbild import auth, db
from lagesbild.actor import SYSTEM
from lagesbild.demo import DEMO_PASSWORD
from lagesbild.models import Organisation
from lagesbild.ui.navigation import PAGES
from tests.app.conftest import login, texts

EMPTY_ADMIN_PASSWORD = "tom-databas-1234"

REFUSED = "Inget sparades. Rätta följande och försök igen:"


@pytest.fixture
def empty_url(sqlite_url) -> str:
    """A database with one organisation and one admin, and nothing else."""
    with db.transaction(db.make_engine(sqlite_url)) as session:
        org = Organisation(name="Kommunen", short_name="Kommunen", kind="kommun")
        session.add(org)
        session.flush()
        auth.create_user(
            session,
            SYSTEM,
            username="admin",
            display_name="Admin",
            organisation_id=org.id,
            role="admin",
            password=EMPTY_ADMIN_PASSWORD,
        )
    return sqlite_url


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_renders_with_the_demo_forum(make_app, demo_sqlite_url, spec):
    app = login(make_app(demo_sqlite_url), "admin")
    app.switch_page(spec.path).run()
    assert not app.exception
    assert not app.error, texts(app.error)
    assert texts(app.title)[0].startswith(spec.title)


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_renders_with_an_empty_database(make_app, empty_url, spec):
    app = login(make_app(empty_url), "admin", EMPTY_ADMIN_PASSWORD)
    app.switch_page(spec.path).run()
    assert not app.exception
    assert not app.error, texts(app.error)


def test_overview_shows_the_week_actions_and_next_meeting(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "samordnare")
    labels = [m.label for m in app.metric]
    assert labels[0].startswith("Händelser vecka ") and labels[0].endswith(" hittills")
    assert "Öppna åtgärder" in labels
    assert {"Nästa möte", "Möte pågår"} & set(labels)
    assert "Senast rapporterat" in texts(app.subheader)
    latest = app.dataframe[0].value
    assert list(latest.columns) == [
        "Inträffade",
        "Kategori",
        "Grupp",
        "Plats",
        "Rapporterad av",
        "Antal",
    ]
    assert len(latest) == 10


def test_overview_on_an_empty_database_explains_itself(make_app, empty_url):
    app = login(make_app(empty_url), "admin", EMPTY_ADMIN_PASSWORD)
    infos = texts(app.info)
    assert "Inga händelser är rapporterade ännu." in infos
    assert "Inga öppna åtgärder." in infos
    assert any(m.label == "Nästa möte" and m.value == "Inget planerat" for m in app.metric)


def _submit(app, form_key, values):
    for widget in app.text_input:
        if widget.label in values:
            widget.input(values[widget.label])
    next(b for b in app.button if b.label == form_key).click()
    return app.run()


def test_change_password_refuses_then_succeeds_and_keeps_the_session(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "polis")
    app.switch_page("pages/konto.py").run()
    _submit(
        app,
        "Byt lösenord",
        {
            "Nuvarande lösenord": "fel",
            "Nytt lösenord": "nytt-losen-123",
            "Nytt lösenord igen": "nytt-losen-123",
        },
    )
    assert "Nuvarande lösenord stämmer inte." in app.error[0].value
    assert app.error[0].value.startswith(REFUSED)  # as every other form says it
    assert {t.label: t.value for t in app.text_input}["Nytt lösenord"] == "nytt-losen-123"
    _submit(
        app,
        "Byt lösenord",
        {
            "Nuvarande lösenord": DEMO_PASSWORD,
            "Nytt lösenord": "nytt-losen-123",
            "Nytt lösenord igen": "nytt-losen-123",
        },
    )
    assert "Lösenordet är bytt" in app.success[0].value
    app.run()
    assert texts(app.title) == ["Mitt konto"]  # this session continues
    result = auth.verify_login(db.make_engine(demo_sqlite_url), "polis", "nytt-losen-123")
    assert result.outcome is auth.LoginOutcome.OK


def test_admin_adds_a_user_and_sees_the_password_once(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "admin")
    app.switch_page("pages/anvandare.py").run()
    _submit(app, "Lägg till", {"Användarnamn": "samordnare", "Visningsnamn": "Dubblett"})
    assert "Användarnamnet ”samordnare” är upptaget." in app.error[0].value
    assert {t.label: t.value for t in app.text_input}["Visningsnamn"] == "Dubblett"
    _submit(app, "Lägg till", {"Användarnamn": "brandman", "Visningsnamn": "Brandman"})
    assert not app.error
    message = app.success[0].value
    assert "brandman" in message
    password = message.split("`")[1]
    engine = db.make_engine(demo_sqlite_url)
    assert auth.verify_login(engine, "brandman", password).outcome is auth.LoginOutcome.OK
    app.run()
    assert not app.success  # shown only once
    assert "brandman" in list(app.dataframe[0].value["Användarnamn"])
