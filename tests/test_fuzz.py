"""Property-based fuzzing: generated hostile inputs against every reader, the segmenter, figures,
cited sources, the link parser, the exports, and whole builds of small corpora and their updates. Each run tries over 1,000 inputs; none may raise
an unexpected exception, take more than a few seconds or hold more than a bounded amount of
memory. The slowest input and the largest memory are written to test-output/fuzz-report.txt.

Inputs mix random text with the pieces real hostile files are made of: markup, formulas, lone
surrogates, NULs, huge numbers, currency signs, state names, attribution verbs, long runs.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis import (
    Analysis,
    CorpusError,
    HashingEmbedder,
    Pipeline,
    Provenance,
    Settings,
    attributions_in_sentence,
    chart_csv,
    extract_citations,
    extract_figures,
    load_corpus,
    paragraph_ids,
    read_bytes,
    segment_document,
)
from analysis.charts import inert_figure, theme_sizes_chart
from analysis.export import build_briefing
from analysis.tables import empty_table, is_formula_like
from ui.urlstate import KNOWN_PARAMS, parse_view_state

from .conftest import ROOT

REPORT = ROOT / "test-output" / "fuzz-report.txt"
# Per input: seconds and bytes (the growth of the resident set at its peak) no input may exceed.
# CPU seconds of this process, not wall time: another build on the machine must not fail the
# suite (a briefing PDF took 18 s of wall time, 4 of CPU, at a load average of 27). Wall time
# is bounded too, loosely, so that a hang still fails.
MAX_SECONDS = 10.0  # a briefing PDF with its fonts is the slowest: about 0.5-1 s
MAX_WALL_SECONDS = 120.0
MAX_BYTES = 200 * 2**20
_MEASURED: list[tuple[str, float, int, str]] = []  # (test, seconds, peak bytes, input shown)

PIECES = [
    "<b>", "</b>", '<a href="http://10.0.0.1/">', "<script>alert(1)</script>", "**", "[x](javascript:1)",
    "=HYPERLINK(\"http://x\")", "-1+1+cmd|' /C calc'!A0", "@SUM(A1)", "\t", "\r", "\n", "\n\n", "\x00",
    "\ud800", "\udcff", "\ufeff", "\u202e", "\u2028", "９", "€", "$", "₩", "£", "¥", "%",
    "9" * 400, "1e400", "NaN", "-0", "1,000,000", "3.5", "billion", "million", "tonnes", "shells",
    "North Korea", "Russia", "Pyongyang", "Kyiv", "the United States", "Iran's", "Chinese",
    " said ", " told ", "according to ", "The report", " the ministry ", " he ", "Kirby", "\"",
    "“", "”", "'", "(", ")", ";", " - ", " — ", "...", ". ", "? ", "Mr.", "U.S.", "Jan. 5",
    "between", " and ", "up to", "more than", "about", "provided", "sold", "shipped", "pledged",
    "By Jane Doe", "SEOUL, Oct. 11 (Yonhap) --", "# Heading", "---", "title: x",
]  # fmt: skip
hostile_text = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), min_size=0, max_size=60
).map("".join)
FUZZ = settings(
    max_examples=150,
    deadline=None,  # time is measured and bounded by MAX_SECONDS instead, with a report
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    database=None,  # every run draws afresh: CI sees new inputs each time
)


def _resident_kib(field: str) -> int:
    """VmRSS (now) or VmHWM (the peak since the last reset) of this process, in KiB."""
    status = Path("/proc/self/status").read_text()
    return int(status.split(f"{field}:", 1)[1].split()[0])


def _reset_peak() -> bool:
    """Start a new peak of resident memory (Linux: '5' to clear_refs resets VmHWM); False where
    the system does not allow it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


# Peak memory per input is the growth of this process's resident set while the input runs, not
# tracemalloc's count of Python allocations: tracing every allocation made a briefing PDF's font
# subsetting 10-15 times slower (0.5 s -> 5-7 s of CPU), which made the briefing fuzz take eight
# minutes of a suite. The resident set counts what C libraries allocate too.
_PEAK_RESETS = _reset_peak()


@pytest.fixture(scope="module", autouse=True)
def _tracing():
    """Where the resident peak cannot be reset, Python allocations are traced instead, for the
    whole module, not started and stopped per input: CPython 3.11's tracemalloc.stop() races
    with other threads allocating (pyarrow's pool threads after a Parquet read), and that race
    ended a run with a segmentation fault."""
    if _PEAK_RESETS:
        yield
        return
    tracemalloc.start()
    try:
        yield
    finally:
        tracemalloc.stop()


def measured(name: str, shown: object, run):
    """run() timed and its peak memory taken; both recorded and bounded.

    An input over a bound is run once more and bounded by its faster and smaller run: a cost that
    does not come back for the same input is the process's, not the input's (the first briefing
    of a process reads its fonts and imports fontTools, whatever its title; the first build that
    makes themes imports and compiles their libraries, about 550 MiB; a busy machine pauses). A
    slow or large input is so both times."""
    result, seconds, wall, peak = _timed(run)
    if seconds >= MAX_SECONDS or wall >= MAX_WALL_SECONDS or peak >= MAX_BYTES:
        result, again, again_wall, again_peak = _timed(run)
        seconds, wall, peak = min(seconds, again), min(wall, again_wall), min(peak, again_peak)
    _MEASURED.append((name, seconds, peak, repr(shown)[:120]))
    assert seconds < MAX_SECONDS, (name, seconds, shown)
    assert wall < MAX_WALL_SECONDS, (name, wall, shown)
    assert peak < MAX_BYTES, (name, peak, shown)
    return result


def _timed(run):
    """(run(), CPU seconds, wall seconds, peak bytes gained)."""
    # The objects the session made before are set aside from garbage collection while the input
    # runs (a constant-time move; they are collected again after): a full collection of them is
    # not this input's cost. The collections its own objects cause still count.
    gc.freeze()
    if _PEAK_RESETS:
        _reset_peak()
        before = _resident_kib("VmRSS") * 1024
    else:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        result = run()
    finally:
        gc.unfreeze()
    wall, seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak = _resident_kib("VmHWM") * 1024 if _PEAK_RESETS else tracemalloc.get_traced_memory()[1]
    return result, seconds, wall, peak - before


def _one_line_reasons(skipped) -> None:
    for item in skipped:
        assert item.reason and "\n" not in item.reason and len(item.reason) < 400, item.reason


# --- readers: every format, from random bytes and from hostile text --------------------------------

SUFFIXES = [".txt", ".md", ".html", ".csv", ".jsonl", ".parquet", ".docx", ".pdf"]


@FUZZ
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=3_000))
def test_readers_take_any_bytes(suffix, data):
    docs, skipped = measured("readers: bytes", (suffix, data[:60]), lambda: read_bytes("f" + suffix, data))
    _one_line_reasons(skipped)
    for doc in docs:
        doc.text.encode("utf-8")  # writable: no lone surrogate reaches the pipeline


@FUZZ
@given(suffix=st.sampled_from([".txt", ".md", ".html", ".csv", ".jsonl"]), text=hostile_text)
@example(suffix=".csv", text='"<b>\n0"')  # a header with a line break: its reason was two lines
def test_readers_take_any_text(suffix, text):
    if suffix == ".jsonl":
        text = "\n".join(json.dumps({"text": line, "outlet": line[:20]}) for line in text.split("\n"))
    data = text.encode("utf-8", "surrogatepass")
    docs, skipped = measured("readers: text", (suffix, text[:60]), lambda: read_bytes("f" + suffix, data))
    _one_line_reasons(skipped)
    for doc in docs:
        doc.text.encode("utf-8")


@FUZZ
@given(rows=st.lists(st.tuples(hostile_text, hostile_text), min_size=1, max_size=8))
def test_parquet_tables_of_hostile_cells_read(rows):
    buffer = io.BytesIO()
    frame = pd.DataFrame(
        [(t.encode("utf-8", "replace").decode(), o.encode("utf-8", "replace").decode()) for t, o in rows],
        columns=["text", "outlet"],
    )
    frame.to_parquet(buffer)
    _, skipped = measured("readers: parquet", rows[:2], lambda: read_bytes("t.parquet", buffer.getvalue()))
    _one_line_reasons(skipped)


# --- the segmenter -------------------------------------------------------------------------------


@FUZZ
@given(text=hostile_text)
def test_the_segmenter_takes_any_text(text):
    text = text.encode("utf-8", "replace").decode()  # what a reader hands on
    segmented = measured("segmenter", text[:60], lambda: segment_document("doc", text))
    for article in segmented.articles:
        for paragraph in article.paragraphs:
            assert 0 <= paragraph.start <= paragraph.end <= len(text)


# --- figures and cited sources ----------------------------------------------------------------------


@FUZZ
@given(texts=st.lists(hostile_text, min_size=1, max_size=4))
def test_figures_and_sources_take_any_paragraphs(texts):
    texts = [t.encode("utf-8", "replace").decode() for t in texts]
    table = pd.DataFrame({"doc": "d", "article": 1, "paragraph": range(len(texts)), "text": texts, "lang": "en"})
    table["pid"] = paragraph_ids(table)

    def run():
        figures = extract_figures(table)
        return figures, extract_citations(table)[1]

    figures, _ = measured("figures and sources", texts[:1], run)
    assert len(figures) <= 200 * 4 * max(1, sum(t.count(".") + 1 for t in texts))
    for sentence in texts:
        attributions_in_sentence(sentence)


# --- a whole build, then an update of it ---------------------------------------------------------

# Sentences written for this test, in the scripts a corpus mixes (the stand-in embedder reads
# Latin words only: the others are zero vectors, as copies of one vector would be), with
# fragments and a long run.
SENTENCES = [
    "Freight trains carried shells north across the border, the ministry said on Monday.",
    "Sanctions monitors counted new shipments of oil that broke the cap this spring.",
    "The election commission counted ballots overnight as turnout rose among young voters.",
    "Farmers harvested rice early after a dry summer left the paddies half empty.",
    "The treasury said Russia pledged $1.2 billion in aid to North Korea, according to the report.",
    "연구진은 위성 발사 준비가 끝났다고 밝혔다.", "港口的起重机整夜卸货。", "Министр обещал ответ на испытания.",
    "x", "2024", "Photo", "Seoul, March 3, 2024", "word " * 120,
]  # fmt: skip
small_document = st.lists(st.one_of(st.sampled_from(SENTENCES), hostile_text), min_size=1, max_size=8).map(
    "\n\n".join
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(
    documents=st.lists(small_document, min_size=1, max_size=5),
    added=st.lists(small_document, min_size=1, max_size=4),
    teasers=st.sampled_from(["apart", "themed"]),
)
def test_any_small_corpus_builds_and_its_build_updates(documents, added, teasers):
    """A build of any few documents, and the same build grown by a few more, either ends in a
    themed analysis or says in one line why not; never a traceback. (Updating a build with no
    theme failed so, found by this test's first version.)"""
    with tempfile.TemporaryDirectory() as folder:
        for number, text in enumerate(documents):
            Path(folder, f"d{number}.txt").write_text(text, encoding="utf-8", errors="replace")
        settings_ = Settings(teasers=teasers)

        def build(earlier=None):  # everything computed afresh: a second run costs what the first did
            pipeline = Pipeline(settings_, HashingEmbedder(), Path(folder, ".cache"), keep_derived=False)
            pipeline.earlier = earlier
            return pipeline.run(load_corpus([folder]))

        try:
            first = measured("build", documents[:1], build)
        except CorpusError as error:  # nothing readable: one line
            assert "\n" not in str(error)
            return
        for number, text in enumerate(added):
            Path(folder, f"added{number}.txt").write_text(text, encoding="utf-8", errors="replace")
        updated = measured("build update", added[:1], lambda: build(first))
        for analysis in (first, updated):
            assert set(analysis.paragraphs["theme_id"]) <= set(analysis.themes["theme_id"])


# --- the link parser -----------------------------------------------------------------------------


@FUZZ
@given(params=st.dictionaries(st.sampled_from((*KNOWN_PARAMS, "other")), st.lists(hostile_text, max_size=3), max_size=8))
def test_any_link_opens_with_notices_not_errors(params):
    state, notices = measured("link parser", params, lambda: parse_view_state(params))
    assert isinstance(notices, list)
    state.to_params()  # and it can be written back into a link


def test_a_link_names_its_chart_by_a_word():
    state, notices = parse_view_state({"chart": ["time"]})
    assert (state.chart, notices, state.to_params()) == ("time", [], {"chart": "time"})
    state, notices = parse_view_state({"chart": ["<b>time</b>"]})
    assert state.chart == "" and notices == ["Ignored the chart '<b>time</b>': charts are named by a word."]
    assert "chart" not in state.to_params()


# --- exports -------------------------------------------------------------------------------------


@FUZZ
@given(cells=st.lists(hostile_text, min_size=1, max_size=6))
def test_chart_data_exports_as_csv_with_no_live_formula(cells):
    data = pd.DataFrame({"text": [c.encode("utf-8", "replace").decode() for c in cells], "value": range(len(cells))})
    exported = measured("csv export", cells[:2], lambda: chart_csv(data, Provenance(), title=cells[0]))
    body = exported.decode("utf-8")
    while body.startswith("# "):  # the header lines: title, Source line, reproducibility line
        body = body.split("\n", 1)[1]
    for row in list(csv.reader(io.StringIO(body, newline="")))[1:]:
        assert not row or not is_formula_like(row[0]), row


@FUZZ
@given(names=st.lists(hostile_text, min_size=1, max_size=5, unique=True))
def test_charts_show_any_theme_name_as_text(names):
    names = [n.encode("utf-8", "replace").decode() for n in names]
    themes = pd.DataFrame({"theme_id": range(len(names)), "theme": names, "size": 1, "keywords": names,
                           "seeded": False, "share": 0.1, "representative": [[] for _ in names]})  # fmt: skip
    figure = measured("charts", names[:2], lambda: theme_sizes_chart(themes, title=names[0]))
    shown = json.dumps(inert_figure(figure).to_plotly_json()["data"], default=str)
    assert "<b>" not in shown and "<script" not in shown


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(title=hostile_text, note=hostile_text)
def test_briefings_take_any_title_and_note(title, note):
    # The title and note come as given (a command line's bytes may hold lone surrogates); the
    # tables hold what a reader hands on, which never does.
    clean = note.encode("utf-8", "replace").decode()
    paragraphs = pd.DataFrame({"doc": ["d"], "article": [1], "paragraph": [1], "outlet": [clean[:30]],
                               "date": [""], "title": [clean[:50]], "text": [clean or "x"], "lang": ["en"],
                               "theme": ["A"], "theme_id": [0], "x": [0.0], "y": [0.0], "start": [0],
                               "end": [1], "role": ["body"], "similarity": [1.0], "pid": ["d|1|1"]})  # fmt: skip
    themes = pd.DataFrame({"theme_id": [0], "theme": [clean[:40] or "A"], "size": [1], "keywords": [clean[:40]],
                           "seeded": [False], "share": [1.0], "representative": [[0]]})  # fmt: skip
    documents = pd.DataFrame({"doc": ["d"], "outlet": [clean], "title": [clean], "url": [clean], "date": [""],
                              "outlet_from": ["manifest"]})  # fmt: skip
    analysis = Analysis(paragraphs, themes, documents, empty_table("articles"), empty_table("duplicates"),
                        empty_table("removed"), empty_table("skipped"),
                        embeddings=None, texts={}, provenance=Provenance(corpus_hash="abc"))
    for fmt in ("pdf", "pptx"):
        pack = measured("briefing", (title[:40], fmt), lambda fmt=fmt: build_briefing(
            analysis, fmt=fmt, title=title, note=note, sections=("appendix",)))  # fmt: skip
        assert len(pack) > 1_000


def test_zz_report_what_the_fuzzing_measured():
    """Runs after the properties above (pytest keeps file order): how many inputs, the slowest
    and the largest, written where CI keeps its output."""
    if not _MEASURED:
        pytest.skip("no fuzz test ran in this session")
    slowest = max(_MEASURED, key=lambda m: m[1])
    largest = max(_MEASURED, key=lambda m: m[2])
    counts: dict[str, int] = {}
    for name, *_ in _MEASURED:
        counts[name] = counts.get(name, 0) + 1
    lines = [
        f"fuzz inputs run: {len(_MEASURED)}",
        *(f"  {name}: {count}" for name, count in sorted(counts.items())),
        f"slowest input: {slowest[1]:.3f} s of CPU ({slowest[0]}: {slowest[3]})",
        f"largest memory: {largest[2] / 2**20:.1f} MiB ({largest[0]}: {largest[3]})",
    ]
    Path(REPORT).parent.mkdir(exist_ok=True)
    Path(REPORT).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    assert len(_MEASURED) >= 1_000
