"""Paragraph embeddings: embedders (any object with `model_id` and `encode(texts)`), and a disk
cache keyed by (model, text hash) so that only new text is ever embedded."""

from ._cache import EmbeddingCache, embed_with_cache
from ._embedders import (
    Embedder,
    HashingEmbedder,
    MultilingualE5Embedder,
    Progress,
    SentenceTransformerEmbedder,
    choose_model,
    encode_queries,
    make_embedder,
    model_key,
    multilingual_model_problem,
    query_vector,
    search_floor,
    text_hash,
)
from ._languages import LanguageCentres, group_sums, moved_unit_rows
from ._queries import MiniLMQueryEncoder

__all__ = [
    "Embedder",
    "EmbeddingCache",
    "HashingEmbedder",
    "LanguageCentres",
    "MiniLMQueryEncoder",
    "MultilingualE5Embedder",
    "Progress",
    "SentenceTransformerEmbedder",
    "choose_model",
    "embed_with_cache",
    "encode_queries",
    "group_sums",
    "make_embedder",
    "model_key",
    "moved_unit_rows",
    "multilingual_model_problem",
    "query_vector",
    "search_floor",
    "text_hash",
]
