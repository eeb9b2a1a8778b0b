"""Briefing: one click builds a PDF (or PowerPoint) pack of what the other pages show, with the
analyst's theme names and figure corrections and a note of their own."""

import streamlit as st

from analysis import corpus_summary, export
from analysis.export import ALL_SECTIONS, SECTION_TITLES, build_briefing
from analysis.views import counted
from ui import loaders
from ui.components import literal, session_source_kinds
from ui.downloads import browser_available, file_stem
from ui.loaders import computed
from ui.session import current_analysis, edited_figures, sync_url

PACK_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

st.title("Briefing")

result, state = current_analysis()
own_kinds = session_source_kinds()
if len(own_kinds):
    result = loaders.with_source_kinds(result, own_kinds)
figures = edited_figures(result, state)
st.caption(
    "The pack uses this session's view: renamed and merged themes, the figures as corrected on "
    "the Aid imbalance page, and your source kinds from the Sources page."
)
title = st.text_input("Title", value="Briefing", max_chars=120, key="brief_title")
sections = st.multiselect(
    "Sections",
    list(ALL_SECTIONS),
    default=list(ALL_SECTIONS),
    format_func=SECTION_TITLES.get,
    key="brief_sections",
)
coverage_by = st.radio(
    "Source coverage by",
    ["outlet", "cited"],
    format_func={"outlet": "Outlets", "cited": "Cited sources"}.get,
    horizontal=True,
    key="brief_coverage",
)
note = st.text_area("Your note (on the title page)", max_chars=2000, key="brief_note")
fmt = st.radio(
    "Format", ["pdf", "pptx"], format_func={"pdf": "PDF", "pptx": "PowerPoint slides"}.get, key="brief_fmt"
)

flows = int((figures["kind"] == "flow").sum())
# Themes counted as the Overview and the pack count them: "Other" is none.
themes = computed(result, "summary", lambda: corpus_summary(result))["themes"]
st.text(
    f"{counted(themes, 'theme')} · {counted(flows, 'flow figure')} · "
    f"{counted(len(result.documents), 'document')} · "
    f"corpus {result.corpus_hash}"
)
st.caption(literal(export.reproducibility_line(result.provenance)))
if not sections:
    st.info("Choose at least one section; the title page is always included.")
if not browser_available():
    st.warning("No Chromium browser on this machine, so the charts cannot be drawn for the pack.")
st.download_button(
    f"Build and download the briefing ({'PDF' if fmt == 'pdf' else 'PowerPoint'})",
    # Built on click, from this run's choices.
    data=lambda: build_briefing(
        result, figures=figures, sections=sections, note=note, fmt=fmt, title=title, coverage_by=coverage_by
    ),
    file_name=f"{file_stem(title or 'briefing', result)}.{fmt}",
    mime=PACK_TYPES[fmt],
    on_click="ignore",
    type="primary",
    icon=":material/description:",
    disabled=not browser_available(),
    key="brief_download",
)  # fmt: skip
sync_url(state)
