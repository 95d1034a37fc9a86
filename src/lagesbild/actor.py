"""Who is acting: the logged-in user as plain values, for permissions, visibility and audit."""

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

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_chair(self) -> bool:
        """Chairs (samordnare) and admins run the forum and may change anything in it."""
        return self.role in (Role.ADMIN, Role.CHAIR)

    @property
    def can_write(self) -> bool:
        return self.role != Role.LEADERSHIP

    @property
    def sees_restricted(self) -> bool:
        """May see items marked for a narrower audience than the whole forum."""
        return self.is_chair


SYSTEM = Actor(
    user_id=None,
    username="system",
    display_name="System",
    organisation_id=None,
    role=Role.ADMIN.value,
)
