"""The tables every stage reads and writes: their columns and types, and the finished `Analysis`
with its typed `Provenance`.

The bottom of the package: every stage may import it, and it imports no stage. The schemas are
what the build folder stores (one Parquet file per table, read back with these types) and what
the command line writes as CSV for people.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .settings import Settings

__all__ = [
    "ARTICLE_COLUMNS",
    "CHANGE_COLUMNS",
    "CITATION_COLUMNS",
    "DOCUMENT_TEXT",
    "DUPLICATE_COLUMNS",
    "FIGURE_COLUMNS",
    "KINDS",
    "KIND_COLUMNS",
    "METADATA_FIELDS",
    "OTHER_ID",
    "OTHER_NAME",
    "OUTLET_FROM_FILE_NAME",
    "PARAGRAPH_COLUMNS",
    "PROBLEM_COLUMNS",
    "REMOVED_COLUMNS",
    "SCHEMAS",
    "SKIPPED_COLUMNS",
    "SOURCE_COLUMNS",
    "THEME_COLUMNS",
    "Analysis",
    "CorpusError",
    "Provenance",
    "VectorCodes",
    "empty_table",
    "format_amount",
    "in_turn",
    "is_formula_like",
    "known_outlets",
    "paragraph_ids",
    "spreadsheet_csv",
    "spreadsheet_safe",
]


class CorpusError(ValueError):
    """The input cannot be analysed at all (nothing readable, a broken build folder); the
    message is one line."""


# The theme that paragraphs close to no theme fall into.
OTHER_ID = -1
OTHER_NAME = "Other"
# Where a document's outlet came from when nothing named one and its file's name stood in: kept
# so the file is still told apart, but it is no outlet (`known_outlets`).
OUTLET_FROM_FILE_NAME = "file name"


def largest_first(themes: pd.DataFrame) -> pd.DataFrame:
    """Themes in the order every list, chart and export shows them: most paragraphs first
    (ties by id, so the order depends on nothing but the data), "Other" last whatever its size."""
    other = (themes["theme_id"] == OTHER_ID).to_numpy()
    return themes.assign(_other=other).sort_values(
        ["_other", "size", "theme_id"], ascending=[True, False, True], kind="stable"
    ).drop(columns="_other")


def in_turn(lists: Sequence[Sequence], limit: int | None = None) -> list:
    """Up to `limit` distinct items (all without one), the first of each list, then the second
    of each, and so on: a merged or broad theme's keywords, paragraphs and name from its themes'."""
    taken: list = []
    for rank in range(max((len(items) for items in lists), default=0)):
        for items in lists:
            if rank < len(items) and items[rank] not in taken:
                taken.append(items[rank])
                if len(taken) == limit:
                    return taken
    return taken


def known_outlets(table: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.Series:
    """Each row's outlet as known: as given (spaces trimmed), or "" where none was given or it
    was only read from its document's file name (`OUTLET_FROM_FILE_NAME`), which names a file,
    not an outlet. The one rule every page, chart and export follows.

    `table` has `outlet` and `doc` columns: a build's paragraphs, with its `documents`, or the
    documents table itself (`documents` None), whose own `outlet_from` is read row by row."""
    if "outlet" not in table:
        return pd.Series("", index=table.index, dtype=str)
    outlet = table["outlet"].fillna("").astype(str).str.strip()
    origins = table if documents is None else documents
    if "outlet_from" not in origins or origins.empty:
        return outlet
    from_file_name = (origins["outlet_from"].fillna("").astype(str) == OUTLET_FROM_FILE_NAME).to_numpy()
    if documents is None:
        return outlet.mask(from_file_name, "")
    if not from_file_name.any() or "doc" not in documents:
        return outlet
    named = set(documents["doc"].astype(str).to_numpy()[from_file_name])
    return outlet.mask(table["doc"].astype(str).isin(named).to_numpy(), "")


METADATA_FIELDS = ("outlet", "date", "title", "url", "author")
# Kinds of cited sources, as the analyst's kinds table and the dashboard offer them.
KINDS = (
    "state media", "think tank", "government", "military", "intelligence agency",
    "international organisation", "news outlet", "person", "other",
)  # fmt: skip

# Column -> type of every table of a build: "str" (never missing: "" instead), "int", "float"
# (NaN where unknown), "bool", or "object" (Python values kept as they are, such as lists).
SCHEMAS: dict[str, dict[str, str]] = {
    "paragraphs": {
        "doc": "str", "article": "int", "paragraph": "int", "outlet": "str", "date": "str", "title": "str",
        "text": "str", "lang": "str", "theme": "str", "theme_id": "int", "x": "float", "y": "float",
        "start": "int", "end": "int", "role": "str", "similarity": "float", "pid": "str",
    },
    "themes": {
        "theme_id": "int", "theme": "str", "size": "int", "keywords": "str", "seeded": "bool",
        "share": "float", "representative": "object", "parent": "int", "parent_theme": "str",
    },
    "documents": {
        "doc": "str", "path": "str", "format": "str",
        "outlet": "str", "outlet_from": "str", "date": "str", "date_from": "str", "title": "str",
        "title_from": "str", "url": "str", "url_from": "str", "author": "str", "author_from": "str",
        "encoding": "str", "content_hash": "str", "articles": "int", "paragraphs": "int",
    },
    "articles": {
        "doc": "str", "article": "int", "title": "str", "kind": "str", "in_themes": "str", "author": "str",
        "bio": "str", "start": "int", "end": "int", "paragraphs": "int",
    },
    "duplicates": {
        "doc": "str", "article": "int", "paragraph": "int", "text": "str", "kept_doc": "str",
        "kept_article": "int", "kept_paragraph": "int", "similarity": "float",
    },
    "removed": {"doc": "str", "start": "int", "end": "int", "text": "str", "reason": "str"},
    "skipped": {"path": "str", "reason": "str"},
    # status: what the text says of a transfer (estimated, pledged, planned, approved, announced,
    # delivered; "" when it says none); source: who the figure's sentence (or the paragraph before
    # it) attributes it to, as the article names them; citation: the id of that attribution in
    # the citations table.
    "figures": {
        "giver": "str", "receiver": "str", "amount": "float", "unit": "str", "qualifier": "str",
        "low": "float", "high": "float", "what": "str", "kind": "str", "status": "str", "source": "str",
        "doc": "str", "article": "int", "paragraph": "int", "pid": "str", "sentence": "str", "citation": "str",
    },
    "sources": {"source": "str", "kind": "str", "role": "str", "paragraphs": "int", "themes": "str"},
    # source: as the article names it (its fullest form); speaker: the one name of that source
    # across the corpus, its row in the sources table; citation: its id, which the figures it
    # stands behind carry; start, end: the sentence's offsets in the paragraph's text (-1 for the
    # article's headline, read as sentence 0 of its first paragraph).
    "citations": {
        "source": "str", "speaker": "str", "kind": "str", "doc": "str", "article": "int", "paragraph": "int",
        "pid": "str", "verb": "str", "sentence": "str", "citation": "str", "start": "int", "end": "int",
    },
    # The text of each document, which paragraph offsets point into.
    "texts": {"doc": "str", "text": "str"},
    # What each update of a build changed in its themes, one row per theme and update, kept
    # from the first update on (analysis.themes.theme_changes says what each column counts).
    "theme_changes": {
        "update": "int", "built_at": "str", "since": "str", "theme_id": "int", "theme": "str",
        "change": "str", "earlier_ids": "str", "earlier_themes": "str", "before": "int", "after": "int",
        "kept": "int", "joined": "int", "left": "int",
    },
}  # fmt: skip

PARAGRAPH_COLUMNS = list(SCHEMAS["paragraphs"])
THEME_COLUMNS = list(SCHEMAS["themes"])
ARTICLE_COLUMNS = list(SCHEMAS["articles"])
DUPLICATE_COLUMNS = list(SCHEMAS["duplicates"])
REMOVED_COLUMNS = list(SCHEMAS["removed"])
SKIPPED_COLUMNS = list(SCHEMAS["skipped"])
FIGURE_COLUMNS = list(SCHEMAS["figures"])
SOURCE_COLUMNS = list(SCHEMAS["sources"])
CITATION_COLUMNS = list(SCHEMAS["citations"])
CHANGE_COLUMNS = list(SCHEMAS["theme_changes"])
DOCUMENT_TEXT = list(SCHEMAS["texts"])
KIND_COLUMNS = ["name", "kind", "aliases"]
PROBLEM_COLUMNS = ["row", "name", "problem"]


def empty_table(name: str) -> pd.DataFrame:
    """A table of the build with its columns and no rows."""
    return pd.DataFrame(columns=list(SCHEMAS[name]))


# Scales an analyst writes amounts in: 9.8e9 USD is "9.8 bn USD".
_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"))


def format_amount(value: float, unit: str = "") -> str:
    """An amount as an analyst writes it: 9.8e9, "USD" -> "9.8 bn USD"; 8000, "troops" ->
    "8,000 troops"; 12.2, "percent" -> "12.2 percent"; NaN -> "? USD". Charts write their axis
    ticks with it (unit ""), views their labels, so a figure reads the same everywhere."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        value = math.nan
    unit = str(unit or "")
    if math.isnan(value):
        return f"? {unit}".strip()
    for size, word in _SCALES:
        if abs(value) >= size:
            return f"{value / size:,.4g} {word} {unit}".strip()
    if value == int(value):
        return f"{value:,.0f} {unit}".strip()
    return f"{value:,.2f}".rstrip("0").rstrip(".") + f" {unit}".rstrip()


# A cell a spreadsheet would run as a formula: one starting with = + - @, a tab or a carriage
# return, unless the whole cell is a plain number ("-2", "1.5e3"); "-1+1+cmd|' /C calc'!A0" and
# "-2+3" are formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def is_formula_like(text: str) -> bool:
    return text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """`table` as every CSV for people is written: a text cell a spreadsheet would run as a
    formula is prefixed with an apostrophe (the spreadsheets' own sign for "this is text");
    numbers and every other cell are unchanged. Corpus text is untrusted."""
    text_columns = [c for c in table.columns if table[c].dtype == object or pd.api.types.is_string_dtype(table[c])]
    risky = {c: table[c].map(lambda v: isinstance(v, str) and is_formula_like(v)) for c in text_columns}
    if not any(mask.any() for mask in risky.values()):
        return table
    table = table.copy()
    for column, mask in risky.items():
        if mask.any():
            table[column] = table[column].astype(object)
            table.loc[mask, column] = "'" + table.loc[mask, column].astype(str)
    return table


def spreadsheet_csv(table: pd.DataFrame, path=None, **options) -> str | None:
    """`table` as a CSV for people (to `path`, else returned): `spreadsheet_safe` cells, and
    every text cell quoted, so that a carriage return inside a cell cannot start a new row
    whose first cell a spreadsheet would run (a CSV quotes only cells holding its own line end,
    and a spreadsheet also ends rows at a lone carriage return)."""
    return spreadsheet_safe(table).to_csv(path, index=False, quoting=csv.QUOTE_NONNUMERIC, **options)


def paragraph_ids(paragraphs: pd.DataFrame) -> pd.Series:
    """Each paragraph row's id, "doc|article|paragraph": what the build writes as pid, and what
    tables keyed by paragraph refer to."""
    return (
        paragraphs["doc"].astype(str)
        + "|"
        + paragraphs["article"].astype(str)
        + "|"
        + paragraphs["paragraph"].astype(str)
    )


@dataclass(frozen=True)
class Provenance:
    """How an analysis was made: enough to trace a chart to its build and make it again.

    Stored as the build folder's build.json; `counts` and `timings` are reports, the rest decides
    the results."""

    model_id: str = "unknown"
    model_key: str = ""
    # Each language's centre (LanguageCentres.to_lists), for a multilingual model's builds: a
    # search query is centred the same way as the paragraphs it is compared with.
    language_centres: dict[str, list[float]] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    corpus_hash: str = ""
    built_at: str = ""
    seed_themes: tuple[dict, ...] = ()
    # The analyst's own source kinds (rows of name, kind, aliases), merged over the shipped table.
    source_kinds: tuple[dict, ...] = ()
    # The analyst's own states (rows of state, alias, kind, context), added to the shipped table.
    states: tuple[dict, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    other_share: float = 0.0
    discovered_themes: int = 0
    k_scores: dict[str, float] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    format_version: int = 4

    def replace(self, **changes: Any) -> Provenance:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        values["settings"] = self.settings.to_dict()
        values["seed_themes"] = [dict(s) for s in self.seed_themes]
        values["source_kinds"] = [dict(s) for s in self.source_kinds]
        values["states"] = [dict(s) for s in self.states]
        return values

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_dict(cls, values: dict) -> Provenance:
        """From build.json; unknown keys (a newer build) are ignored, missing ones defaulted."""
        if not isinstance(values, dict):
            raise ValueError("not a JSON object")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        kept = {k: v for k, v in values.items() if k in fields}
        # A build folder is untrusted: each value must have its field's type (a model id that
        # is a list, or a count that is text, would otherwise reach pages and exports).
        for name in ("model_id", "model_key", "corpus_hash", "built_at"):
            if not isinstance(kept.get(name, ""), str) or len(kept.get(name, "")) > 300:
                raise ValueError(f"{name} is not a short text")
        for name in ("other_share",):
            if not isinstance(kept.get(name, 0.0), int | float) or isinstance(kept.get(name), bool):
                raise ValueError(f"{name} is not a number")
        for name in ("format_version", "discovered_themes"):
            if type(kept.get(name, 0)) is not int:
                raise ValueError(f"{name} is not a whole number")
        for name in ("counts", "k_scores", "timings"):
            table = kept.get(name, {})
            if not isinstance(table, dict) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in table.values()
            ):
                raise ValueError(f"{name} is not a table of numbers")
        check_language_centres(kept.get("language_centres") or {})
        settings = kept.get("settings") or {}
        if not isinstance(settings, dict):
            raise ValueError("settings is not a JSON object")
        kept["settings"] = Settings.from_dict(settings)
        for name in ("seed_themes", "source_kinds", "states"):
            rows = kept.get(name) or ()
            if not isinstance(rows, list | tuple) or not all(isinstance(row, dict) for row in rows):
                raise ValueError(f"{name} is not a list of objects")
            kept[name] = tuple(dict(row) for row in rows)
        return cls(**kept)


# Bounds on the language centres a build folder (untrusted) may hold.
_MOST_LANGUAGES = 500
_MOST_DIMENSIONS = 4096


def check_language_centres(values: object) -> None:
    """Raise ValueError (one line) unless `values` is a table of language centres as a build
    writes it: language code -> list of finite numbers, all of one length, "*" among them."""
    if values == {}:
        return
    if not isinstance(values, dict) or "*" not in values or len(values) > _MOST_LANGUAGES:
        raise ValueError("language centres are not a table of languages and vectors")
    lengths = set()
    for language, centre in values.items():
        if not isinstance(language, str) or len(language) > 16 or not isinstance(centre, list):
            raise ValueError("language centres are not a table of languages and vectors")
        if len(centre) > _MOST_DIMENSIONS or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in centre
        ):
            raise ValueError("language centres hold values that are not finite numbers")
        lengths.add(len(centre))
    if len(lengths) > 1:
        raise ValueError("language centres differ in length")


# Rows of vectors coded, or scored from their codes, at a time: a float32 copy of a million
# vectors would be 1.5 GB.
_CODED_ROWS = 65_536
# Added to a coded score's bound for the float32 rounding of the two products it compares (each
# under 1e-4 for unit vectors of a few hundred dimensions).
_ROUNDING_SLACK = 1e-3


@dataclass(frozen=True)
class VectorCodes:
    """A build's vectors again as one byte per value: int8 `codes` and one `scale` per
    dimension, each value within half a scale step of its code times the scale.

    What a search reads first. Widening a million float16 vectors to float32 took 2 s of a
    search; int8 codes widen about four times faster, and the error they leave has a bound
    (`scores`), so the search scores exactly only the paragraphs that bound leaves in doubt."""

    codes: np.ndarray  # (paragraphs, dimensions) int8
    scales: np.ndarray  # (dimensions,) float32, >= 0

    @classmethod
    def of(cls, vectors: np.ndarray) -> VectorCodes:
        """The codes of `vectors` (any float type; read a block of rows at a time)."""
        largest = np.zeros(vectors.shape[1], dtype=np.float32)
        for start in range(0, len(vectors), _CODED_ROWS):
            block = np.abs(np.asarray(vectors[start : start + _CODED_ROWS], dtype=np.float32))
            largest = np.maximum(largest, block.max(axis=0, initial=0.0))
        scales = (largest / 127).astype(np.float32)
        divisor = np.where(scales > 0, scales, 1).astype(np.float32)
        codes = np.empty(vectors.shape, dtype=np.int8)
        for start in range(0, len(vectors), _CODED_ROWS):
            block = np.asarray(vectors[start : start + _CODED_ROWS], dtype=np.float32)
            codes[start : start + _CODED_ROWS] = np.clip(np.rint(block / divisor), -127, 127)
        return cls(codes, scales)

    def matches(self, vectors: np.ndarray) -> bool:
        """Whether these codes can stand for `vectors`: one int8 row per vector, one finite,
        non-negative scale per dimension (a build folder's files are checked before use)."""
        codes, scales = self.codes, self.scales
        return (
            codes.dtype == np.int8
            and codes.shape == vectors.shape
            and scales.dtype == np.float32
            and scales.shape == (vectors.shape[1],)
            and bool(np.isfinite(scales).all() and (scales >= 0).all())
        )

    def scores(self, query: np.ndarray) -> tuple[np.ndarray, float]:
        """Each row's dot product with `query` from its codes (float32), and a bound on how far
        any of them is from the product with the vector itself: half a scale step per value,
        weighted by the query, plus float rounding."""
        query = np.asarray(query, dtype=np.float32).ravel()
        scaled = query * self.scales
        out = np.empty(len(self.codes), dtype=np.float32)
        for start in range(0, len(self.codes), _CODED_ROWS):
            out[start : start + _CODED_ROWS] = np.asarray(self.codes[start : start + _CODED_ROWS], dtype=np.float32) @ scaled
        bound = 0.5 * float(np.abs(scaled.astype(np.float64)).sum()) + _ROUNDING_SLACK
        return out, bound


@dataclass
class Analysis:
    """A finished build: its tables, the paragraphs' vectors, and how it was made.

    `vector_codes` (a build folder's, when it has them) stands for the vectors in a search's
    first reading; an analysis with other vectors must not keep them."""

    paragraphs: pd.DataFrame
    themes: pd.DataFrame
    documents: pd.DataFrame
    articles: pd.DataFrame
    duplicates: pd.DataFrame
    removed: pd.DataFrame
    skipped: pd.DataFrame
    embeddings: np.ndarray
    texts: dict[str, str]
    provenance: Provenance = field(default_factory=Provenance)
    figures: pd.DataFrame = field(default_factory=lambda: empty_table("figures"))
    sources: pd.DataFrame = field(default_factory=lambda: empty_table("sources"))
    citations: pd.DataFrame = field(default_factory=lambda: empty_table("citations"))
    theme_changes: pd.DataFrame = field(default_factory=lambda: empty_table("theme_changes"))
    vector_codes: VectorCodes | None = None

    @property
    def other_share(self) -> float:
        return float(self.provenance.other_share)

    @property
    def corpus_hash(self) -> str:
        return self.provenance.corpus_hash
