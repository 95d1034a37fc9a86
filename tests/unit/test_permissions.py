"""The permission rules, role by role and own organisation against another's, as the table in
docs/permissions.md states them; and the menu asks the same rules."""

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from lagesbild import db
from lagesbild import permissions as p
from lagesbild.actor import Actor
from lagesbild.errors import PermissionDenied
from lagesbild.models import Category, CategoryGroup, Incident, Organisation, Visibility
from lagesbild.ui import navigation

ROOT = Path(__file__).resolve().parents[2]

OWN, OTHER = 1, 2


def actor(role: str, org: int | None = OWN) -> Actor:
    return Actor(user_id=7, username=role, display_name=role, organisation_id=org, role=role)


ROLES = ["admin", "samordnare", "medlem", "ledning"]
# rule -> allowed for (role, whose) with whose in own / other / nobody (no owner)
TABLE = {
    p.may_report_for: {"admin": "OON", "samordnare": "OON", "medlem": "O--", "ledning": "---"},
    p.may_change_incident: {"admin": "OON", "samordnare": "O--", "medlem": "O--", "ledning": "---"},
    p.may_change_action: {"admin": "OON", "samordnare": "OON", "medlem": "O--", "ledning": "---"},
    p.may_change_event: {"admin": "OON", "samordnare": "OON", "medlem": "O--", "ledning": "---"},
    p.may_change_mapping: {"admin": "OON", "samordnare": "O--", "medlem": "O--", "ledning": "---"},
}


@pytest.mark.parametrize("rule", list(TABLE), ids=lambda r: r.__name__)
@pytest.mark.parametrize("role", ROLES)
def test_rules_over_an_owning_organisation(rule, role):
    expected = TABLE[rule][role]
    got = "".join(
        mark if rule(actor(role), whose) else "-"
        for mark, whose in zip("OON", [OWN, OTHER, None], strict=True)
    )
    assert got == expected


def test_a_user_without_an_organisation_owns_nothing():
    member = actor("medlem", org=None)
    assert not p.may_change_incident(member, None)
    assert not p.may_change_mapping(member, None)
    assert not p.may_change_action(member, None)


@pytest.mark.parametrize(
    ("role", "lists", "meetings", "users", "restricted"),
    [
        ("admin", True, True, True, True),
        ("samordnare", True, True, False, True),
        ("medlem", False, False, False, False),
        ("ledning", False, False, False, False),
        ("okänd", False, False, False, False),
    ],
)
def test_forum_wide_rules(role, lists, meetings, users, restricted):
    someone = actor(role)
    assert p.may_edit_lists(someone) is lists
    assert p.may_lead_meetings(someone) is meetings
    assert p.may_manage_users(someone) is users
    assert p.sees_restricted(someone) is restricted
    assert p.may_write(someone) is (role in ("admin", "samordnare", "medlem"))


def test_restricted_incidents_are_seen_by_their_organisation_and_the_chairs():
    restricted = "begransad"
    assert p.may_see_incident(actor("medlem"), "forum", OTHER)
    assert p.may_see_incident(actor("medlem"), restricted, OWN)
    assert not p.may_see_incident(actor("medlem"), restricted, OTHER)
    assert not p.may_see_incident(actor("ledning", OTHER), restricted, OWN)
    assert p.may_see_incident(actor("samordnare", OTHER), restricted, OWN)


def test_only_the_leading_chair_runs_a_meeting():
    assert p.leads_meeting(actor("samordnare"), 7)
    assert not p.leads_meeting(actor("samordnare"), 8)
    assert not p.leads_meeting(actor("medlem"), 7)


@pytest.mark.parametrize(
    ("require", "args", "message"),
    [
        (p.require_report_for, ("ledning", OWN), "Ledningen kan läsa"),
        (p.require_report_for, ("medlem", OTHER), "din egen organisation"),
        (p.require_change_incident, ("medlem", OTHER), "rapporterande organisationen"),
        (p.require_change_action, ("medlem", OTHER), "egen organisations åtgärder"),
        (p.require_change_event, ("ledning", OWN), "Ledningen kan läsa"),
        (p.require_change_event, ("medlem", None), "ansvariga organisationen"),
        (p.require_change_mapping, ("ledning", OWN), "Ledningen kan läsa"),
        (p.require_change_mapping, ("samordnare", OTHER), "tillhör en annan organisation"),
        (lambda a, _: p.require_change_forum_settings(a), ("samordnare", OWN), "forumets namn"),
        (lambda a, _: p.require_manage_users(a), ("samordnare", OWN), "hantera användare"),
        (lambda a, _: p.require_edit_lists(a), ("medlem", OWN), "forumets listor"),
        (lambda a, _: p.require_lead_meetings(a), ("ledning", OWN), "leda ett möte"),
    ],
)
def test_a_refusal_says_why_in_swedish(require, args, message):
    role, whose = args
    with pytest.raises(PermissionDenied, match=message):
        require(actor(role), whose)
    require(actor("admin"), whose)  # admins pass every one of these


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        ("ledning", {"rapportera", "import", "administration", "anvandare"}),
        ("medlem", {"administration", "anvandare"}),
        ("samordnare", {"anvandare"}),
        ("admin", set()),
    ],
)
def test_the_menu_hides_what_the_rules_forbid(role, pages):
    shown = {spec.url_path for spec in navigation.pages_for(role)}
    everything = {spec.url_path for spec in navigation.PAGES}
    assert everything - shown >= pages
    assert "rapportera" not in shown or p.may_write(actor(role))
    assert "administration" not in shown or p.may_edit_lists(actor(role))
    assert "anvandare" not in shown or p.may_manage_users(actor(role))
    assert ("anvandare" in shown) is p.may_manage_users(actor(role))


# --- one module decides ------------------------------------------------------------------------

# A role named or compared, or a refusal decided, in code: only lagesbild.permissions does that.
ROLE_DECISION = re.compile(
    r"\bRole\.(ADMIN|CHAIR|MEMBER|LEADERSHIP)\b|\.role\s*(==|!=|in\b|not\s+in\b)"
    r"|\bis_(admin|chair)\b|[\"'](admin|samordnare|medlem|ledning)[\"']"
)
# Where a role is named for another reason than a permission, and why.
NOT_A_DECISION = {
    "src/lagesbild/permissions.py": "the rules themselves",
    "src/lagesbild/models.py": "the roles' definition",
    "src/lagesbild/labels.py": "the roles' Swedish names",
    "src/lagesbild/actor.py": "the system's own actor is an admin",
    "src/lagesbild/ui/navigation.py": "each role's start page (which pages it sees: the rules)",
    "src/lagesbild/services/mail.py": "the chairs are the ones told about new reports",
    "src/lagesbild/cli/setup.py": "the installation's first user is an admin",
    "src/lagesbild/cli/__init__.py": "the role choices of `lagesbild user add`",
}
NOT_A_DECISION_FOLDERS = ("src/lagesbild/demo/", "src/lagesbild/migrations/")


def test_no_permission_is_decided_outside_the_permissions_module():
    """Services, pages, forms and the menu ask lagesbild.permissions; none of them compares
    roles itself (the five or six places that once did are gone)."""
    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "src").rglob("*.py")]
    found = []
    for path in files:
        name = path.relative_to(ROOT).as_posix()
        if name in NOT_A_DECISION or name.startswith(NOT_A_DECISION_FOLDERS):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#")[0]
            hit = ROLE_DECISION.search(code)
            if hit and not re.search(r"\bpermissions\.is_chair\(", code):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


def test_the_scan_finds_a_role_compared_by_hand():
    for line in (
        "if actor.role == 'admin':",
        "if not actor.is_admin:",
        "allowed = user.role in (Role.ADMIN, Role.CHAIR)",
    ):
        assert ROLE_DECISION.search(line), line


def test_the_queries_count_the_incidents_the_rule_lets_each_viewer_see(engine):
    """The SQL form of the incident rule (every count and list) agrees with `may_see_incident`
    for every role, own and other organisation, restricted and open – on both databases."""
    with db.transaction(engine) as s:
        group = CategoryGroup(name="Skadegörelse", colour="#C0392B", sort_order=0)
        s.add(group)
        s.flush()
        category = Category(group_id=group.id, name="Klotter", sort_order=0)
        orgs = [Organisation(name=n, short_name=n, kind="kommun") for n in ("Ett", "Två")]
        s.add_all([category, *orgs])
        s.flush()
        for org in orgs:
            for visibility in Visibility:
                s.add(
                    Incident(
                        occurred_at=dt.datetime(2026, 11, 20, 21, 0),
                        category_id=category.id,
                        reporting_org_id=org.id,
                        visibility=visibility.value,
                        source="manual",
                    )
                )
        org_ids = [o.id for o in orgs]
    with engine.connect() as conn:
        rows = conn.execute(select(Incident.id, Incident.visibility, Incident.reporting_org_id))
        incidents = rows.all()
        for role in ROLES:
            viewer = actor(role, org_ids[0])
            clause = p.incidents_seen_by(viewer.organisation_id, p.sees_restricted(viewer))
            seen = set(conn.execute(select(Incident.id).where(clause)).scalars())
            expected = {i.id for i in incidents if p.may_see_incident(viewer, *i[1:])}
            assert seen == expected, role
            assert len(incidents) > len(seen) or p.sees_restricted(viewer)
