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
    made = pd.to_datetime(builds["built_at"], errors="coerce", utc=True, format="ISO8601").dt.strftime("%d %b %Y").fillna("")
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
                hovertemplate="%{fullData.name}: %{y} paragraphs<extra></extra>",
            )
        )
    figure.update_layout(
        title=title,
        xaxis={
            "title": None,
            "categoryorder": "array",
            "categoryarray": builds["build"].tolist(),
            # When each build was made, under its name: the hover names the build only.
            "tickvals": builds["build"].tolist(),
            "ticktext": (builds["build"] + "\n" + made).str.strip().tolist(),
        },
        yaxis_title="Paragraphs",
        legend={"title": "Theme"},
        # Themes of equal size draw one line over another: the hover lists every theme's count
        # at the build pointed at, so a hidden line is still read.
        hovermode="x unified",
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return figure
