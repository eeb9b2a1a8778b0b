"""Corpus: what was read, what was removed and why. Nothing is dropped silently. Each table is
sent a page at a time: a build holds as many documents as it has files or table records."""

import streamlit as st

from analysis.views import named_documents, with_document_names
from ui.components import paged_dataframe
from ui.session import current_analysis, sync_url

st.title("Corpus")

result, state = current_analysis()


def named(page):
    """A page of rows with each row's document named as on every page (only its rows looked up)."""
    return with_document_names(page, result.documents)


st.subheader("Documents")
st.caption(
    "Outlet, date, title, url and author, and where each came from: manifest, file or text (a title read from the text is its main article's headline)."
)
paged_dataframe(result.documents, "documents", shown=named_documents)
st.subheader("Articles")
st.caption(
    "The pieces each document was split into. Kind: article; teaser (a headline and a short "
    "standfirst); excerpt (cut off mid-sentence). In themes: a page's main article always is; "
    "teasers and excerpts beside it are kept apart unless Theme settings say otherwise; a "
    "duplicate's paragraphs were all copies of another's."
)
paged_dataframe(result.articles, "articles", shown=named)

st.subheader("Not read in full")
if result.skipped.empty:
    st.caption("Every file and every record was read in full.")
else:
    st.caption("Files skipped whole, records of a table skipped, and texts cut at a size limit, each with its reason.")
    paged_dataframe(result.skipped, "skipped")

st.subheader("Removed lines")
st.caption("Navigation, date lines, bylines, picture credits, web addresses, glued tag words, repeated titles and bio lines, with their reasons.")
paged_dataframe(result.removed, "removed", shown=named)

st.subheader("Duplicate paragraphs dropped")
paged_dataframe(result.duplicates, "duplicates", shown=named)
sync_url(state)
