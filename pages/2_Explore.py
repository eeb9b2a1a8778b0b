"""Explore: semantic search and filters over all paragraphs; read any paragraph in context."""

import streamlit as st

from analysis import filter_paragraphs, semantic_search
from ui.components import paged_dataframe, paragraph_in_context, selected_pid
from ui.loaders import embedder
from ui.session import current_analysis, sync_url

st.title("Explore")

result, state = current_analysis()
paragraphs, themes = result.paragraphs, result.themes
names = dict(zip(themes["theme_id"], themes["theme"], strict=True))
outlets = sorted(paragraphs["outlet"].unique())

st.session_state.setdefault("query", state.query)
ids_by_name = {name: theme_id for theme_id, name in names.items()}
st.session_state.setdefault("filter_themes", [names[t] for t in state.filter_themes if t in names])
st.session_state.setdefault("outlets", [o for o in state.outlets if o in outlets])
state.query = st.text_input(
    "Search by meaning", key="query", max_chars=500, placeholder="e.g. arms shipments to Russia"
)
columns = st.columns(3)
chosen_themes = columns[0].multiselect("Themes", list(ids_by_name), key="filter_themes")
state.filter_themes = [ids_by_name[name] for name in chosen_themes]
state.outlets = columns[1].multiselect("Outlets", outlets, key="outlets")
dates = columns[2].date_input(
    "Dated between", value=[d for d in (state.date_from, state.date_to) if d], key="dates"
)
state.date_from, state.date_to = (
    ([*list(dates), None, None])[:2] if isinstance(dates, list | tuple) else (None, None)
)

mask = filter_paragraphs(paragraphs, chosen_themes, state.outlets, state.date_from, state.date_to)
columns_shown = ["outlet", "date", "theme", "title", "text", "pid"]
if state.query.strip():
    vector = embedder().encode([state.query.strip()])[0]
    rows, scores = semantic_search(vector, result.embeddings, mask.to_numpy(), top_k=100)
    table = paragraphs.iloc[rows][columns_shown].assign(score=scores.round(3)).reset_index(drop=True)
    table = table[["score", *columns_shown]]
    st.caption(
        f"The {len(table)} paragraphs closest in meaning to the query (cosine similarity), among {int(mask.sum()):,} matching the filters."
    )
else:
    table = paragraphs[mask][columns_shown].reset_index(drop=True)
    st.caption(f"{len(table):,} of {len(paragraphs):,} paragraphs match the filters.")
table, event = paged_dataframe(
    table, "results", on_select="rerun", selection_mode="single-row",
    column_config={"score": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.3f")},
)  # fmt: skip
pid = selected_pid(event, table) or (state.pid if state.pid in set(table["pid"]) else "")
if pid:
    state.pid = pid
    paragraph_in_context(result, pid)
else:
    st.caption("Select a row to read the paragraph in its article.")
sync_url(state)
