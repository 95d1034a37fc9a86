"""Running a write-side service from a page: one transaction, then fresh cached figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import streamlit as st

from lagesbild import db
from lagesbild.errors import UserError
from lagesbild.ui import forms
from lagesbild.ui.context import AppContext


class Saved(NamedTuple):
    """What `attempt` did: whether the service stored its change, and what it returned."""

    ok: bool
    result: Any


def call(ctx: AppContext, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`service(session, *args, **kwargs)` in one transaction. Errors propagate (and nothing is
    stored; a collision with someone else's save is a ConflictError); on success the cached
    read figures are dropped so every page shows the change."""
    result = call_keeping_figures(ctx, service, *args, **kwargs)
    st.cache_data.clear()
    return result


def call_keeping_figures(
    ctx: AppContext, service: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """`call` for a write that no cached read depends on: the step a meeting is at (every
    screen reads the meeting itself uncached). Dropping every cached figure there made each
    step change recompute the room's figures – the picture since the last meeting, the lookups,
    the actions – while every screen in the room waited for them."""
    with db.writing(ctx.engine) as session:
        return service(session, *args, **kwargs)


def attempt(ctx: AppContext, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Saved:
    """`call`, for a save the user asked for: a refusal (bad input, a collision, not allowed)
    is shown beside the form and nothing is stored. Anything else is a fault and propagates to
    the page's error boundary."""
    try:
        result = call(ctx, service, *args, **kwargs)
    except UserError as exc:
        forms.refused(exc)
        return Saved(False, None)
    return Saved(True, result)


def read(ctx: AppContext, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`service(session, *args, **kwargs)` for something that only reads (nothing to clear)."""
    with db.transaction(ctx.engine) as session:
        return service(session, *args, **kwargs)
