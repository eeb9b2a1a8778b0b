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

from .settings import SETTINGS, Settings

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
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="Analyse news files and write a build folder.")
    build.add_argument("paths", nargs="+", type=Path, help="Folders and files to read.")
    build.add_argument("--out", required=True, type=Path, help="Build folder to write.")
    build.add_argument("--manifest", type=Path, help="CSV giving outlet, date, title, url per file.")
    build.add_argument("--cache-dir", type=Path, help="Embedding cache folder (default: ~/.cache/geonews).")
    build.add_argument("--quiet", action="store_true", help="No progress bar.")
    build.add_argument(
        "--refit",
        action="store_true",
        help="Fit the themes afresh even when --out holds a build of the same model and settings "
        "(without it, that build's themes are updated: earlier paragraphs keep their theme ids).",
    )
    # One flag per setting, as declared on Settings: its help, its type; bounds are checked when
    # the Settings is made. Flags left out keep the setting's default.
    for spec in SETTINGS:
        build.add_argument(
            spec.flag, dest=spec.name, type=spec.kind, default=None, metavar=spec.metavar,
            choices=spec.choices or None, help=f"{spec.help} (default: {spec.shown_default.strip('`')})",
        )  # fmt: skip
    brief = commands.add_parser("brief", help="Write a briefing pack (PDF or PowerPoint) of a build folder.")
    brief.add_argument("folder", type=Path, help="Build folder written by `build`.")
    brief.add_argument("--out", required=True, type=Path, help="File to write (.pdf or .pptx).")
    brief.add_argument(
        "--sections",
        nargs="+",
        default=None,
        help="Sections after the title page, in any order: themes, aid, coverage, cited, appendix "
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
    from .build import Pipeline, is_build_folder, load_analysis, save_analysis
    from .ingest import load_corpus
    from .tables import CorpusError
    from .views import corpus_summary, counted, percent, write_build_views

    missing = [str(p) for p in args.paths if not p.exists()]
    if len(missing) == len(args.paths):
        return _fail(f"no such file or folder: {', '.join(missing)}")
    if args.out.exists() and not args.out.is_dir():
        return _fail(f"--out {args.out} exists and is not a folder")
    if args.manifest is not None and not args.manifest.is_file():
        return _fail(f"manifest not found: {args.manifest}")
    for name, label in (
        ("themes_file", "themes file"),
        ("source_kinds_file", "source kinds file"),
        ("states_file", "states file"),
    ):
        path = getattr(args, name)
        if path is not None and not Path(path).is_file():
            return _fail(f"{label} not found: {path}")
    given = {spec.name: getattr(args, spec.name) for spec in SETTINGS if getattr(args, spec.name) is not None}
    try:
        settings = Settings(**given)
        # Made before the corpus is read: a bad themes, kinds or states file fails before a long read.
        pipeline = Pipeline(
            settings, cache_dir=args.cache_dir, progress=None if args.quiet else _ProgressBar(), refit=args.refit
        )
    except ValueError as error:
        return _fail(str(error).splitlines()[0])
    if is_build_folder(args.out):
        try:
            pipeline.earlier = load_analysis(args.out)
        except (CorpusError, ValueError, OSError, KeyError) as error:
            if not args.refit:
                reason = (str(error).splitlines() or ["unreadable"])[0]
                return _fail(f"cannot update the build in {args.out} ({reason}); --refit replaces it")
    corpus = load_corpus(args.paths, manifest=args.manifest, settings=settings)
    try:
        analysis = pipeline.run(corpus)
        save_analysis(analysis, args.out)
        # The views no visitor chooses, counted once now from the build as the dashboard reopens
        # it, rather than on each server's first visit to a page.
        write_build_views(load_analysis(args.out, with_texts=False), args.out)
    except (CorpusError, ValueError) as error:
        return _fail(str(error))
    if pipeline.earlier is not None:
        print(_update_line(pipeline.earlier, analysis, args.refit), file=sys.stderr)
    counts = analysis.provenance.counts
    # Themes counted as the dashboard and the briefing count them: "Other" is none.
    print(
        f"{counted(counts['documents'], 'document')}, {counted(counts['articles'], 'article')}, "
        f"{counted(counts['paragraphs'], 'paragraph')} ({counts['embedded_now']:,} embedded now), "
        f"{counted(corpus_summary(analysis)['themes'], 'theme')} ({percent(analysis.other_share)} in Other), "
        f"{counted(counts['skipped_files'], 'file')} skipped -> {args.out}",
        file=sys.stderr,
    )
    return 0


def _update_line(earlier, analysis, refit: bool) -> str:
    """One line on what happened to the earlier build's themes: updated (how many earlier
    paragraphs kept their theme) or fitted afresh, and why."""
    from .themes import update_refusal

    made = analysis.provenance
    refusal = update_refusal(earlier.provenance, made.model_key, made.settings, made.seed_themes)
    latest = analysis.theme_changes[analysis.theme_changes["update"] == analysis.theme_changes["update"].max()]
    tally = ", ".join(f"{count} {change}" for change, count in latest["change"].value_counts().sort_index().items())
    if refit or refusal:
        why = "--refit" if refit else refusal
        return f"themes fitted afresh ({why}); against the earlier build: {tally}"
    before = dict(zip(earlier.paragraphs["pid"], earlier.paragraphs["theme_id"], strict=True))
    now = dict(zip(analysis.paragraphs["pid"], analysis.paragraphs["theme_id"], strict=True))
    common = [pid for pid in before if pid in now]
    same = sum(before[pid] == now[pid] for pid in common)
    return (
        f"themes updated: {same:,} of {len(common):,} earlier paragraphs kept their theme id; "
        f"{len(now) - len(common):,} new paragraphs; {tally}"
    )


def _brief(args: argparse.Namespace) -> int:
    from .build import load_analysis
    from .export import ALL_SECTIONS, BRIEFING_FORMATS, ExportError, build_briefing, check_sections
    from .tables import CorpusError

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
    except (ValueError, OSError) as error:  # a pack that cannot be made of this build: one line
        return _fail(f"cannot write the briefing: {str(error).splitlines()[0][:200]}")
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
