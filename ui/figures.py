"""The figures editor of the Aid imbalance page (the extracted figures with the analyst's
corrections, as an editable table whose session state this module owns), and the figures
sources disagree on, side by side.

The corrections live in the view state (`state.figure_edits`, carried by the link). An editor
keeps its edits as changes to the table it started from, so that table is fixed while the editor
lives; a new editor starts from the corrections as they stand. A new editor is made when the
analyst shows or hides the other figures, undoes every correction, or changes an amount whose
bounds then follow it (so the table shows the bounds that moved), and when the page is opened
again.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import FIGURE_COLUMNS, Analysis, apply_figure_edits, figure_edits_between
from analysis.views import NO_OUTLET_WORDS, disagreement_heading, figures_after_editing, figures_to_edit

from .session import figure_edits, sync_url
from .urlstate import ViewState

_GENERATION = "figure-editor-generation"
_SHOWS_ALL = "figure-editor-shows-all"
# Qualifiers as the extraction writes them, so an extracted one is always among the options.
_QUALIFIERS = ["", "approximately", "exactly", "at least", "more than", "at most", "less than", "between"]
_KINDS = ["flow", "money", "count", "percent", "other"]
# Giver and receiver wide enough for "United Kingdom", amounts for 1,000,000,000,000 written out;
# the browser tests find a cell by its position from these.
PARTY_PX = 130
_NUMBER_PX = 150


def figure_editor(result: Analysis, state: ViewState, *, include_other: bool = False) -> pd.DataFrame:
    """The editable figures table (flows only, or every figure with `include_other`), the
    caption of the corrections and their undo button. Returns the whole figures table as
    corrected (every figure, shown or not: `apply_figure_edits`' columns) and keeps the
    corrections in `state.figure_edits`."""
    corpus = result.corpus_hash
    if st.session_state.get(_SHOWS_ALL) != include_other:
        st.session_state[_SHOWS_ALL] = include_other
        _renew()
    key = f"figures-{corpus}-{st.session_state.get(_GENERATION, 0)}"
    if key not in st.session_state:  # a new editor: from the corrections as they stand
        st.session_state[f"{key}-base"] = figure_edits(result, state)
    base = st.session_state[f"{key}-base"]
    before = apply_figure_edits(result.figures, base)
    edited = st.data_editor(
        figures_to_edit(before, include_other),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_order=FIGURE_COLUMNS,  # the row ids stay in the data, out of sight
        disabled=["doc", "article", "paragraph", "pid"],
        key=key,
        column_config=_COLUMNS,
    )
    table, followed = figures_after_editing(before, edited, include_other)
    edits = figure_edits_between(result.figures, table, corpus)
    state.figure_edits = edits or None
    if followed and edits != base:
        # The editor still shows the old bounds: a new one shows those that followed.
        _renew()
        sync_url(state)
        st.rerun()
    if edits:
        st.caption(
            f"Your corrections: {len(edits.changed):,} changed, {len(edits.deleted):,} deleted, "
            f"{len(edits.added)} added. They travel with the page's link and go into exports."
        )
        if st.button("Undo all corrections"):
            state.figure_edits = None
            _renew()
            sync_url(state)
            st.rerun()
    return apply_figure_edits(result.figures, edits)


def disagreeing_figures(disagreements: pd.DataFrame, per_row: int = 3) -> None:
    """Each flow the sources give different figures for (`flow_disagreements`), its figures side
    by side: the figure as stated, who the text attributes it to, the document's date and
    outlet, and the whole sentence. Corpus text as plain text."""
    for _, figures in disagreements.groupby(["flow", "unit"], sort=False):
        st.text(disagreement_heading(figures))
        rows = list(figures.itertuples())
        for start in range(0, len(rows), per_row):
            for column, row in zip(st.columns(per_row), rows[start : start + per_row], strict=False):
                with column.container(border=True):
                    st.text(row.figure)
                    st.text(f"Said by: {row.source or 'not stated'}")
                    st.text(f"{row.date or 'Undated'} · {row.outlet or NO_OUTLET_WORDS}")
                    st.text(row.sentence)


def _renew() -> None:
    st.session_state[_GENERATION] = st.session_state.get(_GENERATION, 0) + 1


_COLUMNS = {
    "giver": st.column_config.TextColumn(width=PARTY_PX),
    "receiver": st.column_config.TextColumn(width=PARTY_PX),
    "amount": st.column_config.NumberColumn(
        format="localized",
        width=_NUMBER_PX,
        help="As stated, written out: 9,800,000,000 is 9.8 bn. Change it, and the bounds follow the qualifier "
        "unless you set them yourself.",
    ),
    "unit": st.column_config.TextColumn(width=90, help="A currency code (USD, EUR) or the thing counted (troops)."),
    "qualifier": st.column_config.SelectboxColumn(options=_QUALIFIERS, width=120),
    "low": st.column_config.NumberColumn(format="localized", width=_NUMBER_PX, help="Lower bound (empty: none)."),
    "high": st.column_config.NumberColumn(format="localized", width=_NUMBER_PX, help="Upper bound (empty: none)."),
    "what": st.column_config.TextColumn(width=140),
    "kind": st.column_config.SelectboxColumn(
        options=_KINDS, default="flow", width=90, help="Only flows between two states are drawn unless you show the others."
    ),
    "source": st.column_config.TextColumn(width=180),
    "sentence": st.column_config.TextColumn(width="large"),
}
