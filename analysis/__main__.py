"""Command line: `python -m analysis build PATH... --out DIR [--themes FILE] [--seed N]`.

Unusable input ends with exit code 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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
                unit="par" if stage == "embedding" else "step",
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
    build.add_argument("--manifest", type=Path, help="CSV giving outlet, date, title, url per file.")
    build.add_argument("--cache-dir", type=Path, help="Embedding cache folder (default: ~/.cache/geonews).")
    build.add_argument("--quiet", action="store_true", help="No progress bar.")
    return parser


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_UNUSABLE


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        return _build(args)
    return _fail(f"unknown command {args.command}")


def _build(args: argparse.Namespace) -> int:
    from . import CorpusError, build, load_corpus

    missing = [str(p) for p in args.paths if not p.exists()]
    if len(missing) == len(args.paths):
        return _fail(f"no such file or folder: {', '.join(missing)}")
    if args.out.exists() and not args.out.is_dir():
        return _fail(f"--out {args.out} exists and is not a folder")
    if args.themes is not None and not args.themes.is_file():
        return _fail(f"themes file not found: {args.themes}")
    if args.manifest is not None and not args.manifest.is_file():
        return _fail(f"manifest not found: {args.manifest}")
    if args.n_themes is not None and args.n_themes < 1:
        return _fail("--n-themes must be at least 1")
    if not 0.0 <= args.threshold <= 1.0:
        return _fail("--threshold is a similarity between 0 and 1")
    settings = Settings(
        themes_file=str(args.themes) if args.themes else None,
        n_themes=args.n_themes,
        seed_threshold=args.threshold,
        random_seed=args.seed,
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


if __name__ == "__main__":
    sys.exit(main())
