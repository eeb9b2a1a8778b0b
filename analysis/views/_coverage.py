"""Source coverage: which outlets and which cited sources back each theme.

Pure functions of an Analysis, so the Sources page and the exports compute the same tables. Every
count is of distinct paragraphs, and a paragraph's theme is read from `analysis.paragraphs`, so
themes renamed or merged with `apply_theme_edits` are followed.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..claims import AFFILIATION, analyst_states, claims_in_parts, sources_with_themes
from ..lookups import load_source_kinds, merge_source_kinds, usable_source_kinds
from ..tables import KIND_COLUMNS, OTHER_ID, Analysis, known_outlets, largest_first
from ._dates import parsed_dates
from ._kept import kept
from ._wording import NO_OUTLET_WORDS

__all__ = [
    "CITED_COLUMNS",
    "COVERAGE_COLUMNS",
    "NO_KNOWN_OUTLET",
    "NO_OUTLET",
    "backing_warnings",
    "cited_by_theme",
    "coverage_paragraphs",
    "document_provenance",
    "outlets_over_time",
    "source_coverage",
    "theme_backing",
    "with_source_kinds",
]

COVERAGE_COLUMNS = ["source", "kind", "theme_id", "theme", "paragraphs"]
CITED_COLUMNS = ["theme_id", "theme", "source", "kind", "paragraphs", "affiliation_only"]
BACKING_COLUMNS = [
    "theme_id", "theme", "paragraphs", "outlets", "cited_sources", "outlet_list", "source_list", "warning",
]  # fmt: skip
PARAGRAPH_VIEW_COLUMNS = ["pid", "doc", "outlet", "date", "text"]
# Documents whose outlet is unknown: none was given, or it is only the file's name.
NO_OUTLET = NO_OUTLET_WORDS
OUTLET_KIND = "news outlet"
UNKNOWN_KIND = "unknown"
STATE_MEDIA = "state media"
_BY = ("outlet", "cited")


def _check_by(by: str) -> None:
    if by not in _BY:
        raise ValueError(f"by must be 'outlet' or 'cited', not {by!r}")


def _outlet_labels(analysis: Analysis) -> pd.DataFrame:
    """Each paragraph's outlet as shown here: source, kind, and the paragraph's row (read-only:
    kept for the analysis's life, so without the paragraph ids, a million strings).

    A document whose outlet is empty, or was only taken from its file name, has no known outlet;
    all such documents are grouped under NO_OUTLET (the documents table says which they are)."""
    return kept("outlet labels", (analysis.paragraphs, analysis.documents), lambda: _derive_outlet_labels(analysis))


def _derive_outlet_labels(analysis: Analysis) -> pd.DataFrame:
    paragraphs = analysis.paragraphs
    outlet = known_outlets(paragraphs, analysis.documents)
    unknown = outlet == ""
    # Arrow's strings as they are: made into Python strings and back, a million of them took a
    # second.
    return pd.DataFrame(
        {
            "source": outlet.mask(unknown, NO_OUTLET).array,
            "kind": pd.Series(OUTLET_KIND, index=outlet.index, dtype=outlet.dtype).mask(unknown, UNKNOWN_KIND).array,
            _ROW: np.arange(len(paragraphs)),
        }
    )


def _cited_labels(analysis: Analysis, independent: bool = False) -> pd.DataFrame:
    """(pid, source, kind) of every citation whose paragraph is in the analysis; with
    `independent`, without the affiliations of cited people (read-only: kept for the analysis's
    life)."""
    frames = (analysis.paragraphs, analysis.citations)
    return kept(("cited labels", independent), frames, lambda: _derive_cited_labels(analysis, independent))


def _derive_cited_labels(analysis: Analysis, independent: bool) -> pd.DataFrame:
    citations, rows = analysis.citations, _citation_rows(analysis)
    if independent:
        voices = (citations["verb"].fillna("") != AFFILIATION).to_numpy()
        citations, rows = citations[voices], rows[voices]
    known = rows >= 0
    # A source is counted under its speaker: one name across the corpus, as the sources table has it.
    labels = pd.DataFrame({"pid": citations["pid"], "source": _speakers(citations), "kind": citations["kind"]})
    return labels[known].astype(str).reset_index(drop=True).assign(**{_ROW: rows[known]})


# The labels' column holding each label's row in analysis.paragraphs.
_ROW = "_row"


def _citation_rows(analysis: Analysis) -> np.ndarray:
    """The row of analysis.paragraphs each citation's paragraph is (-1 for none): one hash of
    the paragraph ids (a set of a million of them, or a merge on them, took seconds), kept for
    the analysis's life."""
    frames = (analysis.paragraphs, analysis.citations)
    return kept(
        "citation rows", frames, lambda: pd.Index(analysis.paragraphs["pid"]).get_indexer(analysis.citations["pid"])
    )


def source_roles(analysis: Analysis) -> dict[str, str]:
    """Each cited name's role as the sources table gives it ("report by Lee Sung-yoon, Sejong
    Institute"), keyed by the name as its articles write it (a figure's source): who a figure
    stands on, said in a few words."""
    sources, citations = analysis.sources, analysis.citations
    role_of = {str(s): str(r) for s, r in zip(sources["source"], sources["role"], strict=True) if str(r)}
    return {
        str(name): role_of[str(speaker)]
        for name, speaker in zip(citations["source"], _speakers(citations), strict=True)
        if str(speaker) in role_of
    }


def _speakers(citations: pd.DataFrame) -> pd.Series:
    """Each citation's speaker; a build made before citations had one names it as its article did."""
    return citations["speaker"] if "speaker" in citations.columns else citations["source"]


def _labels(analysis: Analysis, by: str) -> pd.DataFrame:
    _check_by(by)
    return _outlet_labels(analysis) if by == "outlet" else _cited_labels(analysis)


def _with_themes(labels: pd.DataFrame, analysis: Analysis) -> pd.DataFrame:
    """Labels joined to each paragraph's current theme: one row per distinct (pid, source), in
    the labels' order, for the paragraphs the analysis has."""
    # An outlet is one a paragraph; cited sources may be several. (Checked on the rows, one per
    # paragraph id: the ids themselves are strings, slow to hash by the million.)
    if not labels[_ROW].is_unique:
        labels = labels.drop_duplicates([_ROW, "source"])
    rows = labels[_ROW].to_numpy()
    paragraphs = analysis.paragraphs
    return labels.drop(columns=_ROW).assign(
        theme_id=paragraphs["theme_id"].to_numpy()[rows], theme=paragraphs["theme"].to_numpy()[rows]
    )


def source_coverage(analysis: Analysis, by: str = "outlet") -> pd.DataFrame:
    """Distinct paragraphs per (source, theme), in long format: source, kind, theme_id, theme,
    paragraphs.

    `by="outlet"`: the outlet each paragraph was published by (kind "news outlet"; documents
    with no known outlet grouped as "outlet not known", kind "unknown"). `by="cited"`: the sources
    the paragraphs cite (from `analysis.citations`, kind as extracted), each citation counted
    under its paragraph's current theme. Only non-zero cells are listed, sorted by source, then
    theme id. Raises ValueError for any other `by`.
    """
    joined = _with_themes(_labels(analysis, by), analysis)
    if joined.empty:
        return pd.DataFrame(columns=COVERAGE_COLUMNS).astype({"theme_id": int, "paragraphs": int})
    kinds = _commonest_kind(joined, ["source"])
    # One row per (pid, source): its paragraphs are its rows.
    counts = joined.groupby(["source", "theme_id", "theme"], sort=True).size().rename("paragraphs").reset_index()
    counts["kind"] = counts["source"].map(kinds)
    counts = counts.sort_values(["source", "theme_id"], kind="stable").reset_index(drop=True)
    return counts[COVERAGE_COLUMNS].astype({"theme_id": int, "paragraphs": int})


def _commonest_kind(labels: pd.DataFrame, keys: list[str]) -> pd.Series:
    """The kind of each group of `keys`: a source has one kind; should the extraction ever give
    two, the most frequent one wins, the first by name when as frequent. (Counted in one
    grouping: a function per source took seconds for tens of thousands of sources.)"""
    counts = labels.groupby([*keys, "kind"], sort=False).size().rename("_n").reset_index()
    counts = counts.sort_values([*keys, "_n", "kind"], ascending=[*([True] * len(keys)), False, True], kind="stable")
    return counts.drop_duplicates(keys).set_index(keys)["kind"]


def cited_by_theme(analysis: Analysis) -> pd.DataFrame:
    """Who each theme cites: one row per (theme, cited source), CITED_COLUMNS: theme_id, theme,
    source, kind (as extracted, or as the analyst's source kinds give it), paragraphs (distinct
    paragraphs of the theme citing it) and affiliation_only (named in the theme only as a cited
    person's affiliation: "a fellow at the Sejong Institute", not a voice of its own).

    Themes largest first and "Other" last (as the briefing lists them), sources with most
    paragraphs first, then by name. Themes that cite nobody have no row."""
    citations, rows = analysis.citations, _citation_rows(analysis)
    known = rows >= 0
    if not known.any():
        return pd.DataFrame(columns=CITED_COLUMNS).astype({"theme_id": int, "paragraphs": int, "affiliation_only": bool})
    paragraphs = analysis.paragraphs
    joined = pd.DataFrame(
        {
            "pid": citations["pid"].to_numpy()[known],
            "source": _speakers(citations).astype(str).to_numpy()[known],
            "kind": citations["kind"].astype(str).to_numpy()[known],
            "affiliation": (citations["verb"].fillna("") == AFFILIATION).to_numpy()[known],
            "theme_id": paragraphs["theme_id"].to_numpy()[rows[known]],
            "theme": paragraphs["theme"].to_numpy()[rows[known]],
        }
    )
    keys = ["theme_id", "theme", "source"]
    grouped = joined.groupby(keys, sort=False)
    table = pd.DataFrame(
        {
            "paragraphs": joined.drop_duplicates([*keys, "pid"]).groupby(keys, sort=False).size(),
            "affiliation_only": grouped["affiliation"].all(),
        }
    ).reset_index()
    table["kind"] = pd.MultiIndex.from_frame(table[keys]).map(_commonest_kind(joined, keys)) if len(table) else []
    order = {int(t): i for i, t in enumerate(largest_first(analysis.themes)["theme_id"])}
    table = table.assign(_theme=table["theme_id"].map(lambda t: order.get(int(t), len(order))))
    table = table.sort_values(["_theme", "paragraphs", "source"], ascending=[True, False, True], kind="stable")
    return table[CITED_COLUMNS].reset_index(drop=True).astype({"theme_id": int, "paragraphs": int, "affiliation_only": bool})


def coverage_paragraphs(analysis: Analysis, source: str, theme_id: int, by: str = "outlet") -> pd.DataFrame:
    """The paragraphs behind one cell of `source_coverage`: pid, doc, outlet, date, text, in
    corpus order. Empty when the source does not back the theme."""
    labels = _labels(analysis, by)
    citing = analysis.paragraphs.iloc[np.unique(labels.loc[labels["source"] == str(source), _ROW].to_numpy())]
    rows = citing[citing["theme_id"] == int(theme_id)]
    return rows[PARAGRAPH_VIEW_COLUMNS].reset_index(drop=True)


# A theme's list of outlets or cited sources names at most this many: a large corpus's theme
# cites thousands, and a cell of all of them is a page of text no one reads (and 300 kB sent);
# the counts beside it are of all.
_LISTED = 25


def _listing(counts: pd.DataFrame, with_kind: bool) -> str:
    """ "Taipei Times (12); Rodong Sinmun (state media, 1)": most paragraphs first, the first
    `_LISTED` of them, then how many more there are."""
    ordered = counts.sort_values(["paragraphs", "source"], ascending=[False, True], kind="stable")
    listed = ordered.head(_LISTED)
    if with_kind:
        names = [f"{r.source} ({r.kind}, {r.paragraphs})" for r in listed.itertuples()]
    else:
        names = [f"{r.source} ({r.paragraphs})" for r in listed.itertuples()]
    if len(ordered) > _LISTED:
        names.append(f"and {len(ordered) - _LISTED:,} more")
    return "; ".join(names)


# A theme's warning when none of its paragraphs names its outlet.
NO_KNOWN_OUTLET = "No known outlet"
# The same, said once when it holds for every theme.
NO_THEME_HAS_AN_OUTLET = "No theme has a known outlet: none can be checked against a second outlet."


def backing_warnings(backing: pd.DataFrame) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The warnings of `theme_backing` as a reader takes them: those for the whole corpus, and
    each theme's others ([(theme, warnings)], themes with none left out). "No known outlet" is
    said once, for the corpus, when every theme with paragraphs has it (a folder of pages
    without a manifest put it under every theme, six cards saying one thing); "Other" has none."""
    themed = backing[(backing["theme_id"] != OTHER_ID) & (backing["paragraphs"] > 0)]
    warned = {int(row.theme_id): str(row.warning).split("; ") for row in themed.itertuples() if row.warning}
    everywhere = len(themed) > 1 and all(NO_KNOWN_OUTLET in warned.get(int(t), []) for t in themed["theme_id"])
    corpus = [NO_THEME_HAS_AN_OUTLET] if everywhere else []
    themes = []
    for row in themed.itertuples():
        own = [part for part in warned.get(int(row.theme_id), []) if not (everywhere and part == NO_KNOWN_OUTLET)]
        if own:
            themes.append((str(row.theme), own))
    return corpus, themes


def theme_backing(analysis: Analysis) -> pd.DataFrame:
    """One row per theme: theme_id, theme, paragraphs, outlets, cited_sources, outlet_list,
    source_list (readable, most paragraphs first) and a warning ("" when none applies).

    Counting: `outlets` is the number of distinct outlets ("outlet not known" counting as one);
    `cited_sources` the number of distinct sources cited in the theme's paragraphs, not counting
    an institution named only as a cited person's affiliation ("a fellow at the Sejong
    Institute" is Lee Sung-yoon's voice, not a second one). `source_list` lists the same sources.

    Warnings, joined by "; " when several apply (never for "Other", which is not a theme, nor for
    a theme without paragraphs):
    - "Rests on a single outlet": every paragraph comes from one outlet ("No known outlet" when
      that is "outlet not known");
    - "Cites no source": no paragraph attributes anything to anyone;
    - "Rests on a single cited source": exactly one source is cited;
    - "Cited sources are state media only": every cited source is state media.
    """
    outlets = _with_themes(_outlet_labels(analysis), analysis)
    cited = _with_themes(_cited_labels(analysis, independent=True), analysis)
    # Counted once for every theme (a pass over a million rows per theme took seconds); one row
    # per (pid, source), so a group's rows are its paragraphs.
    sizes = analysis.paragraphs["theme_id"].value_counts()
    outlet_counts = dict(
        tuple(outlets.groupby(["theme_id", "source"]).size().rename("paragraphs").reset_index().groupby("theme_id"))
    )
    source_counts = dict(
        tuple(cited.groupby(["theme_id", "source", "kind"]).size().rename("paragraphs").reset_index().groupby("theme_id"))
    )
    nothing = pd.DataFrame(columns=["source", "kind", "paragraphs"])
    rows = []
    # In the heatmap's order above the table: by id (seeded themes first), "Other" last.
    themes = analysis.themes.assign(_other=analysis.themes["theme_id"] == OTHER_ID)
    for theme in themes.sort_values(["_other", "theme_id"]).itertuples():
        theme_id = int(theme.theme_id)
        size = int(sizes.get(theme_id, 0))
        by_outlet = outlet_counts.get(theme_id, nothing)
        by_source = source_counts.get(theme_id, nothing)
        n_sources = by_source["source"].nunique()
        warnings = []
        if theme_id != OTHER_ID and size:
            if len(by_outlet) == 1:
                only = by_outlet["source"].iloc[0]
                warnings.append(NO_KNOWN_OUTLET if only == NO_OUTLET else "Rests on a single outlet")
            if n_sources == 0:
                warnings.append("Cites no source")
            elif n_sources == 1:
                warnings.append("Rests on a single cited source")
            if n_sources and (by_source["kind"] == STATE_MEDIA).all():
                warnings.append("Cited sources are state media only")
        rows.append(
            {
                "theme_id": theme_id,
                "theme": theme.theme,
                "paragraphs": size,
                "outlets": len(by_outlet),
                "cited_sources": int(n_sources),
                "outlet_list": _listing(by_outlet, with_kind=False),
                "source_list": _listing(by_source, with_kind=True),
                "warning": "; ".join(warnings),
            }
        )
    return pd.DataFrame(rows, columns=BACKING_COLUMNS)


def outlets_over_time(analysis: Analysis, freq: str = "M") -> pd.DataFrame:
    """Documents per (period, outlet) for documents with a known date, with their paragraphs.

    Documents are counted rather than paragraphs, so a long piece weighs as much as a short one:
    the question is who was publishing when. `paragraphs` is the number of kept paragraphs of
    those documents. `period` is the period's first day; outlets as in `source_coverage`.
    Empty (with its columns) when no document has a date.
    """
    columns = ["period", "outlet", "documents", "paragraphs"]
    documents = analysis.documents
    if documents.empty:
        return pd.DataFrame(columns=columns)
    dates = parsed_dates(documents["date"])
    labels = _outlet_labels(analysis)
    # Each document's kept paragraphs and the outlet its (last) paragraph shows, found through
    # one index of the paragraphs' documents (two lookups by document name took half a second at
    # 100,000 paragraphs).
    codes, paragraph_docs = pd.factorize(analysis.paragraphs["doc"].astype(str))
    kept_paragraphs = np.bincount(codes, minlength=len(paragraph_docs))
    last = np.full(len(paragraph_docs), -1)
    np.maximum.at(last, codes, np.arange(len(codes)))
    outlet = known_outlets(documents)
    doc = documents["doc"].astype(str)
    at = pd.Index(paragraph_docs).get_indexer(doc)
    shown = at >= 0
    # A document's outlet as its paragraphs show it (the same rule), else from the row.
    outlet = outlet.mask(outlet == "", NO_OUTLET).to_numpy(dtype=object)
    outlet[shown] = labels["source"].to_numpy()[last[at[shown]]]
    table = pd.DataFrame(
        {
            "period": dates.dt.to_period(freq).dt.start_time,
            "outlet": outlet,
            "doc": doc,
            "paragraphs": np.where(shown, kept_paragraphs[np.maximum(at, 0)], 0),
        }
    )[dates.notna().to_numpy()]
    if table.empty:
        return pd.DataFrame(columns=columns)
    grouped = table.groupby(["period", "outlet"], sort=True).agg(
        documents=("doc", "nunique"), paragraphs=("paragraphs", "sum")
    )
    return grouped.reset_index()[columns].astype({"documents": int, "paragraphs": int})


def document_provenance(analysis: Analysis) -> pd.DataFrame:
    """The documents with outlet, date, title, author and url, each followed by where it came
    from (`outlet_from`, ...: manifest, file, text, file name; "not found" when empty)."""
    documents = analysis.documents
    out = pd.DataFrame({"doc": documents["doc"].astype(str)}) if "doc" in documents else pd.DataFrame()
    blank = pd.Series("", index=documents.index, dtype=str)
    for name in ("outlet", "date", "title", "author", "url"):
        value = documents[name].fillna("").astype(str) if name in documents else blank
        origin = documents[f"{name}_from"].fillna("").astype(str) if f"{name}_from" in documents else blank
        out[name] = value
        out[f"{name}_from"] = origin.mask(value == "", "not found")
    return out.reset_index(drop=True)


def with_source_kinds(analysis: Analysis, extra: pd.DataFrame) -> Analysis:
    """A copy of the analysis with its cited sources found again under the analyst's kinds
    table `extra` (name, kind, aliases), merged over the table the analysis was built with (the
    shipped one and any `--source-kinds` table, which `provenance.source_kinds` records).

    `sources` and `citations` are extracted again from `analysis.paragraphs`, the sources'
    themes read from those paragraphs as the build does (renamed and merged themes followed),
    and `provenance` records the analyst's table, so exports name it. Deterministic; the original is
    untouched and returned as it is when `extra` has no rows. Raises ValueError with a one-line
    reason when a row of `extra` cannot be used (`check_source_kinds` lists them all)."""
    added = usable_source_kinds(extra, "source kinds table")
    if added.empty:
        return analysis
    built = usable_source_kinds(pd.DataFrame(list(analysis.provenance.source_kinds), columns=KIND_COLUMNS), "build")
    analyst = merge_source_kinds(built, added) if len(built) else added
    # Themes are joined afterwards, as the build does, so the same table gives the same sources.
    text_only = analysis.paragraphs.drop(columns=["theme"], errors="ignore")
    # In parts on this machine's cores: a large corpus takes about a millisecond a paragraph.
    claims = claims_in_parts(
        text_only, load_source_kinds(analyst), states=analyst_states(analysis.provenance.states)
    )
    sources = sources_with_themes(claims.sources, claims.citations, analysis.paragraphs)
    figures = analysis.figures
    if len(claims.figures) == len(figures):
        # The same figures (kinds never change what a figure is): only whom each stands on, as
        # the sources the table now names, and the id of that citation.
        figures = figures.assign(
            source=claims.figures["source"].to_numpy(), citation=claims.figures["citation"].to_numpy()
        )
    provenance = analysis.provenance.replace(
        source_kinds=tuple(analyst.to_dict(orient="records")),
        counts=analysis.provenance.counts | {"sources": len(sources), "citations": len(claims.citations)},
    )
    return dataclasses.replace(
        analysis, figures=figures, sources=sources, citations=claims.citations, provenance=provenance
    )
