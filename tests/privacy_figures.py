"""The personal-data check measured on its corpora: recall on generated personal data, false
positives on written texts, on police summaries written in the API's style for a big city
(the recorded Malmö answer of the feed tests) and on the real police events with a title for
every municipality. `tests/unit/test_privacy.py` asserts the thresholds with these functions;
this command prints every figure at once:

    PYTHONPATH=src .venv/bin/python -m tests.privacy_figures

It exits with status 1 when a figure misses its threshold (and 2 when the public data sets
are not beside the project, for the figure that needs them).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lagesbild import privacy
from tests import privacy_corpus as corpus

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATASETS = Path(
    os.environ.get("LAGESBILD_TEST_DATASETS", ROOT.parent / "shared" / "datasets")
)
REAL_POLICE = SHARED_DATASETS / "polisen" / "events_vellinge_savsjo.json"
BOUNDARIES = SHARED_DATASETS / "boundaries" / "sweden-kommuner.geojson"
BIG_CITY = ROOT / "tests" / "unit" / "data" / "polisen_api" / "malmo_skane.json"

# Personal data as it stands in the recorded big-city answer, found without the product's check.
PERSONAL = re.compile(
    r"\b0\d{1,3}-\d[\d ]{4,9}\d"  # phone numbers
    r"|\b\d{8}-\d{4}\b"  # personnummer
    r"|[\w.]+@[\w.]+\.se"  # e-mail addresses
    r"|\b[A-Z]{3} \d{2}[0-9A-Z]\b"  # plates
    r"|Anna Svensson|Erik Johansson"  # the two persons named
)

RECALL = {  # kind -> (the corpus, the lowest recall accepted)
    "personnummer": (corpus.personnummer, 0.99),
    "phones": (corpus.phones, 0.95),
    "emails": (corpus.emails, 0.95),
    "plates": (corpus.plates, 0.95),
}
MAX_FALSE_POSITIVES = 0.01


def caught(sample: corpus.Sample) -> bool:
    """Whether a finding of the expected kind covers the whole item. A bare ten-digit mobile
    number that is also a valid personnummer counts when it is caught as either."""
    start = sample.text.index(sample.item)
    end = start + len(sample.item)
    kinds = {sample.kind} | ({privacy.PERSONNUMMER} if sample.kind == privacy.PHONE else set())
    return any(
        f.kind in kinds and f.start <= start and end <= f.end for f in privacy.find(sample.text)
    )


def false_positives(texts: list[str]) -> tuple[float, list[str]]:
    flagged = [f"{t!r}: {privacy.describe(privacy.find(t))}" for t in texts if privacy.find(t)]
    return len(flagged) / len(texts), flagged


def big_city_texts() -> list[str]:
    """The summaries and titles of the recorded Malmö answer, less the eight summaries that
    hold personal data on purpose."""
    events = json.loads(BIG_CITY.read_text(encoding="utf-8"))
    texts = [str(e[f]) for e in events for f in ("summary", "name") if e.get(f)]
    return [t for t in texts if not PERSONAL.search(t)]


def real_police_texts() -> list[str]:
    """The summaries and titles of the real police events, and a title in the API's form
    ("21 november 20:00, Brand, Upplands Väsby") for each of the 290 municipalities."""
    events = json.loads(REAL_POLICE.read_text(encoding="utf-8"))
    texts = [str(e[field]) for e in events for field in ("summary", "name") if e.get(field)]
    names = [f["properties"]["KnNamn"] for f in json.loads(BOUNDARIES.read_text())["features"]]
    types = sorted({e["type"] for e in events})
    titles = [
        f"{i % 28 + 1} november {i % 24:02d}:{i % 60:02d}, {types[i % len(types)]}, {name}"
        for i, name in enumerate(names)
    ]
    return texts + titles


@dataclass
class Figure:
    measure: str
    value: float
    of: int
    required: str
    ok: bool
    misses: list[str]

    def line(self) -> str:
        mark = "ok" if self.ok else "UNDER THE THRESHOLD"
        return f"{self.measure:<58} {self.value:>8.2%} of {self.of:>5}  ({self.required}) {mark}"


def recall(kind: str) -> Figure:
    make, floor = RECALL[kind]
    samples = make()
    missed = [s.text for s in samples if not caught(s)]
    value = 1 - len(missed) / len(samples)
    return Figure(f"recall, {kind}", value, len(samples), f"≥ {floor:.0%}", value >= floor, missed)


def false_positive_figure(measure: str, texts: Callable[[], list[str]]) -> Figure:
    found = texts()
    share, flagged = false_positives(found)
    ok = share <= MAX_FALSE_POSITIVES
    return Figure(measure, share, len(found), f"≤ {MAX_FALSE_POSITIVES:.0%}", ok, flagged)


CLEAN = {
    "written": ("false positives, written police and member texts", corpus.clean_texts),
    "big-city": ("false positives, big-city police texts (Malmö, API style)", big_city_texts),
    "real": ("false positives, real police texts + 290 municipality titles", real_police_texts),
}


def main() -> int:
    figures = [recall(kind) for kind in RECALL]
    for key, (measure, texts) in CLEAN.items():
        if key == "real" and not REAL_POLICE.is_file():
            print(f"{measure}: the public data sets are not in {SHARED_DATASETS}")
            return 2
        figures.append(false_positive_figure(measure, texts))
    for figure in figures:
        print(figure.line())
        for miss in figure.misses[:5]:
            print(f"    {miss}")
    return 0 if all(f.ok for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
