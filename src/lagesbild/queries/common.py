"""What every read query shares: who is looking (visibility) and how results are framed."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ColumnElement, and_
from sqlalchemy.engine import Connection

from lagesbild import permissions
from lagesbild.actor import Actor
from lagesbild.models import Incident


@dataclass(frozen=True)
class Viewer:
    """The part of a user that decides what they may see. Hashable, so cached queries can be
    keyed on it: users with the same organisation and privilege share cached answers."""

    organisation_id: int | None
    sees_restricted: bool

    @classmethod
    def of(cls, actor: Actor) -> Viewer:
        return cls(actor.organisation_id, permissions.sees_restricted(actor))


def where_name(place: object, area: object, nowhere: str = "") -> str:
    """The place's name, else the area's, else `nowhere` (names may be None or NaN)."""
    for name in (place, area):
        if isinstance(name, str) and name:
            return name
    return nowhere


def visible_incidents(*, viewer: Viewer) -> ColumnElement[bool]:
    """Incidents the viewer may count or see: not withdrawn, and seen by the viewer under the
    rule in `lagesbild.permissions` (open to the whole forum, or restricted to an audience that
    includes the viewer)."""
    return and_(
        Incident.withdrawn_at.is_(None),
        permissions.incidents_seen_by(viewer.organisation_id, viewer.sees_restricted),
    )


def frame(conn: Connection, stmt, columns: list[str] | None = None) -> pd.DataFrame:
    """Run a statement and return its rows as a DataFrame (with the given column names)."""
    result = conn.execute(stmt)
    rows = result.fetchall()
    return pd.DataFrame(rows, columns=columns or list(result.keys()))
