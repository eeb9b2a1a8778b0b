"""Overview: the sample corpus's themes and their paragraphs.

Thin by design: it reads widgets, asks ui.loaders for the cached analysis and lays out what
analysis/ computed. Corpus text is only ever shown through st.dataframe / st.text, never as
Markdown or HTML.
"""

import streamlit as st

from analysis import OTHER_NAME
from analysis.charts import theme_map_chart, theme_sizes_chart
from ui.loaders import sample_analysis

st.set_page_config(page_title="Geopolitical news themes", layout="wide")
st.title("Geopolitical news themes")

result = sample_analysis()
counts = result.info["counts"]
columns = st.columns(5)
columns[0].metric("Documents", counts["documents"])
columns[1].metric("Articles", counts["articles"])
columns[2].metric("Paragraphs", counts["paragraphs"])
columns[3].metric("Themes", int((result.themes["theme"] != OTHER_NAME).sum()))
columns[4].metric("In “Other”", f"{result.other_share:.0%}")
st.caption(
    f"Sample corpus · model {result.info['model_id']} · seed {result.info['settings']['random_seed']}"
    f" · corpus {result.info['corpus_hash']}"
)

left, right = st.columns([2, 3])
left.plotly_chart(theme_sizes_chart(result.themes), width="stretch")
right.plotly_chart(theme_map_chart(result.paragraphs, result.themes), width="stretch")

st.subheader("Themes")
st.dataframe(
    result.themes[["theme", "size", "share", "keywords", "seeded"]],
    hide_index=True,
    width="stretch",
    column_config={"share": st.column_config.NumberColumn(format="percent")},
)

theme = st.selectbox("Paragraphs of theme", result.themes["theme"].tolist(), key="theme")
members = result.paragraphs[result.paragraphs["theme"] == theme]
st.dataframe(
    members[["outlet", "title", "text", "similarity", "lang", "pid"]],
    hide_index=True,
    width="stretch",
    column_config={"text": st.column_config.TextColumn(width="large")},
)
