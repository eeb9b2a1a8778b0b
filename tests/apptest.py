"""What the AppTest suites share: running a page as `streamlit run` would, and the text of every
element Streamlit renders as Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from .conftest import ROOT

APP_TIMEOUT = 120  # the first run in a process imports and loads the real model
# Element kinds whose body Streamlit renders as Markdown (and so could render HTML or links).
MARKDOWN_KINDS = (
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "info",
    "warning",
    "error",
    "success",
)

@pytest.fixture
def repo_root_importable(monkeypatch):
    """AppTest puts only the script's folder on sys.path; `streamlit run` puts the repository
    root there for every page, so the pages in pages/ need it added to find `ui`."""
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.chdir(ROOT)


def run_page(script: Path, **params) -> AppTest:
    """The script run once under AppTest with the link parameters given; no exception."""
    at = AppTest.from_file(str(script), default_timeout=APP_TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def markdown_texts(at: AppTest) -> list[str]:
    return [str(element.value) for kind in MARKDOWN_KINDS for element in at.get(kind)]


def prebuilt_analysis(tmp_path, monkeypatch, name: str, files: dict[str, str | bytes], settings=None):
    """A prebuilt analysis `name` of `files` (file name -> text or bytes), built with the stand-in
    embedder at the real model's 384 dimensions and offered to the dashboard; returns it."""
    from analysis import HashingEmbedder, Settings, build_analysis, load_corpus, save_analysis
    from ui import loaders

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for file_name, content in files.items():
        if isinstance(content, bytes):
            (corpus / file_name).write_bytes(content)
        else:
            (corpus / file_name).write_text(content, encoding="utf-8")
    result = build_analysis(
        load_corpus([corpus]), settings or Settings(), embedder=HashingEmbedder(dim=384), cache_dir=tmp_path / "c"
    )
    save_analysis(result, tmp_path / "builds" / name)
    monkeypatch.setattr(loaders, "BUILDS_DIR", tmp_path / "builds")
    return result
