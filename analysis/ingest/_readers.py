"""Turn source files (text, markdown, HTML, PDF, DOCX, CSV/JSONL/parquet tables) into documents.

Every problem with a file's content becomes a ``SkippedFile`` with a one-line reason an analyst
can act on, so one bad upload never aborts a whole batch.  Heavy parsers (trafilatura, pypdf,
python-docx, pandas, pyarrow, charset_normalizer) are imported inside the functions that need
them so that importing the package stays fast.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import logging
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "ReadLimits",
    "SkippedFile",
    "SourceDocument",
    "read_bytes",
    "read_manifest",
    "read_many",
    "read_paths",
]


@dataclass(frozen=True)
class SourceDocument:
    """One document ready for analysis; later stages index character offsets into ``text``."""

    doc_id: str
    path: str
    text: str
    format: str
    meta: dict[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"
    content_hash: str = ""


@dataclass(frozen=True)
class SkippedFile:
    """A file (or table row) that was not loaded, with a one-line reason."""

    path: str
    reason: str


_FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_FORMATS)
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """What reading one file may take, each checked before the step it bounds (the defaults are
    the build settings' defaults; `from_settings` takes an analyst's own)."""

    # Bytes of a file, from its size before a byte is read.
    file_bytes: int = DEFAULT_MAX_BYTES
    # What a file unpacks to (a Word package's parts, a Parquet table's text), from the sizes it
    # declares before anything is unpacked: a 342 KB file held a 300 MB part of zeros.
    unpacked_bytes: int = 2 * DEFAULT_MAX_BYTES
    # Characters of one document (a file, or a table's record): the rest is cut at a paragraph
    # break and the cut listed, so one enormous document cannot hold up a build.
    document_chars: int = 5_000_000
    # Columns of a table: a corpus table has a text column and a few of metadata; a file of
    # 100,000 columns took 12 s to refuse after parsing, and now is refused from its header.
    table_columns: int = 1_000

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadLimits:
        return cls(
            file_bytes=settings.max_bytes,
            unpacked_bytes=int(settings.max_unpacked_mb * 1024 * 1024),
            document_chars=settings.max_document_chars,
            table_columns=settings.max_table_columns,
        )


# Table column names that hold the article text, in order of preference.
TEXT_COLUMNS: tuple[str, ...] = (
    "text",
    "body",
    "content",
    "article",
    "article_text",
    "paragraph",
    "full_text",
    "story",
    "description",
)
# Canonical metadata key -> accepted column (or front-matter) names, in order of preference.
META_COLUMNS: dict[str, tuple[str, ...]] = {
    "outlet": ("outlet", "source", "publisher", "site", "sitename", "site_name"),
    "date": ("date", "published", "published_at", "pubdate", "publish_date"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "author": ("author", "byline", "authors"),
}
MANIFEST_FILE_COLUMNS: tuple[str, ...] = ("file", "path", "filename")

_SNIFF_BYTES = 8192
# Bytes that almost never occur in text: C0 controls except \t \n \v \f \r, and DEL.
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])
_NON_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_MAX_CONTROL_RATIO = 0.05
# Share of odd code points (controls, unassigned, private use, U+FFFD) a decode may contain.
_MAX_ODD_CHAR_RATIO = 0.02
_ODD_CATEGORIES = frozenset({"Cc", "Cn", "Co", "Cs"})
# favor_precision occasionally prunes almost a whole article; when its output is this short we
# compare it with trafilatura's balanced mode (tuned on the article-extraction benchmark).
_SHORT_EXTRACT_CHARS = 1000
_MIN_PRECISION_SHARE = 0.25
_MAX_REASON_CHARS = 160
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_ISO_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_DATE_FORMATS = (
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d.%m.%Y",  # day-first with dots is the only dotted order in use, so unambiguous
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%A, %B %d, %Y",
    "%a, %d %b %Y",
)


class _Skip(Exception):
    """Raised inside the readers; its message becomes a SkippedFile reason."""


# --------------------------------------------------------------------------- public API


def read_bytes(
    name: str, data: bytes, *, limits: ReadLimits = ReadLimits()
) -> tuple[list[SourceDocument], list[SkippedFile]]:
    """Read one file given as bytes; every content problem becomes a SkippedFile."""
    data = bytes(data)
    reason = _precheck(name, len(data), limits.file_bytes) or _empty_reason(data)
    if reason:
        return [], [SkippedFile(name, reason)]
    return _parse(name, data, doc_base=name, limits=limits)


def read_many(
    files: Iterable[tuple[str, bytes]], *, limits: ReadLimits = ReadLimits()
) -> tuple[list[SourceDocument], list[SkippedFile]]:
    """Read several uploads in order; identical bytes are reported as duplicates."""
    batch = _Batch(limits)
    for name, data in files:
        batch.add(name, bytes(data))
    return batch.docs, batch.skipped


def read_paths(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    limits: ReadLimits = ReadLimits(),
    manifest_name: str = "manifest.csv",
) -> tuple[list[SourceDocument], list[SkippedFile]]:
    """Read folders (recursively, sorted, hidden entries and the manifest ignored) and files."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    batch = _Batch(limits)
    for given in paths:
        root = Path(given)
        if root.is_dir():
            files, problems = _walk(root, manifest_name)
            batch.skipped.extend(problems)
            for rel, full in files:
                batch.add_file(full, rel)
        elif root.is_file():
            if root.name.lower() != manifest_name.lower():  # metadata, not a document
                batch.add_file(root, root.name)
        elif root.exists():
            batch.skipped.append(SkippedFile(str(given), "unsupported type (not a regular file)"))
        else:
            batch.skipped.append(SkippedFile(str(given), "not found"))
    return batch.docs, batch.skipped


def read_manifest(source: str | os.PathLike[str] | bytes) -> dict[str, dict[str, str]]:
    """Parse a manifest CSV into {file name: {outlet/date/title/url/author: value}}.

    Raises ValueError with a one-line message when the manifest cannot be used.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise ValueError(f"manifest unreadable: {exc.strerror or exc}") from exc
    if _empty_reason(data):
        raise ValueError("manifest is empty")
    try:
        text, _ = _decode(data)
    except _Skip as exc:
        raise ValueError(f"manifest unreadable: {exc}") from exc
    delimiter = _sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ValueError(f"malformed manifest: {_short(exc)}") from exc
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ValueError("manifest is empty")
    header = [cell.strip() for cell in rows[0]]
    lookup = _column_lookup(header)
    file_col = _pick_column(lookup, MANIFEST_FILE_COLUMNS)
    if file_col is None:
        raise ValueError(
            f"manifest has no file column (columns: {_list_columns(header)}; "
            f"expected one of: {', '.join(MANIFEST_FILE_COLUMNS)})"
        )
    index = {col: i for i, col in reversed(list(enumerate(header)))}
    result: dict[str, dict[str, str]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > len(header):
            raise ValueError(
                f"malformed manifest: row {number} has {len(row)} fields, header has {len(header)}"
            )
        record = {col: row[i] for col, i in index.items() if i < len(row)}
        name = _normalise_manifest_name(record.get(file_col, ""))
        if not name:
            continue
        meta = _meta_from_record(record, lookup)
        result.setdefault(name, {}).update(meta)
    return result


# --------------------------------------------------------------------------- batches


class _Batch:
    """Shared state of a multi-file read: duplicate detection and unique doc ids."""

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.docs: list[SourceDocument] = []
        self.skipped: list[SkippedFile] = []
        self._first_by_hash: dict[str, str] = {}
        self._used_ids: set[str] = set()

    def add_file(self, full: Path, display: str) -> None:
        """Read a file from disk, checking type and size before reading its bytes."""
        try:
            size = full.stat().st_size
        except OSError as exc:
            self.skipped.append(SkippedFile(display, f"unreadable file ({exc.strerror or exc})"))
            return
        reason = _precheck(display, size, self.limits.file_bytes)
        if reason:
            self.skipped.append(SkippedFile(display, reason))
            return
        try:
            data = full.read_bytes()
        except OSError as exc:
            self.skipped.append(SkippedFile(display, f"unreadable file ({exc.strerror or exc})"))
            return
        self.add(display, data)

    def add(self, name: str, data: bytes) -> None:
        """Read one file's bytes unless it is unusable or a duplicate of an earlier file."""
        reason = _precheck(name, len(data), self.limits.file_bytes) or _empty_reason(data)
        if reason:
            self.skipped.append(SkippedFile(name, reason))
            return
        digest = hashlib.sha256(data).hexdigest()
        first = self._first_by_hash.get(digest)
        if first is not None:
            self.skipped.append(SkippedFile(name, f"duplicate of {first}"))
            return
        self._first_by_hash[digest] = name
        docs, skipped = _parse(name, data, doc_base=self._unique(name), digest=digest, limits=self.limits)
        self.docs.extend(docs)
        self.skipped.extend(skipped)

    def _unique(self, base: str) -> str:
        """Suffix '~2', '~3', ... so that two different files never share a doc id."""
        candidate, n = base, 1
        while candidate in self._used_ids:
            n += 1
            candidate = f"{base}~{n}"
        self._used_ids.add(candidate)
        return candidate


def _walk(root: Path, manifest_name: str) -> tuple[list[tuple[str, Path]], list[SkippedFile]]:
    """List a folder's visible files as (relative posix path, full path), sorted."""
    found: list[tuple[str, Path]] = []
    problems: list[SkippedFile] = []

    def on_error(exc: OSError) -> None:
        where = str(exc.filename or root)
        if exc.filename and Path(exc.filename).is_relative_to(root):
            where = Path(exc.filename).relative_to(root).as_posix() or "."
        problems.append(SkippedFile(where, f"unreadable folder ({exc.strerror or exc})"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for filename in filenames:
            if filename.startswith(".") or filename.lower() == manifest_name.lower():
                continue
            full = Path(dirpath) / filename
            found.append((full.relative_to(root).as_posix(), full))
    found.sort(key=lambda item: item[0])
    return found, problems


# --------------------------------------------------------------------------- dispatch


def _suffix(name: str) -> str:
    """Lower-case extension of a file name, '' when there is none."""
    return os.path.splitext(name.replace("\\", "/").rsplit("/", 1)[-1])[1].lower()


def _precheck(name: str, size: int, max_bytes: int) -> str | None:
    """Reasons that need only the name and the size (so huge files are never read)."""
    suffix = _suffix(name)
    if suffix not in _FORMATS:
        return f"unsupported type ({suffix or 'no file extension'})"
    if size > max_bytes:
        got, limit = _human_size(size), _human_size(max_bytes)
        if got == limit:  # rounding would make the message look self-contradictory
            got, limit = f"{size:,} bytes", f"{max_bytes:,} bytes"
        return f"too large ({got} > {limit} limit)"
    return None


def _empty_reason(data: bytes) -> str | None:
    return "empty file" if not data or data.isspace() else None


def _parse(
    name: str, data: bytes, *, doc_base: str, digest: str | None = None, limits: ReadLimits = ReadLimits()
) -> tuple[list[SourceDocument], list[SkippedFile]]:
    """Parse bytes whose type and size are already known to be acceptable. What they unpack to
    (a Word package's parts, a Parquet table's text) is bounded too: a small file can hold a
    decompression bomb."""
    fmt = _FORMATS[_suffix(name)]
    digest = digest or hashlib.sha256(data).hexdigest()
    try:
        if fmt in ("csv", "jsonl", "parquet"):
            return _read_table(name, data, fmt, doc_base, limits)
        if fmt in ("txt", "md"):
            text, encoding = _decode(data)
            if not text.strip():
                raise _Skip("empty file")
            meta = _front_matter(text) if fmt == "md" else {}
        elif fmt == "html":
            text, encoding = _decode(data, declared=_declared_charset(data))
            if not text.strip():
                raise _Skip("empty file")
            text, meta = _extract_html(text)
        elif fmt == "pdf":
            (text, meta), encoding = _extract_pdf(data), "utf-8"
        else:
            (text, meta), encoding = _extract_docx(data, limits.unpacked_bytes), "utf-8"
    except _Skip as exc:
        return [], [SkippedFile(name, str(exc))]
    except Exception as exc:  # last resort: third-party parsers raise anything
        # on hostile input, and one bad file must never abort a batch of uploads.
        return [], [SkippedFile(name, f"unreadable {fmt.upper()}: {_short(exc)}")]
    text, cut = _within(text, limits.document_chars)
    doc = SourceDocument(doc_base, name, text, fmt, meta, encoding, digest)
    return [doc], [SkippedFile(name, cut)] if cut else []


def _within(text: str, limit: int) -> tuple[str, str | None]:
    """`text` cut to at most `limit` characters at its last paragraph (else line, else word)
    break before the limit, and a one-line note of the cut; the text itself when it fits."""
    if len(text) <= limit:
        return text, None
    head = text[:limit]
    for separator in ("\n\n", "\n", " "):
        end = head.rfind(separator)
        if end > limit // 2:
            head = head[:end]
            break
    return head, (
        f"cut: {len(text):,} characters, the first {len(head):,} kept (at most {limit:,} per document)"
    )


# --------------------------------------------------------------------------- text decoding


def _decode(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode text bytes, returning (text, encoding name); raise _Skip when not text."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        bom_codec: str | None = "utf-32"  # checked first: its LE BOM starts like UTF-16's
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        bom_codec = "utf-16"
    else:
        bom_codec = None
    if bom_codec:
        try:
            text = data.decode(bom_codec)  # the codec consumes the BOM
        except UnicodeDecodeError as exc:
            raise _Skip(f"undecodable text (invalid {bom_codec.upper()}: {exc.reason})") from exc
        if not _looks_like_text(text):
            raise _Skip("binary file")
        return text, bom_codec

    sample = data[:_SNIFF_BYTES]
    # Without a UTF-16/32 BOM a NUL byte means binary content, and so do many control bytes.
    if b"\x00" in sample or (
        len(sample.translate(None, delete=_NON_CONTROL_BYTES)) > _MAX_CONTROL_RATIO * len(sample)
    ):
        raise _Skip("binary file")
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            text = body.decode(declared)
        except (UnicodeDecodeError, LookupError):
            text = ""
        if text and _looks_like_text(text):
            return text, declared
    guessed = _guess_encoding(body)
    if guessed is None or not _looks_like_text(guessed[0]):
        raise _Skip("undecodable text (not UTF-8 and no other encoding fits)")
    return guessed


def _guess_encoding(data: bytes) -> tuple[str, str] | None:
    """charset_normalizer's best guess, preferring cp1252 when it fits equally well."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    # charset_normalizer breaks ties between single-byte code pages arbitrarily (French text
    # in cp1252 comes back as cp1250, turning "à" into "ŕ").  cp1252 is by far the most common
    # legacy encoding of news text, so it wins whenever it scores as well as the best guess.
    if best.encoding != "cp1252":
        tied = "cp1252" in best.could_be_from_charset or any(
            m.encoding == "cp1252" and m.chaos <= best.chaos + 0.01 and m.coherence >= best.coherence - 0.01
            for m in matches
        )
        if tied:
            try:
                return data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                pass  # one of the five bytes cp1252 leaves undefined: keep the guess
    return str(best), best.encoding


def _looks_like_text(text: str) -> bool:
    """True when few characters are controls, unassigned, private-use or replacement chars."""
    sample = text[:20000]
    if not sample:
        return True
    odd = sum(
        1
        for ch in sample
        if ch == "\ufffd" or (ch not in "\t\n\r\x0b\x0c" and unicodedata.category(ch) in _ODD_CATEGORIES)
    )
    return odd <= _MAX_ODD_CHAR_RATIO * len(sample)


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag, as a Python codec name."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # Browsers (WHATWG) read pages labelled latin-1 or ascii as windows-1252; so do we.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


# --------------------------------------------------------------------------- html, pdf, docx


def _extract_html(html: str) -> tuple[str, dict[str, str]]:
    """Main article text (paragraphs on separate lines) and metadata via trafilatura."""
    import trafilatura

    # Options chosen on the article-extraction benchmark (benchmarks/html_extraction.py):
    # excluding comments and favoring precision lift F1 from 0.953 (defaults) to 0.964, and
    # the balanced-mode check for short output below to 0.969.
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
    )
    text = (document.text or "") if document is not None else ""
    if len(text) < _SHORT_EXTRACT_CHARS:
        balanced = trafilatura.bare_extraction(html, include_comments=False, include_tables=True)
        other = (balanced.text or "") if balanced is not None else ""
        if len(text) < _MIN_PRECISION_SHARE * len(other):
            text = other
    if not text.strip():
        # Last resort for pages trafilatura rejects (too short, unusual markup).
        _, text, _ = trafilatura.baseline(html)
    text = unicodedata.normalize("NFC", text or "").strip()
    if not text:
        raise _Skip("no article text found in HTML")
    if document is None:  # the precision pass found nothing; metadata may still be there
        document = trafilatura.extract_metadata(html)
    meta: dict[str, str] = {}
    if document is not None:
        raw = {
            "outlet": document.sitename,
            "date": document.date,
            "title": document.title,
            "url": document.url,
            "author": document.author,
        }
        meta = _clean_meta(raw)
    return text, meta


def _extract_pdf(data: bytes) -> tuple[str, dict[str, str]]:
    """Text layer of a PDF, pages separated by a blank line."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    # pypdf logs recoverable damage as warnings; without a handler Python's last-resort
    # handler would print them to stderr.  A NullHandler keeps them for apps that log.
    pypdf_logger = logging.getLogger("pypdf")
    if not any(isinstance(h, logging.NullHandler) for h in pypdf_logger.handlers):
        pypdf_logger.addHandler(logging.NullHandler())
    if not data.lstrip()[:5] == b"%PDF-":
        raise _Skip("unreadable PDF: not a PDF file (no %PDF header)")
    pages: list[str] = []
    failed = 0
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many PDFs only restrict editing, not reading
            except DependencyError as exc:
                raise _Skip("unreadable PDF: encrypted (needs the 'cryptography' package)") from exc
            if not opened:
                raise _Skip("unreadable PDF: encrypted (password required)")
        for page in reader.pages:
            try:
                pages.append((page.extract_text() or "").strip())
            except Exception:  # a damaged page should not lose the others
                failed += 1
        meta = _pdf_meta(reader)
    except _Skip:
        raise
    except Exception as exc:  # pypdf raises many unrelated types on damage
        raise _Skip(f"unreadable PDF: {_short(exc)}") from exc
    text = "\n\n".join(page for page in pages if page)
    if not text:
        if failed:
            raise _Skip(f"unreadable PDF: text extraction failed on {failed} page(s)")
        raise _Skip("PDF has no text layer")
    return text, meta


def _pdf_meta(reader: Any) -> dict[str, str]:
    """Title and author from the PDF's document information, when readable."""
    try:
        info = reader.metadata
        if info is None:
            return {}
        return _clean_meta({"title": info.title, "author": info.author})
    except Exception:  # metadata is optional; damaged info must not lose text
        return {}


def _extract_docx(data: bytes, max_unpacked: int) -> tuple[str, dict[str, str]]:
    """Paragraph text of a Word document, one paragraph per line."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE container: encrypted DOCX or legacy .doc
        raise _Skip("unreadable DOCX: password-protected or old Word (.doc) format")
    if not data.startswith(b"PK"):
        raise _Skip("unreadable DOCX: not a Word package (ZIP)")
    import zipfile

    import docx

    # The sizes the package declares, checked before anything is unpacked (zipfile reads no
    # more than a part declares).
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _Skip(f"unreadable DOCX: {_short(exc)}") from exc
    unpacked = sum(part.file_size for part in parts)
    if unpacked > max_unpacked:
        raise _Skip(f"DOCX unpacks to {_human_size(unpacked)}, above the {_human_size(max_unpacked)} a file may unpack to")

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = [paragraph.text for paragraph in document.paragraphs]
        props = document.core_properties
        meta = _clean_meta({"title": props.title, "author": props.author})
    except Exception as exc:  # zipfile, KeyError, lxml and docx errors alike
        raise _Skip(f"unreadable DOCX: {_short(exc)}") from exc
    text = "\n".join(paragraphs).strip()
    if not text:
        raise _Skip("DOCX has no text")
    return text, meta


# --------------------------------------------------------------------------- tables


def _read_table(
    name: str, data: bytes, fmt: str, doc_base: str, limits: ReadLimits
) -> tuple[list[SourceDocument], list[SkippedFile]]:
    """One document per row with a non-empty text cell; a record that cannot be read is listed
    and skipped, and the others are kept."""
    bad_lines: list[SkippedFile] = []
    if fmt == "parquet":
        columns, rows = _parquet_rows(data, limits)
        encoding = "utf-8"
    else:
        text, encoding = _decode(data)
        if not text.strip():
            raise _Skip("empty file")
        kind = "CSV" if fmt == "csv" else "JSONL"
        read_rows = _csv_rows if fmt == "csv" else _jsonl_rows
        columns, rows, problems = read_rows(text, limits.table_columns)
        if not rows and problems:
            raise _Skip(f"malformed {kind}: {problems[0]}")
        bad_lines = [SkippedFile(name, f"malformed {kind} record skipped: {problem}") for problem in problems]
    lookup = _column_lookup(columns)
    text_col = _pick_column(lookup, TEXT_COLUMNS)
    if text_col is None:
        raise _Skip(
            f"no text column (columns: {_list_columns(columns)}; expected one of: {', '.join(TEXT_COLUMNS)})"
        )
    if not rows:
        raise _Skip("empty table (no data rows)")
    id_col = _pick_column(lookup, ("id",))
    docs: list[SourceDocument] = []
    skipped: list[SkippedFile] = list(bad_lines)
    used: set[str] = set()
    for number, row in enumerate(rows, start=1):
        text = _cell(row.get(text_col))
        if not text.strip():
            skipped.append(SkippedFile(name, f"empty text (row {number})"))
            continue
        key = (_cell(row.get(id_col)).strip() if id_col else "") or f"row-{number}"
        unique, n = key, 1
        while unique in used:  # repeated ids in the table still give distinct doc ids
            n += 1
            unique = f"{key}~{n}"
        used.add(unique)
        meta = _meta_from_record(row, lookup)
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        text, cut = _within(text, limits.document_chars)
        if cut:
            skipped.append(SkippedFile(name, f"row {number} {cut}"))
        docs.append(SourceDocument(f"{doc_base}#{unique}", name, text, fmt, meta, encoding, digest))
    return docs, skipped


def _csv_rows(text: str, max_columns: int) -> tuple[list[str], list[dict[str, Any]], list[str]]:
    """Header and rows of a CSV (delimiter sniffed among , ; tab |), and a reason for each row
    that cannot be read (more cells than the header has): such a row is skipped, not the file."""
    import pandas as pd

    problems: list[str] = []
    delimiter = _sniff_delimiter(text)
    width = text.partition("\n")[0].count(delimiter) + 1
    if width > max_columns:  # from the header, before pandas parses a single row
        raise _Skip(f"CSV has {width:,} columns; at most {max_columns:,} are read")
    options = {"sep": delimiter, "header": None, "dtype": str, "keep_default_na": False,
               "skip_blank_lines": True}  # fmt: skip
    try:
        # header=None: the first line is read as data so pandas never silently turns a short
        # header into an index column, and rows longer than the header are errors.  With
        # dtype=str and the C engine pandas emits no warnings (which would reach stderr).
        try:
            frame = pd.read_csv(io.StringIO(text), engine="c", **options)
        except pd.errors.ParserError as exc:
            if "Expected" not in str(exc):
                raise
            # Rows of the wrong length: read again, row by row, keeping every good one (the
            # python engine tells which rows; the C engine only stops at the first).
            width = len(next(csv.reader(io.StringIO(text), delimiter=options["sep"]), []))

            def bad(cells: list[str]) -> None:
                problems.append(f"a row of {len(cells)} cells under a header of {width}: {_short_cells(cells)}")

            frame = pd.read_csv(io.StringIO(text), engine="python", on_bad_lines=bad, **options)
    except pd.errors.EmptyDataError as exc:
        raise _Skip("malformed CSV: no header row") from exc
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        message = _short(exc).replace("Error tokenizing data. C error: ", "")
        unclosed = re.match(r"EOF inside string starting at row (\d+)", message)
        if unclosed:  # pandas counts rows from 0; analysts count lines from 1
            message = f"unclosed quote starting at line {int(unclosed.group(1)) + 1}"
        raise _Skip(f"malformed CSV: {message}") from exc
    records = frame.to_numpy().tolist()
    header = [_cell(value).strip() or f"column_{i + 1}" for i, value in enumerate(records[0])]
    names = _dedupe_names(header)
    rows = [dict(zip(names, values, strict=False)) for values in records[1:]]
    return names, rows, problems


def _short_cells(cells: list[str]) -> str:
    text = " | ".join(" ".join(str(cell).split()) for cell in cells)  # one line, as every reason
    return text if len(text) <= 60 else text[:57] + "..."


def _jsonl_rows(text: str, max_columns: int) -> tuple[list[str], list[dict[str, Any]], list[str]]:
    """Rows of a JSON-lines file, and a reason for each line that is not a JSON object: a bad
    line skips that record, never the file."""
    columns: dict[str, None] = {}
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    # split on "\n" only: str.splitlines would also break on U+2028 inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: {exc.msg}")
            continue
        except (ValueError, RecursionError) as exc:
            problems.append(f"line {number}: {_short(exc)}")
            continue
        if not isinstance(record, dict):
            kind = type(record).__name__.replace("dict", "object").replace("list", "array")
            problems.append(f"line {number}: not a JSON object (got {kind})")
            continue
        if len(record) > max_columns:
            problems.append(f"line {number}: {len(record):,} fields; at most {max_columns:,} are read")
            continue
        record = {str(key): value for key, value in record.items()}
        columns.update(dict.fromkeys(record))
        rows.append(record)
    return list(columns), rows, problems


def _holds_text(kind) -> bool:
    """A Parquet column's Arrow type that holds strings, plain or dictionary-encoded."""
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _parquet_rows(data: bytes, limits: ReadLimits) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows of a parquet file, refused before its rows are made when it has too many
    columns or its text would grow past what a file may unpack to."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(io.BytesIO(data))
        if file.metadata.num_columns > limits.table_columns:
            raise _Skip(
                f"parquet table has {file.metadata.num_columns:,} columns; at most {limits.table_columns:,} are read"
            )
        # Strings kept dictionary-encoded while they are measured: one 1 MB value shared by 300
        # rows is 1 MB here and 300 MB once every row holds it (a 552-byte file did that).
        names = [field.name for field in file.schema_arrow if _holds_text(field.type)]
        table = pq.ParquetFile(io.BytesIO(data), read_dictionary=names).read()
        chars = 0
        for name in names:
            for chunk in table.column(name).chunks:
                lengths = pc.utf8_length(chunk.dictionary)
                chars += pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0
        if chars > limits.unpacked_bytes:
            raise _Skip(
                f"parquet table's text grows to {chars:,} characters, "
                f"above the {_human_size(limits.unpacked_bytes)} a file may unpack to"
            )
        columns = [str(name) for name in table.column_names]
        rows = [{str(key): value for key, value in row.items()} for row in table.to_pylist()]
    except (pa.ArrowException, OSError, ValueError, TypeError) as exc:
        message = re.sub(r"^Could not open Parquet input source '[^']*': ", "", _short(exc))
        raise _Skip(f"malformed parquet: {message}") from exc
    return columns, rows


def _sniff_delimiter(text: str) -> str:
    """The delimiter among , ; tab | that splits the header line into the most fields."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    best, best_count = ",", 1
    for candidate in (",", ";", "\t", "|"):
        try:
            count = len(next(csv.reader([first_line], delimiter=candidate), []))
        except csv.Error:
            continue
        if count > best_count:
            best, best_count = candidate, count
    return best


def _dedupe_names(names: Sequence[str]) -> list[str]:
    """Make repeated column names distinct ('a', 'a.1') the way pandas does."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        if name in seen:
            seen[name] += 1
            result.append(f"{name}.{seen[name]}")
        else:
            seen[name] = 0
            result.append(name)
    return result


def _column_lookup(columns: Iterable[str]) -> dict[str, str]:
    """Lower-cased, stripped column name -> the first column spelled that way."""
    lookup: dict[str, str] = {}
    for column in columns:
        lookup.setdefault(column.strip().lower(), column)
    return lookup


def _pick_column(lookup: dict[str, str], preferred: Iterable[str]) -> str | None:
    return next((lookup[name] for name in preferred if name in lookup), None)


def _list_columns(columns: Sequence[str], limit: int = 12, width: int = 24) -> str:
    """The first `limit` column names, each cut to `width` characters: a reason stays one short
    line whatever a header holds."""
    names = [" ".join(str(name).split()) for name in columns[:limit]]  # a quoted header may hold a line break
    names = [name if len(name) <= width else name[: width - 1] + "…" for name in names]
    shown = ", ".join(names) or "none"
    return shown if len(columns) <= limit else f"{shown}, … (+{len(columns) - limit} more)"


# Lone surrogates ("\\ud800" in JSON) cannot be written as UTF-8, and NULs end C strings: one
# such character in one record must not stop a corpus. They are replaced where text comes in.
_UNWRITABLE = re.compile("[\ud800-\udfff]|\x00")


def _writable(text: str) -> str:
    return _UNWRITABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def _cell(value: Any) -> str:
    """A table value as text; missing values become ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _writable(value)
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _meta_from_record(record: dict[str, Any], lookup: dict[str, str]) -> dict[str, str]:
    """Canonical metadata from a row: for each key the first non-empty synonym column."""
    raw: dict[str, str] = {}
    for key, synonyms in META_COLUMNS.items():
        for synonym in synonyms:
            column = lookup.get(synonym)
            value = _cell(record.get(column)).strip() if column is not None else ""
            if value:
                raw[key] = value
                break
    return _clean_meta(raw)


# --------------------------------------------------------------------------- metadata helpers


def _clean_meta(raw: dict[str, Any]) -> dict[str, str]:
    """Drop empty values, collapse whitespace, and normalise dates to ISO when possible."""
    meta: dict[str, str] = {}
    for key, value in raw.items():
        text = " ".join(_cell(value).split())
        if not text:
            continue
        meta[key] = _iso_date(text) if key == "date" else text
    return meta


def _iso_date(value: str) -> str:
    """'YYYY-MM-DD' for the common unambiguous date spellings; anything else as given."""
    match = _ISO_PREFIX.match(value)
    if match:
        try:
            return date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            return value
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(value).date().isoformat()  # RFC 2822, as in RSS feeds
    except (TypeError, ValueError, IndexError):
        return value


def _front_matter(text: str) -> dict[str, str]:
    """Simple 'key: value' metadata from a leading '---' block of a markdown file."""
    lines = text.split("\n", 60)
    if not lines or lines[0].strip() != "---":
        return {}
    raw: dict[str, str] = {}
    for line in lines[1:60]:
        if line.strip() in ("---", "..."):
            break
        key, sep, value = line.partition(":")
        if sep and key.strip():
            raw.setdefault(key.strip().lower(), value.strip().strip("'\""))
    else:
        return {}  # no closing marker: a horizontal rule, not front matter
    meta = {}
    for canonical, synonyms in META_COLUMNS.items():
        value = next((raw[s] for s in synonyms if raw.get(s)), "")
        if value:
            meta[canonical] = value
    return _clean_meta(meta)


def _normalise_manifest_name(name: str) -> str:
    name = name.strip().replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name


# --------------------------------------------------------------------------- small helpers


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        value, unit = size / (1024 * 1024), "MB"
    elif size >= 1024:
        value, unit = size / 1024, "KB"
    else:
        return f"{size} bytes"
    return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"


def _short(exc: BaseException) -> str:
    """First line of an exception message, capped, for a one-line reason."""
    message = str(exc).strip().split("\n", 1)[0].strip() or type(exc).__name__
    if len(message) > _MAX_REASON_CHARS:
        message = message[: _MAX_REASON_CHARS - 1] + "…"
    return message
