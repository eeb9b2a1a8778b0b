"""The briefing pack: PDF and PowerPoint read back, sections chosen, the command line end to end."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from analysis import (
    OTHER_NAME,
    HashingEmbedder,
    Settings,
    build_analysis,
    build_briefing,
    flow_balance,
    load_corpus,
    reproducibility_line,
    save_analysis,
)

from .conftest import ROOT, SAMPLE, run_cli

FLOW_SENTENCE = "North Korea has provided approximately 9.8 billion USD in support to Russia"
NOTE = "Check the 8.1 to 1 ratio with the Sejong Institute before Monday’s meeting."


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", text).replace("\u200b", "").split())


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory):
    """The sample corpus with the stand-in embedder: real documents, figures and sources, fast."""
    settings = Settings(themes_file=str(SAMPLE / "themes.toml"))
    return build_analysis(
        load_corpus([SAMPLE / "corpus"], settings=settings),
        settings,
        embedder=HashingEmbedder(),
        cache_dir=tmp_path_factory.mktemp("cache"),
    )


@pytest.fixture(scope="module")
def stand_in_pdf(stand_in):
    return build_briefing(stand_in, note=NOTE)


def test_pdf_has_every_section(stand_in, stand_in_pdf):
    text = _text(stand_in_pdf)
    # Title page: corpus, dates, the analyst's note and how the analysis was made.
    assert "Briefing" in text and "2 documents, 9 articles" in text and "2024-06-16 to 2025-12-05" in text
    assert NOTE in text
    assert reproducibility_line(stand_in.provenance) in text
    # Themes with label, size, keywords and a representative paragraph.
    for row in stand_in.themes.itertuples():
        assert row.theme in text
        assert f"{row.size} paragraphs" in text
    named = stand_in.themes[stand_in.themes["theme"] != OTHER_NAME].iloc[0]
    assert named["keywords"].split(", ")[0] in text
    opening = " ".join(stand_in.paragraphs["text"].iloc[named["representative"][0]].split()[:8])
    assert opening in text
    # The aid imbalance: the chart, its ratio, every figure's sentence and source.
    assert "Aid imbalance" in text and "at least 8.1 to 1" in text
    # "The report" is the one the article titled, with who released it.
    assert FLOW_SENTENCE in text and "Attributed to Assessing Changes in North Korea-China-Russia" in text
    assert "(report by Lee Sung-yoon, Sejong Institute)" in text
    # Who each theme cites, with kind and paragraphs.
    assert "Who is cited" in text and "Rodong Sinmun state media, 1 paragraph" in text
    # Source coverage and the appendix with every document's outlet, date and url.
    # (the charts are images: their own titles are not in the text)
    assert "Source coverage" in text and "by the outlets that published them" in text
    assert "Appendix: documents" in text and "Taipei Times" in text
    url = "https://www.taipeitimes.com/News/editorials/archives/2024/06/16/2003819403"
    assert url in text.replace("/ ", "/")  # the cell wraps the url after a slash
    # Every page says which build it comes from.
    assert text.count(f"corpus {stand_in.provenance.corpus_hash[:8]}") >= _pages(stand_in_pdf)


def _without_fonts(monkeypatch, family: str) -> None:
    """As if Debian's fonts under /usr/share/fonts/truetype/FAMILY were not installed (FAMILY
    "": none at all)."""
    is_file = Path.is_file
    missing = Path("/usr/share/fonts/truetype") / family

    def installed(path: Path) -> bool:
        return not Path(path).is_relative_to(missing) and is_file(path)

    monkeypatch.setattr(Path, "is_file", installed)


def test_pdf_keeps_curly_quotes_and_chinese_names(stand_in, monkeypatch):
    note = "Kuo (郭智輝), Xi (習近平) and Lee Jae-myung (이재명): “no comment”."
    # Chinese and Korean glyphs come from Debian's fonts-wqy-microhei (packages.txt).
    assert note in _text(build_briefing(stand_in, note=note, sections=()))
    # Without it the Latin text is kept and the glyphs DejaVu lacks are left out, no error.
    _without_fonts(monkeypatch, "wqy")
    text = _text(build_briefing(stand_in, note=note, sections=()))
    assert "Kuo (" in text and "Lee Jae-myung (" in text and "“no comment”" in text


def test_sections_choose_the_content(stand_in, stand_in_pdf):
    aid_only = build_briefing(stand_in, sections=["aid"])
    text = _text(aid_only)
    assert FLOW_SENTENCE in text
    assert "Appendix: documents" not in text and "Source coverage" not in text and "Keywords:" not in text
    assert _pages(aid_only) < _pages(stand_in_pdf)

    appendix_only = _text(build_briefing(stand_in, sections=("appendix", "themes")))
    assert "Appendix: documents" in appendix_only and "Keywords:" in appendix_only
    assert FLOW_SENTENCE not in appendix_only and NOTE not in appendix_only


# --- who is cited ------------------------------------------------------------------------------------


def _cited_analysis(source_names=("Example Institute", "Example Daily")):
    """A hand-made analysis: three themes, one citing nobody, paragraphs citing made-up sources
    (the second name as state media), one named only as a person's affiliation."""
    import pandas as pd

    from .conftest import analysis_of

    institute, daily = source_names
    # pid: (theme id, theme)
    placed = {"d.txt|1|1": (0, "Ports"), "d.txt|1|2": (0, "Ports"), "d.txt|1|3": (1, "Tariffs"),
              "d.txt|1|4": (2, "Weather")}  # fmt: skip
    paragraphs = pd.DataFrame(
        [{"doc": "d.txt", "pid": pid, "theme_id": t, "theme": name, "text": "x", "outlet": "Desk", "date": "",
          "title": ""} for pid, (t, name) in placed.items()]
    )
    themes = pd.DataFrame(
        {"theme_id": [0, 1, 2], "theme": ["Ports", "Tariffs", "Weather"], "size": [2, 1, 1], "keywords": "",
         "seeded": False, "share": 0.0, "representative": [[], [], []]}
    )
    citations = pd.DataFrame(
        [
            ("Jane Roe", "person", "d.txt|1|1", "said"),
            (institute, "think tank", "d.txt|1|1", "affiliation"),
            ("Jane Roe", "person", "d.txt|1|2", "noted"),
            ("Jane Roe", "person", "d.txt|1|2", "added"),  # one paragraph, counted once
            (daily, "state media", "d.txt|1|2", "reported"),
            (daily, "state media", "d.txt|1|3", "reported"),
            ("Nobody Known", "person", "gone.txt|1|1", "said"),  # no longer in the analysis
        ],
        columns=["source", "kind", "pid", "verb"],
    )
    documents = pd.DataFrame({"doc": ["d.txt"], "outlet": ["Desk"], "date": [""]})
    return analysis_of(paragraphs, themes, documents, citations=citations)


def test_who_is_cited_counts_paragraphs_per_theme():
    from analysis.views import CITED_COLUMNS, cited_by_theme

    cited = cited_by_theme(_cited_analysis())
    assert list(cited.columns) == CITED_COLUMNS
    rows = [(r.theme, r.source, r.kind, r.paragraphs, r.affiliation_only) for r in cited.itertuples()]
    assert rows == [
        ("Ports", "Jane Roe", "person", 2, False),
        ("Ports", "Example Daily", "state media", 1, False),
        ("Ports", "Example Institute", "think tank", 1, True),
        ("Tariffs", "Example Daily", "state media", 1, False),
    ]


@pytest.mark.parametrize("fmt", ["pdf", "pptx"])
def test_the_who_is_cited_section_lists_sources_per_theme_as_plain_text(fmt):
    hostile = ("<b>Example</b> **Institute** [x](javascript:alert(1))", "=HYPERLINK(\"http://x\") Daily")
    pack = build_briefing(_cited_analysis(hostile), sections=["cited"], fmt=fmt)
    if fmt == "pdf":
        text = _text(pack)
        assert "Who is cited" in text and "Ports" in text and "Tariffs" in text
        assert "Jane Roe person, 2 paragraphs" in text
        assert "think tank, 1 paragraph, named only as a cited person's affiliation" in text
        assert "Weather No source cited." in text
    else:
        deck = Presentation(io.BytesIO(pack))
        titles = [slide.shapes.title.text for slide in deck.slides]
        assert titles == ["Briefing", "Summary", "Who is cited", "Appendix: how this was made"]
        (table,) = [shape.table for shape in deck.slides[2].shapes if shape.has_table]
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        assert rows[0] == ["Theme", "Cited source", "Kind and paragraphs"]
        assert rows[1] == ["Ports", "Jane Roe", "person, 2 paragraphs"]
        assert rows[2][0] == "" and rows[-1] == ["Weather", "no source cited", ""]
        text = "\n".join(cell for row in rows for cell in row)
    # The names as written, markup and all: never read as Markdown, HTML or a formula.
    for name in hostile:
        assert name in text


def test_unknown_section_or_format_is_refused(stand_in):
    with pytest.raises(ValueError, match="unknown section 'maps'"):
        build_briefing(stand_in, sections=["themes", "maps"])
    with pytest.raises(ValueError, match="unknown format 'docx'"):
        build_briefing(stand_in, fmt="docx")


def test_the_aid_section_follows_the_analysts_figures(stand_in):
    edited = stand_in.figures.copy()
    flow = edited.index[edited["kind"] == "flow"][0]
    edited.loc[flow, "sentence"] = "Analyst’s reading: North Korea sent 11 billion USD to Russia."
    edited.loc[flow, "amount"] = 11e9
    text = _text(build_briefing(stand_in, figures=edited, sections=["aid"]))
    assert "Analyst’s reading: North Korea sent 11 billion USD to Russia." in text
    assert FLOW_SENTENCE not in text
    assert "The figures include the analyst's edits" in text


def test_pptx_has_one_slide_per_part(stand_in):
    deck = Presentation(io.BytesIO(build_briefing(stand_in, fmt="pptx", note=NOTE)))
    titles = [slide.shapes.title.text for slide in deck.slides]
    flows = flow_balance(stand_in.figures)
    figure_slides = [s for s, t in zip(deck.slides, titles, strict=True) if t == "Aid imbalance: the figures"]
    appendix_slides = [s for s, t in zip(deck.slides, titles, strict=True) if t == "Appendix: documents"]
    cited_slides = [s for s, t in zip(deck.slides, titles, strict=True) if t == "Who is cited"]
    assert 1 <= len(cited_slides) <= len(stand_in.citations)
    assert 1 <= len(figure_slides) <= max(len(flows), 1)
    assert 1 <= len(appendix_slides) <= len(stand_in.documents)
    expected = (
        1  # title
        + 1  # summary
        + 1  # how this was made
        + 1
        + len(stand_in.themes)  # themes chart, then one slide per theme
        + 1
        + len(figure_slides)  # aid chart, the figures
        + 1  # coverage chart
        + len(cited_slides)
        + len(appendix_slides)
    )
    assert len(deck.slides) == expected
    # Every flow is listed once across the figure slides, every document once in the appendix.
    listed = " ".join(
        shape.text_frame.text for s in figure_slides for shape in s.shapes if shape.has_text_frame
    )
    assert len(flows) > 0 and all(listed.count(f"“{sentence}”") == 1 for sentence in flows["sentence"])
    rows = sum(len(shape.table.rows) - 1 for s in appendix_slides for shape in s.shapes if shape.has_table)
    assert rows == len(stand_in.documents)
    assert titles[:3] == ["Briefing", "Summary", "Themes"] and titles[-1] == "Appendix: how this was made"
    # Largest theme first, "Other" last.
    ordered = stand_in.themes.assign(other=stand_in.themes["theme"] == OTHER_NAME).sort_values(
        ["other", "size", "theme_id"], ascending=[True, False, True]
    )
    assert titles[3 : 3 + len(stand_in.themes)] == ordered["theme"].tolist()
    assert {"Aid imbalance", "Aid imbalance: the figures", "Source coverage", "Who is cited",
            "Appendix: documents"} <= set(titles)  # fmt: skip
    cover = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    assert NOTE in cover
    # How it was made: said once, on the last slide.
    method = " ".join(shape.text_frame.text for shape in deck.slides[-1].shapes if shape.has_text_frame)
    assert reproducibility_line(stand_in.provenance) in method and stand_in.provenance.corpus_hash in method
    figures_slide = deck.slides[titles.index("Aid imbalance: the figures")]
    listed = " ".join(shape.text_frame.text for shape in figures_slide.shapes if shape.has_text_frame)
    assert FLOW_SENTENCE in listed
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 3 and all(p.image.content_type == "image/png" for p in pictures)
    for slide in deck.slides:  # nothing hangs off the slide
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert (
                shape.left + shape.width <= deck.slide_width and shape.top + shape.height <= deck.slide_height
            )


def test_pptx_sections_choose_the_slides(stand_in):
    deck = Presentation(io.BytesIO(build_briefing(stand_in, fmt="pptx", sections=["coverage"])))
    assert [slide.shapes.title.text for slide in deck.slides] == [
        "Briefing", "Summary", "Source coverage", "Appendix: how this was made",
    ]  # fmt: skip


def test_without_a_unicode_font_the_pdf_is_still_made(stand_in, monkeypatch):
    _without_fonts(monkeypatch, "")
    text = _text(build_briefing(stand_in, note=NOTE, sections=["themes", "aid"]))
    # Core fonts are Latin-1: curly quotes become straight ones, arrows "->", Chinese "?".
    assert "Monday's meeting" in text
    assert "North Korea -> Russia" in text
    assert FLOW_SENTENCE in text


def test_cited_coverage(stand_in):
    text = _text(build_briefing(stand_in, sections=["coverage"], coverage_by="cited"))
    assert "by the sources they cite" in text


# --- the real sample, and the command line ----------------------------------------------------------


@pytest.mark.model
def test_real_sample_briefing_and_command_line(sample_build, tmp_path):
    folder = save_analysis(sample_build, tmp_path / "sample")
    result = run_cli(
        "brief",
        folder,
        "--out",
        tmp_path / "packs" / "sample.pdf",
        "--note",
        NOTE,
        "--sections",
        "themes,aid",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    text = _text((tmp_path / "packs" / "sample.pdf").read_bytes())
    assert NOTE in text and FLOW_SENTENCE in text and "South Korean strategy" in text
    assert "Appendix: documents" not in text
    assert f"corpus {sample_build.provenance.corpus_hash}" in text
    cited = _text(build_briefing(sample_build, sections=["cited"]))
    for source, kind in (("Rodong Sinmun", "state media"), ("Sejong Institute", "think tank"), ("Lee Sung-yoon", "person")):
        assert f"{source} {kind}," in cited, source

    result = run_cli("brief", folder, "--out", tmp_path / "sample.pptx", check=False)
    assert result.returncode == 0, result.stderr
    deck = Presentation(str(tmp_path / "sample.pptx"))
    assert len(deck.slides) >= 6 and deck.slides[0].shapes.title.text == "Briefing"


@pytest.mark.parametrize(
    "args, message",
    [
        (["brief", "{tmp}/no-such-build", "--out", "{tmp}/b.pdf"], "no such build folder"),
        (["brief", "{tmp}", "--out", "{tmp}/b.pdf"], "not a build folder"),
        (
            ["brief", "{build}", "--out", "{tmp}/b.pdf", "--sections", "themes", "maps"],
            "unknown section 'maps'",
        ),
        (["brief", "{build}", "--out", "{tmp}/b.pdf", "--format", "docx"], "unknown format 'docx'"),
        (
            ["brief", "{build}", "--out", "{tmp}/b.pdf"],
            "not a complete build folder (paragraphs.parquet is missing)",
        ),
        (["brief", "{broken}", "--out", "{tmp}/b.pdf"], "build.json cannot be read"),
        (["brief", "{older}", "--out", "{tmp}/b.pdf"], "written by another version of this package"),
    ],
)
def test_unusable_input_exits_2_with_one_line(tmp_path, args, message):
    build_dir, broken, older = tmp_path / "build", tmp_path / "broken", tmp_path / "older"
    for folder, content in ((build_dir, "{}"), (broken, "{not json"), (older, '{"format_version": 3}')):
        folder.mkdir()
        (folder / "build.json").write_text(content)
    result = run_cli(
        *[a.format(tmp=tmp_path, build=build_dir, broken=broken, older=older) for a in args], check=False
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]


@pytest.mark.parametrize("fmt", ["pdf", "pptx"])
def test_long_and_unprintable_text_makes_a_pack_not_an_error(stand_in, fmt):
    """A 3,000-character title, URL or document title, a note of 5,000, and characters no font
    draws (a lone surrogate, as a command line's non-UTF-8 bytes arrive) still make a pack."""
    import dataclasses

    documents = stand_in.documents.copy()
    documents.loc[documents.index[0], "url"] = "https://example.org/" + "a" * 3000
    documents.loc[documents.index[1], "title"] = "A headline that goes on " + "and on " * 450
    hostile = dataclasses.replace(stand_in, documents=documents)
    pack = build_briefing(hostile, fmt=fmt, title="Ж" * 3000 + " \udcff", note="n" * 5000 + "\x00\ud800")
    assert len(pack) > 10_000
    if fmt == "pdf":
        # The title, cut with an ellipsis: at most 200 characters on its page, 80 in each footer.
        assert 150 <= _text(pack).count("Ж") <= 200 + 80 * _pages(pack)
    else:
        deck = Presentation(io.BytesIO(pack))
        assert len(deck.core_properties.title) <= 255


def test_brief_on_the_command_line_takes_bytes_that_are_not_utf8(stand_in, tmp_path):
    import os
    import subprocess
    import sys

    folder = save_analysis(stand_in, tmp_path / "b")
    out = tmp_path / "b.pdf"
    command = [sys.executable.encode(), b"-m", b"analysis", b"brief", os.fsencode(folder), b"--out",
               os.fsencode(out), b"--title", b"Weekly \xff brief", b"--sections", b"themes"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    assert out.stat().st_size > 10_000 and b"Traceback" not in done.stderr


def test_a_corpus_without_outlets_is_summed_up_as_such(stand_in):
    import dataclasses

    documents = stand_in.documents.assign(outlet="", outlet_from="")
    unnamed = dataclasses.replace(stand_in, documents=documents, paragraphs=stand_in.paragraphs.assign(outlet=""))
    pdf = build_briefing(unnamed, sections=["themes"])
    summary = " ".join(unicodedata.normalize("NFKC", PdfReader(io.BytesIO(pdf)).pages[1].extract_text()).split())
    assert "34 paragraphs, no outlet named, dated" in summary, summary[:300]
    assert "0 outlets" not in summary
    # Said once for the corpus, not once per theme.
    assert summary.count("No theme has a known outlet") == 1
    assert "no known outlet" not in summary


def test_the_pack_opens_with_a_summary_and_states_its_settings_once(stand_in, stand_in_pdf):
    reader = PdfReader(io.BytesIO(stand_in_pdf))
    summary = " ".join(unicodedata.normalize("NFKC", reader.pages[1].extract_text()).split())
    assert summary.startswith("Summary") and "2 documents, 9 articles" in summary
    assert "from 1 outlet (1 document naming none)" in summary  # a file's name is no outlet
    assert "2024-06-16 to 2025-12-05" in summary
    largest = stand_in.themes[stand_in.themes["theme"] != OTHER_NAME].sort_values("size").iloc[-1]
    assert f"{largest['theme']}: {largest['share']:.0%} of paragraphs" in summary
    assert "at least 8.1 to 1" in summary  # the aid balance, as a sentence
    # Caveats: themes resting on one source, in a sentence each.
    assert "Read with care" in summary and "rests on a single" in summary and "Rests on" not in summary
    # The settings line: once, in the last appendix, not under every chart.
    text = _text(stand_in_pdf)
    assert text.count(reproducibility_line(stand_in.provenance)) == 1
    last = " ".join(unicodedata.normalize("NFKC", reader.pages[-1].extract_text()).split())
    assert "Appendix: how this was made" in last and reproducibility_line(stand_in.provenance) in last
    # Edits are mentioned only when there are some: the dashboard hands in the figures after
    # applying none.
    from analysis import FigureEdits, apply_figure_edits

    unedited = apply_figure_edits(stand_in.figures, FigureEdits(corpus=stand_in.corpus_hash))
    assert "analyst's" not in _text(build_briefing(stand_in, figures=unedited, sections=["aid"]))
    assert "analyst's" not in text


def test_a_long_quote_is_cut_at_a_sentence_or_word_with_an_ellipsis():
    from analysis.views import shorten

    text = "North Korea sent shells. Russia paid in oil and technology for years. The deal grew over the summer."
    assert shorten(text, 80) == "North Korea sent shells. Russia paid in oil and technology for years. …"
    assert shorten(text, 60) == "North Korea sent shells. Russia paid in oil and technology…"
    assert shorten(text, 200) == text
    cut = shorten("word " * 400, 300)
    assert len(cut) <= 300 and cut.endswith("word…")


def test_the_appendix_of_a_large_corpus_lists_its_first_documents_and_counts_the_rest(stand_in):
    import dataclasses

    import pandas as pd

    from analysis.export import APPENDIX_DOCUMENTS

    more = 37
    rows = APPENDIX_DOCUMENTS + more
    documents = pd.DataFrame(
        {
            "doc": [f"d{i:05d}.txt" for i in range(rows)],
            "outlet": "Wire",
            "outlet_from": "manifest",
            "date": "2024-05-01",
            "title": [f"Story number {i:05d}" for i in range(rows)],
            "url": "",
        }
    )
    large = dataclasses.replace(stand_in, documents=documents)
    text = _text(build_briefing(large, sections=("appendix",)))
    assert f"Story number {APPENDIX_DOCUMENTS - 1:05d}" in text and "Story number 00000" in text
    assert f"Story number {APPENDIX_DOCUMENTS:05d}" not in text
    assert f"and {more} more documents: the build's documents.csv lists every one" in text
    deck = Presentation(io.BytesIO(build_briefing(large, sections=("appendix",), fmt="pptx")))
    cells = [cell.text for slide in deck.slides for shape in slide.shapes if shape.has_table
             for row in shape.table.rows for cell in row.cells]  # fmt: skip
    assert f"Story number {APPENDIX_DOCUMENTS:05d}" not in cells and any(f"and {more} more" in c for c in cells)


def test_a_theme_citing_many_sources_lists_the_most_cited_and_counts_the_rest(stand_in):
    import dataclasses

    import pandas as pd

    from analysis.export import CITED_PER_THEME
    from analysis.views import cited_by_theme

    first = stand_in.citations.iloc[[0]]
    added = pd.concat([first] * (CITED_PER_THEME + 5), ignore_index=True)
    added["speaker"] = added["source"] = [f"Speaker {i:03d}" for i in range(len(added))]
    large = dataclasses.replace(stand_in, citations=pd.concat([stand_in.citations, added], ignore_index=True))
    by_theme = cited_by_theme(large)
    theme = by_theme.loc[by_theme["source"] == "Speaker 000", "theme_id"].iloc[0]
    more = int((by_theme["theme_id"] == theme).sum()) - CITED_PER_THEME
    assert more >= 5
    text = _text(build_briefing(large, sections=("cited",)))
    assert f"and {more} more cited sources, each in fewer paragraphs" in text
    listed = [f"Speaker {i:03d}" for i in range(len(added)) if f"Speaker {i:03d}" in text]
    assert 0 < len(listed) < len(added)
