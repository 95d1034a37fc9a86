"""One truth: a figure shown in two places is the same figure. For the demo forum at one pinned
moment (its next meeting closing), the hot spots, "sedan förra mötet" and the overdue actions
are read through each surface's own code path – Hot spots page, the meeting's steps 1 and 3,
the minutes, Kvartal, the lägesrapport, the åtgärdsplan, the lägesbild och åtgärdsplan and
Översikt – and must agree, on SQLite and PostgreSQL."""

import datetime as dt
import re

import pytest

from lagesbild import clock, labels
from lagesbild import filters as flt
from lagesbild.analysis import hotspots
from lagesbild.clock import local_to_utc
from lagesbild.export import action_plan, statutory
from lagesbild.export import summary as report
from lagesbild.filters import Filters, Known, Period, Scope, Window
from lagesbild.models import OPEN_ACTION_STATUSES
from lagesbild.periods import containing, latest_complete
from lagesbild.queries import actions as action_queries
from lagesbild.queries import hotspots as hotspot_queries
from lagesbild.queries import incidents, lookup, minutes, overview, picture, summary
from lagesbild.queries import meetings as meeting_queries
from lagesbild.queries.minutes import FORUM_VIEW
from lagesbild.ui.meeting import View
from tests.conftest import DEMO_NOW, ROOT

LAT = 55.43


def _known(conn) -> Known:
    return Known(
        categories=frozenset(lookup.categories(conn, active_only=False)["id"]),
        areas=frozenset(lookup.areas(conn, active_only=False)["id"]),
        places=frozenset(lookup.places(conn, active_only=False)["id"]),
    )


@pytest.fixture
def surfaces(demo_engine):
    """Every surface's figures for the demo forum, each by its own path, at the moment its
    next meeting closes (held as planned, 1½ hours long)."""
    with demo_engine.connect() as conn:
        upcoming = overview.next_meeting(conn, DEMO_NOW)
    now = upcoming["held_at"] + dt.timedelta(hours=1, minutes=30)
    today = now.date()
    clock.pin(now)
    out: dict[str, dict] = {}
    with demo_engine.connect() as conn:
        last = overview.last_meeting(conn, now)
        known = _known(conn)
        first = incidents.first_incident(conn, viewer=FORUM_VIEW)

        # Hot spots page: the filter bar's default period, the page's default rule
        scope = flt.resolve(Filters(), known, now, last, first)
        page = hotspots.flagged(
            hotspot_queries.find(
                conn, scope=scope, viewer=FORUM_VIEW, rule=hotspots.Rule(), lat=LAT
            )
        )
        # an analysis page with the period "Sedan förra mötet"
        since_scope = flt.resolve(Filters(period=Period.SINCE_MEETING), known, now, last, first)
        out["Analyssidor"] = {"since": incidents.totals(conn, scope=since_scope, viewer=FORUM_VIEW)}
        out["Hot spots"] = {"hotspots": list(page["name"])}

        # Möte, step 1 (live.since_meeting over the view's window) and step 3 (data.actions)
        seen = picture.picture(conn, viewer=FORUM_VIEW, window=_projected(conn, upcoming), lat=LAT)
        every = action_queries.action_list(conn, today)
        open_ = every[every["status"].isin(OPEN_ACTION_STATUSES)]
        out["Möte"] = {
            "hotspots": list(seen.hotspots["name"]),
            "since": seen.total,
            "usual": (round(seen.usual_total, 1), [round(v) for v in seen.usual_range]),
            "overdue": int(open_["overdue"].sum()),
        }
        # the minutes, as the next meeting would be closed now
        data = minutes.collect(conn, upcoming["id"], "Vellinge", LAT, local_to_utc(now))
        out["Protokoll"] = {
            "hotspots": [h["name"] for h in data["hotspots"]],
            "since": data["total"],
            "usual": (data["usual_total"], data["usual_range"]),
            "overdue": data["overdue_actions"],
        }
        # Översikt
        by_org = overview.open_actions_by_organisation(conn, today)
        out["Översikt"] = {"overdue": int(by_org["overdue"].sum())}
        # Åtgärdsplan (Excel and PDF share the table)
        plan = action_plan.plan_table(every, today)
        out["Åtgärdsplan"] = {"overdue": int(plan["Status"].str.endswith("(försenad)").sum())}

    # Kvartal and its documents: the quarter under way and the page's default (the latest
    # complete one)
    for name, period in (
        ("Kvartal (pågående)", containing("kvartal", today)),
        ("Kvartal (senaste hela)", latest_complete("kvartal", today)),
    ):
        s = summary.collect(demo_engine, viewer=FORUM_VIEW, period=period, lat=LAT, today=today)
        figures = report.action_figures(s).set_index("Mått")["Antal"]
        rows = statutory.plan_rows(plan)
        out[name] = {
            "overdue": s.actions["overdue"],
            "overdue listed": len(s.overdue),
            "lägesrapport": int(figures["Försenade i dag"]),
            "lägesbild och åtgärdsplan": int(rows["Status"].str.endswith("(försenad)").sum()),
        }
        if not period.is_complete(today):  # hot spots at the end of a period ending today
            out[name]["hotspots"] = list(s.hotspots["name"])
    return out


def _projected(conn, planned: dict) -> Window:
    """The window the projected step 1 reads now (`View.since`)."""
    meeting = meeting_queries.meeting(conn, planned["id"])
    return View(ctx=None, actor=None, meeting=meeting, lookups=None).since


def _values(surfaces: dict, figure: str) -> dict[str, object]:
    found = {}
    for surface, figures in surfaces.items():
        for key, value in figures.items():
            if key == figure or (figure == "overdue" and key not in ("hotspots", "since", "usual")):
                found[f"{surface}: {key}"] = value
    return found


def test_every_surface_shows_the_same_hot_spots(surfaces):
    seen = _values(surfaces, "hotspots")
    assert len(seen) == 4, seen  # Hot spots, Möte, Protokoll, Kvartal under way
    assert len({tuple(v) for v in seen.values()}) == 1, seen
    assert seen["Hot spots: hotspots"], "the demo forum has hot spots"


def test_every_surface_counts_the_same_overdue_actions(surfaces):
    seen = _values(surfaces, "overdue")
    assert len(seen) >= 10, seen
    assert len(set(seen.values())) == 1, seen
    assert seen["Översikt: overdue"] > 0, "the demo forum has overdue actions"


def test_since_the_last_meeting_is_one_count(surfaces):
    since = {name: f["since"] for name, f in surfaces.items() if "since" in f}
    since["Analyssidor"] = since["Analyssidor"]["occurrences"]
    assert len(set(since.values())) == 1, since


def test_the_room_and_the_minutes_set_it_against_the_same_usual_level(surfaces):
    """Step 1 once said "Normalt för perioden 90,5" while the minutes of the same moment said
    "normalt 90,4": the two windows ended ten minutes apart."""
    assert surfaces["Möte"]["usual"] == surfaces["Protokoll"]["usual"]
    assert surfaces["Möte"]["usual"][0] > 0


def test_the_minutes_read_the_window_the_room_saw(demo_engine, monkeypatch):
    """The minutes, written the minute the meeting closes, draw the picture over the very
    window the projected step 1 showed that minute (not one ending ten minutes earlier)."""
    with demo_engine.connect() as conn:
        upcoming = overview.next_meeting(conn, DEMO_NOW)
    read: list[Window] = []
    drawn = picture.picture

    def recorded(conn, *, viewer, window, lat):
        read.append(window)
        return drawn(conn, viewer=viewer, window=window, lat=lat)

    monkeypatch.setattr(picture, "picture", recorded)
    for later in (dt.timedelta(minutes=47, seconds=12), dt.timedelta(hours=2, seconds=59)):
        now = upcoming["held_at"] + later
        clock.pin(now, running=False)
        with demo_engine.connect() as conn:
            minutes.collect(conn, upcoming["id"], "Vellinge", LAT, local_to_utc(now))
            assert read[-1] == _projected(conn, upcoming), later
            assert read[-1].end == now.replace(second=0) + clock.AHEAD


def test_overdue_has_one_definition(demo_engine):
    """Open (the one list of open statuses) and due before today: the day an action falls due
    it is not yet late, the day after it is."""
    with demo_engine.connect() as conn:
        every = action_queries.action_list(conn, DEMO_NOW.date())
    due = every[every["status"].isin(OPEN_ACTION_STATUSES) & every["due_date"].notna()]
    assert len(due), "the demo has open actions with a due date"
    expected = [d < DEMO_NOW.date() for d in due["due_date"]]
    assert list(due["overdue"]) == expected
    closed = every[~every["status"].isin(OPEN_ACTION_STATUSES)]
    assert not closed["overdue"].any()
    assert "före i dag" in labels.OVERDUE_MEANING


def test_no_module_judges_overdue_on_its_own():
    """Lists, documents and the reminder e-mail all ask `queries.actions.is_overdue`: no
    other module compares a due date with today."""
    own = re.compile(r"due_date\W*\s*<(?!=)\s*(today|clock|dt\.date)")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in [*(ROOT / "src" / "lagesbild").rglob("*.py"), *(ROOT / "pages").glob("*.py")]
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if own.search(line) and not line.strip().startswith("return and_(")
    ]
    assert offenders == []


def test_the_meeting_names_the_hot_spot_window(demo_engine):
    with demo_engine.connect() as conn:
        last = overview.last_meeting(conn, DEMO_NOW)
        seen = picture.picture(conn, viewer=FORUM_VIEW, window=Window(last, DEMO_NOW), lat=LAT)
    assert seen.hotspot_rule == hotspots.Rule()
    assert hotspots.window_name(seen.hotspot_rule) == "senaste 4 veckorna"


@pytest.mark.parametrize("moment", [dt.datetime(2026, 11, 30, 10), dt.datetime(2026, 12, 1, 8)])
def test_the_hot_spots_agree_at_other_moments(demo_engine, moment):
    """The meeting's hot spots are the page's whatever day it is (here a few days after the
    demo was built)."""
    clock.pin(moment)
    with demo_engine.connect() as conn:
        last = overview.last_meeting(conn, moment)
        seen = picture.picture(conn, viewer=FORUM_VIEW, window=Window(last, moment), lat=LAT)
        scope = Scope(window=Window(moment - dt.timedelta(days=30), moment), label="")
        page = hotspots.flagged(
            hotspot_queries.find(
                conn, scope=scope, viewer=FORUM_VIEW, rule=hotspots.Rule(), lat=LAT
            )
        )
    assert list(seen.hotspots["name"]) == list(page["name"])


OPEN = [("PROPOSED", "foreslagen"), ("DECIDED", "beslutad"), ("IN_PROGRESS", "pagar")]


def test_open_actions_are_defined_once():
    """`models.OPEN_ACTION_STATUSES` is the one list of open statuses: no module spells out its
    own (pages, meeting, mail and map layers once had four more under other names)."""
    import re

    from tests.conftest import ROOT

    one = r"\s*(?:ActionStatus\.{}(?:\.value)?|[\"']{}[\"'])\s*"
    spelled = re.compile(  # a name given the three open statuses, as values or as members
        r"=\s*[(\[{]" + ",".join(one.format(m, v) for m, v in OPEN) + r",?\s*[)\]}]"
    )
    found = [
        str(path.relative_to(ROOT))
        for folder in ("src/lagesbild", "pages")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and spelled.search(path.read_text(encoding="utf-8"))
    ]
    assert found == ["src/lagesbild/models.py"]
