"""Widgets shared by several pages. Corpus text goes through st.text only: never Markdown."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from analysis import (
    KIND_COLUMNS,
    KINDS,
    PAGE_ROWS,
    Analysis,
    check_source_kinds,
    page_count,
    page_of,
    paragraph_context,
    read_source_kinds,
    source_kinds_csv,
)
from analysis.views import SCORE_HELP, reading_order

from .urlstate import ViewState

# The analyst's own source kinds, for the session: the table as last edited (invalid rows
# included, to be fixed), and what the editor started from. Tests put a table in SOURCE_KINDS.
SOURCE_KINDS = "source_kinds"
_KINDS_BASE = "source_kinds_base"
_KINDS_LOADS = "source_kinds_loads"
_KINDS_LOADED = "source_kinds_loaded"  # (id of the file last loaded, why it was refused or "")
_KINDS_UPLOAD = "kinds_upload"


# Every character Markdown (and Streamlit's additions: :colour[...], :emoji:, $maths$) may read.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


def literal(value: object) -> str:
    """Text from a corpus, a link or a build folder for a Markdown line (a caption, a warning):
    every character Markdown could read is escaped and lines are joined, so it shows as written."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(value).split()))


def paragraph_in_context(result: Analysis, pid: str) -> None:
    """The paragraph inside its article: title, outlet, date, and the paragraphs around it."""
    context = paragraph_context(result, pid)
    if context is None:
        st.caption("That paragraph is not in this corpus.")
        return
    with st.container(border=True):
        st.text(context["name"])
        st.text(
            f"{context['outlet']} · {context['date'] or 'undated'} · paragraph {context['paragraph']} "
            f"of {context['paragraphs_in_article']} · theme: {context['theme']}"
        )
        for text in context["before"]:
            st.text(text)
        with st.container(border=True):
            st.text(context["text"])
        for text in context["after"]:
            st.text(text)


def chart_tabs(charts: dict[str, tuple[str, Callable[[], None]]], state: ViewState, key: str) -> None:
    """Charts as tabs (chart name -> (tab label, function drawing it)), of which only the open
    one is drawn: each chart drawn was 0.3-0.8 s of the browser's work when a page opened,
    seen or not. The link's chart (`state.chart`) is open first, else the first; the open one
    goes back into the view state, the first as no name at all, so that links stay short."""
    names, labels = list(charts), [label for label, _ in charts.values()]
    # The first tab is fixed for the session: a tab widget given another default is another widget.
    first = st.session_state.setdefault(f"{key}-first", charts[state.chart][0] if state.chart in charts else labels[0])
    for name, tab in zip(names, st.tabs(labels, default=first, key=key, on_change="rerun"), strict=True):
        if tab.open:
            state.chart = "" if name == names[0] else name
            with tab:
                charts[name][1]()


def selected_pid(event, rows) -> str:
    """The pid of the row selected in a dataframe shown with on_select, if any."""
    selection = getattr(event, "selection", None)
    chosen = list(getattr(selection, "rows", []) or [])
    if not chosen or chosen[0] >= len(rows):
        return ""
    return str(rows.iloc[chosen[0]]["pid"])


def clicked_cell(event, figure) -> tuple[str, int] | None:
    """The (source, theme id) of the `source_coverage_chart` cell clicked, if any: the chart's
    axes are positions, and its `layout.meta` names the source of each row and the theme of
    each column."""
    selection = getattr(event, "selection", None)
    points = list(getattr(selection, "points", []) or [])
    meta = figure.layout.meta or {}
    if not points:
        return None
    try:
        row, column = int(points[0]["y"]), int(points[0]["x"])
        return str(meta["sources"][row]), int(meta["theme_ids"][column])
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def source_kinds_editor() -> pd.DataFrame:
    """The analyst's own source kinds, in an expander: an editable table (name, kind, aliases)
    kept for the session, loaded from and downloadable as the CSV file `--source-kinds` reads.
    Returns its usable rows (none: an empty table); rows that cannot be used are listed with the
    reason."""
    # Open while a file is loaded, so that what became of it shows after the rerun.
    with st.expander("Your source kinds", expanded=st.session_state.get(_KINDS_UPLOAD) is not None):
        st.caption(
            "Sources the shipped table misses, or kinds you would give differently: a row with "
            "the name of a shipped source replaces it. Everything below follows your table."
        )
        return _source_kinds_table()


def _source_kinds_table() -> pd.DataFrame:
    upload = st.file_uploader(
        "Load a kinds table (CSV: name, kind, aliases)", type=["csv"], key=_KINDS_UPLOAD
    )
    if upload is not None and st.session_state.get(_KINDS_LOADED, (None,))[0] != upload.file_id:
        try:
            st.session_state[SOURCE_KINDS] = read_source_kinds(upload.getvalue())
            st.session_state[_KINDS_LOADS] = st.session_state.get(_KINDS_LOADS, 0) + 1
            st.session_state[_KINDS_LOADED] = (upload.file_id, "")
        except ValueError as error:
            st.session_state[_KINDS_LOADED] = (upload.file_id, str(error))
    if upload is not None and st.session_state[_KINDS_LOADED][1]:
        st.error("That file cannot be used as a kinds table; the table below is unchanged.")
        st.text(st.session_state[_KINDS_LOADED][1])  # it quotes the file: plain text
    # The editor keeps its edits as changes to the table it started from, so that table is
    # fixed while the editor lives; a new editor (after a load, or back from another page)
    # starts from the table as last edited.
    key = f"kinds_editor_{st.session_state.get(_KINDS_LOADS, 0)}"
    if key not in st.session_state:
        st.session_state[_KINDS_BASE] = st.session_state.get(
            SOURCE_KINDS, pd.DataFrame(columns=KIND_COLUMNS, dtype=str)
        )
    edited = st.data_editor(
        st.session_state[_KINDS_BASE],
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=key,
        column_order=KIND_COLUMNS,
        column_config={
            "name": st.column_config.TextColumn("name", help="The source as the text names it."),
            "kind": st.column_config.SelectboxColumn("kind", options=list(KINDS)),
            "aliases": st.column_config.TextColumn("aliases", help="Other names, separated by |"),
        },
    )
    st.session_state[SOURCE_KINDS] = edited
    usable, problems = check_source_kinds(edited)
    if len(problems):
        rows = ", ".join(str(row) for row in problems["row"])
        st.warning(f"Not used, rows {rows} (counted from the top): see why below.", icon=":material/warning:")
        st.dataframe(problems, hide_index=True, width="stretch", key="kinds_problems")
    st.download_button(
        "Download this table (CSV, for --source-kinds)",
        data=source_kinds_csv(usable),
        file_name="source_kinds.csv",
        mime="text/csv",
        on_click="ignore",
        key="kinds_download",
        icon=":material/download:",
    )
    return usable


def session_source_kinds() -> pd.DataFrame:
    """The usable rows of the source kinds the analyst set on the Sources page this session
    (none: an empty table), for pages that follow them without showing the editor."""
    table = st.session_state.get(SOURCE_KINDS)
    if table is None or not len(table):
        return pd.DataFrame(columns=KIND_COLUMNS, dtype=str)
    return check_source_kinds(table)[0]


# Widths and help for the columns many tables share: the text wide enough to read, ids narrow.
_COLUMN_CONFIG = {
    "text": st.column_config.TextColumn("text", width=420, help="Hover a cell, or select the row, to read it all."),
    "sentence": st.column_config.TextColumn("sentence", width=420),
    "title": st.column_config.TextColumn("title", width=200),
    # A document named by its title took half a table's width, the text beside it cut short.
    "document": st.column_config.TextColumn("document", width=200),
    "kept_document": st.column_config.TextColumn("kept_document", width=200),
    "file": st.column_config.TextColumn("file", width=200),
    "theme": st.column_config.TextColumn("theme", width=160),
    "outlet": st.column_config.TextColumn("outlet", width=120),
    "date": st.column_config.TextColumn("date", width=90),
    "score": st.column_config.ProgressColumn(
        "score", min_value=0.0, max_value=1.0, format="%.2f", width=90, help=SCORE_HELP
    ),
    "similarity": st.column_config.NumberColumn(
        "similarity", format="%.2f", width="small",
        help="How close the paragraph is in meaning to its theme (cosine similarity; 1 is the same meaning).",
    ),
    "pid": st.column_config.TextColumn("pid", width="small", help="The paragraph's id: file | article | paragraph."),
    "doc": st.column_config.TextColumn("doc", width="small", help="The document's id."),
    "theme_id": st.column_config.NumberColumn("theme_id", width="small"),
    # Counts written as on every other page ("257,815"), not bare.
    **{
        name: st.column_config.NumberColumn(name, format="localized")
        for name in ("size", "paragraphs", "documents", "articles")
    },
}  # fmt: skip


def table_options(table: pd.DataFrame, **options) -> dict:
    """st.dataframe options that show a table in reading order (text, title, outlet and date
    first, ids last) with sensible widths; options given win."""
    shown = {**_COLUMN_CONFIG, **(options.pop("column_config", None) or {})}
    return {
        "hide_index": True,
        "width": "stretch",
        "column_order": reading_order(table.columns),
        "column_config": {name: config for name, config in shown.items() if name in table.columns},
        **options,
    }


def data_table(table: pd.DataFrame, key: str, **options):
    """A whole table (st.dataframe) in reading order with sensible widths."""
    return st.dataframe(table, key=key, **table_options(table, **options))


def page_picker(rows: int, key: str, label: str = "Page", noun: str = "Rows", on_change=None) -> int:
    """The page (1-based, PAGE_ROWS rows each) of `rows` rows to show: a number picker and a
    caption saying which rows it shows, when there is more than one page; 1 otherwise. A page
    past the last (rows deleted since) is the last."""
    pages = page_count(rows)
    if pages == 1:
        return 1
    if st.session_state.get(key, 1) > pages:
        st.session_state[key] = pages
    left, right = st.columns([1, 4])
    page = int(left.number_input(label, min_value=1, max_value=pages, step=1, key=key, on_change=on_change))
    first = (page - 1) * PAGE_ROWS + 1
    right.caption(f"{noun} {first:,}–{min(first + PAGE_ROWS - 1, rows):,} of {rows:,} ({pages:,} pages).")
    return page


def paged_dataframe(table: pd.DataFrame, key: str, shown: Callable[[pd.DataFrame], pd.DataFrame] | None = None, **options):
    """A table shown a page at a time (PAGE_ROWS rows), with a page picker when there is more
    than one page: a million rows are never sent to the browser at once. Shown in reading order
    (text first, ids last); `shown` makes the shown rows of a page's rows (a column added, such
    as `named_documents`' names), so that it costs a page's work, not the table's. Returns the
    shown page and what st.dataframe returned (the selection refers to the page)."""
    page_number = page_picker(len(table), f"{key}-page")
    page, _ = page_of(table, page_number)
    page = page.reset_index(drop=True)
    if shown is not None:
        page = shown(page)
    return page, st.dataframe(page, key=f"{key}-{page_number}", **table_options(page, **options))


def merge_themes(state, group: tuple[int, ...], name: str) -> None:
    """The Merge button's action (a callback, so it may empty the pickers it read): the group
    merged into the link's view state, under `name` when one was given."""
    state.merges.append(group)
    if name:
        state.renames[group[0]] = name
    st.session_state["to_merge"] = []
    st.session_state["merged_name"] = ""
