"""What the pages show, computed from an Analysis: filters, search, theme edits, context, tallies.

Pure functions of DataFrames and arrays, so that the pages only lay out their results and the
exports compute exactly the same tables.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from ..tables import OTHER_ID, OTHER_NAME, Analysis, VectorCodes, in_turn, known_outlets
from ._dates import parsed_dates
from ._wording import counted, document_name, document_outlet

# Points the theme map draws at most (a sample beyond that, with the density of all of them).
# Every point carries its hover text to the browser, and the whole map is sent again on each
# rerun of its page: 20,000 points were 4 MB, two seconds of every click on the Themes page;
# 5,000 (with their hover text cut to 80 characters) were 0.8 MB. In chromium without a GPU the
# points are drawn in software: at 100,000 paragraphs the page took 3.3 s with 5,000 and 2.7 s
# with 2,500 (six openings each, browser_speed.py), and the grey density still shows them all.
MAP_POINTS = 2_500
_MIN_MAP_POINTS = 30
# Rows of a paragraph table sent to the browser at once.
PAGE_ROWS = 500
# A search lists paragraphs at least this close in meaning to the query (cosine similarity of
# all-MiniLM-L6-v2 vectors): below about 0.3 a paragraph shares words with the query at most,
# not its subject. And at most this many, best first.
SEARCH_FLOOR = 0.3
SEARCH_LIMIT = 100


__all__ = [
    "MAP_POINTS",
    "PAGE_ROWS",
    "SCORE_HELP",
    "SEARCH_FLOOR",
    "SEARCH_LIMIT",
    "SearchResult",
    "apply_theme_edits",
    "corpus_summary",
    "filter_paragraphs",
    "map_density",
    "map_sample",
    "page_count",
    "page_of",
    "paragraph_context",
    "plan_merge",
    "search_paragraphs",
    "semantic_search",
    "theme_members",
    "theme_share_by_outlet",
    "theme_to_show",
    "themes_over_time",
]


def apply_theme_edits(
    analysis: Analysis, renames: Mapping[int, str] | None = None, merges: Sequence[Sequence[int]] = ()
) -> Analysis:
    """A copy of the analysis with themes merged, then renamed (the analysis itself when there
    is nothing to apply); the original is untouched.

    A merged group takes the smallest id in it and that theme's name; "Other" is never merged.
    Its keywords and representative paragraphs are its themes' taken in turn, the largest
    theme's first: one theme's ten keywords and three paragraphs filled the lists, so a broad
    theme over "satellite technology" and "artillery shells" showed the satellites alone.
    Unknown ids are ignored (a shared link may name themes of another build).
    """
    if not renames and not merges:
        return analysis
    themes = analysis.themes.copy()
    # Shallow: pandas copies a column only when it is written (copy on write), so the texts of a
    # million paragraphs are shared with the build, not copied for each visitor's edits.
    paragraphs = analysis.paragraphs.copy(deep=False)
    known = set(themes["theme_id"]) - {OTHER_ID}
    for group in merges:
        ids = sorted({int(i) for i in group} & known)
        if len(ids) < 2:
            continue
        target, others = ids[0], ids[1:]
        rows = themes[themes["theme_id"].isin(ids)].sort_values(["size", "theme_id"], ascending=[False, True])
        keywords = in_turn([[word for word in str(words).split(", ") if word] for words in rows["keywords"]], 10)
        representative = in_turn([list(reps) for reps in rows["representative"]], 3)
        index = themes.index[themes["theme_id"] == target][0]
        themes.at[index, "size"] = int(rows["size"].sum())
        themes.at[index, "share"] = round(float(rows["share"].sum()), 4)
        themes.at[index, "keywords"] = ", ".join(keywords)
        themes.at[index, "seeded"] = bool(rows["seeded"].any())
        themes.at[index, "representative"] = representative
        themes = themes[~themes["theme_id"].isin(others)]
        paragraphs.loc[paragraphs["theme_id"].isin(others), "theme_id"] = target
        known -= set(others)
    for theme_id, name in (renames or {}).items():
        name = str(name).strip()
        if int(theme_id) in known and name and name != OTHER_NAME and name not in set(themes["theme"]):
            themes.loc[themes["theme_id"] == int(theme_id), "theme"] = name
    names = dict(zip(themes["theme_id"], themes["theme"], strict=True))
    paragraphs["theme"] = paragraphs["theme_id"].map(names)
    return dataclasses.replace(analysis, paragraphs=paragraphs, themes=themes.reset_index(drop=True))


def plan_merge(
    chosen: Sequence[int], name: str, names: Mapping[int, str]
) -> tuple[tuple[int, ...], str, str]:
    """What merging the `chosen` themes under `name` asks of `apply_theme_edits`: the group of
    ids, the rename of the merged theme ("" keeps the name of the theme with the smallest id,
    which the merge keeps) and why it cannot be done ("" when it can)."""
    group = tuple(sorted({int(i) for i in chosen} & (set(names) - {OTHER_ID})))
    if len(group) < 2:
        return group, "", "Choose at least two themes to merge."
    name = " ".join(str(name).split())
    if not name or name == names[group[0]]:
        return group, "", ""
    taken = {names[i] for i in names if i not in group} | {OTHER_NAME}
    if name in taken:
        return group, "", "That name is taken by another theme."
    return group, name, ""


def theme_to_show(
    requested: int | None,
    theme_ids: Sequence[int],
    merges: Sequence[Sequence[int]] = (),
    sizes: Sequence[int] | None = None,
) -> tuple[int, bool]:
    """The theme to select for a requested id, and whether the request was unknown (so the
    analyst is told): a merged-away id selects the theme it was merged into, no request or an
    unknown one the first theme that holds paragraphs (`sizes`, one per id; a seeded theme the
    corpus says nothing about opened the page on an empty list), else the first."""
    ids = list(theme_ids)
    if requested in ids:
        return int(requested), False
    for group in merges:
        if requested in group and (kept := [i for i in ids if i in group]):
            return int(kept[0]), False
    held = [i for i, size in zip(ids, sizes, strict=True) if size > 0] if sizes is not None else []
    return int((held or ids)[0]), requested is not None


def filter_paragraphs(
    paragraphs: pd.DataFrame,
    themes: Sequence[str] = (),
    outlets: Sequence[str] = (),
    date_from: date | None = None,
    date_to: date | None = None,
    languages: Sequence[str] = (),
) -> pd.Series:
    """Boolean mask of the paragraphs matching every given filter (an empty filter matches all;
    `languages` are ISO codes as in the paragraphs' `lang`).

    With a date range, paragraphs of undated documents are left out: they cannot be shown to
    fall inside it.
    """
    mask = pd.Series(True, index=paragraphs.index)
    if themes:
        mask &= paragraphs["theme"].isin(list(themes))
    if outlets:
        mask &= paragraphs["outlet"].isin(list(outlets))
    if languages:
        mask &= paragraphs["lang"].isin(list(languages))
    if date_from is not None or date_to is not None:
        dates = parsed_dates(paragraphs["date"])
        mask &= dates.notna()
        if date_from is not None:
            mask &= dates >= pd.Timestamp(date_from)
        if date_to is not None:
            mask &= dates <= pd.Timestamp(date_to)
    return mask


def theme_members(paragraphs: pd.DataFrame, theme_id: int) -> pd.DataFrame:
    """A theme's paragraphs for its table, closest to the theme's centre first (the table is
    shown a page at a time, and a column sorted in the browser sorts one page only, so the
    order that matters most is set here); ties keep the corpus's order."""
    table = paragraphs.loc[(paragraphs["theme_id"] == theme_id).to_numpy(), ["outlet", "date", "title", "text", "similarity", "pid"]]
    return table.sort_values("similarity", ascending=False, kind="stable", na_position="last").reset_index(drop=True)


# Rows scored at a time: a build's float16 vectors are widened to float32 a block at a time, not
# all at once (a float32 copy of a million vectors is 1.5 GB).
_SCORE_ROWS = 65_536


def cosine_scores(embeddings: np.ndarray, query_vector: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Each row's cosine with the query (rows and query unit vectors), float32; with `rows`
    (ascending row numbers), those rows' only."""
    vector = np.asarray(query_vector, dtype=np.float32).ravel()
    if rows is None and embeddings.dtype == np.float32:
        return np.asarray(embeddings @ vector, dtype=np.float32)
    count = len(embeddings) if rows is None else len(rows)
    scores = np.empty(count, dtype=np.float32)
    for start in range(0, count, _SCORE_ROWS):
        block = slice(start, start + _SCORE_ROWS) if rows is None else rows[start : start + _SCORE_ROWS]
        scores[start : start + _SCORE_ROWS] = np.asarray(embeddings[block], dtype=np.float32) @ vector
    return scores


def semantic_search(
    query_vector: np.ndarray, embeddings: np.ndarray, mask: np.ndarray | None = None, top_k: int = 50
) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of the paragraphs most similar to the query, best first, and their cosines.

    Brute force, exact: one matrix-vector product, then a partial sort of the candidates (a
    full sort of a million scores costs more than the product). Ties are broken by row order,
    so results are stable. `benchmarks/dashboard_scale.py` compares it with FAISS.
    """
    return best_rows(cosine_scores(embeddings, query_vector), mask, top_k)


def best_rows(scores: np.ndarray, mask: np.ndarray | None = None, top_k: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of the `top_k` highest `scores` among the rows `mask` keeps, best first (ties
    by row order), and their scores."""
    candidates = np.flatnonzero(mask) if mask is not None else np.arange(len(scores))
    if len(candidates) == 0:
        return candidates, scores[:0]
    top_k = min(top_k, len(candidates))
    candidate_scores = scores[candidates]
    if top_k < len(candidates):
        # Everything at least as good as the k-th best, so that ties at the edge are kept and
        # then decided by row order like all the others.
        kth = np.partition(candidate_scores, len(candidates) - top_k)[len(candidates) - top_k]
        keep = candidate_scores >= kth
        candidates, candidate_scores = candidates[keep], candidate_scores[keep]
    order = np.lexsort((candidates, -candidate_scores))[:top_k]
    chosen = candidates[order]
    return chosen, scores[chosen]


@dataclasses.dataclass(frozen=True)
class SearchResult:
    """The paragraphs a search lists (row indices, best first, and their similarity to the
    query), and how many of the paragraphs searched it leaves out and why."""

    rows: np.ndarray
    scores: np.ndarray
    searched: int  # paragraphs matching the filters
    below_floor: int  # of those, less similar than the floor
    beyond_limit: int  # similar enough, but past the limit
    floor: float = SEARCH_FLOOR

    def describe(self) -> str:
        """One sentence for the analyst: what is listed and what was cut."""
        if not self.searched:
            return "No paragraph matches the filters, so none was searched."
        shown = len(self.rows)
        listed = (
            f"The {counted(shown, 'paragraph')} closest in meaning to the query"
            if shown
            else "No paragraph is close enough in meaning to the query"
        )
        cut = [f"{counted(self.below_floor, 'paragraph')} scoring below {self.floor:.2f} left out"]
        if self.beyond_limit:
            cut.append(f"{self.beyond_limit:,} more above it not listed")
        return f"{listed}, among {counted(self.searched, 'paragraph')} matching the filters ({'; '.join(cut)})."


SCORE_HELP = (
    "How close the paragraph's meaning is to the query: the cosine similarity of the two "
    "sentence vectors. 1 is the same meaning, 0 unrelated; the list starts at the closest and "
    "stops where paragraphs share words with the query at most, not its subject."
)


def search_paragraphs(
    query_vector: np.ndarray,
    embeddings: np.ndarray,
    mask: np.ndarray | None = None,
    floor: float = SEARCH_FLOOR,
    limit: int = SEARCH_LIMIT,
    codes: VectorCodes | None = None,
) -> SearchResult:
    """The paragraphs at least `floor` similar to the query (cosine similarity of meaning: 1 is
    the same meaning, 0 unrelated), at most `limit` of them, best first: a search that lists
    every paragraph ranks the unrelated ones too, and an analyst reads the ranking as relevance.

    With `codes` (a build folder's int8 codes of `embeddings`), every paragraph is scored from
    its codes first, and only those whose place the codes' error bound leaves in doubt (near
    the floor, or near the last listed) are scored on their vectors: the same result, in about
    a third of the time at a million paragraphs."""
    query_vector = np.asarray(query_vector, dtype=np.float32).ravel()
    keep = None if mask is None else np.asarray(mask, dtype=bool)
    searched = int(np.count_nonzero(keep)) if keep is not None else len(embeddings)
    if codes is None or embeddings.dtype == np.float32:
        # Scored once: every vector is read for the floor and the same scores rank the close
        # ones (reading a million vectors twice took half of a search).
        scores = cosine_scores(embeddings, query_vector)
        close = scores >= np.float32(floor)
        if keep is not None:
            close &= keep
        above = int(np.count_nonzero(close))
        # Only the close paragraphs are candidates: the partial sort stays on `limit` of them.
        rows, chosen = best_rows(scores, close, top_k=min(above, limit))
        return SearchResult(rows, chosen, searched, searched - above, max(0, above - limit), floor)
    rows, chosen, above = _coded_search(query_vector, embeddings, codes, keep, np.float32(floor), limit)
    return SearchResult(rows, chosen, searched, searched - above, max(0, above - limit), floor)


def _coded_search(
    query: np.ndarray, embeddings: np.ndarray, codes: VectorCodes, keep: np.ndarray | None, floor: np.float32, limit: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """`search_paragraphs` on codes: (rows, their scores, paragraphs at or above the floor),
    each as scoring every vector would give them. Every code score is within `bound` of its
    paragraph's score, so a paragraph whose code score clears the floor by more than the bound
    is above it, one below it by more is below, and only the rest are scored on the vectors;
    then the rows that could be among the `limit` best are scored on the vectors and ranked."""
    coded, bound = codes.scores(query)
    low, high = coded - np.float32(bound), coded + np.float32(bound)
    exact = np.zeros(len(coded), dtype=np.float32)
    scored = np.zeros(len(coded), dtype=bool)

    def score(rows: np.ndarray) -> None:
        rows = rows[~scored[rows]]
        exact[rows], scored[rows] = cosine_scores(embeddings, query, rows), True

    # Rows that may reach the floor; of them, those that may also fall short are in doubt.
    reaching = high >= floor if keep is None else (high >= floor) & keep
    candidates = np.flatnonzero(reaching)
    score(candidates[low[candidates] < floor])
    close = candidates[(low[candidates] >= floor) | (scored[candidates] & (exact[candidates] >= floor))]
    above = len(close)
    if above == 0:
        return close, exact[close], 0
    # The `limit`-th best lower bound among the close rows: at least `limit` rows score that or
    # more, so a row whose upper bound is below it cannot be among the best.
    lower = np.where(scored[close], exact[close], low[close])
    upper = np.where(scored[close], exact[close], high[close])
    top = min(limit, above)
    cut = np.partition(lower, above - top)[above - top]
    contenders = close[upper >= cut]
    score(contenders)
    rows, scores = best_rows(exact[contenders], None, top_k=top)
    return contenders[rows], scores, above


def map_sample(paragraphs: pd.DataFrame, limit: int = MAP_POINTS, seed: int = 0) -> pd.DataFrame:
    """At most `limit` paragraphs for the theme map, each theme in proportion to its size (a
    small theme keeps at least a few points, so it stays visible). Deterministic; all
    paragraphs when there are no more than `limit`. A browser draws tens of thousands of
    points smoothly, not a million, and a million would not fit in one message anyway."""
    if len(paragraphs) <= limit:
        return paragraphs
    rng = np.random.default_rng(seed)
    share = limit / len(paragraphs)
    chosen = []
    # Each theme's rows found on its id column alone: grouping the whole table copied every
    # column of every group (a second at a million paragraphs) to read their index.
    theme_ids, labels = paragraphs["theme_id"].to_numpy(), paragraphs.index.to_numpy()
    for theme_id in np.unique(theme_ids):
        members = labels[theme_ids == theme_id]
        take = min(len(members), max(_MIN_MAP_POINTS, round(len(members) * share)))
        chosen.append(np.sort(rng.choice(members, take, replace=False)))
    return paragraphs.loc[np.sort(np.concatenate(chosen))]


def map_density(paragraphs: pd.DataFrame, bins: int = 120) -> dict:
    """Where *all* paragraphs lie on the map, as counts on a grid (x and y bin centres, counts
    per row of y): a few kilobytes whatever the corpus size, drawn under the sample."""
    counts, x_edges, y_edges = np.histogram2d(paragraphs["x"], paragraphs["y"], bins=bins)
    return {
        "x": ((x_edges[:-1] + x_edges[1:]) / 2).tolist(),
        "y": ((y_edges[:-1] + y_edges[1:]) / 2).tolist(),
        "counts": counts.T.astype(int).tolist(),
    }


def page_count(rows: int, size: int = PAGE_ROWS) -> int:
    """Pages of `size` rows that `rows` rows fill (one for an empty table)."""
    return max(1, -(-rows // size))


def page_of(table: pd.DataFrame, page: int, size: int = PAGE_ROWS) -> tuple[pd.DataFrame, int]:
    """Rows of page `page` (1-based; clamped to the pages there are) and the number of pages.
    A table of a million paragraphs is read a page at a time, not sent to the browser whole."""
    pages = page_count(len(table), size)
    page = min(max(1, int(page)), pages)
    return table.iloc[(page - 1) * size : page * size], pages


def paragraph_context(analysis: Analysis, pid: str, around: int = 2) -> dict | None:
    """The paragraph with its article's title, outlet, date and neighbouring paragraphs.

    Only the columns shown are read, and only at the article's rows: taking every column of
    the rows a mask picks cost most of a second at a million paragraphs."""
    paragraphs = analysis.paragraphs
    found = np.flatnonzero((paragraphs["pid"] == pid).to_numpy(dtype=bool, na_value=False))
    if len(found) == 0:
        return None
    at = int(found[0])

    def cell(column: str, rows=at):
        return paragraphs[column].iloc[rows]

    doc, article_id = cell("doc"), cell("article")
    rows = np.flatnonzero(
        ((paragraphs["doc"] == doc) & (paragraphs["article"] == article_id)).to_numpy(dtype=bool, na_value=False)
    )
    numbers = paragraphs["paragraph"].iloc[rows].to_numpy()
    rows = rows[np.argsort(numbers, kind="stable")]
    texts = paragraphs["text"].iloc[rows].tolist()
    position = int(np.flatnonzero(rows == at)[0])
    return {
        "pid": pid,
        "doc": doc,
        "title": cell("title"),
        # Named and attributed as every page names a document (`document_name`).
        "name": document_name(cell("title"), doc),
        "outlet": document_outlet(analysis.documents, doc),
        "date": cell("date"),
        "theme": cell("theme"),
        "text": texts[position],
        "before": texts[max(0, position - around) : position],
        "after": texts[position + 1 : position + 1 + around],
        "paragraph": int(cell("paragraph")),
        "paragraphs_in_article": len(rows),
    }


def theme_share_by_outlet(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs per (outlet, theme), and each theme's share of the outlet's paragraphs."""
    counts = paragraphs.groupby(["outlet", "theme"], sort=True).size().rename("paragraphs").reset_index()
    totals = counts.groupby("outlet")["paragraphs"].transform("sum")
    counts["share"] = (counts["paragraphs"] / totals).round(4)
    return counts


def themes_over_time(paragraphs: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """Paragraphs per (period, theme) for dated paragraphs; empty when no date is known."""
    dates = parsed_dates(paragraphs["date"])
    dated = paragraphs.assign(period=dates.dt.to_period(freq).dt.start_time)[dates.notna()]
    if dated.empty:
        return pd.DataFrame(columns=["period", "theme", "paragraphs"])
    return dated.groupby(["period", "theme"], sort=True).size().rename("paragraphs").reset_index()


def corpus_summary(analysis: Analysis) -> dict:
    """Headline numbers for the overview page. `outlets` counts the outlets known (a file's
    name read as its outlet names a file, not an outlet: 17 uploaded text files are not 17
    outlets) and `no_outlet` the documents of none."""
    dates = parsed_dates(analysis.documents["date"]).dropna()
    outlets = known_outlets(analysis.documents)
    return {
        "documents": len(analysis.documents),
        "articles": len(analysis.articles),
        "paragraphs": len(analysis.paragraphs),
        "outlets": int(outlets[outlets != ""].nunique()),
        "no_outlet": int((outlets == "").sum()),
        "themes": int((analysis.themes["theme_id"] != OTHER_ID).sum()),
        "other_share": analysis.other_share,
        "first_date": dates.min().date().isoformat() if len(dates) else "",
        "last_date": dates.max().date().isoformat() if len(dates) else "",
        "skipped": len(analysis.skipped),
    }
