"""Actions for the pages: the list with overdue marked, counts per organisation and status, an
action's details and history, and the counts behind its effect."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Connection

from lagesbild.analysis import effect
from lagesbild.filters import Window
from lagesbild.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatusChange,
    Area,
    Category,
    Incident,
    LocationPrecision,
    Meeting,
    Organisation,
    Place,
    User,
    action_category,
    action_incident,
    day_number,
)
from lagesbild.queries.common import Viewer, frame, visible_incidents
from lagesbild.queries.incidents import in_window


def is_overdue(today: dt.date):
    """The one definition of an overdue action (labels.OVERDUE_MEANING): open, with a due
    date before today."""
    return and_(Action.status.in_(OPEN_ACTION_STATUSES), Action.due_date < today)


def action_list(conn: Connection, today: dt.date) -> pd.DataFrame:
    """Every action. Columns: id, title, description, owner, owner_org_id, responsible_role,
    status, horizon, action_type, start_date, due_date, closed_at, overdue, place, place_id,
    area, area_id, citizen_promise, decided_at, evaluation_note, version, categories (names,
    comma-separated)."""
    overdue = is_overdue(today)
    stmt = (
        select(
            Action.id,
            Action.title,
            Action.description,
            Organisation.short_name.label("owner"),
            Action.owner_org_id,
            Action.responsible_role,
            Action.status,
            Action.horizon,
            Action.action_type,
            Action.start_date,
            Action.due_date,
            Action.closed_at,
            case((overdue, True), else_=False).label("overdue"),
            Place.name.label("place"),
            Action.place_id,
            Area.name.label("area"),
            Action.area_id,
            Action.citizen_promise,
            Meeting.held_at.label("decided_at"),
            Action.evaluation_note,
            Action.version,
        )
        .join(Organisation, Action.owner_org_id == Organisation.id)
        .outerjoin(Place, Action.place_id == Place.id)
        .outerjoin(Area, Action.area_id == Area.id)
        .outerjoin(Meeting, Action.decided_meeting_id == Meeting.id)
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    )
    df = frame(conn, stmt)
    links = frame(
        conn,
        select(action_category.c.action_id, Category.name).join(
            Category, Category.id == action_category.c.category_id
        ),
    )
    names = links.groupby("action_id")["name"].agg(", ".join).to_dict() if len(links) else {}
    df["categories"] = [names.get(i, "") for i in df["id"]]
    df["overdue"] = df["overdue"].astype(bool)
    return df


def links(conn: Connection, action_id: int) -> dict[str, list[int]]:
    """An action's linked category and incident ids."""
    cats = category_ids(conn, [action_id])[action_id]
    incs = conn.scalars(
        select(action_incident.c.incident_id).where(action_incident.c.action_id == action_id)
    ).all()
    return {"category_ids": cats, "incident_ids": sorted(incs)}


def category_ids(conn: Connection, action_ids: list[int]) -> dict[int, list[int]]:
    """The linked category ids of each action, sorted (none linked: an empty list)."""
    out: dict[int, list[int]] = {action_id: [] for action_id in action_ids}
    rows = conn.execute(
        select(action_category.c.action_id, action_category.c.category_id)
        .where(action_category.c.action_id.in_(action_ids))
        .order_by(action_category.c.category_id)
    )
    for action_id, category_id in rows:
        out[action_id].append(category_id)
    return out


def history(conn: Connection, action_id: int) -> pd.DataFrame:
    """Columns: changed_at (UTC), from_status, to_status, note, username."""
    return frame(
        conn,
        select(
            ActionStatusChange.changed_at,
            ActionStatusChange.from_status,
            ActionStatusChange.to_status,
            ActionStatusChange.note,
            User.username,
        )
        .outerjoin(User, ActionStatusChange.changed_by_id == User.id)
        .where(ActionStatusChange.action_id == action_id)
        .order_by(ActionStatusChange.changed_at, ActionStatusChange.id),
    )


def _treated(place_id: int | None, area_id: int | None):
    if place_id is not None:
        return Incident.place_id == place_id
    return Incident.area_id == area_id


@dataclass(frozen=True)
class EffectQuestion:
    """What an action's effect is measured on: its place (else its area), its categories (none:
    every category) and the windows before it began and after it was completed, whole days
    (`analysis.effect.windows`)."""

    place_id: int | None
    area_id: int | None
    category_ids: tuple[int, ...]
    before: Window
    after: Window


def effect_question(
    *,
    place_id: object,
    area_id: object,
    start_date: dt.date | None,
    closed_at: dt.date,
    category_ids: tuple[int, ...] | list[int],
    today: dt.date,
) -> EffectQuestion | None:
    """The question a completed action's effect answers, as the Åtgärder page and Kvartal ask
    it: at its place (else its area), in its categories, in the windows around its start and
    completion. None for an action with neither place nor area (the whole municipality): its
    effect is not measured. Ids may come as floats or NaN from a data frame."""
    place = None if pd.isna(place_id) else int(place_id)
    area = None if pd.isna(area_id) else int(area_id)
    if place is None and area is None:
        return None
    start = None if pd.isna(start_date) else start_date
    before, after = effect.windows(start, closed_at, today)
    return EffectQuestion(
        place_id=place,
        area_id=None if place is not None else area,
        category_ids=tuple(category_ids),
        before=before,
        after=after,
    )


def effect_counts(conn: Connection, *, viewer: Viewer, question: EffectQuestion) -> dict[str, int]:
    """Reports of the question's categories at its place (or area) and elsewhere, before and
    after (the Åtgärder page). Approximate positions (a municipality's centroid) are neither
    here nor elsewhere."""
    return effect_counts_many(conn, viewer=viewer, questions=[question])[0]


def effect_counts_many(
    conn: Connection, *, viewer: Viewer, questions: list[EffectQuestion]
) -> list[dict[str, int]]:
    """`effect_counts` for many actions at once (Kvartal, the leadership documents): one read
    of the days they span, counted per day, category and the places and areas asked about,
    instead of one read per action. Each answer in the order of the questions."""
    if not questions:
        return []
    for q in questions:
        if q.place_id is None and q.area_id is None:
            raise ValueError("an effect is measured at a place or in an area")
        for window in (q.before, q.after):
            if window.start.time() != dt.time() or window.end.time() != dt.time():
                raise ValueError("effect windows are whole days")
    span = Window(min(q.before.start for q in questions), max(q.after.end for q in questions))
    places = sorted({q.place_id for q in questions if q.place_id is not None})
    areas = sorted({q.area_id for q in questions if q.place_id is None})
    # Places and areas nobody asked about are all "elsewhere": counted together, as NULL.
    place = case((Incident.place_id.in_(places), Incident.place_id), else_=None).label("place")
    area = case((Incident.area_id.in_(areas), Incident.area_id), else_=None).label("area")
    stmt = (
        select(Incident.day, Incident.category_id, place, area, func.count().label("n"))
        .where(
            visible_incidents(viewer=viewer),
            Incident.precision != LocationPrecision.APPROXIMATE.value,
            in_window(span),
        )
        .group_by(Incident.day, Incident.category_id, place, area)
    )
    if all(q.category_ids for q in questions):
        wanted = sorted({c for q in questions for c in q.category_ids})
        stmt = stmt.where(Incident.category_id.in_(wanted))
    counts = frame(conn, stmt, ["day", "category_id", "place", "area", "n"])
    return [_effect_cells(counts, q) for q in questions]


def _effect_cells(counts: pd.DataFrame, q: EffectQuestion) -> dict[str, int]:
    rows = counts[counts["category_id"].isin(q.category_ids)] if q.category_ids else counts
    here = rows["place"] == q.place_id if q.place_id is not None else rows["area"] == q.area_id

    def within(window: Window) -> pd.Series:
        return rows["day"].between(day_number(window.start), day_number(window.end) - 1)

    cells = {
        "treated_before": here & within(q.before),
        "treated_after": here & within(q.after),
        "control_before": ~here & within(q.before),
        "control_after": ~here & within(q.after),
    }
    return {name: int(rows.loc[mask, "n"].sum()) for name, mask in cells.items()}


def effect_weeks(
    conn: Connection,
    *,
    viewer: Viewer,
    place_id: int | None,
    area_id: int | None,
    category_ids: list[int],
    span: Window,
) -> pd.DataFrame:
    """Reports per day at the place and elsewhere (summed to weeks by the page).
    Columns: day, here, elsewhere."""
    treated = func.coalesce(_treated(place_id, area_id), False)
    stmt = (
        select(
            Incident.day,
            func.sum(case((treated, 1), else_=0)).label("here"),
            func.sum(case((~treated, 1), else_=0)).label("elsewhere"),
        )
        .where(
            visible_incidents(viewer=viewer),
            in_window(span),
            Incident.precision != LocationPrecision.APPROXIMATE.value,
        )
        .group_by(Incident.day)
    )
    if category_ids:
        stmt = stmt.where(Incident.category_id.in_(category_ids))
    return frame(conn, stmt, ["day", "here", "elsewhere"])
