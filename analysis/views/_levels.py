"""The two levels of themes: the narrow themes as built, or the handful of broad themes each
groups (the themes table's `parent` and `parent_theme`, saved with the build)."""

from __future__ import annotations

import pandas as pd

from ..tables import OTHER_ID, Analysis
from ._paragraphs import apply_theme_edits

__all__ = ["broad_groups", "broad_themes"]


def broad_groups(themes: pd.DataFrame) -> list[tuple[int, ...]]:
    """The narrow theme ids under each broad theme that groups two or more, smallest id first
    ("Other" never grouped)."""
    if "parent" not in themes.columns:
        return []
    groups: dict[int, list[int]] = {}
    for theme_id, parent in zip(themes["theme_id"].astype(int), themes["parent"].astype(int), strict=True):
        if theme_id != OTHER_ID:
            groups.setdefault(parent, []).append(theme_id)
    return [tuple(sorted(ids)) for _, ids in sorted(groups.items()) if len(ids) > 1]


def broad_themes(analysis: Analysis) -> tuple[Analysis, list[tuple[int, ...]]]:
    """The analysis with each broad theme's narrow themes merged into one, called by its broad
    name and keeping its smallest id (as a merge does), and the groups merged (for a link's
    theme that now lives in its broad theme)."""
    groups = broad_groups(analysis.themes)
    names = dict(zip(analysis.themes["theme_id"].astype(int), analysis.themes["parent_theme"].astype(str), strict=True))
    # Merged before renamed: the narrow themes merged away no longer hold a name a broad one needs.
    return apply_theme_edits(analysis, {group[0]: names[group[0]] for group in groups}, groups), groups
