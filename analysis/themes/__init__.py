"""Themes: the model (seeded themes, discovered clusters and Other), labels from each theme's own
words, fitting on a corpus's vectors, updates that keep an earlier build's themes with a record
of what changed, and the 2-D layout of the theme map."""

from ._fit import (
    ThemeResult,
    articles_in_themes,
    fit_themes,
    paragraph_kinds,
    phrase_embedder,
    seed_vectors,
    with_article_context,
)
from ._hierarchy import broad_theme_names, theme_parents
from ._labels import PhraseEmbedder, keyword_name, theme_terms
from ._layout import layout_2d
from ._model import SeedTheme, ThemeModel, load_seed_themes, split_unlike_themes
from ._update import theme_changes, update_refusal, update_themes
from ._words import content_runs

__all__ = [
    "PhraseEmbedder",
    "SeedTheme",
    "ThemeModel",
    "ThemeResult",
    "articles_in_themes",
    "broad_theme_names",
    "content_runs",
    "fit_themes",
    "keyword_name",
    "layout_2d",
    "load_seed_themes",
    "paragraph_kinds",
    "phrase_embedder",
    "seed_vectors",
    "split_unlike_themes",
    "theme_changes",
    "theme_parents",
    "theme_terms",
    "update_refusal",
    "update_themes",
    "with_article_context",
]
