"""Arrangemang: upcoming events and risk periods, and the actions planned for them."""

import datetime as dt

import pandas as pd
import streamlit as st

from lagesbild import fmt, labels, permissions
from lagesbild.clock import local_now
from lagesbild.fmt import md_escape
from lagesbild.models import EventKind, Impact
from lagesbild.services import events
from lagesbild.ui import context, data, form_state, write

ctx, actor = context.current()
lookups = data.lookups(ctx.url)
now = local_now().replace(second=0, microsecond=0)
KINDS = {k.value: v for k, v in labels.EVENT_KIND.items()}
IMPACTS = {k.value: v for k, v in labels.IMPACT.items()}

st.title("Arrangemang och riskperioder")
st.caption(
    "Evenemang och perioder som kan påverka tryggheten – Valborg, skolavslutning, "
    "nyår, stora arrangemang – och vad forumet planerar inför dem."
)
weeks = (
    st.segmented_control(
        "Visa",
        [4, 8, 26, 52],
        default=8,
        key="ev_weeks",
        format_func=lambda w: f"{w} veckor framåt",
    )
    or 8
)
coming = data.events(ctx.url, now, now + dt.timedelta(weeks=weeks))
if coming.empty:
    st.info(
        f"Inga arrangemang eller riskperioder de närmaste {weeks} veckorna.",
        icon=":material/event_available:",
    )
    chosen = None
else:
    table = pd.DataFrame(
        {
            "Vecka": coming["starts_at"].map(lambda d: fmt.week_label(d.date())),
            "Börjar": coming["starts_at"].map(fmt.short_datetime),
            "Slutar": coming["ends_at"].map(fmt.short_datetime),
            "Vad": coming["title"],
            "Typ": coming["kind"].map(KINDS),
            "Var": coming["place"].fillna(coming["area"]).fillna("Hela kommunen"),
            "Påverkan": coming["expected_impact"].map(IMPACTS),
            "Ansvarig": coming["owner"].fillna("Forumet"),
            "Planerade åtgärder": coming["actions"],
        }
    )
    picked = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="ev_table",
    )
    chosen = coming.iloc[picked.selection.rows[0]] if picked.selection.rows else None

if not permissions.may_write(actor):
    st.stop()
owner_of_chosen = (
    int(chosen["owner_org_id"]) if chosen is not None and pd.notna(chosen["owner_org_id"]) else None
)
if chosen is not None and not permissions.may_change_event(actor, owner_of_chosen):
    st.caption(
        f"{permissions.EVENT_DENIED} Avmarkera raden för att lägga till ett nytt arrangemang."
    )
    st.stop()

open_actions = data.actions(ctx.url, now.date())
action_titles = data.names(open_actions, "title")
P = "ev_f_"
values = None
if chosen is not None:
    values = {
        "key": int(chosen["id"]),
        "title": chosen["title"],
        "description": chosen["description"],
        "kind": chosen["kind"],
        "impact": chosen["expected_impact"],
        "place": int(chosen["place_id"]) if pd.notna(chosen["place_id"]) else None,
        "area": int(chosen["area_id"]) if pd.notna(chosen["area_id"]) else None,
        "start_date": chosen["starts_at"].date(),
        "start_time": chosen["starts_at"].time(),
        "end_date": chosen["ends_at"].date(),
        "end_time": chosen["ends_at"].time(),
        "actions": list(chosen["action_ids"]),
        "owner": owner_of_chosen,
    }
source = values.pop("key") if values else None
form_state.start(
    P,
    values
    or {
        "title": "",
        "description": "",
        "kind": EventKind.EVENT.value,
        "impact": Impact.MEDIUM.value,
        "place": None,
        "area": None,
        "start_date": now.date(),
        "start_time": dt.time(18, 0),
        "end_date": now.date(),
        "end_time": dt.time(23, 0),
        "actions": [],
        "owner": actor.organisation_id,
    },
    source,
)

with st.container(border=True):
    st.subheader(
        f"Ändra: {md_escape(chosen['title'])}" if chosen is not None else "Nytt arrangemang"
    )
    c1, c2, c3 = st.columns([2, 1, 1])
    title = c1.text_input("Vad", key=f"{P}title", placeholder="T.ex. Valborgsfirande i parken")
    kind = c2.selectbox("Typ", list(KINDS), key=f"{P}kind", format_func=KINDS.get)
    impact = c3.selectbox(
        "Förväntad påverkan", list(IMPACTS), key=f"{P}impact", format_func=IMPACTS.get
    )
    c1, c2 = st.columns(2)
    place = c1.selectbox(
        "Plats",
        lookups.places["id"].tolist(),
        key=f"{P}place",
        format_func=data.names(lookups.places).get,
        placeholder="Ingen plats",
    )
    area = c2.selectbox(
        "Område",
        lookups.areas["id"].tolist(),
        key=f"{P}area",
        format_func=data.names(lookups.areas).get,
        placeholder="Hela kommunen / följer platsen",
    )
    c1, c2, c3, c4 = st.columns(4)
    start_date = c1.date_input("Börjar – datum", key=f"{P}start_date", format="YYYY-MM-DD")
    start_time = c2.time_input(
        "Börjar – klockslag", key=f"{P}start_time", step=dt.timedelta(minutes=15)
    )
    end_date = c3.date_input("Slutar – datum", key=f"{P}end_date", format="YYYY-MM-DD")
    end_time = c4.time_input(
        "Slutar – klockslag", key=f"{P}end_time", step=dt.timedelta(minutes=15)
    )
    description = st.text_area("Beskrivning", key=f"{P}description", height=70)
    org_names = data.names(lookups.orgs, "short_name")
    owners = [
        i
        for i in data.only_active(lookups.orgs)["id"].tolist()
        if permissions.may_change_event(actor, i)
    ]
    if chosen is not None and owner_of_chosen not in owners:
        owners.insert(0, owner_of_chosen)
    if owners == [actor.organisation_id]:
        st.caption(f"Ansvarig: {md_escape(org_names.get(actor.organisation_id, ''))}")
        owner = actor.organisation_id
    else:
        if st.session_state.get(f"{P}owner") not in owners:
            st.session_state[f"{P}owner"] = owners[0] if owners else None
        owner = st.selectbox(
            "Ansvarig organisation",
            owners,
            key=f"{P}owner",
            format_func=lambda i: "Forumet (samordnarna)" if i is None else org_names.get(i, ""),
        )
    linked = st.multiselect(
        "Planerade åtgärder",
        list(action_titles),
        key=f"{P}actions",
        placeholder="Inga planerade åtgärder",
        format_func=action_titles.get,
    )
    item = events.EventInput(
        title=title,
        description=description,
        kind=kind,
        expected_impact=impact,
        place_id=place,
        area_id=area,
        starts_at=dt.datetime.combine(start_date, start_time) if start_date else None,
        ends_at=dt.datetime.combine(end_date, end_time) if end_date else None,
        action_ids=linked,
        owner_org_id=owner,
    )
    save, remove = st.columns([1, 1])
    if save.button("Spara", type="primary", key="ev_save"):
        chosen_id = int(chosen["id"]) if chosen is not None else None
        if write.attempt(ctx, events.save_event, actor, item, chosen_id).ok:
            form_state.saved(P, f"”{title.strip()}” är sparat.")
    deleting = chosen is not None and remove.button(
        "Ta bort", key="ev_delete", icon=":material/delete:"
    )
    if deleting and write.attempt(ctx, events.delete_event, actor, int(chosen["id"])).ok:
        form_state.saved(P, f"”{chosen['title']}” är borttaget.")
    form_state.confirmation(P)
