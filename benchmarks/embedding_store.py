"""The embedding cache's store: the package's Parquet shards against one SQLite file, at sizes up
to a million vectors.

    python benchmarks/embedding_store.py [--sizes 100000 1000000] [--work FOLDER]

For each store and size: adding every vector in batches of 16,384 (what a build flushes), then
looking up every hash (a cached rebuild of the whole corpus), then 1,500 hashes (a rebuild of a
small corpus against a large cache), and the bytes on disk. The SQLite store is the simplest
one that does the job: a WITHOUT ROWID table keyed by the 32-byte digest, vectors as float32
blobs, WAL journal so that a reader and a writer in two processes do not block each other.
Vectors are seeded random unit vectors at 384 dimensions (the cost of the model is not measured).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.embed import EmbeddingCache  # noqa: E402

DIM = 384
BATCH = 16_384


class SqliteStore:
    """The same two calls as EmbeddingCache (add, cached), on one SQLite file."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS v (hash BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID")

    def add(self, hashes: Sequence[str], vectors: np.ndarray) -> None:
        rows = ((bytes.fromhex(h), v.tobytes()) for h, v in zip(hashes, np.asarray(vectors, np.float32), strict=True))
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO v VALUES (?, ?)", rows)

    def cached(self, hashes: Sequence[str]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        position = {bytes.fromhex(h): i for i, h in enumerate(hashes)}
        keys = list(position)
        for start in range(0, len(keys), 30_000):
            part = keys[start : start + 30_000]
            rows = self.db.execute(
                f"SELECT hash, vector FROM v WHERE hash IN ({','.join('?' * len(part))})", part
            ).fetchall()
            if rows:
                found = np.fromiter((position[h] for h, _ in rows), dtype=np.int64, count=len(rows))
                yield found, np.frombuffer(b"".join(v for _, v in rows), dtype=np.float32).reshape(len(rows), DIM)


def vectors_for(count: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((count, DIM), dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def hashes_for(count: int) -> list[str]:
    return [hashlib.sha256(f"text {i}".encode()).hexdigest() for i in range(count)]


def size_mib(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(f.stat().st_size for f in files) / 2**20


def measure(name: str, store, where: Path, hashes: list[str]) -> None:
    started = time.perf_counter()
    for start in range(0, len(hashes), BATCH):
        part = hashes[start : start + BATCH]
        store.add(part, vectors_for(len(part), start))
    added = time.perf_counter() - started
    started = time.perf_counter()
    found = sum(len(p) for p, _ in store.cached(hashes))
    everything = time.perf_counter() - started
    sample = hashes[:: max(1, len(hashes) // 1500)][:1500]
    started = time.perf_counter()
    small = sum(len(p) for p, _ in store.cached(sample))
    few = time.perf_counter() - started
    assert found == len(hashes) and small == len(sample)
    print(
        f"{name:8} {len(hashes):>9,}: add {added:6.1f} s, look up all {everything:5.1f} s, "
        f"look up 1,500 {few:5.2f} s, {size_mib(where):7.0f} MiB on disk",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="embedding-store-"))
    try:
        for size in args.sizes:
            hashes = hashes_for(size)
            folder = work / f"parquet-{size}"
            measure("parquet", EmbeddingCache(folder, "bench"), folder, hashes)
            path = work / f"sqlite-{size}.db"
            measure("sqlite", SqliteStore(path), path, hashes)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
