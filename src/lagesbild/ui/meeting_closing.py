"""Agenda steps 5 and 6 of the meeting view: decisions, and feedback and closing."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lagesbild import labels
from lagesbild.models import DecisionKind
from lagesbild.queries.minutes import FORUM_VIEW
from lagesbild.services import meetings
from lagesbild.ui import actions as action_ui
from lagesbild.ui import data, form_state, live
from lagesbild.ui.meeting import View, in_callback, run, table

# --- 5. decisions ---------------------------------------------------------------------------


def step_decisions(view: View) -> None:
    decided = live.decisions(view.ctx.url, view.id)
    if view.leading:
        left, right = st.columns([3, 2], gap="large")
        with left:
            decision_forms(view)
    else:
        right = st.container()
    with right:
        st.markdown(f"**Beslut på mötet ({len(decided)})**")
        if decided.empty:
            st.markdown("Inga beslut ännu.")
            return
        kinds = {k.value: v for k, v in labels.DECISION_KIND.items()}
        table(
            pd.DataFrame(
                {
                    "Typ": decided["kind"].map(kinds),
                    "Beslut": decided["text"],
                    "Ansvarig / plats": decided["owner"]
                    .where(decided["owner"].notna(), decided["place"])
                    .fillna(decided["area"])
                    .fillna("–"),
                }
            ).tail(9),
        )
        if view.leading:
            texts = dict(zip(decided["id"], decided["text"], strict=True))
            c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
            chosen = c1.selectbox(
                "Ta tillbaka ett beslut", list(texts), format_func=texts.get, key="mote_undo"
            )
            if c2.button("Ta tillbaka", key="mote_undo_go") and run(
                view, meetings.remove_decision, int(chosen), message="Beslutet är borttaget."
            ):
                st.rerun()


def decision_forms(view: View) -> None:
    focus, action, other = st.tabs(["Fokus eller hot spot", "Ny åtgärd", "Annat beslut"])
    lookups = view.lookups
    with focus:
        picture = live.since_meeting(view.ctx.url, FORUM_VIEW, view.since, view.lat)
        hot = [int(p) for p in picture.hotspots["place_id"].dropna()]
        places = data.only_active(lookups.places)
        names = dict(zip(places["id"], places["name"], strict=True))
        order = [p for p in hot if p in names] + [p for p in names if p not in hot]
        form_state.start(
            "mote_focus_",
            {"kind": DecisionKind.FOCUS_AREA.value, "place": None, "area": None, "text": ""},
        )
        kind = st.radio(
            "Typ av beslut",
            [DecisionKind.FOCUS_AREA.value, DecisionKind.HOT_SPOT.value],
            format_func={k.value: v for k, v in labels.DECISION_KIND.items()}.get,
            horizontal=True,
            key="mote_focus_kind",
        )
        c1, c2 = st.columns(2)
        place = c1.selectbox(
            "Plats",
            order,
            format_func=lambda p: names[p] + (" (hot spot nu)" if p in hot else ""),
            placeholder="Välj plats",
            key="mote_focus_place",
        )
        area = c2.selectbox(
            "eller område",
            lookups.areas["id"].tolist(),
            format_func=dict(zip(lookups.areas["id"], lookups.areas["name"], strict=True)).get,
            placeholder="Välj område",
            key="mote_focus_area",
        )
        text = st.text_input(
            "Beslut (frivilligt)",
            key="mote_focus_text",
            placeholder="T.ex. polisens närvaro kvällstid",
        )
        if st.button("Spara beslutet", type="primary", key="mote_focus_save") and run(
            view,
            meetings.add_decision,
            view.id,
            kind,
            text,
            place,
            None if place is not None else area,
            message="Beslutet är sparat.",
        ):
            form_state.empty_after_save("mote_focus_")
            st.rerun()
    with action:
        item = action_ui.form("mote_act_", lookups, compact=True, actor=view.actor)
        if st.button("Spara åtgärden", type="primary", key="mote_act_save") and run(
            view, meetings.add_action, view.id, item, message="Åtgärden är beslutad och sparad."
        ):
            form_state.empty_after_save("mote_act_")
            st.rerun()
    with other:
        form_state.field("mote_other_text", "")
        text = st.text_area("Beslut", key="mote_other_text", height=120)
        if st.button("Spara beslutet", type="primary", key="mote_other_save") and run(
            view,
            meetings.add_decision,
            view.id,
            DecisionKind.OTHER.value,
            text,
            message="Beslutet är sparat.",
        ):
            form_state.empty_after_save("mote_other_")
            st.rerun()


# --- 6. feedback and closing ----------------------------------------------------------------


def step_feedback(view: View) -> None:
    m = view.meeting
    if not view.leading:
        left, right = st.columns(2, gap="large")
        left.markdown("**Till rapportörerna**")
        left.text(m["feedback_reporters"] or "–")
        right.markdown("**Till ledningen**")
        right.text(m["feedback_leadership"] or "–")
        return
    for name in meetings.FEEDBACK_FIELDS:
        if st.session_state.get("mote_text_for") != view.id:
            st.session_state[f"mote_{name}"] = m[name]
    st.session_state["mote_text_for"] = view.id
    left, right = st.columns(2, gap="large")
    for column, name, label in [
        (left, "feedback_reporters", "Till rapportörerna – vad har hänt med det ni rapporterat?"),
        (right, "feedback_leadership", "Till ledningen – läget och vad forumet behöver"),
    ]:
        column.text_area(
            label,
            key=f"mote_{name}",
            height=170,
            on_change=lambda n=name: in_callback(
                view, meetings.save_text, view.id, n, st.session_state[f"mote_{n}"]
            ),
        )
    st.text_input(
        "Övriga anteckningar",
        key="mote_notes",
        on_change=lambda: in_callback(
            view, meetings.save_text, view.id, "notes", st.session_state["mote_notes"]
        ),
    )
    orgs = data.only_active(view.lookups.orgs)
    names = dict(zip(orgs["id"], orgs["short_name"], strict=True))
    if st.session_state.get("mote_attendance_for") != view.id:
        st.session_state["mote_attendance"] = [i for i in m["attendee_ids"] if i in names]
        st.session_state["mote_attendance_for"] = view.id
    st.multiselect(
        "Närvarande organisationer",
        list(names),
        format_func=names.get,
        key="mote_attendance",
        placeholder="Välj organisationer",
        on_change=lambda: in_callback(
            view, meetings.save_attendance, view.id, st.session_state["mote_attendance"]
        ),
    )
    st.caption("Texterna sparas när du lämnar rutan.")
    decided = live.decisions(view.ctx.url, view.id)
    c1, c2 = st.columns([2, 3], vertical_alignment="center")
    without = False
    if decided.empty:
        without = c2.checkbox("Mötet har inga beslut – avsluta ändå", key="mote_without_decisions")
    else:
        c2.markdown(f"{len(decided)} beslut tas med i protokollet.")
    if c1.button("Avsluta mötet och skapa protokoll", type="primary", key="mote_close"):
        save_texts(view)
        if run(
            view,
            meetings.close_meeting,
            view.id,
            view.ctx.forum_name,
            view.lat,
            without,
        ):
            st.session_state["mote_closed"] = view.id
            st.rerun()


def save_texts(view: View) -> None:
    """What is typed in the feedback boxes is saved before closing, even without leaving them."""
    for name in meetings.FEEDBACK_FIELDS:
        value = st.session_state.get(f"mote_{name}")
        if value is not None and value != view.meeting[name]:
            run(view, meetings.save_text, view.id, name, value)
