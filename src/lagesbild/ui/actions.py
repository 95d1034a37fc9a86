"""Action widgets shared by the Åtgärder page and the meeting view: the list, the form, the
status change, the effect follow-up and the history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from lagesbild import fmt, labels, permissions
from lagesbild.actor import Actor
from lagesbild.analysis import effect
from lagesbild.clock import utc_to_local
from lagesbild.models import ActionStatus
from lagesbild.queries import actions as action_queries
from lagesbild.queries.common import Viewer
from lagesbild.services import actions
from lagesbild.ui import charts, data, form_state, write
from lagesbild.ui.context import AppContext
from lagesbild.ui.data import Lookups

STATUS = {k.value: v for k, v in labels.ACTION_STATUS.items()}
TYPES = {k.value: v for k, v in labels.ACTION_TYPE.items()}
HORIZONS = {k.value: v for k, v in labels.HORIZON.items()}


def due_text(due, late: bool) -> str:
    return ("⚠ " if late else "") + (fmt.date(due) if pd.notna(due) else "–")


def pick_from_table(
    shown: pd.DataFrame, by_owner: bool, key: str, height: int | str = 360
) -> int | None:
    """A table of actions (grouped by owner or by status) where one row can be marked; the
    marked action's id."""
    first, third = ("Organisation", "Status") if by_owner else ("Status", "Organisation")
    table = pd.DataFrame(
        {
            first: shown["owner"] if by_owner else shown["status"].map(STATUS),
            "Åtgärd": shown["title"],
            third: shown["status"].map(STATUS) if by_owner else shown["owner"],
            "Klart senast": [
                due_text(d, late)
                for d, late in zip(shown["due_date"], shown["overdue"], strict=True)
            ],
            "Plats/område": shown["place"].fillna(shown["area"]).fillna("–"),
            "Typ": shown["action_type"].map(TYPES),
            "Medborgarlöfte": shown["citizen_promise"].map({True: "Ja", False: ""}),
        }
    )
    picked = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=height,
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    return int(shown.iloc[picked.selection.rows[0]]["id"]) if picked.selection.rows else None


def form(
    prefix: str,
    lookups: Lookups,
    values: dict | None = None,
    compact: bool = False,
    actor: Actor | None = None,
    source=None,
):
    """The fields of an action; `values` fills them (an opened action's, with `source` naming
    it and its version; or a new action's starting values). The compact form (for entering
    actions live at a meeting) asks only what a decision needs. With an `actor`, only
    organisations whose actions they may change are offered as owner."""
    blank = {
        "title": "",
        "description": "",
        "owner": None,
        "role": "",
        "place": None,
        "area": None,
        "horizon": next(iter(HORIZONS)),
        "type": next(iter(TYPES)),
        "start": None,
        "due": None,
        "categories": [],
        "promise": False,
        "evaluation": "",
    }
    if compact:
        blank = {k: blank[k] for k in ("title", "owner", "role", "place", "due")}
    form_state.start(prefix, {**blank, **(values or {})}, source)
    orgs = data.only_active(lookups.orgs)
    owners = orgs["id"].tolist()
    if actor is not None:
        current = st.session_state.get(f"{prefix}owner")
        owners = [i for i in owners if i == current or permissions.may_change_action(actor, i)]
    org_names = dict(zip(lookups.orgs["id"], lookups.orgs["short_name"], strict=True))
    place_names = dict(zip(lookups.places["id"], lookups.places["name"], strict=True))
    title = st.text_input("Rubrik", key=f"{prefix}title", max_chars=200)
    description = "" if compact else st.text_area("Beskrivning", key=f"{prefix}description")
    c1, c2 = st.columns(2)
    owner = c1.selectbox(
        "Ansvarig organisation",
        owners,
        key=f"{prefix}owner",
        format_func=org_names.get,
        placeholder="Välj",
    )
    role = c2.text_input(
        "Ansvarig roll", key=f"{prefix}role", placeholder="T.ex. driftchef – en roll, inte ett namn"
    )
    c1, c2 = st.columns(2)
    place = c1.selectbox(
        "Plats",
        lookups.places["id"].tolist(),
        key=f"{prefix}place",
        format_func=place_names.get,
        placeholder="Ingen särskild plats",
    )
    if compact:
        due = c2.date_input("Klart senast", key=f"{prefix}due", format="YYYY-MM-DD")
        return actions.ActionInput(
            title=title, owner_org_id=owner, responsible_role=role, place_id=place, due_date=due
        )
    area = c2.selectbox(
        "Område",
        lookups.areas["id"].tolist(),
        key=f"{prefix}area",
        format_func=dict(zip(lookups.areas["id"], lookups.areas["name"], strict=True)).get,
        placeholder="Följer platsen",
    )
    c1, c2, c3, c4 = st.columns(4)
    horizon = c1.radio("Sikt", list(HORIZONS), key=f"{prefix}horizon", format_func=HORIZONS.get)
    kind = c2.selectbox("Typ", list(TYPES), key=f"{prefix}type", format_func=TYPES.get)
    start = c3.date_input("Start", key=f"{prefix}start", format="YYYY-MM-DD")
    due = c4.date_input("Klart senast", key=f"{prefix}due", format="YYYY-MM-DD")
    cats = data.only_active(lookups.categories)
    categories = st.multiselect(
        "Kategorier som åtgärden ska påverka",
        cats["id"].tolist(),
        key=f"{prefix}categories",
        placeholder="Alla kategorier",
        format_func=dict(zip(cats["id"], cats["group"] + " – " + cats["name"], strict=True)).get,
    )
    promise = st.checkbox("Medborgarlöfte", key=f"{prefix}promise")
    return actions.ActionInput(
        title=title,
        description=description,
        owner_org_id=owner,
        responsible_role=role,
        place_id=place,
        area_id=area,
        horizon=horizon,
        action_type=kind,
        start_date=start,
        due_date=due,
        category_ids=categories,
        citizen_promise=promise,
        evaluation_note=st.session_state.get(f"{prefix}evaluation", "") or "",
    )


def summary_line(detail: dict) -> str:
    return (
        f"**{STATUS[detail['status']]}**"
        + (" · :red[försenad]" if detail["overdue"] else "")
        + f" · {fmt.md_escape(detail['owner'])}"
        + (f" ({fmt.md_escape(detail['responsible_role'])})" if detail["responsible_role"] else "")
        + f" · klart senast {fmt.date(detail['due_date'])}"
        + (
            f" · beslutad på mötet {fmt.date(detail['decided_at'])}"
            if pd.notna(detail["decided_at"])
            else ""
        )
    )


def status_changer(
    ctx: AppContext,
    actor: Actor,
    action_id: int,
    detail: dict,
    prefix: str = "act_status_",
    on_saved: Callable[[], None] | None = None,
) -> None:
    """New status and a comment (and, when closing, how it went); saved with the version the
    user saw, so a change made by someone else in between is not overwritten. The box starts on
    the current status: saving without choosing another changes nothing. After a save the form
    starts again from the new status, with the confirmation right below its button."""
    current = detail["status"]
    options = sorted({current, *actions.TRANSITIONS[current]}, key=list(STATUS).index)
    p = f"{prefix}{action_id}_"
    form_state.start(
        p,
        {"status": current, "note": "", "evaluation": detail["evaluation_note"] or ""},
        source=(action_id, detail["version"]),
    )
    c1, c2 = st.columns([1, 2])
    new_status = c1.selectbox(
        "Ny status",
        options,
        format_func=lambda s: STATUS[s] + (" (nuvarande)" if s == current else ""),
        key=f"{p}status",
    )
    note = c2.text_input("Kommentar", key=f"{p}note", placeholder="Vad har hänt?")
    evaluation = None
    if new_status in actions.CLOSED:
        evaluation = st.text_area("Utvärdering – fungerade åtgärden?", key=f"{p}evaluation")
    if st.button("Spara status", type="primary", key=f"{p}save"):
        if new_status == current:
            st.info(
                f"Ingenting ändrades: åtgärden är redan {STATUS[current].lower()}. Välj en ny "
                "status för att ändra den.",
                icon=":material/info:",
            )
            return
        if write.attempt(
            ctx,
            actions.change_status,
            actor,
            action_id,
            detail["version"],
            new_status,
            note,
            evaluation,
        ).ok:
            if on_saved:
                on_saved()
            form_state.saved(prefix, f"”{detail['title']}” är nu {STATUS[new_status].lower()}.")
    form_state.confirmation(prefix)


def edit_form(
    ctx: AppContext,
    actor: Actor,
    action_id: int,
    detail: dict,
    lookups: Lookups,
    on_saved: Callable[[], None] | None = None,
):
    values = {
        "key": (action_id, detail["version"]),
        "title": detail["title"],
        "description": detail["description"],
        "owner": detail["owner_org_id"],
        "role": detail["responsible_role"],
        "place": int(detail["place_id"]) if pd.notna(detail["place_id"]) else None,
        "area": int(detail["area_id"]) if pd.notna(detail["area_id"]) else None,
        "horizon": detail["horizon"],
        "type": detail["action_type"],
        "start": detail["start_date"] if pd.notna(detail["start_date"]) else None,
        "due": detail["due_date"] if pd.notna(detail["due_date"]) else None,
        "categories": detail["category_ids"],
        "promise": bool(detail["citizen_promise"]),
        "evaluation": detail["evaluation_note"],
    }
    source = values.pop("key")
    item = form("act_edit_", lookups, values, actor=actor, source=source)
    if st.button("Spara ändringar", type="primary", key="act_edit_save"):
        seen = {
            "title": detail["title"],
            "description": detail["description"],
            "owner_org_id": detail["owner_org_id"],
            "status": detail["status"],
            "due_date": fmt.date(detail["due_date"]) if pd.notna(detail["due_date"]) else None,
        }
        if write.attempt(
            ctx, actions.update_action, actor, action_id, detail["version"], item, seen=seen
        ).ok:
            if on_saved:
                on_saved()
            form_state.saved("act_edit_", "Ändringarna är sparade.")
    form_state.confirmation("act_edit_")


def effect_panel(ctx: AppContext, viewer: Viewer, detail: dict, today: dt.date) -> None:
    """For a finished action with a place or area: did it help?"""
    closed_at = detail["closed_at"]
    if detail["status"] != ActionStatus.DONE.value or pd.isna(closed_at):
        return
    question = action_queries.effect_question(
        place_id=detail["place_id"],
        area_id=detail["area_id"],
        start_date=detail["start_date"],
        closed_at=closed_at,
        category_ids=detail["category_ids"],
        today=today,
    )
    if question is None:  # the whole municipality: not measured
        return
    counts, days = data.action_effect(ctx.url, viewer=viewer, question=question)
    before, after = question.before, question.after
    result = effect.evaluate(**counts, after_days=after.days)
    with st.container(border=True):
        st.markdown(f"#### Effekt: {result.verdict}")
        st.markdown(result.explanation)
        st.caption(
            f"Före: {fmt.date(before.start)} – {fmt.date(before.end - dt.timedelta(1))} "
            f"({counts['treated_before']} rapporter på platsen, "
            f"{counts['control_before']} i resten av kommunen). Efter: "
            f"{fmt.date(after.start)} – {fmt.date(after.end - dt.timedelta(1))} "
            f"({counts['treated_after']} respektive {counts['control_after']}). "
            "Jämförelsen räknar åtgärdens kategorier och tar hänsyn till hur resten av "
            "kommunen utvecklades under samma veckor."
        )
        if not days.empty:
            days["week"] = pd.to_datetime(days["day"].astype("int64"), unit="D")
            days["week"] = days["week"] - pd.to_timedelta(days["week"].dt.day_of_week, unit="D")
            weeks = days.groupby("week", as_index=False)[["here", "elsewhere"]].sum()
            st.plotly_chart(
                charts.effect_chart(weeks, before, after),
                config={"displayModeBar": False},
                key="act_effect",
            )


def history_table(history: pd.DataFrame) -> None:
    st.dataframe(
        pd.DataFrame(
            {
                "När": history["changed_at"].map(lambda v: fmt.datetime(utc_to_local(v))),
                "Från": history["from_status"].map(lambda s: STATUS.get(s, "–") if s else "–"),
                "Till": history["to_status"].map(STATUS),
                "Kommentar": history["note"].fillna(""),
                "Av": history["username"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
    )
