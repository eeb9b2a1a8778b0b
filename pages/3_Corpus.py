"""Corpus: what was read, what was removed and why. Nothing is dropped silently."""

import streamlit as st

from analysis.views import named_documents
from ui.components import data_table
from ui.session import current_analysis, sync_url

st.title("Corpus")

result, state = current_analysis()
st.subheader("Documents")
st.caption(
    "Outlet, date, title, url and author, and where each came from: manifest, file, text or file name."
)
data_table(named_documents(result.documents), key="documents")
st.subheader("Articles")
data_table(result.articles, key="articles")

st.subheader("Skipped files")
if result.skipped.empty:
    st.caption("Every file was read.")
else:
    data_table(result.skipped, key="skipped")

st.subheader("Removed lines")
st.caption("Navigation, date lines, glued tag words, repeated titles and bio lines, with their reasons.")
data_table(result.removed, key="removed")

st.subheader("Duplicate paragraphs dropped")
data_table(result.duplicates, key="duplicates")
sync_url(state)
