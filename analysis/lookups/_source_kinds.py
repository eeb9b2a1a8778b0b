"""The table of source kinds: who a named source is (state media, think tank, government,
military, intelligence agency, international organisation, news outlet, person, other), shipped
in resources/source_kinds.csv and extendable by the analyst."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..tables import KIND_COLUMNS, KINDS, PROBLEM_COLUMNS, is_formula_like
from ._files import read_table_file

SHIPPED_KINDS = Path(__file__).resolve().parent.parent / "resources" / "source_kinds.csv"

# Nationality adjectives before a name ("Chinese Xinhua"); also titles' first words.
NATIONALITIES = frozenset(
    "American Chinese Russian Korean Japanese Taiwanese Ukrainian British French German Indian "
    "Iranian Israeli Australian Canadian European Vietnamese Mongolian Philippine Filipino Syrian "
    "North South US U.S. UK U.K. EU".split()
)

# Kinds whose members are institutions a cited person can speak for ("a fellow at the Sejong
# Institute"): the institution is then cited too, with the verb "affiliation".
ORG_KINDS = frozenset(
    {"state media", "think tank", "government", "military", "intelligence agency", "international organisation", "news outlet"}
)


# --- the kinds table -----------------------------------------------------------------------

# A spreadsheet runs a cell starting with one of these as a formula; a table written for the
# analyst to download prefixes such cells with an apostrophe, and reading one drops it again.
_SHOWN_PROBLEMS = 3


def _cell(value: object) -> str:
    """A table cell as text: missing values (an editor's new row) are empty, spacing is one
    space, and the apostrophe a downloaded table put before a formula-like cell is dropped."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = " ".join(str(value).split())
    if text.startswith("'") and is_formula_like(text[1:]):
        text = text[1:]
    return text


def check_source_kinds(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(usable rows, problems) of an analyst's kinds table.

    `table` has the columns name and kind, and optionally aliases (separated by "|"); other
    columns are ignored. Usable rows have KIND_COLUMNS with spacing tidied, kind in lower case
    and empty aliases dropped. `problems` has one row per row of `table` that is not used (a row
    without a name, without a kind, with a kind not in KINDS, or naming a source that a row above
    already names), with PROBLEM_COLUMNS: row (counted from 1 in the table's order), name and
    problem ("unknown kind 'thinktank'; choose one of ..."). Rows with every cell empty (an
    editor's new row) are skipped without a word. Raises ValueError when the name or kind column
    is missing."""
    columns = {str(c).strip().lower(): c for c in table.columns}
    if not {"name", "kind"} <= set(columns):
        found = ", ".join(map(str, table.columns)) or "none"
        raise ValueError(f"a source kinds table needs the columns name and kind (found: {found})")
    rows, problems, seen = [], [], {}
    aliases = table[columns["aliases"]] if "aliases" in columns else [""] * len(table)
    for number, (name, kind, alias) in enumerate(
        zip(table[columns["name"]], table[columns["kind"]], aliases, strict=True), 1
    ):
        name, kind = _cell(name), _cell(kind).lower()
        alias = "|".join(a for a in (_cell(a) for a in _cell(alias).split("|")) if a)
        if not (name or kind or alias):
            continue
        if not name:
            problems.append((number, name, "no name"))
        elif not kind:
            problems.append((number, name, f"no kind; choose one of {', '.join(KINDS)}"))
        elif kind not in KINDS:
            problems.append((number, name, f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}"))
        elif _key(name) in seen:
            problems.append((number, name, f"named already in row {seen[_key(name)]}"))
        else:
            seen[_key(name)] = number
            rows.append((name, kind, alias))
    usable = pd.DataFrame(rows, columns=KIND_COLUMNS, dtype=str)
    return usable, pd.DataFrame(problems, columns=PROBLEM_COLUMNS).astype({"row": int})


def usable_source_kinds(table: pd.DataFrame, where: str) -> pd.DataFrame:
    try:
        rows, problems = check_source_kinds(table)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    if len(problems):
        lines = [
            f"row {row}" + (f" ({name!r})" if name else "") + f": {problem}"
            for row, name, problem in problems.head(_SHOWN_PROBLEMS).itertuples(index=False)
        ]
        more = len(problems) - _SHOWN_PROBLEMS
        raise ValueError(f"{where}: " + "; ".join(lines) + (f"; and {more} more" if more > 0 else ""))
    return rows


def read_source_kinds(source: str | Path | bytes) -> pd.DataFrame:
    """An analyst's kinds table from a CSV file, given as a path or as the file's bytes (an
    upload): columns name, kind and optionally aliases (separated by "|"); a row with the name
    of a shipped row replaces it. Checked as `check_source_kinds` does, but strictly: raises
    ValueError with a one-line reason when the file, or any row of it, cannot be used."""
    table, where = read_table_file(source, "source kinds", "name,kind,aliases")
    return usable_source_kinds(table, where)


def load_source_kinds(
    extra: str | Path | pd.DataFrame | Sequence[Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """The shipped table (name, kind, aliases; aliases split by "|"), with the analyst's
    `extra` table merged over it: a row with the same name replaces the shipped row. `extra` is
    a CSV file, a DataFrame with those columns, or their rows as records (as build.json keeps
    them in "source_kinds"). Raises ValueError with a one-line reason when the extra table cannot
    be used (see `read_source_kinds`)."""
    table = read_source_kinds(SHIPPED_KINDS)
    if isinstance(extra, list | tuple):
        extra = pd.DataFrame(list(extra), columns=KIND_COLUMNS)
    if isinstance(extra, pd.DataFrame):
        added = usable_source_kinds(extra, "source kinds table")
    elif extra is not None and str(extra).strip():
        added = read_source_kinds(extra)
    else:
        return table
    return merge_source_kinds(table, added) if len(added) else table


def merge_source_kinds(table: pd.DataFrame, added: pd.DataFrame) -> pd.DataFrame:
    """`added` over `table`: a row of `added` replaces the row of `table` with the same name."""
    replaced = set(added["name"].map(_key))
    kept = table[~table["name"].map(_key).isin(replaced)]
    return pd.concat([kept, added], ignore_index=True)[KIND_COLUMNS].reset_index(drop=True)


def source_kinds_csv(table: pd.DataFrame) -> bytes:
    """An analyst's kinds table as the CSV file `read_source_kinds` and `--source-kinds` read
    (UTF-8, columns name, kind, aliases). A cell a spreadsheet would run as a formula is
    prefixed with an apostrophe, which reading the file drops again."""

    def inert(value: object) -> str:
        text = _cell(value)
        return f"'{text}" if is_formula_like(text) else text

    return table.reindex(columns=KIND_COLUMNS).map(inert).to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC).encode("utf-8")


def _key(name: str) -> str:
    """How names are compared: case, curly quotes, a leading "the" and spacing do not count."""
    text = name.replace("’", "'").replace("‘", "'").casefold()
    text = re.sub(r"^the\s+", "", " ".join(text.split()))
    return text.strip(" ,.")


@dataclass(frozen=True)
class KindTable:
    """Name or alias -> (canonical name, kind)."""

    entries: dict[str, tuple[str, str]]
    # Names looked up before and their answers: a corpus names the same sources again and again.
    _seen: dict[str, tuple[str, str] | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> KindTable:
        entries: dict[str, tuple[str, str]] = {}
        # Later rows win, so an analyst's row (merged last) can claim an alias.
        for name, kind, aliases in frame[KIND_COLUMNS].itertuples(index=False):
            name, kind = str(name).strip(), str(kind).strip().lower()
            for alias in [name, *str(aliases or "").split("|")]:
                if alias.strip():
                    entries[_key(alias)] = (name, kind)
        return cls(entries)

    def lookup(self, name: str) -> tuple[str, str] | None:
        """The table's row for a name as written, also after a possessive ("South Korea's
        Ministry of Unification") or a nationality adjective ("Chinese Xinhua")."""
        if name in self._seen:
            return self._seen[name]
        if len(self._seen) >= _SEEN:
            self._seen.clear()
        found = self._seen[name] = self._find(name)
        return found

    def _find(self, name: str) -> tuple[str, str] | None:
        key = _key(name)
        if key in self.entries:
            return self.entries[key]
        tail = re.split(r"'s\s+", key)[-1]
        if tail != key and tail in self.entries:
            return self.entries[tail]
        words = key.split(" ", 1)
        if len(words) == 2 and words[0].capitalize() in NATIONALITIES and words[1] in self.entries:
            return self.entries[words[1]]
        return None


_SEEN = 50_000  # names a table remembers looking up


@lru_cache(maxsize=1)
def shipped_kind_table() -> KindTable:
    return KindTable.from_frame(load_source_kinds())


def kind_table_for(kinds: pd.DataFrame | None) -> KindTable:
    return shipped_kind_table() if kinds is None else KindTable.from_frame(kinds)


