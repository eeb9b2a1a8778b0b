"""The embedding cache: exact vectors, batched shard writes, size-tiered merges, and sharing a
folder between processes without locks."""

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from analysis import EmbeddingCache, HashingEmbedder, MultilingualE5Embedder, embed_with_cache, text_hash
from analysis.run import LocalEngine

ROOT = Path(__file__).resolve().parent.parent


def corpus(n: int, repeats: int = 0) -> list[str]:
    """`n` distinct texts of varied lengths, then `repeats` of them again, interleaved."""
    texts = [f"story {i} about " + " ".join(f"word{i % (j + 7)}" for j in range(i % 23)) for i in range(n)]
    for k in range(repeats):
        texts.insert(3 * k + 1, texts[(7 * k) % n])
    return texts


def vectors_for(hashes: list[str], dim: int = 8) -> np.ndarray:
    """A distinct float32 vector per hash, derived from it (so a row put back in the wrong
    place, or lost and replaced, is noticed)."""
    return np.array(
        [[int(h[i * 2 : i * 2 + 2], 16) / 7.0 for i in range(dim)] for h in hashes], dtype=np.float32
    )


def shard_count(cache: EmbeddingCache) -> int:
    return len(list(cache.directory.glob("*.parquet")))


def test_warm_run_embeds_nothing_and_returns_the_same_bytes(tmp_path):
    texts = corpus(1_000, repeats=150)
    embedder = HashingEmbedder()
    cache = EmbeddingCache(tmp_path, embedder.model_id)
    cold, embedded = embed_with_cache(texts, embedder, cache, chunk_size=64)
    assert embedded == 1_000 and embedder.encoded == 1_000
    assert cold.dtype == np.float32 and cold.shape == (1_150, 256)
    # Row by row what the embedder gives each text, repeated texts included.
    assert cold.tobytes() == HashingEmbedder().encode(texts).tobytes()
    repeats = [(row, texts.index(text)) for row, text in enumerate(texts) if texts.index(text) != row]
    assert len(repeats) == 150 and all(cold[row].tobytes() == cold[first].tobytes() for row, first in repeats)

    again = HashingEmbedder()
    warm, embedded = embed_with_cache(texts, again, cache, chunk_size=64)
    assert (embedded, again.encoded, again.calls) == (0, 0, 0)
    assert warm.tobytes() == cold.tobytes()
    assert len(cache) == 1_000


def test_partly_cached_texts_embed_only_the_new_ones(tmp_path):
    texts = corpus(600)
    embedder = HashingEmbedder()
    cache = EmbeddingCache(tmp_path, embedder.model_id)
    embed_with_cache(texts[::2], embedder, cache)
    later = HashingEmbedder()
    matrix, embedded = embed_with_cache(texts, later, cache)
    assert (embedded, later.encoded) == (300, 300)
    assert matrix.tobytes() == HashingEmbedder().encode(texts).tobytes()
    assert len(cache) == 600


def test_empty_input(tmp_path):
    cache = EmbeddingCache(tmp_path, "m")
    calls = []
    matrix, embedded = embed_with_cache([], HashingEmbedder(), cache, progress=lambda *a: calls.append(a))
    assert matrix.shape == (0, 0) and matrix.dtype == np.float32 and embedded == 0
    assert calls == [("embedding", 0, 0)]
    assert shard_count(cache) == 0 and len(cache) == 0 and cache.lookup([]) == {}


class RecordingEngine(LocalEngine):
    def __init__(self):
        super().__init__()
        self.chunks = []

    def embed(self, chunks, embedder, done):
        self.chunks = list(chunks)
        super().embed(chunks, embedder, done)


def test_chunks_are_the_missing_texts_longest_first_then_by_hash(tmp_path):
    texts = corpus(300, repeats=40)
    cache = EmbeddingCache(tmp_path, "m")
    embed_with_cache(texts[:100], HashingEmbedder(), cache)
    engine = RecordingEngine()
    embed_with_cache(texts, HashingEmbedder(), cache, chunk_size=32, engine=engine)
    missing = sorted(
        {t for t in texts[100:] if t not in set(texts[:100])}, key=lambda t: (-len(t), text_hash(t))
    )
    assert [chunk.id for chunk in engine.chunks] == list(range(len(engine.chunks)))
    assert [len(chunk.texts) for chunk in engine.chunks[:-1]] == [32] * (len(engine.chunks) - 1)
    assert [t for chunk in engine.chunks for t in chunk.texts] == missing
    assert [h for chunk in engine.chunks for h in chunk.hashes] == [text_hash(t) for t in missing]


class CountingCache(EmbeddingCache):
    def __init__(self, *args):
        super().__init__(*args)
        self.added: list[int] = []
        self.merged_rows = 0

    def add(self, hashes, vectors):
        self.added.append(len(hashes))
        super().add(hashes, vectors)

    def _merge(self, shards):
        self.merged_rows += sum(shard.metadata.num_rows for _, shard in shards)
        super()._merge(shards)


def test_new_vectors_reach_the_cache_in_batches(tmp_path):
    cache = CountingCache(tmp_path, "m")
    embed_with_cache(corpus(2 * 16_384 + 30), HashingEmbedder(dim=8), cache, chunk_size=512)
    # Shards of 16,384 rows (32 chunks each), and what is left at the end: not one per chunk.
    assert cache.added == [16_384, 16_384, 30]
    assert len(cache) == 2 * 16_384 + 30


class FailingEngine(LocalEngine):
    def embed(self, chunks, embedder, done):
        for chunk in chunks[:3]:
            done(chunk, embedder.encode(list(chunk.texts)))
        raise RuntimeError("worker lost")


def test_chunks_finished_before_a_failure_are_kept(tmp_path):
    cache = EmbeddingCache(tmp_path, "m")
    with pytest.raises(RuntimeError, match="worker lost"):
        embed_with_cache(corpus(500), HashingEmbedder(), cache, chunk_size=50, engine=FailingEngine())
    assert len(cache) == 150
    embedder = HashingEmbedder()
    embed_with_cache(corpus(500), embedder, cache, chunk_size=50)
    assert embedder.encoded == 350


def test_size_tiered_merges_bound_shards_and_rewrites(tmp_path):
    cache = CountingCache(tmp_path, "m")
    hashes = [text_hash(str(i)) for i in range(1_024)]
    most = 0
    for start in range(0, 1_024, 4):
        cache.add(hashes[start : start + 4], vectors_for(hashes[start : start + 4]))
        most = max(most, shard_count(cache))
    # At most 3 shards in each of the tiers 1 (4 rows) to 4 (256 to 1,023 rows); after 256 adds
    # of 4 rows (4^4 of them) everything has been merged into one shard, and each row was
    # rewritten once per tier it went up: 4 times, not once per merge.
    assert most <= 12
    assert shard_count(cache) == 1
    assert cache.merged_rows == 4 * 1_024
    assert len(cache) == 1_024
    found = cache.lookup(hashes)
    assert len(found) == 1_024
    assert np.array_equal(np.stack([found[h] for h in hashes]), vectors_for(hashes))


def test_small_adds_keep_few_shards_and_compact_makes_one(tmp_path):
    cache = EmbeddingCache(tmp_path, "m")
    hashes = [text_hash(f"t{i}") for i in range(600)]
    for start in range(0, 600, 3):
        cache.add(hashes[start : start + 3], vectors_for(hashes[start : start + 3]))
        assert shard_count(cache) <= 12
    assert len(cache) == 600
    cache.compact()
    assert shard_count(cache) == 1 and len(cache) == 600
    found = cache.lookup([*hashes[::-1], "not cached", hashes[0]])
    assert sorted(found) == sorted(hashes)
    assert np.array_equal(np.stack([found[h] for h in hashes]), vectors_for(hashes))


def test_an_interrupted_shard_is_ignored(tmp_path):
    cache = EmbeddingCache(tmp_path, "m")
    hashes = [text_hash(f"t{i}") for i in range(40)]
    cache.add(hashes[:20], vectors_for(hashes[:20]))
    interrupted = cache.directory / ".00000000000000000001-deadbeef.tmp"
    interrupted.write_bytes(b"PAR1 half a shard")
    for start in range(20, 40, 5):
        cache.add(hashes[start : start + 5], vectors_for(hashes[start : start + 5]))
    cache.compact()
    assert len(cache) == 40 and len(cache.lookup(hashes)) == 40
    assert shard_count(cache) == 1 and interrupted.exists()  # it may be a write in progress
    # Untouched for two hours: a crashed write's, deleted by the next write.
    two_hours_ago = time.time() - 7200
    os.utime(interrupted, (two_hours_ago, two_hours_ago))
    more = [text_hash(f"u{i}") for i in range(3)]
    cache.add(more, vectors_for(more))
    assert not interrupted.exists() and len(cache) == 43


def test_two_caches_on_one_folder_lose_nothing(tmp_path):
    first, second = EmbeddingCache(tmp_path, "m"), EmbeddingCache(tmp_path, "m")
    hashes = [text_hash(f"t{i}") for i in range(500)]
    for k, start in enumerate(range(0, 500, 5)):
        writer = first if k % 2 else second
        writer.add(hashes[start : start + 5], vectors_for(hashes[start : start + 5]))
    assert len(first) == len(second) == 500
    for cache in (first, second):
        found = cache.lookup(hashes)
        assert np.array_equal(np.stack([found[h] for h in hashes]), vectors_for(hashes))


def test_a_text_stored_twice_is_kept_once_by_a_merge(tmp_path):
    first, second = EmbeddingCache(tmp_path, "m"), EmbeddingCache(tmp_path, "m")
    hashes = [text_hash(f"t{i}") for i in range(30)]
    first.add(hashes[:20], vectors_for(hashes[:20]))
    second.add(hashes[10:], vectors_for(hashes[10:]))
    assert len(first) == 40
    first.compact()
    assert len(first) == 30
    found = first.lookup(hashes)
    assert np.array_equal(np.stack([found[h] for h in hashes]), vectors_for(hashes))


def test_a_shard_merged_away_during_a_lookup_is_found_in_the_merged_one(tmp_path, monkeypatch):
    writer, reader = EmbeddingCache(tmp_path, "m"), EmbeddingCache(tmp_path, "m")
    hashes = [text_hash(f"t{i}") for i in range(26)]
    # 1, 5 and 20 rows: three tiers, so no merge yet.
    for start, end in [(0, 1), (1, 6), (6, 26)]:
        writer.add(hashes[start:end], vectors_for(hashes[start:end]))
    stale = writer._shards()
    assert len(stale) == 3
    writer.compact()
    listings = iter([stale])
    # The reader lists the folder just before the merge replaced those shards.
    monkeypatch.setattr(reader, "_shards", lambda: next(listings, None) or writer._shards())
    found = reader.lookup(hashes)
    assert np.array_equal(np.stack([found[h] for h in hashes]), vectors_for(hashes))


WORKER = """
import sys
import time
import numpy as np
sys.path.insert(0, sys.argv[1])
from analysis import EmbeddingCache, text_hash
from tests.test_embedding_cache import vectors_for
cache = EmbeddingCache(sys.argv[2], "m")
name = sys.argv[3]
for batch in range(60):
    hashes = [text_hash(f"{name}-{batch}-{i}") for i in range(5)]
    cache.add(hashes, vectors_for(hashes))
"""


def test_two_processes_adding_at_once_lose_nothing(tmp_path):
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(ROOT), str(tmp_path), name])
        for name in ("a", "b")
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    hashes = [
        text_hash(f"{name}-{batch}-{i}") for name in ("a", "b") for batch in range(60) for i in range(5)
    ]
    cache = EmbeddingCache(tmp_path, "m")
    found = cache.lookup(hashes)
    assert np.array_equal(np.stack([found[h] for h in hashes]), vectors_for(hashes))
    # Merges racing each other may store a row twice, never lose one; a full merge keeps one.
    assert len(cache) >= 600
    cache.compact()
    assert len(cache) == 600 and shard_count(cache) == 1


@pytest.mark.parametrize("damage", ["garbage", "cut short", "another table"])
def test_a_corrupt_shard_is_discarded_and_its_texts_embedded_again(tmp_path, damage):
    """One bad file in the cache (a disk error, a copy cut short, a file of another program)
    costs its texts' embedding once, never a build."""
    import pandas as pd

    texts = [f"paragraph number {i} about grain shipments" for i in range(30)]
    embedder = HashingEmbedder(dim=16)
    cache = EmbeddingCache(tmp_path, embedder.model_id)
    first, _ = embed_with_cache(texts[:20], embedder, cache)
    embed_with_cache(texts[20:], embedder, cache)
    shards = sorted(cache.directory.glob("*.parquet"))
    assert len(shards) == 2
    bad = shards[0]
    if damage == "garbage":
        bad.write_bytes(b"PAR1 not a parquet file at all PAR1")
    elif damage == "cut short":
        bad.write_bytes(bad.read_bytes()[: bad.stat().st_size // 2])
    else:
        pd.DataFrame({"x": [1, 2]}).to_parquet(bad)
    vectors, embedded = embed_with_cache(texts, HashingEmbedder(dim=16), cache)
    assert not bad.exists()
    assert 0 < embedded < len(texts)  # only the bad shard's texts again
    assert np.array_equal(vectors[:20], first)  # the same vectors, from the cache or again
    # The cache holds every text again: the next run embeds nothing.
    assert embed_with_cache(texts, HashingEmbedder(dim=16), cache)[1] == 0


def test_chunks_hold_the_embedders_texts_per_chunk_and_each_reaches_the_progress_bar():
    """A slow model (e5: about 10 paragraphs a second) declares smaller chunks, so the progress
    bar moves every few seconds instead of staying at "0 of 404" for a whole upload."""
    steps = []
    embed_with_cache(corpus(600), HashingEmbedder(), progress=lambda stage, done, total: steps.append(done))
    assert steps == [0, 512, 600]

    class SlowModel(HashingEmbedder):
        texts_per_chunk = 64

    slow, steps = SlowModel(), []
    vectors, _ = embed_with_cache(corpus(150), slow, progress=lambda stage, done, total: steps.append(done))
    assert steps == [0, 64, 128, 150] and slow.calls == 3
    assert vectors.tobytes() == HashingEmbedder().encode(corpus(150)).tobytes()
    assert MultilingualE5Embedder.texts_per_chunk < 512
