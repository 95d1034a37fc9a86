"""E-mail through the app: an admin invites a new user, who follows the link from the mail
(received by a real SMTP server), chooses a password and logs in; "Glömt lösenord?" answers
alike for any address; Mitt konto keeps each user's choice of mail."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lagesbild import auth, db
from lagesbild.config import load_settings
from lagesbild.fmt import md_escape
from lagesbild.models import OutboxMessage, User
from lagesbild.services import notify
from tests.app.conftest import login, texts
from tests.smtp_server import SENDER, running_server

BASE = "https://lagesbild.vellinge.example.se"


@pytest.fixture
def mail_on(monkeypatch):
    with running_server() as (smtp, inbox):
        monkeypatch.setenv("LAGESBILD_SMTP_HOST", smtp.host)
        monkeypatch.setenv("LAGESBILD_SMTP_PORT", str(smtp.port))
        monkeypatch.setenv("LAGESBILD_SMTP_TLS", "none")
        monkeypatch.setenv("LAGESBILD_SMTP_SENDER", SENDER)
        monkeypatch.setenv("LAGESBILD_BASE_URL", BASE)
        yield inbox


def _send(url: str) -> None:
    settings = load_settings()
    notify.send_outbox(db.make_engine(url), settings.smtp, settings.base_url)


def _plain(elements) -> list[str]:
    """The texts without the invisible joiner that keeps an address from becoming a link."""
    return [t.replace("\u2060", "") for t in texts(elements)]


def _button(app, label):
    return next(b for b in app.button if b.label == label)


def test_a_new_user_is_invited_chooses_a_password_and_logs_in(make_app, demo_sqlite_url, mail_on):
    app = login(make_app(demo_sqlite_url), "admin")
    app.switch_page("pages/anvandare.py").run()
    assert not any("inte påslagen" in i.value for i in app.info)
    fields = {t.label: t for t in app.text_input}
    fields["Användarnamn"].input("brandman")
    fields["Visningsnamn"].input("Brandman")
    app.text_input(key="new_user_email").input("brandman@example.se")
    _button(app, "Lägg till").click()
    app.run()
    assert not app.error
    assert not app.success  # no password to hand over
    assert _plain(app.info) == ["Inbjudan skickas till brandman@example.se."]

    assert f"E-post skickas via {md_escape('127.0.0.1')} av `lagesbild notify`: 1 i kö." in texts(
        app.caption
    )
    _send(demo_sqlite_url)
    app.run()
    # the invitation, and the reminders of the demo's actions due this week: all sent
    summary = texts(app.caption)[0]
    assert re.fullmatch(r"E-post skickas via .* av `lagesbild notify`: \d+ skickade\.", summary)
    # the invitation (with the demo's next meeting two days away, the agenda may come too)
    bodies = [m.get_body(("plain",)).get_content() for m in mail_on.to("brandman@example.se")]
    invitations = [b for b in bodies if "?token=" in b]
    assert len(invitations) == 1, bodies
    plain = invitations[0]
    link = re.search(rf"{re.escape(BASE)}/\?token=([\w-]+)", plain)
    assert link, plain

    guest = make_app(demo_sqlite_url)  # another browser, opening the link
    guest.query_params["token"] = link.group(1)
    guest.run()
    assert texts(guest.subheader) == ["Välj lösenord"]
    assert "brandman" in guest.markdown[0].value
    fields = {t.label: t for t in guest.text_input}
    fields["Nytt lösenord"].input("min-egen-fras-42")
    fields["Nytt lösenord igen"].input("min-egen-fras-42")
    _button(guest, "Spara lösenord").click()
    guest.run()
    assert "Lösenordet är sparat. Logga in med ditt nya lösenord." in texts(guest.info)
    assert "token" not in guest.query_params
    login(guest, "brandman", "min-egen-fras-42")
    assert not guest.error
    assert texts(guest.title) != ["Lägesbild"]  # in

    again = make_app(demo_sqlite_url)  # the link works once
    again.query_params["token"] = link.group(1)
    again.run()
    assert texts(again.error) == [auth.TOKEN_INVALID]


def _outbox(url) -> list[tuple[str, str]]:
    with db.transaction(db.make_engine(url)) as s:
        return [(r.kind, r.address) for r in s.scalars(select(OutboxMessage))]


@pytest.mark.parametrize("address", ["polis@example.se", "finns-inte@example.se"])
def test_forgotten_password_gives_the_same_answer_for_any_address(
    make_app, demo_sqlite_url, mail_on, address
):
    app = make_app(demo_sqlite_url)
    app.run()
    _button(app, "Glömt lösenord?").click()
    app.run()
    {t.label: t for t in app.text_input}["Din e-postadress"].input(address)
    _button(app, "Skicka länk").click()
    app.run()
    assert not app.error
    assert [i.value for i in app.info] == [
        "Om adressen hör till ett konto här har vi skickat en länk dit. Följ den inom 72 "
        "timmar för att välja ett nytt lösenord."
    ]
    expected = [("reset", address)] if address.startswith("polis") else []
    assert _outbox(demo_sqlite_url) == expected


def test_without_smtp_the_admin_page_says_no_mail_is_sent(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "admin")
    app.switch_page("pages/anvandare.py").run()
    assert any("E-post är inte påslagen" in i.value for i in app.info)
    assert "E-post" in app.dataframe[0].value.columns
    assert "polis@example.se" in list(app.dataframe[0].value["E-post"])


def test_mitt_konto_keeps_what_the_user_chooses_to_receive(make_app, demo_sqlite_url):
    app = login(make_app(demo_sqlite_url), "polis")
    app.switch_page("pages/konto.py").run()
    assert any("polis@example.se" in c for c in _plain(app.caption))
    boxes = {c.label: c for c in app.checkbox}
    assert all(box.value for box in boxes.values())
    boxes["Protokollet när ett möte har avslutats"].uncheck()
    _button(app, "Spara val").click()
    app.run()
    assert "Dina val är sparade." in texts(app.success)
    with db.transaction(db.make_engine(demo_sqlite_url)) as s:
        user = s.scalar(select(User).where(User.username == "polis"))
        assert user.mail_off == ["minutes"]
    app.run()
    boxes = {c.label: c for c in app.checkbox}
    assert not boxes["Protokollet när ett möte har avslutats"].value
