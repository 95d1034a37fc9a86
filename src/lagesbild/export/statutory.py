"""Lägesbild och åtgärdsplan: the document the municipality's crime-prevention duty asks for
(lag (2023:196) om kommuners ansvar för brottsförebyggande arbete). It holds the lägesbild –
the problem picture with its data sources and period – the analysis built on it, and the
action plan derived from it with owners, time frames and follow-up. As PDF and Word, so the
municipality can add its own text before the document goes to the council."""

from __future__ import annotations

import pandas as pd

from lagesbild import fmt
from lagesbild.analysis import narrative
from lagesbild.export import blocks, word
from lagesbild.export import summary as report
from lagesbild.export.blocks import Section
from lagesbild.queries.summary import RISK_DAYS, Summary

TITLE = "Lägesbild och åtgärdsplan"
PLAN_COLUMNS = ["Åtgärd", "Ansvarig organisation", "Område", "Start", "Klart senast", "Status"]
PLAN_WIDTHS = [0.28, 0.17, 0.14, 0.125, 0.125, 0.16]


def _introduction(s: Summary, forum: str) -> Section:
    return Section(
        "1. Inledning",
        [
            f"Detta dokument är lägesbilden för {s.label} från {forum} och den åtgärdsplan "
            "som bygger på den, enligt lagen (2023:196) om kommuners ansvar för "
            "brottsförebyggande arbete. Lägesbilden är framtagen ur det gemensamma underlag "
            "som forumets organisationer rapporterar enligt EST-metoden (Effektiv samordning "
            "för trygghet); analysen och åtgärdsplanen har tagits fram i forumets möten.",
            "Lägesbilden beskriver platser och händelser, aldrig enskilda personer.",
        ],
    )


def _sources(s: Summary) -> Section:
    return Section("2.1 Underlag och period", report.source_blocks(s), level=2)


def _picture(s: Summary) -> list[Section]:
    sections = [_sources(s)]
    for number, section in enumerate(report.picture_sections(s), start=2):
        sections.append(Section(f"2.{number} {section.heading}", section.blocks, level=2))
    return sections


def _analysis(s: Summary) -> Section:
    content: list = [narrative.sentences(s, RISK_DAYS)]
    if s.patterns:
        content += ["Tid på dygnet och veckan:", s.patterns]
    content.append(
        "Varje mening ovan bygger på en siffra i lägesbilden. Forumets bedömning av orsaker "
        "och prioriteringar skrivs in här innan dokumentet fastställs."
    )
    return Section("3. Analys", content)


def plan_rows(plan: pd.DataFrame) -> pd.DataFrame:
    """The current action plan in the columns the law's follow-up needs."""
    return pd.DataFrame(
        {
            "Åtgärd": [
                t + (" (medborgarlöfte)" if promise else "")
                for t, promise in zip(plan["Åtgärd"], plan["Medborgarlöfte"], strict=True)
            ],
            "Ansvarig organisation": plan["Ansvarig organisation"],
            "Område": plan["Område"],
            "Start": plan["Start"],
            "Klart senast": plan["Klart senast"],
            "Status": plan["Status"],
        }
    )


def _plan(plan: pd.DataFrame) -> Section:
    if plan.empty:
        return Section(
            "4. Åtgärdsplan",
            ["Det finns inga föreslagna, beslutade eller pågående åtgärder."],
        )
    return Section(
        "4. Åtgärdsplan",
        [
            f"{fmt.integer(len(plan))} föreslagna, beslutade och pågående åtgärder, per område "
            "och ansvarig organisation. Varje åtgärd har en ansvarig organisation och ett "
            "datum då den ska vara klar.",
            report.as_table(plan_rows(plan), PLAN_WIDTHS),
        ],
    )


def _follow_up(s: Summary) -> Section:
    return Section(
        "5. Uppföljning",
        [
            "Åtgärderna följs upp vid forumets möten, där varje ändring av status sparas med "
            "datum och kommentar. När en åtgärd med en plats är klar mäts effekten: "
            "händelserna på platsen före och efter jämförs med utvecklingen i resten av "
            "kommunen under samma veckor. Lägesbilden och planen revideras nästa period.",
            *report.action_blocks(s),
        ],
    )


def sections(s: Summary, plan: pd.DataFrame, forum: str) -> list[Section]:
    return [
        _introduction(s, forum),
        Section("2. Lägesbild", []),
        *_picture(s),
        _analysis(s),
        _plan(plan),
        _follow_up(s),
    ]


def to_pdf(s: Summary, plan: pd.DataFrame, forum: str) -> bytes:
    from lagesbild.export.pdf import Document  # reportlab: only when a PDF is made

    return blocks.to_pdf(Document(TITLE, forum, s.label, made=s.today), sections(s, plan, forum))


def to_docx(s: Summary, plan: pd.DataFrame, forum: str) -> bytes:
    return word.to_docx(TITLE, forum, s.label, s.today, sections(s, plan, forum))
