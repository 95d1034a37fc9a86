"""How a file's columns become incidents: a mapping, saved per source, and the built-in ones."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from lagesbild.models import LocationPrecision, Visibility

# field -> (Swedish label, help)
FIELDS: dict[str, tuple[str, str]] = {
    "source_id": (
        "Id i källan",
        "Ett id per händelse gör att samma fil kan importeras igen "
        "utan dubbletter. Saknas det räknas ett id fram ur radens innehåll.",
    ),
    "occurred_at": (
        "Datum (och tid)",
        "T.ex. 2026-11-21 14:05, 21/11/2026 eller 2019-05 (hel månad).",
    ),
    "occurred_time": ("Klockslag", "Om tiden står i en egen kolumn."),
    "occurred_until": ("Till (datum och tid)", "Slutet av ett tidsintervall."),
    "category": ("Kategori", "Värdena översätts till forumets kategorier nedan."),
    "place": ("Plats", "Namn på en av forumets platser."),
    "area": ("Område", "Namn på ett av forumets områden."),
    "lat": ("Latitud", "Decimalgrader, t.ex. 55,4717."),
    "lon": ("Longitud", "Decimalgrader, t.ex. 13,0186."),
    "count": ("Antal", "Hur många händelser raden gäller (tomt = 1)."),
    "description": ("Beskrivning", "Kontrolleras mot personuppgifter."),
}

_GUESSES = {
    "source_id": ["id", "crime_id", "händelse-id", "ärende", "ärendenummer", "löpnummer"],
    "occurred_at": ["datum", "date", "datetime", "tidpunkt", "inträffade", "month", "månad"],
    "occurred_time": ["tid", "time", "klockslag", "kl"],
    "occurred_until": ["till", "slut", "end", "until"],
    "category": ["kategori", "category", "typ", "type", "crime_type", "händelsetyp"],
    "place": ["plats", "place", "platsnamn"],
    "area": ["område", "omrade", "area", "stadsdel"],
    "lat": ["lat", "latitud", "latitude", "y"],
    "lon": ["lon", "lng", "long", "longitud", "longitude", "x"],
    "count": ["antal", "count", "number", "st"],
    "description": ["beskrivning", "description", "text", "kommentar", "händelse"],
}


@dataclass
class Mapping:
    """Which column fills which field, how category values translate, and defaults."""

    columns: dict[str, str] = field(default_factory=dict)  # field -> column name
    category_values: dict[str, int | None] = field(default_factory=dict)  # None: skip the row
    default_category: int | None = None
    precision: str = LocationPrecision.POINT.value  # for rows with coordinates
    visibility: str = Visibility.FORUM.value
    require_sweden: bool = True
    skip_unmapped: bool = False  # a category value with no translation: skip the row
    # Free text with suspected personal data is stored masked instead of refusing the row:
    # for public sources, whose texts the forum cannot correct.
    mask_personal_data: bool = False

    def column(self, name: str) -> str | None:
        return self.columns.get(name) or None

    def to_json(self) -> dict:
        data = asdict(self)
        data["category_values"] = {k: v for k, v in self.category_values.items()}
        return data

    @classmethod
    def from_json(cls, data: dict) -> Mapping:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        mapping = cls(**known)
        mapping.category_values = {
            str(k): (None if v is None else int(v)) for k, v in mapping.category_values.items()
        }
        return mapping


def _norm(text: str) -> str:
    return re.sub(r"[^a-zåäö0-9]+", "", text.lower())


def suggest(columns: list[str]) -> dict[str, str]:
    """A first guess at which column is which field, from the headings."""
    normalised = {_norm(c): c for c in columns}
    out: dict[str, str] = {}
    for name, words in _GUESSES.items():
        for word in words:
            column = normalised.get(_norm(word))
            if column and column not in out.values():
                out[name] = column
                break
    return out


POLICE_UK = "police.uk"


POLICE_UK_COLUMNS = {  # field -> police.uk's heading (its own, or snake_case as in R/pandas)
    "source_id": "Crime ID",
    "occurred_at": "Month",
    "category": "Crime type",
    "lat": "Latitude",
    "lon": "Longitude",
}


def police_uk(category_by_name: dict[str, int], columns: list[str] | None = None) -> Mapping:
    """The police.uk street-level crime CSV (a foreign format): month, coordinates, crime type.
    The headings are matched however they are written ("Crime ID", "crime_id", "crime.id").
    Its coordinates are outside Sweden, so the Sweden check is off for this source."""
    by_norm = {_norm(c): c for c in columns or []}
    theft = category_by_name.get("Stöld")
    return Mapping(
        columns={
            name: by_norm.get(_norm(heading), heading.lower().replace(" ", "_"))
            for name, heading in POLICE_UK_COLUMNS.items()
        },
        category_values={
            "Shoplifting": theft,
            "Bicycle theft": theft,
            "Other theft": theft,
            "Theft from the person": theft,
            "Burglary": category_by_name.get("Inbrott"),
            "Robbery": category_by_name.get("Rån"),
            "Criminal damage and arson": category_by_name.get("Annan skadegörelse"),
            "Violence and sexual offences": category_by_name.get("Bråk/våld"),
            "Public order": category_by_name.get("Bråk/våld"),
            "Drugs": category_by_name.get("Misstänkt narkotikahantering"),
            "Anti-social behaviour": category_by_name.get("Utomhus"),
        },
        precision=LocationPrecision.POINT.value,
        require_sweden=False,
    )
