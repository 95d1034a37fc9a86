"""Actions: rights for every role, sensible status changes, validation, concurrent edits on
SQLite and PostgreSQL, and the effect follow-up on planted data."""

import datetime as dt
import functools

import pandas as pd
import pytest
from sqlalchemy import func, select, text

from lagesbild import auth, db
from lagesbild.actor import SYSTEM, Actor
from lagesbild.analysis import effect
from lagesbild.errors import ConflictError, PermissionDenied, ValidationError
from lagesbild.filters import Window
from lagesbild.models import Action, ActionStatusChange, Category, Organisation
from lagesbild.queries import actions as action_queries
from lagesbild.queries.common import Viewer
from lagesbild.reference import seed_default_categories
from lagesbild.services import actions, reports
from lagesbild.services.actions import ActionInput
from lagesbild.services.reports import IncidentInput

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def forum(engine):
    with db.transaction(engine) as s:
        seed_default_categories(s)
        own = Organisation(name="Vellingebostäder", short_name="VB", kind="bostadsbolag")
        other = Organisation(name="Teknik", short_name="Teknik", kind="kommun")
        s.add_all([own, other])
        s.flush()
        people = {
            "member": ("vb", own.id, "medlem"),
            "chair": ("sam", own.id, "samordnare"),
            "admin": ("adm", other.id, "admin"),
            "leader": ("led", other.id, "ledning"),
        }
        actors = {}
        for key, (name, org, role) in people.items():
            user = auth.create_user(
                s,
                SYSTEM,
                username=name,
                display_name=name,
                organisation_id=org,
                role=role,
                password="ett-langt-losenord",
            )
            actors[key] = auth.actor_for(user)
        return engine, {"own": own.id, "other": other.id}, actors


def _new(engine, actor, org_id, title="Beskär buskarna vid Solgården", **extra):
    with db.transaction(engine) as s:
        action = actions.create_action(
            s,
            actor,
            ActionInput(
                title=title,
                owner_org_id=org_id,
                start_date=TODAY,
                due_date=TODAY + dt.timedelta(days=30),
                **extra,
            ),
        )
        return action.id, action.version


RIGHTS = [
    # role, whose action, may create / edit / close
    ("member", "own", True),
    ("member", "other", False),
    ("chair", "own", True),
    ("chair", "other", True),
    ("admin", "own", True),
    ("admin", "other", True),
    ("leader", "own", False),
    ("leader", "other", False),
]


@pytest.mark.parametrize(("role", "whose", "allowed"), RIGHTS)
def test_rights_for_create_edit_and_close(forum, role, whose, allowed):
    engine, orgs, actors = forum
    actor, org_id = actors[role], orgs[whose]

    def attempt(fn):
        if allowed:
            fn()
        else:
            with pytest.raises(PermissionDenied):
                fn()

    attempt(lambda: _new(engine, actor, org_id))
    action_id, version = _new(engine, actors["admin"], org_id, "Admins åtgärd")

    def edit():
        with db.transaction(engine) as s:
            actions.update_action(
                s,
                actor,
                action_id,
                version,
                ActionInput(title="Ändrad rubrik", owner_org_id=org_id),
            )

    def close():
        with db.transaction(engine) as s:
            current = s.get(Action, action_id).version
            actions.change_status(s, actor, action_id, current, "avbruten", "Behövs inte")

    attempt(edit)
    attempt(close)


def test_a_status_path_with_history_and_closing_date(forum):
    engine, orgs, actors = forum
    action_id, version = _new(engine, actors["member"], orgs["own"])
    for status in ("beslutad", "pagar", "klar"):
        with db.transaction(engine) as s:
            action = actions.change_status(
                s, actors["member"], action_id, version, status, f"Nu {status}", today=TODAY
            )
            version = action.version
    with db.transaction(engine) as s:
        action = s.get(Action, action_id)
        assert (action.status, action.closed_at) == ("klar", TODAY)
        steps = s.scalars(
            select(ActionStatusChange.to_status)
            .where(ActionStatusChange.action_id == action_id)
            .order_by(ActionStatusChange.id)
        ).all()
        assert steps == ["foreslagen", "beslutad", "pagar", "klar"]
    with pytest.raises(ValidationError) as err, db.transaction(engine) as s:
        actions.change_status(s, actors["member"], action_id, version, "foreslagen")
    assert err.value.problems["status"] == "En åtgärd som är klar kan inte bli föreslagen."
    with db.transaction(engine) as s:  # reopening is possible
        action = actions.change_status(
            s, actors["member"], action_id, version, "pagar", "Klottret kom tillbaka"
        )
        assert action.closed_at is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"due_date": TODAY - dt.timedelta(days=1)}, "due_date", "ligger före startdatumet"),
        ({"title": "  "}, "title", "Ge åtgärden en rubrik."),
        ({"owner_org_id": 9999}, "owner_org_id", "Välj en ansvarig organisation"),
        ({"description": "Kontakta Kalle Andersson"}, "description", "personuppgifter"),
    ],
)
def test_invalid_actions_are_refused(forum, change, field, message):
    engine, orgs, actors = forum
    item = {
        "title": "En åtgärd",
        "owner_org_id": orgs["own"],
        "start_date": TODAY,
        "due_date": TODAY + dt.timedelta(days=10),
        **change,
    }
    with pytest.raises(ValidationError) as err, db.transaction(engine) as s:
        actions.create_action(s, actors["chair"], ActionInput(**item))
    assert message in err.value.problems[field]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Action)).scalar() == 0


def test_two_people_editing_at_once(forum):
    """Both open version 1; the first save wins, the second is refused with what changed."""
    engine, orgs, actors = forum
    action_id, version = _new(engine, actors["member"], orgs["own"])
    with db.transaction(engine) as s:
        seen = actions._snapshot(s.get(Action, action_id))
    with db.transaction(engine) as s:
        actions.update_action(
            s,
            actors["chair"],
            action_id,
            version,
            ActionInput(
                title="Beskär buskarna och byt belysning",
                owner_org_id=orgs["own"],
                start_date=TODAY,
                due_date=TODAY + dt.timedelta(days=45),
            ),
            seen=seen,
        )
    with pytest.raises(ConflictError) as err, db.transaction(engine) as s:
        actions.update_action(
            s,
            actors["member"],
            action_id,
            version,
            ActionInput(title="Min version", owner_org_id=orgs["own"]),
            seen=seen,
        )
    assert err.value.changes["title"] == (
        "Beskär buskarna vid Solgården",
        "Beskär buskarna och byt belysning",
    )
    assert "due_date" in err.value.changes
    with engine.connect() as conn:
        assert conn.execute(select(Action.title)).scalar() == "Beskär buskarna och byt belysning"


def test_the_database_refuses_a_stale_write_even_past_the_check(forum):
    engine, orgs, actors = forum
    action_id, _ = _new(engine, actors["member"], orgs["own"])
    factory = db.session_factory(engine)
    first, second = factory(), factory()
    a, b = first.get(Action, action_id), second.get(Action, action_id)
    a.title = "Först"
    first.commit()
    b.title = "Sedan"
    with pytest.raises(ConflictError):
        actions._flush(second)
    second.rollback()
    first.close()
    second.close()


def _incidents(engine, orgs) -> dict[str, int]:
    """Reported by the other organisation: one for the whole forum, one restricted, one
    withdrawn; and one restricted of the member's own."""
    admin = Actor(
        user_id=None, username="adm", display_name="adm", organisation_id=None, role="admin"
    )
    ids = {}
    with db.transaction(engine) as s:
        klotter = s.scalar(select(Category.id).where(Category.name == "Klotter"))
        for key, org, visibility in [
            ("forum", "other", "forum"),
            ("restricted", "other", "begransad"),
            ("withdrawn", "other", "forum"),
            ("own_restricted", "own", "begransad"),
        ]:
            (incident,) = reports.create_report(
                s,
                admin,
                [
                    IncidentInput(
                        category_id=klotter,
                        lat=55.4716,
                        lon=13.0194,
                        occurred_at=dt.datetime(2026, 11, 20, 21, 30),
                    )
                ],
                organisation_id=orgs[org],
                visibility=visibility,
            )
            ids[key] = incident.id
        s.flush()
        reports.withdraw_incident(s, admin, ids["withdrawn"], 1, "dubbelrapporterad")
    return ids


def _linking(engine, actor, org_id, incident_ids, action_id=None):
    item = ActionInput(title="Sanera klotter", owner_org_id=org_id, incident_ids=incident_ids)
    with db.transaction(engine) as s:
        if action_id is None:
            return actions.create_action(s, actor, item).id
        version = s.get(Action, action_id).version
        return actions.update_action(s, actor, action_id, version, item).id


def _linked(engine, action_id) -> set[int]:
    with engine.connect() as conn:
        return set(
            conn.scalars(
                text("SELECT incident_id FROM action_incident WHERE action_id = :a"),
                {"a": action_id},
            )
        )


def test_another_organisations_restricted_incident_cannot_be_linked(forum):
    """Refused exactly as an incident that does not exist, so the refusal reveals nothing."""
    engine, orgs, actors = forum
    ids = _incidents(engine, orgs)
    member = actors["member"]
    refusals = []
    for hidden in (ids["restricted"], ids["withdrawn"], 999_999):
        with pytest.raises(ValidationError) as err:
            _linking(engine, member, orgs["own"], [ids["forum"], hidden])
        refusals.append(err.value.problems)
    assert refusals[0] == refusals[1] == refusals[2] == {"incident_ids": "Okänd händelse."}
    own = _linking(engine, member, orgs["own"], [ids["forum"], ids["own_restricted"]])
    assert _linked(engine, own) == {ids["forum"], ids["own_restricted"]}
    with pytest.raises(ValidationError):
        _linking(engine, member, orgs["own"], [ids["restricted"]], action_id=own)
    assert _linked(engine, own) == {ids["forum"], ids["own_restricted"]}


def test_links_a_chair_made_stay_when_a_member_edits_the_action(forum):
    engine, orgs, actors = forum
    ids = _incidents(engine, orgs)
    action_id = _linking(engine, actors["chair"], orgs["own"], [ids["restricted"]])
    assert _linked(engine, action_id) == {ids["restricted"]}
    _linking(engine, actors["member"], orgs["own"], None, action_id=action_id)  # the page
    assert _linked(engine, action_id) == {ids["restricted"]}
    _linking(engine, actors["member"], orgs["own"], [ids["restricted"], ids["forum"]], action_id)
    assert _linked(engine, action_id) == {ids["restricted"], ids["forum"]}
    _linking(engine, actors["member"], orgs["own"], [], action_id=action_id)
    assert _linked(engine, action_id) == set()


def test_effect_reports_a_real_drop():
    result = effect.evaluate(
        treated_before=40, treated_after=8, control_before=400, control_after=390, after_days=84
    )
    assert result.verdict == "Minskade" and result.high < 1
    assert result.change == pytest.approx(8.5 / 40.5 / (390.5 / 400.5) - 1)
    assert "färre" in result.explanation


def test_effect_reports_no_change_when_there_is_none():
    result = effect.evaluate(20, 19, 400, 380, 84)
    assert result.verdict == "Ingen säker förändring" and result.low < 1 < result.high


def test_effect_follows_the_rest_of_the_municipality():
    """A drop that happens everywhere is not the action's doing."""
    result = effect.evaluate(40, 20, 400, 200, 84)
    assert result.verdict == "Ingen säker förändring"


@pytest.mark.parametrize(
    ("args", "verdict"),
    [
        ((1, 2, 300, 300, 84), "För få händelser för att säga något"),
        ((30, 5, 300, 300, 7), "För tidigt att säga"),
    ],
)
def test_effect_says_when_it_cannot_tell(args, verdict):
    assert effect.evaluate(*args).verdict == verdict


def test_effect_windows_are_equal_and_end_today_at_the_latest():
    before, after = effect.windows(dt.date(2026, 1, 10), dt.date(2026, 11, 1), TODAY)
    assert after.start == dt.datetime(2026, 11, 1) and after.end == dt.datetime(2026, 11, 22)
    assert before.end == dt.datetime(2026, 1, 10) and before.days == after.days == 21


def test_effect_counts_on_the_demo_graffiti_action(demo_engine):
    """The demo's quick graffiti removal in Höllviken: counts match pandas, and it worked."""
    with demo_engine.connect() as conn:
        action = conn.execute(
            text(
                "SELECT id, place_id, area_id, start_date, closed_at FROM action WHERE title LIKE "
                "'Klottersanering%'"
            )
        ).one()
        links = action_queries.links(conn, action.id)
        start = dt.date.fromisoformat(str(action.start_date)[:10])
        done = dt.date.fromisoformat(str(action.closed_at)[:10])
        before, after = effect.windows(start, done, TODAY)
        got = action_queries.effect_counts(
            conn,
            viewer=Viewer(None, True),
            question=action_queries.EffectQuestion(
                action.place_id, None, tuple(links["category_ids"]), before, after
            ),
        )
        rows = conn.execute(
            text(
                "SELECT occurred_at, place_id FROM incident WHERE category_id IN ("
                + ",".join(map(str, links["category_ids"]))
                + ") AND precision != 'ungefar'"
            )
        ).all()

    def count(window, here):
        return sum(
            1
            for when, place in rows
            if window.start
            <= (when if isinstance(when, dt.datetime) else dt.datetime.fromisoformat(when))
            < window.end
            and (place == action.place_id) == here
        )

    assert got == {
        "treated_before": count(before, True),
        "treated_after": count(after, True),
        "control_before": count(before, False),
        "control_after": count(after, False),
    }
    verdict = effect.evaluate(**got, after_days=after.days)
    assert verdict.verdict == "Minskade"


def test_many_actions_effects_read_together_match_pandas(demo_engine):
    """Kvartal's effects of many actions in one read: for every demo action with a place or an
    area (places, areas, with and without categories, windows of different lengths and
    overlapping), each answer equals a count made in pandas from the raw incidents, and equals
    the same action asked alone."""
    import pandas as pd

    viewer = Viewer(None, True)
    with demo_engine.connect() as conn:
        rows = conn.execute(text("SELECT id, place_id, area_id FROM action ORDER BY id")).all()
        raw = pd.read_sql_query(
            text(
                "SELECT occurred_at, place_id, area_id, category_id FROM incident "
                "WHERE withdrawn_at IS NULL AND precision != 'ungefar'"
            ),
            conn,
        )
        questions = []
        for i, row in enumerate(rows):
            if row.place_id is None and row.area_id is None:
                continue
            done = TODAY - dt.timedelta(days=7 + 11 * i)
            before, after = effect.windows(done - dt.timedelta(days=3 * i), done, TODAY)
            by_place = row.place_id is not None and i % 3 != 1
            categories = action_queries.links(conn, row.id)["category_ids"]
            questions.append(
                action_queries.EffectQuestion(
                    place_id=row.place_id if by_place else None,
                    area_id=None if by_place else row.area_id,
                    category_ids=() if i % 4 == 0 else tuple(categories),
                    before=before,
                    after=after,
                )
            )
        got = action_queries.effect_counts_many(conn, viewer=viewer, questions=questions)
        alone = [action_queries.effect_counts(conn, viewer=viewer, question=q) for q in questions]
    assert {q.place_id is None for q in questions} == {True, False}  # areas and places
    assert {bool(q.category_ids) for q in questions} == {True, False}
    raw["occurred_at"] = pd.to_datetime(raw["occurred_at"])

    def expected(q) -> dict[str, int]:
        rows = raw[raw["category_id"].isin(q.category_ids)] if q.category_ids else raw
        here = (
            rows["place_id"] == q.place_id
            if q.place_id is not None
            else rows["area_id"] == q.area_id
        )

        def within(w):
            return (rows["occurred_at"] >= w.start) & (rows["occurred_at"] < w.end)

        return {
            "treated_before": int((here & within(q.before)).sum()),
            "treated_after": int((here & within(q.after)).sum()),
            "control_before": int((~here & within(q.before)).sum()),
            "control_after": int((~here & within(q.after)).sum()),
        }

    assert got == [expected(q) for q in questions]
    assert got == alone
    assert sum(answer["treated_after"] for answer in got) > 0


def test_an_effect_needs_a_place_or_area_and_whole_days(demo_engine):
    window = effect.windows(None, TODAY - dt.timedelta(days=30), TODAY)
    with demo_engine.connect() as conn:
        assert (
            action_queries.effect_counts_many(conn, viewer=Viewer(None, True), questions=[]) == []
        )
        with pytest.raises(ValueError, match="place"):
            action_queries.effect_counts_many(
                conn,
                viewer=Viewer(None, True),
                questions=[action_queries.EffectQuestion(None, None, (), *window)],
            )
        noon = Window(window[0].start + dt.timedelta(hours=12), window[0].end)
        with pytest.raises(ValueError, match="whole days"):
            action_queries.effect_counts_many(
                conn,
                viewer=Viewer(None, True),
                questions=[action_queries.EffectQuestion(1, None, (), noon, window[1])],
            )


def test_an_actions_effect_question_is_asked_at_its_place_else_its_area():
    """The one way the Åtgärder page and Kvartal turn an action into its effect question, with
    ids as a data frame gives them (floats, NaN)."""
    done, start = TODAY - dt.timedelta(days=30), TODAY - dt.timedelta(days=60)
    ask = functools.partial(
        action_queries.effect_question, closed_at=done, category_ids=[3, 5], today=TODAY
    )
    whole = ask(place_id=float("nan"), area_id=None, start_date=pd.NaT)
    assert whole is None  # the whole municipality: not measured
    at_place = ask(place_id=7.0, area_id=2.0, start_date=start)
    assert (at_place.place_id, at_place.area_id, at_place.category_ids) == (7, None, (3, 5))
    assert (at_place.before, at_place.after) == effect.windows(start, done, TODAY)
    in_area = ask(place_id=float("nan"), area_id=2.0, start_date=float("nan"))
    assert (in_area.place_id, in_area.area_id) == (None, 2)
    assert (in_area.before, in_area.after) == effect.windows(None, done, TODAY)


def test_the_action_plan_holds_current_actions_by_area_and_is_logged(forum):
    """Åtgärdsplan: open actions only, grouped by area, in Excel and a paged PDF, audited."""
    import io
    import json

    import openpyxl
    from pypdf import PdfReader

    from lagesbild.services import exports

    engine, orgs, people = forum
    _new(engine, people["chair"], orgs["own"], title="Belysning i gångtunneln")
    done_id, version = _new(engine, people["chair"], orgs["other"], title="Klottersanering klar")
    with db.transaction(engine) as s:
        for status in ("beslutad", "pagar", "klar"):
            actions.change_status(s, people["chair"], done_id, version, status, "Följt upp")
            version += 1

    xlsx = exports.action_plan_file(engine, people["chair"], "xlsx", "Vellinge", TODAY)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx))["Åtgärdsplan"]
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "Belysning i gångtunneln" in cells and "Klottersanering klar" not in cells

    pdf = exports.action_plan_file(engine, people["chair"], "pdf", "Vellinge", TODAY)
    reader = PdfReader(io.BytesIO(pdf))
    words = " ".join(page.extract_text() for page in reader.pages)
    assert "Åtgärdsplan" in words and "Belysning i gångtunneln" in words
    assert "Klottersanering klar" not in words and "Hela kommunen" in words
    assert f"sida 1 av {len(reader.pages)}" in words
    with engine.connect() as conn:
        logged = conn.execute(
            text(
                "SELECT after FROM audit_log WHERE verb = 'export' AND entity = 'action_plan' "
                "ORDER BY id"
            )
        ).all()
    after = [json.loads(r.after) if isinstance(r.after, str) else r.after for r in logged]
    assert [a["format"] for a in after] == ["xlsx", "pdf"] and all(a["rows"] == 1 for a in after)
