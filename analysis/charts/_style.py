"""What every chart shares: colours that stay with a theme, and text made inert.

plotly reads tags in every label (<b>, <br>, <a href>, <span style>), and an SVG or HTML export
keeps them live, so text that comes from a corpus, a link, a build folder or an upload must reach
a figure escaped. Chart functions do not escape as they go: `inert` escapes every text a finished
figure shows, once, so a label can never be missed or escaped twice. The figure's own markup
lives only in templates (hovertemplate, texttemplate), which are left alone.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..tables import OTHER_NAME

# Okabe-Ito's seven colours (colour-blind-safe), then Tol's, each the one farthest from every
# colour before it and from Other's grey, in CIELAB as seen with normal vision, deuteranopia and
# protanopia (the nearest pair counted). Tol's in their own order put a near twin of an Okabe-Ito
# colour ninth and tenth (cyan after sky blue, teal after green): on a map of ten themes two
# looked alike, and to a deuteranope nearly the same (nearest pair 14 and 4 units). Now the
# nearest pair of the first ten is 26 units (15 for a deuteranope), of the first twelve 22 (15).
THEME_PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
    "#661100", "#DDCC77", "#332288", "#882255", "#117733", "#999933", "#88CCEE",
    "#AA4466", "#6699CC", "#4477AA", "#AA4499", "#CC6677", "#44AA99",
]  # fmt: skip
OTHER_COLOUR = "#BBBBBB"


# Trace properties that hold shown text (never a template).
_TRACE_TEXT = ("x", "y", "z", "text", "hovertext", "customdata", "name", "labels", "ids", "legendgroup")


def inert_text(value: object) -> str:
    """Text from outside (a corpus, a link, a build folder, an upload) as plotly shows it
    literally: the one escaping function of charts and their exports. A line break stays one
    (plotly would run the lines together)."""
    return html.escape(str(value), quote=False).replace("\n", "<br>")


def _inert_values(value):
    if isinstance(value, str):
        return inert_text(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "OUS":
        return np.vectorize(lambda v: inert_text(v) if isinstance(v, str) else v, otypes=[object])(value)
    if isinstance(value, list | tuple):
        return type(value)(_inert_values(v) for v in value)
    return value


def shortened(texts: pd.Series, limit: int) -> pd.Series:
    """Each text in at most `limit` characters, an ellipsis marking where it was cut: a label or a
    hover line, where the whole text is a click away."""
    texts = texts.astype(str)
    return texts.where(texts.str.len() <= limit, texts.str.slice(0, limit - 1) + "…")


def inert_figure(figure: go.Figure) -> go.Figure:
    """`figure` with every text it shows escaped: trace data, names and labels, titles,
    subtitles, axis titles and tick labels, legend titles, annotations."""
    for trace in figure.data:
        for name in _TRACE_TEXT:
            value = getattr(trace, name, None)
            if value is not None:
                trace[name] = _inert_values(value)
    layout = figure.layout
    texts = [layout.title, layout.title.subtitle, layout.legend.title, *layout.annotations]
    for axis in [key for key in layout.to_plotly_json() if key.startswith(("xaxis", "yaxis"))]:
        texts.append(layout[axis].title)
        if layout[axis].ticktext is not None:
            layout[axis].ticktext = _inert_values(list(layout[axis].ticktext))
    for item in texts:
        if item is not None and item.text is not None:
            item.text = inert_text(item.text)
    return figure


def inert(chart: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """A chart function whose figure shows every text escaped (see `inert_figure`)."""

    @functools.wraps(chart)
    def drawn(*args, **kwargs) -> go.Figure:
        return inert_figure(chart(*args, **kwargs))

    return drawn


def nothing_to_draw(title: str, message: str, **layout) -> go.Figure:
    """A chart with nothing to draw: its title and one line saying why, and no axes (an empty
    frame's default ticks, -1 to 5, read as if they were data)."""
    figure = go.Figure()
    figure.update_layout(
        title=title,
        annotations=[{"text": message, "showarrow": False}],
        xaxis={"visible": False},
        yaxis={"visible": False},
        height=240,
        **layout,
    )
    return figure


def theme_colours(themes: pd.DataFrame) -> dict[str, str]:
    """A fixed colour per theme name, by theme id, so every chart colours a theme alike."""
    colours = {}
    for theme_id, name in zip(themes["theme_id"], themes["theme"], strict=False):
        colours[name] = (
            OTHER_COLOUR if name == OTHER_NAME else THEME_PALETTE[int(theme_id) % len(THEME_PALETTE)]
        )
    return colours


