"""End to end in chromium: the first visitors of a freshly started server, opening shared links
to pages at the same moment, each get the app's own navigation and sidebar.

Streamlit runs a request for a page's address straight from pages/ (its older multipage mode,
with the pages folder's own navigation: the entry point listed as "dashboard", no icons) until
some run has called st.navigation, and that mode's switch is one for the whole server. When
several visitors arrive together, one run ends the mode while the others' runs are already under
way in it; those tabs kept the folder's navigation. This module's server is its own and fresh,
and its first requests are these tabs."""

from __future__ import annotations

import pytest

from . import test_browser
from .test_browser import IDLE, SCRIPT_TIMEOUT_MS, VIEWPORT

server, browser = test_browser.server, test_browser.browser
_screenshot = test_browser._screenshot

pytestmark = pytest.mark.browser

# Links to pages, as analysts share them; more tabs than the machine has cores.
LINKS = ["/Themes", "/Sources", "/Explore", "/Themes"]
# The app's navigation (ui.navigation.PAGES): titles in order, each drawn with its icon.
TITLES = ["Overview", "Themes", "Explore", "Corpus", "Aid imbalance", "Sources", "Briefing"]


def test_visitors_arriving_together_on_a_fresh_server_get_the_apps_navigation(server, browser):
    contexts = [browser.new_context(viewport=VIEWPORT) for _ in LINKS]
    try:
        tabs = [context.new_page() for context in contexts]
        for tab in tabs:
            tab.errors = []
            tab.on("pageerror", lambda error, tab=tab: tab.errors.append(str(error)))
        # Each goto returns once its request is under way, so all the tabs load together.
        for tab, link in zip(tabs, LINKS, strict=True):
            tab.goto(server + link, wait_until="commit", timeout=SCRIPT_TIMEOUT_MS)
        for number, (tab, link) in enumerate(zip(tabs, LINKS, strict=True)):
            tab.get_by_role("heading", level=1, name=link.strip("/"), exact=True).wait_for(timeout=SCRIPT_TIMEOUT_MS)
            tab.wait_for_selector(IDLE, timeout=SCRIPT_TIMEOUT_MS)
            nav = tab.locator('[data-testid="stSidebarNav"] a')
            labels = [nav.nth(i).locator("span[label]").get_attribute("label") for i in range(nav.count())]
            icons = tab.locator('[data-testid="stSidebarNav"] [data-testid="stIconMaterial"]').count()
            if labels != TITLES or icons != len(TITLES):
                _screenshot(tab, f"first-visitors-{number}")
            assert labels == TITLES, (link, labels)
            assert icons == len(TITLES), (link, icons)
            # The entry point laid out the shared sidebar: the corpus choice is there.
            assert tab.get_by_text("Corpus", exact=True).count() >= 1
            assert not tab.errors, tab.errors
    finally:
        for context in contexts:
            context.close()
