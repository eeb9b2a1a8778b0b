"""Themes: the model (seeded themes, discovered clusters and Other), labels from each theme's own
words, fitting on a corpus's vectors, and the 2-D layout of the theme map."""

from ._fit import ThemeResult, fit_themes, paragraph_kinds, seed_vectors
from ._labels import theme_terms
from ._layout import layout_2d
from ._model import SeedTheme, ThemeModel, load_seed_themes

__all__ = [
    "SeedTheme",
    "ThemeModel",
    "ThemeResult",
    "fit_themes",
    "layout_2d",
    "load_seed_themes",
    "paragraph_kinds",
    "seed_vectors",
    "theme_terms",
]
