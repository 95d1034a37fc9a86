"""Corpora for measuring the personal-data check.

Clean texts (no personal data): police summaries written in the style of the police events API
for big cities, with real street and square names after people, and ordinary member reports
with times, dates, amounts, postcodes and case numbers. The real police summaries are read by the
test from the public data set.

Personal data: valid personnummer and samordningsnummer (real dates, leap days, correct
checksum) in every written form, phone numbers, e-mail addresses and plates in the common
Swedish forms, each inside a sentence. Everything is generated from a seed, so every run
measures the same texts.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

SEED = 20261121

# Real streets, squares and places, many named after people, in Swedish cities.
STREETS = {
    "Stockholm": [
        "Birger Jarlsgatan",
        "Sankt Eriksgatan",
        "Sankt Eriksplan",
        "John Ericssonsgatan",
        "Olof Palmes gata",
        "Drottning Kristinas väg",
        "Adolf Fredriks kyrkogata",
        "Gustav Adolfs torg",
        "Karl XII:s torg",
        "Magnus Ladulåsgatan",
        "Wollmar Yxkullsgatan",
        "Torkel Knutssonsgatan",
        "Olof Gjödingsgatan",
        "Jakob Westinsgatan",
        "Hjalmar Söderbergs väg",
        "Erik Dahlbergsallén",
        "Katarina Bangata",
        "Maria Prästgårdsgata",
        "Birger Jarls torg",
        "Prins Eugens väg",
        "Sergels torg",
        "Medborgarplatsen",
        "Mariatorget",
        "Fridhemsplan",
        "Odenplan",
        "Hornsgatan",
        "Götgatan",
        "Sveavägen",
        "Hammarby allé",
        "Sankt Paulsgatan",
    ],
    "Göteborg": [
        "Karl Johansgatan",
        "Gustaf Dalénsgatan",
        "Hjalmar Brantingsgatan",
        "Hjalmar Brantingsplatsen",
        "Sten Sturegatan",
        "Dag Hammarskjöldsleden",
        "Axel Dahlströms torg",
        "Selma Lagerlöfs torg",
        "Nils Ericsonplatsen",
        "Gustav Adolfs torg",
        "Per Dubbsgatan",
        "Carl Grimbergsgatan",
        "Erik Dahlbergsgatan",
        "Anders Personsgatan",
        "Olof Wijksgatan",
        "Ebbe Lieberathsgatan",
        "Karl Gustavsgatan",
        "Doktor Allards gata",
        "Lilla Bommen",
        "Stora Nygatan",
        "Järntorget",
        "Frölunda torg",
        "Angereds torg",
        "Kortedala torg",
        "Vasaplatsen",
    ],
    "Malmö": [
        "Per Albin Hanssons väg",
        "Anna Lindhs plats",
        "Carl Gustafs väg",
        "Gustav Adolfs torg",
        "Hans Michelsensgatan",
        "John Ericssons väg",
        "Ramels väg",
        "Södra Förstadsgatan",
        "Möllevångstorget",
        "Lilla torg",
        "Stortorget",
        "Ystadvägen",
        "Amiralsgatan",
        "Nobeltorget",
        "Drottningtorget",
    ],
    "Uppsala": [
        "Dag Hammarskjölds väg",
        "Torgny Segerstedts allé",
        "Sankt Johannesgatan",
        "Sankt Persgatan",
        "Sankt Olofsgatan",
        "Kungsängsgatan",
        "Svartbäcksgatan",
        "Stora torget",
        "Vaksala torg",
        "Luthagsesplanaden",
    ],
    "Norrköping": ["Karl Johans park", "Gustav Adolfs torg", "Drottninggatan", "Hamngatan"],
    "Lund": ["Clemenstorget", "Mårtenstorget", "Sankt Laurentiigatan", "Bangatan"],
    "Helsingborg": ["Drottninggatan", "Stortorget", "Kungsgatan", "Söder"],
    "Västerås": ["Stora torget", "Kopparbergsvägen", "Vasagatan"],
    "Örebro": ["Drottninggatan", "Stortorget", "Olaus Petri kyrka"],
    "Umeå": ["Rådhusesplanaden", "Kungsgatan", "Storgatan"],
}
DISTRICTS = {
    "Stockholm": ["Södermalm", "Kungsholmen", "Rinkeby", "Tensta", "Husby", "Skärholmen"],
    "Göteborg": ["Hammarkullen", "Biskopsgården", "Angered", "Majorna", "Bergsjön"],
    "Malmö": ["Rosengård", "Möllevången", "Lindängen", "Hermodsdal", "Södra innerstaden"],
    "Uppsala": ["Gottsunda", "Stenhagen", "Gränby", "Luthagen"],
    "Norrköping": ["Navestad", "Hageby", "Marielund"],
    "Lund": ["Norra Fäladen", "Klostergården"],
    "Helsingborg": ["Drottninghög", "Dalhem"],
    "Västerås": ["Bäckby", "Skultuna"],
    "Örebro": ["Vivalla", "Baronbackarna"],
    "Umeå": ["Ålidhem", "Teg"],
}

# Police summaries as the API writes them; {s} and {t} are streets, {d} a district, {c} a city.
POLICE_TEMPLATES = [
    "Misshandel på {s}, {c}. En man har förts till sjukhus.",
    "Rån mot butik vid {s} i {d}.",
    "Trafikolycka på {s}, två personbilar inblandade.",
    "Brand i lägenhet på {s}. Räddningstjänsten är på plats.",
    "Skottlossning i {d}. Polisen har spärrat av ett område kring {s}.",
    "Stöld ur bil på {s} under natten.",
    "Man i 20-årsåldern gripen för narkotikabrott vid {s}.",
    "{s}, {c}. Person omhändertagen för berusning.",
    "Larm om skottlossning vid {s} strax efter kl. 22. Ingen skadad.",
    "Detonation vid flerfamiljshus på {s}. Avspärrning pågår.",
    "Kvinna rånad vid busshållplatsen på {s}.",
    "Bilbrand på parkeringen vid {s} vid 02.15-tiden.",
    "Väskryckning på {s}. Gärningspersonen flydde mot {t}.",
    "Ungdomar kastar sten mot bussar vid {s} i {d}.",
    "Två personer knivskadade vid {s}. En gripen.",
    "Trafikolycka i korsningen {s}/{t}, {c}.",
    "Larm om bråk mellan flera personer på {s} vid 01-tiden.",
    "Inbrott i butik på {s}. Kassaskåp stulet.",
    "Polisen har gripit en man efter ett rån på {s} i {c}.",
    "Misstänkt mordbrand i trapphus på {s}, {d}.",
    "Fordon har kört in i en fasad på {s}. Föraren misstänks för rattfylleri.",
    "{c}, {s}. Man i 40-årsåldern anhållen för grov misshandel.",
    "Skadegörelse på spårvagnshållplats vid {s}.",
    "Polisen söker vittnen efter misshandeln vid {s}. Tips till 114 14.",
    "Kontroll av 150 fordon på {s}; 4 förare misstänks för rattfylleri.",
    "Demonstration med drygt 200 deltagare på {s}, lugnt förlopp.",
    "Försök till inbrott i bostad på {s} mellan kl. 13.00 och 15.30.",
    "Brand i soprum på {s}, {d}. Ingen person skadad.",
    "Narkotikaspaning vid {s}. Tre personer gripna.",
    "Ordningsstörning på restaurang vid {s} kl. 23.45.",
]
POLICE_WRITTEN = [
    "Skottlossning i Rinkeby. En man i 25-årsåldern skadad, förd till sjukhus.",
    "Detonation i trapphus i Husby natten till lördag. Stora skador på porten.",
    "Trafikolycka på E4 i höjd med trafikplats Kista, tre fordon inblandade.",
    "Stöld av kopparkabel vid järnvägen, värde cirka 50 000 kronor.",
    "Väg 40 stängd mellan trafikplats Mölnlycke och Landvetter efter olycka.",
    "Händelsen inträffade 2026-11-21 kl. 21.30. Polisen utreder.",
    "Mordbrand i förskola i Gottsunda. Larm kl. 03.12, släckt 04.40.",
    "Knivlagen, Malmö C. Man med kniv på allmän plats.",
    "Rattfylleri på E6 norr om Malmö, 1,2 promille.",
    "Polisen i region Stockholm genomför en insats mot narkotikahandel i Tensta.",
    "Olaga hot mot personal på vårdcentral i Angered.",
    "Skadegörelse på 12 bilar under natten i Majorna.",
    "En person har hittats avliden i en lägenhet i Hermodsdal. Inget brott misstänks.",
    "SOS Alarm fick in larm om brand i villa kl. 19.05.",
    "Larm via SOS 112 om personer som bråkar i centrum.",
    "Rån mot taxichaufför i Lindängen, gärningspersonerna flydde till fots.",
    "Sammanfattning natt: 14 ingripanden, 3 gripna, 2 anhållna.",
    "Trafikkontroll på Essingeleden, 80 km/h överskreds med 45 km/h.",
    "Polisen har inlett förundersökning om grov skadegörelse, ärende 5000-K1234567-26.",
    "Man gripen för mordförsök i Biskopsgården, anhållen i sin frånvaro.",
    "Inbrott i 6 källarförråd på samma adress i Stenhagen.",
    "Bråk mellan två grupper på Drottninggatan, Stockholm. Tre omhändertagna.",
    "Brand i bil, Västra Frölunda. Bilen totalförstörd.",
    "Polisen varnar för bedrägerier via telefon där bedragare utger sig för att vara banken.",
    "Fyra tonåringar gripna efter rån mot en 15-åring i Skärholmen.",
    "Larm om vapen på skola i Uppsala, inget vapen påträffades.",
    "Sprängning mot port i Vivalla. Ingen skadad.",
    "En 17-årig pojke har skadats med kniv vid Kungsgatan i Umeå.",
    "Polisen har beslagtagit 3 kilo cannabis vid en husrannsakan i Navestad.",
    "Olycka i korsningen Sveavägen och Odengatan. Cyklist till sjukhus.",
    "Tåg stoppat vid Stockholm C efter obehöriga i spår.",
    "Överfall i Slottsskogen sent i går kväll, polisen söker vittnen.",
    "Brand i papperskorg på Sergels torg, släckt av väktare.",
    "Larm om inbrott i skola på Per Albin Hanssons väg, Malmö.",
    "Misshandel vid Gustav Adolfs torg, Göteborg, en man förd till Sahlgrenska.",
    "Stöld i butik på Karl Johansgatan. Gärningspersonen gripen.",
    "Skadegörelse vid Magnus Ladulåsgatan på Södermalm.",
    "Bilbrand på Anna Lindhs plats, Malmö, vid midnatt.",
    "Narkotikabrott vid Nils Ericsonplatsen, två gripna.",
    "Fylleri på Stora torget i Uppsala, en omhändertagen.",
    "Trafikolycka på Dag Hammarskjölds väg, Uppsala, två bilar.",
    "Bråk utanför nattklubb vid Stureplan, två omhändertagna.",
    "Personrån vid Vaksala torg. En 16-åring bestulen på mobiltelefon.",
    "Polisen har gripit en man i 30-årsåldern för grovt vapenbrott i Bäckby.",
    "Misstänkt skottlossning i Hammarkullen, inga skadade påträffade.",
    "Polisen genomför hastighetskontroller på väg 100 och E22 under veckan.",
    "Larm om rökutveckling i tunnelbanan vid T-Centralen, 09.40.",
    "Polisen har fått in flera anmälningar om stölder ur förråd i Hageby.",
    "Rån mot butik på Kopparbergsvägen i Västerås, kassan tömd.",
    "Polisen har förstärkt bevakningen i Drottninghög efter oroligheter.",
]

MEMBER_WRITTEN = [
    "Klotter på gaveln vid Storgatan 12, ca 3 kvm.",
    "Trasig belysning längs gång- och cykelvägen mellan skolan och centrum, 4 armaturer.",
    "Ungdomar samlades vid Gustav Adolfs torg efter kl. 22, ca 20–30 st.",
    "Nedskräpning vid återvinningsstationen, anmält till kommunen 2026-11-20 (ärende 2026/1234).",
    "Väktare ringde 112 vid 23-tiden när bråket började.",
    "Glaskross vid busshållplatsen Karl Johans park, 2 rutor.",
    "LED-armatur 100 W trasig sedan tre veckor.",
    "Postnummer 235 31, Storgatan 12",
    "Trygghetsvandring 18:30–20:00 i Höllviken, 14 deltagare.",
    "Kostnad för sanering 12 500 kr inkl. moms 25 %.",
    "Organisationsnummer 212000-1231 står på fakturan.",
    "Bankgiro 123-4567 för föreningens insamling.",
    "Mopeder kör på gångbanan vid Per Albin Hanssons väg varje kväll.",
    "Fimpar och glas vid Anna Lindhs plats efter helgen.",
    "Skadegörelse på parkbänkar i Karl Johans park, 5 st.",
    "Ökad oro bland boende kring Magnus Ladulåsgatan efter bilbränderna.",
    "Belysningen på Drottning Kristinas väg är släckt mellan 01 och 05.",
    "Sankt Eriksgatan: ungdomar i portuppgångar sena kvällar.",
    "Fastighetsägaren har bytt lås i 3 trapphus på Hjalmar Brantingsgatan.",
    "Vi såg 4 personer på taket till Sofia skola vid 21.15.",
    "Pressbyrån på Sergels torg larmade om snatteri.",
    "Möte med Polisen Syd och Räddningstjänsten Syd torsdag 14.00–15.30 i sal 203.",
    "Skolan rapporterar 7 incidenter under vecka 47.",
    "Region Skåne har flyttat busshållplatsen 150 meter söderut.",
    "Mätning av hastighet på väg 100: 20 % körde fortare än 50 km/h.",
    "Kvarteret Rosen, hus 12, har fått nya kameror (4 st, 1080p).",
    "Cykelstölder ökar vid stationen, 11 anmälda i oktober.",
    "Tonåringar eldade i en container bakom ICA Maxi kl 20.40.",
    "Klotter med svart sprayfärg, taggen upprepas på 6 ställen.",
    "Trasigt staket mot E6, ca 40 m behöver lagas.",
    "Brand i papperskorg vid Stortorget, släckt av personal.",
    "Höll öppet på fritidsgården 18–22, 35 besökare, lugnt.",
    "Överenskommelse med Trafikverket om belysning på trafikplats Vellinge södra.",
    "Vi har skickat ärendet till teknisk förvaltning, dnr TN 2026/0457.",
    "Nedskräpning kring Coop Forum efter stängning, 10 säckar.",
    "Vandalisering av lekplatsen vid Gustav Adolfs kyrka i helgen.",
    "Övervakningskamera 3 av 8 ur funktion sedan 2026-10-02.",
    "Gatlyktor släckta mellan Östra Grevie och Vellinge, cirka 1,5 km.",
    "Fyrverkerier avfyrade mot fasad på Sankt Johannesgatan.",
    "Trygghetsmätningen visar 62 % trygga, mot 58 % förra året.",
    "Cirka 60 ungdomar vid Frölunda torg på lördagskvällen.",
    "Skolans rektor och fältgruppen har haft möte om läget kring Sten Sturegatan.",
    "Misstänkt langning vid Nils Ericsonplatsen, rapporterat till polisen.",
    "Anmält via Tyck till, referens 2026-4411.",
    "Hundägare har hittat sprutor vid Ramels väg, 3 st.",
    "Personalen på biblioteket vid Clemenstorget upplever otrygghet efter 19.00.",
    "Åtgärd: röjning av buskage längs Ystadvägen, klart vecka 12.",
    "Bilar kör mot rött vid Vasaplatsen enligt boende.",
    "Trapphusen på Carl Gustafs väg har klottrats igen.",
    # Numbers, dates, times and abbreviations that must not be taken for personal data.
    "Skolan öppnar kl 07.45–08.15, vakt mellan 07.30-08.00.",
    "Enligt fastighetsägaren uppstod skadorna 05-06-2026.",
    "Halt, mellan 0 och 3 grader på morgonen, 0-18 år i gruppen.",
    "Koordinater 57.398996,14.665814 enligt appen.",
    "Faktura 0012345 betald, kundnummer 44 120 311.",
    "Telefontid 08.00–09.00, öppet lör 10–14.",
    "Bussarna linje 150 och 170 stannar inte vid hållplatsen efter 22.",
    "Väg 108, Rv 40, E22 och länsväg 511 nämns i trafikrapporten.",
    "Lgh 1102, hus B, plan 3 i kvarteret Gripen 4.",
    "Fastigheten Vellinge Skanör 12:34 har fått nytt staket.",
    "Dnr KS 2026/123, SFS 2018:558 och BRÅ 2025:7 styr arbetet.",
    "Under vecka 47–48 (v.47) patrullerade väktare kl. 0300.",
    "Föraren hade 0,8 promille och körde 120 km/h på 70-väg.",
    "Ljudnivån mättes till 90 dB vid 23-tiden.",
    "Ring 112 vid fara, 114 14 för tips och 1177 för vård.",
    "Bråket gällde en 18-åring och två i 15-16-årsåldern.",
    "Totalt kom 120 personer, det tog 100 minuter och typ 100 stannade kvar.",
    "Det var 200 deltagare och 300 meter kö.",
    "Kostnaden blev SEK 4 500, eller ca EUR 400.",
    "Nästan 30 % av svaren i NTU 2025 gällde cykelstölder.",
    "Ersättning betalas till bankgiro 5050-1055.",
    "Matchen slutade 3-1, 2 000 åskådare, inga incidenter.",
    "Sprängämne motsvarande 0,5 kg enligt NOA.",
    "Möte 2026-11-24 kl. 09:30–11:00 i KS-salen, 3 tr.",
    "Tidsperiod 2026-09-01–2026-11-30, 91 dagar.",
    "Larmet gick 21:07:45 och väktaren var på plats 21:19.",
    "Kameran filmar i 1080p, 25 fps, lagring 72 h.",
    "SMS 112 går att använda för den som inte kan ringa.",
    "GPS 100 meter fel i appen, platsen justerades.",
    "Ärendet registrerades som 2026-0131 hos fastighetsbolaget.",
    "Astrid Lindgrens värld och Sofia kyrka nämndes som exempel.",
    "Lekplatsen vid Gustav Adolfs kyrka har fått ny belysning.",
    "Maria Magdalena kyrka och Hedvig Eleonora kyrka deltog i nattvandringen.",
    "Elever från Karl Johansskolan och Per Brahegymnasiet var med.",
    "Fältgruppen var i Kronprinsens park och vid Lilla Berg.",
    "Tips från anonym boende om langning vid Stora Holm.",
    "Bostadsbolaget MKB har 12 lägenheter tomma på Rosengård.",
    "Mellan 2025 och 2026 minskade anmälningarna med 12 %.",
    "Öppet hus 14.00-16.00 i fritidsgården, fika 20 kr.",
    "Skylt med hastighet 30 uppsatt, tidigare 50.",
    "Inbrott på Astrid Lindgren-skolan, larm till Hugo Boss-butiken i gallerian.",
    "Otrygghet vid Karin Boyes bibliotek och i Kvarteret Ellen Key på kvällarna.",
    # Known to be flagged: businesses named after people and first names used as words.
    "Lars Hanssons Bageri på torget hade inbrott i natt.",
    "Per Capita räknat är anmälningarna färre än i grannkommunen.",
    "Maria Magdalena församling ordnar nattvandring med 12 vuxna.",
    "Väktare på plats kl 0700-0800 och 2100 – 2300 alla vardagar.",
    "Anmälan kom in 03 11 2026 och åtgärdades 0900-1200 dagen efter.",
]
# Member texts generated from templates; {s} a street, {n}, {m} small numbers, {h} an hour.
MEMBER_TEMPLATES = [
    "Klotter på fasaden vid {s}, ca {n} kvm.",
    "Trasig belysning på {s}, {n} lampor släckta sedan vecka {w}.",
    "Ungdomar samlas vid {s} efter kl. {h}, ca {m} personer.",
    "Nedskräpning vid {s}, {n} säckar plockade.",
    "Skadegörelse på busskur vid {s}, kostnad {k} kr.",
    "Boende vid {s} upplever otrygghet mellan {h}.00 och {h2}.00.",
    "Bilbrand på parkeringen vid {s} natten mot lördag.",
    "Stölder ur förråd på {s}, {n} anmälda senaste månaden.",
    "Trygghetsvandring runt {s} {h}:30, {m} deltagare.",
    "Mopeder kör på gångbanan längs {s}, främst {h}–{h2}.",
    "Nya kameror uppsatta vid {s} ({n} st).",
    "Glas och fimpar vid {s} efter helgen, städat {d}.",
]


def _streets(rng: random.Random) -> tuple[str, str, str, str]:
    city = rng.choice(sorted(STREETS))
    s, t = rng.sample(STREETS[city], 2)
    return city, s, t, rng.choice(DISTRICTS[city])


def clean_texts(count: int = 900) -> list[str]:
    """Written police summaries and member reports without personal data."""
    rng = random.Random(SEED)
    texts = list(POLICE_WRITTEN) + list(MEMBER_WRITTEN)
    while len(texts) < count:
        city, s, t, d = _streets(rng)
        if rng.random() < 0.6:
            texts.append(rng.choice(POLICE_TEMPLATES).format(s=s, t=t, d=d, c=city))
        else:
            h = rng.randint(17, 22)
            day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 330))
            texts.append(
                rng.choice(MEMBER_TEMPLATES).format(
                    s=s,
                    n=rng.randint(2, 30),
                    m=rng.randint(5, 60),
                    w=rng.randint(1, 52),
                    h=h,
                    h2=h + 2,
                    k=f"{rng.randint(1, 90) * 500:,}".replace(",", " "),
                    d=day.isoformat(),
                )
            )
    return texts


@dataclass(frozen=True)
class Sample:
    text: str  # the sentence
    item: str  # the personal data inside it
    kind: str  # the privacy kind it must be found as


def _luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


PNR_FORMS = [
    "{yy}{md}-{s}",
    "{yy}{md}{s}",
    "{yy}{md} {s}",
    "{yy}{md} - {s}",
    "{yy}{md} -{s}",
    "{yy}{md}- {s}",
    "{cc}{yy}{md}-{s}",
    "{cc}{yy}{md}{s}",
    "{cc}{yy}{md} {s}",
    "{cc}{yy}{md} - {s}",
]
PNR_CONTEXTS = [
    "Personen uppgav {x} till patrullen.",
    "pnr {x}",
    "{x}",
    "Anmälare: {x}, boende i området.",
    "Den misstänkte ({x}) släpptes.",
    "Personnummer {x} noterat i anteckningen.",
]


def personnummer(count: int = 3000) -> list[Sample]:
    """Valid personnummer and samordningsnummer (a third), every 29 February from 1904 to 2024
    among them, in every written form."""
    rng = random.Random(SEED + 1)
    leap_days = [dt.date(y, 2, 29) for y in range(1904, 2025, 4)]
    start, span = dt.date(1900, 1, 1), (dt.date(2025, 12, 31) - dt.date(1900, 1, 1)).days
    samples = []
    for i in range(count):
        born = leap_days[i] if i < len(leap_days) else start + dt.timedelta(rng.randint(0, span))
        day = born.day + (60 if rng.random() < 1 / 3 else 0)
        yy, md = f"{born.year % 100:02d}", f"{born.month:02d}{day:02d}"
        three = f"{rng.randint(0, 999):03d}"
        serial = three + _luhn_digit(yy + md + three)
        form = PNR_FORMS[i % len(PNR_FORMS)]
        if born.year < 1926 and "{cc}" not in form:
            form = form.replace("-", "+")  # a hundred years or older: +
        item = form.format(cc=born.year // 100, yy=yy, md=md, s=serial)
        samples.append(Sample(rng.choice(PNR_CONTEXTS).format(x=item), item, "personnummer"))
    return samples


PHONE_CONTEXTS = [
    "Ring {x} vid frågor.",
    "tel. {x}",
    "Kontakt: {x}",
    "Anmälaren ({x}) vill bli uppringd.",
    "mobil {x}, kvällstid",
    "Nås på {x} eller via växeln.",
]
AREA_CODES = ["08", "011", "013", "018", "019", "021", "031", "035", "036", "040", "042", "046",
              "054", "060", "090", "0410", "0411", "0470", "0500", "0660"]  # fmt: skip


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _mobile(rng: random.Random, form: int) -> str:
    pre = rng.choice(["70", "72", "73", "76", "79"])
    d = _digits(rng, 7)
    a, b, c = d[:3], d[3:5], d[5:]
    return [
        f"0{pre}-{a} {b} {c}",
        f"0{pre}-{d}",
        f"0{pre} {a} {b} {c}",
        f"0{pre}{d}",
        f"0{pre}-{d[:2]} {d[2:4]} {d[4:]}",
        f"(0{pre}) {a} {b} {c}",
        f"(0{pre})-{a} {b} {c}",
        f"+46 {pre} {a} {b} {c}",
        f"+46 (0){pre}-{a} {b} {c}",
        f"+46{pre}{d}",
        f"0046 {pre} {a} {b} {c}",
        f"0{pre} - {a} {b} {c}",
        f"0{pre}–{a} {b} {c}",
        f"+46-{pre}-{d}",
    ][form % 14]


def _landline(rng: random.Random, form: int) -> str:
    area = rng.choice(AREA_CODES)
    size = {2: rng.choice([6, 7, 8]), 3: rng.choice([6, 7]), 4: rng.choice([5, 6])}[len(area)]
    d = _digits(rng, size)
    grouped = _group(d)
    return [
        f"{area}-{grouped}",
        f"{area}-{d}",
        f"{area} {grouped}",
        f"({area}) {grouped}",
        f"+46 {area[1:]} {grouped}",
        f"{area}{d}",
    ][form % 6]


def _group(d: str) -> str:
    """Swedish grouping: pairs from the end, a leading group of three when odd."""
    head = 3 if len(d) % 2 else 2
    return " ".join([d[:head]] + [d[i : i + 2] for i in range(head, len(d), 2)])


def phones(count: int = 2000) -> list[Sample]:
    rng = random.Random(SEED + 2)
    samples = []
    for i in range(count):
        # every other item a mobile number: each kind cycles through all of its forms
        item = _mobile(rng, i // 2) if i % 2 == 0 else _landline(rng, i // 2)
        samples.append(Sample(rng.choice(PHONE_CONTEXTS).format(x=item), item, "telefonnummer"))
    return samples


FIRST = ["anna", "erik", "k", "m", "sara", "johan", "björn", "li", "ole-jakob", "emma"]
LAST = ["svensson", "andersson", "lind", "nguyen", "al-hassan", "berg", "ek", "karlsson"]
DOMAINS = ["vellinge.se", "gmail.com", "polisen.se", "hotmail.com", "outlook.com", "telia.com",
           "student.uu.se", "malmo.se", "bredband.net", "mail.example.org"]  # fmt: skip
EMAIL_CONTEXTS = [
    "Mejla {x} för mer information.",
    "Kontakt: {x}",
    "Tipset kom från {x} i går.",
    "Skicka bilder till <{x}>.",
    "e-post: {x}, svarar kvällstid",
]


def emails(count: int = 1500) -> list[Sample]:
    rng = random.Random(SEED + 3)
    samples = []
    for i in range(count):
        first, last, domain = rng.choice(FIRST), rng.choice(LAST), rng.choice(DOMAINS)
        local = [
            f"{first}.{last}",
            f"{first}{last}{rng.randint(1, 99)}",
            f"{first}_{last}",
            f"{first[0]}{last}",
            f"{first}+est",
            f"{first}.{last}".upper(),
        ][i % 6]
        at = ["@", "@", "@", "@", " (at) ", "[at]"][rng.randint(0, 5)]
        item = f"{local}{at}{domain}"
        samples.append(Sample(rng.choice(EMAIL_CONTEXTS).format(x=item), item, "e-postadress"))
    return samples


PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUWXYZ"  # no I, Q, V, Å, Ä, Ö
PLATE_LAST_LETTERS = PLATE_LETTERS.replace("O", "")
PLATE_CONTEXTS = [
    "Bilen {x} stod parkerad hela natten.",
    "reg.nr {x}",
    "En vit Volvo med registreringsnummer {x} körde därifrån.",
    "{x} sågs köra runt skolan flera gånger.",
    "Mopedbilen ({x}) saknade lyse.",
    "Anmälan gäller fordonet {x}, se bild.",
]


def plates(count: int = 2000) -> list[Sample]:
    rng = random.Random(SEED + 4)
    samples = []
    for i in range(count):
        letters = "".join(rng.choice(PLATE_LETTERS) for _ in range(3))
        tail = f"{rng.randint(0, 99):02d}" + (
            rng.choice(PLATE_LAST_LETTERS) if i % 3 == 2 else str(rng.randint(0, 9))
        )
        sep = ["", " ", "-"][i % 3 if i % 9 < 3 else (i // 3) % 3]
        item = f"{letters}{sep}{tail}"
        if i % 4 == 1:
            item = item.lower()
        context = rng.choice(PLATE_CONTEXTS)
        if context.startswith("{x}") and i % 4 == 3:
            item = item.capitalize()  # a sentence that begins with the plate
        samples.append(Sample(context.format(x=item), item, "registreringsnummer"))
    return samples
