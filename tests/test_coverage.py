"""Source coverage: outlets and cited sources per theme, theme backing and its warnings, outlets
over time, document provenance, and their charts. Counts are checked against tables written out
by hand, or counted again here the slow way."""

from __future__ import annotations

import dataclasses
import html
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis import (
    OTHER_ID,
    Analysis,
    HashingEmbedder,
    apply_theme_edits,
    build_analysis,
    coverage_paragraphs,
    document_provenance,
    load_corpus,
    outlets_over_time,
    source_coverage,
    theme_backing,
)
from analysis.charts import outlets_over_time_chart, source_coverage_chart
from ui.components import clicked_cell

from .conftest import analysis_of
from .test_pipeline import SAMPLE, SETTINGS

THEMES = {0: "Alpha", 1: "Beta", 2: "Gamma", 3: "Delta", 4: "Epsilon", OTHER_ID: "Other"}
# pid: (theme id, text)
PARAGRAPHS = {
    "a.txt|1|1": (0, "KCNA reported the launch. KCNA said it was a success."),
    "a.txt|1|2": (0, "Rodong Sinmun wrote an editorial."),
    "a.txt|1|3": (1, "Lee Sung-yoon, a fellow at the Sejong Institute, said so."),
    "a.txt|1|4": (4, "KCNA claimed victory."),
    "b.txt|1|1": (0, "Lee Sung-yoon, a fellow at the Sejong Institute, noted it."),
    "b.txt|1|2": (2, "KCNA reported the talks."),
    "b.txt|1|3": (3, "Nobody is quoted here."),
    "b.txt|1|4": (4, "Xinhua reported the visit."),
    "c.txt|1|1": (1, "A paragraph of a file with no outlet."),
    "c.txt|1|2": (OTHER_ID, "Weather."),
}
OUTLETS = {"a.txt": "Outlet A", "b.txt": "Outlet B", "c.txt": "c"}  # c: only its file name
# (source, kind, pid, verb)
CITATIONS = [
    ("KCNA", "state media", "a.txt|1|1", "reported"),
    ("KCNA", "state media", "a.txt|1|1", "said"),  # the same paragraph twice: counted once
    ("Rodong Sinmun", "state media", "a.txt|1|2", "wrote"),
    ("Lee Sung-yoon", "person", "a.txt|1|3", "said"),
    ("Sejong Institute", "think tank", "a.txt|1|3", "affiliation"),
    ("KCNA", "state media", "a.txt|1|4", "claimed"),
    ("Lee Sung-yoon", "person", "b.txt|1|1", "noted"),
    ("Sejong Institute", "think tank", "b.txt|1|1", "affiliation"),
    ("KCNA", "state media", "b.txt|1|2", "reported"),
    ("Xinhua", "state media", "b.txt|1|4", "reported"),
    ("Ghost", "person", "gone.txt|1|1", "said"),  # a paragraph no longer in the analysis
]


def _tiny() -> Analysis:
    rows = []
    for pid, (theme_id, text) in PARAGRAPHS.items():
        doc, article, paragraph = pid.split("|")
        rows.append(
            {
                "doc": doc,
                "article": int(article),
                "paragraph": int(paragraph),
                "outlet": OUTLETS[doc],
                "date": {"a.txt": "2024-01-05", "b.txt": "2024-02-10"}.get(doc, ""),
                "title": "",
                "text": text,
                "theme_id": theme_id,
                "theme": THEMES[theme_id],
                "pid": pid,
            }
        )
    paragraphs = pd.DataFrame(rows)
    sizes = paragraphs["theme_id"].value_counts()
    themes = pd.DataFrame(
        {
            "theme_id": list(THEMES),
            "theme": list(THEMES.values()),
            "size": [int(sizes.get(t, 0)) for t in THEMES],
            "keywords": "",
            "seeded": False,
            "share": 0.0,
            "representative": [[] for _ in THEMES],
        }
    )
    documents = pd.DataFrame(
        {
            "doc": ["a.txt", "b.txt", "c.txt"],
            "outlet": ["Outlet A", "Outlet B", "c"],
            "outlet_from": ["manifest", "text", "file name"],
            "date": ["2024-01-05", "2024-02-10", ""],
            "date_from": ["manifest", "text", ""],
            "title": ["A title", "", ""],
            "title_from": ["file", "", ""],
            "url": ["https://a.example/1", "", ""],
            "url_from": ["manifest", "", ""],
            "author": ["", "Jane Doe", ""],
            "author_from": ["", "text", ""],
        }
    )
    citations = pd.DataFrame(CITATIONS, columns=["source", "kind", "pid", "verb"])
    citations["doc"] = citations["pid"].str.split("|").str[0]
    return analysis_of(paragraphs, themes, documents, citations=citations)


def _cells(coverage: pd.DataFrame) -> dict[tuple[str, str], int]:
    return {(r.source, r.theme): r.paragraphs for r in coverage.itertuples()}


def test_coverage_by_outlet_counts_distinct_paragraphs():
    coverage = source_coverage(_tiny(), by="outlet")
    assert list(coverage.columns) == ["source", "kind", "theme_id", "theme", "paragraphs"]
    assert _cells(coverage) == {
        ("Outlet A", "Alpha"): 2,
        ("Outlet A", "Beta"): 1,
        ("Outlet A", "Epsilon"): 1,
        ("Outlet B", "Alpha"): 1,
        ("Outlet B", "Gamma"): 1,
        ("Outlet B", "Delta"): 1,
        ("Outlet B", "Epsilon"): 1,
        # c.txt's outlet is only its file name: no known outlet.
        ("outlet not known", "Beta"): 1,
        ("outlet not known", "Other"): 1,
    }
    kinds = dict(zip(coverage["source"], coverage["kind"], strict=False))
    assert kinds == {"Outlet A": "news outlet", "Outlet B": "news outlet", "outlet not known": "unknown"}
    assert coverage["paragraphs"].sum() == len(PARAGRAPHS)
    # Sorted by source, then theme id, every time.
    assert list(zip(coverage["source"], coverage["theme_id"], strict=True)) == sorted(
        zip(coverage["source"], coverage["theme_id"], strict=True)
    )


def test_an_empty_outlet_is_no_outlet_too():
    tiny = _tiny()
    tiny.paragraphs.loc[tiny.paragraphs["doc"] == "b.txt", "outlet"] = ""
    tiny.documents = tiny.documents.drop(columns=["outlet_from"])
    sources = set(source_coverage(tiny)["source"])
    assert sources == {"Outlet A", "outlet not known", "c"}


def test_coverage_by_cited_source():
    coverage = source_coverage(_tiny(), by="cited")
    assert _cells(coverage) == {
        ("KCNA", "Alpha"): 1,  # cited twice in one paragraph
        ("KCNA", "Gamma"): 1,
        ("KCNA", "Epsilon"): 1,
        ("Lee Sung-yoon", "Alpha"): 1,
        ("Lee Sung-yoon", "Beta"): 1,
        ("Rodong Sinmun", "Alpha"): 1,
        ("Sejong Institute", "Alpha"): 1,
        ("Sejong Institute", "Beta"): 1,
        ("Xinhua", "Epsilon"): 1,
    }
    assert "Ghost" not in set(coverage["source"])
    assert dict(zip(coverage["source"], coverage["kind"], strict=False))["Sejong Institute"] == "think tank"


def test_a_bad_by_is_refused():
    with pytest.raises(ValueError, match="outlet"):
        source_coverage(_tiny(), by="author")
    with pytest.raises(ValueError):
        coverage_paragraphs(_tiny(), "KCNA", 0, by="kind")


def test_paragraphs_behind_a_cell():
    tiny = _tiny()
    cell = coverage_paragraphs(tiny, "Outlet A", 0)
    assert list(cell.columns) == ["pid", "doc", "outlet", "date", "text"]
    assert list(cell["pid"]) == ["a.txt|1|1", "a.txt|1|2"]
    assert list(coverage_paragraphs(tiny, "KCNA", 0, by="cited")["pid"]) == ["a.txt|1|1"]
    assert list(coverage_paragraphs(tiny, "outlet not known", 1)["pid"]) == ["c.txt|1|1"]
    assert coverage_paragraphs(tiny, "Xinhua", 0, by="cited").empty
    # Every cell's count is the number of paragraphs listed behind it.
    for by in ("outlet", "cited"):
        for row in source_coverage(tiny, by).itertuples():
            assert len(coverage_paragraphs(tiny, row.source, row.theme_id, by)) == row.paragraphs


def test_a_theme_citing_hundreds_lists_the_first_few_and_counts_them_all():
    tiny = _tiny()
    # Alpha's first paragraph cites 30 more made-up analysts, besides its own three sources.
    extra = pd.DataFrame(
        [(f"Analyst {n:02d}", "person", "a.txt|1|1", "said", "a.txt") for n in range(30)],
        columns=["source", "kind", "pid", "verb", "doc"],
    )
    many = dataclasses.replace(tiny, citations=pd.concat([tiny.citations, extra], ignore_index=True))
    alpha = theme_backing(many).set_index("theme").loc["Alpha"]
    assert alpha["cited_sources"] == 33
    listed = alpha["source_list"].split("; ")
    assert len(listed) == 26 and listed[-1] == "and 8 more"
    # Most paragraphs first, then by name: every one cited in one paragraph here.
    assert listed[0] == "Analyst 00 (person, 1)" and listed[24] == "Analyst 24 (person, 1)"


def test_theme_backing_and_its_warnings():
    backing = theme_backing(_tiny()).set_index("theme")
    # As the heatmap's columns read: by id, "Other" last.
    assert list(backing.index) == ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Other"]
    alpha = backing.loc["Alpha"]
    # Sejong Institute is only Lee Sung-yoon's affiliation: not a voice of its own.
    assert (alpha["paragraphs"], alpha["outlets"], alpha["cited_sources"]) == (3, 2, 3)
    assert alpha["source_list"] == (
        "KCNA (state media, 1); Lee Sung-yoon (person, 1); Rodong Sinmun (state media, 1)"
    )
    assert alpha["outlet_list"] == "Outlet A (2); Outlet B (1)"
    assert alpha["warning"] == ""
    assert backing.loc["Beta", "warning"] == "Rests on a single cited source"
    assert backing.loc["Beta", "outlet_list"] == "Outlet A (1); outlet not known (1)"
    assert backing.loc["Gamma", "warning"] == (
        "Rests on a single outlet; Rests on a single cited source; Cited sources are state media only"
    )
    assert backing.loc["Delta", "warning"] == "Rests on a single outlet; Cites no source"
    assert backing.loc["Epsilon", "warning"] == "Cited sources are state media only"
    assert backing.loc["Epsilon", "cited_sources"] == 2
    assert backing.loc["Other", "warning"] == ""  # "Other" is not a theme to back


def test_a_theme_only_of_files_without_outlet():
    tiny = _tiny()
    tiny.paragraphs.loc[tiny.paragraphs["pid"] == "a.txt|1|3", "theme_id"] = 2
    tiny.paragraphs["theme"] = tiny.paragraphs["theme_id"].map(THEMES)
    assert theme_backing(tiny).set_index("theme").loc["Beta", "warning"] == "No known outlet; Cites no source"


def test_renamed_and_merged_themes_are_followed():
    edited = apply_theme_edits(_tiny(), renames={0: "Axis"}, merges=[(0, 4)])
    cells = _cells(source_coverage(edited, "cited"))
    assert cells[("KCNA", "Axis")] == 2 and cells[("Xinhua", "Axis")] == 1
    assert not any(theme in {"Alpha", "Epsilon"} for _, theme in cells)
    assert set(source_coverage(edited, "cited")["theme_id"]) <= {0, 1, 2}
    outlets = _cells(source_coverage(edited, "outlet"))
    assert outlets[("Outlet A", "Axis")] == 3 and outlets[("Outlet B", "Axis")] == 2
    backing = theme_backing(edited).set_index("theme")
    assert "Epsilon" not in backing.index
    assert backing.loc["Axis", "paragraphs"] == 5 and backing.loc["Axis", "cited_sources"] == 4
    assert list(coverage_paragraphs(edited, "KCNA", 0, by="cited")["pid"]) == ["a.txt|1|1", "a.txt|1|4"]


def test_views_of_an_analysis_with_other_tables_are_its_own():
    """What the views derive from an analysis's tables is kept while those tables live: an
    analysis sharing some of them (the analyst's source kinds, an edit) is counted anew."""
    tiny = _tiny()
    cited, outlets = _cells(source_coverage(tiny, "cited")), _cells(source_coverage(tiny, "outlet"))
    without_kcna = dataclasses.replace(tiny, citations=tiny.citations[tiny.citations["source"] != "KCNA"])
    assert {source for source, _ in _cells(source_coverage(without_kcna, "cited"))} == {
        source for source, _ in cited
    } - {"KCNA"}
    assert theme_backing(without_kcna).set_index("theme").loc["Gamma", "warning"] == "Rests on a single outlet; Cites no source"
    unnamed = dataclasses.replace(tiny, documents=tiny.documents.assign(outlet_from="file name"))
    assert set(source_coverage(unnamed, "outlet")["source"]) == {"outlet not known"}
    assert set(outlets_over_time(unnamed)["outlet"]) == {"outlet not known"}
    assert list(coverage_paragraphs(unnamed, "Outlet A", 0)["pid"]) == []
    # The first analysis, asked again, is unchanged.
    assert _cells(source_coverage(tiny, "cited")) == cited
    assert _cells(source_coverage(tiny, "outlet")) == outlets


def test_outlets_over_time_counts_dated_documents():
    table = outlets_over_time(_tiny())
    assert list(table.columns) == ["period", "outlet", "documents", "paragraphs"]
    assert table.to_dict("records") == [
        {"period": pd.Timestamp("2024-01-01"), "outlet": "Outlet A", "documents": 1, "paragraphs": 4},
        {"period": pd.Timestamp("2024-02-01"), "outlet": "Outlet B", "documents": 1, "paragraphs": 4},
    ]
    tiny = _tiny()
    tiny.documents["date"] = ""
    assert outlets_over_time(tiny).empty
    assert len(outlets_over_time_chart(table).data) == 2


def test_outlets_over_time_draws_the_outlets_with_most_documents():
    from analysis.charts import CHARTED_OUTLETS

    # Made-up outlets, "Outlet 00" with most documents, two months each.
    n = CHARTED_OUTLETS + 2
    table = pd.DataFrame(
        [
            {"period": pd.Timestamp(month), "outlet": f"Outlet {i:02d}", "documents": 20 - i, "paragraphs": 3 * (20 - i)}
            for i in range(n)
            for month in ("2024-01-01", "2024-02-01")
        ]
    )
    figure = outlets_over_time_chart(table)
    assert [trace.name for trace in figure.data] == [f"Outlet {i:02d}" for i in range(CHARTED_OUTLETS)]
    assert list(figure.data[0].y) == [20, 20]
    assert figure.layout.title.subtitle.text == (
        f"The {CHARTED_OUTLETS} of {n} outlets with most documents (the chart's data has every outlet)"
    )
    assert not outlets_over_time_chart(table.head(4)).layout.title.subtitle.text  # all drawn: no subtitle


def test_document_provenance():
    table = document_provenance(_tiny())
    assert list(table.columns) == [
        "doc", "outlet", "outlet_from", "date", "date_from", "title", "title_from",
        "author", "author_from", "url", "url_from",
    ]  # fmt: skip
    rows = table.set_index("doc")
    assert (rows.loc["a.txt", "outlet"], rows.loc["a.txt", "outlet_from"]) == ("Outlet A", "manifest")
    assert (rows.loc["b.txt", "author"], rows.loc["b.txt", "author_from"]) == ("Jane Doe", "text")
    assert rows.loc["c.txt", "outlet_from"] == "file name"
    assert rows.loc["c.txt", "date_from"] == rows.loc["a.txt", "author_from"] == "not found"


def test_coverage_chart_is_a_labelled_heatmap():
    coverage = source_coverage(_tiny(), "cited")
    figure = source_coverage_chart(coverage, title="Cited")
    heatmap = figure.data[0]
    assert heatmap.type == "heatmap"
    meta = figure.layout.meta
    # Sources by total paragraphs, most on top; ties by name.
    assert meta["sources"] == ["KCNA", "Lee Sung-yoon", "Sejong Institute", "Rodong Sinmun", "Xinhua"]
    assert meta["theme_ids"] == [0, 1, 2, 4]
    assert list(figure.layout.yaxis.range) == [4.5, -0.5]  # the first source on top
    assert [list(row) for row in heatmap.z] == [
        [1, None, 1, 1],
        [1, 1, None, None],
        [1, 1, None, None],
        [1, None, None, None],
        [None, None, None, 1],
    ]
    assert list(heatmap.text[0]) == ["1", "", "1", "1"]
    assert list(figure.layout.xaxis.ticktext) == ["Alpha", "Beta", "Gamma", "Epsilon"]
    # Every cell has a marker to click (plotly cannot select heatmap cells), with its hover.
    markers = figure.data[1]
    assert markers.type == "scatter" and len(markers.x) == 5 * 4 and figure.layout.hoverdistance == -1
    assert list(markers.customdata[-1]) == ["Xinhua", "state media", "Epsilon", 1]
    assert list(markers.customdata[1]) == ["KCNA", "state media", "Beta", 0]
    # The cell a click lands on maps back to its source and theme.
    click = SimpleNamespace(selection=SimpleNamespace(points=[{"x": 3, "y": 4, "z": 1}]))
    assert clicked_cell(click, figure) == ("Xinhua", 4)
    assert clicked_cell(SimpleNamespace(selection=SimpleNamespace(points=[])), figure) is None
    assert clicked_cell(None, figure) is None
    empty = source_coverage_chart(coverage.iloc[:0])
    assert empty.layout.meta["sources"] == [] and not empty.data


def test_coverage_chart_escapes_corpus_text():
    hostile = "<img src=x onerror=alert(1)> Institute"
    coverage = pd.DataFrame(
        [[hostile, "think tank", 0, "<b>bold</b> theme", 2], ["1", "person", 0, "<b>bold</b> theme", 1]],
        columns=["source", "kind", "theme_id", "theme", "paragraphs"],
    )
    figure = source_coverage_chart(coverage)
    spec = figure.to_json()
    assert "<img" not in spec and "<b>bold" not in spec
    assert html.escape(hostile, quote=False) in list(figure.layout.yaxis.ticktext)
    # A source named like a number is still a row of its own, below the larger one.
    assert figure.layout.meta["sources"] == [hostile, "1"]


def test_coverage_chart_draws_the_sources_with_most_paragraphs():
    from analysis.charts import CHARTED_SOURCES, coverage_sources

    # Made-up sources, "Source 000" with most paragraphs, each in two themes.
    n = CHARTED_SOURCES + 5
    coverage = pd.DataFrame(
        [[f"Source {i:03d}", "person", theme_id, f"Theme {theme_id}", 100 - i] for i in range(n) for theme_id in (0, 1)],
        columns=list(source_coverage(_tiny()).columns),
    )
    ranked = coverage_sources(coverage)
    assert ranked == [f"Source {i:03d}" for i in range(n)]  # every source, for the pickers
    figure = source_coverage_chart(coverage, noun="cited sources")
    assert figure.layout.meta["sources"] == ranked[:CHARTED_SOURCES]
    assert len(figure.data[0].z) == CHARTED_SOURCES and len(figure.data[1].x) == 2 * CHARTED_SOURCES
    assert figure.layout.height == 200 + 36 * CHARTED_SOURCES
    assert figure.layout.title.subtitle.text == (
        f"The {CHARTED_SOURCES} of {n} cited sources with most paragraphs (the chart's data has them all)"
    )
    assert not source_coverage_chart(coverage.head(4)).layout.title.subtitle.text  # all drawn: no subtitle


def test_long_source_names_are_shortened_on_the_axis_only():
    name = "Assessing Changes in North Korea-China-Russia Relations After China’s 2025 Victory Day"
    coverage = pd.DataFrame([[name, "think tank", 0, "T", 1]], columns=list(source_coverage(_tiny()).columns))
    figure = source_coverage_chart(coverage)
    assert figure.layout.yaxis.ticktext[0].endswith("…") and len(figure.layout.yaxis.ticktext[0]) == 48
    assert figure.data[1].customdata[0][0] == name


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory):
    return build_analysis(
        load_corpus([SAMPLE / "corpus"]),
        SETTINGS,
        embedder=HashingEmbedder(),
        cache_dir=tmp_path_factory.mktemp("c"),
    )


def _count_the_slow_way(result, by):
    theme_of = dict(zip(result.paragraphs["pid"], result.paragraphs["theme"], strict=True))
    cells: dict[tuple[str, str], set[str]] = {}
    if by == "cited":
        pairs = zip(result.citations["source"], result.citations["pid"], strict=True)
    else:
        named = dict(zip(result.documents["doc"], result.documents["outlet_from"], strict=True))
        pairs = (
            ("outlet not known" if named[doc] == "file name" else outlet, pid)
            for outlet, doc, pid in zip(
                result.paragraphs["outlet"], result.paragraphs["doc"], result.paragraphs["pid"], strict=True
            )
        )
    for source, pid in pairs:
        if pid in theme_of:
            cells.setdefault((source, theme_of[pid]), set()).add(pid)
    return {cell: len(pids) for cell, pids in cells.items()}


@pytest.mark.parametrize("by", ["outlet", "cited"])
def test_stand_in_build_counts_match_a_recount(stand_in, by):
    assert _cells(source_coverage(stand_in, by)) == _count_the_slow_way(stand_in, by)
    ids = [i for i in stand_in.themes["theme_id"] if i >= 0][:2]
    edited = apply_theme_edits(stand_in, renames={ids[0]: "Merged"}, merges=[tuple(ids)])
    assert _cells(source_coverage(edited, by)) == _count_the_slow_way(edited, by)
    assert ids[1] not in set(source_coverage(edited, by)["theme_id"])


def test_stand_in_build_backing(stand_in):
    backing = theme_backing(stand_in)
    assert list(backing["theme_id"]) == sorted(stand_in.themes["theme_id"], key=lambda t: (t == OTHER_ID, t))
    sizes = stand_in.paragraphs["theme_id"].value_counts()
    assert all(backing["paragraphs"] == backing["theme_id"].map(sizes).fillna(0))
    total = sum(source_coverage(stand_in, "outlet")["paragraphs"])
    assert total == len(stand_in.paragraphs)


@pytest.mark.model
def test_real_sample_cited_sources_and_provenance(sample_build):
    coverage = source_coverage(sample_build, by="cited")
    kinds = dict(zip(coverage["source"], coverage["kind"], strict=False))
    assert kinds["Rodong Sinmun"] == "state media"
    assert kinds["Sejong Institute"] == "think tank"
    assert kinds["Lee Sung-yoon"] == "person"
    assert kinds["Kremlin"] == "government"
    assert set(coverage["theme"]) <= set(sample_build.themes["theme"])
    outlets = source_coverage(sample_build, by="outlet")
    assert set(outlets["source"]) == {"Taipei Times", "outlet not known"}
    assert outlets["paragraphs"].sum() == len(sample_build.paragraphs)
    taipei = document_provenance(sample_build).set_index("doc").loc["003_3ce09a6e3fc36edf.txt"]
    assert (taipei["outlet"], taipei["outlet_from"]) == ("Taipei Times", "manifest")
    assert (taipei["date"], taipei["date_from"]) == ("2024-06-16", "manifest")
    assert (taipei["author"], taipei["author_from"]) == ("Jaewook Jung", "text")
    backing = theme_backing(sample_build)
    assert len(backing) == len(sample_build.themes)
    assert len(outlets_over_time(sample_build)) == 2
