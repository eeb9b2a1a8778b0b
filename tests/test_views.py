"""What the pages show, computed without Streamlit: edits, filters, search, context, tallies."""

from datetime import date

import numpy as np
import pytest

from analysis import (
    HashingEmbedder,
    apply_theme_edits,
    build,
    corpus_summary,
    filter_paragraphs,
    load_corpus,
    paragraph_context,
    semantic_search,
    theme_share_by_outlet,
    themes_over_time,
)
from analysis.charts import theme_share_by_outlet_chart, themes_over_time_chart
from ui.urlstate import ViewState, parse_view_state

from .test_pipeline import SAMPLE, SETTINGS


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return build(
        load_corpus([SAMPLE / "corpus"]),
        SETTINGS,
        embedder=HashingEmbedder(),
        cache_dir=tmp_path_factory.mktemp("c"),
    )


def test_merge_then_rename(result):
    ids = [i for i in result.themes["theme_id"] if i >= 0][:3]
    sizes = result.themes.set_index("theme_id")["size"]
    edited = apply_theme_edits(result, renames={ids[0]: "Axis of upheaval"}, merges=[(ids[0], ids[1])])
    row = edited.themes.set_index("theme_id").loc[ids[0]]
    assert row["theme"] == "Axis of upheaval" and row["size"] == sizes[ids[0]] + sizes[ids[1]]
    assert ids[1] not in set(edited.themes["theme_id"])
    assert (edited.paragraphs["theme"] == "Axis of upheaval").sum() == row["size"]
    assert set(edited.paragraphs["theme"]) <= set(edited.themes["theme"])
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
