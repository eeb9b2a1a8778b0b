"""The build folder: each table stored once, as Parquet with its declared schema; the vectors once,
as a float16 matrix the dashboard maps into memory, and again as int8 codes for a search's first
reading (`VectorCodes`); how it was made in build.json.

float16 halves what a server holds once a search has read the vectors (1.5 GB of float32 at a
million paragraphs, 750 MB as float16); a unit vector's cosines move by under 0.001, below what
separates a result from the next. The build itself embeds, clusters and lays out in float32.
The codes are optional: a folder without them, or with codes that do not fit its vectors, is
searched on the vectors alone, with the same results.

CSV copies of the tables are written for people (spreadsheets, scripts, the claims benchmark's
scorer) and never read back. A folder is written beside its final place and renamed into it, so
a reader never sees half a build, and a dashboard that has the old vectors mapped keeps reading
the old file (renaming does not touch an open file's pages; rewriting it in place would).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from ..tables import SCHEMAS, Analysis, CorpusError, Provenance, VectorCodes, spreadsheet_csv

__all__ = ["BUILD_FILE", "CODES_FILE", "SCALES_FILE", "VECTORS_FILE", "is_build_folder", "load_analysis", "save_analysis"]

BUILD_FILE = "build.json"
VECTORS_FILE = "vectors.npy"
CODES_FILE = "vector_codes.npy"
SCALES_FILE = "vector_scales.npy"
# Tables kept in the Analysis under these names; "texts" is the documents' text.
_TABLES = ("paragraphs", "themes", "documents", "articles", "duplicates", "removed", "skipped",
           "figures", "sources", "citations")  # fmt: skip
# Columns builds of this format gained later; an earlier build reads back without them (see
# `_with_broad_themes`).
_ADDED_COLUMNS = {
    "themes": ("parent", "parent_theme"),
    "articles": ("in_themes",),
    "figures": ("status", "citation"),
    "citations": ("speaker", "citation", "start", "end"),
}
# Tables a build has only once it was updated; a folder without one reads back an empty table.
_OPTIONAL_TABLES = ("theme_changes",)
# Rows of the change record read back at most: one per theme and update, so far below this in
# any real build; a folder holding more is refused rather than read whole.
_MAX_CHANGE_ROWS = 100_000


def is_build_folder(folder: Path | str) -> bool:
    return (Path(folder) / BUILD_FILE).is_file()


def _typed(frame: pd.DataFrame, schema: dict[str, str]) -> pd.DataFrame:
    """`frame` with exactly the schema's columns (missing ones empty), each of its declared type:
    text never missing ("" instead), numbers as numbers (NaN where unknown)."""
    out = {}
    for column, kind in schema.items():
        values = frame[column] if column in frame.columns else pd.Series([None] * len(frame), dtype=object)
        values = values.reset_index(drop=True)
        if kind == "str":
            out[column] = values.where(values.notna(), "").astype(str)
        elif kind == "int":
            out[column] = pd.to_numeric(values, errors="coerce").fillna(0).astype("int64")
        elif kind == "float":  # float32 kept as it is (map coordinates): half the size, same values
            is_float = pd.api.types.is_float_dtype(values)
            out[column] = values if is_float else pd.to_numeric(values, errors="coerce").astype("float64")
        elif kind == "bool":
            out[column] = values.fillna(False).astype(bool)
        else:
            out[column] = values
    return pd.DataFrame(out, columns=list(schema))


def _themes_for_storage(analysis: Analysis) -> pd.DataFrame:
    """Representative paragraphs by pid ("pid pid pid"), not by row: rows change meaning when a
    table is filtered, pids do not."""
    pids = analysis.paragraphs["pid"]
    themes = analysis.themes.copy()
    themes["representative"] = [" ".join(pids.iloc[i] for i in rows) for rows in themes["representative"]]
    return themes


def save_analysis(analysis: Analysis, out: Path | str) -> Path:
    """Write the build folder `out` (replacing a build already there); `load_analysis` reopens it
    without embedding anything. Raises CorpusError if `out` holds something that is not a build."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not is_build_folder(out))):
        raise CorpusError(f"{out} exists and is not a build folder; choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.writing-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        _write(analysis, tmp)
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _write(analysis: Analysis, folder: Path) -> None:
    tables = {name: getattr(analysis, name) for name in (*_TABLES, *_OPTIONAL_TABLES)}
    tables["themes"] = _themes_for_storage(analysis)
    tables["texts"] = pd.DataFrame({"doc": list(analysis.texts), "text": list(analysis.texts.values())})
    for name, frame in tables.items():
        schema = dict(SCHEMAS[name])
        if name == "themes":
            schema["representative"] = "str"
        typed = _typed(frame, schema)
        typed.to_parquet(folder / f"{name}.parquet", index=False)
        if name != "texts":  # a CSV copy for people of each table but the documents' whole text
            spreadsheet_csv(frame.reindex(columns=list(schema)), folder / f"{name}.csv")
    stored = np.ascontiguousarray(analysis.embeddings, dtype=np.float16)
    np.save(folder / VECTORS_FILE, stored)
    # Coded from the stored float16 values: their bound holds for the vectors a search reads.
    codes = VectorCodes.of(stored)
    np.save(folder / CODES_FILE, codes.codes)
    np.save(folder / SCALES_FILE, codes.scales)
    (folder / BUILD_FILE).write_text(analysis.provenance.to_json(), encoding="utf-8")


def _read(folder: Path, name: str) -> pd.DataFrame:
    path = folder / f"{name}.parquet"
    if not path.is_file():
        raise CorpusError(f"{folder.name} is not a complete build folder ({path.name} is missing)")
    try:
        frame = _one_chunk_per_column(path)
    except Exception as error:  # pyarrow's, OSError, ValueError: any unreadable file is one reason
        raise CorpusError(f"{path.name} in {folder.name} cannot be read: {str(error).splitlines()[0][:200]}") from error
    missing = [c for c in SCHEMAS[name] if c not in frame.columns and c not in _ADDED_COLUMNS.get(name, ())]
    if missing:
        raise CorpusError(f"{path.name} in {folder.name} lacks columns {', '.join(missing)}")
    return frame


def _one_chunk_per_column(path: Path) -> pd.DataFrame:
    """`pd.read_parquet(path)` (the same frame), each column in one piece: Parquet is read in
    row groups, and a text column left in pieces is copied whole by every selection of its
    rows (taking 1,134 of a million paragraphs' texts: 0.23 s in 8 pieces, 0.006 s in one). Put
    together a column at a time, so that at most one column is held twice while loading; a text
    column too long for one piece (2 GiB) stays as read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    for index, name in enumerate(table.column_names):
        column = table.column(index)
        if column.num_chunks > 1:
            try:
                whole = column.combine_chunks()
            except (pa.ArrowInvalid, pa.ArrowCapacityError, OverflowError):
                continue
            table = table.set_column(index, name, pa.chunked_array([whole], type=column.type))
    return table.to_pandas()


def _with_broad_themes(themes: pd.DataFrame) -> pd.DataFrame:
    """A build made before themes had two levels: each theme its own broad theme."""
    if "parent" not in themes.columns or "parent_theme" not in themes.columns:
        return themes.assign(parent=themes["theme_id"], parent_theme=themes["theme"])
    parent = pd.to_numeric(themes["parent"], errors="coerce")
    return themes.assign(
        parent=parent.where(parent.notna(), themes["theme_id"]).astype("int64"),
        parent_theme=themes["parent_theme"].where(themes["parent_theme"].notna(), "").astype(str),
    )


def _change_record(folder: Path) -> pd.DataFrame:
    """The build's record of what its updates changed, typed as declared (an empty table for a
    build never updated)."""
    path = folder / "theme_changes.parquet"
    if not path.is_file():
        return _typed(pd.DataFrame(), SCHEMAS["theme_changes"])
    import pyarrow.parquet as pq

    try:
        rows = pq.read_metadata(path).num_rows  # counted from the footer, before reading it
    except Exception as error:  # pyarrow's, OSError: any unreadable file is one reason
        reason = (str(error).splitlines() or [type(error).__name__])[0][:200]
        raise CorpusError(f"{path.name} in {folder.name} cannot be read: {reason}") from error
    if rows > _MAX_CHANGE_ROWS:
        raise CorpusError(f"{path.name} in {folder.name} has {rows:,} rows; build it again with --refit")
    return _typed(_read(folder, "theme_changes"), SCHEMAS["theme_changes"])


def load_analysis(folder: Path | str, *, with_texts: bool = True) -> Analysis:
    """Reopen a build folder written by `save_analysis` (no model is loaded). Raises CorpusError
    with a one-line reason for a folder that is not a complete build of this version.

    `with_texts=False` leaves the documents' whole text unread (`texts` empty): the dashboard
    shows paragraphs, never whole documents, and at 100,000 paragraphs that text is 80 MiB and
    more of a server's memory."""
    folder = Path(folder)
    if not is_build_folder(folder):
        raise CorpusError(f"{folder.name} is not a build folder (no {BUILD_FILE})")
    try:
        values = json.loads((folder / BUILD_FILE).read_text(encoding="utf-8"))
        provenance = Provenance.from_dict(values)
    except (ValueError, TypeError, AttributeError) as error:
        raise CorpusError(f"{folder.name}/{BUILD_FILE} cannot be read: {str(error).splitlines()[0]}") from error
    if provenance.format_version != Provenance.format_version:
        raise CorpusError(
            f"{folder.name} was written by another version of this package (format "
            f"{provenance.format_version}, this one reads {Provenance.format_version}); build it again"
        )
    tables = {name: _read(folder, name) for name in _TABLES}
    paragraphs, themes = tables["paragraphs"], _with_broad_themes(tables["themes"])
    tables["themes"] = themes
    # Only the few representative paragraphs are looked up: a dict of every pid cost 1.4 s at a
    # million paragraphs.
    wanted = {pid for value in themes["representative"] for pid in str(value).split()}
    rows = np.flatnonzero(paragraphs["pid"].isin(wanted).to_numpy())
    row_of = dict(zip(paragraphs["pid"].to_numpy()[rows].tolist(), rows.tolist(), strict=True))
    themes["representative"] = [
        [row_of[p] for p in str(value).split() if p in row_of] for value in themes["representative"]
    ]
    vectors_path = folder / VECTORS_FILE
    if not vectors_path.is_file():
        raise CorpusError(f"{folder.name} is not a complete build folder ({VECTORS_FILE} is missing)")
    try:
        vectors = np.load(vectors_path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as error:
        raise CorpusError(f"{VECTORS_FILE} in {folder.name} cannot be read: {str(error).splitlines()[0][:200]}") from error
    if vectors.ndim != 2 or len(vectors) != len(paragraphs):
        raise CorpusError(
            f"{folder.name}: {len(vectors)} vectors for {len(paragraphs)} paragraphs; build it again"
        )
    texts = {}
    if with_texts:
        texts_table = _read(folder, "texts")
        texts = dict(zip(texts_table["doc"].tolist(), texts_table["text"].tolist(), strict=True))
    tables["theme_changes"] = _change_record(folder)
    # Reading Parquet leaves Arrow's allocator holding the pages of its peak (each column read
    # in row groups, then put together); handed back, a dashboard serving 100,000 paragraphs
    # holds 170 MiB less for as long as it runs.
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    return Analysis(
        **tables,
        embeddings=vectors,
        texts=texts,
        provenance=provenance,
        vector_codes=_vector_codes(folder, vectors),
    )


def _vector_codes(folder: Path, vectors: np.ndarray) -> VectorCodes | None:
    """The folder's int8 codes of its vectors (mapped, not read), or None when it has none (a
    build made before them) or they do not fit the vectors: a search then reads the vectors."""
    # Regular files only: a pipe or a device put in their place would block or never end.
    if not ((folder / CODES_FILE).is_file() and (folder / SCALES_FILE).is_file()):
        return None
    try:
        codes = VectorCodes(
            np.load(folder / CODES_FILE, mmap_mode="r", allow_pickle=False),
            # Mapped too: a file of the wrong size is refused below before anything is read.
            np.load(folder / SCALES_FILE, mmap_mode="r", allow_pickle=False),
        )
    except (OSError, ValueError):
        return None
    return codes if codes.matches(vectors) else None
