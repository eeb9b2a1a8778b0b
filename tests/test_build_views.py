"""The views a build stores for the dashboard (`analysis.views.BUILD_VIEWS`): what the dashboard
would count, read back only for the build they were made for, and never when a file is not whole,
not of its shape, not a regular file or past its bounds. The Sources page reads them until the
visitor edits the analysis."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import threading
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis import HashingEmbedder, Settings, build_analysis, load_analysis, load_corpus, save_analysis
from analysis.views import (
    BUILD_VIEWS,
    VIEWS_FOLDER,
    name_unknown_outlets,
    read_build_views,
    view_file_name,
    write_build_views,
)

from .apptest import repo_root_importable  # noqa: F401
from .conftest import ROOT, SAMPLE

FILE_OF = {name: view_file_name(name) for name in BUILD_VIEWS}


@pytest.fixture(scope="module")
def viewed_builds(tmp_path_factory) -> Path:
    """A builds folder with "viewed": the sample (stand-in embedder) saved, then its views
    written as the command line writes them."""
    builds = tmp_path_factory.mktemp("viewed-builds")
    result = build_analysis(load_corpus([SAMPLE / "corpus"]), Settings(), embedder=HashingEmbedder(dim=384),
                   cache_dir=builds / "cache")  # fmt: skip
    folder = save_analysis(result, builds / "viewed")
    write_build_views(load_analysis(folder, with_texts=False), folder)
    return builds


@pytest.fixture
def build(viewed_builds, tmp_path) -> Path:
    """A copy of the viewed build of this test's own, to spoil."""
    return Path(shutil.copytree(viewed_builds / "viewed", tmp_path / "viewed"))


def _read(folder: Path) -> dict[str, pd.DataFrame]:
    return read_build_views(load_analysis(folder, with_texts=False), folder)


def test_stored_views_are_what_the_dashboard_counts(build):
    opened = load_analysis(build, with_texts=False)
    stored = read_build_views(opened, build)
    assert set(stored) == set(BUILD_VIEWS)
    shown = name_unknown_outlets(opened)
    for name, view in BUILD_VIEWS.items():
        counted = view.compute(shown)
        assert len(counted), name  # the sample has rows in each, so the comparison means something
        pd.testing.assert_frame_equal(stored[name], counted, obj=name)


def test_views_made_for_another_build_are_not_read(build):
    opened = load_analysis(build, with_texts=False)
    rebuilt = dataclasses.replace(opened, provenance=opened.provenance.replace(built_at="2030-01-01T00:00:00+00:00"))
    assert read_build_views(rebuilt, build) == {}
    fewer = dataclasses.replace(opened, paragraphs=opened.paragraphs.iloc[1:])
    assert read_build_views(fewer, build) == {}
    assert set(read_build_views(opened, build)) == set(BUILD_VIEWS)  # the build itself still reads them


def _spoil_backing(path: Path, spoil: str) -> None:
    frame = pd.read_parquet(path)
    if spoil == "garbage":
        path.write_bytes(b"PAR1 this is not a table PAR1")
    elif spoil == "cut short":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif spoil == "a column missing":
        frame.drop(columns=["warning"]).to_parquet(path, index=False)
    elif spoil == "a column renamed":
        frame.rename(columns={"outlets": "outlet_count"}).to_parquet(path, index=False)
    elif spoil == "counts as text":
        frame.astype({"paragraphs": str}).to_parquet(path, index=False)
    elif spoil == "lists for text":
        frame.assign(warning=[[1, 2]] * len(frame)).to_parquet(path, index=False)
    elif spoil == "a folder":
        path.unlink()
        path.mkdir()
    elif spoil == "too many rows":
        rows = 2_000_001
        pd.DataFrame({name: pd.Series([0] * rows) if kind == "int" else pd.Series(["x"] * rows, dtype="str")
                      for name, kind in BUILD_VIEWS["theme backing"].columns}).to_parquet(path, index=False)  # fmt: skip
    else:
        raise AssertionError(spoil)


@pytest.mark.parametrize(
    "spoil",
    ["garbage", "cut short", "a column missing", "a column renamed", "counts as text", "lists for text", "a folder",
     "too many rows"],
)  # fmt: skip
def test_a_stored_view_not_whole_or_not_of_its_shape_is_counted_again(build, spoil):
    _spoil_backing(build / VIEWS_FOLDER / FILE_OF["theme backing"], spoil)
    assert set(_read(build)) == set(BUILD_VIEWS) - {"theme backing"}


def test_a_pipe_in_place_of_a_view_is_not_opened(build):
    path = build / VIEWS_FOLDER / FILE_OF["outlets over time"]
    path.unlink()
    os.mkfifo(path)
    found = {}
    # Opening a pipe with no writer blocks for ever: the reading happens in a thread, so that a
    # reader that opened it fails this test instead of hanging the suite.
    reader = threading.Thread(target=lambda: found.update(_read(build)), daemon=True)
    reader.start()
    reader.join(timeout=60)
    assert not reader.is_alive(), "the reader opened the pipe"
    assert set(found) == set(BUILD_VIEWS) - {"outlets over time"}


@pytest.mark.parametrize(
    "index",
    ["", "not json", "[1, 2]", '{"format": 99}', "{}", "x" * 100_000],
)
def test_an_index_that_is_not_this_packages_reads_no_view(build, index):
    (build / VIEWS_FOLDER / "views.json").write_text(index, encoding="utf-8")
    assert _read(build) == {}


def test_views_stored_by_an_earlier_version_are_counted_again(build):
    # Format 1 listed a theme's backing with "Other" first; this version lists it last.
    index = build / VIEWS_FOLDER / "views.json"
    assert _read(build)  # read as this version wrote them
    index.write_text(json.dumps(json.loads(index.read_text(encoding="utf-8")) | {"format": 1}), encoding="utf-8")
    assert _read(build) == {}


def test_a_build_without_views_reads_none(build):
    shutil.rmtree(build / VIEWS_FOLDER)
    assert _read(build) == {}


# --- the Sources page -------------------------------------------------------------------------


MARK = "**Stored** <b>with the build</b>"


@pytest.mark.usefixtures("repo_root_importable")
def test_the_sources_page_reads_stored_views_until_the_visitor_edits(build, monkeypatch):
    """A stored theme backing whose warning was changed shows on the page (read, not counted),
    written as it is; a link with a rename is another analysis, whose backing is counted."""
    from ui import loaders

    path = build / VIEWS_FOLDER / FILE_OF["theme backing"]
    pd.read_parquet(path).assign(warning=MARK).to_parquet(path, index=False)
    monkeypatch.setattr(loaders, "BUILDS_DIR", build.parent)

    def backing_of(**params) -> tuple[pd.DataFrame, list[str]]:
        at = AppTest.from_file(str(ROOT / "pages" / "5_Sources.py"), default_timeout=120)
        for key, value in {"corpus": "build:viewed", **params}.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        backing = next(t.value for t in at.dataframe if "warning" in t.value.columns)
        return backing, [str(w.value) for w in at.warning]

    backing, warnings = backing_of()
    assert set(backing["warning"]) == {MARK}
    assert warnings and all(w != MARK and "Stored" in w and "\\*\\*" in w for w in warnings)  # escaped
    backing, warnings = backing_of(rename="1:Renamed")
    assert MARK not in set(backing["warning"]) and "Renamed" in set(backing["theme"])
