"""Login, roles and the app shell, through app.py as the browser runs it."""

import re

import pytest
from sqlalchemy import select

from lagesbild import auth, clock, db
from lagesbild.actor import SYSTEM
from lagesbild.models import AuditLog, Role
from lagesbild.ui.navigation import PAGES, START_PAGE, pages_for
from tests.app.conftest import login, texts

ROLE_USERS = {"admin": "admin", "samordnare": "samordnare", "medlem": "polis", "ledning": "ledning"}


@pytest.fixture
def app(make_app, demo_sqlite_url):
    return make_app(demo_sqlite_url)


def test_login_page_is_swedish_and_shows_the_forum(app):
    app.run()
    assert not app.exception
    assert texts(app.title) == ["Lägesbild"]
    assert "Trygghetsforum Vellinge (demo)" in texts(app.subheader)
    assert {t.label for t in app.text_input} == {"Användarnamn", "Lösenord"}
    assert any(b.label == "Logga in" for b in app.button)


@pytest.mark.parametrize("username", ["polis", "finns-inte"])
def test_wrong_password_or_unknown_user_gives_a_swedish_error(app, username):
    login(app, username, "fel-losenord")
    assert not app.exception
    assert texts(app.error) == ["Fel användarnamn eller lösenord."]
    assert texts(app.title) == ["Lägesbild"]


def test_disabled_user_is_told_so(app, demo_sqlite_url):
    with db.transaction(db.make_engine(demo_sqlite_url)) as session:
        auth.set_active(session, SYSTEM, "polis", False)
    login(app, "polis")
    assert texts(app.error) == ["Kontot är avstängt. Kontakta forumets administratör."]


@pytest.mark.parametrize("username", ["polis", "finns-inte"])
def test_repeated_failures_are_throttled_alike_for_known_and_unknown_users(app, username):
    for _ in range(auth.MAX_FAILED_LOGINS):
        login(app, username, "fel-losenord")
    login(app, username)  # from an unknown browser even the right password waits
    assert texts(app.error) == ["För många misslyckade inloggningsförsök. Försök igen om 1 minut."]


def _log_out(app):
    next(b for b in app.sidebar.button if b.label == "Logga ut").click()
    app.run()


def test_guesses_elsewhere_do_not_keep_the_owner_out(make_app, demo_sqlite_url):
    """Each AppTest is one browser tab; the owner's tab has logged in before (a known
    browser), the guesser's has not."""
    owner = login(make_app(demo_sqlite_url), "polis")
    assert texts(owner.title) == ["Översikt"]
    _log_out(owner)
    guesser = make_app(demo_sqlite_url)
    for _ in range(auth.MAX_FAILED_LOGINS + 3):
        login(guesser, "polis", "fel-losenord")
    login(guesser, "polis")
    assert texts(guesser.error)[0].startswith("För många misslyckade inloggningsförsök")
    login(owner, "polis")
    assert not owner.error and texts(owner.title) == ["Översikt"]
    with db.transaction(db.make_engine(demo_sqlite_url)) as session:
        verbs = session.scalars(
            select(AuditLog.verb).where(AuditLog.verb.like("login%")).order_by(AuditLog.id)
        ).all()
    fails = auth.MAX_FAILED_LOGINS
    assert verbs == ["login"] + ["login_failed"] * fails + ["login_throttled"] * 4 + ["login"]


def test_successful_login_shows_the_overview(app):
    login(app, "samordnare")
    assert not app.exception and not app.error
    assert texts(app.title) == ["Översikt"]
    assert "Trygghetssamordnare · Trygghet · Samordnare" in texts(app.sidebar.caption)


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_each_role_sees_exactly_its_pages(app, role):
    login(app, ROLE_USERS[role])
    assert texts(app.title) == [
        next(p.title for p in PAGES if p.url_path == START_PAGE[Role(role)])
    ]
    allowed = {p.path for p in pages_for(role)}
    for spec in PAGES:
        if spec.path in allowed:
            app.switch_page(spec.path).run()
            assert not app.exception, spec.path
            assert texts(app.title)[0].startswith(spec.title)
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                app.switch_page(spec.path)


def _cookies_written(app) -> dict[str, tuple[str, str]]:
    """The cookies the page's script sets: name -> (token, attributes)."""
    script = next(h.proto.body for h in app.sidebar if type(h).__name__ == "Html")
    cookies = {}
    for text in re.findall(r'document\.cookie = "([^"]*)" \+ secure;', script):
        name_value, _, attributes = text.partition("; ")
        name, _, value = name_value.partition("=")
        cookies[name] = (value, attributes)
    assert 'location.protocol === "https:" ? "; Secure"' in script  # Secure over HTTPS
    return cookies


def test_login_writes_a_cookie_with_its_issue_time_and_a_device_cookie(app, demo_sqlite_url):
    login(app, "polis")
    cookies = _cookies_written(app)
    assert set(cookies) == {"lagesbild_inloggning", "lagesbild_inloggning_enhet"}
    assert all("SameSite=Strict" in attributes for _, attributes in cookies.values())
    with db.transaction(db.make_engine(demo_sqlite_url)) as session:
        secret = auth.installation_cookie_secret(session)
    now = clock.epoch()
    username, issued = auth.login_token_issued_at(
        cookies["lagesbild_inloggning"][0], secret, 14, now
    )
    assert username == "polis" and now - 120 < issued <= now
    assert auth.device_from_token(cookies["lagesbild_inloggning_enhet"][0], secret, "polis")


class _Browser:
    """What a browser tab sends when it opens a session: its cookies."""

    def __init__(self, cookies: dict[str, str]):
        self.cookies = cookies


@pytest.fixture
def runs(monkeypatch):
    """How many times app.py has run (its login gate is reached once per run)."""
    from lagesbild.ui import login as login_module

    count = [0]
    gate = login_module.login_gate

    def counted(ctx):
        count[0] += 1
        return gate(ctx)

    monkeypatch.setattr(login_module, "login_gate", counted)
    return count


def _open_with(monkeypatch, cookies: dict[str, str]) -> None:
    monkeypatch.setattr("streamlit.runtime.context._get_client_context", lambda: _Browser(cookies))


def test_a_valid_cookie_opens_a_new_session_in_one_run(
    make_app, demo_sqlite_url, monkeypatch, runs
):
    first = login(make_app(demo_sqlite_url), "polis")
    cookies = {name: value for name, (value, _) in _cookies_written(first).items()}
    _open_with(monkeypatch, cookies)
    runs[0] = 0
    tab = make_app(demo_sqlite_url).run()  # a new browser tab with the cookie
    assert not tab.exception and not tab.error
    assert texts(tab.title) == ["Översikt"]
    assert any("Polis" in c for c in texts(tab.sidebar.caption)), texts(tab.sidebar.caption)
    assert runs[0] == 1  # no second run to get past the login page
    assert tab.session_state["username"] == "polis"
    # the cookie is already in the browser: nothing is written again
    assert not [h for h in tab.sidebar if type(h).__name__ == "Html"]


def test_a_revoked_or_forged_cookie_shows_the_login_page_in_one_run(
    make_app, demo_sqlite_url, monkeypatch, runs
):
    first = login(make_app(demo_sqlite_url), "polis")
    token = _cookies_written(first)["lagesbild_inloggning"][0]
    _log_out(first)  # revokes every earlier cookie of the user
    for value in (token, token[:-4] + "AAAA"):
        _open_with(monkeypatch, {"lagesbild_inloggning": value})
        runs[0] = 0
        tab = make_app(demo_sqlite_url).run()
        assert not tab.exception
        assert texts(tab.title) == ["Lägesbild"]
        assert {t.label for t in tab.text_input} == {"Användarnamn", "Lösenord"}
        assert runs[0] == 1


def test_logout_returns_to_the_login_page(app):
    login(app, "polis")
    _log_out(app)
    assert texts(app.title) == ["Lägesbild"]
    assert "Du är utloggad." in texts(app.info)


def test_a_session_ends_when_it_is_revoked_elsewhere(app, demo_sqlite_url):
    login(app, "polis")
    with db.transaction(db.make_engine(demo_sqlite_url)) as session:
        auth.reset_password(session, SYSTEM, "polis", "ett-helt-nytt-losenord")
    app.run()
    assert texts(app.title) == ["Lägesbild"]
    assert any("Du har loggats ut" in t for t in texts(app.info))


def test_unreachable_database_gets_a_swedish_message(make_app):
    app = make_app("postgresql+psycopg://lagesbild:hemligt@127.0.0.1:9/lagesbild").run()
    assert not app.exception
    assert "Kunde inte ansluta till databasen" in app.error[0].value
    assert "hemligt" not in app.error[0].value


def test_a_database_from_a_newer_version_is_left_alone(make_app, sqlite_url):
    engine = db.make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'ffff'")
    app = make_app(sqlite_url).run()
    assert not app.exception
    assert "nyare version av Lägesbild" in app.error[0].value


@pytest.mark.first_request
def test_a_page_file_requested_before_login_is_sent_through_the_gate(app):
    """On a fresh server Streamlit may run a file in pages/ directly for the first request."""
    app.switch_page("pages/anvandare.py").run()  # before any run: straight to the file
    assert not app.exception
    assert "Användare" not in texts(app.title)
    assert texts(app.title) == ["Lägesbild"]  # the login page, not the admin page
