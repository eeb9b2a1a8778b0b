"""Figures and flows: a labelled set of sentences, and the real sample corpus.

The labelled sentences (tests/data/figure_sentences.jsonl) were written by hand before the code
that reads them: batch "written-first" before any extraction code existed, "held-out-1" and
"held-out-2" later, each scored once before the fixes it prompted. Run with -s to see the scores.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections import defaultdict

import pandas as pd
import pytest

from analysis.claims import extract_figures, extract_sentence_figures, load_states, split_sentences
from analysis.tables import FIGURE_COLUMNS

from .conftest import ROOT, SAMPLE

LABELS = ROOT / "tests" / "data" / "figure_sentences.jsonl"
THRESHOLD = 0.9


def _labelled() -> list[dict]:
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _close(a: float, b: float) -> bool:
    return math.isclose(float(a), float(b), rel_tol=1e-6)


def _match(predicted: list, gold: list, same) -> int:
    """True positives of a one-to-one greedy matching."""
    used: set[int] = set()
    hits = 0
    for p in predicted:
        for i, g in enumerate(gold):
            if i not in used and same(p, g):
                used.add(i)
                hits += 1
                break
    return hits


def _flow_key(f: dict) -> tuple:
    return f["giver"], f["receiver"], f["unit"], f["amount"]


def _same_flow(p: tuple, g: tuple) -> bool:
    return p[:3] == g[:3] and _close(p[3], g[3])


def _same_figure(p: dict, g: dict) -> bool:
    return _close(p["amount"], g["amount"]) and p["unit"] == g["unit"] and p["kind"] == g["kind"]


def _speaker_words(name: str) -> set[str]:
    name = re.sub(r"[’']s\b", "", name.lower())
    return set(re.findall(r"[\w.-]+", name)) - {"the", "a", "an"}


def _same_source(predicted: str, labelled: str) -> bool:
    """The labelled speaker as the sentence words it ("the JCS", "Dr. Park") and the predicted
    one as the attribution step names it ("Joint Chiefs of Staff", "Park"): one speaker when the
    words of one hold the other's, or the label is the name's initials."""
    mine, theirs = _speaker_words(predicted), _speaker_words(labelled)
    if mine and theirs and (mine <= theirs or theirs <= mine):
        return True
    initials = "".join(word[0] for word in predicted.split() if word[:1].isupper())
    return len(initials) >= 2 and initials in labelled.split()


def _scores(rows: list[dict]) -> dict[str, float]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        predicted = extract_sentence_figures(row["sentence"], row["previous"])
        gold = row["figures"]
        p_flows = [_flow_key(p) for p in predicted if p["kind"] == "flow"]
        g_flows = [_flow_key(g) for g in gold if g["kind"] == "flow"]
        counts["flow_tp"] += _match(p_flows, g_flows, _same_flow)
        counts["flow_pred"] += len(p_flows)
        counts["flow_gold"] += len(g_flows)
        counts["fig_tp"] += _match(predicted, gold, _same_figure)
        counts["fig_pred"] += len(predicted)
        counts["fig_gold"] += len(gold)
        # Fields of the figures found: qualifier, bounds, what was given, source.
        for g in gold:
            p = next((p for p in predicted if _same_figure(p, g)), None)
            if p is None:
                continue
            counts["qualifier_n"] += 1
            counts["qualifier_ok"] += p["qualifier"] == g["qualifier"]
            if "low" in g:
                counts["bounds_n"] += 1
                counts["bounds_ok"] += all(
                    math.isnan(p[k]) if g[k] is None else _close(p[k], g[k]) for k in ("low", "high")
                )
            if g["kind"] == "flow":
                counts["what_n"] += 1
                counts["what_ok"] += [w for w in p["what"].split(", ") if w] == g["what"]
            if "source" in g:
                counts["source_n"] += 1
                counts["source_ok"] += _same_source(p["source"], g["source"])

    def ratio(a: str, b: str) -> float:
        return counts[a] / counts[b] if counts[b] else 1.0

    return {
        "flow_precision": ratio("flow_tp", "flow_pred"),
        "flow_recall": ratio("flow_tp", "flow_gold"),
        "figure_precision": ratio("fig_tp", "fig_pred"),
        "figure_recall": ratio("fig_tp", "fig_gold"),
        "qualifier_accuracy": ratio("qualifier_ok", "qualifier_n"),
        "bounds_accuracy": ratio("bounds_ok", "bounds_n"),
        "what_accuracy": ratio("what_ok", "what_n"),
        "source_accuracy": ratio("source_ok", "source_n"),
        "sentences": len(rows),
        "flows": counts["flow_gold"],
        "figures": counts["fig_gold"],
    }


def _report(name: str, scores: dict[str, float]) -> str:
    numbers = ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in scores.items())
    return f"{name}: {numbers}"


def test_labelled_set_is_large_and_well_formed():
    rows = _labelled()
    assert len(rows) >= 40
    for row in rows:
        assert set(row) >= {"sentence", "previous", "figures"}
        for figure in row["figures"]:
            assert set(figure) >= {"giver", "receiver", "amount", "unit", "qualifier", "what", "kind"}
            assert figure["kind"] in {"flow", "money", "count", "percent", "other"}


def test_precision_and_recall_on_labelled_sentences():
    rows = _labelled()
    lines = [_report("all", (overall := _scores(rows)))]
    for batch in dict.fromkeys(row.get("batch", "") for row in rows):
        lines.append(_report(batch, _scores([r for r in rows if r.get("batch", "") == batch])))
    message = "\n".join(lines)
    print("\n" + message)
    for key in ("flow_precision", "flow_recall", "figure_precision", "figure_recall"):
        assert overall[key] >= THRESHOLD, message
    for key in ("qualifier_accuracy", "bounds_accuracy", "what_accuracy", "source_accuracy"):
        assert overall[key] >= THRESHOLD, message


# --------------------------------------------------------------------------------------------
# The real sample corpus
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_figures() -> pd.DataFrame:
    from analysis import load_corpus, prepare

    return extract_figures(prepare(load_corpus([SAMPLE / "corpus"])).paragraphs)


def test_sample_has_exactly_the_two_flows(sample_figures):
    flows = sample_figures[sample_figures["kind"] == "flow"]
    print("\n" + flows.drop(columns=["sentence"]).to_string())
    assert len(flows) == 2, flows[["giver", "receiver", "amount", "unit", "sentence"]].to_string()
    support = flows[flows["giver"] == "North Korea"].iloc[0]
    assert support["receiver"] == "Russia"
    assert support["unit"] == "USD"
    assert support["amount"] == pytest.approx(9.8e9, rel=1e-9)
    assert support["low"] == pytest.approx(9.8e9) and support["high"] == pytest.approx(9.8e9)
    assert support["qualifier"] == "approximately"
    assert {"ammunition", "missiles", "troops"} <= set(support["what"].split(", "))
    # "The report" is the one the article titled a sentence before (Lee Sung-yoon's, of the
    # Sejong Institute): the figure stands on it, as its citation does.
    assert support["source"].startswith("Assessing Changes in North Korea-China-Russia Relations")
    assert support["citation"] == f"{support['pid']}:1.1"
    assert support["sentence"] == (
        "The report reveals that North Korea has provided approximately 9.8 billion USD in support to "
        "Russia, including ammunition, missiles, and troops."
    )
    compensation = flows[flows["giver"] == "Russia"].iloc[0]
    assert compensation["receiver"] == "North Korea"
    assert compensation["unit"] == "USD"
    assert math.isnan(compensation["low"])
    assert compensation["high"] == pytest.approx(1.2e9, rel=1e-9)
    assert compensation["qualifier"] == "less than"
    assert {"food", "fuel"} <= set(compensation["what"].split(", "))
    assert compensation["sentence"] == (
        "In contrast, Russia’s compensation remained below 1.2 billion USD, primarily in food and fuel."
    )
    assert support["pid"] == compensation["pid"] == "000_6b2157e3909b2b42.txt|4|7"


def test_sample_keeps_other_figures_as_non_flows(sample_figures):
    others = sample_figures[sample_figures["kind"] != "flow"]

    def one(amount: float, unit: str) -> pd.Series:
        rows = others[(others["amount"] == amount) & (others["unit"] == unit)]
        assert len(rows) == 1, others[["amount", "unit", "kind", "sentence"]].to_string()
        return rows.iloc[0]

    assert one(6.1e6, "couples")["kind"] == "count"
    assert one(6.1e6, "couples")["qualifier"] == "approximately"
    assert one(27, "letters")["kind"] == "count"
    assert one(25, "percent")["kind"] == "percent"
    assert "tariffs" in one(25, "percent")["sentence"]
    truncated = sample_figures[sample_figures["sentence"].str.endswith("tariffs on China by 10")]
    assert len(truncated) == 2 and (truncated["kind"] != "flow").all()
    # Years, dates, ordinals and model names are not figures.
    assert not sample_figures["amount"].isin([2018, 2019, 2020, 2023, 2025, 80, 51, 11]).any()
    assert not sample_figures["sentence"].str.contains("Hwasong-20").any()


def test_sample_output_shape(sample_figures):
    assert list(sample_figures.columns) == FIGURE_COLUMNS
    for column in ("giver", "receiver", "unit", "qualifier", "what", "source", "sentence"):
        assert sample_figures[column].map(lambda v: isinstance(v, str)).all(), column
    assert sample_figures["amount"].dtype == "float64"


def test_extract_figures_is_deterministic_and_handles_empty_input():
    from analysis import load_corpus, prepare

    paragraphs = prepare(load_corpus([SAMPLE / "corpus"])).paragraphs
    pd.testing.assert_frame_equal(extract_figures(paragraphs), extract_figures(paragraphs))
    empty = extract_figures(pd.DataFrame(columns=["doc", "article", "paragraph", "pid", "text"]))
    assert list(empty.columns) == FIGURE_COLUMNS and empty.empty


def test_pronouns_and_the_report_stay_inside_their_article():
    paragraphs = pd.DataFrame(
        [
            {"doc": "a", "article": 1, "paragraph": 1, "pid": "a|1|1", "text": "The Korea Institute for "
             "Defense Analyses released a report on Monday. Pyongyang has deepened ties with Moscow."},
            {"doc": "a", "article": 1, "paragraph": 2, "pid": "a|1|2",
             "text": "It has sent 12,000 troops to Russia, the report says."},
            {"doc": "a", "article": 2, "paragraph": 1, "pid": "a|2|1",
             "text": "It has sent 5,000 tonnes of rice to Syria, the report says."},
        ]
    )  # fmt: skip
    figures = extract_figures(paragraphs)
    first, second = figures.iloc[0], figures.iloc[1]
    assert (first["giver"], first["receiver"], first["kind"]) == ("North Korea", "Russia", "flow")
    assert first["source"] == "Korea Institute for Defense Analyses"  # whose report it is
    # A new article: "It" has nothing to refer to and "the report" no author, nor a citation.
    assert second["kind"] != "flow" and (second["source"], second["citation"]) == ("the report", "")


def test_non_english_paragraphs_are_skipped():
    paragraphs = pd.DataFrame(
        [{"doc": "d", "article": 1, "paragraph": 1, "pid": "d|1|1", "lang": "de",
          "text": "Nordkorea lieferte 2023 rund 500 000 Granaten an Russland."}]
    )  # fmt: skip
    assert extract_figures(paragraphs).empty


# --------------------------------------------------------------------------------------------
# Pieces
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "North Korea has provided approximately 9.8 billion USD to Russia.",
        "North Korea has provided approximately US$9.8bn to Russia.",
        "North Korea has provided approximately $9,800 million to Russia.",
        "North Korea has provided approximately 9.8 billion US dollars to Russia.",
        "North Korea has provided approximately USD 9.8 billion to Russia.",
        "Pyongyang has provided approximately $9.8 billion to Moscow.",
        "The DPRK has provided approximately $9.8-billion to the Kremlin.",
    ],
)
def test_notations_of_one_amount_agree(text):
    (figure,) = extract_sentence_figures(text)
    assert (figure["giver"], figure["receiver"], figure["unit"]) == ("North Korea", "Russia", "USD")
    assert figure["amount"] == 9.8e9 and figure["qualifier"] == "approximately"


def test_split_sentences_keeps_abbreviations_and_decimals():
    text = (
        "Experts say the U.S. must ease U.S.-China tensions. Dr. Kim said on Jan. 5 that 9.8 billion USD "
        "was sent. The tone was anti-U.S. in Seoul. J.W. Kuo left for the U.K. on Monday. Approx. 300 troops left."
    )
    assert split_sentences(text) == [
        "Experts say the U.S. must ease U.S.-China tensions.",
        "Dr. Kim said on Jan. 5 that 9.8 billion USD was sent.",
        "The tone was anti-U.S. in Seoul.",
        "J.W. Kuo left for the U.K. on Monday.",
        "Approx. 300 troops left.",
    ]
    assert split_sentences("") == []


def test_states_table_is_editable_and_knows_the_usual_aliases(tmp_path):
    aliases = {(a.alias, a.state) for a in load_states()}
    for alias, state in [
        ("North Korea", "North Korea"), ("DPRK", "North Korea"), ("Pyongyang", "North Korea"),
        ("the North", "North Korea"), ("Russia", "Russia"), ("Moscow", "Russia"), ("Kremlin", "Russia"),
        ("South Korea", "South Korea"), ("Seoul", "South Korea"), ("ROK", "South Korea"), ("China", "China"),
        ("Beijing", "China"), ("PRC", "China"), ("US", "United States"), ("Washington", "United States"),
        ("United States", "United States"), ("Ukraine", "Ukraine"), ("Kyiv", "Ukraine"), ("Iran", "Iran"),
        ("Tehran", "Iran"), ("Japan", "Japan"), ("Tokyo", "Japan"), ("Pakistan", "Pakistan"),
    ]:  # fmt: skip
        assert (alias, state) in aliases
    custom = tmp_path / "states.csv"
    custom.write_text(
        "state,iso3,alias,kind,context\nWagnerland,XWG,Wagnerland,name,\nRussia,RUS,Russia,name,\n"
    )
    (figure,) = extract_sentence_figures("Wagnerland sent 2,000 troops to Russia.", states_file=custom)
    assert (figure["giver"], figure["receiver"], figure["kind"]) == ("Wagnerland", "Russia", "flow")
    (figure,) = extract_sentence_figures("Pyongyang sent 2,000 troops to Russia.", states_file=custom)
    assert figure["kind"] == "count" and figure["giver"] == ""


def test_importing_the_module_loads_nothing_heavy():
    # The tables (pandas, numpy) are what every stage shares; sentencex is loaded only when a
    # sentence is split, the model and scikit-learn never.
    code = (
        "import sys, analysis.tables; before = set(sys.modules); import analysis.claims; "
        "new = set(sys.modules) - before; "
        "heavy = [m for m in new if m.split('.')[0] in "
        "{'sentencex', 'torch', 'sentence_transformers', 'sklearn', 'plotly', 'pandas', 'numpy'}]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_long_and_repetitive_paragraphs_cost_linear_time_and_bounded_rows():
    """A paragraph of 2,000 repeated sentences took 17 s (every sentence looked back over all
    before it), and one line of thousands of numbers made thousands of rows each holding the
    whole line. Both are now bounded."""
    import time

    import pandas as pd

    from analysis.claims import ClaimLimits
    from analysis.tables import paragraph_ids

    def frame(text):
        table = pd.DataFrame({"doc": ["d"], "article": [1], "paragraph": [1], "text": [text], "lang": ["en"]})
        return table.assign(pid=paragraph_ids(table))

    repeated = " ".join(["The report said 5 million."] * 2000)  # 54 KB
    started = time.perf_counter()
    rows = extract_figures(frame(repeated))
    # The first sentences are read, as many as the limit's default says.
    assert time.perf_counter() - started < 3 and len(rows) == ClaimLimits().sentences
    numbers = " ".join(f"{i * 7} tanks" for i in range(6000))  # one 60 KB line
    rows = extract_figures(frame(numbers))
    assert len(rows) == 2_000 and rows["sentence"].str.len().max() <= 1_100  # 500 either side of it
    assert rows["sentence"].iloc[0].endswith("…")  # the figure's stretch of the line, marked as cut


def test_the_sentences_and_numbers_read_in_a_paragraph_are_the_analysts_limits():
    import pandas as pd

    from analysis import Settings
    from analysis.claims import ClaimLimits, extract_citations
    from analysis.tables import paragraph_ids

    text = " ".join(f"The Polish Defence Ministry said it sent {n + 1} tanks to Poland." for n in range(30))
    table = pd.DataFrame({"doc": ["d"], "article": [1], "paragraph": [1], "text": [text], "lang": ["en"]})
    table = table.assign(pid=paragraph_ids(table))
    assert len(extract_figures(table)) == 30
    limits = ClaimLimits.from_settings(Settings(max_paragraph_sentences=5))
    assert extract_figures(table, limits=limits)["amount"].tolist() == [1, 2, 3, 4, 5]
    assert len(extract_citations(table, limits=limits)[1]) == 5
    # Numbers are counted over the paragraph, not per sentence.
    limits = ClaimLimits.from_settings(Settings(max_paragraph_numbers=7))
    assert extract_figures(table, limits=limits)["amount"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    with pytest.raises(ValueError, match="max_paragraph_numbers must be at least 1"):
        Settings(max_paragraph_numbers=0)


# --- the forms real reports use (issue 13); every sentence here was written for these tests ---

FORMS = [
    # numbers in words, hyphenated
    ("Officials said the North shipped over one-thousand containers of shells to Russia.", "Korea",
     [("North Korea", "Russia", 1000, "containers")]),
    # a range: its lower end as the amount, both ends as bounds, never the midpoint
    ("Analysts estimate Iran sold between $1.2 billion and $4 billion of drones to Russia.", "",
     [("Iran", "Russia", 1.2e9, "USD")]),
    # nationality forms: troops of one state said to be in another
    ("Roughly 3,500 Belarusian soldiers are now stationed in Russia's Bryansk region.", "",
     [("Belarus", "Russia", 3500, "troops")]),
    # a headline in title case
    ("Canada Sends 40 Armoured Vehicles To Latvia", "", [("Canada", "Latvia", 40, "vehicles")]),
    ("Japan Announces $300 Million In Aid For Moldova", "", [("Japan", "Moldova", 3e8, "USD")]),
    # goods arriving in a state, their origin an adjective
    ("About 4,200 tonnes of Turkish flour arrived in Syria on Friday.", "", [("Turkey", "Syria", 4200, "tonnes")]),
    # goods carried in what was handed over, and coordinated with them
    ("Pyongyang sent 900 containers to Moscow, which could hold 200,000 shells or 40,000 rockets.", "",
     [("North Korea", "Russia", 900, "containers"), ("North Korea", "Russia", 200000, "shells"),
      ("North Korea", "Russia", 40000, "rockets")]),
    # "to support X"; "secured ... from X" (the one who secures receives)
    ("Norway will allocate $75 million to support Ukraine's energy grid.", "", [("Norway", "Ukraine", 7.5e7, "USD")]),
    ("Egypt said it secured $450 million in budget aid from Saudi Arabia.", "",
     [("Saudi Arabia", "Egypt", 4.5e8, "USD")]),
    # a state announcing a package for another
    ("The Netherlands announced €120 million in arms for Ukraine on Monday.", "",
     [("Netherlands", "Ukraine", 1.2e8, "EUR")]),
    # a deal with a buyer to export
    ("Brazil signed a $300 million deal with Chile to export 12 trainer jets.", "",
     [("Brazil", "Chile", 3e8, "USD"), ("Brazil", "Chile", 12, "jets")]),
    # "units of", quoted names of things
    ("Sweden will send 50 units of armoured vehicles and 10 \"light howitzers\" to Ukraine.", "",
     [("Sweden", "Ukraine", 50, "vehicles"), ("Sweden", "Ukraine", 10, "howitzers")]),
    # labour sent abroad
    ("Nepal has sent some 20,000 labour migrants to Qatar this year.", "", [("Nepal", "Qatar", 20000, "workers")]),
]
NOT_FLOWS = [
    # money too small to be aid (a garbled scale word)
    "Estonia has given Ukraine €2 of billion in military aid since the invasion.",
    # losses, bans and caps, requests, other participles' agents, inventories
    "Only yesterday, 14 Iranian drones sent to Russia were shot down over Kyiv.",
    "Cuba was barred last year from buying over 300,000 barrels of fuel from Venezuela.",
    "The package fell short of the $60 billion in aid Ukraine had requested from Washington.",
    "Russia holds about 5,000 nuclear warheads, the report said.",
    "Dozens of drones and several million dollars in cash were mentioned by officials.",
]


@pytest.mark.parametrize(("sentence", "previous", "expected"), FORMS, ids=[f[0][:40] for f in FORMS])
def test_the_forms_real_reports_use_are_read_as_flows(sentence, previous, expected):
    flows = [f for f in extract_sentence_figures(sentence, previous) if f["kind"] == "flow"]
    got = [(f["giver"], f["receiver"], f["amount"], f["unit"]) for f in flows]
    assert got == [(g, r, pytest.approx(a), u) for g, r, a, u in expected], got


def test_a_range_keeps_both_ends_and_no_midpoint():
    (figure,) = extract_sentence_figures("Analysts estimate Iran sold between $1.2 billion and $4 billion of drones to Russia.")
    assert (figure["qualifier"], figure["low"], figure["high"]) == ("between", 1.2e9, 4e9)
    assert figure["amount"] == 1.2e9


@pytest.mark.parametrize("sentence", NOT_FLOWS, ids=[s[:40] for s in NOT_FLOWS])
def test_what_is_not_handed_over_is_not_a_flow(sentence):
    assert [f for f in extract_sentence_figures(sentence) if f["kind"] == "flow"] == []


def _article(*paragraphs: str, title: str = "") -> pd.DataFrame:
    from analysis.tables import paragraph_ids

    frame = pd.DataFrame(
        {"doc": "d.txt", "article": 1, "paragraph": range(1, len(paragraphs) + 1), "text": list(paragraphs),
         "lang": "en", "title": title}
    )  # fmt: skip
    return frame.assign(pid=paragraph_ids(frame))


def _flows(frame: pd.DataFrame) -> list[tuple]:
    rows = extract_figures(frame)
    rows = rows[rows["kind"] == "flow"]
    return [(r.giver, r.receiver, r.amount, r.unit) for r in rows.itertuples()]


def test_a_list_under_a_package_takes_the_packages_parties_from_the_title():
    frame = _article(
        "Denmark unveiled its ninth support package on Tuesday.",
        "18 Caesar howitzers;",
        "- 6,000 artillery shells",
        title="Denmark Hands 18 Howitzers To Ukraine In New Package",
    )
    # The list, then the headline's own figure (a headline is read after its article's body).
    assert _flows(frame) == [
        ("Denmark", "Ukraine", 18.0, "howitzers"),
        ("Denmark", "Ukraine", 6000.0, "shells"),
        ("Denmark", "Ukraine", 18.0, "howitzers"),
    ]


def test_parties_come_from_the_article_only_when_one_flow_fits():
    one = _article(
        "Spain shipped 30 armoured vehicles to Ukraine in March.",
        "A further 20 armoured vehicles will be shipped in May, the ministry said.",
    )
    assert _flows(one)[-1] == ("Spain", "Ukraine", 20.0, "vehicles")
    two = _article(
        "Spain shipped 30 armoured vehicles to Ukraine in March.",
        "Italy shipped 12 armoured vehicles to Moldova in April.",
        "A further 20 armoured vehicles will be shipped in May, the ministry said.",
    )
    assert len(_flows(two)) == 2  # two flows fit: the third figure stays without parties


def test_a_company_stands_for_its_state_within_its_article():
    frame = _article(
        "Turkey's Baykar said the company would sign a $370 million deal with Kuwait to export drones.",
        "Last year Baykar agreed to export 24 drones to Ukraine.",
        "It delivered 12 drones in June.",
    )
    flows = _flows(frame)
    assert flows[0] == ("Turkey", "Kuwait", 3.7e8, "USD")
    assert flows[1] == ("Turkey", "Ukraine", 24.0, "drones")


def test_what_comes_back_takes_the_other_direction():
    frame = _article(
        "Iran has shipped about 2,000 drones to Russia since 2022, officials said.",
        "Tehran has received over 300 tonnes of gold in return, they added.",
    )
    assert _flows(frame) == [("Iran", "Russia", 2000.0, "drones"), ("Russia", "Iran", 300.0, "tonnes")]


def test_donors_give_to_the_articles_one_receiver():
    frame = _article(
        "The United States donated $40 million to UNICEF for the flood response.",
        "Other donors include Japan ($6 million) and Canada ($2.5 million).",
    )
    assert _flows(frame)[1:] == [("Japan", "UNICEF", 6e6, "USD"), ("Canada", "UNICEF", 2.5e6, "USD")]


def test_other_donors_give_to_the_receiver_of_the_gift_just_named():
    frame = _article(
        "The United States shipped 9,000 tonnes of rice to Haiti in May.",
        "Washington has also given $12 million to the Red Cross for its work there.",
        "Other donors include Norway ($3 million) and Canada ($1.5 million).",
    )
    # Two receivers in the article: "other donors" are other than the one just named.
    assert _flows(frame)[2:] == [("Norway", "Red Cross", 3e6, "USD"), ("Canada", "Red Cross", 1.5e6, "USD")]


def test_money_secured_from_others_for_a_third_is_theirs_to_give_not_the_collectors():
    frame = _article(
        "France announced a new aid package for Moldova on Monday.",
        "France has secured €800 million from partner countries for Moldova.",
        "It also secured €200 million from Japan for Moldova's army.",
    )
    # The first is from states the text does not name: no flow, and not France's either.
    assert _flows(frame) == [("Japan", "Moldova", 2e8, "EUR")]
    assert extract_sentence_figures("Moldova secured €50 million from the EU.")[0]["giver"] == "European Union"


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Finland has delivered 40 armoured vehicles to Estonia.", "delivered"),
        ("Finland is believed to have sent 40 armoured vehicles to Estonia.", "estimated"),
        ("Finland may have shipped 9,000 tonnes of grain to Estonia.", "estimated"),
        ("Finland pledged €90 million to Estonia in May.", "pledged"),
        ("Finland will send 40 armoured vehicles to Estonia next year.", "planned"),
        ("Estonia plans to buy 40 armoured vehicles from Finland.", "planned"),
        ("Finland approved €90 million in aid for Estonia.", "approved"),
        ("Finland announced €90 million in military aid for Estonia.", "announced"),
        ("Finland's aid to Estonia stands at €90 million.", ""),
    ],
)
def test_a_flow_says_what_the_text_says_of_it(sentence, status):
    (figure,) = [f for f in extract_sentence_figures(sentence) if f["kind"] == "flow"]
    assert (figure["giver"], figure["receiver"], figure["status"]) == ("Finland", "Estonia", status)


def test_a_total_broken_down_among_receivers_is_not_a_flow_to_one_of_them():
    flows = [
        (f["giver"], f["receiver"], f["amount"])
        for sentence in (
            "The United States approved a $95 billion military aid budget, of which $26 billion is for Israel.",
            "Britain gave $9 billion in aid to Ukraine, of which half was military.",
        )
        for f in extract_sentence_figures(sentence)
        if f["kind"] == "flow"
    ]
    assert flows == [("United States", "Israel", 26e9), ("United Kingdom", "Ukraine", 9e9)]
