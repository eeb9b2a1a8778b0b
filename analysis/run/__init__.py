"""Where the work runs: this machine's cores, a Ray cluster or a Dask cluster.

An engine maps a module-level function over parts that the package cuts (`Engine.map`), embeds
fixed chunks of texts (`Engine.embed`) and assigns themes to blocks of vectors; every engine gives
the same results. Knows nothing of what the parts hold.
"""

from ._engines import (
    ASSIGN_BLOCK,
    ENGINES,
    PART_ROWS,
    EmbeddingChunk,
    Engine,
    EngineError,
    LocalEngine,
    cores,
    engine_from_settings,
    joined_parts,
    open_engine,
)

__all__ = [
    "ASSIGN_BLOCK",
    "ENGINES",
    "PART_ROWS",
    "EmbeddingChunk",
    "Engine",
    "EngineError",
    "LocalEngine",
    "cores",
    "engine_from_settings",
    "joined_parts",
    "open_engine",
]
