"""Themes that last as a corpus grows: an update keeps every earlier paragraph in its theme, lets
new paragraphs join the theme they fit by the model's own test or form new themes, and records
what changed between two builds.

An analyst's names and merges are kept by theme id (in the dashboard's link), so an update that
keeps ids keeps them too; ids are never reused, so a name given to a theme that has since gone
never lands on a newcomer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..settings import Settings
from ..tables import CHANGE_COLUMNS, OTHER_ID, OTHER_NAME, Provenance
from ._fit import CLUTTER_KINDS, ThemeResult, fit_themes, theme_table, with_article_context
from ._labels import PhraseEmbedder, theme_terms
from ._model import SeedTheme, ThemeModel, fit_to_the_others, unit_vector

__all__ = ["earlier_positions", "theme_changes", "update_refusal", "update_themes"]

# Settings that say where a build ran or where its files were, not what its themes are; and
# discovery_context, which places an update's newcomers (as this build's settings say) but
# cannot move the earlier paragraphs it keeps: a build made before it existed can be updated.
_NOT_COMPARED = ("themes_file", "source_kinds_file", "states_file", "discovery_context")
# An earlier theme continues in a theme of the new build that holds at least this share of its
# paragraphs still in the corpus; it split when two or more do, and two or more earlier themes
# continuing in one merged.
_CONTINUES_SHARE = 0.25


def update_refusal(earlier: Provenance, model_key: str, settings: Settings, seed_themes: Sequence[dict]) -> str:
    """Why a build cannot update the earlier one's themes ("" when it can): an update keeps
    themes that only the same model, settings and seeded themes would have made."""
    if earlier.model_key != model_key:
        return f"the earlier build used another model ({earlier.model_key[:80]})"
    before, now = earlier.settings.result_dict(), settings.result_dict()
    changed = sorted(name for name in now if name not in _NOT_COMPARED and before.get(name) != now[name])
    if changed:
        return f"the settings differ from the earlier build's ({', '.join(changed)})"
    if [dict(s) for s in earlier.seed_themes] != [dict(s) for s in seed_themes]:
        return "the seeded themes differ from the earlier build's"
    return ""


def earlier_positions(pids: Sequence[str], texts: Sequence[str], earlier: pd.DataFrame) -> np.ndarray:
    """For each paragraph, its row in the earlier build's paragraphs table (pid and text both
    the same), or -1 for a paragraph the earlier build did not have."""
    row_of = {
        (pid, text): row
        for row, (pid, text) in enumerate(zip(earlier["pid"].astype(str), earlier["text"].astype(str), strict=True))
    }
    return np.fromiter(
        (row_of.get((str(pid), str(text)), -1) for pid, text in zip(pids, texts, strict=True)),
        dtype=np.int64,
        count=len(pids),
    )


def update_themes(
    texts: Sequence[str],
    vectors: np.ndarray,
    pids: Sequence[str],
    earlier: pd.DataFrame,
    earlier_themes: pd.DataFrame,
    seeds: Sequence[SeedTheme],
    seeds_vectors: np.ndarray,
    settings: Settings,
    retired_ids: Sequence[int] = (),
    articles: Sequence[object] | None = None,
    kinds: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    outlets: Sequence[str] = (),
    embed_phrases: PhraseEmbedder | None = None,
) -> ThemeResult:
    """Themes of a grown corpus that keep the earlier build's: `earlier` is its paragraphs table
    (pid, text, theme_id, similarity) and `earlier_themes` its themes table.

    Earlier paragraphs keep their theme id and similarity. A new paragraph joins the theme it
    fits as `ThemeModel.assign` decides for a fitted model (a seed it clears the seed threshold
    for, else the closest discovered theme whose centre it clears the outlier threshold for,
    else none), with the themes' centres taken from the earlier paragraphs and the corpus
    centre (what the seed test takes out) from the grown corpus, as a rebuild takes it. The
    newcomers no seed took may then form new themes, found as discovery finds themes with the
    earlier ones held in place (`ThemeModel.groups_beside`); they take ids never used before
    (`retired_ids` are ids of themes now gone).
    Teasers and excerpts stay in "Other" as in a fit. With no earlier paragraph left, the themes
    are fitted afresh."""
    vectors = np.asarray(vectors, dtype=np.float32)
    n, n_seeds = len(vectors), len(seeds)
    at = earlier_positions(pids, texts, earlier)
    known = {int(t) for t in earlier_themes["theme_id"]} - {OTHER_ID}
    clutter = np.zeros(n, dtype=bool)
    if kinds is not None and settings.teasers == "apart":
        clutter = np.isin(np.asarray(kinds, dtype=object), CLUTTER_KINDS)
    kept = at >= 0
    labels = np.full(n, OTHER_ID, dtype=np.int64)
    similarity = np.zeros(n, dtype=np.float32)
    labels[kept] = earlier["theme_id"].to_numpy(dtype=np.int64)[at[kept]]
    similarity[kept] = earlier["similarity"].to_numpy(dtype=np.float32)[at[kept]]
    # A theme id the earlier themes table does not list (a damaged folder) is no theme.
    labels[~np.isin(labels, list(known))] = OTHER_ID
    anchors = kept & ~clutter
    if not anchors.any():
        return fit_themes(
            texts, vectors, seeds, seeds_vectors, settings, articles=articles, kinds=kinds, languages=languages,
            outlets=outlets, embed_phrases=embed_phrases,
        )  # fmt: skip
    if articles is not None:  # as a fit sees them
        vectors = with_article_context(vectors, articles, settings.article_context)

    model = ThemeModel(
        n_seeds=n_seeds,
        seed_threshold=settings.seed_threshold,
        outlier_threshold=settings.theme_outlier_threshold,
        min_theme_size=settings.min_theme_size,
        random_state=settings.random_seed,
        discovery_context=settings.discovery_context,
    )
    discovered = sorted(t for t in known if t >= n_seeds and (labels[anchors] == t).any())
    # The grown corpus's centre, as a fit of it would take: against the earlier corpus's alone,
    # an article on a subject new to the corpus (rice aid, added to the sample) leant towards a
    # seeded theme ("Technology transfer") by what it shares with its own kind and joined it.
    model.centre_ = vectors[~clutter].mean(axis=0)
    model.seed_vectors_ = (
        np.asarray(seeds_vectors, np.float32) if n_seeds else np.zeros((0, vectors.shape[1]), np.float32)
    )
    centres = np.zeros((n_seeds + len(discovered), vectors.shape[1]), dtype=np.float32)
    means = {}
    for position, theme_id in enumerate(discovered, start=n_seeds):
        means[theme_id] = vectors[anchors & (labels == theme_id)].mean(axis=0)
        centres[position] = unit_vector(means[theme_id])
    model.centroids_ = centres
    # Newcomers are placed among the discovered themes as discovery grouped paragraphs: with
    # their article in view (see `ThemeModel.assign`). By their own vectors alone, one new
    # article's paragraphs scattered over themes that the same article, fitted, would have kept
    # together (BBC, 850 + 150 articles: V-measure of the update 0.02 under a rebuild's).
    model.grouping_centroids_ = model.grouping_centres(vectors, articles, np.where(anchors, labels, OTHER_ID), discovered)
    scores = model.article_scores(vectors, articles)

    arriving = np.flatnonzero(~kept & ~clutter)
    joined, joined_similarity = model.assign(vectors[arriving], None if scores is None else scores[arriving])
    ids = np.asarray([*range(n_seeds), *discovered], dtype=np.int64)
    # Indexed only where a theme was joined: an earlier build may have no theme at all (a corpus
    # too small for one), and then every newcomer is in Other.
    placed = joined != OTHER_ID
    labels[arriving] = OTHER_ID
    labels[arriving[placed]] = ids[joined[placed]]
    similarity[arriving] = joined_similarity

    present = sorted(set(range(n_seeds)) | set(discovered))
    # Newcomers the seeds did not take may make themes of their own: a subject new to the corpus
    # joined the nearest earlier theme it cleared the outlier test for (BBC's technology
    # articles added to a build of the other four categories: 629 of 858 paragraphs went to
    # earlier themes, the rest to seven small new ones; update V-measure 0.66, a rebuild's 0.84).
    # As in a fit, discovery sees the paragraphs no seed took: the earlier discovered themes'
    # and these newcomers.
    newcomers = arriving[(joined == OTHER_ID) | (joined >= n_seeds)]
    room = max(model.max_auto_themes - len(present), 2)
    nearest_new, k_scores = model.groups_beside(
        vectors, np.flatnonzero(anchors & (labels >= n_seeds)), labels, means, newcomers, articles, room
    )
    new_ids = _new_themes(
        vectors, newcomers, nearest_new, labels, similarity, settings, texts, languages,
        first_id=max([n_seeds - 1, *known, *map(int, retired_ids)]) + 1,
    )  # fmt: skip
    names = dict(zip(earlier_themes["theme_id"].astype(int), earlier_themes["theme"].astype(str), strict=True))
    names.update({i: seed.name for i, seed in enumerate(seeds)})
    parents = broad_names = None
    if {"parent", "parent_theme"} <= set(earlier_themes.columns):
        parents = dict(zip(earlier_themes["theme_id"].astype(int), earlier_themes["parent"].astype(int), strict=True))
        broad_names = dict(zip(earlier_themes["parent"].astype(int), earlier_themes["parent_theme"].astype(str), strict=True))
    ids = [*present, *new_ids]
    # An earlier theme left with teasers or excerpts only (kinds a later version keeps apart) is
    # no theme any more: they go where a fit would put them.
    labels[~np.isin(labels, ids)] = OTHER_ID
    themes = theme_table(
        texts, vectors, labels, similarity, ids, names, n_seeds, parents, broad_names, languages=languages,
        outlets=outlets, articles=articles, embed_phrases=embed_phrases,
    )  # fmt: skip
    return ThemeResult(
        labels=labels,
        similarity=similarity,
        themes=themes,
        other_share=float((labels == OTHER_ID).mean()) if n else 0.0,
        k_scores=k_scores,
    )


def _new_themes(
    vectors: np.ndarray,
    newcomers: np.ndarray,
    groups: np.ndarray,
    labels: np.ndarray,
    similarity: np.ndarray,
    settings: Settings,
    texts: Sequence[str],
    languages: Sequence[str] | None,
    first_id: int,
) -> list[int]:
    """The newcomers' groups made themes (in place: their labels and similarity), and the new
    themes' ids, the largest group first. A group's member unlike the others (the fit's misfit
    test) keeps the place it had among the earlier themes (or "Other"), as does every member of
    a group too small for a theme or whose paragraphs share no phrase (no label found in two of
    them): a few unrelated lines an update brings (a disclaimer, a promo, a line naming a
    source) are each their own centre's third, so they clear the fit test together."""
    members_of = {}
    for group in sorted(set(groups.tolist()) - {-1}):
        rows = newcomers[groups == group]
        rows = rows[fit_to_the_others(np.asarray(vectors[rows], dtype=np.float64)) >= settings.theme_outlier_threshold]
        if len(rows) >= settings.min_theme_size:
            members_of[group] = rows
    if not members_of:
        return []
    rows = np.concatenate(list(members_of.values()))
    found = np.concatenate([np.full(len(r), g) for g, r in members_of.items()])
    terms = theme_terms(
        [texts[i] for i in rows], found, top_n=1,
        languages=None if languages is None else [languages[i] for i in rows],
    )  # fmt: skip
    shared = sorted((g for g in members_of if terms.get(g)), key=lambda g: (-len(members_of[g]), int(members_of[g][0])))
    for position, group in enumerate(shared):
        rows = members_of[group]
        members = np.asarray(vectors[rows], dtype=np.float64)
        labels[rows] = first_id + position
        similarity[rows] = (members @ unit_vector(members.mean(axis=0))).astype(np.float32)
    return [first_id + position for position in range(len(shared))]


def theme_changes(
    earlier: pd.DataFrame,
    earlier_themes: pd.DataFrame,
    earlier_changes: pd.DataFrame,
    since: str,
    paragraphs: pd.DataFrame,
    themes: pd.DataFrame,
    built_at: str,
) -> pd.DataFrame:
    """The change record of a build made over an earlier one: the earlier record, then one row
    per theme of the new build and per earlier theme gone, numbered as the next update.

    Paragraphs are matched by pid and text. An earlier theme continues in each new theme holding
    at least a quarter of its paragraphs still in the corpus. A new theme is `born` when no
    earlier theme continues in it, `merged` when two or more do, `split` when it continues one
    that continues in other themes too, else `grown`, `shrunk` or `unchanged` against the earlier
    theme's size; an earlier theme continuing nowhere is `gone` (its paragraphs left the corpus
    or went to "Other"). Per row: `before`, the paragraphs of the earlier theme(s) it continues;
    `after`, its paragraphs now; `kept`, earlier paragraphs now in it (from any theme); `joined`,
    paragraphs new to the corpus now in it; `left`, paragraphs of its earlier theme(s) not in it
    now. An update that keeps ids has only born, grown, shrunk, unchanged and gone themes; a
    refit can merge and split them."""
    at = earlier_positions(paragraphs["pid"].tolist(), paragraphs["text"].tolist(), earlier)
    was = earlier["theme_id"].to_numpy(dtype=np.int64)
    now = paragraphs["theme_id"].to_numpy(dtype=np.int64)
    matched = at >= 0
    flows = pd.crosstab(was[at[matched]], now[matched]) if matched.any() else pd.DataFrame()
    before = pd.Series(was).value_counts()
    still_here = flows.sum(axis=1) if len(flows) else pd.Series(dtype=int)

    def flow(source: int, target: int) -> int:
        return int(flows.at[source, target]) if source in flows.index and target in flows.columns else 0

    continues_in = {
        source: [
            int(target) for target in flows.columns
            if target != OTHER_ID and flow(source, target) >= max(1.0, _CONTINUES_SHARE * still_here[source])
        ]
        for source in flows.index if source != OTHER_ID
    }  # fmt: skip
    earlier_names = dict(zip(earlier_themes["theme_id"].astype(int), earlier_themes["theme"].astype(str), strict=False))
    update = int(pd.to_numeric(earlier_changes["update"], errors="coerce").max()) + 1 if len(earlier_changes) else 1
    rows = []
    for theme_id, name in zip(themes["theme_id"].astype(int), themes["theme"].astype(str), strict=True):
        members = now == theme_id
        if theme_id == OTHER_ID:
            sources = [OTHER_ID]
        else:
            sources = sorted(s for s, targets in continues_in.items() if theme_id in targets)
        size_before = int(sum(before.get(s, 0) for s in sources))
        after = int(members.sum())
        if not sources:
            change = "born"
        elif len(sources) > 1:
            change = "merged"
        elif theme_id != OTHER_ID and len(continues_in[sources[0]]) > 1:
            change = "split"
        else:
            change = "grown" if after > size_before else "shrunk" if after < size_before else "unchanged"
        rows.append(
            {
                "theme_id": theme_id,
                "theme": name,
                "change": change,
                "earlier_ids": ", ".join(map(str, sources)),
                "earlier_themes": " + ".join(earlier_names.get(s, OTHER_NAME) for s in sources),
                "before": size_before,
                "after": after,
                "kept": int((members & matched).sum()),
                "joined": int((members & ~matched).sum()),
                "left": size_before - sum(flow(s, theme_id) for s in sources),
            }
        )
    for theme_id in sorted(set(earlier_names) - {OTHER_ID}):
        if continues_in.get(theme_id):
            continue
        size_before = int(before.get(theme_id, 0))
        if size_before == 0:
            continue
        rows.append(
            {
                "theme_id": theme_id, "theme": earlier_names[theme_id], "change": "gone",
                "earlier_ids": str(theme_id), "earlier_themes": earlier_names[theme_id],
                "before": size_before, "after": 0, "kept": 0, "joined": 0, "left": size_before,
            }
        )  # fmt: skip
    columns = [c for c in CHANGE_COLUMNS if c not in ("update", "built_at", "since")]
    record = pd.DataFrame(rows, columns=columns).assign(update=update, built_at=built_at, since=since)[CHANGE_COLUMNS]
    if not len(earlier_changes):
        return record
    return pd.concat([earlier_changes.reindex(columns=CHANGE_COLUMNS), record], ignore_index=True)
