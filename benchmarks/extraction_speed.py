"""The claims stage's speed (figures and cited sources together): paragraphs a second and
milliseconds a paragraph.

    python benchmarks/extraction_speed.py [--paragraphs 20000] [--data ../shared/benchmarks] [--repeat 1]

Paragraphs are sentences of real news (BBC) recombined at random (seeded), two to four to a
paragraph, as dashboard_scale.py makes them; each paragraph is an article of its own (doc
"part-000", article = row number). `read_claims` then reads them in this process, on one core,
with nothing else timed (the frame is built first). With `--repeat`, it is run that many times
and the fastest run is reported: on a shared machine the fastest is the one least slowed by
other work.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _news import bbc_sentences, paragraph_frame, recombined

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def synthetic_paragraphs(data: Path, size: int, seed: int = 0) -> pd.DataFrame:
    """`size` paragraphs of recombined BBC sentences, columns doc, article, paragraph, pid, text,
    lang."""
    return paragraph_frame(recombined(bbc_sentences(data), size, np.random.default_rng(seed)))


def fastest(run, repeat: int) -> float:
    """Seconds of the fastest of `repeat` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=20_000)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each step; the fastest counts")
    args = parser.parse_args()

    from analysis.claims import read_claims

    paragraphs = synthetic_paragraphs(args.data, args.paragraphs)
    # One paragraph first: the states table, the kinds table and the regexes are loaded once a
    # process, and would otherwise count as reading.
    read_claims(paragraphs.head(1))
    steps = {"read_claims": lambda: read_claims(paragraphs)}
    print(f"{len(paragraphs):,} paragraphs ({args.data / 'bbc_news_dedup.csv'}), fastest of {args.repeat}")
    for name, run in steps.items():
        seconds = fastest(run, args.repeat)
        print(
            f"{name:<18} {seconds:8.2f} s  {len(paragraphs) / seconds:10,.0f} paragraphs/s  "
            f"{1000 * seconds / len(paragraphs):7.3f} ms/paragraph",
            flush=True,
        )


if __name__ == "__main__":
    main()
