"""Tables as files for people outside the app: CSV that Swedish Excel opens right, and xlsx."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lagesbild import fmt, labels

INCIDENT_COLUMNS = {
    "id": "Id",
    "occurred_at": "Inträffade",
    "occurred_until": "Till",
    "group": "Grupp",
    "category": "Kategori",
    "place": "Plats",
    "area": "Område",
    "lat": "Latitud",
    "lon": "Longitud",
    "precision": "Positionens noggrannhet",
    "organisation": "Rapporterad av",
    "count": "Antal",
    "description": "Beskrivning",
    "source": "Källa",
}


def incidents_for_people(df: pd.DataFrame) -> pd.DataFrame:
    """An incident listing with Swedish headings and values."""
    out = df.copy()
    for col in ("occurred_at", "occurred_until"):
        if col in out:
            out[col] = out[col].map(lambda v: fmt.datetime(v) if pd.notna(v) else "")
    if "precision" in out:
        out["precision"] = out["precision"].map({k.value: v for k, v in labels.PRECISION.items()})
    renamed = out.rename(columns=INCIDENT_COLUMNS)
    return renamed[[c for c in INCIDENT_COLUMNS.values() if c in renamed]]


def to_csv(df: pd.DataFrame) -> bytes:
    """Semicolon-separated, decimal comma, UTF-8 with BOM: opens correctly in Swedish Excel."""
    return df.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def to_excel(sheets: dict[str, pd.DataFrame], title: str = "") -> bytes:
    """One sheet per table, bold headings, frozen header row, readable column widths."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in sheets.items():
            sheet_name = name[:31]
            startrow = 2 if title else 0
            df.to_excel(writer, sheet_name=sheet_name, index=False, startrow=startrow)
            ws = writer.sheets[sheet_name]
            if title:
                ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
            for cell in ws[startrow + 1]:
                cell.font = Font(bold=True)
            ws.freeze_panes = ws.cell(row=startrow + 2, column=1)
            for i, col in enumerate(df.columns, start=1):
                sample = [str(col), *map(str, df[col].head(200).tolist())]
                ws.column_dimensions[get_column_letter(i)].width = min(
                    60, max(8, max(len(s) for s in sample) + 2)
                )
    return buffer.getvalue()
