"""Theme-map layouts compared: time and how faithfully the map keeps neighbourhoods.

    python benchmarks/layout.py [--data ../shared/benchmarks] [--umap]

On BBC (2,127) plus 3,000 AG News items, embedded with the project's model through its cache:
trustworthiness (10 neighbours, cosine, on a 1,500-point sample) and the 3-fold accuracy of a
10-nearest-neighbour classifier of the true label on the 2-D map. `--umap` adds UMAP (needs
`pip install umap-learn`; its numba compilation is timed separately).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import EmbeddingCache, SentenceTransformerEmbedder, embed_with_cache, layout_2d  # noqa: E402
from analysis.embed import model_key  # noqa: E402
from analysis.settings import default_cache_dir  # noqa: E402


# The baselines, made here as layout_2d makes its own steps (it runs t-SNE the same way, on a
# few hundred landmarks only, with one OpenMP thread).
def pca(X: np.ndarray) -> np.ndarray:
    from sklearn.decomposition import PCA

    return PCA(n_components=2, svd_solver="full").fit_transform(X)


def tsne(X: np.ndarray, random_state: int = 0) -> np.ndarray:
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits

    perplexity = min(30.0, (len(X) - 1) / 3)
    with threadpool_limits(limits=1, user_api="openmp"):
        return TSNE(
            n_components=2, metric="cosine", init="pca", perplexity=perplexity, random_state=random_state
        ).fit_transform(X)


def quality(X: np.ndarray, labels: np.ndarray, coords: np.ndarray) -> tuple[float, float]:
    from sklearn.manifold import trustworthiness
    from sklearn.model_selection import cross_val_score
    from sklearn.neighbors import KNeighborsClassifier

    sample = np.random.default_rng(0).choice(len(X), min(1500, len(X)), replace=False)
    trust = trustworthiness(X[sample], coords[sample], n_neighbors=10, metric="cosine")
    accuracy = cross_val_score(KNeighborsClassifier(10), coords, labels, cv=3).mean()
    return round(float(trust), 3), round(float(accuracy), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--umap", action="store_true")
    args = parser.parse_args()
    bbc = pd.read_csv(args.data / "bbc_news_dedup.csv")
    ag = pd.read_csv(args.data / "ag_news_test.csv").sample(n=3000, random_state=0)
    frame = pd.concat([bbc.assign(label="bbc-" + bbc["label"]), ag.assign(label="ag-" + ag["label"])])
    embedder = SentenceTransformerEmbedder()
    X, _ = embed_with_cache(
        frame["text"].astype(str).tolist(), embedder, EmbeddingCache(default_cache_dir(), model_key(embedder))
    )
    labels = frame["label"].to_numpy()
    methods = {
        "pca": pca,
        "landmark t-SNE (project)": lambda X: layout_2d(X, 0),
        "t-SNE (all points)": lambda X: tsne(X, 0),
    }
    if args.umap:
        import umap

        def run_umap(X):
            return umap.UMAP(metric="cosine", random_state=0, init="pca").fit_transform(X)

        started = time.perf_counter()
        run_umap(X[:500])
        print(f"umap first call on 500 points (numba compilation): {time.perf_counter() - started:.1f} s")
        methods["umap (compiled)"] = run_umap
    print(f"{len(X)} items")
    for name, method in methods.items():
        started = time.perf_counter()
        coords = np.asarray(method(X))
        seconds = time.perf_counter() - started
        trust, accuracy = quality(X, labels, coords)
        print(f"{name}: {seconds:.1f} s, trustworthiness {trust}, label accuracy {accuracy}")


if __name__ == "__main__":
    main()
