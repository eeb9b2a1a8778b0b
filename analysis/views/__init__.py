"""What the pages show, computed from an `Analysis`: filtered and searched paragraphs, the map
sample, themes by outlet and over time, the aid balance, the analyst's figure corrections, and
source coverage. Pure functions of tables; no Streamlit."""

from ._balance import flow_balance, flow_value, format_amount
from ._coverage import (
    NO_OUTLET,
    coverage_paragraphs,
    document_provenance,
    outlets_over_time,
    source_coverage,
    theme_backing,
    with_source_kinds,
)
from ._figure_edits import EDITABLE_FIGURE_COLUMNS, FigureEdits, apply_figure_edits, figure_edits_between
from ._paragraphs import (
    MAP_POINTS,
    PAGE_ROWS,
    apply_theme_edits,
    corpus_summary,
    filter_paragraphs,
    map_density,
    map_sample,
    page_count,
    page_of,
    paragraph_context,
    semantic_search,
    theme_share_by_outlet,
    themes_over_time,
)

__all__ = [
    "EDITABLE_FIGURE_COLUMNS",
    "MAP_POINTS",
    "NO_OUTLET",
    "PAGE_ROWS",
    "FigureEdits",
    "apply_figure_edits",
    "apply_theme_edits",
    "corpus_summary",
    "coverage_paragraphs",
    "document_provenance",
    "figure_edits_between",
    "filter_paragraphs",
    "flow_balance",
    "flow_value",
    "format_amount",
    "map_density",
    "map_sample",
    "outlets_over_time",
    "page_count",
    "page_of",
    "paragraph_context",
    "semantic_search",
    "source_coverage",
    "theme_backing",
    "theme_share_by_outlet",
    "themes_over_time",
    "with_source_kinds",
]
