"""The embedding step at 100,000 and 1,000,000 paragraphs: time and peak memory of
`embed_with_cache` with an empty cache (cold) and again with everything cached (warm), and the
number of shard files the cache holds afterwards.

    python benchmarks/cache_scale.py [--sizes 100000 1000000] [--work FOLDER]

Texts are distinct short sentences; vectors come from a stand-in that costs almost nothing
(seeded random unit vectors at the real model's 384 dimensions, derived from a hash of each
text), so what is measured is the cache and the bookkeeping around the embedder, not the model.
Each run (size, cold or warm) is its own process (`--one` mode) so that its peak memory is its
own; `baseline` is the peak before `embed_with_cache` is called (the interpreter, pyarrow and the
texts).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from _isolated import run_steps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DIM = 384


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RandomUnitEmbedder:
    """Unit vectors from a counter-based generator (splitmix64) seeded by each text's hash:
    the same text always gets the same vector, in a few numpy operations per chunk."""

    model_id = f"random-unit-{DIM}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        seeds = np.array(
            [int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little") for t in texts],
            dtype=np.uint64,
        )
        with np.errstate(over="ignore"):
            state = seeds[:, None] + np.arange(1, DIM + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
            state = (state ^ (state >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            state = (state ^ (state >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            state ^= state >> np.uint64(31)
        vectors = (state >> np.uint64(40)).astype(np.float32) - np.float32(1 << 23)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def texts_of(size: int) -> list[str]:
    return [
        f"Paragraph {i} of the benchmark corpus, on topic {i % 97} and region {i % 13}." for i in range(size)
    ]


def run_one(size: int, cache_root: Path) -> dict:
    from analysis import EmbeddingCache, embed_with_cache

    embedder = RandomUnitEmbedder()
    texts = texts_of(size)
    cache = EmbeddingCache(cache_root, embedder.model_id)
    baseline = peak_mib()
    started = time.perf_counter()
    matrix, embedded = embed_with_cache(texts, embedder, cache)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 1),
        "peak_mib": round(peak_mib()),
        "baseline_mib": round(baseline),
        "embedded": embedded,
        "shards": len(list(cache.directory.glob("*.parquet"))),
        "cached_rows": len(cache),
        "matrix_sha256": hashlib.sha256(matrix.tobytes()).hexdigest()[:16],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--work", type=Path)
    parser.add_argument("--one", choices=["cold", "warm"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="cache-scale-"))
    if args.one:
        print(json.dumps(run_one(args.sizes[0], work / f"cache-{args.sizes[0]}")))
        return
    for size in args.sizes:
        shutil.rmtree(work / f"cache-{size}", ignore_errors=True)
        run_steps(__file__, size, ["cold", "warm"], work)


if __name__ == "__main__":
    main()
