"""A 2-D layout of paragraph vectors for the theme map.

UMAP keeps neighbourhoods (paragraphs of one theme stay together) far better than PCA, and is
several times faster than t-SNE on 10,000 paragraphs (see benchmarks/layout.py). It is also the
slowest step of a build on cached embeddings, so layouts are cached on disk by a hash of the
vectors and the seed. Very small corpora use PCA: UMAP needs neighbours to be meaningful.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

__all__ = ["layout_2d"]

_UMAP_MIN_POINTS = 1000


def _pca(X: np.ndarray) -> np.ndarray:
    from sklearn.decomposition import PCA

    if len(X) < 3:
        return np.zeros((len(X), 2), dtype=np.float32)
    coords = PCA(n_components=2, svd_solver="full").fit_transform(X)
    # Fix each axis's sign so that the map does not flip between runs or machines.
    signs = np.sign(coords[np.abs(coords).argmax(axis=0), range(2)])
    signs[signs == 0] = 1
    return coords * signs


def _umap(X: np.ndarray, random_state: int) -> np.ndarray:
    import umap

    reducer = umap.UMAP(
        n_components=2,
        n_neighbors=min(15, len(X) - 1),
        min_dist=0.1,
        metric="cosine",
        random_state=random_state,
        # PCA initialisation is deterministic and avoids the spectral step's occasional
        # failure on disconnected graphs.
        init="pca",
    )
    return reducer.fit_transform(X)


def layout_2d(
    X: np.ndarray, random_state: int = 0, method: str = "auto", cache_dir: Path | None = None
) -> np.ndarray:
    """(n, 2) coordinates, rounded so that a rebuild writes identical files."""
    X = np.asarray(X, dtype=np.float32)
    if method == "auto":
        method = "umap" if len(X) >= _UMAP_MIN_POINTS else "pca"
    cache_file = None
    if cache_dir is not None and len(X):
        digest = hashlib.sha256(X.tobytes() + f"{method}:{random_state}".encode()).hexdigest()
        cache_file = Path(cache_dir) / "layouts" / f"{digest}.npy"
        if cache_file.exists():
            return np.load(cache_file)
    if method == "umap":
        coords = _umap(X, random_state)
    elif method == "pca":
        coords = _pca(X)
    else:
        raise ValueError(f"unknown layout method {method!r}")
    coords = np.round(np.asarray(coords, dtype=np.float64), 4).astype(np.float32)
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(".tmp.npy")
        np.save(tmp, coords)
        tmp.replace(cache_file)
    return coords
