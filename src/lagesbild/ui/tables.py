"""Turn query frames into tables for people: Swedish headings, dates as 2026-11-21 14:05."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lagesbild import fmt
from lagesbild.labels import EVENT_KIND, IMPACT, UNSAFE_REASON


def show(df: pd.DataFrame, height: int | str = "auto") -> None:
    st.dataframe(df, hide_index=True, width="stretch", height=height)


def _where(df: pd.DataFrame) -> pd.Series:
    place = df["place"].fillna("")
    area = df["area"].fillna("")
    return place.where(place != "", area.where(area != "", "–"))


def latest_incidents(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Inträffade": df["occurred_at"].map(fmt.datetime),
            "Kategori": df["category"],
            "Grupp": df["group"],
            "Plats": _where(df),
            "Rapporterad av": df["organisation"],
            "Antal": df["count"].astype(int),
        }
    )


def events(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Börjar": df["starts_at"].map(fmt.datetime),
            "Slutar": df["ends_at"].map(fmt.datetime),
            "Vad": df["title"],
            "Typ": df["kind"].map(EVENT_KIND),
            "Var": _where(df),
            "Förväntad påverkan": df["expected_impact"].map(IMPACT),
        }
    )


def incident_list(df: pd.DataFrame) -> pd.DataFrame:
    """A drill-down listing: when, what, where, who, how many, what was written."""
    return pd.DataFrame(
        {
            "Inträffade": df["occurred_at"].map(fmt.datetime),
            "Kategori": df["category"],
            "Plats": _where(df),
            "Rapporterad av": df["organisation"],
            "Antal": df["count"].astype(int),
            "Beskrivning": df["description"].fillna(""),
        }
    )


def comparison(df: pd.DataFrame, name_col: str, name_label: str) -> pd.DataFrame:
    """Current period against the one before and the same period last year."""

    def pct(now, before):
        return [
            fmt.percent((a - b) / b, signed=True) if b else "–"
            for a, b in zip(now, before, strict=True)
        ]

    return pd.DataFrame(
        {
            name_label: df[name_col],
            "Perioden": df["current"].astype(int),
            "Föregående period": df["previous"].astype(int),
            "Förändring": pct(df["current"], df["previous"]),
            "Samma period i fjol": df["last_year"].astype(int),
            "Mot i fjol": pct(df["current"], df["last_year"]),
        }
    )


def observations(df: pd.DataFrame) -> pd.DataFrame:
    reasons = {k.value: v for k, v in UNSAFE_REASON.items()}
    return pd.DataFrame(
        {
            "Besökt": df["observed_at"].map(fmt.date),
            "Plats": df["place"].fillna("Punkt på kartan"),
            "Orsak": df["reason"].map(reasons),
            "Beskrivning": df["description"].fillna(""),
        }
    )
