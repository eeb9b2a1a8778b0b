"""Figures and cited sources on real news no one here wrote: the claims split's score.py on a build.

    python benchmarks/claims_quality.py [--gold ../shared/benchmarks/claims] [--out DIR]
        [--full] [--show-misses]

The pages are read, cleaned and split by the build's own stages (`load_corpus`, `prepare`), and
figures and cited sources are read from them by the pipeline's claims stage (`claims_in_parts`); `figures.csv` and `citations.csv` are written as a build writes them and
scored by the split's `score.py`. Neither table depends on the embedding model, so the model is
not run; `--full` makes a whole build with `python -m analysis build` instead (about a minute
more). score.py's lines are printed; `--show-misses` adds its list of missed and false rows.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def tables(pages: Path, out: Path) -> float:
    """figures.csv and citations.csv of the pages, as a build writes them; seconds taken."""
    from analysis import Settings, load_corpus, prepare
    from analysis.claims import claims_in_parts
    from analysis.tables import spreadsheet_csv

    settings = Settings()
    corpus = load_corpus([pages], settings=settings)
    prepared = prepare(corpus, settings)
    started = time.perf_counter()
    claims = claims_in_parts(prepared.paragraphs)
    figures, citations = claims.figures, claims.citations
    seconds = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    spreadsheet_csv(figures, out / "figures.csv")
    spreadsheet_csv(citations, out / "citations.csv")
    spreadsheet_csv(prepared.paragraphs, out / "paragraphs.csv")
    print(f"{len(prepared.paragraphs):,} paragraphs; figures and sources read in {seconds:.2f} s")
    return seconds


def full_build(pages: Path, out: Path) -> None:
    command = [sys.executable, "-m", "analysis", "build", str(pages), "--out", str(out)]
    subprocess.run(command, check=True, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "benchmarks" / "claims")
    parser.add_argument("--out", type=Path, default=None, help="where to write the tables (default: a temporary folder)")
    parser.add_argument("--full", action="store_true", help="a whole build with the command line, model included")
    parser.add_argument("--show-misses", action="store_true", help="print score.py's list of misses")
    args = parser.parse_args()

    pages = args.gold / "pages"
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch) / "build"
        if args.full:
            full_build(pages, out)
        else:
            tables(pages, out)
        command = [sys.executable, str(args.gold / "score.py"), str(out), str(args.gold)]
        if args.show_misses:
            command.append("--show-misses")
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
