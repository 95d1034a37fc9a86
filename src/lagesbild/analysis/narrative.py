"""The periodic summary in plain Swedish. Every sentence states a figure that is shown on the
Kvartal page and in its report, and nothing else: no sentence is written without its number."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from lagesbild import fmt
from lagesbild.analysis import hotspots

if TYPE_CHECKING:
    from lagesbild.queries.summary import Summary

EFFECT_DOWN = "Minskade"


def against(now: int, before: int, what: str) -> str:
    """'12 % fler än föregående kvartal (250)', 'lika många som …', or 'mot 0 …'."""
    if before == 0:
        return f"mot {fmt.integer(0)} {what}"
    if now == before:
        return f"lika många som {what} ({fmt.integer(before)})"
    share = abs(now - before) / before
    if round(share * 100) == 0:
        return f"ungefär lika många som {what} ({fmt.integer(before)})"
    word = "fler" if now > before else "färre"
    return f"{fmt.percent(share)} {word} än {what} ({fmt.integer(before)})"


def _totals(s: Summary) -> str:
    t = s.totals
    compared = against(t["current"], t["previous"], s.period.previous_label())
    if s.period.kind != "ar":  # for a year, the year before is both
        compared += f" och {against(t['current'], t['last_year'], 'samma period i fjol')}"
    return (
        f"Under {s.label} rapporterades {fmt.counted(t['current'], 'händelse', 'händelser')} "
        f"i {fmt.counted(s.reports, 'rapport', 'rapporter')} – {compared}."
    )


def _groups(s: Summary) -> list[str]:
    groups = s.groups[s.groups["current"] > 0]
    if groups.empty:
        return []
    top = groups.iloc[0]
    out = [
        f"Största kategorigrupp var {top['group']} med "
        f"{fmt.counted(int(top['current']), 'händelse', 'händelser')} "
        f"({fmt.percent(top['current'] / s.totals['current'])} av alla)."
    ]
    change = (s.groups["current"] - s.groups["last_year"]).astype(int)
    if change.max() > 0:
        row = s.groups.loc[change.idxmax()]
        out.append(
            f"{row['group']} ökade mest jämfört med samma period i fjol: "
            f"{fmt.integer(row['current'])} mot {fmt.integer(row['last_year'])}."
        )
    if change.min() < 0:
        row = s.groups.loc[change.idxmin()]
        out.append(
            f"{row['group']} minskade mest jämfört med samma period i fjol: "
            f"{fmt.integer(row['current'])} mot {fmt.integer(row['last_year'])}."
        )
    return out


def _areas(s: Summary) -> list[str]:
    areas = s.areas[s.areas["current"] > 0]
    if areas.empty:
        return []
    top = areas.iloc[0]
    return [
        f"Flest händelser rapporterades i {top['area']} "
        f"({fmt.integer(top['current'])}, {fmt.percent(top['current'] / s.totals['current'])})."
    ]


def _places(s: Summary) -> list[str]:
    out = []
    before = s.period.previous_label()
    if not s.rising.empty:
        r = s.rising.iloc[0]
        out.append(
            f"Störst ökning mot {before}: {r['place']} "
            f"({fmt.from_to(r['previous'], r['current'])})."
        )
    if not s.falling.empty:
        r = s.falling.iloc[0]
        out.append(f"Störst minskning: {r['place']} ({fmt.from_to(r['previous'], r['current'])}).")
    return out


def _hotspots(s: Summary) -> str:
    n = len(s.hotspots)
    last = s.window.end - dt.timedelta(microseconds=1)
    when = f"de {hotspots.window_name(s.hotspot_rule)} till och med {fmt.date(last)}"
    if n == 0:
        return f"Ingen plats pekades ut som ny eller eskalerande hot spot {when}."
    names = ", ".join(s.hotspots["name"].head(3)) + (" med flera" if n > 3 else "")
    if n == 1:
        return f"En plats pekades ut som ny eller eskalerande hot spot {when}: {names}."
    return (
        f"{fmt.integer(n)} platser pekades ut som nya eller eskalerande hot spots {when}: {names}."
    )


def _actions(s: Summary) -> list[str]:
    a = s.actions
    out = [
        f"{fmt.counted(a['decided'], 'åtgärd', 'åtgärder')} beslutades och "
        f"{fmt.integer(a['completed'])} blev klara under perioden; "
        f"{fmt.integer(a['overdue'])} av de öppna åtgärderna är försenade."
    ]
    down = int((s.completed["verdict"] == EFFECT_DOWN).sum()) if len(s.completed) else 0
    if down:
        out.append(
            f"Efter {fmt.integer(down)} av de klara åtgärderna "
            "minskade händelserna på platsen mätbart mer än i resten av kommunen."
        )
    return out


def _risks(s: Summary, days: int) -> str:
    if s.risks.empty:
        return f"Inga arrangemang eller riskperioder är inlagda för de kommande {days} dagarna."
    first = s.risks.iloc[0]
    coming = fmt.counted(
        len(s.risks), "arrangemang eller riskperiod", "arrangemang och riskperioder"
    )
    return (
        f"De kommande {days} dagarna finns {coming}, "
        f"först {first['title']} ({fmt.date(first['starts_at'])})."
    )


def sentences(s: Summary, risk_days: int) -> list[str]:
    if s.empty:
        out = [
            f"Inga händelser rapporterades under {s.label}. "
            f"Under {s.period.previous_label()} rapporterades "
            f"{fmt.counted(s.totals['previous'], 'händelse', 'händelser')} och samma period i fjol "
            f"{fmt.integer(s.totals['last_year'])}."
        ]
    else:
        out = [_totals(s), *_groups(s), *_areas(s), *_places(s), _hotspots(s)]
    return [*out, *_actions(s), _risks(s, risk_days)]
