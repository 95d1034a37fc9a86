"""The Kvartal page's parts: choosing the period, the figures and the report files."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lagesbild import fmt, labels, periods
from lagesbild.actor import Actor
from lagesbild.analysis import narrative
from lagesbild.export import summary as report
from lagesbild.periods import ReportPeriod
from lagesbild.queries.summary import RISK_DAYS, Summary
from lagesbild.services import exports
from lagesbild.ui import charts, tables
from lagesbild.ui.context import AppContext
from lagesbild.ui.data import Lookups

PARAM = "period"
KIND_NAMES = {"kvartal": "Kvartal", "tertial": "Tertial", "ar": "År"}
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _from_address(today: dt.date) -> ReportPeriod | None:
    code = st.query_params.get(PARAM)
    if not code:
        return None
    try:
        period = periods.parse(code)
    except ValueError:
        st.warning(
            f"Perioden ”{fmt.md_escape(code[:40])}” i länken kunde inte läsas; den senaste "
            "hela perioden visas.",
            icon=":material/link_off:",
        )
        return None
    if period.first_day > today:
        st.warning(
            f"{period.name} har inte börjat än; den senaste hela perioden visas.",
            icon=":material/link_off:",
        )
        return None
    return period


def period_picker(today: dt.date, first: dt.date | None) -> ReportPeriod:
    """Kind and period, remembered in the address (?period=2026-K3) for a shared link."""
    linked = _from_address(today)
    if linked is not None and "sum_kind" not in st.session_state:
        st.session_state["sum_kind"] = KIND_NAMES[linked.kind]
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    kind_name = left.segmented_control(
        "Period", list(KIND_NAMES.values()), default="Kvartal", key="sum_kind"
    )
    kind = {v: k for k, v in KIND_NAMES.items()}[kind_name or "Kvartal"]
    options = periods.choices(kind, today, first)
    if linked is not None and linked.kind == kind and linked not in options:
        options.append(linked)
    default = linked if linked is not None and linked.kind == kind else None
    default = default or periods.latest_complete(kind, today)
    chosen = right.selectbox(
        "Vilken",
        options,
        index=options.index(default) if default in options else 0,
        format_func=lambda p: p.label(today),
        key=f"sum_period_{kind}",
    )
    st.query_params[PARAM] = chosen.code
    return chosen


def key_figures(s: Summary) -> None:
    t, a = s.totals, s.actions
    names = report.column_names(s)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        "Händelser",
        fmt.integer(t["current"]),
        delta=f"{t['current'] - t['previous']:+d}",
        delta_description=f"mot {s.period.previous_label()}",
        delta_color="inverse",
        border=True,
    )
    c2.metric(
        names["last_year"],
        fmt.integer(t["last_year"]),
        delta=f"{t['current'] - t['last_year']:+d}",
        delta_description="perioden mot i fjol",
        delta_color="inverse",
        border=True,
    )
    c3.metric("Hot spots vid periodens slut", fmt.integer(len(s.hotspots)), border=True)
    c4.metric(
        "Åtgärder klara",
        fmt.integer(a["completed"]),
        delta=f"{fmt.integer(a['decided'])} beslutade, {fmt.integer(a['overdue'])} försenade",
        delta_color="off",
        delta_arrow="off",
        border=True,
    )


def summary_text(s: Summary) -> None:
    st.subheader("Sammanfattning")
    st.markdown("\n".join(f"- {fmt.md_escape(line)}" for line in narrative.sentences(s, RISK_DAYS)))
    st.caption(
        "Texten är skriven ur siffrorna på sidan; varje mening går att följa till en siffra."
    )


def charts_and_tables(s: Summary, lookups: Lookups) -> None:
    if s.empty:
        st.info(
            f"Inga händelser rapporterades under {s.label} "
            f"({report.span(s.window)}). Välj en annan period.",
            icon=":material/event_busy:",
        )
        return
    colours = dict(zip(lookups.groups["name"], lookups.groups["colour"], strict=True))
    bucket_label = "Månad" if s.bucket == "month" else "Vecka"
    st.subheader(f"Händelser per {bucket_label.lower()}")
    names = {g: g for g in s.trend["group"].unique()}
    st.plotly_chart(
        charts.trend_bars(s.trend, "group", names, colours, bucket_label),
        config={"displayModeBar": False},
        key="sum_trend",
    )
    if s.bucket == "week":
        st.caption("Första och sista veckan ligger bara delvis i perioden.")
    st.subheader("Kategorigrupper")
    tables.show(report.key_figures(s))
    st.subheader("Områden")
    tables.show(report.compared(s, s.areas, "area", "Område"))
    left, right = st.columns(2, gap="large")
    left.subheader(f"Ökade mest mot {s.period.previous_label()}")
    with left:
        _table_or(report.places(s, s.rising), "Ingen plats ökade.")
    right.subheader("Minskade mest")
    with right:
        _table_or(report.places(s, s.falling), "Ingen plats minskade.")
    st.subheader("Hot spots vid periodens slut")
    st.caption(
        f"{report.hotspot_window(s)}: platser där rapporterna ligger klart över platsens "
        "normala nivå (de 52 veckorna före). Samma regel som sidan Hot spots, som beskriver den."
    )
    _table_or(report.hotspot_table(s), "Ingen plats pekades ut som ny eller eskalerande.")


def _table_or(df, empty: str) -> None:
    if df.empty:
        st.caption(empty)
    else:
        tables.show(df)


def actions_and_risks(s: Summary) -> None:
    st.subheader("Åtgärder")
    a = s.actions
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Beslutade under perioden", fmt.integer(a["decided"]))
    c2.metric("Klara under perioden", fmt.integer(a["completed"]))
    c3.metric(
        "Försenade i dag",
        fmt.integer(a["overdue"]),
        help=f"Försenad: {labels.OVERDUE_MEANING}.",
    )
    c4.metric("Öppna i dag", fmt.integer(a["open"]))
    st.markdown("**Klara under perioden och deras mätta effekt**")
    _table_or(report.completed_table(s), "Ingen åtgärd blev klar under perioden.")
    if len(s.overdue):
        st.markdown("**Försenade**")
        tables.show(report.overdue_table(s))
    st.subheader(f"Arrangemang och riskperioder de kommande {RISK_DAYS} dagarna")
    _table_or(report.risk_table(s), "Inga arrangemang eller riskperioder är inlagda.")
    with st.expander("Om underlaget", icon=":material/info:"):
        for block in report.source_blocks(s):
            if isinstance(block, str):
                st.markdown(fmt.md_escape(block))
        _table_or(report.source_table(s), "Inga rapporter under perioden.")


def downloads(ctx: AppContext, actor: Actor, s: Summary) -> None:
    """The report files, made when clicked and recorded in the audit log."""
    args = (ctx.engine, actor, s, ctx.forum_name)
    # Short, distinct labels (a column is narrow on a laptop); the full name is the tooltip.
    files = [
        ("Lägesrapport (PDF)", "summary", "pdf", ":material/picture_as_pdf:"),
        ("Tabeller (Excel)", "summary", "xlsx", ":material/table:"),
        ("Åtgärdsplan (PDF)", "statutory", "pdf", ":material/gavel:"),
        ("Åtgärdsplan (Word)", "statutory", "docx", ":material/description:"),
    ]
    names = {
        "summary": "Lägesrapporten med diagram, karta och tabeller",
        "statutory": "Lägesbild och åtgärdsplan enligt lagen (2023:196)",
    }
    formats = {"pdf": "PDF", "xlsx": "Excel", "docx": "Word"}
    stems = {"summary": "lagesrapport", "statutory": "lagesbild-och-atgardsplan"}
    columns = st.columns(len(files))
    for column, (label, document, file_format, icon) in zip(columns, files, strict=True):
        column.download_button(
            label,
            lambda d=document, f=file_format: exports.report_file(*args, d, f),
            file_name=f"{stems[document]}-{s.period.code}.{file_format}",
            mime=MIME[file_format],
            icon=icon,
            key=f"sum_{document}_{file_format}",
            on_click="ignore",
            width="stretch",
            help=f"{names[document]}, som {formats[file_format]}.",
        )
    st.caption(
        "Lägesbild och åtgärdsplan följer lagen (2023:196) om kommuners ansvar för "
        "brottsförebyggande arbete: lägesbilden med underlag och period, analysen och "
        "åtgärdsplanen med ansvariga, tidsramar och uppföljning. Wordfilen går att komplettera "
        "innan den fastställs. Varje nedladdning loggas."
    )
