"""The aid-imbalance chart: flows both ways between two parties, with their bounds, one panel per
unit."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..tables import format_amount
from ._style import inert

_DIRECTION_COLOURS = ("#0072B2", "#D55E00")
_OTHER_FIGURE_COLOUR = "#8C8C8C"
_BOUND_PATTERN = {"upper bound": "/", "lower bound": "\\", "range": ".", "approximately": "", "exact": ""}
# Heights in pixels: a bar's row, a panel's own margin, the gap between panels (the next panel's
# title and this one's tick labels), and the chart's title with its subtitle above.
_BAR_PX, _PANEL_PX, _GAP_PX, _TOP_PX, _BOTTOM_PX = 46, 24, 78, 110, 50
# Room right of the longest bar for its label ("≈ 9.8 bn USD").
_LABEL_ROOM = 1.45
_TICKS = 5


@inert
def aid_balance_chart(balance: pd.DataFrame, title: str = "Aid imbalance") -> go.Figure:
    """The figures of `flow_balance`, one panel per unit: money per currency ("Flows in USD",
    "Flows in EUR") and each counted thing ("Flows of troops") on its own axis, so that no two
    units share one; other figures, when the table has them, in panels of their own, in grey.

    An upper bound is drawn hatched with "<" before its label, a lower bound with ">", an
    approximation with "≈", a range dotted from its low end to its high end; axes
    are written as an analyst writes amounts ("2 bn", "8,000"), the unit in the panel's title.
    Each figure's sentence and source are in its hover. The ratios of the two directions are the
    subtitle. Sources that disagree each keep their bar, named by their source.
    """
    if balance.empty:
        figure = go.Figure()
        figure.update_layout(
            title=title, annotations=[{"text": "No flows between states found", "showarrow": False}]
        )
        return figure
    rows = balance.reset_index(drop=True)
    # Several figures for one direction (sources that disagree): each bar named by its source.
    duplicated = rows.duplicated(["panel", "shown_as"], keep=False) & rows["flow"]
    said_by = " · " + rows["source"].where(rows["source"] != "", "source not stated")
    rows = rows.assign(y=rows["shown_as"] + said_by.where(duplicated, ""))
    # One source with two figures for one direction, or two figures of one sentence: numbered, so
    # no bar hides another.
    repeat = rows.groupby(["panel", "y"], sort=False).cumcount()
    rows["y"] = rows["y"] + repeat.map(lambda n: f" ({n + 1})" if n else "")
    # Flows first (money before counted things), then other figures: each in order of first mention.
    panels = sorted(
        dict.fromkeys(rows["panel"]),
        key=lambda p: (not rows.loc[rows["panel"] == p, "flow"].iloc[0], not p.startswith("Flows in")),
    )
    bars = [int((rows["panel"] == panel).sum()) for panel in panels]
    heights = [_BAR_PX * n + _PANEL_PX for n in bars]
    plot_px = sum(heights) + _GAP_PX * (len(panels) - 1)
    figure = make_subplots(
        rows=len(panels),
        cols=1,
        subplot_titles=panels,
        row_heights=heights,
        vertical_spacing=_GAP_PX / plot_px if len(panels) > 1 else 0,
    )
    pairs = list(dict.fromkeys(rows.loc[rows["flow"], "pair"]))
    # Traces added and axes set at once: plotly checks the whole figure on each call, so a call
    # per bar and per axis cost seconds with a few hundred figures.
    bars, bar_rows, axes = [], [], {}
    for number, panel in enumerate(panels, start=1):
        mine = rows[rows["panel"] == panel]
        bars += [_bar(row) for _, row in mine.iterrows()]
        bar_rows += [number] * len(mine)
        top = float(pd.concat([mine["value"], mine["high"].where(mine["bound"] == "range")]).max())
        top = top if math.isfinite(top) and top > 0 else 1.0
        values, texts = _ticks(top * _LABEL_ROOM)
        suffix = "" if number == 1 else str(number)  # one column: row n's axes are xaxis<n>, yaxis<n>
        axes[f"xaxis{suffix}"] = {
            "range": [0, top * _LABEL_ROOM], "tickvals": values, "ticktext": texts,
            "showgrid": True, "gridcolor": "#E5E5E5", "zeroline": True, "zerolinecolor": "#BBBBBB",
        }  # fmt: skip
        axes[f"yaxis{suffix}"] = {"autorange": "reversed"}
    figure.add_traces(bars, rows=bar_rows, cols=[1] * len(bars))
    figure.update_layout(axes)
    statements = [s for s in dict.fromkeys(rows["balance"]) if s]
    figure.update_layout(
        title={"text": title, "subtitle": {"text": " · ".join(statements)}},
        bargap=0.35,
        height=_TOP_PX + plot_px + _BOTTOM_PX,
        margin={"l": 10, "r": 30, "t": _TOP_PX, "b": _BOTTOM_PX},
        showlegend=False,
        meta={"pairs": pairs, "panels": panels},
    )
    figure.update_annotations(font={"size": 13}, xanchor="left", x=0)  # panel titles, left-aligned
    return figure


def _bar(row: pd.Series) -> go.Bar:
    if not row["flow"]:
        colour = _OTHER_FIGURE_COLOUR
    else:
        colour = _DIRECTION_COLOURS[0 if row["giver"] == min(row["giver"], row["receiver"]) else 1]
    # A range ("between 3 and 5 billion") is drawn as what it says: a bar from one end to the other.
    spans = row["bound"] == "range" and math.isfinite(row["low"]) and math.isfinite(row["high"])
    return go.Bar(
        x=[row["high"] - row["low"]] if spans else [row["value"]],
        base=[row["low"]] if spans else None,
        y=[row["y"]],
        orientation="h",
        marker={"color": colour, "pattern": {"shape": _BOUND_PATTERN.get(row["bound"], "")}},
        text=[row["label"]],
        textposition="outside",
        cliponaxis=False,
        name=row["shown_as"],
        customdata=[
            [
                str(row["sentence"]),
                str(row["source"] or "not stated"),
                row["bound"],
                str(row["what"] or ""),
                str(row.get("status") or "not said"),
            ]
        ],
        hovertemplate="<b>%{y}</b>: %{text} (%{customdata[2]}; %{customdata[4]})<br>what: %{customdata[3]}"
        "<br>source: %{customdata[1]}<br>%{customdata[0]}<extra></extra>",
    )


def _ticks(top: float) -> tuple[list[float], list[str]]:
    """About _TICKS round ticks from 0 to `top`, written as amounts: 0, 2 bn, 4 bn, ..."""
    raw = top / _TICKS
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if top >= 1:
        step = max(step, 1.0)  # one tank, two tanks: no tick between whole numbers
    values = [i * step for i in range(int(top // step) + 1)]
    return values, [format_amount(v) for v in values]
