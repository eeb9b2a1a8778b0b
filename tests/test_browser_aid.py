"""End to end, the Aid imbalance page in chromium: one panel per unit, flows only unless the other
figures are asked for, sources that give different figures for one flow side by side, and an
edited amount whose bounds follow it. Screenshots land in test-output/screenshots/."""

from __future__ import annotations

import json
import urllib.parse

import pandas as pd
import pytest

from . import test_browser
from .test_browser import CHANGE_TIMEOUT_MS, DATAFRAME, GRID, IDLE, edit_amount, editor_row

# The same fixtures as the other browser tests (a `streamlit run dashboard.py` fresh for this
# module, one chromium, a tab per test) and their helpers.
server, browser, page = test_browser.server, test_browser.browser, test_browser.page
_open, _wait_charts, _chart_values = test_browser._open, test_browser._wait_charts, test_browser._chart_values
_grid, _rowcount, _screenshot = test_browser._grid, test_browser._rowcount, test_browser._screenshot
_assert_healthy = test_browser._assert_healthy

pytestmark = pytest.mark.browser

# Two made-up dispatches giving different troop numbers for the same two states.
DISPATCHES = {
    "defence-weekly.txt": (
        "Example Defence Weekly",
        "2024-11-04",
        "Deployments under review",
        "North Korea has sent about 8,000 troops to Russia, the Defence Intelligence Agency said on Monday.",
    ),
    "seoul-daily.txt": (
        "Example Seoul Daily",
        "2024-11-20",
        "Intelligence update",
        "North Korea sent 10,000 troops to Russia, according to the National Intelligence Service.",
    ),
}


def _layout(page, index: int = 0) -> dict:
    """The index-th chart's panels and axes, and the texts it shows (as drawn, so "<" and not
    the escaped "&lt;" the figure's data holds)."""
    return page.evaluate(
        """(i) => {
            const plot = document.querySelectorAll('.js-plotly-plot')[i];
            const shown = (selector) => [...plot.querySelectorAll(selector)].map(t => t.textContent);
            return {
                panels: plot.layout.meta.panels,
                axes: Object.keys(plot.layout).filter(k => k.startsWith('xaxis')).length,
                titles: shown('.annotation-text'),
                ticks: shown('.xtick text'),
                labels: shown('text.bartext'),
                bars: plot.data.flatMap(t => Array.from(t.x).map(x => [t.xaxis || 'x', x])),
            };
        }""",
        index,
    )


def _wait_layout(page, condition: str) -> None:
    """Until the first chart's layout meets `condition` (JavaScript over `meta`)."""
    page.wait_for_function(
        f"""() => {{
            const plot = document.querySelector('.js-plotly-plot');
            const meta = plot && plot.layout && plot.layout.meta;
            return Boolean(meta && ({condition}));
        }}""",
        timeout=CHANGE_TIMEOUT_MS,
    )
    page.wait_for_selector(IDLE, timeout=CHANGE_TIMEOUT_MS)
    _assert_healthy(page)


def test_the_sample_shows_its_two_flows_in_one_panel_and_the_rest_only_when_asked(server, page):
    _open(page, f"{server}/Aid_imbalance")
    _wait_charts(page, 1)
    drawn = _layout(page)
    assert drawn["panels"] == drawn["titles"] == ["Flows in USD"] and drawn["axes"] == 1
    assert sorted(_chart_values(page)) == [1.2e9, 9.8e9]
    assert sorted(drawn["labels"]) == ["< 1.2 bn USD", "≈ 9.8 bn USD"]  # the upper bound as such
    assert drawn["ticks"] and all("e+" not in tick for tick in drawn["ticks"]), drawn["ticks"]
    assert any(tick.endswith(" bn") for tick in drawn["ticks"])
    # The editor: its header, the two flows and the row that adds one; no other figure.
    assert _rowcount(page, 0) == 4 and "percent" not in _grid(page, 0).text_content()
    page.get_by_text("at least 8.1 to 1", exact=False).first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    page.get_by_text("No two figures stated for the same flow", exact=False).wait_for(timeout=CHANGE_TIMEOUT_MS)
    _screenshot(page, "aid-imbalance-sample")

    page.get_by_text("Show the other figures too", exact=True).click()
    _wait_layout(page, "meta.panels.length > 1")
    drawn = _layout(page)
    panels = drawn["panels"]
    assert panels[0] == "Flows in USD" and all(p.startswith("Other figures") for p in panels[1:])
    assert "Other figures: percent" in panels
    assert drawn["axes"] == len(panels)  # every unit on an axis of its own
    usd = sorted(value for axis, value in drawn["bars"] if axis == "x")
    assert usd == [1.2e9, 9.8e9]  # nothing else on the dollars' axis
    assert all("e+" not in tick for tick in drawn["ticks"])
    assert _rowcount(page, 0) > 4 and "percent" in _grid(page, 0).text_content()  # the others too
    page.get_by_text("at least 8.1 to 1", exact=False).first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    _screenshot(page, "aid-imbalance-other-figures")

    page.get_by_text("Show the other figures too", exact=True).click()
    _wait_layout(page, "meta.panels.length === 1")
    assert _rowcount(page, 0) == 4


@pytest.fixture(scope="module")
def disagreement_build(hostile_builds, tmp_path_factory):
    """A prebuilt analysis of two dispatches that give different troop numbers for one flow."""
    from analysis import HashingEmbedder, Settings, build_analysis, load_corpus, save_analysis

    folder = tmp_path_factory.mktemp("troops-corpus")
    rows = []
    for name, (outlet, day, title, sentence) in DISPATCHES.items():
        (folder / name).write_text(f"{title}\n\n{sentence}\n", encoding="utf-8")
        rows.append({"file": name, "outlet": outlet, "date": day, "title": title})
    pd.DataFrame(rows).to_csv(folder / "manifest.csv", index=False)
    result = build_analysis(
        load_corpus([folder]), Settings(), embedder=HashingEmbedder(dim=384), cache_dir=folder / "cache"
    )
    save_analysis(result, hostile_builds / "troops")
    return "troops"


def test_sources_giving_different_troop_numbers_are_listed_side_by_side(server, page, disagreement_build):
    _open(page, f"{server}/Aid_imbalance?corpus=build:{disagreement_build}")
    _wait_charts(page, 1)
    drawn = _layout(page)
    assert drawn["panels"] == ["Flows of troops"]
    assert sorted(_chart_values(page)) == [8000, 10000]
    assert sorted(drawn["labels"]) == ["10,000 troops", "≈ 8,000 troops"]
    # The view lists both figures side by side, each with its sentence, source and document's
    # date, never a mean.
    listing = page.locator('[data-testid="stColumn"]').filter(has_text="troops")
    listing.nth(1).wait_for(timeout=CHANGE_TIMEOUT_MS)
    cards = [listing.nth(i).inner_text() for i in range(listing.count())]
    assert len(cards) == 2
    for outlet, day, _title, sentence in DISPATCHES.values():
        card = next(c for c in cards if sentence in c)
        assert day in card and outlet in card
    assert any(c.startswith("≈ 8,000 troops") and "the Defence Intelligence Agency" in c for c in cards)
    assert any(c.startswith("10,000 troops") and "the National Intelligence Service" in c for c in cards)
    assert "9,000" not in "".join(cards)  # no average
    page.get_by_text("North Korea → Russia, troops: 2 different figures from 2 sources").wait_for(timeout=CHANGE_TIMEOUT_MS)
    _screenshot(page, "aid-imbalance-disagreement")


def test_an_edited_amount_takes_its_bound_along(server, page):
    """"Below 1.2 bn USD" corrected to 2.45 bn: the upper bound moves with the amount, in the
    table, the chart and the link."""
    _open(page, f"{server}/Aid_imbalance")
    _wait_charts(page, 1)
    _, text = editor_row(page, "RussiaNorth Korea1200000000")
    assert text.count("1200000000") == 2  # the amount and its upper bound
    edit_amount(page, "RussiaNorth Korea1200000000", 2450000000)
    # The editor is made again with the bound that followed: amount and upper bound both 2.45 bn.
    page.wait_for_function(
        """(selector) => {
            const grid = document.querySelector(selector);
            return grid && [...grid.querySelectorAll('tr')].some(
                row => row.textContent.startsWith('RussiaNorth Korea2450000000')
                    && row.textContent.split('2450000000').length === 3);
        }""",
        arg=f"{DATAFRAME} {GRID}",
        timeout=CHANGE_TIMEOUT_MS,
    )
    _assert_healthy(page)
    _, text = editor_row(page, "RussiaNorth Korea2450000000")
    assert "1200000000" not in text and "less than" in text
    assert "< 2.45 bn USD" in _layout(page)["labels"]
    page.get_by_text("at least 4.0 to 1", exact=False).first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    page.wait_for_function("() => location.search.includes('figs=')", timeout=CHANGE_TIMEOUT_MS)
    edits = json.loads(urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)["figs"][0])
    (changed,) = edits["s"].values()
    assert changed["amount"] == 2.45e9 and changed["high"] == 2.45e9
    assert changed.get("low") is None  # "less than": no lower bound, as the extraction has it
    _screenshot(page, "aid-imbalance-edited-bounds")
