"""Per-language centring: what lets paragraphs in different languages share a theme.

A multilingual model places a text by its language as well as by its subject. Clustered as they
come, news in six languages falls into one cluster per language: on 59 pages in Korean, English,
Russian, Chinese, Ukrainian and Japanese (benchmarks/multilingual_quality.py), raw
multilingual-e5-small vectors gave page-level V-measure 0.15 and one same-event pair in ten in
one theme. Subtracting each language's mean vector removes most of what the language adds and
keeps what the text is about (V 0.77-0.83, pairs 9-10 of 10 with k-means at the true k); it is
the centring Libovický, Rosa and Fraser (2020) found to make multilingual representations
language-neutral.

A language with few paragraphs has a mean that is mostly its subject: three Japanese paragraphs
about sanctions would lose "sanctions" with their language. So each language's centre is drawn
towards the mean of the whole corpus, as if the corpus's mean had been seen `prior` more times.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..tables import check_language_centres

__all__ = ["LanguageCentres", "group_sums", "moved_unit_rows"]

# Paragraphs' worth of weight the corpus's mean gets in every language's centre.
PRIOR = 10
# Rows centred at a time, in float64: bounds the copy (8,192 x 384 x 8 bytes = 25 MB) whatever
# the corpus's size.
_BLOCK_ROWS = 8_192


def group_sums(vectors: np.ndarray, codes: np.ndarray, groups: int) -> np.ndarray:
    """The float64 sum of the rows of each group (`codes`: each row's group, 0 to `groups` - 1),
    as one sparse product a block of rows at a time: no float64 or sorted copy of every vector."""
    from scipy import sparse

    X = np.asarray(vectors)
    totals = np.zeros((groups, X.shape[1] if X.ndim == 2 else 0))
    for start in range(0, len(X), _BLOCK_ROWS):
        block_codes = codes[start : start + _BLOCK_ROWS]
        membership = sparse.csr_matrix(
            (np.ones(len(block_codes)), (block_codes, np.arange(len(block_codes)))), shape=(groups, len(block_codes))
        )
        totals += membership @ X[start : start + _BLOCK_ROWS].astype(np.float64)
    return totals


def moved_unit_rows(vectors: np.ndarray, codes: np.ndarray, moves: np.ndarray) -> np.ndarray:
    """Each row plus its group's move (`moves[codes[row]]`), L2-normalised again, as float32.
    Row by row in float64: a row's result does not depend on the rows that come with it."""
    X = np.asarray(vectors)
    out = np.empty(X.shape, dtype=np.float32)
    for start in range(0, len(X), _BLOCK_ROWS):
        block = X[start : start + _BLOCK_ROWS].astype(np.float64) + moves[codes[start : start + _BLOCK_ROWS]]
        block /= np.maximum(np.linalg.norm(block, axis=1, keepdims=True), 1e-12)
        out[start : start + len(block)] = block
    return out


@dataclass(frozen=True)
class LanguageCentres:
    """The centre of each language's vectors and of all of them (the centre of any language not
    seen when fitted)."""

    centres: Mapping[str, np.ndarray]
    overall: np.ndarray

    @classmethod
    def fit(cls, vectors: np.ndarray, languages: Sequence[str], prior: float = PRIOR) -> LanguageCentres:
        X = np.asarray(vectors)
        codes, names = pd.factorize(pd.Series([str(language) for language in languages], dtype=object))
        sums = group_sums(X, codes, len(names))
        counts = np.bincount(codes, minlength=len(names))
        overall = sums.sum(axis=0) / max(len(X), 1)
        order = sorted(range(len(names)), key=lambda group: names[group])
        centres = {names[g]: (sums[g] + prior * overall) / (counts[g] + prior) for g in order}
        return cls(centres, overall)

    def centre_of(self, language: str) -> np.ndarray:
        return self.centres.get(language, self.overall)

    def apply(self, vectors: np.ndarray, languages: Sequence[str]) -> np.ndarray:
        """Each vector less its language's centre, L2-normalised again (float32).

        Row by row, in float64: a row's result does not depend on the rows that come with it."""
        X = np.asarray(vectors)
        if X.ndim == 1:
            X = X[None, :]
        codes, names = pd.factorize(pd.Series([str(language) for language in languages], dtype=object))
        centres = np.stack([self.centre_of(name) for name in names]) if len(names) else np.zeros((0, X.shape[1]))
        return moved_unit_rows(X, codes, -centres)

    def to_lists(self) -> dict[str, list[float]]:
        """For build.json: each centre (and the overall one, under "*") as a list of floats."""
        rows = {"*": self.overall, **self.centres}
        return {language: [round(float(v), 7) for v in centre] for language, centre in rows.items()}

    @classmethod
    def from_lists(cls, values: object, dimensions: int | None = None) -> LanguageCentres | None:
        """From `to_lists`' form, as read from an untrusted build folder; raises ValueError with
        a one-line reason when it is not that. None for no centres (a build that has none)."""
        if values is None or values == {}:
            return None
        check_language_centres(values)
        centres = {language: np.asarray(centre, dtype=np.float64) for language, centre in values.items()}
        if dimensions is not None and len(centres["*"]) != dimensions:
            raise ValueError(f"language centres have {len(centres['*'])} dimensions, the vectors {dimensions}")
        overall = centres.pop("*")
        return cls(centres, overall)
