"""All of the dashboard's caching, in one place.

- The model is loaded once per process (`st.cache_resource`).
- A corpus is read, cleaned and embedded once per content hash; its analysis is kept per
  settings, so changing the number of themes refits themes on the kept vectors and never reads
  or embeds the corpus again.
- Both live in process-wide stores rather than `st.cache_data`: the embedding step draws on the
  page's progress bar, which Streamlit's caches refuse, and a 20,000-paragraph analysis should
  not be copied on every rerun. Pages must not modify what they get.
- The analyst's own source kinds re-extract the cited sources once per corpus and table
  content, in the same store.
- Entries are keyed by content hash: a visitor can only reach another visitor's upload by
  uploading the very same files, and then sees nothing that was not in their own files.
- What the pages show of an analysis (its summary, the map, tallies by outlet and over time,
  source coverage) is computed once per analysis as the visitor sees it (theme renames and
  merges applied) and kept with it (`computed`): a page's rerun or a second visitor reads it
  instead of counting a million paragraphs again. A prebuilt analysis brings the views the
  command line stored with it (`analysis.views.BUILD_VIEWS`): until the visitor edits it, those
  are read, not counted (`build_view`).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

import analysis
from analysis import Analysis, Corpus, Pipeline, PreparedCorpus, Settings
from analysis.embed import (
    Embedder,
    LanguageCentres,
    MiniLMQueryEncoder,
    make_embedder,
    multilingual_model_problem,
    query_vector,
    search_floor,
)
from analysis.ingest import query_language
from analysis.settings import AUTO_MODEL, MODEL_ID, MODELS, MULTILINGUAL_MODEL_ID
from analysis.views import BUILD_VIEWS, name_unknown_outlets, read_build_views

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
SAMPLE_CORPUS = SAMPLE_DIR / "corpus"
SAMPLE_THEMES = SAMPLE_DIR / "themes.toml"
# Prebuilt analyses (folders written by `python -m analysis build`) are listed from this one
# folder, by name only: a visitor never gives a path.
BUILDS_DIR = Path(os.environ.get("GEONEWS_BUILDS_DIR", ROOT / "data" / "builds"))
# A hosted app can open on a prebuilt analysis instead of the sample, so that its first visitor
# does not wait for the sample to be embedded (the name of a folder in BUILDS_DIR).
DEFAULT_BUILD = os.environ.get("GEONEWS_DEFAULT_BUILD", "")
# Where `computed` keeps the views stored with a prebuilt analysis (name -> table), until the
# analysis as the visitor sees it takes them (`edited_analysis`).
_STORED_VIEWS = "stored views"


@st.cache_resource(show_spinner="Loading the embedding model…")
def embedder(model_id: str) -> Embedder:
    """One loaded model per model id for the whole server (a build records which one it used)."""
    model = make_embedder(model_id)
    _ = model.model  # load now, inside the spinner, rather than on the first search
    return model


def search_embedder(model_id: str) -> Embedder | None:
    """The model that made a build, to embed searches with; None when this install cannot run it
    (a build made elsewhere with another model, or the multilingual model on a platform it does
    not support): comparing another model's query with its vectors would rank noise."""
    if model_id not in MODELS or model_id == AUTO_MODEL:
        return None
    if model_id == MULTILINGUAL_MODEL_ID and multilingual_model_problem():
        return None
    if model_id == MODEL_ID:
        return _minilm_queries()
    return embedder(model_id)


@st.cache_resource(show_spinner="Loading the search model…")
def _minilm_queries() -> Embedder:
    """MiniLM's queries embedded without torch (see MiniLMQueryEncoder): a server that only
    searches prebuilt analyses never loads torch, 460 MiB and 14 s on its first search."""
    return MiniLMQueryEncoder()


def search_vector(result: Analysis, query: str) -> tuple[np.ndarray, float] | None:
    """The query's vector as the build's model embeds and centres it, and the similarity a
    result needs under that model; None when this install cannot run the model."""
    provenance = result.provenance
    model = search_embedder(provenance.model_id)
    if model is None:
        return None
    centres = LanguageCentres.from_lists(provenance.language_centres or None)
    return query_vector(query, model, centres, query_language(query)), search_floor(provenance.model_id)


class ResultStore:
    """A small process-wide LRU of finished results, safe to share between sessions.

    A result is made once however many sessions ask for it at the same time: the first makes
    it, the others wait for it. (Each making its own, 20 visitors arriving at a cold server ran
    20 embeddings of the same corpus; one of them was done after three minutes, at 3.2 GB.)"""

    def __init__(self, size: int):
        self.size = size
        self.lock = threading.Lock()
        self.items: OrderedDict[tuple, object] = OrderedDict()
        self.making: dict[tuple, threading.Lock] = {}  # key -> held while its value is made

    def get_or_make(self, key: tuple, make: Callable[[], object]):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            maker = self.making.setdefault(key, threading.Lock())
        with maker:  # one maker per key; the others wait here, then find its value
            with self.lock:
                if key in self.items:
                    self.items.move_to_end(key)
                    return self.items[key]
            try:
                value = make()
            except BaseException:
                with self.lock:
                    self.making.pop(key, None)
                raise
            with self.lock:  # stored before its maker is let go: no gap for a second maker
                self.items[key] = value
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
                self.making.pop(key, None)
            return value

    def forget(self, key: tuple) -> None:
        """Drop `key`'s value, so that the next `get_or_make` makes it again."""
        with self.lock:
            self.items.pop(key, None)


@st.cache_resource
def _embedded_store() -> ResultStore:
    return ResultStore(size=6)


@st.cache_resource
def _analysis_store() -> ResultStore:
    return ResultStore(size=12)


_STAGE_LABELS = {
    "embedding": "Embedding paragraphs",
    "themes": "Finding themes",
    "claims": "Reading figures and cited sources",
}


def progress_reporter() -> Callable[[str, int, int], None]:
    """A progress callback that draws a bar only when the pipeline reports progress, so that a
    cached corpus shows nothing at all."""
    slot = st.empty()

    def report(stage: str, done: int, total: int) -> None:
        if done >= total:  # a finished stage leaves nothing behind
            slot.empty()
            return
        label = _STAGE_LABELS.get(stage, stage)
        slot.progress(done / total if total else 1.0, text=f"{label}: {done:,} of {total:,}")

    return report


def _pipeline(settings: Settings, private: bool) -> Pipeline:
    """The pipeline the command line runs, with this process's model and a progress bar here.
    A private corpus (a visitor's uploads) leaves no derived result on the server's disk."""
    return Pipeline(settings, embedders=embedder, progress=progress_reporter(), keep_derived=not private)


def _embedded(corpus: Corpus, settings: Settings, private: bool) -> tuple[PreparedCorpus, np.ndarray]:
    key = (corpus.content_hash, settings.near_duplicate_threshold)

    def make():
        pipeline = _pipeline(settings, private)
        prepared = pipeline.prepare(corpus)
        vectors, _ = pipeline.embed(prepared)
        return prepared, vectors

    return _embedded_store().get_or_make(key, make)


def corpus_analysis(corpus: Corpus, settings: Settings, private: bool = False) -> Analysis:
    """The analysis of a corpus under the given settings (raises analysis.CorpusError);
    `private` for a visitor's uploads (see `_pipeline`)."""
    themes_hash = analysis.text_hash(Path(settings.themes_file).read_text()) if settings.themes_file else ""
    kinds = settings.source_kinds_file
    kinds_hash = analysis.text_hash(Path(kinds).read_text(encoding="utf-8")) if kinds else ""
    key = (corpus.content_hash, settings.to_json(), themes_hash, kinds_hash)

    def make():
        prepared, vectors = _embedded(corpus, settings, private)
        return _pipeline(settings, private).analyse(prepared, vectors)

    return _analysis_store().get_or_make(key, make)


def sample_corpus(settings: Settings) -> Corpus:
    return analysis.load_corpus([SAMPLE_CORPUS], settings=settings)


def prebuilt_names() -> list[str]:
    if not BUILDS_DIR.is_dir():
        return []
    return sorted(p.name for p in BUILDS_DIR.iterdir() if (p / "build.json").is_file())


def prebuilt_analysis(name: str) -> Analysis:
    """A prebuilt analysis by name; the name must be one that `prebuilt_names` lists."""
    if name not in prebuilt_names():
        raise analysis.CorpusError(f"no prebuilt analysis called {name!r}")
    folder = BUILDS_DIR / name
    stamp = (folder / "build.json").stat().st_mtime_ns

    def load() -> Analysis:
        result = analysis.load_analysis(folder, with_texts=False)
        stored = read_build_views(result, folder)
        computed(result, _STORED_VIEWS, lambda: stored)
        return result

    return _analysis_store().get_or_make(("prebuilt", name, stamp), load)


def with_source_kinds(result: Analysis, kinds: pd.DataFrame) -> Analysis:
    """`analysis.with_source_kinds(result, kinds)`, made once per corpus, build settings, theme
    assignment and table content: reruns of the page, and other visitors with the same table,
    do not extract the cited sources again. `kinds` must hold valid rows only (as
    `analysis.check_source_kinds` returns them)."""
    themes = hashlib.sha256(np.ascontiguousarray(result.paragraphs["theme_id"].to_numpy()).tobytes())
    names = zip(result.themes["theme_id"], result.themes["theme"], strict=True)
    themes.update(json.dumps([[int(i), str(name)] for i, name in names]).encode())
    key = (
        "source kinds",
        result.corpus_hash,
        result.provenance.settings.to_json(),
        json.dumps(list(result.provenance.source_kinds), sort_keys=True),
        themes.hexdigest(),
        hashlib.sha256(analysis.source_kinds_csv(kinds)).hexdigest(),
    )
    return _analysis_store().get_or_make(key, lambda: analysis.with_source_kinds(result, kinds))


@st.cache_resource
def _view_store() -> ResultStore:
    # Analyses as visitors see them (a few per build: renames and merges) and what pages compute
    # from them; small next to the builds, except the edited analyses, which share the build's
    # columns they do not change.
    return ResultStore(size=256)


def edited_analysis(result: Analysis, renames: dict[int, str], merges: list[tuple[int, ...]]) -> Analysis:
    """`result` as the visitor sees it: their theme renames and merges applied and unknown
    outlets named alike everywhere. The same object for every run and every visitor with the
    same edits, so that what pages compute from it is kept with it (`computed`)."""
    edits = json.dumps([sorted((int(k), str(v)) for k, v in renames.items()), [list(g) for g in merges]])

    def edit() -> Analysis | None:
        edited = name_unknown_outlets(analysis.apply_theme_edits(result, renames, merges))
        if not renames and not merges:
            # The build as it was built: the views stored with it are this analysis's.
            for view, frame in computed(result, _STORED_VIEWS, dict).items():
                computed(edited, view, lambda frame=frame: frame)
        return None if edited is result else edited  # kept as None: no strong hold on `result`

    edited = computed(result, ("edited", edits), edit)
    return result if edited is None else edited


def build_view(result: Analysis, name: str) -> pd.DataFrame:
    """The view `name` of `analysis.views.BUILD_VIEWS` for `result`: the copy stored with a
    prebuilt analysis when the visitor has not edited it, else computed once (`computed`)."""
    return computed(result, name, lambda: BUILD_VIEWS[name].compute(result))


def computed(result: Analysis, name: object, compute: Callable[[], object]):
    """`compute()`, made once per analysis object and `name` (a hashable naming what is computed
    and from which of the page's choices). Pages must not modify what they get.

    Keyed by the object's identity, which is exact and free where hashing a million rows is not.
    An entry refers to its analysis weakly, so that it keeps no build alive that the stores have
    let go (a build rebuilt in place); an entry whose analysis is gone, and whose id another
    object now has, is made again."""
    store, key = _view_store(), (id(result), name)
    held, value = store.get_or_make(key, lambda: (weakref.ref(result), compute()))
    if held() is not result:
        store.forget(key)
        held, value = store.get_or_make(key, lambda: (weakref.ref(result), compute()))
    return value
