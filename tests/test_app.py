"""Every page under Streamlit's AppTest with the real model: it runs, shows its charts and
tables, reacts to filters and links, and never renders corpus text as Markdown."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from .apptest import APP_TIMEOUT, markdown_texts, prebuilt_analysis, repo_root_importable, run_page  # noqa: F401
from .conftest import ROOT

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("repo_root_importable")]

# The entry point (navigation and the shared sidebar, then the chosen page: Overview by default).
DASHBOARD = ROOT / "dashboard.py"
OVERVIEW = ROOT / "pages" / "0_Overview.py"
THEMES = ROOT / "pages" / "1_Themes.py"
EXPLORE = ROOT / "pages" / "2_Explore.py"
CORPUS = ROOT / "pages" / "3_Corpus.py"
AID = ROOT / "pages" / "4_Aid_imbalance.py"
BRIEFING = ROOT / "pages" / "6_Briefing.py"
# The Overview runs as the entry point's default page: its links name pages of the navigation.
SCRIPTS = [DASHBOARD, *sorted(p for p in (ROOT / "pages").glob("*.py") if p != OVERVIEW)]
# (charts, at least this many dataframes) each page must show on the sample.
EXPECTED = {DASHBOARD: (1, 1), THEMES: (1, 1), EXPLORE: (0, 1), CORPUS: (0, 4), AID: (1, 0), BRIEFING: (0, 0)}
EXPECTED[ROOT / "pages" / "5_Sources.py"] = (1, 4)  # the heatmap (outlets over time: folded); 4 tables
KNOWN_OPENINGS = ("The Rodong Sinmun", "Regarding South Korea’s diplomatic strategy", "Seasonal changes")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_page_runs_with_its_charts_and_tables(script):
    at = run_page(script)
    charts, tables = EXPECTED[script]
    assert len(at.get("plotly_chart")) == charts
    assert len(at.dataframe) >= tables
    for text in markdown_texts(at):
        assert not any(opening in text for opening in KNOWN_OPENINGS), text


def test_themes_page_follows_the_selected_theme():
    at = run_page(THEMES)
    listed = []
    for index in range(len(at.selectbox(key="theme_id").options)):
        at.selectbox(key="theme_id").select_index(index).run()
        assert not at.exception
        table = at.dataframe[0].value
        assert len(table) > 0
        listed.extend(table["pid"])
        # The link names the selected theme by id; reopening it selects the same theme.
        again = run_page(THEMES, theme=at.query_params["theme"])
        assert again.selectbox(key="theme_id").value == at.selectbox(key="theme_id").value
    # Every paragraph is listed under exactly one theme.
    corpus = run_page(CORPUS)
    assert len(listed) == len(set(listed)) == corpus.dataframe[0].value["paragraphs"].astype(int).sum() - 1
    # (the sample's caption appears twice in its file; one copy is dropped as a duplicate)


def test_themes_page_renames_and_merges_into_the_link():
    at = run_page(THEMES)
    first = int(at.query_params["theme"])
    at.text_input(key="new_name").input("Axis of upheaval")
    at.button(key="rename").click().run()
    assert not at.exception
    assert at.query_params["rename"] == f"{first}:Axis of upheaval"
    options = at.selectbox(key="theme_id").options
    assert "Axis of upheaval" in options
    # A link carrying the rename and a merge reopens with both applied.
    at = run_page(THEMES, rename=f"{first}:Axis of upheaval", merge="0,1")
    options = at.selectbox(key="theme_id").options
    assert "Axis of upheaval" in options and "Technology transfer" not in options


def test_explore_search_and_filters():
    at = run_page(EXPLORE)
    everything = len(at.dataframe[0].value)
    at.multiselect(key="outlets").select("Taipei Times").run()
    filtered = at.dataframe[0].value
    assert 0 < len(filtered) < everything and set(filtered["outlet"]) == {"Taipei Times"}
    at.multiselect(key="outlets").unselect("Taipei Times").run()
    at.text_input(key="query").input("North Korea supplied ammunition and missiles to Russia").run()
    results = at.dataframe[0].value
    assert list(results["score"]) == sorted(results["score"], reverse=True)
    assert "9.8 billion USD" in results["text"].iloc[0]
    assert at.query_params["q"] == "North Korea supplied ammunition and missiles to Russia"


def test_a_shared_link_reopens_the_same_view():
    at = run_page(EXPLORE, q="South Korea diplomatic strategy", outlet="Taipei Times")
    assert at.text_input(key="query").value == "South Korea diplomatic strategy"
    assert at.multiselect(key="outlets").value == ["Taipei Times"]
    assert set(at.dataframe[0].value["outlet"]) == {"Taipei Times"}


def test_a_malformed_link_opens_with_a_notice():
    at = run_page(THEMES, theme="not-a-number", corpus="/etc/passwd", merge="x", **{"from": "yesterday"})
    assert any("could not be used" in info.value for info in at.info)
    assert len(at.get("plotly_chart")) == 1  # the map, the page drawn as usual


def test_hostile_corpus_text_is_shown_literally(hostile_builds, monkeypatch):
    from ui import loaders

    from .conftest import HOSTILE_TEXT

    monkeypatch.setattr(loaders, "BUILDS_DIR", hostile_builds)
    at = run_page(EXPLORE, corpus="build:hostile")
    table = at.dataframe[0].value
    assert HOSTILE_TEXT in set(table["text"])
    for text in markdown_texts(at):
        assert "<script>" not in text and "javascript:" not in text and "**was delayed**" not in text
    # Opened in context, the paragraph is plain text.
    at = run_page(EXPLORE, corpus="build:hostile", pid=table.loc[table["text"] == HOSTILE_TEXT, "pid"].iloc[0])
    assert HOSTILE_TEXT in [element.value for element in at.text]


def test_aid_page_of_a_corpus_without_figures_says_so_without_an_empty_chart(hostile_builds, monkeypatch):
    from ui import loaders

    monkeypatch.setattr(loaders, "BUILDS_DIR", hostile_builds)
    at = run_page(AID, corpus="build:hostile")
    assert not at.exception and not at.get("plotly_chart")  # no frame of empty axes
    captions = [caption.value for caption in at.caption]
    assert "No flow between two states is stated in this corpus (or all were removed below)." in captions
    assert any(caption.startswith("No figure to read") for caption in captions)
    assert [box.label for box in at.selectbox] == ["Prebuilt analysis"]  # no figure picker with nothing in it


def _aid_values(chart) -> list[float]:
    """The lengths of an aid chart's bars, whatever traces hold them, in order."""
    import json

    return sorted(value for trace in json.loads(chart.proto.spec)["data"] for value in trace["x"])


def test_aid_page_shows_both_directions_with_the_bound():
    at = run_page(AID)
    chart = at.get("plotly_chart")[0]

    assert _aid_values(chart) == [1.2e9, 9.8e9]
    texts = [element.value for element in at.text]
    assert any(text.endswith("at least 8.1 to 1") for text in texts)
    # The figure's paragraph opens in its article.
    assert any("9.8 billion USD" in text for text in texts)


def test_aid_page_applies_the_corrections_a_link_carries(sample_build):
    import json

    from analysis import FigureEdits

    figures = sample_build.figures
    below = int(figures.index[figures["amount"] == 1.2e9][0])
    edits = FigureEdits(
        corpus=sample_build.corpus_hash, changed={below: {"amount": 2.45e9, "high": 2.45e9}}
    )
    at = run_page(AID, figs=edits.to_json())
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert sorted(value for trace in figure["data"] for value in trace["x"]) == [2.45e9, 9.8e9]
    texts = [element.value for element in at.text]
    assert any(text.endswith("at least 4.0 to 1") for text in texts)
    assert any("1 changed, 0 deleted, 0 added" in caption.value for caption in at.caption)
    assert at.query_params["figs"] == edits.to_json()  # the link keeps them

    # Undo returns to the extraction, and the link forgets the corrections.
    at.button[0].click().run()
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert sorted(value for trace in figure["data"] for value in trace["x"]) == [1.2e9, 9.8e9]
    assert "figs" not in at.query_params


def test_aid_page_shows_the_other_figures_only_when_asked():
    at = run_page(AID)
    flows = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert flows["layout"]["meta"]["panels"] == ["Flows in USD"]
    assert any("No two figures stated for the same flow" in caption.value for caption in at.caption)
    at.toggle(key="aid_other_figures").set_value(True).run()
    assert not at.exception
    everything = json.loads(at.get("plotly_chart")[0].proto.spec)
    panels = everything["layout"]["meta"]["panels"]
    assert panels[0] == "Flows in USD" and len(panels) > 1
    assert all(panel.startswith("Other figures") for panel in panels[1:])
    # The ratio is the flows' alone, whatever else is shown.
    assert any(text.value.endswith("at least 8.1 to 1") for text in at.text)
    at.toggle(key="aid_other_figures").set_value(False).run()
    assert json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["meta"]["panels"] == ["Flows in USD"]


def test_showing_the_other_figures_keeps_the_corrections(sample_build):
    from analysis import FigureEdits

    figures = sample_build.figures
    below = int(figures.index[figures["amount"] == 1.2e9][0])
    edits = FigureEdits(corpus=sample_build.corpus_hash, changed={below: {"amount": 2.45e9}})
    at = run_page(AID, figs=edits.to_json())
    # A link with the amount alone: the upper bound follows it.
    assert any(text.value.endswith("< 2.45 bn USD: at least 4.0 to 1") for text in at.text)
    for shown in (True, False):
        at.toggle(key="aid_other_figures").set_value(shown).run()
        assert not at.exception
        values = _aid_values(at.get("plotly_chart")[0])
        assert 2.45e9 in values and 1.2e9 not in values
        assert FigureEdits.from_json(at.query_params["figs"]).changed[below]["amount"] == 2.45e9


def test_corrections_made_on_another_corpus_are_not_applied():
    from analysis import FigureEdits

    at = run_page(AID, figs=FigureEdits(corpus="0000", deleted=(0, 1)).to_json())
    assert any("another corpus" in info.value for info in at.info)
    assert len(_aid_values(at.get("plotly_chart")[0])) == 2


def test_briefing_page_offers_the_pack_with_the_corrected_figures(sample_build):
    from analysis import FigureEdits

    edits = FigureEdits(corpus=sample_build.corpus_hash, deleted=(0,))
    at = run_page(BRIEFING, figs=edits.to_json())
    assert at.multiselect(key="brief_sections").value == ["themes", "aid", "coverage", "cited", "appendix"]
    # One of the two flows was deleted on the Aid imbalance page: the pack counts one.
    assert any("1 flow figure ·" in element.value for element in at.text)
    # Themes counted as on the Overview: "Other" is none.
    from analysis import OTHER_NAME

    themes = int((sample_build.themes["theme"] != OTHER_NAME).sum())
    assert any(element.value.startswith(f"{themes} themes ·") for element in at.text)
    assert any(caption.value.startswith("Model ") for caption in at.caption)
    at.multiselect(key="brief_sections").set_value([]).run()
    assert any("at least one section" in info.value for info in at.info)


def test_a_configured_password_guards_every_page():
    at = AppTest.from_file(str(DASHBOARD), default_timeout=APP_TIMEOUT)
    at.secrets["auth"] = {"password": "correct horse"}
    at.run()
    assert not at.exception and not at.get("plotly_chart")
    at.text_input[0].input("wrong horse")
    at.button[0].click().run()
    assert [error.value for error in at.error] == ["That password is not right."]
    assert not at.get("plotly_chart")
    at.text_input[0].input("correct horse")
    at.button[0].click().run()
    assert not at.exception and len(at.get("plotly_chart")) == 1


def test_a_password_outside_its_table_still_guards_the_app():
    at = AppTest.from_file(str(DASHBOARD), default_timeout=APP_TIMEOUT)
    at.secrets["password"] = "correct horse"
    at.run()
    assert not at.exception and not at.get("plotly_chart") and at.text_input


def test_an_auth_table_without_a_password_keeps_the_app_closed():
    at = AppTest.from_file(str(DASHBOARD), default_timeout=APP_TIMEOUT)
    at.secrets["auth"] = {"pasword": "correct horse"}  # a typo must not open the app
    at.run()
    assert not at.exception and not at.get("plotly_chart") and not at.text_input
    assert [error.value for error in at.error] == [
        "This dashboard is closed: the [auth] table holds no password. Whoever runs it can fix its secrets."
    ]


def test_a_secrets_file_that_cannot_be_read_keeps_the_app_closed(tmp_path):
    """Streamlit reads .streamlit/secrets.toml from the folder it runs in: a file it cannot
    parse closes the app instead of leaving it open."""
    import subprocess
    import sys

    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[auth\npassword = "correct horse"\n')
    check = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from ui.auth import UnusableSecrets, configured_password\n"
        "try:\n    configured_password()\nexcept UnusableSecrets as problem:\n    print('closed:', problem)\n"
    )
    done = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "closed: the secrets file cannot be read", done.stderr[-2000:]


def test_without_a_password_secret_the_app_is_open():
    at = run_page(DASHBOARD)
    assert not at.text_input and len(at.get("plotly_chart")) == 1


def test_a_hosted_app_can_open_on_a_prebuilt_analysis(hostile_builds, monkeypatch):
    from ui import loaders

    monkeypatch.setattr(loaders, "BUILDS_DIR", hostile_builds)
    monkeypatch.setattr(loaders, "DEFAULT_BUILD", "hostile")
    at = run_page(DASHBOARD)
    assert at.query_params["corpus"] == "build:hostile"
    assert at.sidebar.radio(key="source").value == "build"
    # A link naming a corpus still wins over the default.
    at = run_page(DASHBOARD, corpus="sample")
    assert at.sidebar.radio(key="source").value == "sample"


def test_theme_settings_show_where_they_apply_and_keep_their_values(hostile_builds, monkeypatch):
    from ui import loaders

    monkeypatch.setattr(loaders, "BUILDS_DIR", hostile_builds)
    at = run_page(DASHBOARD)
    at.sidebar.number_input(key="n_themes").set_value(3)
    at.sidebar.slider(key="seed_threshold").set_value(0.3)
    at.sidebar.toggle(key="teasers_themed").set_value(True)
    at.run()
    assert not at.exception and not at.warning
    # A prebuilt analysis keeps the settings it was built with: none are offered.
    at.sidebar.radio(key="source").set_value("build").run()
    assert not at.exception
    assert not [n for n in at.sidebar.number_input if n.key == "n_themes"]
    assert not [s for s in at.sidebar.slider if s.key == "seed_threshold"]
    # Back on the sample, the analyst's settings are as they left them.
    at.sidebar.radio(key="source").set_value("sample").run()
    assert not at.exception and not at.warning
    assert at.sidebar.number_input(key="n_themes").value == 3
    assert at.sidebar.slider(key="seed_threshold").value == 0.3
    assert at.sidebar.toggle(key="teasers_themed").value is True


def test_briefing_follows_the_source_kinds_set_on_the_sources_page(monkeypatch):
    import pandas as pd

    from ui import loaders
    from ui.components import SOURCE_KINDS

    calls = []
    real = loaders.with_source_kinds
    monkeypatch.setattr(
        loaders, "with_source_kinds", lambda result, kinds: calls.append(kinds) or real(result, kinds)
    )
    at = AppTest.from_file(str(BRIEFING), default_timeout=APP_TIMEOUT)
    # AppTest cannot type into the Sources page's editor: the session holds what it would.
    at.session_state[SOURCE_KINDS] = pd.DataFrame(
        [{"name": "Rodong Sinmun", "kind": "news outlet", "aliases": ""}]
    )
    at.run()
    assert not at.exception
    assert len(calls) == 1 and list(calls[0]["name"]) == ["Rodong Sinmun"]


def _length(values) -> int:
    """Points in a plotly array, plain or typed (plotly sends numbers as base64 `bdata`)."""
    if isinstance(values, dict):
        import base64

        import numpy as np

        return len(np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])))
    return len(values)


def test_a_large_corpus_draws_a_map_sample_and_pages_its_tables(large_builds, monkeypatch):
    from analysis.views import MAP_POINTS
    from ui import loaders

    monkeypatch.setattr(loaders, "BUILDS_DIR", large_builds)
    at = run_page(THEMES, corpus="build:large")
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = sum(_length(trace["x"]) for trace in figure["data"] if trace["type"] == "scattergl")
    assert MAP_POINTS * 0.95 <= drawn <= MAP_POINTS * 1.05
    assert figure["data"][0]["type"] == "heatmap"  # the density of all 30,000 under the sample
    assert "of 30,000 paragraphs shown" in figure["layout"]["title"]["subtitle"]["text"]
    assert any("draws" in caption.value and "30,000" in caption.value for caption in at.caption)

    at = run_page(DASHBOARD, corpus="build:large")  # the Overview
    assert {m.label: m.value for m in at.metric}["Paragraphs"] == "30,000"

    at = run_page(EXPLORE, corpus="build:large")
    assert len(at.dataframe[0].value) == 500
    assert any("Rows 1–500 of 30,000" in caption.value for caption in at.caption)
    at.number_input(key="results-page").set_value(3).run()
    assert not at.exception
    assert any("Rows 1,001–1,500 of 30,000" in caption.value for caption in at.caption)
    assert len(at.dataframe[0].value) == 500
    # A search still ranks every paragraph, not a page (this build's vectors are random, so
    # none is close enough in meaning to be listed).
    at.text_input(key="query").input("grain exports").run()
    assert not at.exception and len(at.dataframe[0].value) <= 100
    assert any("among 30,000 paragraphs matching" in caption.value for caption in at.caption)


def test_the_overview_points_to_every_page():
    at = run_page(DASHBOARD)
    linked = {element.proto.page for element in at.get("page_link")}  # the pages' URL names
    others = {path.stem.split("_", 1)[1] for path in (ROOT / "pages").glob("*.py")} - {"Overview"}
    assert linked == others
    # Outlets counts the outlets known; a file's name is no outlet, and the page says so.
    assert {m.label: m.value for m in at.metric}["Outlets"] == "1"
    assert any("1 document of 2 names no outlet." in caption.value for caption in at.caption)


def test_the_overviews_themes_at_a_glance_read_as_its_chart():
    at = run_page(DASHBOARD)
    glance = at.dataframe[0].value
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    # Largest first and "Other" last, as the bars read from the top (the sample's seeded themes
    # have the first ids whatever their size).
    assert glance["theme"].tolist() == chart["data"][0]["y"][::-1]
    assert glance["theme"].iloc[-1] == "Other"
    assert glance["size"].iloc[:-1].is_monotonic_decreasing


def test_the_corpus_tables_name_documents_in_a_column_of_their_own_width_and_write_counts_with_separators():
    at = run_page(CORPUS)
    documents, articles = (json.loads(table.proto.columns) for table in at.dataframe[:2])
    # A document named by its title took half the Articles table when its width was not set.
    assert documents["file"]["width"] == articles["document"]["width"] == 200
    assert documents["paragraphs"]["type_config"]["format"] == "localized"
    assert articles["paragraphs"]["type_config"]["format"] == "localized"
    # Whether each piece is in the themes, beside the segmenter's kind: the sample's teasers and
    # excerpts are kept apart, each page's main article is themed.
    shown = at.dataframe[1].value
    assert list(shown.columns)[list(shown.columns).index("kind") + 1] == "in_themes"
    assert shown.groupby("kind")["in_themes"].agg(lambda s: sorted(set(s))).to_dict() == {
        "article": ["yes"], "excerpt": ["kept apart"], "teaser": ["kept apart"]
    }
    # Switched back in from the theme settings (the "switchable back in"; the command
    # line's --teasers themed): the sample is built again with every piece themed.
    at.sidebar.toggle(key="teasers_themed").set_value(True).run()
    assert not at.exception
    assert set(at.dataframe[1].value["in_themes"]) == {"yes"}


def test_a_build_folders_values_reach_markdown_only_escaped(hostile_builds, tmp_path, monkeypatch):
    """build.json is as untrusted as the corpus: a model id written as a Markdown link shows as
    the text it is in the sidebar's caption, and the Briefing page's reproducibility line."""
    import shutil

    from ui import loaders

    builds = tmp_path / "builds"
    shutil.copytree(hostile_builds / "hostile", builds / "forged")
    values = json.loads((builds / "forged" / "build.json").read_text(encoding="utf-8"))
    values["model_id"] = values["model_key"] = "[Open me](javascript:alert(1)) **now**"
    (builds / "forged" / "build.json").write_text(json.dumps(values), encoding="utf-8")
    monkeypatch.setattr(loaders, "BUILDS_DIR", builds)
    for script in (DASHBOARD, BRIEFING):
        at = run_page(script, corpus="build:forged")
        shown = [caption.value for caption in at.caption if "Open me" in caption.value]
        assert shown, script.name
        for text in shown:
            assert "[Open me](" not in text and r"\[Open me\]\(javascript\:alert\(1\)\) \*\*now\*\*" in text


def test_explore_search_cuts_unrelated_paragraphs_and_explains_its_scores():
    at = run_page(EXPLORE, q="North Korea supplied ammunition and missiles to Russia")
    results = at.dataframe[0].value
    assert 0 < len(results) < len(run_page(EXPLORE).dataframe[0].value)
    assert (results["score"] >= 0.3).all()
    captions = [caption.value for caption in at.caption]
    assert any("left out" in text for text in captions), captions
    assert any("1 is the same meaning" in text for text in captions), captions
    # The text comes first, ids last.
    assert list(at.dataframe[0].proto.column_order)[:3] == ["text", "score", "title"]
    assert list(at.dataframe[0].proto.column_order)[-1] == "pid"
    # One result is "1 paragraph", never "1 paragraphs".
    at = run_page(EXPLORE, q="North Korea supplied ammunition and missiles to Russia", outlet="Taipei Times")
    assert not any("1 paragraphs" in caption.value for caption in at.caption)


def test_explore_dates_filter_as_soon_as_each_is_chosen():
    import datetime

    at = run_page(EXPLORE)
    everything = len(at.dataframe[0].value)
    at.date_input(key="date_from").set_value(datetime.date(2025, 1, 1)).run()
    assert not at.exception
    later = at.dataframe[0].value
    assert 0 < len(later) < everything and (later["date"] >= "2025-01-01").all()
    assert at.query_params["from"] == "2025-01-01" and "to" not in at.query_params
    at.date_input(key="date_to").set_value(datetime.date(2024, 1, 1)).run()
    assert len(at.dataframe[0].value) == 0
    assert any("after" in warning.value for warning in at.warning)
    # A link's range fills both inputs.
    at = run_page(EXPLORE, **{"from": "2024-01-01", "to": "2024-12-31"})
    assert at.date_input(key="date_from").value == datetime.date(2024, 1, 1)
    assert set(at.dataframe[0].value["date"]) == {"2024-06-16"}


def test_a_link_to_an_unknown_theme_opens_the_first_with_a_notice():
    at = run_page(THEMES, theme="99999")
    assert any("(99999) is not in this analysis" in info.value for info in at.info)
    assert at.selectbox(key="theme_id").index == 0
    assert not any("not in this analysis" in info.value for info in run_page(THEMES).info)


def test_the_themes_page_draws_the_chart_its_link_names_and_no_other():
    titles = {}
    for chart in ("", "sizes", "outlets", "time", "nosuchchart"):
        at = run_page(THEMES, **({"chart": chart} if chart else {}))
        assert not at.exception
        figures = [json.loads(element.proto.spec) for element in at.get("plotly_chart")]
        assert len(figures) == 1  # the open tab's chart only
        title = figures[0]["layout"]["title"]
        titles[chart] = title["text"] if isinstance(title, dict) else title
        # The open chart is in the link, the first (the map) as no name.
        assert at.query_params.get("chart", "") == ("" if chart in ("", "nosuchchart") else chart)
    assert titles == {
        "": "Theme map",
        "sizes": "Paragraphs per theme",
        "outlets": "Themes by outlet",
        "time": "Themes over time",
        "nosuchchart": "Theme map",
    }


def test_a_merge_asks_for_the_merged_themes_name_and_leaves_the_picker_clean():
    at = run_page(THEMES)
    first, second = at.multiselect(key="to_merge").options[:2]
    at.multiselect(key="to_merge").select(first).select(second).run()
    assert first in at.text_input(key="merged_name").proto.placeholder
    at.text_input(key="merged_name").input("Great-power rivalry").run()
    at.button(key="merge").click().run()
    assert not at.exception
    options = at.selectbox(key="theme_id").options
    assert "Great-power rivalry" in options and first not in options and second not in options
    assert at.multiselect(key="to_merge").value == [] and at.text_input(key="merged_name").value == ""
    assert first not in at.multiselect(key="to_merge").options
    assert ":Great-power rivalry" in at.query_params["rename"] and "," in at.query_params["merge"]


def test_the_aid_pages_figure_picker_belongs_to_its_corpus():
    at = run_page(AID)
    keys = [box.key for box in at.selectbox]
    assert any(key and key.startswith("figure_pick-") and len(key) > len("figure_pick-") for key in keys), keys


def test_a_document_without_a_known_outlet_is_named_alike_on_every_page():
    at = run_page(EXPLORE)
    outlets = at.multiselect(key="outlets").options
    assert "outlet not known" in outlets and not any(outlet.endswith(".txt") for outlet in outlets), outlets
    assert "outlet not known" in set(at.dataframe[0].value["outlet"])
    sources = run_page(ROOT / "pages" / "5_Sources.py")
    assert not any("(no outlet)" in str(table.value) for table in sources.dataframe)


def test_files_and_records_not_read_in_full_are_named_as_such(tmp_path, monkeypatch):
    prebuilt_analysis(tmp_path, monkeypatch, "partial", {
        "broken.txt": b"\x00\x01\x02\xff binary",
        "wire.csv": 'text,outlet\n"Japan will send patrol boats to the Philippines, officials in Tokyo said.",Wire\n,Wire\n',
    })  # fmt: skip
    at = run_page(DASHBOARD, corpus="build:partial")  # the Overview
    # One file skipped whole and one record of a table: not "2 files".
    assert [w.value for w in at.warning] == [
        "2 files or records could not be read in full; the sidebar lists them with the reasons."
    ]
    assert "Not read in full (2)" in [e.label for e in at.sidebar.expander]
    at = run_page(CORPUS, corpus="build:partial")
    assert "Not read in full" in [h.value for h in at.subheader]


def test_the_themes_page_opens_on_a_theme_that_holds_paragraphs(tmp_path, monkeypatch):
    from analysis import Settings

    from .conftest import SAMPLE

    grain = (
        "Grain exports through the Black Sea ports rose in March, traders said on Friday.\n\n"
        "Wheat shipments from the southern ports reached their highest level since the war began.\n"
    )
    # The sample's seeded themes (New Cold War first) find nothing in a corpus about grain.
    settings = Settings(themes_file=str(SAMPLE / "themes.toml"))
    result = prebuilt_analysis(tmp_path, monkeypatch, "grain", {"grain.txt": grain}, settings)
    assert result.themes["size"].iloc[0] == 0
    at = run_page(THEMES, corpus="build:grain")
    shown = at.selectbox(key="theme_id").value
    assert int(result.themes.set_index("theme")["size"][shown]) > 0, shown
