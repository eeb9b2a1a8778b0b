"""What changed in the themes when a build was updated: the latest update's rows in words, and
each theme's size across the builds, from the change record a build keeps (`theme_changes`).

Themes are called by their names in the view the analyst has (renamed and merged themes
followed); a theme gone since is called by the name it had.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..tables import OTHER_ID
from ._wording import counted

__all__ = ["CHANGE_ORDER", "HISTORY_COLUMNS", "WHAT_CHANGED_COLUMNS", "changes_summary", "theme_history", "what_changed"]

# The order rows are listed in: what is new first, what is gone last.
CHANGE_ORDER = ("born", "merged", "split", "grown", "shrunk", "unchanged", "gone")
WHAT_CHANGED_COLUMNS = ["theme", "change", "before", "after", "new", "what", "theme_id"]
HISTORY_COLUMNS = ["update", "build", "built_at", "theme_id", "theme", "paragraphs"]


def _latest(changes: pd.DataFrame) -> pd.DataFrame:
    if changes.empty:
        return changes
    return changes[changes["update"] == changes["update"].max()]


def _kept_ids(themes: pd.DataFrame, merges: Sequence[Sequence[int]], known: set[int]) -> dict[int, int]:
    """Theme id -> the id it is shown under: itself, or, merged away by the analyst, the merged
    group's smallest known id (as `apply_theme_edits` keeps it)."""
    shown = {int(t) for t in themes["theme_id"]}
    kept = {theme_id: theme_id for theme_id in shown}
    for group in merges:
        ids = sorted({int(i) for i in group} & known)
        if len(ids) >= 2 and ids[0] in shown:
            kept.update({i: ids[0] for i in ids})
    return kept


def _wording(row) -> str:
    before, after, joined, left = int(row.before), int(row.after), int(row.joined), int(row.left)
    if row.change == "born":
        earlier = int(row.kept)
        return f"New: {counted(after, 'paragraph')}" + (
            f" ({joined:,} new to the corpus, {earlier:,} earlier)" if earlier else ", all new to the corpus"
        )
    if row.change == "grown":
        return f"Grew from {before:,} to {counted(after, 'paragraph')} ({joined:,} new)"
    if row.change == "shrunk":
        return f"Shrank from {before:,} to {counted(after, 'paragraph')} ({left:,} left it)"
    if row.change == "unchanged":
        return f"Unchanged: {counted(after, 'paragraph')}"
    if row.change == "merged":
        return f"Merged from {row.earlier_themes}: {before:,} paragraphs before, {after:,} now"
    if row.change == "split":
        return f"Split from {row.earlier_themes} ({before:,} paragraphs before): {after:,} here now"
    if row.change == "gone":
        return f"Gone: its {counted(before, 'paragraph')} left the corpus or fit no theme now"
    return str(row.change)


def what_changed(changes: pd.DataFrame, themes: pd.DataFrame, merges: Sequence[Sequence[int]] = ()) -> pd.DataFrame:
    """The latest update's change record, a row per theme (born, merged, split, grown, shrunk,
    unchanged, gone; "Other" last) with its paragraphs before and after, those new to the corpus,
    and what happened in words. `themes` is the themes table as shown (renames and `merges`
    applied). Empty for a build that was never updated."""
    latest = _latest(changes)
    if latest.empty:
        return pd.DataFrame(columns=WHAT_CHANGED_COLUMNS)
    names = dict(zip(themes["theme_id"].astype(int), themes["theme"].astype(str), strict=True))
    present = latest[latest["change"] != "gone"]
    kept = _kept_ids(themes, merges, {int(t) for t in present["theme_id"]})
    rows = []
    for row in latest.itertuples(index=False):
        theme_id = int(row.theme_id)
        if row.change == "gone":
            name = str(row.theme)
        else:
            name = names.get(kept.get(theme_id, theme_id), str(row.theme))
        rows.append(
            {
                "theme": name,
                "change": str(row.change),
                "before": int(row.before),
                "after": int(row.after),
                "new": int(row.joined),
                "what": _wording(row),
                "theme_id": theme_id,
                "_order": (theme_id == OTHER_ID, CHANGE_ORDER.index(row.change) if row.change in CHANGE_ORDER else 99),
            }
        )
    table = pd.DataFrame(rows).sort_values(["_order", "after", "theme_id"], ascending=[True, False, True], kind="stable")
    return table[WHAT_CHANGED_COLUMNS].reset_index(drop=True)


def changes_summary(changes: pd.DataFrame) -> str:
    """One line on the latest update, numbers and dates only: "Update 2, 2 Dec 2026, over the
    build of 25 Nov 2026: 1 theme born, 4 grown; 312 new paragraphs, 95 in new themes." ("" for a
    build never updated)."""
    latest = _latest(changes)
    if latest.empty:
        return ""
    update = int(latest["update"].iloc[0])
    when = pd.to_datetime(latest["built_at"].iloc[0], errors="coerce", utc=True)
    since = pd.to_datetime(latest["since"].iloc[0], errors="coerce", utc=True)
    dates = (f", {when:%d %b %Y}" if not pd.isna(when) else "") + (
        f", over the build of {since:%d %b %Y}" if not pd.isna(since) else ""
    )
    tally = latest["change"].value_counts()
    parts = [
        f"{counted(int(tally[change]), 'theme')} {change}" if index == 0 else f"{int(tally[change]):,} {change}"
        for index, change in enumerate(c for c in CHANGE_ORDER if c in tally.index)
    ]
    themed = latest[latest["theme_id"] != OTHER_ID]
    joined = int(latest["joined"].sum())
    born = int(themed.loc[themed["change"] == "born", "joined"].sum())
    return f"Update {update}{dates}: {', '.join(parts)}; {counted(joined, 'new paragraph')}, {born:,} in new themes."


def theme_history(
    changes: pd.DataFrame, themes: pd.DataFrame, merges: Sequence[Sequence[int]] = ()
) -> pd.DataFrame:
    """Each shown theme's paragraphs in every build since the first, for a chart of themes rising
    and falling: update 0 is the first build, then one row per update. A theme is followed back
    through the earlier themes it continues (the same id in an update; merged or split ones in a
    refit), so a theme born later starts at 0. Analyst's merges are summed under the kept theme.
    Empty for a build never updated."""
    if changes.empty:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    present = changes[changes["change"] != "gone"]
    # The updates the record holds, latest first (a damaged record's numbers need not be 1, 2, ...).
    updates = sorted({int(u) for u in changes["update"]}, reverse=True)
    latest = present[present["update"] == updates[0]]
    kept = _kept_ids(themes, merges, {int(t) for t in latest["theme_id"]})
    first_of = {int(u): row for u, row in changes.drop_duplicates("update").set_index("update").iterrows()}
    rows = []
    for shown_id, name in zip(themes["theme_id"].astype(int), themes["theme"].astype(str), strict=True):
        ids = {i for i, k in kept.items() if k == shown_id}
        for update in updates:
            members = present[(present["update"] == update) & present["theme_id"].isin(ids)]
            at = first_of[update]
            rows.append((update, f"update {update}", str(at["built_at"]), shown_id, name, int(members["after"].sum())))
            if update == updates[-1]:
                rows.append((update - 1, "first build", str(at["since"]), shown_id, name, int(members["before"].sum())))
            ids = {int(i) for text in members["earlier_ids"] for i in str(text).split(", ") if i.strip().lstrip("-").isdigit()}
    history = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    return history.sort_values(["update", "theme_id"], kind="stable").reset_index(drop=True)
