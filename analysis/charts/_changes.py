"""Themes across a build's updates: each theme rising and falling from one build to the next."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ._style import inert, theme_colours


@inert
def theme_history_chart(
    history: pd.DataFrame, themes: pd.DataFrame, title: str = "Themes across updates"
) -> go.Figure:
    """Paragraphs per theme in each build (from `theme_history`: the first build, then each
    update), one line per theme, in the colours every theme chart gives it."""
    colours = theme_colours(themes)
    figure = go.Figure()
    builds = history.drop_duplicates("update").sort_values("update")
    for name in themes["theme"]:
        rows = history[history["theme"] == name].sort_values("update")
        if rows.empty:
            continue
        figure.add_trace(
            go.Scatter(
                x=rows["build"],
                y=rows["paragraphs"],
                mode="lines+markers",
                name=name,
                line={"color": colours.get(name)},
                customdata=rows[["built_at"]].to_numpy(),
                hovertemplate="%{x} (%{customdata[0]}): %{y} paragraphs<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(
        title=title,
        xaxis={"title": None, "categoryorder": "array", "categoryarray": builds["build"].tolist()},
        yaxis_title="Paragraphs",
        legend={"title": "Theme"},
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return figure
