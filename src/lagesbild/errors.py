"""Errors that carry a message fit to show a user (in Swedish)."""

from __future__ import annotations


class UserError(Exception):
    """Base class: `str(error)` is a complete Swedish sentence for the screen."""


class ValidationError(UserError):
    """Input that cannot be stored. `problems` maps a field name to its message."""

    def __init__(self, problems: dict[str, str] | str):
        if isinstance(problems, str):
            problems = {"": problems}
        self.problems = problems
        super().__init__(" ".join(problems.values()))


class PermissionDenied(UserError):
    pass


class NotFound(UserError):
    pass


class ConflictError(UserError):
    """Someone else saved the same record since it was read (optimistic locking)."""

    def __init__(self, message: str, changes: dict[str, tuple] | None = None):
        self.changes = changes or {}
        super().__init__(message)
