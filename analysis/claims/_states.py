"""The table of states, blocs and organisations and their aliases (names, capitals, demonyms,
leaders), shipped in resources/states.csv and extendable by the analyst, and the regular
expression that finds them in a sentence."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..lookups import read_table_file

STATES_FILE = Path(__file__).resolve().parent.parent / "resources" / "states.csv"
# What an alias is of its state: its name, its official name, a code, its capital, its
# government or leader ("the Kremlin", "Putin"), its adjective ("Russian"), a name that means it
# only in context ("the North"), or an organisation or bloc's own name.
STATE_KINDS = ("name", "official", "iso", "code", "capital", "government", "leader", "adjective", "contextual",
               "organisation")  # fmt: skip
STATE_COLUMNS = ["state", "alias", "kind", "context"]
_LONGEST_ALIAS = 100
_MOST_ROWS = 20_000
_SHOWN_PROBLEMS = 3


@dataclass(frozen=True)
class StateAlias:
    state: str
    alias: str
    kind: str  # name, official, iso, code, capital, government, leader, adjective, contextual, organisation
    context: str  # regex that must match the sentence or the one before it ("" = always)


def load_states(path: Path | str | None = None) -> list[StateAlias]:
    """The editable table of states and aliases (columns state, iso3, alias, kind, context)."""
    with open(path or STATES_FILE, encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("alias", "").strip()]
    return [
        StateAlias(
            state=row["state"].strip(),
            alias=row["alias"].strip(),
            kind=(row.get("kind") or "name").strip(),
            context=(row.get("context") or "").strip(),
        )
        for row in rows
    ]


def read_states(source: str | Path | bytes) -> pd.DataFrame:
    """An analyst's own states table from a CSV file (a path, or its bytes): columns state and
    alias, and optionally kind (one of STATE_KINDS; name when empty) and context (words, any
    of which must be in the sentence or the article before it for the alias to count, separated
    by "|"). Its rows are added to the shipped table's; a row whose alias the shipped table has
    replaces that row. Raises ValueError with a one-line reason when the file, or any row of it,
    cannot be used."""
    table, where = read_table_file(source, "states", "state,alias,kind,context")
    return checked_states(table, where)


def checked_states(table: pd.DataFrame, where: str = "states table") -> pd.DataFrame:
    """`table`'s rows as STATE_COLUMNS, spacing tidied and kind in lower case; raises ValueError
    naming the first rows that cannot be used (no state, no alias, an unknown kind, an alias
    longer than 100 characters or given twice)."""
    columns = {str(c).strip().lower(): c for c in table.columns}
    if not {"state", "alias"} <= set(columns):
        found = ", ".join(map(str, table.columns)) or "none"
        raise ValueError(f"{where}: a states table needs the columns state and alias (found: {found})")
    if len(table) > _MOST_ROWS:
        raise ValueError(f"{where}: {len(table):,} rows, more than the {_MOST_ROWS:,} a states table may have")

    def cells(name: str) -> list[str]:
        values = table[columns[name]] if name in columns else [""] * len(table)
        return [" ".join(str(v).split()) if isinstance(v, str) else "" for v in values]

    rows, problems, seen = [], [], {}
    for number, (state, alias, kind, context) in enumerate(
        zip(cells("state"), cells("alias"), cells("kind"), cells("context"), strict=True), 1
    ):
        kind = kind.lower() or "name"
        if not (state or alias):
            continue
        if not state or not alias:
            problems.append(f"row {number}: no {'state' if not state else 'alias'}")
        elif kind not in STATE_KINDS:
            problems.append(f"row {number} ({alias!r}): unknown kind {kind!r}; choose one of {', '.join(STATE_KINDS)}")
        elif len(alias) > _LONGEST_ALIAS or len(state) > _LONGEST_ALIAS:
            problems.append(f"row {number}: longer than {_LONGEST_ALIAS} characters")
        elif alias in seen:
            problems.append(f"row {number} ({alias!r}): alias given already in row {seen[alias]}")
        else:
            seen[alias] = number
            words = [w.strip() for w in context.split("|") if w.strip()]
            rows.append((state, alias, kind, "|".join(words)))
    if problems:
        more = len(problems) - _SHOWN_PROBLEMS
        raise ValueError(f"{where}: " + "; ".join(problems[:_SHOWN_PROBLEMS]) + (f"; and {more} more" if more > 0 else ""))
    return pd.DataFrame(rows, columns=STATE_COLUMNS, dtype=str)


def analyst_states(rows: pd.DataFrame | Sequence[Mapping[str, str]] | None) -> tuple[StateAlias, ...]:
    """An analyst's rows (`checked_states`'s table, or its records as build.json keeps them) as
    aliases. Their context words are matched as words, never as patterns: the file is the
    analyst's, and a pattern can take any time to match."""
    if rows is None:
        return ()
    table = checked_states(rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows), columns=STATE_COLUMNS))
    aliases: dict[str, StateAlias] = {}
    for state, alias, kind, context in table.itertuples(index=False):
        words = "|".join(re.escape(word) for word in context.split("|") if word)
        # Aliases match case-sensitively: "the Duchy" also as a sentence starts it.
        for written in (alias, alias[0].upper() + alias[1:]):
            aliases.setdefault(written, StateAlias(state=state, alias=written, kind=kind, context=words))
    return tuple(aliases.values())


# The alias regex of a states table and the alias each of its matches stands for.
StateMatcher = tuple[re.Pattern[str], dict[str, StateAlias]]


def state_matcher(path: Path | str | None = None, extra: tuple[StateAlias, ...] = ()) -> StateMatcher:
    """The alias regex of a states table with an analyst's `extra` aliases over it (an alias of
    both is the analyst's); rebuilt when the analyst edits the file."""
    path = Path(path or STATES_FILE)
    return _compiled_states(str(path), path.stat().st_mtime_ns, extra)


@lru_cache(maxsize=4)
def _compiled_states(path: str, _mtime: int, extra: tuple[StateAlias, ...] = ()) -> StateMatcher:
    aliases = {a.alias: a for a in (*load_states(path), *extra)}
    # Longest first, so "North Korean" wins over "North Korea" and "Russian" over "Russia".
    ordered = sorted(aliases, key=len, reverse=True)
    # Grouped by first character ("R(?:ussian|ussia|...)|S(?:...)"): the engine then tries only
    # the aliases that can start at a position, not all 500 (9x faster). Aliases with different
    # first characters never match at the same place, so the first alias to match is unchanged.
    by_first: dict[str, list[str]] = {}
    for alias in ordered:
        by_first.setdefault(alias[0], []).append(alias[1:])
    body = "|".join(
        re.escape(first) + "(?:" + "|".join(re.escape(rest) for rest in rests) + ")"
        for first, rests in by_first.items()
    )
    # Case-sensitive: "US" is a state, "us" is not. "US$" and "USD" are currencies.
    pattern = re.compile(rf"(?<![\w$])(?:{body})(?![\w$]|-(?:based|led|made|backed)\b)")
    return pattern, aliases
