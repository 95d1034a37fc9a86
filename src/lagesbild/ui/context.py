"""The app's shared resources for one run: settings, the engine, the logged-in actor."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from lagesbild import auth, db
from lagesbild.actor import Actor
from lagesbild.config import Settings, load_settings
from lagesbild.fmt import md_escape
from lagesbild.queries.common import Viewer
from lagesbild.queries.lookup import DataVersion, data_version
from lagesbild.reference import FORUM_NAME_KEY, MUNICIPALITY_KEY, get_setting

log = logging.getLogger("lagesbild")

ACTOR_KEY = "lb_actor"


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    engine: Engine
    cookie_secret: str
    forum_name: str
    municipality: str
    # read once per run: what the cached figures are keyed by (`lookup.data_version`)
    data_version: DataVersion = (0, 0)

    @property
    def url(self) -> str:
        return self.settings.database_url


@st.cache_resource(show_spinner="Öppnar databasen …")
def engine_for(url: str) -> Engine:
    """One engine per database URL and process; the schema is upgraded when it is opened."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    return engine


@st.cache_resource(show_spinner=False, ttl=60)  # the forum's name and municipality can change
def _installation(url: str) -> tuple[str, str, str]:
    engine = engine_for(url)
    for _attempt in range(2):
        try:
            with db.transaction(engine) as session:
                secret = auth.installation_cookie_secret(session)
                return (
                    secret,
                    get_setting(session, FORUM_NAME_KEY, "Trygghetsforum"),
                    get_setting(session, MUNICIPALITY_KEY, ""),
                )
        except IntegrityError:  # another app server created the secret at the same moment
            continue
    raise db.DatabaseUnavailable("Kunde inte läsa installationens inställningar.")


def show_fatal(message: str) -> None:
    st.title("Lägesbild")
    st.error(md_escape(message), icon=":material/error:")
    st.caption("Kontakta den som driftar Lägesbild om felet kvarstår.")


def app_context() -> AppContext:
    """Settings and database for this run; a clear Swedish message and stop if unusable."""
    settings = load_settings()
    try:
        engine = engine_for(settings.database_url)
        secret, forum_name, municipality = _installation(settings.database_url)
    except db.DatabaseError as exc:
        log.warning("database unavailable: %s", exc)
        show_fatal(str(exc))
        st.stop()
    except SQLAlchemyError:  # e.g. the server went away between connecting and reading
        log.exception("database unavailable")
        show_fatal(db.UNREACHABLE)
        st.stop()
    return AppContext(settings, engine, settings.cookie_secret or secret, forum_name, municipality)


def with_data_version(ctx: AppContext) -> AppContext:
    """The context with the database's data version read (once per run, by app.py after the
    login gate, inside the error boundary: a failing database gets the pages' message)."""
    with ctx.engine.connect() as conn:
        return replace(ctx, data_version=data_version(conn))


CONTEXT_KEY = "lb_context"


# The address a session opened with, kept when the first request of a fresh server is sent
# through app.py (that drops the address): `navigation` goes there once the user is in.
FIRST_ADDRESS_KEY = "lb_first_address"


def _require_gate() -> None:
    """Pages run only after app.py's login gate. Streamlit can run a file in pages/ directly
    for the first request a fresh server gets (before any session has set up navigation); such
    a request is sent through app.py instead of running the page, its address kept."""
    if ACTOR_KEY not in st.session_state or CONTEXT_KEY not in st.session_state:
        st.session_state[FIRST_ADDRESS_KEY] = st.context.url
        st.switch_page("app.py")


def current_actor() -> Actor:
    _require_gate()
    return st.session_state[ACTOR_KEY]


def current() -> tuple[AppContext, Actor]:
    """For pages: the app context and the logged-in actor (set by app.py before routing)."""
    _require_gate()
    return st.session_state[CONTEXT_KEY], st.session_state[ACTOR_KEY]


def current_viewer() -> Viewer:
    return Viewer.of(current_actor())
