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
MULTILINGUAL_MODEL_ID = "intfloat/multilingual-e5-small"
# The model chosen from the corpus: the multilingual one when it holds text in other languages.
AUTO_MODEL = "auto"
MODELS = (AUTO_MODEL, MODEL_ID, MULTILINGUAL_MODEL_ID)
# Similarity a paragraph needs to its discovered theme's centre, by model. The multilingual
# model's vectors are centred per language, which leaves their cosines lower: at 0.15, a third
# of a six-language corpus went to "Other" (benchmarks/multilingual_quality.py), at 0.05 1-3%,
# as MiniLM's 0.15 leaves of English corpora.
OUTLIER_THRESHOLDS = {MODEL_ID: 0.15, MULTILINGUAL_MODEL_ID: 0.05}


# Environment variables giving the engine settings' defaults.
ENGINE_ENV = "GEONEWS_ENGINE"
ADDRESS_ENV = "GEONEWS_ENGINE_ADDRESS"
# How a build runs, not what it finds: left out of cache keys and reproducibility lines.
EXECUTION_SETTINGS = ("engine", "engine_address", "engine_workers")
# Where a build can run (run/ starts each; listed here so that settings can be checked without it).
ENGINES = ("local", "ray", "dask")


def _setting(
    default,
    help: str,
    *,
    flag: str | None = None,
    label: str | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    choices: tuple[str, ...] = (),
    metavar: str | None = None,
    shown_default: str | None = None,
    default_factory=None,
):
    """A field of Settings with what is said and checked about it: `help` for people (command
    line, sidebar, README), `flag` on the command line (default: --name-with-dashes), `label` in
    the sidebar, and the bounds or choices a value must keep (checked when Settings is made)."""
    metadata = {
        "help": help, "flag": flag, "label": label, "minimum": minimum, "maximum": maximum,
        "choices": choices, "metavar": metavar, "shown_default": shown_default,
    }  # fmt: skip
    if default_factory is not None:
        return field(default_factory=default_factory, metadata=metadata)
    return field(default=default, metadata=metadata)


# Settings added after builds were first recorded, with the value that does what builds did
# before each existed (read by `Settings.from_dict` for a build that does not record it).
_BEFORE_ADDED = {"discovery_context": 0.0}


@dataclass(frozen=True)
class Settings:
    """The knobs of a build. Frozen so that it can key caches and be recorded with results."""

    themes_file: str | None = _setting(
        None, flag="--themes", metavar="FILE", help=
        "TOML file of seeded themes (name, description, optional keywords). Without one, "
        "every theme is discovered.",
    )
    source_kinds_file: str | None = _setting(
        None, flag="--source-kinds", metavar="FILE", help=
        "CSV file of your own source kinds, merged over the table shipped in "
        "analysis/resources/source_kinds.csv: columns name, kind and aliases (optional; several "
        "separated by '|'). A row with the name of a shipped row replaces it, aliases and all. "
        "kind is one of: state media, think tank, government, military, intelligence agency, "
        "international organisation, news outlet, person, other.",
    )
    states_file: str | None = _setting(
        None, flag="--states", metavar="FILE", help=
        "CSV file of your own states, blocs and organisations that give or receive aid, added to the "
        "table shipped in analysis/resources/states.csv: columns state and alias, and optionally kind "
        "(name, official, iso, code, capital, government, leader, adjective, contextual or "
        "organisation; name when empty) and context (words, separated by '|', one of which must be "
        "in the sentence or the article before it for the alias to count). A row whose alias the "
        "shipped table has replaces that row.",
    )
    n_themes: int | None = _setting(
        None, minimum=1, maximum=100, label="Discovered themes (0 = automatic)", help=
        "Number of discovered themes. Empty: chosen automatically, at most twelve themes with the "
        "seeded ones (the fewest whose clusters, each more than one article's and not tiny, "
        "separate as well as the best).",
    )
    seed_threshold: float = _setting(
        0.15, flag="--threshold", minimum=0.0, maximum=1.0, label="Seed similarity threshold", help=
        "Similarity a paragraph needs to a seeded theme to join it (cosine, measured after "
        "removing what all paragraphs of the corpus share). Higher: seeded themes are stricter "
        "and more paragraphs are left to discovery.",
    )
    outlier_threshold: float | None = _setting(
        None, minimum=0.0, maximum=1.0, shown_default="the model's: 0.15 (MiniLM), 0.05 (e5)", help=
        "Similarity a paragraph needs to the centre of its discovered theme; below it, the "
        "paragraph goes to 'Other'. Empty: the model's own (cosines of the multilingual model's "
        "language-centred vectors run lower).",
    )
    min_theme_size: int = _setting(
        3, minimum=1, help=
        "Discovered themes smaller than this are dissolved into 'Other'.",
    )
    article_context: float = _setting(
        0.0, minimum=0.0, maximum=10.0, help=
        "How much of its article a paragraph's theme takes in: its vector gets this many times its "
        "article's mean vector added before themes are fitted and assigned (0: each paragraph "
        "alone). 1 keeps short single-subject articles in one theme (wire news in several "
        "languages); it also pulls the paragraphs of a long op-ed towards its main subject.",
    )
    discovery_context: float = _setting(
        1.5, minimum=0.0, maximum=10.0, help=
        "How much of its article a paragraph brings when themes are discovered: discovery groups "
        "paragraphs by their vectors with this many times their article's mean added, so that a "
        "story's paragraphs stay together (0: each paragraph alone). Paragraphs placed later (those "
        "of a corpus larger than its theme sample, an update's new ones) join themes the same way. "
        "Only in a corpus of 20 articles or more; seeded themes and the test that sends a misfit to "
        "'Other' still compare each paragraph's own vector.",
    )
    teasers: str = _setting(
        "apart", choices=("apart", "themed"), help=
        "Paragraphs of teasers (a headline and a standfirst) and truncated excerpts of pieces "
        "published elsewhere, as segmenting marks them: apart keeps them out of the themes (they "
        "are listed under 'Other' and stay searchable); themed fits and assigns them like any "
        "paragraph.",
    )
    random_seed: int = _setting(0, flag="--seed", minimum=0, help="Seed for every random step: same corpus, same seed, same themes.")
    near_duplicate_threshold: float = _setting(
        0.85, minimum=0.0, maximum=1.0, help=
        "Word-shingle overlap (Jaccard, 0-1) above which two paragraphs count as copies of "
        "one another; the later copy is dropped and recorded.",
    )
    max_file_mb: float = _setting(
        50.0, minimum=0.001, help="Files larger than this are skipped with a reason, before they are read.",
    )
    max_unpacked_mb: float = _setting(
        100.0, minimum=0.001, help=
        "What one file may unpack to (a Word document's parts, a Parquet table's text), checked "
        "from the sizes it declares before anything is unpacked; a file past it is skipped with a "
        "reason.",
    )
    max_document_chars: int = _setting(
        5_000_000, minimum=1_000, help=
        "Characters read from one document (a file, or one record of a table); a longer one is cut "
        "at a paragraph break and the cut listed with the skipped files.",
    )
    max_table_columns: int = _setting(
        1_000, minimum=1, help=
        "Columns a CSV, Parquet table or JSON-lines record may have, checked from its header "
        "before its rows are read; a JSON-lines record past it is skipped, a table refused.",
    )
    max_paragraph_sentences: int = _setting(
        200, minimum=1, help=
        "Sentences of one paragraph read for figures and cited sources; the rest of a paragraph "
        "that long (a table or list dumped as text) is not read for them.",
    )
    max_paragraph_numbers: int = _setting(
        2_000, minimum=1, help=
        "Numbers of one paragraph read for figures; the rest are not.",
    )
    model_id: str = _setting(
        AUTO_MODEL, flag="--model", choices=MODELS, help=
        "Sentence-embedding model, loaded from an installed package: all-MiniLM-L6-v2 (English), "
        "intfloat/multilingual-e5-small (about 100 languages, its vectors centred per language so "
        "that one subject in several languages makes one theme), or auto: the multilingual model "
        "when at least one paragraph in twenty is in another language than English (where it "
        "runs), all-MiniLM-L6-v2 otherwise.",
    )
    theme_sample_size: int = _setting(
        50_000, flag="--theme-sample", minimum=100, help=
        "Corpora larger than this fit their themes on a seeded sample of this many paragraphs, "
        "then assign every paragraph to the nearest theme (seed, discovered theme or Other).",
    )
    engine: str = _setting(
        "local", choices=ENGINES, shown_default="`local`, or GEONEWS_ENGINE", help=
        "Where reading the corpus, embedding, theme assignment and reading figures and sources "
        "run: local (this machine), ray or dask (their optional requirements installed). Every "
        "engine gives the same vectors, themes and tables. "
        "Default from GEONEWS_ENGINE.",
        default_factory=lambda: os.environ.get(ENGINE_ENV) or "local",
    )
    engine_address: str | None = _setting(
        None, flag="--address", shown_default="none, or GEONEWS_ENGINE_ADDRESS", help=
        "Cluster to join (Ray: ray://host:10001 or auto; Dask: tcp://host:8786). Empty: start a "
        "local one for this build. Default from GEONEWS_ENGINE_ADDRESS.",
        default_factory=lambda: os.environ.get(ADDRESS_ENV) or None,
    )
    engine_workers: int | None = _setting(
        None, flag="--workers", minimum=1, help=
        "Workers of a local Ray or Dask cluster, or processes reading text on the local "
        "engine (empty: one per core).",
    )

    embed_threads: int | None = _setting(
        None, minimum=1, help=
        "torch threads per embedding process (empty: the cores of the machine that starts the "
        "build). Vectors are bitwise identical across engines only at the same count: the "
        "default keeps them so; on a cluster set it to each worker's cores for speed.",
    )

    def __post_init__(self) -> None:
        for problem in _problems(self):
            raise ValueError(problem)

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
        """Settings as a build recorded them. A setting added after the build was made takes
        the value that reproduces how it was made (`_BEFORE_ADDED`), not today's default: a
        build's reproducibility line must say what made it."""
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**({**_BEFORE_ADDED, **{k: v for k, v in values.items() if k in known}}))

    def replace(self, **changes) -> Settings:
        return dataclasses.replace(self, **changes)

    def for_model(self, model_id: str) -> Settings:
        """These settings with the model a build uses (`auto` decided) and the defaults that
        depend on it filled in: what a build records and runs with."""
        threshold = self.outlier_threshold
        if threshold is None:
            threshold = OUTLIER_THRESHOLDS.get(model_id, OUTLIER_THRESHOLDS[MODEL_ID])
        # A stand-in embedder's id (tests) is no model of this install: the setting stays.
        chosen = model_id if model_id in MODELS else self.model_id
        return dataclasses.replace(self, model_id=chosen, outlier_threshold=threshold)

    @property
    def theme_outlier_threshold(self) -> float:
        """The outlier threshold in force: the given one, else that of the settings' model."""
        if self.outlier_threshold is not None:
            return self.outlier_threshold
        return OUTLIER_THRESHOLDS.get(self.model_id, OUTLIER_THRESHOLDS[MODEL_ID])

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


def _problems(settings: Settings) -> list[str]:
    """One line per setting whose value breaks its declared type, bounds or choices."""
    problems = []
    for spec in SETTINGS:
        value = getattr(settings, spec.name)
        if value is None:
            if not spec.optional:
                problems.append(f"{spec.name} must be given")
            continue
        if spec.kind in (int, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                spec.kind is int and isinstance(value, float) and not value.is_integer()
            ):
                problems.append(f"{spec.name} must be a{'n integer' if spec.kind is int else ' number'}, not {value!r}")
                continue
            if value != value or value in (float("inf"), float("-inf")):
                problems.append(f"{spec.name} must be a finite number")
            elif spec.minimum is not None and value < spec.minimum:
                problems.append(f"{spec.name} must be at least {spec.minimum}, not {value}")
            elif spec.maximum is not None and value > spec.maximum:
                problems.append(f"{spec.name} must be at most {spec.maximum}, not {value}")
        elif not isinstance(value, str):
            problems.append(f"{spec.name} must be text, not {value!r}")
        elif spec.choices and value not in spec.choices:
            problems.append(f"{spec.name} must be one of {', '.join(spec.choices)}, not {value!r}")
    return problems


@dataclass(frozen=True)
class SettingSpec:
    """What is declared about one setting: read by the command line, the sidebar and the docs."""

    name: str
    kind: type  # int, float or str
    optional: bool  # None allowed ("automatic", "none")
    default: object
    help: str
    flag: str
    label: str
    minimum: float | None
    maximum: float | None
    choices: tuple[str, ...]
    metavar: str | None
    shown_default: str


def _spec(f: dataclasses.Field) -> SettingSpec:
    annotation = str(f.type)
    kind = int if annotation.startswith("int") else float if annotation.startswith("float") else str
    meta = f.metadata
    default = f.default if f.default is not dataclasses.MISSING else None
    shown = meta["shown_default"] or (
        f"`{default}`" if default is not None else "automatic" if kind in (int, float) else "none"
    )
    return SettingSpec(
        name=f.name, kind=kind, optional="None" in annotation, default=default, help=meta["help"],
        flag=meta["flag"] or "--" + f.name.replace("_", "-"), label=meta["label"] or f.name.replace("_", " "),
        minimum=meta["minimum"], maximum=meta["maximum"], choices=tuple(meta["choices"]), metavar=meta["metavar"],
        shown_default=shown,
    )  # fmt: skip


SETTINGS: tuple[SettingSpec, ...] = tuple(_spec(f) for f in dataclasses.fields(Settings))
SETTING = {spec.name: spec for spec in SETTINGS}


def settings_table() -> str:
    """The README's table of settings (Markdown), made from the declarations."""

    def bounds(spec: SettingSpec) -> str:
        if spec.choices:
            return " / ".join(spec.choices)
        low = "" if spec.minimum is None else f"{spec.minimum:g}"
        high = "" if spec.maximum is None else f"{spec.maximum:g}"
        return f"{low} to {high}" if low and high else f">= {low}" if low else f"<= {high}" if high else ""

    rows = ["| setting | flag | default | allowed | what it does |", "|---|---|---|---|---|"]
    for spec in SETTINGS:
        help_text = spec.help.replace("|", "\\|")
        rows.append(f"| `{spec.name}` | `{spec.flag}` | {spec.shown_default} | {bounds(spec)} | {help_text} |")
    return "\n".join(rows) + "\n"


def setting_help() -> dict[str, str]:
    """Help text of every setting, by name."""
    return {f.name: f.metadata["help"] for f in dataclasses.fields(Settings)}


def default_cache_dir() -> Path:
    """Where embeddings are cached; GEONEWS_CACHE_DIR overrides it (tests, hosted apps)."""

    env = os.environ.get("GEONEWS_CACHE_DIR")
    if env:
        return Path(env)
    return Path.home() / ".cache" / "geonews"
