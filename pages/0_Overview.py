"""Overview: what the corpus holds, its themes at a glance, and what each page answers."""

import streamlit as st

from analysis import corpus_summary, largest_first
from analysis.charts import theme_sizes_chart
from analysis.views import counted, percent
from ui.components import data_table, literal
from ui.downloads import show_chart
from ui.loaders import computed
from ui.navigation import PAGES
from ui.session import current_analysis, sync_url

st.title("Geopolitical news: overview")

result, state = current_analysis()
summary = computed(result, "summary", lambda: corpus_summary(result))
columns = st.columns(6)
# Counts written as everywhere else ("999,892"): a metric given a number shows it bare.
for column, (label, key) in zip(
    columns,
    [("Documents", "documents"), ("Articles", "articles"), ("Paragraphs", "paragraphs"), ("Outlets", "outlets"), ("Themes", "themes")],
    strict=False,
):
    column.metric(label, f"{int(summary[key]):,}")
columns[5].metric("In “Other”", percent(summary["other_share"]))
dated = (
    f"Dated from {literal(summary['first_date'])} to {literal(summary['last_date'])}."
    if summary["first_date"]
    else "No document in this corpus carries a date."
)
if summary["no_outlet"] == summary["documents"]:
    dated += " No document names its outlet."
elif summary["no_outlet"]:
    unnamed = summary["no_outlet"]
    dated += f" {counted(unnamed, 'document')} of {summary['documents']:,} {'names' if unnamed == 1 else 'name'} no outlet."
st.caption(dated)
if summary["skipped"]:
    st.warning(
        f"{counted(summary['skipped'], 'file or record', 'files or records')} could not be read in full; "
        "the sidebar lists them with the reasons."
    )

left, right = st.columns([3, 2])
show_chart(
    computed(result, "sizes chart", lambda: theme_sizes_chart(result.themes)),
    result.themes[["theme_id", "theme", "size", "share", "keywords"]],
    title="Paragraphs per theme", result=result, key="sizes", container=left,
)  # fmt: skip
right.subheader("Themes at a glance")
with right:
    # In the chart's order, largest first and "Other" last.
    data_table(largest_first(result.themes)[["theme", "size", "keywords"]], key="glance")

st.subheader("Where to look")
for info in PAGES[1:]:
    st.page_link(info.path, label=info.title, icon=info.icon)
    st.caption(info.answers)
sync_url(state)
