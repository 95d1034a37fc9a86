"""Reads for the meeting view, which must show what happens while the meeting runs: the open
meeting, its state and its decisions are never cached; the reports that arrive during the
meeting are cached for a few seconds; the heavy figures are keyed by a window that ends at the
current minute and kept for longer, so a room full of followers (and every step change) shares
one computation per minute."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lagesbild.filters import Scope, Window
from lagesbild.queries import incidents, meetings, picture
from lagesbild.queries.common import Viewer
from lagesbild.ui.context import engine_for

SHORT = 5
FIGURES = 180  # the windows end at the minute, so a new minute is a new key anyway


def meeting(url: str) -> dict | None:
    with engine_for(url).connect() as conn:
        return meetings.current(conn)


def state(url: str) -> tuple | None:
    with engine_for(url).connect() as conn:
        return meetings.state(conn)


def decisions(url: str, meeting_id: int) -> pd.DataFrame:
    with engine_for(url).connect() as conn:
        return meetings.decisions(conn, meeting_id)


@st.cache_data(ttl=FIGURES, max_entries=8, show_spinner=False)
def since_meeting(url: str, viewer: Viewer, window: Window, lat: float) -> picture.Picture:
    with engine_for(url).connect() as conn:
        return picture.picture(conn, viewer=viewer, window=window, lat=lat)


@st.cache_data(ttl=SHORT, show_spinner=False)
def reported_since(url: str, viewer: Viewer, created_after: dt.datetime) -> tuple:
    with engine_for(url).connect() as conn:
        return meetings.reported_since(conn, viewer=viewer, created_after=created_after)


@st.cache_data(ttl=FIGURES, max_entries=16, show_spinner=False)
def organisation_picture(
    url: str, viewer: Viewer, window: Window, org_ids: tuple[int, ...]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One group of organisations' reports in the window: occurrences per category against
    the usual level, and the latest reports."""
    with engine_for(url).connect() as conn:
        counts = picture.by_category(conn, viewer=viewer, window=window, orgs=org_ids)
        latest = incidents.listing(
            conn, scope=Scope(window=window, label="", orgs=org_ids), viewer=viewer, limit=6
        )
    return counts, latest


@st.cache_data(ttl=60, show_spinner=False)
def earlier_meetings(url: str) -> pd.DataFrame:
    with engine_for(url).connect() as conn:
        return meetings.closed_meetings(conn)


def minutes(url: str, meeting_id: int) -> tuple[dict | None, str | None]:
    with engine_for(url).connect() as conn:
        return meetings.minutes(conn, meeting_id)


def start_defaults(url: str, day: dt.date) -> tuple[dict | None, list[int]]:
    """A meeting planned for today, and who came last time."""
    with engine_for(url).connect() as conn:
        return meetings.planned_today(conn, day), meetings.last_attendees(conn)
