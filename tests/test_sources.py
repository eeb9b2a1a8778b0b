"""Cited sources: a labelled set of attribution sentences (precision and recall), the real
sample corpus, the kinds table, and bylines on made-up document openings."""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd
import pytest

from analysis import (
    CITATION_COLUMNS,
    KINDS,
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
    assert set(shipped["kind"]) <= set(KINDS)

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


# --- attributions in their common news forms (every sentence here is written for these tests) ---

# (sentence, sources cited earlier in the article, (source, verb) pairs expected)
NEWS_FORMS = [
    # X said; said X; X, title, said; "...," X said in a statement
    (
        "Prime Minister Anna Kowalski said on Tuesday that the border would stay closed.",
        [],
        [("Anna Kowalski", "said")],
    ),
    ("The border will stay closed, said Anna Kowalski, the prime minister.", [], [("Anna Kowalski", "said")]),
    (
        "Anna Kowalski, who returned from Brussels on Monday, said the talks had failed.",
        [],
        [("Anna Kowalski", "said")],
    ),
    ('"We are ready," Kowalski said in a statement.', ["Anna Kowalski"], [("Anna Kowalski", "said")]),
    ("Kowalski says the border will reopen in May.", ["Anna Kowalski"], [("Anna Kowalski", "says")]),
    # X told Y; according to X; in an interview with X (the interviewer is not a source)
    (
        "Kowalski told reporters in Warsaw that talks would resume.",
        ["Anna Kowalski"],
        [("Anna Kowalski", "told")],
    ),
    (
        "According to the Polish Foreign Ministry, 40 diplomats were expelled.",
        [],
        [("Polish Foreign Ministry", "according to")],
    ),
    (
        "In an interview with the BBC, General Mark Ellison warned that the front line was thinning.",
        [],
        [("Mark Ellison", "warned")],
    ),
    # a report found; X's report; X estimates; data showed
    (
        "A report by the Nordic Defence Institute found that stockpiles had halved since 2022.",
        [],
        [("Nordic Defence Institute", "report")],
    ),
    (
        "The Nordic Defence Institute's report found that stockpiles had halved.",
        [],
        [("Nordic Defence Institute", "report")],
    ),
    (
        "The Institute for the Study of War estimates that 600 tanks were lost.",
        [],
        [("Institute for the Study of War", "estimates")],
    ),
    (
        "Exports fell 3 percent, data from the Estonian statistics office showed.",
        [],
        [("Estonian statistics office", "showed")],
    ),
    # as revealed by X; citing X; warnings by X
    (
        "The deliveries began in March, as revealed by the Financial Times.",
        [],
        [("Financial Times", "revealed")],
    ),
    (
        "The convoy crossed the border, the newspaper reported, citing two European officials.",
        ["Le Monde"],
        [("Le Monde", "reported"), ("two European officials", "citing")],
    ),
    (
        "The test came despite warnings by Seoul and Tokyo.",
        [],
        [("South Korean government", "warnings"), ("Japanese government", "warnings")],
    ),
    # the speaker noun phrase: lists, states, descriptions, titles, institutions spoken for
    ("Kyiv has repeatedly accused Moscow of targeting civilians.", [], [("Ukrainian government", "accused")]),
    (
        "The US, Japan and others say the launch broke UN resolutions.",
        [],
        [("US government", "say"), ("Japanese government", "say"), ("others", "say")],
    ),
    (
        "A spokesperson for the Polish Foreign Ministry said the ambassador had been summoned.",
        [],
        [("Polish Foreign Ministry", "said")],
    ),
    ("A Pentagon spokesperson said the drills were routine.", [], [("Pentagon", "said")]),
    ("A senior Israeli official said the talks had stalled.", [], [("senior Israeli official", "said")]),
    (
        "The UK-based research group Conflict Watch Europe said 40 drones were launched.",
        [],
        [("Conflict Watch Europe", "said")],
    ),
    (
        "Estonia's intelligence service said Russia had moved 5,000 troops to the border.",
        [],
        [("Estonia's intelligence service", "said")],
    ),
    ("The floods killed 15 people, local media reported.", [], [("local media", "reported")]),
]
NOT_ATTRIBUTIONS = [
    "The defector is said to be living in Seoul.",
    "The minister is expected to announce the package next week.",
    "If the ministry confirms the figures, the aid would double.",
    "The ministry did not say how many tanks were sent.",
    "The company declined to comment on the report.",
    'Protesters chanted "No more war" outside the embassy.',
    "The reported attack killed four civilians.",
    "An estimated 10,000 troops were deployed.",
    "The court found him guilty of espionage.",
    "Nobody has claimed responsibility for the attack.",
    "Reports of the deal surfaced last week.",
    "The talks between Lee Jae-myung and Donald Trump ended without a statement.",
    "Read also: Poland says it will send more tanks",
]


@pytest.mark.parametrize(("sentence", "earlier", "expected"), NEWS_FORMS)
def test_attributions_in_their_common_news_forms(sentence, earlier, expected):
    assert attributions_in_sentence(sentence, earlier) == expected


@pytest.mark.parametrize("sentence", NOT_ATTRIBUTIONS)
def test_what_is_not_an_attribution_stays_out(sentence):
    assert attributions_in_sentence(sentence) == []


def _article(*texts: str, doc: str = "d") -> pd.DataFrame:
    return pd.DataFrame(
        {"doc": doc, "article": 1, "paragraph": range(1, len(texts) + 1), "text": list(texts)}
    )


def test_speakers_are_resolved_within_an_article_and_named_one_way():
    sources, citations = extract_citations(
        _article(
            "Aid deliveries doubled last year: report",
            "A report by the Baltic Security Institute found that aid deliveries doubled in 2023.",
            "Defence Minister Jonas Petraitis said on Monday the figures were accurate. Petraitis told "
            "reporters the trains ran daily. The minister added that more inspectors would be hired.",
            "He also said the border would stay open. According to the report, most containers carried shells.",
            "The defence ministry said it had summoned the ambassador. Officials at the ministry "
            "confirmed the expulsions.",
        )
    )
    assert list(zip(citations["source"], citations["verb"], strict=True)) == [
        ("Baltic Security Institute", "headline"),  # "report" before the report is named
        ("Baltic Security Institute", "report"),
        ("Jonas Petraitis", "said"),
        ("Jonas Petraitis", "told"),  # a surname: the full name met before
        ("Jonas Petraitis", "added"),  # "the minister": the person with that title
        ("Jonas Petraitis", "said"),  # "he": the last person speaking
        ("Baltic Security Institute", "according to"),  # "the report": the institute's
        ("defence ministry", "said"),
        ("defence ministry", "confirmed"),  # officials at the ministry speak for it
    ]
    kinds = dict(zip(sources["source"], sources["kind"], strict=True))
    assert kinds == {
        "Baltic Security Institute": "think tank",
        "Jonas Petraitis": "person",
        "defence ministry": "government",
    }
    assert sources.set_index("source").loc["Jonas Petraitis", "role"] == "Defence Minister"


def test_a_description_never_named_stays_a_source_only_when_it_says_enough():
    _, citations = extract_citations(
        _article(
            "The first port official told the agency the tankers met at sea.",
            "According to the report, the transfers continued. The official added that no one was arrested.",
        )
    )
    # "the report" never meets its publisher: dropped; "the first port official" says who.
    assert list(zip(citations["source"], citations["verb"], strict=True)) == [
        ("first port official", "told"),
        ("first port official", "added"),
    ]


def test_spellings_of_one_name_are_one_source():
    paragraphs = pd.concat(
        [
            _article(
                "Defence Minister Kim Min-jun said the drills would go ahead.",
                "Kim added that allies agreed.",
                doc="a",
            ),
            _article("Kim Minjun said the drills would go ahead.", doc="b"),
        ]
    )
    sources, citations = extract_citations(paragraphs)
    # Each article's own spelling in the citation; one speaker, the spelling cited most often.
    assert citations["source"].tolist() == ["Kim Min-jun", "Kim Min-jun", "Kim Minjun"]
    assert citations["speaker"].tolist() == ["Kim Min-jun"] * 3
    assert sources["source"].tolist() == ["Kim Min-jun"] and sources["paragraphs"].tolist() == [3]


def test_transliterations_of_one_name_are_one_speaker_and_other_names_stay_apart():
    paragraphs = pd.concat(
        [
            _article("Ambassador Vassily Orlenko said the vote would fail.", doc="a"),
            _article("Vasily Orlenko said the council had not been consulted.", doc="b"),
            _article("Dmitriy Sorokin said the talks would resume.", "Dmitry Sorokin told reporters so too.", doc="c"),
            _article("Kim Jong-il said the plan was final.", doc="d"),
            _article("Kim Jong-un said the plan was final.", doc="e"),
        ]
    )
    sources, citations = extract_citations(paragraphs)
    speakers = dict(zip(citations["source"], citations["speaker"], strict=True))
    assert speakers["Vasily Orlenko"] == speakers["Vassily Orlenko"]
    assert speakers["Dmitriy Sorokin"] == speakers["Dmitry Sorokin"]
    assert speakers["Kim Jong-il"] != speakers["Kim Jong-un"]
    assert len(sources) == 4, sources["source"].tolist()


@pytest.mark.parametrize(
    ("sentence", "source", "kind"),
    [
        (
            "The Baltic Military Command said the drills were defensive.",
            "Baltic Military Command",
            "military",
        ),
        ("The Ukrainian air force said it shot down 40 drones.", "Ukrainian air force", "military"),
        (
            "The Nordic Intelligence Agency warned of sabotage.",
            "Nordic Intelligence Agency",
            "intelligence agency",
        ),
        (
            "The World Refugee Organisation said 2 million people had fled.",
            "World Refugee Organisation",
            "international organisation",
        ),
        (
            "According to the UN observer mission, 40 civilians died.",
            "UN observer mission",
            "international organisation",
        ),
        ("The Riga Policy Institute said the sanctions were working.", "Riga Policy Institute", "think tank"),
        ("The Vilnius Daily Herald reported the arrests.", "Vilnius Daily Herald", "news outlet"),
        ("Estonia said the ambassador would be expelled.", "Estonian government", "government"),
        ("Mirela Dragan said the vote was fair.", "Mirela Dragan", "person"),
    ],
)
def test_kinds_of_sources_missing_from_the_table_come_from_general_cues(sentence, source, kind):
    sources, _ = extract_citations(_article(sentence))
    assert dict(zip(sources["source"], sources["kind"], strict=True)) == {source: kind}


def _cpu_seconds(run) -> float:
    """CPU seconds of run(), with the test session's earlier objects set aside from garbage
    collection (their collection, 40-60 ms in a whole suite's process, is not this reading's
    cost; the collections its own objects cause still count). Not collected first: in a whole
    suite's process that took a second each time."""
    import gc
    import time

    gc.freeze()
    try:
        started = time.process_time()
        run()
        return time.process_time() - started
    finally:
        gc.unfreeze()


def _hostile_paragraphs(salt: int) -> dict[str, str]:
    """Long and repetitive paragraphs; `salt` makes every sentence new to the readers' caches."""
    names = [
        f"{first} {last}"
        for first in ("Anna", "Jonas", "Mirela", "Piotr")
        for last in ("Kowalski", "Berg", "Dragan", "Lind", "Novak")
    ]
    varied = " ".join(
        f"{names[i % len(names)]}{i}, a senior fellow at the Riga Policy Institute, said on Monday that "
        f"{i + salt} containers had crossed the border, according to the defence ministry."
        for i in range(800)
    )
    return {
        "repeated": " ".join([f"Officials said the report found {salt} million shells, he added."] * 2000),
        "varied": varied,
        "capitals": " ".join([f"Alpha Beta Gamma Delta{salt}"] * 3000) + " said.",
        "commas": ", ".join([f"Kim Jong{salt}"] * 3000) + " said.",
        "quotes": "“" * 3000 + f" said Kim{salt}.",
        "one word": "x" * 60_000 + f"{salt} said Kim.",
        "verbs": " ".join([f"Kim{salt} said Lee told Park warned"] * 60) + ".",  # one long sentence of verbs
    }


def _ordinary_paragraphs(salt: int) -> list[str]:
    """200 short paragraphs of one attributing sentence each: as many sentences as one paragraph
    is read for at most."""
    return [
        f"Minister Lena Holm{i} said on Tuesday that {i + salt} trucks of grain had reached the port."
        for i in range(200)
    ]


def test_a_paragraph_costs_bounded_time_however_long_or_repetitive():
    """No paragraph, however long or repetitive, costs more CPU time than twice the reading of
    200 ordinary one-sentence paragraphs at the same moment, so that a slower or busier machine
    moves both: reading looks back over a bounded number of sources, parses a sentence met again
    once, and reads at most 100 sentences of a paragraph that could attribute; figures are read
    from the same sentences (at most `max_paragraph_sentences`). Measured on a 2-core machine:
    15-110 ms for these paragraphs, 100-200 ms for the ordinary ones. A paragraph whose cost grew
    with the square of its length would take seconds.

    Each case is read twice with new words (so that no cache serves the second reading) and
    its faster reading counts: a pause of the machine is not the paragraph's cost."""
    # What a process does once (tables loaded, patterns compiled), for sources and figures both.
    extract_citations(_article("Kim said 12 tanks had crossed the border, according to the ministry."))
    for number, name in enumerate(_hostile_paragraphs(0)):
        readings = []
        for salt in (2 * number + 1, 2 * number + 2):
            ordinary = _cpu_seconds(lambda salt=salt: extract_citations(_article(*_ordinary_paragraphs(salt))))
            text = _hostile_paragraphs(salt)[name]
            readings.append((_cpu_seconds(lambda text=text: extract_citations(_article(text))), ordinary))
        seconds, ordinary = min(readings)
        print(f"\n{name}: {len(text):,} characters, {seconds * 1000:.0f} ms (ordinary: {ordinary * 1000:.0f} ms)")
        assert seconds < 2 * ordinary, (name, seconds, ordinary)


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
    # The labelled sets have no possessive document ("X's report"), no claim by an agent ("as
    # revealed by X", "warnings by X"), no article's own source and no report said to hold a
    # claim; these are written here.
    sentences += [
        "The Asan Institute's annual survey found support for nuclear weapons at 71%.",
        "The shipments, as revealed by the State Department, began in March.",
        "The test came despite warnings by Seoul and Tokyo.",
        "This article first appeared in the Baltic Times.",
        "Prices rose after a Japanese report that exports had slowed.",
    ]
    matched = Counter()
    for sentence in sentences:
        words = set(re.findall(r"\w+", sentence))  # whole words, as the check reads them
        for pattern, needed in PATTERN_WORDS.items():
            if pattern.search(sentence):
                matched[pattern] += 1
                assert not words.isdisjoint(needed), (pattern.pattern[:80], sentence)
    # Every pattern was put to the test.
    assert set(matched) == set(PATTERN_WORDS), [p.pattern[:60] for p in set(PATTERN_WORDS) - set(matched)]
