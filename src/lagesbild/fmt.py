"""Swedish formatting of numbers, dates and periods (no streamlit; used by UI and exports)."""

from __future__ import annotations

import datetime as dt
import re

NBSP = "\u00a0"
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
MONTHS_SHORT = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
WEEKDAYS_SHORT = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]


def integer(value: int | float | None) -> str:
    """12345 -> '12 345' (non-breaking space as thousands separator)."""
    if value is None:
        return "–"
    return f"{round(value):,}".replace(",", NBSP)


def from_to(before: int | float, after: int | float) -> str:
    """62, 102 -> '62 → 102', kept on one line (no-break spaces around the arrow)."""
    return f"{integer(before)}{NBSP}→{NBSP}{integer(after)}"


def change(value: int | float) -> str:
    """40 -> '↑ 40', -101 -> '↓ 101', 0 -> '→ 0': a change with its direction as an arrow."""
    arrow = "↑" if value > 0 else "↓" if value < 0 else "→"
    return f"{arrow}{NBSP}{integer(abs(value))}"


def counted(n: int, one: str, many: str) -> str:
    """3, 'händelse', 'händelser' -> '3 händelser'."""
    return f"{integer(n)} {one if n == 1 else many}"


def decimal(value: float | None, digits: int = 1) -> str:
    """1234.5 -> '1 234,5' (decimal comma)."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", NBSP).replace(".", ",")


def percent(value: float | None, digits: int = 0, signed: bool = False) -> str:
    """0.125 -> '13 %' (or '+13 %' when signed)."""
    if value is None:
        return "–"
    text = decimal(value * 100, digits)
    if signed and value > 0:
        text = "+" + text
    return f"{text}{NBSP}%".replace("-", "−")


def date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "–"
    return value.strftime("%Y-%m-%d")


def datetime(value: dt.datetime | None) -> str:
    if value is None:
        return "–"
    return value.strftime("%Y-%m-%d %H:%M")


def span(start: dt.datetime, end: dt.datetime, short: bool = False) -> str:
    """'2026-11-28 11:00–16:00' (or 'lör 28 nov kl. 11:00–16:00'), with both dates when it
    runs over midnight."""
    show = short_datetime if short else datetime
    if start.date() == end.date():
        return f"{show(start)}–{end:%H:%M}"
    return f"{show(start)} – {show(end)}"


def short_datetime(value: dt.datetime) -> str:
    """'tis 24 nov kl. 09:00'."""
    return (
        f"{WEEKDAYS_SHORT[value.weekday()]} {value.day} {MONTHS_SHORT[value.month - 1]} "
        f"kl. {value:%H:%M}"
    )


def long_date(value: dt.date) -> str:
    """'lördag 21 november 2026'."""
    return f"{WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def week_label(value: dt.date) -> str:
    """'vecka 47' (ISO week), with the year when needed: 'vecka 1 2027'."""
    iso = value.isocalendar()
    return f"vecka {iso.week}"


def days_until(day: dt.date, today: dt.date) -> str:
    diff = (day - today).days
    if diff == 0:
        return "i dag"
    if diff == 1:
        return "i morgon"
    if diff == -1:
        return "i går"
    return f"om {diff} dagar" if diff > 0 else f"för {-diff} dagar sedan"


# --- text in Markdown --------------------------------------------------------------------------

# Characters that open Markdown (or Streamlit's additions to it) anywhere in a line: emphasis,
# code, links and images ([…]), autolinks and HTML, tables, strikethrough, maths, entities,
# and directives such as :red[…] (whose bracket is escaped).
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~$&])")
# …and at the start of a line: headings, lists, setext underlines, thematic breaks. An indented
# line would be a code block (where escapes show): its indentation becomes non-breaking spaces.
# A line of blanks only stays blank (non-breaking spaces would make it an empty paragraph).
_MD_INDENT = re.compile(r"^[ \t]+(?=[^ \t\n])", re.MULTILINE)
_MD_LINE_START = re.compile(r"^(\u00a0*)([-+=#])", re.MULTILINE)
_MD_ORDERED = re.compile(r"^(\u00a0*\d+)([.)])", re.MULTILINE)
# Bare addresses become links even when escaped (GFM autolinks), and Streamlit turns :name:
# into an emoji or an icon and :name into a directive: a word joiner (invisible, of no width)
# after "http:", "www" and a colon before a letter, and before "@", keeps them plain text.
_AUTOLINK = re.compile(r"(?i)(https?:|ftp:|www(?=\.)|:(?=[a-z/]))")
WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """Text from users (or from a web address) made safe to show inside Markdown: it renders as
    the same characters, never as a link, an image, a heading, a list, a table or formatting.
    Every st.markdown, st.caption, st.info/warning/error/success, st.toast, widget label and
    st.table cell that holds text someone typed passes it through here."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    value = _MD_INLINE.sub(r"\\\1", value)
    value = _MD_INDENT.sub(lambda m: NBSP * len(m.group(0)), value)
    value = _MD_LINE_START.sub(r"\1\\\2", value)
    value = _MD_ORDERED.sub(r"\1\\\2", value)
    value = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, value)
    return value.replace("@", WORD_JOINER + "@")
