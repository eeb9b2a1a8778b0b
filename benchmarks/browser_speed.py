"""The dashboard as an analyst meets it: `streamlit run dashboard.py` on a prebuilt analysis of
100,000 (or 1,000,000) paragraphs, driven by headless chromium through Playwright.

    python benchmarks/browser_speed.py [--paragraphs 100000] [--runs 2] [--work DIR]
    python benchmarks/browser_speed.py --profile pages/1_Themes.py   # where a page's run spends

Prints first the floors: a page of one title, and one of a small chart (plotly, as the
dashboard's, and Vega-Lite, for comparison), served and opened the same way, which is what
Streamlit and the browser take on this machine whatever the app does.
Then, for every page opened from a link (a new tab each time, so a new session; the first
opening of each page warms the server and is shown apart), the seconds until the page is idle
with no placeholder left, every chart drawn and every table in the window drawn: in a browser
that has opened the app before (a profile on disk that keeps Streamlit's scripts and the code
compiled from them, as an analyst's browser does for a second link), and in a new browser
(which loads them first; that part is shown apart); and the bytes the server sent over the
websocket. Then every page reached from the sidebar of a tab already
open, as an analyst moves between pages (Streamlit's scripts loaded once for the tab). Then each
interaction (a semantic search, an outlet filter, a theme change, a click on a table row, a
figure edited on the Aid imbalance page, a click on a Sources heatmap cell), timed from the
action until the page shows its result and is idle, with the script runs it caused; and the
server's memory (its resident set, sampled through the whole run, with any processes it
started).

The analysis is built once (the corpus and stand-in vectors of `benchmarks/dashboard_scale.py`,
at the real model's 384 dimensions) into `--work` and reused by later runs. Queries are embedded
by the real model, as the dashboard does; against stand-in vectors few paragraphs pass the
relevance floor, which changes what is listed, not what a search costs. Timings on a shared
machine are noisy: the load average is printed with them.

`--profile PAGE` runs one page's script through Streamlit's AppTest under cProfile, on the same
build, and prints the functions that took longest (the script's second run: the build is loaded
by the first).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from _memory import proc_tree_rss

ROOT = Path(__file__).resolve().parent.parent
MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"  # the default model (analysis.settings.MODEL_ID)
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
VIEWPORT = {"width": 1400, "height": 1000}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
DATAFRAME = '[data-testid="stDataFrame"]'
GRID = 'table[role="grid"]'
TIMEOUT_MS = 300_000
PAGES = {
    "Overview": "/",
    "Themes": "/Themes",
    "Explore": "/Explore",
    "Corpus": "/Corpus",
    "Aid imbalance": "/Aid_imbalance",
    "Sources": "/Sources",
    "Briefing": "/Briefing",
}
# Done: the script idle, no placeholder left, every chart drawn and every table in the window
# drawn (glide keeps an accessible copy of each grid once it has drawn it, and draws none out of
# sight). Checked in the page, so no round trip is counted between a state and the next look.
DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (!document.querySelector('[data-testid="stMain"] h1')) return false;
    // Streamlit shows a grey placeholder for an element whose code is still loading (widgets,
    // tables): the page is not usable until every one is drawn.
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    if (!charts.every(c => c.querySelector('.main-svg'))) return false;
    const vegaLite = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
    if (!vegaLite.every(c => c.querySelector('svg.marks, canvas.marks'))) return false;
    const onScreen = (t) => {
        // Not in a folded expander (whose content keeps a box), nor out of the window.
        if (t.closest('details:not([open])') || !t.checkVisibility({visibilityProperty: true})) return false;
        const box = t.getBoundingClientRect();
        return box.height > 0 && box.bottom > 0 && box.top < window.innerHeight;
    };
    const tables = [...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(onScreen);
    // An empty table (the source kinds editor) has its canvas and no accessible rows.
    return tables.every(t => t.querySelector('table[role="grid"], canvas'));
}"""


# What a page shows, for the message of a page that never finishes drawing.
STATE = """() => ({
    script: document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state'),
    charts: [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(c => Boolean(c.querySelector('.main-svg'))),
    tables: [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(t => [
        Math.round(t.getBoundingClientRect().top), Boolean(t.querySelector('table[role="grid"], canvas'))]),
})"""


def _build(paragraphs: int, work: Path, data: Path) -> str:
    """The name of the prebuilt analysis of `paragraphs` paragraphs in `work`, built if missing."""
    name = f"scale-{paragraphs}"
    if not (work / "builds" / name / "build.json").is_file():
        print(f"building {paragraphs:,} paragraphs into {work} (once) ...", flush=True)
        command = [
            sys.executable, str(ROOT / "benchmarks" / "dashboard_scale.py"), "--one", "build",
            "--sizes", str(paragraphs), "--work", str(work), "--data", str(data),
        ]  # fmt: skip
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode:
            sys.exit(f"the build failed (exit {done.returncode})")
        print(f"build: {done.stdout.strip().splitlines()[-1]}", flush=True)
    _searchable(work / "builds" / name)
    return name


def _searchable(folder: Path) -> None:
    """Name the real model as the build's model, so that the dashboard embeds queries with it
    (a build of stand-in vectors has no model to search with). What a search costs does not
    depend on what the vectors mean; what it finds does, and is not measured here."""
    info = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    if info.get("model_id") != MODEL_ID:
        info["model_id"] = MODEL_ID
        (folder / "build.json").write_text(json.dumps(info, indent=2, sort_keys=True), encoding="utf-8")


def _env(work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "GEONEWS_BUILDS_DIR": str(work / "builds"),
        "GEONEWS_CACHE_DIR": str(work / "cache"),
        "HF_HUB_OFFLINE": "1",
    }


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


class Server:
    """`streamlit run dashboard.py` (or another script) as the browser tests start it, its
    memory sampled."""

    def __init__(self, work: Path, log: Path, script: str = "dashboard.py"):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            str(Path(sys.executable).with_name("streamlit")), "run", script,
            "--server.headless", "true", "--server.port", str(self.port),
            "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=_env(work), stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.peak = 0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        deadline = time.monotonic() + 120
        while not _healthy(self.url):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit(f"streamlit did not start; see {log}")
            time.sleep(0.3)
        self._sampler.start()

    def rss(self) -> int:
        return proc_tree_rss(self.process.pid)[1]

    def file_backed(self) -> int:
        """Of the server's resident set, the pages of files it maps (the build's vectors, once a
        search has read them, and the libraries' code): the kernel can drop them and read them
        again, unlike the rest."""
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            return 0
        return int(fields.get("RssFile", "0 kB").split()[0]) * 1024

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            self._stop.wait(0.2)

    def stop(self) -> None:
        self._stop.set()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()


class Tab:
    """A new tab, so a new Streamlit session, with the bytes its websocket received counted: in
    a new browser context (`context` None: a visitor opening the app for the first time, who
    loads Streamlit's scripts), or in `context` (a visitor who has opened the app before, whose
    browser has kept them)."""

    def __init__(self, browser, context=None):
        self.own_context = context is None
        self.context = browser.new_context(viewport=VIEWPORT) if context is None else context
        self.page = self.context.new_page()
        self.received = 0
        self.errors: list[str] = []
        self.page.on("websocket", self._watch)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _watch(self, socket_) -> None:
        def count(payload) -> None:
            self.received += len(payload)

        socket_.on("framereceived", count)

    def open(self, url: str) -> float:
        """Seconds from the link to the page drawn; `self.loaded` of them until the page's HTML
        and Streamlit's scripts were in (DOMContentLoaded waits for its deferred scripts), the
        rest being the websocket, the script's run on the server and drawing what it sent."""
        started = time.perf_counter()
        self.page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
        self.loaded = time.perf_counter() - started
        self.drawn()
        return time.perf_counter() - started

    def drawn(self) -> None:
        from playwright.sync_api import TimeoutError as Timeout

        try:
            self.page.wait_for_function(DRAWN, timeout=TIMEOUT_MS, polling=50)
        except Timeout:
            shot = Path(tempfile.gettempdir()) / "browser-speed-timeout.png"
            self.page.screenshot(path=str(shot))
            raise RuntimeError(f"{self.page.url} never finished drawing: {self.page.evaluate(STATE)}; see {shot}") from None
        self.check()

    def check(self) -> None:
        if self.page.locator(EXCEPTION).count():
            raise RuntimeError(f"the page shows an exception: {self.page.locator(EXCEPTION).first.inner_text()[:300]}")
        if self.errors:
            raise RuntimeError(f"JavaScript errors: {self.errors[:3]}")

    def close(self) -> None:
        if self.own_context:
            self.context.close()
        else:
            self.page.close()


def _until_changed(tab: Tab, script: str, before) -> None:
    """Until `script` (JavaScript returning a value) gives something other than `before`, and
    the page is drawn and idle again."""
    tab.page.wait_for_function(f"(before) => {{ const now = ({script})(); return now !== null && now !== before; }}",
                               arg=before, timeout=TIMEOUT_MS, polling=50)  # fmt: skip
    tab.drawn()


CAPTIONS = (
    "() => [...document.querySelectorAll('[data-testid=\"stCaptionContainer\"], [data-testid=\"stAlert\"]')]"
    ".map(c => c.textContent).join('|')"
)
FIRST_GRID = f"() => {{ const g = document.querySelector('{DATAFRAME} {GRID}'); return g ? g.textContent : null; }}"
FIRST_CHART_X = (
    "() => { const p = document.querySelector('.js-plotly-plot');"
    " return p && p.data ? JSON.stringify(p.data.map(t => Array.from(t.x || []))) : null; }"
)


def search(tab: Tab, query: str) -> float:
    """Type a query and wait for the caption that says what it found (or for the warning that
    this install cannot search the build)."""
    box = tab.page.get_by_label("Search by meaning")
    before = tab.page.evaluate(CAPTIONS)
    box.fill(query)
    started = time.perf_counter()
    box.press("Enter")
    _until_changed(tab, CAPTIONS, before)
    return time.perf_counter() - started


def filter_outlet(tab: Tab, outlet: str) -> float:
    before = tab.page.evaluate(CAPTIONS)
    picker = tab.page.locator('[data-testid="stMultiSelect"]').nth(1)
    picker.locator('input[role="combobox"]').click()
    option = tab.page.get_by_role("option", name=outlet, exact=True)
    option.wait_for(timeout=TIMEOUT_MS)
    started = time.perf_counter()
    option.click()
    _until_changed(tab, CAPTIONS, before)
    return time.perf_counter() - started


def change_theme(tab: Tab, position: int) -> float:
    import re

    before = tab.page.evaluate(FIRST_GRID)
    picker = tab.page.locator('[data-testid="stSelectbox"]').filter(has_text=re.compile(r"^Theme"))
    picker.locator('button[aria-label="Open"]').click()
    option = tab.page.get_by_role("option").nth(position)
    option.wait_for(timeout=TIMEOUT_MS)
    started = time.perf_counter()
    option.click()
    _until_changed(tab, FIRST_GRID, before)
    return time.perf_counter() - started


def click_row(tab: Tab, row: int) -> float:
    """Select the `row`-th row of the first paragraph table (its row marker) and wait for the
    paragraph in its article."""
    table = tab.page.locator(DATAFRAME).first
    table.scroll_into_view_if_needed()
    before = tab.page.evaluate(CAPTIONS)
    started = time.perf_counter()
    table.click(position={"x": 15, "y": 35 * row + 17})
    _until_changed(tab, CAPTIONS, before)
    return time.perf_counter() - started


def edit_figure(tab: Tab, amount: float) -> float:
    """Type `amount` into the first figure's amount cell in the editor and wait for the chart to
    draw it (cells found by the widths the page gives its columns, as the browser tests do)."""
    from ui.figures import PARTY_PX

    # The first table after the heading "The figures" (tables of disagreeing figures come before).
    editor = tab.page.locator('xpath=//h3[normalize-space()="The figures"]/following::*[@data-testid="stDataFrame"][1]')
    editor.scroll_into_view_if_needed()
    cell = tab.page.get_by_test_id("portal").locator(".gdg-clip-region").locator("input, textarea").first
    # The editor shows its row ids as a first column when its rows are not numbered from 0 (a
    # build whose flows are not its first figures), about 52 pixels wide: the amount cell is
    # the one whose editor opens on a number.
    for index_px in (0, 52):
        editor.dblclick(position={"x": 30 + index_px + 2 * PARTY_PX + 40, "y": 35 + 17})
        cell.wait_for(timeout=TIMEOUT_MS)
        if cell.input_value().replace(",", "").replace(".", "").isdigit():
            break
        tab.page.keyboard.press("Escape")
        cell.wait_for(state="detached", timeout=TIMEOUT_MS)
    else:
        raise RuntimeError("no amount cell found in the figures editor")
    cell.fill(f"{amount:.0f}")
    started = time.perf_counter()
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_function(
        "(x) => { const p = document.querySelector('.js-plotly-plot');"
        " return p && p.data && p.data.some(t => Array.from(t.x || []).includes(x)); }",
        arg=amount,
        timeout=TIMEOUT_MS,
        polling=50,
    )
    tab.drawn()
    return time.perf_counter() - started


def navigate(tab: Tab, title: str, path: str) -> float:
    """Click a page's link in the sidebar of a tab already open, as an analyst moves between
    pages (Streamlit's scripts are loaded, the session is the same); seconds until it is drawn."""
    heading = "() => document.querySelector('[data-testid=\"stMain\"] h1')?.textContent ?? null"
    left = tab.page.evaluate(heading)
    started = time.perf_counter()
    tab.page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    tab.page.wait_for_url(lambda url: urllib.parse.urlsplit(url).path == path, timeout=TIMEOUT_MS)
    # Every page has its own title: until it shows, the page drawn is the one just left.
    _until_changed(tab, heading, left)
    return time.perf_counter() - started


def sidebar_rounds(browser, context, url: str, runs: int) -> dict[str, list[float]]:
    """Every page reached from the sidebar, `runs` rounds in one tab opened at `url` (the first
    round computes what each page shows, as a first opening does; it is printed too)."""
    tab = Tab(browser, context)
    found: dict[str, list[float]] = {title: [] for title in PAGES}
    try:
        tab.open(url)
        for _ in range(runs + 1):
            for title, path in [*list(PAGES.items())[1:], next(iter(PAGES.items()))]:
                found[title].append(round(navigate(tab, title, path), 2))
    finally:
        tab.close()
    for title, timings in found.items():
        print(f"{title + ' (sidebar)':<26} first {timings[0]:5.2f} s   then "
              + "  ".join(f"{t:5.2f}" for t in timings[1:]) + f" s   load {_loadavg()}", flush=True)  # fmt: skip
    return found


def click_heatmap_cell(tab: Tab) -> float:
    """Click the Sources heatmap's first filled cell of its first row; wait for its paragraphs."""
    heatmap = tab.page.locator('[data-testid="stPlotlyChart"]').first
    cells = heatmap.evaluate("(chart) => chart.querySelector('.js-plotly-plot').data[0].z")
    rows, columns = len(cells), len(cells[0])
    column = next(j for j, count in enumerate(cells[0]) if count)
    heatmap.scroll_into_view_if_needed()
    drag = heatmap.locator(".nsewdrag").first
    box = drag.bounding_box()
    tables = tab.page.locator(DATAFRAME).count()
    started = time.perf_counter()
    drag.click(position={"x": box["width"] * (column + 0.5) / columns, "y": box["height"] * 0.5 / rows})
    tab.page.wait_for_function(
        "([selector, before]) => document.querySelectorAll(selector).length > before",
        arg=[DATAFRAME, tables],
        timeout=TIMEOUT_MS,
        polling=50,
    )
    tab.drawn()
    return time.perf_counter() - started


# Counts the script's runs from now on (each time the app's script state becomes "running"), so
# that an interaction's reruns are seen: one edit should cost one run.
COUNT_RUNS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__scriptRuns = 0;
    if (window.__runObserver) window.__runObserver.disconnect();
    window.__runObserver = new MutationObserver(() => {
        if (app.getAttribute('data-test-script-state') === 'running') window.__scriptRuns += 1;
    });
    window.__runObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# Streamlit's own floors: a page of one title, and one with a chart of three bars, served and
# opened as the dashboard's pages are. (A page with a Plotly chart waits for Streamlit's 4.7 MB
# Plotly bundle to be evaluated in every new tab, whatever the chart: one long task of the
# main thread, 0.7 s on this machine in a quiet hour.) The same chart in Vega-Lite, which the
# dashboard does not use, says what another chart library would leave of a page's time.
FLOOR_APP = """import pandas as pd
import plotly.graph_objects as go
import streamlit as st

st.title("One title")
if st.query_params.get("chart") == "plotly":
    st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 2, 3])))
elif st.query_params.get("chart") == "vega-lite":
    st.vega_lite_chart(
        pd.DataFrame({"x": ["a", "b", "c"], "y": [1, 2, 3]}),
        {"mark": "bar", "encoding": {"x": {"field": "x", "type": "nominal"}, "y": {"field": "y", "type": "quantitative"}}},
    )
"""
FLOORS = (
    ("a page of one title", ""),
    ("a page of one small chart", "?chart=plotly"),
    ("a page of one small Vega-Lite chart", "?chart=vega-lite"),
)


def _launch(playwright):
    """Debian's chromium, headless, as the browser tests start it."""
    return playwright.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS)


def _analyst_browser(playwright, work: Path):
    """An analyst's own browser: chromium on a profile kept on disk (new for each run of this
    benchmark), which keeps what it loaded and the code it compiled from Streamlit's scripts
    between tabs. A private context keeps less: a page of one small chart opened from a link took
    1.62-1.77 s in one and 1.39-1.47 s in a profile on this machine, so a profile is what an
    analyst's second link is timed in."""
    profile_dir = work / "chromium-profile"
    shutil.rmtree(profile_dir, ignore_errors=True)
    return playwright.chromium.launch_persistent_context(
        profile_dir, executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS, viewport=VIEWPORT
    )


def _opening_seconds(browser, context, url: str) -> float:
    """Seconds to open `url` in a new tab of `context` until it is drawn."""
    tab = Tab(browser, context)
    try:
        return tab.open(url)
    finally:
        tab.close()


def floor(work: Path, runs: int) -> dict[str, list[float]]:
    """Seconds to open a page of one title, and one of a title and a small chart (plotly, as
    the dashboard draws, and Vega-Lite), from a link, as the dashboard's pages are timed (a
    browser that has opened it before, a new tab each time): what Streamlit and the browser
    take on this machine whatever the app does."""
    from playwright.sync_api import sync_playwright

    app = work / "floor_app.py"
    app.write_text(FLOOR_APP, encoding="utf-8")
    server = Server(work, work / "streamlit-floor.log", script=str(app))
    results = {}
    try:
        with sync_playwright() as playwright:
            returning = _analyst_browser(playwright, work)
            for label, query in FLOORS:
                # The first opening warms the server and the browser's cache; the rest are timed.
                timings = [_opening_seconds(None, returning, server.url + "/" + query) for _ in range(runs + 1)][1:]
                results[label] = [round(t, 2) for t in timings]
                print(f"{label + ' (Streamlit alone)':<54} " + "  ".join(f"{t:5.2f}" for t in timings)
                      + f" s   load {_loadavg()}", flush=True)  # fmt: skip
            returning.close()
    finally:
        server.stop()
    return results


def measure(name: str, paragraphs: int, work: Path, runs: int, only: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    link = f"?corpus=build:{name}"
    server = Server(work, work / f"streamlit-{paragraphs}.log")
    results: dict = {"paragraphs": paragraphs, "runs": runs, "load_before": _loadavg()}
    try:
        with sync_playwright() as playwright:
            browser = _launch(playwright)
            # A browser that has opened the app once: openings after a page's first are new tabs
            # of it (new sessions that find Streamlit's scripts in the browser's cache, as an
            # analyst's second link does), besides those in a browser that never opened it.
            returning = _analyst_browser(playwright, work)
            _opening_seconds(browser, returning, server.url + "/" + link)
            pages: dict[str, dict] = {}
            for title, path in PAGES.items():
                if only and title not in only:
                    continue
                timings, sent, loaded = [], [], []
                for attempt in range(2 * runs + 1):
                    tab = Tab(browser, returning if 0 < attempt <= runs else None)
                    try:
                        timings.append(tab.open(server.url + path + link))
                        sent.append(tab.received)
                        loaded.append(tab.loaded)
                    finally:
                        tab.close()
                again, cold = slice(1, runs + 1), slice(runs + 1, None)
                pages[title] = {
                    "first_s": round(timings[0], 2),
                    "s": [round(t, 2) for t in timings[again]],
                    "new_browser_s": [round(t, 2) for t in timings[cold]],
                    "new_browser_scripts_s": [round(t, 2) for t in loaded[cold]],
                    "sent_kb": round(sent[-1] / 1024),
                }
                print(f"{title:<14} first {timings[0]:6.2f} s   then " + "  ".join(f"{t:5.2f}" for t in timings[again])
                      + " s   new browser " + "  ".join(f"{t:5.2f}" for t in timings[cold])
                      + " s (Streamlit's page and scripts " + "  ".join(f"{t:4.2f}" for t in loaded[cold])
                      + f")   sent {sent[-1] / 1024:,.0f} kB   load {_loadavg()}", flush=True)  # fmt: skip
            results["pages"] = pages
            if not only or "sidebar" in only:
                results["sidebar"] = sidebar_rounds(browser, returning, server.url + "/" + link, runs)

            def interaction(label: str, path: str, act, warm: bool = False) -> None:
                if only and label not in only:
                    return
                timings, script_runs = [], []
                for attempt in range(runs + int(warm)):
                    tab = Tab(browser, returning)
                    try:
                        tab.open(server.url + path + link)
                        tab.page.evaluate(COUNT_RUNS)
                        timings.append(act(tab, attempt))
                        script_runs.append(tab.page.evaluate("window.__scriptRuns"))
                    except Exception as error:  # one interaction failing ends neither the others nor the memory reading
                        results.setdefault("failed", {})[label] = str(error)[:500]
                        print(f"{label:<26} failed: {str(error).splitlines()[0][:300]}", flush=True)
                        return
                    finally:
                        tab.close()
                shown = timings[int(warm):]
                results.setdefault("interactions", {})[label] = [round(t, 2) for t in shown]
                results.setdefault("script_runs", {})[label] = script_runs[int(warm):]
                extra = f" (first, loading the model: {timings[0]:.2f} s)" if warm else ""
                print(f"{label:<26} " + "  ".join(f"{t:5.2f}" for t in shown) + f" s{extra}   script runs "
                      + " ".join(str(n) for n in script_runs[int(warm):]) + f"   load {_loadavg()}",
                      flush=True)  # fmt: skip

            queries = ["arms shipments to Russia", "oil prices and inflation", "elections in Europe"]
            interaction("semantic search", "/Explore", lambda tab, i: search(tab, queries[i % 3]), warm=True)
            interaction("outlet filter", "/Explore", lambda tab, i: filter_outlet(tab, f"Outlet {i + 1:02d}"))
            interaction("theme change", "/Themes", lambda tab, i: change_theme(tab, i + 1))
            interaction("row click (Explore)", "/Explore", lambda tab, i: click_row(tab, i + 1))
            interaction("row click (Themes)", "/Themes", lambda tab, i: click_row(tab, i + 1))
            interaction("figure edit", "/Aid_imbalance", lambda tab, i: edit_figure(tab, 123_456_789 + i))
            interaction("heatmap cell click", "/Sources", lambda tab, i: click_heatmap_cell(tab))
            returning.close()
            browser.close()
        results["server_rss_mib"] = round(server.rss() / 2**20)
        results["server_peak_rss_mib"] = round(server.peak / 2**20)
        results["server_file_backed_mib"] = round(server.file_backed() / 2**20)
        results["load_after"] = _loadavg()
        print(f"server memory: now {results['server_rss_mib']:,} MiB, peak {results['server_peak_rss_mib']:,} MiB; "
              f"now {results['server_file_backed_mib']:,} MiB of it mapped from files (vectors, libraries)",
              flush=True)  # fmt: skip
    finally:
        server.stop()
    return results


def profile(page: str, name: str, work: Path, top: int, params: list[str]) -> None:
    """One page's script run under cProfile (its second run: the first loads the build), opened
    with the link's `params` ("q=arms shipments") besides the build."""
    os.environ.update(_env(work))
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from streamlit.testing.v1 import AppTest

    def run():
        at = AppTest.from_file(str(ROOT / page), default_timeout=600)
        at.query_params["corpus"] = f"build:{name}"
        for key, _, value in (param.partition("=") for param in params):
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.message for e in at.exception]

    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    run()
    # AppTest runs the script on a thread of its own: the profiler is switched on there.
    profiler = cProfile.Profile()
    script = ScriptRunner._run_script

    def profiled(self, rerun_data):
        profiler.enable()
        try:
            return script(self, rerun_data)
        finally:
            profiler.disable()

    ScriptRunner._run_script = profiled
    started = time.perf_counter()
    run()
    ScriptRunner._run_script = script
    print(f"{page}: {time.perf_counter() - started:.2f} s (AppTest, second run)")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2, help="timed openings of each page and of each interaction")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "browser-speed",
                        help="where the build is kept between runs")  # fmt: skip
    parser.add_argument("--profile", metavar="PAGE", help="profile one page's script (e.g. pages/1_Themes.py)")
    parser.add_argument("--only", nargs="+", default=[], metavar="NAME",
                        help='only these pages and interactions, by the names printed ("Sources", "figure edit", "sidebar")')  # fmt: skip
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--params", nargs="*", default=[], metavar="KEY=VALUE", help="the profiled page's link")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    name = _build(args.paragraphs, args.work, args.data)
    if args.profile:
        profile(args.profile, name, args.work, args.top, args.params)
        return
    sys.path.insert(0, str(ROOT))
    print(f"{args.paragraphs:,} paragraphs, {args.runs} timed runs each; load {_loadavg()}", flush=True)
    floor_s = floor(args.work, args.runs)
    results = measure(name, args.paragraphs, args.work, args.runs, args.only) | {"floor_s": floor_s}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
