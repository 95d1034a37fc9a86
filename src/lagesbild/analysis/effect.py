"""Did an action help? Incidents of its categories at its place before and after, against the
rest of the municipality over the same weeks (a difference-in-differences on Poisson counts).

The measure is the ratio of rate ratios: (after/before at the place) ÷ (after/before
elsewhere). Below 1 means the place improved more than the rest of the municipality did. Its
95 % interval uses the usual log-scale standard error √(1/a + 1/b + 1/c + 1/d), with half a
count added to every cell so that an empty window does not make it infinite.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from lagesbild import fmt
from lagesbild.filters import Window

MIN_EVENTS = 6  # fewer reports at the place than this, before and after together: too few
MIN_AFTER_DAYS = 14


@dataclass(frozen=True)
class Effect:
    treated_before: int
    treated_after: int
    control_before: int
    control_after: int
    after_days: float
    ratio: float | None
    low: float | None
    high: float | None
    p_value: float | None
    verdict: str
    explanation: str

    @property
    def change(self) -> float | None:
        """Relative change at the place beyond the rest of the municipality (-0.4 = 40 %
        fewer)."""
        return None if self.ratio is None else self.ratio - 1


def evaluate(
    treated_before: int,
    treated_after: int,
    control_before: int,
    control_after: int,
    after_days: float,
) -> Effect:
    counts = (treated_before, treated_after, control_before, control_after)
    if after_days < MIN_AFTER_DAYS:
        return Effect(
            *counts,
            after_days,
            None,
            None,
            None,
            None,
            "För tidigt att säga",
            f"Åtgärden blev klar för {round(after_days)} dagar sedan; en jämförelse "
            f"behöver minst {MIN_AFTER_DAYS} dagar efteråt.",
        )
    if treated_before + treated_after < MIN_EVENTS:
        return Effect(
            *counts,
            after_days,
            None,
            None,
            None,
            None,
            "För få händelser för att säga något",
            f"Bara {treated_before + treated_after} rapporter på platsen före och "
            "efter tillsammans – det räcker inte för en slutsats.",
        )
    a, b, c, d = (v + 0.5 for v in (treated_after, treated_before, control_after, control_before))
    log_ratio = math.log((a / b) / (c / d))
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    ratio = math.exp(log_ratio)
    low, high = math.exp(log_ratio - 1.96 * se), math.exp(log_ratio + 1.96 * se)
    from scipy.stats import norm  # a second to import: only for a screen that needs it

    p_value = 2 * norm.sf(abs(log_ratio) / se)
    certainty = "säkert" if p_value < 0.01 else "troligt"
    change = fmt.percent(abs(ratio - 1))
    if high < 1:
        verdict = "Minskade"
        explanation = (
            f"Det blev {change} färre händelser på platsen än utvecklingen i resten "
            f"av kommunen väntade – {certainty} ingen slump (p = "
            f"{fmt.decimal(p_value, 3)})."
        )
    elif low > 1:
        verdict = "Ökade"
        explanation = (
            f"Det blev {change} fler händelser på platsen än utvecklingen i resten "
            f"av kommunen väntade – {certainty} ingen slump (p = "
            f"{fmt.decimal(p_value, 3)})."
        )
    else:
        verdict = "Ingen säker förändring"
        explanation = (
            f"Skillnaden mot resten av kommunen ({change}) ryms inom det slumpen "
            f"kan ge (p = {fmt.decimal(p_value, 2)})."
        )
    return Effect(*counts, after_days, ratio, low, high, p_value, verdict, explanation)


def windows(
    start: dt.date | None, done: dt.date, today: dt.date, length_days: int = 84
) -> tuple[Window, Window]:
    """Equal windows before the action began and after it was completed (at most
    `length_days`, and no further than today)."""
    done_at = dt.datetime.combine(done, dt.time())
    after_end = min(
        done_at + dt.timedelta(days=length_days),
        dt.datetime.combine(today + dt.timedelta(days=1), dt.time()),
    )
    span = max(after_end - done_at, dt.timedelta(0))
    anchor = dt.datetime.combine(start or done, dt.time())
    return Window(anchor - span, anchor), Window(done_at, done_at + span)
