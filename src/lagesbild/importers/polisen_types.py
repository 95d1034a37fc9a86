"""What becomes of each event type of the police's events API: a forum category, or skipped on
purpose with the reason. Types are matched without regard to case, commas or spacing, so
"Misshandel, grov" and "Misshandel grov" are the same type. `docs/police-feed.md` lists this
table; a test keeps the two in step."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Why a type is skipped (shown in the import report and the docs).
TRAFFIC = "trafik"
ACCIDENT = "olycka eller räddningsinsats"
ALARM = "larm eller misstanke utan bekräftad händelse"
POLICE_WORK = "polisens egen verksamhet eller kontroller"
NO_PLACE = "brott utan koppling till en plats i kommunen"
NOT_CRIME = "inget brott eller ordningsstörning"
SUMMARY = "sammanfattning av flera händelser"
UPDATE = "uppdatering av en tidigare händelse"
UNSPECIFIED = "ospecificerad händelse"

# Police event type -> forum category (a default category's name).
TYPE_TO_CATEGORY: dict[str, str] = {
    "Alkohollagen": "Utomhus",
    "Bombhot": "Bråk/våld",
    "Brand": "Brand/anlagd brand",
    "Bråk": "Bråk/våld",
    "Detonation": "Annan skadegörelse",
    "Explosion": "Annan skadegörelse",
    "Farligt föremål, misstänkt": "Annan skadegörelse",
    "Fylleri/LOB": "Utomhus",
    "Häleri": "Stöld",
    "Inbrott": "Inbrott",
    "Inbrott, försök": "Inbrott",
    "Knivlagen": "Bråk/våld",
    "Misshandel": "Bråk/våld",
    "Misshandel, grov": "Bråk/våld",
    "Mord/dråp": "Bråk/våld",
    "Mord/dråp, försök": "Bråk/våld",
    "Mordbrand": "Brand/anlagd brand",
    "Motorfordon, stöld": "Stöld",
    "Narkotikabrott": "Misstänkt narkotikahantering",
    "Ofog barn/ungdom": "Utomhus",
    "Ofredande/förargelse": "Bråk/våld",
    "Olaga frihetsberövande": "Bråk/våld",
    "Olaga hot": "Bråk/våld",
    "Olaga intrång": "Inbrott",
    "Olaga intrång/hemfridsbrott": "Inbrott",
    "Ordningslagen": "Utomhus",
    "Rån": "Rån",
    "Rån väpnat": "Rån",
    "Rån övrigt": "Rån",
    "Rån, försök": "Rån",
    "Sabotage mot blåljusverksamhet": "Hot mot personal",
    "Sedlighetsbrott": "Bråk/våld",
    "Skadegörelse": "Annan skadegörelse",
    "Skottlossning": "Bråk/våld",
    "Skottlossning, misstänkt": "Bråk/våld",
    "Stöld": "Stöld",
    "Stöld, försök": "Stöld",
    "Stöld, ringa": "Stöld",
    "Stöld/inbrott": "Inbrott",
    "Vapenlagen": "Bråk/våld",
    "Våld/hot mot tjänsteman": "Hot mot personal",
    "Våldtäkt": "Bråk/våld",
    "Våldtäkt, försök": "Bråk/våld",
}

# Police event type -> why it is not imported.
SKIPPED_TYPES: dict[str, str] = {
    "Anträffad död": NOT_CRIME,
    "Anträffat gods": NOT_CRIME,
    "Arbetsplatsolycka": ACCIDENT,
    "Bedrägeri": NO_PLACE,
    "Bedrägeri, försök": NO_PLACE,
    "Brand automatlarm": ALARM,
    "Djur": NOT_CRIME,
    "Djur skadat/omhändertaget": NOT_CRIME,
    "Ekobrott": NO_PLACE,
    "Fjällräddning": ACCIDENT,
    "Förfalskningsbrott": NO_PLACE,
    "Försvunnen person": NOT_CRIME,
    "Gränskontroll": POLICE_WORK,
    "Kontroll": POLICE_WORK,
    "Kontroll person/fordon": POLICE_WORK,
    "Lagen om hundar och katter": NOT_CRIME,
    "Larm inbrott": ALARM,
    "Larm överfall": ALARM,
    "Miljöbrott": NO_PLACE,
    "Missbruk av urkund": NO_PLACE,
    "Motorfordon, anträffat stulet": NOT_CRIME,
    "Naturkatastrof": ACCIDENT,
    "Olovlig körning": TRAFFIC,
    "Övrigt": UNSPECIFIED,
    "Polisinsats/kommendering": POLICE_WORK,
    "Rattfylleri": TRAFFIC,
    "Räddningsinsats": ACCIDENT,
    "Sjukdom/olycksfall": ACCIDENT,
    "Sjölagen": TRAFFIC,
    "Skyddslagen": POLICE_WORK,
    "Spridning smittsamma kemikalier": ACCIDENT,
    "Tillfälligt obemannat": POLICE_WORK,
    "Trafikbrott": TRAFFIC,
    "Trafikhinder": TRAFFIC,
    "Trafikkontroll": TRAFFIC,
    "Uppdatering": UPDATE,
    "Utlänningslagen": POLICE_WORK,
    "Varningslarm/haveri": ACCIDENT,
    "Vållande till kroppsskada": ACCIDENT,
    "Åldringsbrott": NO_PLACE,
}

# Families of types named by their beginning ("Trafikolycka, vilt", "Sammanfattning natt" …).
SKIPPED_FAMILIES: dict[str, str] = {
    "Sammanfattning": SUMMARY,
    "Trafikolycka": TRAFFIC,
}


@dataclass(frozen=True)
class Decision:
    category: str | None  # the forum category, or None: skipped
    reason: str = ""  # why it is skipped


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[,.]", " ", str(text))).strip().casefold()


_DECISIONS: dict[str, Decision] = {
    **{_key(t): Decision(c) for t, c in TYPE_TO_CATEGORY.items()},
    **{_key(t): Decision(None, r) for t, r in SKIPPED_TYPES.items()},
}

_CANONICAL = {_key(name): name for name in (*TYPE_TO_CATEGORY, *SKIPPED_TYPES)}


def decide(event_type: str) -> Decision | None:
    """The decision for a police event type, or None for a type not known yet."""
    found = _DECISIONS.get(_key(event_type))
    if found is not None:
        return found
    key = _key(event_type)
    for family, reason in SKIPPED_FAMILIES.items():
        if key.startswith(_key(family)):
            return Decision(None, reason)
    return None


def canonical(event_type: str) -> str:
    """The table's spelling of a known type ("misshandel grov" -> "Misshandel, grov")."""
    return _CANONICAL.get(_key(event_type), str(event_type).strip())
