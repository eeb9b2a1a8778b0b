"""From files to paragraphs: a reader per format, segmentation into articles and paragraphs,
bylines, duplicates and languages. `prepare` runs them all on a `Corpus`."""

from ._bylines import dateline_length, infer_byline
from ._corpus import Corpus, PreparedCorpus, load_corpus, prepare
from ._dedup import find_duplicates
from ._lang import detect_languages, query_language
from ._readers import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    ReadLimits,
    SkippedFile,
    SourceDocument,
    read_bytes,
    read_manifest,
    read_many,
    read_paths,
)
from ._segment import clean_text, is_byline_line, segment_document, word_count

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "Corpus",
    "PreparedCorpus",
    "ReadLimits",
    "SkippedFile",
    "SourceDocument",
    "clean_text",
    "dateline_length",
    "detect_languages",
    "find_duplicates",
    "infer_byline",
    "is_byline_line",
    "load_corpus",
    "prepare",
    "query_language",
    "read_bytes",
    "read_manifest",
    "read_many",
    "read_paths",
    "segment_document",
    "word_count",
]
