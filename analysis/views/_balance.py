"""The aid imbalance: flows between pairs of states, both directions, and the ratio with its bound.

A flow's figure may be a point ("approximately 9.8 billion"), an upper bound ("below 1.2
billion") or a lower bound ("at least 3 million"). The ratio of two directions inherits the
bounds: approximately 9.8 against below 1.2 is *at least* 8.2 to 1.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["flow_balance", "flow_value", "format_amount"]

_UPPER = {"less than", "at most", "up to", "below"}
_LOWER = {"more than", "at least", "over", "above"}


def flow_value(row) -> tuple[float, str]:
    """The number to draw for a figure and what it is: "upper bound", "lower bound",
    "approximately", "range" or "exact"."""
    qualifier = str(row.get("qualifier", "") or "")
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


def format_amount(value: float, unit: str) -> str:
    """9.8e9, "USD" -> "9.8 bn USD"; 500000, "shells" -> "500,000 shells"."""
    if math.isnan(value):
        return f"? {unit}".strip()
    for size, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if abs(value) >= size:
            return f"{value / size:,.4g} {word} {unit}".strip()
    return f"{value:,.0f} {unit}".strip()


def flow_balance(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per flow figure, with its pair, direction, the value to draw and its bound, and,
    per pair and unit, the ratio of the two directions with the bound it carries.

    Columns: pair, giver, receiver, unit, value, bound, label, source, sentence, pid, ratio,
    ratio_bound, balance. Several figures for the same direction (sources that disagree) each
    keep their own row; the ratio then uses the first figure of each direction and says so.
    """
    columns = [
        "pair", "giver", "receiver", "unit", "value", "bound", "label", "qualifier", "what", "source",
        "sentence", "pid", "ratio", "ratio_bound", "balance",
    ]  # fmt: skip
    # Rows an analyst adds in the dashboard's editor arrive with empty cells as NaN.
    figures = figures.fillna({"giver": "", "receiver": "", "kind": "", "unit": "", "source": "", "what": ""})
    flows = figures[(figures["kind"] == "flow") & (figures["giver"] != "") & (figures["receiver"] != "")]
    if flows.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for _, figure in flows.iterrows():
        value, bound = flow_value(figure)
        pair = " – ".join(sorted([figure["giver"], figure["receiver"]]))
        marker = {"upper bound": "< ", "lower bound": "> ", "approximately": "≈ "}.get(bound, "")
        rows.append(
            {
                "pair": pair,
                "giver": figure["giver"],
                "receiver": figure["receiver"],
                "unit": figure["unit"],
                "value": value,
                "bound": bound,
                "label": marker + format_amount(value, figure["unit"]),
                "qualifier": figure["qualifier"],
                "what": figure.get("what", ""),
                "source": figure.get("source", ""),
                "sentence": figure["sentence"],
                "pid": figure.get("pid", ""),
            }
        )
    table = pd.DataFrame(rows)
    table["ratio"], table["ratio_bound"], table["balance"] = np.nan, "", ""
    for (_pair, _unit), group in table.groupby(["pair", "unit"], sort=False):
        directions = list(dict.fromkeys(zip(group["giver"], group["receiver"], strict=True)))
        if len(directions) != 2:
            continue
        first = [group[(group["giver"] == g) & (group["receiver"] == r)].iloc[0] for g, r in directions]
        big, small = sorted(first, key=lambda row: -row["value"])
        if not small["value"] or math.isnan(small["value"]) or math.isnan(big["value"]):
            continue
        ratio = big["value"] / small["value"]
        bound = _ratio_bound(big["bound"], small["bound"])
        words = {"at least": "at least ", "at most": "at most ", "approximately": "about ", "": ""}
        several = " (first figure of each direction; sources disagree)" if len(group) > 2 else ""
        verdict = (
            "the ratio cannot be bounded" if bound == "undetermined" else f"{words[bound]}{ratio:.1f} to 1"
        )
        text = (
            f"{big['giver']} → {big['receiver']} {big['label']} against {small['giver']} → "
            f"{small['receiver']} {small['label']}: {verdict}{several}"
        )
        table.loc[group.index, ["ratio", "ratio_bound", "balance"]] = [round(ratio, 2), bound, text]
    return table[columns]


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
