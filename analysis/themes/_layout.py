"""A 2-D layout of paragraph vectors for the theme map: landmark t-SNE.

Measured on 5,127 labelled news items (benchmarks/layout.py; trustworthiness at 10 neighbours,
and how well 10 neighbours on the map predict the true label):

| method | seconds | trustworthiness | label accuracy |
|---|---|---|---|
| PCA | 0.4 | 0.73 | 0.51 |
| landmark t-SNE (this) | 1.5 | 0.91 | 0.68 |
| UMAP (umap-learn) | 33, mostly numba compilation, paid again in every new process | 0.92 | 0.70 |
| t-SNE (scikit-learn, all points) | 19 | 0.93 | 0.71 |

Landmark t-SNE gets almost all of UMAP's quality at a fraction of the cost: k-means picks a few
hundred landmarks, t-SNE lays out only those, and every paragraph is placed at the
similarity-weighted mean of its nearest landmarks. The build must not lose to plain encoding
(see benchmarks/build_speed.py), which rules out UMAP's compilation and full t-SNE.
"""

from __future__ import annotations

import numpy as np

__all__ = ["layout_2d"]

_LANDMARKS = 300
_NEIGHBOURS = 3
# Softmax temperature over cosine similarities: low enough that a paragraph sits next to its
# nearest landmark, high enough that a paragraph between two topics lands between them.
_TEMPERATURE = 0.05


def _tsne(X: np.ndarray, random_state: int) -> np.ndarray:
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits

    perplexity = min(30.0, (len(X) - 1) / 3)
    # One thread: on a few hundred points threads gain nothing, and t-SNE's thousand OpenMP
    # barriers slow it tenfold when another process holds a core (measured: 0.15 s -> 8 s).
    with threadpool_limits(limits=1, user_api="openmp"):
        return TSNE(
            n_components=2, metric="cosine", init="pca", perplexity=perplexity, random_state=random_state
        ).fit_transform(X)


def _pca(X: np.ndarray) -> np.ndarray:
    from sklearn.decomposition import PCA

    if len(X) < 3:
        return np.zeros((len(X), 2))
    return PCA(n_components=2, svd_solver="full").fit_transform(X)


def layout_2d(X: np.ndarray, random_state: int = 0) -> np.ndarray:
    """(n, 2) coordinates for L2-normalised rows, rounded so that rebuilds write identical files."""
    X = np.asarray(X, dtype=np.float32)
    if len(X) < 8:
        coords = _pca(X)
    elif len(X) <= _LANDMARKS:
        coords = _tsne(X, random_state)
    else:
        from sklearn.cluster import KMeans
        from sklearn.decomposition import PCA

        # Landmarks are found in a 32-dimensional projection (several times cheaper) but are
        # the mean of their members in the full space, where the paragraphs are placed.
        projected = PCA(n_components=32, random_state=random_state).fit_transform(X)
        assignment = KMeans(
            n_clusters=_LANDMARKS, n_init=1, max_iter=50, random_state=random_state
        ).fit_predict(projected)
        landmarks = np.zeros((_LANDMARKS, X.shape[1]), dtype=np.float32)
        np.add.at(landmarks, assignment, X)
        landmarks /= np.maximum(np.linalg.norm(landmarks, axis=1, keepdims=True), 1e-12)
        landmark_xy = _tsne(landmarks, random_state)
        coords = np.empty((len(X), 2))
        # In blocks, so that the similarity matrix stays small for a million paragraphs.
        for start in range(0, len(X), 20_000):
            sims = X[start : start + 20_000] @ landmarks.T
            nearest = np.argpartition(-sims, _NEIGHBOURS, axis=1)[:, :_NEIGHBOURS]
            nearest_sims = np.take_along_axis(sims, nearest, axis=1)
            weights = np.exp((nearest_sims - nearest_sims.max(axis=1, keepdims=True)) / _TEMPERATURE)
            weights /= weights.sum(axis=1, keepdims=True)
            coords[start : start + 20_000] = (weights[:, :, None] * landmark_xy[nearest]).sum(axis=1)
    # Fix each axis's sign so that the map does not flip between runs or machines.
    coords = np.asarray(coords, dtype=np.float64)
    if len(coords):
        signs = np.sign(coords[np.abs(coords).argmax(axis=0), range(2)])
        coords *= np.where(signs == 0, 1, signs)
    return np.round(coords, 4).astype(np.float32)
