"""The claims stage read in parts of whole articles gives exactly the tables of one pass, in this
process and in the local engine's worker processes. (Ray and Dask: test_engines.)"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from analysis import Settings, extract_figures, load_corpus, prepare
from analysis.claims import article_parts, claims_in_parts, read_claims
from analysis.run import EngineError, LocalEngine
from analysis.tables import CITATION_COLUMNS, FIGURE_COLUMNS

from .conftest import ROOT, SAMPLE
from .small_parts import SmallParts

# The article's second paragraph needs its first: "It" is North Korea, "the report" is the
# institute's, and the analyst is named in full only once.
CARRIED_STATE = [
    {"doc": "a", "article": 1, "paragraph": 1, "pid": "a|1|1", "text": "The Korea Institute for Defense "
     "Analyses released a report on Monday. Pyongyang has deepened ties with Moscow, said Kim Min-jun, "
     "a senior fellow at the Asan Institute."},
    {"doc": "a", "article": 1, "paragraph": 2, "pid": "a|1|2",
     "text": "It has sent 12,000 troops to Russia, the report says. Kim said the ties would last."},
    {"doc": "a", "article": 2, "paragraph": 1, "pid": "a|2|1",
     "text": "It has sent 5,000 tonnes of rice to Syria, the report says."},
    {"doc": "b", "article": 1, "paragraph": 1, "pid": "b|1|1",
     "text": "Russia gave North Korea $1.2 billion in 2024, according to the Sejong Institute."},
]  # fmt: skip


@pytest.fixture(scope="module")
def sample_paragraphs():
    return prepare(load_corpus([SAMPLE / "corpus"]), Settings()).paragraphs


def _assert_same_tables(paragraphs, engine, rows):
    claims, expected = claims_in_parts(paragraphs, None, engine, rows=rows), read_claims(paragraphs)
    pd.testing.assert_frame_equal(claims.figures, expected.figures)
    pd.testing.assert_frame_equal(claims.citations, expected.citations)
    pd.testing.assert_frame_equal(claims.sources, expected.sources)


def test_parts_end_only_where_articles_end(sample_paragraphs):
    parts = list(article_parts(sample_paragraphs, rows=5))
    assert len(parts) >= 3
    pd.testing.assert_frame_equal(pd.concat(parts), sample_paragraphs)
    keys = [set(zip(part["doc"], part["article"], strict=True)) for part in parts]
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            assert not first & second  # no article in two parts
    assert all(len(part) >= 5 for part in parts[:-1])
    # An article longer than a part stays whole.
    assert [len(p) for p in article_parts(pd.DataFrame(CARRIED_STATE), rows=1)] == [2, 1, 1]
    assert list(article_parts(sample_paragraphs.iloc[:0])) == []


@pytest.mark.parametrize("workers", [1, 2])
def test_parts_give_the_tables_of_one_pass(sample_paragraphs, workers):
    _assert_same_tables(sample_paragraphs, LocalEngine(workers), rows=4)


def test_state_carried_inside_an_article_survives_the_cut():
    paragraphs = pd.DataFrame(CARRIED_STATE)
    _assert_same_tables(paragraphs, LocalEngine(2), rows=1)
    claims = claims_in_parts(paragraphs, None, LocalEngine(2), rows=1)
    figure = claims.figures.iloc[0]
    assert figure["source"] == "Korea Institute for Defense Analyses" and figure["giver"] == "North Korea"
    # The figure stands on the citation of its sentence, "the report says".
    cited = claims.citations.set_index("citation").loc[figure["citation"]]
    assert cited["source"] == figure["source"] and cited["pid"] == "a|1|2"
    # What a cut inside the article would have lost: the second paragraph alone.
    alone = extract_figures(paragraphs.iloc[[1]])
    assert alone.iloc[0]["source"] == "the report" and alone.iloc[0]["giver"] != "North Korea"


def test_citations_keep_reading_order_when_rows_come_shuffled(sample_paragraphs):
    shuffled = sample_paragraphs.sample(frac=1.0, random_state=3)
    _assert_same_tables(shuffled, LocalEngine(2), rows=4)


def test_progress_counts_paragraphs_up_to_the_total(sample_paragraphs):
    seen: list[int] = []
    claims_in_parts(sample_paragraphs, None, LocalEngine(2), rows=5, done=seen.append)
    assert seen == sorted(seen) and seen[-1] == len(sample_paragraphs)
    assert len(seen) == len(list(article_parts(sample_paragraphs, rows=5)))


def test_empty_input_gives_empty_tables_with_their_columns():
    empty = pd.DataFrame(columns=["doc", "article", "paragraph", "pid", "text"])
    claims = claims_in_parts(empty, None, LocalEngine(2))
    assert claims.figures.empty and claims.sources.empty and claims.citations.empty
    assert list(claims.figures.columns) == FIGURE_COLUMNS
    assert list(claims.citations.columns) == CITATION_COLUMNS


def _exit_worker(part):
    import os

    os._exit(3)


def test_a_worker_that_dies_is_one_clear_error(sample_paragraphs):
    parts = list(article_parts(sample_paragraphs, rows=5))
    with pytest.raises(EngineError, match="worker process stopped"):
        LocalEngine(2).map(_exit_worker, parts)


def test_a_script_without_a_main_guard_reads_in_worker_processes(tmp_path):
    """Workers must not run the caller's script again (multiprocessing's spawn would, and
    fail: a notebook-style script has no `if __name__ == "__main__":`)."""
    script = tmp_path / "unguarded.py"
    script.write_text(
        textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from analysis import Settings, load_corpus, prepare
        from analysis.claims import claims_in_parts
        from analysis.run import LocalEngine
        print("script ran")
        paragraphs = prepare(load_corpus([{str(SAMPLE / "corpus")!r}]), Settings()).paragraphs
        print(len(claims_in_parts(paragraphs, None, LocalEngine(2), rows=5).figures), "figures")
        """)
    )
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.count("script ran") == 1
    assert run.stdout.strip().endswith(
        f"{len(extract_figures(prepare(load_corpus([SAMPLE / 'corpus'])).paragraphs))} figures"
    )


def test_prepare_in_parts_finds_duplicates_across_parts_and_gives_the_same_tables(tmp_path):
    paragraphs = [
        "Moscow and Pyongyang signed a defence pact on Wednesday, state media reported from the capital.",
        "Seoul is weighing how far its technology transfer rules should go after the chip export row.",
        "Analysts at the Sejong Institute said the summit changed little in the balance of power.",
        "Beijing urged restraint as the talks in Vladivostok ended without a joint statement today.",
    ]
    for number, text in enumerate(paragraphs):
        (tmp_path / f"story-{number}.txt").write_text(
            f"Story {number}\n\n{text}\n\nMore on story {number} later.\n"
        )
    # A copy of story 0's paragraph with other quotes, and a near copy of story 1's, in files
    # that land in other parts.
    (tmp_path / "story-4.txt").write_text("Copy\n\n" + paragraphs[0].replace("defence", "‘defence’") + "\n")
    (tmp_path / "story-5.txt").write_text(
        "Near\n\n" + paragraphs[1].replace("row.", "row, officials said.") + "\n"
    )
    corpus = load_corpus([tmp_path])
    whole = prepare(corpus, Settings(near_duplicate_threshold=0.7), LocalEngine(1))
    engine = SmallParts(LocalEngine(2), rows=1)  # a document, or a paragraph, a part
    parts = prepare(corpus, Settings(near_duplicate_threshold=0.7), engine)
    # documents, duplicate signatures, languages: each read in several parts
    assert len(engine.parts) == 3 and min(engine.parts) >= 6, engine.parts
    for name in ("documents", "articles", "paragraphs", "duplicates", "removed"):
        pd.testing.assert_frame_equal(getattr(parts, name), getattr(whole, name), obj=name)
    copies = dict(zip(parts.duplicates["doc"], parts.duplicates["kept_doc"], strict=True))
    assert copies == {"story-4.txt": "story-0.txt", "story-5.txt": "story-1.txt"}


def test_a_documents_headline_is_read_once_when_its_articles_fall_in_two_parts():
    title = "Norway pledges $150 million in military aid to Ukraine – defence minister"
    paragraphs = pd.DataFrame(
        [
            {"doc": "c", "article": 1, "paragraph": 1, "pid": "c|1|1", "title": title,
             "text": "The first deliveries are due in May."},
            {"doc": "c", "article": 2, "paragraph": 1, "pid": "c|2|1", "title": title,
             "text": "Officials gave no further details on the schedule."},
        ]
    )  # fmt: skip
    _assert_same_tables(paragraphs, LocalEngine(2), rows=1)
    claims = claims_in_parts(paragraphs, None, LocalEngine(2), rows=1)
    assert (claims.citations["start"] == -1).sum() == 1 and (claims.figures["amount"] == 150e6).sum() == 1
