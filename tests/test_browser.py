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

from .conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium; see packages.txt)",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

OUTPUT = ROOT / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
PAGES = sorted((ROOT / "pages").glob("*.py"))

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
def server(_isolated_cache):
    """`streamlit run dashboard.py` on a free port; its output goes to test-output/streamlit.log."""
    OUTPUT.mkdir(exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    log_path = OUTPUT / "streamlit.log"
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


def test_overview(server, page):
    _open(page, server + "/")
    charts = page.locator('[data-testid="stPlotlyChart"]')
    charts.nth(1).locator(".main-svg").first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    assert page.locator('[data-testid="stPlotlyChart"] .main-svg').count() >= 2
    assert charts.count() == 2
    for i in range(2):
        assert charts.nth(i).locator(".main-svg").count() >= 1, f"chart {i} not drawn"
    # st.dataframe's component is loaded lazily: it can mount just after the script finished.
    page.locator(DATAFRAME).nth(1).wait_for(timeout=CHANGE_TIMEOUT_MS)
    assert page.locator(DATAFRAME).count() == 2
    assert int(_grid(page, 0).get_attribute("aria-rowcount")) >= 2  # header + at least one theme
    # Every page in pages/ is offered in the sidebar navigation.
    nav = page.locator('[data-testid="stSidebarNav"] a')
    hrefs = [nav.nth(i).get_attribute("href") or "" for i in range(nav.count())]
    for page_file in PAGES:
        assert any(h.rstrip("/").endswith(url_path(page_file)) for h in hrefs), (page_file.name, hrefs)
    _screenshot(page, "overview")


@pytest.mark.parametrize("page_file", PAGES, ids=lambda p: p.name)
def test_page(server, page, page_file):
    _open(page, server + url_path(page_file))
    page.locator(DATAFRAME).first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    assert page.locator(DATAFRAME).count() >= 1
    if page_file.name == "1_Corpus.py":
        # documents, articles, removed lines and duplicates (skipped files is a caption: none)
        page.locator(DATAFRAME).nth(3).wait_for(timeout=CHANGE_TIMEOUT_MS)
        assert page.locator(DATAFRAME).count() >= 4
        assert int(_grid(page, 0).get_attribute("aria-rowcount")) == 3  # header + two documents
    _screenshot(page, url_path(page_file).strip("/"))


def _theme_sizes(page: Page) -> dict[str, int]:
    """theme -> size as the themes table shows them (columns 1 and 2 of the first grid)."""
    grid = _grid(page, 0)
    rows = int(grid.get_attribute("aria-rowcount")) - 1
    sizes = {}
    for r in range(rows):
        theme = grid.locator(f'[data-testid="glide-cell-0-{r}"]').text_content()
        sizes[theme] = int(grid.locator(f'[data-testid="glide-cell-1-{r}"]').text_content())
    return sizes


def test_theme_picker_changes_paragraphs(server, page):
    _open(page, server + "/")
    picker = page.locator('[data-testid="stSelectbox"]')
    field = picker.locator('input[role="combobox"]')
    current = field.input_value()
    page.locator(DATAFRAME).nth(1).wait_for(timeout=CHANGE_TIMEOUT_MS)
    sizes = _theme_sizes(page)
    assert current in sizes

    paragraphs = _grid(page, 1)
    before_text = paragraphs.text_content()
    assert int(paragraphs.get_attribute("aria-rowcount")) == sizes[current] + 1

    target = "South Korean strategy" if current != "South Korean strategy" else "New Cold War"
    # Clicking the text field only focuses it (react-aria combobox); the chevron opens the list.
    picker.locator('button[aria-label="Open"]').click()
    option = page.get_by_role("option", name=target, exact=True)
    option.wait_for(timeout=CHANGE_TIMEOUT_MS)
    option.click()

    # The script reruns and the table is redrawn with the other theme's paragraphs.
    page.wait_for_function(
        """([selector, before]) => {
            const grids = document.querySelectorAll(selector);
            const grid = grids[grids.length - 1];
            return grid && grid.textContent !== before;
        }""",
        arg=[f"{DATAFRAME} {GRID}", before_text],
        timeout=CHANGE_TIMEOUT_MS,
    )
    page.wait_for_selector(IDLE, timeout=CHANGE_TIMEOUT_MS)
    _assert_healthy(page)
    assert field.input_value() == target
    after = _grid(page, 1)
    assert after.text_content() != before_text
    assert int(after.get_attribute("aria-rowcount")) == sizes[target] + 1
    if target == "South Korean strategy":
        assert "Regarding South Korea’s diplomatic strategy" in after.text_content()
    _screenshot(page, "overview-theme-changed")
