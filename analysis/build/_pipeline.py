"""The pipeline: corpus -> prepared paragraphs -> vectors -> themes, map, figures and sources.

One `Pipeline` runs the stages for the command line (`run`, on the engine the settings name) and
for the dashboard (`prepare`, `embed`, `analyse` one at a time, so that changing the number of
themes refits themes on kept vectors and never reads or embeds the corpus again).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..claims import (
    STATE_COLUMNS,
    STATES_FILE,
    ClaimLimits,
    analyst_states,
    claims_in_parts,
    read_states,
    sources_with_themes,
)
from ..embed import (
    Embedder,
    EmbeddingCache,
    LanguageCentres,
    Progress,
    choose_model,
    embed_with_cache,
    make_embedder,
    model_key,
    multilingual_model_problem,
)
from ..ingest import Corpus, PreparedCorpus, detect_languages, prepare
from ..lookups import load_source_kinds, read_source_kinds, usable_source_kinds
from ..run import Engine, EngineError, LocalEngine, engine_from_settings
from ..settings import AUTO_MODEL, MODEL_ID, MULTILINGUAL_MODEL_ID, Settings, default_cache_dir
from ..tables import (
    ARTICLE_COLUMNS,
    KIND_COLUMNS,
    OTHER_ID,
    PARAGRAPH_COLUMNS,
    Analysis,
    CorpusError,
    Provenance,
    empty_table,
    known_outlets,
)
from ..themes import (
    PhraseEmbedder,
    SeedTheme,
    ThemeResult,
    articles_in_themes,
    fit_themes,
    layout_2d,
    load_seed_themes,
    paragraph_kinds,
    phrase_embedder,
    seed_vectors,
    theme_changes,
    update_refusal,
    update_themes,
)
from ._derived import DerivedResults, paragraphs_digest

__all__ = ["Pipeline", "build_analysis"]


class _Timer:
    """Seconds per stage, recorded with the build."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._started = time.perf_counter()

    def step(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self._started, 3)
        self._started = now


def _stage_progress(progress: Progress | None, stage: str, total: int) -> Callable[[int], None] | None:
    """progress(stage, paragraphs read, total) from a reader's done(paragraphs read)."""
    if progress is None:
        return None
    progress(stage, 0, total)
    return lambda read: progress(stage, read, total)


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class Pipeline:
    """The build's stages under one set of settings.

    `embedder` defaults to the settings' model (loaded only when something must be embedded;
    `auto` chooses it from the prepared corpus's languages), made by `embedders(model_id)`
    (default `make_embedder`; the dashboard passes one that keeps loaded models for all visitors);
    `cache_dir` holds the embedding cache and derived results (default ~/.cache/geonews, or
    GEONEWS_CACHE_DIR); `progress(stage, done, total)` is told how each long stage goes.
    `keep_derived=False` computes every derived result afresh and writes none to disk: for
    text that must not outlive its session on a shared machine (a visitor's uploads). Vectors
    are still cached: they hold no text.
    """

    settings: Settings = field(default_factory=Settings)
    embedder: Embedder | None = None
    cache_dir: Path | str | None = None
    progress: Progress | None = None
    keep_derived: bool = True
    embedders: Callable[[str], Embedder] = make_embedder
    # The build this one replaces (`--out` naming an earlier build): its themes are updated when
    # model and settings are the same and `refit` is not asked for; what changed is recorded.
    earlier: Analysis | None = None
    refit: bool = False

    def __post_init__(self) -> None:
        self.cache_root = Path(self.cache_dir) if self.cache_dir is not None else default_cache_dir()
        # Read now: a missing or unusable themes or kinds file fails before anything is read
        # (or written: the derived results' store makes its folder).
        self.seeds: list[SeedTheme] = (
            load_seed_themes(self.settings.themes_file) if self.settings.themes_file else []
        )
        self.source_kinds = (
            read_source_kinds(self.settings.source_kinds_file)
            if self.settings.source_kinds_file
            else pd.DataFrame(columns=KIND_COLUMNS, dtype=str)
        )
        self.states = (
            read_states(self.settings.states_file)
            if self.settings.states_file
            else pd.DataFrame(columns=STATE_COLUMNS, dtype=str)
        )
        self.derived = DerivedResults(self.cache_root if self.keep_derived else None)

    def _embedder_in_use(self, prepared: PreparedCorpus) -> Embedder:
        """The given embedder, else the settings' model (made here, loaded on first encode):
        with `auto`, the multilingual model for a corpus in several languages, where it runs."""
        if self.embedder is None:
            model_id = self.settings.model_id
            if model_id == AUTO_MODEL:
                model_id = choose_model(prepared.paragraphs["lang"].tolist())
                if model_id == MULTILINGUAL_MODEL_ID and multilingual_model_problem():
                    model_id = MODEL_ID  # not on this platform; the build records the model it used
            elif model_id == MULTILINGUAL_MODEL_ID and (problem := multilingual_model_problem()):
                raise CorpusError(problem)
            self.embedder = self.embedders(model_id)
        return self.embedder

    def settings_in_use(self, prepared: PreparedCorpus) -> Settings:
        """The settings with the model `auto` chose and the defaults that depend on it: what the
        build runs with and records."""
        return self.settings.for_model(self._embedder_in_use(prepared).model_id)

    # --- the stages ----------------------------------------------------------------------

    def run(self, corpus: Corpus) -> Analysis:
        """Every stage on the engine the settings name. Raises CorpusError when not one paragraph
        could be read, or the engine cannot start."""
        timer = _Timer()
        try:
            engine = engine_from_settings(self.settings)
        except EngineError as error:
            raise CorpusError(str(error)) from error
        with engine:
            timer.step("engine start")
            prepared = self.prepare(corpus, engine)
            timer.step("prepare")
            vectors, embedded = self.embed(prepared, engine)
            timer.step("embed")
            return self.analyse(prepared, vectors, embedded, engine, timer)

    def prepare(self, corpus: Corpus, engine: Engine | None = None) -> PreparedCorpus:
        """Clean, segment, drop duplicates, detect languages (kept per corpus content)."""
        key = _digest(corpus.content_hash, self.settings.near_duplicate_threshold)
        return self.derived.get("prepare", key, lambda: prepare(corpus, self.settings, engine))

    def embed(self, prepared: PreparedCorpus, engine: Engine | None = None) -> tuple[np.ndarray, int]:
        """Vectors of the prepared paragraphs (through the embedding cache) and how many were
        new. Raises CorpusError when not one paragraph could be read."""
        if prepared.paragraphs.empty:
            reasons = "; ".join(
                f"{path}: {reason}" for path, reason in prepared.skipped.head(3).itertuples(index=False)
            )
            raise CorpusError("no readable text in the input" + (f" ({reasons})" if reasons else ""))
        embedder = self._embedder_in_use(prepared)
        cache = EmbeddingCache(self.cache_root, model_key(embedder))
        return embed_with_cache(
            prepared.paragraphs["text"].tolist(), embedder, cache, self.progress, engine=engine
        )

    def analyse(
        self,
        prepared: PreparedCorpus,
        vectors: np.ndarray,
        embedded: int = 0,
        engine: Engine | None = None,
        timer: _Timer | None = None,
    ) -> Analysis:
        """Themes, map, figures and cited sources from prepared paragraphs and their vectors."""
        timer = timer or _Timer()
        engine = engine or LocalEngine()
        settings, progress, seeds = self.settings_in_use(prepared), self.progress, self.seeds
        embedder = self._embedder_in_use(prepared)
        key = model_key(embedder)
        analyst_kinds = usable_source_kinds(self.source_kinds, "source kinds")
        kinds = load_source_kinds(analyst_kinds)
        texts = prepared.paragraphs["text"].tolist()
        cache = EmbeddingCache(self.cache_root, key)  # seeds' texts and label phrases, as paragraphs
        seeds_vectors = seed_vectors(seeds, embedder, cache)
        centres = None
        if getattr(embedder, "centres_languages", False):
            # What each language adds to its vectors is taken out before anything compares
            # them: themes, the map and search then group by subject, not by language.
            centres = LanguageCentres.fit(vectors, prepared.paragraphs["lang"].tolist())
            vectors = centres.apply(vectors, prepared.paragraphs["lang"].tolist())
            if len(seeds):
                seed_languages = detect_languages([seed.texts()[0] for seed in seeds])
                seeds_vectors = centres.apply(seeds_vectors, seed_languages)
        # The vectors are those of this model for these texts: the texts' digest and the model
        # key stand for them in the keys (hashing a million vectors would cost seconds).
        paragraphs_key = paragraphs_digest(prepared.paragraphs)
        if progress:
            progress("themes", 0, 1)
        theme_settings = settings.result_dict()
        for name in ("themes_file", "source_kinds_file", "states_file"):  # their content counts, not their place
            theme_settings.pop(name)
        # Outlets come from the manifest and pages, not the paragraphs' text: they join the key.
        outlets = sorted(set(known_outlets(prepared.documents)) - {""})
        # Label phrases are embedded as the seeds are, and centred as the paragraphs are.
        embed_phrases = phrase_embedder(embedder, cache, centres)
        # Each paragraph's piece (article, teaser, excerpt, fragment): read once for the fit or
        # update and for the articles table's "in themes".
        pieces = paragraph_kinds(prepared.paragraphs, prepared.articles)
        updated = _updated_themes(
            self.earlier, self.refit, prepared, vectors, pieces, seeds, seeds_vectors, settings, key, outlets, embed_phrases
        )
        result = updated or self.derived.get(
            "themes",
            _digest(key, paragraphs_key, [vars(s) for s in seeds], theme_settings, outlets),
            lambda: fit_themes(
                texts, vectors, seeds, seeds_vectors, settings, engine,
                articles=(prepared.paragraphs["doc"] + "#" + prepared.paragraphs["article"].astype(str)).tolist(),
                kinds=pieces,
                languages=prepared.paragraphs["lang"].tolist(),
                outlets=outlets,
                embed_phrases=embed_phrases,
            ),
        )
        timer.step("themes")
        coords = self.derived.get(
            "layout", _digest(key, paragraphs_key, settings.random_seed), lambda: layout_2d(vectors, settings.random_seed)
        )
        timer.step("layout")
        if progress:
            progress("themes", 1, 1)
        total = len(prepared.paragraphs)
        claim_limits = ClaimLimits.from_settings(settings)
        claims = self.derived.get(
            "claims",
            _digest(
                paragraphs_key,
                hashlib.sha256(STATES_FILE.read_bytes()).hexdigest(),
                self.states.to_csv(index=False),
                kinds[KIND_COLUMNS].to_csv(index=False),
                vars(claim_limits),
            ),
            lambda: claims_in_parts(
                prepared.paragraphs,
                kinds,
                engine,
                done=_stage_progress(progress, "claims", total),
                limits=claim_limits,
                states=analyst_states(self.states),
            ),
        )
        figures, sources, citations = claims.figures, claims.sources, claims.citations
        timer.step("claims")
        paragraphs = prepared.paragraphs.copy()
        names = dict(zip(result.themes["theme_id"], result.themes["theme"], strict=False))
        paragraphs["theme_id"] = result.labels
        paragraphs["theme"] = [names[t] for t in result.labels]
        paragraphs["similarity"] = np.round(result.similarity.astype(np.float64), 4)
        paragraphs["x"], paragraphs["y"] = coords[:, 0], coords[:, 1]
        sources = sources_with_themes(sources, citations, paragraphs)
        provenance = Provenance(
            model_id=getattr(embedder, "model_id", "unknown"),
            model_key=key,
            language_centres=centres.to_lists() if centres is not None else {},
            settings=settings,
            seed_themes=tuple(vars(s) | {"keywords": list(s.keywords)} for s in seeds),
            source_kinds=tuple(analyst_kinds.to_dict(orient="records")),
            states=tuple(self.states.to_dict(orient="records")),
            corpus_hash=prepared.corpus_hash,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            counts={
                "documents": len(prepared.documents),
                "articles": len(prepared.articles),
                "paragraphs": len(paragraphs),
                "duplicates_dropped": len(prepared.duplicates),
                "lines_removed": len(prepared.removed),
                "skipped_files": len(prepared.skipped),
                "embedded_now": embedded,
                "non_english": int((paragraphs["lang"] != "en").sum()),
                "figures": len(figures),
                "flows": int((figures["kind"] == "flow").sum()),
                "sources": len(sources),
                "citations": len(citations),
            },
            other_share=round(result.other_share, 4),
            discovered_themes=int((~result.themes["seeded"] & (result.themes["theme_id"] != OTHER_ID)).sum()),
            k_scores={str(k): v for k, v in result.k_scores.items()},
            timings=timer.timings,
        )
        return Analysis(
            paragraphs=paragraphs[PARAGRAPH_COLUMNS],
            themes=result.themes,
            documents=prepared.documents,
            articles=prepared.articles.assign(
                in_themes=articles_in_themes(prepared.articles, prepared.paragraphs, pieces, settings.teasers)
            )[ARTICLE_COLUMNS],
            duplicates=prepared.duplicates,
            removed=prepared.removed,
            skipped=prepared.skipped,
            embeddings=vectors,
            texts=prepared.texts,
            provenance=provenance,
            figures=figures,
            sources=sources,
            citations=citations,
            theme_changes=_changes_since(self.earlier, paragraphs, result.themes, provenance.built_at),
        )


def _updated_themes(
    earlier: Analysis | None,
    refit: bool,
    prepared: PreparedCorpus,
    vectors: np.ndarray,
    kinds: list[str],
    seeds: list[SeedTheme],
    seeds_vectors: np.ndarray,
    settings: Settings,
    key: str,
    outlets: list[str],
    embed_phrases: PhraseEmbedder | None = None,
) -> ThemeResult | None:
    """The earlier build's themes carried over to this corpus, or None when they are fitted
    afresh: no earlier build, `refit`, or another model, settings or seeded themes."""
    seed_themes = [vars(s) | {"keywords": list(s.keywords)} for s in seeds]
    if earlier is None or refit or update_refusal(earlier.provenance, key, settings, seed_themes):
        return None
    paragraphs = prepared.paragraphs
    retired = earlier.theme_changes.loc[earlier.theme_changes["change"] == "gone", "theme_id"]
    return update_themes(
        paragraphs["text"].tolist(), vectors, paragraphs["pid"].tolist(), earlier.paragraphs, earlier.themes,
        seeds, seeds_vectors, settings, retired_ids=retired.astype(int).tolist(),
        articles=(paragraphs["doc"] + "#" + paragraphs["article"].astype(str)).tolist(),
        kinds=kinds, languages=paragraphs["lang"].tolist(),
        outlets=outlets, embed_phrases=embed_phrases,
    )  # fmt: skip


def _changes_since(earlier: Analysis | None, paragraphs: pd.DataFrame, themes: pd.DataFrame, built_at: str) -> pd.DataFrame:
    """What this build changed in the earlier one's themes, after the earlier record (empty
    without an earlier build)."""
    if earlier is None:
        return empty_table("theme_changes")
    return theme_changes(
        earlier.paragraphs, earlier.themes, earlier.theme_changes, earlier.provenance.built_at,
        paragraphs, themes, built_at,
    )  # fmt: skip


def build_analysis(
    corpus: Corpus,
    settings: Settings = Settings(),
    embedder: Embedder | None = None,
    cache_dir: Path | str | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """`Pipeline(settings, embedder, cache_dir, progress).run(corpus)`."""
    return Pipeline(settings, embedder, cache_dir, progress).run(corpus)
