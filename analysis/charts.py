"""Every chart is one pure function: a tidy DataFrame in, a plotly Figure out.

The dashboard's pages and the exports call the same functions, so a chart in a briefing is the
chart on the screen.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._themes import OTHER_NAME

__all__ = [
    "THEME_PALETTE",
    "aid_balance_chart",
    "outlets_over_time_chart",
    "source_coverage_chart",
    "theme_colours",
    "theme_map_chart",
    "theme_share_by_outlet_chart",
    "theme_sizes_chart",
    "themes_over_time_chart",
]

# Okabe-Ito, then Tol's muted: colour-blind-safe, and distinct enough for ~20 themes.
THEME_PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677",
    "#882255", "#AA4499", "#6699CC", "#661100", "#AA4466", "#4477AA",
]  # fmt: skip
OTHER_COLOUR = "#BBBBBB"


def _plain(values: pd.Series) -> pd.Series:
    """Corpus text for hover labels: plotly renders tags in labels, so escape them."""
    return values.astype(str).map(lambda v: html.escape(v, quote=False))


def theme_colours(themes: pd.DataFrame) -> dict[str, str]:
    """A fixed colour per theme name, by theme id, so every chart colours a theme alike."""
    colours = {}
    for theme_id, name in zip(themes["theme_id"], themes["theme"], strict=False):
        colours[name] = (
            OTHER_COLOUR if name == OTHER_NAME else THEME_PALETTE[int(theme_id) % len(THEME_PALETTE)]
        )
    return colours


def theme_sizes_chart(themes: pd.DataFrame, title: str = "Paragraphs per theme") -> go.Figure:
    """Horizontal bars of theme sizes, largest on top, 'Other' last."""
    ordered = themes.assign(_other=themes["theme"] == OTHER_NAME).sort_values(
        ["_other", "size", "theme_id"], ascending=[False, True, False]
    )
    ordered = pd.concat([ordered[ordered["_other"]], ordered[~ordered["_other"]]])
    colours = theme_colours(themes)
    figure = go.Figure(
        go.Bar(
            x=ordered["size"],
            y=ordered["theme"],
            orientation="h",
            marker_color=[colours[name] for name in ordered["theme"]],
            customdata=_plain(ordered["keywords"]).to_frame().to_numpy(),
            hovertemplate="%{y}<br>%{x} paragraphs<br>%{customdata[0]}<extra></extra>",
        )
    )
    figure.update_layout(
        title=title,
        xaxis_title="Paragraphs",
        yaxis_title=None,
        height=max(260, 60 + 28 * len(ordered)),
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return figure


def theme_map_chart(
    paragraphs: pd.DataFrame,
    themes: pd.DataFrame,
    title: str = "Theme map",
    density: dict | None = None,
    total: int | None = None,
) -> go.Figure:
    """Paragraphs at their 2-D layout positions, one WebGL trace per theme.

    For a large corpus, `paragraphs` is a sample (`map_sample`) and `density` (`map_density`
    of all paragraphs) is drawn under it in grey, so that crowded places still look crowded;
    `total`, the number of all paragraphs, puts "n of N shown" in the subtitle."""
    colours = theme_colours(themes)
    figure = go.Figure()
    if density is not None:
        counts = np.asarray(density["counts"], dtype=float)
        figure.add_trace(
            go.Heatmap(
                x=density["x"],
                y=density["y"],
                z=np.where(counts > 0, np.log1p(counts), np.nan),  # empty cells stay white
                colorscale=[[0.0, "#F2F2F2"], [1.0, "#8C8C8C"]],
                showscale=False,
                hoverinfo="skip",
                name="All paragraphs",
            )
        )
    for name in themes["theme"]:
        members = paragraphs[paragraphs["theme"] == name]
        if members.empty:
            continue
        opening = _plain(members["text"].str.slice(0, 140) + "…").rename("opening")
        figure.add_trace(
            go.Scattergl(
                x=members["x"],
                y=members["y"],
                mode="markers",
                name=html.escape(name, quote=False),
                marker={"color": colours[name], "size": 7, "opacity": 0.8},
                customdata=pd.concat(
                    [_plain(members["outlet"]), _plain(members["title"]), opening], axis=1
                ).to_numpy(),
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}"
                "<extra>%{fullData.name}</extra>",
            )
        )
    subtitle = None
    if total is not None and total > len(paragraphs):
        subtitle = (
            f"{len(paragraphs):,} of {total:,} paragraphs shown, each theme in proportion; "
            "grey: where all of them lie"
        )
    figure.update_layout(
        title={"text": title, "subtitle": {"text": subtitle}} if subtitle else title,
        xaxis={"visible": False},
        yaxis={"visible": False},
        legend={"title": "Theme"},
        margin={"l": 10, "r": 10, "t": 70 if subtitle else 50, "b": 10},
    )
    return figure


def theme_share_by_outlet_chart(
    shares: pd.DataFrame, themes: pd.DataFrame, title: str = "Themes by outlet"
) -> go.Figure:
    """Stacked horizontal bars: each outlet's paragraphs split by theme (from
    `theme_share_by_outlet`)."""
    colours = theme_colours(themes)
    figure = go.Figure()
    for name in themes["theme"]:
        rows = shares[shares["theme"] == name]
        if rows.empty:
            continue
        figure.add_trace(
            go.Bar(
                x=rows["share"],
                y=_plain(rows["outlet"]),
                orientation="h",
                name=html.escape(name, quote=False),
                marker_color=colours[name],
                customdata=rows[["paragraphs"]].to_numpy(),
                hovertemplate="%{y}<br>%{fullData.name}: %{x:.0%} (%{customdata[0]} paragraphs)<extra></extra>",
            )
        )
    figure.update_layout(
        title=title,
        barmode="stack",
        xaxis={"title": "Share of the outlet's paragraphs", "tickformat": ".0%", "range": [0, 1]},
        height=max(260, 90 + 32 * shares["outlet"].nunique()),
        legend={"title": "Theme"},
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return figure


def themes_over_time_chart(
    counts: pd.DataFrame, themes: pd.DataFrame, title: str = "Themes over time"
) -> go.Figure:
    """Paragraphs per period and theme (from `themes_over_time`), one line per theme."""
    colours = theme_colours(themes)
    figure = go.Figure()
    for name in themes["theme"]:
        rows = counts[counts["theme"] == name]
        if rows.empty:
            continue
        figure.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["paragraphs"],
                mode="lines+markers",
                name=html.escape(name, quote=False),
                line={"color": colours[name]},
                hovertemplate="%{x|%b %Y}: %{y} paragraphs<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(
        title=title,
        xaxis_title=None,
        yaxis_title="Paragraphs",
        legend={"title": "Theme"},
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return figure


# Direction colours: colour-blind-safe pair (Okabe-Ito blue and vermillion).
_DIRECTION_COLOURS = ("#0072B2", "#D55E00")
_BOUND_PATTERN = {"upper bound": "/", "lower bound": "\\", "range": ".", "approximately": "", "exact": ""}


def aid_balance_chart(balance: pd.DataFrame, title: str = "Aid imbalance") -> go.Figure:
    """Both directions of each pair of states side by side (from `flow_balance`).

    An upper bound is drawn hatched with "<" before its label, a lower bound with ">", an
    approximation with "≈"; each figure's sentence and source are in its hover. One subplot row
    per unit would be needed to compare USD with shells, so each unit gets its own x-axis range
    through facets by unit.
    """
    figure = go.Figure()
    if balance.empty:
        figure.update_layout(
            title=title, annotations=[{"text": "No flows between states found", "showarrow": False}]
        )
        return figure
    rows = balance.assign(
        direction=balance["giver"] + " → " + balance["receiver"],
        y=lambda t: t["direction"] + (" · " + t["source"]).where(t.duplicated("direction", keep=False), ""),
    )
    pairs = list(dict.fromkeys(rows["pair"]))
    for _, row in rows.iterrows():
        colour = _DIRECTION_COLOURS[0 if row["giver"] == min(row["giver"], row["receiver"]) else 1]
        figure.add_trace(
            go.Bar(
                x=[row["value"]],
                y=[html.escape(row["y"], quote=False)],
                orientation="h",
                marker={"color": colour, "pattern": {"shape": _BOUND_PATTERN.get(row["bound"], "")}},
                text=[html.escape(row["label"], quote=False)],
                textposition="outside",
                name=html.escape(row["direction"], quote=False),
                showlegend=False,
                customdata=[
                    [
                        html.escape(str(row["sentence"]), quote=False),
                        html.escape(str(row["source"] or "not stated"), quote=False),
                        row["bound"],
                        html.escape(str(row["what"] or ""), quote=False),
                    ]
                ],
                hovertemplate="<b>%{y}</b>: %{text} (%{customdata[2]})<br>what: %{customdata[3]}"
                "<br>source: %{customdata[1]}<br>%{customdata[0]}<extra></extra>",
            )
        )
    statements = [s for s in dict.fromkeys(rows["balance"]) if s]
    figure.update_layout(
        title={"text": title, "subtitle": {"text": html.escape(" · ".join(statements), quote=False)}},
        # Room on the right for the value labels outside the longest bar.
        xaxis={
            "title": " / ".join(dict.fromkeys(rows["unit"])),
            "range": [0, float(rows["value"].max()) * 1.3],
        },
        yaxis={"autorange": "reversed"},
        bargap=0.35,
        height=max(260, 120 + 60 * len(rows)),
        margin={"l": 10, "r": 80, "t": 90, "b": 40},
        meta={"pairs": pairs},
    )
    return figure


# Sequential, one hue (Okabe-Ito sky blue to blue, then darker): readable with any colour vision,
# and cell counts stay legible because plotly picks a contrasting text colour per cell.
_COVERAGE_SCALE = [[0.0, "#E3F1FA"], [0.35, "#56B4E9"], [0.7, "#0072B2"], [1.0, "#003A5D"]]
_LABEL_LENGTH = 48


def _short(label: str) -> str:
    """An axis label of at most _LABEL_LENGTH characters (the hover has the whole name)."""
    label = " ".join(str(label).split())
    return label if len(label) <= _LABEL_LENGTH else label[: _LABEL_LENGTH - 1] + "…"


def source_coverage_chart(coverage: pd.DataFrame, title: str = "Who backs each theme") -> go.Figure:
    """Heatmap of paragraphs per source (rows) and theme (columns), from `source_coverage`.

    Sources with the most paragraphs on top; themes by id, "Other" last; each cell shows its
    count, empty cells are blank. The axes are positions (labels as tick text), so a source
    named like a number stays a row; `layout.meta` holds the rows' sources and the columns'
    theme ids, in order, for finding the cell a click landed on.

    Plotly cannot select a heatmap cell, so a second trace puts an invisible marker at every
    cell's centre: it carries the hover, and a click anywhere in a cell selects its marker (the
    nearest one, as `hoverdistance=-1` sets no cut-off), which is then outlined.
    """
    figure = go.Figure()
    if coverage.empty:
        figure.update_layout(
            title=title,
            annotations=[{"text": "No sources found", "showarrow": False}],
            xaxis={"visible": False},
            yaxis={"visible": False},
            meta={"sources": [], "theme_ids": []},
        )
        return figure
    totals = coverage.groupby("source")["paragraphs"].sum()
    sources = sorted(totals.index, key=lambda s: (-int(totals[s]), str(s)))
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
                    html.escape(str(source), quote=False),
                    html.escape(str(kinds[source]), quote=False),
                    html.escape(str(theme_names[theme_id]), quote=False),
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
    figure.update_layout(
        title=title,
        xaxis={
            "tickmode": "array",
            "tickvals": list(range(len(theme_ids))),
            "ticktext": [html.escape(_short(theme_names[t]), quote=False) for t in theme_ids],
            "showgrid": False,
            "zeroline": False,
            "automargin": True,
            "range": [-0.5, len(theme_ids) - 0.5],
        },
        yaxis={
            "tickmode": "array",
            "tickvals": list(range(len(sources))),
            "ticktext": [html.escape(_short(s), quote=False) for s in sources],
            "showgrid": False,
            "zeroline": False,
            "automargin": True,
            "range": [len(sources) - 0.5, -0.5],  # the first source on top
        },
        hovermode="closest",
        hoverdistance=-1,
        height=max(340, 200 + 36 * len(sources)),
        margin={"l": 10, "r": 10, "t": 50, "b": 20},
        plot_bgcolor="white",
        meta={"sources": [str(s) for s in sources], "theme_ids": [int(t) for t in theme_ids]},
    )
    return figure


def outlets_over_time_chart(table: pd.DataFrame, title: str = "Outlets over time") -> go.Figure:
    """Documents per period, one line per outlet (from `outlets_over_time`); the hover adds
    their paragraphs. Outlets take the palette's colours in alphabetical order."""
    figure = go.Figure()
    most = int(table["documents"].max()) if len(table) else 0
    for index, outlet in enumerate(sorted(table["outlet"].unique(), key=str)):
        rows = table[table["outlet"] == outlet]
        figure.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["documents"],
                mode="lines+markers",
                name=html.escape(str(outlet), quote=False),
                line={"color": THEME_PALETTE[index % len(THEME_PALETTE)]},
                marker={"size": 9},
                customdata=rows[["paragraphs"]].to_numpy(),
                hovertemplate="%{x|%b %Y}: %{y} documents, %{customdata[0]} paragraphs"
                "<extra>%{fullData.name}</extra>",
            )
        )
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
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return figure
