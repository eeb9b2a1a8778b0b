"""The aid-imbalance chart: flows both ways between two parties, with their bounds."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ._style import inert

_DIRECTION_COLOURS = ("#0072B2", "#D55E00")
_BOUND_PATTERN = {"upper bound": "/", "lower bound": "\\", "range": ".", "approximately": "", "exact": ""}


@inert
def aid_balance_chart(balance: pd.DataFrame, title: str = "Aid imbalance") -> go.Figure:
    """Both directions of each pair of states side by side (from `flow_balance`).

    An upper bound is drawn hatched with "<" before its label, a lower bound with ">", an
    approximation with "≈"; each figure's sentence and source are in its hover. One subplot row
    per unit would be needed to compare USD with shells, so each unit gets its own x-axis range
    through facets by unit.
    """
    figure = go.Figure()
    if balance.empty:
        figure.update_layout(
            title=title, annotations=[{"text": "No flows between states found", "showarrow": False}]
        )
        return figure
    rows = balance.assign(
        direction=balance["giver"] + " → " + balance["receiver"],
        y=lambda t: t["direction"] + (" · " + t["source"]).where(t.duplicated("direction", keep=False), ""),
    )
    pairs = list(dict.fromkeys(rows["pair"]))
    for _, row in rows.iterrows():
        colour = _DIRECTION_COLOURS[0 if row["giver"] == min(row["giver"], row["receiver"]) else 1]
        figure.add_trace(
            go.Bar(
                x=[row["value"]],
                y=[row["y"]],
                orientation="h",
                marker={"color": colour, "pattern": {"shape": _BOUND_PATTERN.get(row["bound"], "")}},
                text=[row["label"]],
                textposition="outside",
                name=row["direction"],
                showlegend=False,
                customdata=[
                    [
                        str(row["sentence"]),
                        str(row["source"] or "not stated"),
                        row["bound"],
                        str(row["what"] or ""),
                    ]
                ],
                hovertemplate="<b>%{y}</b>: %{text} (%{customdata[2]})<br>what: %{customdata[3]}"
                "<br>source: %{customdata[1]}<br>%{customdata[0]}<extra></extra>",
            )
        )
    statements = [s for s in dict.fromkeys(rows["balance"]) if s]
    figure.update_layout(
        title={"text": title, "subtitle": {"text": " · ".join(statements)}},
        # Room on the right for the value labels outside the longest bar.
        xaxis={
            "title": " / ".join(dict.fromkeys(rows["unit"])),
            "range": [0, float(rows["value"].max()) * 1.3],
        },
        yaxis={"autorange": "reversed"},
        bargap=0.35,
        height=max(260, 120 + 60 * len(rows)),
        margin={"l": 10, "r": 80, "t": 90, "b": 40},
        meta={"pairs": pairs},
    )
    return figure


# Sequential, one hue (Okabe-Ito sky blue to blue, then darker): readable with any colour vision,
# and cell counts stay legible because plotly picks a contrasting text colour per cell.
