"""The figures editor of the Aid imbalance page (the extracted figures with the analyst's
corrections, as an editable table whose session state this module owns), and the figures
sources disagree on, side by side.

The corrections live in the view state (`state.figure_edits`, carried by the link). An editor
keeps its edits as changes to the table it started from, so that table is fixed while the editor
lives; a new editor starts from the corrections as they stand. A new editor is made when the
analyst shows or hides the other figures, turns the editor's page (a large corpus's figures are
shown PAGE_ROWS at a time), undoes every correction, or changes an amount whose
bounds then follow it (so the table shows the bounds that moved), and when the page is opened
again. An edit whose bounds follow is seen by the editor's callback, which Streamlit runs before
the page: the page's one run then draws the new editor (a rerun from the page itself would run
it twice for one edit).
"""

from __future__ import annotations

import json
import math
import weakref

import pandas as pd
import streamlit as st

from analysis import FIGURE_COLUMNS, Analysis, FigureEdits, apply_figure_edits, figure_edits_between
from analysis.claims import FIGURE_STATUSES
from analysis.views import (
    NO_OUTLET_WORDS,
    counted,
    disagreement_heading,
    figures_after_editing,
    figures_to_edit,
    page_of,
)

from .components import data_table, page_picker
from .loaders import computed
from .session import figure_edits, sync_url
from .urlstate import ViewState

_GENERATION = "figure-editor-generation"
_SHOWS_ALL = "figure-editor-shows-all"
_CORRECTED = "figure-editor-corrected"  # (the analysis, weakly; digest of the corrections; table)
_READ = "figure-editor-read"  # (editor key, its state as JSON, corrections, bounds that followed)
# Qualifiers as the extraction writes them, so an extracted one is always among the options.
_QUALIFIERS = ["", "approximately", "exactly", "at least", "more than", "at most", "less than", "between"]
_KINDS = ["flow", "money", "count", "percent", "other"]
# Giver and receiver wide enough for "United Kingdom", amounts for 1,000,000,000,000 written out;
# the browser tests find a cell by its position from these.
PARTY_PX = 130
# Columns the analyst cannot edit (the row ids and where a figure was read): never taken from the
# editor's state, which the browser sends.
_FIXED = frozenset({"row", "figure", "doc", "article", "paragraph", "pid"})
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
    before = corrected_figures(result, base)
    offerable = figures_to_edit(before, include_other)
    # Every figure of a large corpus at once (77,000 at 100,000 paragraphs with the other figures
    # shown) was 28 MB for the browser: a page at a time. Turning the page makes a new editor from
    # the corrections as they stand, so that none made on the page before is lost.
    page = page_picker(len(offerable), f"figure-editor-page-{corpus}", "Page of figures", "Figures", _renew)
    offered = _page(offerable, page)
    edited = st.data_editor(
        offered,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_order=FIGURE_COLUMNS,  # the row ids stay in the data, out of sight
        disabled=["doc", "article", "paragraph", "pid"],
        key=key,
        column_config=_COLUMNS,
        on_change=_bounds_follow,
        args=(result, state, key, include_other, page),
    )
    change = st.session_state.get(key)
    read = st.session_state.get(_READ)
    if _unchanged(change):
        # A new editor, or one nothing was typed into: the corrections are those it started
        # from (comparing its table with the extraction took half a second at a million
        # paragraphs, and the callback has already done it for the edit that renewed it).
        edits, followed = base, 0
    elif read is not None and read[:2] == (key, _as_json(change)):
        # The callback read this very edit before the page ran (a sixth of a second at 100,000
        # paragraphs, which every edit paid twice).
        edits, followed = read[2], read[3]
    else:
        table, followed = figures_after_editing(before, edited, include_other, offered=offered["row"])
        edits = figure_edits_between(result.figures, table, corpus)
    state.figure_edits = edits or None
    if followed and edits != base:
        # Only if the callback did not see the edit (it sees every edit made in a browser): the
        # editor still shows the old bounds, and a new one shows those that followed.
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
    return corrected_figures(result, edits)


def corrected_figures(result: Analysis, edits: FigureEdits) -> pd.DataFrame:
    """`apply_figure_edits(result.figures, edits)`, made once per run an edit makes: the
    callback's table, the editor's and what the page draws are the same. The uncorrected table
    is kept with the analysis; a corrected one only in the session (one at a time: every edit
    makes another, as large as the build's figures)."""
    if not edits:
        return computed(result, "corrected figures", lambda: apply_figure_edits(result.figures, None))
    held = st.session_state.get(_CORRECTED)
    if held is None or held[0]() is not result or held[1] != edits.digest():
        held = (weakref.ref(result), edits.digest(), apply_figure_edits(result.figures, edits))
        st.session_state[_CORRECTED] = held
    return held[2]


def offered_figures(before: pd.DataFrame, include_other: bool, page: int) -> pd.DataFrame:
    """The rows the editor shows: page `page` of `figures_to_edit`, numbered from 0 so that no
    index column shows (a dynamic editor shows any other index)."""
    return _page(figures_to_edit(before, include_other), page)


def _page(offerable: pd.DataFrame, page: int) -> pd.DataFrame:
    rows, _ = page_of(offerable, page)
    return rows.reset_index(drop=True)


def _bounds_follow(result: Analysis, state: ViewState, key: str, include_other: bool, page: int) -> None:
    """The editor's callback, run before the page on the run an edit makes: when the edit moves
    a figure's bounds, the corrections as they now stand go into the view state and a new
    editor is asked for, so that the page's run draws the bounds that followed. Other edits'
    corrections are kept for the page's run, which finds the editor in the same state."""
    base = st.session_state.get(f"{key}-base")
    change = st.session_state.get(key)
    if base is None or change is None:
        return
    before = corrected_figures(result, base)
    offered = offered_figures(before, include_other, page)
    edited = editor_table(offered, change)
    table, followed = figures_after_editing(before, edited, include_other, offered=offered["row"])
    edits = figure_edits_between(result.figures, table, result.corpus_hash)
    st.session_state[_READ] = (key, _as_json(change), edits, followed)
    if followed and edits != base:
        state.figure_edits = edits or None
        _renew()


def _as_json(change) -> str:
    """An editor's state (edited, added and deleted rows) as one comparable string."""
    return json.dumps(change, sort_keys=True, default=str)


def _unchanged(change) -> bool:
    """Whether an editor's state holds no edit (none typed, added or deleted)."""
    return not change or not any(change.get(part) for part in ("edited_rows", "added_rows", "deleted_rows"))


def editor_table(offered: pd.DataFrame, change) -> pd.DataFrame:
    """The table st.data_editor hands back for `offered` after `change`, its state as Streamlit
    documents it (`edited_rows`: row position -> column -> value, `deleted_rows`: positions,
    `added_rows`: column -> value), applied in Streamlit's order: cells, deletions, additions.
    For a callback, which runs before the editor does. The state comes from the browser: a value
    that does not fit its column is read as missing, unknown columns and rows are ignored."""
    rows = offered.copy()
    numbers = [c for c in rows.columns if pd.api.types.is_float_dtype(rows[c])]
    for position, cells in (change.get("edited_rows") or {}).items():
        if _position(position, len(rows)) is None or not isinstance(cells, dict):
            continue
        for column, value in cells.items():
            if column in rows.columns and column not in _FIXED:
                value = _editor_value(value, column in numbers)
                rows.iloc[position, rows.columns.get_loc(column)] = value
    deleted = [p for p in change.get("deleted_rows") or [] if _position(p, len(rows)) is not None]
    rows = rows.drop(index=rows.index[deleted])
    added = [
        {c: _editor_value(v, c in numbers) for c, v in row.items() if c in rows.columns and c not in _FIXED}
        for row in change.get("added_rows") or []
        if isinstance(row, dict)
    ]
    if added:
        rows = pd.concat([rows, pd.DataFrame(added, columns=rows.columns)], ignore_index=True)
    return rows


def _position(value, rows: int) -> int | None:
    """A row position the editor's state names, if it is one of `rows`."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < rows else None


def _editor_value(value, number: bool):
    if number:
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else math.nan
    return None if value is None or isinstance(value, list) else str(value)


def disagreeing_figures(disagreements: pd.DataFrame, per_row: int = 3, flows_shown: int = 5) -> None:
    """Each flow the sources give different figures for (`flow_disagreements`), its first
    figures side by side (a row of `per_row`): the figure as stated, who the text attributes it
    to, the document's date and outlet, and the whole sentence (each different figure before
    any repeat); the flow's other figures in a table below them. The first `flows_shown` flows
    so; the figures of the others in one table after them. Corpus text as plain text. (Every
    figure as a card was two thousand elements for the browser at a million paragraphs, and as
    many seconds; every flow with its cards and table, 23 flows there, still 300 elements.)"""
    flows: dict[tuple[str, str], list[dict]] = {}
    for row in disagreements.to_dict("records"):  # grouped once, in Python: a few hundred rows
        flows.setdefault((row["flow"], row["unit"]), []).append(row)
    grouped = list(flows.values())
    columns = ["figure", "source", "date", "outlet", "sentence"]
    for number, rows in enumerate(grouped[:flows_shown]):
        st.text(disagreement_heading(pd.DataFrame(rows)))
        # The cards show how the figures differ: each different figure's first statement, then
        # the repeats (a figure reprinted by many outlets filled every card on its own).
        repeat = pd.Series([row["figure"] for row in rows]).duplicated().tolist()
        rows = [r for r, again in zip(rows, repeat, strict=True) if not again] + [
            r for r, again in zip(rows, repeat, strict=True) if again
        ]
        for column, row in zip(st.columns(per_row), rows[:per_row], strict=False):
            with column.container(border=True):
                st.text(row["figure"])
                st.text(f"Said by: {row['source'] or 'not stated'}")
                st.text(f"{row['date'] or 'Undated'} · {row['outlet'] or NO_OUTLET_WORDS}")
                st.text(row["sentence"])
        if len(rows) > per_row:
            st.caption(f"The other {len(rows) - per_row:,} figures given for this flow:")
            data_table(pd.DataFrame(rows[per_row:])[columns], key=f"disagreements-{number}")
    rest = grouped[flows_shown:]
    if rest:
        st.caption(f"{counted(len(rest), 'more flow')} whose sources give different figures, each figure as stated:")
        table = pd.DataFrame([row for rows in rest for row in rows])[["flow", "unit", *columns]]
        data_table(table, key="disagreements-rest")


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
    # The editor shows an empty choice as a grey "None", as if the cell were missing: said here.
    "qualifier": st.column_config.SelectboxColumn(
        options=_QUALIFIERS, width=120, help="How the text qualifies the amount (None: stated as it is)."
    ),
    "low": st.column_config.NumberColumn(format="localized", width=_NUMBER_PX, help="Lower bound (empty: none)."),
    "high": st.column_config.NumberColumn(format="localized", width=_NUMBER_PX, help="Upper bound (empty: none)."),
    "what": st.column_config.TextColumn(width=140),
    "kind": st.column_config.SelectboxColumn(
        options=_KINDS, default="flow", width=90, help="Only flows between two states are drawn unless you show the others."
    ),
    "status": st.column_config.SelectboxColumn(
        options=list(FIGURE_STATUSES), width=100,
        help="What the text says of it: estimated, pledged, planned, ... (None: none of them).",
    ),
    "source": st.column_config.TextColumn(width=180),
    "sentence": st.column_config.TextColumn(width="large"),
}
