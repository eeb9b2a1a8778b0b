"""The dashboard at 100,000 and 1,000,000 paragraphs: the build without its embedding step,
the dashboard's time to first chart and peak memory, and semantic search (brute force against
FAISS).

    python benchmarks/dashboard_scale.py [--sizes 100000 1000000] [--data ../shared/benchmarks]

Paragraphs are sentences of real news (BBC) recombined at random (seeded), two to four to a
paragraph, with outlets and dates; vectors come from the deterministic stand-in embedder at the
real model's 384 dimensions (the real model would take hours for a million paragraphs here, and
nothing measured depends on what the vectors mean). Each size is built in its own process
(`--one` mode) so that peak memory is that size's alone; the build's peak is also sampled over
its process tree, since the local engine reads figures and sources in worker processes. The
dashboard is then opened in a fresh process through Streamlit's AppTest with a link to the
prebuilt analysis, and search is compared in a third (FAISS only for the comparison:
`pip install faiss-cpu`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _isolated import run_steps
from _memory import MemorySampler
from _news import bbc_sentences, recombined

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_corpus(folder: Path, data: Path, size: int, seed: int = 0) -> None:
    """`size` paragraphs of recombined BBC sentences as Parquet tables of 100,000 rows."""
    sentences = bbc_sentences(data)
    rng = np.random.default_rng(seed)
    outlets = np.array([f"Outlet {i:02d}" for i in range(40)], dtype=object)
    days = pd.date_range("2023-01-01", "2025-12-31", freq="D").strftime("%Y-%m-%d").to_numpy()
    folder.mkdir(parents=True, exist_ok=True)
    for part, start in enumerate(range(0, size, 100_000)):
        n = min(100_000, size - start)
        texts = recombined(sentences, n, rng)
        pd.DataFrame(
            {
                "text": texts,
                "outlet": outlets[rng.integers(0, len(outlets), size=n)],
                "date": days[rng.integers(0, len(days), size=n)],
                "title": [f"Story {start + i}" for i in range(n)],
            }
        ).to_parquet(folder / f"part-{part:03d}.parquet", index=False)


def build_one(size: int, work: Path, data: Path) -> dict:
    """Build `size` paragraphs with the stand-in embedder; stage times from build.json."""
    from analysis import HashingEmbedder, Settings, build_analysis, load_analysis, load_corpus, save_analysis
    from analysis.views import write_build_views

    corpus = work / f"corpus-{size}"
    started = time.perf_counter()
    synthetic_corpus(corpus, data, size)
    made = time.perf_counter() - started
    started = time.perf_counter()
    stages: list[str] = []
    sampler = MemorySampler(interval=0.5)

    def progress(stage: str, done: int, total: int) -> None:
        # Each stage as it starts, with the memory so far: a long run can be followed.
        if not stages or stages[-1] != stage:
            stages.append(stage)
            print(f"{time.perf_counter() - started:8.1f} s  {stage:<10} peak {peak_mib():,.0f} MiB",
                  file=sys.stderr, flush=True)  # fmt: skip

    result = build_analysis(
        load_corpus([corpus], settings=Settings(max_file_mb=500)),
        Settings(max_file_mb=500),
        embedder=HashingEmbedder(dim=384),
        cache_dir=work / "cache",
        progress=progress,
    )
    built = time.perf_counter() - started
    started = time.perf_counter()
    folder = save_analysis(result, work / "builds" / f"scale-{size}")
    saved = time.perf_counter() - started
    # As the command line does: the views no visitor chooses, stored with the build.
    views = write_build_views(load_analysis(folder, with_texts=False), folder)
    timings = result.provenance.timings
    tree = sampler.peaks()
    sampler.close()
    return {
        "paragraphs": len(result.paragraphs),
        "corpus_written_s": round(made, 1),
        "build_s": round(built, 1),
        "embedding_s": round(float(timings.get("embed", 0.0)), 1),
        "build_without_embedding_s": round(built - float(timings.get("embed", 0.0)), 1),
        "stages_s": {k: round(float(v), 1) for k, v in timings.items()},
        "save_s": round(saved, 1),
        "views_s": views,
        "peak_mib": round(peak_mib()),
        # This process and the local engine's workers (figures and sources), summed.
        "process_tree_peak_mib": round(tree["tree_mib"]),
        "processes": tree["processes"],
    }


def open_dashboard(size: int, work: Path) -> dict:
    """First run of the Overview, then the Themes and Explore pages, on the prebuilt analysis."""
    from streamlit.testing.v1 import AppTest

    os.chdir(ROOT)
    out = {}
    for label, page in (
        ("overview", "dashboard.py"),
        ("themes", "pages/1_Themes.py"),
        ("explore", "pages/2_Explore.py"),
    ):
        at = AppTest.from_file(str(ROOT / page), default_timeout=1800)
        at.query_params["corpus"] = f"build:scale-{size}"
        started = time.perf_counter()
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        out[f"{label}_first_run_s"] = round(time.perf_counter() - started, 2)
        out[f"{label}_charts"] = len(at.get("plotly_chart"))
    out["peak_mib"] = round(peak_mib())
    return out


def search(size: int, work: Path) -> dict:
    """Brute force (the dashboard's semantic_search) against FAISS, if installed; and the
    Explore page's search (`search_paragraphs` at its floor) on the build's float16 vectors
    alone and on its int8 codes first, with whether the two list the same paragraphs."""
    from analysis import load_analysis, semantic_search
    from analysis.views import SEARCH_FLOOR, search_paragraphs

    analysis = load_analysis(work / "builds" / f"scale-{size}")
    vectors = analysis.embeddings
    rng = np.random.default_rng(1)
    queries = vectors[rng.integers(0, len(vectors), size=20)] + 0.01
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    out = {}
    started = time.perf_counter()
    brute = [semantic_search(q, vectors, None, top_k=100)[0] for q in queries]
    out["brute_force_ms"] = round((time.perf_counter() - started) / len(queries) * 1000, 1)
    listed = {}
    for label, codes in (("vectors", None), ("codes", analysis.vector_codes)):
        if label == "codes" and codes is None:
            out["page_search_codes"] = "the build has no codes (made before them)"
            continue
        started = time.perf_counter()
        listed[label] = [search_paragraphs(q, vectors, floor=SEARCH_FLOOR, codes=codes) for q in queries]
        out[f"page_search_{label}_ms"] = round((time.perf_counter() - started) / len(queries) * 1000, 1)
    if len(listed) == 2:
        out["page_search_codes_same_rows"] = all(
            np.array_equal(a.rows, b.rows) for a, b in zip(listed["vectors"], listed["codes"], strict=True)
        )
    try:
        import faiss
    except ImportError:
        out["faiss"] = "not installed"
        return out
    index = faiss.IndexFlatIP(vectors.shape[1])
    started = time.perf_counter()
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))  # a build stores float16
    out["faiss_flat_build_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    _, found = index.search(np.ascontiguousarray(queries, dtype=np.float32), 100)
    out["faiss_flat_ms"] = round((time.perf_counter() - started) / len(queries) * 1000, 1)
    out["faiss_flat_same_top10"] = float(
        np.mean([len(set(a[:10]) & set(b[:10])) / 10 for a, b in zip(brute, found, strict=True)])
    )
    nlist = int(4 * np.sqrt(len(vectors)))
    quantizer = faiss.IndexFlatIP(vectors.shape[1])
    ivf = faiss.IndexIVFFlat(quantizer, vectors.shape[1], nlist, faiss.METRIC_INNER_PRODUCT)
    started = time.perf_counter()
    ivf.train(np.asarray(vectors[rng.choice(len(vectors), min(len(vectors), 50 * nlist), replace=False)], dtype=np.float32))
    ivf.add(np.ascontiguousarray(vectors, dtype=np.float32))
    out["faiss_ivf_build_s"] = round(time.perf_counter() - started, 1)
    ivf.nprobe = 16
    started = time.perf_counter()
    _, found = ivf.search(np.ascontiguousarray(queries, dtype=np.float32), 100)
    out["faiss_ivf_ms"] = round((time.perf_counter() - started) / len(queries) * 1000, 1)
    out["faiss_ivf_recall_at_10"] = float(
        np.mean([len(set(a[:10]) & set(b[:10])) / 10 for a, b in zip(brute, found, strict=True)])
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--work", type=Path)
    parser.add_argument("--one", choices=["build", "open", "search"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="dashboard-scale-"))
    os.environ["GEONEWS_BUILDS_DIR"] = str(work / "builds")
    os.environ["GEONEWS_CACHE_DIR"] = str(work / "cache")
    os.environ["HF_HUB_OFFLINE"] = "1"
    if args.one:
        size = args.sizes[0]
        step = {"build": build_one, "open": open_dashboard, "search": search}[args.one]
        result = step(size, work, args.data) if args.one == "build" else step(size, work)
        print(json.dumps(result))
        return
    for size in args.sizes:
        run_steps(__file__, size, ["build", "open", "search"], work, "--data", str(args.data))


if __name__ == "__main__":
    main()
