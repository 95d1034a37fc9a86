"""Keep personal data out of free text.

EST works on places, situations and environments – never on individuals – but free text is
where personal data leaks in. Every free-text field (forms and imports) is checked here before
it is stored; what is found is shown to the user and the text is refused until it is removed,
or, for public sources, replaced by a label with `mask`.

Detected: Swedish personal identity numbers and coordination numbers (date and checksum, so
ordinary numbers pass), phone numbers, e-mail addresses, vehicle registration numbers and
likely personal names (a common Swedish first name followed by a capitalised word, or a
capitalised word followed by a common surname) – unless the words name a street, square or
other place ("Per Albin Hanssons väg", "Karl Johansgatan"). The rules and their measured
precision are described in docs/personal-data.md.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
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
MASKS = {
    PERSONNUMMER: "[personnummer borttaget]",
    PHONE: "[telefonnummer borttaget]",
    EMAIL: "[e-postadress borttagen]",
    PLATE: "[registreringsnummer borttaget]",
    NAME: "[namn borttaget]",
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


_SPACE = r"[ \u00a0]"
# YYMMDD or YYYYMMDD, then - or + (spaces allowed around it), a space or nothing, then 4 digits.
_PNR = re.compile(
    rf"(?<![\d-])(\d{{6}}|\d{{8}})(?:{_SPACE}?[-+–]{_SPACE}?|{_SPACE})?(\d{{4}})(?![\d-])"
)
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:@|\s?[(\[]at[)\]]\s?)[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b",
    re.UNICODE,
)
# Between the digits of a phone number: a space, or a dash with optional spaces around it.
_SEP = rf"(?:{_SPACE}?[-–]{_SPACE}?|{_SPACE})"
_PHONE = re.compile(
    r"(?<![\w+/–-])(?<!\d[.,:])"  # not the tail of a longer number, a date, a decimal, a time
    rf"(?:(?:\+|00)46{_SEP}?(?:\(0\){_SEP}?)?"  # +46, 0046, +46 (0)
    rf"|\(0\d{{1,3}}\){_SEP}?"  # (070), (08)
    r"|0(?=\d))"  # a leading 0
    rf"\d(?:{_SEP}?\d){{4,8}}"
    r"(?!\w)(?![.,:–-]\d)"
)
# Times and dates that look like phone numbers: "0700-1600", "05-06-2026", "03 11 2026".
_NOT_PHONE = re.compile(
    rf"[0-2]\d[0-5]\d{_SEP}[0-2]\d[0-5]\d|[0-3]\d{_SEP}[01]\d{_SEP}(?:19|20)\d\d"
)
# Swedish plates: three letters (no I, Q, V, Å, Ä, Ö) and two digits plus a digit or a letter
# (new format: no O either), with a space, a dash or nothing between, in any case.
_PLATE = re.compile(r"(?<![\w-])([A-Za-z]{3})(?:[ \u00a0]|-)?(\d{2}[0-9A-Za-z])(?![\w-])")
_PLATE_LETTERS = frozenset("ABCDEFGHJKLMNOPRSTUWXYZ")
_PLATE_LAST = _PLATE_LETTERS - {"O"}

_NAMES = load_json("names.json")
FIRST_NAMES = frozenset(_NAMES["first_names"])
SURNAMES = frozenset(_NAMES["surnames"])
_WORDS = load_json("privacy_words.json")
PLACE_WORDS = frozenset(_WORDS["place_words"])
STREET_WORDS = frozenset(_WORDS["street_words"])  # place words that are not surnames
PLACE_SUFFIXES = tuple(sorted(set(_WORDS["place_suffixes"]), key=len, reverse=True))
PLACE_PREFIXES = frozenset(_WORDS["place_prefixes"])
PLATE_ACRONYMS = frozenset(_WORDS["plate_acronyms"])  # "SOS 112", "BMW 320"
PLATE_WORDS = frozenset(w.upper() for w in _WORDS["plate_words"])  # "med 150", "Box 123"
_WORD = (
    r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖÉa-zåäöé][a-zåäöéü]+)*"  # "Anna-Karin", "Ericson-terminalen"
)
# A run of capitalised words, and the lower-case word right after it (if any).
_RUN = re.compile(rf"(?<![\w-])({_WORD}(?:{_SPACE}+{_WORD})*)(?:{_SPACE}+([a-zåäöé]+))?")
_RUN_WORD = re.compile(_WORD)


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
    or YYYYMMDDNNNN; separator -, + or a space, spaces allowed around - and +, or none),
    checked by date and checksum."""
    match = _PNR.fullmatch(text.strip())
    if not match:
        return False
    date_part, serial = match.groups()
    century = date_part[:2] if len(date_part) == 8 else None
    if century is not None and century not in ("18", "19", "20"):
        return False
    short = date_part[-6:]
    return _valid_date(short, century) and _luhn_ok(short + serial)


def _is_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if candidate.startswith("+46") or candidate.startswith("0046"):
        national = digits[2:] if digits.startswith("46") else digits[4:]
        national = national[1:] if national.startswith("0") else national  # +46 (0)70
    else:
        national = digits[1:]
    if not 7 <= len(national) <= 9 or national[0] == "0":
        return False
    return not _NOT_PHONE.fullmatch(candidate)


def _is_plate(letters: str, rest: str) -> bool:
    upper = letters.upper()
    if not set(upper) <= _PLATE_LETTERS or upper in PLATE_ACRONYMS:
        return False
    if letters != upper and upper in PLATE_WORDS:  # an ordinary word, not a plate in capitals
        return False
    last = rest[-1]
    return last.isdigit() or last.upper() in _PLATE_LAST


def _is_place(words: list[str], after: str | None) -> bool:
    """Whether a run of capitalised words (and the word after it) names a place."""
    last = words[-1].lower()
    if after is not None and (after in PLACE_WORDS or after.endswith(PLACE_SUFFIXES)):
        return True  # "Per Albin Hanssons väg", "Gustav Adolfs torg"
    if "-" in words[-1] and words[-1].rsplit("-", 1)[1].islower():
        return True  # "Astrid Lindgren-skolan", "Nils Ericson-terminalen": a thing, not a person
    if words[0] in PLACE_PREFIXES:
        return True  # "Drottning Kristinas väg", "Sankt Eriksgatan", "Kvarteret Ellen Key"
    if last in STREET_WORDS:
        return True  # "Gustav Adolfs Torg"
    return any(last.endswith(s) and len(last) > len(s) + 1 for s in PLACE_SUFFIXES)


def _first_name(word: str) -> bool:
    return word in FIRST_NAMES or word.split("-")[0] in FIRST_NAMES  # "Anna-Karin"


def _surname(word: str) -> bool:
    return word in SURNAMES or word.split("-")[-1] in SURNAMES  # "Lind-Svensson"


def _names(text: str) -> list[tuple[int, int]]:
    spans = []
    for run in _RUN.finditer(text):
        words = list(_RUN_WORD.finditer(run.group(1)))
        if len(words) < 2 or _is_place([w.group(0) for w in words], run.group(2)):
            continue
        base = run.start(1)
        for first, last in itertools.pairwise(words):
            if _first_name(first.group(0)) or _surname(last.group(0)):
                spans.append((base + first.start(), base + last.end()))
    return spans


def find(text: str | None) -> list[Finding]:
    """Everything in `text` that looks like personal data, in order of appearance."""
    if not text:
        return []
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []  # sorted, never overlapping: a kind found first wins

    def add(kind: str, start: int, end: int) -> None:
        i = bisect.bisect(taken, (start, end))
        if (i > 0 and taken[i - 1][1] > start) or (i < len(taken) and taken[i][0] < end):
            return
        taken.insert(i, (start, end))
        found.append(Finding(kind, text[start:end], start, end))

    for m in _EMAIL.finditer(text):
        add(EMAIL, m.start(), m.end())
    for m in _PNR.finditer(text):
        if is_personnummer(m.group(0)):
            add(PERSONNUMMER, m.start(), m.end())
    for m in _PHONE.finditer(text):
        if _is_phone(m.group(0)):
            add(PHONE, m.start(), m.end())
    for m in _PLATE.finditer(text):
        if _is_plate(m.group(1), m.group(2)):
            add(PLATE, m.start(), m.end())
    for start, end in _names(text):
        add(NAME, start, end)

    return sorted(found, key=lambda f: f.start)


def mask(text: str | None) -> tuple[str, list[Finding]]:
    """`text` with every finding replaced by a bracketed Swedish label (such as
    "[personnummer borttaget]"), the rest kept as it was; and the findings (positions in the
    original text)."""
    findings = find(text)
    if not text:
        return text or "", findings
    parts, pos = [], 0
    for f in findings:
        parts += [text[pos : f.start], MASKS[f.kind]]
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts), findings


def describe(findings: list[Finding]) -> str:
    """A Swedish sentence listing what was found."""
    items = "; ".join(f.message for f in findings)
    return (
        f"Texten verkar innehålla personuppgifter – {items}. Ta bort dem: Lägesbild "
        "beskriver platser och situationer, aldrig enskilda personer."
    )
