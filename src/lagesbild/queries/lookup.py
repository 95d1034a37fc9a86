"""Small reference lists for pickers and labels: organisations, categories, areas, places."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from lagesbild.models import (
    Area,
    AuditLog,
    Category,
    CategoryGroup,
    Incident,
    Organisation,
    Place,
    User,
)
from lagesbild.queries.common import frame

DataVersion = tuple[int, int]


def data_version(conn: Connection) -> DataVersion:
    """Changes whenever something the figures rest on is written: the newest report's id
    (reports inserted in bulk: imports, the police feed, the demo) and the newest audit entry's
    (every change made through the app's services, corrections and withdrawals included, is
    logged in the same transaction). Two primary-key look-ups, cheap enough to read on every
    page run, so cached figures are keyed by it instead of expiring after a time."""
    newest = select(
        select(func.max(Incident.id)).scalar_subquery(),
        select(func.max(AuditLog.id)).scalar_subquery(),
    )
    incident, audit = conn.execute(newest).one()
    return int(incident or 0), int(audit or 0)


def organisation_name(conn: Connection, organisation_id: int) -> str:
    return (
        conn.scalar(select(Organisation.short_name).where(Organisation.id == organisation_id)) or ""
    )


def organisations(conn: Connection, active_only: bool = True) -> pd.DataFrame:
    """Columns: id, name, short_name, kind, active."""
    stmt = select(
        Organisation.id,
        Organisation.name,
        Organisation.short_name,
        Organisation.kind,
        Organisation.active,
    ).order_by(Organisation.name)
    if active_only:
        stmt = stmt.where(Organisation.active)
    return frame(conn, stmt)


def groups(conn: Connection, active_only: bool = True) -> pd.DataFrame:
    """Columns: id, name, colour, sort_order, active."""
    stmt = select(
        CategoryGroup.id,
        CategoryGroup.name,
        CategoryGroup.colour,
        CategoryGroup.sort_order,
        CategoryGroup.active,
    ).order_by(CategoryGroup.sort_order, CategoryGroup.name)
    if active_only:
        stmt = stmt.where(CategoryGroup.active)
    return frame(conn, stmt)


def categories(conn: Connection, active_only: bool = True) -> pd.DataFrame:
    """Columns: id, name, group_id, group, colour, active (in the forum's order)."""
    stmt = (
        select(
            Category.id,
            Category.name,
            CategoryGroup.id.label("group_id"),
            CategoryGroup.name.label("group"),
            CategoryGroup.colour,
            Category.active,
        )
        .join(CategoryGroup, Category.group_id == CategoryGroup.id)
        .order_by(CategoryGroup.sort_order, Category.sort_order, Category.name)
    )
    if active_only:
        stmt = stmt.where(Category.active, CategoryGroup.active)
    return frame(conn, stmt)


def areas(conn: Connection, active_only: bool = True) -> pd.DataFrame:
    """Columns: id, name, kind, geojson, active."""
    stmt = select(Area.id, Area.name, Area.kind, Area.geojson, Area.active).order_by(Area.name)
    return frame(conn, stmt.where(Area.active) if active_only else stmt)


def places(conn: Connection, active_only: bool = True) -> pd.DataFrame:
    """Columns: id, name, area_id, area, kind, lat, lon, active."""
    stmt = (
        select(
            Place.id,
            Place.name,
            Place.area_id,
            Area.name.label("area"),
            Place.kind,
            Place.lat,
            Place.lon,
            Place.active,
        )
        .outerjoin(Area, Place.area_id == Area.id)
        .order_by(Place.name)
    )
    return frame(conn, stmt.where(Place.active) if active_only else stmt)


def audit_entries(conn: Connection, entity: str | None = None, limit: int = 500) -> pd.DataFrame:
    """The newest audit log entries. Columns: id, at (UTC), username, verb, entity,
    entity_id, detail, before, after."""
    stmt = (
        select(
            AuditLog.id,
            AuditLog.at,
            AuditLog.username,
            AuditLog.verb,
            AuditLog.entity,
            AuditLog.entity_id,
            AuditLog.detail,
            AuditLog.before,
            AuditLog.after,
        )
        .order_by(AuditLog.id.desc())
        .limit(limit)
    )
    if entity:
        stmt = stmt.where(AuditLog.entity == entity)
    return frame(conn, stmt)


def users(conn: Connection) -> pd.DataFrame:
    """Columns: id, username, display_name, organisation, organisation_id, role, active,
    last_login_at (UTC), email."""
    return frame(
        conn,
        select(
            User.id,
            User.username,
            User.display_name,
            Organisation.short_name.label("organisation"),
            User.organisation_id,
            User.role,
            User.active,
            User.last_login_at,
            User.email,
        )
        .join(Organisation, User.organisation_id == Organisation.id)
        .order_by(User.username),
    )
