"""E-mail end to end: events queue messages in their own transaction, `notify` sends them to a
real SMTP server (aiosmtpd on 127.0.0.1) once each, on SQLite and PostgreSQL: content, links,
recipients by role and organisation, reminders once per stage, a crash between sending and
recording, and a server that refuses or does not answer."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from lagesbild import auth, clock, db
from lagesbild.actor import SYSTEM
from lagesbild.config import Smtp, load_settings
from lagesbild.errors import ValidationError
from lagesbild.models import AuditLog, MailState, Meeting, Organisation, OutboxMessage
from lagesbild.reference import seed_default_categories
from lagesbild.services import actions, mail, meetings, notify
from lagesbild.services.actions import ActionInput
from tests.conftest import DEMO_NOW
from tests.smtp_server import Inbox, free_port, running_server, smtp_settings

BASE = "https://lagesbild.example.se"
PASSWORD = "ett-langt-losenord"


@pytest.fixture
def server():
    with running_server() as found:
        yield found


@pytest.fixture
def forum(engine):
    """Two organisations; members with and without an address, a chair in each."""
    with db.transaction(engine) as s:
        seed_default_categories(s)
        own = Organisation(name="Vellingebostäder", short_name="VB", kind="bostadsbolag")
        other = Organisation(name="Tekniska förvaltningen", short_name="Teknik", kind="kommun")
        s.add_all([own, other])
        s.flush()
        people = {
            "vb": (own.id, "medlem", "vb@example.se"),
            "vb2": (own.id, "medlem", "vb2@example.se"),
            "vbnone": (own.id, "medlem", ""),  # no address: never a recipient
            "sam": (other.id, "samordnare", "sam@example.se"),
            "tek": (other.id, "medlem", "tek@example.se"),
            "adm": (other.id, "admin", "adm@example.se"),
        }
        actors = {}
        for name, (org, role, address) in people.items():
            user = auth.create_user(
                s,
                SYSTEM,
                username=name,
                display_name=name.upper(),
                organisation_id=org,
                role=role,
                password=PASSWORD,
                email=address,
            )
            actors[name] = auth.actor_for(user)
    return engine, {"own": own.id, "other": other.id}, actors


def _send(engine, smtp):
    return notify.send_outbox(engine, smtp, BASE)


def _new_action(engine, actor, org_id, due=None):
    with db.transaction(engine) as s:
        action = actions.create_action(
            s,
            actor,
            ActionInput(title="Beskär buskarna vid Solgården", owner_org_id=org_id, due_date=due),
        )
        return action.id, action.version


def _outbox(engine) -> list[OutboxMessage]:
    with db.transaction(engine) as s:
        rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        s.expunge_all()
        return rows


def test_assignment_and_status_change_reach_the_owner_organisation_once(forum, server):
    engine, orgs, people = forum
    smtp, inbox = server
    action_id, version = _new_action(engine, people["sam"], orgs["own"])
    outcome = _send(engine, smtp)
    assert outcome.sent == 2
    assert inbox.subjects() == [
        ("vb2@example.se", "Ny åtgärd för Vellingebostäder: Beskär buskarna vid Solgården"),
        ("vb@example.se", "Ny åtgärd för Vellingebostäder: Beskär buskarna vid Solgården"),
    ]
    msg = inbox.to("vb@example.se")[0]
    assert msg["From"] == "Lägesbild <lagesbild@kommun.example.se>"
    plain = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Hej VB!" in plain
    assert "Åtgärden ”Beskär buskarna vid Solgården” har lagts på Vellingebostäder." in plain
    assert f"Öppna Åtgärder: {BASE}/atgarder" in plain
    assert f'<a href="{BASE}/atgarder">Öppna Åtgärder</a>' in html
    assert f"{BASE}/konto" in plain  # where to choose what one receives

    assert _send(engine, smtp).sent == 0  # a second run sends nothing again
    assert len(inbox.messages) == 2

    with db.transaction(engine) as s:
        actions.change_status(s, people["vb"], action_id, version, "beslutad", "Klart i budget")
    assert _send(engine, smtp).sent == 2
    status = [m for m in inbox.messages if "är beslutad" in m["Subject"]]
    assert sorted(m["X-Rcpt"] for m in status) == ["vb2@example.se", "vb@example.se"]
    assert "från föreslagen till beslutad" in status[0].get_body(("plain",)).get_content()
    assert "Kommentar: Klart i budget" in status[0].get_body(("plain",)).get_content()

    with db.transaction(engine) as s:
        entries = s.scalar(select(func.count(AuditLog.id)).where(AuditLog.verb == "mail_sent"))
    assert entries == 4  # every message in the audit log


def test_a_user_who_turned_a_kind_off_does_not_get_it(forum, server):
    engine, orgs, people = forum
    smtp, inbox = server
    with db.transaction(engine) as s:
        mail.set_choices(s, people["vb2"].user_id, set(mail.KINDS) - {"assigned"})
    _new_action(engine, people["sam"], orgs["own"])
    _send(engine, smtp)
    assert [m["X-Rcpt"] for m in inbox.messages] == ["vb@example.se"]


def test_due_and_overdue_reach_owner_and_chair_once_per_stage(forum, server):
    engine, orgs, people = forum
    smtp, inbox = server
    today = clock.local_today()
    _new_action(engine, people["sam"], orgs["own"], due=today + dt.timedelta(days=10))
    _send(engine, smtp)
    inbox.messages.clear()  # the assignment

    assert _send(engine, smtp).sent == 0  # ten days ahead: no reminder yet
    clock.pin(DEMO_NOW + dt.timedelta(days=4))  # six days left
    assert _send(engine, smtp).sent == 3
    assert sorted(m["X-Rcpt"] for m in inbox.messages) == [
        "sam@example.se",  # the chair, of another organisation
        "vb2@example.se",
        "vb@example.se",
    ]
    due = (today + dt.timedelta(days=10)).isoformat()
    assert all("ska vara klar" in m["Subject"] for m in inbox.messages)
    clock.pin(DEMO_NOW + dt.timedelta(days=5))
    assert _send(engine, smtp).sent == 0  # once per stage

    clock.pin(DEMO_NOW + dt.timedelta(days=11))  # one day late
    assert _send(engine, smtp).sent == 3
    late = inbox.messages[3:]
    assert all(m["Subject"] == "Försenad åtgärd: Beskär buskarna vid Solgården" for m in late)
    assert f"skulle ha varit klar {due}" in late[0].get_body(("plain",)).get_content()
    clock.pin(DEMO_NOW + dt.timedelta(days=20))
    assert _send(engine, smtp).sent == 0


def test_agenda_two_days_before_a_planned_meeting_reaches_every_member(forum, server):
    engine, _, _ = forum
    smtp, inbox = server
    held = (DEMO_NOW + dt.timedelta(days=5)).replace(hour=9, minute=0)
    with db.transaction(engine) as s:
        s.add(Meeting(held_at=held, status="planerat"))
    assert _send(engine, smtp).sent == 0  # five days ahead
    clock.pin(held - dt.timedelta(days=2) + dt.timedelta(minutes=1))
    assert _send(engine, smtp).sent == 5  # everyone with an address
    assert _send(engine, smtp).sent == 0
    msg = inbox.to("tek@example.se")[0]
    assert msg["Subject"] == f"Möte {held:%Y-%m-%d %H:%M}: dagordning"
    plain = msg.get_body(("plain",)).get_content()
    assert "1. Nytt sedan förra mötet" in plain
    assert "Nytt sedan förra mötet (" in plain
    assert f"Öppna Möte: {BASE}/mote" in plain


def test_minutes_go_to_the_organisations_present(forum, server):
    engine, orgs, people = forum
    smtp, inbox = server
    with db.transaction(engine) as s:
        meeting = meetings.start_meeting(s, people["sam"], clock.local_now(), [orgs["own"]])
        meeting_id = meeting.id
    with db.transaction(engine) as s:
        meetings.close_meeting(
            s, people["sam"], meeting_id, "Trygghetsforum", 55.4, without_decisions=True
        )
    _send(engine, smtp)
    assert sorted(m["X-Rcpt"] for m in inbox.messages) == ["vb2@example.se", "vb@example.se"]
    plain = inbox.messages[0].get_body(("plain",)).get_content()
    assert inbox.messages[0]["Subject"].startswith("Protokoll från mötet ")
    assert "Trygghetsforum" in plain


def _link(msg) -> str:
    return re.search(r"\?token=([\w-]+)", msg.get_body(("plain",)).get_content()).group(1)


def test_invitation_link_sets_a_password_once_and_expires(forum, server):
    engine, orgs, people = forum
    smtp, inbox = server
    with db.transaction(engine) as s:
        auth.create_user(
            s,
            people["adm"],
            username="ny",
            display_name="Ny användare",
            organisation_id=orgs["own"],
            role="medlem",
            email="Ny@Example.se ",
        )
    _send(engine, smtp)
    (msg,) = inbox.to("ny@example.se")
    assert msg["Subject"] == "Välkommen till Lägesbild – välj ditt lösenord"
    assert f"{BASE}/?token=" in msg.get_body(("plain",)).get_content()
    token = _link(msg)
    with db.transaction(engine) as s:  # the link is not kept once handed over
        assert token not in str(s.scalars(select(OutboxMessage.payload)).all())

    with db.transaction(engine) as s, pytest.raises(ValidationError) as exc:
        auth.set_password_with_token(s, token, "mitt-eget-losen", "annat-losenord")
    assert "repeat" in exc.value.problems
    with db.transaction(engine) as s:
        auth.set_password_with_token(s, token, "mitt-eget-losen", "mitt-eget-losen")
    assert auth.verify_login(engine, "ny", "mitt-eget-losen").outcome is auth.LoginOutcome.OK
    with db.transaction(engine) as s, pytest.raises(ValidationError):  # single use
        auth.set_password_with_token(s, token, "ett-annat-losen", "ett-annat-losen")

    # a new invitation replaces the old one; and a link expires after 72 hours
    with db.transaction(engine) as s:
        auth.invite(s, people["adm"], "ny")
    with db.transaction(engine) as s:
        auth.invite(s, people["adm"], "ny")
    _send(engine, smtp)
    first, second = (_link(m) for m in inbox.to("ny@example.se")[1:])
    with db.transaction(engine) as s:
        assert auth.token_user(s, first) is None
        assert auth.token_user(s, second) is not None
    clock.pin(DEMO_NOW + dt.timedelta(hours=72, minutes=1))
    with db.transaction(engine) as s:
        assert auth.token_user(s, second) is None


def test_forgotten_password_answers_alike_and_mails_only_a_known_address(forum, server):
    engine, _, _ = forum
    smtp, inbox = server
    with db.transaction(engine) as s:
        assert auth.request_reset(s, "finns-inte@example.se") is None
        assert auth.request_reset(s, "VB@example.se") is None
        assert auth.request_reset(s, "vb@example.se") is None  # at once again: no second mail
    _send(engine, smtp)
    assert inbox.subjects() == [("vb@example.se", "Lägesbild: välj ett nytt lösenord")]
    with db.transaction(engine) as s:
        auth.set_password_with_token(
            s, _link(inbox.messages[0]), "nytt-losen-123", "nytt-losen-123"
        )
    assert auth.verify_login(engine, "vb", "nytt-losen-123").outcome is auth.LoginOutcome.OK
    assert auth.verify_login(engine, "vb", PASSWORD).outcome is auth.LoginOutcome.WRONG


def test_a_crash_between_sending_and_recording_never_sends_twice(forum, server, monkeypatch):
    engine, orgs, people = forum
    smtp, inbox = server
    _new_action(engine, people["sam"], orgs["own"])

    def crash(*args):
        raise KeyboardInterrupt  # the process is stopped right after the server accepted

    with monkeypatch.context() as m:
        m.setattr(notify, "record_sent", crash)
        with pytest.raises(KeyboardInterrupt):
            _send(engine, smtp)
    assert len(inbox.messages) == 1
    states = sorted(r.state for r in _outbox(engine))
    assert states == ["queued", "sending"]

    assert _send(engine, smtp).sent == 1  # the other one; the first is left alone
    clock.pin(DEMO_NOW + notify.CLAIM_LEASE + dt.timedelta(minutes=1))
    outcome = _send(engine, smtp)
    assert (outcome.sent, outcome.uncertain) == (0, 1)
    assert sorted(m["X-Rcpt"] for m in inbox.messages) == ["vb2@example.se", "vb@example.se"]
    assert sorted(r.state for r in _outbox(engine)) == ["sent", "uncertain"]
    with db.transaction(engine) as s:
        assert s.scalar(select(func.count()).where(AuditLog.verb == "mail_uncertain")) == 1


def test_a_server_that_refuses_is_retried_later_with_back_off(forum, server):
    engine, orgs, people = forum
    smtp, inbox = server
    _new_action(engine, people["sam"], orgs["own"])
    closed = smtp_settings(free_port())  # nothing listens there
    outcome = _send(engine, closed)
    assert (outcome.sent, outcome.retry) == (0, 2)
    rows = _outbox(engine)
    assert {r.state for r in rows} == {MailState.QUEUED.value}
    assert all(r.attempts == 1 and "tog inte emot" in r.last_error for r in rows)
    assert _send(engine, smtp).sent == 0  # waiting for the back-off
    waiting = max(r.next_attempt_at for r in rows)
    assert waiting - min(r.claimed_at for r in rows) >= notify.retry_delay(1)
    clock.pin(clock.utc_to_local(waiting) + dt.timedelta(seconds=1))
    assert _send(engine, closed).retry == 2
    assert {r.attempts for r in _outbox(engine)} == {2}
    assert _send(engine, smtp).sent == 0  # the second wait is longer
    clock.pin(DEMO_NOW + dt.timedelta(minutes=10))
    assert _send(engine, smtp).sent == 2
    assert len(inbox.messages) == 2


def test_a_server_that_does_not_answer_times_out_and_gives_up_in_the_end(forum):
    engine, orgs, people = forum
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections, never says hello
    try:
        smtp = smtp_settings(silent.getsockname()[1], timeout=0.3)
        _new_action(engine, people["sam"], orgs["own"])
        for _ in range(notify.MAX_ATTEMPTS):
            outcome = _send(engine, smtp)
            assert outcome.sent == 0
            waiting = max(r.next_attempt_at for r in _outbox(engine))
            clock.pin(clock.utc_to_local(waiting) + dt.timedelta(seconds=1))
        rows = _outbox(engine)
        assert {r.state for r in rows} == {MailState.FAILED.value}
        assert all(r.last_error == "E-postservern svarade inte i tid." for r in rows)
        with db.transaction(engine) as s:
            assert s.scalar(select(func.count()).where(AuditLog.verb == "mail_failed")) == 2
    finally:
        silent.close()


def test_dry_run_shows_what_would_be_sent_and_changes_nothing(forum):
    engine, orgs, people = forum
    _new_action(engine, people["sam"], orgs["own"], due=clock.local_today())
    lines = notify.dry_run(engine, BASE)
    assert len(lines) == 5  # two assignments, three reminders
    assert any(line.startswith("Till: sam@example.se\nÄmne: Åtgärden") for line in lines)
    assert sorted(r.kind for r in _outbox(engine)) == ["assigned", "assigned"]


def test_smtp_settings_from_the_environment(tmp_path):
    nowhere = tmp_path / "secrets.toml"
    env = {
        "LAGESBILD_SMTP_HOST": "smtp.kommun.se",
        "LAGESBILD_SMTP_TLS": "ssl",
        "LAGESBILD_SMTP_SENDER": "lagesbild@kommun.se",
        "LAGESBILD_SMTP_USER": "lb",
        "LAGESBILD_SMTP_PASSWORD": "hemligt",
        "LAGESBILD_BASE_URL": "https://lagesbild.kommun.se/",
    }
    settings = load_settings(env, secrets_path=nowhere)
    assert settings.smtp == Smtp(
        "smtp.kommun.se", 465, "ssl", "lb", "hemligt", "lagesbild@kommun.se"
    )
    assert settings.base_url == "https://lagesbild.kommun.se"
    assert load_settings({}, secrets_path=nowhere).smtp is None
    bad = load_settings({**env, "LAGESBILD_SMTP_TLS": "starttls2"}, secrets_path=nowhere)
    assert bad.smtp is None and "none, starttls eller ssl" in bad.smtp_error


def test_the_notify_command_sends_once_and_says_so(forum, db_url, server, capsys, monkeypatch):
    from lagesbild import cli

    engine, orgs, people = forum
    smtp, inbox = server
    _new_action(engine, people["sam"], orgs["own"])
    for name in ("SMTP_HOST", "BASE_URL"):
        monkeypatch.delenv(f"LAGESBILD_{name}", raising=False)
    assert cli.main(["--database-url", db_url, "notify"]) == 1
    assert "Ingen e-post skickas: LAGESBILD_SMTP_HOST är inte satt." in capsys.readouterr().err

    assert cli.main(["--database-url", db_url, "notify", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Till: vb@example.se\nÄmne: Ny åtgärd för Vellingebostäder" in out
    assert out.rstrip().endswith("2 meddelanden skulle skickas nu.")
    assert inbox.messages == []

    monkeypatch.setenv("LAGESBILD_SMTP_HOST", smtp.host)
    monkeypatch.setenv("LAGESBILD_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("LAGESBILD_SMTP_TLS", "none")
    monkeypatch.setenv("LAGESBILD_SMTP_SENDER", smtp.sender)
    monkeypatch.setenv("LAGESBILD_BASE_URL", BASE)
    assert cli.main(["--database-url", db_url, "notify"]) == 0
    assert cli.main(["--database-url", db_url, "notify"]) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert first == "E-post: 0 nya i kön, 2 skickade, 0 försöks igen senare, 0 gav upp, 0 osäkra."
    assert second.startswith("E-post: 0 nya i kön, 0 skickade")
    assert len(inbox.messages) == 2


class SlowInbox(Inbox):
    """Takes the message, then answers far too late (long after the client's timeout, which is
    generous so that a loaded machine's slow greeting is not taken for it)."""

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        await asyncio.sleep(6)
        return answer


def test_no_answer_after_the_message_went_out_is_uncertain_not_sent_again(forum):
    engine, orgs, people = forum
    inbox = SlowInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        _new_action(engine, people["sam"], orgs["own"])
        outcome = _send(engine, smtp_settings(port, timeout=2))
        assert (outcome.sent, outcome.uncertain) == (0, 2)
        assert len(inbox.messages) == 2  # they did arrive
        rows = _outbox(engine)
        assert {r.state for r in rows} == {MailState.UNCERTAIN.value}
        assert all("svarade inte i tid" in r.last_error for r in rows)
        clock.pin(DEMO_NOW + dt.timedelta(hours=3))
        assert _send(engine, smtp_settings(port)).sent == 0
        assert len(inbox.messages) == 2
    finally:
        controller.stop()
