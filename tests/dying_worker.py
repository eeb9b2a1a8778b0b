"""A function for engine tests that ends its worker process the first time it runs: what a
worker lost to a starved machine or a crash looks like to the engine."""

from __future__ import annotations

import os


def double_or_die_once(part: list[int], marker: str) -> list[int]:
    """[2x for x in part]; but the first call anywhere (no `marker` file yet) creates the file
    and ends its own process at once, losing whatever that worker held."""
    try:
        with open(marker, "x"):
            pass
    except FileExistsError:
        return [2 * x for x in part]
    os._exit(1)


__all__ = ["double_or_die_once"]
