"""The police feed on the admin page: its last run, how it went, what it stored, and the runs
before it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lagesbild import fmt
from lagesbild.clock import utc_to_local
from lagesbild.fmt import md_escape
from lagesbild.ui import data, tables


def _when(value) -> str:
    return fmt.datetime(utc_to_local(value))


def police_feed(url: str) -> None:
    runs, last_good = data.police_feed_runs(url)
    st.caption(
        "Polisens öppna händelser för forumets kommun hämtas av kommandot "
        "”lagesbild polisen sync” på servern, t.ex. var 15:e minut från en systemd-timer eller "
        "cron. Varje hämtning sparas här, lyckad eller inte."
    )
    if runs.empty:
        st.info(
            "Polisens händelser har inte hämtats automatiskt än. Be den som driftar Lägesbild "
            "att starta ”lagesbild polisen sync --every 15m” (se docs/police-feed.md).",
            icon=":material/info:",
        )
        return
    last = runs.iloc[0]
    when = _when(last["started_at"])
    if last["ok"]:
        st.success(
            f"Senaste hämtning {when} lyckades: {md_escape(last['message'])}",
            icon=":material/check_circle:",
        )
    else:
        st.error(
            f"Senaste hämtning {when} misslyckades: {md_escape(last['message'])}",
            icon=":material/error:",
        )
        st.caption(
            f"Senaste lyckade hämtning: {_when(last_good['started_at'])}."
            if last_good
            else "Ingen hämtning har lyckats än."
        )
    figures = [
        ("I svaret", last["fetched"]),
        ("Nya", last["added"]),
        ("Fanns redan", last["already"]),
        ("Hoppades över", last["skipped"]),
        ("Försök", last["attempts"]),
    ]
    for column, (label, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(label, fmt.integer(int(value)))
    st.markdown("**Tidigare hämtningar**")
    tables.show(
        pd.DataFrame(
            {
                "Start": runs["started_at"].map(_when),
                "Resultat": runs["ok"].map(lambda ok: "Lyckades" if ok else "Misslyckades"),
                "I svaret": runs["fetched"].astype(int),
                "Nya": runs["added"].astype(int),
                "Fanns redan": runs["already"].astype(int),
                "Hoppades över": runs["skipped"].astype(int),
                "Försök": runs["attempts"].astype(int),
                "Meddelande": runs["message"],
            }
        )
    )
