"""Rapportera: one report with one or several incidents. Not a police report."""

import streamlit as st

from lagesbild import fmt, municipalities
from lagesbild.models import Visibility
from lagesbild.services import reports
from lagesbild.ui import context, data, form_state, forms, write
from lagesbild.ui import photos as photo_ui

ctx, actor = context.current()
lookups = data.lookups(ctx.url)
boundary = municipalities.boundary(ctx.municipality)
P = "rep_"

st.title("Rapportera")
st.warning(
    "**Det här är inte en polisanmälan.** Rapporten går till trygghetsforumet och används för "
    "den gemensamma lägesbilden. Pågår ett brott eller är någon i fara: ring **112**. Anmäl "
    "brott till polisen på **114 14** eller polisen.se.",
    icon=":material/info:",
)
st.caption(
    "Beskriv platsen och situationen – aldrig personer. Namn, personnummer, "
    "telefonnummer, e-post och registreringsnummer kan inte sparas."
)

form_state.start(P, {"visibility": Visibility.FORUM.value, "n": 1})
left, right = st.columns(2)
with left:
    org_id = forms.organisation_picker(P, lookups, actor)
with right:
    visibility = st.radio(
        "Vem får se rapporten",
        [Visibility.FORUM.value, Visibility.RESTRICTED.value],
        key=f"{P}visibility",
        horizontal=True,
        format_func={
            Visibility.FORUM.value: "Hela forumet",
            Visibility.RESTRICTED.value: "Bara min organisation och samordnare",
        }.get,
    )

count = st.session_state[f"{P}n"]
items = []
for i in range(count):
    prefix = f"{P}{i}_"
    form_state.start(prefix, {"period": False, "count": 1, "description": ""})
    with st.container(border=True):
        st.subheader(f"Händelse {i + 1}" if count > 1 else "Händelsen")
        category = forms.category_picker(prefix, lookups)
        place, lat, lon = forms.location_picker(
            prefix, lookups, ctx.settings.basemap, boundary, ctx.municipality or ""
        )
        occurred_at = forms.when_input(prefix, "Inträffade")
        until = None
        if st.checkbox("Pågick under en period", key=f"{prefix}period"):
            until = forms.when_input(f"{prefix}until_", "Till")
        n = st.number_input(
            "Antal",
            min_value=1,
            max_value=reports.MAX_COUNT,
            step=1,
            key=f"{prefix}count",
            help="T.ex. hur många klotter eller bilar som skadades.",
        )
        description = st.text_area(
            "Kort beskrivning",
            key=f"{prefix}description",
            max_chars=reports.MAX_DESCRIPTION,
            height=90,
            placeholder="Vad hände, hur såg platsen ut?",
        )
        items.append(
            reports.IncidentInput(
                category_id=category,
                place_id=place,
                lat=lat,
                lon=lon,
                occurred_at=occurred_at,
                occurred_until=until,
                count=int(n),
                description=description,
            )
        )

with st.container(border=True):
    pictures = photo_ui.photo_input(P, f"{P}0_")

send = forms.more_or_fewer(P, count, "Lägg till en händelse")
if send.button("Skicka rapporten", type="primary", icon=":material/send:", key=f"{P}send"):
    if pictures is None:
        forms.problems({"photo": photo_ui.UNREADABLE})
    elif (
        saved := write.attempt(
            ctx,
            reports.create_report,
            actor,
            items,
            organisation_id=org_id,
            visibility=visibility,
            photos=pictures,
        )
    ).ok:
        photo_ui.empty_after_save(P)
        form_state.saved(
            P,
            f"Tack! Rapporten är sparad ({fmt.counted(len(saved.result), 'händelse', 'händelser')})"
            " och syns i lägesbilden. Formuläret är tömt för nästa rapport.",
        )
form_state.confirmation(P)
