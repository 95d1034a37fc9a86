"""Before and after a meeting: starting one, and reading earlier meetings' minutes."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lagesbild import fmt
from lagesbild.actor import Actor
from lagesbild.clock import local_now
from lagesbild.export import minutes
from lagesbild.services import exports, meetings
from lagesbild.ui import data, form_state, live, write
from lagesbild.ui.context import AppContext
from lagesbild.ui.data import Lookups


def start_form(ctx: AppContext, actor: Actor, lookups: Lookups) -> None:
    now = local_now().replace(second=0, microsecond=0)
    planned, last_time = live.start_defaults(ctx.url, now.date())
    orgs = data.only_active(lookups.orgs)
    names = dict(zip(orgs["id"], orgs["name"], strict=True))
    st.session_state.setdefault("mote_start_orgs", [i for i in last_time if i in names])
    st.session_state.setdefault("mote_start_day", now.date())
    st.session_state.setdefault(
        "mote_start_time", planned["held_at"].time() if planned else now.time()
    )
    with st.container(border=True):
        st.subheader("Starta mötet")
        if planned:
            st.caption(f"Mötet som är planerat {fmt.datetime(planned['held_at'])} startas.")
        c1, c2 = st.columns(2)
        day = c1.date_input("Datum", key="mote_start_day", format="YYYY-MM-DD")
        time = c2.time_input("Tid", key="mote_start_time", step=dt.timedelta(minutes=15))
        attendees = st.multiselect(
            "Närvarande organisationer",
            list(names),
            format_func=names.get,
            key="mote_start_orgs",
            placeholder="Välj organisationer",
        )
        st.caption(
            "”Sedan förra mötet” räknas från förra mötets datum. Det du gör under mötet "
            "sparas direkt – stängs webbläsaren fortsätter du där du var."
        )
        starting = st.button("Starta mötet", type="primary", key="mote_start")
        when = dt.datetime.combine(day, time)
        if starting and write.attempt(ctx, meetings.start_meeting, actor, when, attendees).ok:
            form_state.empty_after_save("mote_start_")
            st.rerun(scope="app")


def earlier(ctx: AppContext, actor: Actor, chosen_id: int | None = None) -> None:
    """Earlier meetings, newest first, and the chosen one's minutes with downloads."""
    st.subheader("Tidigare möten")
    held = live.earlier_meetings(ctx.url)
    held = held[held["has_minutes"]]
    if held.empty:
        st.info("Inga avslutade möten med protokoll ännu.", icon=":material/history:")
        return
    labels = {
        int(r.id): f"{fmt.datetime(r.held_at)} – {r.decisions} beslut" for r in held.itertuples()
    }
    ids = list(labels)
    if chosen_id in labels and st.session_state.get("mote_earlier_for") != chosen_id:
        st.session_state["mote_earlier"] = chosen_id  # once: another can still be picked
        st.session_state["mote_earlier_for"] = chosen_id
    picked = st.selectbox("Möte", ids, format_func=labels.get, key="mote_earlier", index=0)
    data_, _ = live.minutes(ctx.url, picked)
    day = held.set_index("id").loc[picked, "held_at"].date()
    # Short, distinct labels that fit a column on a laptop; the tooltip says it in full.
    c1, c2, _ = st.columns([1, 1, 1])
    c1.download_button(
        "Protokoll (PDF)",
        lambda: exports.minutes_file(ctx.engine, actor, picked, "pdf"),
        file_name=f"protokoll-{day}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key="mote_minutes_pdf",
        on_click="ignore",
        width="stretch",
        help="Protokollet som PDF, för utskick och arkiv.",
    )
    c2.download_button(
        "Protokoll (Markdown)",
        lambda: exports.minutes_file(ctx.engine, actor, picked, "md"),
        file_name=f"protokoll-{day}.md",
        mime="text/markdown",
        icon=":material/description:",
        key="mote_minutes_md",
        on_click="ignore",
        width="stretch",
        help="Protokollet som Markdown-text, att klistra in eller redigera.",
    )
    with st.container(border=True):
        # Made again from the meeting's data (not the stored text), so that minutes written
        # before texts were escaped cannot bring in links or images either.
        st.markdown(minutes.to_markdown(data_) if data_ else "–")
