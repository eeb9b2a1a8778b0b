"""The aid balance: both directions, bounds carried into the ratio, disagreeing sources kept."""

import math

import pandas as pd
import pytest

from analysis import FIGURE_COLUMNS, flow_balance, format_amount
from analysis.charts import aid_balance_chart


def figure_rows(*rows):
    """A figures table of flows (every other column empty) made of the given rows."""
    base = dict.fromkeys(FIGURE_COLUMNS, "")
    return pd.DataFrame([{**base, "kind": "flow", **row} for row in rows], columns=FIGURE_COLUMNS)


SAMPLE = (
    {"giver": "North Korea", "receiver": "Russia", "amount": 9.8e9, "low": 9.8e9, "high": 9.8e9, "unit": "USD",
     "qualifier": "approximately", "source": "the report (Sejong Institute)", "sentence": "NK provided approximately 9.8 billion USD."},
    {"giver": "Russia", "receiver": "North Korea", "amount": 1.2e9, "low": math.nan, "high": 1.2e9, "unit": "USD",
     "qualifier": "less than", "source": "the report (Sejong Institute)", "sentence": "Russia's compensation remained below 1.2 billion USD."},
)  # fmt: skip


def test_ratio_carries_the_bound():
    balance = flow_balance(figure_rows(*SAMPLE))
    assert list(balance["label"]) == ["≈ 9.8 bn USD", "< 1.2 bn USD"]
    assert list(balance["bound"]) == ["approximately", "upper bound"]
    assert set(balance["ratio_bound"]) == {"at least"} and balance["ratio"].iloc[0] == pytest.approx(
        8.17, abs=0.01
    )
    assert balance["balance"].iloc[0].endswith("at least 8.2 to 1")


@pytest.mark.parametrize(
    "big, small, expected",
    [
        ("approximately", "upper bound", "at least"),
        ("lower bound", "exact", "at least"),
        ("upper bound", "approximately", "at most"),
        ("exact", "lower bound", "at most"),
        ("lower bound", "lower bound", "undetermined"),
        ("approximately", "exact", "approximately"),
        ("exact", "exact", ""),
    ],
)
def test_ratio_bounds(big, small, expected):
    qualifier = {
        "approximately": "approximately",
        "upper bound": "less than",
        "lower bound": "more than",
        "exact": "",
    }
    flows = figure_rows(
        {
            "giver": "A",
            "receiver": "B",
            "amount": 9e9,
            "unit": "USD",
            "qualifier": qualifier[big],
            "sentence": "a",
        },
        {
            "giver": "B",
            "receiver": "A",
            "amount": 1e9,
            "unit": "USD",
            "qualifier": qualifier[small],
            "sentence": "b",
        },
    )
    balance = flow_balance(flows)
    assert list(balance["bound"]) == [big, small]
    assert set(balance["ratio_bound"]) == {expected}


def test_disagreeing_sources_each_keep_their_value_and_non_flows_are_not_charted():
    other_source = {**SAMPLE[0], "amount": 6e9, "low": 6e9, "high": 6e9, "source": "Ministry of Defense"}
    not_a_flow = {"giver": "", "receiver": "", "amount": 6.1e6, "unit": "couples", "kind": "count"}
    balance = flow_balance(figure_rows(*SAMPLE, other_source, not_a_flow))
    assert len(balance) == 3 and set(balance["source"]) == {
        "the report (Sejong Institute)",
        "Ministry of Defense",
    }
    assert "sources disagree" in balance["balance"].iloc[0]
    figure = aid_balance_chart(balance)
    assert len(figure.data) == 3
    assert sorted(bar.x[0] for bar in figure.data) == [1.2e9, 6e9, 9.8e9]
    hatched = [bar for bar in figure.data if bar.marker.pattern.shape == "/"]
    assert len(hatched) == 1 and hatched[0].x[0] == 1.2e9  # the upper bound
    assert any("Ministry of Defense" in bar.customdata[0][1] for bar in figure.data)


def test_no_flows_gives_an_empty_chart_with_a_note():
    figure = aid_balance_chart(flow_balance(figure_rows()))
    assert len(figure.data) == 0 and "No flows" in figure.layout.annotations[0].text


def test_format_amount():
    assert format_amount(9.8e9, "USD") == "9.8 bn USD"
    assert format_amount(500_000, "shells") == "500,000 shells"
    assert format_amount(2.5e12, "KRW") == "2.5 tn KRW"


def test_rows_added_in_the_editor_with_empty_cells_are_tolerated():
    added = {"giver": math.nan, "receiver": math.nan, "amount": 3.0, "unit": math.nan, "kind": math.nan}
    balance = flow_balance(pd.concat([figure_rows(*SAMPLE), pd.DataFrame([added])], ignore_index=True))
    assert len(balance) == 2 and balance["balance"].iloc[0].endswith("at least 8.2 to 1")
