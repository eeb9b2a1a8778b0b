"""End to end in chromium, the rough edges a new analyst found: a search lists only paragraphs
close in meaning and says what it cut, a date filters as soon as it is chosen, tables show the
text first and ids last, and a link to an unknown theme says so. Screenshots land in
test-output/screenshots/ (edges-*.png)."""

from __future__ import annotations

import urllib.parse

import pytest

from . import test_browser
from .test_browser import CHANGE_TIMEOUT_MS, DATAFRAME, IDLE

CHART = '[data-testid="stPlotlyChart"]'

# The same fixtures as the other browser tests (a `streamlit run dashboard.py` fresh for this
# module, one chromium, a tab per test) and their helpers.
server, browser, page = test_browser.server, test_browser.browser, test_browser.page
_open, _grid, _rowcount = test_browser._open, test_browser._grid, test_browser._rowcount
_wait_grid_change, _screenshot = test_browser._wait_grid_change, test_browser._screenshot
_wait_charts = test_browser._wait_charts

pytestmark = pytest.mark.browser

QUERY = "North Korea supplied ammunition and missiles to Russia"


def _header(page, index: int = 0) -> list[str]:
    """The column headers of the index-th dataframe, left to right as drawn."""
    grid = _grid(page, index)
    return [cell.strip() for cell in grid.locator('thead th, [role="columnheader"]').all_text_contents()]


def _wait_chart_titled(page, title: str) -> None:
    """Until a chart whose title holds `title` is drawn, and the page is idle."""
    page.wait_for_function(
        "(title) => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.layout?.title?.text?.includes(title))",
        arg=title,
        timeout=CHANGE_TIMEOUT_MS,
    )
    page.wait_for_selector(IDLE, timeout=CHANGE_TIMEOUT_MS)


def test_a_search_lists_close_paragraphs_text_first_and_explains_its_scores(server, page):
    _open(page, server + "/Explore?" + urllib.parse.urlencode({"q": QUERY}))
    page.locator(DATAFRAME).first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    shown = _rowcount(page) - 1  # the header row counts
    assert 0 < shown < 100
    captions = page.locator('[data-testid="stCaptionContainer"]').all_inner_texts()
    assert any("left out" in text for text in captions), captions
    assert any("1 is the same meaning" in text for text in captions), captions
    _screenshot(page, "edges-explore-search")
    # The grid renders the columns on screen only: the text and title are, the ids are not.
    header = [name for name in _header(page) if name]
    assert header[:3] == ["text", "score", "title"] and "pid" not in header[:-1], header


def test_a_from_date_alone_filters_and_shows_in_its_own_field(server, page):
    # (Choosing a date is tested under AppTest: each field applies once it holds a whole date.)
    _open(page, server + "/Explore")
    page.locator(DATAFRAME).first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    everything = _rowcount(page)
    _open(page, server + "/Explore?from=2025-01-01")
    page.locator(DATAFRAME).first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    assert 1 < _rowcount(page) < everything
    field = page.locator('[data-testid="stDateInput"]').first.locator('[role="spinbutton"]')
    assert field.all_inner_texts() == ["2025", "01", "01"]
    _screenshot(page, "edges-explore-from-date")


def test_a_link_to_an_unknown_theme_says_so(server, page):
    _open(page, server + "/Themes?theme=99999")
    _wait_charts(page, 1)
    notice = page.locator('[data-testid="stAlert"]').filter(has_text="is not in this analysis")
    assert notice.count() == 1
    _screenshot(page, "edges-themes-unknown-theme")


def test_the_themes_charts_are_tabs_drawn_when_opened(server, page):
    _open(page, server + "/Themes")
    _wait_charts(page, 1)
    assert page.locator(CHART).count() == 1  # the map; the other tabs' charts are not drawn yet
    page.get_by_role("tab", name="Over time").click()
    page.wait_for_function("() => window.location.search.includes('chart=time')", timeout=CHANGE_TIMEOUT_MS)
    _wait_chart_titled(page, "Themes over time")
    assert page.locator(CHART).count() == 1
    _screenshot(page, "edges-themes-over-time-tab")
    # The link opens the same tab.
    _open(page, page.url)
    _wait_charts(page, 1)
    assert "Themes over time" in page.locator(".js-plotly-plot").evaluate("p => p.layout.title.text")


def test_outlets_over_time_is_drawn_when_unfolded(server, page):
    _open(page, server + "/Sources")
    _wait_charts(page, 1)  # the heatmap only
    page.get_by_text("Outlets over time", exact=True).click()
    _wait_chart_titled(page, "Outlets over time")
    assert page.locator(CHART).count() == 2
    _screenshot(page, "edges-sources-outlets-over-time")


@pytest.mark.parametrize("path", ["/Corpus", "/Sources", "/Themes", "/"])
def test_tables_show_text_and_titles_before_ids(server, page, path):
    _open(page, server + path)
    page.locator(f"{DATAFRAME}:visible").first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    _screenshot(page, "edges-tables-" + (path.strip("/").lower() or "overview"))
    for index in range(page.locator(DATAFRAME).count()):
        if not page.locator(DATAFRAME).nth(index).is_visible():
            continue
        header = [name for name in _header(page, index) if name]
        for id_column in ("pid", "doc", "theme_id"):
            if id_column in header:
                assert header.index(id_column) >= len(header) - 3, (path, header)
