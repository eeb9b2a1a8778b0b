"""Overview: what the corpus holds, its themes at a glance, and what each page answers.

Pages are thin: they read widgets, ask ui/ for the analysis and lay out what analysis/ computed.
Corpus text is only ever shown as text (st.text, st.dataframe), never as Markdown or HTML.
"""

import streamlit as st

from analysis import corpus_summary
from analysis.charts import theme_sizes_chart
from ui.downloads import show_chart
from ui.session import current_analysis, sync_url

st.set_page_config(page_title="Overview · Geopolitical news", layout="wide")
st.title("Geopolitical news: overview")

result, state = current_analysis()
summary = corpus_summary(result)
columns = st.columns(6)
columns[0].metric("Documents", summary["documents"])
columns[1].metric("Articles", summary["articles"])
columns[2].metric("Paragraphs", summary["paragraphs"])
columns[3].metric("Outlets", summary["outlets"])
columns[4].metric("Themes", summary["themes"])
columns[5].metric("In “Other”", f"{summary['other_share']:.0%}")
if summary["first_date"]:
    st.caption(f"Dated from {summary['first_date']} to {summary['last_date']}.")
else:
    st.caption("No document in this corpus carries a date.")
if summary["skipped"]:
    st.warning(f"{summary['skipped']} file(s) could not be read; the sidebar lists them with the reasons.")

left, right = st.columns([3, 2])
show_chart(
    theme_sizes_chart(result.themes), result.themes[["theme_id", "theme", "size", "share", "keywords"]],
    title="Paragraphs per theme", result=result, key="sizes", container=left,
)  # fmt: skip
right.subheader("Themes at a glance")
right.dataframe(result.themes[["theme", "size", "keywords"]], hide_index=True, width="stretch", key="glance")

st.subheader("Where to look")
st.page_link("pages/1_Themes.py", label="Themes", icon="🗺️")
st.caption(
    "Which themes the corpus holds, how they relate on a map, which outlets carry them and when; rename and merge themes."
)
st.page_link("pages/2_Explore.py", label="Explore", icon="🔎")
st.caption(
    "Search paragraphs by meaning, filter by theme, outlet and date, and read any paragraph in its article."
)
st.page_link("pages/3_Corpus.py", label="Corpus", icon="🗂️")
st.caption(
    "What was read and how: documents with their metadata, articles, skipped files, removed lines and duplicates."
)
st.page_link("pages/4_Aid_imbalance.py", label="Aid imbalance", icon="⚖️")
st.caption(
    "Flows of money and arms between states found in the text, both directions and the ratio, with each "
    "figure's sentence and source; correct the figures."
)
st.page_link("pages/5_Sources.py", label="Sources", icon="📚")
st.caption("Which outlets and which cited sources back each theme, and themes resting on one source.")
st.page_link("pages/6_Briefing.py", label="Briefing", icon="📄")
st.caption("A PDF or PowerPoint pack of this view: themes, aid imbalance, source coverage and documents.")
sync_url(state)
