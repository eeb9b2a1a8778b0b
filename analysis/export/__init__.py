"""Files for people: charts as PNG, SVG, PDF and HTML with a Source line and a reproducibility
line, chart data as CSV, and the briefing pack (PDF or PowerPoint)."""

from ._briefing import (
    ALL_SECTIONS,
    APPENDIX_DOCUMENTS,
    BRIEFING_FORMATS,
    CITED_PER_THEME,
    SECTION_TITLES,
    build_briefing,
    check_sections,
)
from ._charts import (
    FORMATS,
    PNG_SCALE,
    PRINT_WIDTH,
    ExportError,
    chart_csv,
    chart_documents,
    export_chart,
    export_charts,
    media_type,
    print_figure,
    reproducibility_line,
    source_line,
    stop_export_browser,
)

__all__ = [
    "ALL_SECTIONS",
    "APPENDIX_DOCUMENTS",
    "BRIEFING_FORMATS",
    "CITED_PER_THEME",
    "FORMATS",
    "PNG_SCALE",
    "PRINT_WIDTH",
    "SECTION_TITLES",
    "ExportError",
    "build_briefing",
    "chart_csv",
    "chart_documents",
    "check_sections",
    "export_chart",
    "export_charts",
    "media_type",
    "print_figure",
    "reproducibility_line",
    "source_line",
    "stop_export_browser",
]
