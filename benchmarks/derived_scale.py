"""Derived results (joblib.Memory) at scale: a build of N paragraphs with an empty cache, then the
same build again, each in its own process.

    python benchmarks/derived_scale.py [--sizes 100000 1000000] [--data ../shared/benchmarks]

The corpus is dashboard_scale.py's (recombined BBC sentences, Parquet tables), embedded by the
deterministic stand-in at 384 dimensions. The first build computes and stores every step (the
prepared corpus, themes, layout, figures, cited sources) beside the embedding cache; the second
reads them back. Printed per build: wall seconds, stage seconds, peak memory, and the size of
the derived-results folder.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from _isolated import run_steps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def folder_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20 if folder.exists() else 0.0


def build_once(size: int, work: Path, data: Path) -> dict:
    from dashboard_scale import synthetic_corpus

    from analysis import HashingEmbedder, Pipeline, Settings, load_corpus

    corpus = work / f"corpus-{size}"
    if not corpus.exists():
        synthetic_corpus(corpus, data, size)
    settings = Settings(max_file_mb=500)
    started = time.perf_counter()
    result = Pipeline(settings, embedder=HashingEmbedder(dim=384), cache_dir=work / "cache").run(
        load_corpus([corpus], settings=settings)
    )
    return {
        "paragraphs": len(result.paragraphs),
        "build_s": round(time.perf_counter() - started, 1),
        "stages_s": {k: round(float(v), 1) for k, v in result.provenance.timings.items()},
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "derived_mib": round(folder_mib(work / "cache" / "derived")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--work", type=Path)
    parser.add_argument("--one", choices=["cold", "cached"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(build_once(args.sizes[0], args.work, args.data)))
        return
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"derived-{size}-", dir=args.work))
        run_steps(__file__, size, ["cold", "cached"], work, "--data", str(args.data))


if __name__ == "__main__":
    main()
