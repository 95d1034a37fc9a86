"""The permission rules, role by role and own organisation against another's, as the table in
docs/permissions.md states them; and the menu asks the same rules."""

import pytest

from lagesbild import permissions as p
from lagesbild.actor import Actor
from lagesbild.errors import PermissionDenied
from lagesbild.ui import navigation

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
    assert someone.sees_restricted is restricted
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
