"""The photo block of the report forms, and photo thumbnails where reports are shown."""

from __future__ import annotations

import streamlit as st

from lagesbild import fmt, imaging
from lagesbild.actor import Actor
from lagesbild.errors import UserError, ValidationError
from lagesbild.services import photos
from lagesbild.ui import forms
from lagesbild.ui.context import AppContext

NOTICE = (
    "En bild som visar personer är en personuppgift: fotografera platsen, inte människor. "
    "Bara din organisation och samordnaren ser bilden i full storlek; andra ser en suddig "
    "miniatyr. All metadata (t.ex. kamera, tid och GPS-position) tas bort innan bilden sparas."
)
UNREADABLE = "Ta bort eller byt bilden som inte kunde läsas."
"""Why a form is not sent while `photo_input` has refused a photo."""


def _generation(prefix: str) -> int:
    return st.session_state.setdefault(f"lb_photo_gen_{prefix}", 0)


def photo_input(prefix: str, position_prefix: str) -> list[imaging.Prepared] | None:
    """Photos from the phone's camera or a file, checked and stripped right away. A position
    in a photo is offered for the form's location (`position_prefix`'s picker). None when a
    photo was refused (the form must not be sent then)."""
    st.markdown("**Bilder** (valfritt)")
    kinds = "JPEG, PNG eller HEIC" if imaging.HEIC else "JPEG eller PNG – HEIC stöds inte"
    st.caption(
        f"Ta ett foto med mobilen eller välj en fil: {kinds}, högst "
        f"{imaging.MAX_BYTES // 2**20} MB per bild och {imaging.MAX_PHOTOS} bilder. {NOTICE}"
    )
    files = st.file_uploader(
        "Bilder",
        type=imaging.EXTENSIONS,
        accept_multiple_files=True,
        key=f"lb_photos_{prefix}{_generation(prefix)}",
        label_visibility="collapsed",
    )
    cache = st.session_state.setdefault(f"lb_photo_cache_{prefix}", {})
    prepared, refused = [], {}
    for upload in files or []:
        key = upload.file_id
        if key not in cache:
            try:
                cache[key] = imaging.prepare(upload.getvalue(), upload.name)
            except ValidationError as exc:
                cache[key] = exc.problems
        if isinstance(cache[key], dict):
            refused[f"photo{key}"] = next(iter(cache[key].values()))
        else:
            prepared.append(cache[key])
    if len(prepared) > imaging.MAX_PHOTOS:
        refused["count"] = f"Högst {imaging.MAX_PHOTOS} bilder; ta bort några."
    if refused:
        forms.problems(refused)
        return None
    if prepared:
        st.image([p.thumbnail for p in prepared], width=120)
        located = next((p for p in prepared if p.lat is not None), None)
        if located is not None:
            st.button(
                f"Använd bildens position ({fmt.decimal(located.lat, 5)}, "
                f"{fmt.decimal(located.lon, 5)})",
                icon=":material/my_location:",
                key=f"lb_photo_gps_{prefix}",
                on_click=_use_position,
                args=(position_prefix, located.lat, located.lon),
                help="Positionen kommer från bildens GPS-uppgifter. Den sparas bara om du "
                "använder den; själva bilden sparas utan position.",
            )
    return prepared


def _use_position(prefix: str, lat: float, lon: float) -> None:
    st.session_state[f"{prefix}mode"] = forms.POINT
    st.session_state[f"{prefix}lat"] = lat
    st.session_state[f"{prefix}lon"] = lon


def empty_after_save(prefix: str) -> None:
    """A new, empty uploader on the next run."""
    st.session_state[f"lb_photo_gen_{prefix}"] = _generation(prefix) + 1
    st.session_state.pop(f"lb_photo_cache_{prefix}", None)


def thumbnails(
    ctx: AppContext,
    actor: Actor,
    *,
    incident_ids: list[int] | None = None,
    observation_ids: list[int] | None = None,
    width: int = 160,
    room: bool = False,
) -> None:
    """The photos of some incidents or places, each with a full-size download for those
    allowed (the download is recorded in the audit log); blurred for all in a `room`."""
    shown = photos.thumbnails(
        ctx.engine,
        actor,
        incident_ids=incident_ids or (),
        observation_ids=observation_ids or (),
        room=room,
    )
    if not shown:
        return
    columns = st.columns(min(len(shown), 4))
    for i, photo in enumerate(shown):
        with columns[i % len(columns)]:
            st.image(photo.thumbnail, width=width)
            if photo.full:
                st.download_button(
                    "Full storlek",
                    data=lambda pid=photo.id: _full(ctx, actor, pid),
                    file_name=f"foto-{photo.id}.jpg",
                    mime="image/jpeg",
                    key=f"lb_photo_full_{photo.id}",
                    icon=":material/download:",
                )
            elif not room:
                st.caption("Suddig: bilden kan visa personer.")


def _full(ctx: AppContext, actor: Actor, photo_id: int) -> bytes:
    try:
        return photos.full_size(ctx.engine, actor, photo_id)
    except UserError:
        return b""
