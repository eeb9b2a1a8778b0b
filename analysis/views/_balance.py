"""The aid imbalance: flows between pairs of states, both directions, and the ratio with its bound.

A flow's figure may be a point ("approximately 9.8 billion"), an upper bound ("below 1.2
billion") or a lower bound ("at least 3 million"). The ratio of two directions inherits the
bounds: approximately 9.8 against below 1.2 is *at least* 8.1 to 1 (8.17, rounded down: a bound
rounded the other way would claim more than the text says).

Amounts are only ever compared within one unit: each unit (a currency, or a counted thing such
as troops or shells) is its own panel, and figures that are not flows between two states are
kept apart, in panels of their own, and only when asked for.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from ..tables import format_amount, known_outlets
from ._wording import UNTOLD_LANGUAGE, counted, language_name

__all__ = [
    "BALANCE_COLUMNS",
    "DISAGREEMENT_COLUMNS",
    "disagreement_heading",
    "flow_balance",
    "flow_disagreements",
    "flow_value",
    "format_amount",
    "qualifier_bounds",
    "unread_languages_note",
]

# The qualifiers the extraction writes ("at most", "less than", ...) and the phrases an analyst
# may type in the editor or a link may carry ("up to", "below", ...).
_UPPER = frozenset({"less than", "at most", "up to", "below", "under"})
_LOWER = frozenset({"more than", "at least", "over", "above"})
_MARKERS = {"upper bound": "< ", "lower bound": "> ", "approximately": "≈ "}
# A currency is written as its ISO 4217 code (the extraction's units for money); every other
# unit is a counted thing (troops, shells) or a measure.
_CURRENCY = re.compile(r"[A-Z]{3}")
# Other figures' rows are named by their sentence, cut to this many characters.
_EXCERPT_CHARS = 32

BALANCE_COLUMNS = [
    "pair", "giver", "receiver", "unit", "value", "bound", "label", "qualifier", "what", "status", "source",
    "sentence", "pid", "ratio", "ratio_bound", "balance", "low", "high", "flow", "panel", "shown_as",
]  # fmt: skip
DISAGREEMENT_COLUMNS = [
    "flow", "giver", "receiver", "unit", "figure", "value", "bound", "source", "date", "outlet", "sentence",
    "doc", "pid",
]  # fmt: skip


def qualifier_bounds(amount: float, qualifier: str) -> tuple[float, float]:
    """(low, high) of one stated amount, as the extraction sets them: "at least 250" -> (250,
    NaN), "below 1.2bn" -> (NaN, 1.2e9), anything else (exact, approximately, or a range given
    by one number) -> (amount, amount)."""
    amount = _number(amount)
    qualifier = str(qualifier or "").strip().lower()
    if qualifier in _LOWER:
        return amount, math.nan
    if qualifier in _UPPER:
        return math.nan, amount
    return amount, amount


def flow_value(row) -> tuple[float, str]:
    """The number to draw for a figure and what it is: "upper bound", "lower bound",
    "approximately", "range" or "exact"."""
    qualifier = str(row.get("qualifier", "") or "").strip().lower()
    low, high, amount = (_number(row.get(k)) for k in ("low", "high", "amount"))
    # The stated amount first: it is the number an analyst corrects in the editor; the bound
    # columns only stand in when a row gives no amount.
    if qualifier in _UPPER:
        return (amount if not math.isnan(amount) else high), "upper bound"
    if qualifier in _LOWER:
        return (amount if not math.isnan(amount) else low), "lower bound"
    if qualifier == "between":
        return amount, "range"
    if qualifier == "approximately":
        return amount, "approximately"
    return amount, "exact"


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _label(value: float, bound: str, unit: str, low: float, high: float) -> str:
    """ "≈ 9.8 bn USD", "< 1.2 bn USD", "3 m–5 m USD" (a range, by its ends)."""
    if bound == "range" and not math.isnan(low) and not math.isnan(high) and low != high:
        return f"{format_amount(low)}–{format_amount(high, unit)}"
    return _MARKERS.get(bound, "") + format_amount(value, unit)


def _panel(unit: str, flow: bool) -> str:
    """The panel a figure is drawn in: one per unit, flows apart from every other figure."""
    if not unit:
        return "Flows, no unit stated" if flow else "Other figures, no unit stated"
    if flow:
        return f"Flows in {unit}" if _CURRENCY.fullmatch(unit) else f"Flows of {unit}"
    return f"Other figures: {unit}"


def _excerpt(sentence: str) -> str:
    words = " ".join(str(sentence).split())
    if len(words) <= _EXCERPT_CHARS:
        return words or "(no sentence)"
    return words[:_EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"


# The columns of a figure that its balance row and its disagreement row read.
_READ = ("giver", "receiver", "unit", "kind", "qualifier", "what", "status", "source", "sentence", "pid", "doc")
_READ_NUMBERS = ("amount", "low", "high")


def _records(figures: pd.DataFrame) -> list[dict]:
    """The figures as dicts of the columns read, made column by column: a Series per row
    (iterrows), or pandas' own to_dict, took 5-8 s for the 77,000 other figures of a
    100,000-paragraph build."""
    columns = [c for c in (*_READ, *_READ_NUMBERS) if c in figures.columns]
    values = [figures[c].tolist() for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _is_flow(figures: pd.DataFrame) -> pd.Series:
    return (figures["kind"] == "flow") & (figures["giver"] != "") & (figures["receiver"] != "")


def _filled(figures: pd.DataFrame) -> pd.DataFrame:
    # Rows an analyst adds in the dashboard's editor arrive with empty cells as NaN.
    text = ("giver", "receiver", "kind", "unit", "source", "what", "qualifier", "status", "sentence", "pid", "doc")
    return figures.reindex(columns=list(dict.fromkeys([*figures.columns, *text]))).fillna(dict.fromkeys(text, ""))


def flow_balance(figures: pd.DataFrame, *, include_other: bool = False) -> pd.DataFrame:
    """One row per flow figure, with its pair, direction, the value to draw and its bound, and,
    per pair and unit, the ratio of the two directions with the bound it carries.

    Columns BALANCE_COLUMNS: pair, giver, receiver, unit, value, bound, label ("≈ 9.8 bn USD"),
    qualifier, what, status (delivered, pledged, ...), source, sentence, pid, ratio, ratio_bound, balance (the ratio as a
    sentence), low, high, flow (True), panel ("Flows in USD", "Flows of troops": one per
    unit) and shown_as ("North Korea → Russia"). Several figures for the same direction
    (sources that disagree) each keep their own row; the ratio then uses the first figure of
    each direction and says so.

    With `include_other`, every other figure with an amount follows (flow False, panel "Other
    figures: percent", shown_as its parties, what it counts or the start of its sentence, and no
    ratio): never in a flow's panel, and never in a ratio.
    """
    figures = _filled(figures)
    flows = figures[_is_flow(figures)]
    rows = [_balance_row(figure, flow=True) for figure in _records(flows)]
    if include_other:
        others = figures[~_is_flow(figures)]
        rows += [
            row for row in (_balance_row(figure, flow=False) for figure in _records(others))
            if not math.isnan(row["value"])
        ]  # fmt: skip
    if not rows:
        return pd.DataFrame(columns=BALANCE_COLUMNS)
    table = pd.DataFrame(rows)
    table["ratio"], table["ratio_bound"], table["balance"] = np.nan, "", ""
    directed = table[table["flow"]]
    for (_pair, _unit), group in directed.groupby(["pair", "unit"], sort=False):
        directions = list(dict.fromkeys(zip(group["giver"], group["receiver"], strict=True)))
        if len(directions) != 2:
            continue
        sides = [group[(group["giver"] == g) & (group["receiver"] == r)] for g, r in directions]
        big, small = sorted((side.iloc[0] for side in sides), key=lambda row: -row["value"])
        if not small["value"] or math.isnan(small["value"]) or math.isnan(big["value"]):
            continue
        ratio = big["value"] / small["value"]
        bound = _ratio_bound(big["bound"], small["bound"])
        words = {"at least": "at least ", "at most": "at most ", "approximately": "about ", "": ""}
        # Only figures that differ make a disagreement: two sources repeating one figure agree.
        disagree = any(side["label"].nunique() > 1 for side in sides)
        several = " (first figure of each direction; sources disagree)" if disagree else ""
        verdict = (
            "the ratio cannot be bounded" if bound == "undetermined" else f"{words[bound]}{_shown_ratio(ratio, bound)} to 1"
        )
        text = (
            f"{big['giver']} → {big['receiver']} {big['label']} against {small['giver']} → "
            f"{small['receiver']} {small['label']}: {verdict}{several}"
        )
        table.loc[group.index, ["ratio", "ratio_bound", "balance"]] = [round(ratio, 2), bound, text]
    return table[BALANCE_COLUMNS]


def _balance_row(figure: dict, *, flow: bool) -> dict:
    value, bound = flow_value(figure)
    low, high = _number(figure.get("low")), _number(figure.get("high"))
    giver, receiver, unit = str(figure["giver"]), str(figure["receiver"]), str(figure["unit"])
    if flow:
        shown_as = f"{giver} → {receiver}"
    elif giver or receiver:
        shown_as = f"{giver or '?'} → {receiver or '?'}"
    else:
        shown_as = str(figure["what"]) or _excerpt(figure["sentence"])
    return {
        "pair": " – ".join(sorted([giver, receiver])) if flow else "",
        "giver": giver,
        "receiver": receiver,
        "unit": unit,
        "value": value,
        "bound": bound,
        "label": _label(value, bound, unit, low, high),
        "qualifier": figure["qualifier"],
        "what": figure["what"],
        "status": figure["status"],
        "source": figure["source"],
        "sentence": figure["sentence"],
        "pid": figure["pid"],
        "low": low,
        "high": high,
        "flow": flow,
        "panel": _panel(unit, flow),
        "shown_as": shown_as,
    }


def _shown_ratio(ratio: float, bound: str) -> str:
    """The ratio to one decimal, a bound rounded towards what the text allows: a lower bound of
    8.17 is "at least 8.1" (8.2 would claim more than the figures do), an upper bound of 3.42 "at
    most 3.5". A ratio that is exact to six decimals is not moved (4.0 stays 4.0). Thousands are
    separated as every count is ("1,230.8")."""
    tenths = round(ratio * 10, 6)
    if bound == "at least":
        tenths = math.floor(tenths)
    elif bound == "at most":
        tenths = math.ceil(tenths)
    return f"{tenths / 10:,.1f}"


def _ratio_bound(big: str, small: str) -> str:
    """The bound of big/small: dividing by an upper bound gives a lower bound, and so on."""
    grows = big == "lower bound" or small == "upper bound"  # the true ratio can only be larger
    shrinks = big == "upper bound" or small == "lower bound"
    if grows and not shrinks:
        return "at least"
    if shrinks and not grows:
        return "at most"
    if grows and shrinks:
        return "undetermined"  # bounds pulling both ways: the ratio could be anything
    if "approximately" in (big, small) or "range" in (big, small):
        return "approximately"
    return ""


def flow_disagreements(figures: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Flows for which the sources give different figures: the same giver, receiver and unit
    stated with different amounts or bounds ("8,000 troops" and "10,000 troops" from North Korea
    to Russia; "≈ 9.8 bn USD" and "< 10 bn USD"). Every figure of such a flow is listed, never
    averaged: DISAGREEMENT_COLUMNS, that is flow ("North Korea → Russia"), giver, receiver,
    unit, figure (as written: "8,000 troops"), value, bound, source (who the text attributes it
    to, "" when nobody), date and outlet (of its document, from `documents`), sentence, doc and
    pid. Flows in order of first mention; within one, dated figures first, oldest first.
    Figures every source agrees on are not listed."""
    figures = _filled(figures)
    flows = figures[_is_flow(figures)]
    if flows.empty:
        return pd.DataFrame(columns=DISAGREEMENT_COLUMNS)
    docs = [str(doc) or str(pid).split("|")[0] for doc, pid in zip(flows["doc"], flows["pid"], strict=True)]
    # Only the documents the flows come from: a build may list a million documents.
    if documents is not None and "doc" in documents:
        documents = documents[documents["doc"].isin(set(docs))]
    dates, outlets = _document_details(documents)
    rows = []
    for doc, figure in zip(docs, _records(flows), strict=True):
        value, bound = flow_value(figure)
        rows.append(
            {
                "flow": f"{figure['giver']} → {figure['receiver']}",
                "giver": figure["giver"],
                "receiver": figure["receiver"],
                "unit": figure["unit"],
                "figure": _label(value, bound, figure["unit"], _number(figure.get("low")), _number(figure.get("high"))),
                "value": value,
                "bound": bound,
                "source": figure["source"],
                "date": dates.get(doc, ""),
                "outlet": outlets.get(doc, ""),
                "sentence": figure["sentence"],
                "doc": doc,
                "pid": figure["pid"],
            }
        )
    table = pd.DataFrame(rows)
    table["_flow"] = table.groupby(["giver", "receiver", "unit"], sort=False).ngroup()
    differing = table.groupby("_flow")["figure"].transform("nunique") > 1
    table = table[differing].assign(_undated=lambda t: t["date"] == "")
    table = table.sort_values(["_flow", "_undated", "date"], kind="stable")
    return table[DISAGREEMENT_COLUMNS].reset_index(drop=True)


def disagreement_heading(figures: pd.DataFrame) -> str:
    """The line above one flow's disagreeing figures (rows of `flow_disagreements` for one flow
    and unit): "North Korea → Russia, troops: 2 different figures from 2 sources"."""
    first = figures.iloc[0]
    sources = counted(figures["source"].replace("", "not stated").nunique(), "source")
    distinct = figures["figure"].nunique()
    count = f"{distinct} different figures" if distinct == len(figures) else f"{len(figures)} figures, {distinct} different,"
    return f"{first['flow']}, {first['unit'] or 'no unit stated'}: {count} from {sources}"


def _document_details(documents: pd.DataFrame | None) -> tuple[dict[str, str], dict[str, str]]:
    """doc -> date and doc -> outlet; an outlet taken only from the file's name is no outlet."""
    if documents is None or documents.empty or "doc" not in documents:
        return {}, {}
    docs = documents["doc"].astype(str)
    outlet = known_outlets(documents)
    return dict(zip(docs, _text_column(documents, "date"), strict=True)), dict(zip(docs, outlet, strict=True))


def _text_column(table: pd.DataFrame, name: str) -> pd.Series:
    if name not in table:
        return pd.Series("", index=table.index)
    return table[name].fillna("").astype(str)


def unread_languages_note(paragraphs: pd.DataFrame) -> str:
    """What the figures leave out: the paragraphs in other languages than English, which the
    rules that read figures and sources (English phrasing) do not read, by language. Empty when
    every paragraph is in English."""
    if "lang" not in paragraphs:  # a table made without languages (a minimal one, in code)
        return ""
    other = paragraphs.loc[paragraphs["lang"] != "en", "lang"].value_counts()
    if other.empty:
        return ""
    # A paragraph whose language was not told is not "in another language" (a line of symbols,
    # a number, a widget's few words): it is counted apart, not named "unknown" among languages.
    untold_rows = other.index.isin(UNTOLD_LANGUAGE)
    untold, named = int(other[untold_rows].sum()), other[~untold_rows]
    parts = []
    if len(named):
        languages = ", ".join(f"{language_name(code)} {count:,}" for code, count in named.items())
        parts.append(f"{counted(int(named.sum()), 'paragraph')} in other languages ({languages})")
    if untold:
        parts.append(f"{counted(untold, 'paragraph')} whose language could not be told")
    verb = "was" if int(other.sum()) == 1 else "were"
    return f"Figures and cited sources are read from English text only: {' and '.join(parts)} {verb} not read for them."

