"""Shared fixtures. Expensive things (the real model, the sample's real build) are made once
per session; every test gets its own embedding cache unless it asks for the shared one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"

# The model must load from the installed package, never from a hub.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"


def stand_in_recorded_as_minilm():
    """The deterministic stand-in at MiniLM's 384 dimensions, recorded in builds as MiniLM: the
    dashboard embeds a search with the model a build records, so a search then runs (with the
    real model's query) over the stand-in's vectors, as the tests of paging and rebuilt folders
    need; what it finds means nothing."""
    from analysis import MODEL_ID, HashingEmbedder

    embedder = HashingEmbedder(dim=384)
    embedder.model_id = MODEL_ID
    return embedder


@pytest.fixture(autouse=True)
def _main_module_kept():
    """Each test leaves `__main__` as it found it. Streamlit's AppTest runs a page as `__main__`
    and leaves it there; a Dask worker is then started by spawning, which runs `__main__`'s file
    again in the new process: a page made by `AppTest.from_function` fails there (NameError)
    and no worker starts. That made every Dask test of tests/test_engines.py error when pytest-xdist
    gave it the process that had run tests/test_figure_edits.py."""
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    """Tests never touch the analyst's own cache in ~/.cache/geonews."""
    os.environ["GEONEWS_CACHE_DIR"] = str(tmp_path_factory.mktemp("geonews-cache"))


@pytest.fixture(scope="session")
def real_embedder():
    from analysis import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def sample_settings():
    from analysis import Settings

    return Settings(themes_file=str(SAMPLE / "themes.toml"))


@pytest.fixture(scope="session")
def sample_build(real_embedder, sample_settings, tmp_path_factory):
    """The sample corpus built with the real model (shared by the integration tests)."""
    from analysis import build_analysis, load_corpus

    corpus = load_corpus([SAMPLE / "corpus"], settings=sample_settings)
    return build_analysis(corpus, sample_settings, embedder=real_embedder, cache_dir=tmp_path_factory.mktemp("cache"))


HOSTILE_TEXT = (
    "Officials said <script>alert('owned')</script> the shipment **was delayed** at the border, "
    'see [details](javascript:alert(1)) and <img src=x onerror="alert(2)"> for more.'
)


@pytest.fixture(scope="session")
def hostile_builds(tmp_path_factory):
    """A builds folder holding one prebuilt analysis whose text is HTML, Markdown and script.

    Built with the stand-in embedder at 384 dimensions, so a search on it still works."""
    from analysis import HashingEmbedder, Settings, build_analysis, load_corpus, save_analysis

    folder = tmp_path_factory.mktemp("hostile-corpus")
    (folder / "hostile.txt").write_text(
        HOSTILE_TEXT
        + "\n\nA second paragraph about grain exports through the Black Sea ports, officials said.\n",
        encoding="utf-8",
    )
    builds = tmp_path_factory.mktemp("builds")
    result = build_analysis(
        load_corpus([folder]), Settings(), embedder=HashingEmbedder(dim=384), cache_dir=builds / "cache"
    )
    save_analysis(result, builds / "hostile")
    return builds


@pytest.fixture
def derived_steps(monkeypatch):
    """The steps whose derived results a build computed (rather than read from the cache), in
    order: "prepare", "themes", "layout", "figures", "citations"."""
    from analysis.build import DerivedResults

    computed: list[str] = []
    get = DerivedResults.get

    def counting_get(self, step, key, compute):
        def counted():
            computed.append(step)
            return compute()

        return get(self, step, key, counted)

    monkeypatch.setattr(DerivedResults, "get", counting_get)
    return computed


def run_cli(*args, cache=None, check=True, timeout=600) -> subprocess.CompletedProcess:
    """`python -m analysis ARGS` in a clean, offline environment (no inherited variables, so a
    test sees what an analyst's shell would), with its own embedding cache when given."""
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    if cache is not None:
        env["GEONEWS_CACHE_DIR"] = str(cache)
    return subprocess.run(
        [sys.executable, "-m", "analysis", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def large_builds(tmp_path_factory):
    """A builds folder with "large": the sample (stand-in embedder, 384 dimensions) repeated to
    30,000 paragraphs, more than the theme map draws and than a table page holds. Repeats get
    their own paragraph numbers and a little jitter on the map."""
    import dataclasses

    import numpy as np
    import pandas as pd

    from analysis import Settings, build_analysis, load_corpus, save_analysis
    from analysis.tables import paragraph_ids

    builds = tmp_path_factory.mktemp("large-builds")
    base = build_analysis(load_corpus([SAMPLE / "corpus"]), Settings(), embedder=stand_in_recorded_as_minilm(),
                 cache_dir=builds / "cache")  # fmt: skip
    copies = -(-30_000 // len(base.paragraphs))
    rng = np.random.default_rng(0)
    frames = []
    for copy in range(copies):
        frame = base.paragraphs.copy()
        frame["paragraph"] = frame["paragraph"] + 1_000 * copy
        frame["pid"] = paragraph_ids(frame)
        frame["x"] = frame["x"] + rng.normal(scale=0.5, size=len(frame))
        frame["y"] = frame["y"] + rng.normal(scale=0.5, size=len(frame))
        frames.append(frame)
    paragraphs = pd.concat(frames, ignore_index=True).head(30_000)
    themes = base.themes.copy()
    themes["size"] = themes["theme_id"].map(paragraphs["theme_id"].value_counts()).fillna(0).astype(int)
    large = dataclasses.replace(
        base, paragraphs=paragraphs, themes=themes, embeddings=np.tile(base.embeddings, (copies, 1))[:30_000]
    )
    save_analysis(large, builds / "large")
    return builds


def analysis_of(paragraphs, themes, documents, **tables):
    """An Analysis written by hand for unit tests: the given tables, the rest empty, 2-D zero
    vectors (one per paragraph)."""
    import numpy as np
    import pandas as pd

    from analysis import Analysis, Provenance

    empty = pd.DataFrame()
    return Analysis(
        paragraphs=paragraphs,
        themes=themes,
        documents=documents,
        articles=empty,
        duplicates=empty,
        removed=empty,
        skipped=empty,
        embeddings=np.zeros((len(paragraphs), 2), dtype=np.float32),
        texts={},
        provenance=tables.pop("provenance", Provenance()),
        **tables,
    )
