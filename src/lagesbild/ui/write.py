"""Running a write-side service from a page: one transaction, then fresh cached figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from lagesbild import db
from lagesbild.fmt import md_escape
from lagesbild.ui.context import AppContext


def call(ctx: AppContext, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`service(session, *args, **kwargs)` in one transaction. Errors propagate (and nothing is
    stored; a collision with someone else's save is a ConflictError); on success the cached
    read figures are dropped so every page shows the change."""
    with db.writing(ctx.engine) as session:
        result = service(session, *args, **kwargs)
    st.cache_data.clear()
    return result


def field_errors(problems: dict[str, str]) -> None:
    """Show a validation error's messages, one line per field."""
    st.error(
        "\n".join(f"- {md_escape(message)}" for message in problems.values()),
        icon=":material/error:",
    )


def read(ctx: AppContext, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`service(session, *args, **kwargs)` for something that only reads (nothing to clear)."""
    with db.transaction(ctx.engine) as session:
        return service(session, *args, **kwargs)
