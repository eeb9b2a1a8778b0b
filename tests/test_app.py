"""The dashboard's scripts under Streamlit's AppTest: every page runs, the theme picker drives the
paragraphs table, and corpus text only ever reaches the page through dataframes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from .conftest import ROOT

pytestmark = pytest.mark.model

DASHBOARD = ROOT / "dashboard.py"
PAGES = sorted((ROOT / "pages").glob("*.py"))
SCRIPTS = [DASHBOARD, *PAGES]
TIMEOUT = 120  # the first run in a process imports and loads the real model

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
# Openings of sample paragraphs that must never show up outside a dataframe.
KNOWN_OPENINGS = ("The Rodong Sinmun", "Regarding South Korea’s diplomatic strategy")


@pytest.fixture(autouse=True)
def _repo_root_importable(monkeypatch):
    """AppTest runs the script in this process and puts only the script's own folder on
    sys.path; `streamlit run dashboard.py` puts the repository root there for every page. A page
    in pages/ run on its own therefore needs the root added to find `ui` and `analysis`."""
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.chdir(ROOT)


def _run(script: Path) -> AppTest:
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _app_analysis():
    """The very Analysis the app showed: after an AppTest run the process-wide st.cache_data
    holds it, so this is a cache hit, not a second build."""
    from ui.loaders import sample_analysis

    return sample_analysis()


def _markdown_texts(at: AppTest) -> list[str]:
    texts = []
    for kind in MARKDOWN_KINDS:
        texts.extend(str(element.value) for element in at.get(kind))
    return texts


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_page_runs_and_shows_tables(script):
    at = _run(script)
    assert len(at.dataframe) >= 1
    for frame in at.dataframe:
        assert isinstance(frame.value, pd.DataFrame)
    if script == DASHBOARD:
        assert len(at.get("plotly_chart")) == 2


def test_pages_are_discovered():
    assert any(p.name == "1_Corpus.py" for p in PAGES)


def _listed(at: AppTest) -> pd.DataFrame:
    return at.dataframe[-1].value


def test_theme_picker_changes_the_listed_paragraphs():
    at = _run(DASHBOARD)
    result = _app_analysis()
    theme_of = dict(zip(result.paragraphs["pid"], result.paragraphs["theme"], strict=True))
    sizes = dict(zip(result.themes["theme"], result.themes["size"], strict=True))

    picker = at.selectbox(key="theme")
    options = list(picker.options)
    assert options == result.themes["theme"].tolist()
    assert len(options) >= 2

    seen: dict[str, pd.DataFrame] = {}
    for theme in [picker.value, *[o for o in options if o != picker.value]]:
        if theme != at.selectbox(key="theme").value:
            before = _listed(at)
            at.selectbox(key="theme").select(theme).run()
            assert not at.exception, [e.message for e in at.exception]
            assert at.selectbox(key="theme").value == theme
            assert not _listed(at).equals(before), f"table did not change when picking {theme!r}"
        listed = _listed(at)
        assert len(listed) == sizes[theme], theme
        assert [theme_of[pid] for pid in listed["pid"]] == [theme] * len(listed)
        seen[theme] = listed

    # Every paragraph is listed under exactly one theme.
    all_pids = [pid for listed in seen.values() for pid in listed["pid"]]
    assert sorted(all_pids) == sorted(result.paragraphs["pid"])

    # A paragraph the sample promises to the seeded theme is listed there.
    strategy = seen["South Korean strategy"]
    assert strategy["text"].str.contains("Regarding South Korea’s diplomatic strategy", regex=False).any()


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_corpus_text_is_never_rendered_as_markdown(script):
    at = _run(script)
    result = _app_analysis()
    openings = {*KNOWN_OPENINGS, *(t[:40] for t in result.paragraphs["text"] if len(t) >= 40)}
    rendered = _markdown_texts(at)
    assert rendered, "expected at least a title"
    for text in rendered:
        leaked = [o for o in openings if o in text]
        assert not leaked, f"corpus text rendered as Markdown: {leaked[:3]}"
    # ...whereas the text is there, in a dataframe (the dashboard's paragraphs table).
    if script == DASHBOARD:
        at.selectbox(key="theme").select("South Korean strategy").run()
        assert _listed(at)["text"].str.contains(KNOWN_OPENINGS[1], regex=False).any()
        for text in _markdown_texts(at):
            assert not any(o in text for o in openings)
