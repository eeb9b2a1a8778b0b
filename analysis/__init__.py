"""Geopolitical news analysis: from news files to themed paragraphs.

A plain Python package: it knows nothing of Streamlit and works the same from a notebook, the
command line (`python -m analysis build ...`) or the dashboard.
"""

from ._build import (
    Analysis,
    Corpus,
    CorpusError,
    PreparedCorpus,
    build,
    fit_themes,
    load_analysis,
    load_corpus,
    prepare,
    seed_vectors,
)
from ._dedup import find_duplicates
from ._embed import (
    EmbeddingCache,
    HashingEmbedder,
    SentenceTransformerEmbedder,
    embed_with_cache,
    text_hash,
)
from ._lang import detect_languages
from ._layout import layout_2d
from ._readers import SkippedFile, SourceDocument, read_bytes, read_manifest, read_many, read_paths
from ._segment import clean_text, segment_document
from ._themes import OTHER_ID, OTHER_NAME, SeedTheme, ThemeModel, load_seed_themes, theme_terms
from .settings import MODEL_ID, Settings, setting_help

__all__ = [
    "MODEL_ID",
    "OTHER_ID",
    "OTHER_NAME",
    "Analysis",
    "Corpus",
    "CorpusError",
    "EmbeddingCache",
    "HashingEmbedder",
    "PreparedCorpus",
    "SeedTheme",
    "SentenceTransformerEmbedder",
    "Settings",
    "SkippedFile",
    "SourceDocument",
    "ThemeModel",
    "build",
    "clean_text",
    "detect_languages",
    "embed_with_cache",
    "find_duplicates",
    "fit_themes",
    "layout_2d",
    "load_analysis",
    "load_corpus",
    "load_seed_themes",
    "prepare",
    "read_bytes",
    "read_manifest",
    "read_many",
    "read_paths",
    "seed_vectors",
    "segment_document",
    "setting_help",
    "text_hash",
    "theme_terms",
]
