"""Every chart is one pure function: a tidy DataFrame in, a plotly Figure out.

The dashboard's pages and the exports call the same functions, so a chart in a briefing is the
chart on the screen.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from ._themes import OTHER_NAME

__all__ = [
    "THEME_PALETTE",
    "aid_balance_chart",
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


def theme_map_chart(paragraphs: pd.DataFrame, themes: pd.DataFrame, title: str = "Theme map") -> go.Figure:
    """Every paragraph at its 2-D layout position, one WebGL trace per theme."""
    colours = theme_colours(themes)
    figure = go.Figure()
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
    figure.update_layout(
        title=title,
        xaxis={"visible": False},
        yaxis={"visible": False},
        legend={"title": "Theme"},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
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
