"""A chart on a page, with its downloads: the same figure object the page draws goes through the
print template into PNG, SVG, PDF and a self-contained HTML file, and the data behind it into
CSV, each carrying the Source and reproducibility lines.

Files are made only when a button is clicked (deferred download data), so a page with six charts
does not render twenty-four images on every rerun.
"""

from __future__ import annotations

import contextlib
import re
import shutil

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis import Analysis, export

_LABELS = {"png": "PNG", "svg": "SVG", "pdf": "PDF", "html": "HTML"}


def browser_available() -> bool:
    # kaleido draws static images in a Chromium-family browser; without one, only HTML and CSV.
    return any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome", "chrome"))


def file_stem(title: str, result: Analysis) -> str:
    """ "Aid imbalance" -> "aid-imbalance-4a9cdc43": readable, and names the corpus it shows."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "chart"
    return f"{slug}-{result.corpus_hash[:8]}".rstrip("-")


def chart_downloads(figure: go.Figure, data: pd.DataFrame, *, title: str, result: Analysis, key: str) -> None:
    """Download buttons for one chart and its data."""

    def source() -> str:
        # Made on click like the files: counting outlets over a million documents on every
        # rerun of every chart would slow each page for a line nobody may download.
        return export.source_line(
            result.documents, result.corpus_hash, export.chart_documents(data)
        )

    stem = file_stem(title, result)
    images = browser_available()
    columns = st.columns(len(_LABELS) + 1, gap="small")
    for column, (fmt, label) in zip(columns, _LABELS.items(), strict=False):
        column.download_button(
            label,
            # Bound now, rendered on click: the figure and settings are those of this run.
            data=lambda fmt=fmt: export.export_chart(figure, fmt, source=source(), provenance=result.provenance),
            file_name=f"{stem}.{fmt}",
            mime=export.media_type(fmt),
            on_click="ignore",
            key=f"download-{key}-{fmt}",
            disabled=fmt != "html" and not images,
            help=None if fmt == "html" or images else "No Chromium browser on this machine to draw images.",
            icon=":material/download:",
        )
    columns[-1].download_button(
        "CSV",
        data=lambda: export.chart_csv(data, result.provenance, title=title, source=source()),
        file_name=f"{stem}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"download-{key}-csv",
        icon=":material/download:",
    )


def show_chart(
    figure: go.Figure,
    data: pd.DataFrame,
    *,
    title: str,
    result: Analysis,
    key: str,
    container=None,
    **plotly_options,
):
    """Draw the chart and put its downloads under it; returns what st.plotly_chart returns
    (the selection event when `on_select` is given)."""
    with container if container is not None else contextlib.nullcontext():
        event = st.plotly_chart(figure, width="stretch", key=key, **plotly_options)
        with st.popover("Download", icon=":material/download:"):
            chart_downloads(figure, data, title=title, result=result, key=key)
    return event
