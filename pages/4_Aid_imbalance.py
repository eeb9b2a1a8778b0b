"""Aid imbalance: who gave what to whom, both directions side by side, one panel per unit, with
the sentence and source behind every figure. Figures are extracted from the text, never typed
in; the analyst can correct, add and delete them here, and the chart, the link and the exports
follow. Figures that are not flows between two states stay out unless asked for."""

import streamlit as st

from analysis.charts import aid_balance_chart, charted_figures
from analysis.views import flow_balance, flow_disagreements, unread_languages_note
from ui.components import paragraph_in_context
from ui.downloads import show_chart
from ui.figures import disagreeing_figures, figure_editor
from ui.loaders import computed
from ui.session import current_analysis, sync_url

st.title("Aid imbalance")

result, state = current_analysis()
if state.figure_edits and state.figure_edits.corpus != result.corpus_hash:
    st.info("The link's corrections to the figures were made on another corpus; they are not applied here.")
st.caption(
    "Flows of money and arms between states found in the text: one panel per unit, each currency and each "
    "counted thing on its own axis. The two directions between two states have two colours, the same on every "
    "panel: blue from the state first in the alphabet, vermillion back. Hatched bars are bounds (“below”, "
    "“at least”), ≈ marks approximations; hover a bar for its sentence and source."
)
if note := computed(result, "unread languages", lambda: unread_languages_note(result.paragraphs)):
    st.caption(note)
include_other = st.toggle(
    "Show the other figures too",
    key="aid_other_figures",
    help="Figures that are not flows between two states (budgets, counts, percentages): in grey panels of "
    "their own and in the table below, never in a ratio.",
)
chart_area = st.container()
st.subheader("Same flow, different figures")
disagreement_area = st.container()
st.subheader("The figures")
st.caption(
    "Correct a misread figure, delete one that is not a flow, or add one the rules missed: the chart follows."
)
figures = figure_editor(result, state, include_other=include_other)
# The balance, its chart and the disagreements are made once per analysis and corrections: the
# rerun an edit makes when bounds follow an amount, and a page opened again, read them back.
edits = state.figure_edits.digest() if state.figure_edits else ""
balance = computed(result, ("balance", edits, include_other), lambda: flow_balance(figures, include_other=include_other))
with chart_area:
    if not balance.empty:
        chart = computed(result, ("balance chart", edits, include_other), lambda: aid_balance_chart(balance))
        show_chart(chart, balance, title="Aid imbalance", result=result, key="balance")
    for statement in dict.fromkeys(balance["balance"]):
        if statement:
            st.text(statement)
    if not balance["flow"].any():
        st.caption("No flow between two states is stated in this corpus (or all were removed below).")

disagreements = computed(result, ("disagreements", edits), lambda: flow_disagreements(figures, result.documents))
with disagreement_area:
    if disagreements.empty:
        st.caption("No two figures stated for the same flow (giver, receiver and unit) differ.")
    else:
        st.caption("Sources that give different figures for the same flow, each as stated: never averaged.")
        disagreeing_figures(disagreements)

st.subheader("Read a figure in its article")
# The figures the chart draws (every flow, a few of the other figures): a picker of every figure
# of a large corpus was 77,000 options and 3.7 MB for the browser.
charted = computed(result, ("charted", edits, include_other), lambda: charted_figures(balance))
readable = charted[charted["pid"] != ""].reset_index(drop=True)
if not readable.empty:
    labels = [f"{row.shown_as}: {row.label}" for row in readable.itertuples()]
    # Keyed by corpus: after an upload the picker starts afresh, not on the sample's figure.
    choice = st.selectbox(
        "Figure", range(len(readable)), format_func=labels.__getitem__, key=f"figure_pick-{result.corpus_hash}"
    )
    paragraph_in_context(result, str(readable.loc[choice, "pid"]))
else:
    st.caption("No figure to read: none was found in the text, or all were removed above.")
sync_url(state)
