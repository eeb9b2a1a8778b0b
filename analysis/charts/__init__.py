"""One pure function per chart: a tidy DataFrame in, a plotly Figure out, shared by the pages and
the exports. Text from the corpus is escaped before it reaches a label."""

from ._aid import CHARTED_FLOW_FIGURES, SUBTITLE_RATIOS, aid_balance_chart, charted_figures
from ._changes import theme_history_chart
from ._sources import (
    CHARTED_OUTLETS,
    CHARTED_SOURCES,
    coverage_sources,
    outlets_over_time_chart,
    source_coverage_chart,
)
from ._style import THEME_PALETTE, inert_figure, inert_text, theme_colours
from ._themes import theme_map_chart, theme_share_by_outlet_chart, theme_sizes_chart, themes_over_time_chart

__all__ = [
    "CHARTED_FLOW_FIGURES",
    "CHARTED_OUTLETS",
    "CHARTED_SOURCES",
    "SUBTITLE_RATIOS",
    "THEME_PALETTE",
    "aid_balance_chart",
    "charted_figures",
    "coverage_sources",
    "inert_figure",
    "inert_text",
    "outlets_over_time_chart",
    "source_coverage_chart",
    "theme_colours",
    "theme_history_chart",
    "theme_map_chart",
    "theme_share_by_outlet_chart",
    "theme_sizes_chart",
    "themes_over_time_chart",
]
