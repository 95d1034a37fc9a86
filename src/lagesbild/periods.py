"""Reporting periods for leadership: quarters, tertials (four months) and years.

A period that has not ended yet is reported up to and including today, and compared with the
same number of days at the start of the period before and a year earlier, so that a
half-finished quarter is never set against a whole one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lagesbild import fmt
from lagesbild.filters import Window

KINDS = {"kvartal": 3, "tertial": 4, "ar": 12}  # months per period
KIND_LABELS = {"kvartal": "Kvartal", "tertial": "Tertial", "ar": "År"}


def _month_start(year: int, month: int) -> dt.date:
    """The first of a month counted from January of `year` (month 13 is next January)."""
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


@dataclass(frozen=True)
class ReportPeriod:
    kind: str  # kvartal, tertial, ar
    year: int
    number: int  # 1-4 for quarters, 1-3 for tertials, 1 for a year

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"okänd periodtyp: {self.kind}")
        if not 1 <= self.number <= 12 // KINDS[self.kind]:
            raise ValueError(f"{self.kind} {self.number} finns inte")

    @property
    def first_day(self) -> dt.date:
        return _month_start(self.year, (self.number - 1) * KINDS[self.kind] + 1)

    @property
    def end_day(self) -> dt.date:
        """The day after the period's last day."""
        return _month_start(self.year, self.number * KINDS[self.kind] + 1)

    @property
    def name(self) -> str:
        if self.kind == "ar":
            return f"År {self.year}"
        return f"{KIND_LABELS[self.kind]} {self.number} {self.year}"

    @property
    def code(self) -> str:
        """Short form for file names and addresses: 2026-K3, 2026-T2, 2026."""
        if self.kind == "ar":
            return str(self.year)
        return f"{self.year}-{self.kind[0].upper()}{self.number}"

    def shifted(self, periods: int) -> ReportPeriod:
        per_year = 12 // KINDS[self.kind]
        index = self.year * per_year + self.number - 1 + periods
        return ReportPeriod(self.kind, index // per_year, index % per_year + 1)

    def window(self, today: dt.date) -> Window:
        """The period up to and including today (the whole period once it has ended)."""
        end = min(self.end_day, today + dt.timedelta(days=1))
        return Window(_midnight(self.first_day), _midnight(max(end, self.first_day)))

    def is_complete(self, today: dt.date) -> bool:
        return self.end_day <= today + dt.timedelta(days=1)

    def _same_days(self, other: ReportPeriod, today: dt.date) -> Window:
        """`other` cut to as many days as this period has had."""
        length = self.window(today).end - self.window(today).start
        start = _midnight(other.first_day)
        if self.is_complete(today):
            return Window(start, _midnight(other.end_day))
        return Window(start, start + length)

    def previous_window(self, today: dt.date) -> Window:
        return self._same_days(self.shifted(-1), today)

    def last_year_window(self, today: dt.date) -> Window:
        return self._same_days(ReportPeriod(self.kind, self.year - 1, self.number), today)

    def label(self, today: dt.date) -> str:
        """The name, with the days covered when the period is still under way."""
        if self.is_complete(today):
            return self.name
        return f"{self.name} (t.o.m. {fmt.date(today)})"

    def previous_label(self) -> str:
        return {"kvartal": "föregående kvartal", "tertial": "föregående tertial"}.get(
            self.kind, "föregående år"
        )


def containing(kind: str, day: dt.date) -> ReportPeriod:
    months = KINDS[kind]
    return ReportPeriod(kind, day.year, (day.month - 1) // months + 1)


def latest_complete(kind: str, today: dt.date) -> ReportPeriod:
    current = containing(kind, today)
    return current if current.is_complete(today) else current.shifted(-1)


def choices(kind: str, today: dt.date, first: dt.date | None, most: int = 24) -> list[ReportPeriod]:
    """The periods of a kind from the one under way back to the first with data (at most
    `most`), newest first."""
    period = containing(kind, today)
    out = [period]
    while len(out) < most:
        period = period.shifted(-1)
        if first is not None and period.end_day <= first:
            break
        if first is None and len(out) >= 4:
            break
        out.append(period)
    return out


def parse(code: str) -> ReportPeriod:
    """The reverse of `ReportPeriod.code`; ValueError for anything else."""
    text = code.strip().upper()
    if text.isdigit() and len(text) == 4:
        return ReportPeriod("ar", int(text), 1)
    year, _, part = text.partition("-")
    kinds = {"K": "kvartal", "T": "tertial"}
    if not (year.isdigit() and len(year) == 4 and part[:1] in kinds and part[1:].isdigit()):
        raise ValueError(f"okänd period: {code}")
    return ReportPeriod(kinds[part[0]], int(year), int(part[1:]))
