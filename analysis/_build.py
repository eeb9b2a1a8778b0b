"""The pipeline: corpus -> paragraphs -> embeddings -> themes, and a build folder on disk.

Each stage is a function of the previous stage's output, so the dashboard can cache them
separately: changing the number of themes refits themes on cached vectors and never re-reads
or re-embeds the corpus.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ._dedup import Signatures, find_duplicates, paragraph_signatures
from ._embed import Embedder, EmbeddingCache, Progress, embed_with_cache, model_key, text_hash
from ._engines import Engine, EngineError, LocalEngine, engine_from_settings
from ._extraction import PART_ROWS, _joined, citations_in_parts, figures_in_parts
from ._figures import FIGURE_COLUMNS
from ._lang import detect_languages
from ._layout import layout_2d
from ._readers import SkippedFile, SourceDocument, read_manifest, read_many, read_paths
from ._segment import paragraph_ids, segment_document
from ._sources import (
    CITATION_COLUMNS,
    KIND_COLUMNS,
    SOURCE_COLUMNS,
    _strict,
    infer_byline,
    load_source_kinds,
    read_source_kinds,
)
from ._themes import OTHER_ID, OTHER_NAME, SeedTheme, ThemeModel, load_seed_themes, theme_terms
from .settings import Settings, default_cache_dir

__all__ = [
    "Analysis",
    "Corpus",
    "PreparedCorpus",
    "assemble",
    "build",
    "embed_paragraphs",
    "fit_themes",
    "load_analysis",
    "load_corpus",
    "prepare",
]

METADATA_FIELDS = ("outlet", "date", "title", "url", "author")
PARAGRAPH_COLUMNS = [
    "doc", "article", "paragraph", "outlet", "date", "title", "text", "lang", "theme",
    "theme_id", "x", "y", "start", "end", "role", "similarity", "pid",
]  # fmt: skip
THEME_COLUMNS = ["theme_id", "theme", "size", "keywords", "seeded", "share", "representative"]
# 2: vectors.parquet replaces embeddings.npy (still read); 3: vectors.npy beside it.
_FORMAT_VERSION = 3
VECTORS_FILE = "vectors.parquet"
# The same vectors as a plain float32 matrix, which the dashboard maps into memory instead of
# reading: a million vectors open at once and are paged in by the first search (reading them
# from Parquet took 5-14 s here), and their pages are the file's, which the system can drop.
VECTORS_MATRIX = "vectors.npy"
# Tables written again as Parquet, which load_analysis reads instead of their CSVs (kept for
# spreadsheets and scripts): at a million paragraphs figures read in 0.7 s instead of 3.6-4 s,
# documents in 0.3-0.5 s instead of 2 s. Not paragraphs: its CSV reads faster (1.9 s against
# 3.2 s). documents.csv is read as text only, so its copy holds text only.
PARQUET_TABLES = {"documents": True, "figures": False, "citations": False}


class CorpusError(ValueError):
    """The input cannot be analysed at all (nothing readable); the message is one line."""


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
            digest.update(f"{doc.doc_id}\0{doc.content_hash or doc.text}\0".encode())
        digest.update(json.dumps(self.manifest, sort_keys=True).encode())
        return digest.hexdigest()[:16]


def load_corpus(
    paths: Iterable[Path | str] = (),
    uploads: Sequence[tuple[str, bytes]] = (),
    manifest: Path | str | bytes | None = None,
    settings: Settings = Settings(),
) -> Corpus:
    """Read folders, files and uploaded (name, bytes) pairs. Unreadable files are listed, never
    raised. A folder's own `manifest.csv` is used when no manifest is given."""
    documents: list[SourceDocument] = []
    skipped: list[SkippedFile] = []
    paths = [Path(p) for p in paths]
    if paths:
        docs, skips = read_paths(paths, max_bytes=settings.max_bytes)
        documents += docs
        skipped += skips
    if uploads:
        docs, skips = read_many(list(uploads), max_bytes=settings.max_bytes)
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


_ARTICLE_COLUMNS = ["doc", "article", "title", "kind", "author", "bio", "start", "end", "paragraphs"]
_PARAGRAPH_READ_COLUMNS = ["doc", "article", "paragraph", "outlet", "date", "title", "text", "start", "end", "role"]  # fmt: skip
_REMOVED_COLUMNS = ["doc", "start", "end", "text", "reason"]


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
        from_text = {"date": segmented.page_date, "outlet": byline.get("agency", "")}
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
            row["outlet"], row["outlet_from"] = Path(doc.path).stem, "file name"
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
            title = article.title or str(row["title"])
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
        pd.DataFrame(article_rows, columns=_ARTICLE_COLUMNS),
        pd.DataFrame(paragraph_rows, columns=_PARAGRAPH_READ_COLUMNS),
        pd.DataFrame(removed_rows, columns=_REMOVED_COLUMNS),
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
        _joined([part[table] for part in read], columns) for table, columns in enumerate(
            [[], _ARTICLE_COLUMNS, _PARAGRAPH_READ_COLUMNS, _REMOVED_COLUMNS]
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
    paragraphs["lang"] = [
        lang for part in engine.map(detect_languages, _in_parts(paragraphs["text"].tolist())) for lang in part
    ]
    paragraphs["pid"] = paragraph_ids(paragraphs)
    return PreparedCorpus(
        documents=documents,
        articles=articles,
        paragraphs=paragraphs,
        duplicates=pd.DataFrame(
            duplicate_rows,
            columns=[
                "doc",
                "article",
                "paragraph",
                "text",
                "kept_doc",
                "kept_article",
                "kept_paragraph",
                "similarity",
            ],
        ),
        removed=removed,
        skipped=pd.DataFrame([vars(s) for s in corpus.skipped], columns=["path", "reason"]),
        texts=texts,
        corpus_hash=corpus.content_hash,
    )


@dataclass
class ThemeResult:
    labels: np.ndarray
    similarity: np.ndarray
    themes: pd.DataFrame
    other_share: float
    k_scores: dict[int, float]


def seed_vectors(seeds: Sequence[SeedTheme], embedder: Embedder, cache: EmbeddingCache | None) -> np.ndarray:
    """One unit vector per seeded theme: the mean of its embedded name/description/keywords."""
    if not seeds:
        return np.zeros((0, 0), dtype=np.float32)
    texts = [seed.texts() for seed in seeds]
    flat = [t for group in texts for t in group]
    vectors, _ = embed_with_cache(flat, embedder, cache)
    out, position = [], 0
    for group in texts:
        mean = vectors[position : position + len(group)].mean(axis=0)
        out.append(mean / max(float(np.linalg.norm(mean)), 1e-12))
        position += len(group)
    return np.asarray(out, dtype=np.float32)


def fit_themes(
    texts: Sequence[str],
    vectors: np.ndarray,
    seeds: Sequence[SeedTheme],
    seeds_vectors: np.ndarray,
    settings: Settings,
    engine: Engine | None = None,
) -> ThemeResult:
    """Theme of every paragraph, and a table of themes with labels, keywords and examples.

    A corpus larger than `settings.theme_sample_size` is fitted on a seeded sample of that
    many paragraphs on this machine, and every paragraph is then assigned to the fitted themes
    by `engine` (this process by default): clustering millions of vectors would not fit, and
    assigning them is a map over blocks that any engine does identically."""
    model = ThemeModel(
        n_seeds=len(seeds),
        n_themes=settings.n_themes,
        seed_threshold=settings.seed_threshold,
        outlier_threshold=settings.outlier_threshold,
        min_theme_size=settings.min_theme_size,
        random_state=settings.random_seed,
    )
    seed_input = seeds_vectors if len(seeds) else None
    if len(vectors) > settings.theme_sample_size:
        rng = np.random.default_rng(settings.random_seed)
        sample = np.sort(rng.choice(len(vectors), settings.theme_sample_size, replace=False))
        model.fit(vectors[sample], seed_input)
        labels, similarity = (engine or LocalEngine()).assign(model, vectors)
        other_share = float((labels == OTHER_ID).mean())
    else:
        model.fit(vectors, seed_input)
        labels, similarity, other_share = model.labels_, model.similarity_, model.other_share_
    terms = theme_terms(texts, labels)
    rows = []
    n = max(len(labels), 1)
    for theme_id in [*range(len(seeds) + model.n_discovered_), OTHER_ID]:
        members = np.flatnonzero(labels == theme_id)
        if theme_id == OTHER_ID and len(members) == 0:
            continue
        keywords = terms.get(theme_id, [])
        if theme_id == OTHER_ID:
            name = OTHER_NAME
        elif theme_id < len(seeds):
            name = seeds[theme_id].name
        else:
            name = " / ".join(keywords[:3]) or f"Theme {theme_id}"
        # Representative paragraphs: closest to the theme's centre (for Other: none).
        ranked = members[np.argsort(-similarity[members], kind="stable")] if theme_id != OTHER_ID else []
        rows.append(
            {
                "theme_id": theme_id,
                "theme": name,
                "size": len(members),
                "keywords": ", ".join(keywords),
                "seeded": theme_id != OTHER_ID and theme_id < len(seeds),
                "share": round(len(members) / n, 4),
                "representative": [int(i) for i in ranked[:3]],
            }
        )
    return ThemeResult(
        labels=labels,
        similarity=similarity,
        themes=pd.DataFrame(rows, columns=THEME_COLUMNS),
        other_share=other_share,
        k_scores=model.k_scores_,
    )


class _DerivedCache:
    """Themes, layouts and figures already computed from the same input, on disk beside the
    embeddings.

    Keyed by a hash of the vectors and of everything else the step reads (texts, seeds,
    settings), so a rebuild of an unchanged corpus costs a file read, while changing the number
    of themes refits the themes but keeps the layout.
    """

    # The code that computes each result is part of its key: a new version of the package never
    # reads results its predecessor computed.
    _CODE = hashlib.sha256(
        b"".join(
            (Path(__file__).parent / name).read_bytes()
            for name in (
                "_themes.py",
                "_layout.py",
                "_figures.py",
                "_sources.py",
                "_extraction.py",
                "_build.py",
            )
        )
    ).hexdigest()

    def __init__(self, root: Path, vectors: np.ndarray, paragraphs: pd.DataFrame):
        self.folder = Path(root) / "derived"
        self.vectors_hash = hashlib.sha256(np.ascontiguousarray(vectors).tobytes()).hexdigest()
        # The paragraphs' ids, texts and languages, hashed once for the figures' and the
        # citations' keys (a pass over a million texts costs about a second).
        digest = hashlib.sha256()
        for pid, text, lang in zip(paragraphs["pid"], paragraphs["text"], paragraphs["lang"], strict=True):
            digest.update(f"{pid}\0{text}\0{lang}\0".encode())
        self.paragraphs_hash = digest.hexdigest()
        self._themes_key = ""
        self._layout_key = ""
        self._figures_path = self.folder / "figures.csv"
        self._sources_path = self.folder / "sources.csv"
        self._citations_path = self.folder / "citations.csv"

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / f"{kind}-{key[:32]}.npz"

    def _key(self, *parts: str) -> str:
        return hashlib.sha256("\0".join((self._CODE, self.vectors_hash, *parts)).encode()).hexdigest()

    def _write(self, path: Path, **arrays) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}-{os.getpid()}.tmp.npz")
        np.savez(tmp, **arrays)
        tmp.replace(path)

    def themes(self, texts, seeds, seeds_vectors, settings: Settings) -> ThemeResult | None:
        relevant = settings.result_dict()
        relevant.pop("themes_file")  # the seeds' content counts, not where the file is
        relevant.pop("source_kinds_file")  # cited sources do not change themes
        self._themes_key = self._key(
            hashlib.sha256("\0".join(texts).encode()).hexdigest(),
            json.dumps([vars(seed) for seed in seeds], sort_keys=True, default=list),
            hashlib.sha256(np.ascontiguousarray(seeds_vectors).tobytes()).hexdigest(),
            json.dumps(relevant, sort_keys=True),
        )
        path = self._path("themes", self._themes_key)
        if not path.exists():
            return None
        with np.load(path) as stored:
            table = json.loads(str(stored["table"]))
            return ThemeResult(
                labels=stored["labels"],
                similarity=stored["similarity"],
                themes=pd.DataFrame(table["rows"], columns=THEME_COLUMNS),
                other_share=table["other_share"],
                k_scores={int(k): v for k, v in table["k_scores"].items()},
            )

    def save_themes(self, result: ThemeResult) -> None:
        table = {
            "rows": result.themes.to_dict(orient="records"),
            "other_share": result.other_share,
            "k_scores": {str(k): v for k, v in result.k_scores.items()},
        }
        self._write(
            self._path("themes", self._themes_key),
            labels=result.labels,
            similarity=result.similarity,
            table=np.array(json.dumps(table, default=_json_default)),
        )

    def _text_digest(self, table: bytes) -> str:
        """Hash of the paragraphs and of the lookup table a step uses."""
        return hashlib.sha256(self._CODE.encode() + table + self.paragraphs_hash.encode()).hexdigest()[:32]

    def figures(self) -> pd.DataFrame | None:
        """Figures read from exactly these paragraphs with this states table, if read before."""
        from ._figures import STATES_FILE

        key = self._text_digest(STATES_FILE.read_bytes())
        self._figures_path = self.folder / f"figures-{key}.csv"
        return _read_figures(self._figures_path) if self._figures_path.exists() else None

    def citations(self, kinds: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        """(sources, citations) found in exactly these paragraphs with this kinds table (the
        shipped one with the analyst's merged over it: its content is in the key)."""
        key = self._text_digest(kinds[KIND_COLUMNS].to_csv(index=False).encode())
        self._sources_path = self.folder / f"sources-{key}.csv"
        self._citations_path = self.folder / f"citations-{key}.csv"
        if not (self._sources_path.exists() and self._citations_path.exists()):
            return None
        return (
            _read_optional(self._sources_path, SOURCE_COLUMNS),
            _read_optional(self._citations_path, CITATION_COLUMNS),
        )

    def save_citations(self, sources: pd.DataFrame, citations: pd.DataFrame) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for frame, path in ((sources, self._sources_path), (citations, self._citations_path)):
            tmp = path.with_name(f".{path.stem}-{os.getpid()}.tmp")
            frame.to_csv(tmp, index=False)
            tmp.replace(path)

    def save_figures(self, figures: pd.DataFrame) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self._figures_path.with_name(f".{self._figures_path.stem}-{os.getpid()}.tmp")
        figures.to_csv(tmp, index=False)
        tmp.replace(self._figures_path)

    def layout(self, random_seed: int) -> np.ndarray | None:
        self._layout_key = self._key("layout", str(random_seed))
        path = self._path("layout", self._layout_key)
        if not path.exists():
            return None
        with np.load(path) as stored:
            return stored["coords"]

    def save_layout(self, coords: np.ndarray) -> None:
        self._write(self._path("layout", self._layout_key), coords=coords)


def _json_default(value):
    """numpy scalars and booleans in theme tables, as plain JSON values."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


@dataclass
class Analysis:
    """A finished build: what the CSVs hold, the vectors, and how it was made."""

    paragraphs: pd.DataFrame
    themes: pd.DataFrame
    documents: pd.DataFrame
    articles: pd.DataFrame
    duplicates: pd.DataFrame
    removed: pd.DataFrame
    skipped: pd.DataFrame
    embeddings: np.ndarray
    texts: dict[str, str]
    info: dict
    figures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FIGURE_COLUMNS))
    sources: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SOURCE_COLUMNS))
    citations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CITATION_COLUMNS))

    def save(self, out: Path | str) -> Path:
        """Write the build folder; `load_analysis` reopens it without embedding anything."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        paragraphs = self.paragraphs[PARAGRAPH_COLUMNS]
        paragraphs.to_csv(out / "paragraphs.csv", index=False)
        themes = self.themes.copy()
        themes["representative"] = [
            " ".join(self.paragraphs["pid"].iloc[i] for i in rows) for rows in themes["representative"]
        ]
        themes[["theme_id", "theme", "size", "keywords", "seeded", "share", "representative"]].to_csv(
            out / "themes.csv", index=False
        )
        self.skipped.to_csv(out / "skipped.csv", index=False)
        self.documents.to_csv(out / "documents.csv", index=False)
        self.articles.to_csv(out / "articles.csv", index=False)
        self.duplicates.to_csv(out / "duplicates.csv", index=False)
        self.removed.to_csv(out / "removed.csv", index=False)
        self.figures.to_csv(out / "figures.csv", index=False)
        self.sources.to_csv(out / "sources.csv", index=False)
        self.citations.to_csv(out / "citations.csv", index=False)
        for name, text_only in PARQUET_TABLES.items():
            _write_table(out / f"{name}.parquet", getattr(self, name), text_only)
        _write_vectors(out / VECTORS_FILE, paragraphs, self.embeddings, self.info.get("model_key", ""))
        np.save(out / VECTORS_MATRIX, np.ascontiguousarray(self.embeddings, dtype=np.float32))
        (out / "texts.json").write_text(json.dumps(self.texts, ensure_ascii=False), encoding="utf-8")
        (out / "build.json").write_text(json.dumps(self.info, indent=2, sort_keys=True), encoding="utf-8")
        return out

    @property
    def other_share(self) -> float:
        return float(self.info.get("other_share", 0.0))


def _read_csv(path: Path, **kwargs) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, **kwargs)


def load_analysis(folder: Path | str) -> Analysis:
    """Reopen a build folder written by `Analysis.save` (no model is loaded)."""
    folder = Path(folder)
    info_file = folder / "build.json"
    if not info_file.exists():
        raise CorpusError(f"{folder.name} is not a build folder (no build.json)")
    info = json.loads(info_file.read_text(encoding="utf-8"))
    paragraphs = _read_csv(folder / "paragraphs.csv", dtype={"doc": str, "outlet": str, "date": str})
    themes = _read_csv(folder / "themes.csv")
    # Only the few representative paragraphs are looked up: a dict of every pid cost 1.4 s at a
    # million paragraphs.
    wanted = {pid for value in themes["representative"] for pid in str(value).split()}
    rows = np.flatnonzero(paragraphs["pid"].isin(wanted).to_numpy())
    pid_index = dict(zip(paragraphs["pid"].to_numpy()[rows].tolist(), rows.tolist(), strict=True))
    themes["representative"] = [
        [pid_index[p] for p in str(value).split() if p in pid_index] for value in themes["representative"]
    ]
    return Analysis(
        paragraphs=paragraphs,
        themes=themes,
        documents=_read_table(folder, "documents", lambda path: _read_csv(path, dtype=str)),
        articles=_read_csv(folder / "articles.csv"),
        duplicates=_read_csv(folder / "duplicates.csv"),
        removed=_read_csv(folder / "removed.csv"),
        skipped=_read_csv(folder / "skipped.csv"),
        embeddings=_read_vectors(folder),
        texts=json.loads((folder / "texts.json").read_text(encoding="utf-8")),
        info=info,
        figures=_read_table(folder, "figures", _read_figures),
        sources=_read_optional(folder / "sources.csv", SOURCE_COLUMNS),
        citations=_read_table(folder, "citations", lambda path: _read_optional(path, CITATION_COLUMNS)),
    )


def _write_table(path: Path, frame: pd.DataFrame, text_only: bool = False) -> None:
    """`frame` as Parquet as its CSV reads back: text columns (every column if `text_only`) as
    strings, "" where a value is missing; numbers as they are."""
    frame = frame.copy()
    for column in frame.columns:
        if text_only or not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].where(frame[column].notna(), "").astype(str)
    tmp = path.with_name(f".{path.name}-{os.getpid()}.tmp")
    frame.to_parquet(tmp, index=False)
    tmp.replace(path)


def _read_table(folder: Path, name: str, read_csv: Callable[[Path], pd.DataFrame]) -> pd.DataFrame:
    """A table of the build: from its Parquet copy, or with `read_csv` from the CSV of a build
    written before the copies."""
    parquet = folder / f"{name}.parquet"
    if parquet.exists():
        return pd.read_parquet(parquet)
    return read_csv(folder / f"{name}.csv")


def _write_vectors(path: Path, paragraphs: pd.DataFrame, vectors: np.ndarray, model: str) -> None:
    """One row per paragraph: pid, text hash, model and vector (a fixed-size list of float32),
    the layout of the embedding cache: Ray, Dask, pandas and the dashboard all read it.

    Written without nulls, compression or dictionaries: Parquet then stores the floats as one
    plain run, read about five times faster (200,000 vectors: 0.5 s against 2.6 s); the real
    model's vectors hardly compress anyway."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1] if vectors.ndim == 2 else 0
    vector_type = pa.list_(pa.field("item", pa.float32(), nullable=False), dim)
    schema = pa.schema(
        [
            pa.field("pid", pa.string(), nullable=False),
            pa.field("text_hash", pa.string(), nullable=False),
            pa.field("model", pa.string(), nullable=False),
            pa.field("vector", vector_type, nullable=False),
        ]
    )
    table = pa.table(
        {
            "pid": pa.array(paragraphs["pid"].astype(str).tolist(), pa.string()),
            "text_hash": pa.array([text_hash(t) for t in paragraphs["text"]], pa.string()),
            "model": pa.array([model] * len(vectors), pa.string()),
            "vector": pa.FixedSizeListArray.from_arrays(
                pa.array(vectors.reshape(-1), pa.float32()), dim
            ).cast(vector_type),
        },
        schema=schema,
    )
    pq.write_table(table, path, compression="none", use_dictionary=["model"])


def _read_vectors(folder: Path) -> np.ndarray:
    """The build's vectors as one float32 matrix (row i for paragraph i), read-only: mapped from
    vectors.npy, else read from vectors.parquet (builds before format 3), else from
    embeddings.npy (builds before format 2)."""
    import pyarrow.parquet as pq

    if (folder / VECTORS_MATRIX).exists():
        return np.load(folder / VECTORS_MATRIX, mmap_mode="r")
    path = folder / VECTORS_FILE
    if not path.exists():
        return np.load(folder / "embeddings.npy")
    column = pq.read_table(path, columns=["vector"]).column("vector").combine_chunks()
    dim = column.type.list_size
    return (
        column.flatten()
        .to_numpy(zero_copy_only=False)
        .astype(np.float32, copy=False)
        .reshape(len(column), dim)
    )


def _with_themes(sources: pd.DataFrame, citations: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The sources table with each source's themes, from the themes of the paragraphs citing it.

    Kept apart from extraction so that extraction can be cached while themes change."""
    theme_of = dict(zip(paragraphs["pid"], paragraphs["theme"], strict=True))
    themes = citations.assign(theme=citations["pid"].map(theme_of)).dropna(subset=["theme"])
    joined = themes.groupby("source")["theme"].agg(lambda t: "; ".join(sorted(set(t))))
    return sources.assign(themes=sources["source"].map(joined).fillna(""))


def _analyst_kinds(settings: Settings) -> pd.DataFrame:
    """The analyst's kinds table the settings name (empty without one); ValueError if unusable."""
    if settings.source_kinds_file:
        return read_source_kinds(settings.source_kinds_file)
    return pd.DataFrame(columns=KIND_COLUMNS, dtype=str)


def _read_optional(path: Path, columns: list[str]) -> pd.DataFrame:
    """A table that older build folders lack: empty with its columns then."""
    if not path.exists():
        return pd.DataFrame(columns=columns)
    return _read_csv(path, dtype={"doc": str, "source": str})


def _read_figures(path: Path) -> pd.DataFrame:
    if not path.exists():  # a build from before figures were extracted
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    figures = _read_csv(path, dtype=str)
    for column in ("amount", "low", "high"):
        figures[column] = pd.to_numeric(figures[column].replace("", np.nan))
    for column in ("article", "paragraph"):
        figures[column] = pd.to_numeric(figures[column])
    return figures


class _Timer:
    """Seconds per stage, recorded in build.json."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._started = time.perf_counter()

    def step(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self._started, 3)
        self._started = now


def _stage_progress(progress: Progress | None, stage: str, total: int) -> Callable[[int], None] | None:
    """progress(stage, paragraphs read, total) from a reader's done(paragraphs read)."""
    if progress is None:
        return None
    progress(stage, 0, total)
    return lambda read: progress(stage, read, total)


def _default_embedder(embedder: Embedder | None, settings: Settings) -> Embedder:
    if embedder is not None:
        return embedder
    from ._embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings.model_id, threads=settings.embed_threads)


def embed_paragraphs(
    prepared: PreparedCorpus,
    embedder: Embedder,
    cache_dir: Path | str | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors of the prepared paragraphs (through the disk cache) and how many were new;
    those missing from the cache are embedded by `engine` (this process by default).

    Raises CorpusError when not one paragraph could be read.
    """
    if prepared.paragraphs.empty:
        reasons = "; ".join(
            f"{path}: {reason}" for path, reason in prepared.skipped.head(3).itertuples(index=False)
        )
        raise CorpusError("no readable text in the input" + (f" ({reasons})" if reasons else ""))
    cache_root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    cache = EmbeddingCache(cache_root, model_key(embedder))
    return embed_with_cache(prepared.paragraphs["text"].tolist(), embedder, cache, progress, engine=engine)


def build(
    corpus: Corpus,
    settings: Settings = Settings(),
    embedder: Embedder | None = None,
    cache_dir: Path | str | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """The whole pipeline: prepare, embed, then themes and map. Raises CorpusError when not one
    paragraph could be read."""
    timer = _Timer()
    seeds = load_seed_themes(settings.themes_file) if settings.themes_file else []
    source_kinds = _analyst_kinds(settings)  # a bad table fails before anything is embedded
    try:
        engine = engine_from_settings(settings)
    except EngineError as error:
        raise CorpusError(str(error)) from error
    with engine:
        timer.step("engine start")
        prepared = prepare(corpus, settings, engine)
        timer.step("prepare")
        embedder = _default_embedder(embedder, settings)
        vectors, embedded = embed_paragraphs(prepared, embedder, cache_dir, progress, engine)
        timer.step("embed")
        return assemble(
            prepared, vectors, settings, embedder, cache_dir, progress, seeds, embedded, timer, source_kinds,
            engine=engine,
        )  # fmt: skip


def assemble(
    prepared: PreparedCorpus,
    vectors: np.ndarray,
    settings: Settings,
    embedder: Embedder,
    cache_dir: Path | str | None = None,
    progress: Progress | None = None,
    seeds: Sequence[SeedTheme] | None = None,
    embedded: int = 0,
    timer: _Timer | None = None,
    source_kinds: pd.DataFrame | None = None,
    engine: Engine | None = None,
) -> Analysis:
    """Themes, map and tables from prepared paragraphs and their vectors (`engine` assigns
    themes in corpora larger than the theme sample; this process by default).

    The dashboard calls this alone when only the theme settings change: the corpus is not read
    or embedded again. `seeds` and `source_kinds` (the analyst's kinds table) are read from the
    settings' files when not given.
    """
    timer = timer or _Timer()
    if seeds is None:
        seeds = load_seed_themes(settings.themes_file) if settings.themes_file else []
    source_kinds = _analyst_kinds(settings) if source_kinds is None else _strict(source_kinds, "source kinds")
    kinds = load_source_kinds(source_kinds)
    cache_root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    texts = prepared.paragraphs["text"].tolist()
    seeds_vectors = seed_vectors(seeds, embedder, EmbeddingCache(cache_root, model_key(embedder)))
    if progress:
        progress("themes", 0, 1)
    derived = _DerivedCache(cache_root, vectors, prepared.paragraphs)
    result = derived.themes(texts, seeds, seeds_vectors, settings)
    if result is None:
        result = fit_themes(texts, vectors, seeds, seeds_vectors, settings, engine)
        derived.save_themes(result)
    timer.step("themes")
    coords = derived.layout(settings.random_seed)
    if coords is None:
        coords = layout_2d(vectors, settings.random_seed)
        derived.save_layout(coords)
    timer.step("layout")
    if progress:
        progress("themes", 1, 1)
    total = len(prepared.paragraphs)
    figures = derived.figures()
    if figures is None:
        figures = figures_in_parts(
            prepared.paragraphs, engine, done=_stage_progress(progress, "figures", total)
        )
        derived.save_figures(figures)
    timer.step("figures")
    paragraphs = prepared.paragraphs.copy()
    names = dict(zip(result.themes["theme_id"], result.themes["theme"], strict=False))
    paragraphs["theme_id"] = result.labels
    paragraphs["theme"] = [names[t] for t in result.labels]
    paragraphs["similarity"] = np.round(result.similarity.astype(np.float64), 4)
    paragraphs["x"], paragraphs["y"] = coords[:, 0], coords[:, 1]
    cached = derived.citations(kinds)
    if cached is None:
        sources, citations = citations_in_parts(
            prepared.paragraphs, kinds, engine, done=_stage_progress(progress, "sources", total)
        )
        derived.save_citations(sources, citations)
    else:
        sources, citations = cached
    sources = _with_themes(sources, citations, paragraphs)
    timer.step("sources")
    info = {
        "format_version": _FORMAT_VERSION,
        "model_id": getattr(embedder, "model_id", "unknown"),
        "model_key": model_key(embedder),
        "settings": settings.to_dict(),
        "seed_themes": [vars(s) | {"keywords": list(s.keywords)} for s in seeds],
        "source_kinds": source_kinds.to_dict(orient="records"),
        "corpus_hash": prepared.corpus_hash,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "counts": {
            "documents": len(prepared.documents),
            "articles": len(prepared.articles),
            "paragraphs": len(paragraphs),
            "duplicates_dropped": len(prepared.duplicates),
            "lines_removed": len(prepared.removed),
            "skipped_files": len(prepared.skipped),
            "embedded_now": embedded,
            "non_english": int((paragraphs["lang"] != "en").sum()),
            "figures": len(figures),
            "flows": int((figures["kind"] == "flow").sum()),
            "sources": len(sources),
            "citations": len(citations),
        },
        "other_share": round(result.other_share, 4),
        "discovered_themes": int((~result.themes["seeded"] & (result.themes["theme_id"] != OTHER_ID)).sum()),
        "k_scores": {str(k): v for k, v in result.k_scores.items()},
        "timings": timer.timings,
    }
    return Analysis(
        paragraphs=paragraphs[PARAGRAPH_COLUMNS],
        themes=result.themes,
        documents=prepared.documents,
        articles=prepared.articles,
        duplicates=prepared.duplicates,
        removed=prepared.removed,
        skipped=prepared.skipped,
        embeddings=vectors,
        texts=prepared.texts,
        info=info,
        figures=figures,
        sources=sources,
        citations=citations,
    )
