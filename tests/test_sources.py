"""Cited sources: a labelled set of attribution sentences (precision and recall), the real
sample corpus, the kinds table, and bylines on made-up document openings."""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd
import pytest

from analysis import (
    CITATION_COLUMNS,
    SOURCE_COLUMNS,
    attributions_in_sentence,
    extract_citations,
    infer_byline,
    load_corpus,
    load_source_kinds,
    prepare,
    split_sentences,
)

from .conftest import ROOT, SAMPLE

LABELLED = ROOT / "tests" / "data" / "attribution_sentences.jsonl"
# Every pattern the feature names must be in the labelled set, so the score covers it.
REQUIRED_VERBS = {
    "reported", "according to", "said", "noted", "remarked", "advised", "stated", "emphasized",
    "suggested", "pointed out", "highlighted", "analyzed", "asserted", "added", "warned", "told",
    "report", "released",
}  # fmt: skip


def _labelled() -> list[dict]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_labelled_set_covers_the_patterns():
    rows = _labelled()
    assert len(rows) >= 30
    verbs = {verb for row in rows for _, verb in row["sources"]}
    assert not REQUIRED_VERBS - verbs, REQUIRED_VERBS - verbs
    assert sum(1 for row in rows if not row["sources"]) >= 10  # names without attribution
    assert sum(1 for row in rows if row["previous_sources"]) >= 10  # "he", "Lee", "the report"


def test_precision_and_recall_of_source_and_verb():
    """Micro-averaged over (source, verb) pairs: a right source with a wrong verb counts as one
    false positive and one false negative."""
    true_positive = false_positive = false_negative = 0
    misses = []
    for row in _labelled():
        found = Counter(map(tuple, attributions_in_sentence(row["sentence"], row["previous_sources"])))
        wanted = Counter(map(tuple, row["sources"]))
        hit = sum((found & wanted).values())
        true_positive += hit
        false_positive += sum(found.values()) - hit
        false_negative += sum(wanted.values()) - hit
        if found != wanted:
            misses.append((row["sentence"], sorted(found), sorted(wanted)))
    precision = true_positive / max(true_positive + false_positive, 1)
    recall = true_positive / max(true_positive + false_negative, 1)
    print(
        f"\nattributions: precision {precision:.3f}, recall {recall:.3f} "
        f"({true_positive} right, {false_positive} wrong, {false_negative} missed, {len(_labelled())} sentences)"
    )
    for sentence, found, wanted in misses:
        print(f"  {sentence}\n    found  {found}\n    wanted {wanted}")
    assert precision >= 0.9
    assert recall >= 0.9


def test_resolution_within_a_sentence_and_from_earlier_ones():
    assert attributions_in_sentence("Putin visited Pyongyang.") == []
    # Nothing earlier to refer to: a pronoun is left unattributed, never guessed.
    assert attributions_in_sentence("He said the talks failed.") == []
    assert attributions_in_sentence("He said the talks failed.", ["Kremlin", "Dmitry Peskov"]) == [
        ("Dmitry Peskov", "said")
    ]
    assert attributions_in_sentence("It said the talks failed.", ["Kremlin", "Dmitry Peskov"]) == [
        ("Kremlin", "said")
    ]
    assert attributions_in_sentence(
        "Victor Cha of CSIS said the talks would fail, and he added that Seoul should wait."
    ) == [("Victor Cha", "said"), ("CSIS", "affiliation"), ("Victor Cha", "added")]
    assert attributions_in_sentence(
        "The Asan Institute's latest report warned that the North could test again."
    ) == [("Asan Institute", "report")]


def test_a_titled_report_takes_its_publishers_kind():
    paragraphs = pd.DataFrame(
        {
            "doc": ["d", "d"],
            "article": [1, 1],
            "paragraph": [1, 2],
            "text": [
                'A report by the Asan Institute titled "Nuclear Futures" warned that the North could test again.',
                "The report also said talks were unlikely.",
            ],
        }
    )
    sources, citations = extract_citations(paragraphs)
    assert list(zip(citations["source"], citations["verb"], strict=True)) == [
        ("Asan Institute", "report"),
        ("Nuclear Futures", "report"),
        ("Nuclear Futures", "said"),
    ]
    report = sources.set_index("source").loc["Nuclear Futures"]
    assert (report["kind"], report["role"]) == ("think tank", "report by Asan Institute")


def test_kinds_from_cue_words_for_institutions_not_in_the_table():
    kinds = load_source_kinds()
    paragraphs = pd.DataFrame(
        {
            "doc": ["d"] * 4,
            "article": [1] * 4,
            "paragraph": [1, 2, 3, 4],
            "text": [
                "The Korea Development Center said growth slowed.",
                "The Ministry of Oceans warned that fishing boats were at risk.",
                "The Pyongyang Times reported that the harvest was good.",
                "Samsung Electronics said profits fell.",
            ],
        }
    )
    sources, _ = extract_citations(paragraphs, kinds)
    kind = dict(zip(sources["source"], sources["kind"], strict=True))
    assert kind == {
        "Korea Development Center": "think tank",
        "Ministry of Oceans": "government",
        "Pyongyang Times": "news outlet",
        "Samsung Electronics": "other",
    }


def test_analysts_table_is_merged_over_the_shipped_one(tmp_path):
    shipped = load_source_kinds()
    assert list(shipped.columns) == ["name", "kind", "aliases"]
    assert {"Rodong Sinmun", "KCNA", "Kremlin", "Sejong Institute", "Yonhap"} <= set(shipped["name"])
    assert set(shipped["kind"]) <= {
        "state media",
        "think tank",
        "government",
        "news outlet",
        "person",
        "other",
    }

    extra = tmp_path / "mine.csv"
    extra.write_text(
        "name,kind,aliases\nYonhap,state media,Yonhap News Agency\nHoover Institution,think tank,Hoover\n",
        encoding="utf-8",
    )
    merged = load_source_kinds(extra)
    assert len(merged) == len(shipped) + 1
    assert merged.set_index("name").loc["Yonhap", "kind"] == "state media"
    paragraphs = pd.DataFrame(
        {
            "doc": ["d", "d"],
            "article": [1, 1],
            "paragraph": [1, 2],
            "text": ["Yonhap News Agency reported the launch.", "According to Hoover, the risk is rising."],
        }
    )
    sources, _ = extract_citations(paragraphs, merged)
    assert dict(zip(sources["source"], sources["kind"], strict=True)) == {
        "Hoover Institution": "think tank",
        "Yonhap": "state media",
    }

    broken = tmp_path / "broken.csv"
    broken.write_text("source,type\nX,think tank\n", encoding="utf-8")
    with pytest.raises(ValueError, match="name and kind"):
        load_source_kinds(broken)


@pytest.fixture(scope="module")
def sample_paragraphs() -> pd.DataFrame:
    return prepare(load_corpus([SAMPLE / "corpus"])).paragraphs


@pytest.fixture(scope="module")
def sample_citations(sample_paragraphs):
    return extract_citations(sample_paragraphs)


def test_sample_corpus_sources(sample_citations):
    sources, citations = sample_citations
    print("\n" + sources.to_string())
    assert list(sources.columns) == SOURCE_COLUMNS
    assert list(citations.columns) == CITATION_COLUMNS
    table = sources.set_index("source")
    assert table.loc["Rodong Sinmun", "kind"] == "state media"
    assert table.loc["Sejong Institute", "kind"] == "think tank"
    assert table.loc["Kremlin", "kind"] == "government"
    assert table.loc["Lee Sung-yoon", "kind"] == "person"
    assert "senior research fellow" in table.loc["Lee Sung-yoon", "role"]
    # Lee is cited in nine paragraphs of one article; nobody else comes close.
    assert sources["source"].iloc[0] == "Lee Sung-yoon"
    assert table.loc["Lee Sung-yoon", "paragraphs"] == 9
    # The report he released is a source too, and "The report reveals" is attributed to it.
    report = table[table.index.str.startswith("Assessing Changes")]
    assert list(report["kind"]) == ["think tank"] and list(report["paragraphs"]) == [2]
    # Sorted by paragraphs, then name.
    keys = list(zip(-sources["paragraphs"], sources["source"], strict=True))
    assert keys == sorted(keys)


def test_sample_later_mentions_resolve_to_lee(sample_paragraphs, sample_citations):
    _, citations = sample_citations
    for phrase in ("Lee further analyzed", "he remarked", "he stated"):
        pids = sample_paragraphs.loc[sample_paragraphs["text"].str.contains(phrase), "pid"]
        assert len(pids) == 1, phrase
        cited = citations.loc[citations["pid"] == pids.iloc[0], "source"]
        assert set(cited) == {"Lee Sung-yoon"}, phrase


def test_sample_citations_quote_exact_sentences(sample_paragraphs, sample_citations):
    _, citations = sample_citations
    text = dict(zip(sample_paragraphs["pid"], sample_paragraphs["text"], strict=True))
    assert len(citations) > 0
    for row in citations.itertuples():
        assert row.sentence in text[row.pid]
    # Deterministic: the same input gives the same tables.
    again_sources, again_citations = extract_citations(sample_paragraphs)
    pd.testing.assert_frame_equal(again_citations, citations)
    pd.testing.assert_frame_equal(again_sources, sample_citations[0])


def test_themes_are_listed_per_source():
    paragraphs = pd.DataFrame(
        {
            "doc": ["a", "a", "b"],
            "article": [1, 1, 1],
            "paragraph": [1, 2, 1],
            "text": [
                "KCNA reported that the launch succeeded.",
                "The agency added that more tests would follow.",
                "According to KCNA, the harvest was good.",
            ],
            "theme": ["Missiles", "Missiles", "Food"],
        }
    )
    sources, citations = extract_citations(paragraphs)
    assert sources.to_dict(orient="records") == [
        {"source": "KCNA", "kind": "state media", "role": "", "paragraphs": 3, "themes": "Food; Missiles"}
    ]
    assert list(citations["verb"]) == ["reported", "added", "according to"]
    assert list(citations["pid"]) == ["a|1|1", "a|1|2", "b|1|1"]  # made when the frame has none


def test_empty_input_gives_empty_tables():
    sources, citations = extract_citations(
        pd.DataFrame(columns=["doc", "article", "paragraph", "text", "pid"])
    )
    assert sources.empty and list(sources.columns) == SOURCE_COLUMNS
    assert citations.empty and list(citations.columns) == CITATION_COLUMNS


def test_sentence_splitter_keeps_abbreviations_and_initials():
    assert split_sentences("Mr. Lee met Gen. Park on Oct. 11. He said the talks went well.") == [
        "Mr. Lee met Gen. Park on Oct. 11.",
        "He said the talks went well.",
    ]
    assert split_sentences("Relations with the U.S. have improved. The U.S. State Department agreed.") == [
        "Relations with the U.S. have improved.",
        "The U.S. State Department agreed.",
    ]
    assert split_sentences('Minister J.W. Kuo paid 9.8 billion USD. "We will respond." Kim said so.') == [
        "Minister J.W. Kuo paid 9.8 billion USD.",
        '"We will respond."',
        "Kim said so.",
    ]


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        (
            "Seoul vows response\nBy Jane Doe\n\nSEOUL, Oct. 11 (Yonhap) -- South Korea's military said...",
            {"author": "Jane Doe", "dateline_place": "Seoul", "agency": "Yonhap"},
        ),
        (
            "Kim visits Moscow\nKim Min-seo, Staff Reporter\nThe North Korean leader arrived on Tuesday.",
            {"author": "Kim Min-seo"},
        ),
        (
            "PYONGYANG (Reuters) - North Korea said on Monday it had tested an engine.",
            {"dateline_place": "Pyongyang", "agency": "Reuters"},
        ),
        (
            "Chip tariffs loom\nBY JOHN SMITH | The Korea Herald\nTaiwan's chip industry faces...",
            {"author": "John Smith", "agency": "Korea Herald"},
        ),
        (
            "By Jane Doe and John Roe, Reuters\nWASHINGTON — The State Department said it was aware.",
            {"author": "Jane Doe; John Roe", "agency": "Reuters", "dateline_place": "Washington"},
        ),
        (
            "TAIPEI, Taiwan — The Mainland Affairs Council on Thursday warned citizens.",
            {"dateline_place": "Taipei"},
        ),
        # Not bylines or datelines: a sentence starting with "By", an all-capitals headline.
        ("North Korea is leveraging its ties.\nBy 2030, the country could have 200 warheads.", {}),
        ("NORTH KOREA - RUSSIA TIES\nSome text here that is long enough to be a paragraph.", {}),
    ],
)
def test_infer_byline(opening, expected):
    assert infer_byline(opening) == expected


def test_infer_byline_on_the_sample_finds_nothing_it_should_not():
    # The sample's two pages have neither a byline nor a dateline (the author is a bio line).
    for path in sorted((SAMPLE / "corpus").glob("*.txt")):
        assert infer_byline(path.read_text(encoding="utf-8")) == {}


def test_a_pattern_is_skipped_only_in_sentences_it_cannot_match():
    """Before its search, each attribution pattern is ruled out by a word check (the words it
    cannot match without). On every labelled sentence, figure sentence and sentence of the
    sample, a pattern that matches has one of its words: the check never skips a real hit."""
    import re

    from analysis.claims import PATTERN_WORDS

    figures = ROOT / "tests" / "data" / "figure_sentences.jsonl"
    sentences = [row["sentence"] for row in _labelled()]
    sentences += [
        json.loads(line)["sentence"] for line in figures.read_text(encoding="utf-8").splitlines() if line
    ]
    paragraphs = prepare(load_corpus([SAMPLE / "corpus"])).paragraphs["text"]
    sentences += [s for text in paragraphs for s in split_sentences(text)]
    # The labelled sets have no possessive document ("X's report"); one is written here.
    sentences.append("The Asan Institute's annual survey found support for nuclear weapons at 71%.")
    matched = Counter()
    for sentence in sentences:
        words = set(re.findall(r"\w+", sentence))  # whole words, as the check reads them
        for pattern, needed in PATTERN_WORDS.items():
            if pattern.search(sentence):
                matched[pattern] += 1
                assert not words.isdisjoint(needed), (pattern.pattern[:80], sentence)
    # Every pattern was put to the test.
    assert set(matched) == set(PATTERN_WORDS), [p.pattern[:60] for p in set(PATTERN_WORDS) - set(matched)]
