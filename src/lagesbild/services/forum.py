"""The forum's own settings: its name and its municipality (one of Sweden's 290, stored by
its canonical name and code so that the map, the reports and the police feed find it)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from lagesbild import municipalities, permissions
from lagesbild.actor import Actor
from lagesbild.errors import ValidationError
from lagesbild.reference import (
    FORUM_NAME_KEY,
    MUNICIPALITY_CODE_KEY,
    MUNICIPALITY_KEY,
    get_setting,
    set_setting,
)
from lagesbild.services import audit

MAX_NAME = 120


@dataclass(frozen=True)
class ForumSettings:
    name: str
    municipality: str  # canonical name, "" when not set
    code: str  # four digits, "" when not set


def current(session: Session) -> ForumSettings:
    return ForumSettings(
        get_setting(session, FORUM_NAME_KEY, ""),
        get_setting(session, MUNICIPALITY_KEY, ""),
        get_setting(session, MUNICIPALITY_CODE_KEY, ""),
    )


def update(
    session: Session, actor: Actor, *, name: str | None = None, municipality: str | None = None
) -> ForumSettings:
    """Set the forum's name and/or municipality (a name or a four-digit code, any case).
    An unknown municipality raises UnknownMunicipality naming the closest ones; nothing is
    changed then."""
    permissions.require_change_forum_settings(actor)
    found = municipalities.resolve(municipality) if municipality is not None else None
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise ValidationError({"name": "Ange forumets namn."})
        if len(name) > MAX_NAME:
            raise ValidationError({"name": f"Forumets namn får vara högst {MAX_NAME} tecken."})
    before = current(session)
    if name is not None:
        set_setting(session, FORUM_NAME_KEY, name)
    if found is not None:
        set_setting(session, MUNICIPALITY_KEY, found.name)
        set_setting(session, MUNICIPALITY_CODE_KEY, found.code)
    session.flush()
    after = current(session)
    if after != before:
        audit.record(
            session,
            actor,
            "update",
            "forum",
            before=before.__dict__,
            after=after.__dict__,
            detail="Forumets namn och kommun",
        )
    return after
