"""The audit log: every change and every export, with who, when, before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from lagesbild.actor import Actor
from lagesbild.models import AuditLog


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """The named fields of an ORM object as JSON-safe values."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def record(
    session: Session,
    actor: Actor,
    verb: str,
    entity: str,
    entity_id: Any = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    detail: str = "",
) -> AuditLog:
    entry = AuditLog(
        user_id=actor.user_id,
        username=actor.username,
        verb=verb,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=_plain(before),
        after=_plain(after),
        detail=detail,
    )
    session.add(entry)
    return entry
