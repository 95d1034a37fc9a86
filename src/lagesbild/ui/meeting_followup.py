"""Agenda steps 3 and 4 of the meeting view: follow-up of open actions, and coming events
and risk periods."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lagesbild import fmt, labels
from lagesbild.clock import local_now, local_today
from lagesbild.ui import actions as action_ui
from lagesbild.ui import data, form_state
from lagesbild.ui.meeting import View, table

EVENT_DAYS = 28

# --- 3. follow-up of open actions -----------------------------------------------------------


def step_actions(view: View) -> None:
    open_, per_org = data.open_actions(view.ctx.url, local_today())
    if open_.empty:
        st.markdown("Inga öppna åtgärder att följa upp.")
        return
    left, right = st.columns([2, 5], gap="large")
    with left:
        st.metric(
            "Öppna åtgärder",
            fmt.integer(len(open_)),
            delta=f"{int(open_['overdue'].sum())} försenade",
            delta_color="off",
            delta_arrow="off",
            border=True,
        )
        table(
            pd.DataFrame(
                {
                    "Organisation": per_org["owner"],
                    "Öppna": per_org["open"].astype(int),
                    "Försenade": per_org["overdue"].astype(int),
                }
            ).head(9),
        )
    with right:
        owner = st.segmented_control(
            "Organisation",
            per_org["owner"].tolist(),
            default=per_org["owner"].iloc[0],
            format_func=fmt.md_escape,
            key="mote_owner",
        )
        owner = owner or per_org["owner"].iloc[0]
        mine = open_[open_["owner"] == owner].sort_values(
            ["overdue", "due_date"], ascending=[False, True]
        )
        table(
            pd.DataFrame(
                {
                    "Åtgärd": mine["title"],
                    "Status": mine["status"].map(action_ui.STATUS),
                    "Klart senast": [
                        action_ui.due_text(d, late)
                        for d, late in zip(mine["due_date"], mine["overdue"], strict=True)
                    ],
                    "Plats": mine["place"].fillna(mine["area"]).fillna("–"),
                }
            ).head(7),
        )
        if len(mine) > 7:
            st.caption(f"… och {len(mine) - 7} till på sidan Åtgärder.")
        if view.leading:
            titles = dict(zip(mine["id"], mine["title"], strict=True))
            picked = st.selectbox(
                "Uppdatera status för",
                list(titles),
                format_func=titles.get,
                key=f"mote_pick_{owner}",
            )
            loaded = data.action_details(view.ctx.url, int(picked)) if picked else None
            if loaded is not None:
                action_ui.status_changer(
                    view.ctx, view.actor, int(picked), loaded[0], prefix="mote_status_"
                )
        form_state.confirmation("mote_status_")  # also when the action is no longer listed


# --- 4. coming events and risk periods ------------------------------------------------------


def step_events(view: View) -> None:
    now = local_now()
    coming = data.events(view.ctx.url, now, now + dt.timedelta(days=EVENT_DAYS))
    st.caption(f"De närmaste fyra veckorna, till {fmt.date(now + dt.timedelta(days=EVENT_DAYS))}.")
    if coming.empty:
        st.markdown("Inga arrangemang eller riskperioder de närmaste fyra veckorna.")
        return
    table(
        pd.DataFrame(
            {
                "När": [
                    fmt.span(a, b, short=True)
                    for a, b in zip(coming["starts_at"], coming["ends_at"], strict=True)
                ],
                "Vad": coming["title"],
                "Typ": coming["kind"].map(labels.EVENT_KIND),
                "Var": coming["place"].fillna(coming["area"]).fillna("Hela kommunen"),
                "Påverkan": coming["expected_impact"].map(labels.IMPACT),
                "Åtgärder": coming["actions"].replace("", "–"),
            }
        ).head(10),
    )
    if len(coming) > 10:
        st.caption(f"… och {len(coming) - 10} till på sidan Arrangemang.")
