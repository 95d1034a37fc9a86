"""Swedish labels for the stored code values (one place, used by UI and exports)."""

from __future__ import annotations

from lagesbild.models import (
    ActionStatus,
    ActionType,
    DecisionKind,
    EventKind,
    Horizon,
    Impact,
    LocationPrecision,
    OrganisationKind,
    Role,
    UnsafeReason,
    Visibility,
)

ROLE = {
    Role.ADMIN: "Administratör",
    Role.CHAIR: "Samordnare",
    Role.MEMBER: "Medlem",
    Role.LEADERSHIP: "Ledning",
}
ORGANISATION_KIND = {
    OrganisationKind.MUNICIPALITY: "Kommun",
    OrganisationKind.POLICE: "Polis",
    OrganisationKind.HOUSING: "Bostadsbolag",
    OrganisationKind.RESCUE: "Räddningstjänst",
    OrganisationKind.SECURITY: "Vaktbolag",
    OrganisationKind.BUSINESS: "Näringsliv",
    OrganisationKind.OTHER: "Annan",
}
VISIBILITY = {
    Visibility.FORUM: "Hela forumet",
    Visibility.RESTRICTED: "Begränsad (egen organisation och samordnare)",
}
PRECISION = {
    LocationPrecision.PLACE: "Namngiven plats",
    LocationPrecision.POINT: "Punkt",
    LocationPrecision.APPROXIMATE: "Ungefärlig (t.ex. kommunens mittpunkt)",
}
UNSAFE_REASON = {
    UnsafeReason.LIGHTING: "Dålig belysning",
    UnsafeReason.SIGHT_LINES: "Skymd sikt",
    UnsafeReason.VEGETATION: "Vegetation",
    UnsafeReason.LITTER: "Nedskräpning",
    UnsafeReason.DESERTED: "Ödslig plats",
    UnsafeReason.OTHER: "Annat",
}
ACTION_STATUS = {
    ActionStatus.PROPOSED: "Föreslagen",
    ActionStatus.DECIDED: "Beslutad",
    ActionStatus.IN_PROGRESS: "Pågår",
    ActionStatus.DONE: "Klar",
    ActionStatus.CANCELLED: "Avbruten",
}
# What "försenad" means, said wherever overdue actions are counted or marked.
OVERDUE_MEANING = "klart senast-datumet är före i dag och åtgärden är inte klar eller avbruten"

HORIZON = {Horizon.SHORT: "Kort sikt", Horizon.LONG: "Lång sikt"}
ACTION_TYPE = {
    ActionType.PHYSICAL: "Fysisk miljö",
    ActionType.PRESENCE: "Närvaro",
    ActionType.DIALOGUE: "Dialog",
    ActionType.SOCIAL: "Social",
}
EVENT_KIND = {EventKind.EVENT: "Arrangemang", EventKind.RISK_PERIOD: "Riskperiod"}
IMPACT = {Impact.LOW: "Låg", Impact.MEDIUM: "Medel", Impact.HIGH: "Hög"}
DECISION_KIND = {
    DecisionKind.FOCUS_AREA: "Fokusområde",
    DecisionKind.HOT_SPOT: "Hot spot",
    DecisionKind.ACTION: "Åtgärd",
    DecisionKind.FEEDBACK: "Återkoppling",
    DecisionKind.OTHER: "Övrigt",
}

# Category groups are told apart by more than their colour (WCAG 2.1, 1.4.1): each group also
# has a symbol (legends, map markers) and a fill pattern (bars), by its place in the forum's
# order of groups (`lookup.groups`: sort order, then name). After the last they repeat, and the
# group's name is always written beside them.
GROUP_SYMBOLS = ("●", "▲", "■", "◆", "★", "▼", "✚", "⬟", "◗", "✖")
GROUP_PATTERNS = ("", "/", ".", "x", "\\", "-", "|", "+")


def group_symbol(position: int) -> str:
    """The symbol of the group at `position` (0 = the first) in the forum's order of groups."""
    return GROUP_SYMBOLS[position % len(GROUP_SYMBOLS)]


def group_pattern(position: int) -> str:
    """The plotly bar fill pattern ('' = solid) of the group at `position`."""
    return GROUP_PATTERNS[position % len(GROUP_PATTERNS)]


def group_symbols(group_ids) -> dict:
    """Group id → symbol, for ids given in the forum's order of groups."""
    return {gid: group_symbol(i) for i, gid in enumerate(group_ids)}
