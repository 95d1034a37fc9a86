"""Möte: the meeting the chair projects – or, between meetings, starting one and reading
earlier minutes.

Everything is drawn in one root container. When the screen changes (a meeting starts, the
agenda moves to another step, the meeting closes) the root is cleared first, so the room never
sees the old screen's elements mixed with the new one's while it is drawn."""

import streamlit as st

from lagesbild import fmt, permissions
from lagesbild.clock import local_now
from lagesbild.fmt import md_escape
from lagesbild.services import meetings
from lagesbild.ui import context, data, live, meeting_steps, projector
from lagesbild.ui import meeting as meeting_ui
from lagesbild.ui.meeting_start import earlier, start_form

ctx, actor = context.current()
lookups = data.lookups(ctx.url)
current = live.meeting(ctx.url)
if current is None:
    meeting_ui.await_start(ctx.url)  # its first run tells the room of a close made here
closed = meeting_ui.just_closed(current)

with meeting_ui.root(meeting_ui.screen(current, closed)):
    if current is not None:
        view = meeting_ui.View(ctx, actor, current, lookups)
        if st.session_state.setdefault("mote_projector", True):
            projector.apply()
        if permissions.may_lead_meetings(actor) and not view.leading:
            c1, c2 = st.columns([4, 1], vertical_alignment="center")
            c1.info(
                f"Mötet leds av {md_escape(current['chair'])}. Du följer det; tar du över leder "
                "du mötet härifrån.",
                icon=":material/co_present:",
            )
            if c2.button("Ta över ledningen", key="mote_take_over") and meeting_ui.run(
                view, meetings.take_over, view.id, message="Du leder nu mötet."
            ):
                st.rerun(scope="app")
        meeting_steps.show(view)
    elif closed is not None:
        # Just closed: the minutes of that meeting lead; a new meeting can wait below.
        st.title("Möte")
        st.success(
            "Mötet är avslutat och protokollet är skapat. Det finns nedan.",
            icon=":material/check_circle:",
        )
        earlier(ctx, actor, closed)
        if permissions.may_lead_meetings(actor):
            with st.expander("Starta ett nytt möte", icon=":material/play_arrow:"):
                start_form(ctx, actor, lookups)
    else:
        st.title("Möte")
        if permissions.may_lead_meetings(actor):
            start_form(ctx, actor, lookups)
        else:
            upcoming, _ = data.meeting_dates(ctx.url, local_now().replace(second=0, microsecond=0))
            st.info(
                "Inget möte pågår just nu."
                + (f" Nästa möte: {fmt.datetime(upcoming['held_at'])}." if upcoming else ""),
                icon=":material/event_available:",
            )
        earlier(ctx, actor)
