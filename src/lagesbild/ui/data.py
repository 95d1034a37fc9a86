"""Cached wrappers around the read queries. Every argument that changes the answer (database
URL, viewer, period) is a hashable parameter; nothing here reads session state.

The analysis figures also take the database's data version (`AppContext.data_version`, read
once per run): it is part of the cache key only, so a report written anywhere – another app
server, an import, the police feed – is in the figures of the next page run, while a page run
with nothing new reuses the figures. Writes through this app also drop every cached figure
(`write.call`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from lagesbild import geo
from lagesbild.actor import Actor
from lagesbild.analysis.hotspots import Rule
from lagesbild.clock import local_today
from lagesbild.filters import Known, Scope, Window
from lagesbild.models import OPEN_ACTION_STATUSES
from lagesbild.periods import ReportPeriod
from lagesbild.queries import actions as action_queries
from lagesbild.queries import feeds, incidents, layers, lookup, overview
from lagesbild.queries import hotspots as hotspot_queries
from lagesbild.queries import summary as summary_queries
from lagesbild.queries.common import Viewer
from lagesbild.queries.lookup import DataVersion
from lagesbild.services import photos
from lagesbild.services.feed import FEED
from lagesbild.ui.context import engine_for

TTL = 60


@st.cache_data(ttl=600, show_spinner=False)
def organisation_name(url: str, organisation_id: int | None) -> str:
    if organisation_id is None:
        return ""
    with engine_for(url).connect() as conn:
        return lookup.organisation_name(conn, organisation_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def overview_figures(url: str, *, viewer: Viewer, now: dt.datetime) -> dict[str, pd.DataFrame]:
    with engine_for(url).connect() as conn:
        return {
            "weeks": overview.week_comparison(conn, viewer=viewer, now=now),
            "latest": overview.latest_incidents(conn, viewer=viewer, limit=10),
            "actions": overview.open_actions_by_organisation(conn, now.date()),
            "events": layers.coming_events(conn, scope=Scope.everywhere(), now=now, days=21),
        }


@st.cache_data(ttl=TTL, show_spinner=False)
def meeting_dates(url: str, now: dt.datetime) -> tuple[dict | None, dt.datetime | None]:
    with engine_for(url).connect() as conn:
        return overview.next_meeting(conn, now), overview.last_meeting(conn, now)


@st.cache_data(ttl=TTL, show_spinner=False)
def organisations(url: str) -> pd.DataFrame:
    with engine_for(url).connect() as conn:
        return lookup.organisations(conn)


@st.cache_data(ttl=TTL, show_spinner=False)
def users(url: str) -> pd.DataFrame:
    with engine_for(url).connect() as conn:
        return lookup.users(conn)


def names(frame: pd.DataFrame, column: str = "name") -> dict:
    """A lookup list's ids and what to call each (its name, short name, title …)."""
    return dict(zip(frame["id"], frame[column], strict=True))


@dataclass(frozen=True)
class Lookups:
    """Reference lists for pickers and labels, and the ids a filter may name."""

    groups: pd.DataFrame
    categories: pd.DataFrame
    areas: pd.DataFrame
    places: pd.DataFrame
    orgs: pd.DataFrame

    @property
    def known(self) -> Known:
        return Known(
            groups=frozenset(self.groups["id"]),
            categories=frozenset(self.categories["id"]),
            areas=frozenset(self.areas["id"]),
            places=frozenset(self.places["id"]),
            orgs=frozenset(self.orgs["id"]),
            category_group=dict(
                zip(self.categories["id"], self.categories["group_id"], strict=True)
            ),
            place_area=dict(zip(self.places["id"], self.places["area_id"], strict=True)),
        )

    @property
    def latitude(self) -> float:
        """The middle of the forum's extent from south to north (metre-sized cells and map
        scales depend on it)."""
        extent = self.extent
        return (extent[1] + extent[3]) / 2 if extent else 60.0

    @property
    def extent(self) -> tuple[float, float, float, float] | None:
        """The forum's extent: its places and its areas' outlines."""
        boxes = [geo.bbox(g) for g in self.areas["geojson"] if g]
        if not self.places.empty:
            boxes.append(
                (
                    self.places["lon"].min(),
                    self.places["lat"].min(),
                    self.places["lon"].max(),
                    self.places["lat"].max(),
                )
            )
        boxes = [b for b in boxes if b]
        if not boxes:
            return None
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def lookups(url: str) -> Lookups:
    """Every category, area, place and organisation, including inactive ones (history stays
    readable); pickers offer the active ones."""
    with engine_for(url).connect() as conn:
        return Lookups(
            groups=lookup.groups(conn, active_only=False),
            categories=lookup.categories(conn, active_only=False),
            areas=lookup.areas(conn),
            places=lookup.places(conn),
            orgs=lookup.organisations(conn, active_only=False),
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def first_incident(
    url: str, *, viewer: Viewer, version: DataVersion | None = None
) -> dt.datetime | None:
    with engine_for(url).connect() as conn:
        return incidents.first_incident(conn, viewer=viewer)


@dataclass(frozen=True)
class MapData:
    summary: incidents.MapSummary
    mode: str  # "punkter" or "rutor"
    points: pd.DataFrame
    observations: pd.DataFrame
    actions: pd.DataFrame
    events: pd.DataFrame


@st.cache_data(ttl=TTL, show_spinner="Hämtar kartan …")
def map_data(
    url: str,
    *,
    viewer: Viewer,
    scope: Scope,
    want_points: bool | None,
    forum_box: tuple[float, float, float, float] | None,
    version: DataVersion | None = None,
) -> MapData:
    """One pass over the selection for cells, areas and extent; single incidents as well
    when they are few (or asked for). `want_points`: None decides by size, True/False forces."""
    base = incidents.cell_size(forum_box, incidents.BASE_CELLS)
    with engine_for(url).connect() as conn:
        summary = incidents.summarise_map(
            incidents.map_facts(conn, scope=scope, viewer=viewer, base=base), base
        )
        few = summary.reports <= incidents.POINT_LIMIT
        use_points = few if want_points is None else want_points
        return MapData(
            summary=summary,
            mode="punkter" if use_points else "rutor",
            points=incidents.points(conn, scope=scope, viewer=viewer)
            if use_points
            else pd.DataFrame(),
            observations=layers.open_observations(conn, scope=scope),
            actions=layers.open_actions(conn, scope=scope),
            events=layers.coming_events(conn, scope=scope, now=scope.window.end),
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def map_photos(
    url: str, actor: Actor, ids: tuple[int, ...], of: str = "incident"
) -> dict[int, str]:
    """Small pictures for the tooltips of a map's incidents (or unsafe places, `of=
    "observation"`), the newest first and capped, as the actor may see them."""
    return photos.thumbnail_urls(engine_for(url), actor, ids, of=of)


@st.cache_data(ttl=TTL, show_spinner="Räknar trender …")
def trend_data(
    url: str,
    *,
    viewer: Viewer,
    scope: Scope,
    bucket: str,
    split: str,
    version: DataVersion | None = None,
) -> dict[str, pd.DataFrame]:
    """Two scans: occurrences per bucket split by category (for groups), area or place; and
    the three-period comparison per category and place (summed to groups, places, total)."""
    dims = {"group": ("category",), "area": ("area",), "place": ("place",)}[split]
    with engine_for(url).connect() as conn:
        return {
            "series": incidents.series(conn, scope=scope, viewer=viewer, bucket=bucket, dims=dims),
            "compare": incidents.compare(
                conn, scope=scope, viewer=viewer, dims=("category", "place")
            ),
        }


@st.cache_data(ttl=TTL, show_spinner="Räknar mönster …")
def pattern_data(
    url: str, *, viewer: Viewer, scope: Scope, year_scope: Scope, version: DataVersion | None = None
) -> dict[str, pd.DataFrame]:
    with engine_for(url).connect() as conn:
        return {
            "weekday_hour": incidents.weekday_hour(conn, scope=scope, viewer=viewer),
            "months": incidents.month_of_year(conn, scope=year_scope, viewer=viewer),
        }


@st.cache_data(ttl=TTL, show_spinner="Letar hot spots …")
def hotspots(
    url: str,
    *,
    viewer: Viewer,
    scope: Scope,
    rule: Rule,
    lat: float,
    version: DataVersion | None = None,
) -> pd.DataFrame:
    with engine_for(url).connect() as conn:
        return hotspot_queries.find(conn, scope=scope, viewer=viewer, rule=rule, lat=lat)


@st.cache_data(ttl=TTL, show_spinner=False)
def drill_down(
    url: str,
    *,
    viewer: Viewer,
    scope: Scope,
    place_id: int | None = None,
    area_id: int | None = None,
    group_id: int | None = None,
    version: DataVersion | None = None,
) -> pd.DataFrame:
    with engine_for(url).connect() as conn:
        return incidents.listing(
            conn,
            scope=scope,
            viewer=viewer,
            limit=500,
            place_id=place_id,
            area_id=area_id,
            group_id=group_id,
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def weekly_series(
    url: str, *, viewer: Viewer, scope: Scope, version: DataVersion | None = None
) -> pd.DataFrame:
    with engine_for(url).connect() as conn:
        return incidents.series(conn, scope=scope, viewer=viewer, bucket="week")


@st.cache_data(ttl=TTL, show_spinner=False)
def open_observations(url: str) -> pd.DataFrame:
    with engine_for(url).connect() as conn:
        return layers.open_observations(conn, scope=Scope.everywhere())


@st.cache_data(ttl=TTL, show_spinner=False)
def incident_list(
    url: str,
    *,
    viewer: Viewer,
    scope: Scope,
    organisation_id: int | None,
    limit: int = 1000,
    version: DataVersion | None = None,
) -> pd.DataFrame:
    """The selection's incidents (optionally only one organisation's), newest first."""
    if organisation_id is not None:
        scope = replace(scope, orgs=(organisation_id,))
    with engine_for(url).connect() as conn:
        return incidents.listing(conn, scope=scope, viewer=viewer, limit=limit)


def incident_detail(url: str, incident_id: int) -> dict | None:
    """Not cached: a correction must start from the stored version."""
    with engine_for(url).connect() as conn:
        return incidents.detail(conn, incident_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def admin_lists(url: str) -> dict[str, pd.DataFrame]:
    """Everything the forum keeps lists of, inactive entries included."""
    with engine_for(url).connect() as conn:
        return {
            "groups": lookup.groups(conn, active_only=False),
            "categories": lookup.categories(conn, active_only=False),
            "areas": lookup.areas(conn, active_only=False),
            "places": lookup.places(conn, active_only=False),
            "orgs": lookup.organisations(conn, active_only=False),
        }


def audit_entries(url: str, entity: str | None) -> pd.DataFrame:
    """Not cached: the log must show what just happened."""
    with engine_for(url).connect() as conn:
        return lookup.audit_entries(conn, entity)


def only_active(frame: pd.DataFrame) -> pd.DataFrame:
    """The active rows (an empty frame's `active` column has no boolean type to index with)."""
    return frame[frame["active"].astype(bool)] if not frame.empty else frame


@st.cache_data(ttl=TTL, show_spinner=False)
def actions(url: str, today: dt.date) -> pd.DataFrame:
    with engine_for(url).connect() as conn:
        return action_queries.action_list(conn, today)


@st.cache_data(ttl=TTL, show_spinner=False)
def open_actions(url: str, today: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The open actions of `actions`, and per owner organisation their number and how many are
    overdue (most overdue first): the meeting's step 3, grouped once for every screen in the
    room instead of once per screen."""
    every = actions(url, today)
    open_ = every[every["status"].isin(OPEN_ACTION_STATUSES)]
    per_org = (
        open_.groupby("owner", as_index=False)
        .agg(open=("id", "size"), overdue=("overdue", "sum"))
        .sort_values(["overdue", "open", "owner"], ascending=[False, False, True])
    )
    return open_, per_org


def action_details(url: str, action_id: int) -> tuple[dict, pd.DataFrame] | None:
    """Not cached: an edit must start from the stored version. Returns the action's list row
    with its links, and its status history."""
    with engine_for(url).connect() as conn:
        rows = action_queries.action_list(conn, local_today())
        match = rows[rows["id"] == action_id]
        if match.empty:
            return None
        detail = match.iloc[0].to_dict()
        detail.update(action_queries.links(conn, action_id))
        return detail, action_queries.history(conn, action_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def action_effect(
    url: str, *, viewer: Viewer, question: action_queries.EffectQuestion
) -> tuple[dict[str, int], pd.DataFrame]:
    """A completed action's counts before and after (as Kvartal counts them) and its reports
    per day at the place and elsewhere over both windows, for the chart."""
    with engine_for(url).connect() as conn:
        counts = action_queries.effect_counts(conn, viewer=viewer, question=question)
        days = action_queries.effect_weeks(
            conn,
            viewer=viewer,
            place_id=question.place_id,
            area_id=question.area_id,
            category_ids=list(question.category_ids),
            span=Window(question.before.start, question.after.end),
        )
    return counts, days


@st.cache_data(ttl=TTL, show_spinner=False)
def events(url: str, start: dt.datetime, end: dt.datetime) -> pd.DataFrame:
    with engine_for(url).connect() as conn:
        return layers.events(conn, start, end)


@st.cache_data(ttl=TTL, show_spinner="Sammanställer perioden …")
def summary(
    url: str,
    *,
    viewer: Viewer,
    period: ReportPeriod,
    lat: float,
    today: dt.date,
    version: DataVersion | None = None,
) -> summary_queries.Summary:
    return summary_queries.collect(
        engine_for(url), viewer=viewer, period=period, lat=lat, today=today
    )


def police_feed_runs(url: str) -> tuple[pd.DataFrame, dict | None]:
    """Not cached: a run may just have finished in another process. The newest runs of the
    police feed, and its newest good run."""
    with engine_for(url).connect() as conn:
        return feeds.runs(conn, FEED), feeds.last_success(conn, FEED)
