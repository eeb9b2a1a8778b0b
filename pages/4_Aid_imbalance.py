"""Aid imbalance: who gave what to whom, both directions side by side, with the sentence and
source behind every figure. Figures are extracted from the text, never typed in; the analyst can
correct, add and delete them here, and the chart, the link and the exports follow."""

import pandas as pd
import streamlit as st

from analysis import FIGURE_COLUMNS, FigureEdits, apply_figure_edits, figure_edits_between, flow_balance
from analysis.charts import aid_balance_chart
from ui.components import paragraph_in_context
from ui.downloads import show_chart
from ui.session import current_analysis, figure_edits, sync_url

st.title("Aid imbalance")

result, state = current_analysis()
corpus = result.corpus_hash
if state.figure_edits and state.figure_edits.corpus != corpus:
    st.info("The link's corrections to the figures were made on another corpus; they are not applied here.")
st.caption(
    "Flows of money and arms between states found in the text. Hatched bars are upper bounds "
    "(“below”, “less than”), ≈ marks approximations; hover a bar for its sentence and source."
)

# The editor's starting table is fixed for the session (the extraction with the corrections the
# link brought): were it rebuilt from every edit, the editor would replay its own changes on top.
base_key = f"figure-edits-base-{corpus}"
if base_key not in st.session_state:
    st.session_state[base_key] = figure_edits(result, state)
base = st.session_state[base_key]
column_config = {
    "giver": st.column_config.TextColumn(width="small"),
    "receiver": st.column_config.TextColumn(width="small"),
    "amount": st.column_config.NumberColumn(format="localized", width="small"),
    "unit": st.column_config.TextColumn(width="small"),
    "qualifier": st.column_config.SelectboxColumn(
        options=["", "approximately", "exact", "at least", "more than", "at most", "less than", "between"],
        width="small",
    ),
    "low": st.column_config.NumberColumn(format="localized", width="small"),
    "high": st.column_config.NumberColumn(format="localized", width="small"),
    "kind": st.column_config.SelectboxColumn(
        options=["flow", "money", "count", "percent", "other"], width="small"
    ),
}
edited = st.data_editor(
    apply_figure_edits(result.figures, base),
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    column_order=FIGURE_COLUMNS,  # the row id stays in the data, out of sight
    disabled=["doc", "article", "paragraph", "pid"],
    key=f"figures-{corpus}-{base.digest()}-{st.session_state.get('figure-resets', 0)}",
    column_config=column_config,
)
edits = figure_edits_between(result.figures, edited, corpus)
state.figure_edits = edits or None
if edits:
    st.caption(
        f"Your corrections: {len(edits.changed)} changed, {len(edits.deleted)} deleted, "
        f"{len(edits.added)} added. They travel with the page's link and go into exports."
    )
    if st.button("Undo all corrections"):
        st.session_state[base_key] = FigureEdits(corpus=corpus)
        st.session_state["figure-resets"] = st.session_state.get("figure-resets", 0) + 1
        state.figure_edits = None
        sync_url(state)
        st.rerun()

balance = flow_balance(edited)
show_chart(aid_balance_chart(balance), balance, title="Aid imbalance", result=result, key="balance")
for statement in dict.fromkeys(balance["balance"]):
    if statement:
        st.text(statement)
if balance.empty:
    st.caption("No flow between two states is stated in this corpus (or all were removed above).")

st.subheader("Read a figure in its article")
flows = edited[edited["pid"].fillna("").astype(str) != ""].reset_index(drop=True)
if not flows.empty:
    labels = [
        f"{row.giver or '?'} → {row.receiver or '?'}: {row.amount:,.4g} {row.unit}"
        if pd.notna(row.amount)
        else f"{row.giver or '?'} → {row.receiver or '?'}"
        for row in flows.itertuples()
    ]
    choice = st.selectbox("Figure", range(len(flows)), format_func=labels.__getitem__, key="figure_pick")
    paragraph_in_context(result, str(flows.loc[choice, "pid"]))
sync_url(state)
