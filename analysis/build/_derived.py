"""Results already computed from the same input, kept on disk beside the embedding cache, so that
a build of an unchanged corpus costs file reads.

joblib.Memory stores them (its file layout, atomic writes and numpy persistence), keyed by what
each step reads: for prepared paragraphs the corpus's content hash and the settings that change
them; for themes, layout, figures and cited sources a digest of the paragraphs, the model that
embedded them and that step's settings and lookup tables. Heavy arguments (the corpus, vectors,
the engine) are left out of joblib's own hashing: digests are cheaper than pickling a million
texts or vectors again. The package's code is in every key, so results computed by another
version of the package are never read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["DerivedResults", "code_version", "paragraphs_digest"]

_PACKAGE = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the package's code and shipped tables."""
    digest = hashlib.sha256()
    files = sorted([*_PACKAGE.rglob("*.py"), *(_PACKAGE / "resources").glob("*")])
    for path in files:
        digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def paragraphs_digest(paragraphs: pd.DataFrame) -> str:
    """What the paragraph-level steps read: ids, texts and languages (one pass over the texts,
    about a second at a million paragraphs)."""
    digest = hashlib.sha256()
    for pid, text, lang in zip(paragraphs["pid"], paragraphs["text"], paragraphs["lang"], strict=True):
        digest.update(f"{pid}\0{text}\0{lang}\0".encode())
    return digest.hexdigest()


def _computed(key: str, compute: Callable[[], Any]) -> Any:
    """What joblib caches: `compute()` under `key` (compute itself is not hashed)."""
    return compute()


class DerivedResults:
    """`get(step, key, compute)`: compute's result for (step, key), from disk when kept."""

    def __init__(self, root: Path | str | None):
        self._cached = None
        if root is not None:
            from joblib import Memory

            self._cached = Memory(Path(root) / "derived", verbose=0).cache(_computed, ignore=["compute"])

    def get(self, step: str, key: str, compute: Callable[[], Any]) -> Any:
        if self._cached is None:
            return compute()
        return self._cached(hashlib.sha256(f"{code_version()}\0{step}\0{key}".encode()).hexdigest(), compute)
