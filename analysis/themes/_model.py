"""Themes: seeded ones from a small TOML file, discovered ones by clustering, and "Other".

`ThemeModel` follows scikit-learn's conventions: `__init__` stores parameters, `fit` does the
work and sets what it learned in attributes ending in `_`.
"""

from __future__ import annotations

import tomllib
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..embed import group_sums, moved_unit_rows
from ..tables import OTHER_ID, OTHER_NAME

# Silhouette is computed on at most this many paragraphs: its cost grows with the square.
_SILHOUETTE_SAMPLE = 1500
# Discovery clusters in a 32-dimensional PCA projection: six times cheaper than 384 dimensions
# and as good or better on the labelled benchmarks (BBC V-measure 0.875 vs 0.872; AG News picks
# the true k=4, 0.58, where the full space picks 3, 0.545).
_CLUSTER_DIMS = 32
# At most this many discovered themes: more than an analyst can name and follow.
_MAX_AUTO_THEMES = 12
# With the number of themes automatic, a corpus of at least `_MIN_THEMES_ARTICLES` articles gets
# at least this many themes (seeded ones included). Silhouette, like most internal criteria,
# favours the coarsest split of a narrow corpus: on news about one region it rates two themes
# ("the war", "everything else") above the five or more an analyst would name, so the search
# starts where a briefing's themes start. Smaller corpora (and vectors of unknown origin) keep
# the whole range.
_MIN_AUTO_THEMES = 5
_MIN_THEMES_ARTICLES = 20
# Restarts of k-means, both when scoring each candidate k and for the final fit: on a few
# hundred paragraphs a single poor start moves whole articles between themes. Scoring with the
# final fit's restarts scores the partition that is delivered (the same one, for corpora of up
# to `_SILHOUETTE_SAMPLE` paragraphs); with four, one lucky start at a large k could win: on 50
# real news pages the score at k=12, the top of the range, was 0.201 with four restarts and
# 0.165 with twenty. With the one-standard-error rule below, the choice there went from k=12,
# 9, 10 to 8, 10, 10 (seeds 0-2).
_FINAL_RESTARTS = 10
# Partitions scored per candidate k, from as many random states (the first is the one a fit
# delivers): their per-paragraph silhouettes are averaged, so that the choice of k rests on k and
# not on one k-means run's luck. On the 59 six-language pages (seeds 0-7) one partition per k
# chose 6 to 8 themes, page V-measure 0.808-0.905 and same-event pairs in one theme 7-10 of 10;
# three chose 6 themes at every seed, V 0.822-0.896, pairs 10 of 10 (means 0.836 and 0.835).
# BBC and AG News: the same k and V-measure at seeds 0-2. Fitting 10,000 vectors: about 0.5 s
# more. Three partitions of four restarts each were as unsteady as one (k 5-8).
_K_PARTITIONS = 3
# A cluster smaller than this share of the paragraphs earns no credit when choosing k.
_TINY_SHARE = 0.02
# A cluster whose largest article holds more than this share of it earns no credit either.
_SINGLE_SOURCE_SHARE = 0.5
# The smallest k scoring within this of the best is chosen, or within one standard error of
# the best score when that is larger (see `_choose_k`).
_K_TOLERANCE = 0.001
# Rounds of k-means beside an earlier build's theme centres (it settles in a few on a sample).
_KMEANS_ROUNDS = 30
# Rows projected at a time when an update's newcomers are placed (a float64 copy of a million
# is 3 GB).
_BLOCK_ROWS = 65_536


@dataclass(frozen=True)
class SeedTheme:
    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()

    def texts(self) -> list[str]:
        """What is embedded to place the theme: its name with description, and its keywords."""
        texts = [f"{self.name}. {self.description}".strip()]
        if self.keywords:
            texts.append(f"{self.name}: " + ", ".join(self.keywords))
        return texts


def load_seed_themes(path: Path | str) -> list[SeedTheme]:
    """Read `[[theme]]` tables (name, description, keywords) from a TOML file.

    Raises ValueError with a one-line message when the file is not usable.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"themes file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"themes file {path.name} is not valid TOML: {error}") from None
    entries = data.get("theme")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"themes file {path.name} has no [[theme]] entries")
    seeds, names = [], set()
    for number, entry in enumerate(entries, 1):
        name = str(entry.get("name", "")).strip() if isinstance(entry, dict) else ""
        if not name:
            raise ValueError(f"themes file {path.name}: theme {number} has no name")
        if name.casefold() in names or name.casefold() == OTHER_NAME.casefold():
            raise ValueError(f"themes file {path.name}: theme name {name!r} is used twice or reserved")
        names.add(name.casefold())
        keywords = entry.get("keywords", [])
        if not isinstance(keywords, list):
            raise ValueError(f"themes file {path.name}: keywords of {name!r} must be a list")
        seeds.append(SeedTheme(name, str(entry.get("description", "")).strip(), tuple(map(str, keywords))))
    return seeds


def _centred_similarity(X: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """Cosine between paragraphs and seeds after removing what all paragraphs share.

    An analyst's corpus is narrow by nature (every paragraph of a Korea corpus is "about Korea"),
    so raw cosine puts almost everything near a seed that mentions Korea. Subtracting the
    corpus's mean vector leaves what distinguishes one paragraph from the others, which is what
    a theme is.
    """
    centre = X.mean(axis=0, keepdims=True)
    Xc = X - centre
    Sc = seeds - centre
    Xc /= np.maximum(np.linalg.norm(Xc, axis=1, keepdims=True), 1e-12)
    Sc /= np.maximum(np.linalg.norm(Sc, axis=1, keepdims=True), 1e-12)
    return Xc @ Sc.T


# Rows assigned at a time: bounds the float64 copy (8,192 x 384 x 8 bytes = 25 MB).
_ASSIGN_ROWS = 8_192


class ThemeModel:
    """Assign paragraphs to seeded themes, cluster the rest, and send misfits to "Other".

    Parameters mirror `Settings`. `fit(X, seed_vectors)` takes L2-normalised paragraph vectors
    and one L2-normalised vector per seed theme, and sets:

    - `labels_`: theme id per paragraph; seeded themes come first (ids 0..n_seeds-1, in file
      order), then discovered themes by decreasing size; `OTHER_ID` (-1) for "Other";
    - `n_discovered_`, `centroids_` (one row per theme id), `similarity_` (each paragraph's
      cosine to its theme's centroid or seed), `other_share_`, `k_scores_` (credited
      silhouette per candidate number of themes when it was chosen automatically; see
      `_choose_k`).

    With the number of themes automatic, seeded and discovered themes together number at most
    `max_auto_themes` (discovery gets at least two): seeds never make discovery fragment.
    """

    def __init__(
        self,
        n_seeds: int = 0,
        n_themes: int | None = None,
        seed_threshold: float = 0.15,
        outlier_threshold: float = 0.15,
        min_theme_size: int = 3,
        random_state: int = 0,
        max_auto_themes: int = _MAX_AUTO_THEMES,
        discovery_context: float = 0.0,
    ):
        self.n_seeds = n_seeds
        self.n_themes = n_themes
        self.seed_threshold = seed_threshold
        self.outlier_threshold = outlier_threshold
        self.min_theme_size = min_theme_size
        self.random_state = random_state
        self.max_auto_themes = max_auto_themes
        self.discovery_context = discovery_context

    def fit(
        self, X: np.ndarray, seed_vectors: np.ndarray | None = None, groups: np.ndarray | None = None
    ) -> ThemeModel:
        """`groups` (optional, one per paragraph) names the article each paragraph comes from:
        when the number of themes is chosen, a cluster of one article's paragraphs is no theme;
        and in a corpus of `_MIN_THEMES_ARTICLES` articles or more, discovery groups paragraphs
        by their vectors with `discovery_context` times their article's mean added (see
        `grouping_vectors`)."""
        X = np.asarray(X, dtype=np.float32)
        n = len(X)
        labels = np.full(n, OTHER_ID, dtype=np.int64)
        similarity = np.zeros(n, dtype=np.float32)

        if self.n_seeds:
            if seed_vectors is None or len(seed_vectors) != self.n_seeds:
                raise ValueError("fit needs one vector per seeded theme")
            seed_sim = _centred_similarity(X, np.asarray(seed_vectors, np.float32))
            best = seed_sim.argmax(axis=1)
            best_sim = seed_sim[np.arange(n), best]
            joins = best_sim >= self.seed_threshold
            labels[joins] = best[joins]
            similarity[joins] = best_sim[joins]

        rest = np.flatnonzero(labels == OTHER_ID)
        self.k_scores_: dict[int, float] = {}
        rest_groups = None if groups is None else np.asarray(groups)[rest]
        grouping = self.grouping_vectors(X, groups)
        discovered = np.zeros(0, dtype=np.int64)
        if len(rest):
            from sklearn.exceptions import ConvergenceWarning
            from threadpoolctl import threadpool_limits

            # One thread: k-means on a few thousand 32-dimensional rows gains nothing from
            # threads, and its OpenMP barriers make it 30 times slower when another process
            # holds a core (measured on this 2-core machine under load: 34 s -> 1 s per fit).
            with threadpool_limits(limits=1), warnings.catch_warnings():
                # Paragraphs the model reads alike are copies of one vector, and k-means warns
                # when it finds fewer distinct clusters than asked: a number of themes the rows
                # do not have, which `_choose_k` passes over (by the hundred in a build's output).
                warnings.filterwarnings("ignore", "Number of distinct clusters", ConvergenceWarning)
                discovered = self._discover(grouping[rest], rest_groups)
                if self.n_themes is None:
                    discovered = split_unlike_themes(
                        X[rest],
                        discovered,
                        rest_groups,
                        most=self._room(),
                        smallest=self._smallest_theme(min(len(rest), _SILHOUETTE_SAMPLE)),
                        random_state=self.random_state,
                    )
        # A discovered theme is only as good as its members' fit: a paragraph unlike the other
        # members of its cluster is a misfit, and "Other" says so honestly. Each paragraph is
        # compared with the centre of the *other* members: in a small cluster its own weight
        # would otherwise make it look close to a centre it mostly defines.
        for cluster in set(discovered.tolist()) - {-1}:
            members = np.flatnonzero(discovered == cluster)
            discovered[members[fit_to_the_others(X[rest[members]]) < self.outlier_threshold]] = -1
        # Discovered ids follow the seeds, largest theme first; ties broken by first paragraph
        # so that the numbering depends on nothing but the data. Themes left too small are
        # dissolved into "Other".
        sizes = {c: int((discovered == c).sum()) for c in set(discovered.tolist()) if c >= 0}
        kept = [c for c in sizes if sizes[c] >= self.min_theme_size]
        first_index = {c: int(np.flatnonzero(discovered == c)[0]) for c in kept}
        order = sorted(kept, key=lambda c: (-sizes[c], first_index[c]))
        renumber = {old: self.n_seeds + new for new, old in enumerate(order)}
        for position, cluster in zip(rest, discovered, strict=True):
            labels[position] = renumber.get(int(cluster), OTHER_ID)

        n_total = self.n_seeds + len(order)
        centroids = np.zeros((n_total, X.shape[1] if X.ndim == 2 else 0), dtype=np.float32)
        for theme in range(n_total):
            members = X[labels == theme]
            if theme < self.n_seeds and len(members) == 0:
                centroids[theme] = seed_vectors[theme]
                continue
            centre = members.mean(axis=0)
            centroids[theme] = unit_vector(centre)
        discovered_members = rest[labels[rest] != OTHER_ID]
        similarity[discovered_members] = np.einsum(
            "ij,ij->i", X[discovered_members], centroids[labels[discovered_members]]
        )

        self.labels_ = labels
        self.centroids_ = centroids
        self.centre_ = X.mean(axis=0) if n else np.zeros(X.shape[1] if X.ndim == 2 else 0, np.float32)
        self.seed_vectors_ = (
            np.asarray(seed_vectors, np.float32) if self.n_seeds else np.zeros((0, X.shape[1]), np.float32)
        )
        self.similarity_ = similarity
        # Where each discovered theme lies in the vectors discovery grouped (None when it grouped
        # the paragraphs' own): `assign` places later paragraphs among them the same way.
        self.grouping_centroids_ = (
            None if grouping is X else _theme_centres(lambda rows: grouping[rows], X.shape, labels, range(self.n_seeds, n_total))
        )
        self.n_discovered_ = len(order)
        self.other_share_ = float((labels == OTHER_ID).mean()) if n else 0.0
        return self

    def grouping_vectors(self, X: np.ndarray, groups: Sequence[object] | None) -> np.ndarray:
        """What discovery clusters: each paragraph's vector with `discovery_context` times its
        article's mean vector added (`with_article_context`), in a corpus of enough articles;
        the vectors themselves otherwise.

        A paragraph alone often says too little to tell its subject ("Officials declined to
        comment."), while its article says it: grouping paragraphs with their article in view
        keeps a story's paragraphs together and lets themes be what articles are about. Only
        the grouping sees it (and, in `assign`, which discovered theme a paragraph placed later
        is put in): seeded themes, the test that sends a misfit to "Other" and each theme's
        centre compare the paragraph's own vector, so a paragraph unlike its theme still goes
        to "Other". Measured, weight 1.5 against none:
        59 pages in six languages (benchmarks/multilingual_quality.py, seeds 0-7) page-level
        V-measure 0.804 -> 0.861 (lowest 0.734 -> 0.833), same-event pairs in one theme 9-10
        -> 10 of 10, Other 11% -> 16%; 400 BBC articles' 1,921 paragraphs, article-level V
        0.889 -> 0.905, paragraph-level 0.750 -> 0.858; AG News (one paragraph an article)
        unchanged. Weights 1 to 2 all gain (0.832-0.861 on the six languages). A corpus of
        few articles keeps its paragraphs apart: on two long op-eds, context makes each theme
        "the rest of one op-ed", where an analyst wants what cuts across them."""
        view = self._articles_in_view(groups, len(X))
        if view is None:
            return X
        codes, articles = view
        return moved_unit_rows(X, codes, _article_means(X, codes, articles, self.discovery_context))

    def _articles_in_view(self, groups: Sequence[object] | None, rows: int) -> tuple[np.ndarray, int] | None:
        """(each paragraph's article number, the number of articles) when discovery sees these
        paragraphs' articles (`groups`, one per of `rows` paragraphs): with a discovery context,
        in a corpus of `_MIN_THEMES_ARTICLES` articles or more, some of more than one paragraph
        (articles of one paragraph each, a table of headlines, are their own context); else None."""
        if self.discovery_context <= 0 or groups is None:
            return None
        codes, articles = _article_codes(groups, rows)
        return (codes, articles) if _MIN_THEMES_ARTICLES <= articles < rows else None

    def grouping_centres(
        self, X: np.ndarray, groups: Sequence[object] | None, labels: np.ndarray, theme_ids: Sequence[int]
    ) -> np.ndarray | None:
        """The unit mean of each theme's `grouping_vectors` (one row per id of `theme_ids`, whose
        paragraphs are the rows of `X` so labelled), or None when `groups` give no context.
        Computed a block of rows at a time: no second copy of every vector."""
        X = np.asarray(X)
        view = self._articles_in_view(groups, len(X))
        if view is None:
            return None
        codes, articles = view
        moves = _article_means(X, codes, articles, self.discovery_context)
        return _theme_centres(lambda rows: moved_unit_rows(X[rows], codes[rows], moves), X.shape, labels, theme_ids)

    def article_scores(self, X: np.ndarray, groups: Sequence[object] | None) -> np.ndarray | None:
        """For `assign`: per paragraph (row of `X`) and discovered theme, `discovery_context`
        times the mean cosine of its article's paragraphs to the theme's grouping centre; None
        when the model grouped paragraphs alone or `groups` give them no context.

        A paragraph's own cosines to the grouping centres plus these rank the themes as its
        grouping vector's cosines would: (x + w.m).c = x.c + w.(m.c), m.c is the mean of its
        article's x.c, and the length of x + w.m is the same for every theme. One number per
        theme a paragraph, where grouping vectors would be a second copy of every vector (1.5 GB
        at a million paragraphs)."""
        if self.grouping_centroids_ is None or not len(self.grouping_centroids_):
            return None
        view = self._articles_in_view(groups, len(X))
        if view is None:
            return None
        codes, articles = view
        centres = self.grouping_centroids_.astype(np.float64)
        cosines = np.empty((len(X), len(centres)), dtype=np.float64)
        for start in range(0, len(X), _ASSIGN_ROWS):
            cosines[start : start + _ASSIGN_ROWS] = X[start : start + _ASSIGN_ROWS].astype(np.float64) @ centres.T
        return _article_means(cosines, codes, articles, self.discovery_context)[codes].astype(np.float32)

    def assign(self, X: np.ndarray, article_scores: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(labels, similarity) of paragraphs under the fitted themes, for corpora too large to
        fit on whole: the model is fitted on a sample and every paragraph is assigned.

        A paragraph joins the seed it is most like (centred by the *fitted* corpus's mean) when
        that clears the seed threshold; otherwise the discovered theme whose centre it is closest
        to, when that clears the outlier threshold; otherwise "Other".

        With `article_scores` (the paragraphs' `article_scores`, row for row), the discovered
        theme is the one whose grouping centre the paragraph is closest to with its article in
        view, as discovery grouped paragraphs, and the outlier threshold is still cleared by the
        paragraph's own vector against that theme's own centre, as a fit's misfit test does: a
        paragraph joins its article's theme unless it is unlike it.

        Row by row: the answer for a row does not depend on which other rows come with it, so
        engines can assign blocks of any size and put them back together. (A float32 matrix
        product's last bits depend on the block's shape; in float64, cast back to float32, they
        do not.)"""
        X = np.asarray(X, dtype=np.float32)
        labels = np.full(len(X), OTHER_ID, dtype=np.int64)
        similarity = np.zeros(len(X), dtype=np.float32)
        centre = self.centre_.astype(np.float64)[None, :]
        seeds = self.seed_vectors_.astype(np.float64) - centre
        seeds /= np.maximum(np.linalg.norm(seeds, axis=1, keepdims=True), 1e-12)
        discovered = self.centroids_[self.n_seeds :].astype(np.float64)
        by_grouping = None
        if article_scores is not None and self.grouping_centroids_ is not None:
            if np.shape(article_scores) != (len(X), len(discovered)):
                raise ValueError("assign needs one article score per paragraph and discovered theme")
            by_grouping = self.grouping_centroids_.astype(np.float64)
        for start in range(0, len(X), _ASSIGN_ROWS):
            rows = X[start : start + _ASSIGN_ROWS].astype(np.float64)
            block_labels = np.full(len(rows), OTHER_ID, dtype=np.int64)
            block_similarity = np.zeros(len(rows), dtype=np.float64)
            if self.n_seeds:
                centred = rows - centre
                centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12)
                seed_sim = (centred @ seeds.T).astype(np.float32)
                best = seed_sim.argmax(axis=1)
                best_sim = seed_sim[np.arange(len(rows)), best]
                joins = best_sim >= self.seed_threshold
                block_labels[joins] = best[joins]
                block_similarity[joins] = best_sim[joins]
            rest = np.flatnonzero(block_labels == OTHER_ID)
            if len(discovered) and len(rest):
                centroid_sim = (rows[rest] @ discovered.T).astype(np.float32)
                if by_grouping is None:
                    best = centroid_sim.argmax(axis=1)
                else:
                    in_context = rows[rest] @ by_grouping.T
                    in_context += np.asarray(article_scores[start : start + _ASSIGN_ROWS], np.float64)[rest]
                    best = in_context.astype(np.float32).argmax(axis=1)
                best_sim = centroid_sim[np.arange(len(rest)), best]
                fits = best_sim >= self.outlier_threshold
                block_labels[rest[fits]] = self.n_seeds + best[fits]
                block_similarity[rest[fits]] = best_sim[fits]
            labels[start : start + len(rows)] = block_labels
            similarity[start : start + len(rows)] = block_similarity
        return labels, similarity

    def groups_beside(
        self,
        vectors: np.ndarray,
        anchor_rows: np.ndarray,
        labels: np.ndarray,
        means: Mapping[int, np.ndarray],
        newcomers: np.ndarray,
        articles: Sequence[object] | None,
        room: int,
    ) -> tuple[np.ndarray, dict[int, float]]:
        """An update's discovery: for each of the `newcomers` (rows of `vectors`), the new group it
        belongs to (0, 1, ...; -1 for none), and the credited silhouette by number of new groups
        (at most `room`). `anchor_rows` are the earlier paragraphs of discovered themes (`labels`
        gives their theme), `means` those themes' mean vectors, `articles` every row's article.

        The grown corpus is clustered as discovery clusters a fit's (a sample, projected as it
        projects, scored by the same credited silhouette and the same one-standard-error rule), with
        the earlier themes' centres held where their paragraphs put them: k-means moves only the
        centres added for the newcomers. No added centre (the newcomers fit the earlier themes) is
        a candidate like any other and, as the fewest, wins every near tie: new themes are made only
        where they make the grown corpus's themes clearly better."""
        none = np.full(len(newcomers), -1, dtype=np.int64)
        themes = sorted(means)
        if len(newcomers) < 2:
            return none, {}
        rng = np.random.default_rng(self.random_state)
        pool = np.concatenate([anchor_rows, newcomers])
        sample = np.sort(rng.choice(pool, min(len(pool), _SILHOUETTE_SAMPLE), replace=False))
        is_new = np.isin(sample, newcomers)
        if is_new.sum() < 2:
            return none, {}
        project = _projection(vectors[sample], self.random_state)
        points = project(vectors[sample])
        # Each earlier theme's centre from all its paragraphs, not the sample's: a small theme the
        # sample misses still holds its place, and its newcomers go to it, not to a new centre.
        fixed = project(np.vstack([means[t] for t in themes])) if themes else np.zeros((0, points.shape[1]))
        position = {t: i for i, t in enumerate(themes)}
        anchor_codes = np.array([position[int(t)] for t in labels[sample[~is_new]]], dtype=np.int64)
        groups = None
        if articles is not None:
            groups = np.asarray([str(articles[i]) for i in sample], dtype=object)
        tiny = self._smallest_theme(len(sample))
        scores: dict[int, float] = {}
        errors: dict[int, float] = {}
        added: dict[int, np.ndarray] = {}
        # Without an earlier discovered theme (a build whose paragraphs all went to seeds or
        # Other), the newcomers are clustered on their own: at least one centre.
        for k in range(0 if themes else 1, min(room, int(is_new.sum()) - 1) + 1):
            centres = np.vstack([fixed, _centres_beside(fixed, points[is_new], k, self.random_state)]) if k else fixed
            added[k] = centres[len(fixed) :]
            codes = np.empty(len(sample), dtype=np.int64)
            codes[~is_new] = anchor_codes
            codes[is_new] = (points[is_new] @ centres.T).argmax(axis=1)
            if len(set(codes.tolist())) < 2:
                continue
            scores[k], errors[k] = mean_and_error(credited_silhouettes(points, codes, tiny, groups))
        if not scores:
            return none, {}
        chosen = fewest_within_error(scores, errors)
        if chosen == 0:
            return none, {k: round(v, 4) for k, v in scores.items()}
        centres = np.vstack([fixed, added[chosen]])
        nearest = np.concatenate(
            [
                (project(vectors[newcomers[start : start + _BLOCK_ROWS]]) @ centres.T).argmax(axis=1) - len(fixed)
                for start in range(0, len(newcomers), _BLOCK_ROWS)
            ]
        )
        return np.where(nearest >= 0, nearest, -1).astype(np.int64), {k: round(v, 4) for k, v in scores.items()}

    def _room(self) -> int:
        """How many themes discovery may find: seeds count towards the readable total, and
        discovery fills what they leave of it (two at least)."""
        return max(self.max_auto_themes - self.n_seeds, 2)

    def _smallest_theme(self, sampled: int) -> int:
        """The fewest paragraphs of `sampled` that count as a theme when the number of themes is
        chosen and when a theme is split: `_TINY_SHARE` of them, and `min_theme_size`."""
        return max(self.min_theme_size, int(np.ceil(_TINY_SHARE * sampled)))

    def _discover(self, X: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
        """Cluster labels (arbitrary ids, -1 for none) for the paragraphs no seed took."""
        from sklearn.cluster import KMeans

        n = len(X)
        most = min(self._room(), n // max(self.min_theme_size, 1))
        fewest = 2
        if groups is not None and len(set(groups.tolist())) >= _MIN_THEMES_ARTICLES:
            fewest = min(max(_MIN_AUTO_THEMES - self.n_seeds, 2), most)
        if n > _CLUSTER_DIMS and X.shape[1] > _CLUSTER_DIMS:
            from sklearn.decomposition import PCA

            X = PCA(n_components=_CLUSTER_DIMS, random_state=self.random_state).fit_transform(X)
            X /= np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)
        if self.n_themes is not None:
            k = min(self.n_themes, n)
        elif most < 2:
            return np.zeros(n, dtype=np.int64) if n >= self.min_theme_size else np.full(n, -1)
        else:
            k = self._choose_k(X, most, groups, fewest)
        if k < 1:
            return np.full(n, -1, dtype=np.int64)
        model = KMeans(n_clusters=k, n_init=_FINAL_RESTARTS, random_state=self.random_state)
        return model.fit_predict(X).astype(np.int64)

    def _choose_k(self, X: np.ndarray, most: int, groups: np.ndarray | None = None, fewest: int = 2) -> int:
        """The fewest themes whose credited silhouette is within one standard error of the best.

        Plain silhouette keeps rising with k on real corpora: the paragraphs of one article, or
        a handful of near-copies, make a tight little cluster that scores well and means little.
        So a paragraph earns its silhouette only in a cluster that an analyst could call a
        theme: at least `_TINY_SHARE` of the sample (and `min_theme_size`), and, when articles
        are known, not mostly one article's paragraphs. Among candidates that score about as
        well as the best, the smallest k wins: fewer themes are easier to name and follow. Each
        paragraph's value is averaged over `_K_PARTITIONS` k-means runs from different random
        states, so that one run's luck does not decide k.

        "About as well" is the one-standard-error rule (as in the gap statistic and in choosing
        a model by cross-validation): the score is a mean over the sampled paragraphs, and a
        difference smaller than its standard error (the spread of the best k's per-paragraph
        values over the square root of their number) is one the sample cannot tell from noise.
        The rule widens on small corpora, where a few paragraphs move the mean (0.006-0.008 on
        50-60 pages), and narrows on large ones (0.003 on 1,500 paragraphs); never below
        `_K_TOLERANCE`. On the 59 six-language pages (benchmarks/multilingual_quality.py) page
        V-measure at seeds 0-2 went from 0.836, 0.734, 0.851 to 0.826, 0.828, 0.816.
        """
        from sklearn.cluster import KMeans

        rng = np.random.default_rng(self.random_state)
        index = np.arange(len(X))
        if len(X) > _SILHOUETTE_SAMPLE:
            index = np.sort(rng.choice(len(X), _SILHOUETTE_SAMPLE, replace=False))
        sample = X[index]
        sample_groups = None if groups is None else np.asarray(groups)[index]
        tiny = self._smallest_theme(len(sample))
        scores: dict[int, float] = {}
        errors: dict[int, float] = {}
        for k in range(fewest, most + 1):
            partitions = []
            for offset in range(_K_PARTITIONS):
                labels = KMeans(n_clusters=k, n_init=_FINAL_RESTARTS, random_state=self.random_state + offset).fit_predict(
                    sample
                )
                if len(set(labels.tolist())) < k:  # copies of fewer than k vectors
                    continue
                partitions.append(credited_silhouettes(sample, labels, tiny, sample_groups))
            if not partitions:
                continue
            scores[k], errors[k] = mean_and_error(np.mean(partitions, axis=0))
            self.k_scores_[k] = round(scores[k], 4)
        if not scores:
            return fewest
        return fewest_within_error(scores, errors)


def fit_to_the_others(vectors: np.ndarray) -> np.ndarray:
    """Each row's cosine to the sum of the other rows (their centre's direction): the misfit
    test a theme's members take, a member's own weight left out."""
    others = vectors.sum(axis=0, keepdims=True) - vectors
    return np.einsum("ij,ij->i", vectors, others) / np.maximum(np.linalg.norm(others, axis=1), 1e-12)


def credited_silhouettes(X: np.ndarray, labels: np.ndarray, tiny: int, groups: np.ndarray | None = None) -> np.ndarray:
    """Each row's cosine silhouette under `labels`, earned only in a cluster of at least `tiny`
    rows that is not mostly one of `groups` (one article's paragraphs): elsewhere at most 0.
    See `ThemeModel._choose_k`."""
    from sklearn.metrics import silhouette_samples

    values = silhouette_samples(X, labels, metric="cosine")
    for cluster in set(labels.tolist()):
        members = labels == cluster
        if members.sum() < tiny or (groups is not None and _single_source(groups[members])):
            values[members] = np.minimum(values[members], 0.0)
    return values


def mean_and_error(values: np.ndarray) -> tuple[float, float]:
    """The mean of per-paragraph scores and its standard error (0 for a single value)."""
    error = float(values.std(ddof=1) / np.sqrt(len(values))) if len(values) > 1 else 0.0
    return float(values.mean()), error


def fewest_within_error(scores: dict[int, float], errors: dict[int, float]) -> int:
    """The smallest key whose score is within one standard error (`errors` of the best, and
    at least `_K_TOLERANCE`) of the best score; the smallest key when no score is above 0."""
    best = max(scores, key=lambda k: (scores[k], -k))
    if scores[best] <= 0:
        # No candidate makes themes: on average a paragraph is as close to another cluster
        # as to its own, or its cluster is too small or one article's. The fewest themes
        # say that honestly; more would split noise (the sample's 16 paragraphs left by its
        # seeds scored -0.001 at k=4 and -0.013 at k=2, and four clusters of four left two
        # themes and 26% of the corpus in Other, against two themes and 21%).
        return min(scores)
    tolerance = max(_K_TOLERANCE, errors[best])
    return min(k for k, score in scores.items() if score >= scores[best] - tolerance)


def _projection(sample: np.ndarray, random_state: int):
    """Rows to unit vectors in the PCA projection discovery clusters in (fitted on `sample`)."""
    from sklearn.decomposition import PCA

    pca = None
    if len(sample) > _CLUSTER_DIMS and sample.shape[1] > _CLUSTER_DIMS:
        pca = PCA(n_components=_CLUSTER_DIMS, random_state=random_state).fit(sample)

    def project(rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.float64)
        if pca is not None:
            rows = pca.transform(rows)
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)

    return project


def _centres_beside(fixed: np.ndarray, points: np.ndarray, k: int, random_state: int) -> np.ndarray:
    """`k` unit centres for `points` by spherical k-means in which the `fixed` centres take part
    but never move; the best of `_FINAL_RESTARTS` seeded starts (k-means++ among the points,
    the fixed centres counting as chosen)."""
    rng = np.random.default_rng(random_state)
    best, best_fit = None, -np.inf
    for _ in range(_FINAL_RESTARTS):
        centres = []
        distance = 1.0 - (points @ fixed.T).max(axis=1) if len(fixed) else np.ones(len(points))
        for _ in range(k):
            weights = np.maximum(distance, 0.0) ** 2
            pick = int(rng.choice(len(points), p=weights / weights.sum())) if weights.sum() > 0 else int(rng.integers(len(points)))
            centres.append(points[pick])
            distance = np.minimum(distance, 1.0 - points @ points[pick])
        added = np.array(centres)
        for _ in range(_KMEANS_ROUNDS):
            codes = (points @ np.vstack([fixed, added]).T).argmax(axis=1) - len(fixed)
            moved = added.copy()
            for j in range(k):
                if (codes == j).any():
                    moved[j] = unit_vector(points[codes == j].sum(axis=0))
            if np.allclose(moved, added):
                break
            added = moved
        fit = float((points @ np.vstack([fixed, added]).T).max(axis=1).sum())
        if fit > best_fit + 1e-9:
            best, best_fit = added, fit
    return best


def with_article_context(vectors: np.ndarray, articles: Sequence[object], weight: float) -> np.ndarray:
    """Each paragraph's vector with `weight` times its article's mean vector added, L2-normalised
    (float32); `vectors` as they are when `weight` is 0.

    Paragraphs of one article share its subject, and a paragraph alone often says too little to
    tell it ("Officials declined to comment."): taking in its article keeps an article's
    paragraphs together without erasing what each says; a corpus of one-paragraph articles is
    unchanged. Discovery groups paragraphs this way by default (`Settings.discovery_context`).
    Applied to whole themes (`Settings.article_context`, seeded themes and the test for "Other"
    included) it is not the default: a long op-ed's paragraphs are drawn towards its main
    subject (on the sample, a paragraph on a military parade joined "South Korean strategy",
    and the aid figures' paragraph left its theme)."""
    X = np.asarray(vectors)
    if weight <= 0 or len(X) == 0:
        return X
    codes, count = _article_codes(articles, len(X))
    return moved_unit_rows(X, codes, _article_means(X, codes, count, weight))


def _article_codes(articles: Sequence[object], rows: int) -> tuple[np.ndarray, int]:
    """Each of `rows` paragraphs' article as a number from 0, and the number of articles."""
    codes, keys = pd.factorize(pd.Series(list(articles), dtype=object))
    if len(codes) != rows:
        raise ValueError(f"{len(codes)} articles for {rows} vectors")
    return codes, len(keys)


def _article_means(values: np.ndarray, codes: np.ndarray, articles: int, weight: float) -> np.ndarray:
    """`weight` times the mean of `values`' rows in each article (float64, one row an article),
    divided and scaled in place: one table of articles at a time."""
    means = group_sums(values, codes, articles)
    means /= np.bincount(codes, minlength=articles)[:, None]
    means *= weight
    return means


def _theme_centres(rows_of, shape: tuple[int, int], labels: np.ndarray, theme_ids: Sequence[int]) -> np.ndarray:
    """The unit mean of the rows labelled with each of `theme_ids` (float32, one row a theme),
    read `_ASSIGN_ROWS` at a time: `rows_of(slice)` gives those rows of a matrix of `shape` (a
    stored array's, or rows made as they are read, so that no second copy of every vector is
    held)."""
    theme_ids = list(theme_ids)
    labels = np.asarray(labels)
    members = np.full(shape[0], -1, dtype=np.int64)  # each row's position in theme_ids
    for position, theme in enumerate(theme_ids):
        members[labels == theme] = position
    sums = np.zeros((len(theme_ids), shape[1]))
    for start in range(0, shape[0], _ASSIGN_ROWS):
        theme = members[start : start + _ASSIGN_ROWS]
        block = rows_of(slice(start, start + _ASSIGN_ROWS))
        sums += group_sums(block[theme >= 0], theme[theme >= 0], len(theme_ids))
    sums /= np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    return sums.astype(np.float32)


def split_unlike_themes(
    vectors: np.ndarray,
    labels: np.ndarray,
    groups: np.ndarray | None = None,
    *,
    most: int,
    smallest: int,
    random_state: int = 0,
) -> np.ndarray:
    """`labels` (theme per row, -1 for none) with every theme made of two unlike subjects split
    in two; the larger part keeps the theme's id and the other takes the next free one. Used on
    what discovery found, with each paragraph's own vectors.

    Discovery clusters in a reduced space that keeps the corpus's main directions, and a small
    subject's are among those it drops: two small subjects with nothing in common (a sports
    page and a casualty report among fifty pages on arms) can come out as one theme, labelled
    with the words of both. In the paragraphs' own vectors the two are plain to see: the
    theme's two halves (2-means) are less alike than two typical themes (their centres' cosine
    is under the median cosine between the themes' centres). Such a theme is split, the most
    unlike first, while each half has at least `smallest` rows and, when `groups` (articles)
    are known, spans two articles or more (one article's remainder is no theme), until there
    are `most` themes. A theme whose halves are alike is left whole, whatever its size: on the
    whole BBC and AG News sets (seeds 0-2) and on the six-language pages (seeds 0-7) no theme
    splits."""
    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning

    X = np.asarray(vectors, dtype=np.float32)
    labels = np.array(labels, dtype=np.int64, copy=True)
    groups = None if groups is None else np.asarray(groups, dtype=object)
    halves_of: dict[int, tuple[float, np.ndarray] | None] = {}  # per theme: (cosine, 2nd half)

    def halves(theme: int) -> tuple[float, np.ndarray] | None:
        members = np.flatnonzero(labels == theme)
        if len(members) < 2 * smallest:
            return None
        with warnings.catch_warnings():  # copies of one vector: said by an empty half below
            warnings.filterwarnings("ignore", "Number of distinct clusters", ConvergenceWarning)
            split = KMeans(n_clusters=2, n_init=_FINAL_RESTARTS, random_state=random_state).fit_predict(X[members])
        parts = [members[split == half] for half in (0, 1)]
        # One part is empty when the members are copies of one vector (texts alike in what the
        # model reads, such as long paragraphs that differ only past its window): nothing to split.
        if min(map(len, parts)) < max(smallest, 1) or (
            groups is not None and min(len(set(groups[part].tolist())) for part in parts) < 2
        ):
            return None
        # The larger part keeps the theme's id; a tie goes to the part holding the theme's first row.
        parts.sort(key=lambda part: (-len(part), part[0]))
        return float(unit_vector(X[parts[0]].mean(axis=0)) @ unit_vector(X[parts[1]].mean(axis=0))), parts[1]

    while True:
        themes = sorted(set(labels.tolist()) - {OTHER_ID})
        if not 2 <= len(themes) < most:
            return labels
        centres = np.stack([unit_vector(X[labels == theme].mean(axis=0)) for theme in themes])
        between = centres @ centres.T
        typical = float(np.median(between[~np.eye(len(themes), dtype=bool)]))
        for theme in themes:
            if theme not in halves_of:
                halves_of[theme] = halves(theme)
        unlike = [(found[0], theme) for theme, found in halves_of.items() if found and found[0] < typical]
        if not unlike:
            return labels
        _, theme = min(unlike)
        new = themes[-1] + 1
        labels[halves_of[theme][1]] = new
        del halves_of[theme]  # both halves are looked at again, as themes of their own


def unit_vector(vector: np.ndarray) -> np.ndarray:
    """`vector` scaled to length 1 (a zero vector stays zero)."""
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def _single_source(groups: np.ndarray) -> bool:
    """A cluster most of whose paragraphs come from one article (or one source of any kind)."""
    _, counts = np.unique(groups, return_counts=True)
    return counts.max() > _SINGLE_SOURCE_SHARE * counts.sum() or len(counts) < 2
