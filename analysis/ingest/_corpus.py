"""A corpus read from files and uploads, and `prepare`: everything derived from its text before
any model runs (documents with their metadata, articles, paragraphs, duplicates, languages)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..run import PART_ROWS, Engine, LocalEngine, joined_parts
from ..settings import Settings
from ..tables import (
    ARTICLE_COLUMNS,
    DUPLICATE_COLUMNS,
    METADATA_FIELDS,
    OUTLET_FROM_FILE_NAME,
    REMOVED_COLUMNS,
    SKIPPED_COLUMNS,
    paragraph_ids,
)
from ._bylines import infer_byline
from ._dedup import Signatures, find_duplicates, paragraph_signatures
from ._lang import paragraph_languages, settle_short_texts
from ._readers import ReadLimits, SkippedFile, SourceDocument, read_manifest, read_many, read_paths
from ._segment import segment_document

__all__ = ["Corpus", "PreparedCorpus", "load_corpus", "prepare"]


@dataclass
class Corpus:
    documents: list[SourceDocument]
    skipped: list[SkippedFile]
    manifest: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Identifies the corpus: same files and manifest, same hash, whatever their order."""
        digest = hashlib.sha256()
        for doc in sorted(self.documents, key=lambda d: d.doc_id):
            # The length too: the same file cut at another max_document_chars is other text.
            digest.update(f"{doc.doc_id}\0{doc.content_hash or doc.text}\0{len(doc.text)}\0".encode())
        digest.update(json.dumps(self.manifest, sort_keys=True).encode())
        return digest.hexdigest()[:16]


def load_corpus(
    paths: Iterable[Path | str] | Path | str = (),
    uploads: Sequence[tuple[str, bytes]] = (),
    manifest: Path | str | bytes | None = None,
    settings: Settings = Settings(),
) -> Corpus:
    """Read folders, files and uploaded (name, bytes) pairs. Unreadable files are listed, never
    raised. A folder's own `manifest.csv` is used when no manifest is given."""
    documents: list[SourceDocument] = []
    skipped: list[SkippedFile] = []
    # One folder given as a plain string is one path, not a path per character ("/" first).
    paths = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    if paths:
        docs, skips = read_paths(paths, limits=ReadLimits.from_settings(settings))
        documents += docs
        skipped += skips
    if uploads:
        docs, skips = read_many(list(uploads), limits=ReadLimits.from_settings(settings))
        documents += docs
        skipped += skips
    entries: dict[str, dict[str, str]] = {}
    sources = [manifest] if manifest is not None else [p / "manifest.csv" for p in paths if p.is_dir()]
    for source in sources:
        if isinstance(source, Path) and not source.exists():
            continue
        try:
            entries.update(read_manifest(source))
        except ValueError as error:
            name = source.name if isinstance(source, Path) else "manifest"
            skipped.append(SkippedFile(str(name), f"manifest not used: {error}"))
    return Corpus(documents, skipped, entries)


@dataclass
class PreparedCorpus:
    """Everything derived from the text alone, before any model runs."""

    documents: pd.DataFrame
    articles: pd.DataFrame
    paragraphs: pd.DataFrame  # the kept paragraphs, in corpus order
    duplicates: pd.DataFrame
    removed: pd.DataFrame
    skipped: pd.DataFrame
    texts: dict[str, str]  # doc -> the text that offsets point into
    corpus_hash: str


def _manifest_entry(manifest: dict[str, dict[str, str]], doc: SourceDocument) -> dict[str, str]:
    for key in (doc.doc_id, doc.path, Path(doc.path).name):
        if key in manifest:
            return manifest[key]
    return {}


# Documents per part when prepare() reads them on an engine: parts end once they hold this much
# text (about 10,000 news paragraphs), so a few huge files do not make one part that others wait
# for, and a corpus smaller than this is read in this process.
PART_CHARS = 4_000_000


def _document_parts(documents: list[SourceDocument]) -> list[list[SourceDocument]]:
    parts: list[list[SourceDocument]] = [[]]
    size = 0
    for doc in documents:
        if size >= PART_CHARS:
            parts.append([])
            size = 0
        parts[-1].append(doc)
        size += len(doc.text)
    return parts if parts[0] else []


_PARAGRAPH_READ_COLUMNS = ["doc", "article", "paragraph", "outlet", "date", "title", "text", "start", "end", "role"]  # fmt: skip
# Whether an article is in the themes is the themes' to say (the build adds it).
_ARTICLE_READ_COLUMNS = [column for column in ARTICLE_COLUMNS if column != "in_themes"]


def _main_title(articles) -> str:
    """The headline of a document's main article, which names the document when no manifest or
    file gave a title: of its full articles (not teasers or excerpts of other pieces), the
    longest that has a title (the first of equals); for a page that holds one excerpt and
    nothing else but teasers (a preview of one piece), that excerpt's."""
    titled = [a for a in articles if a.kind == "article" and a.title]
    if titled:
        return max(titled, key=lambda a: len(a.paragraphs)).title
    pieces = [a for a in articles if a.kind != "teaser"]
    return pieces[0].title if len(pieces) == 1 else ""


def _read_documents(
    documents: list[SourceDocument], manifest: dict[str, dict[str, str]]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tables of documents, articles, paragraphs and removed lines: each document on its own
    (what prepare() maps over parts of the corpus). Tables, not lists of dicts: a million rows
    of dicts held about 2 GB more."""
    doc_rows: list[dict] = []
    article_rows: list[dict] = []
    paragraph_rows: list[dict] = []
    removed_rows: list[dict] = []
    for doc in documents:
        entry = _manifest_entry(manifest, doc)
        segmented = segment_document(doc.doc_id, doc.text, title_hint=doc.meta.get("title", ""))
        # From the text itself: the page's date line, a byline or dateline, a bio line.
        byline = infer_byline(doc.text)
        from_text = {"date": segmented.page_date, "outlet": byline.get("agency", ""), "title": _main_title(segmented.articles)}
        authors = sorted({a.author for a in segmented.articles if a.author})
        if authors:
            from_text["author"] = "; ".join(authors)
        elif byline.get("author"):
            from_text["author"] = byline["author"]
        row: dict[str, object] = {"doc": doc.doc_id, "path": doc.path, "format": doc.format}
        # Where each value came from is kept: an analyst trusts a manifest more than a guess.
        for name in METADATA_FIELDS:
            for origin, values in (("manifest", entry), ("file", doc.meta), ("text", from_text)):
                if values.get(name):
                    row[name], row[f"{name}_from"] = values[name], origin
                    break
            else:
                row[name], row[f"{name}_from"] = "", ""
        if not row["outlet"]:
            row["outlet"], row["outlet_from"] = Path(doc.path).stem, OUTLET_FROM_FILE_NAME
        row.update(
            encoding=doc.encoding,
            content_hash=doc.content_hash,
            articles=len(segmented.articles),
            paragraphs=sum(len(a.paragraphs) for a in segmented.articles),
        )
        doc_rows.append(row)
        for article in segmented.articles:
            article_rows.append(
                {
                    "doc": doc.doc_id,
                    "article": article.article,
                    "title": article.title,
                    "kind": article.kind,
                    "author": article.author,
                    "bio": article.bio,
                    "start": article.start,
                    "end": article.end,
                    "paragraphs": len(article.paragraphs),
                }
            )
            # An untitled article carries a title its document was given, never one read from
            # its text: that is another article's headline (an excerpt of an unrelated piece
            # would carry the page's main headline).
            title = article.title or (str(row["title"]) if row["title_from"] != "text" else "")
            for p in article.paragraphs:
                paragraph_rows.append(
                    {
                        "doc": p.doc,
                        "article": p.article,
                        "paragraph": p.paragraph,
                        "outlet": row["outlet"],
                        "date": row["date"],
                        "title": title,
                        "text": p.text,
                        "start": p.start,
                        "end": p.end,
                        "role": p.role,
                    }
                )
        removed_rows += [vars(r) for r in segmented.removed]
    return (
        pd.DataFrame(doc_rows),
        pd.DataFrame(article_rows, columns=_ARTICLE_READ_COLUMNS),
        pd.DataFrame(paragraph_rows, columns=_PARAGRAPH_READ_COLUMNS),
        pd.DataFrame(removed_rows, columns=REMOVED_COLUMNS),
    )


def _in_parts(texts: list[str]) -> list[list[str]]:
    return [texts[start : start + PART_ROWS] for start in range(0, len(texts), PART_ROWS)]


def prepare(corpus: Corpus, settings: Settings = Settings(), engine: Engine | None = None) -> PreparedCorpus:
    """Clean, split into articles and paragraphs, drop duplicates, detect languages.

    Reading documents, the duplicate search's signatures and languages are computed in parts by
    `engine` (this machine's cores by default); the results are put together in corpus order, so
    they are the same whatever ran them."""
    engine = engine or LocalEngine()
    texts = {doc.doc_id: doc.text for doc in corpus.documents}
    read = engine.map(_read_documents, _document_parts(corpus.documents), corpus.manifest)
    documents, articles, paragraphs, removed = (
        joined_parts([part[table] for part in read], columns) for table, columns in enumerate(
            [[], _ARTICLE_READ_COLUMNS, _PARAGRAPH_READ_COLUMNS, REMOVED_COLUMNS]
        )
    )  # fmt: skip
    del read
    near = settings.near_duplicate_threshold < 1.0
    read_texts = paragraphs["text"].tolist()
    signatures = Signatures.joined(engine.map(paragraph_signatures, _in_parts(read_texts), near))
    duplicates = find_duplicates(read_texts, settings.near_duplicate_threshold, signatures)
    dropped = {d.index for d in duplicates}
    duplicate_rows = []
    for d in duplicates:
        copy, kept = paragraphs.iloc[d.index], paragraphs.iloc[d.kept]
        duplicate_rows.append(
            {
                "doc": copy["doc"],
                "article": copy["article"],
                "paragraph": copy["paragraph"],
                "text": copy["text"],
                "kept_doc": kept["doc"],
                "kept_article": kept["article"],
                "kept_paragraph": kept["paragraph"],
                "similarity": d.similarity,
            }
        )
    keep_mask = ~paragraphs.index.isin(sorted(dropped))
    paragraphs = paragraphs[keep_mask].reset_index(drop=True)
    paragraphs["lang"] = settle_short_texts(
        [lang for part in engine.map(paragraph_languages, _in_parts(paragraphs["text"].tolist())) for lang in part],
        documents=paragraphs["doc"].tolist(),
    )
    paragraphs["pid"] = paragraph_ids(paragraphs)
    return PreparedCorpus(
        documents=documents,
        articles=articles,
        paragraphs=paragraphs,
        duplicates=pd.DataFrame(
            duplicate_rows,
            columns=DUPLICATE_COLUMNS,
        ),
        removed=removed,
        skipped=pd.DataFrame([vars(s) for s in corpus.skipped], columns=SKIPPED_COLUMNS),
        texts=texts,
        corpus_hash=corpus.content_hash,
    )


