"""Who is acting: the logged-in user as plain values, for permissions, visibility and audit.
What the user may do is decided by `lagesbild.permissions`, never here."""

from __future__ import annotations

from dataclasses import dataclass

from lagesbild.models import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str
    organisation_id: int | None
    role: str


SYSTEM = Actor(
    user_id=None,
    username="system",
    display_name="System",
    organisation_id=None,
    role=Role.ADMIN.value,
)
