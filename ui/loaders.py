"""All of the dashboard's Streamlit caching, in one place.

The model is loaded once per process (`cache_resource`); analyses are kept by the corpus's
content hash and the settings, so every visitor of a hosted app who opens the
sample shares one build, and reruns after a widget change cost nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import streamlit as st

import analysis
from analysis import Analysis, Settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
SAMPLE_CORPUS = SAMPLE_DIR / "corpus"
SAMPLE_THEMES = SAMPLE_DIR / "themes.toml"


@st.cache_resource(show_spinner="Loading the embedding model…")
def embedder() -> analysis.SentenceTransformerEmbedder:
    model = analysis.SentenceTransformerEmbedder()
    _ = model.model  # load now, inside the spinner, rather than on the first search
    return model


def sample_settings() -> Settings:
    return Settings(themes_file=str(SAMPLE_THEMES))


def _progress_reporter():
    """A progress callback that draws a bar only if the pipeline actually reports progress,
    so that a cached analysis shows nothing at all."""
    slot = st.empty()

    def report(stage: str, done: int, total: int) -> None:
        fraction = done / total if total else 1.0
        if stage == "themes" and done >= total:
            slot.empty()
            return
        slot.progress(fraction, text=f"{stage.capitalize()}: {done:,} of {total:,}")

    return report


class _AnalysisStore:
    """Finished analyses by (corpus hash, settings, seed file), shared by all sessions.

    Not `st.cache_data`: a build reports progress to a bar on the page, and Streamlit's caches
    refuse functions that draw on elements created outside them. Analyses are returned as they
    are (no copy per rerun, which matters at 20,000 paragraphs): pages must not modify them.
    """

    def __init__(self, size: int = 8):
        self.size = size
        self.lock = threading.Lock()
        self.items: OrderedDict[tuple, Analysis] = OrderedDict()

    def get_or_build(self, key: tuple, make) -> Analysis:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        result = make()
        with self.lock:
            self.items[key] = result
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return result


@st.cache_resource
def _store() -> _AnalysisStore:
    return _AnalysisStore()


def sample_analysis(settings: Settings | None = None) -> Analysis:
    settings = settings or sample_settings()
    corpus = analysis.load_corpus([SAMPLE_CORPUS], settings=settings)
    themes_hash = analysis.text_hash(Path(settings.themes_file).read_text()) if settings.themes_file else ""
    key = (corpus.content_hash, settings.to_json(), themes_hash)
    return _store().get_or_build(
        key, lambda: analysis.build(corpus, settings, embedder=embedder(), progress=_progress_reporter())
    )
