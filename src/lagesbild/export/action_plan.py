"""Åtgärdsplan: the forum's current actions by area and organisation, for Excel and print."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from lagesbild import fmt, labels
from lagesbild.export import tables
from lagesbild.models import OPEN_ACTION_STATUSES

if TYPE_CHECKING:
    from lagesbild.export.pdf import Document

COLUMNS = [
    "Område",
    "Ansvarig organisation",
    "Åtgärd",
    "Status",
    "Typ",
    "Sikt",
    "Start",
    "Klart senast",
    "Ansvarig roll",
    "Kategorier",
    "Medborgarlöfte",
]


def plan_table(actions: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Current (open) actions, by area and owner organisation, in Swedish."""
    current = actions[actions["status"].isin(OPEN_ACTION_STATUSES)].copy()
    status = {k.value: v for k, v in labels.ACTION_STATUS.items()}
    kinds = {k.value: v for k, v in labels.ACTION_TYPE.items()}
    horizons = {k.value: v for k, v in labels.HORIZON.items()}
    area = current["area"].fillna("").where(current["area"].notna(), current["place"])
    out = pd.DataFrame(
        {
            "Område": area.fillna("Hela kommunen").replace("", "Hela kommunen"),
            "Ansvarig organisation": current["owner"],
            "Åtgärd": current["title"],
            "Status": [
                status.get(s, s) + (" (försenad)" if late else "")
                for s, late in zip(current["status"], current["overdue"], strict=True)
            ],
            "Typ": current["action_type"].map(kinds),
            "Sikt": current["horizon"].map(horizons),
            "Start": current["start_date"].map(lambda d: fmt.date(d) if pd.notna(d) else ""),
            "Klart senast": current["due_date"].map(lambda d: fmt.date(d) if pd.notna(d) else ""),
            "Ansvarig roll": current["responsible_role"].fillna(""),
            "Kategorier": current["categories"],
            "Medborgarlöfte": current["citizen_promise"].map({True: "Ja", False: ""}),
        }
    )
    return out.sort_values(["Område", "Ansvarig organisation", "Klart senast"]).reset_index(
        drop=True
    )


def to_excel(plan: pd.DataFrame, forum: str, today: dt.date) -> bytes:
    return tables.to_excel({"Åtgärdsplan": plan}, title=f"Åtgärdsplan – {forum}, {fmt.date(today)}")


def to_pdf(plan: pd.DataFrame, forum: str, today: dt.date) -> bytes:
    return document(plan, forum, today).build()


def document(plan: pd.DataFrame, forum: str, today: dt.date) -> Document:
    """The plan on landscape pages, one heading and table per area."""
    from lagesbild.export.pdf import Document  # reportlab: only when a PDF is made

    doc = Document(
        "Åtgärdsplan",
        forum,
        f"{len(plan)} pågående och planerade åtgärder",
        landscape_pages=True,
        made=today,
    )
    if plan.empty:
        doc.text("Det finns inga föreslagna, beslutade eller pågående åtgärder.")
    else:
        doc.text(f"Försenad: {labels.OVERDUE_MEANING} ({fmt.date(today)}).")
    widths = [0.25, 0.115, 0.12, 0.1, 0.085, 0.07, 0.08, 0.18]
    for area, part in plan.groupby("Område", sort=True):
        doc.heading(str(area))
        rows = [
            [
                r["Åtgärd"] + (" (medborgarlöfte)" if r["Medborgarlöfte"] else ""),
                r["Ansvarig organisation"],
                r["Ansvarig roll"],
                r["Status"],
                r["Typ"],
                r["Sikt"],
                r["Klart senast"],
                r["Kategorier"],
            ]
            for _, r in part.iterrows()
        ]
        doc.table(
            rows,
            ["Åtgärd", "Ansvarig", "Roll", "Status", "Typ", "Sikt", "Klart senast", "Kategorier"],
            widths,
        )
    return doc
