"""Who is acting: the logged-in user as plain values, for permissions, visibility and audit."""

from __future__ import annotations

from dataclasses import dataclass

from lagesbild import permissions
from lagesbild.models import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str
    organisation_id: int | None
    role: str

    # Shorthands for the rules in lagesbild.permissions, which decides them.
    @property
    def is_admin(self) -> bool:
        return permissions.is_admin(self)

    @property
    def is_chair(self) -> bool:
        """Chairs (samordnare) and admins run the forum."""
        return permissions.is_chair(self)

    @property
    def can_write(self) -> bool:
        return permissions.may_write(self)

    @property
    def sees_restricted(self) -> bool:
        """May see items marked for a narrower audience than the whole forum."""
        return permissions.sees_restricted(self)


SYSTEM = Actor(
    user_id=None,
    username="system",
    display_name="System",
    organisation_id=None,
    role=Role.ADMIN.value,
)
