"""The claims stage: each article read once, sentence by sentence, for figures and cited sources.

Each paragraph is split into sentences once (with their offsets); each sentence goes through the
attribution step (`ArticleSources`: who the sentence attributes its claims to, resolved within
the article) and then the figures reader (`ArticleFigures`), which never takes a speaker the
attribution step found for a party. A figure carries the id of the attribution behind it: its
sentence's own, or, for a sentence that names none, the last one of its paragraph ("The report
found ... In contrast, Russia's payments ..."). The citations table is the attribution step's
rows, with the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..tables import CITATION_COLUMNS, FIGURE_COLUMNS, paragraph_ids
from ._figures import ArticleFigures
from ._sentences import ClaimLimits, paragraph_sentences
from ._sources import (
    AFFILIATION,
    ArticleSources,
    Attributed,
    reading_order,
    source_table,
    speaker_roles,
    with_speakers,
)
from ._states import StateAlias

__all__ = ["Claims", "citation_id", "extract_citations", "extract_figures", "extract_sentence_figures", "read_claims"]


@dataclass(frozen=True)
class Claims:
    """What the claims stage reads from paragraphs: figures (FIGURE_COLUMNS), cited sources
    (SOURCE_COLUMNS, one row per speaker) and citations (CITATION_COLUMNS, one row per
    attribution, in reading order)."""

    figures: pd.DataFrame
    sources: pd.DataFrame
    citations: pd.DataFrame


def citation_id(pid: str, sentence: int, attribution: int) -> str:
    """The id of a paragraph's `sentence`-th sentence's `attribution`-th attribution (both from
    1): "doc.txt|1|3:2.1". Positional, so the same text gives the same ids on any engine."""
    return f"{pid}:{sentence}.{attribution}"


class _ClaimsReader:
    """The attribution step and the figures reader over the same sentences, article by article:
    each sentence's citations get their ids, its figures the id of the attribution they stand on,
    and both tables their final names when the article closes."""

    def __init__(
        self,
        kinds: pd.DataFrame | None = None,
        states_file: Path | str | None = None,
        limits: ClaimLimits = ClaimLimits(),
        states: tuple[StateAlias, ...] = (),
    ) -> None:
        self.sources = ArticleSources(kinds)
        self.figures = ArticleFigures(states_file, limits, states)
        self.figure_rows: list[dict] = []
        self.citation_rows: list[dict] = []
        # The open article's figure rows and citations, with the attribution each stands on:
        # final names are known when the article closes.
        self._open_figures: list[tuple[dict, Attributed | None]] = []
        self._open_citations: list[tuple[dict, Attributed]] = []
        self._behind: tuple[str, Attributed] | None = None  # what a sentence naming none continues

    def start_article(self, title: str = "") -> None:
        self.close_article()
        self.sources.start_article()
        self.figures.start_article(title)

    def start_paragraph(self) -> None:
        self.sources.start_paragraph()
        self.figures.start_paragraph()
        self._behind = None  # an attribution carries over within its paragraph only

    def read(self, sentence: str, where: dict, number: int, offsets: tuple[int, int], figures: bool = True) -> None:
        """The paragraph's `number`-th sentence (at `offsets` in its text); `where` its doc,
        article, paragraph and pid; `figures` False reads its attributions only."""
        attributed = self.sources.read(sentence)
        own = None  # the sentence's first attribution but a cited person's institution
        for k, attribution in enumerate(attributed, start=1):
            cid = citation_id(where.get("pid", ""), number, k)
            row = where | {"citation": cid, "verb": attribution.verb, "sentence": sentence}
            self._open_citations.append((row | {"start": offsets[0], "end": offsets[1]}, attribution))
            if own is None and attribution.verb != AFFILIATION:
                own = (cid, attribution)
        self._behind = own or self._behind
        if not figures:
            return
        cid, behind = self._behind if self._behind is not None else ("", None)
        for figure in self.figures.read(sentence, [(a.start, a.end) for a in attributed], where):
            figure["citation"] = cid
            self._open_figures.append((figure, behind))

    def read_headline(self, headline: tuple[str, dict, bool] | None) -> None:
        """The article's headline (text, where, English), read after its body, as sentence 0
        of its first paragraph with offsets -1 (it is not in the paragraph's text).

        "Norway pledges $150 million in military aid to Ukraine – defence minister" states a
        flow and its source, at times the only place a page does. Read last, it does not change
        what the body's "the report" or "the mission" refer to, and its "UN" is named as the
        body names it."""
        if headline is None:
            return
        text, where, english = headline
        self.start_paragraph()
        self.read(text, where, 0, (-1, -1), figures=english)

    def close_article(self) -> None:
        self.sources.close_article()
        self.figures.finish_article()
        for row, attributed in self._open_citations:
            source = self.sources.final(attributed)
            if source is not None:
                self.citation_rows.append(row | {"source": source.name, "kind": source.kind})
        for row, attributed in self._open_figures:
            row["source"], cited = _figure_source(self.sources, attributed)
            if not cited:
                row["citation"] = ""
            self.figure_rows.append(row)
        self._open_figures.clear()
        self._open_citations.clear()


def read_claims(
    paragraphs: pd.DataFrame,
    kinds: pd.DataFrame | None = None,
    *,
    states_file: Path | str | None = None,
    limits: ClaimLimits = ClaimLimits(),
    states: tuple[StateAlias, ...] = (),
) -> Claims:
    """Figures and cited sources of `paragraphs` (columns doc, article, paragraph, text; pid, lang
    and title when there), read in reading order. `kinds` is the source kinds table
    (`analysis.lookups.load_source_kinds`; the shipped one by default), `states_file` replaces
    the shipped states table and `states` adds an analyst's aliases to it (`analyst_states`),
    `limits` bounds the sentences and numbers read in a paragraph.
    Figures are read from English paragraphs only (their rules read English); attributions from
    every paragraph, and each article's headline after its body (`headlines_to_read`, unless
    the rows carry them in `HEADLINE_COLUMN`, as `claims_in_parts` gives them). Deterministic."""
    frame = paragraphs.copy()
    if "pid" not in frame.columns:  # as prepare() makes it
        frame["pid"] = paragraph_ids(frame)
    reader = _ClaimsReader(kinds, states_file, limits, states)
    if len(frame):
        frame = reading_order(frame)
        columns = {name: frame[name].tolist() for name in ("doc", "article", "paragraph", "pid", "text")}
        languages = frame["lang"].tolist() if "lang" in frame.columns else ["en"] * len(frame)
        titles = frame["title"].tolist() if "title" in frame.columns else [""] * len(frame)
        headlines = frame[HEADLINE_COLUMN].tolist() if HEADLINE_COLUMN in frame.columns else headlines_to_read(frame)
        # Articles keyed by the document's number, which a missing doc name also has; rows
        # without an article number are in none and are not read.
        doc_order = pd.factorize(frame["doc"])[0]
        article_numbers = pd.to_numeric(frame["article"], errors="coerce").to_numpy(dtype=float)
        current = None
        pending = None  # the article's headline, read after its body
        for row in range(len(frame)):
            if np.isnan(article_numbers[row]):
                continue
            key = (doc_order[row], article_numbers[row])
            where = {name: columns[name][row] for name in ("doc", "article", "paragraph", "pid")}
            text = str(columns["text"][row] or "")
            english = str(languages[row] or "en").startswith("en")
            if key != current:
                current = key
                reader.read_headline(pending)
                reader.start_article(titles[row] if isinstance(titles[row], str) else "")
                pending = (headlines[row], where, english) if headlines[row] else None
            reader.start_paragraph()
            for number, (start, end) in enumerate(paragraph_sentences(text, limits), start=1):
                reader.read(text[start:end], where, number, (start, end), figures=english)
        reader.read_headline(pending)
        reader.close_article()
    figure_table = pd.DataFrame(reader.figure_rows, columns=FIGURE_COLUMNS)
    for column in ("amount", "low", "high"):
        figure_table[column] = figure_table[column].astype("float64")
    unnamed = [c for c in CITATION_COLUMNS if c != "speaker"]
    citations = with_speakers(pd.DataFrame(reader.citation_rows, columns=unnamed))[CITATION_COLUMNS]
    source_rows = source_table(citations, frame, speaker_roles(reader.sources.roles, citations))
    return Claims(figure_table, source_rows, citations)


# A headline longer than this is no headline (a document title from untrusted metadata): its
# start is read.
_HEADLINE_CHARS = 400
# The column in which `claims_in_parts` hands each part the headlines to read.
HEADLINE_COLUMN = "_headline"


def headlines_to_read(frame: pd.DataFrame) -> list[str]:
    """For each row of `frame` (in reading order), the headline read for claims with its
    article: on the article's first row, its title, whitespace folded and cut to
    `_HEADLINE_CHARS`; "" on other rows, for an article without a title, one whose first
    paragraph opens with its title (read there), or one whose document had that title on an
    earlier article (an untitled article carries its document's title): once per document."""
    headlines = [""] * len(frame)
    if "title" not in frame.columns:
        return headlines
    read: set[tuple[str, str]] = set()
    current = None
    articles = pd.to_numeric(frame["article"], errors="coerce")  # as read_claims reads them
    rows = zip(frame["doc"].astype(str), articles, frame["title"], frame["text"], strict=True)
    for row, (doc, article, title, text) in enumerate(rows):
        if np.isnan(article) or (doc, article) == current:
            continue
        current = (doc, article)
        title = " ".join(title[: 4 * _HEADLINE_CHARS].split())[:_HEADLINE_CHARS] if isinstance(title, str) else ""
        if not title or (doc, title) in read:
            continue
        read.add((doc, title))
        if not " ".join(str(text or "").split()).casefold().startswith(title.casefold()):
            headlines[row] = title
    return headlines


def extract_figures(
    paragraphs: pd.DataFrame, *, states_file: Path | str | None = None, limits: ClaimLimits = ClaimLimits()
) -> pd.DataFrame:
    """All quantitative claims in the paragraphs, one row per figure (FIGURE_COLUMNS): the claims
    stage's figures. Empty strings for unknown text fields, NaN for unknown numbers."""
    return read_claims(paragraphs, states_file=states_file, limits=limits).figures


def extract_citations(
    paragraphs: pd.DataFrame, kinds: pd.DataFrame | None = None, limits: ClaimLimits = ClaimLimits()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sources, citations): the claims stage's. citations: one row per attribution
    (CITATION_COLUMNS) in reading order; verb is the attribution verb or pattern ("reported",
    "according to", "said", "report", "affiliation"), sentence the exact sentence, start and end
    its offsets in the paragraph's text. sources: one row per speaker (SOURCE_COLUMNS);
    paragraphs = distinct paragraphs citing it; themes = "; "-joined sorted distinct values of
    paragraphs["theme"] for those paragraphs if that column exists, else "". Sorted by
    paragraphs (descending), then source."""
    claims = read_claims(paragraphs, kinds, limits=limits)
    return claims.sources, claims.citations


def extract_sentence_figures(
    sentence: str, previous: str = "", *, states_file: Path | str | None = None
) -> list[dict]:
    """The figures of one sentence; `previous` is the sentence before it in its paragraph (for
    pronouns, possessive context and the attribution it continues). Keys: FIGURE_COLUMNS without
    doc, article, paragraph, pid and citation; "what" is a comma-separated list of categories.
    `states_file` replaces the shipped states table."""
    return _read_given_sentences([previous, sentence] if previous else [sentence], states_file)


def _read_given_sentences(texts: list[str], states_file: Path | str | None) -> list[dict]:
    """The figures of the last of `texts`, read as consecutive sentences of one paragraph."""
    reader = _ClaimsReader(states_file=states_file)
    reader.start_article()
    reader.start_paragraph()
    for number, text in enumerate(texts, start=1):
        if number == len(texts):
            first = len(reader._open_figures)
        reader.read(text, {}, number, (0, len(text)))
    reader.close_article()
    return [{key: value for key, value in row.items() if key != "citation"} for row in reader.figure_rows[first:]]


def _figure_source(sources: ArticleSources, attributed: Attributed | None) -> tuple[str, bool]:
    """Who a figure stands on once its article is closed, and whether that is a citation of the
    table. A speaker the attribution step dropped as too vague to cite on its own ("the
    ministry" in an article that names none) is still who the sentence says the figure comes
    from: named as the sentence words it, with no citation."""
    if attributed is None:
        return "", False
    source = sources.final(attributed)
    return (source.name, True) if source is not None else (attributed.written, False)
