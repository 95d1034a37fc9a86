"""The periodic summary for leadership: every figure of the Kvartal page, its PDF and Excel
files and the lägesbild och åtgärdsplan, gathered once for a period and a viewer.

All counts are occurrences (the sum of `count`), from the same queries the analysis pages use.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection, Engine

from lagesbild.analysis import changes, effect, hotspots, patterns
from lagesbild.clock import local_to_utc
from lagesbild.filters import Scope, Window
from lagesbild.models import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    ActionStatusChange,
    Observation,
)
from lagesbild.periods import ReportPeriod
from lagesbild.queries import actions as action_queries
from lagesbild.queries import hotspots as hotspot_queries
from lagesbild.queries import incidents, layers, lookup, period_map
from lagesbild.queries.common import Viewer, where_name

WINDOWS = ("current", "previous", "last_year")
RISK_DAYS = 90  # upcoming events and risk periods shown
TOP_PLACES = 5


@dataclass(frozen=True)
class Summary:
    period: ReportPeriod
    today: dt.date
    window: Window
    previous: Window
    last_year: Window
    totals: dict[str, int]  # current, previous, last_year
    reports: int  # incident rows in the period
    groups: pd.DataFrame  # group, current, previous, last_year
    areas: pd.DataFrame  # area, current, previous, last_year
    trend: pd.DataFrame  # bucket (date), group, occurrences
    bucket: str  # week or month
    rising: pd.DataFrame  # place, current, previous, change, change_pct
    falling: pd.DataFrame
    hotspots: pd.DataFrame  # name, status, recent, expected, certainty
    hotspot_rule: hotspots.Rule
    actions: dict[str, int]  # decided, completed, overdue, open
    completed: pd.DataFrame  # title, owner, where, closed_at, verdict, explanation
    overdue: pd.DataFrame  # title, owner, where, due_date
    risks: pd.DataFrame  # title, kind, starts_at, ends_at, expected_impact, where
    sources: pd.DataFrame  # organisation, occurrences
    observations: int  # unsafe places reported in the period
    patterns: list[str]  # sentences on time of day and week
    map: period_map.PeriodMap | None = None  # boundary, areas, incidents per cell

    @property
    def label(self) -> str:
        return self.period.label(self.today)

    @property
    def empty(self) -> bool:
        return self.totals["current"] == 0


def _windows(period: ReportPeriod, today: dt.date) -> dict[str, Window]:
    return {
        "current": period.window(today),
        "previous": period.previous_window(today),
        "last_year": period.last_year_window(today),
    }


def _named(df: pd.DataFrame, dim: str, names: pd.Series, missing: str) -> pd.DataFrame:
    out = df.copy()
    out[dim] = out[dim].map(names).astype(object).fillna(missing)  # object: names may be none
    out = out.groupby(dim, as_index=False)[list(WINDOWS)].sum()
    return out.sort_values(["current", "previous", dim], ascending=[False, False, True])


def _counts(conn: Connection, *, scope: Scope, viewer: Viewer, windows) -> pd.DataFrame:
    """Occurrences per category, area and reporting organisation in each window: one pass
    per window, from which the totals, groups, areas and sources are all summed."""
    df = incidents.window_counts(
        conn, scope=scope, viewer=viewer, windows=windows, dims=("category", "area", "org")
    )
    return df.astype({"category": "Int64", "area": "Int64", "org": "Int64"})


def _trend(conn: Connection, *, scope: Scope, viewer: Viewer, bucket: str) -> pd.DataFrame:
    df = incidents.series(conn, scope=scope, viewer=viewer, bucket=bucket, dims=("category",))
    cats = lookup.categories(conn, active_only=False).set_index("id")
    df["group"] = df["category"].map(cats["group"]).fillna("Okänd")
    return df.groupby(["bucket", "group"], as_index=False)["occurrences"].sum()


def _places(conn: Connection, *, scope: Scope, viewer: Viewer, windows) -> pd.DataFrame:
    df = incidents.window_counts(
        conn,
        scope=scope,
        viewer=viewer,
        windows={k: windows[k] for k in ("current", "previous")},
        dims=("place",),
    )
    df = df[df["place"].notna()]
    names = lookup.places(conn, active_only=False).set_index("id")["name"]
    df["place"] = df["place"].map(names)
    return df[df["place"].notna()]


def _decided_ids(conn: Connection, window: Window) -> set[int]:
    """Actions that became decided during the window (status history, stored in UTC)."""
    stmt = select(ActionStatusChange.action_id).where(
        ActionStatusChange.to_status == ActionStatus.DECIDED.value,
        ActionStatusChange.changed_at >= local_to_utc(window.start),
        ActionStatusChange.changed_at < local_to_utc(window.end),
    )
    return set(conn.scalars(stmt).all())


WHOLE_MUNICIPALITY = "Hela kommunen"


def _where(row) -> str:
    return where_name(row.place, row.area, WHOLE_MUNICIPALITY)


def _actions(
    conn: Connection, *, viewer: Viewer, window: Window, today: dt.date
) -> tuple[dict[str, int], pd.DataFrame, pd.DataFrame]:
    every = action_queries.action_list(conn, today)
    first, last = window.start.date(), (window.end - dt.timedelta(microseconds=1)).date()
    # Compared as timestamps: a column with no date at all has no .dt.date to compare.
    closed = pd.to_datetime(every["closed_at"]).dt.normalize()
    done = every[
        (every["status"] == ActionStatus.DONE.value)
        & closed.between(pd.Timestamp(first), pd.Timestamp(last))
    ]
    # Open and overdue today (one definition, `action_queries.is_overdue`), whatever the
    # period: a document read today says what is late today.
    open_now = every["status"].isin(OPEN_ACTION_STATUSES)
    overdue = every[every["overdue"]]
    rows = []
    for r, (verdict, explanation) in zip(
        done.itertuples(), _effects(conn, viewer=viewer, actions=done, today=today), strict=True
    ):
        rows.append(
            {
                "title": r.title,
                "owner": r.owner,
                "where": _where(r),
                "closed_at": r.closed_at,
                "verdict": verdict,
                "explanation": explanation,
            }
        )
    completed = pd.DataFrame(
        rows, columns=["title", "owner", "where", "closed_at", "verdict", "explanation"]
    )
    late = pd.DataFrame(
        {
            "title": overdue["title"],
            "owner": overdue["owner"],
            "where": [_where(r) for r in overdue.itertuples()],
            "due_date": overdue["due_date"],
        }
    ).reset_index(drop=True)
    counts = {
        "decided": len(_decided_ids(conn, window)),
        "completed": len(completed),
        "overdue": len(late),
        "open": int(open_now.sum()),
    }
    return counts, completed, late


WHOLE_MUNICIPALITY_EFFECT = (
    "Mäts inte",
    "Åtgärden gäller hela kommunen och har ingen plats att jämföra.",
)


def _effects(
    conn: Connection, *, viewer: Viewer, actions: pd.DataFrame, today: dt.date
) -> list[tuple[str, str]]:
    """The measured effect of each finished action, as on the Åtgärder page: (verdict,
    explanation) in the actions' order, their counts read together."""
    categories = action_queries.category_ids(conn, [int(i) for i in actions["id"]])
    questions = [
        action_queries.effect_question(
            place_id=action.place_id,
            area_id=action.area_id,
            start_date=action.start_date,
            closed_at=action.closed_at,
            category_ids=categories[int(action.id)],
            today=today,
        )
        for action in actions.itertuples()
    ]
    asked = [q for q in questions if q is not None]
    answers = iter(action_queries.effect_counts_many(conn, viewer=viewer, questions=asked))
    out = []
    for q in questions:
        if q is None:
            out.append(WHOLE_MUNICIPALITY_EFFECT)
            continue
        result = effect.evaluate(**next(answers), after_days=q.after.days)
        out.append((result.verdict, result.explanation))
    return out


def _risks(conn: Connection, today: dt.date) -> pd.DataFrame:
    now = dt.datetime.combine(today, dt.time())
    coming = layers.coming_events(conn, scope=Scope.everywhere(), now=now, days=RISK_DAYS)
    if coming.empty:
        return pd.DataFrame(
            columns=["title", "kind", "starts_at", "ends_at", "expected_impact", "where"]
        )
    coming["where"] = [_where(r) for r in coming.itertuples()]
    return coming[["title", "kind", "starts_at", "ends_at", "expected_impact", "where"]]


def _sources(counts: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    df = counts.groupby("org", as_index=False)["current"].sum()
    df["organisation"] = df["org"].map(names).fillna("Okänd")
    df = df[df["current"] > 0].rename(columns={"current": "occurrences"})
    return df.sort_values(["occurrences", "organisation"], ascending=[False, True])[
        ["organisation", "occurrences"]
    ].reset_index(drop=True)


def _observations(conn: Connection, window: Window) -> int:
    return int(
        conn.scalar(
            select(func.count(Observation.id)).where(
                and_(Observation.observed_at >= window.start, Observation.observed_at < window.end)
            )
        )
    )


WORKERS = 3  # the parts are read side by side, each on its own connection


def _read(engine: Engine, function, *args, **kwargs):
    with engine.connect() as conn:
        return function(conn, *args, **kwargs)


def _hotspots(conn: Connection, *, scope: Scope, viewer: Viewer, rule, lat: float) -> pd.DataFrame:
    return hotspot_queries.flagged(conn, scope=scope, viewer=viewer, lat=lat, rule=rule)


def _patterns(conn: Connection, *, scope: Scope, viewer: Viewer) -> list[str]:
    return patterns.summary(incidents.weekday_hour(conn, scope=scope, viewer=viewer))


def _lookups(conn: Connection) -> tuple[pd.Series, pd.Series, pd.Series]:
    return (
        lookup.categories(conn, active_only=False).set_index("id")["group"],
        lookup.areas(conn, active_only=False).set_index("id")["name"],
        lookup.organisations(conn, active_only=False).set_index("id")["name"],
    )


def collect(
    engine: Engine, *, viewer: Viewer, period: ReportPeriod, lat: float, today: dt.date
) -> Summary:
    """Every figure of the period. The independent queries run side by side on separate
    connections (the database does the work, so two cores give close to twice the speed)."""
    windows = _windows(period, today)
    scope = Scope(window=windows["current"], label=period.name)
    bucket = "month" if period.kind == "ar" else "week"
    rule = hotspot_queries.RULE  # the Hot spots page's, at the period's last day
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:

        def start(function, *args, **kwargs):
            return pool.submit(_read, engine, function, *args, **kwargs)

        # The slowest first, so that they overlap the most.
        counts = start(_counts, scope=scope, viewer=viewer, windows=windows)
        action_parts = start(_actions, viewer=viewer, window=windows["current"], today=today)
        found = start(_hotspots, scope=scope, viewer=viewer, rule=rule, lat=lat)
        places = start(_places, scope=scope, viewer=viewer, windows=windows)
        pattern_lines = start(_patterns, scope=scope, viewer=viewer)
        trend = start(_trend, scope=scope, viewer=viewer, bucket=bucket)
        reports = start(incidents.totals, scope=scope, viewer=viewer)
        risks = start(_risks, today)
        observations = start(_observations, windows["current"])
        names = start(_lookups)
        mapped = start(period_map.collect, scope=scope, viewer=viewer, lat=lat)
        group_names, area_names, org_names = names.result()
        counts = counts.result()
        rising, falling = changes.largest_changes(places.result(), n=TOP_PLACES)
        action_counts, completed, overdue = action_parts.result()
        return Summary(
            period=period,
            today=today,
            window=windows["current"],
            previous=windows["previous"],
            last_year=windows["last_year"],
            totals={name: int(counts[name].sum()) for name in WINDOWS},
            reports=reports.result()["reports"],
            groups=_named(counts, "category", group_names, "Okänd")
            .rename(columns={"category": "group"})
            .reset_index(drop=True),
            areas=_named(counts, "area", area_names, "Utan område").reset_index(drop=True),
            trend=trend.result(),
            bucket=bucket,
            rising=rising.reset_index(drop=True),
            falling=falling.reset_index(drop=True),
            hotspots=found.result().reset_index(drop=True),
            hotspot_rule=rule,
            actions=action_counts,
            completed=completed,
            overdue=overdue,
            risks=risks.result().reset_index(drop=True),
            sources=_sources(counts, org_names),
            observations=observations.result(),
            patterns=pattern_lines.result(),
            map=mapped.result(),
        )
