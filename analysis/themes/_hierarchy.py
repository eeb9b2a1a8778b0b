"""Two levels of themes: the narrow themes grouped into a handful of broad ones by agglomerative
clustering of their centres, as BERTopic's hierarchical topics group topics.

A theme's `parent` is the id of its broad theme, which is the smallest id among the themes it
groups: showing the broad themes is then merging each group, as an analyst's merge keeps the
smallest id. "Other" is its own parent, never grouped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..tables import OTHER_ID, in_turn
from ._labels import PhraseEmbedder, keyword_name, theme_terms

__all__ = ["broad_theme_names", "theme_parents"]

# About this many narrow themes under a broad one: a dozen themes make four broad ones, six make
# two; three or fewer are already a handful and stay each its own broad theme.
_THEMES_PER_BROAD = 3


def _centres(vectors: np.ndarray, labels: np.ndarray, groups: Mapping[int, Sequence[int]]) -> dict[int, np.ndarray]:
    """Unit mean vector of the paragraphs of each group of theme ids (groups without any: none)."""
    centres = {}
    for key, ids in groups.items():
        members = np.isin(labels, list(ids))
        if members.any():
            centre = np.asarray(vectors[members], dtype=np.float64).mean(axis=0)
            centres[key] = centre / max(float(np.linalg.norm(centre)), 1e-12)
    return centres


def _least_similar_pair(centres: Sequence[np.ndarray]) -> float:
    """The lowest cosine between two of the unit vectors (infinite for fewer than two)."""
    return min(
        (float(a @ b) for i, a in enumerate(centres) for b in centres[i + 1 :]),
        default=np.inf,
    )


def theme_parents(
    vectors: np.ndarray,
    labels: np.ndarray,
    theme_ids: Sequence[int],
    earlier: Mapping[int, int] | None = None,
) -> dict[int, int]:
    """Theme id -> the id of its broad theme, for every id of `theme_ids` ("Other" its own).

    Without `earlier`: the themes' centres are clustered (average linkage on cosine distance,
    deterministic) into ceil(n / 3) broad themes. With `earlier` (an update: each earlier theme's
    parent, kept), a theme not in it joins the broad theme it is closest to (average cosine to
    its themes' centres) when that is no less than the similarity of that broad theme's least
    similar pair of themes; otherwise it is a broad theme of its own."""
    ids = [int(t) for t in theme_ids if int(t) != OTHER_ID]
    parents = {OTHER_ID: OTHER_ID} if OTHER_ID in {int(t) for t in theme_ids} else {}
    if earlier is not None:
        kept = {t: int(earlier[t]) for t in ids if t in earlier}
        groups: dict[int, list[int]] = {}
        for theme_id, parent in kept.items():
            groups.setdefault(parent, []).append(theme_id)
        centres = _centres(vectors, labels, {t: [t] for t in ids})
        # How close a broad theme's own themes are: the least similar pair of them (a broad
        # theme of one has no pair and takes no newcomer).
        cohesion = {key: _least_similar_pair([centres[t] for t in sorted(members) if t in centres])
                    for key, members in groups.items()}  # fmt: skip
        keys = sorted(groups)
        for theme_id in ids:
            if theme_id in kept:
                parents[theme_id] = kept[theme_id]
                continue
            affinity = [
                np.mean([float(centres[theme_id] @ centres[t]) for t in groups[key] if t in centres] or [-np.inf])
                if theme_id in centres else -np.inf
                for key in keys
            ]  # fmt: skip
            best = int(np.argmax(affinity)) if keys else -1
            # As close to the nearest broad theme's themes (on average) as they are to each other:
            # it joins; otherwise it is a broad theme of its own.
            joins = best >= 0 and affinity[best] >= cohesion[keys[best]] - 1e-6
            parents[theme_id] = keys[best] if joins else theme_id
        return parents
    centres = _centres(vectors, labels, {t: [t] for t in ids})
    placed = [t for t in ids if t in centres]
    n_broad = math.ceil(len(placed) / _THEMES_PER_BROAD)
    if len(placed) <= _THEMES_PER_BROAD:
        return parents | {t: t for t in ids}
    from scipy.cluster.hierarchy import fcluster, linkage

    tree = linkage(np.vstack([centres[t] for t in placed]), method="average", metric="cosine")
    clusters = fcluster(tree, t=n_broad, criterion="maxclust")
    first_of = {}
    for theme_id, cluster in zip(placed, clusters, strict=True):
        first_of[cluster] = min(first_of.get(cluster, theme_id), theme_id)
    parents.update({t: first_of[c] for t, c in zip(placed, clusters, strict=True)})
    return parents | {t: t for t in ids if t not in parents}


def broad_theme_names(
    texts: Sequence[str],
    vectors: np.ndarray,
    labels: np.ndarray,
    parents: Mapping[int, int],
    names: Mapping[int, str],
    earlier: Mapping[int, str] | None = None,
    languages: Sequence[str] | None = None,
    phrases: dict[int, list[str]] | None = None,
    outlets: Sequence[str] = (),
    embed_phrases: PhraseEmbedder | None = None,
) -> dict[int, str]:
    """Broad theme id -> its name: a group of one theme takes that theme's name, a larger group
    the first three keywords of all its paragraphs (as a discovered theme is named, with the
    same `languages`, `phrases`, `outlets` and `embed_phrases` as `theme_terms` takes) when one
    of them is its themes' own, or else its themes' names in turn (see `_shares_a_name_phrase`);
    a name an earlier build gave a broad theme is kept."""
    groups: dict[int, list[int]] = {}
    for theme_id, parent in parents.items():
        groups.setdefault(parent, []).append(theme_id)
    named = {parent: str(earlier[parent]) for parent in groups if earlier and parent in earlier}
    unnamed = [parent for parent in groups if parent not in named]
    if not unnamed:
        return named
    broad = np.full(len(labels), OTHER_ID, dtype=np.int64)
    for parent in unnamed:
        broad[np.isin(labels, groups[parent])] = parent
    grouped = any(len(groups[p]) > 1 for p in unnamed)
    terms = {}
    phrases = {} if phrases is None else phrases  # the paragraphs' phrases, as read for the names
    if grouped:
        terms = theme_terms(
            texts, broad, vectors=vectors, languages=languages, phrases=phrases, outlets=outlets,
            embed_phrases=embed_phrases,
        )  # fmt: skip
    taken = set(named.values()) | {names.get(groups[p][0], str(groups[p][0])) for p in unnamed if len(groups[p]) == 1}
    for parent in unnamed:
        members = groups[parent]
        if len(members) == 1 or parent == OTHER_ID:
            named[parent] = names.get(members[0], str(members[0]))
        else:
            keywords = terms.get(parent, [])
            if not _shares_a_name_phrase(keywords[:3], members, labels, phrases):
                keywords = _names_in_turn(members, labels, names)
            named[parent] = keyword_name(keywords, taken, names.get(parent, f"Theme {parent}"))
    return named


def _shares_a_name_phrase(
    name: Sequence[str], members: Sequence[int], labels: np.ndarray, phrases: Mapping[int, list[str]]
) -> bool:
    """Whether a phrase of a broad theme's `name` is used by two of its themes (in two paragraphs
    of each, among those read for the name). When none is, the name is one theme's: on the
    six-language pages "love / k-pop / son" named K-pop and the trilateral summit together."""
    used_by: dict[str, dict[int, int]] = {phrase: {} for phrase in name}
    members_set = set(members)
    for row, found in phrases.items():
        theme = int(labels[row])
        if theme in members_set:
            for phrase in set(found) & used_by.keys():
                used_by[phrase][theme] = used_by[phrase].get(theme, 0) + 1
    return any(sum(count >= 2 for count in themes.values()) >= 2 for themes in used_by.values())


def _names_in_turn(members: Sequence[int], labels: np.ndarray, names: Mapping[int, str]) -> list[str]:
    """The phrases of the themes' names taken in turn, the largest theme first: "k-pop /
    trilateral summit / love"."""
    sizes = {theme: int(np.count_nonzero(labels == theme)) for theme in members}
    ordered = sorted(members, key=lambda theme: (-sizes[theme], theme))
    return in_turn([str(names.get(theme, f"Theme {theme}")).split(" / ") for theme in ordered])
