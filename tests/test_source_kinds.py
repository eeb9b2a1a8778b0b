"""The analyst's own table of source kinds: checked with readable reasons, merged over the shipped
table, applied to a finished analysis (`with_source_kinds`), used by the build and its cache, and
given to the command line as `--source-kinds`."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis import (
    KINDS,
    OTHER_ID,
    Analysis,
    HashingEmbedder,
    Provenance,
    Settings,
    build_analysis,
    check_source_kinds,
    extract_citations,
    load_corpus,
    load_source_kinds,
    read_source_kinds,
    reproducibility_line,
    setting_help,
    source_kinds_csv,
    theme_backing,
    with_source_kinds,
)

from .conftest import SAMPLE, analysis_of, run_cli

STATE_MEDIA_ONLY = "Cited sources are state media only"
NAUTILUS = pd.DataFrame({"name": ["Nautilus Institute"], "kind": ["think tank"], "aliases": ["Nautilus"]})


def _table(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["name", "kind", "aliases"])


def _kinds(sources: pd.DataFrame) -> dict[str, str]:
    return dict(zip(sources["source"], sources["kind"], strict=True))


# theme id: paragraphs of one article each (doc a: Alpha, doc b: Beta, doc c: Other).
THEMES = {0: "Alpha", 1: "Beta", OTHER_ID: "Other"}
PARAGRAPHS = {
    0: ["KCNA reported the launch.", "According to Xinhua, the talks went well."],
    1: [
        "KCNA reported the test.",
        "Yonhap reported that the test failed.",
        "According to Nautilus, it worked.",
    ],
    OTHER_ID: ["The weather was fine."],
}


def _analysis() -> Analysis:
    """A finished analysis, written by hand: two themes whose paragraphs cite known sources."""
    rows = []
    for theme_id, texts in PARAGRAPHS.items():
        doc = {0: "a.txt", 1: "b.txt", OTHER_ID: "c.txt"}[theme_id]
        for number, text in enumerate(texts, 1):
            rows.append(
                {
                    "doc": doc,
                    "article": 1,
                    "paragraph": number,
                    "outlet": "Outlet " + doc[0].upper(),
                    "text": text,
                    "theme_id": theme_id,
                    "theme": THEMES[theme_id],
                    "pid": f"{doc}|1|{number}",
                }
            )
    paragraphs = pd.DataFrame(rows)
    themes = pd.DataFrame({"theme_id": list(THEMES), "theme": list(THEMES.values())})
    sources, citations = extract_citations(paragraphs)
    documents = pd.DataFrame({"doc": ["a.txt", "b.txt", "c.txt"], "outlet_from": ["manifest"] * 3})
    return analysis_of(
        paragraphs, themes, documents, sources=sources, citations=citations,
        provenance=Provenance(counts={"sources": len(sources), "citations": len(citations)}),
    )  # fmt: skip


# --- the table --------------------------------------------------------------------------------


def test_an_unknown_institution_takes_its_kind_from_the_analysts_table_also_by_alias():
    paragraphs = pd.DataFrame(
        {
            "doc": ["d", "e"],
            "article": [1, 1],
            "paragraph": [1, 1],
            "text": [
                "According to Nautilus, the reactor is running again.",
                "The Nautilus Institute said the reactor was running.",
            ],
        }
    )
    # Without the table, "Nautilus" alone reads as a person's name.
    assert _kinds(extract_citations(paragraphs)[0]) == {
        "Nautilus": "person",
        "Nautilus Institute": "think tank",
    }
    sources, citations = extract_citations(paragraphs, load_source_kinds(NAUTILUS))
    assert _kinds(sources) == {"Nautilus Institute": "think tank"}
    assert list(citations["verb"]) == ["according to", "said"]
    assert sources["paragraphs"].tolist() == [2]


def test_a_row_with_a_shipped_name_replaces_the_shipped_row():
    shipped = load_source_kinds()
    assert shipped.set_index("name").loc["Asan Institute", "kind"] == "think tank"
    # Case, spacing and a leading "the" do not make a different name.
    merged = load_source_kinds(
        _table(("the  ASAN institute", "Government", ""), ("Yonhap", "state media", ""))
    )
    assert len(merged) == len(shipped)
    assert merged["name"].str.casefold().str.contains("asan").sum() == 1
    paragraphs = pd.DataFrame(
        {
            "doc": ["d", "d"],
            "article": [1, 1],
            "paragraph": [1, 2],
            "text": ["The Asan Institute warned that talks would fail.", "Yonhap reported the launch."],
        }
    )
    assert _kinds(extract_citations(paragraphs)[0]) == {
        "Asan Institute": "think tank",
        "Yonhap": "news outlet",
    }
    assert _kinds(extract_citations(paragraphs, merged)[0]) == {
        "the ASAN institute": "government",
        "Yonhap": "state media",
    }


def test_check_source_kinds_names_every_unusable_row():
    table = pd.DataFrame(
        {
            "Name": ["Nautilus Institute", "", None, "38 North", "Hudson", "nautilus institute", "Ilmin"],
            "Kind": ["Think Tank", "government", None, "think-tank", "", "other", "news outlet"],
            "aliases": [" Nautilus | NI ||", None, None, "", "", "", np.nan],
            "note": ["ignored"] * 7,
        }
    )
    usable, problems = check_source_kinds(table)
    assert usable.to_dict(orient="records") == [
        {"name": "Nautilus Institute", "kind": "think tank", "aliases": "Nautilus|NI"},
        {"name": "Ilmin", "kind": "news outlet", "aliases": ""},
    ]
    # Row 3 is empty (an editor's new row): skipped without a word.
    assert problems["row"].tolist() == [2, 4, 5, 6]
    assert problems["name"].tolist() == ["", "38 North", "Hudson", "nautilus institute"]
    reasons = problems["problem"].tolist()
    assert reasons[0] == "no name"
    assert reasons[1] == f"unknown kind 'think-tank'; choose one of {', '.join(KINDS)}"
    assert reasons[2].startswith("no kind; choose one of state media")
    assert reasons[3] == "named already in row 1"
    with pytest.raises(ValueError, match="needs the columns name and kind"):
        check_source_kinds(pd.DataFrame({"source": ["X"], "type": ["other"]}))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"source,type\nX,think tank\n", "needs the columns name and kind (found: source, type)"),
        (b'name,kind\n"Nautilus,think tank\n', "not a readable CSV table"),
        (b"name,kind\n\xff\xfe\xfa,other\n", "not UTF-8 text"),
        (b"name,kind,aliases\nNautilus,thinktank,\n", "row 1 ('Nautilus'): unknown kind 'thinktank'"),
        (
            b"name,kind\n,other\nA,\nB,x\nC,y\nD,z\n",
            "row 1: no name; row 2 ('A'): no kind; choose one of state media, think tank, government, "
            "military, intelligence agency, international organisation, news outlet, person, other; "
            "row 3 ('B'): unknown kind 'x'",
        ),
    ],
)
def test_a_bad_file_gives_one_readable_line(tmp_path, content, message):
    path = tmp_path / "mine.csv"
    path.write_bytes(content)
    for source in (path, content):
        with pytest.raises(ValueError) as raised:
            read_source_kinds(source)
        text = str(raised.value)
        assert message in text and "\n" not in text
        assert text.startswith(
            "source kinds file mine.csv" if source == path else "uploaded source kinds file"
        )
    with pytest.raises(ValueError, match="source kinds file not found"):
        load_source_kinds(tmp_path / "missing.csv")
    with pytest.raises(ValueError, match="and 2 more"):
        read_source_kinds(b"name,kind\n,other\nA,\nB,x\nC,y\nD,z\n")


def test_every_kind_is_accepted_and_used_by_extraction():
    """The kinds an analyst may give a source: all of KINDS, including military, intelligence
    agency and international organisation; extraction then uses them."""
    assert {"military", "intelligence agency", "international organisation"} <= set(KINDS)
    rows = [(f"Source {n}", kind, "") for n, kind in enumerate(KINDS)]
    usable, problems = check_source_kinds(_table(*rows))
    assert problems.empty and usable["kind"].tolist() == list(KINDS)
    mine = _table(
        ("Baltic Guard", "military", "BG"),
        ("Office of Signals", "intelligence agency", ""),
        ("Danube Commission", "international organisation", ""),
    )
    paragraphs = pd.DataFrame(
        {
            "doc": ["d"] * 3,
            "article": [1] * 3,
            "paragraph": [1, 2, 3],
            "text": [
                "BG said the drills were over.",
                "The Office of Signals warned of sabotage.",
                "According to the Danube Commission, traffic fell.",
            ],
        }
    )
    assert _kinds(extract_citations(paragraphs, load_source_kinds(mine))[0]) == {
        "Baltic Guard": "military",
        "Office of Signals": "intelligence agency",
        "Danube Commission": "international organisation",
    }


def test_the_csv_download_reads_back_and_is_safe_in_a_spreadsheet():
    table = _table(("=HYPERLINK(1)", "other", "+1|@x"), ("Nautilus Institute", "think tank", "Nautilus"))
    data = source_kinds_csv(table)
    lines = data.decode().splitlines()
    assert lines[0] == '"name","kind","aliases"'
    assert lines[1].startswith('"\'=HYPERLINK(1)","other","\'+1|@x"')  # a spreadsheet shows it as text
    pd.testing.assert_frame_equal(read_source_kinds(data), table, check_dtype=False)
    assert source_kinds_csv(_table()).decode().strip() == '"name","kind","aliases"'  # an empty template
    # The shipped table passes its own checks, with every kind among KINDS.
    assert set(load_source_kinds()["kind"]) <= set(KINDS)


def test_the_setting_says_how_to_write_the_table():
    text = setting_help()["source_kinds_file"]
    for word in ("CSV", "name, kind and aliases", "'|'", "replaces", *KINDS):
        assert word in text, word
    assert Settings().source_kinds_file is None


# --- a finished analysis ------------------------------------------------------------------------


def test_with_source_kinds_re_extracts_and_follows_the_themes():
    analysis = _analysis()
    assert _kinds(analysis.sources)["Nautilus"] == "person"
    mine = with_source_kinds(analysis, NAUTILUS)
    assert mine is not analysis and _kinds(analysis.sources)["Nautilus"] == "person"  # untouched
    table = mine.sources.set_index("source")
    assert table.loc["Nautilus Institute", ["kind", "themes"]].tolist() == ["think tank", "Beta"]
    assert table.loc["KCNA", "themes"] == "Alpha; Beta"
    assert "Nautilus" not in table.index
    assert set(mine.citations.loc[mine.citations["source"] == "Nautilus Institute", "pid"]) == {"b.txt|1|3"}
    assert list(mine.provenance.source_kinds) == NAUTILUS.to_dict(orient="records")
    assert mine.provenance.counts == {"sources": len(mine.sources), "citations": len(mine.citations)}
    assert analysis.provenance.source_kinds == ()  # untouched
    assert "own source kinds 1 (" in reproducibility_line(mine.provenance)
    # Deterministic; no rows: the analysis as it was; a bad row: a readable error.
    again = with_source_kinds(analysis, NAUTILUS)
    pd.testing.assert_frame_equal(again.sources, mine.sources)
    pd.testing.assert_frame_equal(again.citations, mine.citations)
    assert with_source_kinds(analysis, _table()) is analysis
    with pytest.raises(ValueError, match="row 1 \\('X'\\): unknown kind 'think-tank'"):
        with_source_kinds(analysis, _table(("X", "think-tank", "")))
    # A second table goes over the first: both are in force, and recorded.
    both = with_source_kinds(mine, _table(("Yonhap", "state media", "")))
    assert _kinds(both.sources)["Nautilus Institute"] == "think tank"
    assert _kinds(both.sources)["Yonhap"] == "state media"
    assert [row["name"] for row in both.provenance.source_kinds] == ["Nautilus Institute", "Yonhap"]


def test_the_state_media_warning_follows_the_analysts_kinds():
    def warnings(analysis: Analysis) -> dict[str, str]:
        backing = theme_backing(analysis)
        return dict(zip(backing["theme"], backing["warning"], strict=True))

    analysis = _analysis()
    assert STATE_MEDIA_ONLY in warnings(analysis)["Alpha"]  # KCNA and Xinhua
    assert STATE_MEDIA_ONLY not in warnings(analysis)["Beta"]  # and Yonhap, Nautilus
    # Xinhua as a news outlet: Alpha no longer rests on state media alone.
    assert (
        STATE_MEDIA_ONLY
        not in warnings(with_source_kinds(analysis, _table(("Xinhua", "news outlet", ""))))["Alpha"]
    )
    # Yonhap and Nautilus as state media: now Beta does.
    beta = _table(("Yonhap", "state media", ""), ("Nautilus", "state media", ""))
    assert STATE_MEDIA_ONLY in warnings(with_source_kinds(analysis, beta))["Beta"]


# --- the build and its cache ----------------------------------------------------------------------


def test_the_build_uses_the_table_and_caches_by_its_content(tmp_path, derived_steps):
    corpus = load_corpus([SAMPLE / "corpus"])
    cache = tmp_path / "cache"

    def run(kinds_file=None):
        settings = Settings(source_kinds_file=str(kinds_file) if kinds_file else None)
        return build_analysis(corpus, settings, embedder=HashingEmbedder(), cache_dir=cache)

    def computed() -> list[str]:
        steps = sorted(derived_steps)
        derived_steps.clear()
        return steps

    plain = run()
    assert _kinds(plain.sources)["Rodong Sinmun"] == "state media"
    assert computed() == ["claims", "layout", "prepare", "themes"]
    mine = tmp_path / "mine.csv"
    mine.write_text("name,kind,aliases\nRodong Sinmun,news outlet,Nodong Sinmun\n", encoding="utf-8")
    first = run(mine)
    assert _kinds(first.sources)["Rodong Sinmun"] == "news outlet"
    assert first.provenance.settings.source_kinds_file == str(mine)
    assert first.provenance.source_kinds == (
        {"name": "Rodong Sinmun", "kind": "news outlet", "aliases": "Nodong Sinmun"},
    )
    assert computed() == ["claims"]  # figures and sources, for this table; nothing else
    # The same table again, even from another file: served from the cache, nothing computed.
    copy = tmp_path / "copy.csv"
    copy.write_bytes(mine.read_bytes())
    second = run(copy)
    assert computed() == []
    pd.testing.assert_frame_equal(second.sources, first.sources, check_dtype=False)
    pd.testing.assert_frame_equal(second.citations, first.citations, check_dtype=False)
    # A changed table is extracted again; themes and layout are never recomputed for it.
    mine.write_text("name,kind,aliases\nRodong Sinmun,other,\n", encoding="utf-8")
    assert _kinds(run(mine).sources)["Rodong Sinmun"] == "other"
    assert computed() == ["claims"]
    # with_source_kinds on the plain build gives what the build with the table gave.
    redone = with_source_kinds(plain, read_source_kinds(copy))
    pd.testing.assert_frame_equal(redone.sources, first.sources, check_dtype=False)
    pd.testing.assert_frame_equal(redone.citations, first.citations, check_dtype=False)


def test_a_bad_table_stops_the_build_before_embedding(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind\nNautilus,thinktank\n", encoding="utf-8")
    embedder = HashingEmbedder()
    for path, message in ((bad, "unknown kind 'thinktank'"), (tmp_path / "none.csv", "not found")):
        with pytest.raises(ValueError, match=message):
            build_analysis(load_corpus([SAMPLE / "corpus"]), Settings(source_kinds_file=str(path)), embedder=embedder)
    assert embedder.encoded == 0


# --- the command line -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "source kinds file not found: "),
        ("name,kind\nNautilus,thinktank\n", "source kinds file kinds.csv: row 1 ('Nautilus'): unknown kind"),
        ("source,type\nX,think tank\n", "needs the columns name and kind"),
    ],
)
def test_command_line_rejects_a_bad_table_with_exit_2(tmp_path, content, message):
    kinds = tmp_path / "kinds.csv"
    if content is not None:
        kinds.write_text(content, encoding="utf-8")
    args = ["build", SAMPLE / "corpus", "--out", tmp_path / "out", "--source-kinds", kinds]
    result = run_cli(*args, cache=tmp_path / "cache", check=False)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "cache").exists()  # nothing embedded


@pytest.mark.model
def test_command_line_builds_with_the_analysts_table(tmp_path):
    kinds = tmp_path / "kinds.csv"
    kinds.write_text("name,kind,aliases\nRodong Sinmun,news outlet,\n", encoding="utf-8")
    out = tmp_path / "out"
    run_cli(
        "build", SAMPLE / "corpus", "--out", out, "--quiet", "--source-kinds", kinds, cache=tmp_path / "c"
    )
    sources = pd.read_csv(out / "sources.csv", keep_default_na=False)
    assert _kinds(sources)["Rodong Sinmun"] == "news outlet"
    citations = pd.read_csv(out / "citations.csv", keep_default_na=False)
    assert set(citations.loc[citations["source"] == "Rodong Sinmun", "kind"]) == {"news outlet"}
    provenance = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert provenance["settings"]["source_kinds_file"] == str(kinds)
    assert provenance["source_kinds"] == [{"name": "Rodong Sinmun", "kind": "news outlet", "aliases": ""}]
    assert "--source-kinds" in run_cli("build", "--help").stdout
