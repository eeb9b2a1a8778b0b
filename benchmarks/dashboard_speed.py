"""Dashboard speed with 20,000 paragraphs loaded: Themes and Explore pages, and one search.

    python benchmarks/dashboard_speed.py [--paragraphs 20000] [--data ../shared/benchmarks]

Builds a 20,000-paragraph analysis of real news (BBC and AG News) with the deterministic
stand-in embedder at the real model's 384 dimensions (the real model would take ~7 minutes to
embed it here, and page rendering does not depend on what the vectors mean), saves it as a
prebuilt analysis and opens it through a link (`corpus=build:<name>`) in Streamlit's AppTest.
Prints the time of the first (cold) and later (cached) runs of each page, of a run with a
semantic search (the query embedded by the real model), and of the search itself.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from build_speed import write_corpus  # noqa: E402


def timed(label: str, action) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.2f} s", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=20_000)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="dashboard-speed-"))
    os.environ["GEONEWS_CACHE_DIR"] = str(work / "cache")
    os.environ["GEONEWS_BUILDS_DIR"] = str(work / "builds")
    os.environ["HF_HUB_OFFLINE"] = "1"
    from analysis import (
        HashingEmbedder,
        Settings,
        build_analysis,
        load_corpus,
        save_analysis,
        semantic_search,
    )

    corpus_dir = work / "corpus"
    corpus_dir.mkdir()
    # Shorter paragraphs admitted than in build_speed.py, to reach 20,000 from the two sets.
    written = write_corpus(corpus_dir, args.data, args.paragraphs, min_words=6)
    # The two sets hold ~17,000 paragraphs; BBC sentences, as a table, make up the rest.
    bbc = pd.read_csv(args.data / "bbc_news_dedup.csv")
    sentences = [
        s.strip() + "."
        for text in bbc["text"]
        for s in text.partition("\n\n")[2].replace("\n", " ").split(". ")
        if len(s.split()) >= 15
    ]
    extra = max(0, int((args.paragraphs - written) * 1.5))
    pd.DataFrame({"text": sentences[-extra:] if extra else []}).to_csv(
        corpus_dir / "sentences.csv", index=False
    )
    started = time.perf_counter()
    result = build_analysis(load_corpus([corpus_dir]), Settings(), embedder=HashingEmbedder(dim=384))
    save_analysis(result, work / "builds" / "bench")
    print(f"stand-in build of {len(result.paragraphs):,} paragraphs: {time.perf_counter() - started:.1f} s")

    from streamlit.testing.v1 import AppTest

    def run(page: str, **params):
        def action():
            at = AppTest.from_file(str(ROOT / page), default_timeout=600)
            at.query_params["corpus"] = "build:bench"
            for key, value in params.items():
                at.query_params[key] = value
            at.run()
            assert not at.exception, [e.message for e in at.exception]
            # The page shows the prebuilt analysis, not the sample.
            assert result.provenance.corpus_hash in " ".join(c.value for c in at.sidebar.caption)

        return action

    os.chdir(ROOT)
    timed("Themes page, first run (loads the build)", run("pages/1_Themes.py"))
    for attempt in (1, 2):
        timed(f"Themes page, cached run {attempt}", run("pages/1_Themes.py"))
    timed("Explore page, first run", run("pages/2_Explore.py"))
    for attempt in (1, 2):
        timed(f"Explore page, cached run {attempt}", run("pages/2_Explore.py"))
    timed(
        "Explore page with a semantic search, first (loads the model)",
        run("pages/2_Explore.py", q="arms to Russia"),
    )
    for attempt in (1, 2):
        timed(
            f"Explore page with another semantic search {attempt}",
            run("pages/2_Explore.py", q=f"oil prices {attempt}"),
        )

    from ui.loaders import embedder

    model = embedder()
    vectors = result.embeddings
    started = time.perf_counter()
    for _ in range(20):
        query = model.encode(["arms shipments to Russia"])[0]
    encode_ms = (time.perf_counter() - started) / 20 * 1000
    started = time.perf_counter()
    for _ in range(20):
        semantic_search(query, vectors, np.ones(len(vectors), bool), top_k=100)
    search_ms = (time.perf_counter() - started) / 20 * 1000
    print(
        f"one semantic search over {len(vectors):,} paragraphs: embed query {encode_ms:.1f} ms + rank {search_ms:.1f} ms"
    )


if __name__ == "__main__":
    main()
