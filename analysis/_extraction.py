"""Figures and citations read in parts, on whichever engine runs the build.

Both readers carry state only within an article (pronouns, "the report", who a person is), so
a corpus cut between articles can be read part by part, anywhere, and put back together in the
parts' order: the result is the same table a single pass over the whole corpus gives. That
makes the two slowest steps of a large build after embedding (about 0.2 ms a paragraph each) a
map over parts, which the local engine runs on this machine's cores and Ray or Dask on a
cluster's.

Parts are cut here, not by the engine, in reading order and at article boundaries only, so the
tables do not depend on the engine, the number of workers or the order parts finish in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from ._engines import Engine, LocalEngine
from ._figures import FIGURE_COLUMNS, extract_figures
from ._sources import CITATION_COLUMNS, _source_table, extract_citations, reading_order

__all__ = ["PART_ROWS", "article_parts", "citations_in_parts", "figures_in_parts"]

# Paragraphs per part: a few seconds of reading, long enough that shipping a part costs little
# beside it, short enough that a million paragraphs make a hundred parts to share out.
# A corpus below it is one part, read in this process.
PART_ROWS = 10_000

PartDone = Callable[[int], None]


def article_parts(paragraphs: pd.DataFrame, rows: int | None = None) -> Iterator[pd.DataFrame]:
    """Consecutive slices of about `rows` paragraphs (PART_ROWS by default), each ending where
    an article ends (an article longer than `rows` stays whole)."""
    if paragraphs.empty:
        return
    rows = rows or PART_ROWS
    doc = paragraphs["doc"].astype(str).to_numpy()
    article = paragraphs["article"].astype(str).to_numpy()
    # Row i starts a new article when its (doc, article) differs from row i-1's.
    starts = np.flatnonzero((doc[1:] != doc[:-1]) | (article[1:] != article[:-1])) + 1
    begin = 0
    for start in starts.tolist():
        if start - begin >= rows:
            yield paragraphs.iloc[begin:start]
            begin = start
    yield paragraphs.iloc[begin:]


def _joined(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    # Empty parts are left out: their columns have no dtype, and would turn the numbers of the
    # other parts into objects.
    filled = [frame for frame in frames if len(frame)]
    if not filled:
        return frames[0] if frames else pd.DataFrame(columns=columns)
    return pd.concat(filled, ignore_index=True)


def figures_in_parts(
    paragraphs: pd.DataFrame,
    engine: Engine | None = None,
    rows: int | None = None,
    done: PartDone | None = None,
) -> pd.DataFrame:
    """extract_figures(paragraphs), read part by part on `engine` (this process by default);
    `done(paragraphs_read)` after each part."""
    parts = list(article_parts(paragraphs, rows))
    tables = (engine or LocalEngine()).map(extract_figures, parts, done=_counting(parts, done))
    return _joined(tables, FIGURE_COLUMNS)


def citations_in_parts(
    paragraphs: pd.DataFrame,
    kinds: pd.DataFrame | None = None,
    engine: Engine | None = None,
    rows: int | None = None,
    done: PartDone | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """extract_citations(paragraphs, kinds), read part by part on `engine`: (sources,
    citations), the same tables as one pass."""
    if paragraphs.empty:
        return extract_citations(paragraphs, kinds)
    if "pid" not in paragraphs.columns:
        raise ValueError("paragraphs need their pid column (as prepare() makes it)")
    parts = list(article_parts(reading_order(paragraphs), rows))
    results = (engine or LocalEngine()).map(extract_citations, parts, kinds, done=_counting(parts, done))
    citations = _joined([part_citations for _, part_citations in results], CITATION_COLUMNS)
    # A source's role is the first one read, in reading order: the first part that gives one.
    roles: dict[str, str] = {}
    for sources, _ in results:
        for name, role in zip(sources["source"], sources["role"], strict=True):
            if role and name not in roles:
                roles[str(name)] = role
    return _source_table(citations, paragraphs, roles), citations


def _counting(parts: list[pd.DataFrame], done: PartDone | None) -> Callable[[int], None] | None:
    """done(index of a finished part) -> done(paragraphs read so far)."""
    if done is None:
        return None
    read = 0

    def part_done(index: int) -> None:
        nonlocal read
        read += len(parts[index])
        done(read)

    return part_done
