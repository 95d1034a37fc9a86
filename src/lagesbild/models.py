"""The data model of a forum's shared situational picture (SQLAlchemy 2.0, typed).

Time conventions, used everywhere:
- *Wall-clock* times of things that happen in the municipality (when an incident occurred, when
  an event starts, when a meeting is held) are naive datetimes in Europe/Stockholm local time,
  as people report and read them.
- *System* times (created_at, audit entries, login bookkeeping) are naive UTC, see `clock.py`.

No table holds fields about persons: EST works on place, situation and environment. Users are
the forum's own staff logging in, not people described in reports.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from lagesbild.clock import utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _check_in(column: str, enum_cls: type[enum.Enum]) -> CheckConstraint:
    values = ", ".join(f"'{m.value}'" for m in enum_cls)
    return CheckConstraint(f"{column} IN ({values})", name=f"{column}_valid")


class Role(enum.StrEnum):
    ADMIN = "admin"
    CHAIR = "samordnare"
    MEMBER = "medlem"
    LEADERSHIP = "ledning"


class OrganisationKind(enum.StrEnum):
    MUNICIPALITY = "kommun"
    POLICE = "polis"
    HOUSING = "bostadsbolag"
    RESCUE = "raddningstjanst"
    SECURITY = "vaktbolag"
    BUSINESS = "naringsliv"
    OTHER = "annan"


class Visibility(enum.StrEnum):
    FORUM = "forum"  # everyone in the forum
    RESTRICTED = "begransad"  # the reporting organisation, chairs and admins only


class LocationPrecision(enum.StrEnum):
    PLACE = "plats"  # at a named place
    POINT = "punkt"  # an exact point given by the reporter
    APPROXIMATE = (
        "ungefar"  # a centroid (e.g. the police's per-municipality point): never a hot spot
    )


class UnsafeReason(enum.StrEnum):
    LIGHTING = "belysning"
    SIGHT_LINES = "sikt"
    VEGETATION = "vegetation"
    LITTER = "nedskrapning"
    DESERTED = "odslig"
    OTHER = "annat"


class ActionStatus(enum.StrEnum):
    PROPOSED = "foreslagen"
    DECIDED = "beslutad"
    IN_PROGRESS = "pagar"
    DONE = "klar"
    CANCELLED = "avbruten"


# The one definition of an open action: not yet finished (klar) nor dropped (avbruten). Every
# count of open and overdue actions – pages, meeting, minutes, reports – uses it.
OPEN_ACTION_STATUSES = (
    ActionStatus.PROPOSED.value,
    ActionStatus.DECIDED.value,
    ActionStatus.IN_PROGRESS.value,
)


class Horizon(enum.StrEnum):
    SHORT = "kort"
    LONG = "lang"


class ActionType(enum.StrEnum):
    PHYSICAL = "fysisk_miljo"
    PRESENCE = "narvaro"
    DIALOGUE = "dialog"
    SOCIAL = "social"


class Impact(enum.StrEnum):
    LOW = "lag"
    MEDIUM = "medel"
    HIGH = "hog"


class EventKind(enum.StrEnum):
    EVENT = "arrangemang"
    RISK_PERIOD = "riskperiod"


class MeetingStatus(enum.StrEnum):
    PLANNED = "planerat"
    OPEN = "pagar"
    CLOSED = "avslutat"


class DecisionKind(enum.StrEnum):
    FOCUS_AREA = "fokusomrade"
    HOT_SPOT = "hot_spot"
    ACTION = "atgard"
    FEEDBACK = "aterkoppling"
    OTHER = "ovrigt"


def _created() -> Mapped[dt.datetime]:
    return mapped_column(DateTime, default=utcnow, nullable=False)


class Setting(Base):
    """Installation-wide key/value settings (forum name, generated cookie secret)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class Organisation(Base):
    __tablename__ = "organisation"
    __table_args__ = (_check_in("kind", OrganisationKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    short_name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20), default=OrganisationKind.OTHER.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = _created()

    users: Mapped[list[User]] = relationship(back_populates="organisation")


class User(Base):
    __tablename__ = "app_user"
    __table_args__ = (_check_in("role", Role),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # No longer used: failed logins are counted per user and client in `login_throttle`. Kept
    # because dropping them would rebuild this table on SQLite.
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_login_window_start: Mapped[dt.datetime | None] = mapped_column(DateTime)
    sessions_revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = _created()
    email: Mapped[str | None] = mapped_column(String(254))
    # the kinds of e-mail (`lagesbild.mail.KINDS`) the user has turned off; None: all on
    mail_off: Mapped[list | None] = mapped_column(JSON)

    organisation: Mapped[Organisation] = relationship(back_populates="users")


class PasswordToken(Base):
    """A single-use link to choose one's own password: an invitation to a new account or a
    "glömt lösenord". Only the token's SHA-256 is kept. Revoked when used, when a newer one
    is issued for the user, or when the password is set some other way. Times are UTC."""

    __tablename__ = "password_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(12))  # inbjudan, aterstall
    created_at: Mapped[dt.datetime] = _created()
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class MailState(enum.StrEnum):
    QUEUED = "queued"  # waiting to be sent (again, after `next_attempt_at`)
    SENDING = "sending"  # claimed by a notify run; handed to the server or about to be
    SENT = "sent"  # the server accepted it
    FAILED = "failed"  # given up: refused recipient, or too many failed attempts
    UNCERTAIN = "uncertain"  # a run stopped while sending: never sent again (no duplicates)


class OutboxMessage(Base):
    """One e-mail to one recipient, written in the transaction of the event that causes it and
    sent later by `lagesbild notify`. `dedupe_key` makes every message unique (e.g. one
    reminder per action, stage and recipient). The message is rendered from `payload` when
    sent; the Message-ID is chosen when it is claimed, before it is handed to the server.
    Times are UTC."""

    __tablename__ = "mail_outbox"
    __table_args__ = (
        _check_in("state", MailState),
        Index("ix_mail_outbox_state_next", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    address: Mapped[str] = mapped_column(String(254))
    payload: Mapped[dict] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(12), default=MailState.QUEUED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    message_id: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300), default="")
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = _created()


class LoginThrottle(Base):
    """Failed logins of one username from one client: a browser known by its device id, or
    every unknown client together (see `lagesbild.auth`). Also for usernames that do not exist,
    so that throttling does not tell which ones do. `version` makes every change a
    compare-and-set, so parallel guesses cannot pass the count."""

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("username", "client", name="uq_login_throttle_username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    client: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class CategoryGroup(Base):
    __tablename__ = "category_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    colour: Mapped[str] = mapped_column(String(7), default="#4C78A8")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    categories: Mapped[list[Category]] = relationship(back_populates="group")


class Category(Base):
    """A sub-type within a group (Skadegörelse → Klotter). Deactivated, never deleted."""

    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("group_id", "name", name="uq_category_group_id_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("category_group.id"))
    name: Mapped[str] = mapped_column(String(120))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    group: Mapped[CategoryGroup] = relationship(back_populates="categories")


class Area(Base):
    """A tätort, district or focus area drawn by the forum, with a GeoJSON polygon."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="tätort")
    geojson: Mapped[dict | None] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = _created()

    places: Mapped[list[Place]] = relationship(back_populates="area")


class Place(Base):
    __tablename__ = "place"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40), default="plats")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = _created()

    area: Mapped[Area | None] = relationship(back_populates="places")


class ImportBatch(Base):
    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(String(255))
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = _created()


class ImportMapping(Base):
    """A saved column mapping for a recurring file source (one per source name). It belongs to
    the organisation whose files it reads (None: only admins may change it)."""

    __tablename__ = "import_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(80), unique=True)
    mapping: Mapped[dict] = mapped_column(JSON)
    owner_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


EPOCH = dt.date(1970, 1, 1)
FACT_COLUMNS = (
    "day",
    "category_id",
    "place_id",
    "area_id",
    "reporting_org_id",
    "hour",
    "count",
    "visibility",
    "withdrawn_at",
    "precision",
    "occurred_at",
    "lat",
    "lon",
)


def day_number(value: dt.date | dt.datetime) -> int:
    """Days since 1970-01-01 of a (local) date."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return (day - EPOCH).days


def day_date(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(number))


def time_fields(occurred_at: dt.datetime) -> dict[str, int]:
    """The derived columns of an incident, for writes that bypass the ORM (bulk inserts)."""
    return {"day": day_number(occurred_at), "hour": occurred_at.hour}


class Incident(Base):
    """Something that happened (händelse): what, where, when, reported by which organisation."""

    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_incident_source_source_id"),
        CheckConstraint("count >= 1", name="count_positive"),
        _check_in("visibility", Visibility),
        _check_in("precision", LocationPrecision),
        Index("ix_incident_occurred_at", "occurred_at"),
        Index("ix_incident_created_at", "created_at"),
        Index("ix_incident_place_id", "place_id"),
        # Covers every analysis query: a day range, then grouping by day and category in
        # index order without sorting; the rest of the row is read from the index itself.
        Index("ix_incident_facts", *FACT_COLUMNS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # Derived from occurred_at on every write (see `_derive_day_and_hour`): the local date as
    # days since 1970-01-01 and the hour of day, so aggregation needs no date parsing per row.
    day: Mapped[int] = mapped_column(Integer)
    hour: Mapped[int] = mapped_column(Integer)

    occurred_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    precision: Mapped[str] = mapped_column(String(10), default=LocationPrecision.PLACE.value)
    reporting_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    count: Mapped[int] = mapped_column(Integer, default=1)
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(12), default=Visibility.FORUM.value)
    source: Mapped[str] = mapped_column(String(80), default="manual")
    source_id: Mapped[str | None] = mapped_column(String(120))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = _created()
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, onupdate=utcnow)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    category: Mapped[Category] = relationship()
    place: Mapped[Place | None] = relationship()
    area: Mapped[Area | None] = relationship()
    reporting_org: Mapped[Organisation] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @validates("occurred_at")
    def _derive_day_and_hour(self, _key: str, value: dt.datetime) -> dt.datetime:
        if value is not None:
            self.day = day_number(value)
            self.hour = value.hour
        return value


class SafetyWalk(Base):
    """A trygghetsvandring: one walk through an area with many observed points."""

    __tablename__ = "safety_walk"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    walked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    route: Mapped[dict | None] = mapped_column(JSON)  # GeoJSON LineString
    participants: Mapped[str] = mapped_column(Text, default="")  # organisations, never persons
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = _created()

    observations: Mapped[list[Observation]] = relationship(back_populates="safety_walk")


class Observation(Base):
    """A place that feels unsafe (otrygg plats), and why."""

    __tablename__ = "observation"
    __table_args__ = (
        _check_in("reason", UnsafeReason),
        Index("ix_observation_observed_at", "observed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    observed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    proposed_remedy: Mapped[str] = mapped_column(Text, default="")
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    reporting_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    safety_walk_id: Mapped[int | None] = mapped_column(ForeignKey("safety_walk.id"))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = _created()
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    place: Mapped[Place | None] = relationship()
    reporting_org: Mapped[Organisation] = relationship()
    safety_walk: Mapped[SafetyWalk | None] = relationship(back_populates="observations")


action_category = Table(
    "action_category",
    Base.metadata,
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("category.id"), primary_key=True),
)

action_incident = Table(
    "action_incident",
    Base.metadata,
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("incident_id", ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True),
)

event_action = Table(
    "event_action",
    Base.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
)

meeting_attendance = Table(
    "meeting_attendance",
    Base.metadata,
    Column("meeting_id", ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id"), primary_key=True),
)


class Action(Base):
    """An action (åtgärd/insats) decided by the forum, owned by one organisation."""

    __tablename__ = "action"
    __table_args__ = (
        _check_in("status", ActionStatus),
        _check_in("horizon", Horizon),
        _check_in("action_type", ActionType),
        Index("ix_action_owner_status", "owner_org_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    responsible_role: Mapped[str] = mapped_column(String(120), default="")
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    horizon: Mapped[str] = mapped_column(String(10), default=Horizon.SHORT.value)
    action_type: Mapped[str] = mapped_column(String(20), default=ActionType.PHYSICAL.value)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.PROPOSED.value)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    decided_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"))
    closed_at: Mapped[dt.date | None] = mapped_column(Date)
    evaluation_note: Mapped[str] = mapped_column(Text, default="")
    citizen_promise: Mapped[bool] = mapped_column(Boolean, default=False)  # medborgarlöfte
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = _created()
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    owner_org: Mapped[Organisation] = relationship()
    place: Mapped[Place | None] = relationship()
    area: Mapped[Area | None] = relationship()
    categories: Mapped[list[Category]] = relationship(secondary=action_category)
    incidents: Mapped[list[Incident]] = relationship(secondary=action_incident)
    status_changes: Mapped[list[ActionStatusChange]] = relationship(
        back_populates="action", order_by="ActionStatusChange.changed_at"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ActionStatusChange(Base):
    __tablename__ = "action_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    action: Mapped[Action] = relationship(back_populates="status_changes")


class Event(Base):
    """An upcoming event or risk period (arrangemang / riskperiod), owned by the organisation
    that plans for it (None: the forum's, changed by chairs and admins)."""

    __tablename__ = "event"
    __table_args__ = (
        _check_in("kind", EventKind),
        _check_in("expected_impact", Impact),
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        Index("ix_event_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default=EventKind.EVENT.value)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expected_impact: Mapped[str] = mapped_column(String(10), default=Impact.MEDIUM.value)
    owner_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = _created()

    place: Mapped[Place | None] = relationship()
    area: Mapped[Area | None] = relationship()
    actions: Mapped[list[Action]] = relationship(secondary=event_action)


class Meeting(Base):
    __tablename__ = "meeting"
    __table_args__ = (
        _check_in("status", MeetingStatus),
        # one meeting in progress at a time, even when two chairs start one at once
        Index(
            "uq_meeting_one_open",
            "status",
            unique=True,
            sqlite_where=sql_text("status = 'pagar'"),
            postgresql_where=sql_text("status = 'pagar'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    held_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    status: Mapped[str] = mapped_column(String(12), default=MeetingStatus.PLANNED.value)
    chair_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    since: Mapped[dt.datetime | None] = mapped_column(DateTime)  # previous meeting, frozen
    agenda_step: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    feedback_reporters: Mapped[str] = mapped_column(Text, default="")
    feedback_leadership: Mapped[str] = mapped_column(Text, default="")
    minutes_markdown: Mapped[str | None] = mapped_column(Text)
    minutes_data: Mapped[dict | None] = mapped_column(JSON)  # the minutes' figures, frozen
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # UTC
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = _created()
    version: Mapped[int] = mapped_column(Integer, default=1)

    attendees: Mapped[list[Organisation]] = relationship(secondary=meeting_attendance)
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting", order_by="Decision.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Decision(Base):
    __tablename__ = "decision"
    __table_args__ = (_check_in("kind", DecisionKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=DecisionKind.OTHER.value)
    text: Mapped[str] = mapped_column(Text)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = _created()

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    action: Mapped[Action | None] = relationship()


class AuditLog(Base):
    """Who changed or exported what, and when, with the state before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str] = mapped_column(String(64), default="")
    verb: Mapped[str] = mapped_column(String(20))  # create, update, delete, export, login …
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    detail: Mapped[str] = mapped_column(Text, default="")


class Photo(Base):
    """A photo on a reported incident or an unsafe place, re-encoded without any metadata.

    The full-size image lives in `data` or, when a photo folder is configured, in a file named
    by `storage_key` (see lagesbild.photostore); the small thumbnail is always in the row.
    A photo can show people, so it is personal data: only the reporting organisation, the
    chair and the admin see it full size (lagesbild.services.photos)."""

    __tablename__ = "photo"
    __table_args__ = (
        CheckConstraint("(incident_id IS NULL) <> (observation_id IS NULL)", name="one_parent"),
        Index("ix_photo_incident_id", "incident_id"),
        Index("ix_photo_observation_id", "observation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"))
    observation_id: Mapped[int | None] = mapped_column(
        ForeignKey("observation.id", ondelete="CASCADE")
    )
    reporting_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    content_type: Mapped[str] = mapped_column(String(40), default="image/jpeg")
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    storage_key: Mapped[str | None] = mapped_column(String(80))
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = _created()


class FeedRun(Base):
    """One run of an automatic feed (the police's public events): when it ran, how it went and
    what it stored. Times are UTC."""

    __tablename__ = "feed_run"
    __table_args__ = (Index("ix_feed_run_feed_started_at", "feed", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(String(500), default="")
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ok: Mapped[bool] = mapped_column(Boolean)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    fetched: Mapped[int] = mapped_column(Integer, default=0)  # events in the answer
    added: Mapped[int] = mapped_column(Integer, default=0)
    already: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
