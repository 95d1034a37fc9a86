"""E-mail to the forum's users: who receives what, written to the outbox.

Every message is a row in `mail_outbox`, added in the same transaction as the event that
causes it (an action assigned, a status changed, a meeting closed, an account created), or by
`lagesbild notify` for what time brings (due dates, a meeting two days ahead). Nothing is sent
here: `lagesbild.services.notify` sends the outbox. A message's `dedupe_key` is unique, so the
same reminder is never queued twice, whoever or whatever runs twice.

Recipients are active users with an address who have not turned the kind off (Mitt konto).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lagesbild import clock
from lagesbild.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Meeting,
    MeetingStatus,
    Organisation,
    OutboxMessage,
    Role,
    User,
)
from lagesbild.queries.actions import is_overdue  # the one definition of "försenad"

# the kinds a user can turn off on Mitt konto, with their Swedish labels
KINDS: dict[str, str] = {
    "assigned": "En åtgärd tilldelas min organisation",
    "status": "Status ändras på min organisations åtgärder",
    "due": "Påminnelser: åtgärder som ska vara klara inom 7 dagar eller är försenade",
    "agenda": "Dagordning och nytt sedan förra mötet, två dagar före varje möte",
    "minutes": "Protokollet när ett möte har avslutats",
}
ACCOUNT_KINDS = ("invitation", "reset")  # always sent: they are the way into the account
DUE_SOON_DAYS = 7
AGENDA_DAYS_BEFORE = 2


def wants(user: User, kind: str) -> bool:
    return bool(user.active and user.email) and (
        kind in ACCOUNT_KINDS or kind not in (user.mail_off or [])
    )


def choices(session: Session, user_id: int) -> tuple[str, set[str]]:
    """The user's address ("" if none) and the kinds they receive."""
    user = session.get(User, user_id)
    return user.email or "", {k for k in KINDS if k not in (user.mail_off or [])}


def set_choices(session: Session, user_id: int, wanted: set[str]) -> User:
    """The user's own choice of what they receive (the kinds in KINDS)."""
    user = session.get(User, user_id)
    user.mail_off = sorted(k for k in KINDS if k not in wanted)
    return user


def queue(session: Session, user: User, kind: str, key: str, payload: dict) -> bool:
    """Add one message for `user` unless they do not want it or it is already queued
    (`key`, unique per kind and recipient). Returns whether it was added."""
    if not wants(user, kind):
        return False
    dedupe = f"{kind}:{key}:{user.id}"
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe)):
        return False
    session.add(
        OutboxMessage(
            dedupe_key=dedupe,
            kind=kind,
            user_id=user.id,
            address=user.email,
            payload={**payload, "name": user.display_name},
            next_attempt_at=clock.utcnow(),
        )
    )
    session.flush()
    return True


def outbox_summary(session: Session) -> str:
    """The outbox in one Swedish line for the admin, e.g. "12 skickade, 2 i kö"."""
    counts = dict(
        session.execute(
            select(OutboxMessage.state, func.count(OutboxMessage.id)).group_by(OutboxMessage.state)
        ).all()
    )
    words = {
        "sent": "skickade",
        "queued": "i kö",
        "sending": "skickas just nu",
        "failed": "gick inte att skicka",
        "uncertain": "osäkra (avbrutna under sändning)",
    }
    parts = [f"{counts[state]} {word}" for state, word in words.items() if counts.get(state)]
    return ", ".join(parts) if parts else "inga meddelanden än"


def members(session: Session, *org_ids: int) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .where(User.organisation_id.in_(org_ids), User.active.is_(True))
            .order_by(User.id)
        )
    )


def chairs(session: Session) -> list[User]:
    return list(
        session.scalars(select(User).where(User.role == Role.CHAIR.value, User.active.is_(True)))
    )


def _action_payload(session: Session, action: Action) -> dict:
    org = session.get(Organisation, action.owner_org_id)
    return {
        "action_id": action.id,
        "title": action.title,
        "owner": org.name if org else "",
        "status": action.status,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "description": action.description or "",
    }


# --- events, called by the services after a successful write -----------------------------


def action_assigned(session: Session, action: Action) -> None:
    """An action given to an organisation: its members hear of it."""
    payload = _action_payload(session, action)
    for user in members(session, action.owner_org_id):
        queue(session, user, "assigned", f"{action.id}:{action.owner_org_id}", payload)


def status_changed(session: Session, action: Action, change_id: int, before: str, note: str):
    """A new status: the owner organisation hears of it."""
    payload = {**_action_payload(session, action), "from": before, "note": note}
    for user in members(session, action.owner_org_id):
        queue(session, user, "status", str(change_id), payload)


def meeting_closed(session: Session, meeting: Meeting) -> None:
    """The minutes go to the organisations present."""
    payload = {
        "meeting_id": meeting.id,
        "held_at": meeting.held_at.isoformat(),
        "minutes": meeting.minutes_markdown or "",
    }
    org_ids = [o.id for o in meeting.attendees]
    if org_ids:
        for user in members(session, *org_ids):
            queue(session, user, "minutes", str(meeting.id), payload)


# --- what time brings, found by each notify run -------------------------------------------


def due_reminders(session: Session, today: dt.date | None = None) -> int:
    """Open actions due within DUE_SOON_DAYS days ("snart") or past due ("forsenad"): the
    owner organisation and the chairs, once per action and stage."""
    today = today or clock.local_today()
    added = 0
    rows = session.execute(
        select(Action, is_overdue(today)).where(
            Action.status.in_(OPEN_ACTION_STATUSES),
            Action.due_date.is_not(None),
            Action.due_date <= today + dt.timedelta(days=DUE_SOON_DAYS),
        )
    )
    for action, overdue in rows:
        stage = "forsenad" if overdue else "snart"
        payload = {**_action_payload(session, action), "stage": stage}
        people = {u.id: u for u in [*members(session, action.owner_org_id), *chairs(session)]}
        for user in people.values():
            added += queue(session, user, "due", f"{action.id}:{stage}", payload)
    return added


def agenda_notices(session: Session, now: dt.datetime | None = None) -> int:
    """Two days before each planned meeting: the agenda and what is new since the last
    meeting, to every member of the forum."""
    from lagesbild.services import meetings  # the agenda lives with the meetings

    now = now or clock.local_now()
    added = 0
    upcoming = session.scalars(
        select(Meeting).where(
            Meeting.status == MeetingStatus.PLANNED.value,
            Meeting.held_at > now,
            Meeting.held_at <= now + dt.timedelta(days=AGENDA_DAYS_BEFORE),
        )
    )
    for meeting in upcoming:
        payload = {
            "meeting_id": meeting.id,
            "held_at": meeting.held_at.isoformat(),
            "agenda": list(meetings.AGENDA),
            "news": _news_since(session, meeting, now),
        }
        everyone = session.scalars(
            select(User).where(User.active.is_(True)).order_by(User.id)
        ).all()
        for user in everyone:
            key = f"{meeting.id}:{meeting.held_at:%Y%m%d%H%M}"
            added += queue(session, user, "agenda", key, payload)
    return added


def _news_since(session: Session, meeting: Meeting, now: dt.datetime) -> dict:
    """What has been reported since the last meeting, forum-visible reports only (the mail
    goes to every organisation): the total and the count per category group."""
    from lagesbild.filters import Window
    from lagesbild.queries import picture
    from lagesbild.queries.common import Viewer
    from lagesbild.queries.meetings import FIRST_MEETING_DAYS
    from lagesbild.services import meetings

    since = meetings.previous_meeting_time(session, meeting.held_at) or (
        meeting.held_at - dt.timedelta(days=FIRST_MEETING_DAYS)
    )
    window = Window(since, max(now, since + dt.timedelta(minutes=1)))
    frame = picture.by_category(session.connection(), viewer=Viewer(None, False), window=window)
    groups = frame.groupby("group", sort=False)["current"].sum()
    groups = groups[groups > 0].sort_values(ascending=False)
    return {
        "since": since.isoformat(),
        "total": int(groups.sum()),
        "groups": [[str(name), int(count)] for name, count in groups.items()],
    }
