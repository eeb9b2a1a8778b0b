"""The aid balance: both directions, bounds carried into the ratio, disagreeing sources kept."""

import itertools
import math

import pandas as pd
import pytest

from analysis import FIGURE_COLUMNS, flow_balance, format_amount
from analysis.charts import SUBTITLE_RATIOS, aid_balance_chart, charted_figures


def figure_rows(*rows):
    """A figures table of flows (every other column empty) made of the given rows."""
    base = dict.fromkeys(FIGURE_COLUMNS, "")
    return pd.DataFrame([{**base, "kind": "flow", **row} for row in rows], columns=FIGURE_COLUMNS)


def drawn_bars(figure) -> list[dict]:
    """Every bar of an aid chart, whatever trace holds it: its length, start, row label, axis,
    colour, pattern and hover fields."""
    bars = []
    for trace in figure.data:
        for i, length in enumerate(trace.x):
            bars.append(
                {
                    "x": length,
                    "base": trace.base[i] if trace.base is not None else 0.0,
                    "y": trace.y[i],
                    "xaxis": trace.xaxis,
                    "colour": trace.marker.color[i],
                    "pattern": trace.marker.pattern.shape[i],
                    "hover": list(trace.customdata[i]),
                }
            )
    return bars


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
    assert balance["balance"].iloc[0].endswith("at least 8.1 to 1")


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


@pytest.mark.parametrize(
    "big, small, expected",
    [
        # 7 / 3 = 2.33: a lower bound is rounded down, an upper bound up, a point to the nearest.
        (("", 7e6), ("less than", 3e6), "at least 2.3 to 1"),
        (("less than", 7e6), ("", 3e6), "at most 2.4 to 1"),
        (("approximately", 7e6), ("", 3e6), "about 2.3 to 1"),
        # "4.1 billion" read as 4.1 * 1e9 against 0.2 * 1e9 is 20.4999... in floating point, 8.3
        # billion against 0.2 is 41.5000...1: an exact tenth is not moved.
        (("", 4.1 * 1e9), ("less than", 0.2 * 1e9), "at least 20.5 to 1"),
        (("less than", 8.3 * 1e9), ("", 0.2 * 1e9), "at most 41.5 to 1"),
        # Thousands separated as every count is.
        (("", 16e9), ("", 13e6), "1,230.8 to 1"),
    ],
)
def test_a_bounded_ratio_is_rounded_towards_what_the_figures_allow(big, small, expected):
    flows = figure_rows(
        {"giver": "A", "receiver": "B", "amount": big[1], "unit": "USD", "qualifier": big[0], "sentence": "a"},
        {"giver": "B", "receiver": "A", "amount": small[1], "unit": "USD", "qualifier": small[0], "sentence": "b"},
    )
    assert flow_balance(flows)["balance"].iloc[0].endswith(": " + expected)


def test_the_charts_subtitle_states_the_first_pairs_ratios_one_a_line():
    states = ["Albania", "Brazil", "Chile", "Denmark", "Egypt", "Fiji", "Ghana"]
    rows = []
    for giver, receiver in itertools.pairwise(states):  # six pairs, each both ways
        rows += [
            {"giver": giver, "receiver": receiver, "amount": 8e6, "unit": "USD", "sentence": f"{giver} gave."},
            {"giver": receiver, "receiver": giver, "amount": 2e6, "unit": "USD", "sentence": f"{receiver} gave back."},
        ]
    figure = aid_balance_chart(flow_balance(figure_rows(*rows)))
    lines = figure.layout.title.subtitle.text.split("<br>")
    assert lines[:SUBTITLE_RATIOS] == [
        f"{giver} → {receiver} 8 m USD against {receiver} → {giver} 2 m USD: 4.0 to 1"
        for giver, receiver in list(itertools.pairwise(states))[:SUBTITLE_RATIOS]
    ]
    assert lines[SUBTITLE_RATIOS:] == ["and 2 more pairs (in the chart's data)"]
    # The chart makes room above its first panel for every line.
    one_pair = aid_balance_chart(flow_balance(figure_rows(*rows[:2])))
    assert figure.layout.margin.t > one_pair.layout.margin.t
    assert "<br>" not in one_pair.layout.title.subtitle.text


def test_disagreeing_sources_each_keep_their_value_and_non_flows_are_not_charted():
    other_source = {**SAMPLE[0], "amount": 6e9, "low": 6e9, "high": 6e9, "source": "Ministry of Defense"}
    not_a_flow = {"giver": "", "receiver": "", "amount": 6.1e6, "unit": "couples", "kind": "count"}
    balance = flow_balance(figure_rows(*SAMPLE, other_source, not_a_flow))
    assert len(balance) == 3 and set(balance["source"]) == {
        "the report (Sejong Institute)",
        "Ministry of Defense",
    }
    assert "sources disagree" in balance["balance"].iloc[0]
    bars = drawn_bars(aid_balance_chart(balance))
    assert len(bars) == 3
    assert sorted(bar["x"] for bar in bars) == [1.2e9, 6e9, 9.8e9]
    hatched = [bar for bar in bars if bar["pattern"] == "/"]
    assert len(hatched) == 1 and hatched[0]["x"] == 1.2e9  # the upper bound
    assert any("Ministry of Defense" in bar["hover"][1] for bar in bars)
    # The two directions in their two colours; the disagreeing figures one direction's colour.
    colours = {bar["x"]: bar["colour"] for bar in bars}
    assert colours[9.8e9] == colours[6e9] != colours[1.2e9]


def test_a_flows_status_is_in_its_row_and_its_hover():
    pledged = {"giver": "Norway", "receiver": "Moldova", "amount": 2e8, "unit": "EUR", "kind": "flow", "status": "pledged"}
    unsaid = {"giver": "Moldova", "receiver": "Norway", "amount": 5e6, "unit": "EUR", "kind": "flow"}
    balance = flow_balance(figure_rows(pledged, unsaid))
    assert balance["status"].tolist() == ["pledged", ""]
    hovers = [bar["hover"][4] for bar in drawn_bars(aid_balance_chart(balance))]
    assert sorted(hovers) == ["not said", "pledged"]


def test_each_direction_has_its_colour_on_every_panel_blue_from_the_state_first_in_the_alphabet():
    # As the Aid imbalance page's caption says; mentioned in the other order first.
    rows = [
        {"giver": "Norway", "receiver": "Moldova", "amount": 2e8, "unit": "EUR", "kind": "flow"},
        {"giver": "Moldova", "receiver": "Norway", "amount": 5e6, "unit": "EUR", "kind": "flow"},
        {"giver": "Norway", "receiver": "Moldova", "amount": 3e8, "unit": "USD", "kind": "flow"},
    ]
    bars = drawn_bars(aid_balance_chart(flow_balance(figure_rows(*rows))))
    colours = {(bar["y"].split(" ·")[0], bar["xaxis"]): bar["colour"] for bar in bars}
    blue, vermillion = "#0072B2", "#D55E00"
    assert colours[("Moldova → Norway", "x")] == blue
    assert colours[("Norway → Moldova", "x")] == colours[("Norway → Moldova", "x2")] == vermillion


def test_no_flows_gives_an_empty_chart_with_a_note():
    figure = aid_balance_chart(flow_balance(figure_rows()))
    assert len(figure.data) == 0 and "No flows" in figure.layout.annotations[0].text
    assert figure.layout.xaxis.visible is False and figure.layout.yaxis.visible is False  # no -1 to 5 ticks


def test_format_amount():
    assert format_amount(9.8e9, "USD") == "9.8 bn USD"
    assert format_amount(500_000, "shells") == "500,000 shells"
    assert format_amount(2.5e12, "KRW") == "2.5 tn KRW"


def test_rows_added_in_the_editor_with_empty_cells_are_tolerated():
    added = {"giver": math.nan, "receiver": math.nan, "amount": 3.0, "unit": math.nan, "kind": math.nan}
    balance = flow_balance(pd.concat([figure_rows(*SAMPLE), pd.DataFrame([added])], ignore_index=True))
    assert len(balance) == 2 and balance["balance"].iloc[0].endswith("at least 8.1 to 1")


# --- one panel per unit, other figures only when asked, figures as an analyst writes them ------------

# Made-up flows in two currencies and two counted things, and figures that are not flows.
MIXED = (
    {"giver": "Freedonia", "receiver": "Sylvania", "amount": 3.5e9, "unit": "USD", "qualifier": "",
     "sentence": "Freedonia gave Sylvania 3.5 billion dollars."},
    {"giver": "Sylvania", "receiver": "Freedonia", "amount": 2.0e8, "unit": "USD", "qualifier": "at most",
     "sentence": "Sylvania returned at most 200 million dollars."},
    {"giver": "Freedonia", "receiver": "Sylvania", "amount": 1.2e6, "unit": "EUR", "qualifier": "",
     "sentence": "A further 1.2 million euros followed."},
    {"giver": "Freedonia", "receiver": "Sylvania", "amount": 8000.0, "unit": "troops", "qualifier": "",
     "sentence": "Freedonia sent 8,000 troops."},
    {"giver": "Freedonia", "receiver": "Sylvania", "amount": 40.0, "unit": "drones", "qualifier": "more than",
     "sentence": "More than 40 drones went too."},
    {"kind": "percent", "amount": 12.5, "unit": "percent", "sentence": "Tariffs rose by 12.5 percent."},
    {"kind": "money", "amount": 7e10, "unit": "USD", "sentence": "Sylvania's defence budget is 70 billion dollars."},
)  # fmt: skip


def test_each_unit_is_its_own_panel_and_axis():
    balance = flow_balance(figure_rows(*MIXED))
    assert balance["flow"].all() and len(balance) == 5  # the budget and the tariff are no flows
    assert list(dict.fromkeys(balance["panel"])) == [
        "Flows in USD", "Flows in EUR", "Flows of troops", "Flows of drones",
    ]  # fmt: skip
    figure = aid_balance_chart(balance)
    assert figure.layout.meta["panels"] == ["Flows in USD", "Flows in EUR", "Flows of troops", "Flows of drones"]
    axes = {}
    for bar in drawn_bars(figure):
        axes.setdefault(bar["xaxis"], set()).add(balance.loc[balance["value"] == bar["x"], "unit"].item())
    # Four axes, one unit each: never drones and dollars, nor dollars and euros, on one axis.
    assert sorted(axes.values(), key=sorted) == [{"EUR"}, {"USD"}, {"drones"}, {"troops"}]
    titles = [a.text for a in figure.layout.annotations]
    assert titles == ["Flows in USD", "Flows in EUR", "Flows of troops", "Flows of drones"]


def test_amounts_are_written_as_an_analyst_writes_them():
    balance = flow_balance(figure_rows(*MIXED))
    assert list(balance["label"]) == ["3.5 bn USD", "< 200 m USD", "1.2 m EUR", "8,000 troops", "> 40 drones"]
    figure = aid_balance_chart(balance)
    ticks = [t for axis in ("xaxis", "xaxis2", "xaxis3", "xaxis4") for t in figure.layout[axis].ticktext]
    assert "e+" not in " ".join(ticks) and "e-" not in " ".join(ticks)
    assert list(figure.layout.xaxis.ticktext) == ["0", "2 bn", "4 bn"]
    assert list(figure.layout.xaxis3.ticktext)[:3] == ["0", "2,500", "5,000"]
    assert all(float(v).is_integer() for v in figure.layout.xaxis4.tickvals)  # no tick between two drones
    # The ratio stays within one unit: dollars against dollars.
    assert balance["balance"].iloc[0].endswith("at least 17.5 to 1")
    assert set(balance.loc[balance["unit"] != "USD", "balance"]) == {""}


def test_other_figures_come_only_when_asked_and_never_into_a_flows_panel_or_ratio():
    shown = flow_balance(figure_rows(*MIXED), include_other=True)
    others = shown[~shown["flow"]]
    assert list(others["panel"]) == ["Other figures: percent", "Other figures: USD"]
    assert list(others["label"]) == ["12.5 percent", "70 bn USD"]
    assert list(others["shown_as"]) == ["Tariffs rose by 12.5 percent.", "Sylvania's defence budget is 70…"]
    assert set(others["balance"]) == {""} and others["ratio"].isna().all()
    flows = flow_balance(figure_rows(*MIXED))
    assert shown.loc[shown["flow"], "balance"].tolist() == flows["balance"].tolist()
    figure = aid_balance_chart(shown)
    panels = figure.layout.meta["panels"]
    assert panels[:4] == ["Flows in USD", "Flows in EUR", "Flows of troops", "Flows of drones"]
    assert panels[4:] == ["Other figures: percent", "Other figures: USD"]  # the budget is not with the flows
    bars = drawn_bars(figure)
    grey = [bar for bar in bars if bar["colour"] == "#8C8C8C"]
    assert sorted(bar["x"] for bar in grey) == [12.5, 7e10]
    dollar_flows = {bar["xaxis"] for bar in bars if bar["x"] in (3.5e9, 2.0e8)}
    assert len(dollar_flows) == 1 and dollar_flows.isdisjoint({bar["xaxis"] for bar in grey})


def test_a_range_is_drawn_from_one_end_to_the_other():
    spanning = {"giver": "Freedonia", "receiver": "Sylvania", "amount": 4e9, "low": 3e9, "high": 5e9,
                "unit": "USD", "qualifier": "between", "sentence": "Between 3 and 5 billion dollars."}  # fmt: skip
    balance = flow_balance(figure_rows(spanning))
    assert balance["label"].item() == "3 bn–5 bn USD" and balance["bound"].item() == "range"
    (bar,) = drawn_bars(aid_balance_chart(balance))
    assert bar["base"] == 3e9 and bar["x"] == 2e9 and bar["pattern"] == "."


def test_sources_repeating_one_figure_do_not_disagree():
    again = {**SAMPLE[0], "source": "another outlet"}
    balance = flow_balance(figure_rows(*SAMPLE, again))
    assert len(balance) == 3 and "disagree" not in balance["balance"].iloc[0]


def test_qualifier_bounds_follow_the_extraction():
    from analysis.views import qualifier_bounds

    def bounds(qualifier):
        return tuple(None if math.isnan(v) else v for v in qualifier_bounds(5.0, qualifier))

    assert bounds("") == bounds("exactly") == bounds("approximately") == bounds("between") == (5.0, 5.0)
    assert bounds("at least") == bounds("more than") == (5.0, None)
    assert bounds("at most") == bounds("less than") == bounds("below") == bounds("up to") == (None, 5.0)


def test_small_and_fractional_amounts():
    assert format_amount(8000, "troops") == "8,000 troops"
    assert format_amount(12.2, "percent") == "12.2 percent"
    assert format_amount(1.2e6, "EUR") == "1.2 m EUR"
    assert format_amount(math.nan, "USD") == "? USD"
    assert format_amount(0, "") == "0"


# --- same flow, different figures ------------------------------------------------------------------

DOCUMENTS = pd.DataFrame(
    {
        "doc": ["dispatch-1.txt", "dispatch-2.txt", "dispatch-3.txt"],
        "outlet": ["Example Wire", "Example Gazette", "dispatch-3"],
        "outlet_from": ["manifest", "manifest", "file name"],
        "date": ["2024-11-20", "2024-11-04", ""],
    }
)
TROOPS = (
    {"giver": "Freedonia", "receiver": "Sylvania", "amount": 10_000.0, "unit": "troops", "qualifier": "",
     "source": "the defence ministry", "doc": "dispatch-1.txt", "pid": "dispatch-1.txt|1|2",
     "sentence": "Freedonia has sent 10,000 troops to Sylvania, the defence ministry said."},
    {"giver": "Freedonia", "receiver": "Sylvania", "amount": 8_000.0, "unit": "troops", "qualifier": "about",
     "source": "", "doc": "dispatch-2.txt", "pid": "dispatch-2.txt|1|1",
     "sentence": "Some 8,000 Freedonian soldiers crossed into Sylvania."},
    {"giver": "Freedonia", "receiver": "Sylvania", "amount": 3.5e9, "unit": "USD", "qualifier": "",
     "source": "the treasury", "doc": "dispatch-2.txt", "pid": "dispatch-2.txt|1|3",
     "sentence": "Freedonia gave Sylvania 3.5 billion dollars, the treasury said."},
    {"giver": "Freedonia", "receiver": "Sylvania", "amount": 3.5e9, "unit": "USD", "qualifier": "",
     "source": "a think tank", "doc": "dispatch-3.txt", "pid": "dispatch-3.txt|2|1",
     "sentence": "A think tank also put the aid at 3.5 billion dollars."},
    {"giver": "Sylvania", "receiver": "Freedonia", "amount": 500.0, "unit": "troops", "qualifier": "",
     "source": "", "doc": "dispatch-3.txt", "pid": "dispatch-3.txt|2|2",
     "sentence": "Sylvania sent 500 troops back."},
)  # fmt: skip


def test_different_figures_for_one_flow_are_listed_side_by_side_never_averaged():
    from analysis.views import DISAGREEMENT_COLUMNS, flow_disagreements

    listed = flow_disagreements(figure_rows(*TROOPS), DOCUMENTS)
    assert list(listed.columns) == DISAGREEMENT_COLUMNS
    # Only the troops from Freedonia to Sylvania: the dollars agree, the troops back are one figure.
    assert set(listed["flow"]) == {"Freedonia → Sylvania"} and set(listed["unit"]) == {"troops"}
    assert list(listed["figure"]) == ["8,000 troops", "10,000 troops"]  # "about" is no qualifier we know
    assert list(listed["value"]) == [8000.0, 10000.0]  # as stated: no mean anywhere
    assert list(listed["date"]) == ["2024-11-04", "2024-11-20"]  # oldest first
    assert list(listed["outlet"]) == ["Example Gazette", "Example Wire"]
    assert list(listed["source"]) == ["", "the defence ministry"]
    assert listed["sentence"].iloc[1] == TROOPS[0]["sentence"]


def test_a_disagreement_is_headed_by_its_flow_its_figures_and_its_sources():
    from analysis.views import disagreement_heading, flow_disagreements

    listed = flow_disagreements(figure_rows(*TROOPS), DOCUMENTS)
    # One figure says who said it, the other nobody: two sources, one of them "not stated".
    assert disagreement_heading(listed) == "Freedonia → Sylvania, troops: 2 different figures from 2 sources"
    repeated = pd.concat([listed, listed.iloc[[0]]])
    assert disagreement_heading(repeated) == "Freedonia → Sylvania, troops: 3 figures, 2 different, from 2 sources"


def test_an_approximation_and_a_bound_of_the_same_number_are_different_figures():
    from analysis.views import flow_disagreements

    point = {**TROOPS[0], "qualifier": "approximately"}
    bound = {**TROOPS[0], "qualifier": "less than", "doc": "dispatch-3.txt", "source": "an analyst"}
    listed = flow_disagreements(figure_rows(point, bound), DOCUMENTS)
    assert list(listed["figure"]) == ["≈ 10,000 troops", "< 10,000 troops"]
    assert list(listed["date"]) == ["2024-11-20", ""] and list(listed["outlet"]) == ["Example Wire", ""]


def test_no_flows_no_disagreement():
    from analysis.views import flow_disagreements

    assert flow_disagreements(figure_rows(), DOCUMENTS).empty
    assert flow_disagreements(figure_rows(TROOPS[0]), None).empty


def test_a_corpus_of_many_other_figures_draws_a_readable_few_and_every_flow():
    # Made-up budgets in eight units, 30 of them in one; and three flows.
    others = [
        {"kind": "money", "amount": float(n + 1), "unit": unit, "sentence": f"Budget line {n} was set."}
        for unit, count in [("USD", 30), ("EUR", 5), ("GBP", 4), ("JPY", 4), ("KRW", 3), ("CNY", 3), ("RUB", 2), ("INR", 1)]
        for n in range(count)
    ]  # fmt: skip
    flows = [
        {"giver": "Freedonia", "receiver": "Sylvania", "amount": 3e9, "unit": "USD", "sentence": "Three billion."},
        {"giver": "Sylvania", "receiver": "Freedonia", "amount": 1e9, "unit": "USD", "sentence": "One billion."},
        {"giver": "Freedonia", "receiver": "Sylvania", "amount": 900.0, "unit": "troops", "sentence": "900 troops."},
    ]
    balance = flow_balance(figure_rows(*flows, *others), include_other=True)
    assert len(balance) == 3 + 52
    figure = aid_balance_chart(balance)
    panels = figure.layout.meta["panels"]
    # Every flow; then the six units with most other figures, in order of first mention.
    assert panels == [
        "Flows in USD", "Flows of troops", "Other figures: USD", "Other figures: EUR", "Other figures: GBP",
        "Other figures: JPY", "Other figures: KRW", "Other figures: CNY",
    ]  # fmt: skip
    titles = [a.text for a in figure.layout.annotations]
    assert titles[2] == "Other figures: USD (the first 12 of 30)" and titles[3] == "Other figures: EUR"
    bars = drawn_bars(figure)
    assert len(bars) == 3 + 12 + 5 + 4 + 4 + 3 + 3
    # The rows it draws, as the page's picker lists them: each with its panel's whole count.
    charted = charted_figures(balance)
    assert len(charted) == len(bars) and list(dict.fromkeys(charted["panel"])) == panels
    assert set(charted.loc[charted["panel"] == "Other figures: USD", "panel_figures"]) == {30}
    assert [bar["x"] for bar in bars if bar["xaxis"] == "x3"] == [float(n) for n in range(1, 13)]
    # One trace a panel, and the panels one above the other, none overlapping.
    assert len(figure.data) == len(panels)
    domains = [figure.layout[f"yaxis{n if n > 1 else ''}"].domain for n in range(1, len(panels) + 1)]
    assert all(low < high for low, high in domains)
    assert all(below[1] < above[0] for above, below in itertools.pairwise(domains))


def test_a_corpus_of_many_flows_draws_whole_pairs_and_each_repeated_figure_once():
    from analysis.charts import CHARTED_FLOW_FIGURES

    # Twenty made-up pairs of states, each direction stated once, and the first pair's first
    # figure reprinted four more times (a wire story in five outlets), twice naming a source.
    flows = [
        {"giver": giver, "receiver": receiver, "amount": float(n + 1) * 1e6, "unit": "USD", "sentence": f"Grant {n}."}
        for n in range(20)
        for giver, receiver in [(f"State{n}a", f"State{n}b"), (f"State{n}b", f"State{n}a")]
    ]
    flows[1:1] = [flows[0], {**flows[0], "source": "the ministry"}, {**flows[0], "source": "a think tank"}, flows[0]]
    balance = flow_balance(figure_rows(*flows))
    assert len(balance) == 44
    figure = aid_balance_chart(balance)
    bars = drawn_bars(figure)
    # Whole pairs, in order of first mention, as many as fit: the repeated figure is one bar.
    assert len(bars) == CHARTED_FLOW_FIGURES
    assert [bar["y"] for bar in bars[:4]] == ["State0a → State0b", "State0b → State0a", "State1a → State1b", "State1b → State1a"]
    assert bars[0]["hover"][5] == " · stated 5 times" and bars[1]["hover"][5] == ""
    assert bars[0]["hover"][1] == "the ministry and 1 other source"
    assert figure.layout.annotations[0].text == f"Flows in USD (the first {CHARTED_FLOW_FIGURES} of 40)"
    charted = charted_figures(balance)
    assert list(charted["stated"][:2]) == [5, 1] and set(charted["panel_figures"]) == {40}
