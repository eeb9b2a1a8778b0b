"""A briefing pack: the analysis of a corpus as one PDF (or PowerPoint) file to hand on.

    build_briefing(analysis, sections=("themes", "aid"), note="For the Monday meeting")

A title page (corpus, dates, the analyst's note, how the analysis was made) and the sections
chosen: the themes with their labels, sizes, keywords and one representative paragraph each; the
aid-imbalance chart with every figure's sentence and source; the source-coverage chart; who each
theme cites (every cited source with its kind and paragraph count); an appendix of every document
with outlet, date and url. The charts are the dashboard's own
(`analysis.charts`), drawn through the print template of `analysis.export`.

The content is gathered once (`_Briefing`) and laid out by one writer per format, so the PDF
and the slides say the same thing.
"""

from __future__ import annotations

import io
import math
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from .. import charts
from ..tables import FIGURE_COLUMNS, OTHER_ID, OTHER_NAME, Analysis, largest_first
from ..views import (
    backing_warnings,
    changes_summary,
    cited_by_theme,
    corpus_summary,
    counted,
    document_name,
    document_origin,
    flow_balance,
    known_outlets,
    percent,
    shorten,
    source_coverage,
    source_roles,
    theme_backing,
    unread_languages_note,
)
from ._charts import chart_documents, export_chart, reproducibility_line, source_line

__all__ = ["ALL_SECTIONS", "APPENDIX_DOCUMENTS", "BRIEFING_FORMATS", "CITED_PER_THEME", "SECTION_TITLES", "build_briefing", "check_sections"]

ALL_SECTIONS = ("themes", "aid", "coverage", "cited", "appendix")
# Documents the appendix lists, in corpus order, before saying how many more there are: every
# document of a 100,000-paragraph build made a PDF of 2,800 pages that took 15 minutes to write.
APPENDIX_DOCUMENTS = 500
# Cited sources listed under each theme, most paragraphs first, before saying how many more: a
# theme of a 100,000-paragraph build cites 4,000 sources, and listing all made 400 pages.
CITED_PER_THEME = 40
SECTION_TITLES = {
    "themes": "Themes",
    "aid": "Aid imbalance",
    "coverage": "Source coverage",
    "cited": "Who is cited",
    "appendix": "Appendix: documents",
}
BRIEFING_FORMATS = ("pdf", "pptx")
# Pages every pack has: the summary after the title page, and how it was made at the end.
SUMMARY_TITLE = "Summary"
METHOD_TITLE = "Appendix: how this was made"
_METHOD_TEXT = (
    "Paragraphs were grouped into themes by the meaning of their text (sentence vectors); figures and "
    "cited sources were read from the text by rules. The settings below rebuild the same analysis."
)
# Chart images: drawn 800 px wide (so their 14 px text prints at about 9 pt across the 17.4 cm
# text width of an A4 page) at 2.5 times that: 2,000 px, about 290 dpi.
_IMAGE_WIDTH = 800
_IMAGE_SCALE = 2.5
# Unicode fonts from Debian's fonts-dejavu-core, and fonts-wqy-microhei for Chinese and Korean
# names (DejaVu has no CJK glyphs). Without DejaVu the PDF falls back to a core font.
_FONT_DIR = Path("/usr/share/fonts/truetype")
_FONTS = {
    "": _FONT_DIR / "dejavu" / "DejaVuSans.ttf",
    "B": _FONT_DIR / "dejavu" / "DejaVuSans-Bold.ttf",
    "I": _FONT_DIR / "dejavu" / "DejaVuSans-Oblique.ttf",
}
_CJK_FONT = _FONT_DIR / "wqy" / "wqy-microhei.ttc"
_FIGURES_PER_SLIDE = 4
_DOCUMENTS_PER_SLIDE = 10
_CITED_PER_SLIDE = 10


def check_sections(sections: Sequence[str]) -> tuple[str, ...]:
    """The sections in pack order; ValueError naming the first unknown one."""
    chosen = [str(s).strip().lower() for s in sections if str(s).strip()]
    for name in chosen:
        if name not in ALL_SECTIONS:
            raise ValueError(f"unknown section {name!r}: choose from {', '.join(ALL_SECTIONS)}")
    return tuple(s for s in ALL_SECTIONS if s in chosen)


# --- what the pack says --------------------------------------------------------------------------


@dataclass
class _Theme:
    label: str
    size: int
    share: float
    keywords: str
    seeded: bool
    paragraph: str = ""
    origin: str = ""  # outlet, date, title of the representative paragraph


@dataclass
class _Flow:
    heading: str  # "North Korea → Russia: ≈ 9.8 bn USD (approximately)"
    sentence: str
    source: str  # who the text attributes it to, and the document it is in


@dataclass
class _Cited:
    source: str
    kind: str
    paragraphs: int
    affiliation_only: bool  # named only as a cited person's affiliation

    @property
    def detail(self) -> str:
        """ "think tank, 1 paragraph, named only as a cited person's affiliation"."""
        count = f"{self.paragraphs} paragraph{'s' if self.paragraphs != 1 else ''}"
        affiliation = ", named only as a cited person's affiliation" if self.affiliation_only else ""
        return f"{self.kind or 'kind unknown'}, {count}{affiliation}"


@dataclass
class _CitedTheme:
    label: str
    sources: list[_Cited] = field(default_factory=list)
    more: int = 0  # cited sources past those listed

    @property
    def more_line(self) -> str:
        return f"and {self.more:,} more cited sources, each in fewer paragraphs" if self.more else ""


@dataclass
class _Briefing:
    title: str
    subtitle: str
    prepared: str
    note: str
    reproducibility: str
    footer: str
    sections: tuple[str, ...]
    themes: list[_Theme] = field(default_factory=list)
    themes_chart: bytes = b""
    aid_chart: bytes = b""
    balances: list[str] = field(default_factory=list)
    flows: list[_Flow] = field(default_factory=list)
    figures_edited: bool = False
    coverage_chart: bytes = b""
    coverage_by: str = "outlet"
    cited: list[_CitedTheme] = field(default_factory=list)
    documents: list[tuple[str, str, str, str]] = field(default_factory=list)  # outlet, date, title, url
    # The summary page: what the corpus holds, its main themes with their shares, the aid
    # balance in words, and what to keep in mind reading it.
    corpus_line: str = ""
    main_themes: list[str] = field(default_factory=list)
    balance_lines: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)


# Longest texts a pack prints (characters): a title page and its table cells hold a line or a
# few, whatever a link, an upload or a scraped page hands in (a 3,000-character URL made a
# table row taller than a page and a PowerPoint title longer than its 255-character limit).
_TITLE_CHARS = 200
_NOTE_CHARS = 2_000
_CELL_CHARS = 300
_QUOTE_CHARS = 900  # a representative paragraph quoted: cut at a sentence's end beyond that
_PPTX_PROPERTY_CHARS = 255
# Characters no font draws and no file format stores: lone surrogates (a command line's bytes
# that are not UTF-8) and control characters.
_UNPRINTABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value, limit: int | None = _CELL_CHARS, lines: bool = False) -> str:
    """Text from outside made printable: unprintable characters replaced, spacing collapsed
    (line breaks kept when `lines`), and at most `limit` characters, cut with an ellipsis."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = _UNPRINTABLE.sub("\ufffd", str(value))
    if lines:
        text = "\n".join(" ".join(line.split()) for line in text.strip().splitlines())
    else:
        text = " ".join(text.split())
    return text if limit is None else shorten(text, limit)


def _origin(documents: pd.DataFrame, doc: str, title: str = "") -> str:
    """ "Taipei Times, 2024-06-16, Title" of a document (or of its article, given `title`), as
    far as known; the document's id when nothing is."""
    return document_origin(documents, doc, title)


def _summary(analysis: Analysis) -> str:
    s = corpus_summary(analysis)
    text = f"{counted(s['documents'], 'document')}, {counted(s['articles'], 'article')}, {counted(s['paragraphs'], 'paragraph')}"
    if not s["outlets"]:  # not "from 0 outlets (59 documents naming none)"
        text += ", no outlet named"
    else:
        text += f" from {counted(s['outlets'], 'outlet')}"
        if s["no_outlet"]:
            text += f" ({counted(s['no_outlet'], 'document')} naming none)"
    if s["first_date"]:
        text += f", dated {s['first_date']} to {s['last_date']}"
    return text


_MAIN_THEMES = 5


def _edited(extracted: pd.DataFrame, figures: pd.DataFrame) -> bool:
    """Whether the analyst changed the figures: their values differ, not merely the table's
    types or index (the dashboard hands in the figures after applying no corrections)."""

    def values(table: pd.DataFrame) -> pd.DataFrame:
        return table.reindex(columns=FIGURE_COLUMNS).reset_index(drop=True).astype(object).fillna("").astype(str)

    return not values(extracted).equals(values(figures))


def _summarise(pack: _Briefing, analysis: Analysis, figures: pd.DataFrame) -> None:
    """The summary page: corpus, main themes with their shares, the aid balance as sentences,
    and the caveats a reader should know before trusting a number."""
    pack.corpus_line = pack.subtitle + "."  # the title page's line, counted once
    themes = largest_first(analysis.themes)
    themes = themes[themes["theme_id"] != OTHER_ID]
    pack.main_themes = [
        f"{_text(row.theme, 80)}: {percent(row.share)} of paragraphs" for row in themes.head(_MAIN_THEMES).itertuples()
    ]
    if len(themes) > _MAIN_THEMES:
        pack.main_themes.append(f"and {counted(len(themes) - _MAIN_THEMES, 'smaller theme')}")
    if analysis.other_share:
        pack.main_themes.append(f"{percent(analysis.other_share)} of paragraphs fit no theme (“{OTHER_NAME}”)")
    # A build that updated an earlier one says what its themes did since (numbers and dates).
    if since := changes_summary(analysis.theme_changes):
        pack.main_themes.append(since)
    balance = flow_balance(figures)
    pack.balance_lines = [_text(b) for b in dict.fromkeys(balance["balance"]) if b] or [
        "No flow of money or arms between two states is stated in the corpus."
    ]
    if _edited(analysis.figures, figures):
        pack.balance_lines.append("The figures include the analyst's corrections to those read from the text.")
    corpus_warnings, theme_warnings = backing_warnings(theme_backing(analysis))
    pack.caveats += corpus_warnings
    for theme, warnings in theme_warnings:
        # "Rests on a single outlet; Cites no source" -> "rests on a single outlet; cites no source"
        said = "; ".join(part[:1].lower() + part[1:] for part in warnings)
        pack.caveats.append(f"{_text(theme, 80)}: {said}.")
    if unread := unread_languages_note(analysis.paragraphs):  # the aid page's words
        pack.caveats.append(unread)
    pack.caveats.append("Figures and sources are read from the text by rules: check a figure in its sentence before citing it.")


def _gather(
    analysis: Analysis,
    figures: pd.DataFrame,
    sections: tuple[str, ...],
    note: str,
    title: str,
    coverage_by: str,
    prepared: date,
) -> _Briefing:
    provenance = analysis.provenance
    corpus_hash = provenance.corpus_hash
    built = provenance.built_at[:10]
    pack = _Briefing(
        title=_text(title, _TITLE_CHARS),
        subtitle=_summary(analysis),
        prepared=prepared.isoformat(),
        note=_text(note, _NOTE_CHARS, lines=True),
        reproducibility=reproducibility_line(provenance),
        footer=f"{_text(title, 80)} · corpus {corpus_hash[:8]} · built {built}",
        sections=sections,
        coverage_by=coverage_by,
    )
    documents = analysis.documents
    everything = source_line(documents, corpus_hash)

    def image(figure, source: str) -> bytes:
        # No settings line under each chart: the pack states them once, in its last appendix.
        return export_chart(figure, "png", source=source, width=_IMAGE_WIDTH, scale=_IMAGE_SCALE)

    _summarise(pack, analysis, figures)

    if "themes" in sections:
        themes = largest_first(analysis.themes)
        paragraphs = analysis.paragraphs
        for row in themes.itertuples():
            entry = _Theme(
                label=str(row.theme),
                size=int(row.size),
                share=float(row.share),
                keywords=_text(row.keywords),
                seeded=bool(row.seeded) and str(row.seeded) != "False",
            )
            representative = list(row.representative) if isinstance(row.representative, list | tuple) else []
            if representative and 0 <= int(representative[0]) < len(paragraphs):
                paragraph = paragraphs.iloc[int(representative[0])]
                entry.paragraph = _text(paragraph["text"], _QUOTE_CHARS)
                entry.origin = _origin(documents, paragraph["doc"], paragraph.get("title", ""))
            pack.themes.append(entry)
        pack.themes_chart = image(charts.theme_sizes_chart(analysis.themes), everything)

    if "aid" in sections:
        balance = flow_balance(figures)
        docs = chart_documents(balance)
        pack.aid_chart = image(charts.aid_balance_chart(balance), source_line(documents, corpus_hash, docs))
        pack.balances = [b for b in dict.fromkeys(balance["balance"]) if b]
        pack.figures_edited = _edited(analysis.figures, figures)
        titles = dict(zip(analysis.paragraphs["pid"], analysis.paragraphs["title"], strict=True))
        roles = source_roles(analysis)
        for row in balance.itertuples():
            pid = _text(row.pid)
            origin = _origin(documents, pid.split("|")[0], titles.get(pid, "")) if pid else ""
            role = roles.get(str(row.source), "")
            said_by = (_text(row.source) + (f" ({_text(role)})" if role else "")) or "not stated"
            pack.flows.append(
                _Flow(
                    heading=f"{row.giver} → {row.receiver}: {row.label} ({row.bound}"
                    + (f"; {_text(row.status)})" if _text(row.status) else ")"),
                    sentence=_text(row.sentence, None),
                    source=f"Attributed to {said_by}" + (f"; in {origin}" if origin else ""),
                )
            )

    if "coverage" in sections:

        coverage = source_coverage(analysis, by=coverage_by)
        heading = "Themes by outlet" if coverage_by == "outlet" else "Themes by cited source"
        noun = "outlets" if coverage_by == "outlet" else "cited sources"
        pack.coverage_chart = image(charts.source_coverage_chart(coverage, title=heading, noun=noun), everything)

    if "cited" in sections:
        by_theme = cited_by_theme(analysis)
        themes = largest_first(analysis.themes)
        for theme in themes.itertuples():
            rows = by_theme[by_theme["theme_id"] == int(theme.theme_id)]
            listed = rows.head(CITED_PER_THEME)  # most paragraphs first
            pack.cited.append(
                _CitedTheme(
                    label=_text(theme.theme),
                    sources=[
                        _Cited(_text(r.source), _text(r.kind), int(r.paragraphs), bool(r.affiliation_only))
                        for r in listed.itertuples()
                    ],
                    more=len(rows) - len(listed),
                )
            )

    if "appendix" in sections:
        first_titles = (
            analysis.articles[analysis.articles["title"].fillna("").astype(str) != ""]
            .groupby("doc")["title"]
            .first()
        )
        listed = documents.head(APPENDIX_DOCUMENTS)
        for row, known in zip(listed.itertuples(), known_outlets(listed), strict=True):
            doc = str(row.doc)
            outlet = _text(known)
            doc_title = _text(document_name(_text(getattr(row, "title", "")) or first_titles.get(doc, ""), doc))
            pack.documents.append((outlet or "—", _text(row.date) or "—", doc_title, _text(row.url)))
        if len(documents) > len(listed):
            more = f"and {len(documents) - len(listed):,} more documents: the build's documents.csv lists every one"
            pack.documents.append(("…", "", more, ""))
    return pack


def build_briefing(
    analysis: Analysis,
    *,
    figures: pd.DataFrame | None = None,
    sections: Sequence[str] = ALL_SECTIONS,
    note: str = "",
    fmt: str = "pdf",
    title: str = "Briefing",
    coverage_by: str = "outlet",
    prepared: date | None = None,
) -> bytes:
    """The briefing pack of an analysis as PDF (`fmt="pdf"`) or PowerPoint (`"pptx"`) bytes.

    `figures` are the figures the aid chart is drawn from (the dashboard passes the analyst's
    edited table; default: the build's), `sections` any of ALL_SECTIONS (the title page is
    always there), `note` the analyst's own words on the title page, `coverage_by` "outlet" or
    "cited", `prepared` the date on the title page (default: today). Raises ValueError for an
    unknown section or format, ExportError when the charts cannot be drawn.
    """
    if fmt not in BRIEFING_FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose from {', '.join(BRIEFING_FORMATS)}")
    if coverage_by not in ("outlet", "cited"):
        raise ValueError(f"coverage_by must be 'outlet' or 'cited', not {coverage_by!r}")
    chosen = check_sections(sections)
    pack = _gather(
        analysis,
        analysis.figures if figures is None else figures,
        chosen,
        note,
        title.strip() or "Briefing",
        coverage_by,
        prepared or date.today(),
    )
    return _pdf(pack) if fmt == "pdf" else _pptx(pack)


# --- PDF -------------------------------------------------------------------------------------------

# Core PDF fonts are Latin-1 only: typographic characters get their nearest Latin-1 look-alike.
_LATIN1 = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "→": "->"})
_BODY = 10
_MARGIN = 18  # mm


def _pdf(pack: _Briefing) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(self.family_name, "", 7)
            self.set_text_color(110)
            self.cell(0, 4, clean(f"{pack.footer} · page {self.page_no()} of {{nb}}"), align="C")

    pdf = Pdf(format="A4", unit="mm")
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(True, margin=_MARGIN)
    pdf.alias_nb_pages()
    if all(path.is_file() for path in _FONTS.values()):
        for style, path in _FONTS.items():
            pdf.add_font("DejaVu", style, str(path))
        if _CJK_FONT.is_file() and _has_cjk(pack):  # a 5 MB font: read only when needed
            pdf.add_font("WenQuanYi", "", str(_CJK_FONT))
            pdf.set_fallback_fonts(["WenQuanYi"], exact_match=False)
        pdf.family_name = "DejaVu"

        def clean(text: str) -> str:
            return str(text)
    else:
        pdf.family_name = "Helvetica"

        def clean(text: str) -> str:
            return str(text).translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    pdf.set_title(clean(pack.title))
    pdf.set_subject(clean(pack.subtitle))
    pdf.set_keywords(clean(pack.reproducibility))
    pdf.set_creator("geonews briefing")
    width = pdf.epw

    def font(size: float = _BODY, style: str = "", grey: int = 30) -> None:
        pdf.set_font(pdf.family_name, style, size)
        pdf.set_text_color(grey)

    def para(text: str, size: float = _BODY, style: str = "", grey: int = 30, gap: float = 1.5) -> None:
        font(size, style, grey)
        pdf.multi_cell(width, size * 0.5, clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    def keep_room(mm: float) -> None:
        """A new page unless `mm` are left: a heading never ends a page."""
        if pdf.get_y() > pdf.h - _MARGIN - mm:
            pdf.add_page()

    def heading(text: str) -> None:
        pdf.add_page()
        para(text, 18, "B", 20, gap=4)

    def picture(png: bytes) -> None:
        ratio = _png_ratio(png)
        w = width
        room = pdf.h - _MARGIN - 14
        if w * ratio > room - _MARGIN:  # taller than a page: shrink to fit
            w = (room - _MARGIN) / ratio
        if pdf.get_y() + w * ratio > room:
            pdf.add_page()
        pdf.image(io.BytesIO(png), x=pdf.l_margin, w=w)
        pdf.ln(3)

    # Title page.
    pdf.add_page()
    pdf.ln(30)
    para(pack.title, 28, "B", 10, gap=6)
    para(pack.subtitle, 13, "", 40, gap=2)
    para(f"Prepared {pack.prepared}", 11, "", 70, gap=10)
    if pack.note:
        para("Note", 12, "B", 20, gap=1)
        para(pack.note, 11, "", 20, gap=8)
    if pack.sections:
        para("Contents", 12, "B", 20, gap=1)
        for name in (SUMMARY_TITLE, *(SECTION_TITLES[section] for section in pack.sections), METHOD_TITLE):
            para(f"•  {name}", 11, "", 30, gap=0.5)
        pdf.ln(8)

    heading(SUMMARY_TITLE)
    para("The corpus", 12, "B", 20, gap=1)
    para(pack.corpus_line, 10, "", 30, gap=4)
    para("Main themes", 12, "B", 20, gap=1)
    for line in pack.main_themes:
        para(f"•  {line}", 10, "", 30, gap=0.5)
    pdf.ln(3)
    para("Aid balance", 12, "B", 20, gap=1)
    for line in pack.balance_lines:
        para(line, 10, "", 30, gap=0.5)
    pdf.ln(3)
    para("Read with care", 12, "B", 20, gap=1)
    for line in pack.caveats:
        para(f"•  {line}", 10, "", 30, gap=0.5)

    if "themes" in pack.sections:
        heading(SECTION_TITLES["themes"])
        picture(pack.themes_chart)
        for theme in pack.themes:
            kind = (
                "seeded" if theme.seeded else ("fits no theme" if theme.label == OTHER_NAME else "discovered")
            )
            keep_room(45)
            para(f"{theme.label}", 12, "B", 20, gap=0.5)
            para(f"{theme.size} paragraphs ({percent(theme.share)}), {kind}", 9, "", 80, gap=0.5)
            if theme.keywords:
                para(f"Keywords: {theme.keywords}", 9, "", 60, gap=1)
            if theme.paragraph:
                pdf.set_x(pdf.l_margin + 5)
                font(_BODY, "I", 40)
                pdf.multi_cell(
                    width - 5,
                    5,
                    clean(f"“{theme.paragraph}”"),
                    align="L",
                    new_x=XPos.LMARGIN,
                    new_y=YPos.NEXT,
                )
                para(f"— {theme.origin}", 8, "", 90, gap=4)
            else:
                pdf.ln(3)

    if "aid" in pack.sections:
        heading(SECTION_TITLES["aid"])
        picture(pack.aid_chart)
        for statement in pack.balances:
            para(statement, 11, "B", 20, gap=2)
        if pack.figures_edited:
            para("The figures include the analyst's edits to the extracted table.", 9, "I", 60)
        if not pack.flows:
            para("No flows of money or arms between states were found in the corpus.", 11)
        else:
            para("The figures behind the chart", 12, "B", 20, gap=2)
        for flow in pack.flows:
            keep_room(30)
            para(flow.heading, 10, "B", 20, gap=0.5)
            para(f"“{flow.sentence}”", 10, "I", 40, gap=0.5)
            para(flow.source, 8, "", 90, gap=3)

    if "coverage" in pack.sections:
        heading(SECTION_TITLES["coverage"])
        by = "the outlets that published them" if pack.coverage_by == "outlet" else "the sources they cite"
        para(f"Paragraphs of each theme by {by}.", 10, "", 40, gap=3)
        picture(pack.coverage_chart)

    if "cited" in pack.sections:
        heading(SECTION_TITLES["cited"])
        para(
            "The sources each theme's paragraphs attribute their claims to: the kind of source and how many "
            "of the theme's paragraphs cite it.",
            10, "", 40, gap=3,
        )  # fmt: skip
        for theme in pack.cited:
            keep_room(25)
            para(theme.label, 12, "B", 20, gap=1)
            if not theme.sources:
                para("No source cited.", 9, "I", 60, gap=3)
                continue
            font(9)
            with pdf.table(
                col_widths=(80, 94), text_align="LEFT", line_height=4.5, padding=1, headings_style=_heading_style()
            ) as table:
                table.row([clean(h) for h in ("Cited source", "Kind and paragraphs")])
                for cited in theme.sources:
                    table.row([clean(cited.source), clean(cited.detail)])
                if theme.more:
                    table.row([clean(theme.more_line), ""])
            pdf.ln(4)

    if "appendix" in pack.sections:
        heading(SECTION_TITLES["appendix"])
        font(8)
        with pdf.table(
            col_widths=(30, 20, 60, 64),
            text_align="LEFT",
            line_height=4,
            padding=1,
            headings_style=_heading_style(),
        ) as table:
            table.row([clean(h) for h in ("Outlet", "Date", "Title", "URL")])
            for outlet, day, doc_title, url in pack.documents:
                row = table.row()
                for value in (outlet, day, doc_title):
                    row.cell(clean(value))
                # Long urls have no spaces: break them after slashes so the column can wrap.
                row.cell(clean(url.replace("/", "/\u200b")) if pdf.family_name == "DejaVu" else clean(url))

    heading(METHOD_TITLE)
    para(_METHOD_TEXT, 10, "", 30, gap=3)
    para(pack.reproducibility, 9, "", 50)
    return bytes(pdf.output())


def _png_ratio(png: bytes) -> float:
    """Height over width of a PNG, from its header."""
    width, height = struct.unpack(">II", png[16:24])
    return height / width


def _has_cjk(pack: _Briefing) -> bool:
    """Whether any text of the pack is in a script DejaVu lacks (Chinese, Japanese, Korean)."""
    texts = [pack.title, pack.subtitle, pack.note, *pack.balances, pack.corpus_line, *pack.main_themes]
    texts += [*pack.balance_lines, *pack.caveats]
    texts += [f"{t.label} {t.keywords} {t.paragraph} {t.origin}" for t in pack.themes]
    texts += [f"{f.heading} {f.sentence} {f.source}" for f in pack.flows]
    texts += [" ".join(row) for row in pack.documents]
    texts += [f"{t.label} " + " ".join(c.source for c in t.sources) for t in pack.cited]
    return any(ord(ch) >= 0x2E80 for text in texts for ch in text)


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(235, 235, 235))


# --- PowerPoint ----------------------------------------------------------------------------------


def _pptx(pack: _Briefing) -> bytes:
    from pptx import Presentation
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Emu, Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    deck.core_properties.title = pack.title[:_PPTX_PROPERTY_CHARS]
    deck.core_properties.subject = pack.subtitle[:_PPTX_PROPERTY_CHARS]
    deck.core_properties.keywords = pack.footer[:255]  # core properties hold 255 characters
    width, height = deck.slide_width, deck.slide_height
    margin = Inches(0.5)

    def text_box(slide, top, box_height, lines, size=14, bold=False, grey=0x20):
        from pptx.dml.color import RGBColor

        box = slide.shapes.add_textbox(margin, top, width - 2 * margin, box_height)
        frame = box.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # shrink long text rather than overflow
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            text, line_size, line_bold = line if isinstance(line, tuple) else (line, size, bold)
            paragraph.text = text
            for run in paragraph.runs:
                run.font.size = Pt(line_size)
                run.font.bold = line_bold
                run.font.color.rgb = RGBColor(grey, grey, grey)
        return box

    def table(page, header: tuple[str, ...], rows: list, widths: tuple[float, ...]) -> None:
        """A table of text under a slide's title: `header` in 11 pt, `rows` in 10 pt, columns
        `widths` inches wide."""
        shape = page.shapes.add_table(
            len(rows) + 1, len(header), margin, Inches(1.4), width - 2 * margin, Inches(0.4) * (len(rows) + 1)
        )
        for column, inches in enumerate(widths):
            shape.table.columns[column].width = Inches(inches)
        for r, values in enumerate([header, *rows]):
            for c, value in enumerate(values):
                cell = shape.table.cell(r, c)
                cell.text = value
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(11 if r == 0 else 10)

    def slide(title: str):
        page = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
        page.shapes.title.text = title
        page.shapes.title.top, page.shapes.title.height = Inches(0.3), Inches(1.0)
        page.shapes.title.left, page.shapes.title.width = margin, width - 2 * margin
        text_box(page, height - Inches(0.45), Inches(0.3), [pack.footer], size=9, grey=0x70)
        return page

    def picture(page, png: bytes, top=Inches(1.35), bottom=Inches(0.6)) -> None:
        ratio = _png_ratio(png)
        room_w, room_h = width - 2 * margin, height - top - bottom
        w = min(room_w, int(room_h / ratio))
        page.shapes.add_picture(io.BytesIO(png), int((width - w) / 2), top, width=Emu(int(w)))

    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = pack.title
    cover.placeholders[1].text = f"{pack.subtitle}\nPrepared {pack.prepared}"
    # The layouts are drawn for 4:3 slides: place the cover's two boxes on the 16:9 slide.
    for shape, top, box_height in ((cover.shapes.title, 1.2, 1.5), (cover.placeholders[1], 2.8, 1.4)):
        shape.left, shape.width = margin, width - 2 * margin
        shape.top, shape.height = Inches(top), Inches(box_height)
    lines = [("Note", 14, True), (pack.note, 14, False)] if pack.note else []
    text_box(cover, height - Inches(2.1), Inches(1.0), lines or [""])

    summary = [("The corpus", 16, True), (pack.corpus_line, 13, False), ("", 6, False)]
    summary += [("Main themes", 16, True), *[(f"•  {line}", 13, False) for line in pack.main_themes], ("", 6, False)]
    summary += [("Aid balance", 16, True), *[(line, 13, False) for line in pack.balance_lines], ("", 6, False)]
    summary += [("Read with care", 16, True), *[(f"•  {line}", 12, False) for line in pack.caveats]]
    text_box(slide(SUMMARY_TITLE), Inches(1.35), height - Inches(2.0), summary)

    if "themes" in pack.sections:
        picture(slide(SECTION_TITLES["themes"]), pack.themes_chart)
        for theme in pack.themes:
            page = slide(theme.label)
            kind = (
                "seeded" if theme.seeded else ("fits no theme" if theme.label == OTHER_NAME else "discovered")
            )
            lines = [(f"{theme.size} paragraphs ({percent(theme.share)}), {kind}", 16, True)]
            if theme.keywords:
                lines.append((f"Keywords: {theme.keywords}", 14, False))
            if theme.paragraph:
                lines += [
                    ("", 10, False),
                    (f"“{theme.paragraph}”", 14, False),
                    (f"— {theme.origin}", 11, False),
                ]
            text_box(page, Inches(1.4), height - Inches(2.2), lines)

    if "aid" in pack.sections:
        page = slide(SECTION_TITLES["aid"])
        picture(page, pack.aid_chart, bottom=Inches(0.6) + Inches(0.4) * len(pack.balances))
        if pack.balances:
            top = height - Inches(0.55) - Inches(0.4) * len(pack.balances)
            text_box(page, top, Inches(0.4) * len(pack.balances), pack.balances, size=14, bold=True)
        flows = pack.flows or [_Flow("No flows of money or arms between states were found.", "", "")]
        for start in range(0, len(flows), _FIGURES_PER_SLIDE):
            page = slide(f"{SECTION_TITLES['aid']}: the figures")
            lines = []
            for flow in flows[start : start + _FIGURES_PER_SLIDE]:
                lines.append((flow.heading, 14, True))
                if flow.sentence:
                    lines += [(f"“{flow.sentence}”", 12, False), (flow.source, 10, False), ("", 6, False)]
            text_box(page, Inches(1.4), height - Inches(2.1), lines)

    if "coverage" in pack.sections:
        picture(slide(SECTION_TITLES["coverage"]), pack.coverage_chart)

    if "cited" in pack.sections:
        rows = []
        for theme in pack.cited:
            rows += [(theme.label, cited.source, cited.detail) for cited in theme.sources]
            rows += [(theme.label, theme.more_line, "")] if theme.more else []
            rows += [] if theme.sources else [(theme.label, "no source cited", "")]
        for start in range(0, max(len(rows), 1), _CITED_PER_SLIDE):
            chunk = rows[start : start + _CITED_PER_SLIDE]
            # A theme named once, on its first row of the slide.
            shown = [("" if r and row[0] == chunk[r - 1][0] else row[0], *row[1:]) for r, row in enumerate(chunk)]
            table(slide(SECTION_TITLES["cited"]), ("Theme", "Cited source", "Kind and paragraphs"), shown, (3.6, 4.0, 4.7))

    if "appendix" in pack.sections:
        documents = pack.documents or [("—", "—", "no documents", "")]
        for start in range(0, len(documents), _DOCUMENTS_PER_SLIDE):
            rows = documents[start : start + _DOCUMENTS_PER_SLIDE]
            table(slide(SECTION_TITLES["appendix"]), ("Outlet", "Date", "Title", "URL"), rows, (2.2, 1.3, 4.3, 4.5))
    text_box(
        slide(METHOD_TITLE), Inches(1.4), Inches(3), [(_METHOD_TEXT, 14, False), ("", 8, False), (pack.reproducibility, 12, False)]
    )
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
