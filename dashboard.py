"""The dashboard's entry point: `streamlit run dashboard.py`.

It lays out what every page shares once (the sidebar: corpus, uploads, theme settings) and then
runs the page the visitor chose, so the visitor's corpus and settings stay as they are from page
to page. Pages only lay out; corpus text is only ever shown as text, never as Markdown or HTML.
"""

import streamlit as st

from ui.auth import require_password
from ui.navigation import navigation
from ui.session import lay_out_sidebar, page_done

st.set_page_config(page_title="Geopolitical news", layout="wide")
require_password()  # before anything, the navigation included, is shown
page = navigation()
lay_out_sidebar()
try:
    page.run()
finally:
    page_done()
