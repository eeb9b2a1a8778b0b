"""Themes of a corpus: seeded and discovered themes fitted on its vectors, with a table of names,
keywords and representative paragraphs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..embed import Embedder, EmbeddingCache, LanguageCentres, embed_with_cache
from ..ingest import word_count
from ..run import Engine, LocalEngine
from ..settings import Settings
from ..tables import OTHER_ID, OTHER_NAME, THEME_COLUMNS
from ._hierarchy import broad_theme_names, theme_parents
from ._labels import PhraseEmbedder, keyword_name, theme_terms
from ._model import SeedTheme, ThemeModel, with_article_context

# Kinds of paragraph left out of themes by default: those of pieces published elsewhere
# (teasers, a headline and a standfirst, and truncated excerpts, as segmenting found them), and
# fragments, lines too short to be about anything ("Details", "热门新闻", a photo credit). Left
# in, fragments of every language gathered into a theme of their own on a six-language corpus
# and outvoted the paragraphs of pages with many of them.
CLUTTER_KINDS = ("teaser", "excerpt", "fragment")
# Fewer words than this (`word_count`: Chinese and Japanese characters two to a word) make a
# fragment.
_FRAGMENT_WORDS = 4
_FRAGMENT_PREFIX = 40


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
    corpus itself, not clutter beside it. A paragraph of fewer than four words is a "fragment"
    whatever its article."""
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
    kinds = np.where(is_main, "article", frame["kind"].to_numpy())
    fragments = np.fromiter((_is_fragment(text) for text in paragraphs["text"]), bool, len(paragraphs))
    return np.where(fragments, "fragment", kinds).tolist()


def _is_fragment(text: str) -> bool:
    """Fewer than `_FRAGMENT_WORDS` words. A text's start has no more words than the text, and
    nearly every paragraph shows four in its first 40 characters: counting the whole text only
    when its start falls short took reading 200,000 paragraphs' pieces from 1.5 s to 0.6 s."""
    return word_count(text[:_FRAGMENT_PREFIX]) < _FRAGMENT_WORDS and word_count(text) < _FRAGMENT_WORDS


def articles_in_themes(
    articles: pd.DataFrame, paragraphs: pd.DataFrame, kinds: Sequence[str], teasers: str
) -> list[str]:
    """For each article (row of `articles`), whether themes are fitted on its paragraphs: "yes";
    "kept apart", with `teasers="apart"`, for a teaser or excerpt beside its page's main article
    and an article of fragments only (`kinds`: each paragraph's, from `paragraph_kinds`); "duplicate" when
    every paragraph of it was dropped as a copy of another. The Corpus page shows it beside the
    segmenter's kind, which calls a page's only article "excerpt" when the page was cut off
    mid-sentence: that article is themed all the same."""
    keys = ["doc", "article"]
    themed = ~np.isin(np.asarray(kinds, dtype=object), CLUTTER_KINDS) if teasers == "apart" else np.ones(len(paragraphs), dtype=bool)
    themed = paragraphs[keys].assign(themed=themed).groupby(keys)["themed"].any()
    found = themed.reindex(pd.MultiIndex.from_frame(articles[keys]))  # NaN: no paragraph left
    duplicate, yes = found.isna().to_numpy(), found.fillna(False).astype(bool).to_numpy()
    return np.select([duplicate, yes], ["duplicate", "yes"], "kept apart").tolist()


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


def phrase_embedder(
    embedder: Embedder, cache: EmbeddingCache | None, centres: LanguageCentres | None = None
) -> PhraseEmbedder:
    """Label phrases embedded as the build embeds its paragraphs and seeds (through the same
    cache: a rebuild embeds none again), centred by their language when the build centres its
    vectors, so that a phrase and a theme's centre are compared in one space."""

    def embed(phrases: Sequence[str], languages: Sequence[str]) -> np.ndarray:
        vectors, _ = embed_with_cache(list(phrases), embedder, cache)
        return centres.apply(vectors, languages) if centres is not None else vectors

    return embed


def fit_themes(
    texts: Sequence[str],
    vectors: np.ndarray,
    seeds: Sequence[SeedTheme],
    seeds_vectors: np.ndarray,
    settings: Settings,
    engine: Engine | None = None,
    articles: Sequence[object] | None = None,
    kinds: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    outlets: Sequence[str] = (),
    embed_phrases: PhraseEmbedder | None = None,
) -> ThemeResult:
    """Theme of every paragraph, and a table of themes with labels, keywords and examples.

    `articles` (optional, one key per paragraph) says which article each paragraph comes from:
    a cluster of one article's paragraphs does not count as a theme when the number of themes
    is chosen. `kinds` (optional, one per paragraph: article, teaser or excerpt, as segmenting
    found them) lets teasers and excerpts of pieces published elsewhere stay out of the themes
    (in "Other", still listed and searchable) unless `settings.teasers` is "themed".
    `languages` (optional, one ISO code per paragraph) splits Korean, Chinese and Japanese
    into words for labels and keywords. `outlets` (the corpus's outlets) are no labels.
    `embed_phrases` (see `phrase_embedder`) tells how close a label phrase is to its theme.

    A corpus larger than `settings.theme_sample_size` is fitted on a seeded sample of that
    many paragraphs on this machine, and every paragraph is then assigned to the fitted themes
    by `engine` (this process by default): clustering millions of vectors would not fit, and
    assigning them is a map over blocks that any engine does identically."""
    model = ThemeModel(
        n_seeds=len(seeds),
        n_themes=settings.n_themes,
        seed_threshold=settings.seed_threshold,
        outlier_threshold=settings.theme_outlier_threshold,
        min_theme_size=settings.min_theme_size,
        random_state=settings.random_seed,
        discovery_context=settings.discovery_context,
    )
    if articles is not None:
        vectors = with_article_context(vectors, articles, settings.article_context)
    seed_input = seeds_vectors if len(seeds) else None
    fitted = np.arange(len(vectors))
    if kinds is not None and settings.teasers == "apart":
        fitted = np.flatnonzero(~np.isin(np.asarray(kinds, dtype=object), CLUTTER_KINDS))
    groups = None if articles is None else np.asarray(articles, dtype=object)
    if len(fitted) > settings.theme_sample_size:
        rng = np.random.default_rng(settings.random_seed)
        fitted = fitted[np.sort(rng.choice(len(fitted), settings.theme_sample_size, replace=False))]
        model.fit(vectors[fitted], seed_input, None if groups is None else groups[fitted])
        # Placed as discovery grouped the sample, with their article in view: by their own
        # vectors alone, the paragraphs outside the sample scattered where their article's
        # sampled ones stayed together (benchmarks/theme_sampling.py).
        scores = model.article_scores(vectors, groups)
        labels, similarity = (engine or LocalEngine()).assign(model, vectors, scores)
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
    ids = range(len(seeds) + model.n_discovered_)
    names = {i: seed.name for i, seed in enumerate(seeds)}
    themes = theme_table(
        texts, vectors, labels, similarity, ids, names, len(seeds), languages=languages, outlets=outlets,
        articles=articles, embed_phrases=embed_phrases,
    )  # fmt: skip
    return ThemeResult(
        labels=labels,
        similarity=similarity,
        themes=themes,
        other_share=other_share,
        k_scores=model.k_scores_,
    )


# Representative paragraphs per theme, and how far down a theme's ranking to look for them in
# other articles (bounds the work on a theme of a million paragraphs from one source).
_REPRESENTATIVES = 3
_REPRESENTATIVES_SCAN = 5_000


def _representatives(ranked: np.ndarray, articles: Sequence[object] | None) -> list[int]:
    """The first of `ranked` (a theme's paragraphs, most central first) from distinct articles,
    then the next most central: three paragraphs of one op-ed said less about a theme than one
    from each of three pieces (discovery keeps an article's paragraphs together, so its best
    three were often one article's)."""
    if articles is None:
        return [int(i) for i in ranked[:_REPRESENTATIVES]]
    chosen: list[int] = []
    seen: set[object] = set()
    for i in ranked[:_REPRESENTATIVES_SCAN]:
        if articles[i] not in seen:
            seen.add(articles[i])
            chosen.append(int(i))
            if len(chosen) == _REPRESENTATIVES:
                return chosen
    rest = [int(i) for i in ranked[: _REPRESENTATIVES * 2] if int(i) not in chosen]
    return chosen + rest[: _REPRESENTATIVES - len(chosen)]


def theme_table(
    texts: Sequence[str],
    vectors: np.ndarray,
    labels: np.ndarray,
    similarity: np.ndarray,
    theme_ids: Sequence[int],
    names: Mapping[int, str],
    n_seeds: int,
    parents: Mapping[int, int] | None = None,
    broad_names: Mapping[int, str] | None = None,
    languages: Sequence[str] | None = None,
    outlets: Sequence[str] = (),
    articles: Sequence[object] | None = None,
    embed_phrases: PhraseEmbedder | None = None,
) -> pd.DataFrame:
    """The themes table: one row per id of `theme_ids`, then "Other" when it holds paragraphs.
    A theme is called by `names` (the seeds' names, the names an earlier build gave) or else by
    its first three keywords; ids below `n_seeds` are the seeded themes. Each theme's broad
    theme (`parent`, `parent_theme`) is found by `theme_parents`, keeping the `parents` and
    `broad_names` an earlier build gave. Its representative paragraphs are its most central
    ones, from as many articles as there are (`articles`, one key per paragraph)."""
    phrases: dict[int, list[str]] = {}  # each paragraph's phrases, read once for both namings
    terms = theme_terms(
        texts, labels, vectors=vectors, languages=languages, phrases=phrases, outlets=outlets,
        embed_phrases=embed_phrases,
    )  # fmt: skip
    rows = []
    n = max(len(labels), 1)
    taken = {str(names[t]) for t in theme_ids if t in names}  # given names are kept as given
    for theme_id in [*theme_ids, OTHER_ID]:
        members = np.flatnonzero(labels == theme_id)
        if theme_id == OTHER_ID and len(members) == 0:
            continue
        keywords = terms.get(theme_id, [])
        if theme_id == OTHER_ID:
            name = OTHER_NAME
        elif theme_id in names:
            name = names[theme_id]
        else:
            name = keyword_name(keywords, taken, f"Theme {theme_id}")
        # Representative paragraphs: closest to the theme's centre (for Other: none).
        ranked = members[np.argsort(-similarity[members], kind="stable")] if theme_id != OTHER_ID else []
        rows.append(
            {
                "theme_id": theme_id,
                "theme": name,
                "size": len(members),
                "keywords": ", ".join(keywords),
                "seeded": 0 <= theme_id < n_seeds,
                "share": round(len(members) / n, 4),
                "representative": _representatives(ranked, articles),
            }
        )
    themes = pd.DataFrame(rows, columns=THEME_COLUMNS)
    parent_of = theme_parents(vectors, labels, themes["theme_id"].tolist(), earlier=parents)
    shown = dict(zip(themes["theme_id"].astype(int), themes["theme"], strict=True))
    broad = broad_theme_names(
        texts, vectors, labels, parent_of, shown, earlier=broad_names, languages=languages, phrases=phrases,
        outlets=outlets, embed_phrases=embed_phrases,
    )
    themes["parent"] = [parent_of[int(t)] for t in themes["theme_id"]]
    themes["parent_theme"] = [broad[p] for p in themes["parent"]]
    return themes
