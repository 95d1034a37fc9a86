"""Import mappings and events belong to an organisation: only it (and admins, for events also
chairs) changes or deletes them; leadership writes nothing; a mapping's restricted visibility
cannot be switched by someone else, so its organisation's rows stay restricted. On SQLite and
PostgreSQL, and through the upgrade of an existing database."""

import datetime as dt

import pytest
from sqlalchemy import func, select, text

from lagesbild import auth, db
from lagesbild.actor import SYSTEM, Actor
from lagesbild.errors import PermissionDenied
from lagesbild.importers.mapping import Mapping
from lagesbild.models import AuditLog, Event, ImportMapping, Incident, Organisation, Visibility
from lagesbild.queries.common import Viewer, visible_incidents
from lagesbild.reference import seed_default_categories
from lagesbild.services import events, imports
from lagesbild.services.events import EventInput

CSV = (
    "Id;Datum;Typ;Lat;Lon\n"
    "R1;2026-11-20 21:30;Klotter;55,4716;13,0194\n"
    "R2;2026-11-20 22:10;Klotter;55,4181;12,9561\n"
    "R3;2026-11-19 03:00;Glaskross;55,4181;12,9561\n"
)


@pytest.fixture
def forum(engine):
    with db.transaction(engine) as s:
        seed_default_categories(s)
        housing = Organisation(name="Vellingebostäder", short_name="VB", kind="bostadsbolag")
        works = Organisation(name="Teknik", short_name="Teknik", kind="kommun")
        s.add_all([housing, works])
        s.flush()
        people = {
            "vb": (housing.id, "medlem"),
            "teknik": (works.id, "medlem"),
            "chair": (works.id, "samordnare"),
            "admin": (works.id, "admin"),
            "leader": (housing.id, "ledning"),
        }
        actors = {}
        for name, (org, role) in people.items():
            user = auth.create_user(
                s,
                SYSTEM,
                username=name,
                display_name=name,
                organisation_id=org,
                role=role,
                password="ett-langt-losenord",
            )
            actors[name] = auth.actor_for(user)
        return engine, {"vb": housing.id, "teknik": works.id}, actors


def _mapping(engine, visibility: str) -> Mapping:
    with db.transaction(engine) as s:
        names = imports.category_names(s)
    return Mapping(
        columns={
            "source_id": "Id",
            "occurred_at": "Datum",
            "category": "Typ",
            "lat": "Lat",
            "lon": "Lon",
        },
        category_values={"Klotter": names["Klotter"], "Glaskross": names["Glaskross"]},
        visibility=visibility,
    )


def _stored(engine, source: str) -> tuple[dict, int | None]:
    with engine.connect() as conn:
        row = conn.execute(
            select(ImportMapping.mapping, ImportMapping.owner_org_id).where(
                ImportMapping.source == source
            )
        ).one()
    return row.mapping, row.owner_org_id


def test_a_mapping_belongs_to_the_organisation_that_saved_it(forum):
    engine, orgs, who = forum
    restricted = _mapping(engine, Visibility.RESTRICTED.value)
    with db.transaction(engine) as s:
        imports.save_mapping(s, who["vb"], "VB felanmälan", restricted)
    assert _stored(engine, "VB felanmälan") == (restricted.to_json(), orgs["vb"])

    opened = _mapping(engine, Visibility.FORUM.value)
    for name in ("teknik", "chair", "leader"):
        with pytest.raises(PermissionDenied), db.transaction(engine) as s:
            imports.save_mapping(s, who[name], "VB felanmälan", opened)
        with pytest.raises(PermissionDenied), db.transaction(engine) as s:
            imports.delete_mapping(s, who[name], "VB felanmälan")
    assert _stored(engine, "VB felanmälan") == (restricted.to_json(), orgs["vb"])

    # the owner and an admin may change it; the owner stays
    with db.transaction(engine) as s:
        imports.save_mapping(s, who["admin"], "VB felanmälan", opened)
    assert _stored(engine, "VB felanmälan") == (opened.to_json(), orgs["vb"])
    with db.transaction(engine) as s:
        imports.save_mapping(s, who["vb"], "VB felanmälan", restricted)
        assert imports.may_save_mapping(s, who["vb"], "VB felanmälan")
        assert not imports.may_save_mapping(s, who["teknik"], "VB felanmälan")
        assert imports.may_save_mapping(s, who["teknik"], "Teknik felanmälan")  # a new one
        assert not imports.may_save_mapping(s, who["leader"], "Ledningens källa")
    with db.transaction(engine) as s:
        imports.delete_mapping(s, who["vb"], "VB felanmälan")
    with db.transaction(engine) as s:
        assert imports.sources(s) == []
        log = s.scalars(
            select(AuditLog).where(AuditLog.entity == "import_mapping").order_by(AuditLog.id)
        ).all()
    assert [(e.verb, e.username, e.detail) for e in log] == [
        ("create", "vb", "VB felanmälan"),
        ("update", "admin", "VB felanmälan"),
        ("update", "vb", "VB felanmälan"),
        ("delete", "vb", "VB felanmälan"),
    ]


def test_leadership_saves_no_mapping_and_members_none_for_others(forum):
    engine, orgs, who = forum
    mapping = _mapping(engine, Visibility.FORUM.value)
    with pytest.raises(PermissionDenied, match="Ledningen"), db.transaction(engine) as s:
        imports.save_mapping(s, who["leader"], "Ny källa", mapping)
    with pytest.raises(PermissionDenied), db.transaction(engine) as s:
        imports.save_mapping(s, who["teknik"], "Ny källa", mapping, orgs["vb"])
    with db.transaction(engine) as s:  # a chair sets up a source for another organisation
        imports.save_mapping(s, who["chair"], "Ny källa", mapping, orgs["vb"])
    assert _stored(engine, "Ny källa")[1] == orgs["vb"]


def _visible(engine, actor) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(func.count())
            .select_from(Incident)
            .where(visible_incidents(viewer=Viewer.of(actor)))
        ).scalar()


def test_another_organisation_cannot_open_up_a_restricted_import(forum):
    """The attack seen in the field: a member switched another organisation's saved mapping to
    the whole forum, and its next import leaked. Now the switch is refused and the rows stay
    restricted."""
    engine, orgs, who = forum
    with db.transaction(engine) as s:
        imports.save_mapping(
            s, who["vb"], "VB felanmälan", _mapping(engine, Visibility.RESTRICTED.value)
        )
    for name in ("teknik", "leader"):
        with pytest.raises(PermissionDenied), db.transaction(engine) as s:
            imports.save_mapping(
                s, who[name], "VB felanmälan", _mapping(engine, Visibility.FORUM.value)
            )
    with db.transaction(engine) as s:
        table, mapping, skipped = imports.read_file(
            s, CSV.encode(), "felanmalan.csv", "VB felanmälan"
        )
        report = imports.run_import(
            s,
            who["vb"],
            source="VB felanmälan",
            filename="felanmalan.csv",
            table=table,
            mapping=mapping,
            organisation_id=orgs["vb"],
            pre_skipped=skipped,
        )
    assert report.stored and report.added == 3, [str(e) for e in report.errors]
    with engine.connect() as conn:
        assert set(conn.scalars(select(Incident.visibility))) == {Visibility.RESTRICTED.value}
    assert _visible(engine, who["teknik"]) == 0
    assert _visible(engine, who["leader"]) == 3  # ledning of the same organisation
    assert _visible(engine, who["vb"]) == 3
    assert _visible(engine, who["chair"]) == 3


def _event(title: str = "Valborg i parken", **extra) -> EventInput:
    return EventInput(
        title=title,
        starts_at=dt.datetime(2027, 4, 30, 18),
        ends_at=dt.datetime(2027, 4, 30, 23),
        **extra,
    )


def _owner_and_title(engine, event_id: int) -> tuple | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(Event.owner_org_id, Event.title).where(Event.id == event_id)
        ).first()
    return tuple(row) if row else None


def test_an_event_is_changed_only_by_its_organisation_chairs_and_admins(forum):
    engine, orgs, who = forum
    with db.transaction(engine) as s:
        event_id = events.save_event(s, who["vb"], _event()).id
    assert _owner_and_title(engine, event_id) == (orgs["vb"], "Valborg i parken")

    for name in ("teknik", "leader"):
        with pytest.raises(PermissionDenied), db.transaction(engine) as s:
            events.save_event(s, who[name], _event("Inställt"), event_id)
        with pytest.raises(PermissionDenied), db.transaction(engine) as s:
            events.delete_event(s, who[name], event_id)
    assert _owner_and_title(engine, event_id) == (orgs["vb"], "Valborg i parken")

    with db.transaction(engine) as s:
        events.save_event(s, who["chair"], _event("Valborg, chair"), event_id)
    with db.transaction(engine) as s:
        events.save_event(s, who["vb"], _event("Valborg, ägaren"), event_id)
    assert _owner_and_title(engine, event_id) == (orgs["vb"], "Valborg, ägaren")
    with db.transaction(engine) as s:
        events.delete_event(s, who["admin"], event_id)
    assert _owner_and_title(engine, event_id) is None


def test_a_member_cannot_hand_an_event_to_or_take_one_from_others(forum):
    engine, orgs, who = forum
    with pytest.raises(PermissionDenied), db.transaction(engine) as s:
        events.save_event(s, who["vb"], _event(owner_org_id=orgs["teknik"]))
    with db.transaction(engine) as s:
        own = events.save_event(s, who["vb"], _event()).id
        forum_wide = events.save_event(s, who["admin"], _event("Nyår", owner_org_id=None)).id
        s.get(Event, forum_wide).owner_org_id = None  # a risk period of the whole forum
    with pytest.raises(PermissionDenied), db.transaction(engine) as s:
        events.save_event(s, who["vb"], _event(owner_org_id=orgs["teknik"]), own)
    with pytest.raises(PermissionDenied), db.transaction(engine) as s:
        events.delete_event(s, who["vb"], forum_wide)
    with db.transaction(engine) as s:  # chairs hand events over
        events.save_event(s, who["chair"], _event(owner_org_id=orgs["teknik"]), own)
        events.save_event(s, who["chair"], _event("Nyårsafton"), forum_wide)
    assert _owner_and_title(engine, own)[0] == orgs["teknik"]
    assert _owner_and_title(engine, forum_wide) == (None, "Nyårsafton")


# --- upgrading a database saved before owners existed -----------------------------------------


@pytest.fixture
def older_url(request, tmp_path, postgres):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}"
    from tests.conftest import _pg_or_skip

    return _pg_or_skip(postgres).create_database()


@pytest.mark.parametrize("older_url", ["sqlite", "postgresql"], indirect=True)
def test_an_upgrade_gives_existing_mappings_and_events_their_owners(older_url):
    from alembic import command

    engine = db.make_engine(older_url)
    with engine.begin() as conn:
        command.upgrade(db._alembic_config(conn), "0003")
    sql = [
        "INSERT INTO organisation (id, name, short_name, kind, active, created_at) VALUES "
        "(1, 'Polisen', 'Polisen', 'polis', true, '2026-01-01'), "
        "(2, 'Vellingebostäder', 'VB', 'bostadsbolag', true, '2026-01-01')",
        "INSERT INTO app_user (id, username, display_name, organisation_id, role, "
        "password_hash, active, failed_login_count, created_at) VALUES "
        "(1, 'vb', 'VB', 2, 'medlem', 'x', true, 0, '2026-01-01'), "
        "(2, 'polis', 'Polis', 1, 'medlem', 'x', true, 0, '2026-01-01')",
        "INSERT INTO import_mapping (id, source, mapping, updated_at) VALUES "
        "(1, 'VB felanmälan', '{}', '2026-01-01'), (2, 'Gammal källa', '{}', '2026-01-01')",
        # VB created its mapping; the police later overwrote it (the attack); the other has
        # only a saver without a user (from before users were audited)
        "INSERT INTO audit_log (at, user_id, username, verb, entity, entity_id, detail) VALUES "
        "('2026-02-01', 1, 'vb', 'create', 'import_mapping', 'VB felanmälan', ''), "
        "('2026-03-01', 2, 'polis', 'update', 'import_mapping', 'VB felanmälan', ''), "
        "('2026-02-01', NULL, 'system', 'create', 'import_mapping', 'Gammal källa', '')",
        "INSERT INTO event (id, title, description, kind, starts_at, ends_at, "
        "expected_impact, created_by_id, created_at) VALUES "
        "(1, 'Valborg', '', 'riskperiod', '2026-04-30 16:00', '2026-05-01 04:00', 'hog', 1, "
        "'2026-01-01'), "
        "(2, 'Nyår', '', 'riskperiod', '2026-12-31 18:00', '2027-01-01 04:00', 'hog', NULL, "
        "'2026-01-01')",
        "INSERT INTO action (id, title, description, owner_org_id, responsible_role, horizon, "
        "action_type, status, citizen_promise, evaluation_note, created_at, updated_at, "
        "version) VALUES (1, 'Extra rondering', '', 1, '', 'kort', 'narvaro', 'beslutad', "
        "false, '', '2026-01-01', '2026-01-01', 1)",
        "INSERT INTO event_action (event_id, action_id) VALUES (1, 1), (2, 1)",
    ]
    with engine.begin() as conn:
        for statement in sql:
            conn.execute(text(statement))
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()
    with engine.connect() as conn:
        mappings = dict(conn.execute(text("SELECT source, owner_org_id FROM import_mapping")).all())
        owners = dict(conn.execute(text("SELECT title, owner_org_id FROM event")).all())
        links = conn.execute(text("SELECT count(*) FROM event_action")).scalar()
    assert mappings == {"VB felanmälan": 2, "Gammal källa": None}
    assert owners == {"Valborg": 2, "Nyår": None}
    assert links == 2
    police = Actor(
        user_id=2, username="polis", display_name="Polis", organisation_id=1, role="medlem"
    )
    with pytest.raises(PermissionDenied), db.transaction(engine) as s:
        imports.save_mapping(s, police, "VB felanmälan", Mapping())
    with pytest.raises(PermissionDenied), db.transaction(engine) as s:
        imports.save_mapping(s, police, "Gammal källa", Mapping())  # admins only
