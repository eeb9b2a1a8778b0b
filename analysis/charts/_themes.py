"""Theme charts: sizes, the map, themes by outlet and over time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..tables import largest_first
from ._style import inert, shortened, theme_colours

# Characters of a paragraph, and of its title, a map point's hover shows: enough to recognise
# them; each point sends its own to the browser (2,500 points: most of the map's bytes).
_HOVER_CHARS, _HOVER_TITLE_CHARS = 80, 60


@inert
def theme_sizes_chart(themes: pd.DataFrame, title: str = "Paragraphs per theme") -> go.Figure:
    """Horizontal bars of theme sizes, largest on top, 'Other' last."""
    # plotly draws the first bar at the bottom.
    ordered = largest_first(themes).iloc[::-1]
    colours = theme_colours(themes)
    figure = go.Figure(
        go.Bar(
            x=ordered["size"],
            y=ordered["theme"],
            orientation="h",
            marker_color=[colours[name] for name in ordered["theme"]],
            customdata=ordered["keywords"].astype(str).to_frame().to_numpy(),
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


@inert
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
                # Empty cells stay white; float32, half the bytes sent of float64, is plenty for a shade.
                z=np.where(counts > 0, np.log1p(counts), np.nan).astype(np.float32),
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
        opening = shortened(members["text"], _HOVER_CHARS)
        titles = shortened(members["title"], _HOVER_TITLE_CHARS)
        figure.add_trace(
            go.Scattergl(
                x=members["x"],
                y=members["y"],
                mode="markers",
                name=name,
                marker={"color": colours[name], "size": 7, "opacity": 0.8},
                customdata=pd.concat(
                    [members["outlet"].astype(str), titles, opening], axis=1
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


@inert
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
                y=rows["outlet"].astype(str),
                orientation="h",
                name=name,
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


@inert
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
                name=name,
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
