"""Users and organisations looked up; the actor a user acts as; the user an admin acts on and
the audit row of a change to it."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from lagesbild import permissions
from lagesbild.actor import Actor
from lagesbild.auth.passwords import normalise_username
from lagesbild.errors import NotFound
from lagesbild.models import Organisation, User
from lagesbild.services import audit

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_USER_FIELDS = ["username", "display_name", "organisation_id", "role", "active", "email"]


def actor_for(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        organisation_id=user.organisation_id,
        role=user.role,
    )


def get_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == normalise_username(username)))


def _require_admin(actor: Actor) -> None:
    permissions.require_manage_users(actor)


def managed_user(session: Session, actor: Actor, username: str) -> User:
    """The user an admin acts on: the admin's right checked first, then the user looked up."""
    _require_admin(actor)
    user = get_user(session, username)
    if user is None:
        raise NotFound(f"Användaren ”{username}” finns inte.")
    return user


def audit_change(session: Session, actor: Actor, user: User, before: dict, detail: str) -> None:
    """The audit row of a change to a user's account: its fields before and after."""
    audit.record(
        session,
        actor,
        "update",
        "user",
        user.id,
        before=before,
        after=audit.snapshot(user, _USER_FIELDS),
        detail=detail,
    )


def find_organisation(session: Session, name: str) -> Organisation:
    org = session.scalar(
        select(Organisation).where((Organisation.name == name) | (Organisation.short_name == name))
    )
    if org is None:
        raise NotFound(f"Organisationen ”{name}” finns inte.")
    return org


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))
