"""Tables derived from an analysis's own tables, kept as long as those tables live.

The source views read the same per-paragraph labels (each paragraph's outlet, each citation's
row among the paragraphs) for a heatmap, a theme's backing, outlets over time and every cell
clicked; at a million paragraphs each costs about a second to derive. An analysis's tables are
never changed in place (edits make new ones), so a table derived from them holds while they do.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd

# (name, ids of the frames it was derived from) -> derived value. An entry leaves when any of
# its frames is collected, before that frame's id can be given to another object.
_KEPT: dict[tuple, Any] = {}
# Re-entrant: a frame may be collected, and its entries forgotten, inside a locked block.
_LOCK = threading.RLock()


def kept(name: Hashable, frames: tuple[pd.DataFrame, ...], derive: Callable[[], Any]) -> Any:
    """`derive()`, computed once while every frame of `frames` lives. The caller must treat
    the value as read-only: every later caller gets the same object."""
    key = (name, *(id(frame) for frame in frames))
    with _LOCK:
        if key in _KEPT:
            return _KEPT[key]
    value = derive()
    with _LOCK:
        if key not in _KEPT:
            _KEPT[key] = value
            for frame in frames:
                weakref.finalize(frame, _forget, key)
        return _KEPT[key]


def _forget(key: tuple) -> None:
    with _LOCK:
        _KEPT.pop(key, None)
