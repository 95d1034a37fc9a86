"""The projector layout: large type and numbers readable from the back of a room, high
contrast, no sidebar or toolbar, the whole width of the screen. Applied by the meeting view
for the run it is drawn in (another page is back to normal on its next run)."""

from __future__ import annotations

import streamlit as st

ROOT_PX = 20  # everything Streamlit sizes in rem grows with this (16 px is the normal size)

CSS = f"""
<style>
html {{ font-size: {ROOT_PX}px; }}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] {{ display: none !important; }}
[data-testid="stMainBlockContainer"] {{
  padding: 0.6rem 1.6rem 0.4rem 1.6rem !important; max-width: 100% !important;
}}
[data-testid="stApp"], [data-testid="stMain"] {{ background: #FFFFFF; color: #05090D; }}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {{
  font-size: 1.1rem; line-height: 1.35;
}}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p {{
  font-size: 3.2rem !important; font-weight: 700; line-height: 1.15;
}}
[data-testid="stMetricLabel"] p {{ font-size: 1.05rem !important; font-weight: 600; }}
[data-testid="stMetricDelta"] p {{ font-size: 1.0rem !important; }}

[data-testid="stTable"] td, [data-testid="stTable"] th {{
  font-size: 1.0rem !important; padding: 0.25rem 0.5rem !important; color: #05090D;
}}
[data-testid="stCaptionContainer"] {{
  font-size: 0.95rem !important; color: #2B3640 !important; opacity: 1 !important;
}}
[data-baseweb="select"] *, [data-testid="stTextInput"] input, [data-testid="stTextArea"] textarea,
[data-testid="stDateInput"] input {{ font-size: 1rem !important; }}
h1 {{ font-size: 1.9rem !important; padding: 0 !important; margin: 0 !important; }}
h3 {{ font-size: 1.4rem !important; padding: 0.2rem 0 0.3rem 0 !important; }}
.lb-live {{ font-size: 1rem; color: #0B5C2D; font-weight: 600; text-align: right; }}
.lb-step {{ font-size: 1.05rem; color: #2B3640; }}
</style>
"""


def apply() -> None:
    st.html(CSS)
