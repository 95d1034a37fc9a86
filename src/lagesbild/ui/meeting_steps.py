"""The six agenda steps of the meeting view, each one screen on the projector."""

from __future__ import annotations

import streamlit as st

from lagesbild import agenda
from lagesbild.ui.meeting import View, header, remember_state
from lagesbild.ui.meeting_closing import step_decisions, step_feedback
from lagesbild.ui.meeting_followup import step_actions, step_events
from lagesbild.ui.meeting_situation import step_new, step_police_rescue

STEPS = [step_new, step_police_rescue, step_actions, step_events, step_decisions, step_feedback]


def show(view: View) -> None:
    remember_state(view.ctx.url)
    header(view)
    st.subheader(agenda.heading(view.step))
    STEPS[view.step](view)
