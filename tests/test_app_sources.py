"""The Sources page under Streamlit's AppTest with the real model: outlets and cited sources per
theme, the paragraphs behind a cell, the backing warnings, and corpus text shown literally."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis import load_source_kinds
from ui.components import SOURCE_KINDS

from .apptest import markdown_texts, prebuilt_analysis, repo_root_importable, run_page  # noqa: F401
from .conftest import HOSTILE_TEXT, ROOT
from .test_app import KNOWN_OPENINGS

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("repo_root_importable")]

SOURCES = ROOT / "pages" / "5_Sources.py"
PARAGRAPH_COLUMNS = ["pid", "doc", "outlet", "date", "text"]
WARNINGS = {
    "Rests on a single outlet",
    "No known outlet",
    "Cites no source",
    "Rests on a single cited source",
    "Cited sources are state media only",
}


def _heatmap(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def _cell_table(at):
    tables = [t.value for t in at.dataframe if list(t.value.columns) == PARAGRAPH_COLUMNS]
    assert len(tables) <= 1
    return tables[0] if tables else None


def _themes_of(figure: dict, source: str) -> list[int]:
    """The theme ids of the heatmap's non-empty cells in the source's row."""
    meta = figure["layout"]["meta"]
    row = figure["data"][0]["z"][meta["sources"].index(source)]
    return [theme_id for theme_id, count in zip(meta["theme_ids"], row, strict=True) if count]


def _choose(at, by: str, source: str, theme_id: int):
    at.selectbox(key=f"cell_source_{by}").set_value(source)
    at.selectbox(key=f"cell_theme_{by}").set_value(theme_id)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return _cell_table(at)


def test_sources_page_runs_with_its_charts_and_tables():
    at = run_page(SOURCES)
    assert [t.value for t in at.title] == ["Sources"]
    assert len(at.get("plotly_chart")) == 1  # the heatmap (outlets over time is drawn when unfolded)
    assert len(at.dataframe) >= 4  # backing, provenance, cited sources, kinds
    figure = _heatmap(at)
    assert figure["data"][0]["type"] == "heatmap"
    assert set(figure["layout"]["meta"]["sources"]) == {"Taipei Times", "outlet not known"}
    assert _cell_table(at) is None  # no cell chosen yet
    provenance = next(t.value for t in at.dataframe if "outlet_from" in t.value.columns)
    taipei = provenance.set_index("doc").loc["003_3ce09a6e3fc36edf.txt"]
    assert (taipei["outlet_from"], taipei["author"], taipei["author_from"]) == (
        "manifest",
        "Jaewook Jung",
        "text",
    )
    for text in markdown_texts(at):
        assert not any(opening in text for opening in KNOWN_OPENINGS), text


def test_cited_sources_show_rodong_sinmun_and_its_paragraphs():
    at = run_page(SOURCES)
    at.radio(key="coverage_by").set_value("cited").run()
    assert not at.exception
    figure = _heatmap(at)
    assert "Rodong Sinmun" in figure["layout"]["meta"]["sources"]
    assert "Rodong Sinmun" in at.selectbox(key="cell_source_cited").options
    theme_id = _themes_of(figure, "Rodong Sinmun")[0]
    table = _choose(at, "cited", "Rodong Sinmun", theme_id)
    assert len(table) >= 1 and table["text"].str.contains("Rodong Sinmun").all()
    row = figure["data"][0]["z"][figure["layout"]["meta"]["sources"].index("Rodong Sinmun")]
    assert len(table) == row[figure["layout"]["meta"]["theme_ids"].index(theme_id)]
    # Selecting a paragraph is not possible in AppTest; the caption counts what is listed.
    listed = f"{len(table)} paragraph{'' if len(table) == 1 else 's'}."
    assert any(caption.value == listed for caption in at.caption)


def test_an_outlet_cell_lists_that_outlets_paragraphs():
    at = run_page(SOURCES)
    figure = _heatmap(at)
    theme_id = _themes_of(figure, "Taipei Times")[0]
    table = _choose(at, "outlet", "Taipei Times", theme_id)
    assert len(table) > 0 and set(table["outlet"]) == {"Taipei Times"}
    # A theme the outlet does not back lists nothing.
    elsewhere = set(figure["layout"]["meta"]["theme_ids"]) - set(_themes_of(figure, "Taipei Times"))
    for theme_id in sorted(elsewhere)[:1]:
        assert _choose(at, "outlet", "Taipei Times", theme_id).empty
        assert any(caption.value == "0 paragraphs." for caption in at.caption)


def test_backing_warnings_are_shown_per_theme():
    at = run_page(SOURCES)
    backing = next(t.value for t in at.dataframe if "warning" in t.value.columns)
    flagged = backing[backing["warning"] != ""]
    shown = [w.value for w in at.warning]
    assert shown == list(flagged["warning"])
    for warning in shown:
        assert set(warning.split("; ")) <= WARNINGS
    # Each warning follows its theme's name, in plain text.
    texts = [t.value for t in at.text]
    assert all(theme in texts for theme in flagged["theme"])
    # On the sample, "Technology transfer" rests on Lee Sung-yoon alone (his institute and
    # report aside; "South Korean strategy" also cites unnamed experts); a theme with one
    # outlet says so; "Other" is never flagged.
    warnings = dict(zip(backing["theme"], backing["warning"], strict=True))
    for theme in ("Technology transfer",):
        assert "Rests on a single cited source" in warnings[theme]
    assert "Rests on a single cited source" not in warnings["New Cold War"]
    assert warnings["Other"] == ""
    for row in backing[(backing["outlets"] == 1) & (backing["theme"] != "Other")].itertuples():
        assert "Rests on a single outlet" in row.warning or "No known outlet" in row.warning


def test_a_warning_every_theme_has_is_said_once(monkeypatch, tmp_path):
    from analysis import Settings
    from analysis.views import backing_warnings, theme_backing

    # Text files without a manifest: no document names its outlet.
    files = {
        f"{name}.txt": f"{subject}\n\n{subject} Officials said so on {day}.\n"
        for name, subject, day in (
            ("grain-1", "Grain exports through the Black Sea ports rose in March.", "Monday"),
            ("grain-2", "Grain exports through the Black Sea ports fell in April.", "Tuesday"),
            ("chips-1", "Chip makers in Taiwan raised their prices for memory chips.", "Monday"),
            ("chips-2", "Chip makers in Taiwan cut their prices for memory chips.", "Friday"),
        )
    }
    backing = theme_backing(prebuilt_analysis(tmp_path, monkeypatch, "unnamed", files, Settings(n_themes=2)))
    themed = backing[(backing["theme_id"] >= 0) & (backing["paragraphs"] > 0)]
    assert len(themed) == 2 and all("No known outlet" in warning for warning in themed["warning"])
    corpus, themes = backing_warnings(backing)
    assert corpus == ["No theme has a known outlet: none can be checked against a second outlet."]
    assert not any("No known outlet" in part for _, parts in themes for part in parts)
    shown = [w.value for w in run_page(SOURCES, corpus="build:unnamed").warning]
    assert shown.count(corpus[0]) == 1 and not any("No known outlet" in w for w in shown)


def test_merged_themes_from_a_link_are_followed():
    at = run_page(SOURCES, merge="0,1")
    backing = next(t.value for t in at.dataframe if "warning" in t.value.columns)
    assert 1 not in set(backing["theme_id"])
    assert 1 not in _heatmap(at)["layout"]["meta"]["theme_ids"]


def test_hostile_text_is_shown_literally(hostile_builds, monkeypatch):
    from ui import loaders

    monkeypatch.setattr(loaders, "BUILDS_DIR", hostile_builds)
    at = run_page(SOURCES, corpus="build:hostile")
    figure = _heatmap(at)
    assert figure["layout"]["meta"]["sources"] == ["outlet not known"]
    theme_ids = _themes_of(figure, "outlet not known")
    texts = set()
    for theme_id in theme_ids:
        texts |= set(_choose(at, "outlet", "outlet not known", theme_id)["text"])
    assert HOSTILE_TEXT in texts
    for text in markdown_texts(at):
        assert "<script>" not in text and "javascript:" not in text and "**was delayed**" not in text
    assert "<script>" not in json.dumps(figure)


# --- the analyst's own source kinds -----------------------------------------------------------
# AppTest can neither type into a data_editor nor upload a file, so these tests put the table in
# the session before the first run, under the key the page reads (ui.components.SOURCE_KINDS):
# the editor then starts from it, as it would after an upload or an earlier visit.

SOURCE_COLUMNS = ["source", "kind", "role", "paragraphs", "themes"]


def _run_with_kinds(table: pd.DataFrame) -> AppTest:
    at = AppTest.from_file(str(SOURCES), default_timeout=120)
    at.session_state[SOURCE_KINDS] = table
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _frame(at: AppTest, columns: list[str]) -> pd.DataFrame:
    return next(t.value for t in at.dataframe if list(t.value.columns) == columns)


def _kind_of(at: AppTest, source: str) -> str:
    return _frame(at, SOURCE_COLUMNS).set_index("source").loc[source, "kind"]


def test_own_source_kinds_change_a_sources_kind_on_the_page():
    at = run_page(SOURCES)
    assert _kind_of(at, "Rodong Sinmun") == "state media"
    at = _run_with_kinds(pd.DataFrame({"name": ["Rodong Sinmun"], "kind": ["news outlet"], "aliases": [""]}))
    assert _kind_of(at, "Rodong Sinmun") == "news outlet"
    # The editor starts from the session's table; the kinds in force (the last table of the
    # page) show the analyst's row over the shipped one.
    editor, *_, in_force = [
        t.value for t in at.dataframe if list(t.value.columns) == ["name", "kind", "aliases"]
    ]
    assert editor.to_dict(orient="records") == [
        {"name": "Rodong Sinmun", "kind": "news outlet", "aliases": ""}
    ]
    in_force = in_force.set_index("name")
    assert in_force.loc["Rodong Sinmun", "kind"] == "news outlet" and in_force.index.is_unique
    assert len(in_force) == len(load_source_kinds())
    # The heatmap by cited source comes from the same citations; the table stays for the session.
    at.radio(key="coverage_by").set_value("cited").run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Rodong Sinmun" in _heatmap(at)["layout"]["meta"]["sources"]
    assert _kind_of(at, "Rodong Sinmun") == "news outlet"
    labels = [str(button.proto.label) for button in at.get("download_button")]
    assert "Download this table (CSV, for --source-kinds)" in labels


def test_unusable_rows_of_own_kinds_are_named_by_number():
    table = pd.DataFrame(
        {
            "name": ["Rodong Sinmun", "", "<b>Evil</b> **Institute**"],
            "kind": ["news outlet", "think tank", "thinktank"],
            "aliases": ["", "", ""],
        }
    )
    at = _run_with_kinds(table)
    assert _kind_of(at, "Rodong Sinmun") == "news outlet"  # the usable row applies
    shown = [w.value for w in at.warning if "rows" in w.value]
    assert shown == ["Not used, rows 2, 3 (counted from the top): see why below."]
    problems = _frame(at, ["row", "name", "problem"])
    assert problems["row"].tolist() == [2, 3]
    assert problems["problem"].iloc[1].startswith("unknown kind 'thinktank'")
    for text in markdown_texts(at):  # a name typed or uploaded is shown only in tables
        assert "Evil" not in text
