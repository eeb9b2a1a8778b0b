"""The embedding cache: vectors on disk keyed by (model, SHA-256 of the text), and the step
that embeds only what the cache lacks, on whatever engine the build runs."""

from __future__ import annotations

import contextlib
import logging
import re
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..run import EmbeddingChunk, Engine, EngineError, LocalEngine
from ._embedders import Embedder, Progress, text_hash

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

_log = logging.getLogger(__name__)


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
        import pyarrow as pa
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
                        shard = pq.ParquetFile(path)
                    except FileNotFoundError:
                        vanished = True
                        continue
                    except (pa.ArrowException, OSError) as error:
                        self._discard(path, error)
                        continue
                    if {"hash", "vector"} <= set(shard.schema_arrow.names):
                        opened.append((path, shard))
                    else:
                        shard.close()
                        self._discard(path, ValueError("not a shard of this cache"))
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
            shards = [(path, shard, keys) for path, shard in shards if (keys := self._hashes(path, shard)) is not None]
            if not shards:
                return
            keys = pa.chunked_array([chunk for _, _, column in shards for chunk in column.chunks], pa.string())
            found = pc.fill_null(pc.index_in(keys, value_set=pa.array(hashes, pa.string())), -1).to_numpy()
            start = 0
            for path, shard, _ in shards:
                for group in range(shard.num_row_groups):
                    end = start + shard.metadata.row_group(group).num_rows
                    positions, start = found[start:end], end
                    hit = positions >= 0
                    if not hit.any():
                        continue
                    try:
                        vectors = _vector_rows(shard.read_row_group(group, columns=["vector"]).column("vector"))
                    except (pa.ArrowException, OSError, ValueError) as error:
                        # Its texts are then missing from the cache and are embedded again.
                        self._discard(path, error)
                        continue
                    yield (positions, vectors) if hit.all() else (positions[hit], vectors[hit])

    def _hashes(self, path: Path, shard: pq.ParquetFile) -> pa.ChunkedArray | None:
        """A shard's hash column, or None (and the shard discarded) when it cannot be read."""
        import pyarrow as pa

        try:
            return shard.read(columns=["hash"]).column("hash")
        except (pa.ArrowException, OSError, ValueError) as error:
            self._discard(path, error)
            return None

    def _discard(self, path: Path, error: BaseException) -> None:
        """A shard that cannot be read (a disk error, a file cut short, another program's
        file): deleted, so that one bad file costs its texts' embedding once, never a build."""
        _log.warning("embedding cache: discarding unreadable shard %s (%s)", path.name, str(error).splitlines()[0][:200])
        with contextlib.suppress(OSError):
            path.unlink()

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
                # A shard that cannot be read is dropped and the merge tried again without it.
                readable = [(path, shard) for path, shard in full[0] if self._hashes(path, shard) is not None]
                if len(readable) < len(full[0]):
                    continue
                self._merge(readable)

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


# New vectors reach the cache in shards of at least this many rows (24 MiB at 384 dimensions),
# or of what was embedded in the last minute if that is fewer: a crash loses at most that much
# work, and a million rows make 61 shards to merge instead of 1,954.
_FLUSH_ROWS = 16_384
_FLUSH_SECONDS = 60.0
# Texts per chunk of a build's embedding: one step of the progress bar, one engine task. MiniLM
# embeds 512 news paragraphs in about 7 s on two cores.
TEXTS_PER_CHUNK = 512


def embed_with_cache(
    texts: Sequence[str],
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    chunk_size: int | None = None,
    engine: Engine | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for `texts` (row i for texts[i]) and how many texts had to be embedded.

    Only texts missing from the cache are encoded. They are encoded longest first, in chunks:
    like sentence-transformers' own length sorting this keeps padding low, and doing it across
    the whole set (not per chunk) keeps the speed of one plain `encode` call while still letting
    each chunk reach the progress bar (and, a batch of chunks at a time, the cache). The chunks
    are fixed here, whatever `engine` runs them (this process by default, or Ray or Dask): a
    chunk's vectors are then the same bytes on every engine.

    A chunk holds `chunk_size` texts, by default the embedder's `texts_per_chunk` (else
    `TEXTS_PER_CHUNK`): a slower model reports progress after fewer texts.

    The result is filled in place: each cached or new vector goes to the first row of its text,
    and rows of repeated texts are copied from that row at the end.
    """
    chunk_size = chunk_size or getattr(embedder, "texts_per_chunk", TEXTS_PER_CHUNK)
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
