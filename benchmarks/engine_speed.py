"""Engine speed: embedding on local, Ray and Dask, and a million-paragraph theme assignment.

    python benchmarks/engine_speed.py [--paragraphs 2000] [--rows 1000000] [--workers 2]
                                      [--extract 20000] [--part-rows 2000]
                                      [--data ../shared/benchmarks]

1. The same news paragraphs (BBC paragraphs topped up with AG News rows from --data; the sample
   corpus's sentences, recombined, when that is missing) are embedded with the real model through
   `embed_with_cache(texts, embedder, cache=None, engine=...)` on a fresh engine each: local, then
   a local Ray cluster, then a Dask LocalCluster (`open_engine(name, workers=N)`), one after
   another in this process, each shut down before the next starts. Each gets a fresh embedder,
   so every engine pays for loading the model (local: in this process; Ray and Dask: in each
   worker). Printed: start-up, embedding time, throughput (also relative to local), peak memory
   of this process (ru_maxrss: its high-water mark since it started, so it never goes down from
   one engine to the next; and this phase's sampled peak) and of the whole process tree (RSS of
   this process and every descendant summed every 0.2 s; shared pages such as Ray's object store
   count once per process that maps them), and whether the vectors are bitwise identical to
   local's.
2. A build's theme step at --rows paragraphs, without embedding: deterministic unit vectors
   (dim 384, float32, around 12 centres, 5% noise) go through `fit_themes` with
   `Settings(theme_sample_size=50_000)` and no seeds on the local engine (fit on the seeded
   sample, assign every row, name themes), then the same fitted model's `engine.assign` on Ray
   and on Dask, each checked against the local labels and similarities.
3. Reading figures and cited sources, a build's slowest steps without embedding: --extract
   paragraphs of recombined news sentences (two to four BBC sentences each, seeded) go through
   the claims stage (`claims_in_parts`) in parts of --part-rows paragraphs on the local
   engine with one process (the reference), the local engine with --workers processes, Ray and
   Dask; each checked for tables identical to the reference.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import pandas as pd
from _memory import MIB, MemorySampler
from _news import bbc_sentences, paragraph_frame, recombined

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENGINES = ("local", "ray", "dask")
DIM = 384
CENTRES = 12


# --- paragraphs ---------------------------------------------------------------------------------


def news_paragraphs(data: Path, target: int, min_words: int = 20) -> tuple[list[str], str]:
    """Distinct real news paragraphs: BBC bodies split into paragraphs, then AG News rows."""
    texts: dict[str, None] = {}
    bbc = pd.read_csv(data / "bbc_news_dedup.csv")
    for text in bbc["text"].astype(str):
        _, _, body = text.partition("\n\n")
        for paragraph in body.split("\n"):
            paragraph = paragraph.strip()
            if len(paragraph.split()) >= min_words:
                texts.setdefault(paragraph)
            if len(texts) >= target:
                return list(texts), f"BBC News paragraphs from {data}"
    ag = pd.read_csv(data / "ag_news_test.csv")
    for text in ag["text"].astype(str):
        if len(text.split()) >= min_words:
            texts.setdefault(" ".join(text.split()))
        if len(texts) >= target:
            break
    return list(texts), f"BBC News paragraphs + AG News rows from {data}"


def sample_paragraphs(target: int) -> tuple[list[str], str]:
    """The fallback: runs of 1-4 consecutive sentences of the sample corpus, then the same runs
    with varied lead-ins until there are enough distinct texts."""
    from analysis import Settings, load_corpus, prepare, split_sentences

    paragraphs = prepare(load_corpus([ROOT / "data" / "sample" / "corpus"]), Settings()).paragraphs["text"]
    sentences = [s for text in paragraphs for s in split_sentences(text) if len(s) > 30]
    runs = [" ".join(sentences[i : i + n]) for n in (1, 2, 3, 4) for i in range(len(sentences) - n + 1)]
    leads = ["", "Officials said that ", "According to reports, ", "Analysts noted that ",
             "In a statement on Monday, ", "Sources close to the talks said ", "Meanwhile, "]  # fmt: skip
    texts: dict[str, None] = {}
    for round_number in range(10_000):
        for lead in leads:
            for run in runs:
                tag = f" (update {round_number})" if round_number else ""
                text = lead + (run[0].lower() + run[1:] if lead else run) + tag
                texts.setdefault(text)
                if len(texts) >= target:
                    return list(texts), "sample corpus sentences, recombined with variations"
    return list(texts), "sample corpus sentences, recombined with variations"


# --- 1. embedding -------------------------------------------------------------------------------


def run_embedding(texts: list[str], workers: int, sampler: MemorySampler) -> list[dict]:
    from analysis import SentenceTransformerEmbedder, embed_with_cache
    from analysis.run import open_engine

    rows, reference = [], None
    for name in ENGINES:
        sampler.phase()
        embedder = SentenceTransformerEmbedder()  # fresh: the model loads inside the timing
        started = time.perf_counter()
        engine = open_engine(name, workers=workers)
        start_s = time.perf_counter() - started
        with engine:
            started = time.perf_counter()
            vectors, embedded = embed_with_cache(texts, embedder, cache=None, engine=engine)
            embed_s = time.perf_counter() - started
            peaks = sampler.peaks()
        if reference is None:
            reference = vectors
        identical = vectors.dtype == reference.dtype and vectors.tobytes() == reference.tobytes()
        largest = float(np.abs(vectors.astype(np.float64) - reference).max()) if vectors.shape == reference.shape else float("nan")  # fmt: skip
        row = {
            "engine": name,
            "start_s": start_s,
            "embed_s": embed_s,
            "embedded": embedded,
            "per_s": len(texts) / embed_s,
            "identical": identical,
            "max_diff": largest,
            **peaks,
        }
        rows.append(row)
        print(
            f"[embed] {name:5s}: start {start_s:6.1f} s, embed {embed_s:6.1f} s "
            f"({row['per_s']:.1f} paragraphs/s, {embedded} embedded, torch threads/embedder "
            f"{embedder.threads}), peak driver {peaks['driver_mib']:.0f} MiB (maxrss "
            f"{peaks['maxrss_mib']:.0f}), tree {peaks['tree_mib']:.0f} MiB in {peaks['processes']} "
            f"processes; bitwise identical to local: {identical} (max |diff| {largest:.3g})",
            flush=True,
        )
    local = rows[0]["per_s"]
    for row in rows:
        row["relative"] = row["per_s"] / local
    return rows


# --- 2. themes at scale -------------------------------------------------------------------------


def clustered_vectors(n: int, dim: int = DIM, centres: int = CENTRES, seed: int = 0) -> np.ndarray:
    """Deterministic unit vectors around `centres` random directions (5% pure noise), float32,
    made block by block so that only the result is ever held whole."""
    rng = np.random.default_rng(seed)
    centre = rng.standard_normal((centres, dim), dtype=np.float32)
    centre /= np.linalg.norm(centre, axis=1, keepdims=True)
    out = np.empty((n, dim), dtype=np.float32)
    block = 100_000
    for start in range(0, n, block):
        size = min(block, n - start)
        which = rng.integers(0, centres, size)
        rows = 0.06 * rng.standard_normal((size, dim), dtype=np.float32)
        clustered = rng.random(size) >= 0.05
        rows[clustered] += centre[which[clustered]]
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        out[start : start + size] = rows
    return out


class _Cycle(Sequence):
    """texts[i] for a million rows without a million strings: row i is paragraph i mod n."""

    def __init__(self, texts: list[str], n: int):
        self._texts, self._n = texts, n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        return self._texts[int(i) % len(self._texts)]

    def __iter__(self):
        return (self[i] for i in range(self._n))


def run_themes(texts: list[str], n: int, workers: int, sampler: MemorySampler) -> tuple[dict, list[dict]]:
    from analysis import Settings, fit_themes
    from analysis.run import LocalEngine, open_engine

    sampler.phase()
    started = time.perf_counter()
    vectors = clustered_vectors(n)
    make_s = time.perf_counter() - started
    made = sampler.peaks()
    print(
        f"[themes] {n:,} vectors ({vectors.nbytes / MIB:.0f} MiB float32) made in {make_s:.1f} s, "
        f"peak driver {made['driver_mib']:.0f} MiB",
        flush=True,
    )

    class TimedLocal(LocalEngine):
        """The local engine, remembering the fitted model and how long assignment took."""

        def assign(self, model, vectors):
            started = time.perf_counter()
            result = super().assign(model, vectors)
            self.model, self.seconds = model, time.perf_counter() - started
            return result

    settings = Settings(theme_sample_size=50_000)
    sampler.phase()
    local = TimedLocal()
    started = time.perf_counter()
    result = fit_themes(_Cycle(texts, n), vectors, [], np.zeros((0, DIM), np.float32), settings, local)
    total_s = time.perf_counter() - started
    peaks = sampler.peaks()
    fit = {
        "rows": n,
        "total_s": total_s,
        "assign_s": local.seconds,
        "themes": int((result.themes["theme_id"] >= 0).sum()),
        "other_share": result.other_share,
        **peaks,
    }
    print(
        f"[themes] local fit_themes: {total_s:.1f} s (assign {local.seconds:.1f} s, fit on the "
        f"{settings.theme_sample_size:,} sample + theme terms {total_s - local.seconds:.1f} s); "
        f"{fit['themes']} themes, {result.other_share:.1%} in Other; peak driver "
        f"{peaks['driver_mib']:.0f} MiB (maxrss {peaks['maxrss_mib']:.0f}), tree {peaks['tree_mib']:.0f} MiB",
        flush=True,
    )

    rows = [{"engine": "local", "start_s": 0.0, "assign_s": local.seconds, "identical": True, **peaks}]
    for name in ENGINES[1:]:
        sampler.phase()
        started = time.perf_counter()
        engine = open_engine(name, workers=workers)
        start_s = time.perf_counter() - started
        with engine:
            started = time.perf_counter()
            try:
                labels, similarity = engine.assign(local.model, vectors)
                error = None
            except Exception as exc:  # report and go on: the table still shows the others
                labels = similarity = None
                error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            assign_s = time.perf_counter() - started
            peaks = sampler.peaks()
        identical = (
            error is None
            and np.array_equal(labels, result.labels)
            and similarity.tobytes() == result.similarity.tobytes()
        )
        rows.append({"engine": name, "start_s": start_s, "assign_s": assign_s, "identical": identical,
                     "error": error, **peaks})  # fmt: skip
        print(
            f"[themes] {name:5s} assign: start {start_s:.1f} s, assign {assign_s:.1f} s"
            + (f" FAILED ({error})" if error else "")
            + f", peak driver {peaks['driver_mib']:.0f} MiB (maxrss {peaks['maxrss_mib']:.0f}), tree "
            f"{peaks['tree_mib']:.0f} MiB in {peaks['processes']} processes; same labels and "
            f"similarities as local: {identical}",
            flush=True,
        )
    return fit, rows


# --- 3. figures and sources ----------------------------------------------------------------------


def run_extraction(
    paragraphs: pd.DataFrame, part_rows: int, workers: int, sampler: MemorySampler
) -> list[dict]:
    from analysis.claims import claims_in_parts
    from analysis.run import LocalEngine, open_engine

    rows, reference = [], None
    for label, opener in (
        ("local, 1 process", lambda: LocalEngine(1)),
        (f"local, {workers} processes", lambda: LocalEngine(workers)),
        ("ray", lambda: open_engine("ray", workers=workers)),
        ("dask", lambda: open_engine("dask", workers=workers)),
    ):
        sampler.phase()
        started = time.perf_counter()
        engine = opener()
        start_s = time.perf_counter() - started
        with engine:
            started = time.perf_counter()
            claims = claims_in_parts(paragraphs, None, engine, rows=part_rows)
            claims_s = time.perf_counter() - started
            peaks = sampler.peaks()
        tables = (claims.figures, claims.sources, claims.citations)
        figures, citations = claims.figures, claims.citations
        if reference is None:
            reference = tables
        identical = all(a.equals(b) for a, b in zip(tables, reference, strict=True))
        row = {"engine": label, "start_s": start_s, "claims_s": claims_s,
               "per_s": len(paragraphs) / claims_s, "identical": identical,
               "figures": len(figures), "citations": len(citations), **peaks}  # fmt: skip
        rows.append(row)
        print(
            f"[extract] {label}: start {start_s:.1f} s, figures and sources {claims_s:.1f} s "
            f"({row['per_s']:.0f} paragraphs/s; {len(figures):,} figures, "
            f"{len(citations):,} citations), tree {peaks['tree_mib']:.0f} MiB in "
            f"{peaks['processes']} processes; identical to 1 process: {identical}",
            flush=True,
        )
    for row in rows:
        row["relative"] = row["per_s"] / rows[0]["per_s"]
    return rows


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=2_000, help="paragraphs to embed (0: skip)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="vectors for the theme step (0: skip)")
    parser.add_argument("--workers", type=int, default=2, help="workers of the Ray and Dask clusters")
    parser.add_argument(
        "--extract", type=int, default=20_000, help="paragraphs to read figures and sources from (0: skip)"
    )
    parser.add_argument("--part-rows", type=int, default=2_000, help="paragraphs per part when reading")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    args = parser.parse_args()

    sampler = MemorySampler()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    import dask
    import ray

    print(
        f"machine: {cores} cores; python {sys.version.split()[0]}, ray {ray.__version__}, dask "
        f"{dask.__version__}; memory sampled with {sampler.method} every {sampler.interval} s",
        flush=True,
    )
    wanted = max(args.paragraphs, 5_000 if args.rows else 0)
    if (args.data / "bbc_news_dedup.csv").is_file() and (args.data / "ag_news_test.csv").is_file():
        pool, origin = news_paragraphs(args.data, wanted)
    else:
        pool, origin = sample_paragraphs(wanted)

    embedding = []
    if args.paragraphs:
        texts = pool[: args.paragraphs]
        words = sum(len(t.split()) for t in texts) / max(len(texts), 1)
        print(f"paragraphs: {len(texts):,} distinct ({origin}), {words:.0f} words on average", flush=True)
        embedding = run_embedding(texts, args.workers, sampler)
    fit, assignment = (None, [])
    if args.rows:
        fit, assignment = run_themes(pool, args.rows, args.workers, sampler)
    extraction = []
    if args.extract:
        if (args.data / "bbc_news_dedup.csv").is_file():
            sentences = bbc_sentences(args.data)
        else:
            from analysis import split_sentences

            sentences = np.array(
                [s for text in pool for s in split_sentences(text) if len(s.split()) >= 8], dtype=object
            )
        paragraphs = paragraph_frame(recombined(sentences, args.extract, np.random.default_rng(0)))
        extraction = run_extraction(paragraphs, args.part_rows, args.workers, sampler)
    sampler.close()

    if embedding:
        print(f"\nEmbedding {args.paragraphs:,} paragraphs, {args.workers} workers (MiB: peak RSS)")
        print(f"{'engine':6s} {'start s':>8s} {'embed s':>8s} {'para/s':>7s} {'vs local':>8s} "
              f"{'driver':>7s} {'maxrss':>7s} {'tree':>7s} {'procs':>5s}  identical")  # fmt: skip
        for r in embedding:
            print(f"{r['engine']:6s} {r['start_s']:8.1f} {r['embed_s']:8.1f} {r['per_s']:7.1f} "
                  f"{r['relative']:8.2f} {r['driver_mib']:7.0f} {r['maxrss_mib']:7.0f} "
                  f"{r['tree_mib']:7.0f} {r['processes']:5d}  {r['identical']}")  # fmt: skip
    if fit:
        print(
            f"\nThemes for {fit['rows']:,} vectors (fit_themes, local: {fit['total_s']:.1f} s total, of "
            f"which assign {fit['assign_s']:.1f} s; {fit['themes']} themes, {fit['other_share']:.1%} Other)"
        )
        print(f"{'engine':6s} {'start s':>8s} {'assign s':>8s} {'rows/s':>9s} {'driver':>7s} "
              f"{'maxrss':>7s} {'tree':>7s} {'procs':>5s}  same as local")  # fmt: skip
        for r in assignment:
            rate = fit["rows"] / r["assign_s"] if r["assign_s"] else float("nan")
            print(f"{r['engine']:6s} {r['start_s']:8.1f} {r['assign_s']:8.1f} {rate:9,.0f} "
                  f"{r['driver_mib']:7.0f} {r['maxrss_mib']:7.0f} {r['tree_mib']:7.0f} "
                  f"{r['processes']:5d}  {r['identical'] if not r.get('error') else 'FAILED'}")  # fmt: skip
        print("(local row: the whole fit_themes phase's memory; maxrss is this process's high-water "
              "mark since it started)")  # fmt: skip
    if extraction:
        print(f"\nFigures and sources of {args.extract:,} paragraphs in parts of {args.part_rows:,}")
        print(f"{'engine':20s} {'start s':>8s} {'claims s':>9s} {'para/s':>7s} "
              f"{'vs 1 proc':>9s} {'tree':>7s} {'procs':>5s}  identical")  # fmt: skip
        for r in extraction:
            print(f"{r['engine']:20s} {r['start_s']:8.1f} {r['claims_s']:9.1f} "
                  f"{r['per_s']:7.0f} {r['relative']:9.2f} {r['tree_mib']:7.0f} {r['processes']:5d}  "
                  f"{r['identical']}")  # fmt: skip


if __name__ == "__main__":
    main()
