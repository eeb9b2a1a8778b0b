"""All of the dashboard's Streamlit caching, in one place.

The model is loaded once per process (`cache_resource`); analyses are cached by the corpus's
content hash and the settings (`cache_data`), so every visitor of a hosted app who opens the
sample shares one build, and reruns after a widget change cost nothing.
"""

from __future__ import annotations

import json
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


@st.cache_data(show_spinner=False, max_entries=8)
def _sample_analysis(corpus_hash: str, settings_json: str) -> Analysis:
    # corpus_hash and settings_json only key the cache: the same files and settings give the
    # same build, so it is computed once per process.
    settings = Settings.from_dict(json.loads(settings_json))
    corpus = analysis.load_corpus([SAMPLE_CORPUS], settings=settings)
    progress = st.progress(0.0, text="Embedding paragraphs…")

    def report(stage: str, done: int, total: int) -> None:
        progress.progress(done / total if total else 1.0, text=f"{stage.capitalize()}: {done:,} of {total:,}")

    result = analysis.build(corpus, settings, embedder=embedder(), progress=report)
    progress.empty()
    return result


def sample_analysis(settings: Settings | None = None) -> Analysis:
    settings = settings or sample_settings()
    corpus = analysis.load_corpus([SAMPLE_CORPUS], settings=settings)
    return _sample_analysis(corpus.content_hash, settings.to_json())
