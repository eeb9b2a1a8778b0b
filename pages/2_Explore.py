"""Explore: semantic search and filters over all paragraphs; read any paragraph in context."""

import streamlit as st

from analysis.views import SCORE_HELP, counted, filter_paragraphs, search_paragraphs
from ui.components import paged_dataframe, paragraph_in_context, selected_pid
from ui.loaders import computed, search_vector
from ui.session import current_analysis, sync_url

st.title("Explore")

result, state = current_analysis()
paragraphs, themes = result.paragraphs, result.themes
names = dict(zip(themes["theme_id"], themes["theme"], strict=True))
outlets = computed(result, "outlets", lambda: sorted(paragraphs["outlet"].unique()))
languages = computed(result, "languages", lambda: sorted(paragraphs["lang"].unique()))

st.session_state.setdefault("query", state.query)
ids_by_name = {name: theme_id for theme_id, name in names.items()}
st.session_state.setdefault("filter_themes", [names[t] for t in state.filter_themes if t in names])
st.session_state.setdefault("outlets", [o for o in state.outlets if o in outlets])
state.query = st.text_input(
    "Search by meaning", key="query", max_chars=500, placeholder="e.g. arms shipments to Russia"
)
columns = st.columns(4 if len(languages) > 1 else 3)
chosen_themes = columns[0].multiselect("Themes", list(ids_by_name), key="filter_themes")
state.filter_themes = [ids_by_name[name] for name in chosen_themes]
state.outlets = columns[1].multiselect("Outlets", outlets, key="outlets")
# Two dates, each used as soon as it is chosen: a range picker filters only once both ends
# are picked, and until then the table would show a range the analyst did not choose.
dates = columns[2].columns(2)
state.date_from = dates[0].date_input("From", value=state.date_from, key="date_from", format="YYYY-MM-DD")
state.date_to = dates[1].date_input("To", value=state.date_to, key="date_to", format="YYYY-MM-DD")

chosen_languages = columns[3].multiselect("Languages", languages, key="languages") if len(languages) > 1 else []
mask = filter_paragraphs(paragraphs, chosen_themes, state.outlets, state.date_from, state.date_to, chosen_languages)
if state.date_from and state.date_to and state.date_from > state.date_to:
    st.warning("The “From” date is after the “To” date, so no paragraph can match.")
columns_shown = ["text", "title", "outlet", "date", "lang", "theme", "pid"]
# The model that made the build embeds the query, centred as its paragraphs are.
search = search_vector(result, state.query.strip()) if state.query.strip() else None
if state.query.strip() and search is None:
    st.warning("Search by meaning needs the model this analysis was built with, which this installation cannot run.")
if search is not None:
    vector, floor = search
    found = search_paragraphs(vector, result.embeddings, mask.to_numpy(), floor=floor, codes=result.vector_codes)
    table = paragraphs.iloc[found.rows][columns_shown].assign(score=found.scores.round(3)).reset_index(drop=True)
    st.caption(found.describe())
    st.caption(f"Score: {SCORE_HELP}")
else:
    # The shown columns first, then the matching rows (none copied when all match).
    table = paragraphs[columns_shown]
    table = (table if mask.all() else table[mask.to_numpy()]).reset_index(drop=True)
    st.caption(f"{len(table):,} of {counted(len(paragraphs), 'paragraph')} match the filters.")
table, event = paged_dataframe(table, "results", on_select="rerun", selection_mode="single-row")
pid = selected_pid(event, table) or (state.pid if state.pid in set(table["pid"]) else "")
if pid:
    state.pid = pid
    paragraph_in_context(result, pid)
else:
    st.caption("Select a row to read the paragraph in its article.")
sync_url(state)
