"""Corpus: what was read, what was removed and why. Nothing is dropped silently."""

import streamlit as st

from ui.loaders import sample_analysis

st.set_page_config(page_title="Corpus", layout="wide")
st.title("Corpus")

result = sample_analysis()
st.subheader("Documents")
st.dataframe(result.documents, hide_index=True, width="stretch")
st.subheader("Articles")
st.dataframe(result.articles, hide_index=True, width="stretch")

st.subheader("Skipped files")
if result.skipped.empty:
    st.caption("Every file was read.")
else:
    st.dataframe(result.skipped, hide_index=True, width="stretch")

st.subheader("Removed lines")
st.caption("Navigation, date lines, glued tag words, repeated titles and bio lines, with their reasons.")
st.dataframe(result.removed, hide_index=True, width="stretch")

st.subheader("Duplicate paragraphs dropped")
st.dataframe(result.duplicates, hide_index=True, width="stretch")
