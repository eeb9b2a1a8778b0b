"""Source charts: who backs each theme, and outlets over time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..tables import OTHER_NAME
from ._style import THEME_PALETTE, inert, nothing_to_draw, shortened

_COVERAGE_SCALE = [[0.0, "#E3F1FA"], [0.35, "#56B4E9"], [0.7, "#0072B2"], [1.0, "#003A5D"]]
_LABEL_LENGTH = 48
# Outlets over time draws a line for each of this many outlets, those with most documents: forty
# lines (a million-paragraph build's outlets) were a tangle no one could follow.
CHARTED_OUTLETS = 8
# Who backs each theme draws a row for each of this many sources, those with most paragraphs:
# every cited source of a 100,000-paragraph build was 3,845 rows, a chart 156,000 pixels tall
# and 2.9 MB for the browser. The pickers under it offer every source.
CHARTED_SOURCES = 25


def _short(labels) -> list[str]:
    """Axis labels of at most _LABEL_LENGTH characters, spaces tidied (the hover has the whole name)."""
    tidy = pd.Series([" ".join(str(label).split()) for label in labels], dtype=object)
    return shortened(tidy, _LABEL_LENGTH).tolist()


def coverage_sources(coverage: pd.DataFrame) -> list:
    """The sources of `source_coverage`, most paragraphs first, ties by name: the order of the
    coverage chart's rows."""
    totals = coverage.groupby("source")["paragraphs"].sum()
    return sorted(totals.index, key=lambda s: (-int(totals[s]), str(s)))


@inert
def source_coverage_chart(
    coverage: pd.DataFrame, title: str = "Who backs each theme", noun: str = "sources"
) -> go.Figure:
    """Heatmap of paragraphs per source (rows) and theme (columns), from `source_coverage`.

    The CHARTED_SOURCES sources with the most paragraphs, most on top, and a subtitle saying how
    many were left out (calling the rows `noun`: "outlets", "cited sources"); themes by id, "Other" last; each cell shows its count, empty cells are
    blank. The axes are positions (labels as tick text), so a source
    named like a number stays a row; `layout.meta` holds the rows' sources and the columns'
    theme ids, in order, for finding the cell a click landed on.

    Plotly cannot select a heatmap cell, so a second trace puts an invisible marker at every
    cell's centre: it carries the hover, and a click anywhere in a cell selects its marker (the
    nearest one, as `hoverdistance=-1` sets no cut-off), which is then outlined.
    """
    if coverage.empty:
        return nothing_to_draw(title, "No sources found", meta={"sources": [], "theme_ids": []})
    figure = go.Figure()
    ranked = coverage_sources(coverage)
    sources = ranked[:CHARTED_SOURCES]
    theme_names = coverage.drop_duplicates("theme_id").set_index("theme_id")["theme"]
    theme_ids = sorted(theme_names.index, key=lambda t: (theme_names[t] == OTHER_NAME, int(t)))
    kinds = coverage.drop_duplicates("source").set_index("source")["kind"]
    cells = coverage.set_index(["source", "theme_id"])["paragraphs"]
    z = [[int(cells.get((s, t), 0)) or None for t in theme_ids] for s in sources]
    cell_x, cell_y, hover = [], [], []
    for row, source in enumerate(sources):
        for column, theme_id in enumerate(theme_ids):
            cell_x.append(column)
            cell_y.append(row)
            hover.append(
                [
                    str(source),
                    str(kinds[source]),
                    str(theme_names[theme_id]),
                    z[row][column] or 0,
                ]
            )
    figure.add_trace(
        go.Heatmap(
            z=z,
            x=list(range(len(theme_ids))),
            y=list(range(len(sources))),
            text=[[str(count) if count else "" for count in row] for row in z],
            texttemplate="%{text}",
            colorscale=_COVERAGE_SCALE,
            zmin=0,
            xgap=2,
            ygap=2,
            hoverinfo="skip",
            # Whole paragraphs: one tick per count while counts are small.
            colorbar={
                "title": {"text": "Paragraphs"},
                "tickformat": "d",
                "dtick": 1 if int(coverage["paragraphs"].max()) <= 10 else None,
            },
        )
    )
    figure.add_trace(
        go.Scatter(
            x=cell_x,
            y=cell_y,
            mode="markers",
            # Invisible until a cell is selected; then the selected one is outlined.
            marker={
                "symbol": "square-open",
                "size": 26,
                "color": "#D55E00",
                "line": {"width": 3},
                "opacity": 0,
            },
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 0}},
            customdata=hover,
            hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{customdata[2]}: "
            "%{customdata[3]} paragraphs<extra></extra>",
            showlegend=False,
        )
    )
    if len(ranked) > len(sources):
        title = {
            "text": title,
            "subtitle": {"text": f"The {len(sources)} of {len(ranked):,} {noun} with most paragraphs (the chart's data has them all)"},
        }
    figure.update_layout(
        title=title,
        xaxis={
            "tickmode": "array",
            "tickvals": list(range(len(theme_ids))),
            "ticktext": _short(theme_names[t] for t in theme_ids),
            "showgrid": False,
            "zeroline": False,
            "automargin": True,
            "range": [-0.5, len(theme_ids) - 0.5],
        },
        yaxis={
            "tickmode": "array",
            "tickvals": list(range(len(sources))),
            "ticktext": _short(sources),
            "showgrid": False,
            "zeroline": False,
            "automargin": True,
            "range": [len(sources) - 0.5, -0.5],  # the first source on top
        },
        hovermode="closest",
        hoverdistance=-1,
        height=max(340, 200 + 36 * len(sources)),
        margin={"l": 10, "r": 10, "t": 80 if len(ranked) > len(sources) else 50, "b": 20},
        plot_bgcolor="white",
        meta={"sources": [str(s) for s in sources], "theme_ids": [int(t) for t in theme_ids]},
    )
    return figure


@inert
def outlets_over_time_chart(table: pd.DataFrame, title: str = "Outlets over time") -> go.Figure:
    """Documents per period, one line per outlet (from `outlets_over_time`); the hover adds
    their paragraphs. The CHARTED_OUTLETS outlets with most documents each have a line, in the
    palette's colours in alphabetical order, and the subtitle says how many were left out. (Not
    summed into one line: at a million paragraphs, 32 outlets together dwarfed the others.)"""
    figure = go.Figure()
    totals = table.groupby("outlet", sort=False)["documents"].sum().reset_index()
    ranked = totals.sort_values(["documents", "outlet"], ascending=[False, True], kind="stable")["outlet"]
    shown, rest = list(ranked[:CHARTED_OUTLETS]), list(ranked[CHARTED_OUTLETS:])
    lines = [(str(outlet), table[table["outlet"] == outlet], THEME_PALETTE[index % len(THEME_PALETTE)])
             for index, outlet in enumerate(sorted(shown, key=str))]  # fmt: skip
    most = int(max(part["documents"].max() for _, part, _ in lines)) if lines else 0
    for name, rows, colour in lines:
        figure.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["documents"],
                mode="lines+markers",
                name=name,
                line={"color": colour},
                marker={"size": 9},
                customdata=rows[["paragraphs"]].to_numpy(),
                hovertemplate="%{x|%b %Y}: %{y} documents, %{customdata[0]} paragraphs"
                "<extra>%{fullData.name}</extra>",
            )
        )
    if rest:
        title = {
            "text": title,
            "subtitle": {"text": f"The {len(shown)} of {len(ranked):,} outlets with most documents (the chart's data has every outlet)"},
        }
    figure.update_layout(
        title=title,
        xaxis_title=None,
        # Whole documents: one tick per document while there are few.
        yaxis={
            "title": "Documents",
            "rangemode": "tozero",
            "tickformat": "d",
            "dtick": 1 if most <= 10 else None,
        },
        legend={"title": "Outlet"},
        height=320,
        margin={"l": 10, "r": 10, "t": 80 if rest else 50, "b": 40},
    )
    return figure
