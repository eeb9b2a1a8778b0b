"""Views of a build computed when the build is made, and stored in its folder for the dashboard.

At a million paragraphs the Sources page's tables take about eight seconds to count (a heatmap
each way, every theme's backing, outlets over time): each visitor's first opening of the page
waited for them. They depend on nothing a visitor chooses, so the command line computes them
once, after writing the build, as the dashboard would show the build before any edit; the
dashboard reads them back (a few kilobytes) instead of counting. An analysis with the visitor's
renames, merges or source kinds is another analysis, and its views are computed as before.

A build folder is untrusted: a stored view is used only when it was made for this very build
(its corpus hash, build time and counts), is a regular file of bounded size, and has the view's
columns of the view's types; any other is ignored, and counted again from the tables.
"""

from __future__ import annotations

import json
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..tables import Analysis
from ._coverage import BACKING_COLUMNS, COVERAGE_COLUMNS, outlets_over_time, source_coverage, theme_backing
from ._paragraphs import theme_share_by_outlet, themes_over_time
from ._wording import name_unknown_outlets

__all__ = ["BUILD_VIEWS", "VIEWS_FOLDER", "BuildView", "read_build_views", "view_file_name", "write_build_views"]

VIEWS_FOLDER = "views"
_INDEX = "views.json"
# Raised when what a view holds changes, so that views stored by an earlier version are counted
# again rather than shown as they were (2: a theme's backing lists "Other" last).
_FORMAT = 2
# What one stored view may hold: these are counts per theme, outlet and month, kilobytes even at
# a million paragraphs (the largest, cited sources by theme, 22,000 rows there); a file past
# these bounds is not what this package writes, and is not read.
_MAX_FILE_BYTES = 64 * 2**20
_MAX_ROWS = 2_000_000
_MAX_UNPACKED_BYTES = 256 * 2**20
_MAX_INDEX_BYTES = 64 * 2**10
# A column's kind -> the test its dtype must pass.
_KIND_TESTS: dict[str, Callable[[object], bool]] = {
    # Strings as pandas reads them from Parquet: an object column could hold anything.
    "str": lambda dtype: isinstance(dtype, pd.StringDtype),
    "int": pd.api.types.is_integer_dtype,
    "float": pd.api.types.is_float_dtype,
    "date": pd.api.types.is_datetime64_any_dtype,
}


@dataclass(frozen=True)
class BuildView:
    """A view that needs no choice of the visitor's: `compute` makes it from an analysis, and
    `columns` are its (name, kind) pairs, which a stored copy must have."""

    compute: Callable[[Analysis], pd.DataFrame]
    columns: tuple[tuple[str, str], ...]


def _kinds(names: list[str], kinds: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((name, kinds.get(name, "str")) for name in names)


_COUNTS = {"theme_id": "int", "paragraphs": "int", "outlets": "int", "cited_sources": "int", "documents": "int"}
# Name -> view; the dashboard asks for them by these names.
BUILD_VIEWS: dict[str, BuildView] = {
    "coverage by outlet": BuildView(lambda a: source_coverage(a, "outlet"), _kinds(COVERAGE_COLUMNS, _COUNTS)),
    "coverage by cited source": BuildView(lambda a: source_coverage(a, "cited"), _kinds(COVERAGE_COLUMNS, _COUNTS)),
    "theme backing": BuildView(theme_backing, _kinds(BACKING_COLUMNS, _COUNTS)),
    "outlets over time": BuildView(
        outlets_over_time, _kinds(["period", "outlet", "documents", "paragraphs"], _COUNTS | {"period": "date"})
    ),
    "themes by outlet": BuildView(
        lambda a: theme_share_by_outlet(a.paragraphs),
        _kinds(["outlet", "theme", "paragraphs", "share"], _COUNTS | {"share": "float"}),
    ),
    "themes over time": BuildView(
        lambda a: themes_over_time(a.paragraphs), _kinds(["period", "theme", "paragraphs"], _COUNTS | {"period": "date"})
    ),
}


def view_file_name(name: str) -> str:
    """The file in a build's VIEWS_FOLDER that holds the view `name`."""
    return name.replace(" ", "_") + ".parquet"


def _stamp(analysis: Analysis) -> dict:
    """What identifies the build a view was made for: a folder copied over another's views, or
    rebuilt by a version that writes none, does not match."""
    provenance = analysis.provenance
    return {
        "corpus_hash": provenance.corpus_hash,
        "built_at": provenance.built_at,
        "counts": {str(k): int(v) for k, v in sorted(provenance.counts.items())},
        "paragraphs": len(analysis.paragraphs),
    }


def write_build_views(analysis: Analysis, folder: Path | str) -> dict[str, float]:
    """Compute every view of BUILD_VIEWS for `analysis` (as reopened from `folder`, so the
    stored views are what the dashboard would count) and store them in `folder`/views/. Returns
    the seconds each took. Views already there are replaced; the index is written last, so a
    reader never takes half of them for a set."""
    target = Path(folder) / VIEWS_FOLDER
    target.mkdir(exist_ok=True)
    (target / _INDEX).unlink(missing_ok=True)
    shown = name_unknown_outlets(analysis)  # as every page shows it
    seconds = {}
    for name, view in BUILD_VIEWS.items():
        started = time.perf_counter()
        view.compute(shown).to_parquet(target / view_file_name(name), index=False)
        seconds[name] = round(time.perf_counter() - started, 3)
    index = {"format": _FORMAT, "build": _stamp(analysis), "views": list(BUILD_VIEWS)}
    (target / _INDEX).write_text(json.dumps(index, indent=2, sort_keys=True), encoding="utf-8")
    return seconds


def read_build_views(analysis: Analysis, folder: Path | str) -> dict[str, pd.DataFrame]:
    """The views stored in `folder` for `analysis` (the build reopened from it), by name: those
    made for this build that are whole and of the right shape. Empty when there are none."""
    target = Path(folder) / VIEWS_FOLDER
    index = _read_index(target / _INDEX)
    if index is None or index.get("format") != _FORMAT or index.get("build") != _stamp(analysis):
        return {}
    listed = index.get("views")
    names = [name for name in BUILD_VIEWS if isinstance(listed, list) and name in listed]
    views = {}
    for name in names:
        frame = _read_view(target / view_file_name(name), BUILD_VIEWS[name])
        if frame is not None:
            views[name] = frame
    return views


def _regular_size(path: Path) -> int | None:
    """The size of a regular file (not a pipe, a device or a folder put in its place), else None."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_size if stat.S_ISREG(found.st_mode) else None


def _read_index(path: Path) -> dict | None:
    size = _regular_size(path)
    if size is None or size > _MAX_INDEX_BYTES:
        return None
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return index if isinstance(index, dict) else None


def _read_view(path: Path, view: BuildView) -> pd.DataFrame | None:
    size = _regular_size(path)
    if size is None or size > _MAX_FILE_BYTES:
        return None
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as stored:
            meta = stored.metadata
            unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
            # Checked before reading: a small file can hold a great deal once decompressed.
            if meta.num_rows > _MAX_ROWS or unpacked > _MAX_UNPACKED_BYTES:
                return None
            frame = stored.read().to_pandas()
    except (OSError, ValueError, pa.ArrowException):
        return None
    if [str(c) for c in frame.columns] != [name for name, _ in view.columns]:
        return None
    if len(frame) and not all(_KIND_TESTS[kind](frame[name].dtype) for name, kind in view.columns):
        return None
    return frame
