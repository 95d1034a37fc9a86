"""What the map shows besides incidents: unsafe places, open actions, coming events."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import ColumnElement, select
from sqlalchemy.engine import Connection

from lagesbild.filters import Scope
from lagesbild.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Area,
    Event,
    Observation,
    Organisation,
    Place,
    event_action,
)
from lagesbild.queries.common import frame


def _where(*, scope: Scope, place_col, area_col) -> list[ColumnElement[bool]]:
    if scope.places:
        return [place_col.in_(scope.places)]
    if scope.areas:
        return [area_col.in_(scope.areas)]
    return []


def open_observations(conn: Connection, *, scope: Scope) -> pd.DataFrame:
    """Unsafe places not yet resolved. Columns: id, lat, lon, reason, description, place,
    observed_at."""
    stmt = (
        select(
            Observation.id,
            Observation.lat,
            Observation.lon,
            Observation.reason,
            Observation.description,
            Place.name.label("place"),
            Observation.observed_at,
        )
        .outerjoin(Place, Observation.place_id == Place.id)
        .where(
            Observation.resolved_at.is_(None),
            Observation.withdrawn_at.is_(None),
            Observation.lat.is_not(None),
            *_where(scope=scope, place_col=Observation.place_id, area_col=Observation.area_id),
        )
        .order_by(Observation.observed_at.desc())
    )
    return frame(conn, stmt)


def open_actions(conn: Connection, *, scope: Scope) -> pd.DataFrame:
    """Open actions tied to a place or area. Columns: id, title, status, due_date, owner,
    place, place_lat, place_lon, area_geojson."""
    stmt = (
        select(
            Action.id,
            Action.title,
            Action.status,
            Action.due_date,
            Organisation.short_name.label("owner"),
            Place.name.label("place"),
            Place.lat.label("place_lat"),
            Place.lon.label("place_lon"),
            Area.geojson.label("area_geojson"),
        )
        .join(Organisation, Action.owner_org_id == Organisation.id)
        .outerjoin(Place, Action.place_id == Place.id)
        .outerjoin(Area, Action.area_id == Area.id)
        .where(
            Action.status.in_(OPEN_ACTION_STATUSES),
            *_where(scope=scope, place_col=Action.place_id, area_col=Action.area_id),
        )
        .order_by(Action.due_date)
    )
    return frame(conn, stmt)


def coming_events(
    conn: Connection, *, scope: Scope, now: dt.datetime, days: int = 60
) -> pd.DataFrame:
    """Events and risk periods on now or within `days`. Columns: id, title, kind, starts_at,
    ends_at, expected_impact, place, place_lat, place_lon, area, area_geojson."""
    stmt = (
        select(
            Event.id,
            Event.title,
            Event.kind,
            Event.starts_at,
            Event.ends_at,
            Event.expected_impact,
            Place.name.label("place"),
            Place.lat.label("place_lat"),
            Place.lon.label("place_lon"),
            Area.name.label("area"),
            Area.geojson.label("area_geojson"),
        )
        .outerjoin(Place, Event.place_id == Place.id)
        .outerjoin(Area, Event.area_id == Area.id)
        .where(
            Event.ends_at >= now,
            Event.starts_at <= now + dt.timedelta(days=days),
            *_where(scope=scope, place_col=Event.place_id, area_col=Event.area_id),
        )
        .order_by(Event.starts_at)
    )
    return frame(conn, stmt)


def events(conn: Connection, start: dt.datetime, end: dt.datetime) -> pd.DataFrame:
    """Events overlapping [start, end], with their linked actions. Columns: id, title,
    description, kind, starts_at, ends_at, expected_impact, place_id, place, area_id, area,
    owner_org_id, owner (short name), actions (titles), action_ids."""
    stmt = (
        select(
            Event.id,
            Event.title,
            Event.description,
            Event.kind,
            Event.starts_at,
            Event.ends_at,
            Event.expected_impact,
            Event.place_id,
            Place.name.label("place"),
            Event.area_id,
            Area.name.label("area"),
            Event.owner_org_id,
            Organisation.short_name.label("owner"),
        )
        .outerjoin(Place, Event.place_id == Place.id)
        .outerjoin(Area, Event.area_id == Area.id)
        .outerjoin(Organisation, Event.owner_org_id == Organisation.id)
        .where(Event.ends_at >= start, Event.starts_at <= end)
        .order_by(Event.starts_at)
    )
    df = frame(conn, stmt)
    linked = frame(
        conn,
        select(event_action.c.event_id, Action.id.label("action_id"), Action.title).join(
            Action, Action.id == event_action.c.action_id
        ),
    )
    titles = linked.groupby("event_id")["title"].agg(", ".join).to_dict() if len(linked) else {}
    ids = linked.groupby("event_id")["action_id"].agg(list).to_dict() if len(linked) else {}
    df["actions"] = [titles.get(i, "") for i in df["id"]]
    df["action_ids"] = [ids.get(i, []) for i in df["id"]]
    return df
