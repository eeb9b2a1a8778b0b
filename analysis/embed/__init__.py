"""Paragraph embeddings: embedders (any object with `model_id` and `encode(texts)`), and a disk
cache keyed by (model, text hash) so that only new text is ever embedded."""

from ._cache import EmbeddingCache, embed_with_cache
from ._embedders import Embedder, HashingEmbedder, Progress, SentenceTransformerEmbedder, model_key, text_hash

__all__ = [
    "Embedder",
    "EmbeddingCache",
    "HashingEmbedder",
    "Progress",
    "SentenceTransformerEmbedder",
    "embed_with_cache",
    "model_key",
    "text_hash",
]
