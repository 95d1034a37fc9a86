"""Who may do what: every permission rule of the product, in one place.

Each rule is a small pure function of the acting user (an `Actor`) and the thing acted on
(usually just the organisation that owns it). `may_…` answers yes or no, for pages that decide
what to offer; `require_…` raises `PermissionDenied` with a Swedish sentence, for the services
that refuse the write. The services are the guard: a page that offers too much still cannot
store anything. docs/permissions.md has the same rules as a table.

Roles: admin (runs the installation), samordnare (chairs the forum), medlem (an organisation in
the forum), ledning (leadership: reads, never writes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, or_, true

from lagesbild.errors import PermissionDenied
from lagesbild.models import Incident, Role, Visibility

if TYPE_CHECKING:
    from lagesbild.actor import Actor

EVERYONE = frozenset(Role)
READ_ONLY = frozenset({Role.LEADERSHIP})
WRITERS = EVERYONE - READ_ONLY
CHAIRS = frozenset({Role.ADMIN, Role.CHAIR})
ADMINS = frozenset({Role.ADMIN})


def _role(actor: Actor) -> Role | None:
    try:
        return Role(actor.role)
    except ValueError:
        return None


def is_admin(actor: Actor) -> bool:
    return _role(actor) in ADMINS


def is_chair(actor: Actor) -> bool:
    """Chairs (samordnare) and admins run the forum."""
    return _role(actor) in CHAIRS


def may_write(actor: Actor) -> bool:
    """Everyone but leadership may write something."""
    return _role(actor) in WRITERS


def _own(actor: Actor, organisation_id: int | None) -> bool:
    return organisation_id is not None and organisation_id == actor.organisation_id


# --- seeing ------------------------------------------------------------------------------------


def sees_restricted(actor: Actor) -> bool:
    """May see items marked for a narrower audience than the whole forum (any organisation's)."""
    return is_chair(actor)


def may_see_incident(actor: Actor, visibility: str, reporting_org_id: int | None) -> bool:
    """An incident open to the whole forum, or a restricted one the actor's audience includes."""
    return (
        visibility == Visibility.FORUM.value
        or sees_restricted(actor)
        or _own(actor, reporting_org_id)
    )


def incidents_seen_by(organisation_id: int | None, restricted: bool) -> ColumnElement[bool]:
    """`may_see_incident` as a condition on the incident table, for queries that count or list
    many: `restricted` is `sees_restricted` of the viewer, `organisation_id` theirs."""
    if restricted:
        return true()
    return or_(
        Incident.visibility == Visibility.FORUM.value,
        Incident.reporting_org_id == organisation_id,
    )


def may_see_page(role: str, page_roles: frozenset[Role]) -> bool:
    try:
        return Role(role) in page_roles
    except ValueError:
        return False


# --- reporting: incidents, unsafe places, safety walks, imports --------------------------------


def may_see_full_photo(actor: Actor, reporting_org_id: int | None) -> bool:
    """A photo can show people: full size only for the reporting organisation, chairs and
    admins. Everyone else who may see the incident sees a blurred thumbnail."""
    return is_chair(actor) or _own(actor, reporting_org_id)


def may_report_for(actor: Actor, organisation_id: int | None) -> bool:
    """Members report (and import) for their own organisation; chairs and admins for any."""
    return may_write(actor) and (is_chair(actor) or _own(actor, organisation_id))


def require_report_for(actor: Actor, organisation_id: int | None, what: str = "rapportera") -> None:
    if not may_write(actor):
        raise PermissionDenied(f"Ledningen kan läsa men inte {what}.")
    if not may_report_for(actor, organisation_id):
        raise PermissionDenied(f"Du kan bara {what} för din egen organisation.")


def may_change_incident(actor: Actor, reporting_org_id: int | None) -> bool:
    """Correct or withdraw: the reporting organisation, or an admin."""
    return may_write(actor) and (is_admin(actor) or _own(actor, reporting_org_id))


INCIDENT_DENIED = (
    "Bara den rapporterande organisationen eller en administratör kan ändra en händelse."
)


def require_change_incident(actor: Actor, reporting_org_id: int | None) -> None:
    if not may_change_incident(actor, reporting_org_id):
        raise PermissionDenied(INCIDENT_DENIED)


# --- actions and events (arrangemang, riskperioder) -----------------------------------------


def may_change_action(actor: Actor, owner_org_id: int | None) -> bool:
    """Create, edit, change status: the owning organisation, chairs and admins."""
    return may_write(actor) and (is_chair(actor) or _own(actor, owner_org_id))


ACTION_DENIED = (
    "Bara den ansvariga organisationen, samordnare och administratörer kan ändra åtgärden."
)


def require_change_action(actor: Actor, owner_org_id: int | None) -> None:
    if not may_write(actor):
        raise PermissionDenied("Ledningen kan läsa åtgärderna men inte ändra dem.")
    if not may_change_action(actor, owner_org_id):
        raise PermissionDenied("Du kan bara ändra din egen organisations åtgärder.")


def may_change_event(actor: Actor, owner_org_id: int | None) -> bool:
    """Same rule as actions: the owning organisation, chairs and admins. An event without an
    owner (a forum-wide risk period) is the chairs'."""
    return may_change_action(actor, owner_org_id)


EVENT_DENIED = (
    "Bara den ansvariga organisationen, samordnare och administratörer kan ändra arrangemanget."
)


def require_change_event(actor: Actor, owner_org_id: int | None) -> None:
    if not may_write(actor):
        raise PermissionDenied("Ledningen kan läsa men inte ändra arrangemang.")
    if not may_change_event(actor, owner_org_id):
        raise PermissionDenied(EVENT_DENIED)


# --- import mappings ---------------------------------------------------------------------------


def may_change_mapping(actor: Actor, owner_org_id: int | None) -> bool:
    """A saved mapping decides how the owning organisation's files are stored (their visibility
    among other things): only its members and admins change or delete it. A mapping without an
    owner is the admins'."""
    return may_write(actor) and (is_admin(actor) or _own(actor, owner_org_id))


MAPPING_DENIED = (
    "Kolumnmappningen tillhör en annan organisation. Bara den organisationen och "
    "administratörer kan ändra den; spara din mappning under ett eget källnamn."
)


def require_change_mapping(actor: Actor, owner_org_id: int | None) -> None:
    if not may_write(actor):
        raise PermissionDenied("Ledningen kan läsa men inte ändra kolumnmappningar.")
    if not may_change_mapping(actor, owner_org_id):
        raise PermissionDenied(MAPPING_DENIED)


# --- the forum: lists, meetings, users --------------------------------------------------------


def may_edit_lists(actor: Actor) -> bool:
    """Categories, areas, places, organisations."""
    return is_chair(actor)


def require_edit_lists(actor: Actor) -> None:
    if not may_edit_lists(actor):
        raise PermissionDenied("Bara samordnare och administratörer får ändra forumets listor.")


def may_lead_meetings(actor: Actor) -> bool:
    """Start a meeting, take it over; the one leading it runs its agenda."""
    return is_chair(actor)


def require_lead_meetings(actor: Actor) -> None:
    if not may_lead_meetings(actor):
        raise PermissionDenied("Bara samordnare och administratörer kan leda ett möte.")


def leads_meeting(actor: Actor, chair_user_id: int | None) -> bool:
    return may_lead_meetings(actor) and chair_user_id == actor.user_id


def may_change_forum_settings(actor: Actor) -> bool:
    """The forum's name and municipality."""
    return is_admin(actor)


def require_change_forum_settings(actor: Actor) -> None:
    if not may_change_forum_settings(actor):
        raise PermissionDenied("Bara administratörer får ändra forumets namn och kommun.")


def may_manage_users(actor: Actor) -> bool:
    return is_admin(actor)


def require_manage_users(actor: Actor) -> None:
    if not may_manage_users(actor):
        raise PermissionDenied("Bara administratörer får hantera användare.")
