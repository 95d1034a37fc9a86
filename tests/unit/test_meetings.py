"""Meetings: starting one (and refusing a second), who leads it, decisions and actions entered
live, closing with minutes whose figures match the data – on SQLite and PostgreSQL."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from lagesbild import agenda, auth, db
from lagesbild.actor import SYSTEM
from lagesbild.errors import ConflictError, PermissionDenied, ValidationError
from lagesbild.export import minutes as minutes_text
from lagesbild.models import (
    Action,
    Area,
    Category,
    Decision,
    Incident,
    Meeting,
    Organisation,
    Place,
)
from lagesbild.queries import meetings as meeting_queries
from lagesbild.queries.common import Viewer
from lagesbild.reference import seed_default_categories
from lagesbild.services import actions, meetings
from lagesbild.services.actions import ActionInput

LAST = dt.datetime(2026, 11, 17, 9, 0)  # the previous meeting
TODAY = dt.datetime(2026, 11, 24, 9, 0)
LAT = 55.43


@pytest.fixture
def forum(engine):
    """A small forum: three organisations, two chairs, a member, leadership, one place, a
    closed meeting a week ago and reports before and after it."""
    with db.transaction(engine) as s:
        seed_default_categories(s)
        orgs = {
            "kommun": Organisation(name="Trygghetsenheten", short_name="Kommunen", kind="kommun"),
            "polis": Organisation(name="Polisen Vellinge", short_name="Polisen", kind="polis"),
            "bo": Organisation(name="Vellingebostäder", short_name="VB", kind="bostadsbolag"),
        }
        s.add_all(orgs.values())
        area = Area(name="Vellinge tätort")
        s.add(area)
        s.flush()
        place = Place(name="Solgården", area_id=area.id, lat=55.47, lon=13.02)
        s.add(place)
        s.flush()
        people = {}
        for key, org, role in [
            ("chair", "kommun", "samordnare"),
            ("chair2", "kommun", "samordnare"),
            ("member", "bo", "medlem"),
            ("leader", "kommun", "ledning"),
        ]:
            user = auth.create_user(
                s,
                SYSTEM,
                username=key,
                display_name=f"Person {key}",
                organisation_id=orgs[org].id,
                role=role,
                password="ett-langt-losenord",
            )
            people[key] = auth.actor_for(user)
        s.add(Meeting(held_at=LAST, status="avslutat", closed_at=LAST))
        graffiti = s.scalars(select(Category).where(Category.name == "Klotter")).first()
        for day, n in [(3, 2), (10, 3), (20, 4), (20, 1), (22, 2)]:  # days since 1 November
            s.add(
                Incident(
                    occurred_at=dt.datetime(2026, 11, 1, 12) + dt.timedelta(days=day - 1),
                    category_id=graffiti.id,
                    reporting_org_id=orgs["bo"].id,
                    place_id=place.id,
                    area_id=area.id,
                    count=n,
                )
            )
        ids = {k: o.id for k, o in orgs.items()} | {"place": place.id, "area": area.id}
    return engine, ids, people


def _start(engine, actor, ids, when=TODAY):
    with db.transaction(engine) as s:
        m = meetings.start_meeting(s, actor, when, [ids["kommun"], ids["polis"]], now=when)
        return m.id


def test_since_the_last_meeting_comes_from_the_previous_meeting(forum):
    engine, ids, people = forum
    meeting_id = _start(engine, people["chair"], ids)
    with engine.connect() as conn:
        meeting = meeting_queries.current(conn)
    assert meeting["id"] == meeting_id and meeting["since"] == LAST
    assert meeting["agenda_step"] == 0 and meeting["chair"] == "Person chair"
    assert meeting["attendee_ids"] == sorted([ids["kommun"], ids["polis"]])


def test_the_first_meeting_looks_back_two_weeks(engine):
    with db.transaction(engine) as s:
        org = Organisation(name="Kommunen", short_name="Kommunen", kind="kommun")
        s.add(org)
        s.flush()
        meeting = meetings.start_meeting(s, SYSTEM, TODAY, [org.id], now=TODAY)
        assert meeting.since == TODAY - dt.timedelta(days=14)


def test_a_planned_meeting_the_same_day_is_the_one_started(forum):
    engine, ids, people = forum
    with db.transaction(engine) as s:
        s.add(Meeting(held_at=TODAY.replace(hour=13), status="planerat"))
    meeting_id = _start(engine, people["chair"], ids)
    with engine.connect() as conn:
        statuses = conn.execute(text("SELECT id, status FROM meeting ORDER BY id")).all()
    assert len(statuses) == 2 and statuses[1] == (meeting_id, "pagar")


def test_a_second_meeting_is_refused_while_one_is_open(forum):
    engine, ids, people = forum
    _start(engine, people["chair"], ids)
    with pytest.raises(ConflictError, match=r"Ett möte pågår redan .* Person chair"):
        _start(engine, people["chair2"], ids)


def test_the_database_refuses_two_open_meetings_past_the_check(forum):
    engine, ids, people = forum
    _start(engine, people["chair"], ids)
    with pytest.raises(IntegrityError), db.transaction(engine) as s:
        s.add(Meeting(held_at=TODAY, status="pagar"))


def test_only_chairs_start_and_only_the_leading_chair_runs_it(forum):
    engine, ids, people = forum
    with pytest.raises(PermissionDenied, match="samordnare"):
        _start(engine, people["member"], ids)
    meeting_id = _start(engine, people["chair"], ids)
    with (
        pytest.raises(PermissionDenied, match="Mötet leds av Person chair"),
        db.transaction(engine) as s,
    ):
        meetings.go_to_step(s, people["chair2"], meeting_id, 1)
    with db.transaction(engine) as s:
        meetings.take_over(s, people["chair2"], meeting_id)
    with db.transaction(engine) as s:
        meetings.go_to_step(s, people["chair2"], meeting_id, 2)
    with pytest.raises(PermissionDenied, match="Person chair2"), db.transaction(engine) as s:
        meetings.go_to_step(s, people["chair"], meeting_id, 3)
    with engine.connect() as conn:
        assert meeting_queries.current(conn)["agenda_step"] == 2


def test_a_move_from_a_step_the_meeting_has_left_changes_nothing(forum):
    """A click that arrives twice, or from a screen that has not yet seen another screen's
    move, must not send the room back (or on) a step."""
    engine, ids, people = forum
    meeting_id = _start(engine, people["chair"], ids)
    with db.transaction(engine) as s:
        meetings.go_to_step(s, people["chair"], meeting_id, 1, from_step=0)
    with db.transaction(engine) as s:  # the same click once more
        meetings.go_to_step(s, people["chair"], meeting_id, 1, from_step=0)
    with db.transaction(engine) as s:  # "Nästa" on a screen still showing step 1
        meetings.go_to_step(s, people["chair"], meeting_id, 1, from_step=0)
    with db.transaction(engine) as s:
        meetings.go_to_step(s, people["chair"], meeting_id, 3, from_step=1)
    with db.transaction(engine) as s:  # a late "Föregående" drawn at step 2
        meetings.go_to_step(s, people["chair"], meeting_id, 0, from_step=1)
    with engine.connect() as conn:
        assert meeting_queries.current(conn)["agenda_step"] == 3
    with pytest.raises(PermissionDenied), db.transaction(engine) as s:  # still only the chair
        meetings.go_to_step(s, people["chair2"], meeting_id, 4, from_step=2)


def test_invalid_input_is_refused_with_swedish_messages(forum):
    engine, ids, people = forum
    with pytest.raises(ValidationError, match="organisationer"), db.transaction(engine) as s:
        meetings.start_meeting(s, people["chair"], TODAY, [], now=TODAY)
    with pytest.raises(ValidationError, match="i förväg"), db.transaction(engine) as s:
        meetings.start_meeting(
            s, people["chair"], TODAY + dt.timedelta(days=3), [ids["polis"]], now=TODAY
        )
    meeting_id = _start(engine, people["chair"], ids)
    with pytest.raises(ValidationError, match="dagordningen"), db.transaction(engine) as s:
        meetings.go_to_step(s, people["chair"], meeting_id, 6)
    with pytest.raises(ValidationError, match="platsen eller området"), db.transaction(engine) as s:
        meetings.add_decision(s, people["chair"], meeting_id, "fokusomrade", "Mer fokus")
    with pytest.raises(ValidationError, match="Telefonnummer"), db.transaction(engine) as s:
        meetings.save_text(
            s, people["chair"], meeting_id, "feedback_reporters", "Ring 070-123 45 67"
        )
    with pytest.raises(ValidationError, match="klar"), db.transaction(engine) as s:
        meetings.add_action(
            s,
            people["chair"],
            meeting_id,
            ActionInput(title="Ny belysning", owner_org_id=ids["bo"]),
        )
    with engine.connect() as conn:
        assert meeting_queries.decisions(conn, meeting_id).empty
        assert conn.scalar(select(Action.id)) is None


def test_decisions_and_actions_are_saved_at_once_and_can_be_taken_back(forum):
    engine, ids, people = forum
    chair = people["chair"]
    meeting_id = _start(engine, chair, ids)
    with db.transaction(engine) as s:
        meetings.add_decision(s, chair, meeting_id, "hot_spot", "", place_id=ids["place"])
        meetings.add_decision(s, chair, meeting_id, "ovrigt", "Nästa möte hålls i Skanör")
        action, _ = meetings.add_action(
            s,
            chair,
            meeting_id,
            ActionInput(
                title="Ny belysning vid Solgården",
                owner_org_id=ids["bo"],
                place_id=ids["place"],
                due_date=dt.date(2026, 12, 15),
            ),
        )
        action_id = action.id
    with engine.connect() as conn:
        decided = meeting_queries.decisions(conn, meeting_id)
        stored = conn.execute(
            select(Action.status, Action.decided_meeting_id, Action.area_id).where(
                Action.id == action_id
            )
        ).one()
    assert list(decided["text"]) == [
        "Hot spot kommande period: Solgården",
        "Nästa möte hålls i Skanör",
        "Ny belysning vid Solgården",
    ]
    assert decided.iloc[0]["area"] == "Vellinge tätort"
    assert tuple(stored) == ("beslutad", meeting_id, ids["area"])
    assert decided.iloc[2]["owner"] == "VB"

    with db.transaction(engine) as s:
        meetings.remove_decision(s, chair, int(decided.iloc[2]["id"]))
    with engine.connect() as conn:
        assert len(meeting_queries.decisions(conn, meeting_id)) == 2
        assert conn.scalar(select(Action.status).where(Action.id == action_id)) == "avbruten"


def test_closing_needs_decisions_or_a_confirmation(forum):
    engine, ids, people = forum
    meeting_id = _start(engine, people["chair"], ids)
    with pytest.raises(ValidationError, match="inga beslut"), db.transaction(engine) as s:
        meetings.close_meeting(s, people["chair"], meeting_id, "Vellinge", LAT)
    with engine.connect() as conn:
        assert meeting_queries.current(conn)["id"] == meeting_id  # still open, nothing lost
    with db.transaction(engine) as s:
        meetings.close_meeting(
            s, people["chair"], meeting_id, "Vellinge", LAT, without_decisions=True
        )
    with engine.connect() as conn:
        assert meeting_queries.current(conn) is None
        data, markdown = meeting_queries.minutes(conn, meeting_id)
    assert minutes_text.NO_DECISIONS in markdown and data["decisions"] == []


def test_minutes_hold_attendance_figures_decisions_and_changed_actions(forum):
    engine, ids, people = forum
    chair = people["chair"]
    with db.transaction(engine) as s:
        old = actions.create_action(
            s,
            chair,
            ActionInput(
                title="Klottersanering i tunneln",
                owner_org_id=ids["bo"],
                responsible_role="Fastighetschef",
            ),
        )
        old_id, old_version = old.id, old.version
    meeting_id = _start(engine, chair, ids)
    with db.transaction(engine) as s:
        meetings.save_attendance(s, chair, meeting_id, [ids["kommun"], ids["polis"], ids["bo"]])
        actions.change_status(s, chair, old_id, old_version, "beslutad", "Beslutad i dag")
        meetings.add_decision(s, chair, meeting_id, "fokusomrade", "", area_id=ids["area"])
        meetings.add_action(
            s,
            chair,
            meeting_id,
            ActionInput(
                title="Trygghetsvandring i Solgården",
                owner_org_id=ids["kommun"],
                due_date=dt.date(2026, 12, 1),
            ),
        )
        meetings.save_text(s, chair, meeting_id, "feedback_leadership", "Klottret ökar.")
    with db.transaction(engine) as s:
        meetings.close_meeting(s, chair, meeting_id, "Vellinge", LAT)
    with engine.connect() as conn:
        data, markdown = meeting_queries.minutes(conn, meeting_id)
        closed = conn.execute(
            select(Meeting.status, Meeting.closed_at).where(Meeting.id == meeting_id)
        ).one()
    assert closed.status == "avslutat" and closed.closed_at is not None
    assert data["attendees"] == ["Polisen Vellinge", "Trygghetsenheten", "Vellingebostäder"]
    # since 17 November: the reports of 20 and 22 November (4 + 1 + 2 occurrences)
    assert data["since"] == LAST.isoformat() and data["total"] == 7
    assert data["groups"][0]["current"] == 7
    # the year before: 2 + 3 occurrences, scaled to the length of the window
    days = (dt.datetime.fromisoformat(data["until"]) - LAST).total_seconds() / 86400
    assert data["usual_total"] == pytest.approx(5 * days / 364, abs=0.05)
    assert [d["text"] for d in data["decisions"]] == [
        "Fokusområde kommande period: Vellinge tätort"
    ]
    assert data["new_actions"][0]["title"] == "Trygghetsvandring i Solgården"
    assert data["changed_actions"] == [
        {
            "title": "Klottersanering i tunneln",
            "owner": "VB",
            "role": "Fastighetschef",
            "from": "Föreslagen",
            "to": "Beslutad",
            "note": "Beslutad i dag",
        }
    ]
    for needle in (
        "Närvarande: Polisen Vellinge, Trygghetsenheten, Vellingebostäder",
        "| Skadegörelse | 7 |",
        "Trygghetsvandring i Solgården",
        "| Klottersanering i tunneln | VB | Fastighetschef | Föreslagen | Beslutad | "
        "Beslutad i dag |",
        "Till ledningen: Klottret ökar.",
    ):
        assert needle in markdown, needle
    pdf = PdfReader(io.BytesIO(minutes_text.to_pdf(data)))
    words = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Protokoll 2026-11-24" in words and "Trygghetsvandring i Solgården" in words
    assert "Klottret ökar." in words and "sida 1 av" in words


def test_the_minutes_follow_the_agenda_with_roles_and_a_justering(forum):
    """The minutes have the meeting's six numbered steps (police and rescue service included),
    each action's responsible role, and a justering block at the end – in the data, the
    Markdown and the PDF."""
    engine, ids, people = forum
    chair = people["chair"]
    with db.transaction(engine) as s:
        s.add(
            Incident(
                occurred_at=dt.datetime(2026, 11, 21, 23),
                category_id=s.scalars(
                    select(Category.id).where(Category.name == "Klotter")
                ).first(),
                reporting_org_id=ids["polis"],
                place_id=ids["place"],
                area_id=ids["area"],
            )
        )
    meeting_id = _start(engine, chair, ids)
    with db.transaction(engine) as s:
        meetings.add_action(
            s,
            chair,
            meeting_id,
            ActionInput(
                title="Belysning vid Solgården",
                owner_org_id=ids["kommun"],
                responsible_role="Gatuchef",
                due_date=dt.date(2026, 12, 15),
            ),
        )
        meetings.close_meeting(s, chair, meeting_id, "Vellinge", LAT)
    with engine.connect() as conn:
        data, markdown = meeting_queries.minutes(conn, meeting_id)

    police, rescue = data["police_rescue"]
    assert (police["name"], police["member"], police["total"]) == ("Polis", True, 1)
    assert police["categories"][0] == {"name": "Klotter", "current": 1, "usual": 0.0}
    assert rescue["member"] is False  # no rescue service in this forum
    assert data["new_actions"][0]["role"] == "Gatuchef"

    headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [agenda.heading(i) for i in range(6)] + ["Justering"]
    assert headings[1] == "2. Polis och räddningstjänst"
    step2 = markdown.split("## 2. ")[1].split("## 3. ")[0]
    assert "Polis: 1 rapport sedan förra mötet" in step2 and "| Klotter | 1 |" in step2
    step5 = markdown.split("## 5. ")[1].split("## 6. ")[0]
    assert "| Belysning vid Solgården | Kommunen | Gatuchef | 2026-12-15 |" in step5
    justering = markdown.split("## Justering")[1]
    assert "|  | Namn | Datum | Underskrift |" in justering
    assert "| Ordförande | Person chair | ....." in justering and "| Justerare | ....." in justering

    pdf = PdfReader(io.BytesIO(minutes_text.to_pdf(data)))
    words = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    positions = [words.find(agenda.heading(i)) for i in range(6)] + [words.find("Justering")]
    assert -1 not in positions and positions == sorted(positions), positions
    assert "Gatuchef" in words and "Justerare" in words and "Underskrift" in words


def test_followers_see_the_step_and_new_reports(forum):
    engine, ids, people = forum
    meeting_id = _start(engine, people["chair"], ids)
    with engine.connect() as conn:
        before = meeting_queries.state(conn)
        started = meeting_queries.current(conn)["started_at"]
    with db.transaction(engine) as s:
        meetings.go_to_step(s, people["chair"], meeting_id, 3)
        meetings.add_decision(s, people["chair"], meeting_id, "ovrigt", "Bjud in skolan")
        graffiti = s.scalars(select(Category).where(Category.name == "Klotter")).first()
        s.add(
            Incident(
                occurred_at=TODAY,
                category_id=graffiti.id,
                reporting_org_id=ids["polis"],
                place_id=ids["place"],
            )
        )
    with engine.connect() as conn:
        after = meeting_queries.state(conn)
        count, latest = meeting_queries.reported_since(
            conn, viewer=Viewer(None, False), created_after=started
        )
    assert before[0] == after[0] == meeting_id
    assert after[1] == 3 and after[3] == 1 and after[2] > before[2]
    assert count == 1 and latest.iloc[0]["organisation"] == "Polisen"


def test_a_closed_meeting_cannot_be_changed(forum):
    engine, ids, people = forum
    meeting_id = _start(engine, people["chair"], ids)
    with db.transaction(engine) as s:
        meetings.close_meeting(
            s, people["chair"], meeting_id, "Vellinge", LAT, without_decisions=True
        )
    with pytest.raises(ConflictError, match="redan avslutat"), db.transaction(engine) as s:
        meetings.add_decision(s, people["chair"], meeting_id, "ovrigt", "För sent")
    with engine.connect() as conn:
        assert conn.scalar(select(Decision.id)) is None
