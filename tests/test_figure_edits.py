"""An analyst's corrections to the figures: kept as a difference from the extraction, carried
in links, applied back to give the same table, and refused politely when a link is malformed."""

import math

import pandas as pd
import pytest

from analysis import FIGURE_COLUMNS, FigureEdits, apply_figure_edits, figure_edits_between, flow_balance
from analysis.views import figures_after_editing, figures_to_edit
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


# --- bounds that follow the amount ------------------------------------------------------------------


def _edit(figures, row: int, include_other: bool = True, **cells):
    """The whole table after an editor showing `figures` had `cells` of its row `row` changed."""
    before = apply_figure_edits(figures, None)
    offered = figures_to_edit(before, include_other)
    edited = offered.copy()
    for column, value in cells.items():
        edited.loc[edited["row"] == row, column] = value
    return figures_after_editing(before, edited, include_other)


def _bounds(table, row):
    return tuple(None if pd.isna(v) else v for v in table.loc[row, ["low", "high"]])


def _same(one, other) -> bool:
    """The same figures (what an analyst can edit), however each table holds an empty cell."""
    def cells(table):
        numbers = table[["amount", "low", "high"]].apply(pd.to_numeric, errors="coerce").astype(float)
        text = table[["giver", "receiver", "unit", "qualifier", "kind", "sentence"]].fillna("").astype(str)
        return pd.concat([numbers, text], axis=1).reset_index(drop=True)

    return cells(one).equals(cells(other))


@pytest.mark.parametrize(
    "qualifier, expected",
    [
        ("", (7.0, 7.0)),
        ("exactly", (7.0, 7.0)),
        ("approximately", (7.0, 7.0)),
        ("at least", (7.0, None)),
        ("more than", (7.0, None)),
        ("at most", (None, 7.0)),
        ("less than", (None, 7.0)),
        ("between", (7.0, 7.0)),  # one number: the extraction's bounds of a single amount
    ],
)
def test_an_edited_amount_takes_its_bounds_along(qualifier, expected):
    figures = figure_rows(
        {"giver": "Freedonia", "receiver": "Sylvania", "amount": 4.0, "low": 3.0, "high": 5.0, "unit": "tanks",
         "qualifier": qualifier, "sentence": "Freedonia sent Sylvania some tanks."}
    )
    table, followed = _edit(figures, 0, amount=7.0)
    assert followed == 1 and table.loc[0, "amount"] == 7.0 and _bounds(table, 0) == expected
    # The corrections carry the bounds: applied again (and through a link), the same table.
    edits = FigureEdits.from_json(figure_edits_between(figures, table, "c1").to_json())
    assert _bounds(apply_figure_edits(figures, edits), 0) == expected


def test_the_sample_upper_bound_moves_with_its_amount():
    table, followed = _edit(EXTRACTED, 1, amount=2.45e9)
    assert followed == 1 and _bounds(table, 1) == (None, 2.45e9)  # still "less than": an upper bound
    assert _same(table, apply_figure_edits(EXTRACTED, figure_edits_between(EXTRACTED, table, "c1")))
    balance = flow_balance(table)
    assert balance.loc[1, "label"] == "< 2.45 bn USD" and balance.loc[1, "high"] == 2.45e9
    assert _bounds(table, 0) == (9.8e9, 9.8e9)  # the figures nobody touched keep theirs


def test_bounds_the_analyst_sets_are_theirs():
    table, followed = _edit(EXTRACTED, 1, amount=2.45e9, high=3e9)
    assert not followed and _bounds(table, 1) == (None, 3e9)
    # Kept on purpose: an old bound left as it was, once the amount followed, is remembered too.
    table, _ = _edit(EXTRACTED, 1, amount=2.45e9)
    before = table.copy()
    table.loc[1, "high"] = 1.2e9  # the analyst puts the old bound back by hand
    edits = figure_edits_between(EXTRACTED, table, "c1")
    assert edits.changed[1] == {"amount": 2.45e9, "high": 1.2e9}
    assert _bounds(apply_figure_edits(EXTRACTED, edits), 1) == (None, 1.2e9)
    assert not before.equals(table)


def test_a_changed_qualifier_moves_the_bounds():
    table, followed = _edit(EXTRACTED, 1, qualifier="at least")
    assert followed == 1 and _bounds(table, 1) == (1.2e9, None)
    assert flow_balance(table).loc[1, "bound"] == "lower bound"


def test_a_link_that_changes_only_an_amount_gets_the_bounds_that_follow():
    """Links made before bounds followed carry the amount alone: applied, the bound follows."""
    edits = FigureEdits(corpus="c1", changed={1: {"amount": 2.45e9}, 0: {"qualifier": "at least"}})
    applied = apply_figure_edits(EXTRACTED, edits)
    assert _bounds(applied, 1) == (None, 2.45e9)
    assert _bounds(applied, 0) == (9.8e9, None)
    untouched = apply_figure_edits(EXTRACTED, FigureEdits(corpus="c1", changed={1: {"source": "someone"}}))
    assert _bounds(untouched, 1) == (None, 1.2e9)


def test_an_added_row_gets_the_bounds_of_its_amount():
    before = apply_figure_edits(EXTRACTED, None)
    edited = figures_to_edit(before, include_other=False)
    added = {"row": pd.NA, "figure": pd.NA, "giver": "Sylvania", "receiver": "Freedonia", "amount": 300.0,
             "unit": "troops", "qualifier": "up to", "kind": "flow", "sentence": "Typed by the analyst."}  # fmt: skip
    edited = pd.concat([edited, pd.DataFrame([added])], ignore_index=True)
    table, followed = figures_after_editing(before, edited, include_other=False)
    assert followed == 1 and _bounds(table, 3) == (None, 300.0)
    edits = FigureEdits.from_json(figure_edits_between(EXTRACTED, table, "c1").to_json())
    assert edits.added == ({"giver": "Sylvania", "receiver": "Freedonia", "amount": 300.0, "unit": "troops",
                            "qualifier": "up to", "high": 300.0, "kind": "flow",
                            "sentence": "Typed by the analyst."},)  # fmt: skip
    assert _same(apply_figure_edits(EXTRACTED, edits), table)


def test_an_editor_showing_flows_only_keeps_the_figures_it_hides():
    before = apply_figure_edits(EXTRACTED, None)
    offered = figures_to_edit(before, include_other=False)
    assert list(offered["row"]) == [0, 1] and set(offered["kind"]) == {"flow"}
    assert list(figures_to_edit(before, include_other=True)["row"]) == [0, 1, 2]
    edited = offered[offered["row"] != 0]  # the analyst deletes a flow
    table, followed = figures_after_editing(before, edited, include_other=False)
    assert not followed and list(table["figure"]) == [1, 2]  # the hidden percentage is still there
    edits = figure_edits_between(EXTRACTED, table, "c1")
    assert edits.deleted == (0,) and not edits.changed and not edits.added


def test_an_editor_showing_a_page_of_the_figures_changes_only_that_page():
    from analysis.views import PAGE_ROWS
    from ui.figures import editor_table, offered_figures

    # More made-up flows than a page holds.
    many = figure_rows(
        *[
            {"giver": "Freedonia", "receiver": "Sylvania", "amount": n + 1.0, "low": n + 1.0, "high": n + 1.0, "unit": "USD"}
            for n in range(PAGE_ROWS + 20)
        ]
    )
    before = apply_figure_edits(many, None)
    second = offered_figures(before, include_other=False, page=2)
    assert list(second["row"]) == list(range(PAGE_ROWS, PAGE_ROWS + 20)) and list(second.index) == list(range(20))
    # On page 2 the analyst deletes its first row and corrects its second: page 1 is untouched.
    change = {"edited_rows": {1: {"amount": 7.0}}, "deleted_rows": [0], "added_rows": []}
    table, _ = figures_after_editing(before, editor_table(second, change), offered=second["row"])
    assert len(table) == PAGE_ROWS + 19 and list(table["amount"].iloc[:PAGE_ROWS]) == list(before["amount"].iloc[:PAGE_ROWS])
    edits = figure_edits_between(many, table, "c1")
    assert edits.deleted == (PAGE_ROWS,) and edits.changed == {PAGE_ROWS + 1: {"amount": 7.0, "low": 7.0, "high": 7.0}}
    # A page past the last is the last one.
    assert list(offered_figures(before, include_other=False, page=99)["row"]) == list(second["row"])


# --- the editor's callback: the editor's state read before the editor runs --------------------------


def test_the_editor_state_read_by_the_callback_gives_the_bounds_that_follow():
    """The callback reads the editor's state (as Streamlit documents it) into the table the
    editor would hand back: an amount typed into the sample's "less than" figure moves its upper
    bound, so the page's one run can draw a new editor with the bound that followed."""
    from ui.figures import editor_table

    before = apply_figure_edits(EXTRACTED, None)
    offered = figures_to_edit(before, include_other=False)
    edited = editor_table(offered, {"edited_rows": {1: {"amount": 2450000000}}, "added_rows": [], "deleted_rows": []})
    assert list(offered["amount"]) == [9.8e9, 1.2e9]  # the offered table is left as it was
    table, followed = figures_after_editing(before, edited, include_other=False)
    assert followed == 1 and table.loc[1, "amount"] == 2.45e9 and _bounds(table, 1) == (None, 2.45e9)
    # Deleted and added rows as the editor applies them: cells, then deletions, then additions.
    change = {
        "edited_rows": {0: {"source": "someone"}},
        "deleted_rows": [1],
        "added_rows": [{"giver": "Sylvania", "receiver": "Freedonia", "amount": 300, "unit": "troops", "kind": "flow"}],
    }
    table, followed = figures_after_editing(before, editor_table(offered, change), include_other=False)
    assert followed == 1 and list(table["giver"]) == ["North Korea", "", "Sylvania"]  # the percentage kept
    edits = figure_edits_between(EXTRACTED, table, "c1")
    assert edits.deleted == (1,) and edits.changed == {0: {"source": "someone"}}
    assert edits.added[0]["amount"] == 300.0 and edits.added[0]["low"] == edits.added[0]["high"] == 300.0


def test_an_editor_state_from_a_hostile_browser_changes_nothing_it_may_not():
    """The state comes from the browser: ids and where a figure was read stay as they are,
    rows that do not exist are ignored, and a value that does not fit its column is missing."""
    from ui.figures import editor_table

    offered = figures_to_edit(apply_figure_edits(EXTRACTED, None), include_other=True)
    change = {
        "edited_rows": {0: {"row": 2, "figure": 2, "pid": "x", "amount": "lots", "nothing": 1}, 9: {"amount": 1}},
        "deleted_rows": ["1", True, 9, -1],
        "added_rows": ["not a row", {"figure": 0, "amount": [1], "giver": ["a"]}],
    }
    edited = editor_table(offered, change)
    assert list(edited["row"].iloc[:3]) == [0, 1, 2] and list(edited["figure"].iloc[:3]) == [0, 1, 2]
    assert math.isnan(edited.loc[0, "amount"]) and edited.loc[0, "pid"] == offered.loc[0, "pid"]
    assert len(edited) == 4 and pd.isna(edited["figure"].iloc[3]) and pd.isna(edited["giver"].iloc[3])
    assert "nothing" not in edited


def test_a_flow_with_many_disagreeing_figures_shows_a_row_of_them_and_the_rest_in_a_table():
    """Every figure as a card was two thousand elements for the browser at a million paragraphs:
    each flow shows its first row of figures, and its other figures in one table."""
    from streamlit.testing.v1 import AppTest

    def page():
        from analysis.views import flow_disagreements
        from tests.test_balance import figure_rows
        from ui.figures import disagreeing_figures

        rows = [{"giver": "Sylvania", "receiver": "Freedonia", "amount": float(n), "low": float(n), "high": float(n),
                 "unit": "tanks", "source": f"Source {n}", "sentence": f"Sylvania sent {n} tanks."} for n in range(1, 6)]
        rows += [{"giver": "Freedonia", "receiver": "Sylvania", "amount": float(n), "low": float(n), "high": float(n),
                  "unit": "USD", "source": "", "sentence": f"Freedonia paid {n} dollars."} for n in (7, 8)]  # fmt: skip
        disagreeing_figures(flow_disagreements(figure_rows(*rows)))

    at = AppTest.from_function(page, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    texts = [t.value for t in at.text]
    assert texts[0].startswith("Sylvania → Freedonia, tanks: 5 different figures from 5 sources")
    assert sum(t.startswith("Said by:") for t in texts) == 3 + 2  # a row of three, and the other flow's two
    (rest,) = at.dataframe
    assert len(rest.value) == 2 and set(rest.value["source"]) == {"Source 4", "Source 5"}
    assert [c.value for c in at.caption] == ["The other 2 figures given for this flow:"]


def test_flows_past_the_first_few_that_disagree_share_one_table():
    """Every disagreeing flow with its cards and table was 300 elements and 23 grids at a
    million paragraphs: the first five flows are shown so, the figures of the others in one table."""
    from streamlit.testing.v1 import AppTest

    def page():
        from analysis.views import flow_disagreements
        from tests.test_balance import figure_rows
        from ui.figures import disagreeing_figures

        rows = [{"giver": f"Land{n}", "receiver": "Freedonia", "amount": float(amount), "low": float(amount),
                 "high": float(amount), "unit": "tanks", "source": f"Source {amount}", "sentence": f"{amount} tanks."}
                for n in range(7) for amount in (10, 20)]  # fmt: skip
        disagreeing_figures(flow_disagreements(figure_rows(*rows)))

    at = AppTest.from_function(page, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    headings = [t.value for t in at.text if "different figures" in t.value]
    assert [h.split(",")[0] for h in headings] == [f"Land{n} → Freedonia" for n in range(5)]
    (rest,) = at.dataframe
    assert list(rest.value["flow"]) == ["Land5 → Freedonia"] * 2 + ["Land6 → Freedonia"] * 2
    assert list(rest.value["figure"]) == ["10 tanks", "20 tanks"] * 2
    assert at.caption[-1].value == "2 more flows whose sources give different figures, each figure as stated:"


def test_the_cards_of_a_flow_show_its_different_figures_before_repeats():
    from streamlit.testing.v1 import AppTest

    def page():
        from analysis.views import flow_disagreements
        from tests.test_balance import figure_rows
        from ui.figures import disagreeing_figures

        rows = [{"giver": "Sylvania", "receiver": "Freedonia", "amount": float(amount), "low": float(amount),
                 "high": float(amount), "unit": "tanks", "source": "", "sentence": f"{amount} tanks, outlet {n}."}
                for n, amount in enumerate((10, 10, 10, 10, 20))]  # fmt: skip
        disagreeing_figures(flow_disagreements(figure_rows(*rows)))

    at = AppTest.from_function(page, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    cards = [t.value for t in at.text if t.value.endswith(" tanks")]
    assert cards == ["10 tanks", "20 tanks", "10 tanks"]
    (rest,) = at.dataframe
    assert list(rest.value["figure"]) == ["10 tanks", "10 tanks"]
