"""An analyst's corrections to the figures: kept as a difference from the extraction, carried
in links, applied back to give the same table, and refused politely when a link is malformed."""

import math

import pandas as pd
import pytest

from analysis import FIGURE_COLUMNS, FigureEdits, apply_figure_edits, figure_edits_between, flow_balance
from ui.urlstate import parse_view_state

from .test_balance import SAMPLE, figure_rows

EXTRACTED = figure_rows(
    *SAMPLE, {"kind": "percent", "amount": 25.0, "unit": "percent", "sentence": "A 25 percent tariff."}
)


def test_no_edits_gives_the_extraction_with_row_ids():
    table = apply_figure_edits(EXTRACTED, None)
    assert list(table["figure"]) == [0, 1, 2]
    assert list(table.columns) == ["figure", *FIGURE_COLUMNS]
    assert not figure_edits_between(EXTRACTED, table, "c1")


def test_edits_round_trip_through_the_table_and_json():
    table = apply_figure_edits(EXTRACTED, None)
    table.loc[1, "amount"] = 2.4e9  # a misread amount corrected
    table.loc[1, "high"] = 2.4e9
    table = table.drop(index=2)  # not a flow: deleted
    added = {"figure": pd.NA, "giver": "China", "receiver": "North Korea", "amount": 5e8, "unit": "USD",
             "kind": "flow", "qualifier": "about", "sentence": "Typed by the analyst."}  # fmt: skip
    table = pd.concat([table, pd.DataFrame([added])], ignore_index=True)
    edits = figure_edits_between(EXTRACTED, table, "c1")
    assert edits.deleted == (2,)
    assert edits.changed == {1: {"amount": 2.4e9, "high": 2.4e9}}
    assert edits.added[0]["giver"] == "China" and edits.added[0]["amount"] == 5e8

    again = FigureEdits.from_json(edits.to_json())
    assert again == edits
    applied = apply_figure_edits(EXTRACTED, again)
    assert list(applied["figure"].astype("object").where(applied["figure"].notna(), None)) == [0, 1, None]
    assert applied.loc[1, "amount"] == 2.4e9 and applied.loc[2, "giver"] == "China"
    # The corrected table feeds the balance: the ratio follows the corrected amount.
    balance = flow_balance(applied)
    korea = balance[balance["pair"] == "North Korea – Russia"]
    assert korea["ratio"].iloc[0] == pytest.approx(9.8 / 2.4, abs=0.01)
    assert set(balance["pair"]) == {"North Korea – Russia", "China – North Korea"}


def test_an_emptied_number_is_kept_as_missing_and_blank_added_rows_are_dropped():
    table = apply_figure_edits(EXTRACTED, None)
    table.loc[0, "low"] = math.nan
    table = pd.concat([table, pd.DataFrame([{"figure": pd.NA}])], ignore_index=True)
    edits = figure_edits_between(EXTRACTED, table, "c1")
    assert edits.changed == {0: {"low": None}} and not edits.added
    assert math.isnan(apply_figure_edits(EXTRACTED, edits).loc[0, "low"])


def test_ids_outside_the_extraction_are_ignored():
    edits = FigureEdits(corpus="c1", deleted=(7,), changed={9: {"amount": 1.0}})
    assert len(apply_figure_edits(EXTRACTED, edits)) == 3


@pytest.mark.parametrize(
    "text, reason",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected form"),
        ('{"d": ["x"]}', "not row numbers"),
        ('{"d": [-1]}', "not row numbers"),
        ('{"s": {"1": {"amount": "lots"}}}', "not a number"),
        ('{"s": {"1": {"password": "x"}}}', "unknown columns"),
        ('{"a": [{"giver": 3}]}', "not text"),
        ('{"a": {"giver": "x"}}', "not a list"),
        ('{"c": "x", "z": 1}', "expected form"),
        # Numbers no figure can be: too large for a float, not a number, infinite, negative.
        ('{"s": {"1": {"amount": ' + "9" * 400 + "}}}", "not an amount"),
        ('{"s": {"1": {"amount": NaN}}}', "not an amount"),
        ('{"s": {"1": {"high": Infinity}}}', "not an amount"),
        ('{"s": {"1": {"low": 1e400}}}', "not an amount"),
        ('{"a": [{"amount": -5}]}', "not an amount"),
    ],
)
def test_malformed_corrections_are_refused_with_a_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        FigureEdits.from_json(text)


def test_links_carry_corrections_and_a_bad_one_is_a_notice_not_an_error():
    edits = FigureEdits(corpus="c1", deleted=(2,), changed={1: {"amount": 2.4e9}})
    state, notices = parse_view_state({"figs": [edits.to_json()]})
    assert state.figure_edits == edits and not notices
    assert state.to_params()["figs"] == edits.to_json()
    state, notices = parse_view_state({"figs": ['{"d": "all"}']})
    assert state.figure_edits is None
    assert notices == ["Ignored the figure corrections: the deleted figures are not row numbers."]


def test_an_edited_amount_that_is_no_amount_is_kept_as_missing():
    """The editor hands back whatever was typed: a negative or infinite amount is no amount."""
    figures = figure_rows(*SAMPLE)
    edited = apply_figure_edits(figures, None)
    edited.loc[0, "amount"], edited.loc[1, "high"] = -3.0, math.inf
    edits = figure_edits_between(figures, edited, corpus="x")
    assert edits.changed[0]["amount"] is None and edits.changed[1]["high"] is None
