"""Aid imbalance: who gave what to whom, both directions side by side, with the sentence and
source behind every figure. Figures are extracted from the text, never typed in; the analyst can
correct, add and delete them here and the chart follows."""

import pandas as pd
import streamlit as st

from analysis import FIGURE_COLUMNS, flow_balance
from analysis.charts import aid_balance_chart
from ui.components import paragraph_in_context
from ui.session import current_analysis, sync_url

st.set_page_config(page_title="Aid imbalance · Geopolitical news", layout="wide")
st.title("Aid imbalance")

result, state = current_analysis()
st.caption(
    "Flows of money and arms between states found in the text. Hatched bars are upper bounds "
    "(“below”, “less than”), ≈ marks approximations; hover a bar for its sentence and source."
)
editor_key = f"figures-{result.info['corpus_hash']}"
figures = st.data_editor(
    result.figures[FIGURE_COLUMNS],
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    key=editor_key,
    column_config={
        "kind": st.column_config.SelectboxColumn(options=["flow", "money", "count", "percent", "other"]),
        "qualifier": st.column_config.SelectboxColumn(
            options=["", "approximately", "exact", "at least", "more than", "at most", "less than", "between"]
        ),
        "amount": st.column_config.NumberColumn(format="%.4g"),
        "low": st.column_config.NumberColumn(format="%.4g"),
        "high": st.column_config.NumberColumn(format="%.4g"),
    },
)
balance = flow_balance(figures)
st.plotly_chart(aid_balance_chart(balance), width="stretch", key="balance")
for statement in dict.fromkeys(balance["balance"]):
    if statement:
        st.text(statement)
if balance.empty:
    st.caption("No flow between two states is stated in this corpus (or all were removed above).")

st.subheader("Read a figure in its article")
flows = figures[figures["pid"].fillna("").astype(str) != ""].reset_index(drop=True)
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
