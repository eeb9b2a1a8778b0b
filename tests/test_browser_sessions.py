"""Twenty browser sessions at once against one `streamlit run dashboard.py`, two of them uploading.

Every session is its own browser context (its own cookies, its own Streamlit session), all in one
chromium and driven concurrently from one asyncio event loop (Playwright's async API: each
session is a coroutine, so the uploads and the browsing really overlap and every session's
timings are its own). One visitor comes first, alone, as on a real server (it loads the model and
analyses the sample). Then all twenty at once: eighteen open the app's pages, spread over all of
them, and move on through the sidebar while the uploads are under way; two each upload a small
text file of made-up sentences naming a made-up place (its marker). Once both uploads are in,
every browsing session opens the Corpus page (Explore if it is on Corpus) and every uploader
reads its paragraphs on the Explore page.

No session may show a Streamlit exception or raise an uncaught page error; each uploader sees
its own file in its corpus and never the other's marker; no other session shows either marker.
Timings, the server's memory and CPU go to test-output/browser-sessions.txt.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from . import test_browser
from .test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DATAFRAME,
    EXCEPTION,
    GRID,
    IDLE,
    OUTPUT,
    PAGES,
    SCREENSHOTS,
    VIEWPORT,
    url_path,
)

pytestmark = pytest.mark.browser
server = test_browser.server  # the same fixture: `streamlit run dashboard.py`, fresh for this module

from playwright.async_api import Page, async_playwright  # noqa: E402

SESSIONS = 20
REPORT = OUTPUT / "browser-sessions.txt"
# Under load (20 pages rendering on two cores, the real model embedding the uploads) a step takes
# far longer than alone: the timeouts are generous, the report says how long things really took.
# Measured on this 2-core machine while other test suites ran (load average 10 to 50): a first
# page took up to 170 s, a page change up to 120 s, an upload up to 140 s; alone, a page takes
# about 4 s.
OPEN_TIMEOUT_MS = 360_000
STEP_TIMEOUT_MS = 300_000
TOTAL_TIMEOUT_S = 1_500
BROWSE_PAGES = (1, 2)  # pages a browsing session visits before its last one: at least 1, at most 2

# The page at each address: its name in the sidebar navigation and its heading.
HEADINGS = {"/": ("Overview", "Geopolitical news: overview")}
HEADINGS.update({url_path(p): (url_path(p)[1:].replace("_", " "),) * 2 for p in PAGES})
PATHS = list(HEADINGS)

# Made-up places, one per uploader: neither occurs in the sample or in the other upload.
UPLOADS = {
    "Velmorask": (
        "velmorask-harbour.txt",
        "Ferries Return to Velmorask Harbour\n\n"
        "Port officials in Velmorask said on Tuesday that the first ferry in six weeks had docked after "
        "the ice broke early, carrying medical supplies and two hundred tonnes of seed grain.\n\n"
        "Fishermen in Velmorask told reporters the new breakwater had held through the winter storms.\n",
    ),
    "Quillendar": (
        "quillendar-pass.txt",
        "Road Over Quillendar Pass Reopens\n\n"
        "Engineers reopened the mountain road over the Quillendar Pass after a landslide closed it in "
        "March, and the first convoy of lorries crossed at dawn under police escort.\n\n"
        "Traders in Quillendar said prices for flour and fuel had already started to fall.\n",
    ),
}
MARKERS = tuple(UPLOADS)

_WATCHER = "STREAMLIT_SERVER_FILE_WATCHER_TYPE"


@pytest.fixture(scope="module", autouse=True)
def _code_stays_loaded():
    """The server is started without Streamlit's file watcher (through its environment, which
    the `server` fixture passes on). With the watcher on, a change to any .py file of the app
    while the test runs (an editor's save) makes every session drop all of the app's modules
    from sys.modules at the start of its next run, while other sessions' runs are importing
    them: those runs fail (KeyError: 'ui.session', or ImportError: cannot import name
    'show_chart' from 'ui.downloads'). That is Streamlit's reloading for development, not the
    app under load; a deployed server need not watch its files."""
    saved = os.environ.get(_WATCHER)
    os.environ[_WATCHER] = "none"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(_WATCHER, None)
        else:
            os.environ[_WATCHER] = saved


@dataclass
class Session:
    number: int
    role: str  # "browse" or "upload"
    start: str  # the address it opens first
    marker: str = ""  # an uploader's own marker
    steps: list[tuple[str, float]] = field(default_factory=list)  # (page, seconds until idle)
    errors: list[str] = field(default_factory=list)  # uncaught page errors
    problems: list[str] = field(default_factory=list)  # failed checks
    upload_s: float = 0.0
    total_s: float = 0.0
    last_text: str = ""

    @property
    def first_idle_s(self) -> float:
        return self.steps[0][1] if self.steps else float("nan")


def _server_process(url: str):
    """The `streamlit run` process serving url (found by its port), or None without psutil."""
    try:
        import psutil
    except ImportError:
        return None
    port = url.rsplit(":", 1)[1]
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if "run" in cmdline and "--server.port" in cmdline and port in cmdline:
            return process
    return None


class _MemoryWatch:
    """The server's resident memory (with its children), sampled every half second."""

    def __init__(self, url: str):
        self.process = _server_process(url)
        self.samples: list[int] = []
        self.marked = 0  # the first sample taken once the sessions started
        self.cpu_marked = self.cpu_after = float("nan")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> int:
        try:
            return sum(p.memory_info().rss for p in [self.process, *self.process.children(recursive=True)])
        except Exception:  # the server or a child went away between the calls
            return 0

    def cpu(self) -> float:
        """CPU seconds the server (with its children) has used so far."""
        try:
            times = [p.cpu_times() for p in [self.process, *self.process.children(recursive=True)]]
        except Exception:
            return float("nan")
        return sum(t.user + t.system for t in times)

    def mark(self) -> None:
        self.marked = len(self.samples)
        if self.process is not None:
            self.samples.append(self.rss())
            self.cpu_marked = self.cpu()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.samples.append(self.rss())

    def __enter__(self):
        if self.process is not None:
            self.samples.append(self.rss())
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        if self.process is not None:
            self.samples.append(self.rss())
            self.cpu_after = self.cpu()


async def _check(page: Page, session: Session, where: str) -> None:
    exceptions = page.locator(EXCEPTION)
    if await exceptions.count():
        session.problems.append(f"{where}: Streamlit exception: {await exceptions.first.inner_text()}")


async def _open(page: Page, session: Session, url: str, path: str) -> None:
    started = time.monotonic()
    await page.goto(url + path, wait_until="domcontentloaded", timeout=OPEN_TIMEOUT_MS)
    await page.get_by_role("heading", level=1, name=HEADINGS[path][1], exact=True).wait_for(
        timeout=OPEN_TIMEOUT_MS
    )
    await page.wait_for_selector(IDLE, timeout=OPEN_TIMEOUT_MS)
    session.steps.append((path, time.monotonic() - started))
    await _check(page, session, path)


async def _go(page: Page, session: Session, path: str) -> None:
    """Move to another page through the sidebar navigation: the same Streamlit session."""
    started = time.monotonic()
    # A link's text starts with its icon's name (a ligature): the label is matched instead.
    label = page.locator(f'span[label="{HEADINGS[path][0]}"]')
    nav = page.locator('[data-testid="stSidebarNav"] a').filter(has=label)
    await nav.click(timeout=STEP_TIMEOUT_MS)
    await page.get_by_role("heading", level=1, name=HEADINGS[path][1], exact=True).wait_for(
        timeout=STEP_TIMEOUT_MS
    )
    await page.wait_for_selector(IDLE, timeout=STEP_TIMEOUT_MS)
    session.steps.append((path, time.monotonic() - started))
    await _check(page, session, path)


async def _page_text(page: Page) -> str:
    """Everything the page holds as text, the dataframes' accessible copies included (they sit
    inside a canvas, so innerText leaves them out), with the inputs' values."""
    return await page.evaluate(
        """() => document.body.textContent + '\\n' +
            [...document.querySelectorAll('input, textarea')].map((e) => e.value).join('\\n')"""
    )


async def _browse(page: Page, session: Session, url: str, uploads_done: asyncio.Event) -> None:
    await _open(page, session, url, session.start)
    at = PATHS.index(session.start)
    visited = 1
    while visited < BROWSE_PAGES[1] and (visited < BROWSE_PAGES[0] or not uploads_done.is_set()):
        at = (at + 1) % len(PATHS)
        await _go(page, session, PATHS[at])
        visited += 1
    await asyncio.wait_for(uploads_done.wait(), timeout=TOTAL_TIMEOUT_S)
    # Once both uploads are in the server's stores: the page that would list them, read again.
    await _go(page, session, "/Corpus" if PATHS[at] != "/Corpus" else "/Explore")
    session.last_text = await _page_text(page)
    shown = [marker for marker in MARKERS if marker.lower() in session.last_text.lower()]
    if shown:
        session.problems.append(f"a browsing session shows another session's upload: {shown}")


async def _upload(page: Page, session: Session, url: str, folder: Path, uploaded: list[str],
                  uploads_done: asyncio.Event) -> None:  # fmt: skip
    name, text = UPLOADS[session.marker]
    other = next(m for m in MARKERS if m != session.marker)
    file = folder / name
    file.write_text(text, encoding="utf-8")
    await _open(page, session, url, session.start)
    sidebar = page.locator('[data-testid="stSidebar"]')
    await sidebar.get_by_text("My uploads", exact=True).click(timeout=STEP_TIMEOUT_MS)
    await page.get_by_text("Add files in the sidebar", exact=False).first.wait_for(timeout=STEP_TIMEOUT_MS)
    await page.wait_for_selector(IDLE, timeout=STEP_TIMEOUT_MS)
    started = time.monotonic()
    await page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(file))
    # The upload is embedded with the real model, then the documents table lists it (by its file
    # name, which holds the marker; the marker, in any case, whatever the columns show).
    await page.wait_for_function(
        """([selector, marker]) => {
            const grid = document.querySelector(selector);
            return grid && grid.textContent.toLowerCase().includes(marker);
        }""",
        arg=[f"{DATAFRAME} {GRID}", session.marker.lower()],
        timeout=OPEN_TIMEOUT_MS,
    )
    await page.wait_for_selector(IDLE, timeout=STEP_TIMEOUT_MS)
    session.upload_s = time.monotonic() - started
    session.steps.append(("upload", session.upload_s))
    await _check(page, session, "upload")
    documents = page.locator(DATAFRAME).first.locator(GRID)
    listed = await documents.text_content() or ""
    if session.marker.lower() not in listed.lower() or await documents.get_attribute("aria-rowcount") != "2":
        session.problems.append(f"the documents table is not just the upload: {listed[:300]!r}")
    text_now = await _page_text(page)
    if other.lower() in text_now.lower():
        session.problems.append(f"the Corpus page shows the other uploader's marker {other}")
    uploaded.append(session.marker)
    if len(uploaded) == len(UPLOADS):
        uploads_done.set()
    await asyncio.wait_for(uploads_done.wait(), timeout=TOTAL_TIMEOUT_S)
    # Both uploads are in now: the paragraphs this session reads are its own, and only its own.
    await _go(page, session, "/Explore")
    await page.wait_for_function(
        """(marker) => [...document.querySelectorAll('table[role="grid"]')]
            .some((grid) => grid.textContent.includes(marker))""",
        arg=session.marker,
        timeout=STEP_TIMEOUT_MS,
    )
    session.last_text = await _page_text(page)
    if session.marker not in session.last_text:
        session.problems.append(
            f"the Explore page does not show this session's own upload ({session.marker})"
        )
    if other.lower() in session.last_text.lower():
        session.problems.append(f"the Explore page shows the other uploader's marker {other}")
    if await sidebar.locator('[data-testid="stFileUploader"]').get_by_text(other, exact=False).count():
        session.problems.append("the other uploader's file is listed in this session's uploader")
    # Under load the widgets' code arrives after the run ends: wait for them before the picture.
    await page.get_by_label("Search by meaning", exact=True).wait_for(state="visible")
    await page.locator('[data-testid="stMultiSelect"]').last.wait_for(state="visible")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(
        path=str(SCREENSHOTS / f"sessions-upload-{session.marker.lower()}.png"), full_page=True
    )


async def _run_session(browser, session: Session, url: str, folder: Path, uploaded: list[str],
                       uploads_done: asyncio.Event) -> None:  # fmt: skip
    context = await browser.new_context(viewport=VIEWPORT if session.role == "upload" else None)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = await context.new_page()
    page.on("pageerror", lambda error: session.errors.append(str(error)))
    started = time.monotonic()
    try:
        if session.role == "upload":
            try:
                await _upload(page, session, url, folder, uploaded, uploads_done)
            finally:
                if session.marker not in uploaded:  # failed: do not keep the others waiting
                    uploaded.append(session.marker)
                    if len(uploaded) == len(UPLOADS):
                        uploads_done.set()
        else:
            await _browse(page, session, url, uploads_done)
    except Exception as error:  # a timeout or a vanished element: a problem of this session
        where = session.steps[-1][0] if session.steps else session.start
        log = " | ".join(line.strip() for line in str(error).splitlines() if line.strip())
        session.problems.append(f"after {where}: {type(error).__name__}: {log[:800]}")
        with contextlib.suppress(Exception):
            await _check(page, session, "at the failure")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(
                path=str(SCREENSHOTS / f"sessions-failed-{session.number}.png"), full_page=True
            )
    finally:
        session.total_s = time.monotonic() - started
        await context.close()


async def _first_visitor(browser, session: Session, url: str) -> None:
    """One visitor alone first, as a server's first visitor comes: the process loads the model
    and analyses the sample once. Sessions arriving together at a cold server would each analyse
    the sample themselves (the stores in ui/loaders.py do not wait for a result another session
    is already making): 8 at once run 8 analyses, 4 times as long as one; 20 at once on this
    machine used 3.2 GB and kept most sessions busy for over three minutes."""
    context = await browser.new_context()
    page = await context.new_page()
    page.on("pageerror", lambda error: session.errors.append(str(error)))
    started = time.monotonic()
    try:
        await _open(page, session, url, session.start)
    except Exception as error:
        session.problems.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        session.total_s = time.monotonic() - started
        await context.close()


async def _all_sessions(url: str, first: Session, sessions: list[Session], folder: Path,
                        memory: _MemoryWatch) -> float:  # fmt: skip
    """Run the first visitor, then every session at once; the seconds the sessions took."""
    uploaded: list[str] = []
    uploads_done = asyncio.Event()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            await _first_visitor(browser, first, url)
            if first.problems or first.errors:
                return 0.0
            memory.mark()
            started = time.monotonic()
            await asyncio.wait_for(
                asyncio.gather(
                    *(_run_session(browser, s, url, folder, uploaded, uploads_done) for s in sessions)
                ),
                timeout=TOTAL_TIMEOUT_S,
            )
            return time.monotonic() - started
        finally:
            await browser.close()


def _sessions() -> list[Session]:
    """Two uploaders starting on the Corpus page; the rest spread over every page in turn."""
    sessions = [Session(i, "upload", "/Corpus", marker) for i, marker in enumerate(MARKERS)]
    for i in range(len(sessions), SESSIONS):
        sessions.append(Session(i, "browse", PATHS[i % len(PATHS)]))
    return sessions


def _median_max(values: list[float]) -> str:
    return f"median {statistics.median(values):.1f} s, max {max(values):.1f} s" if values else "none"


def _report(first: Session, sessions: list[Session], wall_s: float, memory: _MemoryWatch,
            load: tuple[float, float]) -> str:  # fmt: skip
    firsts = [s.first_idle_s for s in sessions if s.steps]
    pages = [seconds for s in sessions for where, seconds in s.steps if where != "upload"]
    mb = 2**20
    lines = [
        f"{len(sessions)} concurrent browser sessions against one server "
        f"({sum(s.role == 'upload' for s in sessions)} uploading), one chromium: {wall_s:.1f} s",
        f"machine: {os.cpu_count()} cores, 1-minute load average {load[0]:.1f} before, {load[1]:.1f} after "
        "(every process on the machine, not only this test's)",
        f"errors: {sum(len(s.errors) for s in sessions)} uncaught page errors, "
        f"{sum(len(s.problems) for s in sessions)} failed checks "
        f"(Streamlit exceptions, timeouts, uploads seen where they must not be)",
        f"first visitor alone, before them (loads the model, analyses the sample): {first.first_idle_s:.1f} s"
        + (f" ({'; '.join(first.problems + first.errors)})" if first.problems or first.errors else ""),
        f"time to idle, each session's first page: {_median_max(firsts)}",
        f"time to idle, every page visited ({len(pages)}): {_median_max(pages)}",
        "uploads, until the documents table lists the file: "
        + ", ".join(f"{s.marker} {s.upload_s:.1f} s" for s in sessions if s.role == "upload"),
    ]
    if memory.process is None:
        lines.append("server RSS: not measured (no psutil, or the server process was not found)")
    else:
        during = memory.samples[memory.marked :] or memory.samples
        lines.append(
            f"server RSS (with children): {memory.samples[0] / mb:.0f} MB before the first visitor, "
            f"{during[0] / mb:.0f} MB before the sessions, peak {max(during) / mb:.0f} MB, "
            f"{memory.samples[-1] / mb:.0f} MB after"
        )
        lines.append(
            f"server CPU while the sessions ran: {memory.cpu_after - memory.cpu_marked:.1f} s of {wall_s:.1f} s "
            f"(the rest goes to chromium drawing {len(sessions)} pages, and to the machine's other work)"
        )
    lines.append("")
    lines.append("session  role    first page       first idle  steps  total   problems")
    for s in sessions:
        lines.append(
            f"{s.number:>7}  {s.role:<6}  {s.start:<15}  {s.first_idle_s:>8.1f} s  {len(s.steps):>5}  "
            f"{s.total_s:>5.1f} s  {'; '.join(s.problems + s.errors) or '-'}"
        )
    return "\n".join(lines) + "\n"


def test_twenty_sessions_two_uploading(_code_stays_loaded, server, tmp_path):
    assert set(PATHS) == {"/"} | {url_path(p) for p in PAGES}
    first, sessions = Session(-1, "first", "/"), _sessions()
    assert {s.start for s in sessions} == set(PATHS)
    load_before = os.getloadavg()[0]
    with _MemoryWatch(server) as memory:
        wall_s = asyncio.run(_all_sessions(server, first, sessions, tmp_path, memory))
    report = _report(first, sessions, wall_s, memory, (load_before, os.getloadavg()[0]))
    OUTPUT.mkdir(exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")

    assert not first.problems and not first.errors, report
    for s in sessions:
        assert not s.errors, (s.number, s.errors, report)
        assert not s.problems, (s.number, s.problems, report)
        assert s.steps and s.steps[-1][0] in ("/Corpus", "/Explore"), report  # every session got to its end
    for s in sessions:
        if s.role == "upload":
            assert s.marker in s.last_text
        for marker in MARKERS:
            if marker != s.marker:
                assert marker.lower() not in s.last_text.lower(), (s.number, marker)
