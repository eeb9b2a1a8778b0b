"""Geopolitical news analysis: from news files to themed paragraphs, figures and cited sources.

A plain Python package: it knows nothing of Streamlit and works the same from a notebook, the
command line (`python -m analysis build ...`) or the dashboard. Its stages are sub-packages:

    ingest/   files -> documents, articles, paragraphs (readers, segmentation, bylines,
              duplicates, languages)
    embed/    embedders and the embedding cache
    themes/   the theme model, labels, fitting, the 2-D layout
    claims/   sentences, figures and cited sources
    run/      engines: this machine, Ray, Dask
    build/    the Pipeline, derived results, the build folder's store
    views/    what the pages show, computed from an Analysis (some stored with a build)
    charts/   one pure function per chart
    export/   chart files and the briefing pack
    tables.py, settings.py, lookups/: the tables, settings and lookup tables every stage shares

Names are imported lazily: `import analysis` costs nothing until a name is used, so reopening a
build never imports the model, plotly or scikit-learn.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Public name -> the sub-package (or module) that defines it.
_WHERE = {
    "settings": ("MODEL_ID", "MULTILINGUAL_MODEL_ID", "Settings", "setting_help", "SETTINGS"),
    "tables": (
        "CITATION_COLUMNS", "FIGURE_COLUMNS", "KINDS", "KIND_COLUMNS", "OTHER_ID", "OTHER_NAME",
        "SOURCE_COLUMNS", "Analysis", "CorpusError", "Provenance", "VectorCodes", "largest_first", "paragraph_ids",
    ),
    "lookups": ("check_source_kinds", "load_source_kinds", "read_source_kinds", "source_kinds_csv"),
    "ingest": (
        "Corpus", "PreparedCorpus", "ReadLimits", "SkippedFile", "SourceDocument", "clean_text", "detect_languages",
        "find_duplicates", "infer_byline", "load_corpus", "prepare", "query_language", "read_bytes", "read_manifest",
        "read_many", "read_paths", "segment_document",
    ),
    "embed": (
        "EmbeddingCache", "HashingEmbedder", "LanguageCentres", "MultilingualE5Embedder", "SentenceTransformerEmbedder",
        "embed_with_cache", "make_embedder", "query_vector", "text_hash",
    ),
    "themes": ("SeedTheme", "ThemeModel", "fit_themes", "layout_2d", "load_seed_themes", "seed_vectors", "theme_terms"),
    "claims": (
        "ClaimLimits", "Claims", "attributions_in_sentence", "extract_citations", "extract_figures",
        "extract_sentence_figures", "read_claims", "split_sentences",
    ),
    "run": ("ENGINES", "EngineError"),
    "build": ("Pipeline", "build_analysis", "load_analysis", "save_analysis"),
    "views": (
        "EDITABLE_FIGURE_COLUMNS", "MAP_POINTS", "PAGE_ROWS", "FigureEdits", "apply_figure_edits",
        "apply_theme_edits", "corpus_summary", "coverage_paragraphs", "document_provenance",
        "figure_edits_between", "filter_paragraphs", "flow_balance", "format_amount", "map_density",
        "map_sample", "outlets_over_time", "page_count", "page_of", "paragraph_context", "semantic_search",
        "source_coverage", "theme_backing", "theme_share_by_outlet", "themes_over_time", "with_source_kinds",
    ),
    "export": (
        "ALL_SECTIONS", "BRIEFING_FORMATS", "ExportError", "build_briefing", "chart_csv", "chart_documents",
        "export_chart", "export_charts", "reproducibility_line", "source_line", "stop_export_browser",
    ),
}  # fmt: skip
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from .build import Pipeline, build_analysis, load_analysis, save_analysis  # noqa: F401
    from .ingest import Corpus, PreparedCorpus, load_corpus, prepare  # noqa: F401
    from .settings import MODEL_ID, Settings, setting_help  # noqa: F401
    from .tables import Analysis, CorpusError, Provenance  # noqa: F401
