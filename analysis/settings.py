"""Every setting of a build in one place: name, default and help text.

The command line, the dashboard's sidebar and the README all read this table, so a setting is
described once and the descriptions cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"


# Environment variables giving the engine settings' defaults.
ENGINE_ENV = "GEONEWS_ENGINE"
ADDRESS_ENV = "GEONEWS_ENGINE_ADDRESS"
# How a build runs, not what it finds: left out of cache keys and reproducibility lines.
EXECUTION_SETTINGS = ("engine", "engine_address", "engine_workers")


def _setting(default, help: str, default_factory=None):
    if default_factory is not None:
        return field(default_factory=default_factory, metadata={"help": help})
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """The knobs of a build. Frozen so that it can key caches and be recorded with results."""

    themes_file: str | None = _setting(
        None,
        "TOML file of seeded themes (name, description, optional keywords). Without one, "
        "every theme is discovered.",
    )
    source_kinds_file: str | None = _setting(
        None,
        "CSV file of your own source kinds, merged over the table shipped in "
        "analysis/resources/source_kinds.csv: columns name, kind and aliases (optional; several "
        "separated by '|'). A row with the name of a shipped row replaces it, aliases and all. "
        "kind is one of: state media, think tank, government, news outlet, person, other.",
    )
    n_themes: int | None = _setting(
        None,
        "Number of discovered themes. Empty: chosen automatically (a handful to about twenty).",
    )
    seed_threshold: float = _setting(
        0.15,
        "Similarity a paragraph needs to a seeded theme to join it (cosine, measured after "
        "removing what all paragraphs of the corpus share). Higher: seeded themes are stricter "
        "and more paragraphs are left to discovery.",
    )
    outlier_threshold: float = _setting(
        0.15,
        "Similarity a paragraph needs to the centre of its discovered theme; below it, the "
        "paragraph goes to 'Other'.",
    )
    min_theme_size: int = _setting(
        3,
        "Discovered themes smaller than this are dissolved into 'Other'.",
    )
    random_seed: int = _setting(0, "Seed for every random step: same corpus, same seed, same themes.")
    near_duplicate_threshold: float = _setting(
        0.85,
        "Word-shingle overlap (Jaccard, 0-1) above which two paragraphs count as copies of "
        "one another; the later copy is dropped and recorded.",
    )
    max_file_mb: float = _setting(50.0, "Files larger than this are skipped with a reason.")
    model_id: str = _setting(MODEL_ID, "Sentence-embedding model (loaded from an installed package).")
    theme_sample_size: int = _setting(
        50_000,
        "Corpora larger than this fit their themes on a seeded sample of this many paragraphs, "
        "then assign every paragraph to the nearest theme (seed, discovered theme or Other).",
    )
    engine: str = _setting(
        "local",
        "Where reading the corpus, embedding, theme assignment and reading figures and sources "
        "run: local (this machine), ray or dask (their optional requirements installed). Every "
        "engine gives the same vectors, themes and tables. "
        "Default from GEONEWS_ENGINE.",
        default_factory=lambda: os.environ.get(ENGINE_ENV) or "local",
    )
    engine_address: str | None = _setting(
        None,
        "Cluster to join (Ray: ray://host:10001 or auto; Dask: tcp://host:8786). Empty: start a "
        "local one for this build. Default from GEONEWS_ENGINE_ADDRESS.",
        default_factory=lambda: os.environ.get(ADDRESS_ENV) or None,
    )
    engine_workers: int | None = _setting(
        None,
        "Workers of a local Ray or Dask cluster, or processes reading text on the local "
        "engine (empty: one per core).",
    )

    embed_threads: int | None = _setting(
        None,
        "torch threads per embedding process (empty: the cores of the machine that starts the "
        "build). Vectors are bitwise identical across engines only at the same count: the "
        "default keeps them so; on a cluster set it to each worker's cores for speed.",
    )

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def result_dict(self) -> dict:
        """The settings that decide results: without where they ran (every engine gives the
        same results), for cache keys and reproducibility lines."""
        return {k: v for k, v in self.to_dict().items() if k not in EXECUTION_SETTINGS}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, values: dict) -> Settings:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})

    def replace(self, **changes) -> Settings:
        return dataclasses.replace(self, **changes)

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


def setting_help() -> dict[str, str]:
    """Help text of every setting, by name."""
    return {f.name: f.metadata["help"] for f in dataclasses.fields(Settings)}


def default_cache_dir() -> Path:
    """Where embeddings are cached; GEONEWS_CACHE_DIR overrides it (tests, hosted apps)."""

    env = os.environ.get("GEONEWS_CACHE_DIR")
    if env:
        return Path(env)
    return Path.home() / ".cache" / "geonews"
