"""Writes `malmo_skane.json`: an answer of the police's events API for `locationname=Malmö;Skåne
län` as it comes since January 2026 (the county's point as position, 500 events, newest first),
written in the API's style: Malmö's events with the city's streets, squares and districts –
many named after people – a few summaries holding personal data as the police sometimes
publish it, the county's other municipalities and summaries. Seeded: running it again writes
the same file.

    python tests/unit/data/polisen_api/write_malmo.py
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

SEED = 1280
COUNTY = {"name": "Skåne län", "gps": "55.990257,13.595769"}
SUMMER_ENDS = dt.datetime(2026, 10, 25, 2, 0)  # Swedish time, as the API writes it
MALMO_POINT = {"name": "Malmö", "gps": "55.604981,13.003822"}
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"]  # fmt: skip

STREETS = [
    "Per Albin Hanssons väg", "Gustav Adolfs torg", "Anna Lindhs plats", "Carl Gustafs väg",
    "Kung Oskars väg", "John Ericssons väg", "Ernst Ahlgrens väg", "Erik Dahlbergsgatan",
    "Carl Hillsgatan", "Hans Michelsensgatan", "Jöns Filsgatan", "Nils Holgerssons gata",
    "Drottning Kristinas väg", "Sankt Knuts torg", "Fredrik Bajers gata", "Lars Mattssons väg",
    "Amiralsgatan", "Södra Förstadsgatan", "Möllevångstorget", "Lönngatan", "Ystadvägen",
    "Stortorget", "Lilla torg", "Värnhemstorget", "Nobeltorget", "Jägersrovägen",
    "Kalendegatan", "Pildammsvägen", "Lantmannagatan", "Sallerupsvägen", "Lorensborgsgatan",
    "Ramels väg", "Sofielundsvägen", "Bergsgatan", "Regementsgatan", "Kungsgatan",
    "Davidshallstorg", "Föreningsgatan", "Sergels väg", "Hyllie boulevard", "Stadiongatan",
    "Dalaplan", "Västra Hamnen", "Mäster Johansgatan", "Rönnbladsgatan", "Ribersborgsstranden",
]  # fmt: skip
DISTRICTS = [
    "Rosengård", "Möllevången", "Södra Innerstaden", "Hyllie", "Fosie", "Oxie", "Husie",
    "Kirseberg", "Limhamn", "Bunkeflostrand", "Augustenborg", "Holma", "Kroksbäck", "Lindängen",
    "Seved", "Värnhem", "Triangeln", "Davidshall", "Centrum", "Västra Innerstaden",
]  # fmt: skip

# (type, weight, summaries); {s} a street, {d} a district.
TYPES = [
    ("Misshandel", 40, ["Man misshandlad på {s}, {d}.", "Bråk mellan flera personer, {s}.",
                        "En kvinna har blivit slagen i en trappuppgång på {s}."]),
    ("Misshandel, grov", 8, ["Man knivskuren på {s}, förd till sjukhus.",
                             "Grov misshandel vid {s} i {d}."]),
    ("Stöld", 40, ["Stöld i butik, {d}.", "Cykelstöld vid {s}.",
               "Ficktjuv har varit aktiv vid {s}."]),
    ("Stöld, ringa", 15, ["Snatteri i butik vid {s}.", "Ringa stöld i livsmedelsbutik, {d}."]),
    ("Stöld/inbrott", 12, ["Inbrott i förråd, {s}.", "Stöld ur bil på {s} i {d}."]),
    ("Inbrott", 20, ["Inbrott i lägenhet på {s}.", "Inbrott i villa, {d}.",
                     "Inbrott i källarförråd i {d}, flera förråd uppbrutna."]),
    ("Inbrott, försök", 6, ["Försök till inbrott i lokal vid {s}."]),
    ("Skadegörelse", 25, ["Krossade rutor i busskur vid {s}.", "Klotter på skola i {d}.",
                          "Skadegörelse på bilar längs {s}."]),
    ("Brand", 20, ["Brand i soprum på {s}.", "Bilbrand, {d}.", "Containerbrand vid {s} i {d}."]),
    ("Mordbrand", 3, ["Misstänkt anlagd brand i flerbostadshus på {s}."]),
    ("Skottlossning", 6, ["Skottlossning på {s}, {d}. Ingen skadad enligt uppgift.",
                          "Flera skott avlossade vid {s}."]),
    ("Skottlossning, misstänkt", 5, ["Anmälare har hört smällar som liknar skott, {d}."]),
    ("Detonation", 4, ["Detonation vid port på {s}.", "Kraftig smäll i trapphus, {d}."]),
    ("Explosion", 2, ["Explosion vid entré på {s}."]),
    ("Knivlagen", 6, ["Man med kniv gripen vid {s}.", "Kniv i bil vid kontroll, {d}."]),
    ("Rån", 10, ["Personrån vid {s}.", "Rån mot butik i {d}."]),
    ("Rån väpnat", 3, ["Väpnat rån mot kiosk på {s}."]),
    ("Rån, försök", 3, ["Försök till rån vid {s}, gärningspersonen flydde mot {d}."]),
    ("Olaga hot", 12, ["Hot mot personal i butik, {s}.", "Olaga hot i bostad, {d}."]),
    ("Ofredande/förargelse", 8, ["Man ofredar kvinnor vid {s}."]),
    ("Narkotikabrott", 15, ["Man med narkotika gripen vid {s}.", "Narkotikaförsäljning, {d}."]),
    ("Ordningslagen", 6, ["Störande ungdomar vid {s}.", "Fyrverkerier avfyras på {s}."]),
    ("Fylleri/LOB", 8, ["Berusad man omhändertagen på {s}."]),
    ("Ofog barn/ungdom", 5, ["Ungdomar kastar sten mot bussar, {d}."]),
    ("Våld/hot mot tjänsteman", 5, ["Väktare hotad vid {s}.", "Polis spottad på vid {s}."]),
    ("Vapenlagen", 3, ["Vapen hittat i buske vid {s}."]),
    ("Motorfordon, stöld", 6, ["Bil stulen från parkering på {s}."]),
    ("Sedlighetsbrott", 2, ["Blottare vid {s}, {d}."]),
    ("Bombhot", 1, ["Bombhot mot skola i {d}."]),
    ("Trafikolycka", 15, ["Två bilar i kollision, {s}.", "Cyklist påkörd på {s}."]),
    ("Trafikolycka, personskada", 4, ["Fotgängare påkörd vid {s}."]),
    ("Rattfylleri", 8, ["Misstänkt rattfull förare stoppad på {s}."]),
    ("Trafikkontroll", 3, ["Hastighetskontroll på {s}."]),
    ("Kontroll person/fordon", 5, ["Kontroll av bil vid {s}."]),
    ("Brand automatlarm", 3, ["Automatlarm i skola, {d}."]),
    ("Sjukdom/olycksfall", 3, ["Person har fallit från cykel, {s}."]),
    ("Lagen om hundar och katter", 1, ["Lös hund vid {s}."]),
    ("Försvunnen person", 2, ["Anhörig saknar äldre man i {d}."]),
    ("Anträffat gods", 2, ["Upphittad väska vid {s}."]),
    ("Övrigt", 2, ["Polisen har varit på plats vid {s}."]),
]  # fmt: skip

# Summaries with personal data, as the police sometimes publish them (each kept as a
# Malmö event of a type the forum imports).
WITH_PERSONAL_DATA = [
    ("Stöld", "Stöld ur bil på {s}. Den som sett något kan ringa 070-123 45 67."),
    ("Motorfordon, stöld", "Bil med registreringsnummer ABC 123 stulen på {s}."),
    ("Inbrott", "Inbrott hos Anna Svensson på {s}, dörren uppbruten."),
    ("Misshandel", "Misshandel vid {s}. Tips till polisen.malmo@polisen.se."),
    ("Olaga hot", "Hot mot en man född 19850412-2386 i {d}."),
    ("Skadegörelse", "Bilen MLB 12X vandaliserad på {s}."),
    ("Rån", "Rån vid {s}, vittnen ombeds kontakta 040-12 34 56."),
    ("Brand", "Brand i lägenhet på {s}, hyresgästen Erik Johansson förd till sjukhus."),
]

OTHERS = ["Lund", "Trelleborg", "Burlöv", "Vellinge", "Helsingborg", "Eslöv", "Staffanstorp",
          "Svedala", "Kävlinge", "Lomma"]  # fmt: skip
OTHER_SUMMARIES = ["Inbrott i villa.", "Trafikolycka på väg 108.", "Brand i förråd.",
                   "Stöld i butik.", "Misshandel i centrum."]  # fmt: skip


def _slug(text: str) -> str:
    table = str.maketrans("åäöé", "aaoe", ",/")
    return "-".join(text.lower().translate(table).replace(".", ".").split())


def _event(n: int, when: dt.datetime, kind: str, where: str, summary: str, location) -> dict:
    month = MONTHS[when.month - 1]
    title = f"{when.day:02d} {month} {when:%H.%M}, {kind}, {where}"
    published = when + dt.timedelta(minutes=5 + n % 50)
    return {
        "id": 670_000 + n,
        "datetime": f"{published:%Y-%m-%d} {published.hour}:{published:%M}:{n * 7 % 60:02d} "
        f"{'+01:00' if published >= SUMMER_ENDS else '+02:00'}",
        "name": title,
        "summary": summary,
        "url": f"/aktuellt/handelser/{when.year}/{month}/{when.day}/"
        f"{_slug(f'{when.day:02d} {month} {when:%H.%M} {kind} {where}')}/",
        "type": kind,
        "location": location,
    }


def answer() -> list[dict]:
    rng = random.Random(SEED)
    kinds = [t for t, w, _ in TYPES for _ in range(w)]
    texts = {t: s for t, _, s in TYPES}
    end = dt.datetime(2026, 11, 21, 18, 0)
    events: list[dict] = []
    special = iter(WITH_PERSONAL_DATA)
    for n in range(500):
        when = end - dt.timedelta(minutes=90 * n + rng.randrange(60))
        street, district = rng.choice(STREETS), rng.choice(DISTRICTS)
        if n % 100 == 50:  # the county's summaries
            part = "natt" if when.hour < 12 else "kväll och natt"
            events.append(
                {
                    **_event(n, when, f"Sammanfattning {part}", "Skåne län", "", COUNTY),
                    "name": f"{when.day:02d} {MONTHS[when.month - 1]} {when:%H.%M}, "
                    f"Sammanfattning {part}, Skåne län",
                    "summary": f"Sammanfattning av händelser i länet, bland annat på {street}.",
                }
            )
        elif n % 5 == 4:  # the county's other municipalities
            kind = rng.choice(kinds)
            events.append(
                _event(n, when, kind, rng.choice(OTHERS), rng.choice(OTHER_SUMMARIES), COUNTY)
            )
        elif n % 41 == 7 and (pick := next(special, None)):
            kind, text = pick
            events.append(_event(n, when, kind, "Malmö", text.format(s=street, d=district), COUNTY))
        else:
            kind = rng.choice(kinds)
            text = rng.choice(texts[kind]).format(s=street, d=district)
            location = MALMO_POINT if n % 7 == 0 else COUNTY  # before 2026 it was the city's
            events.append(_event(n, when, kind, "Malmö", text, location))
    return events


if __name__ == "__main__":
    target = Path(__file__).with_name("malmo_skane.json")
    target.write_text(json.dumps(answer(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target}")
