"""The dashboard's pages: file, title, icon, address and what each answers, listed once for the
navigation and for the Overview's pointers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

# What `streamlit run` starts: it lays out the sidebar and then runs the page the visitor chose.
ENTRY_POINT = Path(__file__).resolve().parent.parent / "dashboard.py"


@dataclass(frozen=True)
class PageInfo:
    path: str  # relative to the repository root, where `streamlit run dashboard.py` starts
    title: str
    icon: str  # Material icons: drawn by Streamlit's own font, so no emoji font is needed
    url_path: str  # kept from the earlier multipage layout, so that shared links still open
    answers: str


PAGES = (
    PageInfo("pages/0_Overview.py", "Overview", ":material/dashboard:", "",
             "What the corpus holds and its themes at a glance."),
    PageInfo("pages/1_Themes.py", "Themes", ":material/bubble_chart:", "Themes",
             "Which themes the corpus holds, how they relate on a map, which outlets carry them and when; "
             "rename and merge themes."),
    PageInfo("pages/2_Explore.py", "Explore", ":material/search:", "Explore",
             "Search paragraphs by meaning, filter by theme, outlet and date, and read any paragraph in its article."),
    PageInfo("pages/3_Corpus.py", "Corpus", ":material/folder_open:", "Corpus",
             "What was read and how: documents with their metadata, articles, skipped files, removed lines and "
             "duplicates."),
    PageInfo("pages/4_Aid_imbalance.py", "Aid imbalance", ":material/balance:", "Aid_imbalance",
             "Flows of money and arms between states found in the text, both directions and the ratio, one panel "
             "per unit, with each figure's sentence and source; where sources disagree; correct the figures."),
    PageInfo("pages/5_Sources.py", "Sources", ":material/library_books:", "Sources",
             "Which outlets and which cited sources back each theme, and themes resting on one source."),
    PageInfo("pages/6_Briefing.py", "Briefing", ":material/description:", "Briefing",
             "A PDF or PowerPoint pack of this view: themes, aid imbalance, source coverage and documents."),
)  # fmt: skip


def navigation():
    """Streamlit's navigation over PAGES, the first (Overview) as the default page."""
    pages = [
        st.Page(page.path, title=page.title, icon=page.icon, url_path=page.url_path or None, default=index == 0)
        for index, page in enumerate(PAGES)
    ]
    return st.navigation(pages)
