"""Keep personal data out of free text.

EST works on places, situations and environments – never on individuals – but free text is
where personal data leaks in. Every free-text field (forms and imports) is checked here before
it is stored; what is found is shown to the user and the text is refused until it is removed.

Detected: Swedish personal identity numbers and coordination numbers (with their checksum, so
ordinary numbers pass), phone numbers, e-mail addresses, vehicle registration numbers and
likely personal names (a common Swedish first name followed by a capitalised word, or a
capitalised word followed by a common surname).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lagesbild.reference import load_json

PERSONNUMMER = "personnummer"
PHONE = "telefonnummer"
EMAIL = "e-postadress"
PLATE = "registreringsnummer"
NAME = "personnamn"

LABELS = {
    PERSONNUMMER: "Personnummer eller samordningsnummer",
    PHONE: "Telefonnummer",
    EMAIL: "E-postadress",
    PLATE: "Registreringsnummer",
    NAME: "Troligt personnamn",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int

    @property
    def message(self) -> str:
        return f"{LABELS[self.kind]}: ”{self.text}”"


_PNR = re.compile(r"(?<![\d-])(\d{6}|\d{8})[-+ ]?(\d{4})(?![\d-])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PHONE = re.compile(
    r"(?<![\d-])(?:\+46[\s-]?\(?0?\)?|0046[\s-]?|0)"  # +46, 0046 or a leading 0
    r"(?:\d[\s-]?){6,10}\d(?![\d-])"
)
# Swedish plates: three letters (no I, Q, V, Å, Ä, Ö) and two digits plus a digit or letter.
_PLATE = re.compile(r"\b([A-HJ-PR-UW-Z]{3})\s?(\d{2}[0-9A-HJ-PR-UW-Z])\b")
_PLATE_WORDS = {
    "LED",
    "USB",
    "GPS",
    "SMS",
    "EPA",
    "BRÅ",
    "EST",
    "KOM",
    "POL",
    "MMS",
    "ATV",
    "DVD",
    "TV",
    "NVR",
    "CCTV",
}

_NAMES = load_json("names.json")
FIRST_NAMES = frozenset(_NAMES["first_names"])
SURNAMES = frozenset(_NAMES["surnames"])
_WORD = r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?"
_NAME_PAIR = re.compile(rf"(?=\b({_WORD})\s+({_WORD})\b)")  # overlapping pairs


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _valid_date(yymmdd: str, century: str | None) -> bool:
    year = int((century or "19") + yymmdd[:2])
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    if day > 60:  # samordningsnummer: day + 60
        day -= 60
    try:
        dt.date(year, month, day)
    except ValueError:
        if century is None:  # a two-digit year might be in the 2000s: 29 Feb 2000 etc.
            try:
                dt.date(2000 + int(yymmdd[:2]), month, day)
            except ValueError:
                return False
            return True
        return False
    return True


def is_personnummer(text: str) -> bool:
    """Whether `text` is a valid Swedish personal identity or coordination number (YYMMDD-NNNN
    or YYYYMMDDNNNN, separator -, + or none), checked by date and checksum."""
    match = _PNR.fullmatch(text.strip())
    if not match:
        return False
    date_part, serial = match.groups()
    century = date_part[:2] if len(date_part) == 8 else None
    short = date_part[-6:]
    return _valid_date(short, century) and _luhn_ok(short + serial)


def find(text: str | None) -> list[Finding]:
    """Everything in `text` that looks like personal data, in order of appearance."""
    if not text:
        return []
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Finding(kind, text[start:end], start, end))

    for m in _EMAIL.finditer(text):
        add(EMAIL, m.start(), m.end())
    for m in _PNR.finditer(text):
        if is_personnummer(m.group(0)):
            add(PERSONNUMMER, m.start(), m.end())
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 8 <= len(digits) <= 13:
            add(PHONE, m.start(), m.end())
    for m in _PLATE.finditer(text):
        if m.group(1) not in _PLATE_WORDS:
            add(PLATE, m.start(), m.end())
    for m in _NAME_PAIR.finditer(text):
        first, last = m.groups()
        if first in FIRST_NAMES or last in SURNAMES:
            add(NAME, m.start(1), m.end(2))

    return sorted(found, key=lambda f: f.start)


def describe(findings: list[Finding]) -> str:
    """A Swedish sentence listing what was found."""
    items = "; ".join(f.message for f in findings)
    return (
        f"Texten verkar innehålla personuppgifter – {items}. Ta bort dem: Lägesbild "
        "beskriver platser och situationer, aldrig enskilda personer."
    )
