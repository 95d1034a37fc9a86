"""The forum's meeting agenda (the six EST steps): one list, numbered the same in the meeting
view and in the minutes."""

from __future__ import annotations

AGENDA = (
    "Nytt sedan förra mötet",
    "Polis och räddningstjänst",
    "Uppföljning av åtgärder",
    "Kommande arrangemang och riskperioder",
    "Beslut",
    "Återkoppling och avslut",
)
NEW, POLICE_RESCUE, FOLLOW_UP, EVENTS, DECISIONS, FEEDBACK = range(len(AGENDA))


def heading(step: int) -> str:
    """A step's numbered heading, e.g. "2. Polis och räddningstjänst"."""
    return f"{step + 1}. {AGENDA[step]}"
