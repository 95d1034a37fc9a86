"""Photos on reports and unsafe places: stored without metadata, shown as thumbnails, and
full size only to those allowed (a photo can show people, so it is personal data).

Who sees what (decided here, documented in docs/photos.md):
- the reporting organisation, the chair and the admin: the thumbnail and the full-size photo;
- everyone else who may see the incident or place: a blurred thumbnail only.
Every full-size photo handed out is recorded in the audit log, like an export."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from lagesbild import db, permissions
from lagesbild.actor import Actor
from lagesbild.errors import NotFound, PermissionDenied, ValidationError
from lagesbild.imaging import MAX_PHOTOS, Prepared
from lagesbild.models import Incident, Observation, Photo
from lagesbild.photostore import PhotoStore, configured
from lagesbild.services import audit

MAP_PHOTOS = 40  # tooltip pictures sent with one map at most (a few kB each)
_CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class Shown:
    """One photo as a viewer may see it."""

    id: int
    parent_id: int  # the incident's or the place's id
    thumbnail: bytes  # blurred when `full` is False
    full: bool  # may open the full-size photo


def check_count(photos: Sequence[Prepared]) -> None:
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photo": f"Högst {MAX_PHOTOS} bilder per rapport."})


def attach(
    session: Session,
    actor: Actor,
    photos: Iterable[Prepared],
    *,
    reporting_org_id: int,
    incident_id: int | None = None,
    observation_id: int | None = None,
    store: PhotoStore | None = None,
) -> list[Photo]:
    """Store prepared (already stripped) photos on one incident or one unsafe place, in the
    caller's transaction."""
    photos = list(photos)
    check_count(photos)
    store = store or configured()
    stored = []
    for prepared in photos:
        photo = Photo(
            incident_id=incident_id,
            observation_id=observation_id,
            reporting_org_id=reporting_org_id,
            content_type="image/jpeg",
            width=prepared.width,
            height=prepared.height,
            size=len(prepared.full),
            thumbnail=prepared.thumbnail,
            created_by_id=actor.user_id,
        )
        store.put(photo, prepared.full)
        session.add(photo)
        stored.append(photo)
    session.flush()
    for photo in stored:
        audit.record(
            session,
            actor,
            "create",
            "photo",
            photo.id,
            after={
                "incident_id": incident_id,
                "observation_id": observation_id,
                "width": photo.width,
                "height": photo.height,
                "size": photo.size,
            },
        )
    return stored


def _visible(session: Session, actor: Actor, photo: Photo) -> bool:
    if photo.incident_id is not None:
        incident = session.get(Incident, photo.incident_id)
        return (
            incident is not None
            and incident.withdrawn_at is None
            and permissions.may_see_incident(actor, incident.visibility, incident.reporting_org_id)
        )
    obs = session.get(Observation, photo.observation_id)
    return obs is not None and obs.withdrawn_at is None


def thumbnails(
    engine: Engine,
    actor: Actor,
    *,
    incident_ids: Iterable[int] = (),
    observation_ids: Iterable[int] = (),
    room: bool = False,
) -> list[Shown]:
    """The thumbnails of the given incidents' and places' photos that the actor may see,
    blurred where the actor may not see the full photo – and always blurred for a `room`
    (the meeting's shared screen, seen by every organisation present)."""
    from lagesbild import imaging  # Pillow only where photos are shown

    incident_ids, observation_ids = list(incident_ids), list(observation_ids)
    if not incident_ids and not observation_ids:
        return []
    shown = []
    with db.session_factory(engine)() as session:
        query = select(Photo).order_by(Photo.id)
        if incident_ids and observation_ids:
            query = query.where(
                Photo.incident_id.in_(incident_ids) | Photo.observation_id.in_(observation_ids)
            )
        elif incident_ids:
            query = query.where(Photo.incident_id.in_(incident_ids))
        else:
            query = query.where(Photo.observation_id.in_(observation_ids))
        for photo in session.scalars(query):
            if not _visible(session, actor, photo):
                continue
            full = not room and permissions.may_see_full_photo(actor, photo.reporting_org_id)
            shown.append(
                Shown(
                    id=photo.id,
                    parent_id=photo.incident_id or photo.observation_id,
                    thumbnail=photo.thumbnail if full else imaging.blurred(photo.thumbnail),
                    full=full,
                )
            )
    return shown


def full_size(
    engine: Engine, actor: Actor, photo_id: int, store: PhotoStore | None = None
) -> bytes:
    """The full-size photo for someone allowed to see it, recorded in the audit log."""
    store = store or configured()
    with db.transaction(engine) as session:
        photo = session.get(Photo, photo_id)
        if photo is None or not _visible(session, actor, photo):
            raise NotFound("Bilden finns inte.")
        if not permissions.may_see_full_photo(actor, photo.reporting_org_id):
            raise PermissionDenied(
                "Bilden kan visa personer. Bara den rapporterande organisationen och "
                "samordnaren ser den i full storlek."
            )
        data = store.get(photo)
        audit.record(
            session,
            actor,
            "export",
            "photo",
            photo.id,
            after={"format": "jpeg", "size": len(data)},
            detail=f"Foto i full storlek ({photo.width}×{photo.height})",
        )
    return data


def thumbnail_urls(
    engine: Engine,
    actor: Actor,
    incident_ids: Iterable[int],
    room: bool = False,
    limit: int = MAP_PHOTOS,
    of: str = "incident",
) -> dict[int, str]:
    """For a map's points: each incident's (or, with `of="observation"`, each unsafe place's)
    first photo as a small `data:` URL (at most `imaging.TIP_SIDE` pixels, blurred as in
    `thumbnails`), for its tooltip. Only the first `limit` with a visible photo, in the order
    given (the map's newest first), so the map stays light; those without one are left out."""
    from lagesbild import imaging  # Pillow only where photos are shown

    parent = {"incident": Photo.incident_id, "observation": Photo.observation_id}[of]
    order = list(dict.fromkeys(incident_ids))
    urls: dict[int, str] = {}
    if not order or limit <= 0:
        return urls
    with db.session_factory(engine)() as session:
        first: dict[int, int] = {}
        for start in range(0, len(order), _CHUNK):
            chunk = order[start : start + _CHUNK]
            first.update(
                session.execute(
                    select(parent, func.min(Photo.id)).where(parent.in_(chunk)).group_by(parent)
                ).all()
            )
        for incident_id in order:
            if incident_id not in first:
                continue
            photo = session.get(Photo, first[incident_id])
            if photo is None or not _visible(session, actor, photo):
                continue
            full = not room and permissions.may_see_full_photo(actor, photo.reporting_org_id)
            picture = photo.thumbnail if full else imaging.blurred(photo.thumbnail)
            encoded = base64.b64encode(imaging.smaller(picture)).decode("ascii")
            urls[incident_id] = f"data:image/jpeg;base64,{encoded}"
            if len(urls) >= limit:
                break
    return urls
