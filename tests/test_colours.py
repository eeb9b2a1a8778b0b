"""Theme colours an analyst can tell apart: on a map of a dozen themes, and with the commonest
colour-vision deficiencies."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from analysis.charts import THEME_PALETTE, theme_colours
from analysis.tables import OTHER_NAME

# Machado, Oliveira and Fernandes (2009), severity 1, on linear RGB.
DEUTERANOPIA = np.array(
    [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
)
PROTANOPIA = np.array(
    [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
)
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])


def cielab(colours: list[str], seen_through: np.ndarray | None = None) -> np.ndarray:
    rgb = np.array([[int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)] for c in colours])
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    if seen_through is not None:
        linear = np.clip(linear @ seen_through.T, 0, 1)
    xyz = linear @ SRGB_TO_XYZ.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


def nearest_pair(colours: list[str], seen_through: np.ndarray | None = None) -> float:
    lab = cielab(colours, seen_through)
    return min(
        float(np.linalg.norm(lab[i] - lab[j])) for i, j in itertools.combinations(range(len(colours)), 2)
    )


def test_a_dozen_themes_and_other_have_colours_far_apart_for_every_eye():
    themes = pd.DataFrame(
        {"theme_id": [*range(12), -1], "theme": [f"theme {i}" for i in range(12)] + [OTHER_NAME]}
    )
    colours = list(theme_colours(themes).values())
    assert len(set(colours)) == 13 and colours[-1] != colours[0]
    # A just-noticeable difference is about 2.3 units; side by side on a map, 10 is easily told.
    assert nearest_pair(colours) >= 20
    assert nearest_pair(colours, DEUTERANOPIA) >= 12
    assert nearest_pair(colours, PROTANOPIA) >= 12


def test_every_palette_colour_is_distinct():
    assert len(set(THEME_PALETTE)) == len(THEME_PALETTE) >= 20
    assert nearest_pair(THEME_PALETTE) >= 9
