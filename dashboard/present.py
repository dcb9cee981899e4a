"""Presentation mode (``?mode=present``): no sidebar, no Streamlit chrome, larger text.

Charts switch to the 16:9 ``analysis.figures.PRESENT`` style in :func:`dashboard.filters.sidebar`;
this module hides the sidebar, header, toolbar and footer and enlarges the page text. Remove
``mode=present`` from the address to return to the normal view.
"""

from __future__ import annotations

import streamlit as st

PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stMainMenu"], footer { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.5rem 2.5rem 2rem 2.5rem; max-width: 100%; }
[data-testid="stMain"] { font-size: 1.25rem; }
[data-testid="stMain"] h1 { font-size: 2.6rem; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 1.9rem; }
[data-testid="stCaptionContainer"] { font-size: 1.05rem; }
[data-testid="stMetricValue"] { font-size: 2.8rem; }
[data-testid="stMetricLabel"] p { font-size: 1.2rem; }
</style>
"""


def apply() -> None:
    """Hide the sidebar and Streamlit chrome and enlarge the text of this page."""
    st.html(PRESENT_CSS)
