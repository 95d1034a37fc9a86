"""Reading dates, times and numbers the way Swedish files write them (and ISO)."""

from __future__ import annotations

import datetime as dt
import re

from lagesbild import fmt
from lagesbild.clock import LOCAL

MONTHS = {m: i for i, m in enumerate(fmt.MONTHS, start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2})[:.](\d{2})(?:[:.](\d{2})"
    r"(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:[T ](\d{2}):?(\d{2}))?$")
_DMY = re.compile(
    r"^(\d{1,2})[./](\d{1,2})[./](\d{4})(?:\s+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})"
    r"(?::(\d{2}))?)?$"
)
_SLASH_YMD = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:\s+(\d{1,2})[:.](\d{2}))?$")
_TEXT = re.compile(
    r"^(\d{1,2})\s+([a-zåäö]+)\.?\s+(\d{4})(?:\s+(?:kl\.?\s*)?(\d{1,2})[:.]"
    r"(\d{2}))?$",
    re.IGNORECASE,
)
_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")  # 2019-05, 2019/5
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")  # 05/2019, 5.2019
_MONTH_NAME = re.compile(r"^([a-zåäö]+)\.?\s+(\d{4})$", re.IGNORECASE)  # maj 2019
_TIME = re.compile(r"^(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")


def _build(y, mo, d, h=None, mi=None, s=None) -> dt.datetime:
    return dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))


def _month(year, month) -> tuple[dt.datetime, dt.datetime]:
    """A whole month: its first and its last second."""
    start = dt.datetime(int(year), int(month), 1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following - dt.timedelta(seconds=1)


def parse_datetime(text: str) -> tuple[dt.datetime, dt.datetime | None]:
    """A point in time, or a whole month ('2019-05', '05/2019', 'maj 2019': returns the
    month's first and last second, so the incident's window covers the month), as naive
    Stockholm wall-clock time. Raises ValueError with a Swedish message."""
    value = " ".join(str(text).split())
    if not value:
        raise ValueError("Datum saknas.")
    try:
        if m := _ISO.match(value):
            *parts, offset = m.groups()
            stamp = _build(*parts)
            if offset:
                offset = offset.replace(":", "")
                tz = (
                    dt.UTC
                    if offset == "Z"
                    else dt.timezone(
                        dt.timedelta(hours=int(offset[:3]), minutes=int(offset[0] + offset[3:]))
                    )
                )
                stamp = stamp.replace(tzinfo=tz).astimezone(LOCAL).replace(tzinfo=None)
            return stamp, None
        if m := _COMPACT.match(value):
            return _build(*m.groups()), None
        if m := _DMY.match(value):
            d, mo, y, h, mi, s = m.groups()
            return _build(y, mo, d, h, mi, s), None
        if m := _SLASH_YMD.match(value):
            return _build(*m.groups()), None
        if m := _TEXT.match(value):
            d, month_name, y, h, mi = m.groups()
            month = MONTHS.get(month_name.lower()) or MONTHS.get(month_name.lower()[:3])
            if month is None:
                raise ValueError
            return _build(y, month, d, h, mi), None
        if m := _MONTH.match(value):
            return _month(m.group(1), m.group(2))
        if m := _MONTH_YEAR.match(value):
            return _month(m.group(2), m.group(1))
        if (m := _MONTH_NAME.match(value)) and (
            month := MONTHS.get(m.group(1).lower()) or MONTHS.get(m.group(1).lower()[:3])
        ):
            return _month(m.group(2), month)
    except ValueError:
        pass
    raise ValueError(
        f"”{value}” är inte ett datum. Skriv t.ex. 2026-11-21 14:05 eller 21/11/2026 14:05."
    )


def parse_time(text: str) -> dt.time:
    m = _TIME.match(" ".join(str(text).split()))
    if not m:
        raise ValueError(f"”{text}” är inte ett klockslag. Skriv t.ex. 14:05.")
    h, mi, s = (int(v or 0) for v in m.groups())
    try:
        return dt.time(h, mi, s)
    except ValueError as exc:
        raise ValueError(f"”{text}” är inte ett klockslag. Skriv t.ex. 14:05.") from exc


def parse_number(text: str) -> float:
    """A decimal number written with decimal comma or point, spaces between thousands."""
    value = str(text).strip().replace("\u00a0", "").replace(" ", "").replace("−", "-")
    if not value:
        raise ValueError("Värde saknas.")
    if "," in value and "." in value:
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    else:
        value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError as exc:
        raise ValueError(f"”{text}” är inte ett tal.") from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"”{text}” är inte ett tal.")
    return number


def parse_count(text: str) -> int:
    """How many (a whole number from 1 to 10 000); empty means 1."""
    if str(text).strip() == "":
        return 1
    number = parse_number(text)
    if not number.is_integer() or not 1 <= number <= 10_000:
        raise ValueError(f"Antal ska vara ett heltal från 1 till 10 000, inte ”{text}”.")
    return int(number)
