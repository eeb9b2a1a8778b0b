"""Charts and their data as files: PNG, SVG, PDF, self-contained HTML and CSV.

Every exported chart goes through one print template (`print_figure`): its title and subtitle,
a "Source:" line naming the documents behind it and a reproducibility line (model, settings,
random seed, corpus hash, build date), in readable fonts on white. The template never touches
the traces, so a theme has the same colour in an export as on screen. The same two lines head
the CSV of the chart's data and sit in each file's metadata.

Static images come from plotly's own renderer, run by kaleido in a headless chromium. Starting
that browser takes seconds, so one is started on the first export and reused by every later one
(any thread may export; requests are served one at a time) and closed when the process exits.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hashlib
import html
import io
import json
import re
import shlex
import shutil
import struct
import subprocess
import tempfile
import textwrap
import threading
import time
import zlib
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ..charts import inert_text
from ..tables import Provenance, spreadsheet_csv
from ..views import known_outlets

__all__ = [
    "FORMATS",
    "PNG_SCALE",
    "PRINT_WIDTH",
    "ExportError",
    "chart_csv",
    "chart_documents",
    "export_chart",
    "export_charts",
    "media_type",
    "print_figure",
    "reproducibility_line",
    "source_line",
    "stop_export_browser",
]

FORMATS = ("png", "svg", "pdf", "html")
PRINT_TEMPLATE = "plotly_white"
# Layout width in pixels; PNGs are drawn PNG_SCALE times larger: 2,500 px wide, 300 dpi across
# a 21 cm page.
PRINT_WIDTH = 1000
PNG_SCALE = 2.5
_DEFAULT_HEIGHT = 560
# Fonts Debian ships (fonts-dejavu-core, fonts-liberation; fonts-wqy-microhei for Chinese and
# Korean names); chromium picks the first it has.
FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, WenQuanYi Micro Hei, sans-serif"
_TEXT_COLOUR = "#222222"
_FOOTER_SIZE = 11
_SUBTITLE_SIZE = 14
_FOOTER_LINE = 15  # pixels per footer line
_PAD = 12
_START_TIMEOUT = 60.0  # seconds to start the browser
_RENDER_TIMEOUT = 90.0  # seconds for one image
_MEDIA_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
}


class ExportError(RuntimeError):
    """A chart could not be drawn (no browser, a browser that stopped answering); one line."""


# --- what a chart says about itself -----------------------------------------------------------


def reproducibility_line(provenance: Provenance) -> str:
    """How the analysis behind a chart was made: model, random seed, corpus hash, build date,
    every other setting and digests of the seeded themes and of the analyst's own source kinds,
    when there are any. Enough to trace a figure to its build and make it again."""
    settings = provenance.settings.result_dict()  # where a build ran does not change what it found
    model = provenance.model_key or provenance.model_id or settings.get("model_id") or "unknown model"
    seed = settings.pop("random_seed", "?")
    settings.pop("model_id", None)
    settings.pop("themes_file", None)  # where the file was does not matter; its content does
    settings.pop("source_kinds_file", None)  # likewise: the analyst's rows are digested below
    values = ", ".join(f"{k}={'auto' if v is None else v}" for k, v in sorted(settings.items()))
    built = provenance.built_at.replace("T", " ").replace("+00:00", " UTC") or "unknown date"
    parts = [
        f"Model {model}",
        f"seed {seed}",
        f"corpus {provenance.corpus_hash or 'unknown'}",
        f"built {built}",
    ]
    if values:
        parts.append(f"settings {values}")
    seeds = [dict(s) for s in provenance.seed_themes]
    if seeds:
        digest = hashlib.sha256(json.dumps(seeds, sort_keys=True).encode()).hexdigest()[:8]
        parts.append(f"seeded themes {len(seeds)} ({digest})")
    kinds = [dict(k) for k in provenance.source_kinds]
    if kinds:
        digest = hashlib.sha256(json.dumps(kinds, sort_keys=True).encode()).hexdigest()[:8]
        parts.append(f"own source kinds {len(kinds)} ({digest})")
    return " · ".join(parts)


def chart_documents(data: pd.DataFrame) -> list[str] | None:
    """The documents a chart's data comes from, by its `doc` or `pid` column ("doc|article|
    paragraph"); None when the data names none (then the whole corpus is behind it)."""
    if "doc" in data.columns:
        values = data["doc"]
    elif "pid" in data.columns:
        values = data["pid"].astype(str).str.split("|").str[0]
    else:
        return None
    return sorted({str(v) for v in values.dropna() if str(v)})


def source_line(
    documents: pd.DataFrame,
    corpus_hash: str = "",
    docs: Iterable[str] | None = None,
    max_outlets: int = 3,
) -> str:
    """ "Source: 12 documents from Taipei Times (5), 38 North (3), Yonhap (2), 2 other outlets (2)
    (corpus a1b2c3d4)". `documents` is the build's documents table; `docs` the ids (or paragraph
    ids) of those behind the chart, all of them when None. Outlets with most documents first; an
    outlet known only from a file name counts as "no named outlet"."""
    table = documents
    if docs is not None:
        wanted = {str(d).split("|")[0] for d in docs}
        table = documents[documents["doc"].astype(str).isin(wanted)]
    outlet = known_outlets(table)
    counts = outlet[outlet != ""].value_counts().sort_index().sort_values(ascending=False, kind="stable")
    groups = [(name, int(n)) for name, n in counts.iloc[:max_outlets].items()]
    rest = counts.iloc[max_outlets:]
    if len(rest):
        groups.append((f"{len(rest)} other outlet{'s' if len(rest) > 1 else ''}", int(rest.sum())))
    unnamed = int((outlet == "").sum())
    if unnamed:
        groups.append(("no named outlet", unnamed))
    text = f"Source: {len(table)} document{'' if len(table) == 1 else 's'}"
    if len(groups) == 1:
        text += f" from {groups[0][0]}"
    elif groups:
        text += " from " + ", ".join(f"{name} ({n})" for name, n in groups)
    if corpus_hash:
        text += f" (corpus {corpus_hash[:8]})"
    return text


# --- the print template -------------------------------------------------------------------------


def _wrapped(text: str, width: int, size: int) -> list[str]:
    """`text` in lines that fit `width` pixels at font `size`: DejaVu Sans averages ~0.58 em per
    character; wrapped a little short of the width."""
    chars = max(40, int((width - 2 * _PAD) / (size * 0.62)))
    return textwrap.wrap(" ".join(str(text).split()), chars)


def _footer_lines(source: str, reproducibility: str, width: int) -> list[str]:
    return [line for text in (source, reproducibility) if text for line in _wrapped(text, width, _FOOTER_SIZE)]


def print_figure(
    figure: go.Figure,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    source: str = "",
    reproducibility: str = "",
    width: int = PRINT_WIDTH,
    height: int | None = None,
    margins: Mapping[str, float] | None = None,
) -> go.Figure:
    """A copy of the chart in the print template: title and subtitle at the top left, readable
    fonts, white background, and the Source and reproducibility lines at the bottom.

    `title`/`subtitle` replace the chart's own (None keeps them). The traces are not changed.
    `margins` are the margins the browser computed for the chart (see `export_charts`), so the
    footer starts at the image's left edge whatever the width of the axis labels; without them
    the footer is placed from the chart's own margins.
    """
    printed = go.Figure(figure)
    # The same template whatever process draws the chart: importing Streamlit makes its own
    # template plotly's default, and a chart made in the dashboard would carry it into the
    # export (its fonts and zero margins clipped the axis labels of printed charts).
    printed.layout.template = pio.templates[PRINT_TEMPLATE]
    layout = printed.layout
    title_text = inert_text(title) if title is not None else (layout.title.text or "")
    subtitle_text = inert_text(subtitle) if subtitle is not None else (layout.title.subtitle.text or "")
    # In print's larger type a line that fit the screen may not fit the page: each is wrapped.
    subtitle_text = "<br>".join(
        "<br>".join(_wrapped(line, width, _SUBTITLE_SIZE)) for line in subtitle_text.split("<br>") if line.strip()
    )
    footer = _footer_lines(source, reproducibility, width)
    footer_height = _FOOTER_LINE * len(footer) + (_PAD if footer else 0)
    own = layout.margin
    measured = dict(margins or {})
    left = measured.get("l", own.l if own.l is not None else 80)
    right = measured.get("r", own.r if own.r is not None else 80)
    top = measured.get("t", own.t if own.t is not None else 100)
    bottom = measured.get("b", own.b if own.b is not None else 80)
    base_height = height or layout.height or _DEFAULT_HEIGHT
    printed.update_layout(
        width=width,
        height=base_height + footer_height,
        font={"family": FONT_FAMILY, "size": 14, "color": _TEXT_COLOUR},
        title={
            "text": title_text,
            "subtitle": {"text": subtitle_text, "font": {"size": _SUBTITLE_SIZE, "color": "#444444"}},
            "font": {"size": 20, "color": _TEXT_COLOUR},
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"l": _PAD, "t": _PAD},
            "automargin": True,
        },
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"font": {"size": 13}},
        margin={"l": left, "r": right, "t": top, "b": bottom + footer_height, "autoexpand": True},
    )
    printed.update_xaxes(gridcolor="#DDDDDD", linecolor="#888888", zerolinecolor="#999999")
    printed.update_yaxes(gridcolor="#DDDDDD", linecolor="#888888", zerolinecolor="#999999")
    if footer:
        printed.add_annotation(
            text="<br>".join(inert_text(line) for line in footer),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="bottom",
            align="left",
            # From the plot area's bottom left corner to the image's, then inside by the padding.
            xshift=-left + _PAD,
            yshift=-(bottom + footer_height) + _PAD / 2,
            showarrow=False,
            font={"size": _FOOTER_SIZE, "color": "#555555"},
            name="print-footer",
        )
    return printed


# --- one browser for the process -------------------------------------------------------------


class _Browser:
    """A headless chromium driven by kaleido on its own event loop thread, started on first use.

    kaleido's own sync server hands results back through one shared queue and waits forever if
    the browser never starts; here each request has its own future and a timeout, and a browser
    that stopped answering is replaced on the next request.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None
        self._registered = False

    def render(self, figure: dict, opts: dict) -> bytes:
        with self._lock:
            if self._kaleido is None:
                self._start()
            assert self._loop is not None
            for wait in (*_NOT_READY_WAITS, None):
                future = asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(figure, opts=opts), self._loop)
                try:
                    return future.result(_RENDER_TIMEOUT + 5)
                except FutureTimeout:
                    future.cancel()
                    self._stop()
                    raise ExportError(f"the browser drew nothing in {_RENDER_TIMEOUT:.0f} s") from None
                except Exception as error:
                    if wait is not None and _NOT_READY in str(error):
                        # A browser just started on a busy machine may not have loaded kaleido's
                        # drawing script yet: it is there a moment later.
                        time.sleep(wait)
                        continue
                    # The next export starts a fresh browser rather than reuse one in an unknown state.
                    self._stop()
                    raise ExportError(f"chart export failed: {_first_line(error)}") from error

    def _start(self) -> None:
        import kaleido

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="chart-export-browser", daemon=True)
        thread.start()

        async def open_browser():
            # mathjax=False: nothing is fetched from a CDN (the charts use no LaTeX). The browser
            # gets no network (see _offline_browser): a chart is drawn from what it holds.
            browser = kaleido.Kaleido(n=1, mathjax=False, timeout=_RENDER_TIMEOUT, **_offline_browser())
            await browser.open()
            return browser

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(_START_TIMEOUT)
        except BaseException as error:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)
            raise ExportError(f"cannot start chromium for chart export: {_first_line(error)}") from error
        self._loop, self._thread = loop, thread
        if not self._registered:
            atexit.register(self.stop)
            self._registered = True

    def stop(self) -> None:
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        loop, thread, browser = self._loop, self._thread, self._kaleido
        self._loop = self._thread = self._kaleido = None
        if loop is None:
            return
        # A browser that is already gone has nothing left to close.
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(browser.close(), loop).result(15)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(10)
        if not loop.is_running():
            loop.close()


_BROWSER = _Browser()
# What kaleido's browser says when asked to draw before its drawing script has loaded, and how
# long to wait each time before asking again.
_NOT_READY = "kaleido_scopes is not defined"
_NOT_READY_WAITS = (0.5, 1.0, 2.0, 4.0)

# A proxy that is never there: every request but to this machine's own loopback fails at once.
_NO_PROXY = "127.0.0.1:9"


def _offline_browser() -> dict:
    """How the export browser is started with no network at all: in a network namespace of its
    own (`unshare -rn`: only a loopback of its own, which nothing listens on), where the system
    allows one; everywhere, behind a proxy that is not there. A chart's text is escaped, but a
    figure also carries URLs (images, fonts in styles): they must not reach the server's
    network or its own services."""
    options: dict = {"proxy_server": _NO_PROXY}
    chromium = next((shutil.which(name) for name in _CHROMIUM_NAMES if shutil.which(name)), None)
    unshare = shutil.which("unshare")
    if not chromium or not unshare:
        return options
    try:
        isolated = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        isolated = False
    if isolated:
        folder = Path(tempfile.mkdtemp(prefix="geonews-export-"))
        atexit.register(shutil.rmtree, folder, True)
        wrapper = folder / "chromium"
        wrapper.write_text(f'#!/bin/sh\nexec {shlex.quote(unshare)} -rn {shlex.quote(chromium)} "$@"\n')
        wrapper.chmod(0o700)
        options["path"] = str(wrapper)
    return options


_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def stop_export_browser() -> None:
    """Close the export browser now (it is also closed at exit; the next export starts another)."""
    _BROWSER.stop()


_MARGINS: dict[str, dict[str, float]] = {}  # figure JSON digest -> margins, the last few charts
_MARGINS_KEPT = 64
_MARGINS_LOCK = threading.Lock()


def _measured_margins(figure: go.Figure, width: int, height: int) -> dict[str, float]:
    """The margins plotly computes once axis labels, legend and title are placed (asked of the
    browser once per chart: a page offering four formats of a chart measures it once)."""
    spec = figure.to_json()
    key = hashlib.sha256(f"{width}x{height}:{spec}".encode()).hexdigest()
    with _MARGINS_LOCK:
        known = _MARGINS.get(key)
    if known is None:
        full = json.loads(
            _BROWSER.render(json.loads(spec), {"format": "json", "width": width, "height": height})
        )
        computed = full.get("layout", {}).get("computed", {}).get("margin", {})
        known = {side: float(computed[side]) for side in ("l", "r", "t", "b") if side in computed}
        with _MARGINS_LOCK:
            while len(_MARGINS) >= _MARGINS_KEPT:
                _MARGINS.pop(next(iter(_MARGINS)))
            _MARGINS[key] = known
    return dict(known)


# --- files -----------------------------------------------------------------------------------------


def export_chart(
    figure: go.Figure,
    fmt: str,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    source: str = "",
    provenance: Provenance | None = None,
    width: int = PRINT_WIDTH,
    height: int | None = None,
    scale: float = PNG_SCALE,
) -> bytes:
    """The chart in the print template as a "png" (scale times the layout size), "svg", "pdf" or
    self-contained "html" file. `source` is the Source line (see `source_line`); `provenance` the
    build's provenance, for the reproducibility line. Raises ExportError when no browser can draw it."""
    return export_charts(
        figure,
        (fmt,),
        title=title,
        subtitle=subtitle,
        source=source,
        provenance=provenance,
        width=width,
        height=height,
        scale=scale,
    )[fmt]


def export_charts(
    figure: go.Figure,
    formats: Sequence[str] = FORMATS,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    source: str = "",
    provenance: Provenance | None = None,
    width: int = PRINT_WIDTH,
    height: int | None = None,
    scale: float = PNG_SCALE,
) -> dict[str, bytes]:
    """`export_chart` in several formats at once: the layout is measured once for all."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}: choose from {', '.join(FORMATS)}")
    repro = reproducibility_line(provenance) if provenance else ""
    kwargs = {"title": title, "subtitle": subtitle, "width": width, "height": height}
    bare = print_figure(figure, **kwargs)
    try:
        margins = _measured_margins(bare, width, int(bare.layout.height))
    except ExportError:
        if set(formats) - {"html"}:
            raise
        margins = None  # no browser: the HTML file is still made, its footer placed by estimate
    printed = print_figure(figure, source=source, reproducibility=repro, margins=margins, **kwargs)
    plain_title = html.unescape(re.sub(r"<[^>]+>", "", printed.layout.title.text or ""))
    out: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "html":
            out[fmt] = _html(printed, plain_title, source, repro)
            continue
        opts = {"format": fmt, "width": width, "height": int(printed.layout.height)}
        if fmt == "png":
            opts["scale"] = scale
        image = _BROWSER.render(printed.to_dict(), opts)
        if fmt == "png":
            image = _png_with_text(image, {"Title": plain_title, "Source": source, "Description": repro})
        elif fmt == "svg":
            image = _svg_with_text(image, plain_title, " ".join(t for t in (source, repro) if t))
        else:
            image = _pdf_with_metadata(image, plain_title, source, repro)
        out[fmt] = image
    return out


def media_type(fmt: str) -> str:
    """The MIME type of an export format (for download buttons)."""
    return _MEDIA_TYPES[fmt]


def _html(figure: go.Figure, title: str, source: str, repro: str) -> bytes:
    """One file that opens anywhere offline: plotly.js inline, no CDN, no MathJax."""
    page = figure.to_html(
        full_html=True,
        include_plotlyjs=True,
        include_mathjax=False,
        config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": PNG_SCALE}},
    )
    head = (
        f"<title>{html.escape(title)}</title>"
        f'<meta name="description" content="{html.escape(source)}">'
        f'<meta name="generator" content="{html.escape(repro)}">'
    )
    return page.replace("<head>", "<head>" + head, 1).encode("utf-8")


def _png_with_text(png: bytes, entries: Mapping[str, str]) -> bytes:
    """The PNG with UTF-8 text chunks (iTXt) after its header: shown by image viewers' info."""
    signature_and_header = 8 + 8 + 13 + 4  # signature, IHDR length+type, IHDR data, CRC
    chunks = b""
    for key, value in entries.items():
        if not value:
            continue
        data = key.encode("latin-1") + b"\0\0\0\0\0" + str(value).encode("utf-8")
        chunks += (
            struct.pack(">I", len(data))
            + b"iTXt"
            + data
            + struct.pack(">I", zlib.crc32(b"iTXt" + data) & 0xFFFFFFFF)
        )
    return png[:signature_and_header] + chunks + png[signature_and_header:]


def _svg_with_text(svg: bytes, title: str, description: str) -> bytes:
    """The SVG with <title> and <desc> as its first children, read by screen readers and tools."""
    text = svg.decode("utf-8")
    end = text.find(">", text.find("<svg")) + 1
    extra = f"<title>{html.escape(title)}</title><desc>{html.escape(description)}</desc>"
    return (text[:end] + extra + text[end:]).encode("utf-8")


def _pdf_with_metadata(pdf: bytes, title: str, source: str, repro: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Title": title, "/Subject": source, "/Keywords": repro, "/Creator": "geonews"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def chart_csv(
    data: pd.DataFrame,
    provenance: Provenance | None = None,
    *,
    title: str = "",
    source: str = "",
) -> bytes:
    """The chart's data as UTF-8 CSV, headed by comment lines starting with "# ": the chart's
    title, its Source line and the reproducibility line. Read it back with
    `pandas.read_csv(path, skiprows=<number of "# " lines>)`."""
    notes = [title, source, reproducibility_line(provenance) if provenance else ""]
    header = "".join(f"# {' '.join(str(n).split())}\n" for n in notes if n)
    # "replace": a character no file can store (a lone surrogate) becomes "?", not a failure.
    return (header + spreadsheet_csv(data, lineterminator="\n")).encode("utf-8", "replace")

