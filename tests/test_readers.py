"""The readers of analysis.ingest: every supported format, every skip reason, batch rules."""

from __future__ import annotations

import hashlib
import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.ingest import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    ReadLimits,
    SkippedFile,
    SourceDocument,
    read_bytes,
    read_manifest,
    read_many,
    read_paths,
)

ROOT = Path(__file__).resolve().parent.parent


def only_doc(name: str, data: bytes, **kwargs) -> SourceDocument:
    docs, skipped = read_bytes(name, data, **kwargs)
    assert skipped == [], skipped
    assert len(docs) == 1
    return docs[0]


def only_reason(name: str, data: bytes, **kwargs) -> str:
    docs, skipped = read_bytes(name, data, **kwargs)
    assert docs == []
    assert len(skipped) == 1
    assert skipped[0].path == name
    return skipped[0].reason


def make_pdf(pages: list[str], title: str = "", author: str = "") -> bytes:
    """A minimal PDF with a real text layer (Helvetica, one text line per input line)."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    kids = []
    for i, page_text in enumerate(pages):
        page_no, content_no = 4 + 2 * i, 5 + 2 * i
        kids.append(f"{page_no} 0 R")
        objects[page_no] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_no} 0 R >>"
        ).encode()
        ops = ["BT", "/F1 12 Tf", "72 720 Td", "16 TL"]
        ops += [f"({escape(line)}) Tj T*" for line in page_text.split("\n")]
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects[content_no] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode()
    info_no = 4 + 2 * len(pages)
    objects[info_no] = f"<< /Title ({escape(title)}) /Author ({escape(author)}) >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {size} /Root 1 0 R /Info {info_no} 0 R >>\nstartxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return bytes(out)


def make_docx(paragraphs: list[str], title: str = "") -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_parquet(columns: dict[str, list]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.table(columns), buffer)
    return buffer.getvalue()


ARTICLE_PARAGRAPHS = [
    "Foreign ministers from twelve countries met in Geneva on Tuesday to discuss a framework "
    "for humanitarian corridors, the first such meeting since the ceasefire collapsed in May.",
    "Officials said the talks focused on the delivery of food and medical supplies to the "
    "besieged northern provinces, where aid agencies have warned of famine conditions.",
    "The United Nations envoy told reporters that progress had been slow but that every "
    "delegation had agreed to return for a second round of negotiations next month.",
    "Several governments pledged additional funding for the World Food Programme, bringing "
    "the total committed this year to more than two billion dollars, according to diplomats.",
]

HTML_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Ministers agree to resume Geneva talks | The Daily Ledger</title>
  <meta property="og:title" content="Ministers agree to resume Geneva talks">
  <meta property="og:site_name" content="The Daily Ledger">
  <meta name="author" content="Maria Jensen">
  <meta property="article:published_time" content="2024-03-05T08:30:00Z">
</head>
<body>
  <header>
    <nav class="main-nav">
      <ul>
        <li><a href="/world">World news section</a></li>
        <li><a href="/markets">Markets and economy section</a></li>
        <li><a href="/subscribe">Subscribe today for unlimited access</a></li>
      </ul>
    </nav>
  </header>
  <main>
    <article>
      <h1>Ministers agree to resume Geneva talks</h1>
      <p class="byline">By Maria Jensen, <time datetime="2024-03-05">5 March 2024</time></p>
      {"".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)}
    </article>
    <aside class="related"><h2>Related</h2><ul>
      <li><a href="/a">Markets rally after central bank decision</a></li>
    </ul></aside>
  </main>
  <footer><p>Copyright 2024 The Daily Ledger. All rights reserved. Privacy policy.</p></footer>
</body>
</html>
"""


# --------------------------------------------------------------------------- constants


def test_public_constants():
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".csv"} <= set(SUPPORTED_SUFFIXES)
    assert {".jsonl", ".ndjson", ".parquet"} <= SUPPORTED_SUFFIXES
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024


# --------------------------------------------------------------------------- skip reasons


def test_empty_and_whitespace_only_files():
    assert only_reason("a.txt", b"") == "empty file"
    assert only_reason("b.txt", b"  \n\t\r\n ") == "empty file"
    assert only_reason("c.csv", b"") == "empty file"
    assert only_reason("d.txt", "   \n".encode("utf-16")) == "empty file"


def test_binary_content_is_detected_before_decoding():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    assert only_reason("image.txt", png) == "binary file"
    assert only_reason("controls.md", bytes(range(1, 9)) * 200) == "binary file"
    assert only_reason("table.csv", b"text\n\x00\x01\x02") == "binary file"


def test_cp1252_and_latin1_text_decode_with_the_right_characters():
    text = (
        "Le président a déclaré à Genève que la «crise» était terminée. "
        "Les négociations reprendront l’été prochain, a-t-il ajouté."
    )
    doc = only_doc("fr.txt", text.encode("cp1252"))
    assert doc.text == text
    assert doc.encoding == "cp1252"
    short = only_doc("de.txt", "Grüße aus Köln, Café à Genève".encode("latin-1"))
    assert short.text == "Grüße aus Köln, Café à Genève"


def test_undecodable_garbage():
    rng = random.Random(0)
    garbage = bytes(rng.randrange(0x80, 0x100) for _ in range(3000))
    reason = only_reason("garbage.txt", garbage)
    assert reason.startswith("undecodable text (")


def test_too_large_is_reported_without_parsing():
    reason = only_reason("big.txt", b"x" * 2000, limits=ReadLimits(file_bytes=1024))
    assert reason == "too large (2 KB > 1 KB limit)"
    reason = only_reason("big.pdf", b"not even a pdf" * 100, limits=ReadLimits(file_bytes=10))
    assert reason.startswith("too large (")


def test_unsupported_type():
    assert only_reason("notes.xyz", b"hello") == "unsupported type (.xyz)"
    assert only_reason("README", b"hello") == "unsupported type (no file extension)"


def test_csv_without_text_column_names_its_columns():
    reason = only_reason("t.csv", b"a,b,c\n1,2,3\n")
    assert reason.startswith("no text column (columns: a, b, c; expected one of: text, body")
    # A header of one enormous name still gives a short line (the fuzz suite found this one).
    reason = only_reason("w.csv", b"9" * 500 + b",b\n1,2\n")
    assert reason.startswith("no text column (columns: 99999999999999999999999…, b;") and len(reason) < 200


def test_malformed_csv():
    assert only_reason("u.csv", b'text,"b\nx,2\n').startswith("malformed CSV: unclosed quote")
    assert only_reason("v.csv", b"text,b\nx,2,3\n") == (
        "malformed CSV: a row of 3 cells under a header of 2: x | 2 | 3"
    )


def test_a_bad_csv_row_skips_the_row_not_the_file():
    docs, skipped = read_bytes("t.csv", b"text,b\nfirst row,1\nx,2,3\nthird row,4\n")
    assert [d.text for d in docs] == ["first row", "third row"]
    assert [s.reason for s in skipped] == ["malformed CSV record skipped: a row of 3 cells under a header of 2: x | 2 | 3"]


def test_a_bad_jsonl_line_skips_the_record_not_the_file():
    data = b'{"text": "one"}\n{"text": "two"}\n{bad json\n{"text": "four"}\n[1, 2]\n'
    docs, skipped = read_bytes("t.jsonl", data)
    assert [d.text for d in docs] == ["one", "two", "four"]
    reasons = [s.reason for s in skipped]
    assert reasons[0].startswith("malformed JSONL record skipped: line 3: ")
    assert reasons[1] == "malformed JSONL record skipped: line 5: not a JSON object (got array)"
    # Nothing readable at all: the file is refused with its first problem.
    assert only_reason("u.jsonl", b"[1, 2]\n") == "malformed JSONL: line 1: not a JSON object (got array)"


def test_lone_surrogates_and_nuls_in_a_record_do_not_stop_the_file():
    data = b'{"text": "half \\ud800 a pair", "outlet": "Nul\\u0000 News"}\n{"text": "plain"}\n'
    docs, skipped = read_bytes("t.jsonl", data)
    assert [d.text for d in docs] == ["half \ufffd a pair", "plain"] and not skipped
    assert docs[0].meta["outlet"] == "Nul News"
    docs[0].text.encode("utf-8")  # writable everywhere


def test_malformed_parquet():
    assert only_reason("t.parquet", b"PAR1 this is not parquet").startswith("malformed parquet: ")


def test_corrupt_pdf():
    assert only_reason("a.pdf", b"%PDF-1.4\ngarbage").startswith("unreadable PDF: ")
    assert only_reason("b.pdf", b"hello there").startswith("unreadable PDF: ")


def test_pdf_without_text_layer_and_encrypted_pdf():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert only_reason("scan.pdf", buffer.getvalue()) == "PDF has no text layer"

    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(["Secret text"])))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert only_reason("locked.pdf", buffer.getvalue()) == ("unreadable PDF: encrypted (password required)")


def test_pdf_encrypted_only_against_editing_still_reads():
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(["Open for reading"])))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "Open for reading" in only_doc("restricted.pdf", buffer.getvalue()).text


def test_corrupt_docx():
    assert only_reason("a.docx", b"PK\x03\x04 not really a zip").startswith("unreadable DOCX: ")
    assert only_reason("b.docx", b"plain text pretending").startswith("unreadable DOCX: ")
    assert only_reason("c.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100) == (
        "unreadable DOCX: password-protected or old Word (.doc) format"
    )


def test_html_without_article_text():
    reason = only_reason("blank.html", b"<html><head><title>x</title></head><body></body></html>")
    assert reason == "no article text found in HTML"


def test_reasons_are_single_lines():
    samples = {
        "a.csv": b"text,b\nx,2,3\n",
        "b.jsonl": b"{oops\n",
        "c.parquet": b"PAR1xx",
        "d.pdf": b"%PDF-1.7\n1 0 obj\n<<\n",
        "e.docx": b"PK\x03\x04\x14\x00",
    }
    for name, data in samples.items():
        reason = only_reason(name, data)
        assert "\n" not in reason and len(reason) <= 200, reason


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_random_bytes_never_raise(suffix):
    rng = random.Random(suffix)
    for size in (1, 10, 500, 5000):
        data = bytes(rng.randrange(256) for _ in range(size))
        docs, skipped = read_bytes(f"fuzz{suffix}", data)
        assert all(isinstance(s, SkippedFile) and s.reason for s in skipped)
        assert all(isinstance(d, SourceDocument) for d in docs)
        assert docs or skipped


# --------------------------------------------------------------------------- text formats


def test_txt_text_is_unchanged_except_the_bom():
    raw = "Line one\r\n\r\n  indented ünïcode line\ttab\n"
    doc = only_doc("news/a.txt", b"\xef\xbb\xbf" + raw.encode("utf-8"))
    assert doc.text == raw
    assert doc.doc_id == "news/a.txt"
    assert doc.path == "news/a.txt"
    assert doc.format == "txt"
    assert doc.encoding == "utf-8"
    assert doc.meta == {}
    assert doc.content_hash == hashlib.sha256(b"\xef\xbb\xbf" + raw.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(codec):
    raw = "Москва и Киев: переговоры в Женеве.\n第二段。\n"
    bom = {"utf-16": b"", "utf-16-be": b"\xfe\xff", "utf-32": b""}[codec]
    doc = only_doc("ru.txt", bom + raw.encode(codec))
    assert doc.text == raw
    assert doc.encoding.startswith("utf-")


def test_markdown_kept_verbatim_with_front_matter_metadata():
    raw = "---\ntitle: Border talks\nsource: Kyiv Post\ndate: 5 March 2024\n---\n# Heading\n\n*Body*"
    for name in ("a.md", "b.markdown"):
        doc = only_doc(name, raw.encode())
        assert doc.text == raw
        assert doc.format == "md"
    assert doc.meta == {"title": "Border talks", "outlet": "Kyiv Post", "date": "2024-03-05"}
    plain = only_doc("c.md", b"# Title\n\n---\n\ntext")
    assert plain.meta == {}


# --------------------------------------------------------------------------- html, pdf, docx


def test_html_article_text_without_navigation_and_with_metadata():
    doc = only_doc("page.html", HTML_PAGE.encode("utf-8"))
    assert doc.format == "html"
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in doc.text
    # paragraphs stay on separate lines
    first, second = ARTICLE_PARAGRAPHS[0], ARTICLE_PARAGRAPHS[1]
    between = doc.text[doc.text.index(first) + len(first) : doc.text.index(second)]
    assert "\n" in between and between.strip() == ""
    for boilerplate in ("World news section", "Subscribe today", "All rights reserved"):
        assert boilerplate not in doc.text
    assert doc.meta["title"] == "Ministers agree to resume Geneva talks"
    assert doc.meta["date"] == "2024-03-05"
    assert doc.meta["outlet"] == "The Daily Ledger"
    assert doc.meta["author"] == "Maria Jensen"
    assert doc.content_hash == hashlib.sha256(HTML_PAGE.encode("utf-8")).hexdigest()


def test_html_in_a_declared_legacy_charset():
    page = HTML_PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace(
        "Geneva on Tuesday", "Genève on Tuesday"
    )
    doc = only_doc("page.htm", page.encode("cp1252"))
    assert "Genève on Tuesday" in doc.text
    assert doc.encoding == "cp1252"


def test_short_html_falls_back_to_the_baseline_extractor():
    page = (
        b"<html><head><title>Short note</title></head>"
        b"<body><p>Talks resumed.</p><p>More soon.</p></body></html>"
    )
    doc = only_doc("short.html", page)
    assert doc.text == "Talks resumed.\nMore soon."
    assert doc.meta.get("title") == "Short note"


def test_pdf_text_layer_pages_separated_by_a_blank_line():
    data = make_pdf(["Page one talks about Geneva.", "Page two covers aid."], title="Brief")
    doc = only_doc("report.pdf", data)
    assert doc.format == "pdf"
    assert "Page one talks about Geneva." in doc.text
    assert "Page two covers aid." in doc.text
    assert "\n\n" in doc.text[doc.text.index("Geneva") : doc.text.index("Page two")]
    assert doc.meta.get("title") == "Brief"
    assert doc.content_hash == hashlib.sha256(data).hexdigest()


def test_docx_paragraphs_joined_by_newlines():
    data = make_docx(["First paragraph.", "Second paragraph."], title="Memo")
    doc = only_doc("memo.docx", data)
    assert doc.text == "First paragraph.\nSecond paragraph."
    assert doc.format == "docx"
    assert doc.meta.get("title") == "Memo"
    assert only_reason("blank.docx", make_docx([])) == "DOCX has no text"


# --------------------------------------------------------------------------- tables


def test_csv_rows_become_documents_with_metadata_and_ids():
    data = (
        b"id,Title,Body,Source,published_at,link,byline\n"
        b"a1,First,Text one.,Reuters,2024-03-05T10:00:00Z,http://x/1,Ann\n"
        b'a2,Second,"Text two,\nwith a newline.",AP,5 March 2024,,\n'
    )
    docs, skipped = read_bytes("news.csv", data)
    assert skipped == []
    assert [d.doc_id for d in docs] == ["news.csv#a1", "news.csv#a2"]
    assert docs[0].text == "Text one."
    assert docs[1].text == "Text two,\nwith a newline."
    assert docs[0].meta == {
        "title": "First",
        "outlet": "Reuters",
        "date": "2024-03-05",
        "url": "http://x/1",
        "author": "Ann",
    }
    assert docs[1].meta == {"title": "Second", "outlet": "AP", "date": "2024-03-05"}
    assert all(d.path == "news.csv" and d.format == "csv" for d in docs)
    assert docs[0].content_hash == hashlib.sha256(b"Text one.").hexdigest()


def test_csv_row_numbers_empty_rows_and_semicolons():
    data = "headline;text;publisher\nOne;First text;X\nTwo;   ;Y\nThree;Third text;Z\n"
    docs, skipped = read_bytes("t.csv", data.encode("utf-8"))
    assert [d.doc_id for d in docs] == ["t.csv#row-1", "t.csv#row-3"]
    assert [d.meta["title"] for d in docs] == ["One", "Three"]
    assert skipped == [SkippedFile("t.csv", "empty text (row 2)")]


def test_text_column_preference_order_and_unparseable_dates():
    data = b"description,CONTENT,date\nsummary,the article,03/05/2024\n"
    doc = only_doc("t.csv", data)
    assert doc.text == "the article"
    assert doc.meta == {"date": "03/05/2024"}  # ambiguous day/month order: kept as given


def test_csv_header_only_is_an_empty_table():
    assert only_reason("t.csv", b"text,title\n") == "empty table (no data rows)"


def test_jsonl_rows_with_synonyms():
    lines = [
        {"id": 7, "headline": "H1", "article_text": "Body one", "publisher": "P", "pubdate": "2024-01-02"},
        {"id": 8, "headline": "H2", "article_text": "", "publisher": "P"},
        {"id": 9, "headline": "H3", "article_text": "Body three", "link": "http://y", "byline": "B"},
    ]
    data = ("\n".join(json.dumps(line) for line in lines) + "\n\n").encode()
    docs, skipped = read_bytes("feed.ndjson", data)
    assert [d.doc_id for d in docs] == ["feed.ndjson#7", "feed.ndjson#9"]
    assert docs[0].meta == {"title": "H1", "outlet": "P", "date": "2024-01-02"}
    assert docs[1].meta == {"title": "H3", "url": "http://y", "author": "B"}
    assert docs[0].format == "jsonl"
    assert skipped == [SkippedFile("feed.ndjson", "empty text (row 2)")]


def test_parquet_rows():
    from datetime import date

    data = make_parquet(
        {
            "Text": ["Alpha text", None, "Gamma text"],
            "title": ["A", "B", "C"],
            "outlet": ["O1", "O2", ""],
            "date": [date(2024, 3, 5), date(2024, 3, 6), None],
        }
    )
    docs, skipped = read_bytes("t.parquet", data)
    assert [d.doc_id for d in docs] == ["t.parquet#row-1", "t.parquet#row-3"]
    assert docs[0].meta == {"title": "A", "outlet": "O1", "date": "2024-03-05"}
    assert docs[1].meta == {"title": "C"}
    assert docs[1].format == "parquet"
    assert skipped == [SkippedFile("t.parquet", "empty text (row 2)")]


def test_parquet_without_text_column():
    reason = only_reason("t.parquet", make_parquet({"x": [1], "y": ["a"]}))
    assert reason.startswith("no text column (columns: x, y;")


# --------------------------------------------------------------------------- batches


def test_read_many_duplicates_and_same_names():
    docs, skipped = read_many([("a.txt", b"one"), ("a.txt", b"two"), ("b.txt", b"one"), ("a.txt", b"three")])
    assert [(d.doc_id, d.path, d.text) for d in docs] == [
        ("a.txt", "a.txt", "one"),
        ("a.txt~2", "a.txt", "two"),
        ("a.txt~3", "a.txt", "three"),
    ]
    assert skipped == [SkippedFile("b.txt", "duplicate of a.txt")]


def test_read_many_suffixes_table_row_ids_too():
    docs, _ = read_many([("t.csv", b"text\nx\n"), ("t.csv", b"text\ny\n")])
    assert [d.doc_id for d in docs] == ["t.csv#row-1", "t.csv~2#row-1"]


def test_read_many_reports_bad_files_and_keeps_going():
    docs, skipped = read_many([("a.txt", b""), ("b.bin", b"x"), ("c.txt", b"fine")])
    assert [d.doc_id for d in docs] == ["c.txt"]
    assert [(s.path, s.reason) for s in skipped] == [
        ("a.txt", "empty file"),
        ("b.bin", "unsupported type (.bin)"),
    ]


def test_read_paths_folder_sorted_hidden_manifest_duplicates(tmp_path):
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "b.txt").write_text("bravo")
    (root / "a.md").write_text("# alpha")
    (root / "sub" / "c.txt").write_text("charlie")
    (root / "copy.txt").write_text("bravo")
    (root / ".hidden.txt").write_text("hidden")
    (root / ".git" / "x.txt").write_text("git internals")
    (root / "manifest.csv").write_text("file,outlet\nb.txt,X\n")
    (root / "image.xyz").write_bytes(b"\x00\x01")
    missing = tmp_path / "nope"

    docs, skipped = read_paths([root, missing])
    assert [d.doc_id for d in docs] == ["a.md", "b.txt", "sub/c.txt"]
    assert [d.path for d in docs] == ["a.md", "b.txt", "sub/c.txt"]
    assert [(s.path, s.reason) for s in skipped] == [
        ("copy.txt", "duplicate of b.txt"),
        ("image.xyz", "unsupported type (.xyz)"),
        (str(missing), "not found"),
    ]


def test_read_paths_single_files_limits_and_name_clashes(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "a.txt").write_text("first")
    (two / "a.txt").write_text("second")
    (tmp_path / "big.txt").write_text("x" * 5000)
    (tmp_path / "direct.txt").write_text("direct file")

    docs, skipped = read_paths([one, two, str(tmp_path / "big.txt"), tmp_path / "direct.txt"], limits=ReadLimits(file_bytes=4096))
    assert [(d.doc_id, d.path) for d in docs] == [
        ("a.txt", "a.txt"),
        ("a.txt~2", "a.txt"),
        ("direct.txt", "direct.txt"),
    ]
    assert [(s.path, s.reason) for s in skipped] == [("big.txt", "too large (4.9 KB > 4 KB limit)")]
    single, _ = read_paths(tmp_path / "direct.txt")
    assert [d.doc_id for d in single] == ["direct.txt"]


def test_read_paths_custom_manifest_name(tmp_path):
    (tmp_path / "meta.csv").write_text("file,title\na.txt,T\n")
    (tmp_path / "a.txt").write_text("alpha")
    docs, skipped = read_paths([tmp_path], manifest_name="meta.csv")
    assert [d.doc_id for d in docs] == ["a.txt"] and skipped == []


# --------------------------------------------------------------------------- manifest


def test_read_manifest_from_path_and_bytes(tmp_path):
    content = (
        "Filename,Outlet,date,Headline,url,author,notes\n"
        "a.txt,Reuters,2024-03-05,Title A,,,x\n"
        "./sub/b.txt,,5 March 2024,,http://b,,\n"
        ",ignored,,,,,\n"
    )
    path = tmp_path / "manifest.csv"
    path.write_text(content)
    expected = {
        "a.txt": {"outlet": "Reuters", "date": "2024-03-05", "title": "Title A"},
        "sub/b.txt": {"date": "2024-03-05", "url": "http://b"},
    }
    assert read_manifest(path) == expected
    assert read_manifest(str(path)) == expected
    assert read_manifest(content.encode("utf-8-sig")) == expected


def test_read_manifest_errors(tmp_path):
    with pytest.raises(ValueError, match=r"no file column \(columns: name, outlet;"):
        read_manifest(b"name,outlet\na.txt,X\n")
    with pytest.raises(ValueError, match="malformed manifest: row 2 has 3 fields"):
        read_manifest(b"file,outlet\na.txt,X,extra\n")
    with pytest.raises(ValueError, match="empty"):
        read_manifest(b"")
    with pytest.raises(ValueError, match="unreadable"):
        read_manifest(tmp_path / "missing.csv")
    with pytest.raises(ValueError) as info:
        read_manifest(b"\x00\x01binary")
    assert "\n" not in str(info.value)


# --------------------------------------------------------------------------- import cost


def test_module_imports_no_heavy_library():
    # The readers' libraries are imported when a file of their format is read. (pandas and
    # pyarrow come with the tables every stage shares.)
    code = (
        "import sys\n"
        "import analysis.tables\n"
        "import analysis.ingest\n"
        "heavy = ['trafilatura', 'pypdf', 'docx', 'charset_normalizer', 'torch', 'sklearn', 'plotly']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""


def test_a_parquet_table_that_grows_past_the_limit_is_refused_before_its_rows_are_made():
    """552 bytes of Parquet (one 1 MB string shared by 300 rows) grew to 315 M characters."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.table({"text": pa.array(["x" * 1_000_000] * 300).dictionary_encode()}), buffer, compression="zstd")
    assert len(buffer.getvalue()) < 2_000
    reason = only_reason("bomb.parquet", buffer.getvalue())
    assert reason == "parquet table's text grows to 300,000,000 characters, above the 100 MB a file may unpack to"
    # An analyst's own limit: a smaller one refuses a smaller table.
    small = io.BytesIO()
    pq.write_table(pa.table({"text": ["y" * 20_000] * 3}), small, compression="zstd")
    assert len(small.getvalue()) < 20_000
    assert only_reason("t.parquet", small.getvalue(), limits=ReadLimits(unpacked_bytes=30_000)).startswith("parquet table's text grows")


def test_a_word_package_that_unpacks_past_the_limit_is_refused_before_it_is_unpacked():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"\0" * 12_000_000)
    assert len(buffer.getvalue()) < 50_000
    limits = ReadLimits(unpacked_bytes=10 * 2**20)
    assert only_reason("bomb.docx", buffer.getvalue(), limits=limits) == (
        "DOCX unpacks to 11.4 MB, above the 10 MB a file may unpack to"
    )


def test_tables_with_too_many_columns_are_refused_from_their_header():
    header = ",".join(f"c{i}" for i in range(5_000)) + ",text\n"
    assert only_reason("wide.csv", (header + "1," * 5_000 + "hello\n").encode()) == (
        "CSV has 5,001 columns; at most 1,000 are read"
    )
    wide = json.dumps({f"c{i}": 1 for i in range(5_000)} | {"text": "too wide"})
    docs, skipped = read_bytes("t.jsonl", (wide + "\n" + '{"text": "kept"}\n').encode())
    assert [d.text for d in docs] == ["kept"]
    assert [s.reason for s in skipped] == ["malformed JSONL record skipped: line 1: 5,001 fields; at most 1,000 are read"]
    # An analyst's own limit, read from the settings.
    from analysis import Settings

    narrow = ReadLimits.from_settings(Settings(max_table_columns=2))
    assert only_reason("n.csv", b"a,b,text\n1,2,three\n", limits=narrow) == "CSV has 3 columns; at most 2 are read"


def test_a_document_past_the_character_limit_is_cut_at_a_paragraph_break_and_the_cut_listed():
    paragraph = "The ministry said the grain convoy reached the border crossing on Tuesday."
    text = "\n\n".join([paragraph] * 40)  # 40 paragraphs of 75 characters
    limits = ReadLimits(document_chars=1_000)
    docs, skipped = read_bytes("long.txt", text.encode(), limits=limits)
    assert len(docs) == 1 and len(docs[0].text) <= 1_000
    assert docs[0].text.endswith(paragraph)  # whole paragraphs only
    assert [s.reason for s in skipped] == [f"cut: {len(text):,} characters, the first {len(docs[0].text):,} kept (at most 1,000 per document)"]
    # In a table the cut record is named, and the other records are whole.
    table = json.dumps({"text": text}) + "\n" + json.dumps({"text": paragraph}) + "\n"
    docs, skipped = read_bytes("t.jsonl", table.encode(), limits=limits)
    assert [len(d.text) <= 1_000 for d in docs] == [True, True] and docs[1].text == paragraph
    assert len(skipped) == 1 and skipped[0].reason.startswith("row 1 cut: 3,")
