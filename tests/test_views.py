"""What the pages show, computed without Streamlit: edits, filters, search, context, tallies."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analysis import (
    HashingEmbedder,
    apply_theme_edits,
    build_analysis,
    corpus_summary,
    filter_paragraphs,
    largest_first,
    load_corpus,
    paragraph_context,
    semantic_search,
    theme_share_by_outlet,
    themes_over_time,
)
from analysis.charts import theme_share_by_outlet_chart, theme_sizes_chart, themes_over_time_chart
from ui.urlstate import ViewState, parse_view_state

from .test_pipeline import SAMPLE, SETTINGS


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return build_analysis(
        load_corpus([SAMPLE / "corpus"]),
        SETTINGS,
        embedder=HashingEmbedder(),
        cache_dir=tmp_path_factory.mktemp("c"),
    )


def test_themes_are_listed_largest_first_and_other_last():
    # Seeded themes keep their ids whatever their size, and an update keeps ids as themes grow.
    themes = pd.DataFrame({
        "theme_id": [0, 1, 2, 3, -1], "theme": ["Seeded", "Grown", "Even", "Small", "Other"],
        "size": [2, 9, 9, 5, 40], "keywords": ["a", "b", "c", "d", ""],
    })  # fmt: skip
    assert largest_first(themes)["theme"].tolist() == ["Grown", "Even", "Small", "Seeded", "Other"]
    # The sizes chart in the same order, from the top (plotly draws the first bar at the bottom).
    assert list(theme_sizes_chart(themes).data[0].y)[::-1] == ["Grown", "Even", "Small", "Seeded", "Other"]


def test_merge_then_rename(result):
    ids = [i for i in result.themes["theme_id"] if i >= 0][:3]
    sizes = result.themes.set_index("theme_id")["size"]
    edited = apply_theme_edits(result, renames={ids[0]: "Axis of upheaval"}, merges=[(ids[0], ids[1])])
    row = edited.themes.set_index("theme_id").loc[ids[0]]
    assert row["theme"] == "Axis of upheaval" and row["size"] == sizes[ids[0]] + sizes[ids[1]]
    assert ids[1] not in set(edited.themes["theme_id"])
    assert (edited.paragraphs["theme"] == "Axis of upheaval").sum() == row["size"]
    assert set(edited.paragraphs["theme"]) <= set(edited.themes["theme"])
    # The merged theme's keywords and paragraphs are both themes', in turn, the larger's first.
    larger, smaller = sorted(ids[:2], key=lambda i: (-sizes[i], i))
    words = result.themes.set_index("theme_id")["keywords"].str.split(", ")
    assert row["keywords"].split(", ")[:2] == [words[larger][0], words[smaller][0]]
    shown = result.themes.set_index("theme_id")["representative"]
    assert list(row["representative"])[:2] == [shown[larger][0], shown[smaller][0]]
    # The original is untouched, and nonsense edits are ignored.
    assert ids[1] in set(result.themes["theme_id"])
    same = apply_theme_edits(
        result, renames={999: "x", ids[2]: "Other"}, merges=[(ids[0], 999), (-1, ids[0])]
    )
    assert same.themes["theme"].tolist() == result.themes["theme"].tolist()


def test_filters(result):
    paragraphs = result.paragraphs
    taipei = filter_paragraphs(paragraphs, outlets=["Taipei Times"])
    assert taipei.sum() == (paragraphs["outlet"] == "Taipei Times").sum() > 0
    theme = paragraphs["theme"].iloc[0]
    assert filter_paragraphs(paragraphs, themes=[theme]).sum() == (paragraphs["theme"] == theme).sum()
    in_2024 = filter_paragraphs(paragraphs, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    assert set(paragraphs[in_2024]["date"]) == {"2024-06-16"}
    assert filter_paragraphs(paragraphs).all()
    korean = paragraphs.assign(lang=["ko"] + ["en"] * (len(paragraphs) - 1))
    assert filter_paragraphs(korean, languages=["ko"]).tolist() == [True] + [False] * (len(paragraphs) - 1)


def test_semantic_search_ranks_and_respects_the_mask(result):
    vectors = result.embeddings
    target = 5
    rows, scores = semantic_search(vectors[target], vectors, top_k=3)
    assert rows[0] == target and scores[0] == pytest.approx(1.0, abs=1e-5)
    assert list(scores) == sorted(scores, reverse=True)
    mask = np.ones(len(vectors), dtype=bool)
    mask[target] = False
    rows, _ = semantic_search(vectors[target], vectors, mask=mask, top_k=3)
    assert target not in rows
    rows, scores = semantic_search(vectors[target], vectors, mask=np.zeros(len(vectors), bool))
    assert len(rows) == len(scores) == 0


def test_paragraph_context(result):
    pid = result.paragraphs["pid"].iloc[6]
    context = paragraph_context(result, pid, around=1)
    assert context["text"] == result.paragraphs["text"].iloc[6]
    assert len(context["before"]) == 1 and len(context["after"]) == 1
    assert paragraph_context(result, "nope|1|1") is None


def test_tallies_and_their_charts(result):
    shares = theme_share_by_outlet(result.paragraphs)
    assert np.allclose(shares.groupby("outlet")["share"].sum(), 1.0, atol=1e-3)
    figure = theme_share_by_outlet_chart(shares, result.themes)
    assert sum(np.sum(t.x) for t in figure.data) == pytest.approx(shares["outlet"].nunique(), abs=1e-3)
    counts = themes_over_time(result.paragraphs)
    assert counts["paragraphs"].sum() == len(result.paragraphs)  # every sample document is dated
    figure = themes_over_time_chart(counts, result.themes)
    assert sum(np.sum(t.y) for t in figure.data) == len(result.paragraphs)
    summary = corpus_summary(result)
    assert (summary["documents"], summary["first_date"], summary["last_date"]) == (
        2,
        "2024-06-16",
        "2025-12-05",
    )
    # One outlet is known (the manifest's); the other document's file name is no outlet.
    assert (summary["outlets"], summary["no_outlet"]) == (1, 1)


def test_view_state_round_trip_and_bad_links():
    state = ViewState(
        corpus="build:korea-2025", theme=3, query="arms", filter_themes=[1, 2], outlets=["Taipei Times"],
        date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), renames={3: "Trade war"}, merges=[(3, 5)],
    )  # fmt: skip
    params = {k: v if isinstance(v, list) else [v] for k, v in state.to_params().items()}
    parsed, notices = parse_view_state(params)
    assert parsed == state and notices == []
    bad = {
        "corpus": ["../../etc/passwd"], "theme": ["x"], "from": ["2024-13-40"], "rename": ["nocolon"],
        "merge": ["1"], "evil": ["1"], "q": ["a" * 600], "to": ["2020-01-01"],
    }  # fmt: skip
    parsed, notices = parse_view_state(bad)
    assert parsed.corpus == "sample" and parsed.theme is None and parsed.date_from is None
    assert parsed.renames == {} and parsed.merges == [] and len(parsed.query) == 500
    assert len(notices) == 7


def _many(n: int, themes: dict[int, float], seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = rng.choice(list(themes), size=n, p=list(themes.values()))
    return pd.DataFrame(
        {"theme_id": ids, "x": rng.normal(size=n), "y": rng.normal(size=n), "pid": np.arange(n)}
    )


def test_the_map_sample_keeps_every_theme_in_proportion_and_is_repeatable():
    from analysis import map_density, map_sample

    paragraphs = _many(100_000, {0: 0.6, 1: 0.3, 2: 0.0995, -1: 0.0005})
    shown = map_sample(paragraphs, limit=10_000, seed=7)
    assert 9_900 <= len(shown) <= 10_100
    assert shown.equals(map_sample(paragraphs, limit=10_000, seed=7))
    shares = shown["theme_id"].value_counts(normalize=True)
    assert abs(shares[0] - 0.6) < 0.01 and abs(shares[1] - 0.3) < 0.01
    # A theme too small for its share still shows a few points.
    assert (shown["theme_id"] == -1).sum() >= 30
    assert map_sample(paragraphs.head(500), limit=10_000) is not None
    assert len(map_sample(paragraphs.head(500), limit=10_000)) == 500
    density = map_density(paragraphs, bins=50)
    assert sum(map(sum, density["counts"])) == len(paragraphs)
    assert len(density["x"]) == len(density["y"]) == 50


def test_page_of_clamps_to_the_pages_there_are():
    from analysis import page_of

    table = pd.DataFrame({"n": range(1_234)})
    page, pages = page_of(table, 3, size=500)
    assert pages == 3 and list(page["n"]) == list(range(1_000, 1_234))
    assert list(page_of(table, 99, size=500)[0]["n"]) == list(range(1_000, 1_234))
    assert list(page_of(table, 0, size=500)[0]["n"])[:2] == [0, 1]
    assert page_of(table.head(0), 1)[1] == 1


def test_search_with_a_partial_sort_matches_a_full_sort_ties_included():
    from analysis import semantic_search

    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(5_000, 16)).astype(np.float32)
    vectors[100:140] = vectors[7]  # many rows tied with one another
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    mask = rng.random(5_000) > 0.2
    for query in (vectors[7], rng.normal(size=16).astype(np.float32)):
        rows, scores = semantic_search(query, vectors, mask, top_k=25)
        all_scores = vectors @ query
        candidates = np.flatnonzero(mask)
        expected = candidates[np.lexsort((candidates, -all_scores[candidates]))][:25]
        assert list(rows) == list(expected)
        assert np.array_equal(scores, all_scores[rows])


def test_a_search_lists_only_close_paragraphs_and_says_how_many_were_cut():
    from analysis.views import SEARCH_FLOOR, search_paragraphs

    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    query = vectors[3]
    scores = vectors @ query
    found = search_paragraphs(query, vectors)
    assert (found.scores >= SEARCH_FLOOR).all() and found.rows[0] == 3
    assert len(found.rows) == (scores >= SEARCH_FLOOR).sum()
    assert found.below_floor == (scores < SEARCH_FLOOR).sum() > 0 and found.beyond_limit == 0
    assert "left out" in found.describe() and "among 50 paragraphs" in found.describe()
    # At most `limit`, and the rest above the floor counted.
    few = search_paragraphs(query, vectors, limit=2)
    assert list(few.rows) == list(found.rows[:2]) and few.beyond_limit == len(found.rows) - 2
    assert f"{few.beyond_limit:,} more above it not listed" in few.describe()
    # The filters' mask bounds what is searched; nothing close: said so.
    mask = np.zeros(50, bool)
    mask[[3, 4]] = True
    assert search_paragraphs(query, vectors, mask).searched == 2
    assert search_paragraphs(query, vectors, mask, floor=1.1).describe().startswith(
        "No paragraph is close enough in meaning to the query, among 2 paragraphs"
    )
    assert search_paragraphs(query, vectors, np.zeros(50, bool)).describe().startswith("No paragraph matches")
    one = search_paragraphs(query, vectors, mask, floor=0.999)
    assert one.describe().startswith("The 1 paragraph closest") and "1 paragraph scoring below" in one.describe()


def test_a_search_reads_each_vector_once():
    """A build's vectors are read from disk and widened from float16: at a million paragraphs one
    reading took 2.6-3.0 s, and the search read them twice (for the floor, then for the ranking)."""
    from analysis.views import search_paragraphs

    blocks = []

    class CountedVectors(np.ndarray):
        """Vectors that note each block read of them (a slice of rows)."""

        def __getitem__(self, key):
            if isinstance(key, slice):
                blocks.append(key)
            return np.asarray(super().__getitem__(key))

    vectors = np.eye(6, 4, dtype=np.float16)[[0, 1, 0, 2, 3, 0]].view(CountedVectors)
    found = search_paragraphs(np.array([1, 0, 0, 0], np.float32), vectors, limit=2)
    assert len(blocks) == 1 and list(found.rows) == [0, 2] and found.beyond_limit == 1


def test_counts_and_names_are_written_alike_everywhere():
    from analysis.views import counted, document_name, reading_order

    assert counted(1, "paragraph") == "1 paragraph" and counted(2310, "paragraph") == "2,310 paragraphs"
    assert counted(0, "theme") == "0 themes" and counted(3, "country", "countries") == "3 countries"
    assert document_name("  Seoul's  new line ", "a/b.txt") == "Seoul's new line"
    assert document_name("", "corpus/korea/b.txt") == "b.txt"
    assert document_name(None, None) == "untitled document"
    from analysis.views import named_documents

    documents = pd.DataFrame({"doc": ["a/x.txt", "y.txt"], "title": ["", "Y"]})
    # The documents table names each row's file: its title is the next column. "document" is
    # what other tables call a document by its title.
    assert named_documents(documents)["file"].tolist() == ["x.txt", "y.txt"]
    assert reading_order(named_documents(documents).columns)[:2] == ["file", "title"]
    assert "document" not in named_documents(documents)
    # The Corpus page's documents name outlets as every page does: a file's name is no outlet.
    documents = pd.DataFrame(
        {"doc": ["x.txt", "y.txt"], "outlet": ["x", "Yonhap"], "outlet_from": ["file name", "manifest"]}
    )
    shown = named_documents(documents)
    assert shown["outlet"].tolist() == ["outlet not known", "Yonhap"]
    assert shown["outlet_from"].tolist() == ["", "manifest"]
    assert reading_order(["pid", "doc", "score", "outlet", "date", "theme", "title", "text", "size"]) == [
        "text", "score", "title", "theme", "outlet", "date", "size", "doc", "pid",
    ]  # fmt: skip


def test_a_merge_asks_for_a_name_and_a_link_to_an_unknown_theme_is_told():
    from analysis.views import plan_merge, theme_to_show

    names = {-1: "Other", 0: "New Cold War", 1: "Technology transfer", 2: "Trade"}
    assert plan_merge([1, 0], "", names) == ((0, 1), "", "")
    assert plan_merge([1, 0], " New Cold War ", names) == ((0, 1), "", "")
    assert plan_merge([1, 0], "Great-power  rivalry", names) == ((0, 1), "Great-power rivalry", "")
    # A name of a theme in the group may be kept; another theme's, or Other, may not.
    assert plan_merge([1, 0], "Technology transfer", names) == ((0, 1), "Technology transfer", "")
    assert plan_merge([1, 0], "Trade", names)[2] == "That name is taken by another theme."
    assert plan_merge([1, 0], "Other", names)[2]
    assert plan_merge([1, -1], "", names)[2] == "Choose at least two themes to merge."
    assert theme_to_show(2, [-1, 0, 2]) == (2, False)
    assert theme_to_show(None, [0, 2]) == (0, False)
    assert theme_to_show(99999, [0, 2]) == (0, True)
    assert theme_to_show(1, [0, 2], merges=[(0, 1)]) == (0, False)  # merged away: where it went
    # With nothing requested, the first theme that holds paragraphs (an empty seeded one is skipped).
    assert theme_to_show(None, [0, 1, 2, 3], sizes=[0, 0, 5, 2]) == (2, False)
    assert theme_to_show(99999, [0, 1], sizes=[0, 4]) == (1, True)
    assert theme_to_show(0, [0, 1], sizes=[0, 4]) == (0, False)  # asked for: shown, empty or not
    assert theme_to_show(None, [0, 1], sizes=[0, 0]) == (0, False)


def test_a_document_without_a_known_outlet_is_named_alike_everywhere(result):
    from analysis.views import NO_OUTLET_WORDS, document_origin, document_outlet, name_unknown_outlets

    documents = result.documents
    from_file = documents[documents["outlet_from"] == "file name"]
    assert len(from_file)  # the sample has one document whose outlet is only its file's name
    doc = str(from_file["doc"].iloc[0])
    assert document_outlet(documents, doc) == NO_OUTLET_WORDS
    assert document_origin(documents, doc, "A title").startswith(f"{NO_OUTLET_WORDS}, ")
    named = name_unknown_outlets(result)
    outlets = named.paragraphs.loc[named.paragraphs["doc"] == doc, "outlet"]
    assert set(outlets) == {NO_OUTLET_WORDS}
    assert paragraph_context(named, outlets.index.map(named.paragraphs["pid"].get)[0])["outlet"] == NO_OUTLET_WORDS
    # Known outlets are untouched.
    assert "Taipei Times" in set(named.paragraphs["outlet"])
    assert name_unknown_outlets(named).paragraphs.equals(named.paragraphs)


@pytest.mark.parametrize(
    "share, written",
    [(0.0, "0%"), (0.000169, "<1%"), (0.004, "<1%"), (0.26, "26%"), (0.996, ">99%"), (1.0, "100%")],
)
def test_a_share_is_never_rounded_to_none_or_all(share, written):
    from analysis.views import percent

    assert percent(share) == written


def test_articles_and_duplicates_name_their_documents_as_every_page_does():
    import pandas as pd

    from analysis.views import reading_order, with_document_names

    documents = pd.DataFrame({"doc": ["a1b2c3", "d4e5f6"], "title": ["Harbour talks resume", ""]})
    duplicates = pd.DataFrame({"text": ["Same line."], "doc": ["d4e5f6"], "kept_doc": ["a1b2c3"]})
    named = with_document_names(duplicates, documents)
    assert named["document"].tolist() == ["d4e5f6"] and named["kept_document"].tolist() == ["Harbour talks resume"]
    assert reading_order(named.columns) == ["document", "kept_document", "text", "doc", "kept_doc"]
    # A document the table does not know is named by its id, as elsewhere; no id column: unchanged.
    assert with_document_names(pd.DataFrame({"doc": ["zz/x.txt"]}), documents)["document"].tolist() == ["x.txt"]
    assert with_document_names(documents[["title"]], documents).equals(documents[["title"]])


def _unit_vectors(rows: int, dimensions: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(rows, dimensions)).astype(np.float32)
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float16)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_search_on_codes_finds_what_scoring_every_vector_finds(seed):
    """A build's int8 codes rank first, then the paragraphs they leave in doubt are scored on
    their vectors: the same rows, scores and counts as scoring every vector, at any floor
    (one placed on a paragraph's own score too), limit and filter."""
    from analysis import VectorCodes
    from analysis.views import search_paragraphs

    vectors = _unit_vectors(4_000, 24, seed)
    codes = VectorCodes.of(vectors)
    rng = np.random.default_rng(seed)
    exact_scores = np.asarray(vectors, np.float32) @ np.asarray(vectors[7], np.float32)
    for floor in (0.0, 0.3, float(np.sort(exact_scores)[-40]), 0.99):
        for limit in (1, 25, 100, 5_000):
            for mask in (None, rng.random(len(vectors)) < 0.5):
                query = np.asarray(vectors[7], np.float32)
                expected = search_paragraphs(query, vectors, mask, floor=floor, limit=limit)
                found = search_paragraphs(query, vectors, mask, floor=floor, limit=limit, codes=codes)
                assert list(found.rows) == list(expected.rows), (floor, limit)
                np.testing.assert_allclose(found.scores, expected.scores, atol=1e-6)
                assert (found.searched, found.below_floor, found.beyond_limit) == (
                    expected.searched,
                    expected.below_floor,
                    expected.beyond_limit,
                )


def test_a_search_on_codes_reads_few_vectors():
    """The codes leave in doubt only the paragraphs near the floor or near the last listed."""
    from analysis import VectorCodes
    from analysis.views import search_paragraphs

    read = []

    class CountedVectors(np.ndarray):
        def __getitem__(self, key):
            read.append(len(np.arange(len(self))[key]))
            return np.asarray(super().__getitem__(key))

    vectors = _unit_vectors(20_000, 64, 3)
    codes = VectorCodes.of(vectors)
    found = search_paragraphs(np.asarray(vectors[0], np.float32), vectors.view(CountedVectors), codes=codes)
    assert found.rows[0] == 0 and 0 < sum(read) < len(vectors) // 10
    # Values within half a step of their codes.
    step = np.asarray(vectors, np.float32) - codes.codes.astype(np.float32) * codes.scales
    assert (np.abs(step) <= codes.scales / 2 + 1e-7).all()


def test_known_outlets_is_the_outlet_given_and_never_a_file_name():
    from analysis.tables import OUTLET_FROM_FILE_NAME
    from analysis.views import known_outlets

    documents = pd.DataFrame(
        {
            "doc": ["a.html", "b.txt", "c.txt"],
            "outlet": ["  Yonhap ", "b", ""],
            "outlet_from": ["manifest", OUTLET_FROM_FILE_NAME, ""],
        }
    )
    paragraphs = pd.DataFrame({"doc": ["b.txt", "a.html", "c.txt", "a.html"], "outlet": ["b", "Yonhap", None, "Yonhap"]})
    assert known_outlets(documents).tolist() == ["Yonhap", "", ""]
    assert known_outlets(paragraphs, documents).tolist() == ["", "Yonhap", "", "Yonhap"]
    # Tables without the columns: what is known of them.
    assert known_outlets(documents.drop(columns="outlet_from")).tolist() == ["Yonhap", "b", ""]
    assert known_outlets(documents.drop(columns="outlet")).tolist() == ["", "", ""]
    assert known_outlets(paragraphs, documents.iloc[:0]).tolist() == ["b", "Yonhap", "", "Yonhap"]


def test_a_themes_table_lists_its_closest_paragraphs_first_ties_in_corpus_order():
    from analysis.views import theme_members

    paragraphs = pd.DataFrame(
        {
            "pid": [f"d:{i}" for i in range(6)],
            "theme_id": [1, 2, 1, 1, 1, 1],
            "similarity": [0.2, 0.9, 0.5, np.nan, 0.2, 0.7],
            "outlet": "Wire",
            "date": "",
            "title": "",
            "text": [f"paragraph {i}" for i in range(6)],
        }
    )
    table = theme_members(paragraphs, 1)
    assert table["pid"].tolist() == ["d:5", "d:2", "d:0", "d:4", "d:3"]
    assert table.columns.tolist() == ["outlet", "date", "title", "text", "similarity", "pid"]
    assert theme_members(paragraphs, 7).empty
