"""What every chart shares: colours that stay with a theme, and text made safe for labels."""

from __future__ import annotations

import html

import pandas as pd

from ..tables import OTHER_NAME

# Okabe-Ito, then Tol's muted: colour-blind-safe, and distinct enough for ~20 themes.
THEME_PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677",
    "#882255", "#AA4499", "#6699CC", "#661100", "#AA4466", "#4477AA",
]  # fmt: skip
OTHER_COLOUR = "#BBBBBB"


def plain_text(values: pd.Series) -> pd.Series:
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


