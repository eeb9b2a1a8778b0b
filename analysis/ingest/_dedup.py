"""Exact and near-duplicate paragraphs: keep the first copy, record the others.

Scraped pages repeat themselves (a caption once with escaped quotes and once with curly ones, a
standfirst shown as a teaser and again in the article, the same wire story in two outlets).
Exact copies are found by a normalised key; near copies by MinHash over word 3-shingles with
locality-sensitive hashing (datasketch), which finds pairs above a Jaccard threshold without
comparing every pair, so it stays linear in the corpus size.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["DuplicateOf", "Signatures", "find_duplicates", "normalised_key", "paragraph_signatures"]

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


@dataclass
class Signatures:
    """What the duplicate search needs of each paragraph, computed in parts anywhere (every
    field is an array, so a part travels between processes as a few buffers): the digest of
    its normalised text, and for paragraphs long enough for the near-duplicate search their
    sorted distinct shingle hashes (`shingles[offsets[i]:offsets[i + 1]]`) and MinHash values
    (a row of `minhash`, zeros for the others)."""

    keys: np.ndarray  # 16-byte digests of normalised_key(text)
    near: np.ndarray  # bool: long enough to compare
    shingles: np.ndarray  # uint32
    offsets: np.ndarray  # int64, len(keys) + 1
    minhash: np.ndarray  # uint64, (len(keys), _NUM_PERM)

    @staticmethod
    def joined(parts: Sequence[Signatures]) -> Signatures:
        if not parts:
            return paragraph_signatures([])
        ends = np.cumsum([0] + [len(part.shingles) for part in parts[:-1]])
        return Signatures(
            keys=np.concatenate([part.keys for part in parts]),
            near=np.concatenate([part.near for part in parts]),
            shingles=np.concatenate([part.shingles for part in parts]),
            offsets=np.concatenate(
                [parts[0].offsets[:1]]
                + [part.offsets[1:] + end for part, end in zip(parts, ends, strict=True)]
            ),
            minhash=np.concatenate([part.minhash for part in parts]),
        )


def paragraph_signatures(texts: Sequence[str], near: bool = True) -> Signatures:
    """Signatures of `texts`; with `near` False only the exact keys (no shingles, no MinHash)."""
    template = _template()
    keys = np.empty(len(texts), dtype="S16")
    comparable = np.zeros(len(texts), dtype=bool)
    minhash = np.zeros((len(texts), _NUM_PERM) if near else (len(texts), 0), dtype=np.uint64)
    shingle_parts: list[np.ndarray] = []
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    for index, text in enumerate(texts):
        key = normalised_key(text)
        keys[index] = hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()
        words = key.split()
        if near and len(words) >= _MIN_WORDS_FOR_NEAR:
            comparable[index] = True
            shingles = _shingle_hashes(words)
            signature = template.copy()
            signature.update_batch(shingles.tolist())
            minhash[index] = signature.hashvalues
            shingle_parts.append(shingles)
            offsets[index + 1] = offsets[index] + len(shingles)
        else:
            offsets[index + 1] = offsets[index]
    shingles = np.concatenate(shingle_parts) if shingle_parts else np.zeros(0, dtype=np.uint32)
    return Signatures(keys, comparable, shingles, offsets, minhash)


def find_duplicates(
    texts: Sequence[str], threshold: float = 0.85, signatures: Signatures | None = None
) -> list[DuplicateOf]:
    """For every paragraph that repeats an earlier one, which earlier one it repeats.

    `signatures` are `paragraph_signatures(texts)` if computed already (the build computes
    them in parts, on its engine); the search itself is one pass in text order, since a
    paragraph can only repeat one that came before it."""
    near = threshold < 1.0
    if signatures is None:
        signatures = paragraph_signatures(texts, near)
    duplicates: list[DuplicateOf] = []
    first_by_key: dict[bytes, int] = {}
    candidates: list[int] = []
    for index, key in enumerate(signatures.keys.tolist()):
        if key in first_by_key:
            duplicates.append(DuplicateOf(index, first_by_key[key], 1.0))
            continue
        first_by_key[key] = index
        if signatures.near[index]:
            candidates.append(index)
    first_by_key.clear()
    if not near or len(candidates) < 2:
        return duplicates

    from datasketch import LeanMinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=_NUM_PERM)
    scheme = _template().scheme  # how the values were made, which LeanMinHash must be told
    offsets = signatures.offsets
    for index in candidates:
        shingles = signatures.shingles[offsets[index] : offsets[index + 1]]
        signature = LeanMinHash(seed=1, hashvalues=signatures.minhash[index], scheme=scheme)
        # Query before inserting: a paragraph can only repeat one that came before it.
        matches = sorted(int(m) for m in lsh.query(signature))
        repeats = None
        for earlier in matches:
            # LSH proposes candidates; the Jaccard of the shingle sets decides.
            other = signatures.shingles[offsets[earlier] : offsets[earlier + 1]]
            common = len(np.intersect1d(shingles, other, assume_unique=True))
            similarity = common / (len(shingles) + len(other) - common or 1)
            if similarity >= threshold:
                repeats = (earlier, similarity)
                break
        if repeats is not None:
            duplicates.append(DuplicateOf(index, repeats[0], round(repeats[1], 4)))
            continue
        lsh.insert(str(index), signature)
    duplicates.sort(key=lambda d: d.index)
    return duplicates


def _template():
    """One shared permutation state for all signatures, and CRC-32 rather than SHA-1 for the
    shingle hashes: deterministic across processes and several times cheaper. The signature is
    made from the same CRC-32 values the exact comparison uses."""
    from datasketch import MinHash

    return MinHash(num_perm=_NUM_PERM, seed=1, hashfunc=_identity)


def _identity(value: int) -> int:
    """The shingles are hashed already (CRC-32 values)."""
    return value
