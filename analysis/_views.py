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

from ._build import Analysis
from ._themes import OTHER_ID, OTHER_NAME

__all__ = [
    "apply_theme_edits",
    "corpus_summary",
    "filter_paragraphs",
    "paragraph_context",
    "semantic_search",
    "theme_share_by_outlet",
    "themes_over_time",
]


def apply_theme_edits(
    analysis: Analysis, renames: Mapping[int, str] | None = None, merges: Sequence[Sequence[int]] = ()
) -> Analysis:
    """A copy of the analysis with themes merged, then renamed; the original is untouched.

    A merged group takes the smallest id in it and that theme's name; "Other" is never merged.
    Unknown ids are ignored (a shared link may name themes of another build).
    """
    themes = analysis.themes.copy()
    paragraphs = analysis.paragraphs.copy()
    known = set(themes["theme_id"]) - {OTHER_ID}
    for group in merges:
        ids = sorted({int(i) for i in group} & known)
        if len(ids) < 2:
            continue
        target, others = ids[0], ids[1:]
        rows = themes[themes["theme_id"].isin(ids)]
        merged_keywords: list[str] = []
        for words in rows.sort_values("theme_id")["keywords"]:
            for word in str(words).split(", "):
                if word and word not in merged_keywords:
                    merged_keywords.append(word)
        representative = [i for reps in rows.sort_values("theme_id")["representative"] for i in reps][:3]
        index = themes.index[themes["theme_id"] == target][0]
        themes.at[index, "size"] = int(rows["size"].sum())
        themes.at[index, "share"] = round(float(rows["share"].sum()), 4)
        themes.at[index, "keywords"] = ", ".join(merged_keywords[:10])
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


def filter_paragraphs(
    paragraphs: pd.DataFrame,
    themes: Sequence[str] = (),
    outlets: Sequence[str] = (),
    date_from: date | None = None,
    date_to: date | None = None,
) -> pd.Series:
    """Boolean mask of the paragraphs matching every given filter (an empty filter matches all).

    With a date range, paragraphs of undated documents are left out: they cannot be shown to
    fall inside it.
    """
    mask = pd.Series(True, index=paragraphs.index)
    if themes:
        mask &= paragraphs["theme"].isin(list(themes))
    if outlets:
        mask &= paragraphs["outlet"].isin(list(outlets))
    if date_from is not None or date_to is not None:
        dates = pd.to_datetime(paragraphs["date"], errors="coerce", format="mixed")
        mask &= dates.notna()
        if date_from is not None:
            mask &= dates >= pd.Timestamp(date_from)
        if date_to is not None:
            mask &= dates <= pd.Timestamp(date_to)
    return mask


def semantic_search(
    query_vector: np.ndarray, embeddings: np.ndarray, mask: np.ndarray | None = None, top_k: int = 50
) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of the paragraphs most similar to the query, best first, and their cosines.

    Brute force: one matrix-vector product, a few milliseconds for 20,000 normalised vectors.
    Ties are broken by row order, so results are stable.
    """
    scores = embeddings @ np.asarray(query_vector, dtype=np.float32).ravel()
    candidates = np.flatnonzero(mask) if mask is not None else np.arange(len(scores))
    if len(candidates) == 0:
        return candidates, scores[:0]
    top_k = min(top_k, len(candidates))
    order = np.lexsort((candidates, -scores[candidates]))[:top_k]
    chosen = candidates[order]
    return chosen, scores[chosen]


def paragraph_context(analysis: Analysis, pid: str, around: int = 2) -> dict | None:
    """The paragraph with its article's title, outlet, date and neighbouring paragraphs."""
    paragraphs = analysis.paragraphs
    rows = paragraphs.index[paragraphs["pid"] == pid]
    if len(rows) == 0:
        return None
    row = paragraphs.loc[rows[0]]
    article = paragraphs[(paragraphs["doc"] == row["doc"]) & (paragraphs["article"] == row["article"])]
    article = article.sort_values("paragraph")
    position = article.index.get_loc(rows[0])
    return {
        "pid": pid,
        "doc": row["doc"],
        "title": row["title"],
        "outlet": row["outlet"],
        "date": row["date"],
        "theme": row["theme"],
        "text": row["text"],
        "before": article["text"].iloc[max(0, position - around) : position].tolist(),
        "after": article["text"].iloc[position + 1 : position + 1 + around].tolist(),
        "paragraph": int(row["paragraph"]),
        "paragraphs_in_article": len(article),
    }


def theme_share_by_outlet(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs per (outlet, theme), and each theme's share of the outlet's paragraphs."""
    counts = paragraphs.groupby(["outlet", "theme"], sort=True).size().rename("paragraphs").reset_index()
    totals = counts.groupby("outlet")["paragraphs"].transform("sum")
    counts["share"] = (counts["paragraphs"] / totals).round(4)
    return counts


def themes_over_time(paragraphs: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """Paragraphs per (period, theme) for dated paragraphs; empty when no date is known."""
    dates = pd.to_datetime(paragraphs["date"], errors="coerce", format="mixed")
    dated = paragraphs.assign(period=dates.dt.to_period(freq).dt.start_time)[dates.notna()]
    if dated.empty:
        return pd.DataFrame(columns=["period", "theme", "paragraphs"])
    return dated.groupby(["period", "theme"], sort=True).size().rename("paragraphs").reset_index()


def corpus_summary(analysis: Analysis) -> dict:
    """Headline numbers for the overview page."""
    dates = pd.to_datetime(analysis.documents["date"], errors="coerce", format="mixed").dropna()
    return {
        "documents": len(analysis.documents),
        "articles": len(analysis.articles),
        "paragraphs": len(analysis.paragraphs),
        "outlets": int(analysis.documents["outlet"].nunique()),
        "themes": int((analysis.themes["theme_id"] != OTHER_ID).sum()),
        "other_share": analysis.other_share,
        "first_date": dates.min().date().isoformat() if len(dates) else "",
        "last_date": dates.max().date().isoformat() if len(dates) else "",
        "skipped": len(analysis.skipped),
    }
