"""What the pages compute for a large build, done column by column rather than row by row (see
benchmarks/browser_speed.py): the same results as the row-by-row rules, and made once per
analysis in the dashboard."""

import gc
import math
import weakref

import numpy as np
import pandas as pd

from analysis import FIGURE_COLUMNS, apply_figure_edits, figure_edits_between
from analysis.views import figures_after_editing, figures_to_edit, parsed_dates


def _figures(rows: int) -> pd.DataFrame:
    """`rows` figures of made-up flows and counts, with the gaps a build has (no bounds)."""
    rng = np.random.default_rng(3)
    amounts = rng.integers(1, 10_000, size=rows).astype(float) * 1e6
    return pd.DataFrame(
        {
            "giver": "Freedonia",
            "receiver": np.where(np.arange(rows) % 2, "Sylvania", "Grand Fenwick"),
            "amount": amounts,
            "unit": "USD",
            "qualifier": np.where(np.arange(rows) % 3, "", "at least"),
            "low": amounts,
            "high": np.where(np.arange(rows) % 3, amounts, math.nan),
            "what": "",
            "kind": np.where(np.arange(rows) % 4, "money", "flow"),
            "source": "",
            "doc": "d",
            "article": 0,
            "paragraph": np.arange(rows),
            "pid": [f"d|0|{i}" for i in range(rows)],
            "sentence": [f"Freedonia pledged aid, statement {i}." for i in range(rows)],
        },
        columns=FIGURE_COLUMNS,
    )


def test_edits_between_large_tables_find_exactly_the_changed_deleted_and_added_rows():
    extracted = _figures(5_000)
    table = apply_figure_edits(extracted, None)
    table.loc[10, "amount"] = 123.0  # a changed amount: its bounds follow
    table.loc[11, "sentence"] = "Freedonia pledged aid, as corrected."
    table.loc[13, "high"] = math.nan  # an emptied bound
    table.loc[14, "low"] = 2e15  # past the largest amount: no amount, as the row-by-row rule has it
    table.loc[15, "what"] = None  # an emptied text is no change
    table = table.drop(index=[20, 4_999])
    added = pd.DataFrame([{"figure": pd.NA, "giver": "Sylvania", "receiver": "Freedonia", "amount": 5.0, "kind": "flow"}])
    table = pd.concat([table, added, pd.DataFrame([{"figure": pd.NA}])], ignore_index=True)

    edits = figure_edits_between(extracted, table, "c")
    assert edits.deleted == (20, 4_999)
    assert set(edits.changed) == {10, 11, 13, 14}
    assert edits.changed[10]["amount"] == 123.0
    assert edits.changed[11] == {"sentence": "Freedonia pledged aid, as corrected."}
    assert edits.changed[13] == {"high": None}
    assert edits.changed[14] == {"low": None}
    assert len(edits.added) == 1 and edits.added[0]["giver"] == "Sylvania"
    again = apply_figure_edits(extracted, edits)
    assert len(again) == 5_000 - 2 + 1
    assert not figure_edits_between(extracted, apply_figure_edits(extracted, None), "c")


def test_an_editor_over_a_large_table_moves_only_the_bounds_of_changed_amounts():
    table = apply_figure_edits(_figures(4_000), None)
    offered = figures_to_edit(table, include_other=True)
    edited = offered.copy()
    edited.loc[edited["row"] == 7, "amount"] = 42.0
    edited.loc[edited["row"] == 8, "sentence"] = "Only the words changed."
    whole, followed = figures_after_editing(table, edited, include_other=True)
    assert followed == 1
    assert whole.loc[7, "amount"] == 42.0 and whole.loc[7, "low"] == 42.0
    assert whole.loc[8, "low"] == table.loc[8, "low"]
    unchanged = whole.drop(index=[7, 8])
    pd.testing.assert_frame_equal(unchanged, table.drop(index=[7, 8]), check_dtype=False)


def test_dates_are_parsed_as_pandas_parses_them_row_by_row():
    values = pd.Series(
        ["2024-01-02", "", None, "5 June 2024", "not a date", "2023-05-06T10:00:00", "2024-01-02"],
        index=range(10, 17),
    )
    expected = pd.to_datetime(values, errors="coerce", format="mixed")
    pd.testing.assert_series_equal(parsed_dates(values), expected)


def test_what_a_page_computes_is_made_once_per_analysis(monkeypatch):
    from ui import loaders

    store = loaders.ResultStore(size=8)
    monkeypatch.setattr(loaders, "_view_store", lambda: store)

    class Result:  # an analysis as far as the store is concerned: an object it can refer to weakly
        pass

    first, second, calls = Result(), Result(), []

    def count(label):
        calls.append(label)
        return label

    assert loaders.computed(first, "summary", lambda: count("a")) == "a"
    assert loaders.computed(first, "summary", lambda: count("b")) == "a"  # kept with the analysis
    assert loaders.computed(second, "summary", lambda: count("c")) == "c"  # another analysis
    assert calls == ["a", "c"]
    # What is kept does not keep its analysis alive (a build rebuilt in place is let go).
    held = weakref.ref(second)
    del second
    gc.collect()
    assert held() is None
