"""Sweden's 290 municipalities: their names, codes and boundaries (shipped in
`resources/boundaries/sweden-kommuner.geojson`), and finding one from what a user typed."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

from lagesbild import geo
from lagesbild.errors import UserError
from lagesbild.reference import load_json

BOUNDARIES = ("boundaries", "sweden-kommuner.geojson")


@dataclass(frozen=True)
class Municipality:
    code: str  # four digits, e.g. "1233"
    name: str  # e.g. "Vellinge"


class UnknownMunicipality(UserError):
    """A name or code that is none of Sweden's municipalities; says which names are close."""

    def __init__(self, text: str):
        self.text = text
        self.suggestions = closest(text)
        super().__init__(unknown_message(text, self.suggestions))


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


@cache
def _features() -> dict[str, dict]:
    """Municipality code -> its GeoJSON feature."""
    return {f["properties"]["KnKod"]: f for f in load_json(*BOUNDARIES)["features"]}


@cache
def _by_key() -> dict[str, Municipality]:
    out: dict[str, Municipality] = {}
    for code, feature in _features().items():
        m = Municipality(code, feature["properties"]["KnNamn"])
        out[code] = m
        out[_key(m.name)] = m
    return out


def all_municipalities() -> list[Municipality]:
    """Every municipality, by name."""
    return sorted(
        (Municipality(c, f["properties"]["KnNamn"]) for c, f in _features().items()),
        key=lambda m: m.name,
    )


def find(text: str | None) -> Municipality | None:
    """The municipality named or numbered by `text` (any case, stray spaces), or None."""
    if not text:
        return None
    return _by_key().get(_key(text))


_AFFIX = re.compile(r"\s+(?:kommun|stad|stadskommun)$|^(?:region|kommun)\s+")
_FOLD = str.maketrans("åäöéü", "aaoeu")


def _variants(text: str) -> set[str]:
    """What a typed name may stand for without "kommun", "stad", "Region", a genitive s or
    diacritics: "Göteborgs stad" -> {"goteborgs", "goteborg"}."""
    key = _key(text)
    bare = _AFFIX.sub("", key).strip()
    out = {key, bare}
    if bare != key and bare.endswith("s"):
        out.add(bare[:-1])
    return {v.translate(_FOLD) for v in out}


def closest(text: str, n: int = 3) -> list[str]:
    """The names most like `text`, best first: the one meant when only "kommun", "stad",
    "Region" or the diacritics differ, else the closest by difflib (those nearly as close
    as the closest)."""
    everyone = all_municipalities()
    wanted = _variants(text)
    same = [m.name for m in everyone if _key(m.name).translate(_FOLD) in wanted]
    if same:
        return same
    key = _key(text)
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, _key(m.name)).ratio(), m.name) for m in everyone),
        reverse=True,
    )
    best = scored[0][0]
    return [name for score, name in scored[:n] if score >= max(0.6, best - 0.1)]


def unknown_message(text: str, suggestions: list[str]) -> str:
    shown = re.sub(r"\s+", " ", str(text)).strip()
    if suggestions:
        options = (
            suggestions[0]
            if len(suggestions) == 1
            else ", ".join(suggestions[:-1]) + " eller " + suggestions[-1]
        )
        return f"Okänd kommun ”{shown}”. Menade du {options}?"
    return (
        f"Okänd kommun ”{shown}”. Ange kommunens namn eller kommunkod (fyra siffror), "
        "t.ex. Vellinge eller 1233."
    )


def resolve(text: str) -> Municipality:
    """The municipality named or numbered by `text`; UnknownMunicipality otherwise."""
    found = find(text)
    if found is None:
        raise UnknownMunicipality(text)
    return found


def boundary(text: str | None) -> dict | None:
    """The municipality's boundary as a GeoJSON FeatureCollection of one feature, or None."""
    found = find(text)
    if found is None:
        return None
    return {"type": "FeatureCollection", "features": [_features()[found.code]]}


@cache
def _point(code: str) -> tuple[float, float] | None:
    return geo.representative_point(_features()[code])


def representative_point(text: str | None) -> tuple[float, float] | None:
    """(lat, lon) of a point inside the municipality's boundary (its centroid when that lies
    inside), or None for an unknown municipality."""
    found = find(text)
    return None if found is None else _point(found.code)
