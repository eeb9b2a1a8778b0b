"""The view's state in the URL, so that a copied link reopens the same view.

Parsing is pure (a mapping of parameter -> list of values in, a `ViewState` and notices out) and
never raises: an unknown or malformed parameter is dropped with a short notice. A URL never names
a file-system path: the corpus is "sample" or the *name* of a prebuilt analysis.

| parameter | meaning | example |
|---|---|---|
| corpus | `sample` or `build:<name>` of a prebuilt analysis | `corpus=build:korea-2025` |
| theme | selected theme id on the Themes page | `theme=2` |
| pid | paragraph opened in context | `pid=a.txt|4|3` |
| q | semantic search query | `q=arms+transfers` |
| ftheme, outlet | Explore filters (repeatable) | `outlet=Taipei+Times` |
| from, to | date range (YYYY-MM-DD) | `from=2024-01-01` |
| rename | `<theme id>:<new name>` (repeatable) | `rename=3:Trade+war` |
| merge | `<id>,<id>[,...]` (repeatable) | `merge=3,5` |
| figs | the analyst's figure corrections, as `FigureEdits.to_json()` | `figs={"c":"…","d":[2]}` |
| chart | the chart shown where a page offers several (its first when absent) | `chart=time` |
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from analysis import FigureEdits

__all__ = ["KNOWN_PARAMS", "ViewState", "parse_view_state"]

KNOWN_PARAMS = ("corpus", "theme", "pid", "q", "ftheme", "outlet", "from", "to", "rename", "merge", "figs", "chart")
_CHART = re.compile(r"^[a-z]{1,20}$")
_BUILD_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$")
_MAX_QUERY = 500
_MAX_FIGURE_EDITS = 100_000  # characters; longer is cut, and then fails to parse


@dataclass
class ViewState:
    corpus: str = "sample"
    theme: int | None = None
    pid: str = ""
    query: str = ""
    filter_themes: list[int] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    renames: dict[int, str] = field(default_factory=dict)
    merges: list[tuple[int, ...]] = field(default_factory=list)
    figure_edits: FigureEdits | None = None
    chart: str = ""

    def to_params(self) -> dict[str, str | list[str]]:
        """Query parameters for st.query_params (defaults left out, so links stay short)."""
        params: dict[str, str | list[str]] = {}
        if self.corpus != "sample":
            params["corpus"] = self.corpus
        if self.theme is not None:
            params["theme"] = str(self.theme)
        if self.pid:
            params["pid"] = self.pid
        if self.query:
            params["q"] = self.query
        if self.filter_themes:
            params["ftheme"] = [str(t) for t in self.filter_themes]
        if self.outlets:
            params["outlet"] = list(self.outlets)
        if self.date_from:
            params["from"] = self.date_from.isoformat()
        if self.date_to:
            params["to"] = self.date_to.isoformat()
        if self.renames:
            params["rename"] = [f"{k}:{v}" for k, v in sorted(self.renames.items())]
        if self.merges:
            params["merge"] = [",".join(map(str, group)) for group in self.merges]
        if self.figure_edits:
            params["figs"] = self.figure_edits.to_json()
        if self.chart:
            params["chart"] = self.chart
        return params


def _int(value: str) -> int | None:
    return int(value) if re.fullmatch(r"-?\d{1,6}", value.strip()) else None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def parse_view_state(params: Mapping[str, Sequence[str]]) -> tuple[ViewState, list[str]]:
    """The view a URL asks for, and one notice per parameter that had to be ignored."""
    state = ViewState()
    notices: list[str] = []

    def first(name: str) -> str | None:
        values = params.get(name) or []
        return values[0] if values else None

    unknown = sorted(set(params) - set(KNOWN_PARAMS))
    if unknown:
        notices.append(f"Ignored unknown link parameters: {', '.join(unknown)}.")

    corpus = first("corpus")
    if corpus is not None:
        name = corpus.removeprefix("build:")
        if corpus == "sample" or (corpus.startswith("build:") and _BUILD_NAME.match(name)):
            state.corpus = corpus
        else:
            notices.append("The link names a corpus that cannot be opened; showing the sample.")
    theme = first("theme")
    if theme is not None:
        state.theme = _int(theme)
        if state.theme is None:
            notices.append("The link's theme is not a theme number; no theme is selected.")
    state.pid = (first("pid") or "")[:300]
    query = first("q") or ""
    if len(query) > _MAX_QUERY:
        notices.append(f"The search query was cut to {_MAX_QUERY} characters.")
    state.query = query[:_MAX_QUERY]
    for value in params.get("ftheme", []):
        parsed = _int(value)
        if parsed is None:
            notices.append(f"Ignored theme filter {value[:40]!r}.")
        else:
            state.filter_themes.append(parsed)
    state.outlets = [value[:200] for value in params.get("outlet", []) if value.strip()]
    for name in ("from", "to"):
        value = first(name)
        if value is None:
            continue
        parsed = _date(value)
        if parsed is None:
            notices.append(f"Ignored the date {value[:40]!r}: dates are written YYYY-MM-DD.")
        setattr(state, "date_from" if name == "from" else "date_to", parsed)
    if state.date_from and state.date_to and state.date_from > state.date_to:
        notices.append("The link's date range was reversed; it has been swapped.")
        state.date_from, state.date_to = state.date_to, state.date_from
    for value in params.get("rename", []):
        theme_id, _, name = value.partition(":")
        parsed = _int(theme_id)
        if parsed is None or not name.strip():
            notices.append(f"Ignored the rename {value[:40]!r}: it is written <theme>:<name>.")
        else:
            state.renames[parsed] = name.strip()[:80]
    for value in params.get("merge", []):
        ids = [_int(part) for part in value.split(",")]
        if len(ids) < 2 or any(i is None for i in ids):
            notices.append(f"Ignored the merge {value[:40]!r}: it is written <theme>,<theme>.")
        else:
            state.merges.append(tuple(sorted(set(ids))))
    figs = first("figs")
    if figs is not None:
        try:
            state.figure_edits = FigureEdits.from_json(figs[:_MAX_FIGURE_EDITS])
        except ValueError as error:
            notices.append(f"Ignored the figure corrections: {error}.")
    chart = first("chart")
    if chart is not None:
        # Which charts exist is the page's to say: one it does not offer shows its first.
        if _CHART.match(chart):
            state.chart = chart
        else:
            notices.append(f"Ignored the chart {chart[:40]!r}: charts are named by a word.")
    return state, notices
