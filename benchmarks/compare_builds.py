"""Compare two build folders table by table: the same findings, whatever format each was stored in.

    python benchmarks/compare_builds.py OLD_BUILD NEW_BUILD

Used to show that a change of code layout or storage changed no result: every table is read from
its Parquet file when the folder has one, else from its CSV (builds before the tables were
stored once as Parquet), all cells compared as text, and the vectors bit for bit. What a build
records about when and how fast it ran (build time, timings, how much was embedded now) and the
storage format's version are not compared. Prints one line per table and exits 1 if any differ.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

TABLES = ("paragraphs", "themes", "documents", "articles", "duplicates", "removed", "skipped",
          "figures", "sources", "citations")  # fmt: skip
# Provenance that says when and how fast a build ran, or how it was stored: not what it found.
NOT_COMPARED = {"built_at", "timings", "format_version"}


def _table(folder: Path, name: str) -> pd.DataFrame:
    parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
    if parquet.exists():
        frame = pd.read_parquet(parquet)
        if csv.exists():  # an older build's Parquet held only some columns of the CSV
            columns = pd.read_csv(csv, nrows=0).columns
            if len(columns) > len(frame.columns):
                frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    else:
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    return _as_text(frame)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as the text a CSV would hold: numbers written the same way whatever their type."""

    def cell(value) -> str:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return ""
        text = str(bool(value)) if isinstance(value, (bool, np.bool_)) else str(value)
        try:  # 3, 3.0 and "3.0" are one number, whichever type a format kept
            number = float(text)
        except ValueError:
            return text
        return str(int(number)) if number.is_integer() else repr(number)

    frame = frame.copy()
    for column in frame.columns:  # float32 as a CSV writes it: its shortest repr, not float64's
        if frame[column].dtype == np.float32:
            frame[column] = [str(value) for value in frame[column].to_numpy()]
    return frame.astype(object).map(cell)


def _vectors(folder: Path) -> np.ndarray:
    if (folder / "vectors.npy").exists():
        return np.load(folder / "vectors.npy")
    raise FileNotFoundError(f"{folder}: no vectors.npy")


def _provenance(folder: Path) -> dict:
    values = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    values = {k: v for k, v in values.items() if k not in NOT_COMPARED}
    values.setdefault("counts", {}).pop("embedded_now", None)
    return values


def compare(old: Path, new: Path) -> list[str]:
    """One line per table ("same" or what differs)."""
    lines = []
    for name in TABLES:
        a, b = _table(old, name), _table(new, name)
        if list(a.columns) != list(b.columns):
            lines.append(f"{name}: columns differ: {list(a.columns)} against {list(b.columns)}")
        elif a.shape != b.shape:
            lines.append(f"{name}: {a.shape[0]} rows against {b.shape[0]}")
        else:
            unequal = (a.reset_index(drop=True) != b.reset_index(drop=True)).any(axis=1)
            if unequal.any():
                first = int(np.flatnonzero(unequal.to_numpy())[0])
                lines.append(f"{name}: {int(unequal.sum())} of {len(a)} rows differ, first row {first}")
            else:
                lines.append(f"{name}: same ({len(a)} rows)")
    va, vb = _vectors(old), _vectors(new)
    same = va.shape == vb.shape and np.array_equal(va, vb)
    lines.append(f"vectors: {'same' if same else 'differ'} {vb.shape}")
    pa, pb = _provenance(old), _provenance(new)
    differ = sorted(key for key in pa.keys() | pb.keys() if pa.get(key) != pb.get(key))
    lines.append(f"provenance: differs in {', '.join(differ)}" if differ else "provenance: same")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args()
    lines = compare(args.old, args.new)
    print("\n".join(lines))
    sys.exit(0 if all(": same" in line for line in lines) else 1)


if __name__ == "__main__":
    main()
