"""Exact and near-duplicate paragraphs: keep the first copy, record the others.

Scraped pages repeat themselves (a caption once with escaped quotes and once with curly ones, a
standfirst shown as a teaser and again in the article, the same wire story in two outlets).
Exact copies are found by a normalised key; near copies by MinHash over word 3-shingles with
locality-sensitive hashing (datasketch), which finds pairs above a Jaccard threshold without
comparing every pair, so it stays linear in the corpus size.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["DuplicateOf", "find_duplicates", "normalised_key"]

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-"})
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_NUM_PERM = 64
# Near-duplicate search only makes sense on paragraphs with enough shingles to compare.
_MIN_WORDS_FOR_NEAR = 8


@dataclass(frozen=True)
class DuplicateOf:
    index: int  # the dropped copy
    kept: int  # the copy that stays
    similarity: float  # 1.0 for an exact copy, else estimated Jaccard of word 3-shingles


def normalised_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _NON_WORD.sub(" ", text).strip()


def _shingles(words: list[str]) -> set[str]:
    return {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}


def _shingle_hashes(words: list[str]) -> np.ndarray:
    """The paragraph's word 3-shingles as sorted, distinct CRC-32 values: 4 bytes a shingle
    instead of a Python string in a set (a million paragraphs' shingle sets took ~10 GB)."""
    return np.unique(np.fromiter((zlib.crc32(s.encode("utf-8")) for s in _shingles(words)), dtype=np.uint32))


def find_duplicates(texts: Sequence[str], threshold: float = 0.85) -> list[DuplicateOf]:
    """For every paragraph that repeats an earlier one, which earlier one it repeats."""
    duplicates: list[DuplicateOf] = []
    first_by_key: dict[str, int] = {}
    candidates: list[int] = []
    for index, text in enumerate(texts):
        key = normalised_key(text)
        if key in first_by_key:
            duplicates.append(DuplicateOf(index, first_by_key[key], 1.0))
            continue
        first_by_key[key] = index
        if len(key.split()) >= _MIN_WORDS_FOR_NEAR:
            candidates.append(index)
    first_by_key.clear()
    if threshold >= 1.0 or len(candidates) < 2:
        return duplicates

    from datasketch import LeanMinHash, MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=_NUM_PERM)
    kept_shingles: dict[int, np.ndarray] = {}
    # One shared permutation state for all signatures, and CRC-32 rather than SHA-1 for the
    # shingle hashes: deterministic across processes and several times cheaper. The signature
    # is made from the same CRC-32 values the exact comparison uses.
    template = MinHash(num_perm=_NUM_PERM, seed=1, hashfunc=_identity)
    for index in candidates:
        shingles = _shingle_hashes(normalised_key(texts[index]).split())
        signature = template.copy()
        signature.update_batch(shingles.tolist())
        signature = LeanMinHash(signature)
        # Query before inserting: a paragraph can only repeat one that came before it.
        matches = sorted(int(m) for m in lsh.query(signature))
        kept = None
        for earlier in matches:
            # LSH proposes candidates; the Jaccard of the shingle sets decides.
            other = kept_shingles[earlier]
            common = len(np.intersect1d(shingles, other, assume_unique=True))
            similarity = common / (len(shingles) + len(other) - common or 1)
            if similarity >= threshold:
                kept = (earlier, similarity)
                break
        if kept is not None:
            duplicates.append(DuplicateOf(index, kept[0], round(kept[1], 4)))
            continue
        lsh.insert(str(index), signature)
        kept_shingles[index] = shingles
    duplicates.sort(key=lambda d: d.index)
    return duplicates


def _identity(value: int) -> int:
    """The shingles are hashed already (CRC-32 values)."""
    return value
