"""Geopolitical news analysis: from news files to themed paragraphs.

A plain Python package: it knows nothing of Streamlit and works the same from a notebook, the
command line (`python -m analysis build ...`) or the dashboard.
"""

from ._balance import flow_balance, format_amount
from ._build import (
    Analysis,
    Corpus,
    CorpusError,
    PreparedCorpus,
    assemble,
    build,
    embed_paragraphs,
    fit_themes,
    load_analysis,
    load_corpus,
    prepare,
    seed_vectors,
)
from ._coverage import (
    coverage_paragraphs,
    document_provenance,
    outlets_over_time,
    source_coverage,
    theme_backing,
    with_source_kinds,
)
from ._dedup import find_duplicates
from ._embed import (
    EmbeddingCache,
    HashingEmbedder,
    SentenceTransformerEmbedder,
    embed_with_cache,
    text_hash,
)
from ._figure_edits import EDITABLE_FIGURE_COLUMNS, FigureEdits, apply_figure_edits, figure_edits_between
from ._figures import FIGURE_COLUMNS, extract_figures, extract_sentence_figures, split_sentences
from ._lang import detect_languages
from ._layout import layout_2d
from ._readers import SkippedFile, SourceDocument, read_bytes, read_manifest, read_many, read_paths
from ._segment import clean_text, segment_document
from ._sources import (
    CITATION_COLUMNS,
    KIND_COLUMNS,
    KINDS,
    SOURCE_COLUMNS,
    attributions_in_sentence,
    check_source_kinds,
    extract_citations,
    infer_byline,
    load_source_kinds,
    read_source_kinds,
    source_kinds_csv,
)
from ._themes import OTHER_ID, OTHER_NAME, SeedTheme, ThemeModel, load_seed_themes, theme_terms
from ._views import (
    apply_theme_edits,
    corpus_summary,
    filter_paragraphs,
    paragraph_context,
    semantic_search,
    theme_share_by_outlet,
    themes_over_time,
)
from .briefing import ALL_SECTIONS, BRIEFING_FORMATS, build_briefing
from .export import FORMATS as EXPORT_FORMATS
from .export import (
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
from .settings import MODEL_ID, Settings, setting_help

__all__ = [
    "ALL_SECTIONS",
    "BRIEFING_FORMATS",
    "CITATION_COLUMNS",
    "EDITABLE_FIGURE_COLUMNS",
    "EXPORT_FORMATS",
    "FIGURE_COLUMNS",
    "KINDS",
    "KIND_COLUMNS",
    "MODEL_ID",
    "OTHER_ID",
    "OTHER_NAME",
    "SOURCE_COLUMNS",
    "Analysis",
    "Corpus",
    "CorpusError",
    "EmbeddingCache",
    "ExportError",
    "FigureEdits",
    "HashingEmbedder",
    "PreparedCorpus",
    "SeedTheme",
    "SentenceTransformerEmbedder",
    "Settings",
    "SkippedFile",
    "SourceDocument",
    "ThemeModel",
    "apply_figure_edits",
    "apply_theme_edits",
    "assemble",
    "attributions_in_sentence",
    "build",
    "build_briefing",
    "chart_csv",
    "chart_documents",
    "check_source_kinds",
    "clean_text",
    "corpus_summary",
    "coverage_paragraphs",
    "detect_languages",
    "document_provenance",
    "embed_paragraphs",
    "embed_with_cache",
    "export_chart",
    "export_charts",
    "extract_citations",
    "extract_figures",
    "extract_sentence_figures",
    "figure_edits_between",
    "filter_paragraphs",
    "find_duplicates",
    "fit_themes",
    "flow_balance",
    "format_amount",
    "infer_byline",
    "layout_2d",
    "load_analysis",
    "load_corpus",
    "load_seed_themes",
    "load_source_kinds",
    "media_type",
    "outlets_over_time",
    "paragraph_context",
    "prepare",
    "print_figure",
    "read_bytes",
    "read_manifest",
    "read_many",
    "read_paths",
    "read_source_kinds",
    "reproducibility_line",
    "seed_vectors",
    "segment_document",
    "semantic_search",
    "setting_help",
    "source_coverage",
    "source_kinds_csv",
    "source_line",
    "split_sentences",
    "stop_export_browser",
    "text_hash",
    "theme_backing",
    "theme_share_by_outlet",
    "theme_terms",
    "themes_over_time",
    "with_source_kinds",
]
