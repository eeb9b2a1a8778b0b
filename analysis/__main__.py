"""Command line: `python -m analysis build PATH... --out DIR [--themes FILE] [--seed N]`,
`python -m analysis brief DIR --out FILE [--sections ...] [--note TEXT] [--format pdf|pptx]`.

`build --engine ray|dask [--address ADDR] [--workers N]` reads the corpus, embeds and reads
figures and sources on Ray or Dask (optional requirements-engines.txt); GEONEWS_ENGINE and
GEONEWS_ENGINE_ADDRESS give the defaults. The local engine reads text in `--workers` processes
(all cores).

`build --source-kinds FILE` merges the analyst's own table of source kinds over the shipped one.

Unusable input ends with exit code 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._engines import ENGINES
from .settings import Settings, setting_help

EXIT_UNUSABLE = 2


class _ProgressBar:
    """Adapts the pipeline's progress(stage, done, total) callback to a tqdm bar per stage."""

    def __init__(self) -> None:
        self._bars: dict = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self._bars.get(stage)
        if bar is None:
            bar = self._bars[stage] = tqdm(
                total=total,
                desc=stage,
                unit="step" if stage == "themes" else "par",
                file=sys.stderr,
                leave=True,
            )
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()


def _parser() -> argparse.ArgumentParser:
    helps = setting_help()
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="Analyse news files and write a build folder.")
    build.add_argument("paths", nargs="+", type=Path, help="Folders and files to read.")
    build.add_argument("--out", required=True, type=Path, help="Build folder to write.")
    build.add_argument("--themes", type=Path, help=helps["themes_file"])
    build.add_argument("--seed", type=int, default=Settings.random_seed, help=helps["random_seed"])
    build.add_argument("--n-themes", type=int, help=helps["n_themes"])
    build.add_argument(
        "--threshold", type=float, default=Settings.seed_threshold, help=helps["seed_threshold"]
    )
    build.add_argument("--source-kinds", type=Path, metavar="FILE", help=helps["source_kinds_file"])
    build.add_argument("--manifest", type=Path, help="CSV giving outlet, date, title, url per file.")
    build.add_argument("--cache-dir", type=Path, help="Embedding cache folder (default: ~/.cache/geonews).")
    build.add_argument("--quiet", action="store_true", help="No progress bar.")
    defaults = Settings()  # reads GEONEWS_ENGINE and GEONEWS_ENGINE_ADDRESS
    build.add_argument("--engine", choices=ENGINES, default=defaults.engine, help=helps["engine"])
    build.add_argument("--address", default=defaults.engine_address, help=helps["engine_address"])
    build.add_argument("--workers", type=int, help=helps["engine_workers"])
    build.add_argument("--embed-threads", type=int, help=helps["embed_threads"])
    build.add_argument(
        "--theme-sample", type=int, default=Settings.theme_sample_size, help=helps["theme_sample_size"]
    )
    brief = commands.add_parser("brief", help="Write a briefing pack (PDF or PowerPoint) of a build folder.")
    brief.add_argument("folder", type=Path, help="Build folder written by `build`.")
    brief.add_argument("--out", required=True, type=Path, help="File to write (.pdf or .pptx).")
    brief.add_argument(
        "--sections",
        nargs="+",
        default=None,
        help="Sections after the title page, in any order: themes, aid, coverage, appendix "
        "(default: all; commas also separate).",
    )
    brief.add_argument("--note", default="", help="A short note of your own for the title page.")
    brief.add_argument("--title", default="Briefing", help="Title of the pack.")
    brief.add_argument("--format", dest="fmt", help="pdf or pptx (default: from the --out suffix, else pdf).")
    brief.add_argument(
        "--coverage-by", default="outlet", help="Source coverage by 'outlet' (default) or 'cited' source."
    )
    return parser


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_UNUSABLE


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        return _build(args)
    if args.command == "brief":
        return _brief(args)
    return _fail(f"unknown command {args.command}")


def _build(args: argparse.Namespace) -> int:
    from . import CorpusError, build, load_corpus, read_source_kinds

    missing = [str(p) for p in args.paths if not p.exists()]
    if len(missing) == len(args.paths):
        return _fail(f"no such file or folder: {', '.join(missing)}")
    if args.out.exists() and not args.out.is_dir():
        return _fail(f"--out {args.out} exists and is not a folder")
    if args.themes is not None and not args.themes.is_file():
        return _fail(f"themes file not found: {args.themes}")
    if args.source_kinds is not None and not args.source_kinds.is_file():
        return _fail(f"source kinds file not found: {args.source_kinds}")
    if args.manifest is not None and not args.manifest.is_file():
        return _fail(f"manifest not found: {args.manifest}")
    if args.n_themes is not None and args.n_themes < 1:
        return _fail("--n-themes must be at least 1")
    if args.workers is not None and args.workers < 1:
        return _fail("--workers must be at least 1")
    if args.embed_threads is not None and args.embed_threads < 1:
        return _fail("--embed-threads must be at least 1")
    if args.theme_sample < 100:
        return _fail("--theme-sample must be at least 100")
    if not 0.0 <= args.threshold <= 1.0:
        return _fail("--threshold is a similarity between 0 and 1")
    if args.source_kinds is not None:
        try:
            read_source_kinds(args.source_kinds)  # checked before anything is read or embedded
        except ValueError as error:
            return _fail(str(error))
    settings = Settings(
        themes_file=str(args.themes) if args.themes else None,
        source_kinds_file=str(args.source_kinds) if args.source_kinds else None,
        n_themes=args.n_themes,
        seed_threshold=args.threshold,
        random_seed=args.seed,
        theme_sample_size=args.theme_sample,
        engine=args.engine,
        engine_address=args.address or None,
        engine_workers=args.workers,
        embed_threads=args.embed_threads,
    )
    corpus = load_corpus(args.paths, manifest=args.manifest, settings=settings)
    try:
        analysis = build(
            corpus,
            settings,
            cache_dir=args.cache_dir,
            progress=None if args.quiet else _ProgressBar(),
        )
    except (CorpusError, ValueError) as error:
        return _fail(str(error))
    analysis.save(args.out)
    counts = analysis.info["counts"]
    print(
        f"{counts['documents']} documents, {counts['articles']} articles, "
        f"{counts['paragraphs']} paragraphs ({counts['embedded_now']} embedded now), "
        f"{len(analysis.themes)} themes ({analysis.other_share:.0%} in Other), "
        f"{counts['skipped_files']} files skipped -> {args.out}",
        file=sys.stderr,
    )
    return 0


def _brief(args: argparse.Namespace) -> int:
    from . import CorpusError, load_analysis
    from .briefing import ALL_SECTIONS, BRIEFING_FORMATS, build_briefing, check_sections
    from .export import ExportError

    if not args.folder.is_dir():
        return _fail(f"no such build folder: {args.folder}")
    if args.out.is_dir():
        return _fail(f"--out {args.out} is a folder; give a file name")
    fmt = (args.fmt or args.out.suffix.lstrip(".") or "pdf").lower()
    if args.fmt is None and fmt not in BRIEFING_FORMATS:
        fmt = "pdf"
    if fmt not in BRIEFING_FORMATS:
        return _fail(f"unknown format {fmt!r}: choose from {', '.join(BRIEFING_FORMATS)}")
    if args.coverage_by not in ("outlet", "cited"):
        return _fail(f"--coverage-by must be 'outlet' or 'cited', not {args.coverage_by!r}")
    names = ALL_SECTIONS if args.sections is None else [n for s in args.sections for n in s.split(",")]
    try:
        sections = check_sections(names)
    except ValueError as error:
        return _fail(str(error))
    try:
        analysis = load_analysis(args.folder)
    except CorpusError as error:
        return _fail(str(error))
    except (ValueError, OSError, KeyError) as error:  # a damaged build folder
        return _fail(f"cannot read build folder {args.folder}: {str(error).splitlines()[0]}")
    try:
        pack = build_briefing(
            analysis,
            sections=sections,
            note=args.note,
            fmt=fmt,
            title=args.title,
            coverage_by=args.coverage_by,
        )
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(pack)
    print(
        f"{fmt.upper()} briefing, {len(pack) / 1e6:.1f} MB: title page"
        + "".join(f", {s}" for s in sections)
        + f" -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
