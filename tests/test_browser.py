"""End to end: `streamlit run dashboard.py` driven by Debian's chromium through Playwright.

Every page opens without an exception and draws what it should; the theme picker, used the way
an analyst uses it, changes the paragraphs table. Screenshots land in test-output/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, stand_in_recorded_as_minilm

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium; see packages.txt)",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

OUTPUT = ROOT / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
# Every page but the Overview, which opens at the root.
PAGES = sorted(p for p in (ROOT / "pages").glob("*.py") if p.stem != "0_Overview")

STARTUP_TIMEOUT = 90  # s, until /_stcore/health answers
SCRIPT_TIMEOUT_MS = 180_000  # the first page in the server process loads the real model
CHANGE_TIMEOUT_MS = 60_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Tall enough for each page to fit: Streamlit scrolls inside its own container, so a
# "full page" screenshot of a short viewport would only show the top of the app.
VIEWPORT = {"width": 1400, "height": 2200}

APP = '[data-testid="stApp"]'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
DATAFRAME = '[data-testid="stDataFrame"]'
# glide-data-grid draws on a canvas but keeps an accessible <table role="grid"> inside it,
# with aria-rowcount (header included) and the text of the cells it has rendered.
GRID = 'table[role="grid"]'


def url_path(page_file: Path) -> str:
    """Streamlit's URL for a file in pages/: the leading number and separators are dropped."""
    return "/" + re.sub(r"^[0-9]+[_ -]*", "", page_file.stem).replace(" ", "_")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(_isolated_cache, hostile_builds):
    """`streamlit run dashboard.py` on a free port; its output goes to test-output/streamlit.log."""
    OUTPUT.mkdir(exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GEONEWS_BUILDS_DIR": str(hostile_builds)}
    log_path = OUTPUT / f"streamlit-{port}.log"  # one per server: browser test files may run at once
    command = [
        str(Path(sys.executable).with_name("streamlit")),
        "run",
        "dashboard.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while not _healthy(url):
                if process.poll() is not None:
                    pytest.fail(f"streamlit exited with {process.returncode}; see {log_path}")
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit not healthy after {STARTUP_TIMEOUT} s; see {log_path}")
                time.sleep(0.5)
            yield url
        finally:
            _stop(process)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser):
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    tab.errors = []  # uncaught JavaScript errors
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    try:
        yield tab
    finally:
        context.close()


def _open(page: Page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=SCRIPT_TIMEOUT_MS)
    page.wait_for_selector(IDLE, timeout=SCRIPT_TIMEOUT_MS)
    _assert_healthy(page)


def _assert_healthy(page: Page) -> None:
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).first.inner_text()
    assert not page.errors, page.errors


def _screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path


def _grid(page: Page, index: int):
    """The accessible table of the index-th dataframe, once glide has rendered it."""
    grid = page.locator(DATAFRAME).nth(index).locator(GRID)
    grid.wait_for(state="attached", timeout=CHANGE_TIMEOUT_MS)
    return grid


def _wait_charts(page: Page, count: int) -> None:
    charts = page.locator('[data-testid="stPlotlyChart"]')
    charts.nth(count - 1).locator(".main-svg").first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    assert charts.count() == count
    for i in range(count):
        assert charts.nth(i).locator(".main-svg").count() >= 1, f"chart {i} not drawn"


def _rowcount(page: Page, index: int = 0) -> int:
    return int(_grid(page, index).get_attribute("aria-rowcount"))


def _wait_grid_text(page: Page, index: int, shows: str) -> None:
    """Wait until the index-th grid holds `shows`: on a rerun Streamlit keeps the old grid while
    the new one is drawn, so a grid read after the script ends can still be the one before."""
    page.wait_for_function(
        """([selector, shows, index]) => {
            const grid = document.querySelectorAll(selector)[index];
            return grid && grid.textContent.includes(shows);
        }""",
        arg=[f"{DATAFRAME} {GRID}", shows, index],
        timeout=CHANGE_TIMEOUT_MS,
    )
    page.wait_for_selector(IDLE, timeout=CHANGE_TIMEOUT_MS)
    _assert_healthy(page)


def _wait_grid_change(page: Page, before: str, index: int = -1) -> None:
    page.wait_for_function(
        """([selector, before, index]) => {
            const grids = document.querySelectorAll(selector);
            const grid = grids[index < 0 ? grids.length + index : index];
            return grid && grid.textContent !== before;
        }""",
        arg=[f"{DATAFRAME} {GRID}", before, index],
        timeout=CHANGE_TIMEOUT_MS,
    )
    page.wait_for_selector(IDLE, timeout=CHANGE_TIMEOUT_MS)
    _assert_healthy(page)


# (charts, dataframes) each page shows on the sample corpus.
EXPECTED = {"": (1, 1), "/Themes": (1, 1), "/Explore": (0, 1), "/Corpus": (0, 4), "/Aid_imbalance": (1, 1)}
EXPECTED["/Briefing"] = (0, 0)
EXPECTED["/Sources"] = (1, 3)  # the heatmap; backing, documents, sources (outlets over time, kinds: folded)


def test_every_page_opens_and_draws(server, page):
    assert {url_path(p) for p in PAGES} == set(EXPECTED) - {""}
    for path, (charts, tables) in EXPECTED.items():
        _open(page, server + (path or "/"))
        if charts:
            _wait_charts(page, charts)
        if tables:
            page.locator(DATAFRAME).nth(tables - 1).wait_for(timeout=CHANGE_TIMEOUT_MS)
        assert page.locator(DATAFRAME).count() >= tables
        _screenshot(page, path.strip("/").lower() or "overview")
    # An analyst's dashboard offers no developer options, even opened on this machine.
    assert page.get_by_role("button", name="Deploy").count() == 0
    # Every page is offered in the sidebar navigation.
    nav = page.locator('[data-testid="stSidebarNav"] a')
    hrefs = [nav.nth(i).get_attribute("href") or "" for i in range(nav.count())]
    for page_file in PAGES:
        assert any(h.rstrip("/").endswith(url_path(page_file)) for h in hrefs), (page_file.name, hrefs)


def test_a_filter_changes_the_table(server, page):
    _open(page, server + "/Explore")
    page.locator(DATAFRAME).first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    everything = _rowcount(page)
    before = _grid(page, 0).text_content()
    outlets = page.locator('[data-testid="stMultiSelect"]').nth(1)
    outlets.locator('input[role="combobox"]').click()
    page.get_by_role("option", name="Taipei Times", exact=True).click()
    _wait_grid_change(page, before, 0)
    filtered = _rowcount(page)
    assert 1 < filtered < everything
    assert "outlet=Taipei+Times" in page.url or "outlet=Taipei%20Times" in page.url
    _screenshot(page, "explore-filtered")


def test_a_copied_link_reopens_the_same_view(server, browser, page):
    _open(page, server + "/Themes")
    page.locator(DATAFRAME).first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    before = _grid(page, 0).text_content()
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text=re.compile(r"^Theme"))
    picker.locator('button[aria-label="Open"]').click()
    page.get_by_role("option", name="South Korean strategy", exact=True).click()
    _wait_grid_change(page, before, 0)
    page.wait_for_function("() => window.location.search.includes('theme=')", timeout=CHANGE_TIMEOUT_MS)
    link, table = page.url, _grid(page, 0).text_content()
    assert "Regarding South Korea’s diplomatic strategy" in table

    other = browser.new_context(viewport=VIEWPORT).new_page()
    other.errors = []
    other.on("pageerror", lambda error: other.errors.append(str(error)))
    try:
        _open(other, link)
        other.locator(DATAFRAME).first.wait_for(timeout=CHANGE_TIMEOUT_MS)
        picker = other.locator('[data-testid="stSelectbox"]').filter(has_text=re.compile(r"^Theme"))
        shown = picker.locator('input[role="combobox"]')
        assert shown.input_value() == "South Korean strategy"
        # The same rows, once the table has drawn them: glide's accessible copy can lag its data
        # under load (read at once, it held another row while a second test process ran).
        expect(_grid(other, 0)).to_have_text(table, timeout=CHANGE_TIMEOUT_MS)
        _screenshot(other, "themes-from-link")
    finally:
        other.context.close()


def test_an_uploaded_file_appears_in_the_corpus(server, page, tmp_path):
    upload = tmp_path / "pyongyang-shipments.txt"
    upload.write_text(
        "Shipments Resume Across the Border\n\n"
        "Rail traffic between North Korea and Russia resumed this week, with dozens of freight cars "
        "crossing the Tumen River bridge, according to satellite imagery reviewed by analysts.\n\n"
        "Officials in Seoul said the cargo was likely to include artillery shells and rockets.\n",
        encoding="utf-8",
    )
    _open(page, server + "/Corpus")
    page.locator('[data-testid="stSidebar"]').get_by_text("My uploads", exact=True).click()
    page.wait_for_selector(IDLE, timeout=CHANGE_TIMEOUT_MS)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    # The upload is embedded with the real model, then the documents table lists it.
    page.wait_for_function(
        """(name) => [...document.querySelectorAll('table[role="grid"]')]
            .some((grid) => grid.textContent.includes(name))""",
        arg=upload.name,
        timeout=SCRIPT_TIMEOUT_MS,
    )
    page.wait_for_selector(IDLE, timeout=CHANGE_TIMEOUT_MS)
    _assert_healthy(page)
    assert upload.name in _grid(page, 0).text_content()
    assert _rowcount(page, 0) == 2  # header + the one uploaded document
    _screenshot(page, "corpus-upload")
    sidebar = page.locator('[data-testid="stSidebar"]')
    # A theme setting chosen here stays chosen on the next page too.
    sidebar.get_by_text("Theme settings").click()
    themes_box = sidebar.get_by_label("Discovered themes (0 = automatic)", exact=True)
    themes_box.fill("2")
    themes_box.press("Enter")
    page.wait_for_timeout(500)
    page.wait_for_selector(IDLE, timeout=SCRIPT_TIMEOUT_MS)
    uploaded_corpus = sidebar.get_by_text("corpus ", exact=False).last.inner_text()

    # Moving to another page keeps the sidebar's choice and the uploads (one entry point lays
    # the sidebar out for every page): Themes shows the uploaded corpus, not the sample.
    sidebar.locator('[data-testid="stSidebarNav"] a', has_text="Themes").click()
    page.wait_for_url("**/Themes**", timeout=CHANGE_TIMEOUT_MS)
    page.wait_for_selector(IDLE, timeout=CHANGE_TIMEOUT_MS)
    _assert_healthy(page)
    assert sidebar.get_by_role("radio", name="My uploads").is_checked()
    assert "pyongya" in sidebar.locator('[data-testid="stFileUploader"]').inner_text()  # name shortened
    assert sidebar.get_by_text("corpus ", exact=False).last.inner_text() == uploaded_corpus
    assert sidebar.get_by_label("Discovered themes (0 = automatic)", exact=True).input_value() == "2"
    _screenshot(page, "themes-after-upload")


def test_hostile_text_is_displayed_literally(server, page):
    from .conftest import HOSTILE_TEXT

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _open(page, server + "/Explore?corpus=build:hostile&pid=hostile.txt%7C1%7C1")
    shown = page.get_by_text("<script>alert('owned')</script>", exact=False)
    shown.first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    assert HOSTILE_TEXT in shown.first.inner_text()
    assert page.locator("main script, [data-testid='stText'] img").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert dialogs == []
    _screenshot(page, "hostile-text")


def _chart_values(page: Page, index: int = 0) -> list[float]:
    """The x values plotly drew in the index-th chart, read from the chart itself."""
    return page.evaluate(
        "(i) => document.querySelectorAll('.js-plotly-plot')[i].data.flatMap(t => Array.from(t.x))",
        index,
    )


# The figure editor's column widths are set on the page (all "small"), so a cell's position is
# known: glide draws the grid on a canvas, which a browser test can only reach by coordinates.
ROW_MARKER_PX, ROW_PX = 30, 35


def editor_row(page: Page, starts: str) -> tuple[int, str]:
    """The row of the figures editor whose text starts with `starts`: its index (header 0)
    and its text, from the accessible copy of the grid."""
    rows = _grid(page, 0).locator("tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    return next((i, text) for i, text in enumerate(texts) if text.startswith(starts))


def edit_amount(page: Page, starts: str, amount: float) -> None:
    """Type `amount` into the amount cell of the editor row starting with `starts`, and wait for
    the aid chart to draw it. The grid is a canvas: the cell is found by the columns' widths."""
    from ui.figures import PARTY_PX

    row, _ = editor_row(page, starts)
    editor = page.locator(DATAFRAME).first
    editor.scroll_into_view_if_needed()
    editor.dblclick(position={"x": ROW_MARKER_PX + 2 * PARTY_PX + 40, "y": row * ROW_PX + ROW_PX / 2})
    cell = page.get_by_test_id("portal").locator(".gdg-clip-region").locator("input, textarea").first
    cell.wait_for(timeout=CHANGE_TIMEOUT_MS)
    cell.fill(f"{amount:.0f}")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(x) => document.querySelectorAll('.js-plotly-plot')[0].data.some(t => Array.from(t.x).includes(x))",
        arg=amount,
        timeout=CHANGE_TIMEOUT_MS,
    )
    page.wait_for_selector(IDLE, timeout=CHANGE_TIMEOUT_MS)


def test_an_edited_figure_changes_the_aid_chart_and_the_link(server, page):
    _open(page, f"{server}/Aid_imbalance")
    _wait_charts(page, 1)
    assert sorted(_chart_values(page)) == [1.2e9, 9.8e9]
    edit_amount(page, "RussiaNorth Korea1200000000", 2450000000)
    _assert_healthy(page)
    assert sorted(_chart_values(page)) == [2.45e9, 9.8e9]
    page.get_by_text("at least 4.0 to 1", exact=False).first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    _screenshot(page, "aid-imbalance-edited")
    # The correction is in the link: a new visitor opening it sees the corrected chart.
    page.wait_for_function("() => location.search.includes('figs=')", timeout=CHANGE_TIMEOUT_MS)
    link = page.url
    page.goto("about:blank")
    _open(page, link)
    _wait_charts(page, 1)
    assert sorted(_chart_values(page)) == [2.45e9, 9.8e9]


def test_sources_page_heatmap_click_shows_paragraphs(server, page):
    _open(page, f"{server}/Sources")
    _wait_charts(page, 1)
    tables = page.locator(DATAFRAME).count()
    # The heatmap's first row is the outlet with the most paragraphs; click its first filled cell.
    heatmap = page.locator('[data-testid="stPlotlyChart"]').first
    cells = heatmap.evaluate(
        """(chart) => {
            const plot = chart.querySelector('.js-plotly-plot');
            return {z: plot.data[0].z, meta: plot.layout.meta};
        }"""
    )
    rows, source = len(cells["z"]), cells["meta"]["sources"][0]
    columns = len(cells["z"][0])
    column = next(j for j, count in enumerate(cells["z"][0]) if count)
    heatmap.scroll_into_view_if_needed()
    drag = heatmap.locator(".nsewdrag").first
    box = drag.bounding_box()
    # The axes are positions -0.5 .. n-0.5, rows from the top: cells split the plot area evenly.
    drag.click(position={"x": box["width"] * (column + 0.5) / columns, "y": box["height"] * 0.5 / rows})
    page.wait_for_function(
        "([selector, before]) => document.querySelectorAll(selector).length > before",
        arg=[DATAFRAME, tables],
        timeout=CHANGE_TIMEOUT_MS,
    )
    page.wait_for_selector(IDLE, timeout=CHANGE_TIMEOUT_MS)
    _assert_healthy(page)
    # The new table's accessible copy is attached a moment after its frame: wait for it.
    page.wait_for_function(
        """(selector) => Array.from(document.querySelectorAll(selector)).some(
            grid => grid.querySelector('tr') && grid.querySelector('tr').textContent.includes('pid'))""",
        arg=f"{DATAFRAME} {GRID}",
        timeout=CHANGE_TIMEOUT_MS,
    )
    grids = page.locator(f"{DATAFRAME} {GRID}")
    listed = next(
        grids.nth(i) for i in range(grids.count()) if "pid" in grids.nth(i).locator("tr").first.inner_text()
    )
    assert int(listed.get_attribute("aria-rowcount")) - 1 == cells["z"][0][column]
    assert source in listed.text_content()
    # The keyboard-accessible pickers follow the click.
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text=re.compile(r"^Outlet"))
    assert picker.locator('input[role="combobox"]').input_value() == source
    _screenshot(page, "sources-cell")


def test_a_chart_downloads_as_png_and_its_data_as_csv(server, page):
    _open(page, f"{server}/Aid_imbalance")
    _wait_charts(page, 1)
    page.get_by_test_id("stPopover").first.locator("button").first.click()
    downloads = {}
    for label in ("PNG", "CSV"):
        button = page.get_by_test_id("stDownloadButton").filter(has_text=label).first
        button.wait_for(timeout=CHANGE_TIMEOUT_MS)
        with page.expect_download(timeout=CHANGE_TIMEOUT_MS) as download:
            button.click()
        path = download.value.path()
        downloads[label] = (download.value.suggested_filename, Path(path).read_bytes())
    name, png = downloads["PNG"]
    assert name.startswith("aid-imbalance-") and name.endswith(".png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    name, csv = downloads["CSV"]
    lines = csv.decode("utf-8").splitlines()
    assert name.endswith(".csv") and lines[0] == "# Aid imbalance"
    assert any(line.startswith("# Model ") for line in lines)  # the reproducibility line
    assert sum("North Korea" in line and "Russia" in line for line in lines if not line.startswith("#")) == 2
    _assert_healthy(page)


def test_the_briefing_pack_downloads_as_a_pdf(server, page):
    from pypdf import PdfReader

    _open(page, f"{server}/Briefing")
    button = page.get_by_test_id("stDownloadButton").filter(has_text="briefing").first
    with page.expect_download(timeout=SCRIPT_TIMEOUT_MS) as download:
        button.click()
    assert download.value.suggested_filename.endswith(".pdf")
    reader = PdfReader(download.value.path())
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 3 and "Aid imbalance" in text and "Appendix" in text
    _assert_healthy(page)


def test_a_build_rebuilt_in_place_reloads_cleanly(server, page, hostile_builds, tmp_path):
    """Rebuilding a build folder the dashboard had open rewrote its memory-mapped vectors, and
    the next search crashed the server (bus error). A build is now written beside its folder and
    renamed into place: the page that had it open searches the new build on its next run."""
    from analysis import Settings, build_analysis, load_corpus, save_analysis

    def build(text: str) -> None:
        corpus = tmp_path / f"corpus-{len(text)}"
        corpus.mkdir()
        (corpus / "report.txt").write_text(text, encoding="utf-8")
        result = build_analysis(
            load_corpus([corpus]), Settings(), embedder=stand_in_recorded_as_minilm(), cache_dir=tmp_path / "cache"
        )
        save_analysis(result, hostile_builds / "rebuilt")

    build(
        "Ferry crossings to Quelport resumed on Monday after the winter storms.\n\n"
        "Harbour officials in Quelport said the first ferry carried grain and fuel.\n"
    )
    _open(page, server + "/Explore?corpus=build:rebuilt")
    page.locator(DATAFRAME).first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    assert "Quelport" in _grid(page, 0).text_content()

    build(  # the same folder, rebuilt from other text while the page has it open
        "Rail freight through Vostrana doubled this spring, the transport ministry said.\n\n"
        "Customs officers in Vostrana counted more containers than in any month before.\n\n"
        "Traders in Vostrana expect the new rail link to carry grain next year.\n"
    )
    # A search runs over the rebuilt build's vectors (the stand-in embedder's, so no paragraph
    # passes the relevance floor of the real model's query: the caption counts what it read).
    search = page.get_by_label("Search by meaning")
    search.fill("containers at the border")
    search.press("Enter")
    page.get_by_text("among 3 paragraphs", exact=False).first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    page.wait_for_selector(IDLE, timeout=CHANGE_TIMEOUT_MS)
    _assert_healthy(page)
    assert _healthy(server)  # the server process survived the search
    search.fill("")
    search.press("Enter")
    # Waiting for a change from the grid read after the search was not enough: that grid could
    # still be the one before the search, and the change seen the search's empty result.
    _wait_grid_text(page, 0, "Vostrana")
    shown = _grid(page, 0).text_content()
    assert "Vostrana" in shown and "Quelport" not in shown
    assert _rowcount(page, 0) == 4  # header + the rebuilt build's three paragraphs
    _screenshot(page, "rebuilt-build")
