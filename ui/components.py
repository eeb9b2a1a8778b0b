"""Widgets shared by several pages. Corpus text goes through st.text only: never Markdown."""

from __future__ import annotations

import streamlit as st

from analysis import Analysis, paragraph_context


def paragraph_in_context(result: Analysis, pid: str) -> None:
    """The paragraph inside its article: title, outlet, date, and the paragraphs around it."""
    context = paragraph_context(result, pid)
    if context is None:
        st.caption("That paragraph is not in this corpus.")
        return
    with st.container(border=True):
        st.text(context["title"] or "(untitled article)")
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
