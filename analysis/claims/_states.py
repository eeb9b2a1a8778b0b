"""The editable table of states and their aliases (names, capitals, demonyms, leaders), and the
regular expression that finds them in a sentence."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

STATES_FILE = Path(__file__).resolve().parent.parent / "resources" / "states.csv"


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


# The alias regex of a states table and the alias each of its matches stands for.
StateMatcher = tuple[re.Pattern[str], dict[str, StateAlias]]


def state_matcher(path: Path | str | None = None) -> StateMatcher:
    """The alias regex of a states table; rebuilt when the analyst edits the file."""
    path = Path(path or STATES_FILE)
    return _compiled_states(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _compiled_states(path: str, _mtime: int) -> StateMatcher:
    aliases = {a.alias: a for a in load_states(path)}
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
