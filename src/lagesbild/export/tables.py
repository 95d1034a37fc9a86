"""Tables as files for people outside the app: CSV that Swedish Excel opens right, and xlsx.

Every text cell is formula-safe: a text that a spreadsheet would read as a formula (it starts
with =, +, -, @, a tab or a carriage return) gets a leading single quote, so `=HYPERLINK(…)`
typed into a report or an imported file is shown as text, never run. Numbers stay numbers.
"""

from __future__ import annotations

import io
import re

import pandas as pd

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


# What spreadsheet programs treat as the start of a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A text that is only a number (a signed change such as "+13 %" or "-4"): read as a number by
# a spreadsheet, never as a formula, so it is left as it is.
_NUMBER = re.compile(r"[+-]?\d[\d\u00a0 ]*(?:[.,]\d+)?(?:[\u00a0 ]?%)?")


def formula_safe(value):
    """The value, with a leading quote if it is a text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def formula_safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table with every text cell and every heading made formula-safe."""
    out = df.copy()
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)):
            out.isetitem(i, column.map(formula_safe))
    out.columns = [formula_safe(c) for c in out.columns]
    return out


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
    safe = formula_safe_frame(df)
    return safe.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def to_excel(sheets: dict[str, pd.DataFrame], title: str = "") -> bytes:
    """One sheet per table, bold headings, frozen header row, readable column widths; every
    text written as text (openpyxl would store a text starting with = as a formula)."""
    # openpyxl is imported when a workbook is made, not by every screen that imports this module.
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in sheets.items():
            df = formula_safe_frame(table)
            sheet_name = name[:31]
            startrow = 2 if title else 0
            df.to_excel(writer, sheet_name=sheet_name, index=False, startrow=startrow)
            ws = writer.sheets[sheet_name]
            if title:
                ws.cell(row=1, column=1, value=formula_safe(title)).font = Font(bold=True, size=12)
            for cell in ws[startrow + 1]:
                cell.font = Font(bold=True)
            ws.freeze_panes = ws.cell(row=startrow + 2, column=1)
            for i, col in enumerate(df.columns, start=1):
                sample = [str(col), *map(str, df[col].head(200).tolist())]
                ws.column_dimensions[get_column_letter(i)].width = min(
                    60, max(8, max(len(s) for s in sample) + 2)
                )
    return buffer.getvalue()
