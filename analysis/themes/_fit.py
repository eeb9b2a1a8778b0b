"""Themes of a corpus: seeded and discovered themes fitted on its vectors, with a table of names,
keywords and representative paragraphs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..embed import Embedder, EmbeddingCache, embed_with_cache
from ..run import Engine, LocalEngine
from ..settings import Settings
from ..tables import OTHER_ID, OTHER_NAME, THEME_COLUMNS
from ._labels import theme_terms
from ._model import SeedTheme, ThemeModel

# Article kinds (from segmenting) whose paragraphs are pieces published elsewhere: teasers
# (a headline and a standfirst) and truncated excerpts. Left out of themes by default.
CLUTTER_KINDS = ("teaser", "excerpt")


@dataclass
class ThemeResult:
    labels: np.ndarray
    similarity: np.ndarray
    themes: pd.DataFrame
    other_share: float
    k_scores: dict[int, float]


def paragraph_kinds(paragraphs: pd.DataFrame, articles: pd.DataFrame) -> list[str]:
    """The kind of each paragraph's article (article, teaser, excerpt), in paragraph order,
    with each document's main article (the most text) counted as "article" whatever its kind:
    a page that is one truncated story, or a table of headline-and-standfirst rows, is the
    corpus itself, not clutter beside it."""
    if paragraphs.empty:
        return []
    keys = ["doc", "article"]
    kinds = articles.drop_duplicates(keys).set_index(keys)["kind"]
    frame = paragraphs[keys].copy()
    frame["kind"] = (
        kinds.reindex(pd.MultiIndex.from_frame(frame[keys])).fillna("article").astype(str).to_numpy()
    )
    frame["chars"] = paragraphs["text"].str.len().to_numpy()
    size = frame.groupby(keys, sort=False)["chars"].sum().reset_index()
    # The largest article of each document; ties go to the first, so the choice is stable.
    main = size.sort_values(["doc", "chars", "article"], ascending=[True, False, True]).drop_duplicates("doc")
    is_main = pd.MultiIndex.from_frame(frame[keys]).isin(pd.MultiIndex.from_frame(main[keys]))
    return np.where(is_main, "article", frame["kind"].to_numpy()).tolist()


def seed_vectors(seeds: Sequence[SeedTheme], embedder: Embedder, cache: EmbeddingCache | None) -> np.ndarray:
    """One unit vector per seeded theme: the mean of its embedded name/description/keywords."""
    if not seeds:
        return np.zeros((0, 0), dtype=np.float32)
    texts = [seed.texts() for seed in seeds]
    flat = [t for group in texts for t in group]
    vectors, _ = embed_with_cache(flat, embedder, cache)
    out, position = [], 0
    for group in texts:
        mean = vectors[position : position + len(group)].mean(axis=0)
        out.append(mean / max(float(np.linalg.norm(mean)), 1e-12))
        position += len(group)
    return np.asarray(out, dtype=np.float32)


def fit_themes(
    texts: Sequence[str],
    vectors: np.ndarray,
    seeds: Sequence[SeedTheme],
    seeds_vectors: np.ndarray,
    settings: Settings,
    engine: Engine | None = None,
    articles: Sequence[object] | None = None,
    kinds: Sequence[str] | None = None,
) -> ThemeResult:
    """Theme of every paragraph, and a table of themes with labels, keywords and examples.

    `articles` (optional, one key per paragraph) says which article each paragraph comes from:
    a cluster of one article's paragraphs does not count as a theme when the number of themes
    is chosen. `kinds` (optional, one per paragraph: article, teaser or excerpt, as segmenting
    found them) lets teasers and excerpts of pieces published elsewhere stay out of the themes
    (in "Other", still listed and searchable) unless `settings.teasers` is "themed".

    A corpus larger than `settings.theme_sample_size` is fitted on a seeded sample of that
    many paragraphs on this machine, and every paragraph is then assigned to the fitted themes
    by `engine` (this process by default): clustering millions of vectors would not fit, and
    assigning them is a map over blocks that any engine does identically."""
    model = ThemeModel(
        n_seeds=len(seeds),
        n_themes=settings.n_themes,
        seed_threshold=settings.seed_threshold,
        outlier_threshold=settings.outlier_threshold,
        min_theme_size=settings.min_theme_size,
        random_state=settings.random_seed,
    )
    seed_input = seeds_vectors if len(seeds) else None
    fitted = np.arange(len(vectors))
    if kinds is not None and settings.teasers == "apart":
        fitted = np.flatnonzero(~np.isin(np.asarray(kinds, dtype=object), CLUTTER_KINDS))
    groups = None if articles is None else np.asarray(articles, dtype=object)
    if len(fitted) > settings.theme_sample_size:
        rng = np.random.default_rng(settings.random_seed)
        fitted = fitted[np.sort(rng.choice(len(fitted), settings.theme_sample_size, replace=False))]
        model.fit(vectors[fitted], seed_input, None if groups is None else groups[fitted])
        labels, similarity = (engine or LocalEngine()).assign(model, vectors)
    elif len(fitted) == len(vectors):
        model.fit(vectors, seed_input, groups)
        labels, similarity = model.labels_, model.similarity_
    else:
        model.fit(vectors[fitted], seed_input, None if groups is None else groups[fitted])
        labels = np.full(len(vectors), OTHER_ID, dtype=np.int64)
        similarity = np.zeros(len(vectors), dtype=np.float32)
        labels[fitted], similarity[fitted] = model.labels_, model.similarity_
    if len(fitted) < len(vectors) and kinds is not None and settings.teasers == "apart":
        clutter = np.isin(np.asarray(kinds, dtype=object), CLUTTER_KINDS)
        labels, similarity = labels.copy(), similarity.copy()
        labels[clutter], similarity[clutter] = OTHER_ID, 0.0
    other_share = float((labels == OTHER_ID).mean()) if len(labels) else 0.0
    terms = theme_terms(texts, labels, vectors=vectors)
    rows = []
    n = max(len(labels), 1)
    for theme_id in [*range(len(seeds) + model.n_discovered_), OTHER_ID]:
        members = np.flatnonzero(labels == theme_id)
        if theme_id == OTHER_ID and len(members) == 0:
            continue
        keywords = terms.get(theme_id, [])
        if theme_id == OTHER_ID:
            name = OTHER_NAME
        elif theme_id < len(seeds):
            name = seeds[theme_id].name
        else:
            name = " / ".join(keywords[:3]) or f"Theme {theme_id}"
        # Representative paragraphs: closest to the theme's centre (for Other: none).
        ranked = members[np.argsort(-similarity[members], kind="stable")] if theme_id != OTHER_ID else []
        rows.append(
            {
                "theme_id": theme_id,
                "theme": name,
                "size": len(members),
                "keywords": ", ".join(keywords),
                "seeded": theme_id != OTHER_ID and theme_id < len(seeds),
                "share": round(len(members) / n, 4),
                "representative": [int(i) for i in ranked[:3]],
            }
        )
    return ThemeResult(
        labels=labels,
        similarity=similarity,
        themes=pd.DataFrame(rows, columns=THEME_COLUMNS),
        other_share=other_share,
        k_scores=model.k_scores_,
    )
