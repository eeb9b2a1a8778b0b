"""The aid-imbalance chart: flows both ways between two parties, with their bounds, one panel per
unit."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..tables import format_amount
from ._style import inert, nothing_to_draw

_DIRECTION_COLOURS = ("#0072B2", "#D55E00")
_OTHER_FIGURE_COLOUR = "#8C8C8C"
_BOUND_PATTERN = {"upper bound": "/", "lower bound": "\\", "range": ".", "approximately": "", "exact": ""}
# Heights in pixels: a bar's row, a panel's own margin, the gap between panels (the next panel's
# title and this one's tick labels), and the chart's title with its subtitle above.
_BAR_PX, _PANEL_PX, _GAP_PX, _TOP_PX, _BOTTOM_PX = 46, 24, 78, 110, 50
# The subtitle states the ratio of each pair, one a line, for the first pairs charted: on one
# line, a large corpus's ratios ran off the chart's edge, on screen and in exports. The page lists
# them all, and the chart's data has each figure's.
SUBTITLE_RATIOS, _SUBTITLE_LINE_PX = 4, 16
# Room right of the longest bar for its label ("≈ 9.8 bn USD").
_LABEL_ROOM = 1.45
_TICKS = 5
# Of the other figures, a chart draws the units with most figures, and the first figures of each:
# a large corpus has tens of thousands (budgets, counts, percentages), and a chart of them all
# was megabytes no one reads. The figures table has them all.
CHARTED_OTHER_UNITS, CHARTED_OTHER_FIGURES = 6, 12
# Of the flows, a panel draws the pairs first mentioned, whole (both directions side by side),
# up to this many bars: a million paragraphs stated 1,134 flow figures, a chart 50,000 pixels
# tall that the browser took seconds to draw. A figure repeated (the same flow and figure, as a
# wire story reprinted by several outlets) is one bar, its sources and count in the hover.
CHARTED_FLOW_FIGURES = 30


@inert
def aid_balance_chart(balance: pd.DataFrame, title: str = "Aid imbalance") -> go.Figure:
    """The figures of `flow_balance`, one panel per unit: money per currency ("Flows in USD",
    "Flows in EUR") and each counted thing ("Flows of troops") on its own axis, so that no two
    units share one; other figures, when the table has them, in panels of their own, in grey:
    those `charted_figures` picks (a few units, a dozen figures each), each panel's title saying
    how many it has in all when it draws fewer.

    An upper bound is drawn hatched with "<" before its label, a lower bound with ">", an
    approximation with "≈", a range dotted from its low end to its high end; axes
    are written as an analyst writes amounts ("2 bn", "8,000"), the unit in the panel's title.
    Each figure's sentence and source are in its hover. The ratios of the two directions are the
    subtitle, one a line (the first SUBTITLE_RATIOS pairs). Sources that disagree each keep their
    bar, named by their source.
    """
    if balance.empty:
        return nothing_to_draw(title, "No flows between states found")
    rows = charted_figures(balance)
    # Several figures for one direction (sources that disagree): each bar named by its source.
    duplicated = rows.duplicated(["panel", "shown_as"], keep=False) & rows["flow"]
    said_by = " · " + rows["source"].where(rows["source"] != "", "source not stated")
    rows = rows.assign(y=rows["shown_as"] + said_by.where(duplicated, ""))
    # One source with two figures for one direction, or two figures of one sentence: numbered, so
    # no bar hides another.
    repeat = rows.groupby(["panel", "y"], sort=False).cumcount()
    rows["y"] = rows["y"] + repeat.map(lambda n: f" ({n + 1})" if n else "")
    # Hover fields made once for every bar (per panel, the same few string operations cost a
    # tenth of a second on every edit of a figure at a million paragraphs).
    rows = rows.reset_index(drop=True)
    hover = _hover_fields(rows)
    # Panels in the order charted_figures gives them.
    parts = dict(tuple(rows.groupby("panel", sort=False)))
    panels, shown = list(parts), list(parts.values())
    titles = [
        f"{panel} (the first {len(part)} of {part['panel_figures'].iloc[0]:,})"
        if part["panel_figures"].iloc[0] > len(part)
        else panel
        for panel, part in parts.items()
    ]
    heights = [_BAR_PX * len(part) + _PANEL_PX for part in shown]
    plot_px = sum(heights) + _GAP_PX * (len(panels) - 1)
    # The panels are laid out here rather than by make_subplots, and the figure made from plain
    # data in one call: plotly's object model checks every property as it is set, which cost
    # most of a second for a dozen panels on every edit of a figure.
    traces, layout, annotations, top_px = [], {}, [], 0
    for number, (part, title_text, height) in enumerate(zip(shown, titles, heights, strict=True), start=1):
        suffix = "" if number == 1 else str(number)  # one column: row n's axes are xaxis<n>, yaxis<n>
        top = 1 - top_px / plot_px
        bottom = max(0.0, top - height / plot_px)
        top_px += height + _GAP_PX
        traces.append(_bars(part, hover[part.index.to_numpy()], f"x{suffix}", f"y{suffix}"))
        high = float(pd.concat([part["value"], part["high"].where(part["bound"] == "range")]).max())
        high = high if math.isfinite(high) and high > 0 else 1.0
        values, texts = _ticks(high * _LABEL_ROOM)
        layout[f"xaxis{suffix}"] = {
            "anchor": f"y{suffix}", "domain": [0, 1], "range": [0, high * _LABEL_ROOM],
            "tickvals": values, "ticktext": texts,
            "showgrid": True, "gridcolor": "#E5E5E5", "zeroline": True, "zerolinecolor": "#BBBBBB",
        }  # fmt: skip
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "domain": [bottom, top], "autorange": "reversed"}
        annotations.append(
            {
                "text": title_text,
                "x": 0,
                "y": top,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13},
            }
        )
    statements = [s for s in dict.fromkeys(rows["balance"]) if s]
    if len(statements) > SUBTITLE_RATIOS:
        more = len(statements) - SUBTITLE_RATIOS
        statements = [*statements[:SUBTITLE_RATIOS], f"and {more:,} more {'pair' if more == 1 else 'pairs'} (in the chart's data)"]
    top_px = _TOP_PX + _SUBTITLE_LINE_PX * max(len(statements) - 1, 0)
    layout.update(
        title={"text": title, "subtitle": {"text": "\n".join(statements)}},
        annotations=annotations,
        bargap=0.35,
        height=top_px + plot_px + _BOTTOM_PX,
        margin={"l": 10, "r": 30, "t": top_px, "b": _BOTTOM_PX},
        showlegend=False,
        meta={"pairs": list(dict.fromkeys(rows.loc[rows["flow"], "pair"])), "panels": panels},
    )
    return go.Figure(data=traces, layout=layout)


def charted_figures(balance: pd.DataFrame) -> pd.DataFrame:
    """The rows of `flow_balance` an aid chart draws, panel by panel: the flows (money before
    counted things), each panel's pairs in order of first mention with both directions together,
    as many whole pairs as fit in CHARTED_FLOW_FIGURES bars (at least one); then the other
    figures of the CHARTED_OTHER_UNITS panels with most figures, the first CHARTED_OTHER_FIGURES
    of each; panels in order of first mention. A figure stated again (same panel, direction
    and figure) is drawn once, its `source` naming the first source and how many others gave it
    too. Adds `stated`, how many rows of `balance` a drawn row stands for, and `panel_figures`,
    the distinct figures of its panel (more than it draws when cut)."""
    if balance.empty:
        return balance.assign(stated=pd.Series(dtype="int64"), panel_figures=pd.Series(dtype="int64"))
    rows = _repeats_once(balance.reset_index(drop=True))
    # Per panel, at once (a frame per panel took a third of a second for 500 units): its figures,
    # whether it holds flows (a panel holds one or the other), and its place of first mention.
    panel = rows.groupby("panel", sort=False)
    counts, flows = panel.size(), panel["flow"].first()
    others = counts[~flows.astype(bool)]
    kept = others.sort_values(ascending=False, kind="stable").index[:CHARTED_OTHER_UNITS]
    ordered = [p for p in counts.index if flows[p] and p.startswith("Flows in")]
    ordered += [p for p in counts.index if flows[p] and not p.startswith("Flows in")]
    ordered += [p for p in others.index if p in set(kept)]
    place = pd.Series(range(len(ordered)), index=ordered)
    # Within a flow panel, a pair's figures together, pairs in order of first mention; a pair
    # is drawn when the bars before it and its own fit (the first pair always).
    pair_place = rows.groupby(["panel", "pair"], sort=False).ngroup()
    first_of_pair = pair_place.groupby(rows["panel"]).transform(lambda p: pd.factorize(p)[0])
    rows = rows.assign(_at=rows["panel"].map(place), _pair=first_of_pair)
    rows = rows.sort_values(["_at", "_pair"], kind="stable", na_position="last")
    pair_size = rows.groupby(["panel", "_pair"], sort=False)["panel"].transform("size")
    pair_end = pair_size.where(~rows.duplicated(["panel", "_pair"]), 0).groupby(rows["panel"]).cumsum()
    fits = rows["flow"].astype(bool) & ((pair_end <= CHARTED_FLOW_FIGURES) | (rows["_pair"] == 0))
    others_fit = ~rows["flow"].astype(bool) & (rows.groupby("panel", sort=False).cumcount() < CHARTED_OTHER_FIGURES)
    charted = rows[rows["_at"].notna() & (fits | others_fit)].drop(columns=["_at", "_pair"])
    return charted.reset_index(drop=True).assign(panel_figures=charted["panel"].map(counts).astype("int64").to_numpy())


def _repeats_once(rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` with each figure stated again (same panel, direction and figure as written) kept
    once, in order of first mention: `stated` says how many rows it stands for, and its `source`
    is the first source named, with how many others gave the same figure ("Reuters and 16 other
    sources"). Sources agreeing on a figure are one bar; sources that differ keep theirs."""
    same = ["panel", "shown_as", "label"]
    group = rows.groupby(same, sort=False, dropna=False).ngroup()
    named = rows["source"].fillna("").astype(str)
    named = named.where(named != "")
    first = named.groupby(group).transform("first").fillna("")
    others = named.groupby(group).transform("nunique").fillna(0).astype("int64") - 1
    more = others.map(lambda n: f" and {n:,} other source{'s' if n > 1 else ''}" if n > 0 else "")
    rows = rows.assign(stated=group.map(group.value_counts()).astype("int64"), source=first + more)
    return rows[~group.duplicated()].reset_index(drop=True)


def _hover_fields(rows: pd.DataFrame) -> np.ndarray:
    """Each figure's hover fields, in the order the bars' hover template names them: sentence,
    source, bound, what, status, and how many times it is stated."""

    def said(column: str, missing: str) -> pd.Series:
        values = rows[column].fillna("").astype(str) if column in rows else pd.Series("", index=rows.index)
        return values.where(values != "", missing)

    return pd.concat(
        [
            said("sentence", ""),
            said("source", "not stated"),
            said("bound", ""),
            said("what", ""),
            said("status", "not said"),
            (" · stated " + rows["stated"].astype(str) + " times").where(rows["stated"] > 1, "")
            if "stated" in rows
            else pd.Series("", index=rows.index),
        ],
        axis=1,
    ).to_numpy()


def _bars(rows: pd.DataFrame, hover: np.ndarray, xaxis: str, yaxis: str) -> dict:
    """One panel's figures as one trace: a bar each, coloured by direction (grey for other
    figures), patterned by bound, with its label beside it and its sentence (`hover`, one row
    of `_hover_fields` per figure) in its hover."""
    # The two directions of a pair take the two colours, the same on every panel.
    colours = [
        _DIRECTION_COLOURS[0 if str(giver) <= str(receiver) else 1] if flow else _OTHER_FIGURE_COLOUR
        for flow, giver, receiver in zip(rows["flow"], rows["giver"], rows["receiver"], strict=True)
    ]
    # A range ("between 3 and 5 billion") is drawn as what it says: a bar from one end to the other.
    spans = (rows["bound"] == "range") & np.isfinite(rows["low"]) & np.isfinite(rows["high"])
    return {
        "type": "bar",
        "xaxis": xaxis,
        "yaxis": yaxis,
        # Plain lists: a numpy array reaches the browser as an encoded typed array, which the
        # chart's readers (tests, a page's script) do not see as numbers.
        "x": np.where(spans, rows["high"] - rows["low"], rows["value"]).tolist(),
        "base": np.where(spans, rows["low"], 0.0).tolist(),
        "y": rows["y"].tolist(),
        "orientation": "h",
        "marker": {
            "color": colours,
            "pattern": {"shape": [_BOUND_PATTERN.get(b, "") for b in rows["bound"]]},
        },
        "text": rows["label"].tolist(),
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": hover,
        "hovertemplate": "<b>%{y}</b>: %{text} (%{customdata[2]}; %{customdata[4]})<br>what: %{customdata[3]}"
        "<br>source: %{customdata[1]}%{customdata[5]}<br>%{customdata[0]}<extra></extra>",
    }


def _ticks(top: float) -> tuple[list[float], list[str]]:
    """About _TICKS round ticks from 0 to `top`, written as amounts: 0, 2 bn, 4 bn, ..."""
    raw = top / _TICKS
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if top >= 1:
        step = max(step, 1.0)  # one tank, two tanks: no tick between whole numbers
    values = [i * step for i in range(int(top // step) + 1)]
    return values, [format_amount(v) for v in values]
