"""The periodic summary for leadership as tables (the page and Excel share them) and as a
printed report (PDF, A4), all from one `queries.summary.Summary`."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lagesbild import fmt, labels
from lagesbild.analysis import hotspots, narrative
from lagesbild.export import blocks, tables
from lagesbild.export.blocks import Figure, Section, Table
from lagesbild.queries.summary import RISK_DAYS, Summary

TITLE = "Lägesrapport"
MAP_WIDTH = 0.9  # share of the text width: large enough to read, small enough to share a page


def column_names(s: Summary) -> dict[str, str]:
    return {
        "current": "Perioden",
        "previous": s.period.previous_label().capitalize(),
        "last_year": "Samma period i fjol",
    }


def span(window) -> str:
    return f"{fmt.date(window.start)} – {fmt.date(window.end - dt.timedelta(days=1))}"


def _change(now: int, before: int) -> str:
    if not before:
        return "–"
    return fmt.percent(round((now - before) / before, 2), signed=True).replace(
        f"−0{fmt.NBSP}%", f"0{fmt.NBSP}%"
    )


def key_figures(s: Summary) -> pd.DataFrame:
    t = s.totals
    rows = [
        ["Händelser", t["current"], t["previous"], t["last_year"]],
        *[
            [f"– {r.group}", int(r.current), int(r.previous), int(r.last_year)]
            for r in s.groups.itertuples()
        ],
    ]
    df = pd.DataFrame(rows, columns=["Mått", *column_names(s).values()])
    names = list(column_names(s).values())
    df["Förändring mot föregående"] = [
        _change(a, b) for a, b in zip(df[names[0]], df[names[1]], strict=True)
    ]
    df["Förändring mot i fjol"] = [
        _change(a, b) for a, b in zip(df[names[0]], df[names[2]], strict=True)
    ]
    return df


def compared(s: Summary, df: pd.DataFrame, name: str, title: str) -> pd.DataFrame:
    return df.rename(columns={name: title, **column_names(s)})


def places(s: Summary, df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Plats": df["place"],
            column_names(s)["previous"]: df["previous"].astype(int),
            "Perioden": df["current"].astype(int),
            "Förändring": df["change"].astype(int),
        }
    )


def hotspot_window(s: Summary) -> str:
    """The hot spots' window in words: the Hot spots page's, ending with the period's last
    day (today, for a period under way)."""
    last = s.window.end - dt.timedelta(microseconds=1)
    return f"Hot spots, {hotspots.window_name(s.hotspot_rule)} till och med {fmt.date(last)}"


def hotspot_table(s: Summary) -> pd.DataFrame:
    h = s.hotspots
    return pd.DataFrame(
        {
            "Plats": h["name"],
            "Läge": h["status"],
            f"Rapporter {hotspots.window_name(s.hotspot_rule)}": h["recent"].astype(int),
            "Normalt": h["expected"].astype(float).round(1),
            "Säkerhet": h["certainty"],
        }
    )


def action_figures(s: Summary) -> pd.DataFrame:
    a = s.actions
    return pd.DataFrame(
        {
            "Mått": [
                "Beslutade under perioden",
                "Klara under perioden",
                "Försenade i dag",
                "Öppna i dag",
            ],
            "Antal": [a["decided"], a["completed"], a["overdue"], a["open"]],
        }
    )


def completed_table(s: Summary) -> pd.DataFrame:
    c = s.completed
    return pd.DataFrame(
        {
            "Åtgärd": c["title"],
            "Ansvarig": c["owner"],
            "Plats": c["where"],
            "Klar": c["closed_at"].map(fmt.date),
            "Effekt": c["verdict"],
        }
    )


def overdue_table(s: Summary) -> pd.DataFrame:
    o = s.overdue
    return pd.DataFrame(
        {
            "Åtgärd": o["title"],
            "Ansvarig": o["owner"],
            "Plats": o["where"],
            "Skulle vara klar": o["due_date"].map(fmt.date),
        }
    )


def risk_table(s: Summary) -> pd.DataFrame:
    r = s.risks
    kinds = {k.value: v for k, v in labels.EVENT_KIND.items()}
    impact = {k.value: v for k, v in labels.IMPACT.items()}
    return pd.DataFrame(
        {
            "När": [fmt.span(a, b) for a, b in zip(r["starts_at"], r["ends_at"], strict=True)],
            "Vad": r["title"],
            "Typ": r["kind"].map(kinds),
            "Var": r["where"],
            "Förväntad påverkan": r["expected_impact"].map(impact),
        }
    )


def source_table(s: Summary) -> pd.DataFrame:
    return s.sources.rename(columns={"organisation": "Organisation", "occurrences": "Händelser"})


def trend_table(s: Summary) -> pd.DataFrame:
    df = s.trend.pivot_table(
        index="bucket", columns="group", values="occurrences", aggfunc="sum", fill_value=0
    ).reset_index()
    label = "Månad" if s.bucket == "month" else "Vecka som börjar"
    return df.rename(columns={"bucket": label}).rename_axis(columns=None)


def sheets(s: Summary) -> dict[str, pd.DataFrame]:
    """The report's tables, for Excel."""
    return {
        "Sammanfattning": pd.DataFrame({"Sammanfattning": narrative.sentences(s, RISK_DAYS)}),
        "Nyckeltal": key_figures(s),
        "Områden": compared(s, s.areas, "area", "Område"),
        "Trend": trend_table(s),
        "Ökade platser": places(s, s.rising),
        "Minskade platser": places(s, s.falling),
        "Hot spots": hotspot_table(s),
        "Åtgärder": action_figures(s),
        "Klara åtgärder": completed_table(s),
        "Försenade åtgärder": overdue_table(s),
        "Kommande riskperioder": risk_table(s),
        "Underlag": source_table(s),
    }


def to_excel(s: Summary, forum: str) -> bytes:
    return tables.to_excel(sheets(s), title=f"{TITLE} {s.label} – {forum}")


# --- the printed report ------------------------------------------------------------------------


def as_table(df: pd.DataFrame, widths: list[float] | None = None) -> Table:
    """A DataFrame as a document table: numbers in Swedish form and right-aligned (changes,
    written as text, too)."""
    numeric = frozenset(
        i
        for i, c in enumerate(df.columns)
        if pd.api.types.is_numeric_dtype(df[c]) or str(c).startswith("Förändring")
    )
    rows = [
        [_number(v) if i in numeric else v for i, v in enumerate(row)]
        for row in df.itertuples(index=False)
    ]
    return Table([str(c) for c in df.columns], rows, numeric, widths)


def _number(value) -> str:
    if isinstance(value, str):
        return value
    return fmt.integer(value) if float(value).is_integer() else fmt.decimal(value)


def _arrows(df: pd.DataFrame) -> pd.DataFrame:
    """A printed change reads at a glance with its arrow: '↑ 40', '↓ 101'."""
    return df.assign(Förändring=df["Förändring"].map(fmt.change))


def _period_labels(s: Summary) -> tuple[str, str, str]:
    names = column_names(s)
    return (s.period.name, names["previous"], names["last_year"])


def picture_sections(s: Summary) -> list[Section]:
    """Figures, areas, places and hot spots: shared by this report and the lägesbild."""
    # The drawing libraries are loaded when a document is made, not by Kvartal's tables.
    from lagesbild.export import figures

    if s.empty:
        return [
            Section(
                "Händelser",
                [
                    f"Inga händelser rapporterades under perioden ({span(s.window)}). "
                    "Det finns därför inga diagram eller tabeller över händelser i rapporten."
                ],
            )
        ]
    development: list = [
        as_table(key_figures(s), [0.34, 0.12, 0.14, 0.14, 0.13, 0.13]),
        Figure(
            figures.trend(s.trend, s.bucket),
            f"Händelser per {'månad' if s.bucket == 'month' else 'vecka'} och kategorigrupp, "
            f"{span(s.window)}."
            + (
                " Första och sista veckan ligger bara delvis i perioden."
                if s.bucket == "week"
                else ""
            ),
        ),
        Figure(
            figures.comparison(s.groups, "group", _period_labels(s)),
            "Kategorigrupper: perioden, perioden före och samma period i fjol.",
        ),
    ]
    rising, falling = _arrows(places(s, s.rising)), _arrows(places(s, s.falling))
    place_blocks: list = []
    place_blocks += ["Ökade mest:", as_table(rising)] if len(rising) else ["Ingen plats ökade."]
    place_blocks += (
        ["Minskade mest:", as_table(falling)] if len(falling) else ["Ingen plats minskade."]
    )
    hot: list = (
        [
            f"{hotspot_window(s)}: platser där rapporterna ligger klart över platsens "
            "normala nivå (de 52 veckorna före).",
            as_table(hotspot_table(s)),
        ]
        if len(s.hotspots)
        else [f"{hotspot_window(s)}: ingen plats pekades ut som ny eller eskalerande."]
    )
    return [
        Section("Utveckling", development),
        *map_sections(s),
        Section("Områden", [as_table(compared(s, s.areas, "area", "Område"))]),
        Section("Platser som ökade och minskade", place_blocks),
        Section("Hot spots", hot),
    ]


def map_caption(s: Summary) -> str:
    m = s.map
    side = f"{fmt.integer(m.cell_metres)}{fmt.NBSP}m"
    text = (
        f"Händelser {span(s.window)} per ruta om {side} × {side}"
        + (f" i {m.municipality} kommun" if m.municipality and m.boundary else "")
        + f": {fmt.counted(m.placed, 'händelse', 'händelser')} med exakt position."
    )
    if m.unplaced:
        text += (
            f" {fmt.integer(m.unplaced)} utan exakt position (bara område eller ungefärlig "
            "plats) finns inte på kartan."
        )
    if len(s.hotspots):
        text += (
            f" Trianglarna är platserna som pekades ut som nya eller eskalerande de sista "
            f"{s.hotspot_rule.recent_days} dagarna av perioden (tabellen Hot spots)."
        )
    return text


def map_sections(s: Summary) -> list[Section]:
    """The map of the period, drawn from the data: boundary, areas, density, hot spots."""
    from lagesbild.export import maps  # matplotlib: only when a document is made

    if s.map is None:
        return []
    png = maps.period_map(s.map, s.hotspots)
    if png is None:
        return []
    return [Section("Karta över perioden", [Figure(png, map_caption(s), MAP_WIDTH)])]


def action_blocks(s: Summary) -> list:
    out: list = [
        as_table(action_figures(s), [0.6, 0.2]),
        f"Försenad betyder att {labels.OVERDUE_MEANING}.",
    ]
    if len(s.completed):
        out += ["Klara åtgärder och deras mätta effekt:", as_table(completed_table(s))]
    if len(s.overdue):
        out += ["Försenade åtgärder:", as_table(overdue_table(s))]
    return out


def risk_blocks(s: Summary) -> list:
    if s.risks.empty:
        return [f"Inga arrangemang eller riskperioder de kommande {RISK_DAYS} dagarna."]
    return [as_table(risk_table(s), [0.22, 0.3, 0.14, 0.2, 0.14])]


def source_blocks(s: Summary) -> list:
    out: list = [
        f"Perioden {span(s.window)} jämförs med {span(s.previous)} och {span(s.last_year)}. "
        "Siffrorna räknar händelser (en rapport kan gälla flera). Händelser som rapportören "
        "tagit tillbaka räknas inte, och händelser med begränsad synlighet bara för den som "
        "får se dem.",
        f"Otrygga platser rapporterade under perioden: {fmt.integer(s.observations)}.",
    ]
    if len(s.sources):
        out += ["Rapporterande organisationer:", as_table(source_table(s), [0.6, 0.2])]
    return out


def sections(s: Summary) -> list[Section]:
    return [
        Section("Sammanfattning", [narrative.sentences(s, RISK_DAYS)]),
        *picture_sections(s),
        Section("Åtgärder", action_blocks(s)),
        Section("Kommande arrangemang och riskperioder", risk_blocks(s)),
        Section("Om underlaget", source_blocks(s)),
    ]


def to_pdf(s: Summary, forum: str) -> bytes:
    from lagesbild.export.pdf import Document  # reportlab: only when a PDF is made

    return blocks.to_pdf(Document(TITLE, forum, s.label, made=s.today), sections(s))
