"""Händelser: the incidents in the selection; the reporting organisation (or an admin) can
correct or withdraw its own. The audit log keeps every earlier version."""

import streamlit as st

from lagesbild import fmt, labels, permissions
from lagesbild.clock import utc_to_local
from lagesbild.fmt import md_escape
from lagesbild.services import reports
from lagesbild.ui import context, data, filters, form_state, forms, tables, write
from lagesbild.ui import photos as photo_ui

ctx, actor = context.current()
st.title("Händelser")
scope = filters.filter_bar(ctx, "handelser")
lookups = data.lookups(ctx.url)
viewer = context.current_viewer()
P = "inc_"

mine = st.toggle(
    "Bara min organisations rapporter", value=not permissions.is_chair(actor), key="inc_mine"
)
rows = data.incident_list(
    ctx.url,
    viewer=viewer,
    scope=scope,
    organisation_id=actor.organisation_id if mine else None,
    version=ctx.data_version,
)
st.caption(
    f"{md_escape(filters.describe(scope, lookups))} · {fmt.integer(len(rows))} händelser"
    + (" (de 1 000 senaste)" if len(rows) >= 1000 else "")
)
if rows.empty:
    st.info("Inga händelser i urvalet.", icon=":material/filter_alt_off:")
    st.stop()
picked = st.dataframe(
    tables.incident_list(rows),
    hide_index=True,
    width="stretch",
    height=320,
    on_select="rerun",
    selection_mode="single-row",
    key="inc_table",
)
if not picked.selection.rows:
    st.caption("Markera en händelse för att se den, rätta den eller dra tillbaka den.")
    st.stop()

incident = data.incident_detail(ctx.url, int(rows.iloc[picked.selection.rows[0]]["id"]))
if incident is None:
    st.warning("Händelsen finns inte längre.")
    st.stop()
photo_ui.thumbnails(ctx, actor, incident_ids=[incident["id"]])
may_edit = permissions.may_change_incident(actor, incident["reporting_org_id"])
if incident["withdrawn_at"] is not None:
    st.info(f"Händelsen är tillbakadragen: {md_escape(incident['withdrawn_reason'])}")
    st.stop()
if not may_edit:
    st.caption(permissions.INCIDENT_DENIED)
    st.stop()

F = P + "f_"
cats = lookups.categories.set_index("id")
until_at = incident["occurred_until"]
form_state.start(
    F,
    {
        "group": int(cats.loc[incident["category_id"], "group_id"]),
        "category": incident["category_id"],
        "mode": forms.LIST if incident["place_id"] else forms.POINT,
        "place": incident["place_id"],
        "lat": incident["lat"],
        "lon": incident["lon"],
        "date": incident["occurred_at"].date(),
        "time": incident["occurred_at"].time(),
        "count": incident["count"],
        "description": incident["description"],
        "period": until_at is not None,
    }
    | ({"until_date": until_at.date(), "until_time": until_at.time()} if until_at else {}),
    source=(incident["id"], incident["version"]),
)
# what the user saw when the form was filled: a change made by someone else since is a conflict
seen = st.session_state[form_state.field(f"{F}seen", {k: incident[k] for k in reports.FIELDS})]

with st.container(border=True):
    st.subheader("Rätta händelsen")
    category = forms.category_picker(F, lookups)
    place, lat, lon = forms.location_picker(F, lookups, ctx.settings.basemap)
    occurred_at = forms.when_input(F, "Inträffade")
    until = (
        forms.when_input(F + "until_", "Till")
        if st.checkbox("Pågick under en period", key=f"{F}period")
        else None
    )
    n = st.number_input("Antal", min_value=1, max_value=reports.MAX_COUNT, step=1, key=f"{F}count")
    description = st.text_area(
        "Kort beskrivning", key=f"{F}description", max_chars=reports.MAX_DESCRIPTION
    )
    if st.button("Spara rättelsen", type="primary", key=f"{P}save"):
        item = reports.IncidentInput(
            category_id=category,
            place_id=place,
            lat=lat,
            lon=lon,
            occurred_at=occurred_at,
            occurred_until=until,
            count=int(n),
            description=description,
        )
        saved = write.attempt(
            ctx,
            reports.correct_incident,
            actor,
            incident["id"],
            incident["version"],
            item,
            seen=seen,
        )
        if saved.ok:
            form_state.saved(F, "Rättelsen är sparad.")
    form_state.confirmation(F)

with st.expander("Dra tillbaka händelsen", icon=":material/undo:"):
    st.caption("Händelsen räknas och visas inte längre, men finns kvar i granskningsloggen.")
    reason = st.text_input("Varför", key=f"{P}reason", placeholder="T.ex. dubbelrapporterad")
    if st.button("Dra tillbaka", key=f"{P}withdraw"):
        withdrawn = write.attempt(
            ctx, reports.withdraw_incident, actor, incident["id"], incident["version"], reason
        )
        if withdrawn.ok:
            form_state.saved(f"{P}withdraw_", "Händelsen är tillbakadragen.", empty=False)
    form_state.confirmation(f"{P}withdraw_")

st.caption(
    f"Rapporterad {fmt.datetime(utc_to_local(incident['created_at']))} · källa "
    f"{md_escape(incident['source'])} · version {incident['version']} · "
    f"{labels.VISIBILITY.get(incident['visibility'], '')}"
)
