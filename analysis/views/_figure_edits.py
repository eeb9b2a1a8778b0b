"""An analyst's corrections to the extracted figures, kept *relative to* the extraction.

Figures are extracted from the text, never typed in; an analyst may still correct a misread
amount, delete a figure that is not a flow, or add one the rules missed. The corrections are
stored as a difference from the extracted table (rows deleted, cells changed, rows added)
rather than as a second table, so that they are small enough to travel in a link, and so that
what the analyst changed stays visible next to what the text says.

Rows of the extraction are named by their position in `figures.csv`: a build of the same
corpus with the same settings reproduces it, and the edits carry the corpus hash so that they
are never applied to another corpus.

A figure's bounds (low, high) follow its amount and qualifier as the extraction sets them: an
analyst who corrects "below 1.2 billion" to "below 2.45 billion" changes the amount, and the upper
bound moves with it unless they set it themselves (`figures_after_editing`; corrections that
change an amount or qualifier and name no bound get the bounds that follow, in
`apply_figure_edits`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..tables import FIGURE_COLUMNS
from ._balance import qualifier_bounds

__all__ = [
    "EDITABLE_FIGURE_COLUMNS",
    "FigureEdits",
    "apply_figure_edits",
    "figure_edits_between",
    "figures_after_editing",
    "figures_to_edit",
]

EDITABLE_FIGURE_COLUMNS = (
    "giver", "receiver", "amount", "unit", "qualifier", "low", "high", "what", "kind", "status", "source",
    "sentence",
)  # fmt: skip
_NUMBERS = frozenset({"amount", "low", "high"})
_BOUNDS = ("low", "high")
# Cells whose change moves the bounds (unless the bounds are given too).
_BOUND_BY = frozenset({"amount", "qualifier"})
# Kinds the editor shows unless the analyst asks for every figure: flows, and rows whose kind is
# not chosen yet (a row just added).
_FLOW_KINDS = frozenset({"flow", ""})
# Bounds on what a link may carry: a link is written by anyone, and parsing must stay cheap.
_MAX_ROWS = 2_000
_MAX_TEXT = 2_000
# The largest amount a correction may give: a thousand trillion (of any unit) is far above any
# budget or arsenal, and well inside the range where a float holds every whole number.
_MAX_AMOUNT = 1e15


@dataclass
class FigureEdits:
    """Deleted row ids, changed cells per row id, and added rows, for the corpus `corpus`."""

    corpus: str = ""
    deleted: tuple[int, ...] = ()
    changed: dict[int, dict[str, object]] = field(default_factory=dict)
    added: tuple[dict[str, object], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.deleted or self.changed or self.added)

    def to_json(self) -> str:
        """Compact, key-sorted JSON (short keys: it goes into links)."""
        payload = {
            "c": self.corpus,
            "d": sorted(self.deleted),
            "s": {str(row): dict(sorted(cells.items())) for row, cells in sorted(self.changed.items())},
            "a": [dict(sorted(row.items())) for row in self.added],
        }
        return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True)

    def digest(self) -> str:
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:12]

    @classmethod
    def from_json(cls, text: str) -> FigureEdits:
        """Parse `to_json`'s output; ValueError with a readable reason for anything else."""
        try:
            payload = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as error:
            raise ValueError("the figure corrections are not valid JSON") from error
        if not isinstance(payload, dict) or set(payload) - {"c", "d", "s", "a"}:
            raise ValueError("the figure corrections are not in the expected form")
        corpus = payload.get("c", "")
        deleted = payload.get("d", [])
        changed = payload.get("s", {})
        added = payload.get("a", [])
        if not isinstance(corpus, str) or len(corpus) > 128:
            raise ValueError("the figure corrections name no valid corpus")
        if not isinstance(deleted, list) or not all(_is_row_id(row) for row in deleted):
            raise ValueError("the deleted figures are not row numbers")
        if not isinstance(changed, dict) or not all(_is_row_id(row) for row in changed):
            raise ValueError("the changed figures are not keyed by row number")
        if not isinstance(added, list):
            raise ValueError("the added figures are not a list")
        if len(deleted) + len(changed) + len(added) > _MAX_ROWS:
            raise ValueError(f"more than {_MAX_ROWS} figure corrections")
        return cls(
            corpus=corpus,
            deleted=tuple(sorted({int(row) for row in deleted})),
            changed={int(row): _checked_cells(cells) for row, cells in changed.items()},
            added=tuple(_checked_cells(row) for row in added),
        )


def _is_row_id(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0
    return isinstance(value, str) and value.isdigit() and len(value) <= 9


def _checked_cells(cells) -> dict[str, object]:
    if not isinstance(cells, dict):
        raise ValueError("a figure correction is not a set of cells")
    unknown = set(cells) - set(EDITABLE_FIGURE_COLUMNS)
    if unknown:
        raise ValueError(f"a figure correction names unknown columns: {', '.join(sorted(unknown))[:80]}")
    checked: dict[str, object] = {}
    for column, value in cells.items():
        if column in _NUMBERS:
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise ValueError(f"the corrected {column} is not a number")
            if value is not None and _amount(value) is None:
                raise ValueError(f"the corrected {column} is not an amount between 0 and {_MAX_AMOUNT:,.0f}")
            checked[column] = None if value is None else _amount(value)
        else:
            if not isinstance(value, str):
                raise ValueError(f"the corrected {column} is not text")
            checked[column] = value[:_MAX_TEXT]
    return checked


def _cell(column: str, value) -> object:
    """A cell as the edits store it: float or None for numbers, str for text."""
    if column in _NUMBERS:
        return _amount(value)
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def _amount(value) -> float | None:
    """`value` as an amount: a finite number from 0 to _MAX_AMOUNT, else None. A 400-digit
    integer, NaN, infinity or a negative count is no amount (and float() of the first raises
    OverflowError, which would end every page that reads the link)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) and 0 <= number <= _MAX_AMOUNT else None


def apply_figure_edits(figures: pd.DataFrame, edits: FigureEdits | None) -> pd.DataFrame:
    """The extracted figures with the analyst's corrections: FIGURE_COLUMNS plus `figure`, the
    row's id in the extraction (missing for added rows). Ids the extraction does not have (a
    link made on a differently built corpus) are ignored."""
    table = figures.reindex(columns=FIGURE_COLUMNS).copy()
    table.insert(0, "figure", pd.array(range(len(table)), dtype="Int64"))
    if not edits:
        return table.reset_index(drop=True)
    for row, cells in edits.changed.items():
        if 0 <= row < len(table):
            for column, value in _with_bounds(cells, table.iloc[row]).items():
                table.loc[table.index[row], column] = math.nan if value is None else value
    keep = np.ones(len(table), dtype=bool)
    keep[[row for row in edits.deleted if 0 <= row < len(table)]] = False
    table = table.iloc[np.flatnonzero(keep)]
    if edits.added:
        added = pd.DataFrame(
            [{c: (math.nan if v is None else v) for c, v in _with_bounds(row).items()} for row in edits.added],
            index=range(len(edits.added)),
        ).reindex(columns=table.columns)
        added["figure"] = pd.array([None] * len(added), dtype="Int64")
        table = pd.concat([table, added], ignore_index=True)
    for column in FIGURE_COLUMNS:
        if column in _NUMBERS or column in ("article", "paragraph"):
            continue
        table[column] = _text_cells(table[column])
    return table.reset_index(drop=True)


def _text_cells(values: pd.Series) -> pd.Series:
    """`_cell` of every value of a text column, for whole columns at once: a build's figures
    table holds tens of thousands of rows, and a call per cell cost a second per page run."""
    missing = values.isna()
    if pd.api.types.is_string_dtype(values):
        return values.fillna("") if missing.any() else values
    if missing.all():  # a column the build lacks (made before it was added): no text anywhere
        return pd.Series("", index=values.index, dtype="str")
    return values.map(lambda v: _cell("text", v))


def _number_cells(values: pd.Series) -> pd.Series:
    """`_amount` of every value of a number column as floats (NaN for None), for whole columns:
    a pre-filter only, since equal floats here are equal amounts there."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    usable = numbers.notna() & (numbers >= 0) & (numbers <= _MAX_AMOUNT)
    return numbers.where(usable)


def _differing(table: pd.DataFrame, other: pd.DataFrame, columns) -> pd.Series:
    """Rows of `table` whose `columns` may hold other cells than the same rows of `other` (as
    `_cell` reads them). Never misses a difference; may name rows whose difference `_cell`
    then finds none, so the exact comparison runs on these rows only."""
    differ = pd.Series(False, index=table.index)
    for column in columns:
        if column in _NUMBERS:
            mine, theirs = _number_cells(table[column]), _number_cells(other[column])
            differ |= ~((mine == theirs.to_numpy()) | (mine.isna() & theirs.isna().to_numpy()))
        else:
            # Compared as the columns are (Arrow strings, mostly), not as Python objects.
            mine = _text_cells(table[column]).reset_index(drop=True)
            theirs = _text_cells(other[column]).reset_index(drop=True)
            differ |= (mine != theirs).to_numpy()
    return differ


def _following(amount, qualifier) -> dict[str, float | None]:
    """The bounds that follow an amount and qualifier, as the edits store them."""
    low, high = qualifier_bounds(math.nan if amount is None else amount, qualifier or "")
    return {"low": _amount(low), "high": _amount(high)}


def _with_bounds(cells: dict[str, object], row: pd.Series | None = None) -> dict[str, object]:
    """`cells` with the bounds that follow, where they change the amount or qualifier (of the
    extracted `row`, or of an added row) and give no bound of their own."""
    if row is not None and not _BOUND_BY & set(cells):
        return cells
    amount = cells.get("amount") if "amount" in cells or row is None else _amount(row.get("amount"))
    if amount is None and row is None:
        return cells  # an added row without an amount has no bounds to follow
    qualifier = cells.get("qualifier") if "qualifier" in cells or row is None else _cell("qualifier", row.get("qualifier"))
    following = _following(amount, qualifier)
    return {**{b: following[b] for b in _BOUNDS if b not in cells}, **cells}


def figure_edits_between(figures: pd.DataFrame, edited: pd.DataFrame, corpus: str) -> FigureEdits:
    """The corrections that turn the extracted `figures` into `edited` (a table shaped like
    `apply_figure_edits`' output, as an editor returns it). Rows keep their id in `figure`;
    rows without one are added rows; blank added rows are dropped."""
    original = figures.reindex(columns=FIGURE_COLUMNS).reset_index(drop=True)
    ids = edited["figure"] if "figure" in edited else pd.Series([None] * len(edited), index=edited.index)
    numeric_ids = pd.to_numeric(ids, errors="coerce").astype("float64")
    known = numeric_ids.notna() & (numeric_ids >= 0) & (numeric_ids < len(original))
    # The extracted rows the table still has, marked in an array: a set of every row id took a
    # tenth of a second of each edit at 770,000 figures.
    absent = np.ones(len(original), dtype=bool)
    absent[numeric_ids[known].astype("int64").to_numpy()] = False
    # Rows kept as extracted are most rows: compared column by column at once, and only the rows
    # that may differ, and the added ones, compared cell by cell below.
    rows = edited[known].reindex(columns=EDITABLE_FIGURE_COLUMNS)
    same_rows = original.loc[numeric_ids[known].astype("int64").to_numpy(), list(EDITABLE_FIGURE_COLUMNS)]
    same_rows.index = rows.index
    looked_at = ids[~known | _differing(rows, same_rows, EDITABLE_FIGURE_COLUMNS).reindex(ids.index, fill_value=True)]
    changed: dict[int, dict[str, object]] = {}
    added: list[dict[str, object]] = []
    for index, figure_id in looked_at.items():
        row = edited.loc[index]
        cells = {c: _cell(c, row.get(c)) for c in EDITABLE_FIGURE_COLUMNS}
        if figure_id is None or pd.isna(figure_id) or not 0 <= int(figure_id) < len(original):
            if any(v not in (None, "") for v in cells.values()):
                kept = {c: v for c, v in cells.items() if v not in (None, "")}
                added.append(_bounds_kept(kept, cells))
            continue
        figure_id = int(figure_id)
        diff = {c: v for c, v in cells.items() if v != _cell(c, original.loc[figure_id, c])}
        if diff:
            changed[figure_id] = _bounds_kept(diff, cells, original.loc[figure_id])
    deleted = tuple(np.flatnonzero(absent).tolist())
    return FigureEdits(corpus=corpus, deleted=deleted, changed=changed, added=tuple(added))


def _bounds_kept(diff: dict[str, object], cells: dict[str, object], row: pd.Series | None = None) -> dict[str, object]:
    """`diff` with the bounds `cells` hold where they are not the ones that would follow its
    amount and qualifier: applying the edits then gives back exactly the edited table."""
    following = _with_bounds(diff, row)
    kept = {b: cells[b] for b in _BOUNDS if b in following and b not in diff and following[b] != cells[b]}
    return {**diff, **kept}


def figures_to_edit(table: pd.DataFrame, include_other: bool = False) -> pd.DataFrame:
    """The rows of `table` (as `apply_figure_edits` gives it) an editor offers: the flows (and
    rows whose kind is not chosen yet), or every figure with `include_other`. Adds `row`, the
    row's position in `table`, by which `figures_after_editing` puts the edited rows back."""
    rows = table.reset_index(drop=True)
    rows.insert(0, "row", pd.array(range(len(rows)), dtype="Int64"))
    if include_other:
        return rows
    return rows[_text_cells(rows["kind"]).isin(_FLOW_KINDS)]


def figures_after_editing(
    table: pd.DataFrame, edited: pd.DataFrame, include_other: bool = False, offered: Sequence[int] | None = None
) -> tuple[pd.DataFrame, int]:
    """The whole figures table after an editor offered `figures_to_edit(table, include_other)`
    (or, given `offered`, those of its rows: a page of them) and handed back `edited`: the rows it
    did not offer as they were, the offered ones as edited (deleted ones gone, added ones at the
    end), and bounds that follow.

    Bounds follow as the extraction sets them (`qualifier_bounds`): on a row whose amount or
    qualifier the analyst changed, a bound they left as it was moves with the amount ("less
    than": the high bound is the amount; "at least": the low bound; otherwise both); a bound they
    changed is theirs. A row added with an amount and no bounds gets the bounds that follow.
    Returns the table (columns of `table`) and how many rows' bounds followed."""
    before = table.reset_index(drop=True)
    if offered is None:
        offered = figures_to_edit(before, include_other)["row"]
    offered = {int(row) for row in offered}
    rows = edited.reset_index(drop=True).copy()
    positions = rows["row"] if "row" in rows else pd.Series([pd.NA] * len(rows), dtype="Int64")
    followed = 0
    # Only a row whose amount or qualifier may have changed, or a new one, can move its bounds:
    # the others (nearly all) are ruled out column by column at once.
    numeric = pd.to_numeric(positions, errors="coerce").astype("float64")
    offered_rows = numeric.isin(list(offered))
    at = before.reindex(columns=list(_BOUND_BY)).loc[numeric[offered_rows].astype("int64").to_numpy()]
    at.index = rows.index[offered_rows.to_numpy()]
    mine = rows[offered_rows.to_numpy()].reindex(columns=list(_BOUND_BY))
    moving = _differing(mine, at, _BOUND_BY).reindex(rows.index, fill_value=True)
    for index, position in positions[moving.to_numpy()].items():
        row = rows.loc[index]
        known = not pd.isna(position) and int(position) in offered
        was = before.loc[int(position)] if known else None
        if was is not None:
            moved = any(_cell(c, row.get(c)) != _cell(c, was.get(c)) for c in _BOUND_BY)
            free = [b for b in _BOUNDS if _cell(b, row.get(b)) == _cell(b, was.get(b))]
        else:
            moved = _amount(row.get("amount")) is not None
            free = list(_BOUNDS) if all(_amount(row.get(b)) is None for b in _BOUNDS) else []
        if not moved or not free:
            continue
        following = _following(_amount(row.get("amount")), _cell("qualifier", row.get("qualifier")))
        changes = {b: following[b] for b in free if following[b] != _amount(row.get(b))}
        for bound, value in changes.items():
            rows.loc[index, bound] = math.nan if value is None else value
        followed += bool(changes)
    known = numeric[offered_rows].astype("int64").to_numpy()
    if offered_rows.all() and len(set(known)) == len(known) == len(offered):
        # No row added or deleted (an edited cell, the usual case): the changed cells are put in
        # place, not the whole table rebuilt (reordering tens of thousands of sentences cost
        # half a second a run).
        return _with_rows_in_place(before, rows.drop(columns=["row"], errors="ignore"), known), followed
    kept = before.drop(index=[p for p in offered if p in before.index])
    order = pd.concat(
        [
            pd.Series(kept.index, dtype="float64"),
            positions.astype("Float64").fillna(math.inf).astype("float64"),
        ],
        ignore_index=True,
    )
    whole = pd.concat([kept, rows.drop(columns=["row"], errors="ignore")], ignore_index=True)
    whole = whole.iloc[order.argsort(kind="stable")].reset_index(drop=True)
    return whole.reindex(columns=before.columns), followed


def _with_rows_in_place(table: pd.DataFrame, rows: pd.DataFrame, positions) -> pd.DataFrame:
    """`table` with `rows` (same columns, as an editor hands them back) at `positions`; only the
    columns where some cell differs are rewritten."""
    whole = table.copy(deep=False)  # columns are copied when written (copy on write)
    for column in [c for c in rows.columns if c in whole.columns]:
        old = whole[column].iloc[positions].tolist()
        new = rows[column].tolist()
        if all(_same(a, b) for a, b in zip(old, new, strict=True)):
            continue
        values = whole[column].to_numpy(dtype=object, copy=True)
        values[positions] = rows[column].to_numpy(dtype=object)
        kind = whole[column].dtype
        whole[column] = pd.Series(values, index=whole.index, dtype="float64" if kind == "float64" else object)
    return whole


def _same(a, b) -> bool:
    """Two cells hold the same value, missing ones (None, NaN, NA) being alike."""
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    return bool(a == b)


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
