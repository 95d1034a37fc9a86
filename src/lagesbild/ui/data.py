"""Cached wrappers around the read queries. Every argument that changes the answer (database
URL, viewer, period) is a hashable parameter; nothing here reads session state."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lagesbild.queries import lookup, overview
from lagesbild.queries.common import Viewer
from lagesbild.ui.context import engine_for

TTL = 60


@st.cache_data(ttl=600, show_spinner=False)
def organisation_name(url: str, organisation_id: int | None) -> str:
    if organisation_id is None:
        return ""
    with engine_for(url).connect() as conn:
        return lookup.organisation_name(conn, organisation_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def overview_figures(url: str, viewer: Viewer, now: dt.datetime) -> dict[str, pd.DataFrame]:
    with engine_for(url).connect() as conn:
        return {
            "weeks": overview.week_comparison(conn, viewer, now),
            "latest": overview.latest_incidents(conn, viewer, limit=10),
            "actions": overview.open_actions_by_organisation(conn, now.date()),
            "events": overview.upcoming_events(conn, now, days=21),
        }


@st.cache_data(ttl=TTL, show_spinner=False)
def meeting_dates(url: str, now: dt.datetime) -> tuple[dict | None, dt.datetime | None]:
    with engine_for(url).connect() as conn:
        return overview.next_meeting(conn, now), overview.last_meeting(conn, now)


@st.cache_data(ttl=TTL, show_spinner=False)
def organisations(url: str) -> pd.DataFrame:
    with engine_for(url).connect() as conn:
        return lookup.organisations(conn)


@st.cache_data(ttl=TTL, show_spinner=False)
def users(url: str) -> pd.DataFrame:
    with engine_for(url).connect() as conn:
        return lookup.users(conn)
