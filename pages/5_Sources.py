"""Sources: which outlets and which cited sources back each theme, and where each document's
outlet, date, title, author and url came from. The analyst's own source kinds, edited here,
apply to everything below them."""

import streamlit as st

from analysis import KINDS, coverage_paragraphs, document_provenance, load_source_kinds
from analysis.charts import coverage_sources, outlets_over_time_chart, source_coverage_chart
from analysis.views import backing_warnings, counted, named_documents
from ui import loaders
from ui.components import (
    clicked_cell,
    data_table,
    literal,
    paged_dataframe,
    paragraph_in_context,
    selected_pid,
    source_kinds_editor,
)
from ui.downloads import show_chart
from ui.loaders import build_view, computed
from ui.session import current_analysis, sync_url

st.title("Sources")

result, state = current_analysis()
own_kinds = source_kinds_editor()
if len(own_kinds):
    result = loaders.with_source_kinds(result, own_kinds)
names = dict(zip(result.themes["theme_id"], result.themes["theme"], strict=True))
BY = {"outlet": "Outlets", "cited": "Cited sources"}
ONE = {"outlet": "Outlet", "cited": "Cited source"}
COVERAGE_VIEWS = {"outlet": "coverage by outlet", "cited": "coverage by cited source"}
by = st.radio("Who backs each theme", list(BY), format_func=BY.get, key="coverage_by", horizontal=True)
st.caption(
    "Distinct paragraphs per source and theme: the outlet that published them, or the sources "
    "they attribute claims to. Click a cell, or choose a source and a theme below, to read them."
)


# A click on the chart, a picker or a row reruns this part alone: the rest of the page (two
# charts and four tables at a million paragraphs) is neither run nor sent again.
@st.fragment
def coverage_explorer(result, state, by: str) -> None:
    coverage = build_view(result, COVERAGE_VIEWS[by])
    title = f"{BY[by]} behind each theme"
    figure = computed(
        result, ("coverage chart", by), lambda: source_coverage_chart(coverage, title=title, noun=BY[by].lower())
    )
    event = show_chart(
        figure,
        coverage,
        title=title,
        result=result,
        key=f"coverage-{by}",
        on_select="rerun",
        selection_mode="points",
    )
    # Every source, also those the chart leaves out (it draws those with most paragraphs).
    sources = computed(result, ("coverage sources", by), lambda: [str(s) for s in coverage_sources(coverage)])
    source_key, theme_key = f"cell_source_{by}", f"cell_theme_{by}"
    # A click chooses the cell once; after it the pickers are the visitor's again.
    cell = clicked_cell(event, figure)
    if cell is None:
        st.session_state.pop(f"clicked_{by}", None)
    elif st.session_state.get(f"clicked_{by}") != cell:
        st.session_state[f"clicked_{by}"] = cell
        st.session_state[source_key], st.session_state[theme_key] = cell
    for key, options in ((source_key, sources), (theme_key, list(names))):
        if st.session_state.get(key) not in options:
            st.session_state[key] = None
    left, right = st.columns(2)
    source = left.selectbox(ONE[by], sources, index=None, key=source_key, placeholder="Choose")
    theme_id = right.selectbox(
        "Theme", list(names), format_func=names.get, index=None, key=theme_key, placeholder="Choose"
    )
    if source is None or theme_id is None:
        st.caption("Choose a source and a theme (or click a cell) to list their paragraphs.")
    else:
        table = computed(result, ("cell", by, source, theme_id), lambda: coverage_paragraphs(result, source, theme_id, by))
        st.caption(f"{counted(len(table), 'paragraph')}.")
        table, picked = paged_dataframe(table, f"cell-{by}-{theme_id}-{source}", on_select="rerun", selection_mode="single-row")
        pid = selected_pid(picked, table)
        if pid:
            state.pid = pid
            paragraph_in_context(result, pid)
    sync_url(state)


coverage_explorer(result, state, by)

st.subheader("What backs each theme")
backing = build_view(result, "theme backing")
data_table(backing, key="backing")
corpus_warnings, theme_warnings = backing_warnings(backing)
for warning in corpus_warnings:
    st.warning(warning, icon=":material/warning:")
for theme, warnings in theme_warnings:
    with st.container(border=True):
        st.text(theme)  # a theme name may come from the text or a link: plain text
        # Read from the build folder when stored with it: shown as written, never as Markdown.
        st.warning(literal("; ".join(warnings)), icon=":material/warning:")

# Drawn when unfolded: a chart drawn out of sight still cost the browser a third of a second
# of every opening of the page.
over_time_shown = st.expander("Outlets over time", key="outlets_time_shown", on_change="rerun")
if over_time_shown.open:
    with over_time_shown:
        over_time = build_view(result, "outlets over time")
        if over_time.empty:
            st.caption("No document has a known date, so outlets cannot be shown over time.")
        else:
            show_chart(
                computed(result, "outlets over time chart", lambda: outlets_over_time_chart(over_time)),
                over_time,
                title="Outlets over time",
                result=result,
                key="outlets_time",
            )

st.subheader("Documents and where their metadata came from")
provenance = computed(result, "document provenance", lambda: document_provenance(result))
paged_dataframe(provenance, "provenance", shown=named_documents)
st.subheader("Cited sources")
st.caption(f"Kinds: {', '.join(KINDS)}. An institution named as a person's affiliation is cited too.")
paged_dataframe(result.sources, "sources")
with st.expander("How kinds are assigned"):
    st.caption(
        "Names and aliases from analysis/resources/source_kinds.csv with your own rows over it; "
        "others by cue words."
    )
    data_table(load_source_kinds(list(result.provenance.source_kinds)), key="kinds")
sync_url(state)
