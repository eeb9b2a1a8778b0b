"""Corpus: what was read, what was removed and why. Nothing is dropped silently."""

import streamlit as st

from ui.session import current_analysis, sync_url

st.title("Corpus")

result, state = current_analysis()
st.subheader("Documents")
st.caption(
    "Outlet, date, title, url and author, and where each came from: manifest, file, text or file name."
)
st.dataframe(result.documents, hide_index=True, width="stretch", key="documents")
st.subheader("Articles")
st.dataframe(result.articles, hide_index=True, width="stretch", key="articles")

st.subheader("Skipped files")
if result.skipped.empty:
    st.caption("Every file was read.")
else:
    st.dataframe(result.skipped, hide_index=True, width="stretch", key="skipped")

st.subheader("Removed lines")
st.caption("Navigation, date lines, glued tag words, repeated titles and bio lines, with their reasons.")
st.dataframe(result.removed, hide_index=True, width="stretch", key="removed")

st.subheader("Duplicate paragraphs dropped")
st.dataframe(result.duplicates, hide_index=True, width="stretch", key="duplicates")
sync_url(state)
