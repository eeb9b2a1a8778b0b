"""The claims stage read in parts, on whichever engine runs the build.

The stage carries state only within an article (pronouns, "the report", who a person is), so
a corpus cut between articles can be read part by part, anywhere, and put back together in the
parts' order: the result is the same table a single pass over the whole corpus gives. That
makes the slowest step of a large build after embedding (about 0.4 ms a paragraph) a map over
parts, which the local engine runs on this machine's cores and Ray or Dask on a
cluster's.

Parts are cut here, not by the engine, in reading order and at article boundaries only, so the
tables do not depend on the engine, the number of workers or the order parts finish in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from ..run import PART_ROWS, Engine, LocalEngine, joined_parts
from ..tables import CITATION_COLUMNS, FIGURE_COLUMNS
from ._sentences import ClaimLimits
from ._sources import reading_order, source_table, speaker_roles, with_speakers
from ._stage import HEADLINE_COLUMN, Claims, headlines_to_read, read_claims
from ._states import StateAlias

__all__ = ["article_parts", "claims_in_parts", "sources_with_themes"]


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


def claims_in_parts(
    paragraphs: pd.DataFrame,
    kinds: pd.DataFrame | None = None,
    engine: Engine | None = None,
    rows: int | None = None,
    done: PartDone | None = None,
    limits: ClaimLimits = ClaimLimits(),
    states_file: Path | str | None = None,
    states: tuple[StateAlias, ...] = (),
) -> Claims:
    """read_claims(paragraphs, kinds, states_file=..., limits=..., states=...), read part by part
    on `engine` (this process by default): the same tables as one pass. `done(paragraphs_read)`
    after each part."""
    if paragraphs.empty:
        return read_claims(paragraphs, kinds, states_file=states_file, limits=limits, states=states)
    if "pid" not in paragraphs.columns:
        raise ValueError("paragraphs need their pid column (as prepare() makes it)")
    ordered = reading_order(paragraphs)
    # Which headlines to read is decided over the whole corpus (once per document, and a
    # document can go on from one part into the next), then travels with the rows.
    ordered = ordered.assign(**{HEADLINE_COLUMN: headlines_to_read(ordered)})
    parts = list(article_parts(ordered, rows))
    results = (engine or LocalEngine()).map(
        _claims_of_part, parts, kinds, limits, states_file, states, done=_counting(parts, done)
    )
    figures = joined_parts([claims.figures for claims in results], FIGURE_COLUMNS)
    # Each part names its speakers by its own citations: named again over the whole table.
    unnamed = [column for column in CITATION_COLUMNS if column != "speaker"]
    citations = with_speakers(joined_parts([claims.citations[unnamed] for claims in results], unnamed))
    citations = citations[CITATION_COLUMNS]
    # A source's role is the first one read, in reading order: the first part that gives one.
    roles: dict[str, str] = {}
    for claims in results:
        for name, role in zip(claims.sources["source"], claims.sources["role"], strict=True):
            if role and name not in roles:
                roles[str(name)] = role
    return Claims(figures, source_table(citations, paragraphs, speaker_roles(roles, citations)), citations)


def _claims_of_part(
    part: pd.DataFrame,
    kinds: pd.DataFrame | None,
    limits: ClaimLimits,
    states_file: Path | str | None,
    states: tuple[StateAlias, ...],
) -> Claims:
    return read_claims(part, kinds, states_file=states_file, limits=limits, states=states)


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


def sources_with_themes(sources: pd.DataFrame, citations: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The sources table with each source's themes, from the themes of the paragraphs citing it.

    Kept apart from extraction so that extraction can be cached while themes change."""
    theme_of = dict(zip(paragraphs["pid"], paragraphs["theme"], strict=True))
    themes = citations.assign(theme=citations["pid"].map(theme_of)).dropna(subset=["theme"])
    joined = themes.groupby("source")["theme"].agg(lambda t: "; ".join(sorted(set(t))))
    return sources.assign(themes=sources["source"].map(joined).fillna(""))
