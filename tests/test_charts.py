"""Every chart shows text from a corpus, a link or a build folder literally: tags never reach
plotly as markup (bold, links, styles that fetch a URL), whichever field the text lands in."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import (
    FigureEdits,
    HashingEmbedder,
    Settings,
    apply_figure_edits,
    apply_theme_edits,
    build_analysis,
    charts,
    flow_balance,
    load_corpus,
    outlets_over_time,
    source_coverage,
    theme_share_by_outlet,
    themes_over_time,
)

# Markup a visitor could put in a link (a theme's new name), a corpus (an outlet, a title, a
# sentence) or a figure correction (a unit), each with a word that marks where it came from.
BOLD = "<b>HOSTILE-BOLD</b>"
LINK = '<a href="http://attacker.example/">HOSTILE-LINK</a>'
STYLE = '<span style="background:url(http://10.0.0.1/x)">HOSTILE-STYLE</span>'
# Live markup: a tag that opens. The same words escaped (&lt;span style="...url(...)"&gt;) are text.
LIVE = ("<b>HOSTILE", "<a href", "<span")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A build whose outlets, titles and text carry markup, with a theme renamed to a link and
    a figure correction whose giver is bold and whose unit is a styled span."""
    folder = tmp_path_factory.mktemp("hostile-charts")
    body = (
        f"{BOLD} North Korea shipped 5 million artillery shells to Russia in 2024, officials said. "
        f"The ministry told {LINK} that the shipments went on.\n\n"
        "Russia provided North Korea with oil and food worth 1 billion dollars, the report said.\n"
    )
    for number in range(3):
        (folder / f"story-{number}.txt").write_text(f"{STYLE} headline {number}\n\n{body}", encoding="utf-8")
    manifest = pd.DataFrame(
        {
            "file": [f"story-{n}.txt" for n in range(3)],
            "outlet": [BOLD, LINK, STYLE],
            "date": ["2024-01-05", "2024-02-07", "2024-03-09"],
            "title": [STYLE, BOLD, LINK],
        }
    )
    manifest.to_csv(folder / "manifest.csv", index=False)
    result = build_analysis(
        load_corpus([folder]), Settings(), embedder=HashingEmbedder(dim=64), cache_dir=folder / "cache"
    )
    renamed = apply_theme_edits(result, {int(result.themes["theme_id"].iloc[0]): LINK})
    edits = FigureEdits(
        corpus=result.corpus_hash,
        added=({"giver": BOLD, "receiver": "Russia", "amount": 3.0, "unit": STYLE, "kind": "flow",
                "sentence": LINK, "source": BOLD, "what": STYLE},),
    )
    figures = apply_figure_edits(result.figures, edits)
    return renamed, figures


def _figures(analysis, figures) -> dict:
    paragraphs = analysis.paragraphs
    return {
        "theme_sizes_chart": charts.theme_sizes_chart(analysis.themes),
        "theme_map_chart": charts.theme_map_chart(paragraphs, analysis.themes),
        "theme_share_by_outlet_chart": charts.theme_share_by_outlet_chart(
            theme_share_by_outlet(paragraphs), analysis.themes
        ),
        "themes_over_time_chart": charts.themes_over_time_chart(themes_over_time(paragraphs), analysis.themes),
        # Every figure, flows and the others: a unit from a correction titles a panel of its own.
        "aid_balance_chart": charts.aid_balance_chart(flow_balance(figures, include_other=True)),
        "source_coverage_chart": charts.source_coverage_chart(source_coverage(analysis, by="outlet")),
        "outlets_over_time_chart": charts.outlets_over_time_chart(outlets_over_time(analysis)),
        # Each theme (its name possibly the analyst's, from a link) in a first build and an update.
        "theme_history_chart": charts.theme_history_chart(
            pd.DataFrame(
                [
                    {"update": update, "build": build, "built_at": BOLD, "theme_id": theme_id, "theme": name,
                     "paragraphs": 3 + update}
                    for update, build in ((0, "first build"), (1, "update 1"))
                    for theme_id, name in zip(analysis.themes["theme_id"], analysis.themes["theme"], strict=True)
                ]
            ),
            analysis.themes,
        ),
    }


def test_every_chart_is_tested_here(hostile):
    drawn = set(_figures(*hostile))
    assert drawn == {name for name in charts.__all__ if name.endswith("_chart")}


def test_no_text_from_outside_reaches_a_chart_as_markup(hostile):
    seen = 0
    for name, figure in _figures(*hostile).items():
        shown = figure.to_plotly_json()
        # layout.meta is data for the page (which source a clicked cell is): plotly shows it
        # only where a template names it, and no chart's template does.
        assert "%{meta" not in json.dumps(shown, default=str), name
        shown["layout"].pop("meta", None)
        text = json.dumps(shown, default=str)
        for live in LIVE:
            assert live not in text, (name, live)
        seen += text.count("HOSTILE")
        # The text is still there, escaped: shown literally, not dropped.
        assert "&lt;" in text or "HOSTILE" not in text, name
    assert seen > 0


def test_a_chart_title_from_a_link_is_escaped_once():
    themes = pd.DataFrame(
        {"theme_id": [0], "theme": ["A & B <i>"], "size": [3], "keywords": ["x"], "seeded": [False],
         "share": [1.0], "representative": [[]]}
    )
    figure = charts.theme_sizes_chart(themes, title="Sizes <script>")
    assert figure.layout.title.text == "Sizes &lt;script&gt;"
    assert list(figure.data[0].y) == ["A &amp; B &lt;i&gt;"]
