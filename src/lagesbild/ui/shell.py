"""The frame around every page: sidebar with who is logged in, logout, and the error boundary."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from lagesbild import labels
from lagesbild.actor import Actor
from lagesbild.db import DatabaseError
from lagesbild.errors import UserError
from lagesbild.fmt import md_escape
from lagesbild.models import Role
from lagesbild.ui import login
from lagesbild.ui.context import AppContext

log = logging.getLogger("lagesbild")


def sidebar(ctx: AppContext, actor: Actor, organisation: str) -> None:
    with st.sidebar:
        st.markdown(f"**{md_escape(ctx.forum_name)}**")
        st.caption(
            f"{md_escape(actor.display_name)} · {md_escape(organisation)} · "
            f"{labels.ROLE[Role(actor.role)]}"
        )
        if st.button("Logga ut", icon=":material/logout:", key="lb_logout"):
            login.logout(ctx, actor)
            st.rerun()


@contextmanager
def error_boundary() -> Iterator[None]:
    """Turn any error in a page into a Swedish message; the details go to the server log."""
    try:
        yield
    except UserError as exc:
        st.error(md_escape(exc), icon=":material/error:")
    except (DatabaseError, DBAPIError) as exc:
        log.exception("database error")
        st.error(
            "Databasen svarar inte just nu. Försök igen om en stund; inget av det du matat in "
            "har sparats om du inte fått en bekräftelse.",
            icon=":material/cloud_off:",
        )
        if isinstance(exc, DatabaseError):
            st.caption(md_escape(exc))
    except SQLAlchemyError:
        ref = uuid.uuid4().hex[:8]
        log.exception("database error %s", ref)
        st.error(f"Ett databasfel inträffade (felkod {ref}). Försök igen.", icon=":material/error:")
    except Exception:
        ref = uuid.uuid4().hex[:8]
        log.exception("unexpected error %s", ref)
        st.error(
            f"Något gick fel när sidan skulle visas (felkod {ref}). Försök igen; om felet "
            "kvarstår, ange felkoden till administratören.",
            icon=":material/error:",
        )
